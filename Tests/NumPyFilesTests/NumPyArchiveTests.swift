import Foundation
import Testing
import _EquilibriaTestSupport
import ZIPFoundation
@testable import NumPyFiles

/// Archives are checked by NumPy itself: `numpy.load` (no pickles allowed) must open them and
/// give back exactly the arrays written. `scripts/test.sh` installs numpy when it is missing.
@Suite struct NumPyArchiveTests {
    func python(_ script: String) throws -> String {
        let run = try Subprocess.run("python3", ["-c", script], timeout: .seconds(300))
        #expect(run.status == 0 && !run.timedOut, "python failed: \(run.stderr)")
        return run.stdout
    }

    @Test func numpyLoadsEveryElementType() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("a.npz")
        let doubles = [0.1, -2.5, 1e300, -0.0, Double.leastNonzeroMagnitude, 3.0]
        try NumPyArchive.write([
            ("x", NumPyArray(float64: doubles, shape: [2, 3])),
            ("i", NumPyArray(int64: [1, -2, Int64.max], shape: [3])),
            ("j", NumPyArray(int32: [7, -8], shape: [2, 1])),
            ("b", NumPyArray(bool: [true, false, true], shape: [3])),
            ("u", NumPyArray(uint8: [0, 255], shape: [2])),
            ("s", NumPyArray(strings: ["l2", "PolymatrixGame-RG", "ε̂-ME"])),
            ("scalar", NumPyArray(strings: ["only"], shape: [])),
            ("big", NumPyArray(float64: Array(repeating: 1, count: 3 * 4 * 5 * 6), shape: [3, 4, 5, 6])),
        ], to: url)
        let out = try python("""
            import json, numpy as np
            d = np.load(\(String(reflecting: url.path)), allow_pickle=False)
            r = {k: {'dtype': str(d[k].dtype), 'shape': list(d[k].shape)} for k in d.files}
            r['x'] = [float(v).hex() for v in d['x'].ravel()]
            r['i'] = d['i'].tolist(); r['j'] = d['j'].ravel().tolist(); r['b'] = d['b'].tolist()
            r['u'] = d['u'].tolist(); r['s'] = d['s'].tolist(); r['scalar'] = str(d['scalar'])
            r['files'] = d.files
            print(json.dumps(r))
            """)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(result["files"] as? [String] == ["x", "i", "j", "b", "u", "s", "scalar", "big"])
        // Bit-exact doubles (hex), including −0, the smallest subnormal and 1e300.
        let hex = doubles.map { v -> String in
            let out = try? python("print(float.hex(\(v == 0 && v.sign == .minus ? "-0.0" : "\(v)")))")
            return (out ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(result["x"] as? [String] == hex)
        #expect(result["i"] as? [Int] == [1, -2, Int(Int64.max)])
        #expect(result["j"] as? [Int] == [7, -8])
        #expect(result["b"] as? [Bool] == [true, false, true])
        #expect(result["u"] as? [Int] == [0, 255])
        #expect(result["s"] as? [String] == ["l2", "PolymatrixGame-RG", "ε̂-ME"])
        #expect(result["scalar"] as? String == "only")
        let big = result["big"] as? [String: Any]
        #expect(big?["shape"] as? [Int] == [3, 4, 5, 6])
        #expect(big?["dtype"] as? String == "float64")
        #expect((result["j"] != nil) && ((result["j"] as? [Int])?.count == 2))
    }

    /// float32 arrays (what JAX writes) are read and widened exactly.
    /// zlib's CRC-32 against the standard check value of "123456789", and chained over pieces.
    @Test func crcIsTheStandardOne() {
        let data = Data("123456789".utf8)
        #expect(StoredZipWriter.crc32(data) == 0xCBF4_3926)
        #expect(StoredZipWriter.crc32(data.suffix(5), continuing: StoredZipWriter.crc32(data.prefix(4))) == 0xCBF4_3926)
        #expect(StoredZipWriter.crc32(Data()) == 0)
    }

    /// The writer against an independent one: ZIPFoundation's `Archive`, given the same entries,
    /// timestamp (1980-01-01) and permissions, writes the very same bytes (so archives written
    /// before the writer changed still compare equal, and resume).
    @Test func bytesEqualZIPFoundationsArchive() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let arrays: [(String, NumPyArray)] = [("x", NumPyArray(float64: [0.25, -1, Double.leastNormalMagnitude / 64], shape: [3])),
                                              ("names", NumPyArray(strings: ["l2", "ε̂"])),
                                              ("flags", NumPyArray(bool: [true, false], shape: [2, 1]))]
        let ours = directory.appendingPathComponent("ours.npz"), theirs = directory.appendingPathComponent("theirs.npz")
        try NumPyArchive.write(arrays.map { ($0.0, $0.1) }, to: ours)
        let archive = try Archive(url: theirs, accessMode: .create)
        for (name, array) in arrays {
            let data = array.fileData
            try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(data.count),
                                 modificationDate: Date(timeIntervalSince1970: 315_532_800), permissions: 0o644,
                                 compressionMethod: .none) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        #expect(try Data(contentsOf: ours) == Data(contentsOf: theirs))
    }

