/* SPDX-License-Identifier: MIT */
/*
 * strife compare (strife/experiment.h): every arm (a named set of
 * overrides; a policy is one, setting the key "policy") run on the same
 * seeds, spread over threads, each finished run committed to the results
 * database by one thread at a time; the comparison read back from the
 * database, so that a resumed command reports every run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "ensemble.h"
#include "posterior.h"
#include "stats.h"

#define RUNS_MAX 1000000u
#define ARMS_MAX 4096u

struct compare {
  struct strife_experiment base;
  size_t n_arms, n_out;
  uint32_t runs;
  char **label;
  char ***sets; /* each arm's overrides */
  size_t *n_sets;
  strife_outcome_info *info; /* [n_out] */
  double *out;               /* [arm][rep][outcome] */
  /* With a posterior: each run's draw, theta[rep][k], of keys[k]; the
     first ncol from the sample, the rest assumptions (--assumptions). */
  size_t k, ncol;
  char **keys;
  double *theta;
};

static void compare_destroy(struct strife_experiment *x) {
  struct compare *c = (struct compare *)x;
  for (size_t a = 0; a < c->n_arms; a++) {
    if (c->label) free(c->label[a]);
    for (size_t i = 0; c->sets && c->sets[a] && i < c->n_sets[a]; i++)
      free(c->sets[a][i]);
    if (c->sets) free(c->sets[a]);
  }
  free(c->label);
  free(c->sets);
  free(c->n_sets);
  free(c->info);
  free(c->out);
  for (size_t i = 0; c->keys && i < c->k; i++)
    free(c->keys[i]);
  free(c->keys);
  free(c->theta);
  free(c);
}

/* The arms as one line, for the database's provenance check. */
static char *arms_text(const strife_compare_opts *o) {
  struct strife__text t = {NULL, 0, 0, 0};
  if (o->n_policies) {
    strife__text_put(&t, "policies=");
    for (size_t i = 0; i < o->n_policies; i++)
      strife__text_put(&t, "%s%s", i ? "," : "", o->policies[i]);
  } else {
    strife__text_put(&t, "arms=");
    for (size_t i = 0; i < o->n_arms; i++) {
      strife__text_put(&t, "%s%s:", i ? "; " : "", o->arms[i].label);
      for (size_t k = 0; k < o->arms[i].n_sets; k++)
        strife__text_put(&t, "%s%s", k ? "," : "", o->arms[i].sets[k]);
    }
  }
  if (o->vary_key) {
    strife__text_put(&t, "; vary %s=", o->vary_key);
    for (size_t i = 0; i < o->n_vary; i++)
      strife__text_put(&t, "%s%s", i ? "," : "", o->vary_values[i]);
  }
  return strife__text_take(&t);
}

static int bad(strife_diag *diag, const char *key, const char *msg) {
  strife__diag_set(diag, key, "%s", msg);
  return STRIFE_EINVAL;
}

static int check_opts(const strife_compare_opts *o, strife_diag *diag) {
  if (o->n_policies && o->n_arms)
    return bad(diag, "--arm", "arms are policies or named sets, not both");
  if (!o->n_policies && !o->n_arms && !o->vary_key)
    return bad(diag, "--policies",
               "nothing to compare: no policy, arm or "
               "varied key");
  if (o->runs < 1 || o->runs > RUNS_MAX) {
    strife__diag_set(diag, "--runs", "runs per arm must be 1 .. %u, not %u",
                     RUNS_MAX, o->runs);
    return STRIFE_EINVAL;
  }
  if (o->vary_key && !o->n_vary) {
    strife__diag_set(diag, "--vary", "'%s' has no values", o->vary_key);
    return STRIFE_EINVAL;
  }
  size_t n = (o->n_policies + o->n_arms) * (o->vary_key ? o->n_vary : 1);
  if (n > ARMS_MAX) {
    strife__diag_set(diag, "--arm", "more than %u arms", ARMS_MAX);
    return STRIFE_EINVAL;
  }
  if (!o->exp.db || !*o->exp.db)
    return bad(diag, "--db", "a results database is needed");
  return STRIFE_OK;
}

/* Arm 'a': base arm 'b' (a policy, a named set, or nothing) crossed with
   value 'v' of the varied key. */
