/* SPDX-License-Identifier: MIT */
/*
 * strife sweep (strife/experiment.h): a grid or a Latin hypercube over the
 * parameters' ranges, each point an arm of an ensemble run 'runs' times on
 * the same seeds, then each point's band per outcome.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "core/text.h"
#include "ensemble.h"
#include "stats.h"

#define POINTS_MAX 100000u

struct sweep {
  struct strife_experiment base;
  size_t k, points;
  uint32_t runs;
  char **names;           /* [k] */
  double *u;              /* [points][k]: the design on the unit cube */
  double *val;            /* [points][k]: the parameters' values */
  size_t n_out, *outcome; /* outcomes reported */
  size_t stride;          /* the model's outcomes */
  char **out_names;       /* [n_out] */
  double *out;            /* [point][run][stride] */
};

static void sweep_destroy(struct strife_experiment *x) {
  struct sweep *s = (struct sweep *)x;
  strife__exp_names_free(s->out_names, s->n_out);
  for (size_t i = 0; s->names && i < s->k; i++)
    free(s->names[i]);
  free(s->names);
  free(s->val);
  free(s->u);
  free(s->outcome);
  free(s->out);
  free(s);
}

static int check_opts(const strife_sweep_opts *o, const strife_scenario *sc,
                      size_t *points, strife_diag *diag) {
  if (o->n_params < 1 || o->n_params > 20) {
    strife__diag_set(diag, "--param", "expected 1 .. 20 parameters");
    return STRIFE_EINVAL;
  }
  int rc = strife__exp_check_params(sc, o->params, o->n_params, diag);
  if (rc) return rc;
  if (o->runs < 1 || o->runs > 1000000) {
    strife__diag_set(diag, "--runs", "expected 1 .. 1000000 runs a point");
    return STRIFE_EINVAL;
  }
  if (o->samples) {
    *points = o->samples;
  } else {
    *points = 1;
    for (size_t i = 0; i < o->n_params; i++) {
      unsigned st = o->params[i].steps;
      if (st < 2 || st > 1000) {
        strife__diag_set(diag, o->params[i].key,
                         "--param: a grid needs KEY=LO:HI:STEPS with 2 .. "
                         "1000 steps (or --samples N for a Latin "
                         "hypercube)");
        return STRIFE_EINVAL;
      }
      *points *= st;
      if (*points > POINTS_MAX) break;
    }
  }
  if (*points > POINTS_MAX || (uint64_t)*points * o->runs > 100000000u) {
    strife__diag_set(diag, "--param",
                     "more than %u points, or 10^8 runs, in the sweep",
                     POINTS_MAX);
    return STRIFE_EINVAL;
  }
  if (!o->exp.db || !*o->exp.db) {
    strife__diag_set(diag, "--db", "a results database is needed");
    return STRIFE_EINVAL;
  }
  return STRIFE_OK;
}

/* The grid (the first parameter varying slowest), or a Latin hypercube:
   in each dimension a random permutation of the slices, a uniform point
   within each slice, from a fixed Philox key. */
static void design(const strife_sweep_opts *o, struct sweep *s,
                   uint32_t *perm) {
  const size_t k = s->k, n = s->points;
  if (!o->samples) {
    for (size_t p = 0; p < n; p++) {
      size_t rest = p;
      for (size_t i = k; i-- > 0;) {
        unsigned st = o->params[i].steps;
        s->u[p * k + i] = (double)(rest % st) / (st - 1);
        rest /= st;
      }
    }
    return;
  }
  for (size_t i = 0; i < k; i++) {
    struct strife__rstream rs;
    strife__rstream_init(&rs, 31, (uint32_t)i, 3, STRIFE__STREAM_DESIGN);
    for (size_t p = 0; p < n; p++)
      perm[p] = (uint32_t)p;
    for (size_t p = n; p > 1; p--) {
      size_t q = strife__rstream_below(&rs, (uint32_t)p);
      uint32_t t = perm[p - 1];
      perm[p - 1] = perm[q];
      perm[q] = t;
    }
    for (size_t p = 0; p < n; p++)
      s->u[p * k + i] = (perm[p] + strife__rstream_u01(&rs)) / (double)n;
  }
}