    /// Every ZIP64 record (sizes, offsets, the end records) forced by a low threshold: NumPy,
    /// Python's zipfile (with its CRC check) and our reader all read the arrays back.
    @Test func zip64RecordsAreReadEverywhere() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("z.npz")
        let arrays: [(String, NumPyArray)] = [("x", NumPyArray(float64: [1.5, -2, 3e-300], shape: [3])),
                                              ("s", NumPyArray(strings: ["a", "bc"])),
                                              ("n", NumPyArray(int64: Array(0..<1000), shape: [10, 100]))]
        var writer = try StoredZipWriter(url: url, zip64Threshold: 1)
        for (name, array) in arrays { try writer.add(name: name + ".npy", data: array.fileData) }
        try writer.finish()
        let back = try NumPyArchive.read(url)
        #expect(back["x"]?.doubles == [1.5, -2, 3e-300] && back["s"]?.strings == ["a", "bc"])
        #expect(back["n"]?.shape == [10, 100])
        let out = try python("""
            import numpy, zipfile
            z = zipfile.ZipFile('\(url.path)'); assert z.testzip() is None; assert any(i.file_size for i in z.infolist())
            d = numpy.load('\(url.path)')
            print(d['x'].tolist(), d['s'].tolist(), int(d['n'].sum()), d['n'].shape)
            """)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "[1.5, -2.0, 3e-300] ['a', 'bc'] 499500 (10, 100)", "\(out)")
    }

    @Test func readsFloat32() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("f4-\(UUID().uuidString).npz")
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try python("import numpy as np; np.savez(\(String(reflecting: url.path)), x=np.array([[0.1, -2.5], [1e30, 3]], dtype=np.float32))")
        let arrays = try NumPyArchive.read(url)
        let x = try #require(arrays["x"])
        #expect(x.shape == [2, 2])
        #expect(x.doubles == [Double(Float(0.1)), -2.5, Double(Float(1e30)), 3])
    }

    /// The same arrays always give the same bytes (fixed timestamps): needed for reproducible
    /// archives; and rewriting replaces the file atomically.
    @Test func bytesAreReproducible() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = directory.appendingPathComponent("a.npz"), b = directory.appendingPathComponent("b.npz")
        let arrays: [(name: String, array: NumPyArray)] = [("x", NumPyArray(float64: [1, 2, 3], shape: [3]))]
        try NumPyArchive.write(arrays, to: a)
        try NumPyArchive.write(arrays, to: b)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        try NumPyArchive.write(arrays, to: a)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty)
    }

    /// The payload of every element type is the little-endian bytes of its elements, C order,
    /// strings as UTF-32 code points zero-padded to the longest: checked against bytes taken out
    /// of each value by shifts (independent of how the payload is filled), over seeded random
    /// arrays of many lengths (empty included), special doubles, and strings of 0 to 6 scalars
    /// from ASCII to the supplementary planes; and every array reads back equal.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func payloadIsTheLittleEndianBytesOfEveryElement(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        func bytes(_ value: UInt64, width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-300]
        for count in [0, 1, 2, 7, 64, 1001] {
            let doubles = (0..<count).map { k in
                k % 5 == 0 ? specials[Int(rng.next() % UInt64(specials.count))] : Double(bitPattern: rng.next() & ~(0x7FF << 52) | (UInt64(1023) << 52)) * (rng.next() % 2 == 0 ? -1 : 1) * 1e3
            }
            let int64s = (0..<count).map { _ in Int64(bitPattern: rng.next()) }
            let uint64s = (0..<count).map { _ in rng.next() }
            let int32s = (0..<count).map { _ in Int32(truncatingIfNeeded: rng.next()) }
            let f = NumPyArray(float64: doubles, shape: [count])
            #expect(Array(f.payload) == doubles.flatMap { bytes($0.bitPattern, width: 8) })
            #expect(Array(NumPyArray(int64: int64s, shape: [count]).payload) == int64s.flatMap { bytes(UInt64(bitPattern: $0), width: 8) })
            #expect(Array(NumPyArray(uint64: uint64s, shape: [count]).payload) == uint64s.flatMap { bytes($0, width: 8) })
            #expect(Array(NumPyArray(int32: int32s, shape: [count]).payload)
                    == int32s.flatMap { bytes(UInt64(UInt32(bitPattern: $0)), width: 4) })
            let back = try NumPyArray(fileData: f.fileData)
            #expect(back.doubles?.map(\.bitPattern) == doubles.map(\.bitPattern))
            #expect(try NumPyArray(fileData: NumPyArray(int64: int64s, shape: [count]).fileData).int64s == int64s)
        }
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", "_", "é", "ε", "̂", "→", "中", "😀", "𝔸"]
        for count in [1, 2, 5, 40] {
            let strings = (0..<count).map { _ in
                String(String.UnicodeScalarView((0..<Int(rng.next() % 7)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
            }
            let width = max(1, strings.map { $0.unicodeScalars.count }.max() ?? 1)
            let expected = strings.flatMap { s in
                s.unicodeScalars.flatMap { bytes(UInt64($0.value), width: 4) } + [UInt8](repeating: 0, count: 4 * (width - s.unicodeScalars.count))
            }
            let a = NumPyArray(strings: strings)
            #expect(a.elementType == .unicode(width: width))
            #expect(Array(a.payload) == expected)
            #expect(try NumPyArray(fileData: a.fileData).strings == strings)
        }
    }

    /// An unwritable location is a clear error naming the path, not a crash.
    @Test func unwritableDirectoryIsAnError() {
        let url = URL(fileURLWithPath: "/proc/no-such-dir/a.npz")
        #expect(throws: NumPyArchiveError.self) {
            try NumPyArchive.write([("x", NumPyArray(float64: [1], shape: [1]))], to: url)
        }
    }
}
