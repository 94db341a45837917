import Foundation
import GameFormats
import GameGenerators
import NormalFormGames

/// A game as plain data: shape, payoffs `[N, n_1, …, n_N]` row-major, optional custom welfare.
struct GameData: Sendable {
    var shape: [Int]
    var payoffs: [Double]
    var welfare: [Double]?
    /// Exact payoffs, when the game is a text game transformed exactly (`payoffs` then holds
    /// their nearest doubles): written as `"p/q"` strings, so that ties stay ties.
    var exact: [Rational]?

    var players: Int { shape.count }
    var joint: Int { shape.reduce(1, *) }

    func payoffs(of p: Int) -> ArraySlice<Double> { payoffs[(p * joint)..<((p + 1) * joint)] }

    /// max − min of player p's payoffs.
    func range(of p: Int) -> Double {
        let s = payoffs(of: p)
        return (s.max() ?? 0) - (s.min() ?? 0)
    }

    func largestMagnitude(of p: Int) -> Double { payoffs(of: p).reduce(0) { max($0, abs($1)) } }

    /// The welfare the library uses: the custom one, or Σ_p G_p summed in player order.
    var libraryWelfare: [Double] {
        if let welfare { return welfare }
        var w = [Double](repeating: 0, count: joint)
        for p in 0..<players { for a in 0..<joint { w[a] += payoffs[p * joint + a] } }
        return w
    }

    /// `{"payoffs": [...]}` (and `"welfare"`) with every double in its shortest round-trip form.
    var json: String {
        var out = "{\"payoffs\": "
        func nestedText(_ values: ArraySlice<String>, _ dims: ArraySlice<Int>, _ out: inout String) {
            guard let first = dims.first else { return }
            out += "["
            if dims.count == 1 {
                out += values.joined(separator: ", ")
            } else {
                let stride = values.count / first
                for i in 0..<first {
                    if i > 0 { out += ", " }
                    let start = values.startIndex + i * stride
                    nestedText(values[start..<(start + stride)], dims.dropFirst(), &out)
                }
            }
            out += "]"
        }
        let texts = exact.map { $0.map { "\"\($0)\"" } } ?? payoffs.map(Self.number)
        nestedText(texts[...], ([players] + shape)[...], &out)
        if let welfare {
            out += ", \"welfare\": "
            nestedText(welfare.map(Self.number)[...], shape[...], &out)
        }
        out += "}"
        return out
    }

    static func number(_ x: Double) -> String {
        // Swift prints the shortest text that reads back as the same double.
        if x == 0 { return x.sign == .minus ? "-0.0" : "0" }
        return "\(x)"
    }

    /// The library's game: from the doubles, or (text origin) by reading `json` back as
    /// `equilibria solve` does, which gives exact decimal payoffs.
    func game(textOrigin: Bool) throws -> NormalFormGame {
        if textOrigin || exact != nil { return try GameJSON.read(json) }
        return try NormalFormGame(actionCounts: shape, payoffs: payoffs, welfare: welfare)
    }
}

enum GameFactory {
    /// The base game of a plan, at its natural scale (before scales and offsets).
    static func base(_ plan: CasePlan) -> GameData {
        var r = GameRandom(seed: plan.gameSeed)
        var shape = plan.shape
        if let p = plan.duplicatePlayer { shape[p] -= 1 }
        var payoffs = draw(plan.source, shape: shape, random: &r)
        if let p = plan.duplicatePlayer, let at = plan.duplicateAt, let of = plan.duplicateOf {
            // Final action j of player p is original action map[j]; `at` repeats final action `of`.
            var map: [Int] = []
            var original = 0
            for j in 0..<plan.shape[p] {
                if j == at { map.append(-1) } else { map.append(original); original += 1 }
            }
            map[at] = map[of]
            payoffs = remapActions(payoffs, shape: shape, player: p, newCount: plan.shape[p], map: map)
        }
        var data = GameData(shape: plan.shape, payoffs: payoffs)
        if plan.customWelfare {
            let joint = data.joint
            data.welfare = (0..<joint).map { _ in (r.normal() * 4).rounded() / 4 }
        }
        return data
    }

    static func draw(_ source: PayoffSource, shape: [Int], random r: inout GameRandom) -> [Double] {
        let joint = shape.reduce(1, *)
        let count = joint * shape.count
        switch source {
        case .normal:
            return (0..<count).map { _ in r.normal() }
        case .invariant(let name):
            let norm = PayoffNormalization.Norm(rawValue: name) ?? .l2
            if joint < 2 { return (0..<count).map { _ in r.normal() } }
            return InvariantGames.generate(norm: norm, actionCounts: shape, random: &r)
        case .gamut(let name):
            if let preset = GamutPreset(rawValue: name), let g = try? preset.generate(actionCounts: shape, random: &r),
               g.payoffs.allSatisfy({ $0.isFinite }) {
                return g.payoffs
            }
            return (0..<count).map { _ in r.normal() }
        case .smallIntegers:
            return (0..<count).map { _ in Double(r.integer(in: -3...3)) }
        case .cauchy:
            return (0..<count).map { _ in
                let v = tan(Double.pi * (r.unit() - 0.5))
                return v.isFinite ? max(-1e12, min(1e12, v)) : 0
            }
        case .studentT2:
            // t(2) = Z / sqrt(χ²₂ / 2), χ²₂ = −2 ln U.
            return (0..<count).map { _ in
                let z = r.normal()
                let chi = -2 * log(1 - r.unit())
                let v = z / (chi / 2).squareRoot()
                return v.isFinite ? max(-1e12, min(1e12, v)) : 0
            }
        }
    }

