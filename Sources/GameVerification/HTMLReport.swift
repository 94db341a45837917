import Foundation
import NormalFormGames

/// The self-contained HTML report: inline CSS and SVG, no scripts, nothing fetched.
package enum HTMLReport {
    /// Renders the report page.
    ///
    /// - Parameter worstCases: how many games the worst-case table lists.
    package static func render(_ report: VerificationReport, worstCases: Int = 10) -> String {
        let c = report.context
        let e = SVGChart.escape
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>equilibria verify — \(e(c.predictionsFile))</title>
            <style>\(style)</style></head><body>
            <h1>Verification report</h1>
            <p class="lead">\(c.gameCount) games of shape \(c.shapeLabel), \(c.concept.rawValue.uppercased()),
            predictions given as <b>\(c.predictionKind == .duals ? "duals α" : "joint distributions σ")</b>.</p>

            """
        html += inputs(report)
        html += verdict(report)
        html += summaries(report)
        html += distributions(report)
        html += worst(report, count: worstCases)
        if let equivariance = report.equivariance { html += self.equivariance(equivariance, report: report) }
        html += definitions(report)
        html += "<footer>Written by <code>equilibria verify</code>. Joint actions are 1-based, as (a₁,…,a_N). "
            + "Infinite values are shown as ∞; undefined ones as —.</footer>\n</body></html>\n"
        return html
    }

    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;max-width:1120px;\
        color:#1b1b1b;padding:0 16px;line-height:1.4}
        h1{font-size:26px;margin-bottom:4px}h2{font-size:20px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}
        h3{font-size:16px;margin-bottom:6px}.lead{color:#444;margin-top:0}
        table{border-collapse:collapse;font-size:13px;margin:8px 0 16px}th,td{border:1px solid #d4d4d4;padding:3px 7px;text-align:right}
        th{background:#f1f3f6}td.l,th.l{text-align:left}tr:nth-child(even) td{background:#fafbfc}
        .pass{color:#fff;background:#2e7d32;padding:1px 8px;border-radius:3px;font-weight:600}
        .fail{color:#fff;background:#c62828;padding:1px 8px;border-radius:3px;font-weight:600}
        .charts{display:flex;flex-wrap:wrap;gap:12px}.charts figure{margin:0;border:1px solid #e2e2e2;padding:4px}
        figcaption{font-size:12px;color:#555;max-width:520px;padding:2px 4px}
        .chart-title{font-size:13px;font-weight:600;fill:#222}.tick{font-size:10px;fill:#444}.axis{font-size:11px;fill:#333}
        .legend{font-size:11px;fill:#222}.grid{stroke:#e6e6e6;stroke-width:1}.frame{fill:none;stroke:#888}
        .diagonal{stroke:#c62828;stroke-dasharray:4 3}.dot{fill:#1f77b4;fill-opacity:.55}
        .note{background:#fff8e1;border-left:4px solid #f9a825;padding:4px 10px;font-size:13px}
        .case{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start;margin-bottom:14px}
        .caption{font-size:12px;color:#555;margin-top:-8px}
        code{background:#f3f3f3;padding:0 3px}footer{margin-top:40px;font-size:12px;color:#666}
        """

    static func number(_ v: Double?) -> String { v.map(SVGChart.format) ?? "—" }

    /// The worst game of a threshold; for equivariance thresholds, the copy and its game.
    static func worstLabel(_ t: ThresholdOutcome, _ report: VerificationReport) -> String {
        guard let row = t.worstRow else { return "—" }
        if EquivarianceReport.metricKeys.contains(t.threshold.metric) {
            return "copy \(row) of game \(t.worstGameIndex.map(String.init) ?? "?")"
        }
        return gameLabel(report, row: row)
    }

    /// A game's index, with its row when indices repeat (several families in one archive).
    static func gameLabel(_ report: VerificationReport, row: Int?) -> String {
        guard let row else { return "—" }
        let index = report.gameIndices[row]
        return index == row ? String(index) : "\(index) (row \(row))"
    }

    static func inputs(_ report: VerificationReport) -> String {
        let c = report.context
        let e = SVGChart.escape
        var rows: [(String, String)] = [
            ("Games", "\(e(c.gamesFile)) — \(c.gameCount) games, shape \(c.shapeLabel), families "
                + e(Array(Set(report.families)).sorted().joined(separator: ", "))),
            ("Predictions", "\(e(c.predictionsFile)) — \(c.predictionKind == .duals ? "duals α (recovered to σ, ε by docs/reference.md §3)" : "joint distributions σ")"),
            ("Concept", "\(c.concept.rawValue.uppercased()) — \(e(c.conceptReason))"),
            ("Payoff units", e(c.units)),
            ("Reference σ*", e(c.reference)),
            ("MWMRE problem", e(c.parameters)),
        ]
        if let eq = report.equivariance {
            rows.append(("Permuted copies", "\(e(eq.file)) (\(eq.sources.count) copies), predictions \(e(eq.predictionsFile))"))
        }
        var html = "<h2>Inputs</h2>\n<table>"
        for (k, v) in rows { html += "<tr><th class=\"l\">\(k)</th><td class=\"l\">\(v)</td></tr>" }
        html += "</table>\n"
        for note in c.notes { html += "<p class=\"note\">\(e(note))</p>\n" }
        return html
    }

    static func verdict(_ report: VerificationReport) -> String {
        var html = "<h2>Thresholds</h2>\n"
        guard !report.thresholds.isEmpty else {
            return html + "<p>No thresholds were given (<code>--max-gap</code>, <code>--max-kl</code>, <code>--max-tv</code>, "
                + "<code>--max METRIC=X</code>).</p>\n"
        }
        html += "<table><tr><th class=\"l\">metric</th><th>limit</th><th>checked</th><th>failed</th><th>undefined</th>"
            + "<th>worst</th><th>worst game</th><th>result</th></tr>"
        for t in report.thresholds {
            let label = MetricCatalog.definition(t.threshold.metric)?.summaryLabel ?? t.threshold.metric
            html += "<tr><td class=\"l\">\(SVGChart.escape(label))</td><td>\(SVGChart.format(t.threshold.limit))</td>"
                + "<td>\(t.checked)</td><td>\(t.failed)</td><td>\(t.undefined)</td><td>\(number(t.worst))</td>"
                + "<td>\(worstLabel(t, report))</td>"
                + "<td>\(t.passed ? "<span class=\"pass\">PASS</span>" : "<span class=\"fail\">FAIL</span>")</td></tr>"
        }
        return html + "</table>\n"
    }

    static func summaries(_ report: VerificationReport) -> String {
        var html = "<h2>Summary by family and size</h2>\n<p>Per game, per-player metrics are reduced to their maximum over "
            + "players and signed ones to their absolute value. Statistics are over the games where the metric is defined.</p>\n"
        for group in report.groups {
            html += "<h3>\(SVGChart.escape(group.label)) — \(group.rows.count) games</h3>\n"
            html += "<table class=\"summary\"><tr><th class=\"l\">metric</th><th class=\"l\">unit</th><th>defined</th><th>mean</th>"
                + "<th>median</th><th>90th pct</th><th>99th pct</th><th>worst</th><th>worst game</th></tr>"
            for (key, s) in group.statistics {
                guard let d = MetricCatalog.definition(key) else { continue }
                html += "<tr><td class=\"l\">\(SVGChart.escape(d.summaryLabel))</td><td class=\"l\">\(d.unit.rawValue)</td>"
                    + "<td>\(s.defined)/\(s.count)</td><td>\(number(s.mean))</td><td>\(number(s.median))</td>"
                    + "<td>\(number(s.percentile90))</td><td>\(number(s.percentile99))</td><td>\(number(s.worst))</td>"
                    + "<td>\(gameLabel(report, row: s.worstRow))</td></tr>"
            }
            html += "</table>\n"
        }
        return html
    }

    /// Per-family series of a metric's per-game summary values (defined games only).
    static func series(_ report: VerificationReport, _ key: String) -> [(label: String, values: [Double])]? {
        guard let column = report.table.column(key) else { return nil }
        return report.groups.filter { $0.family != "all" }.map { group in
            (group.label, group.rows.filter { column.defined[$0] }.map { column.summaryValues[$0] })
        }
    }

    static func distributions(_ report: VerificationReport) -> String {
        let keys = ["gap", "gap_eps", "gap_eps_hat", "corr_dist_ce", "certified_gap", "kl_pred_ref", "kl_ref_pred", "tv",
                    "dual_suboptimality", "eps_diff", "welfare_diff"]
        var html = "<h2>Distributions</h2>\n<p>Empirical CDFs over games, one curve per family and size, on a log scale: "
            + "a curve that rises early (left) means small errors. Values at or below the left edge (including 0) are drawn at "
            + "the edge.</p>\n<div class=\"charts\">"
        for key in keys {
            guard let d = MetricCatalog.definition(key), let s = series(report, key) else { continue }
            let unit = d.unit == .payoff ? "payoff units" : d.unit.rawValue
            let values = s.flatMap(\.values)
            let zeros = values.filter { $0 <= 0 }.count
            html += "<figure>" + SVGChart.cdf(title: d.summaryLabel, unit: unit, series: s)
                + "<figcaption>\(SVGChart.escape(d.meaning)).\(zeros > 0 ? " \(zeros) games at ≤ 0." : "")</figcaption></figure>"
        }
        if let kl = report.table.column("kl_pred_ref"), let cert = report.table.column("certified_gap") {
            let points = (0..<report.metrics.count).filter { kl.defined[$0] && cert.defined[$0] }
                .map { (kl.values[$0], cert.values[$0]) }
            if !points.isEmpty {
                let violations = points.filter { $0.0 > $0.1 * (1 + 1e-9) + 1e-12 }.count
                html += "<figure>" + SVGChart.scatter(title: "certificate vs KL(σ‖σ*)", xLabel: "KL(σ‖σ*) (nats)",
                                                      yLabel: "certified gap (nats)", points: points)
                    + "<figcaption>Every point must lie on or above the dashed diagonal: the certificate bounds KL(σ‖σ*). "
                    + "\(violations == 0 ? "All \(points.count) do." : "<b>\(violations) of \(points.count) do not.</b>")</figcaption></figure>"
            }
        }
        return html + "</div>\n"
    }

    static func worst(_ report: VerificationReport, count: Int) -> String {
        let primary = report.table.column("kl_pred_ref") != nil ? "tv" : "gap"
        guard let column = report.table.column(primary), count > 0 else { return "" }
        let label = column.definition.summaryLabel
        let order = (0..<report.metrics.count).filter { column.defined[$0] }
            .sorted { column.summaryValues[$0] > column.summaryValues[$1] || (column.summaryValues[$0] == column.summaryValues[$1] && $0 < $1) }
        let top = Array(order.prefix(count))
        var html = "<h2>Worst cases</h2>\n<p>The \(top.count) games with the largest \(SVGChart.escape(label)).</p>\n"
        let keys = ["gap", "gap_eps_hat", "certified_gap", "kl_pred_ref", "tv", "dual_suboptimality"]
            .filter { report.table.column($0) != nil }
        html += "<table><tr><th>row</th><th>game index</th><th class=\"l\">family</th>"
        for key in keys { html += "<th>\(SVGChart.escape(MetricCatalog.definition(key)!.summaryLabel))</th>" }
        html += "<th class=\"l\">max \(report.context.concept.rawValue.uppercased()) gain per player</th></tr>"
        for row in top {
            let m = report.metrics[row]
            html += "<tr><td>\(row)</td><td>\(report.gameIndices[row])</td><td class=\"l\">\(SVGChart.escape(report.families[row]))</td>"
            for key in keys {
                let c = report.table.column(key)!
                html += "<td>\(c.defined[row] ? SVGChart.format(c.summaryValues[row]) : "—")</td>"
            }
            let gains = report.context.concept == .correlated ? m.maximumCEGains : m.maximumCCEGains
            html += "<td class=\"l\">\(gains.map(SVGChart.format).joined(separator: ", "))</td></tr>"
        }
        html += "</table>\n"
        for row in top.prefix(3) { html += detail(report, row: row) }
        return html
    }

    /// σ and σ* of one game: heatmaps for two players, the largest entries otherwise.
    static func detail(_ report: VerificationReport, row: Int) -> String {
        let m = report.metrics[row]
        let counts = report.context.actionCounts
        let star = report.references.flatMap { $0[row].isUsable ? $0[row].joint : nil }
        var html = "<h3>Game index \(report.gameIndices[row]) (row \(row))</h3>\n<div class=\"case\">"
        if counts.count == 2 {
            let scale = max(m.joint.max() ?? 0, star?.max() ?? 0)
            html += SVGChart.heatmap(title: "σ (prediction)", values: m.joint, rows: counts[0], columns: counts[1], scale: scale)
            if let star {
                html += SVGChart.heatmap(title: "σ* (reference)", values: star, rows: counts[0], columns: counts[1], scale: scale)
                let difference = zip(m.joint, star).map { abs($0 - $1) }
                html += SVGChart.heatmap(title: "|σ − σ*|", values: difference, rows: counts[0], columns: counts[1],
                                         scale: max(difference.max() ?? 0, 1e-300), color: (198, 40, 40))
            }
        }
        let entries = Array((0..<m.joint.count).sorted { max(m.joint[$0], star?[$0] ?? 0) > max(m.joint[$1], star?[$1] ?? 0) }.prefix(8))
        html += "<table><tr><th class=\"l\">joint action</th><th>σ</th>\(star != nil ? "<th>σ*</th>" : "")</tr>"
        let layout = JointActionLayout(counts)
        for a in entries {
            html += "<tr><td class=\"l\">\(layout.label(of: a))</td><td>\(SVGChart.format(m.joint[a]))</td>"
                + (star.map { "<td>\(SVGChart.format($0[a]))</td>" } ?? "") + "</tr>"
        }
        html += "</table></div>\n"
        if counts.count == 2 {
            html += "<p class=\"caption\">Rows: player 1's action; columns: player 2's (1-based). Darker is more probable.</p>\n"
        }
        if let note = m.certificateNote { html += "<p class=\"note\">\(SVGChart.escape(note))</p>\n" }
        return html
    }

    static func equivariance(_ e: EquivarianceReport, report: VerificationReport) -> String {
        var html = "<h2>Equivariance</h2>\n<p>For each permuted copy π·G of a game G, the distance between the prediction on "
            + "π·G and the permuted prediction π·(prediction on G). An equivariant predictor scores 0.</p>\n<div class=\"charts\">"
        let labels = ["equivariance_tv": "½‖σ(π·G) − π·σ(G)‖₁", "equivariance_max_abs": "max |σ(π·G) − π·σ(G)|",
                      "equivariance_duals_max_abs": "max |α(π·G) − π·α(G)|"]
        for key in EquivarianceReport.metricKeys {
            guard let values = e.values(key) else { continue }
            html += "<figure>" + SVGChart.cdf(title: labels[key]!, unit: key == "equivariance_duals_max_abs" ? "dual units" : "probability",
                                              series: [("\(e.sources.count) copies", values)]) + "</figure>"
        }
        html += "</div>\n"
        let order = (0..<e.sources.count).sorted { e.totalVariation[$0] > e.totalVariation[$1] }.prefix(10)
        html += "<table><tr><th>copy row</th><th>game index</th><th>copy</th><th class=\"l\">players (new ← old, 1-based)</th>"
            + "<th>TV</th><th>max |Δσ|</th></tr>"
        for j in order {
            html += "<tr><td>\(j)</td><td>\(report.gameIndices[e.sources[j]])</td><td>\(e.copies[j])</td>"
                + "<td class=\"l\">\(e.permutations[j].players.map { String($0 + 1) }.joined(separator: " "))</td>"
                + "<td>\(SVGChart.format(e.totalVariation[j]))</td><td>\(SVGChart.format(e.maximumAbsoluteDifference[j]))</td></tr>"
        }
        return html + "</table>\n"
    }

    static func definitions(_ report: VerificationReport) -> String {
        var html = "<h2>Metrics</h2>\n<table><tr><th class=\"l\">key</th><th class=\"l\">metric</th><th class=\"l\">unit</th>"
            + "<th class=\"l\">meaning</th></tr>"
        for column in report.table.columns {
            let d = column.definition
            html += "<tr><td class=\"l\"><code>\(d.key)</code></td><td class=\"l\">\(SVGChart.escape(d.label))</td>"
                + "<td class=\"l\">\(d.unit == .payoff ? "payoff units (see Inputs)" : SVGChart.escape(ReportWriter.unitText(d.unit, report.context)))</td>"
                + "<td class=\"l\">\(SVGChart.escape(d.meaning))</td></tr>"
        }
        html += "</table>\n"
        if !report.table.absent.isEmpty {
            html += "<p>Not computed: " + report.table.absent.map { "<code>\($0.key)</code> (\(SVGChart.escape($0.reason)))" }
                .joined(separator: "; ") + ".</p>\n"
        }
        return html
    }
}
