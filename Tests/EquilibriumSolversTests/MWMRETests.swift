import Foundation
import Testing
import NormalFormGames
import LinearProgramming
import _EquilibriaTestSupport
@testable import EquilibriumSolvers

private func me(_ game: NormalFormGame, _ concept: EquilibriumConcept = .correlated, rho: Double,
                epsilonTarget: Double = 0, cap: Double? = nil) -> MWMREParameters {
    let n = game.playerCount
    let z = Double(game.jointActionCount).squareRoot()
    return MWMREParameters(concept: concept, epsilonTarget: Array(repeating: epsilonTarget, count: n),
                           epsilonCap: Array(repeating: cap ?? z, count: n), rho: rho)
}

private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Every player's marginal probabilities, concatenated (joint index row-major, last player fastest).
private func marginals(_ sigma: [Double], shape: [Int]) -> [Double] {
    var result: [Double] = []
    var stride = sigma.count
    for n in shape {
        stride /= n
        var m = [Double](repeating: 0, count: n)
        for (c, s) in sigma.enumerated() { m[(c / stride) % n] += s }
        result += m
    }
    return result
}

/// Every gain of σ is at most ε_p + tolerance, σ is a distribution.
private func isEquilibrium(_ game: NormalFormGame, _ concept: EquilibriumConcept, _ sigma: [Double],
                           epsilon: [Double], tolerance: Double) -> Bool {
    guard sigma.allSatisfy({ $0 >= 0 }), abs(sigma.reduce(0, +) - 1) < 1e-12 else { return false }
    let gains = game.maximumGains(concept, sigma: sigma)
    return (0..<game.playerCount).allSatisfy { gains[$0] <= epsilon[$0] + tolerance }
}

@Suite struct MWMREClosedFormTests {
    /// Chicken (G1 = [[0,7],[2,6]], G2 = G1ᵀ), max-entropy CE by hand: by symmetry σ12 = σ21 = b,
    /// σ11 = a, σ22 = c; the uniform joint violates 2a ≤ b, so b = 2a is tight and c = 1 − 5a;
    /// dH/da = 0 gives (1 − 5a)⁵ = 16a⁵, so a = 1/(5 + 16^{1/5}), and c ≤ 2b holds. Payoff scale is
    /// irrelevant at ρ = ∞ (ε̂ = 0), so the raw game is solved.
    @Test func chickenMaximumEntropy() throws {
        let game = TestGames.bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]])
        let a = 1 / (5 + pow(16, 0.2))
        let expected = [a, 2 * a, 2 * a, 1 - 5 * a]
        for method in MWMREMethod.allCases where method != .lbfgsb {
            let result = try MWMRESolver.solve(game: game, parameters: me(game, rho: .infinity), method: method)
            #expect(result.status == .optimal)
            #expect(maxDifference(result.joint, expected) < 1e-12)
            #expect(result.kktResidual <= 1e-10)
        }
    }

    /// A game whose uniform joint is a CE (Shapley's game, docs/reference.md §9): at α = 0 every gradient entry
    /// is ε(0) − E[A] ≥ 0, so α = 0 is optimal and ME is exactly uniform, at any ρ.
    @Test(arguments: [Double.infinity, 1000, 1]) func uniformEquilibriumIsTheMaximumEntropy(rho: Double) throws {
        let r = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
        let game = TestGames.bimatrix(r, (0..<3).map { i in (0..<3).map { j in r[j][i] } })
        let result = try MWMRESolver.solve(game: game, parameters: me(game, rho: rho))
        #expect(result.status == .optimal)
        #expect(maxDifference(result.joint, Array(repeating: 1.0 / 9, count: 9)) < 1e-14)
    }

    /// Matching pennies: its only CE is uniform (docs/reference.md §9-style hand fact), so ρ = ∞ must give it.
    @Test func matchingPenniesHasOneEquilibrium() throws {
        let game = TestGames.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        let result = try MWMRESolver.solve(game: game, parameters: me(game, rho: .infinity))
        #expect(maxDifference(result.joint, [0.25, 0.25, 0.25, 0.25]) < 1e-9)
    }
}

