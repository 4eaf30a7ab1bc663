/* SPDX-License-Identifier: MIT */
/*
 * Throughput of experiments (strife compare), each run one thread, runs
 * spread over threads, every run written to a results database:
 *
 * 1. runs per second of the default scenario for one year
 *    (2021-09-01 to 2022-08-31) at agent scale s = 1000, on 1 thread and
 *    on every thread, and the ratio;
 * 2. the time of a 4-policy comparison of the whole default scenario
 *    (2021-09-01 to 2024-12-31) at s = 1000: measured for 4 x RUNS runs
 *    (argument 1, default 25) and scaled to 4 x 250, runs being
 *    independent.
 *
 * The databases go to a temporary directory, removed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <strife/experiment.h>

#include "bench.h"

static char dir[] = "/tmp/strife-bench-XXXXXX";

static double compare(const char *const *policies, size_t n_pol, uint32_t runs,
                      unsigned threads, const char *end, const char *name) {
  char db[256], endset[64];
  snprintf(db, sizeof db, "%s/%s.db", dir, name);
  snprintf(endset, sizeof endset, "run.end=%s", end);
  const char *sets[2] = {"population.scale=1000", endset};
  strife_compare_opts o;
  memset(&o, 0, sizeof o);
  o.exp.scenario = STRIFE_SOURCE_DIR "/scenarios/afghanistan-2021.json";
  o.exp.sets = sets;
  o.exp.n_sets = 2;
  o.exp.threads = threads;
  o.exp.db = db;
  o.exp.command = "bench_compare";
  o.policies = policies;
  o.n_policies = n_pol;
  o.runs = runs;
  strife_experiment *c;
  strife_diag d;
  double t0 = now();
  int rc = strife_compare_run(&o, &c, &d);
  double t = now() - t0;
  if (rc) {
    fprintf(stderr, "bench_compare: %s\n", d.msg);
    exit(1);
  }
  strife_experiment_destroy(c);
  char wal[300];
  unlink(db);
  snprintf(wal, sizeof wal, "%s-wal", db);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", db);
  unlink(wal);
  return t;
}

int main(int argc, char **argv) {
  uint32_t runs = argc > 1 ? (uint32_t)atoi(argv[1]) : 25;
  if (runs < 1) runs = 1;
  if (!mkdtemp(dir)) {
    perror("bench_compare: mkdtemp");
    return 1;
  }
  printf("bench_compare: strife %s\n", strife_version_string());
  const char *sq[1] = {"status-quo"};
  const uint32_t n = 16;
  double t1 = compare(sq, 1, n, 1, "2022-08-31", "one");
  double tn = compare(sq, 1, n, 0, "2022-08-31", "all");
  printf("one-year runs at s = 1000 (%u runs each):\n", n);
  printf("  1 thread      %8.3f runs/s\n", n / t1);
  printf("  all threads   %8.3f runs/s   (%.2f x 1 thread)\n", n / tn, t1 / tn);
  const char *four[4] = {"status-quo", "anti-terror-push", "middle-road",
                         "radicalise"};
  double t = compare(four, 4, runs, 0, "2024-12-31", "four");
  printf("4 policies x %u runs, 2021-09-01 to 2024-12-31, s = 1000, all "
         "threads:\n  %.1f s (%.3f runs/s); 4 x 250 runs: %.0f s "
         "(scaled)\n",
         runs, t, 4.0 * runs / t, t * 250.0 / runs);
  rmdir(dir);
  return 0;
}
