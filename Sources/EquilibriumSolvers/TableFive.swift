import Foundation
import LinearProgramming
public import NormalFormGames

/// An exact, certified optimum of an equilibrium LP (or the proof that there is none).
public struct TableFiveOptimum: Sendable {
    /// The optimal value; `nil` when the program is infeasible.
    public var value: Rational?
    /// An optimal σ over the 16 joint actions (row-major, 0-based index a1·4 + a2).
    public var joint: [Rational]
    /// Multipliers α ≥ 0 of the gain rows in canonical order (docs/reference.md §1), as the LP layer reports
    /// them: for a maximisation, c(a) − Σ_i α_i A_i(a) ≤ value at every joint action a that
    /// may be played.
    public var duals: [Rational]
    /// Whether the optimal σ is unique (`nil` when not asked).
    public var isUnique: Bool?
    /// Range of each σ(a) over the optimal face (when asked).
    public var ranges: [(minimum: Rational, maximum: Rational)]?
    /// Whether our rational arithmetic re-checked the answer (and the face, when asked).
    public var certified: Bool
}

/// The numbers behind the claims, for tests and reports.
public struct TableFiveAnalysis: Sendable {
    /// The relative-entropy selection at one finite temperature T under the reading
    /// min KL(σ‖softmax(T·W)), solved as MWMRE (uniform target, μ = T, ρ = ∞, ε̂ = 0): floating
    /// point, with the KKT residual. `temperature == .infinity` is the μ = ∞ limit.
    public struct TemperaturePoint: Sendable {
        public var temperature: Double
        public var joint: [Double]
        public var welfare: Double
        public var kktResidual: Double
        public var status: String
        /// The MWMRE method whose answer is kept (`newton`, or `lbfgsb-newton` when Newton stopped short).
        public var method: String
        /// Joint actions fixed at 0 by facial reduction (for T = ∞: on the max-welfare face).
        public var zeroJointActions: Int
    }

    // Game (a), CE.
    public var ceMaximumWelfare: TableFiveOptimum
    public var ceMaximumProbability44: TableFiveOptimum
    public var ceMaximumProbability22: TableFiveOptimum
    /// max σ(4,4) over CEs with σ(4,3) = 0.
    public var ceMaximum44Without43: TableFiveOptimum
    /// max σ(2,2) over CEs with σ(2,1) = 0.
    public var ceMaximum22Without21: TableFiveOptimum
    /// min σ(4,3)/σ(4,4) and min σ(2,1)/σ(2,2) over CEs with the denominator positive.
    public var ceMinimumRatio43to44: Rational
    public var ceMinimumRatio21to22: Rational
    /// max Σσ(a)W(a) + (3/5)σ(4,4) over CEs (1: so W ≤ 1 − (3/5)σ(4,4) for every CE).
    public var ceWelfarePlusThreeFifths44: TableFiveOptimum
    /// max welfare over CEs with σ(4,4) ≥ δ, for the δ in ``ceDeltas`` (`nil`: infeasible).
    public var ceDeltas: [Rational]
    public var ceMaximumWelfareGivenDelta: [Rational?]
    /// max welfare over CEs supported on {(1,2), (2,1), (2,2)}.
    public var ceMaximumWelfareOnChickenSupport: TableFiveOptimum
    /// max total mass on the cross-block joint actions (one player in {1,2}, the other in {3,4}).
    public var ceMaximumCrossBlockMass: TableFiveOptimum
    /// max σ(a) over CEs, for every joint action a (all positive ⇔ a full-support CE exists).
    public var ceMaximumProbabilities: [Rational]
    /// The average of those 16 maximisers: a CE, with full support when every maximum is positive.
    public var ceAverageOfMaximizers: [Rational]

