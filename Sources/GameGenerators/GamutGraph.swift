/// An undirected simple graph on nodes `0..<nodeCount` (docs/gamut.md, GAMUT's graph classes), neighbours in insertion order.
///
/// GAMUT's graph-based games own such a graph: on the players (PolymatrixGame, GraphicalGame) or
/// on the actions (local-effect games). Every graph here is symmetric and loop-free, which is what
/// those games force (`sym_edges`, `reflex_ok 0`). The neighbour order is the order in which edges
/// were added (a removed edge disappears from both lists); it orders the axes of graphical-game
/// tables and the terms of polymatrix sums and has no distributional effect.
struct GamutGraph: Sendable, Equatable {
    /// The number of nodes.
    let nodeCount: Int
    /// `neighbors[v]`: the nodes adjacent to `v`, in the order the edges were added.
    private(set) var neighbors: [[Int]]

    /// An edgeless graph on `nodeCount` nodes.
    init(nodeCount: Int) {
        self.nodeCount = nodeCount
        neighbors = Array(repeating: [], count: nodeCount)
    }

    /// A graph with the given undirected edges, added in order (duplicates and loops are ignored).
    init(nodeCount: Int, edges: [(Int, Int)]) {
        self.init(nodeCount: nodeCount)
        for (i, j) in edges { addEdge(i, j) }
    }

    /// The number of undirected edges.
    var edgeCount: Int { neighbors.reduce(0) { $0 + $1.count } / 2 }

    /// Whether `i` and `j` are adjacent.
    func hasEdge(_ i: Int, _ j: Int) -> Bool {
        guard neighbors.indices.contains(i), neighbors.indices.contains(j) else { return false }
        // Search the shorter list.
        return neighbors[i].count <= neighbors[j].count ? neighbors[i].contains(j) : neighbors[j].contains(i)
    }

    /// Adds the undirected edge {i, j} unless it is a loop or already present.
    mutating func addEdge(_ i: Int, _ j: Int) {
        guard i != j, !hasEdge(i, j) else { return }
        neighbors[i].append(j)
        neighbors[j].append(i)
    }

    /// Removes the undirected edge {i, j} if present.
    mutating func removeEdge(_ i: Int, _ j: Int) {
        if let k = neighbors[i].firstIndex(of: j) { neighbors[i].remove(at: k) }
        if let k = neighbors[j].firstIndex(of: i) { neighbors[j].remove(at: k) }
    }

