import NormalFormGames

/// The graph classes GAMUT's graph-based games draw from (docs/gamut.md, GAMUT's graph classes).
public enum GamutGraphKind: String, Sendable, CaseIterable {
    case complete = "CompleteGraph"
    case random = "RandomGraph"
    case road = "RoadGraph"
    case star = "StarGraph"
    case smallWorld = "SmallWorldGraph"
}

/// Namespace of the GAMUT generators (reimplemented from docs/gamut.md, `-random_params` semantics).
package enum Gamut {}

/// The paper's 22 GAMUT distributions (appendix Table 4, D1–D22), as GAMUT presets.
public enum GamutPreset: String, Sendable, CaseIterable {
    case bertrandOligopoly = "BertrandOligopoly"
    case bidirectionalLEGComplete = "BidirectionalLEG-CG"
    case bidirectionalLEGRandom = "BidirectionalLEG-RG"
    case bidirectionalLEGStar = "BidirectionalLEG-SG"
    case covariantPositive = "CovariantGame-Pos"
    case covariant = "CovariantGame"
    case covariantZero = "CovariantGame-Zero"
    case dispersion = "DispersionGame"
    case graphicalRandom = "GraphicalGame-RG"
    case graphicalRoad = "GraphicalGame-Road"
    case graphicalStar = "GraphicalGame-SG"
    case graphicalSmallWorld = "GraphicalGame-SW"
    case minimumEffort = "MinimumEffortGame"
    case polymatrixComplete = "PolymatrixGame-CG"
    case polymatrixRandom = "PolymatrixGame-RG"
    case polymatrixRoad = "PolymatrixGame-Road"
    case polymatrixSmallWorld = "PolymatrixGame-SW"
    case random = "RandomGame"
    case travelersDilemma = "TravelersDilemma"
    case uniformLEGComplete = "UniformLEG-CG"
    case uniformLEGRandom = "UniformLEG-RG"
    case uniformLEGStar = "UniformLEG-SG"

    /// The paper's label, D1 … D22 (appendix Table 4 order, which is this enum's order).
    public var paperLabel: String { "D\(GamutPreset.allCases.firstIndex(of: self)! + 1)" }

    /// Whether GAMUT requires every player to have the same number of actions.
    public var requiresEqualActions: Bool {
        switch self {
        case .random, .covariant, .covariantPositive, .covariantZero: return false
        default: return true
        }
    }

    /// GAMUT's restrictions, as a person reads them (`generate --list`).
    public var restrictions: String {
        var parts = ["2–100 players", requiresEqualActions ? "equal action counts" : "any action counts (1–500 each)"]
        switch self {
        case .uniformLEGRandom, .bidirectionalLEGRandom: parts.append("at least 2 actions (random graph on the actions)")
        case .polymatrixRandom, .graphicalRandom: parts.append("random graph on the players")
        default: break
        }
        return parts.joined(separator: "; ")
    }

    /// Checks GAMUT's restrictions on the shape.
    public func validate(actionCounts: [Int]) throws(GeneratorError) {
        let n = actionCounts.count
        guard (2...100).contains(n) else { throw GeneratorError("\(rawValue) needs 2 to 100 players, got \(n)") }
        if let bad = actionCounts.firstIndex(where: { !(1...500).contains($0) }) {
            throw GeneratorError("\(rawValue): player \(bad + 1) has \(actionCounts[bad]) actions; GAMUT allows 1 to 500")
        }
        if requiresEqualActions && Set(actionCounts).count != 1 {
            throw GeneratorError("\(rawValue) needs every player to have the same number of actions "
                                 + "(got \(actionCounts.map(String.init).joined(separator: ",")))")
        }
        switch self {
        case .uniformLEGRandom, .bidirectionalLEGRandom:
            if actionCounts[0] < 2 { throw GeneratorError("\(rawValue) needs at least 2 actions (its graph is on the actions)") }
        default: break
        }
    }

