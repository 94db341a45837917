import EquilibriumSolvers
import Foundation
import NormalFormGames
import NumPyFiles
import Testing
@testable import GameVerification

/// Every metric on games small enough to compute by hand.
@Suite struct HandComputedMetricTests {
    /// Gibson (2013), docs/reference.md §9: player 1 plays A, B, C against a, b with payoffs A:(1,0), B:(0,2),
    /// C:(−1,1); player 2's payoffs are 0. σ = ½(A,a) + ¼(B,b) + ¼(C,b).
    /// CE rows of player 1 (weighted by σ): told A: →B ½(0−1) = −½, →C ½(−1−1) = −1; told B:
    /// →A ¼(0−2) = −½, →C ¼(1−2) = −¼; told C: →A ¼(0−1) = −¼, →B ¼(2−1) = ¼. So the max CE gain
    /// is ¼ and the corr_dist figure Σ_r [max_k]⁺ = 0 + 0 + ¼. CCE: E[G1] = ½ + ½ + ¼ = 5/4;
    /// always A: ½, always B: 1, always C: 0, so the max CCE gain is −¼ and the CCE gap 0.
    @Test func gibsonGame() throws {
        let game = try NormalFormGame(actionCounts: [3, 2], payoffs: [1, 0, 0, 2, -1, 1] + Array(repeating: 0, count: 6))
        let sigma = [0.5, 0, 0, 0.25, 0, 0.25]
        for concept in EquilibriumConcept.allCases {
            let m = try MetricEvaluator.evaluate(game: game, concept: concept, prediction: .joint(sigma), parameters: nil,
                                                 reference: nil)
            #expect(maxDifference(m.maximumCEGains, [0.25, 0]) < 1e-15)
            #expect(maxDifference(m.maximumCCEGains, [-0.25, 0]) < 1e-15)
            #expect(abs(m.correlationDistanceCE - 0.25) < 1e-15)
            #expect(abs(m.gap - (concept == .correlated ? 0.25 : 0)) < 1e-15)
            #expect(m.gapTargetEpsilon == nil && m.gapRecoveredEpsilon == nil && m.certifiedGap == nil)
            #expect(m.klPredictionReference == nil && m.totalVariation == nil)
        }
    }

    /// Chicken under the uniform joint: player 1 told Dare gains ¼(2 − 0) + ¼(6 − 7) = ¼ by
    /// chickening, told Chicken ¼(0 − 2) + ¼(7 − 6) = −¼; by symmetry the same for player 2. CCE:
    /// E[G1] = 15/4, always Dare 7/2, always Chicken 4. So max CE = max CCE = ¼ per player, the
    /// corr_dist figure ½ and the gap ½; ε̂ = (0.1, 0.3) leaves [¼ − 0.1]⁺ + 0 = 0.15. W = (0, 9,
    /// 9, 12) gives W·σ = 7.5; against the max-welfare CE ¼(1,2) + ¼(2,1) + ½(2,2), welfare 10.5,
    /// the difference is −3, the total variation ½(¼ + ¼) = ¼ (the (1,1) and (2,2) cells), the
    /// largest difference ¼, KL(σ*‖σ) = ¼ ln 1 + ¼ ln 1 + ½ ln 2 and KL(σ‖σ*) = ∞ (σ* has no (1,1)).
    @Test func chickenUniformAgainstMaximumWelfare() throws {
        let game = Fixture.chicken
        let uniform = [0.25, 0.25, 0.25, 0.25]
        let star = [0, 0.25, 0.25, 0.5]
        let parameters = MWMREParameters(concept: .correlated, epsilonTarget: [0.1, 0.3], epsilonCap: [2, 2], rho: 10)
        let m = try MetricEvaluator.evaluate(
            game: game, concept: .correlated, prediction: .joint(uniform), parameters: parameters,
            reference: ReferenceSolution(status: "optimal", joint: star, epsilon: [0, 0], dualObjective: 1))
        #expect(maxDifference(m.maximumCEGains, [0.25, 0.25]) < 1e-15)
        #expect(maxDifference(m.maximumCCEGains, [0.25, 0.25]) < 1e-15)
        #expect(abs(m.correlationDistanceCE - 0.5) < 1e-15)
        #expect(abs(m.gap - 0.5) < 1e-15)
        #expect(abs(m.gapTargetEpsilon! - 0.15) < 1e-15)
        #expect(abs(m.welfare - 7.5) < 1e-14)
        #expect(abs(m.referenceWelfare! - 10.5) < 1e-14)
        #expect(abs(m.welfareDifference! + 3) < 1e-14)
        #expect(abs(m.totalVariation! - 0.25) < 1e-15)
        #expect(abs(m.maximumAbsoluteDifference! - 0.25) < 1e-15)
        #expect(abs(m.klReferencePrediction! - 0.5 * log(2)) < 1e-15)
        #expect(m.klPredictionReference == .infinity)
        // Joints carry no ε, L or certificate.
        #expect(m.epsilonDifference == nil && m.dualSuboptimality == nil && m.certifiedGap == nil)
    }

