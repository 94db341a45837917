import CEquilibria
import EquilibriumSolvers
import Foundation
import GameDatasets
import GameGenerators
import GameVerification
import NormalFormGames

// MARK: - MWMRE

@_cdecl("eq_mwmre_solve")
public func eq_mwmre_solve(_ gamesPointer: UnsafePointer<eq_games>?, _ optionsPointer: UnsafePointer<eq_mwmre_options>?,
                           _ jobs: Int64, _ resultPointer: UnsafeMutablePointer<eq_mwmre_result>?,
                           _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    entryPoint(message) { () throws(ABIError) in
        let games = try Games(gamesPointer)
        guard let result = resultPointer else { throw .input("result is NULL") }
        let request = try MWMRERequest(optionsPointer, games: games)
        let out = try MWMREOutputs(result.pointee, games: games, concept: request.concept)
        // Every game's problem is posed (and its parameters checked) before anything is solved,
        // so that a bad option is an error naming the game, never a half-finished answer.
        let instances = try request.instances(games)
        let outcomes = ParallelMap.map(count: games.count, jobs: workers(jobs)) { k in
            Result { () throws(MWMREError) in
                try MWMRESolver.solve(game: instances[k].game, parameters: instances[k].parameters,
                                      method: request.method, tolerance: request.tolerance)
            }
        }
        try out.finish(result, instances: instances.map { ($0.parameters, $0.normalization) }, outcomes: outcomes, games: games)
    }
}

@_cdecl("eq_tie_break")
public func eq_tie_break(_ gamesPointer: UnsafePointer<eq_games>?, _ conceptCode: Int32, _ epsilonText: UnsafePointer<CChar>?,
                         _ jobs: Int64, _ resultPointer: UnsafeMutablePointer<eq_mwmre_result>?,
                         _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    entryPoint(message) { () throws(ABIError) in
        let games = try Games(gamesPointer)
        guard let result = resultPointer else { throw .input("result is NULL") }
        let c = try concept(conceptCode)
        let epsilon = try EquilibriaABI.epsilon(epsilonText, players: games.shape.players)?.map(\.doubleValue)
            ?? Array(repeating: 0, count: games.shape.players)
        let out = try MWMREOutputs(result.pointee, games: games, concept: c)
        let parameters = games.games.map { MWMRESolver.tieBreakParameters(game: $0, concept: c, epsilon: epsilon) }
        for (k, p) in parameters.enumerated() {
            do throws(MWMREError) {
                try MWMRESolver.checkParameters(game: games.games[k], parameters: p)
            } catch {
                throw .option(games.prefix(k) + error.message)
            }
        }
        let outcomes = ParallelMap.map(count: games.count, jobs: workers(jobs)) { k in
            Result { () throws(MWMREError) in try MWMRESolver.solve(game: games.games[k], parameters: parameters[k]) }
        }
        try out.finish(result, instances: parameters.map { ($0, nil) }, outcomes: outcomes, games: games)
    }
}

/// The MWMRE problem asked for: ``MWMREProblem``, the library's one definition, from the options.
struct MWMRERequest: Sendable {
    var problem: MWMREProblem
    var perGameTarget: [[Double]]?
    var perGameWelfare: [[Double]]?
    var method: MWMREMethod
    var tolerance: Double?
    var concept: EquilibriumConcept { problem.concept }

