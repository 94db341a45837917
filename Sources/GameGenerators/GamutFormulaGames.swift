import Foundation
import NormalFormGames

// DispersionGame, MinimumEffortGame and TravelersDilemma (docs/gamut.md, GAMUT's generators), with `-random_params`.
//
// GAMUT numbers actions 1..A; the formulas below use that number (effort, claim) while our layout
// numbers actions 0..A−1, so action index k means GAMUT action k + 1.
//
// Degenerate cases (documented, not redrawn): with A = 1 every family has a single joint action
// (a "constant" game, which GAMUT's normalisation rejects; `Gamut.normalize` throws as well). For
// A ≥ 2 and N ≥ 2 none of the three families can be constant, except Minimum Effort when b is
// drawn as exactly 0 (then c = 0 too), which happens with probability 2⁻⁵³ per game.

extension Gamut {
    /// The shape of a symmetric-action GAMUT family: N players with A actions each, and the layout,
    /// after checking that the payoff array fits the package's size limit.
    static func formulaShape(_ actionCounts: [Int], family: String) throws(GeneratorError)
        -> (players: Int, actions: Int, layout: JointActionLayout) {
        guard let actions = actionCounts.first, actionCounts.count >= 1 else {
            throw GeneratorError("\(family) needs at least one player")
        }
        guard actionCounts.allSatisfy({ $0 == actions }), actions >= 1 else {
            throw GeneratorError("\(family) needs every player to have the same positive number of actions")
        }
        var entries = actionCounts.count
        for n in actionCounts {
            let (product, overflow) = entries.multipliedReportingOverflow(by: n)
            guard !overflow, product <= NormalFormGame.maximumPayoffEntries else {
                throw GeneratorError("\(family) with \(actionCounts.count) players and \(actions) actions exceeds the limit of "
                                     + "\(NormalFormGame.maximumPayoffEntries) payoff entries")
            }
            entries = product
        }
        return (actionCounts.count, actions, JointActionLayout(actionCounts))
    }

    /// Calls `body(index, actions)` for every joint action in layout order (player N's action
    /// fastest), with 0-based actions, without recomputing the digits of each index.
    static func formulaForEachProfile(_ layout: JointActionLayout, _ body: (Int, [Int]) -> Void) {
        let counts = layout.actionCounts
        var actions = [Int](repeating: 0, count: counts.count)
        for index in 0..<layout.jointActionCount {
            body(index, actions)
            var p = counts.count - 1
            while p >= 0 {
                actions[p] += 1
                if actions[p] < counts[p] { break }
                actions[p] = 0
                p -= 1
            }
        }
    }

    /// GAMUT's DispersionGame: a common-payoff game whose value is a strictly increasing function
    /// of the entropy of the action-count vector.
    ///
    /// The entropy of counts c is H(c) = −Σ (c_k/N) log₂(c_k/N), rounded to 1e-5. The distinct
    /// rounded entropies of all partitions of N into at most A positive parts (the possible sorted
    /// count vectors) are collected (K of them); K distinct values are drawn iid U[−100, 100) (a
    /// draw equal to an earlier one is redrawn), both lists are sorted ascending and paired. Every
    /// player receives the value of the profile's entropy. Nothing is randomised besides the values
    /// (the class has no parameters); `parameters["levels"]` records K.
    ///
    /// The entropy of a profile is computed from its sorted count vector exactly as for the
    /// partition, so equal count multisets always get the same value.
    static func dispersionGame(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        let (n, a, layout) = try formulaShape(actionCounts, family: "DispersionGame")

        // Partitions of n into at most a positive parts, as non-increasing count vectors.
        var entropyOfPartition: [[Int]: Int] = [:]
        var current: [Int] = []
        func enumerate(remaining: Int, largest: Int) {
            if remaining == 0 {
                entropyOfPartition[current] = dispersionEntropyKey(current, players: n)
                return
            }
            guard current.count < a else { return }
            for part in stride(from: min(largest, remaining), through: 1, by: -1) {
                current.append(part)
                enumerate(remaining: remaining - part, largest: part)
                current.removeLast()
            }
        }
        enumerate(remaining: n, largest: n)

        let levels = Set(entropyOfPartition.values).sorted()
        var drawn = Set<Double>()
        var values: [Double] = []
        while values.count < levels.count {
            let v = random.uniform(-100, 100)
            if drawn.insert(v).inserted { values.append(v) }
        }
        values.sort()
        let valueOfLevel = Dictionary(uniqueKeysWithValues: zip(levels, values))

        let joint = layout.jointActionCount
        var payoffs = [Double](repeating: 0, count: n * joint)
        var counts = [Int](repeating: 0, count: a)
        formulaForEachProfile(layout) { index, actions in
            for k in 0..<a { counts[k] = 0 }
            for x in actions { counts[x] += 1 }
            let sorted = counts.filter { $0 > 0 }.sorted(by: >)
            let value = valueOfLevel[entropyOfPartition[sorted]!]!
            for p in 0..<n { payoffs[p * joint + index] = value }
        }
        return GeneratedGame(payoffs: payoffs, parameters: ["levels": Double(levels.count)])
    }

    /// The entropy of a count vector (sorted, positive parts) rounded to 1e-5, as an integer number
    /// of 1e-5 units.
    static func dispersionEntropyKey(_ sortedCounts: [Int], players: Int) -> Int {
        var h = 0.0
        for c in sortedCounts where c > 0 {
            let q = Double(c) / Double(players)
            h -= q * log2(q)
        }
        return Int((h * 1e5).rounded())
    }

    /// GAMUT's MinimumEffortGame: u_i = a + b·min_j e_j − c·e_i with e_j the GAMUT action number
    /// (effort 1..A). Under `-random_params`: a ~ U[−100, 100), b ~ U[0, 100), c ~ U[0, b), recorded
    /// as `a`, `b`, `c`.
    static func minimumEffortGame(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        let (n, _, layout) = try formulaShape(actionCounts, family: "MinimumEffortGame")
        let a = random.uniform(-100, 100)
        let b = random.uniform(0, 100)
        let c = random.uniform(0, b)
        let joint = layout.jointActionCount
        var payoffs = [Double](repeating: 0, count: n * joint)
        formulaForEachProfile(layout) { index, actions in
            let minimum = Double(actions.min()! + 1)
            for p in 0..<n { payoffs[p * joint + index] = a + b * minimum - c * Double(actions[p] + 1) }
        }
        return GeneratedGame(payoffs: payoffs, parameters: ["a": a, "b": b, "c": c])
    }

    /// GAMUT's (N-player) TravelersDilemma: with M the lowest claim (GAMUT action number 1..A),
    /// every player receives M and a unique lowest claimant receives M + R. Under
    /// `-random_params` the reward R ~ U[1, A) (GAMUT resets the upper bound to the number of
    /// actions; with A = 1 the range is empty and R = 1), recorded as `reward`.
    static func travelersDilemma(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        let (n, actionCount, layout) = try formulaShape(actionCounts, family: "TravelersDilemma")
        let reward = random.uniform(1, Double(actionCount))
        let joint = layout.jointActionCount
        var payoffs = [Double](repeating: 0, count: n * joint)
        formulaForEachProfile(layout) { index, actions in
            let lowest = actions.min()!
            let claim = Double(lowest + 1)
            var lowestCount = 0
            for x in actions where x == lowest { lowestCount += 1 }
            for p in 0..<n {
                payoffs[p * joint + index] = lowestCount == 1 && actions[p] == lowest ? claim + reward : claim
            }
        }
        return GeneratedGame(payoffs: payoffs, parameters: ["reward": reward])
    }
}
