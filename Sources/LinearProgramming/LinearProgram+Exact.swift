internal import CGLPK
public import NormalFormGames
import BigInt

/// What our own rational arithmetic established about a claimed optimum (x, y).
///
/// The check does not trust the solver: given x and row multipliers y it recomputes A x,
/// the reduced costs d = c − Aᵀy and the dual bound
/// `Σ_j sup_{l_j ≤ x_j ≤ u_j} d_j x_j + Σ_i sup_{L_i ≤ r_i ≤ U_i} y_i r_i` (for maximisation;
/// mirrored for minimisation), which bounds c·x over every feasible point because
/// `c·x = d·x + y·(A x)`. The point is optimal exactly when it is feasible, the bound is finite
/// (dual feasibility) and the bound equals c·x.
public struct LPCertificate: Sendable, Equatable {
    /// Every column and row bound holds exactly at x.
    public var primalFeasible: Bool
    /// The reduced costs and row multipliers have the signs the bounds require (finite bound).
    public var dualFeasible: Bool
    /// c·x equals the dual bound exactly.
    public var objectivesEqual: Bool
    /// The dual bound, when finite.
    public var dualBound: Rational?
    /// The simplex basis the certificate was computed from.
    public var basis: LPBasis?

    /// All three checks hold: x is an exact optimum.
    public var isVerified: Bool { primalFeasible && dualFeasible && objectivesEqual }
}

/// An exact solution with its certificate.
public struct ExactLPSolution: Sendable {
    public var status: LPStatus
    /// Whether the status is proven by a re-checked certificate (optimality or Farkas).
    public var certified: Bool
    /// Exact c·x (optimal only).
    public var objectiveValue: Rational?
    public var x: [Rational]
    public var rowActivities: [Rational]
    /// Row multipliers y: optimal duals, or the Farkas multipliers when infeasible.
    public var rowDuals: [Rational]
    /// d = c − Aᵀy.
    public var reducedCosts: [Rational]
    /// The optimality certificate (optimal status only).
    public var certificate: LPCertificate?
    /// For an infeasible program: the gap sup_r y·r − inf_x (Aᵀy)·x, negative, proving that no
    /// x within its bounds has A x within the row bounds.
    public var farkasGap: Rational?
    /// How the certified basis was found: `"simplex"` (the double-precision basis was
    /// already exactly optimal) or `"exact-simplex"` (GLPK's rational simplex moved it).
    public var method: String
    /// A human-readable note when certification failed.
    public var note: String?
}

extension LinearProgram where Scalar == Rational {
    /// Sign of the objective for the maximisation form the checks use.
    private var sense: Rational { direction == .maximize ? .one : -Rational.one }

    /// sup over l ≤ v ≤ u of coefficient · v; nil when unbounded above.
    private static func supremum(_ coefficient: Rational, _ bounds: LPBounds<Rational>) -> Rational?? {
        switch coefficient.signum {
        case 0: return .some(.zero)
        case 1: return bounds.upper.map { coefficient * $0 }.map { .some($0) } ?? .some(nil)
        default: return bounds.lower.map { coefficient * $0 }.map { .some($0) } ?? .some(nil)
        }
    }

    /// A x, exactly (in GMP integers over one denominator, converted once).
    public func activities(_ x: [Rational]) -> [Rational] {
        let (numerators, denominators) = integerActivities(integerPoint(x))
        let scratch = IntegerBlock(3)
        return (0..<rowCount).map { rational(numerators[$0], denominators[$0], scratch: scratch) }
    }

    /// d = c − Aᵀy, exactly (in GMP integers over one denominator, converted once).
    public func reducedCosts(_ y: [Rational]) -> [Rational] {
        let (numerators, denominator) = integerReducedCosts(integerMultipliers(y))
        let scratch = IntegerBlock(3)
        return (0..<columnCount).map { rational(numerators[$0], denominator[0], scratch: scratch) }
    }

