#ifndef CFLINT_SHIM_H
#define CFLINT_SHIM_H
#include <gmp.h>
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#endif
