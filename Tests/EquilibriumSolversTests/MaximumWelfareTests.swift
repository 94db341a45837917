import Testing
import NormalFormGames
import LinearProgramming
import _EquilibriaTestSupport
@testable import EquilibriumSolvers

private func q(_ n: Int, _ d: Int = 1) -> Rational { Rational(n, d) }

/// Classic games with optima derived by hand (each derivation is in the comment beside it).
@Suite struct ClassicGameTests {
    /// Chicken: G1 = [[0,7],[2,6]], G2 = G1ᵀ. CE rows: 2σ11 ≤ σ12, σ22 ≤ 2σ21 (row player),
    /// 2σ11 ≤ σ21, σ22 ≤ 2σ12 (column). Welfare 9σ12 + 9σ21 + 12σ22 is maximised with σ11 = 0 and
    /// σ22 = 2σ12 = 2σ21, so σ = (0, 1/4, 1/4, 1/2) and welfare 21/2, uniquely.
    @Test func chicken() throws {
        let game = TestGames.bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]])
        let result = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true, optimalFace: true)
        #expect(result.certified)
        #expect(result.objectiveExact == q(21, 2))
        #expect(result.jointExact == [0, q(1, 4), q(1, 4), q(1, 2)])
        #expect(result.isUnique == true)
        let float = try EquilibriumLP.solve(game: game, concept: .correlated)
        #expect(abs(float.objective! - 10.5) < 1e-9)
        #expect(float.maximumViolation <= 1e-9)
    }

    /// Shapley's game: welfare is 1 off the diagonal and 0 on it, so the value is at most 1; the
    /// off-diagonal CE (1/6 each) attains it. The uniform joint (value 2/3) is a CE too.
    @Test func shapley() throws {
        let r = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
        let c = (0..<3).map { i in (0..<3).map { j in r[j][i] } }
        let game = TestGames.bimatrix(r, c)
        let result = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true)
        #expect(result.certified && result.objectiveExact == 1)
        let gains = game.exactDeviationGains(.correlated)
        let offDiagonal = (0..<9).map { $0 % 4 == 0 ? Rational.zero : q(1, 6) }
        #expect(gains.expectedGains(offDiagonal).allSatisfy { $0 <= .zero })
        #expect(gains.expectedGains(Array(repeating: q(1, 9), count: 9)).allSatisfy { $0 <= .zero })
    }

    /// Battle of the Sexes: both pure equilibria give welfare 3 and so does every mixture, so the
    /// optimum is not unique: σ(1,1) and σ(2,2) each range over [0, 1], the rest stay 0.
    @Test func battleOfTheSexesIsATie() throws {
        let game = TestGames.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
        for exact in [true, false] {
            let result = try EquilibriumLP.solve(game: game, concept: .correlated, exact: exact, optimalFace: true)
            #expect(abs(result.objective! - 3) < 1e-12)
            #expect(result.isUnique == false)
            let ranges = try #require(result.ranges)
            #expect(ranges.map { $0?.minimum } == [0, 0, 0, 0])
            #expect(ranges.map { $0?.maximum } == [1, 0, 0, 1])
        }
    }

    /// Matching pennies has the uniform joint as its only CE (zero-sum, unique NE).
    @Test func matchingPennies() throws {
        let game = TestGames.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        let result = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true, optimalFace: true)
        #expect(result.jointExact == Array(repeating: q(1, 4), count: 4))
        #expect(result.isUnique == true && result.objectiveExact == 0)
    }

    /// Prisoner's dilemma: defection strictly dominates, so (D, D) is the only CCE; welfare 2.
    @Test func prisonersDilemma() throws {
        let game = TestGames.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        for concept in EquilibriumConcept.allCases {
            let result = try EquilibriumLP.solve(game: game, concept: concept, exact: true, optimalFace: true)
            #expect(result.jointExact == [0, 0, 0, 1])
            #expect(result.objectiveExact == 2 && result.isUnique == true)
        }
    }

    /// With two actions per player CE and CCE coincide (docs/reference.md §9).
    @Test(arguments: 0..<20) func twoActionGamesHaveEqualCEAndCCEValues(seed: Int) throws {
        let game = TestGames.integer([2, 2], range: -5...5, seed: UInt64(seed))
        let ce = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true)
        let cce = try EquilibriumLP.solve(game: game, concept: .coarseCorrelated, exact: true)
        #expect(ce.objectiveExact == cce.objectiveExact)
    }

    /// Minimum permissible ε. Prisoner's dilemma, CE: a row whose recommendation has no mass is
    /// 0, and recommending C with positive mass gives a positive gain (D dominates), so the
    /// minimum is exactly 0. Coordination game G_p = identity, CCE: ½·gain_1 + ½·gain_2 =
    /// ½ − E[G] ≥ −½, so t ≥ −½, attained by ½(1,1) + ½(2,2); per player Σ t_p = −1; ε = −0.6
    /// is infeasible, with a Farkas certificate.
    @Test func minimumEpsilonAndInfeasibility() throws {
        let dilemma = TestGames.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        let zero = try EquilibriumLP.solve(game: dilemma, concept: .correlated,
                                           selection: .minimumEpsilon(perPlayer: false), exact: true)
        #expect(zero.certified && zero.epsilonExact == [0, 0])

        let coordination = TestGames.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
        let shared = try EquilibriumLP.solve(game: coordination, concept: .coarseCorrelated,
                                             selection: .minimumEpsilon(perPlayer: false), exact: true)
        #expect(shared.certified)
        #expect(shared.epsilonExact == [q(-1, 2), q(-1, 2)])
        let perPlayer = try EquilibriumLP.solve(game: coordination, concept: .coarseCorrelated,
                                                selection: .minimumEpsilon(perPlayer: true), exact: true)
        #expect(perPlayer.certified && perPlayer.objectiveExact == -1)
        let floatShared = try EquilibriumLP.solve(game: coordination, concept: .coarseCorrelated,
                                                  selection: .minimumEpsilon(perPlayer: false))
        #expect(abs(floatShared.epsilon[0] + 0.5) < 1e-12)

        let infeasible = try EquilibriumLP.solve(game: coordination, concept: .coarseCorrelated,
                                                 epsilon: [q(-3, 5), q(-3, 5)], exact: true)
        #expect(infeasible.status == .infeasible && infeasible.certified)
        #expect(infeasible.farkasGap.map { $0 < .zero } == true)
        let boundary = try EquilibriumLP.solve(game: coordination, concept: .coarseCorrelated,
                                               epsilon: [q(-1, 2), q(-1, 2)], exact: true)
        #expect(boundary.status == .optimal && boundary.certified)
        let floatInfeasible = try EquilibriumLP.solve(game: coordination, concept: .coarseCorrelated,
                                                      epsilon: [q(-3, 5), q(-3, 5)])
        #expect(floatInfeasible.status == .infeasible)
    }
}

