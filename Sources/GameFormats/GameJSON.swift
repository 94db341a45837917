public import NormalFormGames

/// Reads and writes games as JSON (`docs/reference.md` §7).
///
/// The format is one JSON object:
///
/// ```json
/// {
///   "title": "Chicken",
///   "players": ["Row", "Column"],
///   "actions": [["Dare", "Chicken"], ["Dare", "Chicken"]],
///   "payoffs": [
///     [
///       [0, 7],
///       [2, 6]
///     ],
///     [
///       [0, 2],
///       [7, 6]
///     ]
///   ]
/// }
/// ```
///
/// - `"payoffs"` (required): nested arrays of shape `[N, n_1, …, n_N]`, the player first and
///   then the joint action in row-major order (player N's action innermost), so
///   `payoffs[p][a_1]…[a_N]` is G_p(a), 0-based.
/// - `"welfare"` (optional): nested arrays of shape `[n_1, …, n_N]`, a custom welfare W(a).
/// - `"players"` (optional): N player names.
/// - `"actions"` (optional): N arrays of action names, n_p names for player p.
/// - `"title"` (optional): a string.
///
/// A payoff or welfare entry is a JSON number or a string holding an exact decimal or a
/// fraction (`"1.1"`, `"-1/3"`). Every entry is read exactly: `1.1` is 11/10, so games read
/// from JSON always carry ``NormalFormGame/exactPayoffs``; the doubles are the nearest doubles
/// to those rationals. An optional key whose value is `null` counts as absent.
///
/// The reader is strict: an unknown top-level key is an error naming the key (so that a
/// misspelt `"welfare"` is not silently ignored), as are duplicate keys, ragged or
/// wrongly nested arrays, empty action sets, non-numeric entries, `NaN`, infinities (also as
/// strings such as `"nan"`), numbers too large for a double, numbers beyond
/// ``NumberLiteralLimits`` (1,000 digits, exponents beyond ±10,000) and anything after the object.
public enum GameJSON: Sendable {
    /// The top-level keys a game file may have.
    public static let keys = ["payoffs", "welfare", "players", "actions", "title"]

    /// Reads a game from JSON text.
    ///
    /// - Parameters:
    ///   - text: The JSON text.
    ///   - file: A file name to show in error messages, if any.
    /// - Returns: The game, with exact payoffs (and exact welfare, if given).
    /// - Throws: ``GameFormatError`` naming the line, column and problem.
    /// - Complexity: O(length of the text).
    public static func read(_ text: String, file: String? = nil) throws(GameFormatError) -> NormalFormGame {
        try read(source: SourceText(text: text, file: file))
    }

    static func read(source: SourceText) throws(GameFormatError) -> NormalFormGame {
        var parser = JSONParser(source: source)
        return try read(root: parser.parseDocument(), source: source)
    }

    /// Reads a game from a parsed JSON value of `source`.
    static func read(root: JSONNode, source: SourceText) throws(GameFormatError) -> NormalFormGame {
        guard case .object(let members) = root.value else {
            throw source.error(at: root.offset, "a game must be a JSON object with a \"payoffs\" key, found "
                               + root.kindDescription)
        }
        var byKey: [String: JSONNode] = [:]
        for member in members {
            guard keys.contains(member.key) else {
                throw source.error(at: member.keyOffset, "unknown key \"\(member.key)\"; expected "
                                   + "\"payoffs\", \"welfare\", \"players\", \"actions\" or \"title\"")
            }
            if case .null = member.value.value { continue }
            byKey[member.key] = member.value
        }
        guard let payoffsNode = byKey["payoffs"] else {
            throw source.error(at: root.offset, "missing key \"payoffs\"")
        }
        let reader = EntryReader(source: source)

        let actionCounts = try reader.shape(ofPayoffs: payoffsNode)
        var payoffs = Entries(capacity: actionCounts.count * actionCounts.reduce(1, *))
        guard case .array(let perPlayer) = payoffsNode.value else { preconditionFailure("checked by shape") }
        for (player, node) in perPlayer.enumerated() {
            try reader.collect(node, counts: actionCounts, level: 0, name: "payoffs", path: [player],
                               into: &payoffs)
        }

        var welfare: Entries?
        if let welfareNode = byKey["welfare"] {
            var values = Entries(capacity: actionCounts.reduce(1, *))
            try reader.collect(welfareNode, counts: actionCounts, level: 0, name: "welfare", path: [], into: &values)
            welfare = values
        }

        var playerNames: [String]?
        if let node = byKey["players"] {
            playerNames = try reader.names(node, count: actionCounts.count, name: "players", what: "player")
        }
        var actionNames: [[String]]?
        if let node = byKey["actions"] {
            guard case .array(let items) = node.value else {
                throw source.error(at: node.offset, "actions must be an array of \(actionCounts.count) arrays of "
                                   + "action names, found " + node.kindDescription)
            }
            guard items.count == actionCounts.count else {
                throw source.error(at: node.offset, "actions has \(items.count) entries, expected "
                                   + "\(actionCounts.count) (one array of names per player)")
            }
            var names: [[String]] = []
            for (player, item) in items.enumerated() {
                names.append(try reader.names(item, count: actionCounts[player], name: "actions[\(player)]",
                                              what: "action"))
            }
            actionNames = names
        }
        var title: String?
        if let node = byKey["title"] {
            guard case .string(let text) = node.value else {
                throw source.error(at: node.offset, "title must be a string, found " + node.kindDescription)
            }
            title = text
        }

        var game: NormalFormGame
        do throws(GameError) {
            game = try NormalFormGame(actionCounts: actionCounts, payoffs: payoffs.doubles,
                                      exactPayoffs: payoffs.exact, welfare: welfare?.doubles,
                                      exactWelfare: welfare?.exact)
        } catch {
            throw source.error(at: payoffsNode.offset, error.message)
        }
        game.playerNames = playerNames
        game.actionNames = actionNames
        game.title = title
        return game
    }

