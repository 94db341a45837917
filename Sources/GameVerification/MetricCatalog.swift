/// What a metric's numbers are measured in.
public enum MetricUnit: String, Sendable {
    /// Payoff units of the games as evaluated (see ``VerificationContext/units``).
    case payoff
    /// Natural-log units of the MWMRE objective: KL divergences, L(α), the certificate.
    case nats
    /// Probability (distances between distributions).
    case probability
}

/// One per-game metric: its key in `metrics.npz` / `metrics.csv`, label, unit and meaning.
public struct MetricDefinition: Sendable, Hashable {
    public var key: String
    public var label: String
    public var unit: MetricUnit
    /// One value per player ([K, N]); summaries and thresholds use the max over players.
    public var perPlayer: Bool
    /// Summaries and thresholds use |value| (signed metrics).
    public var absoluteInSummary: Bool
    public var meaning: String

    /// The label of the per-game scalar that summaries and thresholds use.
    public var summaryLabel: String {
        perPlayer ? "\(label) (max over players)" : absoluteInSummary ? "|\(label)|" : label
    }
}

/// Every per-game metric of docs/reference.md §5, in report order.
public enum MetricCatalog {
    public static let all: [MetricDefinition] = [
        MetricDefinition(key: "gap", label: "gap Σ_p [max gain_p]⁺", unit: .payoff, perPlayer: false,
                         absoluteInSummary: false,
                         meaning: "Σ over players of the positive part of the largest expected deviation gain of the "
                             + "verified concept under σ: 0 for an exact equilibrium"),
        MetricDefinition(key: "gap_eps", label: "gap Σ_p [max gain_p − ε_p]⁺ (recovered ε)", unit: .payoff,
                         perPlayer: false, absoluteInSummary: false,
                         meaning: "as gap, against the ε_p recovered from the duals (ε_p = ε̂_p − û_p·expm1(−S_p/ρ)); duals only"),
        MetricDefinition(key: "gap_eps_hat", label: "gap Σ_p [max gain_p − ε̂_p]⁺ (target ε̂)", unit: .payoff,
                         perPlayer: false, absoluteInSummary: false,
                         meaning: "as gap, against the target approximation ε̂_p of the MWMRE problem"),
        MetricDefinition(key: "max_ce_gain", label: "max CE gain", unit: .payoff, perPlayer: true,
                         absoluteInSummary: false,
                         meaning: "per player, max over CE rows (p, r→k) of Σ_a σ(a)·[a_p = r](G_p(k, a_−p) − G_p(a))"),
        MetricDefinition(key: "max_cce_gain", label: "max CCE gain", unit: .payoff, perPlayer: true,
                         absoluteInSummary: false,
                         meaning: "per player, max over CCE rows (p, k) of Σ_a σ(a)·(G_p(k, a_−p) − G_p(a))"),
        MetricDefinition(key: "corr_dist_ce", label: "OpenSpiel corr_dist-style CE Σ_p Σ_r max_k gain", unit: .payoff,
                         perPlayer: false, absoluteInSummary: false,
                         meaning: "Σ_p Σ_r max_k Σ_a σ(a)[a_p = r](G_p(k, a_−p) − G_p(a)) with k over all actions "
                             + "(k = r gives 0), as OpenSpiel's corr_dist reports CE distance"),
        MetricDefinition(key: "certified_gap", label: "certified gap L(α) − P(σ(α), ε̃)", unit: .nats, perPlayer: false,
                         absoluteInSummary: false,
                         meaning: "docs/reference.md §3's free certificate, from the duals alone: an upper bound on KL(σ‖σ*); "
                             + "ε̃_p = max(ε̂_p, max gain_p); undefined when ε̃ reaches ε⁺ (or, at ρ = ∞, when σ(α) is infeasible)"),
        MetricDefinition(key: "kl_pred_ref", label: "KL(σ‖σ*)", unit: .nats, perPlayer: false, absoluteInSummary: false,
                         meaning: "Σ_a σ(a) ln(σ(a)/σ*(a)); infinite when σ has mass where σ* has none"),
        MetricDefinition(key: "kl_ref_pred", label: "KL(σ*‖σ)", unit: .nats, perPlayer: false, absoluteInSummary: false,
                         meaning: "Σ_a σ*(a) ln(σ*(a)/σ(a)); infinite when σ* has mass where σ has none"),
        MetricDefinition(key: "tv", label: "total variation ½‖σ − σ*‖₁", unit: .probability, perPlayer: false,
                         absoluteInSummary: false, meaning: "½ Σ_a |σ(a) − σ*(a)|"),
        MetricDefinition(key: "max_abs_diff", label: "max_a |σ(a) − σ*(a)|", unit: .probability, perPlayer: false,
                         absoluteInSummary: false, meaning: "largest difference of one joint action's probability"),
        MetricDefinition(key: "eps_diff", label: "|ε − ε*|", unit: .payoff, perPlayer: true, absoluteInSummary: false,
                         meaning: "per player, |recovered ε_p − reference ε*_p| (duals and an MWMRE reference)"),
        MetricDefinition(key: "welfare_diff", label: "welfare difference W·σ − W·σ*", unit: .payoff, perPlayer: false,
                         absoluteInSummary: true,
                         meaning: "signed; W = Σ_p G_p of the game as evaluated; summaries use |·|"),
        MetricDefinition(key: "dual_suboptimality", label: "dual suboptimality L(α) − L(α*)", unit: .nats,
                         perPlayer: false, absoluteInSummary: false,
                         meaning: "the dual loss the network is trained on, above its minimum (duals and an MWMRE reference)"),
        MetricDefinition(key: "welfare", label: "welfare W·σ", unit: .payoff, perPlayer: false, absoluteInSummary: false,
                         meaning: "expected welfare of the prediction"),
        MetricDefinition(key: "welfare_ref", label: "reference welfare W·σ*", unit: .payoff, perPlayer: false,
                         absoluteInSummary: false, meaning: "expected welfare of the reference"),
        MetricDefinition(key: "dual_objective", label: "dual objective L(α)", unit: .nats, perPlayer: false,
                         absoluteInSummary: false, meaning: "docs/reference.md §3's dual loss at the predicted duals"),
        MetricDefinition(key: "epsilon", label: "recovered ε", unit: .payoff, perPlayer: true, absoluteInSummary: false,
                         meaning: "ε_p = ε̂_p − û_p·expm1(−S_p/ρ) recovered from the duals (ε̂_p at ρ = ∞)"),
    ]

