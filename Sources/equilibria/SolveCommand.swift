import ArgumentParser
import EquilibriumSolvers
import Foundation
import GameFormats
import LinearProgramming
import NormalFormGames

enum ConceptOption: String, ExpressibleByArgument, CaseIterable {
    case ce, cce
    var concept: EquilibriumConcept { self == .ce ? .correlated : .coarseCorrelated }
}

enum ObjectiveOption: String, ExpressibleByArgument, CaseIterable {
    case maxWelfare = "max-welfare"
    case minWelfare = "min-welfare"
    case maxLinear = "max-linear"
    case minLinear = "min-linear"
    case maxProbability = "max-probability"
    case minEpsilon = "min-epsilon"
    case minEpsilonPerPlayer = "min-epsilon-per-player"
    case mwmre
}

enum TieBreakOption: String, ExpressibleByArgument, CaseIterable {
    case none
    case maxEntropy = "max-entropy"
}

extension MWMREPreset: ExpressibleByArgument {}
extension MWMREMethod: ExpressibleByArgument {}

enum RangesOption: String, ExpressibleByArgument, CaseIterable {
    case none, auto, all

    var faceRanges: FaceRanges {
        switch self {
        case .none: return .none
        case .auto: return .automatic
        case .all: return .all
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// A one-line error for the command line; argument-parser prints it as `Error: …`.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Select a correlated or coarse correlated equilibrium by linear programming or MWMRE.",
        discussion: """
            Objectives: max-welfare (default; the welfare of --welfare, else the game's own, else \
            the sum of payoffs), min-welfare, max-linear/min-linear (coefficients over joint actions \
            from --coefficients), max-probability (of the joint action --joint-action), min-epsilon \
            (the smallest shared epsilon for which an equilibrium exists), min-epsilon-per-player \
            (minimise the sum of per-player epsilons) and mwmre (the options under MWMRE).

            Every option applies to some objectives only (its help says which); an option that does \
            not apply to the chosen objective is refused (exit 64), never ignored.

            With --exact, payoffs are exact rationals (decimal text such as 1.1 means 11/10), and \
            the optimum is certified by our own rational arithmetic: the simplex basis is re-solved \
            exactly and primal feasibility, dual feasibility and equal objectives are checked. \
            Infeasible problems (epsilon below the minimum permissible) come with a Farkas \
            certificate. The exit code is 0 for any solved status, including infeasible; 3 when \
            the solver failed (status failed, with the reason); 1 for bad input; 64 for bad options.
            """)

    @Argument(help: "Game: game JSON (.json), Gambit (.nfg), or a collection (.jsonl from generate, .npz from generate or batch) with --game.")
    var game: String

    @Option(name: .customLong("game"), parsing: .unconditional, help: "With a .jsonl or .npz collection: the game to solve, 0-based (default 0).")
    var gameRow: Int?

    @Option(help: "Solution concept: ce or cce.")
    var concept: ConceptOption = .ce

    @Option(help: "Objective: \(ObjectiveOption.allCases.map(\.rawValue).joined(separator: ", ")).")
    var objective: ObjectiveOption = .maxWelfare

    @Flag(help: "Solve and certify in exact rational arithmetic (LP objectives; not with --tie-break).")
    var exact = false

    @Flag(help: "LP objectives: prove the double-precision answer rigorously (floating-point enclosures with every rounding bounded; exact arithmetic only where they cannot decide): bounds on the optimum, on σ's distance from a proven optimum, and on the ranges over the optimal face. Not with --exact. With --tie-break max-entropy or --objective mwmre --mu inf: find the max-welfare face in exact arithmetic, so that the answer has a rigorous KL bound (other MWMRE problems always report theirs).")
    var certify = false

    @Option(parsing: .unconditional, help: "ε for LP objectives other than min-epsilon: one value for every player, or one per player, comma-separated (exact decimals or p/q).", transform: RationalList.parse)
    var epsilon: RationalList?

    @Option(parsing: .unconditional, help: "Objective coefficients over joint actions (row-major), comma-separated: max-linear and min-linear only.", transform: RationalList.parse)
    var coefficients: RationalList?

    @Option(name: .customLong("joint-action"), parsing: .unconditional, help: "1-based joint action, e.g. 2,2: max-probability only.", transform: JointActionArgument.parse)
    var jointAction: JointActionArgument?

    @Option(name: .customLong("exact-time-limit"), parsing: .unconditional, help: "With --exact: seconds allowed for the whole exact path (rational solves, proof of infeasibility, optimal face; default 10); then the double answer, marked uncertified. With --certify: the budget of its exact fallback.", transform: Seconds.parse)
    var exactTimeLimit: Seconds?

    @Option(name: .customLong("tie-break"), help: "max-welfare only: none, or max-entropy (among optimal σ, the one of maximum entropy: the μ = ∞ limit of MWMRE).")
    var tieBreak: TieBreakOption?

    @Option(help: "Welfare W: a JSON file holding |A| numbers (flat or nested, row-major). For max-welfare, min-welfare, --tie-break, and mwmre with μ ≠ 0; overrides the game's own welfare and the preset's.")
    var welfare: String?

    @OptionGroup(title: "MWMRE (--objective mwmre only)")
    var mwmre: MWMREOptions

    @Flag(help: "LP objectives: skip the uniqueness test and the ranges over the optimal face.")
    var noFace = false

    @Option(help: "LP objectives, when the optimum is not unique: the ranges of σ(a) over the optimal face to compute: none, auto (default: those that fit in about the LP's own simplex work; the others are listed as not computed) or all (progress on standard error).")
    var ranges: RangesOption?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if let gameRow, gameRow < 0 { throw ValidationError("--game must be 0 or more") }
    }