    // Game (b), CCE.
    public var cceMaximumWelfare: TableFiveOptimum
    public var cceMaximumProbability22: TableFiveOptimum
    /// max σ(2,2) over CCEs supported on the paper's {(2,2), (2,3), (3,2)}.
    public var cceMaximum22OnPaperSupport: TableFiveOptimum
    /// The paper's CCE: 1/5 (2,2) + 2/5 (2,3) + 2/5 (3,2).
    public var ccePaperJoint: [Rational]
    /// max probability that the column plays 2 over CCEs in which the column never plays 3.
    public var cceMaximumColumn2Without3: TableFiveOptimum
    /// max probability that the row plays anything but 1 or 4, or the column does, over CCEs in
    /// which the column never plays 3.
    public var cceMaximumOutside14Without3: TableFiveOptimum
    /// min q₃/σ(2,2) over CCEs with σ(2,2) > 0 (q₃: probability that the column plays 3).
    public var cceMinimumRatioColumn3to22: Rational
    /// max σ(a) over CCEs, for every joint action a.
    public var cceMaximumProbabilities: [Rational]
    /// The average of those 16 maximisers (a CCE).
    public var cceAverageOfMaximizers: [Rational]

    /// Finite temperatures and the limit, for both games (KL(σ‖σ̂_T) reading, floating point).
    public var ceTemperatures: [TemperaturePoint]
    public var cceTemperatures: [TemperaturePoint]
    /// MWMRE with the target σ̂ = σ for a known equilibrium σ returns σ: the largest |σ − σ̂|
    /// (floating point), for the max-welfare CE of (a) and the paper's CCE of (b).
    public var targetRecovery: [(label: String, maximumDifference: Double, kktResidual: Double)]
}

extension TableFiveAnalysis {
    /// Whether game (a) has a full-support CE: max σ(a) > 0 over CEs for every joint action a
    /// (the average of the 16 maximisers is then one).
    public var ceHasFullSupportEquilibrium: Bool { ceMaximumProbabilities.allSatisfy { $0.signum > 0 } }
    /// Whether game (b) has a full-support CCE.
    public var cceHasFullSupportEquilibrium: Bool { cceMaximumProbabilities.allSatisfy { $0.signum > 0 } }
    /// Whether the max-welfare CE of game (a) plays only (1,2), (2,1) and (2,2).
    public var ceMaximumWelfarePlaysOnlyChickenSupport: Bool {
        let support = [TableFive.index(1, 2), TableFive.index(2, 1), TableFive.index(2, 2)]
        return ceMaximumWelfare.joint.indices.allSatisfy { ceMaximumWelfare.joint[$0].isZero || support.contains($0) }
    }
    /// The row player's payoff at the paper's CCE of game (b) and its payoff for deviating to each action.
    public var ccePaperRowPayoffs: (payoff: Rational, deviations: [Rational]) {
        TableFive.rowDeviationPayoffs(TableFive.cceRowPayoffs, ccePaperJoint)
    }
    /// Whether the paper's CCE of game (b) is a CCE (no deviation pays the row player more; the
    /// game is symmetric).
    public var ccePaperJointIsCCE: Bool {
        let row = ccePaperRowPayoffs
        return row.deviations.allSatisfy { $0 <= row.payoff }
    }
}

/// A problem running the Table 5 reproduction (an LP or MWMRE failure).
public struct TableFiveError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The two Table 5 games of the paper (docs/reference.md §6) and the exact evaluation of every claim that
/// section E of the appendix ("Relative Entropy and Welfare Objectives") makes about them.
///
/// Notation: W(a) = G₁(a) + G₂(a); σ̂_T = softmax(T·W); a* = argmax W ((4,4) in game (a),
/// (2,2) in game (b)). Two readings of "the relative entropy to σ̂_T as T → ∞":
///
/// - Reading A, KL(σ‖σ̂_T) (σ first, the MWMRE direction). KL(σ‖σ̂_T) = −H(σ) − T σ·W + ln Z_T,
///   so the minimiser over equilibria maximises σ·W + H(σ)/T. As H ∈ [0, ln 16], its welfare is
///   within ln 16 / T of W*, so limit points are max-welfare equilibria; and since
///   σ_T·W + H(σ_T)/T ≥ W* + H(σ_F)/T for σ_F the max-entropy point of the max-welfare face F,
///   H(σ_T) ≥ H(σ_F), so every limit point is σ_F (H continuous and strictly concave). Reading A
///   tends to the max-welfare equilibrium (maximum-entropy tie-break), the MWMRE μ = ∞ limit.
/// - Reading B, KL(σ̂_T‖σ) (target first) = const − Σ_a σ̂_T(a) ln σ(a). Divided by σ̂_T(a*) it is
///   −ln σ(a*) − Σ_{a≠a*} e^{−T(W*−W(a))} ln σ(a). With m* = max σ(a*) over equilibria and a
///   full-support equilibrium σ_f, the point (1−η)σ_max + ησ_f bounds the minimum, giving
///   −ln σ_T(a*) ≤ −ln((1−η)m*) + o(1) for every η > 0, so σ_T(a*) → m*. When the face
///   {σ(a*) = m*} is a single point (true in both games), σ_T tends to it; otherwise lower-order
///   terms (the log-masses of the next-highest-welfare joint actions) decide. The literal target
///   lim σ̂_T = δ_{a*} gives the same selection: KL(δ_{a*}‖σ) = −ln σ(a*).
/// - The literal target with σ first, KL(σ‖δ_{a*}), is +∞ at every equilibrium in both games
///   (neither a* is an equilibrium), so it selects nothing.
public enum TableFive {
    /// Row player's payoffs of game (a), the CE counterexample (rows: own action 1…4).
    public static let ceRowPayoffs: [[Rational]] = [
        [-4, 2, -999, -999],
        [-2, 1, -999, -999],
        [-999, -999, -3, 2],
        [-999, -999, -2, Rational(exactly: "1.1")!],
    ]

