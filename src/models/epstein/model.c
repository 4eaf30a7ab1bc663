/* SPDX-License-Identifier: MIT */
/*
 * Epstein's civil-violence model as a model of its own (model.h): its
 * scenario keys (every default is NetLogo's Rebellion, Wilensky 2004,
 * which follows Epstein 2002; the presets in scenarios/ set the values of
 * each published variant with sources), the checks of a whole parameter
 * set, and what a run reports: series.csv, a row a tick (row 0 after
 * placement), and the final, peak and mean counts.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "epstein.h"
#include "par.h"

#define P(field) offsetof(struct strife__epstein_params, field)

static const struct strife__key keys[] = {
    /* path, type, offset, min, max, choices, range, unit, default, doc,
       spec */
    {"run.update", STRIFE__K_ENUM, P(update), 0, 0, "sequential|parallel",
     "sequential|parallel", "", "\"sequential\"",
     "Agent update: one at a time in random order, or synchronous phases "
     "over threads.",
     NULL},
    {"run.kernel", STRIFE__K_ENUM, P(kernel), 0, 0, "auto|avx512|avx2|c",
     "auto|avx512|avx2|c", "", "\"auto\"",
     "Instruction-set path of the parallel update: the fastest this "
     "processor has, or one named; every path gives the same bytes.",
     NULL},
    {"lattice.width", STRIFE__K_U32, P(width), 1, 65535, NULL, "1..65535",
     "cells", "40", "Width of the torus.", NULL},
    {"lattice.height", STRIFE__K_U32, P(height), 1, 65535, NULL, "1..65535",
     "cells", "40", "Height of the torus.", NULL},
    {"citizens.density", STRIFE__K_REAL, P(citizen_density), 0, 1, NULL,
     "[0, 1]", "fraction of cells", "0.7",
     "Share of cells holding a citizen at tick 0.", NULL},
    {"citizens.vision", STRIFE__K_INT, P(citizen_vision), 1, STRIFE__VISION_MAX,
     NULL, "1..100", "cells", "7", "Radius v of the cells a citizen sees.",
     NULL},
    {"citizens.threshold", STRIFE__K_REAL, P(threshold), 0, 1, NULL, "[0, 1]",
     "", "0.1",
     "T: a citizen turns active when grievance minus net risk exceeds it.",
     NULL},
    {"citizens.arrest_constant", STRIFE__K_REAL, P(k), 0, 100, NULL, "[0, 100]",
     "", "2.3", "k in P = 1 - exp(-k C/A), the estimated arrest probability.",
     NULL},
    {"citizens.max_jail_term", STRIFE__K_U32, P(max_jail), 1, STRIFE__JAIL_MAX,
     NULL, "1..1000000", "ticks", "30",
     "J_max, the longest jail term (see variant.jail_term).", NULL},
    {"cops.density", STRIFE__K_SCHEDULE, P(cop_density), 0, 1, NULL, "[0, 1]",
     "fraction of cells", "0.04",
     "Share of cells holding a cop; a schedule changes the number of cops.",
     NULL},
    {"cops.vision", STRIFE__K_INT, P(cop_vision), 1, STRIFE__VISION_MAX, NULL,
     "1..100", "cells", "7", "Radius v of the cells a cop sees.", NULL},
    {"regime.legitimacy", STRIFE__K_SCHEDULE, P(legitimacy), 0, 1, NULL,
     "[0, 1]", "", "0.82", "L in grievance G = H (1 - L).", NULL},
    {"variant.neighbourhood", STRIFE__K_ENUM, P(nbhd), 0, 0,
     "lateral|disk|diamond", "lateral|disk|diamond", "", "\"disk\"",
     "Cells within vision v: the 4 v lateral sites, the Euclidean disk, or "
     "the Manhattan diamond.",
     NULL},
    {"variant.own_cell", STRIFE__K_BOOL, P(own_cell), 0, 0, NULL, "true|false",
     "", "true", "Whether an agent's own cell belongs to its neighbourhood.",
     NULL},
    {"variant.active_count", STRIFE__K_ENUM, P(self_again), 0, 0,
     "self|self-again-if-active", "self|self-again-if-active", "",
     "\"self-again-if-active\"",
     "A = 1 + actives seen; with self-again-if-active an active citizen "
     "counts itself once more.",
     NULL},
    {"variant.ratio", STRIFE__K_ENUM, P(ratio), 0, 0,
     "exact|floor|round-half-even", "exact|floor|round-half-even", "",
     "\"floor\"",
     "How C/A enters P: as is, rounded down, or rounded half to even.", NULL},
    {"variant.order", STRIFE__K_ENUM, P(order), 0, 0, "move-act|act-move",
     "move-act|act-move", "", "\"move-act\"",
     "Order of moving and acting within a turn.", NULL},
    {"variant.jail_term", STRIFE__K_ENUM, P(term), 0, 0,
     "continuous|uniform-exclusive|uniform-inclusive",
     "continuous|uniform-exclusive|uniform-inclusive", "",
     "\"uniform-exclusive\"",
     "Jail term: ceil(U(0, J_max)), uniform on 0..J_max-1, or uniform on "
     "0..J_max.",
     NULL},
    {"variant.jailed", STRIFE__K_ENUM, P(jailed), 0, 0,
     "removed|stays-empty|stays-blocking", "removed|stays-empty|stays-blocking",
     "", "\"stays-empty\"",
     "Where a jailed citizen is: off the lattice, on its cell which others "
     "may take, or on its cell blocking it.",
     NULL},
    {"variant.jail_countdown", STRIFE__K_ENUM, P(countdown), 0, 0,
     "tick-end|own-turn", "tick-end|own-turn", "", "\"tick-end\"",
     "When jail terms count down: for all at the end of a tick, or on each "
     "citizen's own turn.",
     NULL},
    {"variant.cop_after_arrest", STRIFE__K_ENUM, P(cop_after), 0, 0,
     "stay|arrestee-cell", "stay|arrestee-cell", "", "\"arrestee-cell\"",
     "Whether a cop steps onto the cell of the citizen it arrests.", NULL},
    {"variant.movement", STRIFE__K_ENUM, P(movement), 0, 0,
     "all|cops-only|citizens-only|none", "all|cops-only|citizens-only|none", "",
     "\"all\"", "Which agents move.", NULL},
    {"variant.placement", STRIFE__K_ENUM, P(placement), 0, 0, "exact|bernoulli",
     "exact|bernoulli", "", "\"exact\"",
     "Tick-0 placement: exactly round(density x cells) of each kind, or each "
     "cell drawn on its own.",
     NULL},
};

