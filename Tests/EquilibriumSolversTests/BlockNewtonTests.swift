import Foundation
import Testing
import NormalFormGames
import ConvexOptimization
import _EquilibriaTestSupport
@testable import EquilibriumSolvers

/// The dual of a game's gain rows as the solver builds it (uniform target, no welfare): soft rows
/// for finite ρ, hard rows (player −1, bound ε̂) for ρ = ∞.
private func dualProblem(_ game: NormalFormGame, _ concept: EquilibriumConcept, rho: Double,
                         epsilonTarget: Double = 0) -> DualProblem {
    let gains = game.deviationGains(concept)
    let joint = game.jointActionCount
    let z = Double(joint).squareRoot()
    let players = (0..<game.playerCount).map { _ in
        DualProblem.Player(epsilonTarget: epsilonTarget, epsilonCap: z, rho: rho)
    }
    var problem = DualProblem(
        offsets: Array(repeating: -log(Double(joint)), count: joint), rowStart: gains.rowStart,
        rowColumns: gains.columns, rowValues: gains.values,
        rowPlayer: gains.rows.map { rho.isInfinite ? -1 : $0.player },
        rowBound: Array(repeating: epsilonTarget, count: gains.rowCount),
        rowFree: Array(repeating: false, count: gains.rowCount), players: players)
    problem.buildColumns()
    return problem
}

/// A random point α ≥ 0 (some rows at zero) and a random subset of the rows.
private func randomPoint(_ problem: DualProblem, seed: UInt64) -> (x: [Double], free: [Int]) {
    var rng = SplitMix64(seed: seed)
    let x = (0..<problem.rowCount).map { _ in
        Double.random(in: 0..<1, using: &rng) < 0.3 ? 0 : Double.random(in: 0..<3, using: &rng)
    }
    let free = (0..<problem.rowCount).filter { _ in Double.random(in: 0..<1, using: &rng) < 0.7 }
    return (x, free)
}

@Suite struct BlockNewtonTests {
    static let shapes: [([Int], EquilibriumConcept, Double)] = [
        ([5, 4], .correlated, 1000), ([3, 4, 3], .correlated, 50), ([6, 6], .coarseCorrelated, 1000),
        ([4, 3], .correlated, .infinity), ([3, 3, 2, 2], .correlated, 10), ([3, 2, 3], .coarseCorrelated, .infinity),
    ]

    /// The groups are the rows with one column set: for CE the rows of one (player,
    /// recommendation) — m_p − 1 rows each, Σ m_p groups; for CCE every row alone.
    @Test(arguments: 0..<6) func groupsAreTheRecommendations(index: Int) {
        let (shape, concept, rho) = Self.shapes[index]
        let game = TestGames.l2Invariant(shape, seed: 70 + UInt64(index))
        let problem = dualProblem(game, concept, rho: rho)
        let rows = game.deviationGains(concept).rows
        if concept == .correlated {
            #expect(problem.groupCount == shape.reduce(0, +))
            for i in 0..<rows.count {
                for j in 0..<rows.count {
                    let same = rows[i].player == rows[j].player && rows[i].recommended == rows[j].recommended
                    #expect((problem.rowGroup[i] == problem.rowGroup[j]) == same)
                }
            }
        } else {
            #expect(problem.groupCount == rows.count)
        }
    }

    /// H·v by two passes over the rows equals the dense Hessian times v, and the blocks and the
    /// diagonal are the dense Hessian's entries, at random points and on random row subsets.
    @Test(arguments: 0..<6) func productAndBlocksMatchTheDenseHessian(index: Int) {
        let (shape, concept, rho) = Self.shapes[index]
        let game = TestGames.l2Invariant(shape, seed: 80 + UInt64(index))
        let problem = dualProblem(game, concept, rho: rho, epsilonTarget: -0.5)
        for seed in UInt64(0)..<4 {
            let (x, free) = randomPoint(problem, seed: seed)
            let evaluation = problem.evaluate(x)
            let dense = problem.hessian(evaluation, rows: free)
            let blocks = BlockHessian(problem, evaluation, free: free)
            let f = free.count
            var rng = SplitMix64(seed: 100 + seed)
            let v = (0..<f).map { _ in Double.random(in: -1..<1, using: &rng) }
            let product = blocks.product(v)
            let scale = dense.reduce(0) { max($0, abs($1)) } * Double(f)
            for a in 0..<f {
                var expected = 0.0
                for b in 0..<f { expected += dense[b * f + a] * v[b] }
                #expect(abs(product[a] - expected) <= 1e-12 * scale, "row \(a): \(product[a]) vs \(expected)")
                #expect(abs(blocks.diagonal[a] - dense[a * f + a]) <= 1e-13 * scale)
            }
            // Each block is H on its members; members of one block share the problem's group.
            var covered = 0
            for (members, block) in zip(blocks.members, blocks.blocks) {
                let b = members.count
                covered += b
                for (u, au) in members.enumerated() {
                    #expect(problem.rowGroup[free[au]] == problem.rowGroup[free[members[0]]])
                    for (w, aw) in members.enumerated() {
                        #expect(abs(block[w * b + u] - dense[aw * f + au]) <= 1e-13 * scale)
                    }
                }
            }
            #expect(covered == f)
        }
    }

