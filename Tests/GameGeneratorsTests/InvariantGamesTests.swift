import Foundation
import Testing
import NormalFormGames
@testable import GameGenerators

@Suite struct GameRandomTests {
    /// Golden values: SplitMix64 from seed 0 (the reference sequence of Steele, Lea and Flood's
    /// generator, also printed by its public C reference implementation): 0xE220A8397B1DCDAF,
    /// 0x6E789E6AA1B965F4, 0x06C45D188009454F.
    @Test func splitMixMatchesTheReferenceSequence() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    /// The per-game stream depends only on (seed, family, shape, index): pinned here so that a
    /// change of the derivation (which would change every data set) cannot go unnoticed.
    @Test func perGameStreamsArePinned() {
        var a = GameRandom(seed: 42, family: "l2", actionCounts: [8, 8], index: 0)
        var b = GameRandom(seed: 42, family: "l2", actionCounts: [8, 8], index: 0)
        let first = a.next()
        #expect(first == b.next())
        #expect(first == 6_006_628_381_136_053_200)
        var c = GameRandom(seed: 42, family: "l2", actionCounts: [8, 8], index: 1)
        var d = GameRandom(seed: 42, family: "l1", actionCounts: [8, 8], index: 0)
        var e = GameRandom(seed: 42, family: "l2", actionCounts: [8, 4], index: 0)
        #expect(Set([first, c.next(), d.next(), e.next()]).count == 4)
    }

    /// integer(in:) is uniform: a chi-square test on 6 cells with 60 000 draws at the 1e-6 level
    /// (critical value 35.9 for 5 degrees of freedom).
    @Test func integersAreUniform() {
        var r = GameRandom(seed: 9)
        var counts = [Int](repeating: 0, count: 6)
        let n = 60_000
        for _ in 0..<n { counts[r.integer(in: 1...6) - 1] += 1 }
        let expected = Double(n) / 6
        let chi2 = counts.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        #expect(chi2 < 35.9)
    }

    /// normal(): mean 0 and variance 1 within 5 standard errors of the sample size.
    @Test func normalsHaveUnitVariance() {
        var r = GameRandom(seed: 10)
        let n = 200_000
        let xs = (0..<n).map { _ in r.normal() }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean) < 5 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
    }
}

@Suite struct InvariantGameTests {
    /// Every player's payoffs have mean 0 and L_m norm exactly Z_m (to round-off), on every sample.
    @Test(arguments: PayoffNormalization.Norm.allCases) func everyPlayerHasMeanZeroAndNormZ(norm: PayoffNormalization.Norm) throws {
        for shape in [[8, 8], [2, 3, 4], [3, 3, 3]] {
            let request = GenerationRequest(distribution: .invariant(norm), actionCounts: shape, seed: 5)
            let joint = shape.reduce(1, *)
            let z = InvariantGames.scale(norm, jointActions: joint)
            for i in 0..<20 {
                let game = try request.game(at: i).payoffs
                for p in 0..<shape.count {
                    let g = Array(game[(p * joint)..<((p + 1) * joint)])
                    #expect(abs(g.reduce(0, +)) < 1e-12 * z)
                    let size: Double
                    switch norm {
                    case .l1: size = g.reduce(0) { $0 + abs($1) }
                    case .l2: size = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    case .lInfinity: size = g.reduce(0) { max($0, abs($1)) }
                    }
                    #expect(abs(size - z) < 1e-12 * z)
                }
            }
        }
    }

    /// Entries of L_m games have mean square 1: the per-game mean square, averaged over K games,
    /// is within 5 standard errors (estimated from the same K games) of 1, plus Z's own error.
    @Test(arguments: PayoffNormalization.Norm.allCases) func entriesHaveMeanSquareOne(norm: PayoffNormalization.Norm) throws {
        for shape in [[4, 4], [8, 8], [3, 3, 3]] {
            let request = GenerationRequest(distribution: .invariant(norm), actionCounts: shape, seed: 11)
            let k = 4000
            var values: [Double] = []
            for i in 0..<k {
                let g = try request.game(at: i).payoffs
                values.append(g.reduce(0) { $0 + $1 * $1 } / Double(g.count))
            }
            let mean = values.reduce(0, +) / Double(k)
            let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(k - 1)).squareRoot()
            let zError = 2 * InvariantGames.estimatedScale(norm, jointActions: shape.reduce(1, *)).standardError
                / InvariantGames.scale(norm, jointActions: shape.reduce(1, *))
            #expect(abs(mean - 1) < 5 * sd / Double(k).squareRoot() + 10 * zError, "\(norm) \(shape)")
        }
    }

    /// Z₂ = √|A| exactly; Z₁ and Z_∞ have relative standard error below 5e-4 and sit near their
    /// asymptotic forms (|A|·√(2/π) within 2%, and between √(2 ln|A|)/2 and √(2 ln|A|)·1.5).
    @Test(arguments: [4, 16, 64, 256]) func scales(joint: Int) {
        #expect(InvariantGames.scale(.l2, jointActions: joint) == Double(joint).squareRoot())
        let l1 = InvariantGames.estimatedScale(.l1, jointActions: joint)
        let linf = InvariantGames.estimatedScale(.lInfinity, jointActions: joint)
        #expect(l1.standardError / l1.value < 5e-4)
        #expect(linf.standardError / linf.value < 5e-4)
        let n = Double(joint)
        #expect(abs(l1.value / (n * (2 / Double.pi).squareRoot()) - 1) < 0.1)
        #expect(linf.value > (2 * log(n)).squareRoot() / 2 && linf.value < (2 * log(n)).squareRoot() * 1.5)
    }

    /// Requests are deterministic and index-addressable: game i is the same whether made alone or
    /// after others.
    @Test func gamesAreIndexAddressable() throws {
        let request = GenerationRequest(distribution: .invariant(.l2), actionCounts: [3, 4], seed: 77)
        let all = try (0..<5).map { try request.game(at: $0).payoffs }
        #expect(try request.game(at: 3).payoffs == all[3])
        #expect(all[0] != all[1])
    }
}
