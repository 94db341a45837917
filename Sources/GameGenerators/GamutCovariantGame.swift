import NormalFormGames

extension Gamut {
    /// GAMUT's CovariantGame (docs/gamut.md, GAMUT's generators): at every joint action the payoff vector
    /// (u_1(a), …, u_N(a)) is multivariate normal with mean 0, unit variances and correlation `r`
    /// between any two players, independently across joint actions. Drawn as `L z` with
    /// z ~ N(0, I_N) and L the lower Cholesky factor of Σ = (1 − r)I + r11ᵀ. Raw payoffs are standard
    /// normal (no [−100, 100] scaling). Per-player action counts may differ.
    ///
    /// - Parameters:
    ///   - r: the correlation; `nil` draws r ~ U[−1/(N−1), 1) per game (GAMUT's `-random_params`,
    ///     the plain `CovariantGame` preset). Recorded as `"r"`.
    /// - Throws: for fewer than 2 players or r outside [−1/(N−1), 1] (GAMUT's validity check; outside
    ///   it Σ is not positive semidefinite).
    static func covariantGame(actionCounts: [Int], r: Double?, random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        let n = actionCounts.count
        guard n >= 2 else { throw GeneratorError("CovariantGame needs at least 2 players, got \(n)") }
        let lower = -1 / Double(n - 1)
        let rho: Double
        if let r {
            guard r.isFinite, r >= lower, r <= 1 else {
                throw GeneratorError("CovariantGame: r = \(r) is outside [-1/(N-1), 1] = [\(lower), 1] for N = \(n)")
            }
            rho = r
        } else {
            rho = random.uniform(lower, 1)
        }
        let layout = try checkedLayout(actionCounts, family: "CovariantGame")
        let joint = layout.jointActionCount
        let factor = equicorrelationCholesky(size: n, r: rho)
        var payoffs = [Double](repeating: 0, count: n * joint)
        var z = [Double](repeating: 0, count: n)
        for a in 0..<joint {
            for k in 0..<n { z[k] = random.normal() }
            for i in 0..<n {
                var sum = 0.0
                for k in 0...i { sum += factor[i * n + k] * z[k] }
                payoffs[i * joint + a] = sum
            }
        }
        return GeneratedGame(payoffs: payoffs, parameters: ["r": rho])
    }

    /// The lower Cholesky factor L (row-major `size × size`, zero above the diagonal) of the
    /// equicorrelation matrix Σ = (1 − r)I + r11ᵀ, by the textbook column-by-column recurrence.
    /// At the ends of the valid range Σ is singular (r = 1: rank 1; r = −1/(size−1): rank size−1):
    /// a pivot that rounds to ≤ 0 is taken as 0 and its column below the diagonal as 0, which
    /// still gives L Lᵀ = Σ (up to rounding) because the matching Schur complement is 0 there.
    static func equicorrelationCholesky(size n: Int, r: Double) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var pivot = 1.0
            for k in 0..<j { pivot -= l[j * n + k] * l[j * n + k] }
            guard pivot > 0 else { continue }
            let diagonal = pivot.squareRoot()
            l[j * n + j] = diagonal
            for i in (j + 1)..<n {
                var sum = r
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = sum / diagonal
            }
        }
        return l
    }
}
