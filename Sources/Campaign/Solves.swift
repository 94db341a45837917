import EquilibriumSolvers
import Foundation
import NormalFormGames

/// One equilibrium-LP request, with what the checks need to know about its objective.
struct LPRequest: @unchecked Sendable {
    var ce: Bool
    var objective: LPObjective
    var selection: LinearSelection
    /// The objective in maximisation form over joint actions (nil for the minimum-ε selections).
    var maxForm: [Double]?
    var maxFormExact: [Rational]?
    var epsilon: [Double]
    var exact: Bool
    var optimalFace: Bool
    var support: [Bool]?
    /// Command-line options reproducing the request (after the game file).
    var cli: [String]
}

/// One MWMRE request: the game the solver is given and its parameters.
struct MWMRERequest: @unchecked Sendable {
    var mode: MWMREMode
    var preset: String?
    var parameters: MWMREParameters
    var method: MWMREMethod
    var tolerance: Double
    /// The game handed to the solver (normalised for presets) and its doubles.
    var solveGame: NormalFormGame
    var solveData: GameData
    /// Presets: c_p of the normalisation computed here (nil entries for constant players).
    var ownScales: [Double?]?
    var extreme: Bool
    var cli: [String]
    /// Files the command line needs (name, JSON content).
    var files: [(String, String)]

    var hard: Bool { parameters.isHardLimit }
    var support: [Bool]? { parameters.target.map { t in t.map { $0 > 0 } } }
}

enum SolveRequest: @unchecked Sendable {
    case lp(LPRequest)
    case mwmre(MWMRERequest)
}

/// How a solve relates to the base solve of its case.
enum SolveRelation: @unchecked Sendable {
    case base
    case scaled
    case permuted
    case exact(of: String)
    case reference(of: String)
    case auxiliary
}

/// One solve: a label, the game as the command line reads it, and the request.
struct SolveSpec: @unchecked Sendable {
    var label: String
    var data: GameData
    var game: NormalFormGame
    var textOrigin: Bool
    var request: SolveRequest
    var relation: SolveRelation
}

/// A case made concrete: games, transforms and the planned solves.
struct CaseSetup: @unchecked Sendable {
    var plan: CasePlan
    var base: GameData
    var baseGame: NormalFormGame
    var scaled: GameData
    var scaledGame: NormalFormGame
    var scales: [Double]
    var offsets: [Double]
    var permuted: GameData?
    var permutedGame: NormalFormGame?
    /// New joint index → old joint index under the permutation.
    var permutedOldIndex: [Int]?
    var specs: [SolveSpec]

    func spec(_ label: String) -> SolveSpec? { specs.first { $0.label == label } }
}

struct SetupError: Error, CustomStringConvertible {
    var description: String
}

extension CaseSetup {
    static func make(_ plan: CasePlan) throws -> CaseSetup {
        let base = GameFactory.base(plan)
        let baseGame = try base.game(textOrigin: plan.textOrigin)
        let (scales, offsets) = GameFactory.transform(plan, base: base)
        let scaled = plan.textOrigin && baseGame.exactPayoffs != nil
            ? GameFactory.applyExactly(base, exact: baseGame.exactPayoffs!, scales: scales, offsets: offsets)
            : GameFactory.apply(base, scales: scales, offsets: offsets)
        let scaledGame = try scaled.game(textOrigin: plan.textOrigin)
        var setup = CaseSetup(plan: plan, base: base, baseGame: baseGame, scaled: scaled, scaledGame: scaledGame,
                              scales: scales, offsets: offsets, permuted: nil, permutedGame: nil, permutedOldIndex: nil,
                              specs: [])
        if let perm = plan.permutation {
            let data = GameFactory.permute(base, perm)
            setup.permuted = data
            setup.permutedGame = try data.game(textOrigin: plan.textOrigin)
            setup.permutedOldIndex = GameFactory.jointMap(perm, shape: base.shape).oldIndex
        }
        if let lp = plan.lp {
            try setup.addLP(lp)
        } else if let m = plan.mwmre {
            try setup.addMWMRE(m)
        }
        return setup
    }

