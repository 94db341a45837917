import Foundation

/// GAMUT's ground function classes (docs/gamut.md, GAMUT's function classes), in the sorted order in which GAMUT collects a
/// group's classes before picking one uniformly. The raw value is GAMUT's class name; the index in
/// ``allCases`` is what generators record in ``GeneratedGame/parameters``.
enum GamutFunctionClass: String, Sendable, CaseIterable {
    case concaveTable = "ConcaveTableFunction"
    case decreasingWrapper = "DecreasingWrapper"
    case exponential = "ExpFunction"
    case increasingPolynomial = "IncreasingPoly"
    case increasingTable = "IncreasingTableFunction"
    case logarithm = "LogFunction"
    case polynomial = "PolyFunction"
    case table = "TableFunction"

    /// GAMUT's group `IncreasingFunction`, sorted: the base classes of ``decreasingWrapper``.
    static let increasing: [GamutFunctionClass] = [.exponential, .increasingPolynomial, .increasingTable, .logarithm]

    /// GAMUT's group `SlowlyIncreasingFunction`, sorted: Bertrand's cost classes.
    static let slowlyIncreasing: [GamutFunctionClass] = [.increasingPolynomial, .logarithm]

    /// The position in ``allCases`` (0–7), as recorded in generated games' parameters.
    var index: Int { GamutFunctionClass.allCases.firstIndex(of: self)! }

    /// Whether GAMUT's class guarantees a non-decreasing function on the domain.
    var isIncreasing: Bool { GamutFunctionClass.increasing.contains(self) }
}

/// One GAMUT function with its parameters drawn as under `-random_params` (docs/gamut.md, GAMUT's function classes), on a
/// domain [dMin, dMax] fixed before the draw.
///
/// The draws, per class (U[x, y) uniform, U{i..j} uniform integer):
/// - ExpFunction: f(x) = exp(αx) + β, α ~ U[0, 1), β ~ U[−1000, 1000).
/// - LogFunction: f(x) = α ln(x + s) + β, s = 1 − dMin if dMin ≤ 0 else 0, α ~ U[0, 10),
///   β ~ U[−1000, 1000).
/// - PolyFunction: degree d ~ U{0..10}, coefficients c_0…c_d iid U[−10, 10).
/// - IncreasingPoly: degree d ~ U{0..10}; d = 0 gives the constant U[−10, 10); otherwise a
///   derivative g of degree d − 1 with iid U[−10, 10) coefficients is lifted by −min g + U[0, 10)
///   when its minimum on the domain is ≤ 0 (the minimum is computed exactly up to rounding, see
///   ``GamutPolynomial/minimum(_:on:)``), integrated, and given a constant term U[−10, 10).
/// - TableFunction: points P ~ U{2..10000}, max M ~ U[−1000, 1000), min m ~ U[−1000, M), entries iid
///   U[m, M).
/// - IncreasingTableFunction: same P, M, m; entry 0 = m, entry P − 1 = M, interior filled by
///   recursive uniform splitting (a uniform index of an open interval gets a value uniform between
///   the interval's end values).
/// - ConcaveTableFunction: same P, M, m; an increasing derivative table d of P entries from −(M − m)
///   to M − m built the same way; the function is f_0 = 0, f_i = f_{i−1} + d_{P−i} (the derivative
///   summed in reverse order, so the slopes decrease), then rescaled affinely to min m and max M.
/// - DecreasingWrapper: a base b drawn uniformly from the four increasing classes on the same
///   domain, and `min` ~ U[−1000, 1000); f(x) = min + (b(dMax) − b(x)), so f(dMax) = min exactly.
///
/// Tables are read without interpolation: x ≤ dMin gives entry 0, x ≥ dMax entry P − 1, otherwise
/// entry ⌊P (x − dMin)/(dMax − dMin)⌋.
///
/// Drawn values of the form U[lo, hi) inside the recursive table construction are clamped to
/// [lo, hi] so that rounding can never break monotonicity.
///
/// Values are finite on the domains the generators use ([0, N] with N ≤ 100, [0, A] with A ≤ 500,
/// and [D(A)/N, 10000] for Bertrand's cost, which is only IncreasingPoly or LogFunction); an
/// ExpFunction (or a wrapper around one) overflows to infinity beyond x ≈ 709/α.
struct GamutFunction: Sendable {
    /// The class this function was drawn from.
    let functionClass: GamutFunctionClass
    /// The domain's lower end dMin.
    let domainMin: Double
    /// The domain's upper end dMax.
    let domainMax: Double
    /// The scalar parameters drawn (`alpha`, `beta`, `shift`, `degree`, `points`, `max`, `min`,
    /// `base_class` for a wrapper, …); tables and coefficient lists are in ``form``.
    let parameters: [String: Double]
    /// The drawn function itself.
    let form: Form

