/// How far the exact data of a program may lie from the doubles it is stored in.
///
/// A program over doubles often stands for an exact one whose numbers are not all doubles (a
/// difference of two payoffs, rounded; a decimal read from text). The radii bound the distance,
/// entry by entry; `nil` means that part is exact.
public struct LPDataRadii: Sendable {
    /// One radius per matrix entry, in the layout of ``LinearProgram/values``.
    public var values: [Double]?
    /// One radius per objective coefficient.
    public var objective: [Double]?
    /// One radius per row, for each of its finite bounds.
    public var rowBounds: [Double]?

    public init(values: [Double]? = nil, objective: [Double]? = nil, rowBounds: [Double]? = nil) {
        self.values = values
        self.objective = objective
        self.rowBounds = rowBounds
    }

    /// The doubles are the exact data.
    public static var exact: Self { Self() }
}

/// What floating-point arithmetic with rigorous error bounds proved about a simplex basis.
///
/// `optimal` is a proof, for every program whose data lie within the given radii of the
/// doubles (the exact program among them), that the basis is primal and dual feasible — hence
/// optimal — with the basic solution inside the enclosures given. `rejected` proves the basis
/// is not optimal (a sign is wrong beyond every rounding error) or is not a basis.
/// `undecided` means an enclosure contains zero where a sign had to be decided: the basis is
/// degenerate at this precision (or too ill-conditioned to enclose), and only exact arithmetic
/// can decide.
public struct VerifiedBasis: Sendable {
    public enum Verdict: String, Sendable, Equatable {
        case optimal, undecided, rejected
    }

    public var verdict: Verdict
    /// Why the verdict is not `optimal`, naming the row or column.
    public var reason: String?
    /// Enclosures of the basic solution x, one per column (exact for nonbasic columns).
    public var xLower: [Double]
    public var xUpper: [Double]
    /// Enclosures of the row duals y (GLPK's convention: ∂ objective / ∂ row bound).
    public var rowDualLower: [Double]
    public var rowDualUpper: [Double]
    /// An enclosure of the optimal value c·x (when `optimal`).
    public var objectiveLower: Double?
    public var objectiveUpper: Double?
    /// Every nonbasic reduced cost and every multiplier of a nonbasic inequality row was proven
    /// nonzero: the optimum is then unique (strict complementary slackness). `false` says only
    /// that this proof was not available.
    public var provesUniqueOptimum: Bool
}

extension LinearProgram where Scalar == Double {
    /// Proves or refutes, in floating point with rigorous error bounds, that `basis` is optimal
    /// for every program within `radii` of this one. See ``VerifiedBasis``.
    ///
    /// The basic solution of the basis solves B x_B = b and its duals Bᵀ y = c_B, where B holds
    /// the tight rows restricted to the basic columns. Both are enclosed by
    /// ``VerifiedLinearSystem``; then every basic variable is checked against its bounds and
    /// every nonbasic one's reduced cost (or row multiplier) against the sign its bound
    /// requires. No number is taken from the solver but the basis itself.
    ///
    /// - Parameter maximumDimension: the largest B to enclose (a dense k×k system: time ∝ k³);
    ///   a larger one is `undecided`, with the reason, at no cost. `nil`: any.
    public func verify(basis: LPBasis, radii: LPDataRadii = .exact, maximumDimension: Int? = nil) -> VerifiedBasis {
        var verifier = BasisVerifier(program: self, basis: basis, radii: radii)
        verifier.maximumDimension = maximumDimension
        return verifier.run()
    }
}

/// The steps of ``LinearProgram/verify(basis:radii:)``.
private struct BasisVerifier {
    var maximumDimension: Int? = nil
    let program: LinearProgram<Double>
    let basis: LPBasis
    let radii: LPDataRadii
    /// +1 for maximisation, −1 for minimisation: the checks use the maximisation form.
    let sense: Double
    var result: VerifiedBasis
    var reasons: [String] = []
    var undecided = false
    var rejected = false

