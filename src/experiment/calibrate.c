/* SPDX-License-Identifier: MIT */
/*
 * strife calibrate (strife/experiment.h; docs/calibration.md): ABC-SMC
 * (abc.h) of the scenario's free parameters against its targets, each
 * batch of proposals an ensemble into the results database.
 *
 * The distance of a proposal is
 *     d = sqrt(sum_t ((mean_t - value_t) / scale_t)^2
 *              + sum_f (ln((mean_f + 1) / (c_f + 1)) / sd)^2)
 * over the targets t, mean_t the outcome's mean over the proposal's runs,
 * and, with a record, over its scored figures f inside the fit window,
 * mean_f the figure's measure over the runs, c_f the figure or the
 * nearest end of its range, sd the record's tolerance on the log scale.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abc.h"
#include "core/date.h"
#include "core/text.h"
#include "ensemble.h"
#include "observed.h"
#include "scenario/scenario.h"
#include "sinks/db.h"

#define GENERATIONS_MAX 100

struct calibration {
  struct strife_experiment base;
  size_t k, n_t;
  struct strife__observed rec; /* with --record */
  size_t n_f, *fig;            /* the figures fitted: in the window */
  size_t np;                   /* n_t + n_f: what a proposal predicts */
  double record_sd;
  const struct strife_model_type *type;
  struct strife__calibration cal;
  size_t outcome[STRIFE__TARGETS_MAX]; /* index among the outcomes */
  size_t stride;                       /* the model's outcomes */
  struct strife__abc abc;
  uint32_t runs;
  double quantile;
  int integer[STRIFE__FREE_MAX];      /* free key j is an integer key */
  uint64_t gen_arm0[GENERATIONS_MAX]; /* the first arm of each generation */
  double *pred; /* [arm][np]: target outcomes' and figures' means */
  size_t pred_cap;
  char *files; /* what was written, for the table */
};

static void calibration_destroy(struct strife_experiment *x) {
  struct calibration *c = (struct calibration *)x;
  strife__abc_free(&c->abc);
  strife__observed_free(&c->rec);
  free(c->fig);
  free(c->pred);
  free(c->files);
  free(c);
}

/* Free parameter j at v as the model runs it: an integer key at the
   nearest integer. */
static double as_run(const struct calibration *c, size_t j, double v) {
  return c->integer[j] ? floor(v + 0.5) : v;
}

