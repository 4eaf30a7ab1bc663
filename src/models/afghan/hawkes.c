/* SPDX-License-Identifier: MIT */
/* Hawkes attack counts and fatalities (hawkes.h). */
#include "hawkes.h"

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
