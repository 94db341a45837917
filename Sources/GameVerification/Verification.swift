public import Foundation
public import EquilibriumSolvers
import GameDatasets
public import NormalFormGames
import NumPyFiles

/// Where the reference solutions come from.
public enum ReferenceSource: Sendable, Equatable {
    /// No reference: only the metrics that need none (gains, gaps, the certificate).
    case none
    /// The games archive's own `me_*`/`mw_*` keys when it has them, otherwise none.
    case automatic
    /// A ground-truth archive for the same games.
    case archive(URL)
    /// Solve every game here (MWMRE with the same parameters, or the max-welfare LP), in parallel.
    case solve
}

/// Everything `equilibria verify` is asked.
public struct VerificationConfiguration: Sendable {
    public var games: URL
    public var predictions: URL
    public var reference: ReferenceSource = .automatic
    public var referenceKind: ReferenceKind = .mwmre
    /// `--concept`; otherwise the archive's, or detected from the dual length.
    public var concept: EquilibriumConcept?
    public var predictionKey: PredictionKind?
    /// A preset forces the preset's problem even when an archive records one.
    public var preset: MWMREPreset?
    public var mu: Double?
    public var rho: Double?
    /// The seed of the sampled preset parts (default: the archive's `seed`, else 0).
    public var seed: UInt64?
    /// Normalise games (L2, docs/reference.md §4) that are not already normalised.
    public var normalize = false
    /// Permuted copies (from `equilibria verify permute`) and the predictions on them.
    public var permutedGames: URL?
    public var permutedPredictions: URL?
    public var thresholds: [Threshold] = []
    public var jobs = 1
    /// KKT tolerance of reference solves.
    public var tolerance = 1e-10

    public init(games: URL, predictions: URL) {
        self.games = games
        self.predictions = predictions
    }
}

/// What a report says about its inputs.
public struct VerificationContext: Sendable {
    public var gamesFile: String
    public var predictionsFile: String
    public var gameCount: Int
    public var actionCounts: [Int]
    public var concept: EquilibriumConcept
    public var conceptReason: String
    public var predictionKind: PredictionKind
    /// The payoff units of every payoff-unit metric.
    public var units: String
    public var reference: String
    public var referenceKind: ReferenceKind?
    public var parameters: String
    /// Games whose reference is unusable (failed, infeasible, …), with the status.
    public var referenceProblems: [(row: Int, status: String)]
    public var notes: [String]

    public var shapeLabel: String { actionCounts.map(String.init).joined(separator: "x") }
}

/// How far predictions on permuted copies are from the permuted predictions on the originals.
public struct EquivarianceReport: Sendable {
    public static let metricKeys = ["equivariance_tv", "equivariance_max_abs", "equivariance_duals_max_abs"]

    public var file: String
    public var predictionsFile: String
    /// Per copy: the original's row and the copy number.
    public var sources: [Int]
    public var copies: [Int]
    public var permutations: [GamePermutation]
    /// ½‖σ(π·G) − π·σ(G)‖₁ per copy.
    public var totalVariation: [Double]
    /// max_a |σ(π·G)(a) − (π·σ(G))(a)| per copy.
    public var maximumAbsoluteDifference: [Double]
    /// max_i |α(π·G)_i − (π·α(G))_i| per copy (duals only).
    public var dualsMaximumAbsoluteDifference: [Double]?

    /// Values of an equivariance metric key, per copy.
    public func values(_ key: String) -> [Double]? {
        switch key {
        case "equivariance_tv": return totalVariation
        case "equivariance_max_abs": return maximumAbsoluteDifference
        case "equivariance_duals_max_abs": return dualsMaximumAbsoluteDifference
        default: return nil
        }
    }
}

/// The outcome of a verification: per-game metrics, summaries, thresholds.
public struct VerificationReport: Sendable {
    public var context: VerificationContext
    public var families: [String]
    public var gameIndices: [Int]
    public var metrics: [GameMetrics]
    public var references: [ReferenceSolution]?
    public var table: MetricTable
    public var groups: [GroupSummary]
    public var equivariance: EquivarianceReport?
    public var thresholds: [ThresholdOutcome]

