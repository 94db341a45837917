import NormalFormGames
@testable import LinearProgramming

// The rational re-solve and certificate as they were written before the GMP backend, over our
// pure-Swift BigInt `Rational`: kept here only as the independent oracle the backend's answers
// must equal exactly.

/// Dense rational LU with row pivoting, P M = L U.
struct ReferenceLU {
    let n: Int
    private var lu: [Rational]
    private var permutation: [Int]

    /// `nil` when singular.
    init?(n: Int, matrix: [Rational]) {
        self.n = n
        var a = matrix
        var perm = Array(0..<n)
        for k in 0..<n {
            guard let pivot = (k..<n).first(where: { !a[$0 * n + k].isZero }) else { return nil }
            if pivot != k {
                for j in 0..<n { a.swapAt(k * n + j, pivot * n + j) }
                perm.swapAt(k, pivot)
            }
            let inverse = a[k * n + k].reciprocal
            for i in (k + 1)..<n where !a[i * n + k].isZero {
                let factor = a[i * n + k] * inverse
                a[i * n + k] = factor
                for j in (k + 1)..<n { a[i * n + j] -= factor * a[k * n + j] }
            }
        }
        lu = a
        permutation = perm
    }

    /// M x = b.
    func solve(_ b: [Rational]) -> [Rational] {
        var x = permutation.map { b[$0] }
        for i in 0..<n { for j in 0..<i { x[i] -= lu[i * n + j] * x[j] } }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in (i + 1)..<n { x[i] -= lu[i * n + j] * x[j] }
            x[i] = x[i] / lu[i * n + i]
        }
        return x
    }

    /// Mᵀ y = c.
    func solveTransposed(_ c: [Rational]) -> [Rational] {
        var z = c
        for i in 0..<n {
            for j in 0..<i { z[i] -= lu[j * n + i] * z[j] }
            z[i] = z[i] / lu[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) { for j in (i + 1)..<n { z[i] -= lu[j * n + i] * z[j] } }
        var y = [Rational](repeating: .zero, count: n)
        for i in 0..<n { y[permutation[i]] = z[i] }
        return y
    }
}

extension LinearProgram where Scalar == Rational {
    func referenceActivities(_ x: [Rational]) -> [Rational] {
        (0..<rowCount).map { i in row(i).reduce(Rational.zero) { $0 + $1.1 * x[$1.0] } }
    }

    func referenceReducedCosts(_ y: [Rational]) -> [Rational] {
        var d = objective
        for i in 0..<rowCount { for (j, a) in row(i) { d[j] -= y[i] * a } }
        return d
    }

    func referenceCertify(x: [Rational], rowDuals y: [Rational]) -> LPCertificate {
        func satisfies(_ v: Rational, _ b: LPBounds<Rational>) -> Bool {
            if let l = b.lower, v < l { return false }
            if let u = b.upper, u < v { return false }
            return true
        }
        /// sup over the bounds of coefficient · v; `nil` when infinite.
        func supremum(_ coefficient: Rational, _ b: LPBounds<Rational>) -> Rational?? {
            switch coefficient.signum {
            case 0: return .some(.zero)
            case 1: return .some(b.upper.map { coefficient * $0 })
            default: return .some(b.lower.map { coefficient * $0 })
            }
        }
        let r = referenceActivities(x)
        let primal = (0..<columnCount).allSatisfy { satisfies(x[$0], columnBounds[$0]) }
            && (0..<rowCount).allSatisfy { satisfies(r[$0], rowBounds[$0]) }
        let d = referenceReducedCosts(y)
        let s: Rational = direction == .maximize ? 1 : -1
        var bound: Rational? = .zero
        for (coefficient, b) in Array(zip(d, columnBounds)) + Array(zip(y, rowBounds)) {
            guard let current = bound, case .some(let term?) = supremum(s * coefficient, b) else { bound = nil; break }
            bound = current + term
        }
        let value = zip(objective, x).reduce(Rational.zero) { $0 + $1.0 * $1.1 }
        let dualBound = bound.map { s * $0 }
        return LPCertificate(primalFeasible: primal, dualFeasible: bound != nil,
                             objectivesEqual: dualBound == value, dualBound: dualBound, basis: nil)
    }

    /// The basic solution of a basis by the reference LU; `nil` when the basis is invalid or singular.
    func referenceBasicSolution(_ basis: LPBasis) -> (x: [Rational], y: [Rational])? {
        func value(_ status: BasisStatus, _ b: LPBounds<Rational>) -> Rational?? {
            switch status {
            case .basic: return .some(nil)
            case .atLower, .fixed: return b.lower.map { .some($0) } ?? nil
            case .atUpper: return b.upper.map { .some($0) } ?? nil
            case .free: return .some(.zero)
            }
        }
        var x = [Rational](repeating: .zero, count: columnCount)
        var basic: [Int] = []
        for j in 0..<columnCount {
            guard let v = value(basis.columns[j], columnBounds[j]) else { return nil }
            if let v { x[j] = v } else { basic.append(j) }
        }
        var tight: [Int] = []
        var rhs: [Rational] = []
        for i in 0..<rowCount {
            guard let v = value(basis.rows[i], rowBounds[i]) else { return nil }
            if let v { tight.append(i); rhs.append(v) }
        }
        let k = basic.count
        guard tight.count == k else { return nil }
        var y = [Rational](repeating: .zero, count: rowCount)
        guard k > 0 else { return (x, y) }
        var matrix = [Rational](repeating: .zero, count: k * k)
        for (t, i) in tight.enumerated() {
            for (j, a) in row(i) {
                if let s = basic.firstIndex(of: j) { matrix[t * k + s] = a } else { rhs[t] -= a * x[j] }
            }
        }
        guard let lu = ReferenceLU(n: k, matrix: matrix) else { return nil }
        let xs = lu.solve(rhs)
        for (s, j) in basic.enumerated() { x[j] = xs[s] }
        let yt = lu.solveTransposed(basic.map { objective[$0] })
        for (t, i) in tight.enumerated() { y[i] = yt[t] }
        return (x, y)
    }
}
