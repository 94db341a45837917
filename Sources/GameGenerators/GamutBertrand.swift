import Foundation
import NormalFormGames

/// The demand and cost functions of one Bertrand oligopoly (docs/gamut.md, GAMUT's generators), with K = 10000:
///
/// 1. Demand: D̃ = DecreasingWrapper on [0, A] (base uniform over the four increasing classes,
///    `min` ~ U[−1000, 1000)); offset s_D = max(0, −D̃(A)), scale k_D = K/(D̃(0) + s_D), and
///    D(x) = k_D (D̃(x) + s_D), so D(0) = K and D(A) = k_D·max(min, 0) ≥ 0.
/// 2. Cost: C̃ uniform over {IncreasingPoly, LogFunction} on [D(A)/N, K]; offset
///    s_C = max(0, −C̃(dMin)), scale k_C = K/(C̃(K) + s_C), and C(q) = k_C (C̃(q) + s_C).
/// 3. A firm's price is its GAMUT action number (1..A). With p* the lowest price and m* the number
///    of firms charging it, each of those firms sells q = max(D(p*), 0)/m* and earns p*·q − C(q);
///    every other firm earns 0.
struct BertrandModel: Sendable {
    /// K, the demand at price 0 and the cost of producing K.
    static let scale = 10000.0

    let demandFunction: GamutFunction
    let demandOffset: Double
    let demandScale: Double
    let costFunction: GamutFunction
    let costOffset: Double
    let costScale: Double

    /// D(x).
    func demand(_ price: Double) -> Double { demandScale * (demandFunction.eval(price) + demandOffset) }

    /// C(q).
    func cost(_ quantity: Double) -> Double { costScale * (costFunction.eval(quantity) + costOffset) }

    /// The profit of each of the `firms` firms that charge the lowest price `price`.
    func profit(price: Int, firms: Int) -> Double {
        let quantity = max(demand(Double(price)), 0) / Double(firms)
        return Double(price) * quantity - cost(quantity)
    }

    /// Draws the two functions as GAMUT does, or returns nil when the draw is degenerate (a scale
    /// 10000/0, i.e. a flat demand base with `min` ≤ 0 or a flat cost with a non-positive value,
    /// or any other non-finite constant): exactly the draws for which GAMUT's game is NaN.
    static func draw(players: Int, actions: Int, random: inout GameRandom) -> BertrandModel? {
        let top = Double(actions)
        let demand = GamutFunction.random(.decreasingWrapper, domainMin: 0, domainMax: top, random: &random)
        let demandOffset = max(0, -demand.eval(top))
        let demandScale = scale / (demand.eval(0) + demandOffset)
        guard demandScale.isFinite, demandScale > 0 else { return nil }
        let lowQuantity = demandScale * (demand.eval(top) + demandOffset) / Double(players)
        guard lowQuantity.isFinite, lowQuantity < scale else { return nil }

        let costClass = GamutFunctionClass.slowlyIncreasing[random.integer(in: 0...(GamutFunctionClass.slowlyIncreasing.count - 1))]
        let cost = GamutFunction.random(costClass, domainMin: lowQuantity, domainMax: scale, random: &random)
        let costOffset = max(0, -cost.eval(lowQuantity))
        let costScale = scale / (cost.eval(scale) + costOffset)
        guard costScale.isFinite, costScale > 0 else { return nil }
        return BertrandModel(demandFunction: demand, demandOffset: demandOffset, demandScale: demandScale,
                             costFunction: cost, costOffset: costOffset, costScale: costScale)
    }

    /// The drawn values, for ``GeneratedGame/parameters``: `cost_func`, `demand_func` (indices in
    /// ``GamutFunctionClass/allCases``), each function's own scalars prefixed `demand_` / `cost_`
    /// (e.g. `demand_min`, `demand_base_class`, `cost_degree`), and the offsets and scales.
    var parameters: [String: Double] {
        var result: [String: Double] = [
            "demand_func": Double(demandFunction.functionClass.index),
            "cost_func": Double(costFunction.functionClass.index),
            "demand_offset": demandOffset, "demand_scale": demandScale,
            "cost_offset": costOffset, "cost_scale": costScale,
        ]
        for (key, value) in demandFunction.parameters { result["demand_" + key] = value }
        for (key, value) in costFunction.parameters { result["cost_" + key] = value }
        return result
    }
}

extension Gamut {
    /// The most attempts a Bertrand game gets before generation fails.
    static let bertrandAttemptLimit = 100

    /// GAMUT's BertrandOligopoly under `-random_params` (see ``BertrandModel``).
    ///
    /// **Non-finite games are redrawn, never emitted.** In GAMUT, about 3.4% of games are all-NaN:
    /// a degree-0 IncreasingPoly with a negative constant as the cost, or as the demand wrapper's
    /// base together with a negative `min`, makes a scale 10000/0. Here such a draw (detected as a
    /// non-finite or non-positive scale, or any non-finite payoff) is discarded and the whole game
    /// (both functions) is drawn again from the same stream; the number of discarded draws is
    /// ``GeneratedGame/redraws``. The distribution is therefore GAMUT's conditioned on a finite
    /// game. After ``bertrandAttemptLimit`` failed attempts (probability ~0.034¹⁰⁰) a
    /// ``GeneratorError`` is thrown.
    ///
    /// Other degenerate cases: with A = 1 there is one joint action; a flat cost or flat demand with
    /// positive values gives a valid game (constant demand 10000 or constant cost 10000). A constant
    /// game would need every profit p·D(p)/m − C(D(p)/m) to vanish, which has probability 0.
    /// Payoffs are bounded by A·10000 above and −10000 below (C is increasing with C(10000) = 10000).
    static func bertrandOligopoly(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        try drawBertrandOligopoly(actionCounts: actionCounts, random: &random).game
    }

    /// ``bertrandOligopoly(actionCounts:random:)`` together with the accepted model (for tests).
    static func drawBertrandOligopoly(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError)
        -> (game: GeneratedGame, model: BertrandModel) {
        let (n, a, layout) = try formulaShape(actionCounts, family: "BertrandOligopoly")
        guard n >= 2 else { throw GeneratorError("BertrandOligopoly needs at least 2 players") }
        let joint = layout.jointActionCount
        for attempt in 0..<bertrandAttemptLimit {
            guard let model = BertrandModel.draw(players: n, actions: a, random: &random) else { continue }
            // profits[p][m]: price p (1-based), m firms at that price.
            var profits = [[Double]](repeating: [], count: a + 1)
            for price in 1...a { profits[price] = [0] + (1...n).map { model.profit(price: price, firms: $0) } }
            var payoffs = [Double](repeating: 0, count: n * joint)
            formulaForEachProfile(layout) { index, actions in
                let lowest = actions.min()!
                var firms = 0
                for x in actions where x == lowest { firms += 1 }
                let value = profits[lowest + 1][firms]
                for p in 0..<n where actions[p] == lowest { payoffs[p * joint + index] = value }
            }
            guard payoffs.allSatisfy(\.isFinite) else { continue }
            return (GeneratedGame(payoffs: payoffs, parameters: model.parameters, redraws: attempt), model)
        }
        throw GeneratorError("BertrandOligopoly: \(bertrandAttemptLimit) draws in a row gave a non-finite game")
    }
}
