/* SPDX-License-Identifier: MIT */
/*
 * strife compare, sweep, sensitivity and calibrate (cli.h): the options
 * they share (scenario, overrides, seed, threads, database, progress), the
 * options of each, and the experiment's table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char cli_usage_compare[] =
    "usage: strife compare [SCENARIO] [--policies A,B,... | --arm "
    "NAME:SETS]...\n"
    "                      [--vary KEY=V1,V2,...] [--runs N]\n"
    "                      [--posterior FILE [--assumptions]]\n"
    "                      [--set KEY=VALUE]... [--seed N] [--threads N]\n"
    "                      [--db FILE] [--quiet]\n"
    "\n"
    "Runs each arm (a policy, or a named set of overrides; crossed with each\n"
    "value of --vary, or just the values of --vary) N times on the\n"
    "same seeds (run i of every arm has seed S + i, S the scenario's seed),\n"
    "stores every run in the results database FILE (docs/results.md) and\n"
    "prints, per outcome, each arm's mean and 5-95 % band and each pair's\n"
    "paired difference with its 90 % interval and P(first better).\n"
    "\n"
    "  --policies LIST  an arm per value of the key policy (the Afghan\n"
    "                   model's presets: status-quo, anti-terror-push,\n"
    "                   middle-road, radicalise)\n"
    "  --arm NAME:K=V[,K=V...]\n"
    "                   an arm named NAME with these overrides\n"
    "                   (repeatable; instead of --policies)\n"
    "  --runs N         runs per arm (1 .. 1000000; default 100)\n"
    "  --vary K=V1,...  cross the arms with these values of key K (a\n"
    "                   lever such as us, china-development,\n"
    "                   pakistan-strikes, or any scenario key)\n"
    "  --posterior FILE draw each run's parameters from a posterior sample\n"
    "                   (a CSV file with a column per key, as calibrate's\n"
    "                   posterior.csv): run i of every arm draws the same\n"
    "                   row, so that the pairs compare over parameter and\n"
    "                   seed at once; the table says which parameters\n"
    "                   decide each pair (docs/calibration.md)\n"
    "  --assumptions    with --posterior: each run also draws every value\n"
    "                   of the scenario's calibration.screen the sample\n"
    "                   does not hold, uniformly over its range, so that\n"
    "                   the answers carry the assumptions' uncertainty\n"
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

const char cli_usage_sweep[] =
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
    "  --outcome NAME   an outcome to report (repeatable; default: the\n"
    "                   model's key outcomes)\n"
    "  --set, --seed, --threads, --db, --quiet, --posterior, --assumptions\n"
    "                   as for compare\n";

const char cli_usage_sensitivity[] =
    "usage: strife sensitivity [SCENARIO] --method sobol|morris\n"
    "                          --param KEY=LO:HI [--param ...] [--samples N]\n"
    "                          [--levels P] [--outcome NAME]... [--boot B]\n"
    "                          [--record FILE|DIR]... [--record-sd S]\n"
    "                          [--screen]\n"
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
    "  --param K=LO:HI  a parameter and its range; 1 .. 20 of them (Sobol),\n"
    "                   1 .. 128 (Morris)\n"
    "  --samples N      Sobol: N rows (default 64); Morris: r trajectories\n"
    "                   (default 10); 2 .. 100000\n"
    "  --levels P       Morris grid levels, even (default 4)\n"
    "  --outcome NAME   an outcome to report (repeatable; default: all)\n"
    "  --boot B         bootstrap resamples (default 500)\n"
    "  --record FILE|DIR  one more output, record_distance: each point's\n"
    "                   distance from the record's figures inside the fit\n"
    "                   window, as calibrate measures it\n"
    "  --record-sd S    its tolerance on the log scale (default 0.5)\n"
    "  --screen         Morris over every range of the scenario's\n"
    "                   calibration.screen (its values taken as\n"
    "                   assumptions) instead of --param\n"
    "  --set, --seed, --threads, --db, --quiet, --posterior, --assumptions\n"
    "                   as for compare\n"
    "\n"
    "Like compare, it resumes from its database and refuses one made for\n"
    "another design, scenario or version.\n";

const char cli_usage_calibrate[] =
    "usage: strife calibrate [SCENARIO] [--particles N] [--generations G]\n"
    "                        [--quantile Q] [--runs R] [--batch B]\n"
    "                        [--min-accept A] [--budget P] [--out DIR]\n"
    "                        [--record FILE|DIR]... [--record-sd S]\n"
    "                        [--set KEY=VALUE]... [--seed N] [--threads N]\n"
    "                        [--db FILE] [--quiet]\n"
    "\n"
    "Fits the free parameters the scenario marks (calibration.free, each\n"
    "with its prior) to its targets (calibration.targets), and with\n"
    "--record to the figures of the observed record inside the fit window\n"
    "(calibration.window), by approximate\n"
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
    "  --record FILE|DIR  fit also to the record's figures inside the fit\n"
    "                   window that score would score (docs/score.md)\n"
    "  --record-sd S    tolerance of a figure on the log scale: a miss by\n"
    "                   a factor e^S counts as one scale (default 0.5)\n"
    "  --db FILE        results database (default: calibration.db)\n"
    "  --set, --seed, --threads, --quiet   as for compare\n"
    "\n"
    "Like compare, it resumes from its database after an interruption and\n"
    "refuses one made for other settings, scenario or version.\n";

const char cli_usage_score[] =
    "usage: strife score [SCENARIO] [--record FILE|DIR]... [--runs N]\n"
    "                    [--from DB [--arm LABEL]] [--csv FILE]\n"
    "                    [--min-coverage F] [--set KEY=VALUE]... [--seed N]\n"
    "                    [--threads N] [--db FILE] [--quiet]\n"
    "\n"
    "Runs the scenario N times into the results database FILE (or reads the\n"
    "runs of an arm of any results database with --from) and scores them\n"
    "against the observed record (docs/score.md): for each figure the model\n"
    "has a series for, the ensemble's median and 90 % band over the\n"
    "figure's period, whether the figure lies inside, and its CRPS; in the\n"
    "scenario's fit window (calibration.window) and after it apart, with\n"
    "the coverage of each; then each month of the record's monthly series\n"
    "after the window forecast by the runs and by naive forecasts fitted\n"
    "inside it, scored by the CRPS (forecast skill).\n"
    "\n"
    "  --record PATH    a record file, or a directory of them (repeatable;\n"
    "                   default: data/observed)\n"
    "  --runs N         runs of the scenario (default 100)\n"
    "  --from DB        read the runs of this database instead of running\n"
    "  --arm LABEL      with --from: the arm (default: the first)\n"
    "  --csv FILE       write every scored figure to FILE\n"
    "  --min-coverage F exit with status 3 when fewer than a share F of\n"
    "                   the figures in the fit window lie inside their band\n"
    "  --db FILE        results database (default: score.db)\n"
    "  --set, --seed, --threads, --quiet, --posterior, --assumptions\n"
    "                   as for compare\n";

/* ------------------------------------------------------------------ */
/* What every experiment takes                                        */
/* ------------------------------------------------------------------ */

