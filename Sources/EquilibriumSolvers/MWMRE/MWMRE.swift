import ConvexOptimization
import Foundation
public import LinearProgramming
public import NormalFormGames

/// Parameters of the ε̂-MWMRE (C)CE (SPEC §3), in the units of the game they are solved on.
public struct MWMREParameters: Sendable {
    public var concept: EquilibriumConcept
    /// Target joint σ̂ (non-negative, summing to 1; zeros allowed); `nil` means uniform.
    public var target: [Double]?
    /// Target approximation ε̂_p per player (may be negative).
    public var epsilonTarget: [Double]
    /// Cap ε⁺_p > ε̂_p per player.
    public var epsilonCap: [Double]
    /// Welfare W over joint actions; `nil` means no welfare term.
    public var welfare: [Double]?
    /// Welfare weight μ ≥ 0; `.infinity` means the limit of SPEC §3 (ε̂ hard, max welfare, then
    /// minimum relative entropy on that face).
    public var mu: Double
    /// ε-penalty weight ρ > 0; `.infinity` pins ε to ε̂ (hard constraints).
    public var rho: Double

    public init(concept: EquilibriumConcept, target: [Double]? = nil, epsilonTarget: [Double], epsilonCap: [Double],
                welfare: [Double]? = nil, mu: Double = 0, rho: Double) {
        self.concept = concept
        self.target = target
        self.epsilonTarget = epsilonTarget
        self.epsilonCap = epsilonCap
        self.welfare = welfare
        self.mu = mu
        self.rho = rho
    }
}

/// Which minimiser runs on the dual.
public enum MWMREMethod: String, Sendable, CaseIterable {
    /// Projected Newton with a regularised Cholesky factorisation (LAPACK): the precise default.
    case newton
    /// L-BFGS-B (the Fortran code scipy uses), for games too large for Newton.
    case lbfgsb
    /// L-BFGS-B, then Newton from its point to polish.
    case lbfgsbNewton = "lbfgsb-newton"
}

/// The outcome of an MWMRE solve.
public enum MWMREStatus: String, Sendable {
    /// KKT residual within tolerance.
    case optimal
    /// ε̂ is below the minimum permissible ε (only possible with ρ = ∞ or μ = ∞).
    case infeasible
    /// The minimiser stopped before the tolerance (the message says why).
    case notConverged = "not-converged"
}

/// Everything a solve reports (SPEC §3).
public struct MWMREResult: Sendable {
    public var status: MWMREStatus
    public var message: String
    /// σ over all joint actions (row-major).
    public var joint: [Double]
    /// ε_p recovered from the duals (ε̂ when ρ = ∞).
    public var epsilon: [Double]
    /// Multipliers of the gain rows in canonical order. With ρ = ∞ and a reduced problem, the
    /// reduced problem's multipliers (equality rows may be negative; rows dropped as zero on
    /// the support are 0); see ``dualsAttained``.
    public var duals: [Double]
    /// Whether ``duals`` is a minimiser of the full problem's dual (false when facial reduction
    /// removed joint actions or turned rows into equalities: the full duals then diverge).
    public var dualsAttained: Bool
    /// L at the duals (of the problem actually minimised: the reduced one after facial reduction).
    public var dualObjective: Double
    /// P(σ, ε) = μ σ·W − KL(σ‖σ̂) − ρ Σ_p D(ε_p) at the recovered primal point.
    public var primalObjective: Double
    /// The certified gap L(α) − P(σ(α), ε̃), an upper bound on KL(σ(α)‖σ*); `nil` when no
    /// certificate exists (see ``certificateNote``).
    public var certifiedGap: Double?
    public var certificateNote: String?
    /// L(α) − P(σ(α), ε(α)), reported even without a certificate (it is not a bound).
    public var rawGap: Double { dualObjective - primalObjective }
    public var kktResidual: Double
    public var iterations: Int
    public var method: MWMREMethod
    /// Largest violation of the recovered σ of its constraints (gains against ε, in payoff units).
    public var maximumViolation: Double
    /// For an infeasible ε̂: the minimum permissible shared ε and per-player ε (SPEC §2).
    public var minimumEpsilon: Double?
    /// For μ = ∞: the maximum welfare W* on which the relative entropy was minimised.
    public var maximumWelfare: Double?
    /// Facial reduction (ρ = ∞): joint actions no feasible σ plays, and rows tight for every
    /// feasible σ.
    public var zeroJointActions: Int
    public var equalityRows: Int
}

