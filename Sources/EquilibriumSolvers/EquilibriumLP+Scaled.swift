import Foundation
import LinearProgramming
import NormalFormGames

/// One equilibrium LP request on its well-scaled copy (``LPScaling``): builds the scaled
/// program, solves it in doubles or exactly, and maps the answer back to the game's units.
struct ScaledRequest {
    let game: NormalFormGame
    let concept: EquilibriumConcept
    let selection: LinearSelection
    let epsilon: [Rational]
    let support: [Bool]?
    let scaling: LPScaling
    /// The objective over joint actions in the game's units (`nil` for the minimum-ε selections).
    let coefficients: [Double]?
    /// Scaled objective coefficients (double path), the shift and the exponent k.
    let scaledCoefficients: [Double]?
    let objectiveShift: Double
    /// k: original objective = 2^k · scaled objective + constant.
    let objectiveExponent: Int
    let gainRows: Int
    /// +1 when the LP maximises, −1 when it minimises.
    let sense: Double

    init(game: NormalFormGame, concept: EquilibriumConcept, selection: LinearSelection, epsilon: [Rational],
         support: [Bool]?) {
        self.game = game
        self.concept = concept
        self.selection = selection
        self.epsilon = epsilon
        self.support = support
        var shared = false
        var perPlayer = false
        switch selection {
        case .minimumEpsilon(let p): shared = !p; perPlayer = p
        default: break
        }
        scaling = LPScaling(game: game, concept: concept, sharedEpsilon: shared)
        gainRows = scaling.gains.rowCount
        switch selection {
        case .maximumWelfare: coefficients = game.welfare
        case .linear(let c, _): coefficients = c.map(\.doubleValue)
        case .maximumProbability(let a):
            var c = [Double](repeating: 0, count: game.jointActionCount)
            c[a] = 1
            coefficients = c
        case .minimumEpsilon: coefficients = nil
        }
        if let coefficients {
            let scaled = LPScaling.scaledObjective(coefficients)
            scaledCoefficients = scaled.coefficients
            objectiveShift = scaled.shift
            objectiveExponent = scaled.exponent
        } else {
            scaledCoefficients = nil
            objectiveShift = 0
            objectiveExponent = perPlayer ? (scaling.rowExponents.max() ?? 0) : (scaling.rowExponents.first ?? 0)
        }
        if case .linear(_, let maximize) = selection {
            sense = maximize ? 1 : -1
        } else if case .minimumEpsilon = selection {
            sense = -1
        } else {
            sense = 1
        }
    }

    var isMinimumEpsilon: Bool {
        if case .minimumEpsilon = selection { return true }
        return false
    }

    /// A minimum-ε program (t is free), or every ε_p ≥ 0 over all joint actions (a (C)CE always
    /// exists; on a restricted support it need not): the program is feasible.
    var isFeasibleByTheorem: Bool {
        if isMinimumEpsilon { return true }
        guard support?.allSatisfy({ $0 }) ?? true else { return false }
        return epsilon.allSatisfy { $0.signum >= 0 }
    }

    /// A player whose deviation gains are all zero (constant payoffs in its own action) cannot
    /// meet a negative ε_p: the program is infeasible, proven by the multiplier 1 on one of its
    /// rows (Aᵀy = 0 > yᵀε = ε_p). Decided here exactly, because in the scaled program such rows
    /// read 0 ≤ ε_p with ε_p possibly far below GLPK's tolerances (ε = −3.5e-64). `nil` otherwise.
    func constantPlayerInfeasibility(exact: Bool) -> EquilibriumLPResult? {
        guard !isMinimumEpsilon else { return nil }
        let gains = scaling.gains
        var firstRow = [Int?](repeating: nil, count: game.playerCount)
        var nonzero = [Bool](repeating: false, count: game.playerCount)
        for (i, row) in gains.rows.enumerated() {
            if firstRow[row.player] == nil { firstRow[row.player] = i }
            for k in gains.rowStart[i]..<gains.rowStart[i + 1] where gains.values[k] != 0 { nonzero[row.player] = true }
        }
        guard let p = (0..<game.playerCount).first(where: { firstRow[$0] != nil && !nonzero[$0] && epsilon[$0].signum < 0 })
        else { return nil }
        // The double gains are zero exactly when the exact ones are: both are differences of a
        // player's own payoffs, and a difference of doubles is zero only for equal doubles —
        // equal exact payoffs for a text game too, unless two decimals round to one double.
        if game.hasExactPayoffs {
            let exactGains = game.exactDeviationGains(concept)
            for i in exactGains.rows.indices where exactGains.rows[i].player == p {
                if exactGains.entries(ofRow: i).contains(where: { !$0.1.isZero }) { return nil }
            }
        }
        var result = emptyResult(exact: exact)
        var y = [Rational](repeating: .zero, count: gains.rowCount)
        y[firstRow[p]!] = .one
        result.status = .infeasible
        result.certified = true
        result.method = "constant player"
        result.dualsExact = y
        result.duals = y.map(\.doubleValue)
        result.farkasGap = epsilon[p]
        result.note = "player \(p + 1)'s deviation gains are all zero, so no ε_p < 0 can be met (ε_\(p + 1) = "
            + "\(epsilon[p].doubleValue)); the multiplier 1 on one of its rows proves it"
        return result
    }