struct progress {
  int tty;
  uint64_t first; /* runs done when the command started */
  double t0, last;
};

struct exp_args {
  const char *scenario, *db, *posterior;
  const char *set_items[MAX_SETS + 1];
  struct cli_list sets;
  unsigned long long seed, threads;
  int quiet, assumptions;
  char seed_set[64];
  char command[8192];
  struct progress pr;
};

enum { COMMON_OPTIONS = 7 };

/* The options every experiment takes, into o[0 .. COMMON_OPTIONS-1]. */
static void common_options(struct exp_args *a, const char *db,
                           struct cli_option *o) {
  memset(a, 0, sizeof *a);
  a->db = db;
  a->sets = (struct cli_list){a->set_items, 0, MAX_SETS};
  a->seed = ~0ull;
  o[0] = (struct cli_option){"--set", OPT_APPEND, &a->sets,   0,
                             0,       NULL,       "KEY=VALUE"};
  o[1] = (struct cli_option){"--seed",
                             OPT_INT,
                             &a->seed,
                             0,
                             9223372036854775807ull,
                             NULL,
                             "an integer in 0..2^63-1"};
  o[2] = (struct cli_option){"--threads",
                             OPT_INT,
                             &a->threads,
                             1,
                             1024,
                             NULL,
                             "an integer in 1..1024"};
  o[3] = (struct cli_option){"--db", OPT_TEXT, &a->db, 0, 0, NULL, "a file"};
  o[4] = (struct cli_option){"--quiet", OPT_FLAG, &a->quiet, 0, 0, NULL, ""};
  o[5] = (struct cli_option){"--posterior", OPT_TEXT,    &a->posterior, 0, 0,
                             NULL,          "a CSV file"};
  o[6] = (struct cli_option){
      "--assumptions", OPT_FLAG, &a->assumptions, 0, 0, NULL, ""};
}

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