static int make_arm(const strife_compare_opts *o, struct compare *c, size_t a,
                    size_t b, size_t v) {
  struct strife__text lab = {NULL, 0, 0, 0};
  size_t n = o->n_policies ? 1 : o->n_arms ? o->arms[b].n_sets : 0;
  c->sets[a] = calloc(n + 1, sizeof(char *));
  if (!c->sets[a]) return STRIFE_ENOMEM;
  char buf[512];
  if (o->n_policies) {
    snprintf(buf, sizeof buf, "policy=%s", o->policies[b]);
    c->sets[a][c->n_sets[a]++] = strdup(buf);
    strife__text_put(&lab, "%s", o->policies[b]);
  } else if (o->n_arms) {
    for (size_t i = 0; i < n; i++)
      c->sets[a][c->n_sets[a]++] = strdup(o->arms[b].sets[i]);
    strife__text_put(&lab, "%s", o->arms[b].label);
  }
  if (o->vary_key) {
    snprintf(buf, sizeof buf, "%s=%s", o->vary_key, o->vary_values[v]);
    c->sets[a][c->n_sets[a]++] = strdup(buf);
    strife__text_put(&lab, "%s%s", lab.n ? " " : "", buf);
  }
  c->label[a] = strife__text_take(&lab);
  int rc = c->label[a] ? STRIFE_OK : STRIFE_ENOMEM;
  for (size_t i = 0; i < c->n_sets[a]; i++)
    if (!c->sets[a][i]) rc = STRIFE_ENOMEM;
  return rc;
}

/* The arms: each policy or named set (or the scenario as it is), crossed
   with each value of the varied key. */
static int make_arms(const strife_compare_opts *o, struct compare *c) {
  size_t nb = o->n_policies ? o->n_policies : o->n_arms ? o->n_arms : 1;
  size_t nv = o->vary_key ? o->n_vary : 1;
  c->n_arms = nb * nv;
  c->label = calloc(c->n_arms, sizeof *c->label);
  c->sets = calloc(c->n_arms, sizeof *c->sets);
  c->n_sets = calloc(c->n_arms, sizeof *c->n_sets);
  if (!c->label || !c->sets || !c->n_sets) return STRIFE_ENOMEM;
  int rc = STRIFE_OK;
  for (size_t b = 0; b < nb && !rc; b++)
    for (size_t v = 0; v < nv && !rc; v++)
      rc = make_arm(o, c, b * nv + v, b, v);
  return rc;
}

/* The outcomes' names and directions, from the scenario's model. */
/* With a posterior: the row each run draws (the ensemble's draw), its
   values kept by run. */
static int draws(const strife_compare_opts *o, const strife_scenario *sc,
                 struct compare *c, strife_diag *diag) {
  struct strife__posterior p;
  int rc = strife__posterior_load(&p, o->exp.posterior, sc, diag);
  if (!rc && o->exp.assumptions) rc = strife__posterior_widen(&p, sc, diag);
  if (rc) {
    strife__posterior_free(&p);
    return rc;
  }
  c->k = p.k;
  c->ncol = p.ncol;
  c->keys = p.keys; /* taken over */
  p.keys = NULL;
  c->theta = malloc(((size_t)c->runs * p.k + 1) * sizeof *c->theta);
  if (!c->theta) rc = STRIFE_ENOMEM;
  for (uint32_t r = 0; r < c->runs && !rc; r++) {
    strife__posterior_values(&p, strife_scenario_seed(sc), r,
                             c->theta + (size_t)r * p.k);
  }
  strife__posterior_free(&p);
  return rc;
}

static int outcome_info(const strife_compare_opts *o, struct compare *c,
                        strife_diag *diag) {
  strife_scenario *sc;
  int rc = strife__exp_load(&o->exp, &sc, diag);
  if (rc) return rc;
  const strife_model_type *m = strife_scenario_model_type(sc);
  c->n_out = strife_model_outcome_count(m);
  c->info = calloc(c->n_out ? c->n_out : 1, sizeof *c->info);
  for (size_t k = 0; c->info && k < c->n_out; k++)
    strife_model_outcome(m, k, &c->info[k]);
  rc = c->info ? STRIFE_OK : STRIFE_ENOMEM;
  if (!rc && o->exp.posterior) rc = draws(o, sc, c, diag);
  strife_scenario_destroy(sc);
  return rc;
}

static char *compare_table(const struct strife_experiment *x);

int strife_compare_run(const strife_compare_opts *o, strife_experiment **out,
                       strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  int rc = check_opts(o, diag);
  if (rc) return rc;
  struct compare *c = calloc(1, sizeof *c);
  if (!c) return STRIFE_ENOMEM;
  c->base.table = compare_table;
  c->base.destroy = compare_destroy;
  c->runs = o->runs;
  rc = make_arms(o, c);
  char *arms = rc ? NULL : arms_text(o);
  if (!rc && !arms) rc = STRIFE_ENOMEM;
  if (!rc) rc = outcome_info(o, c, diag);
  struct strife__ens e = {o->exp,    c->n_arms, c->label,  c->sets,
                          c->n_sets, o->runs,   "compare", arms,
                          0,         0,         NULL};
  struct strife__ens_out eo;
  if (!rc) rc = strife__ens_run_all(&e, &eo, diag);
  free(arms);
  if (rc) {
    compare_destroy(&c->base);
    return rc;
  }
  c->base.ran = eo.ran;
  c->base.skipped = eo.skipped;
  c->base.interrupted = eo.interrupted;
  c->out = eo.out;
  *out = &c->base;
  return eo.interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}

