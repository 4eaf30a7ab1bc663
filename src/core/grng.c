/* SPDX-License-Identifier: MIT */
/* A gsl_rng type over a Philox stream (grng.h). */
#include "grng.h"

static void grng_set(void *state, unsigned long seed) {
  /* GSL calls this only through gsl_rng_set, which strife never does: the
     stream is chosen by strife__grng_init.  Map a seed to the stream of
     that seed, id 0, so that a call would still be deterministic. */
  strife__rstream_init(state, (uint64_t)seed, 0, 0, 0);
}

static unsigned long grng_get(void *state) {
  return strife__rstream_u32(state);
}

/* 53 random bits from two words, as strife__rstream_u01. */
static double grng_get_double(void *state) {
  return strife__rstream_u01(state);
}

static const gsl_rng_type grng_type = {"strife-philox4x32-10",
                                       UINT32_MAX,
                                       0,
                                       sizeof(struct strife__rstream),
                                       grng_set,
                                       grng_get,
                                       grng_get_double};

void strife__grng_init(struct strife__grng *g, uint64_t seed, uint32_t id,
                       uint32_t step, uint32_t stream) {
  g->r.type = &grng_type;
  g->r.state = &g->s;
  strife__rstream_init(&g->s, seed, id, step, stream);
}