    func emptyResult(exact: Bool) -> EquilibriumLPResult {
        EquilibriumLPResult(
            concept: concept, selection: selection, status: .failed, isExact: exact, certified: false,
            joint: [], epsilon: epsilon.map(\.doubleValue), epsilonExact: exact ? epsilon : nil, duals: [],
            expectedPayoffs: [], maximumGains: [], maximumViolation: 0, iterations: 0)
    }

    func failed(_ result: EquilibriumLPResult, _ reason: String) -> EquilibriumLPResult {
        var r = result
        r.status = .failed
        r.certified = false
        r.joint = []
        r.jointExact = nil
        r.objective = nil
        r.objectiveExact = nil
        r.duals = []
        r.dualsExact = nil
        r.isUnique = nil
        r.ranges = nil
        r.rangesExact = nil
        r.note = reason
        return r
    }

    // MARK: - Double precision

    func doubleProgram() -> LinearProgram<Double> {
        EquilibriumLP.scaledProgram(
            game: game, concept: concept, selection: selection, scaling: scaling, epsilon: epsilon, support: support,
            values: scaling.rowValues, objective: scaledCoefficients, convert: { $0 },
            exactBound: { EquilibriumLP.scaledExactBound($0, $1).doubleValue })
    }

    /// A dual-feasible starting basis for the selections over joint actions: the joint action a*
    /// that is best for the objective is basic, every gain row's slack is basic, the row Σσ = 1
    /// is nonbasic and every other σ(a) is at 0. The point is e_{a*}; the multiplier of Σσ = 1 is
    /// c(a*), so every reduced cost c(a) − c(a*) has the optimal sign: the dual simplex starts
    /// dual feasible, and GLPK's crash basis (a fifth of the solve at 48×48) is not needed.
    /// `nil` for the minimum-ε selections (their columns t are free) or when no joint action is
    /// allowed.
    func pureStartBasis() -> LPBasis? {
        guard let scaledCoefficients else { return nil }
        var best: Int?
        for (a, c) in scaledCoefficients.enumerated() where support?[a] ?? true {
            if best == nil || sense * c > sense * scaledCoefficients[best!] { best = a }
        }
        guard let best else { return nil }
        var columns = (0..<game.jointActionCount).map { support?[$0] == false ? BasisStatus.fixed : .atLower }
        columns[best] = .basic
        return LPBasis(rows: Array(repeating: .basic, count: gainRows) + [.fixed], columns: columns)
    }

