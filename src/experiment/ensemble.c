/* SPDX-License-Identifier: MIT */
/* Ensembles of seeded runs into a results database (ensemble.h). */
#include "ensemble.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <strife/strife.h>

#include "core/sim.h"
#include "sinks/db.h"
#include "sinks/record.h"
#include "models/afghan/afghan.h"
#include "scenario/scenario.h"

#ifdef _OPENMP
#  include <omp.h>
#endif

/* Loads arm 'a': the common overrides, then the arm's own. */
static int load_arm(const struct strife__ens *e, size_t a, strife_scenario **sc,
                    strife_diag *diag) {
  size_t n = e->x.n_sets + (e->arm_sets ? e->n_arm_sets[a] : 0);
  const char **sets = malloc((n ? n : 1) * sizeof *sets);
  if (!sets) return STRIFE_ENOMEM;
  size_t k = 0;
  for (size_t i = 0; i < e->x.n_sets; i++)
    sets[k++] = e->x.sets[i];
  for (size_t i = 0; e->arm_sets && i < e->n_arm_sets[a]; i++)
    sets[k++] = e->arm_sets[a][i];
  int rc = strife_scenario_load(e->x.scenario, sets, k, sc, diag);
  free(sets);
  if (!rc && strcmp(strife_scenario_model(*sc), "afghan") != 0) {
    strife__diag_set(diag, "model", "%s runs Afghan scenarios, not '%s'",
                     e->kind, strife_scenario_model(*sc));
    strife_scenario_destroy(*sc);
    rc = STRIFE_EINVAL;
  }
  return rc;
}

uint64_t strife__job_seed(const struct strife__ens *e, uint64_t seed0,
                          const struct strife__job *j) {
  return (seed0 + (e->arm0 + j->arm) * e->seed_stride + j->rep) &
         (UINT64_MAX >> 1);
}

/* Runs the pending jobs over the threads; the first error stops the
   others from starting. */
static int run_jobs(const struct strife__ens *e, struct strife__ens_out *o,
                    strife_scenario *const *arm, const struct strife__job *jobs,
                    size_t n_jobs, uint64_t seed0, struct strife__db *db,
                    strife_diag *diag) {
  int err = STRIFE_OK;
  uint64_t total = (uint64_t)e->n_arms * e->runs, done = o->skipped;
#ifdef _OPENMP
  /* NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): read by num_threads */
  const int nt = e->x.threads ? (int)e->x.threads : omp_get_max_threads();
#endif
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
  for (size_t j = 0; j < n_jobs; j++) {
    int stop;
#pragma omp atomic read
    stop = err;
    if (stop || (e->x.cancel && *e->x.cancel)) continue;
    strife_config cfg;
    strife_config_init(&cfg);
    cfg.threads = 1;
    cfg.seed_set = 1;
    const uint64_t db_arm = e->arm0 + jobs[j].arm;
    cfg.seed = strife__job_seed(e, seed0, &jobs[j]);
    strife_diag d;
    strife_diag_clear(&d);
    strife_sim *sim;
    int rc = strife_sim_create(arm[jobs[j].arm], &cfg, &sim, &d);
    struct strife__record rec;
    memset(&rec, 0, sizeof rec);
    if (!rc) {
      rc = strife__record_run(sim, NULL, &rec);
      if (!rc) {
        const struct strife__afghan *m = strife__sim_state(sim);
#pragma omp critical(strife_ensemble_db)
        {
          rc = strife__db_put_run(db, (int)db_arm, jobs[j].rep, &rec, m->prov,
                                  &d);
          if (!rc) {
            o->ran++;
            done++;
            if (e->x.progress) e->x.progress(e->x.progress_ud, done, total);
          }
        }
      }
      strife__record_free(&rec);
      strife_sim_destroy(sim);
    }
    if (rc) {
#pragma omp critical(strife_ensemble_err)
      if (!err) {
        err = rc;
        if (diag) *diag = d;
      }
    }
  }
  return err;
}

