import Foundation
@testable import GameGenerators
import NormalFormGames
import Testing

// Tests of GamutGraph (docs/gamut.md, GAMUT's graph classes) and of the RandomGame, CovariantGame, PolymatrixGame and
// GraphicalGame generators (docs/gamut.md, GAMUT's generators).
//
// Statistical checks compare a sample statistic with its expectation within `k` standard errors,
// the standard error being derived from the sample size (σ/√n for means, √((μ₄ − σ⁴)/n) for
// variances, 1/√(n − 3) for Fisher's z of a correlation). With k = 5 a single check fails by
// chance with probability below 6·10⁻⁷ (normal approximation); all seeds are fixed, so the
// outcome is deterministic. Coverage checks use margins with a miss probability below 10⁻⁶.

/// Standard errors allowed in a statistical check.
private let k = 5.0

/// Sample statistics for the checks below.
private enum Stats {
    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

    /// The unbiased sample variance.
    static func variance(_ x: [Double]) -> Double {
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    /// Pearson's sample correlation.
    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let mx = mean(x), my = mean(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Whether the sample correlation of `n` bivariate-normal pairs is consistent with `rho`
    /// (Fisher's z: atanh(r̂) ≈ N(atanh ρ, 1/(n − 3))).
    static func correlationConsistent(_ sample: Double, rho: Double, n: Int) -> Bool {
        abs(atanh(sample) - atanh(rho)) <= k / Double(n - 3).squareRoot()
    }

    /// Checks that iid U[−100, 100) draws have the right mean and variance.
    static func expectUniform100(_ x: [Double], _ comment: Comment) {
        let n = Double(x.count)
        let a = 100.0
        let sigma2 = a * a / 3
        let mu4 = a * a * a * a / 5
        #expect(x.allSatisfy { $0 >= -100 && $0 < 100 }, comment)
        #expect(abs(mean(x)) <= k * sigma2.squareRoot() / n.squareRoot(), comment)
        #expect(abs(variance(x) - sigma2) <= k * ((mu4 - sigma2 * sigma2) / n).squareRoot(), comment)
    }
}

/// Structural invariants of every GAMUT graph: indices in range, symmetric, no loops, no duplicates.
private func expectSimpleUndirected(_ graph: GamutGraph, _ comment: Comment) {
    #expect(graph.neighbors.count == graph.nodeCount, comment)
    var degreeSum = 0
    for (v, list) in graph.neighbors.enumerated() {
        degreeSum += list.count
        #expect(!list.contains(v), "loop at \(v); \(comment)")
        #expect(Set(list).count == list.count, "duplicate neighbour of \(v); \(comment)")
        for u in list {
            #expect((0..<graph.nodeCount).contains(u), comment)
            #expect(graph.neighbors[u].contains(v), "edge \(v)-\(u) not symmetric; \(comment)")
            #expect(graph.hasEdge(u, v) && graph.hasEdge(v, u), comment)
        }
    }
    #expect(degreeSum == 2 * graph.edgeCount, comment)
}

/// The undirected edge set as sorted pairs.
private func edgeSet(_ graph: GamutGraph) -> Set<[Int]> {
    var edges = Set<[Int]>()
    for (v, list) in graph.neighbors.enumerated() { for u in list { edges.insert([min(u, v), max(u, v)]) } }
    return edges
}

private func draw(_ kind: GamutGraphKind, nodes: Int, seed: UInt64, index: UInt64)
    throws -> (GamutGraph, [String: Double])
{
    var random = GameRandom(seed: seed, family: kind.rawValue, actionCounts: [nodes], index: index)
    var parameters: [String: Double] = [:]
    let graph = try GamutGraph.make(kind, nodes: nodes, random: &random, parameters: &parameters)
    return (graph, parameters)
}

/// The payoff of `player` at `actions` in the package's layout.
private func payoff(_ payoffs: [Double], _ layout: JointActionLayout, player: Int, _ actions: [Int]) -> Double {
    payoffs[player * layout.jointActionCount + layout.index(of: actions)]
}

@Suite("GAMUT graphs")
struct GamutGraphAndMatrixGraphTests {
    @Test("CompleteGraph: every pair, nothing drawn")
    func complete() throws {
        for n in 1...9 {
            let (graph, parameters) = try draw(.complete, nodes: n, seed: 1, index: 0)
            expectSimpleUndirected(graph, "n = \(n)")
            #expect(graph.edgeCount == n * (n - 1) / 2)
            #expect(graph.neighbors.allSatisfy { $0.count == n - 1 })
            #expect(parameters.isEmpty)
        }
    }

    @Test("StarGraph: centre 0 with degree n−1, leaves of degree 1")
    func star() throws {
        for n in 1...12 {
            let (graph, parameters) = try draw(.star, nodes: n, seed: 1, index: 0)
            expectSimpleUndirected(graph, "n = \(n)")
            #expect(graph.edgeCount == n - 1)
            #expect(graph.neighbors[0] == Array(1..<n))
            for leaf in 1..<max(n, 1) { #expect(graph.neighbors[leaf] == [0], "leaf \(leaf), n = \(n)") }
            #expect(parameters.isEmpty)
        }
    }

    @Test("RoadGraph: the ladder of GAMUT's graph classes in docs/gamut.md")
    func road() throws {
        let (six, _) = try draw(.road, nodes: 6, seed: 1, index: 0)
        expectSimpleUndirected(six, "n = 6")
        #expect(edgeSet(six) == [[0, 2], [2, 4], [1, 3], [3, 5], [0, 1], [2, 3], [4, 5]])
        for n in 1...11 {
            let (graph, parameters) = try draw(.road, nodes: n, seed: 1, index: 0)
            expectSimpleUndirected(graph, "n = \(n)")
            var expected = Set<[Int]>()
            for i in 0..<n where i + 2 < n { expected.insert([i, i + 2]) }
            for i in stride(from: 0, to: n - 1, by: 2) { expected.insert([i, i + 1]) }
            #expect(edgeSet(graph) == expected, "n = \(n)")
            #expect(parameters.isEmpty)
        }
    }

    @Test("RandomGraph: m ~ U{1..n(n−1)/2} exactly, every value of m drawn, pairs equally likely")
    func randomGraph() throws {
        for n in 2...7 {
            let maxEdges = n * (n - 1) / 2
            // (1 − 1/M)^S ≤ e^{−S/M}: with S = 40·M every m is missed with probability < 10⁻¹⁶ · M.
            let samples = max(40 * maxEdges, 400)
            var seen = Set<Int>()
            var ms: [Double] = []
            var pairCounts = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
            for s in 0..<samples {
                let (graph, parameters) = try draw(.random, nodes: n, seed: 11, index: UInt64(s))
                expectSimpleUndirected(graph, "n = \(n), sample \(s)")
                let m = try #require(parameters["edges"])
                #expect(m == m.rounded() && m >= 1 && m <= Double(maxEdges))
                #expect(graph.edgeCount == Int(m), "n = \(n), sample \(s)")
                #expect(parameters.count == 1)
                seen.insert(Int(m))
                ms.append(m)
                for i in 0..<n { for j in graph.neighbors[i] { pairCounts[i][j] += 1 } }
            }
            #expect(seen == Set(1...maxEdges), "n = \(n): m values drawn \(seen.sorted())")
            // m uniform on 1..M: mean (M+1)/2, variance (M²−1)/12.
            let sd = ((Double(maxEdges * maxEdges) - 1) / 12).squareRoot()
            #expect(abs(Stats.mean(ms) - Double(maxEdges + 1) / 2) <= k * sd / Double(samples).squareRoot(), "n = \(n)")
            // Given m the edge set is a uniform m-subset, so each pair is present with probability
            // E[m]/M = (M+1)/(2M), independently across samples.
            let p = Double(maxEdges + 1) / Double(2 * maxEdges)
            let tolerance = k * (p * (1 - p) / Double(samples)).squareRoot()
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let frequency = Double(pairCounts[i][j]) / Double(samples)
                    #expect(abs(frequency - p) <= tolerance, "n = \(n), pair \(i)-\(j): \(frequency) vs \(p)")
                }
            }
        }
        #expect(throws: GeneratorError.self) { try draw(.random, nodes: 1, seed: 1, index: 0) }
    }

    @Test("SmallWorldGraph: nK edges, K ~ U{1..max(⌊n/2⌋−1,1)}, p ~ U[0,1), simple")
    func smallWorld() throws {
        let samples = 300
        // P(all p above ε) = (1 − ε)^S < 10⁻⁶ for ε = ln(10⁶)/S.
        let epsilon = log(1e6) / Double(samples)
        for n in 2...12 {
            let kMax = max(n / 2 - 1, 1)
            var seenK = Set<Int>()
            var ps: [Double] = []
            for s in 0..<samples {
                let (graph, parameters) = try draw(.smallWorld, nodes: n, seed: 12, index: UInt64(s))
                expectSimpleUndirected(graph, "n = \(n), sample \(s)")
                let kDrawn = try #require(parameters["K"])
                let p = try #require(parameters["p"])
                #expect(parameters.count == 2)
                #expect(kDrawn == kDrawn.rounded() && kDrawn >= 1 && kDrawn <= Double(kMax), "n = \(n): K = \(kDrawn)")
                #expect(p >= 0 && p < 1)
                // n = 2: the ring's two lattice edges coincide; otherwise 2K < n and the count is nK.
                #expect(graph.edgeCount == (n == 2 ? 1 : n * Int(kDrawn)), "n = \(n), K = \(kDrawn), sample \(s)")
                seenK.insert(Int(kDrawn))
                ps.append(p)
            }
            #expect(seenK == Set(1...kMax), "n = \(n): K values \(seenK.sorted())")
            #expect(ps.min()! < epsilon && ps.max()! > 1 - epsilon, "n = \(n)")
        }
        #expect(throws: GeneratorError.self) { try draw(.smallWorld, nodes: 1, seed: 1, index: 0) }
    }

    @Test("SmallWorldGraph: p = 0 leaves the ring lattice; p = 1 rewires yet keeps nK simple edges")
    func smallWorldFixedParameters() {
        for n in 3...14 {
            for kk in 1...max(n / 2 - 1, 1) {
                var random = GameRandom(seed: UInt64(100 * n + kk))
                let lattice = GamutGraph.smallWorld(nodes: n, k: kk, p: 0, random: &random)
                var expected = Set<[Int]>()
                for v in 0..<n { for i in 1...kk { expected.insert([min(v, (v + i) % n), max(v, (v + i) % n)]) } }
                #expect(edgeSet(lattice) == expected, "n = \(n), K = \(kk)")
                let rewired = GamutGraph.smallWorld(nodes: n, k: kk, p: 1, random: &random)
                expectSimpleUndirected(rewired, "n = \(n), K = \(kk), p = 1")
                #expect(rewired.edgeCount == n * kk)
            }
        }
        // Large sparse ring with p = 1: every lattice step rewires, so the graph leaves the lattice.
        var random = GameRandom(seed: 5)
        let rewired = GamutGraph.smallWorld(nodes: 40, k: 2, p: 1, random: &random)
        #expect(edgeSet(rewired) != edgeSet(GamutGraph.smallWorld(nodes: 40, k: 2, p: 0, random: &random)))
    }

    @Test("Bad node counts are errors")
    func badNodes() {
        for kind in GamutGraphKind.allCases {
            #expect(throws: GeneratorError.self) { try draw(kind, nodes: 0, seed: 1, index: 0) }
        }
    }
}

@Suite("GAMUT RandomGame and CovariantGame")
struct GamutGraphAndMatrixRandomCovariantTests {
    @Test("RandomGame: entries iid U[−100, 100) (range, mean, variance), shape, independence")
    func randomGame() throws {
        for shape in [[2, 3, 4], [5, 5], [3, 2, 2, 2], [1, 7]] {
            var entries: [Double] = []
            var first: [Double] = []
            var second: [Double] = []
            for g in 0..<40 {
                var random = GameRandom(seed: 3, family: "RandomGame", actionCounts: shape, index: UInt64(g))
                let game = try GamutPreset.random.generate(actionCounts: shape, random: &random)
                let joint = shape.reduce(1, *)
                #expect(game.payoffs.count == shape.count * joint)
                #expect(game.parameters.isEmpty && game.redraws == 0)
                entries += game.payoffs
                first += game.payoffs[0..<joint]
                second += game.payoffs[joint..<(2 * joint)]
            }
            Stats.expectUniform100(entries, "shape \(shape)")
            // Two players' payoffs at the same profile are independent.
            let n = first.count
            #expect(abs(Stats.correlation(first, second)) <= k / Double(n).squareRoot(), "shape \(shape)")
        }
    }

