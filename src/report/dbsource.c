/* SPDX-License-Identifier: MIT */
/* A results database as the report reads it (report.h): what made it,
   each run's national series by month, the runs' outcomes, the provinces
   by month, the first arm's parameters, and what the experiment found:
   the record scored, the sensitivity indices, the posterior. */
#include "dbsource.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* The monthly series the report draws: an average of the days, or a sum
   (counts). */
static const char *const monthly_sql =
    "SELECT a.label, n.rep, substr(n.date, 1, 7), avg(n.isk_fighters), "
    "sum(n.attacks), sum(n.fatalities), avg(n.legit_public), "
    "avg(n.legit_hardliner), avg(n.legit_us), avg(n.legit_pakistan), "
    "avg(n.legit_china), avg(n.forces), avg(n.treasury), avg(n.ttp), "
    "sum(n.ttp_attacks) FROM national n JOIN arms a ON a.arm = n.arm "
    "GROUP BY n.arm, n.rep, substr(n.date, 1, 7) ORDER BY n.arm, n.rep, 3";
static const char *const monthly_head =
    "arm,rep,month,isk_fighters,attacks,fatalities,legit_public,"
    "legit_hardliner,legit_us,legit_pakistan,legit_china,forces,treasury,"
    "ttp,ttp_attacks\n";
static const char *const outcomes_sql =
    "SELECT a.label, o.rep, o.name, o.value FROM outcomes o JOIN arms a ON "
    "a.arm = o.arm ORDER BY o.arm, o.rep, o.name";

/* The figures scored, the indices, the last generation's particles (each
   free parameter's value and the particle's weight) and the first arm's
   parameters with their sources: empty in a database without them. */
static const char *const score_sql =
    "SELECT file, idx, quantity, place, unit, start, end, window, value, "
    "low, high, runs, median, q05, q95, inside, crps FROM score ORDER BY "
    "quantity, place, start, end, file, idx";
static const char *const score_head =
    "file,idx,quantity,place,unit,start,end,window,value,low,high,runs,"
    "median,q05,q95,inside,crps\n";
static const char *const sensitivity_sql =
    "SELECT outcome, parameter, measure, value, lo, hi FROM sensitivity "
    "ORDER BY outcome, parameter, measure";
static const char *const posterior_sql =
    "SELECT po.particle, po.weight, p.key, p.value FROM posterior po JOIN "
    "parameters p ON p.arm = po.arm WHERE po.generation = (SELECT "
    "max(generation) FROM posterior) AND p.key IN (SELECT "
    "json_extract(j.value, '$.key') FROM meta m, "
    "json_each(json_extract(m.value, '$.calibration.free')) j WHERE m.key = "
    "'scenario_json') ORDER BY po.particle, p.key";
static const char *const skill_sql =
    "SELECT quantity, place, unit, span, start, horizon, forecaster, "
    "observed, crps, q05, q25, q50, q75, q95, pit FROM skill ORDER BY "
    "quantity, place, unit, span, start, forecaster";
static const char *const skill_head =
    "quantity,place,unit,span,start,horizon,forecaster,observed,crps,q05,"
    "q25,q50,q75,q95,pit\n";
static const char *const parameters_sql =
    "SELECT key, value, source FROM parameters WHERE arm = (SELECT min(arm) "
    "FROM arms) ORDER BY key";
/* The provinces' quantities of the map, by month, of the first arm's
   runs; their median over the runs is drawn. */
static const char *const provinces_sql =
    "SELECT month, iso, attacks, isk_fighters, active_public, jailed, "
    "legit_public FROM provinces WHERE arm = (SELECT min(arm) FROM runs) "
    "ORDER BY month, iso, rep";
static const char *const provinces_head =
    "month,iso,attacks,isk_fighters,active_public,jailed,legit_public\n";
#define PROVINCE_COLS 5

