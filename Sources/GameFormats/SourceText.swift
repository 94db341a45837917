internal import NormalFormGames

/// The bytes of a text being parsed, with what is needed to turn a byte offset into a
/// 1-based line and column for error messages.
///
/// Positions are kept as byte offsets while parsing (cheap), and converted to line and column
/// only when an error is reported.
struct SourceText: Sendable {
    /// UTF-8 bytes of the text, validated, without a leading byte-order mark.
    let bytes: [UInt8]
    /// The file name shown in errors, if any.
    let file: String?

    /// Wraps text that is already valid UTF-8 (a Swift `String`).
    init(text: String, file: String?) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: SourceText.byteOrderMark) { bytes.removeFirst(3) }
        self.bytes = bytes
        self.file = file
    }

    /// Wraps raw bytes, checking that they are UTF-8 and dropping a leading byte-order mark.
    init(bytes raw: [UInt8], file: String?) throws(GameFormatError) {
        var bytes = raw
        if bytes.starts(with: SourceText.byteOrderMark) { bytes.removeFirst(3) }
        if let bad = SourceText.firstInvalidUTF8Offset(in: bytes) {
            // Everything before `bad` is valid, so the location is well defined.
            let partial = SourceText(validBytes: bytes, file: file)
            throw partial.error(at: bad, "invalid UTF-8 (byte 0x" + String(bytes[bad], radix: 16, uppercase: true)
                                + "); game files must be UTF-8 text")
        }
        self.bytes = bytes
        self.file = file
    }

    private init(validBytes: [UInt8], file: String?) {
        self.bytes = validBytes
        self.file = file
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The offset of the first byte that does not start a valid UTF-8 sequence, or `nil`.
    static func firstInvalidUTF8Offset(in bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }

    /// The 1-based line and column of a byte offset (the offset may equal `bytes.count`, the
    /// end of the text). Columns count Unicode scalars.
    func location(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Count lead bytes only, so a multi-byte scalar is one column.
                column += 1
            }
            index += 1
        }
        return (line, column)
    }

    /// An error at a byte offset.
    func error(at offset: Int, _ message: String) -> GameFormatError {
        let (line, column) = location(of: offset)
        return GameFormatError(file: file, line: line, column: column, message: message)
    }

    /// The text of a byte range.
    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

/// Limits on one number written in a game file, JSON or `.nfg`, shared by both readers.
///
/// Numbers are read exactly, and exact arithmetic on a long literal costs time that grows
/// faster than its length (a 200,000-digit number took over a minute to read), so a number
/// beyond these limits is refused, with its file, line and column, before any arithmetic.
/// Both limits are far beyond what a double can tell apart (17 significant digits, exponents
/// from −324 to 308): they only stop absurd input.
public enum NumberLiteralLimits {
    /// The most digits one number may have: the digits of the integer part, the fraction and
    /// the exponent together (for `p/q`, of both), leading zeros included; signs, the point,
    /// `e` and `/` do not count. `0.5e-3` has 3.
    public static let maximumDigits = 1_000

    /// The largest exponent magnitude a number may be written with: `1e10000` and `1e-10000`
    /// are read (exactly, as 10^±10000), `1e10001` is refused. A larger exponent would make
    /// a rational whose numerator or denominator alone has more than 10,000 digits.
    public static let maximumExponent = 10_000
}

/// Helpers shared by the readers and writers.
enum TextSupport {
    /// A short, quoted rendering of some text for an error message (at most 40 characters).
    static func quoted(_ text: String) -> String {
        let limit = 40
        if text.count <= limit { return "'" + text + "'" }
        return "'" + String(text.prefix(limit)) + "…'"
    }

    /// Whether `text`, after an optional sign, spells NaN or an infinity in some common way.
    static func isNonFiniteWord(_ text: String) -> Bool {
        var body = Substring(text.lowercased())
        if let first = body.first, first == "+" || first == "-" { body = body.dropFirst() }
        return ["nan", "inf", "infinity", "infinite", "1.#inf", "1.#ind", "1.#qnan"].contains(String(body))
            || body.hasPrefix("nan(")
    }