    /// Re-checks a claimed optimum in exact arithmetic (GMP integers). See ``LPCertificate``.
    public func certify(x: [Rational], rowDuals y: [Rational]) -> LPCertificate {
        precondition(x.count == columnCount && y.count == rowCount, "certificate has the wrong shape")
        return integerCertificate(integerPoint(x), integerMultipliers(y)).certificate
    }

    /// The Farkas gap sup_{L ≤ r ≤ U} y·r − inf_{l ≤ x ≤ u} (Aᵀy)·x for row multipliers y;
    /// a negative value proves the program infeasible. `nil` when a sup or inf is infinite.
    public func farkasGap(_ y: [Rational]) -> Rational? {
        var gap = Rational.zero
        for i in 0..<rowCount {
            guard case .some(let term?) = Self.supremum(y[i], rowBounds[i]) else { return nil }
            gap += term
        }
        var g = [Rational](repeating: .zero, count: columnCount)
        for i in 0..<rowCount where !y[i].isZero {
            for (j, a) in row(i) { g[j] += y[i] * a }
        }
        for j in 0..<columnCount {
            // inf g·x = −sup (−g)·x
            guard case .some(let term?) = Self.supremum(-g[j], columnBounds[j]) else { return nil }
            gap += term
        }
        return gap
    }

    /// The basic solution of a simplex basis, exactly: (x, y), or `nil` when the basis is invalid
    /// (wrong count, a nonbasic variable at a missing bound, singular), too large for the exact
    /// budget, or `deadline` passes first. Solved in GMP integers (fraction-free elimination on
    /// the row-scaled basis matrix), converted to rationals once.
    /// `maximumDimension` bounds the basis matrix (dense k×k GMP integers, twice: memory ∝ k²,
    /// time ∝ k³); a larger one gives `nil` at no cost.
    public func basicSolution(_ basis: LPBasis, deadline: ContinuousClock.Instant? = nil, maximumDimension: Int? = nil)
        -> (x: [Rational], y: [Rational])?
    {
        guard let (point, multipliers) = integerBasicSolution(basis, deadline: deadline,
                                                              maximumDimension: maximumDimension) else { return nil }
        return (rationals(point), rationals(multipliers))
    }

    /// The double data for GLPK's rational simplex: each row scaled by a positive integer so
    /// that its coefficients and bounds become integers, which doubles hold exactly when below
    /// 2^53; rows (or the objective) that do not fit keep their nearest doubles, and the
    /// re-check decides. Scaling a row by a positive factor changes neither the feasible set nor
    /// which bases are optimal.
    private func integerScaledData() -> (data: GLPKData, exact: Bool) {
        var data = GLPKData(nearest: self)
        var exact = true
        let isDouble = Self.isDouble
        let limit = BigInt(1) << 53
        func scale(_ values: [Rational]) -> BigInt? {
            guard let l = Self.denominatorLCM(values, limit: limit) else { return nil }
            for v in values where (v.numerator * l / v.denominator).magnitude > limit.magnitude { return nil }
            return l
        }
        func scaled(_ v: Rational, _ l: BigInt) -> Double { (v * Rational(l)).doubleValue }
        for i in 0..<rowCount {
            let entries = Array(values[rowStart[i]..<rowStart[i + 1]])
            let b = rowBounds[i]
            guard let l = scale(entries + [b.lower, b.upper].compactMap { $0 }) else {
                exact = exact && entries.allSatisfy(isDouble) && isDouble(b.lower) && isDouble(b.upper)
                continue
            }
            for k in rowStart[i]..<rowStart[i + 1] { data.values[k] = scaled(values[k], l) }
            data.rowBounds[i] = (b.lower.map { scaled($0, l) }, b.upper.map { scaled($0, l) })
        }
        if let l = scale(objective) {
            data.objective = objective.map { scaled($0, l) }
        } else {
            exact = exact && objective.allSatisfy(isDouble)
        }
        return (data, exact && columnBounds.allSatisfy { isDouble($0.lower) && isDouble($0.upper) })
    }