/* Refuses target 't' of the scenario's calibration, at its place. */
static int target_fail(const strife_scenario *sc, size_t t, strife_diag *diag,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* What the sampler's simulator needs. */
struct ctx {
  struct calibration *c;
  strife_experiment_opts x; /* progress through on_progress */
  const strife_experiment_opts *user;
  const char *keys[STRIFE__FREE_MAX];
  const char *arms_text;
  uint64_t next_arm;
  strife_diag *diag;
  const strife_scenario *sc;
};

static void on_progress(void *ud, uint64_t done, uint64_t total) {
  const struct ctx *x = ud;
  uint64_t base = x->next_arm * x->c->runs;
  x->user->progress(x->user->progress_ud, base + done, base + total);
}

/* Figure f fitted, as "quantity[@place] start..end". */
static void figure_name(const struct calibration *c, size_t f, char *buf,
                        size_t size) {
  const strife_observation *ob = c->rec.fig[c->fig[f]].ob;
  char a[11], b[11];
  strife__date_text(ob->start, a);
  strife__date_text(ob->end, b);
  snprintf(buf, size, "%s%s%s %s..%s", ob->quantity, ob->place ? "@" : "",
           ob->place ? ob->place : "", a, b);
}

/* The means of the figures fitted over each proposal's runs, read back
   from the database (rank 0), into pred; shared with every rank. */
static int figure_means(struct ctx *x, size_t n) {
  struct calibration *c = x->c;
  if (!c->n_f) return STRIFE_OK;
  int rc = STRIFE_OK;
  double *share = calloc(n * c->n_f + 1, sizeof *share);
  double *v = malloc((c->rec.n + 1) * sizeof *v);
  if (!share || !v) rc = STRIFE_ENOMEM;
  struct strife__db *db = NULL;
  if (!rc && strife__exp_rank(x->user) == 0) {
    rc = strife__db_open_read(&db, x->user->db, c->type, x->diag);
    for (size_t i = 0; i < n && !rc; i++) {
      int arm = (int)(x->next_arm + i);
      for (uint32_t r = 0; r < c->runs && !rc; r++) {
        rc = strife__observed_run(&c->rec, c->type->schema, db, arm, r, v,
                                  x->diag);
        for (size_t f = 0; f < c->n_f && !rc; f++)
          share[i * c->n_f + f] += v[c->fig[f]] / c->runs;
      }
    }
    strife__db_close(db);
  }
  if (strife_mpi_size(x->user->mpi) > 1)
    rc = strife__mpi_share(x->user->mpi, rc, share, n * c->n_f, NULL, 0,
                           x->diag);
  for (size_t i = 0; i < n && !rc && share; i++)
    for (size_t f = 0; f < c->n_f; f++)
      c->pred[(x->next_arm + i) * c->np + c->n_t + f] = share[i * c->n_f + f];
  free(share);
  free(v);
  return rc;
}

/* The squared distance of proposal 'arm' from the figures. */
static double figure_d2(const struct calibration *c, uint64_t arm) {
  double d2 = 0;
  for (size_t f = 0; f < c->n_f; f++) {
    double m = c->pred[arm * c->np + c->n_t + f];
    double z =
        strife__observed_log_miss(&c->rec.fig[c->fig[f]], m) / c->record_sd;
    d2 += z * z;
  }
  return d2;
}

static int simulate(void *ud, unsigned gen, uint64_t first, size_t n,
                    const double *theta, double *dist) {
  struct ctx *x = ud;
  struct calibration *c = x->c;
  const size_t k = c->k, nt = c->n_t, np = c->np;
  if (first == 0) c->gen_arm0[gen] = x->next_arm;
  if ((x->next_arm + n) * np > c->pred_cap) {
    size_t cap = ((size_t)x->next_arm + n) * np * 2;
    double *p = realloc(c->pred, cap * sizeof *p);
    if (!p) return STRIFE_ENOMEM;
    c->pred = p;
    c->pred_cap = cap;
  }
  double *v = malloc(n * k * sizeof *v);
  if (!v) return STRIFE_ENOMEM;
  for (size_t i = 0; i < n * k; i++) /* an integer key runs rounded */
    v[i] = as_run(c, i % k, theta[i]);
  struct strife__points pt = {x->keys, k,          v,           n,
                              c->runs, "proposal", x->next_arm, c->runs};
  struct strife__ens_out o;
  int rc =
      strife__ens_points(&x->x, &pt, "calibrate", x->arms_text, &o, x->diag);
  free(v);
  if (rc) return rc;
  c->base.ran += o.ran;
  c->base.skipped += o.skipped;
  if (o.interrupted) {
    free(o.out);
    c->base.interrupted = 1;
    return STRIFE_ECANCELED;
  }
  rc = figure_means(x, n);
  for (size_t i = 0; i < n && !rc; i++) {
    double d2 = figure_d2(c, x->next_arm + i);
    /* A figure with no value would reject every proposal for ever. */
    for (size_t f = 0; f < c->n_f && isnan(d2) && !rc; f++) {
      char name[160];
      figure_name(c, f, name, sizeof name);
      if (!isnan(c->pred[(x->next_arm + i) * np + nt + f])) continue;
      strife_diag_clear(x->diag);
      strife__diag_set(x->diag, "--record",
                       "%s (%s:%zu) has no value in the runs of proposal "
                       "%llu: its period must lie inside the days run",
                       name, c->rec.path[c->rec.fig[c->fig[f]].file],
                       c->rec.fig[c->fig[f]].index,
                       (unsigned long long)x->next_arm + i);
      rc = STRIFE_EINVAL;
    }
    for (size_t t = 0; t < nt; t++) {
      double m = 0;
      for (uint32_t r = 0; r < c->runs; r++)
        m += o.out[(i * c->runs + r) * c->stride + c->outcome[t]];
      m /= c->runs;
      c->pred[(x->next_arm + i) * np + t] = m;
      double z = (m - c->cal.target[t].value) / c->cal.target[t].scale;
      d2 += z * z;
      /* A target with no value would reject every proposal for ever. */
      if (isnan(m) && !rc)
        rc = target_fail(x->sc, t, x->diag,
                         "outcome \"%s\" has no value in the runs of "
                         "proposal %llu; a target must be an outcome every "
                         "run computes",
                         c->cal.target[t].outcome,
                         (unsigned long long)x->next_arm + i);
    }
    dist[i] = isnan(d2) ? (double)NAN : sqrt(d2);
  }
  free(o.out);
  if (rc) return rc;
  x->next_arm += n;
  return STRIFE_OK;
}

static const char *const prior_names[] = {"uniform", "log-uniform", "normal"};

static int check_opts(const strife_calibrate_opts *o, strife_diag *diag) {
  const char *key = NULL, *want = NULL;
  if (o->particles < 2 || o->particles > 100000)
    key = "--particles", want = "2 .. 100000 particles";
  else if (o->generations < 1 || o->generations > GENERATIONS_MAX)
    key = "--generations", want = "1 .. 100 generations";
  else if (!(o->quantile > 0 && o->quantile < 1))
    key = "--quantile", want = "a quantile in (0, 1)";
  else if (o->runs < 1 || o->runs > 10000)
    key = "--runs", want = "1 .. 10000 runs a proposal";
  else if (o->batch > 1000000)
    key = "--batch", want = "at most 1000000 proposals a batch";
  else if (!(o->min_accept >= 0 && o->min_accept < 1))
    key = "--min-accept", want = "a rate in [0, 1)";
  else if (o->budget && o->budget < o->particles)
    key = "--budget", want = "a budget of at least the particles";
  else if (!o->out || !*o->out)
    key = "--out", want = "an output directory";
  else if (o->exp.posterior || o->exp.assumptions)
    key = o->exp.posterior ? "--posterior" : "--assumptions",
    want = "no posterior: calibrate draws the free parameters from their "
           "priors itself";
  if (!key) return STRIFE_OK;
  strife__diag_set(diag, key, "expected %s", want);
  return STRIFE_EINVAL;
}

static int target_fail(const strife_scenario *sc, size_t t, strife_diag *diag,
                       const char *fmt, ...) {
  const struct strife__target *tg =
      &strife__scenario_calibration(sc)->target[t];
  if (diag) {
    strife_diag_clear(diag);
    snprintf(diag->source, sizeof diag->source, "%s",
             tg->line ? strife__scenario_source(sc) : "--set");
    diag->line = tg->line;
    diag->column = tg->col;
    snprintf(diag->key, sizeof diag->key, "calibration.targets[%zu].outcome",
             t);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
    va_end(ap);
  }
  return STRIFE_ESCENARIO;
}

/* The scenario's calibration, its targets' outcomes known. */
static int read_spec(const strife_scenario *sc, struct calibration *c,
                     strife_diag *diag) {
  c->cal = *strife__scenario_calibration(sc);
  c->k = (size_t)c->cal.n_free;
  c->n_t = (size_t)c->cal.n_targets;
  const char *what = !c->k                ? "calibration.free"
                     : !c->n_t && !c->n_f ? "calibration.targets"
                                          : NULL;
  if (what) {
    strife__diag_set(diag, what,
                     "%s: the scenario has no %s; calibrate needs free "
                     "parameters with priors and targets "
                     "(docs/calibration.md)",
                     strife__scenario_source(sc),
                     c->k ? "targets" : "free parameters");
    return STRIFE_ESCENARIO;
  }
  const strife_model_type *m = strife_scenario_model_type(sc);
  c->stride = strife_model_outcome_count(m);
  for (size_t t = 0; t < c->n_t; t++) {
    const struct strife__target *tg = &c->cal.target[t];
    size_t i = 0;
    strife_outcome_info info;
    for (; i < c->stride; i++) {
      strife_model_outcome(m, i, &info);
      if (strcmp(info.name, tg->outcome) == 0) break;
    }
    if (i == c->stride)
      return target_fail(sc, t, diag,
                         "unknown outcome \"%s\" of the %s model "
                         "(docs/results.md lists them)",
                         tg->outcome, strife_model_name(m));
    char why[256];
    if (m->undefined &&
        m->undefined(strife__scenario_params(sc), strife_scenario_ticks(sc),
                     (int)i, why, sizeof why))
      return target_fail(sc, t, diag,
                         "outcome \"%s\" has no value in a run of this "
                         "scenario (%s); a target must be an outcome every "
                         "run computes",
                         tg->outcome, why);
    c->outcome[t] = i;
  }
  return STRIFE_OK;
}

/* The record's figures inside the fit window, with --record. */
static int read_record(const strife_calibrate_opts *o,
                       const strife_scenario *sc, struct calibration *c,
                       strife_diag *diag) {
  c->np = c->n_t = (size_t)strife__scenario_calibration(sc)->n_targets;
  if (!o->n_records) return STRIFE_OK;
  if (!(o->record_sd > 0 && o->record_sd <= 10)) {
    strife__diag_set(diag, "--record-sd",
                     "expected a tolerance in (0, 10] on the log scale, got "
                     "%g",
                     o->record_sd);
    return STRIFE_EINVAL;
  }
  c->record_sd = o->record_sd;
  const struct strife__calibration *cal = strife__scenario_calibration(sc);
  int rc =
      strife__observed_load(&c->rec, o->records, o->n_records, c->type->schema,
                            cal->window_start, cal->window_end, diag);
  if (rc) return rc;
  if (!(c->fig = malloc((c->rec.n + 1) * sizeof *c->fig))) return STRIFE_ENOMEM;
  for (size_t f = 0; f < c->rec.n; f++)
    if (strife__observed_fitted(&c->rec.fig[f])) c->fig[c->n_f++] = f;
  if (!c->n_f) {
    strife__diag_set(diag, "--record",
                     "no figure of the record can be fitted: none is scored "
                     "inside the fit window (calibration.window)");
    return STRIFE_EINVAL;
  }
  c->np += c->n_f;
  return STRIFE_OK;
}

/* What the arms are, checked when resuming: the sampler's settings and the
   calibration. */
static char *arms_text(const strife_calibrate_opts *o,
                       const struct calibration *c) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t,
                   "ABC-SMC particles=%u generations=%u quantile=%.17g runs=%u "
                   "batch=%u min_accept=%.17g budget=%llu;",
                   o->particles, o->generations, o->quantile, o->runs,
                   o->batch ? o->batch : o->particles, o->min_accept,
                   (unsigned long long)o->budget);
  for (size_t j = 0; j < c->k; j++) {
    const struct strife__free *f = &c->cal.free[j];
    strife__text_put(&t, " free %s %s [%.17g, %.17g]", f->key,
                     prior_names[f->prior], f->lo, f->hi);
    if (f->prior == STRIFE__PRIOR_NAME_NORMAL)
      strife__text_put(&t, " mean %.17g sd %.17g", f->mean, f->sd);
    strife__text_put(&t, ";");
  }
  for (size_t i = 0; i < c->n_t; i++)
    strife__text_put(&t, " target %s %.17g scale %.17g;",
                     c->cal.target[i].outcome, c->cal.target[i].value,
                     c->cal.target[i].scale);
  if (c->n_f) strife__text_put(&t, " record sd %.17g:", c->record_sd);
  for (size_t f = 0; f < c->n_f; f++) {
    const strife_observation *ob = c->rec.fig[c->fig[f]].ob;
    char name[160];
    figure_name(c, f, name, sizeof name);
    strife__text_put(&t, " %s %.17g %.17g %.17g;", name, ob->value, ob->low,
                     ob->high);
  }
  return strife__text_take(&t);
}

