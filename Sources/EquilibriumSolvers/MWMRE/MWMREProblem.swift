import Foundation
public import NormalFormGames
import GameGenerators

/// The MWMRE problem a game is solved with, as a user asks for it: a Table 3 preset, the explicit
/// overrides, the units, and the seed of the sampled parts.
///
/// This is the one definition of "the problem game i is solved with". `equilibria solve`,
/// `batch`, `verify` and the Python package all describe what they were asked in this type and
/// get each game's ``MWMREParameters`` from ``instance(of:)`` and nothing else, so that the same
/// request always means the same problem.
///
/// The rules (docs/mathematics.md, "Presets" and "Welfare"):
/// - every explicit value overrides the preset's: μ, ρ, ε̂, ε⁺, the target σ̂ and the welfare W;
/// - **units**: ``Units/normalized`` (the default) solves the L2-normalised game, where the
///   presets' numbers are defined; ``Units/raw`` solves the payoffs as given;
/// - **welfare** W, in this order: the explicit welfare; for MU, Σ_p G_p; the game's own
///   welfare; for MWME and eps-MWME with ``samplesMissingWelfare``, one standard normal per
///   joint action from the game's stream; and when μ ≠ 0 without any of these, Σ_p G_p. W is
///   computed from the payoffs as given and, in normalised units, normalised like a payoff
///   table (separately);
/// - **ε⁺** by default: Z = √|A| in normalised units; in raw units the payoff range (1 for a
///   constant game);
/// - **seed** of the sampled parts (MRE's target, the ε̂ of the eps- presets, a sampled welfare):
///   the seed itself for a single game, and ``sampledPartsSeed(seed:gameIndex:)`` for game i of a
///   generated collection.
///
/// Values that have no effect on the answer are refused rather than ignored
/// (``instance(of:)`` throws a parameter error that starts with the symbol): a welfare with
/// μ = 0, a finite ρ with μ = ∞, ε⁺ with ρ = ∞ or μ = ∞; see ``ineffective``.
public struct MWMREProblem: Sendable, Equatable {
    /// The payoff units the problem is solved in.
    public enum Units: String, Sendable, Equatable, CaseIterable {
        /// The L2-normalised game (mean 0 and L2 norm √|A| per player): the presets' units.
        case normalized
        /// The payoffs as given.
        case raw
    }

    /// An explicit target joint σ̂.
    public enum Target: Sendable, Equatable {
        case uniform
        /// One non-negative entry per joint action, summing to 1.
        case given([Double])
    }

    public var concept: EquilibriumConcept
    public var preset: MWMREPreset
    public var units: Units
    /// Explicit μ (may be `.infinity`, or negative: a linear term that prefers low welfare).
    public var mu: Double?
    /// Explicit ρ > 0 (may be `.infinity`).
    public var rho: Double?
    /// Explicit ε̂: one value for every player, or one per player (units solved in).
    public var epsilonTarget: [Double]?
    /// Explicit ε⁺: one value for every player, or one per player (units solved in).
    public var epsilonCap: [Double]?
    /// Explicit σ̂.
    public var target: Target?
    /// Explicit W over joint actions, in the units of the payoffs as given.
    public var welfare: [Double]?
    /// Seed of the sampled preset parts.
    public var seed: UInt64
    /// Whether MWME and eps-MWME sample a welfare when none is given (games that were generated,
    /// as in `batch`); otherwise such a game needs a welfare.
    public var samplesMissingWelfare: Bool

    public init(concept: EquilibriumConcept, preset: MWMREPreset = .maximumEntropy, units: Units = .normalized,
                mu: Double? = nil, rho: Double? = nil, epsilonTarget: [Double]? = nil, epsilonCap: [Double]? = nil,
                target: Target? = nil, welfare: [Double]? = nil, seed: UInt64 = 0, samplesMissingWelfare: Bool = false) {
        self.concept = concept
        self.preset = preset
        self.units = units
        self.mu = mu
        self.rho = rho
        self.epsilonTarget = epsilonTarget
        self.epsilonCap = epsilonCap
        self.target = target
        self.welfare = welfare
        self.seed = seed
        self.samplesMissingWelfare = samplesMissingWelfare
    }

