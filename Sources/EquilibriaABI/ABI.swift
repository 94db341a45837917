// The C entry points of libEquilibriaABI (declared in CEquilibria/include/equilibria.h).
//
// Each one validates every argument before any computation and turns every error into a code
// and a message: nothing here may reach a trap, so that a host process (the Python package)
// can never be aborted by its input. The solving itself is the library's, unchanged: the LP of
// `equilibria solve`, the MWMRE problem of `MWMREProblem` (as `solve`, `batch` and `verify`
// pose it), the metrics of `MetricEvaluator`, the games of `GenerationRequest`.

import CEquilibria
import EquilibriumSolvers
import Foundation
import GameDatasets
import GameGenerators
import GameVerification
import LinearProgramming
import NormalFormGames

/// Bumped whenever a struct or a signature of equilibria.h changes.
let abiVersion: Int32 = 2

@_cdecl("eq_abi_version")
public func eq_abi_version() -> Int32 { abiVersion }

@_cdecl("eq_free")
public func eq_free(_ pointer: UnsafeMutableRawPointer?) { free(pointer) }

@_cdecl("eq_gain_rows")
public func eq_gain_rows(_ players: Int64, _ actionCounts: UnsafePointer<Int64>?, _ conceptCode: Int32,
                         _ rows: UnsafeMutablePointer<Int64>?,
                         _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    entryPoint(message) { () throws(ABIError) in
        let shape = try Shape(players: players, actionCounts: actionCounts)
        let c = try concept(conceptCode)
        guard let rows else { throw .input("output rows is NULL") }
        rows.pointee = Int64(DeviationGains<Double>.rowCount(concept: c, actionCounts: shape.actionCounts))
    }
}

@_cdecl("eq_families")
public func eq_families(_ list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let entries = GameDistribution.all.map { ["name": $0.name, "summary": $0.summary] }
    list?.pointee = duplicate(jsonText(entries))
    return Int32(EQ_OK.rawValue)
}

// MARK: - Linear selections

@_cdecl("eq_lp_solve")
public func eq_lp_solve(_ gamesPointer: UnsafePointer<eq_games>?, _ optionsPointer: UnsafePointer<eq_lp_options>?,
                        _ jobs: Int64, _ resultPointer: UnsafeMutablePointer<eq_lp_result>?,
                        _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    entryPoint(message) { () throws(ABIError) in
        let games = try Games(gamesPointer)
        guard let options = optionsPointer?.pointee else { throw .input("options is NULL") }
        guard let result = resultPointer else { throw .input("result is NULL") }
        let request = try LPRequest(options, shape: games.shape)
        let out = try LPOutputs(result.pointee, games: games, concept: request.concept)
        let outcomes = ParallelMap.map(count: games.count, jobs: workers(jobs)) { k in
            Result { () throws(EquilibriumLPError) in try request.solve(games.games[k]) }
        }
        let certificateOutputs = request.certify ? try CertificateOutputs(result.pointee) : nil
        var notes: [String] = [], exact: [Any] = [], certificates: [Any] = []
        for (k, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let r):
                out.write(k, r)
                if let certificateOutputs {
                    certificates.append(certificateOutputs.write(k, r.certification))
                } else {
                    certificates.append(NSNull())
                }
                notes.append([r.note, r.faceNote.map { "optimal face: " + $0 }].compactMap { $0 }.joined(separator: "; "))
                exact.append(r.isExact ? LPOutputs.exactValues(r) : NSNull())
            case .failure(let error):
                // The LP refuses a game it cannot pose (a payoff range that overflows a double):
                // bad input for a single game, as in `solve`; in a batch, that game's status is
                // `failed` with the reason, as in `batch`, and the others are answered.
                if games.count == 1 { throw .input(error.message) }
                out.writeFailed(k)
                notes.append(games.prefix(k) + error.message)
                exact.append(NSNull())
                certificates.append(certificateOutputs?.write(k, nil) ?? NSNull())
            }
        }
        result.pointee.notes = duplicate(jsonArray(notes))
        result.pointee.exact = duplicate(jsonText(exact))
        result.pointee.certificates = duplicate(jsonText(certificates))
    }
}

