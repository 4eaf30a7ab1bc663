/* SPDX-License-Identifier: MIT */
/* The step loop (engine.h). */
#include "engine.h"

#include <string.h>
#include <time.h>

#include "sim.h"

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

struct fanout {
  struct strife__sink *const *sinks;
  size_t n;
};

/* Hands a row to every sink; the first error stops it. */
static int fan_row(void *ud, int table, const union strife__cell *cells) {
  const struct fanout *f = ud;
  for (size_t i = 0; i < f->n; i++) {
    int rc = f->sinks[i]->ops->row(f->sinks[i], table, cells);
    if (rc) return rc;
  }
  return STRIFE_OK;
}

static void facts_of(strife_sim *sim, const strife_scenario *sc,
                     struct strife__run_facts *f) {
  const struct strife_model_type *t = strife__sim_type(sim);
  const struct strife__model_info *info = strife__sim_info(sim);
  void *state = strife__sim_state(sim);
  memset(f, 0, sizeof *f);
  f->sc = sc;
  f->type = t;
  f->seed = strife__sim_seed(sim);
  f->scale = info->scale;
  f->agents = t->agents(state);
  f->bytes = t->memory(state);
  f->dated = info->dated;
  f->start_day = info->start_day;
}

/* Steps to the end or the cancel; the first error stops it. */
static int loop(strife_sim *sim, const volatile int *cancel, int *stopped) {
  int rc = strife__sim_observe(sim, STRIFE__OBS_START);
  while (!rc && !strife_sim_done(sim)) {
    if (cancel && *cancel) {
      *stopped = 1;
      break;
    }
    rc = strife_sim_step(sim);
  }
  if (!rc) rc = strife__sim_observe(sim, STRIFE__OBS_END);
  return rc;
}

int strife__engine_run(strife_sim *sim, const strife_scenario *sc,
                       struct strife__sink *const *sinks, size_t n,
                       const volatile int *cancel, double *outcomes,
                       struct strife__run_end *end, strife_diag *diag) {
  struct strife__run_facts facts;
  facts_of(sim, sc, &facts);
  int rc = STRIFE_OK;
  for (size_t i = 0; i < n && !rc; i++)
    rc = sinks[i]->ops->begin(sinks[i], &facts, diag);
  if (rc) return rc;
  struct fanout f = {sinks, n};
  struct strife__observer obs = {fan_row, &f};
  strife__sim_listen(sim, &obs);
  int stopped = 0;
  double t0 = now_seconds();
  rc = loop(sim, cancel, &stopped);
  struct strife__run_end e;
  memset(&e, 0, sizeof e);
  e.wall_seconds = now_seconds() - t0;
  strife__sim_listen(sim, NULL);
  e.interrupted = stopped;
  e.ticks = strife_sim_tick(sim);
  e.end_day = facts.start_day + e.ticks - 1;
  strife_sim_outcomes(sim, outcomes);
  e.outcomes = outcomes;
  strife_sim_counts(sim, &e.final);
  if (rc && diag && !diag->msg[0])
    strife__diag_set(diag, "", "%s", strife_sim_errmsg(sim));
  for (size_t i = 0; i < n && !rc; i++)
    rc = sinks[i]->ops->end(sinks[i], &e);
  if (end) *end = e;
  return rc;
}
