import Foundation
import Testing
import NormalFormGames
import _EquilibriaTestSupport
@testable import GameGenerators

// Tests of GAMUT's function classes (A.4) and of the formula families (A.5): TravelersDilemma,
// MinimumEffortGame, DispersionGame, BertrandOligopoly, UniformLEG and BidirectionalLEG. Every
// sample is checked against the defining formula, recomputed here from docs/gamut.md.

// MARK: - Helpers

private let testSeed: UInt64 = 0x6A4D_5554_2024

/// The stream of sample `index` of a family and shape.
private func stream(_ family: String, _ shape: [Int], _ index: Int) -> GameRandom {
    GameRandom(seed: testSeed, family: family, actionCounts: shape, index: UInt64(index))
}

/// The coverage tolerance for n iid draws uniform on [lo, hi): the minimum exceeds
/// lo + (hi − lo)·t (and, symmetrically, the maximum stays below hi − (hi − lo)·t) with probability
/// (1 − t)^n. Choosing t = 1 − 10⁻⁶^(1/n) makes that probability exactly 10⁻⁶ per bound
/// (t ≈ 13.8/n for large n); a deterministic seed then makes the test reproducible anyway.
private func coverageTolerance(_ n: Int) -> Double { 1 - pow(1e-6, 1 / Double(n)) }

/// `values` (n iid draws claimed uniform on [lo, hi)) stay in [lo, hi) and reach both ends.
private func expectCovers(_ values: [Double], _ lo: Double, _ hi: Double, _ name: String,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    guard let low = values.min(), let high = values.max() else {
        Issue.record("no values for \(name)", sourceLocation: sourceLocation)
        return
    }
    let slack = (hi - lo) * coverageTolerance(values.count)
    #expect(low >= lo && high < hi, "\(name): range [\(low), \(high)] outside [\(lo), \(hi))", sourceLocation: sourceLocation)
    #expect(low <= lo + slack, "\(name): minimum \(low) of \(values.count) draws not near \(lo)", sourceLocation: sourceLocation)
    #expect(high >= hi - slack, "\(name): maximum \(high) of \(values.count) draws not near \(hi)", sourceLocation: sourceLocation)
}

/// `values` (iid uniform on the integers of `range`) hit every value. For k values and n draws a
/// given value is missed with probability (1 − 1/k)^n; the callers keep k·(1 − 1/k)^n < 10⁻⁶.
private func expectCoversIntegers(_ values: [Int], _ range: ClosedRange<Int>, _ name: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
    let k = Double(range.count)
    #expect(k * pow(1 - 1 / k, Double(values.count)) < 1e-6, "\(name): too few draws for the coverage test",
            sourceLocation: sourceLocation)
    #expect(Set(values) == Set(range), "\(name): drew \(Set(values).sorted()), expected all of \(range)",
            sourceLocation: sourceLocation)
}

/// The 0-based actions of flat joint index `index`, player N fastest (decoded here, independently
/// of the generators' odometer).
private func decode(_ index: Int, _ shape: [Int]) -> [Int] {
    var rest = index
    var actions = [Int](repeating: 0, count: shape.count)
    for p in stride(from: shape.count - 1, through: 0, by: -1) {
        actions[p] = rest % shape[p]
        rest /= shape[p]
    }
    return actions
}

/// Calls `body(actions, payoffVector)` for every joint action of a generated game.
private func forEachProfile(_ payoffs: [Double], _ shape: [Int], _ body: ([Int], [Double]) -> Void) {
    let joint = shape.reduce(1, *)
    #expect(payoffs.count == joint * shape.count)
    for index in 0..<joint {
        body(decode(index, shape), (0..<shape.count).map { payoffs[$0 * joint + index] })
    }
}

/// The number of players on each action.
private func actionCounts(_ actions: [Int], _ a: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: a)
    for x in actions { counts[x] += 1 }
    return counts
}

/// Dense grid on [lo, hi], both ends included.
private func grid(_ lo: Double, _ hi: Double, _ steps: Int = 2000) -> [Double] {
    (0...steps).map { lo + (hi - lo) * Double($0) / Double(steps) }
}

/// A rounding allowance for evaluating f near x: 1e-12 times the largest term's magnitude.
private func roundingAllowance(_ f: GamutFunction, _ x: Double) -> Double {
    switch f.form {
    case .polynomial(let c):
        return 1e-12 * GamutPolynomial.evaluate(c.map(abs), at: abs(x)) + 1e-12
    case .decreasing(let base, let minimum, let baseAtMax):
        return roundingAllowance(base, x) + 1e-12 * (abs(minimum) + abs(baseAtMax))
    default:
        return 1e-12 * (abs(f.eval(x)) + 1)
    }
}

