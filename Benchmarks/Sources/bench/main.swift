// The side-by-side benchmark's Swift half (issue 7): writes the seeded game sets as NumPy archives
// and times our solvers on them, so that peers/run_peers.py solves the very same games.
//
//   cd Benchmarks && swift build -c release && .build/release/bench --out DIR [options]
//
// Options (all counts are games per workload):
//   --games N          8×8 and 4×4×4 workloads (default 100)
//   --games-large N    16×16 workloads (default 30)
//   --sweep-games N    games per size of the time-against-size sweep (default 5; 0 skips the sweep)
//   --sweep-shapes L   the sweep's shapes, comma-separated (e.g. 8x8,4x4x4; default: 2 players n×n for
//                      n = 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64; 3 players n = 2, 3, 4, 6, 8, 10; 4 players
//                      n = 2…6; 5 players n = 2…4)
//   --sweep-workloads L  the sweep's workloads per shape, comma-separated, of mw-ce, mw-cce, me-ce,
//                      me-cce, ms-ce and epsme-ce (strict ε̂: MS and eps-ME; all six by default; the
//                      strict ones run only where |A| ≥ 256)
//   --manifest FILE    the manifest's file name in --out (default manifest.json)
//   --only NAME        run only the workload NAME, or those starting with P for NAME = P* (repeatable)
//   --seconds S        time each workload for at least S seconds of wall time (default 1.5): passes
//                      over the same games are repeated (at most 200); see "Time" below
//   --sweep-seconds S  the same for the sweep's workloads (default 0.3)
//   --no-write         time only, write nothing (for callgrind; use --seconds 0 there, and
//                      --collect-atstart=no: bench toggles collection around each solve call)
//
// Games: L2-invariant (GenerationRequest(distribution: .invariant(.l2))), normalised per player
// (docs/reference.md §4; already so up to round-off), seed 7 for every shape; game i is the same on every machine.
// Workloads per shape and concept (CE, CCE):
//   mw       max-welfare (C)CE by LP (EquilibriumLP, GLPK double path)
//   me       ME preset: uniform σ̂, ε̂ = 0, μ = 0, ρ = 1000, ε⁺ = √|A|
//   mre      MRE preset: Dirichlet(1) σ̂ from seed i
//   epsmwme  ε̂-MWME preset: uniform σ̂, ε̂_p ~ U(−Z, Z) from seed i, W = an independent L2-invariant
//            draw (seed 11, player 1's payoffs of game i), μ = 10, ρ = 1000
//   ms       MS preset: uniform σ̂, ε̂ = −Z (strict), μ = 0, ρ = 1000
//   epsme    eps-ME preset: uniform σ̂, ε̂_p ~ U(−Z, Z) from seed i, μ = 0, ρ = 1000
// MWMRE workloads run Newton (the default, KKT tolerance 1e-10) and, for ME, also our L-BFGS-B and
// Newton with tolerance 1e-6 (reference rows).
// Time: thread CPU time (CLOCK_THREAD_CPUTIME_ID) of the solve call alone, one warm-up solve first;
// `time` holds the first pass, `time_passes` [passes, games] every pass (the report pools them).
// Memory: each manifest entry has the process's resident set before the workload's first solve
// (`rss_start_kb`, /proc/self/statm) and its peak after the workload (`maxrss_kb`, getrusage);
// the sweep runs each workload in a process of its own (peers/sweep.py), so the peak is that
// workload's.
import CCallgrind
import EquilibriumSolvers
import BenchmarkSupport
import Foundation
import GameGenerators
import NormalFormGames
import NumPyFiles

// MARK: - Options