    @Test("Equicorrelation Cholesky: L Lᵀ = Σ over the whole valid range of r")
    func cholesky() {
        for n in 2...9 {
            let lower = -1 / Double(n - 1)
            for r in [lower, lower / 2, 0, 0.3, 0.9, 0.999, 1] {
                let l = Gamut.equicorrelationCholesky(size: n, r: r)
                for i in 0..<n {
                    for j in 0..<n {
                        if j > i { #expect(l[i * n + j] == 0) }
                        var s = 0.0
                        for t in 0..<n { s += l[i * n + t] * l[j * n + t] }
                        let expected = i == j ? 1 : r
                        #expect(abs(s - expected) <= 1e-12, "n = \(n), r = \(r), (\(i), \(j)): \(s)")
                    }
                }
            }
        }
    }

    @Test("CovariantGame -Pos and -Zero: N(0,1) payoffs with correlation r between players",
          arguments: [(GamutPreset.covariantPositive, 0.9), (GamutPreset.covariantZero, 0.0)])
    func covariantFixed(preset: GamutPreset, r: Double) throws {
        for shape in [[8, 8, 8], [2, 3, 4, 5]] {
            let n = shape.count
            var columns = [[Double]](repeating: [], count: n)
            for g in 0..<12 {
                var random = GameRandom(seed: 4, family: preset.rawValue, actionCounts: shape, index: UInt64(g))
                let game = try preset.generate(actionCounts: shape, random: &random)
                #expect(game.parameters == ["r": r])
                let joint = shape.reduce(1, *)
                #expect(game.payoffs.count == n * joint)
                for p in 0..<n { columns[p] += game.payoffs[(p * joint)..<((p + 1) * joint)] }
            }
            let count = columns[0].count
            for p in 0..<n {
                // Standard normal: mean within kσ/√n, variance within k√(2/n) (μ₄ − σ⁴ = 2).
                #expect(abs(Stats.mean(columns[p])) <= k / Double(count).squareRoot(), "\(preset) \(shape) p\(p)")
                #expect(abs(Stats.variance(columns[p]) - 1) <= k * (2 / Double(count)).squareRoot(), "\(preset) \(shape) p\(p)")
                for q in (p + 1)..<n {
                    let c = Stats.correlation(columns[p], columns[q])
                    #expect(Stats.correlationConsistent(c, rho: r, n: count), "\(preset) \(shape) players \(p),\(q): \(c)")
                }
            }
        }
    }

    @Test("CovariantGame (random r): r ~ U[−1/(N−1), 1) covers its range; each game's correlation tracks its r")
    func covariantRandom() throws {
        for (shape, games) in [([6, 6, 6], 400), ([15, 15], 200), ([3, 3, 3, 3], 150)] {
            let n = shape.count
            let lower = -1 / Double(n - 1)
            let width = 1 - lower
            let joint = shape.reduce(1, *)
            var rs: [Double] = []
            for g in 0..<games {
                var random = GameRandom(seed: 5, family: "CovariantGame", actionCounts: shape, index: UInt64(g))
                let game = try GamutPreset.covariant.generate(actionCounts: shape, random: &random)
                let r = try #require(game.parameters["r"])
                #expect(game.parameters.count == 1)
                #expect(r >= lower && r < 1, "\(shape): r = \(r)")
                rs.append(r)
                for p in 0..<n {
                    for q in (p + 1)..<n {
                        let c = Stats.correlation(Array(game.payoffs[(p * joint)..<((p + 1) * joint)]),
                                                  Array(game.payoffs[(q * joint)..<((q + 1) * joint)]))
                        #expect(Stats.correlationConsistent(c, rho: r, n: joint),
                                "\(shape) game \(g), players \(p),\(q): sample \(c), r = \(r)")
                    }
                }
            }
            // Coverage: P(min > lower + ε) = (1 − ε/w)^G < 10⁻⁶ for ε = w ln(10⁶)/G; same at the top.
            let epsilon = width * log(1e6) / Double(games)
            #expect(rs.min()! < lower + epsilon && rs.max()! > 1 - epsilon, "\(shape)")
            // Uniform: mean (lower + 1)/2 within k·w/√(12G).
            #expect(abs(Stats.mean(rs) - (lower + 1) / 2) <= k * width / (12 * Double(games)).squareRoot(), "\(shape)")
        }
    }

