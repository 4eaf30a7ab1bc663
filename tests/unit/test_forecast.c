/* SPDX-License-Identifier: MIT */
/*
 * Forecasts and their scores (src/experiment/forecast.h): the CRPS of a
 * normal, a lognormal and a Poisson forecast against closed forms and
 * hand-computed values, and against the integral of the cdf computed
 * piece by piece; a negative binomial tending to the Poisson; each naive
 * forecast's fit; the probability integral transform; the quantiles.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "experiment/forecast.h"
#include "harness.h"

/* The integral of (F(x) - step)^2 over [a, b] by the midpoint rule, the
   step 0 or 1 over the whole piece. */
static double piece(double (*cdf)(double x, const double *p), const double *p,
                    double a, double b, double step, int n) {
  double h = (b - a) / n, sum = 0;
  for (int i = 0; i < n; i++) {
    double d = cdf(a + (i + 0.5) * h, p) - step;
    sum += d * d * h;
  }
  return sum;
}

/* The CRPS as the integral of (F(x) - 1{x >= y})^2 over [lo, hi], split
   at y so that each piece is smooth. */
static double crps_numeric(double (*cdf)(double x, const double *p),
                           const double *p, double y, double lo, double hi,
                           int n) {
  if (y <= lo) return (lo - y) + piece(cdf, p, lo, hi, 1, n);
  return piece(cdf, p, lo, y, 0, n) + piece(cdf, p, y, hi, 1, n);
}

static double normal_cdf(double x, const double *p) {
  return gsl_cdf_gaussian_P(x - p[0], p[1]);
}

static double lognormal_cdf(double x, const double *p) {
  return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, p[0], p[1]);
}

static void test_normal(void) {
  /* At its mean: sigma (2 phi(0) - 1/sqrt(pi)) = 0.2336949772 sigma. */
  CHECK_NEAR(strife__crps_normal(3, 2, 3), 2 * 0.23369497725510913, 1e-12);
  /* Far away it tends to |y - mu| - sigma / sqrt(pi). */
  CHECK_NEAR(strife__crps_normal(0, 1, 40), 40 - 1 / sqrt(M_PI), 1e-9);
  /* A point forecast: the absolute error. */
  CHECK_NEAR(strife__crps_normal(5, 0, 2), 3, 1e-15);
  const double p[2] = {1.5, 0.7};
  CHECK_NEAR(strife__crps_normal(1.5, 0.7, 2.4),
             crps_numeric(normal_cdf, p, 2.4, -10, 12, 200000), 1e-6);
}

static void test_lognormal(void) {
  const double p[2] = {1.2, 0.5};
  const double ys[] = {0.5, 3.3, 8, 30, -1};
  for (int i = 0; i < 5; i++)
    CHECK_NEAR(strife__crps_lognormal(p[0], p[1], ys[i]),
               crps_numeric(lognormal_cdf, p, ys[i], -1, 200, 400000), 1e-5);
  CHECK_NEAR(strife__crps_lognormal(log(4), 0, 1), 3, 1e-12);
}

struct pois {
  double lambda;
};
static double pois_cdf(double k, void *ud) {
  return gsl_cdf_poisson_P((unsigned)k, ((struct pois *)ud)->lambda);
}

static void test_poisson(void) {
  /* By hand, lambda = 1, y = 0: F(x) = e^-1 on [0, 1), (1 - F)^2 beyond:
     sum over k of (1 - F(k))^2 = 0.39958 + 0.06770 + 0.00643 + ... */
  double by_hand = 0;
  for (unsigned k = 0; k < 40; k++) {
    double q = 1 - gsl_cdf_poisson_P(k, 1);
    by_hand += q * q;
  }
  CHECK_NEAR(strife__crps_poisson(1, 0), by_hand, 1e-12);
  /* The closed form against the sum, over lambdas and counts. */
  const double lambdas[] = {0.3, 1, 4.5, 20, 80};
  for (int i = 0; i < 5; i++) {
    struct pois p = {lambdas[i]};
    for (int k = 0; k <= 3 * lambdas[i] + 5; k += 1 + k / 7)
      CHECK_NEAR(strife__crps_poisson(p.lambda, k),
                 strife__crps_counts(pois_cdf, &p, k), 1e-9);
  }
  /* A count between the steps, and a Poisson of mean 0. */
  struct pois p = {2};
  CHECK(strife__crps_counts(pois_cdf, &p, 2.5) > 0);
  CHECK_NEAR(strife__crps_poisson(0, 3), 3, 1e-15);
}

