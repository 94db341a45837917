import Foundation
import GameGenerators
import NormalFormGames

/// The families of cases; `--kinds` restricts the campaign to some of them.
enum CaseFamily: String, CaseIterable, Codable, Sendable {
    /// A double-precision equilibrium LP, with scaled and permuted copies.
    case lp
    /// A small LP solved exactly and in doubles.
    case lpExact = "lp-exact"
    /// An MWMRE preset on the L2-normalised game, as `solve --objective mwmre` runs it.
    case mwmrePreset = "mwmre-preset"
    /// MWMRE on the game as given, with parameters in payoff units.
    case mwmreRaw = "mwmre-raw"
    /// Max welfare, then max entropy (μ = ∞, ρ = ∞), as `solve --tie-break max-entropy` runs it.
    case tieBreak = "tie-break"

    var weight: Double {
        switch self {
        case .lp: return 0.38
        case .lpExact: return 0.10
        case .mwmrePreset: return 0.28
        case .mwmreRaw: return 0.10
        case .tieBreak: return 0.14
        }
    }
}

/// Where the payoffs come from.
enum PayoffSource: Codable, Sendable, Equatable {
    case normal
    case invariant(String)
    case gamut(String)
    case smallIntegers
    case cauchy
    case studentT2

    var name: String {
        switch self {
        case .normal: return "N(0,1)"
        case .invariant(let norm): return "\(norm)-invariant"
        case .gamut(let preset): return "GAMUT \(preset)"
        case .smallIntegers: return "integers -3..3"
        case .cauchy: return "Cauchy"
        case .studentT2: return "t(2)"
        }
    }

    var isContinuous: Bool { self != .smallIntegers }
}

/// The LP objectives, as the command line names them.
enum LPObjective: String, CaseIterable, Codable, Sendable {
    case maxWelfare = "max-welfare"
    case minWelfare = "min-welfare"
    case maxLinear = "max-linear"
    case minLinear = "min-linear"
    case maxProbability = "max-probability"
    case minEpsilon = "min-epsilon"
    case minEpsilonPerPlayer = "min-epsilon-per-player"

    var isMinimumEpsilon: Bool { self == .minEpsilon || self == .minEpsilonPerPlayer }
    var usesWelfare: Bool { self == .maxWelfare || self == .minWelfare }
}

/// ε relative to each player's payoff range: ε_p = factor_p · range_p (shared: one factor times
/// the largest range).
struct EpsilonPlan: Codable, Sendable {
    var factors: [Double]
    var shared: Bool
    var isZero: Bool { factors.allSatisfy { $0 == 0 } }
    var hasNegative: Bool { factors.contains { $0 < 0 } }
}

struct LPPlan: Codable, Sendable {
    var ce: Bool
    var objective: LPObjective
    var coefficients: [Double]?
    var jointIndex: Int?
    var epsilon: EpsilonPlan
    var optimalFace: Bool
    /// lp-exact: also solve the scaled copy exactly.
    var exactScaled: Bool
}

enum MWMREMode: String, Codable, Sendable {
    case preset, raw, tieBreak = "tie-break"
}

struct MWMREPlan: Codable, Sendable {
    var ce: Bool
    var mode: MWMREMode
    var method: String
    /// Preset path.
    var preset: String
    var presetSeed: UInt64
    /// Overrides in solve units (`nil`: the preset's); ±infinity allowed for μ and ρ.
    var mu: Double?
    var rho: Double?
    var epsHat: [Double]?
    var epsPlus: [Double]?
    /// A sampled welfare (raw, one per joint action) for MWME / eps-MWME and for raw cases.
    var welfare: [Double]?
    /// Raw cases: use the game's welfare Σ_p G_p (or its custom welfare).
    var gameWelfare: Bool
    /// A target σ̂ (MT, raw cases), possibly with zeros.
    var target: [Double]?
    /// Raw and tie-break cases: ε̂ relative to the payoff range; ε⁺ − ε̂ relative to it.
    var epsilonHatPlan: EpsilonPlan?
    var capFactors: [Double]?
    /// Raw cases: μ and ρ relative to the payoff range (μ·range, ρ·range are the sampled values).
    var muRelative: Double?
    var rhoRelative: Double?
    /// Whether some parameter was drawn out of the ordinary range on purpose.
    var extreme: Bool
}

/// A permutation of players and actions: first each player's actions (new action j of player p
/// is old action `actions[p][j]`), then the players (new player i is old player `players[i]`).
struct PermutationPlan: Codable, Sendable {
    var players: [Int]
    var actions: [[Int]]
}

