public import NormalFormGames
import Foundation
public import LinearProgramming

/// The linear selections among (coarse) correlated equilibria (docs/reference.md §2).
public enum LinearSelection: Sendable, Equatable {
    /// Maximise Σ σ(a) W(a) with the game's welfare (custom, or Σ_p G_p).
    case maximumWelfare
    /// Maximise or minimise c·σ for a given c over joint actions.
    case linear(coefficients: [Rational], maximize: Bool)
    /// Maximise the probability σ(a*) of one joint action (0-based flat index).
    case maximumProbability(jointIndex: Int)
    /// The strictest equilibrium: minimise t subject to every gain ≤ t (one shared t), or
    /// minimise Σ_p t_p subject to player p's gains ≤ t_p (`perPlayer`). The ε argument of the
    /// solve is ignored; the minimising t is reported as ε.
    case minimumEpsilon(perPlayer: Bool)
}

/// The outcome of an equilibrium LP.
public struct EquilibriumLPResult: Sendable {
    public var concept: EquilibriumConcept
    public var selection: LinearSelection
    public var status: LPStatus
    /// Whether the result was computed and checked in exact rational arithmetic.
    public var isExact: Bool
    /// Whether our rational re-check proved the status (optimality certificate or Farkas gap).
    public var certified: Bool
    /// The LP objective value.
    public var objective: Double?
    public var objectiveExact: Rational?
    /// σ over joint actions, row-major (player N fastest).
    public var joint: [Double]
    public var jointExact: [Rational]?
    /// ε_p per player: the given bounds, or the minimising t for ``LinearSelection/minimumEpsilon(perPlayer:)``.
    public var epsilon: [Double]
    public var epsilonExact: [Rational]?
    /// Multipliers α ≥ 0 of the gain rows in canonical order (docs/reference.md §1); for an infeasible
    /// problem, the Farkas multipliers.
    public var duals: [Double]
    public var dualsExact: [Rational]?
    /// Expected payoff of each player under σ.
    public var expectedPayoffs: [Double]
    /// Largest expected deviation gain of each player under σ (≤ ε_p when feasible).
    public var maximumGains: [Double]
    /// Expected welfare under σ.
    public var welfare: Double?
    /// Largest constraint violation of σ relative to the payoff scale (max |G|); 0 when exact.
    public var maximumViolation: Double
    /// Whether the optimal σ is unique; `nil` when not computed.
    public var isUnique: Bool?
    /// Range of each σ(a) over the optimal face (double path, or nearest doubles): `nil` entries
    /// for the joint actions whose range was not computed (not asked for, or beyond the budget;
    /// the note says why); `nil` when none was.
    public var ranges: [(minimum: Double, maximum: Double)?]?
    /// The exact ranges, when every one was computed and certified.
    public var rangesExact: [(minimum: Rational, maximum: Rational)]?
    /// For infeasible exact results: the Farkas gap (negative).
    public var farkasGap: Rational?
    /// The simplex basis of the certificate, rows then columns (GLPK status codes).
    public var basis: LPBasis?
    /// How the certified basis was found (`simplex` or `exact-simplex`).
    public var method: String?
    public var iterations: Int
    public var note: String?
    /// What the optimal-face analysis could not decide (uniqueness, ranges not computed), and why.
    public var faceNote: String?
    /// The rigorous certificate of a double-precision answer, when asked for (`certify`).
    public var certification: LPCertification? = nil
    /// What the optimal-face analysis's multipliers prove about its ranges, for the certificate.
    var faceRangeBounds: FaceRangeBounds? = nil
}

