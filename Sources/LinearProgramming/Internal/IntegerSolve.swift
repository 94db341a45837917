internal import CGMP

/// The largest GMP integers the exact re-solve lets any intermediate reach, in bits, and the
/// largest total it lets a system's intermediates occupy. Every intermediate of fraction-free
/// elimination on [M | R] is (up to a product of two before an exact division) a minor of it,
/// so Hadamard's bound on the rows' norms bounds them all before anything is computed; beyond
/// the budget the solve is refused (reported, never attempted), which keeps GMP's
/// out-of-memory aborts out of reach.
enum IntegerBudget {
    static let bitsPerInteger = 1 << 26
    static let totalBits = 1 << 33

    /// Whether the k×k system with `r` right-hand sides fits the budget.
    static func admits(_ system: IntegerSystem) -> Bool {
        let width = system.k + system.r
        // ‖row‖₂ ≤ √width · 2^(longest entry): ⌈log₂ width / 2⌉ + 1 bits above the longest entry.
        let extra = (Int.bitWidth - width.leadingZeroBitCount + 1) / 2 + 1
        var bits = 0
        for i in 0..<system.k {
            var largest = 0
            for j in 0..<system.k { largest = max(largest, bitLength(system.matrix[i * system.k + j])) }
            for j in 0..<system.r { largest = max(largest, bitLength(system.rhs[i * system.r + j])) }
            bits += largest + extra
            if bits > bitsPerInteger { return false }
        }
        let perInteger = 2 * bits + 64
        return perInteger < bitsPerInteger && Double(perInteger) * Double(system.k) * Double(width) < Double(totalBits)
    }
}

/// An integer system M X = den · R: M k×k and R k×r, row-major.
final class IntegerSystem {
    let k: Int
    let r: Int
    let matrix: IntegerBlock
    let rhs: IntegerBlock

    init(k: Int, r: Int) {
        self.k = k
        self.r = r
        matrix = IntegerBlock(k * k)
        rhs = IntegerBlock(k * r)
    }
}

extension IntegerSystem {
    /// Solves M X = den · R exactly: X (k×r, written into `solution`) and den > 0 (`den`).
    /// `false` when M is singular, the system exceeds ``IntegerBudget`` or the deadline passes.
    /// M and R are overwritten.
    func solve(into solution: IntegerBlock, den: MPZ, deadline: ContinuousClock.Instant?) -> Bool {
        guard solution.count == k * r else { return false }
        if k == 0 { __gmpz_set_si(den, 1); return true }
        guard IntegerBudget.admits(self) else { return false }
        guard bareiss(into: solution, den: den, deadline: deadline), sign(den) != 0 else { return false }
        if sign(den) < 0 {
            __gmpz_neg(den, den)
            for i in 0..<solution.count { __gmpz_neg(solution[i], solution[i]) }
        }
        return true
    }

    /// Bareiss elimination on [M | R], choosing the shortest non-zero pivot of each column, then
    /// fraction-free back-substitution: den = the last pivot (± det M), X = den · M⁻¹ R, every
    /// division exact.
    private func bareiss(into solution: IntegerBlock, den: MPZ, deadline: ContinuousClock.Instant?) -> Bool {
        let w = k + r
        let a = IntegerBlock(k * w)
        for i in 0..<k {
            for j in 0..<k { __gmpz_swap(a[i * w + j], matrix[i * k + j]) }
            for j in 0..<r { __gmpz_swap(a[i * w + k + j], rhs[i * r + j]) }
        }
        let scratch = IntegerBlock(2)
        let t = scratch[0], previous = scratch[1]
        __gmpz_set_si(previous, 1)
        for p in 0..<k {
            if let deadline, ContinuousClock.now > deadline { return false }
            var pivot = -1
            var shortest = Int.max
            for i in p..<k where sign(a[i * w + p]) != 0 {
                let bits = bitLength(a[i * w + p])
                if bits < shortest { pivot = i; shortest = bits }
            }
            if pivot < 0 { return false }
            if pivot != p { for j in p..<w { __gmpz_swap(a[p * w + j], a[pivot * w + j]) } }
            let app = a[p * w + p]
            let divide = p > 0 && __gmpz_cmp_si(previous, 1) != 0
            for i in (p + 1)..<k {
                let aip = a[i * w + p]
                let zeroFactor = sign(aip) == 0
                for j in (p + 1)..<w {
                    let aij = a[i * w + j]
                    if zeroFactor {
                        if sign(aij) == 0 { continue }
                        __gmpz_mul(aij, aij, app)
                    } else {
                        __gmpz_mul(t, app, aij)
                        __gmpz_submul(t, aip, a[p * w + j])
                        __gmpz_swap(aij, t)
                    }
                    if divide { __gmpz_divexact(aij, aij, previous) }
                }
                __gmpz_set_si(aip, 0)
            }
            __gmpz_set(previous, app)
        }
        __gmpz_set(den, a[(k - 1) * w + (k - 1)])
        for c in 0..<r {
            for i in stride(from: k - 1, through: 0, by: -1) {
                let x = solution[i * r + c]
                __gmpz_mul(t, den, a[i * w + k + c])
                for j in (i + 1)..<k where sign(a[i * w + j]) != 0 {
                    __gmpz_submul(t, a[i * w + j], solution[j * r + c])
                }
                __gmpz_divexact(x, t, a[i * w + i])
            }
        }
        return true
    }
}
