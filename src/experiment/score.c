/* SPDX-License-Identifier: MIT */
/*
 * strife score (strife/experiment.h; docs/score.md): an ensemble of a
 * scenario, run or read from a results database, against the observed
 * record.  Each figure the model has a series for (its schema's measures)
 * is read off every run over the figure's period, and scored: the
 * ensemble's median and 90 % band, whether the figure lies inside, the
 * CRPS and the 90 % interval score; in the fit window and after it apart.
 */
#define _XOPEN_SOURCE 700 /* strdup */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/model.h"
#include "core/text.h"
#include "ensemble.h"
#include "observed.h"
#include "scenario/scenario.h"
#include "sinks/db.h"
#include "skill.h"
#include "stats.h"

struct item {
  const struct strife__figure *f;
  const strife_observation *ob;
  int status;
  size_t n; /* runs with a value */
  double med, lo, hi, crps, is;
  int inside;
};

struct score {
  struct strife_experiment base;
  struct strife__observed rec;
  struct item *it;
  size_t n_items;
  size_t runs; /* runs read */
  double *x;   /* [item][run] */
  int64_t win0, win1;
  char scenario[256], from[1024];
  const struct strife_model_type *type;
  const struct strife__schema *schema;
  char *csv_written;
  struct strife__skill skill;
};

static void score_destroy(struct strife_experiment *x) {
  struct score *s = (struct score *)x;
  strife__observed_free(&s->rec);
  free(s->it);
  free(s->x);
  free(s->csv_written);
  strife__skill_free(&s->skill);
  free(s);
}

/* Every figure of the record, with its status to be scored. */
static int list_items(struct score *s) {
  s->n_items = s->rec.n;
  s->it = calloc(s->n_items ? s->n_items : 1, sizeof *s->it);
  if (!s->it) return STRIFE_ENOMEM;
  for (size_t i = 0; i < s->n_items; i++) {
    s->it[i].f = &s->rec.fig[i];
    s->it[i].ob = s->rec.fig[i].ob;
    s->it[i].status = s->rec.fig[i].status;
  }
  return STRIFE_OK;
}

/* Reads every run of arm 'arm' of 'db' into s->x. */
static int read_runs(struct score *s, struct strife__db *db, int arm,
                     strife_diag *diag) {
  uint32_t *reps;
  size_t n_reps;
  int rc = strife__db_reps(db, arm, &reps, &n_reps, diag);
  if (rc) return rc;
  s->runs = n_reps;
  s->x = malloc((s->n_items * n_reps + 1) * sizeof *s->x);
  double *v = malloc((s->n_items + 1) * sizeof *v);
  if (!s->x || !v) rc = STRIFE_ENOMEM;
  for (size_t r = 0; r < n_reps && !rc; r++) {
    rc = strife__observed_run(&s->rec, s->schema, db, arm, reps[r], v, diag);
    for (size_t i = 0; i < s->n_items && !rc; i++)
      s->x[i * n_reps + r] = v[i];
  }
  free(v);
  free(reps);
  return rc;
}

/* Each scored item's band and scores over the runs that have a value. */
static int summarise(struct score *s) {
  double *v = malloc((s->runs ? s->runs : 1) * sizeof *v);
  if (!v) return STRIFE_ENOMEM;
  for (size_t i = 0; i < s->n_items; i++) {
    struct item *it = &s->it[i];
    if (it->status != STRIFE__FIG_SCORED) continue;
    size_t n = 0;
    for (size_t r = 0; r < s->runs; r++)
      if (!isnan(s->x[i * s->runs + r])) v[n++] = s->x[i * s->runs + r];
    it->n = n;
    if (n == 0) {
      it->status = STRIFE__FIG_DAYS;
      continue;
    }
    gsl_sort(v, 1, n);
    it->med = gsl_stats_median_from_sorted_data(v, 1, n);
    it->lo = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.05);
    it->hi = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.95);
    it->crps = strife__stats_crps(v, n, it->f->y);
    it->is = strife__stats_interval_score(it->lo, it->hi, it->f->y, 0.10);
    it->inside = isnan(it->ob->value)
                     ? it->ob->low <= it->hi && it->ob->high >= it->lo
                     : it->f->y >= it->lo && it->f->y <= it->hi;
  }
  free(v);
  return STRIFE_OK;
}

/* The forecasts of the record's monthly series after the window. */
static int forecast(struct score *s) {
  struct strife__skill_item *k = calloc(s->n_items + 1, sizeof *k);
  if (!k) return STRIFE_ENOMEM;
  size_t n = 0;
  for (size_t i = 0; i < s->n_items; i++)
    if (s->it[i].status == STRIFE__FIG_SCORED)
      k[n++] = (struct strife__skill_item){s->it[i].ob, s->it[i].f->y,
                                           s->it[i].f->window,
                                           s->x + i * s->runs, s->runs};
  int rc = strife__skill_compute(k, n, &s->skill);
  free(k);
  return rc;
}

