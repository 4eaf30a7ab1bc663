/* SPDX-License-Identifier: MIT */
/*
 * strife calibrate (strife/experiment.h; docs/calibration.md): ABC-SMC
 * (abc.h) of the scenario's free parameters against its targets, each
 * batch of proposals an ensemble into the results database.
 *
 * The distance of a proposal is
 *     d = sqrt(sum_t ((mean_t - value_t) / scale_t)^2)
 * over the targets t, mean_t the outcome's mean over the proposal's runs.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <strife/experiment.h>

#include "abc.h"
#include "core/text.h"
#include "ensemble.h"
#include "sinks/db.h"
#include "sinks/io.h"
#include "sinks/record.h"
#include "scenario/scenario.h"

#define GENERATIONS_MAX 100

struct strife_calibration {
  uint64_t ran, skipped;
  int interrupted;
  size_t k, n_t;
  struct strife__calibration cal;
  size_t outcome[STRIFE__TARGETS_MAX]; /* index in strife__outcomes */
  struct strife__abc abc;
  uint32_t runs;
  double quantile;
  int integer[STRIFE__FREE_MAX];      /* free key j is an integer key */
  uint64_t gen_arm0[GENERATIONS_MAX]; /* the first arm of each generation */
  double *pred;                       /* [arm][n_t]: target outcomes' means */
  size_t pred_cap;
  char *files; /* what was written, for the table */
};

uint64_t strife_calibration_ran(const strife_calibration *c) {
  return c->ran;
}
uint64_t strife_calibration_skipped(const strife_calibration *c) {
  return c->skipped;
}

void strife_calibration_free(strife_calibration *c) {
  if (!c) return;
  strife__abc_free(&c->abc);
  free(c->pred);
  free(c->files);
  free(c);
}

/* Free parameter j at v as the model runs it: an integer key at the
   nearest integer. */
static double as_run(const strife_calibration *c, size_t j, double v) {
  return c->integer[j] ? floor(v + 0.5) : v;
}

/* What the sampler's simulator needs. */
struct ctx {
  strife_calibration *c;
  strife_experiment_opts x; /* progress through on_progress */
  const strife_experiment_opts *user;
  const char *keys[STRIFE__FREE_MAX];
  const char *arms_text;
  uint64_t next_arm;
  strife_diag *diag;
};

static void on_progress(void *ud, uint64_t done, uint64_t total) {
  const struct ctx *x = ud;
  uint64_t base = x->next_arm * x->c->runs;
  x->user->progress(x->user->progress_ud, base + done, base + total);
}

