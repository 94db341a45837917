import EquilibriumSolvers
import Foundation
import LinearProgramming
import NormalFormGames

enum LPOutcome {
    case result(EquilibriumLPResult)
    case error(String)

    var result: EquilibriumLPResult? { if case .result(let r) = self { return r } else { return nil } }
    var status: String {
        switch self {
        case .result(let r): return r.status.rawValue
        case .error: return "error"
        }
    }
}

enum MWMREOutcome {
    case result(MWMREResult)
    case error(String)

    var result: MWMREResult? { if case .result(let r) = self { return r } else { return nil } }
    var status: String {
        switch self {
        case .result(let r): return r.status.rawValue
        case .error: return "error"
        }
    }
}

/// The answer to "is this ε feasible?" for the base game, from facts checked here.
enum FeasibilityDecision {
    case feasible(String)
    case infeasible(String)
    case undecided(String)
}

/// Runs one case: every planned solve, its checks, and the comparisons between solves.
final class CaseRunner {
    let setup: CaseSetup
    private(set) var report: CaseReport
    private let progress: (String) -> Void
    private var lpOutcomes: [String: LPOutcome] = [:]
    private var mwmreOutcomes: [String: MWMREOutcome] = [:]
    private var tables: [String: GainTable<Double>] = [:]
    private var decisions: [String: FeasibilityDecision] = [:]
    private var auxiliary: [String: LPOutcome] = [:]
    /// max([−g]⁺ / mean range, α|g|) recomputed from the duals: comparable across scales.
    private var scaleFreeKKT: [String: Double] = [:]

    init(setup: CaseSetup, progress: @escaping (String) -> Void = { _ in }) {
        self.setup = setup
        self.progress = progress
        report = CaseReport(index: setup.plan.index, family: setup.plan.family.rawValue, summary: setup.plan.summary)
    }

    // MARK: - Recording

    private func find(_ kind: String, _ label: String, _ message: String) {
        report.findings.append(Finding(kind: kind, label: label, message: message))
    }

    private func note(_ kind: String, _ label: String, _ message: String) {
        report.notes.append(Finding(kind: kind, label: label, message: message))
    }

    private static func f(_ x: Double) -> String { String(format: "%.6g", x) }

    // MARK: - Solving

    private func timed<T>(_ label: String, _ body: () -> T) -> T {
        progress(label)
        let start = ContinuousClock.now
        let value = body()
        let elapsed = ContinuousClock.now - start
        report.solves += 1
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        report.solveSeconds.append(seconds)
        if seconds > 5 { note(NoteKind.slow, label, String(format: "one solve took %.1f s", seconds)) }
        return value
    }

    private func solveLP(_ spec: SolveSpec, _ request: LPRequest) -> LPOutcome {
        timed(spec.label) {
            do {
                let concept: EquilibriumConcept = request.ce ? .correlated : .coarseCorrelated
                let result = try EquilibriumLP.solve(
                    game: spec.game, concept: concept, selection: request.selection,
                    epsilon: request.epsilon.map { Rational($0) }, exact: request.exact, optimalFace: request.optimalFace,
                    exactTimeLimit: .seconds(3), support: request.support)
                return .result(result)
            } catch {
                return .error(String(describing: error))
            }
        }
    }

    private func solveMWMRE(_ spec: SolveSpec, _ request: MWMRERequest) -> MWMREOutcome {
        timed(spec.label) {
            do {
                let result = try MWMRESolver.solve(game: request.solveGame, parameters: request.parameters,
                                                   method: request.method, tolerance: request.tolerance)
                return .result(result)
            } catch {
                return .error(String(describing: error))
            }
        }
    }

    func run() -> CaseReport {
        for spec in setup.specs {
            switch spec.request {
            case .lp(let request):
                let outcome = solveLP(spec, request)
                lpOutcomes[spec.label] = outcome
                checkLP(spec, request, outcome)
            case .mwmre(let request):
                let outcome = solveMWMRE(spec, request)
                mwmreOutcomes[spec.label] = outcome
                checkMWMRE(spec, request, outcome)
            }
        }
        compare()
        return report
    }

    // MARK: - Shared facts

    private func table(_ key: String, _ data: GameData, ce: Bool) -> GainTable<Double> {
        let k = key + (ce ? ":ce" : ":cce")
        if let t = tables[k] { return t }
        let t = GainTable(shape: data.shape, payoffs: data.payoffs, ce: ce)
        tables[k] = t
        return t
    }

    /// ε of a solve's problem in the base game's units and order, and its support in base order.
    private func toBase(_ spec: SolveSpec, epsilon: [Double], support: [Bool]?) -> ([Double], [Bool]?) {
        switch spec.relation {
        case .base, .auxiliary, .exact(of: "base"), .reference(of: "base"):
            return (epsilon, support)
        case .scaled, .exact(of: "scaled"), .reference(of: "scaled"):
            return (zip(epsilon, setup.scales).map { $0 / $1 }, support)
        case .permuted:
            var e = [Double](repeating: 0, count: epsilon.count)
            for (i, q) in setup.plan.permutation!.players.enumerated() { e[q] = epsilon[i] }
            var s: [Bool]?
            if let support {
                var b = [Bool](repeating: false, count: support.count)
                for (a, old) in setup.permutedOldIndex!.enumerated() { b[old] = support[a] }
                s = b
            }
            return (e, s)
        default:
            return (epsilon, support)
        }
    }

    /// σ of a solve in base indexing (for witnesses), when it has one.
    private func baseSigma(_ label: String, _ sigma: [Double]) -> [Double]? {
        guard let spec = setup.spec(label) else { return sigma }
        switch spec.relation {
        case .permuted:
            var s = [Double](repeating: 0, count: sigma.count)
            for (a, old) in setup.permutedOldIndex!.enumerated() { s[old] = sigma[a] }
            return s
        default:
            return sigma
        }
    }

    private func witnesses() -> [(String, [Double])] {
        var list: [(String, [Double])] = []
        for (label, o) in lpOutcomes {
            if let r = o.result, r.status.rawValue == "optimal", r.joint.count == setup.base.joint, Oracle.allFinite(r.joint),
               let s = baseSigma(label, r.joint) { list.append((label, s)) }
        }
        for (key, o) in auxiliary {
            let label = String(key.prefix { $0 != " " })
            if let r = o.result, r.status.rawValue == "optimal", r.joint.count == setup.base.joint, Oracle.allFinite(r.joint) {
                list.append((label, r.joint))
            }
        }
        for (label, o) in mwmreOutcomes {
            if let r = o.result, r.status.rawValue == "optimal", r.joint.count == setup.base.joint, Oracle.allFinite(r.joint),
               let s = baseSigma(label, r.joint) { list.append((label, s)) }
        }
        return list.sorted { $0.0 < $1.0 }
    }

