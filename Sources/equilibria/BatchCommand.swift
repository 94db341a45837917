import Synchronization
import ArgumentParser
import Foundation
import EquilibriumSolvers
import GameDatasets

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Generate, normalise, solve and write ground truth as NumPy .npz chunks.",
        discussion: """
            Games are L2-normalised (docs/reference.md §4) before solving; every array is described in the README. \
            The output is the same, bit for bit, for any --jobs. Rerunning the same command resumes: \
            complete chunks are kept, truncated or corrupt ones redone. Sharding: --shard-index/--shard-count, \
            defaulting from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (minus SLURM_ARRAY_TASK_MIN) or \
            JOB_COMPLETION_INDEX with SHARD_COUNT. Exit code 3 when some games failed (their status \
            and reason are in the archive).
            """)

    @Option(help: "Family: l1, l2, linf, a GAMUT preset or D1–D22.")
    var family: String = "l2"

    @Option(parsing: .unconditional, help: "Number of players (at least 1).", transform: PositiveCount.parse)
    var players: PositiveCount = PositiveCount(argument: "2")!

    @Option(parsing: .unconditional, help: "Actions: one count, or one per player, comma-separated.", transform: ActionCounts.parse)
    var actions: ActionCounts = ActionCounts(argument: "8")!

    @Option(parsing: .unconditional, help: "Number of games, at least 1 (at most 2^53; memory does not grow with it).", transform: PositiveCount.parse)
    var count: PositiveCount = PositiveCount(argument: "1000")!

    @Option(parsing: .unconditional, help: "Seed of the games and of the presets' sampled parts.", transform: seedNumber)
    var seed: UInt64 = 0

    @Option(help: "Solution concept: ce or cce.")
    var concept: ConceptOption = .ce

    @Option(help: "Objectives, comma-separated: max-welfare, mwmre.")
    var objective: String = "max-welfare,mwmre"

    @Option(help: "With the mwmre objective: the preset (Table 3), ME (default), MU, MWME, MRE, MS, eps-ME, eps-MWME, eps-MRE. MWME and eps-MWME sample a welfare per game; MT (a given target) is not available in a batch.")
    var preset: MWMREPreset?

    @Option(parsing: .unconditional, help: "With the mwmre objective: override the preset's μ (number, negative allowed, or inf).", transform: ExtendedNumber.parse)
    var mu: ExtendedNumber?

    @Option(parsing: .unconditional, help: "With the mwmre objective: override the preset's ρ (number > 0 or inf).", transform: ExtendedNumber.parsePositive)
    var rho: ExtendedNumber?

    @Option(name: .customLong("chunk-size"), parsing: .unconditional, help: "Games per .npz chunk (at least 1).", transform: PositiveCount.parse)
    var chunkSize: PositiveCount = PositiveCount(argument: "1000")!

    @Option(parsing: .unconditional, help: "Worker threads, at least 1 (default: the number of cores).", transform: PositiveCount.parse)
    var jobs: PositiveCount?

    @Option(name: .customLong("shard-index"), parsing: .unconditional, help: "This shard (0-based).", transform: wholeNumberAtLeastZero)
    var shardIndex: Int?

    @Option(name: .customLong("shard-count"), parsing: .unconditional, help: "Number of shards.", transform: wholeNumberAtLeastOne)
    var shardCount: Int?

    @Option(help: "Output directory.")
    var out: String

    @Flag(help: "Certify every record rigorously. Max welfare: the optimal basis proven by floating-point enclosures with rigorous error bounds (exact arithmetic where they cannot decide); adds mw_certified, mw_certificate, mw_objective_bounds and mw_joint_error. MWMRE: a rigorous upper bound on KL(σ̃‖σ*) for a σ̃ within me_kl_joint_error of σ (σ(α) itself unless facial reduction left equalities), for finite ρ and μ, and for ρ = ∞ once the facial reduction is proven (with μ = ∞ the max-welfare face is then found in exact arithmetic, seconds per 16×16 game); adds me_kl_bound, me_kl_joint_error and me_kl_note.")
    var certify = false

    /// A number as the request records it: the shortest text that reads back to it, `inf` for ∞,
    /// so that `--mu 10` and `--mu 1e1` are the same request.
    static func canonical(_ number: ExtendedNumber?) -> String? {
        guard let value = number?.value else { return nil }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }

    func run() throws {
        let actionCounts = try actions.perPlayer(players.value)
        let objectives = objective.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if !objectives.contains("mwmre") {
            for (option, given) in [("--preset", preset != nil), ("--mu", mu != nil), ("--rho", rho != nil)] where given {
                throw optionError("\(option) applies to the mwmre objective only (--objective is \(objective))")
            }
        }
        let request = BatchRequest(
            family: family, actionCounts: actionCounts, count: count.value, seed: seed, concept: concept.rawValue,
            objectives: objectives, preset: (preset ?? .maximumEntropy).rawValue, mu: Self.canonical(mu),
            rho: Self.canonical(rho), chunkSize: chunkSize.value, certify: certify)
        do {
            try request.validate()
        } catch {
            // The library names the request's fields; the command line names its options.
            var message = error.description
            for (phrase, option) in [("a chunk size of ", "--chunk-size "), ("a count of ", "--count "),
                                     ("unknown family", "--family: unknown family"),
                                     ("certify applies", "--certify applies")] where message.hasPrefix(phrase) {
                message = option + message.dropFirst(phrase.count)
            }
            throw optionError(message)
        }
        let (shard, shards) = try resolveShard()
        let workers = jobs?.value ?? ProcessInfo.processInfo.activeProcessorCount
        let job = BatchJob(request: request, directory: URL(fileURLWithPath: out))
        do {
            try job.checkParameters()
        } catch {
            var given: Set<String> = []
            if mu != nil { given.insert("--mu") }
            if rho != nil { given.insert("--rho") }
            throw optionError(SolveCommand.naming(error.description, given: given, preset: (preset ?? .maximumEntropy).rawValue))
        }
        let reporter = ProgressReporter(label: shards > 1 ? "shard \(shard + 1)/\(shards)" : "batch")
        let result: (failed: Int, skippedChunks: Int)
        do {
            result = try job.run(shard: shard, of: shards, jobs: workers) { reporter.report($0) }
        } catch {
            throw CommandError(error.description)
        }
        reporter.finish()
        var summary = "Wrote \(out) (\(request.chunkCount(shard: shard, of: shards)) chunks"
        if result.skippedChunks > 0 { summary += ", \(result.skippedChunks) already complete" }
        summary += ")."
        if result.failed > 0 { summary += " \(result.failed) games failed or did not converge: see mw_status/me_status." }
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        if shards == 1 {
            print("""
                Load it in Python:
                  import glob, numpy as np
                  chunks = [np.load(f) for f in sorted(glob.glob("\(out)/chunk-*.npz"))]
                  payoffs = np.concatenate([c["payoffs"] for c in chunks])   # [K, N, n_1, ..., n_N]
                or merge first:  equilibria merge \(out) --out all.npz
                """)
        }
        if result.failed > 0 { throw ExitCode(3) }
    }

    private func resolveShard() throws -> (Int, Int) {
        let environment = ProcessInfo.processInfo.environment
        var index = shardIndex
        var count = shardCount
        if index == nil, let id = environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init) {
            index = id - (environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0)
            count = count ?? environment["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init)
        }
        if index == nil, let id = environment["JOB_COMPLETION_INDEX"].flatMap(Int.init) {
            index = id
            count = count ?? environment["SHARD_COUNT"].flatMap(Int.init)
        }
        let shards = count ?? 1
        let shard = index ?? 0
        guard shards >= 1 else { throw optionError("the shard count must be at least 1 (got \(shards))") }
        guard (0..<shards).contains(shard) else {
            throw optionError((shardIndex != nil ? "--shard-index: " : "") + "shard index \(shard) is outside "
                              + "0..<\(shards) (set --shard-count, SLURM_ARRAY_TASK_COUNT or SHARD_COUNT)")
        }
        return (shard, shards)
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the chunks of a batch (from one or more shard directories) into one .npz.",
        discussion: "Refuses when a game is missing or appears twice.")

    @Argument(help: "Batch directories (one per shard, or one).")
    var directories: [String]

    @Option(help: "Output archive (.npz).")
    var out: String

    func run() throws {
        let games: Int
        do {
            games = try BatchMerge.merge(directories: directories.map { URL(fileURLWithPath: $0) },
                                         to: URL(fileURLWithPath: out))
        } catch {
            throw CommandError(error.description)
        }
        FileHandle.standardError.write(Data("Merged \(games) games into \(out)\n".utf8))
    }
}

