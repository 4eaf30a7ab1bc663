/* SPDX-License-Identifier: MIT */
/*
 * strife sensitivity (strife/experiment.h): a Sobol or Morris design over
 * the parameters' ranges, each point one arm of an ensemble run once on
 * the scenario's seed, then the estimators of sens.c per outcome.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <strife/experiment.h>

#include "core/text.h"
#include "ensemble.h"
#include "sinks/record.h"
#include "sens.h"

struct strife_sensitivity {
  int morris;
  size_t k, n; /* parameters; N or r */
  unsigned levels;
  uint64_t ran, skipped;
  int interrupted;
  char **names;            /* [k] */
  size_t n_out, *outcome;  /* outcomes reported */
  struct strife__index *a; /* [outcome][k]: S, or mu* */
  struct strife__index *b; /* [outcome][k]: ST; Morris: sigma in .value */
  size_t points;
};

uint64_t strife_sensitivity_ran(const strife_sensitivity *s) {
  return s->ran;
}
uint64_t strife_sensitivity_skipped(const strife_sensitivity *s) {
  return s->skipped;
}

void strife_sensitivity_free(strife_sensitivity *s) {
  if (!s) return;
  for (size_t i = 0; s->names && i < s->k; i++)
    free(s->names[i]);
  free(s->names);
  free(s->outcome);
  free(s->a);
  free(s->b);
  free(s);
}

static int bad(strife_diag *diag, const char *key, const char *msg) {
  strife__diag_set(diag, key, "%s", msg);
  return STRIFE_EINVAL;
}

/* The parameters must be numeric keys with lo < hi. */
static int check_opts(const strife_sensitivity_opts *o, int *morris,
                      strife_diag *diag) {
  if (!o->method ||
      (strcmp(o->method, "sobol") != 0 && strcmp(o->method, "morris") != 0))
    return bad(diag, "--method", "expected sobol or morris");
  *morris = strcmp(o->method, "morris") == 0;
  if (o->n_params < 1 || o->n_params > STRIFE__SENS_MAX_K)
    return bad(diag, "--param", "expected 1 .. 20 parameters");
  int rc = strife__check_params(o->params, o->n_params, diag);
  if (rc) return rc;
  if (o->samples < 2 || o->samples > 100000)
    return bad(diag, "--samples", "expected 2 .. 100000 samples");
  if (*morris && o->levels && (o->levels < 2 || o->levels % 2))
    return bad(diag, "--levels", "expected an even number of levels >= 2");
  if (!o->exp.db || !*o->exp.db)
    return bad(diag, "--db", "a results database is needed");
  return STRIFE_OK;
}

/* What the design is, for the database's check on resuming. */
static char *arms_text(const strife_sensitivity_opts *o, unsigned levels) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__put(&t, "%s samples=%u", o->method, o->samples);
  if (strcmp(o->method, "morris") == 0) strife__put(&t, " levels=%u", levels);
  for (size_t i = 0; i < o->n_params; i++)
    strife__put(&t, "; %s=%.17g:%.17g", o->params[i].key, o->params[i].lo,
                o->params[i].hi);
  return strife__text_take(&t);
}

/* Which outcomes to report. */
static int pick_outcomes(const strife_sensitivity_opts *o,
                         strife_sensitivity *s, strife_diag *diag) {
  s->n_out = o->n_outcomes ? o->n_outcomes : STRIFE__OUTCOMES;
  s->outcome = calloc(s->n_out, sizeof *s->outcome);
  if (!s->outcome) return STRIFE_ENOMEM;
  if (o->n_outcomes)
    return strife__outcome_indices(o->outcomes, s->n_out, s->outcome, diag);
  for (size_t i = 0; i < s->n_out; i++)
    s->outcome[i] = i;
  return STRIFE_OK;
}

/* The estimates per outcome from the outputs of every point. */
static int estimate(strife_sensitivity *s, const double *x, const double *out,
                    uint32_t boot) {
  const size_t k = s->k, pts = s->points;
  double *y = malloc(pts * sizeof *y);
  double *sigma = malloc(k * sizeof *sigma);
  s->a = calloc(s->n_out * k, sizeof *s->a);
  s->b = calloc(s->n_out * k, sizeof *s->b);
  int rc = !y || !sigma || !s->a || !s->b ? STRIFE_ENOMEM : STRIFE_OK;
  for (size_t q = 0; q < s->n_out && !rc; q++) {
    for (size_t p = 0; p < pts; p++)
      y[p] = out[p * STRIFE__OUTCOMES + s->outcome[q]];
    if (s->morris) {
      rc = strife__morris_effects(k, s->n, x, y, boot, 17, s->a + q * k, sigma);
      for (size_t i = 0; i < k; i++)
        s->b[q * k + i].value = sigma[i];
    } else {
      rc = strife__sobol_indices(k, s->n, y, boot, 17, s->a + q * k,
                                 s->b + q * k);
    }
  }
  free(y);
  free(sigma);
  return rc;
}