/// The largest decrease of f between consecutive grid points, beyond rounding (≤ 0 when f is
/// non-decreasing on the grid).
private func worstDecrease(_ f: GamutFunction, _ xs: [Double]) -> Double {
    var worst = -Double.infinity
    var previous = f.eval(xs[0])
    guard previous.isFinite else { return .infinity }
    for (x0, x) in zip(xs, xs.dropFirst()) {
        let value = f.eval(x)
        guard value.isFinite else { return .infinity }
        worst = max(worst, previous - value - roundingAllowance(f, x) - roundingAllowance(f, x0))
        previous = value
    }
    return worst
}

/// The domains the generators use: [0, N] (local-effect games), [0, A] (Bertrand demand), and for
/// the slowly increasing classes also Bertrand's cost domain [D(A)/N, 10000]; plus one domain with
/// dMin < 0 for LogFunction's shift. (exp(αx) overflows for x > 709/α, far beyond any [0, N] or
/// [0, A] with N ≤ 100, A ≤ 500.)
private func domains(_ cls: GamutFunctionClass) -> [(Double, Double)] {
    GamutFunctionClass.slowlyIncreasing.contains(cls) ? [(0, 6), (0, 5), (37.5, 10000), (-2, 3)] : [(0, 6), (0, 5), (0, 500), (-2, 3)]
}

/// n functions of a class, cycling through its `domains`.
private func drawFunctions(_ cls: GamutFunctionClass, _ n: Int) -> [GamutFunction] {
    let domains = domains(cls)
    return (0..<n).map { i in
        var random = stream("functions/" + cls.rawValue, [], i)
        let (lo, hi) = domains[i % domains.count]
        return GamutFunction.random(cls, domainMin: lo, domainMax: hi, random: &random)
    }
}

// MARK: - Functions

@Suite("GAMUT function classes")
struct GamutFormulaFunctionTests {
    @Test func exponential() {
        let fs = drawFunctions(.exponential, 2000)
        for f in fs {
            guard case .exponential(let alpha, let beta) = f.form else { Issue.record("wrong form"); continue }
            #expect(f.eval(1.5) == exp(alpha * 1.5) + beta)
            #expect(f.eval(f.domainMax).isFinite)
            #expect(worstDecrease(f, grid(f.domainMin, f.domainMax)) <= 0)
        }
        expectCovers(fs.map { $0.parameters["alpha"]! }, 0, 1, "Exp alpha")
        expectCovers(fs.map { $0.parameters["beta"]! }, -1000, 1000, "Exp beta")
    }

    @Test func logarithm() {
        let fs = drawFunctions(.logarithm, 2000)
        for f in fs {
            guard case .logarithm(let alpha, let shift, let beta) = f.form else { Issue.record("wrong form"); continue }
            #expect(shift == (f.domainMin <= 0 ? 1 - f.domainMin : 0))
            #expect(f.eval(f.domainMax) == alpha * log(f.domainMax + shift) + beta)
            #expect(f.eval(f.domainMin).isFinite)
            #expect(worstDecrease(f, grid(f.domainMin, f.domainMax)) <= 0)
        }
        expectCovers(fs.map { $0.parameters["alpha"]! }, 0, 10, "Log alpha")
        expectCovers(fs.map { $0.parameters["beta"]! }, -1000, 1000, "Log beta")
    }

    @Test func polynomial() {
        let fs = drawFunctions(.polynomial, 2000)
        var coefficients: [Double] = []
        for f in fs {
            let c = f.coefficients!
            #expect(c.count == Int(f.parameters["degree"]!) + 1)
            let x = 0.75 * f.domainMax
            let direct = c.enumerated().reduce(0) { $0 + $1.element * pow(x, Double($1.offset)) }
            #expect(abs(f.eval(x) - direct) <= roundingAllowance(f, x) * 100)
            coefficients += c
        }
        expectCoversIntegers(fs.map { Int($0.parameters["degree"]!) }, 0...10, "Poly degree")
        expectCovers(coefficients, -10, 10, "Poly coefficients")
    }

