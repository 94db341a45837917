#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
#include <stddef.h>
/* Fortran LAPACK (Debian liblapack3 / OpenBLAS through update-alternatives), called directly:
   column-major, by reference, with the hidden character-length arguments at the end. */
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info, size_t uplo_len);
/* LU factorisation with partial pivoting, its solve, and the inverse from it. */
void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
void dgetrs_(const char *trans, const int *n, const int *nrhs, const double *a, const int *lda,
             const int *ipiv, double *b, const int *ldb, int *info, size_t trans_len);
void dgetri_(const int *n, double *a, const int *lda, const int *ipiv, double *work, const int *lwork,
             int *info);
/* BLAS: C = alpha op(A) op(B) + beta C. */
void dgemm_(const char *transa, const char *transb, const int *m, const int *n, const int *k,
            const double *alpha, const double *a, const int *lda, const double *b, const int *ldb,
            const double *beta, double *c, const int *ldc, size_t transa_len, size_t transb_len);
/* BLAS: C = alpha A Aᵀ + beta C (or Aᵀ A), one triangle. */
void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k, const double *alpha,
            const double *a, const int *lda, const double *beta, double *c, const int *ldc,
            size_t uplo_len, size_t trans_len);
/* OpenBLAS: pin its thread pool (we parallelise over games ourselves). */
void openblas_set_num_threads(int num_threads);
#endif