    init(_ pointer: UnsafePointer<eq_mwmre_options>?, games: Games) throws(ABIError) {
        guard let o = pointer?.pointee else { throw .input("options is NULL") }
        let shape = games.shape
        let c = try EquilibriaABI.concept(o.concept)
        var preset = MWMREPreset.maximumEntropy
        if let name = try string(o.preset, name: "preset") {
            guard let p = MWMREPreset(rawValue: name) else {
                throw .option("preset: unknown preset '\(name)'; one of \(MWMREPreset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            preset = p
        }
        func list(_ p: UnsafePointer<Double>?, _ count: Int64, _ symbol: String) throws(ABIError) -> [Double]? {
            guard p != nil else { return nil }
            guard count >= 1 else { throw .option("\(symbol): give one value, or one per player (\(shape.players))") }
            return try values(p, count: Int(count), name: symbol)
        }
        var target: MWMREProblem.Target?
        if o.target_uniform != 0 {
            if o.target != nil { throw .option("σ̂: give a target or ask for the uniform one, not both") }
            target = .uniform
        }
        let k = games.count
        if let p = o.target {
            let rows = o.target_per_game != 0 ? k : 1
            let flat = try values(p, count: rows * shape.joint, name: "target")
            let split = (0..<rows).map { Array(flat[($0 * shape.joint)..<(($0 + 1) * shape.joint)]) }
            for (i, t) in split.enumerated() {
                let at = o.target_per_game != 0 ? " (game \(i))" : ""
                if let bad = t.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                    throw .option("σ̂\(at): entry \(bad) is \(t[bad]); a target is a distribution (finite, ≥ 0)")
                }
            }
            if o.target_per_game != 0 { perGameTarget = split } else { target = .given(split[0]) }
        } else if o.target_per_game != 0 {
            throw .option("σ̂: target_per_game without a target")
        }
        var welfare: [Double]?
        if let p = o.welfare {
            let rows = o.welfare_per_game != 0 ? k : 1
            let flat = try values(p, count: rows * shape.joint, name: "welfare")
            let split = (0..<rows).map { Array(flat[($0 * shape.joint)..<(($0 + 1) * shape.joint)]) }
            if o.welfare_per_game != 0 { perGameWelfare = split } else { welfare = split[0] }
        } else if o.welfare_per_game != 0 {
            throw .option("W: welfare_per_game without a welfare")
        }
        switch o.method {
        case Int32(EQ_NEWTON.rawValue): method = .newton
        case Int32(EQ_LBFGSB.rawValue): method = .lbfgsb
        case Int32(EQ_LBFGSB_NEWTON.rawValue): method = .lbfgsbNewton
        default: throw .option("method: \(o.method) is not an eq_method (0 newton, 1 lbfgsb, 2 lbfgsb-newton)")
        }
        if o.tolerance.isNaN {
            tolerance = nil
        } else {
            guard o.tolerance.isFinite, o.tolerance > 0 else {
                throw .option("tolerance: \(o.tolerance); give a positive number")
            }
            tolerance = o.tolerance
        }
        let mu: Double? = o.mu.isNaN ? nil : o.mu, rho: Double? = o.rho.isNaN ? nil : o.rho
        let hasSeed = o.has_seed != 0
        // The seed rule of `solve` for a game of a collection: an explicit seed, else the
        // collection's; a single game: an explicit seed, else 0.
        let seed = hasSeed ? o.seed : (games.gameIndices != nil ? games.collectionSeed : 0)
        problem = MWMREProblem(
            concept: c, preset: preset, units: o.raw_units != 0 ? .raw : .normalized, mu: mu, rho: rho,
            epsilonTarget: try list(o.eps_hat, o.eps_hat_count, "ε̂"), epsilonCap: try list(o.eps_plus, o.eps_plus_count, "ε⁺"),
            target: target, welfare: welfare, seed: seed, samplesMissingWelfare: games.gameIndices != nil)
        if perGameTarget != nil { problem.target = .given([]) }
        if perGameWelfare != nil { problem.welfare = [] }
        if hasSeed {
            do {
                try problem.checkExplicitSeed()
            } catch {
                throw .option(error.message)
            }
        }
        if o.raw_units != 0 && games.isNormalized {
            throw .option("raw_units: the games are marked normalized; raw units solve the payoffs as given, so leave one of the two")
        }
    }

    /// Game k's problem.
    func problem(_ k: Int) -> MWMREProblem {
        var p = problem
        if let t = perGameTarget { p.target = .given(t[k]) }
        if let w = perGameWelfare { p.welfare = w[k] }
        return p
    }

    /// Every game's instance; a parameter error names the game.
    func instances(_ games: Games) throws(ABIError) -> [MWMREProblem.Instance] {
        var result: [MWMREProblem.Instance] = []
        result.reserveCapacity(games.count)
        for k in 0..<games.count {
            do throws(MWMREError) {
                let source = MWMREProblem.Source(game: games.games[k], gameIndex: games.gameIndices?[k],
                                                 isNormalized: games.isNormalized)
                let instance = try problem(k).instance(of: source)
                try MWMRESolver.checkParameters(game: instance.game, parameters: instance.parameters)
                if let t = instance.parameters.target {
                    let total = t.reduce(0, +)
                    guard total > 0, abs(total - 1) <= 1e-9 else {
                        throw MWMREError.parameter("σ̂ sums to \(total); a target is a distribution (sum 1)")
                    }
                }
                result.append(instance)
            } catch {
                throw .option(games.prefix(k) + error.message)
            }
        }
        return result
    }
}

/// The caller's output arrays of an MWMRE solve.
struct MWMREOutputs {
    let status, certified, attained, minimumDefined, welfareMaxDefined, welfareDefined: Output<Int32>
    let joint, epsilon, scale, duals, target, problemWelfare, epsHat, epsPlus: Output<Double>
    let dualObjective, primalObjective, gap, kkt, violation, minimumEpsilon, maximumWelfare, mu, rho: Output<Double>
    let iterations, zeroJoint, equalityRows: Output<Int64>