    public var passed: Bool { thresholds.allSatisfy(\.passed) }
}

/// Runs a verification end to end.
public enum Verification {
    /// Reads the inputs, obtains the references, evaluates every game on `configuration.jobs`
    /// threads, and checks the thresholds.
    ///
    /// - Parameter progress: called with (stage, done, total) as games are solved or evaluated.
    /// - Throws: ``VerificationError`` on bad inputs or options (one line).
    public static func run(_ configuration: VerificationConfiguration,
                           progress: (@Sendable (String, Int, Int) -> Void)? = nil)
        throws(VerificationError) -> VerificationReport
    {
        let (games, gameArrays) = try VerificationInputs.games(configuration.games, normalize: configuration.normalize)
        let predictions = try VerificationInputs.predictions(
            configuration.predictions, key: configuration.predictionKey, games: games, concept: configuration.concept)
        let concept = predictions.concept
        var notes: [String] = []

        let referenceArchive = try readReferenceArchive(configuration, games: games, gameArrays: gameArrays)
        let resolution = try parameterResolution(configuration, games: games, gameArrays: gameArrays,
                                                 referenceArchive: referenceArchive, concept: concept)
        try checkResolution(resolution, predictions: predictions, notes: &notes)
        let (references, referenceDescription) = try obtainReferences(
            configuration, games: games, resolution: resolution, concept: concept, referenceArchive: referenceArchive,
            progress: progress, notes: &notes)
        let referenceProblems = notedReferenceProblems(references, notes: &notes)
        let metrics = try evaluate(configuration, games: games, predictions: predictions,
                                   parameters: resolution.parameters, references: references, progress: progress,
                                   notes: &notes)

        // Equivariance.
        var equivariance: EquivarianceReport?
        switch (configuration.permutedGames, configuration.permutedPredictions) {
        case (let g?, let p?):
            equivariance = try Self.equivariance(gamesURL: g, predictionsURL: p, original: games, predictions: predictions,
                                                 metrics: metrics, parameters: resolution.parameters,
                                                 normalize: configuration.normalize, jobs: configuration.jobs)
        case (nil, nil):
            break
        default:
            throw VerificationError("equivariance needs both the permuted games and the predictions on them "
                                    + "(permuted copies and the predictions on them)")
        }

        let table = MetricTable(metrics: metrics, players: games.actionCounts.count, hasDuals: predictions.kind == .duals,
                                hasReference: references != nil)
        let groups = GroupSummary.groups(table: table, families: games.families, shape: games.shapeLabel,
                                         gameIndices: games.gameIndices)
        let context = VerificationContext(
            gamesFile: games.file, predictionsFile: predictions.file, gameCount: games.count,
            actionCounts: games.actionCounts, concept: concept, conceptReason: predictions.conceptReason,
            predictionKind: predictions.kind, units: games.units, reference: referenceDescription,
            referenceKind: references == nil ? nil : configuration.referenceKind, parameters: resolution.source,
            referenceProblems: referenceProblems, notes: notes)
        let thresholds = try check(configuration.thresholds, table: table, equivariance: equivariance,
                                   gameIndices: games.gameIndices, hasReference: references != nil)
        return VerificationReport(
            context: context, families: games.families, gameIndices: games.gameIndices, metrics: metrics,
            references: references, table: table, groups: groups, equivariance: equivariance, thresholds: thresholds)
    }

    /// An archive read for references (and possibly the MWMRE problems), with its path.
    private typealias Archive = (arrays: [String: NumPyArray], file: String)

    /// The reference archive, if any: the one given, or the games' archive when it holds the
    /// references of the kind asked for. Read once: it may also hold the parameters.
    private static func readReferenceArchive(_ configuration: VerificationConfiguration, games: GameSet,
                                         gameArrays: [String: NumPyArray]) throws(VerificationError) -> Archive? {
        switch configuration.reference {
        case .archive(let url):
            return (try VerificationInputs.readArchive(url), url.path)
        case .automatic:
            let key = configuration.referenceKind == .mwmre ? "me_joint" : "mw_joint"
            return gameArrays[key] != nil ? (gameArrays, games.file) : nil
        case .none, .solve:
            return nil
        }
    }

