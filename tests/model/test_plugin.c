/* SPDX-License-Identifier: MIT */
/*
 * A model from outside the library: a random walk, declared here as a
 * type table and registered by this test alone (a list of models passed
 * to the API), runs through strife_run (its table as CSV, summary.json,
 * scenario.json), strife compare and strife sweep (the results database),
 * like the built-in models.  What adding a model takes: a type table, a
 * line in a list of models.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <strife/experiment.h>

#include "core/model.h"
#include "core/rand.h"
#include "support.h"

/* ------------------------------------------------------------------ */
/* The model: x_t = x_{t-1} + step (2 u - 1), u uniform                */
/* ------------------------------------------------------------------ */

struct walk_params {
  double start, step;
};

struct walk {
  struct walk_params p;
  struct strife__alloc a;
  uint64_t seed;
  int64_t tick;
  double x, x100; /* x100: x at tick 100, NAN before */
};

static const struct strife__key walk_keys[] = {
    {"walk.start", STRIFE__K_REAL, offsetof(struct walk_params, start), -1e6,
     1e6, NULL, "[-1e6, 1e6]", "", "0", "Where the walk starts.", NULL},
    {"walk.step", STRIFE__K_REAL, offsetof(struct walk_params, step), 0, 1e6,
     NULL, "[0, 1e6]", "", "1", "Largest step a tick.", NULL}};

static const struct strife__column walk_cols[] = {
    {"tick", STRIFE__COL_INT, 0}, {"position", STRIFE__COL_REAL, 6}};
static const struct strife__table walk_tables[] = {
    {"walk", "walk.csv", walk_cols, 2, 1}};
static const struct strife__outcome walk_outcomes[] = {
    {"position_end", "", 0, "position at the end", 3, "position_end",
     STRIFE__OUT_KEY},
    {"position_100", "", 0, NULL, 3, "position_100", 0}};
static const struct strife__summary_item walk_summary[] = {
    {"outcomes", STRIFE__FACT_OUTCOMES, 0},
    {"wall_seconds", STRIFE__FACT_WALL, 0}};
static const struct strife__schema walk_schema = {
    walk_tables, 1, walk_outcomes, 2, walk_summary, 2, "ticks", NULL, 0, NULL};

static int walk_create(void **state, const struct strife__alloc *a,
                       const void *params, uint64_t seed, unsigned threads,
                       struct strife__model_info *info, strife_diag *diag) {
  (void)threads, (void)diag;
  struct walk *w = strife__calloc(a, 1, sizeof *w);
  if (!w) return STRIFE_ENOMEM;
  w->p = *(const struct walk_params *)params;
  w->a = *a;
  w->seed = seed;
  w->x = w->p.start;
  w->x100 = (double)NAN;
  info->scale = 1;
  *state = w;
  return STRIFE_OK;
}

static int walk_step(void *state, char *msg, size_t size) {
  (void)msg, (void)size;
  struct walk *w = state;
  w->tick++;
  double u =
      strife_rand_u01(w->seed, 0, (uint32_t)w->tick, STRIFE__STREAM_TEST);
  w->x += w->p.step * (2 * u - 1);
  if (w->tick == 100) w->x100 = w->x;
  return STRIFE_OK;
}

static int walk_observe(void *state, unsigned when,
                        const struct strife__observer *obs) {
  const struct walk *w = state;
  if (!(when & (STRIFE__OBS_START | STRIFE__OBS_TICK))) return STRIFE_OK;
  union strife__cell row[2] = {{.i = w->tick}, {.r = w->x}};
  return obs->row(obs->ud, 0, row);
}

static void walk_outcomes_of(const void *state, double *out) {
  out[0] = ((const struct walk *)state)->x;
  out[1] = ((const struct walk *)state)->x100;
}

static size_t walk_memory(const void *state) {
  (void)state;
  return sizeof(struct walk);
}

static uint64_t walk_agents(const void *state) {
  (void)state;
  return 1;
}

static void walk_destroy(void *state) {
  struct walk *w = state;
  if (w) strife__free(&w->a, w, 1, sizeof *w);
}

static const struct strife_model_type walk_model = {
    .name = "randwalk",
    .doc = "A random walk (a test of the model interface).",
    .keys = walk_keys,
    .n_keys = 2,
    .params_size = sizeof(struct walk_params),
    .schema = &walk_schema,
    .create = walk_create,
    .step = walk_step,
    .observe = walk_observe,
    .outcomes = walk_outcomes_of,
    .memory = walk_memory,
    .agents = walk_agents,
    .destroy = walk_destroy,
};

/* ------------------------------------------------------------------ */
/* The test                                                           */
/* ------------------------------------------------------------------ */

static const strife_model_type *models[4];
static char dir[] = "/tmp/strife-plugin-XXXXXX";
static char scenario[256];

/* The models: the built-in ones and the walk, registered here. */
static void register_models(void) {
  const strife_model_type *const *b = strife_models_builtin();
  size_t n = 0;
  while (b[n] && n < 2) {
    models[n] = b[n];
    n++;
  }
  models[n] = &walk_model;
}