/// A problem with the parameters of an MWMRE solve, or a failure of the LP steps it uses.
public struct MWMREError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The ε̂-MWMRE (C)CE solver: Newton or L-BFGS-B on the dual of SPEC §3, with the exact limits
/// ρ = ∞ (facial reduction) and μ = ∞ (max welfare, then minimum relative entropy).
public enum MWMRESolver {
    /// Solves the ε̂-MWMRE problem on `game` (in the game's own payoff units).
    ///
    /// - Parameters:
    ///   - tolerance: KKT residual to reach (payoff units of `game`).
    ///   - exactFacialReduction: decide the zero joint actions and always-tight rows of the
    ///     ρ = ∞ problem by an exact, certified LP (true), or by a double LP (false). The default
    ///     (`nil`) is exact for games with exact payoffs read from text, and doubles otherwise:
    ///     the exact program over the binary fractions of random doubles is far too slow in bulk.
    /// - Throws: ``MWMREError`` for invalid parameters.
    public static func solve(
        game: NormalFormGame, parameters: MWMREParameters, method: MWMREMethod = .newton,
        tolerance: Double = 1e-10, exactFacialReduction: Bool? = nil
    ) throws(MWMREError) -> MWMREResult {
        let n = game.playerCount
        let joint = game.jointActionCount
        try validate(parameters, players: n, joint: joint)
        let target = parameters.target ?? Array(repeating: 1 / Double(joint), count: joint)
        let support = target.map { $0 > 0 }
        let columns = (0..<joint).filter { support[$0] }
        let gains = game.deviationGains(parameters.concept)
        let rowPlayers = gains.rows.map(\.player)

        let hard = parameters.rho.isInfinite || parameters.mu.isInfinite
        var extraRow: (coefficients: [Double], bound: Double)?
        var maximumWelfare: Double?
        let epsilonTarget = parameters.epsilonTarget

        if hard {
            // Feasibility of ε̂ on the support (and W* for μ = ∞), exactly when the reduction is exact.
            let feasibility: EquilibriumLPResult
            do {
                let welfareCoefficients = (parameters.welfare ?? Array(repeating: 0, count: joint)).map { Rational($0) }
                feasibility = try EquilibriumLP.solve(
                    game: game, concept: parameters.concept,
                    selection: .linear(coefficients: welfareCoefficients, maximize: true),
                    epsilon: epsilonTarget.map { Rational($0) }, exact: exactFacialReduction ?? game.hasExactPayoffs,
                    support: support)
            } catch {
                throw MWMREError("feasibility LP failed: \(error)")
            }
            if feasibility.status == .infeasible {
                let minimum = try? EquilibriumLP.solve(game: game, concept: parameters.concept,
                                                       selection: .minimumEpsilon(perPlayer: false), support: support)
                return MWMREResult(
                    status: .infeasible,
                    message: "ε̂ is below the minimum permissible ε"
                        + (minimum.map { " (\($0.epsilon[0]) shared, on the support of the target)" } ?? ""),
                    joint: [], epsilon: epsilonTarget, duals: [], dualsAttained: false, dualObjective: .infinity,
                    primalObjective: -.infinity, certifiedGap: nil, certificateNote: "infeasible",
                    kktResidual: .infinity, iterations: 0, method: method, maximumViolation: .infinity,
                    minimumEpsilon: minimum?.epsilon[0], maximumWelfare: nil, zeroJointActions: 0, equalityRows: 0)
            }
            if parameters.mu.isInfinite, let welfare = parameters.welfare {
                let best = feasibility.objectiveExact ?? Rational(feasibility.objective ?? 0)
                maximumWelfare = best.doubleValue
                extraRow = (welfare.map { -$0 }, -best.doubleValue)
            }
        }

        // The full problem over the support's columns.
        var position = [Int](repeating: -1, count: joint)
        for (k, c) in columns.enumerated() { position[c] = k }
        let mu = parameters.mu.isInfinite ? 0 : parameters.mu
        var offsets = columns.map { log(target[$0]) }
        if let welfare = parameters.welfare, mu > 0 {
            for (k, c) in columns.enumerated() { offsets[k] += mu * welfare[c] }
        }
        var rowStart = [0], rowColumns: [Int] = [], rowValues: [Double] = []
        var rowOrigin: [Int] = []   // gain row index, or -1 for the welfare row
        for i in 0..<gains.rowCount {
            for k in gains.rowStart[i]..<gains.rowStart[i + 1] where position[gains.columns[k]] >= 0 {
                rowColumns.append(position[gains.columns[k]])
                rowValues.append(gains.values[k])
            }
            rowStart.append(rowColumns.count)
            rowOrigin.append(i)
        }
        if let extraRow {
            for (k, c) in columns.enumerated() where extraRow.coefficients[c] != 0 {
                rowColumns.append(k)
                rowValues.append(extraRow.coefficients[c])
            }
            rowStart.append(rowColumns.count)
            rowOrigin.append(-1)
        }
        let players = (0..<n).map {
            DualProblem.Player(epsilonTarget: epsilonTarget[$0], epsilonCap: parameters.epsilonCap[$0],
                               rho: hard ? .infinity : parameters.rho)
        }
        var problem = DualProblem(
            offsets: offsets, rowStart: rowStart, rowColumns: rowColumns, rowValues: rowValues,
            rowPlayer: rowOrigin.map { hard || $0 < 0 ? -1 : rowPlayers[$0] },
            rowBound: rowOrigin.enumerated().map { $0.element < 0 ? extraRow!.bound : epsilonTarget[rowPlayers[$0.element]] },
            rowFree: Array(repeating: false, count: rowOrigin.count), players: players)

        var keptColumns = Array(0..<columns.count)
        var keptRows = Array(0..<rowOrigin.count)
        var zeroJointActions = 0
        var equalityRows = 0
        if hard {
            let reduction = try facialReduction(problem, exact: exactFacialReduction ?? game.hasExactPayoffs)
            keptColumns = (0..<columns.count).filter { reduction.possible[$0] }
            zeroJointActions = columns.count - keptColumns.count
            var reduced = problem.restricted(columns: keptColumns)
            // Rows that vanish on the kept columns are constant (feasible): drop them.
            keptRows = (0..<reduced.rowCount).filter { reduced.rowStart[$0 + 1] > reduced.rowStart[$0] }
            reduced = reduced.restricted(rows: keptRows)
            for (k, i) in keptRows.enumerated() where reduction.tight[i] {
                reduced.rowFree[k] = true
                equalityRows += 1
            }
            problem = reduced
        }
        problem.buildColumns()

        let start = [Double](repeating: 0, count: problem.rowCount)
        var solution: DualSolution
        switch method {
        case .newton:
            let (warm, stageIterations) = hard || mu > 0 ? (start, 0) : strictTargetWarmStart(problem, from: start)
            solution = problem.minimizeByNewton(from: warm, tolerance: tolerance)
            solution.iterations += stageIterations
        case .lbfgsb:
            solution = problem.minimizeByLBFGSB(from: start, tolerance: tolerance)
        case .lbfgsbNewton:
            let first = problem.minimizeByLBFGSB(from: start, tolerance: tolerance)
            solution = problem.minimizeByNewton(from: first.x, tolerance: tolerance)
            solution.iterations += first.iterations
        }

        // Back to the full game.
        let e = solution.evaluation
        var sigma = [Double](repeating: 0, count: joint)
        for (k, local) in keptColumns.enumerated() { sigma[columns[local]] = e.sigma[k] }
        var duals = [Double](repeating: 0, count: gains.rowCount)
        for (k, i) in keptRows.enumerated() where rowOrigin[i] >= 0 { duals[rowOrigin[i]] = solution.x[k] }
        let epsilon = hard ? epsilonTarget : e.epsilon

        // Primal objective and the certificate.
        let expected = gains.expectedGains(sigma)
        var largestGain = [Double](repeating: -.infinity, count: n)
        for (i, p) in rowPlayers.enumerated() { largestGain[p] = max(largestGain[p], expected[i]) }
        for p in 0..<n where largestGain[p] == -.infinity { largestGain[p] = 0 }
        var violation = 0.0
        for p in 0..<n { violation = max(violation, largestGain[p] - epsilon[p]) }
        var kl = 0.0
        for c in 0..<joint where sigma[c] > 0 { kl += sigma[c] * (log(sigma[c]) - log(target[c])) }
        var welfareTerm = 0.0
        if let welfare = parameters.welfare, mu > 0 {
            for c in 0..<joint { welfareTerm += mu * sigma[c] * welfare[c] }
        }
        var penalty = 0.0
        if !hard { for p in 0..<n { penalty += parameters.rho * players[p].penalty(epsilon[p]) } }
        let primal = welfareTerm - kl - penalty

        var certifiedGap: Double?
        var note: String?
        var alphaDotGradient = 0.0
        for i in 0..<problem.rowCount { alphaDotGradient += solution.x[i] * e.gradient[i] }
        if hard {
            var hardViolation = violation
            if let extraRow {
                var w = 0.0
                for c in 0..<joint { w += extraRow.coefficients[c] * sigma[c] }
                hardViolation = max(hardViolation, w - extraRow.bound)
            }
            if hardViolation <= 0 {
                certifiedGap = max(0, alphaDotGradient)
            } else {
                note = "no certificate at ρ = ∞: σ(α) violates the hard constraints by \(hardViolation)"
            }
        } else {
            if let gap = problem.softCertificate(solution.x, e) {
                certifiedGap = max(0, gap)
            } else {
                note = "no certificate: σ(α) needs ε at or above the cap ε⁺"
            }
        }
        let status: MWMREStatus = solution.converged ? .optimal : .notConverged
        return MWMREResult(
            status: status, message: solution.message, joint: sigma, epsilon: epsilon, duals: duals,
            dualsAttained: zeroJointActions == 0 && equalityRows == 0, dualObjective: e.value,
            primalObjective: primal, certifiedGap: certifiedGap, certificateNote: note,
            kktResidual: solution.kktResidual, iterations: solution.iterations, method: method,
            maximumViolation: max(0, violation), minimumEpsilon: nil, maximumWelfare: maximumWelfare,
            zeroJointActions: zeroJointActions, equalityRows: equalityRows)
    }

