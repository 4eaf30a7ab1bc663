/* SPDX-License-Identifier: MIT */
/* Bands and paired differences (stats.h), on GSL. */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

int strife__stats_band(const double *x, size_t n, size_t stride,
                       struct strife__band *out) {
  double *v = malloc((n ? n : 1) * sizeof *v);
  if (!v) return STRIFE_ENOMEM;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i * stride])) v[m++] = x[i * stride];
  out->n = m;
  if (m == 0) {
    out->mean = out->lo = out->hi = (double)NAN;
  } else {
    gsl_sort(v, 1, m);
    out->mean = gsl_stats_mean(v, 1, m);
    out->lo = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.05);
    out->hi = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.95);
  }
  free(v);
  return STRIFE_OK;
}

int strife__stats_paired(const double *a, const double *b, size_t n,
                         size_t stride, int better, double level,
                         struct strife__paired *out) {
  double *d = malloc((n ? n : 1) * sizeof *d);
  if (!d) return STRIFE_ENOMEM;
  size_t m = 0;
  double wins = 0;
  for (size_t i = 0; i < n; i++) {
    double x = a[i * stride], y = b[i * stride];
    if (isnan(x) || isnan(y)) continue;
    d[m++] = x - y;
    double s = better > 0 ? x - y : y - x;
    wins += s > 0 ? 1.0 : s == 0 ? 0.5 : 0.0;
  }
  out->n = m;
  out->mean = m ? gsl_stats_mean(d, 1, m) : (double)NAN;
  out->lo = out->hi = (double)NAN;
  if (m >= 2) {
    double se = gsl_stats_sd(d, 1, m) / sqrt((double)m);
    double t = gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)(m - 1));
    out->lo = out->mean - t * se;
    out->hi = out->mean + t * se;
  }
  out->p_better = better && m ? wins / (double)m : (double)NAN;
  free(d);
  return STRIFE_OK;
}

int strife__stats_hinge(const double *a, const double *b, size_t n,
                        size_t stride, int better, const double *theta,
                        size_t k, double *lo, double *hi) {
  double *v = malloc((n ? n : 1) * sizeof *v);
  if (!v) return STRIFE_ENOMEM;
  for (size_t i = 0; i < k; i++) {
    size_t m = 0;
    for (size_t j = 0; j < n; j++)
      if (!isnan(a[j * stride]) && !isnan(b[j * stride]))
        v[m++] = theta[j * k + i];
    gsl_sort(v, 1, m);
    double med = m ? gsl_stats_median_from_sorted_data(v, 1, m) : (double)NAN;
    double win[2] = {0, 0}, cnt[2] = {0, 0};
    for (size_t j = 0; j < n && better; j++) {
      double x = a[j * stride], y = b[j * stride];
      if (isnan(x) || isnan(y)) continue;
      int half = theta[j * k + i] > med;
      double s = better > 0 ? x - y : y - x;
      win[half] += s > 0 ? 1.0 : s == 0 ? 0.5 : 0.0;
      cnt[half] += 1;
    }
    lo[i] = cnt[0] > 0 ? win[0] / cnt[0] : (double)NAN;
    hi[i] = cnt[1] > 0 ? win[1] / cnt[1] : (double)NAN;
  }
  free(v);
  return STRIFE_OK;
}

double strife__stats_crps(const double *x, size_t n, double y) {
  if (n == 0) return (double)NAN;
  /* sum_i sum_j |x_i - x_j| = 2 sum_i (2i - n - 1) x_(i), i from 1. */
  double to_y = 0, spread = 0;
  for (size_t i = 0; i < n; i++) {
    to_y += fabs(x[i] - y);
    spread += (2.0 * (double)(i + 1) - (double)n - 1.0) * x[i];
  }
  const double dn = (double)n;
  return to_y / dn - spread / (dn * dn);
}

double strife__stats_interval_score(double lo, double hi, double y,
                                    double alpha) {
  double s = hi - lo;
  if (y < lo) s += 2.0 / alpha * (lo - y);
  if (y > hi) s += 2.0 / alpha * (y - hi);
  return s;
}
