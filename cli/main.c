/* SPDX-License-Identifier: MIT */
/*
 * The strife command: a thin layer over the public API (strife.h and
 * experiment.h only).
 *
 * Exit status: 0 success; 2 bad input (usage, unreadable or invalid
 * scenario, or a results database made for something else); 1 any other
 * failure; 130 interrupted by SIGINT (a run writes the ticks run so far; an
 * experiment keeps the runs it finished).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <strife/experiment.h>
#include <strife/strife.h>

#ifndef STRIFE_SCENARIO_DIR
#  define STRIFE_SCENARIO_DIR "scenarios"
#endif

enum { EXIT_BAD_INPUT = 2, EXIT_INTERRUPTED = 130, MAX_SETS = 256 };

static const char *const default_scenario = "afghanistan-2021.json";

static volatile int interrupted;

static void on_sigint(int sig) {
  (void)sig;
  interrupted = 1;
}

static const char usage_main[] =
    "usage: strife <command> [options]\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]      run a scenario and write its outputs\n"
    "  validate SCENARIO   check a scenario file without running it\n"
    "  compare [SCENARIO]  run policies side by side on paired seeds, into a\n"
    "                      results database\n"
    "  sweep [SCENARIO]    run a grid or Latin hypercube of parameter values,\n"
    "                      into a results database\n"
    "  sensitivity [SCENARIO]\n"
    "                      rank parameters by Sobol indices or Morris\n"
    "                      effects, into a results database\n"
    "  calibrate [SCENARIO]\n"
    "                      fit the scenario's free parameters to its targets\n"
    "                      (ABC-SMC), into a results database\n"
    "  help [COMMAND]      show help for a command, or 'help scenario' for\n"
    "                      every scenario key\n"
    "\n"
    "options:\n"
    "  --version           print the version and exit\n";

static const char usage_run[] =
    "usage: strife run [SCENARIO] [--policy NAME] [--seed N] [--ticks N]\n"
    "                  [--threads N] [--set KEY=VALUE]... [--out DIR]\n"
    "\n"
    "Runs SCENARIO (default: scenarios/afghanistan-2021.json), writes its\n"
    "outputs into DIR (docs/outputs.md) and prints a summary.  An Afghan\n"
    "scenario writes national.csv, provinces.csv, events.csv, summary.json\n"
    "and scenario.json; an Epstein scenario writes series.csv\n"
    "(tick,quiet,active,jailed), summary.json and scenario.json.\n"
    "\n"
    "  --policy NAME    the Taliban's course: status-quo, anti-terror-push,\n"
    "                   middle-road or radicalise; replaces policy\n"
    "  --seed N         master seed (0 .. 2^63-1); replaces run.seed\n"
    "  --ticks N        ticks to run (0 .. 1000000000); replaces run.ticks\n"
    "  --threads N      threads for run.update = \"parallel\" (1 .. 1024);\n"
    "                   outputs do not depend on it\n"
    "  --set KEY=VALUE  override a scenario key, checked like the file;\n"
    "                   VALUE is JSON or a bare word (a string);\n"
    "                   repeatable, applied in order\n"
    "  --out DIR        output directory (default: out)\n"
    "  --quiet          print nothing but errors\n"
    "\n"
    "Ctrl-C stops between ticks; the ticks run so far are written and\n"
    "summary.json says \"interrupted\" (exit status 130).\n";

static const char usage_validate[] =
    "usage: strife validate SCENARIO [--set KEY=VALUE]...\n"
    "\n"
    "Checks SCENARIO (and the overrides) as 'run' would, prints its name and\n"
    "hash, and exits 0; or prints FILE:LINE:COLUMN: KEY: what was expected,\n"
    "and exits 2.\n";

static const char usage_compare[] =
    "usage: strife compare [SCENARIO] --policies A,B,... [--runs N]\n"
    "                      [--vary KEY=V1,V2,...] [--set KEY=VALUE]...\n"
    "                      [--seed N] [--threads N] [--db FILE] [--quiet]\n"
    "\n"
    "Runs each policy (crossed with each value of --vary) N times on the\n"
    "same seeds (run i of every arm has seed S + i, S the scenario's seed),\n"
    "stores every run in the results database FILE (docs/results.md) and\n"
    "prints, per outcome, each arm's mean and 5-95 % band and each pair's\n"
    "paired difference with its 90 % interval and P(first better).\n"
    "\n"
    "  --policies LIST  comma-separated presets: status-quo,\n"
    "                   anti-terror-push, middle-road, radicalise\n"
    "  --runs N         runs per arm (1 .. 1000000; default 100)\n"
    "  --vary K=V1,...  cross the policies with these values of key K (a\n"
    "                   lever such as us, china-development,\n"
    "                   pakistan-strikes, or any scenario key)\n"
    "  --set KEY=VALUE  override a scenario key for every arm; repeatable\n"
    "  --seed N         the first run's seed (0 .. 2^63-1); replaces\n"
    "                   run.seed\n"
    "  --threads N      runs at once (1 .. 1024; default: every core)\n"
    "  --db FILE        results database (default: results.db)\n"
    "  --quiet          no progress line\n"
    "\n"
    "A database holds one comparison: run the same command again after an\n"
    "interruption and it skips the runs already stored.  A database made\n"
    "with another scenario, version or set of arms is refused.  Ctrl-C\n"
    "lets the runs in flight finish and keeps them (exit status 130).\n";

static const char usage_sensitivity[] =
    "usage: strife sensitivity [SCENARIO] --method sobol|morris\n"
    "                          --param KEY=LO:HI [--param ...] [--samples N]\n"
    "                          [--levels P] [--outcome NAME]... [--boot B]\n"
    "                          [--set KEY=VALUE]... [--seed N] [--threads N]\n"
    "                          [--db FILE] [--quiet]\n"
    "\n"
    "Varies each numeric scenario KEY over [LO, HI] (integer keys take the\n"
    "nearest integer), runs every point of the design once on the same seed\n"
    "into the results database FILE (docs/results.md), and prints, per\n"
    "outcome, the parameters ranked: by total-order Sobol index (Saltelli's\n"
    "design on a Sobol sequence, Jansen's estimators; N (k + 2) runs for k\n"
    "parameters) or by Morris's mu* (r trajectories, r (k + 1) runs), with\n"
    "95 % bootstrap intervals.\n"
    "\n"
    "  --method M       sobol or morris\n"
    "  --param K=LO:HI  a parameter and its range; 1 .. 20 of them\n"
    "  --samples N      Sobol: N rows (default 64); Morris: r trajectories\n"
    "                   (default 10); 2 .. 100000\n"
    "  --levels P       Morris grid levels, even (default 4)\n"
    "  --outcome NAME   an outcome to report (repeatable; default: all)\n"
    "  --boot B         bootstrap resamples (default 500)\n"
    "  --set, --seed, --threads, --db, --quiet   as for compare\n"
    "\n"
    "Like compare, it resumes from its database and refuses one made for\n"
    "another design, scenario or version.\n";

static const char usage_sweep[] =
    "usage: strife sweep [SCENARIO] --param KEY=LO:HI[:STEPS]...\n"
    "                    [--samples N] [--runs R] [--outcome NAME]...\n"
    "                    [--set KEY=VALUE]... [--seed N] [--threads N]\n"
    "                    [--db FILE] [--quiet]\n"
    "\n"
    "Runs every point of a grid (each KEY at STEPS evenly spaced values from\n"
    "LO to HI, every combination) or, with --samples N, of a Latin\n"
    "hypercube of N points, R times each on the same seeds (run i has seed\n"
    "S + i at every point), into the results database FILE\n"
    "(docs/results.md), and prints a row a point: the parameters' values\n"
    "and each outcome's mean and 5-95 % band.\n"
    "\n"
    "  --param K=LO:HI[:STEPS]  a numeric key, its range, and for a grid its\n"
    "                   number of values (2 .. 1000); 1 .. 20 of them\n"
    "  --samples N      a Latin hypercube of N points instead of the grid\n"
    "  --runs R         runs a point (default 10)\n"
    "  --outcome NAME   an outcome to report (repeatable; default:\n"
    "                   isk_fighters_end, attacks, legit_public_end)\n"
    "  --set, --seed, --threads, --db, --quiet   as for compare\n";

static const char usage_calibrate[] =
    "usage: strife calibrate [SCENARIO] [--particles N] [--generations G]\n"
    "                        [--quantile Q] [--runs R] [--batch B]\n"
    "                        [--min-accept A] [--budget P] [--out DIR]\n"
    "                        [--set KEY=VALUE]... [--seed N] [--threads N]\n"
    "                        [--db FILE] [--quiet]\n"
    "\n"
    "Fits the free parameters the scenario marks (calibration.free, each\n"
    "with its prior) to its targets (calibration.targets) by approximate\n"
    "Bayesian computation, sequential Monte Carlo (docs/calibration.md):\n"
    "each generation's tolerance is the Q-quantile of the last one's\n"
    "distances, and a proposal is accepted when its distance is at most\n"
    "the tolerance.  Every run goes into the results database FILE;\n"
    "writes DIR/posterior.csv and DIR/NAME.calibrated.json (the scenario\n"
    "with each free parameter at its posterior median, cited) and prints\n"
    "the generations, the posterior and the fit.\n"
    "\n"
    "  --particles N    posterior sample size (default 100)\n"
    "  --generations G  generations at most (default 5)\n"
    "  --quantile Q     tolerance quantile, in (0, 1) (default 0.5)\n"
    "  --runs R         runs a proposal, outcomes averaged (default 1)\n"
    "  --batch B        proposals run at once, at most (default N)\n"
    "  --min-accept A   stop when a generation accepts less (default 0.02)\n"
    "  --budget P       proposals at most (default: no limit)\n"
    "  --out DIR        output directory (default: calibration)\n"
    "  --db FILE        results database (default: calibration.db)\n"
    "  --set, --seed, --threads, --quiet   as for compare\n"
    "\n"
    "Like compare, it resumes from its database after an interruption and\n"
    "refuses one made for other settings, scenario or version.\n";

static const char usage_help[] =
    "usage: strife help [run|validate|compare|sweep|sensitivity|calibrate|\n"
    "                    scenario]\n";

static void print_diag(const strife_diag *d, int rc) {
  if (strife_dist_rank() != 0) return; /* rank 0 speaks for all */
  char buf[1024];
  if (d->msg[0])
    strife_diag_format(d, buf, sizeof buf);
  else
    snprintf(buf, sizeof buf, "%s", strife_strerror(rc));
  fprintf(stderr, "strife: %s\n", buf);
}