/* After parsing: the seed override last, the default scenario, the
   command line kept as provenance, signals caught, the progress line. */
static strife_experiment_opts exp_begin(const char *name, int argc, char **argv,
                                        struct exp_args *a) {
  if (a->seed != ~0ull) {
    snprintf(a->seed_set, sizeof a->seed_set, "run.seed=%llu", a->seed);
    a->sets.item[a->sets.n++] = a->seed_set;
  }
  a->scenario = cli_scenario(a->scenario);
  size_t len =
      (size_t)snprintf(a->command, sizeof a->command, "strife %s", name);
  for (int i = 0; i < argc && len < sizeof a->command; i++)
    len += (size_t)snprintf(a->command + len, sizeof a->command - len, " %s",
                            argv[i]);
  cli_catch_signals();
  a->pr = (struct progress){isatty(2), 0, now_s(), 0};
  strife_experiment_opts x;
  memset(&x, 0, sizeof x);
  x.scenario = a->scenario;
  x.sets = a->sets.item;
  x.n_sets = a->sets.n;
  x.threads = (unsigned)a->threads;
  x.db = a->db;
  x.posterior = a->posterior;
  x.assumptions = a->assumptions;
  x.command = a->command;
  x.cancel = cli_cancel();
  x.mpi = cli_mpi();
  if (!a->quiet && cli_rank0()) {
    x.progress = on_progress;
    x.progress_ud = &a->pr;
  }
  return x;
}

/* The scenario and the common overrides, loaded once before the
   experiment so that a scenario that cannot be read is bad input (exit
   2), as in strife run; an I/O failure of the experiment itself is then
   a failure (exit 1).  0, or an exit status. */
static int exp_check(const struct exp_args *a) {
  strife_scenario *sc;
  strife_diag d;
  int rc = strife_scenario_load(a->scenario, a->sets.item, a->sets.n, &sc, &d);
  if (!rc) {
    strife_scenario_destroy(sc);
    return 0;
  }
  cli_print_diag(&d, rc);
  return cli_exit(rc);
}

/* Prints an experiment's outcome: its error, or its header and table. */
static int exp_end(const char *name, int rc, const strife_diag *d,
                   const struct exp_args *a, strife_experiment *x) {
  if (!a->quiet && a->pr.tty && a->pr.last > 0) fputc('\n', stderr);
  if (rc && rc != STRIFE_ECANCELED) {
    cli_print_diag(d, rc);
    strife_experiment_destroy(x);
    return rc == STRIFE_ENOMEM || rc == STRIFE_EIO ? 1 : cli_exit(rc);
  }
  char *table = strife_experiment_table(x);
  if (!table) {
    fprintf(stderr, "strife: %s\n", strife_strerror(STRIFE_ENOMEM));
    strife_experiment_destroy(x);
    return 1;
  }
  if (cli_rank0()) { /* rank 0 prints */
    printf("strife %s %s: %llu runs now, %llu found in %s%s\n",
           strife_version_string(), name,
           (unsigned long long)strife_experiment_ran(x),
           (unsigned long long)strife_experiment_skipped(x), a->db,
           rc == STRIFE_ECANCELED ? " (INTERRUPTED: run it again to go on)"
                                  : "");
    fputs(table, stdout);
  }
  free(table);
  strife_experiment_destroy(x);
  return cli_exit(rc);
}

