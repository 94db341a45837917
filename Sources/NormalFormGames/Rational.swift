public import BigInt

/// An exact rational number in lowest terms with a positive denominator.
///
/// Small values (numerator and denominator fitting in `Int64`) are stored inline and
/// computed with overflow checks; anything larger moves to `BigInt` transparently. The
/// value semantics are the same either way: two equal rationals compare equal and hash
/// alike whichever storage they use.
///
/// Written here rather than taken from a package because no well-kept Swift package offers
/// exact rationals over big integers; `BigInt` supplies the integer arithmetic.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    @usableFromInline
    enum Storage: Sendable, Hashable {
        /// numerator, denominator > 0, gcd = 1
        case small(Int64, Int64)
        /// numerator, denominator > 0, gcd = 1, not representable as `.small`
        case big(BigInt, BigInt)
    }

    @usableFromInline
    var storage: Storage

    @inlinable
    init(storage: Storage) { self.storage = storage }

    public static let zero = Rational(storage: .small(0, 1))
    public static let one = Rational(storage: .small(1, 1))

    /// The integer `value`.
    public init(_ value: Int) {
        // Int64.min has no positive counterpart in Int64, so it lives in BigInt storage.
        if value == Int.min { self = Rational.normalized(BigInt(value), 1); return }
        storage = .small(Int64(value), 1)
    }

    /// The integer `value`.
    public init(_ value: BigInt) {
        self = Rational.normalized(value, 1)
    }

    /// `numerator / denominator`, reduced to lowest terms.
    /// - Precondition: `denominator != 0`.
    public init(_ numerator: Int, _ denominator: Int) {
        precondition(denominator != 0, "rational with zero denominator")
        self = Rational.normalized(BigInt(numerator), BigInt(denominator))
    }

    /// `numerator / denominator`, reduced to lowest terms.
    /// - Precondition: `denominator != 0`.
    public init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "rational with zero denominator")
        self = Rational.normalized(numerator, denominator)
    }

    /// The exact value of a finite double (every finite double is a dyadic rational).
    /// - Precondition: `value.isFinite`.
    public init(_ value: Double) {
        precondition(value.isFinite, "cannot convert \(value) to a rational")
        if value == 0 { self = .zero; return }
        if value == value.rounded(), abs(value) < 9.0e18 {  // |value| < 2^63, so never Int64.min
            storage = .small(Int64(value), 1)
            return
        }
        if let inline = Rational.inlineDyadic(value) { self = inline; return }
        // value = significand * 2^exponent with an integral significand of 53 bits.
        let exponent = Int(value.exponent) - Double.significandBitCount
        let significand = BigInt(value.significandBitPattern | (value.isNormal ? (1 << 52) : 0))
        let signed = value < 0 ? -significand : significand
        if exponent >= 0 {
            self = Rational.normalized(signed << exponent, 1)
        } else {
            // Subnormals have exponent fixed at -1022 for the significand without the hidden bit.
            let shift = value.isNormal ? -exponent : 1074
            self = Rational.normalized(signed, BigInt(1) << shift)
        }
    }

    /// A finite non-zero double that is not an integer, as an inline m / 2^k (m odd, so in lowest
    /// terms) when 2^k fits in `Int64`: no big integers and no gcd. `nil` otherwise.
    @inline(__always)
    static func inlineDyadic(_ value: Double) -> Rational? {
        let bits = Int64(value.significandBitPattern | (value.isNormal ? (1 << 52) : 0))
        guard bits != 0 else { return nil }
        let tz = bits.trailingZeroBitCount
        let k = 52 - (value.isNormal ? Int(value.exponent) : -1022) - tz  // value = (bits >> tz) / 2^k
        guard k > 0, k <= 62 else { return nil }
        let m = bits >> Int64(tz)
        return Rational(storage: .small(value < 0 ? -m : m, Int64(1) << Int64(k)))
    }

    /// A value already in lowest terms with a positive denominator, stored as such without a
    /// gcd: for exact backends that reduce in their own arithmetic.
    /// `denominator > 0` and lowest terms are the caller's promise (asserted in debug builds).
    package init(lowestTerms numerator: BigInt, _ denominator: BigInt) {
        assert(denominator.sign == .plus && !denominator.isZero, "denominator must be positive")
        if numerator.isZero { self = .zero; return }
        if let sn = Int64(exactly: numerator), let sd = Int64(exactly: denominator), sn != Int64.min {
            storage = .small(sn, sd)
        } else {
            storage = .big(numerator, denominator)
        }
    }

    /// `numerator / denominator` already in lowest terms, `denominator > 0`, `numerator != Int64.min`.
    package init(lowestTerms numerator: Int64, _ denominator: Int64) {
        assert(denominator > 0 && numerator != Int64.min, "not an inline rational")
        storage = numerator == 0 ? .small(0, 1) : .small(numerator, denominator)
    }

    /// Numerator and denominator when the value is stored inline (both fit in `Int64`), without
    /// building big integers; `nil` otherwise.
    package var inlineParts: (numerator: Int64, denominator: Int64)? {
        if case .small(let n, let d) = storage { return (n, d) }
        return nil
    }

    /// The numerator (carries the sign).
    public var numerator: BigInt {
        switch storage {
        case .small(let n, _): return BigInt(n)
        case .big(let n, _): return n
        }
    }

    /// The denominator (always positive).
    public var denominator: BigInt {
        switch storage {
        case .small(_, let d): return BigInt(d)
        case .big(_, let d): return d
        }
    }

    public var isZero: Bool {
        if case .small(let n, _) = storage { return n == 0 }
        return false
    }

    /// -1, 0 or 1.
    public var signum: Int {
        switch storage {
        case .small(let n, _): return n == 0 ? 0 : (n < 0 ? -1 : 1)
        case .big(let n, _): return n.sign == .minus ? -1 : 1
        }
    }

    public var isInteger: Bool {
        switch storage {
        case .small(_, let d): return d == 1
        case .big(_, let d): return d == 1
        }
    }

    @usableFromInline
    static func normalized(_ numerator: BigInt, _ denominator: BigInt) -> Rational {
        var n = numerator
        var d = denominator
        if d.sign == .minus { n = -n; d = -d }
        if n.isZero { return .zero }
        let g = BigInt(n.magnitude.greatestCommonDivisor(with: d.magnitude))
        if g != 1 { n /= g; d /= g }
        if let sn = Int64(exactly: n), let sd = Int64(exactly: d), sn != Int64.min {
            return Rational(storage: .small(sn, sd))
        }
        return Rational(storage: .big(n, d))
    }

    @inlinable
    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var x = a.magnitude, y = b.magnitude
        while y != 0 { (x, y) = (y, x % y) }
        return Int64(x)
    }

    // MARK: Arithmetic

    public static func + (lhs: Rational, rhs: Rational) -> Rational {
        if case .small(let a, let b) = lhs.storage, case .small(let c, let d) = rhs.storage {
            if b == 1 && d == 1 {
                let (s, o) = a.addingReportingOverflow(c)
                if !o && s != Int64.min { return Rational(storage: .small(s, 1)) }
            } else if b & (b - 1) == 0 && d & (d - 1) == 0 {
                // Dyadic (every double is): over the larger power of two, reduced by shifts.
                let D = max(b, d)
                let (ad, o1) = a.multipliedReportingOverflow(by: D / b)
                let (cb, o2) = c.multipliedReportingOverflow(by: D / d)
                if !o1 && !o2 {
                    let (s, o3) = ad.addingReportingOverflow(cb)
                    if !o3 && s != Int64.min {
                        if s == 0 { return .zero }
                        let tz = min(s.trailingZeroBitCount, D.trailingZeroBitCount)
                        return Rational(storage: .small(s >> Int64(tz), D >> Int64(tz)))
                    }
                }
            } else {
                let (ad, o1) = a.multipliedReportingOverflow(by: d)
                let (cb, o2) = c.multipliedReportingOverflow(by: b)
                let (bd, o3) = b.multipliedReportingOverflow(by: d)
                if !o1 && !o2 && !o3 {
                    let (s, o4) = ad.addingReportingOverflow(cb)
                    if !o4 && s != Int64.min {
                        if s == 0 { return .zero }
                        let g = gcd(s, bd)
                        return Rational(storage: .small(s / g, bd / g))
                    }
                }
            }
        }
        return normalized(lhs.numerator * rhs.denominator + rhs.numerator * lhs.denominator,
                          lhs.denominator * rhs.denominator)
    }

    public static prefix func - (value: Rational) -> Rational {
        switch value.storage {
        case .small(let n, let d): return Rational(storage: .small(-n, d))
        case .big(let n, let d): return normalized(-n, d)
        }
    }

    public static func - (lhs: Rational, rhs: Rational) -> Rational { lhs + (-rhs) }

    public static func * (lhs: Rational, rhs: Rational) -> Rational {
        if case .small(let a, let b) = lhs.storage, case .small(let c, let d) = rhs.storage {
            if a == 0 || c == 0 { return .zero }
            // Cross-reduce first so the products stay small.
            let g1 = gcd(a, d), g2 = gcd(c, b)
            let (n, o1) = (a / g1).multipliedReportingOverflow(by: c / g2)
            let (m, o2) = (b / g2).multipliedReportingOverflow(by: d / g1)
            if !o1 && !o2 && n != Int64.min { return Rational(storage: .small(n, m)) }
        }
        return normalized(lhs.numerator * rhs.numerator, lhs.denominator * rhs.denominator)
    }

    /// - Precondition: `rhs` is not zero.
    public static func / (lhs: Rational, rhs: Rational) -> Rational {
        precondition(!rhs.isZero, "rational division by zero")
        return lhs * rhs.reciprocal
    }

    /// - Precondition: `self` is not zero.
    public var reciprocal: Rational {
        switch storage {
        case .small(let n, let d):
            precondition(n != 0, "reciprocal of zero")
            return Rational(storage: .small(n < 0 ? -d : d, n < 0 ? -n : n))
        case .big(let n, let d):
            return Rational.normalized(d, n)
        }
    }

    public static func += (lhs: inout Rational, rhs: Rational) { lhs = lhs + rhs }
    public static func -= (lhs: inout Rational, rhs: Rational) { lhs = lhs - rhs }
    public static func *= (lhs: inout Rational, rhs: Rational) { lhs = lhs * rhs }

    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        if case .small(let a, let b) = lhs.storage, case .small(let c, let d) = rhs.storage {
            let (ad, o1) = a.multipliedReportingOverflow(by: d)
            let (cb, o2) = c.multipliedReportingOverflow(by: b)
            if !o1 && !o2 { return ad < cb }
        }
        return lhs.numerator * rhs.denominator < rhs.numerator * lhs.denominator
    }

    public var magnitude: Rational { signum < 0 ? -self : self }

    // MARK: Conversion

    /// The tightest doubles below and above the value: both the value itself when it is a double,
    /// else its neighbours (±infinity beyond the range).
    public var enclosingDoubles: (lower: Double, upper: Double) {
        let d = doubleValue
        guard d.isFinite else { return d > 0 ? (.greatestFiniteMagnitude, .infinity) : (-.infinity, -.greatestFiniteMagnitude) }
        let exact = Rational(d)
        if exact == self { return (d, d) }
        return exact < self ? (d, d.nextUp) : (d.nextDown, d)
    }

    /// The nearest double (round to nearest, ties to even), or ±infinity beyond the range.
    public var doubleValue: Double {
        switch storage {
        case .small(let n, let d):
            if n.magnitude <= 1 << 53 && d <= 1 << 53 { return Double(n) / Double(d) }
        case .big: break
        }
        let n = numerator, d = denominator
        if n.isZero { return 0 }
        let negative = n.sign == .minus
        let a = n.magnitude, b = d.magnitude
        // Scale so the integer quotient has at least 65 significant bits, keep a sticky bit.
        let shift = 65 - (a.bitWidth - b.bitWidth)
        let scaledA = shift > 0 ? a << shift : a
        let scaledB = shift < 0 ? b << -shift : b
        var (q, r) = scaledA.quotientAndRemainder(dividingBy: scaledB)
        // Reduce q to 64 bits, folding dropped bits into the sticky bit.
        var extra = q.bitWidth - 64
        var sticky = !r.isZero
        if extra > 0 {
            let dropped = q & ((BigUInt(1) << extra) - 1)
            if !dropped.isZero { sticky = true }
            q >>= extra
        } else {
            extra = 0
        }
        var top = UInt64(q)
        if sticky { top |= 1 }
        // value ≈ top · 2^exponent with top in [2^63, 2^64).
        let exponent = extra - shift
        if exponent + 63 >= -1022 {
            // Normal (or overflowing) result: Double(UInt64) rounds to nearest even with the sticky
            // bit below the rounding bit, and scaling by a power of two is exact.
            let value = Double(sign: .plus, exponent: exponent, significand: Double(top))
            return negative ? -value : value
        }
        // Subnormal result: round |n/d| · 2^1074 to an integer (ties to even) and scale back;
        // the integer is below 2^52, so the final scaling is exact.
        let (units, remainder) = (a << 1074).quotientAndRemainder(dividingBy: b)
        var rounded = units
        let twice = remainder << 1
        if twice > b || (twice == b && units & 1 == 1) { rounded += 1 }
        let value = Double(sign: .plus, exponent: -1074, significand: Double(UInt64(rounded)))
        return negative ? -value : value
    }

    public var description: String {
        switch storage {
        case .small(let n, let d): return d == 1 ? "\(n)" : "\(n)/\(d)"
        case .big(let n, let d): return d == 1 ? "\(n)" : "\(n)/\(d)"
        }
    }

    /// Parses `"p/q"`, an integer, or exact decimal text (`"1.1"` is 11/10, `"-2.5e-3"`,
    /// `".5"`, `"5."`). Returns `nil` for anything else, including `NaN` and `inf`.
    public init?(exactly text: Substring) {
        let s = text
        guard !s.isEmpty else { return nil }
        if let slash = s.firstIndex(of: "/") {
            guard let p = Rational.parseInteger(s[s.startIndex..<slash]),
                  let q = Rational.parseInteger(s[s.index(after: slash)...], allowSign: false),
                  !q.isZero else { return nil }
            self = Rational.normalized(p, q)
            return
        }
        var index = s.startIndex
        var negative = false
        if s[index] == "-" || s[index] == "+" {
            negative = s[index] == "-"
            index = s.index(after: index)
        }
        var digits = ""
        var fractionDigits = 0
        var sawDigit = false
        var sawPoint = false
        while index < s.endIndex, s[index] != "e" && s[index] != "E" {
            let c = s[index]
            if c == "." {
                if sawPoint { return nil }
                sawPoint = true
            } else if c.isASCII, c.isNumber {
                digits.append(c)
                sawDigit = true
                if sawPoint { fractionDigits += 1 }
            } else {
                return nil
            }
            index = s.index(after: index)
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if index < s.endIndex {
            let expText = s[s.index(after: index)...]
            guard let e = Rational.parseInteger(expText), let small = Int(exactly: e),
                  abs(small) <= 100_000 else { return nil }
            exponent = small
        }
        guard var n = BigInt(digits) else { return nil }
        if negative { n = -n }
        let power = exponent - fractionDigits
        if power >= 0 {
            self = Rational.normalized(n * BigInt(10).power(power), 1)
        } else {
            self = Rational.normalized(n, BigInt(10).power(-power))
        }
    }

    public init?(exactly text: String) { self.init(exactly: Substring(text)) }

    private static func parseInteger(_ s: Substring, allowSign: Bool = true) -> BigInt? {
        var body = s
        var negative = false
        if allowSign, let first = body.first, first == "-" || first == "+" {
            negative = first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = BigInt(String(body)) else { return nil }
        return negative ? -value : value
    }
}

extension Rational: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension Rational {
    /// a − b of two finite doubles, exactly, without a gcd: both are integers times powers of
    /// two, so the difference is N·2^e with N made odd by removing its trailing zeros, which is
    /// in lowest terms. Exact gains of double-valued games are formed this way (a general
    /// rational subtraction of two doubles needs big integers and a gcd every time).
    public static func exactDifference(_ a: Double, _ b: Double) -> Rational {
        precondition(a.isFinite && b.isFinite, "exactDifference needs finite doubles")
        if a == b { return .zero }
        func parts(_ x: Double) -> (m: Int64, e: Int)? {
            guard x != 0 else { return nil }
            let bits = Int64(x.significandBitPattern | (x.isNormal ? (1 << 52) : 0))
            var e = (x.isNormal ? Int(x.exponent) : -1022) - 52
            var m = bits
            let tz = m.trailingZeroBitCount
            m >>= tz
            e += tz
            return (x < 0 ? -m : m, e)
        }
        let pa = parts(a), pb = parts(b)
        let e0 = min(pa?.e ?? Int.max, pb?.e ?? Int.max)
        var n: BigInt
        // Fast path: both aligned significands fit in 62 bits.
        let shiftA = pa.map { $0.e - e0 } ?? 0, shiftB = pb.map { $0.e - e0 } ?? 0
        if shiftA <= 9, shiftB <= 9 {
            let na = (pa?.m ?? 0) << Int64(shiftA), nb = (pb?.m ?? 0) << Int64(shiftB)
            var small = na - nb  // |na|, |nb| < 2^62
            if small == 0 { return .zero }
            if e0 < 0, e0 >= -62 {
                // Inline: small / 2^−e0, with small's factors of two cancelled against 2^−e0.
                let tz = min(small.magnitude.trailingZeroBitCount, -e0)
                small >>= Int64(tz)
                return Rational(storage: .small(small, Int64(1) << Int64(-e0 - tz)))
            }
            n = BigInt(small)
        } else {
            n = (pa.map { BigInt($0.m) << shiftA } ?? 0) - (pb.map { BigInt($0.m) << shiftB } ?? 0)
        }
        if n.isZero { return .zero }
        let tz = n.trailingZeroBitCount
        n >>= tz
        let e = e0 + tz
        if e >= 0 { return Rational(lowestTerms: n << e, BigInt(1)) }
        return Rational(lowestTerms: n, BigInt(1) << (-e))
    }

    /// self · 2^k, exactly, by shifts (no gcd).
    public func timesPowerOfTwo(_ k: Int) -> Rational {
        if k == 0 || isZero { return self }
        if case .small(let n, let d) = storage, abs(k) < 64 {
            // Inline when the result still fits: shift the factors of two out of the other side first.
            if k > 0 {
                let shift = min(k, d.trailingZeroBitCount), rest = k - shift
                if rest < n.magnitude.leadingZeroBitCount - 1 {
                    return Rational(storage: .small(n << Int64(rest), d >> Int64(shift)))
                }
            } else {
                let shift = min(-k, n.magnitude.trailingZeroBitCount), rest = -k - shift
                if rest < d.leadingZeroBitCount - 1 {
                    return Rational(storage: .small(n >> Int64(shift), d << Int64(rest)))
                }
            }
        }
        var n = numerator, d = denominator
        if k > 0 {
            let shift = min(k, d.trailingZeroBitCount)
            d >>= shift
            n <<= (k - shift)
        } else {
            let shift = min(-k, n.magnitude.trailingZeroBitCount)
            n >>= shift
            d <<= (-k - shift)
        }
        return Rational(lowestTerms: n, d)
    }
}
