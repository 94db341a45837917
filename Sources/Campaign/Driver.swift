import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Options of a campaign run.
struct CampaignOptions: Sendable {
    var solves = 1000
    var seed: UInt64 = 0
    var jobs = 2
    var caseIndex: Int?
    var families: [CaseFamily] = CaseFamily.allCases
    var timeBudget: Double = 30
    var chunkSize: Int?
    var format = "text"
    var reproducers = 3
    var outDirectory: String?
    var inline = false
    /// Write every case report as one JSON line to this file.
    var reportsPath: String?
    var quiet = false

    /// The options that select cases (for reproducer command lines).
    var caseArguments: [String] {
        var a = ["--seed", String(seed)]
        if families != CaseFamily.allCases { a += ["--kinds", families.map(\.rawValue).joined(separator: ",")] }
        return a
    }
}

/// Runs the worker side: cases `from..<to`, one line per event on standard output.
enum Worker {
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func runCase(_ sampler: CaseSampler, _ index: Int, progress: @escaping (String) -> Void) -> CaseReport {
        let plan = sampler.plan(index)
        do {
            let setup = try CaseSetup.make(plan)
            let runner = CaseRunner(setup: setup, progress: progress)
            return runner.run()
        } catch {
            var report = CaseReport(index: index, family: plan.family.rawValue, summary: plan.summary)
            report.notes.append(Finding(kind: "setup-error", label: "setup", message: "\(error)"))
            return report
        }
    }

    static func run(seed: UInt64, families: [CaseFamily], from: Int, to: Int) {
        let sampler = CaseSampler(seed: seed, families: families)
        let encoder = JSONEncoder()
        for i in from..<to {
            emit("S \(i)")
            let report = runCase(sampler, i) { label in emit("L \(i) \(label)") }
            let json = (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            emit("R \(i) \(json)")
        }
    }
}

/// Runs cases in child processes, attributes crashes and hangs to the case that was running.
final class Driver {
    let options: CampaignOptions
    let sampler: CaseSampler
    private(set) var reports: [Int: CaseReport] = [:]
    private var queue: [(Range<Int>, Bool)] = []   // (cases, confirmation run)
    private let scratch: String
    private var progressShown = Date()

