import NormalFormGames

extension Gamut {
    /// GAMUT's `Game.DEFAULT_LOW` / `DEFAULT_HIGH`: "uniform random" payoffs are U[−100, 100).
    static let uniformPayoffRange: (low: Double, high: Double) = (-100, 100)

    /// GAMUT's RandomGame (docs/gamut.md, GAMUT's generators): every payoff of every player at every joint action is
    /// iid U[−100, 100). Per-player action counts may differ; nothing is randomised beyond the
    /// payoffs, so no parameters are recorded.
    static func randomGame(actionCounts: [Int], random: inout GameRandom) throws(GeneratorError) -> GeneratedGame {
        let layout = try checkedLayout(actionCounts, family: "RandomGame")
        let count = actionCounts.count * layout.jointActionCount
        let (low, high) = uniformPayoffRange
        var payoffs = [Double](repeating: 0, count: count)
        for e in 0..<count { payoffs[e] = random.uniform(low, high) }
        return GeneratedGame(payoffs: payoffs)
    }

    /// The joint-action layout of a shape, after checking that the game fits in memory
    /// (``NormalFormGames/NormalFormGame/maximumPayoffEntries``) and every count is positive.
    static func checkedLayout(_ actionCounts: [Int], family: String) throws(GeneratorError) -> JointActionLayout {
        guard !actionCounts.isEmpty else { throw GeneratorError("\(family) needs at least one player") }
        var joint = 1
        for (p, n) in actionCounts.enumerated() {
            guard n >= 1 else { throw GeneratorError("\(family): player \(p + 1) has \(n) actions") }
            let (product, overflow) = joint.multipliedReportingOverflow(by: n)
            guard !overflow, product <= NormalFormGame.maximumPayoffEntries else {
                throw GeneratorError("\(family): game too large (more than \(NormalFormGame.maximumPayoffEntries) joint actions)")
            }
            joint = product
        }
        let (entries, overflow) = joint.multipliedReportingOverflow(by: actionCounts.count)
        guard !overflow, entries <= NormalFormGame.maximumPayoffEntries else {
            throw GeneratorError("\(family): game too large (\(actionCounts.count) players x \(joint) joint actions "
                                 + "exceeds \(NormalFormGame.maximumPayoffEntries) payoff entries)")
        }
        return JointActionLayout(actionCounts)
    }
}
