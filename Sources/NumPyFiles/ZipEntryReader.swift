import Foundation
import ZIPFoundation

/// Reads the entries of a zip archive (what `.npz` files are) with every size and offset checked
/// against the file before it is used, so that a damaged or hostile archive is an error rather
/// than a crash, a hang or an allocation the file cannot back.
///
/// Written here rather than extracting with ZIPFoundation's `Archive`, whose readers trust the
/// sizes in the archive: a stored entry declaring more bytes than the file holds is read as a
/// long run of empty chunks, and a deflate stream that does not end before the end of the file
/// makes its inflate loop wait for input forever. Only what `.npz` files use is supported: one
/// disk, stored or deflated entries, ZIP64 sizes and offsets, no encryption. Inflating is
/// ZIPFoundation's (`Data.decompress`), fed from here one bounded chunk at a time.
final class ZipEntryReader {
    struct Entry {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    /// A problem with the archive, without the file name.
    struct Problem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// Deflate expands at most 1032:1; an entry declaring more than that from its compressed
    /// size (with a little slack) is lying about one of them.
    static let maximumDeflateRatio: UInt64 = 1032

    /// The chunk size for reading and inflating.
    static let chunkSize = 64 << 10

    private let descriptor: Int32
    let fileSize: UInt64
    private(set) var entries: [Entry] = []

