import Foundation
import Testing
import NormalFormGames
import LinearProgramming
import _EquilibriaTestSupport
@testable import EquilibriumSolvers

/// The proven facial reduction of ρ = ∞ (``MWMRESolver/facialReduction(_:mode:rowRadius:exactRowValues:timeLimit:)``)
/// against an independent exact reference: per joint action, the exact LP max σ_c over
/// {σ ≥ 0, Σσ = 1, A σ ≤ b} on the exact gains (playable exactly when positive), and per row
/// max b_i − A_iσ (tight exactly when zero).
@Suite struct FacialReductionTests {
    /// The hard problem of `game` with every player's ε̂ = `epsilon`, over all joint actions.
    static func hardProblem(_ game: NormalFormGame, _ concept: EquilibriumConcept, epsilon: Double) -> DualProblem {
        let gains = game.deviationGains(concept)
        let joint = game.jointActionCount
        return DualProblem(
            offsets: Array(repeating: -log(Double(joint)), count: joint), rowStart: gains.rowStart,
            rowColumns: gains.columns, rowValues: gains.values, rowPlayer: Array(repeating: -1, count: gains.rowCount),
            rowBound: Array(repeating: epsilon, count: gains.rowCount),
            rowFree: Array(repeating: false, count: gains.rowCount),
            players: (0..<game.playerCount).map { _ in .init(epsilonTarget: epsilon, epsilonCap: epsilon + 1, rho: .infinity) })
    }

    /// The exact reference: which columns some feasible σ plays and which rows every feasible σ
    /// makes tight, by one exact LP each; `nil` when the set is empty.
    static func reference(_ game: NormalFormGame, _ concept: EquilibriumConcept, epsilon: Rational)
        throws -> (possible: [Bool], tight: [Bool])?
    {
        let gains = game.exactDeviationGains(concept)
        let joint = game.jointActionCount
        func program(_ objective: [Rational]) -> LinearProgram<Rational> {
            var p = LinearProgram<Rational>(direction: .maximize, objective: objective,
                                            columnBounds: Array(repeating: .nonnegative, count: joint))
            p.addRow((0..<joint).map { ($0, Rational.one) }, bounds: .fixed(.one))
            for i in 0..<gains.rowCount {
                p.addRow(gains.entries(ofRow: i).map { ($0.0, $0.1) }, bounds: .atMost(epsilon))
            }
            return p
        }
        var possible: [Bool] = []
        for c in 0..<joint {
            var objective = [Rational](repeating: .zero, count: joint)
            objective[c] = .one
            let solved = try program(objective).solveExactly()
            if solved.status == .infeasible { return nil }
            #expect(solved.status == .optimal && solved.certified)
            possible.append((solved.objectiveValue ?? .zero).signum > 0)
        }
        var tight: [Bool] = []
        for i in 0..<gains.rowCount {
            // max b − A_iσ = b − min A_iσ.
            var objective = [Rational](repeating: .zero, count: joint)
            for (a, v) in gains.entries(ofRow: i) { objective[a] = .zero - v }
            let solved = try program(objective).solveExactly()
            #expect(solved.status == .optimal && solved.certified)
            tight.append(((solved.objectiveValue ?? .zero) + epsilon).signum == 0)
        }
        return (possible, tight)
    }

    static func proven(_ game: NormalFormGame, _ concept: EquilibriumConcept, epsilon: Double,
                       payoffRadius: Double = 0) throws -> FacialReduction {
        let problem = hardProblem(game, concept, epsilon: epsilon)
        return try MWMRESolver.facialReduction(
            problem, mode: .proven, rowRadius: problem.rowValues.map { (0x1p-52 * abs($0) + 2 * payoffRadius).nextUp },
            exactRowValues: { game.exactDeviationGains(concept).values })
    }