    /// Player p gets `newCount` actions; new action j is old action `map[j]`.
    static func remapActions(_ payoffs: [Double], shape: [Int], player p: Int, newCount: Int, map: [Int]) -> [Double] {
        var newShape = shape
        newShape[p] = newCount
        let oldJoint = shape.reduce(1, *)
        let newJoint = newShape.reduce(1, *)
        let oldStrides = JointActionLayout(shape).strides
        let newLayout = JointActionLayout(newShape)
        var result = [Double](repeating: 0, count: newJoint * shape.count)
        var actions = [Int](repeating: 0, count: shape.count)
        for a in 0..<newJoint {
            newLayout.actions(of: a, into: &actions)
            var old = 0
            for q in 0..<shape.count { old += (q == p ? map[actions[q]] : actions[q]) * oldStrides[q] }
            for q in 0..<shape.count { result[q * newJoint + a] = payoffs[q * oldJoint + old] }
        }
        return result
    }

    /// The effective per-player scales and offsets of a plan for a base game: offsets are the
    /// plan's factors times the scale and the player's payoff spread; scales shrink so that no
    /// payoff, gain or welfare can overflow.
    static func transform(_ plan: CasePlan, base: GameData) -> (scales: [Double], offsets: [Double]) {
        var scales = plan.scales
        var offsets = [Double](repeating: 0, count: base.players)
        let limit = 1e300 / Double(4 * base.players)
        for p in 0..<base.players {
            let spread = max(base.range(of: p), base.largestMagnitude(of: p), 1e-300)
            offsets[p] = plan.offsets[p] * spread
            let size = base.largestMagnitude(of: p) + abs(offsets[p])
            if size * scales[p] > limit { scales[p] = limit / size }
        }
        if plan.uniformScale {
            let c = scales.min() ?? 1
            scales = Array(repeating: c, count: base.players)
        }
        return (scales, zip(offsets, scales).map { $0 * $1 })
    }

    /// G'_p = c_p G_p + b_p exactly, from the exact payoffs of a text game: the doubles c_p and
    /// b_p are exact rationals, so every tie of G (within a player or across players' sums) stays
    /// a tie, as the invariance the oracle checks requires. The doubles are the nearest ones.
    static func applyExactly(_ base: GameData, exact: [Rational], scales: [Double], offsets: [Double]) -> GameData {
        var out = base
        let joint = base.joint
        var values = exact
        for p in 0..<base.players {
            let c = Rational(scales[p]), b = Rational(offsets[p])
            for a in 0..<joint { values[p * joint + a] = c * exact[p * joint + a] + b }
        }
        out.exact = values
        out.payoffs = values.map(\.doubleValue)
        return out
    }

    /// G'_p = c_p G_p + b_p. A custom welfare is kept as it is (it is not a payoff).
    static func apply(_ base: GameData, scales: [Double], offsets: [Double]) -> GameData {
        var out = base
        let joint = base.joint
        for p in 0..<base.players {
            for a in 0..<joint { out.payoffs[p * joint + a] = scales[p] * base.payoffs[p * joint + a] + offsets[p] }
        }
        return out
    }

    /// For a permutation: old joint index of each new joint index, and the new shape.
    static func jointMap(_ perm: PermutationPlan, shape: [Int]) -> (newShape: [Int], oldIndex: [Int]) {
        let newShape = perm.players.map { shape[$0] }
        let oldStrides = JointActionLayout(shape).strides
        let newLayout = JointActionLayout(newShape)
        let joint = shape.reduce(1, *)
        var oldIndex = [Int](repeating: 0, count: joint)
        var actions = [Int](repeating: 0, count: shape.count)
        for a in 0..<joint {
            newLayout.actions(of: a, into: &actions)
            var old = 0
            for i in 0..<shape.count {
                let q = perm.players[i]
                old += perm.actions[q][actions[i]] * oldStrides[q]
            }
            oldIndex[a] = old
        }
        return (newShape, oldIndex)
    }

    static func permute(_ base: GameData, _ perm: PermutationPlan) -> GameData {
        let (newShape, oldIndex) = jointMap(perm, shape: base.shape)
        let joint = base.joint
        var payoffs = [Double](repeating: 0, count: base.payoffs.count)
        for i in 0..<base.players {
            let q = perm.players[i]
            for a in 0..<joint { payoffs[i * joint + a] = base.payoffs[q * joint + oldIndex[a]] }
        }
        return GameData(shape: newShape, payoffs: payoffs, welfare: base.welfare.map { w in oldIndex.map { w[$0] } })
    }
}