    // MARK: - LP

    /// ε in the base game's units.
    func baseEpsilon(_ e: EpsilonPlan) -> [Double] {
        let ranges = (0..<base.players).map { base.range(of: $0) }
        let largest = ranges.max() ?? 0
        return (0..<base.players).map { p in e.shared ? e.factors[p] * largest : e.factors[p] * ranges[p] }
    }

    func permuteVector<T>(_ v: [T]) -> [T] { permutedOldIndex!.map { v[$0] } }
    func permutePlayers<T>(_ v: [T]) -> [T] { plan.permutation!.players.map { v[$0] } }

    static func list(_ values: [Double]) -> String { values.map(GameData.number).joined(separator: ",") }

    static func lpRequest(_ lp: LPPlan, data: GameData, game: NormalFormGame, epsilon: [Double], exact: Bool,
                          coefficients: [Double]?, jointIndex: Int?, welfareOverride: [Double]?, support: [Bool]? = nil)
        -> LPRequest
    {
        let ce = lp.ce
        var cli = ["--concept", ce ? "ce" : "cce"]
        var objective = lp.objective
        var selection: LinearSelection
        var maxForm: [Double]?
        var maxFormExact: [Rational]?
        switch lp.objective {
        case .maxWelfare, .minWelfare:
            let maximize = lp.objective == .maxWelfare
            if let w = welfareOverride {
                // Per-player scales change Σ_p G_p: keep the base game's welfare as a linear objective.
                let c = w.map { Rational($0) }
                selection = .linear(coefficients: c, maximize: maximize)
                objective = maximize ? .maxLinear : .minLinear
                maxForm = w.map { maximize ? $0 : -$0 }
                maxFormExact = c.map { maximize ? $0 : -$0 }
                cli += ["--objective", objective.rawValue, "--coefficients=" + list(w)]
            } else if maximize {
                selection = .maximumWelfare
                maxForm = game.welfare
                maxFormExact = game.rationalWelfare
                cli += ["--objective", "max-welfare"]
            } else {
                let c = game.rationalWelfare
                selection = .linear(coefficients: c, maximize: false)
                maxForm = c.map { -$0.doubleValue }
                maxFormExact = c.map { -$0 }
                cli += ["--objective", "min-welfare"]
            }
        case .maxLinear, .minLinear:
            let maximize = lp.objective == .maxLinear
            let c = coefficients!.map { Rational($0) }
            selection = .linear(coefficients: c, maximize: maximize)
            maxForm = coefficients!.map { maximize ? $0 : -$0 }
            maxFormExact = c.map { maximize ? $0 : -$0 }
            cli += ["--objective", objective.rawValue, "--coefficients=" + list(coefficients!)]
        case .maxProbability:
            let j = jointIndex!
            selection = .maximumProbability(jointIndex: j)
            var e = [Double](repeating: 0, count: data.joint)
            e[j] = 1
            maxForm = e
            maxFormExact = e.map { Rational($0) }
            let actions = game.actions(ofJointIndex: j).map { String($0 + 1) }.joined(separator: ",")
            cli += ["--objective", "max-probability", "--joint-action", actions]
        case .minEpsilon, .minEpsilonPerPlayer:
            selection = .minimumEpsilon(perPlayer: lp.objective == .minEpsilonPerPlayer)
            cli += ["--objective", lp.objective.rawValue]
        }
        if !lp.objective.isMinimumEpsilon && epsilon.contains(where: { $0 != 0 }) {
            cli += ["--epsilon=" + list(epsilon)]
        }
        if exact { cli.append("--exact") }
        if !lp.optimalFace { cli.append("--no-face") }
        return LPRequest(ce: ce, objective: objective, selection: selection, maxForm: maxForm, maxFormExact: maxFormExact,
                         epsilon: epsilon, exact: exact, optimalFace: lp.optimalFace, support: support, cli: cli)
    }

