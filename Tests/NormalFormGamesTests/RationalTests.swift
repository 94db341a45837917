import BigInt
import Foundation
import NormalFormGames
import Testing
import _EquilibriaTestSupport

/// A reference rational: an unreduced pair of big integers, compared by cross-multiplication.
/// Nothing here uses `Rational`'s own arithmetic, so it is an independent oracle.
struct ReferenceFraction: CustomStringConvertible {
    var n: BigInt
    var d: BigInt  // non-zero, any sign

    var description: String { "\(n)/\(d)" }

    static func + (x: Self, y: Self) -> Self { Self(n: x.n * y.d + y.n * x.d, d: x.d * y.d) }
    static func - (x: Self, y: Self) -> Self { Self(n: x.n * y.d - y.n * x.d, d: x.d * y.d) }
    static func * (x: Self, y: Self) -> Self { Self(n: x.n * y.n, d: x.d * y.d) }
    static func / (x: Self, y: Self) -> Self { Self(n: x.n * y.d, d: x.d * y.n) }

    /// -1, 0 or 1: the sign of x − y, from n·d' − n'·d and the signs of the denominators.
    static func compare(_ x: Self, _ y: Self) -> Int {
        let lhs = x.n * y.d - y.n * x.d
        let denominatorSign = (x.d.signum() * y.d.signum())
        return Int(lhs.signum()) * Int(denominatorSign)
    }
}

enum RationalOracle {
    /// `value` equals `reference` as a number (cross-multiplication).
    static func matches(_ value: Rational, _ reference: ReferenceFraction) -> Bool {
        value.numerator * reference.d == reference.n * value.denominator
    }

    /// Lowest terms with a positive denominator, zero as 0/1.
    static func isCanonical(_ value: Rational) -> Bool {
        let n = value.numerator, d = value.denominator
        guard d > 0 else { return false }
        if n.isZero { return d == 1 }
        return n.magnitude.greatestCommonDivisor(with: d.magnitude) == 1
    }

    static func randomBig(bits: Int, using rng: inout SplitMix64) -> BigInt {
        BigInt(BigUInt.randomInteger(withExactWidth: bits, using: &rng))
    }

    /// A random unreduced fraction from one of several magnitude classes: small, around the
    /// `Int64` limits, just beyond them, far beyond them, big integers, and big fractions that
    /// reduce to small ones (so that values cross storages).
    static func randomFraction(using rng: inout SplitMix64) -> ReferenceFraction {
        let sign: BigInt = Bool.random(using: &rng) ? 1 : -1
        let denominatorSign: BigInt = Int.random(in: 0..<4, using: &rng) == 0 ? -1 : 1
        switch Int.random(in: 0..<8, using: &rng) {
        case 0:
            return ReferenceFraction(n: BigInt(Int.random(in: -60...60, using: &rng)),
                                     d: denominatorSign * BigInt(Int.random(in: 1...60, using: &rng)))
        case 1:
            return ReferenceFraction(n: BigInt(Int.random(in: -(1 << 31)...(1 << 31), using: &rng)),
                                     d: denominatorSign * BigInt(Int.random(in: 1...(1 << 31), using: &rng)))
        case 2:
            // Within a few of Int64.max / Int64.min: products and sums overflow Int64.
            let n = BigInt(Int64.max) - BigInt(Int.random(in: 0...5, using: &rng))
            let d = Bool.random(using: &rng) ? BigInt(1) : BigInt(Int64.max) - BigInt(Int.random(in: 1...9, using: &rng))
            return ReferenceFraction(n: sign * n, d: denominatorSign * d)
        case 3:
            return ReferenceFraction(n: sign * randomBig(bits: Int.random(in: 60...70, using: &rng), using: &rng),
                                     d: denominatorSign * randomBig(bits: Int.random(in: 1...70, using: &rng), using: &rng))
        case 4:
            return ReferenceFraction(n: sign * randomBig(bits: Int.random(in: 90...300, using: &rng), using: &rng),
                                     d: denominatorSign * randomBig(bits: Int.random(in: 90...300, using: &rng), using: &rng))
        case 5:
            return ReferenceFraction(n: sign * randomBig(bits: Int.random(in: 64...200, using: &rng), using: &rng), d: 1)
        case 6:
            // A big common factor that cancels: the value is small.
            let k = randomBig(bits: Int.random(in: 64...160, using: &rng), using: &rng)
            return ReferenceFraction(n: k * BigInt(Int.random(in: -40...40, using: &rng)),
                                     d: denominatorSign * k * BigInt(Int.random(in: 1...40, using: &rng)))
        default:
            return ReferenceFraction(n: BigInt(Int.random(in: Int.min / 2...Int.max / 2, using: &rng)),
                                     d: denominatorSign * BigInt(Int.random(in: 1...Int.max / 2, using: &rng)))
        }
    }