    @Test func increasingPolynomial() {
        let fs = drawFunctions(.increasingPolynomial, 2000)
        var constants: [Double] = []
        for (i, f) in fs.enumerated() {
            let c = f.coefficients!
            let degree = Int(f.parameters["degree"]!)
            #expect(c.count == degree + 1)
            constants.append(c[0])
            #expect(f.parameters["lift"]! >= 0)
            // The dense checks (slow in debug builds) on the first 600 samples, 150 per domain.
            guard i < 600 else { continue }
            let xs = grid(f.domainMin, f.domainMax, 2000)
            #expect(worstDecrease(f, xs) <= 0, "IncreasingPoly decreases somewhere: \(c) on [\(f.domainMin), \(f.domainMax)]")
            // The derivative itself is non-negative on the domain (up to rounding).
            let derivative = GamutPolynomial.derivative(c)
            let slope = GamutFunction(functionClass: .polynomial, domainMin: f.domainMin, domainMax: f.domainMax,
                                      form: .polynomial(coefficients: derivative.isEmpty ? [0] : derivative))
            let lowest = xs.map { slope.eval($0) + roundingAllowance(slope, $0) }.min()!
            #expect(lowest >= 0, "derivative of \(c) reaches \(lowest)")
        }
        expectCoversIntegers(fs.map { Int($0.parameters["degree"]!) }, 0...10, "IncreasingPoly degree")
        // The constant term is U[−10, 10) for every degree.
        expectCovers(constants, -10, 10, "IncreasingPoly constant term")
    }

    /// The exact minimum of the derivative polynomial: closed-form cases, and never worse than a
    /// dense grid on random polynomials (every candidate is a value taken on the interval, so it is
    /// also never below the true minimum beyond rounding).
    @Test func polynomialMinimumAndRoots() {
        #expect(abs(GamutPolynomial.minimum([4, -2, 1], on: 0...5) - 3) < 1e-12)  // (x−1)² + 3
        #expect(GamutPolynomial.minimum([0, -3, 0, 1], on: -3...3) == -18)  // x³ − 3x at −3
        #expect(abs(GamutPolynomial.minimum([0, -3, 0, 1], on: 0...3) + 2) < 1e-12)  // at x = 1
        let roots = GamutPolynomial.roots([-6, 11, -6, 1], in: 0...4)  // (x−1)(x−2)(x−3)
        #expect(roots.count == 3)
        for (r, e) in zip(roots, [1.0, 2, 3]) { #expect(abs(r - e) < 1e-12) }
        #expect(GamutPolynomial.roots([1, 0, 1], in: -5...5).isEmpty)  // x² + 1

        for i in 0..<500 {
            var random = stream("polynomial-minimum", [], i)
            let degree = random.integer(in: 1...9)
            let c = (0...degree).map { _ in random.uniform(-10, 10) }
            let (lo, hi) = [(0.0, 6.0), (-1.0, 1.0), (0.0, 2.0), (-3.0, 0.5)][i % 4]
            let m = GamutPolynomial.minimum(c, on: lo...hi)
            let dense = grid(lo, hi, 20000).map { GamutPolynomial.evaluate(c, at: $0) }.min()!
            let scale = c.reduce(0) { $0 + abs($1) } * pow(max(abs(lo), abs(hi), 1), Double(degree))
            #expect(m <= dense + 1e-12 * scale, "minimum \(m) above the grid's \(dense) for \(c) on [\(lo), \(hi)]")
        }
    }

    /// Table parameters: P ~ U{2..10000}, M ~ U[−1000, 1000), m ~ U[−1000, M) (so (m + 1000)/(M + 1000)
    /// is U[0, 1)), and GAMUT's lookup rule.
    private func checkTableParameters(_ fs: [GamutFunction], _ name: String) {
        for f in fs {
            let values = f.tableValues!
            let p = Int(f.parameters["points"]!)
            let lo = f.parameters["min"]!, hi = f.parameters["max"]!
            #expect(values.count == p && lo < hi)
            // The lookup rule, at the ends and at interior points.
            #expect(f.eval(f.domainMin - 1) == values[0] && f.eval(f.domainMin) == values[0])
            #expect(f.eval(f.domainMax) == values[p - 1] && f.eval(f.domainMax + 1) == values[p - 1])
            for u in [0.001, 0.3, 0.5, 0.999] {
                let x = f.domainMin + u * (f.domainMax - f.domainMin)
                let k = Int((Double(p) * (x - f.domainMin) / (f.domainMax - f.domainMin)).rounded(.down))
                #expect(f.eval(x) == values[min(k, p - 1)])
            }
        }
        // Points are uniform integers on 2...10000: the same tolerance as for a continuous
        // uniform applies (P(min > 2 + j) = (1 − (j+1)/9999)^n).
        let points = fs.map { $0.parameters["points"]! }
        #expect(points.min()! >= 2 && points.max()! <= 10000)
        #expect(points.min()! <= 2 + 9998 * coverageTolerance(fs.count) && points.max()! >= 10000 - 9998 * coverageTolerance(fs.count))
        expectCovers(fs.map { $0.parameters["max"]! }, -1000, 1000, "\(name) max")
        expectCovers(fs.map { ($0.parameters["min"]! + 1000) / ($0.parameters["max"]! + 1000) }, 0, 1,
                     "\(name) (min + 1000)/(max + 1000)")
    }

    @Test func table() {
        let fs = drawFunctions(.table, 1000)
        checkTableParameters(fs, "Table")
        var relative: [Double] = []
        for f in fs {
            let lo = f.parameters["min"]!, hi = f.parameters["max"]!
            let values = f.tableValues!
            #expect(values.allSatisfy { $0 >= lo && $0 < hi })
            relative.append((values[values.count / 2] - lo) / (hi - lo))
        }
        expectCovers(relative, 0, 1, "Table entries relative to [min, max)")
    }

    @Test func increasingTable() {
        let fs = drawFunctions(.increasingTable, 1000)
        checkTableParameters(fs, "IncreasingTable")
        for f in fs {
            let values = f.tableValues!
            #expect(values.first! == f.parameters["min"]! && values.last! == f.parameters["max"]!)
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "table not non-decreasing")
            #expect(worstDecrease(f, grid(f.domainMin, f.domainMax)) <= 0)
        }
    }