/* Parameter j of the last generation: weighted q-quantile. */
static double post_q(const struct calibration *c, size_t j, double q) {
  const struct strife__abc_gen *g = &c->abc.gen[c->abc.n_gen - 1];
  return strife__abc_quantile(g->theta + j, g->w, c->abc.n, c->k, q);
}

static double round_for(const struct calibration *c, size_t j, double v) {
  if (c->integer[j]) return as_run(c, j, v);
  char buf[32];
  snprintf(buf, sizeof buf, "%.6g", v); /* six digits are plenty */
  return strtod(buf, NULL);
}

/* posterior.csv: every generation's particles. */
static char *posterior_csv(const struct calibration *c) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "generation,particle,arm,weight,distance,epsilon");
  for (size_t j = 0; j < c->k; j++)
    strife__text_put(&t, ",%s", c->cal.free[j].key);
  for (size_t i = 0; i < c->n_t; i++)
    strife__text_put(&t, ",%s", c->cal.target[i].outcome);
  for (size_t f = 0; f < c->n_f; f++) {
    char name[160];
    figure_name(c, f, name, sizeof name);
    strife__text_put(&t, ",%s", name);
  }
  strife__text_put(&t, "\n");
  for (unsigned g = 0; g < c->abc.n_gen; g++) {
    const struct strife__abc_gen *ge = &c->abc.gen[g];
    for (size_t p = 0; p < c->abc.n; p++) {
      uint64_t arm = c->gen_arm0[g] + ge->id[p];
      strife__text_put(&t, "%u,%zu,%llu,%.17g,%.17g,", g, p,
                       (unsigned long long)arm, ge->w[p], ge->dist[p]);
      if (isfinite(ge->eps)) strife__text_put(&t, "%.17g", ge->eps);
      for (size_t j = 0; j < c->k; j++) {
        strife__text_put(&t, ",%.17g", as_run(c, j, ge->theta[p * c->k + j]));
      }
      for (size_t i = 0; i < c->n_t; i++)
        strife__text_put(&t, ",%.17g", c->pred[arm * c->np + i]);
      for (size_t f = 0; f < c->n_f; f++)
        strife__text_put(&t, ",%.17g", c->pred[arm * c->np + c->n_t + f]);
      strife__text_put(&t, "\n");
    }
  }
  return strife__text_take(&t);
}

