import Testing
import NormalFormGames
import _EquilibriaTestSupport
@testable import LinearProgramming

/// The floating-point basis verifier against exact rational arithmetic: whatever it proves
/// (optimal) or refutes (rejected) must agree with the exact re-solve of the same basis, and it
/// must never prove a basis that a mutation (a flipped status, a one-ulp change, a dropped row)
/// made wrong.
@Suite struct VerifiedBasisTests {
    /// The exact program a double program stands for (its doubles, exactly).
    private func exact(_ p: LinearProgram<Double>) -> LinearProgram<Rational> {
        func bounds(_ b: LPBounds<Double>) -> LPBounds<Rational> {
            LPBounds(lower: b.lower.map { Rational($0) }, upper: b.upper.map { Rational($0) })
        }
        var q = LinearProgram<Rational>(direction: p.direction == .maximize ? .maximize : .minimize,
                                        objective: p.objective.map { Rational($0) },
                                        columnBounds: p.columnBounds.map(bounds))
        for i in 0..<p.rowCount { q.addRow(p.row(i).map { ($0.0, Rational($0.1)) }, bounds: bounds(p.rowBounds[i])) }
        return q
    }

    private func exactlyOptimal(_ p: LinearProgram<Rational>, _ basis: LPBasis) -> Bool {
        guard let (x, y) = p.basicSolution(basis) else { return false }
        return p.certify(x: x, rowDuals: y).isVerified
    }

    /// max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 9, 0 ≤ x ≤ 3, y ≥ 0: optimum (3, 1), value 11, with
    /// x's reduced cost 1 > 0 at its upper bound and the first row's multiplier 2 > 0: strictly
    /// complementary, so the optimum is unique.
    private func textbook() -> LinearProgram<Double> {
        var p = LinearProgram<Double>(direction: .maximize, objective: [3, 2],
                                      columnBounds: [LPBounds(lower: 0, upper: 3), .nonnegative])
        p.addRow([(0, 1), (1, 1)], bounds: .atMost(4))
        p.addRow([(0, 1), (1, 3)], bounds: .atMost(9))
        return p
    }

    @Test func textbookBasisIsProvenOptimalAndUnique() throws {
        let p = textbook()
        let s = try p.solve()
        let v = p.verify(basis: s.basis!)
        #expect(v.verdict == .optimal)
        #expect(v.provesUniqueOptimum)
        #expect(v.xLower[0] <= 3 && 3 <= v.xUpper[0] && v.xLower[1] <= 1 && 1 <= v.xUpper[1])
        #expect(v.objectiveLower! <= 11 && 11 <= v.objectiveUpper!)
        #expect(v.rowDualLower[0] <= 2 && 2 <= v.rowDualUpper[0])
        #expect(v.objectiveUpper! - v.objectiveLower! < 1e-12)
    }

    /// A dimension limit refuses a larger basis matrix up front, with the reason, and does not
    /// change the verdict of one within it; the exact basic solution the same.
    @Test func dimensionLimitsAreHonoured() throws {
        let p = textbook()
        let basis = try #require(try p.solve().basis)
        let k = basis.columns.filter { $0 == .basic }.count
        #expect(k >= 1)
        let refused = p.verify(basis: basis, maximumDimension: k - 1)
        #expect(refused.verdict == .undecided && refused.reason?.contains("\(k)×\(k)") == true, "\(refused.reason ?? "")")
        #expect(p.verify(basis: basis, maximumDimension: k).verdict == .optimal)
        let e = exact(p)
        #expect(e.basicSolution(basis, maximumDimension: k - 1) == nil)
        let (x, _) = try #require(e.basicSolution(basis, maximumDimension: k))
        #expect(x[0] == 3 && x[1] == 1)
    }

