import Foundation
import GameFormats
import NormalFormGames
import Testing

/// The limits on one number literal (``NumberLiteralLimits``), in both formats: the limit itself
/// is read exactly, one digit more is refused with the number's file, line and column, and
/// refusing a huge literal takes no arithmetic on it (reading a 200,000-digit number used to
/// take over a minute).
@Suite(.timeLimit(.minutes(10))) struct NumberLimitTests {
    static let limit = NumberLiteralLimits.maximumDigits
    static let exponentLimit = NumberLiteralLimits.maximumExponent

    @Test func theLimitsAreTheDocumentedOnes() {
        #expect(Self.limit == 1_000)
        #expect(Self.exponentLimit == 10_000)
    }

    /// `1.000…01` with `digits` digits in all: the value 1 + 10^-(digits − 1).
    static func nearOne(digits: Int) -> String { "1." + String(repeating: "0", count: digits - 2) + "1" }

    /// 10^-n, exactly, by repeated squaring (independent of the reader).
    static func tenToTheMinus(_ n: Int) -> Rational {
        var result = Rational(1), base = Rational(1, 10), e = n
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            base = base * base
            e >>= 1
        }
        return result
    }

    /// A 2×2 game in JSON whose last payoff, on line 2 at column 3, is `number` as written.
    static func json(_ number: String) -> String {
        "{\"payoffs\": [[[0, 1], [2, 3]], [[0, 2], [1,\n  \(number)]]]}\n"
    }

    /// A 2×2 game in `.nfg` whose last payoff, on line 3 at column 15, is `number`.
    static func nfg(_ number: String) -> String {
        "NFG 1 R \"x\" { \"A\" \"B\" } { 2 2 }\n\n0 0 1 1 2 2 3 \(number)\n"
    }

    static func refusal(_ text: String, format: GameFileFormat) -> GameFormatError? {
        Support.formatError { () throws(GameFormatError) in
            format == .json ? try GameJSON.read(text, file: "g.json") : try GambitNFG.read(text, file: "g.nfg")
        }
    }

    @Test func jsonNumbersUpToTheLimitAreReadExactly() throws {
        let game = try GameJSON.read(Self.json(Self.nearOne(digits: Self.limit)))
        #expect(game.exactPayoffs?.last == Rational(1) + Self.tenToTheMinus(Self.limit - 1))
        // As a string too, and as a fraction of 500 + 500 digits.
        let fraction = "1" + String(repeating: "0", count: 499) + "/3" + String(repeating: "0", count: 499)
        let fromString = try GameJSON.read(Self.json("\"" + fraction + "\""))
        #expect(fromString.exactPayoffs?.last == Rational(1, 3))
    }

    @Test func jsonNumbersBeyondTheLimitAreRefusedWithTheirPosition() throws {
        for literal in [Self.nearOne(digits: Self.limit + 1), "\"" + Self.nearOne(digits: Self.limit + 1) + "\""] {
            let error = try #require(Self.refusal(Self.json(literal), format: .json))
            #expect(error.description.hasPrefix("g.json:2:3: payoffs[1][1][1]: number '1.000"), "\(error)")
            #expect(error.message.contains("has \(Self.limit + 1) digits, more than the \(Self.limit) a number may have"))
        }
    }

    @Test func nfgNumbersUpToTheLimitAreReadExactly() throws {
        let fraction = "1" + String(repeating: "0", count: 499) + "/3" + String(repeating: "0", count: 499)
        let game = try GambitNFG.read(Self.nfg(fraction))
        #expect(game.exactPayoffs?.last == Rational(1, 3))
        let decimal = try GambitNFG.read(Self.nfg(Self.nearOne(digits: Self.limit)))
        #expect(decimal.exactPayoffs?.last == Rational(1) + Self.tenToTheMinus(Self.limit - 1))
    }

    @Test func nfgNumbersBeyondTheLimitAreRefusedWithTheirPosition() throws {
        let fraction = "1" + String(repeating: "0", count: 500) + "/3" + String(repeating: "0", count: 499)
        for literal in [fraction, Self.nearOne(digits: Self.limit + 1)] {
            let error = try #require(Self.refusal(Self.nfg(literal), format: .nfg))
            #expect(error.description.hasPrefix("g.nfg:3:15: number '"), "\(error)")
            #expect(error.message.contains("has 1001 digits"), "\(error)")
        }
    }

    /// Exponent digits count, and the exponent's magnitude is bounded on its own. (Within the
    /// limit, the payoff must still be a normal double's worth: 10^±10000 is read exactly and
    /// then refused as too small or too large for a double, not as out of range.)
    @Test(arguments: [GameFileFormat.json, .nfg]) func exponents(_ format: GameFileFormat) throws {
        func text(_ number: String) -> String { format == .json ? Self.json(number) : Self.nfg(number) }
        func read(_ number: String) throws(GameFormatError) -> NormalFormGame {
            format == .json ? try GameJSON.read(text(number)) : try GambitNFG.read(text(number))
        }
        #expect(try read("25E-0000000301").exactPayoffs?.last == Self.tenToTheMinus(301) * Rational(25))
        for (number, expected) in [("1e-10000", "too small for a double"), ("1E+00010000", "too large for a double")] {
            let error = try #require(Self.refusal(text(number), format: format))
            #expect(error.message.contains(expected) && !error.message.contains("out of range"), "\(number): \(error)")
        }
        for number in ["1e-10001", "1e10001", "5e-99999999999999999999"] {
            let error = try #require(Self.refusal(text(number), format: format))
            #expect(error.message.contains("is out of range (its exponent is beyond ±10000)"), "\(number): \(error)")
        }
        let error = try #require(Self.refusal(text("1e-" + String(repeating: "0", count: Self.limit)), format: format))
        #expect(error.message.contains("has 1001 digits"), "\(error)")
    }

    /// The inputs that were slow: a 200,000-digit JSON number (68 s) and a 100 KB `.nfg` fraction
    /// (over 30 s). Refused without arithmetic, well inside the suite's time limit.
    @Test func hugeLiteralsAreRefusedPromptly() throws {
        let digits = String(repeating: "7", count: 200_000)
        let json = try #require(Self.refusal(Self.json(digits), format: .json))
        #expect(json.message.contains("has 200000 digits"))
        let nfg = try #require(Self.refusal(Self.nfg(String(digits.prefix(50_000)) + "/" + String(digits.prefix(50_000))),
                                            format: .nfg))
        #expect(nfg.message.contains("has 100000 digits"))
        let version = try #require(Self.refusal("NFG 1" + String(repeating: "0", count: 100_000) + " R \"x\" { \"A\" } { 1 }\n\n1\n",
                                                format: .nfg))
        #expect(version.message.contains("unsupported .nfg version"))
    }
}
