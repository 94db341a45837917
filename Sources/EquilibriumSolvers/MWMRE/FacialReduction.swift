import Foundation
import LinearProgramming
import NormalFormGames

extension DualProblem {
    /// The problem on a subset of its columns (entries in other columns dropped).
    func restricted(columns kept: [Int]) -> DualProblem {
        var position = [Int](repeating: -1, count: columnCount)
        for (k, c) in kept.enumerated() { position[c] = k }
        var result = self
        result.offsets = kept.map { offsets[$0] }
        result.rowStart = [0]
        result.rowColumns = []
        result.rowValues = []
        for i in 0..<rowCount {
            for k in rowStart[i]..<rowStart[i + 1] where position[rowColumns[k]] >= 0 {
                result.rowColumns.append(position[rowColumns[k]])
                result.rowValues.append(rowValues[k])
            }
            result.rowStart.append(result.rowColumns.count)
        }
        return result
    }

    /// The problem on a subset of its rows.
    func restricted(rows kept: [Int]) -> DualProblem {
        var result = self
        result.rowStart = [0]
        result.rowColumns = []
        result.rowValues = []
        for i in kept {
            result.rowColumns.append(contentsOf: rowColumns[rowStart[i]..<rowStart[i + 1]])
            result.rowValues.append(contentsOf: rowValues[rowStart[i]..<rowStart[i + 1]])
            result.rowStart.append(result.rowColumns.count)
        }
        result.rowPlayer = kept.map { rowPlayer[$0] }
        result.rowBound = kept.map { rowBound[$0] }
        result.rowFree = kept.map { rowFree[$0] }
        return result
    }
}

/// How the split of a facial reduction is decided.
enum FacialReductionMode: Sendable {
    /// Proven for the exact problem (see ``MWMRESolver/facialReduction(_:mode:rowRadius:exactRowValues:timeLimit:)``);
    /// in doubles with a note only when every proof fails or runs out of time.
    case proven
    /// In doubles only, with the cone point capped (τ ≤ 1e8): a joint action counts as playable
    /// when some feasible σ gives it at least about 1e-8. The reason is reported.
    case doubles(reason: String)
}

/// Which columns some feasible σ plays, which hard rows every feasible σ makes tight, and how
/// that was decided.
struct FacialReduction {
    var possible: [Bool]
    var tight: [Bool]
    /// How: `floating-point interior point` (with `and an exact certificate` when joint actions
    /// are dropped), `exact basis`, `exact simplex`, or `doubles (…)` with the reason.
    var method: String
    /// A point y ≥ 0 of the cone, positive on every possible column and strictly inside every
    /// row that is not tight (y/Σy is then a relative-interior point of the feasible set), when
    /// the split is proven. Its coordinates are doubles; whoever relies on its slack must
    /// evaluate it rigorously.
    var interior: [Double]?

    /// Whether the split is proven for the exact problem (a proof always yields its point).
    var proven: Bool { interior != nil }
}

extension MWMRESolver {
    /// The largest cone LP (rows or columns) whose whole program step 3 proves: a dense
    /// enclosure or exact basis of 2000×2000 takes about a second and tens of megabytes; at
    /// 10⁴ (a 64×64 game) it would take minutes and gigabytes, so larger ones stay in doubles.
    static let exactDimensionLimit = 2000

