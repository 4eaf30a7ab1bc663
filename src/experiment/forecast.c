/* SPDX-License-Identifier: MIT */
/* Naive forecasts and the CRPS (forecast.h). */
#include "forecast.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "stats.h"

/* ---- Closed forms ---- */

double strife__crps_normal(double mu, double sigma, double y) {
  if (!(sigma > 0)) return fabs(y - mu);
  double z = (y - mu) / sigma;
  return sigma * (z * (2 * gsl_cdf_ugaussian_P(z) - 1) +
                  2 * gsl_ran_ugaussian_pdf(z) - 1 / sqrt(M_PI));
}

double strife__crps_lognormal(double mu, double sigma, double y) {
  if (!(sigma > 0)) return fabs(exp(mu) - y);
  double mean = exp(mu + sigma * sigma / 2);
  /* E|X - X'| / 2 */
  double half = mean * (2 * gsl_cdf_ugaussian_P(sigma / M_SQRT2) - 1);
  if (y <= 0) return mean - y - half;
  double z = (log(y) - mu) / sigma;
  return y * (2 * gsl_cdf_ugaussian_P(z) - 1) -
         2 * mean *
             (gsl_cdf_ugaussian_P(z - sigma) +
              gsl_cdf_ugaussian_P(sigma / M_SQRT2) - 1);
}

double strife__crps_poisson(double lambda, double y) {
  if (!(lambda > 0)) return fabs(y);
  if (y < 0) return lambda - y; /* every outcome lies above y */
  unsigned k = (unsigned)y;
  double F = gsl_cdf_poisson_P(k, lambda), f = gsl_ran_poisson_pdf(k, lambda);
  /* exp(-2 lambda) (I0(2 lambda) + I1(2 lambda)), scaled to stay finite */
  double bessel =
      gsl_sf_bessel_I0_scaled(2 * lambda) + gsl_sf_bessel_I1_scaled(2 * lambda);
  return (y - lambda) * (2 * F - 1) + 2 * lambda * f - lambda * bessel;
}

double strife__crps_counts(double (*cdf)(double k, void *ud), void *ud,
                           double y) {
  double total = y < 0 ? -y : 0; /* F = 0 below 0 */
  for (long i = 0; i < 100000000L; i++) {
    double k = (double)i, F = cdf(k, ud);
    /* On [k, k + 1): F(k); the part below y against 0, the rest
       against 1. */
    double below = y - k < 0 ? 0 : y - k > 1 ? 1 : y - k;
    total += F * F * below + (1 - F) * (1 - F) * (1 - below);
    if (k >= y && 1 - F < 1e-13) break;
  }
  return total;
}

/* ---- Persistence's distributions ---- */

static double count_cdf(const struct strife__fdist *d, double y) {
  if (y < 0) return 0;
  if (!(d->mu > 0)) return 1;
  unsigned k = (unsigned)floor(y);
  if (isinf(d->size)) return gsl_cdf_poisson_P(k, d->mu);
  return gsl_cdf_negative_binomial_P(k, d->size / (d->size + d->mu), d->size);
}

static double count_cdf_cb(double k, void *ud) {
  return count_cdf(ud, k);
}

/* ---- A distribution ---- */

double strife__fdist_cdf(const struct strife__fdist *d, double y) {
  switch (d->kind) {
  case STRIFE__NAIVE_PERSISTENCE:
    return count_cdf(d, y);
  case STRIFE__NAIVE_TREND:
    if (y <= -1) return 0;
    if (!(d->scale > 0)) return exp(d->loc) - 1 <= y ? 1 : 0;
    return gsl_cdf_ugaussian_P((log(y + 1) - d->loc) / d->scale);
  default: {
    size_t below = 0;
    while (below < d->n && d->x[below] <= y)
      below++;
    return d->n ? (double)below / (double)d->n : (double)NAN;
  }
  }
}

double strife__fdist_crps(const struct strife__fdist *d, double y) {
  switch (d->kind) {
  case STRIFE__NAIVE_PERSISTENCE:
    if (isinf(d->size) && y >= 0 && y == floor(y))
      return strife__crps_poisson(d->mu, y);
    {
      struct strife__fdist copy = *d;
      return strife__crps_counts(count_cdf_cb, &copy, y);
    }
  case STRIFE__NAIVE_TREND:
    return strife__crps_lognormal(d->loc, d->scale, y + 1);
  default:
    return strife__stats_crps(d->x, d->n, y);
  }
}