/* Splits 'list' (copied into buf) at 'sep' into out[] (at most 'max');
   returns the count, or -1 for an empty item or too many. */
static int split(const char *list, int sep, char *buf, size_t size,
                 const char **out, int max) {
  size_t len = strlen(list);
  if (len >= size) return -1;
  memcpy(buf, list, len + 1);
  int n = 0;
  for (char *p = buf;;) {
    char *at = strchr(p, sep);
    if (at) *at = '\0';
    if (!*p || n == max) return -1;
    out[n++] = p;
    if (!at) return n;
    p = at + 1;
  }
}

/* ------------------------------------------------------------------ */
/* compare                                                            */
/* ------------------------------------------------------------------ */

enum { MAX_ARMS = 64, MAX_ARM_SETS = 32 };

struct compare_args {
  const char *policies, *vary, *arm_items[MAX_ARMS];
  struct cli_list arms;
  unsigned long long runs;
  char pbuf[4096], vbuf[4096], key[256], abuf[MAX_ARMS][1024];
  const char *policy[MAX_ARMS], *value[MAX_ARMS];
  const char *arm_sets[MAX_ARMS][MAX_ARM_SETS];
  strife_arm arm[MAX_ARMS];
};

/* --arm NAME:K=V[,K=V...] number 'i' into c->arm[i]; 0, or -1. */
static int parse_arm(struct compare_args *c, size_t i) {
  const char *s = c->arm_items[i];
  const char *colon = strchr(s, ':');
  if (!colon || colon == s) return -1;
  size_t n = (size_t)(colon - s);
  if (n >= sizeof c->abuf[i] / 2) return -1;
  memcpy(c->abuf[i], s, n);
  c->abuf[i][n] = '\0';
  char *rest = c->abuf[i] + n + 1;
  int k = split(colon + 1, ',', rest, sizeof c->abuf[i] - n - 1, c->arm_sets[i],
                MAX_ARM_SETS);
  if (k < 0) return -1;
  for (int j = 0; j < k; j++)
    if (!strchr(c->arm_sets[i][j], '=')) return -1;
  c->arm[i] = (strife_arm){c->abuf[i], c->arm_sets[i], (size_t)k};
  return 0;
}

/* The arms, policies and varied key of compare's options into 'o'. */
static int compare_arms(struct compare_args *c, strife_compare_opts *o) {
  int n;
  if (c->policies) {
    n = split(c->policies, ',', c->pbuf, sizeof c->pbuf, c->policy, MAX_ARMS);
    if (n < 0)
      return cli_bad_usage(cli_usage_compare,
                           "--policies: expected a comma-separated list of "
                           "policies, got '%s'",
                           c->policies);
    o->policies = c->policy;
    o->n_policies = (size_t)n;
  }
  for (size_t i = 0; i < c->arms.n; i++)
    if (parse_arm(c, i))
      return cli_bad_usage(cli_usage_compare,
                           "--arm: expected NAME:KEY=VALUE[,KEY=VALUE...], "
                           "got '%s'",
                           c->arm_items[i]);
  o->arms = c->arm;
  o->n_arms = c->arms.n;
  if (!c->vary) return 0;
  const char *eq = strchr(c->vary, '=');
  if (!eq || eq == c->vary || (size_t)(eq - c->vary) >= sizeof c->key ||
      (n = split(eq + 1, ',', c->vbuf, sizeof c->vbuf, c->value, MAX_ARMS)) < 0)
    return cli_bad_usage(cli_usage_compare,
                         "--vary: expected KEY=V1,V2,..., got '%s'", c->vary);
  memcpy(c->key, c->vary, (size_t)(eq - c->vary));
  c->key[eq - c->vary] = '\0';
  o->vary_key = c->key;
  o->vary_values = c->value;
  o->n_vary = (size_t)n;
  return 0;
}

