import Foundation
import Testing
import NormalFormGames
import _EquilibriaTestSupport
@testable import EquilibriumSolvers

/// The rigorous KL bound of soft MWMRE answers (``MWMREResult/klBound``).
@Suite struct RigorousKLBoundTests {
    static let presets: [MWMREPreset] = [.maximumEntropy, .minimumRelativeEntropy, .maximumWelfareMaximumEntropy,
                                         .maximumStrictness, .approximateMaximumEntropy,
                                         .approximateMaximumWelfareMaximumEntropy, .approximateMinimumRelativeEntropy]

    static func kl(_ p: [Double], _ q: [Double]) -> Double {
        zip(p, q).reduce(0) { $0 + ($1.0 > 0 ? $1.0 * log($1.0 / $1.1) : 0) }
    }

    /// Every finite-ρ preset on seeded games of several shapes and both concepts: the bound
    /// exists, is at least the floating-point certified gap less its rounding, and is at least the
    /// KL divergence from a solve 100× tighter (an independent reference for σ*). σ is within the
    /// joint error of σ(α).
    @Test(arguments: 0..<6)
    func boundsHoldAcrossPresetsAndShapes(index: Int) throws {
        let cases: [([Int], EquilibriumConcept)] = [([2, 2], .correlated), ([3, 3], .coarseCorrelated), ([2, 2, 2], .correlated),
                                                    ([4, 3], .correlated), ([3, 3, 2], .coarseCorrelated), ([8, 8], .correlated)]
        let (shape, concept) = cases[index]
        let game = TestGames.l2Invariant(shape, seed: UInt64(index) + 31)
        for preset in Self.presets {
            let parameters = try MWMREProblem(concept: concept, preset: preset, seed: UInt64(index), samplesMissingWelfare: true)
                .instance(of: .init(game: game, isNormalized: true)).parameters
            let result = try MWMRESolver.solve(game: game, parameters: parameters)
            let label = "\(shape) \(concept) \(preset)"
            let bound = try #require(result.klBound, "\(label): \(result.klBoundNote ?? "")")
            let gap = try #require(result.certifiedGap, "\(label)")
            #expect(bound >= gap - 1e-13, "\(label): bound \(bound) below the gap \(gap)")
            // Its width is the logits' rounding, ~ u·Σα·|A| per row, times Σα (docs/mathematics.md).
            let mass = result.duals.reduce(0, +)
            #expect(bound <= 100 * gap + 1e-11 * (1 + mass), "\(label): bound \(bound) far above the gap \(gap), Σα \(mass)")
            let tight = try MWMRESolver.solve(game: game, parameters: parameters, tolerance: 1e-13)
            #expect(Self.kl(result.joint, tight.joint) <= bound + 1e-13, "\(label)")
            #expect(try #require(result.klJointError) <= 1e-12, "\(label)")
        }
    }

    /// A loose solve stops far from σ*: its bound must still cover KL(σ‖σ*), which is now
    /// large enough to measure against a tight reference; and it is not absurdly loose.
    @Test(arguments: [MWMREPreset.maximumEntropy, .approximateMaximumEntropy, .approximateMaximumWelfareMaximumEntropy])
    func looseAnswersAreBoundedNotHidden(preset: MWMREPreset) throws {
        let game = TestGames.l2Invariant([4, 4], seed: 5)
        let parameters = try MWMREProblem(concept: .correlated, preset: preset, seed: 5, samplesMissingWelfare: true)
            .instance(of: .init(game: game, isNormalized: true)).parameters
        let loose = try MWMRESolver.solve(game: game, parameters: parameters, method: .lbfgsb, tolerance: 1e-3)
        let tight = try MWMRESolver.solve(game: game, parameters: parameters, tolerance: 1e-13)
        let bound = try #require(loose.klBound, "\(loose.klBoundNote ?? "")")
        let divergence = Self.kl(loose.joint, tight.joint)
        #expect(divergence > 1e-12, "the loose solve is not loose")
        #expect(divergence <= bound, "KL \(divergence) above the bound \(bound)")
    }

