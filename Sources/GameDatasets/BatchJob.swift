public import Foundation
import Synchronization
import EquilibriumSolvers
import GameGenerators
import LinearProgramming
import NormalFormGames
import NumPyFiles

/// What a batch computes. Saved as `batch.json` in the output directory; a rerun must ask for
/// the same thing (shards aside), so that resumed and merged archives are consistent.
public struct BatchRequest: Codable, Sendable, Equatable {
    public var family: String
    public var actionCounts: [Int]
    public var count: Int
    public var seed: UInt64
    /// "ce" or "cce".
    public var concept: String
    /// Any of "max-welfare" and "mwmre", in output order.
    public var objectives: [String]
    /// The MWMRE preset (Table 3) when "mwmre" is asked for.
    public var preset: String
    /// Overrides of the preset's μ and ρ (`"inf"` allowed), as text.
    public var mu: String?
    public var rho: String?
    public var chunkSize: Int
    /// Certify every max-welfare record rigorously (``EquilibriumSolvers/LPCertification``);
    /// `nil` (absent from `batch.json`) means no, so requests written before the option read
    /// back unchanged.
    public var certify: Bool?

    /// The largest `count`: 2^53, so that every game index, chunk index and count (kept in
    /// `batch.json`, and in doubles for the progress rate) is exact. Memory does not grow with
    /// the count: chunks are generated, solved and written one after another.
    public static let maximumCount = 1 << 53

    /// The most payoff entries (games × N × |A|) one chunk may hold; its games, their solutions
    /// and duals are in memory together until the chunk is written. The limit of one game's
    /// payoffs (``NormalFormGames/NormalFormGame/maximumPayoffEntries``, 1 GiB of doubles).
    public static let maximumChunkPayoffEntries = NormalFormGame.maximumPayoffEntries

    public init(family: String, actionCounts: [Int], count: Int, seed: UInt64, concept: String, objectives: [String],
                preset: String, mu: String? = nil, rho: String? = nil, chunkSize: Int = 1000, certify: Bool = false) {
        self.family = family
        self.actionCounts = actionCounts
        self.count = count
        self.seed = seed
        self.concept = concept
        self.objectives = objectives
        self.preset = preset
        self.mu = mu
        self.rho = rho
        self.chunkSize = chunkSize
        self.certify = certify ? true : nil
    }

    /// Whether the max-welfare records carry certificates.
    public var certifies: Bool { certify == true }

    /// The version of the chunk layout; part of ``canonicalText``, so that chunks written by an
    /// older layout are never taken for this one's.
    public static let layoutVersion = 2

