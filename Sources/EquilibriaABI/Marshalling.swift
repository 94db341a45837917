import CEquilibria
import Foundation
import NormalFormGames

/// A refusal at the boundary: an ``eq_code`` and the message handed to the caller.
struct ABIError: Error {
    var code: eq_code
    var message: String

    static func input(_ message: String) -> ABIError { ABIError(code: EQ_BAD_INPUT, message: message) }
    static func option(_ message: String) -> ABIError { ABIError(code: EQ_BAD_OPTION, message: message) }
    static func `internal`(_ message: String) -> ABIError { ABIError(code: EQ_INTERNAL, message: message) }
}

/// Runs one entry point: its errors become a code and a message, never a trap across the boundary.
func entryPoint(_ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                _ body: () throws(ABIError) -> Void) -> Int32 {
    message?.pointee = nil
    do {
        try body()
        return Int32(EQ_OK.rawValue)
    } catch {
        message?.pointee = duplicate(error.message)
        return Int32(error.code.rawValue)
    }
}

/// A C string the caller frees with `eq_free` (malloc'd).
func duplicate(_ text: String) -> UnsafeMutablePointer<CChar>? { strdup(text) }

/// JSON text of strings (for the per-game messages).
func jsonArray(_ strings: [String]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: strings, options: [])) ?? Data("[]".utf8)
    return String(decoding: data, as: UTF8.self)
}

/// JSON text of arbitrary property-list values (exact values as strings, nulls).
func jsonText(_ value: Any) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("null".utf8)
    return String(decoding: data, as: UTF8.self)
}

/// `count` values behind a pointer the caller promised, refusing NULL.
func values<T>(_ pointer: UnsafePointer<T>?, count: Int, name: String) throws(ABIError) -> [T] {
    guard count >= 0 else { throw .input("\(name): negative length \(count)") }
    if count == 0 { return [] }
    guard let pointer else { throw .input("\(name) is NULL") }
    return Array(UnsafeBufferPointer(start: pointer, count: count))
}

/// An output array the caller allocated: `count` elements, refusing NULL.
struct Output<T> {
    let base: UnsafeMutablePointer<T>
    let width: Int

    init(_ pointer: UnsafeMutablePointer<T>?, width: Int, name: String) throws(ABIError) {
        guard let pointer else { throw .input("output \(name) is NULL") }
        base = pointer
        self.width = width
    }

    /// Writes row `k` (exactly `width` values; missing ones are written as `fill`).
    func set(_ k: Int, _ row: [T], fill: T) {
        for i in 0..<width { base[k * width + i] = i < row.count ? row[i] : fill }
    }

    func set(_ k: Int, _ value: T) { base[k] = value }
}

extension Output where T == Double {
    /// Writes an optional scalar into this array and its `_defined` companion; 0 when undefined.
    func set(_ k: Int, _ value: Double?, defined: Output<Int32>) {
        base[k] = value.map { $0.isNaN ? 0 : $0 } ?? 0
        defined.base[k] = value == nil || value!.isNaN ? 0 : 1
    }

    /// Doubles never carry NaN out: a NaN would be a defect; it is written as 0.
    func setFinite(_ k: Int, _ row: [Double]) { set(k, row.map { $0.isNaN ? 0 : $0 }, fill: 0) }
}

/// A C string, or `nil` for NULL; refuses text that is not UTF-8.
func string(_ pointer: UnsafePointer<CChar>?, name: String) throws(ABIError) -> String? {
    guard let pointer else { return nil }
    guard let text = String(validatingCString: pointer) else { throw .option("\(name) is not UTF-8 text") }
    return text
}

/// The shape of a game: validated action counts (each ≥ 1, the game within the library's limits).
struct Shape: Sendable {
    var actionCounts: [Int]
    var joint: Int
    var players: Int { actionCounts.count }
    var entries: Int { players * joint }