/// Builds and solves the (C)CE linear programs of docs/reference.md §2 with GLPK.
public enum EquilibriumLP {
    /// The LP for a game. Columns: σ(a) for every joint action, then t (one, or one per player)
    /// for the minimum-ε selection. Rows: one per deviation in canonical order,
    /// `Σ_a A(row, a) σ(a) [− t_p] ≤ ε_p`, then `Σ_a σ(a) = 1`.
    public static func program(
        game: NormalFormGame, concept: EquilibriumConcept, selection: LinearSelection, epsilon: [Rational],
        support: [Bool]? = nil
    ) throws(EquilibriumLPError) -> LinearProgram<Rational> {
        try check(game: game, selection: selection, epsilon: epsilon)
        let joint = game.jointActionCount
        let gains = game.exactDeviationGains(concept)
        var objective: [Rational]
        var direction: LinearProgram<Rational>.Direction = .maximize
        var extraColumns = 0
        switch selection {
        case .maximumWelfare:
            objective = game.rationalWelfare
        case .linear(let c, let maximize):
            objective = c
            direction = maximize ? .maximize : .minimize
        case .maximumProbability(let a):
            objective = Array(repeating: .zero, count: joint)
            objective[a] = .one
        case .minimumEpsilon(let perPlayer):
            extraColumns = perPlayer ? game.playerCount : 1
            objective = Array(repeating: .zero, count: joint) + Array(repeating: .one, count: extraColumns)
            direction = .minimize
        }
        var program = LinearProgram<Rational>(
            direction: direction, objective: objective,
            columnBounds: (0..<joint).map { support?[$0] == false ? .fixed(.zero) : .nonnegative }
                + Array(repeating: .free, count: extraColumns))
        for (i, row) in gains.rows.enumerated() {
            var entries = Array(gains.entries(ofRow: i))
            if extraColumns > 0 {
                entries.append((joint + (extraColumns == 1 ? 0 : row.player), -Rational.one))
                program.addRow(entries, bounds: .atMost(.zero))
            } else {
                program.addRow(entries, bounds: .atMost(epsilon[row.player]))
            }
        }
        program.addRow((0..<joint).map { ($0, Rational.one) }, bounds: .fixed(.one))
        return program
    }

    /// The program GLPK solves, on the well-scaled copy of ``LPScaling`` (over doubles, or over
    /// the rationals of the same powers of two when `exact`). Same rows, columns and bases as
    /// ``program(game:concept:selection:epsilon:support:)``; only the numbers are scaled.
    static func scaledProgram<S: LPScalar>(
        game: NormalFormGame, concept: EquilibriumConcept, selection: LinearSelection, scaling: LPScaling,
        epsilon: [Rational], support: [Bool]?, values: [S], objective scaledObjective: [S]?,
        convert: (Double) -> S, exactBound: (Rational, Int) -> S
    ) -> LinearProgram<S> {
        let joint = game.jointActionCount
        let gains = scaling.gains
        var objective: [S]
        var direction: LinearProgram<S>.Direction = .maximize
        var extraColumns = 0
        switch selection {
        case .minimumEpsilon(let perPlayer):
            extraColumns = perPlayer ? game.playerCount : 1
            let top = scaling.rowExponents.max() ?? 0
            // Σ_p t_p = 2^top Σ_p 2^(e_p − top) t''_p: the weights of the scaled t''.
            let weights = perPlayer ? scaling.rowExponents.map { convert(scalbn(1.0, $0 - top)) } : [convert(1)]
            objective = Array(repeating: S.zero, count: joint) + weights
            direction = .minimize
        case .linear(_, let maximize):
            objective = scaledObjective!
            direction = maximize ? .maximize : .minimize
        case .maximumWelfare, .maximumProbability:
            objective = scaledObjective!
        }
        var program = LinearProgram<S>(
            direction: direction, objective: objective,
            columnBounds: (0..<joint).map { support?[$0] == false ? .fixed(S.zero) : .nonnegative }
                + Array(repeating: .free, count: extraColumns))
        program.rowStart.reserveCapacity(gains.rowCount + 2)
        program.columnIndices.reserveCapacity(gains.columns.count + joint + gains.rowCount)
        program.values.reserveCapacity(gains.columns.count + joint + gains.rowCount)
        let bounds = (0..<game.playerCount).map { exactBound(epsilon[$0], scaling.rowExponents[$0]) }
        for (i, row) in gains.rows.enumerated() {
            for k in gains.rowStart[i]..<gains.rowStart[i + 1] {
                program.columnIndices.append(gains.columns[k])
                program.values.append(values[k])
            }
            if extraColumns > 0 {
                program.columnIndices.append(joint + (extraColumns == 1 ? 0 : row.player))
                program.values.append(convert(-1))
            }
            program.rowStart.append(program.columnIndices.count)
            program.rowBounds.append(.atMost(extraColumns > 0 ? S.zero : bounds[row.player]))
        }
        program.addRow((0..<joint).map { ($0, convert(1)) }, bounds: .fixed(convert(1)))
        return program
    }

