import ConvexOptimization
import Foundation

/// The ε̂-MWMRE dual (docs/reference.md §3) over a set of columns (joint actions) and rows (constraints), as
/// the Newton and L-BFGS-B drivers see it. On the full problem, L is the dual loss of Theorem 1
/// (CE rows) and Theorem 2 (CCE rows) of the paper's appendix A, the loss a Neural Equilibrium
/// Solver is trained on; ``evaluate(_:)`` computes it with its gradient and Hessian.
///
/// Rows are either *soft* gain rows of a player p, whose bound ε_p is relaxed with the penalty
/// ρ D(ε_p) (finite ρ), or *hard* rows `A_i σ ≤ b_i` (ρ = ∞, or extra constraints such as the
/// welfare row of μ = ∞); a hard row may be an equality, whose multiplier is free.
///
/// L(x) = ln Σ_c exp(q(c) − Σ_i x_i A_i(c)) + Σ_p h_p(S_p) + Σ_{hard i} b_i x_i, with
/// q(c) = μ W(c) + ln σ̂(c), S_p = Σ_{soft rows of p} x_i and
/// h_p(S) = ε⁺_p S + ρ û_p expm1(−S/ρ).
struct DualProblem {
    struct Player {
        var epsilonTarget: Double   // ε̂_p
        var epsilonCap: Double      // ε⁺_p
        var rho: Double             // ρ (finite)
        var uHat: Double { epsilonCap - epsilonTarget }
    }

    /// q(c) = μ W(c) + ln σ̂(c) per column.
    var offsets: [Double]
    /// Rows in compressed sparse form over the columns.
    var rowStart: [Int]
    var rowColumns: [Int]
    var rowValues: [Double]
    /// The soft player of each row, or -1 for a hard row.
    var rowPlayer: [Int]
    /// Right-hand side of hard rows (unused for soft rows).
    var rowBound: [Double]
    /// Whether the row's multiplier is free (an equality row).
    var rowFree: [Bool]
    var players: [Player]

    // Column-major copy of the rows (CSC), for l(c) and the Hessian.
    private(set) var columnStart: [Int] = []
    private(set) var columnRows: [Int] = []
    private(set) var columnValues: [Double] = []
    /// max |A_i(c)|.
    private(set) var largestFeature = 0.0
    /// The group of each row (rows with identical column sets; ``rowGroups(rowStart:rowColumns:)``)
    /// and their number, for the structured Newton step (``BlockHessian``).
    private(set) var rowGroup: [Int] = []
    private(set) var groupCount = 0

    var rowCount: Int { rowPlayer.count }
    var columnCount: Int { offsets.count }

    mutating func buildColumns() {
        let n = columnCount
        var counts = [Int](repeating: 0, count: n + 1)
        for c in rowColumns { counts[c + 1] += 1 }
        for c in 0..<n { counts[c + 1] += counts[c] }
        columnStart = counts
        largestFeature = rowValues.reduce(0) { max($0, abs($1)) }
        (rowGroup, groupCount) = Self.rowGroups(rowStart: rowStart, rowColumns: rowColumns)
        var fill = counts
        columnRows = [Int](repeating: 0, count: rowColumns.count)
        columnValues = [Double](repeating: 0, count: rowColumns.count)
        for i in 0..<rowCount {
            for k in rowStart[i]..<rowStart[i + 1] {
                let c = rowColumns[k]
                columnRows[fill[c]] = i
                columnValues[fill[c]] = rowValues[k]
                fill[c] += 1
            }
        }
    }

    /// Everything the drivers need at one point.
    struct Evaluation {
        var value: Double
        var gradient: [Double]
        /// σ over the columns.
        var sigma: [Double]
        /// E_σ[A_i] per row.
        var expectedGains: [Double]
        /// Recovered ε_p per player (soft rows).
        var epsilon: [Double]
        /// S_p per player.
        var sums: [Double]
        /// ln Σ exp(l): the log-partition Λ.
        var logPartition: Double
    }

