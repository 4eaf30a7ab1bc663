/* SPDX-License-Identifier: MIT */
/*
 * Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC),
 * apart from any model, so that it is tested on toy models whose
 * posteriors are known.
 *
 * The algorithm is the population Monte Carlo sampler of Beaumont et al.
 * (2009), with the tolerances chosen adaptively as quantiles of the
 * previous generation's distances (Del Moral et al. 2012):
 *
 *   generation 0   N particles drawn from the prior, all accepted
 *                  (tolerance infinite);
 *   generation t   tolerance eps_t = the q-quantile of generation t-1's
 *                  distances (when that is not below eps_t-1, as with
 *                  distances that take few values, the largest distance of
 *                  t-1 below eps_t-1).  Proposals are made in batches: pick a
 *                  particle of t-1 by weight, move it by a Gaussian kernel
 *                  (per parameter, variance twice the weighted variance of
 *                  t-1), draw again while it leaves the prior's support;
 *                  simulate.  Acceptance rule: a proposal is accepted when
 *                  its distance d <= eps_t (a NaN distance never is), in
 *                  the order of the proposals, until N are accepted; the
 *                  rest of the last batch is dropped.  Weight
 *                      w = prior(theta) / sum_j w_j K(theta | theta_j),
 *                  normalised.
 *
 * Parameters with a log-uniform prior are moved, and their variances
 * taken, on the log scale.  Each proposal draws from its own counter-based
 * stream (seed; proposal, generation), and the accepted ones are taken in
 * proposal order, so that the result does not depend on how a batch is
 * simulated (threads, processes) as long as the distances are the same.
 *
 * Stopping: after 'generations' generations; or when a generation's
 * acceptance rate falls below 'min_accept'; or when the next batch would
 * take the simulations past 'budget' (that generation is dropped).
 */
#ifndef STRIFE_EXP_ABC_H
#define STRIFE_EXP_ABC_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

enum strife__prior_kind {
  STRIFE__PRIOR_UNIFORM,
  STRIFE__PRIOR_LOG_UNIFORM,
  STRIFE__PRIOR_NORMAL /* truncated to [lo, hi] */
};

struct strife__prior {
  enum strife__prior_kind kind;
  double lo, hi;   /* support; lo > 0 for log-uniform */
  double mean, sd; /* normal */
};

/* Simulates proposals 'first' .. 'first' + n - 1 of generation 'gen', at
   theta[i * k + j], and writes their distances.  Returns STRIFE_OK, or an
   error that stops the sampler (STRIFE_ECANCELED: interrupted). */
typedef int (*strife__abc_sim)(void *ud, unsigned gen, uint64_t first, size_t n,
                               const double *theta, double *dist);

struct strife__abc_opts {
  size_t k; /* parameters */
  const struct strife__prior *prior;
  size_t particles;     /* N >= 2 */
  size_t batch;         /* proposals a batch; 0: N */
  unsigned generations; /* at most; >= 1 */
  double quantile;      /* q in (0, 1) */
  double min_accept;    /* in [0, 1) */
  uint64_t budget;      /* simulations at most; 0: no limit */
  uint64_t seed;
  strife__abc_sim simulate;
  void *ud;
};

struct strife__abc_gen {
  double eps;        /* tolerance (INFINITY for generation 0) */
  uint64_t proposed; /* simulations made */
  double *theta;     /* [N][k] */
  double *w;         /* [N], sum 1 */
  double *dist;      /* [N] */
  uint64_t *id;      /* [N]: the proposal each particle was */
};

enum strife__abc_stop {
  STRIFE__ABC_GENERATIONS,
  STRIFE__ABC_ACCEPTANCE,
  STRIFE__ABC_BUDGET
};

struct strife__abc {
  size_t k, n;
  unsigned n_gen; /* complete generations */
  struct strife__abc_gen *gen;
  uint64_t simulations; /* of finished batches, a dropped generation's too */
  enum strife__abc_stop stop;
};

/* Runs the sampler.  Returns STRIFE_OK; the simulator's error (the
   complete generations are kept in *out all the same); STRIFE_EINVAL for
   bad options; STRIFE_ENOMEM. */
STRIFE__FUNC int strife__abc_run(const struct strife__abc_opts *o,
                                 struct strife__abc *out);
STRIFE__FUNC void strife__abc_free(struct strife__abc *a);

/* The prior's density at x, up to a constant (0 outside the support). */
STRIFE__FUNC double strife__abc_prior_density(const struct strife__prior *p,
                                              double x);

/* The weighted q-quantile of x (n values, weights w summing to 1; NULL:
   equal), the lowest value whose cumulative weight reaches q. */
STRIFE__FUNC double strife__abc_quantile(const double *x, const double *w,
                                         size_t n, size_t stride, double q);

#endif
