public import NormalFormGames

/// A game distribution: one of the paper's invariant classes (L1, L2, L∞) or a GAMUT preset.
public enum GameDistribution: Sendable, Equatable {
    case invariant(PayoffNormalization.Norm)
    case gamut(GamutPreset)

    /// Parses `l1`, `l2`, `linf` or a GAMUT preset name (case-insensitive), or a paper label
    /// `D1` … `D22`.
    public init?(name: String) {
        let lower = name.lowercased()
        if let norm = PayoffNormalization.Norm(rawValue: lower) {
            self = .invariant(norm)
            return
        }
        if let preset = GamutPreset.allCases.first(where: { $0.rawValue.lowercased() == lower || $0.paperLabel.lowercased() == lower }) {
            self = .gamut(preset)
            return
        }
        return nil
    }

    public var name: String {
        switch self {
        case .invariant(let norm): return norm.rawValue
        case .gamut(let preset): return preset.rawValue
        }
    }

    /// Every distribution, in `--list` order: L1, L2, L∞, then D1–D22.
    public static var all: [GameDistribution] {
        [.invariant(.l1), .invariant(.l2), .invariant(.lInfinity)] + GamutPreset.allCases.map { .gamut($0) }
    }

    public var summary: String {
        switch self {
        case .invariant(let norm):
            let label = norm == .l1 ? "L1" : norm == .l2 ? "L2" : "L∞"
            return "\(label)-invariant: per player i.i.d. N(0,1), mean removed, \(label) norm Z; any players and action counts"
        case .gamut(let preset):
            return "\(preset.paperLabel) GAMUT \(preset.rawValue) (-random_params): \(preset.restrictions)"
        }
    }
}

/// One generated game with its metadata.
public struct GeneratedSample: Sendable {
    public var index: Int
    /// Payoffs after the requested normalisation, layout `[N, n_1, …, n_N]`.
    public var payoffs: [Double]
    public var parameters: [String: Double]
    public var redraws: Int
    /// Per-player unit-variance map applied (scale c_p, offset), when one was requested.
    public var scales: [Double]?
    public var offsets: [Double]?
    /// Players whose payoffs were constant (mapped to zeros by the per-player normalisation).
    public var constantPlayers: [Int]
}

/// A request for games: the i-th game depends only on (seed, distribution, shape, i).
public struct GenerationRequest: Sendable {
    public var distribution: GameDistribution
    public var actionCounts: [Int]
    public var seed: UInt64
    /// Per-player unit-variance normalisation (docs/reference.md §4) applied after generation, if any.
    public var normalization: PayoffNormalization.Norm?
    /// GAMUT's global affine `-normalize` to [low, high], applied before `normalization`.
    public var gamutRange: (low: Double, high: Double)?

    public init(distribution: GameDistribution, actionCounts: [Int], seed: UInt64,
                normalization: PayoffNormalization.Norm? = nil, gamutRange: (low: Double, high: Double)? = nil) {
        self.distribution = distribution
        self.actionCounts = actionCounts
        self.seed = seed
        self.normalization = normalization
        self.gamutRange = gamutRange
    }

    /// Checks the shape for the distribution (and the payoff-count limit of a game).
    public func validate() throws(GeneratorError) {
        guard !actionCounts.isEmpty else { throw GeneratorError("a game needs at least one player") }
        if let bad = actionCounts.firstIndex(where: { $0 < 1 }) {
            throw GeneratorError("player \(bad + 1) has \(actionCounts[bad]) actions; every player needs at least one")
        }
        var joint = 1
        for n in actionCounts {
            let (product, overflow) = joint.multipliedReportingOverflow(by: n)
            guard !overflow, product * actionCounts.count <= NormalFormGame.maximumPayoffEntries else {
                throw GeneratorError("game too large: at most \(NormalFormGame.maximumPayoffEntries) payoff entries")
            }
            joint = product
        }
        switch distribution {
        case .invariant:
            guard joint >= 2 else { throw GeneratorError("an invariant game needs at least two joint actions") }
        case .gamut(let preset):
            try preset.validate(actionCounts: actionCounts)
        }
        if let range = gamutRange, !(range.low < range.high) || !(range.high - range.low).isFinite {
            throw GeneratorError("GAMUT normalisation needs finite min < max whose difference is finite "
                                 + "(got \(range.low), \(range.high))")
        }
    }

    /// Game `index` of the request.
    public func game(at index: Int) throws(GeneratorError) -> GeneratedSample {
        var random = GameRandom(seed: seed, family: distribution.name, actionCounts: actionCounts, index: UInt64(index))
        var generated: GeneratedGame
        switch distribution {
        case .invariant(let norm):
            generated = GeneratedGame(payoffs: InvariantGames.generate(norm: norm, actionCounts: actionCounts, random: &random))
        case .gamut(let preset):
            generated = try preset.generate(actionCounts: actionCounts, random: &random)
        }
        if let bad = generated.payoffs.firstIndex(where: { !$0.isFinite }) {
            throw GeneratorError("\(distribution.name) produced a non-finite payoff at entry \(bad) of game \(index)")
        }
        var payoffs = generated.payoffs
        if let range = gamutRange { payoffs = try Gamut.normalize(payoffs, low: range.low, high: range.high) }
        var sample = GeneratedSample(index: index, payoffs: payoffs, parameters: generated.parameters,
                                     redraws: generated.redraws, scales: nil, offsets: nil, constantPlayers: [])
        if let norm = normalization {
            let joint = actionCounts.reduce(1, *)
            let z = InvariantGames.scale(norm, jointActions: max(joint, 2))
            var scales: [Double] = [], offsets: [Double] = []
            var normalized: [Double] = []
            for p in 0..<actionCounts.count {
                let (values, scale, offset) = PayoffNormalization.normalize(
                    Array(payoffs[(p * joint)..<((p + 1) * joint)]), norm: norm, target: z)
                normalized += values
                scales.append(scale)
                offsets.append(offset)
                if scale == 0 { sample.constantPlayers.append(p) }
            }
            sample.payoffs = normalized
            sample.scales = scales
            sample.offsets = offsets
        }
        return sample
    }
}
