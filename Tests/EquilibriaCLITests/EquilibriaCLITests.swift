import Foundation
import Testing
import _EquilibriaTestSupport

/// Runs the built `equilibria` executable as a subprocess.
enum CLI {
    static var packageRoot: URL { Subprocess.packageRoot }
    static var executable: URL? { Subprocess.equilibria }

    struct Result {
        var status: Int32
        var signaled: Bool
        var stdout: String
        var stderr: String
        var elapsed: Duration

        /// Ended by a signal, or with the exit codes a trap produces when reported by a shell.
        var crashed: Bool { signaled || [132, 133, 134, 139].contains(status) }
    }

    /// Runs `equilibria` with `arguments` in the package root; kills it after `timeout`.
    static func run(_ arguments: [String], timeout: Duration = .seconds(120)) throws -> Result {
        let binary = try #require(executable, "the equilibria executable was not found next to the tests")
        let run = try Subprocess.run(binary.path, arguments, directory: packageRoot, timeout: timeout)
        if run.timedOut { Issue.record("equilibria \(arguments.joined(separator: " ")) timed out after \(timeout)") }
        return Result(status: run.status, signaled: run.signaled, stdout: run.stdout, stderr: run.stderr,
                      elapsed: run.elapsed)
    }

    /// Runs and parses standard output as a JSON object.
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try run(arguments + ["--format", "json"])
        #expect(result.status == 0, "exit \(result.status): \(result.stderr)")
        #expect(!result.crashed)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdout)")
    }

    /// A temporary file with `contents`, named `name`, in a fresh folder.
    static func temporaryFile(named name: String, contents: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("equilibria-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url
    }
}

/// A bad invocation and what its one-line error must contain.
struct BadInvocation: Sendable, CustomTestStringConvertible {
    var label: String
    /// The file to write (name, contents), or nil to use `existingFile`.
    var file: (name: String, contents: String)?
    /// A path relative to the package root, used when `file` is nil.
    var existingFile: String = "Fixtures/chicken.json"
    var options: [String] = []
    /// Text the error line must contain besides the file name (when it names one).
    var fragments: [String] = []
    /// Whether the error must give `line:column` (syntax and value errors inside a file).
    var positioned = false
    /// Whether the message must name the file.
    var namesFile = true
    /// An upper bound on the run time.
    var limit: Duration = .seconds(60)

    var testDescription: String { label }
}

@Suite("equilibria CLI")
struct EquilibriaCLITests {
    // MARK: Known answers

    /// Table 5 (a), docs/reference.md §6: G1 = [[-4,2,-999,-999],[-2,1,-999,-999],[-999,-999,-3,2],
    /// [-999,-999,-2,1.1]], G2 = G1ᵀ. In the top-left block, with x on (1,2), (2,1) and y on
    /// (2,2), player 1 told 2 needs −2x + y ≥ −4x + 2y, i.e. y ≤ 2x; with 2x + y = 1 that is
    /// y ≤ 1/2, welfare 2y ≤ 1. The bottom-right block gives at most 2.2·5/14 < 1 and mixed
    /// cells cost −999. So the max-welfare CE is ¼(1,2) + ¼(2,1) + ½(2,2) (flat 1, 4, 5), value 1.
    @Test(arguments: ["Fixtures/table5-ce.json", "Fixtures/table5-ce.nfg"])
    func table5CE(_ path: String) throws {
        let report = try CLI.json(["solve", path, "--exact"])
        #expect(report["status"] as? String == "optimal")
        #expect(report["certified"] as? Bool == true)
        #expect(report["objective_exact"] as? String == "1")
        var expected = [String](repeating: "0", count: 16)
        expected[1] = "1/4"
        expected[4] = "1/4"
        expected[5] = "1/2"
        #expect(report["joint_exact"] as? [String] == expected)
        #expect(report["unique"] as? Bool == true)
    }