static int exit_for(int rc) {
  switch (rc) {
  case STRIFE_OK:
    return 0;
  case STRIFE_EIO:
  case STRIFE_ESYNTAX:
  case STRIFE_ESCENARIO:
  case STRIFE_ELIMIT:
  case STRIFE_ENOTSUP:
  case STRIFE_EINVAL:
    return EXIT_BAD_INPUT;
  case STRIFE_ECANCELED:
    return EXIT_INTERRUPTED;
  default:
    return 1;
  }
}

/* Parses a decimal integer in [lo, hi]; 0 on success. */
static int parse_int(const char *s, unsigned long long lo,
                     unsigned long long hi, unsigned long long *out) {
  if (!s || !*s || *s == '-' || *s == '+') return -1;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return -1;
  errno = 0;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

static int bad_usage(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int bad_usage(const char *usage, const char *fmt, ...) {
  if (strife_dist_rank() != 0) return EXIT_BAD_INPUT;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "strife: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n\n%s", usage);
  va_end(ap);
  return EXIT_BAD_INPUT;
}

static int file_exists(const char *p) {
  return access(p, F_OK) == 0;
}

/* 'path', or the default scenario: ./scenarios/ first, then the installed
   one. */
static const char *default_path(const char *path) {
  static char fallback[4096];
  static const char local[] = "scenarios/afghanistan-2021.json";
  if (path) return path;
  if (file_exists(local)) return local;
  snprintf(fallback, sizeof fallback, "%s/%s", STRIFE_SCENARIO_DIR,
           default_scenario);
  return fallback;
}

struct run_args {
  const char *scenario;
  const char *out;
  const char *sets[MAX_SETS + 3];
  size_t n_sets;
  char seed_set[64], ticks_set[64], policy_set[96];
  unsigned threads;
  int quiet;
};

/* Parses the options shared by run and validate. */
static int parse_args(int argc, char **argv, const char *usage, int is_run,
                      struct run_args *a) {
  memset(a, 0, sizeof *a);
  a->out = "out";
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    unsigned long long v;
    if (strcmp(arg, "--set") == 0) {
      if (!val) return bad_usage(usage, "%s needs KEY=VALUE", arg);
      if (a->n_sets >= MAX_SETS)
        return bad_usage(usage, "too many %s options", arg);
      a->sets[a->n_sets++] = val;
      i++;
    } else if (is_run && strcmp(arg, "--seed") == 0) {
      if (parse_int(val, 0, 9223372036854775807ull, &v))
        return bad_usage(usage,
                         "--seed: expected an integer in 0..2^63-1, got '%s'",
                         val ? val : "");
      snprintf(a->seed_set, sizeof a->seed_set, "run.seed=%llu", v);
      i++;
    } else if (is_run && strcmp(arg, "--ticks") == 0) {
      if (parse_int(val, 0, 1000000000ull, &v))
        return bad_usage(
            usage, "--ticks: expected an integer in 0..1000000000, got '%s'",
            val ? val : "");
      snprintf(a->ticks_set, sizeof a->ticks_set, "run.ticks=%llu", v);
      i++;
    } else if (is_run && strcmp(arg, "--policy") == 0) {
      if (!val || !*val || strlen(val) > 64)
        return bad_usage(usage, "%s needs a policy name", arg);
      snprintf(a->policy_set, sizeof a->policy_set, "policy=%s", val);
      i++;
    } else if (is_run && strcmp(arg, "--threads") == 0) {
      if (parse_int(val, 1, 1024, &v))
        return bad_usage(usage,
                         "--threads: expected an integer in 1..1024, got '%s'",
                         val ? val : "");
      a->threads = (unsigned)v;
      i++;
    } else if (is_run && strcmp(arg, "--out") == 0) {
      if (!val || !*val) return bad_usage(usage, "%s needs a directory", arg);
      a->out = val;
      i++;
    } else if (is_run && strcmp(arg, "--quiet") == 0) {
      a->quiet = 1;
    } else if (arg[0] == '-' && arg[1]) {
      return bad_usage(usage, "unknown option '%s'", arg);
    } else if (!a->scenario) {
      a->scenario = arg;
    } else {
      return bad_usage(usage, "unexpected argument '%s'", arg);
    }
  }
  /* --policy, --seed and --ticks go last so they win over --set. */
  if (a->policy_set[0]) a->sets[a->n_sets++] = a->policy_set;
  if (a->seed_set[0]) a->sets[a->n_sets++] = a->seed_set;
  if (a->ticks_set[0]) a->sets[a->n_sets++] = a->ticks_set;
  return 0;
}