/// Everything that defines case i; a pure function of (seed, i, families).
struct CasePlan: Codable, Sendable {
    var index: Int
    var family: CaseFamily
    var shape: [Int]
    var source: PayoffSource
    /// Player `duplicatePlayer`'s action `duplicateAt` is a copy of its (final-index) action `duplicateOf`.
    var duplicatePlayer: Int?
    var duplicateAt: Int?
    var duplicateOf: Int?
    var customWelfare: Bool
    /// Payoffs go through game JSON text (exact decimals), as `equilibria solve` reads them.
    var textOrigin: Bool
    var gameSeed: UInt64
    var scales: [Double]
    var offsets: [Double]
    var uniformScale: Bool
    var permutation: PermutationPlan?
    var lp: LPPlan?
    var mwmre: MWMREPlan?

    var jointActionCount: Int { shape.reduce(1, *) }

    /// Solves the plan makes before any conditional one (witnesses for infeasible claims).
    var plannedSolves: Int {
        var n = 2  // base and scaled
        if permutation != nil { n += 1 }
        if family == .lpExact { n += 1 + (lp?.exactScaled == true ? 1 : 0) }
        if let m = mwmre, m.mode == .tieBreak || m.mu == .infinity || (m.mode == .raw && m.muRelative == .infinity) {
            n += 1  // the max-welfare reference LP
        }
        return n
    }

    var summary: String {
        var parts = [family.rawValue, shape.map(String.init).joined(separator: "x"), source.name]
        if duplicatePlayer != nil { parts.append("duplicated action") }
        if textOrigin { parts.append("text") }
        if customWelfare { parts.append("custom welfare") }
        let scaleText = uniformScale ? "c=\(scales[0])" : "c=[\(scales.map { "\($0)" }.joined(separator: ","))]"
        parts.append(scaleText)
        if offsets.contains(where: { $0 != 0 }) { parts.append("offsets") }
        if let lp {
            parts.append("\(lp.ce ? "CE" : "CCE") \(lp.objective.rawValue)")
            if !lp.epsilon.isZero { parts.append("eps factors \(lp.epsilon.factors)") }
        }
        if let m = mwmre {
            parts.append("\(m.ce ? "CE" : "CCE") \(m.mode.rawValue)\(m.mode == .preset ? " " + m.preset : "") \(m.method)")
            if m.extreme {
                var e: [String] = []
                if let mu = m.mu { e.append("μ=\(mu)") }
                if let rho = m.rho { e.append("ρ=\(rho)") }
                if let h = m.epsHat { e.append("ε̂=\(h[0])") }
                if let c = m.epsPlus { e.append("ε⁺=\(c[0])") }
                parts.append("extreme " + e.joined(separator: " "))
            } else {
                if let mu = m.mu { parts.append("μ=\(mu)") }
                if let rho = m.rho { parts.append("ρ=\(rho)") }
            }
        }
        if permutation != nil { parts.append("permuted") }
        return parts.joined(separator: ", ")
    }
}

/// Draws case plans.
struct CaseSampler {
    var seed: UInt64
    var families: [CaseFamily]

    static func stream(seed: UInt64, index: Int, salt: UInt64) -> GameRandom {
        GameRandom(seed: GameRandom.mix(GameRandom.mix(seed ^ salt) ^ UInt64(index)))
    }