    /// Row player's payoffs of game (b), the CCE counterexample.
    public static let cceRowPayoffs: [[Rational]] = [
        [2, 0, 0, 0],
        [0, 3, 0, -10],
        [0, 3, -10, -10],
        [2, 7, -6, 0],
    ]

    /// Game (a): symmetric, the column player's payoff is the transpose.
    public static let ceGame: NormalFormGame = symmetricGame(ceRowPayoffs, title: "Table 5 (a): CE counterexample")

    /// Game (b): symmetric, the column player's payoff is the transpose.
    public static let cceGame: NormalFormGame = symmetricGame(cceRowPayoffs, title: "Table 5 (b): CCE counterexample")

    /// A symmetric two-player game from the row player's square matrix.
    public static func symmetricGame(_ row: [[Rational]], title: String? = nil) -> NormalFormGame {
        let n = row.count
        let column = (0..<n).flatMap { i in (0..<n).map { j in row[j][i] } }
        // The shape is valid and the payoffs are small integers or 11/10.
        var game = try! NormalFormGame(actionCounts: [n, n], exactPayoffs: row.flatMap { $0 } + column)
        game.title = title
        return game
    }

    /// The flat 0-based index of the joint action (a1, a2) given 1-based, as people read it.
    public static func index(_ a1: Int, _ a2: Int) -> Int { (a1 - 1) * 4 + (a2 - 1) }

    /// The 1-based label `(a1,a2)` of a flat index.
    public static func label(_ index: Int) -> String { "(\(index / 4 + 1),\(index % 4 + 1))" }

    /// The temperatures shown for the finite-T reading A.
    public static let defaultTemperatures: [Double] = [1, 10, 100]

    // MARK: - Computation

