import Foundation
public import EquilibriumSolvers
public import NormalFormGames

/// The primal point a dual vector α stands for (docs/reference.md §3), with its dual objective and the free
/// certificate.
public struct RecoveredPrimal: Sendable, Equatable {
    /// σ = softmax(μW − Σ_i α_i A_i + ln σ̂) over all joint actions (0 where σ̂ is 0).
    public var joint: [Double]
    /// ε_p = ε̂_p − û_p·expm1(−S_p/ρ) (ε̂_p when ρ = ∞).
    public var epsilon: [Double]
    /// S_p = Σ of player p's multipliers.
    public var dualSums: [Double]
    /// L(α) = ln Σ_a σ̂(a) e^{l(a)} + Σ_p [ε⁺_p S_p + ρ û_p expm1(−S_p/ρ)] (ρ = ∞: + Σ_p ε̂_p S_p):
    /// the dual loss of Theorem 1 (CE) and Theorem 2 (CCE) of the paper's appendix A.
    public var dualObjective: Double
    /// E_σ[A_i] for every gain row of the concept, canonical order.
    public var expectedGains: [Double]
    /// Per player, the largest expected gain of the concept under σ (0 for a player without rows).
    public var maximumGains: [Double]
    /// L(α) − P(σ(α), ε̃) with ε̃_p = max(ε̂_p, largest gain of p): an upper bound on KL(σ(α)‖σ*)
    /// when it exists (`nil` otherwise; see ``certificateNote``).
    public var certifiedGap: Double?
    /// Why there is no certificate, when there is none.
    public var certificateNote: String?
}

/// Recovers σ, ε, L(α) and the certificate from dual variables, using only the public gains API:
/// an implementation independent of the solver's own, so that it also checks the solver.
public enum DualRecovery {
    /// Recovers the primal point of `duals` for the problem `parameters` on `game`.
    ///
    /// - Parameters:
    ///   - duals: α ≥ 0, one per gain row of `parameters.concept`, canonical order (docs/reference.md §1).
    ///   - gains: the game's gains for the concept, when the caller already has them.
    /// - Throws: ``VerificationError`` for a wrong length, a non-finite or negative multiplier,
    ///   μ = ∞ (whose welfare-row multiplier is not part of α), or inconsistent parameters.
    public static func recover(duals: [Double], game: NormalFormGame, parameters: MWMREParameters,
                               gains: DeviationGains<Double>? = nil) throws(VerificationError) -> RecoveredPrimal {
        let gains = gains ?? game.deviationGains(parameters.concept)
        precondition(gains.concept == parameters.concept, "gains of the wrong concept")
        let n = game.playerCount
        let joint = game.jointActionCount
        try check(duals: duals, gains: gains, parameters: parameters, players: n)
        let target = parameters.target ?? Array(repeating: 1 / Double(joint), count: joint)
        guard target.count == joint else {
            throw VerificationError("the target σ̂ has \(target.count) entries; the game has \(joint) joint actions")
        }
        let welfare = parameters.mu > 0 ? (parameters.welfare ?? game.welfare) : nil
        let (sigma, logPartition) = softmaxJoint(duals: duals, gains: gains, target: target, welfare: welfare,
                                                 mu: parameters.mu)
        let dual = dualObjective(duals: duals, gains: gains, parameters: parameters, players: n,
                                 logPartition: logPartition)
        let (expected, largest) = expectedGains(sigma, gains: gains, players: n)
        let (certifiedGap, note) = certificate(duals: duals, gains: gains, parameters: parameters, dual: dual,
                                               expected: expected, largest: largest)
        return RecoveredPrimal(
            joint: sigma, epsilon: dual.epsilon, dualSums: dual.sums, dualObjective: dual.objective,
            expectedGains: expected, maximumGains: (0..<n).map { dual.hasRows[$0] ? largest[$0] : 0 },
            certifiedGap: certifiedGap, certificateNote: note)
    }

