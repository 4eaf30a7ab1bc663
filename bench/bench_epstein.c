/* SPDX-License-Identifier: MIT */
/*
 * Speed and memory of the Epstein lattice.  Prints, for each case,
 * ns per agent-step, agent-steps per second and bytes per agent:
 *
 *   - the sequential presets on their 40 x 40 lattice (the Mesa preset is
 *     the one compared with Mesa's example, about 32,000 agent-steps/s on
 *     a 2-core machine with Python 3.11 and Mesa 3.3.1);
 *   - the parallel update at 40 x 40, 1000 x 1000 and 5000 x 5000, vision
 *     7, on 1 and 2 threads.
 *
 * An agent-step is one agent's turn in one tick, jailed citizens and cops
 * included, as Mesa counts them.  Each case runs a few warm-up ticks, then
 * three stretches of at least a third of 'min_seconds' (argument 1,
 * default 2) each, and prints the median rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <strife/strife.h>

#include "bench.h"

static void bench(const char *label, const char *preset, const char *update,
                  unsigned side, unsigned threads, double min_seconds) {
  char path[1024], w[64], h[64], up[64];
  snprintf(path, sizeof path, "%s/scenarios/%s.json", STRIFE_SOURCE_DIR,
           preset);
  snprintf(w, sizeof w, "lattice.width=%u", side);
  snprintf(h, sizeof h, "lattice.height=%u", side);
  snprintf(up, sizeof up, "run.update=%s", update);
  const char *sets[4] = {w, h, up, "run.ticks=1000000000"};
  strife_scenario *sc;
  strife_diag d;
  if (strife_scenario_load(path, sets, 4, &sc, &d)) {
    fprintf(stderr, "bench: %s: %s\n", path, d.msg);
    exit(1);
  }
  strife_config cfg;
  strife_config_init(&cfg);
  cfg.threads = threads;
  strife_sim *sim;
  if (strife_sim_create(sc, &cfg, &sim, &d)) {
    fprintf(stderr, "bench: %s\n", d.msg);
    exit(1);
  }
  double agents = (double)strife_sim_agents(sim);
  for (int i = 0; i < 3; i++)
    strife_sim_step(sim);
  /* Three timed stretches of a third of the time each; the median. */
  double rate[3];
  for (int rep = 0; rep < 3; rep++) {
    long ticks = 0;
    double t0 = now(), t1;
    do {
      strife_sim_step(sim);
      ticks++;
      t1 = now();
    } while (t1 - t0 < min_seconds / 3 || ticks < 2);
    rate[rep] = agents * (double)ticks / (t1 - t0);
  }
  double lo = rate[0] < rate[1] ? rate[0] : rate[1];
  double hi = rate[0] < rate[1] ? rate[1] : rate[0];
  double med = rate[2] < lo ? lo : rate[2] > hi ? hi : rate[2];
  double ns = 1e9 / med;
  printf("%-32s %9.0f agents %3u thr %8.2f ns/agent-step %12.4g "
         "agent-steps/s %6.1f bytes/agent\n",
         label, agents, threads, ns, med,
         (double)strife_sim_memory(sim) / agents);
  if (strcmp(preset, "epstein-mesa") == 0 && side == 40 &&
      strcmp(update, "sequential") == 0)
    printf("%-32s %.0f x Mesa's example (32,000 agent-steps/s, the figure "
           "the issue gives; not measured here)\n",
           "", med / 32000.0);
  fflush(stdout);
  strife_sim_destroy(sim);
  strife_scenario_destroy(sc);
}

int main(int argc, char **argv) {
  double secs = argc > 1 ? atof(argv[1]) : 2.0;
  printf("bench_epstein: strife %s, at least %.1f s a case\n",
         strife_version_string(), secs);
  bench("sequential mesa 40x40", "epstein-mesa", "sequential", 40, 1, secs);
  bench("sequential netlogo 40x40", "epstein-netlogo", "sequential", 40, 1,
        secs);
  bench("sequential paper 40x40", "epstein-paper", "sequential", 40, 1, secs);
  static const unsigned sides[3] = {40, 1000, 5000};
  for (int s = 0; s < 3; s++) {
    for (unsigned th = 1; th <= 2; th++) {
      char label[64];
      snprintf(label, sizeof label, "parallel mesa %ux%u", sides[s], sides[s]);
      bench(label, "epstein-mesa", "parallel", sides[s], th, secs);
    }
  }
  return 0;
}