/* The source of free parameter 'j' at its posterior median in the
   calibrated scenario; malloc'd, or NULL. */
static char *calibrated_source(const strife_calibrate_opts *o,
                               const strife_scenario *sc,
                               const struct calibration *c, size_t j,
                               const char *set_text) {
  const struct strife__abc_gen *last = &c->abc.gen[c->abc.n_gen - 1];
  const struct strife__free *f = &c->cal.free[j];
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(
      &t,
      "calibrated by strife calibrate (ABC-SMC, docs/calibration.md): "
      "weighted posterior median of %zu particles, generation %u, "
      "tolerance %.4g, 90 %% interval [%.4g, %.4g]; prior %s "
      "[%g, %g]; targets:",
      c->abc.n, c->abc.n_gen - 1, last->eps, post_q(c, j, 0.05),
      post_q(c, j, 0.95), prior_names[f->prior], f->lo, f->hi);
  for (size_t i = 0; i < c->n_t; i++)
    strife__text_put(&t, "%s %s = %g", i ? "," : "", c->cal.target[i].outcome,
                     c->cal.target[i].value);
  if (c->n_f)
    strife__text_put(&t,
                     "%s %zu figures of the observed record inside the fit "
                     "window (--record, tolerance %g on the log scale)",
                     c->n_t ? " and" : "", c->n_f, c->record_sd);
  strife__text_put(&t, "; seed %llu, %u run(s) a proposal%s%s",
                   (unsigned long long)strife_scenario_seed(sc), o->runs,
                   set_text && *set_text ? ", with --set" : "",
                   set_text ? set_text : "");
  return strife__text_take(&t);
}