    init(options: CampaignOptions) {
        self.options = options
        sampler = CaseSampler(seed: options.seed, families: options.families)
        scratch = NSTemporaryDirectory() + "equilibria-campaign-\(getpid())"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    /// The number of cases whose planned solves reach `solves`.
    func caseCount() -> Int {
        var total = 0, count = 0
        while total < options.solves {
            total += sampler.plan(count).plannedSolves
            count += 1
        }
        return count
    }

    private final class Job {
        let process: ChildProcess
        let range: Range<Int>
        let confirmation: Bool
        var current: Int?
        var label: String?
        var labels = 0
        var started = Date()
        var labelStarted = Date()
        var done = Set<Int>()
        var killedForHang = false
        /// Output lines outside the protocol (e.g. a C library's message before it aborts).
        var stray: [String] = []
        init(process: ChildProcess, range: Range<Int>, confirmation: Bool) {
            self.process = process
            self.range = range
            self.confirmation = confirmation
        }
    }

    func run(cases: [Int]) -> [CaseReport] {
        if options.inline {
            for i in cases { reports[i] = Worker.runCase(sampler, i) { _ in } }
            return cases.compactMap { reports[$0] }
        }
        let chunk = options.chunkSize ?? max(1, min(25, cases.count / max(1, options.jobs * 8)))
        // Contiguous runs of the requested cases, cut into chunks.
        var start = 0
        while start < cases.count {
            var end = start + 1
            while end < cases.count && end - start < chunk && cases[end] == cases[end - 1] + 1 { end += 1 }
            queue.append((cases[start]..<(cases[end - 1] + 1), false))
            start = end
        }
        let executable = currentExecutablePath()
        var active: [Job] = []
        var serial = 0
        let startTime = Date()
        while !queue.isEmpty || !active.isEmpty {
            while active.count < options.jobs, !queue.isEmpty {
                let (range, confirmation) = queue.removeFirst()
                serial += 1
                let args = ["--worker", "--from", String(range.lowerBound), "--to", String(range.upperBound)]
                    + options.caseArguments
                do {
                    let process = try ChildProcess(executable: executable, arguments: args,
                                                   extraEnvironment: ["OPENBLAS_NUM_THREADS": "1"],
                                                   errorPath: "\(scratch)/worker-\(serial).stderr")
                    active.append(Job(process: process, range: range, confirmation: confirmation))
                } catch {
                    FileHandle.standardError.write(Data("equilibria-campaign: \(error)\n".utf8))
                    exit(2)
                }
            }
            let readable = pollReadable(active.map(\.process.outputDescriptor), timeoutMilliseconds: 250)
            var finished: [Int] = []
            for (k, job) in active.enumerated() {
                if readable.contains(job.process.outputDescriptor) || job.process.atEnd {
                    for line in job.process.readLines() { handle(line, job) }
                }
                if let current = job.current, Date().timeIntervalSince(job.started) > options.timeBudget, !job.killedForHang {
                    job.killedForHang = true
                    job.process.kill()
                    job.process.wait()
                    record(job, index: current, kind: FindingKind.hang,
                           message: "no answer within the time budget of \(options.timeBudget) s (killed); solve '"
                               + "\(job.label ?? "setup")' had run for \(Int(Date().timeIntervalSince(job.labelStarted))) s "
                               + "after \(max(0, job.labels - 1)) earlier solves of the case")
                    finished.append(k)
                    continue
                }
                if job.process.atEnd {
                    job.process.wait()
                    if let current = job.current {
                        let how = job.process.signal != 0 ? "signal \(job.process.signal)" : "exit status \(job.process.exitStatus)"
                        var excerpt = job.process.errorExcerpt()
                        if !job.stray.isEmpty { excerpt = "output: " + job.stray.joined(separator: " / ") + "; " + excerpt }
                        record(job, index: current, kind: FindingKind.crash,
                               message: "worker died (\(how)) in solve '\(job.label ?? "setup")'"
                                   + (excerpt.isEmpty ? "" : ": \(excerpt)"))
                    } else {
                        // Died between cases, or left cases unreported: run them one by one.
                        for i in job.range where !job.done.contains(i) && reports[i] == nil {
                            queue.insert((i..<(i + 1), false), at: 0)
                        }
                    }
                    finished.append(k)
                }
            }
            for k in finished.sorted(by: >) { active.remove(at: k) }
            if !options.quiet && Date().timeIntervalSince(progressShown) > 10 {
                progressShown = Date()
                let solves = reports.values.reduce(0) { $0 + $1.solves }
                let findings = reports.values.reduce(0) { $0 + $1.findings.count }
                FileHandle.standardError.write(Data(String(format: "  %d/%d cases, %d solves, %d findings, %.0f s\n",
                                                           reports.count, cases.count, solves, findings,
                                                           Date().timeIntervalSince(startTime)).utf8))
            }
        }
        return cases.compactMap { reports[$0] }
    }

    private func handle(_ line: String, _ job: Job) {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, ["S", "L", "R"].contains(parts[0]), let index = Int(parts[1]) else {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty {
                job.stray.append(String(trimmed.prefix(200)))
                if job.stray.count > 3 { job.stray.removeFirst() }
            }
            return
        }
        switch parts[0] {
        case "S":
            job.stray.removeAll()
            job.current = index
            job.label = nil
            job.labels = 0
            job.started = Date()
        case "L":
            job.label = parts.count > 2 ? String(parts[2]) : nil
            job.labels += 1
            job.labelStarted = Date()
        case "R":
            job.current = nil
            job.done.insert(index)
            if parts.count > 2, let report = try? JSONDecoder().decode(CaseReport.self, from: Data(parts[2].utf8)) {
                if job.confirmation, var crashed = reports[index] {
                    crashed.notes.append(Finding(kind: "crash-not-reproduced", label: "alone",
                                                 message: "run alone, the case completed"))
                    reports[index] = crashed
                } else {
                    reports[index] = report
                }
            }
        default:
            break
        }
    }

    /// A crash or hang of the running case: record it, confirm a crash alone, go on after it.
    private func record(_ job: Job, index: Int, kind: String, message: String) {
        if job.confirmation, var earlier = reports[index] {
            earlier.notes.append(Finding(kind: "\(kind)-reproduced", label: job.label ?? "setup",
                                         message: "run alone, the case \(kind == FindingKind.crash ? "crashed" : "hung") again"))
            reports[index] = earlier
        } else {
            let plan = sampler.plan(index)
            var report = CaseReport(index: index, family: plan.family.rawValue, summary: plan.summary)
            report.solves = max(1, job.labels)
            report.findings.append(Finding(kind: kind, label: job.label ?? "setup", message: message))
            reports[index] = report
            if kind == FindingKind.crash && job.range.count > 1 { queue.insert((index..<(index + 1), true), at: 0) }
        }
        job.current = nil
        let rest = (index + 1)..<job.range.upperBound
        if !rest.isEmpty && !job.confirmation { queue.insert((rest, false), at: 0) }
    }
}
