import Foundation
public import EquilibriumSolvers
import NormalFormGames

// The wording of the Table 5 reproduction: each claim of section E of the paper's appendix, the
// facts behind it as sentences, the readings and the verdict. The numbers come from
// `TableFive.analyze(temperatures:)` in EquilibriumSolvers; nothing here solves anything.
/// How a claim of the paper fares when evaluated exactly.
public enum TableFiveVerdict: String, Sendable, Codable, CaseIterable {
    /// The claim is true as stated.
    case holds
    /// The claim is false as stated.
    case fails
    /// The claim is true under some reading of a limit or of the direction of the relative
    /// entropy and false under another; the claim's reading notes say which.
    case dependsOnReading = "depends-on-reading"
}

/// One claim of section E of the paper's appendix about the Table 5 games, with what our
/// exact computation finds.
public struct TableFiveClaim: Sendable, Codable, Equatable {
    /// A short stable identifier, e.g. `a3` (game (a), third claim) or `E2-mass`.
    public var id: String
    /// Which game the claim is about: `a` (CE game), `b` (CCE game) or `both`.
    public var game: String
    /// Where in section E (or the Table 5 caption) the claim is made.
    public var section: String
    /// The claim, quoted or closely paraphrased.
    public var claim: String
    /// What we computed: exact fractions unless a line says it is floating point.
    public var facts: [String]
    public var verdict: TableFiveVerdict
    /// For claims that depend on how T → ∞ or the direction of the relative entropy is read:
    /// each reading and what it gives. Other notes otherwise.
    public var readings: [String]

    public init(id: String, game: String, section: String, claim: String, facts: [String],
                verdict: TableFiveVerdict, readings: [String] = []) {
        self.id = id
        self.game = game
        self.section = section
        self.claim = claim
        self.facts = facts
        self.verdict = verdict
        self.readings = readings
    }
}

extension TableFive {
    /// The claims of section E, each evaluated exactly.
    public static func claims(temperatures: [Double] = defaultTemperatures) throws(TableFiveError) -> [TableFiveClaim] {
        claims(from: try analyze(temperatures: temperatures))
    }

    // MARK: - Formatting

    /// `p/q (≈ d)`, or just the integer.
    static func show(_ q: Rational) -> String {
        q.isInteger ? q.description : "\(q.description) (≈ \(decimal(q.doubleValue)))"
    }

    /// A double with 6 significant digits.
    static func decimal(_ x: Double) -> String {
        if x == 0 { return "0" }
        return String(format: "%.6g", x)
    }

    /// The non-zero entries of an exact joint, e.g. `(1,2): 1/4, (2,1): 1/4, (2,2): 1/2`.
    static func show(joint: [Rational]) -> String {
        (0..<joint.count).filter { !joint[$0].isZero }.map { "\(label($0)): \(joint[$0])" }.joined(separator: ", ")
    }

    static func showUnique(_ o: TableFiveOptimum) -> String {
        switch o.isUnique {
        case true?: return "unique (exact optimal face)"
        case false?:
            let moving = (0..<16).filter { o.ranges![$0].minimum != o.ranges![$0].maximum }
                .map { "\(label($0)) ∈ [\(o.ranges![$0].minimum), \(o.ranges![$0].maximum)]" }
            return "not unique; over the optimal face " + moving.joined(separator: ", ")
        case nil: return "uniqueness not computed"
        }
    }

    /// Gain rows with a positive multiplier, labelled as people read them.
    static func activeRows(_ o: TableFiveOptimum, _ game: NormalFormGame, _ concept: EquilibriumConcept) -> String {
        let rows = game.exactDeviationGains(concept).rows
        let active = o.duals.indices.filter { o.duals[$0].signum > 0 }
        return active.map { "\(rows[$0]) (α = \(o.duals[$0]))" }.joined(separator: ", ")
    }

    static func showPoint(_ p: TableFiveAnalysis.TemperaturePoint, entries: [Int]) -> String {
        let t = p.temperature.isInfinite ? "T = ∞ (μ = ∞ limit)" : "T = \(decimal(p.temperature))"
        let values = entries.map { "σ\(label($0)) ≈ \(decimal(p.joint[$0]))" }.joined(separator: ", ")
        let zeros = p.zeroJointActions > 0 ? ", \(p.zeroJointActions) joint actions fixed at 0 by facial reduction" : ""
        return "\(t): \(values), welfare ≈ \(decimal(p.welfare)) [float, MWMRE \(p.method), \(p.status), KKT "
            + "residual \(String(format: "%.1e", p.kktResidual))\(zeros)]"
    }