    /// Refuses duals of the wrong length, non-finite or negative ones, μ = ∞, ρ ≤ 0 and ε̂ or ε⁺
    /// of the wrong length.
    private static func check(duals: [Double], gains: DeviationGains<Double>, parameters: MWMREParameters,
                              players n: Int) throws(VerificationError) {
        guard duals.count == gains.rowCount else {
            throw VerificationError("\(duals.count) duals given; the \(parameters.concept.rawValue.uppercased()) "
                                    + "of this game has \(gains.rowCount) gain rows")
        }
        if let bad = duals.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw VerificationError("dual \(bad) (\(gains.rows[bad])) is \(duals[bad]); duals must be finite and ≥ 0")
        }
        guard parameters.mu.isFinite else {
            throw VerificationError("duals cannot be recovered at μ = ∞ (the welfare row's multiplier is not part of α)")
        }
        guard parameters.rho > 0 else { throw VerificationError("ρ must be positive") }
        guard parameters.epsilonTarget.count == n, parameters.epsilonCap.count == n else {
            throw VerificationError("ε̂ and ε⁺ need one value per player (\(n))")
        }
    }

    /// σ(α) = softmax of the logits l(a) + ln σ̂(a) (each summed with compensation) over the
    /// target's support, and ln Z.
    private static func softmaxJoint(duals: [Double], gains: DeviationGains<Double>, target: [Double],
                                     welfare: [Double]?, mu: Double) -> (sigma: [Double], logPartition: Double) {
        let joint = target.count
        var sums = [CompensatedSum](repeating: CompensatedSum(), count: joint)
        for a in 0..<joint where target[a] > 0 {
            sums[a] = CompensatedSum(log(target[a]))
            if let welfare { sums[a].add(mu * welfare[a]) }
        }
        for i in 0..<gains.rowCount where duals[i] != 0 {
            let alpha = duals[i]
            for k in gains.rowStart[i]..<gains.rowStart[i + 1] where target[gains.columns[k]] > 0 {
                sums[gains.columns[k]].add(-alpha * gains.values[k])
            }
        }
        var top = -Double.infinity
        var topSum = 0.0, topCompensation = 0.0
        for a in 0..<joint where target[a] > 0 && sums[a].value > top {
            top = sums[a].value
            topSum = sums[a].sum
            topCompensation = sums[a].compensation
        }
        var sigma = [Double](repeating: 0, count: joint)
        var total = 0.0
        for a in 0..<joint where target[a] > 0 {
            let e = exp((sums[a].sum - topSum) + (sums[a].compensation - topCompensation))
            sigma[a] = e
            total += e
        }
        for a in 0..<joint { sigma[a] /= total }
        return (sigma, topSum + (topCompensation + log(total)))
    }

    /// S_p = Σ of player p's multipliers, ε_p(S_p) and the dual objective L(α).
    private struct DualValues {
        var sums: [Double]
        /// Whether player p has any gain row.
        var hasRows: [Bool]
        var epsilon: [Double]
        var objective: Double
    }

    private static func dualObjective(duals: [Double], gains: DeviationGains<Double>, parameters: MWMREParameters,
                                      players n: Int, logPartition: Double) -> DualValues {
        var dualSums = [Double](repeating: 0, count: n)
        var hasRows = [Bool](repeating: false, count: n)
        for (i, row) in gains.rows.enumerated() {
            dualSums[row.player] += duals[i]
            hasRows[row.player] = true
        }
        var epsilon = parameters.epsilonTarget
        var objective = CompensatedSum(logPartition)
        for p in 0..<n {
            let s = dualSums[p]
            if parameters.rho.isInfinite {
                objective.add(parameters.epsilonTarget[p] * s)
            } else {
                let uHat = parameters.epsilonCap[p] - parameters.epsilonTarget[p]
                let m = expm1(-s / parameters.rho)
                epsilon[p] = parameters.epsilonTarget[p] - uHat * m
                objective.add(parameters.epsilonCap[p] * s)
                objective.add(parameters.rho * uHat * m)
            }
        }
        return DualValues(sums: dualSums, hasRows: hasRows, epsilon: epsilon, objective: objective.value)
    }

    /// E_σ[A_i] per gain row, compensated (the certificate is made of them), and each player's largest.
    private static func expectedGains(_ sigma: [Double], gains: DeviationGains<Double>, players n: Int)
        -> (expected: [Double], largest: [Double])
    {
        var expected = [Double](repeating: 0, count: gains.rowCount)
        var largest = [Double](repeating: -.infinity, count: n)
        for i in 0..<gains.rowCount {
            var s = CompensatedSum()
            for k in gains.rowStart[i]..<gains.rowStart[i + 1] where sigma[gains.columns[k]] != 0 {
                s.add(sigma[gains.columns[k]] * gains.values[k])
            }
            expected[i] = s.value
            let p = gains.rows[i].player
            largest[p] = max(largest[p], expected[i])
        }
        return (expected, largest)
    }

    /// The certificate: (σ(α), ε̃) is primal feasible, so L(α) − P(σ(α), ε̃) ≥ P* − P(σ(α), ε̃)
    /// ≥ KL(σ(α)‖σ*) (the objective is 1-strongly concave in KL). Since ln(σ/σ̂) = l − ln Z,
    /// L − P(σ, ε̃) = Σ_i α_i (ε̃_p − E[A_i]) + Σ_p ρ û_p e^{−S_p/ρ}·f(δ_p/u_p), with
    /// u_p = ε⁺_p − ε_p = û_p e^{−S_p/ρ}, δ_p = ε̃_p − ε_p and f(x) = (1 − x)ln(1 − x) + x:
    /// every term is ≥ 0, so there is no cancellation. Without one, the note says why.
    private static func certificate(duals: [Double], gains: DeviationGains<Double>, parameters: MWMREParameters,
                                    dual: DualValues, expected: [Double], largest: [Double])
        -> (gap: Double?, note: String?)
    {
        let n = dual.sums.count
        let hasRows = dual.hasRows
        let tildeEpsilon = (0..<n).map { p in hasRows[p] ? max(parameters.epsilonTarget[p], largest[p]) : parameters.epsilonTarget[p] }
        var gap = CompensatedSum()
        if parameters.rho.isInfinite {
            if let p = (0..<n).first(where: { hasRows[$0] && largest[$0] > parameters.epsilonTarget[$0] }) {
                return (nil, "no certificate at ρ = ∞: σ(α) violates player \(p + 1)'s constraints by "
                    + "\(largest[p] - parameters.epsilonTarget[p])")
            }
            for (i, row) in gains.rows.enumerated() where duals[i] != 0 {
                gap.add(duals[i] * (tildeEpsilon[row.player] - expected[i]))
            }
            if gap.value.isNaN { return (nil, "no certificate: its value is not a number") }
            return (max(0, gap.value), nil)
        }
        if let p = (0..<n).first(where: { !(tildeEpsilon[$0] < parameters.epsilonCap[$0]) }) {
            return (nil, "no certificate: σ(α) needs ε at or above the cap ε⁺ for player \(p + 1)")
        }
        for (i, row) in gains.rows.enumerated() where duals[i] != 0 {
            gap.add(duals[i] * (tildeEpsilon[row.player] - expected[i]))
        }
        for p in 0..<n {
            gap.add(parameters.rho * penaltyExcess(
                cap: parameters.epsilonCap[p], tilde: tildeEpsilon[p], epsilon: dual.epsilon[p],
                uHat: parameters.epsilonCap[p] - parameters.epsilonTarget[p], sum: dual.sums[p], rho: parameters.rho))
        }
        if gap.value.isNaN {
            return (nil, "no certificate: its value is not a number (duals too large for double precision)")
        }
        return (max(0, gap.value), nil)
    }

    /// (u − δ) ln(1 − δ/u) + δ = u·f(δ/u) ≥ 0, the penalty's excess ρ[D(ε̃) − D(ε)] − S·δ divided
    /// by ρ, where u = ε⁺ − ε = û e^{−S/ρ} and δ = ε̃ − ε. u is taken from ln u = ln û − S/ρ, not
    /// from ε⁺ − ε: for S/ρ ≳ 37 that difference rounds to 0 although u > 0 (the excess then is
    /// large, and finite).
    static func penaltyExcess(cap: Double, tilde: Double, epsilon: Double, uHat: Double, sum: Double, rho: Double) -> Double {
        let logU = log(uHat) - sum / rho
        let u = exp(logU)
        let delta = tilde - epsilon
        if u > 0, abs(delta) < 0.5 * u { return u * Numerics.entropyExcess(delta / u) }
        // (u − δ)(ln(u − δ) − ln u) + δ with u − δ = ε⁺ − ε̃ > 0 exactly known.
        let rest = cap - tilde
        return rest * (log(rest) - logU) + (tilde - cap) + u
    }
}
