internal import CGLPK
import NormalFormGames

/// Settings of the floating-point simplex path.
public struct SimplexOptions: Sendable {
    /// GLPK's primal and dual feasibility tolerances (`tol_bnd`, `tol_dj`). GLPK's default of
    /// 1e-7 leaves constraint violations near 1e-7; 1e-10 costs no measurable time.
    public var tolerance: Double = 1e-10
    /// The largest absolute constraint violation accepted before a tighter re-solve
    /// (tolerance 1e-12 from the final basis). The violation reached is reported either way.
    public var violationTarget: Double = 1e-9
    /// Time limit per GLPK call (`nil`: none; GLPK counts whole milliseconds, at least 1). The
    /// default, 60 s, is far above what any program that fits in memory should need once
    /// scaled, and turns a stalled simplex into a reported failure instead of a hang.
    public var timeLimit: Duration? = .seconds(60)
    /// Simplex iterations allowed per GLPK call (`nil`: no limit).
    public var iterationLimit: Int?
    /// Budget of the whole optimal-face analysis of the double path (`nil`: none).
    public var faceTimeLimit: Duration? = .seconds(60)
    /// Whether to let GLPK scale the problem (`glp_scale_prob`, `GLP_SF_AUTO`).
    public var scaling: Bool = false

    public init() {}
}

/// The program as GLPK sees it: concrete double arrays, so the hot path runs no generic code.
struct GLPKData {
    var objective: [Double]
    var columnBounds: [(Double?, Double?)]
    var rowBounds: [(Double?, Double?)]
    var rowStart: [Int]
    var columnIndices: [Int]
    var values: [Double]
    var maximize: Bool

    var columnCount: Int { objective.count }
    var rowCount: Int { rowBounds.count }

    /// Whether GLPK's rational simplex can be given this data. It keeps its numbers in GMP
    /// rationals but converts them to doubles to choose pivots, and aborts the process (an
    /// assertion, `temp != 0.0`) when such a conversion underflows. Data whose non-zero
    /// magnitudes all lie in [2^−256, 2^256] keep the tableau far from the doubles' limits; the
    /// equilibrium LPs' scaled data lie near 1 unless a game spans hundreds of binary orders.
    var isWithinRationalSimplexRange: Bool {
        let low = 0x1p-256, high = 0x1p256
        func fits(_ v: Double?) -> Bool {
            guard let v, v != 0 else { return true }
            return v.isFinite && abs(v) >= low && abs(v) <= high
        }
        return values.allSatisfy(fits) && objective.allSatisfy(fits)
            && rowBounds.allSatisfy { fits($0.0) && fits($0.1) } && columnBounds.allSatisfy { fits($0.0) && fits($0.1) }
    }

    /// The nearest doubles of a program's data.
    init<S: LPScalar>(nearest program: LinearProgram<S>) {
        rowStart = program.rowStart
        columnIndices = program.columnIndices
        maximize = program.direction == .maximize
        if let p = program as? LinearProgram<Double> {
            objective = p.objective
            values = p.values
            columnBounds = p.columnBounds.map { ($0.lower, $0.upper) }
            rowBounds = p.rowBounds.map { ($0.lower, $0.upper) }
        } else {
            objective = program.objective.map { $0.doubleValue }
            values = program.values.map { $0.doubleValue }
            columnBounds = program.columnBounds.map { ($0.lower?.doubleValue, $0.upper?.doubleValue) }
            rowBounds = program.rowBounds.map { ($0.lower?.doubleValue, $0.upper?.doubleValue) }
        }
    }

    /// Everything GLPK would abort on, and non-finite data.
    func validate() throws(LinearProgrammingError) {
        let n = columnCount
        guard n > 0 else { throw LinearProgrammingError(.invalidProgram, "a linear program needs a column") }
        guard rowStart.count == rowBounds.count + 1, columnIndices.count == values.count,
              rowStart.last == values.count, columnBounds.count == n else {
            throw LinearProgrammingError(.invalidProgram, "row storage is inconsistent")
        }
        for j in 0..<n where !objective[j].isFinite {
            throw LinearProgrammingError(.invalidProgram, "objective coefficient of column \(j) is not finite")
        }
        func check(_ b: (Double?, Double?), _ what: String) throws(LinearProgrammingError) {
            if let l = b.0, !l.isFinite { throw LinearProgrammingError(.invalidProgram, "lower bound of \(what) is not finite") }
            if let u = b.1, !u.isFinite { throw LinearProgrammingError(.invalidProgram, "upper bound of \(what) is not finite") }
            if let l = b.0, let u = b.1, l > u {
                throw LinearProgrammingError(.invalidProgram, "\(what) has lower bound \(l) above its upper bound \(u)")
            }
        }
        for j in 0..<n { try check(columnBounds[j], "column \(j)") }
        for i in 0..<rowCount { try check(rowBounds[i], "row \(i)") }
        var seen = [Int](repeating: -1, count: n)
        for i in 0..<rowCount {
            for k in rowStart[i]..<rowStart[i + 1] {
                let j = columnIndices[k]
                guard j >= 0 && j < n else {
                    throw LinearProgrammingError(.invalidProgram, "row \(i) refers to column \(j) of \(n)")
                }
                guard seen[j] != i else {
                    throw LinearProgrammingError(.invalidProgram, "row \(i) has two entries in column \(j)")
                }
                seen[j] = i
                guard values[k].isFinite else {
                    throw LinearProgrammingError(.invalidProgram, "coefficient (\(i), \(j)) is not finite")
                }
            }
        }
        // GLPK stores counts in C ints.
        guard n < Int(Int32.max), rowCount < Int(Int32.max) - 1, values.count < Int(Int32.max) - 1 else {
            throw LinearProgrammingError(.invalidProgram, "linear program too large for GLPK")
        }
    }

