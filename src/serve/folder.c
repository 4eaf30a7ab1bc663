/* SPDX-License-Identifier: MIT */
/* What the dashboard reads from the served folder (docs/api.md): paths
   from a request only inside it; its scenarios; its results databases, and
   from them the series by month and the provinces in a month.  SQL is
   built from fixed names only; what a request gives is bound. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "serve.h"

int strife__folder_resolve(const char *root, const char *rel, char *out,
                           size_t n_out, char *why, size_t n_why) {
  size_t n = strlen(rel);
  if (!n || n > 1000 || rel[0] == '/') {
    snprintf(why, n_why,
             "'%.64s': expected a path relative to the served "
             "folder",
             rel);
    return 400;
  }
  /* No ".." at all: a request's path never climbs, before or after the
     links are followed. */
  for (const char *c = rel; c; c = strchr(c, '/')) {
    if (*c == '/') c++;
    if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2])) {
      snprintf(why, n_why, "'%.64s': outside the served folder", rel);
      return 403;
    }
  }
  char joined[PATH_MAX + 1024], real[PATH_MAX];
  snprintf(joined, sizeof joined, "%s/%s", root, rel);
  if (!realpath(joined, real)) {
    snprintf(why, n_why, "'%.64s': not found", rel);
    return 404;
  }
  size_t r = strlen(root);
  if (strncmp(real, root, r) != 0 || real[r] != '/') {
    snprintf(why, n_why, "'%.64s': outside the served folder", rel);
    return 403;
  }
  struct stat sb;
  if (stat(real, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    snprintf(why, n_why, "'%.64s': not a file", rel);
    return 404;
  }
  snprintf(out, n_out, "%s", real);
  return 0;
}

static int ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n > m && strcmp(s + n - m, tail) == 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in 'dir' ending in 'tail', sorted; their count in *n. */
static char **names(const char *dir, const char *tail, size_t *n) {
  *n = 0;
  DIR *d = opendir(dir);
  if (!d) return NULL;
  char **v = NULL;
  size_t cap = 0;
  for (struct dirent *e; (e = readdir(d));) {
    struct stat sb;
    char path[PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    /* Links are not listed: a request may not follow them out. */
    if (e->d_name[0] == '.' || !ends_with(e->d_name, tail) ||
        lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
      continue;
    if (*n == cap) {
      char **w = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);
      if (!w) break;
      v = w;
    }
    if ((v[*n] = strdup(e->d_name))) ++*n;
  }
  closedir(d);
  if (*n) qsort(v, *n, sizeof *v, by_name);
  return v;
}

static void free_names(char **v, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

/* The keys a dashboard offers: the policy, the foreign levers, the
   scale. */
static json_t *dashboard_keys(void) {
  static const char *const want[] = {
      "policy", "foreign.us", "foreign.china_development",
      "foreign.pakistan_strikes", "population.scale"};
  json_t *a = json_array();
  for (size_t w = 0; w < sizeof want / sizeof want[0]; w++)
    for (size_t i = 0; i < strife_key_count(); i++) {
      strife_key_info k;
      strife_key_get(i, &k);
      if (strcmp(k.key, want[w]) != 0 || strcmp(k.model, "afghan") != 0)
        continue;
      json_array_append_new(a,
                            json_pack("{s:s, s:s, s:s, s:s, s:s}", "key", k.key,
                                      "type", k.type, "range", k.range,
                                      "default", k.deflt, "doc", k.doc));
      break;
    }
  return a;
}

json_t *strife__folder_scenarios(const char *root) {
  char dir[PATH_MAX + 16];
  snprintf(dir, sizeof dir, "%s/scenarios", root);
  size_t n;
  char **v = names(dir, ".json", &n);
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    char path[PATH_MAX + 1024];
    snprintf(path, sizeof path, "%s/%s", dir, v[i]);
    strife_scenario *sc = NULL;
    strife_diag d;
    if (strife_scenario_load(path, NULL, 0, &sc, &d) != STRIFE_OK) continue;
    char rel[1024];
    snprintf(rel, sizeof rel, "scenarios/%s", v[i]);
    json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "path", rel,
                                          "name", strife_scenario_name(sc),
                                          "model", strife_scenario_model(sc)));
    strife_scenario_destroy(sc);
  }
  free_names(v, n);
  return json_pack("{s:o, s:o}", "scenarios", list, "keys", dashboard_keys());
}

/* The databases of 'sub' (relative to root; "" for root), into 'list'. */
static void databases_in(const char *root, const char *sub, json_t *list) {
  char dir[PATH_MAX + 1024];
  snprintf(dir, sizeof dir, "%s%s%s", root, sub[0] ? "/" : "", sub);
  size_t n;
  char **v = names(dir, ".db", &n);
  for (size_t i = 0; i < n; i++) {
    char path[PATH_MAX + 2048];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, v[i]);
    if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
    char rel[2048];
    snprintf(rel, sizeof rel, "%s%s%s", sub, sub[0] ? "/" : "", v[i]);
    json_array_append_new(list, json_pack("{s:s, s:I, s:I}", "db", rel, "bytes",
                                          (json_int_t)sb.st_size, "modified",
                                          (json_int_t)sb.st_mtime));
  }
  free_names(v, n);
}

