// MWMRE (ME preset: uniform target, ε̂ = 0, μ = 0) on L2-invariant games, Newton and L-BFGS-B.
//
//   cd Benchmarks && swift run -c release mwmre-benchmark [games] [rho]
import EquilibriumSolvers
import GameGenerators
import Foundation
import NormalFormGames

func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func percentile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(q * Double(sorted.count - 1) + 0.5))]
}

let arguments = Array(CommandLine.arguments.dropFirst())
let count = arguments.first.flatMap(Int.init) ?? 200
let rho = arguments.count > 1 ? (arguments[1] == "inf" ? Double.infinity : Double(arguments[1])!) : 1000
print("ME CE (uniform target, ε̂ = 0, ε⁺ = √|A|, μ = 0, ρ = \(rho)) on L2-invariant games, \(count) per shape")
print("shape     method         median CPU    p90 CPU   max KKT    max gap    not converged  mean iterations")
for shape in [[8, 8], [4, 4, 4], [16, 16], [6, 6, 6]] {
    let request = GenerationRequest(distribution: .invariant(.l2), actionCounts: shape, seed: 7)
    let games = (0..<count).map { try! NormalFormGame(actionCounts: shape, payoffs: request.game(at: $0).payoffs) }
    for method in [MWMREMethod.newton, .lbfgsb] {
        if method == .lbfgsb && shape.reduce(1, *) > 100 { continue }
        var times: [Double] = []
        var worstKKT = 0.0, worstGap = 0.0
        var failures = 0
        var iterations = 0
        for game in games {
            let n = game.playerCount
            let parameters = MWMREParameters(
                concept: .correlated, epsilonTarget: Array(repeating: 0, count: n),
                epsilonCap: Array(repeating: Double(game.jointActionCount).squareRoot(), count: n), rho: rho)
            let t0 = threadCPUTime()
            let result = try! MWMRESolver.solve(game: game, parameters: parameters, method: method)
            times.append(threadCPUTime() - t0)
            if result.status != .optimal { failures += 1 }
            iterations += result.iterations
            worstKKT = max(worstKKT, result.kktResidual)
            worstGap = max(worstGap, result.certifiedGap ?? .infinity)
        }
        print(String(format: "%-9@ %-12@ %9.1f µs %9.1f µs  %.1e   %.1e   %d             %.1f",
                     shape.map(String.init).joined(separator: "x") as NSString, method.rawValue as NSString,
                     percentile(times, 0.5) * 1e6, percentile(times, 0.9) * 1e6, worstKKT, worstGap, failures,
                     Double(iterations) / Double(games.count)))
    }
}
