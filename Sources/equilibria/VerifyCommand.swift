import Synchronization
import ArgumentParser
import EquilibriumSolvers
import Foundation
import GameVerification
import NormalFormGames
import NumPyFiles

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify predicted equilibria (duals α or joints σ): docs/reference.md §5 metrics, certificates, an HTML report.",
        discussion: """
            equilibria verify --games G.npz --predictions P.npz [--reference R.npz | --solve] --out DIR \
            writes DIR/metrics.npz and DIR/metrics.csv (one row per game), DIR/summary.json and \
            DIR/report.html. 'equilibria verify permute' writes permuted copies of games for the \
            equivariance check (--permuted, --permuted-predictions). Exit codes: 0 when every \
            threshold passes, 2 when one fails, 1 on bad input.
            """,
        subcommands: [VerifyRunCommand.self, VerifyPermuteCommand.self],
        defaultSubcommand: VerifyRunCommand.self)
}

extension ReferenceKind: ExpressibleByArgument {}
extension PredictionKind: ExpressibleByArgument {}
extension MetricsFormat: ExpressibleByArgument {}

/// A threshold: a number of 0 or more (never NaN).
struct Limit: ReasonedArgument, Sendable {
    var value: Double

    static func parse(_ text: String) throws(OptionValueError) -> Limit {
        if text.trimmingCharacters(in: .whitespaces).lowercased() == "inf" { return Limit(value: .infinity) }
        let v: Double
        do { v = try finiteNumber(text) } catch { throw OptionValueError(error.description + " (give a number ≥ 0, or inf)") }
        guard v >= 0 else { throw OptionValueError("\(text.trimmingCharacters(in: .whitespaces)) is negative (give a number ≥ 0, or inf)") }
        return Limit(value: v)
    }
}

