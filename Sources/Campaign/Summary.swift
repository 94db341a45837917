import Foundation

/// Aggregates case reports and prints them with reproducers.
struct Summary {
    let options: CampaignOptions
    let reports: [CaseReport]
    let wallSeconds: Double

    var solves: Int { reports.reduce(0) { $0 + $1.solves } }

    func count(_ kind: String) -> Int { reports.reduce(0) { $0 + $1.findings.filter { $0.kind == kind }.count } }

    var findingCounts: [(String, Int, Int)] {
        var kinds = FindingKind.all
        for r in reports { for f in r.findings where !kinds.contains(f.kind) { kinds.append(f.kind) } }
        return kinds.map { k in
            (k, count(k), reports.filter { $0.findings.contains { $0.kind == k } }.count)
        }
    }

    var noteCounts: [(String, Int)] {
        var counts: [String: Int] = [:]
        for r in reports { for n in r.notes { counts[n.kind, default: 0] += 1 } }
        return counts.sorted { $0.key < $1.key }
    }

    var totalFindings: Int { reports.reduce(0) { $0 + $1.findings.count } }

    var solveTimes: [Double] { reports.flatMap(\.solveSeconds).sorted() }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(q * Double(sorted.count - 1)))]
    }

    /// Examples of one kind: smallest games first, then by case index.
    func examples(_ kind: String, limit: Int) -> [(CaseReport, Finding)] {
        var list: [(CaseReport, Finding)] = []
        for r in reports { for f in r.findings where f.kind == kind { list.append((r, f)); break } }
        let sampler = CaseSampler(seed: options.seed, families: options.families)
        let sized = list.map { (size: sampler.plan($0.0.index).jointActionCount * sampler.plan($0.0.index).shape.count, item: $0) }
        return sized.sorted { ($0.size, $0.item.0.index) < ($1.size, $1.item.0.index) }.prefix(limit).map(\.item)
    }

    /// The game and command line that reproduce one solve of a case.
    func reproducer(case index: Int, label: String) -> String {
        let sampler = CaseSampler(seed: options.seed, families: options.families)
        let plan = sampler.plan(index)
        var out = "  rerun: equilibria-campaign \(options.caseArguments.joined(separator: " ")) --case \(index)\n"
        guard let setup = try? CaseSetup.make(plan) else { return out + "  (the case cannot be rebuilt)\n" }
        var spec = setup.spec(label)
        if spec == nil && label.hasPrefix("aux-") {
            var ce = true
            var support: [Bool]?
            if let lp = plan.lp { ce = lp.ce }
            if let m = plan.mwmre {
                ce = m.ce
                if case .mwmre(let r)? = setup.spec("base")?.request { support = r.support }
            }
            spec = setup.auxiliarySpec(perPlayer: label.hasSuffix("per-player"), ce: ce, support: support)
        }
        guard let spec else { return out + "  (setup of the case)\n" }
        var cli: [String] = []
        var files: [(String, String)] = []
        var remarks: [String] = []
        switch spec.request {
        case .lp(let r):
            cli = r.cli
            if let s = r.support, s.contains(false) { remarks.append("σ restricted to \(s.filter { $0 }.count) joint actions (the target's support); not expressible on the command line") }
        case .mwmre(let r):
            cli = r.cli
            files = r.files
        }
        if !spec.textOrigin {
            remarks.append("the campaign passed the payoffs as doubles; the command line reads them as exact decimals")
        }
        if case .reference = spec.relation { remarks.append("the game is the one handed to the MWMRE solver") }
        out += "  command: equilibria solve game.json \(cli.joined(separator: " "))\n"
        for r in remarks { out += "  note: \(r)\n" }
        out += "  game.json: \(spec.data.json)\n"
        for (name, content) in files { out += "  \(name): \(content)\n" }
        if let dir = options.outDirectory {
            let caseDir = "\(dir)/case-\(index)-\(label)"
            try? FileManager.default.createDirectory(atPath: caseDir, withIntermediateDirectories: true)
            try? spec.data.json.write(toFile: "\(caseDir)/game.json", atomically: true, encoding: .utf8)
            for (name, content) in files { try? content.write(toFile: "\(caseDir)/\(name)", atomically: true, encoding: .utf8) }
            let command = "equilibria solve game.json \(cli.joined(separator: " "))\n"
            try? command.write(toFile: "\(caseDir)/command.txt", atomically: true, encoding: .utf8)
        }
        return out
    }

    func text() -> String {
        var out = ""
        let times = solveTimes
        let mean = times.isEmpty ? 0 : times.reduce(0, +) / Double(times.count)
        out += "equilibria-campaign \(options.caseArguments.joined(separator: " ")): \(reports.count) cases, \(solves) solves, "
            + "\(options.jobs) jobs, \(String(format: "%.1f", wallSeconds)) s wall\n"
        out += String(format: "time per solve: mean %.2f ms, median %.2f ms, p99 %.1f ms, max %.0f ms; wall per solve %.2f ms\n",
                      mean * 1e3, Self.quantile(times, 0.5) * 1e3, Self.quantile(times, 0.99) * 1e3,
                      (times.last ?? 0) * 1e3, solves > 0 ? wallSeconds / Double(solves) * 1e3 : 0)
        var families: [String: (Int, Int)] = [:]
        for r in reports { families[r.family, default: (0, 0)].0 += r.solves; families[r.family, default: (0, 0)].1 += 1 }
        out += "cases by family: " + families.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.1) (\($0.value.0) solves)" }
            .joined(separator: ", ") + "\n"
        out += "findings: \(totalFindings) in \(reports.filter { !$0.findings.isEmpty }.count) cases\n"
        for (kind, n, cases) in findingCounts {
            out += "  " + kind.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%7d  (%d cases)\n", n, cases)
        }
        let notes = noteCounts
        if !notes.isEmpty {
            out += "notes (not findings): " + notes.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "\n"
        }
        for (kind, n, _) in findingCounts where n > 0 {
            out += "\n== \(kind): first reproducers (smallest games first) ==\n"
            for (report, finding) in examples(kind, limit: options.reproducers) {
                out += "case \(report.index) [\(report.summary)]\n  solve '\(finding.label)': \(finding.message)\n"
                out += reproducer(case: report.index, label: finding.label)
            }
        }
        return out
    }

    /// Every finding and note of one case, each finding with its reproducer.
    func caseText(_ report: CaseReport) -> String {
        var out = "case \(report.index) [\(report.summary)]: \(report.solves) solves, \(report.findings.count) findings\n"
        out += "  solve times (s): " + report.solveSeconds.map { String(format: "%.3f", $0) }.joined(separator: ", ") + "\n"
        for n in report.notes { out += "  note \(n.kind) in '\(n.label)': \(n.message)\n" }
        var shown = Set<String>()
        for f in report.findings {
            out += "- \(f.kind) in '\(f.label)': \(f.message)\n"
            if !shown.contains(f.label) {
                shown.insert(f.label)
                out += reproducer(case: report.index, label: f.label)
            }
        }
        return out
    }

    func json() -> String {
        var object: [String: Any] = [
            "cases": reports.count, "solves": solves, "findings_total": totalFindings, "wall_seconds": wallSeconds,
        ]
        var kinds: [String: Int] = [:]
        for (k, n, _) in findingCounts { kinds[k] = n }
        object["findings"] = kinds
        var notes: [String: Int] = [:]
        for (k, n) in noteCounts { notes[k] = n }
        object["notes"] = notes
        var first: [String: [String: Any]] = [:]
        for (k, n, _) in findingCounts where n > 0 {
            if let (r, f) = examples(k, limit: 1).first {
                first[k] = ["case": r.index, "label": f.label, "message": f.message]
            }
        }
        object["examples"] = first
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
