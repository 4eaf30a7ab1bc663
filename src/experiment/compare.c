/* SPDX-License-Identifier: MIT */
/*
 * strife compare (strife/experiment.h): every arm run on the same seeds,
 * spread over threads, each finished run committed to the results
 * database by one thread at a time; the comparison read back from the
 * database, so that a resumed command reports every run.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <strife/experiment.h>

#include "core/text.h"
#include "ensemble.h"
#include "sinks/record.h"
#include "stats.h"

#define RUNS_MAX 1000000u

struct strife_compare {
  size_t n_arms;
  uint32_t runs;
  uint64_t ran, skipped;
  char **label;
  double *out; /* [arm][rep][outcome] */
};

static void free_labels(strife_compare *c) {
  for (size_t a = 0; c->label && a < c->n_arms; a++)
    free(c->label[a]);
  free(c->label);
}

void strife_compare_free(strife_compare *c) {
  if (!c) return;
  free_labels(c);
  free(c->out);
  free(c);
}

uint64_t strife_compare_ran(const strife_compare *c) {
  return c->ran;
}
uint64_t strife_compare_skipped(const strife_compare *c) {
  return c->skipped;
}

/* The arms as one line, for the database's provenance check. */
static char *arms_text(const strife_compare_opts *o) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__put(&t, "policies=");
  for (size_t i = 0; i < o->n_policies; i++)
    strife__put(&t, "%s%s", i ? "," : "", o->policies[i]);
  if (o->vary_key) {
    strife__put(&t, "; vary %s=", o->vary_key);
    for (size_t i = 0; i < o->n_vary; i++)
      strife__put(&t, "%s%s", i ? "," : "", o->vary_values[i]);
  }
  return strife__text_take(&t);
}

static int check_opts(const strife_compare_opts *o, strife_diag *diag) {
  if (!o->n_policies) {
    strife__diag_set(diag, "--policies", "no policy to compare");
    return STRIFE_EINVAL;
  }
  if (o->runs < 1 || o->runs > RUNS_MAX) {
    strife__diag_set(diag, "--runs", "runs per arm must be 1 .. %u, not %u",
                     RUNS_MAX, o->runs);
    return STRIFE_EINVAL;
  }
  if (o->vary_key && !o->n_vary) {
    strife__diag_set(diag, "--vary", "'%s' has no values", o->vary_key);
    return STRIFE_EINVAL;
  }
  if (!o->exp.db || !*o->exp.db) {
    strife__diag_set(diag, "--db", "a results database is needed");
    return STRIFE_EINVAL;
  }
  return STRIFE_OK;
}

/* The arms: each policy, crossed with each value of the varied key. */
static int make_arms(const strife_compare_opts *o, strife_compare *c,
                     char ***arm_sets, size_t *n_arm_sets) {
  size_t nv = o->vary_key ? o->n_vary : 1;
  for (size_t p = 0; p < o->n_policies; p++) {
    for (size_t v = 0; v < nv; v++) {
      size_t a = p * nv + v;
      char pol[128], var[256], label[400];
      snprintf(pol, sizeof pol, "policy=%s", o->policies[p]);
      if (o->vary_key)
        snprintf(var, sizeof var, "%s=%s", o->vary_key, o->vary_values[v]);
      snprintf(label, sizeof label, "%s%s%s", o->policies[p],
               o->vary_key ? " " : "", o->vary_key ? var : "");
      arm_sets[a] = calloc(2, sizeof(char *));
      if (!arm_sets[a] || !(arm_sets[a][0] = strdup(pol)) ||
          (o->vary_key && !(arm_sets[a][1] = strdup(var))) ||
          !(c->label[a] = strdup(label)))
        return STRIFE_ENOMEM;
      n_arm_sets[a] = o->vary_key ? 2 : 1;
    }
  }
  return STRIFE_OK;
}

int strife_compare_run(const strife_compare_opts *o, strife_compare **out,
                       strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  int rc = check_opts(o, diag);
  if (rc) return rc;
  strife_compare *c = calloc(1, sizeof *c);
  if (!c) return STRIFE_ENOMEM;
  c->n_arms = o->n_policies * (o->vary_key ? o->n_vary : 1);
  c->runs = o->runs;
  c->label = calloc(c->n_arms, sizeof *c->label);
  char ***arm_sets = calloc(c->n_arms, sizeof *arm_sets);
  size_t *n_arm_sets = calloc(c->n_arms, sizeof *n_arm_sets);
  char *arms = arms_text(o);
  if (!c->label || !arm_sets || !n_arm_sets || !arms) rc = STRIFE_ENOMEM;
  if (!rc) rc = make_arms(o, c, arm_sets, n_arm_sets);
  struct strife__ens e = {o->exp,  c->n_arms, c->label, arm_sets, n_arm_sets,
                          o->runs, "compare", arms,     0,        0};
  struct strife__ens_out eo;
  if (!rc) rc = strife__ensemble(&e, &eo, diag);
  for (size_t a = 0; arm_sets && a < c->n_arms; a++) {
    for (size_t i = 0; arm_sets[a] && i < 2; i++)
      free(arm_sets[a][i]);
    free(arm_sets[a]);
  }
  free(arm_sets);
  free(n_arm_sets);
  free(arms);
  if (rc) {
    strife_compare_free(c);
    return rc;
  }
  c->ran = eo.ran;
  c->skipped = eo.skipped;
  c->out = eo.out;
  *out = c;
  return eo.interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}

char *strife_compare_table(const strife_compare *c) {
  struct strife__text t = {NULL, 0, 0, 0};
  const size_t stride = STRIFE__OUTCOMES;
  strife__put(&t, "%zu arms x %u runs (seeds paired across arms)\n", c->n_arms,
              c->runs);
  for (int k = 0; k < STRIFE__OUTCOMES; k++) {
    const struct strife__outcome *oc = &strife__outcomes[k];
    strife__put(&t, "\n%s (%s)\n", oc->name,
                oc->better > 0   ? "more is better"
                : oc->better < 0 ? "less is better"
                                 : "neither");
    strife__put(&t, "  %-36s %6s %12s %12s %12s\n", "arm", "runs", "mean", "5%",
                "95%");
    for (size_t a = 0; a < c->n_arms; a++) {
      struct strife__band b;
      if (strife__band(c->out + a * c->runs * stride + (size_t)k, c->runs,
                       stride, &b))
        t.oom = 1;
      strife__put(&t, "  %-36s %6zu %12.4g %12.4g %12.4g\n", c->label[a], b.n,
                  b.mean, b.lo, b.hi);
    }
    for (size_t a = 0; a < c->n_arms; a++)
      for (size_t b = a + 1; b < c->n_arms; b++) {
        struct strife__paired p;
        if (strife__paired(c->out + a * c->runs * stride + (size_t)k,
                           c->out + b * c->runs * stride + (size_t)k, c->runs,
                           stride, oc->better, 0.90, &p))
          t.oom = 1;
        char pair[128];
        snprintf(pair, sizeof pair, "%s - %s", c->label[a], c->label[b]);
        strife__put(&t, "  %-44s %+12.4g  90%% [%+.4g, %+.4g]", pair, p.mean,
                    p.lo, p.hi);
        if (oc->better)
          strife__put(&t, "  P(first better) %.3f\n", p.p_better);
        else
          strife__put(&t, "\n");
      }
  }
  return strife__text_take(&t);
}
