import ArgumentParser
import Foundation
import GameFormats

extension GameFileFormat: ExpressibleByArgument {}

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a game between game JSON and Gambit .nfg (and out of .jsonl/.npz collections).",
        discussion: """
            The input is read as solve reads it: game JSON (.json), Gambit (.nfg), or game --game of a \
            .jsonl or .npz collection. The output format follows --format, else the output's \
            extension (.json: game JSON; .nfg: Gambit payoff version). nfg-plain is the form both \
            Gambit and OpenSpiel's load_nfg_game read: strategy counts instead of labels, plain \
            decimals. Exact payoffs stay exact, except that nfg-plain writes a rational without a \
            finite decimal (1/3) as its nearest double. '-' as output writes to standard output.
            """)

    @Argument(help: "Input game.")
    var input: String

    @Argument(help: "Output file, or - for standard output.")
    var output: String

    @Option(name: .customLong("game"), parsing: .unconditional, help: "With a .jsonl or .npz collection: the game to convert, 0-based (default 0).")
    var gameRow: Int?

    @Option(help: "Output format: \(GameFileFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: by the output's extension).")
    var format: GameFileFormat?

    func validate() throws {
        if let gameRow, gameRow < 0 { throw ValidationError("--game must be 0 or more") }
        if output == "-" && format == nil { throw ValidationError("writing to standard output needs --format") }
    }

    func run() throws {
        let game = try GameInput.read(path: input, row: gameRow).game
        if output == "-" {
            print(GameFile.text(of: game, format: format!), terminator: "")
            return
        }
        guard let format = format ?? GameFile.format(forPath: output) else {
            throw optionError("\(output): cannot tell the format from the extension; use .json or .nfg, or give --format")
        }
        do {
            try GameFile.write(game, path: output, format: format)
        } catch {
            throw CommandError(error.description)
        }
    }
}