    @Test func concaveTable() {
        let fs = drawFunctions(.concaveTable, 1000)
        checkTableParameters(fs, "ConcaveTable")
        var interiorMaximum = 0
        for f in fs {
            let values = f.tableValues!
            let lo = f.parameters["min"]!, hi = f.parameters["max"]!
            let tolerance = 1e-9 * (hi - lo)
            #expect(abs(values.min()! - lo) <= tolerance && abs(values.max()! - hi) <= tolerance)
            var worst = -Double.infinity
            for i in 1..<max(values.count - 1, 1) { worst = max(worst, values[i + 1] - 2 * values[i] + values[i - 1]) }
            #expect(values.count < 3 || worst <= tolerance, "second difference \(worst) > 0")
            let top = values.firstIndex(of: values.max()!)!
            if top > 0 && top < values.count - 1 { interiorMaximum += 1 }
        }
        // "Typically rising then falling": most tables peak inside.
        #expect(interiorMaximum > fs.count / 2)
    }

    @Test func decreasingWrapper() {
        let fs = drawFunctions(.decreasingWrapper, 2000)
        var bases: [Int] = []
        for f in fs {
            let base = f.base!
            #expect(GamutFunctionClass.increasing.contains(base.functionClass))
            #expect(base.domainMin == f.domainMin && base.domainMax == f.domainMax)
            bases.append(base.functionClass.index)
            #expect(f.eval(f.domainMax) == f.parameters["min"]!)
            #expect(f.eval(f.domainMin).isFinite && f.eval(f.domainMax).isFinite)
            let xs = grid(f.domainMin, f.domainMax, 500)
            // Non-increasing: the negation is non-decreasing.
            let negated = xs.map { -f.eval($0) }
            var worst = -Double.infinity
            for i in 1..<xs.count { worst = max(worst, negated[i - 1] - negated[i] - 2 * roundingAllowance(f, xs[i])) }
            #expect(worst <= 0, "DecreasingWrapper increases somewhere")
            // f(x) = −b(x) + min + b(dMax).
            let x = xs[xs.count / 3]
            #expect(abs(f.eval(x) - (-base.eval(x) + f.parameters["min"]! + base.eval(f.domainMax)))
                    <= 4 * roundingAllowance(f, x) + 1e-9)
        }
        expectCoversIntegers(bases, 2...5, "DecreasingWrapper base class")  // Exp, IncreasingPoly, IncreasingTable, Log
        #expect(GamutFunctionClass.increasing.map(\.index) == [2, 3, 4, 5])
        expectCovers(fs.map { $0.parameters["min"]! }, -1000, 1000, "DecreasingWrapper min")
    }
}

// MARK: - Formula games