    /// The max-welfare CE of Chicken is an exact CE: every gap vanishes, and it is at distance 0
    /// from itself.
    @Test func exactEquilibriumHasZeroGaps() throws {
        let star = [0, 0.25, 0.25, 0.5]
        let m = try MetricEvaluator.evaluate(game: Fixture.chicken, concept: .correlated, prediction: .joint(star),
                                             parameters: nil, reference: ReferenceSolution(status: "optimal", joint: star))
        #expect(m.gap == 0)
        #expect(m.correlationDistanceCE == 0)
        #expect(abs(m.welfare - 10.5) < 1e-14)
        #expect(m.klPredictionReference == 0 && m.klReferencePrediction == 0 && m.totalVariation == 0)
        #expect(m.welfareDifference == 0)
    }

    /// KL in both directions, by hand: σ = (½, ½, 0, 0), σ* uniform: KL(σ‖σ*) = ln 2,
    /// KL(σ*‖σ) = ∞, TV = ½.
    @Test func divergencesByHand() {
        let p = [0.5, 0.5, 0, 0], q = [0.25, 0.25, 0.25, 0.25]
        #expect(abs(Numerics.divergence(p, q) - log(2)) < 1e-15)
        #expect(Numerics.divergence(q, p) == .infinity)
        #expect(Numerics.totalVariation(p, q) == 0.5)
        #expect(Numerics.divergence(q, q) == 0)
        // Near 0 the Σ[p ln(p/q) − p + q] form keeps the second-order value: for p = q + (δ, −δ),
        // KL ≈ δ²/(2q₁) + δ²/(2q₂).
        let delta = 1e-9
        let a = [0.5 + delta, 0.5 - delta], b = [0.5, 0.5]
        #expect(abs(Numerics.divergence(a, b) / (delta * delta * 2) - 1) < 1e-6)
    }

    /// f(x) = (1 − x) ln(1 − x) + x: the series and the closed form agree where they meet.
    @Test func entropyExcessSeriesMatchesClosedForm() {
        for x in [-2e-3, -1.0001e-3, 1.0001e-3, 2e-3, 0.5, -3.0] {
            let closed = (1 - x) * log1p(-x) + x
            #expect(abs(Numerics.entropyExcess(x) - closed) <= 1e-12 * abs(closed))
        }
        let x = 9.99e-4
        #expect(abs(Numerics.entropyExcess(x) - ((1 - x) * log1p(-x) + x)) <= 1e-9 * x * x)
        #expect(Numerics.entropyExcess(1) == 1)
        #expect(Numerics.entropyExcess(0) == 0)
    }