    func plan(_ index: Int) -> CasePlan {
        var r = CaseSampler.stream(seed: seed, index: index, salt: 0x4341_4D50_4149_474E)
        let family = pick(&r, families.map { ($0, $0.weight) })
        let source = drawSource(&r, family: family)
        var (shape, dup) = drawShape(&r, family: family, source: source)
        if shape.isEmpty { shape = [2, 2] }
        let players = shape.count
        let customWelfare = family != .lpExact && r.unit() < 0.12
        var plan = CasePlan(
            index: index, family: family, shape: shape, source: source, duplicatePlayer: dup?.player,
            duplicateAt: dup?.at, duplicateOf: dup?.of, customWelfare: customWelfare, textOrigin: false,
            gameSeed: r.next(), scales: [], offsets: [], uniformScale: true, permutation: nil, lp: nil, mwmre: nil)
        let joint = plan.jointActionCount
        // Text origin means exact payoffs, as `equilibria solve` reads any game file. The exact
        // facial reduction (MWMRE ρ = ∞ or μ = ∞ in raw units, tie-break) over long decimals costs
        // about a second at 64 joint actions, so larger continuous games go through text less often.
        switch family {
        case .lpExact: plan.textOrigin = r.unit() < 0.5
        case .lp: plan.textOrigin = r.unit() < 0.3
        case .mwmrePreset: plan.textOrigin = r.unit() < 0.3
        case .mwmreRaw, .tieBreak:
            let p = !source.isContinuous || joint <= 36 ? 0.5 : joint <= 64 ? 0.3 : 0.1
            plan.textOrigin = r.unit() < p
        }

        switch family {
        case .lp, .lpExact:
            plan.lp = drawLP(&r, family: family, joint: joint, players: players)
        case .mwmrePreset, .mwmreRaw, .tieBreak:
            plan.mwmre = drawMWMRE(&r, family: family, joint: joint, players: players)
        }
        // Per-player scales only where the problem is invariant under them: not for an objective
        // built from Σ_p G_p (unless a custom welfare replaces it), nor for ε shared by players.
        var perPlayerAllowed = true
        if let lp = plan.lp {
            if lp.objective.isMinimumEpsilon || (lp.epsilon.shared && !lp.epsilon.isZero) { perPlayerAllowed = false }
        }
        if let m = plan.mwmre {
            switch m.mode {
            case .raw: perPlayerAllowed = false
            case .tieBreak: perPlayerAllowed = customWelfare && (m.epsilonHatPlan?.isZero ?? true)
            case .preset:
                // MU's W is Σ_p G_p, which per-player scales change (its own welfare is not used).
                if m.preset == "MU" { perPlayerAllowed = false }
                if m.mu != nil && m.mu! > 0 && !["MU", "MWME", "eps-MWME"].contains(m.preset) && !customWelfare {
                    perPlayerAllowed = false  // the command line then uses Σ_p G_p
                }
            }
        }
        drawScales(&r, plan: &plan, perPlayerAllowed: perPlayerAllowed)
        let permuteProbability = family == .lpExact ? 0.3 : 0.25
        if r.unit() < permuteProbability { plan.permutation = drawPermutation(&r, shape: shape) }
        return plan
    }

    // MARK: - Pieces

    private func pick<T>(_ r: inout GameRandom, _ choices: [(T, Double)]) -> T {
        let total = choices.reduce(0) { $0 + $1.1 }
        var u = r.unit() * total
        for (value, weight) in choices {
            if u < weight { return value }
            u -= weight
        }
        return choices.last!.0
    }

    private func drawSource(_ r: inout GameRandom, family: CaseFamily) -> PayoffSource {
        let u = r.unit()
        if family == .lpExact {
            // Exact LPs over long binary fractions are slow: mostly integers, some continuous.
            if u < 0.5 { return .smallIntegers }
            if u < 0.8 { return .normal }
            if u < 0.9 { return .cauchy }
            return .gamut(GamutPreset.allCases[r.integer(in: 0...(GamutPreset.allCases.count - 1))].rawValue)
        }
        if u < 0.25 { return .normal }
        if u < 0.37 { return .invariant(["l1", "l2", "linf"][r.integer(in: 0...2)]) }
        if u < 0.62 { return .gamut(GamutPreset.allCases[r.integer(in: 0...(GamutPreset.allCases.count - 1))].rawValue) }
        if u < 0.82 { return .smallIntegers }
        if u < 0.92 { return .cauchy }
        return .studentT2
    }

    /// The final shape, and the duplicated action if any (positions in the final shape).
    private func drawShape(_ r: inout GameRandom, family: CaseFamily, source: PayoffSource)
        -> ([Int], (player: Int, at: Int, of: Int)?)
    {
        let maxJoint: Int, maxRows: Int, maxPlayers: Int, maxActions: Int
        switch family {
        case .lp: (maxJoint, maxRows, maxPlayers, maxActions) = (256, 4096, 5, 16)
        case .lpExact: (maxJoint, maxRows, maxPlayers, maxActions) = (16, 64, 3, 4)
        case .mwmrePreset, .mwmreRaw, .tieBreak: (maxJoint, maxRows, maxPlayers, maxActions) = (144, 112, 5, 12)
        }
        var equal = false
        if case .gamut(let name) = source, let preset = GamutPreset(rawValue: name) { equal = preset.requiresEqualActions }
        for _ in 0..<200 {
            let u = r.unit()
            var n = u < 0.5 ? 2 : u < 0.78 ? 3 : u < 0.92 ? 4 : 5
            n = min(n, maxPlayers)
            var shape: [Int]
            if equal {
                let a = 2 + Int(Double(maxActions - 1) * pow(r.unit(), 1.5))
                shape = Array(repeating: min(a, maxActions), count: n)
            } else {
                shape = (0..<n).map { _ in min(maxActions, 2 + Int(Double(maxActions - 1) * pow(r.unit(), 1.5))) }
            }
            var dup: (Int, Int, Int)?
            if r.unit() < 0.15 {
                // One more action for some player, a copy of another.
                let p = r.integer(in: 0...(n - 1))
                if shape[p] < maxActions {
                    shape[p] += 1
                    let at = r.integer(in: 0...(shape[p] - 1))
                    var of = r.integer(in: 0...(shape[p] - 2))
                    if of >= at { of += 1 }
                    dup = (p, at, of)
                }
            }
            let joint = shape.reduce(1, *)
            let rows = shape.reduce(0) { $0 + $1 * ($1 - 1) }
            if joint <= maxJoint && rows <= maxRows { return (shape, dup.map { (player: $0.0, at: $0.1, of: $0.2) }) }
        }
        return ([2, 2], nil)
    }

