import EquilibriumSolvers
import Foundation
import NormalFormGames
import Testing
@testable import GameVerification
import NumPyFiles

@Suite struct PermutationTests {
    /// Our relabelling equals the game's own permutingPlayers then permutingActions.
    @Test(arguments: [[3, 3], [2, 3, 2], [2, 2, 2], [4, 2]]) func permutedGameMatchesNormalFormGame(_ shape: [Int]) {
        let game = Fixture.l2Games(1, shape: shape, seed: 1)[0]
        var generator = SplitMix64(seed: 42)
        for _ in 0..<10 {
            let pi = GamePermutation.random(actionCounts: shape, generator: &generator)
            #expect((0..<shape.count).allSatisfy { shape[pi.players[$0]] == shape[$0] })
            var expected = game.permutingPlayers(pi.players)
            for i in 0..<shape.count { expected = expected.permutingActions(of: i, pi.actions[i]) }
            #expect(pi.permuting(game).payoffs == expected.payoffs)
        }
    }

    /// Permuting the duals and the problem recovers the permuted joint, for both concepts.
    @Test(arguments: EquilibriumConcept.allCases) func permutedDualsRecoverThePermutedJoint(_ concept: EquilibriumConcept) throws {
        let shape = [3, 2, 3]
        let game = Fixture.l2Games(1, shape: shape, seed: 2)[0]
        var generator = SplitMix64(seed: 8)
        var parameters = Fixture.me(game, concept, preset: .approximateMinimumRelativeEntropy, seed: 4)
        parameters.welfare = game.welfare
        parameters.mu = 0.7
        let rows = DeviationGains<Double>.rowCount(concept: concept, actionCounts: shape)
        let duals = (0..<rows).map { _ in generator.nextUnit() }
        let original = try DualRecovery.recover(duals: duals, game: game, parameters: parameters)
        for _ in 0..<10 {
            let pi = GamePermutation.random(actionCounts: shape, generator: &generator)
            let copy = try DualRecovery.recover(
                duals: pi.permutingDuals(duals, concept: concept, actionCounts: shape), game: pi.permuting(game),
                parameters: pi.permuting(parameters, actionCounts: shape))
            #expect(maxDifference(copy.joint, pi.permutingJoint(original.joint, actionCounts: shape)) < 1e-14)
            #expect(maxDifference(copy.epsilon, pi.permutingPlayerValues(original.epsilon)) < 1e-14)
            #expect(abs(copy.dualObjective - original.dualObjective) < 1e-12)
            #expect(abs(copy.certifiedGap! - original.certifiedGap!) < 1e-10)
        }
    }