    init(program: LinearProgram<Double>, basis: LPBasis, radii: LPDataRadii) {
        self.program = program
        self.basis = basis
        self.radii = radii
        sense = program.direction == .maximize ? 1 : -1
        let n = program.columnCount, m = program.rowCount
        result = VerifiedBasis(verdict: .rejected, reason: nil, xLower: Array(repeating: 0, count: n),
                               xUpper: Array(repeating: 0, count: n), rowDualLower: Array(repeating: 0, count: m),
                               rowDualUpper: Array(repeating: 0, count: m), objectiveLower: nil, objectiveUpper: nil,
                               provesUniqueOptimum: false)
    }

    private func radius(ofEntry k: Int) -> Double { radii.values?[k] ?? 0 }
    private func objectiveRadius(_ j: Int) -> Double { radii.objective?[j] ?? 0 }
    private func rowBoundRadius(_ i: Int) -> Double { radii.rowBounds?[i] ?? 0 }

    private mutating func reject(_ reason: String) -> VerifiedBasis {
        result.verdict = .rejected
        result.reason = reason
        return result
    }

    mutating func run() -> VerifiedBasis {
        let n = program.columnCount, m = program.rowCount
        guard basis.columns.count == n, basis.rows.count == m else {
            return reject("the basis has \(basis.columns.count) column and \(basis.rows.count) row statuses; "
                          + "the program has \(n) columns and \(m) rows")
        }
        if let v = radii.values, v.count != program.values.count { return reject("one value radius per entry is needed") }
        if let v = radii.objective, v.count != n { return reject("one objective radius per column is needed") }
        if let v = radii.rowBounds, v.count != m { return reject("one bound radius per row is needed") }
        // Nonbasic columns sit at a bound (exactly); basic ones get positions in B.
        var position = [Int](repeating: -1, count: n)
        var basicColumns: [Int] = []
        for j in 0..<n {
            let b = program.columnBounds[j]
            switch basis.columns[j] {
            case .basic:
                position[j] = basicColumns.count
                basicColumns.append(j)
                continue
            case .atLower, .fixed:
                guard let l = b.lower else { return reject("column \(j + 1) is nonbasic at a lower bound it does not have") }
                if basis.columns[j] == .fixed, b.upper != l { return reject("column \(j + 1) is nonbasic fixed but not fixed") }
                result.xLower[j] = l
            case .atUpper:
                guard let u = b.upper else { return reject("column \(j + 1) is nonbasic at an upper bound it does not have") }
                result.xLower[j] = u
            case .free:
                guard b.lower == nil, b.upper == nil else { return reject("column \(j + 1) is nonbasic free but bounded") }
                result.xLower[j] = 0
            }
            result.xUpper[j] = result.xLower[j]
        }
        // Tight (nonbasic) rows, their values and radii.
        var tightRows: [Int] = []
        var rowValue: [Double] = []
        var rowValueRadius: [Double] = []
        for i in 0..<m {
            let b = program.rowBounds[i]
            switch basis.rows[i] {
            case .basic: continue
            case .atLower, .fixed:
                guard let l = b.lower else { return reject("row \(i + 1) is nonbasic at a lower bound it does not have") }
                if basis.rows[i] == .fixed, b.upper != l { return reject("row \(i + 1) is nonbasic fixed but not an equality") }
                rowValue.append(l)
                rowValueRadius.append(rowBoundRadius(i))
            case .atUpper:
                guard let u = b.upper else { return reject("row \(i + 1) is nonbasic at an upper bound it does not have") }
                rowValue.append(u)
                rowValueRadius.append(rowBoundRadius(i))
            case .free:
                guard b.lower == nil, b.upper == nil else { return reject("row \(i + 1) is nonbasic free but bounded") }
                rowValue.append(0)
                rowValueRadius.append(0)
            }
            tightRows.append(i)
        }
        let k = basicColumns.count
        guard tightRows.count == k else {
            return reject("the basis has \(k) basic columns but \(tightRows.count) nonbasic rows: not a basis")
        }
        if let limit = maximumDimension, k > limit {
            result.verdict = .undecided
            result.reason = "its basis matrix is \(k)×\(k), beyond the \(limit)×\(limit) the dense enclosure is given"
            return result
        }
        // B (column-major), its radii, and b = row value − the nonbasic columns' share.
        var matrix = [Double](repeating: 0, count: k * k)
        var matrixRadius = [Double](repeating: 0, count: k * k)
        var rhs = rowValue
        var rhsRadius = rowValueRadius
        for (t, i) in tightRows.enumerated() {
            var magnitude = abs(rhs[t]), terms = 1, data = 0.0
            for e in program.rowStart[i]..<program.rowStart[i + 1] {
                let j = program.columnIndices[e], a = program.values[e]
                if position[j] >= 0 {
                    matrix[t + position[j] * k] = a
                    matrixRadius[t + position[j] * k] = radius(ofEntry: e)
                } else if result.xLower[j] != 0 {
                    let product = a * result.xLower[j]
                    rhs[t] -= product
                    magnitude += abs(product)
                    data += radius(ofEntry: e) * abs(result.xLower[j])
                    terms += 1
                }
            }
            if terms > 1 {
                rhsRadius[t] = RoundingBound.up(rhsRadius[t] + data, terms: terms)
                    + RoundingBound.error(magnitude: magnitude, terms: terms)
            }
        }
        let anyRadius = radii.values != nil
        guard let primal = VerifiedLinearSystem(matrix: matrix, radius: anyRadius ? matrixRadius : nil, rhs: rhs,
                                                rhsRadius: rhsRadius, n: k) else {
            result.verdict = .undecided
            result.reason = "the basis matrix (\(k)×\(k)) is singular or too ill-conditioned to enclose its solution"
            return result
        }
        for (s, j) in basicColumns.enumerated() {
            result.xLower[j] = (primal.x[s] - primal.error[s]).nextDown
            result.xUpper[j] = (primal.x[s] + primal.error[s]).nextUp
        }
        for j in structuralZeros(basicColumns: basicColumns, position: position, tightRows: tightRows, rhs: rhs,
                                 rhsRadius: rhsRadius) {
            result.xLower[j] = 0
            result.xUpper[j] = 0
        }
        checkPrimal(position: position)
        // The duals: Bᵀ y_T = (sense·c)_B.
        var transposed = [Double](repeating: 0, count: k * k)
        var transposedRadius = [Double](repeating: 0, count: k * k)
        for col in 0..<k {
            for row in 0..<k {
                transposed[col + row * k] = matrix[row + col * k]
                transposedRadius[col + row * k] = matrixRadius[row + col * k]
            }
        }
        let costs = basicColumns.map { sense * program.objective[$0] }
        let costRadius = basicColumns.map { objectiveRadius($0) }
        guard let dual = VerifiedLinearSystem(matrix: transposed, radius: anyRadius ? transposedRadius : nil, rhs: costs,
                                              rhsRadius: costRadius, n: k) else {
            result.verdict = .undecided
            result.reason = "the transposed basis matrix is too ill-conditioned to enclose the duals"
            return result
        }
        checkDual(tightRows: tightRows, dual: dual, position: position)
        encloseObjective()
        if rejected {
            result.verdict = .rejected
        } else if undecided {
            result.verdict = .undecided
        } else {
            result.verdict = .optimal
        }
        if result.verdict != .optimal {
            result.provesUniqueOptimum = false
            result.objectiveLower = nil
            result.objectiveUpper = nil
        }
        result.reason = reasons.isEmpty ? nil : reasons.prefix(3).joined(separator: "; ")
            + (reasons.count > 3 ? "; and \(reasons.count - 3) more" : "")
        return result
    }

