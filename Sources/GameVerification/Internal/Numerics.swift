import Foundation

/// Neumaier's compensated sum: the running sum and the rounding errors it lost.
struct CompensatedSum {
    private(set) var sum = 0.0
    private(set) var compensation = 0.0

    init(_ start: Double = 0) { sum = start }

    mutating func add(_ term: Double) {
        let t = sum + term
        compensation += abs(sum) >= abs(term) ? (sum - t) + term : (term - t) + sum
        sum = t
    }

    var value: Double { sum + compensation }
}

enum Numerics {
    /// f(x) = (1 − x)·ln(1 − x) + x for x ≤ 1 (f(1) = 1), without cancellation near 0:
    /// f(x) = Σ_{k≥2} x^k / (k(k−1)) ≥ 0. Both the ε-penalty term of the certificate and the
    /// terms of KL divergence are instances: σ·ln(σ/τ) − σ + τ = τ·f(−(σ − τ)/τ).
    static func entropyExcess(_ x: Double) -> Double {
        if x >= 1 { return x == 1 ? 1 : .infinity }
        if abs(x) < 1e-3 {
            // The series: 12 terms reach full double precision for |x| < 1e-3.
            var power = x * x
            var total = 0.0
            for k in 2...13 {
                total += power / Double(k * (k - 1))
                power *= x
            }
            return total
        }
        return (1 - x) * log1p(-x) + x
    }

    /// KL(p‖q) = Σ_a p(a) ln(p(a)/q(a)), summed as Σ_a [p ln(p/q) − p + q] (each term ≥ 0, the
    /// extra terms cancel for distributions), so that values near 0 are accurate. Infinite when
    /// p puts mass where q has none.
    static func divergence(_ p: [Double], _ q: [Double]) -> Double {
        precondition(p.count == q.count, "distributions of different lengths")
        var total = CompensatedSum()
        for a in 0..<p.count {
            let pa = p[a], qa = q[a]
            if pa == 0 {
                total.add(qa)
            } else if qa == 0 {
                return .infinity
            } else {
                total.add(qa * entropyExcess(-(pa - qa) / qa))
            }
        }
        return max(0, total.value)
    }

    /// Total variation ½ Σ |p − q|.
    static func totalVariation(_ p: [Double], _ q: [Double]) -> Double {
        precondition(p.count == q.count, "distributions of different lengths")
        var total = CompensatedSum()
        for a in 0..<p.count { total.add(abs(p[a] - q[a])) }
        return 0.5 * total.value
    }

    /// max_a |p − q|.
    static func maximumDifference(_ p: [Double], _ q: [Double]) -> Double {
        precondition(p.count == q.count, "vectors of different lengths")
        var result = 0.0
        for a in 0..<p.count { result = max(result, abs(p[a] - q[a])) }
        return result
    }

    /// Σ_a p(a) v(a), compensated.
    static func dot(_ p: [Double], _ v: [Double]) -> Double {
        var total = CompensatedSum()
        for a in 0..<p.count where p[a] != 0 { total.add(p[a] * v[a]) }
        return total.value
    }
}
