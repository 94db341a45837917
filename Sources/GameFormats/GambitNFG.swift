public import NormalFormGames

/// Reads and writes Gambit strategic-game files (`.nfg`, version 1), as described in
/// docs/gamut.md part B.
///
/// Both bodies are supported, with either strategy form (counts `{ 2 2 }` or nested labels
/// `{ { "a" "b" } { "c" "d" } }`):
///
/// ```
/// NFG 1 R "Chicken" { "Row" "Column" } { 2 2 }
///
/// 0 0
/// 2 7
/// 7 2
/// 6 6
/// ```
///
/// ```
/// NFG 1 R "Chicken" { "Row" "Column" } { { "Dare" "Chicken" } { "Dare" "Chicken" } }
///
/// {
/// { "1" 0, 0 }
/// { "2" 2, 7 }
/// { "3" 7, 2 }
/// { "4" 6, 6 }
/// }
/// 1 2 3 4
/// ```
///
/// Profiles are listed with **player 1's strategy varying fastest**; in memory
/// (``NormalFormGame``) player N's action varies fastest. The reader and writer convert.
///
/// Reading follows Gambit's own reader (16.3 and later): `R` and `D` are both accepted and
/// both read exactly (`1.1` is 11/10); the payoff list must have exactly N·|A| numbers and
/// the outcome version exactly |A| indices, followed by the end of the file; index 0 is the
/// null outcome (all payoffs 0); commas between an outcome's payoffs are optional. Numbers
/// may be integers, decimals with an optional exponent, or `p/q`. Unlike Gambit, a leading
/// `+` and an exponent sign `e+` are accepted. `NaN`, `inf`, `Infinity`, numbers too large
/// for a double and numbers beyond ``NumberLiteralLimits`` (1,000 digits, exponents beyond
/// ±10,000) are errors. In quoted text `\"` stands for `"` and `\\` for `\`; any other
/// backslash is kept as written. The optional comment after the strategies is read and
/// discarded; an empty title is read as no title; strategy labels are kept only when the
/// file gives them (the counts form gives none, Gambit's default labels `1`…`n` being no
/// information).
public enum GambitNFG: Sendable {
    /// The two forms of the body of an `.nfg` file.
    public enum Body: String, Sendable, CaseIterable {
        /// The payoff version: N payoffs per profile, one profile after another.
        case payoffs
        /// The outcome version: a list of outcomes, then one outcome index per profile.
        case outcomes
    }

    /// Reads a game from the text of an `.nfg` file.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: A file name to show in error messages, if any.
    /// - Returns: The game, with exact payoffs, the player names, the title (if not empty) and
    ///   the strategy labels (if the file lists them).
    /// - Throws: ``GameFormatError`` naming the line, column and problem.
    /// - Complexity: O(length of the text + N · |A|).
    public static func read(_ text: String, file: String? = nil) throws(GameFormatError) -> NormalFormGame {
        try read(source: SourceText(text: text, file: file))
    }

    static func read(source: SourceText) throws(GameFormatError) -> NormalFormGame {
        var parser = NFGParser(source: source)
        return try parser.parseGame()
    }

    // MARK: - Writing

