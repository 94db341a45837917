import ConvexOptimization
import Foundation

/// The Newton system of the dual by its structure instead of a dense factorisation
/// (docs/mathematics.md, "The Newton step by its structure").
///
/// H = A (diag σ − σσᵀ) Aᵀ + Σ_p κ_p 1_p 1_pᵀ, κ_p = (û_p/ρ) e^{−S_p/ρ}. Rows with the same
/// column set — a CE row (p, r→k) touches exactly the joint actions with a_p = r, so the rows of
/// one (p, r) do — form a *group*; H restricted to a group is a dense (m_p−1)² block, and the
/// groups of different (p, r) touch each other only through σ on their common joint actions.
/// H·v costs two passes over the non-zeros of the rows involved (Aᵀv, then A(σ∘(Aᵀv − σ·Aᵀv))),
/// never a dense matrix; the blocks, factorised, precondition conjugate gradients.
struct BlockHessian {
    /// The free rows the system is over (indices of the problem's rows).
    let free: [Int]
    /// Per group: the positions in `free` of its members.
    private(set) var members: [[Int]] = []
    /// Per group: H on its members (column-major, b×b), without damping.
    private(set) var blocks: [[Double]] = []
    /// H_ii per position in `free`.
    private(set) var diagonal: [Double]
    /// κ_p per player (0 for ρ = ∞).
    private let curvature: [Double]
    private let problem: DualProblem
    private let sigma: [Double]

    init(_ problem: DualProblem, _ evaluation: DualProblem.Evaluation, free: [Int]) {
        self.problem = problem
        self.free = free
        self.sigma = evaluation.sigma
        curvature = problem.players.indices.map { p in
            let player = problem.players[p]
            return player.rho.isFinite ? player.uHat / player.rho * exp(-evaluation.sums[p] / player.rho) : 0
        }
        diagonal = [Double](repeating: 0, count: free.count)
        var position = [Int](repeating: -1, count: problem.rowCount)
        for (a, i) in free.enumerated() { position[i] = a }
        var byGroup = [[Int]](repeating: [], count: problem.groupCount)
        for (a, i) in free.enumerated() { byGroup[problem.rowGroup[i]].append(a) }
        let expected = evaluation.expectedGains
        for list in byGroup where !list.isEmpty {
            let b = list.count
            var block = [Double](repeating: 0, count: b * b)
            // Every member has the same columns, in the same order: Σ_t σ(c_t) A_a(t) A_b(t).
            let first = problem.rowStart[free[list[0]]]
            let length = problem.rowStart[free[list[0]] + 1] - first
            problem.rowValues.withUnsafeBufferPointer { values in
                problem.rowColumns.withUnsafeBufferPointer { columns in
                    block.withUnsafeMutableBufferPointer { h in
                        var scaled = [Double](repeating: 0, count: length)
                        for (u, au) in list.enumerated() {
                            let su = problem.rowStart[free[au]]
                            for t in 0..<length { scaled[t] = sigma[columns[first + t]] * values[su + t] }
                            for (w, aw) in list.enumerated() where w >= u {
                                let sw = problem.rowStart[free[aw]]
                                var s = 0.0
                                for t in 0..<length { s += scaled[t] * values[sw + t] }
                                h[u * b + w] = s
                            }
                        }
                    }
                }
            }
            for u in 0..<b {
                let iu = free[list[u]]
                let pu = problem.rowPlayer[iu]
                for w in u..<b {
                    let iw = free[list[w]]
                    var v = block[u * b + w] - expected[iu] * expected[iw]
                    if pu >= 0 && pu == problem.rowPlayer[iw] { v += curvature[pu] }
                    block[u * b + w] = v
                    block[w * b + u] = v
                }
                diagonal[list[u]] = block[u * b + u]
            }
            members.append(list)
            blocks.append(block)
        }
    }