var outDirectory = "bench-out"
var gamesSmall = 100
var gamesLarge = 30
var sweepGames = 5
var only: [String] = []
var writeFiles = true
var minimumSeconds = 1.5
var sweepSeconds = 0.3
var sweepShapes: [[Int]]? = nil
var sweepWorkloads = ["mw-ce", "mw-cce", "me-ce", "me-cce", "ms-ce", "epsme-ce"]
var manifestFile = "manifest.json"
let maximumPasses = 200
do {
    var arguments = Array(CommandLine.arguments.dropFirst())
    func value(_ name: String) -> String {
        guard !arguments.isEmpty else { FileHandle.standardError.write("\(name) needs a value\n".data(using: .utf8)!); exit(64) }
        return arguments.removeFirst()
    }
    while !arguments.isEmpty {
        let a = arguments.removeFirst()
        switch a {
        case "--out": outDirectory = value(a)
        case "--games": gamesSmall = Int(value(a)) ?? gamesSmall
        case "--games-large": gamesLarge = Int(value(a)) ?? gamesLarge
        case "--sweep-games": sweepGames = Int(value(a)) ?? sweepGames
        case "--only": only.append(value(a))
        case "--no-write": writeFiles = false
        case "--seconds": minimumSeconds = Double(value(a)) ?? minimumSeconds
        case "--sweep-seconds": sweepSeconds = Double(value(a)) ?? sweepSeconds
        case "--sweep-shapes":
            let text = value(a)
            let shapes = text.split(separator: ",").map { $0.split(separator: "x").compactMap { Int($0) } }
            guard !shapes.isEmpty, shapes.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 2 } }) else {
                FileHandle.standardError.write("--sweep-shapes: '\(text)' is not a list like 8x8,4x4x4\n".data(using: .utf8)!)
                exit(64)
            }
            sweepShapes = shapes
        case "--sweep-workloads":
            let text = value(a)
            let names = text.split(separator: ",").map(String.init)
            let known = ["mw-ce", "mw-cce", "me-ce", "me-cce", "ms-ce", "epsme-ce"]
            guard !names.isEmpty, names.allSatisfy(known.contains) else {
                FileHandle.standardError.write("--sweep-workloads: '\(text)' (known: \(known.joined(separator: ", ")))\n".data(using: .utf8)!)
                exit(64)
            }
            sweepWorkloads = names
        case "--manifest": manifestFile = value(a)
        default:
            FileHandle.standardError.write("unknown option \(a)\n".data(using: .utf8)!)
            exit(64)
        }
    }
}
try? FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)

/// The resident set now, in KiB (/proc/self/statm); 0 where it cannot be read.
func residentKilobytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

/// The process's peak resident set so far, in KiB (getrusage; Linux reports KiB).
func peakResidentKilobytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss)
}

func shapeName(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "x") }

@MainActor func save(_ arrays: [(name: String, array: NumPyArray)], _ file: String) {
    guard writeFiles else { return }
    do {
        try NumPyArchive.write(arrays, to: URL(fileURLWithPath: outDirectory).appendingPathComponent(file))
    } catch {
        FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
        exit(1)
    }
}

// MARK: - Game sets

struct GameSet {
    var shape: [Int]
    var games: [NormalFormGame]   // normalised (docs/reference.md §4)
    var welfare: [[Double]]       // independent draw for ε̂-MWME (raw; the preset normalises it)
    var file: String
}

let gameSeed: UInt64 = 7
let welfareSeed: UInt64 = 11

@MainActor func makeGameSet(_ shape: [Int], count: Int, prefix: String) -> GameSet {
    let request = GenerationRequest(distribution: .invariant(.l2), actionCounts: shape, seed: gameSeed)
    let welfareRequest = GenerationRequest(distribution: .invariant(.l2), actionCounts: shape, seed: welfareSeed)
    let joint = shape.reduce(1, *)
    var games: [NormalFormGame] = []
    var welfare: [[Double]] = []
    for i in 0..<count {
        let payoffs = try! request.game(at: i).payoffs
        let raw = try! NormalFormGame(actionCounts: shape, payoffs: payoffs)
        games.append(raw.l2Normalized().game)
        welfare.append(Array(try! welfareRequest.game(at: i).payoffs[0..<joint]))
    }
    let file = "\(prefix)games-\(shapeName(shape)).npz"
    if writeFiles {
    save([("payoffs", NumPyArray(float64: games.flatMap(\.payoffs), shape: [count, shape.count] + shape)),
          ("welfare", NumPyArray(float64: welfare.flatMap { $0 }, shape: [count, joint]))], file)
    }
    return GameSet(shape: shape, games: games, welfare: welfare, file: file)
}

