import ArgumentParser
import Foundation
import NormalFormGames

// Typed option values: argument-parser converts and refuses them (exit 64) before any work.
// Each parses with a reason, given to argument-parser as the option's `transform`, so that a
// refusal reads "The value 'x' is invalid for '--option <option>': <why>".

/// Why an option's value is refused (argument-parser prints its description).
struct OptionValueError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A typed option value that says why it refuses text.
protocol ReasonedArgument: ExpressibleByArgument {
    /// The value `text` spells, or the reason it is refused.
    static func parse(_ text: String) throws(OptionValueError) -> Self
}

extension ReasonedArgument {
    init?(argument: String) {
        guard let value = try? Self.parse(argument) else { return nil }
        self = value
    }
}

/// A finite double spelled by `text`, or why not: NaN, ±∞ and values beyond the doubles are refused.
func finiteNumber(_ text: String) throws(OptionValueError) -> Double {
    let t = text.trimmingCharacters(in: .whitespaces)
    if SolveCommand.spellsNonFinite(t.lowercased()) { throw OptionValueError("'\(t)' is not a finite number") }
    guard let v = Double(t) else { throw OptionValueError("'\(t)' is not a number") }
    guard v.isFinite else { throw OptionValueError("\(t) is beyond the doubles (magnitude above 1.8e308)") }
    if v == 0, spellsNonzero(t) {
        throw OptionValueError("\(t) is below the doubles: it would be read as 0 (the smallest positive double is 4.9e-324)")
    }
    return v
}

/// Whether the mantissa of a decimal `text` has a nonzero digit, i.e. the number is not 0 exactly.
private func spellsNonzero(_ text: String) -> Bool {
    let mantissa = text.split(whereSeparator: { $0 == "e" || $0 == "E" }).first ?? ""
    return mantissa.contains { $0 >= "1" && $0 <= "9" }
}

/// Comma-separated values, each parsed by `parse`; the error names the entry that does not parse.
func commaSeparated<T>(_ argument: String, _ parse: (String) throws(OptionValueError) -> T)
    throws(OptionValueError) -> [T]
{
    let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
    var values: [T] = []
    for (k, part) in parts.enumerated() {
        do {
            values.append(try parse(part.trimmingCharacters(in: .whitespaces)))
        } catch {
            throw parts.count == 1 ? error : OptionValueError("entry \(k + 1): \(error.description)")
        }
    }
    return values
}

/// A number, or `inf` / `infinity` (+∞, the limits of μ and ρ); never NaN or −∞.
struct ExtendedNumber: ReasonedArgument, Sendable {
    var value: Double

    static func parse(_ text: String) throws(OptionValueError) -> ExtendedNumber {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch t {
        case "inf", "+inf", "infinity", "+infinity": return ExtendedNumber(value: .infinity)
        case "-inf", "-infinity": throw OptionValueError("−∞ is not allowed (a number, or inf for +∞)")
        default:
            do { return ExtendedNumber(value: try finiteNumber(t)) } catch {
                throw OptionValueError(error.description + " (give a number, or inf for +∞)")
            }
        }
    }

    /// A number greater than 0, or `inf` (ρ).
    static func parsePositive(_ text: String) throws(OptionValueError) -> ExtendedNumber {
        let number = try parse(text)
        guard number.value > 0 else {
            throw OptionValueError("\(text.trimmingCharacters(in: .whitespaces)) is not greater than 0 (give a number > 0, or inf)")
        }
        return number
    }

    var defaultValueDescription: String { value.isInfinite ? (value > 0 ? "inf" : "-inf") : "\(value)" }
}

/// A finite number greater than 0.
struct PositiveNumber: ReasonedArgument, Sendable {
    var value: Double

    static func parse(_ text: String) throws(OptionValueError) -> PositiveNumber {
        let v = try finiteNumber(text)
        guard v > 0 else { throw OptionValueError("\(text.trimmingCharacters(in: .whitespaces)) is not greater than 0") }
        return PositiveNumber(value: v)
    }

    var defaultValueDescription: String { "\(value)" }
}

/// Comma-separated finite numbers: one for every player, or one per player.
struct NumberList: ReasonedArgument, Sendable {
    var values: [Double]

    static func parse(_ text: String) throws(OptionValueError) -> NumberList {
        NumberList(values: try commaSeparated(text, finiteNumber))
    }
}

/// Comma-separated exact numbers (decimals such as 0.1 mean 1/10, or p/q). Any magnitude is
/// exact; a command that solves in doubles refuses one beyond them (``doubleValues(option:)``).
struct RationalList: ReasonedArgument, Sendable {
    var values: [Rational]

