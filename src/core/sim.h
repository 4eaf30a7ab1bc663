/* SPDX-License-Identifier: MIT */
/*
 * The simulation handle and the model type table.  A model plugs in
 * through a strife__model_type, as random number generators do in GSL:
 * the engine owns the clock and the handle, the model owns its state and
 * how it steps.  The table of models is in models.c.
 */
#ifndef STRIFE_CORE_SIM_H
#define STRIFE_CORE_SIM_H

#include "core.h"

struct strife__values;

struct strife__model_type {
  const char *name;
  int (*create)(void **state, const struct strife__alloc *a,
                const struct strife__values *v, uint64_t seed, unsigned threads,
                strife_diag *diag);
  void (*step)(void *state);
  void (*counts)(const void *state, strife_counts *out);
  void (*proximity)(const void *state, strife_proximity *out);
  size_t (*memory)(const void *state);
  uint64_t (*agents)(const void *state);
  void (*destroy)(void *state);
};

/* The model's own state inside 'sim' (for tests and internal tools). */
STRIFE__FUNC void *strife__sim_state(strife_sim *sim);

/* The model of index 'i' of the key "model", or NULL. */
STRIFE__FUNC const struct strife__model_type *strife__model(int i);

#endif
