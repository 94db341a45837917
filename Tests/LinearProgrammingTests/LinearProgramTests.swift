import Testing
import NormalFormGames
@testable import LinearProgramming

private func r(_ n: Int, _ d: Int = 1) -> Rational { Rational(n, d) }

/// max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 9, 0 ≤ x ≤ 3, y ≥ 0: the optimum is (3, 1) with value
/// 11 (by hand: x is capped at 3, then y = 1 fills x + y ≤ 4 while x + 3y = 6 < 9; so the
/// multipliers are y1 = 2 (y's cost over its coefficient), y2 = 0, and x's reduced cost 3 − 2 = 1).
private func textbook() -> LinearProgram<Rational> {
    var p = LinearProgram<Rational>(direction: .maximize, objective: [3, 2],
                                    columnBounds: [LPBounds(lower: 0, upper: 3), .nonnegative])
    p.addRow([(0, r(1)), (1, r(1))], bounds: .atMost(4))
    p.addRow([(0, r(1)), (1, r(3))], bounds: .atMost(9))
    return p
}

@Suite struct LinearProgramTests {
    @Test func textbookOptimumIsExactAndCertified() throws {
        let solution = try textbook().solveExactly()
        #expect(solution.status == .optimal)
        #expect(solution.certified)
        #expect(solution.x == [3, 1])
        #expect(solution.objectiveValue == 11)
        #expect(solution.rowDuals == [2, 0])
        #expect(solution.reducedCosts == [1, 0])
    }

    @Test func doublePathAgreesWithHandOptimum() throws {
        let p = textbook()
        var d = LinearProgram<Double>(direction: .maximize, objective: [3, 2],
                                      columnBounds: [LPBounds(lower: 0, upper: 3), .nonnegative])
        for i in 0..<p.rowCount {
            d.addRow(p.row(i).map { ($0.0, $0.1.doubleValue) },
                     bounds: LPBounds(lower: nil, upper: p.rowBounds[i].upper!.doubleValue))
        }
        let s = try d.solve()
        #expect(s.status == .optimal)
        #expect(abs(s.objectiveValue - 11) < 1e-12)
        #expect(abs(s.x[0] - 3) < 1e-12 && abs(s.x[1] - 1) < 1e-12)
    }

    @Test func minimisationWithRationalData() throws {
        // min x + y s.t. x/3 + y/7 ≥ 1/21, x, y ≥ 0: cheapest is y = 1/3 (cost 1/3) vs x = 1/7
        // (cost 1/7): the optimum is x = 1/7, value 1/7.
        var p = LinearProgram<Rational>(direction: .minimize, objective: [1, 1], columnBounds: [.nonnegative, .nonnegative])
        p.addRow([(0, r(1, 3)), (1, r(1, 7))], bounds: .atLeast(r(1, 21)))
        let s = try p.solveExactly()
        #expect(s.certified)
        #expect(s.objectiveValue == r(1, 7))
        #expect(s.x == [r(1, 7), 0])
    }

    @Test func certificateRejectsWrongClaims() {
        let p = textbook()
        // Feasible but not optimal.
        let suboptimal = p.certify(x: [2, 1], rowDuals: [2, 0])
        #expect(suboptimal.primalFeasible && suboptimal.dualFeasible && !suboptimal.objectivesEqual)
        // Infeasible point.
        #expect(!p.certify(x: [4, 0], rowDuals: [2, 0]).primalFeasible)
        // Wrong-signed multiplier: the bound is infinite.
        #expect(!p.certify(x: [3, 1], rowDuals: [-1, 0]).dualFeasible)
        #expect(p.certify(x: [3, 1], rowDuals: [2, 0]).isVerified)
    }

    @Test func infeasibilityHasAFarkasCertificate() throws {
        var p = LinearProgram<Rational>(direction: .maximize, objective: [1, 0], columnBounds: [.nonnegative, .nonnegative])
        p.addRow([(0, r(1)), (1, r(1))], bounds: .atLeast(3))
        p.addRow([(0, r(1)), (1, r(1))], bounds: .atMost(2))
        let s = try p.solveExactly()
        #expect(s.status == .infeasible)
        #expect(s.certified)
        let gap = try #require(s.farkasGap)
        #expect(gap < 0)
        // Independently: the multipliers combine the rows into 0 ≤ (negative number).
        #expect(p.farkasGap(s.rowDuals) == gap)
        #expect(p.farkasGap([0, 0]) == 0)
    }

