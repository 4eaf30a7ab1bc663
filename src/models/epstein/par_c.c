/* SPDX-License-Identifier: MIT */
/* The parallel kernel's plain C path: the portable row functions of
   par_body.h, compiled for the baseline instruction set. */
#include <math.h>

#include "par_body.h"

STRIFE__PAR_PORTABLE_OPS(strife__par_ops_c, "c");
