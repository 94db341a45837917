import Foundation
import LinearProgramming
import NormalFormGames

/// A proof of infeasibility in floating point, with rigorous error bounds.
///
/// For the scaled equilibrium LP {σ ≥ 0 on the support, Σσ = 1, A''σ ≤ ε''}, multipliers y ≥ 0 of
/// the gain rows prove infeasibility when min_a (A''ᵀy)_a > yᵀε'': every feasible σ would give
/// Σ_a σ_a (A''ᵀy)_a = yᵀ(A''σ) ≤ yᵀε'', while the left side is at least min_a (A''ᵀy)_a.
/// The multipliers come from the always-feasible LP min s s.t. A''σ − s ≤ ε'' (its optimal s is
/// positive exactly when the program is infeasible); the inequality is then checked with the
/// standard bound |fl(Σ x_i) − Σ x_i| ≤ γ_n Σ |x_i|, γ_n = n·u/(1 − n·u), u = 2⁻⁵³, on every
/// sum, plus the rounding of the gains themselves (one subtraction each, relative u, and the
/// absolute underflow of the payoff scaling) and, when the payoffs are exact rationals that are not
/// doubles (decimals read from text), their rounding to doubles (relative u of each payoff, so
/// an absolute error of 4u per gain in payoff-scaled units). Nothing is trusted from GLPK but the
/// multipliers.
enum FloatingFarkas {
    static let unitRoundoff = 0x1p-53

    static func gamma(_ n: Int) -> Double {
        let nu = Double(n) * unitRoundoff
        return nu / (1 - nu)
    }

    /// The unscaled-to-order-one Farkas multipliers of the gain rows when the proof holds.
    ///
    /// - Parameter roundedPayoffs: whether the doubles are roundings of exact payoffs (the proof
    ///   must then hold for every payoff within relative u of its double).
    static func prove(program: LinearProgram<Double>, gainRows: Int, scaling: LPScaling,
                      options: SimplexOptions, roundedPayoffs: Bool) -> [Double]? {
        let columns = program.columnCount
        // min s: the extra column s enters every gain row with −1.
        var phase = LinearProgram<Double>(direction: .minimize,
                                          objective: Array(repeating: 0, count: columns) + [1],
                                          columnBounds: program.columnBounds + [.free])
        for i in 0..<program.rowCount {
            var entries = Array(program.row(i))
            if i < gainRows { entries.append((columns, -1)) }
            phase.addRow(entries, bounds: program.rowBounds[i])
        }
        guard let solution = try? phase.solve(options: options), solution.status == .optimal,
              solution.objectiveValue > 0 else { return nil }
        let y = (0..<gainRows).map { max(0, -solution.rowDuals[$0]) }
        guard y.contains(where: { $0 > 0 }) else { return nil }
        return holds(program: program, y: y, gainRows: gainRows, scaling: scaling, roundedPayoffs: roundedPayoffs) ? y : nil
    }

    /// The rigorous check of min_a (A''ᵀy)_a > yᵀε'' over the columns σ may use.
    static func holds(program: LinearProgram<Double>, y: [Double], gainRows: Int, scaling: LPScaling,
                      roundedPayoffs: Bool) -> Bool {
        let joint = scaling.gains.jointActionCount
        var g = [Double](repeating: 0, count: joint)
        var magnitude = [Double](repeating: 0, count: joint)
        var terms = [Int](repeating: 0, count: joint)
        var right = 0.0, rightMagnitude = 0.0
        // Absolute error of each scaled gain from underflow in the payoff scaling (two payoffs).
        // With rounded payoffs, add their rounding: 4u per gain in payoff-scaled units.
        let underflow = scaling.gains.rows.map { scaling.gainAbsoluteError(player: $0.player, roundedPayoffs: roundedPayoffs) }
        var underflowTotal = 0.0
        for i in 0..<gainRows where y[i] > 0 {
            guard let upper = program.rowBounds[i].upper else { return false }
            let term = y[i] * upper
            right += term
            rightMagnitude += abs(term)
            underflowTotal += y[i] * underflow[i]
            for k in program.rowStart[i]..<program.rowStart[i + 1] where program.columnIndices[k] < joint {
                let a = program.columnIndices[k]
                let product = y[i] * program.values[k]
                g[a] += product
                magnitude[a] += abs(product)
                terms[a] += 1
            }
        }
        let rows = (0..<gainRows).filter { y[$0] > 0 }.count
        // Error of yᵀε'': the sum, and ε'' itself (the nearest double of a rational: relative u).
        let rightUpper = right + (gamma(rows + 1) + 2 * unitRoundoff) * rightMagnitude * (1 + 4 * unitRoundoff)
        var leftLower = Double.infinity
        for a in 0..<joint {
            if let upper = program.columnBounds[a].upper, upper == 0 { continue }  // outside the support
            // The sum's error, the gains' own rounding (relative u) and underflow.
            let error = (gamma(terms[a] + 1) + 2 * unitRoundoff) * magnitude[a] * (1 + 4 * unitRoundoff)
            leftLower = min(leftLower, g[a] - error - underflowTotal * (1 + 4 * unitRoundoff))
        }
        return leftLower.isFinite && rightUpper.isFinite && leftLower > rightUpper
    }
}
