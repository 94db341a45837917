extension String {
    /// The text left-aligned in a column `width` characters wide: padded with spaces, never cut
    /// (Foundation's `padding(toLength:)` truncates longer text, which turned an exact rational
    /// such as 125000…/500000… into "12500000000000"); a longer value widens its own line.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
