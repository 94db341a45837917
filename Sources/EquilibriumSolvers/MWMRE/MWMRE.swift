import ConvexOptimization
import Foundation
import LinearProgramming
public import NormalFormGames

/// Parameters of the ε̂-MWMRE (C)CE (docs/reference.md §3), in the units of the game they are solved on.
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
    /// The same welfare exactly, when known (a game read from text): the μ = ∞ limit then
    /// maximises it exactly, so that ties the doubles' rounding would break stay ties.
    public var exactWelfare: [Rational]?
    /// Welfare weight μ ≥ 0; `.infinity` means the limit of docs/reference.md §3 (ε̂ hard, max welfare, then
    /// minimum relative entropy on that face).
    public var mu: Double
    /// ε-penalty weight ρ > 0; `.infinity` pins ε to ε̂ (hard constraints).
    public var rho: Double

    /// Whether ε ≤ ε̂ is a hard constraint: ρ = ∞, or μ = ∞ (welfare first, then the hard limit).
    /// ε⁺ then plays no part.
    public var isHardLimit: Bool { rho.isInfinite || mu.isInfinite }

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
    /// No answer could be computed that can be trusted (the message says why); σ is empty.
    case failed
}

/// Everything a solve reports (docs/reference.md §3).
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
    /// For an infeasible ε̂: the minimum permissible shared ε and per-player ε (docs/reference.md §2).
    public var minimumEpsilon: Double?
    /// For μ = ∞: the maximum welfare W* on which the relative entropy was minimised.
    public var maximumWelfare: Double?
    /// Facial reduction (ρ = ∞): joint actions no feasible σ plays, and rows tight for every
    /// feasible σ.
    public var zeroJointActions: Int
    public var equalityRows: Int
    /// How facial reduction decided which joint actions are played and which rows are tight,
    /// when it ran: `floating-point interior point` (`… and an exact certificate` when joint
    /// actions are dropped), `floating-point enclosure`, `exact basis` or `exact simplex` when
    /// proven for the exact problem, else `doubles (…)` with the reason (docs/mathematics.md, "Facial
    /// reduction, proven").
    public var facialReduction: String? = nil
    /// A rigorous upper bound on KL(σ̃‖σ*) for the problem as solved (its payoffs, target and
    /// welfare as the doubles given), for a distribution σ̃ within ``klJointError`` of ``joint``:
    /// σ̃ = σ(α), the exact primal point of ``duals``, except where facial reduction left rows as
    /// equalities (σ(α) does not meet them exactly; σ̃ is then an exactly feasible point built
    /// next to it). Every rounding of the computation is bounded (docs/mathematics.md, "A
    /// rigorous KL bound").
    /// At ρ = ∞ and μ = ∞ it needs a proven facial reduction (docs/mathematics.md). `nil` when
    /// that or the bound's own steps fail, and when σ(α) needs ε at the cap; see ``klBoundNote``.
    public var klBound: Double? = nil
    /// A rigorous bound on max_a |σ(a) − σ̃(a)| for the σ reported, with ``klBound``.
    public var klJointError: Double? = nil
    /// Why ``klBound`` is absent.
    public var klBoundNote: String? = nil
}

/// A problem with the parameters of an MWMRE solve, or a failure of the LP steps it uses.
public struct MWMREError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Whether a parameter (μ, ρ, ε̂, ε⁺, σ̂, W, the tolerance) is out of range or malformed, as
    /// opposed to a failure of a step of the solve: callers can report the former as a bad option.
    public var isParameterError: Bool
    public init(_ message: String, isParameterError: Bool = false) {
        self.message = message
        self.isParameterError = isParameterError
    }
    public var description: String { message }

    public static func parameter(_ message: String) -> MWMREError { MWMREError(message, isParameterError: true) }
}

