/* SPDX-License-Identifier: MIT */
/*
 * The simulation handle: creation from a scenario and a configuration,
 * the clock and its calendar, and the step: the model's tick, then its
 * observation.  Everything model-specific goes through the model's type
 * table (model.h).
 */
#include "sim.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/date.h"
#include "scenario/scenario.h"

struct strife_sim {
  struct strife__alloc alloc;
  const struct strife_model_type *type;
  void *state;
  struct strife__model_info info;
  int64_t tick, ticks;
  uint64_t seed;
  struct strife__observer obs;
  int failed; /* a step failed: the state is not to be stepped again */
  char errmsg[256];
};

void strife_config_init(strife_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
}

/* The observer of a simulation no one listens to. */
static int discard_row(void *ud, int table, const union strife__cell *cells) {
  (void)ud, (void)table, (void)cells;
  return STRIFE_OK;
}

/* The memory a process may have: the machine's, or less under a limit
   (ulimit -v, -d). */
static double memory_limit(void) {
  double have = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
  static const int which[2] = {RLIMIT_AS, RLIMIT_DATA};
  for (int i = 0; i < 2; i++) {
    struct rlimit r;
    if (getrlimit(which[i], &r) == 0 && r.rlim_cur != RLIM_INFINITY &&
        (have <= 0 || (double)r.rlim_cur < have))
      have = (double)r.rlim_cur;
  }
  return have;
}

static int check_memory(const struct strife_model_type *type,
                        const void *params, strife_diag *diag);

int strife__sim_fits(const strife_scenario *sc, strife_diag *diag) {
  return check_memory(strife__scenario_type(sc), strife__scenario_params(sc),
                      diag);
}

/* Refuses a state that would not fit, before a byte of it is made. */
static int check_memory(const struct strife_model_type *type,
                        const void *params, strife_diag *diag) {
  if (!type->footprint) return STRIFE_OK;
  double need = (double)type->footprint(params), have = memory_limit();
  if (have <= 0 || need <= have) return STRIFE_OK;
  strife__diag_set(diag, "",
                   "the %s model's state for this scenario needs about %.1f "
                   "GiB, more than the %.1f GiB of memory this process may "
                   "have: make the lattice smaller",
                   type->name, need / 1073741824.0, have / 1073741824.0);
  return STRIFE_ELIMIT;
}

int strife_sim_create(const strife_scenario *sc, const strife_config *cfg,
                      strife_sim **out, strife_diag *diag) {
  assert(sc && out);
  strife_diag_clear(diag);
  int rc = strife__model_check(strife__scenario_type(sc), diag);
  if (rc) return rc;
  rc = check_memory(strife__scenario_type(sc), strife__scenario_params(sc),
                    diag);
  if (rc) return rc;
  struct strife__alloc a;
  strife__alloc_init(&a, cfg);
  strife_sim *sim = strife__calloc(&a, 1, sizeof *sim);
  if (!sim) {
    strife__diag_set(diag, "", "out of memory creating the simulation");
    return STRIFE_ENOMEM;
  }
  sim->alloc = a;
  sim->type = strife__scenario_type(sc);
  sim->ticks = strife_scenario_ticks(sc);
  sim->obs.row = discard_row;
  sim->info.scale = 1.0;
  uint64_t seed = cfg && cfg->seed_set ? cfg->seed : strife_scenario_seed(sc);
  unsigned threads = cfg ? cfg->threads : 0;
  sim->seed = seed;
  rc = sim->type->create(&sim->state, &a, strife__scenario_params(sc), seed,
                         threads, &sim->info, diag);
  if (rc) {
    if (rc == STRIFE_ENOMEM && diag && !diag->msg[0])
      strife__diag_set(diag, "",
                       "out of memory allocating the %s model's state",
                       sim->type->name);
    strife__free(&a, sim, 1, sizeof *sim);
    return rc;
  }
  *out = sim;
  return STRIFE_OK;
}

void strife_sim_destroy(strife_sim *sim) {
  if (!sim) return;
  sim->type->destroy(sim->state);
  struct strife__alloc a = sim->alloc;
  strife__free(&a, sim, 1, sizeof *sim);
}

int strife_sim_done(const strife_sim *sim) {
  return sim->tick >= sim->ticks;
}

int64_t strife_sim_tick(const strife_sim *sim) {
  return sim->tick;
}

/* The observations the tick just run calls for: the tick, and on a
   calendar the end of a month (the last day run counts as one). */
static unsigned tick_observations(const strife_sim *sim) {
  unsigned when = STRIFE__OBS_TICK;
  if (!sim->info.dated) return when;
  int y, m, d;
  strife__date_ymd(sim->info.start_day + sim->tick, &y, &m, &d);
  if (d == 1 || strife_sim_done(sim)) when |= STRIFE__OBS_MONTH;
  return when;
}

int strife__sim_observe(strife_sim *sim, unsigned when) {
  int rc = sim->type->observe(sim->state, when, &sim->obs);
  if (rc && !sim->errmsg[0])
    snprintf(sim->errmsg, sizeof sim->errmsg, "observing tick %lld: %s",
             (long long)sim->tick, strife_strerror(rc));
  return rc;
}

int strife_sim_step(strife_sim *sim) {
  assert(sim && !strife_sim_done(sim) && !sim->failed);
  sim->errmsg[0] = '\0';
  int rc = sim->type->step(sim->state, sim->errmsg, sizeof sim->errmsg);
  if (rc) {
    sim->failed = 1;
    if (!sim->errmsg[0])
      snprintf(sim->errmsg, sizeof sim->errmsg, "tick %lld: %s",
               (long long)sim->tick + 1, strife_strerror(rc));
    return rc;
  }
  sim->tick++;
  rc = strife__sim_observe(sim, tick_observations(sim));
  if (rc) sim->failed = 1;
  return rc;
}

const char *strife_sim_errmsg(const strife_sim *sim) {
  return sim->errmsg;
}

void strife_sim_outcomes(const strife_sim *sim, double *out) {
  sim->type->outcomes(sim->state, out);
}

void strife_sim_counts(const strife_sim *sim, strife_counts *out) {
  memset(out, 0, sizeof *out);
  if (sim->type->counts) sim->type->counts(sim->state, out);
}

void strife_sim_proximity(const strife_sim *sim, strife_proximity *out) {
  memset(out, 0, sizeof *out);
  if (sim->type->proximity) sim->type->proximity(sim->state, out);
}

size_t strife_sim_memory(const strife_sim *sim) {
  return sizeof *sim + sim->type->memory(sim->state);
}

uint64_t strife_sim_agents(const strife_sim *sim) {
  return sim->type->agents(sim->state);
}

void *strife__sim_state(strife_sim *sim) {
  return sim->state;
}

const struct strife_model_type *strife__sim_type(const strife_sim *sim) {
  return sim->type;
}

const struct strife__model_info *strife__sim_info(const strife_sim *sim) {
  return &sim->info;
}

void strife__sim_listen(strife_sim *sim, const struct strife__observer *obs) {
  if (obs)
    sim->obs = *obs;
  else
    sim->obs = (struct strife__observer){discard_row, NULL};
}

uint64_t strife__sim_seed(const strife_sim *sim) {
  return sim->seed;
}
