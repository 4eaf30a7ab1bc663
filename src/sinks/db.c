/* SPDX-License-Identifier: MIT */
/*
 * The results database (db.h; docs/results.md), and the sink that writes
 * a run into it: the model's tables as SQL tables, a row a row, each run
 * in one transaction.
 */
/* Open file description locks (F_OFD_SETLK), a Linux extension. */
#define _GNU_SOURCE
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "core/text.h"

#define SCHEMA_VERSION "1"
#define TABLES_MAX     STRIFE__TABLES_MAX
/* The lock that keeps out a second process: an open file description
   lock (F_OFD_SETLK) on byte LOCK_BYTE, and one on byte LOCK_BYTE + 1 +
   pid, so that a process refused can tell the holder's id from where the
   second lock is.  SQLite's own locks are POSIX locks at 0x40000000 and
   above, owned by the process, which SQLite drops for the whole file
   (and which would drop a POSIX lock of ours); an OFD lock belongs to its
   descriptor, and the two kinds meet only where ranges overlap, which
   these do not.  Advisory: SQLite's reads and writes are not hindered. */
#define LOCK_BYTE 0x30000000
#define PID_SPAN  (1 << 22) /* Linux's largest pid_max */

struct strife__db {
  sqlite3 *h;
  char path[1024];
  const struct strife_model_type *type;
  sqlite3_stmt *table[TABLES_MAX], *out, *run;
  int lock_fd; /* holds the lock that keeps out a second process */
  int created; /* the file did not exist before this open */
  off_t size;  /* its size when opened */
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
      "KEY(generation, particle));"
      "CREATE TABLE IF NOT EXISTS score(file TEXT NOT NULL, idx INTEGER NOT "
      "NULL, quantity TEXT NOT NULL, place TEXT, unit TEXT NOT NULL, start "
      "TEXT NOT NULL, end TEXT NOT NULL, window TEXT NOT NULL, value REAL, "
      "low REAL, high REAL, runs INTEGER NOT NULL, median REAL, q05 REAL, "
      "q95 REAL, inside INTEGER NOT NULL, crps REAL, interval_score REAL, "
      "PRIMARY KEY(file, idx));"
      "CREATE TABLE IF NOT EXISTS sensitivity(outcome TEXT NOT NULL, "
      "parameter TEXT NOT NULL, measure TEXT NOT NULL, value REAL, lo REAL, "
      "hi REAL, PRIMARY KEY(outcome, parameter, measure));"
      "CREATE TABLE IF NOT EXISTS skill(quantity TEXT NOT NULL, place TEXT "
      "NOT NULL, unit TEXT NOT NULL, span INTEGER NOT NULL, start TEXT NOT "
      "NULL, horizon INTEGER NOT NULL, forecaster TEXT NOT NULL, observed "
      "REAL, crps REAL, q05 REAL, q25 REAL, q50 REAL, q75 REAL, q95 REAL, "
      "pit REAL, PRIMARY KEY(quantity, place, unit, span, start, "
      "forecaster));");
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

/* The rows of meta: the first META_CHECKED say what the database is for
   and must match on resuming; the others are kept. */
enum { META_ROWS = 8, META_CHECKED = 6 };
static const char *const meta_keys[META_ROWS] = {
    "kind", "strife_version", "scenario_hash", "arms",
    "seed", "schema_version", "scenario_json", "command"};

/* The values of meta's rows for 'm' ('seed' holds the seed's text). */
static void meta_values(const struct strife__db_meta *m, char seed[24],
                        const char *vals[META_ROWS]) {
  snprintf(seed, 24, "%llu", (unsigned long long)m->seed);
  const char *v[META_ROWS] = {m->kind,
                              strife_version_string(),
                              m->scenario_hash,
                              m->arms,
                              seed,
                              SCHEMA_VERSION,
                              m->scenario_json,
                              m->command ? m->command : ""};
  memcpy(vals, v, sizeof v);
}