    init(_ r: eq_mwmre_result, games: Games, concept: EquilibriumConcept) throws(ABIError) {
        let a = games.shape.joint, n = games.shape.players
        let rows = DeviationGains<Double>.rowCount(concept: concept, actionCounts: games.shape.actionCounts)
        status = try Output(r.status, width: 1, name: "status")
        certified = try Output(r.certified, width: 1, name: "certified")
        attained = try Output(r.duals_attained, width: 1, name: "duals_attained")
        minimumDefined = try Output(r.minimum_epsilon_defined, width: 1, name: "minimum_epsilon_defined")
        welfareMaxDefined = try Output(r.maximum_welfare_defined, width: 1, name: "maximum_welfare_defined")
        welfareDefined = try Output(r.welfare_defined, width: 1, name: "welfare_defined")
        joint = try Output(r.joint, width: a, name: "joint")
        epsilon = try Output(r.epsilon, width: n, name: "epsilon")
        scale = try Output(r.payoff_scale, width: n, name: "payoff_scale")
        duals = try Output(r.duals, width: rows, name: "duals")
        target = try Output(r.target, width: a, name: "target")
        problemWelfare = try Output(r.problem_welfare, width: a, name: "problem_welfare")
        epsHat = try Output(r.eps_hat, width: n, name: "eps_hat")
        epsPlus = try Output(r.eps_plus, width: n, name: "eps_plus")
        dualObjective = try Output(r.dual_objective, width: 1, name: "dual_objective")
        primalObjective = try Output(r.primal_objective, width: 1, name: "primal_objective")
        gap = try Output(r.gap, width: 1, name: "gap")
        kkt = try Output(r.kkt_residual, width: 1, name: "kkt_residual")
        violation = try Output(r.max_violation, width: 1, name: "max_violation")
        minimumEpsilon = try Output(r.minimum_epsilon, width: 1, name: "minimum_epsilon")
        maximumWelfare = try Output(r.maximum_welfare, width: 1, name: "maximum_welfare")
        mu = try Output(r.mu, width: 1, name: "mu")
        rho = try Output(r.rho, width: 1, name: "rho")
        iterations = try Output(r.iterations, width: 1, name: "iterations")
        zeroJoint = try Output(r.zero_joint_actions, width: 1, name: "zero_joint_actions")
        equalityRows = try Output(r.equality_rows, width: 1, name: "equality_rows")
    }

