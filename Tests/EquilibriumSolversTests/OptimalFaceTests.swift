import Testing
import NormalFormGames
import LinearProgramming
import _EquilibriaTestSupport
@testable import EquilibriumSolvers

/// The optimal-face analysis of the equilibrium LPs: uniqueness by one LP against the exact
/// ranges, and an analysis that never fails the solve.
@Suite struct OptimalFaceTests {
    /// Seeded games over shapes, concepts and objectives, random (generic) and structured
    /// (small integers: ties everywhere; zero-sum; a duplicated action): the double path's
    /// uniqueness (one LP, no ranges) and the exact one's agree with the exact ranges (unique
    /// exactly when every range is a point), and the double ranges match the exact ones.
    @Test(arguments: [[2, 2], [3, 3], [2, 3], [2, 2, 2]])
    func uniquenessAgreesWithTheExactRanges(shape: [Int]) throws {
        var nonUnique = 0, total = 0
        for seed in UInt64(0)..<6 {
            for kind in 0..<4 {
                let game = structured(kind, shape, seed: seed)
                for concept in [EquilibriumConcept.correlated, .coarseCorrelated] {
                    for selection in [LinearSelection.maximumWelfare, .minimumEpsilon(perPlayer: false)] {
                        let exact = try EquilibriumLP.solve(game: game, concept: concept, selection: selection,
                                                            exact: true, optimalFace: true, faceRanges: .all,
                                                            exactTimeLimit: .seconds(60))
                        guard exact.certified, let ranges = exact.rangesExact else { continue }
                        let byRanges = ranges.allSatisfy { $0.minimum == $0.maximum }
                        #expect(exact.isUnique == byRanges, "\(kind) \(seed) \(concept) \(selection)")
                        let oneLP = try EquilibriumLP.solve(game: game, concept: concept, selection: selection,
                                                            exact: true, optimalFace: true, faceRanges: .none,
                                                            exactTimeLimit: .seconds(60))
                        #expect(oneLP.isUnique == byRanges && oneLP.certified)
                        let double = try EquilibriumLP.solve(game: game, concept: concept, selection: selection,
                                                             optimalFace: true, faceRanges: .none)
                        #expect(double.isUnique == byRanges, "\(kind) \(seed) \(concept) \(selection) doubles")
                        let doubleRanges = try EquilibriumLP.solve(game: game, concept: concept, selection: selection,
                                                                   optimalFace: true, faceRanges: .all)
                        if !byRanges, let computed = doubleRanges.ranges {
                            for (a, range) in computed.enumerated() {
                                let r = try #require(range)
                                #expect(abs(r.minimum - ranges[a].minimum.doubleValue) < 1e-8)
                                #expect(abs(r.maximum - ranges[a].maximum.doubleValue) < 1e-8)
                            }
                        }
                        total += 1
                        if !byRanges { nonUnique += 1 }
                    }
                }
            }
        }
        #expect(total > 50 && nonUnique > 3 && nonUnique < total)
    }

    /// Kind 0: generic decimals; 1: integers in 0...2; 2: zero-sum integers; 3: integers with
    /// player 1's last action a copy of its first.
    private func structured(_ kind: Int, _ shape: [Int], seed: UInt64) -> NormalFormGame {
        switch kind {
        case 0: return TestGames.decimal(shape, seed: seed)
        case 1: return TestGames.integer(shape, range: 0...2, seed: seed)
        case 2:
            let g = TestGames.integer(shape, range: -2...2, seed: seed)
            let joint = g.jointActionCount
            var payoffs = g.exactPayoffs!
            if shape.count == 2 { for a in 0..<joint { payoffs[joint + a] = Rational.zero - payoffs[a] } }
            return try! NormalFormGame(actionCounts: shape, exactPayoffs: payoffs)
        default:
            let g = TestGames.integer(shape, range: 0...3, seed: seed)
            var payoffs = g.exactPayoffs!
            let joint = g.jointActionCount, rest = joint / shape[0]
            for p in 0..<shape.count {
                for k in 0..<rest { payoffs[p * joint + (shape[0] - 1) * rest + k] = payoffs[p * joint + k] }
            }
            return try! NormalFormGame(actionCounts: shape, exactPayoffs: payoffs)
        }
    }

    /// The analysis never fails the solve: a budget of one iteration, a face time limit already
    /// spent, and an iteration limit on every GLPK call leave the optimum as it is, with what
    /// was not decided reported as such.
    @Test func theAnalysisNeverFailsTheSolve() throws {
        // Battle of the sexes repeated: a wide optimal face.
        let game = TestGames.integer([4, 4], range: 0...1, seed: 3)
        let reference = try EquilibriumLP.solve(game: game, concept: .correlated, optimalFace: false)
        #expect(reference.status == .optimal)
        let tiny = try EquilibriumLP.solve(game: game, concept: .correlated, optimalFace: true,
                                           faceRanges: .iterations(1))
        #expect(tiny.status == .optimal && tiny.joint == reference.joint)
        if tiny.isUnique == false {
            #expect(tiny.ranges?.contains { $0 == nil } ?? true)
            #expect(tiny.faceNote?.contains("not computed") == true)
        }
        var noTime = SimplexOptions()
        noTime.faceTimeLimit = .zero
        let late = try EquilibriumLP.solve(game: game, concept: .correlated, optimalFace: true, options: noTime)
        #expect(late.status == .optimal && late.joint == reference.joint)
        #expect(late.isUnique == nil || late.isUnique == true)
        if late.isUnique == nil { #expect(late.faceNote?.contains("time limit") == true) }
        var short = SimplexOptions()
        short.faceTimeLimit = .milliseconds(1)
        for seed in UInt64(0)..<3 {
            let g = TestGames.integer([6, 6], range: 0...1, seed: seed)
            let r = try EquilibriumLP.solve(game: g, concept: .correlated, optimalFace: true, faceRanges: .all,
                                            options: short)
            #expect(r.status == .optimal)
            #expect(r.isUnique != nil || r.faceNote != nil)
        }
    }

    /// Each range request is honoured: `.none` computes no range, `.all` every one, and the
    /// automatic budget on a small game every one (its LPs are far below the budget's floor).
    @Test func eachRangeRequestIsHonoured() throws {
        let game = TestGames.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
        let none = try EquilibriumLP.solve(game: game, concept: .correlated, optimalFace: true, faceRanges: .none)
        #expect(none.isUnique == false && none.ranges == nil)
        for request in [FaceRanges.all, .automatic] {
            let r = try EquilibriumLP.solve(game: game, concept: .correlated, optimalFace: true, faceRanges: request)
            let ranges = try #require(r.ranges)
            #expect(ranges.allSatisfy { $0 != nil } && r.faceNote == nil)
        }
    }
}
