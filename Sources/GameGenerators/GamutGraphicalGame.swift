import NormalFormGames

extension Gamut {
    /// GAMUT's RandomGraphicalGame (docs/gamut.md, GAMUT's generators; presets GraphicalGame-RG, -Road, -SG, -SW).
    ///
    /// A graph of class `graph` is drawn on the N players (``GamutGraph/make(_:nodes:random:parameters:)``,
    /// whose drawn values are recorded), then ``graphicalPayoffs(actionCounts:graph:random:)``.
    static func graphicalGame(actionCounts: [Int], graph: GamutGraphKind, random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        _ = try checkedLayout(actionCounts, family: "GraphicalGame")
        var parameters: [String: Double] = [:]
        let players = try GamutGraph.make(graph, nodes: actionCounts.count, random: &random, parameters: &parameters)
        let payoffs = try graphicalPayoffs(actionCounts: actionCounts, graph: players, random: &random)
        return GeneratedGame(payoffs: payoffs, parameters: parameters)
    }

    /// Graphical-game payoffs on a given player graph: player i with neighbours (j_1, …, j_d) has
    /// its own table T_i over (a_i, a_{j_1}, …, a_{j_d}) with iid U[−100, 100) entries (GAMUT keeps
    /// player 1's payoffs of a (d+1)-player RandomGame), and u_i(a) = T_i[a_i, a_{j_1}, …, a_{j_d}].
    /// A player of degree 0 depends on its own action only.
    ///
    /// Tables are drawn player by player, row-major over (own action, neighbours in insertion order).
    /// GAMUT needs equal action counts; the construction itself does not, so any shape is accepted.
    static func graphicalPayoffs(actionCounts: [Int], graph: GamutGraph, random: inout GameRandom) throws(GeneratorError) -> [Double] {
        let layout = try checkedLayout(actionCounts, family: "GraphicalGame")
        let n = actionCounts.count
        guard graph.nodeCount == n else {
            throw GeneratorError("GraphicalGame: the graph has \(graph.nodeCount) nodes for \(n) players")
        }
        let (low, high) = uniformPayoffRange
        // axes[i] = [i] + neighbours(i); strides[i] row-major over those axes.
        var axes: [[Int]] = []
        var strides: [[Int]] = []
        var tables: [[Double]] = []
        for i in 0..<n {
            let own = [i] + graph.neighbors[i]
            var s = [Int](repeating: 1, count: own.count)
            for k in stride(from: own.count - 2, through: 0, by: -1) { s[k] = s[k + 1] * actionCounts[own[k + 1]] }
            var table = [Double](repeating: 0, count: s[0] * actionCounts[i])
            for e in table.indices { table[e] = random.uniform(low, high) }
            axes.append(own)
            strides.append(s)
            tables.append(table)
        }
        let joint = layout.jointActionCount
        var payoffs = [Double](repeating: 0, count: n * joint)
        var actions = [Int](repeating: 0, count: n)
        for a in 0..<joint {
            for i in 0..<n {
                var entry = 0
                for (k, p) in axes[i].enumerated() { entry += actions[p] * strides[i][k] }
                payoffs[i * joint + a] = tables[i][entry]
            }
            advance(&actions, counts: actionCounts)
        }
        return payoffs
    }
}
