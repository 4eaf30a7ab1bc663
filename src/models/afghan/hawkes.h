/* SPDX-License-Identifier: MIT */
/*
 * Self-exciting (Hawkes) attack counts in daily time, and the heavy-tailed
 * fatalities of each attack.
 *
 * Counts.  On day t a province sees N_t = B_t + D_t attacks: B_t ~
 * Poisson(mu_t) from its background rate, D_t ~ Poisson(E_t) triggered by
 * past attacks.  Each attack adds to the excitation of the following days
 * the kernel g(k) = n (1 - q) q^(k-1), k = 1, 2, ... days later, with
 * q = exp(-1 / tau): an exponential kernel of mean lifetime tau days whose
 * weights sum to the branching ratio n exactly, so that the discrete
 * process has the continuous one's closed forms.  With constant mu and
 * n < 1 the stationary rate is mu / (1 - n), a cluster (an immigrant and
 * all its descendants) holds 1 / (1 - n) attacks on average, and the
 * counts over a long window W have variance W mu / (1 - n)^3 (Hawkes and
 * Oakes 1974).  In recursive form
 *
 *     E_(t+1) = q E_t + n (1 - q) N_t.
 *
 * Fatalities.  floor(X) for X Pareto with density (alpha - 1) x^-alpha on
 * x >= 1, at most 'cap': P(F >= k) = k^(1 - alpha).  Clauset, Young and
 * Gleditsch (2007) find alpha about 2.4 for terrorist attacks worldwide.
 */
#ifndef STRIFE_MODELS_AFGHAN_HAWKES_H
#define STRIFE_MODELS_AFGHAN_HAWKES_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

struct strife__hawkes_params {
  double n;   /* branching ratio, [0, 1) */
  double tau; /* mean lifetime of the excitation, days (> 0) */
};

struct strife__hawkes {
  double q;      /* exp(-1 / tau) */
  double gain;   /* n (1 - q): excitation one attack adds for tomorrow */
  double excite; /* E, expected triggered attacks today */
};

STRIFE__FUNC void strife__hawkes_init(struct strife__hawkes *h,
                                      const struct strife__hawkes_params *p);

/* One day at background rate 'mu': draws the background and triggered
   counts, returns their sum, and moves the excitation to tomorrow. */
STRIFE__FUNC uint32_t strife__hawkes_day(struct strife__hawkes *h, double mu,
                                         gsl_rng *r, uint32_t *background);

/* Fatalities of one attack from a uniform 'u' in (0, 1]. */
STRIFE__FUNC uint32_t strife__hawkes_fatalities(double u, double alpha,
                                                uint32_t cap);

#endif
