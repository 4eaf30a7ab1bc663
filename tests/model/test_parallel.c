/* SPDX-License-Identifier: MIT */
/*
 * The parallel (synchronous) update against the sequential one: same
 * scenario, seeds 1..10 each, mean active and mean jailed counts over
 * ticks 101-400.  The two updates are different schedules of the same
 * rules, so their trajectories differ; their statistics must not differ
 * by more than three standard errors of the difference of the means (a
 * two-sample test at about the 0.3 % level), and the parallel run must be
 * alive (arrests made, citizens active).
 *
 * Scenario: the Mesa preset (the variant the parallel update supports
 * without changes: one agent per cell, jailed citizens keep their cell),
 * on a 100 x 100 lattice at L = 0.7 with J_max = 30 so that both activity
 * and jail turn over within the window.
 */
#include "support.h"

enum { SEEDS = 10, TICKS = 400, FROM = 101 };

static void stats(const char *update, double *act_mean, double *act_se,
                  double *jail_mean, double *jail_se) {
  strife_scenario *sc = load_preset(
      "epstein-mesa", update, "lattice.width=100", "lattice.height=100",
      "regime.legitimacy=0.7", "citizens.max_jail_term=30", NULL);
  double sa = 0, sa2 = 0, sj = 0, sj2 = 0;
  for (uint64_t seed = 1; seed <= SEEDS; seed++) {
    strife_sim *sim = make_sim(sc, seed, 2);
    double a = 0, j = 0;
    for (int t = 1; t <= TICKS; t++) {
      strife_sim_step(sim);
      if (t < FROM) continue;
      strife_counts c;
      strife_sim_counts(sim, &c);
      a += (double)c.active;
      j += (double)c.jailed;
    }
    a /= TICKS - FROM + 1;
    j /= TICKS - FROM + 1;
    sa += a;
    sa2 += a * a;
    sj += j;
    sj2 += j * j;
    strife_sim_destroy(sim);
  }
  *act_mean = sa / SEEDS;
  *jail_mean = sj / SEEDS;
  *act_se = sqrt((sa2 - SEEDS * *act_mean * *act_mean) / (SEEDS - 1) / SEEDS);
  *jail_se =
      sqrt((sj2 - SEEDS * *jail_mean * *jail_mean) / (SEEDS - 1) / SEEDS);
  printf("  %s: mean active %.2f (se %.2f), mean jailed %.1f (se %.1f)\n",
         update, *act_mean, *act_se, *jail_mean, *jail_se);
  strife_scenario_destroy(sc);
}

int main(void) {
  printf("test_parallel: seeds 1..%d\n", SEEDS);
  double sa, sase, sj, sjse, pa, pase, pj, pjse;
  stats("run.update=sequential", &sa, &sase, &sj, &sjse);
  stats("run.update=parallel", &pa, &pase, &pj, &pjse);
  double da = sqrt(sase * sase + pase * pase);
  double dj = sqrt(sjse * sjse + pjse * pjse);
  CHECK_MSG(fabs(pa - sa) <= 3 * da, "active: %.2f vs %.2f, 3 se = %.2f", pa,
            sa, 3 * da);
  CHECK_MSG(fabs(pj - sj) <= 3 * dj, "jailed: %.1f vs %.1f, 3 se = %.1f", pj,
            sj, 3 * dj);
  CHECK(pa > 1 && pj > 100);
  return test_report("parallel");
}
