import Foundation
import NormalFormGames
import Testing
import _EquilibriaTestSupport

/// Index helpers written from docs/reference.md §1 (row-major, player N fastest), independent of the game's
/// own `jointIndex` / `actions(ofJointIndex:)`.
enum Layout {
    static func index(_ actions: [Int], shape: [Int]) -> Int {
        var index = 0
        var step = 1
        for p in stride(from: shape.count - 1, through: 0, by: -1) {
            index += actions[p] * step
            step *= shape[p]
        }
        return index
    }

    /// Every joint action of a shape in row-major order (odometer with the last player fastest).
    static func allJointActions(_ shape: [Int]) -> [[Int]] {
        var result: [[Int]] = []
        var current = [Int](repeating: 0, count: shape.count)
        let total = shape.reduce(1, *)
        for _ in 0..<total {
            result.append(current)
            var p = shape.count - 1
            while p >= 0 {
                current[p] += 1
                if current[p] < shape[p] { break }
                current[p] = 0
                p -= 1
            }
        }
        return result
    }
}

@Suite("NormalFormGame")
struct NormalFormGameTests {
    // MARK: Errors

    private func error(_ body: () throws(GameError) -> NormalFormGame) -> GameError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    /// A game needs at least one player.
    @Test func zeroPlayersIsAnError() {
        let e = error { () throws(GameError) in try NormalFormGame(actionCounts: [], payoffs: []) }
        #expect(e != nil)
    }

    /// Every player needs at least one action; the message names the player 1-based.
    @Test func emptyActionSetIsAnError() {
        let e = error { () throws(GameError) in try NormalFormGame(actionCounts: [2, 0], payoffs: []) }
        #expect(e?.message.contains("player 2") == true, "\(String(describing: e))")
        let e2 = error { () throws(GameError) in try NormalFormGame(actionCounts: [-1, 2], payoffs: []) }
        #expect(e2?.message.contains("player 1") == true, "\(String(describing: e2))")
    }

    /// N · Π n_p payoffs are needed: 2 · 2 · 2 = 8 for a 2x2 game; the message gives both counts.
    @Test(arguments: [0, 4, 7, 9, 16])
    func wrongPayoffCountIsAnError(_ count: Int) {
        let e = error { () throws(GameError) in
            try NormalFormGame(actionCounts: [2, 2], payoffs: [Double](repeating: 1, count: count))
        }
        #expect(e != nil)
        #expect(e?.message.contains("\(count)") == true)
        #expect(e?.message.contains("8") == true)
        let exact = error { () throws(GameError) in
            try NormalFormGame(actionCounts: [2, 2], exactPayoffs: [Rational](repeating: .one, count: count))
        }
        #expect(exact != nil)
    }

    /// A non-finite payoff is reported with its player and 1-based joint action. In a 2x3 game,
    /// flat entry 8 = player 2 (offset 6), joint index 2 = (0, 2) → "(1,3)"; entry 3 = player 1,
    /// joint index 3 = (1, 0) → "(2,1)".
    @Test(arguments: [(8, Double.nan, "player 2", "(1,3)"), (3, Double.infinity, "player 1", "(2,1)"),
                      (11, -Double.infinity, "player 2", "(2,3)"), (0, Double.nan, "player 1", "(1,1)")])
    func nonFinitePayoffIsNamed(_ entry: Int, _ value: Double, _ player: String, _ joint: String) {
        var payoffs = [Double](repeating: 1, count: 12)
        payoffs[entry] = value
        let e = error { () throws(GameError) in try NormalFormGame(actionCounts: [2, 3], payoffs: payoffs) }
        #expect(e?.message.contains(player) == true, "\(String(describing: e))")
        #expect(e?.message.contains(joint) == true, "\(String(describing: e))")
    }

    /// An exact payoff beyond the double range (10^400) cannot be used; the entry is named.
    @Test func exactPayoffTooLargeForDoubleIsAnError() {
        var payoffs = [Rational](repeating: .one, count: 8)
        payoffs[5] = Rational(exactly: "1e400")!  // player 2, joint index 1 = (1,2)
        let e = error { () throws(GameError) in try NormalFormGame(actionCounts: [2, 2], exactPayoffs: payoffs) }
        #expect(e?.message.contains("player 2") == true, "\(String(describing: e))")
        #expect(e?.message.contains("(1,2)") == true, "\(String(describing: e))")
    }

