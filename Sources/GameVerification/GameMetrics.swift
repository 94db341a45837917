import Foundation
public import EquilibriumSolvers
public import NormalFormGames

/// A network's output for one game: duals α (the native output, canonical row order) or a joint
/// distribution σ over joint actions (row-major).
public enum Prediction: Sendable, Equatable {
    case duals([Double])
    case joint([Double])
}

/// The reference solution σ* of one game, with what else the reference knows.
public struct ReferenceSolution: Sendable, Equatable {
    /// The reference's status as recorded (`optimal`, `not-converged`, `infeasible`, `failed`, …).
    public var status: String
    /// σ* (empty when the reference has no solution for this game).
    public var joint: [Double]
    /// ε* (MWMRE references), in the units of the game.
    public var epsilon: [Double]?
    /// L(α*) (MWMRE references): the optimal value of the dual, for the dual suboptimality.
    public var dualObjective: Double?

    public init(status: String, joint: [Double], epsilon: [Double]? = nil, dualObjective: Double? = nil) {
        self.status = status
        self.joint = joint
        self.epsilon = epsilon
        self.dualObjective = dualObjective
    }

    /// Whether there is a σ* to compare with.
    public var isUsable: Bool { !joint.isEmpty }
}

/// Every metric of docs/reference.md §5 for one game. Gains, gaps, ε and welfare are in the payoff units of
/// the game as evaluated; KL divergences, L and the certificate in nats; distances in
/// probability. `nil` means undefined for this game (no duals, no reference, no certificate).
public struct GameMetrics: Sendable, Equatable {
    /// σ: the prediction, or the joint recovered from the predicted duals.
    public var joint: [Double]
    /// ε recovered from the duals (duals only).
    public var epsilon: [Double]?
    /// Per player, max over CCE rows of the expected gain under σ.
    public var maximumCCEGains: [Double]
    /// Per player, max over CE rows of the expected gain under σ.
    public var maximumCEGains: [Double]
    /// OpenSpiel `corr_dist`-style CE figure: Σ_p Σ_r max_k gain_p(r→k), k over all actions
    /// (k = r contributes 0, so each recommendation adds its best deviation's gain or 0).
    public var correlationDistanceCE: Double
    /// Σ_p [max gain_p]⁺ for the verified concept.
    public var gap: Double
    /// Σ_p [max gain_p − ε_p]⁺ with the recovered ε (duals only).
    public var gapRecoveredEpsilon: Double?
    /// Σ_p [max gain_p − ε̂_p]⁺ with the target ε̂ (when the parameters are known).
    public var gapTargetEpsilon: Double?
    /// W·σ.
    public var welfare: Double
    /// L(α) (duals only).
    public var dualObjective: Double?
    /// The free certificate of docs/reference.md §3: an upper bound on KL(σ(α)‖σ*) (duals only, when it exists).
    public var certifiedGap: Double?
    /// Why the certificate is missing, when the duals were given but there is none.
    public var certificateNote: String?
    /// The reference's status, when there is a reference.
    public var referenceStatus: String?
    /// KL(σ‖σ*) (infinite when σ has mass where σ* has none).
    public var klPredictionReference: Double?
    /// KL(σ*‖σ).
    public var klReferencePrediction: Double?
    /// ½‖σ − σ*‖₁.
    public var totalVariation: Double?
    /// max_a |σ(a) − σ*(a)|.
    public var maximumAbsoluteDifference: Double?
    /// |ε_p − ε*_p| per player (duals and an MWMRE reference).
    public var epsilonDifference: [Double]?
    /// W·σ*.
    public var referenceWelfare: Double?
    /// W·σ − W·σ*.
    public var welfareDifference: Double?
    /// L(α) − L(α*) (duals and an MWMRE reference).
    public var dualSuboptimality: Double?
}