/* Refuses a database made for something else. */
static int check_meta(struct strife__db *db, const struct strife__db_meta *m,
                      strife_diag *diag) {
  char seed[24];
  const char *want[META_ROWS];
  meta_values(m, seed, want);
  for (int i = 0; i < META_CHECKED; i++) {
    char *have = meta_get(db, meta_keys[i]);
    int same = have && strcmp(have, want[i]) == 0;
    if (!same) {
      strife__diag_set(diag, meta_keys[i],
                       "%s: made with another %s; its runs are not mixed "
                       "with another's (use another --db).  It has '%.300s', "
                       "this command '%.300s'",
                       db->path, meta_keys[i], have ? have : "(none)", want[i]);
      free(have);
      return STRIFE_EINVAL;
    }
    free(have);
  }
  return 0;
}

/* Records what a new database is for. */
static int put_meta(struct strife__db *db, const struct strife__db_meta *m,
                    strife_diag *diag) {
  char seed[24];
  const char *vals[META_ROWS];
  meta_values(m, seed, vals);
  int rc = exec(db, "BEGIN", diag);
  for (int i = 0; i < META_ROWS && !rc; i++)
    rc = meta_put(db, meta_keys[i], vals[i], diag);
  if (!rc) return exec(db, "COMMIT", diag);
  (void)exec(db, "ROLLBACK", NULL);
  return rc;
}

/* What kind of thing, other than a regular file, 'mode' is. */
static const char *file_kind(mode_t mode) {
  return S_ISDIR(mode)    ? "a directory"
         : S_ISFIFO(mode) ? "a FIFO"
         : S_ISCHR(mode)  ? "a character device"
         : S_ISBLK(mode)  ? "a block device"
         : S_ISSOCK(mode) ? "a socket"
                          : "not a regular file";
}

/* Refuses a directory that does not let SQLite make its journal (the
   -wal and -shm files beside the database). */