    static func refuse(_ option: String, _ reason: String) -> ExitCode { optionError("\(option) \(reason)") }

    /// Refuses every option that does not apply to the objective chosen (exit 64, naming it).
    func checkApplicability() throws {
        let isMWMRE = objective == .mwmre
        let isTieBreak = tieBreak == .maxEntropy
        if !isMWMRE {
            let given: [(String, Bool)] = [
                ("--preset", mwmre.preset != nil), ("--mu", mwmre.mu != nil), ("--rho", mwmre.rho != nil),
                ("--eps-hat", mwmre.epsHat != nil), ("--eps-plus", mwmre.epsPlus != nil), ("--target", mwmre.target != nil),
                ("--method", mwmre.method != nil), ("--tolerance", mwmre.tolerance != nil), ("--seed", mwmre.seed != nil),
                ("--raw-units", mwmre.rawUnits),
            ]
            if let (option, _) = given.first(where: \.1) {
                throw Self.refuse(option, "applies to --objective mwmre only (the objective is \(objective.rawValue))")
            }
        }
        if isMWMRE {
            let given: [(String, Bool, String)] = [
                ("--exact", exact, "(MWMRE is solved in doubles, with a certified gap)"),
                ("--certify", certify && mwmre.mu?.value != .infinity,
                 "except with --mu inf (its rigorous KL bound is always reported; with μ = ∞, --certify finds the max-welfare face exactly so that it has one)"),
                ("--exact-time-limit", exactTimeLimit != nil, ""),
                ("--epsilon", epsilon != nil, "(MWMRE's ε targets are --eps-hat and --eps-plus)"),
                ("--coefficients", coefficients != nil, ""), ("--joint-action", jointAction != nil, ""),
                ("--tie-break", tieBreak != nil, "(--objective mwmre --mu inf is the same limit)"),
                ("--no-face", noFace, ""), ("--ranges", ranges != nil, ""),
            ]
            if let (option, _, why) = given.first(where: \.1) {
                throw Self.refuse(option, "does not apply to --objective mwmre" + (why.isEmpty ? "" : " " + why))
            }
            return
        }
        if tieBreak != nil && objective != .maxWelfare {
            throw Self.refuse("--tie-break", "applies to --objective max-welfare only")
        }
        if isTieBreak {
            if exact { throw Self.refuse("--exact", "does not apply to --tie-break max-entropy (solved in doubles, with a certified gap)") }
            if noFace { throw Self.refuse("--no-face", "does not apply to --tie-break max-entropy (it describes the face itself)") }
            if ranges != nil { throw Self.refuse("--ranges", "does not apply to --tie-break max-entropy") }
            if exactTimeLimit != nil {
                throw Self.refuse("--exact-time-limit", "does not apply to --tie-break max-entropy (its exact steps have their own limits)")
            }
        }
        if ranges != nil && noFace { throw Self.refuse("--ranges", "does not apply with --no-face (no optimal-face analysis)") }
        if certify && exact { throw Self.refuse("--certify", "does not apply with --exact, whose answer is certified already") }
        if exactTimeLimit != nil && !exact && !certify {
            throw Self.refuse("--exact-time-limit", "applies with --exact or --certify only")
        }
        if epsilon != nil && (objective == .minEpsilon || objective == .minEpsilonPerPlayer) {
            throw Self.refuse("--epsilon", "does not apply to --objective \(objective.rawValue), which computes ε")
        }
        if coefficients != nil && objective != .maxLinear && objective != .minLinear {
            throw Self.refuse("--coefficients", "applies to --objective max-linear and min-linear only")
        }
        if jointAction != nil && objective != .maxProbability {
            throw Self.refuse("--joint-action", "applies to --objective max-probability only")
        }
        if welfare != nil && objective != .maxWelfare && objective != .minWelfare {
            throw Self.refuse("--welfare", "applies to --objective max-welfare, min-welfare and mwmre only")
        }
    }