    /// The request as canonical text: JSON with sorted keys and no spaces, plus the layout
    /// version. Every option that affects the bytes of a chunk is in it (shards, jobs and the
    /// output directory are not), so two runs write the same bytes exactly when their texts are
    /// equal. Stamped into every chunk as `request`.
    public var canonicalText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        let json = String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        return "{\"layout\":\(Self.layoutVersion),\"request\":\(json)}"
    }

    /// A short fingerprint of ``canonicalText`` for messages (64-bit FNV-1a, hexadecimal).
    public var fingerprint: String { Self.fingerprint(of: canonicalText) }

    static func fingerprint(of text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The number of chunks (written so that no count overflows: `count + chunkSize - 1` may).
    public var chunkCount: Int { count / chunkSize + (count % chunkSize == 0 ? 0 : 1) }

    /// Game indices of chunk `c`.
    public func indices(ofChunk c: Int) -> Range<Int> {
        let lower = c * chunkSize
        return lower..<(lower + min(chunkSize, count - lower))
    }

    /// The chunks shard `index` of `shards` owns: chunk c goes to shard c mod `shards`. A lazy
    /// sequence, so that memory does not grow with the number of chunks.
    public func chunks(shard index: Int, of shards: Int) -> StrideTo<Int> {
        stride(from: index, to: chunkCount, by: shards)
    }

    /// How many chunks shard `index` of `shards` owns (without listing them).
    public func chunkCount(shard index: Int, of shards: Int) -> Int {
        index < chunkCount ? (chunkCount - 1 - index) / shards + 1 : 0
    }

    /// How many games shard `index` of `shards` solves: full chunks, except that the last chunk
    /// of the batch may be short.
    public func gameCount(shard index: Int, of shards: Int) -> Int {
        let owned = chunkCount(shard: index, of: shards)
        guard owned > 0 else { return 0 }
        let last = chunkCount - 1
        let shortfall = last % shards == index ? chunkSize - indices(ofChunk: last).count : 0
        return (owned - 1) * chunkSize + (chunkSize - shortfall)
    }

    public static func chunkFileName(_ c: Int) -> String {
        let digits = String(c)
        return "chunk-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".npz"
    }

    var distribution: GameDistribution? { GameDistribution(name: family) }
    var equilibriumConcept: EquilibriumConcept { concept == "cce" ? .coarseCorrelated : .correlated }

    /// Checks everything that can be checked before any work starts.
    public func validate() throws(BatchError) {
        guard let distribution else { throw BatchError("unknown family '\(family)'") }
        do {
            try GenerationRequest(distribution: distribution, actionCounts: actionCounts, seed: seed).validate()
        } catch {
            throw BatchError(error.description)
        }
        guard count >= 1 else { throw BatchError("the count must be at least 1") }
        guard count <= BatchRequest.maximumCount else {
            throw BatchError("a count of \(count) is more than a batch can index (at most \(BatchRequest.maximumCount) = 2^53 games)")
        }
        guard chunkSize >= 1 else { throw BatchError("the chunk size must be at least 1") }
        // A chunk's games are all in memory before it is written: bound them as `generate` bounds
        // its output (the action counts were checked above, so the product cannot overflow).
        let entries = actionCounts.count * actionCounts.reduce(1, *)
        let games = min(chunkSize, count)
        let (chunkEntries, overflow) = games.multipliedReportingOverflow(by: entries)
        guard !overflow, chunkEntries <= BatchRequest.maximumChunkPayoffEntries else {
            throw BatchError("a chunk size of \(chunkSize): a chunk of \(games) games of \(entries) payoffs each is more than the "
                             + "\(BatchRequest.maximumChunkPayoffEntries) payoff entries a chunk may hold in memory; "
                             + "use at most \(max(1, BatchRequest.maximumChunkPayoffEntries / entries)) games per chunk")
        }
        guard concept == "ce" || concept == "cce" else { throw BatchError("the concept must be ce or cce") }
        guard !objectives.isEmpty else { throw BatchError("give at least one objective") }
        for o in objectives where o != "max-welfare" && o != "mwmre" {
            throw BatchError("unknown objective '\(o)' (max-welfare or mwmre)")
        }
        guard let mwmrePreset = MWMREPreset(rawValue: preset) else { throw BatchError("unknown preset '\(preset)'") }
        if mwmrePreset == .minimumDistanceToTarget && objectives.contains("mwmre") {
            throw BatchError("preset MT needs a given target per game, which a batch has no way to take; "
                             + "use MRE (a sampled target per game), or solve each game alone with preset MT and its target")
        }
        for (name, value) in [("mu", mu), ("rho", rho)] {
            if let value, BatchRequest.number(value) == nil { throw BatchError("--\(name): '\(value)' is not a number or inf") }
        }
    }

    /// The MWMRE problem of this batch: the preset on the generated (L2-normalised) games, the
    /// request's μ and ρ, the sampled parts seeded per game, and a sampled welfare for MWME and
    /// eps-MWME (one standard normal per joint action, normalised like a payoff table).
    public var mwmreProblem: MWMREProblem {
        MWMREProblem(concept: equilibriumConcept, preset: MWMREPreset(rawValue: preset) ?? .maximumEntropy,
                     units: .normalized, mu: mu.flatMap(BatchRequest.number), rho: rho.flatMap(BatchRequest.number),
                     seed: seed, samplesMissingWelfare: true)
    }

    /// The fields in which two requests differ, as `name a ≠ b`, for messages.
    static func differences(_ a: BatchRequest, _ b: BatchRequest) -> String {
        var found: [String] = []
        func compare<T: Equatable>(_ name: String, _ x: T, _ y: T) {
            if x != y { found.append("\(name) \(x) ≠ \(y)") }
        }
        compare("family", a.family, b.family)
        compare("actions", a.actionCounts, b.actionCounts)
        compare("count", a.count, b.count)
        compare("seed", a.seed, b.seed)
        compare("concept", a.concept, b.concept)
        compare("objectives", a.objectives, b.objectives)
        compare("preset", a.preset, b.preset)
        compare("mu", a.mu ?? "default", b.mu ?? "default")
        compare("rho", a.rho ?? "default", b.rho ?? "default")
        compare("chunk size", a.chunkSize, b.chunkSize)
        return found.isEmpty ? "the same options" : found.joined(separator: ", ")
    }

    static func number(_ text: String) -> Double? {
        let t = text.lowercased()
        if t == "inf" || t == "infinity" { return .infinity }
        guard let v = Double(t), v.isFinite else { return nil }
        return v
    }
}

