/* SPDX-License-Identifier: MIT */
/*
 * Experiments: many seeded runs of a scenario, compared fairly and kept in
 * a results database (docs/results.md).
 */
#ifndef STRIFE_EXPERIMENT_H
#define STRIFE_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>

#include "strife.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What every experiment takes. */
typedef struct strife_experiment_opts {
  const char *scenario;    /* scenario file (an Afghan scenario) */
  const char *const *sets; /* KEY=VALUE overrides for every run */
  size_t n_sets;
  unsigned threads;    /* runs at once; 0: as many as OpenMP offers */
  const char *db;      /* the results database (SQLite) */
  const char *command; /* the command line, kept as provenance */
  /* When *cancel becomes nonzero no new run starts; the runs in flight
     finish and are kept. */
  volatile const int *cancel;
  /* Called after each run is committed, from one thread at a time. */
  void (*progress)(void *ud, uint64_t done, uint64_t total);
  void *progress_ud;
} strife_experiment_opts;

/** What strife_compare_run runs. */
typedef struct strife_compare_opts {
  strife_experiment_opts exp;
  const char *const *policies; /* presets compared; at least one */
  size_t n_policies;
  const char *vary_key;           /* a key crossed with the policies, or NULL */
  const char *const *vary_values; /* its values (JSON or bare words) */
  size_t n_vary;
  uint32_t runs; /* runs per arm, 1 .. 1000000 */
} strife_compare_opts;

typedef struct strife_compare strife_compare;

/**
 * Runs every arm (each policy, crossed with each value of the varied key)
 * 'runs' times.  Run i of every arm has seed S + i, S the scenario's seed:
 * common random numbers, so that differences between arms are paired.
 * Each finished run is committed to the database in its own transaction;
 * runs already there (from an interrupted command) are skipped.  A
 * database made by another scenario, version or set of arms is refused.
 *
 * @param out receives the comparison (strife_compare_free), also when
 * interrupted.
 * @return STRIFE_OK; STRIFE_ECANCELED when interrupted (*out set);
 * STRIFE_EINVAL, STRIFE_EIO with 'diag'; STRIFE_ENOMEM.
 */
STRIFE_API int strife_compare_run(const strife_compare_opts *o,
                                  strife_compare **out, strife_diag *diag);
/** Runs committed by this call, and runs found already done. */
STRIFE_API uint64_t strife_compare_ran(const strife_compare *c);
STRIFE_API uint64_t strife_compare_skipped(const strife_compare *c);
/**
 * The comparison as text: for each outcome, each arm's mean and 5-95 %
 * band over the runs in the database, and for each pair of arms the paired
 * mean difference with its 90 % interval and the share of runs in which
 * the first arm does better.  Returns a malloc'd string, or NULL.
 */
STRIFE_API char *strife_compare_table(const strife_compare *c);
STRIFE_API void strife_compare_free(strife_compare *c);

/** A parameter varied by a sweep or a sensitivity analysis: a numeric
    scenario key and its range (integer keys take the nearest integer),
    and for a grid sweep its number of evenly spaced values, ends
    included. */
typedef struct strife_param_range {
  const char *key;
  double lo, hi;
  unsigned steps; /* grid sweep: 2 .. 1000; otherwise 0 */
} strife_param_range;

/** What strife_sweep_run runs. */
typedef struct strife_sweep_opts {
  strife_experiment_opts exp;
  const strife_param_range *params; /* 1 .. 20 parameters */
  size_t n_params;
  uint32_t samples; /* Latin hypercube points; 0: the grid of the steps */
  uint32_t runs;    /* runs per point (seeds S + 0 .. S + runs - 1) */
  const char *const *outcomes; /* outcomes reported; none: IS-K fighters
                                  at the end, attacks, public legitimacy */
  size_t n_outcomes;
} strife_sweep_opts;

typedef struct strife_sweep strife_sweep;

/**
 * Runs every point of a grid (every combination of the parameters'
 * steps) or of a Latin hypercube sample ('samples' points, one in each of
 * 'samples' equal slices of every range) 'runs' times, on the same seeds at
 * every point, into the results database like strife_compare_run.
 *
 * @return as strife_compare_run.
 */
STRIFE_API int strife_sweep_run(const strife_sweep_opts *o, strife_sweep **out,
                                strife_diag *diag);
STRIFE_API uint64_t strife_sweep_ran(const strife_sweep *s);
STRIFE_API uint64_t strife_sweep_skipped(const strife_sweep *s);
/** A row a point: the parameters' values, then each outcome's mean and
    5-95 % band over the runs; malloc'd, or NULL. */
STRIFE_API char *strife_sweep_table(const strife_sweep *s);
STRIFE_API void strife_sweep_free(strife_sweep *s);