    /// Shapes whose payoff array could not fit in memory (10^15 joint actions; products that
    /// overflow Int) are rejected as "too large" before any allocation, so at once.
    @Test(arguments: [[100_000, 100_000, 100_000], [Int.max, 2], [1 << 40, 1 << 40], [1 << 27, 1],
                      [2, Int.max], [1 << 14, 1 << 14, 1 << 14, 1 << 14]])
    func tooLargeShapeFailsQuickly(_ shape: [Int]) {
        let clock = ContinuousClock()
        var e: GameError?
        let elapsed = clock.measure {
            e = error { () throws(GameError) in try NormalFormGame(actionCounts: shape, payoffs: []) }
        }
        #expect(e?.message.contains("too large") == true, "\(String(describing: e))")
        #expect(elapsed < .seconds(1))
    }

    // MARK: Layout

    /// `jointIndex` and `actions(ofJointIndex:)` are inverse bijections and agree with the
    /// row-major formula of docs/reference.md §1 on several shapes.
    @Test(arguments: [[2, 3, 4], [1, 5], [3], [4, 1, 2], [2, 2, 2, 2], [5, 3]])
    func jointIndexRoundTrip(_ shape: [Int]) {
        let game = TestGames.integer(shape, range: -3...3, seed: 1)
        #expect(game.playerCount == shape.count)
        #expect(game.jointActionCount == shape.reduce(1, *))
        let all = Layout.allJointActions(shape)
        for (i, actions) in all.enumerated() {
            #expect(game.jointIndex(actions) == i)
            #expect(Layout.index(actions, shape: shape) == i)
            #expect(game.actions(ofJointIndex: i) == actions)
        }
        // Strides: stride of player p is the product of the later players' action counts.
        for p in 0..<shape.count {
            #expect(game.strides[p] == shape[(p + 1)...].reduce(1, *))
        }
    }

    /// A hand-written 2x3 game: payoffs[p][a1][a2] flattened row-major with player 2's action
    /// fastest, so entry (p, a1, a2) sits at p·6 + a1·3 + a2.
    @Test func rowMajorLayoutOnHandWrittenExample() throws {
        // Player 1: [[1, 2, 3], [4, 5, 6]]; player 2: [[10, 20, 30], [40, 50, 60]].
        let game = try NormalFormGame(actionCounts: [2, 3], payoffs: [1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60])
        #expect(game.payoff(player: 0, jointIndex: game.jointIndex([1, 2])) == 6)
        #expect(game.payoff(player: 0, jointIndex: game.jointIndex([0, 1])) == 2)
        #expect(game.payoff(player: 0, jointIndex: game.jointIndex([1, 0])) == 4)
        #expect(game.payoff(player: 1, jointIndex: game.jointIndex([0, 1])) == 20)
        #expect(game.payoff(player: 1, jointIndex: game.jointIndex([1, 1])) == 50)
        #expect(game.jointIndex([0, 2]) == 2)
        #expect(game.jointIndex([1, 0]) == 3)
        #expect(game.actions(ofJointIndex: 4) == [1, 1])
        #expect(game.actions(ofJointIndex: 2) == [0, 2])
        #expect(game.strides == [3, 1])
        #expect(game.welfare == [11, 22, 33, 44, 55, 66])
        #expect(game.rationalPayoffs == [1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60].map { Rational($0) })
        #expect(!game.hasExactPayoffs)
    }

    // MARK: Welfare

    /// Default welfare is Σ_p G_p(a), as doubles and exactly; with decimal payoffs the exact sum
    /// 0.1 + 0.2 is 3/10, not the double sum 0.30000000000000004.
    @Test func welfareIsSumOfPayoffsByDefault() throws {
        let game = TestGames.decimal([2, 3, 2], seed: 7)
        let joint = game.jointActionCount
        let exact = try #require(game.exactPayoffs)
        for a in 0..<joint {
            var sum = Rational.zero
            var doubleSum = 0.0
            for p in 0..<game.playerCount {
                sum += exact[p * joint + a]
                doubleSum += game.payoffs[p * joint + a]
            }
            #expect(game.rationalWelfare[a] == sum)
            #expect(abs(game.welfare[a] - doubleSum) <= 1e-12)
        }
        let tenths = try NormalFormGame(actionCounts: [1, 1],
                                        exactPayoffs: [Rational(exactly: "0.1")!, Rational(exactly: "0.2")!])
        #expect(tenths.rationalWelfare == [Rational(3, 10)])
        #expect(tenths.payoffs == [0.1, 0.2])
    }

