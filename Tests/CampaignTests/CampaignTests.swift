import Foundation
import NormalFormGames
import Testing
import _EquilibriaTestSupport
@testable import equilibria_campaign

/// The campaign executable, next to the test bundle (where `swift build --build-tests` puts it).
private let campaignExecutable: URL? = {
    var directories: [URL] = []
    if let main = Bundle.main.executableURL { directories.append(main.deletingLastPathComponent()) }
    if let first = CommandLine.arguments.first { directories.append(URL(fileURLWithPath: first).deletingLastPathComponent()) }
    for bundle in Bundle.allBundles { directories.append(bundle.bundleURL.deletingLastPathComponent()) }
    directories.append(Subprocess.packageRoot.appendingPathComponent(".build/debug"))
    for directory in directories {
        let candidate = directory.appendingPathComponent("equilibria-campaign")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}()

@Suite struct OracleTests {
    /// Prisoner's dilemma: (C, D) = (0, 1); G_1 = [[3, 0], [5, 1]], G_2 its transpose.
    static let dilemma = GameData(shape: [2, 2], payoffs: [3, 0, 5, 1, 3, 5, 0, 1])

    @Test func gainRowsInCanonicalOrder() {
        let ce = GainTable(shape: [2, 2], payoffs: Self.dilemma.payoffs, ce: true)
        // Rows: p1 C→D, p1 D→C, p2 C→D, p2 D→C.
        #expect(ce.rowPlayer == [0, 0, 1, 1])
        // p1 C→D at (C,C), (C,D): 5 − 3, 1 − 0.
        #expect(Array(ce.columns[ce.rowStart[0]..<ce.rowStart[1]]) == [0, 1])
        #expect(Array(ce.values[ce.rowStart[0]..<ce.rowStart[1]]) == [2, 1])
        // p2 D→C at (C,D), (D,D): 3 − 5, 0 − 1.
        #expect(Array(ce.columns[ce.rowStart[3]..<ce.rowStart[4]]) == [1, 3])
        #expect(Array(ce.values[ce.rowStart[3]..<ce.rowStart[4]]) == [-2, -1])
        let cce = GainTable(shape: [2, 2], payoffs: Self.dilemma.payoffs, ce: false)
        #expect(cce.rowCount == 4)
        // (D, D) is the unique CE: every gain ≤ 0 there, some > 0 elsewhere.
        #expect(ce.expected([0, 0, 0, 1]).allSatisfy { $0 <= 0 })
        #expect(ce.expected([1, 0, 0, 0]).contains { $0 > 0 })
    }

    @Test func exactAndDoubleGainsAgree() {
        let exact = GainTable(shape: [2, 2], payoffs: Self.dilemma.payoffs.map { Rational($0) }, ce: true)
        let sigma = [Rational(1, 4), Rational(1, 4), Rational(1, 4), Rational(1, 4)]
        let double = GainTable(shape: [2, 2], payoffs: Self.dilemma.payoffs, ce: true)
        #expect(exact.expected(sigma).map(\.doubleValue) == double.expected([0.25, 0.25, 0.25, 0.25]))
    }

    @Test func normalizationScaleSurvivesExtremeMagnitudes() throws {
        let values: ArraySlice<Double> = [1, 2, 3, 4]
        let c = try #require(Oracle.normalizationScale(values))
        // ‖x − mean‖₂ = √5, Z = √4 = 2.
        #expect(abs(c - 2 / 5.0.squareRoot()) < 1e-15)
        for k in [-300.0, -200, 154, 200, 300] {
            let scaled = values.map { $0 * pow(10, k) }[...]
            let ck = try #require(Oracle.normalizationScale(scaled))
            #expect(abs(ck * pow(10, k) / c - 1) < 1e-12)
        }
        #expect(Oracle.normalizationScale([5, 5, 5]) == nil)
    }

    @Test func plansAreReproducible() {
        let sampler = CaseSampler(seed: 7, families: CaseFamily.allCases)
        for i in [0, 1, 17, 999] {
            let a = sampler.plan(i), b = sampler.plan(i)
            #expect(a.summary == b.summary)
            #expect(a.gameSeed == b.gameSeed)
            #expect(GameFactory.base(a).payoffs == GameFactory.base(b).payoffs)
        }
        // Every family shows up, and shapes respect the limits.
        let plans = (0..<400).map { sampler.plan($0) }
        #expect(Set(plans.map(\.family)) == Set(CaseFamily.allCases))
        #expect(plans.allSatisfy { $0.jointActionCount <= 256 && (2...5).contains($0.shape.count) })
    }

    @Test func gameJSONRoundTrips() throws {
        let data = GameData(shape: [2, 3], payoffs: [0.1, -1e-300, 3e300, 5, 6, 7, 1, 2, 3, 4, 5, 6.5])
        let game = try data.game(textOrigin: true)
        #expect(game.payoffs == data.payoffs)
        #expect(game.actionCounts == [2, 3])
    }

    @Test func permutationPermutesPayoffs() {
        let base = GameData(shape: [2, 3], payoffs: (0..<12).map(Double.init))
        let perm = PermutationPlan(players: [1, 0], actions: [[1, 0], [2, 0, 1]])
        let permuted = GameFactory.permute(base, perm)
        #expect(permuted.shape == [3, 2])
        let (_, old) = GameFactory.jointMap(perm, shape: base.shape)
        // New player 0 is old player 1; its payoff at new joint a is old player 1's at old(a).
        for a in 0..<6 {
            #expect(permuted.payoffs[a] == base.payoffs[6 + old[a]])
            #expect(permuted.payoffs[6 + a] == base.payoffs[old[a]])
        }
    }
}

@Suite struct SeededSliceTests {
    /// A small seeded slice of the campaign, run as the executable runs it (workers in child
    /// processes), must find nothing.
    @Test func seededSliceHasNoFindings() throws {
        let binary = try #require(campaignExecutable, "the equilibria-campaign executable was not found next to the tests")
        let run = try Subprocess.run(binary.path, ["--solves", "300", "--seed", "20240", "--jobs", "2", "--format", "json",
                                                   // A debug build on a shared machine: exact facial
                                                   // reductions of text games take tens of seconds here.
                                                   "--quiet", "--time-budget", "120"],
                                     timeout: .seconds(1500))
        #expect(!run.timedOut)
        let data = Data(run.stdout.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "output: \(run.stdout)")
        let solves = object["solves"] as? Int ?? 0
        #expect(solves >= 300)
        let total = object["findings_total"] as? Int ?? -1
        let kinds = (object["findings"] as? [String: Int] ?? [:]).filter { $0.value > 0 }
        let examples = object["examples"] as? [String: Any] ?? [:]
        #expect(total == 0, "findings by kind: \(kinds); first of each: \(examples)")
        #expect(run.status == (total == 0 ? 0 : 1))
    }

    /// `--case i` reproduces case i's report by itself.
    @Test func caseRunsAlone() throws {
        let binary = try #require(campaignExecutable)
        let sampler = CaseSampler(seed: 20240, families: [.lp])
        // An LP case with zero ε: quick, and deterministic in what it reports.
        let index = try #require((0..<200).first { sampler.plan($0).lp?.epsilon.isZero == true })
        let a = try Subprocess.run(binary.path, ["--seed", "20240", "--kinds", "lp", "--case", String(index), "--quiet"],
                                   timeout: .seconds(120))
        let b = try Subprocess.run(binary.path, ["--seed", "20240", "--kinds", "lp", "--case", String(index), "--quiet"],
                                   timeout: .seconds(120))
        let firstLine = { (s: String) in s.split(separator: "\n").first.map(String.init) ?? "" }
        #expect(firstLine(a.stdout).hasPrefix("case \(index) [lp,"))
        #expect(firstLine(a.stdout) == firstLine(b.stdout))
    }
}
