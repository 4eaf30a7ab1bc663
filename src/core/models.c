/* SPDX-License-Identifier: MIT */
/*
 * The registry of models, in the order of the choices of the scenario key
 * "model".  Each entry adapts a model's own functions to the type table.
 */
#include <string.h>

#include "models/epstein/epstein.h"
#include "models/afghan/afghan.h"
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

static int afghan_create(void **state, const struct strife__alloc *a,
                         const struct strife__values *v, uint64_t seed,
                         unsigned threads, strife_diag *diag) {
  return strife__afghan_create((struct strife__afghan **)state, a, &v->af, seed,
                               threads, diag);
}
static void afghan_step(void *s) {
  strife__afghan_step(s);
}
static void afghan_counts(const void *s, strife_counts *out) {
  strife__afghan_counts(s, out);
}
static void afghan_proximity(const void *s, strife_proximity *out) {
  const struct strife__afghan *m = s;
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < m->prov->n; i++) {
    strife_proximity one;
    strife__epstein_proximity(m->lat[i], &one);
    for (int b = 0; b < STRIFE_PROXIMITY_BINS; b++) {
      out->citizens[b] += one.citizens[b];
      out->active[b] += one.active[b];
    }
  }
}
static size_t afghan_memory(const void *s) {
  return ((const struct strife__afghan *)s)->bytes;
}
static uint64_t afghan_agents(const void *s) {
  return ((const struct strife__afghan *)s)->agents;
}
static void afghan_destroy(void *s) {
  strife__afghan_destroy(s);
}

static const struct strife__model_type models[] = {
    {"epstein", epstein_create, epstein_step, epstein_counts, epstein_proximity,
     epstein_memory, epstein_agents, epstein_destroy},
    {"afghan", afghan_create, afghan_step, afghan_counts, afghan_proximity,
     afghan_memory, afghan_agents, afghan_destroy},
};

const struct strife__model_type *strife__model(int i) {
  if (i < 0 || (size_t)i >= sizeof models / sizeof models[0]) return NULL;
  return &models[i];
}
