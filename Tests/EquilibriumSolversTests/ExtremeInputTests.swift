import Foundation
import Testing
import NormalFormGames
import LinearProgramming
import _EquilibriaTestSupport
@testable import EquilibriumSolvers

/// Regression tests for inputs far from the generators' happy region: scales from 1e-300 to
/// 1e300, offsets, the μ = ∞ limit on games given as full-precision doubles, and parameters at
/// the edge of their range. Every expected value is derived independently of the solver (by
/// hand, by scaling a reference answer, or by an LP optimality test).
struct ExtremeInputTests {
    /// The game of the μ = ∞ crash: a 3×3 CE whose full-precision doubles matter, as read from
    /// text (exact payoffs, so the exact facial reduction runs).
    static let crashGame = try! NormalFormGame(actionCounts: [3, 3], exactPayoffs: [
        1.4388735938426587, 0.00020164295512421895, 0.3239119776314283,
        0.9520218679998016, -0.30075585250454295, 1.4367365400889385,
        -0.6326942125201124, -0.8083277018861249, -0.36626701885025204,
        -0.11471739196713679, -1.4013182000990516, -0.03509478412884679,
        -1.6674865904394212, 1.3921384005454986, -0.08099695140769417,
        -0.6419577246959741, -0.9083381182835725, -0.38443047420819676,
    ].map { Rational($0) })

    /// The prisoner's dilemma (3, 0, 5, 1): the unique CE is (D, D), welfare 2.
    static func prisonersDilemma(scale c: Double, offsets: [Double] = [0, 0]) -> NormalFormGame {
        let row: [Double] = [3, 0, 5, 1], column: [Double] = [3, 5, 0, 1]
        return try! NormalFormGame(actionCounts: [2, 2],
                                   payoffs: row.map { $0 * c + offsets[0] } + column.map { $0 * c + offsets[1] })
    }

    static func normalGame(_ shape: [Int], seed: UInt64, scale: Double = 1, offsets: [Double]? = nil) -> NormalFormGame {
        var random = SplitMix64(seed: seed)
        let joint = shape.reduce(1, *)
        var payoffs: [Double] = []
        for p in 0..<shape.count {
            for _ in 0..<joint {
                // Box–Muller from two uniforms in (0, 1].
                let u = 1 - random.nextUnit(), v = random.nextUnit()
                payoffs.append((-2 * log(u)).squareRoot() * cos(2 * .pi * v) * scale + (offsets?[p] ?? 0))
            }
        }
        return try! NormalFormGame(actionCounts: shape, payoffs: payoffs)
    }

    /// The μ = ∞ answer of `solve --tie-break max-entropy`: max welfare, then max entropy.
    static func tieBreak(_ game: NormalFormGame, _ concept: EquilibriumConcept) throws -> MWMREResult {
        let n = game.playerCount
        return try MWMRESolver.solve(game: game, parameters: MWMREParameters(
            concept: concept, epsilonTarget: Array(repeating: 0, count: n), epsilonCap: Array(repeating: 1, count: n),
            welfare: game.welfare, mu: .infinity, rho: .infinity))
    }