    /// Writes a game as an `.nfg` file (version 1, `NFG 1 R`).
    ///
    /// The header is one line: the title (empty if the game has none), the player names
    /// (`Player1`, `Player2`, … if the game has none) and the strategies — as labels when the
    /// game has action names, as counts otherwise. A blank line follows, then the body:
    ///
    /// - ``Body/payoffs``: one profile per line, player 1's strategy varying fastest, the N
    ///   payoffs in player order.
    /// - ``Body/outcomes``: one outcome per distinct payoff vector that is not all zero, in
    ///   order of first appearance and labelled `"1"`, `"2"`, …, each on its own line as
    ///   `{ "k" x1, x2 }`; then the outcome index of every profile on one line, with `0` (the
    ///   null outcome) for profiles whose payoffs are all zero.
    ///
    /// Exact payoffs (when the game has them) are written as integers, as plain decimals when
    /// they are finite decimals with at most 18 fractional digits (`1.1`), and as `p/q`
    /// otherwise; Gambit reads all three exactly. Otherwise the doubles are written in
    /// shortest round-trip form without `e+` (`0.1`, `1e-05`, `1e20`). Quotes in names are
    /// escaped as `\"` and backslashes as `\\`. A custom welfare cannot be expressed in the
    /// format and is not written. The text ends with a newline.
    ///
    /// - Complexity: O(N · |A|).
    /// - Parameter plain: the form every `.nfg` reader takes, OpenSpiel's included: strategy
    ///   counts instead of labels, and every payoff a plain decimal (a rational such as 1/3, which
    ///   has none, is written as the shortest text of its nearest double). Only with
    ///   ``Body/payoffs``.
    public static func write(_ game: NormalFormGame, body: Body = .payoffs, plain: Bool = false) -> String {
        let playerCount = game.playerCount
        let joint = game.jointActionCount
        let texts = game.exactPayoffs.map { exact in
            exact.indices.map { i in
                let (text, isPlain) = TextSupport.exactText(exact[i])
                return isPlain || !plain ? text : TextSupport.doubleText(game.payoffs[i])
            }
        } ?? game.payoffs.map(TextSupport.doubleText)
        let isZero: (Int) -> Bool = game.exactPayoffs.map { exact in { exact[$0].isZero } }
            ?? { game.payoffs[$0] == 0 }
        let order = rowMajorIndices(ofProfiles: game.actionCounts)

        var out = "NFG 1 R " + quoted(game.title ?? "") + " { "
        let names = game.playerNames ?? (1...playerCount).map { "Player\($0)" }
        out += names.map { quoted($0) + " " }.joined() + "} { "
        if let labels = game.actionNames, !plain {
            for row in labels {
                out += "{ " + row.map { quoted($0) + " " }.joined() + "} "
            }
        } else {
            out += game.actionCounts.map { String($0) + " " }.joined()
        }
        out += "}\n\n"

        switch body {
        case .payoffs:
            for k in 0..<joint {
                let a = order[k]
                for p in 0..<playerCount {
                    if p > 0 { out += " " }
                    out += texts[p * joint + a]
                }
                out += "\n"
            }
        case .outcomes:
            var outcomeOf: [[String]: Int] = [:]
            var indices: [Int] = []
            indices.reserveCapacity(joint)
            out += "{\n"
            for k in 0..<joint {
                let a = order[k]
                if (0..<playerCount).allSatisfy({ isZero($0 * joint + a) }) {
                    indices.append(0)
                    continue
                }
                let vector = (0..<playerCount).map { texts[$0 * joint + a] }
                if let existing = outcomeOf[vector] {
                    indices.append(existing)
                    continue
                }
                let number = outcomeOf.count + 1
                outcomeOf[vector] = number
                indices.append(number)
                out += "{ \"\(number)\" " + vector.joined(separator: ", ") + " }\n"
            }
            out += "}\n"
            out += indices.map(String.init).joined(separator: " ") + "\n"
        }
        return out
    }

    /// Quotes text for an `.nfg` file, escaping `"` and `\` with a backslash (as Gambit's
    /// writer does).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    /// For each profile in `.nfg` order (player 1 fastest), its row-major joint index
    /// (player N fastest).
    ///
    /// - Complexity: O(|A|) amortized (an odometer).
    static func rowMajorIndices(ofProfiles counts: [Int]) -> [Int] {
        let playerCount = counts.count
        let layout = JointActionLayout(counts)
        let strides = layout.strides
        let joint = layout.jointActionCount
        var result = [Int](repeating: 0, count: joint)
        var actions = [Int](repeating: 0, count: playerCount)
        var index = 0
        for k in 0..<joint {
            result[k] = index
            // Advance the odometer, least significant digit = player 1.
            var p = 0
            while p < playerCount {
                actions[p] += 1
                index += strides[p]
                if actions[p] < counts[p] { break }
                index -= counts[p] * strides[p]
                actions[p] = 0
                p += 1
            }
        }
        return result
    }
}

// MARK: - Lexer

/// One token of an `.nfg` file.
private struct NFGToken {
    enum Kind: Equatable {
        case leftBrace
        case rightBrace
        case comma
        /// A quoted string, unescaped.
        case text(String)
        /// Any other run of characters: a number or a symbol such as `NFG`, `R`, `NaN`.
        case word(String)
        case end
    }

    var kind: Kind
    /// Byte offset of the token's first character (the end of the text for ``Kind/end``).
    var offset: Int

    /// How the token is named in error messages.
    var shown: String {
        switch kind {
        case .leftBrace: return "'{'"
        case .rightBrace: return "'}'"
        case .comma: return "','"
        case .text(let text): return "the string " + GambitNFG.quoted(text.count > 40 ? String(text.prefix(40)) + "…" : text)
        case .word(let word): return TextSupport.quoted(word)
        case .end: return "end of file"
        }
    }
}

