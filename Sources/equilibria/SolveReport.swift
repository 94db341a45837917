import EquilibriumSolvers
import Foundation
import LinearProgramming
import NormalFormGames

/// The output of `equilibria solve`, as text for people or JSON for scripts.
struct SolveReport {
    let game: NormalFormGame
    let file: String
    let result: EquilibriumLPResult
    let objectiveName: String

    private func label(_ index: Int) -> String {
        game.layout.label(of: index)
    }

    private static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        return String(format: "%.10g", value)
    }

    /// A rigorous bound as text: 17 significant digits, so that it is not rounded inward.
    private static func bound(_ value: Double) -> String { String(format: "%.17g", value) }

    private var certificateText: String {
        if result.status == .failed {
            return "none: the solver failed (\(result.note ?? "no reason given"))"
        }
        if let c = result.certification {
            guard c.certified else { return "NOT certified: \(c.reason ?? "no reason given"); the double-precision solution is shown" }
            if result.status == .infeasible { return "certified infeasible (\(c.method))" }
            var text = "certified (\(c.method))"
            if let lo = c.objectiveLower, let hi = c.objectiveUpper {
                text += ": the exact optimum lies in [\(Self.bound(lo)), \(Self.bound(hi))]"
            }
            if let e = c.jointError { text += "; σ is within \(String(format: "%.1e", e)) of a proven optimum" }
            if c.provesUnique { text += "; the optimum is unique" }
            if let reason = c.reason { text += " (\(reason))" }
            return text
        }
        if !result.isExact, result.certified, result.status == .infeasible {
            return "proven infeasible: Farkas multipliers whose inequality holds with rigorous floating-point "
                + "error bounds"
        }
        if !result.isExact, let note = result.note {
            return "NOT certified: \(note); the double-precision solution is shown"
        }
        if !result.isExact {
            return "not certified (double precision; rerun with --exact for a certificate)"
        }
        if result.certified {
            switch result.status {
            case .optimal:
                return "certified: basis re-solved in exact rational arithmetic; primal feasible, dual feasible, "
                    + "objectives equal (basis from \(result.method ?? "simplex"))"
            case .infeasible:
                return "certified infeasible: Farkas multipliers give 0 <= \(result.farkasGap.map(\.description) ?? "?")"
            case .unbounded, .failed:
                return "none"
            }
        }
        return "NOT certified: " + (result.note ?? "the rational re-check failed")
    }

    func text() -> String {
        var out = ""
        let shape = game.actionCounts.map(String.init).joined(separator: "x")
        out += "Game: \(game.title.map { "\($0.split(separator: "\n").first ?? "") (\(file))" } ?? file), "
            + "\(game.playerCount) players, \(shape)\n"
        out += "Concept: \(result.concept == .correlated ? "CE" : "CCE"), objective: \(objectiveName)"
        if case .minimumEpsilon = result.selection {} else {
            let eps = result.isExact ? (result.epsilonExact ?? []).map(\.description) : result.epsilon.map(Self.number)
            out += ", epsilon: " + eps.joined(separator: ", ")
        }
        out += "\n"
        out += "Status: \(result.status.rawValue)\n"
        if result.status == .failed { out += "Reason: \(result.note ?? "no reason given")\n" }
        out += "Certificate: \(certificateText)\n"
        if result.isExact, result.certified, let note = result.note, result.status != .failed { out += "Note: \(note)\n" }
        guard result.status == .optimal else { return out }
        if let exact = result.objectiveExact {
            out += "Objective: \(exact)  (\(Self.number(exact.doubleValue)))\n"
        } else if let value = result.objective {
            out += "Objective: \(Self.number(value))\n"
        }
        if let welfare = result.welfare { out += "Welfare: \(Self.number(welfare))\n" }
        if case .minimumEpsilon = result.selection {
            let eps = result.epsilonExact.map { $0.map(\.description) } ?? result.epsilon.map(Self.number)
            out += "Minimum epsilon per player: " + eps.joined(separator: ", ") + "\n"
        }
        if !result.isExact {
            out += "Largest constraint violation (relative to each player's largest deviation gain): \(String(format: "%.2e", result.maximumViolation))\n"
        }
        out += "\nJoint distribution (1-based joint actions; zero entries omitted):\n"
        for a in 0..<result.joint.count where result.joint[a] != 0 || (result.jointExact?[a].isZero == false) {
            if let exact = result.jointExact {
                out += "  \(label(a).padded(to: 14)) \(exact[a].description.padded(to: 14)) \(Self.number(exact[a].doubleValue))\n"
            } else {
                out += "  \(label(a).padded(to: 14)) \(Self.number(result.joint[a]))\n"
            }
        }
        out += "\nPlayer  expected payoff   largest deviation gain\n"
        for p in 0..<game.playerCount {
            let payoff = Self.number(result.expectedPayoffs[p]).padded(to: 18)
            out += "  \(String(p + 1).padded(to: 6))\(payoff)\(Self.number(result.maximumGains[p]))\n"
        }
        if result.isUnique != nil || result.ranges != nil {
            out += "\nUnique optimum: " + (result.isUnique.map { $0 ? "yes" : "no" } ?? "undecided")
            out += result.isExact ? " (exact)\n" : " (to 1e-9)\n"
            if result.isUnique != true, let ranges = result.ranges {
                out += "Range of each probability over the optimal face (entries that can be non-zero):\n"
                for a in 0..<ranges.count {
                    guard let range = ranges[a] else { continue }
                    guard range.maximum != 0 else { continue }
                    let name = label(a).padded(to: 14)
                    if let exact = result.rangesExact {
                        out += "  \(name) [\(exact[a].minimum), \(exact[a].maximum)]\n"
                    } else if let bounds = result.certification?.rangeBounds, let bound = bounds[a] {
                        out += "  \(name) [\(Self.number(range.minimum)), \(Self.number(range.maximum))]  "
                            + "rigorously within [\(Self.bound(bound.lower)), \(Self.bound(bound.upper))]\n"
                    } else {
                        out += "  \(name) [\(Self.number(range.minimum)), \(Self.number(range.maximum))]\n"
                    }
                }
                let missing = ranges.indices.filter { ranges[$0] == nil }
                if !missing.isEmpty {
                    out += "  not computed (\(missing.count) of \(ranges.count); --ranges all computes them): "
                        + missing.prefix(20).map { label($0) }.joined(separator: " ")
                        + (missing.count > 20 ? " …" : "") + "\n"
                }
            }
            if let note = result.faceNote { out += "Optimal face: \(note)\n" }
            if let note = result.certification?.rangeNote { out += "Range bounds: \(note)\n" }
        }
        return out
    }

    struct JSONReport: Encodable {
        var file: String
        var shape: [Int]
        var concept: String
        var objectiveName: String
        var status: String
        var exact: Bool
        var certified: Bool
        var certificate: String
        var objective: Double?
        var objectiveExact: String?
        var joint: [Double]
        var jointExact: [String]?
        var epsilon: [Double]
        var epsilonExact: [String]?
        var welfare: Double?
        var expectedPayoffs: [Double]
        var maximumGains: [Double]
        var duals: [Double]
        var dualsExact: [String]?
        var unique: Bool?
        var rangeMin: [Double?]?
        var rangeMax: [Double?]?
        var rangeMinExact: [String]?
        var rangeMaxExact: [String]?
        var farkasGap: String?
        var maxViolation: Double
        var iterations: Int
        var note: String?
        var faceNote: String?
        var certificateBounds: [Double]?
        var certificateJointError: Double?
        var certificateMethod: String?
        var rangeLowerBound: [Double?]?
        var rangeUpperBound: [Double?]?
        var rangeNote: String?

        enum CodingKeys: String, CodingKey {
            case file, shape, concept, status, exact, certified, certificate, objective, joint, epsilon, welfare, duals
            case unique, iterations, note
            case faceNote = "face_note"
            case objectiveName = "objective_name"
            case objectiveExact = "objective_exact"
            case jointExact = "joint_exact"
            case epsilonExact = "epsilon_exact"
            case expectedPayoffs = "expected_payoffs"
            case maximumGains = "max_gains"
            case dualsExact = "duals_exact"
            case rangeMin = "range_min"
            case rangeMax = "range_max"
            case rangeMinExact = "range_min_exact"
            case rangeMaxExact = "range_max_exact"
            case farkasGap = "farkas_gap"
            case maxViolation = "max_violation"
            case certificateBounds = "certificate_bounds"
            case certificateJointError = "certificate_joint_error"
            case certificateMethod = "certificate_method"
            case rangeLowerBound = "range_lower_bound"
            case rangeUpperBound = "range_upper_bound"
            case rangeNote = "range_note"
        }
    }

    func json() throws -> String {
        let report = JSONReport(
            file: file, shape: game.actionCounts, concept: result.concept.rawValue, objectiveName: objectiveName,
            status: result.status.rawValue, exact: result.isExact, certified: result.certified,
            certificate: certificateText, objective: result.objective,
            objectiveExact: result.objectiveExact?.description, joint: result.joint,
            jointExact: result.jointExact?.map(\.description), epsilon: result.epsilon,
            epsilonExact: result.epsilonExact?.map(\.description), welfare: result.welfare,
            expectedPayoffs: result.expectedPayoffs, maximumGains: result.maximumGains, duals: result.duals,
            dualsExact: result.dualsExact?.map(\.description), unique: result.isUnique,
            rangeMin: result.ranges?.map { $0?.minimum }, rangeMax: result.ranges?.map { $0?.maximum },
            rangeMinExact: result.rangesExact?.map(\.minimum.description),
            rangeMaxExact: result.rangesExact?.map(\.maximum.description),
            farkasGap: result.farkasGap?.description, maxViolation: result.maximumViolation,
            iterations: result.iterations, note: result.note, faceNote: result.faceNote,
            certificateBounds: result.certification.flatMap { c in
                c.objectiveLower.flatMap { lo in c.objectiveUpper.map { [lo, $0] } }
            },
            certificateJointError: result.certification?.jointError, certificateMethod: result.certification?.method,
            rangeLowerBound: result.certification?.rangeBounds?.map { $0?.lower },
            rangeUpperBound: result.certification?.rangeBounds?.map { $0?.upper },
            rangeNote: result.certification?.rangeNote)
        let encoder = JSONEncoder()
        // Every number reported is finite; should one not be, it is written as text, never an
        // encoding error.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
