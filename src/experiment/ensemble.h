/* SPDX-License-Identifier: MIT */
/*
 * An ensemble: a set of arms, each a scenario with its own overrides, run
 * 'runs' times on seeds S + 0 .. S + runs - 1 (S the scenario's seed: the
 * same seeds in every arm), spread over threads or MPI ranks, each
 * finished run committed to the results database; runs already there
 * skipped.  What every experiment runs its runs through.  It runs runs
 * through the public API and the engine's loop, and reads them back by
 * the names of the model's outcomes: it works for every model.
 */
#ifndef STRIFE_EXPERIMENT_ENSEMBLE_H
#define STRIFE_EXPERIMENT_ENSEMBLE_H

#include <stddef.h>
#include <stdint.h>

#include <strife/experiment.h>

#include "core/core.h"
#include "experiment.h"

struct strife__ens {
  strife_experiment_opts x; /* scenario, overrides for every arm, ... */
  size_t n_arms;
  char **label;       /* [n_arms] */
  char ***arm_sets;   /* [n_arms][n_arm_sets[a]]: each arm's overrides */
  size_t *n_arm_sets; /* [n_arms] */
  uint32_t runs;
  const char *kind;      /* "compare", "sensitivity" */
  const char *arms_text; /* what the arms are, checked on resuming */
  /* Arm a is arm arm0 + a in the database, and its run r has seed
     S + (arm0 + a) seed_stride + r: 0 for common random numbers. */
  uint64_t arm0, seed_stride;
  /* Set by strife__ens_run_all from x.posterior: each run's draw. */
  const struct strife__posterior *post;
};

struct strife__ens_out {
  uint64_t ran, skipped;
  int interrupted; /* cancelled with runs left to do */
  size_t n_out;    /* the model's outcomes */
  double *out;     /* [arm][rep][n_out], NAN where missing */
};

/* A run of an ensemble: arm (local index) and rep. */
struct strife__job {
  uint32_t arm, rep;
};

struct strife__db;

/* The seed of a job. */
STRIFE__FUNC uint64_t strife__ens_seed(const struct strife__ens *e,
                                       uint64_t seed0,
                                       const struct strife__job *j);

/* Runs job 'j' of arm scenario 'sc' into 'rec' (on one thread). */
STRIFE__FUNC int strife__ens_run(const struct strife__ens *e,
                                 const strife_scenario *sc, uint64_t seed0,
                                 const struct strife__job *j,
                                 struct strife__record *rec, strife_diag *diag);

/* Runs the ensemble.  Every arm's scenario is loaded before the database
   is opened, so that bad input leaves no file.  Returns STRIFE_OK (also
   when interrupted: see out->interrupted), or an error with 'diag'. */
STRIFE__FUNC int strife__ens_run_all(const struct strife__ens *e,
                                     struct strife__ens_out *out,
                                     strife_diag *diag);

/* What the arms of 'e' are as strife__ens_run_all records them in the
   database (malloc'd): e->arms_text, with the posterior sample named. */
STRIFE__FUNC int strife__ens_arms(const struct strife__ens *e, char **arms,
                                  strife_diag *diag);

/* Runs points: point p is arm arm0 + p, labelled "<what> <arm0 + p>",
   with keys[i] set to values[p k + i]; 'runs' runs a point, on the seeds
   of seed_stride (struct strife__ens).  As strife__ens_run_all
   otherwise. */
struct strife__points {
  const char *const *keys;
  size_t k;
  const double *values;
  size_t points;
  uint32_t runs;
  const char *what;
  uint64_t arm0, seed_stride;
};
STRIFE__FUNC int strife__ens_points(const strife_experiment_opts *x,
                                    const struct strife__points *pt,
                                    const char *kind, const char *arms_text,
                                    struct strife__ens_out *out,
                                    strife_diag *diag);
/* Runs a design: point p of 'u' (points x k, on the unit cube) is arm p,
   "point p", with parameter i set to its value at u[p k + i]; 'runs' runs
   a point, on common seeds.  As strife__ens_run_all otherwise. */
STRIFE__FUNC int
strife__ens_design(const strife_experiment_opts *x, const strife_scenario *base,
                   const strife_param_range *params, size_t k, const double *u,
                   size_t points, uint32_t runs, const char *kind,
                   const char *arms_text, struct strife__ens_out *out,
                   strife_diag *diag);

/* Runs the jobs over MPI ranks (mpi.c): rank 0 hands them out, receives
   each record and writes it to 'db', the others run them.  Collective:
   every rank calls it, rank 0 with the jobs and its status so far ('rc'),
   and every rank returns the common status, with o->ran set and 'diag'
   on error. */
STRIFE__FUNC int strife__mpi_jobs(const struct strife__ens *e,
                                  struct strife__ens_out *o,
                                  strife_scenario *const *arm,
                                  const struct strife__job *jobs, size_t n_jobs,
                                  uint64_t seed0, struct strife__db *db, int rc,
                                  strife_diag *diag);
/* Rank 0's status, 'n' doubles, counts and diag, to every rank
   (collective); returns the status. */
STRIFE__FUNC int strife__mpi_share(const strife_mpi *m, int rc, double *v,
                                   size_t n, uint64_t *counts, size_t n_counts,
                                   strife_diag *diag);

#endif