    mutating func addLP(_ lp: LPPlan) throws {
        let epsilon = baseEpsilon(lp.epsilon)
        let scaledEpsilon = zip(epsilon, scales).map { $0 * $1 }
        // Welfare objectives under per-player scales: the base welfare as a linear objective.
        let override = (!plan.uniformScale && lp.objective.usesWelfare && base.welfare == nil) ? base.libraryWelfare : nil
        let exactBase = plan.family == .lpExact
        specs.append(SolveSpec(
            label: "base", data: base, game: baseGame, textOrigin: plan.textOrigin,
            request: .lp(Self.lpRequest(lp, data: base, game: baseGame, epsilon: epsilon, exact: false,
                                        coefficients: lp.coefficients, jointIndex: lp.jointIndex, welfareOverride: nil)),
            relation: .base))
        specs.append(SolveSpec(
            label: "scaled", data: scaled, game: scaledGame, textOrigin: plan.textOrigin,
            request: .lp(Self.lpRequest(lp, data: scaled, game: scaledGame, epsilon: scaledEpsilon, exact: false,
                                        coefficients: lp.coefficients, jointIndex: lp.jointIndex,
                                        welfareOverride: override)),
            relation: .scaled))
        if let permuted, let permutedGame {
            let j = lp.jointIndex.map { old in permutedOldIndex!.firstIndex(of: old)! }
            specs.append(SolveSpec(
                label: "permuted", data: permuted, game: permutedGame, textOrigin: plan.textOrigin,
                request: .lp(Self.lpRequest(lp, data: permuted, game: permutedGame, epsilon: permutePlayers(epsilon),
                                            exact: false, coefficients: lp.coefficients.map(permuteVector),
                                            jointIndex: j, welfareOverride: nil)),
                relation: .permuted))
        }
        if exactBase {
            specs.append(SolveSpec(
                label: "exact", data: base, game: baseGame, textOrigin: plan.textOrigin,
                request: .lp(Self.lpRequest(lp, data: base, game: baseGame, epsilon: epsilon, exact: true,
                                            coefficients: lp.coefficients, jointIndex: lp.jointIndex, welfareOverride: nil)),
                relation: .exact(of: "base")))
            if lp.exactScaled {
                specs.append(SolveSpec(
                    label: "exact-scaled", data: scaled, game: scaledGame, textOrigin: plan.textOrigin,
                    request: .lp(Self.lpRequest(lp, data: scaled, game: scaledGame, epsilon: scaledEpsilon, exact: true,
                                                coefficients: lp.coefficients, jointIndex: lp.jointIndex,
                                                welfareOverride: override)),
                    relation: .exact(of: "scaled")))
            }
        }
    }

    /// The minimum-ε LPs on the base game used to decide infeasible claims.
    func auxiliarySpec(perPlayer: Bool, ce: Bool, support: [Bool]?) -> SolveSpec {
        let lp = LPPlan(ce: ce, objective: perPlayer ? .minEpsilonPerPlayer : .minEpsilon, coefficients: nil,
                        jointIndex: nil, epsilon: EpsilonPlan(factors: Array(repeating: 0, count: base.players), shared: true),
                        optimalFace: false, exactScaled: false)
        var request = Self.lpRequest(lp, data: base, game: baseGame, epsilon: Array(repeating: 0, count: base.players),
                                     exact: false, coefficients: nil, jointIndex: nil, welfareOverride: nil, support: support)
        request.support = support
        return SolveSpec(label: perPlayer ? "aux-min-epsilon-per-player" : "aux-min-epsilon", data: base, game: baseGame,
                         textOrigin: plan.textOrigin, request: .lp(request), relation: .auxiliary)
    }

    // MARK: - MWMRE