    /// A warm start for a strict target (some ε̂_p < 0) at a large finite ρ: continuation in ρ.
    ///
    /// There the optimum starves recommendations and their rows' duals grow to ~ρ·ln(û/u), far
    /// from the start at α = 0, and Newton spends most of its steps finding which rows carry that
    /// mass. The same problem at ρ/100 has duals a hundred times smaller and is solved quickly (to
    /// a loose 1e-4 × the largest gain feature); its duals × 10 start ρ/10, whose duals × 10 start
    /// ρ. On 200 L2 8×8 CE games this cut the total Newton iterations of MS from a median of 103 to
    /// 63 and the time by 3× (16×16: 5×), and eps-ME's time by 2×; ME (ε̂ = 0, no starving) does
    /// not need it, and with a welfare term (μ > 0, eps-MWME) the stages' μ/ρ differs from the
    /// final one and the gain vanished (8×8 +9%, 16×16 −2% CPU): neither is given it. The stages only choose the starting point: the answer is the final
    /// solve's, at the requested ρ and tolerance. Returns the start and the stages' iterations.
    private static func strictTargetWarmStart(_ problem: DualProblem, from start: [Double]) -> ([Double], Int) {
        guard problem.players.contains(where: { $0.epsilonTarget < 0 && $0.rho.isFinite && $0.rho >= 100 }) else {
            return (start, 0)
        }
        var x = start
        var iterations = 0
        for factor in [0.01, 0.1] {
            var staged = problem
            for p in staged.players.indices where staged.players[p].rho.isFinite {
                staged.players[p].rho *= factor
            }
            let stage = staged.minimizeByNewton(from: x, tolerance: 1e-4 * max(problem.largestFeature, 1e-300))
            iterations += stage.iterations
            guard stage.x.allSatisfy({ $0.isFinite }) else { return (start, iterations) }
            x = stage.x.map { $0 * 10 }
        }
        return (x, iterations)
    }