    /// The double-precision solve of `program` (the ``doubleProgram()``, built here when not
    /// given), from `startingBasis`, else from ``pureStartBasis()`` or GLPK's crash basis.
    func solveInDoubles(optimalFace: FaceRequest?, options: SimplexOptions, program given: LinearProgram<Double>? = nil,
                        startingBasis: LPBasis? = nil) -> EquilibriumLPResult {
        var result = emptyResult(exact: false)
        let program = given ?? doubleProgram()
        var settings = options
        settings.violationTarget = min(options.violationTarget, 1e-9)
        let solution: LPSolution<Double>
        do {
            solution = try program.solve(options: settings, startingBasis: startingBasis ?? pureStartBasis())
        } catch {
            return failed(result, "the simplex method failed: \(error.description)")
        }
        result.iterations = solution.iterations
        result.basis = solution.basis
        switch solution.status {
        case .unbounded, .failed:
            return failed(result, "GLPK reported the program \(solution.status.rawValue), which an equilibrium LP "
                          + "never is (it is bounded by Σσ = 1)")
        case .infeasible:
            return infeasibleInDoubles(result, program: program, options: options)
        case .optimal:
            break
        }
        let joint = game.jointActionCount
        // Clip round-off below zero and renormalise; the violation is measured after.
        var sigma = solution.x.prefix(joint).map { max(0, $0) }
        let total = sigma.reduce(0, +)
        guard total > 0, total.isFinite else { return failed(result, "the simplex point is not a distribution") }
        sigma = sigma.map { $0 / total }
        result.status = .optimal
        result.joint = sigma
        let (scaledEpsilon, scaledGains) = epsilonInDoubles(solution, program: program, sigma: sigma, into: &result)
        var worst = 0.0
        for p in 0..<game.playerCount { worst = max(worst, scaledGains[p] - scaledEpsilon[p]) }
        result.maximumViolation = max(0, worst)
        guard result.maximumViolation <= 1e-6 else {
            return failed(result, "the simplex point violates its constraints by \(result.maximumViolation) "
                          + "(relative to the player's largest gain)")
        }
        result.maximumGains = (0..<game.playerCount).map { LPScaling.times2(scaledGains[$0], scaling.rowExponents[$0]) }
        result.objective = objectiveValue(sigma: sigma, epsilon: result.epsilon)
        if let duals = unscaledDuals(solution.rowDuals.prefix(gainRows).map { max(0, sense * $0) }) {
            result.duals = duals
        } else {
            result.note = "the multipliers exceed the range of doubles at these payoff scales and are not reported"
        }
        if let optimalFace { addOptimalFace(of: solution, program: program, options: options, face: optimalFace, to: &result) }
        if scaling.rowValues.contains(where: { $0 != 0 && abs($0) < Self.resolvableGain }) {
            result.note = joinNotes(result.note, "some gains are below 2^-50 of the largest, within GLPK's tolerances: "
                                    + "the answer is accurate relative to the largest gain only (the exact path "
                                    + "decides it exactly)")
        }
        finish(&result)
        return result
    }

    /// ε in scaled units (t'' or the clamped bounds) with σ's largest scaled gains; for the
    /// minimum-ε selections also ε in the game's units, in `result`.
    private func epsilonInDoubles(_ solution: LPSolution<Double>, program: LinearProgram<Double>, sigma: [Double],
                                  into result: inout EquilibriumLPResult)
        -> (scaledEpsilon: [Double], scaledGains: [Double])
    {
        var scaledEpsilon = (0..<game.playerCount).map {
            EquilibriumLP.scaledExactBound(epsilon[$0], scaling.rowExponents[$0]).doubleValue
        }
        if case .minimumEpsilon(let perPlayer) = selection {
            let t = Array(solution.x.suffix(perPlayer ? game.playerCount : 1))
            scaledEpsilon = perPlayer ? t : Array(repeating: t[0], count: game.playerCount)
            result.epsilon = (0..<game.playerCount).map { LPScaling.times2(scaledEpsilon[$0], scaling.rowExponents[$0]) }
        }
        let scaledGains = EquilibriumLP.scaledMaximumGains(program, rows: gainRows, joint: game.jointActionCount,
                                                           sigma: sigma, players: game.actionCounts, concept: concept)
        if case .minimumEpsilon(let perPlayer) = selection {
            // The ε reported is the one σ needs: never below σ's own largest gains (GLPK's point
            // may fall short of them by its tolerance, for instance a constant player's exact 0).
            if perPlayer {
                scaledEpsilon = (0..<game.playerCount).map { max(scaledEpsilon[$0], scaledGains[$0]) }
            } else {
                let needed = scaledGains.max() ?? 0
                scaledEpsilon = scaledEpsilon.map { max($0, needed) }
            }
            result.epsilon = (0..<game.playerCount).map { LPScaling.times2(scaledEpsilon[$0], scaling.rowExponents[$0]) }
        }
        return (scaledEpsilon, scaledGains)
    }

    /// The optimal face of the double-precision optimum within ``SimplexOptions/faceTimeLimit``:
    /// uniqueness and the ranges asked for, or why they are undecided.
    private func addOptimalFace(of solution: LPSolution<Double>, program: LinearProgram<Double>,
                                options: SimplexOptions, face request: FaceRequest, to result: inout EquilibriumLPResult) {
        let deadline = options.faceTimeLimit.map { ContinuousClock.now + $0 }
        let collector = request.collectsRangeBounds && !isMinimumEpsilon
            ? FaceRangeBounds(program: program, radii: dataRadii(program, roundedPayoffs: hasRoundedPayoffs),
                              solution: solution, joint: game.jointActionCount) : nil
        do {
            let face = try program.optimalFace(of: solution, columns: Array(0..<game.jointActionCount), tolerance: 1e-9,
                                               ranges: request.ranges, timeLimit: options.timeLimit,
                                               deadline: deadline, progress: request.progress,
                                               solved: collector.map { c in { c.record(objective: $0, maximize: $1, rowDuals: $2) } })
            Self.record(face, in: &result) { $0 }
            result.faceRangeBounds = collector
        } catch {
            Self.recordFailedFace(error, in: &result)
        }
    }

