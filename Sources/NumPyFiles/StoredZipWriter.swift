import CZlibSystem
import Foundation

/// Writes a zip archive of stored (uncompressed) entries, what `numpy.savez` writes: local
/// headers, the data, the central directory, and the ZIP64 records exactly where a size, an
/// offset or the entry count needs them (as Python's `zipfile` does, so `numpy.load` reads it).
/// Every entry has the same fixed timestamp (1980-01-01 00:00, the earliest a zip entry can
/// hold) and permissions 0644, so the same arrays always give the same bytes.
///
/// Written here rather than with ZIPFoundation's `Archive`, which computes each entry's CRC-32
/// itself with a byte-at-a-time table on Linux (it uses zlib only where the platform exposes
/// it): that was most of a batch's serial chunk-writing time. Here the CRC is zlib's `crc32_z`.
struct StoredZipWriter {
    private struct Record {
        var name: [UInt8]
        var crc: UInt32
        var size: UInt64
        var offset: UInt64
    }

    private let handle: FileHandle
    /// Sizes and offsets from here on go to ZIP64 fields (4 GiB − 1; lower only in tests, which
    /// check the ZIP64 records without writing 4 GiB).
    private let zip64Threshold: UInt64
    private var offset: UInt64 = 0
    private var records: [Record] = []

    /// DOS date of 1980-01-01 (year 0, month 1, day 1) and time 00:00:00.
    private static let dosDate: UInt16 = (1 << 5) | 1
    private static let dosTime: UInt16 = 0
    /// Bit 11: names are UTF-8.
    private static let flags: UInt16 = 1 << 11
    private static let zip64Marker32: UInt32 = 0xFFFF_FFFF
    private static let zip64Marker16: UInt16 = 0xFFFF

    /// Creates (or truncates) the file at `url`.
    init(url: URL, zip64Threshold: UInt64 = 0xFFFF_FFFF) throws {
        self.zip64Threshold = min(zip64Threshold, 0xFFFF_FFFF)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
    }

    /// The CRC-32 of `data` continuing from `previous` (0 to start), by zlib.
    static func crc32(_ data: Data, continuing previous: UInt32 = 0) -> UInt32 {
        data.withUnsafeBytes { bytes -> UInt32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return previous }
            return UInt32(truncatingIfNeeded: crc32_z(uLong(previous), base.assumingMemoryBound(to: Bytef.self), bytes.count))
        }
    }

    /// Appends a stored entry.
    mutating func add(name: String, data: Data) throws {
        let record = Record(name: Array(name.utf8), crc: Self.crc32(data), size: UInt64(data.count), offset: offset)
        let zip64 = record.size >= zip64Threshold
        var header = Data()
        header.append(u32: 0x0403_4b50)
        header.append(u16: zip64 ? 45 : 20)  // version needed to extract
        header.append(u16: Self.flags)
        header.append(u16: 0)  // stored
        header.append(u16: Self.dosTime)
        header.append(u16: Self.dosDate)
        header.append(u32: record.crc)
        header.append(u32: zip64 ? Self.zip64Marker32 : UInt32(record.size))
        header.append(u32: zip64 ? Self.zip64Marker32 : UInt32(record.size))
        header.append(u16: UInt16(record.name.count))
        header.append(u16: zip64 ? 20 : 0)
        header.append(contentsOf: record.name)
        if zip64 {
            header.append(u16: 0x0001)
            header.append(u16: 16)
            header.append(u64: record.size)
            header.append(u64: record.size)
        }
        try write(header)
        try write(data)
        records.append(record)
    }

    /// Writes the central directory and the end records, and closes the file.
    mutating func finish() throws {
        let directoryStart = offset
        for r in records {
            let bigSize = r.size >= zip64Threshold, bigOffset = r.offset >= zip64Threshold
            var extra = Data()
            if bigSize || bigOffset {
                extra.append(u16: 0x0001)
                extra.append(u16: UInt16((bigSize ? 16 : 0) + (bigOffset ? 8 : 0)))
                if bigSize {
                    extra.append(u64: r.size)
                    extra.append(u64: r.size)
                }
                if bigOffset { extra.append(u64: r.offset) }
            }
            var entry = Data()
            entry.append(u32: 0x0201_4b50)
            entry.append(u16: 0x0315)  // made by: Unix (so the permissions below apply), zip 2.1
            entry.append(u16: bigSize || bigOffset ? 45 : 20)
            entry.append(u16: Self.flags)
            entry.append(u16: 0)  // stored
            entry.append(u16: Self.dosTime)
            entry.append(u16: Self.dosDate)
            entry.append(u32: r.crc)
            entry.append(u32: bigSize ? Self.zip64Marker32 : UInt32(r.size))
            entry.append(u32: bigSize ? Self.zip64Marker32 : UInt32(r.size))
            entry.append(u16: UInt16(r.name.count))
            entry.append(u16: UInt16(extra.count))
            entry.append(u16: 0)  // comment
            entry.append(u16: 0)  // disk
            entry.append(u16: 0)  // internal attributes
            entry.append(u32: UInt32(0o100644) << 16)  // regular file, rw-r--r--
            entry.append(u32: bigOffset ? Self.zip64Marker32 : UInt32(r.offset))
            entry.append(contentsOf: r.name)
            entry.append(extra)
            try write(entry)
        }
        let directorySize = offset - directoryStart
        let count = UInt64(records.count)
        let needsZip64 = count >= min(UInt64(Self.zip64Marker16), zip64Threshold) || directorySize >= zip64Threshold
            || directoryStart >= zip64Threshold
        var end = Data()
        if needsZip64 {
            let recordStart = offset
            end.append(u32: 0x0606_4b50)
            end.append(u64: 44)  // size of the rest of this record
            end.append(u16: 45)
            end.append(u16: 45)
            end.append(u32: 0)
            end.append(u32: 0)
            end.append(u64: count)
            end.append(u64: count)
            end.append(u64: directorySize)
            end.append(u64: directoryStart)
            end.append(u32: 0x0706_4b50)  // locator
            end.append(u32: 0)
            end.append(u64: recordStart)
            end.append(u32: 1)
        }
        end.append(u32: 0x0605_4b50)
        end.append(u16: 0)
        end.append(u16: 0)
        end.append(u16: needsZip64 ? Self.zip64Marker16 : UInt16(count))
        end.append(u16: needsZip64 ? Self.zip64Marker16 : UInt16(count))
        end.append(u32: needsZip64 ? Self.zip64Marker32 : UInt32(directorySize))
        end.append(u32: needsZip64 ? Self.zip64Marker32 : UInt32(directoryStart))
        end.append(u16: 0)
        try write(end)
        try handle.close()
    }

    /// Closes the file without finishing it (after a failure).
    func abandon() { try? handle.close() }

    private mutating func write(_ data: Data) throws {
        try handle.write(contentsOf: data)
        offset += UInt64(data.count)
    }
}

private extension Data {
    mutating func append(u16 v: UInt16) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    mutating func append(u32 v: UInt32) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    mutating func append(u64 v: UInt64) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
}
