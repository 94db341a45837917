internal import CGLPK

/// Sole owner of one `glp_prob`.
///
/// GLPK keeps a per-thread environment, and a problem must be deleted on the thread that
/// created it. Create, use and drop a `GLPKProblem` inside one synchronous call: never store
/// it, and never hold it across `await`.
struct GLPKProblem: ~Copyable {
    private let handle: OpaquePointer
    let rows: Int
    let columns: Int

    /// Loads a validated program with the given double data (see ``GLPKData``).
    init(_ data: GLPKData) {
        // Per thread: GLPK prints from glp_cpx_basis unless terminal output is off on this thread.
        glp_term_out(GLP_OFF)
        handle = glp_create_prob()
        rows = data.rowCount
        columns = data.columnCount
        glp_set_obj_dir(handle, data.maximize ? GLP_MAX : GLP_MIN)
        if rows > 0 { glp_add_rows(handle, Int32(rows)) }
        glp_add_cols(handle, Int32(columns))
        for j in 0..<columns {
            let (lo, up) = data.columnBounds[j]
            GLPKProblem.setBounds(lo, up) { type, l, u in glp_set_col_bnds(handle, Int32(j + 1), type, l, u) }
            glp_set_obj_coef(handle, Int32(j + 1), data.objective[j])
        }
        for i in 0..<rows {
            let (lo, up) = data.rowBounds[i]
            GLPKProblem.setBounds(lo, up) { type, l, u in glp_set_row_bnds(handle, Int32(i + 1), type, l, u) }
        }
        let count = data.values.count
        if count > 0 {
            var ia = [Int32](repeating: 0, count: count + 1)
            var ja = [Int32](repeating: 0, count: count + 1)
            var ar = [Double](repeating: 0, count: count + 1)
            for i in 0..<rows {
                for k in data.rowStart[i]..<data.rowStart[i + 1] {
                    ia[k + 1] = Int32(i + 1)
                    ja[k + 1] = Int32(data.columnIndices[k] + 1)
                    ar[k + 1] = data.values[k]
                }
            }
            glp_load_matrix(handle, Int32(count), ia, ja, ar)
        }
    }

    /// Replaces the objective (coefficients in GLPK's units) and its direction.
    borrowing func setObjective(_ coefficients: [Double], maximize: Bool) {
        glp_set_obj_dir(handle, maximize ? GLP_MAX : GLP_MIN)
        for (j, c) in coefficients.enumerated() { glp_set_obj_coef(handle, Int32(j + 1), c) }
    }

    deinit { glp_delete_prob(handle) }

    private static func setBounds(_ lower: Double?, _ upper: Double?, _ set: (Int32, Double, Double) -> Void) {
        switch (lower, upper) {
        case (nil, nil): set(GLP_FR, 0, 0)
        case (let l?, nil): set(GLP_LO, l, 0)
        case (nil, let u?): set(GLP_UP, 0, u)
        case (let l?, let u?): set(l == u ? GLP_FX : GLP_DB, l, u)
        }
    }

    /// Runs the simplex method: Bixby's crash basis (unless `warmStart`), dual simplex falling
    /// back to primal, the given feasibility and optimality tolerances, no presolve.
    ///
    /// The corresponding C function is `glp_simplex`.
    /// With `primal`, the primal simplex (for a start that is already primal feasible, as on an
    /// optimal face, where every step then improves the objective).
    borrowing func simplex(tolerance: Double, warmStart: Bool, timeLimit: Duration?,
                           iterationLimit: Int? = nil, primal: Bool = false) -> Int32 {
        if !warmStart { glp_cpx_basis(handle) }
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.meth = primal ? GLP_PRIMAL : GLP_DUALP
        parameters.tol_bnd = tolerance
        parameters.tol_dj = tolerance
        parameters.presolve = GLP_OFF
        if let timeLimit { parameters.tm_lim = timeLimit.glpkMilliseconds }
        if let iterationLimit { parameters.it_lim = Int32(clamping: max(1, iterationLimit)) }
        return glp_simplex(handle, &parameters)
    }

    /// Runs GLPK's rational simplex from the current basis. The corresponding C function is
    /// `glp_exact`.
    borrowing func exact(timeLimit: Duration) -> Int32 {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.tm_lim = timeLimit.glpkMilliseconds
        return glp_exact(handle, &parameters)
    }

    borrowing func scale() { glp_scale_prob(handle, GLP_SF_AUTO) }
    borrowing func unscale() { glp_unscale_prob(handle) }

    /// GLPK's solution status mapped to ours; `nil` for undefined or merely feasible.
    var status: LPStatus? {
        switch glp_get_status(handle) {
        case GLP_OPT: return .optimal
        case GLP_NOFEAS: return .infeasible
        case GLP_UNBND: return .unbounded
        default:
            // Dual simplex reports a primal infeasible problem through the dual status.
            if glp_get_prim_stat(handle) == GLP_NOFEAS { return .infeasible }
            if glp_get_dual_stat(handle) == GLP_NOFEAS && glp_get_prim_stat(handle) == GLP_FEAS { return .unbounded }
            return nil
        }
    }

