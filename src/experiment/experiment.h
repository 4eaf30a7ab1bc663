/* SPDX-License-Identifier: MIT */
/*
 * Inside the experiments: the one handle every experiment returns, and
 * what they share (the base scenario, parameter ranges checked against
 * the scenario's keys, outcomes found by name in the model's schema).
 *
 *   experiment.c   the handle, the shared checks
 *   ensemble.c     runs of arms on shared seeds into the database
 *   mpi.c          the same over MPI ranks
 *   compare.c, sweep.c, sensitivity.c, calibrate.c   the experiments
 *   stats.c, sens.c, abc.c   their statistics, apart from any model
 */
#ifndef STRIFE_EXPERIMENT_EXPERIMENT_H
#define STRIFE_EXPERIMENT_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>

#include <strife/experiment.h>

#include "core/core.h"
#include "sinks/sinks.h"

/* Every experiment's handle starts with this. */
struct strife_experiment {
  uint64_t ran, skipped;
  int interrupted;
  /* The experiment's table (malloc'd), or NULL. */
  char *(*table)(const struct strife_experiment *x);
  /* Frees the experiment's own part and the handle. */
  void (*destroy)(struct strife_experiment *x);
};

/* The scenario of an experiment with its overrides, loaded with its
   models. */
STRIFE__FUNC int strife__exp_load(const strife_experiment_opts *x,
                                  strife_scenario **sc, strife_diag *diag);
/* Each parameter a numeric key of the scenario, LO < HI inside the key's
   range, none twice; else STRIFE_EINVAL naming it. */
STRIFE__FUNC int strife__exp_check_params(const strife_scenario *sc,
                                          const strife_param_range *params,
                                          size_t n, strife_diag *diag);
/* The value of parameter 'p' at coordinate u in [0, 1]: LO + u (HI - LO),
   the nearest integer for an integer key. */
STRIFE__FUNC double strife__exp_param_value(const strife_scenario *sc,
                                            const strife_param_range *p,
                                            double u);
/* The index among the model's outcomes of each of the 'n' names, or
   STRIFE_EINVAL naming the unknown one. */
STRIFE__FUNC int strife__exp_outcomes(const strife_scenario *sc,
                                      const char *const *names, size_t n,
                                      size_t *out, strife_diag *diag);
/* The outcomes an experiment reports: the 'n' of 'names', or with none
   the model's key outcomes ('key_only') or all of them; how many (*n_out),
   their indices among the model's (*index) and names (*out_names), both
   malloc'd (strife__exp_names_free), and the model's count (*stride). */
STRIFE__FUNC int strife__exp_pick(const strife_scenario *sc,
                                  const char *const *names, size_t n,
                                  int key_only, size_t *n_out, size_t **index,
                                  char ***out_names, size_t *stride,
                                  strife_diag *diag);
STRIFE__FUNC void strife__exp_names_free(char **names, size_t n);
struct strife__db;
/* Opens the experiment's results database to write what it found: the
   database as the runs of scenario 'sc' made it (kind 'kind', arms
   'arms'). */
STRIFE__FUNC int strife__exp_db_open(const strife_experiment_opts *x,
                                     const strife_scenario *sc,
                                     const char *kind, const char *arms,
                                     struct strife__db **db, strife_diag *diag);
/* This process's rank among the experiment's MPI ranks (0 alone). */
STRIFE__FUNC int strife__exp_rank(const strife_experiment_opts *x);

#endif