    @Test("CovariantGame: r outside [−1/(N−1), 1] and a single player are errors")
    func covariantErrors() {
        var random = GameRandom(seed: 1)
        #expect(throws: GeneratorError.self) { try Gamut.covariantGame(actionCounts: [2, 2, 2], r: -0.6, random: &random) }
        #expect(throws: GeneratorError.self) { try Gamut.covariantGame(actionCounts: [2, 2], r: 1.01, random: &random) }
        #expect(throws: GeneratorError.self) { try Gamut.covariantGame(actionCounts: [2, 2], r: .nan, random: &random) }
        #expect(throws: GeneratorError.self) { try Gamut.covariantGame(actionCounts: [3], r: nil, random: &random) }
        // The boundary itself is valid (Σ singular but positive semidefinite).
        #expect(throws: Never.self) { try Gamut.covariantGame(actionCounts: [2, 2, 2], r: -0.5, random: &random) }
        #expect(throws: Never.self) { try Gamut.covariantGame(actionCounts: [2, 2, 2], r: 1, random: &random) }
    }
}

@Suite("GAMUT PolymatrixGame and GraphicalGame")
struct GamutGraphAndMatrixGraphGameTests {
    /// The graph a game drew: the graph comes first in the game's stream, so a copy of the stream
    /// replays it.
    private static func replayGraph(_ kind: GamutGraphKind, players: Int, random: GameRandom)
        throws -> (GamutGraph, [String: Double])
    {
        var copy = random
        var parameters: [String: Double] = [:]
        let graph = try GamutGraph.make(kind, nodes: players, random: &copy, parameters: &parameters)
        return (graph, parameters)
    }