static char *arms_text(const strife_sweep_opts *o) {
  struct strife__text t = {NULL, 0, 0, 0};
  if (o->samples)
    strife__text_put(&t, "latin hypercube samples=%u", o->samples);
  else
    strife__text_put(&t, "grid");
  for (size_t i = 0; i < o->n_params; i++)
    strife__text_put(&t, "; %s=%.17g:%.17g:%u", o->params[i].key,
                     o->params[i].lo, o->params[i].hi,
                     o->samples ? 0 : o->params[i].steps);
  return strife__text_take(&t);
}

static char *sweep_table(const struct strife_experiment *x);

/* The design, its values and its runs. */
static int sweep(const strife_sweep_opts *o, const strife_scenario *sc,
                 struct sweep *s, strife_diag *diag) {
  const size_t points = s->points;
  s->names = calloc(s->k, sizeof *s->names);
  s->u = malloc(points * s->k * sizeof *s->u);
  s->val = malloc(points * s->k * sizeof *s->val);
  uint32_t *perm = malloc(points * sizeof *perm);
  char *arms = arms_text(o);
  int rc = STRIFE_OK;
  if (!s->names || !s->u || !s->val || !perm || !arms) rc = STRIFE_ENOMEM;
  if (!rc)
    rc = strife__exp_pick(sc, o->outcomes, o->n_outcomes, 1, &s->n_out,
                          &s->outcome, &s->out_names, &s->stride, diag);
  if (!rc) design(o, s, perm);
  for (size_t i = 0; i < s->k && !rc; i++)
    if (!(s->names[i] = strdup(o->params[i].key))) rc = STRIFE_ENOMEM;
  for (size_t p = 0; p < points * s->k && !rc; p++)
    s->val[p] = strife__exp_param_value(sc, &o->params[p % s->k], s->u[p]);
  struct strife__ens_out eo;
  memset(&eo, 0, sizeof eo);
  if (!rc)
    rc = strife__ens_design(&o->exp, sc, o->params, s->k, s->u, points, o->runs,
                            "sweep", arms, &eo, diag);
  free(perm);
  free(arms);
  s->base.ran = eo.ran;
  s->base.skipped = eo.skipped;
  s->base.interrupted = eo.interrupted;
  s->out = eo.out;
  return rc;
}

int strife_sweep_run(const strife_sweep_opts *o, strife_experiment **out,
                     strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  strife_scenario *sc;
  int rc = strife__exp_load(&o->exp, &sc, diag);
  if (rc) return rc;
  size_t points;
  rc = check_opts(o, sc, &points, diag);
  struct sweep *s = rc ? NULL : calloc(1, sizeof *s);
  if (!rc && !s) rc = STRIFE_ENOMEM;
  if (!rc) {
    s->base.table = sweep_table;
    s->base.destroy = sweep_destroy;
    s->k = o->n_params;
    s->points = points;
    s->runs = o->runs;
    rc = sweep(o, sc, s, diag);
  }
  strife_scenario_destroy(sc);
  if (rc) {
    if (s) sweep_destroy(&s->base);
    return rc;
  }
  *out = &s->base;
  return s->base.interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}

static char *sweep_table(const struct strife_experiment *x) {
  const struct sweep *s = (const struct sweep *)x;
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t,
                   "%zu points x %u runs (the same seeds at every point); "
                   "per outcome the mean and 5-95 %% band\n\n",
                   s->points, s->runs);
  int *w = malloc(s->k * sizeof *w);
  if (!w) {
    free(strife__text_take(&t));
    return NULL;
  }
  strife__text_put(&t, "%6s", "point");
  for (size_t i = 0; i < s->k; i++) {
    size_t len = strlen(s->names[i]);
    w[i] = len > 12 ? (int)len : 12;
    strife__text_put(&t, " %*s", w[i], s->names[i]);
  }
  for (size_t q = 0; q < s->n_out; q++)
    strife__text_put(&t, " %32.32s", s->out_names[q]);
  strife__text_put(&t, "\n");
  for (size_t p = 0; p < s->points; p++) {
    strife__text_put(&t, "%6zu", p);
    for (size_t i = 0; i < s->k; i++)
      strife__text_put(&t, " %*.6g", w[i], s->val[p * s->k + i]);
    for (size_t q = 0; q < s->n_out; q++) {
      struct strife__band b;
      if (strife__stats_band(s->out + p * s->runs * s->stride + s->outcome[q],
                             s->runs, s->stride, &b))
        t.oom = 1;
      strife__text_put(&t, " %10.4g [%9.4g, %9.4g]", b.mean, b.lo, b.hi);
    }
    strife__text_put(&t, "\n");
  }
  free(w);
  return strife__text_take(&t);
}
