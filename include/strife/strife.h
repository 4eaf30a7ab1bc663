/* SPDX-License-Identifier: MIT */
/*
 * strife: a simulator of insurgency, terrorism, counter-terrorism and state
 * legitimacy.  This header is the whole public API and its specification.
 *
 * Ownership, for every function below:
 *   - Arguments are borrowed: the library keeps no pointer to them after
 *     the call returns.
 *   - An object returned by a _create or _load function belongs to the
 *     caller until the matching _destroy.  _destroy(NULL) does nothing.
 *   - A 'const char *' returned by a getter is owned by the handle and
 *     stays valid until the handle is destroyed (or, for _errmsg, until
 *     the next call on the handle).
 *   - On failure an object is left as it was.
 *
 * Threads: distinct handles may be used from distinct threads at once; one
 * handle is used by one thread at a time.  A scenario may be shared by any
 * number of simulations, read-only.
 *
 * Misuse (a NULL handle where one is required, stepping a finished run) is
 * a programming error, caught by assert, not a status.
 */
#ifndef STRIFE_STRIFE_H
#define STRIFE_STRIFE_H

#include <stddef.h>
#include <stdint.h>

#include <strife/error.h>
#include <strife/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The library's STRIFE_VERSION_NUM. */
STRIFE_API int strife_version_num(void);
/** The library's STRIFE_VERSION_STRING. */
STRIFE_API const char *strife_version_string(void);

/* ---------------------------------------------------------------------- */
/* Configuration                                                          */
/* ---------------------------------------------------------------------- */

/**
 * Allocator, as in Lua: 'nsize' 0 frees 'ptr' and returns NULL; otherwise
 * it returns a block of 'nsize' bytes holding the first min(osize, nsize)
 * bytes of 'ptr' (NULL 'ptr': a new block), or NULL on failure with 'ptr'
 * left intact.
 */
typedef void *(*strife_alloc_fn)(void *ud, void *ptr, size_t osize,
                                 size_t nsize);

/** Log levels of strife_log_fn. */
enum strife_log_level { STRIFE_LOG_ERROR, STRIFE_LOG_WARN, STRIFE_LOG_INFO };

/** Log callback: one line, without its newline. */
typedef void (*strife_log_fn)(void *ud, int level, const char *msg);

/**
 * What a simulation depends on, injected at creation.  Initialise with
 * strife_config_init() and change only the fields you need.
 */
typedef struct strife_config {
  strife_alloc_fn alloc; /* NULL: the C library's malloc/realloc/free */
  void *alloc_ud;
  /* Threads for the parallel update; 0 lets OpenMP choose.  Outputs do not
     depend on it. */
  unsigned threads;
  /* When 'seed_set' is nonzero, 'seed' replaces the scenario's run.seed. */
  int seed_set;
  uint64_t seed;
  strife_log_fn log; /* NULL: silent */
  void *log_ud;
  /* Optional: strife_run stops between ticks once *cancel is nonzero. */
  const volatile int *cancel;
} strife_config;

/** Fills 'cfg' with the defaults described in strife_config. */
STRIFE_API void strife_config_init(strife_config *cfg);

/* ---------------------------------------------------------------------- */
/* Models                                                                 */
/* ---------------------------------------------------------------------- */

/**
 * A model: its scenario keys, how it steps, and what it reports (its
 * tables and outcomes).  The library's own are listed by
 * strife_models_builtin(); a program may add models of its own
 * (src/core/model.h describes the type table) and pass its list to
 * strife_scenario_load_with() and to the experiments.
 */
typedef struct strife_model_type strife_model_type;

/** The built-in models, NULL-terminated; the first is the default of a
    scenario that names none. */
STRIFE_API const strife_model_type *const *strife_models_builtin(void);

/** The model's name, as a scenario's "model" key gives it. */
STRIFE_API const char *strife_model_name(const strife_model_type *m);
/** One sentence on what the model simulates. */
STRIFE_API const char *strife_model_doc(const strife_model_type *m);

/** Most outcomes a model may declare. */
#define STRIFE_OUTCOMES_MAX 64

/** An outcome: one number each run ends with. */
typedef struct strife_outcome_info {
  const char *name;  /* "isk_fighters_end" */
  const char *unit;  /* "fighters", or "" */
  int better;        /* +1 more is better, -1 less is, 0 neither */
  const char *label; /* its line in a run's printed summary, or NULL */
  int decimals;      /* decimals of that line */
  int key;           /* reported by default where not all are */
} strife_outcome_info;

