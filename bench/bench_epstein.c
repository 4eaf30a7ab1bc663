/* SPDX-License-Identifier: MIT */
/*
 * Speed and memory of the Epstein lattice.  Prints, for each case,
 * ns per agent-step, agent-steps per second and bytes per agent:
 *
 *   - the sequential presets on their 40 x 40 lattice (the Mesa preset is
 *     the one compared with Mesa's example, about 32,000 agent-steps/s on
 *     a 2-core machine with Python 3.11 and Mesa 3.3.1);
 *   - the parallel update at 40 x 40, 1000 x 1000 and 5000 x 5000, vision
 *     7, on 1 and 2 threads, on each kernel path the processor has
 *     (run.kernel), each beside the figure of the kernel it replaced
 *     (commit 2d9b4ab, measured on a 2-vCPU AMD EPYC Zen 4; that kernel is
 *     no longer in the tree, so its figure is recorded, not measured).
 *
 * Arguments: [min_seconds [path]]: 'path' (avx512, avx2 or c) runs the
 * parallel cases of that path only.
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
                  const char *kernel, unsigned side, unsigned threads,
                  double min_seconds, double before) {
  char path[1024], w[64], h[64], up[64], kn[64];
  snprintf(path, sizeof path, "%s/scenarios/%s.json", STRIFE_SOURCE_DIR,
           preset);
  snprintf(w, sizeof w, "lattice.width=%u", side);
  snprintf(h, sizeof h, "lattice.height=%u", side);
  snprintf(up, sizeof up, "run.update=%s", update);
  snprintf(kn, sizeof kn, "run.kernel=%s", kernel);
  const char *sets[5] = {w, h, up, "run.ticks=1000000000", kn};
  strife_scenario *sc;
  strife_diag d;
  if (strife_scenario_load(path, sets, 5, &sc, &d)) {
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
  if (before > 0)
    printf("%-32s was %.1f ns/agent-step (2d9b4ab): %.2fx\n", "", before,
           before / ns);
  if (strcmp(preset, "epstein-mesa") == 0 && side == 40 &&
      strcmp(update, "sequential") == 0)
    printf("%-32s %.0f x Mesa's example (32,000 agent-steps/s, the figure "
           "the issue gives; not measured here)\n",
           "", med / 32000.0);
  fflush(stdout);
  strife_sim_destroy(sim);
  strife_scenario_destroy(sc);
}

/* Whether the processor has path 'k': a scenario naming it loads. */
static int path_supported(const char *k) {
  char path[1024], kn[64];
  snprintf(path, sizeof path, "%s/scenarios/epstein-mesa.json",
           STRIFE_SOURCE_DIR);
  snprintf(kn, sizeof kn, "run.kernel=%s", k);
  const char *sets[2] = {"run.update=parallel", kn};
  strife_scenario *sc;
  strife_diag d;
  if (strife_scenario_load(path, sets, 2, &sc, &d)) return 0;
  strife_scenario_destroy(sc);
  return 1;
}

int main(int argc, char **argv) {
  double secs = argc > 1 ? atof(argv[1]) : 2.0;
  const char *only = argc > 2 ? argv[2] : NULL;
  printf("bench_epstein: strife %s, at least %.1f s a case\n",
         strife_version_string(), secs);
  if (!only) {
    bench("sequential mesa 40x40", "epstein-mesa", "sequential", "auto", 40, 1,
          secs, 76.8);
    bench("sequential netlogo 40x40", "epstein-netlogo", "sequential", "auto",
          40, 1, secs, 76.3);
    bench("sequential paper 40x40", "epstein-paper", "sequential", "auto", 40,
          1, secs, 53.9);
  }
  static const unsigned sides[3] = {40, 1000, 5000};
  static const char *const kernels[3] = {"avx512", "avx2", "c"};
  /* The replaced kernel's ns/agent-step by side, on 1 and 2 threads. */
  static const double before[3][2] = {{96.1, 70.3}, {70.9, 47.2}, {87.5, 48.7}};
  for (int s = 0; s < 3; s++) {
    for (int k = 0; k < 3; k++) {
      if (only && strcmp(only, kernels[k]) != 0) continue;
      if (!path_supported(kernels[k])) {
        printf("parallel: this processor has no %s path\n", kernels[k]);
        continue;
      }
      for (unsigned th = 1; th <= 2; th++) {
        char label[64];
        snprintf(label, sizeof label, "parallel mesa %ux%u %s", sides[s],
                 sides[s], kernels[k]);
        bench(label, "epstein-mesa", "parallel", kernels[k], sides[s], th, secs,
              before[s][th - 1]);
      }
    }
  }
  return 0;
}
