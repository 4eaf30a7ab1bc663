/* SPDX-License-Identifier: MIT */
/*
 * Global sensitivity analysis on the unit cube: the designs (which points
 * to run) and the estimators (what the outputs at those points say), apart
 * from any model, so that they are tested on functions whose indices are
 * known.
 *
 * Sobol indices: Saltelli's design on a Sobol sequence (two N x k
 * matrices A and B from one 2k-dimensional sequence, and for each input i
 * the matrix A_B^i, A with column i from B: N (k + 2) points), and Jansen's
 * estimators (Jansen 1999; Saltelli et al. 2010, table 2):
 *
 *   V     = the variance of f over the rows of A and B together
 *   S_i   = (V - (1/2N) sum_j (f(B)_j - f(A_B^i)_j)^2) / V
 *   ST_i  = ((1/2N) sum_j (f(A)_j - f(A_B^i)_j)^2) / V
 *
 * Morris's elementary effects (Morris 1991; mu* of Campolongo et al.
 * 2007): r trajectories on a p-level grid, each changing one input at a
 * time by Delta = p / (2 (p - 1)); per input the mean of |EE| (mu*), and
 * the standard deviation of EE (sigma).
 *
 * Intervals are percentile bootstraps over the N rows (Sobol) or the r
 * trajectories (Morris), drawn from a counter-based stream of 'seed'.
 */
#ifndef STRIFE_EXP_SENS_H
#define STRIFE_EXP_SENS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

#define STRIFE__SENS_MAX_K   20 /* GSL's Sobol sequence has 40 dimensions */
#define STRIFE__MORRIS_MAX_K 128

/* The Saltelli design: x[(m * n + j) * k + d], block m = 0 for A, 1 for
   B, 2 + i for A_B^i; N = n rows.  Returns STRIFE_ENOMEM, STRIFE_EINVAL
   (k out of 1..STRIFE__SENS_MAX_K) or STRIFE_OK; free() the result. */
STRIFE__FUNC int strife__sens_saltelli(size_t k, size_t n, double **x);

struct strife__index {
  double value, lo, hi; /* estimate and its 95 % bootstrap interval */
};

/* Jansen's first and total indices from outputs y laid out as the design
   (y[m * n + j]), with 'boot' bootstrap resamples. */
STRIFE__FUNC int strife__sens_sobol(size_t k, size_t n, const double *y,
                                    size_t boot, uint64_t seed,
                                    struct strife__index *first,
                                    struct strife__index *total);

/* Morris's design: r trajectories of k + 1 points each on a p-level grid
   (p even), x[((t * (k + 1)) + s) * k + d], drawn from 'seed'. */
STRIFE__FUNC int strife__sens_morris(size_t k, size_t r, unsigned p,
                                     uint64_t seed, double **x);

/* mu* and sigma per input from outputs y[t * (k + 1) + s] at the design
   'x'; mu* with its bootstrap interval. */
STRIFE__FUNC int strife__sens_morris_effects(size_t k, size_t r,
                                             const double *x, const double *y,
                                             size_t boot, uint64_t seed,
                                             struct strife__index *mu_star,
                                             double *sigma);

#endif
