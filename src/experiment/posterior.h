/* SPDX-License-Identifier: MIT */
/*
 * A posterior sample as experiments draw from it (--posterior FILE): a CSV
 * file whose columns named after numeric keys of the scenario are the
 * parameters, with an optional "weight" column (the particles' weights;
 * none: all alike) and an optional "generation" column (only the last
 * generation's rows are drawn), as strife calibrate's posterior.csv
 * writes them; other columns are ignored.  Run r of every arm draws row
 * j(r) with probability its weight, from a stream of the scenario's seed
 * and r alone: the same draw in every arm, on any thread or rank.  Widened
 * (--assumptions), a run also draws the scenario's screened values the
 * sample does not hold, over their ranges.
 */
#ifndef STRIFE_EXP_POSTERIOR_H
#define STRIFE_EXP_POSTERIOR_H

#include <stddef.h>
#include <stdint.h>

#include <strife/strife.h>

#include "core/core.h"

struct strife__posterior {
  char path[1024];
  size_t k;        /* parameters: the sample's columns, then those widened */
  size_t ncol;     /* of them the sample's columns */
  char **keys;     /* [k], the keys' paths */
  size_t n;        /* draws */
  double *v;       /* [n][ncol] */
  double *cum;     /* [n]: cumulative weights, cum[n - 1] = 1 */
  double *lo, *hi; /* [k]: the widened keys' ranges (from ncol on) */
  int *integer;    /* [k]: a widened key takes whole numbers */
  uint64_t sum;    /* FNV-1a of the file's bytes, and of the widened ranges */
};

/* Reads 'path' against scenario 'sc'; a malformed file, a column that
   names no numeric key, a value outside its key's range or no row is
   STRIFE_EINVAL with file:line:col in 'diag' (key "--posterior"). */
STRIFE__FUNC int strife__posterior_load(struct strife__posterior *p,
                                        const char *path,
                                        const strife_scenario *sc,
                                        strife_diag *diag);
STRIFE__FUNC void strife__posterior_free(struct strife__posterior *p);

/* Widens the draw to the assumptions (--assumptions): every value of the
   scenario's calibration.screen the sample does not hold is drawn too,
   uniformly over its screen range (an integer key rounded), from the
   stream the run draws its row from.  A scenario without a screen is
   STRIFE_EINVAL (key "--assumptions"). */
STRIFE__FUNC int strife__posterior_widen(struct strife__posterior *p,
                                         const strife_scenario *sc,
                                         strife_diag *diag);

/* The row run 'rep' draws, under master seed 'seed'. */
STRIFE__FUNC size_t strife__posterior_draw(const struct strife__posterior *p,
                                           uint64_t seed, uint64_t rep);

/* The k values run 'rep' takes under master seed 'seed', into theta:
   its row's, then the widened keys' draws. */
STRIFE__FUNC void strife__posterior_values(const struct strife__posterior *p,
                                           uint64_t seed, uint64_t rep,
                                           double *theta);

/* The overrides "key=value" of the k values theta, malloc'd, k of them
   into *sets (free each and the array). */
STRIFE__FUNC int strife__posterior_sets(const struct strife__posterior *p,
                                        const double *theta, char ***sets);

#endif
