/* SPDX-License-Identifier: MIT */
/*
 * Forecasts of a monthly count series and their scores (docs/score.md,
 * "Forecast skill"): the naive forecasts a structural model is measured
 * against, each a distribution fitted to the months of the fit window
 * only, and the continuous ranked probability score (CRPS) in closed
 * form or exactly.
 */
#ifndef STRIFE_EXP_FORECAST_H
#define STRIFE_EXP_FORECAST_H

#include <stddef.h>

#include "core/core.h"

enum {
  STRIFE__NAIVE_PERSISTENCE,   /* the last value, Poisson or NB spread */
  STRIFE__NAIVE_CONFLICTOLOGY, /* the last 12 values, as they were */
  STRIFE__NAIVE_TREND,         /* log-linear in time, lognormal */
  STRIFE__NAIVE_KINDS
};

/* A naive forecast, fitted. */
struct strife__naive {
  int kind;
  int ok;      /* 0: too few months to fit it */
  double mu;   /* persistence: the mean, the last value */
  double size; /* persistence: the negative binomial's size; INFINITY for
                  Poisson */
  double a, b, s, t_mean, sxx; /* trend: log(y + 1) = a + b t + N(0, s^2),
                                  t in months from the first */
  double t_last;               /* trend: the last month fitted */
  size_t n;                    /* months fitted */
  double sample[12];           /* conflictology: sorted */
  size_t n_sample;
};

/* A forecast distribution at one month. */
struct strife__fdist {
  int kind;          /* a STRIFE__NAIVE_* or -1: a sample */
  double mu, size;   /* persistence */
  double loc, scale; /* trend: log(X + 1) ~ N(loc, scale^2) */
  const double *x;   /* a sample (sorted), conflictology's or a model's */
  size_t n;
};

/* Fits forecast 'kind' to the 'n' values y[i] at months t[i] (months
   counted from any origin, increasing; a month may be missing). */
STRIFE__FUNC void strife__naive_fit(int kind, const double *t, const double *y,
                                    size_t n, struct strife__naive *out);
/* Its distribution 'h' months after the last month fitted. */
STRIFE__FUNC struct strife__fdist
strife__naive_at(const struct strife__naive *f, double h);

/* Of a distribution: CRPS at y, P(X <= y), the p-quantile, and the
   probability integral transform at y (for a count, the middle of the
   jump: P(X < y) + P(X = y) / 2). */
STRIFE__FUNC double strife__fdist_crps(const struct strife__fdist *d, double y);
STRIFE__FUNC double strife__fdist_cdf(const struct strife__fdist *d, double y);
STRIFE__FUNC double strife__fdist_quantile(const struct strife__fdist *d,
                                           double p);
STRIFE__FUNC double strife__fdist_pit(const struct strife__fdist *d, double y);

/* Closed forms.  Poisson (Wei and Held 2014), y a count; normal and
   lognormal (Gneiting et al. 2005; Baran and Lerch 2015). */
STRIFE__FUNC double strife__crps_poisson(double lambda, double y);
STRIFE__FUNC double strife__crps_normal(double mu, double sigma, double y);
STRIFE__FUNC double strife__crps_lognormal(double mu, double sigma, double y);
/* Of a distribution on 0, 1, 2, ... given by its cdf: the integral of
   (F(x) - 1{x >= y})^2 piece by piece, until F is within 1e-13 of 1. */
STRIFE__FUNC double strife__crps_counts(double (*cdf)(double k, void *ud),
                                        void *ud, double y);

#endif