    mutating func addMWMRE(_ m: MWMREPlan) throws {
        let baseRequest = try mwmreRequest(m, data: base, game: baseGame, scale: 1)
        specs.append(SolveSpec(label: "base", data: base, game: baseGame, textOrigin: plan.textOrigin,
                               request: .mwmre(baseRequest), relation: .base))
        let scaledRequest = try mwmreRequest(m, data: scaled, game: scaledGame, scale: scales[0])
        specs.append(SolveSpec(label: "scaled", data: scaled, game: scaledGame, textOrigin: plan.textOrigin,
                               request: .mwmre(scaledRequest), relation: .scaled))
        if let permuted, let permutedGame {
            let request = try permutedRequest(baseRequest, m, data: permuted, game: permutedGame)
            specs.append(SolveSpec(label: "permuted", data: permuted, game: permutedGame, textOrigin: plan.textOrigin,
                                   request: .mwmre(request), relation: .permuted))
        }
        for (label, request) in [("base", baseRequest), ("scaled", scaledRequest)] where request.parameters.mu.isInfinite {
            if let reference = referenceSpec(for: request, label: label) { specs.append(reference) }
        }
    }

    /// The max-welfare LP on the solver's game with ε = ε̂ on the target's support: W* of μ = ∞.
    func referenceSpec(for request: MWMRERequest, label: String) -> SolveSpec? {
        guard let welfare = request.parameters.welfare, welfare.allSatisfy({ $0.isFinite }),
              request.parameters.epsilonTarget.allSatisfy({ $0.isFinite }) else { return nil }
        let lp = LPPlan(ce: request.parameters.concept == .correlated, objective: .maxLinear, coefficients: welfare,
                        jointIndex: nil, epsilon: EpsilonPlan(factors: [], shared: false), optimalFace: false, exactScaled: false)
        let lpRequest = Self.lpRequest(lp, data: request.solveData, game: request.solveGame,
                                       epsilon: request.parameters.epsilonTarget, exact: false, coefficients: welfare,
                                       jointIndex: nil, welfareOverride: nil, support: request.support)
        return SolveSpec(label: "reference-" + label, data: request.solveData, game: request.solveGame, textOrigin: false,
                         request: .lp(lpRequest), relation: .reference(of: label))
    }

    static func isExtreme(_ p: MWMREParameters, data: GameData) -> Bool {
        let ranges = (0..<data.players).map { max(data.range(of: $0), 1e-300) }
        let mean = ranges.reduce(0, +) / Double(ranges.count)
        if p.mu.isFinite && (p.mu * mean > 1e12 || p.mu > 1e100) { return true }
        if p.rho.isFinite && (p.rho * mean > 1e12 || p.rho * mean < 1e-12 || p.rho > 1e100 || p.rho < 1e-100) { return true }
        // ε̂ and ε⁺ are payoffs: out of range only relative to the payoffs (ε⁺ is unused at ρ = ∞).
        for q in 0..<data.players {
            if abs(p.epsilonTarget[q]) > 1e12 * ranges[q] { return true }
            if p.rho.isFinite && abs(p.epsilonCap[q]) > 1e12 * ranges[q] { return true }
        }
        return false
    }

    func mwmreRequest(_ m: MWMREPlan, data: GameData, game: NormalFormGame, scale s: Double) throws -> MWMRERequest {
        let concept: EquilibriumConcept = m.ce ? .correlated : .coarseCorrelated
        let method = MWMREMethod(rawValue: m.method) ?? .newton
        let cli = ["--concept", m.ce ? "ce" : "cce"]
        switch m.mode {
        case .preset:
            return try presetRequest(m, data: data, game: game, concept: concept, method: method, cli: cli)
        case .raw:
            return rawRequest(m, data: data, game: game, scale: s, concept: concept, method: method, cli: cli)
        case .tieBreak:
            return tieBreakRequest(m, data: data, game: game, scale: s, concept: concept, cli: cli)
        }
    }

