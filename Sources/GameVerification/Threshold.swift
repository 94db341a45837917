import Foundation

/// A pass/fail limit on a per-game metric: every game must have `metric ≤ limit` (per-player
/// metrics: the max over players; signed ones: the absolute value).
public struct Threshold: Sendable, Equatable, CustomStringConvertible {
    /// A metric key of ``MetricCatalog`` or of ``EquivarianceReport/metricKeys``.
    public var metric: String
    public var limit: Double

    public init(metric: String, limit: Double) {
        self.metric = metric
        self.limit = limit
    }

    /// Parses `METRIC=X` (`X` a number).
    public init(parsing text: String) throws(VerificationError) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let limit = Double(parts[1].trimmingCharacters(in: .whitespaces)), !limit.isNaN else {
            throw VerificationError("threshold '\(text)' is not METRIC=NUMBER (e.g. gap=1e-3)")
        }
        self.init(metric: parts[0].trimmingCharacters(in: .whitespaces), limit: limit)
    }

    public var description: String { "\(metric) ≤ \(limit)" }
}

/// How the games fared against one threshold. A game where the metric is undefined fails
/// (it cannot be shown to pass).
public struct ThresholdOutcome: Sendable, Equatable, CustomStringConvertible {
    public var threshold: Threshold
    /// Games (or copies, for equivariance) checked.
    public var checked: Int
    /// Games above the limit or undefined.
    public var failed: Int
    /// Of those, games where the metric is undefined.
    public var undefined: Int
    /// The largest defined value, its row and game index.
    public var worst: Double?
    public var worstRow: Int?
    public var worstGameIndex: Int?

    public var passed: Bool { failed == 0 }

    public var description: String {
        let label = MetricCatalog.definition(threshold.metric)?.summaryLabel ?? threshold.metric
        var text = "\(threshold.metric) ≤ \(threshold.limit) (\(label)): "
        if passed { return text + "passed on all \(checked)" + (worst.map { ", worst \($0)" } ?? "") }
        text += "failed on \(failed) of \(checked)"
        if undefined > 0 { text += " (\(undefined) undefined)" }
        if let worst, let worstGameIndex {
            text += EquivarianceReport.metricKeys.contains(threshold.metric)
                ? "; worst \(worst) on copy \(worstRow!) of game index \(worstGameIndex)"
                : "; worst \(worst) at game index \(worstGameIndex) (row \(worstRow!))"
        }
        return text
    }

    /// Checks `values` (per game; `defined` mask) against `threshold`.
    package init(threshold: Threshold, values: [Double], defined: [Bool], gameIndices: [Int]) {
        self.threshold = threshold
        checked = values.count
        var failed = 0, undefined = 0
        for k in 0..<values.count {
            if !defined[k] {
                failed += 1
                undefined += 1
            } else if !(values[k] <= threshold.limit) {
                failed += 1
            }
            if defined[k], worstRow == nil || values[k] > values[worstRow!] { worstRow = k }
        }
        self.failed = failed
        self.undefined = undefined
        if let row = worstRow {
            worst = values[row]
            worstGameIndex = gameIndices[row]
        }
    }
}
