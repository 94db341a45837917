import Testing
import NormalFormGames
@testable import LinearProgramming

/// Seeded random programs of many shapes and number kinds, and random bases of them.
struct ProgramSampler {
    enum Numbers: CaseIterable {
        /// Random doubles in [−1, 1): 53-bit significands.
        case doubles
        /// Doubles m·2^e with e anywhere in ±1000, including subnormals and −0.0.
        case extremeDoubles
        /// Decimals k/10^d: denominators that are not powers of two.
        case decimals
        /// Small integers in −2…2: many zeros, repeated rows, singular and degenerate bases.
        case smallIntegers
    }

    var rng: SplitMix64

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    mutating func number(_ kind: Numbers) -> Rational {
        switch kind {
        case .doubles:
            return Rational(Double.random(in: -1..<1, using: &rng))
        case .extremeDoubles:
            switch int(0...9) {
            case 0: return Rational(-0.0)
            case 1: return Rational(Double.leastNonzeroMagnitude * Double(int(1...1000)) * (int(0...1) == 0 ? 1 : -1))
            case 2: return Rational(Double(sign: int(0...1) == 0 ? .plus : .minus, exponent: -1022, significand: Double.random(in: 1..<2, using: &rng)))
            default:
                let e = int(-1000...1000)
                return Rational(Double(sign: int(0...1) == 0 ? .plus : .minus, exponent: e,
                                       significand: Double.random(in: 1..<2, using: &rng)))
            }
        case .decimals:
            let digits = int(0...4)
            var power = 1
            for _ in 0..<digits { power *= 10 }
            return Rational(int(-999...999), power)
        case .smallIntegers:
            return Rational(int(-2...2))
        }
    }

    mutating func bounds(_ kind: Numbers) -> LPBounds<Rational> {
        let a = number(kind), b = number(kind)
        let (l, u) = a < b ? (a, b) : (b, a)
        switch int(0...5) {
        case 0: return .free
        case 1: return .atLeast(l)
        case 2: return .atMost(u)
        case 3: return .fixed(l)
        default: return LPBounds(lower: l, upper: u)
        }
    }

    mutating func program(_ kind: Numbers, columns n: Int, rows m: Int) -> LinearProgram<Rational> {
        var p = LinearProgram<Rational>(direction: int(0...1) == 0 ? .maximize : .minimize,
                                        objective: (0..<n).map { _ in int(0...4) == 0 ? .zero : number(kind) },
                                        columnBounds: (0..<n).map { _ in bounds(kind) })
        for _ in 0..<m {
            let entries = (0..<n).compactMap { j -> (Int, Rational)? in
                int(0...3) == 0 ? nil : (j, number(kind))
            }
            p.addRow(entries, bounds: bounds(kind))
        }
        return p
    }

    /// A basis: k basic columns and as many tight rows, every nonbasic variable at a bound it has
    /// (sometimes, on purpose, at one it lacks: an invalid basis).
    mutating func basis(of p: LinearProgram<Rational>) -> LPBasis {
        let k = int(0...min(p.columnCount, p.rowCount))
        let basicColumns = Set((0..<p.columnCount).shuffled(using: &rng).prefix(k))
        let tightRows = Set((0..<p.rowCount).shuffled(using: &rng).prefix(k))
        func status(_ b: LPBounds<Rational>) -> BasisStatus {
            if int(0...30) == 0 { return [.atLower, .atUpper, .fixed, .free][int(0...3)] }
            switch (b.lower, b.upper) {
            case (nil, nil): return .free
            case (_?, nil): return .atLower
            case (nil, _?): return .atUpper
            case (let l?, let u?): return l == u ? .fixed : (int(0...1) == 0 ? .atLower : .atUpper)
            }
        }
        return LPBasis(rows: (0..<p.rowCount).map { tightRows.contains($0) ? status(p.rowBounds[$0]) : .basic },
                       columns: (0..<p.columnCount).map { basicColumns.contains($0) ? .basic : status(p.columnBounds[$0]) })
    }

    /// A nearby claim: some entries replaced by random numbers.
    mutating func perturbed(_ v: [Rational], _ kind: Numbers) -> [Rational] {
        v.map { int(0...3) == 0 ? number(kind) : $0 }
    }
}

