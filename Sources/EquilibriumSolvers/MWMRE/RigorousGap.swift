import Foundation
import LinearProgramming
import NormalFormGames

/// A rigorous upper bound on KL(σ(α)‖σ*) for a soft problem (finite ρ, μ), in floating point.
///
/// ``DualProblem/softCertificate(_:_:)`` is the gap L(α) − P(σ(α), ε̃) with ln Z cancelled:
/// Σ_i α_i (g_i + δ_p(i)) + Σ_p ρ f(δ_p, u_p), f(δ, u) = (u − δ) ln(1 − δ/u) + δ, where σ(α) is
/// the softmax of the logits q − Aᵀα, u_p = û_p e^{−S_p/ρ}, ε_p = ε⁺_p − u_p, g_i = ε_p − (Aσ)_i and
/// δ_p = max(ε̂_p − ε_p, max_i −g_i). Every σ is feasible for the soft problem (with ε̃ = ε + δ
/// below the cap), so the gap bounds P − P* ≥ KL(σ(α)‖σ*) by the three-point property of KL.
///
/// Here each of those quantities is enclosed in an interval for the exact data: the problem's
/// doubles may stand for exact numbers within `rowRadius` (per matrix entry) and `offsetRadius`
/// (per column). Every operation rounds to nearest and is then moved one ulp outward; `exp`,
/// `log` and `log1p` are assumed accurate to 2 ulps (glibc documents under 1), plus 2⁻¹⁰⁷³
/// absolutely where a result may be subnormal. The bound holds for the duals `x` as given: σ(α)
/// is the exact primal point of those duals, and `sigmaLower`/`sigmaUpper` enclose it.
///
/// Written here because no interval library for Swift is packaged: the handful of outward
/// operations needed are one line each.
struct RigorousSoftGap {
    var bound: Double
    var sigmaLower: [Double]
    var sigmaUpper: [Double]
}

private typealias Interval = (lo: Double, hi: Double)

/// 2 ulps of relative error, rounded up (the assumed accuracy of libm's exp, log and log1p).
private let libmRelative = 0x1p-51
private let tiny = 0x1p-1073

@inline(__always) private func up(_ x: Double) -> Double { x.nextUp }
@inline(__always) private func down(_ x: Double) -> Double { x.nextDown }

@inline(__always) private func product(_ a: Interval, _ b: Interval) -> Interval {
    let p0 = a.lo * b.lo, p1 = a.lo * b.hi, p2 = a.hi * b.lo, p3 = a.hi * b.hi
    return (down(min(min(p0, p1), min(p2, p3))), up(max(max(p0, p1), max(p2, p3))))
}

/// exp over an interval (monotone), with libm's error and underflow.
@inline(__always) private func expInterval(_ t: Interval) -> Interval {
    let lo = exp(t.lo), hi = exp(t.hi)
    return (max(0, down(lo - lo * libmRelative - tiny)), up(hi + hi * libmRelative + tiny))
}

/// log over an interval of positive numbers (monotone).
@inline(__always) private func logInterval(_ t: Interval) -> Interval {
    let lo = log(t.lo), hi = log(t.hi)
    return (down(lo - abs(lo) * libmRelative - tiny), up(hi + abs(hi) * libmRelative + tiny))
}

@inline(__always) private func sum(_ a: Interval, _ b: Interval) -> Interval { (down(a.lo + b.lo), up(a.hi + b.hi)) }

/// log1p over an interval (monotone on (−1, ∞)).
@inline(__always) private func log1pInterval(_ t: Interval) -> Interval {
    let lo = log1p(t.lo), hi = log1p(t.hi)
    return (down(lo - abs(lo) * libmRelative - tiny), up(hi + abs(hi) * libmRelative + tiny))
}