/* The forecasts, as the database's skill table holds them. */
static struct strife__db_skill *db_skill(const struct strife__skill *k) {
  struct strife__db_skill *d = calloc(k->n_row + 1, sizeof *d);
  for (size_t i = 0; d && i < k->n_row; i++) {
    const struct strife__skill_row *r = &k->row[i];
    const struct strife__skill_series *x = &k->ser[r->series];
    d[i] =
        (struct strife__db_skill){x->quantity,
                                  x->place,
                                  x->unit,
                                  x->span,
                                  r->start,
                                  r->horizon,
                                  strife__skill_who(r->who),
                                  r->y,
                                  r->crps,
                                  {r->q[0], r->q[1], r->q[2], r->q[3], r->q[4]},
                                  r->pit};
  }
  return d;
}

/* ------------------------------------------------------------------ */
/* The table and the CSV file                                          */
/* ------------------------------------------------------------------ */

static void period_text(const strife_observation *ob, char *buf, size_t n) {
  char a[11], b[11];
  strife__date_text(ob->start, a);
  strife__date_text(ob->end, b);
  if (ob->start == ob->end)
    snprintf(buf, n, "%s", a);
  else
    snprintf(buf, n, "%s..%s", a, b);
}

static void figure_text(const strife_observation *ob, char *buf, size_t n) {
  if (isnan(ob->value))
    snprintf(buf, n, "%g-%g", ob->low, ob->high);
  else
    snprintf(buf, n, "%g", ob->value);
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* The rows and the coverage of window 'w'. */
static void window_rows(const struct score *s, int w, struct strife__text *t) {
  char a[11], b[11];
  strife__date_text(s->win0, a);
  strife__date_text(s->win1, b);
  strife__text_put(t, "\n%s the fit window (%s to %s)\n",
                   w ? "Out of sample: after" : "In", a, b);
  strife__text_put(t, "  %-26s %-22s %11s %10s %21s %3s %10s  %s\n", "quantity",
                   "period", "observed", "median", "90% band", "in", "CRPS",
                   "record");
  size_t in = 0, n = 0;
  for (size_t i = 0; i < s->n_items; i++) {
    const struct item *it = &s->it[i];
    if (it->status != STRIFE__FIG_SCORED || it->f->window != w) continue;
    char per[32], fig[48], band[48], q[64];
    period_text(it->ob, per, sizeof per);
    figure_text(it->ob, fig, sizeof fig);
    snprintf(band, sizeof band, "[%.4g, %.4g]", it->lo, it->hi);
    snprintf(q, sizeof q, "%s%s%s", it->ob->quantity, it->ob->place ? "@" : "",
             it->ob->place ? it->ob->place : "");
    strife__text_put(t, "  %-26s %-22s %11s %10.4g %21s %3s %10.4g  %s:%zu\n",
                     q, per, fig, it->med, band, it->inside ? "yes" : "no",
                     it->crps, base_name(s->rec.path[it->f->file]),
                     it->f->index);
    n++;
    in += (size_t)it->inside;
  }
  if (n)
    strife__text_put(t,
                     "  coverage %s: %zu of %zu figures inside the 90%% band "
                     "(%.0f%%)\n",
                     w ? "out of sample" : "in window", in, n,
                     100.0 * (double)in / (double)n);
  else
    strife__text_put(t, "  coverage %s: no figure to score\n",
                     w ? "out of sample" : "in window");
}

static char *score_table(const struct strife_experiment *x) {
  const struct score *s = (const struct score *)x;
  struct strife__text t = {NULL, 0, 0, 0};
  size_t count[STRIFE__FIG_KINDS] = {0};
  for (size_t i = 0; i < s->n_items; i++)
    count[s->it[i].status]++;
  if (x->interrupted) {
    strife__text_put(&t, "interrupted: nothing scored (the runs made are "
                         "kept; run it again to go on)\n");
    return strife__text_take(&t);
  }
  strife__text_put(&t, "%zu runs of %s%s%s against %zu records in %zu files\n",
                   s->runs, s->scenario, s->from[0] ? " read from " : "",
                   s->from, s->n_items, s->rec.n_files);
  strife__text_put(&t,
                   "  scored %zu; not scored: %zu gaps, %zu marked unscored "
                   "in the record, %zu without a series of the model (its "
                   "quantity, place or unit), %zu outside the days run\n",
                   count[STRIFE__FIG_SCORED], count[STRIFE__FIG_GAP],
                   count[STRIFE__FIG_UNSCORED], count[STRIFE__FIG_SERIES],
                   count[STRIFE__FIG_DAYS]);
  for (int w = 0; w < 2; w++)
    window_rows(s, w, &t);
  strife__skill_table(&s->skill, &t);
  if (s->csv_written) strife__text_put(&t, "\nwrote %s\n", s->csv_written);
  return strife__text_take(&t);
}

static char *score_csv(const struct score *s) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "file,index,quantity,place,unit,start,end,window,"
                       "value,low,high,runs,median,q05,q95,inside,crps,"
                       "interval_score\n");
  for (size_t i = 0; i < s->n_items; i++) {
    const struct item *it = &s->it[i];
    if (it->status != STRIFE__FIG_SCORED) continue;
    char a[11], b[11];
    strife__date_text(it->ob->start, a);
    strife__date_text(it->ob->end, b);
    strife__text_put(&t, "%s,%zu,%s,%s,\"%s\",%s,%s,%s,",
                     base_name(s->rec.path[it->f->file]), it->f->index,
                     it->ob->quantity, it->ob->place ? it->ob->place : "",
                     it->ob->unit, a, b, it->f->window ? "out" : "in");
    if (isnan(it->ob->value))
      strife__text_put(&t, ",%.17g,%.17g,", it->ob->low, it->ob->high);
    else
      strife__text_put(&t, "%.17g,,,", it->ob->value);
    strife__text_put(&t, "%zu,%.17g,%.17g,%.17g,%d,%.17g,%.17g\n", it->n,
                     it->med, it->lo, it->hi, it->inside, it->crps, it->is);
  }
  return strife__text_take(&t);
}

