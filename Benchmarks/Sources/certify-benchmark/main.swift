// The cost of a rigorous certificate: each game's max-welfare CE solved in doubles, then solved
// again with `certify: true`, on the same L2 games `equilibria batch --family l2` generates.
//
//   cd Benchmarks && swift run -c release certify-benchmark [games] [--actions 8,16] [--concept cce] [--list-fallbacks]
//
// Times are per-game thread CPU time. The ratio is total certified time over total double time,
// which is what `batch --certify` costs over `batch` in solving (generation and writing excluded).
// Each method's share of the extra time says where the rest of the cost lies; --list-fallbacks
// names every game the floating-point enclosure did not decide (its index in the L2 stream).
import EquilibriumSolvers
import BenchmarkSupport
import Foundation
import GameGenerators
import NormalFormGames

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
let sizes = (option("--actions") ?? "8,16").split(separator: ",").compactMap { Int($0) }
let concept: EquilibriumConcept = option("--concept") == "cce" ? .coarseCorrelated : .correlated
let listFallbacks = arguments.contains("--list-fallbacks")
arguments.removeAll { $0 == "--list-fallbacks" }
let count = arguments.first.flatMap(Int.init) ?? 1000

print("max-welfare \(concept == .correlated ? "CE" : "CCE"), L2 games (seed 1), thread CPU time per game")
for n in sizes {
    let games = max(10, n <= 8 ? count : count / 10)
    let request = GenerationRequest(distribution: .invariant(.l2), actionCounts: [n, n], seed: 1)
    var plain: [Double] = [], certified: [Double] = []
    var extraByMethod: [String: (games: Int, seconds: Double, worst: Double)] = [:]
    var uncertified = 0
    for i in 0..<games {
        let game = try NormalFormGame(actionCounts: [n, n], payoffs: request.game(at: i).payoffs)
        var start = threadCPUTime()
        _ = try EquilibriumLP.solve(game: game, concept: concept)
        let tPlain = threadCPUTime() - start
        start = threadCPUTime()
        let r = try EquilibriumLP.solve(game: game, concept: concept, certify: true)
        let tCertified = threadCPUTime() - start
        plain.append(tPlain)
        certified.append(tCertified)
        let method = r.certification?.certified == true ? r.certification!.method : "not certified"
        if r.certification?.certified != true { uncertified += 1 }
        if listFallbacks, method != "floating-point enclosure" {
            print(String(format: "    game %d: %@, %.1f ms", i, method as NSString, tCertified * 1e3))
        }
        var entry = extraByMethod[method] ?? (0, 0, 0)
        entry.games += 1
        entry.seconds += tCertified - tPlain
        entry.worst = max(entry.worst, tCertified)
        extraByMethod[method] = entry
    }
    let totalPlain = plain.reduce(0, +), totalCertified = certified.reduce(0, +)
    print(String(format: "%d×%d, %d games: double %.1f µs, certified %.1f µs (medians); totals %.3f s / %.3f s; ratio %.2f×",
                 n, n, games, percentile(plain, 0.5) * 1e6, percentile(certified, 0.5) * 1e6,
                 totalPlain, totalCertified, totalCertified / totalPlain))
    let extra = totalCertified - totalPlain
    for (method, entry) in extraByMethod.sorted(by: { $0.value.seconds > $1.value.seconds }) {
        print(String(format: "    %@: %d games, %5.1f%% of the extra time, worst %.1f ms",
                     method as NSString, entry.games, 100 * entry.seconds / extra, entry.worst * 1e3))
    }
    if uncertified > 0 { print("    \(uncertified) games not certified") }
}