    /// GLPK's rational simplex on the equivalent program whose numbers are all doubles
    /// (``doubleExactProgram()``), its basis re-solved and checked there, and the point and
    /// multipliers mapped back and certified for this program; `nil` when that cannot be done
    /// within `deadline`, or the answer is not an optimum (the caller goes on as before).
    private func optimumThroughDoubleExactProgram(_ expanded: DoubleExactProgram, from start: LPBasis?,
                                                  deadline: ContinuousClock.Instant) -> ExactLPSolution?
    {
        let data = GLPKData(nearest: expanded.program)
        guard data.isWithinRationalSimplexRange, (try? data.validate()) != nil else { return nil }
        let problem = GLPKProblem(data)
        // The rational simplex from the double basis carried over; failing that, from a basis of
        // the equivalent program's own double simplex (whose pieces of 52 bits side by side can
        // mislead it: it is only a start).
        var code: Int32 = -1
        if let start {
            problem.setBasis(expanded.basis(from: start))
            code = problem.exact(timeLimit: deadline - ContinuousClock.now)
        }
        if code != 0 || problem.status != .optimal {
            guard !hasPassed(deadline) else { return nil }
            let simplex = problem.simplex(tolerance: 1e-9, warmStart: false,
                                          timeLimit: callLimit(deadline - ContinuousClock.now, before: deadline))
            guard simplex == 0 || GLPKProblem.isBasisFailure(simplex) else { return nil }
            code = problem.exact(timeLimit: deadline - ContinuousClock.now)
        }
        guard code == 0, problem.status == .optimal,
              let (point, multipliers) = expanded.program.basicSolution(problem.basis, deadline: deadline) else { return nil }
        let x = Array(point.prefix(columnCount))
        let y = expanded.originalDuals(multipliers, rows: rowCount)
        let certificate = certify(x: x, rowDuals: y)
        guard certificate.isVerified else { return nil }
        return ExactLPSolution(
            status: .optimal, certified: true, objectiveValue: certificate.dualBound, x: x, rowActivities: activities(x),
            rowDuals: y, reducedCosts: reducedCosts(y), certificate: certificate, farkasGap: nil, method: "exact-simplex",
            note: nil)
    }

    /// Solves the program exactly and certifies the answer in rational arithmetic.
    ///
    /// GLPK's double simplex finds a basis; the basis is re-solved in rationals and checked
    /// (``certify(x:rowDuals:)``). If the check fails, GLPK's rational simplex (`glp_exact`) is
    /// started from that basis on integer-scaled data, and its basis is re-solved and checked
    /// again. An infeasible program is certified by the multipliers of an exactly solved
    /// phase-one program (``farkasGap(_:)`` < 0). Nothing is taken from the solver's word:
    /// `certified` is true only when our own checks passed.
    ///
    /// - Parameter timeLimit: limit for each `glp_exact` call. When it is reached the
    ///   result is returned uncertified, with no exact point and a note saying why.
    /// - Throws: ``LinearProgrammingError`` for a malformed program or when GLPK fails.
    public func solveExactly(options: SimplexOptions = SimplexOptions(), timeLimit: Duration = .seconds(60))
        throws(LinearProgrammingError) -> ExactLPSolution
    {
        let data = GLPKData(nearest: self)
        try data.validate()
        let problem = GLPKProblem(data)
        let returnCode = problem.simplex(tolerance: options.tolerance, warmStart: false, timeLimit: options.timeLimit)
        if returnCode != 0 { throw GLPKProblem.error(returnCode: returnCode, during: "simplex") }
        return try exactFinish(problem, floatStatus: problem.status, timeLimit: timeLimit)
    }

    /// GLPK's feasibility tolerances for the warm re-solve that polishes a basis the exact check
    /// refutes (about 1e-10 off), before any rational simplex.
    static var polishTolerance: Double { 1e-13 }