    /// Draws a graph of the class with GAMUT's `-random_params` rules, with `nodes` fixed by the
    /// game, symmetric edges and no loops (docs/gamut.md, GAMUT's graph classes):
    ///
    /// - ``GamutGraphKind/complete``: every pair {i, j}, i ≠ j. Nothing drawn.
    /// - ``GamutGraphKind/star``: node 0 is the centre, edges {0, i} for i = 1..n−1. Nothing drawn.
    /// - ``GamutGraphKind/road``: the ladder: {i, i+2} on each side (even and odd nodes) and the
    ///   rungs {2k, 2k+1}. Nothing drawn.
    /// - ``GamutGraphKind/random``: m ~ U{1..n(n−1)/2} (recorded as `"edges"`), then uniform
    ///   ordered pairs (i, j), rejecting loops and existing edges, until m edges are present: a
    ///   uniform simple graph with exactly m edges. Needs n ≥ 2.
    /// - ``GamutGraphKind/smallWorld``: K ~ U{1..max(⌊n/2⌋−1, 1)} and p ~ U[0, 1) (recorded as `"K"`
    ///   and `"p"`), then ``smallWorld(nodes:k:p:random:)``. Needs n ≥ 2.
    ///
    /// - Parameters:
    ///   - kind: the graph class.
    ///   - nodes: the number of nodes (≥ 1).
    ///   - random: the game's stream; the graph's draws come first.
    ///   - parameters: receives the drawn values under the names above (nothing for the
    ///     parameter-free classes).
    /// - Throws: for fewer than one node, or fewer than two for the random and small-world classes
    ///   (GAMUT crashes on an empty edge range there).
    static func make(_ kind: GamutGraphKind, nodes: Int, random: inout GameRandom,
                            parameters: inout [String: Double]) throws(GeneratorError) -> GamutGraph {
        guard nodes >= 1 else { throw GeneratorError("\(kind.rawValue) needs at least 1 node, got \(nodes)") }
        switch kind {
        case .complete:
            var graph = GamutGraph(nodeCount: nodes)
            for i in 0..<nodes {
                for j in (i + 1)..<nodes { graph.addEdge(i, j) }
            }
            return graph
        case .star:
            var graph = GamutGraph(nodeCount: nodes)
            for i in 1..<nodes { graph.addEdge(0, i) }
            return graph
        case .road:
            var graph = GamutGraph(nodeCount: nodes)
            // The two sides first (even nodes, then odd nodes), then the rungs.
            for start in 0..<min(2, nodes) {
                for i in stride(from: start, to: nodes - 2, by: 2) { graph.addEdge(i, i + 2) }
            }
            for i in stride(from: 0, to: nodes - 1, by: 2) { graph.addEdge(i, i + 1) }
            return graph
        case .random:
            guard nodes >= 2 else { throw GeneratorError("RandomGraph needs at least 2 nodes, got \(nodes)") }
            let m = random.integer(in: 1...(nodes * (nodes - 1) / 2))
            parameters["edges"] = Double(m)
            var graph = GamutGraph(nodeCount: nodes)
            var added = 0
            while added < m {
                let i = random.integer(in: 0...(nodes - 1))
                let j = random.integer(in: 0...(nodes - 1))
                if i == j || graph.hasEdge(i, j) { continue }
                graph.addEdge(i, j)
                added += 1
            }
            return graph
        case .smallWorld:
            guard nodes >= 2 else { throw GeneratorError("SmallWorldGraph needs at least 2 nodes, got \(nodes)") }
            let k = random.integer(in: 1...max(nodes / 2 - 1, 1))
            let p = random.unit()
            parameters["K"] = Double(k)
            parameters["p"] = p
            return smallWorld(nodes: nodes, k: k, p: p, random: &random)
        }
    }

    /// GAMUT's Watts–Strogatz construction (docs/gamut.md, GAMUT's graph classes) for given K and p.
    ///
    /// Ring lattice: node v joined to v+1..v+K (mod n). Rewiring: for i = 1..K (outer) and
    /// v = 0..n−1 (inner) draw d ~ U[0, 1); unless v is already adjacent to every other node, if
    /// d ≤ p pick a target t uniformly among the nodes not adjacent to v (rejection over the
    /// offsets 1..n−1), remove the lattice edge {v, v+i mod n} and add {v, t}. The edge count stays
    /// nK whenever 2K < n (always so for the drawn K when n ≥ 3); for n = 2 the ring has the single
    /// edge {0, 1}. Returns the edgeless graph for n < 2 or K < 1.
    static func smallWorld(nodes n: Int, k: Int, p: Double, random: inout GameRandom) -> GamutGraph {
        var graph = GamutGraph(nodeCount: n)
        guard n >= 2, k >= 1 else { return graph }
        for v in 0..<n {
            for i in 1...k { graph.addEdge(v, (v + i) % n) }
        }
        for i in 1...k {
            for v in 0..<n {
                let d = random.unit()
                if graph.neighbors[v].count >= n - 1 { continue }
                guard d <= p else { continue }
                var t: Int
                repeat {
                    t = (v + random.integer(in: 1...(n - 1))) % n
                } while graph.hasEdge(v, t)
                graph.removeEdge(v, (v + i) % n)
                graph.addEdge(v, t)
            }
        }
        return graph
    }
}
