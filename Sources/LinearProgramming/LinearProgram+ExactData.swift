import BigInt
import NormalFormGames

// GLPK's rational simplex reads its data as doubles. A program whose numbers are decimals (or
// other rationals) that no row scaling brings to integers below 2^53 (0.1 beside 0.3 + 10⁻²⁰)
// would be solved for its nearest doubles, whose optimal basis need not be the exact
// program's. This file builds an equivalent program whose every number *is* a double, so that
// GLPK's rational simplex solves the exact program. No library does this transformation.

/// A program equivalent to a rational one, with every number exactly a double, and how its
/// multipliers map back.
struct DoubleExactProgram {
    /// The equivalent program: its first columns and rows are the original ones.
    var program: LinearProgram<Rational>
    /// Row i of `program` is `rowScales[i]` times row i of the original (plus a bound column).
    var rowScales: [Rational]
    /// `program`'s objective is `objectiveScale` times the original's.
    var objectiveScale: Rational
    /// The column fixed at 1 that carries moved bounds, if any (right after the originals).
    var boundColumn: Int?
    /// The originals' column and row counts.
    var originalColumns: Int
    var originalRows: Int

    /// A basis of `program` from one of the original: the originals keep their statuses, the
    /// bound column is nonbasic (fixed), every copy is basic and every tie row nonbasic, so that
    /// the copies equal their columns and the basis matrix is regular exactly when the
    /// original's is.
    func basis(from original: LPBasis) -> LPBasis {
        let extra = program.columnCount - originalColumns - (boundColumn == nil ? 0 : 1)
        return LPBasis(rows: original.rows + Array(repeating: .fixed, count: program.rowCount - originalRows),
                       columns: original.columns + (boundColumn == nil ? [] : [.fixed])
                           + Array(repeating: .basic, count: extra))
    }

    /// The original's row multipliers from those of `program`: y_i = s_i y'_i / s_c.
    func originalDuals(_ y: [Rational], rows: Int) -> [Rational] {
        (0..<rows).map { y[$0] * rowScales[$0] / objectiveScale }
    }
}

extension LinearProgram where Scalar == Rational {
    /// Bits per piece when a large integer is written as Σ_t p_t 2^(52t), |p_t| < 2^52: each
    /// term is then exactly a double.
    private static var pieceBits: Int { 52 }
    /// At most this many pieces (2^208): GLPK's rational simplex is kept within 2^±256.
    private static var maximumPieces: Int { 4 }

    /// Whether `value` is exactly a double (`nil`, an absent bound, counts as one).
    static func isDouble(_ value: Rational?) -> Bool {
        guard let value else { return true }
        let d = value.doubleValue
        return d.isFinite && Rational(d) == value
    }

    /// The least common multiple of the denominators of `values`; `nil` once it exceeds `limit`.
    static func denominatorLCM(_ values: [Rational], limit: BigInt? = nil) -> BigInt? {
        var l = BigInt(1)
        for v in values where !v.isInteger {
            let d = v.denominator
            l = l / BigInt(l.magnitude.greatestCommonDivisor(with: d.magnitude)) * d
            if let limit, l > limit { return nil }
        }
        return l
    }

    /// `n` as pieces p_t 2^(52t) (each exactly a double, summing to n), lowest first; `nil`
    /// beyond ``maximumPieces``.
    private static func pieces(_ n: BigInt) -> [Rational]? {
        var magnitude = n.magnitude
        let negative = n.sign == .minus
        var result: [Rational] = []
        var shift = 0
        let mask = (BigUInt(1) << pieceBits) - 1
        repeat {
            let digit = BigInt(magnitude & mask) << shift
            result.append(Rational(negative ? -digit : digit))
            magnitude >>= pieceBits
            shift += pieceBits
        } while magnitude != 0
        return result.count <= maximumPieces ? result : nil
    }

