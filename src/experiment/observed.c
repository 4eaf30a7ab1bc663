/* SPDX-License-Identifier: MIT */
/* The observed record as an experiment reads it (observed.h). */
#define _XOPEN_SOURCE 700 /* strdup */
#include "observed.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sinks/db.h"

void strife__observed_free(struct strife__observed *o) {
  for (size_t f = 0; f < o->n_files; f++) {
    strife_record_destroy(o->rec[f]);
    free(o->path[f]);
  }
  free(o->fig);
  memset(o, 0, sizeof *o);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_file(struct strife__observed *o, const char *path,
                    strife_diag *diag) {
  if (o->n_files == STRIFE__RECORD_FILES_MAX) {
    strife__diag_set(diag, "--record", "more than %d record files",
                     STRIFE__RECORD_FILES_MAX);
    return STRIFE_EINVAL;
  }
  char *p = strdup(path);
  if (!p) return STRIFE_ENOMEM;
  int rc = strife_record_load(p, &o->rec[o->n_files], diag);
  if (rc) {
    free(p);
    return rc;
  }
  o->path[o->n_files++] = p;
  return STRIFE_OK;
}

/* A directory's *.json files, in the order of their names. */
static int add_dir(struct strife__observed *o, const char *dir, DIR *d,
                   strife_diag *diag) {
  char *name[STRIFE__RECORD_FILES_MAX];
  size_t n = 0;
  int rc = STRIFE_OK;
  struct dirent *e;
  while (!rc && (e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len < 6 || e->d_name[0] == '.' ||
        strcmp(e->d_name + len - 5, ".json") != 0)
      continue;
    if (n == STRIFE__RECORD_FILES_MAX) {
      strife__diag_set(diag, "--record", "%s: more than %d record files", dir,
                       STRIFE__RECORD_FILES_MAX);
      rc = STRIFE_EINVAL;
    } else if (!(name[n++] = strdup(e->d_name))) {
      n--;
      rc = STRIFE_ENOMEM;
    }
  }
  qsort(name, n, sizeof *name, by_name);
  for (size_t i = 0; i < n; i++) {
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name[i]);
    if (!rc) rc = add_file(o, path, diag);
    free(name[i]);
  }
  if (!rc && n == 0) {
    strife__diag_set(diag, "--record", "%s: no .json file in the directory",
                     dir);
    rc = STRIFE_EINVAL;
  }
  return rc;
}

static int load_files(struct strife__observed *o, const char *const *paths,
                      size_t n, strife_diag *diag) {
  static const char *const deflt[] = {"data/observed"};
  const int given = n > 0;
  if (!given) {
    paths = deflt;
    n = 1;
  }
  int rc = STRIFE_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    errno = 0;
    DIR *d = opendir(paths[i]);
    if (d) {
      rc = add_dir(o, paths[i], d, diag);
      closedir(d);
    } else if (errno == ENOTDIR) {
      rc = add_file(o, paths[i], diag);
    } else {
      strife__diag_set(diag, "--record", "%s: %s%s", paths[i], strerror(errno),
                       given ? ""
                             : " (the default record; give --record "
                               "FILE|DIR)");
      rc = STRIFE_EIO;
    }
  }
  /* A record that cannot be read is bad input, as a scenario is. */
  return rc == STRIFE_EIO ? STRIFE_EINVAL : rc;
}

/* Whether 'unit' is one of 'units' ("a|b"). */
static int unit_in(const char *unit, const char *units) {
  size_t n = strlen(unit);
  for (const char *c = units; *c;) {
    size_t len = strcspn(c, "|");
    if (len == n && strncmp(c, unit, n) == 0) return 1;
    c += len + (c[len] == '|');
  }
  return 0;
}

/* The measure of the model's schema an observation is read by, or -1. */
static int measure_of(const struct strife__schema *sc,
                      const strife_observation *ob) {
  const char *place = ob->place;
  if (place && sc->territory && strcmp(place, sc->territory) == 0) place = NULL;
  for (int k = 0; k < sc->n_measures; k++) {
    const struct strife__measure *m = &sc->measures[k];
    if (strcmp(m->quantity, ob->quantity) != 0) continue;
    if ((m->place == NULL) != (place == NULL)) continue;
    if (place && strcmp(place, m->place) != 0) continue;
    if (unit_in(ob->unit, m->units)) return k;
  }
  return -1;
}

