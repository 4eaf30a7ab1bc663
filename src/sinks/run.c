/* SPDX-License-Identifier: MIT */
/*
 * A run with its outputs: steps a simulation to its end and writes
 * series.csv as it goes (under a temporary name), then summary.json and
 * scenario.json, each renamed into place when complete.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io.h"

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void series_row(FILE *f, int64_t t, const strife_counts *c) {
  fprintf(f, "%lld,%llu,%llu,%llu\n", (long long)t,
          (unsigned long long)c->quiet, (unsigned long long)c->active,
          (unsigned long long)c->jailed);
}

static char *summary_text(const strife_scenario *sc,
                          const strife_run_result *r) {
  json_t *final =
      json_pack("{sIsIsIsI}", "quiet", (json_int_t)r->final.quiet, "active",
                (json_int_t)r->final.active, "jailed",
                (json_int_t)r->final.jailed, "cops", (json_int_t)r->final.cops);
  json_t *s = json_pack(
      "{sssssssssssIsIsIsssosIsfsf}", "strife_version", strife_version_string(),
      "scenario", strife_scenario_name(sc), "scenario_hash",
      strife_scenario_hash(sc), "model", strife_scenario_model(sc), "status",
      r->interrupted ? "interrupted" : "complete", "seed", (json_int_t)r->seed,
      "ticks", (json_int_t)strife_scenario_ticks(sc), "ticks_run",
      (json_int_t)r->ticks, "series", "series.csv", "final", final,
      "peak_active", (json_int_t)r->peak_active, "mean_active", r->mean_active,
      "wall_seconds", r->wall_seconds);
  if (!s) return NULL;
  char *text = json_dumps(s, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
  json_decref(s);
  return text;
}

int strife__write_scenario(const strife_scenario *sc, const char *dir,
                           strife_diag *diag) {
  size_t n = strlen(strife_scenario_json(sc));
  char *text = malloc(n + 2);
  if (!text) return STRIFE_ENOMEM;
  memcpy(text, strife_scenario_json(sc), n);
  memcpy(text + n, "\n", 2);
  int rc = strife__write_file(dir, "scenario.json", text, diag);
  free(text);
  return rc;
}

int strife_run(const strife_scenario *sc, const strife_config *cfg,
               const char *out_dir, strife_run_result *res, strife_diag *diag) {
  strife_diag_clear(diag);
  if (strcmp(strife_scenario_model(sc), "afghan") == 0)
    return strife__run_afghan(sc, cfg, out_dir, res, diag);
  strife_run_result r;
  memset(&r, 0, sizeof r);
  r.seed = cfg && cfg->seed_set ? cfg->seed : strife_scenario_seed(sc);
  strife_diag_clear(diag);

  int rc;
  struct strife__afile series;
  memset(&series, 0, sizeof series);
  strife_sim *sim;
  rc = strife_sim_create(sc, cfg, &sim, diag);
  if (rc) return rc;
  r.agents = strife_sim_agents(sim);
  if (out_dir) {
    rc = strife__mkdirs(out_dir, diag);
    if (!rc) rc = strife__afile_open(&series, out_dir, "series.csv", diag);
    if (rc) {
      strife_sim_destroy(sim);
      return rc;
    }
    fputs("tick,quiet,active,jailed\n", series.f);
  }
  strife_counts c;
  strife_sim_counts(sim, &c);
  if (series.f) series_row(series.f, 0, &c);
  double sum_active = 0, t0 = now_seconds();
  while (!strife_sim_done(sim)) {
    if (cfg && cfg->cancel && *cfg->cancel) {
      r.interrupted = 1;
      break;
    }
    strife_sim_step(sim);
    strife_sim_counts(sim, &c);
    if (c.active > r.peak_active) r.peak_active = c.active;
    sum_active += (double)c.active;
    if (series.f) series_row(series.f, strife_sim_tick(sim), &c);
  }
  r.wall_seconds = now_seconds() - t0;
  r.ticks = strife_sim_tick(sim);
  r.mean_active = r.ticks ? sum_active / (double)r.ticks : 0.0;
  r.final = c;
  strife_sim_destroy(sim);

  if (out_dir) {
    rc = strife__afile_commit(&series, diag);
    char *summary = rc ? NULL : summary_text(sc, &r);
    if (!rc && !summary) rc = STRIFE_ENOMEM;
    if (!rc) rc = strife__write_file(out_dir, "summary.json", summary, diag);
    free(summary);
    if (!rc) rc = strife__write_scenario(sc, out_dir, diag);
    if (rc) return rc;
  }
  if (res) *res = r;
  return r.interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}
