/* SPDX-License-Identifier: MIT */
/*
 * Speed, memory and convergence of the Afghan model
 * (scenarios/afghanistan-2021.json).
 *
 * 1. For agent scales s = 1000, 100, 10 and 1 (s = 1: every Afghan, about
 *    32 million citizens): the time to create the model, the wall time per
 *    simulated day (over a stretch of days: a year at s = 1000, fewer below),
 *    the year it extrapolates to, and the bytes per citizen.  At s = 1 the
 *    first 30 days ran about 8 % cheaper than the mean of a whole year,
 *    so the extrapolation from a stretch runs low.
 * 2. The national outcomes of the first year against the scale, mean over
 *    seeds 1-5, to show them converge as s falls.
 *
 * Usage: bench_afghan [THREADS]   (default: all cores)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "core/sim.h"
#include "models/afghan/afghan.h"

static strife_scenario *scenario(unsigned scale) {
  char path[1024], set[64];
  snprintf(path, sizeof path, "%s/scenarios/afghanistan-2021.json",
           STRIFE_SOURCE_DIR);
  snprintf(set, sizeof set, "population.scale=%u", scale);
  const char *sets[1] = {set};
  strife_scenario *sc;
  strife_diag d;
  if (strife_scenario_load(path, sets, 1, &sc, &d)) {
    fprintf(stderr, "bench_afghan: %s: %s\n", path, d.msg);
    exit(1);
  }
  return sc;
}

static strife_sim *sim_of(const strife_scenario *sc, uint64_t seed,
                          unsigned threads) {
  strife_config cfg;
  strife_config_init(&cfg);
  cfg.threads = threads;
  cfg.seed_set = 1;
  cfg.seed = seed;
  strife_sim *sim;
  strife_diag d;
  if (strife_sim_create(sc, &cfg, &sim, &d)) {
    fprintf(stderr, "bench_afghan: %s\n", d.msg);
    exit(1);
  }
  return sim;
}

static uint64_t citizens(const struct strife__afghan *m) {
  uint64_t n = 0;
  for (size_t i = 0; i < m->prov->n; i++)
    n += m->lat[i]->n_cit;
  return n;
}

static void speed(unsigned scale, int days, unsigned threads) {
  strife_scenario *sc = scenario(scale);
  double t0 = now();
  strife_sim *sim = sim_of(sc, 1, threads);
  double t1 = now();
  const struct strife__afghan *m = strife__sim_state(sim);
  for (int d = 0; d < days; d++)
    strife_sim_step(sim);
  double t2 = now();
  double per_day = (t2 - t1) / days;
  uint64_t n = citizens(m);
  printf("s = %-5u %11llu citizens  create %7.2f s  %9.4f s/day  "
         "%8.1f s/year  %5.1f bytes/citizen  (%d days)\n",
         scale, (unsigned long long)n, t1 - t0, per_day, per_day * 365,
         (double)strife_sim_memory(sim) / (double)n, days);
  fflush(stdout);
  strife_sim_destroy(sim);
  strife_scenario_destroy(sc);
}

static void convergence(unsigned scale, unsigned threads) {
  const int seeds = 5;
  double attacks = 0, isk = 0, pub = 0, hard = 0, act_pub = 0, act_hard = 0,
         jailed = 0;
  strife_scenario *sc = scenario(scale);
  for (int s = 1; s <= seeds; s++) {
    strife_sim *sim = sim_of(sc, (uint64_t)s, threads);
    const struct strife__afghan *m = strife__sim_state(sim);
    double n = (double)citizens(m) * scale;
    for (int d = 0; d < 365; d++) {
      strife_sim_step(sim);
      const struct strife__national *x = &m->st.nat;
      attacks += x->attacks / (double)seeds;
      act_pub += (double)x->active[0] * scale / n / 365 / seeds;
      act_hard += (double)x->active[1] * scale / n / 365 / seeds;
      jailed += (double)x->jailed * scale / n / 365 / seeds;
    }
    isk += m->st.nat.isk / seeds;
    pub += m->st.nat.pub / seeds;
    hard += m->st.nat.hard / seeds;
    strife_sim_destroy(sim);
  }
  printf("s = %-5u %8.0f %8.0f %8.3f %8.3f %10.4f %10.4f %8.4f\n", scale,
         attacks, isk, pub, hard, act_pub, act_hard, jailed);
  fflush(stdout);
  strife_scenario_destroy(sc);
}

int main(int argc, char **argv) {
  unsigned threads = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
  printf("bench_afghan: strife %s, %s threads\n", strife_version_string(),
         threads ? argv[1] : "all");
  printf("\nspeed and memory (seed 1, from 2021-09-01):\n");
  speed(1000, 365, threads);
  speed(100, 60, threads);
  speed(10, 30, threads);
  speed(1, 30, threads);
  printf("\nfirst year against the scale, mean of seeds 1-5: attacks, IS-K "
         "fighters and\nlegitimacy (public, hardliner) at the end; mean "
         "shares of the population\nactive (public, hardliner) and jailed:\n");
  printf("%-9s %8s %8s %8s %8s %10s %10s %8s\n", "", "attacks", "isk", "L_pub",
         "L_hard", "act_pub", "act_hard", "jailed");
  static const unsigned scales[] = {10000, 3000, 1000, 300, 100};
  for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++)
    convergence(scales[i], threads);
  return 0;
}