    /// A preset's problem, posed as `solve --objective mwmre` poses it (MWMRECommand.runMWMRE).
    private func presetRequest(_ m: MWMREPlan, data: GameData, game: NormalFormGame, concept: EquilibriumConcept,
                               method: MWMREMethod, cli: [String]) throws -> MWMRERequest {
        var cli = cli
        var files: [(String, String)] = []
        func vectorFile(_ name: String, _ v: [Double]) -> String {
            files.append((name, "[" + v.map(GameData.number).joined(separator: ", ") + "]"))
            return name
        }
        let (normalized, _) = game.l2Normalized()
        guard let preset = MWMREPreset(rawValue: m.preset) else { throw SetupError(description: "no preset \(m.preset)") }
        // The library's one definition of the problem, as `solve --objective mwmre` uses it.
        var problem = MWMREProblem(concept: concept, preset: preset, seed: m.presetSeed)
        cli += ["--objective", "mwmre", "--preset", m.preset, "--method", m.method]
        if let t = m.target, m.preset == "MT" { problem.target = .given(t); cli += ["--target", vectorFile("target.json", t)] }
        if let w = m.welfare, m.preset.hasSuffix("MWME") { problem.welfare = w; cli += ["--welfare", vectorFile("welfare.json", w)] }
        if let mu = m.mu { problem.mu = mu; cli += ["--mu", mu.isInfinite ? "inf" : GameData.number(mu)] }
        if let rho = m.rho, !problem.effectiveMu.isInfinite {
            problem.rho = rho
            cli += ["--rho", rho.isInfinite ? "inf" : GameData.number(rho)]
        }
        if let e = m.epsHat { problem.epsilonTarget = e; cli += ["--eps-hat=" + Self.list(e)] }
        if let e = m.epsPlus, !problem.effectiveMu.isInfinite, !problem.effectiveRho.isInfinite {
            problem.epsilonCap = e
            cli += ["--eps-plus=" + Self.list(e)]
        }
        if problem.samplesAnything { cli += ["--seed", String(m.presetSeed)] }
        if problem.welfare != nil && problem.effectiveMu == 0 { problem.welfare = nil }
        var p: MWMREParameters
        do {
            p = try problem.instance(of: .init(game: game)).parameters
        } catch {
            // An out-of-range explicit value (an extreme plan): pose the problem without it and
            // set the value directly, so that the solver's own refusal is what gets tested.
            guard error.isParameterError else { throw error }
            var plain = problem
            plain.epsilonTarget = nil
            plain.epsilonCap = nil
            p = try plain.instance(of: .init(game: game)).parameters
            if let e = m.epsHat { p.epsilonTarget = e }
            if let e = m.epsPlus { p.epsilonCap = e }
        }
        let solveData = GameData(shape: data.shape, payoffs: normalized.payoffs, welfare: normalized.customWelfare)
        let own = (0..<data.players).map { Oracle.normalizationScale(data.payoffs(of: $0)) }
        return MWMRERequest(mode: .preset, preset: m.preset, parameters: p, method: method, tolerance: 1e-10,
                            solveGame: normalized, solveData: solveData, ownScales: own,
                            extreme: m.extreme || Self.isExtreme(p, data: solveData), cli: cli, files: files)
    }