int cli_compare(int argc, char **argv) {
  static struct exp_args a;
  static struct compare_args c;
  struct cli_option opts[COMMON_OPTIONS + 4];
  common_options(&a, "results.db", opts);
  memset(&c, 0, sizeof c);
  c.runs = 100;
  c.arms = (struct cli_list){c.arm_items, 0, MAX_ARMS};
  opts[COMMON_OPTIONS] =
      (struct cli_option){"--policies",
                          OPT_TEXT,
                          &c.policies,
                          0,
                          0,
                          NULL,
                          "a comma-separated list of policies"};
  opts[COMMON_OPTIONS + 1] = (struct cli_option){
      "--arm", OPT_APPEND, &c.arms, 0, 0, NULL, "NAME:KEY=VALUE[,...]"};
  opts[COMMON_OPTIONS + 2] = (struct cli_option){
      "--vary", OPT_TEXT, &c.vary, 0, 0, NULL, "KEY=V1,V2,..."};
  opts[COMMON_OPTIONS + 3] = (struct cli_option){
      "--runs", OPT_INT, &c.runs, 1, 1000000, NULL, "an integer in 1..1000000"};
  int st = cli_parse(cli_usage_compare, argc, argv, opts, COMMON_OPTIONS + 4,
                     &a.scenario);
  if (st) return st;
  strife_compare_opts o;
  memset(&o, 0, sizeof o);
  if ((st = compare_arms(&c, &o))) return st;
  if (!o.n_policies && !o.n_arms && !o.vary_key)
    return cli_bad_usage(cli_usage_compare,
                         "compare needs --policies, --arm or --vary");
  o.runs = (uint32_t)c.runs;
  o.exp = exp_begin("compare", argc, argv, &a);
  if ((st = exp_check(&a))) return st;
  strife_experiment *x = NULL;
  strife_diag d;
  int rc = strife_compare_run(&o, &x, &d);
  return exp_end("compare", rc, &d, &a, x);
}

/* ------------------------------------------------------------------ */
/* The designs: sweep and sensitivity                                 */
/* ------------------------------------------------------------------ */

enum { MAX_PARAMS = 128, MAX_OUTCOMES = 64 };

struct design_args {
  const char *param_items[MAX_PARAMS], *outcome_items[MAX_OUTCOMES];
  struct cli_list params, outcomes;
  unsigned long long samples;
  char keys[MAX_PARAMS][128];
  strife_param_range range[MAX_PARAMS];
};

/* "KEY=LO:HI", or "KEY=LO:HI:STEPS" when 'steps', into p (key copied into
   buf); 0 on success. */
static int parse_range(const char *s, char *buf, size_t size,
                       strife_param_range *p, int steps) {
  const char *eq = strchr(s, '=');
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
    char *e2;
    unsigned long v = strtoul(end + 1, &e2, 10);
    if (e2 == end + 1 || *e2 || v < 1 || v > 1000000) return -1;
    p->steps = (unsigned)v;
  } else if (*end) {
    return -1;
  }
  p->key = buf;
  return 0;
}

/* The design options, into 'o' (COMMON_OPTIONS on). */
static void design_options(struct design_args *g, struct cli_option *o,
                           const char *param_expect, unsigned long long lo,
                           const char *samples) {
  memset(g, 0, sizeof *g);
  g->params = (struct cli_list){g->param_items, 0, MAX_PARAMS};
  g->outcomes = (struct cli_list){g->outcome_items, 0, MAX_OUTCOMES};
  o[0] = (struct cli_option){"--param", OPT_APPEND, &g->params,  0,
                             0,         NULL,       param_expect};
  o[1] = (struct cli_option){"--samples", OPT_INT, &g->samples, lo,
                             100000,      NULL,    samples};
  o[2] = (struct cli_option){"--outcome", OPT_APPEND, &g->outcomes,       0,
                             0,           NULL,       "an outcome's name"};
}

