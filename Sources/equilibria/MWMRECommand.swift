import ArgumentParser
import EquilibriumSolvers
import Foundation
import NormalFormGames

/// The options of `solve --objective mwmre`.
struct MWMREOptions: ParsableArguments {
    @Option(help: "Preset (the paper's Table 3): \(MWMREPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: MWMREPreset = .maximumEntropy

    @Option(help: "Welfare weight μ (a number or inf); overrides the preset.")
    var mu: String?

    @Option(help: "ε-penalty weight ρ (a number or inf); overrides the preset.")
    var rho: String?

    @Option(name: .customLong("eps-hat"), help: "Target ε̂: one value, or one per player, comma-separated (solve units).")
    var epsHat: String?

    @Option(name: .customLong("eps-plus"), help: "Cap ε⁺: one value, or one per player (solve units).")
    var epsPlus: String?

    @Option(help: "Target joint σ̂: 'uniform', or a JSON file holding |A| numbers (flat or nested, row-major).")
    var target: String?

    @Option(help: "Welfare W: a JSON file holding |A| numbers (flat or nested, row-major).")
    var welfare: String?

    @Option(help: "Minimiser: newton, lbfgsb or lbfgsb-newton.")
    var method: MWMREMethod = .newton

    @Option(help: "KKT tolerance (solve units; default 1e-10, relative to the largest deviation gain when the game solved is far from unit scale).")
    var tolerance: Double?

    @Option(help: "Seed of the sampled preset parts (MRE target, ε̂ of the eps- presets).")
    var seed: UInt64 = 0

    @Flag(name: .customLong("raw-units"), help: "Solve the game as given instead of the L2-normalised game.")
    var rawUnits = false
}

extension SolveCommand {
    static func parseNumber(_ text: String, option: String) throws -> Double {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "inf" || t == "infinity" { return .infinity }
        guard let value = Double(t), value.isFinite else {
            throw CommandError("\(option): '\(text)' is not a number (or inf)")
        }
        return value
    }

    static func parseList(_ text: String, option: String, players: Int) throws -> [Double] {
        let values = try text.split(separator: ",", omittingEmptySubsequences: false).map {
            try parseNumber(String($0), option: option)
        }
        if let bad = values.first(where: { !$0.isFinite }) { throw CommandError("\(option): \(bad) is not finite") }
        if values.count == 1 { return Array(repeating: values[0], count: players) }
        guard values.count == players else {
            throw CommandError("\(option) has \(values.count) values; give one, or one per player (\(players))")
        }
        return values
    }

    /// A vector over joint actions from a JSON file (flat or nested array of numbers).
    static func readVector(_ path: String, count: Int, option: String) throws -> [Double] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError("\(option): cannot read \(path)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CommandError("\(path): not valid JSON (\(option))")
        }
        var values: [Double] = []
        func flatten(_ value: Any) throws {
            if let array = value as? [Any] {
                for element in array { try flatten(element) }
            } else if let number = value as? NSNumber, String(cString: number.objCType) != "c" {
                values.append(number.doubleValue)
            } else {
                throw CommandError("\(path): entry \(values.count + 1) is not a number (\(option))")
            }
        }
        try flatten(object)
        guard values.count == count else {
            throw CommandError("\(path): \(values.count) numbers, expected one per joint action (\(count)) (\(option))")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw CommandError("\(path): entry \(bad + 1) is not finite (\(option))")
        }
        return values
    }

    /// A library message about μ, ρ, ε̂ or ε⁺, prefixed with the option that sets it.
    static func naming(_ message: String) -> String {
        for (symbol, option) in [("μ", "--mu"), ("ρ", "--rho"), ("ε̂", "--eps-hat"), ("ε⁺", "--eps-plus")]
        where message.hasPrefix(symbol) {
            return "\(option): \(message)"
        }
        return message
    }