    /// The text naming the μ and ρ given on the command line, e.g. `; overridden: μ = 2`.
    private static func overrideNote(_ configuration: VerificationConfiguration) -> String {
        "; overridden: " + [configuration.mu.map { "μ = \($0)" }, configuration.rho.map { "ρ = \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
    }

    /// The MWMRE problem of every game: the problems recorded in the games' (or the reference)
    /// archive unless a preset is given, with μ and ρ overridden as configured; otherwise the
    /// preset's problem, sampled as `batch` does.
    private static func parameterResolution(_ configuration: VerificationConfiguration, games: GameSet,
                                            gameArrays: [String: NumPyArray], referenceArchive: Archive?,
                                            concept: EquilibriumConcept) throws(VerificationError) -> ParameterResolution {
        var recorded: Archive?
        if configuration.preset == nil {
            if MWMREProblemCodec.recordsProblems(gameArrays) {
                recorded = (gameArrays, games.file)
            } else if let referenceArchive, MWMREProblemCodec.recordsProblems(referenceArchive.arrays) {
                recorded = referenceArchive
            }
        }
        if let recorded {
            return try recordedParameters(recorded, configuration, games: games, concept: concept)
        }
        return try presetParameters(configuration, games: games, concept: concept)
    }

    private static func recordedParameters(_ recorded: Archive, _ configuration: VerificationConfiguration,
                                           games: GameSet, concept: EquilibriumConcept)
        throws(VerificationError) -> ParameterResolution
    {
        if configuration.seed != nil {
            throw VerificationError("seed: \(recorded.file) records each game's MWMRE problem, so a seed has no effect; "
                                    + "give a preset to verify against a preset's problem with this seed")
        }
        var resolution: ParameterResolution
        do {
            resolution = ParameterResolution(
                parameters: try MWMREProblemCodec.parameters(from: recorded.arrays, games: games.count,
                                                             actionCounts: games.actionCounts, concept: concept,
                                                             file: recorded.file),
                source: "recorded in \(recorded.file) (\(MWMREProblemCodec.keys.joined(separator: ", ")))")
        } catch {
            throw VerificationError("\(error)")
        }
        if configuration.mu != nil || configuration.rho != nil {
            let units: MWMREProblem.Units = games.isNormalized ? .normalized : .raw
            resolution.parameters = resolution.parameters.enumerated().map { k, p in
                guard var p else { return nil }
                if let mu = configuration.mu { p.mu = mu }
                if let rho = configuration.rho { p.rho = rho }
                if p.mu != 0 && p.welfare == nil {
                    p.welfare = MWMREProblem.utilitarianWelfare(of: games.games[k], units: units)
                }
                return p
            }
            resolution.source += overrideNote(configuration)
        }
        return resolution
    }

    private static func presetParameters(_ configuration: VerificationConfiguration, games: GameSet,
                                         concept: EquilibriumConcept) throws(VerificationError) -> ParameterResolution {
        let seed = configuration.seed ?? games.seed ?? 0
        let preset = configuration.preset ?? .maximumEntropy
        let problem = MWMREProblem(concept: concept, preset: preset, units: games.isNormalized ? .normalized : .raw,
                                   mu: configuration.mu, rho: configuration.rho, seed: seed,
                                   samplesMissingWelfare: true)
        var parameters: [MWMREParameters?] = []
        parameters.reserveCapacity(games.count)
        for (k, game) in games.games.enumerated() {
            do {
                let source = MWMREProblem.Source(game: game, gameIndex: games.gameIndices[k], isNormalized: games.isNormalized)
                parameters.append(try problem.instance(of: source).parameters)
            } catch {
                throw VerificationError("preset \(preset.rawValue), game \(k): \(error)")
            }
        }
        return ParameterResolution(
            parameters: parameters,
            source: "preset \(preset.rawValue) (docs/mathematics.md, \"Presets\"), sampled parts seeded by \(seed) and "
                + "game_index as `batch` does"
                + (games.isNormalized ? "" : "; raw payoffs: ε⁺ = the payoff range, as in raw units everywhere")
                + (configuration.mu != nil || configuration.rho != nil ? overrideNote(configuration) : ""))
    }

    /// Notes games without a problem, and refuses duals that cannot be recovered.
    private static func checkResolution(_ resolution: ParameterResolution, predictions: PredictionSet,
                                        notes: inout [String]) throws(VerificationError) {
        let missing = resolution.parameters.filter { $0 == nil }.count
        if missing > 0 { notes.append("\(missing) games have no recorded MWMRE problem (failed entries): their ε̂ metrics are undefined") }
        if predictions.kind == .duals, missing > 0 {
            let row = resolution.parameters.firstIndex { $0 == nil }!
            throw VerificationError("game \(row) has no MWMRE problem to recover its duals with (its archive entry failed); "
                                    + "give a preset to use a preset's problem")
        }
        if predictions.kind == .duals, let p = resolution.parameters.first ?? nil, p.mu.isInfinite {
            throw VerificationError("duals cannot be recovered at μ = ∞; verify the joints instead")
        }
    }

    /// The references (solved here, or read from the reference archive) and their description.
    private static func obtainReferences(_ configuration: VerificationConfiguration, games: GameSet,
                                   resolution: ParameterResolution, concept: EquilibriumConcept,
                                   referenceArchive: Archive?, progress: (@Sendable (String, Int, Int) -> Void)?,
                                   notes: inout [String])
        throws(VerificationError) -> (references: [ReferenceSolution]?, description: String)
    {
        switch configuration.reference {
        case .solve:
            let total = games.count
            let references = VerificationInputs.solveReferences(
                games: games, parameters: resolution.parameters, kind: configuration.referenceKind, concept: concept,
                jobs: configuration.jobs, tolerance: configuration.tolerance,
                progress: progress.map { report in { @Sendable done in report("solving references", done, total) } })
            let description = configuration.referenceKind == .mwmre
                ? "solved here: ε̂-MWMRE \(concept.rawValue.uppercased()) (Newton, KKT ≤ \(configuration.tolerance)) with the problems below"
                : "solved here: max-welfare \(concept.rawValue.uppercased()) LP (GLPK, double precision)"
            return (references, description)
        default:
            guard let (referenceArrays, referenceFile) = referenceArchive else { return (nil, "none") }
            let references = try VerificationInputs.references(
                from: referenceArrays, file: referenceFile, kind: configuration.referenceKind, games: games,
                concept: concept)
            let preset = referenceArrays["me_preset"]?.strings?.first
            let description = "\(referenceFile) (\(configuration.referenceKind == .mwmre ? "me_joint, me_epsilon, me_dual_objective" : "mw_joint")"
                + (configuration.referenceKind == .mwmre && preset != nil ? ", preset \(preset!)" : "") + ")"
                + certificationStatement(referenceArrays, kind: configuration.referenceKind)
            if configuration.referenceKind == .mwmre, MWMREProblemCodec.recordsProblems(referenceArrays),
               !resolution.source.hasPrefix("recorded in") || configuration.mu != nil || configuration.rho != nil {
                notes.append("the predictions are recovered with a problem other than the one the reference solved "
                             + "(\(resolution.source)); KL, ε and dual comparisons mix two problems")
            }
            return (references, description)
        }
    }

    /// Which references are certified, as the archive records it: max-welfare references carry
    /// `mw_certified`, and MWMRE references `me_kl_bound`, when the batch ran with `--certify`.
    static func certificationStatement(_ arrays: [String: NumPyArray], kind: ReferenceKind) -> String {
        if kind == .mwmre {
            guard let bounds = arrays["me_kl_bound"]?.doubles else {
                return "; no rigorous KL bound (no me_kl_bound: the batch ran without --certify)"
            }
            let finite = bounds.filter(\.isFinite)
            guard let largest = finite.max() else { return "; no rigorous KL bound for any of \(bounds.count) (me_kl_note)" }
            return "; rigorous KL bound for \(finite.count) of \(bounds.count), at most \(largest) (me_kl_bound)"
        }
        guard let flags = arrays["mw_certified"]?.bools else {
            return "; not certified (no mw_certified: the batch ran without --certify)"
        }
        let certified = flags.filter { $0 }.count
        return "; certified: \(certified) of \(flags.count) (mw_certified)"
    }

    /// The games whose reference is not an optimal solution, noted.
    private static func notedReferenceProblems(_ references: [ReferenceSolution]?, notes: inout [String])
        -> [(row: Int, status: String)]
    {
        var referenceProblems: [(row: Int, status: String)] = []
        guard let references else { return referenceProblems }
        for (k, r) in references.enumerated() where !r.isUsable || r.status != "optimal" {
            referenceProblems.append((k, r.status))
        }
        if !referenceProblems.isEmpty {
            notes.append("\(referenceProblems.count) games have a reference that is not optimal "
                         + "(\(Set(referenceProblems.map(\.status)).sorted().joined(separator: ", ")))")
        }
        return referenceProblems
    }

    /// The metrics of every game, on `configuration.jobs` threads; the first failure is thrown.
    private static func evaluate(_ configuration: VerificationConfiguration, games: GameSet,
                                 predictions: PredictionSet, parameters: [MWMREParameters?],
                                 references: [ReferenceSolution]?, progress: (@Sendable (String, Int, Int) -> Void)?,
                                 notes: inout [String]) throws(VerificationError) -> [GameMetrics] {
        let total = games.count
        let concept = predictions.concept
        let outcomes = ParallelMap.map(
            count: total, jobs: configuration.jobs,
            progress: progress.map { report in { @Sendable done in report("evaluating", done, total) } }
        ) { k -> Result<GameMetrics, VerificationError> in
            do throws(VerificationError) {
                return .success(try MetricEvaluator.evaluate(
                    game: games.games[k], concept: concept, prediction: predictions.prediction(k), parameters: parameters[k],
                    reference: references?[k]))
            } catch {
                return .failure(VerificationError("\(predictions.file): game \(k): \(error.message)"))
            }
        }
        var metrics: [GameMetrics] = []
        metrics.reserveCapacity(total)
        for outcome in outcomes {
            switch outcome {
            case .success(let m): metrics.append(m)
            case .failure(let e): throw e
            }
        }
        if predictions.kind == .duals {
            let uncertified = metrics.filter { $0.certifiedGap == nil }.count
            if uncertified > 0 {
                notes.append("\(uncertified) games have no certificate (σ(α) needs ε ≥ ε⁺, or is infeasible at ρ = ∞)")
            }
        }
        return metrics
    }

    /// Checks thresholds against the table (and the equivariance copies).
    package static func check(_ thresholds: [Threshold], table: MetricTable, equivariance: EquivarianceReport?,
                             gameIndices: [Int], hasReference: Bool) throws(VerificationError) -> [ThresholdOutcome] {
        var outcomes: [ThresholdOutcome] = []
        for threshold in thresholds {
            if EquivarianceReport.metricKeys.contains(threshold.metric) {
                guard let equivariance else {
                    throw VerificationError("threshold on \(threshold.metric) needs permuted copies and the predictions on them")
                }
                guard let values = equivariance.values(threshold.metric) else {
                    throw VerificationError("threshold on \(threshold.metric) needs dual predictions")
                }
                outcomes.append(ThresholdOutcome(threshold: threshold, values: values,
                                                 defined: Array(repeating: true, count: values.count),
                                                 gameIndices: equivariance.sources.map { gameIndices[$0] }))
                continue
            }
            guard MetricCatalog.definition(threshold.metric) != nil else {
                throw VerificationError("unknown metric '\(threshold.metric)' in a threshold; metrics: "
                                        + (MetricCatalog.all.map(\.key) + EquivarianceReport.metricKeys).joined(separator: ", "))
            }
            guard let column = table.column(threshold.metric) else {
                let reason = table.absent.first { $0.key == threshold.metric }?.reason ?? "undefined for every game"
                throw VerificationError("threshold on \(threshold.metric) cannot be checked: it \(reason)")
            }
            outcomes.append(ThresholdOutcome(threshold: threshold, values: column.summaryValues, defined: column.defined,
                                             gameIndices: gameIndices))
        }
        return outcomes
    }

    /// Measures equivariance on permuted copies.
    static func equivariance(gamesURL: URL, predictionsURL: URL, original: GameSet, predictions: PredictionSet,
                             metrics: [GameMetrics], parameters: [MWMREParameters?], normalize: Bool, jobs: Int)
        throws(VerificationError) -> EquivarianceReport
    {
        let (copies, arrays) = try VerificationInputs.games(gamesURL, normalize: normalize)
        guard copies.actionCounts == original.actionCounts else {
            throw VerificationError("\(gamesURL.path) holds games of shape \(copies.shapeLabel); \(original.file) has "
                                    + original.shapeLabel)
        }
        let recorded = try PermutedCopies.recorded(in: arrays, actionCounts: original.actionCounts, file: gamesURL.path)
        guard recorded.count == copies.count else {
            throw VerificationError("\(gamesURL.path) records \(recorded.count) permutations for \(copies.count) games")
        }
        let counts = original.actionCounts
        for (j, r) in recorded.enumerated() {
            guard (0..<original.count).contains(r.source) else {
                throw VerificationError("\(gamesURL.path): copy \(j) names game \(r.source); \(original.file) has \(original.count)")
            }
            let expected = r.permutation.permuting(original.games[r.source]).payoffs
            let scale = max(1, expected.reduce(0) { max($0, abs($1)) })
            let difference = Numerics.maximumDifference(expected, copies.games[j].payoffs)
            guard difference <= 1e-9 * scale else {
                throw VerificationError("\(gamesURL.path): copy \(j) is not game \(r.source) of \(original.file) permuted as "
                                        + "recorded (largest payoff difference \(difference))")
            }
        }
        let copyPredictions = try VerificationInputs.predictions(predictionsURL, key: predictions.kind, games: copies,
                                                                 concept: predictions.concept)
        guard copyPredictions.kind == predictions.kind else {
            throw VerificationError("\(predictionsURL.path) holds \(copyPredictions.kind.rawValue); the originals' predictions are "
                                    + predictions.kind.rawValue)
        }
        let concept = predictions.concept
        let outcomes = ParallelMap.map(count: copies.count, jobs: jobs) { j -> Result<(Double, Double, Double?), VerificationError> in
            let r = recorded[j]
            let expectedJoint = r.permutation.permutingJoint(metrics[r.source].joint, actionCounts: counts)
            var joint: [Double]
            var dualDifference: Double?
            switch copyPredictions.prediction(j) {
            case .joint(let sigma):
                joint = sigma
            case .duals(let alpha):
                guard let p = parameters[r.source] else {
                    return .failure(VerificationError("copy \(j): game \(r.source) has no MWMRE problem"))
                }
                var permuted = r.permutation.permuting(p, actionCounts: counts)
                permuted.concept = concept
                do throws(VerificationError) {
                    joint = try DualRecovery.recover(duals: alpha, game: copies.games[j], parameters: permuted).joint
                } catch {
                    return .failure(VerificationError("\(predictionsURL.path): copy \(j): \(error.message)"))
                }
                let expectedDuals = r.permutation.permutingDuals(predictions.values[r.source], concept: concept,
                                                                 actionCounts: counts)
                dualDifference = Numerics.maximumDifference(alpha, expectedDuals)
            }
            return .success((Numerics.totalVariation(joint, expectedJoint), Numerics.maximumDifference(joint, expectedJoint),
                             dualDifference))
        }
        var tv: [Double] = [], maxAbs: [Double] = [], duals: [Double] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let (a, b, c)):
                tv.append(a)
                maxAbs.append(b)
                if let c { duals.append(c) }
            case .failure(let e):
                throw e
            }
        }
        return EquivarianceReport(
            file: gamesURL.path, predictionsFile: predictionsURL.path, sources: recorded.map(\.source),
            copies: recorded.map(\.copy), permutations: recorded.map(\.permutation), totalVariation: tv,
            maximumAbsoluteDifference: maxAbs, dualsMaximumAbsoluteDifference: predictions.kind == .duals ? duals : nil)
    }
}
