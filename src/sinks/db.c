/* SPDX-License-Identifier: MIT */
/* The results database (db.h; docs/results.md). */
#include "db.h"

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"
#include "scenario/scenario.h"

#define SCHEMA_VERSION "1"

struct strife__db {
  sqlite3 *h;
  char path[1024];
  sqlite3_stmt *nat, *prov, *ev, *out, *run;
};

static int fail(struct strife__db *db, strife_diag *diag, const char *what) {
  strife__diag_set(diag, "", "%s: %s: %s", db->path, what,
                   sqlite3_errmsg(db->h));
  return STRIFE_EIO;
}

static int exec(struct strife__db *db, const char *sql, strife_diag *diag) {
  char *err = NULL;
  if (sqlite3_exec(db->h, sql, NULL, NULL, &err) == SQLITE_OK) return 0;
  strife__diag_set(diag, "", "%s: %s", db->path, err ? err : "error");
  sqlite3_free(err);
  return STRIFE_EIO;
}

static int prepare(struct strife__db *db, const char *sql, sqlite3_stmt **st,
                   strife_diag *diag) {
  if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) == SQLITE_OK) return 0;
  return fail(db, diag, "preparing a statement");
}

/* Appends, for each of 'n' columns, its declaration (", name REAL") or,
   when '!decl', a parameter (",?"). */
static void columns(struct strife__text *t, const struct strife__col *cols,
                    int n, int decl) {
  for (int k = 0; k < n; k++)
    if (decl)
      strife__put(t, ", %s REAL", cols[k].name);
    else
      strife__put(t, ",?");
}

/* The schema, with the series' columns from record.c's tables. */
static int create_schema(struct strife__db *db, strife_diag *diag) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__put(
      &t, "%s",
      "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT "
      "NULL);"
      "CREATE TABLE IF NOT EXISTS arms(arm INTEGER PRIMARY KEY, label TEXT "
      "NOT NULL, scenario_hash TEXT NOT NULL, scenario_json TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS parameters(arm INTEGER NOT NULL, key TEXT "
      "NOT NULL, value TEXT NOT NULL, source TEXT, PRIMARY KEY(arm, key));"
      "CREATE TABLE IF NOT EXISTS runs(arm INTEGER NOT NULL, rep INTEGER NOT "
      "NULL, seed INTEGER NOT NULL, days INTEGER NOT NULL, agent_scale REAL "
      "NOT NULL, PRIMARY KEY(arm, rep));"
      "CREATE TABLE IF NOT EXISTS outcomes(arm INTEGER NOT NULL, rep INTEGER "
      "NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY(arm, rep, "
      "name));"
      "CREATE TABLE IF NOT EXISTS national(arm INTEGER NOT NULL, rep INTEGER "
      "NOT NULL, date TEXT NOT NULL, policy TEXT NOT NULL");
  columns(&t, strife__nat_cols, STRIFE__NAT_COLS, 1);
  strife__put(&t, "%s",
              ", PRIMARY KEY(arm, rep, date));"
              "CREATE TABLE IF NOT EXISTS provinces(arm INTEGER NOT NULL, rep "
              "INTEGER NOT NULL, month TEXT NOT NULL, iso TEXT NOT NULL, "
              "province TEXT NOT NULL");
  columns(&t, strife__prov_cols, STRIFE__PROV_COLS, 1);
  strife__put(&t, "%s",
              ", PRIMARY KEY(arm, rep, month, iso));"
              "CREATE TABLE IF NOT EXISTS events(arm INTEGER NOT NULL, rep "
              "INTEGER NOT NULL, seq INTEGER NOT NULL, date TEXT NOT NULL, "
              "province TEXT, kind TEXT NOT NULL, target TEXT, fatalities "
              "INTEGER NOT NULL, country TEXT, detail TEXT, PRIMARY KEY(arm, "
              "rep, seq));"
              "CREATE TABLE IF NOT EXISTS posterior(generation INTEGER NOT "
              "NULL, particle INTEGER NOT NULL, arm INTEGER NOT NULL, weight "
              "REAL NOT NULL, distance REAL NOT NULL, epsilon REAL, PRIMARY "
              "KEY(generation, particle));");
  char *sql = strife__text_take(&t);
  if (!sql) return STRIFE_ENOMEM;
  int rc = exec(db, sql, diag);
  free(sql);
  return rc;
}