    /// Facial reduction of {σ ≥ 0, Σσ = 1, A_i σ ≤ b_i (every row hard)} by one LP on the cone
    /// {y ≥ 0, τ = Σ y, A_i y ≤ b_i τ}:
    ///
    ///     max Σ_c z_c + Σ_i w_i   s.t.  z_c ≤ y_c,  A_i y − b_i τ + w_i ≤ 0,  0 ≤ z, w ≤ 1.
    ///
    /// The cone is closed under scaling and convex, so one point can be positive on every column
    /// some feasible σ plays and slack on every row some feasible σ leaves slack; scaled up, it
    /// sets all those z_c and w_i to 1. So every optimum sets exactly those to 1 and the rest to 0.
    ///
    /// Proven (`mode` `.proven`), the split GLPK's double solution suggests is checked for the
    /// exact problem, cheapest first:
    /// 1. *Interior point.* The double point y itself, when it is positive on the columns called
    ///    playable and the rows called tight vanish on them with b_i = 0: y ≥ 0 is exact, and
    ///    A_i y < b_i Σy on every other row is checked with every rounding bounded (and the
    ///    data's radii). That proves those columns playable and those rows slack.
    /// 2. *Exact certificate* for the columns called unplayable C: multipliers λ ≥ 0 on the rows
    ///    called tight (which touch only C) with Σ_j λ_j A_jc > 0 for every c ∈ C, found by an
    ///    exact LP on the exact gains; any feasible σ has 0 ≥ Σ_j λ_j A_jσ = Σ_c (λᵀA)_c σ_c, so
    ///    σ = 0 on C, and those rows are then tight.
    /// 3. Otherwise the whole cone LP exactly: GLPK's basis proven optimal by floating-point
    ///    enclosures, else re-solved in rationals, else GLPK's rational simplex, within
    ///    `timeLimit`; in doubles with the reason when all of them fail.
    ///
    /// - Parameters:
    ///   - rowRadius: how far the exact gain behind each double of `problem.rowValues` may lie
    ///     from it (the proof holds for every gain within it).
    ///   - exactRowValues: the exact gains, in the layout of `problem.rowValues`, for the
    ///     exact steps (computed only when needed).
    static func facialReduction(_ problem: DualProblem, mode: FacialReductionMode, rowRadius: [Double],
                                exactRowValues: () -> [Rational], timeLimit: Duration = .seconds(10))
        throws(MWMREError) -> FacialReduction
    {
        let c = problem.columnCount, m = problem.rowCount
        // Columns: y (c), τ, z (c), w (m).
        let tau = c, zStart = c + 1, wStart = 2 * c + 1
        let total = 2 * c + 1 + m
        // Each row scaled by a power of two so that its largest number is in [1, 2): GLPK's
        // tolerances are absolute, and a row's feasible set does not change.
        let shifts = (0..<m).map { i -> Int in
            var largest = abs(problem.rowBound[i])
            for k in problem.rowStart[i]..<problem.rowStart[i + 1] { largest = max(largest, abs(problem.rowValues[k])) }
            return largest > 0 ? -Int(largest.exponent) : 0
        }
        /// The program over `value(k, shift)` for matrix entry k of `problem` and `bound(i, shift)`
        /// for −b_i; `cap` bounds τ (doubles only).
        func build<S: LPScalar>(_ value: (Int, Int) -> S, bound: (Int, Int) -> S, one: S, minusOne: S,
                                cap: S?) -> LinearProgram<S> {
            var objective = [S](repeating: .zero, count: total)
            for k in zStart..<total { objective[k] = one }
            var bounds = [LPBounds<S>](repeating: .nonnegative, count: total)
            for k in zStart..<total { bounds[k] = LPBounds(lower: .zero, upper: one) }
            if let cap { bounds[tau] = LPBounds(lower: .zero, upper: cap) }
            var program = LinearProgram<S>(direction: .maximize, objective: objective, columnBounds: bounds)
            program.addRow((0..<c).map { ($0, one) } + [(tau, minusOne)], bounds: .fixed(.zero))
            for i in 0..<m {
                var entries: [(Int, S)] = []
                for k in problem.rowStart[i]..<problem.rowStart[i + 1] {
                    entries.append((problem.rowColumns[k], value(k, shifts[i])))
                }
                entries.append((tau, bound(i, shifts[i])))
                if problem.rowFree[i] {
                    // Already an equality (the max-welfare face of μ = ∞): tight by definition.
                    program.columnBounds[wStart + i] = .fixed(.zero)
                    program.addRow(entries, bounds: .fixed(.zero))
                } else {
                    entries.append((wStart + i, one))
                    program.addRow(entries, bounds: .atMost(.zero))
                }
            }
            for k in 0..<c { program.addRow([(zStart + k, one), (k, minusOne)], bounds: .atMost(.zero)) }
            return program
        }
        func doubleProgram(cap: Double?) -> LinearProgram<Double> {
            build({ scalbn(problem.rowValues[$0], $1) }, bound: { -scalbn(problem.rowBound[$0], $1) },
                  one: 1.0, minusOne: -1.0, cap: cap)
        }
        func split(_ x: [Double], proven: Bool, method: String) -> FacialReduction {
            FacialReduction(possible: (0..<c).map { x[zStart + $0] > 0.5 }, tight: (0..<m).map { x[wStart + $0] < 0.5 },
                            method: method, interior: proven ? Array(x[0..<c]) : nil)
        }
        /// The split in doubles with the cone point capped (τ ≤ 1e8), so that GLPK's tolerances
        /// stay meaningful.
        var capped: LPSolution<Double>? = nil
        func inDoubles(_ why: String) throws(MWMREError) -> FacialReduction {
            do {
                let solution = try capped ?? doubleProgram(cap: 1e8).solve()
                return split(solution.x, proven: false, method: "doubles: " + why)
            } catch {
                throw MWMREError("facial-reduction LP failed: \(error)")
            }
        }
        if case .doubles(let reason) = mode { return try inDoubles(reason) }

        // GLPK's suggestion: the uncapped program, whose basis the exact steps can reuse; the
        // capped one when GLPK's tolerances fail on the unbounded cone (a status other than
        // optimal). Either is only a suggestion: what follows proves it or finds the split exactly.
        let program = doubleProgram(cap: nil)
        var solution: LPSolution<Double>? = try? program.solve()
        var basis = solution?.basis
        // Should no proof hold, GLPK's split stands (in doubles), without a second solve.
        if solution?.status == .optimal { capped = solution }
        if solution?.status != .optimal {
            basis = nil
            solution = try? doubleProgram(cap: 1e8).solve()
            capped = solution
        }
        var exactValues: [Rational]? = nil
        func exact() -> [Rational] {
            if let exactValues { return exactValues }
            let values = exactRowValues()
            exactValues = values
            return values
        }
        if let solution, solution.status == .optimal {
            let suggested = split(solution.x, proven: true, method: "")
            if let quick = interiorProof(problem, possible: suggested.possible, tight: suggested.tight,
                                         y: Array(solution.x[0..<c]), rowRadius: rowRadius, exact: exact,
                                         timeLimit: timeLimit) {
                return quick
            }
        }

        // 3. The whole cone LP: GLPK's basis proven optimal for every program within the data's
        //    radii (the exact one among them), else exactly.
        var why = "GLPK's double simplex did not solve the uncapped program"
        let values = exact()
        let exactProgram = build({ values[$0].timesPowerOfTwo($1) },
                                 bound: { (-Rational(problem.rowBound[$0])).timesPowerOfTwo($1) },
                                 one: Rational.one, minusOne: Rational(-1), cap: nil)
        let deadline = ContinuousClock.now + timeLimit
        if let basis {
            // Within the step's budget: a dense enclosure of 2000×2000 takes about a second.
            let verified = program.verify(basis: basis, radii: radii(program, problem: problem, rowRadius: rowRadius,
                                                                     shifts: shifts),
                                          maximumDimension: Self.exactDimensionLimit)
            if verified.verdict == .optimal {
                if (zStart..<total).allSatisfy({ verified.xLower[$0] > 0.5 || verified.xUpper[$0] < 0.5 }) {
                    let x = (0..<total).map { (verified.xLower[$0] + verified.xUpper[$0]) / 2 }
                    return split(x, proven: true, method: "floating-point enclosure")
                }
                why = "the enclosure did not separate z or w from ½"
            } else {
                why = verified.reason ?? verified.verdict.rawValue
            }
            if let (x, y) = exactProgram.basicSolution(basis, deadline: deadline,
                                                       maximumDimension: Self.exactDimensionLimit),
               exactProgram.certify(x: x, rowDuals: y).isVerified {
                return split(x.map(\.doubleValue), proven: true, method: "exact basis")
            }
        }
        let left = deadline - .now
        guard left > .zero else { return try inDoubles("not proven within the exact time limit: " + why) }
        // The rational simplex re-solves bases densely (memory ∝ k², gigabytes at k = 10⁴).
        let largest = min(exactProgram.rowCount, exactProgram.columnCount)
        guard largest <= Self.exactDimensionLimit else {
            return try inDoubles("not proven: " + why + "; the cone LP (\(exactProgram.rowCount) rows) is beyond the "
                                 + "exact simplex's \(Self.exactDimensionLimit)")
        }
        do {
            let solved = try exactProgram.solveExactly(timeLimit: left)
            if solved.status == .optimal && solved.certified {
                return split(solved.x.map(\.doubleValue), proven: true, method: "exact simplex")
            }
            why += "; the exact simplex did not certify an optimum" + (solved.note.map { " (\($0))" } ?? "")
        } catch {
            why += "; the exact simplex failed (\(error))"
        }
        return try inDoubles("not proven: " + why)
    }