/// A batch failure that stops the run (bad request, unwritable directory, …), one line.
public struct BatchError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The outcome of one game: every array row the archive holds, and a status per objective.
struct GameRecord: Sendable {
    var payoffs: [Double] = []
    var welfare: [Double] = []
    var scales: [Double] = []
    var redraws = 0
    var generationFailed: String?
    // Max-welfare LP.
    var mwStatus = "not-run"
    var mwMessage = ""
    var mwJoint: [Double] = []
    var mwObjective = 0.0
    var mwDuals: [Double] = []
    var mwViolation = 0.0
    var mwCertified = false
    var mwCertificate = ""
    var mwObjectiveBounds = [0.0, 0.0]
    var mwJointError = 0.0
    // MWMRE.
    var meStatus = "not-run"
    var meMessage = ""
    /// The problem solved (``MWMREProblemCodec``); `nil` when the game could not be generated.
    var meParameters: MWMREParameters?
    var meJoint: [Double] = []
    var meEpsilon: [Double] = []
    var meDuals: [Double] = []
    var meDualObjective = 0.0
    var mePrimalObjective = 0.0
    var meGap = 0.0
    var meGapCertified = false
    var meKKT = 0.0
    var meIterations = 0
    var meDualsAttained = false
    /// With `certify`: the rigorous KL bound and σ's distance from σ(α) (+∞, the trivial bound,
    /// when none), and why not.
    var meKLBound = Double.infinity
    var meKLJointError = Double.infinity
    var meKLNote = ""
}

/// Runs a batch: generate, normalise (L2, docs/reference.md §4), solve, and write `.npz` chunks.
public struct BatchJob: Sendable {
    public let request: BatchRequest
    public let directory: URL

    public init(request: BatchRequest, directory: URL) {
        self.request = request
        self.directory = directory
    }

    /// Number of gain rows (length of a dual vector).
    var dualLength: Int {
        DeviationGains<Double>.rowCount(concept: request.equilibriumConcept, actionCounts: request.actionCounts)
    }

    /// The MWMRE parameters game `index` is solved with (``BatchRequest/mwmreProblem``).
    func mwmreParameters(game: NormalFormGame, index: Int) throws(MWMREError) -> MWMREParameters {
        try request.mwmreProblem.instance(of: .init(game: game, gameIndex: index, isNormalized: true)).parameters
    }

    /// Refuses, before any work, MWMRE parameters outside their usable range (checked on the
    /// first game of the request; the ranges are relative to the game's scale, which the
    /// normalisation makes alike across games).
    public func checkParameters() throws(MWMREError) {
        guard request.objectives.contains("mwmre"), let distribution = request.distribution else { return }
        let generation = GenerationRequest(distribution: distribution, actionCounts: request.actionCounts,
                                           seed: request.seed, normalization: .l2)
        guard let sample = try? generation.game(at: 0),
              let game = try? NormalFormGame(actionCounts: request.actionCounts, payoffs: sample.payoffs) else { return }
        try MWMRESolver.checkParameters(game: game, parameters: try mwmreParameters(game: game, index: 0))
    }