int strife_sensitivity_run(const strife_sensitivity_opts *o,
                           strife_sensitivity **out, strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  int morris;
  int rc = check_opts(o, &morris, diag);
  if (rc) return rc;
  strife_sensitivity *s = calloc(1, sizeof *s);
  if (!s) return STRIFE_ENOMEM;
  s->morris = morris;
  s->k = o->n_params;
  s->n = o->samples;
  s->levels = o->levels ? o->levels : 4;
  rc = pick_outcomes(o, s, diag);
  double *x = NULL;
  if (!rc)
    rc = morris ? strife__morris(s->k, s->n, s->levels, 29, &x)
                : strife__saltelli(s->k, s->n, &x);
  s->points = morris ? s->n * (s->k + 1) : s->n * (s->k + 2);
  s->names = calloc(s->k, sizeof *s->names);
  char *arms = arms_text(o, s->levels);
  if (!rc && (!s->names || !arms)) rc = STRIFE_ENOMEM;
  for (size_t i = 0; i < s->k && !rc; i++)
    if (!(s->names[i] = strdup(o->params[i].key))) rc = STRIFE_ENOMEM;
  struct strife__ens_out eo = {0, 0, 0, NULL};
  if (!rc)
    rc = strife__run_design(&o->exp, o->params, s->k, x, s->points, 1,
                            "sensitivity", arms, &eo, diag);
  if (!rc) {
    s->ran = eo.ran;
    s->skipped = eo.skipped;
    s->interrupted = eo.interrupted;
    if (!eo.interrupted) rc = estimate(s, x, eo.out, o->boot ? o->boot : 500);
  }
  free(eo.out);
  free(arms);
  free(x);
  if (rc) {
    strife_sensitivity_free(s);
    return rc;
  }
  *out = s;
  return s->interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}

/* Indices of the k parameters of outcome q, by decreasing key. */
static void rank(const strife_sensitivity *s, size_t q, size_t *order) {
  const struct strife__index *key =
      s->morris ? s->a + q * s->k : s->b + q * s->k;
  for (size_t i = 0; i < s->k; i++)
    order[i] = i;
  for (size_t i = 1; i < s->k; i++) /* insertion sort; NaN last */
    for (size_t j = i; j > 0; j--) {
      double u = key[order[j - 1]].value, v = key[order[j]].value;
      if (!(isnan(u) || v > u)) break;
      size_t t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
}

char *strife_sensitivity_table(const strife_sensitivity *s) {
  struct strife__text t = {NULL, 0, 0, 0};
  if (s->interrupted) {
    strife__put(&t,
                "interrupted: %llu of %zu points run; run the same "
                "command again to finish\n",
                (unsigned long long)s->ran + (unsigned long long)s->skipped,
                s->points);
    return strife__text_take(&t);
  }
  size_t *order = malloc(s->k * sizeof *order);
  if (!order) return NULL;
  if (s->morris)
    strife__put(&t,
                "Morris elementary effects: %zu parameters, r = %zu "
                "trajectories on %u levels, %zu runs; mu* with its 95 %% "
                "bootstrap interval, sigma\n",
                s->k, s->n, s->levels, s->points);
  else
    strife__put(&t,
                "Sobol indices: %zu parameters, N = %zu, %zu runs (Saltelli's "
                "design, Jansen's estimators); 95 %% bootstrap intervals\n",
                s->k, s->n, s->points);
  for (size_t q = 0; q < s->n_out; q++) {
    strife__put(&t, "\n%s\n", strife__outcomes[s->outcome[q]].name);
    if (s->morris)
      strife__put(&t, "  %-4s %-34s %12s %25s %12s\n", "rank", "parameter",
                  "mu*", "95% interval", "sigma");
    else
      strife__put(&t, "  %-4s %-34s %8s %19s %8s %19s\n", "rank", "parameter",
                  "S_i", "95% interval", "ST_i", "95% interval");
    rank(s, q, order);
    for (size_t r = 0; r < s->k; r++) {
      size_t i = order[r];
      const struct strife__index *a = &s->a[q * s->k + i],
                                 *b = &s->b[q * s->k + i];
      if (s->morris)
        strife__put(&t, "  %-4zu %-34s %12.4g   [%10.4g, %10.4g] %12.4g\n",
                    r + 1, s->names[i], a->value, a->lo, a->hi, b->value);
      else
        strife__put(&t,
                    "  %-4zu %-34s %8.3f  [%7.3f, %7.3f] %8.3f  [%7.3f, "
                    "%7.3f]\n",
                    r + 1, s->names[i], a->value, a->lo, a->hi, b->value, b->lo,
                    b->hi);
    }
  }
  free(order);
  return strife__text_take(&t);
}