    /// A game as the problem receives it.
    public struct Source: Sendable {
        /// The game, in the units it was given or generated in.
        public var game: NormalFormGame
        /// Its index in a generated collection (its sampled parts then come from
        /// ``MWMREProblem/sampledPartsSeed(seed:gameIndex:)``); `nil` for a single game.
        public var gameIndex: Int?
        /// Whether the payoffs are already L2-normalised (games written by `generate` and `batch`):
        /// they are then solved as they are in normalised units, and W is Σ_p of them.
        public var isNormalized: Bool

        public init(game: NormalFormGame, gameIndex: Int? = nil, isNormalized: Bool = false) {
            self.game = game
            self.gameIndex = gameIndex
            self.isNormalized = isNormalized
        }
    }

    /// One game's problem: the game solved, its parameters, and the normalisation applied.
    public struct Instance: Sendable {
        /// The game the parameters refer to (normalised, or as given).
        public var game: NormalFormGame
        public var parameters: MWMREParameters
        /// The map from the payoffs as given to ``game``; `nil` when none was applied.
        public var normalization: PayoffNormalization?
        /// The seed the sampled parts were drawn with.
        public var sampledPartsSeed: UInt64
    }

    /// The seed of game `gameIndex`'s sampled parts in a collection generated with `seed`: its own
    /// stream per game, so that game i's target and ε̂ do not depend on the other games.
    public static func sampledPartsSeed(seed: UInt64, gameIndex: Int) -> UInt64 {
        GameRandom.mix(seed ^ GameRandom.mix(UInt64(truncatingIfNeeded: gameIndex) &+ 0x9E37_79B9))
    }

    /// The μ the problem is solved with: the explicit one, else the preset's.
    public var effectiveMu: Double { mu ?? preset.mu }
    /// The ρ the problem is solved with: the explicit one, else the preset's.
    public var effectiveRho: Double { rho ?? MWMREPreset.defaultRho }

    /// Whether anything is drawn from the seed: MRE's target (unless a target is given), the ε̂ of
    /// the eps- presets (unless ε̂ is given), or a sampled welfare.
    public var samplesAnything: Bool {
        (preset.samplesTarget && target == nil) || (preset.samplesEpsilonTarget && epsilonTarget == nil)
            || (preset.needsWelfare && samplesMissingWelfare && welfare == nil)
    }

    /// Refuses an explicitly given seed when nothing is sampled (``samplesAnything``): it would
    /// change nothing. The message starts with "seed:", as every parameter error names its symbol.
    public func checkExplicitSeed() throws(MWMREError) {
        guard !samplesAnything else { return }
        throw MWMREError.parameter(
            "seed: preset \(preset.rawValue) samples nothing"
                + (preset.samplesTarget || preset.samplesEpsilonTarget ? " once its sampled parts are given explicitly" : "")
                + ", so a seed has no effect")
    }

    /// Explicit values that cannot change the answer, each with the reason (empty when none). The
    /// message starts with the parameter's symbol (μ, ρ, ε⁺, W), as every parameter error does.
    public var ineffective: [String] {
        var found: [String] = []
        let mu = effectiveMu, rho = effectiveRho
        if welfare != nil && mu == 0 {
            found.append("W: a welfare has no effect with μ = 0 (preset \(preset.rawValue)); give μ, or a welfare preset (MU, MWME)")
        }
        if let rho = self.rho, !rho.isInfinite, mu.isInfinite {
            found.append("ρ = \(rho) has no effect with μ = ∞, which pins ε to ε̂ (ρ = ∞)")
        }
        if epsilonCap != nil && (mu.isInfinite || rho.isInfinite) {
            found.append("ε⁺ has no effect with \(mu.isInfinite ? "μ" : "ρ") = ∞: ε is pinned to ε̂")
        }
        return found
    }