static int simulate(void *ud, unsigned gen, uint64_t first, size_t n,
                    const double *theta, double *dist) {
  struct ctx *x = ud;
  strife_calibration *c = x->c;
  const size_t k = c->k, nt = c->n_t;
  if (first == 0) c->gen_arm0[gen] = x->next_arm;
  if ((x->next_arm + n) * nt > c->pred_cap) {
    size_t cap = ((size_t)x->next_arm + n) * nt * 2;
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
      strife__run_points(&x->x, &pt, "calibrate", x->arms_text, &o, x->diag);
  free(v);
  if (rc) return rc;
  c->ran += o.ran;
  c->skipped += o.skipped;
  if (o.interrupted) {
    free(o.out);
    c->interrupted = 1;
    return STRIFE_ECANCELED;
  }
  for (size_t i = 0; i < n; i++) {
    double d2 = 0;
    for (size_t t = 0; t < nt; t++) {
      double m = 0;
      for (uint32_t r = 0; r < c->runs; r++)
        m += o.out[(i * c->runs + r) * STRIFE__OUTCOMES + c->outcome[t]];
      m /= c->runs;
      c->pred[(x->next_arm + i) * nt + t] = m;
      double z = (m - c->cal.target[t].value) / c->cal.target[t].scale;
      d2 += z * z;
    }
    dist[i] = isnan(d2) ? (double)NAN : sqrt(d2);
  }
  free(o.out);
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
  if (!key) return STRIFE_OK;
  strife__diag_set(diag, key, "expected %s", want);
  return STRIFE_EINVAL;
}

/* The scenario's calibration, its targets' outcomes known. */
static int read_spec(const strife_scenario *sc, strife_calibration *c,
                     strife_diag *diag) {
  c->cal = *strife__scenario_calibration(sc);
  c->k = (size_t)c->cal.n_free;
  c->n_t = (size_t)c->cal.n_targets;
  const char *what = !c->k     ? "calibration.free"
                     : !c->n_t ? "calibration.targets"
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
  for (size_t t = 0; t < c->n_t; t++) {
    const struct strife__target *tg = &c->cal.target[t];
    size_t i = 0;
    while (i < STRIFE__OUTCOMES &&
           strcmp(strife__outcomes[i].name, tg->outcome) != 0)
      i++;
    if (i == STRIFE__OUTCOMES) {
      if (diag) {
        strife_diag_clear(diag);
        snprintf(diag->source, sizeof diag->source, "%s",
                 tg->line ? strife__scenario_source(sc) : "--set");
        diag->line = tg->line;
        diag->column = tg->col;
        snprintf(diag->key, sizeof diag->key,
                 "calibration.targets[%zu].outcome", t);
        snprintf(diag->msg, sizeof diag->msg,
                 "unknown outcome \"%s\" (docs/results.md lists them)",
                 tg->outcome);
      }
      return STRIFE_ESCENARIO;
    }
    c->outcome[t] = i;
  }
  return STRIFE_OK;
}

/* What the arms are, checked when resuming: the sampler's settings and the
   calibration. */
static char *arms_text(const strife_calibrate_opts *o,
                       const strife_calibration *c) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__put(&t,
              "ABC-SMC particles=%u generations=%u quantile=%.17g runs=%u "
              "batch=%u min_accept=%.17g budget=%llu;",
              o->particles, o->generations, o->quantile, o->runs,
              o->batch ? o->batch : o->particles, o->min_accept,
              (unsigned long long)o->budget);
  for (size_t j = 0; j < c->k; j++) {
    const struct strife__free *f = &c->cal.free[j];
    strife__put(&t, " free %s %s [%.17g, %.17g]", f->key, prior_names[f->prior],
                f->lo, f->hi);
    if (f->prior == STRIFE__PRIOR_NAME_NORMAL)
      strife__put(&t, " mean %.17g sd %.17g", f->mean, f->sd);
    strife__put(&t, ";");
  }
  for (size_t i = 0; i < c->n_t; i++)
    strife__put(&t, " target %s %.17g scale %.17g;", c->cal.target[i].outcome,
                c->cal.target[i].value, c->cal.target[i].scale);
  return strife__text_take(&t);
}

/* Parameter j of the last generation: weighted q-quantile. */
static double post_q(const strife_calibration *c, size_t j, double q) {
  const struct strife__abc_gen *g = &c->abc.gen[c->abc.n_gen - 1];
  return strife__weighted_quantile(g->theta + j, g->w, c->abc.n, c->k, q);
}

static double round_for(const strife_calibration *c, size_t j, double v) {
  if (c->integer[j]) return as_run(c, j, v);
  char buf[32];
  snprintf(buf, sizeof buf, "%.6g", v); /* six digits are plenty */
  return strtod(buf, NULL);
}

/* posterior.csv: every generation's particles. */
static char *posterior_csv(const strife_calibration *c) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__put(&t, "generation,particle,arm,weight,distance,epsilon");
  for (size_t j = 0; j < c->k; j++)
    strife__put(&t, ",%s", c->cal.free[j].key);
  for (size_t i = 0; i < c->n_t; i++)
    strife__put(&t, ",%s", c->cal.target[i].outcome);
  strife__put(&t, "\n");
  for (unsigned g = 0; g < c->abc.n_gen; g++) {
    const struct strife__abc_gen *ge = &c->abc.gen[g];
    for (size_t p = 0; p < c->abc.n; p++) {
      uint64_t arm = c->gen_arm0[g] + ge->id[p];
      strife__put(&t, "%u,%zu,%llu,%.17g,%.17g,", g, p, (unsigned long long)arm,
                  ge->w[p], ge->dist[p]);
      if (isfinite(ge->eps)) strife__put(&t, "%.17g", ge->eps);
      for (size_t j = 0; j < c->k; j++) {
        strife__put(&t, ",%.17g", as_run(c, j, ge->theta[p * c->k + j]));
      }
      for (size_t i = 0; i < c->n_t; i++)
        strife__put(&t, ",%.17g", c->pred[arm * c->n_t + i]);
      strife__put(&t, "\n");
    }
  }
  return strife__text_take(&t);
}

