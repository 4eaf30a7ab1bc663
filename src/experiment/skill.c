/* SPDX-License-Identifier: MIT */
/* Forecast skill (skill.h). */
#include "skill.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

static const char *const who_name[STRIFE__SKILL_WHO] = {
    "persistence", "conflictology", "trend", "model"};

const char *strife__skill_who(int who) {
  return who >= 0 && who < STRIFE__SKILL_WHO ? who_name[who] : "?";
}

/* A figure of a whole month or quarter: its first month (counted from
   year 0) and its length in months. */
static int month_span(const strife_observation *ob, int64_t *m0, int *span) {
  int y, m, d, y2, m2, d2, y3, m3, d3;
  strife__date_ymd(ob->start, &y, &m, &d);
  strife__date_ymd(ob->end, &y2, &m2, &d2);
  strife__date_ymd(ob->end + 1, &y3, &m3, &d3);
  int months = (y2 * 12 + m2) - (y * 12 + m) + 1;
  if (d != 1 || d3 != 1 || (months != 1 && months != 3)) return 0;
  *m0 = (int64_t)y * 12 + m - 1;
  *span = months;
  return 1;
}

static int same(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

struct entry {
  size_t item, series;
  int64_t m;
};

static int by_series_month(const void *pa, const void *pb) {
  const struct entry *a = pa, *b = pb;
  if (a->series != b->series) return a->series < b->series ? -1 : 1;
  if (a->m != b->m) return a->m < b->m ? -1 : 1;
  return (a->item > b->item) - (a->item < b->item);
}

/* The series of 'ob' in 'out', added if new; its index. */
static size_t series_of(struct strife__skill *out, const strife_observation *ob,
                        int span) {
  for (size_t s = 0; s < out->n_ser; s++) {
    const struct strife__skill_series *x = &out->ser[s];
    if (same(x->quantity, ob->quantity) && same(x->place, ob->place) &&
        same(x->unit, ob->unit) && x->span == span)
      return s;
  }
  out->ser[out->n_ser] = (struct strife__skill_series){
      ob->quantity, ob->place, ob->unit, span, 0, 0};
  return out->n_ser++;
}

/* One forecaster's row of a month. */
static void score_row(struct strife__skill_row *r,
                      const struct strife__fdist *d) {
  static const double p[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
  r->crps = strife__fdist_crps(d, r->y);
  for (int k = 0; k < 5; k++)
    r->q[k] = strife__fdist_quantile(d, p[k]);
  r->pit = strife__fdist_pit(d, r->y);
}

/* The rows of the month of entry 'e' after the window, 'h' months after
   the last inside; 'buf' holds the runs' values. */
static void month_rows(struct strife__skill *out, const struct entry *e,
                       const struct strife__skill_item *it, int h, int span,
                       const struct strife__naive *naive, double *buf) {
  size_t n = 0;
  for (size_t r = 0; r < it->n_x; r++)
    if (!isnan(it->x[r])) buf[n++] = it->x[r];
  if (n == 0) return;
  gsl_sort(buf, 1, n);
  for (int who = 0; who < STRIFE__SKILL_WHO; who++) {
    struct strife__fdist d = {-1, 0, 0, 0, 0, buf, n};
    if (who < STRIFE__NAIVE_KINDS) {
      if (!naive[who].ok) continue;
      d = strife__naive_at(&naive[who], (double)h / span);
    }
    struct strife__skill_row *r = &out->row[out->n_row++];
    *r = (struct strife__skill_row){e->series, it->ob->start, h, who, it->y,
                                    0,         {0},           0};
    score_row(r, &d);
  }
}

/* Series 's', its entries e[0 .. n-1] in order of month. */
static void one_series(struct strife__skill *out, size_t s,
                       const struct entry *e, size_t n,
                       const struct strife__skill_item *it, double *t,
                       double *y, double *buf) {
  struct strife__skill_series *ser = &out->ser[s];
  size_t k = 0;
  int64_t last = 0;
  for (size_t i = 0; i < n; i++) {
    if (i && e[i].m == e[i - 1].m) continue; /* a month named twice */
    if (it[e[i].item].window) continue;
    t[k] = (double)(e[i].m - e[0].m) / ser->span;
    y[k++] = it[e[i].item].y;
    last = e[i].m;
  }
  ser->n_in = k;
  if (!k) return;
  struct strife__naive naive[STRIFE__NAIVE_KINDS];
  for (int w = 0; w < STRIFE__NAIVE_KINDS; w++)
    strife__naive_fit(w, t, y, k, &naive[w]);
  for (size_t i = 0; i < n; i++) {
    if ((i && e[i].m == e[i - 1].m) || !it[e[i].item].window || e[i].m <= last)
      continue;
    ser->n_out++;
    month_rows(out, &e[i], &it[e[i].item], (int)(e[i].m - last), ser->span,
               naive, buf);
  }
}

int strife__skill_compute(const struct strife__skill_item *it, size_t n,
                          struct strife__skill *out) {
  memset(out, 0, sizeof *out);
  size_t runs = 1;
  for (size_t i = 0; i < n; i++)
    if (it[i].n_x > runs) runs = it[i].n_x;
  struct entry *e = malloc((n + 1) * sizeof *e);
  double *t = malloc((n + 1) * sizeof *t), *y = malloc((n + 1) * sizeof *y),
         *buf = malloc(runs * sizeof *buf);
  out->ser = calloc(n + 1, sizeof *out->ser);
  out->row = calloc(n * STRIFE__SKILL_WHO + 1, sizeof *out->row);
  int rc =
      e && t && y && buf && out->ser && out->row ? STRIFE_OK : STRIFE_ENOMEM;
  size_t ne = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    int64_t m;
    int span;
    if (isnan(it[i].y) || !month_span(it[i].ob, &m, &span)) continue;
    e[ne++] = (struct entry){i, series_of(out, it[i].ob, span), m};
  }
  if (!rc) qsort(e, ne, sizeof *e, by_series_month);
  for (size_t a = 0, b; a < ne && !rc; a = b) {
    for (b = a; b < ne && e[b].series == e[a].series; b++) {
    }
    one_series(out, e[a].series, e + a, b - a, it, t, y, buf);
  }
  free(e);
  free(t);
  free(y);
  free(buf);
  if (rc) strife__skill_free(out);
  return rc;
}

void strife__skill_free(struct strife__skill *s) {
  free(s->ser);
  free(s->row);
  memset(s, 0, sizeof *s);
}

/* ---- The table ---- */

enum { BUCKETS = 4 }; /* 1-3, 4-12, 13+ months ahead, all */

static int bucket(int h) {
  return h <= 3 ? 0 : h <= 12 ? 1 : 2;
}

struct tally {
  size_t n[BUCKETS][STRIFE__SKILL_WHO], in50[BUCKETS][STRIFE__SKILL_WHO],
      in90[BUCKETS][STRIFE__SKILL_WHO];
  double crps[BUCKETS][STRIFE__SKILL_WHO];
  size_t pit[STRIFE__SKILL_WHO][10];
};

static void tally_series(const struct strife__skill *s, size_t ser,
                         struct tally *t) {
  memset(t, 0, sizeof *t);
  for (size_t i = 0; i < s->n_row; i++) {
    const struct strife__skill_row *r = &s->row[i];
    if (r->series != ser) continue;
    int bs[2] = {bucket(r->horizon), BUCKETS - 1};
    for (int k = 0; k < 2; k++) {
      t->n[bs[k]][r->who]++;
      t->crps[bs[k]][r->who] += r->crps;
      t->in50[bs[k]][r->who] += r->y >= r->q[1] && r->y <= r->q[3];
      t->in90[bs[k]][r->who] += r->y >= r->q[0] && r->y <= r->q[4];
    }
    int bin = (int)(r->pit * 10);
    t->pit[r->who][bin < 0 ? 0 : bin > 9 ? 9 : bin]++;
  }
}

static void bucket_row(const struct tally *t, int b, struct strife__text *out) {
  static const char *const name[BUCKETS] = {"1-3", "4-12", "13+", "all"};
  const int m = STRIFE__SKILL_MODEL;
  size_t n = t->n[b][m];
  if (!n) return;
  double mean[STRIFE__SKILL_WHO];
  for (int w = 0; w < STRIFE__SKILL_WHO; w++)
    mean[w] = t->n[b][w] ? t->crps[b][w] / (double)t->n[b][w] : (double)NAN;
  strife__text_put(out, "    %-8s %6zu %10.4g %12.4g %14.4g %10.4g", name[b], n,
                   mean[m], mean[0], mean[1], mean[2]);
  for (int w = 0; w < STRIFE__NAIVE_KINDS; w++)
    strife__text_put(out, " %+9.2f", 1 - mean[m] / mean[w]);
  strife__text_put(out, "  %3zu/%zu %3zu/%zu\n", t->in50[b][m], n,
                   t->in90[b][m], n);
}

/* Each naive forecast's coverage, and every forecaster's PIT histogram
   (flat: calibrated; a U: too narrow; a hump: too wide). */
static void coverage_and_pit(const struct tally *t, struct strife__text *out) {
  const int a = BUCKETS - 1;
  for (int w = 0; w < STRIFE__NAIVE_KINDS; w++)
    if (t->n[a][w])
      strife__text_put(out, "    %s in 50%%: %zu/%zu, in 90%%: %zu/%zu\n",
                       who_name[w], t->in50[a][w], t->n[a][w], t->in90[a][w],
                       t->n[a][w]);
  strife__text_put(out, "    PIT, 10 bins from 0 to 1:\n");
  for (int w = STRIFE__SKILL_WHO - 1; w >= 0; w--) {
    if (!t->n[a][w]) continue;
    strife__text_put(out, "      %-14s", who_name[w]);
    for (int k = 0; k < 10; k++)
      strife__text_put(out, " %zu", t->pit[w][k]);
    strife__text_put(out, "\n");
  }
}

void strife__skill_table(const struct strife__skill *s,
                         struct strife__text *out) {
  strife__text_put(out, "\nForecast skill after the fit window: each month of "
                        "the record's monthly series forecast by the runs (the "
                        "model) and by naive forecasts fitted to the months "
                        "inside it; CRPS (lower is better) and skill = 1 - "
                        "CRPS model / CRPS naive (above 0: the model is "
                        "better)\n");
  size_t shown = 0;
  for (size_t ser = 0; ser < s->n_ser; ser++) {
    const struct strife__skill_series *x = &s->ser[ser];
    struct tally t;
    tally_series(s, ser, &t);
    if (!t.n[BUCKETS - 1][STRIFE__SKILL_MODEL]) continue;
    shown++;
    strife__text_put(out, "  %s%s%s (%s), %s: %zu in the window, %zu after\n",
                     x->quantity, x->place ? "@" : "", x->place ? x->place : "",
                     x->unit, x->span == 1 ? "monthly" : "quarterly", x->n_in,
                     x->n_out);
    strife__text_put(out, "    %-8s %6s %10s %12s %14s %10s %9s %9s %9s  %s\n",
                     "months", "n", "model", "persistence", "conflictology",
                     "trend", "skill/p", "skill/c", "skill/t",
                     "model in 50% 90%");
    for (int b = 0; b < BUCKETS; b++)
      bucket_row(&t, b, out);
    coverage_and_pit(&t, out);
  }
  if (!shown)
    strife__text_put(out, "  no monthly series with months both in the "
                          "window and after it\n");
}
