/* SPDX-License-Identifier: MIT */
/*
 * A posterior sample as experiments draw from it: the columns read (keys
 * only; the weight; the last generation), each run's draw following the
 * weights and depending on the seed and the run alone, the overrides it
 * makes, the draw widened to the scenario's screened assumptions, and bad
 * files refused at their line and column.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment/posterior.h"
#include "harness.h"
#include "scenario/scenario.h"
#include "support.h"

static char dir[] = "/tmp/strife-posterior-XXXXXX";

static const char *file(const char *name, const char *text) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
  return path;
}

static void test_read_and_draw(const strife_scenario *sc) {
  const char *path = file("p.csv", "generation,weight,isk.hide,note,"
                                   "isk.attack_rate\n"
                                   "0,1,0.9,x,1e-4\n"
                                   "1,1,0.1,a,2e-4\n"
                                   "1,3,0.2,b,3e-4\n"
                                   "1,0,0.3,c,4e-4\n");
  struct strife__posterior p;
  strife_diag d;
  CHECK_OK(strife__posterior_load(&p, path, sc, &d));
  /* Two keys; the note and the bookkeeping columns are not keys; only
     generation 1 is drawn from. */
  CHECK_EQ(p.k, 2);
  CHECK(strcmp(p.keys[0], "isk.hide") == 0);
  CHECK(strcmp(p.keys[1], "isk.attack_rate") == 0);
  CHECK_EQ(p.n, 3);
  CHECK_NEAR(p.cum[0], 0.25, 1e-15);
  CHECK_NEAR(p.cum[1], 1.0, 1e-15);
  CHECK_NEAR(p.cum[2], 1.0, 1e-15);
  /* Draws follow the weights (1:3:0) over 20,000 runs: a share's se is
     0.003. */
  size_t count[3] = {0, 0, 0};
  for (uint64_t r = 0; r < 20000; r++)
    count[strife__posterior_draw(&p, 7, r)]++;
  CHECK_MSG(fabs(count[0] / 20000.0 - 0.25) < 0.015, "row 0 drawn %zu times",
            count[0]);
  CHECK_EQ(count[2], 0);
  /* The seed and the run alone: the same again, another seed otherwise. */
  int same = 1, other = 0;
  for (uint64_t r = 0; r < 200; r++) {
    same &=
        strife__posterior_draw(&p, 7, r) == strife__posterior_draw(&p, 7, r);
    other +=
        strife__posterior_draw(&p, 7, r) != strife__posterior_draw(&p, 8, r);
  }
  CHECK(same && other > 20);
  char **sets;
  CHECK_OK(strife__posterior_sets(&p, p.v + 1 * p.ncol, &sets));
  CHECK(strcmp(sets[0], "isk.hide=0.20000000000000001") == 0);
  CHECK(strcmp(sets[1], "isk.attack_rate=0.00029999999999999997") == 0);
  for (size_t i = 0; i < p.k; i++)
    free(sets[i]);
  free(sets);
  strife__posterior_free(&p);
}

/* Widened (--assumptions): the screen's values the sample does not hold
   are drawn per run over their ranges, integers whole, from the seed and
   the run alone; the row's values are the row's; the spread of a drawn
   value is the uniform's. */