    /// One dual on Chicken's CE row p1: 1→2 (features 2 at (1,1), −1 at (1,2)), α = ln 2, uniform
    /// σ̂, μ = 0, ε̂ = 0, ε⁺ = 1, ρ = 1. Weights e^{−α A}: (1,1) ¼, (1,2) 2, (2,1) 1, (2,2) 1, so
    /// σ = (1, 8, 4, 4)/17 and ln Σ σ̂ e^l = ln(17/16). ε₁ = −û expm1(−ln 2) = ½, ε₂ = 0, and
    /// L = ln(17/16) + ε⁺ S + ρ û expm1(−S/ρ) = ln(17/16) + ln 2 − ½.
    @Test func dualRecoveryByHand() throws {
        let game = Fixture.chicken
        var duals = [Double](repeating: 0, count: 4)
        duals[0] = log(2)
        let parameters = MWMREParameters(concept: .correlated, epsilonTarget: [0, 0], epsilonCap: [1, 1], rho: 1)
        let r = try DualRecovery.recover(duals: duals, game: game, parameters: parameters)
        #expect(maxDifference(r.joint, [1.0 / 17, 8.0 / 17, 4.0 / 17, 4.0 / 17]) < 1e-15)
        #expect(maxDifference(r.epsilon, [0.5, 0]) < 1e-15)
        #expect(abs(r.dualObjective - (log(17.0 / 16) + log(2) - 0.5)) < 1e-15)

        // The certificate against the naive L − P(σ, ε̃) with P = −KL(σ‖σ̂) − ρ Σ D(ε̃):
        // E[A] of the rows: p1 1→2: (2 − 8)/17, p1 2→1: (4·(0−2) + 4·(7−6))/17, p2 1→2: (1·2 + 4·(−1))/17,
        // p2 2→1: (8·(0−2) + 4·(7−6))/17; ε̃ = max(0, max gain) per player.
        let gains = game.deviationGains(.correlated).expectedGains(r.joint)
        #expect(maxDifference(gains, [-6.0 / 17, -4.0 / 17, -2.0 / 17, -12.0 / 17]) < 1e-15)
        let tilde = [0.0, 0.0]
        func d(_ e: Double) -> Double { let u = 1 - e, h = 1.0; return u * log(u / h) - u + h }
        let kl = r.joint.reduce(0) { $0 + $1 * log($1 / 0.25) }
        let primal = -kl - (d(tilde[0]) + d(tilde[1]))
        let naive = r.dualObjective - primal
        #expect(abs(r.certifiedGap! - naive) < 1e-14)
        #expect(r.certificateNote == nil)
    }

    /// α = 0 recovers σ̂, ε = ε̂ and L = ln Σ σ̂ = 0 (μ = 0); against a reference with ε* and L*,
    /// |ε − ε*| and L − L* follow by hand.
    @Test func zeroDualsAgainstAReference() throws {
        let game = Fixture.chicken
        let parameters = MWMREParameters(concept: .coarseCorrelated, epsilonTarget: [0.25, -0.5], epsilonCap: [2, 2], rho: 100)
        let m = try MetricEvaluator.evaluate(
            game: game, concept: .coarseCorrelated, prediction: .duals([0, 0, 0, 0]), parameters: parameters,
            reference: ReferenceSolution(status: "optimal", joint: [0.25, 0.25, 0.25, 0.25], epsilon: [0.1, 0.2],
                                         dualObjective: 0.3))
        #expect(m.joint == [0.25, 0.25, 0.25, 0.25])
        #expect(m.epsilon == [0.25, -0.5])
        #expect(maxDifference(m.epsilonDifference!, [0.15, 0.7]) < 1e-15)
        #expect(m.dualObjective == 0)
        #expect(abs(m.dualSuboptimality! + 0.3) < 1e-15)
        // Max CCE gains ¼ each: [¼ − ¼]⁺ + [¼ + ½]⁺ = ¾ against ε̂ (= ε here).
        #expect(abs(m.gapTargetEpsilon! - 0.75) < 1e-15)
        #expect(abs(m.gapRecoveredEpsilon! - 0.75) < 1e-15)
        #expect(abs(m.gap - 0.5) < 1e-15)
        #expect(m.totalVariation == 0 && m.klPredictionReference == 0)
        // ε̃ = (¼, ¼): player 2's ε̃ exceeds ε̂ by ¾, which the penalty charges: ρ u f(δ/u) with
        // u = 2.5, δ = 0.75; player 1 and the α terms contribute 0.
        let expected = 100 * 2.5 * ((1 - 0.3) * log1p(-0.3) + 0.3)
        #expect(abs(m.certifiedGap! - expected) < 1e-12 * expected)
    }

