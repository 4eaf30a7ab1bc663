/* SPDX-License-Identifier: MIT */
/* Hawkes attack counts and fatalities (hawkes.h). */
#include "hawkes.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_randist.h>
#include <math.h>

void strife__hawkes_init(struct strife__hawkes *h,
                         const struct strife__hawkes_params *p) {
  h->q = exp(-1.0 / p->tau);
  h->gain = p->n * (1.0 - h->q);
  h->excite = 0.0;
}

uint32_t strife__hawkes_day(struct strife__hawkes *h, double mu, gsl_rng *r,
                            uint32_t *background) {
  uint32_t b = mu > 0 ? gsl_ran_poisson(r, mu) : 0;
  uint32_t d = h->excite > 0 ? gsl_ran_poisson(r, h->excite) : 0;
  h->excite = h->q * h->excite + h->gain * (double)(b + d);
  if (background) *background = b;
  return b + d;
}

uint32_t strife__hawkes_fatalities(double u, double alpha, uint32_t cap) {
  /* X = u^(-1 / (alpha - 1)) has P(X >= x) = x^(1 - alpha). */
  double x = pow(u, -1.0 / (alpha - 1.0));
  return x >= (double)cap ? cap : (uint32_t)x;
}

struct mle_data {
  const uint32_t *x;
  size_t n;
  uint32_t cap;
};

/* Minus the log-likelihood of alpha: a count k < cap has probability
   k^(1-a) - (k+1)^(1-a); a count at the cap, cap^(1-a). */
static double neg_loglik(double alpha, void *arg) {
  const struct mle_data *d = arg;
  double s = 0.0, e = 1.0 - alpha;
  for (size_t i = 0; i < d->n; i++) {
    double k = (double)d->x[i];
    if (d->x[i] >= d->cap)
      s += e * log(k);
    else
      s += e * log(k) + log1p(-pow(1.0 + 1.0 / k, e));
  }
  return -s;
}

int strife__hawkes_fatality_mle(const uint32_t *x, size_t n, uint32_t cap,
                                double *alpha) {
  if (!n) return -1;
  for (size_t i = 0; i < n; i++)
    if (x[i] < 1) return -1;
  struct mle_data d = {x, n, cap};
  gsl_function f = {neg_loglik, &d};
  /* A coarse grid finds the bracket; Brent's method refines it. */
  const double lo = 1.001, hi = 10.0, step = 0.01;
  double best = lo, fbest = neg_loglik(lo, &d);
  const int steps = (int)((hi - lo) / step);
  for (int i = 1; i <= steps; i++) {
    double a = lo + step * i;
    double fa = neg_loglik(a, &d);
    if (fa < fbest) {
      best = a;
      fbest = fa;
    }
  }
  double a0 = best - step, a1 = best + step;
  if (a0 <= lo || a1 >= hi) return -1;
  /* GSL calls its error handler (which aborts) on a bad bracket: check it
     here instead.  On a flat grid the grid point is the answer. */
  if (!(fbest < neg_loglik(a0, &d) && fbest < neg_loglik(a1, &d))) {
    *alpha = best;
    return 0;
  }
  gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  if (!m) return -1;
  int rc = gsl_min_fminimizer_set(m, &f, best, a0, a1);
  for (int it = 0; rc == GSL_SUCCESS && it < 100; it++) {
    rc = gsl_min_fminimizer_iterate(m);
    if (rc) break;
    double l = gsl_min_fminimizer_x_lower(m), u = gsl_min_fminimizer_x_upper(m);
    if (gsl_min_test_interval(l, u, 1e-10, 0.0) == GSL_SUCCESS) break;
  }
  if (rc == GSL_SUCCESS) *alpha = gsl_min_fminimizer_x_minimum(m);
  gsl_min_fminimizer_free(m);
  return rc == GSL_SUCCESS ? 0 : -1;
}
