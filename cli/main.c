/* SPDX-License-Identifier: MIT */
/*
 * The strife command: a thin layer over the public API (strife.h only).
 *
 * Exit status: 0 success; 2 bad input (usage, unreadable or invalid
 * scenario); 1 any other failure; 130 interrupted by SIGINT (the ticks run
 * so far are written).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static const char usage_help[] = "usage: strife help [run|validate|scenario]\n";

static void print_diag(const strife_diag *d, int rc) {
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
  static char fallback[4096];
  if (!a.scenario) {
    static const char local[] = "scenarios/afghanistan-2021.json";
    if (file_exists(local)) {
      a.scenario = local;
    } else {
      snprintf(fallback, sizeof fallback, "%s/%s", STRIFE_SCENARIO_DIR,
               default_scenario);
      a.scenario = fallback;
    }
  }
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
  else if (strcmp(argv[0], "help") == 0)
    fputs(usage_help, stdout);
  else if (strcmp(argv[0], "scenario") == 0)
    help_scenario();
  else
    return bad_usage(usage_help, "no help for '%s'", argv[0]);
  return 0;
}

int main(int argc, char **argv) {
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
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "-h") == 0)
    return cmd_help(argc - 2, argv + 2);
  return bad_usage(usage_main, "unknown command '%s'", cmd);
}