extension DualProblem {
    /// The rigorous gap at duals `x` (``RigorousSoftGap``), or why there is none: hard rows, a
    /// negative multiplier, or an enclosure of δ_p that reaches the cap's distance u_p.
    func rigorousSoftGap(_ x: [Double], rowRadius: [Double], offsetRadius: [Double])
        -> Result<RigorousSoftGap, RigorousGapRefusal>
    {
        guard rowPlayer.allSatisfy({ $0 >= 0 }), players.allSatisfy({ $0.rho.isFinite && $0.rho > 0 }) else {
            return .failure(.init("the problem has hard constraints (ρ or μ infinite)"))
        }
        guard x.count == rowCount, x.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            return .failure(.init("the multipliers are not finite and non-negative"))
        }
        let sigmaLower: [Double], sigmaUpper: [Double]
        switch enclosedPrimal(x, rowRadius: rowRadius, offsetRadius: offsetRadius) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let p): (sigmaLower, sigmaUpper) = (p.sigmaLower, p.sigmaUpper)
        }
        // Per player: S_p, u_p = û_p e^{−S_p/ρ}, ε_p = ε⁺_p − u_p.
        var sums = [Interval](repeating: (0, 0), count: players.count)
        for i in 0..<rowCount { sums[rowPlayer[i]] = (down(sums[rowPlayer[i]].lo + x[i]), up(sums[rowPlayer[i]].hi + x[i])) }
        var u = [Interval](), epsilon = [Interval](), delta = [Interval]()
        for (p, player) in players.enumerated() {
            let uHat: Interval = (down(player.epsilonCap - player.epsilonTarget), up(player.epsilonCap - player.epsilonTarget))
            let decay = expInterval((down(-sums[p].hi / player.rho), up(-sums[p].lo / player.rho)))
            let up_ = product(uHat, decay)
            u.append(up_)
            let eps: Interval = (down(player.epsilonCap - up_.hi), up(player.epsilonCap - up_.lo))
            epsilon.append(eps)
            delta.append((down(player.epsilonTarget - eps.hi), up(player.epsilonTarget - eps.lo)))
        }
        // g_i = ε_p − (Aσ)_i, and δ_p = max(ε̂_p − ε_p, max_i −g_i).
        var gains = [Interval](repeating: (0, 0), count: rowCount)
        for i in 0..<rowCount {
            var s: Interval = (0, 0)
            for k in rowStart[i]..<rowStart[i + 1] {
                let c = rowColumns[k]
                s = sum(s, product(entry(k, rowRadius), (sigmaLower[c], sigmaUpper[c])))
            }
            let p = rowPlayer[i]
            gains[i] = (down(epsilon[p].lo - s.hi), up(epsilon[p].hi - s.lo))
            delta[p] = (max(delta[p].lo, -gains[i].hi), max(delta[p].hi, -gains[i].lo))
        }
        // Σ_i α_i (g_i + δ_p): each term is ≥ 0 exactly, so its upper end bounds it.
        var bound = 0.0
        for i in 0..<rowCount where x[i] != 0 {
            bound = up(bound + up(x[i] * max(0, up(gains[i].hi + delta[rowPlayer[i]].hi))))
        }
        // ρ f(δ_p, u_p): f is decreasing in u and convex in δ with f(0) = 0, so its largest value
        // over the enclosures is at u_p's lower end and one of δ_p's ends.
        for (p, player) in players.enumerated() {
            let uLow = u[p].lo
            guard delta[p].hi < uLow else {
                return .failure(.init("player \(p + 1)'s σ(α) needs ε at or above the cap ε⁺"))
            }
            var largest = 0.0
            for d in [delta[p].lo, delta[p].hi] {
                let a: Interval = (down(uLow - d), up(uLow - d))
                let ratio = product((-d, -d), (down(1 / uLow), up(1 / uLow)))
                guard ratio.lo > -1 else {
                    return .failure(.init("player \(p + 1)'s σ(α) needs ε within rounding of the cap ε⁺"))
                }
                let l = log1pInterval(ratio)
                let f = up(product(a, l).hi + d)
                largest = max(largest, f)
            }
            bound = up(bound + up(player.rho * largest))
        }
        guard bound.isFinite else { return .failure(.init("the bound overflows")) }
        return .success(RigorousSoftGap(bound: bound, sigmaLower: sigmaLower, sigmaUpper: sigmaUpper))
    }
}