struct VerifyRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Verify predictions (the default subcommand of verify).",
        discussion: """
            Predictions: 'duals' [K, R] (canonical row order; CE or CCE length, detected) or 'joint' \
            [K, n_1, ..., n_N] / [K, |A|], float64, batched on axis 0 in the order of the games. \
            Duals are recovered to σ, ε by docs/reference.md §3 with the MWMRE problem recorded in a ground-truth \
            archive (me_* keys), or else the preset's. The reference σ* comes from --reference, from \
            the games archive itself when it is a ground-truth archive, or from --solve. Payoff-unit \
            metrics are in the units of the games as written (stated in the report); --normalize \
            L2-normalises raw games first.
            """)

    @Option(help: "Games: .npz with payoffs [K, N, n_1, ..., n_N] (from generate, or batch + merge).")
    var games: String

    @Option(help: "Predictions: .npz with 'duals' [K, R] or 'joint' [K, n_1, ..., n_N] (float64).")
    var predictions: String

    @Option(help: "Reference: a ground-truth archive (batch + merge) for the same games.")
    var reference: String?

    @Flag(help: "Compute the reference here (in parallel), with the same MWMRE problems.")
    var solve = false

    @Flag(name: .customLong("no-reference"), help: "Ignore the reference a ground-truth games archive holds.")
    var noReference = false

    @Option(name: .customLong("reference-solution"), help: "Which solution is σ*: mwmre (me_*) or max-welfare (mw_*).")
    var referenceSolution: ReferenceKind = .mwmre

    @Option(help: "Concept: ce or cce (default: the archive's, or detected from the dual length).")
    var concept: ConceptOption?

    @Option(name: .customLong("prediction-key"), help: "Use 'duals' or 'joint' when the predictions hold both.")
    var predictionKey: PredictionKind?

    @Option(help: "MWMRE preset for recovery and --solve (default: the archive's problem, else ME).")
    var preset: MWMREPreset?

    @Option(parsing: .unconditional, help: "Override μ (a number, negative allowed, or inf).", transform: ExtendedNumber.parse)
    var mu: ExtendedNumber?

    @Option(parsing: .unconditional, help: "Override ρ (a number > 0 or inf).", transform: ExtendedNumber.parsePositive)
    var rho: ExtendedNumber?

    @Option(parsing: .unconditional, help: "Seed of the sampled preset parts (default: the archive's seed); refused when the archive records each game's problem and no --preset is given.", transform: seedNumber)
    var seed: UInt64?

    @Flag(help: "L2-normalise games (docs/reference.md §4) that are not normalised already.")
    var normalize = false

    @Option(help: "Permuted copies of the games (from 'equilibria verify permute').")
    var permuted: String?

    @Option(name: .customLong("permuted-predictions"), help: "Predictions on the permuted copies.")
    var permutedPredictions: String?

    @Option(name: .customLong("max-gap"), parsing: .unconditional, help: "Fail when some game's gap Σ_p [max gain_p]⁺ exceeds this.", transform: Limit.parse)
    var maxGap: Limit?

    @Option(name: .customLong("max-kl"), parsing: .unconditional, help: "Fail when some game's KL(σ‖σ*) exceeds this.", transform: Limit.parse)
    var maxKL: Limit?

    @Option(name: .customLong("max-tv"), parsing: .unconditional, help: "Fail when some game's total variation to σ* exceeds this.", transform: Limit.parse)
    var maxTV: Limit?

    @Option(name: .customLong("max-certificate"), parsing: .unconditional, help: "Fail when some game's certified gap exceeds this (or is missing).", transform: Limit.parse)
    var maxCertificate: Limit?

    @Option(name: .customLong("max-equivariance"), parsing: .unconditional, help: "Fail when some copy's equivariance TV exceeds this.", transform: Limit.parse)
    var maxEquivariance: Limit?

    @Option(name: .customLong("max"), help: "Any threshold METRIC=X (repeatable), e.g. --max gap_eps_hat=1e-3.")
    var thresholds: [String] = []

    @Option(parsing: .unconditional, help: "Worker threads, at least 1 (default: the number of cores).", transform: PositiveCount.parse)
    var jobs: PositiveCount?

    @Option(help: "Per-game tables: npz, csv or both.")
    var format: MetricsFormat = .both

    @Option(parsing: .unconditional, help: "Games listed among the worst cases in the HTML report.", transform: wholeNumberAtLeastZero)
    var worst: Int = 10

    @Option(help: "Output directory (created): metrics.npz, metrics.csv, summary.json, report.html.")
    var out: String

    func validate() throws {
        if solve && reference != nil { throw ValidationError("give --reference or --solve, not both") }
        if noReference && (solve || reference != nil) { throw ValidationError("--no-reference contradicts --reference/--solve") }
        if (permuted == nil) != (permutedPredictions == nil) {
            throw ValidationError("--permuted and --permuted-predictions go together")
        }
    }

    func run() throws {
        var configuration = VerificationConfiguration(games: URL(fileURLWithPath: games),
                                                      predictions: URL(fileURLWithPath: predictions))
        if let reference {
            configuration.reference = .archive(URL(fileURLWithPath: reference))
        } else if solve {
            configuration.reference = .solve
        } else if noReference {
            configuration.reference = .none
        }
        configuration.referenceKind = referenceSolution
        configuration.concept = concept?.concept
        configuration.predictionKey = predictionKey
        configuration.preset = preset
        configuration.mu = mu?.value
        configuration.rho = rho?.value
        configuration.seed = seed
        configuration.normalize = normalize
        configuration.permutedGames = permuted.map { URL(fileURLWithPath: $0) }
        configuration.permutedPredictions = permutedPredictions.map { URL(fileURLWithPath: $0) }
        var limits: [Threshold] = []
        for (metric, value) in [("gap", maxGap), ("kl_pred_ref", maxKL), ("tv", maxTV), ("certified_gap", maxCertificate),
                                ("equivariance_tv", maxEquivariance)] {
            if let value { limits.append(Threshold(metric: metric, limit: value.value)) }
        }
        do {
            for text in thresholds { limits.append(try Threshold(parsing: text)) }
        } catch {
            throw optionError("--max: \(error.description)")
        }
        configuration.thresholds = limits
        configuration.jobs = jobs?.value ?? ProcessInfo.processInfo.activeProcessorCount

        let progress = VerifyProgress()
        let report: VerificationReport
        let written: [URL]
        do {
            report = try Verification.run(configuration) { stage, done, total in progress.report(stage, done, total) }
            progress.finish()
            written = try ReportWriter.write(report, to: URL(fileURLWithPath: out), format: format,
                                             worstCases: worst)
        } catch where error.message.hasPrefix("seed:") {
            progress.finish()
            throw optionError("--" + error.message)
        } catch {
            progress.finish()
            throw CommandError(Self.naming(error.description))
        }
        print(Self.text(report, written: written), terminator: "")
        for outcome in report.thresholds where !outcome.passed {
            FileHandle.standardError.write(Data("threshold failed: \(outcome)\n".utf8))
        }
        if !report.passed { throw ExitCode(2) }
    }

    /// A library message with the options that set what it names: the library speaks of
    /// "the concept given", the CLI of `--concept`.
    static func naming(_ message: String) -> String {
        var text = message
        for (phrase, option) in [("the concept given, ", "--concept "), ("give the concept cce", "give --concept cce"),
                                 ("(the prediction key)", "with --prediction-key"), ("give a preset", "give --preset"),
                                 ("permuted copies and the predictions on them", "--permuted and --permuted-predictions")] {
            text = text.replacingOccurrences(of: phrase, with: option)
        }
        return text.replacingOccurrences(of: "--concept ce,", with: "--concept ce")
            .replacingOccurrences(of: "--concept cce,", with: "--concept cce")
    }

    /// The short text summary printed on standard output.
    static func text(_ report: VerificationReport, written: [URL]) -> String {
        let c = report.context
        var out = "Verified \(c.gameCount) games (\(c.shapeLabel), \(c.concept.rawValue.uppercased())), predictions: "
            + "\(c.predictionKind.rawValue)\n"
        out += "Units: \(c.units)\nReference: \(c.reference)\nMWMRE problem: \(c.parameters)\n"
        for note in c.notes { out += "Note: \(note)\n" }
        func number(_ v: Double?) -> String {
            guard let v else { return "-" }
            if v.isInfinite { return "inf" }
            return String(format: "%.3g", v)
        }
        for group in report.groups {
            out += "\n\(group.label) (\(group.rows.count) games)\n  " + "metric".padded(to: 44)
                + ["mean", "median", "p90", "p99"].map { " " + $0.padded(to: 8) }.joined()
                + " worst (game)\n"
            for key in MetricCatalog.headline {
                guard let s = group.statistics(key), let d = MetricCatalog.definition(key) else { continue }
                let label = d.summaryLabel.count > 44 ? String(d.summaryLabel.prefix(43)) + "…" : d.summaryLabel
                out += "  " + label.padded(to: 44)
                for v in [s.mean, s.median, s.percentile90, s.percentile99] {
                    out += " " + number(v).padded(to: 8)
                }
                let row = s.worstRow.map { $0 == s.worstGameIndex ? "" : ", row \($0)" } ?? ""
                out += " \(number(s.worst)) (\(s.worstGameIndex.map(String.init) ?? "-")\(row))"
                if s.defined < s.count { out += "  [\(s.defined)/\(s.count) defined]" }
                out += "\n"
            }
        }
        if let e = report.equivariance {
            let worst = e.totalVariation.max() ?? 0
            out += "\nEquivariance over \(e.sources.count) permuted copies: worst TV \(number(worst))\n"
        }
        if !report.thresholds.isEmpty {
            out += "\n"
            for t in report.thresholds { out += (t.passed ? "PASS " : "FAIL ") + t.description + "\n" }
        }
        out += "\nWrote " + written.map(\.path).joined(separator: ", ") + "\n"
        return out
    }
}