/// The ε̂-MWMRE (C)CE solver: Newton or L-BFGS-B on the dual of docs/reference.md §3, with the exact limits
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
    ///
    /// Scale: when the game's largest deviation gain g is outside [2⁻⁴, 2⁵) (raw payoffs of
    /// 1e-8 or 1e9, say; the normalised presets are always inside), the problem is solved on the
    /// game times 2^(−e), g ∈ [2^e, 2^(e+1)), with ε̂, ε⁺ scaled alike and ρ by 2^e — the same
    /// σ, L, P and gap exactly — and ε, α, the violation and the KKT residual are mapped back;
    /// the tolerance is in the game's units throughout.
    public static func solve(
        game: NormalFormGame, parameters: MWMREParameters, method: MWMREMethod = .newton,
        tolerance: Double? = nil, exactFacialReduction: Bool? = nil
    ) throws(MWMREError) -> MWMREResult {
        try solve(game: game, parameters: parameters, method: method, tolerance: tolerance,
                  exactFacialReduction: exactFacialReduction, linearSolver: .automatic)
    }

    /// ``solve(game:parameters:method:tolerance:exactFacialReduction:)`` with the way Newton's
    /// linear systems are solved chosen (`.automatic` is what the public entry point uses; the
    /// others let the two solvers be compared on the same problems).
    static func solve(
        game: NormalFormGame, parameters: MWMREParameters, method: MWMREMethod,
        tolerance: Double?, exactFacialReduction: Bool?, linearSolver: NewtonLinearSolver
    ) throws(MWMREError) -> MWMREResult {
        do {
            try EquilibriumLP.checkPayoffRanges(game)
        } catch {
            throw MWMREError(error.message)
        }
        let largest = game.deviationGains(parameters.concept).values.reduce(0) { max($0, abs($1)) }
        if let tolerance { try checkTolerance(tolerance, largestGain: largest) }
        // In the caller's units, so that a refusal names the values given (the ranges are relative).
        try validate(parameters, players: game.playerCount, joint: game.jointActionCount, largestGain: largest)
        let e = largest > 0 ? Int(largest.exponent) : 0
        guard e < -4 || e > 4 else {
            return try solveInUnits(game: game, parameters: parameters, method: method, tolerance: tolerance ?? 1e-10,
                                    exactFacialReduction: exactFacialReduction, linearSolver: linearSolver)
        }
        // G' = G·2^(−e): exact (the rationals too, so the exact reduction stays exact).
        let factor = LPScaling.rationalPower(-e)
        let scaledGame: NormalFormGame
        do {
            if let exact = game.exactPayoffs {
                scaledGame = try NormalFormGame(actionCounts: game.actionCounts, exactPayoffs: exact.map { $0 * factor })
            } else {
                scaledGame = try NormalFormGame(actionCounts: game.actionCounts, payoffs: game.payoffs.map { scalbn($0, -e) })
            }
        } catch {
            throw MWMREError("the game cannot be rescaled: \(error.message)")
        }
        var scaled = parameters
        scaled.epsilonTarget = parameters.epsilonTarget.map { scalbn($0, -e) }
        // ε⁺ plays no part in the hard limits, where it may not survive the scaling (a cap of 1
        // times 2^1072 for a subnormal game): any cap above ε̂ does.
        scaled.epsilonCap = parameters.isHardLimit
            ? scaled.epsilonTarget.map { $0 + abs($0) + 1 } : parameters.epsilonCap.map { scalbn($0, -e) }
        scaled.rho = parameters.rho.isInfinite ? parameters.rho : scalbn(parameters.rho, e)
        var result = try solveInUnits(game: scaledGame, parameters: scaled, method: method,
                                      // In the scaled units; floored at the smallest normal double (a
                                      // tighter one is unreachable there anyway).
                                      tolerance: tolerance.map { max(scalbn($0, -e), .leastNormalMagnitude) } ?? 1e-10,
                                      exactFacialReduction: exactFacialReduction ?? game.hasExactPayoffs,
                                      linearSolver: linearSolver)
        result.kktResidual = scalbn(result.kktResidual, e)
        result.epsilon = result.epsilon.map { scalbn($0, e) }
        result.duals = result.duals.map { scalbn($0, -e) }
        result.maximumViolation = scalbn(result.maximumViolation, e)
        result.minimumEpsilon = result.minimumEpsilon.map { scalbn($0, e) }
        if !(result.epsilon + result.duals).allSatisfy({ $0.isFinite }) {
            return failedResult("ε or the multipliers α leave the range of doubles at this payoff scale (largest deviation gain \(g6(largest))); solve the game normalised, or rescaled",
                                parameters: parameters, method: method)
        }
        if parameters.isHardLimit { result.epsilon = parameters.epsilonTarget }
        // The rigorous bound is for the rescaled problem: the same one only when no payoff or
        // parameter lost a bit to underflow in the rescaling.
        let exactRescale = game.payoffs.allSatisfy { scalbn(scalbn($0, -e), e) == $0 }
            && (parameters.epsilonTarget + parameters.epsilonCap + (parameters.welfare ?? [])).allSatisfy {
                scalbn(scalbn($0, -e), e) == $0
            }
        if result.klBound != nil && !exactRescale {
            result.klBound = nil
            result.klJointError = nil
            result.klBoundNote = "no rigorous bound: rescaling the payoffs by 2^\(-e) rounded some of them"
        }
        return result
    }

    /// The KKT tolerance used when none is given: 1e-10 where the largest deviation gain g is in
    /// [2⁻⁴, 2⁵) (always so for the normalised presets), else 1e-10 · 2^e with 2^e ≤ g < 2^(e+1),
    /// so that a game given at any scale is solved to the same relative accuracy.
    /// A KKT tolerance given explicitly: positive and finite, and at most ``loosestRelativeTolerance``
    /// times the largest deviation gain: a looser one would let the solver stop at points that are
    /// not solutions (ρ = ∞ at a KKT residual of 1e-2 is a 1e-2-equilibrium, reported "optimal").
    public static func checkTolerance(_ tolerance: Double, largestGain g: Double) throws(MWMREError) {
        guard tolerance.isFinite, tolerance > 0 else {
            throw MWMREError.parameter("the tolerance must be positive and finite (got \(tolerance))")
        }
        if g > 0, tolerance > loosestRelativeTolerance * g {
            throw MWMREError.parameter("the tolerance \(g6(tolerance)) is looser than \(g6(loosestRelativeTolerance)) × "
                                       + "the largest deviation gain (\(g6(g))): the answer would not be a solution; "
                                       + "give at most \(g6(loosestRelativeTolerance * g))")
        }
    }

    /// The loosest tolerance accepted, relative to the largest deviation gain.
    public static let loosestRelativeTolerance = 1e-2

    public static func defaultTolerance(largestGain g: Double) -> Double {
        let e = g > 0 ? Int(g.exponent) : 0
        return e < -4 || e > 4 ? max(scalbn(1e-10, e), .leastNonzeroMagnitude) : 1e-10
    }

    /// The parameters of the max-welfare-then-max-entropy tie-break (`solve --tie-break
    /// max-entropy`): among the equilibria with ε_p = `epsilon`, the maximum-welfare ones (W the
    /// game's welfare), and among those the one of maximum entropy — the μ = ∞, ρ = ∞ limit of
    /// MWMRE with uniform target. ε⁺ plays no part there.
    public static func tieBreakParameters(game: NormalFormGame, concept: EquilibriumConcept, epsilon: [Double])
        -> MWMREParameters
    {
        var parameters = MWMREParameters(concept: concept, epsilonTarget: epsilon,
                                         epsilonCap: epsilon.map { $0 + abs($0) + 1 },
                                         welfare: game.welfare, mu: .infinity, rho: .infinity)
        if game.hasExactPayoffs { parameters.exactWelfare = game.rationalWelfare }
        return parameters
    }

    /// Checks `parameters` against `game` as ``solve(game:parameters:method:tolerance:exactFacialReduction:)``
    /// would, without solving: shapes, and the usable ranges of μ, ρ, ε̂ and ε⁺.
    public static func checkParameters(game: NormalFormGame, parameters: MWMREParameters) throws(MWMREError) {
        let largest = game.deviationGains(parameters.concept).values.reduce(0) { max($0, abs($1)) }
        try validate(parameters, players: game.playerCount, joint: game.jointActionCount, largestGain: largest)
    }

    private static func solveInUnits(
        game: NormalFormGame, parameters: MWMREParameters, method: MWMREMethod,
        tolerance: Double, exactFacialReduction: Bool?, linearSolver: NewtonLinearSolver
    ) throws(MWMREError) -> MWMREResult {
        let joint = game.jointActionCount
        do {
            try EquilibriumLP.checkPayoffRanges(game)
        } catch {
            throw MWMREError(error.message)
        }
        let gains = game.deviationGains(parameters.concept)
        try validate(parameters, players: game.playerCount, joint: joint,
                     largestGain: gains.values.reduce(0) { max($0, abs($1)) })
        let target = parameters.target ?? Array(repeating: 1 / Double(joint), count: joint)
        // A double game's feasibility LP and max-welfare face (μ = ∞) are in doubles unless asked
        // for exactly: GLPK's rational simplex on random doubles costs seconds per 16×16 game
        // (docs/decisions.md). The facial reduction then says its face is found in doubles.
        let exactLP = exactFacialReduction ?? game.hasExactPayoffs
        let retryExactly = { () throws(MWMREError) -> MWMREResult in
            try solveInUnits(game: game, parameters: parameters, method: method, tolerance: tolerance,
                             exactFacialReduction: true, linearSolver: linearSolver)
        }

        let face: FeasibleFace
        switch try feasibleFace(game: game, parameters: parameters, method: method, target: target,
                                rowCount: gains.rowCount, exact: exactLP) {
        case .face(let f): face = f
        case .answered(let result): return result
        case .inexact:
            if !exactLP { return try retryExactly() }
            return failedResult("the multipliers of the max-welfare LP do not describe its optimal face",
                                parameters: parameters, method: method)
        }
        var dual = restrictedDualProblem(gains: gains, parameters: parameters, target: target, face: face)
        // Payoffs read from text stand for their decimals, within half an ulp of the doubles.
        let payoffRadius = game.exactPayoffs.map { exact in
            zip(exact, game.payoffs).contains { Rational($1) != $0 }
                ? 0x1p-52 * game.payoffs.reduce(0) { max($0, abs($1)) } : 0
        } ?? 0
        if parameters.isHardLimit {
            let faceColumns = dual.columns
            let exact = ExactGains { exactGains(game: game, concept: parameters.concept, columns: faceColumns) }
            dual.exactGains = exact
            let mode: FacialReductionMode = exactFacialReduction == false ? .doubles(reason: "as asked")
                : !face.isExact ? .doubles(reason: exactLP
                    ? "the max-welfare face it reduces is found in doubles: the exact max-welfare LP did not finish "
                        + "within its time limit"
                    : "the max-welfare face it reduces is found in doubles; certify finds it exactly")
                : .proven
            try reduceFacially(&dual, mode: mode,
                               rowRadius: gainRadius(dual.problem, payoffRadius: payoffRadius),
                               exactRowValues: { exact.values })
        }
        guard dual.problem.columnCount > 0 else {
            // Impossible in exact arithmetic (the LP's own optimum lies on the face and satisfies
            // every hard constraint): the double-precision face and reduction disagreed by their
            // tolerances. Redo both exactly, on the exact values of the doubles.
            if !exactLP { return try retryExactly() }
            return failedResult("the hard constraints leave no joint action (the facial-reduction LP found none "
                                + "playable)", parameters: parameters, method: method)
        }
        dual.problem.buildColumns()
        let solution = minimize(dual.problem, method: method, tolerance: tolerance,
                                warmStartable: !(parameters.isHardLimit || dual.mu > 0), linearSolver: linearSolver)
        return result(of: solution, dual: dual, gains: gains, parameters: parameters, target: target, face: face,
                      method: method, payoffRadius: payoffRadius)
    }

    /// The joint actions and the gain rows the dual is taken over: the target's support, and for
    /// μ = ∞ the max-welfare face (rows tight at the LP's optimal duals become equalities).
    private struct FeasibleFace {
        var columns: [Bool]
        var equalities: [Bool]
        /// The face is exact: the support alone, or the max-welfare face from exact multipliers.
        var isExact = true
        /// W* for μ = ∞, in the game's units.
        var maximumWelfare: Double?
    }

    private enum FaceOutcome {
        case face(FeasibleFace)
        /// The problem is answered without a solve (infeasible ε̂, or a failed LP).
        case answered(MWMREResult)
        /// The double-precision multipliers do not describe the max-welfare face.
        case inexact
    }

    /// For hard constraints: whether ε̂ is feasible on the target's support (exactly when the
    /// reduction is exact), and for μ = ∞ the max-welfare face with W*. Soft problems keep the
    /// whole support.
    private static func feasibleFace(game: NormalFormGame, parameters: MWMREParameters, method: MWMREMethod,
                                     target: [Double], rowCount: Int, exact exactLP: Bool)
        throws(MWMREError) -> FaceOutcome
    {
        let joint = game.jointActionCount
        let support = target.map { $0 > 0 }
        let epsilonTarget = parameters.epsilonTarget
        var face = FeasibleFace(columns: support, equalities: [Bool](repeating: false, count: rowCount),
                                maximumWelfare: nil)
        guard parameters.isHardLimit else { return .face(face) }
        // The max-welfare face does not change when W is multiplied by 2^(−k),
        // 2^k ≤ max|W| < 2^(k+1): so scaled, W is near 1 whatever the game's scale (W of 1e-320
        // beside gains near 1 would leave the multipliers subnormal).
        let welfareExponent = parameters.welfare.map { LPScaling.exponent($0.reduce(0) { max($0, abs($1)) }) } ?? 0
        let unitWelfare = parameters.welfare.map { $0.map { scalbn($0, -welfareExponent) } }
        let unitExactWelfare = parameters.exactWelfare.map {
            let factor = LPScaling.rationalPower(-welfareExponent)
            return $0.map { $0 * factor }
        }
        let feasibility: EquilibriumLPResult
        do {
            var welfareCoefficients = Array(repeating: Rational.zero, count: joint)
            if parameters.mu.isInfinite {
                if let exact = unitExactWelfare {
                    welfareCoefficients = exact
                } else if let welfare = unitWelfare {
                    welfareCoefficients = welfare.map { Rational($0) }
                }
            }
            feasibility = try EquilibriumLP.solve(
                game: game, concept: parameters.concept,
                selection: .linear(coefficients: welfareCoefficients, maximize: true),
                epsilon: epsilonTarget.map { Rational($0) }, exact: exactLP, support: support)
        } catch {
            throw MWMREError("feasibility LP failed: \(error)")
        }
        if feasibility.status == .infeasible {
            return .answered(infeasibleResult(game: game, parameters: parameters, method: method, support: support))
        }
        guard feasibility.status == .optimal else {
            return .answered(failedResult("the feasibility LP of the hard constraints failed: \(feasibility.note ?? "")",
                                          parameters: parameters, method: method))
        }
        if parameters.mu.isInfinite, let welfare = unitWelfare {
            face.maximumWelfare = feasibility.objective.map { scalbn($0, welfareExponent) }
            guard let maximumWelfareFace = maximumWelfareFace(game: game, concept: parameters.concept, welfare: welfare,
                                                              exactWelfare: unitExactWelfare, support: support,
                                                              lp: feasibility, exact: exactLP) else {
                return .inexact
            }
            face.columns = maximumWelfareFace.columns
            face.equalities = maximumWelfareFace.tightRows
            face.isExact = feasibility.isExact && feasibility.certified && feasibility.dualsExact != nil
        }
        return .face(face)
    }

    /// The answer when ε̂ is infeasible on the target's support, with the minimum shared ε there.
    private static func infeasibleResult(game: NormalFormGame, parameters: MWMREParameters, method: MWMREMethod,
                                         support: [Bool]) -> MWMREResult {
        let minimum = try? EquilibriumLP.solve(game: game, concept: parameters.concept,
                                               selection: .minimumEpsilon(perPlayer: false), support: support)
        let shared = minimum.flatMap { $0.status == .optimal ? $0.epsilon.first : nil }
        return MWMREResult(
            status: .infeasible,
            message: "ε̂ is below the minimum permissible ε"
                + (shared.map { " (\($0) shared, on the support of the target)" } ?? ""),
            joint: [], epsilon: parameters.epsilonTarget, duals: [], dualsAttained: false, dualObjective: 0,
            primalObjective: 0, certifiedGap: nil, certificateNote: "infeasible",
            kktResidual: 0, iterations: 0, method: method, maximumViolation: 0,
            minimumEpsilon: shared, maximumWelfare: nil, zeroJointActions: 0, equalityRows: 0)
    }

    /// The dual problem over the face's columns, and how its columns and rows map back to the game.
    private struct RestrictedDual {
        var problem: DualProblem
        /// The game's joint action of each column of the face.
        var columns: [Int]
        /// The gain row of each row before facial reduction.
        var rowOrigin: [Int]
        var players: [DualProblem.Player]
        /// μ used in the offsets (0 for μ = ∞, whose welfare is in the face instead).
        var mu: Double
        /// The face's columns and the rows kept by facial reduction (all when none ran).
        var keptColumns: [Int]
        var keptRows: [Int]
        var zeroJointActions = 0
        var equalityRows = 0
        /// The facial reduction, when one ran.
        var facialReduction: FacialReduction? = nil
        /// The exact gains of the problem before facial reduction (computed when first asked for).
        var exactGains: ExactGains? = nil
        /// For each entry of the reduced problem, its index in the problem before the reduction.
        var entryOrigin: [Int] = []
    }

    /// Exact gains, computed once when first needed.
    final class ExactGains {
        private let compute: () -> [Rational]
        private(set) lazy var values: [Rational] = compute()
        init(_ compute: @escaping () -> [Rational]) { self.compute = compute }
    }

    /// The dual problem over the support's (or face's) columns: offsets ln σ̂ + μW, the gain rows
    /// restricted to those columns, and the players' ε̂, ε⁺ and ρ.
    private static func restrictedDualProblem(gains: DeviationGains<Double>, parameters: MWMREParameters,
                                              target: [Double], face: FeasibleFace) -> RestrictedDual {
        let joint = target.count
        let hard = parameters.isHardLimit
        let epsilonTarget = parameters.epsilonTarget
        let rowPlayers = gains.rows.map(\.player)
        let columns = (0..<joint).filter { face.columns[$0] }
        var position = [Int](repeating: -1, count: joint)
        for (k, c) in columns.enumerated() { position[c] = k }
        let mu = parameters.mu.isInfinite ? 0 : parameters.mu
        var offsets = columns.map { log(target[$0]) }
        if let welfare = parameters.welfare, mu > 0 {
            for (k, c) in columns.enumerated() { offsets[k] += mu * welfare[c] }
        }
        var rowStart = [0], rowColumns: [Int] = [], rowValues: [Double] = []
        let rowOrigin = Array(0..<gains.rowCount)   // gain row index
        if columns.count == joint {
            // Every joint action is kept: the gain rows as they are, their storage shared.
            rowStart = gains.rowStart
            rowColumns = gains.columns
            rowValues = gains.values
        } else {
            rowStart.reserveCapacity(gains.rowCount + 1)
            rowColumns.reserveCapacity(gains.values.count)
            rowValues.reserveCapacity(gains.values.count)
            for i in 0..<gains.rowCount {
                for k in gains.rowStart[i]..<gains.rowStart[i + 1] where position[gains.columns[k]] >= 0 {
                    rowColumns.append(position[gains.columns[k]])
                    rowValues.append(gains.values[k])
                }
                rowStart.append(rowColumns.count)
            }
        }
        let players = (0..<epsilonTarget.count).map {
            DualProblem.Player(epsilonTarget: epsilonTarget[$0], epsilonCap: parameters.epsilonCap[$0],
                               rho: hard ? .infinity : parameters.rho)
        }
        let problem = DualProblem(
            offsets: offsets, rowStart: rowStart, rowColumns: rowColumns, rowValues: rowValues,
            rowPlayer: rowOrigin.map { hard ? -1 : rowPlayers[$0] },
            rowBound: rowOrigin.map { epsilonTarget[rowPlayers[$0]] },
            rowFree: rowOrigin.map { face.equalities[$0] }, players: players)
        return RestrictedDual(problem: problem, columns: columns, rowOrigin: rowOrigin, players: players, mu: mu,
                              keptColumns: Array(0..<columns.count), keptRows: Array(0..<rowOrigin.count))
    }

    /// Facial reduction of a hard problem: columns no feasible σ plays are dropped, rows that
    /// vanish on the rest are dropped (they are constant and feasible), and rows tight at every
    /// feasible σ become equalities (free multipliers).
    private static func reduceFacially(_ dual: inout RestrictedDual, mode: FacialReductionMode, rowRadius: [Double],
                                       exactRowValues: () -> [Rational]) throws(MWMREError) {
        let reduction = try facialReduction(dual.problem, mode: mode, rowRadius: rowRadius, exactRowValues: exactRowValues)
        dual.facialReduction = reduction
        dual.keptColumns = (0..<dual.columns.count).filter { reduction.possible[$0] }
        dual.zeroJointActions = dual.columns.count - dual.keptColumns.count
        let before = dual.problem
        var reduced = before.restricted(columns: dual.keptColumns)
        dual.keptRows = (0..<reduced.rowCount).filter { reduced.rowStart[$0 + 1] > reduced.rowStart[$0] }
        reduced = reduced.restricted(rows: dual.keptRows)
        var kept = [Bool](repeating: false, count: before.columnCount)
        for c in dual.keptColumns { kept[c] = true }
        dual.entryOrigin = dual.keptRows.flatMap { i in
            (before.rowStart[i]..<before.rowStart[i + 1]).filter { kept[before.rowColumns[$0]] }
        }
        for (k, i) in dual.keptRows.enumerated() where reduction.tight[i] {
            reduced.rowFree[k] = true
            dual.equalityRows += 1
        }
        dual.problem = reduced
    }

    /// How far the exact gain behind each double of `problem.rowValues` may lie from it: one
    /// subtraction of two payoffs (within half an ulp; 2⁻⁵² bounds it with room), plus twice the
    /// payoffs' own radius.
    private static func gainRadius(_ problem: DualProblem, payoffRadius: Double) -> [Double] {
        problem.rowValues.map { (0x1p-52 * abs($0) + 2 * payoffRadius).nextUp }
    }

    /// The exact gains of `game` over the joint actions `columns`, in the layout of the
    /// restricted dual's rows (every gain row, its entries on those columns): the exact and the
    /// double gains come from the one `DeviationGains` builder, so their entries correspond.
    private static func exactGains(game: NormalFormGame, concept: EquilibriumConcept, columns: [Int]) -> [Rational] {
        let exact = game.exactDeviationGains(concept)
        var inFace = [Bool](repeating: false, count: game.jointActionCount)
        for c in columns { inFace[c] = true }
        return exact.columns.indices.filter { inFace[exact.columns[$0]] }.map { exact.values[$0] }
    }

    /// Minimises the dual with `method` from α = 0 (Newton warm-started by continuation in ρ for a
    /// soft problem with a strict target and μ = 0, when `warmStartable`).
    private static func minimize(_ problem: DualProblem, method: MWMREMethod, tolerance: Double,
                                 warmStartable: Bool, linearSolver: NewtonLinearSolver) -> DualSolution {
        let start = [Double](repeating: 0, count: problem.rowCount)
        if problem.rowCount == 0 {
            // Nothing left to dualise: σ is the softmax of the offsets on the kept columns.
            let evaluation = problem.evaluate([])
            return DualSolution(x: [], evaluation: evaluation, iterations: 0, kktResidual: 0, converged: true,
                                message: "no constraint left after facial reduction")
        }
        var solution: DualSolution
        switch method {
        case .newton:
            let (warm, stageIterations) = warmStartable
                ? strictTargetWarmStart(problem, from: start, linearSolver: linearSolver) : (start, 0)
            solution = problem.minimizeByNewton(from: warm, tolerance: tolerance, linearSolver: linearSolver)
            solution.iterations += stageIterations
        case .lbfgsb:
            solution = problem.minimizeByLBFGSB(from: start, tolerance: tolerance)
        case .lbfgsbNewton:
            let first = problem.minimizeByLBFGSB(from: start, tolerance: tolerance)
            solution = problem.minimizeByNewton(from: first.x, tolerance: tolerance, linearSolver: linearSolver)
            solution.iterations += first.iterations
        }
        return solution
    }

    /// The dual solution mapped back to the full game, with the primal objective, the violation
    /// and the certificate.
    private static func result(of solution: DualSolution, dual: RestrictedDual, gains: DeviationGains<Double>,
                               parameters: MWMREParameters, target: [Double], face: FeasibleFace,
                               method: MWMREMethod, payoffRadius: Double) -> MWMREResult {
        let n = parameters.epsilonTarget.count
        let joint = target.count
        let hard = parameters.isHardLimit
        let rowPlayers = gains.rows.map(\.player)
        let e = solution.evaluation
        var sigma = [Double](repeating: 0, count: joint)
        for (k, local) in dual.keptColumns.enumerated() { sigma[dual.columns[local]] = e.sigma[k] }
        var duals = [Double](repeating: 0, count: gains.rowCount)
        for (k, i) in dual.keptRows.enumerated() { duals[dual.rowOrigin[i]] = solution.x[k] }
        let epsilon = hard ? parameters.epsilonTarget : e.epsilon

        // Primal objective.
        let expected = gains.expectedGains(sigma)
        var largestGain = [Double](repeating: -.infinity, count: n)
        for (i, p) in rowPlayers.enumerated() { largestGain[p] = max(largestGain[p], expected[i]) }
        for p in 0..<n where largestGain[p] == -.infinity { largestGain[p] = 0 }
        var violation = 0.0
        for p in 0..<n { violation = max(violation, largestGain[p] - epsilon[p]) }
        var kl = 0.0
        for c in 0..<joint where sigma[c] > 0 { kl += sigma[c] * (log(sigma[c]) - log(target[c])) }
        var welfareTerm = 0.0
        if let welfare = parameters.welfare, dual.mu > 0 {
            for c in 0..<joint { welfareTerm += dual.mu * sigma[c] * welfare[c] }
        }
        var penalty = 0.0
        if !hard { for p in 0..<n { penalty += parameters.rho * dual.players[p].penalty(epsilon[p]) } }
        let primal = welfareTerm - kl - penalty

        var (certifiedGap, note) = certificate(solution, problem: dual.problem, hard: hard, violation: violation,
                                               expected: expected, parameters: parameters, rowPlayers: rowPlayers,
                                               face: face)
        let rigorous = rigorousBound(solution, dual: dual, sigma: sigma, payoffRadius: payoffRadius, hard: hard)
        let status: MWMREStatus = solution.converged ? .optimal : .notConverged
        let numbers = sigma + epsilon + duals + [e.value, primal, solution.kktResidual, violation]
        guard numbers.allSatisfy({ $0.isFinite }) else {
            return failedResult("numerical failure: the minimiser reached non-finite values (\(solution.message))",
                                parameters: parameters, method: method)
        }
        if status != .optimal || !(certifiedGap?.isFinite ?? true) {
            // A certificate is only given for a converged, finite answer.
            if certifiedGap != nil { note = "no certificate: the minimiser did not converge" }
            certifiedGap = nil
        }
        return MWMREResult(
            status: status, message: solution.message, joint: sigma, epsilon: epsilon, duals: duals,
            dualsAttained: dual.zeroJointActions == 0 && dual.equalityRows == 0, dualObjective: e.value,
            primalObjective: primal, certifiedGap: certifiedGap, certificateNote: note,
            kktResidual: solution.kktResidual, iterations: solution.iterations, method: method,
            maximumViolation: max(0, violation), minimumEpsilon: nil, maximumWelfare: face.maximumWelfare,
            zeroJointActions: dual.zeroJointActions, equalityRows: dual.equalityRows,
            facialReduction: dual.facialReduction?.method, klBound: rigorous.bound, klJointError: rigorous.jointError, klBoundNote: rigorous.note)
    }

    /// The rigorous KL bound of a soft problem's answer (``RigorousSoftGap``) with the distance of
    /// the reported σ from the exact σ(α), or why there is none.
    private static func rigorousBound(_ solution: DualSolution, dual: RestrictedDual, sigma: [Double],
                                      payoffRadius: Double, hard: Bool)
        -> (bound: Double?, jointError: Double?, note: String?)
    {
        let problem = dual.problem
        let rowRadius = gainRadius(problem, payoffRadius: payoffRadius)
        // Offsets ln σ̂ + μW: libm's log within 2 ulps, the product and the sum within an ulp each.
        let offsetRadius = problem.offsets.map { (0x1p-50 * abs($0)).nextUp }
        let bound: Result<RigorousSoftGap, RigorousGapRefusal>
        if hard {
            guard let reduction = dual.facialReduction, reduction.proven, let interior = reduction.interior else {
                let how = dual.facialReduction?.method ?? "none ran"
                return (nil, nil, "no rigorous bound: the facial reduction is not proven (\(how))")
            }
            let point = dual.keptColumns.map { interior[$0] }
            if problem.rowFree.contains(true) {
                guard let exact = dual.exactGains, dual.entryOrigin.count == problem.rowValues.count else {
                    return (nil, nil, "no rigorous bound: the exact gains of the equality rows are not available")
                }
                let all = exact.values
                bound = problem.rigorousEqualityGap(solution.x, rowRadius: rowRadius, offsetRadius: offsetRadius,
                                                    interior: point,
                                                    reported: dual.keptColumns.map { sigma[dual.columns[$0]] },
                                                    exactValues: dual.entryOrigin.map { all[$0] })
            } else {
                bound = problem.rigorousHardGap(solution.x, rowRadius: rowRadius, offsetRadius: offsetRadius,
                                                interior: point)
            }
        } else {
            bound = problem.rigorousSoftGap(solution.x, rowRadius: rowRadius, offsetRadius: offsetRadius)
        }
        switch bound {
        case .failure(let refusal):
            return (nil, nil, "no rigorous bound: " + refusal.reason)
        case .success(let gap):
            var error = 0.0
            for (k, local) in dual.keptColumns.enumerated() {
                let s = sigma[dual.columns[local]]
                error = max(error, (gap.sigmaUpper[k] - s).nextUp, (s - gap.sigmaLower[k]).nextUp)
            }
            return (gap.bound, error, nil)
        }
    }

    /// The duality-gap certificate of a dual point, or why there is none: for hard constraints
    /// α·∇ when σ(α) meets them (on the max-welfare face its tight rows are equalities), otherwise
    /// the soft certificate.
    private static func certificate(_ solution: DualSolution, problem: DualProblem, hard: Bool, violation: Double,
                                    expected: [Double], parameters: MWMREParameters, rowPlayers: [Int],
                                    face: FeasibleFace) -> (gap: Double?, note: String?) {
        let e = solution.evaluation
        var alphaDotGradient = 0.0
        for i in 0..<problem.rowCount { alphaDotGradient += solution.x[i] * e.gradient[i] }
        if hard {
            var hardViolation = violation
            for i in 0..<expected.count where face.equalities[i] {
                hardViolation = max(hardViolation, parameters.epsilonTarget[rowPlayers[i]] - expected[i])
            }
            if hardViolation <= 0 { return (max(0, alphaDotGradient), nil) }
            return (nil, "no floating-point gap at the hard limit (ε ≤ ε̂ a constraint): σ(α) violates it by "
                    + String(format: "%.2g", hardViolation))
        }
        if let gap = problem.softCertificate(solution.x, e) { return (max(0, gap), nil) }
        return (nil, "no certificate: σ(α) needs ε at or above the cap ε⁺")
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
    private static func strictTargetWarmStart(_ problem: DualProblem, from start: [Double],
                                              linearSolver: NewtonLinearSolver) -> ([Double], Int) {
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
            let stage = staged.minimizeByNewton(from: x, tolerance: 1e-4 * max(problem.largestFeature, 1e-300),
                                                linearSolver: linearSolver)
            iterations += stage.iterations
            guard stage.x.allSatisfy({ $0.isFinite }) else { return (start, iterations) }
            x = stage.x.map { $0 * 10 }
        }
        return (x, iterations)
    }

    /// A `failed` result: no σ, nothing promised, the reason in the message.
    static func failedResult(_ reason: String, parameters: MWMREParameters, method: MWMREMethod) -> MWMREResult {
        MWMREResult(
            status: .failed, message: reason, joint: [], epsilon: parameters.epsilonTarget, duals: [],
            dualsAttained: false, dualObjective: 0, primalObjective: 0, certifiedGap: nil,
            certificateNote: "failed", kktResidual: 0, iterations: 0, method: method, maximumViolation: 0,
            minimumEpsilon: nil, maximumWelfare: nil, zeroJointActions: 0, equalityRows: 0)
    }

    /// The optimal face of max W·σ over the hard constraints, by complementary slackness with the
    /// LP's optimal multipliers α ≥ 0 (and w of Σσ = 1): an optimal σ is exactly a feasible σ that
    /// is 0 where the reduced cost d_a = W_a − (Aᵀα)_a − w is negative and makes every row with
    /// α_i > 0 tight. This holds for any one optimal dual, without strict complementarity, so the
    /// face is described exactly when the multipliers are exact (and to a relative 1e-9 in doubles).
    /// `nil` when the multipliers are missing or inconsistent.
    static func maximumWelfareFace(game: NormalFormGame, concept: EquilibriumConcept, welfare: [Double],
                                   exactWelfare: [Rational]? = nil,
                                   support: [Bool], lp: EquilibriumLPResult, exact: Bool)
        -> (columns: [Bool], tightRows: [Bool])?
    {
        let joint = game.jointActionCount
        if let alpha = lp.dualsExact, lp.certified, lp.isExact {
            let gains = game.exactDeviationGains(concept)
            guard alpha.count == gains.rowCount else { return nil }
            var reduced = exactWelfare ?? welfare.map { Rational($0) }
            for i in 0..<gains.rowCount where !alpha[i].isZero {
                for (a, v) in gains.entries(ofRow: i) { reduced[a] -= alpha[i] * v }
            }
            guard let w = (0..<joint).filter({ support[$0] }).map({ reduced[$0] }).max() else { return nil }
            let columns = (0..<joint).map { support[$0] && !(reduced[$0] < w) }
            return (columns, alpha.map { $0.signum > 0 })
        }
        let gains = game.deviationGains(concept)
        let alpha = lp.duals
        guard alpha.count == gains.rowCount, alpha.allSatisfy({ $0.isFinite }) else { return nil }
        var reduced = welfare
        var magnitude = welfare.map { abs($0) }
        var rowScale = [Double](repeating: 0, count: gains.rowCount)
        for i in 0..<gains.rowCount {
            for (a, v) in gains.entries(ofRow: i) {
                rowScale[i] = max(rowScale[i], abs(v))
                if alpha[i] != 0 {
                    reduced[a] -= alpha[i] * v
                    magnitude[a] += abs(alpha[i] * v)
                }
            }
        }
        let supported = (0..<joint).filter { support[$0] }
        guard let w = supported.map({ reduced[$0] }).max() else { return nil }
        let scale = max(supported.map { magnitude[$0] }.max() ?? 0, welfare.reduce(0) { max($0, abs($1)) })
        let tolerance = 1e-9 * scale
        let columns = (0..<joint).map { support[$0] && reduced[$0] >= w - tolerance }
        let rowTolerance = 1e-9 * max(scale, 1e-300)
        return (columns, (0..<gains.rowCount).map { alpha[$0] * rowScale[$0] > rowTolerance })
    }

    /// The usable range of the finite parameters, relative to the largest deviation gain g of the
    /// game solved (docs/mathematics.md, "Usable parameter ranges"): |μ|·max|W|, ρ·g, |ε̂_p|/g and
    /// |ε⁺_p|/g at most 1e12, and ρ·g at least 1e-12. Beyond them the dual's numbers leave the
    /// range where doubles can represent its optimum (e.g. ρ·û overflows, or μW swamps every
    /// gain); the limits μ = ∞ and ρ = ∞ are exact and are what such values approximate.
    public static let parameterRange = 1e12

    private static func validate(_ parameters: MWMREParameters, players n: Int, joint: Int, largestGain g: Double)
        throws(MWMREError)
    {
        if let target = parameters.target {
            guard target.count == joint else {
                throw MWMREError.parameter("target has \(target.count) entries; the game has \(joint) joint actions")
            }
            if let bad = target.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
                throw MWMREError.parameter("target entry \(bad) is \(target[bad]); entries must be finite and non-negative")
            }
            let total = target.reduce(0, +)
            guard abs(total - 1) <= 1e-9 else { throw MWMREError.parameter("target sums to \(total), not 1") }
        }
        guard parameters.epsilonTarget.count == n, parameters.epsilonCap.count == n else {
            throw MWMREError.parameter("ε̂ and ε⁺ need one value per player (\(n))")
        }
        for p in 0..<n {
            let t = parameters.epsilonTarget[p], c = parameters.epsilonCap[p]
            guard t.isFinite, c.isFinite else { throw MWMREError.parameter("ε̂ and ε⁺ of player \(p + 1) must be finite") }
            // ε⁺ plays no part in the hard limits (ρ = ∞ or μ = ∞).
            let hard = parameters.isHardLimit
            guard hard || c > t else { throw MWMREError.parameter("ε⁺ (\(c)) must exceed ε̂ (\(t)) for player \(p + 1)") }
        }
        if let exact = parameters.exactWelfare, exact.count != joint {
            throw MWMREError.parameter("the exact welfare has \(exact.count) entries, expected \(joint)")
        }
        if let welfare = parameters.welfare {
            guard welfare.count == joint else { throw MWMREError.parameter("welfare has \(welfare.count) entries, expected \(joint)") }
            if let bad = welfare.firstIndex(where: { !$0.isFinite }) {
                throw MWMREError.parameter("welfare entry \(bad + 1) (1-based, joint actions in row-major order) is "
                                           + "\(welfare[bad]), not finite; a welfare Σ_p G_p above 1.8e308 overflows the "
                                           + "doubles: scale the payoffs down")
            }
        }
        guard !parameters.mu.isNaN, parameters.mu > -.infinity else {
            throw MWMREError.parameter("μ must be a number or +∞ (got \(parameters.mu))")
        }
        guard parameters.rho > 0 else { throw MWMREError.parameter("ρ must be positive (got \(parameters.rho))") }
        let range = parameterRange
        if g > 0 {
            let hard = parameters.isHardLimit
            for p in 0..<n {
                // ε⁺ plays no part in the hard limits.
                for (name, v) in [("ε̂", parameters.epsilonTarget[p]), ("ε⁺", hard ? 0 : parameters.epsilonCap[p])]
                where abs(v) > range * g {
                    throw MWMREError.parameter("\(name) of player \(p + 1) is \(g6(v)); its usable range is |\(name)| ≤ "
                                               + "\(g6(range * g)) (1e12 × the largest deviation gain, \(g6(g)))")
                }
            }
            // At μ = ∞, ρ plays no part (ε ≤ ε̂ is hard): a preset's ρ is not checked there.
            if parameters.rho.isFinite && !parameters.mu.isInfinite && !(1 / range / g).isFinite {
                throw MWMREError.parameter("ρ = \(g6(parameters.rho)) is not usable: at this scale (largest deviation "
                                           + "gain \(g6(g))) ρ·gain ≥ 1e-12 needs ρ beyond the doubles; use ρ = inf "
                                           + "for the hard limit, or solve the normalised game")
            }
            if parameters.rho.isFinite && !parameters.mu.isInfinite
                && !(parameters.rho * g <= range && parameters.rho * g >= 1 / range) {
                let usable = (range / g).isFinite ? "\(g6(1 / range / g)) … \(g6(range / g))"
                                                  : "ρ ≥ \(g6(1 / range / g))"
                throw MWMREError.parameter("ρ = \(g6(parameters.rho)) is outside its usable range \(usable) (1e-12 … 1e12 "
                                           + "divided by the largest deviation gain, \(g6(g))); use ρ = inf for the hard limit")
            }
        }
        if parameters.mu.isFinite, parameters.mu != 0, let welfare = parameters.welfare {
            let w = welfare.reduce(0) { max($0, abs($1)) }
            if abs(parameters.mu) * w > range {
                throw MWMREError.parameter("μ = \(g6(parameters.mu)) is outside its usable range |μ| ≤ \(g6(range / w)) "
                                           + "(|μ|·max|W| ≤ 1e12, max|W| = \(g6(w))); use μ = inf for the limit")
            }
        }
        if parameters.mu.isInfinite && parameters.welfare == nil {
            throw MWMREError.parameter("μ = ∞ needs a welfare")
        }
    }
}

/// A number as people read it in a message (six significant digits).
private func g6(_ v: Double) -> String { String(format: "%.6g", v) }

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
