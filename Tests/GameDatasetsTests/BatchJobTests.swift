import Foundation
import Testing
import _EquilibriaTestSupport
@testable import GameDatasets
import NumPyFiles

/// The batch job through its library API: determinism across thread counts, shards and merges,
/// resumption after damage, and the archive schema as NumPy sees it.
@Suite struct BatchJobTests {
    static func request(count: Int = 24, chunk: Int = 5) -> BatchRequest {
        BatchRequest(family: "l2", actionCounts: [3, 3], count: count, seed: 7, concept: "ce",
                     objectives: ["max-welfare", "mwmre"], preset: "ME", chunkSize: chunk)
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func contents(_ directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".npz") {
            result[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return result
    }

    @Test func jobsDoNotChangeTheBytes() throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        _ = try BatchJob(request: Self.request(), directory: a).run(shard: 0, of: 1, jobs: 1) { _ in }
        _ = try BatchJob(request: Self.request(), directory: b).run(shard: 0, of: 1, jobs: 2) { _ in }
        let x = try contents(a), y = try contents(b)
        #expect(x.count == 5)
        #expect(x == y)
    }

    @Test func threeShardsMergedEqualOneRun() throws {
        let whole = try temporaryDirectory()
        let shards = try (0..<3).map { _ in try temporaryDirectory() }
        let out = try temporaryDirectory()
        defer { for d in [whole, out] + shards { try? FileManager.default.removeItem(at: d) } }
        _ = try BatchJob(request: Self.request(), directory: whole).run(shard: 0, of: 1, jobs: 2) { _ in }
        for (i, d) in shards.enumerated() {
            _ = try BatchJob(request: Self.request(), directory: d).run(shard: i, of: 3, jobs: 1) { _ in }
        }
        // Shards partition the chunks: no chunk twice, none missing.
        let names = try shards.flatMap { try contents($0).keys }
        #expect(names.count == 5 && Set(names).count == 5)
        let merged = out.appendingPathComponent("m.npz"), single = out.appendingPathComponent("s.npz")
        #expect(try BatchMerge.merge(directories: shards, to: merged) == 24)
        _ = try BatchMerge.merge(directories: [whole], to: single)
        #expect(try Data(contentsOf: merged) == Data(contentsOf: single))
        // Merging refuses a missing shard and a duplicated one.
        #expect(throws: BatchError.self) { try BatchMerge.merge(directories: Array(shards.prefix(2)), to: merged) }
        #expect(throws: BatchError.self) { try BatchMerge.merge(directories: shards + [whole], to: merged) }
    }

    @Test func damagedChunksAreDetectedAndRedone() throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let job = BatchJob(request: Self.request(), directory: a)
        _ = try job.run(shard: 0, of: 1, jobs: 2) { _ in }
        let reference = try contents(a)
        // Truncate one chunk, corrupt a byte in the middle of another, delete a third.
        let truncated = a.appendingPathComponent(BatchRequest.chunkFileName(1))
        let data = try Data(contentsOf: truncated)
        try data.prefix(data.count / 2).write(to: truncated)
        let corrupt = a.appendingPathComponent(BatchRequest.chunkFileName(3))
        var bytes = try Data(contentsOf: corrupt)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: corrupt)
        try FileManager.default.removeItem(at: a.appendingPathComponent(BatchRequest.chunkFileName(4)))
        #expect(try !job.isComplete(chunk: 1) && !job.isComplete(chunk: 3) && job.isComplete(chunk: 0))
        let result = try job.run(shard: 0, of: 1, jobs: 1) { _ in }
        #expect(result.skippedChunks == 2)
        #expect(try contents(a) == reference)
        _ = b
    }

    @Test func aDifferentRequestIsRefused() throws {
        let a = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a) }
        _ = try BatchJob(request: Self.request(count: 6), directory: a).run(shard: 0, of: 1, jobs: 1) { _ in }
        #expect(throws: BatchError.self) {
            try BatchJob(request: Self.request(count: 7), directory: a).run(shard: 0, of: 1, jobs: 1) { _ in }
        }
    }

    @Test func unwritableDirectoryIsAClearError() {
        let job = BatchJob(request: Self.request(), directory: URL(fileURLWithPath: "/proc/equilibria-test"))
        #expect(throws: BatchError.self) { try job.run(shard: 0, of: 1, jobs: 1) { _ in } }
    }

    /// The merged archive as NumPy sees it: keys, shapes, dtypes, and facts that must hold: σ sums
    /// to 1, the max-welfare σ is an equilibrium to 1e-9, payoffs are L2-normalised.
    /// MWME and eps-MWME need a welfare, which a batch samples per game (one standard normal per
    /// joint action, then normalised like a payoff table): every game is solved, the recorded
    /// welfare has mean 0 and L2 norm √|A|, differs between games, and the batch reproduces
    /// itself byte for byte. MT, which needs a given target, is refused before any work.
    @Test(arguments: ["MWME", "eps-MWME"]) func welfarePresetsSampleAWelfare(preset: String) throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let request = BatchRequest(family: "l2", actionCounts: [3, 3], count: 6, seed: 7, concept: "ce",
                                   objectives: ["mwmre"], preset: preset, chunkSize: 6)
        _ = try BatchJob(request: request, directory: a).run(shard: 0, of: 1, jobs: 2) { _ in }
        _ = try BatchJob(request: request, directory: b).run(shard: 0, of: 1, jobs: 1) { _ in }
        #expect(try contents(a) == contents(b))
        let name = try #require(try contents(a).keys.first)
        let arrays = try NumPyArchive.read(a.appendingPathComponent(name))
        let status = try #require(arrays["me_status"]?.strings)
        #expect(status == Array(repeating: "optimal", count: 6))
        let welfare = try #require(arrays["me_welfare"]?.doubles)
        let mu = try #require(arrays["me_mu"]?.doubles)
        #expect(mu.allSatisfy { $0 > 0 })
        var tables: [[Double]] = []
        for k in 0..<6 {
            let w = Array(welfare[(9 * k)..<(9 * k + 9)])
            #expect(abs(w.reduce(0, +)) < 1e-12)
            #expect(abs(w.map { $0 * $0 }.reduce(0, +).squareRoot() - 3) < 1e-12)
            tables.append(w)
        }
        #expect(Set(tables.map { $0.map(\.bitPattern) }).count == 6)
        let mt = BatchRequest(family: "l2", actionCounts: [3, 3], count: 6, seed: 7, concept: "ce",
                              objectives: ["mwmre"], preset: "MT")
        #expect(throws: BatchError.self) { try mt.validate() }
    }

    @Test func schemaAsNumPySeesIt() throws {
        let a = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a) }
        _ = try BatchJob(request: Self.request(), directory: a).run(shard: 0, of: 1, jobs: 2) { _ in }
        let merged = a.appendingPathComponent("all.npz")
        _ = try BatchMerge.merge(directories: [a], to: merged)
        let run = try Subprocess.run("python3", ["-c", """
            import numpy as np
            d = np.load(\(String(reflecting: merged.path)), allow_pickle=False)
            K = 24
            assert d['payoffs'].shape == (K, 2, 3, 3) and d['payoffs'].dtype == np.float64
            assert d['game_index'].tolist() == list(range(K))
            assert str(d['family']) == 'l2' and int(d['seed']) == 7 and d['action_counts'].tolist() == [3, 3]
            assert np.allclose(np.sqrt((d['payoffs'] ** 2).sum(axis=(2, 3))), 3.0)
            for p in ('mw', 'me'):
                assert (d[p + '_status'] == 'optimal').all(), d[p + '_status']
                s = d[p + '_joint'].reshape(K, -1)
                assert np.allclose(s.sum(axis=1), 1) and (s >= 0).all()
            assert d['mw_duals'].shape == (K, 12) and d['me_duals'].shape == (K, 12)
            G = d['payoffs']; s = d['mw_joint']
            for k in range(K):
                for r in range(3):
                    for q in range(3):
                        if r != q:
                            assert (s[k, r, :] * (G[k, 0, q, :] - G[k, 0, r, :])).sum() <= 1e-9
                            assert (s[k, :, r] * (G[k, 1, :, q] - G[k, 1, :, r])).sum() <= 1e-9
            assert (d['me_kkt_residual'] <= 1e-10).all() and d['me_gap_certified'].all()
            assert not any(np.isnan(d[k]).any() for k in d.files if d[k].dtype == np.float64)
            print('ok')
            """], timeout: .seconds(300))
        let out = run.stdout
        #expect(run.status == 0, "\(run.stderr)")
        #expect(out.contains("ok"))
    }
}

