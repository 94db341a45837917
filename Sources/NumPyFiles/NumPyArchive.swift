public import Foundation

/// One array in NumPy's `.npy` format (version 1.0, or 2.0 when the header needs it):
/// little-endian data in C order, with a header `numpy.load` reads without pickles.
public struct NumPyArray: Sendable, Equatable {
    /// The element types written here.
    public enum ElementType: Sendable, Equatable {
        case float64, int64, int32, uint64, uint8, bool
        /// Read only (JAX writes float32); ``NumPyArray/doubles`` widens it exactly.
        case float32
        /// Fixed-width Unicode strings (`<U{width}`, UTF-32 code units).
        case unicode(width: Int)

        var descriptor: String {
            switch self {
            case .float64: return "<f8"
            case .float32: return "<f4"
            case .int64: return "<i8"
            case .int32: return "<i4"
            case .uint64: return "<u8"
            case .uint8: return "|u1"
            case .bool: return "|b1"
            case .unicode(let width): return "<U\(width)"
            }
        }

        /// Bytes per element (`nil` for a string width whose byte count overflows).
        var byteSize: Int? {
            switch self {
            case .float64, .int64, .uint64: return 8
            case .float32, .int32: return 4
            case .uint8, .bool: return 1
            case .unicode(let width):
                let (bytes, overflow) = width.multipliedReportingOverflow(by: 4)
                return overflow || width < 1 ? nil : bytes
            }
        }
    }

    public var elementType: ElementType
    public var shape: [Int]
    /// The raw element bytes, C order, little-endian.
    public var payload: Data

    public init(float64 values: [Double], shape: [Int]) {
        self.init(.float64, shape: shape, littleEndian: values.map(\.bitPattern))
    }

    /// An array of fixed-width integers (or a float's bit patterns), written little-endian.
    private init<T: FixedWidthInteger>(_ type: ElementType, shape: [Int], littleEndian values: [T]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the element count")
        elementType = type
        self.shape = shape
        // One copy of the whole buffer (byte-swapped first on a big-endian host): appending element
        // by element cost a batch's chunk writer more than a tenth of the run's CPU time.
        #if _endian(little)
        payload = values.withUnsafeBytes { Data($0) }
        #else
        payload = values.map(\.littleEndian).withUnsafeBytes { Data($0) }
        #endif
    }

    public init(int64 values: [Int64], shape: [Int]) {
        self.init(.int64, shape: shape, littleEndian: values)
    }

    public init(int32 values: [Int32], shape: [Int]) {
        self.init(.int32, shape: shape, littleEndian: values)
    }

    public init(uint64 values: [UInt64], shape: [Int]) {
        self.init(.uint64, shape: shape, littleEndian: values)
    }

    public init(bool values: [Bool], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the element count")
        elementType = .bool
        self.shape = shape
        payload = Data(values.map { $0 ? 1 : 0 })
    }

    public init(uint8 values: [UInt8], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the element count")
        elementType = .uint8
        self.shape = shape
        payload = Data(values)
    }

    /// Strings, padded to the longest (at least one code unit wide, as NumPy requires).
    public init(strings values: [String], shape: [Int]? = nil) {
        let shape = shape ?? [values.count]
        precondition(shape.reduce(1, *) == values.count, "shape does not match the element count")
        let width = max(1, values.map { $0.unicodeScalars.count }.max() ?? 1)
        elementType = .unicode(width: width)
        self.shape = shape
        // Code points padded with zeros to `width` per string, in one buffer.
        var codes = [UInt32](repeating: 0, count: values.count * width)
        for (k, s) in values.enumerated() {
            for (c, scalar) in s.unicodeScalars.enumerated() { codes[k * width + c] = scalar.value.littleEndian }
        }
        payload = codes.withUnsafeBytes { Data($0) }
    }

