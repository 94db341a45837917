import Foundation
public import NormalFormGames
import Synchronization

/// The offset- and scale-invariant game distributions of the paper (docs/reference.md §4): per player, i.i.d.
/// N(0, 1) payoffs over all joint actions, mean removed, scaled to L_m norm Z_m(|A|).
public enum InvariantGames {
    /// Draws one L_m-invariant game's payoffs (layout `[N, n_1, …, n_N]`).
    public static func generate(norm: PayoffNormalization.Norm, actionCounts: [Int], random: inout GameRandom) -> [Double] {
        let joint = actionCounts.reduce(1, *)
        let z = scale(norm, jointActions: joint)
        var payoffs: [Double] = []
        payoffs.reserveCapacity(joint * actionCounts.count)
        for _ in actionCounts {
            let draws = (0..<joint).map { _ in random.normal() }
            payoffs += PayoffNormalization.normalize(draws, norm: norm, target: z).values
        }
        return payoffs
    }

    /// Z_m(|A|): the norm that gives the entries of L_m games mean square 1 in expectation.
    ///
    /// An entry of an L_m game is x = Z·c/‖c‖_m with c a centred Gaussian vector, so its expected
    /// mean square is Z²·E[‖c‖₂²/‖c‖_m²]/|A|, and Z_m = √(|A| / E[‖c‖₂² / ‖c‖_m²]).
    /// - m = 2: the ratio is 1, so Z₂ = √|A| exactly.
    /// - m = 1 and ∞: no closed form. The expectation is estimated by Monte Carlo from a fixed
    ///   seed (SplitMix64 seed 0x5A31 for L1, 0x5A3F for L∞, Box–Muller normals), with enough
    ///   samples that the relative standard error of Z is below 5e-4 (about 1e-4 for L1; the test
    ///   suite checks the estimate's own standard error). The value depends only on |A|, is cached, and is the same
    ///   on every machine. For orientation: Z₁ ≈ |A|·√(2/π) and Z_∞ ≈ √(2 ln |A|) grow as the
    ///   expected (|A| = 64: Z₁ ≈ 51.5, Z_∞ ≈ 3.0).
    public static func scale(_ norm: PayoffNormalization.Norm, jointActions: Int) -> Double {
        switch norm {
        case .l2: return Double(jointActions).squareRoot()
        case .l1, .lInfinity: return estimatedScale(norm, jointActions: jointActions).value
        }
    }

    /// The Monte Carlo estimate of Z_m and its standard error (delta method).
    public static func estimatedScale(_ norm: PayoffNormalization.Norm, jointActions: Int)
        -> (value: Double, standardError: Double)
    {
        precondition(jointActions >= 2, "Z_m needs at least two joint actions")
        let key = "\(norm.rawValue):\(jointActions)"
        if let cached = cache.withLock({ $0[key] }) { return cached }
        var random = GameRandom(seed: norm == .l1 ? 0x5A31 : 0x5A3F)
        // Ratios concentrate as |A| grows: fewer samples are needed for bigger games.
        let samples = max(4_000, min(400_000, 40_000_000 / jointActions))
        var sum = 0.0, sumSquares = 0.0
        var c = [Double](repeating: 0, count: jointActions)
        for _ in 0..<samples {
            var mean = 0.0
            for i in 0..<jointActions { c[i] = random.normal(); mean += c[i] }
            mean /= Double(jointActions)
            var two = 0.0, m = 0.0
            for i in 0..<jointActions {
                let v = c[i] - mean
                two += v * v
                if norm == .l1 { m += abs(v) } else { m = max(m, abs(v)) }
            }
            let ratio = two / (m * m)
            sum += ratio
            sumSquares += ratio * ratio
        }
        let n = Double(samples)
        let mean = sum / n
        let variance = max(0, sumSquares / n - mean * mean) * n / (n - 1)
        let value = (Double(jointActions) / mean).squareRoot()
        // Z = √(|A|/r̄): dZ/Z = −½ dr̄/r̄.
        let result = (value, value * 0.5 * (variance / n).squareRoot() / mean)
        cache.withLock { $0[key] = result }
        return result
    }

    private static let cache = Mutex<[String: (value: Double, standardError: Double)]>([:])
}