    /// Scales from 1e-300 to 1e300 (raw units, ρ scaled with the payoffs: the solver rescales by
    /// a power of two, exactly): the bound exists and is small.
    @Test(arguments: [-300, -150, -20, 0, 20, 150, 300])
    func boundsAtEveryScale(exponent: Int) throws {
        let base = TestGames.l2Invariant([3, 3], seed: 2)
        let factor = pow(10, Double(exponent))
        let game = try NormalFormGame(actionCounts: [3, 3], payoffs: base.payoffs.map { $0 * factor })
        let parameters = try MWMREProblem(concept: .correlated, preset: .maximumEntropy, units: .raw, rho: 10 / factor, seed: 2)
            .instance(of: .init(game: game)).parameters
        let result = try MWMRESolver.solve(game: game, parameters: parameters)
        let bound = try #require(result.klBound, "10^\(exponent): \(result.klBoundNote ?? "")")
        #expect(bound <= 1e-10, "10^\(exponent): \(bound)")
    }

    /// Hard problems (ρ = ∞) on seeded games of several shapes, both concepts, and the presets
    /// with their ε̂ (eps-ME's sampled, MS's −Z, which is mostly infeasible): every optimal answer
    /// has a bound (with equalities left by the facial reduction too, for a feasible σ̃ next to
    /// σ), it covers KL(σ‖σ*) against a solve 1000× tighter, and it is small.
    @Test(arguments: 0..<6)
    func hardProblemsAreBounded(index: Int) throws {
        let cases: [([Int], EquilibriumConcept)] = [([2, 2], .correlated), ([3, 3], .coarseCorrelated), ([2, 2, 2], .correlated),
                                                    ([4, 3], .correlated), ([3, 3, 2], .coarseCorrelated), ([6, 6], .correlated)]
        let (shape, concept) = cases[index]
        var bounded = 0, withEqualities = 0
        for seed in 0..<4 {
            let game = TestGames.l2Invariant(shape, seed: UInt64(100 * index + seed))
            for preset in Self.presets {
                var parameters = try MWMREProblem(concept: concept, preset: preset, seed: UInt64(seed), samplesMissingWelfare: true)
                    .instance(of: .init(game: game, isNormalized: true)).parameters
                parameters.rho = .infinity
                let result = try MWMRESolver.solve(game: game, parameters: parameters)
                let label = "\(shape) \(concept) seed \(seed) \(preset)"
                guard result.status == .optimal else {
                    #expect(result.status == .infeasible, "\(label): \(result.message)")
                    continue
                }
                let bound = try #require(result.klBound, "\(label): \(result.klBoundNote ?? "")")
                bounded += 1
                if result.equalityRows > 0 { withEqualities += 1 }
                let mass = result.duals.reduce(0) { $0 + abs($1) }
                #expect(bound <= 1e-9 * (1 + mass), "\(label): bound \(bound), Σα \(mass)")
                let tight = try MWMRESolver.solve(game: game, parameters: parameters, tolerance: 1e-13)
                #expect(Self.kl(result.joint, tight.joint) <= bound + 1e-12, "\(label)")
                #expect(try #require(result.klJointError) <= 1e-12, "\(label)")
            }
        }
        #expect(bounded >= 8, "only \(bounded) bounded answers: the test would prove little")
        if index == 3 { #expect(withEqualities > 0, "no case with equality rows: their bound is not tested here") }
    }

    /// Chicken's max-entropy CE in closed form (σ = (a, 2a, 2a, 1 − 5a), a = 1/(5 + 16^{1/5}),
    /// by hand in MWMRETests): the bound covers the divergence from the true optimum.
    @Test func hardBoundCoversTheClosedForm() throws {
        let game = TestGames.bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]])
        let a = 1 / (5 + pow(16, 0.2))
        let exact = [a, 2 * a, 2 * a, 1 - 5 * a]
        let parameters = MWMREParameters(concept: .correlated, epsilonTarget: [0, 0], epsilonCap: [2, 2], rho: .infinity)
        for tolerance in [1e-10, 1e-4, 1e-2] {
            let result = try MWMRESolver.solve(game: game, parameters: parameters, method: .lbfgsb, tolerance: tolerance)
            let bound = try #require(result.klBound, "\(tolerance): \(result.klBoundNote ?? "")")
            #expect(Self.kl(result.joint, exact) <= bound * (1 + 1e-9) + 1e-15, "tolerance \(tolerance): bound \(bound)")
        }
    }

    /// A loose hard solve stops at a σ(α) that violates the constraints: the bound must still
    /// cover KL(σ‖σ*), now large enough to measure, and not be absurd.
    @Test(arguments: [MWMREPreset.maximumEntropy, .minimumRelativeEntropy, .maximumWelfareMaximumEntropy])
    func looseHardAnswersAreBounded(preset: MWMREPreset) throws {
        // The first seeded game whose reduction leaves no equality (most do not).
        var found: (NormalFormGame, MWMREParameters, MWMREResult)? = nil
        for seed in UInt64(6)..<40 where found == nil {
            let game = TestGames.l2Invariant([4, 4], seed: seed)
            var parameters = try MWMREProblem(concept: .correlated, preset: preset, seed: seed, samplesMissingWelfare: true)
                .instance(of: .init(game: game, isNormalized: true)).parameters
            parameters.rho = .infinity
            let tight = try MWMRESolver.solve(game: game, parameters: parameters, tolerance: 1e-13)
            if tight.status == .optimal && tight.equalityRows == 0 { found = (game, parameters, tight) }
        }
        let (game, parameters, tight) = try #require(found)
        let loose = try MWMRESolver.solve(game: game, parameters: parameters, method: .lbfgsb, tolerance: 1e-2)
        let bound = try #require(loose.klBound, "\(loose.klBoundNote ?? "")")
        let divergence = Self.kl(loose.joint, tight.joint)
        #expect(loose.maximumViolation > 1e-8, "the loose solve meets the constraints: the violation term is not tested")
        #expect(divergence > 1e-10, "the loose solve is not loose")
        #expect(divergence <= bound && bound < 10, "KL \(divergence), bound \(bound)")
    }

    /// Without a proof of the facial reduction (doubles only) there is no bound, and the note
    /// says why; μ = ∞ (the max-welfare face, from exact multipliers, its rows equalities) has one.
    @Test func unprovenReductionsSayWhy() throws {
        let game = TestGames.l2Invariant([3, 3], seed: 4)
        var parameters = try MWMREProblem(concept: .correlated, preset: .maximumEntropy, seed: 4)
            .instance(of: .init(game: game, isNormalized: true)).parameters
        parameters.rho = .infinity
        let doubles = try MWMRESolver.solve(game: game, parameters: parameters, exactFacialReduction: false)
        #expect(doubles.klBound == nil && doubles.klJointError == nil)
        #expect(doubles.klBoundNote?.contains("not proven") == true, "\(doubles.klBoundNote ?? "")")
        let tieBreak = MWMRESolver.tieBreakParameters(game: game, concept: .correlated, epsilon: [0, 0])
        // μ = ∞ on a double game: the max-welfare face is found in doubles unless the exact LPs
        // are asked for, and then it is bounded.
        let limit = try MWMRESolver.solve(game: game, parameters: tieBreak)
        #expect(limit.klBound == nil && limit.klBoundNote?.contains("max-welfare face") == true, "\(limit.klBoundNote ?? "")")
        let exact = try MWMRESolver.solve(game: game, parameters: tieBreak, exactFacialReduction: true)
        #expect(exact.klBound != nil, "\(exact.klBoundNote ?? "")")
    }

    /// μ = ∞ (max welfare, then max entropy) on seeded integer games (ties, so rows tight on the
    /// face) and L2 doubles (asked for exactly: the face from exact multipliers of their doubles):
    /// the bound exists and covers the divergence from a tight solve. Most of these faces are
    /// single points; the feasible-point construction on a face with room is tested on the
    /// hand-made game below.
    @Test(arguments: 0..<6)
    func maximumWelfareFacesAreBounded(seed: Int) throws {
        let shapes: [[Int]] = [[3, 3], [2, 2, 2], [4, 4]]
        let shape = shapes[seed % shapes.count]
        let game = seed < 3 ? TestGames.integer(shape, range: -2...2, seed: UInt64(seed) + 11)
            : TestGames.l2Invariant(shape, seed: UInt64(seed))
        let concept: EquilibriumConcept = seed % 2 == 0 ? .correlated : .coarseCorrelated
        let parameters = MWMRESolver.tieBreakParameters(game: game, concept: concept,
                                                        epsilon: Array(repeating: 0, count: game.playerCount))
        let tight = try MWMRESolver.solve(game: game, parameters: parameters, tolerance: 1e-13, exactFacialReduction: true)
        for (method, tolerance) in [(MWMREMethod.newton, 1e-10), (.lbfgsb, 1e-3)] {
            let result = try MWMRESolver.solve(game: game, parameters: parameters, method: method, tolerance: tolerance,
                                               exactFacialReduction: true)
            let label = "seed \(seed) \(shape) \(concept) \(method)"
            #expect(result.status == .optimal, "\(label): \(result.message)")
            let bound = try #require(result.klBound, "\(label): \(result.klBoundNote ?? "")")
            let error = try #require(result.klJointError)
            #expect(Self.kl(result.joint, tight.joint) <= bound + 1e-12 + 100 * error, "\(label): bound \(bound)")
            if method == .newton { #expect(bound <= 1e-8 && error <= 1e-12, "\(label): \(bound), \(error)") }
        }
    }

    /// Matching pennies with an indifferent third player (payoff 0): welfare is 0 everywhere, so
    /// μ = ∞ keeps every CE; the CE conditions fix only Σ_{a3} σ(·,·,a3) = ¼ on each cell, which
    /// leaves the four pennies rows tight for every equilibrium, with entries on every joint
    /// action; the max-entropy CE is uniform, 1/8 (by hand: the uniform point meets them, and
    /// entropy is maximal there). At ρ = ∞ and μ = ∞, by Newton and by a loose L-BFGS-B that
    /// misses the equalities, the bound exists and covers KL(σ‖uniform).
    @Test(arguments: [false, true])
    func equalityRowsAreBoundedThroughAFeasiblePoint(tieBreak: Bool) throws {
        var payoffs = [Double](repeating: 0, count: 24)
        for a in 0..<8 {
            let (a1, a2) = (a / 4, (a / 2) % 2)
            payoffs[a] = a1 == a2 ? 1 : -1
            payoffs[8 + a] = -payoffs[a]
        }
        // Exact payoffs (as from text): μ = ∞ then finds its face from exact multipliers.
        let game = try NormalFormGame(actionCounts: [2, 2, 2], exactPayoffs: payoffs.map { Rational(Int($0)) })
        let uniform = [Double](repeating: 0.125, count: 8)
        let parameters = tieBreak
            ? MWMRESolver.tieBreakParameters(game: game, concept: .correlated, epsilon: [0, 0, 0])
            : MWMREParameters(concept: .correlated, epsilonTarget: [0, 0, 0], epsilonCap: [1, 1, 1], rho: .infinity)
        // A target away from uniform makes the optimum non-trivial; its reference is a tight solve.
        var targeted = parameters
        targeted.target = [0.3, 0.05, 0.1, 0.15, 0.05, 0.1, 0.2, 0.05]
        let reference = try MWMRESolver.solve(game: game, parameters: targeted, tolerance: 1e-13)
        for (method, tolerance, target) in [(MWMREMethod.newton, 1e-10, false), (.lbfgsb, 1e-2, true), (.newton, 1e-10, true)] {
            let result = try MWMRESolver.solve(game: game, parameters: target ? targeted : parameters, method: method,
                                               tolerance: tolerance)
            let uniform = target ? reference.joint : uniform
            let label = "\(tieBreak ? "μ" : "ρ") = ∞, \(method), \(target ? "target" : "uniform")"
            #expect(result.equalityRows >= 4, "\(label): \(result.equalityRows) equality rows")
            let bound = try #require(result.klBound, "\(label): \(result.klBoundNote ?? "")")
            let error = try #require(result.klJointError)
            let divergence = Self.kl(result.joint, uniform)
            // The bound is for σ̃ within `error` of σ: KL(σ‖σ*) may exceed it by the first- and
            // second-order change of KL over that distance (Σ(σ̃ − σ) = 0 cancels the constant).
            let slope = zip(result.joint, uniform).reduce(0) { $0 + abs(log($1.0 / $1.1)) }
            let curvature = uniform.reduce(0) { $0 + 1 / $1 }
            #expect(divergence <= bound + error * slope + 10 * error * error * curvature + 1e-12,
                    "\(label): KL \(divergence), bound \(bound), error \(error)")
            if method == .newton {
                #expect(bound <= 1e-9 && error <= 1e-12, "\(label): \(bound), \(error)")
            } else {
                #expect(divergence > 1e-9, "\(label): the loose solve is not loose (\(divergence))")
            }
        }
    }

}
