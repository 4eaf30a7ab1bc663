/* SPDX-License-Identifier: MIT */
/* strife run and strife validate (cli.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char cli_usage_run[] =
    "usage: strife run [SCENARIO] [--policy NAME] [--seed N] [--ticks N]\n"
    "                  [--threads N] [--set KEY=VALUE]... [--out DIR]\n"
    "\n"
    "Runs SCENARIO (default: scenarios/afghanistan-2021.json), writes its\n"
    "outputs into DIR (docs/outputs.md) and prints a summary: a CSV file for\n"
    "each table of the model (strife help models lists them: an Afghan\n"
    "scenario writes national.csv, provinces.csv and events.csv, an Epstein\n"
    "scenario series.csv), summary.json and scenario.json.  The files appear\n"
    "together, once all are written.\n"
    "\n"
    "  --policy NAME    sets the key policy (the Afghan model's course:\n"
    "                   status-quo, anti-terror-push, middle-road or\n"
    "                   radicalise)\n"
    "  --seed N         master seed (0 .. 2^63-1); replaces run.seed\n"
    "  --ticks N        ticks to run (0 .. 1000000000); replaces run.ticks\n"
    "  --threads N      threads for the parallel updates (1 .. 1024);\n"
    "                   outputs do not depend on it\n"
    "  --set KEY=VALUE  override a scenario key, checked like the file;\n"
    "                   VALUE is JSON or a bare word (a string);\n"
    "                   repeatable, applied in order\n"
    "  --out DIR        output directory (default: out)\n"
    "  --quiet          print nothing but errors\n"
    "\n"
    "Ctrl-C (or SIGTERM, SIGHUP) stops between ticks; the ticks run so far\n"
    "are written and summary.json says \"interrupted\" (exit status 130).\n";

const char cli_usage_validate[] =
    "usage: strife validate SCENARIO [--set KEY=VALUE]...\n"
    "\n"
    "Checks SCENARIO (and the overrides) as 'run' would, prints its name and\n"
    "hash, and exits 0; or prints FILE:LINE:COLUMN: KEY: what was expected,\n"
    "and exits 2.\n";

struct run_args {
  const char *scenario, *out, *policy;
  const char *set_items[MAX_SETS + 3];
  struct cli_list sets;
  unsigned long long seed, ticks, threads;
  int quiet;
  char seed_set[64], ticks_set[64], policy_set[96];
};

/* The options of run (of validate: --set only). */
static int parse_run(int argc, char **argv, const char *usage, int is_run,
                     struct run_args *a) {
  memset(a, 0, sizeof *a);
  a->out = "out";
  a->sets = (struct cli_list){a->set_items, 0, MAX_SETS};
  a->seed = a->ticks = ~0ull;
  const struct cli_option opts[] = {
      {"--set", OPT_APPEND, &a->sets, 0, 0, NULL, "KEY=VALUE"},
      {"--seed", OPT_INT, &a->seed, 0, 9223372036854775807ull, NULL,
       "an integer in 0..2^63-1"},
      {"--ticks", OPT_INT, &a->ticks, 0, 1000000000ull, NULL,
       "an integer in 0..1000000000"},
      {"--policy", OPT_TEXT, &a->policy, 0, 0, NULL, "a policy name"},
      {"--threads", OPT_INT, &a->threads, 1, 1024, NULL,
       "an integer in 1..1024"},
      {"--out", OPT_TEXT, &a->out, 0, 0, NULL, "a directory"},
      {"--quiet", OPT_FLAG, &a->quiet, 0, 0, NULL, ""}};
  int rc = cli_parse(usage, argc, argv, opts, is_run ? 7 : 1, &a->scenario);
  if (rc) return rc;
  /* --policy, --seed and --ticks go last so they win over --set. */
  if (a->policy) {
    snprintf(a->policy_set, sizeof a->policy_set, "policy=%.80s", a->policy);
    a->sets.item[a->sets.n++] = a->policy_set;
  }
  if (a->seed != ~0ull) {
    snprintf(a->seed_set, sizeof a->seed_set, "run.seed=%llu", a->seed);
    a->sets.item[a->sets.n++] = a->seed_set;
  }
  if (a->ticks != ~0ull) {
    snprintf(a->ticks_set, sizeof a->ticks_set, "run.ticks=%llu", a->ticks);
    a->sets.item[a->sets.n++] = a->ticks_set;
  }
  return 0;
}

