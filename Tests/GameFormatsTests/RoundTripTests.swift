import Foundation
import GameFormats
import NormalFormGames
import Testing

@Suite("Round trips")
struct RoundTripTests {
    /// Every way of writing a game as text.
    static let formats = GameFileFormat.allCases

    /// A game whose every payoff is distinct and encodes its own position: G_p(a) =
    /// 1000 p + 100 a_1 + 10 a_2 + a_3 (+ a_N-th fraction), so axis mix-ups cannot cancel out.
    static func labelledGame(_ counts: [Int], fraction: Rational = .zero) throws -> NormalFormGame {
        let joint = counts.reduce(1, *)
        var payoffs: [Rational] = []
        for p in 0..<counts.count {
            for index in 0..<joint {
                // Row-major decomposition: player N fastest.
                var rest = index
                var actions = [Int](repeating: 0, count: counts.count)
                for q in stride(from: counts.count - 1, through: 0, by: -1) {
                    actions[q] = rest % counts[q]
                    rest /= counts[q]
                }
                var value = Rational(1000 * p)
                var weight = 100
                for a in actions {
                    value += Rational(weight * a)
                    weight /= 10
                }
                payoffs.append(value + fraction * Rational(index + 1))
            }
        }
        return try NormalFormGame(actionCounts: counts, exactPayoffs: payoffs)
    }

    /// Whether a rational has a finite decimal expansion (its denominator divides a power of 10).
    static func isFiniteDecimal(_ value: Rational) -> Bool {
        var v = value
        for _ in 0..<64 {
            if v.isInteger { return true }
            v *= Rational(10)
        }
        return false
    }

    static let shapes: [[Int]] = [[2, 3, 4], [4, 3, 2], [3, 2], [2, 2, 2], [1, 3], [5], [2, 1, 3, 2]]

    @Test(arguments: shapes, formats)
    func exactGamesRoundTrip(shape: [Int], format: GameFileFormat) throws {
        for fraction in [Rational.zero, Rational(1, 10), Rational(1, 3), Rational(-7, 1024)] {
            let game = try Self.labelledGame(shape, fraction: fraction)
            let text = GameFile.text(of: game, format: format)
            let back = try GameFile.parse(text)
            #expect(back.actionCounts == game.actionCounts)
            #expect(back.payoffs == game.payoffs)
            if format == .nfgPlain {
                // The plain form: labels dropped, plain decimals only; a rational without a
                // finite decimal (1/3) comes back as its nearest double, every other exactly.
                #expect(back.actionNames == nil && !text.contains("/"))
                for (a, b) in zip(back.exactPayoffs!, game.exactPayoffs!) {
                    #expect(a == b || (b.doubleValue == a.doubleValue && !Self.isFiniteDecimal(b)), "\(shape) \(fraction): \(a) for \(b)")
                }
            } else {
                #expect(back.exactPayoffs == game.exactPayoffs, "\(format) \(shape) \(fraction)")
            }
        }
    }