    /// The two-line description of the limit derivations, shown with the report.
    public static let derivations: [String] = [
        "Reading A, KL(σ‖σ̂_T) with σ̂_T = softmax(T·W): KL(σ‖σ̂_T) = −H(σ) − T·σ·W + ln Z_T, so the minimiser "
            + "over equilibria maximises σ·W + H(σ)/T (MWMRE with uniform target, μ = T, ρ = ∞, ε̂ = 0). Since "
            + "0 ≤ H ≤ ln 16 its welfare is within ln(16)/T of the maximum W*, and comparing with the max-entropy "
            + "point σ_F of the max-welfare face F gives H(σ_T) ≥ H(σ_F); so σ_T → σ_F: as T → ∞ reading A "
            + "selects the max-welfare equilibrium (max-entropy tie-break), the MWMRE μ = ∞ limit.",
        "Reading B, KL(σ̂_T‖σ) (target first) = const − Σ_a σ̂_T(a) ln σ(a); divided by σ̂_T(a*) it is "
            + "−ln σ(a*) − Σ_{a≠a*} e^{−T(W*−W(a))} ln σ(a). Comparing with (1−η)·argmax σ(a*) + η·(a full-support "
            + "equilibrium) gives σ_T(a*) → m* = max σ(a*) over equilibria; when the face {σ(a*) = m*} is one "
            + "point (both games) σ_T tends to it, otherwise the log-masses of the next-highest-welfare joint "
            + "actions break the tie. The literal target lim σ̂_T = δ_{a*} in this direction gives "
            + "KL(δ_{a*}‖σ) = −ln σ(a*): the same selection.",
        "The literal target δ_{a*} with σ first: KL(σ‖δ_{a*}) = +∞ unless σ = δ_{a*}, and a* is not an "
            + "equilibrium in either game, so every equilibrium ties at +∞ (nothing is selected).",
    ]

    // MARK: - Claims

    /// Builds the claims from computed numbers.
    public static func claims(from x: TableFiveAnalysis) -> [TableFiveClaim] {
        let wording = ClaimWording(x: x)
        return wording.captionAndParagraphOneClaims() + wording.paragraphTwoClaims() + wording.gameABlockClaims()
            + wording.gameAWelfareClaims() + wording.gameBDeviationClaims() + wording.gameBPaperEquilibriumClaims()
    }

    /// The claims' wording, built from the computed numbers `x`; the shared facts about the two
    /// limits (readings A, B and the literal target) are computed once per use from `x`.
    private struct ClaimWording {
        let x: TableFiveAnalysis

        var ce: NormalFormGame { ceGame }
        var cce: NormalFormGame { cceGame }
        var g: [[Rational]] { ceRowPayoffs }
        var h: [[Rational]] { cceRowPayoffs }
        var i44: Int { index(4, 4) }
        var i43: Int { index(4, 3) }
        var i22: Int { index(2, 2) }
        var i21: Int { index(2, 1) }
        var i11: Int { index(1, 1) }
        var wa: [Rational] { ce.rationalWelfare }
        var wb: [Rational] { cce.rationalWelfare }