/* Prepares "INSERT INTO table VALUES(?, ... ?)": 'fixed' columns before the
   'n' of 'cols'. */
static int prepare_insert(struct strife__db *db, const char *table, int fixed,
                          const struct strife__col *cols, int n,
                          sqlite3_stmt **st, strife_diag *diag) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__put(&t, "INSERT INTO %s VALUES(?", table);
  for (int k = 1; k < fixed; k++)
    strife__put(&t, ",?");
  columns(&t, cols, n, 0);
  strife__put(&t, ")");
  char *sql = strife__text_take(&t);
  if (!sql) return STRIFE_ENOMEM;
  int rc = prepare(db, sql, st, diag);
  free(sql);
  return rc;
}

static int prepare_all(struct strife__db *db, strife_diag *diag) {
  int rc = prepare_insert(db, "national", 4, strife__nat_cols, STRIFE__NAT_COLS,
                          &db->nat, diag);
  if (!rc)
    rc = prepare_insert(db, "provinces", 5, strife__prov_cols,
                        STRIFE__PROV_COLS, &db->prov, diag);
  if (!rc) rc = prepare_insert(db, "events", 10, NULL, 0, &db->ev, diag);
  if (!rc) rc = prepare_insert(db, "outcomes", 4, NULL, 0, &db->out, diag);
  if (!rc) rc = prepare_insert(db, "runs", 5, NULL, 0, &db->run, diag);
  return rc;
}

/* The value of meta 'key', malloc'd, or NULL. */
static char *meta_get(struct strife__db *db, const char *key) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db->h, "SELECT value FROM meta WHERE key = ?", -1, &st,
                         NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  char *v = NULL;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    v = t ? strdup(t) : NULL;
  }
  sqlite3_finalize(st);
  return v;
}

static int meta_put(struct strife__db *db, const char *key, const char *value,
                    strife_diag *diag) {
  sqlite3_stmt *st;
  int rc = prepare(db, "INSERT OR REPLACE INTO meta VALUES(?, ?)", &st, diag);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step(st) != SQLITE_DONE) rc = fail(db, diag, "writing meta");
  sqlite3_finalize(st);
  return rc;
}

/* Refuses a database made for something else, or records what this one
   is for. */
static int check_meta(struct strife__db *db, const struct strife__db_meta *m,
                      strife_diag *diag) {
  const char *keys[4] = {"kind", "strife_version", "scenario_hash", "arms"};
  const char *want[4] = {m->kind, strife_version_string(), m->scenario_hash,
                         m->arms};
  char *kind = meta_get(db, "kind");
  if (!kind) {
    int rc = exec(db, "BEGIN", diag);
    for (int i = 0; i < 4 && !rc; i++)
      rc = meta_put(db, keys[i], want[i], diag);
    if (!rc) rc = meta_put(db, "scenario_json", m->scenario_json, diag);
    if (!rc) rc = meta_put(db, "command", m->command ? m->command : "", diag);
    if (!rc) rc = meta_put(db, "schema_version", SCHEMA_VERSION, diag);
    if (!rc) return exec(db, "COMMIT", diag);
    (void)exec(db, "ROLLBACK", NULL);
    return rc;
  }
  free(kind);
  for (int i = 0; i < 4; i++) {
    char *have = meta_get(db, keys[i]);
    int same = have && strcmp(have, want[i]) == 0;
    if (!same) {
      strife__diag_set(diag, keys[i],
                       "%s: made with another %s; its runs are not mixed "
                       "with another's (use another --db).  It has '%.300s', "
                       "this command '%.300s'",
                       db->path, keys[i], have ? have : "(none)", want[i]);
      free(have);
      return STRIFE_EINVAL;
    }
    free(have);
  }
  return 0;
}

