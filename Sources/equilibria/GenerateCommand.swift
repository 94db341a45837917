import ArgumentParser
import Foundation
import GameDatasets
import GameFormats
import GameGenerators
import GameVerification
import NormalFormGames
import NumPyFiles

/// The per-player normalisation `generate` applies.
enum NormalizeOption: String, ExpressibleByArgument, CaseIterable {
    case none, l1, l2, linf
    var norm: PayoffNormalization.Norm? {
        switch self {
        case .none: return nil
        case .l1: return .l1
        case .l2: return .l2
        case .linf: return .lInfinity
        }
    }
}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate games from the paper's distributions (L1/L2/L∞-invariant, GAMUT D1–D22).",
        discussion: """
            The i-th game depends only on (seed, family, shape, i): the same on every machine. \
            Output by extension: FILE.npz (NumPy archive: payoffs of shape [K, N, n_1, …, n_N], \
            row-major, player N's action fastest, plus metadata; see the README), FILE.jsonl (one \
            game per line), or a directory (one Gambit .nfg per game). --list names every family.
            """)

    @Flag(help: "List every family with its restrictions, and exit.")
    var list = false

    @Option(help: "Family: l1, l2, linf, a GAMUT preset (e.g. PolymatrixGame-RG) or a paper label D1–D22.")
    var family: String?

    @Option(parsing: .unconditional, help: "Number of players (at least 1).", transform: PositiveCount.parse)
    var players: PositiveCount?

    @Option(parsing: .unconditional, help: "Actions: one count for every player, or one per player, comma-separated (e.g. 8 or 3,4).", transform: ActionCounts.parse)
    var actions: ActionCounts?

    @Option(parsing: .unconditional, help: "Number of games, at least 1, all held in memory: count × N × |A| (× (1 + --permutations)) at most 2^27 payoff entries.", transform: PositiveCount.parse)
    var count: PositiveCount = PositiveCount(argument: "1")!

    @Option(parsing: .unconditional, help: "Seed (unsigned 64-bit).", transform: seedNumber)
    var seed: UInt64 = 0

    @Option(help: "Per-player unit-variance normalisation after generation: l1, l2, linf or none (docs/reference.md §4).")
    var normalize: NormalizeOption = .none

    @Option(name: .customLong("gamut-normalize"), parsing: .unconditional, help: "GAMUT's global affine -normalize to [min,max], e.g. 0,1 (recorded as gamut_normalize).", transform: NumberList.parse)
    var gamutNormalize: NumberList?

    @Option(help: "Output: FILE.npz, FILE.jsonl, or a directory (one .nfg per game).")
    var out: String?

    @Option(parsing: .unconditional, help: "Also write K relabelled copies of every game (players and actions permuted, permutations recorded) to FILE-perm.npz, for `verify --permuted`. Needs an .npz output.", transform: PositiveCount.parse)
    var permutations: PositiveCount?

    func run() throws {
        if list {
            for d in GameDistribution.all { print("\(d.name.padded(to: 22)) \(d.summary)") }
            return
        }
        guard let family else { throw ValidationError("--family is required (or --list)") }
        guard let distribution = GameDistribution(name: family) else {
            throw CommandError("unknown family '\(family)'; run 'equilibria generate --list'")
        }
        guard let players = players?.value else { throw optionError("--players is required") }
        guard let actions else { throw optionError("--actions is required") }
        let actionCounts = try actions.perPlayer(players)
        let count = self.count.value
        guard let out else { throw optionError("--out is required") }
        let permutations = self.permutations?.value
        if permutations != nil, !out.lowercased().hasSuffix(".npz") {
            throw optionError("--permutations needs an .npz output")
        }
        let normalization = normalize.norm
        var range: (low: Double, high: Double)?
        if let gamutNormalize {
            guard gamutNormalize.values.count == 2 else {
                throw optionError("--gamut-normalize needs two numbers, min,max (e.g. 0,1)")
            }
            range = (gamutNormalize.values[0], gamutNormalize.values[1])
        }
        let request = GenerationRequest(distribution: distribution, actionCounts: actionCounts, seed: seed,
                                        normalization: normalization, gamutRange: range)
        do {
            try request.validate()
        } catch {
            throw CommandError(error.description)
        }
        try checkMemory(actionCounts: actionCounts)
        var samples: [GeneratedSample] = []
        samples.reserveCapacity(count)
        for i in 0..<count {
            do {
                samples.append(try request.game(at: i))
            } catch {
                throw CommandError("game \(i): \(error.description)")
            }
        }
        let url = URL(fileURLWithPath: out)
        switch url.pathExtension.lowercased() {
        case "npz": try writeArchive(samples, request: request, to: url)
        case "jsonl": try writeLines(samples, request: request, to: url)
        default: try writeDirectory(samples, request: request, to: url)
        }
        let redraws = samples.reduce(0) { $0 + $1.redraws }
        var message = "Wrote \(count) \(distribution.name) games of shape \(actionCounts.map(String.init).joined(separator: "x")) to \(out)"
        if redraws > 0 { message += " (\(redraws) degenerate draws redone; counted in the metadata)" }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// `generate` holds every game (and every relabelled copy) in memory before writing: refuses
    /// a `--count` whose payoffs exceed ``GeneratedArchive/maximumPayoffEntries``.
    private func checkMemory(actionCounts: [Int]) throws {
        let limit = GeneratedArchive.maximumPayoffEntries
        // Validated: N·|A| is at most the limit, so this cannot overflow.
        let entries = actionCounts.count * actionCounts.reduce(1, *)
        let (copies, copiesOverflow) = (permutations?.value ?? 0).addingReportingOverflow(1)
        let (perGame, perGameOverflow) = entries.multipliedReportingOverflow(by: copies)
        let (total, totalOverflow) = count.value.multipliedReportingOverflow(by: perGame)
        guard copiesOverflow || perGameOverflow || totalOverflow || total > limit else { return }
        let most = copiesOverflow || perGameOverflow ? 0 : limit / perGame
        let what = (permutations?.value ?? 0) > 0
            ? "\(count.value) games of \(entries) payoffs, each with \(permutations?.value ?? 0) relabelled copies,"
            : "\(count.value) games of \(entries) payoffs each"
        throw optionError("--count \(count.value): \(what) are more than the \(limit) payoff entries generate holds in memory; "
                          + (most >= 1 ? "give at most \(most), or " : "") + "use `equilibria batch`, which writes chunks")
    }

    private func writeArchive(_ samples: [GeneratedSample], request: GenerationRequest, to url: URL) throws {
        let arrays = GeneratedArchive.arrays(samples, request: request)
        do {
            try NumPyArchive.write(arrays, to: url)
        } catch {
            throw CommandError(error.description)
        }
        guard let permutations = permutations?.value else { return }
        let permutedURL = url.deletingPathExtension().appendingPathExtension("").deletingPathExtension()
        let target = URL(fileURLWithPath: permutedURL.path + "-perm.npz")
        do {
            let copies = try PermutedCopies.archive(from: Dictionary(uniqueKeysWithValues: arrays.map { ($0.name, $0.array) }),
                                                    count: permutations, seed: request.seed, file: url.path)
            try NumPyArchive.write(copies.arrays, to: target)
        } catch let error as VerificationError {
            throw CommandError(error.description)
        } catch let error as NumPyArchiveError {
            throw CommandError(error.description)
        }
        FileHandle.standardError.write(Data("Wrote \(permutations) relabelled copies of each game to \(target.path)\n".utf8))
    }

    private func writeLines(_ samples: [GeneratedSample], request: GenerationRequest, to url: URL) throws {
        var text = ""
        for sample in samples {
            let game = try NormalFormGame(actionCounts: request.actionCounts, payoffs: sample.payoffs)
            let json = GameJSON.write(game).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
            text += "{\"family\":\"\(request.distribution.name)\",\"seed\":\(request.seed),\"index\":\(sample.index),"
                + "\"game\":\(json)}\n"
        }
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw CommandError("\(url.path): cannot write (\(error.localizedDescription))")
        }
    }

    private func writeDirectory(_ samples: [GeneratedSample], request: GenerationRequest, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw CommandError("\(url.path): cannot create the directory (\(error.localizedDescription))")
        }
        let digits = max(6, String(samples.count - 1).count)
        for sample in samples {
            var game = try NormalFormGame(actionCounts: request.actionCounts, payoffs: sample.payoffs)
            game.title = "\(request.distribution.name) seed \(request.seed) game \(sample.index)"
            let name = "game-" + String(repeating: "0", count: max(0, digits - String(sample.index).count)) + "\(sample.index).nfg"
            do {
                try GameFile.write(game, path: url.appendingPathComponent(name).path, format: .nfg)
            } catch {
                throw CommandError(error.description)
            }
        }
    }
}
