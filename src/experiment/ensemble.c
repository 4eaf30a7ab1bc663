/* SPDX-License-Identifier: MIT */
/* Ensembles of seeded runs into a results database (ensemble.h). */
#include "ensemble.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/sim.h"
#include "core/text.h"
#include "posterior.h"
#include "scenario/scenario.h"
#include "sinks/db.h"

#ifdef _OPENMP
#  include <omp.h>
#endif

/* Loads arm 'a': the 'n_first' overrides 'first' (a posterior draw's),
   the common overrides, then the arm's own, each winning over the ones
   before. */
static int load_arm_with(const struct strife__ens *e, size_t a,
                         char *const *first, size_t n_first,
                         strife_scenario **sc, strife_diag *diag) {
  size_t n = n_first + e->x.n_sets + (e->arm_sets ? e->n_arm_sets[a] : 0);
  const char **sets = malloc((n ? n : 1) * sizeof *sets);
  if (!sets) return STRIFE_ENOMEM;
  size_t k = 0;
  for (size_t i = 0; i < n_first; i++)
    sets[k++] = first[i];
  for (size_t i = 0; i < e->x.n_sets; i++)
    sets[k++] = e->x.sets[i];
  for (size_t i = 0; e->arm_sets && i < e->n_arm_sets[a]; i++)
    sets[k++] = e->arm_sets[a][i];
  int rc =
      strife_scenario_load_with(e->x.models, e->x.scenario, sets, k, sc, diag);
  free(sets);
  return rc;
}

static int load_arm(const struct strife__ens *e, size_t a, strife_scenario **sc,
                    strife_diag *diag) {
  return load_arm_with(e, a, NULL, 0, sc, diag);
}

/* Job j's own scenario: its arm's with its posterior draw under it. */
static int load_drawn(const struct strife__ens *e, uint64_t seed0,
                      const struct strife__job *j, strife_scenario **sc,
                      strife_diag *diag) {
  char **sets;
  double *theta = malloc(e->post->k * sizeof *theta);
  if (!theta) return STRIFE_ENOMEM;
  strife__posterior_values(e->post, seed0, j->rep, theta);
  int rc = strife__posterior_sets(e->post, theta, &sets);
  free(theta);
  if (rc) return rc;
  rc = load_arm_with(e, j->arm, sets, e->post->k, sc, diag);
  for (size_t i = 0; i < e->post->k; i++)
    free(sets[i]);
  free(sets);
  return rc;
}

/* The key an override "K=V" sets, by its path ("" if none). */
static const char *set_key(const strife_scenario *sc, const char *set) {
  char name[256];
  size_t n = strcspn(set, "=");
  if (n >= sizeof name) return "";
  memcpy(name, set, n);
  name[n] = '\0';
  const strife_model_type *m = strife_scenario_model_type(sc);
  const char *path = name;
  for (size_t i = 0; i < m->n_aliases; i++)
    if (strcmp(m->aliases[i].alias, name) == 0) path = m->aliases[i].key;
  const struct strife__key *k = strife__scenario_key(sc, path);
  return k ? k->path : "";
}

/* Refuses an arm that would run other than it says: one that sets
   run.seed (the seeds of an experiment's runs are its own), or sets a key
   twice (the second would win: a --vary over an arm's own key). */
static int check_arm_sets(const struct strife__ens *e,
                          const strife_scenario *sc, size_t a,
                          strife_diag *diag) {
  char *const *set = e->arm_sets ? e->arm_sets[a] : NULL;
  for (size_t i = 0; set && i < e->n_arm_sets[a]; i++) {
    const char *k = set_key(sc, set[i]);
    if (strcmp(k, "run.seed") == 0) {
      strife__diag_set(diag, "run.seed",
                       "arm '%s' sets run.seed, which an experiment ignores: "
                       "run r of every arm has seed --seed + r (set the "
                       "seed with --seed)",
                       e->label[a]);
      return STRIFE_EINVAL;
    }
    for (size_t j = 0; j < i && *k; j++)
      if (strcmp(k, set_key(sc, set[j])) == 0) {
        strife__diag_set(diag, k,
                         "arm '%s' sets %s twice ('%s', then '%s'), so it "
                         "would run other than its name says: set each key "
                         "once in an arm (--vary over a key the arms set "
                         "also does this)",
                         e->label[a], k, set[j], set[i]);
        return STRIFE_EINVAL;
      }
  }
  return STRIFE_OK;
}

/* Refuses two arms of one name, and (in a compare or a sweep, whose arms
   are meant to differ; a sampled design may repeat a point) two arms of
   one scenario. */