int strife__db_open(struct strife__db **out, const char *path,
                    const struct strife__db_meta *meta, strife_diag *diag) {
  struct strife__db *db = calloc(1, sizeof *db);
  if (!db) return STRIFE_ENOMEM;
  snprintf(db->path, sizeof db->path, "%s", path);
  int rc = STRIFE_OK;
  if (sqlite3_open_v2(path, &db->h,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                          SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK)
    rc = fail(db, diag, "cannot open");
  /* WAL: a commit is one append, and a killed writer loses only the
     transaction it had not committed. */
  if (!rc) sqlite3_busy_timeout(db->h, 10000);
  if (!rc)
    rc = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", diag);
  if (!rc) rc = create_schema(db, diag);
  if (!rc) rc = check_meta(db, meta, diag);
  if (!rc) rc = prepare_all(db, diag);
  if (rc) {
    strife__db_close(db);
    return rc;
  }
  *out = db;
  return STRIFE_OK;
}

void strife__db_close(struct strife__db *db) {
  if (!db) return;
  sqlite3_finalize(db->nat);
  sqlite3_finalize(db->prov);
  sqlite3_finalize(db->ev);
  sqlite3_finalize(db->out);
  sqlite3_finalize(db->run);
  sqlite3_close(db->h);
  free(db);
}

/* The scenario's values as dotted keys, each with its source. */
static int put_params(struct strife__db *db, int arm, const char *prefix,
                      json_t *obj, json_t *sources, sqlite3_stmt *st) {
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    /* The sources go with each value; what calibrate fits, with its own
       sources, is in the arm's scenario_json. */
    if (!*prefix &&
        (strcmp(k, "sources") == 0 || strcmp(k, "calibration") == 0))
      continue;
    char key[256];
    snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? "." : "", k);
    if (json_is_object(v)) {
      if (put_params(db, arm, key, v, sources, st)) return -1;
      continue;
    }
    char *text =
        json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (!text) return -1;
    json_t *src = json_object_get(sources, key);
    sqlite3_reset(st);
    sqlite3_bind_int(st, 1, arm);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
    if (json_is_string(src))
      sqlite3_bind_text(st, 4, json_string_value(src), -1, SQLITE_TRANSIENT);
    else
      sqlite3_bind_null(st, 4);
    int ok = sqlite3_step(st) == SQLITE_DONE;
    free(text);
    if (!ok) return -1;
  }
  return 0;
}

int strife__db_put_arm(struct strife__db *db, int arm, const char *label,
                       const strife_scenario *sc, strife_diag *diag) {
  sqlite3_stmt *st;
  int rc = prepare(db, "SELECT 1 FROM arms WHERE arm = ?", &st, diag);
  if (rc) return rc;
  sqlite3_bind_int(st, 1, arm);
  int have = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  if (have) return 0;
  json_t *root = json_loads(strife_scenario_json(sc), 0, NULL);
  if (!root) return STRIFE_ENOMEM;
  rc = exec(db, "BEGIN", diag);
  if (!rc) rc = prepare(db, "INSERT INTO arms VALUES(?,?,?,?)", &st, diag);
  if (!rc) {
    sqlite3_bind_int(st, 1, arm);
    sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, strife_scenario_hash(sc), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, strife_scenario_json(sc), -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) rc = fail(db, diag, "writing arms");
    sqlite3_finalize(st);
  }
  if (!rc)
    rc = prepare(db, "INSERT INTO parameters VALUES(?,?,?,?)", &st, diag);
  if (!rc) {
    if (put_params(db, arm, "", root, json_object_get(root, "sources"), st))
      rc = fail(db, diag, "writing parameters");
    sqlite3_finalize(st);
  }
  json_decref(root);
  if (!rc) return exec(db, "COMMIT", diag);
  (void)exec(db, "ROLLBACK", NULL);
  return rc;
}