/** Number of outcomes of 'm' (at most STRIFE_OUTCOMES_MAX). */
STRIFE_API size_t strife_model_outcome_count(const strife_model_type *m);
/** Outcome 'i' (< strife_model_outcome_count) of 'm' into 'out'. */
STRIFE_API void strife_model_outcome(const strife_model_type *m, size_t i,
                                     strife_outcome_info *out /* OUT */);
/** Number of tables a run of 'm' writes (each a file of strife_run). */
STRIFE_API size_t strife_model_table_count(const strife_model_type *m);
/** The file name of table 'i' of 'm' ("national.csv"). */
STRIFE_API const char *strife_model_table_file(const strife_model_type *m,
                                               size_t i);

/* ---------------------------------------------------------------------- */
/* Scenarios                                                              */
/* ---------------------------------------------------------------------- */

typedef struct strife_scenario strife_scenario;

/** Largest scenario file accepted, in bytes. */
#define STRIFE_SCENARIO_MAX_BYTES (1u << 20)

/**
 * Reads, checks and completes with defaults the scenario in file 'path',
 * then applies the overrides 'sets' ("KEY=VALUE", 'n_sets' of them, in
 * order; VALUE is JSON, or a bare word taken as a string).
 *
 * Every key must be known, of the documented type and inside its range;
 * unknown keys are refused.  On failure nothing is returned and 'diag'
 * (may be NULL) says where: file, line, column and key, or "--set" and the
 * key for an override.
 *
 * @param out receives the scenario; unchanged on failure.
 * @return STRIFE_OK; STRIFE_EIO if the file cannot be read; STRIFE_ELIMIT
 * if it is larger than STRIFE_SCENARIO_MAX_BYTES or asks for more agents
 * than the library accepts; STRIFE_ESYNTAX for malformed JSON or a
 * malformed override; STRIFE_ESCENARIO for a key or value that is wrong;
 * STRIFE_ENOMEM.
 */
STRIFE_API int strife_scenario_load(const char *path, const char *const *sets,
                                    size_t n_sets,
                                    strife_scenario **out /* OUT */,
                                    strife_diag *diag);

/**
 * As strife_scenario_load, from 'len' bytes at 'text' ('name' is used as
 * the file name in diagnostics).  The text need not be NUL-terminated.
 */
STRIFE_API int strife_scenario_parse(const char *text, size_t len,
                                     const char *name, const char *const *sets,
                                     size_t n_sets,
                                     strife_scenario **out /* OUT */,
                                     strife_diag *diag);

/**
 * As strife_scenario_load, with the models of 'models' (NULL-terminated;
 * NULL: strife_models_builtin()), the first the default.  The list must
 * outlive the scenario and everything made from it.
 */
STRIFE_API int strife_scenario_load_with(const strife_model_type *const *models,
                                         const char *path,
                                         const char *const *sets, size_t n_sets,
                                         strife_scenario **out /* OUT */,
                                         strife_diag *diag);
/** As strife_scenario_parse, with the models of 'models'. */
STRIFE_API int
strife_scenario_parse_with(const strife_model_type *const *models,
                           const char *text, size_t len, const char *name,
                           const char *const *sets, size_t n_sets,
                           strife_scenario **out /* OUT */, strife_diag *diag);

/** Frees 'sc'; NULL does nothing. */
STRIFE_API void strife_scenario_destroy(strife_scenario *sc);

/** The scenario's name (its "name" key, or the file's base name). */
STRIFE_API const char *strife_scenario_name(const strife_scenario *sc);

/** The name of the model the scenario runs. */
STRIFE_API const char *strife_scenario_model(const strife_scenario *sc);

/** The model the scenario runs. */
STRIFE_API const strife_model_type *
strife_scenario_model_type(const strife_scenario *sc);

/** Number of ticks to run (run.ticks). */
STRIFE_API int64_t strife_scenario_ticks(const strife_scenario *sc);

/** Master seed (run.seed). */
STRIFE_API uint64_t strife_scenario_seed(const strife_scenario *sc);

/**
 * The complete scenario with every default filled in, as canonical JSON
 * (keys sorted, compact).  Two scenarios that run the same have the same
 * text.
 */
STRIFE_API const char *strife_scenario_json(const strife_scenario *sc);

/**
 * Identity of the complete scenario: "fnv1a64:" and 16 hex digits of the
 * 64-bit FNV-1a hash of strife_scenario_json().  The seed is part of it.
 */