    /// `--certify` on Table 5 (a) (value 1 by hand, above): the double answer is certified, the
    /// bounds contain 1 and are narrow; on a game whose optimum is not unique (column player's
    /// third action strictly dominant, row player indifferent: every split of (1,3) and (2,3) is
    /// optimal, by hand), the rigorous range bounds contain [0, 1] for both.
    @Test func certifiedDoubleAnswers() throws {
        let report = try CLI.json(["solve", "Fixtures/table5-ce.json", "--certify"])
        #expect(report["certified"] as? Bool == true)
        let bounds = try #require(report["certificate_bounds"] as? [Double])
        #expect(bounds.count == 2 && bounds[0] <= 1 && 1 <= bounds[1] && bounds[1] - bounds[0] < 1e-9, "\(bounds)")
        #expect((report["certificate"] as? String)?.hasPrefix("certified") == true)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ties-\(UUID().uuidString).json")
        try Data(#"{"payoffs": [[[1, 1, 0], [1, 1, 0]], [[0, 0, 1], [0, 0, 1]]]}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let ties = try CLI.json(["solve", url.path, "--certify", "--ranges", "all"])
        #expect(ties["unique"] as? Bool == false)
        let lower = try #require(ties["range_lower_bound"] as? [Any]), upper = try #require(ties["range_upper_bound"] as? [Any])
        for a in [2, 5] {
            let lo = try #require(lower[a] as? Double), hi = try #require(upper[a] as? Double)
            #expect(lo <= 0 && hi >= 1, "joint action \(a): [\(lo), \(hi)]")
        }
        let plain = try CLI.json(["solve", url.path, "--ranges", "all"])
        #expect(plain["range_lower_bound"] == nil && plain["certificate_bounds"] == nil)
    }

    /// Table 5 (b), docs/reference.md §6: R = [[2,0,0,0],[0,3,0,-10],[0,3,-10,-10],[2,7,-6,0]], G2 = Rᵀ,
    /// welfare W(i,j) = R(i,j) + R(j,i). Dual bound: with multiplier λ on each player's
    /// "deviate to 4" constraint, every cell satisfies (1+λ)W(i,j) − λ(R(4,j) + R(4,i)) ≤ 4 for
    /// λ ∈ [1/4, 1/2] (e.g. (1,1): 4; (2,2): 6 − 8λ; (2,3): 3 + 2λ; (1,3): 4λ), so the max-welfare
    /// CCE is at most 4, and the pure equilibrium (1,1) attains it. With λ = 0.3 only (1,1) is
    /// tight, so by complementary slackness the optimum is unique: all mass on flat index 0.
    @Test(arguments: ["Fixtures/table5-cce.json", "Fixtures/table5-cce.nfg"])
    func table5CCE(_ path: String) throws {
        let report = try CLI.json(["solve", path, "--exact", "--concept", "cce"])
        #expect(report["status"] as? String == "optimal")
        #expect(report["certified"] as? Bool == true)
        #expect(report["objective_exact"] as? String == "4")
        var expected = [String](repeating: "0", count: 16)
        expected[0] = "1"
        #expect(report["joint_exact"] as? [String] == expected)
        #expect(report["unique"] as? Bool == true)
    }

    /// Each fixture's `.nfg` describes the same game as its `.json` (Fixtures/README.md), so
    /// the exact results agree: status, objective and, when the optimum is unique, σ.
    @Test(arguments: ["table5-ce", "table5-cce", "chicken", "battle-of-the-sexes", "shapley", "matching-pennies",
                      "prisoners-dilemma", "three-player", "gibson"])
    func nfgAndJSONAgree(_ name: String) throws {
        for concept in ["ce", "cce"] {
            let fromJSON = try CLI.json(["solve", "Fixtures/\(name).json", "--exact", "--concept", concept])
            let fromNFG = try CLI.json(["solve", "Fixtures/\(name).nfg", "--exact", "--concept", concept])
            #expect(fromJSON["status"] as? String == "optimal")
            #expect(fromJSON["certified"] as? Bool == true)
            #expect(fromNFG["status"] as? String == fromJSON["status"] as? String)
            #expect(fromNFG["certified"] as? Bool == true)
            #expect(fromNFG["objective_exact"] as? String == fromJSON["objective_exact"] as? String, "\(name) \(concept)")
            #expect(fromNFG["shape"] as? [Int] == fromJSON["shape"] as? [Int])
            #expect(fromNFG["unique"] as? Bool == fromJSON["unique"] as? Bool)
            if fromJSON["unique"] as? Bool == true {
                #expect(fromNFG["joint_exact"] as? [String] == fromJSON["joint_exact"] as? [String], "\(name) \(concept)")
            }
        }
    }

    /// docs/reference.md §9: Chicken's max-welfare CE is ¼(1,2) + ¼(2,1) + ½(2,2), welfare 21/2; the text
    /// report shows 1-based joint actions with exact probabilities and says it is certified.
    @Test func chickenTextReport() throws {
        let result = try CLI.run(["solve", "Fixtures/chicken.json", "--exact"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        func line(_ label: String) -> [String]? {
            lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }?
                .split(separator: " ").map(String.init)
        }
        #expect(line("(1,2)")?.contains("1/4") == true)
        #expect(line("(2,1)")?.contains("1/4") == true)
        #expect(line("(2,2)")?.contains("1/2") == true)
        #expect(line("(1,1)") == nil)  // zero entries are omitted
        #expect(result.stdout.contains("certified"))
        #expect(!result.stdout.contains("NOT certified"))
        #expect(result.stdout.contains("21/2"))
    }

    /// Chicken, G1 = [[0,7],[2,6]], G2 = G1ᵀ. CE gains (σ_ij, i = row, j = column, 0-based):
    /// p1 0→1: 2σ00 − σ01; p1 1→0: σ11 − 2σ10; p2 0→1: 2σ00 − σ10; p2 1→0: σ11 − 2σ01.
    /// Half the first plus half the third: t ≥ 2σ00 − (σ01 + σ10)/2 = −1/2 + (5/2)σ00 + σ11/2
    /// ≥ −1/2, with equality only if σ00 = σ11 = 0; then σ01, σ10 ≥ 1/2 forces ½(1,2) + ½(2,1),
    /// where every gain is ≤ −1/2. So the minimum shared ε is −1/2, attained uniquely.
    /// Ranges are probabilities: every range reported lies in [0, 1] with its minimum at most its
    /// maximum, also where the double computation rounds below zero (blotto(5,3), whose face
    /// analysis gave a maximum of −4e-17 before ranges were clipped).
    @Test func rangesAreProbabilities() throws {
        let report = try CLI.json(["solve", "Fixtures/real-world/blotto-5-3.nfg", "--certify"])
        let low = try #require(report["range_min"] as? [Any]), high = try #require(report["range_max"] as? [Any])
        var computed = 0
        for (l, h) in zip(low, high) {
            guard let l = l as? Double, let h = h as? Double else { continue }
            computed += 1
            #expect(0 <= l && l <= h && h <= 1, "[\(l), \(h)]")
        }
        #expect(computed > 0)
        let lower = try #require(report["range_lower_bound"] as? [Any]), upper = try #require(report["range_upper_bound"] as? [Any])
        for (k, (l, h)) in zip(lower, upper).enumerated() {
            guard let l = l as? Double, let h = h as? Double, let dl = low[k] as? Double, let dh = high[k] as? Double else { continue }
            #expect(l <= dl + 1e-9 && dh <= h + 1e-9, "joint action \(k): [\(dl), \(dh)] outside [\(l), \(h)]")
        }
    }

    @Test func chickenMinimumEpsilon() throws {
        let report = try CLI.json(["solve", "Fixtures/chicken.json", "--exact", "--objective", "min-epsilon"])
        #expect(report["status"] as? String == "optimal")
        #expect(report["certified"] as? Bool == true)
        #expect(report["objective_exact"] as? String == "-1/2")
        #expect(report["joint_exact"] as? [String] == ["0", "1/2", "1/2", "0"])
        #expect(report["unique"] as? Bool == true)
    }

    /// From the derivation above: ε = −3/5 < −1/2 leaves no CE, so the status is infeasible
    /// (exit 0) with a certified Farkas certificate. At ε = −1/2 exactly the set is
    /// {½(1,2) + ½(2,1)}, welfare 9. Per player (−1/2, −3/5): σ01 ≥ 1/2 + 2σ00 and
    /// σ10 ≥ 3/5 + 2σ00 sum to more than 1, so also infeasible.
    @Test func chickenStrictEpsilon() throws {
        let infeasible = try CLI.json(["solve", "Fixtures/chicken.json", "--exact", "--epsilon=-3/5"])
        #expect(infeasible["status"] as? String == "infeasible")
        #expect(infeasible["certified"] as? Bool == true)
        let boundary = try CLI.json(["solve", "Fixtures/chicken.json", "--exact", "--epsilon=-1/2"])
        #expect(boundary["status"] as? String == "optimal")
        #expect(boundary["certified"] as? Bool == true)
        #expect(boundary["objective_exact"] as? String == "9")
        #expect(boundary["joint_exact"] as? [String] == ["0", "1/2", "1/2", "0"])
        let perPlayer = try CLI.json(["solve", "Fixtures/chicken.json", "--exact", "--epsilon=-0.5,-0.6"])
        #expect(perPlayer["status"] as? String == "infeasible")
        #expect(perPlayer["certified"] as? Bool == true)
    }

    /// Max σ(2,2) over Chicken's CEs: the constraints σ11 ≤ 2σ10 and σ11 ≤ 2σ01 give
    /// σ11 ≤ σ01 + σ10 ≤ 1 − σ11, so σ11 ≤ 1/2, attained only with σ00 = 0 and
    /// σ01 = σ10 = 1/4. The double path gives the same value to rounding.
    @Test func chickenMaximumProbability() throws {
        let report = try CLI.json(["solve", "Fixtures/chicken.json", "--exact", "--objective", "max-probability",
                                   "--joint-action", "2,2"])
        #expect(report["status"] as? String == "optimal")
        #expect(report["certified"] as? Bool == true)
        #expect(report["objective_exact"] as? String == "1/2")
        #expect(report["joint_exact"] as? [String] == ["0", "1/4", "1/4", "1/2"])
        #expect(report["unique"] as? Bool == true)
        let inexact = try CLI.json(["solve", "Fixtures/chicken.json", "--objective", "max-probability",
                                    "--joint-action", "2,2"])
        let value = try #require(inexact["objective"] as? Double)
        #expect(abs(value - 0.5) < 1e-9)
    }

    // MARK: Bad input

    static let badInvocations: [BadInvocation] = [
        BadInvocation(label: "json missing bracket",
                      file: ("missing-bracket.json", "{\"payoffs\": [[[0, 7], [2, 6]], [[0, 2], [7, 6]]}\n"),
                      positioned: true),
        BadInvocation(label: "json ragged",
                      file: ("ragged.json", "{\"payoffs\": [[[0, 7], [2, 6]],\n [[0, 2], [7, 6, 1]]]}\n"),
                      positioned: true),
        BadInvocation(label: "json NaN string",
                      file: ("nan-string.json", "{\"payoffs\": [[[0, \"NaN\"], [2, 6]], [[0, 2], [7, 6]]]}\n"),
                      positioned: true),
        BadInvocation(label: "json empty action set",
                      file: ("empty-actions.json", "{\"payoffs\": [[[], []], [[], []]]}\n"), positioned: true),
        BadInvocation(label: "json wrong depth",
                      file: ("wrong-depth.json", "{\"payoffs\": [[0, 7], [2, 6]]}\n"), positioned: true),
        BadInvocation(label: "nfg too few payoffs",
                      file: ("too-few.nfg", "NFG 1 R \"x\" { \"A\" \"B\" } { 2 2 }\n\n0 0 1 1 2 2\n"), positioned: true),
        BadInvocation(label: "nfg NaN",
                      file: ("nan.nfg", "NFG 1 R \"x\" { \"A\" \"B\" } { 2 2 }\n\n0 0 1 NaN 2 2 3 3\n"), positioned: true),
        BadInvocation(label: "nfg too large",
                      file: ("too-large.nfg", "NFG 1 R \"x\" { \"A\" \"B\" \"C\" } { 100000 100000 100000 }\n"),
                      fragments: ["too large"], limit: .seconds(10)),
        BadInvocation(label: "nonexistent file", existingFile: "Fixtures/no-such-game.json"),
        BadInvocation(label: "epsilon count", options: ["--epsilon", "1,2,3"], fragments: ["--epsilon"], namesFile: false),
        BadInvocation(label: "epsilon not a number", options: ["--epsilon", "abc"], fragments: ["--epsilon", "abc"],
                      namesFile: false),
        BadInvocation(label: "joint action out of range", options: ["--objective", "max-probability", "--joint-action", "9,9"],
                      fragments: ["--joint-action"], namesFile: false),
        BadInvocation(label: "max-linear without coefficients", options: ["--objective", "max-linear"],
                      fragments: ["--coefficients"], namesFile: false),
    ]

    /// Bad files and options: a non-zero exit (not a crash), nothing on standard output, and
    /// exactly one line on standard error naming the file (and `line:column` for errors inside
    /// it) or the offending option.
    @Test(arguments: badInvocations)
    func badInputIsOneLineError(_ bad: BadInvocation) throws {
        let path: String
        if let file = bad.file {
            path = try CLI.temporaryFile(named: file.name, contents: file.contents).path
        } else {
            path = bad.existingFile
        }
        defer {
            if bad.file != nil { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        }
        let result = try CLI.run(["solve", path, "--exact"] + bad.options)
        #expect(result.status != 0, "exit status")
        #expect(!result.crashed, "crashed: status \(result.status), signaled \(result.signaled)")
        #expect(result.stdout.isEmpty, "stdout: \(result.stdout)")
        let message = result.stderr.hasSuffix("\n") ? String(result.stderr.dropLast()) : result.stderr
        #expect(!message.isEmpty)
        #expect(!message.contains("\n"), "more than one line: \(result.stderr)")
        if bad.namesFile { #expect(message.contains(path), "no file name: \(message)") }
        if bad.positioned {
            let pattern = try Regex(NSRegularExpression.escapedPattern(for: path) + ":[0-9]+:[0-9]+: ")
            #expect(message.contains(pattern), "no line:column after the file name: \(message)")
        }
        for fragment in bad.fragments { #expect(message.contains(fragment), "\(message)") }
        #expect(result.elapsed < bad.limit)
    }
}
