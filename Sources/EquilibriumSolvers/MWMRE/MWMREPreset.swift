
/// The selection presets of the paper's Table 3 (docs/reference.md §3), on the normalised game.
///
/// Every preset solves the game normalised as in docs/reference.md §4 (L2: per player, mean 0 and L2 norm
/// Z = √|A|), so its parameters are in those units: ε⁺_p = Z, "large" μ = ``defaultMu`` and
/// "large" ρ = ``defaultRho``. With finite ρ, large μ trades welfare against ε: the result depends
/// on μ/ρ, and as μ grows ε climbs toward ε⁺; the defaults keep μ/ρ = 0.01. Pass `inf` for the
/// exact limits (ρ = ∞ pins ε = ε̂; μ = ∞ is max welfare, then max entropy on that face).
public enum MWMREPreset: String, Sendable, CaseIterable {
    /// Max entropy: uniform σ̂, ε̂ = 0, no welfare.
    case maximumEntropy = "ME"
    /// Minimum relative entropy to a given target.
    case minimumDistanceToTarget = "MT"
    /// Max utilitarian welfare (W = Σ_p G_p), then max entropy.
    case maximumUtilitarianWelfare = "MU"
    /// Max of a given welfare, then max entropy.
    case maximumWelfareMaximumEntropy = "MWME"
    /// Min relative entropy to a random Dirichlet(1) target.
    case minimumRelativeEntropy = "MRE"
    /// Max strictness: ε̂ = −Z.
    case maximumStrictness = "MS"
    /// ME with ε̂_p ~ U(−Z, Z).
    case approximateMaximumEntropy = "eps-ME"
    /// MWME with ε̂_p ~ U(−Z, Z).
    case approximateMaximumWelfareMaximumEntropy = "eps-MWME"
    /// MRE with ε̂_p ~ U(−Z, Z).
    case approximateMinimumRelativeEntropy = "eps-MRE"

    /// "Large" μ for the welfare presets, in normalised units.
    public static let defaultMu = 10.0
    /// "Large" ρ, in normalised units.
    public static let defaultRho = 1000.0
}
