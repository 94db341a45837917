internal import CLBFGSB

/// Bound-constrained limited-memory BFGS: the Fortran L-BFGS-B 3.0 code (Byrd, Lu, Nocedal,
/// Zhu; Morales and Nocedal), the same code scipy uses, from Debian's `liblbfgsb0`.
///
/// The driver below runs its reverse-communication loop; all state lives in per-call work
/// arrays, so concurrent minimisations on different threads are safe.
public struct LBFGSB: Sendable {
    /// Why a minimisation stopped.
    public enum Termination: Sendable, Equatable {
        /// Projected gradient below `projectedGradientTolerance`.
        case projectedGradient
        /// Relative reduction of f below `factr`·machine epsilon.
        case relativeReduction
        /// The iteration limit.
        case iterationLimit
        /// The line search could not make progress (usually: at the precision limit).
        case abnormal(String)
        /// Invalid input reported by the code (e.g. a lower bound above an upper bound).
        case error(String)

        /// The reason in words, for messages (the Fortran code's own text is kept for the
        /// technical cases, after a plain explanation).
        public var explanation: String {
            switch self {
            case .projectedGradient: return "L-BFGS-B stopped: projected gradient below its tolerance"
            case .relativeReduction: return "L-BFGS-B stopped: the objective no longer decreases (relative reduction below its tolerance)"
            case .iterationLimit: return "L-BFGS-B stopped at its iteration limit"
            case .abnormal(let text):
                if text.hasPrefix("ABNORMAL") {
                    return "L-BFGS-B stopped: its line search could not make progress (usually the precision limit of doubles)"
                }
                return "L-BFGS-B stopped abnormally: " + text.lowercased()
            case .error(let text): return "L-BFGS-B refused its input: " + text.lowercased()
            }
        }
    }

    public struct Result: Sendable {
        public var x: [Double]
        public var value: Double
        public var gradient: [Double]
        public var iterations: Int
        public var evaluations: Int
        public var termination: Termination
        /// The infinity norm of the projected gradient at the end, as the code reports it.
        public var projectedGradientNorm: Double
    }

    /// Number of correction pairs kept (m).
    public var memory: Int = 10
    /// Stop when the relative reduction of f is below `factr` × machine epsilon (0 disables).
    public var factr: Double = 10
    /// Stop when the projected gradient's infinity norm is at most this (0 disables).
    public var projectedGradientTolerance: Double = 1e-10
    public var maximumIterations: Int = 10_000

    public init() {}

    /// Minimises f over the box lower ≤ x ≤ upper (`nil`: unbounded on that side).
    ///
    /// - Parameter function: writes ∇f(x) into its second argument and returns f(x).
    public func minimize(from start: [Double], lower: [Double?], upper: [Double?],
                         function: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> Result {
        let n = start.count
        precondition(lower.count == n && upper.count == n, "one bound per variable")
        var x = start
        var g = [Double](repeating: 0, count: n)
        var f = 0.0
        if n == 0 {
            f = function(x, &g)
            return Result(x: x, value: f, gradient: g, iterations: 0, evaluations: 1,
                          termination: .projectedGradient, projectedGradientNorm: 0)
        }
        var l = lower.map { $0 ?? 0 }
        var u = upper.map { $0 ?? 0 }
        var nbd = (0..<n).map { i -> Int32 in
            switch (lower[i], upper[i]) {
            case (nil, nil): return 0
            case (_?, nil): return 1
            case (_?, _?): return 2
            case (nil, _?): return 3
            }
        }
        var nn = Int32(n), m = Int32(memory)
        var factr = self.factr, pgtol = projectedGradientTolerance
        var wa = [Double](repeating: 0, count: (2 * memory + 5) * n + 11 * memory * memory + 8 * memory)
        var iwa = [Int32](repeating: 0, count: 3 * n)
        var task = LBFGSB.fortranString("START")
        var csave = [CChar](repeating: 0x20, count: 60)
        var lsave = [Int32](repeating: 0, count: 4)
        var isave = [Int32](repeating: 0, count: 44)
        var dsave = [Double](repeating: 0, count: 29)
        var iprint: Int32 = -1
        var evaluations = 0
        var termination = Termination.iterationLimit
        while true {
            setulb_(&nn, &m, &x, &l, &u, &nbd, &f, &g, &factr, &pgtol, &wa, &iwa, &task, &iprint,
                    &csave, &lsave, &isave, &dsave, 60, 60)
            let text = LBFGSB.text(task)
            if text.hasPrefix("FG") {
                f = function(x, &g)
                evaluations += 1
                if !f.isFinite {
                    termination = .abnormal("the function is not finite at an evaluated point")
                    break
                }
            } else if text.hasPrefix("NEW_X") {
                if Int(isave[29]) >= maximumIterations {
                    task = LBFGSB.fortranString("STOP: iteration limit")
                    termination = .iterationLimit
                    break
                }
            } else {
                if text.hasPrefix("CONVERGENCE: NORM") {
                    termination = .projectedGradient
                } else if text.hasPrefix("CONVERGENCE") {
                    termination = .relativeReduction
                } else if text.hasPrefix("ABNORMAL") || text.hasPrefix("WARNING") {
                    termination = .abnormal(text)
                } else {
                    termination = .error(text)
                }
                break
            }
        }
        return Result(x: x, value: f, gradient: g, iterations: Int(isave[29]), evaluations: evaluations,
                      termination: termination, projectedGradientNorm: dsave[12])
    }

    /// A blank-padded Fortran CHARACTER*60 value (not NUL-terminated).
    private static func fortranString(_ text: String) -> [CChar] {
        var result = [CChar](repeating: 0x20, count: 60)
        for (i, byte) in text.utf8.prefix(60).enumerated() { result[i] = CChar(bitPattern: byte) }
        return result
    }

    private static func text(_ value: [CChar]) -> String {
        var bytes = value.map { UInt8(bitPattern: $0) }
        while let last = bytes.last, last == 0x20 || last == 0 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