static int check_arms(const struct strife__ens *e, strife_scenario *const *arm,
                      strife_diag *diag) {
  const int sweep = strcmp(e->kind, "sweep") == 0;
  const int distinct = sweep || strcmp(e->kind, "compare") == 0;
  for (size_t a = 0; a < e->n_arms; a++) {
    int rc = check_arm_sets(e, arm[a], a, diag);
    if (rc) return rc;
    for (size_t b = 0; b < a; b++) {
      const char *why =
          strcmp(e->label[a], e->label[b]) == 0 ? "have one name"
          : distinct && strcmp(strife_scenario_hash(arm[a]),
                               strife_scenario_hash(arm[b])) == 0
              ? (sweep ? "run the same scenario (an integer key takes the "
                         "nearest integer: give fewer steps)"
                       : "run the same scenario")
              : NULL;
      if (!why) continue;
      strife__diag_set(diag, sweep ? "--param" : "--arm",
                       "%s '%s' and '%s' %s: each of a %s must differ",
                       sweep ? "points" : "arms", e->label[b], e->label[a], why,
                       sweep ? "sweep's points" : "compare's arms");
      return STRIFE_EINVAL;
    }
  }
  return STRIFE_OK;
}

uint64_t strife__ens_seed(const struct strife__ens *e, uint64_t seed0,
                          const struct strife__job *j) {
  return (seed0 + (e->arm0 + j->arm) * e->seed_stride + j->rep) &
         (UINT64_MAX >> 1);
}

int strife__ens_run(const struct strife__ens *e, const strife_scenario *sc,
                    uint64_t seed0, const struct strife__job *j,
                    struct strife__record *rec, strife_diag *diag) {
  strife_config cfg;
  strife_config_init(&cfg);
  cfg.threads = 1;
  cfg.seed_set = 1;
  cfg.seed = strife__ens_seed(e, seed0, j);
  strife_scenario *drawn = NULL;
  if (e->post) {
    int rc = load_drawn(e, seed0, j, &drawn, diag);
    if (rc) return rc;
    sc = drawn;
  }
  strife_sim *sim;
  int rc = strife_sim_create(sc, &cfg, &sim, diag);
  if (rc) {
    strife_scenario_destroy(drawn);
    return rc;
  }
  struct strife__record_sink rs;
  strife__record_sink_init(&rs, rec);
  struct strife__sink *sinks[1] = {&rs.base};
  double outcomes[STRIFE_OUTCOMES_MAX];
  rc = strife__engine_run(sim, sc, sinks, 1, NULL, outcomes, NULL, diag);
  strife_sim_destroy(sim);
  strife_scenario_destroy(drawn);
  return rc;
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
    strife_diag d;
    strife_diag_clear(&d);
    struct strife__record rec;
    memset(&rec, 0, sizeof rec);
    const strife_scenario *sc = arm[jobs[j].arm];
    int rc = strife__ens_run(e, sc, seed0, &jobs[j], &rec, &d);
    if (!rc) {
#pragma omp critical(strife_ensemble_db)
      {
        rc = strife__db_put_run(db, (int)(e->arm0 + jobs[j].arm), jobs[j].rep,
                                &rec, sc, &d);
        if (!rc) {
          o->ran++;
          done++;
          if (e->x.progress) e->x.progress(e->x.progress_ud, done, total);
        }
      }
    }
    strife__record_free(&rec);
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

/* Opens the database (rank 0), records the arms, and lists the jobs not
   done yet, run-major: the first runs of every arm first, so that an
   interrupted ensemble is still paired. */
static int prepare(const struct strife__ens *e, const strife_scenario *base,
                   strife_scenario *const *arm, struct strife__db **db,
                   uint8_t *done, struct strife__job *jobs, size_t *n_jobs,
                   struct strife__ens_out *o, strife_diag *diag) {
  struct strife__db_meta meta = {.kind = e->kind,
                                 .scenario_hash = strife_scenario_hash(base),
                                 .scenario_json = strife_scenario_json(base),
                                 .arms = e->arms_text,
                                 .seed = strife_scenario_seed(base),
                                 .command = e->x.command};
  int rc = STRIFE_OK;
  if (strife__exp_rank(&e->x) == 0) {
    rc = strife__db_open(db, e->x.db, &meta, strife_scenario_model_type(base),
                         diag);
    for (size_t a = 0; a < e->n_arms && !rc; a++)
      rc = strife__db_put_arm(*db, (int)(e->arm0 + a), e->label[a], arm[a],
                              diag);
    for (size_t a = 0; a < e->n_arms && !rc; a++)
      rc = strife__db_done(*db, (int)(e->arm0 + a), e->runs, done + a * e->runs,
                           diag);
  }
  *n_jobs = 0;
  for (uint32_t r = 0; r < e->runs && !rc; r++)
    for (uint32_t a = 0; a < e->n_arms; a++) {
      /* 'done' holds n_arms x runs flags; the analyzer, assuming a call
         may change e->n_arms, thinks it could have been made empty. */
      /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
      if (done[(size_t)a * e->runs + r])
        o->skipped++;
      else
        jobs[(*n_jobs)++] = (struct strife__job){a, r};
    }
  return rc;
}

/* Every run's outcomes, read back from the database (rank 0), then
   shared with every rank. */
static int read_back(const struct strife__ens *e, struct strife__db *db, int rc,
                     struct strife__ens_out *o, strife_diag *diag) {
  const size_t cells = e->n_arms * e->runs;
  if (!rc) {
    o->out = malloc((cells ? cells : 1) * o->n_out * sizeof *o->out);
    if (!o->out) rc = STRIFE_ENOMEM;
  }
  for (size_t a = 0; a < e->n_arms && !rc && strife__exp_rank(&e->x) == 0;
       a++) {
    uint32_t have;
    rc = strife__db_outcomes(db, (int)(e->arm0 + a), e->runs,
                             o->out + a * e->runs * o->n_out, &have, diag);
  }
  if (strife_mpi_size(e->x.mpi) > 1) { /* every rank goes on with rank 0's */
    uint64_t counts[2] = {o->ran, o->skipped};
    rc = strife__mpi_share(e->x.mpi, rc, o->out, o->out ? cells * o->n_out : 0,
                           counts, 2, diag);
    o->ran = counts[0];
    o->skipped = counts[1];
  }
  return rc;
}

static int run_all(const struct strife__ens *e, struct strife__ens_out *o,
                   strife_diag *diag);

/* With x.posterior: the sample read against the scenario (*post), and
   named in what the arms are (*arms, malloc'd), so that a database is
   resumed only with it. */
static int posterior_arms(const struct strife__ens *e,
                          struct strife__posterior *post, char **arms,
                          strife_diag *diag) {
  *arms = NULL;
  strife_scenario *base;
  int rc = strife__exp_load(&e->x, &base, diag);
  if (rc) return rc;
  rc = strife__posterior_load(post, e->x.posterior, base, diag);
  if (!rc && e->x.assumptions) rc = strife__posterior_widen(post, base, diag);
  strife_scenario_destroy(base);
  if (rc) {
    strife__posterior_free(post);
    return rc;
  }
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "%s; posterior fnv1a64:%016llx, %zu rows of %zu keys",
                   e->arms_text ? e->arms_text : "",
                   (unsigned long long)post->sum, post->n, post->ncol);
  if (post->k > post->ncol)
    strife__text_put(&t, ", and %zu assumptions drawn over their ranges",
                     post->k - post->ncol);
  *arms = strife__text_take(&t);
  if (!*arms) strife__posterior_free(post);
  return *arms ? STRIFE_OK : STRIFE_ENOMEM;
}

