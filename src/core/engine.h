/* SPDX-License-Identifier: MIT */
/*
 * The one step loop, and the sinks it hands observations to.
 *
 * A sink is a method table (as SQLite's VFS is): it hears that a run
 * begins (what it is), takes each row the model observes, and hears that
 * it ends (how, and its outcomes).  What it does with them, a file, a
 * database, a record in memory, is its own; src/sinks has them.
 */
#ifndef STRIFE_CORE_ENGINE_H
#define STRIFE_CORE_ENGINE_H

#include "core.h"
#include "model.h"

/* What a run is, for its sinks. */
struct strife__run_facts {
  const strife_scenario *sc;
  const struct strife_model_type *type;
  uint64_t seed;
  double scale;    /* people per agent */
  uint64_t agents; /* agents simulated */
  size_t bytes;    /* bytes of the model's state */
  int dated;
  int64_t start_day;
};

/* How a run ended. */
struct strife__run_end {
  int interrupted;
  int64_t ticks; /* ticks run */
  double wall_seconds;
  int64_t end_day;        /* the last day run (dated models) */
  const double *outcomes; /* schema->n_outcomes */
  strife_counts final;    /* population counts at the end */
};

struct strife__sink;

struct strife__sink_ops {
  /* A run begins; 'diag' (kept until end) receives any failure. */
  int (*begin)(struct strife__sink *s, const struct strife__run_facts *f,
               strife_diag *diag);
  /* A row of table 'table' (valid during the call). */
  int (*row)(struct strife__sink *s, int table, const union strife__cell *c);
  /* The run is over. */
  int (*end)(struct strife__sink *s, const struct strife__run_end *e);
};

/* A sink: implementations put this first in their own struct. */
struct strife__sink {
  const struct strife__sink_ops *ops;
};

/*
 * Runs 'sim' (made from 'sc') from where it is to its end, or until
 * *cancel becomes nonzero between ticks: tells the 'n' sinks it begins,
 * has the model observe its start, steps (each tick observed, calendar
 * months closed), has it observe its end, and tells the sinks how it
 * ended.  Timing covers the steps.  'end' (may be NULL) receives how it
 * ended; its outcomes point into 'outcomes' (STRIFE_OUTCOMES_MAX).
 * Returns STRIFE_OK (also when cancelled: end->interrupted), or the first
 * error of the model or a sink with 'diag'.
 */
STRIFE__FUNC int strife__engine_run(strife_sim *sim, const strife_scenario *sc,
                                    struct strife__sink *const *sinks, size_t n,
                                    const volatile int *cancel,
                                    double *outcomes,
                                    struct strife__run_end *end,
                                    strife_diag *diag);

#endif
