import ArgumentParser
import Foundation

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
        subcommands: [SolveCommand.self, ConvertCommand.self, GenerateCommand.self, BatchCommand.self, MergeCommand.self, ReproduceCommand.self, VerifyCommand.self])

    /// Runs the command line. A bad option value (exit 64) is reported as one `Error:` line,
    /// without argument-parser's help and usage text; `--help` and every other outcome are
    /// argument-parser's.
    static func main() {
        routeFortranOutputToStandardError()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if !(error is ExitCode), exitCode(for: error) == .validationFailure {
                let line = message(for: error).split(separator: "\n").first.map(String.init) ?? "bad options"
                FileHandle.standardError.write(Data("Error: \(line)\n".utf8))
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
            exit(withError: error)
        }
    }
}

extension EquilibriaCommand {
    /// L-BFGS-B (Fortran) writes some warnings ("ascent direction in projection") to Fortran
    /// unit 6, standard output, where they would corrupt a JSON answer. The Fortran runtime
    /// connects its units when it loads, before `main`, from GFORTRAN_STDOUT_UNIT and
    /// GFORTRAN_STDERR_UNIT; so the command sets them (unit 6 to standard error, standard output
    /// to unit 77, which nothing uses) and runs itself again, once. The Python package sets the
    /// same two variables while it loads the library (python/equilibria/_native.py).
    static func routeFortranOutputToStandardError() {
        guard getenv("GFORTRAN_STDERR_UNIT") == nil, getenv("GFORTRAN_STDOUT_UNIT") == nil else { return }
        setenv("GFORTRAN_STDOUT_UNIT", "77", 1)
        setenv("GFORTRAN_STDERR_UNIT", "6", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Not re-executed (no /proc): the warnings stay on standard output; nothing else changes.
    }
}