static int load(const struct run_args *a, strife_scenario **sc) {
  strife_diag d;
  int rc = strife_scenario_load(a->scenario, a->sets, a->n_sets, sc, &d);
  if (rc) print_diag(&d, rc);
  return rc;
}

static int cmd_run(int argc, char **argv) {
  struct run_args a;
  int rc = parse_args(argc, argv, usage_run, 1, &a);
  if (rc) return rc;
  a.scenario = default_path(a.scenario);
  /* From here Ctrl-C stops the run between ticks, outputs written. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigaction(SIGINT, &sa, NULL);
  strife_scenario *sc;
  rc = load(&a, &sc);
  if (rc) return exit_for(rc);

  strife_config cfg;
  strife_config_init(&cfg);
  cfg.threads = a.threads;
  cfg.cancel = &interrupted;

  strife_run_result res;
  strife_diag d;
  rc = strife_run(sc, &cfg, a.out, &res, &d);
  if (rc && rc != STRIFE_ECANCELED) {
    print_diag(&d, rc);
    strife_scenario_destroy(sc);
    return rc == STRIFE_ENOMEM || rc == STRIFE_EIO ? 1 : exit_for(rc);
  }
  if (!a.quiet) {
    double steps = (double)res.agents * (double)res.ticks;
    printf("strife %s: scenario %s (%s), seed %llu\n", strife_version_string(),
           strife_scenario_name(sc), strife_scenario_hash(sc),
           (unsigned long long)res.seed);
    printf("  %s %lld of %lld ticks in %.3f s",
           rc == STRIFE_ECANCELED ? "INTERRUPTED after" : "ran",
           (long long)res.ticks, (long long)strife_scenario_ticks(sc),
           res.wall_seconds);
    if (res.wall_seconds > 0)
      printf(" (%.3g agent-steps/s)", steps / res.wall_seconds);
    if (res.table[0]) {
      printf("\n%s", res.table);
      printf("  outputs: %s/national.csv %s/provinces.csv %s/events.csv\n"
             "           %s/summary.json %s/scenario.json\n",
             a.out, a.out, a.out, a.out, a.out);
      strife_scenario_destroy(sc);
      return exit_for(rc);
    }
    printf("\n  final: quiet %llu, active %llu, jailed %llu, cops %llu\n",
           (unsigned long long)res.final.quiet,
           (unsigned long long)res.final.active,
           (unsigned long long)res.final.jailed,
           (unsigned long long)res.final.cops);
    printf("  active citizens: mean %.1f, peak %llu\n", res.mean_active,
           (unsigned long long)res.peak_active);
    printf("  outputs: %s/series.csv %s/summary.json %s/scenario.json\n", a.out,
           a.out, a.out);
  }
  strife_scenario_destroy(sc);
  return exit_for(rc);
}

static int cmd_validate(int argc, char **argv) {
  struct run_args a;
  int rc = parse_args(argc, argv, usage_validate, 0, &a);
  if (rc) return rc;
  if (!a.scenario)
    return bad_usage(usage_validate, "%s", "validate needs a SCENARIO file");
  strife_scenario *sc;
  rc = load(&a, &sc);
  if (rc) return exit_for(rc);
  printf("%s: ok: scenario %s, model %s, %lld ticks, %s\n", a.scenario,
         strife_scenario_name(sc), strife_scenario_model(sc),
         (long long)strife_scenario_ticks(sc), strife_scenario_hash(sc));
  strife_scenario_destroy(sc);
  return 0;
}

/* Splits 'list' (copied into buf) at commas into out[] (at most 'max');
   returns the count, or -1 for an empty item or too many. */
static int split(const char *list, char *buf, size_t size, const char **out,
                 int max) {
  size_t len = strlen(list);
  if (len >= size) return -1;
  memcpy(buf, list, len + 1);
  int n = 0;
  for (char *p = buf;;) {
    char *comma = strchr(p, ',');
    if (comma) *comma = '\0';
    if (!*p || n == max) return -1;
    out[n++] = p;
    if (!comma) return n;
    p = comma + 1;
  }
}

struct progress {
  int tty;
  uint64_t first; /* runs done when the command started */
  double t0, last;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* On a terminal a line redrawn in place; elsewhere a line every 5 s. */
static void on_progress(void *ud, uint64_t done, uint64_t total) {
  struct progress *p = ud;
  double t = now_s();
  if (!p->first && done > 0) p->first = done - 1;
  if (!p->tty && t - p->last < 5.0 && done < total) return;
  p->last = t;
  double rate = (double)(done - p->first) / (t - p->t0 > 0 ? t - p->t0 : 1);
  double left = rate > 0 ? (double)(total - done) / rate : 0;
  fprintf(stderr, "%s  runs %llu/%llu (%.0f%%), %.2f runs/s, %d:%02d left%s",
          p->tty ? "\r" : "", (unsigned long long)done,
          (unsigned long long)total, 100.0 * (double)done / (double)total, rate,
          (int)(left / 60), (int)left % 60, p->tty ? "  " : "\n");
  fflush(stderr);
}

/* The options every experiment takes. */
struct exp_args {
  const char *scenario, *db;
  const char *sets[MAX_SETS + 1];
  size_t n_sets;
  char seed_set[64];
  unsigned threads;
  int quiet;
};

/* Takes argv[*i] if it is an option every experiment has: returns 1 (and
   moves *i past its value), 0 if it is not one, or an exit status < 0
   negated. */
static int exp_option(const char *usage, int argc, char **argv, int *i,
                      struct exp_args *a) {
  const char *arg = argv[*i];
  const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
  unsigned long long v;
  if (strcmp(arg, "--threads") == 0) {
    if (parse_int(val, 1, 1024, &v))
      return -bad_usage(usage,
                        "--threads: expected an integer in 1..1024, got '%s'",
                        val ? val : "");
    a->threads = (unsigned)v;
  } else if (strcmp(arg, "--seed") == 0) {
    if (parse_int(val, 0, 9223372036854775807ull, &v))
      return -bad_usage(usage,
                        "--seed: expected an integer in 0..2^63-1, got '%s'",
                        val ? val : "");
    snprintf(a->seed_set, sizeof a->seed_set, "run.seed=%llu", v);
  } else if (strcmp(arg, "--set") == 0) {
    if (!val) return -bad_usage(usage, "%s needs KEY=VALUE", arg);
    if (a->n_sets >= MAX_SETS)
      return -bad_usage(usage, "too many %s options", arg);
    a->sets[a->n_sets++] = val;
  } else if (strcmp(arg, "--db") == 0) {
    if (!val || !*val) return -bad_usage(usage, "--db needs a file");
    a->db = val;
  } else if (strcmp(arg, "--quiet") == 0) {
    a->quiet = 1;
    return 1;
  } else if (arg[0] == '-' && arg[1]) {
    return 0;
  } else if (!a->scenario) {
    a->scenario = arg;
    return 1;
  } else {
    return -bad_usage(usage, "unexpected argument '%s'", arg);
  }
  (*i)++;
  return 1;
}

/* After parsing, the options every experiment takes: the seed override
   last, the default scenario, the command line kept as provenance, Ctrl-C
   caught, the progress line set up. */
static strife_experiment_opts exp_begin(const char *name, int argc, char **argv,
                                        struct exp_args *a,
                                        struct progress *pr) {
  if (a->seed_set[0]) a->sets[a->n_sets++] = a->seed_set;
  a->scenario = default_path(a->scenario);
  static char command[8192];
  size_t len = (size_t)snprintf(command, sizeof command, "strife %s", name);
  for (int i = 0; i < argc && len < sizeof command; i++)
    len +=
        (size_t)snprintf(command + len, sizeof command - len, " %s", argv[i]);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigaction(SIGINT, &sa, NULL);
  *pr = (struct progress){isatty(2), 0, now_s(), 0};
  strife_experiment_opts x = {a->scenario,  a->sets, a->n_sets,
                              a->threads,   a->db,   command,
                              &interrupted, NULL,    NULL};
  if (!a->quiet && strife_dist_rank() == 0) {
    x.progress = on_progress;
    x.progress_ud = pr;
  }
  return x;
}

/* Prints an experiment's outcome: its error, or its header and table. */
static int exp_end(const char *name, int rc, const strife_diag *d,
                   const struct exp_args *a, const struct progress *pr,
                   uint64_t ran, uint64_t skipped, char *table) {
  if (!a->quiet && pr->tty && pr->last > 0) fputc('\n', stderr);
  if (rc && rc != STRIFE_ECANCELED) {
    print_diag(d, rc);
    return rc == STRIFE_ENOMEM ? 1 : exit_for(rc);
  }
  if (!table) {
    fprintf(stderr, "strife: %s\n", strife_strerror(STRIFE_ENOMEM));
    return 1;
  }
  if (strife_dist_rank() != 0) { /* rank 0 prints */
    free(table);
    return exit_for(rc);
  }
  printf("strife %s %s: %llu runs now, %llu found in %s%s\n",
         strife_version_string(), name, (unsigned long long)ran,
         (unsigned long long)skipped, a->db,
         rc == STRIFE_ECANCELED ? " (INTERRUPTED: run it again to go on)" : "");
  fputs(table, stdout);
  free(table);
  return exit_for(rc);
}

static int cmd_compare(int argc, char **argv) {
  enum { MAX_ARMS = 64 };
  static char pbuf[4096], vbuf[4096], key[256];
  static struct exp_args a;
  const char *policies[MAX_ARMS], *values[MAX_ARMS];
  strife_compare_opts o;
  memset(&o, 0, sizeof o);
  o.runs = 100;
  a.db = "results.db";
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    unsigned long long v;
    int n = exp_option(usage_compare, argc, argv, &i, &a);
    if (n < 0) return -n;
    if (n) continue;
    if (strcmp(arg, "--policies") == 0) {
      if (!val || (n = split(val, pbuf, sizeof pbuf, policies, MAX_ARMS)) < 0)
        return bad_usage(usage_compare,
                         "--policies: expected a comma-separated list of "
                         "policies, got '%s'",
                         val ? val : "");
      o.policies = policies;
      o.n_policies = (size_t)n;
    } else if (strcmp(arg, "--vary") == 0) {
      const char *eq = val ? strchr(val, '=') : NULL;
      if (!eq || eq == val || (size_t)(eq - val) >= sizeof key ||
          (n = split(eq + 1, vbuf, sizeof vbuf, values, MAX_ARMS)) < 0)
        return bad_usage(usage_compare,
                         "--vary: expected KEY=V1,V2,..., got '%s'",
                         val ? val : "");
      memcpy(key, val, (size_t)(eq - val));
      key[eq - val] = '\0';
      o.vary_key = key;
      o.vary_values = values;
      o.n_vary = (size_t)n;
    } else if (strcmp(arg, "--runs") == 0) {
      if (parse_int(val, 1, 1000000, &v))
        return bad_usage(usage_compare,
                         "--runs: expected an integer in 1..1000000, got '%s'",
                         val ? val : "");
      o.runs = (uint32_t)v;
    } else {
      return bad_usage(usage_compare, "unknown option '%s'", arg);
    }
    i++;
  }
  if (!o.n_policies)
    return bad_usage(usage_compare, "compare needs --policies");
  struct progress pr;
  o.exp = exp_begin("compare", argc, argv, &a, &pr);
  strife_compare *c = NULL;
  strife_diag d;
  int rc = strife_compare_run(&o, &c, &d);
  int st = exp_end("compare", rc, &d, &a, &pr, c ? strife_compare_ran(c) : 0,
                   c ? strife_compare_skipped(c) : 0,
                   c ? strife_compare_table(c) : NULL);
  strife_compare_free(c);
  return st;
}

/* "KEY=LO:HI", or "KEY=LO:HI:STEPS" when 'steps', into p (key copied into
   buf); 0 on success. */
static int parse_range(const char *s, char *buf, size_t size,
                       strife_param_range *p, int steps) {
  const char *eq = s ? strchr(s, '=') : NULL;
  if (!eq || eq == s || (size_t)(eq - s) >= size) return -1;
  memcpy(buf, s, (size_t)(eq - s));
  buf[eq - s] = '\0';
  char *end;
  errno = 0;
  p->lo = strtod(eq + 1, &end);
  if (end == eq + 1 || *end != ':' || errno) return -1;
  const char *h = end + 1;
  p->hi = strtod(h, &end);
  if (end == h || errno) return -1;
  p->steps = 0;
  if (steps && *end == ':') {
    unsigned long long v;
    if (parse_int(end + 1, 1, 1000000, &v)) return -1;
    p->steps = (unsigned)v;
  } else if (*end) {
    return -1;
  }
  p->key = buf;
  return 0;
}

/* The options of the designs (sweep, sensitivity): parameters with their
   ranges, outcomes reported, samples. */
struct design_args {
  char keys[20][128];
  strife_param_range params[20];
  size_t n_params;
  const char *outcomes[64];
  size_t n_outcomes;
  uint32_t samples;
};

/* As exp_option, for the design options; 'steps': a parameter may give
   its grid steps; 'min_samples': the fewest samples. */
static int design_option(const char *usage, int argc, char **argv, int *i,
                         struct design_args *d, int steps,
                         unsigned min_samples) {
  const char *arg = argv[*i];
  const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
  unsigned long long v;
  if (strcmp(arg, "--param") == 0) {
    if (d->n_params == 20) return -bad_usage(usage, "at most 20 --param");
    if (parse_range(val, d->keys[d->n_params], sizeof d->keys[0],
                    &d->params[d->n_params], steps))
      return -bad_usage(usage, "--param: expected KEY=LO:HI%s, got '%s'",
                        steps ? "[:STEPS]" : "", val ? val : "");
    d->n_params++;
  } else if (strcmp(arg, "--samples") == 0) {
    if (parse_int(val, min_samples, 100000, &v))
      return -bad_usage(usage,
                        "--samples: expected an integer in %u..100000, got "
                        "'%s'",
                        min_samples, val ? val : "");
    d->samples = (uint32_t)v;
  } else if (strcmp(arg, "--outcome") == 0) {
    if (!val || d->n_outcomes == 64)
      return -bad_usage(usage, "--outcome needs a name");
    d->outcomes[d->n_outcomes++] = val;
  } else {
    return 0;
  }
  (*i)++;
  return 1;
}

static int cmd_sensitivity(int argc, char **argv) {
  static struct exp_args a;
  static struct design_args g;
  strife_sensitivity_opts o;
  memset(&o, 0, sizeof o);
  a.db = "results.db";
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    unsigned long long v;
    int n = exp_option(usage_sensitivity, argc, argv, &i, &a);
    if (!n) n = design_option(usage_sensitivity, argc, argv, &i, &g, 0, 2);
    if (n < 0) return -n;
    if (n) continue;
    if (strcmp(arg, "--method") == 0) {
      if (!val || (strcmp(val, "sobol") != 0 && strcmp(val, "morris") != 0))
        return bad_usage(usage_sensitivity,
                         "--method: expected sobol or morris, got '%s'",
                         val ? val : "");
      o.method = val;
    } else if (strcmp(arg, "--levels") == 0) {
      if (parse_int(val, 2, 1000, &v) || v % 2)
        return bad_usage(usage_sensitivity,
                         "--levels: expected an even integer in 2..1000, got "
                         "'%s'",
                         val ? val : "");
      o.levels = (unsigned)v;
    } else if (strcmp(arg, "--boot") == 0) {
      if (parse_int(val, 2, 100000, &v))
        return bad_usage(usage_sensitivity,
                         "--boot: expected an integer in 2..100000, got '%s'",
                         val ? val : "");
      o.boot = (uint32_t)v;
    } else {
      return bad_usage(usage_sensitivity, "unknown option '%s'", arg);
    }
    i++;
  }
  if (!o.method)
    return bad_usage(usage_sensitivity, "sensitivity needs --method");
  if (!g.n_params)
    return bad_usage(usage_sensitivity, "sensitivity needs --param");
  struct progress pr;
  o.exp = exp_begin("sensitivity", argc, argv, &a, &pr);
  o.params = g.params;
  o.n_params = g.n_params;
  o.outcomes = g.outcomes;
  o.n_outcomes = g.n_outcomes;
  o.samples = g.samples ? g.samples : strcmp(o.method, "sobol") == 0 ? 64 : 10;
  strife_sensitivity *s = NULL;
  strife_diag d;
  int rc = strife_sensitivity_run(&o, &s, &d);
  int st =
      exp_end("sensitivity", rc, &d, &a, &pr, s ? strife_sensitivity_ran(s) : 0,
              s ? strife_sensitivity_skipped(s) : 0,
              s ? strife_sensitivity_table(s) : NULL);
  strife_sensitivity_free(s);
  return st;
}