    /// L(x) (Theorem 1 for CE rows, Theorem 2 for CCE rows), its gradient and the data of its
    /// Hessian.
    func evaluate(_ x: [Double]) -> Evaluation {
        let n = columnCount
        // Logits as unevaluated sums hi + lo (Neumaier's compensated summation, with the products'
        // rounding errors from fused multiply-add): with large duals the logits reach thousands,
        // and their plain rounding (an ulp of 2500 is 5e-13) would cap the accuracy of σ, and so of
        // the KKT residual and the certificate, far above 1e-12.
        // The products' own rounding errors (exact through fused multiply-add, which is a library
        // call on baseline x86-64) matter only once duals are large.
        var largestDual = 0.0
        for v in x { largestDual = max(largestDual, abs(v)) }
        let productErrors = largestDual * largestFeature > 16
        var logits = offsets
        var corrections = [Double](repeating: 0, count: n)
        for c in 0..<n {
            var s = logits[c], compensation = 0.0
            for k in columnStart[c]..<columnStart[c + 1] {
                let product = -x[columnRows[k]] * columnValues[k]
                let t = s + product
                compensation += abs(s) >= abs(product) ? (s - t) + product : (product - t) + s
                if productErrors { compensation += (-x[columnRows[k]]).multipliedFullError(columnValues[k], product) }
                s = t
            }
            logits[c] = s
            corrections[c] = compensation
        }
        // Log-sum-exp, shifted by the maximum: no overflow for large μW or large duals.
        var topIndex = 0
        for c in 0..<n where logits[c] + corrections[c] > logits[topIndex] + corrections[topIndex] { topIndex = c }
        let top = logits[topIndex], topCorrection = corrections[topIndex]
        var total = 0.0
        var sigma = [Double](repeating: 0, count: n)
        for c in 0..<n {
            let e = exp((logits[c] - top) + (corrections[c] - topCorrection))
            sigma[c] = e
            total += e
        }
        let inverse = 1 / total
        for c in 0..<n { sigma[c] *= inverse }
        let logPartition = top + (topCorrection + log(total))

        // Expected gains with Neumaier's compensated summation: the gradient ε_p − E[A_i] is what
        // the KKT residual and the certificate are made of, so it is computed to full precision.
        var expected = [Double](repeating: 0, count: rowCount)
        for i in 0..<rowCount {
            var s = 0.0, compensation = 0.0
            for k in rowStart[i]..<rowStart[i + 1] {
                let term = sigma[rowColumns[k]] * rowValues[k]
                let t = s + term
                compensation += abs(s) >= abs(term) ? (s - t) + term : (term - t) + s
                s = t
            }
            expected[i] = s + compensation
        }
        var sums = [Double](repeating: 0, count: players.count)
        for i in 0..<rowCount where rowPlayer[i] >= 0 { sums[rowPlayer[i]] += x[i] }
        var value = logPartition
        var epsilon = [Double](repeating: 0, count: players.count)
        for (p, player) in players.enumerated() {
            let s = sums[p]
            if player.rho.isInfinite {
                epsilon[p] = player.epsilonTarget
                value += player.epsilonTarget * s
            } else {
                let m = expm1(-s / player.rho)
                epsilon[p] = player.epsilonTarget - player.uHat * m
                value += player.epsilonCap * s + player.rho * player.uHat * m
            }
        }
        var gradient = [Double](repeating: 0, count: rowCount)
        for i in 0..<rowCount {
            let bound = rowPlayer[i] >= 0 ? epsilon[rowPlayer[i]] : rowBound[i]
            if rowPlayer[i] < 0 { value += rowBound[i] * x[i] }
            gradient[i] = bound - expected[i]
        }
        return Evaluation(value: value, gradient: gradient, sigma: sigma, expectedGains: expected,
                          epsilon: epsilon, sums: sums, logPartition: logPartition)
    }