// MARK: - Workloads

enum Problem: String { case mw, me, mre, epsmwme, ms, epsme }

struct Record {
    var time: [Double] = []
    var status: [Int64] = []        // 0 optimal, 1 not optimal / not converged, 2 threw
    var joint: [Double] = []
    var epsilon: [Double] = []
    var objective: [Double] = []    // LP: welfare; MWMRE: primal objective P(σ, ε)
    var dualObjective: [Double] = []
    var kkt: [Double] = []
    var gap: [Double] = []          // certified gap (MWMRE), NaN when none
    var violation: [Double] = []
    var iterations: [Int64] = []
    var duals: [Double] = []
    // MWMRE parameters actually solved (so the peers use the very same numbers)
    var target: [Double] = []
    var epsHat: [Double] = []
    var epsCap: [Double] = []
    var welfare: [Double] = []
    var mu: [Double] = []
    var rho: [Double] = []
}

var manifest: [[String: Any]] = []

func parameters(_ problem: Problem, concept: EquilibriumConcept, set: GameSet, index i: Int) -> MWMREParameters {
    let game = set.games[i]
    let preset: MWMREPreset
    switch problem {
    case .me: preset = .maximumEntropy
    case .mre: preset = .minimumRelativeEntropy
    case .epsmwme: preset = .approximateMaximumWelfareMaximumEntropy
    case .ms: preset = .maximumStrictness
    case .epsme: preset = .approximateMaximumEntropy
    case .mw: fatalError()
    }
    // The library's one problem definition; the games are L2-normalised already.
    let definition = MWMREProblem(concept: concept, preset: preset,
                                  welfare: problem == .epsmwme ? set.welfare[i] : nil, seed: UInt64(1000 + i))
    return try! definition.instance(of: .init(game: game, isNormalized: true)).parameters
}