    /// Generates one game's raw payoffs (before any normalisation).
    public func generate(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        try validate(actionCounts: actionCounts)
        switch self {
        case .bertrandOligopoly: return try Gamut.bertrandOligopoly(actionCounts: actionCounts, random: &random)
        case .bidirectionalLEGComplete:
            return try Gamut.localEffectGame(actionCounts: actionCounts, bidirectional: true, graph: .complete, random: &random)
        case .bidirectionalLEGRandom:
            return try Gamut.localEffectGame(actionCounts: actionCounts, bidirectional: true, graph: .random, random: &random)
        case .bidirectionalLEGStar:
            return try Gamut.localEffectGame(actionCounts: actionCounts, bidirectional: true, graph: .star, random: &random)
        case .covariantPositive: return try Gamut.covariantGame(actionCounts: actionCounts, r: 0.9, random: &random)
        case .covariant: return try Gamut.covariantGame(actionCounts: actionCounts, r: nil, random: &random)
        case .covariantZero: return try Gamut.covariantGame(actionCounts: actionCounts, r: 0, random: &random)
        case .dispersion: return try Gamut.dispersionGame(actionCounts: actionCounts, random: &random)
        case .graphicalRandom: return try Gamut.graphicalGame(actionCounts: actionCounts, graph: .random, random: &random)
        case .graphicalRoad: return try Gamut.graphicalGame(actionCounts: actionCounts, graph: .road, random: &random)
        case .graphicalStar: return try Gamut.graphicalGame(actionCounts: actionCounts, graph: .star, random: &random)
        case .graphicalSmallWorld:
            return try Gamut.graphicalGame(actionCounts: actionCounts, graph: .smallWorld, random: &random)
        case .minimumEffort: return try Gamut.minimumEffortGame(actionCounts: actionCounts, random: &random)
        case .polymatrixComplete: return try Gamut.polymatrixGame(actionCounts: actionCounts, graph: .complete, random: &random)
        case .polymatrixRandom: return try Gamut.polymatrixGame(actionCounts: actionCounts, graph: .random, random: &random)
        case .polymatrixRoad: return try Gamut.polymatrixGame(actionCounts: actionCounts, graph: .road, random: &random)
        case .polymatrixSmallWorld:
            return try Gamut.polymatrixGame(actionCounts: actionCounts, graph: .smallWorld, random: &random)
        case .random: return try Gamut.randomGame(actionCounts: actionCounts, random: &random)
        case .travelersDilemma: return try Gamut.travelersDilemma(actionCounts: actionCounts, random: &random)
        case .uniformLEGComplete:
            return try Gamut.localEffectGame(actionCounts: actionCounts, bidirectional: false, graph: .complete, random: &random)
        case .uniformLEGRandom:
            return try Gamut.localEffectGame(actionCounts: actionCounts, bidirectional: false, graph: .random, random: &random)
        case .uniformLEGStar:
            return try Gamut.localEffectGame(actionCounts: actionCounts, bidirectional: false, graph: .star, random: &random)
        }
    }
}

extension Gamut {
    /// GAMUT's `-normalize -min_payoff lo -max_payoff hi` (docs/gamut.md, GAMUT's output normalisation): ONE affine map over all
    /// players and joint actions taking the minimum to `lo` and the maximum to `hi`. Separate from
    /// the per-player unit-variance scaling of docs/reference.md §4.
    ///
    /// - Throws: for a constant game (GAMUT aborts there too) or `lo ≥ hi`.
    package static func normalize(_ payoffs: [Double], low: Double, high: Double) throws(GeneratorError) -> [Double] {
        guard low < high, (high - low).isFinite else {
            throw GeneratorError("GAMUT normalisation needs finite min_payoff < max_payoff whose difference is finite")
        }
        guard let oldMin = payoffs.min(), let oldMax = payoffs.max(), oldMax > oldMin else {
            throw GeneratorError("GAMUT normalisation of a constant game is undefined")
        }
        let width = high - low
        if (oldMax - oldMin).isFinite {
            let scale = width / (oldMax - oldMin)  // GAMUT's own formula
            return payoffs.map { ($0 - oldMin) * scale + low }
        }
        // Payoffs spanning more than the largest double: in halves, so that nothing overflows.
        let span = oldMax / 2 - oldMin / 2
        return payoffs.map { min(high, low + ($0 / 2 - oldMin / 2) / span * width) }
    }
}
