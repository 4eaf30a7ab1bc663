/* SPDX-License-Identifier: MIT */
/* Sobol and Morris designs and estimators (sens.h). */
#include "sens.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rand.h"

int strife__sens_saltelli(size_t k, size_t n, double **x) {
  if (k < 1 || k > STRIFE__SENS_MAX_K || n < 1) return STRIFE_EINVAL;
  double *m = malloc((k + 2) * n * k * sizeof *m);
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
  if (!m || !q) {
    free(m);
    if (q) gsl_qrng_free(q);
    return STRIFE_ENOMEM;
  }
  double p[2 * STRIFE__SENS_MAX_K];
  gsl_qrng_get(q, p); /* the first point is the origin: skipped */
  for (size_t j = 0; j < n; j++) {
    gsl_qrng_get(q, p);
    double *a = m + j * k, *b = m + (n + j) * k;
    memcpy(a, p, k * sizeof *p);
    memcpy(b, p + k, k * sizeof *p);
    for (size_t i = 0; i < k; i++) {
      double *ab = m + ((2 + i) * n + j) * k;
      memcpy(ab, a, k * sizeof *p);
      ab[i] = b[i];
    }
  }
  gsl_qrng_free(q);
  *x = m;
  return STRIFE_OK;
}

/* The indices of input i over the rows rows[0..n) (with repeats). */
static void jansen(size_t k, size_t n, const double *y, const size_t *rows,
                   size_t i, double *s, double *st) {
  const double *fa = y, *fb = y + n, *fab = y + (2 + i) * n;
  double sum = 0, sum2 = 0, db = 0, da = 0;
  for (size_t r = 0; r < n; r++) {
    size_t j = rows[r];
    sum += fa[j] + fb[j];
    sum2 += fa[j] * fa[j] + fb[j] * fb[j];
    db += (fb[j] - fab[j]) * (fb[j] - fab[j]);
    da += (fa[j] - fab[j]) * (fa[j] - fab[j]);
  }
  double mean = sum / (2.0 * (double)n);
  double v = sum2 / (2.0 * (double)n) - mean * mean;
  (void)k;
  if (v <= 0) {
    *s = *st = (double)NAN;
    return;
  }
  *s = (v - db / (2.0 * (double)n)) / v;
  *st = da / (2.0 * (double)n) / v;
}

/* The 2.5 % and 97.5 % quantiles of b values (sorted in place). */
static void percentile(double *v, size_t b, double *lo, double *hi) {
  gsl_sort(v, 1, b);
  *lo = gsl_stats_quantile_from_sorted_data(v, 1, b, 0.025);
  *hi = gsl_stats_quantile_from_sorted_data(v, 1, b, 0.975);
}

int strife__sens_sobol(size_t k, size_t n, const double *y, size_t boot,
                       uint64_t seed, struct strife__index *first,
                       struct strife__index *total) {
  size_t *rows = malloc(n * sizeof *rows);
  double *bs = malloc((boot ? boot : 1) * k * 2 * sizeof *bs);
  if (!rows || !bs) {
    free(rows);
    free(bs);
    return STRIFE_ENOMEM;
  }
  for (size_t j = 0; j < n; j++)
    rows[j] = j;
  for (size_t i = 0; i < k; i++) {
    jansen(k, n, y, rows, i, &first[i].value, &total[i].value);
    first[i].lo = first[i].hi = total[i].lo = total[i].hi = (double)NAN;
  }
  for (size_t b = 0; b < boot; b++) {
    struct strife__rstream rs;
    strife__rstream_init(&rs, seed, (uint32_t)b, 0, STRIFE__STREAM_DESIGN);
    for (size_t j = 0; j < n; j++)
      rows[j] = strife__rstream_below(&rs, (uint32_t)n);
    for (size_t i = 0; i < k; i++)
      jansen(k, n, y, rows, i, &bs[(2 * i) * boot + b],
             &bs[(2 * i + 1) * boot + b]);
  }
  for (size_t i = 0; i < k && boot >= 2; i++) {
    percentile(bs + 2 * i * boot, boot, &first[i].lo, &first[i].hi);
    percentile(bs + (2 * i + 1) * boot, boot, &total[i].lo, &total[i].hi);
  }
  free(rows);
  free(bs);
  return STRIFE_OK;
}