    // MARK: - Writing

    /// Writes a game as JSON, in the layout shown above: one row of the innermost axis (the
    /// last player's actions) per line, two-space indentation, a final newline.
    ///
    /// Numbers are written exactly when the game has ``NormalFormGame/exactPayoffs``:
    /// integers and finite decimals with at most 18 fractional digits as JSON numbers
    /// (`-999`, `1.1`), other rationals as `"p/q"` strings (`"1/3"`). Otherwise the doubles
    /// are written in Swift's shortest round-trip form (`0.1`, `3.0`, `1e-05`, `1e20`). The
    /// welfare is written the same way, if the game has a custom one. Either way, reading the
    /// text back gives the same doubles, and the same rationals when the game had them.
    ///
    /// - Complexity: O(N · |A|).
    public static func write(_ game: NormalFormGame) -> String {
        var out = "{\n"
        var members: [String] = []
        if let title = game.title {
            members.append("  \"title\": " + quoted(title))
        }
        if let names = game.playerNames {
            members.append("  \"players\": [" + names.map(quoted).joined(separator: ", ") + "]")
        }
        if let names = game.actionNames {
            let rows = names.map { "[" + $0.map(quoted).joined(separator: ", ") + "]" }
            members.append("  \"actions\": [" + rows.joined(separator: ", ") + "]")
        }
        let payoffTexts = game.exactPayoffs.map { $0.map(numberText) } ?? game.payoffs.map(TextSupport.doubleText)
        var payoffs = "  \"payoffs\": "
        appendNested(payoffTexts, shape: [game.playerCount] + game.actionCounts, indent: "  ", into: &payoffs)
        members.append(payoffs)
        if let welfare = game.customWelfare {
            let texts = game.exactCustomWelfare.map { $0.map(numberText) } ?? welfare.map(TextSupport.doubleText)
            var text = "  \"welfare\": "
            appendNested(texts, shape: game.actionCounts, indent: "  ", into: &text)
            members.append(text)
        }
        out += members.joined(separator: ",\n")
        out += "\n}\n"
        return out
    }

    /// A rational as a JSON value: a number when it is an integer or short finite decimal,
    /// else a `"p/q"` string.
    static func numberText(_ value: Rational) -> String {
        let (text, plain) = TextSupport.exactText(value)
        return plain ? text : "\"" + text + "\""
    }