        // Shared facts about the two limits.
        var limitA_a: TableFiveOptimum { x.ceMaximumWelfare }
        var limitB_a: TableFiveOptimum { x.ceMaximumProbability44 }
        var limitA_b: TableFiveOptimum { x.cceMaximumWelfare }
        var limitB_b: TableFiveOptimum { x.cceMaximumProbability22 }
        var welfareA_a: Rational { x.ceMaximumWelfare.value! }
        var welfareB_a: Rational { welfare(ce, limitB_a.joint) }
        var welfareA_b: Rational { x.cceMaximumWelfare.value! }
        var welfareB_b: Rational { welfare(cce, limitB_b.joint) }
        var readingA: String {
            "Reading A, KL(σ‖σ̂_T), T → ∞ (= max T·σ·W + H(σ); the MWMRE μ = ∞ limit): game (a) → "
                + "\(show(joint: limitA_a.joint)) (σ(4,4) = 0, welfare \(welfareA_a)); game (b) → "
                + "\(show(joint: limitA_b.joint)) (σ(2,2) = 0, welfare \(welfareA_b))."
        }
        var readingB: String {
            "Reading B, KL(σ̂_T‖σ), T → ∞ (= max σ(a*); also the literal limit target δ_{a*} in this "
                + "direction): game (a) → \(show(joint: limitB_a.joint)) (σ(4,4) = \(limitB_a.value!), welfare "
                + "\(show(welfareB_a))); game (b) → \(show(joint: limitB_b.joint)) (σ(2,2) = \(limitB_b.value!), "
                + "welfare \(show(welfareB_b)))."
        }
        var readingC: String {
            "Literal target δ_{a*} with σ first, KL(σ‖δ_{a*}): +∞ for every equilibrium (a* is not one), "
                + "so it selects nothing."
        }
        var supportNote: String {
            let fullSupportA = x.ceHasFullSupportEquilibrium
            let fullSupportB = x.cceHasFullSupportEquilibrium
            return "A full-support equilibrium exists in game (a): \(fullSupportA ? "yes" : "no"); in game (b): "
                + "\(fullSupportB ? "yes" : "no") (max σ(a) > 0 for every joint action a, exact LPs; the average of "
                + "those 16 maximisers is one), so KL(σ̂_T‖σ) is finite somewhere at every finite T."
        }
        var finiteA: [String] { x.ceTemperatures.map { showPoint($0, entries: [i44, i22, i43]) } }
        var finiteB: [String] { x.cceTemperatures.map { showPoint($0, entries: [i11, i22, index(2, 3)]) } }

        /// The Table 5 caption and section E ¶1.
        func captionAndParagraphOneClaims() -> [TableFiveClaim] {
            var claims: [TableFiveClaim] = []
            // Table 5 caption.
            claims.append(TableFiveClaim(
                id: "caption", game: "both", section: "Table 5 caption (just before section E)",
                claim: "\"two games that show that maximum welfare cannot be discovered via a MW [sic: relative-entropy] "
                    + "objective to the distribution given by a softmax of welfare\"",
                facts: [
                    "Max-welfare CE of (a): \(show(joint: limitA_a.joint)), welfare \(welfareA_a), \(showUnique(limitA_a)).",
                    "Max-welfare CCE of (b): \(show(joint: limitA_b.joint)), welfare \(welfareA_b), \(showUnique(limitA_b)).",
                    "Reading B limits have welfare \(show(welfareB_a)) < \(welfareA_a) in (a) and \(show(welfareB_b)) < "
                        + "\(welfareA_b) in (b); reading A limits are the max-welfare equilibria themselves (finite-T "
                        + "values under E2-mass).",
                ],
                verdict: .dependsOnReading,
                readings: [readingA + " Maximum welfare IS discovered in the limit (and approached as T grows; at "
                           + "every finite T the welfare is strictly below the maximum).",
                           readingB + " Maximum welfare is not discovered: the claim holds.", readingC]))

            // E ¶1.
            claims.append(TableFiveClaim(
                id: "E1-target", game: "both", section: "Section E ¶1, sentence 1",
                claim: "\"Any solution can be realised by some relative entropy objective, since if a joint distribution "
                    + "σ(a) is a (C)CE, then the solution with a relative entropy objective to σ̂(a) = σ(a) itself is "
                    + "optimised by σ(a).\"",
                facts: [
                    "Gibbs' inequality: KL(σ‖σ̂) ≥ 0 with equality only at σ = σ̂ (either direction), so a feasible σ̂ is "
                        + "the unique minimiser.",
                ] + x.targetRecovery.map {
                    "MWMRE with target σ̂ = \($0.label) returns it: max |σ − σ̂| ≈ \(String(format: "%.1e", $0.maximumDifference)) "
                        + "[float, KKT residual \(String(format: "%.1e", $0.kktResidual))]."
                },
                verdict: .holds,
                readings: ["The target must be known in advance (it is the answer), which is the paper's next point."]))

            claims.append(TableFiveClaim(
                id: "E1-insufficient", game: "both", section: "Section E ¶1, sentences 4–5",
                claim: "\"it is not straightforward to determine a priori which relative entropy objective(s) will lead "
                    + "to the maximum welfare. This means that relative entropy objectives are insufficient for finding "
                    + "Maximum Welfare solutions.\"",
                facts: [
                    "KL(σ‖softmax(T·W)) = −H(σ) − T·σ·W + ln Z_T: a pure relative-entropy objective that is exactly "
                        + "MWMRE with μ = T; its minimiser tends to the max-welfare equilibrium as T → ∞ (derivation "
                        + "below), in both games.",
                    "With the target first, KL(softmax(T·W)‖σ) tends to max σ(a*) instead: welfare \(show(welfareB_a)) "
                        + "in (a) and \(show(welfareB_b)) in (b), below the maxima \(welfareA_a) and \(welfareA_b).",
                ],
                verdict: .dependsOnReading,
                readings: [readingA + " Relative entropy to softmax(T·W) suffices in the limit (never exactly at "
                           + "finite T): the claim fails.",
                           readingB + " The claim holds for this family of targets."]))
            return claims
        }