    /// The undefined cases of the certificate: ε̃ at the cap, and an infeasible σ(α) at ρ = ∞.
    @Test func certificateUndefined() throws {
        let game = Fixture.chicken
        let capped = MWMREParameters(concept: .correlated, epsilonTarget: [0, 0], epsilonCap: [0.1, 0.1], rho: 10)
        let r = try DualRecovery.recover(duals: [0, 0, 0, 0], game: game, parameters: capped)
        #expect(r.certifiedGap == nil)
        #expect(r.certificateNote?.contains("cap") == true)
        let hard = MWMREParameters(concept: .correlated, epsilonTarget: [0, 0], epsilonCap: [1, 1], rho: .infinity)
        let h = try DualRecovery.recover(duals: [0, 0, 0, 0], game: game, parameters: hard)
        #expect(h.certifiedGap == nil)
        #expect(h.certificateNote?.contains("ρ = ∞") == true)
        #expect(h.epsilon == [0, 0])
    }

    /// The ε-penalty excess (u − δ)ln(1 − δ/u) + δ: both branches agree where they meet, and for
    /// dual sums so large that ε⁺ − ε rounds to 0 it stays finite and positive (it was NaN when
    /// computed from ε⁺ − ε).
    @Test func penaltyExcessIsStable() {
        let cap = 3.0, uHat = 3.0, rho = 10.0
        for sum in [0.0, 1, 5, 20] {
            let u = uHat * exp(-sum / rho)
            let epsilon = cap - u
            for fraction in [0.4999, 0.5001, -0.4999, -0.5001] {
                let tilde = epsilon + fraction * u
                let value = DualRecovery.penaltyExcess(cap: cap, tilde: tilde, epsilon: epsilon, uHat: uHat, sum: sum, rho: rho)
                let direct = u * ((1 - fraction) * log1p(-fraction) + fraction)
                #expect(abs(value - direct) <= 1e-12 * direct, "S \(sum), x \(fraction)")
            }
        }
        // S/ρ = 100: u = 3e^{−100}; ε̃ = 1 (far below ε⁺ = 3): ≈ 2·(ln 2 − ln 3 + 100) − 2.
        let huge = DualRecovery.penaltyExcess(cap: cap, tilde: 1, epsilon: cap, uHat: uHat, sum: 1000, rho: rho)
        #expect(abs(huge - (2 * (log(2) - log(3) + 100) - 2)) < 1e-12 * huge)
    }
}

/// Percentiles, worst games and thresholds.
@Suite struct SummaryTests {
    /// NumPy: np.percentile(np.arange(1, 11), [50, 90, 99]) = 5.5, 9.1, 9.91.
    @Test func percentilesMatchNumPy() {
        let values = (1...10).map(Double.init)
        #expect(MetricStatistics.percentile(values, 0.5) == 5.5)
        #expect(abs(MetricStatistics.percentile(values, 0.9) - 9.1) < 1e-12)
        #expect(abs(MetricStatistics.percentile(values, 0.99) - 9.91) < 1e-12)
        #expect(MetricStatistics.percentile([3], 0.99) == 3)
        #expect(MetricStatistics.percentile([1, 2, .infinity], 0.9) == .infinity)
        #expect(MetricStatistics.percentile([1, 2, .infinity], 0.5) == 2)
    }