int strife__ens_arms(const struct strife__ens *e, char **arms,
                     strife_diag *diag) {
  if (!e->x.posterior) {
    struct strife__text t = {NULL, 0, 0, 0};
    strife__text_put(&t, "%s", e->arms_text ? e->arms_text : "");
    *arms = strife__text_take(&t);
    return *arms ? STRIFE_OK : STRIFE_ENOMEM;
  }
  struct strife__posterior post;
  int rc = posterior_arms(e, &post, arms, diag);
  if (!rc) strife__posterior_free(&post);
  return rc;
}

int strife__ens_run_all(const struct strife__ens *e, struct strife__ens_out *o,
                        strife_diag *diag) {
  if (!e->x.posterior) return run_all(e, o, diag);
  memset(o, 0, sizeof *o);
  struct strife__posterior post;
  char *arms;
  int rc = posterior_arms(e, &post, &arms, diag);
  if (rc) return rc;
  struct strife__ens with = *e;
  with.post = &post;
  with.arms_text = arms;
  rc = run_all(&with, o, diag);
  free(arms);
  strife__posterior_free(&post);
  return rc;
}

static int run_all(const struct strife__ens *e, struct strife__ens_out *o,
                   strife_diag *diag) {
  memset(o, 0, sizeof *o);
  if (!e->n_arms || !e->runs) {
    strife__diag_set(diag, "--runs", "nothing to run: no arm or no run");
    return STRIFE_EINVAL;
  }
  /* Far more runs than any database holds: refused before any product
     can overflow. */
  if (e->n_arms > (SIZE_MAX >> 24) / ((size_t)e->runs + 1)) {
    strife__diag_set(diag, "--runs", "more than 2^40 runs");
    return STRIFE_ELIMIT;
  }
  strife_scenario *base;
  int rc = strife__exp_load(&e->x, &base, diag);
  if (rc) return rc;
  o->n_out = strife_model_outcome_count(strife_scenario_model_type(base));
  const size_t cells = e->n_arms * e->runs;
  strife_scenario **arm =
      calloc(e->n_arms ? e->n_arms : 1, sizeof(strife_scenario *));
  uint8_t *done = calloc(cells ? cells : 1, 1);
  struct strife__job *jobs = calloc(cells ? cells : 1, sizeof *jobs);
  if (!arm || !done || !jobs) rc = STRIFE_ENOMEM;
  for (size_t a = 0; a < e->n_arms && !rc; a++)
    rc = load_arm(e, a, &arm[a], diag);
  /* One database holds one model's tables: every arm runs the model of
     the scenario. */
  for (size_t a = 0; a < e->n_arms && !rc; a++)
    if (strife_scenario_model_type(arm[a]) !=
        strife_scenario_model_type(base)) {
      strife__diag_set(diag, "model",
                       "arm '%s' runs the %s model, the scenario the %s "
                       "model: the arms of one experiment run one model",
                       e->label[a], strife_scenario_model(arm[a]),
                       strife_scenario_model(base));
      rc = STRIFE_EINVAL;
    }
  if (!rc) rc = check_arms(e, arm, diag);
  /* An arm too large for the memory is refused before any arm runs. */
  for (size_t a = 0; a < e->n_arms && !rc; a++)
    if ((rc = strife__sim_fits(arm[a], diag)) && diag) {
      char msg[sizeof diag->msg];
      snprintf(msg, sizeof msg, "%s", diag->msg);
      snprintf(diag->msg, sizeof diag->msg, "arm '%.100s': %.380s", e->label[a],
               msg);
    }
  struct strife__db *db = NULL;
  size_t n_jobs = 0;
  /* Bad input fails every rank alike: its input is the same. */
  if (!rc) rc = prepare(e, base, arm, &db, done, jobs, &n_jobs, o, diag);
  const uint64_t seed0 = strife_scenario_seed(base);
  if (strife_mpi_size(e->x.mpi) > 1)
    rc = strife__mpi_jobs(e, o, arm, jobs,
                          strife__exp_rank(&e->x) == 0 ? n_jobs : 0, seed0, db,
                          rc, diag);
  else if (!rc)
    rc = run_jobs(e, o, arm, jobs, n_jobs, seed0, db, diag);
  rc = read_back(e, db, rc, o, diag);
  strife__db_close(db);
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

/* The arms of points: labels and overrides. */
static int point_arms(const struct strife__points *pt, char **label,
                      char ***sets, size_t *n_sets) {
  const size_t k = pt->k;
  for (size_t p = 0; p < pt->points; p++) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s %llu", pt->what,
             (unsigned long long)pt->arm0 + p);
    label[p] = strdup(buf);
    sets[p] = calloc(k ? k : 1, sizeof **sets);
    if (!label[p] || !sets[p]) return STRIFE_ENOMEM;
    for (size_t i = 0; i < k; i++) {
      snprintf(buf, sizeof buf, "%s=%.17g", pt->keys[i], pt->values[p * k + i]);
      if (!(sets[p][i] = strdup(buf))) return STRIFE_ENOMEM;
    }
    n_sets[p] = k;
  }
  return STRIFE_OK;
}