    /// Polymatrix structure: u_i(a) = u_i(a_i, 0₋ᵢ) + Σ_{j ∈ N(i)} [u_i(a_i, a_j, 0_rest) − u_i(a_i, 0₋ᵢ)]
    /// (additively separable over neighbours, each term a function of (a_i, a_j) only, i.e. a
    /// matrix), independent of non-neighbours, and 0 for an isolated player.
    private static func expectPolymatrix(_ payoffs: [Double], shape: [Int], graph: GamutGraph, _ comment: Comment) {
        let layout = JointActionLayout(shape)
        let n = shape.count
        for i in 0..<n {
            let neighbours = graph.neighbors[i]
            for index in 0..<layout.jointActionCount {
                let a = layout.actions(of: index)
                let value = payoff(payoffs, layout, player: i, a)
                if neighbours.isEmpty {
                    #expect(value == 0, "isolated player \(i); \(comment)")
                    continue
                }
                var base = [Int](repeating: 0, count: n)
                base[i] = a[i]
                let u0 = payoff(payoffs, layout, player: i, base)
                var predicted = u0
                for j in neighbours {
                    var single = base
                    single[j] = a[j]
                    predicted += payoff(payoffs, layout, player: i, single) - u0
                }
                #expect(abs(value - predicted) <= 1e-9, "player \(i), profile \(a); \(comment)")
                for j in 0..<n where j != i && !neighbours.contains(j) {
                    var moved = a
                    moved[j] = (a[j] + 1) % shape[j]
                    #expect(payoff(payoffs, layout, player: i, moved) == value, "player \(i), non-neighbour \(j); \(comment)")
                }
            }
            // Every neighbour matters (the matrices are continuous draws).
            for j in neighbours where shape[j] > 1 {
                var a = [Int](repeating: 0, count: n)
                let before = payoff(payoffs, layout, player: i, a)
                a[j] = 1
                #expect(payoff(payoffs, layout, player: i, a) != before, "player \(i), neighbour \(j); \(comment)")
            }
        }
    }