@MainActor func run(_ problem: Problem, _ concept: EquilibriumConcept, _ set: GameSet, count: Int, method: MWMREMethod?,
         name: String, tolerance: Double = 1e-10, seconds: Double = minimumSeconds) {
    if !only.isEmpty && !only.contains(where: { $0.hasSuffix("*") ? name.hasPrefix($0.dropLast()) : name == $0 }) { return }
    let games = Array(set.games.prefix(count))
    let n = set.shape.count
    let joint = set.shape.reduce(1, *)
    let rows = DeviationGains<Double>.rowCount(concept: concept, actionCounts: set.shape)
    var r = Record()

    @discardableResult
    func solveOnce(_ i: Int, record: Bool) -> Double {
        let game = games[i]
        if problem == .mw {
            let t0 = threadCPUTime()
            ccallgrind_toggle_collect()
            let result = try? EquilibriumLP.solve(game: game, concept: concept)
            ccallgrind_toggle_collect()
            let t = threadCPUTime() - t0
            guard record else { return t }
            r.time.append(t)
            if let result, result.joint.count == joint {
                r.status.append(result.status == .optimal ? 0 : 1)
                r.joint += result.joint
                r.epsilon += result.epsilon
                r.objective.append(result.objective ?? .nan)
                r.violation.append(result.maximumViolation)
                r.iterations.append(Int64(result.iterations))
                r.duals += result.duals.count == rows ? result.duals : Array(repeating: .nan, count: rows)
            } else {
                r.status.append(2)
                r.joint += Array(repeating: .nan, count: joint)
                r.epsilon += Array(repeating: .nan, count: n)
                r.objective.append(.nan)
                r.violation.append(.nan)
                r.iterations.append(0)
                r.duals += Array(repeating: .nan, count: rows)
            }
            r.dualObjective.append(.nan)
            r.kkt.append(.nan)
            r.gap.append(.nan)
            return t
        }
        let p = parameters(problem, concept: concept, set: set, index: i)
        let t0 = threadCPUTime()
        ccallgrind_toggle_collect()
        let result = try? MWMRESolver.solve(game: game, parameters: p, method: method ?? .newton, tolerance: tolerance)
        ccallgrind_toggle_collect()
        let t = threadCPUTime() - t0
        guard record else { return t }
        r.time.append(t)
        if let result, result.joint.count == joint {
            r.status.append(result.status == .optimal ? 0 : 1)
            r.joint += result.joint
            r.epsilon += result.epsilon
            r.objective.append(result.primalObjective)
            r.dualObjective.append(result.dualObjective)
            r.kkt.append(result.kktResidual)
            r.gap.append(result.certifiedGap ?? .nan)
            r.violation.append(result.maximumViolation)
            r.iterations.append(Int64(result.iterations))
            r.duals += result.duals.count == rows ? result.duals : Array(repeating: .nan, count: rows)
        } else {
            r.status.append(2)
            r.joint += Array(repeating: .nan, count: joint)
            r.epsilon += Array(repeating: .nan, count: n)
            for _ in 0..<1 { r.objective.append(.nan); r.dualObjective.append(.nan); r.kkt.append(.nan) }
            r.gap.append(.nan)
            r.violation.append(.nan)
            r.iterations.append(0)
            r.duals += Array(repeating: .nan, count: rows)
        }
        r.target += p.target ?? Array(repeating: 1 / Double(joint), count: joint)
        r.epsHat += p.epsilonTarget
        r.epsCap += p.epsilonCap
        r.welfare += p.welfare ?? Array(repeating: 0, count: joint)
        r.mu.append(p.mu)
        r.rho.append(p.rho)
        return t
    }

    let rssStart = residentKilobytes()
    // Warm-up: first-call costs (allocator, lazy symbols); above 1024 joint actions a solve takes
    // tens of milliseconds and more, far above those costs, and is not repeated (nor is the peers').
    if joint <= 1024 { solveOnce(0, record: false) }
    let wall0 = Date()
    for i in 0..<games.count { solveOnce(i, record: true) }
    // More passes over the same games until the workload has been timed for `seconds`: this
    // machine's speed changes for seconds at a time (other tenants), and the peers, whose runs
    // last seconds to minutes, sample all of those states; a single fast pass of ours would not.
    var passes = [r.time]
    while Date().timeIntervalSince(wall0) < seconds && passes.count < maximumPasses {
        passes.append((0..<games.count).map { solveOnce($0, record: false) })
    }
    let wall = Date().timeIntervalSince(wall0)

    let k = games.count
    let file = "ours-\(name).npz"
    if writeFiles {
    var arrays: [(name: String, array: NumPyArray)] = [
        ("time", NumPyArray(float64: r.time, shape: [k])),
        ("time_passes", NumPyArray(float64: passes.flatMap { $0 }, shape: [passes.count, k])),
        ("status", NumPyArray(int64: r.status, shape: [k])),
        ("joint", NumPyArray(float64: r.joint, shape: [k, joint])),
        ("epsilon", NumPyArray(float64: r.epsilon, shape: [k, n])),
        ("objective", NumPyArray(float64: r.objective, shape: [k])),
        ("dual_objective", NumPyArray(float64: r.dualObjective, shape: [k])),
        ("kkt", NumPyArray(float64: r.kkt, shape: [k])),
        ("gap", NumPyArray(float64: r.gap, shape: [k])),
        ("violation", NumPyArray(float64: r.violation, shape: [k])),
        ("iterations", NumPyArray(int64: r.iterations, shape: [k])),
        ("duals", NumPyArray(float64: r.duals, shape: [k, rows])),
    ]
    if problem != .mw {
        arrays += [
            ("target", NumPyArray(float64: r.target, shape: [k, joint])),
            ("eps_hat", NumPyArray(float64: r.epsHat, shape: [k, n])),
            ("eps_cap", NumPyArray(float64: r.epsCap, shape: [k, n])),
            ("welfare", NumPyArray(float64: r.welfare, shape: [k, joint])),
            ("mu", NumPyArray(float64: r.mu, shape: [k])),
            ("rho", NumPyArray(float64: r.rho, shape: [k])),
        ]
    }
    save(arrays, file)
    }
    let sorted = passes.flatMap { $0 }.sorted()
    let median = sorted[sorted.count / 2]
    let failed = r.status.filter { $0 != 0 }.count
    let meanIterations = Double(r.iterations.reduce(0, +)) / Double(max(k, 1))
    print(String(format: "%-30@ %5d games × %3d passes  median %9.1f µs  wall %5.2f s  not optimal %d  mean iterations %.1f",
                 name as NSString, k, passes.count, median * 1e6, wall, failed, meanIterations))
    fflush(nil)
    manifest.append([
        "name": name, "problem": problem.rawValue, "concept": concept.rawValue, "shape": set.shape,
        "games": set.file, "count": k, "ours": file, "method": (problem == .mw ? "glpk-double" : method!.rawValue),
        "tolerance": tolerance, "passes": passes.count,
        "rss_start_kb": rssStart, "maxrss_kb": peakResidentKilobytes(),
    ])
}

