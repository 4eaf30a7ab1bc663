/* SPDX-License-Identifier: MIT */
/*
 * The results database (db.h; docs/results.md), and the sink that writes
 * a run into it: the model's tables as SQL tables, a row a row, each run
 * in one transaction.
 */
#include "db.h"

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"

#define SCHEMA_VERSION "1"
#define TABLES_MAX     STRIFE__TABLES_MAX

struct strife__db {
  sqlite3 *h;
  char path[1024];
  const struct strife_model_type *type;
  sqlite3_stmt *table[TABLES_MAX], *out, *run;
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

/* The declaration of column 'c' ('decl'), or its parameter. */
static void column(struct strife__text *t, const struct strife__column *c,
                   int decl) {
  static const char *const sql[] = {[STRIFE__COL_REAL] = "REAL",
                                    [STRIFE__COL_INT] = "INTEGER NOT NULL",
                                    [STRIFE__COL_TEXT] = "TEXT NOT NULL",
                                    [STRIFE__COL_OPTTEXT] = "TEXT",
                                    [STRIFE__COL_DATE] = "TEXT NOT NULL",
                                    [STRIFE__COL_MONTH] = "TEXT NOT NULL"};
  if (decl)
    strife__text_put(t, ", %s %s", c->name, sql[c->type]);
  else
    strife__text_put(t, ",?");
}

/* CREATE TABLE of a model's table: arm and rep (and seq, for a table
   without a key), its columns, and its key. */
static void create_table(struct strife__text *t,
                         const struct strife__table *tb) {
  strife__text_put(t,
                   "CREATE TABLE IF NOT EXISTS %s(arm INTEGER NOT NULL, rep "
                   "INTEGER NOT NULL%s",
                   tb->name, tb->n_key ? "" : ", seq INTEGER NOT NULL");
  for (int k = 0; k < tb->n_cols; k++)
    column(t, &tb->cols[k], 1);
  strife__text_put(t, ", PRIMARY KEY(arm, rep");
  for (int k = 0; k < tb->n_key; k++)
    strife__text_put(t, ", %s", tb->cols[k].name);
  strife__text_put(t, "%s));", tb->n_key ? "" : ", seq");
}

/* The schema: the experiment's own tables, and the model's. */
static int create_schema(struct strife__db *db, strife_diag *diag) {
  const struct strife__schema *s = db->type->schema;
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(
      &t,
      "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT "
      "NULL);"
      "CREATE TABLE IF NOT EXISTS arms(arm INTEGER PRIMARY KEY, label TEXT "
      "NOT NULL, scenario_hash TEXT NOT NULL, scenario_json TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS parameters(arm INTEGER NOT NULL, key TEXT "
      "NOT NULL, value TEXT NOT NULL, source TEXT, PRIMARY KEY(arm, key));"
      "CREATE TABLE IF NOT EXISTS runs(arm INTEGER NOT NULL, rep INTEGER NOT "
      "NULL, seed INTEGER NOT NULL, %s INTEGER NOT NULL, agent_scale REAL "
      "NOT NULL, PRIMARY KEY(arm, rep));"
      "CREATE TABLE IF NOT EXISTS outcomes(arm INTEGER NOT NULL, rep INTEGER "
      "NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY(arm, rep, "
      "name));",
      s->tick_name);
  for (int i = 0; i < s->n_tables; i++)
    create_table(&t, &s->tables[i]);
  strife__text_put(
      &t, "%s",
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

/* Prepares "INSERT INTO table VALUES(?, ... ?)": 'fixed' parameters
   before those of the 'n' columns of 'cols'. */
static int prepare_insert(struct strife__db *db, const char *table, int fixed,
                          const struct strife__column *cols, int n,
                          sqlite3_stmt **st, strife_diag *diag) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "INSERT INTO %s VALUES(?", table);
  for (int k = 1; k < fixed; k++)
    strife__text_put(&t, ",?");
  for (int k = 0; k < n; k++)
    column(&t, &cols[k], 0);
  strife__text_put(&t, ")");
  char *sql = strife__text_take(&t);
  if (!sql) return STRIFE_ENOMEM;
  int rc = prepare(db, sql, st, diag);
  free(sql);
  return rc;
}

static int prepare_all(struct strife__db *db, strife_diag *diag) {
  const struct strife__schema *s = db->type->schema;
  int rc = STRIFE_OK;
  for (int i = 0; i < s->n_tables && !rc; i++) {
    const struct strife__table *tb = &s->tables[i];
    rc = prepare_insert(db, tb->name, tb->n_key ? 2 : 3, tb->cols, tb->n_cols,
                        &db->table[i], diag);
  }
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
                    const struct strife__db_meta *meta,
                    const struct strife_model_type *type, strife_diag *diag) {
  struct strife__db *db = calloc(1, sizeof *db);
  if (!db) {
    strife__diag_set(diag, "", "%s: out of memory opening it", path);
    return STRIFE_ENOMEM;
  }
  db->type = type;
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
  for (int i = 0; i < TABLES_MAX; i++)
    sqlite3_finalize(db->table[i]);
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

/* Binds cell 'c' of column 'col' to parameter 'i'. */
static void bind_cell(sqlite3_stmt *st, int i, const struct strife__column *col,
                      const union strife__cell *c) {
  char d[16];
  switch (col->type) {
  case STRIFE__COL_REAL:
    bind_real(st, i, c->r);
    return;
  case STRIFE__COL_INT:
    sqlite3_bind_int64(st, i, c->i);
    return;
  case STRIFE__COL_DATE:
    strife__date_text(c->i, d);
    sqlite3_bind_text(st, i, d, -1, SQLITE_TRANSIENT);
    return;
  case STRIFE__COL_MONTH:
    snprintf(d, sizeof d, "%04d-%02d", (int)(c->i / 100), (int)(c->i % 100));
    sqlite3_bind_text(st, i, d, -1, SQLITE_TRANSIENT);
    return;
  case STRIFE__COL_OPTTEXT:
    if (*c->s)
      sqlite3_bind_text(st, i, c->s, -1, SQLITE_TRANSIENT);
    else
      sqlite3_bind_null(st, i);
    return;
  default:
    sqlite3_bind_text(st, i, c->s, -1, SQLITE_TRANSIENT);
    return;
  }
}

/* The sink of a run into the database: the rows of run 'rep' of 'arm',
   then its outcomes and its line in runs. */
struct db_sink {
  struct strife__sink base;
  struct strife__db *db;
  int arm;
  uint32_t rep;
  int64_t seq;
  uint64_t seed;
  double scale;
};

static int db_begin(struct strife__sink *base,
                    const struct strife__run_facts *f, strife_diag *diag) {
  (void)diag;
  struct db_sink *s = (struct db_sink *)base;
  s->seed = f->seed;
  s->scale = f->scale;
  return STRIFE_OK;
}

static int db_row(struct strife__sink *base, int table,
                  const union strife__cell *c) {
  struct db_sink *s = (struct db_sink *)base;
  const struct strife__table *tb = &s->db->type->schema->tables[table];
  sqlite3_stmt *st = s->db->table[table];
  sqlite3_bind_int(st, 1, s->arm);
  sqlite3_bind_int64(st, 2, s->rep);
  int at = 3;
  if (!tb->n_key) sqlite3_bind_int64(st, at++, s->seq++);
  for (int k = 0; k < tb->n_cols; k++)
    bind_cell(st, at + k, &tb->cols[k], &c[k]);
  return step(st) ? STRIFE_OK : STRIFE_EIO;
}

static int db_end(struct strife__sink *base, const struct strife__run_end *e) {
  struct db_sink *s = (struct db_sink *)base;
  const struct strife__schema *schema = s->db->type->schema;
  sqlite3_stmt *st = s->db->run;
  sqlite3_bind_int(st, 1, s->arm);
  sqlite3_bind_int64(st, 2, s->rep);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)s->seed);
  sqlite3_bind_int64(st, 4, e->ticks);
  sqlite3_bind_double(st, 5, s->scale);
  if (!step(st)) return STRIFE_EIO;
  st = s->db->out;
  for (int k = 0; k < schema->n_outcomes; k++) {
    sqlite3_bind_int(st, 1, s->arm);
    sqlite3_bind_int64(st, 2, s->rep);
    sqlite3_bind_text(st, 3, schema->outcomes[k].name, -1, SQLITE_STATIC);
    bind_real(st, 4, e->outcomes[k]);
    if (!step(st)) return STRIFE_EIO;
  }
  return STRIFE_OK;
}