int strife__ensemble(const struct strife__ens *e, struct strife__ens_out *o,
                     strife_diag *diag) {
  memset(o, 0, sizeof *o);
  strife_scenario *base;
  int rc =
      strife_scenario_load(e->x.scenario, e->x.sets, e->x.n_sets, &base, diag);
  if (rc) return rc;
  const size_t cells = e->n_arms * e->runs;
  strife_scenario **arm =
      calloc(e->n_arms ? e->n_arms : 1, sizeof(strife_scenario *));
  uint8_t *done = calloc(cells ? cells : 1, 1);
  struct strife__job *jobs = malloc((cells ? cells : 1) * sizeof *jobs);
  if (!arm || !done || !jobs) rc = STRIFE_ENOMEM;
  for (size_t a = 0; a < e->n_arms && !rc; a++)
    rc = load_arm(e, a, &arm[a], diag);
  if (rc) goto out; /* every rank fails alike: its input is the same */
  /* Under MPI only rank 0 opens the database; the others run. */
  const int rank = strife_dist_rank(), ranks = strife_dist_size();
  struct strife__db *db = NULL;
  struct strife__db_meta meta = {e->kind, strife_scenario_hash(base),
                                 strife_scenario_json(base), e->arms_text,
                                 e->x.command};
  if (rank == 0) rc = strife__db_open(&db, e->x.db, &meta, diag);
  for (size_t a = 0; a < e->n_arms && !rc && rank == 0; a++)
    rc = strife__db_put_arm(db, (int)(e->arm0 + a), e->label[a], arm[a], diag);
  for (size_t a = 0; a < e->n_arms && !rc && rank == 0; a++)
    rc = strife__db_done(db, (int)(e->arm0 + a), e->runs, done + a * e->runs,
                         diag);
  /* Run-major order: the first runs of every arm finish first, so that
     an interrupted ensemble is still paired. */
  size_t n_jobs = 0;
  for (uint32_t r = 0; r < e->runs && !rc; r++)
    for (uint32_t a = 0; a < e->n_arms; a++) {
      if (done[(size_t)a * e->runs + r])
        o->skipped++;
      else
        jobs[n_jobs++] = (struct strife__job){a, r};
    }
  if (ranks > 1)
    rc = strife__dist_jobs(e, o, arm, jobs, rank == 0 ? n_jobs : 0,
                           strife_scenario_seed(base), db, rc, diag);
  else if (!rc)
    rc =
        run_jobs(e, o, arm, jobs, n_jobs, strife_scenario_seed(base), db, diag);
  if (!rc) {
    o->out = malloc((cells ? cells : 1) * STRIFE__OUTCOMES * sizeof *o->out);
    if (!o->out) rc = STRIFE_ENOMEM;
    for (size_t a = 0; a < e->n_arms && !rc && rank == 0; a++) {
      uint32_t have;
      rc = strife__db_outcomes(db, (int)(e->arm0 + a), e->runs,
                               o->out + a * e->runs * STRIFE__OUTCOMES, &have,
                               diag);
    }
  }
  if (ranks > 1) { /* every rank goes on with rank 0's outcomes */
    uint64_t counts[2] = {o->ran, o->skipped};
    rc = strife__dist_share(rc, o->out, o->out ? cells * STRIFE__OUTCOMES : 0,
                            counts, 2, diag);
    o->ran = counts[0];
    o->skipped = counts[1];
  }
  strife__db_close(db);
out:
  for (size_t a = 0; arm && a < e->n_arms; a++)
    strife_scenario_destroy(arm[a]);
  free(arm);
  free(done);
  free(jobs);
  strife_scenario_destroy(base);
  if (rc) {
    free(o->out);
    o->out = NULL;
    return rc;
  }
  o->interrupted = o->ran + o->skipped < (uint64_t)cells;
  return STRIFE_OK;
}

