import NormalFormGames
import BigInt

/// The rational path the exact backends replaced (pure-Swift BigInt through ``Rational``),
/// kept beside them only to measure them against it on the same programs.
public enum ExactBackend: String, Sendable, CaseIterable {
    case bigInt, gmpBareiss, flint, flintDixon
}

extension LinearProgram where Scalar == Rational {
    /// sup over l ≤ v ≤ u of coefficient · v; nil when unbounded above.
    private static func bigIntSupremum(_ coefficient: Rational, _ bounds: LPBounds<Rational>) -> Rational?? {
        switch coefficient.signum {
        case 0: return .some(.zero)
        case 1: return bounds.upper.map { coefficient * $0 }.map { .some($0) } ?? .some(nil)
        default: return bounds.lower.map { coefficient * $0 }.map { .some($0) } ?? .some(nil)
        }
    }

    /// The certified exact optimum of a basis by one backend (`nil` when not certified).
    public func certifiedBasis(_ basis: LPBasis, backend: ExactBackend) -> ExactLPSolution? {
        switch backend {
        case .bigInt: return bigIntCertifiedOptimum(basis, method: "simplex")
        case .gmpBareiss: return certifiedOptimum(basis, method: "simplex", kernel: .gmpBareiss)
        case .flint: return certifiedOptimum(basis, method: "simplex", kernel: .flint)
        case .flintDixon: return certifiedOptimum(basis, method: "simplex", kernel: .flintDixon)
        }
    }

    /// A x, exactly.
    func bigIntActivities(_ x: [Rational]) -> [Rational] {
        (0..<rowCount).map { i in
            var s = Rational.zero
            for (j, a) in row(i) where !x[j].isZero { s += a * x[j] }
            return s
        }
    }

    /// d = c − Aᵀy, exactly.
    func bigIntReducedCosts(_ y: [Rational]) -> [Rational] {
        var d = objective
        for i in 0..<rowCount where !y[i].isZero {
            for (j, a) in row(i) { d[j] -= y[i] * a }
        }
        return d
    }

    private func satisfies(_ v: Rational, _ b: LPBounds<Rational>) -> Bool {
        if let l = b.lower, v < l { return false }
        if let u = b.upper, u < v { return false }
        return true
    }

    /// Re-checks a claimed optimum in rational arithmetic. See ``LPCertificate``.
    func bigIntCertify(x: [Rational], rowDuals y: [Rational]) -> LPCertificate {
        precondition(x.count == columnCount && y.count == rowCount, "certificate has the wrong shape")
        let r = bigIntActivities(x)
        let primal = (0..<columnCount).allSatisfy { satisfies(x[$0], columnBounds[$0]) }
            && (0..<rowCount).allSatisfy { satisfies(r[$0], rowBounds[$0]) }
        let d = bigIntReducedCosts(y)
        let s = direction == .maximize ? Rational.one : -Rational.one
        var bound: Rational? = .zero
        for j in 0..<columnCount {
            guard let current = bound, case .some(let term?) = Self.bigIntSupremum(s * d[j], columnBounds[j]) else {
                bound = nil; break
            }
            bound = current + term
        }
        if bound != nil {
            for i in 0..<rowCount {
                guard let current = bound, case .some(let term?) = Self.bigIntSupremum(s * y[i], rowBounds[i]) else {
                    bound = nil; break
                }
                bound = current + term
            }
        }
        var value = Rational.zero
        for j in 0..<columnCount where !x[j].isZero { value += objective[j] * x[j] }
        let dualBound = bound.map { s * $0 }
        return LPCertificate(primalFeasible: primal, dualFeasible: bound != nil,
                             objectivesEqual: dualBound == value, dualBound: dualBound, basis: nil)
    }

    /// The basic solution of a simplex basis, in rational arithmetic: (x, y), or `nil` when the
    /// basis is invalid (wrong count, a nonbasic variable at a missing bound, singular).
    func bigIntBasicSolution(_ basis: LPBasis, deadline: ContinuousClock.Instant? = nil)
        -> (x: [Rational], y: [Rational])?
    {
        guard basis.columns.count == columnCount, basis.rows.count == rowCount else { return nil }
        func nonbasicValue(_ status: BasisStatus, _ b: LPBounds<Rational>) -> Rational?? {
            switch status {
            case .basic: return .some(nil)
            case .atLower, .fixed: return b.lower.map { .some($0) } ?? nil
            case .atUpper: return b.upper.map { .some($0) } ?? nil
            case .free: return .some(.zero)
            }
        }
        var x = [Rational](repeating: .zero, count: columnCount)
        var basicColumns: [Int] = []
        var position = [Int](repeating: -1, count: columnCount)
        for j in 0..<columnCount {
            guard let value = nonbasicValue(basis.columns[j], columnBounds[j]) else { return nil }
            if let value { x[j] = value } else { position[j] = basicColumns.count; basicColumns.append(j) }
        }
        var tightRows: [Int] = []
        var rowValue: [Rational] = []
        for i in 0..<rowCount {
            guard let value = nonbasicValue(basis.rows[i], rowBounds[i]) else { return nil }
            if let value { tightRows.append(i); rowValue.append(value) }
        }
        let k = basicColumns.count
        guard tightRows.count == k else { return nil }
        var y = [Rational](repeating: .zero, count: rowCount)
        if k > 0 {
            var matrix = [Rational](repeating: .zero, count: k * k)
            var rhs = rowValue
            for (t, i) in tightRows.enumerated() {
                for (j, a) in row(i) {
                    if position[j] >= 0 { matrix[t * k + position[j]] = a } else if !x[j].isZero { rhs[t] -= a * x[j] }
                }
            }
            guard let lu = RationalLU(n: k, matrix: matrix, deadline: deadline) else { return nil }
            let xs = lu.solve(rhs)
            for (s, j) in basicColumns.enumerated() { x[j] = xs[s] }
            let yt = lu.solveTransposed(basicColumns.map { objective[$0] })
            for (t, i) in tightRows.enumerated() { y[i] = yt[t] }
        }
        return (x, y)
    }

    func bigIntCertifiedOptimum(_ basis: LPBasis, method: String, deadline: ContinuousClock.Instant? = nil)
        -> ExactLPSolution?
    {
        guard let (x, y) = bigIntBasicSolution(basis, deadline: deadline) else { return nil }
        var certificate = bigIntCertify(x: x, rowDuals: y)
        guard certificate.isVerified else { return nil }
        certificate.basis = basis
        return ExactLPSolution(
            status: .optimal, certified: true, objectiveValue: certificate.dualBound, x: x,
            rowActivities: bigIntActivities(x), rowDuals: y, reducedCosts: bigIntReducedCosts(y), certificate: certificate,
            farkasGap: nil, method: method, note: nil)
    }

}
