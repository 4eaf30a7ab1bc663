/* SPDX-License-Identifier: MIT */
/*
 * The results database's tables of what an experiment found: the score
 * and sensitivity tables written, a figure's range and a missing interval
 * kept as NULL, a second write replacing the first (no row twice), and a
 * database holding them opened again for the same command.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "harness.h"
#include "sinks/db.h"
#include "support.h"

static char dir[] = "/tmp/strife-db-XXXXXX";
static char path[256];

static struct strife__db *open_db(const strife_scenario *sc) {
  struct strife__db_meta meta = {
      "score",    strife_scenario_hash(sc), strife_scenario_json(sc),
      "scenario", strife_scenario_seed(sc), "test"};
  struct strife__db *db = NULL;
  strife_diag d;
  int rc =
      strife__db_open(&db, path, &meta, strife_scenario_model_type(sc), &d);
  CHECK_EQ(rc, STRIFE_OK);
  return db;
}

/* The one number (or text) of 'sql', as text into buf ("NULL"). */
static const char *query(const char *sql, char *buf, size_t n) {
  sqlite3 *h;
  sqlite3_stmt *st;
  snprintf(buf, n, "?");
  if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW) {
      const char *t = (const char *)sqlite3_column_text(st, 0);
      snprintf(buf, n, "%s", t ? t : "NULL");
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return buf;
}

#define CHECK_SQL(sql, want)                                                   \
  do {                                                                         \
    char b_[128];                                                              \
    CHECK_MSG(strcmp(query(sql, b_, sizeof b_), want) == 0, "%s: %s, not %s",  \
              sql, b_, want);                                                  \
  } while (0)

static void test_score(const strife_scenario *sc) {
  struct strife__db *db = open_db(sc);
  if (!db) return;
  struct strife__db_figure f[2] = {
      {"a.json", 3, "attacks", NULL, "attacks", 0, 29, 0, 38, NAN, NAN, 5, 22,
       21, 25.5, 13.9, 252, 0},
      {"b.json", 1, "forces", "Pakistan", "fighters", 10, 10, 1, NAN, 2, 4, 5,
       3, 1, 5, 0.5, 2.5, 1}};
  f[0].start = strife__date_days(2021, 9, 1);
  f[0].end = f[0].start + 29;
  strife_diag d;
  CHECK_EQ(strife__db_put_score(db, f, 2, &d), STRIFE_OK);
  CHECK_EQ(strife__db_put_score(db, f, 2, &d), STRIFE_OK);
  strife__db_close(db);
  CHECK_SQL("SELECT count(*) FROM score", "2");
  CHECK_SQL("SELECT start || '..' || end FROM score WHERE idx = 3",
            "2021-09-01..2021-09-30");
  CHECK_SQL("SELECT window FROM score WHERE file = 'b.json'", "out");
  CHECK_SQL("SELECT coalesce(value, 'NULL') || ' ' || low || '-' || high "
            "FROM score WHERE file = 'b.json'",
            "NULL 2.0-4.0");
  CHECK_SQL("SELECT coalesce(low, 'NULL') FROM score WHERE idx = 3", "NULL");
  CHECK_SQL("SELECT coalesce(place, 'NULL') FROM score WHERE idx = 3", "NULL");
  CHECK_SQL("SELECT sum(inside) || ' ' || sum(runs) FROM score", "1 10");
  CHECK_SQL("SELECT q95 FROM score WHERE idx = 3", "25.5");
  /* Opened again for the same command: the table is strife's. */
  db = open_db(sc);
  CHECK_EQ(db ? strife__db_put_score(db, f + 1, 1, &d) : -1, STRIFE_OK);
  strife__db_close(db);
  CHECK_SQL("SELECT count(*) || ' ' || file FROM score", "1 b.json");
}

static void test_sensitivity(const strife_scenario *sc) {
  struct strife__db *db = open_db(sc);
  if (!db) return;
  struct strife__db_index x[3] = {
      {"attacks", "isk.attack_rate", "mu_star", 3, 2, 4},
      {"attacks", "isk.attack_rate", "sigma", 1, NAN, NAN},
      {"attacks", "ct.intel_boost", "mu_star", 0, 0, 0}};
  strife_diag d;
  CHECK_EQ(strife__db_put_sensitivity(db, x, 3, &d), STRIFE_OK);
  CHECK_EQ(strife__db_put_sensitivity(db, x, 3, &d), STRIFE_OK);
  strife__db_close(db);
  CHECK_SQL("SELECT count(*) FROM sensitivity", "3");
  CHECK_SQL("SELECT coalesce(lo, 'NULL') FROM sensitivity WHERE measure = "
            "'sigma'",
            "NULL");
  CHECK_SQL("SELECT lo || '-' || hi FROM sensitivity WHERE parameter = "
            "'isk.attack_rate' AND measure = 'mu_star'",
            "2.0-4.0");
}

int main(void) {
  if (!mkdtemp(dir)) return 2;
  snprintf(path, sizeof path, "%s/r.db", dir);
  strife_scenario *sc = load_preset("afghanistan-2021", NULL);
  test_score(sc);
  test_sensitivity(sc);
  strife_scenario_destroy(sc);
  strife__db_remove(path);
  rmdir(dir);
  return test_report("db");
}
