import NormalFormGames

/// A problem with a generation request (bad shape for the family, bad parameter), one line.
public struct GeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a family's generator returns for one game.
public struct GeneratedGame: Sendable {
    /// Raw payoffs in the package's layout `[N, n_1, …, n_N]`, row-major (player N fastest).
    public var payoffs: [Double]
    /// The parameters drawn for this game (name → value), for the metadata of an archive.
    public var parameters: [String: Double]
    /// Set when the family's construction produced a degenerate game that was redrawn (e.g.
    /// GAMUT's all-NaN Bertrand games): the number of redraws.
    public var redraws: Int

    public init(payoffs: [Double], parameters: [String: Double] = [:], redraws: Int = 0) {
        self.payoffs = payoffs
        self.parameters = parameters
        self.redraws = redraws
    }
}

/// Flat-index helpers for generators, which think in joint actions.
public struct JointActionLayout: Sendable {
    public let actionCounts: [Int]
    public let jointActionCount: Int
    public let strides: [Int]

    public init(_ actionCounts: [Int]) {
        self.actionCounts = actionCounts
        jointActionCount = actionCounts.reduce(1, *)
        var strides = [Int](repeating: 1, count: actionCounts.count)
        for p in stride(from: actionCounts.count - 2, through: 0, by: -1) { strides[p] = strides[p + 1] * actionCounts[p + 1] }
        self.strides = strides
    }

    /// The 0-based actions of joint action `index` (player N fastest).
    public func actions(of index: Int) -> [Int] {
        var result = [Int](repeating: 0, count: actionCounts.count)
        var rest = index
        for p in stride(from: actionCounts.count - 1, through: 0, by: -1) {
            result[p] = rest % actionCounts[p]
            rest /= actionCounts[p]
        }
        return result
    }

    /// The flat index of 0-based actions.
    public func index(of actions: [Int]) -> Int {
        var index = 0
        for (p, a) in actions.enumerated() { index += a * strides[p] }
        return index
    }
}
