/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the province table parser of the Afghan model
 * (src/models/afghan/provinces.c), reached directly rather than through a
 * scenario, so that every input is a table.  A table it accepts must hold
 * what the model relies on: 1 to STRIFE__PROVINCES_MAX provinces with
 * unique, findable codes, neighbour lists that are symmetric and never
 * name the province itself, and the population summed; a refusal must say
 * where.  Built with -DSTRIFE_FUZZ=ON (clang); tests/fuzz/replay.c runs
 * the same function on tests/corpus/provinces/ in every build.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/afghan/provinces.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless table 't' holds what a parsed table promises. */
static void check_table(const struct strife__provinces *t) {
  uint64_t population = 0;
  if (t->n == 0 || t->n > STRIFE__PROVINCES_MAX) abort();
  const size_t n = STRIFE__MIN(t->n, STRIFE__PROVINCES_MAX);
  for (size_t i = 0; i < n; i++) {
    const struct strife__province *p = &t->p[i];
    if (strife__provinces_find(t, p->iso) != (int)i) abort();
    if (p->neighbours >> i & 1) abort();
    if (n < 64 && p->neighbours >> n) abort();
    for (size_t j = 0; j < n; j++)
      if ((p->neighbours >> j & 1) != (t->p[j].neighbours >> i & 1)) abort();
    if (p->borders >> (STRIFE__C_CHINA + 1)) abort();
    population += p->population;
  }
  if (population != t->population) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly 'size' bytes, so that a read past the end is seen
     by AddressSanitizer. */
  char *text = malloc(size ? size : 1);
  if (!text) return 0;
  if (size) memcpy(text, data, size);
  static struct strife__provinces t;
  strife_diag d;
  if (strife__provinces_parse(text, size, "fuzz.csv", &t, &d) == 0)
    check_table(&t);
  else if (!d.msg[0] || d.line < 1)
    abort();
  free(text);
  return 0;
}
