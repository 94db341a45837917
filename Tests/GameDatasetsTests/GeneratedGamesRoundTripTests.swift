import Foundation
import Testing
import _EquilibriaTestSupport
import GameFormats
import GameGenerators
import NormalFormGames
@testable import GameDatasets
import NumPyFiles

/// Generated games survive the trip to disk: NumPy reads the archive back bit for bit, and the
/// `.nfg` files read back to the same payoffs.
@Suite struct GeneratedGamesRoundTripTests {
    static let families = ["l2", "linf", "PolymatrixGame-RG", "BertrandOligopoly", "CovariantGame", "UniformLEG-CG"]

    @Test(arguments: families) func numpyReadsWhatWasGenerated(family: String) throws {
        let request = GenerationRequest(distribution: GameDistribution(name: family)!, actionCounts: [3, 3, 3], seed: 9)
        let samples = try (0..<4).map { try request.game(at: $0) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString).npz")
        defer { try? FileManager.default.removeItem(at: url) }
        try NumPyArchive.write(GeneratedArchive.arrays(samples, request: request), to: url)
        let run = try Subprocess.run("python3", ["-c", """
            import numpy as np
            d = np.load(\(String(reflecting: url.path)), allow_pickle=False)
            assert d['payoffs'].shape == (4, 3, 3, 3, 3)
            print(' '.join(float(v).hex() for v in d['payoffs'].ravel()))
            print(str(d['family']), int(d['seed']), d['game_index'].tolist())
            """], timeout: .seconds(300))
        let lines = run.stdout.split(separator: "\n")
        #expect(run.status == 0, "\(run.stderr)")
        try #require(lines.count == 2)
        let values = lines[0].split(separator: " ").map { text -> Double in
            // Python's float.hex: [-]0x1.<hex>p<exp>; Swift's Double(String) parses it.
            Double(String(text)) ?? .nan
        }
        #expect(values == samples.flatMap(\.payoffs))
        #expect(lines[1] == "\(request.distribution.name) 9 [0, 1, 2, 3]")
    }

    @Test(arguments: families) func nfgFilesReadBackIdentically(family: String) throws {
        let request = GenerationRequest(distribution: GameDistribution(name: family)!, actionCounts: [3, 3], seed: 2)
        for i in 0..<3 {
            let payoffs = try request.game(at: i).payoffs
            let game = try NormalFormGame(actionCounts: [3, 3], payoffs: payoffs)
            let text = GambitNFG.write(game)
            let back = try GambitNFG.read(text)
            #expect(back.payoffs == payoffs)
        }
    }
}