    private func drawEpsilon(_ r: inout GameRandom, players: Int, zero: Double, positive: Double) -> EpsilonPlan {
        let u = r.unit()
        let shared = r.unit() < 0.6
        func one(_ positiveSide: Bool) -> Double {
            positiveSide ? pow(10, r.uniform(-6, -0.3)) : -pow(10, r.uniform(-4, -0.5))
        }
        if u < zero { return EpsilonPlan(factors: Array(repeating: 0, count: players), shared: true) }
        let positiveSide = u < zero + positive
        if shared {
            return EpsilonPlan(factors: Array(repeating: one(positiveSide), count: players), shared: true)
        }
        // Per player: mostly of one sign, sometimes mixed.
        let mixed = r.unit() < 0.3
        return EpsilonPlan(factors: (0..<players).map { _ in one(mixed ? r.coin() : positiveSide) }, shared: false)
    }

    private func drawLP(_ r: inout GameRandom, family: CaseFamily, joint: Int, players: Int) -> LPPlan {
        let objective = LPObjective.allCases[r.integer(in: 0...(LPObjective.allCases.count - 1))]
        var coefficients: [Double]?
        if objective == .maxLinear || objective == .minLinear {
            let integers = r.unit() < 0.5
            coefficients = (0..<joint).map { _ in integers ? Double(r.integer(in: -2...2)) : r.normal() }
        }
        let jointIndex = objective == .maxProbability ? r.integer(in: 0...(joint - 1)) : nil
        let epsilon = drawEpsilon(&r, players: players, zero: 0.45, positive: 0.25)
        return LPPlan(ce: r.unit() < 0.6, objective: objective, coefficients: coefficients, jointIndex: jointIndex,
                      epsilon: epsilon, optimalFace: r.unit() < 0.25,
                      exactScaled: family == .lpExact && r.unit() < 0.3)
    }

    private func dirichlet(_ r: inout GameRandom, _ count: Int, zeros: Bool) -> [Double] {
        var draws = (0..<count).map { _ in -log1p(-r.unit()) }
        if zeros {
            let k = r.integer(in: 1...max(1, count / 2))
            for _ in 0..<k { draws[r.integer(in: 0...(count - 1))] = 0 }
            if draws.allSatisfy({ $0 == 0 }) { draws[0] = 1 }
        }
        let total = draws.reduce(0, +)
        return draws.map { $0 / total }
    }

    private func extremeValue(_ r: inout GameRandom) -> Double {
        r.unit() < 0.4 ? 1e308 : pow(10, r.uniform(12, 308))
    }

