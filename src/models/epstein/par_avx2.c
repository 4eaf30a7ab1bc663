/* SPDX-License-Identifier: MIT */
/* The parallel kernel's AVX2 path: the portable row functions of
   par_body.h, compiled with -mavx2 -mbmi2 -mpopcnt. */
#include <math.h>

#include "par_body.h"

STRIFE__PAR_PORTABLE_OPS(strife__par_ops_avx2, "avx2");
