/* SPDX-License-Identifier: MIT */
/*
 * Inside the scenario layer: the scenario handle, paths into its JSON
 * document, and the functions its files share.
 *
 *   scenario.c     loading: read, overrides, defaults, walk, check, hash
 *   keys.c         the scenario's own keys, and keys across the models
 *   values.c       one value checked against its key and stored
 *   calibration.c  calibration.free and calibration.targets
 *   check.c        the model's whole-set check and the files it reads
 *   canonical.c    the complete scenario as JSON, its hash, and edits
 *   diag.c         where an error is: file, line, column, key
 *   locate.c       line and column of a value in the text
 */
#ifndef STRIFE_SCENARIO_PARSE_H
#define STRIFE_SCENARIO_PARSE_H

#include <jansson.h>

#include "scenario.h"

#define STRIFE__PATH_DEPTH 8
#define STRIFE__SETS_MAX   256
#define STRIFE__FILES_MAX  4

/* A path into the document: "regime.legitimacy.changes[1].tick". */
struct strife__path {
  struct strife__seg seg[STRIFE__PATH_DEPTH];
  size_t n;
};

/* The values every scenario has, whatever its model. */
struct strife__common {
  int64_t ticks;
  int64_t seed;
};

struct strife_scenario {
  char *text;
  size_t len;
  char source[256];
  char name[128];
  char *description;
  json_t *sources;
  const struct strife_model_type *const *models;
  const struct strife_model_type *type;
  void *params; /* type->params_size bytes */
  struct strife__common v;
  int ticks_given; /* run.ticks is in the document or an override */
  struct strife__calibration cal;
  /* The data files the model read during its check. */
  struct {
    const struct strife__key *key;
    char *text;
    size_t len;
  } file[STRIFE__FILES_MAX];
  int n_files;
  char *json;
  char hash[32];
  /* Paths given by --set, so that their errors point there. */
  char *set_paths[STRIFE__SETS_MAX];
  size_t n_set;
};

/* ---- diag.c ---- */

/* The length in bytes of the control character (U+0000-U+001F, U+007F,
   U+0080-U+009F) at byte 'i' of the 'n' bytes at 's', its code point in
   *cp; 0 if none is there. */
STRIFE__FUNC size_t strife__scenario_control(const char *s, size_t n, size_t i,
                                             unsigned *cp);
/* The 'n' bytes at 's' into 'buf' with each control character written as
   an escape (\n, \t, \u001b), so that a message prints it visibly;
   returns the length written. */
STRIFE__FUNC size_t strife__scenario_escape(const char *s, size_t n, char *buf,
                                            size_t size);
/* Dotted form of a path (control characters escaped). */
STRIFE__FUNC void strife__path_text(const struct strife__path *p, char *buf,
                                    size_t size);
/* Splits 'key' ("a.b[2].c") into a path whose names point into 'buf'. */
STRIFE__FUNC void strife__path_of_key(const char *key, char *buf, size_t size,
                                      struct strife__path *p);
/* Appends a member name or an index to 'p'. */
STRIFE__FUNC void strife__path_push(struct strife__path *p, const char *name,
                                    size_t index);
/* Whether dotted 'key' (or a key under it) was given with --set. */
STRIFE__FUNC int strife__scenario_from_set(const strife_scenario *sc,
                                           const char *key);
/* Fills 'diag' for an error at 'p' (the member name when 'at_name') and
   returns 'code'. */