    /// ε_p · 2^(−e), clamped to ±``LPScaling/boundClamp`` (an equivalent bound; see there).
    static func scaledExactBound(_ epsilon: Rational, _ exponent: Int) -> Rational {
        let v = epsilon * LPScaling.rationalPower(-exponent)
        let clamp = Rational(LPScaling.boundClamp)
        return v < -clamp ? -clamp : (clamp < v ? clamp : v)
    }

    /// Per player, the largest expected gain under σ, read off the LP's gain rows (the first
    /// `rows` rows, canonical order) without rebuilding the gain matrix.
    static func scaledMaximumGains(_ program: LinearProgram<Double>, rows: Int, joint: Int, sigma: [Double],
                                     players actionCounts: [Int], concept: EquilibriumConcept) -> [Double] {
        var result = [Double](repeating: 0, count: actionCounts.count)
        var row = 0
        for (p, n) in actionCounts.enumerated() {
            let count = concept == .correlated ? n * (n - 1) : n
            var best = -Double.infinity
            for i in row..<(row + count) {
                var sum = 0.0
                for k in program.rowStart[i]..<program.rowStart[i + 1] where program.columnIndices[k] < joint {
                    sum += program.values[k] * sigma[program.columnIndices[k]]
                }
                best = max(best, sum)
            }
            result[p] = count == 0 ? 0 : best
            row += count
        }
        return result
    }

    private static func check(game: NormalFormGame, selection: LinearSelection, epsilon: [Rational])
        throws(EquilibriumLPError)
    {
        guard epsilon.count == game.playerCount else {
            throw EquilibriumLPError("epsilon has \(epsilon.count) entries; the game has \(game.playerCount) players")
        }
        switch selection {
        case .linear(let c, _):
            guard c.count == game.jointActionCount else {
                throw EquilibriumLPError("objective has \(c.count) coefficients; the game has "
                                         + "\(game.jointActionCount) joint actions")
            }
            if let bad = c.firstIndex(where: { !$0.doubleValue.isFinite }) {
                throw EquilibriumLPError("objective coefficient \(bad + 1) is too large for a double")
            }
        case .maximumProbability(let a):
            guard (0..<game.jointActionCount).contains(a) else {
                throw EquilibriumLPError("joint action index \(a) is out of range 0..<\(game.jointActionCount)")
            }
        case .maximumWelfare:
            if game.welfare.contains(where: { !$0.isFinite }) {
                throw EquilibriumLPError("the welfare Σ_p G_p overflows a double (above 1.8e308); scale the payoffs down")
            }
        case .minimumEpsilon:
            break
        }
        try checkPayoffRanges(game)
    }

    /// Every player's payoff range max G_p − min G_p must be a finite double, so that every
    /// deviation gain, ε and expected payoff reported is one.
    static func checkPayoffRanges(_ game: NormalFormGame) throws(EquilibriumLPError) {
        let joint = game.jointActionCount
        for p in 0..<game.playerCount {
            let slice = game.payoffs[(p * joint)..<((p + 1) * joint)]
            if let top = slice.max(), let bottom = slice.min(), !(top - bottom).isFinite {
                throw EquilibriumLPError("player \(p + 1)'s payoff range \(bottom) … \(top) overflows a double; "
                                         + "scale the payoffs down")
            }
        }
    }

