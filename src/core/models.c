/* SPDX-License-Identifier: MIT */
/*
 * The registry of models, in the order of the choices of the scenario key
 * "model".  Each entry adapts a model's own functions to the type table.
 */
#include "lattice/epstein.h"
#include "scenario/scenario.h"
#include "sim.h"

static int epstein_create(void **state, const struct strife__alloc *a,
                          const struct strife__values *v, uint64_t seed,
                          unsigned threads, strife_diag *diag) {
  return strife__epstein_create((struct strife__epstein **)state, a, &v->ep,
                                seed, threads, diag);
}
static void epstein_step(void *s) {
  strife__epstein_step(s);
}
static void epstein_counts(const void *s, strife_counts *out) {
  strife__epstein_counts(s, out);
}
static void epstein_proximity(const void *s, strife_proximity *out) {
  strife__epstein_proximity(s, out);
}
static size_t epstein_memory(const void *s) {
  return ((const struct strife__epstein *)s)->bytes;
}
static uint64_t epstein_agents(const void *s) {
  return ((const struct strife__epstein *)s)->n_agents;
}
static void epstein_destroy(void *s) {
  strife__epstein_destroy(s);
}

static const struct strife__model_type models[] = {
    {"epstein", epstein_create, epstein_step, epstein_counts, epstein_proximity,
     epstein_memory, epstein_agents, epstein_destroy},
};

const struct strife__model_type *strife__model(int i) {
  if (i < 0 || (size_t)i >= sizeof models / sizeof models[0]) return NULL;
  return &models[i];
}