    static func code(_ status: MWMREStatus) -> Int32 {
        switch status {
        case .optimal: return Int32(EQ_OPTIMAL.rawValue)
        case .infeasible: return Int32(EQ_INFEASIBLE.rawValue)
        case .notConverged: return Int32(EQ_NOT_CONVERGED.rawValue)
        case .failed: return Int32(EQ_FAILED.rawValue)
        }
    }

    /// Writes every game's row (the problem, then the answer) and the texts.
    ///
    /// A solve that throws (rather than returning a `failed` status) refused its game: for a
    /// single game that is an error, as in `solve` (a bad option when it is about a parameter);
    /// in a batch, that game is `failed` with the reason, as in `batch`.
    func finish(_ result: UnsafeMutablePointer<eq_mwmre_result>,
                instances: [(parameters: MWMREParameters, normalization: PayoffNormalization?)],
                outcomes: [Result<MWMREResult, MWMREError>], games: Games) throws(ABIError) {
        if games.count == 1, case .failure(let error) = outcomes[0] {
            throw error.isParameterError ? .option(error.message) : .input(error.message)
        }
        var messages: [String] = [], notes: [String] = []
        let a = games.shape.joint, n = games.shape.players
        for (k, outcome) in outcomes.enumerated() {
            let (p, normalization) = instances[k]
            target.setFinite(k, p.target ?? Array(repeating: 1 / Double(a), count: a))
            problemWelfare.setFinite(k, p.welfare ?? [])
            welfareDefined.set(k, p.welfare == nil ? 0 : 1)
            epsHat.setFinite(k, p.epsilonTarget)
            epsPlus.setFinite(k, p.epsilonCap)
            mu.set(k, p.mu)
            rho.set(k, p.rho)
            scale.setFinite(k, normalization?.scales ?? Array(repeating: 1, count: n))
            switch outcome {
            case .success(let r):
                write(k, r)
                messages.append(r.message)
                notes.append(r.certifiedGap == nil ? r.certificateNote ?? "no certificate" : "")
            case .failure(let error):
                writeFailed(k)
                messages.append(games.prefix(k) + error.message)
                notes.append("failed")
            }
        }
        result.pointee.messages = duplicate(jsonArray(messages))
        result.pointee.certificate_notes = duplicate(jsonArray(notes))
    }

    private func finite(_ value: Double) -> Double { value.isFinite ? value : 0 }

    func write(_ k: Int, _ r: MWMREResult) {
        status.set(k, Self.code(r.status))
        let solved = r.status == .optimal || r.status == .notConverged
        certified.set(k, r.certifiedGap != nil ? 1 : 0)
        attained.set(k, r.dualsAttained ? 1 : 0)
        joint.setFinite(k, solved ? r.joint : [])
        epsilon.setFinite(k, solved ? r.epsilon : [])
        duals.setFinite(k, solved ? r.duals : [])
        dualObjective.set(k, solved ? finite(r.dualObjective) : 0)
        primalObjective.set(k, solved ? finite(r.primalObjective) : 0)
        gap.set(k, solved ? finite(r.certifiedGap ?? r.rawGap) : 0)
        kkt.set(k, solved ? finite(r.kktResidual) : 0)
        violation.set(k, solved ? finite(r.maximumViolation) : 0)
        iterations.set(k, Int64(r.iterations))
        minimumEpsilon.set(k, r.minimumEpsilon.flatMap { $0.isFinite ? $0 : nil }, defined: minimumDefined)
        maximumWelfare.set(k, r.maximumWelfare.flatMap { $0.isFinite ? $0 : nil }, defined: welfareMaxDefined)
        zeroJoint.set(k, Int64(r.zeroJointActions))
        equalityRows.set(k, Int64(r.equalityRows))
    }

