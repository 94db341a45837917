import Foundation

/// `equilibria-campaign`: a generative test campaign for the solvers. See docs/campaign.md.
@main
struct CampaignMain {
    static let usage = """
        usage: equilibria-campaign [--solves N] [--seed S] [--jobs J] [--case I] [--kinds K1,K2]
                                   [--time-budget SECONDS] [--format text|json] [--reproducers R] [--out DIR]

          --solves N          draw cases until their planned solves reach N (default 1000)
          --seed S            the campaign seed (default 0); case i depends only on (S, i, --kinds)
          --jobs J            worker processes (default 2)
          --case I            run case I alone and print all of its findings with reproducers
          --kinds K1,K2       restrict to case families: \(CaseFamily.allCases.map(\.rawValue).joined(separator: ", "))
          --time-budget S     seconds a case may run before it counts as a hang (default 30)
          --chunk-size C      cases per worker process (default: about cases / (8 jobs), at most 25)
          --format F          text (default) or json (counts only)
          --reproducers R     reproducers shown per kind (default 3)
          --out DIR           also write each shown reproducer (game.json, command.txt, …) under DIR
          --reports FILE      write every case report (findings, notes, solve times) as JSON lines
          --plan I            print the plan of case I (JSON) and exit
          --inline            run cases in this process (no crash isolation; for debugging)
          --quiet             no progress lines on standard error

        Exit status: 0 without findings, 1 with findings, 64 for bad options.
        """

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("equilibria-campaign: \(message)\n\(usage)\n".utf8))
        exit(64)
    }

    static func main() {
        var options = CampaignOptions()
        var worker = false
        var from = 0, to = 0
        var planIndex: Int?
        var args = Array(CommandLine.arguments.dropFirst())
        func value(_ name: String) -> String {
            guard !args.isEmpty else { fail("\(name) needs a value") }
            return args.removeFirst()
        }
        while !args.isEmpty {
            let a = args.removeFirst()
            switch a {
            case "--solves": guard let v = Int(value(a)), v >= 0 else { fail("--solves needs a count") }; options.solves = v
            case "--seed": guard let v = UInt64(value(a)) else { fail("--seed needs an unsigned integer") }; options.seed = v
            case "--jobs": guard let v = Int(value(a)), v >= 1 else { fail("--jobs needs a positive count") }; options.jobs = v
            case "--case": guard let v = Int(value(a)), v >= 0 else { fail("--case needs an index") }; options.caseIndex = v
            case "--kinds":
                let names = value(a).split(separator: ",").map(String.init)
                var families: [CaseFamily] = []
                for n in names {
                    guard let f = CaseFamily(rawValue: n) else { fail("unknown kind '\(n)'") }
                    families.append(f)
                }
                guard !families.isEmpty else { fail("--kinds needs at least one kind") }
                options.families = CaseFamily.allCases.filter { families.contains($0) }
            case "--time-budget":
                guard let v = Double(value(a)), v > 0, v.isFinite else { fail("--time-budget needs seconds") }
                options.timeBudget = v
            case "--chunk-size": guard let v = Int(value(a)), v >= 1 else { fail("--chunk-size needs a count") }; options.chunkSize = v
            case "--format":
                let v = value(a)
                guard v == "text" || v == "json" else { fail("--format is text or json") }
                options.format = v
            case "--reproducers": guard let v = Int(value(a)), v >= 0 else { fail("--reproducers needs a count") }; options.reproducers = v
            case "--out": options.outDirectory = value(a)
            case "--reports": options.reportsPath = value(a)
            case "--plan":
                guard let v = Int(value(a)) else { fail("--plan needs an index") }
                planIndex = v
            case "--inline": options.inline = true
            case "--quiet": options.quiet = true
            case "--worker": worker = true
            case "--from": guard let v = Int(value(a)) else { fail("--from needs an index") }; from = v
            case "--to": guard let v = Int(value(a)) else { fail("--to needs an index") }; to = v
            case "-h", "--help":
                print(usage)
                exit(0)
            default: fail("unknown option '\(a)'")
            }
        }
        if worker {
            Worker.run(seed: options.seed, families: options.families, from: from, to: to)
            exit(0)
        }
        if let planIndex {
            let plan = CaseSampler(seed: options.seed, families: options.families).plan(planIndex)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: (try? encoder.encode(plan)) ?? Data(), as: UTF8.self))
            print(plan.summary)
            exit(0)
        }
        let driver = Driver(options: options)
        let start = Date()
        let cases = options.caseIndex.map { [$0] } ?? Array(0..<driver.caseCount())
        let reports = driver.run(cases: cases)
        let summary = Summary(options: options, reports: reports, wallSeconds: Date().timeIntervalSince(start))
        if let path = options.reportsPath {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let lines = reports.map { String(decoding: (try? encoder.encode($0)) ?? Data(), as: UTF8.self) }
            try? (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        if options.format == "json" {
            print(summary.json())
        } else if options.caseIndex != nil, let report = reports.first {
            print(summary.caseText(report), terminator: "")
        } else {
            print(summary.text(), terminator: "")
        }
        exit(summary.totalFindings == 0 ? 0 : 1)
    }
}
