/* SPDX-License-Identifier: MIT */
/*
 * The model type table: how a model plugs into the engine, as a random
 * number generator plugs into GSL through a gsl_rng_type.  A model says
 * which scenario keys it takes (and where each goes in its parameter
 * struct), checks a whole parameter set, creates its state, steps it one
 * tick, and declares once, in its schema, everything it reports: its
 * tables (a row a tick, a row a region a period, an event a row), its
 * outcomes (name, unit, which direction is better) and the layout of a
 * run's summary.  Each tick the engine asks it to observe: it hands its
 * rows to whoever listens and resets its own accumulators.
 *
 * The engine (src/core) knows a model only through this table; the
 * scenario layer reads keys through it; the sinks write what the schema
 * declares.  The built-in models are listed in src/models/registry.c; a
 * caller may pass a list of its own (strife_scenario_load_with).
 */
#ifndef STRIFE_CORE_MODEL_H
#define STRIFE_CORE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"

/* ------------------------------------------------------------------ */
/* Scenario keys                                                      */
/* ------------------------------------------------------------------ */

/* What a key holds, and how its value is stored at its offset. */
enum strife__ktype {
  STRIFE__K_I64,      /* int64_t */
  STRIFE__K_U32,      /* uint32_t */
  STRIFE__K_INT,      /* int */
  STRIFE__K_REAL,     /* double */
  STRIFE__K_BOOL,     /* int 0/1 */
  STRIFE__K_ENUM,     /* int index into 'choices' */
  STRIFE__K_SCHEDULE, /* struct strife__schedule of reals */
  STRIFE__K_DATE,     /* "YYYY-MM-DD", int64_t days since 1970-01-01 */
  STRIFE__K_FILE,     /* struct strife__file: a data file the scenario
                         layer reads; the model parses its text in check */
  STRIFE__K_CODES,    /* struct strife__codes: short strings */
  STRIFE__K_TIMELINE, /* struct strife__timeline: dated changes of enum
                         keys */
  /* Keys of the scenario itself, not of a model. */
  STRIFE__K_MODEL,   /* the model's name */
  STRIFE__K_STRING,  /* name, description */
  STRIFE__K_SOURCES, /* object: key path -> citation */
  STRIFE__K_FREE,    /* calibration.free */
  STRIFE__K_TARGETS, /* calibration.targets */
  STRIFE__K_WINDOW,  /* calibration.window */
  STRIFE__K_SCREEN   /* calibration.screen */
};

/* A member of a timeline entry and the enum key it takes its choices
   from. */
struct strife__member {
  const char *field; /* "us" */
  const char *key;   /* "foreign.us" */
};

/* What a K_FILE, K_CODES or K_TIMELINE key needs besides its type. */
struct strife__key_spec {
  const char *noun;              /* K_FILE: "province table"; K_CODES: "province
                                    codes" */
  const char *item;              /* K_CODES: "a province code such as ..." */
  int (*item_ok)(const char *s); /* K_CODES: whether an item is valid */
  const struct strife__member *members; /* K_TIMELINE */
  int n_members;
};

struct strife__key {
  const char *path;
  enum strife__ktype type;
  size_t offset; /* into the model's parameters (the scenario's own keys:
                    into the scenario) */
  double min, max;
  const char *choices; /* "a|b|c" for K_ENUM */
  const char *range;   /* the range as documented */
  const char *unit;
  const char *deflt; /* JSON text; NULL when the key has no default */
  const char *doc;
  const struct strife__key_spec *spec; /* K_FILE, K_CODES, K_TIMELINE */
};

/* A data file named by a scenario (K_FILE). */
struct strife__file {
  char path[1024];     /* as given; its absolute form once read */
  char resolved[1024]; /* the path opened: relative to the scenario file,
                          or to the working directory when given with
                          --set */
  uint64_t hash;       /* FNV-1a of its bytes */
  int from_set;        /* given with --set */
};

#define STRIFE__CODES_MAX 16
struct strife__codes {
  int n;
  char code[STRIFE__CODES_MAX][8];
};

#define STRIFE__TIMELINE_MAX 16
#define STRIFE__MEMBERS_MAX  8
/* Dated changes: on 'day', each member's new choice, or -1 to leave it. */
struct strife__timeline {
  int n;
  struct strife__dated {
    int64_t day;
    int value[STRIFE__MEMBERS_MAX];
  } c[STRIFE__TIMELINE_MAX];
};

/* A name users say for a key ("us" for "foreign.us"). */
struct strife__alias {
  const char *alias, *key;
};

/* The key with dotted path 'path' among 'n' keys, or NULL. */
STRIFE__FUNC const struct strife__key *
strife__keys_find(const struct strife__key *keys, size_t n, const char *path);
/* Choice 'idx' of enum key 'k': its first character, and its length in
 *len. */
