import NormalFormGames

/// LU factorisation of a square rational matrix with row pivoting: P M = L U.
///
/// Dense and exact; used to re-solve a simplex basis in rational arithmetic (the basis
/// matrices here are at most a few hundred wide). Written by hand because no Swift package
/// offers exact rational linear algebra.
struct RationalLU {
    let n: Int
    /// L (unit lower, below the diagonal) and U (on and above) packed row-major.
    private var lu: [Rational]
    /// `permutation[i]` is the original row now in position i.
    private var permutation: [Int]

    /// Factorises the row-major `n`×`n` matrix; `nil` when it is singular, or when `deadline`
    /// passes first (checked once per pivot: rational elimination on long binary fractions can
    /// take seconds, and the exact path has a budget).
    init?(n: Int, matrix: [Rational], deadline: ContinuousClock.Instant? = nil) {
        guard matrix.count == n * n else { return nil }
        self.n = n
        var a = matrix
        var perm = Array(0..<n)
        for k in 0..<n {
            if let deadline, ContinuousClock.now > deadline { return nil }
            // Prefer an integer pivot (cheaper arithmetic), else the first non-zero.
            var pivot = -1
            for i in k..<n where !a[i * n + k].isZero {
                if pivot < 0 { pivot = i }
                if a[i * n + k].isInteger { pivot = i; break }
            }
            if pivot < 0 { return nil }
            if pivot != k {
                for j in 0..<n { a.swapAt(k * n + j, pivot * n + j) }
                perm.swapAt(k, pivot)
            }
            let inverse = a[k * n + k].reciprocal
            for i in (k + 1)..<n where !a[i * n + k].isZero {
                let factor = a[i * n + k] * inverse
                a[i * n + k] = factor
                for j in (k + 1)..<n where !a[k * n + j].isZero {
                    a[i * n + j] -= factor * a[k * n + j]
                }
            }
        }
        lu = a
        permutation = perm
    }

    /// Solves M x = b.
    func solve(_ b: [Rational]) -> [Rational] {
        var x = permutation.map { b[$0] }
        for i in 0..<n {
            var s = x[i]
            for j in 0..<i where !lu[i * n + j].isZero && !x[j].isZero { s -= lu[i * n + j] * x[j] }
            x[i] = s
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for j in (i + 1)..<n where !lu[i * n + j].isZero && !x[j].isZero { s -= lu[i * n + j] * x[j] }
            x[i] = s / lu[i * n + i]
        }
        return x
    }

    /// Solves Mᵀ y = c.
    func solveTransposed(_ c: [Rational]) -> [Rational] {
        // Mᵀ = Uᵀ Lᵀ P: solve Uᵀ z = c, then Lᵀ w = z, then y = Pᵀ w.
        var z = c
        for i in 0..<n {
            var s = z[i]
            for j in 0..<i where !lu[j * n + i].isZero && !z[j].isZero { s -= lu[j * n + i] * z[j] }
            z[i] = s / lu[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = z[i]
            for j in (i + 1)..<n where !lu[j * n + i].isZero && !z[j].isZero { s -= lu[j * n + i] * z[j] }
            z[i] = s
        }
        var y = [Rational](repeating: .zero, count: n)
        for i in 0..<n { y[permutation[i]] = z[i] }
        return y
    }
}