json_t *strife__folder_databases(const char *root) {
  json_t *list = json_array();
  databases_in(root, "", list);
  DIR *d = opendir(root);
  if (!d) return list;
  size_t n = 0, cap = 0;
  char **subs = NULL;
  for (struct dirent *e; (e = readdir(d));) {
    char path[PATH_MAX + 1024];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", root, e->d_name);
    if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0 ||
        lstat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
      continue;
    if (n == cap) {
      char **w = realloc(subs, (cap = cap ? 2 * cap : 16) * sizeof *subs);
      if (!w) break;
      subs = w;
    }
    if ((subs[n] = strdup(e->d_name))) n++;
  }
  closedir(d);
  if (n) qsort(subs, n, sizeof *subs, by_name);
  for (size_t i = 0; i < n; i++)
    databases_in(root, subs[i], list);
  free_names(subs, n);
  return list;
}

/* ---- A database's contents ---- */

/* The series the dashboard draws: a count is summed over a month, a
   level averaged. */
static const struct {
  const char *name;
  int sum;
} series_list[] = {
    {"isk_fighters", 0},
    {"attacks", 1},
    {"fatalities", 1},
    {"legit_public", 0},
    {"legit_hardliner", 0},
    {"legit_us", 0},
    {"legit_pakistan", 0},
    {"legit_china", 0},
    {"forces", 0},
    {"treasury", 0},
    {"ttp", 0},
    {"ttp_attacks", 1},
};
static const char *const province_list[] = {
    "attacks", "isk_fighters", "active_public", "jailed", "legit_public"};

static sqlite3 *open_db(const char *path, char *why, size_t n_why) {
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    snprintf(why, n_why, "cannot open the database: %s",
             db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

static json_t *column_value(sqlite3_stmt *st, int c) {
  switch (sqlite3_column_type(st, c)) {
  case SQLITE_INTEGER:
    return json_integer(sqlite3_column_int64(st, c));
  case SQLITE_FLOAT:
    return json_real(sqlite3_column_double(st, c));
  case SQLITE_NULL:
    return json_null();
  default:
    return json_string((const char *)sqlite3_column_text(st, c));
  }
}

/* The rows of 'sql' (its parameters bound from 'bind', NULL-terminated)
   as arrays; NULL with 'why' when it cannot be prepared. */
static json_t *rows(sqlite3 *db, const char *sql, const char *const *bind,
                    char *why, size_t n_why) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    snprintf(why, n_why, "not a results database of the Afghan model: %s",
             sqlite3_errmsg(db));
    return NULL;
  }
  for (int i = 0; bind && bind[i]; i++)
    sqlite3_bind_text(st, i + 1, bind[i], -1, SQLITE_STATIC);
  json_t *a = json_array();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    json_t *r = json_array();
    for (int c = 0; c < sqlite3_column_count(st); c++)
      json_array_append_new(r, column_value(st, c));
    json_array_append_new(a, r);
  }
  if (rc != SQLITE_DONE) {
    snprintf(why, n_why, "cannot read the database: %s", sqlite3_errmsg(db));
    json_decref(a);
    a = NULL;
  }
  sqlite3_finalize(st);
  return a;
}

/* The first column of each row of 'r' (taken), or NULL. */
static json_t *first_column(json_t *r) {
  if (!r) return NULL;
  json_t *a = json_array();
  size_t i;
  json_t *row;
  json_array_foreach(r, i, row) json_array_append(a, json_array_get(row, 0));
  json_decref(r);
  return a;
}

/* The arms' labels, in order. */
static json_t *arm_labels(sqlite3 *db, char *why, size_t n_why) {
  return first_column(
      rows(db, "SELECT label FROM arms ORDER BY arm", NULL, why, n_why));
}

