/// An N-player normal-form game with finite action sets.
///
/// Payoffs live in one flat array of shape `[N, n_1, …, n_N]`: the player index first, then
/// the joint action in row-major (C) order, so player N's action varies fastest. Joint
/// actions and actions are 0-based here; they are shown 1-based only to people.
///
/// A game read from text keeps the payoffs as exact rationals too (``exactPayoffs``), so that
/// `1.1` means 11/10 and not the nearest double. A game built from doubles has exact payoffs
/// equal to the doubles' exact binary values.
public struct NormalFormGame: Sendable, Equatable {
    /// The number of actions of each player.
    public let actionCounts: [Int]
    /// Payoffs as doubles, shape `[N, n_1, …, n_N]`, row-major.
    public let payoffs: [Double]
    /// Payoffs as exact rationals when the game came from text; same layout as ``payoffs``.
    public let exactPayoffs: [Rational]?
    /// A welfare given with the game, one entry per joint action; `nil` means Σ_p G_p.
    public let customWelfare: [Double]?
    /// Exact version of ``customWelfare`` when it came from text.
    public let exactCustomWelfare: [Rational]?
    /// Optional player names (one per player).
    public var playerNames: [String]?
    /// Optional action names (one array per player).
    public var actionNames: [[String]]?
    /// Optional title.
    public var title: String?

    /// The largest number of payoff entries (N·|A|) a game may have: 2^27 doubles, 1 GiB.
    ///
    /// The LP over such a game would be far larger still; this limit only keeps the game
    /// itself within memory, with a clear error instead of a failed allocation.
    public static let maximumPayoffEntries = 1 << 27

    /// The number of payoff entries, N·n^N, of a game of `players` players with `actions` actions
    /// each, or nil when it exceeds ``maximumPayoffEntries`` (or `players` or `actions` is below 1).
    ///
    /// Computed without forming the per-player list, so that a request for 10^15 players is
    /// refused before anything of that size is allocated.
    public static func uniformPayoffEntries(players: Int, actions: Int) -> Int? {
        guard players >= 1, actions >= 1, players <= maximumPayoffEntries else { return nil }
        var joint = 1
        for _ in 0..<players {
            let (product, overflow) = joint.multipliedReportingOverflow(by: actions)
            guard !overflow, product <= maximumPayoffEntries / players else { return nil }
            joint = product
        }
        return joint * players
    }

    /// Creates a game, checking shapes and values.
    ///
    /// - Parameters:
    ///   - actionCounts: actions per player, each at least 1; at least one player.
    ///   - payoffs: `N · Π n_p` finite doubles in the layout above.
    ///   - exactPayoffs: the same payoffs as exact rationals, if known.
    ///   - welfare: a custom welfare over joint actions (`Π n_p` finite entries), if any.
    ///   - exactWelfare: the same welfare as exact rationals, if known.
    /// - Throws: ``GameError`` naming the first problem found.
    public init(actionCounts: [Int], payoffs: [Double], exactPayoffs: [Rational]? = nil,
                welfare: [Double]? = nil, exactWelfare: [Rational]? = nil) throws(GameError) {
        guard !actionCounts.isEmpty else { throw GameError("a game needs at least one player") }
        var joint = 1
        for (p, n) in actionCounts.enumerated() {
            guard n >= 1 else {
                throw GameError("player \(p + 1) has \(n) actions; every player needs at least one")
            }
            let (product, overflow) = joint.multipliedReportingOverflow(by: n)
            guard !overflow, product <= NormalFormGame.maximumPayoffEntries else {
                throw GameError("game too large: more than \(NormalFormGame.maximumPayoffEntries) joint actions "
                                + "(shape \(actionCounts.map(String.init).joined(separator: "x")))")
            }
            joint = product
        }
        let (entries, overflow) = joint.multipliedReportingOverflow(by: actionCounts.count)
        guard !overflow, entries <= NormalFormGame.maximumPayoffEntries else {
            throw GameError("game too large: \(actionCounts.count) players x \(joint) joint actions exceeds "
                            + "the limit of \(NormalFormGame.maximumPayoffEntries) payoff entries")
        }
        guard payoffs.count == entries else {
            throw GameError("payoffs have \(payoffs.count) entries; shape [\(actionCounts.count), "
                            + actionCounts.map(String.init).joined(separator: ", ") + "] needs \(entries)")
        }
        if let bad = payoffs.firstIndex(where: { !$0.isFinite }) {
            throw GameError("payoff \(payoffs[bad]) is not finite at "
                            + NormalFormGame.describe(entry: bad, actionCounts: actionCounts))
        }
        if let exactPayoffs, exactPayoffs.count != entries {
            throw GameError("exact payoffs have \(exactPayoffs.count) entries, expected \(entries)")
        }
        // Symmetric with the non-finite check: a non-zero payoff whose nearest double is 0 (below
        // about 4.9e-324) would silently become 0 in every double-precision solve.
        if let exactPayoffs, let bad = payoffs.indices.first(where: { payoffs[$0] == 0 && !exactPayoffs[$0].isZero }) {
            throw GameError("a non-zero payoff is too small for a double (its nearest double is 0; non-zero "
                            + "magnitudes must be at least 4.9e-324) at "
                            + NormalFormGame.describe(entry: bad, actionCounts: actionCounts))
        }
        if let welfare {
            guard welfare.count == joint else {
                throw GameError("welfare has \(welfare.count) entries; expected one per joint action (\(joint))")
            }
            if let bad = welfare.firstIndex(where: { !$0.isFinite }) {
                throw GameError("welfare \(welfare[bad]) is not finite at joint action "
                                + NormalFormGame.label(jointIndex: bad, actionCounts: actionCounts))
            }
        }
        if let exactWelfare, exactWelfare.count != joint {
            throw GameError("exact welfare has \(exactWelfare.count) entries, expected \(joint)")
        }
        self.actionCounts = actionCounts
        self.payoffs = payoffs
        self.exactPayoffs = exactPayoffs
        self.customWelfare = welfare
        self.exactCustomWelfare = welfare == nil ? nil : exactWelfare
    }