        /// Section E ¶2: the mass on the highest-welfare joint action.
        func paragraphTwoClaims() -> [TableFiveClaim] {
            var claims: [TableFiveClaim] = []
            // E ¶2.
            claims.append(TableFiveClaim(
                id: "E2-mass", game: "both", section: "Section E ¶2 (\"For example, consider a welfare …\")",
                claim: "With target σ̂(a) = lim_{T→∞} SoftMax(T·W(a)), \"finding a CE that minimizes relative entropy to "
                    + "σ̂ would place high mass on the highest welfare joint action\".",
                facts: [
                    "Highest-welfare joint action: (4,4) in (a) (W = \(wa[i44])), (2,2) in (b) (W = \(wb[i22])); both "
                        + "are unique maximisers.",
                    "Largest possible mass over equilibria: σ(4,4) ≤ \(show(x.ceMaximumProbability44.value!)) in (a), "
                        + "σ(2,2) ≤ \(show(x.cceMaximumProbability22.value!)) in (b) (exact LPs, certified).",
                    supportNote,
                ] + finiteA.map { "Game (a), reading A, " + $0 } + finiteB.map { "Game (b), reading A, " + $0 },
                verdict: .dependsOnReading,
                readings: [readingA + " The mass on a* tends to 0 in both games: the claim fails.",
                           readingB + " The mass on a* is the largest any equilibrium allows: the claim holds.",
                           readingC]))

            claims.append(TableFiveClaim(
                id: "E2-not-equivalent", game: "both", section: "Section E ¶2, last sentence",
                claim: "Minimising relative entropy to σ̂ = lim SoftMax(T·W) \"is not equivalent to maximizing the linear "
                    + "objective Σ_a σ(a)W(a), for either CCEs or CEs\".",
                facts: [
                    "Game (a) (CE): max welfare \(welfareA_a); the reading-B limit has welfare \(show(welfareB_a)).",
                    "Game (b) (CCE): max welfare \(welfareA_b); the reading-B limit has welfare \(show(welfareB_b)).",
                    "Reading A at finite T is never exactly max welfare (its solution plays every joint action some "
                        + "equilibrium plays), but it converges to it.",
                ],
                verdict: .dependsOnReading,
                readings: [readingA + " Equivalent in the limit: the claim fails (it holds only in the weak sense "
                           + "that no finite T gives the maximum exactly).",
                           readingB + " Not equivalent, for CE (a) and CCE (b): the claim holds.", readingC]))
            return claims
        }