static int check_dir(struct strife__db *db, strife_diag *diag) {
  char dir[PATH_MAX];
  /* The directory of the file itself, past any symbolic link. */
  if (!realpath(db->path, dir)) snprintf(dir, sizeof dir, "%s", db->path);
  char *slash = strrchr(dir, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else if (slash == dir)
    dir[1] = '\0';
  else
    *slash = '\0';
  if (access(dir, W_OK | X_OK) == 0) return STRIFE_OK;
  strife__diag_set(diag, "--db",
                   "%s: cannot write into its directory %s (%s): SQLite "
                   "keeps its journal beside the database",
                   db->path, dir, strerror(errno));
  return STRIFE_EIO;
}

/* Opens (or creates) the file, refuses anything but a regular file, and
   takes the lock that keeps out a second process. */
static int lock_file(struct strife__db *db, strife_diag *diag) {
  int fd = open(db->path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0 && errno == ENOENT) {
    fd = open(db->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    db->created = fd >= 0;
    if (fd < 0 && errno == EEXIST) /* made meanwhile by another */
      fd = open(db->path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
  }
  struct stat st;
  if (fd < 0) {
    int e = errno;
    struct stat s2;
    const int exists = stat(db->path, &s2) == 0;
    if (e == EISDIR || (exists && !S_ISREG(s2.st_mode))) {
      strife__diag_set(diag, "--db",
                       "%s: is %s, not a regular file: a results database "
                       "is a file",
                       db->path,
                       exists ? file_kind(s2.st_mode) : "a directory");
      return STRIFE_EINVAL;
    }
    const int denied = e == EACCES || e == EROFS || e == EPERM;
    strife__diag_set(diag, "--db", "%s: cannot %s: %s%s", db->path,
                     !denied  ? "open it"
                     : exists ? "write into it"
                              : "create it in its directory",
                     strerror(e),
                     denied ? " (a results database is written as runs "
                              "finish: make it writable, or use another --db)"
                            : "");
    return STRIFE_EIO;
  }
  db->lock_fd = fd;
  if (fstat(fd, &st) != 0) {
    strife__diag_set(diag, "--db", "%s: %s", db->path, strerror(errno));
    return STRIFE_EIO;
  }
  if (!S_ISREG(st.st_mode)) {
    strife__diag_set(diag, "--db",
                     "%s: is %s, not a regular file: a results database is "
                     "a file",
                     db->path, file_kind(st.st_mode));
    return STRIFE_EINVAL;
  }
  db->size = st.st_size;
  long pid = (long)getpid();
  struct flock l = {.l_type = F_WRLCK,
                    .l_whence = SEEK_SET,
                    .l_start = LOCK_BYTE,
                    .l_len = 1};
  struct flock l2 = l;
  l2.l_start = LOCK_BYTE + 1 + (pid < PID_SPAN ? pid : 0);
  if (fcntl(fd, F_OFD_SETLK, &l) == 0 && fcntl(fd, F_OFD_SETLK, &l2) == 0)
    return STRIFE_OK;
  int e = errno;
  /* Made here, but another process took it first: it is the other's. */
  db->created = 0;
  if (e != EACCES && e != EAGAIN) {
    strife__diag_set(diag, "--db", "%s: cannot lock it: %s", db->path,
                     strerror(e));
    return STRIFE_EIO;
  }
  struct flock g = {.l_type = F_WRLCK,
                    .l_whence = SEEK_SET,
                    .l_start = LOCK_BYTE + 1,
                    .l_len = PID_SPAN};
  char who[48] = "another process";
  if (fcntl(fd, F_OFD_GETLK, &g) == 0 && g.l_type != F_UNLCK &&
      g.l_start > LOCK_BYTE + 1)
    snprintf(who, sizeof who, "process %ld", (long)(g.l_start - LOCK_BYTE - 1));
  strife__diag_set(diag, "--db",
                   "%s: in use by %s, which is writing into it: wait for it "
                   "to end, or use another --db",
                   db->path, who);
  return STRIFE_EINVAL;
}

/* A damaged file: SQLite's own words, and what to do. */
static int damaged(struct strife__db *db, const char *why, strife_diag *diag) {
  static const char banner[] = "*** in database main ***\n";
  if (strncmp(why, banner, sizeof banner - 1) == 0) why += sizeof banner - 1;
  char first[200];
  snprintf(first, sizeof first, "%s", why);
  first[strcspn(first, "\n")] = '\0';
  strife__diag_set(diag, "--db",
                   "%s: the database is damaged (SQLite: %s); strife adds "
                   "nothing to it: restore a copy, or use another --db",
                   db->path, first);
  return STRIFE_EINVAL;
}

/* SQLite's quick check of the whole file (every page, record and
   constraint; indexes against their tables is the part it leaves out). */
static int quick_check(struct strife__db *db, strife_diag *diag) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db->h, "PRAGMA quick_check(1)", -1, &st, NULL) !=
      SQLITE_OK)
    return damaged(db, sqlite3_errmsg(db->h), diag);
  int rc = STRIFE_OK;
  const char *v = sqlite3_step(st) == SQLITE_ROW
                      ? (const char *)sqlite3_column_text(st, 0)
                      : sqlite3_errmsg(db->h);
  if (!v || strcmp(v, "ok") != 0) rc = damaged(db, v ? v : "?", diag);
  sqlite3_finalize(st);
  return rc;
}

/* The objects of 'db' other than SQLite's own into *n; the first that
   strife does not make (not a table of 'ours': someone's table, or any
   view, trigger or index) into 'foreign', as "a view 'v'".  Returns
   STRIFE_OK or the damage found. */