    /// Basic columns that are exactly zero by the structure of B, not by arithmetic.
    ///
    /// Equilibrium LPs are degenerate by structure: a recommendation no equilibrium plays leaves
    /// its gain rows tight at 0 and some of its joint actions basic at 0, where an enclosure
    /// [−e, e] cannot decide the sign. Take the basic columns whose enclosure contains 0 and the
    /// tight rows with an exactly zero right side whose basic entries (present in the sparse
    /// row) all lie among them; in each connected component of rows and columns, equally many
    /// rows as columns make a square block Q×Z of the nonsingular B (the enclosure proved B
    /// nonsingular) with B[Q, others] = 0, so B[Q, Z] is nonsingular and B[Q, Z] x_Z = 0 forces
    /// x_Z = 0 exactly. Repeated with the columns proven zero removed (their share of every row
    /// is exactly 0), this follows a block-triangular B down its diagonal.
    private func structuralZeros(basicColumns: [Int], position: [Int], tightRows: [Int], rhs: [Double],
                                 rhsRadius: [Double]) -> [Int] {
        var candidate = [Bool](repeating: false, count: basicColumns.count)
        for (s, j) in basicColumns.enumerated() where result.xLower[j] <= 0 && 0 <= result.xUpper[j] {
            candidate[s] = true
        }
        guard candidate.contains(true) else { return [] }
        // Block-triangular: columns proven zero drop out of every row, which may leave further
        // rows supported on candidates alone; repeat until nothing changes.
        var zero = [Bool](repeating: false, count: basicColumns.count)
        var rowDone = [Bool](repeating: false, count: tightRows.count)
        while true {
            var rowsOf: [(t: Int, support: [Int])] = []
            for (t, i) in tightRows.enumerated() where !rowDone[t] && rhs[t] == 0 && rhsRadius[t] == 0 {
                var support: [Int] = []
                var inside = true
                for e in program.rowStart[i]..<program.rowStart[i + 1] where position[program.columnIndices[e]] >= 0 {
                    let s = position[program.columnIndices[e]]
                    if zero[s] { continue }
                    if !candidate[s] { inside = false; break }
                    support.append(s)
                }
                if inside && !support.isEmpty { rowsOf.append((t, support)) }
            }
            guard !rowsOf.isEmpty else { break }
            // Connected components over the columns (union–find), then count rows and columns.
            var parent = Array(0..<basicColumns.count)
            func root(_ a: Int) -> Int {
                var a = a
                while parent[a] != a { parent[a] = parent[parent[a]]; a = parent[a] }
                return a
            }
            for (_, support) in rowsOf {
                for s in support.dropFirst() { parent[root(s)] = root(support[0]) }
            }
            var rowCount: [Int: Int] = [:], columnCount: [Int: Int] = [:]
            for (_, support) in rowsOf { rowCount[root(support[0]), default: 0] += 1 }
            var used = Set<Int>()
            for (_, support) in rowsOf { used.formUnion(support) }
            for s in used { columnCount[root(s), default: 0] += 1 }
            var changed = false
            for s in used where rowCount[root(s)] == columnCount[root(s)] {
                zero[s] = true
                changed = true
            }
            for (t, support) in rowsOf where zero[support[0]] { rowDone[t] = true }
            if !changed { break }
        }
        return (0..<basicColumns.count).filter { zero[$0] }.map { basicColumns[$0] }
    }

