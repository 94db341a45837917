import ArgumentParser
import EquilibriumSolvers
import Foundation
import NormalFormGames

/// The options of `solve --objective mwmre`. Every one is optional, so that a value given
/// explicitly is known as such: it overrides the preset, and is refused where it has no effect.
struct MWMREOptions: ParsableArguments {
    @Option(help: "Preset (the paper's Table 3): \(MWMREPreset.allCases.map(\.rawValue).joined(separator: ", ")) (default ME).")
    var preset: MWMREPreset?

    @Option(parsing: .unconditional, help: "Welfare weight μ (a number, negative allowed, or inf); overrides the preset.", transform: ExtendedNumber.parse)
    var mu: ExtendedNumber?

    @Option(parsing: .unconditional, help: "ε-penalty weight ρ > 0 (a number or inf); overrides the preset. Not with μ = ∞.", transform: ExtendedNumber.parsePositive)
    var rho: ExtendedNumber?

    @Option(name: .customLong("eps-hat"), parsing: .unconditional, help: "Target ε̂: one value, or one per player, comma-separated (units solved in); overrides the preset.", transform: NumberList.parse)
    var epsHat: NumberList?

    @Option(name: .customLong("eps-plus"), parsing: .unconditional, help: "Cap ε⁺: one value, or one per player (units solved in); not with ρ = ∞ or μ = ∞.", transform: NumberList.parse)
    var epsPlus: NumberList?

    @Option(help: "Target joint σ̂: 'uniform', or a JSON file holding |A| numbers (flat or nested, row-major); overrides every preset's target.")
    var target: String?

    @Option(help: "Minimiser: newton (default), lbfgsb or lbfgsb-newton.")
    var method: MWMREMethod?

    @Option(parsing: .unconditional, help: "KKT tolerance > 0, at most 1e-2 × the largest deviation gain (units solved in; default 1e-10, relative to the largest deviation gain when the game solved is far from unit scale).", transform: PositiveNumber.parse)
    var tolerance: PositiveNumber?

    @Option(parsing: .unconditional, help: "Seed of the sampled preset parts (MRE's target, the ε̂ of the eps- presets); refused when nothing is sampled. Default: the collection's seed for a game of a .jsonl/.npz collection, else 0.", transform: seedNumber)
    var seed: UInt64?

    @Flag(name: .customLong("raw-units"), help: "Solve the game as given instead of the L2-normalised game (ε⁺ then defaults to the payoff range).")
    var rawUnits = false
}

extension SolveCommand {
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

    /// A library message about a parameter, prefixed with the option that sets it: the library
    /// names parameters by their symbols (μ, ρ, ε̂, ε⁺, σ̂, W, seed), never by flags.
    ///
    /// With `given` (the options given explicitly), a parameter that was not given is said to be
    /// the preset's value, and where the message also names a parameter that was given, that
    /// option is the one named: `--eps-hat 1e300` against the default ε⁺ blames --eps-hat.
    static func naming(_ message: String, given: Set<String>? = nil, preset: String? = nil) -> String {
        let options = [("μ", "--mu"), ("ρ", "--rho"), ("ε̂", "--eps-hat"), ("ε⁺", "--eps-plus"), ("σ̂", "--target"),
                       ("W:", "--welfare"), ("W ", "--welfare"), ("seed: ", "--seed"), ("the tolerance ", "--tolerance")]
        guard let (symbol, option) = options.first(where: { message.hasPrefix($0.0) }) else { return message }
        // "seed: …" reads "--seed: …", not "--seed: seed: …".
        let message = symbol == "seed: " ? String(message.dropFirst(symbol.count)) : message
        guard let given, !given.contains(option) else { return "\(option): \(message)" }
        // ε⁺ defaults to the payoff scale whatever the preset; the others are the preset's.
        let origin = symbol == "ε⁺" ? "its default, the payoff scale" : preset.map { "preset \($0)'s value" } ?? "the default"
        if let (_, other) = options.first(where: { $0.1 != option && given.contains($0.1) && message.contains($0.0) }) {
            return "\(other): \(message) (\(symbol) was not given: \(origin))"
        }
        return "\(option): \(message) (\(symbol) was not given: \(origin); give \(option) to change it)"
    }