/* ------------------------------------------------------------------ */
/* Checks                                                             */
/* ------------------------------------------------------------------ */

static int check_vision(struct strife__check *ck,
                        const struct strife__epstein_params *ep) {
  uint32_t side = ep->width < ep->height ? ep->width : ep->height;
  const char *vkeys[2] = {"citizens.vision", "cops.vision"};
  int vis[2] = {ep->citizen_vision, ep->cop_vision};
  for (int i = 0; i < 2; i++) {
    if (2u * (uint32_t)vis[i] + 1u <= side) continue;
    const char *const ks[] = {vkeys[i], "lattice.width", "lattice.height"};
    return strife__check_fail_keys(
        ck, ks, 3, STRIFE_ESCENARIO,
        "vision %d needs a lattice of at least %d x %d cells (2 v + 1, so "
        "that a neighbourhood does not wrap onto itself), got %u x %u",
        vis[i], 2 * vis[i] + 1, 2 * vis[i] + 1, ep->width, ep->height);
  }
  return STRIFE_OK;
}

static int check(void *params, struct strife__check *ck) {
  const struct strife__epstein_params *ep = params;
  uint64_t cells = (uint64_t)ep->width * ep->height;
  if (cells > STRIFE__CELLS_MAX) {
    static const char *const ks[] = {"lattice.width", "lattice.height"};
    return strife__check_fail_keys(
        ck, ks, 2, STRIFE_ELIMIT,
        "a %u x %u lattice has %llu cells, more than the limit of %lu",
        ep->width, ep->height, (unsigned long long)cells,
        (unsigned long)STRIFE__CELLS_MAX);
  }
  int rc = check_vision(ck, ep);
  if (rc) return rc;
  if (!strife__kernel_supported(ep->kernel)) {
    static const char *const ks[] = {"run.kernel"};
    return strife__check_fail_keys(
        ck, ks, 1, STRIFE_ENOTSUP,
        "this processor or build has no %s path of the parallel update "
        "(\"auto\" takes the fastest it has)",
        strife__kernel_name(ep->kernel));
  }
  if (ep->update == STRIFE__UPDATE_PARALLEL &&
      (ep->jailed != STRIFE__JAILED_STAYS_BLOCKING ||
       ep->cop_after != STRIFE__COP_STAYS)) {
    static const char *const ks[] = {"run.update", "variant.jailed",
                                     "variant.cop_after_arrest"};
    return strife__check_fail_keys(
        ck, ks, 3, STRIFE_ESCENARIO,
        "the parallel update keeps every agent in its own cell: it needs "
        "variant.jailed = \"stays-blocking\" and variant.cop_after_arrest = "
        "\"stay\" (as in scenarios/epstein-mesa.json)");
  }
  double d = ep->citizen_density + ep->cop_density.initial;
  if (d > 1.0 + 1e-12) {
    static const char *const ks[] = {"cops.density", "citizens.density"};
    return strife__check_fail_keys(
        ck, ks, 2, STRIFE_ESCENARIO,
        "citizens.density + cops.density must be at most 1 (one agent per "
        "cell), got %g + %g",
        ep->citizen_density, ep->cop_density.initial);
  }
  return STRIFE_OK;
}