/* The calibrated scenario, each free parameter at its posterior median
   and cited, its data files named from directory 'dir' (absolute); checked
   to load. */
static int calibrated_text(const strife_calibrate_opts *o, strife_scenario *sc,
                           const struct calibration *c, const char *dir,
                           char **text, strife_diag *diag) {
  const char *keys[STRIFE__FREE_MAX];
  double med[STRIFE__FREE_MAX];
  char *src[STRIFE__FREE_MAX] = {0};
  struct strife__text sets = {NULL, 0, 0, 0};
  for (size_t i = 0; i < o->exp.n_sets; i++)
    strife__text_put(&sets, " %s", o->exp.sets[i]);
  char *set_text = strife__text_take(&sets);
  int rc = STRIFE_OK;
  for (size_t j = 0; j < c->k && !rc; j++) {
    keys[j] = c->cal.free[j].key;
    med[j] = round_for(c, j, post_q(c, j, 0.5));
    if (!(src[j] = calibrated_source(o, sc, c, j, set_text)))
      rc = STRIFE_ENOMEM;
  }
  free(set_text);
  if (!rc)
    rc = strife__scenario_edit(sc, keys, med, (const char *const *)src, c->k,
                               dir, text, diag);
  for (size_t j = 0; j < c->k; j++)
    free(src[j]);
  if (rc) return rc;
  char path[4400];
  snprintf(path, sizeof path, "%s/%s.calibrated.json", dir,
           strife_scenario_name(sc));
  strife_scenario *check = NULL;
  rc = strife_scenario_parse_with(o->exp.models, *text, strlen(*text), path,
                                  NULL, 0, &check, diag);
  strife_scenario_destroy(check);
  return rc;
}

