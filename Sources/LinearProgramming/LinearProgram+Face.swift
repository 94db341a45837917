public import NormalFormGames

/// Where the optimum of a linear program is unique, and otherwise how far each variable moves
/// over the set of optimal points (the optimal face).
public struct OptimalFace<Scalar: LPScalar>: Sendable {
    /// Whether the optimal point is unique; `nil` when the analysis could not decide it (a
    /// simplex failure or the time limit; ``note`` says which).
    public var isUnique: Bool?
    /// For each requested column, its minimum and maximum over the optimal face; `nil` where
    /// it was not computed (not asked for, the budget ran out, or a solve failed: ``note``).
    public var ranges: [(minimum: Scalar, maximum: Scalar)?]
    /// Whether every decision and range given is proven exactly (always false for the double path).
    public var certified: Bool
    /// What the analysis could not decide, and why.
    public var note: String?

    /// Whether uniqueness is decided and every requested range computed.
    public var isComplete: Bool { isUnique != nil && !ranges.contains { $0 == nil } }
    /// How many requested ranges were not computed.
    public var missingRanges: Int { ranges.filter { $0 == nil }.count }
}

/// Which ranges over the optimal face to compute, once uniqueness is decided (a unique optimum
/// needs none: every range is its point).
public enum FaceRanges: Sendable, Equatable {
    /// Uniqueness only.
    case none
    /// Every requested range (within the time limits).
    case all
    /// As many as fit in this many simplex iterations in all, counted by GLPK (so the answer
    /// does not depend on the machine's speed); the others are reported as not computed.
    case iterations(Int)
    /// The double path: as many ranges as fit in the simplex iterations of the solve that found
    /// the optimum (at least ``automaticMinimumIterations``), after the uniqueness LP (with a
    /// budget of its own, twice that floor), so that the analysis costs about as much as the LP.
    /// The exact path: all, within its time limit.
    case automatic

    public static let automaticMinimumIterations = 500

    /// What each LP of the analysis costs on top of its own iterations: GLPK refactorises the
    /// basis at every call, about one iteration's cost per 100 rows (measured on Gambit's
    /// bayes2a, 8193 rows: a range LP of no iteration costs as much as 80 of the solve's).
    static func iterationsCharged(rows: Int) -> Int { rows / 100 }
}

/// Whether `deadline` (if any) has passed.
func hasPassed(_ deadline: ContinuousClock.Instant?) -> Bool {
    guard let deadline else { return false }
    return deadline - ContinuousClock.now <= .zero
}

/// The limit of one GLPK call: the shorter of `limit` and the time left until `deadline`
/// (`nil` for either: none).
func callLimit(_ limit: Duration?, before deadline: ContinuousClock.Instant?) -> Duration? {
    guard let deadline else { return limit }
    let left = deadline - ContinuousClock.now
    guard let limit else { return left }
    return min(limit, left)
}

extension LinearProgram {
    /// The optimal face, given optimal duals: by complementary slackness every optimal point
    /// keeps a column with non-zero reduced cost d_j (or a row with non-zero multiplier y_i) at
    /// the bound where d_j x_j (y_i r_i) is largest. Fixing those gives the face as a plain
    /// feasible set, with no objective row needed.
    func optimalFaceProgram(reducedCosts d: [Scalar], rowDuals y: [Scalar], isPositive: (Scalar) -> Bool,
                            isNegative: (Scalar) -> Bool) -> LinearProgram<Scalar> {
        var face = self
        let maximize = direction == .maximize
        func fix(_ bounds: inout LPBounds<Scalar>, _ value: Scalar) {
            let pushUp = maximize ? isPositive(value) : isNegative(value)
            let pushDown = maximize ? isNegative(value) : isPositive(value)
            if pushUp, let u = bounds.upper { bounds = .fixed(u) } else if pushDown, let l = bounds.lower { bounds = .fixed(l) }
        }
        for j in 0..<columnCount { fix(&face.columnBounds[j], d[j]) }
        for i in 0..<rowCount { fix(&face.rowBounds[i], y[i]) }
        face.objective = Array(repeating: .zero, count: columnCount)
        return face
    }