    func writeFailed(_ k: Int) {
        status.set(k, Int32(EQ_FAILED.rawValue))
        for out in [certified, attained, minimumDefined, welfareMaxDefined] { out.set(k, 0) }
        for out in [joint, epsilon, duals] { out.set(k, [], fill: 0) }
        for out in [dualObjective, primalObjective, gap, kkt, violation, minimumEpsilon, maximumWelfare] { out.set(k, 0) }
        for out in [iterations, zeroJoint, equalityRows] { out.set(k, 0) }
    }
}

// MARK: - Verification

/// One game's prediction, checked as `equilibria verify` checks its files (``PredictionKind/checked``).
private func checkedPrediction(_ kind: PredictionKind, _ vector: [Double], name: String, game g: Int)
    throws(ABIError) -> [Double]
{
    do {
        return try kind.checked(vector, name: name, game: g) { kind == .duals ? "row \($0)" : "joint action \($0)" }
    } catch {
        throw .input(error.description)
    }
}

@_cdecl("eq_verify")
public func eq_verify(_ gamesPointer: UnsafePointer<eq_games>?, _ inputsPointer: UnsafePointer<eq_verify_inputs>?,
                      _ problemPointer: UnsafePointer<eq_mwmre_options>?, _ jobs: Int64,
                      _ metricsPointer: UnsafeMutablePointer<eq_metrics>?,
                      _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    entryPoint(message) { () throws(ABIError) in
        let games = try Games(gamesPointer)
        guard let inputs = inputsPointer?.pointee else { throw .input("inputs is NULL") }
        guard let metrics = metricsPointer else { throw .input("metrics is NULL") }
        let request = try MWMRERequest(problemPointer, games: games)
        let c = try concept(inputs.concept)
        guard c == request.concept else {
            throw .option("the problem's concept (\(request.concept.rawValue)) is not the inputs' (\(c.rawValue))")
        }
        let a = games.shape.joint, n = games.shape.players, k = games.count
        let rows = DeviationGains<Double>.rowCount(concept: c, actionCounts: games.shape.actionCounts)
        let predictions: [Prediction]
        switch (inputs.duals, inputs.joint) {
        case (let d?, nil):
            let flat = try values(d, count: k * rows, name: "duals")
            predictions = try (0..<k).map { g throws(ABIError) in
                .duals(try checkedPrediction(.duals, Array(flat[(g * rows)..<((g + 1) * rows)]), name: "duals", game: g))
            }
        case (nil, let j?):
            let flat = try values(j, count: k * a, name: "joint")
            predictions = try (0..<k).map { g throws(ABIError) in
                .joint(try checkedPrediction(.joint, Array(flat[(g * a)..<((g + 1) * a)]), name: "joint", game: g))
            }
        default:
            throw .input("give exactly one of duals and joint")
        }
        var references: [ReferenceSolution]? = nil
        if let r = inputs.reference_joint {
            let flat = try values(r, count: k * a, name: "reference_joint")
            var joints: [Double] = []
            for g in 0..<k {
                joints += try checkedPrediction(.joint, Array(flat[(g * a)..<((g + 1) * a)]), name: "reference_joint",
                                                game: g)
            }
            let eps = try inputs.reference_epsilon.map { p throws(ABIError) in try values(p, count: k * n, name: "reference_epsilon") }
            let duals = try inputs.reference_dual_objective.map { p throws(ABIError) in
                try values(p, count: k, name: "reference_dual_objective")
            }
            let built: [ReferenceSolution] = (0..<k).map { i in
                ReferenceSolution(status: "optimal", joint: Array(joints[(i * a)..<((i + 1) * a)]),
                                  epsilon: eps.map { Array($0[(i * n)..<((i + 1) * n)]) }, dualObjective: duals?[i])
            }
            references = built
        } else if inputs.reference_epsilon != nil || inputs.reference_dual_objective != nil {
            throw .input("reference_epsilon and reference_dual_objective need reference_joint")
        }
        let instances = try request.instances(games)
        let reference = references
        let outcomes = ParallelMap.map(count: k, jobs: workers(jobs)) { i in
            Result { () throws(VerificationError) in
                try MetricEvaluator.evaluate(game: instances[i].game, concept: c, prediction: predictions[i],
                                             parameters: instances[i].parameters, reference: reference?[i])
            }
        }
        var evaluated: [GameMetrics] = []
        for (i, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let m): evaluated.append(m)
            case .failure(let error): throw .input(games.prefix(i) + error.message)
            }
        }
        try MetricOutputs(metrics.pointee, players: n, joint: a).write(evaluated, into: metrics)
    }
}

