internal import CGMP
import NormalFormGames

/// Rows of a program, each scaled to integers by D_i, the least common multiple of its entries'
/// denominators: N_ij = a_ij · D_i. (A double is m · 2^e, so for double data D_i is one power of
/// two and N_i the significands aligned.)
final class IntegerRows {
    /// The program's row indices, in order.
    let rows: [Int]
    /// `start[t]..<start[t + 1]` indexes row t's entries in ``columns`` and ``values``.
    let start: [Int]
    let columns: [Int]
    /// N_tj.
    let values: IntegerBlock
    /// D_t.
    let scales: IntegerBlock

    init(_ program: LinearProgram<Rational>, rows: [Int]) {
        self.rows = rows
        var start = [0]
        var columns: [Int] = []
        for i in rows {
            columns.append(contentsOf: program.columnIndices[program.rowStart[i]..<program.rowStart[i + 1]])
            start.append(columns.count)
        }
        self.start = start
        self.columns = columns
        values = IntegerBlock(columns.count)
        scales = IntegerBlock(rows.count)
        let scratch = IntegerBlock(1)
        for (t, i) in rows.enumerated() {
            let entries = program.values[program.rowStart[i]..<program.rowStart[i + 1]]
            commonDenominator(entries, into: scales[t], scratch: scratch[0])
            for (offset, a) in entries.enumerated() { setScaled(values[start[t] + offset], a, by: scales[t], scratch: scratch[0]) }
        }
    }
}

/// A point in integers over one positive denominator: x_j = X_j / Δ, Δ stored after the
/// columns.
struct IntegerPoint {
    let values: IntegerBlock
    let columns: Int
    var denominator: MPZ { values[columns] }
    subscript(j: Int) -> MPZ { values[j] }

    init(columns: Int) {
        self.columns = columns
        values = IntegerBlock(columns + 1)
        __gmpz_set_si(values[columns], 1)
    }
}

/// Row multipliers in integers: y_i = D_i · Z_t / F for the rows listed (``IntegerRows``), zero
/// for every other row, so that y_i a_ij = Z_t N_tj / F.
struct IntegerMultipliers {
    let rows: IntegerRows
    /// Z_t, then F > 0.
    let weights: IntegerBlock
    var denominator: MPZ { weights[rows.rows.count] }
}

/// The activities A x and reduced costs c − Aᵀy in integers: r_i = T_i / L_i, d_j = P_j / E.
struct IntegerResiduals {
    let activityNumerators: IntegerBlock
    let activityDenominators: IntegerBlock
    let reducedCostNumerators: IntegerBlock
    /// E, then γ (the objective's common denominator).
    let reducedCostDenominator: IntegerBlock
}

extension LinearProgram where Scalar == Rational {
    /// x as integers over the least common multiple of its denominators.
    func integerPoint(_ x: [Rational]) -> IntegerPoint {
        let point = IntegerPoint(columns: columnCount)
        let scratch = IntegerBlock(1)
        commonDenominator(x, into: point.denominator, scratch: scratch[0])
        for j in 0..<columnCount where !x[j].isZero { setScaled(point[j], x[j], by: point.denominator, scratch: scratch[0]) }
        return point
    }

    /// y as integer multipliers: F = lcm over the non-zero y_i of den(y_i) · D_i.
    func integerMultipliers(_ y: [Rational]) -> IntegerMultipliers {
        let rows = IntegerRows(self, rows: (0..<rowCount).filter { !y[$0].isZero })
        let count = rows.rows.count
        let weights = IntegerBlock(count + 1)
        let f = weights[count]
        let scratch = IntegerBlock(2)
        let product = scratch[0], part = scratch[1]
        __gmpz_set_si(f, 1)
        for (t, i) in rows.rows.enumerated() {
            setRational(part, product, y[i])
            __gmpz_mul(product, product, rows.scales[t])
            __gmpz_lcm(f, f, product)
        }
        for (t, i) in rows.rows.enumerated() {
            setRational(part, product, y[i])
            __gmpz_mul(product, product, rows.scales[t])
            __gmpz_divexact(weights[t], f, product)
            __gmpz_mul(weights[t], weights[t], part)
        }
        return IntegerMultipliers(rows: rows, weights: weights)
    }

