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

    /// Hard problems (ρ = ∞ or μ = ∞) carry no rigorous bound, and say why.
    @Test func hardProblemsSayWhy() throws {
        let game = TestGames.l2Invariant([3, 3], seed: 4)
        var parameters = try MWMREProblem(concept: .correlated, preset: .maximumEntropy, seed: 4)
            .instance(of: .init(game: game, isNormalized: true)).parameters
        parameters.rho = .infinity
        let result = try MWMRESolver.solve(game: game, parameters: parameters)
        #expect(result.klBound == nil && result.klJointError == nil)
        #expect(result.klBoundNote?.contains("hard") == true)
    }
}