    /// Solves game `index`: a pure function of the request and the index.
    func record(for index: Int) -> GameRecord {
        var record = GameRecord()
        let n = request.actionCounts.count
        let joint = request.actionCounts.reduce(1, *)
        let rows = dualLength
        let generation = GenerationRequest(distribution: request.distribution!, actionCounts: request.actionCounts,
                                           seed: request.seed, normalization: .l2)
        let game: NormalFormGame
        do {
            let sample = try generation.game(at: index)
            record.payoffs = sample.payoffs
            record.scales = sample.scales ?? Array(repeating: 1, count: n)
            record.redraws = sample.redraws
            game = try NormalFormGame(actionCounts: request.actionCounts, payoffs: sample.payoffs)
        } catch {
            record.generationFailed = "\(error)"
            record.payoffs = Array(repeating: 0, count: n * joint)
            record.scales = Array(repeating: 0, count: n)
            record.welfare = Array(repeating: 0, count: joint)
            fillEmpty(&record, n: n, joint: joint, rows: rows, reason: "generation failed: \(error)")
            return record
        }
        record.welfare = game.welfare
        fillEmpty(&record, n: n, joint: joint, rows: rows, reason: "")
        let concept = request.equilibriumConcept
        if request.objectives.contains("max-welfare") {
            do {
                let r = try EquilibriumLP.solve(game: game, concept: concept, certify: request.certifies)
                record.mwStatus = r.status.rawValue
                if let c = r.certification {
                    record.mwCertified = c.certified
                    record.mwCertificate = c.certified ? c.method : (c.reason ?? "not certified")
                    record.mwObjectiveBounds = [c.objectiveLower ?? -.infinity, c.objectiveUpper ?? .infinity]
                    record.mwJointError = c.jointError ?? .infinity
                }
                if r.status == .failed { record.mwMessage = r.note ?? "" }
                if r.status == .optimal {
                    record.mwJoint = r.joint
                    record.mwObjective = r.objective ?? 0
                    record.mwDuals = r.duals
                    record.mwViolation = r.maximumViolation
                }
            } catch {
                record.mwStatus = "failed"
                record.mwMessage = error.description
            }
        }
        if request.objectives.contains("mwmre") {
            do {
                let parameters = try mwmreParameters(game: game, index: index)
                record.meParameters = parameters
                // With certify, μ = ∞ finds its max-welfare face exactly, so that the record has a
                // rigorous KL bound (docs/decisions.md); otherwise the face is found in doubles.
                let exactFace: Bool? = request.certifies && parameters.mu.isInfinite ? true : nil
                let r = try MWMRESolver.solve(game: game, parameters: parameters, exactFacialReduction: exactFace)
                record.meStatus = r.status.rawValue
                record.meMessage = r.status == .optimal ? "" : r.message
                if r.status == .optimal || r.status == .notConverged {
                    record.meJoint = r.joint
                    record.meEpsilon = r.epsilon
                    record.meDuals = r.duals
                    record.meDualObjective = r.dualObjective
                    record.mePrimalObjective = r.primalObjective
                    record.meGap = r.certifiedGap ?? r.rawGap
                    record.meGapCertified = r.certifiedGap != nil
                    record.meKKT = r.kktResidual
                    record.meIterations = r.iterations
                    record.meDualsAttained = r.dualsAttained
                    if r.status == .optimal, let bound = r.klBound, let error = r.klJointError {
                        record.meKLBound = bound
                        record.meKLJointError = error
                    } else {
                        record.meKLNote = r.status == .optimal ? r.klBoundNote ?? "no rigorous bound"
                            : "no rigorous bound: the minimiser did not converge"
                    }
                }
            } catch {
                record.meStatus = "failed"
                record.meMessage = error.description
            }
        }
        return record
    }

    private func fillEmpty(_ record: inout GameRecord, n: Int, joint: Int, rows: Int, reason: String) {
        let failed = !reason.isEmpty
        record.mwStatus = failed ? "failed" : "not-run"
        record.mwMessage = reason
        record.mwJoint = Array(repeating: 0, count: joint)
        record.mwDuals = Array(repeating: 0, count: rows)
        record.meStatus = failed ? "failed" : "not-run"
        record.meMessage = reason
        record.meJoint = Array(repeating: 0, count: joint)
        record.meEpsilon = Array(repeating: 0, count: n)
        record.meDuals = Array(repeating: 0, count: rows)
    }

