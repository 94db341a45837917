import Foundation
public import EquilibriumSolvers
public import NormalFormGames

/// A relabelling of a game's players and actions that keeps its shape: new player i is old
/// player `players[i]` (players are only exchanged with players of the same action count), and
/// new action j of new player i is old action `actions[i][j]` of that old player.
///
/// Applying it maps a game G to the game G' with G'_i(b) = G_{players[i]}(a(b)), where a(b) is
/// the old joint action with a_{players[i]} = actions[i][b_i]. An equivariant predictor maps G'
/// to the permuted prediction on G: σ'(b) = σ(a(b)), α'(i, r→k) = α(players[i], π_i(r)→π_i(k)).
public struct GamePermutation: Sendable, Equatable, Hashable {
    public var players: [Int]
    public var actions: [[Int]]

    /// Creates a permutation, checking that it keeps the shape `actionCounts`.
    public init(players: [Int], actions: [[Int]], actionCounts: [Int]) throws(VerificationError) {
        let n = actionCounts.count
        guard players.count == n, players.sorted() == Array(0..<n) else {
            throw VerificationError("player permutation \(players) is not a permutation of 0..<\(n)")
        }
        guard actions.count == n else { throw VerificationError("need one action permutation per player (\(n))") }
        for i in 0..<n {
            guard actionCounts[players[i]] == actionCounts[i] else {
                throw VerificationError("player permutation \(players) changes the shape "
                                        + "\(actionCounts.map(String.init).joined(separator: "x"))")
            }
            guard actions[i].sorted() == Array(0..<actionCounts[i]) else {
                throw VerificationError("action permutation \(actions[i]) of player \(i + 1) is not a permutation "
                                        + "of 0..<\(actionCounts[i])")
            }
        }
        self.players = players
        self.actions = actions
    }

    /// The identity on a shape.
    public static func identity(_ actionCounts: [Int]) -> GamePermutation {
        try! GamePermutation(players: Array(actionCounts.indices), actions: actionCounts.map { Array(0..<$0) },
                             actionCounts: actionCounts)
    }

    /// A uniformly random shape-preserving permutation: players shuffled within each group of
    /// equal action count, and every player's actions shuffled (Fisher–Yates on SplitMix64).
    public static func random(actionCounts: [Int], generator: inout SplitMix64,
                              permutePlayers: Bool = true, permuteActions: Bool = true) -> GamePermutation {
        let n = actionCounts.count
        var players = Array(0..<n)
        if permutePlayers {
            for count in Set(actionCounts).sorted() {
                var slots = (0..<n).filter { actionCounts[$0] == count }
                let original = slots
                shuffle(&slots, &generator)
                for (k, slot) in original.enumerated() { players[slot] = slots[k] }
            }
        }
        var actions = actionCounts.map { Array(0..<$0) }
        if permuteActions {
            for i in 0..<n { shuffle(&actions[i], &generator) }
        }
        return try! GamePermutation(players: players, actions: actions, actionCounts: actionCounts)
    }

    private static func shuffle(_ values: inout [Int], _ generator: inout SplitMix64) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, through: 1, by: -1) {
            // Unbiased index in 0...i by rejection.
            let bound = UInt64(i + 1)
            let limit = UInt64.max - UInt64.max % bound
            var draw = generator.next()
            while draw >= limit { draw = generator.next() }
            values.swapAt(i, Int(draw % bound))
        }
    }

    /// For every new joint index b, the old joint index a(b).
    public func jointSource(actionCounts: [Int]) -> [Int] {
        let n = actionCounts.count
        let layout = JointActionLayout(actionCounts)
        let strides = layout.strides
        let joint = layout.jointActionCount
        var result = [Int](repeating: 0, count: joint)
        var b = [Int](repeating: 0, count: n)
        for index in 0..<joint {
            layout.actions(of: index, into: &b)
            var old = 0
            for i in 0..<n { old += actions[i][b[i]] * strides[players[i]] }
            result[index] = old
        }
        return result
    }

    /// For every new gain row (canonical order of `concept`), the old row it equals.
    public func rowSource(concept: EquilibriumConcept, actionCounts: [Int]) -> [Int] {
        let n = actionCounts.count
        var offsets = [Int](repeating: 0, count: n)
        var total = 0
        for p in 0..<n {
            offsets[p] = total
            total += concept == .correlated ? actionCounts[p] * (actionCounts[p] - 1) : actionCounts[p]
        }
        func index(player p: Int, recommended r: Int?, deviation k: Int) -> Int {
            if let r { return offsets[p] + r * (actionCounts[p] - 1) + (k < r ? k : k - 1) }
            return offsets[p] + k
        }
        var result: [Int] = []
        result.reserveCapacity(total)
        for i in 0..<n {
            let old = players[i]
            let m = actionCounts[i]
            switch concept {
            case .correlated:
                for r in 0..<m {
                    for k in 0..<m where k != r {
                        result.append(index(player: old, recommended: actions[i][r], deviation: actions[i][k]))
                    }
                }
            case .coarseCorrelated:
                for k in 0..<m { result.append(index(player: old, recommended: nil, deviation: actions[i][k])) }
            }
        }
        return result
    }

    /// A vector over joint actions, permuted: new[b] = old[a(b)].
    public func permutingJoint(_ values: [Double], actionCounts: [Int]) -> [Double] {
        jointSource(actionCounts: actionCounts).map { values[$0] }
    }

    /// A per-player vector, permuted: new[i] = old[players[i]].
    public func permutingPlayerValues<T>(_ values: [T]) -> [T] {
        players.map { values[$0] }
    }

    /// A dual vector, permuted: new row = old row it equals.
    public func permutingDuals(_ values: [Double], concept: EquilibriumConcept, actionCounts: [Int]) -> [Double] {
        rowSource(concept: concept, actionCounts: actionCounts).map { values[$0] }
    }

    /// The permuted game (doubles; a custom welfare is permuted too; names are dropped).
    public func permuting(_ game: NormalFormGame) -> NormalFormGame {
        let counts = game.actionCounts
        let source = jointSource(actionCounts: counts)
        let joint = game.jointActionCount
        var payoffs = [Double](repeating: 0, count: game.payoffs.count)
        for i in 0..<counts.count {
            let old = players[i]
            for b in 0..<joint { payoffs[i * joint + b] = game.payoffs[old * joint + source[b]] }
        }
        let welfare = game.customWelfare.map { w in source.map { w[$0] } }
        return try! NormalFormGame(actionCounts: counts, payoffs: payoffs, welfare: welfare)
    }

    /// The MWMRE problem of the permuted game: σ̂ and W permuted over joint actions, ε̂ and ε⁺
    /// over players.
    public func permuting(_ parameters: MWMREParameters, actionCounts: [Int]) -> MWMREParameters {
        var result = parameters
        result.target = parameters.target.map { permutingJoint($0, actionCounts: actionCounts) }
        result.welfare = parameters.welfare.map { permutingJoint($0, actionCounts: actionCounts) }
        result.epsilonTarget = permutingPlayerValues(parameters.epsilonTarget)
        result.epsilonCap = permutingPlayerValues(parameters.epsilonCap)
        return result
    }
}
