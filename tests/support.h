/* SPDX-License-Identifier: MIT */
/* Helpers shared by the tests: scenarios from the presets with overrides. */
#ifndef STRIFE_TESTS_SUPPORT_H
#define STRIFE_TESTS_SUPPORT_H

#include <stdarg.h>
#include <stdio.h>

#include <strife/strife.h>

#include "harness.h"

#ifndef STRIFE_SOURCE_DIR
#  error "STRIFE_SOURCE_DIR must be defined"
#endif

/* Loads scenarios/<preset>.json with the overrides given as a
   NULL-terminated list; exits on failure (a test that cannot set up
   cannot go on). */
static inline strife_scenario *load_preset(const char *preset, ...) {
  const char *sets[64];
  size_t n = 0;
  va_list ap;
  va_start(ap, preset);
  for (const char *s; n < 64 && (s = va_arg(ap, const char *));)
    sets[n++] = s;
  va_end(ap);
  char path[1024];
  snprintf(path, sizeof path, "%s/scenarios/%s.json", STRIFE_SOURCE_DIR,
           preset);
  strife_scenario *sc;
  strife_diag d;
  int rc = strife_scenario_load(path, sets, n, &sc, &d);
  if (rc) {
    char buf[1024];
    strife_diag_format(&d, buf, sizeof buf);
    fprintf(stderr, "cannot load %s: %s\n", path, buf);
    exit(2);
  }
  return sc;
}

static inline strife_sim *make_sim(const strife_scenario *sc, uint64_t seed,
                                   unsigned threads) {
  strife_config cfg;
  strife_config_init(&cfg);
  cfg.seed_set = 1;
  cfg.seed = seed;
  cfg.threads = threads;
  strife_sim *sim;
  strife_diag d;
  int rc = strife_sim_create(sc, &cfg, &sim, &d);
  if (rc) {
    fprintf(stderr, "cannot create simulation: %s\n", d.msg);
    exit(2);
  }
  return sim;
}

#endif
