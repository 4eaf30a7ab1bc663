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

#include "core/text.h"
#include "ensemble.h"
#include "observed.h"
#include "scenario/scenario.h"
#include "sens.h"
#include "sinks/db.h"

struct sensitivity {
  struct strife_experiment base;
  int morris;
  size_t k, n; /* parameters; N or r */
  unsigned levels;
  char **names;            /* [k] */
  size_t n_out, *outcome;  /* outcomes reported (and record_distance) */
  int record;              /* the last output is the record's distance */
  size_t stride;           /* the model's outcomes */
  char **out_names;        /* [n_out] */
  struct strife__index *a; /* [outcome][k]: S, or mu* */
  struct strife__index *b; /* [outcome][k]: ST; Morris: sigma in .value */
  size_t points;
};

static void sensitivity_destroy(struct strife_experiment *x) {
  struct sensitivity *s = (struct sensitivity *)x;
  strife__exp_names_free(s->out_names, s->n_out);
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
static int check_opts(const strife_sensitivity_opts *o,
                      const strife_scenario *sc, int *morris,
                      strife_diag *diag) {
  if (!o->method ||
      (strcmp(o->method, "sobol") != 0 && strcmp(o->method, "morris") != 0))
    return bad(diag, "--method", "expected sobol or morris");
  *morris = strcmp(o->method, "morris") == 0;
  if (o->n_params < 1 ||
      o->n_params > (*morris ? STRIFE__MORRIS_MAX_K : STRIFE__SENS_MAX_K))
    return bad(diag, "--param",
               *morris ? "expected 1 .. 128 parameters for Morris"
                       : "expected 1 .. 20 parameters for Sobol");
  if (o->n_records && !(o->record_sd > 0 && o->record_sd <= 10))
    return bad(diag, "--record-sd", "expected a tolerance in (0, 10]");
  int rc = strife__exp_check_params(sc, o->params, o->n_params, diag);
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
  strife__text_put(&t, "%s samples=%u", o->method, o->samples);
  if (strcmp(o->method, "morris") == 0)
    strife__text_put(&t, " levels=%u", levels);
  for (size_t i = 0; i < o->n_params; i++)
    strife__text_put(&t, "; %s=%.17g:%.17g", o->params[i].key, o->params[i].lo,
                     o->params[i].hi);
  /* The record only reads the runs: it is not part of the design. */
  return strife__text_take(&t);
}

/* The estimates per outcome from the outputs of every point. */
static int estimate(struct sensitivity *s, const double *x, const double *out,
                    uint32_t boot) {
  const size_t k = s->k, pts = s->points;
  double *y = malloc(pts * sizeof *y);
  double *sigma = malloc(k * sizeof *sigma);
  s->a = calloc(s->n_out * k, sizeof *s->a);
  s->b = calloc(s->n_out * k, sizeof *s->b);
  int rc = !y || !sigma || !s->a || !s->b ? STRIFE_ENOMEM : STRIFE_OK;
  for (size_t q = 0; q < s->n_out && !rc; q++) {
    for (size_t p = 0; p < pts; p++)
      y[p] = s->record && q == s->n_out - 1
                 ? out[pts * s->stride + p]
                 : out[p * s->stride + s->outcome[q]];
    if (s->morris) {
      rc = strife__sens_morris_effects(k, s->n, x, y, boot, 17, s->a + q * k,
                                       sigma);
      for (size_t i = 0; i < k; i++)
        s->b[q * k + i].value = sigma[i];
    } else {
      rc = strife__sens_sobol(k, s->n, y, boot, 17, s->a + q * k, s->b + q * k);
    }
  }
  free(y);
  free(sigma);
  return rc;
}

static char *sensitivity_table(const struct strife_experiment *x);

/* One more output after the model's: record_distance, the distance of
   each point's run from the record's figures in the fit window,
   sqrt(sum (ln((m + 1) / (c + 1)) / sd)^2), appended to eo->out (rank 0
   reads the runs; the others have no estimates to make). */
static int record_distances(const strife_sensitivity_opts *o,
                            const strife_scenario *sc, struct sensitivity *s,
                            struct strife__ens_out *eo, strife_diag *diag) {
  const struct strife__calibration *cal = strife__scenario_calibration(sc);
  const struct strife_model_type *type = strife_scenario_model_type(sc);
  struct strife__observed rec;
  int rc = strife__observed_load(&rec, o->records, o->n_records, type->schema,
                                 cal->window_start, cal->window_end, diag);
  double *out =
      rc ? NULL
         : realloc(eo->out, (s->points * s->stride + s->points) * sizeof *out);
  double *v = malloc((rec.n + 1) * sizeof *v);
  char **names = realloc(s->out_names, (s->n_out + 1) * sizeof *names);
  if (names) s->out_names = names;
  if (out) eo->out = out;
  if (!rc && (!out || !v || !names)) rc = STRIFE_ENOMEM;
  if (!rc && !(names[s->n_out] = strdup("record_distance"))) rc = STRIFE_ENOMEM;
  if (!rc) s->n_out++, s->record = 1;
  struct strife__db *db = NULL;
  if (!rc) rc = strife__db_open_read(&db, o->exp.db, type, diag);
  size_t fitted = 0;
  for (size_t p = 0; p < s->points && !rc; p++) {
    rc = strife__observed_run(&rec, type->schema, db, (int)p, 0, v, diag);
    double d2 = 0;
    fitted = 0;
    for (size_t f = 0; f < rec.n && !rc; f++) {
      if (!strife__observed_fitted(&rec.fig[f]) || isnan(v[f])) continue;
      double z = strife__observed_log_miss(&rec.fig[f], v[f]) / o->record_sd;
      d2 += z * z;
      fitted++;
    }
    out[s->points * s->stride + p] = sqrt(d2);
  }
  strife__db_close(db);
  if (!rc && !fitted) {
    strife__diag_set(diag, "--record",
                     "no figure of the record lies inside the fit window "
                     "(calibration.window) and the days run");
    rc = STRIFE_EINVAL;
  }
  free(v);
  strife__observed_free(&rec);
  return rc;
}

/* The indices into the database's sensitivity table (rank 0). */
static int store(const strife_sensitivity_opts *o, const strife_scenario *sc,
                 const struct sensitivity *s, const char *arms,
                 strife_diag *diag) {
  static const char *const measure[2][2] = {{"S1", "ST"}, {"mu_star", "sigma"}};
  size_t n = 0;
  struct strife__db_index *x = malloc(2 * s->n_out * s->k * sizeof *x);
  if (!x) return STRIFE_ENOMEM;
  for (size_t q = 0; q < s->n_out; q++)
    for (size_t i = 0; i < s->k; i++)
      for (int m = 0; m < 2; m++) {
        const struct strife__index *v = &(m ? s->b : s->a)[q * s->k + i];
        int bare = s->morris && m; /* sigma has no interval */
        x[n++] = (struct strife__db_index){s->out_names[q],
                                           s->names[i],
                                           measure[s->morris][m],
                                           v->value,
                                           bare ? (double)NAN : v->lo,
                                           bare ? (double)NAN : v->hi};
      }
  struct strife__db *db = NULL;
  int rc = strife__exp_db_open(&o->exp, sc, "sensitivity", arms, &db, diag);
  if (!rc) rc = strife__db_put_sensitivity(db, x, n, diag);
  strife__db_close(db);
  free(x);
  return rc;
}

/* The design, its runs, and the estimates. */
static int analyse(const strife_sensitivity_opts *o, const strife_scenario *sc,
                   struct sensitivity *s, strife_diag *diag) {
  int rc = strife__exp_pick(sc, o->outcomes, o->n_outcomes, 0, &s->n_out,
                            &s->outcome, &s->out_names, &s->stride, diag);
  double *x = NULL;
  if (!rc)
    rc = s->morris ? strife__sens_morris(s->k, s->n, s->levels, 29, &x)
                   : strife__sens_saltelli(s->k, s->n, &x);
  s->points = s->morris ? s->n * (s->k + 1) : s->n * (s->k + 2);
  s->names = calloc(s->k, sizeof *s->names);
  char *arms = arms_text(o, s->levels);
  if (!rc && (!s->names || !arms)) rc = STRIFE_ENOMEM;
  for (size_t i = 0; i < s->k && !rc; i++)
    if (!(s->names[i] = strdup(o->params[i].key))) rc = STRIFE_ENOMEM;
  struct strife__ens_out eo;
  memset(&eo, 0, sizeof eo);
  if (!rc)
    rc = strife__ens_design(&o->exp, sc, o->params, s->k, x, s->points, 1,
                            "sensitivity", arms, &eo, diag);
  if (!rc) {
    s->base.ran = eo.ran;
    s->base.skipped = eo.skipped;
    s->base.interrupted = eo.interrupted;
    if (!eo.interrupted && o->n_records && strife__exp_rank(&o->exp) == 0)
      rc = record_distances(o, sc, s, &eo, diag);
    if (!rc && !eo.interrupted)
      rc = estimate(s, x, eo.out, o->boot ? o->boot : 500);
    if (!rc && !eo.interrupted && strife__exp_rank(&o->exp) == 0)
      rc = store(o, sc, s, arms, diag);
  }
  free(eo.out);
  free(arms);
  free(x);
  return rc;
}

/* The scenario's screen as the design's parameters, into o. */
static int screen_params(strife_sensitivity_opts *o, const strife_scenario *sc,
                         strife_param_range *r, strife_diag *diag) {
  const struct strife__calibration *cal = strife__scenario_calibration(sc);
  if (o->n_params) return bad(diag, "--screen", "--screen takes no --param");
  if (!cal->n_screen)
    return bad(diag, "calibration.screen",
               "the scenario has no calibration.screen to screen");
  for (int i = 0; i < cal->n_screen; i++)
    r[i] = (strife_param_range){cal->screen[i].key, cal->screen[i].lo,
                                cal->screen[i].hi, 0};
  o->params = r;
  o->n_params = (size_t)cal->n_screen;
  return STRIFE_OK;
}

int strife_sensitivity_run(const strife_sensitivity_opts *opts,
                           strife_experiment **out, strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  strife_scenario *sc;
  int rc = strife__exp_load(&opts->exp, &sc, diag);
  if (rc) return rc;
  strife_sensitivity_opts screened = *opts;
  const strife_sensitivity_opts *o = &screened;
  strife_param_range *range =
      opts->screen ? malloc(STRIFE__SCREEN_MAX * sizeof *range) : NULL;
  if (opts->screen && !range) rc = STRIFE_ENOMEM;
  if (!rc && opts->screen &&
      (!opts->method || strcmp(opts->method, "morris") != 0))
    rc = bad(diag, "--screen", "a screen is a Morris design: --method morris");
  if (!rc && opts->screen) rc = screen_params(&screened, sc, range, diag);
  int morris = 0;
  if (!rc) rc = check_opts(o, sc, &morris, diag);
  struct sensitivity *s = rc ? NULL : calloc(1, sizeof *s);
  if (!rc && !s) rc = STRIFE_ENOMEM;
  if (!rc) {
    s->base.table = sensitivity_table;
    s->base.destroy = sensitivity_destroy;
    s->morris = morris;
    s->k = o->n_params;
    s->n = o->samples;
    s->levels = o->levels ? o->levels : 4;
    rc = analyse(o, sc, s, diag);
  }
  strife_scenario_destroy(sc);
  free(range);
  if (rc) {
    if (s) sensitivity_destroy(&s->base);
    return rc;
  }
  *out = &s->base;
  return s->base.interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}

/* Indices of the k parameters of outcome q, by decreasing key. */
static void rank(const struct sensitivity *s, size_t q, size_t *order) {
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

static char *sensitivity_table(const struct strife_experiment *x) {
  const struct sensitivity *s = (const struct sensitivity *)x;
  struct strife__text t = {NULL, 0, 0, 0};
  if (s->base.interrupted) {
    strife__text_put(&t,
                     "interrupted: %llu of %zu points run; run the same "
                     "command again to finish\n",
                     (unsigned long long)s->base.ran +
                         (unsigned long long)s->base.skipped,
                     s->points);
    return strife__text_take(&t);
  }
  size_t *order = malloc(s->k * sizeof *order);
  if (!order) return NULL;
  if (s->morris)
    strife__text_put(&t,
                     "Morris elementary effects: %zu parameters, r = %zu "
                     "trajectories on %u levels, %zu runs; mu* with its 95 %% "
                     "bootstrap interval, sigma\n",
                     s->k, s->n, s->levels, s->points);
  else
    strife__text_put(
        &t,
        "Sobol indices: %zu parameters, N = %zu, %zu runs (Saltelli's "
        "design, Jansen's estimators); 95 %% bootstrap intervals\n",
        s->k, s->n, s->points);
  for (size_t q = 0; q < s->n_out; q++) {
    strife__text_put(&t, "\n%s\n", s->out_names[q]);
    if (s->morris)
      strife__text_put(&t, "  %-4s %-34s %12s %25s %12s\n", "rank", "parameter",
                       "mu*", "95% interval", "sigma");
    else
      strife__text_put(&t, "  %-4s %-34s %8s %19s %8s %19s\n", "rank",
                       "parameter", "S_i", "95% interval", "ST_i",
                       "95% interval");
    rank(s, q, order);
    for (size_t r = 0; r < s->k; r++) {
      size_t i = order[r];
      const struct strife__index *a = &s->a[q * s->k + i],
                                 *b = &s->b[q * s->k + i];
      if (s->morris)
        strife__text_put(&t, "  %-4zu %-34s %12.4g   [%10.4g, %10.4g] %12.4g\n",
                         r + 1, s->names[i], a->value, a->lo, a->hi, b->value);
      else
        strife__text_put(&t,
                         "  %-4zu %-34s %8.3f  [%7.3f, %7.3f] %8.3f  [%7.3f, "
                         "%7.3f]\n",
                         r + 1, s->names[i], a->value, a->lo, a->hi, b->value,
                         b->lo, b->hi);
    }
  }
  free(order);
  return strife__text_take(&t);
}