    /// The problem of one game, by the rules above; throws a parameter error for values that do
    /// not fit the game or have no effect.
    public func instance(of source: Source) throws(MWMREError) -> Instance {
        if let reason = ineffective.first { throw MWMREError.parameter(reason) }
        let given = source.game
        let n = given.playerCount, joint = given.jointActionCount
        let normalizedUnits = units == .normalized
        let normalization: PayoffNormalization?
        let game: NormalFormGame
        if normalizedUnits && !source.isNormalized {
            let (g, map) = given.l2Normalized()
            game = g
            normalization = map
        } else {
            game = given
            normalization = nil
        }
        let z = PayoffNormalization.l2Target(jointActions: joint)
        let partsSeed = source.gameIndex.map { Self.sampledPartsSeed(seed: seed, gameIndex: $0) } ?? seed
        var random = SplitMix64(seed: partsSeed)

        // The preset's sampled parts, always drawn in this order (target, then ε̂), so that an
        // override of one does not change the other.
        var sampledTarget: [Double]?
        if preset.samplesTarget {
            let draws = (0..<joint).map { _ in -log1p(-random.nextUnit()) }
            let total = draws.reduce(0, +)
            sampledTarget = draws.map { $0 / total }
        }
        let scale = normalizedUnits ? z : Self.payoffRange(given)
        var epsilonTarget = Array(repeating: preset == .maximumStrictness ? -scale : 0, count: n)
        if preset.samplesEpsilonTarget {
            epsilonTarget = (0..<n).map { _ in -scale + 2 * scale * random.nextUnit() }
        }
        if let explicit = self.epsilonTarget { epsilonTarget = try Self.perPlayer(explicit, symbol: "ε̂", players: n) }
        let epsilonCap = try self.epsilonCap.map { e throws(MWMREError) in try Self.perPlayer(e, symbol: "ε⁺", players: n) }
            ?? Array(repeating: scale, count: n)

        var parameters = MWMREParameters(concept: concept, epsilonTarget: epsilonTarget, epsilonCap: epsilonCap,
                                         mu: effectiveMu, rho: effectiveRho)
        parameters.target = try resolvedTarget(joint: joint, sampled: sampledTarget)
        let (welfare, exactWelfare) = try resolvedWelfare(of: given, mu: parameters.mu, partsSeed: partsSeed)
        if let w = welfare, normalizedUnits {
            // Normalised like a payoff table, separately; the exact values no longer apply.
            parameters.welfare = PayoffNormalization.normalizeL2(w).values
        } else {
            if let w = welfare, let bad = w.firstIndex(where: { !$0.isFinite }) {
                throw MWMREError.parameter("the utilitarian welfare Σ_p G_p overflows the doubles at joint action "
                                           + "\(NormalFormGame.label(jointIndex: bad, actionCounts: given.actionCounts)); "
                                           + "solve in normalised units, or give a welfare of your own")
            }
            parameters.welfare = welfare
            parameters.exactWelfare = exactWelfare
        }
        return Instance(game: game, parameters: parameters, normalization: normalization, sampledPartsSeed: partsSeed)
    }

    /// σ̂: uniform (`nil`), the given one, or the preset's sampled one.
    private func resolvedTarget(joint: Int, sampled: [Double]?) throws(MWMREError) -> [Double]? {
        switch target {
        case .uniform?: return nil
        case .given(let t)?:
            guard t.count == joint else {
                throw MWMREError.parameter("σ̂ has \(t.count) entries; expected one per joint action (\(joint))")
            }
            return t
        case nil:
            if preset == .minimumDistanceToTarget {
                throw MWMREError.parameter("σ̂: preset MT needs a target")
            }
            return sampled
        }
    }

