import Foundation
import Testing
import _EquilibriaTestSupport

/// Every option of every command is honoured or refused: given on top of a base invocation, it
/// either changes the answer (standard output, or the files written) or is refused with exit 64
/// and a message naming it. Options that by design do not change the answer (worker threads,
/// shards, chunking) are checked to leave it identical, byte for byte.
struct OptionSensitivityTests {
    enum Expectation: Sendable {
        /// The output differs from the base invocation's.
        case changes
        /// Exit 64, one `Error:` line naming the option (and containing the fragment).
        case refused(String)
        /// The option states the default: the output is identical.
        case same
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var base: [String]
        var added: [String]
        var expectation: Expectation
        var testDescription: String { (base + ["+"] + added).joined(separator: " ") }
    }

    /// Files the rows refer to, written once: a target and a welfare for the 2×2 games, a
    /// collection of two games.
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("equilibria-options-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try? Data("[0.7, 0.1, 0.1, 0.1]".utf8).write(to: url.appendingPathComponent("target.json"))
        // A game of doubles (an .npz collection of one L2 game), where exactness is a choice.
        _ = try? CLI.run(["generate", "--family", "l2", "--players", "2", "--actions", "3", "--count", "1", "--seed", "4",
                          "--out", url.appendingPathComponent("l2.npz").path])
        try? Data("[[0, 3], [1, 0]]".utf8).write(to: url.appendingPathComponent("welfare.json"))
        let chicken = "{\"payoffs\": [[[0, 7], [2, 6]], [[0, 2], [7, 6]]]}"
        let other = "{\"payoffs\": [[[1, 0], [0, 1]], [[0, 1], [1, 0]]]}"
        try? Data(("{\"family\": \"x\", \"seed\": 3, \"index\": 0, \"game\": \(chicken)}\n"
                   + "{\"family\": \"x\", \"seed\": 3, \"index\": 1, \"game\": \(other)}\n").utf8)
            .write(to: url.appendingPathComponent("two.jsonl"))
        return url
    }()