int strife__db_done(struct strife__db *db, int arm, uint32_t runs,
                    uint8_t *done, strife_diag *diag) {
  sqlite3_stmt *st;
  int rc = prepare(db, "SELECT rep FROM runs WHERE arm = ?", &st, diag);
  if (rc) return rc;
  sqlite3_bind_int(st, 1, arm);
  int s;
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 rep = sqlite3_column_int64(st, 0);
    if (rep >= 0 && rep < (sqlite3_int64)runs) done[rep] = 1;
  }
  if (s != SQLITE_DONE) rc = fail(db, diag, "reading runs");
  sqlite3_finalize(st);
  return rc;
}

static void bind_real(sqlite3_stmt *st, int i, double v) {
  if (isnan(v))
    sqlite3_bind_null(st, i);
  else
    sqlite3_bind_double(st, i, v);
}

static int step(sqlite3_stmt *st) {
  int ok = sqlite3_step(st) == SQLITE_DONE;
  sqlite3_reset(st);
  return ok;
}

static int put_rows(struct strife__db *db, int arm, uint32_t rep,
                    const struct strife__record *r,
                    const struct strife__provinces *prov) {
  sqlite3_stmt *st = db->run;
  sqlite3_bind_int(st, 1, arm);
  sqlite3_bind_int64(st, 2, rep);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)r->seed);
  sqlite3_bind_int64(st, 4, r->ticks);
  sqlite3_bind_double(st, 5, r->scale);
  if (!step(st)) return -1;
  st = db->out;
  for (int k = 0; k < STRIFE__OUTCOMES; k++) {
    sqlite3_bind_int(st, 1, arm);
    sqlite3_bind_int64(st, 2, rep);
    sqlite3_bind_text(st, 3, strife__outcomes[k].name, -1, SQLITE_STATIC);
    bind_real(st, 4, r->outcome[k]);
    if (!step(st)) return -1;
  }
  st = db->nat;
  for (size_t i = 0; i < r->n_days; i++) {
    char d[11];
    strife__date_text(r->days[i].day, d);
    sqlite3_bind_int(st, 1, arm);
    sqlite3_bind_int64(st, 2, rep);
    sqlite3_bind_text(st, 3, d, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, strife__policy_name(r->days[i].policy), -1,
                      SQLITE_STATIC);
    for (int k = 0; k < STRIFE__NAT_COLS; k++)
      bind_real(st, 5 + k, r->days[i].v[k]);
    if (!step(st)) return -1;
  }
  st = db->prov;
  for (size_t i = 0; i < r->n_prow; i++) {
    const struct strife__prow *p = &r->prow[i];
    char mo[16];
    snprintf(mo, sizeof mo, "%04d-%02d", p->month / 100, p->month % 100);
    sqlite3_bind_int(st, 1, arm);
    sqlite3_bind_int64(st, 2, rep);
    sqlite3_bind_text(st, 3, mo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, prov->p[p->prov].iso, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, prov->p[p->prov].name, -1, SQLITE_STATIC);
    for (int k = 0; k < STRIFE__PROV_COLS; k++)
      bind_real(st, 6 + k, p->v[k]);
    if (!step(st)) return -1;
  }
  st = db->ev;
  for (size_t i = 0; i < r->n_ev; i++) {
    const struct strife__event *e = &r->ev[i];
    char d[11], buf[48];
    strife__date_text(e->day, d);
    sqlite3_bind_int(st, 1, arm);
    sqlite3_bind_int64(st, 2, rep);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
    sqlite3_bind_text(st, 4, d, -1, SQLITE_TRANSIENT);
    if (e->province >= 0)
      sqlite3_bind_text(st, 5, prov->p[e->province].iso, -1, SQLITE_STATIC);
    else
      sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, strife__event_name(e->kind), -1, SQLITE_STATIC);
    const char *target = strife__target_name(e->target);
    if (*target)
      sqlite3_bind_text(st, 7, target, -1, SQLITE_STATIC);
    else
      sqlite3_bind_null(st, 7);
    sqlite3_bind_int64(st, 8, e->fatalities);
    if (e->country >= 0)
      sqlite3_bind_text(st, 9, strife__country_name(e->country), -1,
                        SQLITE_STATIC);
    else
      sqlite3_bind_null(st, 9);
    const char *detail = strife__event_detail(e, buf, sizeof buf);
    if (*detail)
      sqlite3_bind_text(st, 10, detail, -1, SQLITE_TRANSIENT);
    else
      sqlite3_bind_null(st, 10);
    if (!step(st)) return -1;
  }
  return 0;
}