static int list_objects(struct strife__db *db, const char *const *ours,
                        int n_ours, int *n, char *foreign, size_t size,
                        strife_diag *diag) {
  sqlite3_stmt *st;
  *n = 0;
  foreign[0] = '\0';
  if (sqlite3_prepare_v2(db->h,
                         "SELECT type, name FROM sqlite_master WHERE name NOT "
                         "LIKE 'sqlite\\_%' ESCAPE '\\'",
                         -1, &st, NULL) != SQLITE_OK)
    return damaged(db, sqlite3_errmsg(db->h), diag);
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(st, 0);
    const char *name = (const char *)sqlite3_column_text(st, 1);
    int known = 0;
    for (int i = 0; i < n_ours && name && type && !strcmp(type, "table"); i++)
      known |= strcmp(name, ours[i]) == 0;
    if (!known && !foreign[0])
      snprintf(foreign, size, "a %s '%s'", type ? type : "?",
               name ? name : "?");
    (*n)++;
  }
  sqlite3_finalize(st);
  return r == SQLITE_DONE ? STRIFE_OK
                          : damaged(db, sqlite3_errmsg(db->h), diag);
}

/* SQLite's header: its magic, and a file of whole pages (a file cut
   short within a page reads as a database with a value changed). */
static int check_header(struct strife__db *db, strife_diag *diag) {
  unsigned char head[100] = {0};
  if (pread(db->lock_fd, head, sizeof head, 0) != (ssize_t)sizeof head ||
      memcmp(head, "SQLite format 3", 16) != 0) {
    strife__diag_set(diag, "--db",
                     "%s: not a SQLite database (it lacks SQLite's header); "
                     "strife writes only into its own results databases: "
                     "use another --db",
                     db->path);
    return STRIFE_EINVAL;
  }
  long page = head[16] << 8 | head[17];
  if (page == 1) page = 65536;
  if (page < 512 || db->size % page != 0) {
    char why[96];
    snprintf(why, sizeof why,
             "%lld bytes is not a whole number of %ld-byte pages",
             (long long)db->size, page);
    return damaged(db, why, diag);
  }
  return STRIFE_OK;
}

/* The file this process last closed after writing it, as it left it:
   the same file, size and modification time later means nothing has
   touched it since, and its quick check can be skipped (an experiment
   that opens its database once a batch would otherwise read the whole
   file each time). */
static struct {
  pthread_mutex_t lock;
  char path[4096];
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
} left = {PTHREAD_MUTEX_INITIALIZER, "", 0, 0, 0, {0, 0}};

static void remember_left(const char *path) {
  struct stat st;
  pthread_mutex_lock(&left.lock);
  left.path[0] = '\0';
  if (stat(path, &st) == 0 && strlen(path) < sizeof left.path) {
    snprintf(left.path, sizeof left.path, "%s", path);
    left.dev = st.st_dev;
    left.ino = st.st_ino;
    left.size = st.st_size;
    left.mtime = st.st_mtim;
  }
  pthread_mutex_unlock(&left.lock);
}

static int as_left(const char *path) {
  struct stat st;
  pthread_mutex_lock(&left.lock);
  int same = left.path[0] && strcmp(left.path, path) == 0 &&
             stat(path, &st) == 0 && st.st_dev == left.dev &&
             st.st_ino == left.ino && st.st_size == left.size &&
             st.st_mtim.tv_sec == left.mtime.tv_sec &&
             st.st_mtim.tv_nsec == left.mtime.tv_nsec;
  pthread_mutex_unlock(&left.lock);
  return same;
}

/* Before anything is written, on a connection that cannot write (so that
   not even a journal left beside the file is played into it): an
   existing file must be a whole results database of strife's, made for
   this command (*fresh set for a file that holds nothing yet). */