@Suite("GAMUT formula games")
struct GamutFormulaGameTests {
    @Test func travelersDilemma() throws {
        var rewards: [Double] = []
        for (players, a) in [(2, 2), (2, 5), (3, 3), (4, 3), (3, 5), (2, 7), (6, 5)] {
            let shape = [Int](repeating: a, count: players)
            let samples = shape.count >= 6 ? 4 : 300
            for i in 0..<samples {
                var random = stream(GamutPreset.travelersDilemma.rawValue, shape, i)
                let game = try GamutPreset.travelersDilemma.generate(actionCounts: shape, random: &random)
                let r = game.parameters["reward"]!
                #expect(r >= 1 && r < Double(a))
                if a == 5 { rewards.append(r) }
                forEachProfile(game.payoffs, shape) { actions, u in
                    let m = actions.min()! + 1
                    let lowest = actions.filter { $0 + 1 == m }.count
                    for p in 0..<shape.count {
                        let expected = Double(m) + (lowest == 1 && actions[p] + 1 == m ? r : 0)
                        #expect(u[p] == expected)
                    }
                }
            }
        }
        expectCovers(rewards, 1, 5, "TD reward with A = 5")
    }

    @Test func minimumEffort() throws {
        var a: [Double] = [], b: [Double] = [], ratio: [Double] = []
        for (players, actions) in [(2, 2), (2, 5), (3, 3), (4, 3), (3, 5), (6, 5)] {
            let shape = [Int](repeating: actions, count: players)
            let samples = players >= 6 ? 4 : 400
            for i in 0..<samples {
                var random = stream(GamutPreset.minimumEffort.rawValue, shape, i)
                let game = try GamutPreset.minimumEffort.generate(actionCounts: shape, random: &random)
                let pa = game.parameters["a"]!, pb = game.parameters["b"]!, pc = game.parameters["c"]!
                #expect(pa >= -100 && pa < 100 && pb >= 0 && pb < 100 && pc >= 0 && pc < pb)
                a.append(pa); b.append(pb); ratio.append(pc / pb)
                forEachProfile(game.payoffs, shape) { acts, u in
                    let m = Double(acts.min()! + 1)
                    for p in 0..<players {
                        let expected = pa + pb * m - pc * Double(acts[p] + 1)
                        #expect(abs(u[p] - expected) <= 1e-12 * 1000)
                    }
                }
            }
        }
        expectCovers(a, -100, 100, "MEG a")
        expectCovers(b, 0, 100, "MEG b")
        expectCovers(ratio, 0, 1, "MEG c/b")
    }

    /// Shannon entropy (bits) of the action-count vector, rounded to 1e-5 as GAMUT does.
    private func entropy(_ counts: [Int], _ n: Int) -> Double {
        let h = counts.filter { $0 > 0 }.reduce(0.0) { h, c in
            let q = Double(c) / Double(n)
            return h - q * log2(q)
        }
        return (h * 1e5).rounded() / 1e5
    }

