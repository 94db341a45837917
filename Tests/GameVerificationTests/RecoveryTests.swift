import EquilibriumSolvers
import Foundation
import GameGenerators
import NormalFormGames
import Testing
@testable import GameVerification

/// The recovery here is written from docs/reference.md §3 alone; the solver has its own. They must agree.
@Suite struct RecoveryAgainstSolverTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var shape: [Int]
        var concept: EquilibriumConcept
        var preset: MWMREPreset
        var testDescription: String { "\(shape) \(concept.rawValue) \(preset.rawValue)" }
    }

    static let cases: [Case] = [
        Case(shape: [3, 3], concept: .correlated, preset: .maximumEntropy),
        Case(shape: [4, 4], concept: .coarseCorrelated, preset: .maximumEntropy),
        Case(shape: [2, 3, 2], concept: .correlated, preset: .maximumEntropy),
        Case(shape: [3, 3], concept: .correlated, preset: .maximumUtilitarianWelfare),
        Case(shape: [3, 4], concept: .correlated, preset: .approximateMaximumEntropy),
        Case(shape: [3, 3], concept: .coarseCorrelated, preset: .minimumRelativeEntropy),
    ]

    /// σ, ε, L and the certificate from the solver's duals equal the solver's own.
    @Test(arguments: cases) func recoveryMatchesTheSolver(_ c: Case) throws {
        for (k, game) in Fixture.l2Games(4, shape: c.shape, seed: 11).enumerated() {
            let parameters = Fixture.me(game, c.concept, preset: c.preset, seed: UInt64(k))
            let result = try MWMRESolver.solve(game: game, parameters: parameters)
            try #require(result.status == .optimal)
            let r = try DualRecovery.recover(duals: result.duals, game: game, parameters: parameters)
            #expect(maxDifference(r.joint, result.joint) < 1e-11, "game \(k)")
            #expect(maxDifference(r.epsilon, result.epsilon) < 1e-11, "game \(k)")
            #expect(abs(r.dualObjective - result.dualObjective) < 1e-11 * max(1, abs(result.dualObjective)), "game \(k)")
            let certificate = try #require(r.certifiedGap)
            #expect(certificate < 1e-9, "game \(k): the certificate at the optimum is \(certificate)")
            if let solver = result.certifiedGap { #expect(abs(certificate - solver) < 1e-10) }
        }
    }

    /// KL(σ(α)‖σ*) ≤ certified gap for many random perturbations of the optimal duals, at several
    /// scales, in every preset above; and the dual suboptimality is never negative beyond round-off.
    @Test(arguments: cases) func certificateBoundsTheDivergence(_ c: Case) throws {
        var generator = SplitMix64(seed: 2024)
        var checked = 0, certified = 0
        for (k, game) in Fixture.l2Games(3, shape: c.shape, seed: 5).enumerated() {
            let parameters = Fixture.me(game, c.concept, preset: c.preset, seed: UInt64(k))
            let result = try MWMRESolver.solve(game: game, parameters: parameters)
            try #require(result.status == .optimal)
            let reference = ReferenceSolution(status: "optimal", joint: result.joint, epsilon: result.epsilon,
                                              dualObjective: result.dualObjective)
            for trial in 0..<75 {
                let scale = [1e-4, 1e-2, 0.3, 2, 8][trial % 5]
                let duals = result.duals.map { alpha -> Double in
                    let u = generator.nextUnit(), v = generator.nextUnit()
                    let normal = (-2 * log(max(u, 1e-300))).squareRoot() * cos(2 * .pi * v)
                    return max(0, alpha * exp(scale * normal) + scale * (generator.nextUnit() - 0.3))
                }
                let m = try MetricEvaluator.evaluate(game: game, concept: c.concept, prediction: .duals(duals),
                                                     parameters: parameters, reference: reference)
                checked += 1
                #expect(m.dualSuboptimality! >= -1e-12, "L(α) below the optimum: \(m.dualSuboptimality!)")
                guard let bound = m.certifiedGap else { continue }
                certified += 1
                let kl = m.klPredictionReference!
                #expect(kl <= bound + 1e-12 + 1e-9 * bound, "game \(k) trial \(trial): KL \(kl) > bound \(bound)")
            }
        }
        #expect(certified >= checked / 2, "only \(certified) of \(checked) perturbations had a certificate")
    }

    /// At ρ = ∞ the certificate exists only for feasible σ(α); where it exists it bounds KL. The
    /// uniform joint of Shapley's game has every gain 0 (docs/reference.md §9), so with ε̂ = 0.05 it is strictly
    /// feasible and, being the maximum-entropy joint, the ME solution, with α* = 0.
    @Test func hardConstraintsCertificate() throws {
        let r: [[Double]] = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
        let game = Fixture.bimatrix(r, (0..<3).map { i in (0..<3).map { j in r[j][i] } })
        let parameters = MWMREParameters(concept: .correlated, epsilonTarget: [0.05, 0.05], epsilonCap: [3, 3], rho: .infinity)
        let star = [Double](repeating: 1.0 / 9, count: 9)
        let zero = try DualRecovery.recover(duals: Array(repeating: 0, count: 12), game: game, parameters: parameters)
        #expect(maxDifference(zero.joint, star) < 1e-15)
        #expect(zero.certifiedGap == 0)
        var generator = SplitMix64(seed: 7)
        var certified = 0, uncertified = 0
        for trial in 0..<200 {
            let duals = (0..<12).map { _ in (trial % 2 == 0 ? 0.05 : 3) * generator.nextUnit() }
            let m = try MetricEvaluator.evaluate(game: game, concept: .correlated, prediction: .duals(duals),
                                                 parameters: parameters, reference: ReferenceSolution(status: "optimal", joint: star))
            if let bound = m.certifiedGap {
                certified += 1
                #expect(m.klPredictionReference! <= bound + 1e-14)
            } else {
                uncertified += 1
                #expect(m.certificateNote?.contains("violates") == true)
            }
        }
        #expect(certified > 0 && uncertified > 0, "\(certified) certified, \(uncertified) not")
    }
}

