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

/// Which columns some feasible σ plays, and which hard rows every feasible σ makes tight.
struct FacialReduction {
    var possible: [Bool]
    var tight: [Bool]
}

extension MWMRESolver {
    /// Facial reduction of {σ ≥ 0, Σσ = 1, A_i σ ≤ b_i (every row hard)} by one LP on the cone
    /// {y ≥ 0, τ = Σ y, A_i y ≤ b_i τ}:
    ///
    ///     max Σ_c z_c + Σ_i w_i   s.t.  z_c ≤ y_c,  A_i y − b_i τ + w_i ≤ 0,  0 ≤ z, w ≤ 1.
    ///
    /// The cone is closed under scaling and convex, so one point can be positive on every column
    /// some feasible σ plays and slack on every row some feasible σ leaves slack; scaled up, it
    /// sets all those z_c and w_i to 1, and the optimum sets exactly those to 1 and the rest to 0.
    /// Solved exactly (rational data of the doubles, certified) when `exact`, so the split is exact;
    /// otherwise in doubles with the cone point capped (see the body).
    static func facialReduction(_ problem: DualProblem, exact: Bool) throws(MWMREError) -> FacialReduction {
        let c = problem.columnCount, m = problem.rowCount
        // Columns: y (c), τ, z (c), w (m).
        let tau = c, zStart = c + 1, wStart = 2 * c + 1
        let total = 2 * c + 1 + m
        func build<S: LPScalar>(_ convert: (Double) -> S, one: S) -> LinearProgram<S> {
            var objective = [S](repeating: .zero, count: total)
            for k in zStart..<total { objective[k] = one }
            var bounds = [LPBounds<S>](repeating: .nonnegative, count: total)
            for k in zStart..<total { bounds[k] = LPBounds(lower: .zero, upper: one) }
            // In doubles, cap the scale of the cone point (τ ≤ 1e8) so GLPK's tolerances stay
            // meaningful; a column is then seen as playable when some feasible σ gives it at least
            // 1e-8. The exact program needs no cap.
            if !exact { bounds[tau] = LPBounds(lower: .zero, upper: convert(1e8)) }
            var program = LinearProgram<S>(direction: .maximize, objective: objective, columnBounds: bounds)
            program.addRow((0..<c).map { ($0, one) } + [(tau, convert(-1))], bounds: .fixed(.zero))
            for i in 0..<m {
                // Each row scaled by a power of two (exact) so that its largest number is in [1, 2):
                // GLPK's tolerances are absolute, and a row's feasible set does not change.
                var largest = abs(problem.rowBound[i])
                for k in problem.rowStart[i]..<problem.rowStart[i + 1] { largest = max(largest, abs(problem.rowValues[k])) }
                let shift = largest > 0 ? -Int(largest.exponent) : 0
                var entries: [(Int, S)] = []
                for k in problem.rowStart[i]..<problem.rowStart[i + 1] {
                    entries.append((problem.rowColumns[k], convert(scalbn(problem.rowValues[k], shift))))
                }
                entries.append((tau, convert(-scalbn(problem.rowBound[i], shift))))
                if problem.rowFree[i] {
                    // Already an equality (the max-welfare face of μ = ∞): tight by definition.
                    program.columnBounds[wStart + i] = .fixed(.zero)
                    program.addRow(entries, bounds: .fixed(.zero))
                } else {
                    entries.append((wStart + i, one))
                    program.addRow(entries, bounds: .atMost(.zero))
                }
            }
            for k in 0..<c { program.addRow([(zStart + k, one), (k, convert(-1))], bounds: .atMost(.zero)) }
            return program
        }
        var values: [Double]
        do {
            if exact {
                let program = build({ Rational($0) }, one: Rational.one)
                let solution = try program.solveExactly()
                if solution.status == .optimal && solution.certified {
                    values = solution.x.map(\.doubleValue)
                } else {
                    // Fall back to doubles (the note of the exact solve says why).
                    values = try build({ $0 }, one: 1.0).solve().x
                }
            } else {
                values = try build({ $0 }, one: 1.0).solve().x
            }
        } catch {
            throw MWMREError("facial-reduction LP failed: \(error)")
        }
        return FacialReduction(possible: (0..<c).map { values[zStart + $0] > 0.5 },
                               tight: (0..<m).map { values[wStart + $0] < 0.5 })
    }
}
