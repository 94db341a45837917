public import Foundation
import NumPyFiles
import NormalFormGames

/// Which per-game tables to write.
public enum MetricsFormat: String, Sendable, CaseIterable {
    case npz, csv, both
}

/// Writes a report directory: `metrics.npz` and/or `metrics.csv` (one row per game; also
/// `equivariance.csv` with permuted copies), `summary.json` and `report.html`.
public enum ReportWriter {
    /// Writes every file of `report` into `directory` (created when missing).
    ///
    /// - Returns: the files written.
    @discardableResult
    public static func write(_ report: VerificationReport, to directory: URL, format: MetricsFormat = .both,
                             worstCases: Int = 10) throws(VerificationError) -> [URL] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw VerificationError("\(directory.path): cannot create the report directory (\(error.localizedDescription))")
        }
        var written: [URL] = []
        if format != .csv {
            let url = directory.appendingPathComponent("metrics.npz")
            do {
                try NumPyArchive.write(arrays(report), to: url)
            } catch {
                throw VerificationError(error.description)
            }
            written.append(url)
        }
        if format != .npz {
            let url = directory.appendingPathComponent("metrics.csv")
            try save(csv(report), to: url)
            written.append(url)
            if let equivariance = report.equivariance {
                let e = directory.appendingPathComponent("equivariance.csv")
                try save(equivarianceCSV(equivariance, gameIndices: report.gameIndices), to: e)
                written.append(e)
            }
        }
        let summaryURL = directory.appendingPathComponent("summary.json")
        try save(summary(report).serialized() + "\n", to: summaryURL)
        written.append(summaryURL)
        let htmlURL = directory.appendingPathComponent("report.html")
        try save(HTMLReport.render(report, worstCases: worstCases), to: htmlURL)
        written.append(htmlURL)
        return written
    }

    private static func save(_ text: String, to url: URL) throws(VerificationError) {
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw VerificationError("\(url.path): cannot write (\(error.localizedDescription))")
        }
    }

    /// The arrays of `metrics.npz`: per metric `KEY` (f8 [K] or [K, N]; +∞ where undefined) and
    /// `KEY_defined` (b1 [K]), plus identification and units.
    package static func arrays(_ report: VerificationReport) -> [(name: String, array: NumPyArray)] {
        let k = report.metrics.count
        let n = report.table.players
        let context = report.context
        var out: [(name: String, array: NumPyArray)] = [
            ("game_index", NumPyArray(int64: report.gameIndices.map(Int64.init), shape: [k])),
            ("family", NumPyArray(strings: report.families)),
            ("action_counts", NumPyArray(int64: context.actionCounts.map(Int64.init), shape: [n])),
            ("concept", NumPyArray(strings: [context.concept.rawValue], shape: [])),
            ("prediction_kind", NumPyArray(strings: [context.predictionKind.rawValue], shape: [])),
            ("units", NumPyArray(strings: [context.units], shape: [])),
            ("metric_names", NumPyArray(strings: report.table.columns.map(\.definition.key))),
            ("metric_units", NumPyArray(strings: report.table.columns.map { unitText($0.definition.unit, context) })),
        ]
        for column in report.table.columns {
            let key = column.definition.key
            out.append((key, NumPyArray(float64: column.values, shape: column.definition.perPlayer ? [k, n] : [k])))
            out.append(("\(key)_defined", NumPyArray(bool: column.defined, shape: [k])))
        }
        if let references = report.references {
            out.append(("reference_status", NumPyArray(strings: references.map(\.status))))
        }
        if context.predictionKind == .duals {
            out.append(("certificate_note", NumPyArray(strings: report.metrics.map { $0.certificateNote ?? "" })))
        }
        if let e = report.equivariance {
            let c = e.sources.count
            out.append(("equivariance_source", NumPyArray(int64: e.sources.map(Int64.init), shape: [c])))
            out.append(("equivariance_copy", NumPyArray(int64: e.copies.map(Int64.init), shape: [c])))
            for key in EquivarianceReport.metricKeys {
                if let values = e.values(key) { out.append((key, NumPyArray(float64: values, shape: [c]))) }
            }
        }
        return out
    }

    /// What a unit means in this report.
    package static func unitText(_ unit: MetricUnit, _ context: VerificationContext) -> String {
        switch unit {
        case .payoff: return "payoff units: " + context.units
        case .nats: return "nats (natural logarithm; objective units of docs/reference.md §3)"
        case .probability: return "probability"
        }
    }

    static func csvNumber(_ v: Double) -> String {
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return "\(v)"
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// `metrics.csv`: one row per game; per-player metrics as `KEY_p1…`; undefined cells empty.
    package static func csv(_ report: VerificationReport) -> String {
        let n = report.table.players
        var header = ["row", "game_index", "family"]
        for column in report.table.columns {
            if column.definition.perPlayer {
                header += (1...max(1, n)).map { "\(column.definition.key)_p\($0)" }
            } else {
                header.append(column.definition.key)
            }
        }
        if report.references != nil { header.append("reference_status") }
        var lines = [header.joined(separator: ",")]
        for k in 0..<report.metrics.count {
            var fields = [String(k), String(report.gameIndices[k]), csvField(report.families[k])]
            for column in report.table.columns {
                let width = column.definition.perPlayer ? n : 1
                for i in 0..<width {
                    fields.append(column.defined[k] ? csvNumber(column.values[k * width + i]) : "")
                }
            }
            if let references = report.references { fields.append(csvField(references[k].status)) }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `equivariance.csv`: one row per permuted copy.
    package static func equivarianceCSV(_ e: EquivarianceReport, gameIndices: [Int]) -> String {
        var header = ["copy_row", "source_row", "source_game_index", "copy", "player_permutation", "equivariance_tv",
                      "equivariance_max_abs"]
        if e.dualsMaximumAbsoluteDifference != nil { header.append("equivariance_duals_max_abs") }
        var lines = [header.joined(separator: ",")]
        for j in 0..<e.sources.count {
            var fields = [String(j), String(e.sources[j]), String(gameIndices[e.sources[j]]), String(e.copies[j]),
                          e.permutations[j].players.map { String($0 + 1) }.joined(separator: " "),
                          csvNumber(e.totalVariation[j]), csvNumber(e.maximumAbsoluteDifference[j])]
            if let d = e.dualsMaximumAbsoluteDifference { fields.append(csvNumber(d[j])) }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func statisticsJSON(_ s: MetricStatistics) -> JSONValue {
        .object([
            ("games", .int(s.count)), ("defined", .int(s.defined)), ("infinite", .int(s.infinite)),
            ("mean", .optional(s.mean)), ("median", .optional(s.median)), ("p90", .optional(s.percentile90)),
            ("p99", .optional(s.percentile99)), ("worst", .optional(s.worst)), ("worst_row", .optional(s.worstRow)),
            ("worst_game_index", .optional(s.worstGameIndex)),
        ])
    }

    /// `summary.json`.
    static func summary(_ report: VerificationReport) -> JSONValue {
        let c = report.context
        var pairs: [(String, JSONValue)] = [
            ("tool", .string("equilibria verify")),
            ("games", .object([("file", .string(c.gamesFile)), ("count", .int(c.gameCount)),
                               ("action_counts", .array(c.actionCounts.map { .int($0) }))])),
            ("predictions", .object([("file", .string(c.predictionsFile)), ("kind", .string(c.predictionKind.rawValue))])),
            ("concept", .string(c.concept.rawValue)),
            ("concept_reason", .string(c.conceptReason)),
            ("units", .string(c.units)),
            ("unit_meanings", .object([MetricUnit.payoff, .nats, .probability].map { ($0.rawValue, .string(unitText($0, c))) })),
            ("reference", .string(c.reference)),
            ("reference_kind", c.referenceKind.map { .string($0.rawValue) } ?? .null),
            ("parameters", .string(c.parameters)),
            ("notes", .array(c.notes.map { .string($0) })),
            ("metrics", .array(report.table.columns.map { column in
                let d = column.definition
                return .object([("key", .string(d.key)), ("label", .string(d.label)), ("summary_label", .string(d.summaryLabel)),
                                ("unit", .string(d.unit.rawValue)), ("per_player", .bool(d.perPlayer)),
                                ("meaning", .string(d.meaning))])
            })),
            ("absent_metrics", .array(report.table.absent.map { .object([("key", .string($0.key)), ("reason", .string($0.reason))]) })),
            ("groups", .array(report.groups.map { g in
                .object([("family", .string(g.family)), ("shape", .string(g.shape)), ("games", .int(g.rows.count)),
                         ("statistics", .object(g.statistics.map { ($0.key, statisticsJSON($0.statistics)) }))])
            })),
        ]
        if let e = report.equivariance {
            let rows = Array(0..<e.sources.count)
            let indices = e.sources.map { report.gameIndices[$0] }
            pairs.append(("equivariance", .object([
                ("file", .string(e.file)), ("predictions", .string(e.predictionsFile)), ("copies", .int(e.sources.count)),
                ("statistics", .object(EquivarianceReport.metricKeys.compactMap { key in
                    e.values(key).map { values in
                        (key, statisticsJSON(MetricStatistics(values: values, defined: Array(repeating: true, count: values.count),
                                                              rows: rows, gameIndices: indices)))
                    }
                })),
            ])))
        }
        pairs.append(("thresholds", .array(report.thresholds.map { t in
            .object([("metric", .string(t.threshold.metric)), ("limit", .number(t.threshold.limit)),
                     ("checked", .int(t.checked)), ("failed", .int(t.failed)), ("undefined", .int(t.undefined)),
                     ("worst", .optional(t.worst)), ("worst_row", .optional(t.worstRow)),
                     ("worst_game_index", .optional(t.worstGameIndex)), ("passed", .bool(t.passed))])
        })))
        pairs.append(("passed", .bool(report.passed)))
        return .object(pairs)
    }
}