static int check_existing(struct strife__db *db,
                          const struct strife__db_meta *m, int *fresh,
                          strife_diag *diag) {
  int rc = check_header(db, diag);
  if (rc) return rc;
  const struct strife__schema *s = db->type->schema;
  enum { OWN = 9 };
  const char *ours[OWN + TABLES_MAX] = {"meta",  "arms",        "parameters",
                                        "runs",  "outcomes",    "posterior",
                                        "score", "sensitivity", "skill"};
  for (int i = 0; i < s->n_tables; i++)
    ours[OWN + i] = s->tables[i].name;
  int n;
  char foreign[192];
  rc = list_objects(db, ours, OWN + s->n_tables, &n, foreign, sizeof foreign,
                    diag);
  if (rc) return rc;
  *fresh = n == 0;
  if (*fresh) return STRIFE_OK; /* SQLite's header, nothing in it yet */
  if (!as_left(db->path) && (rc = quick_check(db, diag))) return rc;
  /* strife's, for another command (or model): say what differs. */
  char *kind = meta_get(db, "kind");
  rc = kind ? check_meta(db, m, diag) : STRIFE_OK;
  if (!rc && (!kind || foreign[0])) {
    strife__diag_set(diag, "--db",
                     "%s: not a results database of strife's (it has %s%s); "
                     "strife changes no other database: use another --db",
                     db->path,
                     foreign[0] ? foreign : "no meta table of strife's",
                     foreign[0] ? ", which strife does not make" : "");
    rc = STRIFE_EINVAL;
  }
  free(kind);
  return rc;
}

/* Opens db->h with 'flags' (and no mutex: one thread at a time). */
static int open_handle(struct strife__db *db, int flags, strife_diag *diag) {
  if (sqlite3_open_v2(db->path, &db->h, flags | SQLITE_OPEN_NOMUTEX, NULL) ==
      SQLITE_OK) {
    sqlite3_busy_timeout(db->h, 10000);
    return STRIFE_OK;
  }
  return fail(db, diag, "cannot open");
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
  db->lock_fd = -1;
  snprintf(db->path, sizeof db->path, "%s", path);
  int rc = strlen(path) >= sizeof db->path || strcmp(path, ":memory:") == 0
               ? STRIFE_EINVAL
               : STRIFE_OK;
  if (rc)
    strife__diag_set(diag, "--db",
                     "%.200s: expected the path of a file (of fewer than "
                     "%zu bytes): results are kept in a file",
                     path, sizeof db->path);
  int fresh = 1;
  if (!rc) rc = lock_file(db, diag);
  if (!rc) rc = check_dir(db, diag);
  if (!rc && db->size > 0) {
    rc = open_handle(db, SQLITE_OPEN_READONLY, diag);
    if (!rc) rc = check_existing(db, meta, &fresh, diag);
    sqlite3_close(db->h);
    db->h = NULL;
  }
  if (!rc) rc = open_handle(db, SQLITE_OPEN_READWRITE, diag);
  /* WAL: a commit is one append, and a killed writer loses only the
     transaction it had not committed. */
  if (!rc)
    rc = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", diag);
  if (!rc) rc = create_schema(db, diag);
  if (!rc && fresh) rc = put_meta(db, meta, diag);
  if (!rc) rc = prepare_all(db, diag);
  if (rc) {
    int created = db->created;
    strife__db_close(db);
    if (created) strife__db_remove(path);
    return rc;
  }
  *out = db;
  return STRIFE_OK;
}

void strife__db_remove(const char *path) {
  char side[1040];
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
}

void strife__db_close(struct strife__db *db) {
  if (!db) return;
  for (int i = 0; i < TABLES_MAX; i++)
    sqlite3_finalize(db->table[i]);
  sqlite3_finalize(db->out);
  sqlite3_finalize(db->run);
  int wrote = db->lock_fd >= 0 && db->h;
  sqlite3_close(db->h);
  /* Checkpointed and closed: the file as this process leaves it. */
  if (wrote) remember_left(db->path);
  if (db->lock_fd >= 0) close(db->lock_fd); /* and the lock with it */
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
  /* A run goes in whole, in one transaction: one with rows missing was
     changed by something else, and is not taken for done. */
  int rc = prepare(db,
                   "SELECT r.rep, (SELECT count(*) FROM outcomes o WHERE "
                   "o.arm = r.arm AND o.rep = r.rep) FROM runs r WHERE "
                   "r.arm = ?",
                   &st, diag);
  if (rc) return rc;
  sqlite3_bind_int(st, 1, arm);
  int s;
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 rep = sqlite3_column_int64(st, 0);
    sqlite3_int64 n = sqlite3_column_int64(st, 1);
    if (n != db->type->schema->n_outcomes) {
      strife__diag_set(diag, "--db",
                       "%s: run %lld of arm %d has %lld of its %d outcome "
                       "rows: the database was changed outside strife; "
                       "restore a copy, or use another --db",
                       db->path, (long long)rep, arm, (long long)n,
                       db->type->schema->n_outcomes);
      rc = STRIFE_EINVAL;
      break;
    }
    if (rep >= 0 && rep < (sqlite3_int64)runs) done[rep] = 1;
  }
  if (!rc && s != SQLITE_DONE) rc = fail(db, diag, "reading runs");
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