    /// Computes every number the claims use: exact certified LPs, and MWMRE in floating point
    /// for the finite temperatures.
    public static func analyze(temperatures: [Double] = defaultTemperatures) throws(TableFiveError) -> TableFiveAnalysis {
        let ce = ceGame, cce = cceGame
        let i44 = index(4, 4), i43 = index(4, 3), i22 = index(2, 2), i21 = index(2, 1)
        let all = [Bool](repeating: true, count: 16)
        func without(_ excluded: [Int]) -> [Bool] {
            var s = all
            for e in excluded { s[e] = false }
            return s
        }
        func only(_ included: [Int]) -> [Bool] { (0..<16).map { included.contains($0) } }
        func unit(_ i: Int, _ value: Rational = .one) -> [Rational] {
            var c = [Rational](repeating: .zero, count: 16)
            c[i] = value
            return c
        }

        let ceMaximumWelfare = try optimum(ce, .correlated, .maximumWelfare)
        let ceMax44 = try optimum(ce, .correlated, .maximumProbability(jointIndex: i44))
        let ceMax22 = try optimum(ce, .correlated, .maximumProbability(jointIndex: i22))
        let ceMax44Without43 = try optimum(ce, .correlated, .maximumProbability(jointIndex: i44),
                                           support: without([i43]))
        let ceMax22Without21 = try optimum(ce, .correlated, .maximumProbability(jointIndex: i22),
                                           support: without([i21]))
        let ratio43 = try minimumRatio(ce, .correlated, numerator: unit(i43), denominator: i44)
        let ratio21 = try minimumRatio(ce, .correlated, numerator: unit(i21), denominator: i22)
        var tradeOff = ce.rationalWelfare
        tradeOff[i44] += Rational(3, 5)
        let ceTradeOff = try optimum(ce, .correlated, .linear(coefficients: tradeOff, maximize: true))
        let deltas = [Rational(1, 1000), Rational(1, 10), Rational(5, 14), Rational(1, 2)]
        let givenDelta = try deltas.map { (delta) throws(TableFiveError) -> Rational? in
            try maximumWelfare(ce, .correlated, atLeast: delta, at: i44)
        }
        let chickenSupport = only([index(1, 2), index(2, 1), i22])
        let ceChicken = try optimum(ce, .correlated, .maximumWelfare, support: chickenSupport)
        let cross = (0..<16).map { a -> Rational in ((a / 4) < 2) != ((a % 4) < 2) ? .one : .zero }
        let ceCross = try optimum(ce, .correlated, .linear(coefficients: cross, maximize: true), face: false)
        let ceMaximizers = try (0..<16).map { (a) throws(TableFiveError) -> TableFiveOptimum in
            try optimum(ce, .correlated, .maximumProbability(jointIndex: a), face: false)
        }
        let ceMaxima = ceMaximizers.map { $0.value ?? .zero }

        let cceMaximumWelfare = try optimum(cce, .coarseCorrelated, .maximumWelfare)
        let cceMax22 = try optimum(cce, .coarseCorrelated, .maximumProbability(jointIndex: i22))
        let paperSupport = [i22, index(2, 3), index(3, 2)]
        let cceMax22Paper = try optimum(cce, .coarseCorrelated, .maximumProbability(jointIndex: i22),
                                        support: only(paperSupport))
        var paper = [Rational](repeating: .zero, count: 16)
        paper[i22] = Rational(1, 5)
        paper[index(2, 3)] = Rational(2, 5)
        paper[index(3, 2)] = Rational(2, 5)
        let noColumn3 = (0..<16).map { $0 % 4 != 2 }
        let column2 = (0..<16).map { a -> Rational in a % 4 == 1 ? .one : .zero }
        let cceColumn2 = try optimum(cce, .coarseCorrelated, .linear(coefficients: column2, maximize: true),
                                     support: noColumn3, face: false)
        let outside = (0..<16).map { a -> Rational in
            [0, 3].contains(a / 4) && [0, 3].contains(a % 4) ? .zero : .one
        }
        let cceOutside = try optimum(cce, .coarseCorrelated, .linear(coefficients: outside, maximize: true),
                                     support: noColumn3, face: false)
        let column3 = (0..<16).map { a -> Rational in a % 4 == 2 ? .one : .zero }
        let ratioColumn3 = try minimumRatio(cce, .coarseCorrelated, numerator: column3, denominator: i22)
        let cceMaximizers = try (0..<16).map { (a) throws(TableFiveError) -> TableFiveOptimum in
            try optimum(cce, .coarseCorrelated, .maximumProbability(jointIndex: a), face: false)
        }
        let cceMaxima = cceMaximizers.map { $0.value ?? .zero }

        let ceTemperatures = try temperatureSeries(ce, .correlated, temperatures)
        let cceTemperatures = try temperatureSeries(cce, .coarseCorrelated, temperatures)
        let recovery = try [
            targetRecovery(ce, .correlated, ceMaximumWelfare.joint, label: "max-welfare CE of game (a)"),
            targetRecovery(cce, .coarseCorrelated, paper, label: "the paper's CCE of game (b)"),
        ]

        return TableFiveAnalysis(
            ceMaximumWelfare: ceMaximumWelfare, ceMaximumProbability44: ceMax44, ceMaximumProbability22: ceMax22,
            ceMaximum44Without43: ceMax44Without43, ceMaximum22Without21: ceMax22Without21,
            ceMinimumRatio43to44: ratio43, ceMinimumRatio21to22: ratio21, ceWelfarePlusThreeFifths44: ceTradeOff,
            ceDeltas: deltas, ceMaximumWelfareGivenDelta: givenDelta, ceMaximumWelfareOnChickenSupport: ceChicken,
            ceMaximumCrossBlockMass: ceCross, ceMaximumProbabilities: ceMaxima,
            ceAverageOfMaximizers: average(ceMaximizers.map(\.joint)),
            cceMaximumWelfare: cceMaximumWelfare, cceMaximumProbability22: cceMax22,
            cceMaximum22OnPaperSupport: cceMax22Paper, ccePaperJoint: paper, cceMaximumColumn2Without3: cceColumn2,
            cceMaximumOutside14Without3: cceOutside, cceMinimumRatioColumn3to22: ratioColumn3,
            cceMaximumProbabilities: cceMaxima, cceAverageOfMaximizers: average(cceMaximizers.map(\.joint)),
            ceTemperatures: ceTemperatures, cceTemperatures: cceTemperatures,
            targetRecovery: recovery)
    }

