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
        abstract: "Select a correlated or coarse correlated equilibrium by linear programming.",
        discussion: """
            Objectives: max-welfare (default; the game's welfare, or sum of payoffs), min-welfare, \
            max-linear/min-linear (coefficients over joint actions from --coefficients), \
            max-probability (of the joint action --joint-action), min-epsilon (the smallest shared \
            epsilon for which an equilibrium exists) and min-epsilon-per-player (minimise the sum \
            of per-player epsilons).

            With --exact, payoffs are exact rationals (decimal text such as 1.1 means 11/10), and \
            the optimum is certified by our own rational arithmetic: the simplex basis is re-solved \
            exactly and primal feasibility, dual feasibility and equal objectives are checked. \
            Infeasible problems (epsilon below the minimum permissible) come with a Farkas \
            certificate. The exit code is 0 for any solved status, including infeasible; 3 when \
            the solver failed (status failed, with the reason); 1 for bad input; 64 for bad options.
            """)

    @Argument(help: "Game file: game JSON (.json) or Gambit (.nfg).")
    var game: String

    @Option(help: "Solution concept: ce or cce.")
    var concept: ConceptOption = .ce

    @Option(help: "Objective: \(ObjectiveOption.allCases.map(\.rawValue).joined(separator: ", ")).")
    var objective: ObjectiveOption = .maxWelfare

    @Flag(help: "Solve and certify in exact rational arithmetic.")
    var exact = false

    @Option(help: "Epsilon: one value for every player, or one per player separated by commas (exact decimals or p/q).")
    var epsilon: String?

    @Option(help: "Objective coefficients over joint actions (row-major), comma-separated, for max-linear/min-linear.")
    var coefficients: String?

    @Option(name: .customLong("joint-action"), help: "1-based joint action for max-probability, e.g. 2,2.")
    var jointAction: String?

    @Option(name: .customLong("exact-time-limit"), help: "Seconds allowed for the whole exact path in --exact mode (rational solves, proof of infeasibility, optimal face); then the double answer, marked uncertified.")
    var exactTimeLimit: Double = 10

    @Option(name: .customLong("tie-break"), help: "For --objective max-welfare: none, or max-entropy (among optimal σ, the one of maximum entropy: the μ = ∞ limit of MWMRE).")
    var tieBreak: TieBreakOption = .none

    @OptionGroup(title: "MWMRE (--objective mwmre)")
    var mwmre: MWMREOptions

    @Flag(help: "Skip the uniqueness test and the ranges over the optimal face.")
    var noFace = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard exactTimeLimit.isFinite, exactTimeLimit > 0, exactTimeLimit <= 86_400 else {
            throw ValidationError("--exact-time-limit must be between 0 and 86400 seconds")
        }
    }

    func run() throws {
        let game: NormalFormGame
        do {
            game = try GameFile.read(path: self.game)
        } catch {
            throw CommandError(error.description)
        }
        if objective == .mwmre {
            try runMWMRE(game)
            return
        }
        let epsilon = try parseEpsilon(players: game.playerCount)
        if tieBreak == .maxEntropy {
            guard objective == .maxWelfare else { throw CommandError("--tie-break max-entropy applies to --objective max-welfare") }
            try runTieBreak(game, epsilon: epsilon)
            return
        }
        let selection = try parseSelection(game)
        let result: EquilibriumLPResult
        do {
            result = try EquilibriumLP.solve(game: game, concept: concept.concept, selection: selection,
                                             epsilon: epsilon, exact: exact, optimalFace: !noFace,
                                             exactTimeLimitMilliseconds: Int32(exactTimeLimit * 1000))
        } catch {
            throw CommandError(error.description)
        }
        let report = SolveReport(game: game, file: self.game, result: result, objectiveName: objective.rawValue)
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(try report.json())
        }
        if result.status == .failed { throw ExitCode(SolveCommand.solverFailedExitCode) }
    }

    /// Exit code when the solver could not establish a trustworthy answer (status `failed`,
    /// with the reason in the output): distinct from bad input (1) and bad options (64).
    static let solverFailedExitCode: Int32 = 3

    private func parseEpsilon(players: Int) throws -> [Rational] {
        guard let epsilon else { return Array(repeating: .zero, count: players) }
        let parts = epsilon.split(separator: ",", omittingEmptySubsequences: false)
        let values = try parts.enumerated().map { index, text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let value = Rational(exactly: Substring(trimmed)) else {
                throw CommandError("--epsilon: entry \(index + 1) '\(trimmed)' is not a number (exact decimal or p/q)")
            }
            return value
        }
        if values.count == 1 { return Array(repeating: values[0], count: players) }
        guard values.count == players else {
            throw CommandError("--epsilon has \(values.count) values; give one, or one per player (\(players))")
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
            guard let coefficients else { throw CommandError("--objective \(objective.rawValue) needs --coefficients") }
            let parts = coefficients.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == game.jointActionCount else {
                throw CommandError("--coefficients has \(parts.count) values; the game has \(game.jointActionCount) joint actions")
            }
            let values = try parts.enumerated().map { index, text in
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard let value = Rational(exactly: Substring(trimmed)) else {
                    throw CommandError("--coefficients: entry \(index + 1) '\(trimmed)' is not a number")
                }
                return value
            }
            return .linear(coefficients: values, maximize: objective == .maxLinear)
        case .maxProbability:
            guard let jointAction else { throw CommandError("--objective max-probability needs --joint-action, e.g. 1,2") }
            let parts = jointAction.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == game.playerCount, parts.allSatisfy({ $0 != nil }) else {
                throw CommandError("--joint-action needs \(game.playerCount) comma-separated 1-based actions")
            }
            let actions = parts.map { $0! - 1 }
            for (p, a) in actions.enumerated() where !(0..<game.actionCounts[p]).contains(a) {
                throw CommandError("--joint-action: player \(p + 1) has actions 1...\(game.actionCounts[p]), got \(a + 1)")
            }
            return .maximumProbability(jointIndex: game.jointIndex(actions))
        case .minEpsilon:
            return .minimumEpsilon(perPlayer: false)
        case .minEpsilonPerPlayer:
            return .minimumEpsilon(perPlayer: true)
        case .mwmre:
            preconditionFailure("handled by runMWMRE")
        }
    }
}
