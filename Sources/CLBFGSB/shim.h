#ifndef CLBFGSB_SHIM_H
#define CLBFGSB_SHIM_H
#include <stddef.h>
/* L-BFGS-B 3.0 (Debian liblbfgsb0), which ships no header. Fortran:
   subroutine setulb(n,m,x,l,u,nbd,f,g,factr,pgtol,wa,iwa,task,iprint,csave,lsave,isave,dsave)
   gfortran ABI: every argument by reference; INTEGER and LOGICAL are 4 bytes; the two
   CHARACTER*60 arguments (task, csave) get hidden size_t lengths appended at the end.
   Workspace sizes: wa[(2m+5)n + 11m^2 + 8m], iwa[3n], lsave[4], isave[44], dsave[29]. */
void setulb_(const int *n, const int *m,
             double *x, const double *l, const double *u, const int *nbd,
             double *f, double *g,
             const double *factr, const double *pgtol,
             double *wa, int *iwa,
             char *task, const int *iprint,
             char *csave, int *lsave, int *isave, double *dsave,
             size_t task_len, size_t csave_len);
#endif
