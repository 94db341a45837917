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

    /// Case 7542 (seed 77): a player whose payoffs do not depend on its own action cannot meet
    /// ε_p < 0, however small; at ε = −3.5e-64 GLPK's tolerances once called the program feasible.
    /// Now it is infeasible with the one-row certificate, in doubles and exactly, at every scale.
    @Test func aConstantPlayerCannotMeetANegativeEpsilon() throws {
        var random = SplitMix64(seed: 7542)
        for exponent in [-300, -63, 0, 200] {
            let c = scalbn(1.0, exponent)
            // Player 1's payoff depends only on the others' actions; player 2's is random.
            let p1 = (0..<12).map { a in Double((a % 4) + 1) * c }
            let p2 = (0..<12).map { _ in (random.nextUnit() - 0.5) * c }
            let game = try NormalFormGame(actionCounts: [3, 4], payoffs: p1 + p2)
            let epsilon = [Rational(-0.002 * c), Rational(-0.002 * c)]
            for exact in [false, true] {
                for concept in [EquilibriumConcept.correlated, .coarseCorrelated] {
                    let r = try EquilibriumLP.solve(game: game, concept: concept, selection: .maximumWelfare,
                                                    epsilon: epsilon, exact: exact, optimalFace: false)
                    #expect(r.status == .infeasible && r.certified, "2^\(exponent) exact \(exact) \(concept): \(r.status)")
                    let y = try #require(r.dualsExact)
                    #expect(y.allSatisfy { $0 >= .zero } && y.contains { $0 > .zero })
                }
            }
            // ε_1 = 0 is feasible: the certificate is not given where it does not hold.
            let feasible = try EquilibriumLP.solve(game: game, concept: .correlated, selection: .maximumWelfare,
                                                   epsilon: [.zero, epsilon[1]], optimalFace: false)
            #expect(feasible.status != .infeasible || feasible.method != "constant player")
        }
    }

    /// Case 33379: GLPK's double simplex called this feasible max-linear CE of a 5×8 N(0,1) game
    /// infeasible, and the solve ended `failed`. An equilibrium LP with ε ≥ 0 is never
    /// infeasible, so the exact path now answers it: certified optimal, and σ is a CE exactly.
    @Test func aWrongInfeasibleFromGLPKIsSolvedExactly() throws {
        let game = try NormalFormGame(actionCounts: [5, 8], payoffs: Self.payoffs33379)
        let r = try EquilibriumLP.solve(game: game, concept: .correlated,
                                        selection: .linear(coefficients: Self.coefficients33379.map { Rational($0) }, maximize: true),
                                        optimalFace: false)
        #expect(r.status == .optimal, "\(r.status): \(r.note ?? "")")
        #expect(r.joint.count == 40 && abs(r.joint.reduce(0, +) - 1) <= 1e-12)
        if let exact = r.jointExact {
            #expect(Self.exactGains(game, .correlated, exact.map(\.doubleValue)).allSatisfy { $0 <= Rational(1e-12) })
        }
        #expect(Self.exactGains(game, .correlated, r.joint).allSatisfy { $0 <= Rational(1e-9) })
    }

    static let payoffs33379: [Double] = [-1.0297972012792567, 2.104370265123576, 1.1879001777159255, -1.819964089242652, -0.09228610119379588, 0.3729259595411165, 0.8192781943700265, -2.464346049266224, 1.487208139510548, -0.2632587479365423, -0.0415101101813561, -1.9638104660834552, 0.2022062584263047, -2.36223958817689, 0.4752931468410648, 0.8203329326357658, 1.501868585941991, 0.4696055485422335, -1.0130738656489215, 2.576824200522991, 0.17537032688567442, -0.7498600243436552, 1.457096483088148, -1.4623212758113624, -0.08173986988263265, -0.10714994548681242, 0.3814054252264779, -0.7916362071026987, 0.4956282550157934, 0.43422580203566613, -2.1370209767027797, 1.0794491158596833, 1.2273720165722133, -1.1186155288978983, 0.02415750563607089, -1.0553756380108077, 0.8648112621794962, 0.9650885039778467, 0.5530779511779896, -0.5192716664214866, -0.008912580976365304, 1.253226410682893, 0.12105072127908804, -1.4168295894996052, 0.41714428978915274, -0.7188898431806636, 0.19791362350227024, -1.123393227996483, -1.486287222609377, -0.6869864410663773, 0.2459482059899366, -0.6477821356858219, 0.8682319139530734, -0.007393582737014539, -0.45214588392167043, 0.2703712599060061, -0.10213289795769753, -1.2288823459064515, 1.6765077218019462, -0.6122202256859718, 1.2235549692876193, -0.5946439311526962, -0.27669574975287514, 1.96268729283976, -0.5238003945799417, -0.13888530621227396, 2.5242086545113502, -2.7729369335467506, 0.39706144134029997, 0.20386161681090686, 1.8530186458725535, 0.8147420963252816, -0.7985423937534281, -1.033496365294605, -0.9993140527415129, -1.1302109869007657, 0.11386704526698208, -0.9113058455243588, -0.5227109373159902, -0.11865047863501868]
    static let coefficients33379: [Double] = [-1.2928623981860168, -1.0714152053620793, 1.8414682582742814, -0.6292377399287825, 0.7017069142874505, 0.02590720944221836, -0.9408187965905455, -0.1596927134825678, 0.004292656819246045, 0.2392873085657949, 1.0887549663300247, -1.92301241848843, -0.7309323571330084, 1.8941651486112965, -1.2119227283078777, -1.4330451085667624, 0.02276778110274157, -1.2919382646945736, 0.06067858140041459, -0.5536784528317993, 1.480219000513903, 0.29515205347441165, 0.44489526589893386, 0.10253975862802074, -0.5848026246492138, 1.7141859982945984, 1.1269220795277795, 1.5576704767282936, -1.13248988482054, 1.5903083243144653, -0.3091480301857372, -0.9565489741167729, 1.3057796351002298, 0.44233212250596476, 0.562543006581414, 1.4291702380003328, -0.6355900532093353, 1.5940647544875317, 2.075490168126516, 0.3985367210094193]
}