static strife_scenario *load(const char *const *sets, size_t n) {
  strife_scenario *sc = NULL;
  strife_diag d;
  int rc = strife_scenario_load_with(models, scenario, sets, n, &sc, &d);
  CHECK_MSG(rc == STRIFE_OK, "load: %s %s", d.key, d.msg);
  return sc;
}

/* The lines of a file, or -1. */
static int lines(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  int n = 0, c;
  while ((c = fgetc(f)) != EOF)
    n += c == '\n';
  fclose(f);
  return n;
}

static char *slurp(const char *path) {
  static char buf[1 << 16];
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

/* strife_run: the walk's table, summary.json and scenario.json. */
static void test_run(void) {
  strife_scenario *sc = load(NULL, 0);
  if (!sc) return;
  CHECK_STR(strife_scenario_model(sc), "randwalk");
  CHECK_EQ(strife_scenario_ticks(sc), 50);
  char out[512], path[600];
  snprintf(out, sizeof out, "%s/run", dir);
  strife_run_result res;
  strife_diag d;
  CHECK_OK(strife_run(sc, NULL, out, &res, &d));
  CHECK_EQ(res.ticks, 50);
  CHECK_EQ(res.n_outcomes, 2);
  CHECK(isnan(res.outcomes[1])); /* 50 ticks do not reach tick 100 */
  snprintf(path, sizeof path, "%s/walk.csv", out);
  CHECK_EQ(lines(path), 52); /* header, row 0, 50 ticks */
  char *csv = slurp(path);
  CHECK(csv && strncmp(csv, "tick,position\n0,0.000000\n", 25) == 0);
  snprintf(path, sizeof path, "%s/summary.json", out);
  char *summary = slurp(path);
  char want[128];
  snprintf(want, sizeof want, "\"position_end\": %.10g", res.outcomes[0]);
  CHECK_MSG(summary && strstr(summary, "\"model\": \"randwalk\"") &&
                strstr(summary, want),
            "summary.json: %s", summary ? summary : "(none)");
  snprintf(path, sizeof path, "%s/scenario.json", out);
  char *sj = slurp(path);
  CHECK(sj && strstr(sj, "\"walk\":{\"start\":0.0,\"step\":1.5}"));
  /* The walk moves: its end is a draw, within its steps. */
  CHECK(fabs(res.outcomes[0]) <= 50 * 1.5 && res.outcomes[0] != 0);
  strife_scenario_destroy(sc);
}

/* One integer from the database at 'db'. */
static long long query(const char *db, const char *sql) {
  sqlite3 *h;
  sqlite3_stmt *st;
  long long v = -1;
  if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return v;
}

static void experiment_opts(strife_experiment_opts *x, const char *db) {
  memset(x, 0, sizeof *x);
  x->scenario = scenario;
  x->db = db;
  x->command = "test_plugin";
  x->threads = 2;
  x->models = models;
}

/* strife compare: two named arms on paired seeds, into the database. */
static void test_compare(void) {
  char db[512];
  snprintf(db, sizeof db, "%s/compare.db", dir);
  static const char *const small[] = {"walk.step=0.5"};
  static const char *const large[] = {"walk.step=4"};
  strife_arm arms[2] = {{"small", small, 1}, {"large", large, 1}};
  strife_compare_opts o;
  memset(&o, 0, sizeof o);
  experiment_opts(&o.exp, db);
  o.arms = arms;
  o.n_arms = 2;
  o.runs = 20;
  strife_experiment *x = NULL;
  strife_diag d;
  CHECK_OK(strife_compare_run(&o, &x, &d));
  if (!x) return;
  CHECK_EQ(strife_experiment_ran(x), 40);
  char *table = strife_experiment_table(x);
  CHECK(table && strstr(table, "position_end (neither)") &&
        strstr(table, "small - large"));
  free(table);
  strife_experiment_destroy(x);
  CHECK_EQ(query(db, "SELECT count(*) FROM runs"), 40);
  CHECK_EQ(query(db, "SELECT count(*) FROM walk"), 40 * 51);
  CHECK_EQ(query(db, "SELECT count(*) FROM outcomes WHERE name = "
                     "'position_end'"),
           40);
  /* Paired seeds: the large arm's walk is the small one's scaled by 8. */
  CHECK_EQ(query(db, "SELECT count(*) FROM outcomes a JOIN outcomes b ON "
                     "a.rep = b.rep AND a.name = b.name WHERE a.arm = 0 AND "
                     "b.arm = 1 AND abs(b.value - 8 * a.value) < 1e-9"),
           20);
}

/* strife sweep: a grid over the walk's step. */
static void test_sweep(void) {
  char db[512];
  snprintf(db, sizeof db, "%s/sweep.db", dir);
  strife_param_range p = {"walk.step", 1, 3, 3};
  strife_sweep_opts o;
  memset(&o, 0, sizeof o);
  experiment_opts(&o.exp, db);
  o.params = &p;
  o.n_params = 1;
  o.runs = 4;
  strife_experiment *x = NULL;
  strife_diag d;
  CHECK_OK(strife_sweep_run(&o, &x, &d));
  if (!x) return;
  CHECK_EQ(strife_experiment_ran(x), 12);
  char *table = strife_experiment_table(x);
  CHECK(table && strstr(table, "3 points x 4 runs") &&
        strstr(table, "position_end"));
  free(table);
  strife_experiment_destroy(x);
  CHECK_EQ(query(db, "SELECT count(DISTINCT value) FROM parameters WHERE key "
                     "= 'walk.step'"),
           3);
  CHECK_EQ(query(db, "SELECT count(*) FROM walk"), 12 * 51);
}

/* A model that declares more than the engine holds, or a key table that
   does not fit its parameters, is refused when a scenario names it,
   before anything is written or overrun. */
static void test_too_large(void) {
  static struct strife__schema big;
  static struct strife_model_type bad;
  big = walk_schema;
  big.n_outcomes = STRIFE_OUTCOMES_MAX + 1;
  bad = walk_model;
  bad.schema = &big;
  const strife_model_type *list[2] = {&bad, NULL};
  strife_scenario *sc = NULL;
  strife_diag d;
  CHECK_EQ(strife_scenario_load_with(list, scenario, NULL, 0, &sc, &d),
           STRIFE_ENOTSUP);
  CHECK(sc == NULL && strstr(d.msg, "declares more outcomes") != NULL);
  /* A key stored past the parameters: refused when a scenario names the
     model, before any value is written. */
  static struct strife__key far[2];
  far[0] = walk_keys[0];
  far[1] = walk_keys[1];
  far[1].offset = sizeof(struct walk_params);
  bad = walk_model;
  bad.keys = far;
  sc = NULL;
  CHECK_EQ(strife_scenario_load_with(list, scenario, NULL, 0, &sc, &d),
           STRIFE_ENOTSUP);
  CHECK(sc == NULL && strstr(d.msg, "a key stored past the parameters") &&
        strcmp(d.key, "walk.step") == 0);
}

/* Without the walk in the list, the scenario names an unknown model. */
static void test_unregistered(void) {
  strife_scenario *sc = NULL;
  strife_diag d;
  int rc = strife_scenario_load(scenario, NULL, 0, &sc, &d);
  CHECK_EQ(rc, STRIFE_ESCENARIO);
  CHECK(strstr(d.msg, "expected one of epstein|afghan") != NULL);
  strife_scenario_destroy(sc);
}

/* A calibration whose target has no value in any run (the walk's
   position at tick 100, in runs of 50 ticks; the walk declares no
   undefined(), so only the runs show it) stops at its first batch with
   the target named, where it would otherwise reject every proposal for
   ever. */
static void test_calibrate_undefined(void) {
  char path[512], db[512], out[512];
  snprintf(path, sizeof path, "%s/walk-cal.json", dir);
  snprintf(db, sizeof db, "%s/cal.db", dir);
  snprintf(out, sizeof out, "%s/cal", dir);
  FILE *f = fopen(path, "w");
  if (!f) return;
  fputs("{\"model\": \"randwalk\", \"run\": {\"ticks\": 50},\n"
        " \"calibration\": {\"free\": [{\"key\": \"walk.step\", "
        "\"prior\": \"uniform\", \"lo\": 0.5, \"hi\": 2, \"source\": "
        "\"test\"}],\n \"targets\": [{\"outcome\": \"position_100\", "
        "\"value\": 0, \"scale\": 1, \"source\": \"test\"}]}}\n",
        f);
  fclose(f);
  strife_calibrate_opts o;
  memset(&o, 0, sizeof o);
  experiment_opts(&o.exp, db);
  o.exp.scenario = path;
  o.particles = 4;
  o.generations = 2;
  o.quantile = 0.5;
  o.runs = 1;
  o.budget = 40; /* without the check: the budget runs out, EINVAL */
  o.out = out;
  strife_experiment *x = NULL;
  strife_diag d;
  int rc = strife_calibrate_run(&o, &x, &d);
  CHECK_EQ(rc, STRIFE_ESCENARIO);
  CHECK_MSG(strstr(d.msg, "\"position_100\" has no value") != NULL,
            "calibrate: %s", d.msg);
  CHECK_STR(d.key, "calibration.targets[0].outcome");
  CHECK(x == NULL);
  strife_experiment_destroy(x);
}

int main(void) {
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  register_models();
  snprintf(scenario, sizeof scenario, "%s/walk.json", dir);
  FILE *f = fopen(scenario, "w");
  if (!f) return 1;
  fputs("{\"model\": \"randwalk\", \"run\": {\"ticks\": 50, \"seed\": 3},\n"
        " \"walk\": {\"step\": 1.5}}\n",
        f);
  fclose(f);
  test_run();
  test_compare();
  test_sweep();
  test_calibrate_undefined();
  test_too_large();
  test_unregistered();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return test_report("plugin");
}