/* ------------------------------------------------------------------ */
/* The schema and the observation                                     */
/* ------------------------------------------------------------------ */

static const struct strife__column series_cols[] = {
    {"tick", STRIFE__COL_INT, 0},
    {"quiet", STRIFE__COL_INT, 0},
    {"active", STRIFE__COL_INT, 0},
    {"jailed", STRIFE__COL_INT, 0}};

static const struct strife__table tables[] = {
    {"series", "series.csv", series_cols, 4, 1}};

/* XX(id, name, unit, better, label, decimals, json, flags) */
#define OUTCOMES(XX)                                                           \
  XX(QUIET_END, "quiet_end", "citizens", 0, "quiet citizens at the end", 0,    \
     "final.quiet", STRIFE__OUT_INT)                                           \
  XX(ACTIVE_END, "active_end", "citizens", 0, "active citizens at the end", 0, \
     "final.active", STRIFE__OUT_INT)                                          \
  XX(JAILED_END, "jailed_end", "citizens", 0, "jailed citizens at the end", 0, \
     "final.jailed", STRIFE__OUT_INT)                                          \
  XX(COPS_END, "cops_end", "cops", 0, "cops at the end", 0, "final.cops",      \
     STRIFE__OUT_INT)                                                          \
  XX(ACTIVE_PEAK, "active_peak", "citizens", 0, "active citizens, peak", 0,    \
     "peak_active", STRIFE__OUT_INT | STRIFE__OUT_KEY)                         \
  XX(ACTIVE_MEAN, "active_mean", "citizens", 0, "active citizens, mean", 1,    \
     "mean_active", STRIFE__OUT_KEY)

enum {
#define XX(id, name, unit, better, label, dec, json, flags) O_##id,
  OUTCOMES(XX)
#undef XX
      N_OUTCOMES
};

