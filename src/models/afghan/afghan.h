/* SPDX-License-Identifier: MIT */
/*
 * The Afghan model: one Epstein lattice per province and the strategic
 * layer, coupled by the daily step loop (docs/model.md).  Each day the
 * strategic layer sets what drives every lattice (grievance factors by
 * audience, cops), the lattices step (in parallel over provinces, each on
 * one thread, so the result does not depend on the thread count), and
 * their counts go back to the strategic layer.
 *
 *   afghan.c      the state and the daily step loop
 *   keys.c        the scenario keys and the whole-set checks
 *   observe.c     the schema, the day's observation, the outcomes, and
 *                 the type table
 *   strategic.c   the strategic layer; hawkes.c its attacks
 *   provinces.c   the province table
 */
#ifndef STRIFE_MODELS_AFGHAN_AFGHAN_H
#define STRIFE_MODELS_AFGHAN_AFGHAN_H

#include "core/core.h"
#include "core/model.h"
#include "models/epstein/epstein.h"
#include "provinces.h"
#include "strategic.h"

/* Everything an Afghan scenario sets. */
struct strife__afghan_params {
  struct strife__file provinces; /* data.provinces */
  struct strife__provinces prov; /* the table, parsed by the check */
  int vision;
  enum strife__kernel kernel; /* run.kernel */
  double threshold, k;
  uint32_t max_jail; /* days */
  struct strife__strat_params st;
};

/* Outcomes (observe.c). */
#define STRIFE__AFGHAN_OUTCOMES 31

struct strife__afghan {
  struct strife__afghan_params p;
  struct strife__alloc alloc;
  const struct strife__provinces *prov; /* p.prov */
  struct strife__epstein *lat[STRIFE__PROVINCES_MAX];
  struct strife__pobs obs[STRIFE__PROVINCES_MAX];
  uint32_t cops[STRIFE__PROVINCES_MAX];
  struct strife__strat st;
  unsigned threads;
  uint64_t agents;
  size_t bytes;
  int64_t tick;
  /* What the observation accumulates for the outcomes: sums and extremes
     over the days, and the attacks of the last 180 days. */
  double outcome[STRIFE__AFGHAN_OUTCOMES];
  uint32_t recent[180];
  int64_t days_seen;
};

STRIFE__FUNC int strife__afghan_create(struct strife__afghan **out,
                                       const struct strife__alloc *a,
                                       const struct strife__afghan_params *p,
                                       uint64_t seed, unsigned threads,
                                       strife_diag *diag);
STRIFE__FUNC void strife__afghan_destroy(struct strife__afghan *m);
/* Runs the next day.  Returns STRIFE_OK or STRIFE_ENOMEM. */
STRIFE__FUNC int strife__afghan_step(struct strife__afghan *m);
/* Citizens and cops summed over the provinces. */
STRIFE__FUNC void strife__afghan_counts(const struct strife__afghan *m,
                                        strife_counts *out);
/* The observation's accumulators at the start (observe.c). */
STRIFE__FUNC void strife__afghan_observe_init(struct strife__afghan *m);

/* The keys (keys.c). */
#define STRIFE__AFGHAN_KEYS 114
STRIFE__FUNC const struct strife__key strife__afghan_keys[STRIFE__AFGHAN_KEYS];
STRIFE__FUNC const struct strife__alias strife__afghan_aliases[3];
/* The key a dated change's lever 'lever' (STRIFE__L_*) takes its choices
   from. */
STRIFE__FUNC const struct strife__key *strife__afghan_lever_key(int lever);
STRIFE__FUNC int strife__afghan_check(void *params, struct strife__check *ck);

/* The Afghan model's type table (observe.c). */
STRIFE__FUNC const struct strife_model_type strife__model_afghan;

#endif
