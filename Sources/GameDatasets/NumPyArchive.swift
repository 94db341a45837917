public import Foundation
import ZIPFoundation

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
    }

    public var elementType: ElementType
    public var shape: [Int]
    /// The raw element bytes, C order, little-endian.
    public var payload: Data

    public init(float64 values: [Double], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the element count")
        elementType = .float64
        self.shape = shape
        var data = Data(capacity: values.count * 8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        payload = data
    }

    public init(int64 values: [Int64], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the element count")
        elementType = .int64
        self.shape = shape
        var data = Data(capacity: values.count * 8)
        for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        payload = data
    }

    public init(int32 values: [Int32], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the element count")
        elementType = .int32
        self.shape = shape
        var data = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        payload = data
    }

    public init(uint64 values: [UInt64], shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the element count")
        elementType = .uint64
        self.shape = shape
        var data = Data(capacity: values.count * 8)
        for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        payload = data
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
        var data = Data(capacity: values.count * width * 4)
        for s in values {
            var count = 0
            for scalar in s.unicodeScalars {
                withUnsafeBytes(of: scalar.value.littleEndian) { data.append(contentsOf: $0) }
                count += 1
            }
            data.append(contentsOf: [UInt8](repeating: 0, count: (width - count) * 4))
        }
        payload = data
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
            let archive = try Archive(url: temporary, accessMode: .create)
            // 1980-01-01, the earliest date a zip entry can hold: reproducible bytes.
            let date = Date(timeIntervalSince1970: 315_532_800)
            for (name, array) in arrays {
                let data = array.fileData
                try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(data.count),
                                     modificationDate: date, permissions: 0o644, compressionMethod: .none) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
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

extension NumPyArray {
    /// Parses a `.npy` file of one of the element types this type writes.
    public init(fileData data: Data) throws(NumPyArchiveError) {
        func fail(_ message: String) -> NumPyArchiveError { NumPyArchiveError(path: "", message: message) }
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw fail("not a .npy array (bad magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let start: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        } else if major == 2 || major == 3, bytes.count >= 12 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        } else {
            throw fail("unsupported .npy version \(major)")
        }
        guard data.count >= start + headerLength else { throw fail("truncated .npy header") }
        let header = String(decoding: data[data.startIndex + start..<data.startIndex + start + headerLength], as: UTF8.self)
        func value(of key: String) -> String? {
            guard let range = header.range(of: "'\(key)':") else { return nil }
            return String(header[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrText = value(of: "descr"), let quote = descrText.dropFirst().firstIndex(of: "'") else {
            throw fail("the .npy header has no descr")
        }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<quote])
        guard value(of: "fortran_order")?.hasPrefix("False") == true else { throw fail("Fortran-order arrays are not supported") }
        guard let shapeText = value(of: "shape"), let open = shapeText.firstIndex(of: "("),
              let close = shapeText.firstIndex(of: ")") else { throw fail("the .npy header has no shape") }
        var shape: [Int] = []
        for part in shapeText[shapeText.index(after: open)..<close].split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let n = Int(t), n >= 0 else { throw fail("bad shape entry '\(t)'") }
            shape.append(n)
        }
        let elementType: ElementType
        let size: Int
        switch descr {
        case "<f8": elementType = .float64; size = 8
        case "<f4": elementType = .float32; size = 4
        case "<i8": elementType = .int64; size = 8
        case "<i4": elementType = .int32; size = 4
        case "<u8": elementType = .uint64; size = 8
        case "|u1": elementType = .uint8; size = 1
        case "|b1": elementType = .bool; size = 1
        default:
            if descr.hasPrefix("<U"), let width = Int(descr.dropFirst(2)) {
                elementType = .unicode(width: width); size = 4 * width
            } else {
                throw fail("unsupported element type \(descr)")
            }
        }
        let count = shape.reduce(1, *)
        let payloadStart = data.startIndex + start + headerLength
        guard data.count - start - headerLength == count * size else {
            throw fail("the .npy data has \(data.count - start - headerLength) bytes, expected \(count * size) (truncated?)")
        }
        self.elementType = elementType
        self.shape = shape
        self.payload = Data(data[payloadStart...])
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

    /// The arrays stacked along a new leading axis... or concatenated along axis 0 (same element
    /// type and trailing shape required).
    public static func concatenated(_ arrays: [NumPyArray]) throws(NumPyArchiveError) -> NumPyArray {
        guard let first = arrays.first else { throw NumPyArchiveError(path: "", message: "nothing to concatenate") }
        var payload = Data()
        var rows = 0
        var width = 0
        if case .unicode = first.elementType {
            width = arrays.map { if case .unicode(let w) = $0.elementType { return w } else { return 0 } }.max()!
        }
        for a in arrays {
            guard a.shape.count >= 1, Array(a.shape.dropFirst()) == Array(first.shape.dropFirst()) else {
                throw NumPyArchiveError(path: "", message: "arrays of shapes \(first.shape) and \(a.shape) cannot be concatenated")
            }
            switch (a.elementType, first.elementType) {
            case (.unicode(let w), .unicode):
                // Re-pad strings to the common width.
                let strings = a.strings!
                payload.append(NumPyArray(strings: strings.map { $0 }, shape: [strings.count]).padded(to: width).payload)
                _ = w
            default:
                guard a.elementType == first.elementType else {
                    throw NumPyArchiveError(path: "", message: "arrays of types \(first.elementType) and \(a.elementType) cannot be concatenated")
                }
                payload.append(a.payload)
            }
            rows += a.shape[0]
        }
        var result = first
        result.shape = [rows] + first.shape.dropFirst()
        result.payload = payload
        if width > 0 { result.elementType = .unicode(width: width) }
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
    /// Reads every array of an `.npz` archive, checking each entry's CRC; a truncated or corrupt
    /// archive is an error naming the file.
    public static func read(_ url: URL) throws(NumPyArchiveError) -> [String: NumPyArray] {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw NumPyArchiveError(path: url.path, message: "not a readable .npz archive (\(error))")
        }
        var result: [String: NumPyArray] = [:]
        for entry in archive {
            guard entry.path.hasSuffix(".npy") else { continue }
            var data = Data()
            let computed: CRC32
            do {
                computed = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            } catch {
                throw NumPyArchiveError(path: url.path, message: "entry \(entry.path) is corrupt (\(error))")
            }
            // ZIPFoundation computes the checksum but leaves the comparison to the caller.
            guard computed == entry.checksum else {
                throw NumPyArchiveError(path: url.path, message: "entry \(entry.path) fails its CRC-32 check (corrupt)")
            }
            do {
                result[String(entry.path.dropLast(4))] = try NumPyArray(fileData: data)
            } catch {
                throw NumPyArchiveError(path: url.path, message: "entry \(entry.path): \(error.message)")
            }
        }
        return result
    }
}
