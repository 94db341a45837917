// Placeholders until the generators below are implemented (delete this file then).
extension Gamut {
    static func bertrandOligopoly(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        throw GeneratorError("BertrandOligopoly is not implemented yet")
    }
    static func localEffectGame(actionCounts: [Int], bidirectional: Bool, graph: GamutGraphKind, random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        throw GeneratorError("LocalEffectGame is not implemented yet")
    }
    static func dispersionGame(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        throw GeneratorError("DispersionGame is not implemented yet")
    }
    static func minimumEffortGame(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        throw GeneratorError("MinimumEffortGame is not implemented yet")
    }
    static func travelersDilemma(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        throw GeneratorError("TravelersDilemma is not implemented yet")
    }
}
