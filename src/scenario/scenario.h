/* SPDX-License-Identifier: MIT */
/*
 * Scenario internals: the table of keys, the values a scenario resolves
 * to, and the locator that turns a key path into a line and column of the
 * source text.
 */
#ifndef STRIFE_SCENARIO_SCENARIO_H
#define STRIFE_SCENARIO_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "models/epstein/epstein.h"
#include "models/afghan/afghan.h"

/* Every value a scenario sets, after defaults and overrides. */
struct strife__values {
  int model; /* index into the model names; 0 = epstein, 1 = afghan */
  int64_t ticks;
  int ticks_given; /* run.ticks is in the document or an override */
  int64_t seed;
  struct strife__epstein_params ep;
  struct strife__afghan_params af;
};

enum strife__ktype {
  STRIFE__K_STRING,   /* stored by the scenario, not in values */
  STRIFE__K_I64,      /* int64_t */
  STRIFE__K_U32,      /* uint32_t */
  STRIFE__K_INT,      /* int */
  STRIFE__K_REAL,     /* double */
  STRIFE__K_BOOL,     /* int 0/1 */
  STRIFE__K_ENUM,     /* int index into 'choices' */
  STRIFE__K_SCHEDULE, /* struct strife__schedule of reals */
  STRIFE__K_SOURCES,  /* object: key path -> citation */
  STRIFE__K_DATE,     /* "YYYY-MM-DD", int64_t days since 1970-01-01 */
  STRIFE__K_PATH,     /* file path, char[1024], relative to the scenario */
  STRIFE__K_CODES,    /* array of province codes (stronghold_codes) */
  STRIFE__K_POLICIES, /* array of {"date", "policy"} (policy_changes) */
  STRIFE__K_FREE,     /* calibration.free: stored by the scenario */
  STRIFE__K_TARGETS   /* calibration.targets: stored by the scenario */
};

struct strife__key {
  const char *path;
  enum strife__ktype type;
  size_t offset; /* into struct strife__values */
  double min, max;
  const char *choices; /* "a|b|c" for K_ENUM */
  const char *range;   /* the range as documented */
  const char *unit;
  const char *deflt; /* JSON text; NULL when the key has no default */
  const char *doc;
  const char *model; /* "" for all models */
};

STRIFE__FUNC const struct strife__key strife__keys[];
STRIFE__FUNC const size_t strife__n_keys;

/* The key with dotted path 'path', or NULL. */
STRIFE__FUNC const struct strife__key *strife__key_find(const char *path);
/* The key each lever of a policy change takes its choices from. */
STRIFE__FUNC const char *const strife__lever_keys[STRIFE__LEVERS];
/* Choice 'idx' of enum key 'k': its first character, and its length in
 *len. */
STRIFE__FUNC const char *strife__key_choice(const struct strife__key *k,
                                            int idx, size_t *len);
/* Nonzero if some key's path starts with 'prefix' followed by a dot. */
STRIFE__FUNC int strife__key_is_group(const char *prefix);

/* What strife calibrate fits (docs/calibration.md): the free parameters
   with their priors, and the targets.  Not part of what is simulated, so
   not in the scenario's hash. */
#define STRIFE__FREE_MAX    16
#define STRIFE__TARGETS_MAX 16

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
  int n_free, n_targets;
  struct strife__free free[STRIFE__FREE_MAX];
  struct strife__target target[STRIFE__TARGETS_MAX];
};

STRIFE__FUNC const struct strife__calibration *
strife__scenario_calibration(const strife_scenario *sc);
/* The file the scenario was read from, and its text as read. */
STRIFE__FUNC const char *strife__scenario_source(const strife_scenario *sc);
STRIFE__FUNC const char *strife__scenario_text(const strife_scenario *sc);

/* The scenario file's own text (without --set overrides) with each of
   the 'n' keys[i] set to values[i] (the nearest integer for an integer
   key) and cited by sources[i], and data.provinces set to 'provinces'
   unless NULL: indented JSON, malloc'd, or NULL (no memory, or a text
   that no longer parses). */
STRIFE__FUNC char *strife__scenario_edit(const strife_scenario *sc,
                                         const char *const *keys,
                                         const double *values,
                                         const char *const *sources, size_t n,
                                         const char *provinces);

/* The values of a loaded scenario, for the simulation. */
STRIFE__FUNC const struct strife__values *
strife__scenario_values(const strife_scenario *sc);

/* One step of a path into a JSON document: a member name or an index. */
struct strife__seg {
  const char *name; /* NULL for an array index */
  size_t index;
};

/* Finds the value at 'segs' in the JSON text (which jansson has already
   accepted) and sets 1-based 'line' and 'col' of it, or of its member
   name when 'at_name'.  Returns 0 if found. */
STRIFE__FUNC int strife__locate(const char *text, size_t len,
                                const struct strife__seg *segs, size_t n,
                                int at_name, int *line, int *col);

/* The dotted key open at byte 'pos' of a possibly malformed JSON text
   ("" at the top level), into 'buf'. */
STRIFE__FUNC void strife__key_at(const char *text, size_t len, size_t pos,
                                 char *buf, size_t size);

#endif