    init(path: String) throws(Problem) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Problem("cannot open (\(String(cString: strerror(errno))))") }
        descriptor = fd
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Problem("cannot read (\(reason))")
        }
        fileSize = UInt64(end)
        // From here on the instance is initialised, so a throw runs `deinit`, which closes the file.
        entries = try readCentralDirectory()
    }

    deinit { close(descriptor) }

    // MARK: Raw reads

    /// Exactly `count` bytes at `offset`, which must lie inside the file.
    private func bytes(at offset: UInt64, count: Int) throws(Problem) -> [UInt8] {
        guard count >= 0, offset <= fileSize, UInt64(count) <= fileSize - offset else {
            throw Problem("truncated (\(count) bytes needed at offset \(offset) of a \(fileSize)-byte file)")
        }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Problem("cannot read (\(n < 0 ? String(cString: strerror(errno)) : "unexpected end of file"))") }
            done += n
        }
        return buffer
    }

    private static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
    private static func u64(_ b: [UInt8], _ at: Int) -> UInt64 { UInt64(u32(b, at)) | UInt64(u32(b, at + 4)) << 32 }

    // MARK: Central directory

    private func readCentralDirectory() throws(Problem) -> [Entry] {
        // The end-of-central-directory record: 22 bytes plus a comment of at most 65,535.
        guard fileSize >= 22 else { throw Problem("too short to be a zip archive (\(fileSize) bytes)") }
        let tailLength = Int(min(fileSize, 22 + 65_535))
        let tailStart = fileSize - UInt64(tailLength)
        let tail = try bytes(at: tailStart, count: tailLength)
        var found: Int?
        var k = tailLength - 22
        while k >= 0 {
            if tail[k] == 0x50, tail[k + 1] == 0x4B, tail[k + 2] == 0x05, tail[k + 3] == 0x06,
               k + 22 + Int(Self.u16(tail, k + 20)) == tailLength {
                found = k
                break
            }
            k -= 1
        }
        guard let eocd = found else { throw Problem("no end-of-central-directory record (not a zip archive, or truncated)") }
        let eocdOffset = tailStart + UInt64(eocd)
        guard Self.u16(tail, eocd + 4) == 0, Self.u16(tail, eocd + 6) == 0 else {
            throw Problem("multi-disk archives are not supported")
        }
        var count = UInt64(Self.u16(tail, eocd + 10))
        var directorySize = UInt64(Self.u32(tail, eocd + 12))
        var directoryOffset = UInt64(Self.u32(tail, eocd + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: a locator just before the record points at the ZIP64 end record.
            guard eocdOffset >= 20 else { throw Problem("ZIP64 locator missing") }
            let locator = try bytes(at: eocdOffset - 20, count: 20)
            guard Self.u32(locator, 0) == 0x0706_4B50 else { throw Problem("ZIP64 locator missing") }
            let recordOffset = Self.u64(locator, 8)
            let record = try bytes(at: recordOffset, count: 56)
            guard Self.u32(record, 0) == 0x0606_4B50 else { throw Problem("bad ZIP64 end-of-central-directory record") }
            count = Self.u64(record, 32)
            directorySize = Self.u64(record, 40)
            directoryOffset = Self.u64(record, 48)
        }
        guard directoryOffset <= fileSize, directorySize <= fileSize - directoryOffset else {
            throw Problem("the central directory (\(directorySize) bytes at \(directoryOffset)) lies outside the file "
                          + "(\(fileSize) bytes)")
        }
        // Every record takes at least 46 bytes, so the count is bounded by the directory's size.
        guard count <= directorySize / 46 else {
            throw Problem("the central directory claims \(count) entries but has room for \(directorySize / 46)")
        }
        let directory = try bytes(at: directoryOffset, count: Int(directorySize))
        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, Self.u32(directory, at) == 0x0201_4B50 else {
                throw Problem("bad central directory record \(entries.count)")
            }
            let nameLength = Int(Self.u16(directory, at + 28))
            let extraLength = Int(Self.u16(directory, at + 30))
            let commentLength = Int(Self.u16(directory, at + 32))
            let end = at + 46 + nameLength + extraLength + commentLength
            guard end <= directory.count else { throw Problem("bad central directory record \(entries.count)") }
            var entry = Entry(
                name: String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self),
                method: Self.u16(directory, at + 10), flags: Self.u16(directory, at + 8),
                crc32: Self.u32(directory, at + 16), compressedSize: UInt64(Self.u32(directory, at + 20)),
                uncompressedSize: UInt64(Self.u32(directory, at + 24)),
                localHeaderOffset: UInt64(Self.u32(directory, at + 42)))
            // ZIP64 extra field (id 1): the 8-byte values of the fields set to 0xFFFFFFFF, in order.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = Self.u16(directory, extra)
                let size = Int(Self.u16(directory, extra + 2))
                guard extra + 4 + size <= extraEnd else { break }
                if id == 1 {
                    var field = extra + 4
                    func next() throws(Problem) -> UInt64 {
                        guard field + 8 <= extra + 4 + size else { throw Problem("bad ZIP64 field in entry \(entry.name)") }
                        defer { field += 8 }
                        return Self.u64(directory, field)
                    }
                    if entry.uncompressedSize == 0xFFFF_FFFF { entry.uncompressedSize = try next() }
                    if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next() }
                    if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next() }
                }
                extra += 4 + size
            }
            entries.append(entry)
            at = end
        }
        return entries
    }

    // MARK: Entry data

    /// Passes the entry's uncompressed bytes to `consume`, in chunks, and checks that there are
    /// exactly `uncompressedSize` of them and that their CRC-32 is the recorded one. `consume`
    /// may throw to stop early (for instance once a header shows the data cannot be right).
    func read(_ entry: Entry, _ consume: (Data) throws -> Void) throws {
        let dataOffset = try checkedDataOffset(of: entry)
        var produced: UInt64 = 0
        var checksum: CRC32 = 0
        var consumerError: (any Error)?
        func counted(_ data: Data) throws {
            guard UInt64(data.count) <= entry.uncompressedSize - produced else {
                throw Problem("entry \(entry.name) holds more than the \(entry.uncompressedSize) bytes it declares (corrupt)")
            }
            produced += UInt64(data.count)
            do {
                try consume(data)
            } catch {
                consumerError = error
                throw error
            }
        }
        if entry.method == 0 {
            var position: UInt64 = 0
            while position < entry.compressedSize {
                let n = Int(min(UInt64(Self.chunkSize), entry.compressedSize - position))
                let chunk = Data(try bytes(at: dataOffset + position, count: n))
                checksum = StoredZipWriter.crc32(chunk, continuing: checksum)
                try counted(chunk)
                position += UInt64(n)
            }
        } else {
            // The provider hands out the entry's compressed bytes and nothing after them. Every
            // chunk has the full size asked for, because ZIPFoundation's inflate loop feeds zlib
            // that many bytes whatever the chunk's length; the last is padded with zeros (which
            // inflate reads as an invalid block if the stream has not ended). Asked for more
            // after that, it throws: returning nothing would make that loop spin forever.
            var position: UInt64 = 0
            var exhausted = false
            let name = entry.name
            let size = entry.compressedSize
            let provider: Provider = { _, requested in
                guard !exhausted else { throw Problem("entry \(name): the deflate stream does not end within its \(size) bytes (corrupt)") }
                let wanted = max(requested, 1)
                let n = Int(min(UInt64(wanted), size - position))
                var chunk = Data(try self.bytes(at: dataOffset + position, count: n))
                position += UInt64(n)
                if position == size { exhausted = true }
                if chunk.count < wanted { chunk.append(Data(count: wanted - chunk.count)) }
                return chunk
            }
            do {
                checksum = try Data.decompress(size: Int64(size), bufferSize: Self.chunkSize, skipCRC32: false,
                                               provider: provider, consumer: counted)
            } catch {
                if let consumerError { throw consumerError }
                if let problem = error as? Problem { throw problem }
                throw Problem("entry \(entry.name) does not inflate (corrupt: \(error))")
            }
        }
        guard produced == entry.uncompressedSize else {
            throw Problem("entry \(entry.name) holds \(produced) of the \(entry.uncompressedSize) bytes it declares (truncated)")
        }
        guard checksum == entry.crc32 else { throw Problem("entry \(entry.name) fails its CRC-32 check (corrupt)") }
    }

    /// Where the entry's data starts, after checking its local header against the central
    /// directory and its declared sizes against the file and the compression method.
    private func checkedDataOffset(of entry: Entry) throws -> UInt64 {
        guard entry.flags & 1 == 0 else { throw Problem("entry \(entry.name) is encrypted (not supported)") }
        guard entry.method == 0 || entry.method == 8 else {
            throw Problem("entry \(entry.name) uses compression method \(entry.method) (only stored and deflate are supported)")
        }
        let local = try bytes(at: entry.localHeaderOffset, count: 30)
        guard Self.u32(local, 0) == 0x0403_4B50 else { throw Problem("entry \(entry.name) has no local header (corrupt)") }
        // The local header repeats the central directory's method, CRC, sizes and name: a
        // disagreement is corruption (a flipped byte there would otherwise go unseen). With
        // bit 3 set, CRC and sizes follow the data instead and are zero here.
        let nameLength = UInt64(Self.u16(local, 26))
        guard Self.u16(local, 8) == entry.method else {
            throw Problem("entry \(entry.name): its local header disagrees with the central directory (corrupt)")
        }
        if Self.u16(local, 6) & 8 == 0 {
            // 0xFFFFFFFF marks sizes kept in the zip64 extra field (NumPy's savez always writes
            // its entries that way).
            let compressed = Self.u32(local, 18), uncompressed = Self.u32(local, 22)
            let sizesAgree = (compressed == 0xFFFF_FFFF || UInt64(compressed) == entry.compressedSize)
                && (uncompressed == 0xFFFF_FFFF || UInt64(uncompressed) == entry.uncompressedSize)
            guard Self.u32(local, 14) == entry.crc32, sizesAgree else {
                throw Problem("entry \(entry.name): its local header disagrees with the central directory (corrupt)")
            }
        }
        if nameLength == UInt64(entry.name.utf8.count) {
            let name = try bytes(at: entry.localHeaderOffset + 30, count: Int(nameLength))
            guard Array(name) == Array(entry.name.utf8) else {
                throw Problem("entry \(entry.name): its local header names another file (corrupt)")
            }
        } else {
            throw Problem("entry \(entry.name): its local header names another file (corrupt)")
        }
        let dataOffset = entry.localHeaderOffset + 30 + nameLength + UInt64(Self.u16(local, 28))
        guard dataOffset <= fileSize, entry.compressedSize <= fileSize - dataOffset else {
            throw Problem("entry \(entry.name) declares \(entry.compressedSize) bytes at offset \(dataOffset), "
                          + "beyond the end of the file (\(fileSize) bytes): truncated")
        }
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw Problem("stored entry \(entry.name) declares \(entry.uncompressedSize) bytes but occupies "
                              + "\(entry.compressedSize) (corrupt)")
            }
        } else {
            // Divided rather than multiplied, so that nothing overflows (compressedSize ≤ fileSize).
            guard entry.uncompressedSize / Self.maximumDeflateRatio <= entry.compressedSize + 1 else {
                throw Problem("entry \(entry.name) declares \(entry.uncompressedSize) bytes from \(entry.compressedSize) "
                              + "compressed bytes, more than deflate can produce (corrupt)")
            }
        }
        return dataOffset
    }
}