    /// A random finite double from its bit pattern (all binades, subnormals, both signs).
    static func randomFiniteDouble(using rng: inout SplitMix64) -> Double {
        while true {
            let value = Double(bitPattern: rng.next())
            if value.isFinite { return value }
        }
    }

    /// The exact value of a finite double times 2^1074 (an integer for every finite double),
    /// from the IEEE 754 binary64 encoding.
    static func scaledByTwoTo1074(_ x: Double) -> BigInt {
        let e = Int(x.exponentBitPattern)
        let fraction = BigInt(x.significandBitPattern)
        let magnitude = e == 0 ? fraction : (fraction + (BigInt(1) << 52)) << (e - 1)
        return x.sign == .minus ? -magnitude : magnitude
    }
}

@Suite("Rational")
struct RationalTests {
    // MARK: Arithmetic against the BigInt cross-multiplication oracle

    /// + − × ÷, negation and reciprocal agree with unreduced big-integer fractions on random
    /// operands of every size (including Int64 overflow into big storage), and every result is
    /// in lowest terms with a positive denominator.
    @Test func arithmeticMatchesBigIntReference() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<3000 {
            let p = RationalOracle.randomFraction(using: &rng)
            let q = RationalOracle.randomFraction(using: &rng)
            let x = Rational(p.n, p.d)
            let y = Rational(q.n, q.d)
            #expect(RationalOracle.matches(x, p), "construct \(p)")
            #expect(RationalOracle.isCanonical(x), "canonical \(p)")
            let results: [(String, Rational, ReferenceFraction)] = [
                ("+", x + y, p + q), ("-", x - y, p - q), ("*", x * y, p * q),
                ("neg", -x, ReferenceFraction(n: -p.n, d: p.d)),
            ]
            for (name, value, reference) in results {
                #expect(RationalOracle.matches(value, reference), "\(p) \(name) \(q) gave \(value)")
                #expect(RationalOracle.isCanonical(value), "\(p) \(name) \(q) gave non-canonical \(value)")
            }
            if !q.n.isZero {
                let quotient = x / y
                #expect(RationalOracle.matches(quotient, p / q), "\(p) / \(q) gave \(quotient)")
                #expect(RationalOracle.isCanonical(quotient))
                let reciprocal = y.reciprocal
                #expect(RationalOracle.matches(reciprocal, ReferenceFraction(n: q.d, d: q.n)))
                #expect(RationalOracle.isCanonical(reciprocal))
            }
            var accumulator = x
            accumulator += y
            #expect(accumulator == x + y)
            accumulator -= y
            #expect(accumulator == x)
            accumulator *= y
            #expect(accumulator == x * y)
        }
    }

    /// Sums and differences of dyadic fractions m / 2^k (every double is one), inline and near
    /// the Int64 limits, agree with the oracle and stay canonical.
    @Test func dyadicSumsMatchBigIntReference() {
        var rng = SplitMix64(seed: 0x5EED_0D1A)
        for _ in 0..<3000 {
            func dyadic() -> ReferenceFraction {
                let bits = Int(rng.next() % 63)
                let magnitude = bits == 0 ? BigInt(0) : BigInt(rng.next() >> UInt64(64 - bits))
                return ReferenceFraction(n: rng.next() % 2 == 0 ? magnitude : -magnitude,
                                         d: BigInt(1) << Int(rng.next() % 63))
            }
            let p = dyadic(), q = dyadic()
            let x = Rational(p.n, p.d), y = Rational(q.n, q.d)
            for (name, value, reference) in [("+", x + y, p + q), ("-", x - y, p - q)] {
                #expect(RationalOracle.matches(value, reference), "\(p) \(name) \(q) gave \(value)")
                #expect(RationalOracle.isCanonical(value), "\(p) \(name) \(q) gave non-canonical \(value)")
            }
        }
    }

    /// Field identities on random triples: commutativity, associativity, distributivity,
    /// inverses, and (x + y) − y = x, (x · y) / y = x.
    @Test func fieldIdentities() {
        var rng = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<1000 {
            let x = { let f = RationalOracle.randomFraction(using: &rng); return Rational(f.n, f.d) }()
            let y = { let f = RationalOracle.randomFraction(using: &rng); return Rational(f.n, f.d) }()
            let z = { let f = RationalOracle.randomFraction(using: &rng); return Rational(f.n, f.d) }()
            #expect(x + y == y + x)
            #expect(x * y == y * x)
            #expect((x + y) + z == x + (y + z))
            #expect((x * y) * z == x * (y * z))
            #expect(x * (y + z) == x * y + x * z)
            #expect((x + y) - y == x)
            #expect(x - x == .zero)
            #expect((x - x).isZero)
            #expect(x + (-x) == .zero)
            #expect(-(-x) == x)
            #expect(x * .one == x)
            #expect(x + .zero == x)
            #expect((x * .zero).isZero)
            if !y.isZero {
                #expect((x * y) / y == x)
                #expect(y * y.reciprocal == .one)
                #expect(y.reciprocal.reciprocal == y)
            }
        }
    }

    /// Sign, magnitude, integrality and ordering agree with the big-integer reference, and
    /// sorting random values orders them as the reference does.
    @Test func orderingAndPredicates() {
        var rng = SplitMix64(seed: 0x5EED_0003)
        var fractions: [ReferenceFraction] = []
        for _ in 0..<2000 {
            let p = RationalOracle.randomFraction(using: &rng)
            let q = RationalOracle.randomFraction(using: &rng)
            fractions.append(p)
            let x = Rational(p.n, p.d), y = Rational(q.n, q.d)
            let c = ReferenceFraction.compare(p, q)
            #expect((x < y) == (c < 0), "\(p) < \(q)")
            #expect((x > y) == (c > 0), "\(p) > \(q)")
            #expect((x == y) == (c == 0), "\(p) == \(q)")
            #expect((x <= y) == (c <= 0))
            let sign = Int(p.n.signum() * p.d.signum())
            #expect(x.signum == sign, "signum of \(p)")
            #expect(x.isZero == p.n.isZero)
            #expect(x.magnitude == (sign < 0 ? -x : x))
            #expect(!(x.magnitude < .zero))
            #expect(x.isInteger == (p.n % p.d).isZero, "isInteger of \(p)")
        }
        let sorted = fractions.map { Rational($0.n, $0.d) }.sorted()
        for i in 1..<sorted.count {
            let a = sorted[i - 1], b = sorted[i]
            #expect(a.numerator * b.denominator <= b.numerator * a.denominator)
        }
    }

    /// Equal values are equal and hash alike whichever way they were built: reduced from a big
    /// common factor, produced by arithmetic that passed through big intermediates, or from an
    /// `Int` versus a `BigInt`.
    @Test func equalityAndHashAcrossStorages() {
        var rng = SplitMix64(seed: 0x5EED_0004)
        for _ in 0..<1000 {
            let p = RationalOracle.randomFraction(using: &rng)
            let x = Rational(p.n, p.d)
            let k = RationalOracle.randomBig(bits: Int.random(in: 1...200, using: &rng), using: &rng)
            let scaled = Rational(p.n * k, p.d * k)
            #expect(scaled == x)
            #expect(scaled.hashValue == x.hashValue)
            let big = Rational(RationalOracle.randomBig(bits: 150, using: &rng), BigInt(3))
            let roundTrip = (x + big) - big
            #expect(roundTrip == x, "(\(x) + big) - big")
            #expect(roundTrip.hashValue == x.hashValue)
            let viaProduct = (x * big) / big
            #expect(viaProduct == x)
            #expect(viaProduct.hashValue == x.hashValue)
            #expect(Set([x, scaled, roundTrip, viaProduct]).count == 1)
        }
        // Small values that came from big intermediates.
        let twoTo100 = BigInt(1) << 100
        let one = Rational(twoTo100, 3) * Rational(3, twoTo100)
        #expect(one == .one)
        #expect(one.hashValue == Rational.one.hashValue)
        #expect(one.isInteger)
        let zero = Rational(twoTo100, 7) - Rational(twoTo100, 7)
        #expect(zero == .zero)
        #expect(zero.isZero)
        #expect(zero.hashValue == Rational.zero.hashValue)
        #expect(Rational(0, 5) == .zero)
        #expect(Rational(BigInt(0), BigInt(-7)) == .zero)
        #expect(Rational(6, -4) == Rational(-3, 2))
        #expect(Rational(6, -4).denominator == 2)
    }

    /// `Rational(Int)` and `Rational(BigInt)` of the same integer are the same value, for
    /// integers across the whole `Int` range including both ends.
    @Test(arguments: [0, 1, -1, 42, -42, Int(Int32.max), Int.max, Int.max - 1, Int.min + 1, Int.min])
    func integerInitialisersAgree(_ value: Int) {
        let fromInt = Rational(value)
        let fromBig = Rational(BigInt(value))
        let fromPair = Rational(value, 1)
        #expect(fromInt == fromBig, "Rational(\(value)) != Rational(BigInt(\(value)))")
        #expect(fromInt == fromPair, "Rational(\(value)) != Rational(\(value), 1)")
        #expect(fromInt.hashValue == fromBig.hashValue, "hash of Rational(\(value))")
        #expect(fromInt.numerator == BigInt(value))
        #expect(fromInt.denominator == 1)
        #expect(fromInt.isInteger)
        #expect(fromInt.description == String(value))
    }

    /// −Int.min = 2^63 exactly: negating, taking the magnitude of, subtracting and inverting
    /// `Rational(Int.min)` must give the big-integer answers, not trap. Run in a child process
    /// so that a trap fails this test instead of ending the run.
    @Test func intMinDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            let x = Rational(Int.min)
            let twoTo63 = Rational(BigInt(1) << 63)
            precondition(-x == twoTo63)
            precondition(x.magnitude == twoTo63)
            precondition(Rational.zero - x == twoTo63)
            precondition(x.reciprocal == Rational(BigInt(-1), BigInt(1) << 63))
        }
    }

    /// Converting a non-finite double is a documented precondition failure (there is no
    /// rational NaN or infinity): it must stop the process rather than return a value.
    @Test func nonFiniteDoubleIsAPreconditionFailure() async {
        await #expect(processExitsWith: .failure) { _ = Rational(Double.nan) }
        await #expect(processExitsWith: .failure) { _ = Rational(-Double.infinity) }
    }

    // MARK: Text

    /// Exact decimal and p/q text parse to the value they denote; NaN, infinities, empty text,
    /// zero denominators and malformed text are rejected.
    @Test func parsingExactText() {
        let cases: [(String, Rational?)] = [
            ("1.1", Rational(11, 10)),
            ("-2.5e-3", Rational(-1, 400)),
            (".5", Rational(1, 2)),
            ("5.", Rational(5)),
            ("3/6", Rational(1, 2)),
            ("-3/6", Rational(-1, 2)),
            ("+1", Rational(1)),
            ("-0", .zero),
            ("0.000", .zero),
            ("1e3", Rational(1000)),
            ("1E-2", Rational(1, 100)),
            ("1e+2", Rational(100)),
            ("2.50", Rational(5, 2)),
            ("007", Rational(7)),
            ("-1.25E1", Rational(-25, 2)),
            ("123456789012345678901234567890", Rational(BigInt("123456789012345678901234567890", radix: 10)!)),
            ("1/3", Rational(1, 3)),
            ("1/0", nil),
            ("0/0", nil),
            ("nan", nil),
            ("NaN", nil),
            ("inf", nil),
            ("-inf", nil),
            ("Infinity", nil),
            ("", nil),
            (".", nil),
            ("-", nil),
            ("e5", nil),
            ("1e", nil),
            ("1.2.3", nil),
            ("--1", nil),
            ("1/2/3", nil),
            ("0x10", nil),
            ("1,5", nil),
            ("/2", nil),
            ("2/", nil),
        ]
        for (text, expected) in cases {
            let parsed = Rational(exactly: text)
            #expect(parsed == expected, "Rational(exactly: \"\(text)\") = \(String(describing: parsed))")
        }
        // "3/6" is stored reduced.
        let half = Rational(exactly: "3/6")
        #expect(half?.numerator == 1)
        #expect(half?.denominator == 2)
        // A substring of a larger string parses the same.
        let line = "x=1.1;"
        let slice = line.dropFirst(2).dropLast()
        #expect(Rational(exactly: slice) == Rational(11, 10))
    }

    /// Descriptions are `n` or `n/d` in lowest terms, and parse back to the same value.
    @Test func descriptionFormatAndRoundTrip() {
        #expect(Rational(11, 10).description == "11/10")
        #expect(Rational(-2, 4).description == "-1/2")
        #expect(Rational(8, 2).description == "4")
        #expect(Rational.zero.description == "0")
        #expect(Rational(BigInt(1) << 70, BigInt(3)).description == "1180591620717411303424/3")
        var rng = SplitMix64(seed: 0x5EED_0005)
        for _ in 0..<500 {
            let p = RationalOracle.randomFraction(using: &rng)
            let x = Rational(p.n, p.d)
            #expect(Rational(exactly: x.description) == x, "\(x)")
        }
    }

    // MARK: Doubles

    /// 0.1 is not 1/10: it is 3602879701896397 / 2^55, the exact binary value of the double
    /// nearest to 0.1 (0x1.999999999999ap-4).
    @Test func doubleConversionIsExactNotDecimal() {
        let x = Rational(0.1)
        #expect(x != Rational(1, 10))
        #expect(x.numerator == BigInt(3_602_879_701_896_397))
        #expect(x.denominator == BigInt(1) << 55)
        #expect(Rational(0.5) == Rational(1, 2))
        #expect(Rational(-0.0) == .zero)
        #expect(Rational(1e300).denominator == 1)
        #expect(Rational(Double.leastNonzeroMagnitude) == Rational(BigInt(1), BigInt(1) << 1074))
        #expect(Rational(Double.greatestFiniteMagnitude)
                == Rational(((BigInt(1) << 53) - 1) << 971))
    }

    /// For random finite doubles (all binades, subnormals, both signs) the rational's value
    /// equals the IEEE 754 encoding's exact value, its denominator is a power of two, and
    /// converting back gives the same double.
    @Test func doubleConversionMatchesIEEEEncoding() {
        var rng = SplitMix64(seed: 0x5EED_0006)
        var samples: [Double] = [1, -1, 0.1, 1.0 / 3, 9.0e18, -9.0e18, 9.5e18, 0x1p63, -0x1p63, 0x1p52 + 0.5,
                                 Double.leastNormalMagnitude, Double.leastNormalMagnitude.nextDown,
                                 Double.greatestFiniteMagnitude, -Double.leastNonzeroMagnitude]
        for _ in 0..<3000 { samples.append(RationalOracle.randomFiniteDouble(using: &rng)) }
        for _ in 0..<500 { samples.append(Double.random(in: -1e6...1e6, using: &rng)) }
        for value in samples {
            let x = Rational(value)
            let d = x.denominator
            #expect(d > 0 && (d & (d - 1)).isZero, "denominator of \(value) is \(d)")
            #expect(x.numerator << 1074 == RationalOracle.scaledByTwoTo1074(value) * d, "value of \(value)")
            #expect(x.doubleValue == value, "round trip of \(value)")
            // The shortest decimal that round-trips (Swift's description) reads back to the same double.
            #expect(Rational(exactly: "\(value)")?.doubleValue == value, "\(value) via its description")
        }
    }

    /// `doubleValue` rounds correctly: for random decimal strings it equals the C library's
    /// correctly rounded conversion `Double(String)`, across the whole range, including
    /// subnormal and overflowing values.
    @Test func doubleValueMatchesStrtodOnRandomDecimals() {
        var rng = SplitMix64(seed: 0x5EED_0007)
        var checked = 0
        for _ in 0..<6000 {
            let digitCount = Int.random(in: 1...30, using: &rng)
            var digits = String((0..<digitCount).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            if Bool.random(using: &rng) {
                let point = Int.random(in: 0...digitCount, using: &rng)
                digits.insert(".", at: digits.index(digits.startIndex, offsetBy: point))
                if digits.hasPrefix(".") { digits = "0" + digits }
                if digits.hasSuffix(".") { digits += "0" }
            }
            let exponent: Int
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: exponent = Int.random(in: -20...20, using: &rng)
            case 1: exponent = Int.random(in: -360 ... -290, using: &rng)  // subnormal and underflow
            case 2: exponent = Int.random(in: 280...330, using: &rng)  // near and beyond the top
            default: exponent = Int.random(in: -330...330, using: &rng)
            }
            let sign = Bool.random(using: &rng) ? "-" : ""
            let text = sign + digits + (exponent == 0 ? "" : "e\(exponent)")
            guard let expected = Double(text), let parsed = Rational(exactly: text) else {
                Issue.record("could not parse \(text)")
                continue
            }
            #expect(parsed.doubleValue == expected, "\(text): got \(parsed.doubleValue), strtod \(expected)")
            checked += 1
        }
        #expect(checked == 6000)
    }

    /// Hand-picked boundary decimals agree with `Double(String)`: tiny, subnormal, the
    /// smallest subnormal and the halfway point below it, the largest finite double and
    /// values beyond it, and integers around 2^53 where ties go to even.
    @Test(arguments: [
        "1e-310", "5e-324", "4.9e-324", "2.5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
        "2.2250738585072014e-308", "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9406564584124654e-324",
        "1e-323", "1.5e-323", "3e-324", "7.4e-324", "1e-400", "-1e-400",
        "1e308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1.8e308",
        "-1.8e308", "1e309", "1e400",
        "9007199254740993", "9007199254740995", "9007199254740993.0000000000000000000001",
        "-9007199254740993", "18014398509481985", "0.1", "0.2", "0.3", "123456789012345678901234567890e-10",
        "0.000000000000000000000000000000000000000000001234567890123456789",
    ])
    func doubleValueMatchesStrtodAtBoundaries(_ text: String) throws {
        let expected = try #require(Double(text))
        let parsed = try #require(Rational(exactly: text))
        #expect(parsed.doubleValue == expected, "\(text): got \(parsed.doubleValue), strtod \(expected)")
    }

    /// 2.5e-324 lies above half of the smallest subnormal (about 2.47e-324), so it rounds up to
    /// it; 2^-1075 is exactly half and ties to even (0); 3·2^-1075 ties to even (2·2^-1074);
    /// halfway between the largest finite double and 2^1024 rounds to infinity (the largest
    /// double's significand is odd), just below it to the largest finite double.
    @Test func roundingTiesAtTheEnds() {
        #expect(Rational(exactly: "2.5e-324")!.doubleValue == Double.leastNonzeroMagnitude)
        let twoTo1075 = BigInt(1) << 1075
        #expect(Rational(BigInt(1), twoTo1075).doubleValue == 0)
        #expect(Rational(BigInt(1), twoTo1075).doubleValue.sign == .plus)
        #expect(Rational(BigInt(3), twoTo1075).doubleValue == 2 * Double.leastNonzeroMagnitude)
        #expect(Rational(BigInt(5), twoTo1075).doubleValue == 2 * Double.leastNonzeroMagnitude)
        #expect(Rational(BigInt(7), twoTo1075).doubleValue == 4 * Double.leastNonzeroMagnitude)
        #expect(Rational(BigInt(-1), twoTo1075 - 1).doubleValue == -Double.leastNonzeroMagnitude)
        let maxFinite = ((BigInt(1) << 53) - 1) << 971
        let halfway = maxFinite + (BigInt(1) << 970)
        #expect(Rational(halfway).doubleValue == .infinity)
        #expect(Rational(-halfway).doubleValue == -.infinity)
        #expect(Rational(halfway - 1).doubleValue == .greatestFiniteMagnitude)
        #expect(Rational(halfway * 3 - 1, BigInt(3)).doubleValue == .greatestFiniteMagnitude)
        // 2^53 + 1 and 2^53 + 3 tie to even; one more unit in a far digit breaks the tie upward.
        let twoTo53 = BigInt(1) << 53
        #expect(Rational(twoTo53 + 1).doubleValue == 9_007_199_254_740_992)
        #expect(Rational(twoTo53 + 3).doubleValue == 9_007_199_254_740_996)
        #expect(Rational((twoTo53 + 1) * (BigInt(1) << 80) + 1, BigInt(1) << 80).doubleValue == 9_007_199_254_740_994)
        // Ties between ordinary fractions: (2^54 + 1)/2 = 2^53 + 1/2 rounds to 2^53.
        #expect(Rational(2 * twoTo53 + 1, BigInt(2)).doubleValue == 9_007_199_254_740_992)
    }

    /// p/q with p and q large exactly representable doubles: IEEE division of the two doubles
    /// is the correctly rounded quotient (normal or subnormal), so it is the oracle.
    @Test func doubleValueOfLargeQuotientsMatchesIEEEDivision() {
        var rng = SplitMix64(seed: 0x5EED_0008)
        for _ in 0..<3000 {
            let m1 = Int64.random(in: 1..<(1 << 53), using: &rng)
            let m2 = Int64.random(in: 1..<(1 << 53), using: &rng)
            let e1 = Int.random(in: 0...960, using: &rng)
            let e2 = Int.random(in: 0...970, using: &rng)
            let negative = Bool.random(using: &rng)
            let p = (negative ? -BigInt(m1) : BigInt(m1)) << e1
            let q = BigInt(m2) << e2
            let dp = Double(sign: negative ? .minus : .plus, exponent: e1, significand: Double(m1))
            let dq = Double(sign: .plus, exponent: e2, significand: Double(m2))
            let expected = dp / dq
            #expect(Rational(p, q).doubleValue == expected, "(\(m1)·2^\(e1)) / (\(m2)·2^\(e2))")
        }
    }
}