    static func file(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static let chicken = "Fixtures/chicken.json"
    static let bos = "Fixtures/battle-of-the-sexes.json"
    static let lp = ["solve", chicken, "--format", "json"]
    static let me = ["solve", chicken, "--objective", "mwmre", "--format", "json"]

    /// `solve`, the LP objectives.
    static let lpRows: [Row] = [
        Row(base: lp, added: ["--concept", "cce"], expectation: .changes),
        Row(base: lp, added: ["--objective", "min-welfare"], expectation: .changes),
        Row(base: lp, added: ["--exact"], expectation: .changes),
        Row(base: lp, added: ["--certify"], expectation: .changes),
        Row(base: lp + ["--exact"], added: ["--certify"], expectation: .refused("certified already")),
        Row(base: me, added: ["--certify"], expectation: .refused("--mu inf")),
        Row(base: ["solve", file("l2.npz"), "--objective", "mwmre", "--preset", "MU", "--mu", "inf", "--format", "json"],
            added: ["--certify"], expectation: .changes),
        Row(base: ["solve", bos, "--format", "json", "--tie-break", "max-entropy"], added: ["--certify"], expectation: .same),
        Row(base: ["solve", bos, "--format", "json", "--tie-break", "max-entropy", "--certify"],
            added: ["--exact-time-limit", "5"], expectation: .refused("tie-break")),
        Row(base: lp, added: ["--epsilon", "1/2"], expectation: .changes),
        Row(base: lp, added: ["--epsilon", "0,1"], expectation: .changes),
        Row(base: lp, added: ["--no-face"], expectation: .changes),
        Row(base: ["solve", bos, "--format", "json"], added: ["--ranges", "none"], expectation: .changes),
        Row(base: ["solve", "Fixtures/real-world/blotto-5-3.nfg", "--format", "json"], added: ["--ranges", "all"],
            expectation: .changes),
        Row(base: ["solve", "Fixtures/real-world/blotto-5-3.nfg", "--format", "json"], added: ["--ranges", "auto"],
            expectation: .same),
        Row(base: lp, added: ["--format", "text"], expectation: .changes),
        Row(base: lp, added: ["--welfare", file("welfare.json")], expectation: .changes),
        Row(base: lp + ["--objective", "min-welfare"], added: ["--welfare", file("welfare.json")], expectation: .changes),
        Row(base: lp + ["--objective", "max-linear", "--coefficients", "1,0,0,0"], added: ["--coefficients", "0,0,0,1"],
            expectation: .changes),
        Row(base: lp + ["--objective", "max-probability", "--joint-action", "1,1"], added: ["--joint-action", "2,2"],
            expectation: .changes),
        Row(base: ["solve", bos, "--format", "json"], added: ["--tie-break", "max-entropy"], expectation: .changes),
        Row(base: ["solve", bos, "--format", "json", "--tie-break", "max-entropy"], added: ["--welfare", file("welfare.json")],
            expectation: .changes),
        Row(base: ["solve", bos, "--format", "json", "--tie-break", "max-entropy"], added: ["--epsilon", "1/2"],
            expectation: .changes),
        Row(base: lp + ["--objective", "min-epsilon"], added: ["--concept", "cce"], expectation: .changes),
        Row(base: lp, added: ["--objective", "min-epsilon-per-player"], expectation: .changes),
        // Refused: options of other objectives.
        Row(base: lp, added: ["--coefficients", "1,0,0,0"], expectation: .refused("max-linear")),
        Row(base: lp, added: ["--joint-action", "1,1"], expectation: .refused("max-probability")),
        Row(base: lp, added: ["--exact-time-limit", "5"], expectation: .refused("--exact")),
        Row(base: lp + ["--objective", "min-epsilon"], added: ["--epsilon", "1"], expectation: .refused("computes ε")),
        Row(base: lp + ["--objective", "min-welfare"], added: ["--tie-break", "max-entropy"], expectation: .refused("max-welfare")),
        Row(base: lp + ["--objective", "min-welfare"], added: ["--tie-break", "none"], expectation: .refused("max-welfare")),
        Row(base: lp + ["--tie-break", "max-entropy"], added: ["--exact"], expectation: .refused("tie-break")),
        Row(base: lp + ["--tie-break", "max-entropy"], added: ["--no-face"], expectation: .refused("tie-break")),
        Row(base: lp + ["--tie-break", "max-entropy"], added: ["--ranges", "all"], expectation: .refused("tie-break")),
        Row(base: lp + ["--no-face"], added: ["--ranges", "all"], expectation: .refused("--no-face")),
        Row(base: lp, added: ["--ranges", "some"], expectation: .refused("--ranges")),
        Row(base: lp + ["--objective", "max-linear", "--coefficients", "1,0,0,0"], added: ["--welfare", file("welfare.json")],
            expectation: .refused("max-welfare")),
        Row(base: lp, added: ["--game", "1"], expectation: .refused("collection")),
    ] + ["--preset ME", "--mu 1", "--rho 5", "--eps-hat 0.1", "--eps-plus 3", "--target uniform", "--method lbfgsb",
         "--tolerance 1e-6", "--seed 4", "--raw-units"].map { option in
        Row(base: lp, added: option.split(separator: " ").map(String.init), expectation: .refused("--objective mwmre"))
    }

    /// `solve --objective mwmre`.
    static let mwmreRows: [Row] = [
        Row(base: me, added: ["--concept", "cce"], expectation: .changes),
        Row(base: me, added: ["--preset", "MU"], expectation: .changes),
        Row(base: me, added: ["--preset", "MRE"], expectation: .changes),
        Row(base: me, added: ["--preset", "MS"], expectation: .changes),
        Row(base: me, added: ["--preset", "eps-ME"], expectation: .changes),
        Row(base: me + ["--preset", "MRE"], added: ["--seed", "5"], expectation: .changes),
        Row(base: me + ["--preset", "eps-ME"], added: ["--seed", "5"], expectation: .changes),
        Row(base: me, added: ["--mu", "1"], expectation: .changes),
        Row(base: me, added: ["--mu=-1"], expectation: .changes),
        Row(base: me, added: ["--mu", "inf"], expectation: .changes),
        Row(base: me, added: ["--rho", "2"], expectation: .changes),
        Row(base: me, added: ["--rho", "inf"], expectation: .changes),
        Row(base: me, added: ["--eps-hat", "0.5"], expectation: .changes),
        Row(base: me + ["--rho", "0.5"], added: ["--eps-plus", "0.5"], expectation: .changes),
        Row(base: me, added: ["--target", file("target.json")], expectation: .changes),
        // An explicit target wins over every preset's, MRE's sampled one included.
        Row(base: me + ["--preset", "MRE"], added: ["--target", file("target.json")], expectation: .changes),
        Row(base: me + ["--mu", "1"], added: ["--welfare", file("welfare.json")], expectation: .changes),
        Row(base: me + ["--preset", "MU"], added: ["--welfare", file("welfare.json")], expectation: .changes),
        Row(base: me, added: ["--method", "lbfgsb"], expectation: .changes),
        Row(base: me, added: ["--tolerance", "1e-3"], expectation: .changes),
        Row(base: me, added: ["--raw-units"], expectation: .changes),
        // Refused: values that cannot change the answer, and the LP's options.
        Row(base: me, added: ["--seed", "5"], expectation: .refused("samples nothing")),
        Row(base: me + ["--preset", "MRE", "--target", file("target.json")], added: ["--seed", "5"],
            expectation: .refused("samples nothing")),
        Row(base: me, added: ["--welfare", file("welfare.json")], expectation: .refused("μ = 0")),
        Row(base: me + ["--mu", "inf"], added: ["--rho", "5"], expectation: .refused("μ = ∞")),
        Row(base: me + ["--rho", "inf"], added: ["--eps-plus", "3"], expectation: .refused("ρ = ∞")),
        Row(base: me, added: ["--preset", "MT"], expectation: .refused("--target")),
        Row(base: me, added: ["--preset", "MWME"], expectation: .refused("--welfare")),
        Row(base: me, added: ["--exact"], expectation: .refused("mwmre")),
        Row(base: me, added: ["--exact-time-limit", "5"], expectation: .refused("mwmre")),
        Row(base: me, added: ["--epsilon", "1"], expectation: .refused("--eps-hat")),
        Row(base: me, added: ["--coefficients", "1,0,0,0"], expectation: .refused("mwmre")),
        Row(base: me, added: ["--joint-action", "1,1"], expectation: .refused("mwmre")),
        Row(base: me, added: ["--tie-break", "max-entropy"], expectation: .refused("mwmre")),
        Row(base: me, added: ["--no-face"], expectation: .refused("mwmre")),
        Row(base: me, added: ["--ranges", "all"], expectation: .refused("mwmre")),
        // Bad values: exit 64 before any work.
        Row(base: me, added: ["--mu", "nan"], expectation: .refused("--mu")),
        Row(base: me, added: ["--tolerance", "nan"], expectation: .refused("--tolerance")),
        Row(base: me, added: ["--tolerance", "0"], expectation: .refused("--tolerance")),
        Row(base: me, added: ["--eps-hat", "0,1,2"], expectation: .refused("--eps-hat")),
        Row(base: lp, added: ["--epsilon", "abc"], expectation: .refused("--epsilon")),
        Row(base: lp, added: ["--epsilon", "0,1,2"], expectation: .refused("--epsilon")),
        Row(base: lp + ["--objective", "max-linear", "--coefficients", "1,0,0,0"], added: ["--coefficients", "1,2"],
            expectation: .refused("--coefficients")),
        Row(base: lp + ["--objective", "max-probability", "--joint-action", "1,1"], added: ["--joint-action", "3,1"],
            expectation: .refused("--joint-action")),
    ]

    /// Collections: `--game` selects the game.
    static let collectionRows: [Row] = [
        Row(base: ["solve", file("two.jsonl"), "--format", "json"], added: ["--game", "1"], expectation: .changes),
        Row(base: ["solve", file("two.jsonl"), "--format", "json"], added: ["--game", "2"], expectation: .refused("holds 2 games")),
    ]

    static func check(_ row: Row) throws {
        let base = try CLI.run(row.base)
        #expect(base.status == 0, "base: exit \(base.status): \(base.stderr)")
        let with = try CLI.run(row.base + row.added)
        #expect(!with.crashed)
        switch row.expectation {
        case .changes:
            #expect(with.status == 0, "exit \(with.status): \(with.stderr)")
            #expect(with.stdout != base.stdout, "\(row.added) did not change the answer")
        case .same:
            #expect(with.status == 0, "exit \(with.status): \(with.stderr)")
            #expect(with.stdout == base.stdout, "\(row.added) changed the answer")
        case .refused(let fragment):
            #expect(with.status == 64, "exit \(with.status), expected 64: \(with.stderr)\n\(with.stdout)")
            let line = with.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(line.hasPrefix("Error:"), "\(with.stderr)")
            #expect(line.contains(row.added[0]) || line.contains(fragment), "the message names neither \(row.added[0]) nor '\(fragment)': \(line)")
            #expect(line.contains(fragment), "'\(fragment)' missing from: \(line)")
            #expect(with.stdout.isEmpty, "refused, but printed: \(with.stdout)")
        }
    }

    @Test(arguments: lpRows) func solveLP(row: Row) throws { try Self.check(row) }
    @Test(arguments: mwmreRows) func solveMWMRE(row: Row) throws { try Self.check(row) }
    @Test(arguments: collectionRows) func collections(row: Row) throws { try Self.check(row) }

    /// An explicit target, welfare, μ, ρ, ε̂ and ε⁺ each win over the preset's value: the answer
    /// with the override equals the answer of the raw problem stated in full.
    @Test func explicitValuesOverrideThePreset() throws {
        // MT with target uniform is ME: the same problem.
        let mt = try CLI.json(Self.me + ["--preset", "MT", "--target", "uniform"])
        let meJSON = try CLI.json(Self.me)
        #expect(mt["joint"] as? [Double] == meJSON["joint"] as? [Double])
        // MU with an explicit welfare is MWME with that welfare.
        let mu = try CLI.json(Self.me + ["--preset", "MU", "--welfare", Self.file("welfare.json")])
        let mwme = try CLI.json(Self.me + ["--preset", "MWME", "--welfare", Self.file("welfare.json")])
        #expect(mu["joint"] as? [Double] == mwme["joint"] as? [Double])
        // MU's W is Σ_p G_p, not the game's own welfare key.
        let own = try CLI.temporaryFile(named: "own.json", contents: """
            {"payoffs": [[[0, 7], [2, 6]], [[0, 2], [7, 6]]], "welfare": [[0, 3], [1, 0]]}
            """)
        let muOwn = try CLI.json(["solve", own.path, "--objective", "mwmre", "--preset", "MU"])
        let muPlain = try CLI.json(Self.me + ["--preset", "MU"])
        #expect(muOwn["joint"] as? [Double] == muPlain["joint"] as? [Double])
        let mwmeOwn = try CLI.json(["solve", own.path, "--objective", "mwmre", "--preset", "MWME"])
        #expect(mwmeOwn["joint"] as? [Double] == mwme["joint"] as? [Double])
    }

    /// At the hard limits (ρ = ∞, μ = ∞) ε⁺ plays no part: the JSON has eps_plus null and ρ "inf",
    /// as the text says; with finite ρ and μ the cap is reported.
    @Test func hardLimitsReportNoCap() throws {
        for extra in [["--rho", "inf"], ["--mu", "inf"], ["--mu", "1", "--rho", "inf"]] {
            let answer = try CLI.json(Self.me + extra)
            #expect(answer["eps_plus"] is NSNull, "\(extra): \(answer["eps_plus"] ?? "missing")")
            #expect(answer["rho"] as? String == "inf")
            let text = try CLI.run(Self.me.filter { $0 != "--format" && $0 != "json" } + extra)
            #expect(text.stdout.contains("ε⁺ not used"), "\(text.stdout)")
        }
        let finite = try CLI.json(Self.me + ["--rho", "2"])
        #expect((finite["eps_plus"] as? [Double])?.isEmpty == false)
    }

    /// `batch`: every option changes the archive or is refused; threads and chunking do not
    /// change the merged archive, by design.
    @Test func batchOptions() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("equilibria-batch-options-\(UUID().uuidString)")
        var counter = 0
        func batch(_ options: [String]) throws -> (status: Int32, stderr: String, merged: Data?) {
            counter += 1
            let out = root.appendingPathComponent("b\(counter)")
            let run = try CLI.run(["batch", "--actions", "2", "--count", "3", "--chunk-size", "2", "--jobs", "1",
                                   "--out", out.path] + options)
            guard run.status == 0 else { return (run.status, run.stderr, nil) }
            let merged = root.appendingPathComponent("m\(counter).npz")
            let m = try CLI.run(["merge", out.path, "--out", merged.path])
            #expect(m.status == 0, "\(m.stderr)")
            return (0, run.stderr, FileManager.default.contents(atPath: merged.path))
        }
        let base = try batch([])
        #expect(base.status == 0, "\(base.stderr)")
        for option in [["--family", "l1"], ["--players", "3"], ["--actions", "3"], ["--count", "4"], ["--seed", "1"],
                       ["--concept", "cce"], ["--objective", "mwmre"], ["--preset", "MRE"], ["--mu", "1"], ["--rho", "5"]] {
            let r = try batch(option)
            #expect(r.status == 0 && r.merged != nil && r.merged != base.merged, "\(option): \(r.stderr)")
        }
        // Threads do not change a byte; the chunk size changes only the layout, and the request
        // recorded (BatchDirectoryTests checks the games and solutions are the same).
        let jobs = try batch(["--jobs", "2"])
        #expect(jobs.status == 0 && jobs.merged == base.merged, "--jobs changed the merged archive: \(jobs.stderr)")
        let chunked = try batch(["--chunk-size", "1"])
        #expect(chunked.status == 0 && chunked.merged != nil, "\(chunked.stderr)")
        for (option, fragment) in [(["--objective", "max-welfare", "--mu", "1"], "--mu"),
                                   (["--objective", "max-welfare", "--preset", "MU"], "--preset"),
                                   (["--objective", "max-welfare", "--rho", "5"], "--rho"),
                                   (["--count", "0"], "--count"), (["--mu=-inf"], "--mu"), (["--mu", "nan"], "--mu"),
                                   (["--rho", "0"], "--rho"), (["--jobs", "0"], "--jobs"), (["--concept", "xy"], "--concept"),
                                   (["--objective", "mwmre", "--preset", "MT"], "MT")] {
            let r = try batch(option)
            #expect(r.status == 64, "\(option): exit \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").first?.contains(fragment) == true, "\(option): \(r.stderr)")
        }
    }
}
