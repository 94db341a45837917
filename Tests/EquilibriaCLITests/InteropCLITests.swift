import Foundation
import Testing
import _EquilibriaTestSupport

/// Files move between the tools people use: `equilibria convert` writes the plain `.nfg` form
/// that OpenSpiel's own reader (`pyspiel.load_nfg_game`, installed by `scripts/setup.sh --tests`)
/// takes, and OpenSpiel sees the same payoff at every joint action.
struct InteropCLITests {
    /// Prints, for an `.nfg` file read by OpenSpiel, the action counts and every joint action's
    /// payoffs in row-major order (player N's action fastest), as JSON.
    static let reader = """
        import itertools, json, sys
        import pyspiel
        game = pyspiel.load_nfg_game(open(sys.argv[1]).read())
        state = game.new_initial_state()
        counts = [len(state.legal_actions(p)) for p in range(game.num_players())]
        payoffs = []
        for joint in itertools.product(*[range(c) for c in counts]):
            s = game.new_initial_state()
            s.apply_actions(list(joint))
            payoffs.append(s.returns())
        print(json.dumps({"counts": counts, "payoffs": payoffs}))
        """

    @Test(arguments: ["Fixtures/chicken.json", "Fixtures/three-player.json", "Fixtures/table5-ce.json",
                      "Fixtures/shapley.json", "generated"])
    func openSpielReadsThePlainForm(source: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("equilibria-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var input = source
        var extra: [String] = []
        if source == "generated" {
            // Random doubles (17 significant digits), 3 players.
            let games = folder.appendingPathComponent("g.jsonl").path
            let g = try CLI.run(["generate", "--family", "l2", "--players", "3", "--actions", "2,3,2", "--count", "2",
                                 "--seed", "5", "--out", games])
            #expect(g.status == 0, "\(g.stderr)")
            input = games
            extra = ["--game", "1"]
        }
        let json = folder.appendingPathComponent("game.json").path
        let nfg = folder.appendingPathComponent("game.nfg").path
        #expect(try CLI.run(["convert", input, json, "--format", "json"] + extra).status == 0)
        let converted = try CLI.run(["convert", input, nfg, "--format", "nfg-plain"] + extra)
        #expect(converted.status == 0, "\(converted.stderr)")
        let script = folder.appendingPathComponent("read.py")
        try Data(Self.reader.utf8).write(to: script)
        let run = try Subprocess.run("/usr/bin/env", ["python3", script.path, nfg], timeout: .seconds(120))
        try #require(run.status == 0, "OpenSpiel could not read the plain form (run scripts/setup.sh --tests): \(run.stderr)")
        let spiel = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let counts = try #require(spiel["counts"] as? [Int])
        let payoffs = try #require(spiel["payoffs"] as? [[Double]])
        // Ours, from the game JSON written by the same conversion.
        let game = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        func flatten(_ v: Any) -> [Double] {
            if let a = v as? [Any] { return a.flatMap(flatten) }
            if let n = v as? NSNumber { return [n.doubleValue] }
            if let s = v as? String, let slash = s.firstIndex(of: "/"),
               let p = Double(s[..<slash]), let q = Double(s[s.index(after: slash)...]) { return [p / q] }
            return [.nan]
        }
        let flat = flatten(game["payoffs"]!)
        let joint = counts.reduce(1, *)
        #expect(flat.count == counts.count * joint)
        #expect(payoffs.count == joint)
        for a in 0..<joint {
            for p in 0..<counts.count {
                let mine = flat[p * joint + a]
                #expect(abs(payoffs[a][p] - mine) <= 1e-15 * max(1, abs(mine)), "joint \(a), player \(p + 1): \(payoffs[a][p]) vs \(mine)")
            }
        }
    }

    /// `convert` refuses what it cannot do, with exit 64 naming the option.
    @Test func convertRefusesBadOptions() throws {
        let bad = try CLI.run(["convert", "Fixtures/chicken.json", "/tmp/x.txt"])
        #expect(bad.status == 64 && bad.stderr.contains("--format"), "\(bad.stderr)")
        let row = try CLI.run(["convert", "Fixtures/chicken.json", "/tmp/x.json", "--game", "1"])
        #expect(row.status == 64 && row.stderr.contains("--game"), "\(row.stderr)")
        let stdout = try CLI.run(["convert", "Fixtures/chicken.json", "-", "--format", "nfg-plain"])
        #expect(stdout.status == 0 && stdout.stdout.hasPrefix("NFG 1 R"))
    }

    /// `generate`: GAMUT's own normalisation is recorded (`gamut_normalize`, read here by NumPy),
    /// the per-player one keeps its own key, and bad values are refused with exit 64.
    @Test func generateRecordsItsNormalisations() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("equilibria-generate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("g.npz").path
        let g = try CLI.run(["generate", "--family", "D18", "--players", "2", "--actions", "3", "--count", "2",
                             "--gamut-normalize", "0,1", "--out", out])
        #expect(g.status == 0, "\(g.stderr)")
        let script = "import numpy as np; a = np.load('\(out)'); print(list(a['gamut_normalize']), str(a['normalization']), "
            + "float(a['payoffs'].min()), float(a['payoffs'].max()))"
        let run = try Subprocess.run("/usr/bin/env", ["python3", "-c", script], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("[np.float64(0.0), np.float64(1.0)] none") || run.stdout.hasPrefix("[0.0, 1.0] none"),
                "\(run.stdout)")
        for (options, fragment) in [(["--count", "0"], "--count"), (["--normalize", "l3"], "--normalize"),
                                    (["--gamut-normalize", "0"], "--gamut-normalize"), (["--actions", "0"], "--actions"),
                                    (["--permutations", "2"], "--permutations")] {
            let r = try CLI.run(["generate", "--family", "l2", "--players", "2", "--actions", "3", "--out",
                                 folder.appendingPathComponent("x.jsonl").path] + options)
            #expect(r.status == 64 && r.stderr.contains(fragment), "\(options): \(r.status) \(r.stderr)")
        }
    }
}