    /// Records the outcome of a sign that must hold: proven, refuted, or undecided.
    ///
    /// The enclosure [lower, upper] must lie at or above `bound`; it is refuted when it lies
    /// wholly below `refuted` (the far end of an uncertain bound; `bound` itself when exact).
    private mutating func require(lowerAtLeast lower: Double, upper: Double, bound: Double, refuted: Double? = nil,
                                  what: @autoclosure () -> String) {
        if lower >= bound { return }
        if upper < (refuted ?? bound) {
            rejected = true
            reasons.insert("\(what()) is below its bound", at: 0)
        } else {
            undecided = true
            if reasons.count < 4 { reasons.append("\(what()) is within rounding of its bound (degenerate)") }
        }
    }

    /// Basic columns within their bounds, and the basic rows' activities within theirs.
    private mutating func checkPrimal(position: [Int]) {
        for j in 0..<program.columnCount where basis.columns[j] == .basic {
            let b = program.columnBounds[j]
            if let l = b.lower { require(lowerAtLeast: result.xLower[j], upper: result.xUpper[j], bound: l, what: "x\(j + 1)") }
            if let u = b.upper { require(lowerAtLeast: -result.xUpper[j], upper: -result.xLower[j], bound: -u, what: "x\(j + 1)") }
        }
        for i in 0..<program.rowCount where basis.rows[i] == .basic {
            var mid = 0.0, magnitude = 0.0, spread = 0.0
            var terms = 0
            for e in program.rowStart[i]..<program.rowStart[i + 1] {
                let j = program.columnIndices[e], a = program.values[e]
                let lo = result.xLower[j], hi = result.xUpper[j]
                if lo == 0 && hi == 0 { continue }
                let centre = lo / 2 + hi / 2
                let halfWidth = RoundingBound.up(max(hi - centre, centre - lo), terms: 1)
                mid += a * centre
                magnitude += abs(a * centre)
                spread += abs(a) * halfWidth + radius(ofEntry: e) * (abs(centre) + halfWidth)
                terms += 1
            }
            if terms == 0 {
                // Every column of the row is exactly zero: the activity is exactly 0.
                checkRowActivity(i, lower: 0, upper: 0)
                continue
            }
            let rad = RoundingBound.up(spread, terms: 3 * terms) + RoundingBound.error(magnitude: magnitude, terms: terms)
            checkRowActivity(i, lower: (mid - rad).nextDown, upper: (mid + rad).nextUp)
        }
    }

