/* SPDX-License-Identifier: MIT */
/*
 * The observed record as an experiment reads it: the record files (a file
 * or every *.json file of a directory), each figure with the measure of
 * the model's schema it is read by, whether it can be scored, and on which
 * side of the fit window it lies; and a figure's value in one run of a
 * results database.  strife score scores an ensemble against the figures;
 * strife calibrate fits to those inside the window.
 */
#ifndef STRIFE_EXP_OBSERVED_H
#define STRIFE_EXP_OBSERVED_H

#include <stddef.h>
#include <stdint.h>

#include <strife/strife.h>

#include "core/core.h"
#include "core/model.h"

#define STRIFE__RECORD_FILES_MAX 256

/* Why a figure is not scored. */
enum {
  STRIFE__FIG_SCORED,
  STRIFE__FIG_GAP,      /* a gap: nothing to score */
  STRIFE__FIG_UNSCORED, /* the record says why */
  STRIFE__FIG_SERIES,   /* no series of its quantity, place and unit */
  STRIFE__FIG_DAYS,     /* its period is not inside the days run */
  STRIFE__FIG_KINDS
};

struct strife__figure {
  const strife_observation *ob;
  size_t file, index;
  int measure, status;
  int window; /* 0 inside the fit window, 1 after it (or across its end) */
  double y;   /* the figure, or the middle of its range */
};

struct strife__observed {
  char *path[STRIFE__RECORD_FILES_MAX];
  strife_record *rec[STRIFE__RECORD_FILES_MAX];
  size_t n_files;
  struct strife__figure *fig;
  size_t n;
};

/* Loads the record files or directories 'paths' (none: data/observed),
   and lists every figure against the schema's measures and the window
   [win0, win1].  A file that cannot be read or parsed is STRIFE_EINVAL
   with 'diag' (key "--record"), as bad input. */
STRIFE__FUNC int strife__observed_load(struct strife__observed *o,
                                       const char *const *paths, size_t n,
                                       const struct strife__schema *schema,
                                       int64_t win0, int64_t win1,
                                       strife_diag *diag);
STRIFE__FUNC void strife__observed_free(struct strife__observed *o);

/* The value of every scored figure in run (arm, rep) of 'db' (read with
   the same model): x[f] for figure f, NAN for a figure not scored or not
   inside the days run. */
struct strife__db;
STRIFE__FUNC int strife__observed_run(const struct strife__observed *o,
                                      const struct strife__schema *schema,
                                      struct strife__db *db, int arm,
                                      uint32_t rep, double *x,
                                      strife_diag *diag);

/* Whether figure f may set a parameter: scored, and its whole period
   inside the fit window. */
static inline int strife__observed_fitted(const struct strife__figure *f) {
  return f->status == STRIFE__FIG_SCORED && !f->window;
}

/* The distance of a model value m from figure f on the log scale:
   ln((m + 1) / (c + 1)), c the figure or the nearest end of its range (0
   inside it). */
STRIFE__FUNC double strife__observed_log_miss(const struct strife__figure *f,
                                              double m);

#endif