struct VerifyPermuteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permute",
        abstract: "Write permuted copies of games (players and actions relabelled) with the permutations recorded.",
        discussion: """
            Copy c of game k is at row k·C + c. Players are exchanged only with players of the same \
            action count, so every copy keeps the shape. Ground-truth arrays (σ, σ̂, W, ε, ε̂, ε⁺, duals) \
            are permuted with the game, so the copies are a ground-truth archive too. Added keys: \
            source_index, copy_index, player_permutation [K·C, N] (new player i is old player p[i]), \
            action_permutation [K·C, N, max n] (new action j of new player i is old action [i, j]; -1 pads), \
            permutation_seed.
            """)

    @Option(help: "Games archive (.npz with payoffs [K, N, n_1, ..., n_N]).")
    var games: String

    @Option(parsing: .unconditional, help: "Copies per game.")
    var copies: Int = 1

    @Option(parsing: .unconditional, help: "Seed of the permutations.", transform: seedNumber)
    var seed: UInt64 = 0

    @Flag(name: .customLong("no-players"), help: "Keep the players in place (permute actions only).")
    var noPlayers = false

    @Flag(name: .customLong("no-actions"), help: "Keep the actions in place (permute players only).")
    var noActions = false

    @Option(help: "Output archive (.npz).")
    var out: String

    func run() throws {
        guard copies >= 1 else { throw ValidationError("--copies must be at least 1") }
        let url = URL(fileURLWithPath: games)
        do {
            let arrays = try VerificationInputs.readArchive(url)
            let (result, dropped) = try PermutedCopies.archive(from: arrays, count: copies, seed: seed,
                                                               permutePlayers: !noPlayers, permuteActions: !noActions,
                                                               file: url.path)
            try NumPyArchive.write(result, to: URL(fileURLWithPath: out))
            let total = result.first { $0.name == "source_index" }?.array.shape.first ?? 0
            var message = "Wrote \(total) permuted copies (\(copies) per game) to \(out)"
            if !dropped.isEmpty { message += "; not carried over: \(dropped.joined(separator: ", "))" }
            FileHandle.standardError.write(Data((message + "\n").utf8))
        } catch let error as VerificationError {
            throw CommandError(error.description)
        } catch let error as NumPyArchiveError {
            throw CommandError(error.description)
        }
    }
}

/// Progress on a terminal (solving references can take a while); silent otherwise.
final class VerifyProgress: Sendable {
    private struct State {
        var last = Date.distantPast
        var shown = false
    }
    private let state = Mutex(State())
    private let terminal = isatty(STDERR_FILENO) != 0

    func report(_ stage: String, _ done: Int, _ total: Int) {
        guard terminal else { return }
        state.withLock { s in
            let now = Date()
            guard now.timeIntervalSince(s.last) >= 0.2 || done == total else { return }
            s.last = now
            s.shown = true
            FileHandle.standardError.write(Data("\r\(stage): \(done)/\(total)\u{1B}[K".utf8))
        }
    }

    func finish() {
        state.withLock { s in
            if s.shown { FileHandle.standardError.write(Data("\n".utf8)) }
            s.shown = false
        }
    }
}