/// Splits `.nfg` text into tokens as Gambit's lexer does (docs/gamut.md, Gambit's .nfg lexer): whitespace
/// separates tokens; `{`, `}` and `,` are tokens on their own; `"…"` is a string; anything
/// else up to whitespace or one of those characters is a word.
private struct NFGLexer {
    let source: SourceText
    private var index = 0

    init(source: SourceText) {
        self.source = source
    }

    mutating func next() throws(GameFormatError) -> NFGToken {
        let bytes = source.bytes
        while index < bytes.count, NFGLexer.isWhitespace(bytes[index]) { index += 1 }
        guard index < bytes.count else { return NFGToken(kind: .end, offset: index) }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            return NFGToken(kind: .leftBrace, offset: start)
        case UInt8(ascii: "}"):
            index += 1
            return NFGToken(kind: .rightBrace, offset: start)
        case UInt8(ascii: ","):
            index += 1
            return NFGToken(kind: .comma, offset: start)
        case UInt8(ascii: "\""):
            index += 1
            var buffer: [UInt8] = []
            while true {
                guard index < bytes.count else {
                    throw source.error(at: start, "unterminated string (no closing '\"')")
                }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return NFGToken(kind: .text(String(decoding: buffer, as: UTF8.self)), offset: start)
                }
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count,
                   bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\") {
                    buffer.append(bytes[index + 1])
                    index += 2
                    continue
                }
                buffer.append(byte)
                index += 1
            }
        default:
            while index < bytes.count, !NFGLexer.isDelimiter(bytes[index]) { index += 1 }
            return NFGToken(kind: .word(source.text(start..<index)), offset: start)
        }
    }

    /// Space, tab, LF, VT, FF, CR.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ",")
            || byte == UInt8(ascii: "\"")
    }
}

// MARK: - Parser

/// Gambit's .nfg grammar (docs/gamut.md).
private struct NFGParser {
    private var lexer: NFGLexer
    private var lookahead: NFGToken?
    private let source: SourceText

    init(source: SourceText) {
        self.source = source
        self.lexer = NFGLexer(source: source)
    }

    private mutating func next() throws(GameFormatError) -> NFGToken {
        if let token = lookahead {
            lookahead = nil
            return token
        }
        return try lexer.next()
    }

    private mutating func peek() throws(GameFormatError) -> NFGToken {
        if let token = lookahead { return token }
        let token = try lexer.next()
        lookahead = token
        return token
    }

    private func error(_ token: NFGToken, _ message: String) -> GameFormatError {
        source.error(at: token.offset, message)
    }

    private mutating func expect(_ kind: NFGToken.Kind, _ message: String) throws(GameFormatError) -> NFGToken {
        let token = try next()
        guard token.kind == kind else { throw error(token, message + ", found " + token.shown) }
        return token
    }

    mutating func parseGame() throws(GameFormatError) -> NormalFormGame {
        let title = try parseHeader()
        let playerNames = try parsePlayerNames()
        let playerCount = playerNames.count
        let strategiesStart = try expect(.leftBrace, "expected '{' to start the strategy counts or labels")
        var counts: [Int] = []
        var labels: [[String]]?
        if try peek().kind == .leftBrace {
            labels = try parseStrategyLabels(playerCount: playerCount)
            counts = labels!.map(\.count)
        } else {
            counts = try parseStrategyCounts(playerCount: playerCount)
        }
        let joint = try jointActionCount(counts, playerCount: playerCount, at: strategiesStart)

        // Optional comment.
        if case .text = try peek().kind { _ = try next() }

        let order = GambitNFG.rowMajorIndices(ofProfiles: counts)
        var payoffs = [Rational](repeating: .zero, count: playerCount * joint)
        var doubles = [Double](repeating: 0, count: playerCount * joint)
        let bodyStart = try peek()
        switch bodyStart.kind {
        case .word:
            try parsePayoffs(playerCount: playerCount, joint: joint, order: order, into: &payoffs, &doubles)
        case .leftBrace:
            try parseOutcomes(playerCount: playerCount, joint: joint, order: order, into: &payoffs, &doubles)
        default:
            throw error(bodyStart, "expected payoffs (numbers) or outcomes ('{') after the header, found "
                        + bodyStart.shown)
        }

        var game: NormalFormGame
        do throws(GameError) {
            game = try NormalFormGame(actionCounts: counts, payoffs: doubles, exactPayoffs: payoffs)
        } catch {
            throw self.error(bodyStart, error.message)
        }
        game.playerNames = playerNames
        game.actionNames = labels
        game.title = title.isEmpty ? nil : title
        return game
    }