    @Test func optimalFaceOfADegenerateProgram() throws {
        // max x + y s.t. x + y ≤ 1: every split is optimal.
        var p = LinearProgram<Rational>(direction: .maximize, objective: [1, 1], columnBounds: [.nonnegative, .nonnegative])
        p.addRow([(0, r(1)), (1, r(1))], bounds: .atMost(1))
        let s = try p.solveExactly()
        let face = try p.optimalFace(of: s, columns: [0, 1])
        #expect(face.isUnique == false)
        #expect(face.certified)
        #expect(face.ranges.map { $0?.minimum } == [0, 0])
        #expect(face.ranges.map { $0?.maximum } == [1, 1])
        let unique = try textbook().optimalFace(of: textbook().solveExactly(), columns: [0, 1])
        #expect(unique.isUnique == true)
    }

    /// Seeded small programs, many degenerate (integer data in a narrow range, duplicated
    /// columns, objectives parallel to a row): the uniqueness decided by one LP, exactly and in
    /// doubles, is the one the exact ranges give (unique exactly when every range is a point).
    @Test(arguments: 0..<4)
    func uniquenessByOneLPAgreesWithTheExactRanges(block: Int) throws {
        var rng = SplitMix64(seed: 9000 + UInt64(block))
        var checked = 0, nonUnique = 0
        for _ in 0..<40 {
            let n = Int.random(in: 2...5, using: &rng), m = Int.random(in: 1...4, using: &rng)
            var objective = (0..<n).map { _ in Rational(Int.random(in: 0...2, using: &rng)) }
            var rows: [[Rational]] = (0..<m).map { _ in (0..<n).map { _ in Rational(Int.random(in: 0...2, using: &rng)) } }
            if Bool.random(using: &rng) { objective = rows[0] }  // the objective parallel to a row
            if Bool.random(using: &rng) { for i in 0..<m { rows[i][n - 1] = rows[i][0] }; objective[n - 1] = objective[0] }
            var exact = LinearProgram<Rational>(direction: .maximize, objective: objective,
                                                columnBounds: Array(repeating: LPBounds(lower: 0, upper: 3), count: n))
            var double = LinearProgram<Double>(direction: .maximize, objective: objective.map(\.doubleValue),
                                               columnBounds: Array(repeating: LPBounds(lower: 0, upper: 3), count: n))
            for row in rows {
                let entries = row.enumerated().filter { !$0.element.isZero }.map { ($0.offset, $0.element) }
                let bound = Rational(Int.random(in: 1...4, using: &rng))
                exact.addRow(entries, bounds: .atMost(bound))
                double.addRow(entries.map { ($0.0, $0.1.doubleValue) }, bounds: .atMost(bound.doubleValue))
            }
            let solution = try exact.solveExactly()
            guard solution.status == .optimal, solution.certified else { continue }
            let all = try exact.optimalFace(of: solution, columns: Array(0..<n), ranges: .all)
            let ranges = try #require(all.ranges.count == n ? all.ranges.map { $0! } : nil)
            let byRanges = ranges.allSatisfy { $0.minimum == $0.maximum }
            let oneLP = try exact.optimalFace(of: solution, columns: Array(0..<n), ranges: .none)
            #expect(oneLP.isUnique == byRanges)
            #expect(oneLP.certified)
            let floating = try double.solve()
            let inDoubles = try double.optimalFace(of: floating, columns: Array(0..<n), ranges: .none)
            #expect(inDoubles.isUnique == byRanges)
            // The ranges in doubles match the exact ones.
            let doubleRanges = try double.optimalFace(of: floating, columns: Array(0..<n), ranges: .all).ranges
            for j in 0..<n {
                let r = try #require(doubleRanges[j])
                #expect(abs(r.minimum - ranges[j].minimum.doubleValue) < 1e-9)
                #expect(abs(r.maximum - ranges[j].maximum.doubleValue) < 1e-9)
            }
            checked += 1
            if !byRanges { nonUnique += 1 }
        }
        // Both kinds of face occur.
        #expect(checked > 20 && nonUnique > 0 && nonUnique < checked)
    }