    /// The MWMRE options given explicitly, by their flags.
    static func givenOptions(of problem: MWMREProblem) -> Set<String> {
        var given: Set<String> = []
        if problem.mu != nil { given.insert("--mu") }
        if problem.rho != nil { given.insert("--rho") }
        if problem.epsilonTarget != nil { given.insert("--eps-hat") }
        if problem.epsilonCap != nil { given.insert("--eps-plus") }
        if problem.target != nil { given.insert("--target") }
        if problem.welfare != nil { given.insert("--welfare") }
        return given
    }

    /// The problem the options ask for (``MWMREProblem``, the library's one definition).
    func mwmreProblem(_ input: GameInput) throws -> MWMREProblem {
        let options = mwmre
        let joint = input.game.jointActionCount
        var target: MWMREProblem.Target?
        if let t = options.target {
            target = t == "uniform" ? .uniform : .given(try Self.readVector(t, count: joint, option: "--target"))
        }
        let welfare = try self.welfare.map { try Self.readVector($0, count: joint, option: "--welfare") }
        let problem = MWMREProblem(
            concept: concept.concept, preset: options.preset ?? .maximumEntropy,
            units: options.rawUnits ? .raw : .normalized, mu: options.mu?.value, rho: options.rho?.value,
            epsilonTarget: options.epsHat?.values, epsilonCap: options.epsPlus?.values, target: target, welfare: welfare,
            seed: options.seed ?? input.seed ?? 0, samplesMissingWelfare: input.gameIndex != nil)
        if options.seed != nil {
            do {
                try problem.checkExplicitSeed()
            } catch {
                throw optionError(Self.naming(error.description))
            }
        }
        return problem
    }

