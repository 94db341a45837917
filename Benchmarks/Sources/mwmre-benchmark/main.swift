// MWMRE by shape, concept and preset on L2-invariant games (the games of `equilibria generate
// --family l2 --seed 7`, normalised), with the problems solved written out so that
// peers/mwmre_sizes.py solves the very same duals.
//
//   cd Benchmarks && swift build -c release --product mwmre-benchmark
//   .build/release/mwmre-benchmark --shape 16x16 --concept ce --preset MS --games 10 [--method newton]
//                                  [--passes 3] [--out FILE.npz]
//
// Time: thread CPU time of each solve call (the median over --passes passes per game).
// Preset parts that are sampled (the eps- presets' ε̂, a welfare) come from seed 1000 + i for game i.
import EquilibriumSolvers
import BenchmarkSupport
import Foundation
import GameGenerators
import NormalFormGames
import NumPyFiles

func fail(_ message: String) -> Never {
    FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
    exit(64)
}

var shape = [16, 16]
var concept = EquilibriumConcept.correlated
var preset = MWMREPreset.maximumEntropy
var count = 10
var method = MWMREMethod.newton
var passes = 1
var out: String?
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let name = arguments.removeFirst()
    guard let value = arguments.first else { fail("\(name) needs a value") }
    arguments.removeFirst()
    switch name {
    case "--shape": shape = value.split(separator: "x").map { Int($0) ?? 0 }
    case "--concept": concept = EquilibriumConcept(rawValue: value) ?? { fail("unknown concept \(value)") }()
    case "--preset": preset = MWMREPreset(rawValue: value) ?? { fail("unknown preset \(value)") }()
    case "--games": count = Int(value) ?? 0
    case "--method": method = MWMREMethod(rawValue: value) ?? { fail("unknown method \(value)") }()
    case "--passes": passes = max(1, Int(value) ?? 1)
    case "--out": out = value
    default: fail("unknown option \(name)")
    }
}

let request = GenerationRequest(distribution: .invariant(.l2), actionCounts: shape, seed: 7)
let joint = shape.reduce(1, *)
var times: [Double] = [], iterations: [Int64] = [], kkt: [Double] = [], gaps: [Double] = [], status: [Int64] = []
var payoffs: [Double] = [], targets: [Double] = [], epsHat: [Double] = [], epsCap: [Double] = []
var welfare: [Double] = [], mu: [Double] = [], rho: [Double] = [], objective: [Double] = []
for i in 0..<count {
    let raw = try! NormalFormGame(actionCounts: shape, payoffs: try! request.game(at: i).payoffs)
    let game = raw.l2Normalized().game
    let definition = MWMREProblem(concept: concept, preset: preset, seed: UInt64(1000 + i), samplesMissingWelfare: true)
    let parameters = try! definition.instance(of: .init(game: game, isNormalized: true)).parameters
    var samples: [Double] = []
    var result: MWMREResult?
    for _ in 0..<passes {
        let t0 = threadCPUTime()
        result = try! MWMRESolver.solve(game: game, parameters: parameters, method: method)
        samples.append(threadCPUTime() - t0)
    }
    let r = result!
    times.append(samples.sorted()[samples.count / 2])
    iterations.append(Int64(r.iterations))
    kkt.append(r.kktResidual)
    gaps.append(r.certifiedGap ?? .nan)
    status.append(r.status == .optimal ? 0 : 1)
    objective.append(r.primalObjective)
    payoffs += game.payoffs
    targets += parameters.target ?? Array(repeating: 1 / Double(joint), count: joint)
    epsHat += parameters.epsilonTarget
    epsCap += parameters.epsilonCap
    welfare += parameters.welfare ?? Array(repeating: 0, count: joint)
    mu.append(parameters.mu)
    rho.append(parameters.rho)
    print(String(format: "game %3d  %10.2f ms  %4d iterations  KKT %.1e  gap %.1e  %@", i, times.last! * 1e3,
                 r.iterations, r.kktResidual, r.certifiedGap ?? .nan, r.status.rawValue as NSString))
}
let sorted = times.sorted()
print(String(format: "%@ %@ %@ %@: median %.3f ms, mean iterations %.1f, max KKT %.1e, max gap %.1e, %d not optimal",
             shape.map(String.init).joined(separator: "x") as NSString, concept.rawValue as NSString,
             preset.rawValue as NSString, method.rawValue as NSString, sorted[sorted.count / 2] * 1e3,
             Double(iterations.reduce(0, +)) / Double(count), kkt.max() ?? 0, gaps.max() ?? 0,
             status.filter { $0 != 0 }.count))
if let out {
    let n = shape.count
    let arrays: [(name: String, array: NumPyArray)] = [
        ("payoffs", NumPyArray(float64: payoffs, shape: [count, n] + shape)),
        ("target", NumPyArray(float64: targets, shape: [count, joint])),
        ("eps_hat", NumPyArray(float64: epsHat, shape: [count, n])),
        ("eps_cap", NumPyArray(float64: epsCap, shape: [count, n])),
        ("welfare", NumPyArray(float64: welfare, shape: [count, joint])),
        ("mu", NumPyArray(float64: mu, shape: [count])),
        ("rho", NumPyArray(float64: rho, shape: [count])),
        ("time", NumPyArray(float64: times, shape: [count])),
        ("iterations", NumPyArray(int64: iterations, shape: [count])),
        ("kkt", NumPyArray(float64: kkt, shape: [count])),
        ("gap", NumPyArray(float64: gaps, shape: [count])),
        ("objective", NumPyArray(float64: objective, shape: [count])),
        ("status", NumPyArray(int64: status, shape: [count])),
    ]
    do {
        try NumPyArchive.write(arrays, to: URL(fileURLWithPath: out))
    } catch {
        fail("cannot write \(out): \(error)")
    }
}
