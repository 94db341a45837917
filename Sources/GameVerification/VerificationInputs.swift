public import Foundation
import EquilibriumSolvers
import GameDatasets
import GameGenerators
public import NormalFormGames
public import NumPyFiles

/// Games read from an archive, in the units they are evaluated in.
public struct GameSet: Sendable {
    public var games: [NormalFormGame]
    /// The family of each game (`unknown` when the archive does not say).
    public var families: [String]
    /// Each game's index within its request (`game_index`), or its row.
    public var gameIndices: [Int]
    public var actionCounts: [Int]
    /// The request's seed, when recorded.
    public var seed: UInt64?
    /// The concept recorded in a ground-truth archive.
    public var concept: EquilibriumConcept?
    /// Whether every game is per-player L2-normalised (docs/reference.md §4) or declared normalised.
    public var isNormalized: Bool
    /// The payoff units, in words, as every report states them.
    public var units: String
    /// The file the games came from.
    public var file: String

    public var count: Int { games.count }
    public var jointActionCount: Int { actionCounts.reduce(1, *) }
    /// "8x8".
    public var shapeLabel: String { actionCounts.map(String.init).joined(separator: "x") }
}

/// Which array of a prediction archive holds the predictions.
public enum PredictionKind: String, Sendable, CaseIterable {
    /// `duals`: α, [K, R] in canonical row order.
    case duals
    /// `joint`: σ, [K, n_1…n_N] or [K, |A|].
    case joint

    /// One game's prediction, checked: finite and ≥ 0, and a joint summing to 1 within 1e-6
    /// (returned renormalised). `label` names an entry (a row, or a joint action) in messages.
    package func checked(_ vector: [Double], name: String, game g: Int, label: (Int) -> String)
        throws(VerificationError) -> [Double]
    {
        if let bad = vector.firstIndex(where: { !$0.isFinite }) {
            throw VerificationError("\(name)[\(g), \(bad)] is \(vector[bad]) (game \(g), \(label(bad))); "
                                    + "predictions must be finite")
        }
        if let bad = vector.firstIndex(where: { $0 < 0 }) {
            throw VerificationError("\(name)[\(g), \(bad)] is \(vector[bad]) (game \(g), \(label(bad))); "
                                    + (self == .duals ? "duals must be ≥ 0" : "probabilities must be ≥ 0"))
        }
        guard self == .joint else { return vector }
        let total = vector.reduce(0, +)
        guard abs(total - 1) <= 1e-6 else {
            throw VerificationError("\(name)[\(g)] sums to \(total), not 1 (game \(g))")
        }
        return vector.map { $0 / total }
    }
}

/// Predictions for every game of a ``GameSet``.
public struct PredictionSet: Sendable {
    public var kind: PredictionKind
    /// One vector per game (α, or σ renormalised to sum 1).
    public var values: [[Double]]
    /// The concept of the duals' row order (for joints: the concept verified).
    public var concept: EquilibriumConcept
    /// How the concept was decided, in words.
    public var conceptReason: String
    public var file: String

    public func prediction(_ k: Int) -> Prediction {
        kind == .duals ? .duals(values[k]) : .joint(values[k])
    }
}

/// The solution a reference archive or a solve provides.
public enum ReferenceKind: String, Sendable, CaseIterable {
    /// The ε̂-MWMRE solution (`me_*` keys; `MWMRESolver`): σ*, ε*, L(α*).
    case mwmre
    /// The max-welfare LP solution (`mw_*` keys; `EquilibriumLP`): σ* only.
    case maximumWelfare = "max-welfare"
}

/// The MWMRE problems of the games, and where they came from.
package struct ParameterResolution: Sendable {
    /// One problem per game (`nil` where the archive records none, e.g. a failed entry).
    package var parameters: [MWMREParameters?]
    /// Where they came from, in words.
    package var source: String
}