    private mutating func checkRowActivity(_ i: Int, lower: Double, upper: Double) {
        let b = program.rowBounds[i]
        let r = rowBoundRadius(i)
        if let l = b.lower {
            require(lowerAtLeast: lower, upper: upper, bound: r == 0 ? l : (l + r).nextUp,
                    refuted: r == 0 ? l : (l - r).nextDown, what: "row \(i + 1)'s activity")
        }
        if let u = b.upper {
            require(lowerAtLeast: -upper, upper: -lower, bound: r == 0 ? -u : (-u + r).nextUp,
                    refuted: r == 0 ? -u : (-u - r).nextDown, what: "row \(i + 1)'s activity")
        }
    }

    /// The multipliers of the tight rows and the reduced costs of the nonbasic columns have the
    /// signs their bounds require (maximisation form); strict signs prove uniqueness.
    private mutating func checkDual(tightRows: [Int], dual: VerifiedLinearSystem, position: [Int]) {
        var strict = true
        var costMid = (0..<program.columnCount).map { sense * program.objective[$0] }
        var costMagnitude = costMid.map { abs($0) }
        var costSpread = (0..<program.columnCount).map { objectiveRadius($0) }
        var terms = [Int](repeating: 1, count: program.columnCount)
        for (t, i) in tightRows.enumerated() {
            let y = dual.x[t], err = dual.error[t]
            let lo = (y - err).nextDown, hi = (y + err).nextUp
            // GLPK's row dual in the problem's own sense.
            result.rowDualLower[i] = sense > 0 ? lo : -hi
            result.rowDualUpper[i] = sense > 0 ? hi : -lo
            if !requireSign(of: basis.rows[i], lower: lo, upper: hi, what: "the multiplier of row \(i + 1)") {
                strict = false
            }
            if y == 0 && err == 0 { continue }
            for e in program.rowStart[i]..<program.rowStart[i + 1] {
                let j = program.columnIndices[e]
                guard position[j] < 0 else { continue }
                let a = program.values[e]
                costMid[j] -= y * a
                costMagnitude[j] += abs(y * a)
                costSpread[j] += abs(a) * err + radius(ofEntry: e) * (abs(y) + err)
                terms[j] += 1
            }
        }
        for j in 0..<program.columnCount where position[j] < 0 {
            let rad = RoundingBound.up(costSpread[j], terms: 3 * terms[j])
                + RoundingBound.error(magnitude: costMagnitude[j], terms: terms[j])
            let lo = (costMid[j] - rad).nextDown, hi = (costMid[j] + rad).nextUp
            if !requireSign(of: basis.columns[j], lower: lo, upper: hi, what: "the reduced cost of column \(j + 1)") {
                strict = false
            }
        }
        result.provesUniqueOptimum = strict
    }

    /// The sign a nonbasic variable's multiplier (or reduced cost) needs, in the maximisation
    /// form: ≥ 0 at an upper bound, ≤ 0 at a lower one, 0 when free, any when fixed. Returns
    /// whether the sign is proven strict (fixed variables count as strict: they cannot move).
    private mutating func requireSign(of status: BasisStatus, lower lo: Double, upper hi: Double,
                                      what: @autoclosure () -> String) -> Bool {
        switch status {
        case .atUpper:
            require(lowerAtLeast: lo, upper: hi, bound: 0, what: what())
            return lo > 0
        case .atLower:
            require(lowerAtLeast: -hi, upper: -lo, bound: 0, what: what())
            return hi < 0
        case .free:
            if !(lo == 0 && hi == 0) {
                undecided = true
                reasons.append("\(what()) of a free variable is not proven zero")
            }
            return false
        case .fixed, .basic:
            return true
        }
    }