    /// An exact, certified LP optimum (with the optimal face when `face`).
    static func optimum(_ game: NormalFormGame, _ concept: EquilibriumConcept, _ selection: LinearSelection,
                        support: [Bool]? = nil, face: Bool = true) throws(TableFiveError) -> TableFiveOptimum {
        let result: EquilibriumLPResult
        do {
            result = try EquilibriumLP.solve(game: game, concept: concept, selection: selection, exact: true,
                                             optimalFace: face, support: support)
        } catch {
            throw TableFiveError("LP failed: \(error)")
        }
        guard result.certified else {
            throw TableFiveError("an LP answer could not be certified: \(result.note ?? "no reason given")")
        }
        switch result.status {
        case .optimal:
            return TableFiveOptimum(
                value: result.objectiveExact, joint: result.jointExact ?? [], duals: result.dualsExact ?? [],
                isUnique: result.isUnique, ranges: result.rangesExact, certified: result.certified)
        case .infeasible:
            return TableFiveOptimum(value: nil, joint: [], duals: result.dualsExact ?? [], isUnique: nil,
                                    ranges: nil, certified: result.certified)
        case .unbounded, .failed:
            throw TableFiveError("an equilibrium LP was reported \(result.status.rawValue): \(result.note ?? "")")
        }
    }

    /// max Σσ(a)W(a) over equilibria with σ(index) ≥ δ, exactly (`nil` when infeasible).
    static func maximumWelfare(_ game: NormalFormGame, _ concept: EquilibriumConcept, atLeast delta: Rational,
                               at index: Int) throws(TableFiveError) -> Rational? {
        do {
            var program = try EquilibriumLP.program(game: game, concept: concept, selection: .maximumWelfare,
                                                    epsilon: [.zero, .zero])
            program.addRow([(index, Rational.one)], bounds: .atLeast(delta))
            let solution = try program.solveExactly()
            guard solution.certified else { throw TableFiveError("a δ-constrained LP could not be certified") }
            return solution.status == .optimal ? solution.objectiveValue : nil
        } catch let error as TableFiveError {
            throw error
        } catch {
            throw TableFiveError("LP failed: \(error)")
        }
    }

    /// min (n·σ)/σ(d) over equilibria with σ(d) > 0, by the Charnes–Cooper transformation: over
    /// the cone {y ≥ 0, gains·y ≤ 0} with y(d) = 1, minimise n·y. Exact and certified.
    static func minimumRatio(_ game: NormalFormGame, _ concept: EquilibriumConcept, numerator: [Rational],
                             denominator d: Int) throws(TableFiveError) -> Rational {
        do {
            var program = try EquilibriumLP.program(game: game, concept: concept,
                                                    selection: .linear(coefficients: numerator, maximize: false),
                                                    epsilon: [.zero, .zero])
            // The last row is Σσ = 1: free it (a cone), and normalise σ(d) = 1 instead.
            program.rowBounds[program.rowCount - 1] = .free
            program.addRow([(d, Rational.one)], bounds: .fixed(.one))
            let solution = try program.solveExactly()
            guard solution.certified, solution.status == .optimal, let value = solution.objectiveValue else {
                throw TableFiveError("the ratio LP for \(label(d)) was not solved and certified")
            }
            return value
        } catch let error as TableFiveError {
            throw error
        } catch {
            throw TableFiveError("LP failed: \(error)")
        }
    }

