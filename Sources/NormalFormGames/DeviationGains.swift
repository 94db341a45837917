/// The two correlated solution concepts.
public enum EquilibriumConcept: String, Sendable, CaseIterable, Hashable {
    /// Correlated equilibrium (CE): one constraint per (player, recommended, deviation).
    case correlated = "ce"
    /// Coarse correlated equilibrium (CCE): one constraint per (player, deviation).
    case coarseCorrelated = "cce"
}

/// One deviation-gain row: which player deviates, from which recommendation (CE only), to what.
public struct DeviationRow: Sendable, Hashable, CustomStringConvertible {
    public var player: Int
    /// The recommended action for CE rows; `nil` for CCE rows.
    public var recommended: Int?
    public var deviation: Int

    public init(player: Int, recommended: Int?, deviation: Int) {
        self.player = player
        self.recommended = recommended
        self.deviation = deviation
    }

    /// 1-based, as people read it: `p1: 2->3` (CE) or `p1: ->3` (CCE).
    public var description: String {
        if let recommended { return "p\(player + 1): \(recommended + 1)->\(deviation + 1)" }
        return "p\(player + 1): ->\(deviation + 1)"
    }
}

/// Scalars the gain matrix can be built over.
public protocol GainScalar: Sendable, Equatable {
    static func - (lhs: Self, rhs: Self) -> Self
}

extension Double: GainScalar {}
extension Rational: GainScalar {}

/// The deviation-gain matrix of a game in compressed sparse rows.
///
/// Row order is canonical (docs/reference.md §1): player ascending; for CCE then deviation ascending; for CE
/// then recommended ascending, then deviation ascending with deviation ≠ recommended. Columns
/// are joint actions. Only the structurally non-zero entries are stored: a CE row (p, r→k)
/// touches the joint actions with a_p = r; a CCE row (p, k) those with a_p ≠ k.
public struct DeviationGains<Scalar: GainScalar>: Sendable {
    public let concept: EquilibriumConcept
    public let rows: [DeviationRow]
    /// `rowStart[i]..<rowStart[i+1]` indexes row i's entries.
    public let rowStart: [Int]
    public let columns: [Int]
    public let values: [Scalar]
    public let jointActionCount: Int

    public var rowCount: Int { rows.count }

    /// The entries of row i as (joint action, gain) pairs.
    public func entries(ofRow i: Int) -> Zip2Sequence<ArraySlice<Int>, ArraySlice<Scalar>> {
        zip(columns[rowStart[i]..<rowStart[i + 1]], values[rowStart[i]..<rowStart[i + 1]])
    }

    /// Gains with the structure of `structure` and other values (one per entry).
    init<Other: GainScalar>(structure: DeviationGains<Other>, values: [Scalar]) {
        concept = structure.concept
        rows = structure.rows
        rowStart = structure.rowStart
        columns = structure.columns
        self.values = values
        jointActionCount = structure.jointActionCount
    }

    /// Builds the gains from a payoff array in the layout of ``NormalFormGame/payoffs``.
    public init(concept: EquilibriumConcept, actionCounts: [Int], payoffs: [Scalar]) {
        self.concept = concept
        let players = actionCounts.count
        let joint = actionCounts.reduce(1, *)
        precondition(payoffs.count == players * joint, "payoff array does not match the shape")
        let strides = JointActionLayout(actionCounts).strides

        var rows: [DeviationRow] = []
        var rowStart: [Int] = [0]
        var columns: [Int] = []
        var values: [Scalar] = []
        let expected = DeviationGains.nonzeroCount(concept: concept, actionCounts: actionCounts)
        columns.reserveCapacity(expected)
        values.reserveCapacity(expected)
        for p in 0..<players {
            let n = actionCounts[p]
            let s = strides[p]
            let base = p * joint
            // Joint action a = outer·(n·s) + own·s + inner: walk the blocks instead of testing
            // every joint action (no divisions in the inner loop).
            let blocks = joint / (n * s)
            switch concept {
            case .correlated:
                for r in 0..<n {
                    for k in 0..<n where k != r {
                        let shift = (k - r) * s
                        for outer in 0..<blocks {
                            let start = outer * n * s + r * s
                            for a in start..<(start + s) {
                                columns.append(a)
                                values.append(payoffs[base + a + shift] - payoffs[base + a])
                            }
                        }
                        rows.append(DeviationRow(player: p, recommended: r, deviation: k))
                        rowStart.append(columns.count)
                    }
                }
            case .coarseCorrelated:
                for k in 0..<n {
                    for outer in 0..<blocks {
                        for own in 0..<n where own != k {
                            let start = outer * n * s + own * s
                            let shift = (k - own) * s
                            for a in start..<(start + s) {
                                columns.append(a)
                                values.append(payoffs[base + a + shift] - payoffs[base + a])
                            }
                        }
                    }
                    rows.append(DeviationRow(player: p, recommended: nil, deviation: k))
                    rowStart.append(columns.count)
                }
            }
        }
        self.rows = rows
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
        self.jointActionCount = joint
    }

