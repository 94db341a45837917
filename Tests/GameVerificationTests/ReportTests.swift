import EquilibriumSolvers
import Foundation
import NormalFormGames
import Testing
@testable import GameVerification
import NumPyFiles

/// A small verification set: L2 games, their ME solutions and perturbed duals, on disk.
struct Scenario {
    var folder: URL
    var gamesURL: URL
    var referenceURL: URL
    var dualsURL: URL
    var jointsURL: URL
    var games: [NormalFormGame]
    var solutions: [MWMREResult]
    var perturbed: [[Double]]
    var recovered: [[Double]]

    /// `count` 3×3 games; the reference archive mimics `batch` + `merge` (me_* keys).
    init(count: Int = 12, shape: [Int] = [3, 3], concept: EquilibriumConcept = .correlated, seed: UInt64 = 21) throws {
        folder = Fixture.folder("scenario")
        games = Fixture.l2Games(count, shape: shape, seed: seed)
        solutions = try games.map { try MWMRESolver.solve(game: $0, parameters: Fixture.me($0, concept)) }
        var generator = SplitMix64(seed: seed)
        perturbed = solutions.map { s in s.duals.map { max(0, $0 * (1 + 0.2 * (generator.nextUnit() - 0.5)) + 0.01 * generator.nextUnit()) } }
        recovered = try zip(games, perturbed).map { try DualRecovery.recover(duals: $1, game: $0, parameters: Fixture.me($0, concept)).joint }
        gamesURL = folder.appendingPathComponent("games.npz")
        referenceURL = folder.appendingPathComponent("reference.npz")
        dualsURL = folder.appendingPathComponent("duals.npz")
        jointsURL = folder.appendingPathComponent("joints.npz")
        try Fixture.writeGames(games, seed: seed, to: gamesURL)
        let k = games.count, n = shape.count, joint = shape.reduce(1, *)
        let rows = solutions[0].duals.count
        let parameters = games.map { Fixture.me($0, concept) }
        try NumPyArchive.write([
            ("payoffs", NumPyArray(float64: games.flatMap(\.payoffs), shape: [k, n] + shape)),
            ("concept", NumPyArray(strings: [concept.rawValue], shape: [])),
            ("me_preset", NumPyArray(strings: ["ME"], shape: [])),
            ("me_status", NumPyArray(strings: solutions.map { $0.status.rawValue })),
            ("me_joint", NumPyArray(float64: solutions.flatMap(\.joint), shape: [k] + shape)),
            ("me_epsilon", NumPyArray(float64: solutions.flatMap(\.epsilon), shape: [k, n])),
            ("me_duals", NumPyArray(float64: solutions.flatMap(\.duals), shape: [k, rows])),
            ("me_dual_objective", NumPyArray(float64: solutions.map(\.dualObjective), shape: [k])),
            ("me_eps_hat", NumPyArray(float64: parameters.flatMap(\.epsilonTarget), shape: [k, n])),
            ("me_eps_plus", NumPyArray(float64: parameters.flatMap(\.epsilonCap), shape: [k, n])),
            ("me_target", NumPyArray(float64: Array(repeating: 1 / Double(joint), count: k * joint), shape: [k] + shape)),
            ("me_welfare", NumPyArray(float64: Array(repeating: 0, count: k * joint), shape: [k] + shape)),
            ("me_mu", NumPyArray(float64: parameters.map(\.mu), shape: [k])),
            ("me_rho", NumPyArray(float64: parameters.map(\.rho), shape: [k])),
        ], to: referenceURL)
        try Fixture.writePredictions(perturbed, key: "duals", to: dualsURL)
        try Fixture.writePredictions(recovered, key: "joint", to: jointsURL)
    }

    func configuration(_ predictions: URL) -> VerificationConfiguration {
        var c = VerificationConfiguration(games: gamesURL, predictions: predictions)
        c.reference = .archive(referenceURL)
        c.jobs = 2
        return c
    }
}