    /// L(x) − L(x + Δx), computed from Δx itself rather than as the difference of two rounded
    /// values of L: near the optimum L is in the thousands (large duals) while the decrease of a
    /// step is 1e-10 or less, below the rounding of L. Here
    /// Λ(x + Δx) − Λ(x) = log1p(Σ_c σ(c) expm1(Δl(c))) with Δl(c) = −Σ_i Δx_i A_i(c), and
    /// h_p(S + ΔS) − h_p(S) = ε⁺_p ΔS + ρ û_p e^{−S/ρ} expm1(−ΔS/ρ), so the error is relative to
    /// the size of the step, not of L. `nil` when the step is too long for this form (a
    /// logit moves by more than 30): there the plain difference is accurate enough.
    func decrease(at x: [Double], _ evaluation: Evaluation, to candidate: [Double]) -> Double? {
        var step = [Double](repeating: 0, count: rowCount)
        for i in 0..<rowCount { step[i] = candidate[i] - x[i] }
        var total = 0.0, compensation = 0.0
        for c in 0..<columnCount {
            var dl = 0.0
            for k in columnStart[c]..<columnStart[c + 1] { dl -= step[columnRows[k]] * columnValues[k] }
            if !(dl <= 30) { return nil }
            let term = evaluation.sigma[c] * expm1(dl)
            let t = total + term
            compensation += abs(total) >= abs(term) ? (total - t) + term : (term - t) + total
            total = t
        }
        total += compensation
        guard total > -1 else { return nil }
        var change = log1p(total)
        var sums = [Double](repeating: 0, count: players.count)
        for i in 0..<rowCount {
            if rowPlayer[i] >= 0 { sums[rowPlayer[i]] += step[i] } else { change += rowBound[i] * step[i] }
        }
        for (p, player) in players.enumerated() {
            let ds = sums[p]
            if player.rho.isInfinite {
                change += player.epsilonTarget * ds
            } else {
                change += player.epsilonCap * ds
                    + player.rho * player.uHat * exp(-evaluation.sums[p] / player.rho) * expm1(-ds / player.rho)
            }
        }
        return change.isFinite ? -change : nil
    }

    /// The Hessian restricted to `rows` (column-major, `rows.count`²): Cov_σ of the features
    /// plus (û_p/ρ) e^{−S_p/ρ} on the all-ones block of each soft player.
    func hessian(_ evaluation: Evaluation, rows: [Int]) -> [Double] {
        let f = rows.count
        var position = [Int](repeating: -1, count: rowCount)
        for (k, i) in rows.enumerated() { position[i] = k }
        var h = [Double](repeating: 0, count: f * f)
        var stored = 0
        for i in rows { stored += rowStart[i + 1] - rowStart[i] }
        if 2 * stored >= f * columnCount {
            // Dense rows (CCE: a row (p, k) touches every joint action with a_p ≠ k): B Bᵀ with
            // B = A_rows diag(√σ), one BLAS call.
            var b = [Double](repeating: 0, count: f * columnCount)
            for (a, i) in rows.enumerated() {
                for k in rowStart[i]..<rowStart[i + 1] {
                    let c = rowColumns[k]
                    b[c * f + a] = evaluation.sigma[c].squareRoot() * rowValues[k]
                }
            }
            h = DenseProducts.lowerGram(b, n: f, k: columnCount)
        }
        // Σ_c σ(c) A_i(c) A_j(c), lower triangle, using the sparsity of each column.
        var local: [(Int, Double)] = []
        for c in 0..<columnCount where 2 * stored < f * columnCount {
            let s = evaluation.sigma[c]
            if s == 0 { continue }
            local.removeAll(keepingCapacity: true)
            for k in columnStart[c]..<columnStart[c + 1] where position[columnRows[k]] >= 0 {
                local.append((position[columnRows[k]], columnValues[k]))
            }
            for a in 0..<local.count {
                let (i, vi) = local[a]
                let w = s * vi
                for b in 0...a {
                    let (j, vj) = local[b]
                    if i >= j { h[j * f + i] += w * vj } else { h[i * f + j] += w * vj }
                }
            }
        }
        for a in 0..<f {
            let ea = evaluation.expectedGains[rows[a]]
            let pa = rowPlayer[rows[a]]
            for b in a..<f {
                var v = -ea * evaluation.expectedGains[rows[b]]
                if pa >= 0 && pa == rowPlayer[rows[b]] {
                    let player = players[pa]
                    if player.rho.isFinite {
                        v += player.uHat / player.rho * exp(-evaluation.sums[pa] / player.rho)
                    }
                }
                h[a * f + b] += v
            }
        }
        // Mirror to the upper triangle (LAPACK reads the lower; keep it symmetric for clarity).
        for a in 0..<f { for b in (a + 1)..<f { h[b * f + a] = h[a * f + b] } }
        return h
    }

