/* SPDX-License-Identifier: MIT */
/*
 * The comparison's statistics: bands and paired differences against hand
 * values, NaN left out, strides, and the 90 % interval's coverage over
 * many samples of known mean; the CRPS of an ensemble against hand values
 * and the closed form of a normal forecast, and the interval score.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "experiment/stats.h"
#include "harness.h"

static void test_band(void) {
  double x[200];
  /* 1..100 interleaved with junk: stride 2. */
  for (int i = 0; i < 100; i++) {
    x[2 * i] = 100 - i;
    x[2 * i + 1] = -1e9;
  }
  struct strife__band b;
  CHECK_OK(strife__stats_band(x, 100, 2, &b));
  CHECK_EQ(b.n, 100);
  CHECK_NEAR(b.mean, 50.5, 1e-12);
  /* GSL's quantile: x[(n-1)p] interpolated. */
  CHECK_NEAR(b.lo, 5.95, 1e-12);
  CHECK_NEAR(b.hi, 95.05, 1e-12);
  x[0] = (double)NAN; /* the 100 */
  CHECK_OK(strife__stats_band(x, 100, 2, &b));
  CHECK_EQ(b.n, 99);
  CHECK_NEAR(b.mean, 50.0, 1e-12); /* 1..99 */
  double none[2] = {(double)NAN, (double)NAN};
  CHECK_OK(strife__stats_band(none, 2, 1, &b));
  CHECK_EQ(b.n, 0);
  CHECK(isnan(b.mean));
}

static void test_paired(void) {
  const double a[5] = {3, 5, 7, 9, 11}, b[5] = {1, 2, 3, 4, 5};
  struct strife__paired p;
  /* d = 2..6: mean 4, sd sqrt(2.5), t(0.95, 4) = 2.131847. */
  CHECK_OK(strife__stats_paired(a, b, 5, 1, -1, 0.90, &p));
  CHECK_EQ(p.n, 5);
  CHECK_NEAR(p.mean, 4.0, 1e-12);
  double half = 2.131846786 * sqrt(2.5) / sqrt(5.0);
  CHECK_NEAR(p.lo, 4.0 - half, 1e-8);
  CHECK_NEAR(p.hi, 4.0 + half, 1e-8);
  CHECK_NEAR(p.p_better, 0.0, 0); /* less is better: a never is */
  CHECK_OK(strife__stats_paired(a, b, 5, 1, 1, 0.90, &p));
  CHECK_NEAR(p.p_better, 1.0, 0);
  CHECK_OK(strife__stats_paired(a, b, 5, 1, 0, 0.90, &p));
  CHECK(isnan(p.p_better));
  /* Ties count half; a NaN drops its pair. */
  const double c[3] = {1, 2, (double)NAN}, e[3] = {1, 3, 0};
  CHECK_OK(strife__stats_paired(c, e, 3, 1, 1, 0.90, &p));
  CHECK_EQ(p.n, 2);
  CHECK_NEAR(p.p_better, 0.25, 1e-15);
  /* One pair: no interval. */
  CHECK_OK(strife__stats_paired(c, e, 1, 1, 1, 0.90, &p));
  CHECK(isnan(p.lo) && isnan(p.hi));
}

/* Pairs (x, x - 1.5 + noise), 10 a sample, 4000 samples: the 90 %
   interval holds the true difference 1.5 in 90 % of them.  The standard
   error of the share is 0.0047; the test allows 0.02. */
static void test_coverage(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 7);
  const int samples = 4000, n = 10;
  int covered = 0;
  double a[10], b[10];
  for (int s = 0; s < samples; s++) {
    for (int i = 0; i < n; i++) {
      a[i] = 100 + 20 * gsl_ran_gaussian(r, 1.0);
      b[i] = a[i] - 1.5 + gsl_ran_gaussian(r, 2.0);
    }
    struct strife__paired p;
    CHECK_OK(strife__stats_paired(a, b, (size_t)n, 1, 1, 0.90, &p));
    covered += p.lo <= 1.5 && 1.5 <= p.hi;
  }
  gsl_rng_free(r);
  CHECK_NEAR((double)covered / samples, 0.90, 0.02);
}