    /// A custom welfare replaces the sum; its exact version is kept.
    @Test func customWelfareIsUsed() throws {
        let game = try NormalFormGame(actionCounts: [2, 2], exactPayoffs: (1...8).map { Rational($0) },
                                      exactWelfare: [Rational(1, 3), 0, 0, 5])
        #expect(game.rationalWelfare == [Rational(1, 3), 0, 0, 5])
        #expect(game.welfare == [1.0 / 3, 0, 0, 5])
        let bad = error { () throws(GameError) in
            try NormalFormGame(actionCounts: [2, 2], payoffs: [Double](repeating: 0, count: 8), welfare: [1, 2, 3])
        }
        #expect(bad != nil)
    }

    /// A non-finite custom welfare is reported with its joint action 1-based, as people read
    /// it (docs/reference.md §1): in a 2x2 game flat index 3 is the joint action (2,2).
    @Test func nonFiniteWelfareIsNamedOneBased() {
        let e = error { () throws(GameError) in
            try NormalFormGame(actionCounts: [2, 2], payoffs: [Double](repeating: 0, count: 8),
                               welfare: [0, 0, 0, .nan])
        }
        #expect(e != nil)
        #expect(e?.message.contains("(2,2)") == true, "\(String(describing: e))")
    }

    // MARK: Permutations

    /// permutingPlayers(order): new player i is old player order[i]; the new game's payoff of
    /// new player i at joint action b equals the old payoff of player order[i] at the joint
    /// action a with a[order[i]] = b[i]. Applying the inverse permutation restores the game.
    @Test(arguments: [[2, 0, 1], [1, 2, 0], [0, 1, 2], [2, 1, 0]])
    func permutingPlayers(_ order: [Int]) throws {
        var game = TestGames.decimal([2, 3, 4], seed: 11)
        game.playerNames = ["P", "Q", "R"]
        game.actionNames = [["p1", "p2"], ["q1", "q2", "q3"], ["r1", "r2", "r3", "r4"]]
        let shape = game.actionCounts
        let permuted = game.permutingPlayers(order)
        let newShape = order.map { shape[$0] }
        #expect(permuted.actionCounts == newShape)
        #expect(permuted.playerNames == order.map { ["P", "Q", "R"][$0] })
        let oldExact = try #require(game.exactPayoffs)
        let newExact = try #require(permuted.exactPayoffs)
        let oldJoint = game.jointActionCount
        for b in Layout.allJointActions(newShape) {
            var a = [Int](repeating: 0, count: 3)
            for i in 0..<3 { a[order[i]] = b[i] }
            for i in 0..<3 {
                let newValue = newExact[i * oldJoint + Layout.index(b, shape: newShape)]
                let oldValue = oldExact[order[i] * oldJoint + Layout.index(a, shape: shape)]
                #expect(newValue == oldValue)
                #expect(permuted.payoffs[i * oldJoint + Layout.index(b, shape: newShape)]
                        == game.payoffs[order[i] * oldJoint + Layout.index(a, shape: shape)])
            }
        }
        var inverse = [Int](repeating: 0, count: 3)
        for i in 0..<3 { inverse[order[i]] = i }
        #expect(permuted.permutingPlayers(inverse) == game)
    }

    /// permutingActions(of: p, order): new action j of player p is old action order[j]; the
    /// new game's payoffs at b equal the old at a with a_p = order[b_p], for every player.
    /// The inverse permutation restores the game, custom welfare included.
    @Test(arguments: [(0, [1, 0]), (1, [2, 0, 1]), (2, [3, 1, 0, 2]), (1, [0, 1, 2])])
    func permutingActions(_ player: Int, _ order: [Int]) throws {
        let base = TestGames.integer([2, 3, 4], range: -9...9, seed: 21)
        let welfare = (0..<base.jointActionCount).map { Rational($0 * 3 - 7, 2) }
        let game = try NormalFormGame(actionCounts: base.actionCounts, exactPayoffs: base.exactPayoffs!,
                                      exactWelfare: welfare)
        let permuted = game.permutingActions(of: player, order)
        let shape = game.actionCounts
        let joint = game.jointActionCount
        let oldExact = try #require(game.exactPayoffs)
        let newExact = try #require(permuted.exactPayoffs)
        for b in Layout.allJointActions(shape) {
            var a = b
            a[player] = order[b[player]]
            for p in 0..<3 {
                #expect(newExact[p * joint + Layout.index(b, shape: shape)]
                        == oldExact[p * joint + Layout.index(a, shape: shape)])
            }
            #expect(permuted.rationalWelfare[Layout.index(b, shape: shape)]
                    == welfare[Layout.index(a, shape: shape)])
        }
        var inverse = [Int](repeating: 0, count: order.count)
        for j in 0..<order.count { inverse[order[j]] = j }
        #expect(permuted.permutingActions(of: player, inverse) == game)
    }
}
