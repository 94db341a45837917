// Placeholders until the generators below are implemented (delete this file then).
extension Gamut {
    static func randomGame(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        throw GeneratorError("RandomGame is not implemented yet")
    }
    /// `r == nil`: r ~ U[−1/(N−1), 1) per game.
    static func covariantGame(actionCounts: [Int], r: Double?, random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        throw GeneratorError("CovariantGame is not implemented yet")
    }
    static func polymatrixGame(actionCounts: [Int], graph: GamutGraphKind, random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        throw GeneratorError("PolymatrixGame is not implemented yet")
    }
    static func graphicalGame(actionCounts: [Int], graph: GamutGraphKind, random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        throw GeneratorError("GraphicalGame is not implemented yet")
    }
}
