import Foundation

/// The kinds of finding the campaign reports. Strings, so that reports stay readable and a new
/// kind needs no schema change.
enum FindingKind {
    /// The worker process died (a trap, a signal) while running the case.
    static let crash = "crash"
    /// The case ran past its time budget and the worker was killed.
    static let hang = "hang"
    /// A NaN or an infinity in a number the result promises.
    static let nan = "nan"
    /// A status the facts contradict (infeasible or unbounded where an equilibrium exists, …).
    static let wrongStatus = "wrong-status"
    /// A thrown error, or a `failed` status, on a valid request within range.
    static let solverFailure = "solver-failure"
    /// An error without a usable message.
    static let errorMessage = "error-message"
    /// σ is not a distribution, or violates its equilibrium constraints.
    static let infeasibleFeasibility = "infeasible-feasibility"
    /// Weak duality, or an independent optimum, shows σ is not optimal.
    static let notOptimal = "not-optimal"
    /// Status optimal, but the KKT conditions recomputed from the duals do not hold.
    static let kktViolated = "kkt-violated"
    /// A certificate (certified gap, Farkas multipliers, rational certificate) that does not
    /// prove what it claims.
    static let certificateDishonest = "certificate-dishonest"
    /// A reported number that disagrees with the returned σ (objective, ε, gains, welfare).
    static let wrongReport = "wrong-report"
    /// Scaling or offsetting the payoffs changed the answer.
    static let notInvariant = "not-invariant"
    /// Permuting players or actions did not permute the answer.
    static let notEquivariant = "not-equivariant"
    /// Exact and double-precision answers disagree.
    static let exactMismatch = "exact-mismatch"

    static let all = [crash, hang, nan, wrongStatus, solverFailure, errorMessage, infeasibleFeasibility, notOptimal,
                      kktViolated, certificateDishonest, wrongReport, notInvariant, notEquivariant, exactMismatch]
}

/// Informational outcomes: counted, never findings.
enum NoteKind {
    /// A thrown error with a clear message for a request with out-of-range parameters.
    static let refusal = "refusal"
    /// An `infeasible` claim that neither a witness nor a Farkas certificate could decide.
    static let undecided = "undecided"
    /// MWMRE stopped before its tolerance and said so.
    static let notConverged = "not-converged"
    /// A comparison skipped because the campaign's own reference computation was not finite.
    static let oracleSkipped = "oracle-skipped"
    /// One solve took more than 5 s (but finished within the time budget).
    static let slow = "slow"
}

/// One problem found in one solve of a case.
struct Finding: Codable, Sendable {
    var kind: String
    /// Which solve of the case (`base`, `scaled`, `permuted`, `exact`, `reference`, …).
    var label: String
    var message: String
}

/// What a worker reports for one case.
struct CaseReport: Codable, Sendable {
    var index: Int
    var family: String
    var summary: String
    var solves: Int
    /// Wall time of each solve, seconds.
    var solveSeconds: [Double]
    var findings: [Finding]
    var notes: [Finding]
}

extension CaseReport {
    init(index: Int, family: String, summary: String) {
        self.init(index: index, family: family, summary: summary, solves: 0, solveSeconds: [], findings: [], notes: [])
    }
}
