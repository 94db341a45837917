import Foundation
import NumPyFiles
import GameGenerators
public import NormalFormGames

/// One permuted copy of a game.
public struct PermutedCopy: Sendable, Equatable {
    /// The row of the original game in its archive.
    public var source: Int
    /// Which copy of that game (0-based).
    public var copy: Int
    public var permutation: GamePermutation
    /// The permuted game.
    public var game: NormalFormGame
}

/// Permuted copies of games, for measuring equivariance: a predictor f is equivariant when
/// f(π·G) = π·f(G) for every relabelling π of players and actions.
///
/// Copy c of game k uses a permutation drawn from SplitMix64 seeded by
/// `GameRandom.mix(seed ^ GameRandom.mix(UInt64(k) << 20 ^ UInt64(c)))`: it depends only on
/// (seed, k, c), not on the number of copies or games.
public enum PermutedCopies {
    /// The stream seed of copy `copy` of game row `row`.
    package static func seed(_ seed: UInt64, row: Int, copy: Int) -> UInt64 {
        GameRandom.mix(seed ^ GameRandom.mix(UInt64(row) << 20 ^ UInt64(copy)))
    }

    /// `count` permuted copies of every game, game-major (copy c of game k at k·count + c).
    public static func make(games: [NormalFormGame], count: Int, seed: UInt64, permutePlayers: Bool = true,
                            permuteActions: Bool = true) -> [PermutedCopy] {
        precondition(count >= 0, "a negative number of copies")
        var result: [PermutedCopy] = []
        result.reserveCapacity(games.count * count)
        for (k, game) in games.enumerated() {
            for c in 0..<count {
                var generator = SplitMix64(seed: Self.seed(seed, row: k, copy: c))
                let permutation = GamePermutation.random(
                    actionCounts: game.actionCounts, generator: &generator, permutePlayers: permutePlayers,
                    permuteActions: permuteActions)
                result.append(PermutedCopy(source: k, copy: c, permutation: permutation, game: permutation.permuting(game)))
            }
        }
        return result
    }

    /// The archive of permuted copies of an archive of games (from `generate`, `batch` + `merge`,
    /// or any `.npz` with `payoffs` [K, N, n_1…n_N]): every per-game array it understands is
    /// permuted (payoffs, welfare and the ground-truth σ, σ̂, W over joint actions; ε, ε̂, ε⁺ and
    /// scales over players; duals over rows) or repeated (statuses, objectives, indices), and
    /// these are added:
    ///
    /// | key | dtype, shape | meaning |
    /// |---|---|---|
    /// | `source_index` | i8 [K·C] | row of the original game in the input archive |
    /// | `copy_index` | i8 [K·C] | which copy (0-based) |
    /// | `player_permutation` | i8 [K·C, N] | new player i is old player `player_permutation[i]` |
    /// | `action_permutation` | i8 [K·C, N, max n] | new action j of new player i is old action `[i, j]` of that old player (−1 pads) |
    /// | `permutation_seed` | u8 [] | the seed |
    ///
    /// - Returns: the arrays and the names of input arrays that were not carried over.
    package static func archive(from arrays: [String: NumPyArray], count: Int, seed: UInt64,
                               permutePlayers: Bool = true, permuteActions: Bool = true, file: String = "the archive")
        throws(VerificationError) -> (arrays: [(name: String, array: NumPyArray)], dropped: [String])
    {
        guard count >= 1 else { throw VerificationError("the number of copies must be at least 1") }
        let set = try GameArchiveReader.games(from: arrays, file: file, normalize: false)
        let games = set.games
        let k = games.count
        let counts = set.actionCounts
        let copies = make(games: games, count: count, seed: seed, permutePlayers: permutePlayers,
                          permuteActions: permuteActions)
        let concept: EquilibriumConceptName? = arrays["concept"]?.strings?.first.flatMap(EquilibriumConceptName.init)
        var out: [(name: String, array: NumPyArray)] = []
        var dropped: [String] = []
        let jointSources = copies.map { $0.permutation.jointSource(actionCounts: counts) }

        for name in arrays.keys.sorted() {
            let array = arrays[name]!
            let shape = array.shape
            if shape.isEmpty || name == "action_counts" || name == "parameter_names" {
                out.append((name, array))
                continue
            }
            guard shape.first == k else {
                dropped.append(name)
                continue
            }
            let rowShape = Array(shape.dropFirst())
            if let permuted = permuted(array, name: name, rowShape: rowShape, copies: copies, counts: counts,
                                       jointSources: jointSources, concept: concept) {
                out.append((name, permuted))
            } else {
                dropped.append(name)
            }
        }
        out += permutationArrays(copies, counts: counts, seed: seed)
        if !out.contains(where: { $0.name == "payoffs" }) {
            throw VerificationError("\(file): payoffs could not be permuted")
        }
        return (out, dropped)
    }