/* The path of file 'to' relative to directory 'from' (both absolute,
   canonical), into buf. */
static void relative_path(const char *from, const char *to, char *buf,
                          size_t size) {
  size_t common = 0;
  for (size_t i = 0; from[i] && to[i] && from[i] == to[i]; i++)
    if (from[i] == '/') common = i;
  size_t fl = strlen(from);
  if (strncmp(from, to, fl) == 0 && to[fl] == '/') common = fl;
  size_t used = 0;
  buf[0] = '\0';
  for (const char *s = from + common; *s; s++)
    if (*s == '/' && used + 4 < size) {
      memcpy(buf + used, "../", 4);
      used += 3;
    }
  snprintf(buf + used, size - used, "%s", to + common + 1);
}

/* The calibrated scenario and the posterior into o->out, and the
   posterior table into the database. */
static int write_outputs(const strife_calibrate_opts *o, strife_scenario *sc,
                         strife_calibration *c, const char *arms,
                         strife_diag *diag) {
  const struct strife__abc_gen *last = &c->abc.gen[c->abc.n_gen - 1];
  const char *keys[STRIFE__FREE_MAX];
  double med[STRIFE__FREE_MAX];
  char *src[STRIFE__FREE_MAX] = {0};
  struct strife__text sets = {NULL, 0, 0, 0};
  for (size_t i = 0; i < o->exp.n_sets; i++)
    strife__put(&sets, " %s", o->exp.sets[i]);
  char *set_text = strife__text_take(&sets);
  int rc = STRIFE_OK;
  for (size_t j = 0; j < c->k && !rc; j++) {
    const struct strife__free *f = &c->cal.free[j];
    keys[j] = f->key;
    med[j] = round_for(c, j, post_q(c, j, 0.5));
    struct strife__text t = {NULL, 0, 0, 0};
    strife__put(
        &t,
        "calibrated by strife calibrate (ABC-SMC, docs/calibration.md): "
        "weighted posterior median of %zu particles, generation %u, "
        "tolerance %.4g, 90 %% interval [%.4g, %.4g]; prior %s "
        "[%g, %g]; targets:",
        c->abc.n, c->abc.n_gen - 1, last->eps, post_q(c, j, 0.05),
        post_q(c, j, 0.95), prior_names[f->prior], f->lo, f->hi);
    for (size_t i = 0; i < c->n_t; i++)
      strife__put(&t, "%s %s = %g", i ? "," : "", c->cal.target[i].outcome,
                  c->cal.target[i].value);
    strife__put(&t, "; seed %llu, %u run(s) a proposal%s%s",
                (unsigned long long)strife_scenario_seed(sc), o->runs,
                set_text && *set_text ? ", with --set" : "",
                set_text ? set_text : "");
    if (!(src[j] = strife__text_take(&t))) rc = STRIFE_ENOMEM;
  }
  free(set_text);
  /* data.provinces, relative to where the new file goes. */
  char *out_abs = NULL, *prov_abs = NULL, rel[4096];
  if (!rc) rc = strife__mkdirs(o->out, diag);
  if (!rc) {
    const struct strife__values *v = strife__scenario_values(sc);
    out_abs = realpath(o->out, NULL);
    prov_abs = realpath(v->af.provinces_path, NULL);
    if (!out_abs || !prov_abs) {
      strife__diag_set(diag, "--out", "%s: %s", out_abs ? "provinces" : o->out,
                       strerror(errno));
      rc = STRIFE_EIO;
    } else {
      relative_path(out_abs, prov_abs, rel, sizeof rel);
    }
  }
  char *text = NULL, *csv = NULL, name[300];
  if (!rc) {
    text = strife__scenario_edit(sc, keys, med, (const char *const *)src, c->k,
                                 rel);
    csv = posterior_csv(c);
    if (!text || !csv) rc = STRIFE_ENOMEM;
  }
  snprintf(name, sizeof name, "%s.calibrated.json", strife_scenario_name(sc));
  /* The file must load: check it before it appears. */
  if (!rc) {
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", out_abs, name);
    strife_scenario *check = NULL;
    rc = strife_scenario_parse(text, strlen(text), path, NULL, 0, &check, diag);
    strife_scenario_destroy(check);
  }
  if (!rc) rc = strife__write_file(o->out, "posterior.csv", csv, diag);
  if (!rc) {
    struct strife__text t = {NULL, 0, 0, 0};
    strife__put(&t, "%s\n", text);
    char *nl = strife__text_take(&t);
    rc = nl ? strife__write_file(o->out, name, nl, diag) : STRIFE_ENOMEM;
    free(nl);
  }
  if (!rc) {
    struct strife__db *db = NULL;
    struct strife__db_meta meta = {"calibrate", strife_scenario_hash(sc),
                                   strife_scenario_json(sc), arms,
                                   o->exp.command};
    struct strife__db_particle *p = malloc(c->abc.n * sizeof *p);
    if (!p) rc = STRIFE_ENOMEM;
    if (!rc) rc = strife__db_open(&db, o->exp.db, &meta, diag);
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
  }
  if (!rc) {
    struct strife__text t = {NULL, 0, 0, 0};
    strife__put(&t, "%s/posterior.csv, %s/%s", o->out, o->out, name);
    c->files = strife__text_take(&t);
  }
  for (size_t j = 0; j < c->k; j++)
    free(src[j]);
  free(text);
  free(csv);
  free(out_abs);
  free(prov_abs);
  return rc;
}