static void test_negbin(void) {
  /* A negative binomial of huge size is the Poisson of its mean. */
  struct strife__fdist nb = {STRIFE__NAIVE_PERSISTENCE, 6, 1e9, 0, 0, NULL, 0};
  struct strife__fdist po = {
      STRIFE__NAIVE_PERSISTENCE, 6, (double)INFINITY, 0, 0, NULL, 0};
  for (int y = 0; y < 20; y += 3)
    CHECK_NEAR(strife__fdist_crps(&nb, y), strife__fdist_crps(&po, y), 1e-6);
  /* Wider than the Poisson: a worse score far from the mean, at the mean
     a larger spread term as well. */
  struct strife__fdist wide = {STRIFE__NAIVE_PERSISTENCE, 6, 2, 0, 0, NULL, 0};
  CHECK(strife__fdist_crps(&wide, 6) > strife__fdist_crps(&po, 6));
  CHECK(strife__fdist_crps(&wide, 40) < strife__fdist_crps(&po, 40));
  /* Quantiles and the middle of the jump. */
  CHECK_NEAR(strife__fdist_quantile(&po, 0.5), 6, 0);
  CHECK_NEAR(strife__fdist_pit(&po, 6),
             (gsl_cdf_poisson_P(5, 6) + gsl_cdf_poisson_P(6, 6)) / 2, 1e-15);
}

static void test_fits(void) {
  /* Persistence: the last value; Poisson when the changes are narrow. */
  const double t[6] = {0, 1, 2, 3, 4, 5};
  const double flat[6] = {10, 11, 10, 9, 10, 12};
  struct strife__naive f;
  strife__naive_fit(STRIFE__NAIVE_PERSISTENCE, t, flat, 6, &f);
  CHECK(f.ok && f.mu == 12 && isinf(f.size));
  /* ... a negative binomial when they are wide: sum of (d^2 - y) over sum
     of y^2 = 1 / size. */
  const double wild[4] = {10, 40, 5, 30};
  strife__naive_fit(STRIFE__NAIVE_PERSISTENCE, t, wild, 4, &f);
  double num = (900 - 10) + (1225 - 40) + (625 - 5), den = 100 + 1600 + 25;
  CHECK_NEAR(f.size, den / num, 1e-12);
  CHECK_NEAR(f.mu, 30, 0);
  /* A month missing is no change. */
  const double tgap[3] = {0, 1, 5}, ygap[3] = {10, 11, 90};
  strife__naive_fit(STRIFE__NAIVE_PERSISTENCE, tgap, ygap, 3, &f);
  CHECK(isinf(f.size));
  /* Conflictology: the last 12 values, sorted. */
  double t20[20], y20[20];
  for (int i = 0; i < 20; i++) {
    t20[i] = i;
    y20[i] = 100 - i;
  }
  strife__naive_fit(STRIFE__NAIVE_CONFLICTOLOGY, t20, y20, 20, &f);
  CHECK(f.ok && f.n_sample == 12 && f.sample[0] == 81 && f.sample[11] == 92);
  struct strife__fdist d = strife__naive_at(&f, 7);
  CHECK_NEAR(strife__fdist_quantile(&d, 0.5), 86.5, 1e-12);
  CHECK_NEAR(strife__fdist_pit(&d, 85), 4.5 / 12, 1e-15);
  /* Trend: an exact exponential is recovered, its spread tiny. */
  double ye[10], te[10];
  for (int i = 0; i < 10; i++) {
    te[i] = i;
    ye[i] = exp(2 + 0.1 * i + (i % 2 ? 0.01 : -0.01)) - 1;
  }
  strife__naive_fit(STRIFE__NAIVE_TREND, te, ye, 10, &f);
  CHECK(f.ok);
  CHECK_NEAR(f.b, 0.1, 2e-3);
  d = strife__naive_at(&f, 3);
  CHECK_NEAR(strife__fdist_quantile(&d, 0.5), exp(2 + 0.1 * 12) - 1, 0.5);
  CHECK(d.scale > 0 && d.scale < 0.05);
  /* Its spread grows with the horizon. */
  struct strife__fdist far = strife__naive_at(&f, 24);
  CHECK(far.scale > d.scale);
  /* Too few months: no trend. */
  strife__naive_fit(STRIFE__NAIVE_TREND, te, ye, 2, &f);
  CHECK(!f.ok);
}

int main(void) {
  test_normal();
  test_lognormal();
  test_poisson();
  test_negbin();
  test_fits();
  return test_report("forecast");
}