static int cmd_sweep(int argc, char **argv) {
  static struct exp_args a;
  static struct design_args g;
  strife_sweep_opts o;
  memset(&o, 0, sizeof o);
  o.runs = 10;
  a.db = "results.db";
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    unsigned long long v;
    int n = exp_option(usage_sweep, argc, argv, &i, &a);
    if (!n) n = design_option(usage_sweep, argc, argv, &i, &g, 1, 1);
    if (n < 0) return -n;
    if (n) continue;
    if (strcmp(arg, "--runs") == 0) {
      if (parse_int(val, 1, 1000000, &v))
        return bad_usage(usage_sweep,
                         "--runs: expected an integer in 1..1000000, got '%s'",
                         val ? val : "");
      o.runs = (uint32_t)v;
    } else {
      return bad_usage(usage_sweep, "unknown option '%s'", arg);
    }
    i++;
  }
  if (!g.n_params) return bad_usage(usage_sweep, "sweep needs --param");
  struct progress pr;
  o.exp = exp_begin("sweep", argc, argv, &a, &pr);
  o.params = g.params;
  o.n_params = g.n_params;
  o.outcomes = g.outcomes;
  o.n_outcomes = g.n_outcomes;
  o.samples = g.samples;
  strife_sweep *s = NULL;
  strife_diag d;
  int rc = strife_sweep_run(&o, &s, &d);
  int st = exp_end("sweep", rc, &d, &a, &pr, s ? strife_sweep_ran(s) : 0,
                   s ? strife_sweep_skipped(s) : 0,
                   s ? strife_sweep_table(s) : NULL);
  strife_sweep_free(s);
  return st;
}

