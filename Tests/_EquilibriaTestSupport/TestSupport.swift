public import NormalFormGames
import Foundation

@_exported import struct NormalFormGames.SplitMix64

/// Random games for property tests.
public enum TestGames {
    /// Payoffs uniform on [0, 1) as doubles.
    public static func uniform(_ shape: [Int], seed: UInt64) -> NormalFormGame {
        var rng = SplitMix64(seed: seed)
        let count = shape.count * shape.reduce(1, *)
        let payoffs = (0..<count).map { _ in Double.random(in: 0..<1, using: &rng) }
        return try! NormalFormGame(actionCounts: shape, payoffs: payoffs)
    }

    /// Small integer payoffs in `range`, exact (highly degenerate: ties everywhere).
    public static func integer(_ shape: [Int], range: ClosedRange<Int>, seed: UInt64) -> NormalFormGame {
        var rng = SplitMix64(seed: seed)
        let count = shape.count * shape.reduce(1, *)
        let payoffs = (0..<count).map { _ in Rational(Int.random(in: range, using: &rng)) }
        return try! NormalFormGame(actionCounts: shape, exactPayoffs: payoffs)
    }

    /// Decimal payoffs with two digits, exact (like `1.37`), so doubles are not exact.
    public static func decimal(_ shape: [Int], seed: UInt64) -> NormalFormGame {
        var rng = SplitMix64(seed: seed)
        let count = shape.count * shape.reduce(1, *)
        let payoffs = (0..<count).map { _ in Rational(Int.random(in: -500...500, using: &rng), 100) }
        return try! NormalFormGame(actionCounts: shape, exactPayoffs: payoffs)
    }

    /// A two-player game from the row player's and column player's matrices.
    public static func bimatrix(_ row: [[Int]], _ column: [[Int]]) -> NormalFormGame {
        let payoffs = (row.flatMap { $0 } + column.flatMap { $0 }).map { Rational($0) }
        return try! NormalFormGame(actionCounts: [row.count, row[0].count], exactPayoffs: payoffs)
    }
}

/// The repository's `Fixtures/` folder.
public enum FixturePaths {
    public static func url(_ name: String, file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    }
}

extension TestGames {
    /// An L2-invariant game (docs/reference.md §4): per player, i.i.d. N(0, 1) payoffs over all joint actions,
    /// mean removed, scaled to L2 norm √|A| (entries of mean square 1).
    public static func l2Invariant(_ shape: [Int], seed: UInt64) -> NormalFormGame {
        var rng = SplitMix64(seed: seed)
        let joint = shape.reduce(1, *)
        var payoffs: [Double] = []
        for _ in shape {
            var g = (0..<joint).map { _ -> Double in
                // Box–Muller.
                let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng)
                let u2 = Double.random(in: 0..<1, using: &rng)
                return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            }
            let mean = g.reduce(0, +) / Double(joint)
            g = g.map { $0 - mean }
            let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            payoffs += g.map { $0 / norm * Double(joint).squareRoot() }
        }
        return try! NormalFormGame(actionCounts: shape, payoffs: payoffs)
    }
}