    /// Steps 1 and 2 of ``facialReduction(_:mode:rowRadius:exactRowValues:timeLimit:)``: the
    /// split `possible`/`tight` proven by the interior point `y` and, for the columns called
    /// unplayable, an exact certificate; `nil` when either does not apply or does not hold.
    private static func interiorProof(_ problem: DualProblem, possible: [Bool], tight: [Bool], y: [Double],
                                      rowRadius: [Double], exact: () -> [Rational], timeLimit: Duration)
        -> FacialReduction?
    {
        let c = problem.columnCount, m = problem.rowCount
        guard !problem.rowFree.contains(true) else { return nil }
        let point = (0..<c).map { possible[$0] ? y[$0] : 0 }
        guard (0..<c).allSatisfy({ !possible[$0] || (point[$0] > 0 && point[$0].isFinite) }),
              possible.contains(true) else { return nil }
        // Rows called tight: b_i = 0 and no nonzero exact gain on a playable column.
        for i in 0..<m where tight[i] {
            guard problem.rowBound[i] == 0 else { return nil }
            for k in problem.rowStart[i]..<problem.rowStart[i + 1] where possible[problem.rowColumns[k]] {
                guard problem.rowValues[k] == 0, exact()[k].isZero else { return nil }
            }
        }
        // The other rows strictly slack at y/Σy: A_i y − b_i Σy < 0 with every rounding bounded.
        var mass = 0.0, massTerms = 0
        for v in point where v > 0 { mass += v; massTerms += 1 }
        let massHigh = (mass * (1 + RoundingBound.gamma(massTerms + 1))).nextUp
        let massLow = (mass * (1 - RoundingBound.gamma(massTerms + 1))).nextDown
        for i in 0..<m where !tight[i] {
            var sum = 0.0, magnitude = 0.0, terms = 0, radius = 0.0
            for k in problem.rowStart[i]..<problem.rowStart[i + 1] {
                let v = point[problem.rowColumns[k]]
                guard v > 0 else { continue }
                sum += problem.rowValues[k] * v
                magnitude += abs(problem.rowValues[k] * v)
                radius += rowRadius[k] * v
                terms += 1
            }
            let b = problem.rowBound[i]
            let bMass = b >= 0 ? b * massLow : b * massHigh   // b·Σy from below
            let bMassLow = (bMass - abs(bMass) * 0x1p-52 - 0x1p-1073).nextDown
            let g = RoundingBound.gamma(terms + 2)
            let error = ((g * magnitude + radius) * (1 + 2 * g) + Double(terms + 1) * 0x1p-1073).nextUp
            guard (sum + error).nextUp < bMassLow else { return nil }
        }
        let unplayable = (0..<c).filter { !possible[$0] }
        if unplayable.isEmpty {
            // Rows called tight then have no nonzero gain at all, and b_i = 0: tight exactly.
            return FacialReduction(possible: possible, tight: tight, method: "floating-point interior point",
                                   interior: point)
        }
        // The exact certificate: max Σ s_c s.t. Σ_j λ_j A_jc ≥ s_c (c unplayable), λ ≥ 0, 0 ≤ s ≤ 1,
        // over the rows called tight (which touch only unplayable columns).
        let rows = (0..<m).filter { tight[$0] }
        guard !rows.isEmpty else { return nil }
        var position = [Int](repeating: -1, count: c)
        for (k, col) in unplayable.enumerated() { position[col] = k }
        let values = exact()
        let lambdas = rows.count
        var bounds = [LPBounds<Rational>](repeating: .nonnegative, count: lambdas)
        bounds += Array(repeating: LPBounds(lower: .zero, upper: .one), count: unplayable.count)
        var objective = [Rational](repeating: .zero, count: lambdas)
        objective += Array(repeating: .one, count: unplayable.count)
        var columnEntries = [[(Int, Rational)]](repeating: [], count: unplayable.count)
        for (j, i) in rows.enumerated() {
            for k in problem.rowStart[i]..<problem.rowStart[i + 1] {
                let p = position[problem.rowColumns[k]]
                if p >= 0, !values[k].isZero { columnEntries[p].append((j, values[k])) }
            }
        }
        var certificate = LinearProgram<Rational>(direction: .maximize, objective: objective, columnBounds: bounds)
        for (p, entries) in columnEntries.enumerated() {
            certificate.addRow(entries + [(lambdas + p, Rational(-1))], bounds: .atLeast(.zero))
        }
        guard let solved = try? certificate.solveExactly(timeLimit: timeLimit), solved.status == .optimal,
              solved.certified, (0..<unplayable.count).allSatisfy({ solved.x[lambdas + $0] == .one }) else { return nil }
        return FacialReduction(possible: possible, tight: tight,
                               method: "floating-point interior point and an exact certificate", interior: point)
    }

    /// The radii of the double facial-reduction program: each gain's radius scaled with its row,
    /// plus the rounding of the power-of-two scaling where it lands below the normal range.
    private static func radii(_ program: LinearProgram<Double>, problem: DualProblem, rowRadius: [Double],
                              shifts: [Int]) -> LPDataRadii {
        var values = [Double](repeating: 0, count: program.values.count)
        func underflow(_ v: Double) -> Double { v != 0 && abs(v) < .leastNormalMagnitude ? .leastNonzeroMagnitude : 0 }
        // Row 0 is Σy = τ (exact); row i + 1 holds gain row i's entries, then −b_i (and w_i).
        for i in 0..<problem.rowCount {
            let base = program.rowStart[i + 1], count = problem.rowStart[i + 1] - problem.rowStart[i]
            for j in 0..<count {
                values[base + j] = (scalbn(rowRadius[problem.rowStart[i] + j], shifts[i]).nextUp
                                    + underflow(program.values[base + j])).nextUp
            }
            values[base + count] = underflow(program.values[base + count])
        }
        return LPDataRadii(values: values)
    }
}
