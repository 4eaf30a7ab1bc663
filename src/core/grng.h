/* SPDX-License-Identifier: MIT */
/*
 * GSL's random distributions over strife's counter-based streams.
 *
 * GSL draws its Poisson, binomial, gamma and other variates from a
 * gsl_rng, a generator it calls through a type table.  struct strife__grng
 * is a gsl_rng whose type reads the words of a Philox stream (rand.h), so
 * that a draw of gsl_ran_poisson is still a pure function of
 * (seed; id, step, stream): setting the counter is all it takes to move
 * the generator to another use, and nothing is allocated.
 */
#ifndef STRIFE_CORE_GRNG_H
#define STRIFE_CORE_GRNG_H

#include <gsl/gsl_rng.h>

#include "rand.h"

struct strife__grng {
  gsl_rng r; /* pass &g->r to gsl_ran_* */
  struct strife__rstream s;
};

/* Points 'g' at the stream (seed; id, step, stream). */
STRIFE__FUNC void strife__grng_init(struct strife__grng *g, uint64_t seed,
                                    uint32_t id, uint32_t step,
                                    uint32_t stream);

#endif