    /// The concrete shape of a drawn function.
    indirect enum Form: Sendable {
        /// exp(α x) + β.
        case exponential(alpha: Double, beta: Double)
        /// α ln(x + shift) + β.
        case logarithm(alpha: Double, shift: Double, beta: Double)
        /// Σ c_k x^k, coefficients from the constant term up.
        case polynomial(coefficients: [Double])
        /// A lookup table of P ≥ 2 entries over the domain.
        case table(values: [Double])
        /// min + (b(dMax) − b(x)).
        case decreasing(base: GamutFunction, minimum: Double, baseAtMax: Double)
    }

    /// A function of the given form (no drawing; for tests and fixed constructions).
    init(functionClass: GamutFunctionClass, domainMin: Double, domainMax: Double, form: Form,
                parameters: [String: Double] = [:]) {
        self.functionClass = functionClass
        self.domainMin = domainMin
        self.domainMax = domainMax
        self.form = form
        self.parameters = parameters
    }

    /// The value f(x).
    func eval(_ x: Double) -> Double {
        switch form {
        case .exponential(let alpha, let beta): return exp(alpha * x) + beta
        case .logarithm(let alpha, let shift, let beta): return alpha * log(x + shift) + beta
        case .polynomial(let coefficients): return GamutPolynomial.evaluate(coefficients, at: x)
        case .table(let values): return values[tableIndex(x, count: values.count)]
        case .decreasing(let base, let minimum, let baseAtMax): return minimum + (baseAtMax - base.eval(x))
        }
    }

    /// The polynomial's coefficients (constant term first), for the polynomial classes.
    var coefficients: [Double]? {
        if case .polynomial(let c) = form { return c }
        return nil
    }

    /// The table's entries, for the table classes.
    var tableValues: [Double]? {
        if case .table(let v) = form { return v }
        return nil
    }

    /// The wrapped increasing function, for a DecreasingWrapper.
    var base: GamutFunction? {
        if case .decreasing(let b, _, _) = form { return b }
        return nil
    }

    /// The table entry used for x (GAMUT's lookup without interpolation).
    func tableIndex(_ x: Double, count: Int) -> Int {
        guard x > domainMin else { return 0 }
        guard x < domainMax else { return count - 1 }
        let position = (Double(count) * (x - domainMin) / (domainMax - domainMin)).rounded(.down)
        guard position.isFinite else { return count - 1 }
        return min(max(Int(position), 0), count - 1)
    }

    // MARK: - Drawing