static int write_csv(struct score *s, const char *path, strife_diag *diag) {
  char *text = score_csv(s);
  if (!text) return STRIFE_ENOMEM;
  char dir[1024];
  const char *name = base_name(path);
  size_t n = (size_t)(name - path);
  if (n >= sizeof dir) n = sizeof dir - 1;
  if (n == 0)
    snprintf(dir, sizeof dir, ".");
  else
    snprintf(dir, sizeof dir, "%.*s", (int)(n - 1 ? n - 1 : 1), path);
  int rc = strife__files_write(dir, name, text, diag);
  free(text);
  if (!rc && !(s->csv_written = strdup(path))) rc = STRIFE_ENOMEM;
  return rc;
}

/* The scored figures, as the database's score table holds them. */
static struct strife__db_figure *db_figures(const struct score *s, size_t *n) {
  struct strife__db_figure *f = calloc(s->n_items + 1, sizeof *f);
  *n = 0;
  for (size_t i = 0; f && i < s->n_items; i++) {
    const struct item *it = &s->it[i];
    if (it->status != STRIFE__FIG_SCORED) continue;
    f[(*n)++] = (struct strife__db_figure){
        base_name(s->rec.path[it->f->file]),
        it->f->index,
        it->ob->quantity,
        it->ob->place,
        it->ob->unit,
        it->ob->start,
        it->ob->end,
        it->f->window,
        it->ob->value,
        isnan(it->ob->value) ? it->ob->low : (double)NAN,
        isnan(it->ob->value) ? it->ob->high : (double)NAN,
        it->n,
        it->med,
        it->lo,
        it->hi,
        it->crps,
        it->is,
        it->inside};
  }
  return f;
}

/* The ensemble of the scenario's runs: one arm, labelled labels[0]. */
static struct strife__ens ensemble(const strife_score_opts *o, char **labels) {
  return (struct strife__ens){o->exp,  1,          labels, NULL, NULL, o->runs,
                              "score", "scenario", 0,      0,    NULL};
}

/* The scores into the score table of the database the runs went to. */
static int store(const struct score *s, const strife_score_opts *o,
                 strife_diag *diag) {
  char label[] = "scenario", *arms = NULL;
  char *labels[1] = {label};
  struct strife__ens e = ensemble(o, labels);
  strife_scenario *sc;
  int rc = strife__exp_load(&o->exp, &sc, diag);
  if (rc) return rc;
  size_t n;
  struct strife__db_figure *f = db_figures(s, &n);
  struct strife__db *db = NULL;
  rc = f ? strife__ens_arms(&e, &arms, diag) : STRIFE_ENOMEM;
  if (!rc) rc = strife__exp_db_open(&o->exp, sc, "score", arms, &db, diag);
  if (!rc) rc = strife__db_put_score(db, f, n, diag);
  struct strife__db_skill *k = rc ? NULL : db_skill(&s->skill);
  if (!rc)
    rc = k ? strife__db_put_skill(db, k, s->skill.n_row, diag) : STRIFE_ENOMEM;
  free(k);
  strife__db_close(db);
  free(arms);
  free(f);
  strife_scenario_destroy(sc);
  return rc;
}

