import Foundation
import Testing
import _EquilibriaTestSupport
@testable import EquilibriumSolvers
import LinearProgramming
import NormalFormGames

/// Games the 100,000-solve campaign (`equilibria-campaign --seed 4242`) found wrong answers on,
/// each checked against a fact derived here from the payoffs.
struct CampaignRegressionTests {
    /// σ's largest deviation gain per player, in exact arithmetic on the game's exact payoffs.
    static func exactGains(_ game: NormalFormGame, _ concept: EquilibriumConcept, _ sigma: [Double]) -> [Rational] {
        let gains = game.exactDeviationGains(concept)
        var best = [Rational?](repeating: nil, count: game.playerCount)
        for i in 0..<gains.rowCount {
            var sum = Rational.zero
            for (a, v) in gains.entries(ofRow: i) where sigma[a] != 0 { sum += v * Rational(sigma[a]) }
            let p = gains.rows[i].player
            best[p] = best[p].map { max($0, sum) } ?? sum
        }
        return best.map { $0 ?? .zero }
    }

    /// Case 37361: a constant player (all gains zero) next to players whose gains are 1e-126.
    /// The shared ε once took the constant player's unit, left the others' gains below GLPK's
    /// tolerances, and reported ε = 0 for a σ that needs 7.8e-127. The minimum shared ε of this
    /// game is 0 (the exact solve proves it), and the reported ε covers σ's gains.
    @Test func aConstantPlayerDoesNotSetTheUnitOfASharedEpsilon() throws {
        let p2: [Double] = [-1.7755754207915084e-123, -1.7774550311821787e-123, -1.7747956945108634e-123,
                            -1.7753325352217032e-123]
        let p3: [Double] = [6.741979331826515e-125, 6.720545063177429e-125, 6.961357493067037e-125,
                            6.976260319880758e-125]
        let game = try NormalFormGame(actionCounts: [2, 2, 2], payoffs: Array(repeating: 0, count: 8) + p2 + p2 + p3 + p3)
        let exact = try EquilibriumLP.solve(game: game, concept: .coarseCorrelated,
                                            selection: .minimumEpsilon(perPlayer: false), exact: true, optimalFace: false)
        #expect(exact.status == .optimal && exact.certified)
        #expect(exact.epsilonExact?.first == .zero)
        for perPlayer in [false, true] {
            let r = try EquilibriumLP.solve(game: game, concept: .coarseCorrelated,
                                            selection: .minimumEpsilon(perPlayer: perPlayer), optimalFace: false)
            #expect(r.status == .optimal)
            let needed = Self.exactGains(game, .coarseCorrelated, r.joint)
            for p in 0..<3 {
                #expect(Rational(r.epsilon[p]) >= needed[p] - Rational(1e-140), "perPlayer \(perPlayer), player \(p + 1)")
                #expect(r.epsilon[p] >= 0, "a constant player needs ε ≥ 0")
            }
            // And ε is the minimum: 0 to far below the gains' scale of 1e-126.
            #expect(r.epsilon.allSatisfy { abs($0) <= 1e-135 }, "\(r.epsilon)")
        }
    }

    /// Case 24550 (and 32420): a min-ε CE where one player's payoffs are all 0. GLPK's point gave
    /// ε = −7.5e-16, which that player cannot meet (its gains are exactly 0). The reported ε now
    /// never falls below σ's own largest gains as evaluated in doubles: never below 0 for the
    /// constant player, and within rounding of the exact gains for the others.
    @Test func theReportedEpsilonCoversSigmasGains() throws {
        var random = SplitMix64(seed: 24550)
        for trial in 0..<20 {
            let shape = [3, 3, 3]
            let joint = 27
            var payoffs = (0..<(2 * joint)).map { _ in (random.nextUnit() * 200 - 100).rounded() / 4 }
            payoffs += Array(repeating: 0, count: joint)  // player 3 is constant
            let game = try NormalFormGame(actionCounts: shape, payoffs: payoffs)
            for concept in [EquilibriumConcept.correlated, .coarseCorrelated] {
                let r = try EquilibriumLP.solve(game: game, concept: concept, selection: .minimumEpsilon(perPlayer: false),
                                                optimalFace: false)
                #expect(r.status == .optimal)
                let needed = Self.exactGains(game, concept, r.joint)
                #expect(r.epsilon[2] >= 0, "trial \(trial) \(concept): ε = \(r.epsilon)")
                // Up to the rounding of σ's gains in doubles (payoffs up to 25: 1e-12 is ~4000 ulps).
                for p in 0..<3 {
                    #expect(Rational(r.epsilon[p]) >= needed[p] - Rational(1e-12), "trial \(trial) \(concept) player \(p + 1)")
                }
            }
        }
    }