/* Parses a finite decimal number; 0 on success. */
static int parse_real(const char *s, double *out) {
  if (!s || !*s) return -1;
  errno = 0;
  char *end;
  double v = strtod(s, &end);
  if (errno || *end || !(v == v) || v > 1e308 || v < -1e308) return -1;
  *out = v;
  return 0;
}

static int cmd_calibrate(int argc, char **argv) {
  static struct exp_args a;
  strife_calibrate_opts o;
  memset(&o, 0, sizeof o);
  o.particles = 100;
  o.generations = 5;
  o.quantile = 0.5;
  o.runs = 1;
  o.min_accept = 0.02;
  o.out = "calibration";
  a.db = "calibration.db";
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    unsigned long long v = 0;
    int n = exp_option(usage_calibrate, argc, argv, &i, &a);
    if (n < 0) return -n;
    if (n) continue;
    static const struct {
      const char *name;
      unsigned long long lo, hi;
    } ints[] = {{"--particles", 2, 100000},
                {"--generations", 1, 100},
                {"--runs", 1, 10000},
                {"--batch", 1, 1000000},
                {"--budget", 2, 1000000000}};
    size_t w = 0;
    while (w < 5 && strcmp(arg, ints[w].name) != 0)
      w++;
    if (w < 5) {
      if (parse_int(val, ints[w].lo, ints[w].hi, &v))
        return bad_usage(usage_calibrate,
                         "%s: expected an integer in %llu..%llu, got '%s'", arg,
                         ints[w].lo, ints[w].hi, val ? val : "");
      if (w == 0) o.particles = (uint32_t)v;
      if (w == 1) o.generations = (unsigned)v;
      if (w == 2) o.runs = (uint32_t)v;
      if (w == 3) o.batch = (uint32_t)v;
      if (w == 4) o.budget = v;
    } else if (strcmp(arg, "--quantile") == 0) {
      if (parse_real(val, &o.quantile) || !(o.quantile > 0 && o.quantile < 1))
        return bad_usage(usage_calibrate,
                         "--quantile: expected a number in (0, 1), got '%s'",
                         val ? val : "");
    } else if (strcmp(arg, "--min-accept") == 0) {
      if (parse_real(val, &o.min_accept) ||
          !(o.min_accept >= 0 && o.min_accept < 1))
        return bad_usage(usage_calibrate,
                         "--min-accept: expected a number in [0, 1), got '%s'",
                         val ? val : "");
    } else if (strcmp(arg, "--out") == 0) {
      if (!val || !*val)
        return bad_usage(usage_calibrate, "--out needs a directory");
      o.out = val;
    } else {
      return bad_usage(usage_calibrate, "unknown option '%s'", arg);
    }
    i++;
  }
  if (o.budget && o.budget < o.particles)
    return bad_usage(usage_calibrate,
                     "--budget: expected at least the %u particles, got %llu",
                     o.particles, (unsigned long long)o.budget);
  struct progress pr;
  o.exp = exp_begin("calibrate", argc, argv, &a, &pr);
  strife_calibration *c = NULL;
  strife_diag d;
  int rc = strife_calibrate_run(&o, &c, &d);
  int st =
      exp_end("calibrate", rc, &d, &a, &pr, c ? strife_calibration_ran(c) : 0,
              c ? strife_calibration_skipped(c) : 0,
              c ? strife_calibration_table(c) : NULL);
  strife_calibration_free(c);
  return st;
}