/* Replaces the rows of 'table' (of 'cols' columns) with the 'n' rows
   bound by put(st, row, arg), in one transaction. */
static int replace_rows(struct strife__db *db, const char *table, int cols,
                        size_t n,
                        void (*put)(sqlite3_stmt *, size_t, const void *),
                        const void *arg, strife_diag *diag) {
  char sql[64];
  snprintf(sql, sizeof sql, "BEGIN; DELETE FROM %s;", table);
  sqlite3_stmt *st = NULL;
  int rc = exec(db, sql, diag);
  if (!rc) rc = prepare_insert(db, table, cols, NULL, 0, &st, diag);
  snprintf(sql, sizeof sql, "writing the %s table", table);
  for (size_t i = 0; i < n && !rc; i++) {
    put(st, i, arg);
    if (!step(st)) rc = fail(db, diag, sql);
  }
  sqlite3_finalize(st);
  if (!rc) return exec(db, "COMMIT", diag);
  (void)exec(db, "ROLLBACK", NULL);
  return rc;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s) {
  if (s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

static void put_figure(sqlite3_stmt *st, size_t i, const void *arg) {
  const struct strife__db_figure *f = (const struct strife__db_figure *)arg + i;
  char a[16], b[16];
  strife__date_text(f->start, a);
  strife__date_text(f->end, b);
  bind_text(st, 1, f->file);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)f->index);
  bind_text(st, 3, f->quantity);
  bind_text(st, 4, f->place);
  bind_text(st, 5, f->unit);
  bind_text(st, 6, a);
  bind_text(st, 7, b);
  bind_text(st, 8, f->out_of_window ? "out" : "in");
  const double v[3] = {f->value, f->low, f->high};
  for (int k = 0; k < 3; k++)
    bind_real(st, 9 + k, v[k]);
  sqlite3_bind_int64(st, 12, (sqlite3_int64)f->runs);
  const double m[3] = {f->median, f->q05, f->q95};
  for (int k = 0; k < 3; k++)
    bind_real(st, 13 + k, m[k]);
  sqlite3_bind_int(st, 16, f->inside != 0);
  bind_real(st, 17, f->crps);
  bind_real(st, 18, f->interval_score);
}

int strife__db_put_score(struct strife__db *db,
                         const struct strife__db_figure *f, size_t n,
                         strife_diag *diag) {
  return replace_rows(db, "score", 18, n, put_figure, f, diag);
}

static void put_particle(sqlite3_stmt *st, size_t i, const void *arg) {
  const struct strife__db_particle *p =
      (const struct strife__db_particle *)arg + i;
  sqlite3_bind_int64(st, 1, p->generation);
  sqlite3_bind_int64(st, 2, p->particle);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)p->arm);
  sqlite3_bind_double(st, 4, p->weight);
  sqlite3_bind_double(st, 5, p->distance);
  bind_real(st, 6, isfinite(p->epsilon) ? p->epsilon : (double)NAN);
}

int strife__db_put_posterior(struct strife__db *db,
                             const struct strife__db_particle *p, size_t n,
                             strife_diag *diag) {
  return replace_rows(db, "posterior", 6, n, put_particle, p, diag);
}