@Suite struct VerificationRunTests {
    /// The duals and the joints recovered from them give the same report for every metric that
    /// does not need duals; the duals-only metrics are absent for the joints.
    @Test func dualsAndRecoveredJointsGiveTheSameReport() throws {
        let s = try Scenario()
        let fromDuals = try Verification.run(s.configuration(s.dualsURL))
        let fromJoints = try Verification.run(s.configuration(s.jointsURL))
        #expect(fromDuals.context.predictionKind == .duals && fromJoints.context.predictionKind == .joint)
        for column in fromJoints.table.columns {
            let other = try #require(fromDuals.table.column(column.definition.key))
            #expect(other.defined == column.defined)
            #expect(maxDifference(other.values, column.values) <= 1e-14, "\(column.definition.key)")
        }
        let jointKeys = Set(fromJoints.table.columns.map(\.definition.key))
        let dualKeys = Set(fromDuals.table.columns.map(\.definition.key))
        #expect(dualKeys.subtracting(jointKeys) == ["gap_eps", "certified_gap", "eps_diff", "dual_suboptimality",
                                                      "dual_objective", "epsilon"])
        #expect(Set(fromJoints.table.absent.map(\.key)) == dualKeys.subtracting(jointKeys))
        for key in jointKeys {
            let a = try #require(fromDuals.groups[0].statistics(key)), b = try #require(fromJoints.groups[0].statistics(key))
            #expect(abs((a.mean ?? 0) - (b.mean ?? 0)) <= 1e-14, "\(key)")
            #expect(abs((a.percentile99 ?? 0) - (b.percentile99 ?? 0)) <= 1e-14, "\(key)")
            #expect(a.worstGameIndex == b.worstGameIndex, "\(key)")
        }
    }

    /// --solve computes the same reference as the archive (same preset, same units) in parallel,
    /// and the optimal duals themselves score 0 on every distance.
    @Test func solvingTheReferenceMatchesTheArchive() throws {
        let s = try Scenario(count: 8)
        var solve = s.configuration(s.dualsURL)
        solve.reference = .solve
        solve.jobs = 2
        let solved = try Verification.run(solve)
        let archived = try Verification.run(s.configuration(s.dualsURL))
        for key in ["kl_pred_ref", "tv", "dual_suboptimality", "eps_diff"] {
            #expect(maxDifference(solved.table.column(key)!.values, archived.table.column(key)!.values) < 1e-9, "\(key)")
        }
        let optimal = s.folder.appendingPathComponent("optimal.npz")
        try Fixture.writePredictions(s.solutions.map(\.duals), key: "duals", to: optimal)
        var exact = s.configuration(optimal)
        exact.thresholds = [Threshold(metric: "kl_pred_ref", limit: 1e-12), Threshold(metric: "tv", limit: 1e-10),
                            Threshold(metric: "certified_gap", limit: 1e-9),
                            Threshold(metric: "dual_suboptimality", limit: 1e-10)]
        let report = try Verification.run(exact)
        #expect(report.passed, "\(report.thresholds)")
    }

    /// Thresholds fail where they must, and name the count; an impossible one is an error.
    @Test func thresholdsDecideThePass() throws {
        let s = try Scenario(count: 6)
        var c = s.configuration(s.dualsURL)
        c.thresholds = [Threshold(metric: "tv", limit: 0), Threshold(metric: "gap", limit: 10)]
        let report = try Verification.run(c)
        #expect(!report.passed)
        #expect(report.thresholds[0].failed == 6 && !report.thresholds[0].passed)
        #expect(report.thresholds[1].passed)
        var none = VerificationConfiguration(games: s.gamesURL, predictions: s.dualsURL)
        none.thresholds = [Threshold(metric: "kl_pred_ref", limit: 1)]
        #expect { try Verification.run(none) } throws: { error in
            (error as? VerificationError)?.message.contains("needs a reference") == true
        }
        var unknown = s.configuration(s.dualsURL)
        unknown.thresholds = [Threshold(metric: "gapp", limit: 1)]
        #expect { try Verification.run(unknown) } throws: { error in
            (error as? VerificationError)?.message.contains("unknown metric 'gapp'") == true
        }
    }

    /// The files: metrics.npz with every metric and mask and no NaN (also as NumPy reads it, when
    /// NumPy is installed), metrics.csv, summary.json.
    @Test func reportFiles() throws {
        let s = try Scenario(count: 10)
        let report = try Verification.run(s.configuration(s.dualsURL))
        let out = s.folder.appendingPathComponent("report")
        let written = try ReportWriter.write(report, to: out)
        #expect(Set(written.map(\.lastPathComponent)) == ["metrics.npz", "metrics.csv", "summary.json", "report.html"])
        let arrays = try NumPyArchive.read(out.appendingPathComponent("metrics.npz"))
        for key in ["gap", "gap_eps", "gap_eps_hat", "max_ce_gain", "max_cce_gain", "corr_dist_ce", "certified_gap",
                    "kl_pred_ref", "kl_ref_pred", "tv", "eps_diff", "welfare_diff", "dual_suboptimality"] {
            let array = try #require(arrays[key], "\(key) missing")
            #expect(array.shape.first == 10)
            #expect(array.doubles!.allSatisfy { !$0.isNaN })
            #expect(arrays["\(key)_defined"]?.bools?.count == 10)
        }
        #expect(arrays["max_ce_gain"]!.shape == [10, 2])
        #expect(arrays["units"]!.strings![0].contains("normalised"))
        let csv = try String(contentsOf: out.appendingPathComponent("metrics.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines[0].hasPrefix("row,game_index,family,gap,"))
        #expect(lines[0].contains("max_ce_gain_p1,max_ce_gain_p2"))
        #expect(!csv.lowercased().contains("nan"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
        let summary = try #require(json as? [String: Any])
        #expect(summary["concept"] as? String == "ce")
        #expect((summary["units"] as? String)?.contains("normalised") == true)
        let groups = try #require(summary["groups"] as? [[String: Any]])
        let stats = try #require(groups[0]["statistics"] as? [String: Any])
        let gap = try #require(stats["gap"] as? [String: Any])
        for key in ["mean", "median", "p90", "p99", "worst", "worst_game_index"] { #expect(gap[key] != nil, "\(key)") }

        // NumPy itself, when available: no NaN anywhere, masks are booleans.
        let script = """
            import sys, numpy as np
            d = np.load(sys.argv[1])
            for k in d.files:
                a = d[k]
                if a.dtype.kind == 'f': assert not np.isnan(a).any(), k
                if k.endswith('_defined'): assert a.dtype == np.bool_, k
            print('ok', len(d.files))
            """
        if let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let probe = try Fixture.run(URL(fileURLWithPath: python), ["-c", "import numpy"])
            if probe.status == 0 {
                let run = try Fixture.run(URL(fileURLWithPath: python), ["-c", script, out.appendingPathComponent("metrics.npz").path])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.hasPrefix("ok"))
            }
        }
    }

    /// Undefined metrics are +∞ with a false mask, never NaN: a reference that failed for one game.
    @Test func undefinedMetricsAreMasked() throws {
        let s = try Scenario(count: 4)
        var arrays = try NumPyArchive.read(s.referenceURL)
        arrays["me_status"] = NumPyArray(strings: ["optimal", "failed", "optimal", "optimal"])
        let broken = s.folder.appendingPathComponent("broken.npz")
        try NumPyArchive.write(arrays.keys.sorted().map { ($0, arrays[$0]!) }, to: broken)
        var c = s.configuration(s.dualsURL)
        c.reference = .archive(broken)
        let report = try Verification.run(c)
        let tv = try #require(report.table.column("tv"))
        #expect(tv.defined == [true, false, true, true])
        #expect(tv.values[1] == .infinity)
        #expect(report.context.notes.contains { $0.contains("not optimal") })
        let stats = try #require(report.groups[0].statistics("tv"))
        #expect(stats.defined == 3 && stats.count == 4)
    }
}

