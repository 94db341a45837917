import GameGenerators
import NormalFormGames
import NumPyFiles

/// The arrays `equilibria generate` writes for a set of generated games (keys in the README).
public enum GeneratedArchive {
    /// The most payoff entries (games × N × |A|, relabelled copies included) `generate` holds:
    /// it keeps every game in memory until the output is written. The limit of one game
    /// (``NormalFormGames/NormalFormGame/maximumPayoffEntries``, 2^27 entries, 1 GiB of
    /// doubles); a batch (``BatchJob``) writes chunks and has no such limit on its count.
    public static let maximumPayoffEntries = NormalFormGame.maximumPayoffEntries

    public static func arrays(_ samples: [GeneratedSample], request: GenerationRequest)
        -> [(name: String, array: NumPyArray)]
    {
        let k = samples.count, n = request.actionCounts.count
        let shape = [k, n] + request.actionCounts
        var arrays: [(name: String, array: NumPyArray)] = [
            ("payoffs", NumPyArray(float64: samples.flatMap(\.payoffs), shape: shape)),
            ("game_index", NumPyArray(int64: samples.map { Int64($0.index) }, shape: [k])),
            ("seed", NumPyArray(uint64: [request.seed], shape: [])),
            ("family", NumPyArray(strings: [request.distribution.name], shape: [])),
            ("action_counts", NumPyArray(int64: request.actionCounts.map(Int64.init), shape: [n])),
            ("redraws", NumPyArray(int64: samples.map { Int64($0.redraws) }, shape: [k])),
            ("normalization", NumPyArray(strings: [request.normalization?.rawValue ?? "none"], shape: [])),
        ]
        if let range = request.gamutRange {
            // GAMUT's own affine -normalize (one map over all players), kept apart from the
            // per-player normalisation above.
            arrays.append(("gamut_normalize", NumPyArray(float64: [range.low, range.high], shape: [2])))
        }
        if request.normalization != nil {
            arrays.append(("scales", NumPyArray(float64: samples.flatMap { $0.scales ?? [] }, shape: [k, n])))
            arrays.append(("offsets", NumPyArray(float64: samples.flatMap { $0.offsets ?? [] }, shape: [k, n])))
            arrays.append(("constant_player", NumPyArray(
                bool: samples.flatMap { s in (0..<n).map { s.constantPlayers.contains($0) } }, shape: [k, n])))
        }
        let names = Array(Set(samples.flatMap { $0.parameters.keys })).sorted()
        if !names.isEmpty {
            arrays.append(("parameter_names", NumPyArray(strings: names)))
            arrays.append(("parameters", NumPyArray(
                float64: samples.flatMap { s in names.map { s.parameters[$0] ?? 0 } }, shape: [k, names.count])))
            arrays.append(("parameters_present", NumPyArray(
                bool: samples.flatMap { s in names.map { s.parameters[$0] != nil } }, shape: [k, names.count])))
        }
        return arrays
    }
}