    /// The arrays that record the copies: source and copy indices, the permutations and the seed.
    private static func permutationArrays(_ copies: [PermutedCopy], counts: [Int], seed: UInt64)
        -> [(name: String, array: NumPyArray)]
    {
        let total = copies.count
        let n = counts.count
        let maxActions = counts.max() ?? 0
        return [
            ("source_index", NumPyArray(int64: copies.map { Int64($0.source) }, shape: [total])),
            ("copy_index", NumPyArray(int64: copies.map { Int64($0.copy) }, shape: [total])),
            ("player_permutation", NumPyArray(int64: copies.flatMap { $0.permutation.players.map(Int64.init) },
                                              shape: [total, n])),
            ("action_permutation", NumPyArray(
                int64: copies.flatMap { copy in
                    copy.permutation.actions.flatMap { $0.map(Int64.init) + Array(repeating: -1, count: maxActions - $0.count) }
                }, shape: [total, n, maxActions])),
            ("permutation_seed", NumPyArray(uint64: [seed], shape: [])),
        ]
    }

    /// One per-game input array for the copies, by its kind: payoffs of the permuted games, joints
    /// and duals permuted, per-player values reordered, others repeated; `nil` when it cannot be
    /// carried over.
    private static func permuted(_ array: NumPyArray, name: String, rowShape: [Int], copies: [PermutedCopy],
                                 counts: [Int], jointSources: [[Int]], concept: EquilibriumConceptName?) -> NumPyArray? {
        let total = copies.count
        let n = counts.count
        let joint = counts.reduce(1, *)
        switch Self.kind(of: name) {
        case .payoffs where rowShape == [n] + counts:
            return NumPyArray(float64: copies.flatMap { $0.game.payoffs }, shape: [total] + rowShape)
        case .joint where rowShape == counts || rowShape == [joint]:
            guard let values = array.doubles else { return nil }
            var result: [Double] = []
            result.reserveCapacity(total * joint)
            for (j, copy) in copies.enumerated() {
                let base = copy.source * joint
                result += jointSources[j].map { values[base + $0] }
            }
            return NumPyArray(float64: result, shape: [total] + rowShape)
        case .perPlayer where rowShape == [n]:
            var result = repeated(array, rowShape: rowShape, copies: copies)
            let width = result.payload.count / max(1, total * n)
            var payload = Data(capacity: result.payload.count)
            for (j, copy) in copies.enumerated() {
                let base = result.payload.startIndex + j * n * width
                for i in 0..<n {
                    let old = copy.permutation.players[i]
                    payload.append(result.payload[base + old * width..<base + (old + 1) * width])
                }
            }
            result.payload = payload
            return result
        case .duals where rowShape.count == 1:
            guard let values = array.doubles, let concept,
                  rowShape[0] == DeviationGains<Double>.rowCount(concept: concept.concept, actionCounts: counts)
            else { return nil }
            let rows = rowShape[0]
            var result: [Double] = []
            result.reserveCapacity(total * rows)
            for copy in copies {
                let base = copy.source * rows
                result += copy.permutation.rowSource(concept: concept.concept, actionCounts: counts).map { values[base + $0] }
            }
            return NumPyArray(float64: result, shape: [total, rows])
        case .repeated:
            return repeated(array, rowShape: rowShape, copies: copies)
        default:
            return nil
        }
    }

