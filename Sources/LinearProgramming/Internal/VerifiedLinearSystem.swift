import ConvexOptimization

/// Rigorous error bounds for floating-point sums and products rounded to nearest.
///
/// Every bound rests on the standard model: a computed sum of n products, in any order and
/// with or without fused multiply-adds, differs from the exact one by at most
/// γ_n Σ|a_i b_i| + n·η, with γ_n = n·u/(1 − n·u), u = 2⁻⁵³ and η = 2⁻¹⁰⁷⁴ (underflow). Bounds are
/// themselves computed in floating point, so each is inflated by twice its own γ and moved one
/// ulp up (``up(_:terms:)``): an upper bound computed from nonnegative terms is then never below
/// the exact value.
package enum RoundingBound {
    package static let unit = 0x1p-53
    package static let underflow = Double.leastNonzeroMagnitude

    package static func gamma(_ n: Int) -> Double {
        let nu = Double(n) * unit
        return (nu / (1 - nu)).nextUp
    }

    /// An upper bound for the exact value of a nonnegative quantity computed in round-to-nearest
    /// from `terms` nonnegative operations.
    package static func up(_ x: Double, terms: Int) -> Double {
        guard x.isFinite else { return .infinity }
        return (x * (1 + 2 * gamma(terms + 2)) + Double(terms + 2) * underflow).nextUp
    }

    /// The bound on the rounding error of a computed sum of `terms` products whose absolute
    /// values sum (as computed) to `magnitude`.
    package static func error(magnitude: Double, terms: Int) -> Double {
        up(2 * gamma(terms + 2) * magnitude + 2 * Double(terms + 2) * underflow, terms: 4)
    }
}

/// A rigorous enclosure of the solution of a linear system whose data are known within radii.
///
/// For every matrix within `radius` of `matrix` (entrywise) and every right side within
/// `rhsRadius` of `rhs`, the matrix is nonsingular and the solution lies within `error` of `x`
/// (componentwise). The method is the classical one: with R an approximate inverse and
/// C ≥ |I − R M̃| for every M̃ in the box, ‖C‖∞ < 1 proves nonsingularity, and the error e of x̃
/// satisfies |e| ≤ |R r| + C|e| with r the residual, so ‖e‖∞ ≤ ‖R r‖∞ / (1 − ‖C‖∞) =: δ and
/// |e| ≤ |R r| + C·δ componentwise.
struct VerifiedLinearSystem {
    var x: [Double]
    var error: [Double]

    /// `matrix` and `radius` are column-major `n`×`n`; `nil` when the enclosure fails (a
    /// singular or too ill-conditioned matrix at this precision).
    init?(matrix: [Double], radius: [Double]?, rhs: [Double], rhsRadius: [Double]?, n: Int) {
        if n == 0 {
            x = []
            error = []
            return
        }
        guard let lu = DenseLU(matrix, n: n), let r = lu.inverse() else { return nil }
        let xt = lu.solve(rhs)
        guard xt.allSatisfy({ $0.isFinite }), r.allSatisfy({ $0.isFinite }) else { return nil }
        // Residual r = b − M x̃ over the box: midpoint and radius.
        var residual = rhs
        var residualRadius = [Double](repeating: 0, count: n)
        var magnitude = rhs.map { abs($0) }
        for j in 0..<n where xt[j] != 0 {
            let xj = xt[j]
            for i in 0..<n {
                let a = matrix[i + j * n]
                residual[i] -= a * xj
                magnitude[i] += abs(a * xj)
                if let radius { residualRadius[i] += radius[i + j * n] * abs(xj) }
            }
        }
        for i in 0..<n {
            let data = (rhsRadius?[i] ?? 0) + residualRadius[i]
            residualRadius[i] = RoundingBound.up(data, terms: n + 1)
                + RoundingBound.error(magnitude: magnitude[i], terms: n + 1)
        }
        // |R r| componentwise.
        var z = [Double](repeating: 0, count: n)
        var zMagnitude = [Double](repeating: 0, count: n)
        var zRadius = [Double](repeating: 0, count: n)
        for j in 0..<n {
            let rj = residual[j], radj = residualRadius[j]
            for i in 0..<n {
                let rij = r[i + j * n]
                z[i] += rij * rj
                zMagnitude[i] += abs(rij * rj)
                zRadius[i] += abs(rij) * radj
            }
        }
        var zBound = [Double](repeating: 0, count: n)
        for i in 0..<n {
            zBound[i] = RoundingBound.up(abs(z[i]) + RoundingBound.error(magnitude: zMagnitude[i], terms: n) + zRadius[i],
                                         terms: n + 2)
        }
        // C ≥ |I − R M̃|: |I − fl(R M)| + the product's rounding + |R|·radius.
        let g = DenseLU.product(r, matrix, n: n)
        let twoGamma = 2 * RoundingBound.gamma(n + 2)
        var w = [Double](repeating: 0, count: n * n)
        for k in 0..<(n * n) { w[k] = (twoGamma * abs(matrix[k]) + (radius?[k] ?? 0)) * (1 + 4 * RoundingBound.unit) }
        let absR = r.map { abs($0) }
        let kMatrix = DenseLU.product(absR, w, n: n)
        var rowSum = [Double](repeating: 0, count: n)
        for j in 0..<n {
            for i in 0..<n {
                let identity: Double = i == j ? 1 : 0
                rowSum[i] += abs(identity - g[i + j * n]) + kMatrix[i + j * n]
            }
        }
        var norm = 0.0
        for i in 0..<n {
            rowSum[i] = RoundingBound.up(rowSum[i] + 2 * Double(n) * RoundingBound.underflow, terms: 3 * n + 2)
            norm = max(norm, rowSum[i])
        }
        guard norm.isFinite, norm < 1 else { return nil }
        let largest = zBound.max() ?? 0
        let delta = RoundingBound.up(largest / (1 - norm).nextDown, terms: 2)
        guard delta.isFinite else { return nil }
        x = xt
        error = (0..<n).map { RoundingBound.up(zBound[$0] + rowSum[$0] * delta, terms: 2) }
    }
}
