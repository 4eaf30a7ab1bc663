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

#include "core/sim.h"
#include "io/db.h"
#include "io/record.h"
#include "model/afghan.h"
#include "scenario/scenario.h"
#include "stats.h"

#ifdef _OPENMP
#  include <omp.h>
#endif

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
  size_t size = 64;
  for (size_t i = 0; i < o->n_policies; i++)
    size += strlen(o->policies[i]) + 1;
  for (size_t i = 0; i < o->n_vary; i++)
    size += strlen(o->vary_values[i]) + 1;
  if (o->vary_key) size += strlen(o->vary_key);
  for (size_t i = 0; i < o->n_sets; i++)
    size += strlen(o->sets[i]) + 3;
  char *t = malloc(size);
  if (!t) return NULL;
  size_t n = (size_t)snprintf(t, size, "policies=");
  for (size_t i = 0; i < o->n_policies; i++)
    n +=
        (size_t)snprintf(t + n, size - n, "%s%s", i ? "," : "", o->policies[i]);
  if (o->vary_key) {
    n += (size_t)snprintf(t + n, size - n, "; vary %s=", o->vary_key);
    for (size_t i = 0; i < o->n_vary; i++)
      n += (size_t)snprintf(t + n, size - n, "%s%s", i ? "," : "",
                            o->vary_values[i]);
  }
  return t;
}

/* Loads the scenario with the common overrides and up to two more. */
static int load(const strife_compare_opts *o, const char *extra1,
                const char *extra2, strife_scenario **sc, strife_diag *diag) {
  const char **sets = malloc((o->n_sets + 2) * sizeof *sets);
  if (!sets) return STRIFE_ENOMEM;
  size_t n = 0;
  for (size_t i = 0; i < o->n_sets; i++)
    sets[n++] = o->sets[i];
  if (extra1) sets[n++] = extra1;
  if (extra2) sets[n++] = extra2;
  int rc = strife_scenario_load(o->scenario, sets, n, sc, diag);
  free(sets);
  return rc;
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
  if (!o->db || !*o->db) {
    strife__diag_set(diag, "--db", "a results database is needed");
    return STRIFE_EINVAL;
  }
  return STRIFE_OK;
}

/* Loads every arm's scenario (before the database is touched, so that a
   bad policy or value leaves no file behind). */
static int load_arms(const strife_compare_opts *o, strife_compare *c,
                     strife_scenario **arm, strife_diag *diag) {
  size_t nv = o->vary_key ? o->n_vary : 1;
  int rc = STRIFE_OK;
  for (size_t p = 0; p < o->n_policies && !rc; p++) {
    for (size_t v = 0; v < nv && !rc; v++) {
      size_t a = p * nv + v;
      char pol[128], var[256], label[400];
      snprintf(pol, sizeof pol, "policy=%s", o->policies[p]);
      if (o->vary_key)
        snprintf(var, sizeof var, "%s=%s", o->vary_key, o->vary_values[v]);
      snprintf(label, sizeof label, "%s%s%s", o->policies[p],
               o->vary_key ? " " : "", o->vary_key ? var : "");
      rc = load(o, pol, o->vary_key ? var : NULL, &arm[a], diag);
      if (!rc && strcmp(strife_scenario_model(arm[a]), "afghan") != 0) {
        strife__diag_set(diag, "model",
                         "compare runs Afghan scenarios, not '%s'",
                         strife_scenario_model(arm[a]));
        rc = STRIFE_EINVAL;
      }
      if (!rc && !(c->label[a] = strdup(label))) rc = STRIFE_ENOMEM;
    }
  }
  return rc;
}

struct job {
  uint32_t arm, rep;
};

/* Runs the pending jobs over the threads; the first error stops the
   others from starting. */
static int run_jobs(const strife_compare_opts *o, strife_compare *c,
                    strife_scenario *const *arm, const struct job *jobs,
                    size_t n_jobs, uint64_t seed0, struct strife__db *db,
                    strife_diag *diag) {
  int err = STRIFE_OK;
  uint64_t total = (uint64_t)c->n_arms * c->runs, done = c->skipped;
#ifdef _OPENMP
  /* NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): read by num_threads */
  const int nt = o->threads ? (int)o->threads : omp_get_max_threads();
#endif
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
  for (size_t j = 0; j < n_jobs; j++) {
    int stop;
#pragma omp atomic read
    stop = err;
    if (stop || (o->cancel && *o->cancel)) continue;
    strife_config cfg;
    strife_config_init(&cfg);
    cfg.threads = 1;
    cfg.seed_set = 1;
    cfg.seed = (seed0 + jobs[j].rep) & (UINT64_MAX >> 1);
    strife_diag d;
    strife_sim *sim;
    int rc = strife_sim_create(arm[jobs[j].arm], &cfg, &sim, &d);
    struct strife__record rec;
    memset(&rec, 0, sizeof rec);
    if (!rc) {
      rc = strife__record_run(sim, NULL, &rec);
      if (!rc) {
        const struct strife__afghan *m = strife__sim_state(sim);
#pragma omp critical(strife_compare_db)
        {
          rc = strife__db_put_run(db, (int)jobs[j].arm, jobs[j].rep, &rec,
                                  m->prov, &d);
          if (!rc) {
            c->ran++;
            done++;
            if (o->progress) o->progress(o->progress_ud, done, total);
          }
        }
      }
      strife__record_free(&rec);
      strife_sim_destroy(sim);
    }
    if (rc) {
#pragma omp critical(strife_compare_err)
      if (!err) {
        err = rc;
        if (diag) *diag = d;
      }
    }
  }
  return err;
}