static int fail(strife_diag *diag, const char *path, const char *what,
                sqlite3 *db) {
  strife_diag_clear(diag);
  strife__diag_set(diag, "SOURCE", "%s: %s%s%s", path, what, db ? ": " : "",
                   db ? sqlite3_errmsg(db) : "");
  return STRIFE_EINVAL;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void field(struct strife__text *t, const char *s) {
  if (!s) return;
  if (!strpbrk(s, ",\"\n\r")) {
    strife__text_put(t, "%s", s);
    return;
  }
  strife__text_put(t, "\"");
  for (const char *c = s; *c; c++)
    strife__text_put(t, *c == '"' ? "\"\"" : "%c", *c);
  strife__text_put(t, "\"");
}

/* The rows of 'sql' as CSV under 'head'; of a table the database may not
   have ('optional'), the head alone when it has not. */
static char *csv(sqlite3 *db, const char *sql, const char *head, int optional) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) st = NULL;
  if (!st && !optional) return NULL;
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "%s", head);
  if (!st) return strife__text_take(&t);
  while (sqlite3_step(st) == SQLITE_ROW) {
    int n = sqlite3_column_count(st);
    for (int c = 0; c < n; c++) {
      if (c) strife__text_put(&t, ",");
      if (sqlite3_column_type(st, c) == SQLITE_FLOAT)
        strife__text_put(&t, "%.10g", sqlite3_column_double(st, c));
      else
        field(&t, (const char *)sqlite3_column_text(st, c));
    }
    strife__text_put(&t, "\n");
  }
  sqlite3_finalize(st);
  return strife__text_take(&t);
}

/* The rows of one month and province, one column after another. */
struct group {
  char month[16], iso[16];
  double *v; /* [PROVINCE_COLS][cap] */
  size_t n, cap;
};

/* The group's medians as a CSV row (an empty field where no run has a
   value); the group emptied. */
static void put_medians(struct strife__text *t, struct group *g) {
  if (!g->n) return;
  strife__text_put(t, "%s,%s", g->month, g->iso);
  for (int c = 0; c < PROVINCE_COLS; c++) {
    double *v = g->v + (size_t)c * g->cap;
    size_t m = 0;
    for (size_t r = 0; r < g->n; r++)
      if (!isnan(v[r])) v[m++] = v[r];
    gsl_sort(v, 1, m);
    if (m)
      strife__text_put(t, ",%.10g", gsl_stats_median_from_sorted_data(v, 1, m));
    else
      strife__text_put(t, ",");
  }
  strife__text_put(t, "\n");
  g->n = 0;
}

/* Adds the current row of 'st' to the group, a new one when its month or
   province differs; 0 when out of memory. */
static int add_row(struct strife__text *t, struct group *g, sqlite3_stmt *st) {
  const char *month = (const char *)sqlite3_column_text(st, 0);
  const char *iso = (const char *)sqlite3_column_text(st, 1);
  if (!month || !iso) return 1;
  if (strcmp(month, g->month) != 0 || strcmp(iso, g->iso) != 0) {
    put_medians(t, g);
    snprintf(g->month, sizeof g->month, "%s", month);
    snprintf(g->iso, sizeof g->iso, "%s", iso);
  }
  if (g->n == g->cap) { /* the columns apart, each its own stretch */
    size_t cap = g->cap ? 2 * g->cap : 64;
    double *v = malloc((size_t)PROVINCE_COLS * cap * sizeof *v);
    if (!v) return 0;
    for (int c = 0; c < PROVINCE_COLS; c++)
      if (g->n)
        memcpy(v + (size_t)c * cap, g->v + (size_t)c * g->cap,
               g->n * sizeof *v);
    free(g->v);
    g->v = v;
    g->cap = cap;
  }
  for (int c = 0; c < PROVINCE_COLS; c++)
    g->v[(size_t)c * g->cap + g->n] =
        sqlite3_column_type(st, 2 + c) == SQLITE_NULL
            ? (double)NAN
            : sqlite3_column_double(st, 2 + c);
  g->n++;
  return 1;
}

/* The map's quantities per month and province: the median over the runs
   of the first arm. */