/* The step of a p-level grid: Delta = p / (2 (p - 1)). */
static double delta_of(unsigned p) {
  return p / (2.0 * (p - 1));
}

int strife__sens_morris(size_t k, size_t r, unsigned p, uint64_t seed,
                        double **x) {
  if (k < 1 || r < 1 || p < 2 || p % 2) return STRIFE_EINVAL;
  double *m = malloc(r * (k + 1) * k * sizeof *m);
  size_t *perm = malloc(k * sizeof *perm);
  if (!m || !perm) {
    free(m);
    free(perm);
    return STRIFE_ENOMEM;
  }
  const double delta = delta_of(p);
  for (size_t t = 0; t < r; t++) {
    struct strife__rstream rs;
    strife__rstream_init(&rs, seed, (uint32_t)t, 1, STRIFE__STREAM_DESIGN);
    double *pt = m + t * (k + 1) * k;
    /* A base point on the grid; each input goes up by Delta if it can,
       else down. */
    for (size_t d = 0; d < k; d++) {
      pt[d] = strife__rstream_below(&rs, p) / (double)(p - 1);
      perm[d] = d;
    }
    for (size_t d = k; d > 1; d--) { /* Fisher-Yates */
      size_t e = strife__rstream_below(&rs, (uint32_t)d);
      size_t tmp = perm[d - 1];
      perm[d - 1] = perm[e];
      perm[e] = tmp;
    }
    for (size_t s = 1; s <= k; s++) {
      double *cur = pt + s * k;
      memcpy(cur, cur - k, k * sizeof *cur);
      size_t d = perm[s - 1];
      cur[d] += cur[d] + delta <= 1.0 + 1e-12 ? delta : -delta;
    }
  }
  free(perm);
  *x = m;
  return STRIFE_OK;
}

/* mu* of input i over trajectories tr[0..r), and sigma when wanted. */
static void effects(size_t k, size_t r, const double *x, const double *y,
                    const size_t *tr, size_t i, double *mu_star,
                    double *sigma) {
  double sum_abs = 0, sum = 0, sum2 = 0;
  for (size_t q = 0; q < r; q++) {
    size_t t = tr[q];
    const double *pt = x + t * (k + 1) * k;
    const double *yt = y + t * (k + 1);
    for (size_t s = 1; s <= k; s++) {
      double step = pt[s * k + i] - pt[(s - 1) * k + i];
      if (step == 0) continue;
      double ee = (yt[s] - yt[s - 1]) / step;
      sum_abs += fabs(ee);
      sum += ee;
      sum2 += ee * ee;
    }
  }
  *mu_star = sum_abs / (double)r;
  if (sigma) {
    double mean = sum / (double)r;
    double var =
        r > 1 ? (sum2 - (double)r * mean * mean) / (double)(r - 1) : 0.0;
    *sigma = sqrt(var > 0 ? var : 0.0);
  }
}

int strife__sens_morris_effects(size_t k, size_t r, const double *x,
                                const double *y, size_t boot, uint64_t seed,
                                struct strife__index *mu_star, double *sigma) {
  size_t *tr = malloc(r * sizeof *tr);
  double *bs = malloc((boot ? boot : 1) * sizeof *bs);
  if (!tr || !bs) {
    free(tr);
    free(bs);
    return STRIFE_ENOMEM;
  }
  for (size_t i = 0; i < k; i++) {
    for (size_t t = 0; t < r; t++)
      tr[t] = t;
    effects(k, r, x, y, tr, i, &mu_star[i].value, &sigma[i]);
    mu_star[i].lo = mu_star[i].hi = (double)NAN;
    for (size_t b = 0; b < boot; b++) {
      struct strife__rstream rs;
      strife__rstream_init(&rs, seed, (uint32_t)b, 2, STRIFE__STREAM_DESIGN);
      for (size_t t = 0; t < r; t++)
        tr[t] = strife__rstream_below(&rs, (uint32_t)r);
      effects(k, r, x, y, tr, i, &bs[b], NULL);
    }
    if (boot >= 2) percentile(bs, boot, &mu_star[i].lo, &mu_star[i].hi);
  }
  free(tr);
  free(bs);
  return STRIFE_OK;
}