    /// Row `copies[j].source` of `array` for every copy j, of any element type.
    private static func repeated(_ array: NumPyArray, rowShape: [Int], copies: [PermutedCopy]) -> NumPyArray {
        let total = copies.count
        var result = array
        result.shape = [total] + rowShape
        let bytes = array.elementCount == 0 ? 0 : array.payload.count / array.elementCount * rowShape.reduce(1, *)
        var payload = Data(capacity: bytes * total)
        for copy in copies {
            let start = array.payload.startIndex + copy.source * bytes
            payload.append(array.payload[start..<start + bytes])
        }
        result.payload = payload
        return result
    }

    /// The permutations recorded in an archive written by ``archive(from:count:seed:permutePlayers:permuteActions:file:)``.
    package static func recorded(in arrays: [String: NumPyArray], actionCounts: [Int], file: String)
        throws(VerificationError) -> [(source: Int, copy: Int, permutation: GamePermutation)]
    {
        guard let sources = arrays["source_index"]?.int64s, let players = arrays["player_permutation"],
              let actions = arrays["action_permutation"], let playerValues = players.int64s,
              let actionValues = actions.int64s
        else {
            throw VerificationError("\(file): no recorded permutations (source_index, player_permutation, "
                                    + "action_permutation as written by 'equilibria verify permute')")
        }
        let total = sources.count
        let n = actionCounts.count
        let maxActions = actionCounts.max() ?? 0
        guard players.shape == [total, n], actions.shape == [total, n, maxActions] else {
            throw VerificationError("\(file): player_permutation \(players.shape) or action_permutation \(actions.shape) "
                                    + "does not match \(total) copies of \(n) players")
        }
        let copies = arrays["copy_index"]?.int64s ?? Array(repeating: 0, count: total)
        var result: [(source: Int, copy: Int, permutation: GamePermutation)] = []
        for j in 0..<total {
            let order = (0..<n).map { Int(playerValues[j * n + $0]) }
            let perms = (0..<n).map { i in
                (0..<actionCounts[i]).map { Int(actionValues[(j * n + i) * maxActions + $0]) }
            }
            do {
                let permutation = try GamePermutation(players: order, actions: perms, actionCounts: actionCounts)
                result.append((Int(sources[j]), copies.count == total ? Int(copies[j]) : 0, permutation))
            } catch {
                throw VerificationError("\(file): copy \(j): \(error.message)")
            }
        }
        return result
    }

    enum ArrayKind { case payoffs, joint, perPlayer, duals, repeated, unknown }

    static func kind(of name: String) -> ArrayKind {
        switch name {
        case "payoffs": return .payoffs
        case "welfare", "me_target", "me_welfare", "me_joint", "mw_joint": return .joint
        case "payoff_scale", "me_eps_hat", "me_eps_plus", "me_epsilon", "scales", "offsets", "constant_player":
            return .perPlayer
        case "me_duals", "mw_duals": return .duals
        case "game_index", "redraws", "family", "mw_status", "mw_message", "mw_objective", "mw_max_violation",
             "mw_certified", "mw_certificate", "mw_objective_bounds", "mw_joint_error",
             "me_kl_bound", "me_kl_joint_error", "me_kl_note",
             "me_mu", "me_rho", "me_status", "me_message", "me_duals_attained", "me_dual_objective",
             "me_primal_objective", "me_duality_gap", "me_gap_certified", "me_kkt_residual", "me_iterations",
             "parameters", "parameters_present":
            return .repeated
        default: return .unknown
        }
    }
}

/// "ce" / "cce" as read from an archive.
struct EquilibriumConceptName {
    var concept: EquilibriumConcept
    init?(_ text: String) {
        guard let c = EquilibriumConcept(rawValue: text.lowercased()) else { return nil }
        concept = c
    }
}