    /// Integer games (degenerate: ties everywhere), decimals (doubles that round them), uniform
    /// and L2 doubles; CE and CCE; 2 and 3 players; ε̂ below, at and above 0. Every split equals
    /// the exact reference, and is proven.
    @Test(arguments: 0..<24)
    func splitsAgreeWithExactLPs(index: Int) throws {
        let shapes: [[Int]] = [[2, 2], [3, 3], [2, 3], [2, 2, 2]]
        let shape = shapes[index % shapes.count]
        let seed = UInt64(index)
        let game: NormalFormGame
        switch (index / shapes.count) % 4 {
        case 0: game = TestGames.integer(shape, range: -2...2, seed: seed)
        case 1: game = TestGames.decimal(shape, seed: seed)
        case 2: game = TestGames.uniform(shape, seed: seed)
        default: game = TestGames.l2Invariant(shape, seed: seed)
        }
        let concept: EquilibriumConcept = index % 3 == 0 ? .coarseCorrelated : .correlated
        let payoffRadius = game.exactPayoffs.map { exact in
            zip(exact, game.payoffs).contains { Rational($1) != $0 } ? 0x1p-52 * game.payoffs.reduce(0) { max($0, abs($1)) } : 0
        } ?? 0
        for epsilon in [-0.25, 0, 0.125] {
            let label = "game \(index) \(shape) \(concept) ε̂ \(epsilon)"
            guard let expected = try Self.reference(game, concept, epsilon: Rational(epsilon)) else { continue }
            let reduction = try Self.proven(game, concept, epsilon: epsilon, payoffRadius: payoffRadius)
            #expect(reduction.proven, "\(label): \(reduction.method)")
            #expect(reduction.possible == expected.possible, "\(label)")
            #expect(reduction.tight == expected.tight, "\(label)")
        }
    }

    /// A joint action that only σ below 1e-10 may play: the capped double reduction drops it,
    /// the proven one keeps it (σ_1 ≤ 10⁻¹⁰ σ_0, by hand).
    @Test func barelyPlayableColumnsAreKept() throws {
        let problem = DualProblem(
            offsets: Array(repeating: -log(3.0), count: 3), rowStart: [0, 2], rowColumns: [0, 1], rowValues: [-1e-10, 1],
            rowPlayer: [-1], rowBound: [0], rowFree: [false],
            players: [.init(epsilonTarget: 0, epsilonCap: 1, rho: .infinity)])
        let radius = problem.rowValues.map { (0x1p-52 * abs($0)).nextUp }
        let exact = problem.rowValues.map { Rational($0) }
        let doubles = try MWMRESolver.facialReduction(problem, mode: .doubles(reason: "as asked"), rowRadius: radius, exactRowValues: { exact })
        let proven = try MWMRESolver.facialReduction(problem, mode: .proven, rowRadius: radius, exactRowValues: { exact })
        #expect(doubles.possible == [true, false, true] && !doubles.proven)
        #expect(proven.possible == [true, true, true] && proven.proven, "\(proven.method)")
        #expect(proven.tight == [false])
    }

    /// The solver reports how the split was decided, and the doubles-only mode says so.
    @Test func theMethodIsReported() throws {
        let game = TestGames.l2Invariant([4, 4], seed: 9)
        let parameters = MWMREParameters(concept: .correlated, epsilonTarget: [0, 0], epsilonCap: [4, 4], rho: .infinity)
        let proven = try MWMRESolver.solve(game: game, parameters: parameters)
        let methods = ["floating-point interior point", "floating-point interior point and an exact certificate",
                       "floating-point enclosure", "exact basis", "exact simplex"]
        #expect(methods.contains(proven.facialReduction ?? ""), "\(proven.facialReduction ?? "none")")
        let doubles = try MWMRESolver.solve(game: game, parameters: parameters, exactFacialReduction: false)
        #expect(doubles.facialReduction?.hasPrefix("doubles") == true)
        #expect(doubles.klBound == nil && doubles.klBoundNote?.contains("not proven") == true)
        let soft = try MWMRESolver.solve(game: game, parameters: MWMREParameters(
            concept: .correlated, epsilonTarget: [0, 0], epsilonCap: [4, 4], rho: 1000))
        #expect(soft.facialReduction == nil)
    }
}
