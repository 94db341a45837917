import Foundation
public import NormalFormGames

/// The selection presets of the paper's Table 3 (SPEC §3), on the normalised game.
///
/// Every preset solves the game normalised as in SPEC §4 (L2: per player, mean 0 and L2 norm
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

    /// The preset's parameters for a game already normalised (``NormalFormGame/normalized(_:)``).
    ///
    /// - Parameters:
    ///   - welfare: the welfare for MWME (normalised separately); MU uses Σ_p G_p of `rawGame`.
    ///   - target: the target for MT.
    ///   - seed: seeds the sampled parts (MRE target, ε̂ of the ε̂- variants): SplitMix64, target
    ///     first (Exp(1) draws −ln(1−u), normalised), then ε̂ per player (−Z + 2Z·u).
    public func parameters(concept: EquilibriumConcept, normalizedGame game: NormalFormGame,
                           rawGame: NormalFormGame, welfare: [Double]?, target: [Double]?, seed: UInt64)
        throws(MWMREError) -> MWMREParameters
    {
        let n = game.playerCount
        let joint = game.jointActionCount
        let z = PayoffNormalization.targetNorm(.l2, jointActions: joint)
        var rng = SplitMix64(seed: seed)
        var parameters = MWMREParameters(
            concept: concept, epsilonTarget: Array(repeating: 0, count: n), epsilonCap: Array(repeating: z, count: n),
            rho: Self.defaultRho)
        switch self {
        case .maximumEntropy, .approximateMaximumEntropy:
            break
        case .minimumDistanceToTarget:
            guard let target else { throw MWMREError("preset MT needs a target (--target FILE)") }
            parameters.target = target
        case .maximumUtilitarianWelfare:
            parameters.welfare = PayoffNormalization.normalize(rawGame.welfare, norm: .l2).values
            parameters.mu = Self.defaultMu
        case .maximumWelfareMaximumEntropy, .approximateMaximumWelfareMaximumEntropy:
            guard let welfare = welfare ?? rawGame.customWelfare else {
                throw MWMREError("preset \(rawValue) needs a welfare (--welfare FILE, or \"welfare\" in the game file)")
            }
            parameters.welfare = PayoffNormalization.normalize(welfare, norm: .l2).values
            parameters.mu = Self.defaultMu
        case .minimumRelativeEntropy, .approximateMinimumRelativeEntropy:
            let draws = (0..<joint).map { _ in -log1p(-rng.nextUnit()) }
            let total = draws.reduce(0, +)
            parameters.target = draws.map { $0 / total }
        case .maximumStrictness:
            parameters.epsilonTarget = Array(repeating: -z, count: n)
        }
        switch self {
        case .approximateMaximumEntropy, .approximateMaximumWelfareMaximumEntropy, .approximateMinimumRelativeEntropy:
            parameters.epsilonTarget = (0..<n).map { _ in -z + 2 * z * rng.nextUnit() }
        default:
            break
        }
        return parameters
    }
}