    private static func validate(_ parameters: MWMREParameters, players n: Int, joint: Int) throws(MWMREError) {
        if let target = parameters.target {
            guard target.count == joint else {
                throw MWMREError("target has \(target.count) entries; the game has \(joint) joint actions")
            }
            if let bad = target.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
                throw MWMREError("target entry \(bad) is \(target[bad]); entries must be finite and non-negative")
            }
            let total = target.reduce(0, +)
            guard abs(total - 1) <= 1e-9 else { throw MWMREError("target sums to \(total), not 1") }
        }
        guard parameters.epsilonTarget.count == n, parameters.epsilonCap.count == n else {
            throw MWMREError("ε̂ and ε⁺ need one value per player (\(n))")
        }
        for p in 0..<n {
            let t = parameters.epsilonTarget[p], c = parameters.epsilonCap[p]
            guard t.isFinite, c.isFinite else { throw MWMREError("ε̂ and ε⁺ of player \(p + 1) must be finite") }
            guard c > t else { throw MWMREError("ε⁺ (\(c)) must exceed ε̂ (\(t)) for player \(p + 1)") }
        }
        if let welfare = parameters.welfare {
            guard welfare.count == joint else { throw MWMREError("welfare has \(welfare.count) entries, expected \(joint)") }
            if welfare.contains(where: { !$0.isFinite }) { throw MWMREError("welfare has a non-finite entry") }
        }
        guard parameters.mu >= 0 else { throw MWMREError("μ must be non-negative (got \(parameters.mu))") }
        guard parameters.rho > 0 else { throw MWMREError("ρ must be positive (got \(parameters.rho))") }
        if parameters.mu.isInfinite && parameters.welfare == nil {
            throw MWMREError("μ = ∞ needs a welfare")
        }
    }
}

extension DualProblem.Player {
    /// D(ε) = u ln(u/û) − u + û with u = ε⁺ − ε, evaluated without cancellation near ε̂.
    func penalty(_ epsilon: Double) -> Double {
        let u = epsilonCap - epsilon
        let h = uHat
        if u <= 0 { return u == 0 ? h : .infinity }
        let delta = (u - h) / h
        // û [(1+δ) ln(1+δ) − δ]
        return h * ((1 + delta) * log1p(delta) - delta)
    }
}