    /// H·v over `free` (v and the result indexed like `free`), computed only at the positions
    /// where `outputs` is true (0 elsewhere) when it is given.
    func product(_ v: [Double], outputs: [Bool]? = nil) -> [Double] {
        let n = problem.columnCount
        var t = [Double](repeating: 0, count: n)
        var playerSums = [Double](repeating: 0, count: curvature.count)
        var result = [Double](repeating: 0, count: free.count)
        problem.rowValues.withUnsafeBufferPointer { values in
            problem.rowColumns.withUnsafeBufferPointer { columns in
                problem.rowStart.withUnsafeBufferPointer { start in
                    t.withUnsafeMutableBufferPointer { t in
                        for (a, i) in free.enumerated() where v[a] != 0 {
                            let va = v[a]
                            for k in start[i]..<start[i + 1] { t[columns[k]] += va * values[k] }
                            let p = problem.rowPlayer[i]
                            if p >= 0 { playerSums[p] += va }
                        }
                        var mean = 0.0
                        for c in 0..<n { mean += sigma[c] * t[c] }
                        for c in 0..<n { t[c] = sigma[c] * (t[c] - mean) }
                        for (a, i) in free.enumerated() where outputs?[a] ?? true {
                            var s = 0.0
                            for k in start[i]..<start[i + 1] { s += values[k] * t[columns[k]] }
                            let p = problem.rowPlayer[i]
                            if p >= 0 { s += curvature[p] * playerSums[p] }
                            result[a] = s
                        }
                    }
                }
            }
        }
        return result
    }

    /// The block-Jacobi preconditioner of H + λI on the positions `kept` (a subset of `free`'s
    /// positions): each group's block restricted to them, factorised. `nil` if a block is not
    /// positive definite even with the damping.
    func preconditioner(kept: [Bool], damping: Double) -> BlockPreconditioner? {
        var factors: [(positions: [Int], factor: [Double])] = []
        for (list, block) in zip(members, blocks) {
            let b = list.count
            let keep = (0..<b).filter { kept[list[$0]] }
            let k = keep.count
            if k == 0 { continue }
            var factor = [Double](repeating: 0, count: k * k)
            for (u, bu) in keep.enumerated() {
                for (w, bw) in keep.enumerated() { factor[u * k + w] = block[bu * b + bw] }
                factor[u * k + u] += damping
            }
            guard Cholesky.factorize(&factor, n: k) else { return nil }
            factors.append((keep.map { list[$0] }, factor))
        }
        return BlockPreconditioner(factors: factors)
    }
}

/// z = P⁻¹ r for a block-diagonal P, each block held as its inverse (from its Cholesky factor):
/// the blocks are small, and a dense product beats a library call per block and per application.
struct BlockPreconditioner {
    /// Per block: the positions it covers and its inverse (column-major).
    let inverses: [(positions: [Int], inverse: [Double])]

    init?(factors: [(positions: [Int], factor: [Double])]) {
        var inverses: [(positions: [Int], inverse: [Double])] = []
        for (positions, factor) in factors {
            let k = positions.count
            var inverse = [Double](repeating: 0, count: k * k)
            var unit = [Double](repeating: 0, count: k)
            for j in 0..<k {
                for u in 0..<k { unit[u] = u == j ? 1 : 0 }
                guard Cholesky.solve(factor: factor, n: k, &unit) else { return nil }
                for u in 0..<k { inverse[j * k + u] = unit[u] }
            }
            inverses.append((positions, inverse))
        }
        self.inverses = inverses
    }

    func apply(_ r: [Double]) -> [Double] {
        var z = [Double](repeating: 0, count: r.count)
        r.withUnsafeBufferPointer { r in
            z.withUnsafeMutableBufferPointer { z in
                var local = [Double](repeating: 0, count: 64)
                for (positions, inverse) in inverses {
                    let k = positions.count
                    if local.count < k { local = [Double](repeating: 0, count: k) }
                    for u in 0..<k { local[u] = r[positions[u]] }
                    inverse.withUnsafeBufferPointer { m in
                        for u in 0..<k {
                            var s = 0.0
                            for w in 0..<k { s += m[w * k + u] * local[w] }
                            z[positions[u]] = s
                        }
                    }
                }
            }
        }
        return z
    }
}