    /// Dual non-degeneracy: every nonbasic variable has a non-zero reduced cost, which makes the
    /// optimal point unique (fixing all nonbasic variables determines the basic ones).
    static func isDualNondegenerate(_ basis: LPBasis, reducedCosts d: [Scalar], rowDuals y: [Scalar],
                                    isZero: (Scalar) -> Bool) -> Bool {
        for (j, s) in basis.columns.enumerated() where s != .basic && s != .fixed && isZero(d[j]) { return false }
        for (i, s) in basis.rows.enumerated() where s != .basic && s != .fixed && isZero(y[i]) { return false }
        return true
    }
}


/// One optimal-face analysis: the face program loaded once into GLPK, every LP over it
/// warm-started from the basis before, and what has been seen of each column so far.
private struct FaceSession<Scalar: LPScalar>: ~Copyable {
    let face: LinearProgram<Scalar>
    let problem: GLPKProblem
    let timeLimit: Duration?
    let deadline: ContinuousClock.Instant?
    var iterationBudget: Int?
    var iterationsUsed = 0
    /// Smallest and largest value of every column at the optimal points found so far.
    var seenMinimum: [Scalar]
    var seenMaximum: [Scalar]
    var certified = true
    /// Why the analysis stopped early (budget, time), or the first failure; `nil` while all is well.
    var stopped: String?
    var failure: String?

    init(face: LinearProgram<Scalar>, basis: LPBasis?, point: [Scalar], timeLimit: Duration?,
         deadline: ContinuousClock.Instant?, iterationBudget: Int?) {
        self.face = face
        problem = GLPKProblem(GLPKData(nearest: face))
        if let basis { problem.setBasis(basis) }
        self.timeLimit = timeLimit
        self.deadline = deadline
        self.iterationBudget = iterationBudget
        seenMinimum = point
        seenMaximum = point
    }

    /// Optimises `objective` over the face from the current basis (from a crash basis when that
    /// one fails); `finish` turns GLPK's optimum into the answer (the exact path re-solves it in
    /// rational arithmetic). `nil` when it could not be solved: ``stopped`` or ``failure`` says why.
    mutating func optimise(
        _ objective: [Scalar], maximize: Bool, budget: Int? = nil, stopAbove: Double? = nil,
        finish: (borrowing GLPKProblem, LinearProgram<Scalar>, Duration?) throws(LinearProgrammingError)
            -> (x: [Scalar], value: Scalar, certified: Bool)?
    ) -> (x: [Scalar], value: Scalar)? {
        guard stopped == nil else { return nil }
        if hasPassed(deadline) {
            stopped = "the time limit was reached"
            return nil
        }
        let limitOfThisLP = budget ?? iterationBudget
        var left: Int?
        if let limitOfThisLP {
            left = limitOfThisLP - iterationsUsed
            guard left! > 0 else {
                stopped = "the budget of \(limitOfThisLP) simplex iterations was used"
                return nil
            }
        }
        var program = face
        program.objective = objective
        program.direction = maximize ? .maximize : .minimize
        problem.setObjective(objective.map(\.doubleValue), maximize: maximize)
        let before = problem.iterations
        // The start (an optimal point, or the last optimum over the face) is primal feasible: the
        // primal simplex improves the objective at every step. With `stopAbove`, in growing
        // chunks, so that a feasible point above it ends the solve at once.
        var chunk = stopAbove == nil ? left : min(left ?? 16, 16)
        var code: Int32
        var settled = false
        while true {
            let limit = callLimit(timeLimit, before: deadline)
            code = problem.simplex(tolerance: 1e-10, warmStart: true, timeLimit: limit, iterationLimit: chunk,
                                   primal: true)
            if GLPKProblem.isBasisFailure(code) {
                code = problem.simplex(tolerance: 1e-10, warmStart: false, timeLimit: limit, iterationLimit: chunk)
            }
            let used = max(0, problem.iterations - before)
            guard let stopAbove, GLPKProblem.isIterationLimit(code) else { break }
            if problem.isPrimalFeasible && (maximize ? problem.objectiveValue > stopAbove : problem.objectiveValue < stopAbove) {
                settled = true
                code = 0
                break
            }
            if let left, used >= left { break }
            chunk = min(2 * (chunk ?? 16), left.map { $0 - used } ?? Int.max)
        }
        iterationsUsed += max(0, problem.iterations - before) + FaceRanges.iterationsCharged(rows: face.rowCount)
        if code != 0 {
            if GLPKProblem.isLimit(code) {
                stopped = GLPKProblem.isIterationLimit(code) ? "the budget of \(limitOfThisLP ?? 0) simplex iterations was used"
                    : "the time limit was reached"
            } else {
                failure = failure ?? GLPKProblem.error(returnCode: code, during: "optimal-face simplex").description
            }
            return nil
        }
        guard settled || problem.status == .optimal else {
            failure = failure ?? "an optimal-face simplex ended without an optimum"
            return nil
        }
        do {
            guard let answer = try finish(problem, program, callLimit(timeLimit, before: deadline)) else {
                failure = failure ?? "an optimal-face solve could not be certified"
                certified = false
                return nil
            }
            certified = certified && answer.certified
            for j in 0..<answer.x.count {
                if answer.x[j] < seenMinimum[j] { seenMinimum[j] = answer.x[j] }
                if seenMaximum[j] < answer.x[j] { seenMaximum[j] = answer.x[j] }
            }
            return (answer.x, answer.value)
        } catch {
            failure = failure ?? error.description
            return nil
        }
    }
}