/* The last generation into the database's posterior table. */
static int posterior_db(const strife_calibrate_opts *o, strife_scenario *sc,
                        const struct calibration *c, const char *arms,
                        strife_diag *diag) {
  const struct strife__abc_gen *last = &c->abc.gen[c->abc.n_gen - 1];
  struct strife__db *db = NULL;
  struct strife__db_particle *p = malloc(c->abc.n * sizeof *p);
  int rc = p ? STRIFE_OK : STRIFE_ENOMEM;
  if (!rc) rc = strife__exp_db_open(&o->exp, sc, "calibrate", arms, &db, diag);
  for (size_t i = 0; !rc && i < c->abc.n; i++)
    p[i] = (struct strife__db_particle){
        c->abc.n_gen - 1,
        (uint32_t)i,
        c->gen_arm0[c->abc.n_gen - 1] + last->id[i],
        last->w[i],
        last->dist[i],
        last->eps};
  if (!rc) rc = strife__db_put_posterior(db, p, c->abc.n, diag);
  strife__db_close(db);
  free(p);
  return rc;
}

/* The calibrated scenario and the posterior into o->out, and the
   posterior table into the database. */
static int write_outputs(const strife_calibrate_opts *o, strife_scenario *sc,
                         struct calibration *c, const char *arms,
                         strife_diag *diag) {
  int rc = strife__files_mkdirs(o->out, diag);
  char *dir = rc ? NULL : realpath(o->out, NULL);
  if (!rc && !dir) {
    strife__diag_set(diag, "--out", "%s: %s", o->out, strerror(errno));
    rc = STRIFE_EIO;
  }
  char *text = NULL, *csv = NULL, name[300];
  if (!rc) rc = calibrated_text(o, sc, c, dir, &text, diag);
  if (!rc && !(csv = posterior_csv(c))) rc = STRIFE_ENOMEM;
  snprintf(name, sizeof name, "%s.calibrated.json", strife_scenario_name(sc));
  if (!rc) rc = strife__files_write(o->out, "posterior.csv", csv, diag);
  if (!rc) {
    struct strife__text t = {NULL, 0, 0, 0};
    strife__text_put(&t, "%s\n", text);
    char *nl = strife__text_take(&t);
    rc = nl ? strife__files_write(o->out, name, nl, diag) : STRIFE_ENOMEM;
    free(nl);
  }
  if (!rc) rc = posterior_db(o, sc, c, arms, diag);
  if (!rc) {
    struct strife__text t = {NULL, 0, 0, 0};
    strife__text_put(&t, "%s/posterior.csv, %s/%s", o->out, o->out, name);
    c->files = strife__text_take(&t);
  }
  free(text);
  free(csv);
  free(dir);
  return rc;
}

static char *calibration_table(const struct strife_experiment *x);

