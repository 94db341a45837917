// Where the exact path of the max-welfare CE spends its time, per phase.
//
//   cd Benchmarks && swift build -c release && .build/release/exact-benchmark [games-8x8] [games-16x16]
//
// Games: L2-invariant (GenerationRequest(distribution: .invariant(.l2), seed: 7)), normalised per
// player as in the bench target, plus the decimal-valued Fixtures (../Fixtures/*.json, exact
// decimals). Programs: EquilibriumLP.program (max-welfare CE over rationals). Phases, each timed
// in thread CPU time on the same program and basis:
//   double     GLPK's double simplex from scratch (the basis the exact path starts from)
//   basic      basicSolution: the rational re-solve of that basis (x and y)
//   certify    certify(x:rowDuals:): A x, c − Aᵀy, the bounds and the dual bound
//   finish     activities(x) and reducedCosts(y) as the exact solution reports them
//   total      solveExactly(): everything, glp_exact included when the basis is not exactly optimal
//   solve      EquilibriumLP.solve(exact: true): the whole request (scaling, mapping back)
// The side-by-side comparison of the BigInt, GMP and FLINT backends that chose GMP is this
// target at commit bcc54c0 (docs/benchmarks-exact.md).
import EquilibriumSolvers
import BenchmarkSupport
import Foundation
import GameFormats
import GameGenerators
import LinearProgramming
import NormalFormGames

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let t0 = threadCPUTime()
    let value = try body()
    return (value, threadCPUTime() - t0)
}

func doubleProgram(_ p: LinearProgram<Rational>) -> LinearProgram<Double> {
    func bounds(_ b: LPBounds<Rational>) -> LPBounds<Double> {
        LPBounds(lower: b.lower?.doubleValue, upper: b.upper?.doubleValue)
    }
    var d = LinearProgram<Double>(direction: p.direction == .maximize ? .maximize : .minimize,
                                  objective: p.objective.map(\.doubleValue), columnBounds: p.columnBounds.map(bounds))
    for i in 0..<p.rowCount { d.addRow(p.row(i).map { ($0.0, $0.1.doubleValue) }, bounds: bounds(p.rowBounds[i])) }
    return d
}

struct Phases {
    var double: [Double] = [], basic: [Double] = [], certify: [Double] = [], finish: [Double] = []
    var total: [Double] = [], solve: [Double] = []
    var basisSizes: [Double] = [], denominatorBits: [Double] = []
    var exactSimplex = 0, uncertified = 0
}

func measure(_ games: [NormalFormGame]) -> Phases {
    var phases = Phases()
    for game in games {
        let p = try! EquilibriumLP.program(game: game, concept: .correlated, selection: .maximumWelfare,
                                           epsilon: Array(repeating: .zero, count: game.playerCount))
        let d = doubleProgram(p)
        let (solution, tDouble) = timed { try! d.solve() }
        guard let basis = solution.basis else { continue }
        let (xy, tBasic) = timed { p.basicSolution(basis) }
        phases.double.append(tDouble)
        phases.basic.append(tBasic)
        phases.basisSizes.append(Double(basis.columns.filter { $0 == .basic }.count))
        if let (x, y) = xy {
            let (_, tCertify) = timed { p.certify(x: x, rowDuals: y) }
            let (_, tFinish) = timed { (p.activities(x), p.reducedCosts(y)) }
            phases.certify.append(tCertify)
            phases.finish.append(tFinish)
            phases.denominatorBits.append(Double(x.map { $0.denominator.bitWidth }.max() ?? 0))
        }
        let (exact, tTotal) = timed { try! p.solveExactly() }
        phases.total.append(tTotal)
        if exact.method == "exact-simplex" { phases.exactSimplex += 1 }
        if !exact.certified { phases.uncertified += 1 }
        let (_, tSolve) = timed { try! EquilibriumLP.solve(game: game, concept: .correlated, exact: true) }
        phases.solve.append(tSolve)
    }
    return phases
}

func report(_ name: String, _ phases: Phases) {
    print("\(name): \(phases.total.count) games; basis size median \(Int(percentile(phases.basisSizes, 0.5))), "
          + "max \(Int(phases.basisSizes.max() ?? 0)); largest denominator of x median "
          + "\(Int(percentile(phases.denominatorBits, 0.5))) bits; \(phases.exactSimplex) needed glp_exact, "
          + "\(phases.uncertified) uncertified")
    print("  phase        median       p90          max")
    for (label, values) in [("double", phases.double), ("basic", phases.basic), ("certify", phases.certify),
                            ("finish", phases.finish), ("total", phases.total), ("solve", phases.solve)] {
        guard !values.isEmpty else { continue }
        print(String(format: "  %-9@ %9.1f µs %9.1f µs %9.1f µs", label as NSString, percentile(values, 0.5) * 1e6,
                     percentile(values, 0.9) * 1e6, values.max()! * 1e6))
    }
}

func l2Games(_ shape: [Int], count: Int) -> [NormalFormGame] {
    let request = GenerationRequest(distribution: .invariant(.l2), actionCounts: shape, seed: 7)
    return (0..<count).map { i in
        try! NormalFormGame(actionCounts: shape, payoffs: try! request.game(at: i).payoffs).l2Normalized().game
    }
}

let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
let small = arguments.first ?? 100
let large = arguments.dropFirst().first ?? 20
print("max-welfare CE, exact path by phase (thread CPU time), release build")
report("8x8", measure(l2Games([8, 8], count: small)))
report("16x16", measure(l2Games([16, 16], count: large)))
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Fixtures")
let files = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
let fixtureGames = files.map { try! GameFile.read(path: fixtures.appendingPathComponent($0).path) }
report("fixtures", measure(fixtureGames))
