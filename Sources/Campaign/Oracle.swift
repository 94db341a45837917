import Foundation
import NormalFormGames

/// Scalars the gain table is built over: doubles (compensated sums) and exact rationals.
protocol OracleScalar: Sendable {
    static var zero: Self { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
}

extension Double: OracleScalar {}
extension Rational: OracleScalar {}

/// Neumaier's compensated sum.
struct CompensatedSum {
    private var sum = 0.0
    private var compensation = 0.0
    mutating func add(_ x: Double) {
        let t = sum + x
        compensation += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
        sum = t
    }
    var value: Double { sum + compensation }
}

/// The deviation-gain rows of a game, built here from the payoffs (not from the library), in
/// the canonical order of the README's conventions: player ascending; CE rows (p, r→k) by r then k ≠ r; CCE rows
/// (p, →k) by k. Row (p, r→k) has entries G_p(a_{−p}, k) − G_p(a) at the joint actions with
/// a_p = r; row (p, →k) the same at every joint action (zero where a_p = k).
struct GainTable<S: OracleScalar>: Sendable {
    let shape: [Int]
    let joint: Int
    let rowPlayer: [Int]
    let rowStart: [Int]
    let columns: [Int]
    let values: [S]

    var rowCount: Int { rowPlayer.count }

    init(shape: [Int], payoffs: [S], ce: Bool) {
        self.shape = shape
        let n = shape.count
        let joint = shape.reduce(1, *)
        self.joint = joint
        let layout = JointActionLayout(shape)
        let strides = layout.strides
        var rowPlayer: [Int] = [], rowStart = [0], columns: [Int] = [], values: [S] = []
        var actions = [Int](repeating: 0, count: n)
        // Own action of every joint action, per player.
        var own = [[Int]](repeating: [Int](repeating: 0, count: joint), count: n)
        for a in 0..<joint {
            layout.actions(of: a, into: &actions)
            for p in 0..<n { own[p][a] = actions[p] }
        }
        for p in 0..<n {
            let base = p * joint
            if ce {
                for r in 0..<shape[p] {
                    for k in 0..<shape[p] where k != r {
                        for a in 0..<joint where own[p][a] == r {
                            columns.append(a)
                            values.append(payoffs[base + a + (k - r) * strides[p]] - payoffs[base + a])
                        }
                        rowPlayer.append(p)
                        rowStart.append(columns.count)
                    }
                }
            } else {
                for k in 0..<shape[p] {
                    for a in 0..<joint where own[p][a] != k {
                        columns.append(a)
                        values.append(payoffs[base + a + (k - own[p][a]) * strides[p]] - payoffs[base + a])
                    }
                    rowPlayer.append(p)
                    rowStart.append(columns.count)
                }
            }
        }
        self.rowPlayer = rowPlayer
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }
}

extension GainTable where S == Double {
    /// E_σ[A_i] per row.
    func expected(_ sigma: [Double]) -> [Double] {
        (0..<rowCount).map { i in
            var s = CompensatedSum()
            for k in rowStart[i]..<rowStart[i + 1] { s.add(sigma[columns[k]] * values[k]) }
            return s.value
        }
    }

    /// (Aᵀα)_a per joint action.
    func transposeTimes(_ alpha: [Double]) -> [Double] {
        var sums = [CompensatedSum](repeating: CompensatedSum(), count: joint)
        for i in 0..<rowCount where alpha[i] != 0 {
            for k in rowStart[i]..<rowStart[i + 1] { sums[columns[k]].add(alpha[i] * values[k]) }
        }
        return sums.map(\.value)
    }

    /// Largest expected gain per player (0 for a player without rows).
    func maximumGains(_ sigma: [Double], players: Int) -> [Double] {
        var best = [Double](repeating: -.infinity, count: players)
        for (i, g) in expected(sigma).enumerated() { best[rowPlayer[i]] = max(best[rowPlayer[i]], g) }
        return best.map { $0 == -.infinity ? 0 : $0 }
    }

    /// max |A_i(a)|.
    var largestEntry: Double { values.reduce(0) { max($0, abs($1)) } }
}

extension GainTable where S == Rational {
    func expected(_ sigma: [Rational]) -> [Rational] {
        (0..<rowCount).map { i in
            var s = Rational.zero
            for k in rowStart[i]..<rowStart[i + 1] where !sigma[columns[k]].isZero { s += sigma[columns[k]] * values[k] }
            return s
        }
    }

    func transposeTimes(_ alpha: [Rational]) -> [Rational] {
        var sums = [Rational](repeating: .zero, count: joint)
        for i in 0..<rowCount where !alpha[i].isZero {
            for k in rowStart[i]..<rowStart[i + 1] { sums[columns[k]] += alpha[i] * values[k] }
        }
        return sums
    }
}

/// Facts computed here, from the payoffs alone.
enum Oracle {
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = CompensatedSum()
        for i in a.indices { s.add(a[i] * b[i]) }
        return s.value
    }

    static func sum(_ a: [Double]) -> Double {
        var s = CompensatedSum()
        for x in a { s.add(x) }
        return s.value
    }

    static func allFinite(_ a: [Double]) -> Bool { a.allSatisfy { $0.isFinite } }

    /// The L2 normalisation scale (appendix B, README "MWMRE") for one player, computed without overflow or
    /// underflow: c = √|A| / ‖G_p − mean‖₂; `nil` for a constant player.
    static func normalizationScale(_ values: ArraySlice<Double>) -> Double? {
        let m = values.reduce(0) { max($0, abs($1)) }
        guard m > 0 else { return nil }
        // Work with values / m (exact power-of-two scaling would be nicer; m is fine here).
        let scaled = values.map { $0 / m }
        let mean = scaled.reduce(0, +) / Double(scaled.count)
        let centred = scaled.map { $0 - mean }
        let t = centred.reduce(0) { max($0, abs($1)) }
        guard t > 1e-13 else { return nil }  // constant up to round-off of the mean
        let norm = t * centred.reduce(0) { $0 + ($1 / t) * ($1 / t) }.squareRoot()
        // ‖G − mean‖ = m · norm.
        let c = Double(values.count).squareRoot() / norm / m
        return c.isFinite && c > 0 ? c : nil
    }

    /// KL(σ‖σ̂) over σ̂'s support; +∞ if σ puts mass outside it.
    static func kl(_ sigma: [Double], _ target: [Double]?) -> Double {
        let n = Double(sigma.count)
        var s = CompensatedSum()
        for a in sigma.indices where sigma[a] > 0 {
            let t = target?[a] ?? 1 / n
            if t <= 0 { return .infinity }
            s.add(sigma[a] * (log(sigma[a]) - log(t)))
        }
        return s.value
    }

    /// D(ε) = u ln(u/û) − u + û, u = ε⁺ − ε, û = ε⁺ − ε̂ (+∞ for u < 0).
    static func penalty(epsilon: Double, target: Double, cap: Double) -> Double {
        let u = cap - epsilon, h = cap - target
        if u < 0 { return .infinity }
        if u == 0 { return h }
        let delta = (u - h) / h
        return h * ((1 + delta) * log1p(delta) - delta)
    }

    /// Whether an error message is one a person can act on.
    static func isUsableMessage(_ message: String) -> Bool {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count < 8 { return false }
        for bad in ["Optional(", "Error(message:", "LinearProgrammingError(", "MWMREError(", "EquilibriumLPError("] where trimmed.contains(bad) {
            return false
        }
        return true
    }
}
