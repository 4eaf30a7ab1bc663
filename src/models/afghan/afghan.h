/* SPDX-License-Identifier: MIT */
/*
 * The Afghan model: one Epstein lattice per province and the strategic
 * layer, coupled by the daily step loop (docs/model.md).  Each day the
 * strategic layer sets what drives every lattice (grievance factors by
 * audience, cops), the lattices step (in parallel over provinces, each on
 * one thread, so the result does not depend on the thread count), and
 * their counts go back to the strategic layer.
 */
#ifndef STRIFE_MODEL_AFGHAN_H
#define STRIFE_MODEL_AFGHAN_H

#include "core/core.h"
#include "models/epstein/epstein.h"
#include "models/afghan/provinces.h"
#include "models/afghan/strategic.h"

/* Everything an Afghan scenario sets. */
struct strife__afghan_params {
  char provinces[1024];          /* path of the province table, as given */
  char provinces_path[1024];     /* the same, resolved to open */
  struct strife__provinces prov; /* the table, read with the scenario */
  int vision;
  double threshold, k;
  uint32_t max_jail; /* days */
  struct strife__strat_params st;
};

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
};

STRIFE__FUNC int strife__afghan_create(struct strife__afghan **out,
                                       const struct strife__alloc *a,
                                       const struct strife__afghan_params *p,
                                       uint64_t seed, unsigned threads,
                                       strife_diag *diag);
STRIFE__FUNC void strife__afghan_destroy(struct strife__afghan *m);
/* Runs the next day. */
STRIFE__FUNC void strife__afghan_step(struct strife__afghan *m);
/* Citizens and cops summed over the provinces. */
STRIFE__FUNC void strife__afghan_counts(const struct strife__afghan *m,
                                        strife_counts *out);

#endif
