import NormalFormGames
import Foundation

/// The random stream of one game: SplitMix64 (see ``NormalFormGames/SplitMix64``) seeded from
/// (seed, family, shape, index) alone, so the i-th game of a request is the same on every
/// machine and for any number of threads, and does not depend on which other games are made.
///
/// Seed derivation (documented so that other implementations can reproduce it):
/// `key = FNV-1a-64(family name UTF-8 ‖ 0x00 ‖ each action count as 8 little-endian bytes)`;
/// the stream's seed is `mix(mix(mix(seed) ^ key) ^ index)` where `mix` is the SplitMix64
/// finaliser (one `next()` of a generator whose state is the argument).
///
/// Draws: `unit()` = top 53 bits / 2^53 in [0, 1); `uniform(a, b)` = a + (b − a)·unit();
/// `integer(in: lo...hi)` by rejection on the top bits (no modulo bias); `normal()` by the
/// Box–Muller transform of two units (the cosine branch; one normal per two units).
public struct GameRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// The stream of game `index` of a request.
    public init(seed: UInt64, family: String, actionCounts: [Int], index: UInt64) {
        var key: UInt64 = 0xCBF2_9CE4_8422_2325
        func add(_ byte: UInt8) { key = (key ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        for byte in family.utf8 { add(byte) }
        add(0)
        for n in actionCounts {
            var v = UInt64(n)
            for _ in 0..<8 { add(UInt8(v & 0xFF)); v >>= 8 }
        }
        let s1 = GameRandom.mix(seed)
        let s2 = GameRandom.mix(s1 ^ key)
        self.init(seed: GameRandom.mix(s2 ^ index))
    }

    /// The SplitMix64 output for state `value` (the finaliser applied to value + golden gamma).
    public static func mix(_ value: UInt64) -> UInt64 {
        var g = SplitMix64(seed: value)
        return g.next()
    }

    public mutating func next() -> UInt64 { generator.next() }

    /// Uniform on [0, 1) with 53 random bits.
    public mutating func unit() -> Double { generator.nextUnit() }

    /// Uniform on [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Uniform integer in the closed range, without modulo bias.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        if width == 0 { return Int(truncatingIfNeeded: next()) }  // the whole 64-bit range
        let limit = UInt64.max - UInt64.max % width
        while true {
            let v = next()
            if v < limit { return range.lowerBound + Int(v % width) }
        }
    }

    /// A standard normal draw (Box–Muller, cosine branch).
    public mutating func normal() -> Double {
        let u1 = 1 - unit()  // in (0, 1]
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A fair coin.
    public mutating func coin() -> Bool { next() >> 63 == 1 }
}