/// The caller's output arrays of a verification.
struct MetricOutputs {
    let m: eq_metrics
    let players: Int, joint: Int

    init(_ m: eq_metrics, players: Int, joint: Int) {
        self.m = m
        self.players = players
        self.joint = joint
    }

    func write(_ all: [GameMetrics], into pointer: UnsafeMutablePointer<eq_metrics>) throws(ABIError) {
        let n = players
        let jointOut = try Output(m.joint, width: joint, name: "joint")
        let epsilon = try Output(m.epsilon, width: n, name: "epsilon")
        let epsilonDefined = try Output(m.epsilon_defined, width: 1, name: "epsilon_defined")
        let maxCE = try Output(m.max_ce_gain, width: n, name: "max_ce_gain")
        let maxCCE = try Output(m.max_cce_gain, width: n, name: "max_cce_gain")
        let epsDiff = try Output(m.eps_diff, width: n, name: "eps_diff")
        let epsDiffDefined = try Output(m.eps_diff_defined, width: 1, name: "eps_diff_defined")
        let corr = try Output(m.corr_dist_ce, width: 1, name: "corr_dist_ce")
        let gap = try Output(m.gap, width: 1, name: "gap")
        let welfare = try Output(m.welfare, width: 1, name: "welfare")
        func pair(_ v: UnsafeMutablePointer<Double>?, _ d: UnsafeMutablePointer<Int32>?, _ name: String)
            throws(ABIError) -> (Output<Double>, Output<Int32>) {
            (try Output(v, width: 1, name: name), try Output(d, width: 1, name: name + "_defined"))
        }
        let optional: [(pair: (Output<Double>, Output<Int32>), value: (GameMetrics) -> Double?)] = [
            (try pair(m.gap_eps, m.gap_eps_defined, "gap_eps"), { $0.gapRecoveredEpsilon }),
            (try pair(m.gap_eps_hat, m.gap_eps_hat_defined, "gap_eps_hat"), { $0.gapTargetEpsilon }),
            (try pair(m.dual_objective, m.dual_objective_defined, "dual_objective"), { $0.dualObjective }),
            (try pair(m.certified_gap, m.certified_gap_defined, "certified_gap"), { $0.certifiedGap }),
            (try pair(m.kl_pred_ref, m.kl_pred_ref_defined, "kl_pred_ref"), { $0.klPredictionReference }),
            (try pair(m.kl_ref_pred, m.kl_ref_pred_defined, "kl_ref_pred"), { $0.klReferencePrediction }),
            (try pair(m.tv, m.tv_defined, "tv"), { $0.totalVariation }),
            (try pair(m.max_abs_diff, m.max_abs_diff_defined, "max_abs_diff"), { $0.maximumAbsoluteDifference }),
            (try pair(m.welfare_ref, m.welfare_ref_defined, "welfare_ref"), { $0.referenceWelfare }),
            (try pair(m.welfare_diff, m.welfare_diff_defined, "welfare_diff"), { $0.welfareDifference }),
            (try pair(m.dual_suboptimality, m.dual_suboptimality_defined, "dual_suboptimality"), { $0.dualSuboptimality }),
        ]
        var notes: [String] = []
        for (k, g) in all.enumerated() {
            jointOut.setFinite(k, g.joint)
            epsilon.setFinite(k, g.epsilon ?? [])
            epsilonDefined.set(k, g.epsilon == nil ? 0 : 1)
            maxCE.setFinite(k, g.maximumCEGains)
            maxCCE.setFinite(k, g.maximumCCEGains)
            epsDiff.setFinite(k, g.epsilonDifference ?? [])
            epsDiffDefined.set(k, g.epsilonDifference == nil ? 0 : 1)
            corr.set(k, g.correlationDistanceCE)
            gap.set(k, g.gap)
            welfare.set(k, g.welfare)
            for entry in optional { entry.pair.0.set(k, entry.value(g), defined: entry.pair.1) }
            notes.append(g.certificateNote ?? "")
        }
        pointer.pointee.certificate_notes = duplicate(jsonArray(notes))
    }
}

