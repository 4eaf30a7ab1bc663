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

/**
 * The MPI job an experiment's runs are spread over (docs/cluster.md).
 * Built with STRIFE_MPI and started by mpirun, a program joins the job
 * with strife_mpi_create and passes the handle in strife_experiment_opts:
 * rank 0 hands the runs out and alone writes the results database and any
 * file; the other ranks run.  Every rank runs the same experiment.
 */
typedef struct strife_mpi strife_mpi;

/**
 * Joins the MPI job (MPI_Init, unless the program did).  Call it only
 * when the process was started by an MPI launcher.
 * @return STRIFE_OK; STRIFE_ENOTSUP in a build without MPI; STRIFE_EIO
 * when MPI cannot start; STRIFE_ENOMEM.
 */
STRIFE_API int strife_mpi_create(int *argc, char ***argv,
                                 strife_mpi **out /* OUT */);
/** Leaves the job (MPI_Finalize, if strife_mpi_create called MPI_Init);
    NULL does nothing. */
STRIFE_API void strife_mpi_destroy(strife_mpi *m);
/** This process's rank, and the number of ranks (NULL: 0 and 1). */
STRIFE_API int strife_mpi_rank(const strife_mpi *m);
STRIFE_API int strife_mpi_size(const strife_mpi *m);

/** What every experiment takes. */
typedef struct strife_experiment_opts {
  const char *scenario;    /* scenario file, of any model */
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
  /* The models the scenario may name (NULL-terminated); NULL: the
     built-in ones. */
  const strife_model_type *const *models;
  /* The MPI job to spread the runs over; NULL: this process alone. */
  strife_mpi *mpi;
  /* A posterior sample (CSV: a column per key, as strife calibrate's
     posterior.csv; docs/calibration.md): run r of every arm takes the
     values of one row drawn by its weight from the seed and r alone, so
     that arms stay paired; what the arm or --set sets wins.  NULL: the
     scenario's values. */
  const char *posterior;
  /* With a posterior: each run also draws every value of the scenario's
     calibration.screen that the sample does not hold, uniformly over its
     range, from the stream its row is drawn from (docs/calibration.md),
     so that answers carry the assumptions' uncertainty as well. */
  int assumptions;
} strife_experiment_opts;

/**
 * An experiment: what every experiment function returns, also when
 * interrupted.  Whatever its kind, it says how many runs it ran and found,
 * and gives its results as a text table.
 */
typedef struct strife_experiment strife_experiment;

/** Runs committed by the call that made 'x', and runs found already
    done in its database. */
STRIFE_API uint64_t strife_experiment_ran(const strife_experiment *x);
STRIFE_API uint64_t strife_experiment_skipped(const strife_experiment *x);
/** The results as text (what each experiment's function says); malloc'd,
    or NULL. */
STRIFE_API char *strife_experiment_table(const strife_experiment *x);
/** Frees 'x'; NULL does nothing. */
STRIFE_API void strife_experiment_destroy(strife_experiment *x);

/** An arm of a comparison: a name and the overrides that make it. */
typedef struct strife_arm {
  const char *label;
  const char *const *sets; /* KEY=VALUE, applied after the common ones */
  size_t n_sets;
} strife_arm;

/** What strife_compare_run runs. */
typedef struct strife_compare_opts {
  strife_experiment_opts exp;
  const strife_arm *arms; /* named sets of overrides, or: */
  size_t n_arms;
  const char *const *policies; /* an arm per value of the key "policy" */
  size_t n_policies;
  const char *vary_key;           /* a key crossed with the arms, or NULL */
  const char *const *vary_values; /* its values (JSON or bare words) */
  size_t n_vary;
  uint32_t runs; /* runs per arm, 1 .. 1000000 */
} strife_compare_opts;

/**
 * Runs every arm (each named set or policy, crossed with each value of
 * the varied key; with neither, the scenario crossed with the values)
 * 'runs' times.  Run i of every arm has seed S + i, S the scenario's seed:
 * common random numbers, so that differences between arms are paired.
 * Each finished run is committed to the database in its own transaction;
 * runs already there (from an interrupted command) are skipped.  A
 * database made by another scenario, version or set of arms is refused.
 *
 * The table: for each outcome of the model, each arm's mean and 5-95 %
 * band over the runs in the database, and for each pair of arms the
 * paired mean difference with its 90 % interval and the share of runs in
 * which the first arm does better.
 *
 * @param out receives the comparison, also when interrupted.
 * @return STRIFE_OK; STRIFE_ECANCELED when interrupted (*out set);
 * STRIFE_EINVAL, STRIFE_EIO with 'diag'; STRIFE_ENOMEM.
 */
STRIFE_API int strife_compare_run(const strife_compare_opts *o,
                                  strife_experiment **out, strife_diag *diag);

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
  const char *const *outcomes; /* outcomes reported; none: the model's key
                                  outcomes (strife_outcome_info.key) */
  size_t n_outcomes;
} strife_sweep_opts;