/// `certify`: every max-welfare record certified, with bounds that contain its welfare; every
/// MWMRE record with a rigorous KL bound; without the option the keys are absent and the request
/// text is unchanged.
@Suite struct BatchCertificationTests {
    /// Runs `request` in a fresh directory on `jobs` threads and returns its merged arrays.
    static func merged(_ request: BatchRequest, jobs: Int) throws -> [String: NumPyArray] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try BatchJob(request: request, directory: directory).run(shard: 0, of: 1, jobs: jobs) { _ in }
        let merged = directory.appendingPathComponent("all.npz")
        _ = try BatchMerge.merge(directories: [directory], to: merged)
        return try NumPyArchive.read(merged)
    }

    @Test func certifiedRecordsCarryTheirCertificates() throws {
        let request = BatchRequest(family: "l2", actionCounts: [4, 4], count: 12, seed: 3, concept: "ce",
                                   objectives: ["max-welfare"], preset: "ME", chunkSize: 12, certify: true)
        let arrays = try Self.merged(request, jobs: 2)
        let certified = try #require(arrays["mw_certified"]?.bools)
        #expect(certified == Array(repeating: true, count: 12))
        let bounds = try #require(arrays["mw_objective_bounds"]?.doubles)
        let objective = try #require(arrays["mw_objective"]?.doubles)
        let error = try #require(arrays["mw_joint_error"]?.doubles)
        for g in 0..<12 {
            #expect(bounds[2 * g] <= bounds[2 * g + 1])
            #expect(abs(objective[g] - bounds[2 * g]) < 1e-12 && abs(objective[g] - bounds[2 * g + 1]) < 1e-12)
            #expect(error[g] >= 0 && error[g] < 1e-9)
        }
        #expect(arrays["mw_certificate"]?.strings?.allSatisfy { ["floating-point enclosure", "exact basis"].contains($0) } == true)
    }

    @Test func theOptionIsRecordedOrRefused() throws {
        let plain = BatchRequest(family: "l2", actionCounts: [3, 3], count: 2, seed: 3, concept: "ce",
                                 objectives: ["max-welfare"], preset: "ME")
        #expect(!plain.canonicalText.contains("certify"))
        var certified = plain
        certified.certify = true
        #expect(certified.canonicalText != plain.canonicalText)
        let arrays = try Self.merged(plain, jobs: 1)
        #expect(arrays["mw_objective"] != nil && arrays["mw_certified"] == nil && arrays["mw_objective_bounds"] == nil)
    }

    /// MWMRE records with `certify`: a rigorous KL bound per record, at least the floating-point
    /// certified gap (less its rounding), with σ within its joint error of σ(α).
    @Test func mwmreRecordsCarryARigorousBound() throws {
        let request = BatchRequest(family: "l2", actionCounts: [3, 3], count: 6, seed: 5, concept: "ce",
                                   objectives: ["mwmre"], preset: "eps-ME", chunkSize: 6, certify: true)
        try request.validate()
        let arrays = try Self.merged(request, jobs: 1)
        let bounds = try #require(arrays["me_kl_bound"]?.doubles)
        let gaps = try #require(arrays["me_duality_gap"]?.doubles)
        let errors = try #require(arrays["me_kl_joint_error"]?.doubles)
        #expect(arrays["me_kl_note"]?.strings == Array(repeating: "", count: 6))
        for g in 0..<6 {
            #expect(bounds[g] >= gaps[g] - 1e-13 && bounds[g] < 1e-8, "game \(g): \(bounds[g]) against \(gaps[g])")
            #expect(errors[g] >= 0 && errors[g] < 1e-12)
        }
        #expect(arrays["mw_certified"] == nil)
    }

    /// At ρ = ∞ the records carry the hard bound (a proven facial reduction without equalities),
    /// or +∞ with a note naming the reason; never NaN.
    @Test func hardMWMRERecordsCarryABoundOrSayWhy() throws {
        let request = BatchRequest(family: "l2", actionCounts: [4, 4], count: 12, seed: 3, concept: "ce",
                                   objectives: ["mwmre"], preset: "ME", rho: "inf", chunkSize: 12, certify: true)
        try request.validate()
        let arrays = try Self.merged(request, jobs: 1)
        let bounds = try #require(arrays["me_kl_bound"]?.doubles)
        let notes = try #require(arrays["me_kl_note"]?.strings)
        var bounded = 0
        for g in 0..<12 {
            if bounds[g].isFinite {
                #expect(bounds[g] >= 0 && bounds[g] < 1e-8 && notes[g].isEmpty, "game \(g): \(bounds[g])")
                bounded += 1
            } else {
                #expect(bounds[g] == .infinity && notes[g].contains("equalities"), "game \(g): \(notes[g])")
            }
        }
        #expect(bounded >= 6, "only \(bounded) of 12 bounded")
    }

    /// μ = ∞ with certify: the max-welfare face is found exactly, so the records of double games
    /// are bounded too.
    @Test func certifiedMaximumWelfareFacesAreBounded() throws {
        let request = BatchRequest(family: "l2", actionCounts: [3, 3], count: 8, seed: 9, concept: "ce",
                                   objectives: ["mwmre"], preset: "MU", mu: "inf", chunkSize: 8, certify: true)
        try request.validate()
        let arrays = try Self.merged(request, jobs: 1)
        let bounds = try #require(arrays["me_kl_bound"]?.doubles)
        let notes = try #require(arrays["me_kl_note"]?.strings)
        for g in 0..<8 {
            #expect(bounds[g].isFinite && bounds[g] < 1e-8 && notes[g].isEmpty, "game \(g): \(bounds[g]) \(notes[g])")
        }
    }
}
