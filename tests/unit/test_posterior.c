/* SPDX-License-Identifier: MIT */
/*
 * A posterior sample as experiments draw from it: the columns read (keys
 * only; the weight; the last generation), each run's draw following the
 * weights and depending on the seed and the run alone, the overrides it
 * makes, and bad files refused at their line and column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment/posterior.h"
#include "harness.h"
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
  CHECK_OK(strife__posterior_sets(&p, 1, &sets));
  CHECK(strcmp(sets[0], "isk.hide=0.20000000000000001") == 0);
  CHECK(strcmp(sets[1], "isk.attack_rate=0.00029999999999999997") == 0);
  for (size_t i = 0; i < p.k; i++)
    free(sets[i]);
  free(sets);
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
  test_refused(sc);
  strife_scenario_destroy(sc);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd)) return 2;
  return test_report("posterior");
}