    /// The arrays of one chunk (docs/reference.md §7; keys documented in the README).
    func arrays(chunk c: Int, records: [GameRecord]) -> [(name: String, array: NumPyArray)] {
        let k = records.count, n = request.actionCounts.count
        let rows = dualLength
        let shape = request.actionCounts
        var arrays: [(name: String, array: NumPyArray)] = [
            ("request", NumPyArray(strings: [request.canonicalText], shape: [])),
            ("game_index", NumPyArray(int64: request.indices(ofChunk: c).map(Int64.init), shape: [k])),
            ("family", NumPyArray(strings: [request.family], shape: [])),
            ("seed", NumPyArray(uint64: [request.seed], shape: [])),
            ("action_counts", NumPyArray(int64: shape.map(Int64.init), shape: [n])),
            ("concept", NumPyArray(strings: [request.concept], shape: [])),
            ("payoffs", NumPyArray(float64: records.flatMap(\.payoffs), shape: [k, n] + shape)),
            ("welfare", NumPyArray(float64: records.flatMap(\.welfare), shape: [k] + shape)),
            ("payoff_scale", NumPyArray(float64: records.flatMap(\.scales), shape: [k, n])),
            ("redraws", NumPyArray(int64: records.map { Int64($0.redraws) }, shape: [k])),
        ]
        if request.objectives.contains("max-welfare") {
            arrays += [
                ("mw_status", NumPyArray(strings: records.map(\.mwStatus))),
                ("mw_message", NumPyArray(strings: records.map(\.mwMessage))),
                ("mw_joint", NumPyArray(float64: records.flatMap(\.mwJoint), shape: [k] + shape)),
                ("mw_objective", NumPyArray(float64: records.map(\.mwObjective), shape: [k])),
                ("mw_duals", NumPyArray(float64: records.flatMap(\.mwDuals), shape: [k, rows])),
                ("mw_max_violation", NumPyArray(float64: records.map(\.mwViolation), shape: [k])),
            ]
            if request.certifies {
                arrays += [
                    ("mw_certified", NumPyArray(bool: records.map(\.mwCertified), shape: [k])),
                    ("mw_certificate", NumPyArray(strings: records.map(\.mwCertificate))),
                    ("mw_objective_bounds", NumPyArray(float64: records.flatMap(\.mwObjectiveBounds), shape: [k, 2])),
                    ("mw_joint_error", NumPyArray(float64: records.map(\.mwJointError), shape: [k])),
                ]
            }
        }
        if request.objectives.contains("mwmre") {
            arrays += [
                ("me_preset", NumPyArray(strings: [request.preset], shape: [])),
            ]
            arrays += MWMREProblemCodec.arrays(records.map(\.meParameters), actionCounts: shape)
            arrays += [
                ("me_status", NumPyArray(strings: records.map(\.meStatus))),
                ("me_message", NumPyArray(strings: records.map(\.meMessage))),
                ("me_joint", NumPyArray(float64: records.flatMap(\.meJoint), shape: [k] + shape)),
                ("me_epsilon", NumPyArray(float64: records.flatMap(\.meEpsilon), shape: [k, n])),
                ("me_duals", NumPyArray(float64: records.flatMap(\.meDuals), shape: [k, rows])),
                ("me_duals_attained", NumPyArray(bool: records.map(\.meDualsAttained), shape: [k])),
                ("me_dual_objective", NumPyArray(float64: records.map(\.meDualObjective), shape: [k])),
                ("me_primal_objective", NumPyArray(float64: records.map(\.mePrimalObjective), shape: [k])),
                ("me_duality_gap", NumPyArray(float64: records.map(\.meGap), shape: [k])),
                ("me_gap_certified", NumPyArray(bool: records.map(\.meGapCertified), shape: [k])),
                ("me_kkt_residual", NumPyArray(float64: records.map(\.meKKT), shape: [k])),
                ("me_iterations", NumPyArray(int64: records.map { Int64($0.meIterations) }, shape: [k])),
            ]
            if request.certifies {
                arrays += [
                    ("me_kl_bound", NumPyArray(float64: records.map(\.meKLBound), shape: [k])),
                    ("me_kl_joint_error", NumPyArray(float64: records.map(\.meKLJointError), shape: [k])),
                    ("me_kl_note", NumPyArray(strings: records.map(\.meKLNote))),
                ]
            }
        }
        return arrays
    }

