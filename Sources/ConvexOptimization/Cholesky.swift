internal import CLAPACK

/// Dense symmetric positive-definite solves through LAPACK's Cholesky factorisation.
///
/// Matrices are column-major `n`×`n` (only the lower triangle is read). OpenBLAS, which provides
/// LAPACK on the machines this runs on, is pinned to one thread on first use: the solvers are
/// run in parallel over games, and OpenBLAS's own threads made a 112×112 factorisation 1.8×
/// slower when measured.
public enum Cholesky {
    private static let pinThreads: Void = { openblas_set_num_threads(1) }()

    /// Factorises `matrix` in place into its lower Cholesky factor.
    ///
    /// - Returns: `true` on success; `false` when the matrix is not positive definite.
    ///
    /// The corresponding LAPACK routine is `dpotrf`.
    public static func factorize(_ matrix: inout [Double], n: Int) -> Bool {
        precondition(matrix.count >= n * n, "matrix storage too small")
        _ = pinThreads
        if n == 0 { return true }
        var uplo = CChar(UInt8(ascii: "L"))
        var size = Int32(n), lda = Int32(n), info: Int32 = 0
        matrix.withUnsafeMutableBufferPointer { buffer in
            dpotrf_(&uplo, &size, buffer.baseAddress, &lda, &info, 1)
        }
        return info == 0
    }

    /// Solves A x = b in place given the factor from ``factorize(_:n:)``.
    ///
    /// The corresponding LAPACK routine is `dpotrs`.
    /// - Returns: whether LAPACK solved it (`info` = 0); `false` for inputs of the wrong size
    ///   or an argument LAPACK refuses, leaving `rhs` unspecified.
    @discardableResult
    public static func solve(factor: [Double], n: Int, _ rhs: inout [Double]) -> Bool {
        guard n >= 0, rhs.count >= n, factor.count >= n * n else { return false }
        if n == 0 { return true }
        var uplo = CChar(UInt8(ascii: "L"))
        var size = Int32(n), lda = Int32(n), ldb = Int32(n), nrhs: Int32 = 1, info: Int32 = 0
        factor.withUnsafeBufferPointer { a in
            rhs.withUnsafeMutableBufferPointer { b in
                dpotrs_(&uplo, &size, &nrhs, a.baseAddress, &lda, b.baseAddress, &ldb, &info, 1)
            }
        }
        return info == 0
    }
}