    /// Certifies the basis GLPK holds; else polishes it in doubles and certifies that; falls back
    /// to `glp_exact`, and handles infeasibility.
    func exactFinish(_ problem: borrowing GLPKProblem, floatStatus: LPStatus?, timeLimit: Duration)
        throws(LinearProgrammingError) -> ExactLPSolution
    {
        // The whole step, rational re-solves included, stays within the limit.
        let deadline = ContinuousClock.now + .milliseconds(Int(timeLimit.glpkMilliseconds))
        if floatStatus == .optimal,
           let solution = certifiedOptimum(problem.basis, method: "simplex", deadline: deadline) {
            return solution
        }
        if ContinuousClock.now > deadline {
            return ExactLPSolution(
                status: floatStatus ?? .optimal, certified: false, objectiveValue: nil, x: [], rowActivities: [],
                rowDuals: [], reducedCosts: [], certificate: nil, farkasGap: nil, method: "simplex",
                note: "the exact time limit was reached while re-solving the basis in rational arithmetic")
        }
        if floatStatus == .infeasible, let solution = try certifiedInfeasibility(timeLimit) {
            return solution
        }
        // The double basis is not exactly optimal: first the dual simplex on from it at a tighter
        // tolerance, which often reaches an exactly optimal basis at the cost of a warm re-solve
        // (a rational simplex step on thousands of rows can outlast any time limit GLPK checks).
        if floatStatus == .optimal {
            let before = problem.basis
            let code = problem.simplex(tolerance: Self.polishTolerance, warmStart: true,
                                       timeLimit: callLimit(deadline - ContinuousClock.now, before: deadline))
            if code == 0, problem.status == .optimal, problem.basis != before,
               let solution = certifiedOptimum(problem.basis, method: "simplex", deadline: deadline) {
                return solution
            }
            if ContinuousClock.now > deadline {
                return ExactLPSolution(
                    status: .optimal, certified: false, objectiveValue: nil, x: [], rowActivities: [],
                    rowDuals: [], reducedCosts: [], certificate: nil, farkasGap: nil, method: "simplex",
                    note: "the exact time limit was reached while re-solving the basis in rational arithmetic")
            }
        }
        // The double basis is not exactly optimal (or the status was unclear): rational simplex.
        let (exactData, isExactData) = integerScaledData()
        if !isExactData, let expanded = doubleExactProgram(),
           let solution = optimumThroughDoubleExactProgram(expanded, from: problem.basis, deadline: deadline) {
            return solution
        }
        guard exactData.isWithinRationalSimplexRange else {
            return ExactLPSolution(
                status: floatStatus ?? .optimal, certified: false, objectiveValue: nil, x: [], rowActivities: [],
                rowDuals: [], reducedCosts: [], certificate: nil, farkasGap: nil, method: "simplex",
                note: "the double-precision basis is not exactly optimal, and GLPK's rational simplex cannot take "
                    + "data spanning beyond 2^±256 (these payoffs span hundreds of binary orders)")
        }
        let exactProblem = GLPKProblem(exactData)
        exactProblem.setBasis(problem.basis)
        let code = exactProblem.exact(timeLimit: deadline - ContinuousClock.now)
        if code != 0 {
            // Not an error of the program: report an uncertified answer with the reason, and let
            // the caller fall back to the double-precision solution.
            let reason = GLPKProblem.error(returnCode: code, during: "GLPK's rational simplex").description
            return ExactLPSolution(
                status: floatStatus ?? .optimal, certified: false, objectiveValue: nil, x: [], rowActivities: [],
                rowDuals: [], reducedCosts: [], certificate: nil, farkasGap: nil, method: "exact-simplex",
                note: "the double-precision basis is not exactly optimal and \(reason)")
        }
        switch exactProblem.status {
        case .optimal?:
            if let solution = certifiedOptimum(exactProblem.basis, method: "exact-simplex", deadline: deadline) {
                return solution
            }
            guard let (x, y) = basicSolution(exactProblem.basis, deadline: deadline) else {
                return ExactLPSolution(
                    status: .optimal, certified: false, objectiveValue: nil, x: [], rowActivities: [], rowDuals: [],
                    reducedCosts: [], certificate: nil, farkasGap: nil, method: "exact-simplex",
                    note: "the basis of GLPK's rational simplex could not be re-solved exactly within the time limit")
            }
            var certificate = certify(x: x, rowDuals: y)
            certificate.basis = exactProblem.basis
            return ExactLPSolution(
                status: .optimal, certified: false, objectiveValue: nil, x: x, rowActivities: activities(x),
                rowDuals: y, reducedCosts: reducedCosts(y), certificate: certificate, farkasGap: nil,
                method: "exact-simplex",
                note: "GLPK's rational simplex saw the data as doubles, and its basis is not exactly optimal "
                    + "for the exact data")
        case .infeasible?:
            if let solution = try certifiedInfeasibility(timeLimit) { return solution }
            throw LinearProgrammingError(.solverFailure, "infeasibility could not be certified")
        case .unbounded?:
            return ExactLPSolution(
                status: .unbounded, certified: false, objectiveValue: nil, x: [], rowActivities: [], rowDuals: [],
                reducedCosts: [], certificate: nil, farkasGap: nil, method: "exact-simplex",
                note: "unboundedness is reported by GLPK; no ray certificate is computed")
        case nil, .failed?:
            throw LinearProgrammingError(.solverFailure, "exact simplex ended without a solution status")
        }
    }