        /// Game (a): the two games of chicken and the recommendations a CE needs.
        func gameABlockClaims() -> [TableFiveClaim] {
            var claims: [TableFiveClaim] = []
            // Game (a), E ¶3.
            let blockFacts = [
                "Block {1,2}: row payoffs (1,1) = \(g[0][0]), (1,2) = \(g[0][1]), (2,1) = \(g[1][0]), (2,2) = \(g[1][1]): "
                    + "T > R > S > P (\(g[0][1]) > \(g[1][1]) > \(g[1][0]) > \(g[0][0])), Chicken; best reply to 1 is 2, "
                    + "to 2 is 1.",
                "Block {3,4}: (3,3) = \(g[2][2]), (3,4) = \(g[2][3]), (4,3) = \(g[3][2]), (4,4) = \(g[3][3]): "
                    + "\(g[2][3]) > \(g[3][3]) > \(g[3][2]) > \(g[2][2]), Chicken; best reply to 3 is 4, to 4 is 3.",
                "Every cross-block joint action gives both players −999 (welfare −1998).",
                "Largest total cross-block mass in any CE: \(show(x.ceMaximumCrossBlockMass.value!)) (exact LP)"
                    + (x.ceMaximumCrossBlockMass.value!.isZero ? ": CEs never mix the two games."
                       : ". The incompatibility is one of payoffs: the CE constraints alone do not force coordination "
                       + "(a deviation across blocks also meets −999), so a CE can miscoordinate about half the time, at a "
                       + "huge cost in welfare."),
            ]
            claims.append(TableFiveClaim(
                id: "a1", game: "a", section: "Section E ¶\"Consider game (a)\", sentence 2",
                claim: "\"This game consists of two games of chicken side-by-side, which are mutually incompatible (i.e. "
                    + "the players must co-ordinate to play the same game of chicken to avoid a very large negative "
                    + "payoff for both).\"",
                facts: blockFacts, verdict: .holds))

            claims.append(TableFiveClaim(
                id: "a2", game: "a", section: "Section E ¶\"Consider game (a)\", sentence 3",
                claim: "\"The softmax relative entropy objective will prefer the action pair (4,4) over all others, as it "
                    + "gives slightly higher payoffs than (2,2).\"",
                facts: [
                    "G(4,4) = \(g[3][3]) vs G(2,2) = \(g[1][1]) per player; W(4,4) = \(wa[i44]) is the unique maximum of W, "
                        + "next W(2,2) = \(wa[i22]).",
                    "The target prefers (4,4) at every T > 0: σ̂_T(4,4)/σ̂_T(2,2) = e^{T/5} and σ̂_T → δ_(4,4).",
                ] + finiteA.map { "Selected CE, reading A, " + $0 },
                verdict: .dependsOnReading,
                readings: ["As a statement about the target softmax(T·W): holds.",
                           readingA + " The selected CE puts vanishing mass on (4,4): fails for the solution.",
                           readingB + " (4,4) gets \(show(limitB_a.value!)), the largest entry of the selected CE: holds."]))

            claims.append(TableFiveClaim(
                id: "a3", game: "a", section: "Section E ¶\"Consider game (a)\", sentence 4",
                claim: "\"a CE that recommends (4,4) must also recommend the action pair (4,3) some of the time in order to "
                    + "disincentivise the row player from deviating from action 4 to action 3.\"",
                facts: [
                    "Row player's CE row 4→3: Σ_b σ(4,b)[G(3,b) − G(4,b)] = 0·σ(4,1) + 0·σ(4,2) − 1·σ(4,3) + (9/10)·σ(4,4) ≤ 0, "
                        + "i.e. σ(4,3) ≥ (9/10)·σ(4,4) in every CE (and σ(3,4) ≥ (9/10)·σ(4,4) for the column player).",
                    "max σ(4,4) over CEs with σ(4,3) = 0: \(x.ceMaximum44Without43.value!) (exact LP).",
                    "min σ(4,3)/σ(4,4) over CEs with σ(4,4) > 0: \(x.ceMinimumRatio43to44) (exact LP, Charnes–Cooper).",
                ],
                verdict: x.ceMaximum44Without43.value!.isZero ? .holds : .fails))

            claims.append(TableFiveClaim(
                id: "a4", game: "a", section: "Section E ¶\"Consider game (a)\", sentence 5",
                claim: "\"a CE that recommends (2,2) must also recommend (2,1) some of the time to disincentivise the row "
                    + "player from deviating from action 2 to action 1.\"",
                facts: [
                    "Row player's CE row 2→1: −2·σ(2,1) + 1·σ(2,2) + 0·σ(2,3) + 0·σ(2,4) ≤ 0, i.e. σ(2,1) ≥ σ(2,2)/2.",
                    "max σ(2,2) over CEs with σ(2,1) = 0: \(x.ceMaximum22Without21.value!) (exact LP).",
                    "min σ(2,1)/σ(2,2) over CEs with σ(2,2) > 0: \(x.ceMinimumRatio21to22) (exact LP).",
                ],
                verdict: x.ceMaximum22Without21.value!.isZero ? .holds : .fails))
            return claims
        }

