public import NormalFormGames

/// Scalars a linear program can be written over: `Double` for the fast path, `Rational` for
/// the exact one.
public protocol LPScalar: Sendable, Comparable, ExpressibleByIntegerLiteral {
    /// The value as a double (nearest for rationals).
    var doubleValue: Double { get }
    static var zero: Self { get }
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
}

extension Double: LPScalar {
    @inlinable public var doubleValue: Double { self }
}

extension Rational: LPScalar {}

/// Lower and upper bounds of a variable or a row; `nil` means unbounded on that side.
public struct LPBounds<Scalar: LPScalar>: Sendable, Equatable {
    public var lower: Scalar?
    public var upper: Scalar?

    public init(lower: Scalar?, upper: Scalar?) {
        self.lower = lower
        self.upper = upper
    }

    public static var free: Self { Self(lower: nil, upper: nil) }
    public static var nonnegative: Self { Self(lower: .zero, upper: nil) }
    public static func atLeast(_ value: Scalar) -> Self { Self(lower: value, upper: nil) }
    public static func atMost(_ value: Scalar) -> Self { Self(lower: nil, upper: value) }
    public static func fixed(_ value: Scalar) -> Self { Self(lower: value, upper: value) }
}

/// A linear program in the form GLPK uses: rows r = A x with bounds on every row and every
/// column x, and a linear objective c·x to maximise or minimise.
///
/// The matrix is stored by rows (compressed sparse rows). Duplicate (row, column) entries are
/// not allowed: GLPK aborts on them, so ``validate()`` rejects them first.
public struct LinearProgram<Scalar: LPScalar>: Sendable {
    public enum Direction: Sendable, Equatable {
        case minimize, maximize
    }

    public var direction: Direction
    /// c, one per column.
    public var objective: [Scalar]
    public var columnBounds: [LPBounds<Scalar>]
    public var rowBounds: [LPBounds<Scalar>]
    /// `rowStart[i]..<rowStart[i+1]` indexes row i's entries in ``columnIndices`` and ``values``.
    public var rowStart: [Int]
    public var columnIndices: [Int]
    public var values: [Scalar]

    /// An empty program with `columns` variables and no rows.
    public init(direction: Direction, objective: [Scalar], columnBounds: [LPBounds<Scalar>]) {
        precondition(objective.count == columnBounds.count, "one bound per column")
        self.direction = direction
        self.objective = objective
        self.columnBounds = columnBounds
        self.rowBounds = []
        self.rowStart = [0]
        self.columnIndices = []
        self.values = []
    }

    public var columnCount: Int { objective.count }
    public var rowCount: Int { rowBounds.count }

    /// Appends a row `bounds.lower ≤ Σ coefficients ≤ bounds.upper`.
    public mutating func addRow<C: Sequence>(_ entries: C, bounds: LPBounds<Scalar>)
    where C.Element == (Int, Scalar) {
        for (j, v) in entries {
            columnIndices.append(j)
            values.append(v)
        }
        rowStart.append(columnIndices.count)
        rowBounds.append(bounds)
    }

    /// The entries of row i.
    public func row(_ i: Int) -> Zip2Sequence<ArraySlice<Int>, ArraySlice<Scalar>> {
        zip(columnIndices[rowStart[i]..<rowStart[i + 1]], values[rowStart[i]..<rowStart[i + 1]])
    }

    /// Checks everything GLPK would abort on (indices out of range, duplicate entries, crossed
    /// bounds) and non-finite data, with a message naming the row or column.
    public func validate() throws(LinearProgrammingError) {
        try GLPKData(nearest: self).validate()
    }
}

/// Where a variable sits in a simplex basis (GLPK's `GLP_BS`, `GLP_NL`, `GLP_NU`, `GLP_NF`, `GLP_NS`).
public enum BasisStatus: Sendable, Equatable {
    case basic
    case atLower
    case atUpper
    case free
    case fixed
}

/// A simplex basis: one status per row (its auxiliary variable) and per column.
public struct LPBasis: Sendable, Equatable {
    public var rows: [BasisStatus]
    public var columns: [BasisStatus]

    public init(rows: [BasisStatus], columns: [BasisStatus]) {
        self.rows = rows
        self.columns = columns
    }
}

/// The outcome of a solve.
public enum LPStatus: String, Sendable, Equatable {
    case optimal
    case infeasible
    case unbounded
    /// No status could be established that can be trusted (a time or iteration limit, a
    /// numerical failure, or a claim that could not be proven); the accompanying note says
    /// why. ``LinearProgram/solve(options:)`` throws instead; the equilibrium LPs report it.
    case failed
}

/// A solution of a linear program.
public struct LPSolution<Scalar: LPScalar>: Sendable {
    public var status: LPStatus
    /// c·x at the returned point (meaningful when optimal).
    public var objectiveValue: Scalar
    /// Column values x.
    public var x: [Scalar]
    /// Row activities A x.
    public var rowActivities: [Scalar]
    /// Row duals y (∂ objective / ∂ row bound, GLPK's convention).
    public var rowDuals: [Scalar]
    /// Reduced costs d = c − Aᵀy of the columns.
    public var reducedCosts: [Scalar]
    /// The final simplex basis.
    public var basis: LPBasis?
    /// Simplex iterations GLPK reported.
    public var iterations: Int
}

/// An error thrown when a program is malformed or GLPK stops without establishing a status.
///
/// Infeasible and unbounded programs are not errors; they are ``LPStatus`` values.
public struct LinearProgrammingError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalidProgram, solverFailure, timeLimit, iterationLimit
        }
        private var wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// The program itself is malformed (bad index, duplicate entry, non-finite data).
        public static var invalidProgram: Self { Self(.invalidProgram) }
        /// GLPK returned an error code without a solution status.
        public static var solverFailure: Self { Self(.solverFailure) }
        /// A time limit stopped the solver (`GLP_ETMLIM`).
        public static var timeLimit: Self { Self(.timeLimit) }
        /// An iteration limit stopped the solver (`GLP_EITLIM`).
        public static var iterationLimit: Self { Self(.iterationLimit) }
        public var description: String { String(describing: wrapped) }
    }

    public var code: Code
    public var message: String
    /// GLPK's return code, when the error came from GLPK.
    public var glpkReturnCode: Int?

    public init(_ code: Code, _ message: String, glpkReturnCode: Int? = nil) {
        self.code = code
        self.message = message
        self.glpkReturnCode = glpkReturnCode
    }

    public var description: String {
        if let glpkReturnCode { return "\(message) (GLPK return code \(glpkReturnCode))" }
        return message
    }
}