    @Test func dispersion() throws {
        var lowest: [Double] = [], highest: [Double] = []
        for (players, actions) in [(2, 2), (2, 5), (3, 3), (4, 3), (3, 5), (5, 2), (6, 5)] {
            let shape = [Int](repeating: actions, count: players)
            let samples = players >= 6 ? 6 : 300
            for i in 0..<samples {
                var random = stream(GamutPreset.dispersion.rawValue, shape, i)
                let game = try GamutPreset.dispersion.generate(actionCounts: shape, random: &random)
                var valueOfEntropy: [Double: Double] = [:]
                var consistent = true
                forEachProfile(game.payoffs, shape) { acts, u in
                    #expect(u.allSatisfy { $0 == u[0] }, "not common payoff at \(acts)")
                    #expect(u[0] >= -100 && u[0] < 100)
                    let h = entropy(actionCounts(acts, actions), players)
                    if let v = valueOfEntropy[h], v != u[0] { consistent = false }
                    valueOfEntropy[h] = u[0]
                }
                #expect(consistent, "equal entropies with different payoffs")
                let ordered = valueOfEntropy.sorted { $0.key < $1.key }.map(\.value)
                #expect(zip(ordered, ordered.dropFirst()).allSatisfy { $0 < $1 }, "payoff not strictly increasing in entropy")
                #expect(Double(valueOfEntropy.count) == game.parameters["levels"])
                if players == 6 && actions == 5 { #expect(valueOfEntropy.count == 10) }
                // The lowest/highest level is the min/max of K ≥ 2 iid uniforms, so the coverage
                // bound of a single uniform per game holds a fortiori.
                lowest.append(ordered.first!); highest.append(ordered.last!)
            }
        }
        #expect(lowest.min()! <= -100 + 200 * coverageTolerance(lowest.count))
        #expect(highest.max()! >= 100 - 200 * coverageTolerance(highest.count))
    }

    @Test func bertrandOligopoly() throws {
        var redraws = 0, games = 0
        var costClasses: [Int] = [], baseClasses: [Int] = []
        for (players, actions, samples) in [(2, 3, 2500), (3, 4, 400), (4, 2, 300), (6, 5, 4)] {
            let shape = [Int](repeating: actions, count: players)
            for i in 0..<samples {
                var random = stream(GamutPreset.bertrandOligopoly.rawValue, shape, i)
                let (game, model) = try Gamut.drawBertrandOligopoly(actionCounts: shape, random: &random)
                games += 1
                redraws += game.redraws
                #expect(game.payoffs.allSatisfy { $0.isFinite })
                let cost = model.costFunction, demand = model.demandFunction
                costClasses.append(cost.functionClass.index)
                baseClasses.append(demand.base!.functionClass.index)
                #expect(GamutFunctionClass.slowlyIncreasing.contains(cost.functionClass))
                #expect(demand.functionClass == .decreasingWrapper)
                #expect(game.parameters["cost_func"] == Double(cost.functionClass.index))
                #expect(game.parameters["demand_base_class"] == Double(demand.base!.functionClass.index))
                // The degenerate draws never survive.
                let flatCost = cost.coefficients?.count == 1
                let flatBase = demand.base!.coefficients?.count == 1
                #expect(!(flatCost && cost.coefficients![0] <= 0))
                #expect(!(flatBase && demand.parameters["min"]! <= 0))

                // Demand: D(0) = 10000, non-increasing on [0, A], D(A) = k_D·max(min, 0) ≥ 0.
                let k = BertrandModel.scale
                #expect(abs(model.demand(0) - k) <= 1e-9 * k)
                #expect(model.demand(Double(actions)) >= 0)
                let prices = grid(0, Double(actions), 500).map { model.demand($0) }
                #expect(zip(prices, prices.dropFirst()).allSatisfy { $1 <= $0 + 1e-9 * k })
                // Cost on [D(A)/N, 10000]: C(10000) = 10000, C ≥ 0 and non-decreasing there.
                #expect(abs(cost.domainMin - model.demand(Double(actions)) / Double(players)) <= 1e-9 * k)
                #expect(cost.domainMax == k)
                #expect(abs(model.cost(k) - k) <= 1e-6 * k)
                let costs = grid(cost.domainMin, k, 500).map { model.cost($0) }
                #expect(costs.allSatisfy { $0 >= -1e-6 * k })
                #expect(zip(costs, costs.dropFirst()).allSatisfy { $1 >= $0 - 1e-6 * k })

                // Payoffs: lowest-price firms share the demand, the others get 0.
                forEachProfile(game.payoffs, shape) { acts, u in
                    let price = acts.min()! + 1
                    let firms = acts.filter { $0 + 1 == price }.count
                    let q = max(model.demand(Double(price)), 0) / Double(firms)
                    let profit = Double(price) * q - model.cost(q)
                    for p in 0..<players {
                        let expected = acts[p] + 1 == price ? profit : 0
                        #expect(abs(u[p] - expected) <= 1e-9 * k * Double(actions), "Bertrand payoff at \(acts)")
                    }
                }
            }
        }
        // Redraw rate: a draw fails with probability 1/88 (flat demand base with min < 0) +
        // (87/88)·(1/44) (flat cost below 0) ≈ 0.0338, so redraws per game have mean p/(1 − p) ≈ 0.0350
        // and variance p/(1 − p)² ≈ 0.0375: over 3204 games the mean is ≈ 112 with sd ≈ 11; the
        // bounds below are about 6 sd away.
        #expect(games == 3204)
        #expect(redraws >= 45 && redraws <= 180, "\(redraws) redraws in \(games) Bertrand games")
        // Cost classes: IncreasingPoly (3) and LogFunction (5) only, both drawn.
        #expect(Set(costClasses) == [3, 5])
        expectCoversIntegers(baseClasses, 2...5, "Bertrand demand base class")
    }

    @Test(arguments: [GamutPreset.bertrandOligopoly, .dispersion, .minimumEffort, .travelersDilemma,
                      .uniformLEGComplete, .uniformLEGRandom, .uniformLEGStar,
                      .bidirectionalLEGComplete, .bidirectionalLEGRandom, .bidirectionalLEGStar])
    func determinism(preset: GamutPreset) throws {
        let shape = [3, 3, 3]
        for i in 0..<20 {
            var r1 = GameRandom(seed: 99, family: preset.rawValue, actionCounts: shape, index: UInt64(i))
            var r2 = GameRandom(seed: 99, family: preset.rawValue, actionCounts: shape, index: UInt64(i))
            let g1 = try preset.generate(actionCounts: shape, random: &r1)
            let g2 = try preset.generate(actionCounts: shape, random: &r2)
            #expect(g1.payoffs == g2.payoffs && g1.parameters == g2.parameters && g1.redraws == g2.redraws)
            #expect(g1.payoffs.allSatisfy { $0.isFinite })
            var r3 = GameRandom(seed: 99, family: preset.rawValue, actionCounts: shape, index: UInt64(i + 1000))
            let g3 = try preset.generate(actionCounts: shape, random: &r3)
            #expect(g3.payoffs != g1.payoffs)
        }
    }

    /// A = 1 gives a single joint action everywhere (documented degenerate case), never an error.
    @Test func singleAction() throws {
        for preset in [GamutPreset.bertrandOligopoly, .dispersion, .minimumEffort, .travelersDilemma,
                       .uniformLEGComplete, .uniformLEGStar, .bidirectionalLEGComplete, .bidirectionalLEGStar] {
            var random = stream(preset.rawValue, [1, 1, 1], 0)
            let game = try preset.generate(actionCounts: [1, 1, 1], random: &random)
            #expect(game.payoffs.count == 3 && game.payoffs.allSatisfy { $0.isFinite })
        }
    }
}

// MARK: - Local-effect games

@Suite("GAMUT local-effect games")
struct GamutFormulaLocalEffectTests {
    static let cases: [(GamutPreset, Bool, GamutGraphKind)] = [
        (.uniformLEGComplete, false, .complete), (.uniformLEGRandom, false, .random), (.uniformLEGStar, false, .star),
        (.bidirectionalLEGComplete, true, .complete), (.bidirectionalLEGRandom, true, .random),
        (.bidirectionalLEGStar, true, .star),
    ]