    /// Solves an equilibrium LP.
    ///
    /// Every solve works on the well-scaled copy of ``LPScaling`` and maps the answer back, so
    /// the answer for G·c (c > 0, any per-player offsets) is that of G with objective and ε
    /// scaled by c. Statuses are honest: `infeasible` only with a proof (a Farkas certificate
    /// checked with rigorous floating-point error bounds, or an exact one), and `failed` (with
    /// the reason in ``EquilibriumLPResult/note``) when GLPK stops without a trustworthy answer
    /// (time or iteration limit, numerical failure, an infeasibility it claims but that cannot
    /// be proven, or an `unbounded` report: these LPs are always bounded).
    ///
    /// - Parameters:
    ///   - epsilon: ε_p per player (negative asks for strictness); exact rationals.
    ///   - exact: solve and certify in rational arithmetic (docs/mathematics.md) instead of doubles.
    ///   - optimalFace: also decide uniqueness (from the basis, or by one LP) and compute the
    ///     ranges of σ(a) over the optimal face that `faceRanges` asks for. The analysis never
    ///     fails the solve: what it could not decide is reported as undecided
    ///     (``EquilibriumLPResult/isUnique`` `nil`, `nil` ranges, with a note).
    ///   - faceRanges: which ranges to compute when the optimum is not unique.
    ///   - faceProgress: called after each range with (done, total).
    ///   - options: simplex settings; ``SimplexOptions/timeLimit`` bounds every
    ///     double-precision GLPK call.
    ///   - support: joint actions σ may use (`nil`: all); the others are fixed at 0.
    ///   - exactTimeLimit: the budget of the whole exact path (every rational solve,
    ///     the proof of infeasibility and the optimal face included). When it runs out the
    ///     double-precision answer is returned with `certified == false` and a note. With
    ///     `certify`, the budget of the exact fallback of the certificate.
    ///   - certify: prove the double-precision answer rigorously (``LPCertification``): the
    ///     optimal basis checked by floating-point enclosures with rigorous error bounds, in exact
    ///     arithmetic only where they cannot decide. Sets ``EquilibriumLPResult/certified`` and
    ///     ``EquilibriumLPResult/certification``. Not with `exact`, which certifies already.
    /// - Throws: ``EquilibriumLPError`` for bad arguments (shapes, out-of-range numbers).
    public static func solve(
        game: NormalFormGame, concept: EquilibriumConcept, selection: LinearSelection = .maximumWelfare,
        epsilon: [Rational]? = nil, exact: Bool = false, optimalFace: Bool = false,
        faceRanges: FaceRanges = .automatic, faceProgress: ((_ done: Int, _ total: Int) -> Void)? = nil,
        options: SimplexOptions = SimplexOptions(), exactTimeLimit: Duration = .seconds(10),
        support: [Bool]? = nil, certify: Bool = false
    ) throws(EquilibriumLPError) -> EquilibriumLPResult {
        if certify && exact {
            throw EquilibriumLPError("certify applies to the double-precision solve; the exact solve is certified already")
        }
        let epsilon = epsilon ?? Array(repeating: .zero, count: game.playerCount)
        try check(game: game, selection: selection, epsilon: epsilon)
        if let support, support.count != game.jointActionCount || !support.contains(true) {
            throw EquilibriumLPError("the support must list every joint action and allow at least one")
        }
        let request = ScaledRequest(game: game, concept: concept, selection: selection, epsilon: epsilon,
                                    support: support)
        if var trivial = request.constantPlayerInfeasibility(exact: exact) {
            if certify {
                trivial.certification = LPCertification(certified: true, method: trivial.method ?? "constant player")
            }
            return trivial
        }
        let face = optimalFace ? FaceRequest(ranges: faceRanges, progress: faceProgress,
                                             collectsRangeBounds: certify && !exact) : nil
        var result: EquilibriumLPResult
        if exact {
            let deadline = ContinuousClock.now + max(.milliseconds(1), exactTimeLimit)
            result = request.solveExactly(optimalFace: face, options: options, deadline: deadline)
            if result.status == .failed || (!result.certified && result.jointExact == nil && result.status == .optimal) {
                // No exact answer within the budget: the double-precision one, marked uncertified.
                let reason = result.note
                var fallback = request.solveInDoubles(optimalFace: face, options: options)
                fallback.note = [reason, fallback.note].compactMap { $0 }.joined(separator: "; ")
                return fallback
            }
        } else {
            let program = request.doubleProgram()
            result = request.solveInDoubles(optimalFace: face, options: options, program: program)
            if certify {
                request.certify(&result, program: program, face: face, options: options,
                                deadline: ContinuousClock.now + max(.milliseconds(1), exactTimeLimit))
            }
        }
        return result
    }
}

/// What the optimal-face analysis is asked for.
struct FaceRequest {
    var ranges: FaceRanges
    var progress: ((_ done: Int, _ total: Int) -> Void)?
    /// Whether the ranges will be certified: the analysis then keeps what its LPs' multipliers
    /// prove (``FaceRangeBounds``).
    var collectsRangeBounds = false
}

/// A problem with an equilibrium LP request, or a solver failure, with a one-line message.
public struct EquilibriumLPError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var cause: LinearProgrammingError?
    public init(_ message: String, cause: LinearProgrammingError? = nil) {
        self.message = message
        self.cause = cause
    }
    public var description: String { message }
}