    /// Reading A at finite T: MWMRE with uniform target, welfare W, μ = T, ρ = ∞, ε̂ = 0.
    static func temperatureSeries(_ game: NormalFormGame, _ concept: EquilibriumConcept, _ temperatures: [Double])
        throws(TableFiveError) -> [TableFiveAnalysis.TemperaturePoint]
    {
        let welfare = game.welfare
        return try (temperatures + [.infinity]).map { (t) throws(TableFiveError) -> TableFiveAnalysis.TemperaturePoint in
            let parameters = MWMREParameters(concept: concept, epsilonTarget: [0, 0], epsilonCap: [1, 1],
                                             welfare: welfare, mu: t, rho: .infinity)
            // Newton first; when it stops short (large T makes the dual badly scaled), L-BFGS-B and
            // then Newton from its point; the answer with the smaller KKT residual is kept.
            var best: MWMREResult?
            for method in [MWMREMethod.newton, .lbfgsbNewton] {
                let result: MWMREResult
                do {
                    result = try MWMRESolver.solve(game: game, parameters: parameters, method: method)
                } catch {
                    throw TableFiveError("MWMRE at T = \(t) failed: \(error)")
                }
                if best == nil || result.kktResidual < best!.kktResidual { best = result }
                if result.status == .optimal { break }
            }
            let result = best!
            let w = zip(result.joint, welfare).reduce(0) { $0 + $1.0 * $1.1 }
            return .init(temperature: t, joint: result.joint, welfare: w, kktResidual: result.kktResidual,
                         status: result.status.rawValue, method: result.method.rawValue,
                         zeroJointActions: result.zeroJointActions)
        }
    }

    /// MWMRE (μ = 0, ρ = ∞, ε̂ = 0) with target σ̂ = σ: the minimiser should be σ itself.
    static func targetRecovery(_ game: NormalFormGame, _ concept: EquilibriumConcept, _ sigma: [Rational],
                               label: String) throws(TableFiveError) -> (label: String, maximumDifference: Double, kktResidual: Double) {
        let target = sigma.map(\.doubleValue)
        let parameters = MWMREParameters(concept: concept, target: target, epsilonTarget: [0, 0],
                                         epsilonCap: [1, 1], rho: .infinity)
        let result: MWMREResult
        do {
            result = try MWMRESolver.solve(game: game, parameters: parameters)
        } catch {
            throw TableFiveError("MWMRE with a target failed: \(error)")
        }
        let difference = zip(result.joint, target).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
        return (label, difference, result.kktResidual)
    }

    // MARK: - Exact helpers

    /// The entrywise average of joints (all of length 16).
    static func average(_ joints: [[Rational]]) -> [Rational] {
        var sum = [Rational](repeating: .zero, count: 16)
        for joint in joints where joint.count == 16 {
            for a in 0..<16 { sum[a] += joint[a] }
        }
        let n = Rational(joints.count)
        return sum.map { $0 / n }
    }

    /// Σ_a σ(a) W(a), exactly.
    public static func welfare(_ game: NormalFormGame, _ sigma: [Rational]) -> Rational {
        zip(sigma, game.rationalWelfare).reduce(Rational.zero) { $0 + $1.0 * $1.1 }
    }

    /// The row player's expected payoff under σ, and its payoff for deviating to each action k
    /// (CCE: against the column player's marginal), exactly.
    public static func rowDeviationPayoffs(_ row: [[Rational]], _ sigma: [Rational])
        -> (payoff: Rational, deviations: [Rational])
    {
        var payoff = Rational.zero
        var deviations = [Rational](repeating: .zero, count: 4)
        for a in 0..<16 where !sigma[a].isZero {
            payoff += sigma[a] * row[a / 4][a % 4]
            for k in 0..<4 { deviations[k] += sigma[a] * row[k][a % 4] }
        }
        return (payoff, deviations)
    }
}