    /// r_i = T_i / L_i with L_i = Δ · (the lcm of the denominators of row i's entries on the
    /// support of x): only entries where x_j ≠ 0 are read.
    func integerActivities(_ point: IntegerPoint) -> (numerators: IntegerBlock, denominators: IntegerBlock) {
        let numerators = IntegerBlock(rowCount), denominators = IntegerBlock(rowCount)
        let scratch = IntegerBlock(2)
        let term = scratch[0], spare = scratch[1]
        for i in 0..<rowCount {
            let entries = (rowStart[i]..<rowStart[i + 1]).filter { sign(point[columnIndices[$0]]) != 0 }
            let l = denominators[i]
            commonDenominator(entries.lazy.map { self.values[$0] }, into: l, scratch: spare)
            for k in entries {
                setScaled(term, values[k], by: l, scratch: spare)
                __gmpz_addmul(numerators[i], term, point[columnIndices[k]])
            }
            __gmpz_mul(l, l, point.denominator)
        }
        return (numerators, denominators)
    }

    /// d_j = c_j − Σ_t Z_t N_tj / F = (C_j F − γ Σ_t Z_t N_tj) / (γ F), C = γ c.
    func integerReducedCosts(_ multipliers: IntegerMultipliers) -> (numerators: IntegerBlock, denominator: IntegerBlock) {
        let n = columnCount
        let sums = IntegerBlock(n)
        let rows = multipliers.rows
        for t in 0..<rows.rows.count where sign(multipliers.weights[t]) != 0 {
            for e in rows.start[t]..<rows.start[t + 1] {
                __gmpz_addmul(sums[rows.columns[e]], multipliers.weights[t], rows.values[e])
            }
        }
        let denominator = IntegerBlock(2)
        let e = denominator[0], gamma = denominator[1]
        let scratch = IntegerBlock(2)
        let c = scratch[0], spare = scratch[1]
        commonDenominator(objective, into: gamma, scratch: spare)
        for j in 0..<n {
            __gmpz_mul(sums[j], sums[j], gamma)
            if objective[j].isZero {
                __gmpz_neg(sums[j], sums[j])
            } else {
                setScaled(c, objective[j], by: gamma, scratch: spare)
                __gmpz_mul(c, c, multipliers.denominator)
                __gmpz_sub(sums[j], c, sums[j])
            }
        }
        __gmpz_mul(e, gamma, multipliers.denominator)
        return (sums, denominator)
    }

    /// The certificate of ``certify(x:rowDuals:)`` computed in integers, with the activities and
    /// reduced costs it used.
    func integerCertificate(_ point: IntegerPoint, _ multipliers: IntegerMultipliers)
        -> (certificate: LPCertificate, residuals: IntegerResiduals)
    {
        let n = columnCount
        let (activityNumerators, activityDenominators) = integerActivities(point)
        let (reduced, reducedDenominator) = integerReducedCosts(multipliers)
        let e = reducedDenominator[0], gamma = reducedDenominator[1]
        let scratch = IntegerBlock(4)
        let compareScratch = IntegerBlock(2)
        func within(_ a: MPZ, _ b: MPZ, _ bounds: LPBounds<Rational>) -> Bool {
            if let l = bounds.lower, compare(a, over: b, with: l, scratch: compareScratch) < 0 { return false }
            if let u = bounds.upper, compare(a, over: b, with: u, scratch: compareScratch) > 0 { return false }
            return true
        }
        let primal = (0..<n).allSatisfy { within(point[$0], point.denominator, columnBounds[$0]) }
            && (0..<rowCount).allSatisfy { within(activityNumerators[$0], activityDenominators[$0], rowBounds[$0]) }

        // The dual bound s · (Σ_j sup s·d_j x_j + Σ_i sup s·y_i r_i) (s = ±1), as a GMP rational.
        let s = direction == .maximize ? 1 : -1
        let sum = RationalAccumulator(), value = RationalAccumulator()
        let numerator = scratch[0], denominator = scratch[1]
        var finite = true
        for j in 0..<n where sign(reduced[j]) != 0 {
            let up = s * sign(reduced[j]) > 0
            guard let bound = up ? columnBounds[j].upper : columnBounds[j].lower else { finite = false; break }
            sum.add(reduced[j], over: e, times: bound)
        }
        let rows = multipliers.rows
        if finite {
            for (t, i) in rows.rows.enumerated() where sign(multipliers.weights[t]) != 0 {
                let up = s * sign(multipliers.weights[t]) > 0
                guard let bound = up ? rowBounds[i].upper : rowBounds[i].lower else { finite = false; break }
                __gmpz_mul(numerator, multipliers.weights[t], rows.scales[t])
                sum.add(numerator, over: multipliers.denominator, times: bound)
            }
        }
        // Each term is d_j·(the bound where s·d_j x_j is largest), so the sum is already s times
        // the maximisation form's bound: the dual bound of the program's own direction.
        // c·x = Σ C_j X_j / (γ Δ).
        let spare = scratch[2], c = scratch[3]
        __gmpz_set_si(numerator, 0)
        for j in 0..<n where sign(point[j]) != 0 && !objective[j].isZero {
            setScaled(c, objective[j], by: gamma, scratch: spare)
            __gmpz_addmul(numerator, c, point[j])
        }
        __gmpz_mul(denominator, gamma, point.denominator)
        value.add(numerator, over: denominator, times: .one)
        let certificate = LPCertificate(
            primalFeasible: primal, dualFeasible: finite, objectivesEqual: finite && sum.equals(value),
            dualBound: finite ? sum.rational() : nil, basis: nil)
        return (certificate, IntegerResiduals(activityNumerators: activityNumerators,
                                              activityDenominators: activityDenominators,
                                              reducedCostNumerators: reduced, reducedCostDenominator: reducedDenominator))
    }