/// Reads the inputs of a verification from `.npz` archives, with one-line errors naming the file,
/// key and game.
public enum VerificationInputs {
    /// Reads an archive; a missing file, a bad archive or an unsupported dtype is a one-line error.
    package static func readArchive(_ url: URL) throws(VerificationError) -> [String: NumPyArray] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw VerificationError("\(url.path): no such file")
        }
        do {
            return try NumPyArchive.read(url)
        } catch {
            var message = error.description
            if message.contains("unsupported element type") {
                message += " — save arrays as float64 (e.g. np.asarray(x, dtype=np.float64))"
            }
            throw VerificationError(message)
        }
    }

    // MARK: Games

    /// Reads games (`payoffs` [K, N, n_1…n_N], float64) and their metadata.
    ///
    /// - Parameter normalize: normalise every game per player (L2, docs/reference.md §4) unless it already is.
    public static func games(_ url: URL, normalize: Bool) throws(VerificationError) -> (games: GameSet, arrays: [String: NumPyArray]) {
        let arrays = try readArchive(url)
        return (try GameArchiveReader.games(from: arrays, file: url.path, normalize: normalize), arrays)
    }

    // MARK: Predictions

    /// Reads predictions for `games`: `duals` [K, R] (CE or CCE row count, detected) or `joint`
    /// [K, n_1…n_N] / [K, |A|].
    ///
    /// - Parameters:
    ///   - key: which array to use when the archive holds both.
    ///   - concept: the concept asked for (`--concept`), if any; it must agree with the dual length.
    public static func predictions(_ url: URL, key: PredictionKind?, games: GameSet, concept: EquilibriumConcept?)
        throws(VerificationError) -> PredictionSet
    {
        try predictions(from: try readArchive(url), file: url.path, key: key, games: games, concept: concept)
    }

    /// ``predictions(_:key:games:concept:)`` on arrays already read.
    package static func predictions(from arrays: [String: NumPyArray], file: String, key: PredictionKind?,
                                   games: GameSet, concept explicit: EquilibriumConcept?)
        throws(VerificationError) -> PredictionSet
    {
        let kind: PredictionKind
        if let key {
            guard arrays[key.rawValue] != nil else {
                throw VerificationError("\(file): no '\(key.rawValue)' array (keys: \(arrays.keys.sorted().joined(separator: ", ")))")
            }
            kind = key
        } else if arrays["duals"] != nil && arrays["joint"] != nil {
            throw VerificationError("\(file) holds both 'duals' and 'joint'; choose one (the prediction key)")
        } else if arrays["duals"] != nil {
            kind = .duals
        } else if arrays["joint"] != nil {
            kind = .joint
        } else {
            throw VerificationError("\(file): no 'duals' or 'joint' array (keys: \(arrays.keys.sorted().joined(separator: ", ")))")
        }
        let array = arrays[kind.rawValue]!
        let name = "\(file): \(kind.rawValue)"
        guard let values = array.doubles else {
            throw VerificationError("\(name) has element type \(array.elementType); it must be float64")
        }
        let k = games.count
        let counts = games.actionCounts
        let joint = games.jointActionCount
        guard let first = array.shape.first, array.shape.count >= 2 else {
            throw VerificationError("\(name) has shape \(array.shape); predictions are batched on axis 0")
        }
        guard first == k else {
            throw VerificationError("\(name) holds \(first) predictions (shape \(array.shape)); \(games.file) has \(k) games")
        }
        var concept: EquilibriumConcept
        var reason: String
        let width: Int
        switch kind {
        case .duals:
            guard array.shape.count == 2 else {
                throw VerificationError("\(name) has shape \(array.shape); duals must be [K, R] (R gain rows, canonical order)")
            }
            width = array.shape[1]
            (concept, reason) = try resolveConcept(dualLength: width, explicit: explicit, archive: games.concept,
                                                   actionCounts: counts, name: name, gamesFile: games.file)
        case .joint:
            guard array.shape == [k] + counts || array.shape == [k, joint] else {
                throw VerificationError("\(name) has shape \(array.shape); expected [\(k), "
                                        + "\(counts.map(String.init).joined(separator: ", "))] or [\(k), \(joint)]")
            }
            width = joint
            concept = explicit ?? games.concept ?? .correlated
            reason = explicit != nil ? "given" : games.concept != nil ? "recorded in \(games.file)" : "default"
            if let explicit, let recorded = games.concept, explicit != recorded {
                throw VerificationError("the concept given, \(explicit.rawValue), contradicts the concept \(recorded.rawValue) "
                                        + "recorded in \(games.file)")
            }
        }
        let rows = kind == .duals ? DeviationGains<Double>(concept: concept, actionCounts: counts,
                                                            payoffs: Array(repeating: 0, count: counts.count * joint)).rows : []
        var result: [[Double]] = []
        result.reserveCapacity(k)
        for g in 0..<k {
            let vector = try kind.checked(Array(values[(g * width)..<((g + 1) * width)]), name: name, game: g) {
                kind == .duals ? "row \($0), \(rows[$0])"
                    : "joint action " + JointActionLayout(counts).label(of: $0)
            }
            result.append(vector)
        }
        return PredictionSet(kind: kind, values: result, concept: concept, conceptReason: reason, file: file)
    }

    /// Decides the concept of a dual vector from its length and what the user and archive say.
    static func resolveConcept(dualLength: Int, explicit: EquilibriumConcept?, archive: EquilibriumConcept?,
                               actionCounts: [Int], name: String, gamesFile: String)
        throws(VerificationError) -> (EquilibriumConcept, String)
    {
        let ce = DeviationGains<Double>.rowCount(concept: .correlated, actionCounts: actionCounts)
        let cce = DeviationGains<Double>.rowCount(concept: .coarseCorrelated, actionCounts: actionCounts)
        let shape = actionCounts.map(String.init).joined(separator: "x")
        let stated = explicit ?? archive
        let statedBy = explicit != nil ? "the concept given, \(explicit!.rawValue)," : "the concept recorded in \(gamesFile)"
        if let explicit, let archive, explicit != archive {
            throw VerificationError("the concept given, \(explicit.rawValue), contradicts the concept \(archive.rawValue) recorded in \(gamesFile)")
        }
        switch (dualLength == ce, dualLength == cce) {
        case (true, true):
            let concept = stated ?? .correlated
            return (concept, "duals of length \(dualLength) fit both CE and CCE rows for \(shape); "
                    + (stated != nil ? "using \(statedBy)" : "using CE (give the concept cce for CCE row order)"))
        case (true, false):
            if let stated, stated != .correlated {
                throw VerificationError("\(name) has \(dualLength) columns, the CE row count for \(shape) "
                                        + "(CCE has \(cce)); \(statedBy) contradicts it")
            }
            return (.correlated, "detected from the dual length (\(dualLength) CE rows)")
        case (false, true):
            if let stated, stated != .coarseCorrelated {
                throw VerificationError("\(name) has \(dualLength) columns, the CCE row count for \(shape) "
                                        + "(CE has \(ce)); \(statedBy) contradicts it")
            }
            return (.coarseCorrelated, "detected from the dual length (\(dualLength) CCE rows)")
        case (false, false):
            throw VerificationError("\(name) has \(dualLength) columns per game; shape \(shape) needs \(ce) (CE) "
                                    + "or \(cce) (CCE) in canonical row order")
        }
    }

    // MARK: References

    /// The reference solutions recorded in a ground-truth archive (`me_*` or `mw_*` keys).
    ///
    /// The archive must hold one entry per game, for the same games (its `payoffs`, when present,
    /// must equal the games' within 1e-9 of their scale) and the same concept.
    package static func references(from arrays: [String: NumPyArray], file: String, kind: ReferenceKind,
                                  games: GameSet, concept: EquilibriumConcept)
        throws(VerificationError) -> [ReferenceSolution]
    {
        let prefix = kind == .mwmre ? "me" : "mw"
        let k = games.count
        let counts = games.actionCounts
        let joint = games.jointActionCount
        let n = counts.count
        guard let jointArray = arrays["\(prefix)_joint"] else {
            throw VerificationError("\(file): no '\(prefix)_joint' array: not a ground-truth archive with "
                                    + "\(kind == .mwmre ? "MWMRE" : "max-welfare") solutions")
        }
        guard jointArray.shape == [k] + counts || jointArray.shape == [k, joint], let sigmas = jointArray.doubles else {
            throw VerificationError("\(file): \(prefix)_joint has shape \(jointArray.shape) (\(jointArray.elementType)); "
                                    + "expected float64 [\(k), \(counts.map(String.init).joined(separator: ", "))] to match \(games.file)")
        }
        if let recorded = arrays["concept"]?.strings?.first, recorded.lowercased() != concept.rawValue {
            throw VerificationError("\(file) holds \(recorded.uppercased()) solutions; the predictions are verified as "
                                    + "\(concept.rawValue.uppercased())")
        }
        if file != games.file, let payoffs = arrays["payoffs"] {
            guard payoffs.shape == [k, n] + counts, let values = payoffs.doubles else {
                throw VerificationError("\(file): payoffs has shape \(payoffs.shape); \(games.file) has \(k) games of shape "
                                        + games.shapeLabel)
            }
            let size = n * joint
            for g in 0..<k {
                let game = games.games[g]
                let scale = max(1, game.payoffs.reduce(0) { max($0, abs($1)) })
                var difference = 0.0
                for e in 0..<size { difference = max(difference, abs(values[g * size + e] - game.payoffs[e])) }
                if !(difference <= 1e-9 * scale) {
                    throw VerificationError("\(file): game \(g) has different payoffs from \(games.file) (largest difference "
                                            + "\(difference)): not the same games, or not in the same units")
                }
            }
        }
        let statuses = arrays["\(prefix)_status"]?.strings
        let epsilons = kind == .mwmre ? arrays["me_epsilon"].flatMap { $0.shape == [k, n] ? $0.doubles : nil } : nil
        let objectives = kind == .mwmre ? arrays["me_dual_objective"].flatMap { $0.shape == [k] ? $0.doubles : nil } : nil
        var result: [ReferenceSolution] = []
        result.reserveCapacity(k)
        for g in 0..<k {
            let status = statuses.flatMap { $0.count == k ? $0[g] : nil } ?? "optimal"
            let usable = status == "optimal" || status == "not-converged"
            var sigma = Array(sigmas[(g * joint)..<((g + 1) * joint)])
            let total = sigma.reduce(0, +)
            guard !usable || (sigma.allSatisfy { $0.isFinite && $0 >= 0 } && abs(total - 1) <= 1e-6) else {
                throw VerificationError("\(file): \(prefix)_joint[\(g)] is not a distribution (sum \(total))")
            }
            if usable { sigma = sigma.map { $0 / total } }
            result.append(ReferenceSolution(
                status: status, joint: usable ? sigma : [],
                epsilon: usable ? epsilons.map { Array($0[(g * n)..<((g + 1) * n)]) } : nil,
                dualObjective: usable ? objectives?[g] : nil))
        }
        return result
    }

    /// Solves the reference of every game here, in parallel (`jobs` threads, results by index).
    package static func solveReferences(games: GameSet, parameters: [MWMREParameters?], kind: ReferenceKind,
                                       concept: EquilibriumConcept, jobs: Int, tolerance: Double = 1e-10,
                                       progress: (@Sendable (Int) -> Void)? = nil) -> [ReferenceSolution] {
        let list = games.games
        return ParallelMap.map(count: list.count, jobs: jobs, progress: progress) { k in
            switch kind {
            case .mwmre:
                guard var p = parameters[k] else {
                    return ReferenceSolution(status: "failed: no MWMRE parameters for this game", joint: [])
                }
                p.concept = concept
                do throws(MWMREError) {
                    let r = try MWMRESolver.solve(game: list[k], parameters: p, tolerance: tolerance)
                    guard r.status != .infeasible else {
                        return ReferenceSolution(status: "infeasible", joint: [])
                    }
                    return ReferenceSolution(status: r.status.rawValue, joint: r.joint, epsilon: r.epsilon,
                                             dualObjective: r.dualObjective)
                } catch {
                    return ReferenceSolution(status: "failed: \(error.message)", joint: [])
                }
            case .maximumWelfare:
                do throws(EquilibriumLPError) {
                    let r = try EquilibriumLP.solve(game: list[k], concept: concept)
                    let status = String(describing: r.status)
                    return ReferenceSolution(status: status, joint: r.joint.isEmpty || status != "optimal" ? [] : r.joint,
                                             epsilon: nil, dualObjective: nil)
                } catch {
                    return ReferenceSolution(status: "failed: \(error.message)", joint: [])
                }
            }
        }
    }

}