    init(players: Int64, actionCounts pointer: UnsafePointer<Int64>?) throws(ABIError) {
        guard players >= 1 else { throw .input("a game needs at least one player (got \(players))") }
        guard players <= 1 << 20 else { throw .input("\(players) players: too many") }
        let counts = try values(pointer, count: Int(players), name: "action_counts")
        var joint = 1
        for (p, n) in counts.enumerated() {
            guard n >= 1 else { throw .input("player \(p + 1) has \(n) actions; every player needs at least one") }
            let (product, overflow) = joint.multipliedReportingOverflow(by: Int(n))
            guard !overflow, product <= NormalFormGame.maximumPayoffEntries else {
                throw .input("game too large: more than \(NormalFormGame.maximumPayoffEntries) joint actions")
            }
            joint = product
        }
        let (entries, overflow) = joint.multipliedReportingOverflow(by: counts.count)
        guard !overflow, entries <= NormalFormGame.maximumPayoffEntries else {
            throw .input("game too large: more than \(NormalFormGame.maximumPayoffEntries) payoff entries")
        }
        actionCounts = counts.map { Int($0) }
        self.joint = joint
    }
}

/// The games of an `eq_games`, validated and built.
struct Games: Sendable {
    var shape: Shape
    var games: [NormalFormGame]
    var gameIndices: [Int]?
    var collectionSeed: UInt64
    var isNormalized: Bool
    var count: Int { games.count }

    /// The largest K × N × |A| one call may hold (the library's limit of a batch chunk).
    static let maximumEntries = NormalFormGame.maximumPayoffEntries

    init(_ pointer: UnsafePointer<eq_games>?) throws(ABIError) {
        guard let g = pointer?.pointee else { throw .input("games is NULL") }
        let shape = try Shape(players: g.players, actionCounts: g.action_counts)
        self.shape = shape
        guard g.count >= 1 else { throw .input("at least one game is needed (count \(g.count))") }
        let (total, overflow) = Int(g.count).multipliedReportingOverflow(by: shape.entries)
        guard !overflow, total <= Self.maximumEntries else {
            throw .input("\(g.count) games of \(shape.entries) payoffs exceed the limit of \(Self.maximumEntries) payoff entries per call")
        }
        let k = Int(g.count)
        guard let payoffs = g.payoffs else { throw .input("payoffs is NULL") }
        let welfare = g.welfare
        var indices: [Int]?
        if let p = g.game_indices {
            let raw = try values(p, count: k, name: "game_indices")
            if let bad = raw.firstIndex(where: { $0 < 0 }) {
                throw .input("game_indices[\(bad)] is \(raw[bad]); indices are 0 or more")
            }
            indices = raw.map { Int($0) }
        }
        var games: [NormalFormGame] = []
        games.reserveCapacity(k)
        for i in 0..<k {
            let entries = Array(UnsafeBufferPointer(start: payoffs + i * shape.entries, count: shape.entries))
            let w = welfare.map { Array(UnsafeBufferPointer(start: $0 + i * shape.joint, count: shape.joint)) }
            do {
                games.append(try NormalFormGame(actionCounts: shape.actionCounts, payoffs: entries, welfare: w))
            } catch {
                throw .input(k == 1 ? error.message : "game \(i): \(error.message)")
            }
        }
        self.games = games
        gameIndices = indices
        collectionSeed = g.collection_seed
        isNormalized = g.normalized != 0
    }

    /// "game k: " in messages about one of several games; nothing for a single game.
    func prefix(_ k: Int) -> String { count == 1 ? "" : "game \(k): " }
}

/// A concept code.
func concept(_ code: Int32) throws(ABIError) -> EquilibriumConcept {
    switch code {
    case Int32(EQ_CE.rawValue): return .correlated
    case Int32(EQ_CCE.rawValue): return .coarseCorrelated
    default: throw .option("concept: \(code) is neither EQ_CE (0) nor EQ_CCE (1)")
    }
}

/// The number of worker threads: 1 or more; 0 or less means one per core.
func workers(_ jobs: Int64) -> Int {
    jobs >= 1 ? Int(min(jobs, 1024)) : ProcessInfo.processInfo.activeProcessorCount
}

/// ε as users give it to the linear selections: exact rationals, comma-separated, one for every
/// player or one per player.
func epsilon(_ text: UnsafePointer<CChar>?, players: Int) throws(ABIError) -> [Rational]? {
    guard let text = try string(text, name: "epsilon") else { return nil }
    var parsed: [Rational] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
        let trimmed = part.trimmingCharacters(in: .whitespaces)
        guard let value = Rational(exactly: Substring(trimmed)) else {
            throw .option("epsilon: '\(trimmed)' is not an exact number (a decimal or p/q)")
        }
        parsed.append(value)
    }
    guard let perPlayer = NormalFormGame.perPlayer(parsed, players: players) else {
        throw .option("epsilon has \(parsed.count) values; give one, or one per player (\(players))")
    }
    return perPlayer
}
