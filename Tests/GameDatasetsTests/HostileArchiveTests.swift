import Foundation
import Testing
import _EquilibriaTestSupport
@testable import GameDatasets

/// A malformed `.npz` archive and what its error must say.
struct HostileArchive: Sendable, CustomTestStringConvertible {
    var label: String
    var bytes: [UInt8]
    /// Text the error must contain besides the file name.
    var fragments: [String]
    /// The `.npy` bytes of the single entry, when the archive is ``entry(_:_:_:)``.
    var npy: [UInt8]? = nil
    var testDescription: String { label }

    /// An archive with one stored entry `payoffs.npy` holding `npy`.
    static func entry(_ label: String, _ npy: [UInt8], _ fragments: [String]) -> HostileArchive {
        HostileArchive(label: label, bytes: TestArchives.zip([.init(name: "payoffs.npy", data: npy)]),
                       fragments: ["payoffs.npy"] + fragments, npy: npy)
    }
}

/// The reader against archives built byte by byte: every one is refused with an error naming
/// the file and the entry, before anything the file does not back is allocated, and promptly.
@Suite(.timeLimit(.minutes(10))) struct HostileArchiveTests {
    static let headers: [HostileArchive] = [
        // The shape that crashed verify, merge and a batch resume: 2^62 × 4 × 8 bytes overflows.
        .entry("shape (2^62, 4)", TestArchives.npy(descr: "<f8", shape: "(4611686018427387904, 4)"),
               ["(4611686018427387904, 4)", "overflows"]),
        .entry("overflow only with the element size", TestArchives.npy(descr: "<f8", shape: "(2305843009213693952,)"),
               ["× 8 bytes", "overflows"]),
        .entry("overflow with the header", TestArchives.npy(descr: "|u1", shape: "(9223372036854775807,)"), ["overflow"]),
        .entry("overflow past a zero dimension",
               TestArchives.npy(descr: "<f8", shape: "(0, 4611686018427387904, 4611686018427387904)"), ["overflows"]),
        .entry("large but consistent shape, no data", TestArchives.npy(descr: "<f8", shape: "(1000000, 4)", payload: [0, 0, 0, 0, 0, 0, 0, 0]),
               ["needs 32000000 data bytes", "holds 8"]),
        .entry("negative dimension", TestArchives.npy(descr: "<f8", shape: "(-1, 4)"), ["negative"]),
        .entry("dimension beyond 64 bits", TestArchives.npy(descr: "<f8", shape: "(99999999999999999999, 4)"),
               ["not a dimension"]),
        .entry("string width overflowing × 4", TestArchives.npy(descr: "<U4611686018427387904", shape: "(2,)"),
               ["string width 4611686018427387904", "too large"]),
        .entry("string array of 8 EB", TestArchives.npy(descr: "<U999999999999999999", shape: "(2,)"),
               ["needs 7999999999999999992 data bytes", "holds 0"]),
        .entry("string width beyond 64 bits", TestArchives.npy(descr: "<U99999999999999999999", shape: "(2,)"),
               ["not a positive 64-bit integer"]),
        .entry("zero-width strings", TestArchives.npy(descr: "<U0", shape: "(4611686018427387904,)"),
               ["not a positive 64-bit integer"]),
        .entry("header length 4 GiB", TestArchives.npy(descr: "<f8", shape: "(1,)", version: 2, declaredHeaderLength: 0xFFFF_FFF0),
               ["4294967280", "more than the \(NumPyHeader.maximumHeaderLength) accepted"]),
        .entry("header longer than the entry", TestArchives.npy(descr: "<f8", shape: "(1,)", declaredHeaderLength: 60_000),
               ["truncated .npy header"]),
        .entry("unknown version", TestArchives.npy(descr: "<f8", shape: "(1,)", version: 9), ["unsupported .npy version 9"]),
        .entry("unknown element type", TestArchives.npy(descr: "<c16", shape: "(1,)"), ["unsupported element type <c16"]),
    ]

    static let containers: [HostileArchive] = {
        let header = TestArchives.npy(descr: "<f8", shape: "(2000, 4)")
        // A deflate stream made of one non-final stored block claiming 65,535 bytes, of which the
        // entry holds 1,000: read on, it would take in the central directory and then wait for
        // input at the end of the file forever (as ZIPFoundation's extraction did). The header
        // declares 200,000 data bytes, within what 1,000 deflated bytes could give.
        let longHeader = TestArchives.npy(descr: "<f8", shape: "(25000,)")
        var endless: [UInt8] = [0x00, 0xFF, 0xFF, 0x00, 0x00] + longHeader
        endless += [UInt8](repeating: 0x55, count: 1000 - endless.count)
        let declared = UInt32(longHeader.count + 200_000)
        return [
            HostileArchive(label: "stored entry larger than the file",
                           bytes: TestArchives.zip([.init(name: "payoffs.npy", data: header,
                                                          compressedSize: 0xFFFF_FFF0, uncompressedSize: 0xFFFF_FFF0)]),
                           fragments: ["payoffs.npy", "beyond the end of the file"]),
            HostileArchive(label: "stored entry whose sizes disagree",
                           bytes: TestArchives.zip([.init(name: "payoffs.npy", data: header, uncompressedSize: 1 << 30)]),
                           fragments: ["payoffs.npy", "occupies"]),
            HostileArchive(label: "deflate stream that never ends",
                           bytes: TestArchives.zip([.init(name: "payoffs.npy", data: endless, method: 8, crc32: 0,
                                                          uncompressedSize: declared)]),
                           fragments: ["payoffs.npy", "does not end within its 1000 bytes"]),
            HostileArchive(label: "deflate entry declaring an impossible expansion",
                           bytes: TestArchives.zip([.init(name: "payoffs.npy", data: [0x03, 0x00], method: 8,
                                                          uncompressedSize: 0xFFFF_FFF0)]),
                           fragments: ["payoffs.npy", "more than deflate can produce"]),
            HostileArchive(label: "header disagreeing with the entry size",
                           bytes: TestArchives.zip([.init(name: "payoffs.npy", data: header + [UInt8](repeating: 0, count: 64))]),
                           fragments: ["payoffs.npy", "needs 64000 data bytes", "holds 64"]),
            HostileArchive(label: "central directory claiming 65,534 entries",
                           bytes: TestArchives.zip([.init(name: "payoffs.npy", data: header)], entryCount: 0xFFFE),
                           fragments: ["claims 65534 entries"]),
            HostileArchive(label: "not a zip", bytes: Array("not an archive at all, just some text\n".utf8),
                           fragments: ["not a readable .npz archive"]),
        ]
    }()

    @Test(arguments: headers + containers)
    func refusedWithAnErrorNamingFileAndEntry(_ archive: HostileArchive) throws {
        let url = try TestArchives.write(archive.bytes, named: "hostile.npz")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let error = try #require(throws: NumPyArchiveError.self) { try NumPyArchive.read(url) }
        #expect(error.description.hasPrefix(url.path + ": "), "\(error)")
        for fragment in archive.fragments { #expect(error.description.contains(fragment), "\(error)") }
        #expect(!error.description.contains("\n"))
    }

    /// The same checks through the `.npy` parser alone.
    @Test(arguments: headers)
    func npyParserRefusesTheSameHeaders(_ archive: HostileArchive) throws {
        let npy = try #require(archive.npy)
        let error = try #require(throws: NumPyArchiveError.self) { try NumPyArray(fileData: Data(npy)) }
        for fragment in archive.fragments.dropFirst() { #expect(error.message.contains(fragment), "\(error)") }
    }

    /// Archives built by hand and by NumPy itself (stored and deflated, with entries spanning many
    /// read chunks) still read back exactly.
    @Test func wellFormedArchivesStillRead() throws {
        let values = (0..<3).map { Double($0) - 0.5 }
        let handMade = TestArchives.zip([.init(name: "x.npy", data: TestArchives.npy(descr: "<f8", shape: "(3,)",
                                                                                     payload: TestArchives.float64(values)))])
        let url = try TestArchives.write(handMade, named: "good.npz")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(try NumPyArchive.read(url)["x"]?.doubles == values)

        for function in ["savez", "savez_compressed"] {
            let numpy = url.deletingLastPathComponent().appendingPathComponent("\(function).npz")
            let run = try Subprocess.run("python3", ["-c", """
                import numpy as np
                np.\(function)(\(String(reflecting: numpy.path)),
                    big=np.arange(300000, dtype=np.float64) / 7, small=np.float32([1.5, -2.25]),
                    names=np.array(['me', 'ε̂-ME', '']), flags=np.array([True, False]), empty=np.zeros((0, 3)))
                """], timeout: .seconds(300))
            #expect(run.status == 0, "python: \(run.stderr)")
            let arrays = try NumPyArchive.read(numpy)
            #expect(arrays["big"]?.doubles == (0..<300_000).map { Double($0) / 7 }, "\(function)")
            #expect(arrays["small"]?.doubles == [1.5, -2.25])
            #expect(arrays["names"]?.strings == ["me", "ε̂-ME", ""])
            #expect(arrays["flags"]?.bools == [true, false])
            #expect(arrays["empty"]?.shape == [0, 3])
        }
    }

    /// Concatenating strings pads to the longest string held, not to a width an empty array
    /// declares (which a hostile chunk could set to anything).
    @Test func concatenationIgnoresTheWidthOfEmptyArrays() throws {
        var empty = NumPyArray(strings: [], shape: [0])
        empty.elementType = .unicode(width: 1 << 40)
        let merged = try NumPyArray.concatenated([empty, NumPyArray(strings: ["ab", "c"])])
        #expect(merged.elementType == .unicode(width: 2))
        #expect(merged.strings == ["ab", "c"])
        var huge = NumPyArray(float64: [], shape: [0])
        huge.shape = [Int.max, 0]
        #expect(throws: NumPyArchiveError.self) {
            try NumPyArray.concatenated([huge, huge])
        }
    }
}

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