int strife__db_put_run(struct strife__db *db, int arm, uint32_t rep,
                       const struct strife__record *r,
                       const struct strife__provinces *prov,
                       strife_diag *diag) {
  int rc = exec(db, "BEGIN", diag);
  if (rc) return rc;
  if (put_rows(db, arm, rep, r, prov)) {
    rc = fail(db, diag, "writing a run");
    (void)exec(db, "ROLLBACK", NULL);
    return rc;
  }
  return exec(db, "COMMIT", diag);
}

int strife__db_outcomes(struct strife__db *db, int arm, uint32_t runs,
                        double *out, uint32_t *have, strife_diag *diag) {
  for (size_t i = 0; i < (size_t)runs * STRIFE__OUTCOMES; i++)
    out[i] = (double)NAN;
  *have = 0;
  sqlite3_stmt *st;
  int rc = prepare(db,
                   "SELECT rep, name, value FROM outcomes WHERE arm = ? AND "
                   "rep < ?",
                   &st, diag);
  if (rc) return rc;
  sqlite3_bind_int(st, 1, arm);
  sqlite3_bind_int64(st, 2, runs);
  int s;
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 rep = sqlite3_column_int64(st, 0);
    const char *name = (const char *)sqlite3_column_text(st, 1);
    for (int k = 0; name && k < STRIFE__OUTCOMES; k++)
      if (strcmp(name, strife__outcomes[k].name) == 0 &&
          sqlite3_column_type(st, 2) != SQLITE_NULL)
        out[(size_t)rep * STRIFE__OUTCOMES + (size_t)k] =
            sqlite3_column_double(st, 2);
  }
  if (s != SQLITE_DONE) rc = fail(db, diag, "reading outcomes");
  sqlite3_finalize(st);
  if (!rc) {
    uint8_t *done = calloc(runs ? runs : 1, 1);
    if (!done) return STRIFE_ENOMEM;
    rc = strife__db_done(db, arm, runs, done, diag);
    for (uint32_t i = 0; i < runs; i++)
      *have += done[i];
    free(done);
  }
  return rc;
}

int strife__db_put_posterior(struct strife__db *db,
                             const struct strife__db_particle *p, size_t n,
                             strife_diag *diag) {
  sqlite3_stmt *st = NULL;
  int rc = exec(db, "BEGIN; DELETE FROM posterior;", diag);
  if (!rc) rc = prepare_insert(db, "posterior", 6, NULL, 0, &st, diag);
  for (size_t i = 0; i < n && !rc; i++) {
    sqlite3_bind_int64(st, 1, p[i].generation);
    sqlite3_bind_int64(st, 2, p[i].particle);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)p[i].arm);
    sqlite3_bind_double(st, 4, p[i].weight);
    sqlite3_bind_double(st, 5, p[i].distance);
    bind_real(st, 6, isfinite(p[i].epsilon) ? p[i].epsilon : (double)NAN);
    if (!step(st)) rc = fail(db, diag, "writing the posterior");
  }
  sqlite3_finalize(st);
  if (!rc) return exec(db, "COMMIT", diag);
  (void)exec(db, "ROLLBACK", NULL);
  return rc;
}