int strife__check_params(const strife_param_range *params, size_t n,
                         strife_diag *diag) {
  for (size_t i = 0; i < n; i++) {
    const strife_param_range *p = &params[i];
    const struct strife__key *k = strife__key_find(p->key);
    if (!k || (k->type != STRIFE__K_REAL && k->type != STRIFE__K_INT &&
               k->type != STRIFE__K_U32 && k->type != STRIFE__K_I64)) {
      strife__diag_set(diag, p->key,
                       "--param: not a numeric scenario key (strife help "
                       "scenario lists them)");
      return STRIFE_EINVAL;
    }
    if (!(p->lo < p->hi) || !isfinite(p->lo) || !isfinite(p->hi)) {
      strife__diag_set(diag, p->key, "--param: expected LO < HI, got %g:%g",
                       p->lo, p->hi);
      return STRIFE_EINVAL;
    }
    if (p->lo < k->min || p->hi > k->max) {
      strife__diag_set(diag, p->key, "--param: %g:%g leaves the key's range %s",
                       p->lo, p->hi, k->range);
      return STRIFE_EINVAL;
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(params[j].key, p->key) == 0) {
        strife__diag_set(diag, p->key, "--param: given twice");
        return STRIFE_EINVAL;
      }
  }
  return STRIFE_OK;
}

double strife__param_value(const strife_param_range *p, double u) {
  double v = p->lo + u * (p->hi - p->lo);
  return strife__key_find(p->key)->type == STRIFE__K_REAL ? v : floor(v + 0.5);
}

int strife__run_points(const strife_experiment_opts *x,
                       const struct strife__points *pt, const char *kind,
                       const char *arms_text, struct strife__ens_out *out,
                       strife_diag *diag) {
  const size_t points = pt->points, k = pt->k;
  const size_t alloc = points ? points : 1;
  char **label = calloc(alloc, sizeof *label);
  char ***sets = calloc(alloc, sizeof *sets);
  size_t *n_sets = calloc(alloc, sizeof *n_sets);
  int rc = !label || !sets || !n_sets ? STRIFE_ENOMEM : STRIFE_OK;
  for (size_t p = 0; p < points && !rc; p++) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s %llu", pt->what,
             (unsigned long long)pt->arm0 + p);
    label[p] = strdup(buf);
    sets[p] = calloc(k ? k : 1, sizeof **sets);
    if (!label[p] || !sets[p]) rc = STRIFE_ENOMEM;
    for (size_t i = 0; i < k && !rc; i++) {
      snprintf(buf, sizeof buf, "%s=%.17g", pt->keys[i], pt->values[p * k + i]);
      if (!(sets[p][i] = strdup(buf))) rc = STRIFE_ENOMEM;
    }
    n_sets[p] = k;
  }
  struct strife__ens e = {*x,       points,         label, sets,
                          n_sets,   pt->runs,       kind,  arms_text,
                          pt->arm0, pt->seed_stride};
  memset(out, 0, sizeof *out);
  if (!rc) rc = strife__ensemble(&e, out, diag);
  for (size_t p = 0; p < points; p++) {
    if (label) free(label[p]);
    for (size_t i = 0; sets && sets[p] && i < k; i++)
      free(sets[p][i]);
    if (sets) free(sets[p]);
  }
  free(label);
  free(sets);
  free(n_sets);
  return rc;
}

int strife__run_design(const strife_experiment_opts *x,
                       const strife_param_range *params, size_t k,
                       const double *u, size_t points, uint32_t runs,
                       const char *kind, const char *arms_text,
                       struct strife__ens_out *out, strife_diag *diag) {
  double *v = malloc((points * k + 1) * sizeof *v);
  const char **keys = malloc((k ? k : 1) * sizeof *keys);
  if (!v || !keys) {
    free(v);
    free(keys);
    return STRIFE_ENOMEM;
  }
  for (size_t i = 0; i < k; i++)
    keys[i] = params[i].key;
  for (size_t p = 0; p < points; p++)
    for (size_t i = 0; i < k; i++)
      v[p * k + i] = strife__param_value(&params[i], u[p * k + i]);
  struct strife__points pt = {keys, k, v, points, runs, "point", 0, 0};
  int rc = strife__run_points(x, &pt, kind, arms_text, out, diag);
  free(v);
  free(keys);
  return rc;
}

int strife__outcome_indices(const char *const *names, size_t n, size_t *out,
                            strife_diag *diag) {
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;
    while (k < STRIFE__OUTCOMES &&
           strcmp(strife__outcomes[k].name, names[i]) != 0)
      k++;
    if (k == STRIFE__OUTCOMES) {
      strife__diag_set(diag, "--outcome",
                       "unknown outcome '%s' (docs/results.md lists them)",
                       names[i]);
      return STRIFE_EINVAL;
    }
    out[i] = k;
  }
  return STRIFE_OK;
}