STRIFE__FUNC const char *strife__key_choice(const struct strife__key *k,
                                            int idx, size_t *len);
/* Whether 'k' takes a number: an integer or real key, or a schedule (set
   to one number throughout). */
STRIFE__FUNC int strife__key_numeric(const struct strife__key *k);
/* Whether 'k' takes an integer. */
STRIFE__FUNC int strife__key_integer(const struct strife__key *k);

/* Most tables a model may declare (each a file of a run, beside
   summary.json and scenario.json). */
#define STRIFE__TABLES_MAX 14

/* Whether a model's type table is whole (its functions, keys stored
   inside its parameters with what their kind needs) and its schema stays
   within what the engine and the sinks hold (tables, columns, outcomes);
   else STRIFE_ENOTSUP with 'diag'. */
STRIFE__FUNC int strife__model_check(const struct strife_model_type *m,
                                     strife_diag *diag);

/* ------------------------------------------------------------------ */
/* Checking a whole parameter set                                     */
/* ------------------------------------------------------------------ */

/* The scenario layer's side of a model's check (src/scenario). */
struct strife__check;

/* Fails at 'path', a dotted key with indices ("policy_changes[1].date"),
   located in the file (or named as --set): fills the diagnostic and
   returns 'code'. */
STRIFE__FUNC int strife__check_fail(struct strife__check *ck, const char *path,
                                    int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Fails at the first of 'keys' given with --set, else the first found in
   the file, else the first (cross-key checks). */
STRIFE__FUNC int strife__check_fail_keys(struct strife__check *ck,
                                         const char *const *keys, size_t n,
                                         int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Reads the file K_FILE key 'key' names (the scenario layer does the
   I/O): its bytes (valid while the scenario lives), their length, and the
   path they were read from.  Returns STRIFE_OK, or the failure (located
   at the key) to return from the check. */
STRIFE__FUNC int strife__check_file(struct strife__check *ck, const char *key,
                                    const char **text, size_t *len,
                                    const char **path);
/* The diagnostic a model's own parser may fill directly. */
STRIFE__FUNC strife_diag *strife__check_diag(struct strife__check *ck);
/* The run is at most 'most' ticks: run.ticks when given and shorter,
   else 'most'. */
STRIFE__FUNC void strife__check_ticks(struct strife__check *ck, int64_t most);

/* ------------------------------------------------------------------ */
/* The schema: what a model reports                                   */
/* ------------------------------------------------------------------ */

/* A column's type, as a cell carries it and as the sinks write it. */
enum strife__ctype {
  STRIFE__COL_REAL,    /* double, written with 'decimals' */
  STRIFE__COL_INT,     /* int64_t */
  STRIFE__COL_TEXT,    /* string */
  STRIFE__COL_OPTTEXT, /* string; "" is no value (NULL in a database) */
  STRIFE__COL_DATE,    /* int64_t days since 1970-01-01: YYYY-MM-DD */
  STRIFE__COL_MONTH    /* int64_t year * 100 + month: YYYY-MM */
};

/* Most columns a table may have. */
#define STRIFE__COLUMNS_MAX 64

struct strife__column {
  const char *name;
  enum strife__ctype type;
  int decimals;
};

/* A table: a file of a run (CSV), a table of a results database.  Its
   first 'n_key' columns identify a row within a run; with none, rows are
   numbered in the order they come (an event log). */
struct strife__table {
  const char *name; /* database table */
  const char *file; /* file of a run */
  const struct strife__column *cols;
  int n_cols;
  int n_key;
};

/* Outcome flags. */
enum {
  STRIFE__OUT_INT = 1, /* an integer in the summary */
  STRIFE__OUT_KEY = 2  /* reported by default (strife sweep) */
};

/* An outcome: one number a run ends with. */
struct strife__outcome {
  const char *name;
  const char *unit;
  int better;        /* +1 more is better, -1 less is, 0 neither */
  const char *label; /* its line in a run's printed table, or NULL */
  int decimals;      /* for that line */
  const char *json;  /* its place in summary.json, dotted */
  unsigned flags;
};

/* What goes into summary.json after the fields every run has. */
enum strife__fact {
  STRIFE__FACT_SCALE,      /* people per agent, an integer */
  STRIFE__FACT_WALL,       /* wall_seconds */
  STRIFE__FACT_AGENTS,     /* agents simulated */
  STRIFE__FACT_BYTES,      /* bytes of state per agent */
  STRIFE__FACT_TABLE_FILE, /* the file of table 'arg' */
  STRIFE__FACT_OUTCOMES,   /* every outcome, under the item's path */
  STRIFE__FACT_END_DATE    /* the last day run */
};

struct strife__summary_item {
  const char *path; /* dotted; "" for the top level (outcomes) */
  enum strife__fact fact;
  int arg;
};

/* How a quantity of the observed record (docs/record.md) is read off a
   run: column 'column' of the schema's first table (a row a tick, its
   first column the date), summed over the record's period (a count, an
   amount of money) or averaged over it (a level, such as fighters). */
enum strife__how { STRIFE__MEASURE_SUM, STRIFE__MEASURE_MEAN };

struct strife__measure {
  const char *quantity; /* as the record names it */
  const char *place;    /* NULL: the model's whole territory */
  const char *units;    /* the record units it is comparable with, "a|b" */
  int column;
  enum strife__how how;
};

struct strife__schema {
  const struct strife__table *tables;
  int n_tables;
  const struct strife__outcome *outcomes;
  int n_outcomes;
  const struct strife__summary_item *summary;
  int n_summary;
  const char *tick_name; /* what a tick is, as a column: "days", "ticks" */
  /* The observed record's quantities the model can be scored against
     (strife score), and the place its first table stands for (a record
     of that place is read as one without a place); none for a model
     without a calendar. */
  const struct strife__measure *measures;
  int n_measures;
  const char *territory;
};

/* ------------------------------------------------------------------ */
/* Observation                                                        */
/* ------------------------------------------------------------------ */

/* A value of a row, by its column's type. */
union strife__cell {
  double r;
  int64_t i;
  const char *s;
};

/* Whoever listens to a model's observations: row() takes a row of table
   'table' (the schema's index), valid during the call, and returns
   STRIFE_OK or an error that stops the run. */
struct strife__observer {
  int (*row)(void *ud, int table, const union strife__cell *cells);
  void *ud;
};

/* When an observation is made; a tick's may carry several. */
enum {
  STRIFE__OBS_START = 1, /* after placement, before the first tick */
  STRIFE__OBS_TICK = 2,  /* after a tick */
  STRIFE__OBS_MONTH = 4, /* ... the last of a calendar month */
  STRIFE__OBS_END = 8    /* the run is over: done or stopped */
};

/* What a model tells the engine at creation. */
struct strife__model_info {
  int dated;         /* a tick is a day of the calendar */
  int64_t start_day; /* the first day (dated models) */
  double scale;      /* people one agent stands for */
};

/* ------------------------------------------------------------------ */
/* The type table                                                     */
/* ------------------------------------------------------------------ */

struct strife_model_type {
  const char *name;
  const char *doc;
  const struct strife__key *keys;
  size_t n_keys;
  const struct strife__alias *aliases; /* may be NULL */
  size_t n_aliases;
  size_t params_size; /* bytes of the parameter struct the keys fill */
  /* Where run.ticks comes from when the model derives it (check calls
     strife__check_ticks) and the scenario does not give it; or NULL. */
  const char *ticks_source;
  /* The fewest ticks a run may have (0: the state after placement is a
     result of its own). */
  int64_t min_ticks;
  const struct strife__schema *schema;

  /* Checks the whole parameter set (cross-key rules, data files) and
     fills what derives from it.  Returns STRIFE_OK or the failure of
     strife__check_fail*. */
  int (*check)(void *params, struct strife__check *ck);
  /* Creates the state at tick 0 from 'params' (a checked copy of the
     scenario's, which the state may keep by value), allocating only
     through 'a'.  Returns STRIFE_OK, STRIFE_ENOMEM or STRIFE_ENOTSUP
     with 'diag'. */
  int (*create)(void **state, const struct strife__alloc *a, const void *params,
                uint64_t seed, unsigned threads,
                struct strife__model_info *info, strife_diag *diag);
  /* Runs the next tick.  Returns STRIFE_OK, or an error with a message
     in 'msg' (the state is then not to be stepped again). */
  int (*step)(void *state, char *msg, size_t size);
  /* Hands what 'when' calls for to 'obs' and resets the accumulators it
     has reported.  Returns STRIFE_OK or the observer's error. */
  int (*observe)(void *state, unsigned when,
                 const struct strife__observer *obs);
  /* The outcomes so far, schema->n_outcomes of them (NAN where
     undefined). */
  void (*outcomes)(const void *state, double *out);
  /* Whether outcome 'k' can have a value in a run of 'params' (a checked
     set) of 'ticks' ticks: 0 if it can, else 1 with the reason in 'why'.
     May be NULL: every outcome always has one. */
  int (*undefined)(const void *params, int64_t ticks, int k, char *why,
                   size_t size);
  /* Population counts (may be NULL: zeros). */
  void (*counts)(const void *state, strife_counts *out);
  void (*proximity)(const void *state, strife_proximity *out);
  size_t (*memory)(const void *state);
  /* The bytes a state of 'params' will take, estimated before it is made
     (may be NULL: small).  A simulation that would not fit in the
     machine's memory is refused before it starts. */
  uint64_t (*footprint)(const void *params);
  uint64_t (*agents)(const void *state);
  void (*destroy)(void *state);
};

#endif
