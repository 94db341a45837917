/// Summary statistics of one metric over a group of games. Undefined games are left out
/// (``defined`` counts the rest); infinite values count as the largest.
public struct MetricStatistics: Sendable, Equatable {
    /// Games in the group.
    public var count: Int
    /// Games where the metric is defined.
    public var defined: Int
    /// Defined games where it is infinite.
    public var infinite: Int
    public var mean: Double?
    public var median: Double?
    /// 90th and 99th percentiles (linear interpolation between order statistics, as NumPy's
    /// default; +∞ when the interpolation touches an infinite value).
    public var percentile90: Double?
    public var percentile99: Double?
    /// The largest value, its row in the archive and its game index.
    public var worst: Double?
    public var worstRow: Int?
    public var worstGameIndex: Int?

    /// Statistics of `values[rows]` where `defined`.
    package init(values: [Double], defined: [Bool], rows: [Int], gameIndices: [Int]) {
        let kept = rows.filter { defined[$0] }
        count = rows.count
        self.defined = kept.count
        infinite = kept.filter { values[$0].isInfinite }.count
        guard !kept.isEmpty else { return }
        let sorted = kept.map { values[$0] }.sorted()
        var total = CompensatedSum()
        for v in sorted where v.isFinite { total.add(v) }
        mean = infinite > 0 ? .infinity : total.value / Double(sorted.count)
        median = Self.percentile(sorted, 0.5)
        percentile90 = Self.percentile(sorted, 0.9)
        percentile99 = Self.percentile(sorted, 0.99)
        var best = kept[0]
        for row in kept where values[row] > values[best] { best = row }
        worst = values[best]
        worstRow = best
        worstGameIndex = gameIndices[best]
    }

    /// The q-quantile of sorted values, NumPy's default "linear" method: h = (n − 1)q.
    package static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "percentile of nothing")
        let h = Double(sorted.count - 1) * q
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = h - Double(lower)
        let a = sorted[lower], b = sorted[upper]
        if fraction == 0 || a == b { return a }
        if b.isInfinite { return .infinity }
        return a + (b - a) * fraction
    }
}

/// The statistics of every metric for one group of games (a family and a shape, or all games).
public struct GroupSummary: Sendable {
    /// The family (`all` for the whole set).
    public var family: String
    /// The shape, e.g. `8x8`.
    public var shape: String
    /// Rows of the games in the group.
    public var rows: [Int]
    /// Statistics per metric key, in table order.
    public var statistics: [(key: String, statistics: MetricStatistics)]

    public var label: String { family == "all" ? "all games" : "\(family) \(shape)" }

    public func statistics(_ key: String) -> MetricStatistics? { statistics.first { $0.key == key }?.statistics }

    /// One group per (family, shape) in order of first appearance, then `all` when there is more
    /// than one group.
    package static func groups(table: MetricTable, families: [String], shape: String, gameIndices: [Int]) -> [GroupSummary] {
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (row, family) in families.enumerated() {
            if members[family] == nil { order.append(family) }
            members[family, default: []].append(row)
        }
        func summary(_ family: String, _ rows: [Int]) -> GroupSummary {
            GroupSummary(family: family, shape: shape, rows: rows, statistics: table.columns.map { column in
                (column.definition.key, MetricStatistics(values: column.summaryValues, defined: column.defined, rows: rows,
                                                         gameIndices: gameIndices))
            })
        }
        var result = order.map { summary($0, members[$0]!) }
        if result.count > 1 { result.append(summary("all", Array(families.indices))) }
        return result
    }
}