    /// The certified gap of docs/reference.md §3 over the soft rows, L(α) − P(σ(α), ε̃) with
    /// ε̃_p = max(ε̂_p, largest gain of p): with δ_p = ε̃_p − ε_p = max(ε̂_p − ε_p, max_i −g_i) and,
    /// since ln(u_p/û_p) = −S_p/ρ, ρ[D(ε̃) − D(ε)] = S_p δ_p + ρ[(u − δ) ln(1 − δ/u) + δ], it is
    /// Σ_i α_i (g_i + δ_p(i)) + Σ_p ρ[(u_p − δ_p) log1p(−δ_p/u_p) + δ_p], u_p = ε⁺_p − ε_p: a sum of
    /// non-negative terms, free of the cancellation between α·g and S·δ. `nil` when there is no
    /// certificate (σ(α) needs ε̃_p at or above the cap, δ_p ≥ u_p). 0 for a problem without soft rows.
    func softCertificate(_ x: [Double], _ evaluation: Evaluation) -> Double? {
        let g = evaluation.gradient
        var delta = (0..<players.count).map { players[$0].epsilonTarget - evaluation.epsilon[$0] }
        for i in 0..<rowCount where rowPlayer[i] >= 0 { delta[rowPlayer[i]] = max(delta[rowPlayer[i]], -g[i]) }
        var gap = 0.0
        for i in 0..<rowCount where rowPlayer[i] >= 0 { gap += x[i] * (g[i] + delta[rowPlayer[i]]) }
        for (p, player) in players.enumerated() where player.rho.isFinite {
            let u = player.epsilonCap - evaluation.epsilon[p]
            guard delta[p] < u else { return nil }
            gap += player.rho * ((u - delta[p]) * log1p(-delta[p] / u) + delta[p])
        }
        return gap
    }

    /// What polishing minimises: the soft certificate plus, for hard rows, Σ |α_i g_i| and their
    /// largest violation (the solver certifies hard rows against the full game, which this
    /// tracks); +∞ without a certificate.
    func gapEstimate(_ x: [Double], _ evaluation: Evaluation) -> Double {
        guard var gap = softCertificate(x, evaluation) else { return .infinity }
        var violation = 0.0
        for i in 0..<rowCount where rowPlayer[i] < 0 {
            gap += abs(x[i] * evaluation.gradient[i])
            if !rowFree[i] { violation = max(violation, -evaluation.gradient[i]) }
        }
        return gap + violation
    }

    /// KKT residual (docs/reference.md §3): max of [−g_i]⁺ and x_i·|g_i| over bounded rows, |g_i| over free rows.
    func kktResidual(_ x: [Double], _ g: [Double]) -> Double {
        var r = 0.0
        for i in 0..<rowCount {
            if rowFree[i] {
                r = max(r, abs(g[i]))
            } else {
                r = max(r, max(0, -g[i]), x[i] * abs(g[i]))
            }
        }
        return r
    }
}

/// How the Newton system is solved (``DualProblem/minimizeByNewton(from:tolerance:maximumIterations:linearSolver:)``).
enum NewtonLinearSolver: Sendable, CaseIterable {
    /// Cholesky of the dense Hessian on the free rows.
    case dense
    /// Block-Jacobi preconditioned conjugate gradients on the structured Hessian (``BlockHessian``).
    case blocks
    /// By the number of free rows and the problem's structure.
    case automatic
}

/// The Newton system of one iteration, as it is solved.
enum NewtonSystem {
    case dense([Double])
    case blocks(BlockHessian)
}

/// How a dual minimisation ended.
struct DualSolution {
    var x: [Double]
    var evaluation: DualProblem.Evaluation
    var iterations: Int
    var kktResidual: Double
    var converged: Bool
    var message: String
}