/// Reads games from archive arrays.
enum GameArchiveReader {
    static func games(from arrays: [String: NumPyArray], file: String, normalize: Bool) throws(VerificationError) -> GameSet {
        guard let payoffs = arrays["payoffs"] else {
            throw VerificationError("\(file): no 'payoffs' array (keys: \(arrays.keys.sorted().joined(separator: ", ")))")
        }
        guard let values = payoffs.doubles else {
            throw VerificationError("\(file): payoffs has element type \(payoffs.elementType); it must be float64")
        }
        let shape = payoffs.shape
        guard shape.count >= 3, shape[1] >= 1, shape.count == 2 + shape[1] else {
            throw VerificationError("\(file): payoffs has shape \(shape); expected [K, N, n_1, …, n_N]")
        }
        let k = shape[0]
        guard k >= 1 else { throw VerificationError("\(file): the archive holds no games") }
        let counts = Array(shape.dropFirst(2))
        let n = counts.count
        let joint = counts.reduce(1, *)
        let size = n * joint
        var games: [NormalFormGame] = []
        games.reserveCapacity(k)
        for g in 0..<k {
            let slice = Array(values[(g * size)..<((g + 1) * size)])
            do {
                games.append(try NormalFormGame(actionCounts: counts, payoffs: slice))
            } catch {
                throw VerificationError("\(file): game \(g): \(error.message)")
            }
        }
        var families = [String](repeating: "unknown", count: k)
        if let f = arrays["family"]?.strings {
            if f.count == 1 { families = Array(repeating: f[0], count: k) } else if f.count == k { families = f }
        }
        var indices = Array(0..<k)
        if let g = arrays["game_index"]?.int64s, g.count == k { indices = g.map { Int($0) } }
        let seed = arrays["seed"].flatMap(Self.unsigned)
        let concept = arrays["concept"]?.strings?.first.flatMap { EquilibriumConcept(rawValue: $0.lowercased()) }
        let declared = arrays["normalization"]?.strings?.first
        let groundTruth = arrays["payoff_scale"] != nil
        let numericallyL2 = games.allSatisfy(Self.isL2Normalized)
        let z = String(format: "%.6g", Double(joint).squareRoot())
        var units: String
        var normalized = numericallyL2 || groundTruth || (declared != nil && declared != "none")
        if normalize && !numericallyL2 {
            games = games.map { $0.l2Normalized().game }
            units = "normalised by verify (L2, docs/reference.md §4: per player mean 0, L2 norm √|A| = \(z)) from the payoffs in \(file)"
            normalized = true
        } else if numericallyL2 || groundTruth {
            units = "normalised (L2, docs/reference.md §4: per player mean 0, L2 norm √|A| = \(z)), as written in \(file)"
        } else if let declared, declared != "none" {
            units = "normalised (\(declared.uppercased()), docs/reference.md §4), as written in \(file)"
        } else if declared == "none" {
            units = "raw payoffs as generated (not normalised), as written in \(file)"
        } else {
            units = "raw payoffs as written in \(file) (not L2-normalised)"
        }
        return GameSet(games: games, families: families, gameIndices: indices, actionCounts: counts, seed: seed,
                       concept: concept, isNormalized: normalized, units: units, file: file)
    }

    /// Per player mean 0 and L2 norm √|A| (or constant 0), within 1e-9 relative.
    static func isL2Normalized(_ game: NormalFormGame) -> Bool {
        let joint = game.jointActionCount
        let z = Double(joint).squareRoot()
        for p in 0..<game.playerCount {
            var sum = 0.0, squares = 0.0
            for a in 0..<joint {
                let v = game.payoffs[p * joint + a]
                sum += v
                squares += v * v
            }
            let norm = squares.squareRoot()
            guard abs(sum / Double(joint)) <= 1e-9 * max(1, z) else { return false }
            guard norm == 0 || abs(norm - z) <= 1e-9 * z else { return false }
        }
        return true
    }

    /// An unsigned or signed integer scalar.
    static func unsigned(_ array: NumPyArray) -> UInt64? {
        guard array.elementCount == 1 else { return nil }
        switch array.elementType {
        case .uint64, .int64:
            return array.payload.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        default:
            return nil
        }
    }
}
