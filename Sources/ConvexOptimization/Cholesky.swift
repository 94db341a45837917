internal import CLAPACK

/// Dense symmetric positive-definite solves through LAPACK's Cholesky factorisation.
///
/// Matrices are column-major `n`×`n` (only the lower triangle is read). OpenBLAS, which provides
/// LAPACK on the machines this runs on, is pinned to one thread on first use: the solvers are
/// run in parallel over games, and OpenBLAS's own threads made a 112×112 factorisation 1.8×
/// slower when measured.
public enum Cholesky {
    private static let pinThreads: Void = { openblas_set_num_threads(1) }()

    /// Pins OpenBLAS to one thread (once), before any BLAS or LAPACK call.
    static func pinThreadsOnce() { _ = pinThreads }

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

/// Dense products through BLAS.
public enum DenseProducts {
    /// The lower triangle of B Bᵀ for B column-major `n`×`k` (leading dimension `n`), into a
    /// column-major `n`×`n` result (the strict upper triangle is left zero). BLAS `dsyrk`.
    public static func lowerGram(_ b: [Double], n: Int, k: Int) -> [Double] {
        precondition(b.count >= n * k, "matrix storage too small")
        var result = [Double](repeating: 0, count: n * n)
        if n == 0 || k == 0 { return result }
        Cholesky.pinThreadsOnce()
        var uplo = CChar(UInt8(ascii: "L")), trans = CChar(UInt8(ascii: "N"))
        var size = Int32(n), depth = Int32(k), lda = Int32(n), ldc = Int32(n)
        var alpha = 1.0, beta = 0.0
        b.withUnsafeBufferPointer { a in
            result.withUnsafeMutableBufferPointer { c in
                dsyrk_(&uplo, &trans, &size, &depth, &alpha, a.baseAddress, &lda, &beta, c.baseAddress, &ldc, 1, 1)
            }
        }
        return result
    }
}
