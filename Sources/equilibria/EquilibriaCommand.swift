import ArgumentParser

@main
struct EquilibriaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "equilibria",
        abstract: "Exact and high-accuracy correlated equilibria of normal-form games.",
        discussion: """
            Joint actions are shown 1-based, as (a_1,...,a_N). Arrays in files are 0-based, with \
            the payoff tensor of shape [N, n_1, ..., n_N] in row-major order (player N's action \
            varies fastest).
            """,
        subcommands: [SolveCommand.self, GenerateCommand.self, BatchCommand.self, MergeCommand.self, ReproduceCommand.self, VerifyCommand.self])
}