/// The two Table 5 games (docs/reference.md §6).
@Suite struct TableFiveTests {
    static func symmetric(_ rowPayoffs: [[Rational]]) -> NormalFormGame {
        let n = rowPayoffs.count
        let column = (0..<n).flatMap { i in (0..<n).map { j in rowPayoffs[j][i] } }
        return try! NormalFormGame(actionCounts: [n, n], exactPayoffs: rowPayoffs.flatMap { $0 } + column)
    }

    static let ceGame = symmetric([[-4, 2, -999, -999], [-2, 1, -999, -999], [-999, -999, -3, 2],
                                   [-999, -999, -2, Rational(exactly: "1.1")!]])
    static let cceGame = symmetric([[2, 0, 0, 0], [0, 3, 0, -10], [0, 3, -10, -10], [2, 7, -6, 0]])

    /// Game (a) by hand: mass off the two diagonal blocks only adds gains of about 999, and the
    /// constraints split by block. Block {1,2} is Chicken-like: σ22 ≤ 2σ21, σ22 ≤ 2σ12 give
    /// (σ12, σ21, σ22) = (1/4, 1/4, 1/2) and welfare 1. Block {3,4}: σ44 ≤ (10/9)σ43 and
    /// σ44 ≤ (10/9)σ34 give σ44 = 10/28 and welfare 2.2·10/28 = 11/14 < 1. So the max-welfare
    /// CE is the block-{1,2} solution with value exactly 1, and it is unique.
    @Test func ceGameMaximumWelfare() throws {
        let result = try EquilibriumLP.solve(game: Self.ceGame, concept: .correlated, exact: true, optimalFace: true)
        #expect(result.certified)
        #expect(result.objectiveExact == 1)
        var expected = [Rational](repeating: .zero, count: 16)
        expected[1] = q(1, 4); expected[4] = q(1, 4); expected[5] = q(1, 2)
        #expect(result.jointExact == expected)
        #expect(result.isUnique == true)
        // The block-{3,4} optimum is itself a CE with the value derived above.
        var block = [Rational](repeating: .zero, count: 16)
        block[11] = q(9, 28); block[14] = q(9, 28); block[15] = q(10, 28)
        #expect(Self.ceGame.exactDeviationGains(.correlated).expectedGains(block).allSatisfy { $0 <= .zero })
        #expect(zip(block, Self.ceGame.rationalWelfare).reduce(Rational.zero) { $0 + $1.0 * $1.1 } == q(11, 14))
    }