    /// Creates a game from exact rational payoffs; the doubles are their nearest values.
    public init(actionCounts: [Int], exactPayoffs: [Rational], exactWelfare: [Rational]? = nil) throws(GameError) {
        try self.init(actionCounts: actionCounts, payoffs: exactPayoffs.map(\.doubleValue),
                      exactPayoffs: exactPayoffs, welfare: exactWelfare?.map(\.doubleValue),
                      exactWelfare: exactWelfare)
        if let bad = payoffs.firstIndex(where: { !$0.isFinite }) {
            throw GameError("payoff \(exactPayoffs[bad]) is too large for a double at "
                            + NormalFormGame.describe(entry: bad, actionCounts: actionCounts))
        }
    }

    /// A per-player value as users give it: one value for every player, or one per player (the
    /// rule of every per-player option: ε, ε̂, ε⁺). `nil` when the count is neither 1 nor `players`.
    public static func perPlayer<T>(_ values: [T], players: Int) -> [T]? {
        if values.count == 1 { return Array(repeating: values[0], count: players) }
        return values.count == players ? values : nil
    }

    /// Number of players N.
    public var playerCount: Int { actionCounts.count }

    /// Number of joint actions |A| = Π n_p.
    public var jointActionCount: Int { payoffs.count / actionCounts.count }

    /// How this game numbers its joint actions (row-major, player N fastest).
    public var layout: JointActionLayout { JointActionLayout(actionCounts) }

    /// Row-major strides of the joint-action index: stride of player p = Π_{q>p} n_q
    /// (``JointActionLayout/strides``).
    public var strides: [Int] { layout.strides }

    /// The flat index of a joint action (0-based actions, each checked against its range).
    public func jointIndex(_ actions: [Int]) -> Int {
        precondition(actions.count == playerCount, "one action per player")
        for (p, a) in actions.enumerated() {
            precondition((0..<actionCounts[p]).contains(a), "action \(a) out of range for player \(p)")
        }
        return layout.index(of: actions)
    }

    /// The joint action (0-based actions) of a flat index.
    public func actions(ofJointIndex index: Int) -> [Int] { layout.actions(of: index) }

    /// G_p(a) as a double.
    @inlinable
    public func payoff(player: Int, jointIndex: Int) -> Double {
        payoffs[player * jointActionCount + jointIndex]
    }

    /// The exact payoffs: the rationals read from text, or the exact values of the doubles.
    public var rationalPayoffs: [Rational] { exactPayoffs ?? payoffs.map(Rational.init) }

    /// The same game with `welfare` as its welfare (exact: a double is a rational), names and
    /// title kept.
    /// - Throws: ``GameError`` when `welfare` does not have one finite entry per joint action.
    public func withWelfare(_ welfare: [Double]) throws(GameError) -> NormalFormGame {
        var game = try NormalFormGame(actionCounts: actionCounts, payoffs: payoffs, exactPayoffs: exactPayoffs,
                                      welfare: welfare, exactWelfare: nil)
        game.playerNames = playerNames
        game.actionNames = actionNames
        game.title = title
        return game
    }

    /// Welfare per joint action as doubles: the custom welfare, or Σ_p G_p(a).
    public var welfare: [Double] { customWelfare ?? utilitarianWelfare }

    /// Σ_p G_p(a) per joint action, whatever welfare the game carries.
    public var utilitarianWelfare: [Double] {
        let joint = jointActionCount
        var result = [Double](repeating: 0, count: joint)
        for p in 0..<playerCount {
            for a in 0..<joint { result[a] += payoffs[p * joint + a] }
        }
        return result
    }