    /// The `.nfg` writer lists profiles with player 1 fastest: check each line of a 2x3x4
    /// payoff-version file against the profile it should hold.
    @Test func nfgWriterUsesPlayerOneFastestOrder() throws {
        let counts = [2, 3, 4]
        let game = try Self.labelledGame(counts)
        let text = GambitNFG.write(game)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "NFG 1 R \"\" { \"Player1\" \"Player2\" \"Player3\" } { 2 3 4 }")
        #expect(lines[1] == "")
        let body = lines.dropFirst(2).filter { !$0.isEmpty }
        #expect(body.count == 24)
        for (k, line) in body.enumerated() {
            let s1 = k % 2, s2 = (k / 2) % 3, s3 = k / 6
            let expected = (0..<3).map { p in String(1000 * p + 100 * s1 + 10 * s2 + s3) }
            #expect(line.split(separator: " ").map(String.init) == expected, "profile \(k)")
        }
        #expect(text.hasSuffix("\n"))
    }

    @Test func nfgOutcomeWriterUsesPlayerOneFastestOrder() throws {
        let game = try Self.labelledGame([2, 3, 4])
        let text = GambitNFG.write(game, body: .outcomes)
        let lines = text.split(separator: "\n").map(String.init)
        // All payoff vectors are distinct and none is all zero (G_2 >= 1000), so outcome k + 1
        // belongs to profile k.
        #expect(lines.last == (1...24).map(String.init).joined(separator: " "))
        #expect(lines.contains("{ \"2\" 100, 1100, 2100 }"))  // profile 1 = (2,1,1) 1-based
        #expect(lines.contains("{ \"3\" 10, 1010, 2010 }"))  // profile 2 = (1,2,1)
        #expect(lines.contains("{ \"7\" 1, 1001, 2001 }"))  // profile 6 = (1,1,2)
    }

    @Test(arguments: formats)
    func doubleGamesRoundTrip(format: GameFileFormat) throws {
        let values: [Double] = [0.1, 1e20, .leastNonzeroMagnitude, -0.0, 1e-5, 3, -2.5, 1.7976931348623157e308,
                                -123456789.123, 2.2250738585072014e-308, 1e16, 0.3]
        let game = try NormalFormGame(actionCounts: [2, 3], payoffs: values)
        #expect(game.exactPayoffs == nil)
        let text = GameFile.text(of: game, format: format)
        #expect(!text.contains("e+"))
        #expect(!text.lowercased().contains("nan"))
        #expect(!text.lowercased().contains("inf"))
        let back = try GameFile.parse(text)
        #expect(back.payoffs == values.map { $0 == 0 ? 0 : $0 })
        // Read back exactly as the decimal text: 0.1 is 1/10.
        #expect(back.exactPayoffs?[0] == Rational(1, 10))
    }

    @Test func doublesAreWrittenInShortestForm() throws {
        let game = try NormalFormGame(actionCounts: [4], payoffs: [0.1, 1e20, 1e-5, 3])
        #expect(GambitNFG.write(game).hasSuffix("\n\n0.1\n1e20\n1e-05\n3.0\n"))
        #expect(GameJSON.write(game).contains("\n    [0.1, 1e20, 1e-05, 3.0]\n"))
    }

    @Test func exactNumbersAreWrittenAsIntegersDecimalsOrFractions() throws {
        let values = [Rational(3), Rational(-11, 10), Rational(1, 3), Rational(-1, 4), Rational(1, 1 << 62),
                      Rational(123_456_789), Rational(1, 1_000_000)]
        let game = try NormalFormGame(actionCounts: [7], exactPayoffs: values)
        let json = GameJSON.write(game)
        #expect(json.contains(
            "\n    [3, -1.1, \"1/3\", -0.25, \"1/4611686018427387904\", 123456789, 0.000001]\n"))
        let nfg = GambitNFG.write(game)
        #expect(nfg.hasSuffix("\n\n3\n-1.1\n1/3\n-0.25\n1/4611686018427387904\n123456789\n0.000001\n"))
        for text in [json, nfg] {
            #expect(try GameFile.parse(text).exactPayoffs == values)
        }
    }

    @Test func namesTitleAndWelfareRoundTripThroughJSON() throws {
        var game = try NormalFormGame(
            actionCounts: [2, 3], exactPayoffs: (1...12).map { Rational($0, 3) },
            exactWelfare: [1, 2, 3, 4, 5, 6].map { Rational($0, 7) })
        game.playerNames = ["Ann \"the row\"", "Bob\\Col"]
        game.actionNames = [["up", "down"], ["left", "middle\tcolumn", "right ☃"]]
        game.title = "A title\nover two lines"
        let back = try GameJSON.read(GameJSON.write(game))
        #expect(back == game)
        #expect(back.exactCustomWelfare == game.exactCustomWelfare)
    }

    @Test func doubleWelfareRoundTripsThroughJSON() throws {
        let game = try NormalFormGame(actionCounts: [2, 2], payoffs: [1, 2, 3, 4, 5, 6, 7, 8],
                                      welfare: [0.1, 0.2, 0.3, 0.4])
        let back = try GameJSON.read(GameJSON.write(game))
        #expect(back.customWelfare == [0.1, 0.2, 0.3, 0.4])
        #expect(back.exactCustomWelfare == [1, 2, 3, 4].map { Rational($0, 10) })
    }

    @Test(arguments: [GambitNFG.Body.payoffs, .outcomes])
    func namesAndTitleRoundTripThroughNFG(body: GambitNFG.Body) throws {
        var game = try Self.labelledGame([2, 3, 2], fraction: Rational(1, 3))
        game.playerNames = ["Ann \"the row\"", "Bob\\", "C"]
        game.actionNames = [["up", "down"], ["left", "mid\\dle", "\"right\""], ["x", "y"]]
        game.title = "A title\nover two lines with a \"quote\""
        let text = GambitNFG.write(game, body: body)
        #expect(text.contains("\"Ann \\\"the row\\\"\""))
        let back = try GambitNFG.read(text)
        #expect(back == game)
    }

    @Test func unnamedGameGetsGambitStyleDefaults() throws {
        let game = try NormalFormGame(actionCounts: [2, 2], exactPayoffs: [1, 2, 3, 4, 5, 6, 7, 8].map { Rational($0) })
        let text = GambitNFG.write(game)
        #expect(text.hasPrefix("NFG 1 R \"\" { \"Player1\" \"Player2\" } { 2 2 }\n\n1 5\n3 7\n2 6\n4 8\n"))
        let back = try GambitNFG.read(text)
        #expect(back.title == nil)
        #expect(back.actionNames == nil)
        #expect(back.playerNames == ["Player1", "Player2"])
        #expect(back.exactPayoffs == game.exactPayoffs)
        let json = GameJSON.write(game)
        #expect(json == """
            {
              "payoffs": [
                [
                  [1, 2],
                  [3, 4]
                ],
                [
                  [5, 6],
                  [7, 8]
                ]
              ]
            }

            """)
        #expect(try GameJSON.read(json) == game)
    }

    @Test func outcomeWriterSharesOutcomesAndUsesTheNullOutcome() throws {
        // 2x2: (1,1) -> (0,0), (1,2) -> (1,2), (2,1) -> (1,2), (2,2) -> (0,0)
        let game = try NormalFormGame(actionCounts: [2, 2], exactPayoffs: [0, 1, 1, 0, 0, 2, 2, 0].map { Rational($0) })
        let text = GambitNFG.write(game, body: .outcomes)
        #expect(text.hasSuffix("\n\n{\n{ \"1\" 1, 2 }\n}\n0 1 1 0\n"))
        #expect(try GambitNFG.read(text).exactPayoffs == game.exactPayoffs)
    }
}