    /// Appends nested arrays of the given shape, innermost axis on one line.
    private static func appendNested(_ values: [String], shape: [Int], indent: String, into out: inout String) {
        func append(level: Int, offset: Int, indent: String) {
            if level == shape.count - 1 {
                out += "["
                for i in 0..<shape[level] {
                    if i > 0 { out += ", " }
                    out += values[offset + i]
                }
                out += "]"
                return
            }
            let stride = shape[(level + 1)...].reduce(1, *)
            let inner = indent + "  "
            out += "[\n"
            for i in 0..<shape[level] {
                if i > 0 { out += ",\n" }
                out += inner
                append(level: level + 1, offset: offset + i * stride, indent: inner)
            }
            out += "\n" + indent + "]"
        }
        append(level: 0, offset: 0, indent: indent)
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`, `\u00XX`.
    package static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Numbers read so far: exact values and their nearest doubles, in the same order.
private struct Entries {
    var exact: [Rational] = []
    var doubles: [Double] = []

    init(capacity: Int) {
        exact.reserveCapacity(capacity)
        doubles.reserveCapacity(capacity)
    }
}

/// Turns JSON nodes into shapes, numbers and names, with errors naming the path
/// (`payoffs[1][2]`) and position of the offending value.
private struct EntryReader {
    let source: SourceText

    /// Reads the action counts from the first entry at each level of `payoffs`: `payoffs`
    /// has N entries, `payoffs[0]` has n_1, `payoffs[0][0]` has n_2, and so on.
    func shape(ofPayoffs node: JSONNode) throws(GameFormatError) -> [Int] {
        guard case .array(let players) = node.value else {
            throw source.error(at: node.offset, "payoffs must be nested arrays of shape [N, n_1, ..., n_N], found "
                               + node.kindDescription)
        }
        guard !players.isEmpty else {
            throw source.error(at: node.offset, "payoffs is empty; a game needs at least one player")
        }
        let playerCount = players.count
        var counts: [Int] = []
        var current = players[0]
        var path = [0]
        var joint = 1
        for player in 0..<playerCount {
            guard case .array(let items) = current.value else {
                throw source.error(at: current.offset, describe("payoffs", path) + " is " + current.kindDescription
                                   + ", expected an array (payoffs has \(playerCount) entries, one per player, so "
                                   + "it needs \(playerCount + 1) levels of nesting)")
            }
            guard !items.isEmpty else {
                throw source.error(at: current.offset, describe("payoffs", path) + " is empty; player "
                                   + "\(player + 1) needs at least one action")
            }
            counts.append(items.count)
            let (product, overflow) = joint.multipliedReportingOverflow(by: items.count)
            let (entries, overflow2) = product.multipliedReportingOverflow(by: playerCount)
            guard !overflow, !overflow2, entries <= NormalFormGame.maximumPayoffEntries else {
                throw source.error(at: node.offset, "game too large: more than "
                                   + "\(NormalFormGame.maximumPayoffEntries) payoff entries")
            }
            joint = product
            current = items[0]
            path.append(0)
        }
        return counts
    }

    /// Appends the numbers of a nested array of shape `counts[level...]`, in row-major order.
    func collect(_ node: JSONNode, counts: [Int], level: Int, name: String, path: [Int],
                 into values: inout Entries) throws(GameFormatError) {
        var path = path
        try collect(node, counts: counts, level: level, name: name, path: &path, into: &values)
    }

    private func collect(_ node: JSONNode, counts: [Int], level: Int, name: String, path: inout [Int],
                         into values: inout Entries) throws(GameFormatError) {
        if level == counts.count {
            let (exact, double) = try number(node, name: name, path: path)
            values.exact.append(exact)
            values.doubles.append(double)
            return
        }
        guard case .array(let items) = node.value else {
            throw source.error(at: node.offset, describe(name, path) + " is " + node.kindDescription
                               + ", expected an array of \(counts[level]) entries")
        }
        guard items.count == counts[level] else {
            throw source.error(at: node.offset, describe(name, path) + " has \(items.count) "
                               + (items.count == 1 ? "entry" : "entries") + ", expected \(counts[level])")
        }
        path.append(0)
        for (i, item) in items.enumerated() {
            path[path.count - 1] = i
            try collect(item, counts: counts, level: level + 1, name: name, path: &path, into: &values)
        }
        path.removeLast()
    }

    /// One payoff or welfare entry: a number, or a string holding an exact number.
    private func number(_ node: JSONNode, name: String, path: [Int]) throws(GameFormatError)
        -> (Rational, Double)
    {
        let value: Rational
        let shown: String
        switch node.value {
        case .number(let text):
            if let problem = TextSupport.literalProblem(text) {
                throw source.error(at: node.offset, describe(name, path) + ": number " + TextSupport.quoted(text) + " " + problem)
            }
            // The text already follows the JSON grammar and the limits, so this cannot fail.
            guard let parsed = TextSupport.rational(text) else {
                throw source.error(at: node.offset, describe(name, path) + ": number "
                                   + TextSupport.quoted(text) + " is out of range")
            }
            value = parsed
            shown = text
        case .string(let text):
            if TextSupport.isNonFiniteWord(text) {
                throw source.error(at: node.offset, describe(name, path) + ": " + GameJSON.quoted(text)
                                   + " is not a finite number; NaN and infinite values are not allowed")
            }
            if let problem = TextSupport.literalProblem(text) {
                throw source.error(at: node.offset, describe(name, path) + ": number " + TextSupport.quoted(text) + " " + problem)
            }
            guard let parsed = TextSupport.rational(text) else {
                throw source.error(at: node.offset, describe(name, path) + ": " + GameJSON.quoted(text)
                                   + " is not an exact number (expected a decimal such as \"1.1\" or a "
                                   + "fraction such as \"1/3\")")
            }
            value = parsed
            shown = text
        case .array:
            throw source.error(at: node.offset, describe(name, path) + " is an array, expected a number "
                               + "(too many levels of nesting)")
        default:
            throw source.error(at: node.offset, describe(name, path) + " is " + node.kindDescription
                               + ", expected a number")
        }
        let double = TextSupport.double(of: value, text: shown)
        guard double.isFinite else {
            throw source.error(at: node.offset, describe(name, path) + ": " + TextSupport.quoted(shown)
                               + " is too large for a double")
        }
        return (value, double)
    }

    /// An array of exactly `count` strings.
    func names(_ node: JSONNode, count: Int, name: String, what: String) throws(GameFormatError) -> [String] {
        guard case .array(let items) = node.value else {
            throw source.error(at: node.offset, "\(name) must be an array of \(count) \(what) names, found "
                               + node.kindDescription)
        }
        guard items.count == count else {
            throw source.error(at: node.offset, "\(name) has \(items.count) "
                               + (items.count == 1 ? "name" : "names") + ", expected \(count)")
        }
        var result: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let text) = item.value else {
                throw source.error(at: item.offset, "\(name)[\(i)] is \(item.kindDescription), expected a string")
            }
            result.append(text)
        }
        return result
    }

    /// `payoffs[1][2]`.
    private func describe(_ name: String, _ path: [Int]) -> String {
        name + path.map { "[\($0)]" }.joined()
    }
}

/// One game of a JSON Lines file, as `equilibria generate` writes them: each line either a game
/// object, or `{"family": …, "seed": …, "index": …, "game": {…}}`, the game with where it came from.
public struct GameLine: Sendable {
    public var game: NormalFormGame
    /// The generator family, seed and game index, when the line records them.
    public var family: String?
    public var seed: UInt64?
    public var index: Int?

    /// The keys of a line that records where its game came from.
    public static let keys = ["family", "seed", "index", "game"]

    /// The non-blank lines of a JSON Lines file, with their 1-based line numbers: one game each.
    ///
    /// - Throws: ``GameFormatError`` when the file cannot be read or is not UTF-8 text.
    public static func lines(path: String) throws(GameFormatError) -> [(number: Int, text: String)] {
        let bytes = try GameFile.contents(ofFile: path)
        let whole = try SourceText(bytes: bytes, file: path)
        var lines: [(number: Int, text: String)] = []
        var number = 0
        for line in String(decoding: whole.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if !line.allSatisfy(\.isWhitespace) { lines.append((number, String(line))) }
        }
        return lines
    }

    /// Reads game `row` (0-based, counting non-blank lines) of a JSON Lines file.
    ///
    /// - Throws: ``GameFormatError`` naming the file and line when the file cannot be read, holds
    ///   fewer games, or the line is not a game.
    public static func read(path: String, row: Int) throws(GameFormatError) -> GameLine {
        let lines = try lines(path: path)
        guard row >= 0, row < lines.count else {
            throw GameFormatError(file: path, line: nil, column: nil,
                                  message: "game \(row) asked for; the file holds \(lines.count) games (0…\(max(lines.count - 1, 0)))")
        }
        return try parse(lines[row], path: path)
    }

    /// Reads one line of a JSON Lines file (from ``lines(path:)``).
    public static func parse(_ line: (number: Int, text: String), path: String) throws(GameFormatError) -> GameLine {
        let (lineNumber, text) = line
        let source = SourceText(text: text, file: "\(path) line \(lineNumber)")
        var parser = JSONParser(source: source)
        let root = try parser.parseDocument()
        guard case .object(let members) = root.value else {
            throw source.error(at: root.offset, "a line must be a game object, found " + root.kindDescription)
        }
        guard members.contains(where: { $0.key == "game" }) else {
            return GameLine(game: try GameJSON.read(root: root, source: source))
        }
        var game: NormalFormGame?
        var family: String?, seed: UInt64?, index: Int?
        for member in members {
            switch member.key {
            case "game":
                game = try GameJSON.read(root: member.value, source: source)
            case "family":
                guard case .string(let text) = member.value.value else {
                    throw source.error(at: member.value.offset, "family must be a string")
                }
                family = text
            case "seed":
                guard case .number(let text) = member.value.value, let value = UInt64(text) else {
                    throw source.error(at: member.value.offset, "seed must be an integer from 0 to 2^64 − 1")
                }
                seed = value
            case "index":
                guard case .number(let text) = member.value.value, let value = Int(text), value >= 0 else {
                    throw source.error(at: member.value.offset, "index must be a non-negative integer")
                }
                index = value
            default:
                throw source.error(at: member.keyOffset, "unknown key \"\(member.key)\"; a line holding a game records "
                                   + "\"family\", \"seed\", \"index\" and \"game\"")
            }
        }
        guard let game else { throw source.error(at: root.offset, "missing key \"game\"") }
        return GameLine(game: game, family: family, seed: seed, index: index)
    }
}