    /// Graphical structure: u_i never changes when a non-neighbour moves, and takes exactly
    /// Π_{k ∈ {i} ∪ N(i)} n_k distinct values (its table entries, all distinct almost surely).
    /// Returns the table entries (u_i with every non-neighbour at action 0).
    private static func expectGraphical(_ payoffs: [Double], shape: [Int], graph: GamutGraph, _ comment: Comment) -> [Double] {
        let layout = JointActionLayout(shape)
        let n = shape.count
        var entries: [Double] = []
        for i in 0..<n {
            let relevant = Set([i] + graph.neighbors[i])
            var distinct = Set<Double>()
            for index in 0..<layout.jointActionCount {
                let a = layout.actions(of: index)
                let value = payoff(payoffs, layout, player: i, a)
                distinct.insert(value)
                if (0..<n).allSatisfy({ relevant.contains($0) || a[$0] == 0 }) { entries.append(value) }
                for j in 0..<n where !relevant.contains(j) {
                    for x in 0..<shape[j] where x != a[j] {
                        var moved = a
                        moved[j] = x
                        #expect(payoff(payoffs, layout, player: i, moved) == value, "player \(i), non-neighbour \(j); \(comment)")
                    }
                }
            }
            #expect(distinct.count == relevant.reduce(1) { $0 * shape[$1] }, "player \(i); \(comment)")
        }
        return entries
    }