    func runMWMRE(_ input: GameInput) throws {
        let problem = try mwmreProblem(input)
        let instance: MWMREProblem.Instance
        let result: MWMREResult
        do {
            instance = try problem.instance(
                of: .init(game: input.game, gameIndex: input.gameIndex, isNormalized: input.isNormalized))
            result = try MWMRESolver.solve(game: instance.game, parameters: instance.parameters,
                                           method: mwmre.method ?? .newton, tolerance: mwmre.tolerance?.value,
                                           exactFacialReduction: certify ? true : nil)
        } catch {
            if error.isParameterError {
                throw optionError(SolveCommand.naming(error.description, given: Self.givenOptions(of: problem),
                                                      preset: problem.preset.rawValue))
            }
            throw CommandError(error.description)
        }
        let normalized = problem.units == .normalized
        let report = MWMREReport(game: input.game, file: input.label, parameters: instance.parameters, result: result,
                                 normalization: instance.normalization, normalizedUnits: normalized,
                                 preset: problem.preset.rawValue)
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(try report.json())
        }
        if result.status == .failed { throw ExitCode(SolveCommand.solverFailedExitCode) }
    }

    func runTieBreak(_ game: NormalFormGame, label: String, epsilon: [Rational]) throws {
        let parameters = MWMRESolver.tieBreakParameters(game: game, concept: concept.concept,
                                                        epsilon: epsilon.map(\.doubleValue))
        let result: MWMREResult
        do {
            result = try MWMRESolver.solve(game: game, parameters: parameters, exactFacialReduction: certify ? true : nil)
        } catch {
            throw CommandError(error.description)
        }
        let report = MWMREReport(game: game, file: label, parameters: parameters, result: result,
                                 normalization: nil, normalizedUnits: false, preset: "max-welfare, max-entropy tie-break")
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
    /// The map from the payoffs given to the game solved; `nil` when none was applied.
    let normalization: PayoffNormalization?
    /// Whether the game was solved in normalised units (possibly already normalised as given).
    let normalizedUnits: Bool
    let preset: String

    private static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.10g", value)
    }

    var units: String {
        normalizedUnits
            ? "normalised units (per player: mean 0, L2 norm \(Self.number(Double(game.jointActionCount).squareRoot())) = √|A|)"
            : "raw payoff units"
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
        // At the hard limits ε ≤ ε̂ is a constraint: ρ is ∞ in effect and ε⁺ plays no part.
        let hard = parameters.isHardLimit
        out += "Parameters: μ = \(Self.number(parameters.mu)), "
            + (parameters.mu.isInfinite ? "ρ = inf (ε ≤ ε̂ is hard at μ = ∞), " : "ρ = \(Self.number(parameters.rho)), ")
            + "ε̂ = [\(parameters.epsilonTarget.map(Self.number).joined(separator: ", "))], "
            + (hard ? "ε⁺ not used, " : "ε⁺ = [\(parameters.epsilonCap.map(Self.number).joined(separator: ", "))], ")
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
        if let bound = result.klBound {
            out += "Rigorous KL bound (every rounding bounded): KL(σ̃‖σ*) ≤ \(String(format: "%.2e", bound))"
                + (result.klJointError.map { " for a distribution σ̃ within \(String(format: "%.1e", $0)) of the σ below" } ?? "")
                + "\n"
        } else if let note = result.klBoundNote {
            let prefix = "no rigorous bound: "
            out += "Rigorous KL bound: none — \(note.hasPrefix(prefix) ? String(note.dropFirst(prefix.count)) : note)\n"
        }
        if let w = result.maximumWelfare { out += "Maximum welfare (μ = ∞ face): \(Self.number(w))\n" }
        if let how = result.facialReduction {
            out += "Facial reduction (\(how)): \(result.zeroJointActions) joint actions no equilibrium plays, "
                + "\(result.equalityRows) rows tight for every equilibrium"
                + (result.zeroJointActions > 0 || result.equalityRows > 0 ? "; full-problem duals not attained" : "") + "\n"
        }
        out += "ε (solve units): [\(result.epsilon.map(Self.number).joined(separator: ", "))]\n"
        if normalization != nil {
            out += "ε (raw units): [\(rawEpsilon.map { $0.map(Self.number) ?? "n/a (constant payoffs)" }.joined(separator: ", "))]\n"
        }
        out += "\nJoint distribution (1-based joint actions; entries below 1e-12 omitted):\n"
        for a in 0..<result.joint.count where result.joint[a] >= 1e-12 {
            let label = game.layout.label(of: a)
            out += "  \(label.padded(to: 14)) \(Self.number(result.joint[a]))\n"
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
        /// ε⁺, or JSON null where it plays no part (ρ = ∞ or μ = ∞: ε ≤ ε̂ is hard).
        var epsPlus: JSONNullable<[Double]>
        var maximumWelfare: Double?
        var minimumEpsilon: Double?
        var zeroJointActions: Int
        var equalityRows: Int
        var facialReduction: String?
        var klBound: Double?
        var klJointError: Double?
        var klNote: String?

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
            case facialReduction = "facial_reduction"
            case klBound = "kl_bound"
            case klJointError = "kl_joint_error"
            case klNote = "kl_note"
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
            mu: Self.number(parameters.mu), rho: Self.number(parameters.mu.isInfinite ? .infinity : parameters.rho),
            epsHat: parameters.epsilonTarget,
            epsPlus: JSONNullable(parameters.isHardLimit ? nil : parameters.epsilonCap),
            maximumWelfare: result.maximumWelfare,
            minimumEpsilon: result.minimumEpsilon, zeroJointActions: result.zeroJointActions,
            equalityRows: result.equalityRows, facialReduction: result.facialReduction, klBound: result.klBound,
            klJointError: result.klJointError, klNote: result.klBoundNote)
        let encoder = JSONEncoder()
        // Every number reported is finite; should one not be, it is written as text, never an
        // encoding error.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}

/// An optional value that JSON writes as `null` when absent, so that the key is always there.
struct JSONNullable<Value: Encodable>: Encodable {
    var value: Value?
    init(_ value: Value?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