    /// Whether a chunk file exists and is complete: it opens, every CRC checks, it was written
    /// for this request, and its game indices are the chunk's. A chunk that is readable but was
    /// written for another request is an error naming it (it is someone's data: never taken, never
    /// overwritten); a missing, truncated or corrupt one, or one of the older layout without a
    /// stamp (written for this batch.json by an earlier version), is `false` (to be redone).
    public func isComplete(chunk c: Int) throws(BatchError) -> Bool {
        let url = directory.appendingPathComponent(BatchRequest.chunkFileName(c))
        guard FileManager.default.fileExists(atPath: url.path),
              let arrays = try? NumPyArchive.read(url) else { return false }
        // A chunk of the older layout, without a stamp, under this directory's batch.json: this
        // batch's, written by an earlier version; redone.
        guard arrays["request"] != nil else { return false }
        try BatchJob.checkStamp(arrays, of: url, request: request)
        guard let indices = arrays["game_index"]?.int64s else { return false }
        return indices == request.indices(ofChunk: c).map(Int64.init)
    }

    /// Refuses a readable chunk that was not written for `request`, naming the chunk and both
    /// fingerprints.
    static func checkStamp(_ arrays: [String: NumPyArray], of url: URL, request: BatchRequest) throws(BatchError) {
        let stamp = arrays["request"]?.strings?.first
        guard stamp != request.canonicalText else { return }
        guard let stamp else {
            throw BatchError("\(url.path) has no request stamp (an older layout); rerun the batch to redo it")
        }
        throw BatchError("\(url.path) was written for another request (request \(BatchRequest.fingerprint(of: stamp)); "
                         + "this batch is request \(request.fingerprint)); move it away or use another directory")
    }

