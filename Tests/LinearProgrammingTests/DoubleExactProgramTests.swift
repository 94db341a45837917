import Testing
import NormalFormGames
@testable import LinearProgramming

/// Programs whose decimals no row scaling brings below 2^53 are solved exactly through an
/// equivalent program whose every number is a double (``LinearProgram/doubleExactProgram()``).
struct DoubleExactProgramTests {
    /// A random rational with a denominator 10^22 (beyond any scaling to 53-bit integers).
    static func fine(_ rng: inout SplitMix64, scale: Int = 1) -> Rational {
        let whole = Rational(Int.random(in: -9...9, using: &rng) * scale, 10)
        let tiny = Rational(Int.random(in: -999...999, using: &rng)) * Rational(exactly: "1e-22")!
        return whole + tiny
    }

    /// A random program: columns ≥ 0 (some fixed), rows of one bound or fixed, fine decimals.
    static func program(seed: UInt64) -> LinearProgram<Rational> {
        var rng = SplitMix64(seed: seed)
        let n = Int.random(in: 2...6, using: &rng), m = Int.random(in: 1...6, using: &rng)
        var p = LinearProgram<Rational>(
            direction: Bool.random(using: &rng) ? .maximize : .minimize,
            objective: (0..<n).map { _ in fine(&rng) },
            columnBounds: (0..<n).map { _ in Int.random(in: 0..<6, using: &rng) == 0 ? .fixed(.zero) : .nonnegative })
        for _ in 0..<m {
            let entries = (0..<n).compactMap { j -> (Int, Rational)? in
                Int.random(in: 0..<4, using: &rng) == 0 ? nil : (j, fine(&rng))
            }
            let kind = Int.random(in: 0..<3, using: &rng)
            let bound = fine(&rng, scale: 3)
            p.addRow(entries, bounds: kind == 0 ? .atMost(bound.signum < 0 ? -bound : bound)
                                    : kind == 1 ? .atLeast(-(bound.signum < 0 ? -bound : bound)) : .fixed(.zero))
        }
        // A bounded feasible set: Σ x = 1.
        p.addRow((0..<n).map { ($0, Rational.one) }, bounds: .fixed(.one))
        return p
    }

    /// The equivalent program has only doubles, its rows are the scaled rows of the original on
    /// any point (copies equal to their columns, w = 1), and its objective the scaled objective.
    @Test(arguments: 0..<40) func theEquivalentProgramIsEquivalent(seed: Int) throws {
        let original = Self.program(seed: UInt64(9000 + seed))
        let expanded = try #require(original.doubleExactProgram())
        let p = expanded.program
        func isDouble(_ v: Rational?) -> Bool { v.map { Rational($0.doubleValue) == $0 } ?? true }
        #expect(p.values.allSatisfy { isDouble($0) } && p.objective.allSatisfy { isDouble($0) })
        #expect(p.rowBounds.allSatisfy { isDouble($0.lower) && isDouble($0.upper) })
        #expect(p.columnBounds.allSatisfy { isDouble($0.lower) && isDouble($0.upper) })
        // A random point, extended: copies take their column's value (read off the tie rows), w = 1.
        var rng = SplitMix64(seed: UInt64(seed))
        let x = (0..<original.columnCount).map { _ in Rational(Int.random(in: 0...20, using: &rng), 7) }
        var extended = x + Array(repeating: Rational.zero, count: p.columnCount - original.columnCount)
        if p.columnCount > original.columnCount, p.columnBounds[original.columnCount] == .fixed(.one) {
            extended[original.columnCount] = .one
        }
        for i in original.rowCount..<p.rowCount {
            let entries = p.row(i)
            let copy = try #require(entries.first { $0.1 == .one }?.0), of = try #require(entries.first { $0.1 == -.one }?.0)
            extended[copy] = extended[of]
        }
        let a = original.activities(x), b = p.activities(extended)
        for i in 0..<original.rowCount {
            let shift = (original.rowBounds[i].upper ?? original.rowBounds[i].lower ?? .zero) * expanded.rowScales[i]
            let moved = p.rowBounds[i].upper ?? p.rowBounds[i].lower ?? .zero
            // Row i' = s_i · row i − (s_i·bound − bound') · w.
            #expect(b[i] == expanded.rowScales[i] * a[i] - (shift - moved))
        }
        for i in original.rowCount..<p.rowCount { #expect(b[i].isZero) }
        var objective = Rational.zero, scaled = Rational.zero
        for j in 0..<original.columnCount { objective += original.objective[j] * x[j] }
        for j in 0..<p.columnCount { scaled += p.objective[j] * extended[j] }
        #expect(scaled == expanded.objectiveScale * objective)
    }

    /// The exact solve of such programs is certified (an exact proof, checked in rationals on the
    /// original program), also where the double basis is not exactly optimal and GLPK's rational
    /// simplex on the nearest doubles could not be.
    @Test func fineDecimalsAreSolvedExactly() throws {
        var throughRationalSimplex = 0
        for seed in 0..<200 {
            let original = Self.program(seed: UInt64(9000 + seed))
            let solution = try original.solveExactly(timeLimit: .seconds(20))
            #expect(solution.certified, "seed \(seed): \(solution.note ?? "")")
            if solution.status == .optimal {
                #expect(original.certify(x: solution.x, rowDuals: solution.rowDuals).isVerified)
                if solution.method == "exact-simplex" { throughRationalSimplex += 1 }
            } else {
                #expect(solution.status == .infeasible)
            }
        }
        // Not vacuous: some of these need the rational simplex on the exact data.
        #expect(throughRationalSimplex >= 5, "\(throughRationalSimplex)")
    }

    /// A program of doubles needs no equivalent; decimals are scaled to integers, split into
    /// pieces (with copies of their columns) only beyond 2^52.
    @Test func piecesOnlyWhereNeeded() throws {
        var p = LinearProgram<Rational>(direction: .maximize, objective: [Rational(1, 2), Rational(3, 4)],
                                        columnBounds: [.nonnegative, .nonnegative])
        p.addRow([(0, .one), (1, .one)], bounds: .fixed(.one))
        #expect(p.doubleExactProgram() == nil)
        p.objective = [Rational(1, 10), Rational(3, 10)]
        let scaled = try #require(p.doubleExactProgram())
        #expect(scaled.program.columnCount == 2 && scaled.objectiveScale == Rational(10))
        p.objective[1] = Rational(3, 10) + Rational(exactly: "1e-20")!
        let split = try #require(p.doubleExactProgram())
        // Scaled by 10²⁰, the objective is (10¹⁹, 3·10¹⁹ + 1): two pieces of 52 bits each, so one
        // copy of each column and its tie row.
        #expect(split.objectiveScale == Rational(exactly: "1e20")!)
        #expect(split.program.columnCount == 4 && split.program.rowCount == 3)
        let solution = try p.solveExactly()
        #expect(solution.certified && solution.x == [.zero, .one])
    }
}