static void test_widen(const strife_scenario *sc) {
  const char *path = file("w.csv", "isk.hide,weight\n"
                                   "0.1,1\n"
                                   "0.3,1\n");
  struct strife__posterior p;
  strife_diag d;
  CHECK_OK(strife__posterior_load(&p, path, sc, &d));
  uint64_t sum = p.sum;
  CHECK_OK(strife__posterior_widen(&p, sc, &d));
  const struct strife__calibration *cal = strife__scenario_calibration(sc);
  /* isk.hide is screened too: held by the sample, not drawn. */
  int screened = 0;
  for (int s = 0; s < cal->n_screen; s++)
    screened += strcmp(cal->screen[s].key, "isk.hide") == 0;
  CHECK_EQ(screened, 1);
  CHECK_EQ(p.ncol, 1);
  CHECK_EQ(p.k, (size_t)cal->n_screen);
  CHECK(p.sum != sum);
  double *a = malloc(p.k * sizeof *a), *b = malloc(p.k * sizeof *b);
  int inside = 1, whole = 1, rows = 1, same = 1, n_int = 0;
  double m = 0, v = 0;
  size_t j0 = p.k - 1; /* a drawn key: its moments over 4,000 runs */
  const int runs = 4000;
  for (uint64_t r = 0; r < (uint64_t)runs; r++) {
    strife__posterior_values(&p, 7, r, a);
    strife__posterior_values(&p, 7, r, b);
    same &= memcmp(a, b, p.k * sizeof *a) == 0;
    rows &= a[0] == p.v[strife__posterior_draw(&p, 7, r) * p.ncol];
    for (size_t i = p.ncol; i < p.k; i++) {
      inside &= a[i] >= p.lo[i] && a[i] <= p.hi[i];
      whole &= !p.integer[i] || a[i] == floor(a[i]);
      n_int += r == 0 && p.integer[i];
    }
    double u = (a[j0] - p.lo[j0]) / (p.hi[j0] - p.lo[j0]);
    m += u / runs;
    v += u * u / runs;
  }
  CHECK(same && rows && inside && whole);
  CHECK(n_int > 0); /* the screen has integer keys (max_jail_days) */
  /* A uniform's mean 1/2 and variance 1/12, with se 0.0046 and 0.0013. */
  CHECK_NEAR(m, 0.5, 0.02);
  CHECK_NEAR(v - m * m, 1.0 / 12, 0.006);
  free(a);
  free(b);
  strife__posterior_free(&p);
}

/* Each bad file, at the line and column of what is wrong. */
static void test_refused(const strife_scenario *sc) {
  static const struct {
    const char *text;
    int line, col;
    const char *says;
  } bad[] = {
      {"isk.hide\n0.1\nx\n", 3, 1, "expected a number"},
      {"weight,isk.hide\n1,0.1\n1,2\n", 3, 3, "outside the key's range"},
      {"note,other\n1,2\n", 1, 1, "no column names a numeric key"},
      {"isk.hide,isk.hide\n0.1,0.2\n", 1, 10, "twice"},
      {"isk.hide\n", 2, 1, "no row to draw from"},
      {"isk.hide,weight\n0.1\n", 2, 1, "expected 2 fields"},
      {"weight,isk.hide\n-1,0.1\n", 2, 1, "weight >= 0"},
      {"weight,isk.hide\n0,0.1\n", 2, 1, "sum to 0"},
      {"\"isk.hide\"\n0.1\n", 1, 1, "quoted fields"},
      {"isk.hide", 1, 1, "no row after the header"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct strife__posterior p;
    strife_diag d;
    const char *path = file("bad.csv", bad[i].text);
    int rc = strife__posterior_load(&p, path, sc, &d);
    CHECK_MSG(rc == STRIFE_EINVAL && d.line == bad[i].line &&
                  d.column == bad[i].col && strstr(d.msg, bad[i].says) &&
                  strcmp(d.source, path) == 0,
              "case %zu: rc %d at %d:%d: %s", i, rc, d.line, d.column, d.msg);
  }
  struct strife__posterior p;
  strife_diag d;
  CHECK(strife__posterior_load(&p, "/nonexistent/p.csv", sc, &d) ==
        STRIFE_EINVAL);
  /* A FIFO is refused, not waited on. */
  char fifo[256];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  CHECK(mkfifo(fifo, 0600) == 0);
  CHECK(strife__posterior_load(&p, fifo, sc, &d) == STRIFE_EINVAL);
  CHECK_MSG(strstr(d.msg, "FIFO") != NULL, "%s", d.msg);
}

int main(void) {
  if (!mkdtemp(dir)) return 2;
  strife_scenario *sc = load_preset("afghanistan-2021", NULL);
  test_read_and_draw(sc);
  test_widen(sc);
  test_refused(sc);
  strife_scenario_destroy(sc);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd)) return 2;
  return test_report("posterior");
}