    /// Progress of a run, reported after every game.
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var failed: Int
        public var skippedChunks: Int
    }

    /// Runs the chunks of one shard with `jobs` worker threads; returns the number of games
    /// with a failed status. Complete chunks are skipped; truncated or corrupt ones are redone.
    public func run(shard: Int, of shards: Int, jobs: Int, progress: @escaping @Sendable (Progress) -> Void)
        throws(BatchError) -> (failed: Int, skippedChunks: Int)
    {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw BatchError("\(directory.path): cannot create the output directory (\(error.localizedDescription))")
        }
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw BatchError("\(directory.path): the output directory is not writable")
        }
        try checkManifest()
        let lock = try BatchLock(directory: directory, shard: shard, of: shards)
        defer { lock.release() }
        let chunks = request.chunks(shard: shard, of: shards)
        let total = request.gameCount(shard: shard, of: shards)
        var state = Progress(done: 0, total: total, failed: 0, skippedChunks: 0)
        // Chunk c is written on a background thread while chunk c+1 is solved (at most two
        // chunks in memory); a write error stops the run before the next chunk starts.
        let writer = ChunkWriter()
        for c in chunks {
            let indices = request.indices(ofChunk: c)
            if try isComplete(chunk: c) {
                state.skippedChunks += 1
                state.done += indices.count
                progress(state)
                continue
            }
            let snapshot = state
            let records = solve(indices, jobs: jobs) { finished in
                var s = snapshot
                s.done += finished
                progress(s)
            }
            let failed = records.filter { $0.mwStatus == "failed" || $0.meStatus == "failed" || $0.meStatus == "not-converged"
                || $0.generationFailed != nil }.count
            state.failed += failed
            state.done += indices.count
            if let error = writer.wait() { throw BatchError(error.description) }
            let url = directory.appendingPathComponent(BatchRequest.chunkFileName(c))
            writer.start { () throws(NumPyArchiveError) in
                try NumPyArchive.write(self.arrays(chunk: c, records: records), to: url)
            }
            progress(state)
        }
        if let error = writer.wait() { throw BatchError(error.description) }
        return (state.failed, state.skippedChunks)
    }

    /// Solves the games of one chunk on `jobs` threads; results land by index, so the output does
    /// not depend on the number of threads.
    func solve(_ indices: Range<Int>, jobs: Int, finished: @escaping @Sendable (Int) -> Void) -> [GameRecord] {
        ParallelMap.map(count: indices.count, jobs: jobs, progress: finished) { self.record(for: indices.lowerBound + $0) }
    }

    /// Writes `batch.json`, or checks that an existing one asks for the same batch. The file is
    /// created exclusively (written aside, then linked into place, which fails if it exists), so
    /// that of two runs starting together in a fresh directory exactly one writes it and the
    /// other compares against it.
    func checkManifest() throws(BatchError) {
        let url = directory.appendingPathComponent("batch.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if !FileManager.default.fileExists(atPath: url.path) {
            let temporary = directory.appendingPathComponent(".batch.json.\(ProcessInfo.processInfo.processIdentifier)")
            do {
                try encoder.encode(request).write(to: temporary)
            } catch {
                throw BatchError("\(url.path): cannot write the batch description (\(error.localizedDescription))")
            }
            let linked = link(temporary.path, url.path) == 0
            let failure = errno
            unlink(temporary.path)
            if linked { return }
            guard failure == EEXIST else {
                throw BatchError("\(url.path): cannot write the batch description (\(String(cString: strerror(failure))))")
            }
        }
        guard let data = FileManager.default.contents(atPath: url.path),
              let existing = try? JSONDecoder().decode(BatchRequest.self, from: data) else {
            throw BatchError("\(url.path): unreadable batch description; remove the directory or choose another")
        }
        guard existing == request else {
            throw BatchError("\(directory.path) holds another batch (request \(existing.fingerprint), see batch.json; "
                             + "this is request \(request.fingerprint)): \(BatchRequest.differences(existing, request)); "
                             + "use the same options to resume, or another directory")
        }
    }
}

/// An exclusive lock on one shard of a batch directory, held while the shard runs, so that two
/// runs never write the same chunks at once. It is an `flock(2)` lock on `.lock-<shard>-of-<shards>`:
/// the kernel (or the NFS lock manager) releases it when the process ends in any way, so a lock
/// file left by a killed run is stale by construction and is simply locked again. The file holds
/// the holder's host and process id, for the message a second run gets.
final class BatchLock: Sendable {
    /// The lock file's descriptor; −1 once released.
    private let descriptor: Mutex<Int32>

    init(directory: URL, shard: Int, of shards: Int) throws(BatchError) {
        let path = directory.appendingPathComponent(".lock-\(shard)-of-\(shards)").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw BatchError("\(path): cannot create the lock file (\(String(cString: strerror(errno))))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw BatchError("\(directory.path): another run is writing shard \(shard + 1) of \(shards)"
                             + (holder.isEmpty ? "" : " (\(holder))") + "; wait for it, or stop it first")
        }
        let host = ProcessInfo.processInfo.hostName
        let text = "process \(ProcessInfo.processInfo.processIdentifier) on \(host)\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        descriptor = Mutex(fd)
    }

    /// Releases the lock (also done when the process ends).
    func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}

/// Runs one archive write at a time on a background thread.
final class ChunkWriter: Sendable {
    private let group = DispatchGroup()
    private let queue = DispatchQueue(label: "equilibria.chunk-writer")
    private let failure = Mutex<NumPyArchiveError?>(nil)

    func start(_ write: @escaping @Sendable () throws(NumPyArchiveError) -> Void) {
        queue.async(group: group) {
            do throws(NumPyArchiveError) {
                try write()
            } catch {
                self.failure.withLock { $0 = error }
            }
        }
    }

    /// Waits for the pending write; returns its error, if any (once).
    func wait() -> NumPyArchiveError? {
        group.wait()
        return failure.withLock { error in
            defer { error = nil }
            return error
        }
    }
}
