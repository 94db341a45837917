import Foundation

/// Builds `.npy` and `.npz` bytes by hand, independently of the code under test, including
/// malformed ones: headers whose shape, element type or length is absurd, and zip entries whose
/// sizes or deflate streams lie.
public enum TestArchives {
    /// A `.npy` file: magic, version, header length, the header text and `payload`.
    ///
    /// - Parameters:
    ///   - descr: The element type as NumPy writes it (`<f8`, `<U5`, …), written as given.
    ///   - shape: The shape's text as NumPy writes it (`(2, 3)`, `(4,)`, `()`), written as given.
    ///   - version: The major version (1 has a 2-byte header length, 2 and 3 a 4-byte one).
    ///   - declaredHeaderLength: The header length to write instead of the true one.
    public static func npy(descr: String, shape: String, payload: [UInt8] = [], version: UInt8 = 1,
                           declaredHeaderLength: UInt32? = nil) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        let prefix = version == 1 ? 10 : 12
        header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
        let length = declaredHeaderLength ?? UInt32(header.utf8.count)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        bytes += version == 1 ? le(UInt16(truncatingIfNeeded: length)) : le(length)
        return bytes + Array(header.utf8) + payload
    }

    /// The little-endian bytes of a float64 array.
    public static func float64(_ values: [Double]) -> [UInt8] { values.flatMap { le($0.bitPattern) } }

    /// One entry of a zip archive built by ``zip(_:)``.
    public struct Entry: Sendable {
        public var name: String
        /// The bytes stored in the archive (already deflated when `method` is 8).
        public var data: [UInt8]
        /// 0 stored, 8 deflate.
        public var method: UInt16
        /// What the headers declare; by default the truth for a stored entry.
        public var crc32: UInt32?
        public var compressedSize: UInt32?
        public var uncompressedSize: UInt32?

        public init(name: String, data: [UInt8], method: UInt16 = 0, crc32: UInt32? = nil,
                    compressedSize: UInt32? = nil, uncompressedSize: UInt32? = nil) {
            self.name = name
            self.data = data
            self.method = method
            self.crc32 = crc32
            self.compressedSize = compressedSize
            self.uncompressedSize = uncompressedSize
        }
    }

    /// A zip archive (one disk, no ZIP64) holding `entries`, with the sizes and checksums each
    /// entry declares. `entryCount` overrides the count in the end record.
    public static func zip(_ entries: [Entry], entryCount: UInt16? = nil) -> [UInt8] {
        var body: [UInt8] = []
        var directory: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = entry.crc32 ?? crc32(entry.data)
            let compressed = entry.compressedSize ?? UInt32(entry.data.count)
            let uncompressed = entry.uncompressedSize ?? UInt32(entry.data.count)
            let offset = UInt32(body.count)
            body += le(UInt32(0x0403_4B50)) + le(UInt16(20)) + le(UInt16(0)) + le(entry.method) + le(UInt16(0)) + le(UInt16(0x21))
            body += le(crc) + le(compressed) + le(uncompressed) + le(UInt16(name.count)) + le(UInt16(0)) + name + entry.data
            directory += le(UInt32(0x0201_4B50)) + le(UInt16(20)) + le(UInt16(20)) + le(UInt16(0)) + le(entry.method)
            directory += le(UInt16(0)) + le(UInt16(0x21)) + le(crc) + le(compressed) + le(uncompressed)
            directory += le(UInt16(name.count)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0))
            directory += le(UInt32(0)) + le(offset) + name
        }
        let count = entryCount ?? UInt16(entries.count)
        let end = le(UInt32(0x0605_4B50)) + le(UInt16(0)) + le(UInt16(0)) + le(count) + le(count)
            + le(UInt32(directory.count)) + le(UInt32(body.count)) + le(UInt16(0))
        return body + directory + end
    }

    /// Writes `bytes` to a fresh temporary file named `name` and returns its URL.
    public static func write(_ bytes: [UInt8], named name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("archives-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// CRC-32 (IEEE, as zip uses), bit by bit.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
