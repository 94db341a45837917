public import Foundation
import ZIPFoundation

/// One array in NumPy's `.npy` format (version 1.0, or 2.0 when the header needs it):
/// little-endian data in C order, with a header `numpy.load` reads without pickles.
public struct NumPyArray: Sendable, Equatable {
    /// The element types written here.
    public enum ElementType: Sendable, Equatable {
        case float64, int64, int32, uint8, bool
        /// Fixed-width Unicode strings (`<U{width}`, UTF-32 code units).
        case unicode(width: Int)

        var descriptor: String {
            switch self {
            case .float64: return "<f8"
            case .int64: return "<i8"
            case .int32: return "<i4"
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