/// Computes ``GameMetrics`` for one game.
public enum MetricEvaluator {
    /// Evaluates one prediction.
    ///
    /// - Parameters:
    ///   - concept: the concept verified (row order of duals, and the concept of `gap`).
    ///   - parameters: the MWMRE problem (needed to recover duals; gives ε̂). Its concept must
    ///     be `concept`.
    ///   - reference: σ* and what else the reference knows, if any.
    ///   - welfare: W for the welfare metrics; defaults to the game's welfare.
    /// - Throws: ``VerificationError`` when the duals cannot be recovered or a joint is not a
    ///   distribution over the game's joint actions.
    public static func evaluate(game: NormalFormGame, concept: EquilibriumConcept, prediction: Prediction,
                                parameters: MWMREParameters?, reference: ReferenceSolution?,
                                welfare: [Double]? = nil) throws(VerificationError) -> GameMetrics {
        let n = game.playerCount
        let ceGains = game.deviationGains(.correlated)
        let cceGains = game.deviationGains(.coarseCorrelated)
        let conceptGains = concept == .correlated ? ceGains : cceGains
        var sigma: [Double]
        var recovered: RecoveredPrimal?
        switch prediction {
        case .duals(let duals):
            guard var parameters else {
                throw VerificationError("duals cannot be recovered without the MWMRE parameters (σ̂, ε̂, ε⁺, μ, ρ)")
            }
            parameters.concept = concept
            recovered = try DualRecovery.recover(duals: duals, game: game, parameters: parameters, gains: conceptGains)
            sigma = recovered!.joint
        case .joint(let joint):
            guard joint.count == game.jointActionCount else {
                throw VerificationError("the joint has \(joint.count) entries; the game has \(game.jointActionCount) joint actions")
            }
            sigma = joint
        }
        let maxCE = maximumGains(ceGains, sigma, players: n)
        let maxCCE = maximumGains(cceGains, sigma, players: n)
        let conceptMax = concept == .correlated ? maxCE : maxCCE
        let w = welfare ?? game.welfare

        var metrics = GameMetrics(
            joint: sigma, epsilon: recovered?.epsilon, maximumCCEGains: maxCCE, maximumCEGains: maxCE,
            correlationDistanceCE: correlationDistance(ceGains, sigma),
            gap: positivePartSum(conceptMax, nil), gapRecoveredEpsilon: recovered.map { positivePartSum(conceptMax, $0.epsilon) },
            gapTargetEpsilon: parameters.map { positivePartSum(conceptMax, $0.epsilonTarget) },
            welfare: Numerics.dot(sigma, w), dualObjective: recovered?.dualObjective,
            certifiedGap: recovered?.certifiedGap, certificateNote: recovered?.certificateNote)
        if let reference {
            metrics.referenceStatus = reference.status
            if reference.isUsable {
                guard reference.joint.count == sigma.count else {
                    throw VerificationError("the reference joint has \(reference.joint.count) entries; "
                                            + "the game has \(sigma.count) joint actions")
                }
                let star = reference.joint
                metrics.klPredictionReference = Numerics.divergence(sigma, star)
                metrics.klReferencePrediction = Numerics.divergence(star, sigma)
                metrics.totalVariation = Numerics.totalVariation(sigma, star)
                metrics.maximumAbsoluteDifference = Numerics.maximumDifference(sigma, star)
                let referenceWelfare = Numerics.dot(star, w)
                metrics.referenceWelfare = referenceWelfare
                metrics.welfareDifference = metrics.welfare - referenceWelfare
                if let recovered, let epsilonStar = reference.epsilon, epsilonStar.count == n {
                    metrics.epsilonDifference = (0..<n).map { abs(recovered.epsilon[$0] - epsilonStar[$0]) }
                }
                if let recovered, let best = reference.dualObjective, best.isFinite {
                    metrics.dualSuboptimality = recovered.dualObjective - best
                }
            }
        }
        return metrics
    }

    /// Per player, the largest expected gain under σ (0 for a player without rows).
    static func maximumGains(_ gains: DeviationGains<Double>, _ sigma: [Double], players: Int) -> [Double] {
        var result = [Double](repeating: -.infinity, count: players)
        for i in 0..<gains.rowCount {
            var s = CompensatedSum()
            for k in gains.rowStart[i]..<gains.rowStart[i + 1] where sigma[gains.columns[k]] != 0 {
                s.add(sigma[gains.columns[k]] * gains.values[k])
            }
            let p = gains.rows[i].player
            result[p] = max(result[p], s.value)
        }
        return result.map { $0 == -.infinity ? 0 : $0 }
    }

    /// Σ_p Σ_r max(0, max_{k≠r} E[A_p(r→k)]) over CE rows.
    static func correlationDistance(_ gains: DeviationGains<Double>, _ sigma: [Double]) -> Double {
        var best: [Int: Double] = [:]
        var order: [Int] = []
        for i in 0..<gains.rowCount {
            var s = CompensatedSum()
            for k in gains.rowStart[i]..<gains.rowStart[i + 1] where sigma[gains.columns[k]] != 0 {
                s.add(sigma[gains.columns[k]] * gains.values[k])
            }
            let row = gains.rows[i]
            let key = row.player << 32 | (row.recommended ?? 0)
            if best[key] == nil { order.append(key) }
            best[key] = max(best[key] ?? 0, s.value)
        }
        var total = CompensatedSum()
        for key in order { total.add(best[key]!) }
        return total.value
    }

    /// Σ_p [g_p − e_p]⁺ (e = 0 when nil).
    static func positivePartSum(_ gains: [Double], _ epsilon: [Double]?) -> Double {
        var total = CompensatedSum()
        for p in 0..<gains.count { total.add(max(0, gains[p] - (epsilon?[p] ?? 0))) }
        return total.value
    }
}