extension LinearProgram {
    /// The optimal face at an optimum (x, y, d): uniqueness by one LP, then the ranges asked for.
    ///
    /// A unique optimum is recognised from the basis when it is dual non-degenerate; otherwise
    /// by one LP over the face: maximise the total distance of the degenerate nonbasic variables
    /// (zero reduced cost, so free to move on the face) from their bounds. Fixing every nonbasic
    /// variable fixes the basic ones, so the optimum is unique exactly when that maximum is 0.
    /// Ranges (min and max of each column over the face) are then computed as `ranges` asks,
    /// warm-started one after the other; every optimal point found narrows what is left (a
    /// column seen at its lower bound needs no minimisation). Failures never throw: what could
    /// not be decided is `nil`, with a note.
    func analyseFace(
        point x0: [Scalar], reducedCosts d: [Scalar], rowDuals y: [Scalar], basis: LPBasis?, columns: [Int],
        ranges request: FaceRanges, tolerance: Scalar, isPositive: (Scalar) -> Bool, isNegative: (Scalar) -> Bool,
        timeLimit: Duration?, deadline: ContinuousClock.Instant?, certified: Bool, solveIterations: Int?,
        progress: ((_ done: Int, _ total: Int) -> Void)?,
        finish: (borrowing GLPKProblem, LinearProgram<Scalar>, Duration?) throws(LinearProgrammingError)
            -> (x: [Scalar], value: Scalar, certified: Bool)?
    ) -> OptimalFace<Scalar> {
        let pointRanges: [(minimum: Scalar, maximum: Scalar)?] = columns.map { (x0[$0], x0[$0]) }
        if let basis, Self.isDualNondegenerate(basis, reducedCosts: d, rowDuals: y, isZero: {
            !isPositive($0) && !isNegative($0)
        }) {
            return OptimalFace(isUnique: true, ranges: pointRanges, certified: certified)
        }
        let face = optimalFaceProgram(reducedCosts: d, rowDuals: y, isPositive: isPositive, isNegative: isNegative)
        // The budget of the ranges (unlimited only for `.all`).
        var budget: Int?
        if case .iterations(let n) = request { budget = max(1, n) }
        if request != .all, case nil = budget, let n = solveIterations {
            budget = max(FaceRanges.automaticMinimumIterations, n)
        }
        var session = FaceSession(face: face, basis: basis, point: x0, timeLimit: timeLimit, deadline: deadline,
                                  iterationBudget: nil)
        func isFixed(_ b: LPBounds<Scalar>) -> Bool { b.lower != nil && b.lower == b.upper }

        // Uniqueness: one LP (skipped without a basis, or when a free nonbasic variable could move
        // either way: then the ranges decide it).
        var isUnique: Bool?
        if let basis {
            var objective = [Scalar](repeating: .zero, count: columnCount)
            var twoSided = false
            for (j, s) in basis.columns.enumerated() where !isFixed(face.columnBounds[j]) {
                switch s {
                case .atLower: objective[j] = objective[j] + 1
                case .atUpper: objective[j] = objective[j] - 1
                case .free: twoSided = true
                case .basic, .fixed: break
                }
            }
            for (i, s) in basis.rows.enumerated() where !isFixed(face.rowBounds[i]) {
                let up: Bool
                switch s {
                case .atLower: up = true
                case .atUpper: up = false
                case .free: twoSided = true; continue
                case .basic, .fixed: continue
                }
                for (j, a) in row(i) { objective[j] = up ? objective[j] + a : objective[j] - a }
            }
            var base = Scalar.zero
            for j in 0..<columnCount where objective[j] != .zero { base = base + objective[j] * x0[j] }
            // In doubles, any feasible point above the tolerance settles it; exactly, the
            // optimum is certified.
            let early = Scalar.self == Double.self ? (base + tolerance).doubleValue : nil
            let uniquenessBudget = budget.map { request == .automatic || request == .none
                ? max($0, 2 * FaceRanges.automaticMinimumIterations) : $0 }
            if let (_, value) = session.optimise(objective, maximize: true, budget: uniquenessBudget, stopAbove: early,
                                                 finish: finish) {
                if tolerance < value - base {
                    isUnique = false
                } else if !twoSided {
                    isUnique = true
                }
            }
        }
        if isUnique == true {
            return OptimalFace(isUnique: true, ranges: pointRanges, certified: certified && session.certified,
                               note: nil)
        }

        // Why uniqueness is undecided, if it is.
        let uniquenessNote = session.stopped ?? session.failure
        var ranges = [(minimum: Scalar, maximum: Scalar)?](repeating: nil, count: columns.count)
        if request != .none {
            // On from the uniqueness LP's basis, with the points it saw; the budget starts afresh.
            session.stopped = nil
            session.failure = nil
            session.iterationBudget = budget
            session.iterationsUsed = 0
            for (k, j) in columns.enumerated() {
                let bounds = face.columnBounds[j]
                if isFixed(bounds) {
                    ranges[k] = (bounds.lower!, bounds.lower!)
                    continue
                }
                var unit = [Scalar](repeating: .zero, count: columnCount)
                unit[j] = 1
                var low: Scalar?
                if let l = bounds.lower, !(l + tolerance < session.seenMinimum[j]) {
                    low = l
                } else {
                    low = session.optimise(unit, maximize: false, finish: finish)?.value
                }
                var high: Scalar?
                if let u = bounds.upper, !(session.seenMaximum[j] < u - tolerance) {
                    high = u
                } else if low != nil {
                    high = session.optimise(unit, maximize: true, finish: finish)?.value
                }
                if let low, let high { ranges[k] = (low, high) }
                progress?(k + 1, columns.count)
                if session.stopped != nil { break }
            }
            if isUnique == nil, ranges.allSatisfy({ $0 != nil }) {
                isUnique = !ranges.contains { tolerance < $0!.maximum - $0!.minimum }
            } else if ranges.contains(where: { $0.map { tolerance < $0.maximum - $0.minimum } ?? false }) {
                isUnique = false
            }
        }
        var notes: [String] = []
        if isUnique == nil { notes.append("uniqueness undecided") }
        let missing = ranges.filter { $0 == nil }.count
        if request != .none && missing > 0 {
            notes.append("\(missing) of \(columns.count) ranges not computed")
        }
        if isUnique == nil, let uniquenessNote { notes[0] += " (\(uniquenessNote))" }
        if request != .none, missing > 0, let why = session.stopped ?? session.failure { notes.append(why) }
        return OptimalFace(isUnique: isUnique, ranges: ranges, certified: certified && session.certified,
                           note: notes.isEmpty ? nil : notes.joined(separator: ": "))
    }
}