static const struct strife__sink_ops db_ops = {db_begin, db_row, db_end};

int strife__db_put_run(struct strife__db *db, int arm, uint32_t rep,
                       const struct strife__record *r,
                       const strife_scenario *sc, strife_diag *diag) {
  int rc = exec(db, "BEGIN", diag);
  if (rc) return rc;
  struct db_sink s = {{&db_ops}, db, arm, rep, 0, 0, 0};
  struct strife__run_facts f;
  memset(&f, 0, sizeof f);
  f.sc = sc;
  f.type = db->type;
  rc = strife__record_replay(r, f, &s.base, diag);
  if (rc) {
    rc = fail(db, diag, "writing a run");
    (void)exec(db, "ROLLBACK", NULL);
    return rc;
  }
  return exec(db, "COMMIT", diag);
}

int strife__db_outcomes(struct strife__db *db, int arm, uint32_t runs,
                        double *out, uint32_t *have, strife_diag *diag) {
  const struct strife__schema *s = db->type->schema;
  const size_t n_out = (size_t)s->n_outcomes;
  for (size_t i = 0; i < (size_t)runs * n_out; i++)
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
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 rep = sqlite3_column_int64(st, 0);
    const char *name = (const char *)sqlite3_column_text(st, 1);
    for (size_t k = 0; name && k < n_out; k++)
      if (strcmp(name, s->outcomes[k].name) == 0 &&
          sqlite3_column_type(st, 2) != SQLITE_NULL)
        out[(size_t)rep * n_out + k] = sqlite3_column_double(st, 2);
  }
  if (r != SQLITE_DONE) rc = fail(db, diag, "reading outcomes");
  sqlite3_finalize(st);
  if (rc) return rc;
  uint8_t *done = calloc(runs ? runs : 1, 1);
  if (!done) return STRIFE_ENOMEM;
  rc = strife__db_done(db, arm, runs, done, diag);
  for (uint32_t i = 0; i < runs; i++)
    *have += done[i];
  free(done);
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
