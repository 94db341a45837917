/// A parsed JSON value together with the byte offset where it starts.
///
/// Numbers keep their text exactly as written, so that `1.1` can become the rational 11/10
/// rather than the nearest double.
struct JSONNode: Sendable {
    /// The kinds of JSON value.
    enum Value: Sendable {
        case object([JSONMember])
        case array([JSONNode])
        case string(String)
        /// The number's text as written (already checked against the JSON grammar).
        case number(String)
        case bool(Bool)
        case null
    }

    var value: Value
    /// Byte offset of the first character of the value.
    var offset: Int

    /// "an array", "a number", … for error messages.
    var kindDescription: String {
        switch value {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}

/// One `"key": value` member of a JSON object, in the order written.
struct JSONMember: Sendable {
    var key: String
    /// Byte offset of the key's opening quote.
    var keyOffset: Int
    var value: JSONNode
}

/// A small, strict JSON parser (RFC 8259) that reports errors with line and column.
///
/// Written by hand rather than using Foundation's `JSONSerialization` or `JSONDecoder`
/// because those turn every number into a `Double` (or `NSNumber`) and lose the digits as
/// written — we need `1.1` to mean exactly 11/10 — and because their errors do not give the
/// line and column of the problem. Beyond the RFC, it rejects duplicate object keys (the RFC
/// leaves their meaning open) and limits nesting to ``maximumDepth`` levels.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted (a game with N players needs N + 1).
    static let maximumDepth = 512

    let source: SourceText
    private var index = 0
    private var depth = 0

    init(source: SourceText) {
        self.source = source
    }

    private var bytes: [UInt8] { source.bytes }

    /// Parses the whole text as one JSON value followed only by whitespace.
    mutating func parseDocument() throws(GameFormatError) -> JSONNode {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count {
            throw source.error(at: index, "unexpected \(found(at: index)) after the end of the JSON value")
        }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws(GameFormatError) -> JSONNode {
        guard index < bytes.count else {
            throw source.error(at: index, "unexpected end of input, expected a JSON value")
        }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return JSONNode(value: .object(try parseObject()), offset: start)
        case UInt8(ascii: "["):
            return JSONNode(value: .array(try parseArray()), offset: start)
        case UInt8(ascii: "\""):
            return JSONNode(value: .string(try parseString()), offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(value: .number(try parseNumber()), offset: start)
        default:
            return JSONNode(value: try parseLiteral(), offset: start)
        }
    }

    private mutating func enter() throws(GameFormatError) {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw source.error(at: index, "JSON nested more than \(JSONParser.maximumDepth) levels deep")
        }
    }

    private mutating func parseObject() throws(GameFormatError) -> [JSONMember] {
        try enter()
        index += 1  // "{"
        var members: [JSONMember] = []
        var seen: Set<String> = []
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else {
                let what = members.isEmpty ? "expected a string key or '}' in object" : "expected a string key after ','"
                throw source.error(at: index, what + ", found " + found(at: index))
            }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else {
                throw source.error(at: index, "expected ':' after object key, found " + found(at: index))
            }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            guard seen.insert(key).inserted else {
                throw source.error(at: keyOffset, "duplicate key \"\(key)\" in object")
            }
            members.append(JSONMember(key: key, keyOffset: keyOffset, value: value))
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                index += 1
            } else if peek == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return members
            } else {
                throw source.error(at: index, "expected ',' or '}' in object, found " + found(at: index))
            }
        }
    }

    private mutating func parseArray() throws(GameFormatError) -> [JSONNode] {
        try enter()
        index += 1  // "["
        var items: [JSONNode] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return items
        }
        while true {
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                throw source.error(at: index, "expected a value after ',' (trailing commas are not allowed in JSON)")
            }
            items.append(try parseValue())
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                index += 1
            } else if peek == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return items
            } else {
                throw source.error(at: index, "expected ',' or ']' in array, found " + found(at: index))
            }
        }
    }

    /// Parses a string starting at its opening quote and returns its decoded content.
    private mutating func parseString() throws(GameFormatError) -> String {
        let open = index
        index += 1
        let contentStart = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = source.text(contentStart..<index)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacterError(byte) }
            index += 1
        }
        var buffer = Array(bytes[contentStart..<index])
        while true {
            guard index < bytes.count else {
                throw source.error(at: open, "unterminated string")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            }
            if byte < 0x20 { throw controlCharacterError(byte) }
            if byte != UInt8(ascii: "\\") {
                buffer.append(byte)
                index += 1
                continue
            }
            let escapeStart = index
            index += 1
            guard index < bytes.count else { throw source.error(at: open, "unterminated string") }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try parseUnicodeEscape(escapeStart: escapeStart)
                buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw source.error(at: escapeStart, "invalid escape '\\" + scalarText(at: escapeStart + 1) + "' in string")
            }
        }
    }

    /// Parses the hex digits after `\u` (index is just past the `u`), including a following
    /// low surrogate when the first is a high surrogate.
    private mutating func parseUnicodeEscape(escapeStart: Int) throws(GameFormatError) -> Unicode.Scalar {
        let high = try parseHex4(escapeStart: escapeStart)
        if (0xD800...0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw source.error(at: escapeStart, "invalid \\u escape: high surrogate without a low surrogate")
            }
            let lowStart = index
            index += 2
            let low = try parseHex4(escapeStart: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw source.error(at: lowStart, "invalid \\u escape: expected a low surrogate")
            }
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            return Unicode.Scalar(value)!  // in 0x10000...0x10FFFF by construction
        }
        if (0xDC00...0xDFFF).contains(high) {
            throw source.error(at: escapeStart, "invalid \\u escape: low surrogate without a high surrogate")
        }
        return Unicode.Scalar(high)!  // not a surrogate, so a valid scalar
    }

    private mutating func parseHex4(escapeStart: Int) throws(GameFormatError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = JSONParser.hexValue(bytes[index]) else {
                throw source.error(at: escapeStart, "invalid \\u escape: expected four hex digits")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private func controlCharacterError(_ byte: UInt8) -> GameFormatError {
        let code = String(byte, radix: 16, uppercase: true)
        let name = "U+" + String(repeating: "0", count: 4 - code.count) + code
        let hint = byte == 0x0A ? " (is a closing quote missing?)" : ""
        return source.error(at: index, "control character \(name) must be escaped in a string" + hint)
    }

    /// Parses a number by the JSON grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` and
    /// returns its text.
    private mutating func parseNumber() throws(GameFormatError) -> String {
        let start = index
        if peek == UInt8(ascii: "-") {
            index += 1
            if let byte = peek, !isDigit(byte) {
                if isLetter(byte) {
                    let word = wordText(from: index)
                    if TextSupport.isNonFiniteWord(word) {
                        throw source.error(at: start, nonFiniteMessage("-" + word))
                    }
                }
                throw source.error(at: index, "expected a digit after '-', found " + found(at: index))
            }
        }
        guard let first = peek else {
            throw source.error(at: index, "unexpected end of input in a number")
        }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek, isDigit(next) {
                throw source.error(at: start, "leading zeros are not allowed in JSON numbers")
            }
        } else {
            skipDigits()
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard let byte = peek, isDigit(byte) else {
                throw source.error(at: index, "expected a digit after '.' in a number, found " + found(at: index))
            }
            skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard let byte = peek, isDigit(byte) else {
                throw source.error(at: index, "expected a digit in the exponent of a number, found " + found(at: index))
            }
            skipDigits()
        }
        return source.text(start..<index)
    }

    /// `true`, `false`, `null`, or an error naming what was found.
    private mutating func parseLiteral() throws(GameFormatError) -> JSONNode.Value {
        let start = index
        guard let byte = peek, isLetter(byte) else {
            throw source.error(at: index, "expected a JSON value, found " + found(at: index))
        }
        let word = wordText(from: start)
        switch word {
        case "true": index += 4; return .bool(true)
        case "false": index += 5; return .bool(false)
        case "null": index += 4; return .null
        default:
            if TextSupport.isNonFiniteWord(word) { throw source.error(at: start, nonFiniteMessage(word)) }
            throw source.error(at: start, "expected a JSON value, found " + TextSupport.quoted(word))
        }
    }

    private func nonFiniteMessage(_ word: String) -> String {
        TextSupport.quoted(word) + " is not a valid JSON number; NaN and infinite payoffs are not allowed"
    }

    // MARK: - Characters

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while let byte = peek, isDigit(byte) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// The run of letters, digits, `_`, `.` and `#` starting at an offset (for messages).
    private func wordText(from start: Int) -> String {
        var end = start
        while end < bytes.count, end - start < 64 {
            let byte = bytes[end]
            guard isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "#") else { break }
            end += 1
        }
        return source.text(start..<end)
    }

    /// The one Unicode scalar starting at an offset (empty at the end).
    private func scalarText(at offset: Int) -> String {
        guard offset < bytes.count else { return "" }
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return source.text(offset..<end)
    }

    /// "'x'" for the character at an offset, or "end of input".
    private func found(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let text = scalarText(at: offset)
        switch text {
        case "\n": return "end of line"
        case "\t": return "a tab"
        case "\r": return "a carriage return"
        default: return "'" + text + "'"
        }
    }
}