extension LinearProgram where Scalar == Rational {
    /// The exact optimal face of a certified optimum: uniqueness (dual non-degeneracy, or one
    /// exact LP) and the exact range of each requested column, every answer certified by its
    /// own exact solve.
    ///
    /// - Parameters:
    ///   - ranges: which ranges to compute; ``FaceRanges/iterations(_:)`` counts the simplex
    ///     iterations of the double-precision solves before each exact one.
    ///   - deadline: when given, the analysis stops there and reports what it finished; every
    ///     rational solve gets at most the time left.
    ///   - progress: called after each range with (done, total).
    /// - Throws: only when `solution` is not optimal; failures inside the analysis are reported
    ///   as undecided (``OptimalFace/note``).
    public func optimalFace(of solution: ExactLPSolution, columns: [Int], ranges: FaceRanges = .all,
                            timeLimit: Duration = .seconds(60), deadline: ContinuousClock.Instant? = nil,
                            progress: ((_ done: Int, _ total: Int) -> Void)? = nil)
        throws(LinearProgrammingError) -> OptimalFace<Rational>
    {
        guard solution.status == .optimal else {
            throw LinearProgrammingError(.invalidProgram, "the optimal face needs an optimal solution")
        }
        return analyseFace(
            point: solution.x, reducedCosts: solution.reducedCosts, rowDuals: solution.rowDuals,
            basis: solution.certificate?.basis, columns: columns, ranges: ranges, tolerance: .zero,
            isPositive: { $0.signum > 0 }, isNegative: { $0.signum < 0 }, timeLimit: timeLimit, deadline: deadline,
            certified: solution.certified, solveIterations: nil, progress: progress
        ) { problem, program, limit throws(LinearProgrammingError) in
            let result = try program.exactFinish(problem, floatStatus: problem.status, timeLimit: limit ?? timeLimit)
            guard result.status == .optimal, result.certified, let value = result.objectiveValue else { return nil }
            return (result.x, value, true)
        }
    }
}

