/* SPDX-License-Identifier: MIT */
/*
 * The scenario layer's internal face, for the engine and the experiments:
 * a loaded scenario's model and parameters, its calibration (what strife
 * calibrate fits, and to what), its keys, and a copy of its file with
 * values changed (the calibrated scenario).  docs/internals/architecture.md
 * shows where it sits.
 */
#ifndef STRIFE_SCENARIO_SCENARIO_H
#define STRIFE_SCENARIO_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "core/model.h"

/* The model a scenario runs, and its checked parameters (the model's
   parameter struct, type->params_size bytes). */
STRIFE__FUNC const struct strife_model_type *
strife__scenario_type(const strife_scenario *sc);
STRIFE__FUNC const void *strife__scenario_params(const strife_scenario *sc);
/* The list of models the scenario was loaded with. */
STRIFE__FUNC const struct strife_model_type *const *
strife__scenario_models(const strife_scenario *sc);
/* The key 'path' of the scenario (its own or its model's), or NULL. */
STRIFE__FUNC const struct strife__key *
strife__scenario_key(const strife_scenario *sc, const char *path);

/* What strife calibrate fits (docs/calibration.md): the free parameters
   with their priors, and the targets.  Not part of what is simulated, so
   not in the scenario's hash. */
#define STRIFE__FREE_MAX    32
#define STRIFE__TARGETS_MAX 16
#define STRIFE__SCREEN_MAX  128

enum strife__prior_name { /* the order of "uniform|log-uniform|normal" */
                          STRIFE__PRIOR_NAME_UNIFORM,
                          STRIFE__PRIOR_NAME_LOG_UNIFORM,
                          STRIFE__PRIOR_NAME_NORMAL
};

struct strife__free {
  char key[64];
  enum strife__prior_name prior;
  double lo, hi, mean, sd; /* mean and sd for a normal prior */
  char source[512];
};

struct strife__target {
  char outcome[64];
  double value, scale;
  char source[512];
  int line, col; /* of the outcome's name in the file; 0 from --set */
};

struct strife__calibration {
  int64_t window_start, window_end; /* the fit window, days, inclusive */
  int window_given;                 /* by the file or --set */
  int n_free, n_targets;
  struct strife__free free[STRIFE__FREE_MAX];
  struct strife__target target[STRIFE__TARGETS_MAX];
  /* The range of each value taken as an assumption (uniform priors). */
  int n_screen;
  struct strife__free screen[STRIFE__SCREEN_MAX];
};

STRIFE__FUNC const struct strife__calibration *
strife__scenario_calibration(const strife_scenario *sc);
/* Reads the regular file 'path' whole, at most 'max' bytes, into *out
   (malloc'd, NUL-terminated) and *len.  A FIFO, device or directory is
   refused before it is opened (a FIFO would wait for a writer for ever).
   Returns STRIFE_OK; STRIFE_EIO or STRIFE_ELIMIT with 'why' saying what
   is wrong ("cannot open: ...", "is a FIFO, not a regular file"); or
   STRIFE_ENOMEM. */
STRIFE__FUNC int strife__scenario_read(const char *path, size_t max, char **out,
                                       size_t *len, char *why, size_t size);
/* The file the scenario was read from. */
STRIFE__FUNC const char *strife__scenario_source(const strife_scenario *sc);

/* The scenario file's own text (without --set overrides) with each of
   the 'n' keys[i] set to values[i] (the nearest integer for an integer
   key) and cited by sources[i], and each data file the model reads named
   relative to directory 'dir' (absolute, canonical), where the text is
   to be written.  Indented JSON, malloc'd, into *out.  Returns STRIFE_OK,
   STRIFE_EIO (a data file that no longer resolves) with 'diag', or
   STRIFE_ENOMEM. */
STRIFE__FUNC int
strife__scenario_edit(const strife_scenario *sc, const char *const *keys,
                      const double *values, const char *const *sources,
                      size_t n, const char *dir, char **out, strife_diag *diag);

/* One step of a path into a JSON document: a member name or an index. */
struct strife__seg {
  const char *name; /* NULL for an array index */
  size_t index;
};

/* Finds the value at 'segs' in the JSON text (which jansson has already
   accepted) and sets 1-based 'line' and 'col' of it, or of its member
   name when 'at_name'.  Returns 0 if found. */
STRIFE__FUNC int strife__locate_value(const char *text, size_t len,
                                      const struct strife__seg *segs, size_t n,
                                      int at_name, int *line, int *col);

/* As strife__locate_value, the byte offset of the value (or its member
   name) into *at. */
STRIFE__FUNC int strife__locate_offset(const char *text, size_t len,
                                       const struct strife__seg *segs, size_t n,
                                       int at_name, size_t *at);
/* The 1-based line and column of byte 'at' of 's'. */
STRIFE__FUNC void strife__locate_line_col(const char *s, size_t at, int *line,
                                          int *col);

/* The dotted key open at byte 'pos' of a possibly malformed JSON text
   ("" at the top level), into 'buf'. */
STRIFE__FUNC void strife__locate_key_at(const char *text, size_t len,
                                        size_t pos, char *buf, size_t size);

#endif
