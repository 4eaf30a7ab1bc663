/* SPDX-License-Identifier: MIT */
/*
 * Sensitivity estimators against functions whose indices are known:
 * Sobol first and total indices (Saltelli's design, Jansen's estimators)
 * of the Ishigami function (a = 7, b = 0.1) and of a linear function, and
 * Morris's mu* and sigma of the linear function; the designs' shapes.
 */
#include <math.h>
#include <stdlib.h>

#include "experiment/sens.h"
#include "harness.h"

static const double pi = 3.14159265358979323846;

/* Ishigami on [-pi, pi]^3 from the unit cube. */
static double ishigami(const double *u) {
  double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1];
  double x3 = -pi + 2 * pi * u[2];
  return sin(x1) + 7.0 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

static const double lin_c[4] = {1, 2, 3, 0};
static double linear(const double *u) {
  double s = 0;
  for (int i = 0; i < 4; i++)
    s += lin_c[i] * u[i];
  return s;
}

/* Runs f over the Saltelli design of k inputs and n rows. */
static void sobol(double (*f)(const double *), size_t k, size_t n,
                  struct strife__index *s, struct strife__index *st) {
  double *x;
  CHECK_OK(strife__sens_saltelli(k, n, &x));
  double *y = malloc((k + 2) * n * sizeof *y);
  for (size_t p = 0; p < (k + 2) * n; p++)
    y[p] = f(x + p * k);
  /* A_B^i is A with column i from B. */
  int bad = 0;
  for (size_t i = 0; i < k; i++)
    for (size_t j = 0; j < n; j++)
      for (size_t d = 0; d < k; d++)
        bad += x[((2 + i) * n + j) * k + d] !=
               x[((d == i ? 1 : 0) * n + j) * k + d];
  CHECK_EQ(bad, 0);
  CHECK_OK(strife__sens_sobol(k, n, y, 300, 11, s, st));
  free(x);
  free(y);
}

static void test_ishigami(void) {
  /* Exact values (Ishigami and Homma 1990; Sobol' and Levitan 1999). */
  const double a = 7, b = 0.1, pi4 = pow(pi, 4), pi8 = pow(pi, 8);
  double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8;
  double v13 = 8 * b * b * pi8 / 225;
  const double s[3] = {v1 / v, v2 / v, 0};
  const double st[3] = {(v1 + v13) / v, v2 / v, v13 / v};
  CHECK_NEAR(s[0], 0.3139, 1e-4);
  CHECK_NEAR(st[2], 0.2437, 1e-4);
  struct strife__index fi[3], ti[3];
  sobol(ishigami, 3, 8192, fi, ti);
  int covered = 0;
  for (int i = 0; i < 3; i++) {
    CHECK_NEAR(fi[i].value, s[i], 0.02);
    CHECK_NEAR(ti[i].value, st[i], 0.02);
    covered += fi[i].lo <= s[i] && s[i] <= fi[i].hi;
    covered += ti[i].lo <= st[i] && st[i] <= ti[i].hi;
    CHECK(fi[i].hi - fi[i].lo < 0.1 && ti[i].hi - ti[i].lo < 0.1);
  }
  /* Six 95 % intervals: all but at most one hold the truth. */
  CHECK(covered >= 5);
}

static void test_linear_sobol(void) {
  /* Additive: S_i = ST_i = c_i^2 / sum c^2. */
  struct strife__index fi[4], ti[4];
  sobol(linear, 4, 4096, fi, ti);
  for (int i = 0; i < 4; i++) {
    double exact = lin_c[i] * lin_c[i] / 14.0;
    CHECK_NEAR(fi[i].value, exact, 0.01);
    CHECK_NEAR(ti[i].value, exact, 0.01);
  }
  CHECK_NEAR(ti[3].value, 0.0, 1e-12); /* an input that does nothing */
}

static void test_morris(void) {
  const size_t k = 4, r = 20;
  double *x;
  CHECK_OK(strife__sens_morris(k, r, 4, 3, &x));
  /* Each step changes one input by +-Delta = 2/3, inside [0, 1]. */
  int bad = 0;
  for (size_t t = 0; t < r; t++)
    for (size_t s = 1; s <= k; s++) {
      int changed = 0;
      for (size_t d = 0; d < k; d++) {
        double a = x[(t * (k + 1) + s - 1) * k + d];
        double b = x[(t * (k + 1) + s) * k + d];
        if (a != b) {
          changed++;
          bad += fabs(fabs(b - a) - 2.0 / 3.0) > 1e-12;
        }
        bad += b < 0 || b > 1;
      }
      bad += changed != 1;
    }
  CHECK_EQ(bad, 0);
  double y[20 * 5];
  for (size_t p = 0; p < r * (k + 1); p++)
    y[p] = linear(x + p * k);
  struct strife__index mu[4];
  double sigma[4];
  CHECK_OK(strife__sens_morris_effects(k, r, x, y, 200, 5, mu, sigma));
  /* A linear function's elementary effects are its coefficients. */
  for (size_t i = 0; i < k; i++) {
    CHECK_NEAR(mu[i].value, fabs(lin_c[i]), 1e-9);
    CHECK_NEAR(sigma[i], 0.0, 1e-9);
    CHECK_NEAR(mu[i].lo, fabs(lin_c[i]), 1e-9);
  }
  free(x);
  CHECK_EQ(strife__sens_morris(k, r, 3, 3, &x), STRIFE_EINVAL); /* p odd */
  CHECK_EQ(strife__sens_saltelli(21, 10, &x), STRIFE_EINVAL);
}

int main(void) {
  test_ishigami();
  test_linear_sobol();
  test_morris();
  return test_report("sens");
}
