import Foundation
import GameFormats
import NormalFormGames
import NumPyFiles

/// A game read for `solve`: a game file, or one game of a collection (`.jsonl` from `generate`,
/// `.npz` from `generate` or `batch`), with where it came from.
struct GameInput {
    var game: NormalFormGame
    /// The game's index in its generated collection, and the collection's seed, when recorded:
    /// the sampled parts of a preset then follow the batch rule, so that `solve` on game i of an
    /// archive poses the problem `batch` posed.
    var gameIndex: Int?
    var seed: UInt64?
    /// Whether the payoffs are already L2-normalised (a batch archive, or `generate --normalize l2`).
    var isNormalized: Bool
    /// How the game is named in reports: the path, with the row for a collection.
    var label: String

    /// Whether `path` names a collection of games (selected with `--game`).
    static func isCollection(_ path: String) -> Bool {
        ["jsonl", "npz"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
    }

    /// Reads `path`; `row` selects a game of a collection (0-based) and is refused for a game file.
    static func read(path: String, row: Int?) throws -> GameInput {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        switch ext {
        case "jsonl":
            let line: GameLine
            do {
                let lines = try GameLine.lines(path: path)
                let r = row ?? 0
                guard r < lines.count else {
                    throw optionError("--game \(r): \(path) holds \(lines.count) games (0…\(max(lines.count - 1, 0)))")
                }
                line = try GameLine.parse(lines[r], path: path)
            } catch let error as GameFormatError {
                throw CommandError(error.description)
            }
            return GameInput(game: line.game, gameIndex: line.index, seed: line.seed, isNormalized: false,
                             label: "\(path) game \(row ?? 0)")
        case "npz":
            return try readArchive(path: path, row: row ?? 0)
        default:
            if row != nil {
                throw optionError("--game selects a game of a .jsonl or .npz collection; \(path) is a single game")
            }
            do {
                return GameInput(game: try GameFile.read(path: path), gameIndex: nil, seed: nil, isNormalized: false,
                                 label: path)
            } catch {
                throw CommandError(error.description)
            }
        }
    }

    private static func readArchive(path: String, row: Int) throws -> GameInput {
        let arrays: [String: NumPyArray]
        do {
            arrays = try NumPyArchive.read(URL(fileURLWithPath: path))
        } catch {
            throw CommandError(error.description)
        }
        guard let payoffs = arrays["payoffs"], let values = payoffs.doubles else {
            throw CommandError("\(path): no float64 'payoffs' array; a game archive holds payoffs [K, N, n_1, …, n_N]")
        }
        let shape = payoffs.shape
        guard shape.count >= 3, shape[1] >= 1, shape.count == 2 + shape[1] else {
            throw CommandError("\(path): payoffs has shape \(shape); expected [K, N, n_1, …, n_N]")
        }
        let k = shape[0]
        guard row >= 0, row < k else {
            throw optionError("--game \(row): \(path) holds \(k) games (0…\(max(k - 1, 0)))")
        }
        let counts = Array(shape.dropFirst(2))
        let size = counts.count * counts.reduce(1, *)
        let game: NormalFormGame
        do {
            game = try NormalFormGame(actionCounts: counts, payoffs: Array(values[(row * size)..<((row + 1) * size)]))
        } catch {
            throw CommandError("\(path): game \(row): \(error.message)")
        }
        var index: Int?
        if let indices = arrays["game_index"]?.int64s, indices.count == k, indices[row] >= 0 { index = Int(indices[row]) }
        var seed: UInt64?
        if let s = arrays["seed"], s.elementCount == 1, s.elementType == .uint64 || s.elementType == .int64 {
            seed = s.payload.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        }
        // Batch archives hold L2-normalised games (payoff_scale); generate records its normalisation.
        let isNormalized = arrays["payoff_scale"] != nil || arrays["normalization"]?.strings == ["l2"]
        return GameInput(game: game, gameIndex: index, seed: seed, isNormalized: isNormalized, label: "\(path) game \(row)")
    }
}