/* The parameters given; 0, or an exit status. */
static int design_params(const char *usage, struct design_args *g, int steps) {
  if (!g->params.n)
    return cli_bad_usage(usage, "%s needs --param",
                         steps ? "sweep" : "sensitivity");
  for (size_t i = 0; i < g->params.n; i++)
    if (parse_range(g->param_items[i], g->keys[i], sizeof g->keys[0],
                    &g->range[i], steps))
      return cli_bad_usage(usage, "--param: expected KEY=LO:HI%s, got '%s'",
                           steps ? "[:STEPS]" : "", g->param_items[i]);
  return 0;
}

int cli_sweep(int argc, char **argv) {
  static struct exp_args a;
  static struct design_args g;
  struct cli_option opts[COMMON_OPTIONS + 4];
  common_options(&a, "results.db", opts);
  design_options(&g, opts + COMMON_OPTIONS, "KEY=LO:HI[:STEPS]", 1,
                 "an integer in 1..100000");
  unsigned long long runs = 10;
  opts[COMMON_OPTIONS + 3] = (struct cli_option){
      "--runs", OPT_INT, &runs, 1, 1000000, NULL, "an integer in 1..1000000"};
  int st = cli_parse(cli_usage_sweep, argc, argv, opts, COMMON_OPTIONS + 4,
                     &a.scenario);
  if (!st) st = design_params(cli_usage_sweep, &g, 1);
  if (st) return st;
  strife_sweep_opts o;
  memset(&o, 0, sizeof o);
  o.exp = exp_begin("sweep", argc, argv, &a);
  if ((st = exp_check(&a))) return st;
  o.params = g.range;
  o.n_params = g.params.n;
  o.outcomes = g.outcome_items;
  o.n_outcomes = g.outcomes.n;
  o.samples = (uint32_t)g.samples;
  o.runs = (uint32_t)runs;
  strife_experiment *x = NULL;
  strife_diag d;
  int rc = strife_sweep_run(&o, &x, &d);
  return exp_end("sweep", rc, &d, &a, x);
}

/* A tolerance on the log scale. */
static int in_sd(double x) {
  return x > 0 && x <= 10;
}

/* sensitivity's own options into 'o'. */
static void sensitivity_options(const char **method, unsigned long long *levels,
                                unsigned long long *boot,
                                struct cli_option *o) {
  o[0] = (struct cli_option){"--method", OPT_TEXT, method,           0,
                             0,          NULL,     "sobol or morris"};
  o[1] = (struct cli_option){
      "--levels", OPT_INT, levels, 2, 1000, NULL, "an even integer in 2..1000"};
  o[2] = (struct cli_option){
      "--boot", OPT_INT, boot, 2, 100000, NULL, "an integer in 2..100000"};
}

int cli_sensitivity(int argc, char **argv) {
  static struct exp_args a;
  static struct design_args g;
  struct cli_option opts[COMMON_OPTIONS + 9];
  common_options(&a, "results.db", opts);
  design_options(&g, opts + COMMON_OPTIONS, "KEY=LO:HI", 2,
                 "an integer in 2..100000");
  const char *method = NULL;
  unsigned long long levels = 0, boot = 0;
  sensitivity_options(&method, &levels, &boot, opts + COMMON_OPTIONS + 3);
  static const char *record_items[MAX_SETS];
  struct cli_list records = {record_items, 0, MAX_SETS};
  double record_sd = 0.5;
  int screen = 0;
  opts[COMMON_OPTIONS + 6] = (struct cli_option){
      "--record", OPT_APPEND, &records, 0, 0, NULL, "a file or directory"};
  opts[COMMON_OPTIONS + 7] = (struct cli_option){
      "--record-sd", OPT_REAL, &record_sd, 0, 0, in_sd, "a number in (0, 10]"};
  opts[COMMON_OPTIONS + 8] =
      (struct cli_option){"--screen", OPT_FLAG, &screen, 0, 0, NULL, NULL};
  int st = cli_parse(cli_usage_sensitivity, argc, argv, opts,
                     COMMON_OPTIONS + 9, &a.scenario);
  if (st) return st;
  if (method && strcmp(method, "sobol") != 0 && strcmp(method, "morris") != 0)
    return cli_bad_usage(cli_usage_sensitivity,
                         "--method: expected sobol or morris, got '%s'",
                         method);
  if (levels % 2)
    return cli_bad_usage(cli_usage_sensitivity,
                         "--levels: expected an even integer in 2..1000, got "
                         "'%llu'",
                         levels);
  if (!method)
    return cli_bad_usage(cli_usage_sensitivity, "sensitivity needs --method");
  if (screen && g.params.n)
    return cli_bad_usage(cli_usage_sensitivity,
                         "--screen: the ranges are the scenario's "
                         "calibration.screen; give no --param");
  if (!screen && (st = design_params(cli_usage_sensitivity, &g, 0))) return st;
  strife_sensitivity_opts o;
  memset(&o, 0, sizeof o);
  o.exp = exp_begin("sensitivity", argc, argv, &a);
  if ((st = exp_check(&a))) return st;
  o.method = method;
  o.params = g.range;
  o.n_params = g.params.n;
  o.outcomes = g.outcome_items;
  o.n_outcomes = g.outcomes.n;
  o.samples = g.samples                      ? (uint32_t)g.samples
              : strcmp(method, "sobol") == 0 ? 64
                                             : 10;
  o.levels = (unsigned)levels;
  o.boot = (uint32_t)boot;
  o.records = records.item;
  o.n_records = records.n;
  o.record_sd = record_sd;
  o.screen = screen;
  strife_experiment *x = NULL;
  strife_diag d;
  int rc = strife_sensitivity_run(&o, &x, &d);
  return exp_end("sensitivity", rc, &d, &a, x);
}

