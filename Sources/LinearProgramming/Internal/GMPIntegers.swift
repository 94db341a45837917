internal import CGMP
import BigInt
import NormalFormGames

/// One GMP integer (`mpz_t`), by pointer into an ``IntegerBlock``.
typealias MPZ = UnsafeMutablePointer<__mpz_struct>

/// A block of GMP integers, each initialised to zero; cleared when the block goes.
///
/// GMP aborts the process when an allocation fails or a number outgrows its size field; the
/// callers bound every size before they compute (``IntegerBudget``), so neither is reachable
/// short of a machine already out of memory.
final class IntegerBlock {
    let count: Int
    private let base: MPZ

    init(_ count: Int) {
        self.count = count
        base = MPZ.allocate(capacity: max(count, 1))
        for i in 0..<count { __gmpz_init(base + i) }
    }

    deinit {
        for i in 0..<count { __gmpz_clear(base + i) }
        base.deallocate()
    }

    subscript(i: Int) -> MPZ { base + i }
}

/// GMP's `mpz_sgn` (a macro in gmp.h): −1, 0 or 1.
@inline(__always) func sign(_ z: MPZ) -> Int { z.pointee._mp_size < 0 ? -1 : (z.pointee._mp_size > 0 ? 1 : 0) }

/// Bits of |z| (0 for zero).
@inline(__always) func bitLength(_ z: MPZ) -> Int { sign(z) == 0 ? 0 : __gmpz_sizeinbase(z, 2) }

/// z = v.
func setInteger(_ z: MPZ, _ v: BigInt) {
    if let small = Int(exactly: v) { __gmpz_set_si(z, small); return }
    let words = Array(v.magnitude.words)
    words.withUnsafeBufferPointer { __gmpz_import(z, $0.count, -1, MemoryLayout<UInt>.size, 0, 0, $0.baseAddress) }
    if v.sign == .minus { __gmpz_neg(z, z) }
}

/// The value of z as a big integer.
func bigInteger(_ z: MPZ) -> BigInt {
    if __gmpz_fits_slong_p(z) != 0 { return BigInt(__gmpz_get_si(z)) }
    let limbs = Int(abs(z.pointee._mp_size))
    let magnitude = BigUInt(words: UnsafeBufferPointer(start: z.pointee._mp_d, count: limbs).map { UInt($0) })
    return z.pointee._mp_size < 0 ? -BigInt(magnitude) : BigInt(magnitude)
}

/// numerator = p, denominator = q of a rational (q > 0).
func setRational(_ numerator: MPZ, _ denominator: MPZ, _ value: Rational) {
    if let (n, d) = value.inlineParts {
        __gmpz_set_si(numerator, Int(n))
        __gmpz_set_si(denominator, Int(d))
    } else {
        setInteger(numerator, value.numerator)
        setInteger(denominator, value.denominator)
    }
}

/// The rational numerator / denominator (denominator ≠ 0, either sign), reduced in GMP and
/// converted once. `scratch` holds at least three integers; its values are overwritten.
func rational(_ numerator: MPZ, _ denominator: MPZ, scratch: IntegerBlock) -> Rational {
    if sign(numerator) == 0 { return .zero }
    let g = scratch[0], n = scratch[1], d = scratch[2]
    __gmpz_gcd(g, numerator, denominator)
    __gmpz_divexact(n, numerator, g)
    __gmpz_divexact(d, denominator, g)
    if sign(d) < 0 {
        __gmpz_neg(n, n)
        __gmpz_neg(d, d)
    }
    if __gmpz_fits_slong_p(n) != 0, __gmpz_fits_slong_p(d) != 0 {
        let small = __gmpz_get_si(n)
        if small != Int.min { return Rational(lowestTerms: Int64(small), Int64(__gmpz_get_si(d))) }
    }
    return Rational(lowestTerms: bigInteger(n), bigInteger(d))
}

/// Greatest common divisor of two positive Int64.
@inline(__always) func gcd(_ a: Int64, _ b: Int64) -> Int64 {
    var x = a, y = b
    while y != 0 { (x, y) = (y, x % y) }
    return x
}

/// l = the least common multiple of the denominators of `values` (1 for none), in Int64 while
/// it fits.
func commonDenominator<S: Sequence>(_ values: S, into l: MPZ, scratch: MPZ) where S.Element == Rational {
    var small: Int64 = 1
    var big = false
    for v in values {
        let inline = v.inlineParts?.denominator
        if !big, let d = inline {
            if small % d == 0 { continue }
            let (product, overflow) = (small / gcd(small, d)).multipliedReportingOverflow(by: d)
            if !overflow { small = product; continue }
        }
        if !big {
            big = true
            __gmpz_set_si(l, Int(small))
        }
        if let d = inline { __gmpz_set_si(scratch, Int(d)) } else { setInteger(scratch, v.denominator) }
        __gmpz_lcm(l, l, scratch)
    }
    if !big { __gmpz_set_si(l, Int(small)) }
}

/// z = value · scale for a rational whose denominator divides `scale` (an integer result).
func setScaled(_ z: MPZ, _ value: Rational, by scale: MPZ, scratch: MPZ) {
    if let (n, d) = value.inlineParts {
        if d == 1 {
            __gmpz_mul_si(z, scale, Int(n))
        } else {
            __gmpz_divexact_ui(z, scale, UInt(d))
            __gmpz_mul_si(z, z, Int(n))
        }
        return
    }
    setInteger(scratch, value.denominator)
    __gmpz_divexact(z, scale, scratch)
    setInteger(scratch, value.numerator)
    __gmpz_mul(z, z, scratch)
}

/// sign(a/b − p/q) for b, q > 0 and the rational bound p/q, without forming either fraction.
func compare(_ a: MPZ, over b: MPZ, with bound: Rational, scratch: IntegerBlock) -> Int {
    let p = scratch[0], q = scratch[1]
    setRational(p, q, bound)
    __gmpz_mul(q, a, q)
    __gmpz_mul(p, p, b)
    return Int(__gmpz_cmp(q, p).signum())
}