    /// The exact optimum of `basis` when it is certified: re-solved and checked in GMP integers,
    /// converted to rationals once; `nil` otherwise.
    private func certifiedOptimum(_ basis: LPBasis, method: String, deadline: ContinuousClock.Instant? = nil)
        -> ExactLPSolution?
    {
        guard let (point, multipliers) = integerBasicSolution(basis, deadline: deadline) else { return nil }
        var (certificate, residuals) = integerCertificate(point, multipliers)
        guard certificate.isVerified else { return nil }
        certificate.basis = basis
        let scratch = IntegerBlock(3)
        let activities = (0..<rowCount).map {
            rational(residuals.activityNumerators[$0], residuals.activityDenominators[$0], scratch: scratch)
        }
        let reducedCosts = (0..<columnCount).map {
            rational(residuals.reducedCostNumerators[$0], residuals.reducedCostDenominator[0], scratch: scratch)
        }
        return ExactLPSolution(
            status: .optimal, certified: true, objectiveValue: certificate.dualBound, x: rationals(point),
            rowActivities: activities, rowDuals: rationals(multipliers), reducedCosts: reducedCosts,
            certificate: certificate, farkasGap: nil, method: method, note: nil)
    }

    /// Phase one: minimise Σ (p_i + q_i) subject to L ≤ A x + p − q ≤ U, p, q ≥ 0, solved and
    /// certified exactly. A positive optimum proves infeasibility, and its row duals are
    /// Farkas multipliers for the original program, which ``farkasGap(_:)`` re-checks.
    private func certifiedInfeasibility(_ timeLimit: Duration) throws(LinearProgrammingError)
        -> ExactLPSolution?
    {
        let n = columnCount, m = rowCount
        var phaseOne = LinearProgram<Rational>(
            direction: .minimize,
            objective: Array(repeating: .zero, count: n) + Array(repeating: .one, count: 2 * m),
            columnBounds: columnBounds + Array(repeating: .nonnegative, count: 2 * m))
        for i in 0..<m {
            phaseOne.addRow(Array(row(i)) + [(n + 2 * i, .one), (n + 2 * i + 1, -Rational.one)], bounds: rowBounds[i])
        }
        let solution = try phaseOne.solveExactly(timeLimit: timeLimit)
        guard solution.status == .optimal, solution.rowDuals.count == m else { return nil }
        if solution.certified {
            guard let value = solution.objectiveValue, value.signum > 0 else { return nil }
        }
        // Phase one minimises, so its multipliers in the maximisation form of the bound are −y.
        // The certificate rests on y alone (farkasGap re-checks it exactly), so the multipliers of
        // a phase-one basis that is not exactly optimal (GLPK's rational simplex saw rounded data)
        // still prove infeasibility whenever their gap is negative.
        let y = solution.rowDuals.map { -$0 }
        guard let gap = farkasGap(y), gap.signum < 0 else { return nil }
        return ExactLPSolution(
            status: .infeasible, certified: true, objectiveValue: nil, x: [], rowActivities: [], rowDuals: y,
            reducedCosts: reducedCosts(y), certificate: nil, farkasGap: gap, method: solution.method,
            note: nil)
    }
}