/* ------------------------------------------------------------------ */
/* calibrate                                                          */
/* ------------------------------------------------------------------ */

static int in_open_unit(double x) {
  return x > 0 && x < 1;
}

static int in_half_open_unit(double x) {
  return x >= 0 && x < 1;
}

struct calibrate_args {
  unsigned long long particles, generations, runs, batch, budget;
  double quantile, min_accept, record_sd;
  const char *out;
  struct cli_list records;
};

/* calibrate's own options into 'o'. */
static void calibrate_options(struct calibrate_args *c, struct cli_option *o) {
  static const char *record_items[MAX_SETS];
  *c = (struct calibrate_args){100,
                               5,
                               1,
                               0,
                               0,
                               0.5,
                               0.02,
                               0.5,
                               "calibration",
                               {record_items, 0, MAX_SETS}};
  o[0] = (struct cli_option){"--particles",
                             OPT_INT,
                             &c->particles,
                             2,
                             100000,
                             NULL,
                             "an integer in 2..100000"};
  o[1] = (struct cli_option){
      "--generations",       OPT_INT, &c->generations, 1, 100, NULL,
      "an integer in 1..100"};
  o[2] = (struct cli_option){
      "--runs", OPT_INT, &c->runs, 1, 10000, NULL, "an integer in 1..10000"};
  o[3] = (struct cli_option){"--batch",
                             OPT_INT,
                             &c->batch,
                             1,
                             1000000,
                             NULL,
                             "an integer in 1..1000000"};
  o[4] = (struct cli_option){"--budget",
                             OPT_INT,
                             &c->budget,
                             2,
                             1000000000,
                             NULL,
                             "an integer in 2..1000000000"};
  o[5] = (struct cli_option){
      "--quantile",        OPT_REAL, &c->quantile, 0, 0, in_open_unit,
      "a number in (0, 1)"};
  o[6] = (struct cli_option){
      "--min-accept",      OPT_REAL, &c->min_accept, 0, 0, in_half_open_unit,
      "a number in [0, 1)"};
  o[7] = (struct cli_option){"--out", OPT_TEXT, &c->out,      0,
                             0,       NULL,     "a directory"};
  o[8] = (struct cli_option){"--record", OPT_APPEND, &c->records,          0,
                             0,          NULL,       "a file or directory"};
  o[9] = (struct cli_option){
      "--record-sd",        OPT_REAL, &c->record_sd, 0, 0, in_sd,
      "a number in (0, 10]"};
}

