import ArgumentParser
import EquilibriumSolvers
import Foundation
import NormalFormGames
import TableFiveReport

/// What `reproduce` can reproduce.
enum ReproduceTarget: String, ExpressibleByArgument, CaseIterable {
    case table5
}

/// A failure of the reproduction (an LP or MWMRE failure); argument-parser prints it as `Error: …`.
struct ReproduceError: Error, CustomStringConvertible {
    var description: String
}

/// Output formats of `reproduce`.
enum ReproduceFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `equilibria reproduce table5`: evaluates every claim section E of the paper's appendix makes
/// about the two Table 5 games, exactly, and prints the claim, the facts and a verdict.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Check the paper's claims exactly (table5: section E about the Table 5 games).",
        discussion: """
            table5 builds the two Table 5 games in code (no files are read), evaluates every claim \
            of appendix section E with exact, certified rational LPs, and prints for each claim the \
            facts and a verdict: holds, fails, or depends-on-reading (how the limit T -> infinity or \
            the direction of the relative entropy to softmax(T*W) is read; each reading is \
            evaluated). Finite-temperature values come from the MWMRE solver and are floating point.
            """)

    @Argument(help: "What to reproduce: \(ReproduceTarget.allCases.map(\.rawValue).joined(separator: ", ")).")
    var target: ReproduceTarget

    @Option(help: "Output format: text or json.")
    var format: ReproduceFormat = .text

    func run() throws {
        let claims: [TableFiveClaim]
        do {
            claims = try TableFive.claims()
        } catch {
            throw ReproduceError(description: "\(error)")
        }
        switch format {
        case .text:
            print(Self.text(claims), terminator: "")
        case .json:
            print(try Self.json(claims))
        }
    }

    /// The row player's matrix, one line per row, exact.
    static func matrix(_ rows: [[Rational]]) -> [String] {
        rows.map { row in row.map { $0.description.padded(to: 6) }.joined() }
    }

    /// Human-readable report.
    static func text(_ claims: [TableFiveClaim]) -> String {
        var out = "Table 5 of Marris et al. (2022), appendix section E, evaluated exactly.\n"
        out += "Joint actions are (row, column), 1-based. W = G1 + G2. Fractions are exact unless marked float.\n\n"
        out += "Game (a), CE counterexample, row player's payoffs (column player: transpose):\n"
        out += matrix(TableFive.ceRowPayoffs).map { "    " + $0 + "\n" }.joined()
        out += "Game (b), CCE counterexample, row player's payoffs (column player: transpose):\n"
        out += matrix(TableFive.cceRowPayoffs).map { "    " + $0 + "\n" }.joined()
        out += "\nReadings of \"relative entropy to softmax(T*W) as T -> infinity\":\n"
        for d in TableFive.derivations { out += "  - \(d)\n" }
        for c in claims {
            out += "\n[\(c.id)] game \(c.game) - \(c.section)\n"
            out += "  Claim: \(c.claim)\n"
            out += "  Facts:\n"
            for f in c.facts { out += "    - \(f)\n" }
            if !c.readings.isEmpty {
                out += "  Readings / notes:\n"
                for r in c.readings { out += "    - \(r)\n" }
            }
            out += "  Verdict: \(c.verdict.rawValue)\n"
        }
        out += "\nSummary:\n"
        for c in claims { out += "  \(c.id.padded(to: 18)) \(c.verdict.rawValue)\n" }
        return out
    }

    private struct Report: Encodable {
        var reproduce = "table5"
        var games: [String: [[String]]]
        var derivations: [String]
        var claims: [TableFiveClaim]
    }

    /// One JSON object: the games (exact payoffs as strings), the derivations and the claims.
    static func json(_ claims: [TableFiveClaim]) throws -> String {
        let report = Report(
            games: ["a_ce_row_payoffs": TableFive.ceRowPayoffs.map { $0.map(\.description) },
                    "b_cce_row_payoffs": TableFive.cceRowPayoffs.map { $0.map(\.description) }],
            derivations: TableFive.derivations, claims: claims)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(report)
        return String(decoding: data, as: UTF8.self)
    }
}