    /// Draws a function of class `functionClass` on [domainMin, domainMax] with its parameters
    /// randomised as under GAMUT's `-random_params`.
    ///
    /// - Precondition: domainMin < domainMax, both finite.
    static func random(_ functionClass: GamutFunctionClass, domainMin: Double, domainMax: Double,
                              random: inout GameRandom) -> GamutFunction {
        precondition(domainMin.isFinite && domainMax.isFinite && domainMin < domainMax,
                     "a GAMUT function needs a finite domain with dMin < dMax")
        func make(_ form: Form, _ parameters: [String: Double]) -> GamutFunction {
            GamutFunction(functionClass: functionClass, domainMin: domainMin, domainMax: domainMax,
                          form: form, parameters: parameters)
        }
        switch functionClass {
        case .exponential:
            let alpha = random.uniform(0, 1)
            let beta = random.uniform(-1000, 1000)
            return make(.exponential(alpha: alpha, beta: beta), ["alpha": alpha, "beta": beta])

        case .logarithm:
            let shift = domainMin <= 0 ? 1 - domainMin : 0
            let alpha = random.uniform(0, 10)
            let beta = random.uniform(-1000, 1000)
            return make(.logarithm(alpha: alpha, shift: shift, beta: beta), ["alpha": alpha, "beta": beta, "shift": shift])

        case .polynomial:
            let degree = random.integer(in: 0...10)
            let coefficients = (0...degree).map { _ in random.uniform(-10, 10) }
            return make(.polynomial(coefficients: coefficients), ["degree": Double(degree)])

        case .increasingPolynomial:
            let degree = random.integer(in: 0...10)
            if degree == 0 {
                let constant = random.uniform(-10, 10)
                return make(.polynomial(coefficients: [constant]), ["degree": 0, "lift": 0])
            }
            var derivative = (0..<degree).map { _ in random.uniform(-10, 10) }
            let lowest = GamutPolynomial.minimum(derivative, on: domainMin...domainMax)
            var lift = 0.0
            if lowest <= 0 {
                lift = -lowest + random.uniform(0, 10)
                derivative[0] += lift
            }
            var coefficients = [random.uniform(-10, 10)]
            for (k, c) in derivative.enumerated() { coefficients.append(c / Double(k + 1)) }
            return make(.polynomial(coefficients: coefficients), ["degree": Double(degree), "lift": lift])

        case .table, .increasingTable, .concaveTable:
            let points = random.integer(in: 2...10000)
            let maximum = random.uniform(-1000, 1000)
            let minimum = random.uniform(-1000, maximum)
            let parameters = ["points": Double(points), "max": maximum, "min": minimum]
            let values: [Double]
            switch functionClass {
            case .table:
                values = (0..<points).map { _ in random.uniform(minimum, maximum) }
            case .increasingTable:
                values = increasingTable(count: points, first: minimum, last: maximum, random: &random)
            default:
                values = concaveTable(count: points, minimum: minimum, maximum: maximum, random: &random)
            }
            return make(.table(values: values), parameters)

        case .decreasingWrapper:
            let baseIndex = random.integer(in: 0...(GamutFunctionClass.increasing.count - 1))
            let baseClass = GamutFunctionClass.increasing[baseIndex]
            let base = GamutFunction.random(baseClass, domainMin: domainMin, domainMax: domainMax, random: &random)
            let minimum = random.uniform(-1000, 1000)
            var parameters = ["base_class": Double(baseClass.index), "min": minimum]
            for (key, value) in base.parameters { parameters["base_" + key] = value }
            return make(.decreasing(base: base, minimum: minimum, baseAtMax: base.eval(domainMax)), parameters)
        }
    }

    /// A non-decreasing table of `count` ≥ 2 entries from `first` to `last` (first ≤ last), filled by
    /// GAMUT's recursive splitting: an index uniform in an open interval of unset entries gets a
    /// value uniform between the interval's end values, then both halves are filled the same way.
    /// An explicit stack replaces the recursion (the depth could reach `count`); the order in which
    /// intervals are processed does not change the distribution.
    static func increasingTable(count: Int, first: Double, last: Double, random: inout GameRandom) -> [Double] {
        var values = [Double](repeating: first, count: count)
        values[count - 1] = last
        var pending = [(0, count - 1)]
        while let (low, high) = pending.popLast() {
            guard high - low >= 2 else { continue }
            let split = random.integer(in: (low + 1)...(high - 1))
            let draw = random.uniform(values[low], values[high])
            values[split] = min(max(draw, values[low]), values[high])
            pending.append((split, high))
            pending.append((low, split))
        }
        return values
    }