    /// An independent test of the tie-break: σ is an equilibrium, its welfare is the max-welfare
    /// LP value, and it maximises entropy on that face — the Frank–Wolfe gap
    /// max_v ∇H(σ)·(v − σ) over the face (one LP, with W·v ≥ W* as a row) is ≤ `tolerance`.
    /// A concave function is maximal on a polytope exactly where that gap is ≤ 0.
    static func checkTieBreak(_ game: NormalFormGame, _ concept: EquilibriumConcept, _ result: MWMREResult,
                              tolerance: Double = 1e-7) throws {
        #expect(result.status == .optimal, "\(result.message)")
        guard result.status == .optimal else { return }
        let lp = try EquilibriumLP.solve(game: game, concept: concept, exact: true)
        let best = try #require(lp.objectiveExact).doubleValue
        let welfare = game.welfare
        let scale = welfare.reduce(0) { max($0, abs($1)) }
        let achieved = zip(result.joint, welfare).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(achieved - best) <= 1e-8 * max(scale, 1e-300), "welfare \(achieved) vs LP \(best)")
        let gains = game.maximumGains(concept, sigma: result.joint)
        let range = (game.payoffs.max()! - game.payoffs.min()!)
        #expect(gains.allSatisfy { $0 <= 1e-9 * range }, "gains \(gains)")
        // Frank–Wolfe gap over the face {equilibria with W·v ≥ W* − slack}.
        // ∇H = −log σ − 1 (the constant drops on Σv = Σσ = 1), floored at σ = 1e-12 so that the
        // LP's own feasibility tolerance (~1e-10) on columns the face excludes stays negligible;
        // a column the face allows but σ leaves empty still shows up with a gradient of 27.6.
        let gradient = result.joint.map { -log(max($0, 1e-12)) }
        var program = try EquilibriumLP.program(
            game: game, concept: concept, selection: .linear(coefficients: gradient.map { Rational($0) }, maximize: true),
            epsilon: Array(repeating: .zero, count: game.playerCount))
        program.addRow(welfare.enumerated().map { ($0.offset, Rational($0.element)) },
                       bounds: .atLeast(Rational(best - 1e-10 * max(scale, 1e-300))))
        let solution = try program.solve()
        #expect(solution.status == .optimal)
        let atSigma = zip(gradient, result.joint).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(solution.objectiveValue - atSigma <= tolerance, "Frank–Wolfe gap \(solution.objectiveValue - atSigma)")
    }

    @Test func tieBreakOnTheCrashGame() throws {
        let result = try Self.tieBreak(Self.crashGame, .correlated)
        try Self.checkTieBreak(Self.crashGame, .correlated, result)
    }

    /// The crash happened on about 1 in 10 games with N(0,1) payoffs given as doubles.
    @Test(.timeLimit(.minutes(20))) func tieBreakOnRandomDoubleGames() throws {
        let shapes: [[Int]] = [[3, 3], [4, 4], [5, 5], [8, 8], [2, 2, 2], [2, 4, 4], [2, 2, 2, 2]]
        var solved = 0
        for (k, shape) in shapes.enumerated() {
            for seed in 0..<(shape.count > 2 ? 4 : 6) {
                for concept in [EquilibriumConcept.correlated, .coarseCorrelated] {
                    let game = Self.normalGame(shape, seed: UInt64(1000 * k + seed))
                    // As read from text: exact payoffs equal to the doubles (the exact reduction, slow on
                    // long binary fractions: small shapes only).
                    var copies = [game]
                    if game.jointActionCount <= 25 {
                        copies.append(try NormalFormGame(actionCounts: shape, exactPayoffs: game.payoffs.map { Rational($0) }))
                    }
                    for g in copies {
                        let result = try Self.tieBreak(g, concept)
                        // The Frank–Wolfe LP itself is solved to GLPK's tolerance (~1e-10 per row) with
                        // gradients up to 27.6: a gap of 1e-5 is its resolution, far below a wrong face
                        // (a missing column alone gives ≥ 1e-3 on these games).
                        try Self.checkTieBreak(g, concept, result, tolerance: 1e-5)
                        solved += 1
                    }
                }
            }
        }
        #expect(solved == 2 * (4 * 6 + 3 * 4) + 2 * (3 * 6 + 2 * 4))
    }

    /// Max welfare is invariant to scale and offset: σ = (D, D), value 2c + offsets, ε scaled.
    @Test func prisonersDilemmaAtEveryScale() throws {
        for c in [1e-300, 1e-200, 1e-8, 1, 1e6, 1e9, 1e154, 1e300] {
            for offsets in [[0.0, 0.0], [c * 1e6, -c * 3], [-c * 7e3, c * 0.5]] {
                let game = Self.prisonersDilemma(scale: c, offsets: offsets)
                for exact in [false, true] {
                    let r = try EquilibriumLP.solve(game: game, concept: .correlated, exact: exact, optimalFace: true)
                    #expect(r.status == .optimal, "c = \(c), offsets \(offsets), exact \(exact): \(r.status) \(r.note ?? "")")
                    guard r.status == .optimal else { continue }
                    #expect(abs(r.joint[3] - 1) <= 1e-9, "c = \(c): σ = \(r.joint)")
                    let expected = 2 * c + offsets[0] + offsets[1]
                    #expect(abs(r.objective! - expected) <= 1e-9 * max(abs(expected), c), "c = \(c): \(r.objective!)")
                    #expect(r.isUnique == true, "c = \(c)")
                    #expect(r.duals.allSatisfy { $0.isFinite && $0 >= 0 })
                    if exact { #expect(r.certified, "c = \(c): \(r.note ?? "")") }
                }
                // Rows whose recommendation is never played have gain 0, and C is dominated, so
                // no strict CE exists: the minimum ε is 0, any ε < 0 is infeasible (proven).
                let loose = try EquilibriumLP.solve(game: game, concept: .correlated,
                                                    epsilon: [Rational(c / 2), Rational(c / 2)])
                #expect(loose.status == .optimal, "c = \(c): \(loose.note ?? "")")
                let impossible = try EquilibriumLP.solve(game: game, concept: .correlated,
                                                         epsilon: [Rational(-c / 2), Rational(-c / 2)])
                #expect(impossible.status == .infeasible && impossible.certified, "c = \(c): \(impossible.note ?? "")")
                let minimum = try EquilibriumLP.solve(game: game, concept: .correlated,
                                                      selection: .minimumEpsilon(perPlayer: false))
                #expect(minimum.status == .optimal)
                #expect(abs(minimum.epsilon[0]) <= 1e-9 * c, "c = \(c): min ε \(minimum.epsilon)")
            }
        }
    }

    /// Random 5×5 games times c and shifted: every selection's value scales by c (plus the
    /// offset's share for welfare), statuses stay optimal.
    @Test(.timeLimit(.minutes(15))) func randomGamesScaleAndShift() throws {
        let selections: [(String, LinearSelection)] = [
            ("max-welfare", .maximumWelfare), ("min-epsilon", .minimumEpsilon(perPlayer: false)),
            ("min-epsilon-per-player", .minimumEpsilon(perPlayer: true)), ("max-probability", .maximumProbability(jointIndex: 7)),
        ]
        for seed in 0..<6 {
            let base = Self.normalGame([5, 5], seed: UInt64(seed))
            for concept in [EquilibriumConcept.correlated, .coarseCorrelated] {
                for (name, selection) in selections {
                    let reference = try EquilibriumLP.solve(game: base, concept: concept, selection: selection)
                    #expect(reference.status == .optimal)
                    for c in [1e-300, 1e-8, 1e4, 1e6, 1e9, 1e300] {
                        let offsets = [c * 1e6, -c * 1e3]
                        let game = Self.normalGame([5, 5], seed: UInt64(seed), scale: c, offsets: offsets)
                        let r = try EquilibriumLP.solve(game: game, concept: concept, selection: selection)
                        #expect(r.status == .optimal, "\(name) c = \(c): \(r.status) \(r.note ?? "")")
                        guard r.status == .optimal, let value = r.objective, let ref = reference.objective else { continue }
                        let shift: Double
                        switch selection {
                        case .maximumWelfare: shift = offsets[0] + offsets[1]
                        default: shift = 0
                        }
                        let expected = selection == .maximumProbability(jointIndex: 7) ? ref : ref * c + shift
                        // Offsets of 1e6·c are in the data itself: the game's own doubles carry an
                        // absolute error of ~1e-10·c, which bounds the agreement.
                        let unit = selection == .maximumProbability(jointIndex: 7) ? 1 : c
                        #expect(abs(value - expected) <= 1e-8 * max(abs(expected), unit), "\(name) c = \(c): \(value) vs \(expected)")
                        for p in 0..<2 {
                            #expect(r.maximumGains[p] <= r.epsilon[p] + 1e-8 * c * 10, "\(name) c = \(c)")
                        }
                    }
                }
            }
        }
    }

    /// MWMRE presets normalise per player; the scale must neither overflow nor underflow.
    @Test func presetsAtExtremeScales() throws {
        let reference = try Self.preset(Self.prisonersDilemma(scale: 1))
        #expect(reference.status == .optimal)
        #expect(abs(reference.joint[0] - 0.25) > 1e-3, "the PD's ME CE is not uniform")
        for c in [1e-300, 1e-200, 1e-8, 1e8, 1e154, 1e300] {
            let r = try Self.preset(Self.prisonersDilemma(scale: c, offsets: [c * 5, -c]))
            #expect(r.status == .optimal)
            #expect(zip(r.joint, reference.joint).allSatisfy { abs($0 - $1) <= 1e-8 }, "c = \(c): \(r.joint)")
        }
    }

    /// The welfare presets in normalised units at every scale, up to payoffs whose sum Σ_p G_p
    /// overflows the doubles (3.2e307 × (3, 5): 5 × 3.2e307 is a double, 6 × 3.2e307 is not).
    /// Normalisation does not see a positive scale, so each answer is the unscaled game's; in raw
    /// units the overflowing welfare is refused, naming the joint action, never replaced.
    @Test func welfarePresetsAtExtremeScales() throws {
        let problems: [(String, MWMREProblem)] = [
            ("MU", MWMREProblem(concept: .correlated, preset: .maximumUtilitarianWelfare)),
            ("MU, μ = ∞", MWMREProblem(concept: .correlated, preset: .maximumUtilitarianWelfare, mu: .infinity)),
            ("ME, μ = 5", MWMREProblem(concept: .correlated, mu: 5)),
            ("ME, μ = 1, ρ = ∞", MWMREProblem(concept: .coarseCorrelated, mu: 1, rho: .infinity)),
        ]
        let games = [Self.prisonersDilemma(scale: 1), Self.normalGame([3, 3], seed: 11)]
        for (name, problem) in problems {
            for base in games {
                let reference = try Self.solve(base, problem)
                #expect(reference.status == .optimal, "\(name)")
                let top = base.payoffs.reduce(0) { max($0, abs($1)) }
                for c in [1e-300, 1e300, 1.6e308 / top] {
                    let scaled = try NormalFormGame(actionCounts: base.actionCounts, payoffs: base.payoffs.map { $0 * c })
                    if c > 1e300 { #expect(scaled.utilitarianWelfare.contains { !$0.isFinite }, "the sum overflows") }
                    let r = try Self.solve(scaled, problem)
                    #expect(r.status == .optimal, "\(name), c = \(c)")
                    #expect(zip(r.joint, reference.joint).allSatisfy { abs($0 - $1) <= 1e-8 },
                            "\(name), c = \(c): \(r.joint) vs \(reference.joint)")
                    if let w = reference.maximumWelfare {
                        #expect(abs(r.maximumWelfare! - w) <= 1e-8 * max(1, abs(w)), "\(name), c = \(c)")
                    }
                    var raw = problem
                    raw.units = .raw
                    if c > 1e300 {
                        #expect {
                            try Self.solve(scaled, raw)
                        } throws: { "\($0)".contains("overflows") && "\($0)".contains("joint action (") }
                    }
                }
            }
        }
    }

    static func solve(_ game: NormalFormGame, _ problem: MWMREProblem) throws -> MWMREResult {
        let instance = try problem.instance(of: .init(game: game))
        return try MWMRESolver.solve(game: instance.game, parameters: instance.parameters)
    }

    static func preset(_ game: NormalFormGame) throws -> MWMREResult {
        let instance = try MWMREProblem(concept: .correlated).instance(of: .init(game: game))
        return try MWMRESolver.solve(game: instance.game, parameters: instance.parameters)
    }

    /// Parameters whose dual would overflow are refused, naming the parameter and its range;
    /// at the edge of the range every number is finite and the certificate honest.
    @Test func parametersOutsideTheirRangeAreRefused() throws {
        let (game, _) = Self.normalGame([3, 3], seed: 5).l2Normalized()
        let base = MWMREParameters(concept: .correlated, epsilonTarget: [0, 0], epsilonCap: [3, 3],
                                   welfare: game.welfare, mu: 0, rho: 1000)
        var cases: [(String, MWMREParameters, String)] = []
        var p = base; p.mu = 1e308; cases.append(("mu", p, "μ"))
        p = base; p.rho = 1e308; cases.append(("rho", p, "ρ"))
        p = base; p.rho = 1e-300; cases.append(("rho small", p, "ρ"))
        p = base; p.epsilonTarget = [-1e308, 0]; cases.append(("eps-hat", p, "ε̂"))
        p = base; p.epsilonCap = [1e308, 3]; cases.append(("eps-plus", p, "ε⁺"))
        p = base; p.mu = -.infinity; cases.append(("mu -inf", p, "μ"))
        for (name, parameters, symbol) in cases {
            #expect(throws: MWMREError.self, "\(name)") { try MWMRESolver.solve(game: game, parameters: parameters) }
            do {
                _ = try MWMRESolver.solve(game: game, parameters: parameters)
            } catch {
                #expect(error.description.contains(symbol), "\(name): \(error)")
            }
        }
        // At the edges of the usable ranges: finite numbers, certificate only when optimal.
        let g = game.deviationGains(.correlated).values.reduce(0) { max($0, abs($1)) }
        let w = game.welfare.reduce(0) { max($0, abs($1)) }
        var edges: [MWMREParameters] = []
        p = base; p.mu = 0.99 * MWMRESolver.parameterRange / w; edges.append(p)
        p = base; p.mu = -1e3; edges.append(p)
        p = base; p.rho = 0.99 * MWMRESolver.parameterRange / g; edges.append(p)
        p = base; p.rho = 1.01 / MWMRESolver.parameterRange / g; edges.append(p)
        p = base; p.epsilonTarget = [-0.99e12 * g, 0]; edges.append(p)
        p = base; p.epsilonCap = [0.99e12 * g, 3]; edges.append(p)
        for parameters in edges {
            let r = try MWMRESolver.solve(game: game, parameters: parameters)
            let numbers = r.joint + r.epsilon + r.duals + [r.dualObjective, r.primalObjective, r.kktResidual]
            #expect(numbers.allSatisfy { $0.isFinite }, "μ \(parameters.mu) ρ \(parameters.rho): \(r.status)")
            if r.certifiedGap != nil { #expect(r.status == .optimal) }
            if r.status != .failed { #expect(abs(r.joint.reduce(0, +) - 1) <= 1e-9) }
        }
    }

    /// A minimum-ε LP on payoffs offset by 1e6 used to run for minutes inside GLPK.
    @Test(.timeLimit(.minutes(10))) func minimumEpsilonWithLargeOffsets() throws {
        for seed in 0..<5 {
            let game = Self.normalGame([4, 4], seed: UInt64(seed), offsets: [1e6, 1e6])
            let base = Self.normalGame([4, 4], seed: UInt64(seed))
            for perPlayer in [false, true] {
                let r = try EquilibriumLP.solve(game: game, concept: .correlated,
                                                selection: .minimumEpsilon(perPlayer: perPlayer))
                let reference = try EquilibriumLP.solve(game: base, concept: .correlated,
                                                        selection: .minimumEpsilon(perPlayer: perPlayer))
                #expect(r.status == .optimal)
                #expect(abs(r.objective! - reference.objective!) <= 1e-8, "\(r.objective!) vs \(reference.objective!)")
            }
        }
    }

    /// A GLPK call that runs out of its budget is a `failed` status with the reason, not an
    /// error and not a wrong status; the exact path's budget covers everything it does.
    @Test(.timeLimit(.minutes(10))) func budgetsGiveFailedOrUncertifiedAnswers() throws {
        let game = Self.normalGame([24, 24], seed: 11)
        var options = SimplexOptions()
        options.iterationLimit = 1  // deterministic, unlike a time limit
        let full = try EquilibriumLP.solve(game: game, concept: .correlated, selection: .minimumEpsilon(perPlayer: true))
        #expect(full.status == .optimal && full.iterations > 1, "the LP needs more than one iteration (\(full.iterations))")
        let r = try EquilibriumLP.solve(game: game, concept: .correlated, selection: .minimumEpsilon(perPlayer: true),
                                        options: options)
        #expect(r.status == .failed)
        #expect(r.note?.contains("iteration limit") == true, "\(r.note ?? "")")
        #expect(r.joint.isEmpty && r.objective == nil && !r.certified)
        // The exact path with 1 ms: the double answer, marked uncertified, with the reason.
        let text = try NormalFormGame(actionCounts: [8, 8],
                                      exactPayoffs: Self.normalGame([8, 8], seed: 12).payoffs.map { Rational($0) })
        let start = ContinuousClock.now
        let exact = try EquilibriumLP.solve(game: text, concept: .correlated, exact: true, optimalFace: true,
                                            exactTimeLimit: .milliseconds(1))
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(exact.status == .optimal)
        if !exact.certified { #expect(exact.note != nil) }
    }

    /// A solve stopped short of its tolerance carries no certificate (it used to say certified).
    @Test func notConvergedIsNeverCertified() throws {
        let (game, _) = Self.normalGame([4, 4], seed: 21).l2Normalized()
        let parameters = MWMREParameters(concept: .correlated, epsilonTarget: [-1, -1], epsilonCap: [4, 4], rho: 1000)
        var stopped = 0
        for method in MWMREMethod.allCases {
            // A tolerance no double computation reaches.
            let r = try MWMRESolver.solve(game: game, parameters: parameters, method: method, tolerance: 1e-300)
            if r.status != .optimal {
                stopped += 1
                #expect(r.certifiedGap == nil, "\(method): \(r.status) with a certificate")
            }
            #expect((r.joint + r.epsilon + r.duals + [r.kktResidual]).allSatisfy { $0.isFinite })
        }
        #expect(stopped > 0, "some method must stop short of 1e-300")
    }

    /// Player 2's payoffs span 2^996 (−1 beside −8e299): GLPK's rational simplex, which pivots on
    /// double conversions of its rationals, aborts the process on such data. The exact path must
    /// not reach it, and must answer (uncertified, saying why); the double path must flag that
    /// some gains are below its tolerances.
    @Test func exactMinimumEpsilonOnPayoffsSpanningHundredsOfBinaryOrders() throws {
        for scale in [1.0, 1e-299] {
            let game = try NormalFormGame(actionCounts: [2, 2],
                                          payoffs: [-1, -0.9, 0.8, 0.9, -1, 0, -8e299, 0].map { $0 * scale })
            for concept in EquilibriumConcept.allCases {
                let exact = try EquilibriumLP.solve(game: game, concept: concept,
                                                    selection: .minimumEpsilon(perPlayer: false), exact: true)
                #expect(exact.status == .optimal && !exact.certified)
                #expect(exact.note?.contains("2^±256") == true, "\(exact.note ?? "")")
                let double = try EquilibriumLP.solve(game: game, concept: concept,
                                                     selection: .minimumEpsilon(perPlayer: false))
                #expect(double.note?.contains("below 2^-50 of the largest") == true, "\(double.note ?? "")")
            }
        }
        // An ordinary game carries no such note.
        let plain = try EquilibriumLP.solve(game: Self.prisonersDilemma(scale: 1), concept: .correlated,
                                            selection: .minimumEpsilon(perPlayer: false))
        #expect(plain.note == nil)
    }

    /// A tolerance looser than 1e-2 of the largest gain lets the solver stop at a point that is
    /// not a solution (the uniform σ at 0 iterations for 1e300): refused, relative to the scale.
    @Test func loosestToleranceIsRelativeToTheGame() throws {
        for c in [1e-8, 1.0, 1e8] {
            let game = Self.prisonersDilemma(scale: c)
            let parameters = MWMREParameters(concept: .coarseCorrelated, epsilonTarget: [0, 0], epsilonCap: [1, 1],
                                             rho: .infinity)
            // The largest deviation gain of the prisoner's dilemma is 2c.
            #expect(throws: MWMREError.self) {
                try MWMRESolver.solve(game: game, parameters: parameters, tolerance: 2.5e-2 * c)
            }
            let result = try MWMRESolver.solve(game: game, parameters: parameters, tolerance: 1.5e-2 * c)
            #expect(result.status == .optimal)
            #expect(result.maximumViolation <= 1.5e-2 * c)
        }
    }

    /// Games near the limits of the doubles: the tie-break at 1e-300 and 1e300 is the unit
    /// game's answer (the welfare is normalised before the face is found); subnormal payoffs,
    /// whose multipliers lie beyond the doubles, fail with that reason.
    @Test func tieBreakAtTheEdgesOfTheDoubles() throws {
        let unit = try NormalFormGame(actionCounts: [2, 2], payoffs: [0, 7, 2, 6, 0, 2, 7, 6])
        let reference = try Self.tieBreak(unit, .correlated)
        for c in [1e-300, 1e300] {
            let game = try NormalFormGame(actionCounts: [2, 2], payoffs: unit.payoffs.map { $0 * c })
            let result = try Self.tieBreak(game, .correlated)
            #expect(result.status == .optimal)
            #expect(zip(result.joint, reference.joint).allSatisfy { abs($0 - $1) <= 1e-9 }, "\(result.joint)")
            let welfare = try #require(result.maximumWelfare), expected = try #require(reference.maximumWelfare) * c
            #expect(abs(welfare - expected) <= 1e-12 * abs(expected))
        }
        let subnormal = try NormalFormGame(actionCounts: [2, 2], payoffs: unit.payoffs.map { $0 * Double.leastNonzeroMagnitude })
        let result = try Self.tieBreak(subnormal, .correlated)
        #expect(result.status == .failed && result.message.contains("range of doubles"), "\(result.message)")
    }
}