/// A progress bar with rate and ETA on a terminal; plain lines every 10 s otherwise.
final class ProgressReporter: Sendable {
    private struct State {
        var lastPrint = Date.distantPast
        var last: BatchJob.Progress?
        var baseline: Int?
        var printedComplete = false
    }
    private let state = Mutex(State())
    private let label: String
    private let start = Date()
    private let terminal = isatty(STDERR_FILENO) != 0

    init(label: String) { self.label = label }

    func report(_ progress: BatchJob.Progress) {
        state.withLock { s in
            s.last = progress
            if s.baseline == nil { s.baseline = progress.done }
            let now = Date()
            let interval = terminal ? 0.2 : 10
            let complete = progress.done == progress.total
            guard now.timeIntervalSince(s.lastPrint) >= interval || (complete && !s.printedComplete) else { return }
            if complete { s.printedComplete = true }
            s.lastPrint = now
            emit(progress, baseline: s.baseline, final: false)
        }
    }

    func finish() {
        state.withLock { s in
            if let last = s.last, terminal || !s.printedComplete { emit(last, baseline: s.baseline, final: true) }
        }
    }

    private func emit(_ p: BatchJob.Progress, baseline: Int?, final: Bool) {
        let elapsed = max(Date().timeIntervalSince(start), 1e-9)
        let solved = p.done - (baseline ?? 0)
        let rate = Double(solved) / elapsed
        let remaining = rate > 0 ? Double(p.total - p.done) / rate : 0
        let fraction = p.total > 0 ? Double(p.done) / Double(p.total) : 1
        let eta = rate > 0 ? String(format: "ETA %.0fs", remaining) : "ETA ?"
        // Interpolated, not `%d`, which is 32 bits wide: counts go up to 2^53.
        let stats = "\(p.done)/\(p.total) games, " + String(format: "%.0f games/s, ", rate) + eta
            + (p.failed > 0 ? ", \(p.failed) failed" : "") + (p.skippedChunks > 0 ? ", \(p.skippedChunks) chunks resumed" : "")
        if terminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(Int(fraction * 100))% \(stats)\u{1B}[K".utf8))
            if final { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            FileHandle.standardError.write(Data("\(label): \(Int(fraction * 100))% \(stats)\n".utf8))
        }
    }
}