    /// A concave table of `count` ≥ 2 entries with minimum `minimum` and maximum `maximum`: an
    /// increasing derivative table d from −(M − m) to M − m, summed in reverse order from 0
    /// (f_0 = 0, f_i = f_{i−1} + d_{count−i}), then mapped affinely onto [m, M].
    static func concaveTable(count: Int, minimum: Double, maximum: Double, random: inout GameRandom) -> [Double] {
        let range = maximum - minimum
        let slopes = increasingTable(count: count, first: -range, last: range, random: &random)
        var values = [Double](repeating: 0, count: count)
        for i in 1..<count { values[i] = values[i - 1] + slopes[count - i] }
        let low = values.min()!, high = values.max()!
        guard high > low else { return [Double](repeating: minimum, count: count) }
        let scale = range / (high - low)
        return values.map { minimum + ($0 - low) * scale }
    }
}

/// Real polynomials as coefficient arrays (constant term first), for IncreasingPoly.
enum GamutPolynomial {
    /// Horner evaluation.
    static func evaluate(_ coefficients: [Double], at x: Double) -> Double {
        var value = 0.0
        for c in coefficients.reversed() { value = value * x + c }
        return value
    }

    /// The derivative's coefficients.
    static func derivative(_ coefficients: [Double]) -> [Double] {
        guard coefficients.count > 1 else { return [] }
        return (1..<coefficients.count).map { Double($0) * coefficients[$0] }
    }

    /// The minimum of the polynomial on `interval`, exact up to rounding: the smallest value among
    /// the end points and the real roots of the derivative inside the interval (see
    /// ``roots(_:in:)``). As a safety net against a root lost to rounding, 65 equally spaced points
    /// are evaluated too; every candidate is a value the polynomial takes on the interval.
    ///
    /// GAMUT itself uses multi-start gradient descent with a clock-seeded generator; this replaces
    /// it with a deterministic and exact computation, as docs/gamut.md allows.
    static func minimum(_ coefficients: [Double], on interval: ClosedRange<Double>) -> Double {
        let a = interval.lowerBound, b = interval.upperBound
        var lowest = min(evaluate(coefficients, at: a), evaluate(coefficients, at: b))
        for x in roots(derivative(coefficients), in: interval) { lowest = min(lowest, evaluate(coefficients, at: x)) }
        let samples = 64
        for k in 1..<samples {
            let x = a + (b - a) * Double(k) / Double(samples)
            lowest = min(lowest, evaluate(coefficients, at: x))
        }
        return lowest
    }

    /// The real roots of the polynomial in `interval`, ascending, at which it changes sign or
    /// vanishes exactly (an identically zero polynomial has none). Recursive isolation: the roots
    /// of the derivative split the interval into pieces on which the polynomial is monotone, so
    /// each piece holds at most one sign change, found by bisection to the last representable
    /// midpoint.
    static func roots(_ coefficients: [Double], in interval: ClosedRange<Double>) -> [Double] {
        var p = coefficients
        while let last = p.last, last == 0 { p.removeLast() }
        guard p.count >= 2 else { return [] }
        let a = interval.lowerBound, b = interval.upperBound
        if p.count == 2 {
            let root = -p[0] / p[1]
            return interval.contains(root) ? [root] : []
        }
        let knots = [a] + roots(derivative(p), in: interval) + [b]
        var result: [Double] = []
        func add(_ x: Double) { if result.last != x { result.append(x) } }
        for (left, right) in zip(knots, knots.dropFirst()) where left <= right {
            let fl = evaluate(p, at: left), fr = evaluate(p, at: right)
            if fl == 0 { add(left); continue }
            if fr == 0 { continue }  // taken as the next piece's left end (or below)
            guard (fl < 0) != (fr < 0) else { continue }
            var lo = left, hi = right
            while true {
                let mid = lo + (hi - lo) / 2
                if mid <= lo || mid >= hi { break }
                let fm = evaluate(p, at: mid)
                if fm == 0 { lo = mid; hi = mid; break }
                if (fm < 0) == (fl < 0) { lo = mid } else { hi = mid }
            }
            add(abs(evaluate(p, at: lo)) <= abs(evaluate(p, at: hi)) ? lo : hi)
        }
        if evaluate(p, at: b) == 0 { add(b) }
        return result
    }
}