STRIFE__FUNC int
strife__scenario_fail(const strife_scenario *sc, strife_diag *diag,
                      const struct strife__path *p, int at_name, int code,
                      const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* As strife__scenario_fail, located in the file even when the key was
   also given with --set (for what only the file can hold). */
STRIFE__FUNC int
strife__scenario_fail_file(const strife_scenario *sc, strife_diag *diag,
                           const struct strife__path *p, int at_name, int code,
                           const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* An error about keys together: located at the first of 'keys' given with
   --set, else the first found in the file, else the first. */
STRIFE__FUNC int strife__scenario_fail_keys(const strife_scenario *sc,
                                            strife_diag *diag,
                                            const char *const *keys,
                                            size_t n_keys, int code,
                                            const char *msg);
/* An error of a --set override (column 'col' of it, 0 if none). */
STRIFE__FUNC int strife__scenario_fail_set(strife_diag *diag, const char *key,
                                           int col, int code, const char *fmt,
                                           ...)
    __attribute__((format(printf, 5, 6)));
/* "a string", "-5", "true": what a value is, for messages. */
STRIFE__FUNC void strife__scenario_describe(json_t *j, char *buf, size_t size);

/* ---- keys.c ---- */

/* The scenario's own keys. */
STRIFE__FUNC const struct strife__key strife__scenario_keys[];
STRIFE__FUNC const size_t strife__n_scenario_keys;
/* The key 'path' of the scenario or of any of its models; *owner is the
   model (NULL for the scenario's own keys). */
STRIFE__FUNC const struct strife__key *
strife__scenario_any_key(const strife_scenario *sc, const char *path,
                         const struct strife_model_type **owner);
/* Nonzero if some key's path starts with 'prefix' and a dot. */
STRIFE__FUNC int strife__scenario_is_group(const strife_scenario *sc,
                                           const char *prefix);
/* The names one level below 'prefix' of the scenario's keys, joined with
   ", ", into 'buf'. */
STRIFE__FUNC void strife__scenario_children(const strife_scenario *sc,
                                            const char *prefix, char *buf,
                                            size_t size);
/* Where the value of key 'k' is stored. */
STRIFE__FUNC void *strife__scenario_slot(strife_scenario *sc,
                                         const struct strife__key *k);
STRIFE__FUNC const void *strife__scenario_value(const strife_scenario *sc,
                                                const struct strife__key *k);
/* The key a name users say stands for, or the name itself. */
STRIFE__FUNC const char *strife__scenario_alias(const strife_scenario *sc,
                                                const char *name);
/* The models' names, "a|b|c", into 'buf'. */
STRIFE__FUNC void strife__scenario_model_names(const strife_scenario *sc,
                                               char *buf, size_t size);

/* ---- values.c ---- */

/* Checks value 'j' of key 'k' at path 'p' and stores it. */
STRIFE__FUNC int strife__scenario_take(strife_scenario *sc, strife_diag *diag,
                                       struct strife__path *p,
                                       const struct strife__key *k, json_t *j);
STRIFE__FUNC int strife__scenario_number(const strife_scenario *sc,
                                         strife_diag *diag,
                                         const struct strife__path *p,
                                         json_t *j, double min, double max,
                                         double *out);
STRIFE__FUNC int strife__scenario_choice(const strife_scenario *sc,
                                         strife_diag *diag,
                                         const struct strife__path *p,
                                         json_t *j, const char *choices,
                                         int *out);
/* Every member of object 'j' one of 'known' ("a|b|c"); else an error at
   the first other, with 'msg'. */
STRIFE__FUNC int strife__scenario_members(const strife_scenario *sc,
                                          strife_diag *diag,
                                          struct strife__path *p, json_t *j,
                                          const char *known, const char *msg);
STRIFE__FUNC int strife__scenario_date(const strife_scenario *sc,
                                       strife_diag *diag,
                                       const struct strife__path *p, json_t *j,
                                       int64_t *out);

/* ---- calibration.c ---- */

STRIFE__FUNC int strife__scenario_free(strife_scenario *sc, strife_diag *diag,
                                       struct strife__path *p, json_t *j);
STRIFE__FUNC int strife__scenario_targets(strife_scenario *sc,
                                          strife_diag *diag,
                                          struct strife__path *p, json_t *j);
STRIFE__FUNC int strife__scenario_window(strife_scenario *sc, strife_diag *diag,
                                         struct strife__path *p, json_t *j);
STRIFE__FUNC json_t *strife__scenario_window_json(const strife_scenario *sc);
STRIFE__FUNC json_t *strife__scenario_free_json(const strife_scenario *sc);
STRIFE__FUNC int strife__scenario_screen(strife_scenario *sc, strife_diag *diag,
                                         struct strife__path *p, json_t *j);
STRIFE__FUNC json_t *strife__scenario_screen_json(const strife_scenario *sc);
STRIFE__FUNC json_t *strife__scenario_targets_json(const strife_scenario *sc);

/* ---- check.c ---- */

/* strife__scenario_read of a file of at most STRIFE_SCENARIO_MAX_BYTES,
   with 'diag' naming the file and saying what is wrong. */
STRIFE__FUNC int strife__scenario_read_file(const char *path, char **out,
                                            size_t *len, strife_diag *diag);
/* The model's check of the whole parameter set. */
STRIFE__FUNC int strife__scenario_check(strife_scenario *sc, strife_diag *diag);

/* ---- canonical.c ---- */

/* sc->json and sc->hash from the values. */
STRIFE__FUNC int strife__scenario_canonical(strife_scenario *sc);

#endif
