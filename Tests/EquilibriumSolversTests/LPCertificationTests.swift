import Testing
import Foundation
import GameGenerators
import NormalFormGames
import LinearProgramming
import _EquilibriaTestSupport
@testable import EquilibriumSolvers

/// `certify`: the double-precision answer proven by floating-point enclosures (exact arithmetic
/// only where they cannot decide), checked against the exact solve of the same request.
@Suite struct LPCertificationTests {
    private static let selections: [(String, LinearSelection)] = [
        ("welfare", .maximumWelfare), ("min-epsilon", .minimumEpsilon(perPlayer: false)),
        ("min-epsilon per player", .minimumEpsilon(perPlayer: true)), ("probability", .maximumProbability(jointIndex: 1)),
        ("linear", .linear(coefficients: [], maximize: false)),
    ]

    /// Seeded games of several shapes, kinds (random doubles, small integers — degenerate —,
    /// decimals read exactly, L2) and scales 1e-300 … 1e300, both concepts, every selection:
    /// every answer is certified, and the exact optimum lies within the certified bounds.
    @Test(arguments: 0..<24)
    func certifiedBoundsContainTheExactOptimum(seed: Int) throws {
        let shapes: [[Int]] = [[2, 2], [3, 3], [4, 3], [2, 2, 2], [3, 2, 2], [5, 5]]
        let shape = shapes[seed % shapes.count]
        var game: NormalFormGame
        switch seed % 4 {
        case 0: game = TestGames.uniform(shape, seed: UInt64(seed))
        case 1: game = TestGames.integer(shape, range: -2...2, seed: UInt64(seed))
        case 2: game = TestGames.decimal(shape, seed: UInt64(seed))
        default: game = TestGames.l2Invariant(shape, seed: UInt64(seed))
        }
        if seed % 4 != 2 {
            let exponent = [-996, -300, 0, 300, 990][seed % 5]
            game = try NormalFormGame(actionCounts: shape, payoffs: game.payoffs.map { scalbn($0, exponent) })
        }
        let concept: EquilibriumConcept = seed % 3 == 0 ? .coarseCorrelated : .correlated
        var (name, selection) = Self.selections[seed % Self.selections.count]
        if case .linear = selection {
            selection = .linear(coefficients: (0..<game.jointActionCount).map { Rational(($0 * 7 + seed) % 5 - 2) },
                                maximize: false)
        }
        let epsilon = seed % 5 == 4 ? game.payoffs.prefix(game.playerCount).map { _ in Rational(0) } : nil
        let result = try EquilibriumLP.solve(game: game, concept: concept, selection: selection, epsilon: epsilon,
                                             certify: true)
        let label = "seed \(seed) \(shape) \(name) \(concept)"
        try #require(result.status == .optimal, "\(label): \(result.note ?? "")")
        let certification = try #require(result.certification)
        #expect(result.certified && certification.certified, "\(label): \(certification.reason ?? "")")
        let exact = try EquilibriumLP.solve(game: game, concept: concept, selection: selection, epsilon: epsilon,
                                            exact: true, optimalFace: true, exactTimeLimit: .seconds(60))
        guard exact.certified, let value = exact.objectiveExact else { return }
        let lower = try #require(certification.objectiveLower), upper = try #require(certification.objectiveUpper)
        #expect(Rational(lower) <= value && value <= Rational(upper), "\(label): \(value.doubleValue) ∉ [\(lower), \(upper)]")
        let shown = try #require(result.objective)
        #expect(lower <= shown && shown <= upper, "\(label): the objective shown, \(shown), ∉ [\(lower), \(upper)]")
        if exact.isUnique == true, let sigma = exact.jointExact, let error = certification.jointError {
            for a in sigma.indices {
                #expect((Rational(result.joint[a]) - sigma[a]).magnitude <= Rational(error), "\(label): σ(\(a))")
            }
        }
        if certification.provesUnique { #expect(exact.isUnique != false, "\(label): proven unique, exactly not") }
    }

    /// Decimals that differ beyond the doubles (0.1 and 0.1 + 10⁻²²): the double program is not
    /// the exact one, and its optimum may be far from the exact optimum. By hand: in the 2×2 game
    /// below, the column player strictly prefers column 2 after row 1 (by 10⁻²²), so σ(1,1) = 0 in
    /// every exact CE, while the doubles allow σ(1,1) = 1. The certified answer is the exact
    /// optimum (its objective and σ those of the exact solve), never the double one with bounds
    /// that contradict it; seeded games with such perturbations keep every shown number inside
    /// its certified bounds.
    @Test func decimalsBeyondTheDoublesGetTheExactAnswer() throws {
        let tiny = try #require(Rational(exactly: "0.1000000000000000000001"))
        let tenth = Rational(1, 10)
        let game = try NormalFormGame(actionCounts: [2, 2], exactPayoffs: [tenth, tiny, 0, 0, tenth, tiny, 0, 0])
        let double = try EquilibriumLP.solve(game: game, concept: .correlated, selection: .maximumProbability(jointIndex: 0))
        #expect(double.objective == 1, "the doubles allow σ(1,1) = 1")
        let certified = try EquilibriumLP.solve(game: game, concept: .correlated,
                                                selection: .maximumProbability(jointIndex: 0), optimalFace: true,
                                                certify: true)
        let certification = try #require(certified.certification)
        #expect(certified.certified && certification.method == "exact simplex")
        #expect(certified.objective == 0 && certified.joint == [0, 1, 0, 0], "\(certified.joint)")
        #expect(certification.objectiveLower == 0 && certification.objectiveUpper == 0 && certification.jointError == 0)
        #expect(certified.isUnique == true && certification.provesUnique)
        #expect(certification.rangeBounds?.compactMap { $0 } == [LPRangeBound(lower: 0, upper: 0), LPRangeBound(lower: 1, upper: 1),
                                                                 LPRangeBound(lower: 0, upper: 0), LPRangeBound(lower: 0, upper: 0)])
        var methods: [String: Int] = [:]
        for seed in 0..<16 {
            let shape = [[2, 2], [3, 3], [2, 2, 2], [3, 2]][seed % 4]
            // Small integers tie often; perturbed by ±10⁻²⁵, the ties break only exactly.
            let base = seed % 2 == 0 ? TestGames.decimal(shape, seed: UInt64(100 + seed))
                : TestGames.integer(shape, range: -1...1, seed: UInt64(100 + seed))
            var random = SplitMix64(seed: UInt64(seed))
            let step = try #require(Rational(exactly: "1e-25"))
            let exactPayoffs = base.rationalPayoffs.map { r in
                let u = random.nextUnit()
                return u < 0.2 ? r + step : u < 0.4 ? r - step : r
            }
            let perturbed = try NormalFormGame(actionCounts: shape, exactPayoffs: exactPayoffs)
            for (name, selection) in Self.selections.prefix(4) {
                let label = "seed \(seed) \(shape) \(name)"
                let r = try EquilibriumLP.solve(game: perturbed, concept: .correlated, selection: selection,
                                                optimalFace: true, exactTimeLimit: .seconds(60), certify: true)
                let exact = try EquilibriumLP.solve(game: perturbed, concept: .correlated, selection: selection,
                                                    exact: true, optimalFace: true, exactTimeLimit: .seconds(60))
                guard r.status == .optimal, exact.certified, let value = exact.objectiveExact else {
                    Issue.record("\(label): \(r.status) \(r.note ?? "") / exact \(exact.status) \(exact.certified) \(exact.note ?? "") \(exact.faceNote ?? "") \(exactPayoffs.map(\.description))"); continue
                }
                let c = try #require(r.certification)
                methods[c.method, default: 0] += 1
                #expect(r.certified, "\(label): \(c.reason ?? "")")
                let lower = try #require(c.objectiveLower), upper = try #require(c.objectiveUpper)
                #expect(Rational(lower) <= value && value <= Rational(upper), "\(label)")
                #expect(lower <= r.objective! && r.objective! <= upper, "\(label): \(r.objective!) ∉ [\(lower), \(upper)]")
                if exact.isUnique == true, let sigma = exact.jointExact, let error = c.jointError {
                    #expect(sigma.indices.allSatisfy { (Rational(r.joint[$0]) - sigma[$0]).magnitude <= Rational(error) },
                            "\(label): σ")
                }
                if r.isUnique == true { #expect(exact.isUnique == true, "\(label): shown unique, exactly not") }
            }
        }
        // The perturbations reach the exact paths, not only the enclosure.
        #expect(methods["exact simplex", default: 0] > 0 && methods["exact basis", default: 0] > 0, "\(methods)")
        print("decimals beyond the doubles, certificates by method: \(methods)")
    }

    /// L2 8×8 games: certified by the enclosure alone in most games (the exact fallback is the
    /// exception), with bounds a few ulps wide.
    @Test func l2GamesAreMostlyCertifiedInFloatingPoint() throws {
        var enclosure = 0
        for seed in 0..<20 {
            let game = TestGames.l2Invariant([8, 8], seed: UInt64(seed))
            let result = try EquilibriumLP.solve(game: game, concept: .correlated, certify: true)
            let certification = try #require(result.certification)
            #expect(certification.certified, "\(seed): \(certification.reason ?? "")")
            if certification.method == "floating-point enclosure" {
                enclosure += 1
                #expect(certification.objectiveUpper! - certification.objectiveLower! < 1e-12)
                #expect(certification.jointError! < 1e-12)
            }
        }
        #expect(enclosure >= 14)
    }

    /// In these L2 16×16 games (the generator's games 98, 131 and 153 at seed 1, as `batch`
    /// makes them) GLPK's basis misses a CE row by about 1e-10, within its tolerance: the proof
    /// refutes it. The dual simplex then continues from it at the polishing tolerance, and the
    /// new basis is proven in floating point, without a rational simplex. Its bounds contain the
    /// exact optimum, and its σ is within the bound of the exact σ*.
    @Test(arguments: [98, 131, 153])
    func refutedBasesArePolishedThenProven(index: Int) throws {
        let request = GenerationRequest(distribution: .invariant(.l2), actionCounts: [16, 16], seed: 1)
        let game = try NormalFormGame(actionCounts: [16, 16], payoffs: request.game(at: index).payoffs)
        let scaled = ScaledRequest(game: game, concept: .correlated, selection: .maximumWelfare,
                                   epsilon: [.zero, .zero], support: nil)
        let program = scaled.doubleProgram()
        let plain = scaled.solveInDoubles(optimalFace: nil, options: SimplexOptions(), program: program)
        let radii = scaled.dataRadii(program, roundedPayoffs: false)
        #expect(program.verify(basis: try #require(plain.basis), radii: radii).verdict == .rejected,
                "the case needs a refuted double basis")
        let result = try EquilibriumLP.solve(game: game, concept: .correlated, certify: true)
        let certification = try #require(result.certification)
        #expect(certification.certified && certification.method == "floating-point enclosure")
        #expect(result.basis != plain.basis)
        #expect(result.maximumViolation <= plain.maximumViolation)
        #expect(result.iterations > plain.iterations)
        let exact = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true)
        // The exact path polishes the same way before any rational simplex.
        #expect(exact.certified && exact.method == "simplex", "\(exact.method ?? "")")
        let value = try #require(exact.objectiveExact), sigma = try #require(exact.jointExact)
        #expect(Rational(certification.objectiveLower!) <= value && value <= Rational(certification.objectiveUpper!))
        let error = Rational(try #require(certification.jointError))
        for a in 0..<game.jointActionCount { #expect((Rational(result.joint[a]) - sigma[a]).magnitude <= error) }
    }

    /// `certify` with `exact` is refused; an infeasible request keeps its Farkas proof.
    @Test func optionsAreHonouredOrRefused() throws {
        let game = TestGames.bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]])
        #expect(throws: EquilibriumLPError.self) {
            _ = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true, certify: true)
        }
        let plain = try EquilibriumLP.solve(game: game, concept: .correlated)
        #expect(plain.certification == nil && !plain.certified)
        let infeasible = try EquilibriumLP.solve(game: game, concept: .correlated, epsilon: [Rational(-3), Rational(-3)],
                                                 certify: true)
        #expect(infeasible.status == .infeasible)
        #expect(infeasible.certification?.certified == true)
    }

    /// Rigorous range bounds on games whose optimum is not unique (small integers tie
    /// everywhere; the first seeded game with a non-unique optimum; scaled to 1e-300 … 1e300
    /// too): every bound contains the exact range of the exact solve's optimal face, and lies
    /// within 1e-9 of it.
    @Test(arguments: 0..<16)
    func rangeBoundsContainTheExactRanges(seed: Int) throws {
        let shapes: [[Int]] = [[2, 2], [3, 3], [2, 3], [2, 2, 2]]
        let shape = shapes[seed % shapes.count]
        let concept: EquilibriumConcept = seed % 3 == 0 ? .coarseCorrelated : .correlated
        var found: (NormalFormGame, LinearSelection, EquilibriumLPResult)? = nil
        for attempt in 0..<40 where found == nil {
            var game = TestGames.integer(shape, range: -1...1, seed: UInt64(100 * seed + attempt))
            if seed >= 8 {
                let exponent = [-300, 300, -20, 40][seed % 4]
                game = try NormalFormGame(actionCounts: shape, payoffs: game.payoffs.map { scalbn($0, exponent) })
            }
            let selection: LinearSelection = seed % 2 == 0 ? .maximumWelfare
                : .linear(coefficients: (0..<game.jointActionCount).map { Rational(($0 * 5 + seed) % 3 - 1) }, maximize: false)
            let exact = try EquilibriumLP.solve(game: game, concept: concept, selection: selection, exact: true,
                                                optimalFace: true, faceRanges: .all)
            if exact.isUnique == false, exact.rangesExact != nil { found = (game, selection, exact) }
        }
        let (game, selection, exact) = try #require(found, "no seeded game with a non-unique optimum")
        let label = "seed \(seed) \(shape) \(concept)"
        let certified = try EquilibriumLP.solve(game: game, concept: concept, selection: selection, optimalFace: true,
                                                faceRanges: .all, certify: true)
        #expect(certified.certified, "\(label): \(certified.certification?.reason ?? "")")
        let ranges = try #require(exact.rangesExact)
        #expect(ranges.contains { $0.maximum > $0.minimum }, "\(label): no range to bound")
        let bounds = try #require(certified.certification?.rangeBounds, "\(label): \(certified.certification?.rangeNote ?? "")")
        #expect(certified.certification?.rangeNote == nil, "\(label): \(certified.certification?.rangeNote ?? "")")
        // The bounds come from the analysis's own multipliers (FaceRangeBounds), an LP of their
        // own only for a few.
        let relaxedLPs = try #require(certified.certification).relaxedLPs
        #expect(relaxedLPs <= game.jointActionCount / 2, "\(label): \(relaxedLPs) LPs of their own")
        // The same request without the multipliers of the analysis: every bound from an LP over
        // the relaxed face of its own.
        let scaled = ScaledRequest(game: game, concept: concept, selection: selection,
                                   epsilon: Array(repeating: .zero, count: game.playerCount), support: nil)
        let program = scaled.doubleProgram()
        let face = FaceRequest(ranges: .all, progress: nil)
        var alone = scaled.solveInDoubles(optimalFace: face, options: SimplexOptions(), program: program)
        scaled.certify(&alone, program: program, face: face, options: SimplexOptions(),
                       deadline: ContinuousClock.now + .seconds(10))
        let boundsAlone = try #require(alone.certification?.rangeBounds)
        #expect(alone.certification!.relaxedLPs > 0, "\(label): the LPs of their own ran")
        for (a, range) in ranges.enumerated() {
            for (way, all) in [("multipliers", bounds), ("LPs", boundsAlone)] {
                let bound = try #require(all[a], "\(label) joint action \(a), \(way)")
                #expect(Rational(bound.lower) <= range.minimum && range.maximum <= Rational(bound.upper), "\(label) a \(a), \(way)")
                #expect((range.minimum - Rational(bound.lower)).doubleValue <= 1e-9
                        && (Rational(bound.upper) - range.maximum).doubleValue <= 1e-9,
                        "\(label) a \(a), \(way): \(bound) vs \(range)")
            }
        }
    }

    /// The bounds from multipliers hold whatever the multipliers: GLPK's optimum of seeded games
    /// with a non-unique optimum, and for every joint action multipliers that are zero, GLPK's,
    /// perturbed, sign-flipped or random. Every bound lies above the exact maximum of σ_a over
    /// the optimal face (and −bound below the minimum), with the objective row at the certified
    /// lower end of the optimum.
    @Test(arguments: 0..<6)
    func rangeBoundsFromAnyMultipliersHold(seed: Int) throws {
        let shape = [[2, 2], [3, 3], [2, 2, 2]][seed % 3]
        var found: (NormalFormGame, EquilibriumLPResult)? = nil
        for attempt in 0..<40 where found == nil {
            let game = TestGames.integer(shape, range: -1...1, seed: UInt64(700 + 40 * seed + attempt))
            let exact = try EquilibriumLP.solve(game: game, concept: .correlated, exact: true, optimalFace: true,
                                                faceRanges: .all)
            if exact.isUnique == false, exact.rangesExact != nil { found = (game, exact) }
        }
        let (game, exact) = try #require(found)
        let ranges = try #require(exact.rangesExact)
        let request = ScaledRequest(game: game, concept: .correlated, selection: .maximumWelfare,
                                    epsilon: Array(repeating: .zero, count: game.playerCount), support: nil)
        let program = request.doubleProgram()
        let solution = try program.solve(options: SimplexOptions())
        let radii = request.dataRadii(program, roundedPayoffs: false)
        let collector = FaceRangeBounds(program: program, radii: radii, solution: solution, joint: game.jointActionCount)
        // The optimum in the program's units, from below: the program's objective is the game's
        // welfare scaled by an exact power of two and shifted by an exact constant, so its own
        // optimum, re-solved exactly, is the side.
        let exactProgram = request.rationalProgram()
        let exactSolution = try exactProgram.solveExactly(options: SimplexOptions(), timeLimit: .seconds(60))
        let side = try #require(exactSolution.objectiveValue).enclosingDoubles.lower
        var random = SplitMix64(seed: UInt64(seed))
        for a in 0..<game.jointActionCount {
            var unit = [Double](repeating: 0, count: program.columnCount)
            unit[a] = 1
            let rows = program.rowCount
            let choices: [[Double]] = [
                Array(repeating: 0, count: rows), solution.rowDuals, solution.rowDuals.map { -$0 },
                solution.rowDuals.map { $0 * (1 + 0.01 * (random.nextUnit() - 0.5)) },
                (0..<rows).map { _ in 4 * random.nextUnit() - 2 },
            ]
            for duals in choices {
                collector.record(objective: unit, maximize: true, rowDuals: duals)
                collector.record(objective: unit, maximize: false, rowDuals: duals)
            }
            #expect(collector.upper[a].count >= choices.count && collector.lower[a].count >= choices.count)
            if let high = FaceRangeBounds.bound(collector.upper[a], side: side) {
                #expect(ranges[a].maximum <= Rational(high), "seed \(seed) a \(a): \(high) < \(ranges[a].maximum.doubleValue)")
            }
            if let negativeLow = FaceRangeBounds.bound(collector.lower[a], side: side) {
                #expect(Rational(-negativeLow) <= ranges[a].minimum, "seed \(seed) a \(a)")
            }
        }
    }

    /// The minimum-ε selections say their ranges are not certified instead of bounding them: on
    /// a game whose minimum-ε optimum is not unique (the column player's third action strictly
    /// dominant, the row player indifferent: every split of (1,3) and (2,3) has ε = 0, by hand).
    @Test func minimumEpsilonRangesSayWhy() throws {
        let game = TestGames.bimatrix([[1, 1, 0], [1, 1, 0]], [[0, 0, 1], [0, 0, 1]])
        let result = try EquilibriumLP.solve(game: game, concept: .correlated, selection: .minimumEpsilon(perPlayer: false),
                                             optimalFace: true, faceRanges: .all, certify: true)
        #expect(result.isUnique == false && result.ranges != nil)
        #expect(result.certification?.rangeBounds == nil)
        #expect(result.certification?.rangeNote?.contains("not certified") == true)
    }

}