int cli_calibrate(int argc, char **argv) {
  static struct exp_args a;
  struct calibrate_args c;
  struct cli_option opts[COMMON_OPTIONS + 10];
  common_options(&a, "calibration.db", opts);
  calibrate_options(&c, opts + COMMON_OPTIONS);
  int st = cli_parse(cli_usage_calibrate, argc, argv, opts, COMMON_OPTIONS + 10,
                     &a.scenario);
  if (st) return st;
  if (c.budget && c.budget < c.particles)
    return cli_bad_usage(cli_usage_calibrate,
                         "--budget: expected at least the %llu particles, got "
                         "%llu",
                         c.particles, c.budget);
  strife_calibrate_opts o;
  memset(&o, 0, sizeof o);
  o.exp = exp_begin("calibrate", argc, argv, &a);
  if ((st = exp_check(&a))) return st;
  o.particles = (uint32_t)c.particles;
  o.generations = (unsigned)c.generations;
  o.quantile = c.quantile;
  o.runs = (uint32_t)c.runs;
  o.batch = (uint32_t)c.batch;
  o.min_accept = c.min_accept;
  o.budget = c.budget;
  o.out = c.out;
  o.records = c.records.item;
  o.n_records = c.records.n;
  o.record_sd = c.record_sd;
  strife_experiment *x = NULL;
  strife_diag d;
  int rc = strife_calibrate_run(&o, &x, &d);
  return exp_end("calibrate", rc, &d, &a, x);
}

/* ------------------------------------------------------------------ */
/* score                                                              */
/* ------------------------------------------------------------------ */

static int in_unit(double x) {
  return x >= 0 && x <= 1;
}

int cli_score(int argc, char **argv) {
  static struct exp_args a;
  static const char *record_items[MAX_SETS];
  struct cli_list records = {record_items, 0, MAX_SETS};
  unsigned long long runs = 100;
  const char *from = NULL, *arm = NULL, *csv = NULL;
  double min_cov = -1;
  struct cli_option opts[COMMON_OPTIONS + 6];
  common_options(&a, "score.db", opts);
  struct cli_option *o = opts + COMMON_OPTIONS;
  o[0] = (struct cli_option){"--record", OPT_APPEND,           &records, 0, 0,
                             NULL,       "a file or directory"};
  o[1] = (struct cli_option){
      "--runs", OPT_INT, &runs, 1, 1000000, NULL, "an integer in 1..1000000"};
  o[2] = (struct cli_option){
      "--from", OPT_TEXT, &from, 0, 0, NULL, "a results database"};
  o[3] = (struct cli_option){"--arm", OPT_TEXT, &arm, 0, 0, NULL, "a label"};
  o[4] = (struct cli_option){"--csv", OPT_TEXT, &csv, 0, 0, NULL, "a file"};
  o[5] = (struct cli_option){
      "--min-coverage",    OPT_REAL, &min_cov, 0, 0, in_unit,
      "a number in [0, 1]"};
  int st = cli_parse(cli_usage_score, argc, argv, opts, COMMON_OPTIONS + 6,
                     &a.scenario);
  if (st) return st;
  if (arm && !from)
    return cli_bad_usage(cli_usage_score, "--arm: only with --from");
  if (from) a.db = from; /* where the runs are found */
  strife_score_opts so;
  memset(&so, 0, sizeof so);
  so.exp = exp_begin("score", argc, argv, &a);
  if ((st = exp_check(&a))) return st;
  so.records = records.item;
  so.n_records = records.n;
  so.runs = (uint32_t)runs;
  so.from = from;
  so.arm = arm;
  so.csv = csv;
  strife_experiment *x = NULL;
  strife_diag d;
  int rc = strife_score_run(&so, &x, &d);
  size_t in = 0, n = 0;
  if (!rc) strife_score_coverage(x, 0, &in, &n);
  st = exp_end("score", rc, &d, &a, x);
  if (!st && min_cov >= 0 && (double)in < min_cov * (double)n) {
    if (cli_rank0())
      fprintf(stderr,
              "strife: score: %zu of %zu figures in the fit window inside "
              "their band, below --min-coverage %g\n",
              in, n, min_cov);
    return 3;
  }
  return st;
}