/** What strife_sensitivity_run runs. */
typedef struct strife_sensitivity_opts {
  strife_experiment_opts exp;
  const strife_param_range *params; /* 1 .. 20 parameters */
  size_t n_params;
  const char *method; /* "sobol" or "morris" */
  /* Sobol: N, the rows of each of Saltelli's matrices, N (k + 2) runs;
     Morris: r, the trajectories, r (k + 1) runs. */
  uint32_t samples;
  unsigned levels;             /* Morris: grid levels p, even (0: 4) */
  uint32_t boot;               /* bootstrap resamples (0: 500) */
  const char *const *outcomes; /* outcomes reported; none: all */
  size_t n_outcomes;
} strife_sensitivity_opts;

typedef struct strife_sensitivity strife_sensitivity;

/**
 * Runs every point of the design once, all on the scenario's seed (so
 * that differences between points come from the parameters), each into
 * the results database like strife_compare_run's runs (one arm a point),
 * then estimates: Sobol first- and total-order indices (Saltelli's design
 * on a Sobol sequence, Jansen's estimators) or Morris's mu* and sigma,
 * with percentile-bootstrap 95 % intervals.
 *
 * @return as strife_compare_run.
 */
STRIFE_API int strife_sensitivity_run(const strife_sensitivity_opts *o,
                                      strife_sensitivity **out,
                                      strife_diag *diag);
STRIFE_API uint64_t strife_sensitivity_ran(const strife_sensitivity *s);
STRIFE_API uint64_t strife_sensitivity_skipped(const strife_sensitivity *s);
/** The parameters ranked per outcome (by total index, or by mu*), with
    their intervals; malloc'd, or NULL. */
STRIFE_API char *strife_sensitivity_table(const strife_sensitivity *s);
STRIFE_API void strife_sensitivity_free(strife_sensitivity *s);

/** What strife_calibrate_run runs: approximate Bayesian computation by
    sequential Monte Carlo (docs/calibration.md) of the free parameters the
    scenario marks (calibration.free) against its targets
    (calibration.targets). */
typedef struct strife_calibrate_opts {
  strife_experiment_opts exp;
  uint32_t particles;   /* posterior sample size, 2 .. 100000 */
  unsigned generations; /* at most, 1 .. 100 */
  double quantile;      /* each tolerance: this quantile of the last
                           generation's distances, in (0, 1) */
  uint32_t runs;        /* runs a proposal, their outcomes averaged */
  uint32_t batch;       /* proposals run at once, at most; 0: particles */
  double min_accept;    /* stop below this acceptance rate, [0, 1) */
  uint64_t budget;      /* proposals at most; 0: no limit */
  const char *out;      /* directory for posterior.csv and the calibrated
                           scenario */
} strife_calibrate_opts;

typedef struct strife_calibration strife_calibration;

/**
 * Fits the scenario's free parameters.  Every proposal's runs go into the
 * results database (arm = proposal, seeds S + arm * runs + rep), so that
 * an interrupted calibration resumes where it stopped.  On success writes
 * 'out'/posterior.csv (every generation's particles) and
 * 'out'/NAME.calibrated.json (the scenario with each free parameter at its
 * weighted posterior median, cited), and the last generation into the
 * database's posterior table.
 * @return STRIFE_OK; STRIFE_ECANCELED when interrupted (*out set, nothing
 * written); STRIFE_EINVAL, STRIFE_ESCENARIO, STRIFE_EIO with 'diag';
 * STRIFE_ENOMEM.
 */
STRIFE_API int strife_calibrate_run(const strife_calibrate_opts *o,
                                    strife_calibration **out,
                                    strife_diag *diag);
STRIFE_API uint64_t strife_calibration_ran(const strife_calibration *c);
STRIFE_API uint64_t strife_calibration_skipped(const strife_calibration *c);
/** The generations, the posterior of each parameter and the fit of each
    target, as text (malloc'd), or NULL. */
STRIFE_API char *strife_calibration_table(const strife_calibration *c);
STRIFE_API void strife_calibration_free(strife_calibration *c);

/**
 * Experiments over MPI ranks (docs/cluster.md).  Built with STRIFE_MPI and
 * started under mpirun, strife_dist_begin joins the job (MPI_Init) and
 * every experiment spreads its runs over the ranks: rank 0 hands them
 * out and alone writes the results database and any file; the other ranks
 * run.  Every rank runs the same command.  Without MPI there is one rank
 * and these do nothing.  Returns STRIFE_OK, or STRIFE_EIO when MPI cannot
 * start.
 */
STRIFE_API int strife_dist_begin(int *argc, char ***argv);
/** Leaves the MPI job (MPI_Finalize), if strife_dist_begin joined it. */
STRIFE_API void strife_dist_end(void);
/** This process's rank (0 without MPI), and the number of ranks. */
STRIFE_API int strife_dist_rank(void);
STRIFE_API int strife_dist_size(void);

#ifdef __cplusplus
}
#endif

#endif
