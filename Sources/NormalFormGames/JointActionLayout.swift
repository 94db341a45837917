/// How joint actions are numbered: row-major over the players, player N's action varying
/// fastest. With n_p actions for player p, joint action (a_1, …, a_N) (0-based) has index
/// Σ_p a_p · s_p with stride s_p = Π_{q>p} n_q, so s_N = 1 and the indices run over
/// 0..<|A|, |A| = Π_p n_p.
///
/// This is the layout of ``NormalFormGame/payoffs`` (per player), of joint distributions σ and
/// of every joint-action array the package reads or writes. The strides are computed once, so
/// index arithmetic in hot loops neither divides more than it must nor allocates.
public struct JointActionLayout: Sendable, Equatable {
    /// n_p per player.
    public let actionCounts: [Int]
    /// |A| = Π_p n_p.
    public let jointActionCount: Int
    /// s_p = Π_{q>p} n_q per player.
    public let strides: [Int]

    public init(_ actionCounts: [Int]) {
        self.actionCounts = actionCounts
        var strides = [Int](repeating: 1, count: actionCounts.count)
        var s = 1
        for p in stride(from: actionCounts.count - 1, through: 0, by: -1) {
            strides[p] = s
            s *= actionCounts[p]
        }
        self.strides = strides
        jointActionCount = s
    }

    /// Number of players N.
    public var playerCount: Int { actionCounts.count }

    /// The flat index of 0-based actions, one per player.
    @inlinable
    public func index(of actions: [Int]) -> Int {
        var index = 0
        for (p, a) in actions.enumerated() { index += a * strides[p] }
        return index
    }

    /// The 0-based actions of joint action `index`.
    public func actions(of index: Int) -> [Int] {
        var result = [Int](repeating: 0, count: actionCounts.count)
        actions(of: index, into: &result)
        return result
    }

    /// Writes the 0-based actions of joint action `index` into `actions` (one slot per player),
    /// for loops that decode many indices without allocating.
    @inlinable
    public func actions(of index: Int, into actions: inout [Int]) {
        var rest = index
        for p in stride(from: actionCounts.count - 1, through: 0, by: -1) {
            actions[p] = rest % actionCounts[p]
            rest /= actionCounts[p]
        }
    }

    /// Player p's action in joint action `index`.
    @inlinable
    public func action(of player: Int, in index: Int) -> Int {
        (index / strides[player]) % actionCounts[player]
    }

    /// The joint action `index` with player p's action replaced by `action`.
    @inlinable
    public func replacing(action: Int, of player: Int, in index: Int) -> Int {
        index + (action - self.action(of: player, in: index)) * strides[player]
    }

    /// Joint action `index` as people read it: 1-based actions, e.g. `(1,3)`.
    public func label(of index: Int) -> String {
        "(" + actions(of: index).map { String($0 + 1) }.joined(separator: ",") + ")"
    }
}