/// Bad inputs give one clear line.
@Suite struct InputErrorTests {
    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as VerificationError {
            #expect(!error.message.contains("\n"), "not one line: \(error.message)")
            return error.message
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    func run(_ s: Scenario, predictions arrays: [(name: String, array: NumPyArray)], concept: EquilibriumConcept? = nil) -> String? {
        let url = s.folder.appendingPathComponent("bad-\(UUID().uuidString).npz")
        try! NumPyArchive.write(arrays, to: url)
        var c = s.configuration(url)
        c.concept = concept
        return Self.message { _ = try Verification.run(c) }
    }

    @Test func wrongShapesLengthsAndValues() throws {
        let s = try Scenario(count: 3)
        // 3×3 CE has 12 rows, CCE 6.
        let wrongLength = run(s, predictions: [("duals", NumPyArray(float64: Array(repeating: 0, count: 30), shape: [3, 10]))])
        #expect(wrongLength?.contains("10 columns per game; shape 3x3 needs 12 (CE) or 6 (CCE)") == true, "\(wrongLength ?? "")")
        let contradicted = run(s, predictions: [("duals", NumPyArray(float64: Array(repeating: 0, count: 18), shape: [3, 6]))],
                               concept: .correlated)
        #expect(contradicted?.contains("the CCE row count for 3x3") == true, "\(contradicted ?? "")")
        let wrongShape = run(s, predictions: [("joint", NumPyArray(float64: Array(repeating: 0.125, count: 24), shape: [3, 8]))])
        #expect(wrongShape?.contains("expected [3, 3, 3] or [3, 9]") == true, "\(wrongShape ?? "")")
        let count = run(s, predictions: [("duals", NumPyArray(float64: Array(repeating: 0, count: 24), shape: [2, 12]))])
        #expect(count?.contains("holds 2 predictions") == true && count?.contains("has 3 games") == true, "\(count ?? "")")
        var values = Array(repeating: 0.0, count: 36)
        values[12 + 5] = .nan
        let nan = run(s, predictions: [("duals", NumPyArray(float64: values, shape: [3, 12]))])
        #expect(nan?.contains("duals[1, 5] is nan") == true && nan?.contains("p1: 3->2") == true, "\(nan ?? "")")
        values[12 + 5] = -0.5
        let negative = run(s, predictions: [("duals", NumPyArray(float64: values, shape: [3, 12]))])
        #expect(negative?.contains("duals must be ≥ 0") == true, "\(negative ?? "")")
        var joint = Array(repeating: 1.0 / 9, count: 27)
        joint[20] = .infinity
        let infinite = run(s, predictions: [("joint", NumPyArray(float64: joint, shape: [3, 3, 3]))])
        #expect(infinite?.contains("joint[2, 2] is inf") == true && infinite?.contains("joint action (1,3)") == true, "\(infinite ?? "")")
        let unnormalised = run(s, predictions: [("joint", NumPyArray(float64: Array(repeating: 0.125, count: 27), shape: [3, 9]))])
        #expect(unnormalised?.contains("sums to 1.125, not 1") == true, "\(unnormalised ?? "")")
        let both = run(s, predictions: [("joint", NumPyArray(float64: Array(repeating: 1.0 / 9, count: 27), shape: [3, 9])),
                                        ("duals", NumPyArray(float64: Array(repeating: 0, count: 36), shape: [3, 12]))])
        #expect(both?.contains("both 'duals' and 'joint'") == true)
        let neither = run(s, predictions: [("sigma", NumPyArray(float64: [1], shape: [1]))])
        #expect(neither?.contains("no 'duals' or 'joint' array (keys: sigma)") == true)
        let float32 = run(s, predictions: [("joint", NumPyArray(int64: Array(repeating: 0, count: 27), shape: [3, 9]))])
        #expect(float32?.contains("must be float64") == true)
    }

    /// With two actions each, CE and CCE have the same number of rows (in a different order):
    /// the concept comes from --concept or the archive, CE by default, and says so.
    @Test func conceptOfAmbiguousDualLengths() throws {
        let (ce, reason) = try VerificationInputs.resolveConcept(dualLength: 4, explicit: nil, archive: nil,
                                                                 actionCounts: [2, 2], name: "p", gamesFile: "g")
        #expect(ce == .correlated && reason.contains("fit both CE and CCE"))
        let (cce, _) = try VerificationInputs.resolveConcept(dualLength: 4, explicit: .coarseCorrelated, archive: nil,
                                                             actionCounts: [2, 2], name: "p", gamesFile: "g")
        #expect(cce == .coarseCorrelated)
        let (recorded, why) = try VerificationInputs.resolveConcept(dualLength: 4, explicit: nil, archive: .coarseCorrelated,
                                                                    actionCounts: [2, 2], name: "p", gamesFile: "g")
        #expect(recorded == .coarseCorrelated && why.contains("recorded in g"))
        let (detected, _) = try VerificationInputs.resolveConcept(dualLength: 6, explicit: nil, archive: nil,
                                                                  actionCounts: [3, 3], name: "p", gamesFile: "g")
        #expect(detected == .coarseCorrelated)
        let conflict = Self.message {
            _ = try VerificationInputs.resolveConcept(dualLength: 4, explicit: .correlated, archive: .coarseCorrelated,
                                                      actionCounts: [2, 2], name: "p", gamesFile: "g")
        }
        #expect(conflict?.contains("contradicts the concept cce recorded in g") == true)
    }

    /// Units are stated: normalised archives as written, raw ones as raw, and --normalize says it
    /// normalised (and does: the games become L2-normalised, with the same equilibria).
    @Test func unitsAreStated() throws {
        let raw = try NormalFormGame(actionCounts: [2, 3], payoffs: (0..<12).map { Double($0 * $0) })
        let folder = Fixture.folder("units")
        let url = folder.appendingPathComponent("raw.npz")
        try Fixture.writeGames([raw, raw], to: url, extra: [("normalization", NumPyArray(strings: ["none"], shape: []))])
        let asWritten = try VerificationInputs.games(url, normalize: false).games
        #expect(!asWritten.isNormalized && asWritten.units.hasPrefix("raw payoffs as generated"))
        let normalized = try VerificationInputs.games(url, normalize: true).games
        #expect(normalized.isNormalized && normalized.units.hasPrefix("normalised by verify (L2"))
        #expect(GameArchiveReader.isL2Normalized(normalized.games[0]))
        let l2 = folder.appendingPathComponent("l2.npz")
        try Fixture.writeGames(Fixture.l2Games(2, shape: [2, 3], seed: 1), to: l2)
        let already = try VerificationInputs.games(l2, normalize: true).games
        #expect(already.units.hasPrefix("normalised (L2, docs/reference.md §4: per player mean 0, L2 norm √|A| = 2.44949), as written"))
        // Raw games get the raw-units problem (ε⁺ = the payoff range), as `solve --raw-units`.
        let p = try MWMREProblem(concept: .correlated, units: .raw).instance(of: .init(game: asWritten.games[0])).parameters
        #expect(p.epsilonCap == [121, 121])
    }

    @Test func missingAndMismatchedFiles() throws {
        let s = try Scenario(count: 3)
        var c = s.configuration(s.folder.appendingPathComponent("nowhere.npz"))
        let missing = Self.message { _ = try Verification.run(c) }
        #expect(missing?.hasSuffix("nowhere.npz: no such file") == true)
        // A reference for other games.
        let others = try Scenario(count: 3, seed: 99)
        c = s.configuration(s.dualsURL)
        c.reference = .archive(others.referenceURL)
        let mismatch = Self.message { _ = try Verification.run(c) }
        #expect(mismatch?.contains("game 0 has different payoffs") == true, "\(mismatch ?? "")")
        // A CCE reference for CE predictions.
        let cce = try Scenario(count: 3, concept: .coarseCorrelated)
        c.reference = .archive(cce.referenceURL)
        let concept = Self.message { _ = try Verification.run(c) }
        #expect(concept?.contains("holds CCE solutions") == true, "\(concept ?? "")")
    }
}

/// The HTML report, rendered by a real browser.
@Suite(.serialized) struct BrowserTests {
    /// Debian's Chromium, installed by the set-up step (`scripts/setup.sh --tests`); tests never
    /// install anything themselves.
    static func chromium() -> URL? {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        return candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }).map { URL(fileURLWithPath: $0) }
    }

    @Test(.timeLimit(.minutes(20))) func chromiumRendersChartsAndTables() throws {
        let browser = try #require(Self.chromium(), "Chromium is missing: run scripts/setup.sh --tests (the test command does)")
        let s = try Scenario(count: 30, shape: [4, 4])
        var c = s.configuration(s.dualsURL)
        c.thresholds = [Threshold(metric: "gap", limit: 1), Threshold(metric: "tv", limit: 1e-6)]
        let report = try Verification.run(c)
        let out = s.folder.appendingPathComponent("report")
        try ReportWriter.write(report, to: out)
        let page = "file://" + out.appendingPathComponent("report.html").path
        let profile = s.folder.appendingPathComponent("chromium-profile").path
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)"]
        let dom = try Fixture.run(browser, common + ["--dump-dom", page], timeout: .seconds(180))
        #expect(dom.status == 0, "\(dom.stderr.suffix(500))")
        let html = dom.stdout
        let svgs = html.components(separatedBy: "<svg").count - 1
        let polylines = html.components(separatedBy: "<polyline").count - 1
        let tables = html.components(separatedBy: "<table").count - 1
        #expect(svgs >= 10, "only \(svgs) svg elements rendered")
        #expect(polylines >= 8, "only \(polylines) CDF curves")
        #expect(tables >= 5, "only \(tables) tables")
        for text in ["Verification report", "Thresholds", "Summary by family and size", "Distributions", "Worst cases",
                     "KL(σ‖σ*)", "FAIL", "PASS", "certificate vs KL", "σ* (reference)"] {
            #expect(html.contains(text), "the rendered page lacks \(text)")
        }
        // One screenshot, kept for a person to look at.
        let shot = FileManager.default.temporaryDirectory.appendingPathComponent("equilibria-verify-report.png")
        try? FileManager.default.removeItem(at: shot)
        let picture = try Fixture.run(browser, common + ["--screenshot=\(shot.path)", "--window-size=1200,2000", page],
                                      timeout: .seconds(180))
        #expect(picture.status == 0)
        let size = (try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
        #expect(size > 20_000, "screenshot \(shot.path) is \(size) bytes")
    }
}