STRIFE_API const char *strife_scenario_hash(const strife_scenario *sc);

/** What a scenario key is, for help texts and documentation. */
typedef struct strife_key_info {
  const char *key;   /* dotted path, "lattice.width" */
  const char *type;  /* "integer", "number", "string", "boolean",
                        "schedule", or "one of a|b|c" */
  const char *unit;  /* "cells", "ticks", "" */
  const char *range; /* "1..65535", "[0, 1]", "" */
  const char *deflt; /* default as JSON text; "(required)" if none */
  const char *doc;   /* one sentence */
  const char *model; /* "" for every model, else the model's name */
} strife_key_info;

/** Number of scenario keys known to the library. */
STRIFE_API size_t strife_key_count(void);
/** Key number 'i' (< strife_key_count()) into 'out'. */
STRIFE_API void strife_key_get(size_t i, strife_key_info *out /* OUT */);

/* ---------------------------------------------------------------------- */
/* The observed record                                                    */
/* ---------------------------------------------------------------------- */

/**
 * A file of the observed record (data/observed/, docs/record.md): the
 * figures the model is checked or fitted against, one record each.
 */
typedef struct strife_record strife_record;

/** One observed figure.  Strings live as long as the record; 'place',
    'notes' and 'unscored' are NULL when absent. */
typedef struct strife_observation {
  const char *quantity; /* strife_record_quantity() names them */
  int64_t start, end;   /* the period, days since 1970-01-01, inclusive */
  double value;         /* one figure, or NAN */
  double low, high;     /* a range, or NAN */
  const char *gap;      /* a figure looked for and not found, or NULL */
  const char *unit, *place, *definition, *source, *confidence, *notes;
  /* Why the model is not scored against the figure (another definition, a
     subset, one attack's toll), or NULL. */
  const char *unscored;
} strife_observation;

/**
 * Reads and checks a record file: a JSON object {"about", "records"},
 * each record with its quantity, period, one of value / low and high /
 * gap, unit, definition, source and confidence.  Returns STRIFE_OK, or
 * STRIFE_ESYNTAX / STRIFE_ESCENARIO / STRIFE_EIO / STRIFE_ELIMIT with
 * 'diag' naming the file, line, column and key.
 */
STRIFE_API int strife_record_load(const char *path, strife_record **out,
                                  strife_diag *diag);
/** As strife_record_load, from 'len' bytes at 'text' ('name' names it). */
STRIFE_API int strife_record_parse(const char *text, size_t len,
                                   const char *name, strife_record **out,
                                   strife_diag *diag);
/** Frees 'r'; NULL does nothing. */
STRIFE_API void strife_record_destroy(strife_record *r);
/** Number of records. */
STRIFE_API size_t strife_record_count(const strife_record *r);
/** Record 'i', or NULL past the end. */
STRIFE_API const strife_observation *strife_record_get(const strife_record *r,
                                                       size_t i);
/** Name of quantity 'i' (NULL past the last), and what it counts into
 *what unless 'what' is NULL. */
STRIFE_API const char *strife_record_quantity(size_t i, const char **what);

/* ---------------------------------------------------------------------- */
/* Simulations                                                            */
/* ---------------------------------------------------------------------- */

typedef struct strife_sim strife_sim;

/**
 * Creates a simulation of 'sc' at tick 0: agents placed, nothing updated.
 * 'cfg' may be NULL for the defaults.
 *
 * @return STRIFE_OK; STRIFE_ENOMEM; STRIFE_ENOTSUP if the scenario asks
 * for a combination the model cannot run ('diag' says which).
 */
STRIFE_API int strife_sim_create(const strife_scenario *sc,
                                 const strife_config *cfg,
                                 strife_sim **out /* OUT */, strife_diag *diag);

/** Frees 'sim'; NULL does nothing. */
STRIFE_API void strife_sim_destroy(strife_sim *sim);

/** Nonzero once the scenario's run.ticks ticks have been run. */
STRIFE_API int strife_sim_done(const strife_sim *sim);

/** Ticks run so far. */
STRIFE_API int64_t strife_sim_tick(const strife_sim *sim);

/**
 * Runs one tick, and the model's observation of it (which resets what
 * the model accumulates for its reports).  Must not be called once
 * strife_sim_done() is true, nor after it failed.
 * @return STRIFE_OK; STRIFE_ENOMEM, or another error of the model, with
 * strife_sim_errmsg() saying what failed.
 */