    /// The definition of `key`.
    public static func definition(_ key: String) -> MetricDefinition? { all.first { $0.key == key } }

    /// Metrics whose summaries lead the report (the gaps and distances).
    public static let headline = ["gap", "gap_eps", "gap_eps_hat", "certified_gap", "kl_pred_ref", "tv",
                                  "dual_suboptimality"]

    /// The per-game values of metric `key` in one game's metrics (`nil`: undefined).
    static func values(_ key: String, _ m: GameMetrics) -> [Double]? {
        switch key {
        case "gap": return [m.gap]
        case "gap_eps": return m.gapRecoveredEpsilon.map { [$0] }
        case "gap_eps_hat": return m.gapTargetEpsilon.map { [$0] }
        case "max_ce_gain": return m.maximumCEGains
        case "max_cce_gain": return m.maximumCCEGains
        case "corr_dist_ce": return [m.correlationDistanceCE]
        case "certified_gap": return m.certifiedGap.map { [$0] }
        case "kl_pred_ref": return m.klPredictionReference.map { [$0] }
        case "kl_ref_pred": return m.klReferencePrediction.map { [$0] }
        case "tv": return m.totalVariation.map { [$0] }
        case "max_abs_diff": return m.maximumAbsoluteDifference.map { [$0] }
        case "eps_diff": return m.epsilonDifference
        case "welfare_diff": return m.welfareDifference.map { [$0] }
        case "dual_suboptimality": return m.dualSuboptimality.map { [$0] }
        case "welfare": return [m.welfare]
        case "welfare_ref": return m.referenceWelfare.map { [$0] }
        case "dual_objective": return m.dualObjective.map { [$0] }
        case "epsilon": return m.epsilon
        default: return nil
        }
    }
}

/// One metric over all games: values (undefined entries +∞), the mask, and the per-game scalar
/// used in summaries and thresholds.
public struct MetricColumn: Sendable {
    public var definition: MetricDefinition
    /// K values, or K·N for per-player metrics (game-major); +∞ where undefined.
    public var values: [Double]
    /// Per game: whether the metric is defined.
    public var defined: [Bool]
    /// Per game: the scalar summarised (max over players, or |value|); +∞ where undefined.
    public var summaryValues: [Double]
}

/// Every metric defined for at least one game, in catalogue order.
public struct MetricTable: Sendable {
    public var players: Int
    public var columns: [MetricColumn]
    /// Metrics defined for no game, with the reason.
    public var absent: [(key: String, reason: String)]

    public func column(_ key: String) -> MetricColumn? { columns.first { $0.definition.key == key } }

    /// Builds the table from per-game metrics.
    package init(metrics: [GameMetrics], players: Int, hasDuals: Bool, hasReference: Bool) {
        self.players = players
        var columns: [MetricColumn] = []
        var absent: [(key: String, reason: String)] = []
        for definition in MetricCatalog.all {
            let width = definition.perPlayer ? players : 1
            var values: [Double] = []
            values.reserveCapacity(metrics.count * width)
            var defined: [Bool] = []
            var summary: [Double] = []
            for m in metrics {
                if let v = MetricCatalog.values(definition.key, m), v.count == width {
                    values += v
                    defined.append(true)
                    let s = definition.perPlayer ? (v.max() ?? 0) : definition.absoluteInSummary ? abs(v[0]) : v[0]
                    summary.append(s)
                } else {
                    values += Array(repeating: .infinity, count: width)
                    defined.append(false)
                    summary.append(.infinity)
                }
            }
            if defined.contains(true) {
                columns.append(MetricColumn(definition: definition, values: values, defined: defined, summaryValues: summary))
            } else {
                let reason: String
                switch definition.key {
                case "gap_eps", "epsilon", "dual_objective":
                    reason = "needs duals (the predictions are joints)"
                case "certified_gap":
                    reason = hasDuals ? "no game has a certificate (see the notes)" : "needs duals (the predictions are joints)"
                case "eps_diff", "dual_suboptimality":
                    reason = !hasDuals ? "needs duals (the predictions are joints)"
                        : hasReference ? "needs an MWMRE reference with ε* and L(α*)" : "needs a reference solution"
                case "gap_eps_hat":
                    reason = "needs the MWMRE parameters (ε̂)"
                default:
                    reason = hasReference ? "no game has a usable reference solution" : "needs a reference solution"
                }
                absent.append((definition.key, reason))
            }
        }
        self.columns = columns
        self.absent = absent
    }
}
