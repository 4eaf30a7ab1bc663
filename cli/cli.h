/* SPDX-License-Identifier: MIT */
/*
 * The strife command: a thin layer over the public API (strife.h and
 * experiment.h only).
 *
 *   main.c         the table of commands, help, exit statuses, MPI
 *   options.c      the options of a command, parsed from one table
 *   run.c          run and validate
 *   experiments.c  compare, sweep, sensitivity, calibrate and score
 */
#ifndef STRIFE_CLI_CLI_H
#define STRIFE_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <strife/experiment.h>
#include <strife/strife.h>

enum { EXIT_BAD_INPUT = 2, EXIT_INTERRUPTED = 130, MAX_SETS = 256 };

/* A command: its name, a line for the list of commands, its usage and
   what runs it (with the arguments after its name). */
struct cli_command {
  const char *name;
  const char *summary;
  const char *usage;
  int (*run)(int argc, char **argv);
  int spread; /* its runs spread over MPI ranks */
};

/* What kinds of option there are. */
enum opt_kind {
  OPT_FLAG,  /* sets *(int *)dst */
  OPT_INT,   /* an integer in [lo, hi] into *(unsigned long long *)dst */
  OPT_REAL,  /* a number in the range 'expect' says, checked by 'ok' */
  OPT_TEXT,  /* a non-empty string into *(const char **)dst */
  OPT_APPEND /* appends to a list: (struct cli_list *)dst */
};

/* A list of strings an option can be given many times. */
struct cli_list {
  const char **item;
  size_t n, max;
};

struct cli_option {
  const char *name;
  enum opt_kind kind;
  void *dst;
  unsigned long long lo, hi; /* OPT_INT */
  int (*ok)(double x);       /* OPT_REAL */
  const char *expect;        /* what a value must be, for messages */
};

/* Parses 'argc' arguments by the 'n' options (and one positional
   argument into *positional, if not NULL).  Returns 0, or an exit status
   after printing what was wrong and the usage. */
int cli_parse(const char *usage, int argc, char **argv,
              const struct cli_option *opts, size_t n, const char **positional);

/* Prints "strife: MESSAGE" and the usage to stderr (rank 0 only); returns
   EXIT_BAD_INPUT. */
int cli_bad_usage(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints a diagnostic (rank 0 only). */
void cli_print_diag(const strife_diag *d, int rc);
/* The exit status of a status code. */
int cli_exit(int rc);
/* 'path', or the default scenario: ./scenarios/ first, then the
   installed one. */
const char *cli_scenario(const char *path);
/* Whether this process is rank 0 of the MPI job (or alone). */
int cli_rank0(void);
/* The MPI job, or NULL. */
strife_mpi *cli_mpi(void);
/* Set by SIGINT, SIGTERM and SIGHUP once cli_catch_signals was called. */
const volatile int *cli_cancel(void);
void cli_catch_signals(void);

int cli_run(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_sensitivity(int argc, char **argv);
int cli_calibrate(int argc, char **argv);
int cli_record(int argc, char **argv);
int cli_score(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_serve(int argc, char **argv);

extern const char cli_usage_run[], cli_usage_validate[], cli_usage_compare[],
    cli_usage_sweep[], cli_usage_sensitivity[], cli_usage_calibrate[],
    cli_usage_record[], cli_usage_score[], cli_usage_report[],
    cli_usage_serve[];

#endif
