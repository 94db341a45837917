import Foundation
import Testing
import NormalFormGames
import _EquilibriaTestSupport

/// Absurd counts and hostile archives on the command line: a one-line error and the documented
/// exit code (64 for options, 1 for input), never a crash, an allocation failure or a hang.
@Suite(.serialized, .timeLimit(.minutes(5))) struct LimitsCLITests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("limits-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Exit status `status`, nothing on standard output, exactly one `Error:` line on standard
    /// error containing every fragment.
    func expectOneLineError(_ result: CLI.Result, status: Int32, _ fragments: [String],
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.crashed, "crashed: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1 && lines.first?.hasPrefix("Error: ") == true, "\(result.stderr)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(result.stderr.contains(fragment), "\(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    static let l2 = ["--family", "l2", "--players", "2"]

    /// `generate --count 99999999999999` used to abort with "failed to allocate".
    @Test func generateRefusesCountsItCannotHold() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("g.npz").path
        expectOneLineError(try CLI.run(["generate"] + Self.l2 + ["--actions", "8", "--count", "99999999999999", "--out", out]),
                           status: 64, ["--count 99999999999999", "give at most 1048576"])
        // 2·64·64 = 8192 payoffs a game: 16,384 games are 2^27 entries, one more is refused.
        expectOneLineError(try CLI.run(["generate"] + Self.l2 + ["--actions", "64", "--count", "16385", "--out", out]),
                           status: 64, ["--count 16385", "give at most 16384"])
        // Relabelled copies are held too.
        expectOneLineError(try CLI.run(["generate"] + Self.l2 + ["--actions", "8", "--count", "1000",
                                                                 "--permutations", "9223372036854775807", "--out", out]),
                           status: 64, ["--count 1000", "relabelled copies"])
        #expect(!FileManager.default.fileExists(atPath: out))
        let small = try CLI.run(["generate"] + Self.l2 + ["--actions", "8", "--count", "3", "--permutations", "2", "--out", out])
        #expect(small.status == 0, "\(small.stderr)")
    }

    /// Every typed option value that is refused says why, naming the option and the entry; numbers
    /// may be negative without the `=` spelling; values beyond the doubles never reach an answer
    /// as ±∞.
    @Test func optionValuesSayWhyTheyAreRefused() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let game = root.appendingPathComponent("chicken.json")
        try Data(#"{"payoffs": [[[0, 7], [2, 6]], [[0, 2], [7, 6]]]}"#.utf8).write(to: game)
        let solve = ["solve", game.path]
        let mwmre = solve + ["--objective", "mwmre"]
        let tiny = root.appendingPathComponent("tiny.json")
        try Data(#"{"payoffs": [[[1e-300, 0], [0, 2e-300]], [[2e-300, 0], [0, 1e-300]]]}"#.utf8).write(to: tiny)
        let cases: [([String], [String])] = [
            (solve + ["--epsilon", "1e400"], ["--epsilon", "entry 1 is beyond the doubles", "largest deviation gain"]),
            (solve + ["--epsilon", "0,-1e400", "--exact"], ["--epsilon", "entry 2 is beyond the doubles"]),
            (solve + ["--epsilon", "1,nan"], ["--epsilon", "entry 2", "'nan' is not an exact number"]),
            (solve + ["--objective", "max-linear", "--coefficients", "1,2,3,1e400"], ["--coefficients", "entry 4", "beyond the doubles"]),
            (solve + ["--objective", "max-linear", "--coefficients", "1,2,3,1e400", "--exact"], ["--coefficients", "entry 4"]),
            (solve + ["--exact", "--exact-time-limit", "0"], ["--exact-time-limit", "0 s is outside the range", "86400"]),
            (solve + ["--exact", "--exact-time-limit", "1e300"], ["--exact-time-limit", "1e300 s is outside the range"]),
            (solve + ["--exact", "--exact-time-limit", "-1"], ["--exact-time-limit", "-1 s is outside the range"]),
            (solve + ["--objective", "max-probability", "--joint-action", "0,1"], ["--joint-action", "entry 1: 0 is less than 1"]),
            (mwmre + ["--rho", "-inf"], ["--rho", "−∞ is not allowed"]),
            (mwmre + ["--rho", "-1"], ["--rho", "-1 is not greater than 0"]),
            (mwmre + ["--rho", "0"], ["--rho", "0 is not greater than 0"]),
            (mwmre + ["--tolerance", "1"], ["--tolerance:", "looser than"]),
            (mwmre + ["--seed", "3"], ["--seed: preset ME samples nothing"]),
            (["batch", "--shard-index", "5", "--shard-count", "2", "--out", root.appendingPathComponent("b").path],
             ["--shard-index: shard index 5 is outside 0..<2"]),
            // A parameter the preset or a default set is said to be so; the option given is named.
            (mwmre + ["--eps-hat", "1e300"], ["--eps-hat:", "ε⁺ was not given: its default, the payoff scale"]),
            (["solve", tiny.path, "--objective", "mwmre", "--raw-units", "--preset", "MRE"],
             ["--rho:", "usable range ρ ≥ 5e+287", "ρ was not given: preset MRE's value; give --rho"]),
            (["solve", tiny.path, "--objective", "mwmre", "--raw-units", "--rho", "1000"], ["--rho:", "ρ ≥ 5e+287"]),
            (mwmre + ["--mu", "1e-400"], ["--mu", "1e-400 is below the doubles", "read as 0"]),
            (solve + ["--epsilon", "1e-400"], ["--epsilon", "entry 1 is below the doubles", "use ε = 0"]),
            (solve + ["--epsilon", "-1e400"], ["--epsilon", "entry 1 is beyond the doubles", "admits no joint distribution"]),
            (solve + ["--objective", "max-linear", "--coefficients", "1,1e-400,0,1"], ["--coefficients", "entry 2 is below the doubles", "scale the coefficients up"]),
            (solve + ["--objective", "max-linear", "--coefficients", "1,1/0,0,1"], ["--coefficients", "entry 2: '1/0' has a zero denominator"]),
            (["verify", game.path, game.path, "--solve", "--rho", "0"], ["--rho", "0 is not greater than 0"]),
            (["verify", game.path, game.path, "--max-gap", "1e-400"], ["--max-gap", "below the doubles"]),
            (["verify", game.path, game.path, "--worst", "-1"], ["--worst", "-1 is less than 0"]),
            (["batch", "--players", "9007199254740993", "--out", root.appendingPathComponent("b").path], ["--players 9007199254740993", "payoff entries"]),
            (["generate", "--family", "L2", "--players", "30", "--actions", "2", "--out", root.appendingPathComponent("g.npz").path], ["--players 30", "134217728 payoff entries"]),
            (["batch", "--players", "99999999999999999999", "--out", root.appendingPathComponent("b").path], ["--players", "too large"]),
            (["batch", "--seed", "18446744073709551616", "--out", root.appendingPathComponent("b").path], ["--seed", "too large for a seed"]),
            (["batch", "--shard-index", "-2", "--out", root.appendingPathComponent("b").path], ["--shard-index", "-2 is less than 0"]),
            (["batch", "--shard-count", "0", "--out", root.appendingPathComponent("b").path], ["--shard-count", "0 is less than 1"]),
            (mwmre + ["--mu", "nan"], ["--mu", "'nan' is not a finite number"]),
            (mwmre + ["--eps-hat", "1e400"], ["--eps-hat", "1e400 is beyond the doubles"]),
            (mwmre + ["--eps-hat", "0,x"], ["--eps-hat", "entry 2: 'x' is not a number"]),
            (mwmre + ["--tolerance", "-3"], ["--tolerance", "-3 is not greater than 0"]),
            (mwmre + ["--seed", "-1"], ["--seed", "'-1'", "a seed is not negative"]),
            (["batch", "--count", "x", "--out", root.appendingPathComponent("b").path], ["--count", "'x' is not a whole number"]),
            (["batch", "--actions", "8,0", "--out", root.appendingPathComponent("b").path], ["--actions", "entry 2: 0 is less than 1"]),
        ]
        for (arguments, fragments) in cases {
            expectOneLineError(try CLI.run(arguments), status: 64, fragments)
        }
        // Negative values are values, with or without "=".
        let infeasible = try CLI.run(solve + ["--epsilon", "-1", "--format", "json"])
        #expect(infeasible.status == 0 && infeasible.stdout.contains(#""status":"infeasible""#), "\(infeasible.stdout)")
        let negativeMu = try CLI.run(mwmre + ["--mu", "-1"])
        #expect(negativeMu.status == 0 && negativeMu.stdout.contains("μ = -1"), "\(negativeMu.stdout) \(negativeMu.stderr)")
        let exactLarge = try CLI.run(solve + ["--epsilon", "1e300", "--exact", "--format", "json"])
        #expect(exactLarge.status == 0 && !exactLarge.stdout.contains("inf"), "\(exactLarge.stdout)")
    }

    /// The text answer's exact column is never cut to the column's width: each exact entry reads
    /// back to the double beside it (a 14-character column turned 125000…/500000… ≈ 0.25 into
    /// "12500000000000"). At μ = ∞ in raw units a preset's ρ, which plays no part, is not checked.
    @Test func exactColumnsAreNeverCut() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let game = root.appendingPathComponent("fine.json")
        try Data(("{\"payoffs\": [[[2e-25,-1e-25,1,1.0000000000000000000000001],[1.0000000000000000000000001,"
                  + "1.0000000000000000000000001,-1e-25,1e-25],[0,1.0000000000000000000000001,1,1e-25],[2e-25,1,0,-1e-25]],"
                  + "[[0,1.0000000000000000000000001,1e-25,0],[1e-25,-1e-25,1.0000000000000000000000001,1],"
                  + "[1,1,0,1.0000000000000000000000001],[2e-25,2e-25,1,2e-25]]]}").utf8).write(to: game)
        let run = try CLI.run(["solve", game.path, "--exact", "--objective", "min-welfare"])
        #expect(run.status == 0, "\(run.stderr)")
        var long = 0
        for line in run.stdout.split(separator: "\n") where line.hasPrefix("  (") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let exact = Rational(exactly: String(fields[1])), let double = Double(fields[2]) else {
                Issue.record("not a joint line of three fields: \(line)")
                continue
            }
            if fields[1].count > 14 { long += 1 }
            #expect(abs(exact.doubleValue - double) <= 1e-9 * max(1, abs(double)), "\(line)")
        }
        #expect(long > 0, "\(run.stdout)")
        let tiny = root.appendingPathComponent("tiny.json")
        try Data(#"{"payoffs": [[[1e-300, 0], [0, 2e-300]], [[2e-300, 0], [0, 1e-300]]]}"#.utf8).write(to: tiny)
        let hard = try CLI.run(["solve", tiny.path, "--objective", "mwmre", "--raw-units", "--mu", "inf"])
        #expect(hard.status == 0, "\(hard.stderr)")
    }

    @Test func batchRefusesCountsItCannotIndex() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out").path
        expectOneLineError(try CLI.run(["batch", "--count", "9007199254740993", "--out", out]), status: 64,
                           ["--count 9007199254740993", "2^53"])
        expectOneLineError(try CLI.run(["batch", "--count", "0", "--out", out]), status: 64, ["--count"])
        expectOneLineError(try CLI.run(["batch", "--actions", "64", "--count", "100000", "--chunk-size", "100000", "--out", out]),
                           status: 64, ["--chunk-size 100000", "at most 16384 games per chunk"])
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// `batch --count 1e14` used to list every chunk index before starting (5 GB in 12 s, and no
    /// chunk written): now its first chunk comes at once and its memory stays that of one chunk.
    @Test func batchMemoryDoesNotGrowWithTheNumberOfChunks() throws {
        let binary = try #require(CLI.executable)
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out").path
        let script = """
            \(binary.path) batch --family l2 --players 2 --actions 2 --count 100000000000000 --chunk-size 10 \
              --objective max-welfare --jobs 1 --out \(out) 2>/dev/null &
            pid=$!
            for i in $(seq 1200); do
              [ -e \(out)/chunk-000002.npz ] && break
              kill -0 $pid 2>/dev/null || break
              sleep 0.1
            done
            grep VmHWM /proc/$pid/status
            kill -9 $pid
            ls \(out)
            """
        let (_, output) = try boundedShell(script, timeout: 240)
        #expect(output.contains("chunk-000002.npz"), "\(output)")
        let peak = output.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
        let kilobytes = try #require(peak, "\(output)")
        #expect(kilobytes < 512 * 1024, "peak RSS \(kilobytes) kB")
    }

    /// The `.npy` header that crashed `verify`, `merge` and a resumed `batch` (shape (2^62, 4)):
    /// verify and merge report it on one line naming the file and the entry; a rerun of the batch
    /// redoes the chunk, after which the merge succeeds.
    @Test func hostileArchiveIsAOneLineError() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let hostile = TestArchives.zip([
            .init(name: "game_index.npy", data: TestArchives.npy(descr: "<i8", shape: "(2,)", payload: [UInt8](repeating: 0, count: 16))),
            .init(name: "payoffs.npy", data: TestArchives.npy(descr: "<f8", shape: "(4611686018427387904, 4)")),
        ])
        let games = root.appendingPathComponent("games.npz")
        try Data(hostile).write(to: games)
        expectOneLineError(try CLI.run(["verify", "--games", games.path, "--predictions", games.path,
                                        "--out", root.appendingPathComponent("report").path]),
                           status: 1, [games.path, "payoffs.npy", "(4611686018427387904, 4)", "overflows"])

        let batch = ["batch"] + Self.l2 + ["--actions", "2", "--count", "4", "--chunk-size", "2", "--objective", "max-welfare",
                                           "--jobs", "1", "--out", root.appendingPathComponent("out").path]
        #expect(try CLI.run(batch).status == 0)
        let chunk = root.appendingPathComponent("out").appendingPathComponent("chunk-000001.npz")
        try Data(hostile).write(to: chunk)
        let merge = ["merge", root.appendingPathComponent("out").path, "--out", root.appendingPathComponent("all.npz").path]
        expectOneLineError(try CLI.run(merge), status: 1, [chunk.path, "payoffs.npy", "overflows"])
        let resumed = try CLI.run(batch)
        #expect(resumed.status == 0 && !resumed.crashed, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("1 already complete"), "\(resumed.stderr)")
        #expect(try CLI.run(merge).status == 0)
    }
}