    /// Game (b): (1,1) is a pure Nash equilibrium with welfare 4. An upper bound of 4 follows from
    /// the multipliers checked here by direct arithmetic (no LP code): welfare(a) minus the
    /// α-weighted CCE gains is at most 4 at every joint action, and Σ_i α_i (A_i σ) ≤ 0 for a
    /// CCE σ, so every CCE has welfare ≤ 4.
    @Test func cceGameMaximumWelfare() throws {
        let result = try EquilibriumLP.solve(game: Self.cceGame, concept: .coarseCorrelated, exact: true,
                                             optimalFace: true)
        #expect(result.certified)
        #expect(result.objectiveExact == 4)
        let duals = try #require(result.dualsExact)
        #expect(duals.allSatisfy { $0 >= .zero })
        // Independent weak-duality check from the raw payoff matrices.
        let r: [[Rational]] = [[2, 0, 0, 0], [0, 3, 0, -10], [0, 3, -10, -10], [2, 7, -6, 0]]
        for a1 in 0..<4 {
            for a2 in 0..<4 {
                var value = r[a1][a2] + r[a2][a1]
                for k in 0..<4 {
                    value -= duals[k] * (r[k][a2] - r[a1][a2])          // row player deviates to k
                    value -= duals[4 + k] * (r[k][a1] - r[a2][a1])      // column player deviates to k
                }
                #expect(value <= 4, "joint action (\(a1 + 1),\(a2 + 1))")
            }
        }
    }
}

/// Properties on random games.
@Suite struct RandomGameTests {
    static let shapes: [[Int]] = [[3, 3], [4, 3], [2, 2, 2], [3, 2, 2], [5, 5]]

    /// Every exact σ satisfies every constraint exactly, float and exact values agree, and the
    /// value is at least the welfare of every pure equilibrium found by enumeration.
    @Test(arguments: 0..<30) func exactSolutionsAreFeasibleAndDominatePureEquilibria(seed: Int) throws {
        let shape = Self.shapes[seed % Self.shapes.count]
        let game = seed % 2 == 0 ? TestGames.integer(shape, range: 0...6, seed: UInt64(seed))
                                 : TestGames.decimal(shape, seed: UInt64(seed))
        for concept in EquilibriumConcept.allCases {
            let exact = try EquilibriumLP.solve(game: game, concept: concept, exact: true)
            #expect(exact.certified)
            let sigma = try #require(exact.jointExact)
            #expect(sigma.allSatisfy { $0 >= .zero })
            #expect(sigma.reduce(Rational.zero, +) == 1)
            #expect(game.exactDeviationGains(concept).expectedGains(sigma).allSatisfy { $0 <= .zero })
            let welfare = game.rationalWelfare
            for a in pureNashEquilibria(game) { #expect(welfare[a] <= exact.objectiveExact!) }
            let float = try EquilibriumLP.solve(game: game, concept: concept)
            let scale = game.payoffs.map(abs).max()!
            #expect(abs(float.objective! - exact.objective!) <= 1e-9 * scale)
            #expect(float.maximumViolation <= 1e-9)
        }
    }

    /// Uniform doubles: the float path meets 1e-9 relative violation and matches the exact path.
    @Test(arguments: 0..<6) func floatPathMatchesExactOnDoubles(seed: Int) throws {
        let game = TestGames.uniform([4, 4], seed: UInt64(100 + seed))
        let float = try EquilibriumLP.solve(game: game, concept: .correlated)
        let exact = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true)
        #expect(exact.certified)
        #expect(float.maximumViolation <= 1e-9)
        #expect(abs(float.objective! - exact.objective!) <= 1e-9)
    }

