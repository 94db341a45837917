import ArgumentParser
import Foundation
import NormalFormGames

// Typed option values: argument-parser converts and refuses them (exit 64) before any work.

/// A number, or `inf` / `infinity` (+∞, the limits of μ and ρ); never NaN or −∞.
struct ExtendedNumber: ExpressibleByArgument, Sendable {
    var value: Double

    init?(argument: String) {
        let t = argument.trimmingCharacters(in: .whitespaces).lowercased()
        switch t {
        case "inf", "+inf", "infinity", "+infinity": value = .infinity
        default:
            guard !SolveCommand.spellsNonFinite(t), let v = Double(t), v.isFinite else { return nil }
            value = v
        }
    }

    var defaultValueDescription: String { value.isInfinite ? (value > 0 ? "inf" : "-inf") : "\(value)" }
}

/// A finite number greater than 0.
struct PositiveNumber: ExpressibleByArgument, Sendable {
    var value: Double

    init?(argument: String) {
        let t = argument.trimmingCharacters(in: .whitespaces)
        guard !SolveCommand.spellsNonFinite(t.lowercased()), let v = Double(t), v.isFinite, v > 0 else { return nil }
        value = v
    }

    var defaultValueDescription: String { "\(value)" }
}

/// Comma-separated values, each parsed by `parse`; `nil` when one does not parse.
func commaSeparated<T>(_ argument: String, _ parse: (String) -> T?) -> [T]? {
    var values: [T] = []
    for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
        guard let v = parse(part.trimmingCharacters(in: .whitespaces)) else { return nil }
        values.append(v)
    }
    return values
}

/// Comma-separated finite numbers: one for every player, or one per player.
struct NumberList: ExpressibleByArgument, Sendable {
    var values: [Double]

    init?(argument: String) {
        guard let values = commaSeparated(argument, { t -> Double? in
            guard !SolveCommand.spellsNonFinite(t.lowercased()), let v = Double(t), v.isFinite else { return nil }
            return v
        }) else { return nil }
        self.values = values
    }
}

/// Comma-separated exact numbers (decimals such as 0.1 mean 1/10, or p/q).
struct RationalList: ExpressibleByArgument, Sendable {
    var values: [Rational]

    init?(argument: String) {
        guard let values = commaSeparated(argument, { Rational(exactly: Substring($0)) }) else { return nil }
        self.values = values
    }
}

/// A 1-based joint action, comma-separated: `2,1`.
struct JointActionArgument: ExpressibleByArgument, Sendable {
    var actions: [Int]

    init?(argument: String) {
        guard let actions = commaSeparated(argument, { Int($0).flatMap { $0 >= 1 ? $0 : nil } }) else { return nil }
        self.actions = actions
    }
}

/// Seconds, more than 0 and at most a day.
struct Seconds: ExpressibleByArgument, Sendable {
    var value: Double

    init?(argument: String) {
        guard let v = Double(argument.trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0, v <= 86_400 else {
            return nil
        }
        value = v
    }

    var defaultValueDescription: String { "\(value)" }
}

/// A count of at least 1.
struct PositiveCount: ExpressibleByArgument, Sendable {
    var value: Int

    init?(argument: String) {
        guard let v = Int(argument.trimmingCharacters(in: .whitespaces)), v >= 1 else { return nil }
        value = v
    }

    var defaultValueDescription: String { "\(value)" }
}

/// A comma-separated list of action counts, each at least 1.
struct ActionCounts: ExpressibleByArgument, Sendable {
    var counts: [Int]

    init?(argument: String) {
        guard let counts = commaSeparated(argument, { Int($0).flatMap { $0 >= 1 ? $0 : nil } }) else { return nil }
        self.counts = counts
    }

    var defaultValueDescription: String { counts.map(String.init).joined(separator: ",") }

    /// One count per player: a single count repeated, or the list as given.
    func perPlayer(_ players: Int) throws -> [Int] {
        if counts.count == 1 { return Array(repeating: counts[0], count: players) }
        guard counts.count == players else {
            throw optionError("--actions has \(counts.count) counts; give one, or one per player (\(players))")
        }
        return counts
    }
}

extension SolveCommand {
    /// Whether `text` (lowercased) spells NaN in some way Swift's `Double(_:)` would accept.
    static func spellsNonFinite(_ text: String) -> Bool {
        let body = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.dropFirst()) : text
        return body.hasPrefix("nan") || body.hasPrefix("snan") || body.hasPrefix("inf")
    }
}
