/* SPDX-License-Identifier: MIT */
/* A results database as the report reads it (report.h): what made it,
   each run's national series by month, and the runs' outcomes. */
#include "dbsource.h"

#include <jansson.h>
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

/* The rows of 'sql' as CSV under 'head'. */
static char *csv(sqlite3 *db, const char *sql, const char *head) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "%s", head);
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

/* What made the database: its meta table and its arms, as JSON. */
static char *about(sqlite3 *db) {
  json_t *o = json_object(), *arms = json_array();
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db,
                         "SELECT key, value FROM meta WHERE key != "
                         "'scenario_json'",
                         -1, &st, NULL) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW)
      json_object_set_new(
          o, (const char *)sqlite3_column_text(st, 0),
          json_string((const char *)sqlite3_column_text(st, 1)));
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

int strife__report_db(const char *path, char **summary, char **monthly,
                      char **outcomes, strife_diag *diag) {
  *summary = *monthly = *outcomes = NULL;
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
  if (!rc) {
    *summary = about(db);
    *monthly = csv(db, monthly_sql, monthly_head);
    *outcomes = csv(db, outcomes_sql, "arm,rep,name,value\n");
    if (!*summary || !*monthly || !*outcomes)
      rc = fail(diag, path, "cannot read its runs", db);
  }
  sqlite3_close(db);
  if (rc) {
    free(*summary);
    free(*monthly);
    free(*outcomes);
    *summary = *monthly = *outcomes = NULL;
  }
  return rc;
}
