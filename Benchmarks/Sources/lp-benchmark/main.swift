// Median time per game of the max-welfare CE (or CCE) by LP (double path, and exact path for reference).
//
//   cd Benchmarks && swift run -c release lp-benchmark [games] [--json FILE] [--concept cce] [--double-only]
//
// Shapes: 8×8, 4×4×4, 16×16 with `games` each; then the sizes people test on — 24×24, 32×32,
// 48×48, 64×64, 8×8×8, 10×10×10, 6^4 and 4^5 — with fewer games (max(3, games / 100)), double
// path only (the exact path of these is measured by `solve --exact`, not here).
// Games: payoffs uniform on [0, 1) from a seeded SplitMix64, the same on every machine.
// Times: per-game thread CPU time (robust to other load on a shared machine) and wall time.
// With --json FILE the games are also written as JSON lines ({"shape": [...], "payoffs": [...]}),
// flat payoffs in the package's layout, so a peer solver can time the very same games.
import EquilibriumSolvers
import BenchmarkSupport
import Foundation
import LinearProgramming
import NormalFormGames

func games(_ shape: [Int], count: Int, seed: UInt64) -> [NormalFormGame] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        let payoffs = (0..<(shape.count * shape.reduce(1, *))).map { _ in Double.random(in: 0..<1, using: &rng) }
        return try! NormalFormGame(actionCounts: shape, payoffs: payoffs)
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var jsonPath: String?
if let i = arguments.firstIndex(of: "--json"), i + 1 < arguments.count {
    jsonPath = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
}
let doubleOnly = arguments.contains("--double-only")
arguments.removeAll { $0 == "--double-only" }
var concept = EquilibriumConcept.correlated
if let i = arguments.firstIndex(of: "--concept"), i + 1 < arguments.count {
    concept = arguments[i + 1] == "cce" ? .coarseCorrelated : .correlated
    arguments.removeSubrange(i...(i + 1))
}
let count = arguments.first.flatMap(Int.init) ?? 1000
let exactCount = max(1, count / 10)
var lines: [String] = []


let conceptName = concept == .correlated ? "ce" : "cce"
print("max-welfare \(conceptName.uppercased()) by LP, \(count) games per small shape (exact path: \(exactCount)), "
      + "release build, one thread")
print("shape        path    median CPU   p90 CPU     median wall  max violation  games/s (CPU)")
let small: [([Int], UInt64)] = [([8, 8], 1), ([4, 4, 4], 2), ([16, 16], 3)]
let large: [([Int], UInt64)] = [([24, 24], 4), ([32, 32], 5), ([48, 48], 6), ([64, 64], 7), ([8, 8, 8], 8),
                                ([10, 10, 10], 9), ([6, 6, 6, 6], 10), ([4, 4, 4, 4, 4], 11)]
for (shape, seed) in small + large {
    let isLarge = large.contains { $0.0 == shape }
    let set = games(shape, count: isLarge ? max(3, count / 100) : count, seed: seed)
    if jsonPath != nil {
        for game in set {
            lines.append("{\"shape\": \(shape), \"concept\": \"\(conceptName)\", \"payoffs\": ["
                         + game.payoffs.map { "\($0)" }.joined(separator: ",") + "]}")
        }
    }
    for exact in doubleOnly || isLarge ? [false] : [false, true] {
        var cpu: [Double] = []
        var wall: [Double] = []
        var worst = 0.0
        var failures = 0
        var movedByExact = 0
        for game in set.prefix(exact ? exactCount : count) {
            let c0 = threadCPUTime(), w0 = wallTime()
            let result: EquilibriumLPResult
            do {
                result = try EquilibriumLP.solve(game: game, concept: concept, exact: exact)
            } catch {
                print("solve failed (\(exact ? "exact" : "double")): \(error)")
                failures += 1
                continue
            }
            cpu.append(threadCPUTime() - c0)
            wall.append(wallTime() - w0)
            if result.method == "exact-simplex" { movedByExact += 1 }
            if result.status != .optimal || (exact && !result.certified) { failures += 1 }
            worst = max(worst, result.maximumViolation)
        }
        let name = shape.map(String.init).joined(separator: "x")
        print(String(format: "%-12@ %-7@ %9.1f µs %9.1f µs %9.1f µs   %.1e      %8.0f",
                     name as NSString, (exact ? "exact" : "double") as NSString,
                     percentile(cpu, 0.5) * 1e6, percentile(cpu, 0.9) * 1e6, percentile(wall, 0.5) * 1e6, worst,
                     Double(cpu.count) / cpu.reduce(0, +)))
        if failures > 0 || movedByExact > 0 {
            print("             \(failures) failed or uncertified; \(movedByExact) needed GLPK's rational simplex")
        }
    }
}
if let jsonPath {
    try! (lines.joined(separator: "\n") + "\n").write(toFile: jsonPath, atomically: true, encoding: .utf8)
}