    /// Scaled gains (the largest lies in [1, 2)) below this are within GLPK's tolerances.
    static let resolvableGain = 0x1p-50

    /// GLPK says infeasible: proven by a Farkas certificate checked with rigorous error bounds,
    /// or by the exact path; otherwise reported as `failed`.
    func infeasibleInDoubles(_ result: EquilibriumLPResult, program: LinearProgram<Double>,
                             options: SimplexOptions) -> EquilibriumLPResult {
        if isFeasibleByTheorem {
            // GLPK's double simplex is wrong here: solve exactly, within a budget, instead.
            let exact = solveExactly(optimalFace: nil, options: options, deadline: ContinuousClock.now + .seconds(10))
            if let corrected = Self.correctedByExactOptimum(exact, "the double-precision simplex reported infeasible, "
                                                            + "which an equilibrium LP with ε ≥ 0 never is") {
                return corrected
            }
            return failed(result, "GLPK reported the program infeasible, but an equilibrium exists for ε ≥ 0"
                          + (exact.note.map { " (the exact solve: \($0))" } ?? ""))
        }
        var r = result
        let rounded = hasRoundedPayoffs
        if let y = FloatingFarkas.prove(program: program, gainRows: gainRows, scaling: scaling, options: options,
                                        roundedPayoffs: rounded) {
            r.status = .infeasible
            r.certified = true
            r.method = "floating-point Farkas certificate"
            r.duals = y
            r.note = "infeasibility proven by Farkas multipliers whose inequality holds with rigorous "
                + "floating-point error bounds"
            return r
        }
        // A claim we could not prove in doubles: decide it exactly, within a budget.
        let exact = solveExactly(optimalFace: nil, options: options,
                                 deadline: ContinuousClock.now + .seconds(10))
        if exact.status == .infeasible && exact.certified {
            return exact
        }
        if let corrected = Self.correctedByExactOptimum(exact, "the double-precision simplex reported infeasible") {
            return corrected
        }
        return failed(r, "GLPK reported the program infeasible, and infeasibility could not be proven"
                      + (exact.note.map { " (\($0))" } ?? ""))
    }

    /// GLPK's double simplex was wrong: a certified exact optimum stands, with a note saying so;
    /// `nil` when the exact path did not certify one.
    static func correctedByExactOptimum(_ exact: EquilibriumLPResult, _ what: String) -> EquilibriumLPResult? {
        guard exact.status == .optimal && exact.certified else { return nil }
        var corrected = exact
        corrected.note = joinNotes(exact.note, what + "; solved exactly instead")
        return corrected
    }

    // MARK: - Exact

    func rationalProgram() -> LinearProgram<Rational> {
        let values = scaling.exactRowValues(game.exactDeviationGains(concept))
        var objective: [Rational]?
        if coefficients != nil {
            let exact: [Rational]
            switch selection {
            case .maximumWelfare: exact = game.rationalWelfare
            case .linear(let c, _): exact = c
            case .maximumProbability(let a):
                var c = [Rational](repeating: .zero, count: game.jointActionCount)
                c[a] = .one
                exact = c
            case .minimumEpsilon: exact = []
            }
            // The exact midrange, not the double one: a double shift has a denominator up to 2^1074,
            // which makes the objective impossible to scale to integers and leaves GLPK's rational
            // simplex working on rounded data. Any shift is exact (a constant on Σσ = 1).
            let shift = objectiveShift == 0 || exact.isEmpty ? Rational.zero
                : (exact.max()! + exact.min()!) * Rational(1, 2)
            objective = exact.map { ($0 - shift).timesPowerOfTwo(-objectiveExponent) }
        }
        return EquilibriumLP.scaledProgram(
            game: game, concept: concept, selection: selection, scaling: scaling, epsilon: epsilon, support: support,
            values: values, objective: objective, convert: { Rational($0) },
            exactBound: { EquilibriumLP.scaledExactBound($0, $1) })
    }