    var iterations: Int { Int(glp_get_it_cnt(handle)) }

    /// The column values of the basic solution GLPK holds, in GLPK's units.
    var columnValues: [Double] { (0..<columns).map { glp_get_col_prim(handle, Int32($0 + 1)) } }

    var objectiveValue: Double { glp_get_obj_val(handle) }
    /// GLPK's row multipliers of the basic solution it holds.
    var rowDuals: [Double] { (0..<rows).map { glp_get_row_dual(handle, Int32($0 + 1)) } }

    /// Whether the basic solution GLPK holds is primal feasible (to its tolerance).
    var isPrimalFeasible: Bool { glp_get_prim_stat(handle) == GLP_FEAS }

    /// Whether `returnCode` says the starting basis was unusable (singular or ill-conditioned,
    /// or GLPK gave up on it), so that a solve from a fresh crash basis may succeed.
    static func isBasisFailure(_ returnCode: Int32) -> Bool {
        returnCode == GLP_ESING || returnCode == GLP_ECOND || returnCode == GLP_EFAIL || returnCode == GLP_EBADB
    }

    static func isLimit(_ returnCode: Int32) -> Bool { returnCode == GLP_ETMLIM || returnCode == GLP_EITLIM }
    static func isIterationLimit(_ returnCode: Int32) -> Bool { returnCode == GLP_EITLIM }

    var basis: LPBasis {
        LPBasis(rows: (0..<rows).map { BasisStatus(glpk: glp_get_row_stat(handle, Int32($0 + 1))) },
                columns: (0..<columns).map { BasisStatus(glpk: glp_get_col_stat(handle, Int32($0 + 1))) })
    }

    borrowing func setBasis(_ basis: LPBasis) {
        for (i, s) in basis.rows.enumerated() { glp_set_row_stat(handle, Int32(i + 1), s.glpk) }
        for (j, s) in basis.columns.enumerated() { glp_set_col_stat(handle, Int32(j + 1), s.glpk) }
    }

    /// The basic solution GLPK holds, in GLPK's units.
    func solution(status: LPStatus) -> LPSolution<Double> {
        LPSolution(
            status: status,
            objectiveValue: glp_get_obj_val(handle),
            x: (0..<columns).map { glp_get_col_prim(handle, Int32($0 + 1)) },
            rowActivities: (0..<rows).map { glp_get_row_prim(handle, Int32($0 + 1)) },
            rowDuals: (0..<rows).map { glp_get_row_dual(handle, Int32($0 + 1)) },
            reducedCosts: (0..<columns).map { glp_get_col_dual(handle, Int32($0 + 1)) },
            basis: basis,
            iterations: iterations)
    }

    static func error(returnCode: Int32, during step: String) -> LinearProgrammingError {
        switch returnCode {
        case GLP_ETMLIM: return LinearProgrammingError(.timeLimit, "\(step): time limit reached", glpkReturnCode: Int(returnCode))
        case GLP_EITLIM:
            return LinearProgrammingError(.iterationLimit, "\(step): iteration limit reached", glpkReturnCode: Int(returnCode))
        case GLP_ESING: return LinearProgrammingError(.solverFailure, "\(step): singular basis", glpkReturnCode: Int(returnCode))
        case GLP_ECOND:
            return LinearProgrammingError(.solverFailure, "\(step): ill-conditioned basis", glpkReturnCode: Int(returnCode))
        case GLP_EBOUND: return LinearProgrammingError(.solverFailure, "\(step): invalid bounds", glpkReturnCode: Int(returnCode))
        case GLP_EFAIL: return LinearProgrammingError(.solverFailure, "\(step): solver failed", glpkReturnCode: Int(returnCode))
        default: return LinearProgrammingError(.solverFailure, "\(step): GLPK failed", glpkReturnCode: Int(returnCode))
        }
    }
}

extension Duration {
    /// GLPK's `tm_lim`: whole milliseconds, at least 1, clamped to `Int32`.
    var glpkMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds < Int64(Int32.max) / 1000 else { return Int32.max }
        return Int32(clamping: max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}

extension BasisStatus {
    /// The status GLPK reports as `stat` (`GLP_BS` …); an unknown value reads as basic.
    init(glpk stat: Int32) {
        switch stat {
        case GLP_NL: self = .atLower
        case GLP_NU: self = .atUpper
        case GLP_NF: self = .free
        case GLP_NS: self = .fixed
        default: self = .basic
        }
    }

    /// GLPK's code of this status.
    var glpk: Int32 {
        switch self {
        case .basic: return GLP_BS
        case .atLower: return GLP_NL
        case .atUpper: return GLP_NU
        case .free: return GLP_NF
        case .fixed: return GLP_NS
        }
    }
}