static void help_scenario(void) {
  printf("Scenario keys (JSON; dotted paths are nested objects; "
         "docs/scenarios.md has more):\n\n");
  for (size_t i = 0; i < strife_key_count(); i++) {
    strife_key_info k;
    strife_key_get(i, &k);
    printf("  %-26s %s", k.key, k.type);
    if (k.range[0]) printf(" %s", k.range);
    if (k.unit[0]) printf(" (%s)", k.unit);
    printf(", default %s\n      %s\n", k.deflt, k.doc);
  }
}

static int cmd_help(int argc, char **argv) {
  if (argc == 0) {
    fputs(usage_main, stdout);
    return 0;
  }
  if (strcmp(argv[0], "run") == 0)
    fputs(usage_run, stdout);
  else if (strcmp(argv[0], "validate") == 0)
    fputs(usage_validate, stdout);
  else if (strcmp(argv[0], "compare") == 0)
    fputs(usage_compare, stdout);
  else if (strcmp(argv[0], "sensitivity") == 0)
    fputs(usage_sensitivity, stdout);
  else if (strcmp(argv[0], "sweep") == 0)
    fputs(usage_sweep, stdout);
  else if (strcmp(argv[0], "calibrate") == 0)
    fputs(usage_calibrate, stdout);
  else if (strcmp(argv[0], "help") == 0)
    fputs(usage_help, stdout);
  else if (strcmp(argv[0], "scenario") == 0)
    help_scenario();
  else
    return bad_usage(usage_help, "no help for '%s'", argv[0]);
  return 0;
}

