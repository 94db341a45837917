import NormalFormGames

extension Gamut {
    /// GAMUT's PolymatrixGame with a RandomGame subgame (docs/gamut.md, GAMUT's generators; presets -CG, -RG, -Road, -SW).
    ///
    /// A graph of class `graph` is drawn on the N players (``GamutGraph/make(_:nodes:random:parameters:)``,
    /// whose drawn values are recorded), then ``polymatrixPayoffs(actionCounts:graph:random:)``.
    static func polymatrixGame(actionCounts: [Int], graph: GamutGraphKind, random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        _ = try checkedLayout(actionCounts, family: "PolymatrixGame")
        var parameters: [String: Double] = [:]
        let players = try GamutGraph.make(graph, nodes: actionCounts.count, random: &random, parameters: &parameters)
        let payoffs = try polymatrixPayoffs(actionCounts: actionCounts, graph: players, random: &random)
        return GeneratedGame(payoffs: payoffs, parameters: parameters)
    }

    /// Polymatrix payoffs on a given player graph: for every ordered adjacent pair (i, j) an
    /// independent n_i × n_j matrix M_ij with iid U[−100, 100) entries (GAMUT draws one 2-player
    /// RandomGame per edge, i.e. two iid matrices, one per endpoint; its transposed storage for the
    /// second endpoint does not change that distribution), and
    /// u_i(a) = Σ_{j ∈ neighbours(i)} M_ij[a_i, a_j]. A player without neighbours gets 0 everywhere.
    ///
    /// Matrices are drawn player by player, neighbour by neighbour (insertion order), row-major.
    /// GAMUT needs equal action counts; the construction itself does not, so any shape is accepted.
    static func polymatrixPayoffs(actionCounts: [Int], graph: GamutGraph, random: inout GameRandom) throws(GeneratorError) -> [Double] {
        let layout = try checkedLayout(actionCounts, family: "PolymatrixGame")
        let n = actionCounts.count
        guard graph.nodeCount == n else {
            throw GeneratorError("PolymatrixGame: the graph has \(graph.nodeCount) nodes for \(n) players")
        }
        let (low, high) = uniformPayoffRange
        // matrices[i][slot]: M_ij for j = graph.neighbors[i][slot], row-major n_i × n_j.
        var matrices: [[[Double]]] = []
        for i in 0..<n {
            var own: [[Double]] = []
            for j in graph.neighbors[i] {
                var m = [Double](repeating: 0, count: actionCounts[i] * actionCounts[j])
                for e in m.indices { m[e] = random.uniform(low, high) }
                own.append(m)
            }
            matrices.append(own)
        }
        let joint = layout.jointActionCount
        var payoffs = [Double](repeating: 0, count: n * joint)
        var actions = [Int](repeating: 0, count: n)
        for a in 0..<joint {
            for i in 0..<n {
                var sum = 0.0
                for (slot, j) in graph.neighbors[i].enumerated() {
                    sum += matrices[i][slot][actions[i] * actionCounts[j] + actions[j]]
                }
                payoffs[i * joint + a] = sum
            }
            advance(&actions, counts: actionCounts)
        }
        return payoffs
    }

    /// Steps 0-based joint actions to the next one in the package's order (player N fastest).
    static func advance(_ actions: inout [Int], counts: [Int]) {
        var p = counts.count - 1
        while p >= 0 {
            actions[p] += 1
            if actions[p] < counts[p] { return }
            actions[p] = 0
            p -= 1
        }
    }
}