int strife__observed_load(struct strife__observed *o, const char *const *paths,
                          size_t n_paths, const struct strife__schema *schema,
                          int64_t win0, int64_t win1, strife_diag *diag) {
  memset(o, 0, sizeof *o);
  int rc = load_files(o, paths, n_paths, diag);
  if (rc) return rc;
  size_t n = 0;
  for (size_t f = 0; f < o->n_files; f++)
    n += strife_record_count(o->rec[f]);
  o->fig = calloc(n ? n : 1, sizeof *o->fig);
  if (!o->fig) return STRIFE_ENOMEM;
  for (size_t f = 0; f < o->n_files; f++)
    for (size_t i = 0; i < strife_record_count(o->rec[f]); i++) {
      const strife_observation *ob = strife_record_get(o->rec[f], i);
      if (!ob) continue;
      struct strife__figure *it = &o->fig[o->n++];
      it->ob = ob;
      it->file = f;
      it->index = i;
      it->measure = measure_of(schema, ob);
      it->status = ob->gap           ? STRIFE__FIG_GAP
                   : ob->unscored    ? STRIFE__FIG_UNSCORED
                   : it->measure < 0 ? STRIFE__FIG_SERIES
                                     : STRIFE__FIG_SCORED;
      it->window = !(ob->start >= win0 && ob->end <= win1);
      it->y = isnan(ob->value) ? 0.5 * (ob->low + ob->high) : ob->value;
    }
  return STRIFE_OK;
}

/* The value of measure 'm' (column k of 'vals') over [start, end] of a run
   with 'rows' consecutive days from days[0], or NAN outside them. */
static double measured(const struct strife__measure *m, const int64_t *days,
                       const double *vals, size_t rows, size_t n_cols, size_t k,
                       int64_t start, int64_t end) {
  if (rows == 0 || start < days[0] || end > days[rows - 1]) return (double)NAN;
  size_t a = (size_t)(start - days[0]), b = (size_t)(end - days[0]);
  double sum = 0;
  for (size_t r = a; r <= b; r++)
    sum += vals[r * n_cols + k];
  return m->how == STRIFE__MEASURE_MEAN ? sum / (double)(b - a + 1) : sum;
}

int strife__observed_run(const struct strife__observed *o,
                         const struct strife__schema *schema,
                         struct strife__db *db, int arm, uint32_t rep,
                         double *x, strife_diag *diag) {
  int cols[STRIFE__COLUMNS_MAX];
  size_t col_of[64], n_cols = 0;
  for (int k = 0; k < schema->n_measures && k < 64; k++) {
    size_t j = 0;
    while (j < n_cols && cols[j] != schema->measures[k].column)
      j++;
    if (j == n_cols) cols[n_cols++] = schema->measures[k].column;
    col_of[k] = j;
  }
  int64_t *days;
  double *vals;
  size_t rows;
  int rc =
      strife__db_series(db, arm, rep, cols, n_cols, &days, &vals, &rows, diag);
  if (rc) return rc;
  if (rows && days[rows - 1] - days[0] != (int64_t)rows - 1) {
    strife__diag_set(diag, "--from",
                     "run %u of arm %d: its days are not consecutive", rep,
                     arm);
    rc = STRIFE_EINVAL;
  }
  for (size_t i = 0; i < o->n && !rc; i++) {
    const struct strife__figure *f = &o->fig[i];
    x[i] = f->status == STRIFE__FIG_SCORED
               ? measured(&schema->measures[f->measure], days, vals, rows,
                          n_cols, col_of[f->measure], f->ob->start, f->ob->end)
               : (double)NAN;
  }
  free(days);
  free(vals);
  return rc;
}

double strife__observed_log_miss(const struct strife__figure *f, double m) {
  const strife_observation *ob = f->ob;
  if (isnan(m)) return (double)NAN;
  double c = isnan(ob->value) ? fmin(fmax(m, ob->low), ob->high) : ob->value;
  return log((fmax(m, 0.0) + 1.0) / (fmax(c, 0.0) + 1.0));
}