    /// The header `NFG 1 R|D "title"`; returns the title.
    private mutating func parseHeader() throws(GameFormatError) -> String {
        let magic = try next()
        guard case .word("NFG") = magic.kind else {
            throw error(magic, "expected 'NFG' at the start of a Gambit strategic-game file, found " + magic.shown)
        }
        let version = try next()
        guard case .word(let versionText) = version.kind, TextSupport.rational(versionText) == .one else {
            if case .word = version.kind {
                throw error(version, "unsupported .nfg version \(version.shown); only version 1 is supported")
            }
            throw error(version, "expected the version number 1 after 'NFG', found " + version.shown)
        }
        let precision = try next()
        guard precision.kind == .word("R") || precision.kind == .word("D") else {
            throw error(precision, "expected 'R' or 'D' after 'NFG 1', found " + precision.shown)
        }
        let titleToken = try next()
        guard case .text(let title) = titleToken.kind else {
            throw error(titleToken, "expected a quoted title after 'NFG 1 R', found " + titleToken.shown)
        }
        return title
    }

    /// The players: `{ "name" ... }`, at least one.
    private mutating func parsePlayerNames() throws(GameFormatError) -> [String] {
        _ = try expect(.leftBrace, "expected '{' to start the list of player names")
        var playerNames: [String] = []
        while true {
            let token = try next()
            if case .text(let name) = token.kind {
                playerNames.append(name)
            } else if token.kind == .rightBrace {
                if playerNames.isEmpty { throw error(token, "the game has no players; at least one is needed") }
                return playerNames
            } else {
                throw error(token, "expected a quoted player name or '}', found " + token.shown)
            }
        }
    }

    /// The strategies as labels, after the opening '{': `{ "a" "b" } { ... } }`, one list per player.
    private mutating func parseStrategyLabels(playerCount: Int) throws(GameFormatError) -> [[String]] {
        var all: [[String]] = []
        for player in 0..<playerCount {
            let open = try next()
            guard open.kind == .leftBrace else {
                if open.kind == .rightBrace {
                    throw error(open, "expected \(playerCount) lists of strategy labels (one per player), "
                                + "found \(player)")
                }
                throw error(open, "expected '{' to start player \(player + 1)'s strategy labels, found "
                            + open.shown)
            }
            var row: [String] = []
            while true {
                let token = try next()
                if case .text(let label) = token.kind {
                    row.append(label)
                } else if token.kind == .rightBrace {
                    if row.isEmpty { throw error(token, "player \(player + 1) has no strategies") }
                    break
                } else {
                    throw error(token, "expected a quoted strategy label or '}', found " + token.shown)
                }
            }
            all.append(row)
        }
        _ = try expect(.rightBrace, "expected '}' after \(playerCount) lists of strategy labels")
        return all
    }

    /// The strategies as counts, after the opening '{': `n1 n2 ... }`, positive integers.
    private mutating func parseStrategyCounts(playerCount: Int) throws(GameFormatError) -> [Int] {
        var counts: [Int] = []
        for player in 0..<playerCount {
            let token = try next()
            switch token.kind {
            case .word(let word):
                guard word.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                      let count = Int(word), count >= 1 else {
                    throw error(token, "a strategy count must be a positive integer, found " + token.shown)
                }
                counts.append(count)
            case .rightBrace:
                throw error(token, "expected \(playerCount) strategy counts (one per player), found \(player)")
            default:
                throw error(token, "expected a strategy count, found " + token.shown)
            }
        }
        _ = try expect(.rightBrace, "expected '}' after \(playerCount) strategy counts")
        return counts
    }

    /// |A| for the strategy counts, refused (at `token`) when the payoffs would exceed
    /// ``NormalFormGame/maximumPayoffEntries``.
    private func jointActionCount(_ counts: [Int], playerCount: Int, at token: NFGToken) throws(GameFormatError) -> Int {
        var joint = 1
        for count in counts {
            let (product, overflow) = joint.multipliedReportingOverflow(by: count)
            let (entries, overflow2) = product.multipliedReportingOverflow(by: playerCount)
            guard !overflow, !overflow2, entries <= NormalFormGame.maximumPayoffEntries else {
                throw error(token, "game too large: shape "
                            + counts.map(String.init).joined(separator: "x") + " with \(playerCount) players "
                            + "needs more than \(NormalFormGame.maximumPayoffEntries) payoff entries")
            }
            joint = product
        }
        return joint
    }

