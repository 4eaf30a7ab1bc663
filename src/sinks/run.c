/* SPDX-License-Identifier: MIT */
/*
 * strife_run: a simulation of a scenario stepped to its end by the
 * engine's loop, its observations written by the file sinks (a CSV file a
 * table, summary.json, scenario.json), the files committed together.
 */
#include <stdlib.h>
#include <string.h>

#include "core/sim.h"
#include "sinks.h"

/* The run with its files in 'dir' (NULL: none). */
static int run_into(strife_sim *sim, const strife_scenario *sc,
                    const strife_config *cfg, const char *dir, double *out,
                    struct strife__run_end *end, strife_diag *diag) {
  const volatile int *cancel = cfg ? cfg->cancel : NULL;
  if (!dir) return strife__engine_run(sim, sc, NULL, 0, cancel, out, end, diag);
  int rc = strife__files_ready(dir, diag);
  if (rc) return rc;
  struct strife__fileset *fs = malloc(sizeof *fs);
  if (!fs) {
    strife__diag_set(diag, "", "out of memory opening the output files");
    return STRIFE_ENOMEM;
  }
  strife__fileset_init(fs, dir);
  struct strife__csv_sink csv;
  struct strife__json_sink json;
  strife__csv_sink_init(&csv, fs);
  strife__json_sink_init(&json, fs);
  struct strife__sink *sinks[2] = {&csv.base, &json.base};
  rc = strife__engine_run(sim, sc, sinks, 2, cancel, out, end, diag);
  if (!rc)
    rc = strife__fileset_commit(fs, diag);
  else
    strife__fileset_discard(fs);
  free(fs);
  return rc;
}

int strife_run(const strife_scenario *sc, const strife_config *cfg,
               const char *out_dir, strife_run_result *res, strife_diag *diag) {
  strife_diag_clear(diag);
  strife_sim *sim;
  int rc = strife_sim_create(sc, cfg, &sim, diag);
  if (rc) return rc;
  strife_run_result r;
  memset(&r, 0, sizeof r);
  r.seed = strife__sim_seed(sim);
  r.agents = strife_sim_agents(sim);
  struct strife__run_end end;
  rc = run_into(sim, sc, cfg, out_dir, r.outcomes, &end, diag);
  strife_sim_destroy(sim);
  if (rc) return rc;
  r.ticks = end.ticks;
  r.interrupted = end.interrupted;
  r.wall_seconds = end.wall_seconds;
  r.final = end.final;
  r.n_outcomes = strife_model_outcome_count(strife_scenario_model_type(sc));
  if (res) *res = r;
  return r.interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}