    /// W from the payoffs as given (and exactly when they are exact): the given W, the
    /// utilitarian welfare for MU, the game's own, a sampled one for presets that need one, or
    /// the utilitarian welfare; none when μ = 0. The utilitarian welfare is Σ_p G_p, which may
    /// overflow where the payoffs do not: in normalised units it is taken times an exact power of
    /// two (``NormalFormGame/scaledUtilitarianWelfare``; the normalisation does not see it).
    private func resolvedWelfare(of given: NormalFormGame, mu: Double, partsSeed: UInt64)
        throws(MWMREError) -> (welfare: [Double]?, exact: [Rational]?)
    {
        let joint = given.jointActionCount
        let utilitarian = units == .normalized ? given.scaledUtilitarianWelfare.values : given.utilitarianWelfare
        var welfare: [Double]?
        var exactWelfare: [Rational]?
        if let explicit = self.welfare {
            guard explicit.count == joint else {
                throw MWMREError.parameter("W has \(explicit.count) entries; expected one per joint action (\(joint))")
            }
            if let bad = explicit.firstIndex(where: { !$0.isFinite }) {
                throw MWMREError.parameter("W entry \(bad + 1) is not finite")
            }
            welfare = explicit
        } else if preset == .maximumUtilitarianWelfare {
            welfare = utilitarian
            exactWelfare = given.hasExactPayoffs ? given.rationalUtilitarianWelfare : nil
        } else if let own = given.customWelfare {
            welfare = own
            exactWelfare = given.hasExactPayoffs ? given.rationalWelfare : nil
        } else if preset.needsWelfare && mu != 0 {
            guard samplesMissingWelfare else {
                throw MWMREError.parameter("W: preset \(preset.rawValue) needs a welfare (given, or the game's own)")
            }
            var stream = GameRandom(seed: GameRandom.mix(partsSeed ^ 0x5745_4C46))
            welfare = (0..<joint).map { _ in stream.normal() }
        } else if mu != 0 {
            welfare = utilitarian
            exactWelfare = given.hasExactPayoffs ? given.rationalUtilitarianWelfare : nil
        }
        if mu == 0 { return (nil, nil) }
        return (welfare, exactWelfare)
    }

    /// The default raw-units scale: the payoff range over all players, 1 for a constant game.
    static func payoffRange(_ game: NormalFormGame) -> Double {
        let range = (game.payoffs.max() ?? 0) - (game.payoffs.min() ?? 0)
        return range > 0 && range.isFinite ? range : 1
    }

    /// W = Σ_p G_p of `game`, normalised like a payoff table in normalised units: the welfare a
    /// problem with μ ≠ 0 uses when none is given.
    public static func utilitarianWelfare(of game: NormalFormGame, units: Units) -> [Double] {
        units == .normalized ? PayoffNormalization.normalizeL2(game.scaledUtilitarianWelfare.values).values
            : game.utilitarianWelfare
    }

    static func perPlayer(_ values: [Double], symbol: String, players: Int) throws(MWMREError) -> [Double] {
        if let bad = values.first(where: { !$0.isFinite }) { throw MWMREError.parameter("\(symbol): \(bad) is not finite") }
        guard let values = NormalFormGame.perPlayer(values, players: players) else {
            throw MWMREError.parameter("\(symbol) has \(values.count) values; give one, or one per player (\(players))")
        }
        return values
    }
}

extension MWMREPreset {
    /// The preset's μ: ``defaultMu`` for the welfare presets, 0 otherwise.
    public var mu: Double { needsWelfare || self == .maximumUtilitarianWelfare ? Self.defaultMu : 0 }
    /// Whether the preset draws its target (MRE, eps-MRE).
    public var samplesTarget: Bool { self == .minimumRelativeEntropy || self == .approximateMinimumRelativeEntropy }
    /// Whether the preset draws ε̂ (the eps- presets).
    public var samplesEpsilonTarget: Bool {
        self == .approximateMaximumEntropy || self == .approximateMaximumWelfareMaximumEntropy
            || self == .approximateMinimumRelativeEntropy
    }
    /// Whether the preset needs a given welfare (MWME, eps-MWME).
    public var needsWelfare: Bool {
        self == .maximumWelfareMaximumEntropy || self == .approximateMaximumWelfareMaximumEntropy
    }
}