    /// Number of rows of the gain matrix for a shape: CE Σ_p n_p(n_p−1), CCE Σ_p n_p.
    public static func rowCount(concept: EquilibriumConcept, actionCounts: [Int]) -> Int {
        switch concept {
        case .correlated: return actionCounts.reduce(0) { $0 + $1 * ($1 - 1) }
        case .coarseCorrelated: return actionCounts.reduce(0, +)
        }
    }

    /// Number of stored entries for a shape: CE Σ_p (n_p−1)|A|, CCE Σ_p (n_p−1)|A| as well.
    public static func nonzeroCount(concept: EquilibriumConcept, actionCounts: [Int]) -> Int {
        let joint = actionCounts.reduce(1, *)
        return actionCounts.reduce(0) { $0 + ($1 - 1) * joint }
    }
}

extension DeviationGains where Scalar == Double {
    /// Σ_a σ(a) A(row, a) for every row.
    public func expectedGains(_ sigma: [Double]) -> [Double] {
        precondition(sigma.count == jointActionCount, "distribution has the wrong length")
        var result = [Double](repeating: 0, count: rows.count)
        for i in 0..<rows.count {
            var sum = 0.0
            for k in rowStart[i]..<rowStart[i + 1] { sum += sigma[columns[k]] * values[k] }
            result[i] = sum
        }
        return result
    }
}

extension DeviationGains where Scalar == Rational {
    /// Σ_a σ(a) A(row, a) for every row, exactly.
    public func expectedGains(_ sigma: [Rational]) -> [Rational] {
        precondition(sigma.count == jointActionCount, "distribution has the wrong length")
        var result = [Rational](repeating: .zero, count: rows.count)
        for i in 0..<rows.count {
            var sum = Rational.zero
            for k in rowStart[i]..<rowStart[i + 1] where !sigma[columns[k]].isZero {
                sum += sigma[columns[k]] * values[k]
            }
            result[i] = sum
        }
        return result
    }
}

extension NormalFormGame {
    /// The deviation gains over double payoffs.
    public func deviationGains(_ concept: EquilibriumConcept) -> DeviationGains<Double> {
        DeviationGains(concept: concept, actionCounts: actionCounts, payoffs: payoffs)
    }

    /// The deviation gains over exact payoffs.
    public func exactDeviationGains(_ concept: EquilibriumConcept) -> DeviationGains<Rational> {
        guard exactPayoffs == nil else {
            return DeviationGains(concept: concept, actionCounts: actionCounts, payoffs: rationalPayoffs)
        }
        // Double payoffs: the same rows and columns, each gain formed exactly from its two doubles.
        let rounded = DeviationGains<Double>(concept: concept, actionCounts: actionCounts, payoffs: payoffs)
        let joint = jointActionCount
        var values: [Rational] = []
        values.reserveCapacity(rounded.values.count)
        let strides = JointActionLayout(actionCounts).strides
        for (i, row) in rounded.rows.enumerated() {
            let base = row.player * joint, s = strides[row.player], n = actionCounts[row.player]
            for k in rounded.rowStart[i]..<rounded.rowStart[i + 1] {
                let a = rounded.columns[k]
                let own = (a / s) % n
                let deviated = a + (row.deviation - own) * s
                values.append(.exactDifference(payoffs[base + deviated], payoffs[base + a]))
            }
        }
        return DeviationGains<Rational>(structure: rounded, values: values)
    }

    /// Per player, the largest expected deviation gain under σ (the ε_p it needs).
    public func maximumGains(_ concept: EquilibriumConcept, sigma: [Double]) -> [Double] {
        let gains = deviationGains(concept)
        let expected = gains.expectedGains(sigma)
        var result = [Double](repeating: -.infinity, count: playerCount)
        for (i, row) in gains.rows.enumerated() { result[row.player] = max(result[row.player], expected[i]) }
        return result.map { $0 == -.infinity ? 0 : $0 }
    }

    /// Expected payoff of each player under a joint distribution.
    public func expectedPayoffs(_ sigma: [Double]) -> [Double] {
        let joint = jointActionCount
        return (0..<playerCount).map { p in
            var sum = 0.0
            for a in 0..<joint { sum += sigma[a] * payoffs[p * joint + a] }
            return sum
        }
    }
}
