import GameFormats
import Foundation

/// A JSON document with keys kept in insertion order, written deterministically. Non-finite
/// numbers, which JSON cannot hold, are written as the strings "inf" and "-inf".
enum JSONValue {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func optional(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
    static func optional(_ value: Int?) -> JSONValue { value.map { .int($0) } ?? .null }

    func serialized(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .number(let d):
            if d.isNaN { return "null" }
            if d.isInfinite { return d > 0 ? "\"inf\"" : "\"-inf\"" }
            if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
            return "\(d)"
        case .string(let s): return Self.quote(s)
        case .array(let values):
            if values.isEmpty { return "[]" }
            if values.allSatisfy({ if case .array = $0 { return false }; if case .object = $0 { return false }; return true }) {
                return "[" + values.map { $0.serialized() }.joined(separator: ", ") + "]"
            }
            return "[\n" + values.map { inner + $0.serialized(indent: indent + 1) }.joined(separator: ",\n") + "\n\(pad)]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { inner + Self.quote($0.0) + ": " + $0.1.serialized(indent: indent + 1) }
                .joined(separator: ",\n") + "\n\(pad)}"
        }
    }

    /// A JSON string literal, escaped as the game files are (GameFormats).
    static func quote(_ s: String) -> String { GameJSON.quoted(s) }
}