static void put_index(sqlite3_stmt *st, size_t i, const void *arg) {
  const struct strife__db_index *x = (const struct strife__db_index *)arg + i;
  bind_text(st, 1, x->outcome);
  bind_text(st, 2, x->parameter);
  bind_text(st, 3, x->measure);
  bind_real(st, 4, x->value);
  bind_real(st, 5, x->lo);
  bind_real(st, 6, x->hi);
}

int strife__db_put_sensitivity(struct strife__db *db,
                               const struct strife__db_index *x, size_t n,
                               strife_diag *diag) {
  return replace_rows(db, "sensitivity", 6, n, put_index, x, diag);
}

static void put_skill(sqlite3_stmt *st, size_t i, const void *arg) {
  const struct strife__db_skill *k = (const struct strife__db_skill *)arg + i;
  char day[16];
  strife__date_text(k->start, day);
  bind_text(st, 1, k->quantity);
  bind_text(st, 2, k->place ? k->place : "");
  bind_text(st, 3, k->unit);
  sqlite3_bind_int(st, 4, k->span);
  bind_text(st, 5, day);
  sqlite3_bind_int(st, 6, k->horizon);
  bind_text(st, 7, k->forecaster);
  bind_real(st, 8, k->observed);
  bind_real(st, 9, k->crps);
  for (int q = 0; q < 5; q++)
    bind_real(st, 10 + q, k->q[q]);
  bind_real(st, 15, k->pit);
}

int strife__db_put_skill(struct strife__db *db,
                         const struct strife__db_skill *k, size_t n,
                         strife_diag *diag) {
  return replace_rows(db, "skill", 15, n, put_skill, k, diag);
}

/* ------------------------------------------------------------------ */
/* Reading a database back                                            */
/* ------------------------------------------------------------------ */

int strife__db_open_read(struct strife__db **out, const char *path,
                         const struct strife_model_type *type,
                         strife_diag *diag) {
  *out = NULL;
  struct strife__db *db = calloc(1, sizeof *db);
  if (!db) return STRIFE_ENOMEM;
  db->type = type;
  db->lock_fd = -1;
  snprintf(db->path, sizeof db->path, "%s", path);
  struct stat st;
  int rc = STRIFE_OK;
  if (strlen(path) >= sizeof db->path || stat(path, &st) != 0) {
    strife__diag_set(diag, "--from", "%.200s: %s", path,
                     strlen(path) >= sizeof db->path ? "path too long"
                                                     : strerror(errno));
    rc = STRIFE_EIO;
  } else if (!S_ISREG(st.st_mode)) {
    strife__diag_set(diag, "--from", "%s: a %s, not a results database", path,
                     file_kind(st.st_mode));
    rc = STRIFE_EINVAL;
  }
  if (!rc) rc = open_handle(db, SQLITE_OPEN_READONLY, diag);
  /* A database of strife's for this model has its first table, with
     every column. */
  sqlite3_stmt *q = NULL;
  if (!rc) {
    struct strife__text t = {NULL, 0, 0, 0};
    const struct strife__table *tb = &type->schema->tables[0];
    strife__text_put(&t, "SELECT arm, rep");
    for (int k = 0; k < tb->n_cols; k++)
      strife__text_put(&t, ", %s", tb->cols[k].name);
    strife__text_put(&t, " FROM %s LIMIT 0", tb->name);
    char *sql = strife__text_take(&t);
    if (!sql) rc = STRIFE_ENOMEM;
    if (!rc && sqlite3_prepare_v2(db->h, sql, -1, &q, NULL) != SQLITE_OK) {
      strife__diag_set(diag, "--from",
                       "%s: not a results database of the %s model (its "
                       "table %s: %s)",
                       path, type->name, tb->name, sqlite3_errmsg(db->h));
      rc = STRIFE_EINVAL;
    }
    sqlite3_finalize(q);
    free(sql);
  }
  if (rc) {
    strife__db_close(db);
    return rc;
  }
  *out = db;
  return STRIFE_OK;
}