STRIFE_API int strife_sim_step(strife_sim *sim);

/** Detail of the last failure on 'sim', "" if none. */
STRIFE_API const char *strife_sim_errmsg(const strife_sim *sim);

/**
 * The model's outcomes after the ticks run so far, into 'out'
 * (strife_model_outcome_count of them; NAN where not defined yet).
 */
STRIFE_API void strife_sim_outcomes(const strife_sim *sim,
                                    double *out /* OUT */);

/** Population counts of the civil-violence lattices (zeros for a model
    without them). */
typedef struct strife_counts {
  uint64_t quiet;   /* free citizens not active */
  uint64_t active;  /* free citizens in open rebellion */
  uint64_t jailed;  /* citizens in jail */
  uint64_t cops;    /* cops on the lattice */
  uint64_t arrests; /* arrests made during the last tick */
} strife_counts;

/** The counts after the last tick (after placement at tick 0). */
STRIFE_API void strife_sim_counts(const strife_sim *sim,
                                  strife_counts *out /* OUT */);

/** Bins of strife_proximity: 0 .. STRIFE_PROXIMITY_BINS-2 cops seen, and
    the last bin for that many or more. */
#define STRIFE_PROXIMITY_BINS 9

/**
 * How activity depends on the presence of cops: the aggrieved free
 * citizens (grievance above the threshold, so that they would be active
 * with no cop in sight) counted by the number of cops inside their
 * vision, and how many of each are active.  Costs one neighbourhood scan
 * per citizen.
 */
typedef struct strife_proximity {
  uint64_t citizens[STRIFE_PROXIMITY_BINS];
  uint64_t active[STRIFE_PROXIMITY_BINS];
} strife_proximity;

/** Fills 'out' for the current state of 'sim'. */
STRIFE_API void strife_sim_proximity(const strife_sim *sim,
                                     strife_proximity *out /* OUT */);

/** Bytes of memory the simulation holds (agents, lattice, buffers). */
STRIFE_API size_t strife_sim_memory(const strife_sim *sim);

/** Number of agents (citizens and cops, including cops held in reserve). */
STRIFE_API uint64_t strife_sim_agents(const strife_sim *sim);

/* ---------------------------------------------------------------------- */
/* Runs with outputs                                                      */
/* ---------------------------------------------------------------------- */

/** What strife_run did. */
typedef struct strife_run_result {
  int64_t ticks;       /* ticks run */
  int interrupted;     /* nonzero when stopped through cfg->cancel */
  strife_counts final; /* counts after the last tick run */
  double wall_seconds; /* time spent stepping */
  uint64_t seed;       /* seed used */
  uint64_t agents;     /* agents simulated (strife_sim_agents) */
  size_t n_outcomes;   /* strife_model_outcome_count of the model */
  double outcomes[STRIFE_OUTCOMES_MAX]; /* their values; NAN: undefined */
} strife_run_result;

/**
 * Runs 'sc' to its end (or until *cfg->cancel) and writes, into directory
 * 'out_dir' (created if missing), a file for each table of the model
 * (strife_model_table_file; docs/outputs.md), summary.json (what the run
 * was, and its outcomes) and scenario.json (the complete scenario run).
 * The files are written under temporary names and renamed into place only
 * once every one of them is written whole, so that a failure leaves the
 * files of an earlier run as they were.  An interrupted run writes the
 * ticks it completed and says so in summary.json.  'out_dir' NULL runs
 * without writing anything.
 *
 * @param res receives what the run did (may be NULL).
 * @return STRIFE_OK; STRIFE_ECANCELED when interrupted (outputs written);
 * STRIFE_EIO with 'diag' naming the file; STRIFE_ENOMEM; as
 * strife_sim_create.
 */
STRIFE_API int strife_run(const strife_scenario *sc, const strife_config *cfg,
                          const char *out_dir, strife_run_result *res /* OUT */,
                          strife_diag *diag);

/* ---------------------------------------------------------------------- */
/* Randomness                                                             */
/* ---------------------------------------------------------------------- */

/**
 * A uniform double in [0, 1) that is a pure function of its arguments
 * (Philox4x32-10 keyed by 'seed', counter ('id', 'step', 'stream', 0)):
 * the same on every machine, thread and rank.
 */
STRIFE_API double strife_rand_u01(uint64_t seed, uint32_t id, uint32_t step,
                                  uint32_t stream);

#ifdef __cplusplus
}
#endif

#endif