json_t *strife__folder_results(const char *path, const char *series, char *why,
                               size_t n_why) {
  int k = -1;
  for (size_t i = 0; i < sizeof series_list / sizeof series_list[0]; i++)
    if (series && strcmp(series, series_list[i].name) == 0) k = (int)i;
  if (k < 0) {
    snprintf(why, n_why,
             "series: expected one of isk_fighters, attacks, "
             "fatalities, legit_public, legit_hardliner, "
             "legit_us, legit_pakistan, legit_china, forces, "
             "treasury, ttp, ttp_attacks");
    return NULL;
  }
  sqlite3 *db = open_db(path, why, n_why);
  if (!db) return NULL;
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT a.label, n.rep, substr(n.date, 1, 7), %s(n.%s) FROM "
           "national n JOIN arms a ON a.arm = n.arm GROUP BY n.arm, n.rep, "
           "substr(n.date, 1, 7) ORDER BY n.arm, n.rep, 3",
           series_list[k].sum ? "sum" : "avg", series_list[k].name);
  json_t *arms = arm_labels(db, why, n_why);
  json_t *r = arms ? rows(db, sql, NULL, why, n_why) : NULL;
  json_t *o = r ? rows(db,
                       "SELECT a.label, o.rep, o.name, o.value FROM outcomes "
                       "o JOIN arms a ON a.arm = o.arm WHERE o.name IN "
                       "('isk_fighters_end', 'attacks', 'fatalities', "
                       "'legit_public_end', 'forces_end', "
                       "'ttp_attacks_in_pakistan') ORDER BY o.arm, o.rep, "
                       "o.name",
                       NULL, why, n_why)
                : NULL;
  json_t *out = NULL;
  if (o)
    out = json_pack("{s:O, s:s, s:O, s:O}", "arms", arms, "series",
                    series_list[k].name, "rows", r, "outcomes", o);
  json_decref(arms);
  json_decref(r);
  json_decref(o);
  sqlite3_close(db);
  if (!out && !why[0])
    snprintf(why, n_why, "the database holds text that is not UTF-8");
  return out;
}

/* The month asked, or the last one the first run of the arm has. */
static json_t *month_list(sqlite3 *db, const char *arm, char *why,
                          size_t n_why) {
  const char *bind[] = {arm, NULL};
  return first_column(
      rows(db,
           "SELECT DISTINCT p.month FROM provinces p WHERE p.arm = "
           "(SELECT arm FROM arms WHERE label = ?1) AND p.rep = "
           "(SELECT min(rep) FROM runs WHERE arm = p.arm) ORDER BY 1",
           bind, why, n_why));
}

/* Checks the quantity and the arm; the arm's label in *arm. */
static int province_args(const char *quantity, json_t *arms, const char **arm,
                         char *why, size_t n_why) {
  int ok = 0;
  for (size_t i = 0; i < sizeof province_list / sizeof province_list[0]; i++)
    if (quantity && strcmp(quantity, province_list[i]) == 0) ok = 1;
  if (!ok) {
    snprintf(why, n_why,
             "quantity: expected one of attacks, isk_fighters, "
             "active_public, jailed, legit_public");
    return 0;
  }
  size_t i;
  json_t *a;
  if (!*arm && json_array_size(arms))
    *arm = json_string_value(json_array_get(arms, 0));
  json_array_foreach(
      arms, i, a) if (*arm && strcmp(*arm, json_string_value(a)) == 0) return 1;
  snprintf(why, n_why, "arm: not an arm of this database");
  return 0;
}

/* Whether 'm' is a month, YYYY-MM. */
static int is_month(const char *m) {
  for (int i = 0; i < 7; i++)
    if (i == 4 ? m[i] != '-' : (m[i] < '0' || m[i] > '9')) return 0;
  return m[7] == '\0';
}

json_t *strife__folder_provinces(const char *path, const char *month,
                                 const char *quantity, const char *arm,
                                 char *why, size_t n_why) {
  if (month && !is_month(month)) {
    snprintf(why, n_why, "month: expected YYYY-MM");
    return NULL;
  }
  sqlite3 *db = open_db(path, why, n_why);
  if (!db) return NULL;
  json_t *arms = arm_labels(db, why, n_why), *months = NULL, *r = NULL,
         *out = NULL;
  if (arms && province_args(quantity, arms, &arm, why, n_why))
    months = month_list(db, arm, why, n_why);
  size_t nm = months ? json_array_size(months) : 0;
  if (months && !month && nm)
    month = json_string_value(json_array_get(months, nm - 1));
  if (months && !nm) /* no run has finished yet */
    out = json_pack("{s:O, s:s, s:O, s:n, s:s, s:{}}", "arms", arms, "arm", arm,
                    "months", months, "month", "quantity", quantity, "values");
  else if (months && month) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT p.iso, avg(p.%s) FROM provinces p JOIN arms a ON a.arm "
             "= p.arm WHERE a.label = ?1 AND p.month = ?2 GROUP BY p.iso "
             "ORDER BY p.iso",
             quantity);
    const char *bind[] = {arm, month, NULL};
    r = rows(db, sql, bind, why, n_why);
  }
  if (r) {
    json_t *values = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(r, i, row)
        json_object_set(values, json_string_value(json_array_get(row, 0)),
                        json_array_get(row, 1));
    out = json_pack("{s:O, s:s, s:O, s:s, s:s, s:o}", "arms", arms, "arm", arm,
                    "months", months, "month", month, "quantity", quantity,
                    "values", values);
  }
  json_decref(arms);
  json_decref(months);
  json_decref(r);
  sqlite3_close(db);
  if (!out && !why[0])
    snprintf(why, n_why, "the database holds text that is not UTF-8");
  return out;
}