extension DualProblem {
    /// Enclosures of the logits q − Aᵀα over the data's radii, of σ(α), and of ln Z(α).
    private func enclosedPrimal(_ x: [Double], rowRadius: [Double], offsetRadius: [Double])
        -> Result<(sigmaLower: [Double], sigmaUpper: [Double], logPartition: Interval), RigorousGapRefusal>
    {
        let n = columnCount
        var logits = (0..<n).map { offset($0, offsetRadius) }
        for i in 0..<rowCount where x[i] != 0 {
            for k in rowStart[i]..<rowStart[i + 1] {
                let c = rowColumns[k]
                logits[c] = sum(logits[c], product((-x[i], -x[i]), entry(k, rowRadius)))
            }
        }
        guard logits.allSatisfy({ $0.lo.isFinite && $0.hi.isFinite }) else { return .failure(.init("the logits overflow")) }
        let m = logits.map(\.hi).max() ?? 0
        var e = [Interval](repeating: (0, 0), count: n)
        var total: Interval = (0, 0)
        for c in 0..<n {
            e[c] = expInterval((down(logits[c].lo - m), up(logits[c].hi - m)))
            total = sum(total, e[c])
        }
        guard total.lo > 0, total.hi.isFinite else { return .failure(.init("the partition function is not enclosed")) }
        let logTotal = logInterval(total)
        return .success((e.map { down($0.lo / total.hi) }, e.map { min(1, up($0.hi / total.lo)) },
                         (down(m + logTotal.lo), up(m + logTotal.hi))))
    }

    /// Offset c (ln σ̂ + μW) as an interval over its radius.
    private func offset(_ c: Int, _ offsetRadius: [Double]) -> Interval {
        (down(offsets[c] - offsetRadius[c]), up(offsets[c] + offsetRadius[c]))
    }

    /// Matrix entry k as an interval over its radius.
    private func entry(_ k: Int, _ rowRadius: [Double]) -> Interval {
        (down(rowValues[k] - rowRadius[k]), up(rowValues[k] + rowRadius[k]))
    }

    /// f(σ) = Σ σ ln σ − q·σ from above, over enclosures of σ in [0, 1] (x ln x is convex, so its
    /// largest value on an interval is at an end) and of the offsets q within their radii.
    private func objectiveUpperBound(_ sigma: [Interval], offsetRadius: [Double]) -> Double {
        func xLogX(_ v: Double) -> Double { v > 0 ? up(v * logInterval((v, v)).hi) : 0 }
        var f = 0.0
        for (c, s) in sigma.enumerated() where s.hi > 0 {
            let q = offset(c, offsetRadius)
            f = up(f + up(max(xLogX(s.lo), xLogX(s.hi)) + product((-q.hi, -q.lo), s).hi))
        }
        return f
    }

    /// D(α) = −ln Z(α) − α·b from below (weak duality: at most f* for any α that is ≥ 0 on the
    /// inequality rows).
    private func dualLowerBound(_ x: [Double], logPartition: Interval) -> Double {
        var alphaDotB: Interval = (0, 0)
        for i in 0..<rowCount where x[i] != 0 { alphaDotB = sum(alphaDotB, product((x[i], x[i]), (rowBound[i], rowBound[i]))) }
        return down(-logPartition.hi - alphaDotB.hi)
    }

