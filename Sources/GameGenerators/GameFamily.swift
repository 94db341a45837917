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

