#ifndef CGMP_SHIM_H
#define CGMP_SHIM_H
#include <gmp.h>
#endif
