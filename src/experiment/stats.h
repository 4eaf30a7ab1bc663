/* SPDX-License-Identifier: MIT */
/*
 * The statistics of a comparison: an arm's mean and band over its runs,
 * and the paired difference of two arms run on the same seeds.
 */
#ifndef STRIFE_EXP_STATS_H
#define STRIFE_EXP_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

struct strife__band {
  size_t n;            /* values that are not NaN */
  double mean, lo, hi; /* lo, hi: the 5 % and 95 % quantiles */
};

/* The band of the 'n' values x[0], x[stride], ... (NaN left out).
   Quantiles interpolate between order statistics (GSL's definition). */
STRIFE__FUNC int strife__stats_band(const double *x, size_t n, size_t stride,
                                    struct strife__band *out);

struct strife__paired {
  size_t n;        /* pairs where both are defined */
  double mean;     /* mean of a - b */
  double lo, hi;   /* its two-sided interval at 'level' (Student t) */
  double p_better; /* share of pairs where a does better, ties half */
};

/* The paired difference a - b over 'n' pairs (stride as strife__band);
   'better' > 0 when more is better, < 0 when less is, 0 when neither
   (p_better is then NaN).  With fewer than two pairs the interval is
   NaN. */
STRIFE__FUNC int strife__stats_paired(const double *a, const double *b,
                                      size_t n, size_t stride, int better,
                                      double level, struct strife__paired *out);

/* What a paired comparison hinges on: for parameter i of the 'k' whose
   value in pair j is theta[j * k + i], the share of the pairs where a does
   better among those with theta_i at most its median (lo[i]) and above it
   (hi[i]); NaN where a half is empty or 'better' is 0. */
STRIFE__FUNC int strife__stats_hinge(const double *a, const double *b, size_t n,
                                     size_t stride, int better,
                                     const double *theta, size_t k, double *lo,
                                     double *hi);

/* The continuous ranked probability score of the empirical distribution
   of the 'n' sorted values x[] against the outcome y, exactly, in the
   energy form: E|X - y| - E|X - X'| / 2 (Gneiting and Raftery 2007), in
   O(n).  NAN for n = 0. */
STRIFE__FUNC double strife__stats_crps(const double *x, size_t n, double y);
/* The interval score of the central (1 - alpha) interval [lo, hi] against
   y: (hi - lo) + (2 / alpha) (lo - y) when y < lo, + (2 / alpha) (y - hi)
   when y > hi (Gneiting and Raftery 2007, section 6.2). */
STRIFE__FUNC double strife__stats_interval_score(double lo, double hi, double y,
                                                 double alpha);

#endif