        /// Game (a): why the CE on {(1,2), (2,1), (2,2)} beats any that plays (4,4).
        func gameAWelfareClaims() -> [TableFiveClaim] {
            var claims: [TableFiveClaim] = []
            let ratioHolds = x.ceMinimumRatio21to22 < x.ceMinimumRatio43to44
            claims.append(TableFiveClaim(
                id: "a5", game: "a", section: "Section E ¶\"Crucially\", sentence 1",
                claim: "\"because (1,1) has a lower payoff for the row player than (3,3), in CEs consisting (2,2) the "
                    + "mediator doesn't have to recommend (2,1) as often as it has to recommend (4,3) to form an "
                    + "effective disincentive.\"",
                facts: [
                    "G(1,1) = \(g[0][0]) < G(3,3) = \(g[2][2]).",
                    "Required ratios (exact minima over CEs): σ(2,1)/σ(2,2) ≥ \(x.ceMinimumRatio21to22) = "
                        + "(G(1,2) − G(2,2))/(G(2,1) − G(1,1)) = 1/2; σ(4,3)/σ(4,4) ≥ \(x.ceMinimumRatio43to44) = "
                        + "(G(3,4) − G(4,4))/(G(4,3) − G(3,3)) = (9/10)/1.",
                    "The cause is as stated: with G(1,1) = −3 (like (3,3)) the first ratio would be 1/1 = 1 > 9/10; the "
                        + "higher G(4,4) = 11/10 alone works the other way (temptation 9/10 < 1).",
                ],
                verdict: ratioHolds ? .holds : .fails))

            let tradeValue = x.ceWelfarePlusThreeFifths44.value!
            let deltaFacts = zip(x.ceDeltas, x.ceMaximumWelfareGivenDelta).map { d, v in
                "max welfare over CEs with σ(4,4) ≥ \(d): " + (v.map { show($0) } ?? "infeasible (Farkas-certified)")
            }
            let onlyChicken = x.ceMaximumWelfarePlaysOnlyChickenSupport
            let a6Holds = onlyChicken && x.ceMaximumWelfare.isUnique == true && tradeValue == welfareA_a
                && x.ceMaximumWelfare.joint[i44].isZero
            claims.append(TableFiveClaim(
                id: "a6", game: "a", section: "Section E ¶\"Crucially\", sentence 2",
                claim: "\"a CE that plays exclusively the joint actions (1,2), (2,1) and (2,2) can achieve higher welfare "
                    + "than any that plays (4,4), despite never playing the welfare maximising joint action.\"",
                facts: [
                    "Max-welfare CE: \(show(joint: x.ceMaximumWelfare.joint)), welfare \(welfareA_a), "
                        + "\(showUnique(x.ceMaximumWelfare)); the same value over CEs supported on {(1,2),(2,1),(2,2)}: "
                        + "\(x.ceMaximumWelfareOnChickenSupport.value!).",
                    "max over CEs of Σσ(a)W(a) + (3/5)·σ(4,4) = \(tradeValue) (exact LP with dual certificate), so every "
                        + "CE has welfare ≤ 1 − (3/5)·σ(4,4): any CE with σ(4,4) = δ > 0 has welfare < 1.",
                    "The bound is tight: (1 − λ)·(max-welfare CE) + λ·(max-σ(4,4) CE), λ = 14δ/5, attains 1 − 3δ/5 for "
                        + "δ ≤ 5/14.",
                ] + deltaFacts + [
                    "So the supremum of welfare over CEs that play (4,4) is 1, approached as σ(4,4) → 0 and not attained; "
                        + "the CE with the most (4,4) (σ(4,4) = \(show(limitB_a.value!))) has welfare \(show(welfareB_a)).",
                ],
                verdict: a6Holds ? .holds : .fails,
                readings: ["\"Higher than any that plays (4,4)\" holds for each such CE (strictly), but not by a uniform "
                           + "margin: CEs with tiny σ(4,4) come arbitrarily close to welfare 1."]))
            return claims
        }