    /// A budget of one simplex iteration leaves ranges undone; they are reported as such
    /// (`nil`, with a note), and nothing throws.
    @Test func rangesBeyondTheBudgetAreReportedNotComputed() throws {
        var p = LinearProgram<Double>(direction: .maximize, objective: Array(repeating: 1, count: 6),
                                      columnBounds: Array(repeating: .nonnegative, count: 6))
        p.addRow((0..<6).map { ($0, 1.0) }, bounds: .atMost(1))
        let s = try p.solve()
        let face = try p.optimalFace(of: s, columns: Array(0..<6), ranges: .iterations(1))
        #expect(face.isUnique != true)
        #expect(face.missingRanges > 0 && !face.isComplete)
        #expect(face.note?.contains("not computed") == true)
        var progress: [Int] = []
        let all = try p.optimalFace(of: s, columns: Array(0..<6), ranges: .all) { done, total in
            #expect(total == 6)
            progress.append(done)
        }
        #expect(all.isComplete && progress == Array(1...6))
        #expect(all.ranges.allSatisfy { $0.map { $0.minimum == 0 && abs($0.maximum - 1) < 1e-12 } == true })
        // A deadline already passed: nothing is decided, nothing throws.
        let late = try p.optimalFace(of: s, columns: Array(0..<6), ranges: .all, deadline: .now - .seconds(1))
        #expect(late.isUnique == nil && late.missingRanges == 6 && late.note != nil)
    }

    @Test func malformedProgramsThrowInsteadOfAborting() {
        var p = LinearProgram<Double>(direction: .maximize, objective: [1], columnBounds: [.nonnegative])
        p.addRow([(3, 1.0)], bounds: .atMost(1))
        #expect(throws: LinearProgrammingError.self) { try p.solve() }
        var q = LinearProgram<Double>(direction: .maximize, objective: [1], columnBounds: [.nonnegative])
        q.addRow([(0, 1.0), (0, 2.0)], bounds: .atMost(1))
        #expect(throws: LinearProgrammingError.self) { try q.solve() }
        var n = LinearProgram<Double>(direction: .maximize, objective: [.nan], columnBounds: [.nonnegative])
        n.addRow([(0, 1.0)], bounds: .atMost(1))
        #expect(throws: LinearProgrammingError.self) { try n.solve() }
        let b = LinearProgram<Double>(direction: .maximize, objective: [1], columnBounds: [LPBounds(lower: 2, upper: 1)])
        #expect(throws: LinearProgrammingError.self) { try b.solve() }
    }

    /// A solve continues from a given basis: from the optimum it takes no iteration, from the
    /// slack basis it reaches the hand optimum, a basis of the wrong shape or with the wrong
    /// number of basic variables is an error, not an abort, and a singular one is replaced.
    @Test func solveFromAStartingBasis() throws {
        let p = textbook()
        var d = LinearProgram<Double>(direction: .maximize, objective: [3, 2],
                                      columnBounds: [LPBounds(lower: 0, upper: 3), .nonnegative])
        for i in 0..<p.rowCount {
            d.addRow(p.row(i).map { ($0.0, $0.1.doubleValue) }, bounds: .atMost(p.rowBounds[i].upper!.doubleValue))
        }
        let optimum = try d.solve()
        let again = try d.solve(startingBasis: optimum.basis)
        #expect(again.iterations == 0 && again.x == optimum.x && again.basis == optimum.basis)
        let slack = LPBasis(rows: [.basic, .basic], columns: [.atLower, .atLower])
        let fromSlack = try d.solve(startingBasis: slack)
        #expect(fromSlack.iterations > 0 && abs(fromSlack.x[0] - 3) < 1e-12 && abs(fromSlack.x[1] - 1) < 1e-12)
        #expect(throws: LinearProgrammingError.self) {
            try d.solve(startingBasis: LPBasis(rows: [.basic], columns: [.atLower, .atLower]))
        }
        #expect(throws: LinearProgrammingError.self) {
            try d.solve(startingBasis: LPBasis(rows: [.basic, .basic], columns: [.basic, .atLower]))
        }
        // A basis of the right size that is singular (two equal rows, both columns basic) is
        // numerically unusable: the solve goes on from GLPK's crash basis, to the same optimum.
        var twice = LinearProgram<Double>(direction: .maximize, objective: [1, 2], columnBounds: [.nonnegative, .nonnegative])
        twice.addRow([(0, 1), (1, 1)], bounds: .atMost(4))
        twice.addRow([(0, 1), (1, 1)], bounds: .atMost(4))
        let singular = try twice.solve(startingBasis: LPBasis(rows: [.atUpper, .atUpper], columns: [.basic, .basic]))
        #expect(singular.status == .optimal && abs(singular.objectiveValue - 8) < 1e-12)
    }

    @Test func basicSolutionRejectsAnInvalidBasis() {
        let p = textbook()
        // Two basic columns but only one tight row: not a basis.
        let bad = LPBasis(rows: [.basic, .atUpper], columns: [.basic, .basic])
        #expect(p.basicSolution(bad) == nil)
        #expect(p.basicSolution(LPBasis(rows: [.basic, .basic], columns: [.basic, .basic])) == nil)
    }
}