static char *province_medians(sqlite3 *db) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, provinces_sql, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "%s", provinces_head);
  struct group g = {"", "", NULL, 0, 0};
  int ok = 1;
  while (ok && sqlite3_step(st) == SQLITE_ROW)
    ok = add_row(&t, &g, st);
  put_medians(&t, &g);
  sqlite3_finalize(st);
  free(g.v);
  char *text = strife__text_take(&t);
  if (!ok) {
    free(text);
    text = NULL;
  }
  return text;
}

/* What made the database: its meta table and its arms, as JSON, with the
   scenario's free parameters and their priors (calibration.free). */
static char *about(sqlite3 *db) {
  json_t *o = json_object(), *arms = json_array();
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &st, NULL) ==
      SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char *key = (const char *)sqlite3_column_text(st, 0);
      const char *value = (const char *)sqlite3_column_text(st, 1);
      if (!key || !value) continue;
      if (strcmp(key, "scenario_json") != 0) {
        json_object_set_new(o, key, json_string(value));
        continue;
      }
      json_t *sc = json_loads(value, 0, NULL);
      json_t *free_ =
          json_object_get(json_object_get(sc, "calibration"), "free");
      if (json_is_array(free_)) json_object_set(o, "free", free_);
      json_decref(sc);
    }
    sqlite3_finalize(st);
  }
  if (sqlite3_prepare_v2(db, "SELECT label FROM arms ORDER BY arm", -1, &st,
                         NULL) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW)
      json_array_append_new(
          arms, json_string((const char *)sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
  }
  json_object_set_new(o, "arms", arms);
  char *s = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  return s;
}

/* The parts of the page read from an open database; 0 when one could not
   be read. */
static int read_parts(sqlite3 *db, struct strife__report_part *part) {
  static const char *const id[STRIFE__REPORT_DB_PARTS] = {
      "strife-summary",   "strife-monthly",    "strife-outcomes",
      "strife-provinces", "strife-score",      "strife-sensitivity",
      "strife-posterior", "strife-parameters", "strife-skill"};
  for (int i = 0; i < STRIFE__REPORT_DB_PARTS; i++) {
    part[i].id = id[i];
    part[i].type = i ? "text/csv" : "application/json";
  }
  part[0].text = about(db);
  part[1].text = csv(db, monthly_sql, monthly_head, 0);
  part[2].text = csv(db, outcomes_sql, "arm,rep,name,value\n", 0);
  part[3].text = province_medians(db);
  part[4].text = csv(db, score_sql, score_head, 1);
  part[5].text =
      csv(db, sensitivity_sql, "outcome,parameter,measure,value,lo,hi\n", 1);
  part[6].text = csv(db, posterior_sql, "particle,weight,key,value\n", 1);
  part[7].text = csv(db, parameters_sql, "key,value,source\n", 1);
  part[8].text = csv(db, skill_sql, skill_head, 1);
  for (int i = 0; i < STRIFE__REPORT_DB_PARTS; i++)
    if (!part[i].text) return 0;
  return 1;
}

int strife__report_db(const char *path, struct strife__report_part *part,
                      strife_diag *diag) {
  memset(part, 0, STRIFE__REPORT_DB_PARTS * sizeof *part);
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    int rc = fail(diag, path, "cannot open as a results database", db);
    sqlite3_close(db);
    return rc;
  }
  sqlite3_stmt *st;
  int afghan = sqlite3_prepare_v2(db,
                                  "SELECT isk_fighters FROM national "
                                  "LIMIT 1",
                                  -1, &st, NULL) == SQLITE_OK;
  if (afghan) sqlite3_finalize(st);
  int rc = STRIFE_OK;
  if (!afghan)
    rc = fail(diag, path,
              "not a results database of the Afghan model (no national "
              "table with its series)",
              NULL);
  if (!rc && !read_parts(db, part))
    rc = fail(diag, path, "cannot read its runs", db);
  sqlite3_close(db);
  for (int i = 0; i < STRIFE__REPORT_DB_PARTS && rc; i++) {
    free(part[i].text);
    part[i].text = NULL;
  }
  return rc;
}
