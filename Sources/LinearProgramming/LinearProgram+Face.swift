public import NormalFormGames

/// Where the optimum of a linear program is unique, and otherwise how far each variable moves
/// over the set of optimal points (the optimal face).
public struct OptimalFace<Scalar: LPScalar>: Sendable {
    /// Whether the optimal point is unique.
    public var isUnique: Bool
    /// For each requested column, its minimum and maximum over the optimal face.
    public var ranges: [(minimum: Scalar, maximum: Scalar)]
    /// Whether every range is proven exactly (always false for the double path).
    public var certified: Bool
    /// Whether every requested range was computed. When the budget ran out first, ``ranges``
    /// holds only the columns done, ``isUnique`` is true only if no range found so far is wide
    /// (so it is not a proof), and ``note`` says how far the analysis got.
    public var isComplete: Bool = true
    public var note: String?
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

extension LinearProgram where Scalar == Rational {
    /// The exact optimal face of a certified optimum: uniqueness and the exact range of each
    /// requested column, every range certified by its own exact solve.
    ///
    /// - Complexity: at most two exact solves per requested column; none when the optimum is
    ///   dual non-degenerate.
    ///
    /// - Parameter deadline: when given, the analysis stops there and reports what it finished
    ///   (``OptimalFace/isComplete``); every rational solve gets at most the time left.
    public func optimalFace(of solution: ExactLPSolution, columns: [Int], timeLimit: Duration = .seconds(60),
                            deadline: ContinuousClock.Instant? = nil)
        throws(LinearProgrammingError) -> OptimalFace<Rational>
    {
        guard solution.status == .optimal else {
            throw LinearProgrammingError(.invalidProgram, "the optimal face needs an optimal solution")
        }
        if let basis = solution.certificate?.basis,
           Self.isDualNondegenerate(basis, reducedCosts: solution.reducedCosts, rowDuals: solution.rowDuals,
                                    isZero: { $0.isZero }) {
            return OptimalFace(isUnique: true, ranges: columns.map { (solution.x[$0], solution.x[$0]) },
                               certified: solution.certified)
        }
        let face = optimalFaceProgram(reducedCosts: solution.reducedCosts, rowDuals: solution.rowDuals,
                                      isPositive: { $0.signum > 0 }, isNegative: { $0.signum < 0 })
        let problem = GLPKProblem(GLPKData(nearest: face))
        if let basis = solution.certificate?.basis { problem.setBasis(basis) }
        var ranges: [(minimum: Rational, maximum: Rational)] = []
        var certified = solution.certified
        var unique = true
        for (done, j) in columns.enumerated() {
            var extremes: [Rational] = []
            for direction in [Direction.minimize, .maximize] {
                guard !hasPassed(deadline) else {
                    return OptimalFace(isUnique: unique, ranges: ranges, certified: false, isComplete: false,
                                       note: "optimal-face analysis stopped at the time limit after \(done) of "
                                           + "\(columns.count) ranges")
                }
                var program = face
                program.direction = direction
                program.objective[j] = .one
                var unit = [Double](repeating: 0, count: columnCount)
                unit[j] = 1
                problem.setObjective(unit, maximize: direction == .maximize)
                let limit = callLimit(timeLimit, before: deadline) ?? timeLimit
                let code = problem.simplex(tolerance: 1e-10, warmStart: true, timeLimit: limit)
                if code != 0 { throw GLPKProblem.error(returnCode: code, during: "optimal-face simplex") }
                let result = try program.exactFinish(problem, floatStatus: problem.status, timeLimit: limit)
                certified = certified && result.certified && result.status == .optimal
                extremes.append(result.objectiveValue ?? solution.x[j])
            }
            if extremes[0] != extremes[1] { unique = false }
            ranges.append((extremes[0], extremes[1]))
        }
        return OptimalFace(isUnique: unique, ranges: ranges, certified: certified)
    }
}

extension LinearProgram where Scalar == Double {
    /// The optimal face of a double-precision optimum, to `tolerance`: uniqueness and the range
    /// of each requested column. Reduced costs within `tolerance` of zero count as zero.
    ///
    /// - Parameters:
    ///   - timeLimit: limit of each GLPK call (`nil`: none).
    ///   - deadline: when given, the analysis stops there and reports what it finished
    ///     (``OptimalFace/isComplete``).
    public func optimalFace(of solution: LPSolution<Double>, columns: [Int], tolerance: Double = 1e-9,
                            timeLimit: Duration? = nil, deadline: ContinuousClock.Instant? = nil)
        throws(LinearProgrammingError) -> OptimalFace<Double>
    {
        guard solution.status == .optimal else {
            throw LinearProgrammingError(.invalidProgram, "the optimal face needs an optimal solution")
        }
        if let basis = solution.basis,
           Self.isDualNondegenerate(basis, reducedCosts: solution.reducedCosts, rowDuals: solution.rowDuals,
                                    isZero: { abs($0) <= tolerance }) {
            return OptimalFace(isUnique: true, ranges: columns.map { (solution.x[$0], solution.x[$0]) },
                               certified: false)
        }
        let face = optimalFaceProgram(reducedCosts: solution.reducedCosts, rowDuals: solution.rowDuals,
                                      isPositive: { $0 > tolerance }, isNegative: { $0 < -tolerance })
        let problem = GLPKProblem(GLPKData(nearest: face))
        if let basis = solution.basis { problem.setBasis(basis) }
        var ranges: [(minimum: Double, maximum: Double)] = []
        var unique = true
        for (done, j) in columns.enumerated() {
            var extremes: [Double] = []
            for maximize in [false, true] {
                guard !hasPassed(deadline) else {
                    return OptimalFace(isUnique: unique, ranges: ranges, certified: false, isComplete: false,
                                       note: "optimal-face analysis stopped at the time limit after \(done) of "
                                           + "\(columns.count) ranges")
                }
                let limit = callLimit(timeLimit, before: deadline)
                var unit = [Double](repeating: 0, count: columnCount)
                unit[j] = 1
                problem.setObjective(unit, maximize: maximize)
                let code = problem.simplex(tolerance: 1e-10, warmStart: true, timeLimit: limit)
                if code != 0 { throw GLPKProblem.error(returnCode: code, during: "optimal-face simplex") }
                extremes.append(problem.status == .optimal ? problem.solution(status: .optimal).objectiveValue : solution.x[j])
            }
            if extremes[1] - extremes[0] > tolerance { unique = false }
            ranges.append((extremes[0], extremes[1]))
        }
        return OptimalFace(isUnique: unique, ranges: ranges, certified: false)
    }
}