    @Test(arguments: 0..<6)
    func localEffect(caseIndex: Int) throws {
        let (preset, bidirectional, kind) = Self.cases[caseIndex]
        var classes: [Int] = []
        for (players, actions, samples) in [(2, 3, 150), (3, 3, 100), (4, 2, 60), (3, 4, 60), (6, 5, 2)] {
            let shape = [Int](repeating: actions, count: players)
            for i in 0..<samples {
                var random = stream(preset.rawValue, shape, i)
                let (game, model) = try Gamut.drawLocalEffectGame(actionCounts: shape, bidirectional: bidirectional,
                                                                  graph: kind, random: &random)
                // The public route gives the same game from the same stream.
                if i < 3 {
                    var again = stream(preset.rawValue, shape, i)
                    #expect(try preset.generate(actionCounts: shape, random: &again).payoffs == game.payoffs)
                }
                #expect(game.payoffs.allSatisfy { $0.isFinite })
                let graph = model.graph
                #expect(graph.nodeCount == actions)
                checkGraph(graph, kind, game.parameters)

                // One class for the whole game; every function on [0, N].
                let cls = model.functionClass
                classes.append(cls.index)
                #expect(game.parameters["func"] == Double(cls.index))
                let all = model.nodeFunctions + model.neighbourFunctions.flatMap { $0 }
                #expect(all.allSatisfy { $0.functionClass == cls && $0.domainMin == 0 && $0.domainMax == Double(players) })
                #expect(model.nodeFunctions.count == actions)
                #expect(zip(model.neighbourFunctions, graph.neighbors).allSatisfy { $0.count == $1.count })
                checkNeighbourFunctions(model, players: players)

                // The payoff formula, recomputed: u_i = −(f_k(D_k) + Σ_{j ~ k} g_{k,j}(D_j)), k = a_i.
                // And anonymity/locality, independently of the functions: the payoff is a function of
                // (own action, counts on the action's closed neighbourhood) only, the same for every
                // player (so permuting players permutes payoffs).
                var table: [[Int]: Double] = [:]
                var local = true
                forEachProfile(game.payoffs, shape) { acts, u in
                    let counts = actionCounts(acts, actions)
                    for p in 0..<players {
                        let k = acts[p]
                        var cost = model.nodeFunctions[k].eval(Double(counts[k]))
                        for (t, j) in graph.neighbors[k].enumerated() {
                            cost += model.neighbourFunctions[k][t].eval(Double(counts[j]))
                        }
                        #expect(abs(u[p] + cost) <= 1e-12 * (abs(cost) + 1000), "LEG payoff at \(acts)")
                        let key = [k, counts[k]] + graph.neighbors[k].sorted().map { counts[$0] }
                        if let v = table[key], v != u[p] { local = false }
                        table[key] = u[p]
                    }
                }
                #expect(local, "LEG payoff depends on more than the own action's neighbourhood counts")
                checkAnonymity(game.payoffs, shape)
            }
        }
        expectCoversIntegers(classes, 0...7, "LEG function class")
    }