    /// Case 2075: a CE with ε below the minimum, payoffs 1e-8·integers given as doubles. The exact
    /// path once failed ("infeasibility could not be certified") because the phase-one basis of
    /// GLPK's rational simplex was not exactly optimal; its multipliers prove infeasibility all
    /// the same, and are checked here exactly.
    @Test func infeasibilityIsCertifiedByPhaseOneMultipliers() throws {
        let t = 3.0000000000000004e-08
        let game = try NormalFormGame(actionCounts: [2, 3], payoffs: [t, -t, t, 0, -t, 0, t, 1e-08, t, 2e-08, t, -1e-08])
        let epsilon = Rational(-3.7973832360298553e-10)
        let r = try EquilibriumLP.solve(game: game, concept: .correlated,
                                        selection: .linear(coefficients: game.rationalWelfare, maximize: false),
                                        epsilon: [epsilon, epsilon], exact: true, optimalFace: false)
        #expect(r.status == .infeasible && r.certified, "\(r.status) \(r.note ?? "")")
        // The multipliers y ≥ 0 of the gain rows: min_a (Aᵀy)_a > yᵀε proves that no σ exists.
        let y = try #require(r.dualsExact ?? (r.duals.isEmpty ? nil : r.duals.map { Rational($0) }))
        let gains = game.exactDeviationGains(.correlated)
        var column = [Rational](repeating: .zero, count: game.jointActionCount)
        var right = Rational.zero
        for i in 0..<gains.rowCount {
            #expect(y[i] >= .zero)
            right += y[i] * epsilon
            for (a, v) in gains.entries(ofRow: i) { column[a] += y[i] * v }
        }
        #expect(column.min()! > right)
    }

    /// Tie-heavy games given as exact text, shifted and scaled exactly: the max-entropy tie-break
    /// is the same distribution (cases 13900, 35696, 11368 once differed by 0.5 when the campaign
    /// rounded the transformed payoffs; exact transforms keep ties, and so does the solver).
    @Test func theTieBreakIsInvariantUnderExactTransforms() throws {
        let base: [Rational] = [1, 3, 1, 2, 0, 2, 1, 3].map { Rational($0) }  // welfare ties: 1+0 = 0+1, …
        let game = try NormalFormGame(actionCounts: [2, 2], exactPayoffs: base)
        let reference = try MWMRESolver.solve(game: game, parameters: MWMRESolver.tieBreakParameters(
            game: game, concept: .coarseCorrelated, epsilon: [0, 0]))
        #expect(reference.status == .optimal)
        for (c, b) in [(Rational(1, 3), Rational(7)), (Rational(1 << 60), Rational(-3, 10)), (Rational(5, 1 << 40), .zero)] {
            let transformed = try NormalFormGame(actionCounts: [2, 2], exactPayoffs: base.map { c * $0 + b })
            let r = try MWMRESolver.solve(game: transformed, parameters: MWMRESolver.tieBreakParameters(
                game: transformed, concept: .coarseCorrelated, epsilon: [0, 0]))
            #expect(r.status == .optimal)
            #expect(zip(r.joint, reference.joint).allSatisfy { abs($0 - $1) <= 1e-9 }, "c = \(c), b = \(b): \(r.joint)")
        }
    }
}