int strife__ens_points(const strife_experiment_opts *x,
                       const struct strife__points *pt, const char *kind,
                       const char *arms_text, struct strife__ens_out *out,
                       strife_diag *diag) {
  const size_t points = pt->points, k = pt->k;
  const size_t alloc = points ? points : 1;
  char **label = calloc(alloc, sizeof *label);
  char ***sets = calloc(alloc, sizeof *sets);
  size_t *n_sets = calloc(alloc, sizeof *n_sets);
  int rc = !label || !sets || !n_sets ? STRIFE_ENOMEM
                                      : point_arms(pt, label, sets, n_sets);
  struct strife__ens e = {*x,       points,          label, sets,
                          n_sets,   pt->runs,        kind,  arms_text,
                          pt->arm0, pt->seed_stride, NULL};
  memset(out, 0, sizeof *out);
  if (!rc) rc = strife__ens_run_all(&e, out, diag);
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

int strife__ens_design(const strife_experiment_opts *x,
                       const strife_scenario *base,
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
      v[p * k + i] = strife__exp_param_value(base, &params[i], u[p * k + i]);
  struct strife__points pt = {keys, k, v, points, runs, "point", 0, 0};
  int rc = strife__ens_points(x, &pt, kind, arms_text, out, diag);
  free(v);
  free(keys);
  return rc;
}
