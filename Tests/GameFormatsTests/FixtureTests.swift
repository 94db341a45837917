import Foundation
import GameFormats
import NormalFormGames
import Testing

@Suite("Fixtures")
struct FixtureTests {
    @Test(arguments: Support.fixtureNames)
    func jsonAndNFGDescribeTheSameGame(name: String) throws {
        let fromJSON = try GameFile.read(path: Support.path(name + ".json"))
        let fromNFG = try GameFile.read(path: Support.path(name + ".nfg"))
        #expect(fromJSON.exactPayoffs != nil)
        #expect(fromNFG.exactPayoffs != nil)
        #expect(fromJSON.actionCounts == fromNFG.actionCounts)
        #expect(fromJSON.exactPayoffs == fromNFG.exactPayoffs)
        #expect(fromJSON.payoffs == fromNFG.payoffs)
        // Names and titles too: the whole game is the same.
        #expect(fromJSON == fromNFG)
        #expect(fromJSON.playerNames != nil)
        #expect(fromJSON.actionNames != nil)
        #expect(fromJSON.title != nil)
    }

    /// The writers reproduce the fixture files byte for byte (they are golden files).
    @Test(arguments: Support.fixtureNames)
    func writersReproduceTheFixtureFiles(name: String) throws {
        let game = try GameFile.read(path: Support.path(name + ".json"))
        #expect(GameJSON.write(game) == (try Support.text(name + ".json")))
        let body: GambitNFG.Body = Support.outcomeFixtures.contains(name) ? .outcomes : .payoffs
        #expect(GambitNFG.write(game, body: body) == (try Support.text(name + ".nfg")))
    }

    @Test func outcomeFixturesReallyUseTheOutcomeVersion() throws {
        for name in Support.fixtureNames {
            let text = try Support.text(name + ".nfg")
            let body = text.components(separatedBy: "\n\n").dropFirst().joined()
            #expect(body.hasPrefix("{") == Support.outcomeFixtures.contains(name), "\(name)")
        }
    }

    @Test func chicken() throws {
        let game = try GameFile.read(path: Support.path("chicken.nfg"))
        #expect(game.actionCounts == [2, 2])
        // G1 = [[0,7],[2,6]], G2 = [[0,2],[7,6]], row-major.
        #expect(game.exactPayoffs == [0, 7, 2, 6, 0, 2, 7, 6].map { Rational($0) })
        #expect(game.actionNames == [["Dare", "Chicken"], ["Dare", "Chicken"]])
        #expect(game.playerNames == ["Row", "Column"])
        #expect(game.title == "Chicken")
    }

    @Test(arguments: ["table5-ce.json", "table5-ce.nfg"])
    func table5CEKeepsTheExactDecimal(file: String) throws {
        let game = try GameFile.read(path: Support.path(file))
        #expect(game.actionCounts == [4, 4])
        #expect(Support.payoff(game, 0, [3, 3]) == Rational(11, 10))
        #expect(Support.payoff(game, 1, [3, 3]) == Rational(11, 10))
        #expect(Support.payoff(game, 0, [3, 3]) != Rational(1.1))  // not the double's value
        #expect(Support.payoff(game, 0, [0, 2]) == -999)
        // Symmetric: G2(i, j) = G1(j, i).
        for i in 0..<4 {
            for j in 0..<4 {
                #expect(Support.payoff(game, 1, [i, j]) == Support.payoff(game, 0, [j, i]))
            }
        }
    }

    @Test func table5CCE() throws {
        let game = try GameFile.read(path: Support.path("table5-cce.nfg"))
        let rows: [[Int]] = [[2, 0, 0, 0], [0, 3, 0, -10], [0, 3, -10, -10], [2, 7, -6, 0]]
        for i in 0..<4 {
            for j in 0..<4 {
                #expect(Support.payoff(game, 0, [i, j]) == Rational(rows[i][j]))
                #expect(Support.payoff(game, 1, [i, j]) == Rational(rows[j][i]))
            }
        }
    }

    @Test func shapleyUsesTheNullOutcome() throws {
        let text = try Support.text("shapley.nfg")
        #expect(text.hasSuffix("0 1 2 2 0 1 1 2 0\n"))
        let game = try GambitNFG.read(text)
        let r: [[Int]] = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
        for i in 0..<3 {
            for j in 0..<3 {
                #expect(Support.payoff(game, 0, [i, j]) == Rational(r[i][j]))
                #expect(Support.payoff(game, 1, [i, j]) == Rational(r[j][i]))
            }
        }
    }

    @Test func threePlayer() throws {
        let game = try GameFile.read(path: Support.path("three-player.nfg"))
        #expect(game.actionCounts == [2, 2, 3])
        #expect(game.playerNames == ["Row", "Column", "Matrix"])
        // Cells (G1, G2, G3) by (row, column, matrix).
        let cells: [[Int]: [Int]] = [
            [0, 0, 0]: [0, 0, 3], [1, 0, 0]: [1, 0, 0], [0, 1, 0]: [0, 0, 0], [1, 1, 0]: [0, 0, 0],
            [0, 0, 1]: [2, 2, 2], [1, 0, 1]: [0, 0, 0], [0, 1, 1]: [0, 0, 0], [1, 1, 1]: [2, 2, 2],
            [0, 0, 2]: [0, 0, 0], [1, 0, 2]: [0, 1, 0], [0, 1, 2]: [0, 0, 0], [1, 1, 2]: [0, 0, 3],
        ]
        for (actions, expected) in cells {
            for p in 0..<3 {
                #expect(Support.payoff(game, p, actions) == Rational(expected[p]), "\(actions) player \(p + 1)")
            }
        }
    }

    @Test func gibson() throws {
        let game = try GameFile.read(path: Support.path("gibson.json"))
        #expect(game.actionCounts == [3, 2])
        #expect(game.exactPayoffs == [1, 0, 0, 2, -1, 1, 0, 0, 0, 0, 0, 0].map { Rational($0) })
    }

    @Test func twoPlayerClassics() throws {
        let bos = try GameFile.read(path: Support.path("battle-of-the-sexes.nfg"))
        #expect(bos.exactPayoffs == [2, 0, 0, 1, 1, 0, 0, 2].map { Rational($0) })
        let pennies = try GameFile.read(path: Support.path("matching-pennies.nfg"))
        #expect(pennies.exactPayoffs == [1, -1, -1, 1, -1, 1, 1, -1].map { Rational($0) })
        let dilemma = try GameFile.read(path: Support.path("prisoners-dilemma.nfg"))
        #expect(dilemma.exactPayoffs == [3, 0, 5, 1, 3, 5, 0, 1].map { Rational($0) })
        #expect(dilemma.actionNames?[0] == ["Cooperate", "Defect"])
    }
}
