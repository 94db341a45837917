import Foundation
import GameFormats
import NormalFormGames
import Testing

/// A piece of bad input and where and how it must be reported.
struct BadInput: Sendable, CustomTestStringConvertible {
    enum Format: Sendable { case json, nfg }

    let label: String
    let format: Format
    let text: String
    let line: Int
    let column: Int
    let message: String

    init(_ label: String, _ format: Format, _ text: String, _ line: Int, _ column: Int, _ message: String) {
        self.label = label
        self.format = format
        self.text = text
        self.line = line
        self.column = column
        self.message = message
    }

    var testDescription: String { label }
}

@Suite("Errors")
struct ErrorTests {
    /// Expected positions were computed independently of the Swift code, from a marker placed
    /// at the offending character.
    static let cases: [BadInput] = [
        BadInput("json missing comma", .json, "{\n  \"payoffs\": [\n    [[1, 2] [3, 4]],\n    [[1, 2], [3, 4]]\n  ]\n}\n",
                 3, 13, "expected ',' or ']' in array"),
        BadInput("json ragged", .json, "{\"payoffs\": [\n  [[1, 2], [3, 4]],\n  [[1, 2], [3, 4, 5]]\n]}",
                 3, 12, "payoffs[1][1] has 3 entries, expected 2"),
        BadInput("json ragged player axis", .json, "{\"payoffs\": [[[1, 2], [3, 4]], [[1, 2]]]}",
                 1, 32, "payoffs[1] has 1 entry, expected 2"),
        BadInput("json too shallow", .json, "{\"payoffs\": [[1, 2], [3, 4]]}",
                 1, 15, "payoffs[0][0] is a number, expected an array"),
        BadInput("json too deep", .json, "{\"payoffs\": [[[1, [2]], [3, 4]], [[1, 2], [3, 4]]]}",
                 1, 19, "payoffs[0][0][1] is an array, expected a number"),
        BadInput("json wrong depth later", .json, "{\"payoffs\": [[[1, 2], [3, 4]], [5, [3, 4]]]}",
                 1, 33, "payoffs[1][0] is a number, expected an array of 2 entries"),
        BadInput("json empty action set", .json, "{\"payoffs\": [[[], []], [[], []]]}",
                 1, 15, "payoffs[0][0] is empty; player 2 needs at least one action"),
        BadInput("json empty action set later", .json, "{\"payoffs\": [[[1], [2]], [[3], []]]}",
                 1, 32, "payoffs[1][1] has 0 entries, expected 1"),
        BadInput("json no players", .json, "{\"payoffs\": []}",
                 1, 13, "payoffs is empty"),
        BadInput("json payoffs not array", .json, "{\"payoffs\": \"1\"}",
                 1, 13, "payoffs must be nested arrays"),
        BadInput("json boolean entry", .json, "{\"payoffs\": [[1, true]]}",
                 1, 18, "payoffs[0][1] is a boolean, expected a number"),
        BadInput("json null entry", .json, "{\"payoffs\": [[1, null]]}",
                 1, 18, "payoffs[0][1] is null, expected a number"),
        BadInput("json text entry", .json, "{\"payoffs\": [[1,\n  \"abc\"]]}",
                 2, 3, "payoffs[0][1]: \"abc\" is not an exact number"),
        BadInput("json zero denominator", .json, "{\"payoffs\": [[\"1/0\"]]}",
                 1, 15, "is not an exact number"),
        BadInput("json NaN literal", .json, "{\"payoffs\": [[1, NaN]]}",
                 1, 18, "'NaN' is not a valid JSON number"),
        BadInput("json Infinity literal", .json, "{\"payoffs\": [[1, -Infinity]]}",
                 1, 18, "'-Infinity' is not a valid JSON number"),
        BadInput("json nan string", .json, "{\"payoffs\": [[1, \"nan\"]]}",
                 1, 18, "\"nan\" is not a finite number"),
        BadInput("json inf string", .json, "{\"payoffs\": [[\"-inf\", 1]]}",
                 1, 15, "\"-inf\" is not a finite number"),
        BadInput("json too large", .json, "{\"payoffs\": [[1, 1e400]]}",
                 1, 18, "'1e400' is too large for a double"),
        BadInput("json too large string", .json, "{\"payoffs\": [[1, \"-2e308\"]]}",
                 1, 18, "'-2e308' is too large for a double"),
        BadInput("json huge exponent", .json, "{\"payoffs\": [[1e999999]]}",
                 1, 15, "is out of range"),
        BadInput("json duplicate key", .json, "{\"payoffs\": [[1]],\n \"title\": \"a\",\n \"title\": \"b\"}",
                 3, 2, "duplicate key \"title\""),
        BadInput("json trailing garbage", .json, "{\"payoffs\": [[1]]}\nx",
                 2, 1, "unexpected 'x' after the end of the JSON value"),
        BadInput("json second value", .json, "{\"payoffs\": [[1]]} {}",
                 1, 20, "after the end of the JSON value"),
        BadInput("json unknown key", .json, "{\"payoffs\": [[1]], \"welfair\": [1]}",
                 1, 20, "unknown key \"welfair\""),
        BadInput("json missing payoffs", .json, "  {\"title\": \"x\"}",
                 1, 3, "missing key \"payoffs\""),
        BadInput("json not an object", .json, "[[[1]]]",
                 1, 1, "a game must be a JSON object"),
        BadInput("json empty", .json, "",
                 1, 1, "unexpected end of input"),
        BadInput("json truncated", .json, "{\"payoffs\": [[1, 2]]",
                 1, 21, "expected ',' or '}' in object, found end of input"),
        BadInput("json unterminated string", .json, "{\"payoffs\": [[1]], \"title\": \"abc}",
                 1, 29, "unterminated string"),
        BadInput("json newline in string", .json, "{\"title\": \"ab\n\", \"payoffs\": [[1]]}",
                 1, 14, "control character U+000A must be escaped"),
        BadInput("json bad escape", .json, "{\"title\": \"a\\x\", \"payoffs\": [[1]]}",
                 1, 13, "invalid escape '\\x' in string"),
        BadInput("json lone surrogate", .json, "{\"title\": \"\\ud800x\", \"payoffs\": [[1]]}",
                 1, 12, "high surrogate without a low surrogate"),
        BadInput("json leading zero", .json, "{\"payoffs\": [[01]]}",
                 1, 15, "leading zeros are not allowed"),
        BadInput("json bare decimal point", .json, "{\"payoffs\": [[1.]]}",
                 1, 17, "expected a digit after '.'"),
        BadInput("json plus sign", .json, "{\"payoffs\": [[+1]]}",
                 1, 15, "expected a JSON value, found '+'"),
        BadInput("json trailing comma", .json, "{\"payoffs\": [[1, ]]}",
                 1, 18, "trailing commas are not allowed"),
        BadInput("json single quotes", .json, "{'payoffs': [[1]]}",
                 1, 2, "expected a string key or '}' in object"),
        BadInput("json players count", .json, "{\"payoffs\": [[[1, 2]], [[3, 4]]], \"players\": [\"a\"]}",
                 1, 46, "players has 1 name, expected 2"),
        BadInput("json players type", .json, "{\"payoffs\": [[1, 2]], \"players\": [7]}",
                 1, 35, "players[0] is a number, expected a string"),
        BadInput("json actions count", .json, "{\"payoffs\": [[[1, 2]], [[3, 4]]],\n \"actions\": [[\"a\"], [\"b\"]]}",
                 2, 21, "actions[1] has 1 name, expected 2"),
        BadInput("json actions outer", .json, "{\"payoffs\": [[1, 2]], \"actions\": []}",
                 1, 34, "actions has 0 entries, expected 1"),
        BadInput("json welfare shape", .json, "{\"payoffs\": [[[1, 2]], [[3, 4]]], \"welfare\": [[1]]}",
                 1, 47, "welfare[0] has 1 entry, expected 2"),
        BadInput("json welfare nan", .json, "{\"payoffs\": [[1, 2]], \"welfare\": [1, \"NaN\"]}",
                 1, 38, "welfare[1]: \"NaN\" is not a finite number"),
        BadInput("json title type", .json, "{\"payoffs\": [[1, 2]], \"title\": 3}",
                 1, 32, "title must be a string"),
        BadInput("json deep nesting", .json, String(repeating: "[", count: 513) + String(repeating: "]", count: 513), 1, 513, "nested more than 512 levels deep"),
        BadInput("nfg bad magic", .nfg, "NFX 1 R \"\" { \"1\" } { 1 }\n\n1\n",
                 1, 1, "expected 'NFG' at the start"),
        BadInput("nfg version", .nfg, "NFG 2 R \"\" { \"1\" } { 1 }\n\n1\n",
                 1, 5, "unsupported .nfg version '2'"),
        BadInput("nfg precision", .nfg, "NFG 1 X \"\" { \"1\" } { 1 }\n\n1\n",
                 1, 7, "expected 'R' or 'D' after 'NFG 1', found 'X'"),
        BadInput("nfg missing title", .nfg, "NFG 1 R { \"1\" \"2\" } { 2 2 }\n\n1 1 1 1 1 1 1 1\n",
                 1, 9, "expected a quoted title"),
        BadInput("nfg missing players", .nfg, "NFG 1 R \"t\" { 2 2 }\n\n1 1 1 1 1 1 1 1\n",
                 1, 15, "expected a quoted player name or '}', found '2'"),
        BadInput("nfg no players", .nfg, "NFG 1 R \"t\" { } { }\n\n",
                 1, 15, "the game has no players"),
        BadInput("nfg too few counts", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 }\n\n1 1 1 1\n",
                 1, 29, "expected 2 strategy counts (one per player), found 1"),
        BadInput("nfg too many counts", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 2 }\n\n1 1 1 1\n",
                 1, 31, "expected '}' after 2 strategy counts, found '2'"),
        BadInput("nfg zero count", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 0 }\n\n",
                 1, 29, "a strategy count must be a positive integer, found '0'"),
        BadInput("nfg fractional count", .nfg, "NFG 1 R \"t\" { \"a\" } { 1.5 }\n\n1\n",
                 1, 23, "a strategy count must be a positive integer"),
        BadInput("nfg no strategies", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { { \"x\" } { } }\n\n1 1\n",
                 1, 37, "player 2 has no strategies"),
        BadInput("nfg too few label lists", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { { \"x\" } }\n\n1 1\n",
                 1, 35, "expected 2 lists of strategy labels (one per player), found 1"),
        BadInput("nfg mixed strategy forms", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { { \"x\" } 2 }\n\n1 1\n",
                 1, 35, "expected '{' to start player 2's strategy labels, found '2'"),
        BadInput("nfg too few payoffs", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n\n1 1\n2 2\n3 3\n4",
                 6, 2, "expected 8 payoffs (2 players x 4 profiles), found only 7"),
        BadInput("nfg too many payoffs", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n\n1 1\n2 2\n3 3\n4 4\n5\n",
                 7, 1, "expected end of file after 8 payoffs, found '5'"),
        BadInput("nfg NaN payoff", .nfg, "NFG 1 D \"t\" { \"a\" \"b\" } { 2 2 }\n\n1 1\n2 NaN\n3 3\n4 4\n",
                 4, 3, "'NaN' is not a number; NaN and infinite payoffs are not allowed"),
        BadInput("nfg NaN first payoff", .nfg, "NFG 1 D \"t\" { \"a\" \"b\" } { 2 2 }\n\nNaN NaN NaN NaN NaN NaN NaN NaN\n",
                 3, 1, "'NaN' is not a number"),
        BadInput("nfg inf payoff", .nfg, "NFG 1 D \"t\" { \"a\" } { 2 }\n\n1 -inf\n",
                 3, 3, "'-inf' is not a number"),
        BadInput("nfg Infinity payoff", .nfg, "NFG 1 D \"t\" { \"a\" } { 2 }\n\nInfinity 1\n",
                 3, 1, "'Infinity' is not a number"),
        BadInput("nfg too large", .nfg, "NFG 1 R \"t\" { \"a\" } { 2 }\n\n1 1e309\n",
                 3, 3, "number '1e309' is too large for a double"),
        BadInput("nfg bad number", .nfg, "NFG 1 R \"t\" { \"a\" } { 2 }\n\n1 1.2.3\n",
                 3, 3, "invalid number '1.2.3'"),
        BadInput("nfg zero denominator", .nfg, "NFG 1 R \"t\" { \"a\" } { 2 }\n\n1 1/0\n",
                 3, 3, "invalid number '1/0'"),
        BadInput("nfg symbol payoff", .nfg, "NFG 1 R \"t\" { \"a\" } { 2 }\n\n1 abc\n",
                 3, 3, "expected a number, found 'abc'"),
        BadInput("nfg string payoff", .nfg, "NFG 1 R \"t\" { \"a\" } { 2 }\n\n1 \"2\"\n",
                 3, 3, "expected a numerical payoff, found the string \"2\""),
        BadInput("nfg no body", .nfg, "NFG 1 R \"t\" { \"a\" } { 2 }\n\n",
                 3, 1, "expected payoffs (numbers) or outcomes ('{') after the header, found end of file"),
        BadInput("nfg unterminated string", .nfg, "NFG 1 R \"t\" { \"a } { 2 }\n\n1 2\n",
                 1, 15, "unterminated string"),
        BadInput("nfg outcome index range", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 1 }\n{ { \"o\" 1 2 } }\n1 2\n",
                 3, 3, "outcome 2 does not exist (the file defines 1 outcome)"),
        BadInput("nfg negative outcome index", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 1 }\n{ { \"o\" 1 2 } }\n-1 1\n",
                 3, 1, "an outcome index must be a non-negative integer, found '-1'"),
        BadInput("nfg too few outcome indices", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n{ { \"o\" 1 2 } }\n1 0 1\n",
                 4, 1, "expected 4 outcome indices (one per profile), found only 3"),
        BadInput("nfg too many outcome indices", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 1 }\n{ { \"o\" 1 2 } }\n1 0 1\n",
                 3, 5, "expected end of file after 2 outcome indices, found '1'"),
        BadInput("nfg outcome too few payoffs", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" \"c\" } { 1 1 1 }\n{ { \"o\" 1, 2 } }\n1\n",
                 2, 14, "outcome 1 has 2 payoffs, expected 3"),
        BadInput("nfg outcome too many payoffs", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 1 1 }\n{ { \"o\" 1, 2, 3 } }\n1\n",
                 2, 15, "expected '}' after the 2 payoffs of outcome 1, found '3'"),
        BadInput("nfg outcome without label", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 1 1 }\n{ { \"o\" 1 2 }\n  { 3 4 } }\n1\n",
                 3, 5, "expected a quoted label for outcome 2, found '3'"),
        BadInput("nfg outcome NaN", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" } { 1 1 }\n{ { \"o\" 1, nan } }\n1\n",
                 2, 12, "'nan' is not a number"),
        BadInput("nfg unterminated outcomes", .nfg, "NFG 1 R \"t\" { \"a\" } { 1 }\n{ { \"o\" 1 }\n",
                 3, 1, "expected '{' to start an outcome or '}' to end the list of outcomes, found end of file"),
        BadInput("nfg game too large", .nfg, "NFG 1 R \"t\" { \"a\" \"b\" \"c\" } { 1000 1000 1000 }\n\n",
                 1, 29, "game too large"),

    ]

    @Test(arguments: cases)
    func badInputIsReportedOnOneLineWithItsPosition(_ bad: BadInput) throws {
        let file = bad.format == .json ? "game.json" : "game.nfg"
        let error = Support.formatError { () throws(GameFormatError) in
            switch bad.format {
            case .json: return try GameJSON.read(bad.text, file: file)
            case .nfg: return try GambitNFG.read(bad.text, file: file)
            }
        }
        guard let error else { return }
        #expect(error.file == file)
        #expect(error.line == bad.line)
        #expect(error.column == bad.column)
        #expect(error.message.contains(bad.message), "message was: \(error.message)")
        #expect(error.description.hasPrefix("\(file):\(bad.line):\(bad.column): "))
        #expect(!error.description.contains("\n"))
        #expect(!error.description.contains("\r"))
        // The same error through the sniffing entry point (without a file name).
        let sniffed = Support.formatError { () throws(GameFormatError) in try GameFile.parse(bad.text) }
        if let sniffed, bad.label != "json missing payoffs" {
            #expect(sniffed.file == nil)
            #expect(sniffed.description.hasPrefix("\(sniffed.line ?? 0):\(sniffed.column ?? 0): "))
        }
    }

    @Test func descriptionFormats() {
        #expect(GameFormatError(file: "g.json", line: 3, column: 17, message: "expected ',' or ']' in array")
            .description == "g.json:3:17: expected ',' or ']' in array")
        #expect(GameFormatError(line: 1, column: 2, message: "m").description == "1:2: m")
        #expect(GameFormatError(file: "x.nfg", message: "cannot read").description == "x.nfg: cannot read")
        #expect(GameFormatError(message: "m").description == "m")
        let multiLine = GameFormatError(file: "a\nb", line: 1, column: 1, message: "bad 'x\ny'\t\u{0}")
        #expect(multiLine.description == "a\\nb:1:1: bad 'x\\ny'\\t\\u{0}")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let error = Support.formatError { () throws(GameFormatError) in
            try GameJSON.read("{\"title\": \"☃😀é\", \"payoffs\": [[1, x]]}")
        }
        #expect(error?.line == 1)
        #expect(error?.column == 34)
    }

    @Test func errorsInsideMultiLineNFGTitleCountLines() throws {
        let error = Support.formatError { () throws(GameFormatError) in
            try GambitNFG.read("NFG 1 D \"line one\nline two\" { \"a\" } { 2 }\n\n1 oops\n")
        }
        #expect(error?.line == 4)
        #expect(error?.column == 3)
    }

    @Test func hugeShapesAreRejectedBeforeAllocating() throws {
        let error = Support.formatError { () throws(GameFormatError) in
            try GambitNFG.read("NFG 1 R \"\" { \"a\" \"b\" } { 65536 65536 }\n", file: "big.nfg")
        }
        #expect(error?.message.contains("game too large") == true)
        #expect(error?.file == "big.nfg")
    }
}