    private func drawMWMRE(_ r: inout GameRandom, family: CaseFamily, joint: Int, players: Int) -> MWMREPlan {
        let ce = r.unit() < 0.6
        let method = r.unit() < 0.7 ? "newton" : "lbfgsb-newton"
        var plan = MWMREPlan(ce: ce, mode: .preset, method: method, preset: "ME", presetSeed: UInt64(r.integer(in: 0...999_999)),
                             mu: nil, rho: nil, epsHat: nil, epsPlus: nil, welfare: nil, gameWelfare: false, target: nil,
                             epsilonHatPlan: nil, capFactors: nil, muRelative: nil, rhoRelative: nil, extreme: false)
        switch family {
        case .mwmrePreset:
            plan.mode = .preset
            let presets = ["ME", "MT", "MU", "MWME", "MRE", "MS", "eps-ME", "eps-MWME", "eps-MRE"]
            plan.preset = presets[r.integer(in: 0...(presets.count - 1))]
            if plan.preset == "MT" { plan.target = dirichlet(&r, joint, zeros: r.unit() < 0.4) }
            if plan.preset.hasSuffix("MWME") { plan.welfare = (0..<joint).map { _ in r.normal() } }
            let u = r.unit()
            if u < 0.15 { plan.mu = .infinity } else if u < 0.25 { plan.mu = pow(10, r.uniform(-2, 3)) }
            let v = r.unit()
            if v < 0.2 { plan.rho = .infinity } else if v < 0.3 { plan.rho = pow(10, r.uniform(-1, 6)) }
            let z = Double(joint).squareRoot()
            if r.unit() < 0.1 { plan.epsHat = (0..<players).map { _ in z * r.uniform(-1, 1) } }
            if r.unit() < 0.05 {
                // Above any ε̂ a preset may sample (at most Z).
                let hat = plan.epsHat ?? Array(repeating: z, count: players)
                plan.epsPlus = hat.map { max($0, z) + z * pow(10, r.uniform(-1, 1)) }
            }
        case .mwmreRaw:
            plan.mode = .raw
            plan.epsilonHatPlan = r.unit() < 0.5 ? EpsilonPlan(factors: Array(repeating: 0, count: players), shared: true)
                : EpsilonPlan(factors: (0..<players).map { _ in 0.5 * r.uniform(-1, 1) }, shared: false)
            plan.capFactors = (0..<players).map { _ in pow(10, r.uniform(-1, 1)) }
            let u = r.unit()
            plan.muRelative = u < 0.4 ? 0 : u < 0.9 ? pow(10, r.uniform(-2, 2)) : .infinity
            plan.rhoRelative = r.unit() < 0.15 ? .infinity : pow(10, r.uniform(0, 4))
            let w = r.unit()
            if plan.muRelative! > 0 {
                if w < 0.5 { plan.gameWelfare = true } else { plan.welfare = (0..<joint).map { _ in r.normal() } }
            }
            if r.unit() < 0.3 { plan.target = dirichlet(&r, joint, zeros: r.unit() < 0.3) }
        case .tieBreak:
            plan.mode = .tieBreak
            plan.method = "newton"
            plan.epsilonHatPlan = drawEpsilon(&r, players: players, zero: 0.6, positive: 0.2)
        default:
            break
        }
        // Extreme but valid parameters.
        if family != .tieBreak && r.unit() < 0.08 {
            plan.extreme = true
            let which = r.integer(in: 0...4)
            let z = Double(joint).squareRoot()
            let rawScale = 1.0
            let unit = family == .mwmrePreset ? z : rawScale
            switch which {
            case 0: plan.mu = extremeValue(&r)
            case 1: plan.rho = extremeValue(&r)
            case 2: plan.epsHat = Array(repeating: -extremeValue(&r), count: players)
            case 3: plan.epsPlus = Array(repeating: extremeValue(&r), count: players)
            default:
                plan.mu = extremeValue(&r)
                plan.rho = extremeValue(&r)
                plan.epsHat = Array(repeating: -extremeValue(&r), count: players)
                plan.epsPlus = Array(repeating: extremeValue(&r) * unit, count: players)
            }
            if family == .mwmreRaw && plan.mu != nil && plan.welfare == nil && !plan.gameWelfare { plan.gameWelfare = true }
        }
        return plan
    }

    private func drawScales(_ r: inout GameRandom, plan: inout CasePlan, perPlayerAllowed: Bool) {
        let n = plan.shape.count
        func scale() -> Double {
            let u = r.unit()
            if u < 0.12 { return 1 }
            if u < 0.42 { return pow(10, r.uniform(-12, 12)) }
            if u < 0.72 { return pow(10, r.uniform(-300, 300)) }
            let k = r.unit() < 0.5 ? r.integer(in: -300...300) : r.integer(in: -12...12)
            return Double("1e\(k)")!
        }
        let c = scale()
        plan.uniformScale = !(perPlayerAllowed && r.unit() < 0.4)
        plan.scales = plan.uniformScale ? Array(repeating: c, count: n)
            : (0..<n).map { _ in min(1e300, max(1e-300, c * pow(10, r.uniform(-3, 3)))) }
        if r.unit() < 0.5 {
            // Offsets relative to the scale; the size of the payoff spread is applied when the game is built.
            plan.offsets = (0..<n).map { _ in (r.coin() ? 1 : -1) * pow(10, r.uniform(-1, 6)) }
        } else {
            plan.offsets = Array(repeating: 0, count: n)
        }
    }

    private func drawPermutation(_ r: inout GameRandom, shape: [Int]) -> PermutationPlan {
        func shuffled(_ n: Int) -> [Int] {
            var a = Array(0..<n)
            if n > 1 {
                for i in stride(from: n - 1, to: 0, by: -1) { a.swapAt(i, r.integer(in: 0...i)) }
            }
            return a
        }
        return PermutationPlan(players: shuffled(shape.count), actions: shape.map { shuffled($0) })
    }
}