    /// A rigorous upper bound on KL(σ(α)‖σ*) for a hard problem (every row A_i σ ≤ b_i a hard
    /// inequality, no equalities) after a proven facial reduction, in floating point.
    ///
    /// With f(σ) = Σ σ ln σ − q·σ on the simplex and σ' = σ(α) for duals α ≥ 0:
    /// KL(σ'‖σ*) = f(σ') − f(σ*) + α*·(Aσ' − b) by the three-point identity and the KKT
    /// conditions at σ* (σ* > 0 on the face, α* ≥ 0 complementary). Weak duality gives
    /// f(σ*) ≥ D(α) = −ln Z(α) − α·b, and f(σ') − D(α) = Σ_i α_i (b_i − A_iσ'). The violation
    /// term is bounded with a strictly feasible point σ° = y/Σy (`interior`, from the facial
    /// reduction): f* ≤ f(σ°) − Σ α*_i s_i with s_i = b_i − A_iσ° > 0, so
    /// Σ α*_i (A_iσ' − b_i)⁺ ≤ K (f(σ°) − D(α)), K = max_i (A_iσ' − b_i)⁺ / s_i. The bound is
    /// Σ_i α_i (b_i − A_iσ') + K (f(σ°) − D(α)), every quantity enclosed as in
    /// ``rigorousSoftGap(_:rowRadius:offsetRadius:)``.
    func rigorousHardGap(_ x: [Double], rowRadius: [Double], offsetRadius: [Double], interior: [Double])
        -> Result<RigorousSoftGap, RigorousGapRefusal>
    {
        guard !rowFree.contains(true) else {
            return .failure(.init("rows that every feasible σ makes tight (equalities) leave no strictly feasible point"))
        }
        guard x.count == rowCount, x.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            return .failure(.init("the multipliers are not finite and non-negative"))
        }
        guard interior.count == columnCount else { return .failure(.init("no interior point of the face")) }
        let primal: (sigmaLower: [Double], sigmaUpper: [Double], logPartition: Interval)
        switch enclosedPrimal(x, rowRadius: rowRadius, offsetRadius: offsetRadius) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let p): primal = p
        }
        let y = interior.map { $0 > 0 && $0.isFinite ? $0 : 0 }
        var mass: Interval = (0, 0)
        for v in y { mass = sum(mass, (v, v)) }
        guard mass.lo > 0, mass.hi.isFinite else { return .failure(.init("the interior point is empty")) }
        // Per row: A_iσ' − b_i (violation) and b_i − A_iσ° (slack); the gap term α_i (b_i − A_iσ').
        var gap = 0.0, ratio = 0.0
        for i in 0..<rowCount {
            var primalRow: Interval = (0, 0), interiorRow: Interval = (0, 0)
            for k in rowStart[i]..<rowStart[i + 1] {
                let c = rowColumns[k]
                let a = entry(k, rowRadius)
                primalRow = sum(primalRow, product(a, (primal.sigmaLower[c], primal.sigmaUpper[c])))
                if y[c] > 0 { interiorRow = sum(interiorRow, product(a, (y[c], y[c]))) }
            }
            let b = rowBound[i]
            let slackLow = down(b - max(up(interiorRow.hi / mass.lo), up(interiorRow.hi / mass.hi)))
            guard slackLow > 0 else {
                return .failure(.init("the facial reduction's interior point is not proven strictly feasible"))
            }
            let violationHigh = up(primalRow.hi - b)
            if violationHigh > 0 { ratio = max(ratio, up(violationHigh / slackLow)) }
            if x[i] != 0 { gap = up(gap + up(x[i] * up(b - primalRow.lo))) }
        }
        if ratio > 0 {
            let interiorPoint = y.map { v -> Interval in v > 0 ? (down(v / mass.hi), min(1, up(v / mass.lo))) : (0, 0) }
            let f = objectiveUpperBound(interiorPoint, offsetRadius: offsetRadius)
            let dual = dualLowerBound(x, logPartition: primal.logPartition)
            gap = up(gap + up(ratio * max(0, up(f - dual))))
        }
        guard gap.isFinite else { return .failure(.init("the bound overflows")) }
        return .success(RigorousSoftGap(bound: max(0, gap), sigmaLower: primal.sigmaLower, sigmaUpper: primal.sigmaUpper))
    }
}