/// The linear selection asked for, checked against the shape (the rules of `equilibria solve`).
struct LPRequest: Sendable {
    var concept: EquilibriumConcept
    var objective: Int32
    var epsilon: [Rational]?
    var coefficients: [Rational]?
    var jointAction: [Int]?
    var exact: Bool
    var face: Bool
    var faceRanges: FaceRanges
    var exactTimeLimit: Duration
    var certify: Bool

    init(_ o: eq_lp_options, shape: Shape) throws(ABIError) {
        concept = try EquilibriaABI.concept(o.concept)
        objective = o.objective
        guard (Int32(EQ_MAX_WELFARE.rawValue)...Int32(EQ_MIN_EPSILON_PER_PLAYER.rawValue)).contains(objective) else {
            throw .option("objective: \(objective) is not an eq_objective (0 to 6)")
        }
        let computesEpsilon = objective == Int32(EQ_MIN_EPSILON.rawValue) || objective == Int32(EQ_MIN_EPSILON_PER_PLAYER.rawValue)
        epsilon = try EquilibriaABI.epsilon(o.epsilon, players: shape.players)
        if epsilon != nil && computesEpsilon {
            throw .option("epsilon does not apply to the min-epsilon objectives, which compute ε")
        }
        let linear = objective == Int32(EQ_MAX_LINEAR.rawValue) || objective == Int32(EQ_MIN_LINEAR.rawValue)
        if let p = o.coefficients {
            guard linear else { throw .option("coefficients apply to the max-linear and min-linear objectives only") }
            let c = try values(p, count: shape.joint, name: "coefficients")
            if let bad = c.firstIndex(where: { !$0.isFinite }) {
                throw .option("coefficients[\(bad)] is not finite")
            }
            coefficients = c.map { Rational($0) }
        } else if linear {
            throw .option("the linear objectives need coefficients (one per joint action)")
        }
        if let p = o.joint_action {
            guard objective == Int32(EQ_MAX_PROBABILITY.rawValue) else {
                throw .option("joint_action applies to the max-probability objective only")
            }
            let a = try values(p, count: shape.players, name: "joint_action")
            for (q, action) in a.enumerated() where !(0..<Int64(shape.actionCounts[q])).contains(action) {
                throw .option("joint_action: player \(q + 1) has actions 0...\(shape.actionCounts[q] - 1) (0-based), got \(action)")
            }
            jointAction = a.map { Int($0) }
        } else if objective == Int32(EQ_MAX_PROBABILITY.rawValue) {
            throw .option("the max-probability objective needs joint_action (one 0-based action per player)")
        }
        exact = o.exact != 0
        guard (0...1).contains(o.certify) else { throw .option("certify: \(o.certify); give 0 or 1") }
        certify = o.certify != 0
        if certify && exact {
            throw .option("certify applies to the double-precision solve, and exact is certified already: give one of them")
        }
        // 0: no analysis; 1: uniqueness, and the ranges within the default budget; 2: every
        // range; 3: uniqueness only.
        guard (0...3).contains(o.face) else {
            throw .option("face: \(o.face); give 0 (none), 1 (uniqueness and ranges within the default budget), "
                          + "2 (every range) or 3 (uniqueness only)")
        }
        face = o.face != 0
        faceRanges = o.face == 2 ? .all : (o.face == 3 ? .none : .automatic)
        if o.exact_time_limit.isNaN {
            exactTimeLimit = .seconds(10)
        } else {
            guard exact || certify else { throw .option("exact_time_limit applies with exact or certify only") }
            guard o.exact_time_limit.isFinite, o.exact_time_limit > 0, o.exact_time_limit <= 86_400 else {
                throw .option("exact_time_limit: \(o.exact_time_limit) s; give a positive number of seconds, at most a day")
            }
            exactTimeLimit = .milliseconds(max(1, (o.exact_time_limit * 1000).rounded()))
        }
    }