/* What pair (a, b) of outcome k hinges on: the two parameters whose
   halves (below and above their median over the draws) differ most in
   P(first better), and whether the answer flips between them. */
static void hinge_rows(const struct compare *c, size_t k, size_t a, size_t b,
                       struct strife__text *t) {
  const size_t stride = c->n_out;
  double *lo = malloc((c->k + 1) * sizeof *lo),
         *hi = malloc((c->k + 1) * sizeof *hi);
  if (!lo || !hi ||
      strife__stats_hinge(c->out + a * c->runs * stride + k,
                          c->out + b * c->runs * stride + k, c->runs, stride,
                          c->info[k].better, c->theta, c->k, lo, hi)) {
    t->oom = 1;
    free(lo);
    free(hi);
    return;
  }
  size_t top[2] = {SIZE_MAX, SIZE_MAX};
  for (size_t i = 0; i < c->k; i++) {
    double g = fabs(hi[i] - lo[i]);
    if (isnan(g) || g < 0.05) continue;
    if (top[0] == SIZE_MAX || g > fabs(hi[top[0]] - lo[top[0]])) {
      top[1] = top[0];
      top[0] = i;
    } else if (top[1] == SIZE_MAX || g > fabs(hi[top[1]] - lo[top[1]])) {
      top[1] = i;
    }
  }
  if (top[0] == SIZE_MAX)
    strife__text_put(t, "    no parameter moves it: P(first better) within "
                        "0.05 in either half of each parameter's draws\n");
  for (int r = 0; r < 2 && top[r] != SIZE_MAX; r++) {
    size_t i = top[r];
    int flips = (lo[i] - 0.5) * (hi[i] - 0.5) < 0;
    strife__text_put(t,
                     "    %s on %s: P(first better) %.3f at or below its "
                     "median draw, %.3f above%s\n",
                     r ? "then" : "hinges", c->keys[i], lo[i], hi[i],
                     flips ? " (the answer flips)" : "");
  }
  free(lo);
  free(hi);
}

/* The rows of outcome 'k': each arm's band, each pair's difference. */
static void outcome_rows(const struct compare *c, size_t k,
                         struct strife__text *t) {
  const strife_outcome_info *oc = &c->info[k];
  const size_t stride = c->n_out;
  strife__text_put(t, "\n%s (%s)\n", oc->name,
                   oc->better > 0   ? "more is better"
                   : oc->better < 0 ? "less is better"
                                    : "neither");
  strife__text_put(t, "  %-36s %6s %12s %12s %12s\n", "arm", "runs", "mean",
                   "5%", "95%");
  for (size_t a = 0; a < c->n_arms; a++) {
    struct strife__band b;
    if (strife__stats_band(c->out + a * c->runs * stride + k, c->runs, stride,
                           &b))
      t->oom = 1;
    strife__text_put(t, "  %-36s %6zu %12.4g %12.4g %12.4g\n", c->label[a], b.n,
                     b.mean, b.lo, b.hi);
  }
  for (size_t a = 0; a < c->n_arms; a++)
    for (size_t b = a + 1; b < c->n_arms; b++) {
      struct strife__paired p;
      if (strife__stats_paired(c->out + a * c->runs * stride + k,
                               c->out + b * c->runs * stride + k, c->runs,
                               stride, oc->better, 0.90, &p))
        t->oom = 1;
      char pair[128];
      snprintf(pair, sizeof pair, "%s - %s", c->label[a], c->label[b]);
      strife__text_put(t, "  %-44s %+12.4g  90%% [%+.4g, %+.4g]", pair, p.mean,
                       p.lo, p.hi);
      if (oc->better)
        strife__text_put(t, "  P(first better) %.3f\n", p.p_better);
      else
        strife__text_put(t, "\n");
      if (oc->better && c->theta) hinge_rows(c, k, a, b, t);
    }
}

static char *compare_table(const struct strife_experiment *x) {
  const struct compare *c = (const struct compare *)x;
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "%zu arms x %u runs (seeds paired across arms)\n",
                   c->n_arms, c->runs);
  if (c->theta && c->k == c->ncol)
    strife__text_put(&t,
                     "each run's %zu parameters drawn from the posterior "
                     "sample, the same draw in every arm: P(first better) "
                     "is over parameters and seeds together\n",
                     c->k);
  if (c->theta && c->k > c->ncol)
    strife__text_put(&t,
                     "each run's %zu parameters drawn from the posterior "
                     "sample and %zu assumptions uniformly over their "
                     "screened ranges, the same draw in every arm: P(first "
                     "better) is over parameters, assumptions and seeds "
                     "together\n",
                     c->ncol, c->k - c->ncol);
  for (size_t k = 0; k < c->n_out; k++)
    outcome_rows(c, k, &t);
  return strife__text_take(&t);
}