    /// The identity changes nothing; recorded permutations read back as written.
    @Test func identityAndRoundTrip() throws {
        let shape = [2, 3]
        let game = Fixture.l2Games(1, shape: shape, seed: 3)[0]
        let identity = GamePermutation.identity(shape)
        #expect(identity.permuting(game).payoffs == game.payoffs)
        #expect(identity.rowSource(concept: .correlated, actionCounts: shape) == Array(0..<8))
        let s = try Scenario(count: 3, shape: [3, 3])
        let arrays = try NumPyArchive.read(s.referenceURL)
        let (copies, dropped) = try PermutedCopies.archive(from: arrays, count: 4, seed: 5)
        #expect(dropped.isEmpty, "\(dropped)")
        let written = Dictionary(uniqueKeysWithValues: copies.map { ($0.name, $0.array) })
        let recorded = try PermutedCopies.recorded(in: written, actionCounts: [3, 3], file: "copies")
        let made = PermutedCopies.make(games: s.games, count: 4, seed: 5)
        #expect(recorded.count == 12)
        #expect(recorded.map(\.permutation) == made.map(\.permutation))
        #expect(recorded.map(\.source) == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
        #expect(written["payoffs"]!.doubles! == made.flatMap(\.game.payoffs))
        #expect(PermutedCopies.make(games: s.games, count: 2, seed: 5).map(\.permutation)
                == [0, 1, 4, 5, 8, 9].map { made[$0].permutation }, "a copy must not depend on the number of copies")
    }

    /// The ground truth carried into the copies is the ground truth of the copies: the MWMRE
    /// solver is equivariant, and the permuted me_joint / me_duals agree with it.
    @Test func groundTruthIsPermutedWithTheGame() throws {
        let s = try Scenario(count: 3, shape: [2, 3, 2])
        let arrays = try NumPyArchive.read(s.referenceURL)
        let copies = Dictionary(uniqueKeysWithValues: try PermutedCopies.archive(from: arrays, count: 3, seed: 9).arrays
            .map { ($0.name, $0.array) })
        let made = PermutedCopies.make(games: s.games, count: 3, seed: 9)
        let joints = copies["me_joint"]!.doubles!
        let duals = copies["me_duals"]!.doubles!
        let rows = s.solutions[0].duals.count
        for (j, copy) in made.enumerated() {
            let parameters = copy.permutation.permuting(Fixture.me(s.games[copy.source]), actionCounts: [2, 3, 2])
            let solved = try MWMRESolver.solve(game: copy.game, parameters: parameters)
            let carried = Array(joints[(j * 12)..<((j + 1) * 12)])
            #expect(maxDifference(solved.joint, carried) < 1e-9, "copy \(j)")
            let recovered = try DualRecovery.recover(duals: Array(duals[(j * rows)..<((j + 1) * rows)]), game: copy.game,
                                                     parameters: parameters)
            #expect(maxDifference(recovered.joint, carried) < 1e-11)
        }
    }

    /// verify measures 0 for an equivariant predictor (the solver) and more for one that is not
    /// (a fixed preference for low joint-action indices).
    @Test func equivarianceOfPredictors() throws {
        let s = try Scenario(count: 5, shape: [3, 3])
        let arrays = try NumPyArchive.read(s.gamesURL)
        let copiesURL = s.folder.appendingPathComponent("copies.npz")
        try NumPyArchive.write(try PermutedCopies.archive(from: arrays, count: 3, seed: 1).arrays, to: copiesURL)
        let made = PermutedCopies.make(games: s.games, count: 3, seed: 1)

        // The solver's duals on the copies: equivariant.
        let onCopies = try made.map { copy in
            try MWMRESolver.solve(game: copy.game, parameters: Fixture.me(copy.game)).duals
        }
        let copyDuals = s.folder.appendingPathComponent("copy-duals.npz")
        try Fixture.writePredictions(onCopies, key: "duals", to: copyDuals)
        let optimal = s.folder.appendingPathComponent("optimal.npz")
        try Fixture.writePredictions(s.solutions.map(\.duals), key: "duals", to: optimal)
        var c = s.configuration(optimal)
        c.permutedGames = copiesURL
        c.permutedPredictions = copyDuals
        c.thresholds = [Threshold(metric: "equivariance_tv", limit: 1e-9)]
        let good = try Verification.run(c)
        #expect(good.passed, "\(good.thresholds)")
        #expect(good.equivariance!.sources == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])

        // A predictor that ignores the game's labels: σ(a) ∝ e^{−a/3}.
        let biased = (0..<9).map { exp(-Double($0) / 3) }
        let total = biased.reduce(0, +)
        let sigma = biased.map { $0 / total }
        let originals = s.folder.appendingPathComponent("biased.npz")
        try Fixture.writePredictions(Array(repeating: sigma, count: 5), key: "joint", to: originals)
        let copies = s.folder.appendingPathComponent("biased-copies.npz")
        try Fixture.writePredictions(Array(repeating: sigma, count: 15), key: "joint", to: copies)
        c.predictions = originals
        c.permutedPredictions = copies
        c.thresholds = [Threshold(metric: "equivariance_tv", limit: 1e-9)]
        let bad = try Verification.run(c)
        let tv = bad.equivariance!.totalVariation
        #expect(!bad.passed)
        // A copy whose permutation fixes every joint action scores 0; the others score > 0.
        for (j, copy) in made.enumerated() {
            let moves = copy.permutation.jointSource(actionCounts: [3, 3]) != Array(0..<9)
            #expect(moves ? tv[j] > 1e-3 : tv[j] == 0, "copy \(j)")
        }
    }

    /// Copies that do not match the recorded permutations are refused.
    @Test func mismatchedCopiesAreRefused() throws {
        let s = try Scenario(count: 2, shape: [3, 3])
        let arrays = try NumPyArchive.read(s.gamesURL)
        var copies = Dictionary(uniqueKeysWithValues: try PermutedCopies.archive(from: arrays, count: 2, seed: 1).arrays
            .map { ($0.name, $0.array) })
        copies["source_index"] = NumPyArray(int64: [1, 1, 0, 0], shape: [4])
        let url = s.folder.appendingPathComponent("wrong.npz")
        try NumPyArchive.write(copies.keys.sorted().map { ($0, copies[$0]!) }, to: url)
        var c = s.configuration(s.dualsURL)
        c.permutedGames = url
        c.permutedPredictions = s.dualsURL
        #expect { try Verification.run(c) } throws: { error in
            (error as? VerificationError)?.message.contains("is not game 1") == true
        }
    }
}