    /// A problem in raw units, its parameters relative to the payoff ranges at scale s.
    private func rawRequest(_ m: MWMREPlan, data: GameData, game: NormalFormGame, scale s: Double,
                            concept: EquilibriumConcept, method: MWMREMethod, cli: [String]) -> MWMRERequest {
        var cli = cli
        var files: [(String, String)] = []
        func vectorFile(_ name: String, _ v: [Double]) -> String {
            files.append((name, "[" + v.map(GameData.number).joined(separator: ", ") + "]"))
            return name
        }
        let ranges = (0..<base.players).map { base.range(of: $0) > 0 ? base.range(of: $0) : 1 }
        let mean = ranges.reduce(0, +) / Double(ranges.count)
        let hatFactors = m.epsilonHatPlan!.factors
        var epsHat = (0..<base.players).map { s * hatFactors[$0] * ranges[$0] }
        var epsPlus = (0..<base.players).map { epsHat[$0] + s * m.capFactors![$0] * ranges[$0] }
        var mu = m.muRelative!.isInfinite ? Double.infinity : m.muRelative! / (mean * s)
        var rho = m.rhoRelative!.isInfinite ? Double.infinity : m.rhoRelative! / (mean * s)
        if let o = m.mu { mu = o }
        if let o = m.rho { rho = o }
        if let o = m.epsHat { epsHat = o }
        if let o = m.epsPlus { epsPlus = o }
        for q in 0..<base.players where !(epsPlus[q] > epsHat[q]) {
            epsPlus[q] = epsHat[q] + abs(epsHat[q]) + s * ranges[q]
        }
        var welfare: [Double]?
        var presetName = "ME"
        if mu > 0 {
            if let w = m.welfare, !m.gameWelfare {
                welfare = w.map { $0 * mean * s }
                presetName = "MWME"
            } else if data.welfare != nil {
                // A custom welfare does not scale with the payoffs: use Σ_p G_p itself.
                welfare = GameData(shape: data.shape, payoffs: data.payoffs).libraryWelfare
                presetName = "MWME"
            } else {
                welfare = game.welfare
                presetName = "MU"
            }
        }
        let tolerance = 1e-10 * mean * s
        var p = MWMREParameters(concept: concept, target: m.target, epsilonTarget: epsHat, epsilonCap: epsPlus,
                                welfare: welfare, mu: mu, rho: rho)
        if mu == 0 { p.welfare = nil }
        cli += ["--objective", "mwmre", "--raw-units", "--preset", presetName, "--method", m.method,
                "--mu", mu.isInfinite ? "inf" : GameData.number(mu), "--rho", rho.isInfinite ? "inf" : GameData.number(rho),
                "--eps-hat=" + Self.list(epsHat), "--eps-plus=" + Self.list(epsPlus),
                "--tolerance", GameData.number(tolerance)]
        if let t = m.target { cli += ["--target", vectorFile("target.json", t)] }
        if presetName == "MWME", let w = welfare { cli += ["--welfare", vectorFile("welfare.json", w)] }
        return MWMRERequest(mode: .raw, preset: nil, parameters: p, method: method, tolerance: tolerance,
                            solveGame: game, solveData: data, ownScales: nil,
                            extreme: m.extreme || Self.isExtreme(p, data: data), cli: cli, files: files)
    }

    /// The max-entropy tie-break, as `solve --tie-break max-entropy` does it (MWMRECommand.runTieBreak).
    private func tieBreakRequest(_ m: MWMREPlan, data: GameData, game: NormalFormGame, scale s: Double,
                                 concept: EquilibriumConcept, cli: [String]) -> MWMRERequest {
        var cli = cli
        let files: [(String, String)] = []
        let baseEps = baseEpsilon(m.epsilonHatPlan!)
        let epsHat = baseEps.map { $0 * s }
        let p = MWMRESolver.tieBreakParameters(game: game, concept: concept, epsilon: epsHat)
        cli += ["--tie-break", "max-entropy"]
        if epsHat.contains(where: { $0 != 0 }) { cli += ["--epsilon=" + Self.list(epsHat)] }
        let largest = game.deviationGains(concept).values.reduce(0) { max($0, abs($1)) }
        return MWMRERequest(mode: .tieBreak, preset: nil, parameters: p, method: .newton,
                            tolerance: MWMRESolver.defaultTolerance(largestGain: largest),
                            solveGame: game, solveData: data, ownScales: nil,
                            extreme: Self.isExtreme(p, data: data), cli: cli, files: files)
    }