extension DualProblem {
    /// Projected Newton with an ε-active set (Bertsekas 1982): Newton steps on the free rows
    /// through a regularised Cholesky factorisation (the Hessian is often singular: duals are
    /// not unique), scaled gradient steps on the active ones, and an Armijo search along the
    /// projection arc. The Newton step respects the bound α ≥ 0 (`faceNewtonStep`), and the
    /// decrease of L is computed from the step itself (`decrease(at:_:to:)`), so that the search
    /// still sees it when it is far below the rounding of L; beyond even that, a step that lowers
    /// the KKT residual is taken.
    ///
    /// The Newton system is solved densely (Cholesky of H on the free rows) or by its structure
    /// (``BlockHessian``: block-Jacobi preconditioned conjugate gradients, matrix-free), by
    /// `linearSolver`; `.automatic` chooses by the number of free rows.
    func minimizeByNewton(from start: [Double], tolerance: Double, maximumIterations: Int = 500,
                          linearSolver: NewtonLinearSolver = .automatic) -> DualSolution {
        var x = start
        for i in 0..<rowCount where !rowFree[i] { x[i] = max(0, x[i]) }
        var current = evaluate(x)
        var residual = kktResidual(x, current.gradient)
        var iteration = 0
        var message = "converged"
        // Past the tolerance, polish (at most 30 more steps, until 3 in a row fail to improve on
        // the best point, which is what is returned). "Best" is judged by the duality gap the
        // point certifies (`gapEstimate`), which sums α_i·|g_i|-sized terms over every row where
        // the KKT residual takes their maximum: with a strict ε̂ the duals reach hundreds, so these
        // last steps are what bring the gap toward its floor of ~1e-14·Σα. Near that floor
        // neither measure is monotone from step to step.
        var polishing = 0
        var misses = 0
        var best: (x: [Double], evaluation: Evaluation, residual: Double, gap: Double)?
        var damping = 0.0
        while residual > tolerance || (polishing < 30 && residual > 1e-4 * tolerance) {
            if residual <= tolerance { polishing += 1 }
            if iteration >= maximumIterations {
                if residual > tolerance { message = "iteration limit" }
                break
            }
            iteration += 1
            let (free, active) = epsilonActiveSet(x, current.gradient)
            let system: NewtonSystem
            let floor: Double
            if usesBlocks(freeCount: free.count, linearSolver) {
                let blocks = BlockHessian(self, current, free: free)
                system = .blocks(blocks)
                floor = 1e-14 * dampingScale(diagonal: blocks.diagonal)
            } else {
                let h = hessian(current, rows: free)
                system = .dense(h)
                floor = 1e-14 * dampingScale(diagonal: (0..<free.count).map { h[$0 * free.count + $0] })
            }
            damping = max(damping, floor)
            guard let (candidate, next) = dampedStep(from: x, current, residual: residual, system: system, free: free,
                                                     active: active, damping: &damping, floor: floor) else {
                if residual > tolerance { message = "line search stalled at the precision limit" }
                break
            }
            x = candidate
            current = next
            residual = kktResidual(candidate, next.gradient)
            if residual <= tolerance {
                let gap = gapEstimate(x, current)
                if best == nil || gap < best!.gap || (gap == best!.gap && residual < best!.residual) {
                    best = (x, current, residual, gap)
                    misses = 0
                } else {
                    misses += 1
                    if misses == 3 { break }
                }
            }
        }
        if let best, residual > tolerance || best.gap <= gapEstimate(x, current) {
            (x, current, residual) = (best.x, best.evaluation, best.residual)
        }
        return DualSolution(x: x, evaluation: current, iterations: iteration, kktResidual: residual,
                            converged: residual <= tolerance, message: residual <= tolerance ? "converged" : message)
    }

    /// The ε-active set at x: rows at (or within min(10⁻³, the projected-gradient width) of) the
    /// bound whose gradient pushes them onto it are active; the others, and every free row, are free.
    private func epsilonActiveSet(_ x: [Double], _ g: [Double]) -> (free: [Int], active: [Int]) {
        var width = 0.0
        for i in 0..<rowCount {
            let projected = rowFree[i] ? x[i] - g[i] : max(0, x[i] - g[i])
            width = max(width, abs(x[i] - projected))
        }
        let activeThreshold = min(1e-3, width)
        var free: [Int] = []
        var active: [Int] = []
        for i in 0..<rowCount {
            if !rowFree[i] && x[i] <= activeThreshold && g[i] > 0 { active.append(i) } else { free.append(i) }
        }
        return (free, active)
    }

    /// The scale the damping is measured against: the largest diagonal entry of the free rows'
    /// Hessian. When σ is (nearly) a point mass the covariance vanishes; the features' own scale
    /// keeps the damping meaningful so that the steps stay finite.
    private func dampingScale(diagonal: [Double]) -> Double {
        let scale = diagonal.reduce(0) { max($0, $1) }
        return max(scale, 1e-6 * largestFeature * largestFeature, 1e-300)
    }

    /// Whether the Newton system on `freeCount` rows is solved by its structure: always for
    /// `.blocks`, never for `.dense`; for `.automatic` when there are more than
    /// ``blockThreshold`` free rows and the rows form groups (CE), so that the blocks carry
    /// more than the diagonal.
    private func usesBlocks(freeCount: Int, _ solver: NewtonLinearSolver) -> Bool {
        switch solver {
        case .dense: return false
        case .blocks: return true
        case .automatic: return freeCount > Self.blockThreshold && 2 * groupCount <= rowCount
        }
    }