    /// Every basis of small seeded programs (every choice of basic variables, every bound for the
    /// nonbasic ones): a proof agrees with the exact check, and so does a refutation.
    @Test(arguments: 0..<12)
    func everyBasisAgreesWithExactArithmetic(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 1000)
        let n = 3, m = 3
        let integers = seed % 2 == 0
        func value() -> Double {
            integers ? Double(Int(random.next() % 7) - 3) : random.nextUnit() * 4 - 2
        }
        var p = LinearProgram<Double>(direction: seed % 3 == 0 ? .minimize : .maximize,
                                      objective: (0..<n).map { _ in value() },
                                      columnBounds: (0..<n).map { _ in LPBounds(lower: 0, upper: 1 + Double(random.next() % 3)) })
        for _ in 0..<m {
            p.addRow((0..<n).map { ($0, value()) }, bounds: LPBounds(lower: -3, upper: 1 + random.nextUnit()))
        }
        let q = exact(p)
        var proven = 0, refuted = 0, undecided = 0
        // Choose which m of the n + m variables are basic; the others at either bound.
        for mask in 0..<(1 << (n + m)) where mask.nonzeroBitCount == m {
            for bounds in 0..<(1 << (n + m)) {
                var columns: [BasisStatus] = [], rows: [BasisStatus] = []
                for v in 0..<(n + m) {
                    let status: BasisStatus = mask & (1 << v) != 0 ? .basic : (bounds & (1 << v) != 0 ? .atUpper : .atLower)
                    if v < n { columns.append(status) } else { rows.append(status) }
                }
                // Each nonbasic bound choice once: skip masks whose unused bits are set.
                if bounds & mask != 0 { continue }
                let basis = LPBasis(rows: rows, columns: columns)
                let verdict = p.verify(basis: basis).verdict
                let truth = exactlyOptimal(q, basis)
                switch verdict {
                case .optimal:
                    proven += 1
                    #expect(truth, "proven optimal but exactly not: \(basis)")
                case .rejected:
                    refuted += 1
                    #expect(!truth, "refuted but exactly optimal: \(basis)")
                case .undecided:
                    undecided += 1
                }
            }
        }
        #expect(refuted > 0)
        #expect(proven + undecided > 0)
    }

    /// The radii are honoured: when the verifier proves a basis for every program within the
    /// radii, the programs at the corners of the box (exact rationals) have it exactly optimal.
    @Test(arguments: 0..<8)
    func radiiCoverEveryProgramInTheBox(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 77)
        let n = 6, m = 4
        var p = LinearProgram<Double>(direction: .maximize, objective: (0..<n).map { _ in random.nextUnit() },
                                      columnBounds: Array(repeating: LPBounds(lower: 0, upper: 1), count: n))
        for _ in 0..<m { p.addRow((0..<n).map { ($0, random.nextUnit() * 2 - 1) }, bounds: .atMost(random.nextUnit())) }
        let s = try p.solve()
        let scale = [1e-14, 1e-10, 1e-6][seed % 3]
        let radii = LPDataRadii(values: p.values.map { abs($0) * scale }, objective: p.objective.map { abs($0) * scale },
                                rowBounds: p.rowBounds.map { abs($0.upper!) * scale })
        let v = p.verify(basis: s.basis!, radii: radii)
        guard v.verdict == .optimal else {
            #expect(scale >= 1e-6, "a random program's basis should be provable at radius \(scale)")
            return
        }
        for corner in 0..<6 {
            var q = exact(p)
            var pick = SplitMix64(seed: UInt64(corner) &+ 5)
            func shift(_ x: Double, _ r: Double) -> Rational {
                Rational(x) + Rational((pick.next() % 2 == 0 ? 0.9 : -0.9) * r)
            }
            q.values = zip(p.values, radii.values!).map { shift($0, $1) }
            q.objective = zip(p.objective, radii.objective!).map { shift($0, $1) }
            q.rowBounds = zip(p.rowBounds, radii.rowBounds!).map { LPBounds(lower: nil, upper: shift($0.upper!, $1)) }
            #expect(exactlyOptimal(q, s.basis!))
        }
    }

    /// Mutation: flipping any one status of a proven basis (a basic variable swapped with a
    /// nonbasic one, or a nonbasic variable moved to its other bound) is never proven unless the
    /// exact check agrees, and most flips are refuted.
    @Test(arguments: 0..<6)
    func flippedStatusesAreNotProven(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 31)
        let n = 8, m = 6
        var p = LinearProgram<Double>(direction: .maximize, objective: (0..<n).map { _ in random.nextUnit() },
                                      columnBounds: Array(repeating: LPBounds(lower: 0, upper: 2), count: n))
        for _ in 0..<m { p.addRow((0..<n).map { ($0, random.nextUnit() * 2 - 1) }, bounds: .atMost(random.nextUnit())) }
        let basis = try p.solve().basis!
        #expect(p.verify(basis: basis).verdict == .optimal)
        let q = exact(p)
        var statuses = basis.columns + basis.rows
        var flips = 0, refuted = 0
        for a in statuses.indices {
            for b in statuses.indices where b > a && (statuses[a] == .basic) != (statuses[b] == .basic) {
                let original = statuses
                let basic = statuses[a] == .basic ? a : b, other = statuses[a] == .basic ? b : a
                statuses[basic] = b < n || a < n ? .atLower : .atUpper
                if basic >= n { statuses[basic] = .atUpper }
                statuses[other] = .basic
                let flipped = LPBasis(rows: Array(statuses[n...]), columns: Array(statuses[..<n]))
                let verdict = p.verify(basis: flipped).verdict
                if verdict == .optimal { #expect(exactlyOptimal(q, flipped)) }
                if verdict == .rejected { refuted += 1 }
                flips += 1
                statuses = original
            }
            if statuses[a] != .basic && a < n {
                var moved = statuses
                moved[a] = statuses[a] == .atLower ? .atUpper : .atLower
                let flipped = LPBasis(rows: Array(moved[n...]), columns: Array(moved[..<n]))
                let verdict = p.verify(basis: flipped).verdict
                if verdict == .optimal { #expect(exactlyOptimal(q, flipped)) }
                if verdict == .rejected { refuted += 1 }
                flips += 1
            }
        }
        #expect(flips > 0 && refuted * 2 > flips)
    }

    /// Mutation: one ulp decides. max x1 + x2 with x1 + x2 ≤ 1 has the basis {x1} optimal (x2's
    /// reduced cost is exactly 0); with x2's cost one ulp above 1 it is not. The verifier cannot
    /// prove the first (it is degenerate: exact arithmetic must decide) and never proves the second.
    @Test func oneUlpInTheObjectiveIsNeverProven() {
        func program(_ c2: Double) -> LinearProgram<Double> {
            var p = LinearProgram<Double>(direction: .maximize, objective: [1, c2],
                                          columnBounds: [LPBounds(lower: 0, upper: 2), LPBounds(lower: 0, upper: 2)])
            p.addRow([(0, 1), (1, 1)], bounds: .atMost(1))
            return p
        }
        let basis = LPBasis(rows: [.atUpper], columns: [.basic, .atLower])
        #expect(program(1).verify(basis: basis).verdict == .undecided)
        #expect(exactlyOptimal(exact(program(1)), basis))
        let perturbed = program(1.0.nextUp)
        #expect(perturbed.verify(basis: basis).verdict != .optimal)
        #expect(!exactlyOptimal(exact(perturbed), basis))
        // A clear margin is proven, and refuted the other way round.
        #expect(program(0.5).verify(basis: basis).verdict == .optimal)
        #expect(program(2).verify(basis: basis).verdict == .rejected)
    }

    /// Mutation: a bound one ulp away makes a degenerate basic variable negative.
    @Test func oneUlpInABoundIsNeverProven() {
        func program(_ bound: Double) -> LinearProgram<Double> {
            var p = LinearProgram<Double>(direction: .maximize, objective: [2, 1], columnBounds: [.nonnegative, .nonnegative])
            p.addRow([(0, 1), (1, 1)], bounds: .atMost(1))
            p.addRow([(0, 1)], bounds: .atMost(bound))
            return p
        }
        let basis = LPBasis(rows: [.atUpper, .atUpper], columns: [.basic, .basic])
        #expect(exactlyOptimal(exact(program(1)), basis))
        #expect(program(1).verify(basis: basis).verdict == .undecided)
        #expect(program(1.0.nextUp).verify(basis: basis).verdict != .optimal)
        #expect(!exactlyOptimal(exact(program(1.0.nextUp)), basis))
    }

    /// Mutation: a dropped row leaves a basis of the wrong shape, or one that is not a basis.
    @Test func droppedRowsAreRejected() throws {
        let p = textbook()
        let basis = try p.solve().basis!
        var dropped = LinearProgram<Double>(direction: .maximize, objective: p.objective, columnBounds: p.columnBounds)
        dropped.addRow(Array(p.row(1)), bounds: p.rowBounds[1])
        #expect(dropped.verify(basis: basis).verdict == .rejected)
        // Its status dropped too: the tight row is gone, and the basis no longer squares.
        let tight = basis.rows.firstIndex { $0 != .basic }!
        var rows = basis.rows
        rows.remove(at: tight)
        var other = LinearProgram<Double>(direction: .maximize, objective: p.objective, columnBounds: p.columnBounds)
        other.addRow(Array(p.row(1 - tight)), bounds: p.rowBounds[1 - tight])
        let verdict = other.verify(basis: LPBasis(rows: rows, columns: basis.columns))
        #expect(verdict.verdict == .rejected)
        #expect(verdict.reason?.contains("not a basis") == true)
    }

    /// Radii of the wrong shape are refused; radii larger than the margins leave signs undecided.
    @Test func radiiShapesAndWidths() throws {
        let p = textbook()
        let basis = try p.solve().basis!
        #expect(p.verify(basis: basis, radii: LPDataRadii(values: [0])).verdict == .rejected)
        #expect(p.verify(basis: basis, radii: LPDataRadii(objective: [0])).verdict == .rejected)
        #expect(p.verify(basis: basis, radii: LPDataRadii(rowBounds: [0])).verdict == .rejected)
        let wide = LPDataRadii(values: Array(repeating: 2, count: p.values.count))
        #expect(p.verify(basis: basis, radii: wide).verdict != .optimal)
    }

    /// Scales from 1e-300 to 1e300: a program scaled by a power of two keeps its proof.
    @Test(arguments: [-996, -500, -60, 0, 60, 500, 990])
    func extremeScales(exponent: Int) throws {
        var p = textbook()
        p.values = p.values.map { Double(sign: .plus, exponent: exponent, significand: 1) * $0 }
        p.rowBounds = p.rowBounds.map { .atMost(Double(sign: .plus, exponent: exponent, significand: 1) * $0.upper!) }
        let basis = try textbook().solve().basis!
        let v = p.verify(basis: basis)
        #expect(v.verdict == .optimal)
        #expect(v.xLower[1] <= 1 && 1 <= v.xUpper[1])
        #expect(exactlyOptimal(exact(p), basis))
    }

    /// The weak-duality bound over a box (``LinearProgram/rigorousUpperBound(objective:rowDuals:radii:box:)``)
    /// on seeded programs (rows ≤, ≥ and =, integer and random data, radii up to 1e-6): with
    /// GLPK's duals it lies within 1e-9 of the exact optimum and never below it; with duals
    /// perturbed, zeroed or of the wrong sign it is looser but still never below; and it holds at
    /// corners of the data box.
    @Test(arguments: 0..<10)
    func weakDualityBoundsAreNeverBelowTheOptimum(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 4242)
        let n = 5, m = 4
        let integers = seed % 2 == 0
        func value() -> Double { integers ? Double(Int(random.next() % 7) - 3) : random.nextUnit() * 4 - 2 }
        var p = LinearProgram<Double>(direction: .maximize, objective: (0..<n).map { _ in value() },
                                      columnBounds: Array(repeating: LPBounds(lower: 0, upper: 1), count: n))
        for i in 0..<m {
            let b = abs(value()) + 1
            let bounds: LPBounds<Double> = i == 0 ? .atMost(b) : i == 1 ? .atLeast(-b) : i == 2 ? LPBounds(lower: -b, upper: b) : .atMost(b)
            p.addRow((0..<n).map { ($0, value()) }, bounds: bounds)
        }
        let solution = try p.solve()
        guard solution.status == .optimal else { return }
        let optimum = try #require(try exact(p).solveExactly().objectiveValue)
        let box = Array(repeating: (lower: 0.0, upper: 1.0), count: n)
        let objective = p.objective.enumerated().map { ($0.offset, $0.element) }
        let tight = try #require(p.rigorousUpperBound(objective: objective, rowDuals: solution.rowDuals, box: box))
        #expect(Rational(tight) >= optimum && tight - optimum.doubleValue <= 1e-9, "\(tight) vs \(optimum.doubleValue)")
        for trial in 0..<8 {
            let y = solution.rowDuals.map { v -> Double in
                switch trial % 4 {
                case 0: return v * (1 + random.nextUnit())
                case 1: return 0
                case 2: return -v
                default: return v + random.nextUnit() - 0.5
                }
            }
            let bound = try #require(p.rigorousUpperBound(objective: objective, rowDuals: y, box: box))
            #expect(Rational(bound) >= optimum, "trial \(trial): \(bound) below \(optimum.doubleValue)")
        }
        // Radii: the bound holds for every program within them (checked at corners).
        let scale = 1e-6
        let radii = LPDataRadii(values: p.values.map { abs($0) * scale + 1e-9 }, objective: nil,
                                rowBounds: p.rowBounds.map { _ in 1e-7 })
        let wide = try #require(p.rigorousUpperBound(objective: objective, rowDuals: solution.rowDuals, radii: radii, box: box))
        for corner in 0..<4 {
            var q = exact(p)
            var pick = SplitMix64(seed: UInt64(corner) &+ 9)
            q.values = zip(p.values, radii.values!).map { Rational($0) + Rational((pick.next() % 2 == 0 ? 0.9 : -0.9) * $1) }
            q.rowBounds = p.rowBounds.map { b in
                let d = Rational((pick.next() % 2 == 0 ? 0.9 : -0.9) * 1e-7)
                return LPBounds(lower: b.lower.map { Rational($0) + d }, upper: b.upper.map { Rational($0) + d })
            }
            let shifted = try q.solveExactly()
            if shifted.status == .optimal, let z = shifted.objectiveValue {
                #expect(Rational(wide) >= z, "corner \(corner): \(wide) below \(z.doubleValue)")
            }
        }
        // A box end missing where the bound needs it gives no bound.
        var open = box
        open[0] = (0, .infinity)
        let zeroDuals = Array(repeating: 0.0, count: m)
        if p.objective[0] != 0 {
            #expect(p.rigorousUpperBound(objective: objective, rowDuals: zeroDuals, box: open) == nil)
        }
    }
}