extension LinearProgram where Scalar == Double {
    /// The optimal face of a double-precision optimum, to `tolerance`: uniqueness (dual
    /// non-degeneracy, or one LP) and the ranges asked for. Reduced costs within `tolerance` of
    /// zero count as zero.
    ///
    /// - Parameters:
    ///   - ranges: which ranges to compute.
    ///   - timeLimit: limit of each GLPK call (`nil`: none).
    ///   - deadline: when given, the analysis stops there and reports what it finished.
    ///   - progress: called after each range with (done, total).
    ///   - solved: called after each LP over the face with its objective, direction and GLPK's
    ///     row multipliers (the face has this program's rows and columns), for a caller that
    ///     turns them into rigorous bounds (``rigorousUpperBound(objective:rowDuals:radii:box:)``).
    /// - Throws: only when `solution` is not optimal; failures inside the analysis are reported
    ///   as undecided (``OptimalFace/note``).
    public func optimalFace(of solution: LPSolution<Double>, columns: [Int], tolerance: Double = 1e-9,
                            ranges: FaceRanges = .all, timeLimit: Duration? = nil,
                            deadline: ContinuousClock.Instant? = nil,
                            progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
                            solved: ((_ objective: [Double], _ maximize: Bool, _ rowDuals: [Double]) -> Void)? = nil)
        throws(LinearProgrammingError) -> OptimalFace<Double>
    {
        guard solution.status == .optimal else {
            throw LinearProgrammingError(.invalidProgram, "the optimal face needs an optimal solution")
        }
        return analyseFace(
            point: solution.x, reducedCosts: solution.reducedCosts, rowDuals: solution.rowDuals, basis: solution.basis,
            columns: columns, ranges: ranges, tolerance: tolerance, isPositive: { $0 > tolerance },
            isNegative: { $0 < -tolerance }, timeLimit: timeLimit, deadline: deadline, certified: false,
            solveIterations: solution.iterations, progress: progress
        ) { problem, program, _ in
            solved?(program.objective, program.direction == .maximize, problem.rowDuals)
            return (problem.columnValues, problem.objectiveValue, false)
        }
    }
}
