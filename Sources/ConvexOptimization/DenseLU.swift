internal import CLAPACK

/// Dense general solves through LAPACK's LU factorisation with partial pivoting (`dgetrf`),
/// and the matrix products of BLAS (`dgemm`).
///
/// Matrices are column-major `n`×`n`. OpenBLAS is pinned to one thread, as for ``Cholesky``.
public struct DenseLU: Sendable {
    public let n: Int
    /// The factors L and U, column-major, as `dgetrf` leaves them.
    public private(set) var factors: [Double]
    private var pivots: [Int32]

    private static let pinThreads: Void = { openblas_set_num_threads(1) }()

    /// Factorises `matrix` (column-major, `n`×`n`); `nil` when it is exactly singular or a
    /// dimension is invalid.
    public init?(_ matrix: [Double], n: Int) {
        _ = Self.pinThreads
        guard n >= 0, matrix.count >= n * n, n < Int(Int32.max) else { return nil }
        self.n = n
        factors = Array(matrix.prefix(n * n))
        pivots = [Int32](repeating: 0, count: max(n, 1))
        if n == 0 { return }
        var size = Int32(n), lda = Int32(n), info: Int32 = 0
        factors.withUnsafeMutableBufferPointer { a in
            pivots.withUnsafeMutableBufferPointer { p in
                dgetrf_(&size, &size, a.baseAddress, &lda, p.baseAddress, &info)
            }
        }
        guard info == 0 else { return nil }
    }

    /// Solves A x = b (or Aᵀ x = b when `transposed`); `b.count` must be `n`.
    public func solve(_ b: [Double], transposed: Bool = false) -> [Double] {
        guard n > 0, b.count == n else { return b }
        var x = b
        var trans = CChar(UInt8(ascii: transposed ? "T" : "N"))
        var size = Int32(n), lda = Int32(n), ldb = Int32(n), nrhs: Int32 = 1, info: Int32 = 0
        factors.withUnsafeBufferPointer { a in
            pivots.withUnsafeBufferPointer { p in
                x.withUnsafeMutableBufferPointer { xb in
                    dgetrs_(&trans, &size, &nrhs, a.baseAddress, &lda, p.baseAddress, xb.baseAddress, &ldb, &info, 1)
                }
            }
        }
        return x
    }

    /// A⁻¹, column-major (an approximation: computed in floating point from the factors).
    public func inverse() -> [Double]? {
        guard n > 0 else { return [] }
        var a = factors
        var p = pivots
        var size = Int32(n), lda = Int32(n), info: Int32 = 0
        var lwork = Int32(max(1, 64 * n))
        var work = [Double](repeating: 0, count: Int(lwork))
        a.withUnsafeMutableBufferPointer { ab in
            p.withUnsafeMutableBufferPointer { pb in
                work.withUnsafeMutableBufferPointer { w in
                    dgetri_(&size, ab.baseAddress, &lda, pb.baseAddress, w.baseAddress, &lwork, &info)
                }
            }
        }
        return info == 0 ? a : nil
    }

    /// C = A·B for column-major `n`×`n` matrices, rounded to nearest (any summation order).
    public static func product(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
        _ = pinThreads
        guard n > 0, a.count >= n * n, b.count >= n * n else { return [] }
        var c = [Double](repeating: 0, count: n * n)
        var no = CChar(UInt8(ascii: "N"))
        var size = Int32(n), one = 1.0, zero = 0.0
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                c.withUnsafeMutableBufferPointer { cb in
                    dgemm_(&no, &no, &size, &size, &size, &one, ab.baseAddress, &size, bb.baseAddress, &size, &zero,
                           cb.baseAddress, &size, 1, 1)
                }
            }
        }
        return c
    }
}
