import Foundation
import LinearProgramming
import NormalFormGames

/// A rigorous certificate of a double-precision equilibrium LP answer (``EquilibriumLP/solve``
/// with `certify`).
///
/// The optimal basis GLPK returns is proven primal and dual feasible for the exact program —
/// the game's payoffs as exact numbers, every gain formed exactly — by enclosures computed in
/// floating point with rigorous error bounds (``LinearProgram/verify(basis:radii:)``). Where an
/// enclosure cannot decide a sign (a degenerate basis), the basis is re-solved and checked in
/// exact rational arithmetic; where the basis is not exactly optimal, GLPK's rational simplex
/// finds one that is. The bounds below then hold for the exact optimum σ*.
public struct LPCertification: Sendable, Equatable {
    /// The optimum (or infeasibility) is proven.
    public var certified: Bool
    /// How: `floating-point enclosure`, `exact basis`, `exact simplex`, or the Farkas proof's
    /// method for an infeasible program.
    public var method: String
    /// A rigorous enclosure of the optimal objective value, in the game's units.
    public var objectiveLower: Double?
    public var objectiveUpper: Double?
    /// A rigorous bound on max_a |σ(a) − σ*(a)| for the σ reported, where σ* is the optimal
    /// basic solution proven optimal (the optimum itself when it is unique).
    public var jointError: Double?
    /// The certificate also proves the optimum unique (strict complementary slackness).
    public var provesUnique: Bool
    /// Why the answer is not certified, when it is not.
    public var reason: String?
    /// Rigorous outer bounds on the range of σ(a) over the exact optimal face, one per joint
    /// action, for the ranges the optimal-face analysis computed (`nil` elsewhere): every
    /// optimal σ* has lower ≤ σ*(a) ≤ upper. `nil` when no range was asked for or computed.
    public var rangeBounds: [LPRangeBound?]? = nil
    /// What the range bounds do not cover, and why.
    public var rangeNote: String? = nil
    /// How many LPs over the relaxed face the range bounds needed of their own (most come from
    /// the multipliers of the optimal-face analysis, ``FaceRangeBounds``).
    var relaxedLPs = 0

    public init(certified: Bool, method: String, objectiveLower: Double? = nil, objectiveUpper: Double? = nil,
                jointError: Double? = nil, provesUnique: Bool = false, reason: String? = nil) {
        self.certified = certified
        self.method = method
        self.objectiveLower = objectiveLower
        self.objectiveUpper = objectiveUpper
        self.jointError = jointError
        self.provesUnique = provesUnique
        self.reason = reason
    }
}

/// A rigorous outer bound on the range of one σ(a) over the optimal face.
public struct LPRangeBound: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

extension ScaledRequest {
    /// How far the exact scaled program lies from the double one GLPK solved (``LPDataRadii``).
    ///
    /// - Gains: each double gain is one rounded subtraction of two payoff-scaled payoffs (relative
    ///   u), whose scaling may underflow (``LPScaling/gainUnderflow``); when the payoffs are
    ///   exact numbers that are not doubles (decimals read from text), their own rounding too.
    /// - ε bounds: the nearest double of the scaled exact ε_p (relative u), 0 when exact.
    /// - Objective: c'' = (c − shift)·2⁻ᵏ from the doubles of c, one rounded subtraction; for the
    ///   welfare Σ_p G_p, the rounding of the sum (γ_N Σ_p |G_p(a)|).
    func dataRadii(_ program: LinearProgram<Double>, roundedPayoffs: Bool) -> LPDataRadii {
        let u = 0x1p-53, eta = Double.leastNonzeroMagnitude
        let gains = scaling.gains
        let absolute = (0..<game.playerCount).map { scaling.gainAbsoluteError(player: $0, roundedPayoffs: roundedPayoffs) }
        var values = [Double](repeating: 0, count: program.values.count)
        for (i, row) in gains.rows.enumerated() {
            for e in program.rowStart[i]..<program.rowStart[i + 1] where program.columnIndices[e] < game.jointActionCount {
                let v = program.values[e]
                values[e] = ((2 * u * abs(v) + 2 * absolute[row.player]) * (1 + 4 * u) + 2 * eta).nextUp
            }
        }
        var rowBounds = [Double](repeating: 0, count: program.rowCount)
        if !isMinimumEpsilon {
            let exactBounds = (0..<game.playerCount).map {
                EquilibriumLP.scaledExactBound(epsilon[$0], scaling.rowExponents[$0])
            }
            let radius = exactBounds.map { b -> Double in
                let d = b.doubleValue
                return Rational(d) == b ? 0 : (u * abs(d) + eta).nextUp
            }
            for (i, row) in gains.rows.enumerated() { rowBounds[i] = radius[row.player] }
        }
        var objective: [Double]? = nil
        if coefficients != nil, let scaled = scaledCoefficients {
            let sourceError = objectiveSourceRadius(roundedPayoffs: roundedPayoffs)
            objective = (0..<scaled.count).map { a in
                ((2 * u * abs(scaled[a]) + scalbn(sourceError[a], -objectiveExponent)) * (1 + 4 * u) + 2 * eta).nextUp
            }
            objective!.append(contentsOf: Array(repeating: 0, count: program.columnCount - scaled.count))
        }
        return LPDataRadii(values: values, objective: objective, rowBounds: rowBounds)
    }

