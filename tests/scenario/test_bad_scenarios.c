/* SPDX-License-Identifier: MIT */
/*
 * Every file in tests/scenario/bad/ is a malformed scenario; beside each
 * NAME.json, NAME.err holds the status it must be refused with and the
 * exact message (FILE:LINE:COLUMN: KEY: what was expected).  A few
 * overrides given as --set are checked the same way from set.txt-like
 * tables in the code.
 *
 * With --print, prints what each file gives instead of checking, to write
 * the .err files of new cases.
 */
#include <dirent.h>
#include <unistd.h>

#include "support.h"

static int print_only;

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  static char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void check_file(const char *name) {
  strife_scenario *sc = NULL;
  strife_diag d;
  int rc = strife_scenario_load(name, NULL, 0, &sc, &d);
  char got[1200], msg[1024];
  strife_diag_format(&d, msg, sizeof msg);
  snprintf(got, sizeof got, "%s\n%s\n", strife_errname(rc), msg);
  if (print_only) {
    printf("== %s\n%s", name, got);
    strife_scenario_destroy(sc);
    return;
  }
  CHECK_MSG(rc != STRIFE_OK, "%s was accepted", name);
  char errpath[512];
  snprintf(errpath, sizeof errpath, "%.*s.err", (int)(strlen(name) - 5), name);
  const char *want = slurp(errpath);
  CHECK_MSG(want != NULL, "%s has no %s", name, errpath);
  if (want) CHECK_STR(got, want);
  strife_scenario_destroy(sc);
}

/* Overrides refused with their message; the base scenario is valid. */
static void check_sets(void) {
  static const struct {
    const char *set, *want;
  } cases[] = {
      {"lattice.width=-5",
       "--set: lattice.width: expected an integer in 1..65535, got -5"},
      {"lattice.width=abc", "--set: lattice.width: expected an integer in "
                            "1..65535, got the string \"abc\""},
      {"lattice.depth=5",
       "--set: lattice.depth: unknown key (strife help scenario lists them)"},
      {"variant.ratio=ceil",
       "--set: variant.ratio: expected one of exact|floor|round-half-even, "
       "got the string \"ceil\""},
      {"citizens.density=[1,", "--set:1:20: citizens.density: value is not "
                               "valid JSON: ']' expected near end of file"},
      {"lattice.width=4e1",
       "--set: lattice.width: expected an integer in 1..65535, got 40, which "
       "is written as a real number (with an exponent or a decimal point): "
       "write 40"},
      {"name=\"a\\u001b[2Jb\"", "--set: name: expected a string without "
                                "control characters, found U+001B at "
                                "character 2"},
      {"=3", "--set: expected KEY=VALUE, got \"=3\""},
      {"lattice.width", "--set: expected KEY=VALUE, got \"lattice.width\""},
      {"lattice.height=12",
       "--set: lattice.height: vision 7 needs a lattice of at least 15 x 15 "
       "cells (2 v + 1, so that a neighbourhood does not wrap onto itself), "
       "got 40 x 12"},
      {"citizens.vision=30",
       "--set: citizens.vision: vision 30 needs a lattice of at least 61 x 61 "
       "cells (2 v + 1, so that a neighbourhood does not wrap onto itself), "
       "got 40 x 40"},
  };
  char path[1024];
  snprintf(path, sizeof path, "%s/scenarios/epstein-netlogo.json",
           STRIFE_SOURCE_DIR);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    strife_scenario *sc = NULL;
    strife_diag d;
    int rc = strife_scenario_load(path, &cases[i].set, 1, &sc, &d);
    char msg[1024];
    strife_diag_format(&d, msg, sizeof msg);
    if (print_only) {
      printf("== --set %s\n%s\n", cases[i].set, msg);
      strife_scenario_destroy(sc);
      continue;
    }
    CHECK_MSG(rc != STRIFE_OK, "--set %s was accepted", cases[i].set);
    CHECK_STR(msg, cases[i].want);
    strife_scenario_destroy(sc);
  }
}

int main(int argc, char **argv) {
  print_only = argc > 1 && strcmp(argv[1], "--print") == 0;
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/tests/scenario/bad", STRIFE_SOURCE_DIR);
  if (chdir(dir) != 0) {
    perror(dir);
    return 1;
  }
  DIR *dp = opendir(".");
  char *names[256];
  size_t n = 0;
  for (struct dirent *de; dp && (de = readdir(dp)) && n < 256;) {
    size_t len = strlen(de->d_name);
    if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
      names[n++] = strdup(de->d_name);
  }
  if (dp) closedir(dp);
  qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    check_file(names[i]);
    free(names[i]);
  }
  check_sets();
  if (!print_only) CHECK_MSG(n >= 20, "only %zu malformed scenarios", n);
  return print_only ? 0 : test_report("bad_scenarios");
}