    func selection(_ game: NormalFormGame) -> LinearSelection {
        switch objective {
        case Int32(EQ_MIN_WELFARE.rawValue): return .linear(coefficients: game.rationalWelfare, maximize: false)
        case Int32(EQ_MAX_LINEAR.rawValue): return .linear(coefficients: coefficients ?? [], maximize: true)
        case Int32(EQ_MIN_LINEAR.rawValue): return .linear(coefficients: coefficients ?? [], maximize: false)
        case Int32(EQ_MAX_PROBABILITY.rawValue): return .maximumProbability(jointIndex: game.jointIndex(jointAction ?? []))
        case Int32(EQ_MIN_EPSILON.rawValue): return .minimumEpsilon(perPlayer: false)
        case Int32(EQ_MIN_EPSILON_PER_PLAYER.rawValue): return .minimumEpsilon(perPlayer: true)
        default: return .maximumWelfare
        }
    }

    func solve(_ game: NormalFormGame) throws(EquilibriumLPError) -> EquilibriumLPResult {
        try EquilibriumLP.solve(game: game, concept: concept, selection: selection(game), epsilon: epsilon,
                                exact: exact, optimalFace: face, faceRanges: faceRanges,
                                exactTimeLimit: exactTimeLimit, certify: certify)
    }
}

/// The caller's certificate outputs (``LPRequest/certify``): the rigorous bounds in arrays, the
/// rest as one JSON object per game.
struct CertificateOutputs {
    let bounds, jointError: Output<Double>

    init(_ r: eq_lp_result) throws(ABIError) {
        bounds = try Output(r.certificate_bounds, width: 2, name: "certificate_bounds")
        jointError = try Output(r.certificate_joint_error, width: 1, name: "certificate_joint_error")
    }

    func write(_ k: Int, _ c: LPCertification?) -> [String: Any] {
        let lower = c?.objectiveLower, upper = c?.objectiveUpper
        let bounded = lower != nil && upper != nil && lower!.isFinite && upper!.isFinite
        bounds.set(k, bounded ? [lower!, upper!] : [], fill: 0)
        let error = c?.jointError.flatMap { $0.isFinite ? $0 : nil }
        jointError.set(k, error ?? 0)
        guard let c else {
            return ["certified": false, "method": "none", "reason": "the game failed", "proves_unique": false,
                    "bounded": false, "joint_bounded": false]
        }
        let ranges: Any = c.rangeBounds.map { bounds in
            bounds.map { b -> Any in b.map { [$0.lower, $0.upper] } ?? NSNull() }
        } ?? NSNull()
        return ["certified": c.certified, "method": c.method, "reason": c.reason.map { $0 as Any } ?? NSNull(),
                "proves_unique": c.provesUnique, "bounded": bounded, "joint_bounded": error != nil,
                "range_bounds": ranges, "range_note": c.rangeNote.map { $0 as Any } ?? NSNull()]
    }
}

/// The caller's output arrays of an LP solve.
struct LPOutputs {
    let status, certified, unique, rangesDefined: Output<Int32>
    let objective, welfare, violation: Output<Double>
    let joint, rangeMin, rangeMax: Output<Double>
    let epsilon, expectedPayoffs, maxGains: Output<Double>
    let duals: Output<Double>
    let iterations: Output<Int64>

