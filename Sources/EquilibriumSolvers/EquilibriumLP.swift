public import NormalFormGames
public import LinearProgramming

/// The linear selections among (coarse) correlated equilibria (SPEC §2).
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
    /// Multipliers α ≥ 0 of the gain rows in canonical order (SPEC §1); for an infeasible
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
    /// Range of each σ(a) over the optimal face when computed (double path, or nearest doubles).
    public var ranges: [(minimum: Double, maximum: Double)]?
    public var rangesExact: [(minimum: Rational, maximum: Rational)]?
    /// For infeasible exact results: the Farkas gap (negative).
    public var farkasGap: Rational?
    /// The simplex basis of the certificate, rows then columns (GLPK status codes).
    public var basis: LPBasis?
    /// How the certified basis was found (`simplex` or `exact-simplex`).
    public var method: String?
    public var iterations: Int
    public var note: String?
}

/// Builds and solves the (C)CE linear programs of SPEC §2 with GLPK.
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

    /// The same program over doubles, built without rational arithmetic (the fast path).
    public static func doubleProgram(
        game: NormalFormGame, concept: EquilibriumConcept, selection: LinearSelection, epsilon: [Double],
        support: [Bool]? = nil
    ) throws(EquilibriumLPError) -> LinearProgram<Double> {
        try check(game: game, selection: selection, epsilon: epsilon.map { _ in .zero })
        if let bad = epsilon.firstIndex(where: { !$0.isFinite }) {
            throw EquilibriumLPError("epsilon for player \(bad + 1) is not finite")
        }
        let joint = game.jointActionCount
        let gains = game.deviationGains(concept)
        var objective: [Double]
        var direction: LinearProgram<Double>.Direction = .maximize
        var extraColumns = 0
        switch selection {
        case .maximumWelfare:
            objective = game.welfare
        case .linear(let c, let maximize):
            objective = c.map(\.doubleValue)
            direction = maximize ? .maximize : .minimize
        case .maximumProbability(let a):
            objective = Array(repeating: 0, count: joint)
            objective[a] = 1
        case .minimumEpsilon(let perPlayer):
            extraColumns = perPlayer ? game.playerCount : 1
            objective = Array(repeating: 0, count: joint) + Array(repeating: 1, count: extraColumns)
            direction = .minimize
        }
        var program = LinearProgram<Double>(
            direction: direction, objective: objective,
            columnBounds: (0..<joint).map { support?[$0] == false ? .fixed(0) : .nonnegative }
                + Array(repeating: .free, count: extraColumns))
        program.rowStart.reserveCapacity(gains.rowCount + 2)
        program.columnIndices.reserveCapacity(gains.columns.count + joint + gains.rowCount)
        program.values.reserveCapacity(gains.columns.count + joint + gains.rowCount)
        for (i, row) in gains.rows.enumerated() {
            for k in gains.rowStart[i]..<gains.rowStart[i + 1] {
                program.columnIndices.append(gains.columns[k])
                program.values.append(gains.values[k])
            }
            if extraColumns > 0 {
                program.columnIndices.append(joint + (extraColumns == 1 ? 0 : row.player))
                program.values.append(-1)
            }
            program.rowStart.append(program.columnIndices.count)
            program.rowBounds.append(.atMost(extraColumns > 0 ? 0 : epsilon[row.player]))
        }
        program.addRow((0..<joint).map { ($0, 1.0) }, bounds: .fixed(1))
        return program
    }

    /// Per player, the largest expected gain under σ, read off the LP's gain rows (the first
    /// `rows` rows, canonical order) without rebuilding the gain matrix.
    private static func maximumGains(_ program: LinearProgram<Double>, rows: Int, joint: Int, sigma: [Double],
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
        precondition(row == rows, "gain rows do not match the shape")
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
        case .maximumProbability(let a):
            guard (0..<game.jointActionCount).contains(a) else {
                throw EquilibriumLPError("joint action index \(a) is out of range 0..<\(game.jointActionCount)")
            }
        case .maximumWelfare, .minimumEpsilon:
            break
        }
    }

    /// Solves an equilibrium LP.
    ///
    /// - Parameters:
    ///   - epsilon: ε_p per player (negative asks for strictness); exact rationals.
    ///   - exact: solve and certify in rational arithmetic (SPEC §2) instead of doubles.
    ///   - optimalFace: also decide uniqueness and compute the range of each σ(a) over the
    ///     optimal face.
    ///   - support: joint actions σ may use (`nil`: all); the others are fixed at 0.
    ///   - exactTimeLimitMilliseconds: limit for each call of GLPK's rational simplex; when it is
    ///     reached the double-precision answer is returned with `certified == false` and a note.
    /// - Throws: ``EquilibriumLPError`` for bad arguments or when GLPK fails.
    public static func solve(
        game: NormalFormGame, concept: EquilibriumConcept, selection: LinearSelection = .maximumWelfare,
        epsilon: [Rational]? = nil, exact: Bool = false, optimalFace: Bool = false,
        options: SimplexOptions = SimplexOptions(), exactTimeLimitMilliseconds: Int32 = 10_000,
        support: [Bool]? = nil
    ) throws(EquilibriumLPError) -> EquilibriumLPResult {
        let epsilon = epsilon ?? Array(repeating: .zero, count: game.playerCount)
        let joint = game.jointActionCount
        let scale = max(game.payoffs.reduce(0) { max($0, abs($1)) }, 1e-300)
        let gainRows = DeviationGains<Double>.rowCount(concept: concept, actionCounts: game.actionCounts)
        var result = EquilibriumLPResult(
            concept: concept, selection: selection, status: .infeasible, isExact: exact, certified: false,
            joint: [], epsilon: epsilon.map(\.doubleValue), epsilonExact: exact ? epsilon : nil, duals: [],
            expectedPayoffs: [], maximumGains: [], maximumViolation: 0, iterations: 0)
        let sense: Double
        if case .linear(_, let maximize) = selection { sense = maximize ? 1 : -1 } else if case .minimumEpsilon = selection {
            sense = -1
        } else {
            sense = 1
        }
        var gainProgram: LinearProgram<Double>?
        do {
            if exact {
                let program = try program(game: game, concept: concept, selection: selection, epsilon: epsilon,
                                          support: support)
                let solution = try program.solveExactly(options: options,
                                                        timeLimitMilliseconds: exactTimeLimitMilliseconds)
                if !solution.certified && solution.x.isEmpty && solution.status == .optimal {
                    // No exact point: give the double-precision answer, marked uncertified.
                    var fallback = try Self.solve(game: game, concept: concept, selection: selection, epsilon: epsilon,
                                                  exact: false, optimalFace: optimalFace, options: options,
                                                  support: support)
                    fallback.note = solution.note
                    return fallback
                }
                result.status = solution.status
                result.certified = solution.certified
                result.method = solution.method
                result.note = solution.note
                result.basis = solution.certificate?.basis
                let exactSense = Rational(Int(sense))
                result.dualsExact = solution.rowDuals.isEmpty ? nil : solution.rowDuals.prefix(gainRows).map {
                    solution.status == .infeasible ? $0 : exactSense * $0
                }
                result.duals = result.dualsExact?.map(\.doubleValue) ?? []
                result.farkasGap = solution.farkasGap
                if solution.status == .optimal {
                    let sigma = Array(solution.x.prefix(joint))
                    result.jointExact = sigma
                    result.joint = sigma.map(\.doubleValue)
                    result.objectiveExact = solution.objectiveValue
                    result.objective = solution.objectiveValue?.doubleValue
                    if case .minimumEpsilon(let perPlayer) = selection {
                        let t = Array(solution.x.suffix(perPlayer ? game.playerCount : 1))
                        result.epsilonExact = perPlayer ? t : Array(repeating: t[0], count: game.playerCount)
                        result.epsilon = result.epsilonExact!.map(\.doubleValue)
                    }
                    if optimalFace {
                        let face = try program.optimalFace(of: solution, columns: Array(0..<joint),
                                                           timeLimitMilliseconds: exactTimeLimitMilliseconds)
                        result.isUnique = face.isUnique
                        result.rangesExact = face.ranges
                        result.ranges = face.ranges.map { ($0.minimum.doubleValue, $0.maximum.doubleValue) }
                        result.certified = result.certified && face.certified
                    }
                }
            } else {
                let program = try doubleProgram(
                    game: game, concept: concept, selection: selection, epsilon: epsilon.map(\.doubleValue),
                    support: support)
                gainProgram = program
                var settings = options
                settings.violationTarget = min(options.violationTarget, 1e-9 * scale)
                let solution = try program.solve(options: settings)
                result.status = solution.status
                result.iterations = solution.iterations
                result.basis = solution.basis
                if solution.status == .optimal {
                    result.duals = solution.rowDuals.prefix(gainRows).map { max(0, sense * $0) }
                    // Clip round-off below zero and renormalise; the violation is measured after.
                    var sigma = solution.x.prefix(joint).map { max(0, $0) }
                    let total = sigma.reduce(0, +)
                    if total > 0 { sigma = sigma.map { $0 / total } }
                    result.joint = sigma
                    result.objective = solution.objectiveValue
                    if case .minimumEpsilon(let perPlayer) = selection {
                        let t = Array(solution.x.suffix(perPlayer ? game.playerCount : 1))
                        result.epsilon = perPlayer ? t : Array(repeating: t[0], count: game.playerCount)
                    }
                    if optimalFace {
                        let face = try program.optimalFace(of: solution, columns: Array(0..<joint),
                                                           tolerance: 1e-9 * max(scale, 1))
                        result.isUnique = face.isUnique
                        result.ranges = face.ranges
                    }
                }
            }
        } catch let error as LinearProgrammingError {
            throw EquilibriumLPError(error.description, cause: error)
        } catch let error as EquilibriumLPError {
            throw error
        } catch {
            throw EquilibriumLPError("\(error)")
        }
        if result.status == .optimal {
            result.expectedPayoffs = game.expectedPayoffs(result.joint)
            if let gainProgram {
                result.maximumGains = maximumGains(gainProgram, rows: gainRows, joint: joint, sigma: result.joint,
                                                   players: game.actionCounts, concept: concept)
            } else {
                result.maximumGains = game.maximumGains(concept, sigma: result.joint)
            }
            let welfare = game.welfare
            result.welfare = zip(result.joint, welfare).reduce(0) { $0 + $1.0 * $1.1 }
            if !exact {
                // Relative violation: gains against ε in units of the payoff scale; σ's own
                // constraints are already exact after clipping and renormalising.
                var worst = 0.0
                for p in 0..<game.playerCount {
                    worst = max(worst, (result.maximumGains[p] - result.epsilon[p]) / scale)
                }
                result.maximumViolation = max(0, worst)
            }
        }
        return result
    }
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