/// Moving a prediction by a known amount moves each metric as it must.
@Suite struct PerturbationTests {
    /// σ_t = (1 − t)σ* + t·u: TV(σ_t, σ*) = t·TV(u, σ*) and W·σ_t − W·σ* = t(W·u − W·σ*) exactly
    /// (linear); KL(σ*‖σ_t) ≤ −ln(1 − t) (σ_t ≥ (1 − t)σ*); KL(σ_t‖σ*) ≤ t·KL(u‖σ*) and every
    /// max gain ≤ (1 − t)·gain(σ*) + t·gain(u) (convexity).
    @Test func mixingWithUniform() throws {
        for (k, game) in Fixture.l2Games(3, shape: [4, 4], seed: 9).enumerated() {
            let parameters = Fixture.me(game)
            let result = try MWMRESolver.solve(game: game, parameters: parameters)
            let star = result.joint
            let reference = ReferenceSolution(status: "optimal", joint: star, epsilon: result.epsilon,
                                              dualObjective: result.dualObjective)
            let uniform = [Double](repeating: 1.0 / 16, count: 16)
            let atUniform = try MetricEvaluator.evaluate(game: game, concept: .correlated, prediction: .joint(uniform),
                                                         parameters: parameters, reference: reference)
            let atStar = try MetricEvaluator.evaluate(game: game, concept: .correlated, prediction: .joint(star),
                                                      parameters: parameters, reference: reference)
            #expect(atStar.totalVariation == 0 && atStar.klPredictionReference == 0 && atStar.welfareDifference == 0)
            for t in [0.001, 0.01, 0.1, 0.5, 0.9] {
                let mixed = zip(star, uniform).map { (1 - t) * $0 + t * $1 }
                let m = try MetricEvaluator.evaluate(game: game, concept: .correlated, prediction: .joint(mixed),
                                                     parameters: parameters, reference: reference)
                #expect(abs(m.totalVariation! - t * atUniform.totalVariation!) < 1e-15, "game \(k), t \(t)")
                #expect(abs(m.welfareDifference! - t * atUniform.welfareDifference!) < 1e-13, "game \(k), t \(t)")
                #expect(m.klReferencePrediction! <= -log1p(-t) + 1e-15)
                #expect(m.klPredictionReference! <= t * atUniform.klPredictionReference! + 1e-15)
                for p in 0..<2 {
                    let bound = (1 - t) * atStar.maximumCEGains[p] + t * atUniform.maximumCEGains[p]
                    #expect(m.maximumCEGains[p] <= bound + 1e-14)
                }
                // A smaller step moves less.
                if t < 0.5 { #expect(m.totalVariation! < atUniform.totalVariation! * 0.5) }
            }
        }
    }

    /// Moving the duals away from α* along a direction raises L(α) − L(α*) monotonically (L is
    /// convex with its minimum at α*), quadratically at first.
    @Test func dualSuboptimalityGrowsAlongARay() throws {
        let game = Fixture.l2Games(1, shape: [3, 3], seed: 4)[0]
        let parameters = Fixture.me(game)
        let result = try MWMRESolver.solve(game: game, parameters: parameters)
        let reference = ReferenceSolution(status: "optimal", joint: result.joint, epsilon: result.epsilon,
                                          dualObjective: result.dualObjective)
        var generator = SplitMix64(seed: 3)
        let direction = result.duals.map { _ in generator.nextUnit() }
        var previous = -1e-12
        var values: [Double] = []
        for step in [1e-3, 1e-2, 1e-1, 1.0] {
            let duals = zip(result.duals, direction).map { $0 + step * $1 }
            let m = try MetricEvaluator.evaluate(game: game, concept: .correlated, prediction: .duals(duals),
                                                 parameters: parameters, reference: reference)
            #expect(m.dualSuboptimality! > previous)
            previous = m.dualSuboptimality!
            values.append(m.dualSuboptimality!)
        }
        // From 1e-3 to 1e-2 the suboptimality grows by about 100 (quadratic; α* may sit on a bound,
        // where the growth is first order: at least 10).
        #expect(values[1] / values[0] > 9)
    }
}