double strife__fdist_quantile(const struct strife__fdist *d, double p) {
  switch (d->kind) {
  case STRIFE__NAIVE_PERSISTENCE: {
    double k = 0;
    while (count_cdf(d, k) < p && k < 1e8)
      k++;
    return k;
  }
  case STRIFE__NAIVE_TREND:
    return exp(d->loc + d->scale * gsl_cdf_ugaussian_Pinv(p)) - 1;
  default:
    return d->n ? gsl_stats_quantile_from_sorted_data(d->x, 1, d->n, p)
                : (double)NAN;
  }
}

double strife__fdist_pit(const struct strife__fdist *d, double y) {
  switch (d->kind) {
  case STRIFE__NAIVE_PERSISTENCE:
    if (y == floor(y)) return (count_cdf(d, y - 1) + count_cdf(d, y)) / 2;
    return count_cdf(d, y);
  case STRIFE__NAIVE_TREND:
    return strife__fdist_cdf(d, y);
  default: {
    size_t below = 0, at = 0;
    for (size_t i = 0; i < d->n; i++) {
      below += d->x[i] < y;
      at += d->x[i] == y;
    }
    return d->n ? ((double)below + 0.5 * (double)at) / (double)d->n
                : (double)NAN;
  }
  }
}

/* ---- The naive forecasts ---- */

/* The last value; the spread from the month-to-month changes: var(y_t |
   y_{t-1}) = y_{t-1} + y_{t-1}^2 / size, by moments; Poisson when the
   changes are no wider than that. */
static void fit_persistence(const double *t, const double *y, size_t n,
                            struct strife__naive *f) {
  f->mu = y[n - 1];
  double num = 0, den = 0;
  for (size_t i = 1; i < n; i++) {
    if (t[i] != t[i - 1] + 1) continue;
    double d = y[i] - y[i - 1];
    num += d * d - y[i - 1];
    den += y[i - 1] * y[i - 1];
  }
  f->size = den > 0 && num > 0 ? den / num : (double)INFINITY;
  f->ok = 1;
}

static void fit_trend(const double *t, const double *y, size_t n,
                      struct strife__naive *f) {
  double tm = 0, lm = 0;
  for (size_t i = 0; i < n; i++) {
    tm += t[i];
    lm += log(y[i] + 1);
  }
  tm /= (double)n;
  lm /= (double)n;
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; i++) {
    sxx += (t[i] - tm) * (t[i] - tm);
    sxy += (t[i] - tm) * (log(y[i] + 1) - lm);
  }
  if (n < 3 || !(sxx > 0)) return;
  f->b = sxy / sxx;
  f->a = lm - f->b * tm;
  double rss = 0;
  for (size_t i = 0; i < n; i++) {
    double e = log(y[i] + 1) - f->a - f->b * t[i];
    rss += e * e;
  }
  f->s = sqrt(rss / (double)(n - 2));
  f->t_mean = tm;
  f->sxx = sxx;
  f->ok = 1;
}

void strife__naive_fit(int kind, const double *t, const double *y, size_t n,
                       struct strife__naive *f) {
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->n = n;
  if (n == 0) return;
  f->t_last = t[n - 1];
  if (kind == STRIFE__NAIVE_PERSISTENCE) {
    fit_persistence(t, y, n, f);
  } else if (kind == STRIFE__NAIVE_TREND) {
    fit_trend(t, y, n, f);
  } else {
    f->n_sample = n < 12 ? n : 12;
    memcpy(f->sample, y + n - f->n_sample, f->n_sample * sizeof *y);
    gsl_sort(f->sample, 1, f->n_sample);
    f->ok = 1;
  }
}

struct strife__fdist strife__naive_at(const struct strife__naive *f, double h) {
  struct strife__fdist d = {f->kind, f->mu, f->size, 0, 0, NULL, 0};
  if (f->kind == STRIFE__NAIVE_TREND) {
    double t = f->t_last + h, n = (double)f->n;
    d.loc = f->a + f->b * t;
    d.scale =
        f->s * sqrt(1 + 1 / n + (t - f->t_mean) * (t - f->t_mean) / f->sxx);
  } else if (f->kind == STRIFE__NAIVE_CONFLICTOLOGY) {
    d.x = f->sample;
    d.n = f->n_sample;
  }
  return d;
}