    init(_ r: eq_lp_result, games: Games, concept: EquilibriumConcept) throws(ABIError) {
        let a = games.shape.joint, n = games.shape.players
        let rows = DeviationGains<Double>.rowCount(concept: concept, actionCounts: games.shape.actionCounts)
        status = try Output(r.status, width: 1, name: "status")
        certified = try Output(r.certified, width: 1, name: "certified")
        unique = try Output(r.unique, width: 1, name: "unique")
        rangesDefined = try Output(r.ranges_defined, width: 1, name: "ranges_defined")
        objective = try Output(r.objective, width: 1, name: "objective")
        welfare = try Output(r.welfare, width: 1, name: "welfare")
        violation = try Output(r.max_violation, width: 1, name: "max_violation")
        joint = try Output(r.joint, width: a, name: "joint")
        rangeMin = try Output(r.range_min, width: a, name: "range_min")
        rangeMax = try Output(r.range_max, width: a, name: "range_max")
        epsilon = try Output(r.epsilon, width: n, name: "epsilon")
        expectedPayoffs = try Output(r.expected_payoffs, width: n, name: "expected_payoffs")
        maxGains = try Output(r.max_gains, width: n, name: "max_gains")
        duals = try Output(r.duals, width: rows, name: "duals")
        iterations = try Output(r.iterations, width: 1, name: "iterations")
    }

    static func code(_ status: LPStatus) -> Int32 {
        switch status {
        case .optimal: return Int32(EQ_OPTIMAL.rawValue)
        case .infeasible: return Int32(EQ_INFEASIBLE.rawValue)
        default: return Int32(EQ_FAILED.rawValue)
        }
    }

    func write(_ k: Int, _ r: EquilibriumLPResult) {
        status.set(k, Self.code(r.status))
        certified.set(k, r.certified ? 1 : 0)
        unique.set(k, r.isUnique.map { $0 ? 1 : 0 } ?? -1)
        objective.set(k, r.objective.map { $0.isFinite ? $0 : 0 } ?? 0)
        welfare.set(k, r.welfare.map { $0.isFinite ? $0 : 0 } ?? 0)
        violation.set(k, r.maximumViolation.isFinite ? r.maximumViolation : 0)
        joint.setFinite(k, r.joint)
        epsilon.setFinite(k, r.epsilon)
        expectedPayoffs.setFinite(k, r.expectedPayoffs)
        maxGains.setFinite(k, r.maximumGains)
        duals.setFinite(k, r.duals)
        if let ranges = r.ranges, ranges.allSatisfy({ $0 != nil }) {
            rangesDefined.set(k, 1)
            rangeMin.setFinite(k, ranges.map { $0!.minimum })
            rangeMax.setFinite(k, ranges.map { $0!.maximum })
        } else {
            rangesDefined.set(k, 0)
            rangeMin.setFinite(k, r.joint)
            rangeMax.setFinite(k, r.joint)
        }
        iterations.set(k, Int64(r.iterations))
    }

    func writeFailed(_ k: Int) {
        status.set(k, Int32(EQ_FAILED.rawValue))
        for out in [certified, rangesDefined] { out.set(k, 0) }
        unique.set(k, -1)
        for out in [objective, welfare, violation] { out.set(k, 0) }
        for out in [joint, rangeMin, rangeMax, epsilon, expectedPayoffs, maxGains, duals] { out.set(k, [], fill: 0) }
        iterations.set(k, 0)
    }

    /// The exact values of an exact result, as "p/q" strings (JSON).
    static func exactValues(_ r: EquilibriumLPResult) -> [String: Any] {
        func text(_ values: [Rational]?) -> Any { values.map { $0.map(\.description) } ?? NSNull() }
        var object: [String: Any] = [
            "objective": r.objectiveExact?.description ?? NSNull(),
            "joint": text(r.jointExact), "epsilon": text(r.epsilonExact), "duals": text(r.dualsExact),
            "farkas_gap": r.farkasGap?.description ?? NSNull(),
        ]
        object["range_min"] = text(r.rangesExact?.map(\.minimum))
        object["range_max"] = text(r.rangesExact?.map(\.maximum))
        return object
    }
}