    /// The complete `.npy` file.
    public var fileData: Data {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(elementType.descriptor)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Version 1.0 has a 2-byte header length; 2.0 a 4-byte one. Pad so the data is 64-aligned.
        let large = header.utf8.count + 1 + 12 > 65_535
        let prefix = large ? 12 : 10
        let padding = (64 - (prefix + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [large ? 2 : 1, 0])
        let length = header.utf8.count
        if large {
            withUnsafeBytes(of: UInt32(length).littleEndian) { data.append(contentsOf: $0) }
        } else {
            withUnsafeBytes(of: UInt16(length).littleEndian) { data.append(contentsOf: $0) }
        }
        data.append(contentsOf: Array(header.utf8))
        data.append(payload)
        return data
    }
}

/// A problem writing an archive, naming the file.
public struct NumPyArchiveError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// Writes `.npz` archives (a zip of `.npy` files, what `numpy.savez` writes): stored entries,
/// a fixed timestamp so that the same arrays always give the same bytes, written to a temporary
/// file in the same directory and renamed into place, so a reader never sees a partial archive.
public enum NumPyArchive {
    /// Writes `arrays` (name → array, in the given order; names without `.npy`) to `url`.
    public static func write(_ arrays: [(name: String, array: NumPyArray)], to url: URL) throws(NumPyArchiveError) {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
        try? FileManager.default.removeItem(at: temporary)
        do {
            var archive = try StoredZipWriter(url: temporary)
            do {
                for (name, array) in arrays { try archive.add(name: name + ".npy", data: array.fileData) }
                try archive.finish()
            } catch {
                archive.abandon()
                throw error
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw NumPyArchiveError(path: url.path, message: "cannot write the archive (\(error))")
        }
        // rename(2) replaces the target atomically.
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw NumPyArchiveError(path: url.path, message: "cannot move the finished archive into place (\(reason))")
        }
    }
}

/// What a `.npy` header declares, checked before any element data is read or allocated: the
/// version and header length, a supported element type, a C-order shape of non-negative
/// dimensions, and a data size that fits in an `Int` (every multiplication checked).
struct NumPyHeader: Sendable, Equatable {
    /// The longest header accepted, 1 MiB. NumPy itself refuses headers above 10,000 bytes
    /// unless told otherwise; this reader allows more (a header can list many dimensions), but a
    /// version 2 header may declare up to 4 GiB, which is refused before its bytes are collected.
    static let maximumHeaderLength = 1 << 20

    var elementType: NumPyArray.ElementType
    var shape: [Int]
    /// Offset of the first element byte from the start of the file.
    var dataOffset: Int
    /// The element bytes the shape and type need.
    var payloadByteCount: Int
    /// `dataOffset + payloadByteCount` (checked not to overflow).
    var fileByteCount: Int