    /// Conjugate gradients on (H_KK + λI) d = b reach the dense Cholesky solution, with rows left
    /// out of K (the face iteration's bound rows) and from a warm start.
    @Test(arguments: 0..<6) func conjugateGradientsSolveTheDampedSystem(index: Int) throws {
        let (shape, concept, rho) = Self.shapes[index]
        let game = TestGames.l2Invariant(shape, seed: 90 + UInt64(index))
        let problem = dualProblem(game, concept, rho: rho, epsilonTarget: -0.2)
        let (x, free) = randomPoint(problem, seed: 7)
        let evaluation = problem.evaluate(x)
        let blocks = BlockHessian(problem, evaluation, free: free)
        let dense = problem.hessian(evaluation, rows: free)
        let f = free.count
        var rng = SplitMix64(seed: 11)
        let kept = (0..<f).map { _ in Double.random(in: 0..<1, using: &rng) < 0.8 }
        let b = (0..<f).map { kept[$0] ? Double.random(in: -1..<1, using: &rng) : 0 }
        let keep = (0..<f).filter { kept[$0] }
        let k = keep.count
        let damping = 1e-3 * (blocks.diagonal.max() ?? 1)
        var factor = [Double](repeating: 0, count: k * k)
        var solution = keep.map { b[$0] }
        for (u, au) in keep.enumerated() {
            for (w, aw) in keep.enumerated() { factor[u * k + w] = dense[au * f + aw] }
            factor[u * k + u] += damping
        }
        #expect(Cholesky.factorize(&factor, n: k))
        #expect(Cholesky.solve(factor: factor, n: k, &solution))
        let scale = solution.reduce(0) { max($0, abs($1)) }
        for start in [nil, Array(repeating: 0.5, count: f)] as [[Double]?] {
            let (d, converged) = try #require(DualProblem.conjugateGradients(
                blocks, kept: kept, damping: damping, rhs: b, start: start, relativeTolerance: 1e-13,
                maximumIterations: 10 * f))
            #expect(converged)
            for (u, a) in keep.enumerated() { #expect(abs(d[a] - solution[u]) <= 1e-8 * scale) }
            for a in 0..<f where !kept[a] { #expect(d[a] == 0) }
        }
    }

    /// The whole solve with the Newton systems solved by their structure lands where the dense
    /// solves land: both reach KKT ≤ 1e-10 with a certificate, and σ and ε agree to 1e-8, over
    /// shapes (2, 3 and 4 players, CE and CCE), presets (ME, MRE, MS, eps-ME, eps-MWME) and ρ = ∞.
    @Test(arguments: 0..<6) func blocksAgreeWithDense(index: Int) throws {
        let cases: [([Int], EquilibriumConcept)] = [
            ([8, 8], .correlated), ([6, 7], .correlated), ([4, 4, 4], .correlated),
            ([3, 3, 2, 3], .correlated), ([8, 8], .coarseCorrelated), ([4, 3, 4], .coarseCorrelated),
        ]
        let (shape, concept) = cases[index]
        for (k, preset) in [MWMREPreset.maximumEntropy, .minimumRelativeEntropy, .maximumStrictness,
                            .approximateMaximumEntropy, .approximateMaximumWelfareMaximumEntropy].enumerated() {
            let seed = UInt64(200 + 10 * index + k)
            let game = TestGames.l2Invariant(shape, seed: seed)
            let parameters = try MWMREProblem(concept: concept, preset: preset, seed: seed, samplesMissingWelfare: true)
                .instance(of: .init(game: game, isNormalized: true)).parameters
            try compare(game, parameters, label: "\(shape) \(concept) \(preset)")
        }
        var hard = try MWMREProblem(concept: concept, preset: .maximumEntropy, seed: 1)
            .instance(of: .init(game: TestGames.l2Invariant(shape, seed: 300 + UInt64(index)), isNormalized: true)).parameters
        hard.rho = .infinity
        try compare(TestGames.l2Invariant(shape, seed: 300 + UInt64(index)), hard, label: "\(shape) \(concept) ρ = ∞")
    }

    /// A game large enough that `.automatic` takes the structured path for its first steps
    /// (24×24 CE: 1104 rows) agrees with the dense solve.
    @Test func automaticAgreesWithDenseOnALargeGame() throws {
        let game = TestGames.l2Invariant([24, 24], seed: 5)
        for preset in [MWMREPreset.maximumEntropy, .approximateMaximumEntropy] {
            let parameters = try MWMREProblem(concept: .correlated, preset: preset, seed: 3)
                .instance(of: .init(game: game, isNormalized: true)).parameters
            try compare(game, parameters, label: "24x24 \(preset)", structured: .automatic)
        }
    }

    private func compare(_ game: NormalFormGame, _ parameters: MWMREParameters, label: String,
                         structured: NewtonLinearSolver = .blocks) throws {
        let dense = try MWMRESolver.solve(game: game, parameters: parameters, method: .newton, tolerance: nil,
                                          exactFacialReduction: nil, linearSolver: .dense)
        let blocks = try MWMRESolver.solve(game: game, parameters: parameters, method: .newton, tolerance: nil,
                                           exactFacialReduction: nil, linearSolver: structured)
        #expect(dense.status == .optimal && blocks.status == .optimal, "\(label): \(dense.message) / \(blocks.message)")
        #expect(blocks.kktResidual <= 1e-10, "\(label)")
        let bound = 1e-12 + 1e-14 * blocks.duals.reduce(0) { $0 + abs($1) }
        if parameters.rho.isFinite {
            let gap = try #require(blocks.certifiedGap, "\(label): \(blocks.certificateNote ?? "")")
            #expect(gap <= bound, "\(label): gap \(gap)")
        } else {
            #expect(abs(blocks.rawGap) <= bound, "\(label)")
        }
        let sigma = zip(dense.joint, blocks.joint).reduce(0) { max($0, abs($1.0 - $1.1)) }
        let epsilon = zip(dense.epsilon, blocks.epsilon).reduce(0) { max($0, abs($1.0 - $1.1)) }
        #expect(sigma <= 1e-8 && epsilon <= 1e-8, "\(label): σ differs by \(sigma), ε by \(epsilon)")
    }
}
