import Foundation
import Testing
import BigInt
import NormalFormGames
import _EquilibriaTestSupport

/// The gcd-free exact forms against the general rational arithmetic.
@Suite struct ExactDifferenceTests {
    /// Seeded doubles over every exponent range (subnormals, ±0, near-equal pairs, far-apart
    /// magnitudes): a − b equals Rational(a) − Rational(b) exactly, and 2^k scaling equals a
    /// multiplication by the exact power.
    @Test(arguments: 0..<8)
    func agreesWithRationalArithmetic(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 4242)
        func double() -> Double {
            switch random.next() % 6 {
            case 0: return 0
            case 1: return -0.0
            case 2: return Double(bitPattern: random.next() % (1 << 52))  // subnormal
            case 3: return Double(Int(random.next() % 9) - 4)
            default:
                let e = Int(random.next() % 2000) - 1000
                return scalbn(random.nextUnit() * 2 - 1, e)
            }
        }
        for _ in 0..<300 {
            let a = double()
            let b = random.next() % 3 == 0 ? a.nextUp : (random.next() % 4 == 0 ? a * 0.75 : double())
            guard a.isFinite, b.isFinite else { continue }
            #expect(Rational.exactDifference(a, b) == Rational(a) - Rational(b), "\(a) − \(b)")
            let k = Int(random.next() % 200) - 100
            let r = Rational.exactDifference(a, b)
            var power = Rational.one
            for _ in 0..<abs(k) { power = power * Rational(2) }
            #expect(r.timesPowerOfTwo(k) == (k >= 0 ? r * power : r / power), "\(r) · 2^\(k)")
        }
    }

    /// The exact gains of a double game, formed pairwise, equal the gains of its rational payoffs.
    @Test(arguments: [[3, 3], [2, 3, 2], [4, 2]])
    func exactGainsOfDoubleGames(shape: [Int]) throws {
        let base = TestGames.uniform(shape, seed: 9)
        let game = try NormalFormGame(actionCounts: shape, payoffs: base.payoffs.enumerated().map { scalbn($1, ($0 % 7) * 90 - 300) })
        for concept in [EquilibriumConcept.correlated, .coarseCorrelated] {
            let fast = game.exactDeviationGains(concept)
            let reference = DeviationGains(concept: concept, actionCounts: shape, payoffs: game.rationalPayoffs)
            #expect(fast.values == reference.values && fast.columns == reference.columns && fast.rowStart == reference.rowStart)
        }
    }

    /// Doubles whose exact values fit inline (denominators up to 2^62, shifts across the 2^63
    /// boundary): Rational(x) equals the fraction built from x's significand in big integers,
    /// exactDifference equals the general subtraction, and 2^k scaling equals multiplication by
    /// the exact power whether or not the result still fits inline.
    @Test(arguments: 0..<4)
    func inlineFormsAgreeWithBigIntegers(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 777)
        func reference(_ x: Double) -> Rational {
            guard x != 0 else { return .zero }
            let m = BigInt(x.significandBitPattern | (x.isNormal ? 1 << 52 : 0))
            let e = (x.isNormal ? Int(x.exponent) : -1022) - 52
            let signed = x < 0 ? -m : m
            return e >= 0 ? Rational(signed << e, 1) : Rational(signed, BigInt(1) << -e)
        }
        for _ in 0..<500 {
            let e = Int(random.next() % 130) - 70
            let x = scalbn(random.nextUnit() * 2 - 1, e)
            let y = random.next() % 2 == 0 ? scalbn(random.nextUnit(), e + Int(random.next() % 19) - 9) : x.nextUp
            #expect(Rational(x) == reference(x), "\(x)")
            #expect(Rational.exactDifference(x, y) == reference(x) - reference(y), "\(x) − \(y)")
            let k = Int(random.next() % 140) - 70
            let r = Rational(x)
            let power = Rational(BigInt(1) << abs(k), 1)
            #expect(r.timesPowerOfTwo(k) == (k >= 0 ? r * power : r / power), "\(x) · 2^\(k)")
        }
    }

    @Test func handCases() {
        #expect(Rational.exactDifference(1, 0.5) == Rational(1, 2))
        #expect(Rational.exactDifference(0.1, 0.1) == .zero)
        #expect(Rational.exactDifference(0, -0.0) == .zero)
        #expect(Rational.exactDifference(1e300, -1e300) == Rational(1e300) * Rational(2))
        #expect(Rational(3, 4).timesPowerOfTwo(2) == 3)
        #expect(Rational(3).timesPowerOfTwo(-3) == Rational(3, 8))
        #expect(Rational(6, 5).timesPowerOfTwo(-1) == Rational(3, 5))
    }
}
