/* SPDX-License-Identifier: MIT */
/*
 * The strife command: one table of commands over the public API.
 *
 * Exit status: 0 success; 2 bad input (usage, unreadable or invalid
 * scenario, or a results database made for something else); 1 any other
 * failure; 130 interrupted by SIGINT, SIGTERM or SIGHUP (a run writes the
 * ticks run so far; an experiment keeps the runs it finished).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef STRIFE_SCENARIO_DIR
#  define STRIFE_SCENARIO_DIR "scenarios"
#endif

static volatile int interrupted;
static strife_mpi *mpi;

static int cli_help(int argc, char **argv);

static const char usage_help[] =
    "usage: strife help [COMMAND | scenario | models]\n"
    "\n"
    "Shows how to use a command, every scenario key (scenario), or the\n"
    "models with their outputs and outcomes (models).\n";

static const struct cli_command commands[] = {
    {"run", "run a scenario and write its outputs", cli_usage_run, cli_run, 0},
    {"validate", "check a scenario file without running it", cli_usage_validate,
     cli_validate, 0},
    {"compare",
     "run arms side by side on paired seeds, into a results "
     "database",
     cli_usage_compare, cli_compare, 1},
    {"sweep",
     "run a grid or Latin hypercube of parameter values, into a "
     "results database",
     cli_usage_sweep, cli_sweep, 1},
    {"sensitivity",
     "rank parameters by Sobol indices or Morris effects, "
     "into a results database",
     cli_usage_sensitivity, cli_sensitivity, 1},
    {"calibrate",
     "fit the scenario's free parameters to its targets "
     "(ABC-SMC), into a results database",
     cli_usage_calibrate, cli_calibrate, 1},
    {"score",
     "score an ensemble against the observed record, in and out of the "
     "fit window",
     cli_usage_score, cli_score, 1},
    {"record", "check and list files of the observed record", cli_usage_record,
     cli_record, 0},
    {"report",
     "write a self-contained HTML report of a run or a results database",
     cli_usage_report, cli_report, 0},
    {"serve",
     "serve the dashboard: start comparisons, follow them, browse "
     "results",
     cli_usage_serve, cli_serve, 0},
    {"help", "show help for a command, the scenario keys or the models",
     usage_help, cli_help, 0},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

/* The first signal asks the work to stop where it may (between ticks, or
   after the runs in flight); a second one ends the process at once, as
   the signal would without a handler. */
static void on_signal(int sig) {
  if (interrupted) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  interrupted = 1;
}

void cli_catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

const volatile int *cli_cancel(void) {
  return &interrupted;
}

strife_mpi *cli_mpi(void) {
  return mpi;
}

int cli_rank0(void) {
  return strife_mpi_rank(mpi) == 0;
}

void cli_print_diag(const strife_diag *d, int rc) {
  if (!cli_rank0()) return; /* rank 0 speaks for all */
  char buf[1024];
  if (d->msg[0])
    strife_diag_format(d, buf, sizeof buf);
  else
    snprintf(buf, sizeof buf, "%s", strife_strerror(rc));
  fprintf(stderr, "strife: %s\n", buf);
}

int cli_exit(int rc) {
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

int cli_bad_usage(const char *usage, const char *fmt, ...) {
  if (!cli_rank0()) return EXIT_BAD_INPUT;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "strife: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n\n%s", usage);
  va_end(ap);
  return EXIT_BAD_INPUT;
}

const char *cli_scenario(const char *path) {
  static char fallback[4096];
  static const char local[] = "scenarios/afghanistan-2021.json";
  if (path) return path;
  if (access(local, F_OK) == 0) return local;
  snprintf(fallback, sizeof fallback, "%s/afghanistan-2021.json",
           STRIFE_SCENARIO_DIR);
  return fallback;
}

/* The list of commands, generated from the table. */
static void usage_main(FILE *f) {
  fputs("usage: strife <command> [options]\n\ncommands:\n", f);
  for (int i = 0; i < N_COMMANDS; i++)
    fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fputs("\noptions:\n  --version    print the version and exit\n", f);
}

static const struct cli_command *find(const char *name) {
  for (int i = 0; i < N_COMMANDS; i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
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
    printf(", default %s%s%s\n      %s\n", k.deflt,
           k.model[0] ? "; model " : "", k.model, k.doc);
  }
}

static void help_models(void) {
  const strife_model_type *const *m = strife_models_builtin();
  for (size_t i = 0; m[i]; i++) {
    printf("%s%s: %s\n  writes:", i ? "\n" : "", strife_model_name(m[i]),
           strife_model_doc(m[i]));
    for (size_t t = 0; t < strife_model_table_count(m[i]); t++)
      printf(" %s", strife_model_table_file(m[i], t));
    printf(" summary.json scenario.json\n  outcomes:\n");
    for (size_t k = 0; k < strife_model_outcome_count(m[i]); k++) {
      strife_outcome_info o;
      strife_model_outcome(m[i], k, &o);
      printf("    %-30s %s%s%s\n", o.name, o.unit,
             o.better && o.unit[0] ? ", " : "",
             o.better > 0   ? "more is better"
             : o.better < 0 ? "less is better"
                            : "");
    }
  }
}

static int cli_help(int argc, char **argv) {
  if (argc == 0) {
    usage_main(stdout);
    return 0;
  }
  const struct cli_command *c = find(argv[0]);
  if (c)
    fputs(c->usage, stdout);
  else if (strcmp(argv[0], "scenario") == 0)
    help_scenario();
  else if (strcmp(argv[0], "models") == 0)
    help_models();
  else
    return cli_bad_usage(usage_help, "no help for '%s'", argv[0]);
  return 0;
}

static int command(int argc, char **argv) {
  if (argc < 2) {
    usage_main(stderr);
    return EXIT_BAD_INPUT;
  }
  const char *name = argv[1];
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf("strife %s\n", strife_version_string());
    return 0;
  }
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) name = "help";
  const struct cli_command *c = find(name);
  /* Under mpirun every rank runs the command; an experiment spreads its
     runs over them, anything else runs on rank 0 alone. */
  if (c && !c->spread && !cli_rank0()) return 0;
  if (c) return c->run(argc - 2, argv + 2);
  if (!cli_rank0()) return EXIT_BAD_INPUT;
  fprintf(stderr, "strife: unknown command '%s'\n\n", name);
  usage_main(stderr);
  return EXIT_BAD_INPUT;
}

/* Whether an MPI launcher (mpirun, a scheduler's) started this process:
   started by hand, it runs alone, without MPI's start-up (a singleton
   MPI_Init can be slow, or fail in a container). */
static int launched_by_mpi(void) {
  static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                     "PMIX_RANK", "MPI_LOCALNRANKS"};
  for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
    if (getenv(vars[i])) return 1;
  return 0;
}

int main(int argc, char **argv) {
  if (launched_by_mpi()) {
    int rc = strife_mpi_create(&argc, &argv, &mpi);
    if (rc && rc != STRIFE_ENOTSUP) {
      fprintf(stderr, "strife: MPI did not start\n");
      return 1;
    }
  }
  int st = command(argc, argv);
  strife_mpi_destroy(mpi);
  return st;
}