int strife__db_find_arm(struct strife__db *db, const char *label, int *arm,
                        strife_diag *diag) {
  sqlite3_stmt *st;
  int rc = prepare(db,
                   label ? "SELECT arm FROM arms WHERE label = ? ORDER BY arm "
                           "LIMIT 1"
                         : "SELECT MIN(arm) FROM runs",
                   &st, diag);
  if (rc) return rc;
  if (label) sqlite3_bind_text(st, 1, label, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st) == SQLITE_ROW &&
      sqlite3_column_type(st, 0) != SQLITE_NULL)
    *arm = sqlite3_column_int(st, 0);
  else {
    strife__diag_set(diag, "--arm", "%s: %s", db->path,
                     label ? "no arm of that label" : "holds no run");
    rc = STRIFE_EINVAL;
  }
  sqlite3_finalize(st);
  return rc;
}

int strife__db_reps(struct strife__db *db, int arm, uint32_t **reps, size_t *n,
                    strife_diag *diag) {
  *reps = NULL;
  *n = 0;
  sqlite3_stmt *st;
  int rc =
      prepare(db, "SELECT rep FROM runs WHERE arm = ? ORDER BY rep", &st, diag);
  if (rc) return rc;
  sqlite3_bind_int(st, 1, arm);
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 64;
      uint32_t *p = realloc(*reps, cap * sizeof *p);
      if (!p) {
        rc = STRIFE_ENOMEM;
        break;
      }
      *reps = p;
    }
    (*reps)[(*n)++] = (uint32_t)sqlite3_column_int64(st, 0);
  }
  if (!rc && r != SQLITE_DONE) rc = fail(db, diag, "reading runs");
  sqlite3_finalize(st);
  return rc;
}

int strife__db_series(struct strife__db *db, int arm, uint32_t rep,
                      const int *cols, size_t n_cols, int64_t **days,
                      double **vals, size_t *rows, strife_diag *diag) {
  const struct strife__table *tb = &db->type->schema->tables[0];
  *days = NULL;
  *vals = NULL;
  *rows = 0;
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "SELECT %s", tb->cols[0].name);
  for (size_t k = 0; k < n_cols; k++)
    strife__text_put(&t, ", %s", tb->cols[cols[k]].name);
  strife__text_put(&t, " FROM %s WHERE arm = ? AND rep = ? ORDER BY %s",
                   tb->name, tb->cols[0].name);
  char *sql = strife__text_take(&t);
  if (!sql) return STRIFE_ENOMEM;
  sqlite3_stmt *st;
  int rc = prepare(db, sql, &st, diag);
  free(sql);
  if (rc) return rc;
  sqlite3_bind_int(st, 1, arm);
  sqlite3_bind_int64(st, 2, rep);
  size_t cap = 0;
  int r;
  while ((r = sqlite3_step(st)) == SQLITE_ROW) {
    if (*rows == cap) {
      cap = cap ? 2 * cap : 1024;
      int64_t *d = realloc(*days, cap * sizeof *d);
      if (d) *days = d;
      double *v =
          d ? realloc(*vals, cap * (n_cols ? n_cols : 1) * sizeof *v) : NULL;
      if (!v) {
        rc = STRIFE_ENOMEM;
        break;
      }
      *vals = v;
    }
    const char *text = (const char *)sqlite3_column_text(st, 0);
    if (!text || strife__date_parse(text, &(*days)[*rows])) {
      rc = fail(db, diag, "reading a date");
      break;
    }
    for (size_t k = 0; k < n_cols; k++)
      (*vals)[*rows * n_cols + k] =
          sqlite3_column_type(st, (int)k + 1) == SQLITE_NULL
              ? (double)NAN
              : sqlite3_column_double(st, (int)k + 1);
    (*rows)++;
  }
  if (!rc && r != SQLITE_DONE) rc = fail(db, diag, "reading a run's days");
  sqlite3_finalize(st);
  if (rc) {
    free(*days);
    free(*vals);
    *days = NULL;
    *vals = NULL;
    *rows = 0;
  }
  return rc;
}