static int load(const struct run_args *a, strife_scenario **sc) {
  strife_diag d;
  int rc = strife_scenario_load(a->scenario, a->sets.item, a->sets.n, sc, &d);
  if (rc) cli_print_diag(&d, rc);
  return rc;
}

/* What a run did: its speed, its headline outcomes, its files. */
static void print_run(const strife_scenario *sc, const struct run_args *a,
                      const strife_run_result *res, int rc) {
  const strife_model_type *m = strife_scenario_model_type(sc);
  double steps = (double)res->agents * (double)res->ticks;
  printf("strife %s: scenario %s (%s), seed %llu\n", strife_version_string(),
         strife_scenario_name(sc), strife_scenario_hash(sc),
         (unsigned long long)res->seed);
  printf("  %s %lld of %lld ticks in %.3f s",
         rc == STRIFE_ECANCELED ? "INTERRUPTED after" : "ran",
         (long long)res->ticks, (long long)strife_scenario_ticks(sc),
         res->wall_seconds);
  if (res->wall_seconds > 0)
    printf(" (%.3g agent-steps/s)", steps / res->wall_seconds);
  printf("\n");
  for (size_t k = 0; k < res->n_outcomes; k++) {
    strife_outcome_info o;
    strife_model_outcome(m, k, &o);
    if (o.label)
      printf("  %-34s %12.*f\n", o.label, o.decimals, res->outcomes[k]);
  }
  printf("  outputs:");
  for (size_t t = 0; t < strife_model_table_count(m); t++)
    printf(" %s/%s", a->out, strife_model_table_file(m, t));
  printf("\n           %s/summary.json %s/scenario.json\n", a->out, a->out);
}

int cli_run(int argc, char **argv) {
  struct run_args a;
  int rc = parse_run(argc, argv, cli_usage_run, 1, &a);
  if (rc) return rc;
  a.scenario = cli_scenario(a.scenario);
  /* From here Ctrl-C stops the run between ticks, outputs written. */
  cli_catch_signals();
  strife_scenario *sc;
  rc = load(&a, &sc);
  if (rc) return cli_exit(rc);
  strife_config cfg;
  strife_config_init(&cfg);
  cfg.threads = (unsigned)a.threads;
  cfg.cancel = cli_cancel();
  strife_run_result res;
  strife_diag d;
  rc = strife_run(sc, &cfg, a.out, &res, &d);
  if (rc && rc != STRIFE_ECANCELED) {
    cli_print_diag(&d, rc);
    strife_scenario_destroy(sc);
    return rc == STRIFE_ENOMEM || rc == STRIFE_EIO ? 1 : cli_exit(rc);
  }
  if (!a.quiet) print_run(sc, &a, &res, rc);
  strife_scenario_destroy(sc);
  return cli_exit(rc);
}

int cli_validate(int argc, char **argv) {
  struct run_args a;
  int rc = parse_run(argc, argv, cli_usage_validate, 0, &a);
  if (rc) return rc;
  if (!a.scenario)
    return cli_bad_usage(cli_usage_validate, "%s",
                         "validate needs a SCENARIO file");
  strife_scenario *sc;
  rc = load(&a, &sc);
  if (rc) return cli_exit(rc);
  printf("%s: ok: scenario %s, model %s, %lld ticks, %s\n", a.scenario,
         strife_scenario_name(sc), strife_scenario_model(sc),
         (long long)strife_scenario_ticks(sc), strife_scenario_hash(sc));
  strife_scenario_destroy(sc);
  return 0;
}