    /// The shape as NumPy writes it, `(2, 3)`, `(4,)` or `()`, for messages.
    static func shapeText(_ shape: [Int]) -> String {
        switch shape.count {
        case 0: return "()"
        case 1: return "(\(shape[0]),)"
        default: return "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
    }

    /// The bytes an array of `shape` with elements of `elementSize` bytes needs, or `nil` when a
    /// dimension is negative or the count overflows an `Int`. The product of the non-zero
    /// dimensions must fit even when some dimension is 0, so that every partial product of the
    /// shape (`shape.reduce(1, *)` in any order) is safe.
    static func byteCount(shape: [Int], elementSize: Int) -> Int? {
        guard elementSize >= 1 else { return nil }
        var product = elementSize
        var empty = false
        for n in shape {
            guard n >= 0 else { return nil }
            if n == 0 {
                empty = true
                continue
            }
            let (next, overflow) = product.multipliedReportingOverflow(by: n)
            guard !overflow else { return nil }
            product = next
        }
        return empty ? 0 : product
    }

    /// Parses the header at the start of `prefix`, the first bytes of a `.npy` file.
    ///
    /// Returns `nil` when `prefix` ends before the header does and `complete` is false (more
    /// bytes may come); with `complete` true that is an error (a truncated file).
    static func parse(_ prefix: Data, complete: Bool) throws(NumPyArchiveError) -> NumPyHeader? {
        func fail(_ message: String) -> NumPyArchiveError { NumPyArchiveError(path: "", message: message) }
        let magicBytes: [UInt8] = [0x93] + Array("NUMPY".utf8)
        let magic = [UInt8](prefix.prefix(8))
        let known = min(magic.count, magicBytes.count)
        guard Array(magic[0..<known]) == Array(magicBytes[0..<known]) else { throw fail("not a .npy array (bad magic)") }
        guard magic.count == 8 else {
            if complete { throw fail("not a .npy array (\(prefix.count) bytes, too short for a header)") }
            return nil
        }
        let major = magic[6]
        guard major == 1 || major == 2 || major == 3 else {
            throw fail("unsupported .npy version \(major).\(magic[7])")
        }
        let start = major == 1 ? 10 : 12
        let lengthBytes = [UInt8](prefix.prefix(start))
        guard lengthBytes.count == start else {
            if complete { throw fail("truncated .npy header") }
            return nil
        }
        var headerLength = 0
        for (k, byte) in lengthBytes[8..<start].enumerated() { headerLength |= Int(byte) << (8 * k) }
        guard headerLength <= maximumHeaderLength else {
            throw fail("the .npy header claims \(headerLength) bytes, more than the \(maximumHeaderLength) accepted")
        }
        guard prefix.count >= start + headerLength else {
            if complete { throw fail("truncated .npy header (\(headerLength) bytes declared, \(prefix.count - start) present)") }
            return nil
        }
        let headerStart = prefix.startIndex + start
        let header = String(decoding: prefix[headerStart..<headerStart + headerLength], as: UTF8.self)
        func value(of key: String) -> Substring? {
            guard let range = header.range(of: "'\(key)':") else { return nil }
            return header[range.upperBound...].drop(while: { $0 == " " })
        }
        guard let descrText = value(of: "descr"), descrText.first == "'",
              let quote = descrText.dropFirst().firstIndex(of: "'") else {
            throw fail("the .npy header has no descr")
        }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<quote])
        guard value(of: "fortran_order")?.hasPrefix("False") == true else { throw fail("Fortran-order arrays are not supported") }
        guard let shapeField = value(of: "shape"), shapeField.first == "(", let close = shapeField.firstIndex(of: ")") else {
            throw fail("the .npy header has no shape")
        }
        let shape = try dimensions(shapeField[shapeField.index(after: shapeField.startIndex)..<close])
        let (elementType, size) = try elementTypeAndSize(descr: descr)
        guard let payload = byteCount(shape: shape, elementSize: size) else {
            throw fail("shape \(shapeText(shape)) of \(descr) is too large: its byte count (× \(size) bytes per element) "
                       + "overflows a 64-bit integer")
        }
        let (total, overflow) = (start + headerLength).addingReportingOverflow(payload)
        guard !overflow else {
            throw fail("shape \(shapeText(shape)) of \(descr) is too large: header and data overflow a 64-bit size")
        }
        return NumPyHeader(elementType: elementType, shape: shape, dataOffset: start + headerLength,
                           payloadByteCount: payload, fileByteCount: total)
    }