/* The sampler over the scenario's free parameters and targets. */
static int calibrate(const strife_calibrate_opts *o, strife_scenario *sc,
                     struct calibration *c, struct ctx *x) {
  struct strife__prior prior[STRIFE__FREE_MAX];
  for (size_t j = 0; j < c->k; j++) {
    const struct strife__free *f = &c->cal.free[j];
    static const enum strife__prior_kind kind[] = {
        STRIFE__PRIOR_UNIFORM, STRIFE__PRIOR_LOG_UNIFORM, STRIFE__PRIOR_NORMAL};
    prior[j] =
        (struct strife__prior){kind[f->prior], f->lo, f->hi, f->mean, f->sd};
    x->keys[j] = f->key;
    c->integer[j] = strife__key_integer(strife__scenario_key(sc, f->key));
  }
  if (o->exp.progress) {
    x->x.progress = on_progress;
    x->x.progress_ud = x;
  }
  struct strife__abc_opts ao = {c->k,
                                prior,
                                o->particles,
                                o->batch,
                                o->generations,
                                o->quantile,
                                o->min_accept,
                                o->budget,
                                strife_scenario_seed(sc),
                                simulate,
                                x};
  int rc = strife__abc_run(&ao, &c->abc);
  if (!rc && c->abc.n_gen == 0) {
    strife__diag_set(x->diag, "--budget",
                     "the budget ran out before the first generation");
    rc = STRIFE_EINVAL;
  }
  return rc;
}

int strife_calibrate_run(const strife_calibrate_opts *o,
                         strife_experiment **out, strife_diag *diag) {
  *out = NULL;
  int rc = check_opts(o, diag);
  if (rc) return rc;
  strife_scenario *sc = NULL;
  rc = strife__exp_load(&o->exp, &sc, diag);
  if (rc) return rc;
  struct calibration *c = calloc(1, sizeof *c);
  if (!c) {
    strife_scenario_destroy(sc);
    return STRIFE_ENOMEM;
  }
  c->base.table = calibration_table;
  c->base.destroy = calibration_destroy;
  c->runs = o->runs;
  c->quantile = o->quantile;
  c->type = strife_scenario_model_type(sc);
  rc = read_record(o, sc, c, diag);
  if (!rc) rc = read_spec(sc, c, diag);
  struct ctx x = {c, o->exp, &o->exp, {0}, NULL, 0, diag, sc};
  char *arms = rc ? NULL : arms_text(o, c);
  if (!rc && !arms) rc = STRIFE_ENOMEM;
  x.arms_text = arms;
  /* The output directory is made and tried before the first run. */
  if (!rc && strife__exp_rank(&o->exp) == 0)
    rc = strife__files_ready(o->out, diag);
  if (strife_mpi_size(o->exp.mpi) > 1)
    rc = strife__mpi_share(o->exp.mpi, rc, NULL, 0, NULL, 0, diag);
  if (!rc) rc = calibrate(o, sc, c, &x);
  /* Under MPI every rank has the same posterior; rank 0 writes it. */
  if (!rc && strife__exp_rank(&o->exp) == 0)
    rc = write_outputs(o, sc, c, arms, diag);
  free(arms);
  strife_scenario_destroy(sc);
  if (rc && rc != STRIFE_ECANCELED) {
    calibration_destroy(&c->base);
    return rc;
  }
  *out = &c->base;
  return rc;
}

/* The fit of each figure of the record: its posterior predictive mean and
   band against the record. */
static void figures_table(const struct calibration *c, double *v,
                          struct strife__text *t) {
  const struct strife__abc *a = &c->abc;
  const struct strife__abc_gen *last = &a->gen[a->n_gen - 1];
  if (!c->n_f || !v) return;
  strife__text_put(t, "\n%-46s %13s %11s %11s %11s\n",
                   "figure of the record (in the window)", "observed", "mean",
                   "5%", "95%");
  for (size_t f = 0; f < c->n_f; f++) {
    double m = 0;
    for (size_t p = 0; p < a->n; p++) {
      v[p] = c->pred[(c->gen_arm0[a->n_gen - 1] + last->id[p]) * c->np +
                     c->n_t + f];
      m += last->w[p] * v[p];
    }
    const strife_observation *ob = c->rec.fig[c->fig[f]].ob;
    char name[160], obs[48];
    figure_name(c, f, name, sizeof name);
    if (isnan(ob->value))
      snprintf(obs, sizeof obs, "%g-%g", ob->low, ob->high);
    else
      snprintf(obs, sizeof obs, "%g", ob->value);
    strife__text_put(t, "%-46s %13s %11.4g %11.4g %11.4g\n", name, obs, m,
                     strife__abc_quantile(v, last->w, a->n, 1, 0.05),
                     strife__abc_quantile(v, last->w, a->n, 1, 0.95));
  }
}