    /// The basic solution of `basis` in integers, or `nil` when the basis is invalid (wrong
    /// count, a nonbasic variable at a missing bound, singular) or the deadline passes first.
    ///
    /// With B the basic columns and T the tight rows (nonbasic auxiliaries, at their bounds b),
    /// scaled row by row to integers N: N_TB x_B = D_T b − N_TN x_N, solved as one integer system
    /// (right-hand side cleared of the bounds' and nonbasic values' denominators κ, ν), and
    /// N_TBᵀ W = ω γ c_B for the multipliers (y_t = D_t W_t / (ω γ)).
    func integerBasicSolution(_ basis: LPBasis, deadline: ContinuousClock.Instant?, maximumDimension: Int? = nil)
        -> (point: IntegerPoint, multipliers: IntegerMultipliers)?
    {
        guard basis.columns.count == columnCount, basis.rows.count == rowCount else { return nil }
        func nonbasicValue(_ status: BasisStatus, _ b: LPBounds<Rational>) -> Rational?? {
            switch status {
            case .basic: return .some(nil)
            case .atLower, .fixed: return b.lower.map { .some($0) } ?? nil
            case .atUpper: return b.upper.map { .some($0) } ?? nil
            case .free: return .some(.zero)
            }
        }
        let n = columnCount
        var values = [Rational](repeating: .zero, count: n)
        var basicColumns: [Int] = []
        var position = [Int](repeating: -1, count: n)
        for j in 0..<n {
            guard let value = nonbasicValue(basis.columns[j], columnBounds[j]) else { return nil }
            if let value { values[j] = value } else { position[j] = basicColumns.count; basicColumns.append(j) }
        }
        var tightRows: [Int] = []
        var rowValues: [Rational] = []
        for i in 0..<rowCount {
            guard let value = nonbasicValue(basis.rows[i], rowBounds[i]) else { return nil }
            if let value { tightRows.append(i); rowValues.append(value) }
        }
        let k = basicColumns.count
        guard tightRows.count == k, k <= maximumDimension ?? k else { return nil }
        let rows = IntegerRows(self, rows: tightRows)
        let scratch = IntegerBlock(6)
        let nu = scratch[0], kappa = scratch[1], delta = scratch[2], omega = scratch[3], spare = scratch[4],
            term = scratch[5]
        commonDenominator(values.lazy.filter { !$0.isZero }, into: nu, scratch: spare)
        commonDenominator(rowValues, into: kappa, scratch: spare)
        let primal = IntegerSystem(k: k, r: 1), dual = IntegerSystem(k: k, r: 1)
        // x_N ν as integers.
        let scaledValues = IntegerBlock(n)
        for j in 0..<n where !values[j].isZero { setScaled(scaledValues[j], values[j], by: nu, scratch: spare) }
        for t in 0..<k {
            let r = primal.rhs[t]
            __gmpz_mul(term, kappa, nu)
            __gmpz_mul(term, term, rows.scales[t])
            setScaled(r, rowValues[t], by: term, scratch: spare)
            for e in rows.start[t]..<rows.start[t + 1] {
                let j = rows.columns[e]
                if position[j] >= 0 {
                    __gmpz_set(primal.matrix[t * k + position[j]], rows.values[e])
                    __gmpz_set(dual.matrix[position[j] * k + t], rows.values[e])
                } else if sign(scaledValues[j]) != 0 {
                    __gmpz_mul(term, rows.values[e], scaledValues[j])
                    __gmpz_submul(r, term, kappa)
                }
            }
        }
        let gamma = term
        commonDenominator(objective, into: gamma, scratch: spare)
        for (s, j) in basicColumns.enumerated() { setScaled(dual.rhs[s], objective[j], by: gamma, scratch: spare) }
        let xB = IntegerBlock(k), w = IntegerBlock(k)
        guard primal.solve(into: xB, den: delta, deadline: deadline),
              dual.solve(into: w, den: omega, deadline: deadline) else { return nil }
        let point = IntegerPoint(columns: n)
        // Δ = δ κ ν; x_N = (x_N ν) · δ κ / Δ.
        __gmpz_mul(spare, delta, kappa)
        __gmpz_mul(point.denominator, spare, nu)
        for j in 0..<n {
            if position[j] >= 0 {
                __gmpz_swap(point[j], xB[position[j]])
            } else if sign(scaledValues[j]) != 0 {
                __gmpz_mul(point[j], scaledValues[j], spare)
            }
        }
        let weights = IntegerBlock(k + 1)
        for t in 0..<k { __gmpz_swap(weights[t], w[t]) }
        __gmpz_mul(weights[k], omega, gamma)
        return (point, IntegerMultipliers(rows: rows, weights: weights))
    }