extension DualProblem {
    /// A rigorous upper bound on KL(σ_f‖σ*) for a hard problem whose proven facial reduction
    /// left rows as equalities (``rowFree``), where σ_f is an exactly feasible point near σ(α).
    ///
    /// α*'s equality components are free and no interior point bounds them, so σ(α)'s own
    /// divergence is not bounded here; instead a feasible point is built and bounded:
    /// 1. σ_1: the reported σ (doubles, exact rationals) corrected on a few columns P so that
    ///    the equality rows and Σσ = 1 hold exactly (a square system in rationals, P chosen by
    ///    elimination in doubles with complete pivoting weighted by σ; every equality row,
    ///    dependent ones included, is then checked exactly).
    /// 2. σ°_1: the facial reduction's interior point y/Σy corrected the same way, checked
    ///    strictly inside every inequality row and positive, with every rounding bounded.
    /// 3. σ_f = (1 − t) σ_1 + t σ°_1 with t the least double that makes every inequality row and
    ///    every σ_f(c) ≥ 0 hold, from rigorous bounds on σ_1's violations and σ°_1's slacks.
    /// Weak duality (any α with α ≥ 0 on the inequality rows) then gives
    /// KL(σ_f‖σ*) ≤ f(σ_f) − f(σ*) ≤ f(σ_f) − D(α), D(α) = −ln Z(α) − α·b, both ends enclosed.
    /// `sigmaLower`/`sigmaUpper` of the result enclose σ_f.
    func rigorousEqualityGap(_ x: [Double], rowRadius: [Double], offsetRadius: [Double], interior: [Double],
                             reported: [Double], exactValues: [Rational]) -> Result<RigorousSoftGap, RigorousGapRefusal>
    {
        let n = columnCount
        guard x.count == rowCount, reported.count == n, interior.count == n, exactValues.count == rowValues.count,
              (0..<rowCount).allSatisfy({ rowFree[$0] || x[$0] >= 0 }), x.allSatisfy({ $0.isFinite }) else {
            return .failure(.init("the multipliers are not finite, or negative on an inequality row"))
        }
        let equalities = (0..<rowCount).filter { rowFree[$0] }
        let primal: (sigmaLower: [Double], sigmaUpper: [Double], logPartition: Interval)
        switch enclosedPrimal(x, rowRadius: rowRadius, offsetRadius: offsetRadius) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let p): primal = p
        }
        // 1–2. The exact corrections.
        let point = reported.map { max(0, $0) }
        let y = interior.map { $0 > 0 && $0.isFinite ? $0 : 0 }
        var mass = Rational.zero
        for v in y where v > 0 { mass += Rational(v) }
        guard mass.signum > 0 else { return .failure(.init("the interior point is empty")) }
        guard let pivots = correctionPivots(equalities, weights: point) else {
            return .failure(.init("the equality rows are singular on the face in doubles"))
        }
        let inverseMass = Rational.one / mass
        guard let sigma1 = exactCorrection(equalities, pivots: pivots, values: point.map { Rational($0) },
                                           exactValues: exactValues),
              let interior1 = exactCorrection(equalities, pivots: pivots,
                                              values: y.map { Rational($0) * inverseMass }, exactValues: exactValues)
        else { return .failure(.init("the exact correction onto the equality rows failed")) }
        func enclose(_ v: Rational) -> Interval { let d = v.doubleValue; return (d.nextDown, d.nextUp) }
        let s1 = sigma1.map(enclose), o1 = interior1.map(enclose)
        // 3. t from σ_1's violations and σ°_1's slacks on the inequality rows, and signs.
        var t = 0.0
        for i in 0..<rowCount where !rowFree[i] {
            var a1: Interval = (0, 0), ao: Interval = (0, 0)
            for k in rowStart[i]..<rowStart[i + 1] {
                let c = rowColumns[k]
                let a = entry(k, rowRadius)
                a1 = sum(a1, product(a, s1[c]))
                ao = sum(ao, product(a, o1[c]))
            }
            let b = rowBound[i]
            let slack = down(b - ao.hi)
            guard slack > 0 else {
                return .failure(.init("the facial reduction's interior point is not proven strictly feasible"))
            }
            let violation = up(a1.hi - b)
            if violation > 0 { t = max(t, up(violation / down(violation + slack))) }
        }
        for c in 0..<n where s1[c].lo < 0 {
            guard o1[c].lo > 0 else { return .failure(.init("the interior point is not proven positive")) }
            t = max(t, up(-s1[c].lo / down(o1[c].lo - s1[c].lo)))
        }
        t = min(t, 1)
        let keep: Interval = (down(1 - t), up(1 - t))
        // σ_f ≥ 0 and Σσ_f = 1 by construction, so its enclosure is clipped to [0, 1].
        let feasible = (0..<n).map { c -> Interval in
            let v = sum(product(keep, s1[c]), product((t, t), o1[c]))
            return (max(0, v.lo), min(1, v.hi))
        }
        let f = objectiveUpperBound(feasible, offsetRadius: offsetRadius)
        let bound = max(0, up(f - dualLowerBound(x, logPartition: primal.logPartition)))
        guard bound.isFinite else { return .failure(.init("the bound overflows")) }
        return .success(RigorousSoftGap(bound: bound, sigmaLower: feasible.map(\.lo), sigmaUpper: feasible.map(\.hi)))
    }

    /// The pivots (row of `equalities` or the sum row `equalities.count`, column) of Gaussian
    /// elimination in doubles with complete pivoting on [A_E; 1ᵀ] · diag(weights): a set of
    /// independent rows and the columns to correct on, preferring columns where σ is large.
    /// Rows whose remaining entries fall below 1e-12 of the largest are taken as dependent (the
    /// exact check afterwards decides). `nil` when the sum row itself is lost.
    private func correctionPivots(_ equalities: [Int], weights: [Double]) -> [(row: Int, column: Int)]? {
        let n = columnCount, r = equalities.count + 1
        var m = [[Double]](repeating: [Double](repeating: 0, count: n), count: r)
        for (j, i) in equalities.enumerated() {
            for k in rowStart[i]..<rowStart[i + 1] { m[j][rowColumns[k]] = rowValues[k] * max(weights[rowColumns[k]], 1e-300) }
        }
        for c in 0..<n { m[r - 1][c] = max(weights[c], 1e-300) }
        let scale = m.joined().reduce(0) { max($0, abs($1)) }
        guard scale > 0 else { return nil }
        var usedRow = [Bool](repeating: false, count: r), usedColumn = [Bool](repeating: false, count: n)
        var pivots: [(row: Int, column: Int)] = []
        while true {
            var best = 0.0, bi = -1, bc = -1
            for j in 0..<r where !usedRow[j] {
                for c in 0..<n where !usedColumn[c] && abs(m[j][c]) > best { best = abs(m[j][c]); bi = j; bc = c }
            }
            guard bi >= 0, best > 1e-12 * scale else { break }
            usedRow[bi] = true
            usedColumn[bc] = true
            pivots.append((bi, bc))
            for j in 0..<r where !usedRow[j] && m[j][bc] != 0 {
                let factor = m[j][bc] / m[bi][bc]
                for c in 0..<n where m[bi][c] != 0 { m[j][c] -= factor * m[bi][c] }
                m[j][bc] = 0
            }
        }
        return usedRow[r - 1] ? pivots : nil
    }

    /// The point equal to `values` off the pivot columns and solving the pivot rows of
    /// [A_E; 1ᵀ] σ = [b_E; 1] exactly on them; `nil` unless every equality row and Σσ = 1 then
    /// hold exactly (dependent rows included).
    private func exactCorrection(_ equalities: [Int], pivots: [(row: Int, column: Int)], values: [Rational],
                                 exactValues: [Rational]) -> [Rational]? {
        let n = columnCount
        var isPivotColumn = [Bool](repeating: false, count: n)
        for p in pivots { isPivotColumn[p.column] = true }
        var program = LinearProgram<Rational>(
            direction: .maximize, objective: Array(repeating: .zero, count: n),
            columnBounds: (0..<n).map { isPivotColumn[$0] ? .free : .fixed(values[$0]) })
        for i in equalities {
            program.addRow((rowStart[i]..<rowStart[i + 1]).map { (rowColumns[$0], exactValues[$0]) },
                           bounds: .fixed(Rational(rowBound[i])))
        }
        program.addRow((0..<n).map { ($0, Rational.one) }, bounds: .fixed(.one))
        var isPivotRow = [Bool](repeating: false, count: program.rowCount)
        for p in pivots { isPivotRow[p.row] = true }
        let basis = LPBasis(rows: isPivotRow.map { $0 ? .fixed : .basic },
                            columns: isPivotColumn.map { $0 ? .basic : .fixed })
        guard let (x, _) = program.basicSolution(basis) else { return nil }
        let activities = program.activities(x)
        for (i, b) in program.rowBounds.enumerated() where activities[i] != b.lower { return nil }
        return x
    }
}

/// Why a rigorous gap is not given.
struct RigorousGapRefusal: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