static char *calibration_table(const struct strife_experiment *x) {
  const struct calibration *c = (const struct calibration *)x;
  struct strife__text t = {NULL, 0, 0, 0};
  const struct strife__abc *a = &c->abc;
  static const char *const why[] = {"the generations asked for",
                                    "the acceptance fell below the minimum",
                                    "the budget of proposals"};
  strife__text_put(&t,
                   "ABC-SMC: %zu particles, %zu free parameters, %zu targets "
                   "and %zu figures of the record, quantile %g, %u run(s) a "
                   "proposal; %llu proposals; %s\n\n",
                   a->n, c->k, c->n_t, c->n_f, c->quantile, c->runs,
                   (unsigned long long)a->simulations,
                   c->base.interrupted ? "INTERRUPTED"
                   : a->n_gen          ? why[a->stop]
                                       : "no generation");
  strife__text_put(&t, "%-10s %12s %11s %10s %8s\n", "generation", "tolerance",
                   "proposals", "accepted", "ESS");
  for (unsigned g = 0; g < a->n_gen; g++) {
    const struct strife__abc_gen *ge = &a->gen[g];
    double s2 = 0;
    for (size_t i = 0; i < a->n; i++)
      s2 += ge->w[i] * ge->w[i];
    strife__text_put(&t, "%-10u %12.4g %11llu %9.1f%% %8.0f\n", g, ge->eps,
                     (unsigned long long)ge->proposed,
                     100.0 * (double)a->n / (double)ge->proposed, 1.0 / s2);
  }
  if (a->n_gen) {
    const struct strife__abc_gen *last = &a->gen[a->n_gen - 1];
    strife__text_put(&t, "\nposterior (generation %u, weighted)\n",
                     a->n_gen - 1);
    strife__text_put(&t, "%-24s %-28s %11s %11s %11s %11s\n", "parameter",
                     "prior", "median", "mean", "5%", "95%");
    for (size_t j = 0; j < c->k; j++) {
      const struct strife__free *f = &c->cal.free[j];
      char pr[64];
      snprintf(pr, sizeof pr, "%s [%g, %g]", prior_names[f->prior], f->lo,
               f->hi);
      double m = 0;
      for (size_t i = 0; i < a->n; i++)
        m += last->w[i] * last->theta[i * c->k + j];
      strife__text_put(&t, "%-24s %-28s %11.4g %11.4g %11.4g %11.4g\n", f->key,
                       pr, post_q(c, j, 0.5), m, post_q(c, j, 0.05),
                       post_q(c, j, 0.95));
    }
    strife__text_put(&t, "\n%-28s %11s %11s %11s %11s %11s\n", "target",
                     "value", "scale", "mean", "5%", "95%");
    double *v = malloc((a->n ? a->n : 1) * sizeof *v);
    for (size_t i = 0; v && i < c->n_t; i++) {
      double m = 0;
      for (size_t p = 0; p < a->n; p++) {
        v[p] = c->pred[(c->gen_arm0[a->n_gen - 1] + last->id[p]) * c->np + i];
        m += last->w[p] * v[p];
      }
      strife__text_put(&t, "%-28s %11.4g %11.4g %11.4g %11.4g %11.4g\n",
                       c->cal.target[i].outcome, c->cal.target[i].value,
                       c->cal.target[i].scale, m,
                       strife__abc_quantile(v, last->w, a->n, 1, 0.05),
                       strife__abc_quantile(v, last->w, a->n, 1, 0.95));
    }
    figures_table(c, v, &t);
    free(v);
  }
  if (c->files) strife__text_put(&t, "\nwritten: %s\n", c->files);
  return strife__text_take(&t);
}