int strife_calibrate_run(const strife_calibrate_opts *o,
                         strife_calibration **out, strife_diag *diag) {
  *out = NULL;
  int rc = check_opts(o, diag);
  if (rc) return rc;
  strife_scenario *sc = NULL;
  rc = strife_scenario_load(o->exp.scenario, o->exp.sets, o->exp.n_sets, &sc,
                            diag);
  if (rc) return rc;
  strife_calibration *c = calloc(1, sizeof *c);
  if (!c) {
    strife_scenario_destroy(sc);
    return STRIFE_ENOMEM;
  }
  c->runs = o->runs;
  c->quantile = o->quantile;
  if (strcmp(strife_scenario_model(sc), "afghan") != 0) {
    strife__diag_set(diag, "model", "calibrate runs Afghan scenarios, not '%s'",
                     strife_scenario_model(sc));
    rc = STRIFE_EINVAL;
  }
  if (!rc) rc = read_spec(sc, c, diag);
  struct strife__prior prior[STRIFE__FREE_MAX];
  struct ctx x = {c, o->exp, &o->exp, {0}, NULL, 0, diag};
  for (size_t j = 0; !rc && j < c->k; j++) {
    const struct strife__free *f = &c->cal.free[j];
    static const enum strife__prior_kind kind[] = {
        STRIFE__PRIOR_UNIFORM, STRIFE__PRIOR_LOG_UNIFORM, STRIFE__PRIOR_NORMAL};
    prior[j] =
        (struct strife__prior){kind[f->prior], f->lo, f->hi, f->mean, f->sd};
    x.keys[j] = f->key;
    c->integer[j] = strife__key_find(f->key)->type != STRIFE__K_REAL;
  }
  char *arms = rc ? NULL : arms_text(o, c);
  if (!rc && !arms) rc = STRIFE_ENOMEM;
  x.arms_text = arms;
  if (o->exp.progress) {
    x.x.progress = on_progress;
    x.x.progress_ud = &x;
  }
  if (!rc) {
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
                                  &x};
    rc = strife__abc_run(&ao, &c->abc);
    if (!rc && c->abc.n_gen == 0) {
      strife__diag_set(diag, "--budget",
                       "the budget ran out before the first generation");
      rc = STRIFE_EINVAL;
    }
  }
  /* Under MPI every rank has the same posterior; rank 0 writes it. */
  if (!rc && strife_dist_rank() == 0) rc = write_outputs(o, sc, c, arms, diag);
  free(arms);
  strife_scenario_destroy(sc);
  if (rc && rc != STRIFE_ECANCELED) {
    strife_calibration_free(c);
    return rc;
  }
  *out = c;
  return rc;
}