    /// Whether the payoffs are exact numbers that doubles only approximate.
    var hasRoundedPayoffs: Bool {
        game.exactPayoffs.map { exact in zip(exact, game.payoffs).contains { Rational($1) != $0 } } ?? false
    }

    /// The GLPK tolerance of the re-solve that precedes an exact fallback (see ``certify``).
    static let polishTolerance = 1e-13

    /// Certifies an optimal double-precision answer of `program` (the ``doubleProgram()``) in
    /// place (``LPCertification``).
    ///
    /// When the proof refutes GLPK's basis (it misses a bound or a reduced-cost sign by less than
    /// GLPK's tolerance, but by more than any rounding), the dual simplex first continues from it
    /// at tolerance ``polishTolerance``. If that moves the basis and the new one is not refuted,
    /// the new answer (σ, duals, optimal face) replaces the old and is certified instead: it is
    /// the same program's optimum, closer to exact, and much cheaper to prove than a rational
    /// simplex.
    func certify(_ result: inout EquilibriumLPResult, program: LinearProgram<Double>, face: FaceRequest?,
                 options: SimplexOptions, deadline: ContinuousClock.Instant) {
        switch result.status {
        case .infeasible:
            result.certification = LPCertification(
                certified: result.certified, method: result.method ?? "Farkas certificate",
                reason: result.certified ? nil : result.note)
            return
        case .failed, .unbounded:
            result.certification = LPCertification(certified: false, method: "none", reason: result.note ?? "no answer")
            return
        case .optimal:
            break
        }
        guard let found = result.basis else {
            result.certification = LPCertification(certified: false, method: "none", reason: "no basis to certify")
            return
        }
        let radii = dataRadii(program, roundedPayoffs: hasRoundedPayoffs)
        var basis = found
        var verified = program.verify(basis: basis, radii: radii)
        if verified.verdict == .rejected, options.tolerance > Self.polishTolerance {
            var tight = options
            tight.tolerance = Self.polishTolerance
            let polished = solveInDoubles(optimalFace: face, options: tight, program: program, startingBasis: basis)
            if polished.status == .optimal, let moved = polished.basis, moved != basis {
                let again = program.verify(basis: moved, radii: radii)
                if again.verdict != .rejected {
                    let iterations = result.iterations + polished.iterations
                    result = polished
                    result.iterations = iterations
                    basis = moved
                    verified = again
                }
            }
        }
        var optimum: (lower: Double, upper: Double)? = nil
        if verified.verdict == .optimal {
            result.certification = enclosureCertification(verified, result: result)
            result.certified = true
            if let lo = verified.objectiveLower, let hi = verified.objectiveUpper { optimum = (lo, hi) }
        } else {
            let why = verified.reason ?? verified.verdict.rawValue
            let (certification, exactOptimum, exactAnswer) = exactCertification(
                basis: basis, result: result, face: face, options: options, deadline: deadline,
                enclosure: verified.verdict == .rejected
                    ? "the floating-point check refuted the basis (\(why))"
                    : "the floating-point enclosure could not decide (\(why))")
            if let exactAnswer {
                // The double answer is not the exact program's optimum (it may be far from it, when
                // the payoffs' decimals differ beyond the doubles): the answer becomes the exact
                // optimum, with its own exact optimal face.
                let iterations = result.iterations
                result = exactAnswer
                result.iterations += iterations
            }
            result.certification = certification
            result.certified = certification.certified
            if let z = exactOptimum { optimum = z.enclosingDoubles }
        }
        // The objective reported is the optimum's value: inside its proven enclosure (a double
        // objective just outside it, by GLPK's rounding, is moved to the nearest end).
        if result.certified, let objective = result.objective, let certification = result.certification,
           let lower = certification.objectiveLower, let upper = certification.objectiveUpper, lower <= upper {
            result.objective = min(max(objective, lower), upper)
        }
        if result.certified, result.isExact, let exact = result.rangesExact, var certification = result.certification {
            certification.rangeBounds = exact.map { LPRangeBound(lower: max(0, $0.minimum.enclosingDoubles.lower),
                                                                 upper: min(1, $0.maximum.enclosingDoubles.upper)) }
            result.certification = certification
        } else if result.certified, result.ranges != nil {
            certifyRanges(&result, program: program, radii: radii, optimum: optimum, options: options)
        }
    }