    /// Decides whether the base game has a (C)CE with gains ≤ ε_p (on a support), from a
    /// witness σ that satisfies every constraint with margin, or a Farkas certificate
    /// min_a (Aᵀy)_a > yᵀε built from the duals of the minimum-ε LPs.
    private func decide(ce: Bool, epsilon: [Double], support: [Bool]?) -> FeasibilityDecision {
        let key = "\(ce) \(epsilon) \(support.map { $0.map { $0 ? "1" : "0" }.joined() } ?? "")"
        if let d = decisions[key] { return d }
        let data = setup.base
        let t = table("base", data, ce: ce)
        let ranges = (0..<data.players).map { max(data.range(of: $0), 1e-300) }
        func margin(_ sigma: [Double]) -> Double {
            if let support, sigma.indices.contains(where: { !support[$0] && sigma[$0] > 0 }) { return .infinity }
            let g = t.expected(sigma)
            var worst = -Double.infinity
            for i in 0..<t.rowCount { worst = max(worst, (g[i] - epsilon[t.rowPlayer[i]]) / ranges[t.rowPlayer[i]]) }
            if t.rowCount == 0 { worst = -1 }
            return worst
        }
        func farkas(_ alpha: [Double], perPlayer: Bool) -> Bool {
            guard alpha.count == t.rowCount, alpha.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return false }
            var sums = [Double](repeating: 0, count: data.players)
            for i in 0..<t.rowCount { sums[perPlayer ? t.rowPlayer[i] : 0] += alpha[i] }
            var y = alpha
            for i in 0..<t.rowCount {
                let s = sums[perPlayer ? t.rowPlayer[i] : 0]
                y[i] = s > 0 ? alpha[i] / s : 0
            }
            let z = t.transposeTimes(y)
            var lowest = Double.infinity
            for a in 0..<data.joint where support?[a] ?? true { lowest = min(lowest, z[a]) }
            var rhs = CompensatedSum()
            var size = 0.0
            for i in 0..<t.rowCount {
                rhs.add(y[i] * epsilon[t.rowPlayer[i]])
                size += y[i] * ranges[t.rowPlayer[i]]
            }
            return size > 0 && lowest - rhs.value > 1e-7 * size
        }
        let threshold = -1e-7
        for (label, sigma) in witnesses() where margin(sigma) <= threshold {
            let d = FeasibilityDecision.feasible("σ of solve '\(label)' satisfies every constraint with margin")
            decisions[key] = d
            return d
        }
        var decision = FeasibilityDecision.undecided("no witness and no Farkas certificate with margin")
        for perPlayer in [false, true] {
            let spec = setup.auxiliarySpec(perPlayer: perPlayer, ce: ce, support: support)
            let auxKey = spec.label + " " + key
            let outcome: LPOutcome
            if let o = auxiliary[auxKey] {
                outcome = o
            } else {
                guard case .lp(let request) = spec.request else { continue }
                outcome = solveLP(spec, request)
                auxiliary[auxKey] = outcome
                checkLP(spec, request, outcome, decideInfeasible: false)
            }
            guard let r = outcome.result, r.status.rawValue == "optimal" else { continue }
            if r.joint.count == data.joint && Oracle.allFinite(r.joint) && margin(r.joint) <= threshold {
                decision = .feasible("σ of the minimum-ε LP (\(spec.label)) satisfies every constraint with margin")
                break
            }
            if farkas(r.duals, perPlayer: perPlayer) {
                decision = .infeasible("duals of \(spec.label) prove infeasibility")
                break
            }
        }
        decisions[key] = decision
        return decision
    }

    // MARK: - LP checks

    private func checkLP(_ spec: SolveSpec, _ request: LPRequest, _ outcome: LPOutcome, decideInfeasible: Bool = true) {
        let label = spec.label
        let data = spec.data
        let t = table(label == "reference-base" || label == "reference-scaled" ? "solve:" + label : dataKey(spec), data,
                      ce: request.ce)
        let result: EquilibriumLPResult
        switch outcome {
        case .error(let message):
            if !Oracle.isUsableMessage(message) {
                find(FindingKind.errorMessage, label, "thrown error without a usable message: '\(message)'")
            } else {
                find(FindingKind.solverFailure, label, "threw: \(message)")
            }
            return
        case .result(let r):
            result = r
        }
        guard checkLPStatus(spec, request, result, t, decideInfeasible: decideInfeasible) else { return }
        guard checkLPNumbersAreFinite(label, result) else { return }
        let sigma = result.joint
        guard sigma.count == data.joint else {
            find(FindingKind.wrongReport, label, "σ has \(sigma.count) entries for \(data.joint) joint actions")
            return
        }
        let ranges = (0..<data.players).map { data.range(of: $0) }
        let magnitudes = (0..<data.players).map { data.largestMagnitude(of: $0) }
        let tolerance = (0..<data.players).map { 1e-9 * ranges[$0] + 1e-15 * magnitudes[$0] }
        checkDistribution(label, request, sigma)
        let largest = checkLPEpsilon(label, request, result, t, data: data, ranges: ranges, tolerance: tolerance)
        // Reported numbers against σ.
        if result.maximumGains.count == data.players {
            for p in 0..<data.players where abs(result.maximumGains[p] - largest[p]) > 4 * tolerance[p] {
                find(FindingKind.wrongReport, label, "reported largest gain of player \(p + 1) is \(result.maximumGains[p]), "
                     + "σ gives \(largest[p])")
                break
            }
        }
        checkLPObjective(spec, request, result, t, largest: largest, ranges: ranges, magnitudes: magnitudes,
                         tolerance: tolerance)
        if request.exact && result.certified {
            checkExactly(spec, request, result)
        }
    }

    /// The status against what the request allows; for an infeasible answer its certificate and
    /// an independent decision. Returns whether the answer is optimal (and so checked further).
    private func checkLPStatus(_ spec: SolveSpec, _ request: LPRequest, _ result: EquilibriumLPResult,
                               _ t: GainTable<Double>, decideInfeasible: Bool) -> Bool {
        let label = spec.label
        let status = result.status.rawValue
        let nonNegative = request.epsilon.allSatisfy { $0 >= 0 } || request.objective.isMinimumEpsilon
        let fullSupport = request.support?.allSatisfy { $0 } ?? true
        switch status {
        case "optimal":
            return true
        case "infeasible":
            if nonNegative && fullSupport {
                find(FindingKind.wrongStatus, label, "infeasible, but every ε_p ≥ 0 (\(request.epsilon.map(Self.f))) so a "
                     + "\(request.ce ? "CE" : "CCE") exists")
                return false
            }
            if request.exact && result.certified {
                checkFarkasExactly(spec, request, result, t)
            }
            if decideInfeasible {
                var epsilon = request.epsilon
                if case .reference(let of) = spec.relation, case .mwmre(let m)? = setup.spec(of)?.request {
                    epsilon = rawEpsilon(m, epsilon)  // the reference LP is in the MWMRE solver's units
                }
                let (e, s) = toBase(spec, epsilon: epsilon, support: request.support)
                switch decide(ce: request.ce, epsilon: e, support: s) {
                case .feasible(let why):
                    find(FindingKind.wrongStatus, label, "infeasible for ε = \(request.epsilon.map(Self.f)), but \(why)")
                case .infeasible:
                    break
                case .undecided(let why):
                    note(NoteKind.undecided, label, why)
                }
            }
            return false
        case "unbounded":
            find(FindingKind.wrongStatus, label, "unbounded: σ lies in the simplex, so no equilibrium LP is unbounded")
            return false
        default:
            find(FindingKind.solverFailure, label, "status '\(status)'\(result.note.map { ": " + $0 } ?? "")")
            return false
        }
    }

    /// Whether every number an optimal answer promises is finite (a finding otherwise); `false`
    /// when σ itself is not, which ends the checks.
    private func checkLPNumbersAreFinite(_ label: String, _ result: EquilibriumLPResult) -> Bool {
        // Optimal: every promised number finite.
        var bad: [String] = []
        if !Oracle.allFinite(result.joint) { bad.append("σ") }
        if !(result.objective?.isFinite ?? false) { bad.append("objective \(String(describing: result.objective))") }
        if !Oracle.allFinite(result.epsilon) { bad.append("ε") }
        if !Oracle.allFinite(result.duals) { bad.append("duals") }
        if !Oracle.allFinite(result.expectedPayoffs) { bad.append("expected payoffs") }
        if !Oracle.allFinite(result.maximumGains) { bad.append("maximum gains") }
        if let w = result.welfare, !w.isFinite { bad.append("welfare") }
        if !result.maximumViolation.isFinite { bad.append("maximum violation") }
        if let ranges = result.ranges,
           ranges.contains(where: { $0.map { !$0.minimum.isFinite || !$0.maximum.isFinite } ?? false }) {
            bad.append("ranges")
        }
        if !bad.isEmpty {
            find(FindingKind.nan, label, "optimal, but not finite: \(bad.joined(separator: ", "))")
            if !Oracle.allFinite(result.joint) { return false }
        }
        return true
    }

    /// σ is a distribution on the request's support.
    private func checkDistribution(_ label: String, _ request: LPRequest, _ sigma: [Double]) {
        if let negative = sigma.min(), negative < 0 {
            find(FindingKind.infeasibleFeasibility, label, "σ has a negative entry \(negative)")
        }
        let total = Oracle.sum(sigma)
        if abs(total - 1) > 1e-9 {
            find(FindingKind.infeasibleFeasibility, label, "Σσ = \(total)")
        }
        if let support = request.support, let a = sigma.indices.first(where: { !support[$0] && sigma[$0] > 0 }) {
            find(FindingKind.infeasibleFeasibility, label, "σ(\(a)) = \(sigma[a]) outside the support")
        }
    }

    /// σ's largest gain per player against the ε it must meet: the request's, or the reported t
    /// of the minimum-ε selections. Returns the largest gains.
    private func checkLPEpsilon(_ label: String, _ request: LPRequest, _ result: EquilibriumLPResult,
                                _ t: GainTable<Double>, data: GameData, ranges: [Double], tolerance: [Double]) -> [Double] {
        let sigma = result.joint
        let gains = t.expected(sigma)
        var largest = [Double](repeating: -.infinity, count: data.players)
        for i in 0..<t.rowCount { largest[t.rowPlayer[i]] = max(largest[t.rowPlayer[i]], gains[i]) }
        largest = largest.map { $0 == -.infinity ? 0 : $0 }
        let bound = request.objective.isMinimumEpsilon ? result.epsilon : request.epsilon
        if bound.count == data.players {
            var worst = 0.0, where_ = -1
            for p in 0..<data.players where largest[p] - bound[p] > tolerance[p] {
                let excess = (largest[p] - bound[p]) / max(ranges[p], 1e-300)
                if excess > worst { worst = excess; where_ = p }
            }
            if where_ >= 0 {
                find(FindingKind.infeasibleFeasibility, label,
                     "player \(where_ + 1)'s largest gain \(largest[where_]) exceeds ε = \(bound[where_]) "
                     + "(by \(Self.f(worst)) of the payoff range \(ranges[where_]))")
            }
        } else {
            find(FindingKind.wrongReport, label, "ε has \(bound.count) entries for \(data.players) players")
        }
        return largest
    }

    /// The reported objective against c·σ, and weak duality: the returned duals bound it, in
    /// maximisation form (or the minimum-ε checks).
    private func checkLPObjective(_ spec: SolveSpec, _ request: LPRequest, _ result: EquilibriumLPResult,
                                  _ t: GainTable<Double>, largest: [Double], ranges: [Double], magnitudes: [Double],
                                  tolerance: [Double]) {
        let label = spec.label
        let data = spec.data
        let sigma = result.joint
        let alpha = result.duals
        if alpha.count != t.rowCount {
            find(FindingKind.wrongReport, label, "\(alpha.count) duals for \(t.rowCount) gain rows")
        } else if let negative = alpha.min(), negative < 0 {
            find(FindingKind.wrongReport, label, "a dual is negative (\(negative)); duals are α ≥ 0")
        }
        if request.objective.isMinimumEpsilon {
            checkMinimumEpsilon(spec, request, result, t, largest: largest, tolerance: tolerance)
        } else if let c = request.maxForm {
            let value = Oracle.dot(c, sigma)
            let spread = (c.max() ?? 0) - (c.min() ?? 0)
            let cMax = c.reduce(0) { max($0, abs($1)) }
            // Round-off of GLPK's arithmetic on coefficients of size max|c| (large offsets).
            var tol = 1e-9 * spread + 32 * Double.ulpOfOne * cMax * Double(data.joint).squareRoot()
            let sense = request.selection.isMinimization ? -1.0 : 1.0
            if let reported = result.objective, abs(sense * reported - value) > tol + 1e-9 * abs(value) * 1e-3 {
                find(FindingKind.wrongReport, label, "reported objective \(reported), c·σ = \(sense * value)")
            }
            if alpha.count == t.rowCount && alpha.allSatisfy({ $0 >= 0 && $0.isFinite }) {
                let z = t.transposeTimes(alpha)
                var best = -Double.infinity
                for a in 0..<data.joint where request.support?[a] ?? true { best = max(best, c[a] - z[a]) }
                var bound = CompensatedSum()
                bound.add(best)
                var weight = 0.0
                for i in 0..<t.rowCount {
                    bound.add(alpha[i] * request.epsilon[t.rowPlayer[i]])
                    weight += alpha[i] * (ranges[t.rowPlayer[i]] + abs(request.epsilon[t.rowPlayer[i]]))
                        + alpha[i] * 1e-6 * magnitudes[t.rowPlayer[i]]
                }
                tol += 1e-9 * weight
                let dual = bound.value
                if value < dual - tol {
                    find(FindingKind.notOptimal, label, "c·σ = \(sense * value) but the returned duals bound it by "
                         + "\(sense * dual) (gap \(Self.f(dual - value)), tolerance \(Self.f(tol)))")
                }
            }
        }
    }

    private func dataKey(_ spec: SolveSpec) -> String {
        switch spec.relation {
        case .base, .auxiliary, .exact(of: "base"): return "base"
        case .scaled, .exact(of: "scaled"): return "scaled"
        case .permuted: return "permuted"
        default: return "solve:" + spec.label
        }
    }

    /// Minimum ε: reported t against σ's gains, and the bound from the duals normalised per group.
    private func checkMinimumEpsilon(_ spec: SolveSpec, _ request: LPRequest, _ result: EquilibriumLPResult,
                                     _ t: GainTable<Double>, largest: [Double], tolerance: [Double]) {
        let label = spec.label
        let n = spec.data.players
        let perPlayer = request.objective == .minEpsilonPerPlayer
        let ranges = (0..<n).map { spec.data.range(of: $0) }
        let tol = 1e-9 * ranges.reduce(0, +) + tolerance.reduce(0, +)
        // The value σ attains: Σ_g max gain over the group.
        let value = perPlayer ? largest.reduce(0, +) : (largest.max() ?? 0)
        if result.epsilon.count == n {
            let reported = perPlayer ? result.epsilon.reduce(0, +) : result.epsilon[0]
            if abs(reported - value) > tol {
                find(FindingKind.wrongReport, label, "reported ε \(result.epsilon) but σ's largest gains are \(largest)")
            }
            if let o = result.objective, abs(o - reported) > tol {
                find(FindingKind.wrongReport, label, "objective \(o) differs from the reported ε total \(reported)")
            }
        }
        let alpha = result.duals
        guard alpha.count == t.rowCount, alpha.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return }
        var sums = [Double](repeating: 0, count: n)
        for i in 0..<t.rowCount { sums[perPlayer ? t.rowPlayer[i] : 0] += alpha[i] }
        let groups = perPlayer ? Array(0..<n).filter { p in t.rowPlayer.contains(p) } : [0]
        for g in groups where !(sums[g] > 0.5 && sums[g] < 2) {
            find(FindingKind.notOptimal, label, "duals of \(perPlayer ? "player \(g + 1)" : "the gain rows") sum to \(sums[g]); "
                 + "dual feasibility needs 1")
            return
        }
        var y = alpha
        for i in 0..<t.rowCount { y[i] = alpha[i] / sums[perPlayer ? t.rowPlayer[i] : 0] }
        let z = t.transposeTimes(y)
        var lowest = Double.infinity
        for a in 0..<spec.data.joint where request.support?[a] ?? true { lowest = min(lowest, z[a]) }
        if value > lowest + tol + 1e-9 * abs(value) {
            find(FindingKind.notOptimal, label, "σ needs ε total \(value) but the duals prove \(lowest) is enough "
                 + "(gap \(Self.f(value - lowest)))")
        }
    }

    /// Exact results: σ a distribution, gains ≤ ε exactly, and the rational duals' bound equal to c·σ.
    private func checkExactly(_ spec: SolveSpec, _ request: LPRequest, _ result: EquilibriumLPResult) {
        let label = spec.label
        guard let sigma = result.jointExact, sigma.count == spec.data.joint else {
            find(FindingKind.certificateDishonest, label, "certified exact result without an exact σ")
            return
        }
        let payoffs = spec.game.rationalPayoffs
        let t = GainTable(shape: spec.data.shape, payoffs: payoffs, ce: request.ce)
        if sigma.contains(where: { $0.signum < 0 }) {
            find(FindingKind.certificateDishonest, label, "certified, but σ has a negative entry")
        }
        let total = sigma.reduce(Rational.zero, +)
        if total != .one { find(FindingKind.certificateDishonest, label, "certified, but Σσ = \(total)") }
        let gains = t.expected(sigma)
        let bound: [Rational] = request.objective.isMinimumEpsilon ? (result.epsilonExact ?? []) : request.epsilon.map { Rational($0) }
        guard bound.count == spec.data.players else { return }
        for i in 0..<t.rowCount where bound[t.rowPlayer[i]] < gains[i] {
            find(FindingKind.certificateDishonest, label, "certified, but gain row \(i) is \(gains[i].doubleValue) > ε = "
                 + "\(bound[t.rowPlayer[i]].doubleValue) exactly")
            break
        }
        guard let alpha = result.dualsExact, alpha.count == t.rowCount else {
            find(FindingKind.certificateDishonest, label, "certified, but no exact duals")
            return
        }
        if alpha.contains(where: { $0.signum < 0 }) {
            find(FindingKind.certificateDishonest, label, "certified, but an exact dual is negative")
            return
        }
        let z = t.transposeTimes(alpha)
        if request.objective.isMinimumEpsilon {
            let perPlayer = request.objective == .minEpsilonPerPlayer
            var sums = [Rational](repeating: .zero, count: spec.data.players)
            for i in 0..<t.rowCount { sums[perPlayer ? t.rowPlayer[i] : 0] += alpha[i] }
            for g in (perPlayer ? Array(Set(t.rowPlayer)) : [0]) where sums[g] != .one {
                find(FindingKind.certificateDishonest, label, "certified, but duals of group \(g + 1) sum to \(sums[g].doubleValue)")
                return
            }
            var lowest: Rational?
            for a in 0..<spec.data.joint where request.support?[a] ?? true { lowest = lowest.map { min($0, z[a]) } ?? z[a] }
            let value = bound.enumerated().reduce(Rational.zero) { acc, e in
                perPlayer ? acc + e.element : (e.offset == 0 ? e.element : acc)
            }
            if let lowest, lowest < value {
                find(FindingKind.certificateDishonest, label, "certified, but the exact duals bound ε total by "
                     + "\(lowest.doubleValue) < \(value.doubleValue)")
            }
        } else if let c = request.maxFormExact {
            let value = zip(c, sigma).reduce(Rational.zero) { $0 + $1.0 * $1.1 }
            var best: Rational?
            for a in 0..<spec.data.joint where request.support?[a] ?? true {
                let v = c[a] - z[a]
                best = best.map { max($0, v) } ?? v
            }
            var dual = best ?? .zero
            for i in 0..<t.rowCount { dual += alpha[i] * Rational(request.epsilon[t.rowPlayer[i]]) }
            if value < dual {
                find(FindingKind.certificateDishonest, label, "certified, but the exact duals bound c·σ = \(value.doubleValue) "
                     + "by \(dual.doubleValue)")
            }
            let sense: Rational = request.selection.isMinimization ? -Rational.one : .one
            if let o = result.objectiveExact, sense * o != value {
                find(FindingKind.certificateDishonest, label, "certified objective \(o.doubleValue) is not c·σ = "
                     + "\((sense * value).doubleValue) exactly")
            }
        }
    }

    /// Exact infeasible results: the Farkas multipliers y ≥ 0 of the gain rows must give
    /// min_a (Aᵀy)_a > yᵀε (the Σσ = 1 row's multiplier then closes the certificate).
    private func checkFarkasExactly(_ spec: SolveSpec, _ request: LPRequest, _ result: EquilibriumLPResult,
                                    _ t: GainTable<Double>) {
        // Exact multipliers, or the doubles of a floating-point Farkas proof (exact rationals
        // too): either way the certificate is re-checked here in exact arithmetic on the exact
        // payoffs.
        let given = result.dualsExact ?? (result.duals.isEmpty ? nil : result.duals.map { Rational($0) })
        guard let y = given, y.count == t.rowCount else {
            find(FindingKind.certificateDishonest, spec.label, "certified infeasible without Farkas multipliers")
            return
        }
        let exact = GainTable(shape: spec.data.shape, payoffs: spec.game.rationalPayoffs, ce: request.ce)
        if y.contains(where: { $0.signum < 0 }) {
            find(FindingKind.certificateDishonest, spec.label, "certified infeasible, but a Farkas multiplier is negative")
            return
        }
        let z = exact.transposeTimes(y)
        var lowest: Rational?
        for a in 0..<spec.data.joint where request.support?[a] ?? true { lowest = lowest.map { min($0, z[a]) } ?? z[a] }
        var rhs = Rational.zero
        for i in 0..<exact.rowCount { rhs += y[i] * Rational(request.epsilon[exact.rowPlayer[i]]) }
        if let lowest, !(rhs < lowest) {
            find(FindingKind.certificateDishonest, spec.label, "certified infeasible, but the Farkas multipliers give "
                 + "min (Aᵀy) = \(lowest.doubleValue) ≤ yᵀε = \(rhs.doubleValue)")
        }
    }

    // MARK: - MWMRE checks

    private func checkMWMRE(_ spec: SolveSpec, _ request: MWMRERequest, _ outcome: MWMREOutcome) {
        let label = spec.label
        let p = request.parameters
        let data = request.solveData
        let n = data.players
        let result: MWMREResult
        switch outcome {
        case .error(let message):
            if !Oracle.isUsableMessage(message) {
                find(FindingKind.errorMessage, label, "thrown error without a usable message: '\(message)'")
            } else if request.extreme {
                note(NoteKind.refusal, label, message)
            } else {
                find(FindingKind.solverFailure, label, "threw: \(message)")
            }
            return
        case .result(let r):
            result = r
        }
        guard checkMWMREStatus(spec, request, result) else { return }
        var bad: [String] = []
        if !Oracle.allFinite(result.joint) { bad.append("σ") }
        if !Oracle.allFinite(result.epsilon) { bad.append("ε") }
        if !Oracle.allFinite(result.duals) { bad.append("duals") }
        if !result.dualObjective.isFinite { bad.append("dual objective \(result.dualObjective)") }
        if !result.primalObjective.isFinite { bad.append("primal objective \(result.primalObjective)") }
        if !result.kktResidual.isFinite { bad.append("KKT residual \(result.kktResidual)") }
        if let w = result.maximumWelfare, !w.isFinite { bad.append("maximum welfare") }
        if !bad.isEmpty {
            find(FindingKind.nan, label, "optimal, but not finite: \(bad.joined(separator: ", "))")
            return
        }
        let sigma = result.joint
        guard sigma.count == data.joint, result.epsilon.count == n else {
            find(FindingKind.wrongReport, label, "σ has \(sigma.count) entries, ε \(result.epsilon.count)")
            return
        }
        if !(result.kktResidual <= request.tolerance * (1 + 1e-9)) {
            find(FindingKind.kktViolated, label, "optimal with reported KKT residual \(result.kktResidual) > tolerance "
                 + "\(request.tolerance)")
        }
        if let negative = sigma.min(), negative < 0 {
            find(FindingKind.infeasibleFeasibility, label, "σ has a negative entry \(negative)")
        }
        let total = Oracle.sum(sigma)
        if abs(total - 1) > 1e-9 { find(FindingKind.infeasibleFeasibility, label, "Σσ = \(total)") }
        if let support = request.support, let a = sigma.indices.first(where: { !support[$0] && sigma[$0] > 0 }) {
            find(FindingKind.infeasibleFeasibility, label, "σ(\(a)) = \(sigma[a]) outside the target's support")
        }
        if request.hard {
            for q in 0..<n where result.epsilon[q] != p.epsilonTarget[q] {
                find(FindingKind.wrongReport, label, "ρ = ∞ pins ε to ε̂, but ε_\(q + 1) = \(result.epsilon[q]) ≠ "
                     + "\(p.epsilonTarget[q])")
                break
            }
        }

        let t = checkMWMREEquilibrium(spec, request, result)
        recomputeFromDuals(spec, request, result, t)

        if p.mu.isInfinite { checkMaximumWelfare(spec, request, result) }
    }

    /// The status against what the problem allows, and the certificate's honesty; for an
    /// infeasible answer an independent decision. Returns whether the answer is optimal.
    private func checkMWMREStatus(_ spec: SolveSpec, _ request: MWMRERequest, _ result: MWMREResult) -> Bool {
        let label = spec.label
        let p = request.parameters
        let status = result.status.rawValue
        if result.certifiedGap != nil && status != "optimal" {
            find(FindingKind.certificateDishonest, label, "status \(status) but a certified gap \(result.certifiedGap!) is given")
        }
        if let gap = result.certifiedGap, !gap.isFinite {
            find(FindingKind.nan, label, "certified gap is \(gap)")
        }
        switch status {
        case "optimal":
            return true
        case "not-converged":
            var bad: [String] = []
            if !Oracle.allFinite(result.joint) { bad.append("σ") }
            if !Oracle.allFinite(result.epsilon) { bad.append("ε") }
            if !Oracle.allFinite(result.duals) { bad.append("duals") }
            if result.dualObjective.isNaN { bad.append("dual objective") }
            if result.primalObjective.isNaN { bad.append("primal objective") }
            if result.kktResidual.isNaN { bad.append("KKT residual") }
            if !bad.isEmpty { find(FindingKind.nan, label, "not-converged with NaN/inf in \(bad.joined(separator: ", "))") }
            note(NoteKind.notConverged, label, result.message)
            return false
        case "infeasible":
            if let m = result.minimumEpsilon, !m.isFinite { find(FindingKind.nan, label, "minimum ε is \(m)") }
            let fullSupport = p.target?.allSatisfy { $0 > 0 } ?? true
            if !request.hard {
                find(FindingKind.wrongStatus, label, "infeasible with finite μ and ρ (only ρ = ∞ or μ = ∞ can be)")
                return false
            }
            if p.epsilonTarget.allSatisfy({ $0 >= 0 }) && fullSupport {
                find(FindingKind.wrongStatus, label, "infeasible, but ε̂ ≥ 0 on the full support, so a "
                     + "\(p.concept == .correlated ? "CE" : "CCE") exists")
                return false
            }
            let (e, s) = toBase(spec, epsilon: rawEpsilon(request, p.epsilonTarget), support: request.support)
            switch decide(ce: p.concept == .correlated, epsilon: e, support: s) {
            case .feasible(let why): find(FindingKind.wrongStatus, label, "infeasible for ε̂ = \(p.epsilonTarget.map(Self.f)), but \(why)")
            case .infeasible: break
            case .undecided(let why): note(NoteKind.undecided, label, why)
            }
            return false
        default:
            find(FindingKind.solverFailure, label, "status '\(status)': \(result.message)")
            return false
        }
    }

    /// σ is an ε-equilibrium (ε the reported one) of the game it was solved on, and, for presets,
    /// of the game given in raw units with the normalisation computed here. Returns the gain table
    /// of the solved game.
    private func checkMWMREEquilibrium(_ spec: SolveSpec, _ request: MWMRERequest, _ result: MWMREResult)
        -> GainTable<Double>
    {
        let label = spec.label
        let p = request.parameters
        let data = request.solveData
        let n = data.players
        let sigma = result.joint
        let t = table("solve:" + label, data, ce: p.concept == .correlated)
        let ranges = (0..<n).map { data.range(of: $0) }
        let slack = (0..<n).map { 1e-9 * ranges[$0] + 10 * request.tolerance + 1e-15 * data.largestMagnitude(of: $0) }
        let largest = t.maximumGains(sigma, players: n)
        for q in 0..<n where largest[q] > result.epsilon[q] + slack[q] {
            find(FindingKind.infeasibleFeasibility, label, "player \(q + 1)'s largest gain \(largest[q]) exceeds ε = "
                 + "\(result.epsilon[q]) in the solved game's units")
            break
        }
        // Presets: the same in raw units, with the normalisation computed here.
        if let own = request.ownScales {
            let raw = spec.data
            let rt = table(dataKey(spec), raw, ce: p.concept == .correlated)
            let rawLargest = rt.maximumGains(sigma, players: n)
            for q in 0..<n {
                guard let c = own[q] else { continue }
                let epsRaw = result.epsilon[q] / c
                let rawSlack = 1e-9 * raw.range(of: q) + 10 * request.tolerance / c + 1e-15 * raw.largestMagnitude(of: q)
                if rawLargest[q] > epsRaw + rawSlack {
                    find(FindingKind.infeasibleFeasibility, label, "in raw units, player \(q + 1)'s largest gain "
                         + "\(rawLargest[q]) exceeds ε/c = \(epsRaw) (own normalisation scale c = \(c)); "
                         + "σ is not an ε-equilibrium of the game given")
                    break
                }
            }
        }
        return t
    }

    /// The reported ε in raw units of the solve's own game (presets divide by c_p).
    private func rawEpsilon(_ request: MWMRERequest, _ epsilon: [Double]) -> [Double] {
        guard let own = request.ownScales else { return epsilon }
        return epsilon.enumerated().map { q, e in own[q].map { e / $0 } ?? e }
    }

    /// σ(α), ε(α), L(α), the KKT residual and the certified gap from the returned duals.
    private func recomputeFromDuals(_ spec: SolveSpec, _ request: MWMRERequest, _ result: MWMREResult,
                                    _ t: GainTable<Double>) {
        let label = spec.label
        let p = request.parameters
        guard result.dualsAttained, p.mu.isFinite, result.duals.count == t.rowCount else { return }
        let alpha = result.duals
        guard let (sigma, logPartition) = Self.softmaxOfDuals(alpha, p, t, joint: request.solveData.joint) else {
            note(NoteKind.oracleSkipped, label, "logits not finite")
            return
        }
        let (epsilon, dual) = Self.epsilonAndDualObjective(alpha, p, t, players: request.solveData.players,
                                                           logPartition: logPartition)
        guard Oracle.allFinite(sigma), Oracle.allFinite(epsilon), dual.isFinite else {
            note(NoteKind.oracleSkipped, label, "σ(α), ε(α) or L(α) not finite here")
            return
        }
        let n = request.solveData.players
        let diff = zip(sigma, result.joint).reduce(0) { max($0, abs($1.0 - $1.1)) }
        if diff > 1e-8 {
            find(FindingKind.wrongReport, label, "σ differs from softmax(μW − Aᵀα + ln σ̂) of the returned duals by \(Self.f(diff))")
        }
        for q in 0..<n where abs(epsilon[q] - result.epsilon[q]) > 1e-9 * (abs(epsilon[q]) + abs(p.epsilonCap[q] - p.epsilonTarget[q]) + 1e-300) {
            find(FindingKind.wrongReport, label, "ε_\(q + 1) = \(result.epsilon[q]) but the duals give \(epsilon[q])")
            break
        }
        if abs(dual - result.dualObjective) > 1e-9 * (1 + abs(dual)) {
            find(FindingKind.wrongReport, label, "dual objective \(result.dualObjective), recomputed \(dual)")
        }
        checkKKTOfDuals(label, request, alpha, t, sigma: sigma, epsilon: epsilon)
        checkPrimalAndGap(label, request, result, t, sigma: sigma, epsilon: epsilon, dual: dual)
    }

    /// σ(α) = softmax(μW − Aᵀα + ln σ̂) and ln Z, computed here; `nil` when the logits are not finite.
    private static func softmaxOfDuals(_ alpha: [Double], _ p: MWMREParameters, _ t: GainTable<Double>, joint: Int)
        -> (sigma: [Double], logPartition: Double)?
    {
        let target = p.target
        let z = t.transposeTimes(alpha)
        // μW is shifted by its maximum first, μ(W − W_max): with a huge μ the welfare term would
        // otherwise absorb ln σ̂ − Aᵀα among tied joint actions.
        var logits = [Double](repeating: -.infinity, count: joint)
        let welfareTop = p.welfare.map { w in (0..<joint).filter { target?[$0] ?? 1 > 0 }.map { w[$0] }.max() ?? 0 } ?? 0
        for a in 0..<joint {
            let s = target?[a] ?? 1 / Double(joint)
            guard s > 0 else { continue }
            var l = log(s) - z[a]
            if let w = p.welfare, p.mu > 0 { l += p.mu * (w[a] - welfareTop) }
            logits[a] = l
        }
        let top = logits.max() ?? 0
        guard top.isFinite else { return nil }
        var total = CompensatedSum()
        var sigma = logits.map { $0 == -.infinity ? 0 : exp($0 - top) }
        for v in sigma { total.add(v) }
        let partition = total.value
        sigma = sigma.map { $0 / partition }
        var logPartition = top + log(partition)
        if let _ = p.welfare, p.mu > 0 { logPartition += p.mu * welfareTop }
        return (sigma, logPartition)
    }

    /// ε(α) and L(α), computed here.
    private static func epsilonAndDualObjective(_ alpha: [Double], _ p: MWMREParameters, _ t: GainTable<Double>,
                                                players n: Int, logPartition: Double) -> (epsilon: [Double], dual: Double) {
        var sums = [Double](repeating: 0, count: n)
        for i in 0..<t.rowCount { sums[t.rowPlayer[i]] += alpha[i] }
        var epsilon = p.epsilonTarget
        var value = CompensatedSum()
        value.add(logPartition)
        for q in 0..<n {
            if p.rho.isInfinite {
                value.add(p.epsilonTarget[q] * sums[q])
            } else {
                let uHat = p.epsilonCap[q] - p.epsilonTarget[q]
                let m = expm1(-sums[q] / p.rho)
                epsilon[q] = p.epsilonTarget[q] - uHat * m
                value.add(p.epsilonCap[q] * sums[q])
                value.add(p.rho * uHat * m)
            }
        }
        return (epsilon, value.value)
    }

    /// The KKT residual of the returned duals within what the tolerance allows (and the
    /// scale-free residual recorded for the summary).
    private func checkKKTOfDuals(_ label: String, _ request: MWMRERequest, _ alpha: [Double], _ t: GainTable<Double>,
                                 sigma: [Double], epsilon: [Double]) {
        let n = request.solveData.players
        // KKT from the duals, as the solver defines it (docs/mathematics.md, "Scaling"): the
        // complementarity α_i·|g_i| is unitless, and is measured in payoff units by the gain
        // scale 2^e when the solver rescaled the game (largest gain outside [2⁻⁴, 2⁵)).
        let gains = t.expected(sigma)
        let e = t.largestEntry > 0 ? Int(t.largestEntry.exponent) : 0
        let gainScale = e < -4 || e > 4 ? scalbn(1.0, e) : 1
        var kkt = 0.0, worstRow = 0
        var dualMass = 0.0
        for i in 0..<t.rowCount {
            let g = epsilon[t.rowPlayer[i]] - gains[i]
            let r = max(0, -g, alpha[i] * abs(g) * gainScale)
            if r > kkt { kkt = r; worstRow = i }
            dualMass += abs(alpha[i])
        }
        let meanRange = (0..<n).map { request.solveData.range(of: $0) }.reduce(0, +) / Double(n)
        var free = 0.0
        for i in 0..<t.rowCount {
            let g = epsilon[t.rowPlayer[i]] - gains[i]
            free = max(free, max(0, -g) / max(meanRange, 1e-300), alpha[i] * abs(g))
        }
        scaleFreeKKT[label] = free
        let kktAllowance = 100 * request.tolerance + 1e-12 * t.largestEntry * (1 + dualMass * gainScale)
        if kkt > kktAllowance {
            let g = epsilon[t.rowPlayer[worstRow]] - gains[worstRow]
            find(FindingKind.kktViolated, label, "status optimal, but the KKT residual of the returned duals is \(Self.f(kkt)) "
                 + "(allowed \(Self.f(kktAllowance))) at row \(worstRow): α = \(alpha[worstRow]), ε − E[A] = \(g), "
                 + "Σα = \(dualMass)")
        }
    }

    /// The reported primal objective against P(σ, ε), and the certified gap against
    /// L(α) − P(σ(α), ε̃) recomputed here (no certificate may be given where none exists).
    private func checkPrimalAndGap(_ label: String, _ request: MWMRERequest, _ result: MWMREResult,
                                   _ t: GainTable<Double>, sigma: [Double], epsilon: [Double], dual: Double) {
        let p = request.parameters
        let n = request.solveData.players
        let target = p.target
        // P(σ(α), ε̃) and the certified gap.
        let largest = t.maximumGains(sigma, players: n)
        var welfareTerm = 0.0
        if let w = p.welfare, p.mu > 0 { welfareTerm = p.mu * Oracle.dot(w, sigma) }
        let kl = Oracle.kl(sigma, target)
        var penalty = 0.0
        var noCertificate = false
        var primalReported = 0.0
        for q in 0..<n where p.rho.isFinite {
            let tilde = max(p.epsilonTarget[q], largest[q])
            if tilde >= p.epsilonCap[q] { noCertificate = true }
            penalty += p.rho * Oracle.penalty(epsilon: tilde, target: p.epsilonTarget[q], cap: p.epsilonCap[q])
            primalReported += p.rho * Oracle.penalty(epsilon: result.epsilon[q], target: p.epsilonTarget[q], cap: p.epsilonCap[q])
        }
        let primalAtReported = welfareTerm - kl - primalReported
        if primalAtReported.isFinite && abs(primalAtReported - result.primalObjective) > 1e-9 * (1 + abs(primalAtReported)) {
            find(FindingKind.wrongReport, label, "primal objective \(result.primalObjective), P(σ, ε) recomputed "
                 + "\(primalAtReported)")
        }
        if p.rho.isInfinite {
            let hardViolation = (0..<n).map { largest[$0] - p.epsilonTarget[$0] }.max() ?? 0
            if hardViolation > 1e-9 * (request.solveData.range(of: 0) + 1e-300) { noCertificate = true }
        }
        guard let gap = result.certifiedGap else { return }
        if noCertificate {
            find(FindingKind.certificateDishonest, label, "certified gap \(gap), but σ(α) needs ε at or above the cap "
                 + "(or violates the hard constraints): no certificate exists")
            return
        }
        let primal = welfareTerm - kl - penalty
        let mine = dual - primal
        guard mine.isFinite else { note(NoteKind.oracleSkipped, label, "gap not finite here"); return }
        let tol = 1e-9 * (1 + abs(dual) + abs(primal))
        if gap < mine - tol {
            find(FindingKind.certificateDishonest, label, "certified gap \(gap) is below L(α) − P(σ(α), ε̃) = \(mine) "
                 + "recomputed from the duals")
        }
        if gap < 0 { find(FindingKind.certificateDishonest, label, "certified gap \(gap) is negative") }
    }

    /// μ = ∞: σ's welfare and the reported W* against the max-welfare LP.
    private func checkMaximumWelfare(_ spec: SolveSpec, _ request: MWMRERequest, _ result: MWMREResult) {
        let label = spec.label
        guard let w = request.parameters.welfare else { return }
        guard let reference = lpOutcomes["reference-" + label]?.result, reference.status.rawValue == "optimal",
              let best = reference.objective, best.isFinite else {
            return
        }
        let spread = (w.max() ?? 0) - (w.min() ?? 0)
        let tol = 1e-8 * spread + 1e-12 * w.reduce(0) { max($0, abs($1)) }
        let value = Oracle.dot(w, result.joint)
        if let reported = result.maximumWelfare, abs(reported - best) > tol {
            find(FindingKind.notOptimal, label, "reported maximum welfare \(reported), the max-welfare LP gives \(best)")
        }
        if abs(value - best) > tol {
            find(FindingKind.notOptimal, label, "σ's welfare \(value) differs from the maximum welfare \(best) by "
                 + "\(Self.f(value - best))")
        }
        if reference.joint.count == result.joint.count {
            let klSigma = Oracle.kl(result.joint, request.parameters.target)
            let klLP = Oracle.kl(reference.joint, request.parameters.target)
            if klSigma > klLP + 1e-6 {
                find(FindingKind.notOptimal, label, "KL(σ‖σ̂) = \(klSigma) exceeds that of the max-welfare LP's σ (\(klLP)), "
                     + "which lies on the same face")
            }
        }
    }

    // MARK: - Comparisons between solves

    private func compare() {
        if setup.plan.lp != nil {
            compareLP("base", "scaled", FindingKind.notInvariant)
            compareLP("base", "permuted", FindingKind.notEquivariant)
            compareLP("exact", "base", FindingKind.exactMismatch)
            compareLP("exact-scaled", "scaled", FindingKind.exactMismatch)
        } else {
            compareMWMRE("base", "scaled", FindingKind.notInvariant)
            compareMWMRE("base", "permuted", FindingKind.notEquivariant)
        }
    }

    /// Maps σ of solve `from` into the indexing of solve `to` (only permutations differ).
    private func map(_ sigma: [Double], from: String, to: String) -> [Double] {
        if to == "permuted" { return setup.permutedOldIndex!.map { sigma[$0] } }
        if from == "permuted" {
            var s = [Double](repeating: 0, count: sigma.count)
            for (a, old) in setup.permutedOldIndex!.enumerated() { s[old] = sigma[a] }
            return s
        }
        return sigma
    }

    /// Each σ must be as good as the other on the other's problem, up to the other's duals
    /// times the violation: v_B(σ_B) ≥ v_B(σ_A) − Σ α^B_i [A^B_i σ_A − ε^B_i]⁺ − tol.
    private func compareLP(_ a: String, _ b: String, _ kind: String) {
        guard let specA = setup.spec(a), let specB = setup.spec(b),
              case .lp(let reqA) = specA.request, case .lp(let reqB) = specB.request,
              let ra = lpOutcomes[a]?.result, let rb = lpOutcomes[b]?.result,
              ra.status.rawValue == "optimal", rb.status.rawValue == "optimal",
              ra.joint.count == specA.data.joint, rb.joint.count == specB.data.joint,
              Oracle.allFinite(ra.joint), Oracle.allFinite(rb.joint) else { return }
        for (x, y, reqY, specY, rx, ry) in [(a, b, reqB, specB, ra, rb), (b, a, reqA, specA, rb, ra)] {
            let sigmaX = map(rx.joint, from: x, to: y)
            let t = table(dataKey(specY), specY.data, ce: reqY.ce)
            let n = specY.data.players
            let ranges = (0..<n).map { specY.data.range(of: $0) }
            let magnitudes = (0..<n).map { specY.data.largestMagnitude(of: $0) }
            func value(_ s: [Double]) -> Double {
                if reqY.objective.isMinimumEpsilon {
                    let g = t.maximumGains(s, players: n)
                    return -(reqY.objective == .minEpsilonPerPlayer ? g.reduce(0, +) : (g.max() ?? 0))
                }
                return Oracle.dot(reqY.maxForm!, s)
            }
            let own = value(ry.joint)
            let other = value(sigmaX)
            var allowance = 0.0
            var tol: Double
            if reqY.objective.isMinimumEpsilon {
                tol = 1e-8 * ranges.reduce(0, +) + 1e-14 * magnitudes.reduce(0, +)
            } else {
                let c = reqY.maxForm!
                tol = 1e-8 * ((c.max() ?? 0) - (c.min() ?? 0)) + 64 * Double.ulpOfOne * c.reduce(0) { max($0, abs($1)) }
                    * Double(specY.data.joint).squareRoot()
                let g = t.expected(sigmaX)
                if ry.duals.count == t.rowCount {
                    for i in 0..<t.rowCount {
                        let excess = g[i] - reqY.epsilon[t.rowPlayer[i]]
                        if excess > 0 { allowance += ry.duals[i] * excess }
                    }
                }
                tol += 1e-8 * (ry.duals.count == t.rowCount
                    ? zip(ry.duals, t.rowPlayer).reduce(0) { $0 + $1.0 * ranges[$1.1] } : 0)
            }
            if own < other - allowance - tol {
                find(kind, y, "σ of '\(x)' is better on '\(y)''s problem: \(other) against \(own) "
                     + "(difference \(Self.f(other - own)), tolerance \(Self.f(tol + allowance)))")
                return
            }
        }
        if ra.isUnique == true && rb.isUnique == true {
            let sa = map(ra.joint, from: a, to: b)
            let diff = zip(sa, rb.joint).reduce(0) { max($0, abs($1.0 - $1.1)) }
            if diff > 1e-8 {
                find(kind, b, "both claim a unique optimum, but σ differs by \(Self.f(diff))")
            }
        }
    }

    private func compareMWMRE(_ a: String, _ b: String, _ kind: String) {
        guard let specA = setup.spec(a), let specB = setup.spec(b),
              case .mwmre(let reqA) = specA.request, case .mwmre(let reqB) = specB.request,
              let ra = mwmreOutcomes[a]?.result, let rb = mwmreOutcomes[b]?.result else { return }
        let sa = ra.status.rawValue, sb = rb.status.rawValue
        if sa == "optimal" && sb != "optimal" && sb != "infeasible" {
            note(NoteKind.notConverged, b, "'\(a)' converged, '\(b)' is \(sb)")
        }
        guard sa == "optimal", sb == "optimal", ra.joint.count == rb.joint.count,
              Oracle.allFinite(ra.joint), Oracle.allFinite(rb.joint) else { return }
        // Raw cases with overridden extreme parameters are not rescaled: nothing to compare.
        if setup.plan.mwmre!.mode == .raw && setup.plan.mwmre!.extreme && b == "scaled" { return }
        // In payoff units the solver's residual mixes units (α|g| has none), so a raw-units
        // tolerance cannot be equally tight at every scale: compare only well-converged points.
        if reqB.mode == .raw {
            let ka = scaleFreeKKT[a] ?? .infinity, kb = scaleFreeKKT[b] ?? .infinity
            if !(ka <= 1e-9 && kb <= 1e-9) {
                note(NoteKind.oracleSkipped, b, "σ not compared: scale-free KKT residuals \(Self.f(ka)) and \(Self.f(kb))")
                return
            }
        }
        let mapped = map(ra.joint, from: a, to: b)
        var diff = 0.0, at = 0
        for i in mapped.indices where abs(mapped[i] - rb.joint[i]) > diff { diff = abs(mapped[i] - rb.joint[i]); at = i }
        if diff > 1e-8 {
            let u = 1 / Double(rb.joint.count)
            let uniform = { (s: [Double]) in s.allSatisfy { abs($0 - u) < 1e-12 } }
            let shape = uniform(rb.joint) ? " ('\(b)' is uniform)" : uniform(mapped) ? " ('\(a)' is uniform)" : ""
            find(kind, b, "σ differs from '\(a)''s by \(Self.f(diff)) at joint action \(at) (\(rb.joint[at]) against "
                 + "\(mapped[at]))\(shape); statuses optimal, KKT \(Self.f(ra.kktResidual)) and \(Self.f(rb.kktResidual))")
            return
        }
        // ε in comparable units.
        var ea = ra.epsilon, eb = rb.epsilon
        if b == "permuted" { ea = setup.plan.permutation!.players.map { ea[$0] } }
        if reqB.mode != .preset && b == "scaled" { eb = zip(eb, setup.scales).map { $0 / $1 } }
        let cap = zip(reqA.parameters.epsilonCap, reqA.parameters.epsilonTarget).map { abs($0 - $1) }
        for q in ea.indices where abs(ea[q] - eb[q]) > 1e-8 * (abs(ea[q]) + (b == "permuted" ? 1 : cap[q]) + 1e-300) {
            find(kind, b, "ε_\(q + 1) = \(eb[q]) differs from '\(a)''s \(ea[q])")
            return
        }
    }
}

extension LinearSelection {
    var isMinimization: Bool {
        if case .linear(_, let maximize) = self { return !maximize }
        return false
    }
}
