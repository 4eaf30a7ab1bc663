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

/** What strife_compare runs. */
typedef struct strife_compare_opts {
  const char *scenario;    /* scenario file (an Afghan scenario) */
  const char *const *sets; /* KEY=VALUE overrides for every arm */
  size_t n_sets;
  const char *const *policies; /* presets compared; at least one */
  size_t n_policies;
  const char *vary_key;           /* a key crossed with the policies, or NULL */
  const char *const *vary_values; /* its values (JSON or bare words) */
  size_t n_vary;
  uint32_t runs;       /* runs per arm, 1 .. 1000000 */
  unsigned threads;    /* 0: as many as OpenMP offers */
  const char *db;      /* the results database (SQLite) */
  const char *command; /* the command line, kept as provenance */
  /* When *cancel becomes nonzero no new run starts; the runs in flight
     finish and are kept. */
  volatile const int *cancel;
  /* Called after each run is committed, from one thread at a time. */
  void (*progress)(void *ud, uint64_t done, uint64_t total);
  void *progress_ud;
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

#ifdef __cplusplus
}
#endif

#endif