        /// Game (b): the high-welfare joint actions and the deviation to 4.
        func gameBDeviationClaims() -> [TableFiveClaim] {
            var claims: [TableFiveClaim] = []
            // Game (b), E ¶5.
            let sortedWelfare = (0..<16).sorted { wb[$0] > wb[$1] }
            claims.append(TableFiveClaim(
                id: "b1", game: "b", section: "Section E ¶\"Game (b)\", sentence 2–3",
                claim: "\"there are two high welfare joint strategies, (1,1) and (2,2). The latter has higher welfare\".",
                facts: [
                    "W(2,2) = \(wb[i22]), W(1,1) = \(wb[i11]); next highest: "
                        + sortedWelfare.dropFirst(2).prefix(3).map { "W\(label($0)) = \(wb[$0])" }.joined(separator: ", ")
                        + ".",
                ],
                verdict: sortedWelfare[0] == i22 && sortedWelfare[1] == i11 && wb[i22] > wb[i11] ? .holds : .fails))

            var pure22 = [Rational](repeating: .zero, count: 16)
            pure22[i22] = .one
            let row = rowDeviationPayoffs(h, pure22)
            let gainTo4: Rational = row.deviations[3] - row.payoff
            let pureFact: String = "Pure (2,2): row payoff \(row.payoff), deviating to 4 gives \(row.deviations[3]) (gain "
                + "\(gainTo4)); deviating to 1, 2, 3 gives \(row.deviations[0]), \(row.deviations[1]), \(row.deviations[2])."
            let maximumFact: String = "max σ(2,2) over CCEs = \(show(x.cceMaximumProbability22.value!)) (exact LP, "
                + "certified); its dual certificate uses only: "
                + activeRows(x.cceMaximumProbability22, cce, .coarseCorrelated) + "."
            let handFact: String = "By hand: summing both players' deviation-to-4 rows gives 8σ(2,2) − 4[σ(1,3)+σ(3,1)] "
                + "− 2[σ(2,3)+σ(3,2)] + (non-negative terms) ≤ 0, so 8σ(2,2) ≤ 4(1 − σ(2,2)), i.e. σ(2,2) ≤ 1/3: the "
                + "deviation-to-4 constraints alone cap σ(2,2)."
            claims.append(TableFiveClaim(
                id: "b2", game: "b", section: "Section E ¶\"Game (b)\", sentence 3",
                claim: "(2,2) \"if played too much\" makes \"a deviation to strategy 4\" profitable.",
                facts: [pureFact, maximumFact, handFact],
                verdict: .holds,
                readings: ["\"Too much\" is σ(2,2) > 1/3 (not > 0.2, see b6)."]))

            let bUnique = x.cceMaximumProbability22.isUnique == true
            claims.append(TableFiveClaim(
                id: "b3", game: "b", section: "Section E ¶\"Game (b)\", sentence 4",
                claim: "\"In the limit of T, the relative entropy objective selects whichever equilibrium has the highest "
                    + "probability of the max-welfare joint.\"",
                facts: [
                    "Max-σ(2,2) CCE: \(show(joint: limitB_b.joint)), \(showUnique(limitB_b)).",
                    supportNote,
                ] + finiteB.map { "Reading A, " + $0 },
                verdict: .dependsOnReading,
                readings: [readingA + " Selects the max-welfare CCE (1,1), which has σ(2,2) = 0: fails.",
                           readingB + " Selects the max-σ(2,2) CCE" + (bUnique ? " (unique, so well defined): holds."
                                                                     : " face (not unique: lower-order terms decide)."),
                           readingC]))

            let outsideZero = x.cceMaximumOutside14Without3.value!.isZero
            claims.append(TableFiveClaim(
                id: "b4", game: "b", section: "Section E ¶\"Game (b)\", sentence 5",
                claim: "\"To disincentivise the row player's deviation to strategy 4, the column player must either: play "
                    + "only strategies 1 and 4, because the strategies 1 and 4 have the same payoff for the row player, or "
                    + "play strategy 3 sufficiently frequently that the benefit of deviating from strategy 2 to strategy 4 "
                    + "is nullified.\"",
                facts: [
                    "Against column actions 1 and 4 the row's actions 1 and 4 pay the same: G(1,1) = G(4,1) = \(h[0][0]), "
                        + "G(1,4) = G(4,4) = \(h[0][3]).",
                    "Row's deviation-to-4 gain at (a1,b), G(4,b) − G(a1,b), is ≥ 0 everywhere except column 3 "
                        + "((1,3): −6, (2,3): −6, (4,3): 0): only the column playing 3 offsets it.",
                    "Over CCEs where the column never plays 3: max probability that the column plays 2 = "
                        + "\(x.cceMaximumColumn2Without3.value!), max mass outside {1,4}×{1,4} = "
                        + "\(x.cceMaximumOutside14Without3.value!) (exact LPs): such CCEs live on {1,4}×{1,4}.",
                    "Every CCE has q₃ = P(column plays 3) ≥ \(x.cceMinimumRatioColumn3to22)·σ(2,2) (exact minimum ratio, "
                        + "Charnes–Cooper LP); the paper's CCE has ratio 2, the max-σ(2,2) CCE has ratio 1.",
                ],
                verdict: outsideZero ? .holds : .fails,
                readings: ["\"Sufficiently frequently\" made exact: q₃ ≥ \(x.cceMinimumRatioColumn3to22)·σ(2,2). Note the "
                           + "column may play 3 against row action 1 ((1,3)), not only against row 2 as the paper's CCE "
                           + "does — which is what lets σ(2,2) reach 1/3."]))
            return claims
        }

