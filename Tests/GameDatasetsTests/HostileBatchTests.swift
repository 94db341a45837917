import Foundation
import Testing
import _EquilibriaTestSupport
@testable import GameDatasets
import NumPyFiles

/// Batches with chunks or descriptions that are not what a batch writes.
@Suite(.timeLimit(.minutes(2))) struct HostileBatchTests {
    func batch(count: Int = 4, chunk: Int = 2) throws -> (BatchJob, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-batch-\(UUID().uuidString)")
        let request = BatchRequest(family: "l2", actionCounts: [2, 2], count: count, seed: 3, concept: "ce",
                                   objectives: ["max-welfare"], preset: "ME", chunkSize: chunk)
        let job = BatchJob(request: request, directory: directory)
        _ = try job.run(shard: 0, of: 1, jobs: 1) { _ in }
        return (job, directory)
    }

    static let hostileChunk = TestArchives.zip([
        .init(name: "game_index.npy", data: TestArchives.npy(descr: "<i8", shape: "(2,)", payload: [UInt8](repeating: 0, count: 16))),
        .init(name: "payoffs.npy", data: TestArchives.npy(descr: "<f8", shape: "(4611686018427387904, 4)")),
    ])

    /// Merging refuses the chunk naming it and its entry; a rerun of the batch sees it is not
    /// complete and redoes it, after which the merge succeeds.
    @Test func hostileChunkIsRefusedByMergeAndRedoneByResume() throws {
        let (job, directory) = try batch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let chunk = directory.appendingPathComponent(BatchRequest.chunkFileName(1))
        try Data(Self.hostileChunk).write(to: chunk)
        let output = directory.appendingPathComponent("merged.npz")
        let error = try #require(throws: BatchError.self) { try BatchMerge.merge(directories: [directory], to: output) }
        #expect(error.message.contains(chunk.path) && error.message.contains("payoffs.npy"), "\(error)")
        #expect(try !job.isComplete(chunk: 1))
        let rerun = try job.run(shard: 0, of: 1, jobs: 1) { _ in }
        #expect(rerun.skippedChunks == 1)
        #expect(try BatchMerge.merge(directories: [directory], to: output) == 4)
    }

    /// A chunk whose per-game arrays do not have one row per game is refused.
    @Test func chunkWithTheWrongNumberOfRowsIsRefused() throws {
        let (_, directory) = try batch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(BatchRequest.chunkFileName(0))
        var arrays = try NumPyArchive.read(url)
        arrays["redraws"] = NumPyArray(int64: [0, 0, 0], shape: [3])
        try NumPyArchive.write(arrays.sorted { $0.key < $1.key }.map { (name: $0.key, array: $0.value) }, to: url)
        let error = try #require(throws: BatchError.self) {
            try BatchMerge.merge(directories: [directory], to: directory.appendingPathComponent("m.npz"))
        }
        #expect(error.message.contains("'redraws' has shape [3], not 2 rows"), "\(error)")
    }

    /// A `batch.json` with a chunk size of 0 (a division by zero) or an absurd count is refused,
    /// and a count of 10^14 with five chunks present reports the missing ones without listing
    /// 10^11 chunk indices.
    @Test func hostileBatchDescriptionsAreRefused() throws {
        let (_, directory) = try batch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("batch.json")
        let original = try Data(contentsOf: manifest)
        func merge(_ edit: (inout [String: Any]) -> Void) throws -> BatchError {
            var object = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
            edit(&object)
            try JSONSerialization.data(withJSONObject: object).write(to: manifest)
            return try #require(throws: BatchError.self) {
                try BatchMerge.merge(directories: [directory], to: directory.appendingPathComponent("m.npz"))
            }
        }
        #expect(try merge { $0["chunkSize"] = 0 }.message.contains("the chunk size must be at least 1"))
        #expect(try merge { $0["count"] = -5 }.message.contains("the count must be at least 1"))
        let huge = try merge { $0["count"] = 100_000_000_000_000 }
        #expect(huge.message.contains("49999999999998 of 50000000000000 chunks are missing (games 4..<6"), "\(huge)")
    }
}

/// Chunk arithmetic: no overflow for any count a batch accepts, no list over all chunks.
@Suite struct ChunkArithmeticTests {
    static func request(count: Int, chunk: Int) -> BatchRequest {
        BatchRequest(family: "l2", actionCounts: [2, 2], count: count, seed: 0, concept: "ce",
                     objectives: ["max-welfare"], preset: "ME", chunkSize: chunk)
    }

    @Test func countsAgreeWithAnExplicitListing() {
        for count in 1...23 {
            for chunk in 1...7 {
                let request = Self.request(count: count, chunk: chunk)
                let all = (0..<request.chunkCount).map { request.indices(ofChunk: $0) }
                #expect(all.first?.lowerBound == 0 && all.last?.upperBound == count)
                #expect(zip(all, all.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && !$1.isEmpty })
                for shards in 1...5 {
                    for shard in 0..<shards {
                        let owned = (0..<request.chunkCount).filter { $0 % shards == shard }
                        #expect(Array(request.chunks(shard: shard, of: shards)) == owned)
                        #expect(request.chunkCount(shard: shard, of: shards) == owned.count)
                        #expect(request.gameCount(shard: shard, of: shards) == owned.reduce(0) { $0 + all[$1].count })
                    }
                }
            }
        }
    }

    @Test func hugeCountsNeitherOverflowNorMaterialise() throws {
        let largest = BatchRequest.maximumCount
        try Self.request(count: largest, chunk: 1000).validate()
        for chunk in [1, 1000, largest - 1, largest, Int.max] {
            let request = Self.request(count: largest, chunk: chunk)
            let last = request.indices(ofChunk: request.chunkCount - 1)
            #expect(last.upperBound == largest)
            #expect(request.gameCount(shard: 0, of: 1) == largest)
            #expect(Array(request.chunks(shard: 2, of: 3).prefix(2)) == [2, 5].filter { $0 < request.chunkCount })
        }
        // Int.max games in chunks of Int.max − 1: the old `(count + chunkSize − 1) / chunkSize` overflowed.
        let extreme = Self.request(count: Int.max, chunk: Int.max - 1)
        #expect(extreme.chunkCount == 2 && extreme.indices(ofChunk: 1) == (Int.max - 1)..<Int.max)
        #expect(extreme.gameCount(shard: 1, of: 2) == 1)
    }

    @Test func validationRefusesWhatABatchCannotHold() {
        let tooMany = Self.request(count: BatchRequest.maximumCount + 1, chunk: 1000)
        #expect(throws: BatchError.self) { try tooMany.validate() }
        do { try tooMany.validate() } catch { #expect(error.message.contains("a count of")) }
        // 2^20 games of 2·64·64 payoffs per chunk: 2^33 entries, more than a chunk may hold.
        var wide = Self.request(count: 1 << 20, chunk: 1 << 20)
        wide.actionCounts = [64, 64]
        do {
            try wide.validate()
            Issue.record("a 2^33-entry chunk was accepted")
        } catch {
            #expect(error.message.contains("a chunk size of") && error.message.contains("at most 16384 games per chunk"), "\(error)")
        }
        // A huge chunk size is fine when the count is small: a chunk never exceeds the count.
        wide.count = 10
        #expect(throws: Never.self) { try wide.validate() }
    }
}