    /// Σ_p G_p(a) per joint action times 2^(−e), e the exponent of the largest payoff magnitude, so
    /// that the sum cannot overflow even where ``utilitarianWelfare`` does (payoffs near the top of
    /// the doubles): the welfare up to an exact positive factor, for a normalisation, which does not
    /// change under one. Returns the values and e.
    public var scaledUtilitarianWelfare: (values: [Double], exponent: Int) {
        let magnitude = payoffs.reduce(0) { max($0, abs($1)) }
        guard magnitude > 0 else { return (utilitarianWelfare, 0) }
        let e = Int(magnitude.exponent)
        let joint = jointActionCount
        var result = [Double](repeating: 0, count: joint)
        for p in 0..<playerCount {
            for a in 0..<joint { result[a] += Double(sign: .plus, exponent: -e, significand: payoffs[p * joint + a]) }
        }
        return (result, e)
    }

    /// Welfare per joint action as exact rationals.
    public var rationalWelfare: [Rational] {
        if customWelfare != nil { return exactCustomWelfare ?? customWelfare!.map(Rational.init) }
        return rationalUtilitarianWelfare
    }

    /// Σ_p G_p(a) per joint action in exact arithmetic, whatever welfare the game carries.
    public var rationalUtilitarianWelfare: [Rational] {
        let exact = rationalPayoffs
        let joint = jointActionCount
        var result = [Rational](repeating: .zero, count: joint)
        for p in 0..<playerCount {
            for a in 0..<joint { result[a] += exact[p * joint + a] }
        }
        return result
    }

    /// Whether the game carries exact payoffs read from text.
    public var hasExactPayoffs: Bool { exactPayoffs != nil }

    /// Names an entry of the flat payoff array for error messages, 1-based as people read it.
    public static func describe(entry: Int, actionCounts: [Int]) -> String {
        let joint = actionCounts.reduce(1, *)
        return "player \(entry / joint + 1), joint action "
            + label(jointIndex: entry % joint, actionCounts: actionCounts)
    }

    /// A joint action as people read it: 1-based actions, e.g. `(1,3)`.
    public static func label(jointIndex: Int, actionCounts: [Int]) -> String {
        JointActionLayout(actionCounts).label(of: jointIndex)
    }

    /// The game with players reordered: new player i is old player `order[i]`.
    public func permutingPlayers(_ order: [Int]) -> NormalFormGame {
        precondition(order.sorted() == Array(0..<playerCount), "not a permutation of the players")
        let newCounts = order.map { actionCounts[$0] }
        let joint = jointActionCount
        let oldStrides = strides
        let newLayout = JointActionLayout(newCounts)
        var newIndexToOld = [Int](repeating: 0, count: joint)
        var newActions = [Int](repeating: 0, count: playerCount)
        for newIndex in 0..<joint {
            newLayout.actions(of: newIndex, into: &newActions)
            var old = 0
            for i in 0..<playerCount { old += newActions[i] * oldStrides[order[i]] }
            newIndexToOld[newIndex] = old
        }
        func remap<T>(_ values: [T]) -> [T] {
            var result: [T] = []
            result.reserveCapacity(values.count)
            for i in 0..<playerCount {
                let p = order[i]
                for newIndex in 0..<joint { result.append(values[p * joint + newIndexToOld[newIndex]]) }
            }
            return result
        }
        func remapJoint<T>(_ values: [T]) -> [T] { newIndexToOld.map { values[$0] } }
        // The shape is valid because it is a permutation of a valid one.
        var game = try! NormalFormGame(
            actionCounts: newCounts, payoffs: remap(payoffs), exactPayoffs: exactPayoffs.map(remap),
            welfare: customWelfare.map(remapJoint), exactWelfare: exactCustomWelfare.map(remapJoint))
        game.playerNames = playerNames.map { names in order.map { names[$0] } }
        game.actionNames = actionNames.map { names in order.map { names[$0] } }
        game.title = title
        return game
    }

    /// The game with one player's actions reordered: new action j of `player` is old action
    /// `order[j]`.
    public func permutingActions(of player: Int, _ order: [Int]) -> NormalFormGame {
        precondition(order.sorted() == Array(0..<actionCounts[player]), "not a permutation of the actions")
        let joint = jointActionCount
        let layout = self.layout
        var newIndexToOld = [Int](repeating: 0, count: joint)
        for newIndex in 0..<joint {
            newIndexToOld[newIndex] = layout.replacing(action: order[layout.action(of: player, in: newIndex)], of: player,
                                                       in: newIndex)
        }
        func remap<T>(_ values: [T]) -> [T] {
            var result: [T] = []
            result.reserveCapacity(values.count)
            for p in 0..<playerCount {
                for newIndex in 0..<joint { result.append(values[p * joint + newIndexToOld[newIndex]]) }
            }
            return result
        }
        func remapJoint<T>(_ values: [T]) -> [T] { newIndexToOld.map { values[$0] } }
        var game = try! NormalFormGame(
            actionCounts: actionCounts, payoffs: remap(payoffs), exactPayoffs: exactPayoffs.map(remap),
            welfare: customWelfare.map(remapJoint), exactWelfare: exactCustomWelfare.map(remapJoint))
        game.playerNames = playerNames
        game.actionNames = actionNames.map { names in
            var copy = names
            copy[player] = order.map { names[player][$0] }
            return copy
        }
        game.title = title
        return game
    }
}

/// A problem with a game's shape or values, with a message naming where it is.
public struct GameError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
