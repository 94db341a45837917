import Foundation
import Synchronization
import Testing
import _EquilibriaTestSupport
@testable import GameDatasets
import NumPyFiles

/// A batch directory belongs to one request: its fingerprint is written before the first chunk
/// and stamped into every chunk; another request, a foreign chunk or a second run of the same
/// shard is refused, naming what is wrong.
@Suite struct BatchDirectoryTests {
    static func request(seed: UInt64 = 7, rho: String? = nil) -> BatchRequest {
        BatchRequest(family: "l2", actionCounts: [2, 2], count: 6, seed: seed, concept: "ce",
                     objectives: ["max-welfare", "mwmre"], preset: "ME", rho: rho, chunkSize: 2)
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("batch-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func fingerprintsSeparateRequests() {
        #expect(Self.request().canonicalText == Self.request().canonicalText)
        #expect(Self.request().fingerprint != Self.request(seed: 8).fingerprint)
        #expect(Self.request().fingerprint != Self.request(rho: "10.0").fingerprint)
        #expect(Self.request().fingerprint.count == 16)
    }

    @Test func anotherRequestIsRefusedNamingTheDifference() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try BatchJob(request: Self.request(rho: "10.0"), directory: dir).run(shard: 0, of: 1, jobs: 1) { _ in }
        let refused = Self.message {
            _ = try BatchJob(request: Self.request(rho: "1000.0"), directory: dir).run(shard: 0, of: 1, jobs: 1) { _ in }
        }
        #expect(refused?.contains("rho 10.0 ≠ 1000.0") == true, "\(refused ?? "accepted")")
        #expect(refused?.contains(Self.request(rho: "10.0").fingerprint) == true)
    }

    /// Two runs started together in a fresh directory: exactly one request wins; the other is
    /// refused, and the directory holds only the winner's chunks.
    @Test func concurrentRequestsInAFreshDirectory() throws {
        for _ in 0..<5 {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let outcomes = Mutex<[String?]>([nil, nil])
            let requests = [Self.request(rho: "10.0"), Self.request(rho: "1000.0")]
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let m = Self.message {
                    _ = try BatchJob(request: requests[i], directory: dir).run(shard: 0, of: 1, jobs: 1) { _ in }
                }
                outcomes.withLock { $0[i] = m ?? "ok" }
            }
            let results = outcomes.withLock { $0 }
            #expect(results.filter { $0 == "ok" }.count == 1, "\(results)")
            let winner = results[0] == "ok" ? requests[0] : requests[1]
            for c in 0..<winner.chunkCount {
                let arrays = try NumPyArchive.read(dir.appendingPathComponent(BatchRequest.chunkFileName(c)))
                #expect(arrays["request"]?.strings == [winner.canonicalText])
            }
        }
    }

    /// A readable chunk of another request (another seed) in the directory: resume refuses it and
    /// merge refuses it, each naming that chunk.
    @Test func aForeignChunkIsNamed() throws {
        let dir = try temporaryDirectory(), other = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: other) }
        _ = try BatchJob(request: Self.request(), directory: dir).run(shard: 0, of: 1, jobs: 1) { _ in }
        _ = try BatchJob(request: Self.request(seed: 99), directory: other).run(shard: 0, of: 1, jobs: 1) { _ in }
        let name = BatchRequest.chunkFileName(1)
        try FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        try FileManager.default.copyItem(at: other.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        let resume = Self.message {
            _ = try BatchJob(request: Self.request(), directory: dir).run(shard: 0, of: 1, jobs: 1) { _ in }
        }
        #expect(resume?.contains(name) == true && resume?.contains("another request") == true, "\(resume ?? "accepted")")
        let merge = Self.message { _ = try BatchMerge.merge(directories: [dir], to: other.appendingPathComponent("m.npz")) }
        #expect(merge?.contains(name) == true && merge?.contains("another request") == true, "\(merge ?? "accepted")")
        #expect(merge?.contains(BatchRequest.chunkFileName(0)) == false)
    }

    /// A shard that another process is writing is refused; a lock file left behind by a run that
    /// ended is no obstacle.
    @Test func aShardIsWrittenByOneRunAtATime() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lock = try BatchLock(directory: dir, shard: 0, of: 1)
        let refused = Self.message {
            _ = try BatchJob(request: Self.request(), directory: dir).run(shard: 0, of: 1, jobs: 1) { _ in }
        }
        #expect(refused?.contains("another run is writing shard 1 of 1") == true, "\(refused ?? "accepted")")
        #expect(refused?.contains("process \(ProcessInfo.processInfo.processIdentifier)") == true)
        // Another shard is not blocked.
        _ = try BatchJob(request: Self.request(), directory: dir).run(shard: 1, of: 2, jobs: 1) { _ in }
        lock.release()
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".lock-0-of-1").path))
        _ = try BatchJob(request: Self.request(), directory: dir).run(shard: 0, of: 1, jobs: 1) { _ in }
    }

    /// The chunk size changes the layout and the request recorded, nothing else: the merged
    /// archives hold the same arrays, the `request` entry apart.
    @Test func theChunkSizeChangesOnlyTheLayout() throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory(), out = try temporaryDirectory()
        defer { for d in [a, b, out] { try? FileManager.default.removeItem(at: d) } }
        var other = Self.request()
        other.chunkSize = 4
        _ = try BatchJob(request: Self.request(), directory: a).run(shard: 0, of: 1, jobs: 1) { _ in }
        _ = try BatchJob(request: other, directory: b).run(shard: 0, of: 1, jobs: 2) { _ in }
        _ = try BatchMerge.merge(directories: [a], to: out.appendingPathComponent("a.npz"))
        _ = try BatchMerge.merge(directories: [b], to: out.appendingPathComponent("b.npz"))
        var x = try NumPyArchive.read(out.appendingPathComponent("a.npz"))
        var y = try NumPyArchive.read(out.appendingPathComponent("b.npz"))
        #expect(x["request"] != y["request"])
        x["request"] = nil
        y["request"] = nil
        #expect(x == y)
    }

    /// A chunk of the older layout (no `request` stamp) under this batch's batch.json was written
    /// for it by an earlier version: merge refuses it, and resume redoes it.
    @Test func anUnstampedChunkIsRedone() throws {
        let dir = try temporaryDirectory(), out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: out) }
        _ = try BatchJob(request: Self.request(), directory: dir).run(shard: 0, of: 1, jobs: 1) { _ in }
        let url = dir.appendingPathComponent(BatchRequest.chunkFileName(0))
        let stamped = try Data(contentsOf: url)
        var arrays = try NumPyArchive.read(url)
        arrays["request"] = nil
        try NumPyArchive.write(arrays.keys.sorted().map { ($0, arrays[$0]!) }, to: url)
        let merge = Self.message { _ = try BatchMerge.merge(directories: [dir], to: out.appendingPathComponent("m.npz")) }
        #expect(merge?.contains("no request stamp") == true, "\(merge ?? "merged")")
        let result = try BatchJob(request: Self.request(), directory: dir).run(shard: 0, of: 1, jobs: 1) { _ in }
        #expect(result.skippedChunks == Self.request().chunkCount - 1)
        #expect(try Data(contentsOf: url) == stamped)
    }
}