    /// The dimensions of a `shape` field's text between its parentheses, e.g. `2, 3` or `4,`.
    private static func dimensions(_ text: Substring) throws(NumPyArchiveError) -> [Int] {
        func fail(_ message: String) -> NumPyArchiveError { NumPyArchiveError(path: "", message: message) }
        var shape: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard t.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let n = Int(t) else {
                let shown = t.count > 40 ? String(t.prefix(40)) + "…" : t
                throw fail(t.hasPrefix("-") ? "shape entry \(shown) is negative"
                           : "shape entry '\(shown)' is not a dimension (a non-negative 64-bit integer)")
            }
            shape.append(n)
        }
        return shape
    }

    /// The element type of a `descr` and its size in bytes (`<U`n: 4n).
    private static func elementTypeAndSize(descr: String) throws(NumPyArchiveError) -> (NumPyArray.ElementType, Int) {
        func fail(_ message: String) -> NumPyArchiveError { NumPyArchiveError(path: "", message: message) }
        switch descr {
        case "<f8": return (.float64, 8)
        case "<f4": return (.float32, 4)
        case "<i8": return (.int64, 8)
        case "<i4": return (.int32, 4)
        case "<u8": return (.uint64, 8)
        case "|u1": return (.uint8, 1)
        case "|b1": return (.bool, 1)
        default:
            let digits = descr.dropFirst(2)
            guard descr.hasPrefix("<U"), !digits.isEmpty,
                  digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw fail("unsupported element type \(descr.count > 40 ? String(descr.prefix(40)) + "…" : descr)")
            }
            // NumPy never writes `<U0`; a width of 0 would let any shape pass with no data.
            guard let width = Int(digits), width >= 1 else {
                throw fail("string width \(digits.count > 40 ? String(digits.prefix(40)) + "…" : String(digits)) "
                           + "is not a positive 64-bit integer")
            }
            let (bytes, overflow) = width.multipliedReportingOverflow(by: 4)
            guard !overflow else { throw fail("string width \(width) is too large (\(width) × 4 bytes overflows)") }
            return (.unicode(width: width), bytes)
        }
    }

    /// The error when the data present is not what the header declares.
    func sizeMismatch(present: UInt64) -> NumPyArchiveError {
        NumPyArchiveError(path: "", message: "shape \(NumPyHeader.shapeText(shape)) of \(elementType.descriptor) needs "
                          + "\(payloadByteCount) data bytes, but the array holds "
                          + "\(present >= UInt64(dataOffset) ? String(present - UInt64(dataOffset)) : "none (it ends inside the header)")"
                          + " (truncated or inconsistent)")
    }
}

extension NumPyArray {
    /// Parses a `.npy` file of one of the element types this type writes. The header is checked
    /// (``NumPyHeader``) and its byte count compared with the data before anything is copied.
    public init(fileData data: Data) throws(NumPyArchiveError) {
        guard let header = try NumPyHeader.parse(data, complete: true) else {
            throw NumPyArchiveError(path: "", message: "truncated .npy header")
        }
        guard data.count == header.fileByteCount else { throw header.sizeMismatch(present: UInt64(data.count)) }
        self.elementType = header.elementType
        self.shape = header.shape
        self.payload = Data(data[(data.startIndex + header.dataOffset)...])
    }

    public var elementCount: Int { shape.reduce(1, *) }

