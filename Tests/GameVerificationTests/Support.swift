import EquilibriumSolvers
import Foundation
import GameGenerators
import NormalFormGames
import Testing
import _EquilibriaTestSupport
@testable import GameVerification
import NumPyFiles

/// Games, archives and folders for the verification tests.
enum Fixture {
    /// L2-invariant games, normalised (docs/reference.md §4), as `batch` solves them.
    static func l2Games(_ count: Int, shape: [Int], seed: UInt64, family: String = "l2") -> [NormalFormGame] {
        let request = GenerationRequest(distribution: GameDistribution(name: family)!, actionCounts: shape, seed: seed,
                                        normalization: .l2)
        return (0..<count).map { try! NormalFormGame(actionCounts: shape, payoffs: try! request.game(at: $0).payoffs) }
    }

    /// The ME preset's problem for a normalised game (ρ = 1000, ε⁺ = √|A|, ε̂ = 0).
    static func me(_ game: NormalFormGame, _ concept: EquilibriumConcept = .correlated,
                   preset: MWMREPreset = .maximumEntropy, seed: UInt64 = 0) -> MWMREParameters {
        try! MWMREProblem(concept: concept, preset: preset, seed: seed)
            .instance(of: .init(game: game, isNormalized: true)).parameters
    }

    /// A fresh temporary folder.
    static func folder(_ label: String = "verify") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("equilibria-\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes games as `generate` does (payoffs, family, seed, game_index, action_counts).
    static func writeGames(_ games: [NormalFormGame], family: String = "l2", seed: UInt64 = 0, to url: URL,
                           extra: [(name: String, array: NumPyArray)] = []) throws {
        let counts = games[0].actionCounts
        try NumPyArchive.write([
            ("payoffs", NumPyArray(float64: games.flatMap(\.payoffs), shape: [games.count, counts.count] + counts)),
            ("family", NumPyArray(strings: [family], shape: [])),
            ("seed", NumPyArray(uint64: [seed], shape: [])),
            ("game_index", NumPyArray(int64: (0..<games.count).map(Int64.init), shape: [games.count])),
            ("action_counts", NumPyArray(int64: counts.map(Int64.init), shape: [counts.count])),
        ] + extra, to: url)
    }

    /// Writes predictions under `key` ([K, width]).
    static func writePredictions(_ values: [[Double]], key: String, to url: URL) throws {
        try NumPyArchive.write([(key, NumPyArray(float64: values.flatMap { $0 }, shape: [values.count, values[0].count]))],
                               to: url)
    }

    /// A two-player game from integer matrices.
    static func bimatrix(_ row: [[Double]], _ column: [[Double]]) -> NormalFormGame {
        try! NormalFormGame(actionCounts: [row.count, row[0].count], payoffs: row.flatMap { $0 } + column.flatMap { $0 })
    }

    /// Chicken: (0,0) (7,2) / (2,7) (6,6).
    static let chicken = bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]])

    /// The `equilibria` executable next to the test bundle.
    static var executable: URL? { Subprocess.equilibria }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program and collects its output (see `Subprocess`).
    static func run(_ executable: URL, _ arguments: [String], timeout: Duration = .seconds(300)) throws -> Run {
        let run = try Subprocess.run(executable.path, arguments, timeout: timeout)
        if run.timedOut { Issue.record("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) timed out") }
        return Run(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }

    /// Runs `equilibria` with `arguments`.
    static func cli(_ arguments: [String]) throws -> Run {
        let binary = try #require(executable, "the equilibria executable was not found next to the tests")
        return try run(binary, arguments)
    }
}

func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