int strife_compare_run(const strife_compare_opts *o, strife_compare **out,
                       strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  int rc = check_opts(o, diag);
  if (rc) return rc;
  strife_scenario *base;
  rc = load(o, NULL, NULL, &base, diag);
  if (rc) return rc;
  char *arms = arms_text(o);
  strife_compare *c = calloc(1, sizeof *c);
  if (!arms || !c) {
    free(arms);
    free(c);
    strife_scenario_destroy(base);
    return STRIFE_ENOMEM;
  }
  c->n_arms = o->n_policies * (o->vary_key ? o->n_vary : 1);
  c->runs = o->runs;
  c->label = calloc(c->n_arms, sizeof *c->label);
  strife_scenario **arm = calloc(c->n_arms, sizeof(strife_scenario *));
  uint8_t *done = calloc((size_t)c->n_arms * c->runs, 1);
  struct job *jobs = malloc((size_t)c->n_arms * c->runs * sizeof *jobs);
  struct strife__db *db = NULL;
  if (!c->label || !arm || !done || !jobs) rc = STRIFE_ENOMEM;
  struct strife__db_meta meta = {"compare", strife_scenario_hash(base),
                                 strife_scenario_json(base), arms, o->command};
  if (!rc) rc = load_arms(o, c, arm, diag);
  if (!rc) rc = strife__db_open(&db, o->db, &meta, diag);
  for (size_t a = 0; a < c->n_arms && !rc; a++)
    rc = strife__db_put_arm(db, (int)a, c->label[a], arm[a], diag);
  size_t n_jobs = 0;
  /* Run-major order: the first runs of every arm finish first, so that
     an interrupted comparison is still paired. */
  for (uint32_t a = 0; a < c->n_arms && !rc; a++)
    rc = strife__db_done(db, (int)a, c->runs, done + (size_t)a * c->runs, diag);
  for (uint32_t r = 0; r < c->runs && !rc; r++)
    for (uint32_t a = 0; a < c->n_arms; a++) {
      if (done[(size_t)a * c->runs + r])
        c->skipped++;
      else
        jobs[n_jobs++] = (struct job){a, r};
    }
  if (!rc)
    rc =
        run_jobs(o, c, arm, jobs, n_jobs, strife_scenario_seed(base), db, diag);
  if (!rc) {
    c->out =
        malloc((size_t)c->n_arms * c->runs * STRIFE__OUTCOMES * sizeof *c->out);
    if (!c->out) rc = STRIFE_ENOMEM;
    for (uint32_t a = 0; a < c->n_arms && !rc; a++) {
      uint32_t have;
      rc = strife__db_outcomes(db, (int)a, c->runs,
                               c->out + (size_t)a * c->runs * STRIFE__OUTCOMES,
                               &have, diag);
    }
  }
  strife__db_close(db);
  for (size_t a = 0; arm && a < c->n_arms; a++)
    strife_scenario_destroy(arm[a]);
  free(arm);
  free(done);
  free(jobs);
  free(arms);
  strife_scenario_destroy(base);
  if (rc) {
    strife_compare_free(c);
    return rc;
  }
  *out = c;
  return o->cancel && *o->cancel &&
                 c->ran + c->skipped < (uint64_t)c->n_arms * c->runs
             ? STRIFE_ECANCELED
             : STRIFE_OK;
}

/* Appends printf output to a growing string. */
struct text {
  char *s;
  size_t n, cap;
  int oom;
};

static void put(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...) {
  if (t->oom) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
    va_end(ap);
    if (n < 0) {
      t->oom = 1;
      return;
    }
    if ((size_t)n < t->cap - t->n) {
      t->n += (size_t)n;
      return;
    }
    size_t cap = (t->cap ? t->cap * 2 : 4096) + (size_t)n;
    char *s = realloc(t->s, cap);
    if (!s) {
      t->oom = 1;
      return;
    }
    t->s = s;
    t->cap = cap;
  }
}

char *strife_compare_table(const strife_compare *c) {
  struct text t = {NULL, 0, 0, 0};
  const size_t stride = STRIFE__OUTCOMES;
  put(&t, "%zu arms x %u runs (seeds paired across arms)\n", c->n_arms,
      c->runs);
  for (int k = 0; k < STRIFE__OUTCOMES; k++) {
    const struct strife__outcome *oc = &strife__outcomes[k];
    put(&t, "\n%s (%s)\n", oc->name,
        oc->better > 0   ? "more is better"
        : oc->better < 0 ? "less is better"
                         : "neither");
    put(&t, "  %-36s %6s %12s %12s %12s\n", "arm", "runs", "mean", "5%", "95%");
    for (size_t a = 0; a < c->n_arms; a++) {
      struct strife__band b;
      if (strife__band(c->out + a * c->runs * stride + (size_t)k, c->runs,
                       stride, &b))
        t.oom = 1;
      put(&t, "  %-36s %6zu %12.4g %12.4g %12.4g\n", c->label[a], b.n, b.mean,
          b.lo, b.hi);
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
        put(&t, "  %-44s %+12.4g  90%% [%+.4g, %+.4g]", pair, p.mean, p.lo,
            p.hi);
        if (oc->better)
          put(&t, "  P(first better) %.3f\n", p.p_better);
        else
          put(&t, "\n");
      }
  }
  if (t.oom) {
    free(t.s);
    return NULL;
  }
  return t.s;
}