// MARK: - Games

@_cdecl("eq_generate")
public func eq_generate(_ familyText: UnsafePointer<CChar>?, _ players: Int64, _ actionCounts: UnsafePointer<Int64>?,
                        _ seed: UInt64, _ first: Int64, _ count: Int64, _ normalizeText: UnsafePointer<CChar>?,
                        _ gamutRange: UnsafePointer<Double>?, _ payoffs: UnsafeMutablePointer<Double>?,
                        _ scales: UnsafeMutablePointer<Double>?, _ offsets: UnsafeMutablePointer<Double>?,
                        _ redraws: UnsafeMutablePointer<Int64>?,
                        _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    entryPoint(message) { () throws(ABIError) in
        guard let family = try string(familyText, name: "family") else { throw .option("family is NULL") }
        guard let distribution = GameDistribution(name: family) else {
            throw .option("unknown family '\(family)'; one of \(GameDistribution.all.map(\.name).joined(separator: ", "))")
        }
        let shape = try Shape(players: players, actionCounts: actionCounts)
        guard first >= 0, count >= 1, first <= Int64(BatchRequest.maximumCount), count <= Int64(BatchRequest.maximumCount) - first else {
            throw .option("games \(first) to \(first) + \(count) − 1: the first must be ≥ 0 and the count ≥ 1, within 2^53")
        }
        let (total, overflow) = Int(count).multipliedReportingOverflow(by: shape.entries)
        guard !overflow, total <= Games.maximumEntries else {
            throw .option("\(count) games of \(shape.entries) payoffs exceed the limit of \(Games.maximumEntries) payoff entries per call")
        }
        var norm: PayoffNormalization.Norm?
        if let name = try string(normalizeText, name: "normalize") {
            guard let n = PayoffNormalization.Norm(rawValue: name) else {
                throw .option("normalize: '\(name)' is not l1, l2 or linf")
            }
            norm = n
        }
        var range: (low: Double, high: Double)?
        if let r = gamutRange {
            let v = try values(r, count: 2, name: "gamut_range")
            guard v[0].isFinite, v[1].isFinite else { throw .option("gamut_range must be two finite numbers") }
            range = (v[0], v[1])
        }
        let request = GenerationRequest(distribution: distribution, actionCounts: shape.actionCounts, seed: seed,
                                        normalization: norm, gamutRange: range)
        do throws(GeneratorError) {
            try request.validate()
        } catch {
            throw .option(error.description)
        }
        let payoffsOut = try Output(payoffs, width: shape.entries, name: "payoffs")
        let scalesOut = try Output(scales, width: shape.players, name: "scales")
        let offsetsOut = try Output(offsets, width: shape.players, name: "offsets")
        let redrawsOut = try Output(redraws, width: 1, name: "redraws")
        for k in 0..<Int(count) {
            let index = Int(first) + k
            do throws(GeneratorError) {
                let sample = try request.game(at: index)
                payoffsOut.setFinite(k, sample.payoffs)
                scalesOut.setFinite(k, sample.scales ?? Array(repeating: 1, count: shape.players))
                offsetsOut.setFinite(k, sample.offsets ?? Array(repeating: 0, count: shape.players))
                redrawsOut.set(k, Int64(sample.redraws))
            } catch {
                throw .internal("game \(index): \(error.description)")
            }
        }
    }
}