// MARK: - Main workloads

let concepts: [EquilibriumConcept] = [.correlated, .coarseCorrelated]
for (shape, count) in [([8, 8], gamesSmall), ([4, 4, 4], gamesSmall), ([16, 16], gamesLarge)] where count > 0 {
    let set = makeGameSet(shape, count: count, prefix: "")
    for problem in [Problem.mw, .me, .mre, .epsmwme] {
        for concept in concepts {
            let base = "\(problem.rawValue)-\(concept.rawValue)-\(shapeName(shape))"
            if problem == .mw {
                run(problem, concept, set, count: count, method: nil, name: base)
            } else {
                run(problem, concept, set, count: count, method: .newton, name: base + "-newton")
                if problem == .me {
                    // reference rows: our L-BFGS-B, and Newton stopped at a KKT residual of 1e-6
                    // (about the accuracy scipy's L-BFGS-B reaches with its default tolerances)
                    run(problem, concept, set, count: count, method: .lbfgsb, name: base + "-lbfgsb")
                    run(problem, concept, set, count: count, method: .newton, name: base + "-newton-1e-6",
                        tolerance: 1e-6)
                }
            }
        }
    }
}

// MARK: - Sweep: time and memory per game against |A| (peers/sweep.py runs one workload per process)

if sweepGames > 0 {
    let shapes: [[Int]] = sweepShapes ?? (
        ([2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64].map { [$0, $0] })
        + ([2, 3, 4, 6, 8, 10].map { [$0, $0, $0] })
        + ((2...6).map { [$0, $0, $0, $0] }) + ((2...4).map { [$0, $0, $0, $0, $0] }))
    for shape in shapes {
        let set = makeGameSet(shape, count: sweepGames, prefix: "sweep-")
        let joint = shape.reduce(1, *)
        for workload in sweepWorkloads {
            let name = "sweep-\(workload)-\(shapeName(shape))"
            switch workload {
            case "mw-ce": run(.mw, .correlated, set, count: sweepGames, method: nil, name: name, seconds: sweepSeconds)
            case "mw-cce": run(.mw, .coarseCorrelated, set, count: sweepGames, method: nil, name: name, seconds: sweepSeconds)
            case "me-ce", "me-cce", "ms-ce", "epsme-ce":
                let problem: Problem = workload.hasPrefix("ms") ? .ms : workload.hasPrefix("epsme") ? .epsme : .me
                // Strict ε̂ is measured where the goal asks for it: |A| ≥ 256.
                if problem != .me && joint < 256 { continue }
                run(problem, workload.hasSuffix("-cce") ? .coarseCorrelated : .correlated, set, count: sweepGames,
                    method: .newton, name: name + "-newton", seconds: sweepSeconds)
            default: break
            }
        }
    }
}

if writeFiles {
    let data = try! JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
    try! data.write(to: URL(fileURLWithPath: outDirectory).appendingPathComponent(manifestFile))
}
