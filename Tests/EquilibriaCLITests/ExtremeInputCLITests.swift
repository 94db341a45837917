import Foundation
import Testing
import _EquilibriaTestSupport

/// The command line on the inputs of the trust regressions: each case once crashed, printed a
/// wrong status, printed NaN, or ran for minutes.
struct ExtremeInputCLITests {
    /// The 3×3 game whose full-precision doubles made `--tie-break max-entropy` trap.
    static let crashGame = """
        {"payoffs": [[[1.4388735938426587, 0.00020164295512421895, 0.3239119776314283], \
        [0.9520218679998016, -0.30075585250454295, 1.4367365400889385], \
        [-0.6326942125201124, -0.8083277018861249, -0.36626701885025204]], \
        [[-0.11471739196713679, -1.4013182000990516, -0.03509478412884679], \
        [-1.6674865904394212, 1.3921384005454986, -0.08099695140769417], \
        [-0.6419577246959741, -0.9083381182835725, -0.38443047420819676]]]}
        """

    static func prisonersDilemma(_ c: String) -> String {
        "{\"payoffs\": [[[3e0, 0], [5e0, 1e0]], [[3e0, 5e0], [0, 1e0]]]}".replacingOccurrences(of: "e0", with: "e\(c)")
    }

    @Test func theMuInfinityLimitDoesNotCrash() throws {
        let file = try CLI.temporaryFile(named: "crash.json", contents: Self.crashGame)
        for options in [["--tie-break", "max-entropy"], ["--objective", "mwmre", "--mu", "inf", "--rho", "inf",
                                                          "--preset", "MU"]] {
            let result = try CLI.run(["solve", file.path] + options, timeout: .seconds(300))
            #expect(!result.crashed && result.status == 0, "\(options): exit \(result.status) \(result.stderr)")
            let json = try CLI.json(["solve", file.path] + options)
            #expect(json["status"] as? String == "optimal", "\(options): \(json)")
            let joint = try #require(json["joint"] as? [Double])
            #expect(abs(joint.reduce(0, +) - 1) <= 1e-12)
        }
    }

    /// Scaled prisoner's dilemmas: optimal at (D, D) at every scale, in doubles and exactly.
    @Test func scaledGamesKeepTheirEquilibrium() throws {
        for exponent in ["-300", "-200", "-8", "6", "9", "154", "300"] {
            let file = try CLI.temporaryFile(named: "pd.json", contents: Self.prisonersDilemma(exponent))
            for extra in [[], ["--exact"]] {
                let json = try CLI.json(["solve", file.path] + extra)
                #expect(json["status"] as? String == "optimal", "1e\(exponent) \(extra): \(json)")
                let joint = try #require(json["joint"] as? [Double])
                #expect(abs(joint[3] - 1) <= 1e-9, "1e\(exponent): \(joint)")
            }
            // The presets normalise: the ME CE is the same at every scale, and not uniform.
            let me = try CLI.json(["solve", file.path, "--objective", "mwmre"])
            let joint = try #require(me["joint"] as? [Double])
            #expect(abs(joint[3] - 0.9473356946) <= 1e-8, "1e\(exponent): \(joint)")
            #expect(me["certified"] as? Bool == true)
        }
    }

    /// Parameters whose dual would overflow: refused as bad options (64), naming the option.
    @Test func parametersOutOfRangeAreBadOptions() throws {
        for (option, value) in [("--mu", "1e308"), ("--rho", "1e308"), ("--eps-hat", "-1e308"), ("--eps-plus", "1e308"),
                                ("--rho", "1e-300")] {
            let result = try CLI.run(["solve", "Fixtures/chicken.json", "--objective", "mwmre", "\(option)=\(value)"])
            #expect(result.status == 64, "\(option) \(value): exit \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("Error: \(option):"), "\(result.stderr)")
            #expect(!result.stdout.contains("nan") && !result.stderr.contains("nan"))
        }
    }

    /// A number that rounds to 0 in doubles is refused like one that rounds to ∞.
    @Test func payoffsBeyondTheDoubleRangeAreRefused() throws {
        for literal in ["1e-400", "1e400"] {
            let file = try CLI.temporaryFile(named: "range.json",
                                             contents: "{\"payoffs\": [[[\(literal), 0], [0, 1]], [[1, 0], [0, 1]]]}")
            let result = try CLI.run(["solve", file.path])
            #expect(result.status == 1, "\(literal): exit \(result.status)")
            #expect(result.stderr.contains("range.json:1:"), "\(result.stderr)")
        }
    }

    /// `--exact-time-limit` bounds the whole exact path.
    @Test func theExactTimeLimitBoundsTheWholeSolve() throws {
        var random = SplitMix64(seed: 42)
        var rows: [String] = []
        for _ in 0..<2 {
            var matrix: [String] = []
            for _ in 0..<8 {
                let row = (0..<8).map { _ in String(Double(Int(random.next() % (1 << 21)) - (1 << 20))
                                                    / Double(1 << Int(random.next() % 31))) }
                matrix.append("[" + row.joined(separator: ", ") + "]")
            }
            rows.append("[" + matrix.joined(separator: ", ") + "]")
        }
        let file = try CLI.temporaryFile(named: "binary.json", contents: "{\"payoffs\": [\(rows.joined(separator: ", "))]}")
        let result = try CLI.run(["solve", file.path, "--exact", "--exact-time-limit", "1"], timeout: .seconds(300))
        #expect(result.status == 0, "\(result.stderr)")
        // One second of budget, plus the double solve and the face analysis around it.
        #expect(result.elapsed < .seconds(30), "\(result.elapsed)")
    }

    /// `batch` refuses such parameters before any game is solved (it used to write NaN).
    @Test func batchRefusesParametersOutOfRangeUpFront() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("equilibria-range-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (option, value) in [("--mu", "1e308"), ("--rho", "1e308")] {
            let result = try CLI.run(["batch", "--players", "2", "--actions", "3", "--count", "4", "--objective", "mwmre",
                                      "\(option)=\(value)", "--out", folder.path])
            #expect(result.status == 64, "\(option): exit \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("Error: \(option):"), "\(result.stderr)")
            let chunks = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            #expect(!chunks.contains { $0.hasPrefix("chunk-") }, "\(chunks)")
        }
    }

    /// GAMUT's RandomGame normalised to [0, 1e4] was reported infeasible.
    @Test func gamutGamesNormalisedToALargeRangeAreSolved() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("equilibria-gamut-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let generated = try CLI.run(["generate", "--family", "RandomGame", "--players", "2", "--actions", "5",
                                     "--count", "6", "--gamut-normalize", "0,1e4", "--out", folder.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".nfg") }.sorted()
        #expect(files.count == 6)
        for file in files {
            for objective in ["max-welfare", "min-welfare", "min-epsilon"] {
                let json = try CLI.json(["solve", folder.appendingPathComponent(file).path, "--objective", objective])
                #expect(json["status"] as? String == "optimal", "\(file) \(objective): \(json)")
            }
        }
    }
}