    func runMWMRE(_ rawGame: NormalFormGame) throws {
        let options = mwmre
        let joint = rawGame.jointActionCount
        let n = rawGame.playerCount
        let (normalized, map) = rawGame.normalized(.l2)
        let game = options.rawUnits ? rawGame : normalized
        var target: [Double]?
        if let t = options.target, t != "uniform" {
            target = try Self.readVector(t, count: joint, option: "--target")
        }
        var welfare: [Double]?
        if let w = options.welfare { welfare = try Self.readVector(w, count: joint, option: "--welfare") }
        var parameters: MWMREParameters
        do {
            parameters = try options.preset.parameters(
                concept: concept.concept, normalizedGame: game, rawGame: rawGame, welfare: welfare, target: target,
                seed: options.seed)
        } catch {
            throw CommandError(error.description)
        }
        if options.rawUnits {
            // Presets are defined in normalised units; in raw units, ε⁺ defaults to the payoff range.
            let range = (rawGame.payoffs.max() ?? 0) - (rawGame.payoffs.min() ?? 0)
            parameters.epsilonCap = Array(repeating: max(range, 1), count: n)
            if parameters.welfare != nil { parameters.welfare = welfare ?? rawGame.welfare }
        }
        if let mu = options.mu { parameters.mu = try Self.parseNumber(mu, option: "--mu") }
        if let rho = options.rho { parameters.rho = try Self.parseNumber(rho, option: "--rho") }
        if let e = options.epsHat { parameters.epsilonTarget = try Self.parseList(e, option: "--eps-hat", players: n) }
        if let e = options.epsPlus { parameters.epsilonCap = try Self.parseList(e, option: "--eps-plus", players: n) }
        if options.target == "uniform" { parameters.target = nil }
        if parameters.mu > 0 && parameters.welfare == nil {
            parameters.welfare = options.rawUnits ? rawGame.welfare
                : PayoffNormalization.normalize(rawGame.welfare, norm: .l2).values
        }
        if let t = options.tolerance, !(t.isFinite && t > 0) {
            throw optionError("--tolerance: \(t) is not a positive number")
        }
        // Presets solve the normalised game, whose gains are O(1); raw units get a relative default.
        // Default: 1e-10, relative to the largest gain when the game's scale is far from 1.
        let tolerance = options.tolerance
        let result: MWMREResult
        do {
            result = try MWMRESolver.solve(game: game, parameters: parameters, method: options.method,
                                           tolerance: tolerance)
        } catch {
            if error.isParameterError { throw optionError(SolveCommand.naming(error.description)) }
            throw CommandError(error.description)
        }
        let report = MWMREReport(game: rawGame, file: self.game, parameters: parameters, result: result,
                                 normalization: options.rawUnits ? nil : map, preset: options.preset.rawValue)
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(try report.json())
        }
        if result.status == .failed { throw ExitCode(SolveCommand.solverFailedExitCode) }
    }

    func runTieBreak(_ game: NormalFormGame, epsilon: [Rational]) throws {
        let n = game.playerCount
        let epsilonTarget = epsilon.map(\.doubleValue)
        let parameters = MWMRESolver.tieBreakParameters(game: game, concept: concept.concept, epsilon: epsilonTarget)
        let result: MWMREResult
        do {
            result = try MWMRESolver.solve(game: game, parameters: parameters)
        } catch {
            throw CommandError(error.description)
        }
        _ = n
        let report = MWMREReport(game: game, file: self.game, parameters: parameters, result: result,
                                 normalization: nil, preset: "max-welfare, max-entropy tie-break")
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(try report.json())
        }
        if result.status == .failed { throw ExitCode(SolveCommand.solverFailedExitCode) }
    }
}

/// Output of an MWMRE solve.
struct MWMREReport {
    let game: NormalFormGame
    let file: String
    let parameters: MWMREParameters
    let result: MWMREResult
    let normalization: PayoffNormalization?
    let preset: String