    /// The payoff version: N numbers per profile, profiles in `.nfg` order.
    private mutating func parsePayoffs(playerCount: Int, joint: Int, order: [Int], into payoffs: inout [Rational],
                                       _ doubles: inout [Double]) throws(GameFormatError) {
        let total = playerCount * joint
        var read = 0
        for k in 0..<joint {
            for p in 0..<playerCount {
                let token = try next()
                guard case .word = token.kind else {
                    if token.kind == .end {
                        throw error(token, "expected \(total) payoffs (\(playerCount) players x \(joint) profiles), "
                                    + "found only \(read)")
                    }
                    throw error(token, "expected a numerical payoff, found " + token.shown)
                }
                let entry = p * joint + order[k]
                (payoffs[entry], doubles[entry]) = try number(token)
                read += 1
            }
        }
        let extra = try next()
        guard extra.kind == .end else {
            throw error(extra, "expected end of file after \(total) payoffs, found " + extra.shown)
        }
    }

    /// The outcome version: `{ { "label" x1, x2 } ... }` then one index per profile.
    private mutating func parseOutcomes(playerCount: Int, joint: Int, order: [Int], into payoffs: inout [Rational],
                                        _ doubles: inout [Double]) throws(GameFormatError) {
        _ = try next()  // "{"
        var outcomes: [[(Rational, Double)]] = []
        while true {
            let token = try next()
            if token.kind == .rightBrace { break }
            guard token.kind == .leftBrace else {
                throw error(token, "expected '{' to start an outcome or '}' to end the list of outcomes, found "
                            + token.shown)
            }
            let number = outcomes.count + 1
            let label = try next()
            guard case .text = label.kind else {
                throw error(label, "expected a quoted label for outcome \(number), found " + label.shown)
            }
            var values: [(Rational, Double)] = []
            for p in 0..<playerCount {
                if p > 0, try peek().kind == .comma { _ = try next() }
                let value = try next()
                guard case .word = value.kind else {
                    if value.kind == .rightBrace {
                        throw error(value, "outcome \(number) has \(p) payoffs, expected \(playerCount)")
                    }
                    throw error(value, "expected a numerical payoff in outcome \(number), found " + value.shown)
                }
                values.append(try self.number(value))
            }
            if try peek().kind == .comma { _ = try next() }
            _ = try expect(.rightBrace, "expected '}' after the \(playerCount) payoffs of outcome \(number)")
            outcomes.append(values)
        }
        for k in 0..<joint {
            let token = try next()
            guard case .word(let word) = token.kind else {
                if token.kind == .end {
                    throw error(token, "expected \(joint) outcome indices (one per profile), found only \(k)")
                }
                throw error(token, "expected an outcome index, found " + token.shown)
            }
            guard word.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let index = Int(word) else {
                throw error(token, "an outcome index must be a non-negative integer, found " + token.shown)
            }
            guard index <= outcomes.count else {
                throw error(token, "outcome \(index) does not exist (the file defines \(outcomes.count) "
                            + (outcomes.count == 1 ? "outcome" : "outcomes") + ")")
            }
            guard index > 0 else { continue }  // the null outcome: payoffs stay 0
            for p in 0..<playerCount {
                let entry = p * joint + order[k]
                (payoffs[entry], doubles[entry]) = outcomes[index - 1][p]
            }
        }
        let extra = try next()
        guard extra.kind == .end else {
            throw error(extra, "expected end of file after \(joint) outcome indices, found " + extra.shown)
        }
    }

    /// An exact, finite number from a word token, and its nearest double.
    private func number(_ token: NFGToken) throws(GameFormatError) -> (Rational, Double) {
        guard case .word(let word) = token.kind else { preconditionFailure("number() needs a word token") }
        if TextSupport.isNonFiniteWord(word) {
            throw error(token, token.shown + " is not a number; NaN and infinite payoffs are not allowed")
        }
        if let problem = TextSupport.literalProblem(word) {
            throw error(token, "number " + token.shown + " " + problem)
        }
        guard let value = TextSupport.rational(word) else {
            let first = word.utf8.first ?? 0
            let looksNumeric = (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            throw error(token, (looksNumeric ? "invalid number " : "expected a number, found ") + token.shown)
        }
        let double = TextSupport.double(of: value, text: word)
        guard double.isFinite else {
            throw error(token, "number " + token.shown + " is too large for a double")
        }
        return (value, double)
    }
}