    /// The graph of the preset on the actions: complete, star around action 1 (node 0), or a
    /// random graph with the recorded number m ∈ [1, A(A−1)/2] of edges.
    private func checkGraph(_ graph: GamutGraph, _ kind: GamutGraphKind, _ parameters: [String: Double]) {
        let a = graph.nodeCount
        for i in 0..<a {
            #expect(!graph.hasEdge(i, i))
            for j in 0..<a where j != i {
                #expect(graph.hasEdge(i, j) == graph.hasEdge(j, i))
                switch kind {
                case .complete: #expect(graph.hasEdge(i, j))
                case .star: #expect(graph.hasEdge(i, j) == (i == 0 || j == 0))
                default: break
                }
            }
            #expect(Set(graph.neighbors[i]).count == graph.neighbors[i].count)
        }
        if kind == .random {
            let m = parameters["edges"] ?? -1
            #expect(m >= 1 && m <= Double(a * (a - 1) / 2) && Double(graph.edgeCount) == m)
        }
    }

    /// UniformLEG: g_{k,j} is the same function e_j for every neighbour k of j; BidirectionalLEG:
    /// g_{k,j} = g_{j,k}. Functions are compared by their values at the counts 0…N.
    private func checkNeighbourFunctions(_ model: LocalEffectModel, players: Int) {
        func values(_ f: GamutFunction) -> [Double] { (0...players).map { f.eval(Double($0)) } }
        let graph = model.graph
        var byTarget: [Int: [Double]] = [:]
        for k in 0..<graph.nodeCount {
            for (t, j) in graph.neighbors[k].enumerated() {
                let v = values(model.neighbourFunctions[k][t])
                if model.bidirectional {
                    let back = graph.neighbors[j].firstIndex(of: k)!
                    #expect(values(model.neighbourFunctions[j][back]) == v, "h_kj differs from h_jk")
                } else {
                    if let previous = byTarget[j] { #expect(previous == v, "effect of action \(j) differs by neighbour") }
                    byTarget[j] = v
                }
            }
        }
    }

    /// Anonymity: swapping two players' actions swaps their payoffs and leaves the others' unchanged.
    private func checkAnonymity(_ payoffs: [Double], _ shape: [Int]) {
        let n = shape.count, joint = shape.reduce(1, *)
        let layout = JointActionLayout(shape)
        for index in 0..<joint {
            let acts = decode(index, shape)
            for i in 0..<n {
                for j in (i + 1)..<n where acts[i] != acts[j] {
                    var swapped = acts
                    swapped.swapAt(i, j)
                    let other = layout.index(of: swapped)
                    for p in 0..<n {
                        let q = p == i ? j : (p == j ? i : p)
                        if payoffs[p * joint + index] != payoffs[q * joint + other] {
                            Issue.record("anonymity fails at \(acts), players \(i + 1) and \(j + 1)")
                            return
                        }
                    }
                }
            }
        }
    }
}

// MARK: - GAMUT's affine normalisation at the limits of the doubles

@Suite struct GamutNormalizationLimitTests {
    /// A range whose width overflows (−1e308 … 1e308) is refused, never written as ±inf.
    @Test func rangesWhoseWidthOverflowsAreRefused() {
        let request = GenerationRequest(distribution: .gamut(.covariant), actionCounts: [2, 2], seed: 1,
                                        gamutRange: (low: -1e308, high: 1e308))
        #expect(throws: GeneratorError.self) { try request.validate() }
        #expect(throws: GeneratorError.self) { try Gamut.normalize([0, 1], low: -1e308, high: 1e308) }
        #expect(throws: GeneratorError.self) { try Gamut.normalize([0, 1], low: .nan, high: 1) }
    }

    /// Payoffs spanning more than the largest double map onto [low, high] exactly at the ends,
    /// monotonically, and finite; within range the formula is GAMUT's own.
    @Test func payoffsSpanningBeyondTheLargestDoubleStayFinite() throws {
        let payoffs = [-1.5e308, -1, 0, 1, 1.7e308]
        let mapped = try Gamut.normalize(payoffs, low: 0, high: 1)
        #expect(mapped.first == 0 && mapped.last == 1)
        #expect(mapped.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(zip(mapped, mapped.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(try Gamut.normalize([2, 4, 3], low: -1, high: 1) == [-1, 1, 0])
    }
}