    private static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.10g", value)
    }

    var units: String {
        normalization == nil ? "raw payoff units"
            : "normalised units (per player: mean 0, L2 norm \(Self.number(normalization!.target)) = √|A|)"
    }

    /// ε in raw units: ε_raw,p = ε_p / c_p; `nil` for a constant player (c_p = 0).
    var rawEpsilon: [Double?] {
        guard let normalization else { return result.epsilon.map { $0 } }
        return zip(result.epsilon, normalization.scales).map { $1 == 0 ? nil : $0 / $1 }
    }

    func text() -> String {
        var out = ""
        out += "Game: \(file), \(game.playerCount) players, \(game.actionCounts.map(String.init).joined(separator: "x"))\n"
        out += "Objective: MWMRE \(parameters.concept == .correlated ? "CE" : "CCE"), preset \(preset), solved in \(units)\n"
        out += "Parameters: μ = \(Self.number(parameters.mu)), ρ = \(Self.number(parameters.rho)), "
            + "ε̂ = [\(parameters.epsilonTarget.map(Self.number).joined(separator: ", "))], "
            + "ε⁺ = [\(parameters.epsilonCap.map(Self.number).joined(separator: ", "))], "
            + "target \(parameters.target == nil ? "uniform" : "given"), "
            + "welfare \(parameters.welfare == nil ? "none" : "given")\n"
        out += "Status: \(result.status.rawValue) (\(result.message)), method \(result.method.rawValue), "
            + "\(result.iterations) iterations\n"
        if result.status == .infeasible {
            if let m = result.minimumEpsilon { out += "Minimum permissible shared ε: \(Self.number(m))\n" }
            return out
        }
        if result.status == .failed { return out }
        out += "KKT residual: \(String(format: "%.2e", result.kktResidual))\n"
        out += "Dual objective L(α): \(Self.number(result.dualObjective))\n"
        out += "Primal objective P(σ, ε): \(Self.number(result.primalObjective))\n"
        if let gap = result.certifiedGap {
            out += "Certified gap (bounds KL(σ‖σ*)): \(String(format: "%.2e", gap))\n"
        } else {
            out += "Certified gap: none — \(result.certificateNote ?? "")\n"
            out += "Gap L − P at the recovered point: \(String(format: "%.2e", result.rawGap))\n"
        }
        if let w = result.maximumWelfare { out += "Maximum welfare (μ = ∞ face): \(Self.number(w))\n" }
        if result.zeroJointActions > 0 || result.equalityRows > 0 {
            out += "Facial reduction: \(result.zeroJointActions) joint actions no equilibrium plays, "
                + "\(result.equalityRows) rows tight for every equilibrium; full-problem duals not attained\n"
        }
        out += "ε (solve units): [\(result.epsilon.map(Self.number).joined(separator: ", "))]\n"
        if normalization != nil {
            out += "ε (raw units): [\(rawEpsilon.map { $0.map(Self.number) ?? "n/a (constant payoffs)" }.joined(separator: ", "))]\n"
        }
        out += "\nJoint distribution (1-based joint actions; entries below 1e-12 omitted):\n"
        for a in 0..<result.joint.count where result.joint[a] >= 1e-12 {
            let label = NormalFormGame.label(jointIndex: a, actionCounts: game.actionCounts)
            out += "  \(label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(Self.number(result.joint[a]))\n"
        }
        return out
    }

    struct JSONReport: Encodable {
        var file: String
        var shape: [Int]
        var concept: String
        var preset: String
        var units: String
        var status: String
        var message: String
        var method: String
        var iterations: Int
        var joint: [Double]
        var epsilon: [Double]
        var epsilonRaw: [Double?]
        var duals: [Double]
        var dualsAttained: Bool
        var dualObjective: Double?
        var primalObjective: Double?
        var dualityGap: Double?
        var certified: Bool
        var certificateNote: String?
        var kktResidual: Double?
        var mu: String
        var rho: String
        var epsHat: [Double]
        var epsPlus: [Double]
        var maximumWelfare: Double?
        var minimumEpsilon: Double?
        var zeroJointActions: Int
        var equalityRows: Int

        enum CodingKeys: String, CodingKey {
            case file, shape, concept, preset, units, status, message, method, iterations, joint, epsilon, duals
            case certified, mu, rho
            case epsilonRaw = "epsilon_raw"
            case dualsAttained = "duals_attained"
            case dualObjective = "dual_objective"
            case primalObjective = "primal_objective"
            case dualityGap = "duality_gap"
            case certificateNote = "certificate_note"
            case kktResidual = "kkt_residual"
            case epsHat = "eps_hat"
            case epsPlus = "eps_plus"
            case maximumWelfare = "maximum_welfare"
            case minimumEpsilon = "minimum_epsilon"
            case zeroJointActions = "zero_joint_actions"
            case equalityRows = "equality_rows"
        }
    }

    func json() throws -> String {
        func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
        let report = JSONReport(
            file: file, shape: game.actionCounts, concept: parameters.concept.rawValue, preset: preset, units: units,
            status: result.status.rawValue, message: result.message, method: result.method.rawValue,
            iterations: result.iterations, joint: result.joint, epsilon: result.epsilon, epsilonRaw: rawEpsilon,
            duals: result.duals, dualsAttained: result.dualsAttained, dualObjective: finite(result.dualObjective),
            primalObjective: finite(result.primalObjective),
            dualityGap: result.certifiedGap ?? finite(result.rawGap), certified: result.certifiedGap != nil,
            certificateNote: result.certificateNote, kktResidual: finite(result.kktResidual),
            mu: Self.number(parameters.mu), rho: Self.number(parameters.rho), epsHat: parameters.epsilonTarget,
            epsPlus: parameters.epsilonCap, maximumWelfare: result.maximumWelfare,
            minimumEpsilon: result.minimumEpsilon, zeroJointActions: result.zeroJointActions,
            equalityRows: result.equalityRows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
