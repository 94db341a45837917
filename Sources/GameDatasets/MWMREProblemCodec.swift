public import EquilibriumSolvers
import NormalFormGames
import NumPyFiles

/// The archive keys that record each game's MWMRE problem, and their one codec: `batch` writes
/// them with ``arrays(_:actionCounts:)`` and `verify` reads them with
/// ``parameters(from:games:actionCounts:concept:file:)``.
///
/// | key | dtype, shape | meaning |
/// |---|---|---|
/// | `me_target` | f8 [K, n_1…n_N] | σ̂ (uniform written out) |
/// | `me_eps_hat`, `me_eps_plus` | f8 [K, N] | ε̂ and ε⁺ |
/// | `me_welfare` | f8 [K, n_1…n_N] | W (zeros when μ = 0) |
/// | `me_mu`, `me_rho` | f8 [K] | μ and ρ (`inf` for the limits) |
///
/// A game without a problem (its generation failed) is written as zeros, which is not a valid
/// problem (ε⁺ ≤ ε̂, ρ = 0) and reads back as `nil`.
public enum MWMREProblemCodec {
    /// The keys, in the order they are written.
    public static let keys = ["me_target", "me_eps_hat", "me_eps_plus", "me_welfare", "me_mu", "me_rho"]

    /// The keys that must be present for an archive to record its problems (the target and the
    /// welfare are optional when reading).
    public static let requiredKeys = ["me_eps_hat", "me_eps_plus", "me_mu", "me_rho"]

    /// Whether `arrays` record MWMRE problems.
    public static func recordsProblems(_ arrays: [String: NumPyArray]) -> Bool {
        requiredKeys.allSatisfy { arrays[$0] != nil }
    }

    /// The arrays recording `parameters`, one entry per game.
    public static func arrays(_ parameters: [MWMREParameters?], actionCounts: [Int]) -> [(name: String, array: NumPyArray)] {
        let k = parameters.count, n = actionCounts.count, joint = actionCounts.reduce(1, *)
        var target: [Double] = [], hat: [Double] = [], cap: [Double] = [], welfare: [Double] = []
        var mu: [Double] = [], rho: [Double] = []
        target.reserveCapacity(k * joint)
        welfare.reserveCapacity(k * joint)
        for p in parameters {
            guard let p else {
                target += Array(repeating: 0, count: joint)
                welfare += Array(repeating: 0, count: joint)
                hat += Array(repeating: 0, count: n)
                cap += Array(repeating: 0, count: n)
                mu.append(0)
                rho.append(0)
                continue
            }
            target += p.target ?? Array(repeating: 1 / Double(joint), count: joint)
            welfare += p.welfare ?? Array(repeating: 0, count: joint)
            hat += p.epsilonTarget
            cap += p.epsilonCap
            mu.append(p.mu)
            rho.append(p.rho)
        }
        return [
            ("me_target", NumPyArray(float64: target, shape: [k] + actionCounts)),
            ("me_eps_hat", NumPyArray(float64: hat, shape: [k, n])),
            ("me_eps_plus", NumPyArray(float64: cap, shape: [k, n])),
            ("me_welfare", NumPyArray(float64: welfare, shape: [k] + actionCounts)),
            ("me_mu", NumPyArray(float64: mu, shape: [k])),
            ("me_rho", NumPyArray(float64: rho, shape: [k])),
        ]
    }

    /// The problems recorded in `arrays` for `games` games of shape `actionCounts`; `nil` for an
    /// entry that holds no valid problem. Throws naming the key and the file when an array has the
    /// wrong shape or type, or holds NaN.
    public static func parameters(from arrays: [String: NumPyArray], games k: Int, actionCounts: [Int],
                                  concept: EquilibriumConcept, file: String) throws(ArchiveContentError)
        -> [MWMREParameters?]
    {
        let n = actionCounts.count, joint = actionCounts.reduce(1, *)
        func values(_ key: String, _ width: Int) throws(ArchiveContentError) -> [Double]? {
            guard let array = arrays[key] else { return nil }
            guard array.shape.first == k, array.elementCount == k * width, let v = array.doubles else {
                throw ArchiveContentError("\(file): \(key) has shape \(array.shape); expected \(k) games × \(width) float64")
            }
            if let bad = v.firstIndex(where: { $0.isNaN }) { throw ArchiveContentError("\(file): \(key) entry \(bad) is NaN") }
            return v
        }
        guard let epsHat = try values("me_eps_hat", n), let epsPlus = try values("me_eps_plus", n),
              let mu = try values("me_mu", 1), let rho = try values("me_rho", 1) else {
            throw ArchiveContentError("\(file): no MWMRE problems (\(requiredKeys.joined(separator: ", ")))")
        }
        let target = try values("me_target", joint)
        let welfare = try values("me_welfare", joint)
        return (0..<k).map { g -> MWMREParameters? in
            let hat = Array(epsHat[(g * n)..<((g + 1) * n)])
            let cap = Array(epsPlus[(g * n)..<((g + 1) * n)])
            guard (0..<n).allSatisfy({ cap[$0] > hat[$0] && hat[$0].isFinite && cap[$0].isFinite }),
                  rho[g] > 0, !mu[g].isNaN else { return nil }
            var p = MWMREParameters(concept: concept, epsilonTarget: hat, epsilonCap: cap, mu: mu[g], rho: rho[g])
            if let target {
                let t = Array(target[(g * joint)..<((g + 1) * joint)])
                let total = t.reduce(0, +)
                guard t.allSatisfy({ $0 >= 0 && $0.isFinite }), abs(total - 1) <= 1e-9 else { return nil }
                p.target = t
            }
            if mu[g] != 0, let welfare { p.welfare = Array(welfare[(g * joint)..<((g + 1) * joint)]) }
            return p
        }
    }
}

/// An archive whose arrays do not hold what their keys promise, one line naming the file and key.
public struct ArchiveContentError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