static int command(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_main, stderr);
    return EXIT_BAD_INPUT;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("strife %s\n", strife_version_string());
    return 0;
  }
  if (strcmp(cmd, "run") == 0) return cmd_run(argc - 2, argv + 2);
  if (strcmp(cmd, "validate") == 0) return cmd_validate(argc - 2, argv + 2);
  if (strcmp(cmd, "compare") == 0) return cmd_compare(argc - 2, argv + 2);
  if (strcmp(cmd, "sensitivity") == 0)
    return cmd_sensitivity(argc - 2, argv + 2);
  if (strcmp(cmd, "sweep") == 0) return cmd_sweep(argc - 2, argv + 2);
  if (strcmp(cmd, "calibrate") == 0) return cmd_calibrate(argc - 2, argv + 2);
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "-h") == 0)
    return cmd_help(argc - 2, argv + 2);
  return bad_usage(usage_main, "unknown command '%s'", cmd);
}

int main(int argc, char **argv) {
  /* Under mpirun every rank runs the command; an experiment spreads its
     runs over them, anything else runs on rank 0 alone. */
  if (strife_dist_begin(&argc, &argv)) {
    fprintf(stderr, "strife: MPI did not start\n");
    return 1;
  }
  static const char *const spread[] = {"compare", "sweep", "sensitivity",
                                       "calibrate"};
  int alone = strife_dist_rank() != 0;
  for (size_t i = 0; alone && argc > 1 && i < 4; i++)
    alone = strcmp(argv[1], spread[i]) != 0;
  int st = alone ? 0 : command(argc, argv);
  strife_dist_end();
  return st;
}
