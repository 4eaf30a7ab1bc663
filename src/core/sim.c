/* SPDX-License-Identifier: MIT */
/*
 * The simulation handle: creation from a scenario and a configuration,
 * the clock, and the step loop's public face.  Everything model-specific
 * goes through the model type table (sim.h).
 */
#include "sim.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"

struct strife_sim {
  struct strife__alloc alloc;
  const struct strife__model_type *type;
  void *state;
  int64_t tick, ticks;
  char errmsg[256];
};

void strife_config_init(strife_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
}

int strife_sim_create(const strife_scenario *sc, const strife_config *cfg,
                      strife_sim **out, strife_diag *diag) {
  assert(sc && out);
  strife_diag_clear(diag);
  const struct strife__values *v = strife__scenario_values(sc);
  struct strife__alloc a;
  strife__alloc_init(&a, cfg);
  strife_sim *sim = strife__calloc(&a, 1, sizeof *sim);
  if (!sim) {
    strife__diag_set(diag, "", "out of memory creating the simulation");
    return STRIFE_ENOMEM;
  }
  sim->alloc = a;
  sim->type = strife__model(v->model);
  sim->ticks = v->ticks;
  uint64_t seed = cfg && cfg->seed_set ? cfg->seed : (uint64_t)v->seed;
  unsigned threads = cfg ? cfg->threads : 0;
  int rc = sim->type->create(&sim->state, &a, v, seed, threads, diag);
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

int strife_sim_step(strife_sim *sim) {
  assert(sim && !strife_sim_done(sim));
  sim->type->step(sim->state);
  sim->tick++;
  sim->errmsg[0] = '\0';
  return STRIFE_OK;
}

const char *strife_sim_errmsg(const strife_sim *sim) {
  return sim->errmsg;
}

void strife_sim_counts(const strife_sim *sim, strife_counts *out) {
  sim->type->counts(sim->state, out);
}

void strife_sim_proximity(const strife_sim *sim, strife_proximity *out) {
  sim->type->proximity(sim->state, out);
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
