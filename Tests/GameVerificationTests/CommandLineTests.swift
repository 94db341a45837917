import EquilibriumSolvers
import Foundation
import GameDatasets
import NormalFormGames
import Testing
@testable import GameVerification
import NumPyFiles

/// `equilibria verify` as a training pipeline calls it, on archives `batch` + `merge` write.
@Suite(.serialized) struct CommandLineTests {
    /// A real ground-truth archive: 12 L2 3×3 games, max welfare and ME CE, merged.
    static func groundTruth(preset: String = "ME", count: Int = 12) throws -> (folder: URL, archive: URL) {
        let folder = Fixture.folder("truth")
        let request = BatchRequest(family: "l2", actionCounts: [3, 3], count: count, seed: 17, concept: "ce",
                                   objectives: ["max-welfare", "mwmre"], preset: preset, chunkSize: 5)
        let job = BatchJob(request: request, directory: folder.appendingPathComponent("out"))
        _ = try job.run(shard: 0, of: 1, jobs: 2) { _ in }
        let archive = folder.appendingPathComponent("truth.npz")
        _ = try BatchMerge.merge(directories: [folder.appendingPathComponent("out")], to: archive)
        return (folder, archive)
    }

    @Test func verifyGroundTruthDualsPassesTightThresholds() throws {
        let (folder, archive) = try Self.groundTruth()
        let arrays = try NumPyArchive.read(archive)
        let predictions = folder.appendingPathComponent("p.npz")
        try NumPyArchive.write([("duals", arrays["me_duals"]!)], to: predictions)
        let out = folder.appendingPathComponent("report")
        let run = try Fixture.cli(["verify", "--games", archive.path, "--predictions", predictions.path, "--out", out.path,
                                   "--max-kl", "1e-12", "--max-certificate", "1e-9", "--max", "dual_suboptimality=1e-10",
                                   "--max", "eps_diff=1e-10", "--jobs", "2"])
        #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
        #expect(run.stdout.contains("Reference: \(archive.path)"))
        #expect(run.stdout.contains("MWMRE problem: recorded in \(archive.path)"))
        #expect(run.stdout.contains("PASS kl_pred_ref"))
        for file in ["metrics.npz", "metrics.csv", "summary.json", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
    }

    /// verify's options are honoured or refused: a seed where the archive records each game's
    /// problem is refused (it would do nothing), as are NaN thresholds and bad values; a seed with a
    /// preset that samples changes the problem; μ changes it.
    @Test func verifyOptionsAreHonouredOrRefused() throws {
        let (folder, archive) = try Self.groundTruth()
        let arrays = try NumPyArchive.read(archive)
        let predictions = folder.appendingPathComponent("p.npz")
        try NumPyArchive.write([("joint", arrays["me_joint"]!)], to: predictions)
        func verify(_ options: [String], _ name: String) throws -> (status: Int32, stdout: String, stderr: String) {
            let run = try Fixture.cli(["verify", "--games", archive.path, "--predictions", predictions.path,
                                       "--out", folder.appendingPathComponent(name).path] + options)
            return (run.status, run.stdout, run.stderr)
        }
        let seeded = try verify(["--seed", "3"], "a")
        #expect(seeded.status == 64 && seeded.stderr.contains("--seed") && seeded.stderr.contains("records"), "\(seeded.stderr)")
        for (option, fragment) in [(["--max-kl", "nan"], "--max-kl"), (["--mu", "nan"], "--mu"), (["--jobs", "0"], "--jobs"),
                                   (["--reference-solution", "x"], "--reference-solution"), (["--format", "x"], "--format"),
                                   (["--max", "gap=nan"], "--max")] {
            let r = try verify(option, "b")
            #expect(r.status == 64 && r.stderr.contains(fragment), "\(option): \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(option): more than one line: \(r.stderr)")
        }
        let base = try verify(["--preset", "MRE", "--solve"], "c")
        let otherSeed = try verify(["--preset", "MRE", "--solve", "--seed", "3"], "d")
        #expect(base.status != 64 && otherSeed.status != 64)
        #expect(base.stdout.contains("seeded by 17") && otherSeed.stdout.contains("seeded by 3"), "\(otherSeed.stdout)")
        let mu = try verify(["--mu", "1"], "e")
        #expect(mu.status != 64 && mu.stdout.contains("overridden: μ = 1"), "\(mu.stderr)")
    }

    @Test func failingThresholdExitsWithTwoAndSaysWhich() throws {
        let (folder, archive) = try Self.groundTruth()
        let arrays = try NumPyArchive.read(archive)
        let joint = arrays["me_joint"]!.doubles!
        let mixed = (0..<joint.count).map { 0.8 * joint[$0] + 0.2 / 9 }
        let predictions = folder.appendingPathComponent("p.npz")
        try NumPyArchive.write([("joint", NumPyArray(float64: mixed, shape: [12, 9]))], to: predictions)
        let games = folder.appendingPathComponent("games.npz")
        try NumPyArchive.write(["payoffs", "family", "seed", "game_index"].map { ($0, arrays[$0]!) }, to: games)
        let run = try Fixture.cli(["verify", "--games", games.path, "--predictions", predictions.path, "--solve",
                                   "--out", folder.appendingPathComponent("r").path, "--max-tv", "1e-3", "--max-gap", "10"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("threshold failed: tv ≤ 0.001"))
        #expect(run.stderr.contains(" of 12"))
        #expect(!run.stderr.contains("threshold failed: gap"))
        #expect(run.stdout.contains("Reference: solved here"))
    }

    /// The max-welfare LP's σ* as the reference: its own joints are at distance 0; KL(σ‖σ*) of
    /// the ME joints is infinite where the LP's σ* is sparse, and the duals-only metrics are absent.
    @Test func maximumWelfareReference() throws {
        let (folder, archive) = try Self.groundTruth(count: 6)
        let arrays = try NumPyArchive.read(archive)
        let predictions = folder.appendingPathComponent("mw.npz")
        try NumPyArchive.write([("joint", arrays["mw_joint"]!)], to: predictions)
        let out = folder.appendingPathComponent("r")
        let run = try Fixture.cli(["verify", "--games", archive.path, "--predictions", predictions.path,
                                   "--reference-solution", "max-welfare", "--max-tv", "1e-12", "--max", "welfare_diff=1e-12",
                                   "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
        #expect(run.stdout.contains("(mw_joint)"))
        let metrics = try NumPyArchive.read(out.appendingPathComponent("metrics.npz"))
        #expect(metrics["dual_suboptimality"] == nil && metrics["certified_gap"] == nil)
        #expect(metrics["gap"]!.doubles!.allSatisfy { $0 < 1e-9 })
    }

    @Test func badInputIsOneLineAndExitOne() throws {
        let (folder, archive) = try Self.groundTruth(count: 3)
        let predictions = folder.appendingPathComponent("p.npz")
        try NumPyArchive.write([("duals", NumPyArray(float64: Array(repeating: 0, count: 3 * 7), shape: [3, 7]))], to: predictions)
        let run = try Fixture.cli(["verify", "--games", archive.path, "--predictions", predictions.path,
                                   "--out", folder.appendingPathComponent("r").path])
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("7 columns per game; shape 3x3 needs 12 (CE) or 6 (CCE)"))
    }

    /// The permute subcommand writes copies that verify accepts; the ground truth rides along.
    @Test func permuteThenVerify() throws {
        let (folder, archive) = try Self.groundTruth(count: 4)
        let copies = folder.appendingPathComponent("copies.npz")
        let permute = try Fixture.cli(["verify", "permute", "--games", archive.path, "--copies", "3", "--seed", "2",
                                       "--out", copies.path])
        #expect(permute.status == 0, "\(permute.stderr)")
        #expect(permute.stderr.contains("Wrote 12 permuted copies"))
        let arrays = try NumPyArchive.read(archive)
        let copyArrays = try NumPyArchive.read(copies)
        #expect(copyArrays["me_duals"]!.shape == [12, 12])
        let predictions = folder.appendingPathComponent("p.npz")
        try NumPyArchive.write([("duals", arrays["me_duals"]!)], to: predictions)
        let copyPredictions = folder.appendingPathComponent("pc.npz")
        try NumPyArchive.write([("duals", copyArrays["me_duals"]!)], to: copyPredictions)
        let run = try Fixture.cli(["verify", "--games", archive.path, "--predictions", predictions.path,
                                   "--permuted", copies.path, "--permuted-predictions", copyPredictions.path,
                                   "--max-equivariance", "1e-12", "--out", folder.appendingPathComponent("r").path])
        #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
        #expect(run.stdout.contains("Equivariance over 12 permuted copies"))
        // The copies are themselves a ground-truth archive: verifying their own duals is exact.
        let own = try Fixture.cli(["verify", "--games", copies.path, "--predictions", copyPredictions.path,
                                   "--max-kl", "1e-12", "--out", folder.appendingPathComponent("r2").path])
        #expect(own.status == 0, "\(own.stderr)\n\(own.stdout)")
    }

    /// Preset problems built here from a games archive equal those `batch` recorded (the per-game
    /// seed rule), for a preset with a random target and random ε̂.
    @Test func presetParametersMatchTheBatch() throws {
        let (_, archive) = try Self.groundTruth(preset: "eps-MRE", count: 5)
        let arrays = try NumPyArchive.read(archive)
        let games = try GameArchiveReader.games(from: arrays, file: archive.path, normalize: false)
        #expect(games.isNormalized)
        let problem = MWMREProblem(concept: .correlated, preset: .approximateMinimumRelativeEntropy, seed: games.seed!,
                                   samplesMissingWelfare: true)
        let built = try games.games.enumerated().map { k, game in
            try problem.instance(of: .init(game: game, gameIndex: games.gameIndices[k], isNormalized: true)).parameters
        }
        let recorded = try MWMREProblemCodec.parameters(from: arrays, games: games.count, actionCounts: games.actionCounts,
                                                        concept: .correlated, file: archive.path)
        for k in 0..<5 {
            let a = built[k], b = try #require(recorded[k])
            #expect(maxDifference(a.target!, b.target!) < 1e-15)
            #expect(a.epsilonTarget == b.epsilonTarget && a.epsilonCap == b.epsilonCap && a.rho == b.rho && a.mu == b.mu)
        }
    }
}