    /// An equivalent program with every number exactly a double, or `nil` when this one is
    /// already so (nothing to do), or it cannot be built (a column bound that is not a double,
    /// a two-sided row that needs scaling, or integers beyond 2^208).
    ///
    /// A row whose numbers are not all doubles is scaled by the common denominator of its
    /// entries and bounds (a positive integer: the feasible set and the optimal bases do not
    /// change), its bound moves to a column w fixed at 1 when it is no double, and each large
    /// integer coefficient a_ij is written as pieces p_t; piece t multiplies a copy x_j^(t) of
    /// x_j, tied to it by the row x_j^(t) − x_j = 0. The objective is treated alike (scaled by
    /// a positive integer, pieces on the copies).
    func doubleExactProgram() -> DoubleExactProgram? {
        guard columnBounds.allSatisfy({ Self.isDouble($0.lower) && Self.isDouble($0.upper) }) else {
            return nil
        }
        let n = columnCount, m = rowCount
        // Per original row: its entries as (column, pieces), its bounds, its scale.
        var rowEntries: [[(column: Int, pieces: [Rational])]] = []
        var bounds: [LPBounds<Rational>] = []
        var scales: [Rational] = []
        var boundColumnEntries: [(row: Int, value: BigInt)] = []
        var changed = false
        for i in 0..<m {
            let entries = row(i)
            let b = rowBounds[i]
            let numbers = entries.map(\.1) + [b.lower, b.upper].compactMap { $0 }
            if numbers.allSatisfy({ Self.isDouble($0) }) {
                rowEntries.append(entries.map { ($0.0, [$0.1]) })
                bounds.append(b)
                scales.append(.one)
                continue
            }
            changed = true
            let scale = Rational(Self.denominatorLCM(numbers)!)
            var pieced: [(column: Int, pieces: [Rational])] = []
            for (j, a) in entries {
                let integer = (a * scale).numerator
                guard let p = Self.pieces(integer) else { return nil }
                pieced.append((j, p))
            }
            let lower = b.lower.map { ($0 * scale).numerator }, upper = b.upper.map { ($0 * scale).numerator }
            var newBounds: LPBounds<Rational>
            let single: BigInt? = lower == nil ? upper : (upper == nil || upper == lower ? lower : nil)
            switch (lower, upper, single) {
            case (nil, nil, _):
                newBounds = .free
            case (_, _, let v?):
                // One bound, or a fixed row.
                let value = Rational(v)
                if Self.isDouble(value) {
                    newBounds = LPBounds(lower: lower.map { _ in value }, upper: upper.map { _ in value })
                } else {
                    // A x ≤ v  ⇔  A x − v·w ≤ 0 with w = 1.
                    boundColumnEntries.append((i, -v))
                    newBounds = LPBounds(lower: lower.map { _ in .zero }, upper: upper.map { _ in .zero })
                }
            default:
                // Two different finite bounds that need scaling: not supported.
                let both = [lower!, upper!].map { Rational($0) }
                guard both.allSatisfy(Self.isDouble) else { return nil }
                newBounds = LPBounds(lower: both[0], upper: both[1])
            }
            rowEntries.append(pieced)
            bounds.append(newBounds)
            scales.append(scale)
        }
        // The objective.
        var objectivePieces: [[Rational]] = objective.map { [$0] }
        var objectiveScale = Rational.one
        if !objective.allSatisfy({ Self.isDouble($0) }) {
            changed = true
            objectiveScale = Rational(Self.denominatorLCM(objective)!)
            for j in 0..<n {
                guard let p = Self.pieces((objective[j] * objectiveScale).numerator) else { return nil }
                objectivePieces[j] = p
            }
        }
        guard changed else { return nil }

        // Columns: the originals, w (when a bound moved), then the copies.
        let w = boundColumnEntries.isEmpty ? nil : n
        let baseColumns = n + (w == nil ? 0 : 1)
        var pieceCount = [Int](repeating: 1, count: baseColumns)
        for entries in rowEntries { for e in entries { pieceCount[e.column] = max(pieceCount[e.column], e.pieces.count) } }
        for j in 0..<n { pieceCount[j] = max(pieceCount[j], objectivePieces[j].count) }
        var boundPieces: [(row: Int, pieces: [Rational])] = []
        for (i, v) in boundColumnEntries {
            guard let p = Self.pieces(v) else { return nil }
            boundPieces.append((i, p))
            pieceCount[w!] = max(pieceCount[w!], p.count)
        }
        // copyStart[j]: the column of x_j^(1); x_j^(t) is copyStart[j] + t − 1.
        var copyStart = [Int](repeating: 0, count: baseColumns)
        var next = baseColumns
        for j in 0..<baseColumns {
            copyStart[j] = next
            next += pieceCount[j] - 1
        }
        func column(_ j: Int, piece t: Int) -> Int { t == 0 ? j : copyStart[j] + t - 1 }

        var objectiveRow = [Rational](repeating: .zero, count: next)
        for j in 0..<n {
            for (t, p) in objectivePieces[j].enumerated() { objectiveRow[column(j, piece: t)] = p }
        }
        var columnBounds = self.columnBounds + (w == nil ? [] : [.fixed(.one)])
        columnBounds += Array(repeating: .free, count: next - baseColumns)
        var result = LinearProgram<Rational>(direction: direction, objective: objectiveRow, columnBounds: columnBounds)
        for i in 0..<m {
            var entries: [(Int, Rational)] = []
            for e in rowEntries[i] {
                for (t, p) in e.pieces.enumerated() where !p.isZero { entries.append((column(e.column, piece: t), p)) }
            }
            for b in boundPieces where b.row == i {
                for (t, p) in b.pieces.enumerated() where !p.isZero { entries.append((column(w!, piece: t), p)) }
            }
            result.addRow(entries, bounds: bounds[i])
        }
        for j in 0..<baseColumns where pieceCount[j] > 1 {
            for t in 1..<pieceCount[j] {
                result.addRow([(column(j, piece: t), .one), (j, -.one)], bounds: .fixed(.zero))
            }
        }
        return DoubleExactProgram(program: result, rowScales: scales, objectiveScale: objectiveScale, boundColumn: w,
                                  originalColumns: n, originalRows: m)
    }
}
