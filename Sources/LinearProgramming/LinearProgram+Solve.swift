internal import CGLPK
public import NormalFormGames

/// Settings of the floating-point simplex path.
public struct SimplexOptions: Sendable {
    /// GLPK's primal and dual feasibility tolerances (`tol_bnd`, `tol_dj`). GLPK's default of
    /// 1e-7 leaves constraint violations near 1e-7; 1e-10 costs no measurable time.
    public var tolerance: Double = 1e-10
    /// The largest absolute constraint violation accepted before a tighter re-solve
    /// (tolerance 1e-12 from the final basis). The violation reached is reported either way.
    public var violationTarget: Double = 1e-9
    /// Time limit per GLPK call in milliseconds (0: none).
    public var timeLimitMilliseconds: Int32 = 0
    /// Whether to let GLPK scale the problem (`glp_scale_prob`, `GLP_SF_AUTO`).
    public var scaling: Bool = false

    public init() {}
}

/// The double data handed to GLPK.
struct GLPKData {
    var objective: [Double]
    var columnBounds: [(Double?, Double?)]
    var rowBounds: [(Double?, Double?)]
    var values: [Double]

    init<S: LPScalar>(nearest program: LinearProgram<S>) {
        objective = program.objective.map(\.doubleValue)
        columnBounds = program.columnBounds.map { ($0.lower?.doubleValue, $0.upper?.doubleValue) }
        rowBounds = program.rowBounds.map { ($0.lower?.doubleValue, $0.upper?.doubleValue) }
        values = program.values.map(\.doubleValue)
    }
}

extension LinearProgram {
    /// The largest violation of the column and row bounds by `x` (absolute, in each row's units).
    public func maximumViolation(_ x: [Double]) -> Double {
        var worst = 0.0
        func check(_ v: Double, _ b: LPBounds<Scalar>) {
            if let l = b.lower { worst = Swift.max(worst, l.doubleValue - v) }
            if let u = b.upper { worst = Swift.max(worst, v - u.doubleValue) }
        }
        for j in 0..<columnCount { check(x[j], columnBounds[j]) }
        for i in 0..<rowCount {
            var activity = 0.0
            for (j, a) in row(i) { activity += a.doubleValue * x[j] }
            check(activity, rowBounds[i])
        }
        return worst
    }

    /// Solves the program in double precision with GLPK's simplex method.
    ///
    /// Dual simplex from Bixby's crash basis with tight tolerances; if the returned point
    /// violates a bound by more than ``SimplexOptions/violationTarget``, the solve is repeated
    /// from the final basis with tolerance 1e-12.
    ///
    /// - Returns: the solution; infeasible and unbounded programs are statuses, not errors.
    /// - Throws: ``LinearProgrammingError`` for a malformed program or when GLPK fails.
    ///
    /// The corresponding C function is `glp_simplex`.
    public func solve(options: SimplexOptions = SimplexOptions()) throws(LinearProgrammingError) -> LPSolution<Double> {
        try validate()
        let problem = GLPKProblem(self, data: GLPKData(nearest: self))
        if options.scaling { problem.scale() }
        var returnCode = problem.simplex(tolerance: options.tolerance, warmStart: false,
                                         timeLimitMilliseconds: options.timeLimitMilliseconds)
        if returnCode != 0 { throw GLPKProblem.error(returnCode: returnCode, during: "simplex") }
        guard var status = problem.status else {
            throw LinearProgrammingError(.solverFailure, "simplex ended without a solution status")
        }
        var solution = problem.solution(status: status)
        if status == .optimal, maximumViolation(solution.x) > options.violationTarget {
            returnCode = problem.simplex(tolerance: 1e-12, warmStart: true,
                                         timeLimitMilliseconds: options.timeLimitMilliseconds)
            if returnCode == 0, let refined = problem.status {
                status = refined
                solution = problem.solution(status: status)  // GLPK's iteration count is cumulative
            }
        }
        return solution
    }
}