char *strife_calibration_table(const strife_calibration *c) {
  struct strife__text t = {NULL, 0, 0, 0};
  const struct strife__abc *a = &c->abc;
  static const char *const why[] = {"the generations asked for",
                                    "the acceptance fell below the minimum",
                                    "the budget of proposals"};
  strife__put(&t,
              "ABC-SMC: %zu particles, %zu free parameters, %zu targets, "
              "quantile %g, %u run(s) a proposal; %llu proposals; %s\n\n",
              a->n, c->k, c->n_t, c->quantile, c->runs,
              (unsigned long long)a->simulations,
              c->interrupted ? "INTERRUPTED"
              : a->n_gen     ? why[a->stop]
                             : "no generation");
  strife__put(&t, "%-10s %12s %11s %10s %8s\n", "generation", "tolerance",
              "proposals", "accepted", "ESS");
  for (unsigned g = 0; g < a->n_gen; g++) {
    const struct strife__abc_gen *ge = &a->gen[g];
    double s2 = 0;
    for (size_t i = 0; i < a->n; i++)
      s2 += ge->w[i] * ge->w[i];
    strife__put(&t, "%-10u %12.4g %11llu %9.1f%% %8.0f\n", g, ge->eps,
                (unsigned long long)ge->proposed,
                100.0 * (double)a->n / (double)ge->proposed, 1.0 / s2);
  }
  if (a->n_gen) {
    const struct strife__abc_gen *last = &a->gen[a->n_gen - 1];
    strife__put(&t, "\nposterior (generation %u, weighted)\n", a->n_gen - 1);
    strife__put(&t, "%-24s %-28s %11s %11s %11s %11s\n", "parameter", "prior",
                "median", "mean", "5%", "95%");
    for (size_t j = 0; j < c->k; j++) {
      const struct strife__free *f = &c->cal.free[j];
      char pr[64];
      snprintf(pr, sizeof pr, "%s [%g, %g]", prior_names[f->prior], f->lo,
               f->hi);
      double m = 0;
      for (size_t i = 0; i < a->n; i++)
        m += last->w[i] * last->theta[i * c->k + j];
      strife__put(&t, "%-24s %-28s %11.4g %11.4g %11.4g %11.4g\n", f->key, pr,
                  post_q(c, j, 0.5), m, post_q(c, j, 0.05), post_q(c, j, 0.95));
    }
    strife__put(&t, "\n%-28s %11s %11s %11s %11s %11s\n", "target", "value",
                "scale", "mean", "5%", "95%");
    double *v = malloc((a->n ? a->n : 1) * sizeof *v);
    for (size_t i = 0; v && i < c->n_t; i++) {
      double m = 0;
      for (size_t p = 0; p < a->n; p++) {
        v[p] = c->pred[(c->gen_arm0[a->n_gen - 1] + last->id[p]) * c->n_t + i];
        m += last->w[p] * v[p];
      }
      strife__put(&t, "%-28s %11.4g %11.4g %11.4g %11.4g %11.4g\n",
                  c->cal.target[i].outcome, c->cal.target[i].value,
                  c->cal.target[i].scale, m,
                  strife__weighted_quantile(v, last->w, a->n, 1, 0.05),
                  strife__weighted_quantile(v, last->w, a->n, 1, 0.95));
    }
    free(v);
  }
  if (c->files) strife__put(&t, "\nwritten: %s\n", c->files);
  return strife__text_take(&t);
}