    /// Why a number literal is refused before any arithmetic is done on it (see
    /// ``NumberLiteralLimits``), as a phrase to follow the quoted number, or `nil` when it is
    /// within the limits. Text that is not shaped like a number (any character other than
    /// digits, signs, `.`, `/`, `e` and `E`) gets `nil` too, for the reader to reject in its own
    /// words.
    /// - Complexity: O(length of the text).
    static func literalProblem(_ text: String) -> String? {
        var digits = 0
        var exponentMarker: String.UTF8View.Index?
        var hasSlash = false
        for index in text.utf8.indices {
            switch text.utf8[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."): continue
            case UInt8(ascii: "/"): hasSlash = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): exponentMarker = index
            default: return nil
            }
        }
        let limit = NumberLiteralLimits.maximumDigits
        if digits > limit {
            return "has \(digits) digits, more than the \(limit) a number may have"
        }
        guard !hasSlash, let marker = exponentMarker else { return nil }
        var exponent = text.utf8[text.utf8.index(after: marker)...]
        if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
        let significant = exponent.drop(while: { $0 == UInt8(ascii: "0") })
        guard significant.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let maximum = NumberLiteralLimits.maximumExponent
        if significant.count > String(maximum).utf8.count || (Int(String(decoding: significant, as: UTF8.self)) ?? 0) > maximum {
            return "is out of range (its exponent is beyond ±\(maximum))"
        }
        return nil
    }

    /// Parses an exact number from text: an integer, a decimal (with optional exponent) or
    /// `p/q`. Plain integers of up to 18 digits take a fast path; everything else goes to
    /// `Rational(exactly:)`. Text that ``literalProblem(_:)`` refuses gives `nil` (callers that
    /// report errors ask it first, to say why).
    static func rational(_ text: String) -> Rational? {
        if literalProblem(text) != nil { return nil }
        let utf8 = text.utf8
        if utf8.count <= 18, !utf8.isEmpty,
           utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") }),
           let value = Int(text) {
            return Rational(value)
        }
        return Rational(exactly: text)
    }

    /// The double nearest to an exact number parsed from `text`.
    ///
    /// Decimal text goes through `Double(text)` (correctly rounded by the C library's `strtod`,
    /// subnormals included); `p/q` goes through ``nearestDouble(_:)``. Zero is always `+0.0`.
    static func double(of value: Rational, text: String) -> Double {
        if value.isZero { return 0 }
        if !text.contains("/"), let parsed = Double(text) { return parsed }
        return nearestDouble(value)
    }

    /// The double nearest to a rational.
    ///
    /// `Rational.doubleValue` scales its 64-bit quotient by a power of two that underflows to
    /// zero when the result is below about 2^-1011, so `5e-324` or `2.2250738585072014e-308`
    /// would become 0. For such tiny values the rational is scaled up by 2^1100 first and the
    /// double scaled back down, which is exact for normal results (a subnormal result may be
    /// rounded twice).
    static func nearestDouble(_ value: Rational) -> Double {
        let direct = value.doubleValue
        if value.isZero || !direct.isFinite || direct.magnitude >= 0x1p-960 { return direct }
        var scaled = value
        for _ in 0..<20 { scaled *= Rational(1 << 55) }  // × 2^1100
        // Scale back in two exact-or-once-rounded steps (2^-1100 itself is not a double).
        return scaled.doubleValue * 0x1p-550 * 0x1p-550
    }

    /// The most fractional digits a rational may need to be written as a plain decimal.
    static let maximumDecimalDigits = 18

    /// Exact text for a rational: an integer (`-3`), a plain decimal when the value is a
    /// finite decimal with at most ``maximumDecimalDigits`` fractional digits (`1.1`,
    /// `-0.25`), and `p/q` otherwise (`1/3`). `isPlainNumber` is false only for `p/q`.
    static func exactText(_ value: Rational) -> (text: String, isPlainNumber: Bool) {
        if value.isInteger { return (value.description, true) }
        var scaled = value.magnitude
        var digits = 0
        while !scaled.isInteger && digits < maximumDecimalDigits {
            scaled *= 10
            digits += 1
        }
        guard scaled.isInteger else { return (value.description, false) }
        var integerText = scaled.description
        if integerText.count <= digits {
            integerText = String(repeating: "0", count: digits + 1 - integerText.count) + integerText
        }
        let split = integerText.index(integerText.endIndex, offsetBy: -digits)
        let sign = value.signum < 0 ? "-" : ""
        return (sign + String(integerText[..<split]) + "." + String(integerText[split...]), true)
    }

    /// Shortest round-trip text for a finite double that both JSON and Gambit read: Swift's
    /// `description`, with `-0.0` written as `0.0` and exponents without `+` (`1e20`, not
    /// `1e+20`, which Gambit rejects).
    /// - Precondition: `value.isFinite`.
    static func doubleText(_ value: Double) -> String {
        precondition(value.isFinite, "cannot write the non-finite value \(value)")
        if value == 0 { return "0.0" }
        var text = value.description
        if let plus = text.firstIndex(of: "+") { text.remove(at: plus) }  // only ever in "e+"
        return text
    }
}
