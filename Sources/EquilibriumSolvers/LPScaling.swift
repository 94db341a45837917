import Foundation
import NormalFormGames

/// The well-scaled copy of an equilibrium LP that GLPK actually solves (docs/mathematics.md,
/// "Scaling").
///
/// Equilibria do not change when a player's payoffs are multiplied by c > 0 or shifted, but
/// GLPK's tolerances are absolute: left alone, gains of 1e-8 fall below them and gains of 1e9
/// swamp them. So every program is solved on a copy whose numbers are near 1, by exact powers of
/// two, which change no digit of the data:
///
/// 1. player p's payoffs are multiplied by 2^(−a_p), with 2^a_p ≤ max|G_p| < 2^(a_p+1), so the
///    gains G_p(a'_p, a_−p) − G_p(a) are formed without overflow or underflow;
/// 2. player p's gain rows (and ε_p) are multiplied by a further 2^(−b_p), so that the largest
///    gain of p lies in [1, 2). The row exponent is e_p = a_p + b_p. A shift of G_p cancels in
///    every gain, so offsets need no treatment;
/// 3. the objective c is shifted by its midrange (a constant on the simplex Σσ = 1) and
///    multiplied by 2^(−k) so that its largest entry lies in [1, 2);
/// 4. with a shared minimum ε, every player takes the largest e_p among players whose gains are
///    not all zero, so that t keeps one unit.
///
/// Multipliers map back as α_p = α''·2^(k − e_p), ε_p = ε''_p·2^(e_p). In exact mode the same
/// powers of two are applied to the rationals, so the scaled program is equivalent exactly.
struct LPScaling {
    /// e_p: player p's gain rows are multiplied by 2^(−e_p).
    var rowExponents: [Int]
    /// The gain structure of the payoff-scaled game (step 1): rows, columns, row starts.
    var gains: DeviationGains<Double>
    /// ``gains``' values with each row of p multiplied by 2^(−b_p): the gain rows GLPK sees.
    var rowValues: [Double]
    /// Per player, a bound on the absolute error of each scaled gain from underflow when the
    /// payoffs were scaled (two payoffs of at most 2⁻¹⁰⁷⁵ each, times 2^(a_p − e_p)).
    var gainUnderflow: [Double]
    /// Per player, 2^(a_p − e_p): the factor from payoff-scaled units (payoffs in (−2, 2)) to the
    /// units of the gain rows, for error bounds on payoffs that are not exactly doubles.
    var payoffRowFactor: [Double]
    /// The absolute error of each scaled gain of `player` beyond its own rounding (relative u):
    /// underflow in the payoff scaling, and, when the payoffs are exact numbers that doubles only
    /// approximate (decimals read from text), their rounding (relative u of each payoff in
    /// (−2, 2), so 4u per gain in payoff-scaled units).
    func gainAbsoluteError(player: Int, roundedPayoffs: Bool) -> Double {
        gainUnderflow[player] + (roundedPayoffs ? 4 * 0x1p-53 * payoffRowFactor[player] : 0)
    }

    /// The objective's exponent k (objective = 2^k · scaled objective + constant).
    var objectiveExponent: Int
    /// The shift subtracted from the objective coefficients before scaling (double path).
    var objectiveShift: Double

    /// 2^x·v without intermediate overflow or underflow (exact unless the result is subnormal).
    static func times2(_ v: Double, _ x: Int) -> Double { scalbn(v, x) }

    /// 2^x as an exact rational.
    static func rationalPower(_ x: Int) -> Rational {
        var result = Rational.one
        var remaining = x
        while remaining != 0 {
            let step = max(-1000, min(1000, remaining))  // 2^step is a normal double
            result = result * Rational(scalbn(1.0, step))
            remaining -= step
        }
        return result
    }

    /// floor(log2 |v|) for v ≠ 0, else 0.
    static func exponent(_ v: Double) -> Int { v == 0 || !v.isFinite ? 0 : Int(v.exponent) }

    /// Where a gain row's scaled bound is clamped: scaled entries are below 4 in magnitude and
    /// Σσ = 1, so a bound beyond ±8 is as good as any larger one (redundant above, infeasible below).
    static let boundClamp = 8.0

    /// The exact gain rows, each row of p multiplied by 2^(−e_p).
    func exactRowValues(_ exact: DeviationGains<Rational>) -> [Rational] {
        var values = exact.values
        for (i, row) in exact.rows.enumerated() {
            let e = -rowExponents[row.player]
            for k in exact.rowStart[i]..<exact.rowStart[i + 1] { values[k] = values[k].timesPowerOfTwo(e) }
        }
        return values
    }

    init(game: NormalFormGame, concept: EquilibriumConcept, sharedEpsilon: Bool) {
        let n = game.playerCount
        let joint = game.jointActionCount
        var payoffExponents = [Int](repeating: 0, count: n)
        var scaled = game.payoffs
        for p in 0..<n {
            var largest = 0.0
            for k in (p * joint)..<((p + 1) * joint) { largest = max(largest, abs(scaled[k])) }
            payoffExponents[p] = Self.exponent(largest)
            for k in (p * joint)..<((p + 1) * joint) { scaled[k] = Self.times2(scaled[k], -payoffExponents[p]) }
        }
        let raw = DeviationGains(concept: concept, actionCounts: game.actionCounts, payoffs: scaled)
        var largestGain = [Double](repeating: 0, count: n)
        for (i, row) in raw.rows.enumerated() {
            for k in raw.rowStart[i]..<raw.rowStart[i + 1] {
                largestGain[row.player] = max(largestGain[row.player], abs(raw.values[k]))
            }
        }
        var exponents = (0..<n).map { payoffExponents[$0] + Self.exponent(largestGain[$0]) }
        if sharedEpsilon {
            // The largest exponent among players with a non-zero gain: a constant player's rows
            // are zero at any scale and must not pin the unit (its exponent, 0, would leave
            // gains of 1e-126 unscaled, below GLPK's tolerances).
            let top = (0..<n).filter { largestGain[$0] > 0 }.map { exponents[$0] }.max() ?? 0
            exponents = Array(repeating: top, count: n)
        }
        var values = raw.values
        for (i, row) in raw.rows.enumerated() {
            let shift = payoffExponents[row.player] - exponents[row.player]
            if shift != 0 {
                for k in raw.rowStart[i]..<raw.rowStart[i + 1] { values[k] = Self.times2(values[k], shift) }
            }
        }
        rowExponents = exponents
        gainUnderflow = (0..<n).map { scalbn(1.0, -1074 + payoffExponents[$0] - exponents[$0]) }
        payoffRowFactor = (0..<n).map { scalbn(1.0, payoffExponents[$0] - exponents[$0]) }
        gains = raw
        rowValues = values
        objectiveExponent = 0
        objectiveShift = 0
    }

    /// Shift and exponent of an objective vector (in doubles), and the scaled coefficients.
    static func scaledObjective(_ c: [Double]) -> (coefficients: [Double], shift: Double, exponent: Int) {
        guard let top = c.max(), let bottom = c.min() else { return (c, 0, 0) }
        let shift = top / 2 + bottom / 2
        var largest = 0.0
        for v in c { largest = max(largest, abs(v - shift)) }
        let k = exponent(largest)
        return (c.map { times2($0 - shift, -k) }, shift, k)
    }
}
