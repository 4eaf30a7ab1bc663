/* SPDX-License-Identifier: MIT */
/*
 * The results database (SQLite; schema in docs/results.md): what it is
 * for, the arms and their parameters, and every run with the rows of the
 * model's tables and its outcomes.  One connection, used by one thread at
 * a time; a run goes in whole, in one transaction, so that a killed
 * process leaves every run either whole or absent.
 */
#ifndef STRIFE_SINKS_DB_H
#define STRIFE_SINKS_DB_H

#include <stdint.h>

#include "core/core.h"
#include "sinks.h"

struct strife__db;

/* What the database is for; a database made for anything else is
   refused. */
struct strife__db_meta {
  const char *kind;          /* "compare", "sweep", ... */
  const char *scenario_hash; /* of the scenario before any arm's overrides */
  const char *scenario_json;
  const char *arms;    /* the arms, as text */
  uint64_t seed;       /* the first seed */
  const char *command; /* kept, not checked */
};

/* Opens or creates 'path' with the tables of model 'type', locked
   against a second process.  Before anything is written, an existing
   file must be a whole (SQLite's quick_check) results database of
   strife's, made with the same kind, strife version, scenario hash, arms
   and seed; a file this call made is removed again if it fails. */
STRIFE__FUNC int strife__db_open(struct strife__db **out, const char *path,
                                 const struct strife__db_meta *meta,
                                 const struct strife_model_type *type,
                                 strife_diag *diag);
STRIFE__FUNC void strife__db_close(struct strife__db *db);
/* Removes a database file and SQLite's files beside it. */
STRIFE__FUNC void strife__db_remove(const char *path);

/* Records arm 'arm' (label, scenario and its parameters with sources) if
   it is not there yet. */
STRIFE__FUNC int strife__db_put_arm(struct strife__db *db, int arm,
                                    const char *label,
                                    const strife_scenario *sc,
                                    strife_diag *diag);
/* Sets done[rep] for every run of 'arm' below 'runs' already stored. */
STRIFE__FUNC int strife__db_done(struct strife__db *db, int arm, uint32_t runs,
                                 uint8_t *done, strife_diag *diag);
/* Stores run 'rep' of 'arm' (of scenario 'sc'), recorded in 'r', in one
   transaction. */
STRIFE__FUNC int strife__db_put_run(struct strife__db *db, int arm,
                                    uint32_t rep,
                                    const struct strife__record *r,
                                    const strife_scenario *sc,
                                    strife_diag *diag);
/* The outcomes of runs 0 .. runs-1 of 'arm' into out[rep * n + k], n the
   model's outcomes (NAN where missing); *have counts the runs found. */
STRIFE__FUNC int strife__db_outcomes(struct strife__db *db, int arm,
                                     uint32_t runs, double *out, uint32_t *have,
                                     strife_diag *diag);

/* A particle of a calibration's posterior (table posterior). */
struct strife__db_particle {
  uint32_t generation, particle;
  uint64_t arm; /* the proposal's arm: its parameters and runs */
  double weight, distance, epsilon;
};

/* Replaces the posterior table with 'n' particles, in one transaction. */
STRIFE__FUNC int strife__db_put_posterior(struct strife__db *db,
                                          const struct strife__db_particle *p,
                                          size_t n, strife_diag *diag);

/* A figure of the record scored against the runs (table score). */
struct strife__db_figure {
  const char *file; /* the record's file name */
  size_t index;     /* the record's place in it */
  const char *quantity, *place, *unit;
  int64_t start, end;
  int out_of_window;
  double value, low, high; /* a figure, or a range (value NAN) */
  size_t runs;             /* runs with a value */
  double median, q05, q95, crps, interval_score;
  int inside;
};

/* Replaces the score table with 'n' figures, in one transaction. */
STRIFE__FUNC int strife__db_put_score(struct strife__db *db,
                                      const struct strife__db_figure *f,
                                      size_t n, strife_diag *diag);

/* An index of a sensitivity analysis (table sensitivity): of 'parameter'
   on 'outcome', its 'measure' ("S1", "ST", "mu_star", "sigma") with its
   95 % interval (NAN where none). */
struct strife__db_index {
  const char *outcome, *parameter, *measure;
  double value, lo, hi;
};

/* Replaces the sensitivity table with 'n' indices, in one transaction. */
STRIFE__FUNC int strife__db_put_sensitivity(struct strife__db *db,
                                            const struct strife__db_index *x,
                                            size_t n, strife_diag *diag);

/* A month of a series of the record forecast by one forecaster (table
   skill; docs/score.md): its first day, months ahead, the figure, the
   CRPS, five quantiles (5, 25, 50, 75, 95 %) and the PIT. */
struct strife__db_skill {
  const char *quantity, *place, *unit;
  int span;
  int64_t start;
  int horizon;
  const char *forecaster;
  double observed, crps, q[5], pit;
};

/* Replaces the skill table with 'n' rows, in one transaction. */
STRIFE__FUNC int strife__db_put_skill(struct strife__db *db,
                                      const struct strife__db_skill *k,
                                      size_t n, strife_diag *diag);

/* Opens 'path', a results database of model 'type' made by any
   experiment, to read (no lock, nothing written): it must be a SQLite file
   holding the model's first table with its columns. */
STRIFE__FUNC int strife__db_open_read(struct strife__db **out, const char *path,
                                      const struct strife_model_type *type,
                                      strife_diag *diag);
/* The arm labelled 'label' (the lowest of that label), or with NULL the
   lowest arm with a run; else STRIFE_EINVAL. */
STRIFE__FUNC int strife__db_find_arm(struct strife__db *db, const char *label,
                                     int *arm, strife_diag *diag);
/* The reps of the runs of 'arm' stored, ascending (malloc'd). */
STRIFE__FUNC int strife__db_reps(struct strife__db *db, int arm,
                                 uint32_t **reps, size_t *n, strife_diag *diag);
/* The rows of run (arm, rep) of the model's first table (a row a tick,
   its first column the date), by date: each row's day into (*days)[row]
   and columns cols[0 .. n_cols-1] into (*vals)[row * n_cols + k] (NAN
   where NULL), both malloc'd, *rows of them. */
STRIFE__FUNC int strife__db_series(struct strife__db *db, int arm, uint32_t rep,
                                   const int *cols, size_t n_cols,
                                   int64_t **days, double **vals, size_t *rows,
                                   strife_diag *diag);

#endif