    func solveExactly(optimalFace: FaceRequest?, options: SimplexOptions, deadline: ContinuousClock.Instant)
        -> EquilibriumLPResult
    {
        var result = emptyResult(exact: true)
        let program = rationalProgram()
        guard let budget = remaining(deadline) else { return failed(result, "the exact time limit was reached") }
        let solution: ExactLPSolution
        do {
            solution = try program.solveExactly(options: options, timeLimit: budget)
        } catch {
            return failed(result, "the exact solve failed: \(error.description)")
        }
        result.method = solution.method
        result.note = solution.note
        result.basis = solution.certificate?.basis
        switch solution.status {
        case .unbounded, .failed:
            return failed(result, "the exact solve reported \(solution.status.rawValue)"
                          + (solution.note.map { " (\($0))" } ?? ""))
        case .infeasible:
            return exactInfeasibility(solution, result)
        case .optimal:
            break
        }
        guard solution.certified else {
            // An uncertified exact point may violate its bounds: the caller falls back to doubles.
            return failed(result, solution.note ?? "the exact point could not be certified")
        }
        let joint = game.jointActionCount
        result.status = .optimal
        result.certified = solution.certified
        let sigma = Array(solution.x.prefix(joint))
        result.jointExact = sigma
        result.joint = sigma.map(\.doubleValue)
        var epsilonExact = epsilon
        if case .minimumEpsilon(let perPlayer) = selection {
            let t = Array(solution.x.suffix(perPlayer ? game.playerCount : 1))
            epsilonExact = (0..<game.playerCount).map {
                (perPlayer ? t[$0] : t[0]) * LPScaling.rationalPower(scaling.rowExponents[$0])
            }
        }
        result.epsilonExact = epsilonExact
        result.epsilon = epsilonExact.map(\.doubleValue)
        result.objectiveExact = exactObjectiveValue(sigma: sigma, epsilon: epsilonExact)
        result.objective = result.objectiveExact?.doubleValue
        let alpha = unscaledExactDuals(solution.rowDuals.prefix(gainRows).map { Rational(Int(sense)) * $0 })
        result.dualsExact = alpha
        result.duals = alpha.map(\.doubleValue)
        if result.duals.contains(where: { !$0.isFinite }) {
            result.duals = []
            result.note = joinNotes(result.note, "the multipliers exceed the range of doubles and are given exactly only")
        }
        if let optimalFace {
            addExactOptimalFace(of: solution, program: program, face: optimalFace, deadline: deadline, to: &result)
        }
        finish(&result)
        return result
    }

    /// A certified exact infeasibility, with its Farkas multipliers (impossible for ε ≥ 0).
    private func exactInfeasibility(_ solution: ExactLPSolution, _ result: EquilibriumLPResult) -> EquilibriumLPResult {
        var result = result
        guard solution.certified else { return failed(result, "infeasibility could not be certified") }
        if isFeasibleByTheorem {
            return failed(result, "an infeasibility certificate for ε ≥ 0 (impossible; an internal error)")
        }
        result.status = .infeasible
        result.certified = true
        result.farkasGap = solution.farkasGap
        // Farkas multipliers: any positive multiple works; scale to the largest row exponent.
        let y = unscaledExactDuals(Array(solution.rowDuals.prefix(gainRows)),
                                   objectiveExponent: scaling.rowExponents.max() ?? 0)
        result.dualsExact = y
        result.duals = y.map(\.doubleValue)
        if result.duals.contains(where: { !$0.isFinite }) {
            result.duals = []
            result.note = joinNotes(result.note, "the multipliers exceed the range of doubles")
        }
        return result
    }

    /// The exact optimal face within the time left: uniqueness and certified ranges, or why
    /// they are undecided.
    private func addExactOptimalFace(of solution: ExactLPSolution, program: LinearProgram<Rational>,
                                     face request: FaceRequest, deadline: ContinuousClock.Instant,
                                     to result: inout EquilibriumLPResult) {
        guard let left = remaining(deadline) else {
            result.faceNote = joinNotes(result.faceNote, "the exact time limit was reached before the analysis; "
                                        + "uniqueness undecided")
            return
        }
        do {
            let face = try program.optimalFace(of: solution, columns: Array(0..<game.jointActionCount),
                                               ranges: request.ranges, timeLimit: left, deadline: deadline,
                                               progress: request.progress)
            Self.record(face, in: &result) { $0.doubleValue }
            if face.ranges.allSatisfy({ $0 != nil }) { result.rangesExact = face.ranges.map { $0! } }
            // A face solve that could not be certified leaves only what it would have decided
            // undecided (the face's note says what); the optimum itself stays certified.
        } catch {
            Self.recordFailedFace(error, in: &result)
        }
    }