    /// Free rows above which `.automatic` solves the Newton system by its structure.
    static let blockThreshold = 300

    /// One accepted step from x, or `nil` when none is found. Levenberg–Marquardt damping on the
    /// free rows (H + λI) d = −g, a scaled gradient step on the active rows, and the projection
    /// onto α ≥ 0. λ shrinks after a successful full step and grows after a failed one:
    /// near-singular Hessians (duals are not unique, and the penalty's curvature û/ρ·e^{−S/ρ} is
    /// tiny for large ρ) would otherwise give huge Newton steps that a line search can only cut
    /// to nothing.
    private func dampedStep(from x: [Double], _ current: Evaluation, residual: Double, system: NewtonSystem,
                            free: [Int], active: [Int], damping: inout Double, floor: Double)
        -> (candidate: [Double], next: Evaluation)?
    {
        let g = current.gradient
        var candidate = x
        var next = current
        var direction = [Double](repeating: 0, count: rowCount)
        for _ in 0..<40 {
            let solved: [Double]?
            switch system {
            case .dense(let h): solved = faceNewtonStep(h, free: free, x: x, g: g, damping: damping)
            case .blocks(let blocks):
                solved = faceNewtonStep(blocks, x: x, g: g, damping: damping, residual: residual)
            }
            guard let newton = solved else {
                damping *= 10
                continue
            }
            for (a, i) in free.enumerated() { direction[i] = newton[a] }
            for i in active { direction[i] = -g[i] / (1 + damping) }
            // A few halvings along this direction before refactorising with more damping:
            // evaluations are cheaper than factorisations.
            var accepted = false
            var step = 1.0
            for _ in 0..<4 {
                var predicted = 0.0
                for i in 0..<rowCount {
                    var v = x[i] + step * direction[i]
                    if !rowFree[i] && v < 0 { v = 0 }
                    candidate[i] = v
                    predicted += g[i] * (v - x[i])
                }
                next = evaluate(candidate)
                if next.value.isFinite && predicted < 0 {
                    let decrease = self.decrease(at: x, current, to: candidate) ?? (current.value - next.value)
                    if decrease >= -1e-4 * predicted {
                        accepted = true
                    } else if abs(predicted) <= 1e-12 * (1 + abs(current.value)) {
                        // At the precision limit the change in L is round-off: judge by KKT.
                        if kktResidual(candidate, next.gradient) < residual { accepted = true }
                    }
                }
                if accepted { break }
                step *= 0.5
            }
            if accepted {
                // A full step lowers the damping; a shortened one raises it for the next time.
                damping = step == 1 ? max(damping / 100, floor) : damping * 10
                return (candidate, next)
            }
            damping *= 100
        }
        return nil
    }

    /// The damped Newton step on the free rows, (H + λI) d = −g, made consistent with the bound
    /// α ≥ 0: a free row that the step would carry below zero is fixed at d_i = −α_i (it lands on
    /// the bound) and the others are solved again with that move accounted for,
    /// (H_KK + λI) d_K = −g_K − H_KB d_B, until no row crosses. Clipping the plain step instead
    /// breaks the balance among nearly dependent rows (duals are not unique): near the optimum a
    /// row at 5e-4 asked to move by −0.018 and clipped to −5e-4 turned a predicted decrease of
    /// 1e-13 into an increase of 1e-6, and Newton stalled. `nil` if the factorisation fails.
    private func faceNewtonStep(_ h: [Double], free: [Int], x: [Double], g: [Double], damping: Double) -> [Double]? {
        let f = free.count
        var bound = [Bool](repeating: false, count: f)
        var d = [Double](repeating: 0, count: f)
        for _ in 0..<8 {
            let keep = (0..<f).filter { !bound[$0] }
            let k = keep.count
            var factor = [Double](repeating: 0, count: k * k)
            var rhs = [Double](repeating: 0, count: k)
            for (a, ia) in keep.enumerated() {
                for (b, ib) in keep.enumerated() { factor[a * k + b] = h[ia * f + ib] }
                factor[a * k + a] += damping
                var r = -g[free[ia]]
                for j in 0..<f where bound[j] { r -= h[j * f + ia] * d[j] }
                rhs[a] = r
            }
            if k > 0 {
                guard Cholesky.factorize(&factor, n: k) else { return nil }
                guard Cholesky.solve(factor: factor, n: k, &rhs), rhs.allSatisfy({ $0.isFinite }) else { return nil }
            }
            for (a, ia) in keep.enumerated() { d[ia] = rhs[a] }
            var crossed = false
            for a in keep where !rowFree[free[a]] && x[free[a]] + d[a] < 0 {
                bound[a] = true
                d[a] = -x[free[a]]
                crossed = true
            }
            if !crossed { break }
        }
        return d
    }

