/* SPDX-License-Identifier: MIT */
/* The parallel kernel's plain C path: the portable row functions of
   par_body.h, compiled for the baseline instruction set. */
#include <math.h>

#include "par_body.h"

static void decide_row(struct strife__epstein *e, uint32_t y,
                       const uint32_t *const *rows, uint32_t *cnt) {
  par_counts_body(e, rows, cnt);
  par_decide_body(e, y, 0, cnt);
}

static void claim_row(struct strife__epstein *e, uint32_t y,
                      const struct strife__pkeys *k, int alone) {
  par_claim_body(e, y, k, alone);
}

static void sums_row(const struct strife__par *q, uint32_t Y, uint32_t *out) {
  par_sums_body(q, Y, out);
}

const struct strife__par_ops strife__par_ops_c = {"c", decide_row, claim_row,
                                                  sums_row};
