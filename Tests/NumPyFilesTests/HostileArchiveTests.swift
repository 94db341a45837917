import Foundation
import Testing
import _EquilibriaTestSupport
@testable import NumPyFiles

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
