// Games per second for every family, 3 players × 3 actions and 2 players × 8 actions.
//   cd Benchmarks && swift run -c release generation-benchmark [games]
import Foundation
import GameGenerators

func cpu() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 2000
print("family                 3 players x 3 actions   2 players x 8 actions   (games/s, one thread, \(count) games)")
for distribution in GameDistribution.all {
    var line = distribution.name.padding(toLength: 22, withPad: " ", startingAt: 0)
    for shape in [[3, 3, 3], [8, 8]] {
        let request = GenerationRequest(distribution: distribution, actionCounts: shape, seed: 1)
        _ = try? request.game(at: 0)  // warm caches (Z_m estimates)
        let start = cpu()
        var made = 0
        for i in 0..<count { if (try? request.game(at: i)) != nil { made += 1 } }
        let elapsed = cpu() - start
        line += String(format: " %22.0f ", Double(made) / elapsed)
    }
    print(line)
}