    /// x_j = X_j / Δ as rationals.
    func rationals(_ point: IntegerPoint) -> [Rational] {
        let scratch = IntegerBlock(3)
        return (0..<columnCount).map { rational(point[$0], point.denominator, scratch: scratch) }
    }

    /// y as rationals, one per row.
    func rationals(_ multipliers: IntegerMultipliers) -> [Rational] {
        var y = [Rational](repeating: .zero, count: rowCount)
        let scratch = IntegerBlock(3), product = IntegerBlock(1)
        for (t, i) in multipliers.rows.rows.enumerated() where sign(multipliers.weights[t]) != 0 {
            __gmpz_mul(product[0], multipliers.weights[t], multipliers.rows.scales[t])
            y[i] = rational(product[0], multipliers.denominator, scratch: scratch)
        }
        return y
    }
}

/// A GMP rational (`mpq_t`) summing terms a/b · bound.
final class RationalAccumulator {
    private let q = UnsafeMutablePointer<__mpq_struct>.allocate(capacity: 2)
    private let scratch = IntegerBlock(2)

    init() {
        __gmpq_init(q)
        __gmpq_init(q + 1)
    }

    deinit {
        __gmpq_clear(q)
        __gmpq_clear(q + 1)
        q.deallocate()
    }

    private func numerator(_ p: UnsafeMutablePointer<__mpq_struct>) -> MPZ {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: __mpz_struct.self)
    }

    /// sum += (a / b) · bound, for b > 0.
    func add(_ a: MPZ, over b: MPZ, times bound: Rational) {
        if sign(a) == 0 || bound.isZero { return }
        let term = q + 1
        let p = scratch[0], r = scratch[1]
        setRational(p, r, bound)
        __gmpz_mul(numerator(term), a, p)
        __gmpz_mul(numerator(term) + 1, b, r)
        __gmpq_canonicalize(term)
        __gmpq_add(q, q, term)
    }

    func equals(_ other: RationalAccumulator) -> Bool { __gmpq_equal(q, other.q) != 0 }

    func rational() -> Rational {
        LinearProgramming.rational(numerator(q), numerator(q) + 1, scratch: IntegerBlock(3))
    }
}