static const struct strife__outcome outcomes[N_OUTCOMES] = {
#define XX(id, name, unit, better, label, dec, json, flags)                    \
  {name, unit, better, label, dec, json, flags},
    OUTCOMES(XX)
#undef XX
};

static const struct strife__summary_item summary[] = {
    {"series", STRIFE__FACT_TABLE_FILE, 0},
    {"", STRIFE__FACT_OUTCOMES, 0},
    {"wall_seconds", STRIFE__FACT_WALL, 0}};

static const struct strife__schema schema = {
    tables, 1, outcomes, N_OUTCOMES, summary, 3, "ticks", NULL, 0, NULL};

/* Row 'tick' of series.csv after the start or a tick, and the active
   citizens' peak and sum over the ticks. */
static int observe(void *state, unsigned when,
                   const struct strife__observer *obs) {
  struct strife__epstein *e = state;
  if (!(when & (STRIFE__OBS_START | STRIFE__OBS_TICK))) return STRIFE_OK;
  strife_counts c;
  strife__epstein_counts(e, &c);
  if (when & STRIFE__OBS_TICK) {
    if (c.active > e->peak_active) e->peak_active = c.active;
    e->sum_active += (double)c.active;
  }
  union strife__cell row[4];
  row[0].i = e->tick;
  row[1].i = (int64_t)c.quiet;
  row[2].i = (int64_t)c.active;
  row[3].i = (int64_t)c.jailed;
  return obs->row(obs->ud, 0, row);
}

static void outcomes_of(const void *state, double *out) {
  const struct strife__epstein *e = state;
  strife_counts c;
  strife__epstein_counts(e, &c);
  out[O_QUIET_END] = (double)c.quiet;
  out[O_ACTIVE_END] = (double)c.active;
  out[O_JAILED_END] = (double)c.jailed;
  out[O_COPS_END] = (double)c.cops;
  out[O_ACTIVE_PEAK] = (double)e->peak_active;
  out[O_ACTIVE_MEAN] = e->tick ? e->sum_active / (double)e->tick : 0.0;
}

/* ------------------------------------------------------------------ */
/* The type table                                                     */
/* ------------------------------------------------------------------ */

static int create(void **state, const struct strife__alloc *a,
                  const void *params, uint64_t seed, unsigned threads,
                  struct strife__model_info *info, strife_diag *diag) {
  info->dated = 0;
  info->scale = 1.0;
  return strife__epstein_create((struct strife__epstein **)state, a, params,
                                seed, threads, diag);
}

static int step(void *state, char *msg, size_t size) {
  (void)msg, (void)size;
  strife__epstein_step(state);
  return STRIFE_OK;
}

static void counts(const void *state, strife_counts *out) {
  strife__epstein_counts(state, out);
}

static void proximity(const void *state, strife_proximity *out) {
  strife__epstein_proximity(state, out);
}

static size_t memory(const void *state) {
  return ((const struct strife__epstein *)state)->bytes;
}

static uint64_t footprint(const void *params) {
  return strife__epstein_footprint(params);
}

static uint64_t agents(const void *state) {
  return ((const struct strife__epstein *)state)->n_agents;
}

static void destroy(void *state) {
  strife__epstein_destroy(state);
}

const struct strife_model_type strife__model_epstein = {
    .name = "epstein",
    .doc = "Epstein's civil-violence model (2002, Model I) on one torus, "
           "in the variants of its published implementations "
           "(docs/model-epstein.md).",
    .keys = keys,
    .n_keys = sizeof keys / sizeof keys[0],
    .params_size = sizeof(struct strife__epstein_params),
    .schema = &schema,
    .check = check,
    .create = create,
    .step = step,
    .observe = observe,
    .outcomes = outcomes_of,
    .counts = counts,
    .proximity = proximity,
    .memory = memory,
    .footprint = footprint,
    .agents = agents,
    .destroy = destroy,
};