/* ------------------------------------------------------------------ */
/* The experiment                                                      */
/* ------------------------------------------------------------------ */

static int check_opts(const strife_score_opts *o, strife_diag *diag) {
  if (!o->from && (o->runs < 1 || o->runs > 1000000)) {
    strife__diag_set(diag, "--runs", "expected 1 .. 1000000 runs, got %u",
                     o->runs);
    return STRIFE_EINVAL;
  }
  if (o->arm && !o->from) {
    strife__diag_set(diag, "--arm",
                     "an arm is chosen only among the runs of a database "
                     "read with --from");
    return STRIFE_EINVAL;
  }
  return STRIFE_OK;
}

/* The scenario: its model's schema, its window, its name. */
static int scenario_facts(struct score *s, const strife_score_opts *o,
                          strife_diag *diag) {
  strife_scenario *sc;
  int rc = strife__exp_load(&o->exp, &sc, diag);
  if (rc) return rc;
  const struct strife__calibration *cal = strife__scenario_calibration(sc);
  s->win0 = cal->window_start;
  s->win1 = cal->window_end;
  s->type = strife__scenario_type(sc);
  s->schema = s->type->schema;
  snprintf(s->scenario, sizeof s->scenario, "%s", strife_scenario_name(sc));
  if (!s->schema->n_measures) {
    strife__diag_set(diag, "model",
                     "the %s model reads no quantity of the observed record: "
                     "there is nothing to score",
                     strife_scenario_model(sc));
    rc = STRIFE_EINVAL;
  }
  strife_scenario_destroy(sc);
  return rc;
}

/* Runs the scenario 'runs' times into the database (arm 0). */
static int run_ensemble(struct score *s, const strife_score_opts *o,
                        strife_diag *diag) {
  char label[] = "scenario";
  char *labels[1] = {label};
  struct strife__ens e = ensemble(o, labels);
  struct strife__ens_out eo;
  int rc = strife__ens_run_all(&e, &eo, diag);
  if (rc) return rc;
  free(eo.out);
  s->base.ran = eo.ran;
  s->base.skipped = eo.skipped;
  s->base.interrupted = eo.interrupted;
  return STRIFE_OK;
}

static int read_db(struct score *s, const strife_score_opts *o,
                   strife_diag *diag) {
  const char *path = o->from ? o->from : o->exp.db;
  struct strife__db *db;
  int rc = strife__db_open_read(&db, path, s->type, diag);
  if (rc) return rc;
  int arm = 0;
  rc = strife__db_find_arm(db, o->from ? o->arm : NULL, &arm, diag);
  if (!rc) rc = read_runs(s, db, arm, diag);
  strife__db_close(db);
  return rc;
}

int strife_score_run(const strife_score_opts *o, strife_experiment **out,
                     strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  int rc = check_opts(o, diag);
  if (rc) return rc;
  struct score *s = calloc(1, sizeof *s);
  if (!s) return STRIFE_ENOMEM;
  s->base.table = score_table;
  s->base.destroy = score_destroy;
  if (o->from) snprintf(s->from, sizeof s->from, "%s", o->from);
  rc = scenario_facts(s, o, diag);
  if (!rc)
    rc = strife__observed_load(&s->rec, o->records, o->n_records, s->schema,
                               s->win0, s->win1, diag);
  if (!rc) rc = list_items(s);
  if (!rc && !o->from) rc = run_ensemble(s, o, diag);
  const int rank0 = strife__exp_rank(&o->exp) == 0;
  if (!rc && rank0 && !s->base.interrupted) {
    rc = read_db(s, o, diag);
    if (!rc) rc = summarise(s);
    if (!rc) rc = forecast(s);
    if (!rc && !o->from) rc = store(s, o, diag);
    if (!rc && o->csv) rc = write_csv(s, o->csv, diag);
  }
  if (rc) {
    score_destroy(&s->base);
    return rc;
  }
  *out = &s->base;
  return s->base.interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}

int strife_score_coverage(const strife_experiment *x, int out_of_window,
                          size_t *inside, size_t *scored) {
  const struct score *s = (const struct score *)x;
  *inside = *scored = 0;
  if (x->table != score_table) return STRIFE_EINVAL;
  for (size_t i = 0; i < s->n_items; i++) {
    const struct item *it = &s->it[i];
    if (it->status != STRIFE__FIG_SCORED ||
        it->f->window != (out_of_window != 0))
      continue;
    (*scored)++;
    *inside += (size_t)it->inside;
  }
  return STRIFE_OK;
}