    /// c·x over the enclosure of x.
    private mutating func encloseObjective() {
        var mid = 0.0, magnitude = 0.0, spread = 0.0
        var terms = 0
        for j in 0..<program.columnCount {
            let lo = result.xLower[j], hi = result.xUpper[j]
            if lo == 0 && hi == 0 { continue }
            let c = program.objective[j]
            let centre = lo / 2 + hi / 2
            let halfWidth = RoundingBound.up(max(hi - centre, centre - lo), terms: 1)
            mid += c * centre
            magnitude += abs(c * centre)
            spread += abs(c) * halfWidth + objectiveRadius(j) * (abs(centre) + halfWidth)
            terms += 1
        }
        let rad = RoundingBound.up(spread, terms: 3 * max(terms, 1)) + RoundingBound.error(magnitude: magnitude, terms: terms)
        result.objectiveLower = (mid - rad).nextDown
        result.objectiveUpper = (mid + rad).nextUp
    }
}

extension LinearProgram where Scalar == Double {
    /// A rigorous upper bound on max g·x over this program's feasible set, for every program
    /// within `radii` of it, by weak duality over a box (after Neumaier and Shcherbina): for any
    /// row multipliers y, g·x = yᵀ(Ax) + (g − Aᵀy)·x ≤ Σ_i y_i·(the bound of row i on y_i's side)
    /// + Σ_j max over x_j in its box of (g − Aᵀy)_j x_j. Any y gives a true bound; GLPK's optimal
    /// duals give a tight one, without any sign or degeneracy to decide.
    ///
    /// - Parameters:
    ///   - objective: g, sparse (column, coefficient), exact.
    ///   - rowDuals: y in GLPK's convention for a maximisation (∂ objective / ∂ row bound: ≥ 0
    ///     pushes on an upper bound, ≤ 0 on a lower one); a multiplier on a side the row lacks is
    ///     taken as 0.
    ///   - box: finite bounds every feasible x satisfies, per column (the column's own where
    ///     finite, or implied ones such as σ ≤ 1 from Σσ = 1).
    /// - Returns: the bound, or `nil` when a box end is missing where the bound needs it or
    ///   the arithmetic overflows.
    public func rigorousUpperBound(objective: [(Int, Double)], rowDuals y: [Double], radii: LPDataRadii = .exact,
                                   box: [(lower: Double, upper: Double)]) -> Double? {
        guard y.count == rowCount, box.count == columnCount else { return nil }
        // r = g − Aᵀy as intervals.
        var low = [Double](repeating: 0, count: columnCount), high = low
        for (j, g) in objective { low[j] += g; high[j] += g }
        var bound = 0.0
        for i in 0..<rowCount {
            var m = y[i]
            let b = rowBounds[i]
            if m > 0, b.upper == nil { m = 0 }
            if m < 0, b.lower == nil { m = 0 }
            guard m != 0, m.isFinite else { continue }
            let side = m > 0 ? b.upper! : b.lower!
            let sideRadius = radii.rowBounds?[i] ?? 0
            // m·b, with b within its radius: the larger end.
            bound = (bound + max(m * (side - sideRadius).nextDown, m * (side + sideRadius).nextUp).nextUp).nextUp
            for k in rowStart[i]..<rowStart[i + 1] {
                let j = columnIndices[k]
                let r = radii.values?[k] ?? 0
                let a0 = (values[k] - r).nextDown, a1 = (values[k] + r).nextUp
                let p0 = m * a0, p1 = m * a1
                // r_j −= m·a over a ∈ [a0, a1]; one more ulp each way covers a product's underflow.
                low[j] = (low[j] - max(p0, p1).nextUp).nextDown.nextDown
                high[j] = (high[j] - min(p0, p1).nextDown).nextUp.nextUp
            }
        }
        for j in 0..<columnCount where !(low[j] == 0 && high[j] == 0) {
            let (l, u) = box[j]
            guard l.isFinite, u.isFinite else { return nil }
            let candidates = [low[j] * l, low[j] * u, high[j] * l, high[j] * u]
            guard let top = candidates.max(), top.isFinite else { return nil }
            bound = (bound + top.nextUp).nextUp
        }
        return bound.isFinite ? bound : nil
    }
}
