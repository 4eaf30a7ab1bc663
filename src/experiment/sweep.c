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

#include <strife/experiment.h>

#include "core/rand.h"
#include "core/text.h"
#include "ensemble.h"
#include "sinks/record.h"
#include "stats.h"

#define POINTS_MAX 100000u

struct strife_sweep {
  size_t k, points;
  uint32_t runs;
  uint64_t ran, skipped;
  int interrupted;
  char **names; /* [k] */
  double *u;    /* [points][k]: the design on the unit cube */
  double *val;  /* [points][k]: the parameters' values */
  size_t n_out, *outcome;
  double *out; /* [point][run][STRIFE__OUTCOMES] */
};

uint64_t strife_sweep_ran(const strife_sweep *s) {
  return s->ran;
}
uint64_t strife_sweep_skipped(const strife_sweep *s) {
  return s->skipped;
}

void strife_sweep_free(strife_sweep *s) {
  if (!s) return;
  for (size_t i = 0; s->names && i < s->k; i++)
    free(s->names[i]);
  free(s->names);
  free(s->val);
  free(s->u);
  free(s->outcome);
  free(s->out);
  free(s);
}

static int check_opts(const strife_sweep_opts *o, size_t *points,
                      strife_diag *diag) {
  if (o->n_params < 1 || o->n_params > 20) {
    strife__diag_set(diag, "--param", "expected 1 .. 20 parameters");
    return STRIFE_EINVAL;
  }
  int rc = strife__check_params(o->params, o->n_params, diag);
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
static void design(const strife_sweep_opts *o, strife_sweep *s,
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

static int pick_outcomes(const strife_sweep_opts *o, strife_sweep *s,
                         strife_diag *diag) {
  static const char *const dflt[3] = {"isk_fighters_end", "attacks",
                                      "legit_public_end"};
  const char *const *names = o->n_outcomes ? o->outcomes : dflt;
  s->n_out = o->n_outcomes ? o->n_outcomes : 3;
  s->outcome = calloc(s->n_out, sizeof *s->outcome);
  if (!s->outcome) return STRIFE_ENOMEM;
  return strife__outcome_indices(names, s->n_out, s->outcome, diag);
}

static char *arms_text(const strife_sweep_opts *o) {
  struct strife__text t = {NULL, 0, 0, 0};
  if (o->samples)
    strife__put(&t, "latin hypercube samples=%u", o->samples);
  else
    strife__put(&t, "grid");
  for (size_t i = 0; i < o->n_params; i++)
    strife__put(&t, "; %s=%.17g:%.17g:%u", o->params[i].key, o->params[i].lo,
                o->params[i].hi, o->samples ? 0 : o->params[i].steps);
  return strife__text_take(&t);
}

int strife_sweep_run(const strife_sweep_opts *o, strife_sweep **out,
                     strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  size_t points;
  int rc = check_opts(o, &points, diag);
  if (rc) return rc;
  strife_sweep *s = calloc(1, sizeof *s);
  if (!s) return STRIFE_ENOMEM;
  s->k = o->n_params;
  s->points = points;
  s->runs = o->runs;
  s->names = calloc(s->k, sizeof *s->names);
  s->u = malloc(points * s->k * sizeof *s->u);
  s->val = malloc(points * s->k * sizeof *s->val);
  uint32_t *perm = malloc(points * sizeof *perm);
  char *arms = arms_text(o);
  if (!s->names || !s->u || !s->val || !perm || !arms) rc = STRIFE_ENOMEM;
  if (!rc) rc = pick_outcomes(o, s, diag);
  if (!rc) design(o, s, perm);
  for (size_t i = 0; i < s->k && !rc; i++)
    if (!(s->names[i] = strdup(o->params[i].key))) rc = STRIFE_ENOMEM;
  for (size_t p = 0; p < points * s->k && !rc; p++)
    s->val[p] = strife__param_value(&o->params[p % s->k], s->u[p]);
  struct strife__ens_out eo = {0, 0, 0, NULL};
  if (!rc)
    rc = strife__run_design(&o->exp, o->params, s->k, s->u, points, o->runs,
                            "sweep", arms, &eo, diag);
  free(perm);
  free(arms);
  if (rc) {
    strife_sweep_free(s);
    return rc;
  }
  s->ran = eo.ran;
  s->skipped = eo.skipped;
  s->interrupted = eo.interrupted;
  s->out = eo.out;
  *out = s;
  return s->interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}

char *strife_sweep_table(const strife_sweep *s) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__put(&t,
              "%zu points x %u runs (the same seeds at every point); "
              "per outcome the mean and 5-95 %% band\n\n",
              s->points, s->runs);
  int *w = malloc(s->k * sizeof *w);
  if (!w) return NULL;
  strife__put(&t, "%6s", "point");
  for (size_t i = 0; i < s->k; i++) {
    size_t len = strlen(s->names[i]);
    w[i] = len > 12 ? (int)len : 12;
    strife__put(&t, " %*s", w[i], s->names[i]);
  }
  for (size_t q = 0; q < s->n_out; q++)
    strife__put(&t, " %32.32s", strife__outcomes[s->outcome[q]].name);
  strife__put(&t, "\n");
  for (size_t p = 0; p < s->points; p++) {
    strife__put(&t, "%6zu", p);
    for (size_t i = 0; i < s->k; i++)
      strife__put(&t, " %*.6g", w[i], s->val[p * s->k + i]);
    for (size_t q = 0; q < s->n_out; q++) {
      struct strife__band b;
      if (strife__band(s->out + p * s->runs * STRIFE__OUTCOMES + s->outcome[q],
                       s->runs, STRIFE__OUTCOMES, &b))
        t.oom = 1;
      strife__put(&t, " %10.4g [%9.4g, %9.4g]", b.mean, b.lo, b.hi);
    }
    strife__put(&t, "\n");
  }
  free(w);
  return strife__text_take(&t);
}