    // MARK: - The optimal face within its budget

    /// Uniqueness, the ranges computed (``EquilibriumLPResult/ranges``, `nil` entries for those
    /// not computed), and a note for what is undecided.
    static func record<S: LPScalar>(_ face: OptimalFace<S>, in result: inout EquilibriumLPResult,
                                    _ double: (S) -> Double) {
        result.isUnique = face.isUnique
        if face.ranges.contains(where: { $0 != nil }) {
            // Probabilities: a double range's rounding (a maximum of −4e-17) is clipped to [0, 1].
            result.ranges = face.ranges.map {
                $0.map { range in
                    let low = min(1, max(0, double(range.minimum)))
                    return (low, min(1, max(low, double(range.maximum))))
                }
            }
        }
        if let note = face.note { result.faceNote = joinNotes(result.faceNote, note) }
    }

    /// A failure inside the analysis never fails the solve: uniqueness is undecided.
    static func recordFailedFace(_ error: LinearProgrammingError, in result: inout EquilibriumLPResult) {
        result.faceNote = joinNotes(result.faceNote, "the analysis failed (\(error.description)); uniqueness undecided")
    }

    // MARK: - Mapping back

    /// α_i = α''_i · 2^(k − e_p): `nil` when a multiplier leaves the range of doubles.
    func unscaledDuals(_ scaled: [Double]) -> [Double]? {
        var result = scaled
        for (i, row) in scaling.gains.rows.enumerated() {
            result[i] = LPScaling.times2(scaled[i], objectiveExponent - scaling.rowExponents[row.player])
        }
        return result.allSatisfy({ $0.isFinite }) ? result : nil
    }

    func unscaledExactDuals(_ scaled: [Rational], objectiveExponent k: Int? = nil) -> [Rational] {
        let factors = scaling.rowExponents.map { LPScaling.rationalPower((k ?? objectiveExponent) - $0) }
        return scaled.enumerated().map { i, v in v * factors[scaling.gains.rows[i].player] }
    }

    /// The objective at σ in the game's units, summed with compensation.
    func objectiveValue(sigma: [Double], epsilon: [Double]) -> Double? {
        if case .minimumEpsilon(let perPlayer) = selection {
            return perPlayer ? epsilon.reduce(0, +) : epsilon[0]
        }
        guard let coefficients else { return nil }
        var s = 0.0, compensation = 0.0
        for (p, c) in zip(sigma, coefficients) where p != 0 {
            let term = p * c
            let t = s + term
            compensation += abs(s) >= abs(term) ? (s - t) + term : (term - t) + s
            s = t
        }
        let value = s + compensation
        return value.isFinite ? value : nil
    }

    func exactObjectiveValue(sigma: [Rational], epsilon: [Rational]) -> Rational? {
        if case .minimumEpsilon(let perPlayer) = selection {
            return perPlayer ? epsilon.reduce(.zero, +) : epsilon[0]
        }
        let c: [Rational]
        switch selection {
        case .maximumWelfare: c = game.rationalWelfare
        case .linear(let coefficients, _): c = coefficients
        case .maximumProbability(let a): return sigma[a]
        case .minimumEpsilon: return nil
        }
        var total = Rational.zero
        for (p, v) in zip(sigma, c) where !p.isZero { total += p * v }
        return total
    }

    /// Expected payoffs, gains (exact path) and welfare at the answer.
    func finish(_ result: inout EquilibriumLPResult) {
        guard result.status == .optimal else { return }
        result.expectedPayoffs = game.expectedPayoffs(result.joint)
        if result.maximumGains.isEmpty { result.maximumGains = game.maximumGains(concept, sigma: result.joint) }
        let welfare = game.welfare
        if welfare.allSatisfy({ $0.isFinite }) {
            var s = 0.0
            for (p, w) in zip(result.joint, welfare) { s += p * w }
            result.welfare = s.isFinite ? s : nil
        }
    }

    /// The time left until `deadline`, or `nil` once it has passed.
    func remaining(_ deadline: ContinuousClock.Instant) -> Duration? {
        let left = deadline - ContinuousClock.now
        return left > .zero ? left : nil
    }
}

func joinNotes(_ a: String?, _ b: String) -> String {
    guard let a, !a.isEmpty else { return b }
    return a + "; " + b
}