    /// Rigorous outer bounds on the ranges the optimal-face analysis computed
    /// (``LPCertification/rangeBounds``): for each such σ(a), max and min of σ(a) over the
    /// relaxed face R = {the program's constraints, c''·x ≥ z⁻} (≤ z⁺ when minimising), with
    /// z⁻ ≤ z* ≤ z⁺ the certified optimum, so R contains the exact optimal face; GLPK solves
    /// each, warm-started, and its duals give a bound by weak duality over the box 0 ≤ σ ≤ 1
    /// (``LinearProgram/rigorousUpperBound(objective:rowDuals:radii:box:)``), which holds
    /// whatever their accuracy. Within ``SimplexOptions/faceTimeLimit``.
    /// How far beyond a double range its bound from the analysis's multipliers may lie before
    /// an LP of its own is solved for a tighter one. The multipliers' bound pays t times the
    /// double optimum's dual infeasibility, a few 1e-9 on 64×64 games.
    static let rangeBoundSlack = 1e-8

    private func certifyRanges(_ result: inout EquilibriumLPResult, program: LinearProgram<Double>,
                               radii: LPDataRadii, optimum: (lower: Double, upper: Double)?, options: SimplexOptions) {
        guard let ranges = result.ranges, var certification = result.certification else { return }
        defer { result.certification = certification }
        guard !isMinimumEpsilon else {
            guard result.isUnique != true else { return }
            certification.rangeNote = "the ranges of the minimum-ε selections are not certified (ε is not bounded "
                + "on their optimal face in the form the bound needs)"
            return
        }
        guard let optimum, optimum.lower.isFinite, optimum.upper.isFinite else {
            certification.rangeNote = "no enclosure of the optimum in the program's units to bound the face with"
            return
        }
        let joint = game.jointActionCount
        let side = program.direction == .maximize ? optimum.lower : optimum.upper
        let face = RelaxedFace(program, radii: radii, side: side, joint: joint)
        var relaxed = face.program
        var basis = result.basis.map { LPBasis(rows: $0.rows + [.basic], columns: $0.columns) }
        let deadline = options.faceTimeLimit.map { ContinuousClock.now + $0 }
        var bounds = [LPRangeBound?](repeating: nil, count: joint)
        var missing = 0, outside = 0, solvedHere = 0
        for a in 0..<joint {
            guard let range = ranges[a] else { continue }
            // Upper bounds on σ_a and on −σ_a: from the analysis's own multipliers, or the box
            // (σ_a ≤ its upper bound, −σ_a ≤ 0) where the double range reaches it; an LP over R
            // of its own only where neither is within 1e-9 of the double range.
            let wanted = [range.maximum, -range.minimum]
            var ends: [Double?] = [nil, nil]
            if let collected = result.faceRangeBounds {
                // A joint action the face fixes at 0 had no LP: its bound comes from y* alone.
                if collected.upper[a].isEmpty && range.maximum == 0 { collected.recordFixedAtZero(a) }
                ends = [FaceRangeBounds.bound(collected.upper[a], side: side),
                        FaceRangeBounds.bound(collected.lower[a], side: side)]
            }
            let boxEnds = [face.box[a].upper, -face.box[a].lower]
            for k in 0..<2 where ends[k].map({ $0 > wanted[k] + Self.rangeBoundSlack }) ?? true {
                if boxEnds[k] <= wanted[k] + 1e-9 { ends[k] = min(ends[k] ?? boxEnds[k], boxEnds[k]) }
            }
            for (k, sign) in [1.0, -1.0].enumerated() where ends[k].map({ $0 > wanted[k] + Self.rangeBoundSlack }) ?? true {
                if let deadline, ContinuousClock.now >= deadline { break }
                relaxed.objective[a] = sign
                defer { relaxed.objective[a] = 0 }
                solvedHere += 1
                guard let solution = try? relaxed.solve(options: options, startingBasis: basis),
                      solution.status == .optimal,
                      let bound = relaxed.rigorousUpperBound(objective: [(a, sign)], rowDuals: solution.rowDuals,
                                                             radii: face.radii, box: face.box) else { continue }
                basis = solution.basis ?? basis
                ends[k] = min(ends[k] ?? bound, bound)
            }
            guard let high = ends[0], let negativeLow = ends[1] else { missing += 1; continue }
            let bound = LPRangeBound(lower: max(0, -negativeLow), upper: min(1, high))
            bounds[a] = bound
            if range.minimum < bound.lower - 1e-9 || range.maximum > bound.upper + 1e-9 { outside += 1 }
        }
        certification.relaxedLPs = solvedHere
        certification.rangeBounds = bounds
        var notes: [String] = []
        if missing > 0 { notes.append("\(missing) computed ranges could not be bounded (a relaxed LP failed or the face time limit passed)") }
        if outside > 0 { notes.append("\(outside) double-precision ranges lie outside their rigorous bounds by more than 1e-9") }
        certification.rangeNote = notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// The bounds of a proven enclosure, in the game's units.
    private func enclosureCertification(_ verified: VerifiedBasis, result: EquilibriumLPResult) -> LPCertification {
        let joint = game.jointActionCount
        var error = 0.0
        for a in 0..<joint {
            let s = result.joint[a]
            error = max(error, max(verified.xUpper[a] - s, s - verified.xLower[a]).nextUp)
        }
        let (lower, upper) = objectiveEnclosure(lower: verified.xLower, upper: verified.xUpper)
        return LPCertification(certified: true, method: "floating-point enclosure", objectiveLower: lower,
                               objectiveUpper: upper, jointError: max(0, error),
                               provesUnique: verified.provesUniqueOptimum)
    }

    /// The objective over a box of σ (and t), rounded outward, in the game's units.
    private func objectiveEnclosure(lower: [Double], upper: [Double]) -> (Double?, Double?) {
        let joint = game.jointActionCount
        if case .minimumEpsilon(let perPlayer) = selection {
            let players = game.playerCount
            var lo = 0.0, hi = 0.0
            for p in 0..<(perPlayer ? players : 1) {
                let e = scaling.rowExponents[perPlayer ? p : 0]
                lo = (lo + scalbn(lower[joint + p], e)).nextDown
                hi = (hi + scalbn(upper[joint + p], e)).nextUp
            }
            return lo.isFinite && hi.isFinite ? (lo, hi) : (nil, nil)
        }
        guard let coefficients else { return (nil, nil) }
        let radii = objectiveSourceRadius(roundedPayoffs: hasRoundedPayoffs)
        var lo = 0.0, hi = 0.0
        for a in 0..<joint where !(lower[a] == 0 && upper[a] == 0) {
            let c = coefficients[a], r = radii[a]
            let candidates = [(c - r).nextDown * lower[a], (c - r).nextDown * upper[a],
                              (c + r).nextUp * lower[a], (c + r).nextUp * upper[a]]
            lo = (lo + candidates.min()!.nextDown).nextDown
            hi = (hi + candidates.max()!.nextUp).nextUp
        }
        return lo.isFinite && hi.isFinite ? (lo, hi) : (nil, nil)
    }

    /// How far each double objective coefficient may lie from the exact one (game units).
    private func objectiveSourceRadius(roundedPayoffs: Bool) -> [Double] {
        guard let coefficients else { return [] }
        let u = 0x1p-53
        switch selection {
        case .maximumWelfare where game.customWelfare == nil:
            let joint = game.jointActionCount
            let gamma = RoundingBound.gamma(game.playerCount + 1)
            return (0..<joint).map { a in
                var total = 0.0
                for p in 0..<game.playerCount { total += abs(game.payoffs[p * joint + a]) }
                return (2 * gamma * total * (roundedPayoffs ? 2 : 1)).nextUp
            }
        case .maximumWelfare:
            return coefficients.map { game.exactCustomWelfare != nil ? (u * abs($0)).nextUp : 0 }
        case .linear:
            return coefficients.map { (u * abs($0)).nextUp }
        case .maximumProbability, .minimumEpsilon:
            return Array(repeating: 0, count: coefficients.count)
        }
    }

    /// The exact fallback: the double basis re-solved and checked in rationals, else GLPK's
    /// rational simplex, within the deadline.
    /// Also returns the exact optimum in the program's units, when certified.
    /// Also returns the exact answer when it replaces the double one (GLPK's rational simplex
    /// found a different basis), with the optimal face `face` asks for computed exactly.
    private func exactCertification(basis: LPBasis, result: EquilibriumLPResult, face: FaceRequest?,
                                    options: SimplexOptions, deadline: ContinuousClock.Instant, enclosure: String)
        -> (LPCertification, Rational?, EquilibriumLPResult?)
    {
        let program = rationalProgram()
        func value(_ x: [Rational]) -> Rational {
            var z = Rational.zero
            for (j, c) in program.objective.enumerated() where !c.isZero { z += c * x[j] }
            return z
        }
        if let (x, y) = program.basicSolution(basis, deadline: deadline),
           program.certify(x: x, rowDuals: y).isVerified {
            return (exactBounds(x: x, result: result, method: "exact basis"), value(x), nil)
        }
        guard remaining(deadline) != nil else {
            return (LPCertification(certified: false, method: "exact basis",
                                    reason: enclosure + ", and the exact time limit was reached"), nil, nil)
        }
        let exact = solveExactly(optimalFace: face, options: options, deadline: deadline)
        guard exact.status == .optimal, exact.certified, let sigma = exact.jointExact else {
            return (LPCertification(certified: false, method: "exact simplex",
                                    reason: enclosure + ", and the exact path did not certify an optimum"
                                        + (exact.note.map { " (\($0))" } ?? "")), nil, nil)
        }
        var x = sigma
        if case .minimumEpsilon(let perPlayer) = selection, let eps = exact.epsilonExact {
            x += (0..<(perPlayer ? game.playerCount : 1)).map {
                eps[$0] * LPScaling.rationalPower(-scaling.rowExponents[$0])
            }
        }
        let doubleError = (0..<game.jointActionCount).reduce(0.0) { max($0, abs(result.joint[$1] - exact.joint[$1])) }
        var certification = exactBounds(x: x, result: exact, method: "exact simplex")
        certification.reason = "the double-precision basis is not exactly optimal, and its σ is "
            + "\(String(format: "%.2g", doubleError)) from the exact optimum: the answer is the exact optimum GLPK's "
            + "rational simplex found"
        certification.provesUnique = exact.isUnique == true && exact.rangesExact != nil
        return (certification, x.count == program.columnCount ? value(x) : nil, exact)
    }

    private func exactBounds(x: [Rational], result: EquilibriumLPResult, method: String) -> LPCertification {
        let joint = game.jointActionCount
        var error = 0.0
        for a in 0..<joint {
            error = max(error, (Rational(result.joint[a]) - x[a]).magnitude.enclosingDoubles.upper)
        }
        // The exact optimum's value in the game's units, enclosed by its neighbouring doubles.
        var exactEpsilon = epsilon
        if case .minimumEpsilon(let perPlayer) = selection {
            let t = Array(x.suffix(perPlayer ? game.playerCount : 1))
            exactEpsilon = (0..<game.playerCount).map {
                (perPlayer ? t[$0] : t[0]) * LPScaling.rationalPower(scaling.rowExponents[$0])
            }
        }
        var (lo, hi): (Double?, Double?) = (nil, nil)
        if let z = exactObjectiveValue(sigma: Array(x.prefix(joint)), epsilon: exactEpsilon) {
            let (l, u) = z.enclosingDoubles
            if l.isFinite && u.isFinite { (lo, hi) = (l, u) }
        }
        return LPCertification(certified: true, method: method, objectiveLower: lo, objectiveUpper: hi,
                               jointError: error)
    }
}
