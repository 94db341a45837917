import Foundation
import GameFormats
import NormalFormGames
import Testing

/// Shared helpers for the GameFormats tests.
enum Support {
    /// The repository's `Fixtures/` directory, found from this file's path (no SwiftPM
    /// resources): `Tests/GameFormatsTests/Support.swift` → up three levels.
    static let fixturesDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // GameFormatsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Fixtures")

    /// Every fixture name (each has a `.json` and a `.nfg`).
    static let fixtureNames = [
        "table5-ce", "table5-cce", "chicken", "battle-of-the-sexes", "shapley", "matching-pennies",
        "prisoners-dilemma", "three-player", "gibson",
    ]

    /// Fixtures whose `.nfg` is in the outcome version.
    static let outcomeFixtures: Set<String> = ["chicken", "shapley", "prisoners-dilemma"]

    static func path(_ name: String) -> String {
        fixturesDirectory.appendingPathComponent(name).path
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// Parses a rational written as text, failing the test if it does not parse.
    static func q(_ text: String) -> Rational {
        guard let value = Rational(exactly: text) else {
            Issue.record("bad rational literal \(text)")
            return .zero
        }
        return value
    }

    /// G_p(a) as an exact rational, 0-based actions.
    static func payoff(_ game: NormalFormGame, _ player: Int, _ actions: [Int]) -> Rational {
        game.rationalPayoffs[player * game.jointActionCount + game.jointIndex(actions)]
    }

    /// A fresh, empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("GameFormatsTests-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `body` and returns the `GameFormatError` it throws, recording an issue if it
    /// throws nothing.
    static func formatError(_ body: () throws(GameFormatError) -> NormalFormGame,
                            sourceLocation: SourceLocation = #_sourceLocation) -> GameFormatError? {
        do throws(GameFormatError) {
            let game = try body()
            Issue.record("expected an error, got a game with shape \(game.actionCounts)",
                         sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}