    @Test("PolymatrixGame presets: drawn graph recorded, payoffs a sum of neighbour matrices",
          arguments: [GamutPreset.polymatrixComplete, .polymatrixRandom, .polymatrixRoad, .polymatrixSmallWorld])
    func polymatrixPresets(preset: GamutPreset) throws {
        let kind: GamutGraphKind = switch preset {
        case .polymatrixComplete: .complete
        case .polymatrixRandom: .random
        case .polymatrixRoad: .road
        default: .smallWorld
        }
        for shape in [[3, 3, 3, 3, 3, 3], [4, 4, 4, 4], [2, 2]] {
            for g in 0..<6 {
                let random = GameRandom(seed: 6, family: preset.rawValue, actionCounts: shape, index: UInt64(g))
                let (graph, drawn) = try Self.replayGraph(kind, players: shape.count, random: random)
                var stream = random
                let game = try preset.generate(actionCounts: shape, random: &stream)
                #expect(game.parameters == drawn)
                switch kind {
                case .random: #expect(drawn["edges"] != nil)
                case .smallWorld: #expect(drawn["K"] != nil && drawn["p"] != nil)
                default: #expect(drawn.isEmpty)
                }
                // Same payoffs as the construction on the replayed graph, with the rest of the stream.
                var rest = random
                var ignored: [String: Double] = [:]
                _ = try GamutGraph.make(kind, nodes: shape.count, random: &rest, parameters: &ignored)
                #expect(try Gamut.polymatrixPayoffs(actionCounts: shape, graph: graph, random: &rest) == game.payoffs)
                Self.expectPolymatrix(game.payoffs, shape: shape, graph: graph, "\(preset) \(shape) game \(g)")
            }
        }
    }

    @Test("PolymatrixGame: isolated players get 0; one neighbour gives an iid U[−100,100) matrix; sums have d·100²/3 variance")
    func polymatrixExplicit() throws {
        // Players 3 and 4 isolated; 0–1–2 a path; any action counts.
        let path = GamutGraph(nodeCount: 5, edges: [(0, 1), (1, 2)])
        let shape = [2, 3, 4, 2, 3]
        var leafEntries: [Double] = []
        var middle: [Double] = []
        for g in 0..<150 {
            var random = GameRandom(seed: 7, family: "polymatrix-path", actionCounts: shape, index: UInt64(g))
            let payoffs = try Gamut.polymatrixPayoffs(actionCounts: shape, graph: path, random: &random)
            Self.expectPolymatrix(payoffs, shape: shape, graph: path, "path game \(g)")
            let layout = JointActionLayout(shape)
            // Player 0's payoff is M_01[a_0, a_1]: its 2×3 entries, each once.
            for a0 in 0..<2 { for a1 in 0..<3 { leafEntries.append(payoff(payoffs, layout, player: 0, [a0, a1, 0, 0, 0])) } }
            // Player 1 (two neighbours) at the all-zero profile: one sum of 2 iid uniforms per game.
            middle.append(payoff(payoffs, layout, player: 1, [0, 0, 0, 0, 0]))
        }
        Stats.expectUniform100(leafEntries, "polymatrix leaf matrix")
        let sigma2 = 2 * 100.0 * 100 / 3
        #expect(abs(Stats.mean(middle)) <= k * sigma2.squareRoot() / Double(middle.count).squareRoot())
        // Sum of two U[−a,a): μ₄ = 2·a⁴/5 + 6·(a²/3)², variance σ² = 2a²/3.
        let a4 = 100.0 * 100 * 100 * 100
        let mu4 = 2 * a4 / 5 + 6 * a4 / 9
        #expect(abs(Stats.variance(middle) - sigma2) <= k * ((mu4 - sigma2 * sigma2) / Double(middle.count)).squareRoot())

        // The two endpoints of an edge have independent matrices (not transposes of each other).
        var random = GameRandom(seed: 8)
        let pair = try Gamut.polymatrixPayoffs(actionCounts: [3, 3], graph: GamutGraph(nodeCount: 2, edges: [(0, 1)]), random: &random)
        let layout = JointActionLayout([3, 3])
        var transposed = true
        for x in 0..<3 { for y in 0..<3 where payoff(pair, layout, player: 0, [x, y]) != payoff(pair, layout, player: 1, [y, x]) { transposed = false } }
        #expect(!transposed)
        #expect(throws: GeneratorError.self) {
            try Gamut.polymatrixPayoffs(actionCounts: [2, 2, 2], graph: path, random: &random)
        }
    }