    @Test func statisticsSkipUndefinedAndFindTheWorst() {
        let values = [0.1, .infinity, 0.4, 7, 0.2]
        let defined = [true, false, true, true, true]
        let s = MetricStatistics(values: values, defined: defined, rows: [0, 1, 2, 3, 4], gameIndices: [10, 11, 12, 13, 14])
        #expect(s.count == 5 && s.defined == 4 && s.infinite == 0)
        #expect(abs(s.mean! - 7.7 / 4) < 1e-15)
        #expect(abs(s.median! - 0.3) < 1e-15)
        #expect(s.worst == 7 && s.worstRow == 3 && s.worstGameIndex == 13)
        let none = MetricStatistics(values: [1], defined: [false], rows: [0], gameIndices: [0])
        #expect(none.mean == nil && none.worst == nil && none.defined == 0)
    }

    @Test func thresholdsCountFailuresAndUndefinedGames() throws {
        let t = try Threshold(parsing: "gap=0.5")
        #expect(t == Threshold(metric: "gap", limit: 0.5))
        let outcome = ThresholdOutcome(threshold: t, values: [0.1, 0.6, .infinity, 0.5], defined: [true, true, false, true],
                                       gameIndices: [5, 6, 7, 8])
        #expect(outcome.failed == 2 && outcome.undefined == 1 && outcome.checked == 4)
        #expect(!outcome.passed)
        #expect(outcome.worst == 0.6 && outcome.worstGameIndex == 6)
        #expect(outcome.description.contains("failed on 2 of 4"))
        #expect(throws: VerificationError.self) { try Threshold(parsing: "gap") }
        #expect(throws: VerificationError.self) { try Threshold(parsing: "gap=abc") }
    }
}

/// The one check of a prediction vector, used by `verify`'s files and by the C ABI alike.
@Suite struct PredictionCheckTests {
    @Test func jointsMustBeDistributionsAndDualsNonNegative() throws {
        let label: (Int) -> String = { "entry \($0)" }
        #expect(try PredictionKind.joint.checked([0.5, 0.5], name: "joint", game: 0, label: label) == [0.5, 0.5])
        // Within 1e-6 of 1: renormalised.
        let near = try PredictionKind.joint.checked([0.5, 0.5 + 5e-7], name: "joint", game: 0, label: label)
        #expect(abs(near.reduce(0, +) - 1) <= 1e-15)
        for bad in [[1.5, -0.5], [0.5, 0], [0, 0], [.nan, 1], [.infinity, 0]] {
            #expect(throws: VerificationError.self) {
                try PredictionKind.joint.checked(bad, name: "joint", game: 3, label: label)
            }
        }
        #expect(try PredictionKind.duals.checked([0, 7], name: "duals", game: 0, label: label) == [0, 7])
        #expect(throws: VerificationError.self) {
            try PredictionKind.duals.checked([1, -1e-300], name: "duals", game: 0, label: label)
        }
    }
}

/// What `verify` says of its references' certificates, for each kind and each archive state.
@Suite struct CertificationStatementTests {
    @Test func statesWhatTheArchiveRecords() {
        let none: [String: NumPyArray] = [:]
        #expect(Verification.certificationStatement(none, kind: .maximumWelfare).contains("not certified"))
        #expect(Verification.certificationStatement(none, kind: .mwmre).contains("no rigorous KL bound"))
        let mw = ["mw_certified": NumPyArray(bool: [true, false, true], shape: [3])]
        #expect(Verification.certificationStatement(mw, kind: .maximumWelfare) == "; certified: 2 of 3 (mw_certified)")
        let me = ["me_kl_bound": NumPyArray(float64: [1e-13, .infinity, 3e-12], shape: [3])]
        #expect(Verification.certificationStatement(me, kind: .mwmre)
                == "; rigorous KL bound for 2 of 3, at most 3e-12 (me_kl_bound)")
        let unbounded = ["me_kl_bound": NumPyArray(float64: [.infinity], shape: [1])]
        #expect(Verification.certificationStatement(unbounded, kind: .mwmre).contains("no rigorous KL bound for any of 1"))
    }
}