@Suite struct ExactBackendTests {
    /// The basic solution equals the reference rational LU's exactly (both `nil` together: an
    /// invalid or singular basis), and the certificate, activities and reduced costs equal the
    /// reference's, at the basic solution and at perturbed claims.
    @Test(arguments: ProgramSampler.Numbers.allCases)
    func equalsTheRationalReference(_ kind: ProgramSampler.Numbers) {
        var sampler = ProgramSampler(rng: SplitMix64(seed: 0xE1AC7 &+ UInt64(ProgramSampler.Numbers.allCases.firstIndex(of: kind)!)))
        var solved = 0, singular = 0, verified = 0
        for _ in 0..<(kind == .extremeDoubles ? 30 : 80) {
            let n = sampler.int(1...(kind == .extremeDoubles ? 5 : 8)), m = sampler.int(1...(kind == .extremeDoubles ? 5 : 8))
            let p = sampler.program(kind, columns: n, rows: m)
            for _ in 0..<3 {
                let basis = sampler.basis(of: p)
                let reference = p.referenceBasicSolution(basis)
                let answer = p.basicSolution(basis)
                #expect((answer == nil) == (reference == nil), "basis \(basis)")
                if let answer, let reference { #expect(answer.x == reference.x && answer.y == reference.y) }
                guard let (x, y) = reference else { singular += 1; continue }
                solved += 1
                for (cx, cy) in [(x, y), (sampler.perturbed(x, kind), y), (x, sampler.perturbed(y, kind))] {
                    let certificate = p.certify(x: cx, rowDuals: cy)
                    #expect(certificate == p.referenceCertify(x: cx, rowDuals: cy))
                    if certificate.isVerified { verified += 1 }
                    #expect(p.activities(cx) == p.referenceActivities(cx))
                    #expect(p.reducedCosts(cy) == p.referenceReducedCosts(cy))
                }
            }
        }
        // The sampler reaches every case it is meant to.
        #expect(solved > 30 && singular > 10)
        if kind == .smallIntegers { #expect(verified > 0) }
    }

    /// Independently of any solver: a basic solution satisfies its tight rows exactly, sits at
    /// the bounds its basis names, and zeroes the reduced costs of its basic columns.
    @Test(arguments: ProgramSampler.Numbers.allCases)
    func basicSolutionSolvesItsBasis(_ kind: ProgramSampler.Numbers) {
        var sampler = ProgramSampler(rng: SplitMix64(seed: 0xBA515 &+ UInt64(ProgramSampler.Numbers.allCases.firstIndex(of: kind)!)))
        var checked = 0
        for _ in 0..<200 {
            let p = sampler.program(kind, columns: sampler.int(1...6), rows: sampler.int(1...6))
            let basis = sampler.basis(of: p)
            guard let (x, y) = p.basicSolution(basis) else { continue }
            checked += 1
            for i in 0..<p.rowCount where basis.rows[i] != .basic {
                let r = p.row(i).reduce(Rational.zero) { $0 + $1.1 * x[$1.0] }
                let b = p.rowBounds[i]
                #expect(r == (basis.rows[i] == .atUpper ? b.upper : basis.rows[i] == .free ? .zero : b.lower))
            }
            for i in 0..<p.rowCount where basis.rows[i] == .basic { #expect(y[i].isZero) }
            for j in 0..<p.columnCount {
                let d = p.objective[j] - (0..<p.rowCount).reduce(Rational.zero) { s, i in
                    s + y[i] * (p.row(i).first { $0.0 == j }?.1 ?? .zero)
                }
                let b = p.columnBounds[j]
                switch basis.columns[j] {
                case .basic: #expect(d.isZero)
                case .atLower, .fixed: #expect(x[j] == b.lower)
                case .atUpper: #expect(x[j] == b.upper)
                case .free: #expect(x[j].isZero)
                }
            }
        }
        #expect(checked > 40)
    }

    /// A singular basis (two equal tight rows) is reported as `nil`, never a crash.
    @Test func singularBasisIsReported() {
        var p = LinearProgram<Rational>(direction: .maximize, objective: [1, 1], columnBounds: [.nonnegative, .nonnegative])
        p.addRow([(0, Rational(0.1)), (1, Rational(0.3))], bounds: .atMost(1))
        p.addRow([(0, Rational(0.2)), (1, Rational(0.6))], bounds: .atMost(2))
        let basis = LPBasis(rows: [.atUpper, .atUpper], columns: [.basic, .basic])
        #expect(p.referenceBasicSolution(basis) == nil)
        #expect(p.basicSolution(basis) == nil)
        // The same rows with the second one's coefficients moved by one unit in the last place: regular.
        var q = LinearProgram<Rational>(direction: .maximize, objective: [1, 1], columnBounds: [.nonnegative, .nonnegative])
        q.addRow([(0, Rational(0.1)), (1, Rational(0.3))], bounds: .atMost(1))
        q.addRow([(0, Rational(0.2)), (1, Rational(0.6.nextUp))], bounds: .atMost(2))
        let solution = q.basicSolution(basis)
        #expect(solution != nil)
        #expect(solution?.x == q.referenceBasicSolution(basis)?.x)
    }

    /// A deadline already past stops the re-solve (reported as `nil`), on a basis that solves
    /// without one.
    @Test func passedDeadlineIsReported() throws {
        var p = LinearProgram<Rational>(direction: .maximize, objective: [1, 2], columnBounds: [.free, .free])
        p.addRow([(0, Rational(0.75)), (1, Rational(1, 3))], bounds: .fixed(1))
        p.addRow([(1, Rational(2.5))], bounds: .fixed(Rational(1, 10)))
        let basis = LPBasis(rows: [.fixed, .fixed], columns: [.basic, .basic])
        let solution = try #require(p.basicSolution(basis))
        #expect(solution.x == p.referenceBasicSolution(basis)?.x)
        #expect(p.basicSolution(basis, deadline: ContinuousClock.now - .seconds(1)) == nil)
    }
}