    /// The elements as doubles (float32 widened exactly); `nil` for other element types.
    public var doubles: [Double]? {
        if elementType == .float32 {
            return payload.withUnsafeBytes { raw in
                (0..<elementCount).map {
                    Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))))
                }
            }
        }
        guard elementType == .float64 else { return nil }
        return payload.withUnsafeBytes { raw in
            (0..<elementCount).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }

    public var int64s: [Int64]? {
        guard elementType == .int64 else { return nil }
        return payload.withUnsafeBytes { raw in
            (0..<elementCount).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        }
    }

    public var bools: [Bool]? {
        guard elementType == .bool else { return nil }
        return payload.map { $0 != 0 }
    }

    public var strings: [String]? {
        guard case .unicode(let width) = elementType else { return nil }
        return payload.withUnsafeBytes { raw in
            (0..<elementCount).map { k in
                var scalars = String.UnicodeScalarView()
                for c in 0..<width {
                    let v = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: (k * width + c) * 4, as: UInt32.self))
                    if v == 0 { break }
                    if let s = Unicode.Scalar(v) { scalars.append(s) }
                }
                return String(scalars)
            }
        }
    }

    /// The arrays concatenated along axis 0 (same element type and trailing shape required).
    /// Strings are re-padded to the longest string any of them holds (not the widest declared
    /// width, which an empty array could set to anything).
    public static func concatenated(_ arrays: [NumPyArray]) throws(NumPyArchiveError) -> NumPyArray {
        guard let first = arrays.first else { throw NumPyArchiveError(path: "", message: "nothing to concatenate") }
        var rows = 0
        var width = 0
        var decoded: [[String]] = []
        if case .unicode = first.elementType {
            decoded = arrays.map { $0.strings ?? [] }
            width = max(1, decoded.lazy.flatMap { $0 }.map { $0.unicodeScalars.count }.max() ?? 1)
        }
        for a in arrays {
            guard a.shape.count >= 1, Array(a.shape.dropFirst()) == Array(first.shape.dropFirst()) else {
                throw NumPyArchiveError(path: "", message: "arrays of shapes \(first.shape) and \(a.shape) cannot be concatenated")
            }
            switch (a.elementType, first.elementType) {
            case (.unicode, .unicode): break
            default:
                guard a.elementType == first.elementType else {
                    throw NumPyArchiveError(path: "", message: "arrays of types \(first.elementType) and \(a.elementType) cannot be concatenated")
                }
            }
            let (sum, overflow) = rows.addingReportingOverflow(a.shape[0])
            guard !overflow else { throw NumPyArchiveError(path: "", message: "the concatenated arrays have too many rows") }
            rows = sum
        }
        let shape = [rows] + first.shape.dropFirst()
        var elementType = first.elementType
        if width > 0 { elementType = .unicode(width: width) }
        guard let elementSize = elementType.byteSize, NumPyHeader.byteCount(shape: shape, elementSize: elementSize) != nil else {
            throw NumPyArchiveError(path: "", message: "the concatenated array of shape \(NumPyHeader.shapeText(shape)) is too large")
        }
        var payload = Data()
        if decoded.isEmpty {
            for a in arrays { payload.append(a.payload) }
        } else {
            for strings in decoded {
                payload.append(NumPyArray(strings: strings, shape: [strings.count]).padded(to: width).payload)
            }
        }
        var result = first
        result.shape = shape
        result.payload = payload
        result.elementType = elementType
        return result
    }

    private func padded(to width: Int) -> NumPyArray {
        guard case .unicode(let w) = elementType, w < width else { return self }
        var data = Data(capacity: elementCount * width * 4)
        for k in 0..<elementCount {
            data.append(payload[payload.startIndex + k * w * 4..<payload.startIndex + (k + 1) * w * 4])
            data.append(contentsOf: [UInt8](repeating: 0, count: (width - w) * 4))
        }
        var copy = self
        copy.payload = data
        copy.elementType = .unicode(width: width)
        return copy
    }
}

extension NumPyArchive {
    /// Reads every array of an `.npz` archive, checking each entry's CRC; a truncated, corrupt or
    /// inconsistent archive is an error naming the file and the entry.
    ///
    /// Nothing is allocated that the file does not back: each entry's `.npy` header is read and
    /// checked (``NumPyHeader``) from its first bytes, and its declared size must equal the
    /// size the entry holds, before the rest of the entry is read.
    public static func read(_ url: URL) throws(NumPyArchiveError) -> [String: NumPyArray] {
        let reader: ZipEntryReader
        do {
            reader = try ZipEntryReader(path: url.path)
        } catch {
            throw NumPyArchiveError(path: url.path, message: "not a readable .npz archive (\(error.message))")
        }
        var result: [String: NumPyArray] = [:]
        for entry in reader.entries where entry.name.hasSuffix(".npy") {
            var data = Data()
            var header: NumPyHeader?
            do {
                try reader.read(entry) { chunk in
                    data.append(chunk)
                    guard header == nil, let parsed = try NumPyHeader.parse(data, complete: false) else { return }
                    guard UInt64(parsed.fileByteCount) == entry.uncompressedSize else {
                        throw parsed.sizeMismatch(present: entry.uncompressedSize)
                    }
                    header = parsed
                    // A stored entry's size is backed by the file; a deflated one's only once inflated.
                    if entry.method == 0 { data.reserveCapacity(parsed.fileByteCount) }
                }
            } catch let error as NumPyArchiveError {
                throw NumPyArchiveError(path: url.path, message: "entry \(entry.name): \(error.message)")
            } catch let error as ZipEntryReader.Problem {
                throw NumPyArchiveError(path: url.path, message: error.message)
            } catch {
                throw NumPyArchiveError(path: url.path, message: "entry \(entry.name) is corrupt (\(error))")
            }
            do {
                result[String(entry.name.dropLast(4))] = try NumPyArray(fileData: data)
            } catch {
                throw NumPyArchiveError(path: url.path, message: "entry \(entry.name): \(error.message)")
            }
        }
        return result
    }
}