@Suite struct MWMREAccuracyTests {
    static let cases: [([Int], EquilibriumConcept, UInt64)] = [
        ([8, 8], .correlated, 1), ([8, 8], .coarseCorrelated, 2), ([4, 4, 4], .correlated, 3),
        ([4, 4, 4], .coarseCorrelated, 4), ([8, 8], .correlated, 5), ([4, 4, 4], .correlated, 6),
    ]

    /// ME, MRE and the ε̂- variants on L2-invariant games, finite ρ: KKT ≤ 1e-10 and certified gap
    /// ≤ 1e-12 (normalised units); the recovered σ is an ε(α)-equilibrium. A strict ε̂ (negative,
    /// below what the game permits) drives the duals to Σα ~ 1000, and the gap's floor in doubles
    /// is then about 1e-14·Σα: for those the bound is 1e-12 + 1e-14·Σα (see docs/decisions.md).
    @Test(arguments: 0..<6) func presetsReachTheAccuracyTarget(index: Int) throws {
        let (shape, concept, seed) = Self.cases[index]
        let game = TestGames.l2Invariant(shape, seed: seed)
        for preset in [MWMREPreset.maximumEntropy, .minimumRelativeEntropy, .approximateMaximumEntropy,
                       .approximateMinimumRelativeEntropy] {
            let parameters = try MWMREProblem(concept: concept, preset: preset, seed: seed)
                .instance(of: .init(game: game, isNormalized: true)).parameters
            let result = try MWMRESolver.solve(game: game, parameters: parameters)
            #expect(result.status == .optimal, "\(preset)")
            #expect(result.kktResidual <= 1e-10, "\(preset)")
            let gap = try #require(result.certifiedGap, "\(preset): \(result.certificateNote ?? "")")
            let dualMass = result.duals.reduce(0, +)
            #expect(gap <= 1e-12 + 1e-14 * dualMass, "\(preset)")
            if parameters.epsilonTarget.allSatisfy({ $0 >= 0 }) { #expect(gap <= 1e-12, "\(preset)") }
            #expect(isEquilibrium(game, concept, result.joint, epsilon: result.epsilon, tolerance: 1e-10))
        }
    }

    /// Strict targets in bulk: with ε̂ < 0 the optimum often starves a recommendation (its
    /// probability falls to e^{−hundreds}) and the duals of its rows run to hundreds, which once
    /// left Newton stalled on about one game in ten. Every one of these games must now reach the
    /// target: eps-ME (ε̂ ~ U(−Z, Z)) and MS (ε̂ = −Z) on 8×8 CE, eps-ME on 4×4×4 CE and CCE.
    @Test(arguments: [([8, 8], EquilibriumConcept.correlated, MWMREPreset.approximateMaximumEntropy, 40),
                      ([8, 8], .correlated, .maximumStrictness, 16),
                      ([4, 4, 4], .correlated, .approximateMaximumEntropy, 16),
                      ([4, 4, 4], .coarseCorrelated, .approximateMaximumEntropy, 16)])
    func strictTargetsConvergeInBulk(shape: [Int], concept: EquilibriumConcept, preset: MWMREPreset, count: Int) throws {
        var starved = 0
        for seed in 0..<UInt64(count) {
            let game = TestGames.l2Invariant(shape, seed: 1000 + seed)
            let parameters = try MWMREProblem(concept: concept, preset: preset, seed: seed)
                .instance(of: .init(game: game, isNormalized: true)).parameters
            let result = try MWMRESolver.solve(game: game, parameters: parameters)
            let label = "\(preset) \(shape) \(concept) seed \(seed)"
            #expect(result.status == .optimal, "\(label): \(result.message)")
            #expect(result.kktResidual <= 1e-10, "\(label)")
            let gap = try #require(result.certifiedGap, "\(label): \(result.certificateNote ?? "")")
            #expect(gap <= 1e-12 + 1e-14 * result.duals.reduce(0, +), "\(label): gap \(gap), KKT \(result.kktResidual), \(result.iterations) iterations")
            #expect(isEquilibrium(game, concept, result.joint, epsilon: result.epsilon, tolerance: 1e-10), "\(label)")
            // ε respects its bounds ε̂ ≤ ε < ε⁺ (up to rounding).
            for p in 0..<game.playerCount {
                #expect(result.epsilon[p] >= parameters.epsilonTarget[p] - 1e-12 && result.epsilon[p] < parameters.epsilonCap[p])
            }
            // Count the hard cases this test exists for: some action's marginal below 1e-9.
            if marginals(result.joint, shape: shape).contains(where: { $0 < 1e-9 }) { starved += 1 }
        }
        // The sample must contain the hard cases, or it proves nothing about them.
        if preset == .maximumStrictness || shape == [8, 8] { #expect(starved >= 3, "only \(starved) starved games") }
    }

    /// Newton from L-BFGS-B's point (the large-game path) lands on the same σ as Newton alone on
    /// strict-target games, to 1e-8.
    @Test func lbfgsbThenNewtonAgreesOnStrictTargets() throws {
        for seed in UInt64(0)..<6 {
            let game = TestGames.l2Invariant([8, 8], seed: 1000 + seed)
            let parameters = try MWMREProblem(concept: .correlated, preset: .approximateMaximumEntropy, seed: seed)
                .instance(of: .init(game: game, isNormalized: true)).parameters
            let newton = try MWMRESolver.solve(game: game, parameters: parameters, method: .newton)
            let polished = try MWMRESolver.solve(game: game, parameters: parameters, method: .lbfgsbNewton)
            #expect(newton.status == .optimal && polished.status == .optimal)
            #expect(maxDifference(newton.joint, polished.joint) <= 1e-8, "seed \(seed)")
        }
    }

    /// ρ = ∞ (facial reduction): KKT ≤ 1e-10 on the reduced problem and σ an exact-to-1e-10 equilibrium
    /// at ε̂; the gap at the recovered point is ≤ 1e-12.
    @Test(arguments: 0..<6) func infiniteRhoReachesTheAccuracyTarget(index: Int) throws {
        let (shape, concept, seed) = Self.cases[index]
        let game = TestGames.l2Invariant(shape, seed: seed)
        let result = try MWMRESolver.solve(game: game, parameters: me(game, concept, rho: .infinity))
        #expect(result.status == .optimal)
        #expect(result.kktResidual <= 1e-10)
        #expect(abs(result.rawGap) <= 1e-12)
        #expect(isEquilibrium(game, concept, result.joint, epsilon: result.epsilon, tolerance: 1e-10))
    }

    /// Newton and L-BFGS-B (a second, independent minimiser) agree on σ to 1e-8.
    @Test(arguments: 0..<4) func newtonAndLBFGSBAgree(index: Int) throws {
        let (shape, concept, seed) = Self.cases[index]
        let game = TestGames.l2Invariant(shape, seed: seed)
        let newton = try MWMRESolver.solve(game: game, parameters: me(game, concept, rho: 1000), method: .newton)
        let lbfgsb = try MWMRESolver.solve(game: game, parameters: me(game, concept, rho: 1000), method: .lbfgsb,
                                           tolerance: 1e-12)
        #expect(maxDifference(newton.joint, lbfgsb.joint) <= 1e-8)
        #expect(abs(newton.dualObjective - lbfgsb.dualObjective) <= 1e-10)
    }
}

@Suite struct MWMRELimitTests {
    /// With ρ = ∞ the welfare grows with μ toward the LP maximum, and μ = ∞ attains it (the LP value
    /// is an independent exact computation).
    @Test(arguments: [UInt64(11), 12, 13]) func largeMuTendsToTheLinearProgram(seed: UInt64) throws {
        let game = TestGames.l2Invariant([4, 4], seed: seed)
        let lp = try EquilibriumLP.solve(game: game, concept: .correlated)
        let best = try #require(lp.objective)
        var previous = -Double.infinity
        for mu in [0.1, 1, 10, 100] {
            var p = me(game, rho: .infinity)
            p.welfare = game.welfare
            p.mu = mu
            let result = try MWMRESolver.solve(game: game, parameters: p)
            let welfare = zip(result.joint, game.welfare).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(welfare >= previous - 1e-9)
            #expect(welfare <= best + 1e-9)
            previous = welfare
        }
        #expect(best - previous < 0.05)
        var p = me(game, rho: .infinity)
        p.welfare = game.welfare
        p.mu = .infinity
        let limit = try MWMRESolver.solve(game: game, parameters: p)
        let welfare = zip(limit.joint, game.welfare).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(welfare - best) <= 1e-9)
    }

    /// ρ large pins ε to ε̂; ρ = ∞ pins it exactly.
    @Test func largeRhoPinsEpsilon() throws {
        let game = TestGames.l2Invariant([5, 5], seed: 21)
        var distances: [Double] = []
        for rho in [1e2, 1e4, 1e6] {
            let result = try MWMRESolver.solve(game: game, parameters: me(game, rho: rho))
            #expect(result.status == .optimal)
            distances.append(result.epsilon.map(abs).max()!)
        }
        #expect(distances[0] > distances[1] && distances[1] > distances[2])
        #expect(distances[2] < 1e-3)
    }

    /// ρ → 0: the penalty vanishes and σ solves the problem with gains capped at ε⁺, i.e. the
    /// ρ = ∞ problem at ε̂ = ε⁺ (closure of the cap); ε_p → max(ε̂_p, largest gain of p).
    @Test func smallRhoGivesTheCappedSolution() throws {
        let game = TestGames.l2Invariant([4, 4], seed: 31)
        let cap = 0.05
        let small = try MWMRESolver.solve(game: game, parameters: me(game, rho: 1e-8, cap: cap))
        let capped = try MWMRESolver.solve(game: game, parameters: me(game, rho: .infinity, epsilonTarget: cap,
                                                                       cap: cap + 1))
        #expect(small.status == .optimal && capped.status == .optimal)
        #expect(maxDifference(small.joint, capped.joint) < 1e-5)
        let gains = game.maximumGains(.correlated, sigma: small.joint)
        for p in 0..<2 { #expect(abs(small.epsilon[p] - max(0, gains[p])) < 1e-5) }
    }

    /// The facial-reduction solution at ρ = ∞ is the limit of finite ρ: the distance shrinks as ρ
    /// grows (on games where the equilibrium set has no full-support point too: seed 41 has 12 of
    /// 16 joint actions that no CE plays, and finite ρ converges only slowly — 0.09 apart at 1e7).
    @Test(arguments: [UInt64(41), 42]) func finiteRhoConvergesToTheInfiniteLimit(seed: UInt64) throws {
        let game = TestGames.l2Invariant([4, 4], seed: seed)
        let limit = try MWMRESolver.solve(game: game, parameters: me(game, rho: .infinity))
        var distances: [Double] = []
        for rho in [1e1, 1e3, 1e5, 1e7, 1e9, 1e11] {
            let result = try MWMRESolver.solve(game: game, parameters: me(game, rho: rho))
            #expect(result.status == .optimal)
            distances.append(maxDifference(result.joint, limit.joint))
        }
        for k in 1..<distances.count { #expect(distances[k] <= distances[k - 1] + 1e-12) }
        #expect(distances.last! < 1e-3)
    }

    /// Relabelling players and actions relabels σ (the solution is unique: strictly convex primal).
    @Test(arguments: [Double(1000), .infinity]) func permutationEquivariance(rho: Double) throws {
        let game = TestGames.l2Invariant([3, 4, 2], seed: 51)
        let base = try MWMRESolver.solve(game: game, parameters: me(game, rho: rho))
        let order = [2, 0, 1]
        let permuted = game.permutingPlayers(order)
        let result = try MWMRESolver.solve(game: permuted, parameters: me(permuted, rho: rho))
        for newIndex in 0..<permuted.jointActionCount {
            let actions = permuted.actions(ofJointIndex: newIndex)
            var old = [0, 0, 0]
            for i in 0..<3 { old[order[i]] = actions[i] }
            #expect(abs(result.joint[newIndex] - base.joint[game.jointIndex(old)]) < 1e-9)
        }
        let relabelled = game.permutingActions(of: 1, [3, 1, 0, 2])
        let other = try MWMRESolver.solve(game: relabelled, parameters: me(relabelled, rho: rho))
        for newIndex in 0..<relabelled.jointActionCount {
            var actions = relabelled.actions(ofJointIndex: newIndex)
            actions[1] = [3, 1, 0, 2][actions[1]]
            #expect(abs(other.joint[newIndex] - base.joint[game.jointIndex(actions)]) < 1e-9)
        }
    }

    /// A welfare weight that makes the starting σ a point mass (covariance zero): Table 5 (b),
    /// CCE, μ = 100, ρ = ∞. Newton must still converge (it once stalled on the zero Hessian), and
    /// agree with L-BFGS-B polished by Newton.
    @Test func pointMassStart() throws {
        let game = TableFive.cceGame
        let p = MWMREParameters(concept: .coarseCorrelated, epsilonTarget: [0, 0], epsilonCap: [1, 1],
                                welfare: game.welfare, mu: 100, rho: .infinity)
        let newton = try MWMRESolver.solve(game: game, parameters: p)
        #expect(newton.status == .optimal)
        let other = try MWMRESolver.solve(game: game, parameters: p, method: .lbfgsbNewton)
        #expect(maxDifference(newton.joint, other.joint) < 1e-9)
        #expect(isEquilibrium(game, .coarseCorrelated, newton.joint, epsilon: [0, 0], tolerance: 1e-10))
    }

    /// Extreme inputs finish without NaN and with an honest status.
    @Test func extremeInputs() throws {
        let game = TestGames.l2Invariant([4, 4], seed: 61)
        let z = 4.0
        var cases: [(String, NormalFormGame, MWMREParameters)] = []
        var p = me(game, rho: 1000)
        p.welfare = game.welfare
        p.mu = 1e6
        cases.append(("mu 1e6", game, p))
        cases.append(("rho 1e-8", game, me(game, rho: 1e-8)))
        cases.append(("rho 1e8", game, me(game, rho: 1e8)))
        cases.append(("eps -Z", game, me(game, rho: 1000, epsilonTarget: -z)))
        cases.append(("eps -Z, rho inf", game, me(game, rho: .infinity, epsilonTarget: -z)))
        let huge = try NormalFormGame(actionCounts: [4, 4], payoffs: game.payoffs.map { $0 * 1e6 })
        cases.append(("payoffs 1e6", huge, me(huge, rho: 1000, cap: 4e6)))
        for (name, g, parameters) in cases {
            let result = try MWMRESolver.solve(game: g, parameters: parameters)
            #expect(!result.joint.contains { $0.isNaN }, "\(name)")
            #expect(!result.epsilon.contains { $0.isNaN }, "\(name)")
            #expect(!result.dualObjective.isNaN && !result.kktResidual.isNaN, "\(name)")
            if result.status == .optimal {
                #expect(result.kktResidual <= 1e-10 * max(1, g.payoffs.map(abs).max()!), "\(name)")
                #expect(isEquilibrium(g, .correlated, result.joint, epsilon: result.epsilon,
                                      tolerance: 1e-9 * max(1, g.payoffs.map(abs).max()!)), "\(name)")
            } else {
                #expect(!result.message.isEmpty, "\(name)")
            }
        }
        // ε̂ = −Z hard is infeasible for this game (checked independently by the LP's minimum ε).
        let minimum = try EquilibriumLP.solve(game: game, concept: .correlated,
                                              selection: .minimumEpsilon(perPlayer: false))
        let strict = try MWMRESolver.solve(game: game, parameters: me(game, rho: .infinity, epsilonTarget: -z))
        #expect((minimum.epsilon[0] > -z) == (strict.status == .infeasible))
    }
}