        /// Game (b): the max-welfare CCE and the paper's 0.2 CCE.
        func gameBPaperEquilibriumClaims() -> [TableFiveClaim] {
            var claims: [TableFiveClaim] = []
            let bMaxWelfareIs11 = limitA_b.joint[i11] == .one
            claims.append(TableFiveClaim(
                id: "b5", game: "b", section: "Section E ¶\"The first option\", sentence 1",
                claim: "\"The first option gives rise to the max-welfare CCE, which plays (1,1) with probability 1.\"",
                facts: [
                    "Max-welfare CCE: \(show(joint: limitA_b.joint)), welfare \(welfareA_b), \(showUnique(limitA_b)).",
                    "(1,1) is a pure Nash equilibrium: row payoff 2; deviations give 0, 0, 2.",
                ],
                verdict: bMaxWelfareIs11 && limitA_b.isUnique == true ? .holds : .fails))

            let paper = x.ccePaperJoint
            let paperRow = x.ccePaperRowPayoffs
            let paperIsCCE = x.ccePaperJointIsCCE
            let paperMax = x.cceMaximum22OnPaperSupport
            claims.append(TableFiveClaim(
                id: "b6", game: "b", section: "Section E ¶\"The first option\", sentences 2–3",
                claim: "\"The second gives rise to the CCE that plays (2,2) with the highest possible probability: 0.2. It "
                    + "plays (2,3) and (3,2) with probability 0.4 each.\"",
                facts: [
                    "The paper's σ = \(show(joint: paper)) is a CCE: \(paperIsCCE ? "yes" : "no") (row payoff "
                        + "\(paperRow.payoff), deviations \(paperRow.deviations.map(\.description).joined(separator: ", ")); "
                        + "symmetric for the column).",
                    "Over CCEs supported on {(2,2),(2,3),(3,2)}, max σ(2,2) = \(show(paperMax.value!)), "
                        + "\(showUnique(paperMax)): the paper's σ.",
                    "Over all CCEs, max σ(2,2) = \(show(limitB_b.value!)) > 1/5, attained by \(show(joint: limitB_b.joint)), "
                        + "\(showUnique(limitB_b)).",
                    "Check by hand: at 1/3 (2,2) + 1/3 (1,3) + 1/3 (3,1) the column plays 1, 2, 3 with 1/3 each; the row "
                        + "earns 1 and deviating to 1, 2, 3, 4 earns 2/3, 1, −7/3, 1 (symmetric for the column).",
                ],
                verdict: limitB_b.value! == Rational(1, 5) && limitB_b.joint == paper ? .holds : .fails,
                readings: ["0.2 is the highest σ(2,2) only among CCEs that play nothing but (2,2), (2,3), (3,2); the column "
                           + "can make deviating to 4 unattractive more cheaply by playing 3 against row action 1."]))

            claims.append(TableFiveClaim(
                id: "b7", game: "b", section: "Section E ¶\"The first option\", sentence 4",
                claim: "\"This [the 0.2 CCE] is chosen by the relative entropy objective\".",
                facts: [
                    "Reading B (the reading under which b3 holds) selects \(show(joint: limitB_b.joint)), not the paper's "
                        + "\(show(joint: paper)).",
                    "Reading A selects \(show(joint: limitA_b.joint)) (finite-T values under b3).",
                ],
                verdict: .fails,
                readings: [readingA + " Not the 0.2 CCE.", readingB + " Not the 0.2 CCE either.", readingC]))

            let pay = paperRow.payoff
            let payoff11 = h[0][0]
            claims.append(TableFiveClaim(
                id: "b8", game: "b", section: "Section E ¶\"The first option\", sentence 4",
                claim: "The 0.2 CCE \"gives each player an average payoff of 1.8, which is equal to the payoff for deviating "
                    + "to action 4 in this equilibrium, but lower than the payoff of (1,1).\"",
                facts: [
                    "Paper's CCE: each player's payoff \(show(pay)); deviating to 4 gives \(show(paperRow.deviations[3])); "
                        + "(1,1) pays \(payoff11) each. Deviating to 2 also gives \(show(paperRow.deviations[1])) (tight too).",
                    "For comparison, the true max-σ(2,2) CCE pays each player "
                        + "\(show(rowDeviationPayoffs(h, limitB_b.joint).payoff)).",
                ],
                verdict: pay == Rational(9, 5) && paperRow.deviations[3] == pay && pay < payoff11 ? .holds : .fails))
            return claims
        }
    }
}