    /// The largest violation of the column and row bounds by x.
    func maximumViolation(_ x: [Double]) -> Double {
        var worst = 0.0
        func check(_ v: Double, _ b: (Double?, Double?)) {
            if let l = b.0 { worst = max(worst, l - v) }
            if let u = b.1 { worst = max(worst, v - u) }
        }
        for j in 0..<columnCount { check(x[j], columnBounds[j]) }
        for i in 0..<rowCount {
            var activity = 0.0
            for k in rowStart[i]..<rowStart[i + 1] { activity += values[k] * x[columnIndices[k]] }
            check(activity, rowBounds[i])
        }
        return worst
    }
}

extension LinearProgram {
    /// The largest violation of the column and row bounds by `x` (absolute, in each row's units).
    public func maximumViolation(_ x: [Double]) -> Double {
        GLPKData(nearest: self).maximumViolation(x)
    }

    /// Solves the program in double precision with GLPK's simplex method.
    ///
    /// Dual simplex from Bixby's crash basis with tight tolerances; if the returned point
    /// violates a bound by more than ``SimplexOptions/violationTarget``, the solve is repeated
    /// from the final basis with tolerance 1e-12.
    ///
    /// - Parameter startingBasis: start from this basis instead of the crash basis (the dual
    ///   simplex continues from it, so a basis that is dual feasible but misses a bound by less
    ///   than a looser tolerance is moved only as far as `options.tolerance` requires).
    /// - Returns: the solution; infeasible and unbounded programs are statuses, not errors.
    /// - Throws: ``LinearProgrammingError`` for a malformed program, a starting basis of the
    ///   wrong shape, or when GLPK fails.
    ///
    /// The corresponding C function is `glp_simplex`.
    public func solve(options: SimplexOptions = SimplexOptions(), startingBasis: LPBasis? = nil)
        throws(LinearProgrammingError) -> LPSolution<Double>
    {
        let data = GLPKData(nearest: self)
        try data.validate()
        if let startingBasis, startingBasis.rows.count != rowCount || startingBasis.columns.count != columnCount {
            throw LinearProgrammingError(
                .invalidProgram, "the starting basis has \(startingBasis.rows.count) row and "
                    + "\(startingBasis.columns.count) column statuses for a program of \(rowCount) rows and "
                    + "\(columnCount) columns")
        }
        if let startingBasis {
            let basic = startingBasis.rows.filter { $0 == .basic }.count + startingBasis.columns.filter { $0 == .basic }.count
            guard basic == rowCount else {
                throw LinearProgrammingError(
                    .invalidProgram, "the starting basis has \(basic) basic variables; a basis of \(rowCount) rows has "
                        + "\(rowCount)")
            }
        }
        let problem = GLPKProblem(data)
        if options.scaling { problem.scale() }
        if let startingBasis { problem.setBasis(startingBasis) }
        var returnCode = problem.simplex(tolerance: options.tolerance, warmStart: startingBasis != nil,
                                         timeLimit: options.timeLimit, iterationLimit: options.iterationLimit)
        if startingBasis != nil, GLPKProblem.isBasisFailure(returnCode) {
            // The given basis was numerically unusable (singular or ill-conditioned): from GLPK's
            // crash basis.
            returnCode = problem.simplex(tolerance: options.tolerance, warmStart: false,
                                         timeLimit: options.timeLimit, iterationLimit: options.iterationLimit)
        }
        if returnCode != 0 { throw GLPKProblem.error(returnCode: returnCode, during: "simplex") }
        guard var status = problem.status else {
            throw LinearProgrammingError(.solverFailure, "simplex ended without a solution status")
        }
        var solution = problem.solution(status: status)
        if status == .optimal, data.maximumViolation(solution.x) > options.violationTarget {
            returnCode = problem.simplex(tolerance: 1e-12, warmStart: true, timeLimit: options.timeLimit)
            if returnCode == 0, let refined = problem.status {
                status = refined
                solution = problem.solution(status: status)  // GLPK's iteration count is cumulative
            }
        }
        return solution
    }
}