    /// Relabelling players or actions relabels the solution and keeps the value.
    @Test(arguments: 0..<8) func permutationEquivariance(seed: Int) throws {
        let game = TestGames.integer([3, 2, 2], range: -3...3, seed: UInt64(40 + seed))
        let base = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true, optimalFace: true)
        let byPlayers = game.permutingPlayers([2, 0, 1])
        let permuted = try EquilibriumLP.solve(game: byPlayers, concept: .correlated, exact: true, optimalFace: true)
        #expect(permuted.objectiveExact == base.objectiveExact)
        let byActions = game.permutingActions(of: 0, [2, 0, 1])
        let relabelled = try EquilibriumLP.solve(game: byActions, concept: .correlated, exact: true, optimalFace: true)
        #expect(relabelled.objectiveExact == base.objectiveExact)
        // The ranges over the optimal face are well defined (unlike a vertex): they must move
        // exactly with the relabelling.
        let ranges = try #require(base.rangesExact)
        for newIndex in 0..<byPlayers.jointActionCount {
            let newActions = byPlayers.actions(ofJointIndex: newIndex)
            var old = [0, 0, 0]
            for i in 0..<3 { old[[2, 0, 1][i]] = newActions[i] }
            let o = game.jointIndex(old)
            #expect(permuted.rangesExact![newIndex].minimum == ranges[o].minimum)
            #expect(permuted.rangesExact![newIndex].maximum == ranges[o].maximum)
        }
        for newIndex in 0..<byActions.jointActionCount {
            var actions = byActions.actions(ofJointIndex: newIndex)
            actions[0] = [2, 0, 1][actions[0]]
            let o = game.jointIndex(actions)
            #expect(relabelled.rangesExact![newIndex].minimum == ranges[o].minimum)
            #expect(relabelled.rangesExact![newIndex].maximum == ranges[o].maximum)
        }
        if base.isUnique == true {
            #expect(permuted.isUnique == true)
        }
    }
}

/// Pure Nash equilibria by enumeration, straight from the payoff definition.
func pureNashEquilibria(_ game: NormalFormGame) -> [Int] {
    let payoffs = game.rationalPayoffs
    let joint = game.jointActionCount
    return (0..<joint).filter { a in
        let actions = game.actions(ofJointIndex: a)
        for p in 0..<game.playerCount {
            for k in 0..<game.actionCounts[p] {
                var deviated = actions
                deviated[p] = k
                if payoffs[p * joint + game.jointIndex(deviated)] > payoffs[p * joint + a] { return false }
            }
        }
        return true
    }
}

