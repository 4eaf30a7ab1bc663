/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the observed record's loader (data/observed/): the
 * input is parsed as a record file.  An accepted file must keep the
 * loader's promises (a known quantity, a period that does not end before
 * it starts, exactly one of a value, a range low <= high, or a gap, a
 * confidence of the three); a refused one must say where (a line).
 * Built with -DSTRIFE_FUZZ=ON (clang); tests/fuzz/replay.c runs the same
 * function on the saved corpus in every build.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <strife/strife.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int known(const char *q) {
  for (size_t i = 0; strife_record_quantity(i, NULL); i++)
    if (strcmp(strife_record_quantity(i, NULL), q) == 0) return 1;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  strife_record *r = NULL;
  strife_diag d;
  int rc = strife_record_parse((const char *)data, size, "fuzz.json", &r, &d);
  if (rc) {
    if (rc != STRIFE_ENOMEM && (d.line < 1 || !d.msg[0])) abort();
    return 0;
  }
  if (!strife_record_count(r)) abort();
  for (size_t i = 0; i < strife_record_count(r); i++) {
    const strife_observation *o = strife_record_get(r, i);
    const int v = !isnan(o->value), range = !isnan(o->low), gap = !!o->gap;
    if (!known(o->quantity) || o->end < o->start || v + range + gap != 1 ||
        range != !isnan(o->high) || (range && o->low > o->high) || !o->unit ||
        !o->definition || !o->source ||
        (strcmp(o->confidence, "high") && strcmp(o->confidence, "medium") &&
         strcmp(o->confidence, "low")))
      abort();
  }
  if (strife_record_get(r, strife_record_count(r))) abort();
  strife_record_destroy(r);
  return 0;
}