extension DualProblem {
    /// Rows with identical column sets, numbered in order of first appearance: for CE the rows of
    /// one (player, recommendation); for CCE every row is its own group. Rows are keyed by their
    /// first and last column and their length, and compared in full only against the groups with
    /// that key (hashing every row's columns cost as much as a Newton step on CCE).
    static func rowGroups(rowStart: [Int], rowColumns: [Int]) -> (group: [Int], count: Int) {
        struct Key: Hashable { var first: Int, last: Int, length: Int }
        var candidates: [Key: [(group: Int, row: Int)]] = [:]
        let rows = rowStart.count - 1
        var group = [Int](repeating: 0, count: max(rows, 0))
        var count = 0
        for i in 0..<max(rows, 0) {
            let range = rowStart[i]..<rowStart[i + 1]
            let key = Key(first: range.isEmpty ? -1 : rowColumns[range.first!],
                          last: range.isEmpty ? -1 : rowColumns[range.last!], length: range.count)
            let match = candidates[key, default: []].first { candidate in
                rowColumns[rowStart[candidate.row]..<rowStart[candidate.row + 1]].elementsEqual(rowColumns[range])
            }
            if let match {
                group[i] = match.group
            } else {
                group[i] = count
                candidates[key, default: []].append((count, i))
                count += 1
            }
        }
        return (group, count)
    }

    /// Preconditioned conjugate gradients on (H_KK + λI) d = b over the positions `kept` of
    /// `hessian.free` (d and b indexed like `free`, zero elsewhere), from d = 0, until
    /// ‖residual‖ ≤ `relativeTolerance`·‖b‖ or `maximumIterations` (warm-started from `start`
    /// when that is closer). Every iterate from d = 0 is a descent direction of the quadratic
    /// model, so a truncated solve still gives one. Returns d and whether the tolerance was met;
    /// `nil` if the preconditioner cannot be built or the first search direction has no
    /// positive curvature.
    static func conjugateGradients(_ hessian: BlockHessian, kept: [Bool], damping: Double, rhs b: [Double],
                                   start: [Double]? = nil, relativeTolerance: Double,
                                   maximumIterations: Int) -> (d: [Double], converged: Bool)? {
        guard let preconditioner = hessian.preconditioner(kept: kept, damping: damping) else { return nil }
        let f = b.count
        func apply(_ v: [Double]) -> [Double] {
            var masked = v
            for a in 0..<f where !kept[a] { masked[a] = 0 }
            var y = hessian.product(masked, outputs: kept)
            for a in 0..<f { y[a] = kept[a] ? y[a] + damping * masked[a] : 0 }
            return y
        }
        var d = [Double](repeating: 0, count: f)
        var r = b
        for a in 0..<f where !kept[a] { r[a] = 0 }
        let target = relativeTolerance * (r.reduce(0) { $0 + $1 * $1 }).squareRoot()
        if target == 0 { return (d, true) }
        if let start {
            // Warm start: r = b − (H + λI) d₀, kept only if it is closer than d = 0.
            var d0 = start
            for a in 0..<f where !kept[a] { d0[a] = 0 }
            let q = apply(d0)
            var r0 = r
            for a in 0..<f { r0[a] -= q[a] }
            if r0.reduce(0, { $0 + $1 * $1 }) < r.reduce(0, { $0 + $1 * $1 }) {
                d = d0
                r = r0
                if (r.reduce(0) { $0 + $1 * $1 }).squareRoot() <= target { return (d, true) }
            }
        }
        var z = preconditioner.apply(r)
        var p = z
        var rz = zip(r, z).reduce(0) { $0 + $1.0 * $1.1 }
        for iteration in 1...max(1, maximumIterations) {
            let q = apply(p)
            let curvature = zip(p, q).reduce(0) { $0 + $1.0 * $1.1 }
            guard curvature > 0, curvature.isFinite else { return iteration == 1 ? nil : (d, false) }
            let step = rz / curvature
            var norm = 0.0
            for a in 0..<f {
                d[a] += step * p[a]
                r[a] -= step * q[a]
                norm += r[a] * r[a]
            }
            if norm.squareRoot() <= target { return (d, true) }
            z = preconditioner.apply(r)
            let next = zip(r, z).reduce(0) { $0 + $1.0 * $1.1 }
            let beta = next / rz
            rz = next
            for a in 0..<f { p[a] = z[a] + beta * p[a] }
        }
        return (d, false)
    }
}