/**
 * Runs every point of a grid (every combination of the parameters'
 * steps) or of a Latin hypercube sample ('samples' points, one in each of
 * 'samples' equal slices of every range) 'runs' times, on the same seeds at
 * every point, into the results database like strife_compare_run.  The
 * table: a row a point, the parameters' values, then each outcome's mean
 * and 5-95 % band over the runs.
 *
 * @return as strife_compare_run.
 */
STRIFE_API int strife_sweep_run(const strife_sweep_opts *o,
                                strife_experiment **out, strife_diag *diag);

/** What strife_sensitivity_run runs. */
typedef struct strife_sensitivity_opts {
  strife_experiment_opts exp;
  const strife_param_range *params; /* Sobol: 1 .. 20; Morris: 1 .. 128 */
  size_t n_params;
  const char *method; /* "sobol" or "morris" */
  /* Sobol: N, the rows of each of Saltelli's matrices, N (k + 2) runs;
     Morris: r, the trajectories, r (k + 1) runs. */
  uint32_t samples;
  unsigned levels;             /* Morris: grid levels p, even (0: 4) */
  uint32_t boot;               /* bootstrap resamples (0: 500) */
  const char *const *outcomes; /* outcomes reported; none: all */
  size_t n_outcomes;
  /* With record files or directories: one more output, record_distance,
     each point's distance from the record's figures inside the fit window
     (strife_calibrate_opts's, of its one run), tolerance record_sd. */
  const char *const *records;
  size_t n_records;
  double record_sd;
  /* Instead of params: every range of the scenario's calibration.screen
     (Morris only). */
  int screen;
} strife_sensitivity_opts;

/**
 * Runs every point of the design once, all on the scenario's seed (so
 * that differences between points come from the parameters), each into
 * the results database like strife_compare_run's runs (one arm a point),
 * then estimates: Sobol first- and total-order indices (Saltelli's design
 * on a Sobol sequence, Jansen's estimators) or Morris's mu* and sigma,
 * with percentile-bootstrap 95 % intervals.  The table: the parameters
 * ranked per outcome (by total index, or by mu*), with their intervals.
 *
 * @return as strife_compare_run.
 */
STRIFE_API int strife_sensitivity_run(const strife_sensitivity_opts *o,
                                      strife_experiment **out,
                                      strife_diag *diag);

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
  /* Fit also to the figures of these record files or directories that
     lie inside the fit window (strife_score_run's), each a target on the
     log scale with tolerance record_sd; none: the targets alone. */
  const char *const *records;
  size_t n_records;
  double record_sd;
} strife_calibrate_opts;

/**
 * Fits the scenario's free parameters.  Every proposal's runs go into the
 * results database (arm = proposal, seeds S + arm * runs + rep), so that
 * an interrupted calibration resumes where it stopped.  On success writes
 * 'out'/posterior.csv (every generation's particles) and
 * 'out'/NAME.calibrated.json (the scenario with each free parameter at its
 * weighted posterior median, cited), and the last generation into the
 * database's posterior table.  The table: the generations, the posterior
 * of each parameter and the fit of each target.
 * @return STRIFE_OK; STRIFE_ECANCELED when interrupted (*out set, nothing
 * written); STRIFE_EINVAL, STRIFE_ESCENARIO, STRIFE_EIO with 'diag';
 * STRIFE_ENOMEM.
 */
STRIFE_API int strife_calibrate_run(const strife_calibrate_opts *o,
                                    strife_experiment **out, strife_diag *diag);

/** What strife_score_run runs (docs/score.md). */
typedef struct strife_score_opts {
  strife_experiment_opts exp;
  /* Record files or directories of them (their *.json files); none:
     data/observed. */
  const char *const *records;
  size_t n_records;
  uint32_t runs;    /* runs of the scenario (seeds S .. S + runs - 1) */
  const char *from; /* read the runs of this results database instead */
  const char *arm;  /* with 'from': the arm of this label (NULL: the
                       first) */
  const char *csv;  /* write every scored figure to this CSV file */
} strife_score_opts;

/**
 * Scores an ensemble of the scenario against the observed record
 * (strife_record_load).  The runs are made into the results database
 * like strife_compare_run's (one arm), or read from the database 'from'
 * (any experiment's).  Each figure of the record that the model has a
 * series for (not a gap, not marked unscored, of a quantity, place and
 * unit the model measures, over a period inside the days run) is read
 * off every run: summed over its period, or averaged for a level.  The
 * table gives, in the scenario's fit window (calibration.window) and
 * after it apart, each figure with the ensemble's median and 90 % band,
 * whether the figure (or its range) lies inside, and its CRPS; then the
 * coverage of each window.
 *
 * @return as strife_compare_run.
 */
STRIFE_API int strife_score_run(const strife_score_opts *o,
                                strife_experiment **out, strife_diag *diag);

/** The figures scored in the fit window (out_of_window 0) or after it,
    and how many of them lie inside the ensemble's 90 % band.
    STRIFE_EINVAL when 'x' is not a score. */
STRIFE_API int strife_score_coverage(const strife_experiment *x,
                                     int out_of_window, size_t *inside,
                                     size_t *scored);

#ifdef __cplusplus
}
#endif

#endif
