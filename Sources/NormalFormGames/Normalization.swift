import Foundation

/// Unit-variance normalisation of payoffs (docs/reference.md §4, appendix B): per player, subtract the mean
/// over all joint actions, divide by the L_m norm over all joint actions, multiply by Z_m.
///
/// Equilibria are invariant to G_p → c_p G_p + b_p, so the normalised game has the same
/// equilibria, with ε_p scaled by c_p. Welfare is normalised the same way, separately.
public struct PayoffNormalization: Sendable, Equatable {
    /// Which norm: 1, 2 or ∞.
    public enum Norm: String, Sendable, CaseIterable {
        case l1, l2, lInfinity = "linf"
    }

    public var norm: Norm
    /// The scale c_p applied to each player's payoffs (0 for a constant player).
    public var scales: [Double]
    /// The mean subtracted from each player's payoffs.
    public var offsets: [Double]
    /// Players whose payoffs were constant (mapped to zeros).
    public var constantPlayers: [Int]
    /// Z_m for this game's number of joint actions.
    public var target: Double

    /// Z_2(|A|) = √|A| (entries of the L2 sphere have mean square 1), the target of the L2 norm.
    /// Z_1 and Z_∞ have no closed form: `GameGenerators.InvariantGames.scale(_:jointActions:)`
    /// estimates them; pass them as `target` to ``normalize(_:norm:target:)``.
    public static func l2Target(jointActions: Int) -> Double {
        Double(jointActions).squareRoot()
    }

    /// Normalises values over joint actions to L2 norm Z_2 = √|A| (``l2Target(jointActions:)``):
    /// returns the normalised values, scale and offset; constant input maps to zeros with scale 0,
    /// and input with a non-finite entry to NaNs.
    public static func normalizeL2(_ values: [Double]) -> (values: [Double], scale: Double, offset: Double) {
        normalize(values, norm: .l2, target: l2Target(jointActions: values.count))
    }

    /// Normalises values over joint actions to norm `target` (Z_m) in the given norm: returns the
    /// normalised values, scale and offset; constant input maps to zeros with scale 0, and input
    /// with a non-finite entry to NaNs.
    public static func normalize(_ values: [Double], norm: Norm, target: Double)
        -> (values: [Double], scale: Double, offset: Double)
    {
        let count = Double(values.count)
        // Work on the values times an exact power of two that brings the largest to [1, 2), so
        // that neither the sum of squares nor the mean overflows or underflows at any scale
        // (payoffs of 1e300 or 1e-300 alike); the scale and offset are mapped back at the end.
        let magnitude = values.reduce(0) { max($0, abs($1)) }
        // Non-finite input has no normalisation: NaN out, for the caller's finiteness check to
        // name (never zeros, which would read as a constant and be solved silently).
        guard magnitude.isFinite else { return (Array(repeating: .nan, count: values.count), .nan, .nan) }
        guard magnitude > 0 else { return (Array(repeating: 0, count: values.count), 0, 0) }
        let e = Int(magnitude.exponent)
        let w = values.map { scalbn($0, -e) }
        let meanW = w.reduce(0, +) / count
        let centred = w.map { $0 - meanW }
        let mean = scalbn(meanW, e)
        let size: Double
        switch norm {
        case .l1: size = centred.reduce(0) { $0 + abs($1) }
        case .l2: size = centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
        case .lInfinity: size = centred.reduce(0) { max($0, abs($1)) }
        }
        // Constant (to round-off) input cannot be scaled: map it to zeros and flag it.
        if size == 0 || size <= 1e-14 * count {
            return (Array(repeating: 0, count: values.count), 0, mean)
        }
        let scaleW = target / size
        let scale = scalbn(scaleW, -e)
        return (centred.map { $0 * scaleW }, scale, mean)
    }
}

extension NormalFormGame {
    /// The game with each player's payoffs normalised to L2 norm Z_2 = √|A| (docs/reference.md §4),
    /// and the map that was applied. A custom welfare is normalised separately; names and title
    /// are kept.
    public func l2Normalized() -> (game: NormalFormGame, map: PayoffNormalization) {
        normalized(.l2, target: PayoffNormalization.l2Target(jointActions: jointActionCount))
    }

    /// The game with each player's payoffs normalised to norm `target` (Z_m) in the given norm
    /// (docs/reference.md §4), and the map that was applied. A custom welfare is normalised
    /// separately; names and title are kept.
    ///
    /// - Parameter target: Z_m. For L2 it is ``PayoffNormalization/l2Target(jointActions:)`` (or
    ///   call ``l2Normalized()``); for L1 and L∞ pass `InvariantGames.scale(_:jointActions:)`
    ///   from GameGenerators.
    public func normalized(_ norm: PayoffNormalization.Norm, target: Double)
        -> (game: NormalFormGame, map: PayoffNormalization)
    {
        let z = target
        let joint = jointActionCount
        var payoffs: [Double] = []
        payoffs.reserveCapacity(self.payoffs.count)
        var scales: [Double] = [], offsets: [Double] = [], constant: [Int] = []
        for p in 0..<playerCount {
            let (values, scale, offset) = PayoffNormalization.normalize(
                Array(self.payoffs[(p * joint)..<((p + 1) * joint)]), norm: norm, target: z)
            payoffs += values
            scales.append(scale)
            offsets.append(offset)
            if scale == 0 { constant.append(p) }
        }
        let welfare = customWelfare.map { PayoffNormalization.normalize($0, norm: norm, target: z).values }
        var game = try! NormalFormGame(actionCounts: actionCounts, payoffs: payoffs, welfare: welfare)
        game.playerNames = playerNames
        game.actionNames = actionNames
        game.title = title
        return (game, PayoffNormalization(norm: norm, scales: scales, offsets: offsets, constantPlayers: constant,
                                          target: z))
    }
}