    /// The base request on the permuted game: every parameter vector permuted (not redrawn).
    func permutedRequest(_ baseRequest: MWMRERequest, _ m: MWMREPlan, data: GameData, game: NormalFormGame) throws
        -> MWMRERequest
    {
        var p = baseRequest.parameters
        p.target = p.target.map(permuteVector)
        p.welfare = p.welfare.map(permuteVector)
        p.epsilonTarget = permutePlayers(p.epsilonTarget)
        p.epsilonCap = permutePlayers(p.epsilonCap)
        var request = baseRequest
        request.parameters = p
        var files: [(String, String)] = []
        func vectorFile(_ name: String, _ v: [Double]) -> String {
            files.append((name, "[" + v.map(GameData.number).joined(separator: ", ") + "]"))
            return name
        }
        var cli = ["--concept", m.ce ? "ce" : "cce"]
        switch m.mode {
        case .preset:
            let (normalized, _) = game.l2Normalized()
            request.solveGame = normalized
            request.solveData = GameData(shape: data.shape, payoffs: normalized.payoffs, welfare: normalized.customWelfare)
            request.ownScales = (0..<data.players).map { Oracle.normalizationScale(data.payoffs(of: $0)) }
            if m.preset == "MU" {
                // MU's welfare is Σ_p G_p of the permuted game (never its custom welfare).
                p.welfare = MWMREProblem.utilitarianWelfare(of: game, units: .normalized)
                request.parameters.welfare = p.welfare
            } else if p.welfare != nil && m.welfare == nil {
                // The welfare comes from the permuted game itself, as the preset computes it.
                p.welfare = game.customWelfare.map { PayoffNormalization.normalizeL2($0).values }
                    ?? MWMREProblem.utilitarianWelfare(of: game, units: .normalized)
                request.parameters.welfare = p.welfare
            }
            cli += ["--objective", "mwmre", "--preset", m.preset, "--method", m.method,
                    "--mu", p.mu.isInfinite ? "inf" : GameData.number(p.mu), "--eps-hat=" + Self.list(p.epsilonTarget)]
            if !p.mu.isInfinite { cli += ["--rho", p.rho.isInfinite ? "inf" : GameData.number(p.rho)] }
            if !p.mu.isInfinite && !p.rho.isInfinite { cli += ["--eps-plus=" + Self.list(p.epsilonCap)] }
            if let t = p.target { cli += ["--target", vectorFile("target.json", t)] }
            if let w = m.welfare, m.preset.hasSuffix("MWME") { cli += ["--welfare", vectorFile("welfare.json", permuteVector(w))] }
        case .raw:
            request.solveGame = game
            request.solveData = data
            cli = baseRequest.cli.filter { !$0.hasPrefix("--eps-") }
            if let i = cli.firstIndex(of: "--target") { cli.removeSubrange(i...(i + 1)) }
            if let i = cli.firstIndex(of: "--welfare") { cli.removeSubrange(i...(i + 1)) }
            cli += ["--eps-hat=" + Self.list(p.epsilonTarget), "--eps-plus=" + Self.list(p.epsilonCap)]
            if let t = p.target { cli += ["--target", vectorFile("target.json", t)] }
            if let w = p.welfare, baseRequest.cli.contains("MWME") { cli += ["--welfare", vectorFile("welfare.json", w)] }
            if baseRequest.cli.contains("MU") {
                request.parameters.welfare = game.welfare
            }
        case .tieBreak:
            request.solveGame = game
            request.solveData = data
            request.parameters = MWMRESolver.tieBreakParameters(game: game, concept: request.parameters.concept,
                                                                epsilon: request.parameters.epsilonTarget)
            cli += ["--tie-break", "max-entropy"]
            if p.epsilonTarget.contains(where: { $0 != 0 }) { cli += ["--epsilon=" + Self.list(p.epsilonTarget)] }
        }
        request.cli = cli
        request.files = files
        return request
    }
}
