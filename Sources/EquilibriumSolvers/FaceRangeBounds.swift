import LinearProgramming
import NormalFormGames

/// The relaxed face R(z) = {the program's constraints, c''·x ≥ z} (≤ z when minimising) that
/// bounds the optimal face: with z⁻ ≤ z* ≤ z⁺ the certified optimum, R(z⁻) (R(z⁺)) contains
/// the exact optimal face. As a maximisation with no objective of its own, the objective row
/// last, its data radii, and the box 0 ≤ σ ≤ 1 (0 outside the support) every point satisfies.
struct RelaxedFace {
    var program: LinearProgram<Double>
    var radii: LPDataRadii
    var box: [(lower: Double, upper: Double)]

    init(_ program: LinearProgram<Double>, radii: LPDataRadii, side: Double, joint: Int) {
        var relaxed = program
        relaxed.direction = .maximize
        relaxed.objective = Array(repeating: 0, count: program.columnCount)
        var values = radii.values ?? Array(repeating: 0, count: program.values.count)
        for (j, c) in program.objective.enumerated() where c != 0 {
            relaxed.columnIndices.append(j)
            relaxed.values.append(c)
            values.append(radii.objective?[j] ?? 0)
        }
        relaxed.rowStart.append(relaxed.columnIndices.count)
        relaxed.rowBounds.append(program.direction == .maximize ? .atLeast(side) : .atMost(side))
        self.program = relaxed
        self.radii = LPDataRadii(values: values, objective: nil,
                                 rowBounds: (radii.rowBounds ?? Array(repeating: 0, count: program.rowCount)) + [0])
        box = (0..<program.columnCount).map { j -> (lower: Double, upper: Double) in
            j < joint ? (0, program.columnBounds[j].upper == 0 ? 0 : 1) : (-.infinity, .infinity)
        }
    }
}

/// Rigorous bounds on the ranges of the double-precision optimal-face analysis, from the
/// multipliers of the analysis's own LPs, so that certifying a range costs a few passes over
/// the program instead of two LPs of its own.
///
/// The analysis maximises g·x (g = ±e_a) over the face program F: the program with the rows and
/// columns that the optimal multipliers y* (reduced costs d*, both for the maximisation of
/// s·c'', s = ±1) push to a bound fixed there. Its multipliers y_F are not valid for R: a row
/// fixed in F may carry the wrong sign, and a column fixed at 0 a positive residual. Adding
/// t·(y*, −s) — y* on the rows, −s on the objective row of R — repairs both, since the fixed
/// rows and columns are exactly those where y* and d* < 0 are non-zero:
/// g·x ≤ (y_F + t y*)ᵀb − s·t·z + Σ_j max over the box of (r_F + t d*)_j x_j, and the t-terms
/// cost t·|z* − z|, tiny for a tight enclosure. Each bound is evaluated for a few t from
/// ``LinearProgram/rigorousUpperBound(objective:rowDuals:radii:box:)`` with the objective row
/// at 0, so that z, known only once the optimum is certified, enters last: bound(z) =
/// base + multiplier·z, rounded up. Any multipliers give a true bound; poor ones a loose one,
/// which the caller replaces by an LP of its own.
final class FaceRangeBounds: @unchecked Sendable {
    /// One bound on max g·x over R(z): base + multiplier·z, rounded up.
    struct Candidate: Sendable {
        var base: Double
        var multiplier: Double
    }

    private let relaxed: RelaxedFace
    private let duals: [Double]
    private let reducedCosts: [Double]
    private let sense: Double
    private let joint: Int
    /// Candidates for max σ_a and for max −σ_a, per joint action.
    private(set) var upper: [[Candidate]]
    private(set) var lower: [[Candidate]]

    /// - Parameters:
    ///   - solution: GLPK's optimum of `program`, whose multipliers define the face.
    init(program: LinearProgram<Double>, radii: LPDataRadii, solution: LPSolution<Double>, joint: Int) {
        relaxed = RelaxedFace(program, radii: radii, side: 0, joint: joint)
        let s: Double = program.direction == .maximize ? 1 : -1
        sense = s
        duals = solution.rowDuals.map { s * $0 }
        reducedCosts = solution.reducedCosts.map { s * $0 }
        self.joint = joint
        upper = Array(repeating: [], count: joint)
        lower = Array(repeating: [], count: joint)
    }

    /// Records the bounds that one LP over the face gives, when it maximised or minimised one σ_a.
    func record(objective: [Double], maximize: Bool, rowDuals: [Double]) {
        var column: Int?
        for (j, c) in objective.enumerated() where c != 0 {
            guard column == nil, c == 1, j < joint else { return }
            column = j
        }
        let program = relaxed.program
        guard let a = column, rowDuals.count + 1 == program.rowCount else { return }
        let g = maximize ? 1.0 : -1.0
        let y = maximize ? rowDuals : rowDuals.map { -$0 }
        let rows = rowDuals.count
        // r_F = g − Aᵀy_F, approximately: only to choose t.
        var residual = [Double](repeating: 0, count: program.columnCount)
        residual[a] = g
        for i in 0..<rows where y[i] != 0 {
            for k in program.rowStart[i]..<program.rowStart[i + 1] {
                residual[program.columnIndices[k]] -= y[i] * program.values[k]
            }
        }
        var t = 0.0
        for j in 0..<program.columnCount where residual[j] > 0 && reducedCosts[j] < 0 {
            t = max(t, residual[j] / -reducedCosts[j])
        }
        for i in 0..<rows {
            let b = program.rowBounds[i], m = y[i]
            let unusable = (m > 0 && b.upper == nil) || (m < 0 && b.lower == nil)
            if unusable, duals[i] != 0, (duals[i] > 0) != (m > 0) { t = max(t, abs(m) / abs(duals[i])) }
        }
        guard t.isFinite else { return }
        var candidates: [Candidate] = []
        for factor in t > 0 ? [0, 1.01, 4] : [0.0] {
            let tk = factor * t
            var m = [Double](repeating: 0, count: program.rowCount)
            for i in 0..<rows { m[i] = y[i] + tk * duals[i] }
            m[rows] = -sense * tk
            guard let base = program.rigorousUpperBound(objective: [(a, g)], rowDuals: m, radii: relaxed.radii,
                                                         box: relaxed.box) else { continue }
            candidates.append(Candidate(base: base, multiplier: -sense * tk))
        }
        if maximize { upper[a] += candidates } else { lower[a] += candidates }
    }

    /// Records the bound on σ_a for a joint action the face program fixes at 0 (d*_a < 0), which
    /// the analysis solves no LP for: from y* alone (y_F = 0).
    func recordFixedAtZero(_ a: Int) {
        var unit = [Double](repeating: 0, count: relaxed.program.columnCount)
        unit[a] = 1
        record(objective: unit, maximize: true, rowDuals: Array(repeating: 0, count: relaxed.program.rowCount - 1))
    }

    /// The tightest bound of `candidates` with the objective row at `side`: on max σ_a
    /// (`upper`) or on max −σ_a (`lower`, so −it bounds σ_a from below); `nil` when none holds.
    static func bound(_ candidates: [Candidate], side: Double) -> Double? {
        candidates.compactMap { c -> Double? in
            let term = c.multiplier == 0 ? 0 : (c.multiplier * side).nextUp.nextUp
            let b = (c.base + term).nextUp
            return b.isFinite ? b : nil
        }.min()
    }
}