    /// ``faceNewtonStep(_:free:x:g:damping:)`` with the system solved by its structure: the same
    /// face iteration (a row that would cross zero lands on it and the others are solved again
    /// with that move accounted for), each solve by preconditioned conjugate gradients to the
    /// relative residual η = min(10⁻², √KKT), floored at 10⁻¹²: an inexact Newton step whose
    /// accuracy grows as the KKT residual falls (the step's error is what the next gradient is
    /// left with). Rounds whose rows may still cross stop after ``quickIterations``: far from the
    /// optimum the first round on thousands of free rows sends most of them to the bound, and an
    /// accurate solve there is wasted; only the face that survives is solved to η (at most
    /// ``refinedIterations``, warm-started). `nil` if the solve breaks down.
    private func faceNewtonStep(_ system: BlockHessian, x: [Double], g: [Double], damping: Double,
                                residual: Double) -> [Double]? {
        let free = system.free
        let f = free.count
        var bound = [Bool](repeating: false, count: f)
        var d = [Double](repeating: 0, count: f)
        let forcing = max(1e-12, min(1e-2, residual.squareRoot()))
        var refined = false
        var rounds = 0
        while rounds < 8 {
            let kept = bound.map { !$0 }
            var rhs = [Double](repeating: 0, count: f)
            var coupling = [Double](repeating: 0, count: f)
            if bound.contains(true) {
                var moved = [Double](repeating: 0, count: f)
                for a in 0..<f where bound[a] { moved[a] = d[a] }
                coupling = system.product(moved, outputs: kept)
            }
            for a in 0..<f where kept[a] { rhs[a] = -g[free[a]] - coupling[a] }
            let limit = min(f, refined ? Self.refinedIterations : Self.quickIterations)
            guard let (solution, solved) = Self.conjugateGradients(
                system, kept: kept, damping: damping, rhs: rhs, start: rounds > 0 ? d : nil,
                relativeTolerance: forcing, maximumIterations: limit), solution.allSatisfy({ $0.isFinite })
            else { return nil }
            for a in 0..<f where kept[a] { d[a] = solution[a] }
            var crossed = false
            for a in 0..<f where kept[a] && !rowFree[free[a]] && x[free[a]] + d[a] < 0 {
                bound[a] = true
                d[a] = -x[free[a]]
                crossed = true
            }
            rounds += 1
            if !crossed {
                // This face survives: solve it to η, unless that is done already.
                if refined || solved { break }
                refined = true
            }
        }
        return d
    }

    /// Conjugate-gradient iterations of a face round that may still lose rows to the bound, and
    /// of the round that solves the surviving face to the forcing tolerance.
    static let quickIterations = 20
    static let refinedIterations = 250

    /// L-BFGS-B (the Fortran code scipy uses) on the same dual.
    func minimizeByLBFGSB(from start: [Double], tolerance: Double, maximumIterations: Int = 20_000) -> DualSolution {
        var solver = LBFGSB()
        solver.projectedGradientTolerance = tolerance * 0.1
        solver.factr = 0
        solver.maximumIterations = maximumIterations
        solver.memory = 20
        let lower: [Double?] = rowFree.map { $0 ? nil : 0 }
        let upper = [Double?](repeating: nil, count: rowCount)
        let result = solver.minimize(from: start, lower: lower, upper: upper) { x, gradient in
            let e = evaluate(x)
            gradient = e.gradient
            return e.value
        }
        let evaluation = evaluate(result.x)
        let residual = kktResidual(result.x, evaluation.gradient)
        return DualSolution(x: result.x, evaluation: evaluation, iterations: result.iterations, kktResidual: residual,
                            converged: residual <= tolerance, message: result.termination.explanation)
    }
}

extension Double {
    /// The rounding error of the product a·b given its rounded value p: a·b − p exactly (FMA).
    @inline(__always)
    func multipliedFullError(_ other: Double, _ product: Double) -> Double {
        (-product).addingProduct(self, other)
    }
}