    func run() throws {
        try checkApplicability()
        var input = try GameInput.read(path: self.game, row: gameRow)
        if let welfare, objective != .mwmre {
            let values = try Self.readVector(welfare, count: input.game.jointActionCount, option: "--welfare")
            input.game = try input.game.withWelfare(values)
        }
        if objective == .mwmre {
            try runMWMRE(input)
            return
        }
        let game = input.game
        let epsilon = try parseEpsilon(players: game.playerCount)
        if tieBreak == .maxEntropy {
            try runTieBreak(game, label: input.label, epsilon: epsilon)
            return
        }
        let selection = try parseSelection(game)
        let result: EquilibriumLPResult
        do {
            result = try EquilibriumLP.solve(game: game, concept: concept.concept, selection: selection,
                                             epsilon: epsilon, exact: exact, optimalFace: !noFace,
                                             faceRanges: (ranges ?? .auto).faceRanges,
                                             faceProgress: Self.progressOnStandardError(),
                                             exactTimeLimit: .seconds(exactTimeLimit?.value ?? 10), certify: certify)
        } catch {
            throw CommandError(error.description)
        }
        let report = SolveReport(game: game, file: input.label, result: result, objectiveName: objective.rawValue)
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(try report.json())
        }
        if result.status == .failed { throw ExitCode(SolveCommand.solverFailedExitCode) }
    }

    /// Progress of a long optimal-face analysis on standard error: a line every 2 s once it has
    /// taken 2 s (nothing for a short one).
    static func progressOnStandardError() -> (Int, Int) -> Void {
        let start = ContinuousClock.now
        var last = start
        return { done, total in
            let now = ContinuousClock.now
            guard now - start >= .seconds(2), now - last >= .seconds(2) || done == total else { return }
            last = now
            FileHandle.standardError.write(Data("optimal face: \(done) of \(total) ranges\n".utf8))
        }
    }

    /// Exit code when the solver could not establish a trustworthy answer (status `failed`,
    /// with the reason in the output): distinct from bad input (1) and bad options (64).
    static let solverFailedExitCode: Int32 = 3

    private func parseEpsilon(players: Int) throws -> [Rational] {
        guard let values = epsilon?.values else { return Array(repeating: .zero, count: players) }
        // Answers report ε in doubles too; an ε at least the largest deviation gain allows every σ.
        _ = try epsilon?.doubleValues(option: "--epsilon") { value in
            if value.doubleValue == 0 { return "use ε = 0, or scale the game up" }
            return value.signum < 0 ? "any ε below minus the largest deviation gain admits no joint distribution"
                                        : "any ε at least the largest deviation gain allows every joint distribution"
        }
        guard let values = NormalFormGame.perPlayer(values, players: players) else {
            throw optionError("--epsilon has \(values.count) values; give one, or one per player (\(players))")
        }
        return values
    }

    private func parseSelection(_ game: NormalFormGame) throws -> LinearSelection {
        switch objective {
        case .maxWelfare:
            return .maximumWelfare
        case .minWelfare:
            return .linear(coefficients: game.rationalWelfare, maximize: false)
        case .maxLinear, .minLinear:
            guard let values = coefficients?.values else {
                throw optionError("--objective \(objective.rawValue) needs --coefficients")
            }
            // The LP is solved in doubles first even with --exact; the optimum does not change
            // when the coefficients are scaled down.
            _ = try coefficients?.doubleValues(option: "--coefficients") { value in
                value.doubleValue == 0 ? "scale the coefficients up" : "scale the coefficients down"
            }
            guard values.count == game.jointActionCount else {
                throw optionError("--coefficients has \(values.count) values; the game has \(game.jointActionCount) joint actions")
            }
            return .linear(coefficients: values, maximize: objective == .maxLinear)
        case .maxProbability:
            guard let actions = jointAction?.actions else {
                throw optionError("--objective max-probability needs --joint-action, e.g. 1,2")
            }
            guard actions.count == game.playerCount else {
                throw optionError("--joint-action needs \(game.playerCount) comma-separated 1-based actions, got \(actions.count)")
            }
            for (p, a) in actions.enumerated() where a > game.actionCounts[p] {
                throw optionError("--joint-action: player \(p + 1) has actions 1...\(game.actionCounts[p]), got \(a)")
            }
            return .maximumProbability(jointIndex: game.jointIndex(actions.map { $0 - 1 }))
        case .minEpsilon:
            return .minimumEpsilon(perPlayer: false)
        case .minEpsilonPerPlayer:
            return .minimumEpsilon(perPlayer: true)
        case .mwmre:
            throw CommandError("internal: --objective mwmre is not an LP")
        }
    }
}