    static func parse(_ text: String) throws(OptionValueError) -> RationalList {
        RationalList(values: try commaSeparated(text) { t throws(OptionValueError) -> Rational in
            if let slash = t.firstIndex(of: "/"), let denominator = Int(t[t.index(after: slash)...]), denominator == 0 {
                throw OptionValueError("'\(t)' has a zero denominator")
            }
            guard let r = Rational(exactly: Substring(t)) else {
                throw OptionValueError("'\(t)' is not an exact number (a decimal such as 0.1 or 1e-3, or p/q)")
            }
            return r
        })
    }

    /// The values as doubles, or an option error naming `option` when one is beyond the doubles
    /// or so small that it would be read as 0 — never ±∞, or a silent 0, in the answer.
    /// `remedy` says what to do instead, given the value refused.
    func doubleValues(option: String, remedy: (Rational) -> String) throws -> [Double] {
        for (k, value) in values.enumerated() {
            let double = value.doubleValue
            if !double.isFinite {
                throw optionError("\(option): entry \(k + 1) is beyond the doubles (magnitude above 1.8e308); \(remedy(value))")
            }
            if double == 0, !value.isZero {
                throw optionError("\(option): entry \(k + 1) is below the doubles (it would be read as 0); \(remedy(value))")
            }
        }
        return values.map(\.doubleValue)
    }
}

/// A 1-based joint action, comma-separated: `2,1`.
struct JointActionArgument: ReasonedArgument, Sendable {
    var actions: [Int]

    static func parse(_ text: String) throws(OptionValueError) -> JointActionArgument {
        JointActionArgument(actions: try commaSeparated(text, wholeNumberAtLeastOne))
    }
}

/// A whole number of at least `minimum`, or why not.
func wholeNumber(_ text: String, atLeast minimum: Int) throws(OptionValueError) -> Int {
    let t = text.trimmingCharacters(in: .whitespaces)
    guard let v = Int(t) else {
        let digits = t.hasPrefix("+") || t.hasPrefix("-") ? t.dropFirst() : Substring(t)
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw OptionValueError(t.hasPrefix("-") ? "\(t) is less than \(minimum)" : "\(t) is too large (at most \(Int.max))")
        }
        throw OptionValueError("'\(t)' is not a whole number")
    }
    guard v >= minimum else { throw OptionValueError("\(v) is less than \(minimum)") }
    return v
}

/// A whole number of at least 1, or why not.
func wholeNumberAtLeastOne(_ text: String) throws(OptionValueError) -> Int { try wholeNumber(text, atLeast: 1) }

/// A whole number of at least 0, or why not.
func wholeNumberAtLeastZero(_ text: String) throws(OptionValueError) -> Int { try wholeNumber(text, atLeast: 0) }

/// A seed: a whole number from 0 to 2^64 − 1, or why not.
func seedNumber(_ text: String) throws(OptionValueError) -> UInt64 {
    let t = text.trimmingCharacters(in: .whitespaces)
    if let v = UInt64(t) { return v }
    let digits = t.hasPrefix("+") || t.hasPrefix("-") ? t.dropFirst() : Substring(t)
    if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
        throw OptionValueError(t.hasPrefix("-") ? "a seed is not negative (0 to \(UInt64.max))"
                                                : "\(t) is too large for a seed (at most \(UInt64.max))")
    }
    throw OptionValueError("'\(t)' is not a whole number (a seed is 0 to \(UInt64.max))")
}

/// Seconds, more than 0 and at most a day.
struct Seconds: ReasonedArgument, Sendable {
    var value: Double

    static func parse(_ text: String) throws(OptionValueError) -> Seconds {
        let v = try finiteNumber(text)
        guard v > 0, v <= 86_400 else {
            throw OptionValueError("\(text.trimmingCharacters(in: .whitespaces)) s is outside the range: more than 0 s "
                                   + "and at most a day (86400 s)")
        }
        return Seconds(value: v)
    }

    var defaultValueDescription: String { "\(value)" }
}

/// A count of at least 1.
struct PositiveCount: ReasonedArgument, Sendable {
    var value: Int

    static func parse(_ text: String) throws(OptionValueError) -> PositiveCount {
        PositiveCount(value: try wholeNumberAtLeastOne(text))
    }

    var defaultValueDescription: String { "\(value)" }
}

/// A comma-separated list of action counts, each at least 1.
struct ActionCounts: ReasonedArgument, Sendable {
    var counts: [Int]

    static func parse(_ text: String) throws(OptionValueError) -> ActionCounts {
        ActionCounts(counts: try commaSeparated(text, wholeNumberAtLeastOne))
    }

    var defaultValueDescription: String { counts.map(String.init).joined(separator: ",") }

    /// One count per player: a single count repeated, or the list as given.
    func perPlayer(_ players: Int) throws -> [Int] {
        if counts.count == 1 {
            guard NormalFormGame.uniformPayoffEntries(players: players, actions: counts[0]) != nil else {
                throw optionError("--players \(players) with --actions \(counts[0]): the game would have more than "
                                  + "\(NormalFormGame.maximumPayoffEntries) payoff entries, the limit")
            }
            return Array(repeating: counts[0], count: players)
        }
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
