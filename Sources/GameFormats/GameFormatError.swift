/// A problem reading or writing a game file: where it is and what is wrong.
///
/// The ``description`` is always a single line, in the form compilers use:
/// `game.json:3:17: expected ',' or ']' in array`. Parts that are not known are left out, so
/// an error in text without a file name reads `3:17: …`, and an error about a whole file (for
/// example one that does not exist) reads `game.json: …`. Lines and columns are 1-based; a
/// column counts Unicode scalars (characters, for ordinary text) from the start of the line,
/// and lines are separated by `\n`.
public struct GameFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the error is in, as the caller named it, if known.
    public var file: String?
    /// The 1-based line of the problem, if it has a position.
    public var line: Int?
    /// The 1-based column of the problem, if it has a position.
    public var column: Int?
    /// What is wrong, without the location.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - file: The file name to show, if any.
    ///   - line: The 1-based line, if known.
    ///   - column: The 1-based column, if known (only shown together with `line`).
    ///   - message: The problem, in a short phrase.
    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message` on one line; control characters (such as newlines in a
    /// quoted label) are shown escaped so the text never spans lines.
    public var description: String {
        var location: [String] = []
        if let file { location.append(file) }
        if let line {
            location.append(String(line))
            if let column { location.append(String(column)) }
        }
        let text = message.isEmpty ? "invalid game file" : message
        return GameFormatError.oneLine(location.isEmpty ? text : location.joined(separator: ":") + ": " + text)
    }

    /// Replaces control characters with visible escapes.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if isControl(scalar) {
                    result += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
            || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
