/// A problem with the inputs of a verification (files, shapes, values, options), as one line
/// that names the file, key and game where it applies.
public struct VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The one-line message.
    public var message: String

    /// Creates an error with a one-line message (newlines are replaced by spaces).
    public init(_ message: String) {
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    public var description: String { message }
}