/* The CRPS of an ensemble: hand-computed cases, and a normal forecast
   (its quantiles as the ensemble) against the closed form of Gneiting
   and Raftery (2007): sd (z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)). */
static void test_crps(void) {
  /* {1, 2, 4} against 3: E|X - 3| = 4/3; E|X - X'| = 12/9; 4/3 - 2/3. */
  const double x[] = {1, 2, 4};
  CHECK_NEAR(strife__stats_crps(x, 3, 3.0), 2.0 / 3.0, 1e-12);
  /* Against 0, below them all: E|X| = 7/3, less 2/3. */
  CHECK_NEAR(strife__stats_crps(x, 3, 0.0), 7.0 / 3.0 - 2.0 / 3.0, 1e-12);
  /* One member: the absolute error. */
  const double one = 5.5;
  CHECK_NEAR(strife__stats_crps(&one, 1, 2.0), 3.5, 1e-12);
  /* Every member equal to the outcome: 0. */
  const double same[] = {7, 7, 7, 7};
  CHECK_NEAR(strife__stats_crps(same, 4, 7.0), 0.0, 1e-12);
  CHECK(isnan(strife__stats_crps(x, 0, 1.0)));
  enum { N = 20000 };
  static double q[N];
  const double mu = 10, sd = 3;
  for (int i = 0; i < N; i++)
    q[i] = mu + sd * gsl_cdf_ugaussian_Pinv((i + 0.5) / N);
  const double ys[] = {10, 12.5, 1, 19};
  for (int k = 0; k < 4; k++) {
    double z = (ys[k] - mu) / sd;
    double exact = sd * (z * (2 * gsl_cdf_ugaussian_P(z) - 1) +
                         2 * gsl_ran_ugaussian_pdf(z) - M_2_SQRTPI / 2);
    CHECK_NEAR(strife__stats_crps(q, N, ys[k]), exact, 2e-3);
  }
}

static void test_interval_score(void) {
  CHECK_NEAR(strife__stats_interval_score(2, 6, 4, 0.1), 4.0, 1e-12);
  /* 1 below: width 4 plus 20 per unit. */
  CHECK_NEAR(strife__stats_interval_score(2, 6, 1, 0.1), 24.0, 1e-12);
  CHECK_NEAR(strife__stats_interval_score(2, 6, 6.5, 0.1), 14.0, 1e-12);
}

/* What a comparison hinges on: the share of wins in each half of a
   parameter's draws. */
static void test_hinge(void) {
  const double a[4] = {1, 1, -1, -1}, b[4] = {0, 0, 0, 0};
  /* theta[pair][param]: param 0 orders the wins, param 1 mixes them. */
  const double theta[8] = {1, 1, 2, 3, 3, 2, 4, 4};
  double lo[2], hi[2];
  CHECK_OK(strife__stats_hinge(a, b, 4, 1, 1, theta, 2, lo, hi));
  CHECK_NEAR(lo[0], 1.0, 1e-15);
  CHECK_NEAR(hi[0], 0.0, 1e-15);
  CHECK_NEAR(lo[1], 0.5, 1e-15);
  CHECK_NEAR(hi[1], 0.5, 1e-15);
  /* Less is better: the halves swap. */
  CHECK_OK(strife__stats_hinge(a, b, 4, 1, -1, theta, 2, lo, hi));
  CHECK_NEAR(lo[0], 0.0, 1e-15);
  CHECK_NEAR(hi[0], 1.0, 1e-15);
  /* A pair with NaN is left out. */
  const double an[4] = {1, (double)NAN, -1, -1};
  CHECK_OK(strife__stats_hinge(an, b, 4, 1, 1, theta, 2, lo, hi));
  /* Pairs 0, 2, 3 left, theta 1, 3, 4, median 3: a win and a loss at or
     below it, a loss above. */
  CHECK_NEAR(lo[0], 0.5, 1e-15);
  CHECK_NEAR(hi[0], 0.0, 1e-15);
  /* Neither better: NaN. */
  CHECK_OK(strife__stats_hinge(a, b, 4, 1, 0, theta, 2, lo, hi));
  CHECK(isnan(lo[0]) && isnan(hi[0]));
}

int main(void) {
  test_hinge();
  test_crps();
  test_interval_score();
  test_band();
  test_paired();
  test_coverage();
  return test_report("stats");
}
