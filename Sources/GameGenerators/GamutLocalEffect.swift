import NormalFormGames

/// The drawn ingredients of one local-effect game (docs/gamut.md, GAMUT's generators): a graph on the A actions, one
/// function class for the whole game, a node function f_k per action and the neighbour functions
/// g_{k,j} (the effect of the count on action j on a player choosing k, for adjacent k and j).
///
/// - UniformLEG: an effect function e_j per action, and g_{k,j} = e_j.
/// - BidirectionalLEG: a function h_{kj} per undirected edge, used both ways (g_{k,j} = g_{j,k}).
///
/// A player choosing action k pays cost_k(D) = f_k(D_k) + Σ_{j ∈ neighbours(k)} g_{k,j}(D_j), where
/// D_j is the number of players choosing j, and receives −cost_k(D). Every function has the domain
/// [0, N] and is evaluated at integer counts.
struct LocalEffectModel: Sendable {
    /// The graph on the actions.
    let graph: GamutGraph
    /// Whether the game is a BidirectionalLEG (otherwise a UniformLEG).
    let bidirectional: Bool
    /// The class all functions of the game were drawn from.
    let functionClass: GamutFunctionClass
    /// f_k, one per action.
    let nodeFunctions: [GamutFunction]
    /// `neighbourFunctions[k][t]` is g_{k, graph.neighbors[k][t]}.
    let neighbourFunctions: [[GamutFunction]]

    /// The cost of a player choosing `action` when `counts[j]` players choose j.
    func cost(action k: Int, counts: [Int]) -> Double {
        var total = nodeFunctions[k].eval(Double(counts[k]))
        for (t, j) in graph.neighbors[k].enumerated() { total += neighbourFunctions[k][t].eval(Double(counts[j])) }
        return total
    }

    /// Draws the functions for a given graph: the class uniformly over the 8 ground classes, then
    /// f_0…f_{A−1}, then (UniformLEG) e_0…e_{A−1} or (BidirectionalLEG) h_{kj} for each edge in the
    /// order of k ascending and j in k's neighbour order, j > k. Each instance draws its own
    /// parameters (a DecreasingWrapper also its own base class and `min`).
    static func draw(graph: GamutGraph, players: Int, bidirectional: Bool, random: inout GameRandom) -> LocalEffectModel {
        let classes = GamutFunctionClass.allCases
        let functionClass = classes[random.integer(in: 0...(classes.count - 1))]
        let top = Double(players)
        func drawOne() -> GamutFunction { GamutFunction.random(functionClass, domainMin: 0, domainMax: top, random: &random) }
        let actions = graph.nodeCount
        let nodeFunctions = (0..<actions).map { _ in drawOne() }
        var neighbourFunctions: [[GamutFunction]]
        if bidirectional {
            var edgeFunction: [Int: GamutFunction] = [:]
            for k in 0..<actions {
                for j in graph.neighbors[k] where j > k { edgeFunction[k * actions + j] = drawOne() }
            }
            neighbourFunctions = (0..<actions).map { k in
                graph.neighbors[k].map { j in edgeFunction[min(k, j) * actions + max(k, j)]! }
            }
        } else {
            let effects = (0..<actions).map { _ in drawOne() }
            neighbourFunctions = (0..<actions).map { k in graph.neighbors[k].map { effects[$0] } }
        }
        return LocalEffectModel(graph: graph, bidirectional: bidirectional, functionClass: functionClass,
                                nodeFunctions: nodeFunctions, neighbourFunctions: neighbourFunctions)
    }
}

extension Gamut {
    /// GAMUT's UniformLEG (`bidirectional == false`) or BidirectionalLEG (`true`) under
    /// `-random_params`, with the graph class fixed by the preset (see ``LocalEffectModel``).
    ///
    /// The graph on the A actions is drawn first (``GamutGraph/make(_:nodes:random:parameters:)``),
    /// then the functions. Recorded parameters: `func` (the class's index in
    /// ``GamutFunctionClass/allCases``) and the graph's drawn values (`edges` for RandomGraph).
    ///
    /// Degenerate cases (not redrawn): with A = 1 there is one joint action. If every function is
    /// flat (PolyFunction or IncreasingPoly of degree 0, each with probability 1/11, so at most
    /// (1/11)^A per game) payoffs depend only on a player's own action; the game is still valid and
    /// not constant (almost surely). All values are finite: the functions are
    /// bounded on [0, N] ⊂ [0, 100] (the largest, exp(αN) < e¹⁰⁰); a non-finite payoff would throw.
    static func localEffectGame(actionCounts: [Int], bidirectional: Bool, graph: GamutGraphKind,
                                random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        try drawLocalEffectGame(actionCounts: actionCounts, bidirectional: bidirectional, graph: graph, random: &random).game
    }

    /// ``localEffectGame(actionCounts:bidirectional:graph:random:)`` together with its model (for tests).
    static func drawLocalEffectGame(actionCounts: [Int], bidirectional: Bool, graph kind: GamutGraphKind,
                                    random: inout GameRandom) throws(GeneratorError) -> (game: GeneratedGame, model: LocalEffectModel) {
        let family = bidirectional ? "BidirectionalLEG" : "UniformLEG"
        let (n, a, layout) = try formulaShape(actionCounts, family: family)
        var parameters: [String: Double] = [:]
        let graph = try GamutGraph.make(kind, nodes: a, random: &random, parameters: &parameters)
        let model = LocalEffectModel.draw(graph: graph, players: n, bidirectional: bidirectional, random: &random)
        parameters["func"] = Double(model.functionClass.index)

        // Function values at every count 0...n, so each profile costs only additions.
        let nodeValues = model.nodeFunctions.map { f in (0...n).map { f.eval(Double($0)) } }
        let neighbourValues = model.neighbourFunctions.map { row in row.map { f in (0...n).map { f.eval(Double($0)) } } }

        let joint = layout.jointActionCount
        var payoffs = [Double](repeating: 0, count: n * joint)
        var counts = [Int](repeating: 0, count: a)
        var costs = [Double](repeating: 0, count: a)
        formulaForEachProfile(layout) { index, actions in
            for k in 0..<a { counts[k] = 0 }
            for x in actions { counts[x] += 1 }
            for k in 0..<a where counts[k] > 0 {
                var total = nodeValues[k][counts[k]]
                for (t, j) in graph.neighbors[k].enumerated() { total += neighbourValues[k][t][counts[j]] }
                costs[k] = total
            }
            for p in 0..<n { payoffs[p * joint + index] = -costs[actions[p]] }
        }
        guard payoffs.allSatisfy(\.isFinite) else {
            throw GeneratorError("\(family): non-finite payoff (function class \(model.functionClass.rawValue))")
        }
        return (GeneratedGame(payoffs: payoffs, parameters: parameters), model)
    }
}