/// The double path starts the dual simplex from the pure joint action best for the objective
/// (``ScaledRequest/pureStartBasis()``) instead of GLPK's crash basis: the start must be a
/// valid, dual-feasible basis, and the optimum must not depend on it.
@Suite struct PureStartBasisTests {
    @Test(arguments: 0..<24) func pureStartReachesTheExactOptimum(seed: Int) throws {
        let shapes = [[2, 2], [3, 4], [5, 5], [2, 2, 2], [3, 3, 2], [2, 2, 2, 2]]
        let shape = shapes[seed % shapes.count]
        var rng = SplitMix64(seed: UInt64(7100 + seed))
        let game = seed % 3 == 0 ? TestGames.integer(shape, range: -2...2, seed: UInt64(seed))
                                 : TestGames.decimal(shape, seed: UInt64(seed))
        let joint = game.jointActionCount
        let selections: [LinearSelection] = [
            .maximumWelfare,
            .linear(coefficients: (0..<joint).map { _ in Rational(Int.random(in: -3...3, using: &rng)) }, maximize: false),
            .linear(coefficients: (0..<joint).map { _ in Rational(Int.random(in: -3...3, using: &rng)) }, maximize: true),
            .maximumProbability(jointIndex: Int.random(in: 0..<joint, using: &rng)),
        ]
        // Half the cases restrict the support; a positive ε sometimes loosens the rows.
        var support: [Bool]? = seed % 2 == 0 ? nil : (0..<joint).map { _ in Bool.random(using: &rng) }
        if support?.contains(true) == false { support![0] = true }
        let epsilon = seed % 4 == 1 ? Array(repeating: Rational(1, 10), count: game.playerCount) : nil
        for concept in [EquilibriumConcept.correlated, .coarseCorrelated] {
            for selection in selections {
                let request = ScaledRequest(game: game, concept: concept, selection: selection,
                                            epsilon: epsilon ?? Array(repeating: .zero, count: game.playerCount),
                                            support: support)
                let start = try #require(request.pureStartBasis())
                // One basic variable per row; the joint action at 1 is allowed; Σσ = 1 nonbasic.
                let basic = start.rows.filter { $0 == .basic }.count + start.columns.filter { $0 == .basic }.count
                #expect(basic == start.rows.count)
                #expect(start.rows.last == .fixed)
                let best = try #require(start.columns.firstIndex(of: .basic))
                #expect(support?[best] ?? true)
                // Dual feasible: no allowed joint action is better for the objective than a*.
                let c = try #require(request.scaledCoefficients)
                for a in 0..<joint where support?[a] ?? true { #expect(request.sense * (c[a] - c[best]) <= 0) }

                let double = try EquilibriumLP.solve(game: game, concept: concept, selection: selection,
                                                     epsilon: epsilon, support: support)
                let exact = try EquilibriumLP.solve(game: game, concept: concept, selection: selection,
                                                    epsilon: epsilon, exact: true, support: support)
                #expect(exact.certified)
                #expect(double.status == exact.status, "\(shape) \(concept) \(selection)")
                if exact.status == .optimal, let d = double.objective, let e = exact.objective {
                    #expect(abs(d - e) <= 1e-9 * max(1, abs(e)), "\(shape) \(concept) \(selection): \(d) vs \(e)")
                    #expect(double.maximumViolation <= 1e-9)
                }
            }
        }
        // The minimum-ε selections have free columns t: no pure start, GLPK's crash basis.
        let minimum = ScaledRequest(game: game, concept: .correlated, selection: .minimumEpsilon(perPlayer: true),
                                    epsilon: Array(repeating: .zero, count: game.playerCount), support: nil)
        #expect(minimum.pureStartBasis() == nil)
    }
}

/// Decimals finer than the doubles: with --exact the answer is the exact game's, certified.
@Suite struct FineDecimalGameTests {
    /// G1 = [[0.1, 0], [0, 0.3 + 10⁻²⁰]], G2 = [[0.2, 0], [0, 0]]: (1,1) and (2,2) are both pure
    /// equilibria; their welfares 0.3 and 0.3 + 10⁻²⁰ tie in doubles, and only (2,2) is optimal.
    @Test func tiesInDoublesAreBrokenExactly() throws {
        let tiny = Rational(exactly: "1e-20")!
        let payoffs = [Rational(1, 10), 0, 0, Rational(3, 10) + tiny, Rational(2, 10), 0, 0, 0]
        let game = try NormalFormGame(actionCounts: [2, 2], exactPayoffs: payoffs)
        for concept in [EquilibriumConcept.correlated, .coarseCorrelated] {
            let result = try EquilibriumLP.solve(game: game, concept: concept, exact: true, optimalFace: true)
            #expect(result.certified, "\(result.note ?? "")")
            #expect(result.objectiveExact == Rational(3, 10) + tiny)
            #expect(result.jointExact == [0, 0, 0, 1])
            #expect(result.isUnique == true)
        }
    }

    /// Integers near 2^77 side by side (10²³ + 1 beside 10²³): the equivalent program's own
    /// double simplex called it unbounded, so GLPK's rational simplex starts from the double
    /// basis carried over (copies basic, tie rows nonbasic). The optimum 2·10²³ is attained by
    /// the pure equilibrium (1,1) (gains 0 and −1 against 10²³ + 1 and 10²³ − 1).
    @Test func largeIntegersAreSolvedExactly() throws {
        let big = Rational(exactly: "1e23")!
        let g1 = [big + 1, 0, 0, big, 0, 0, big, 0, 0]
        let g2 = [big - 1, big - 1, 0, big + 2, 0, 0, big + 2, 0, 0]
        let game = try NormalFormGame(actionCounts: [3, 3], exactPayoffs: g1 + g2)
        let result = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true)
        #expect(result.certified, "\(result.note ?? "")")
        #expect(result.objectiveExact == 2 * big)
    }
}