    @Test("GraphicalGame presets: u_i depends only on own and neighbours' actions, table entries U[−100,100)",
          arguments: [GamutPreset.graphicalRandom, .graphicalRoad, .graphicalStar, .graphicalSmallWorld])
    func graphicalPresets(preset: GamutPreset) throws {
        let kind: GamutGraphKind = switch preset {
        case .graphicalRandom: .random
        case .graphicalRoad: .road
        case .graphicalStar: .star
        default: .smallWorld
        }
        var entries: [Double] = []
        for shape in [[3, 3, 3, 3, 3, 3], [4, 4, 4, 4], [5, 5]] {
            for g in 0..<5 {
                let random = GameRandom(seed: 9, family: preset.rawValue, actionCounts: shape, index: UInt64(g))
                let (graph, drawn) = try Self.replayGraph(kind, players: shape.count, random: random)
                var stream = random
                let game = try preset.generate(actionCounts: shape, random: &stream)
                #expect(game.parameters == drawn)
                if kind == .star {
                    #expect(graph.neighbors[0].count == shape.count - 1)
                }
                var rest = random
                var ignored: [String: Double] = [:]
                _ = try GamutGraph.make(kind, nodes: shape.count, random: &rest, parameters: &ignored)
                #expect(try Gamut.graphicalPayoffs(actionCounts: shape, graph: graph, random: &rest) == game.payoffs)
                entries += Self.expectGraphical(game.payoffs, shape: shape, graph: graph, "\(preset) \(shape) game \(g)")
            }
        }
        Stats.expectUniform100(entries, "\(preset) table entries")
    }

    @Test("GraphicalGame on explicit graphs: isolated players, unequal actions, complete graph")
    func graphicalExplicit() throws {
        let shape = [2, 3, 2, 4]
        let graphs = [
            GamutGraph(nodeCount: 4, edges: []),
            GamutGraph(nodeCount: 4, edges: [(0, 3), (1, 2)]),
            GamutGraph(nodeCount: 4, edges: [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]),
        ]
        for (g, graph) in graphs.enumerated() {
            var random = GameRandom(seed: 10, family: "graphical-explicit", actionCounts: shape, index: UInt64(g))
            let payoffs = try Gamut.graphicalPayoffs(actionCounts: shape, graph: graph, random: &random)
            _ = Self.expectGraphical(payoffs, shape: shape, graph: graph, "graph \(g)")
            #expect(payoffs.allSatisfy { $0 >= -100 && $0 < 100 })
        }
    }

    @Test("Determinism: same (seed, family, shape, index) → same game; another index → another game",
          arguments: [GamutPreset.random, .covariant, .covariantPositive, .covariantZero,
                      .polymatrixComplete, .polymatrixRandom, .polymatrixRoad, .polymatrixSmallWorld,
                      .graphicalRandom, .graphicalRoad, .graphicalStar, .graphicalSmallWorld])
    func determinism(preset: GamutPreset) throws {
        let shape = [3, 3, 3, 3]
        func make(_ index: UInt64) throws -> GeneratedGame {
            var random = GameRandom(seed: 2024, family: preset.rawValue, actionCounts: shape, index: index)
            return try preset.generate(actionCounts: shape, random: &random)
        }
        let a = try make(7), b = try make(7), c = try make(8)
        #expect(a.payoffs == b.payoffs && a.parameters == b.parameters)
        #expect(a.payoffs != c.payoffs)
        #expect(a.payoffs.count == 4 * 81 && a.payoffs.allSatisfy(\.isFinite))
    }
}
