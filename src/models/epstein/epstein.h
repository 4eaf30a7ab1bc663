/* SPDX-License-Identifier: MIT */
/*
 * Epstein's civil-violence model (Epstein 2002, Model I) on one torus
 * lattice, with the switches that tell its published implementations apart
 * (docs/model-epstein.md).
 *
 * State layout.  Agents are numbered citizens first (0 .. n_cit-1), then
 * cops (n_cit .. n_agents-1, some of them held in reserve for schedules
 * that add cops).  Both updates keep bit planes (grid.h): 'occ' (the cell
 * is taken), 'cop' (its head is a cop), 'act' (its head is an active
 * citizen).  The sequential update keeps the agents' fields as arrays
 * indexed by agent (struct of arrays) and 'who', the agent heading each
 * cell, or STRIFE__EMPTY.  The parallel update keeps them as arrays
 * indexed by cell, which move with the agent (epstein_par.c).  Where a variant
 * lets two agents share a cell (NetLogo: a released citizen finds its cell
 * taken; a cop steps onto the cell of the citizen it arrests), the agents of a
 * cell form a chain through 'next', and 'multi' marks the cells whose chain has
 * more than the head.  Counts over a window are then the popcount of the
 * head bits plus a walk of the chains of the 'multi' cells in the window;
 * variants that never share cells allocate neither 'next' nor 'multi' and
 * pay nothing.
 *
 * Two updates.  The sequential update visits every agent once per tick in
 * a fresh random order, each seeing the moves and arrests of those before
 * it, as NetLogo and Mesa do.  The parallel update is synchronous: all
 * citizens decide from the state at the start of the tick, then cops
 * arrest, then every agent moves, conflicts for a cell going to the
 * claimant with the smallest random priority (epstein_par.c).  Both are
 * deterministic for a given seed.
 */
#ifndef STRIFE_LATTICE_EPSTEIN_H
#define STRIFE_LATTICE_EPSTEIN_H

#include <math.h>
#include <stdint.h>

#include "core/core.h"
#include "core/model.h"
#include "core/rand.h"
#include "core/schedule.h"
#include "grid.h"

#define STRIFE__EMPTY   UINT32_MAX
#define STRIFE__NOWHERE UINT32_MAX

/* Largest lattice accepted, in cells. */
#define STRIFE__CELLS_MAX (UINT32_C(1) << 30)
/* Largest jail term accepted, in ticks. */
#define STRIFE__JAIL_MAX 1000000

enum strife__ratio {
  STRIFE__RATIO_EXACT,     /* C / A */
  STRIFE__RATIO_FLOOR,     /* floor(C / A) */
  STRIFE__RATIO_ROUND_EVEN /* C / A rounded half to even */
};
enum strife__order { STRIFE__MOVE_ACT, STRIFE__ACT_MOVE };
enum strife__jail_term {
  STRIFE__TERM_CONTINUOUS, /* ceil(U(0, J)): 1 .. J */
  STRIFE__TERM_EXCLUSIVE,  /* uniform on 0 .. J-1 */
  STRIFE__TERM_INCLUSIVE   /* uniform on 0 .. J */
};
enum strife__jailed {
  STRIFE__JAILED_REMOVED,       /* leaves the lattice; re-enters anywhere */
  STRIFE__JAILED_STAYS_EMPTY,   /* keeps its cell, which others may take */
  STRIFE__JAILED_STAYS_BLOCKING /* keeps and blocks its cell */
};
enum strife__countdown { STRIFE__COUNT_TICK_END, STRIFE__COUNT_OWN_TURN };
enum strife__cop_after { STRIFE__COP_STAYS, STRIFE__COP_TO_ARRESTEE };
enum strife__movement {
  STRIFE__MOVE_ALL,
  STRIFE__MOVE_COPS_ONLY,
  STRIFE__MOVE_CITIZENS_ONLY,
  STRIFE__MOVE_NONE
};
enum strife__placement { STRIFE__PLACE_EXACT, STRIFE__PLACE_BERNOULLI };
enum strife__update { STRIFE__UPDATE_SEQUENTIAL, STRIFE__UPDATE_PARALLEL };
/* The parallel update's instruction-set path (run.kernel; par.h). */
enum strife__kernel {
  STRIFE__KERNEL_AUTO,
  STRIFE__KERNEL_AVX512,
  STRIFE__KERNEL_AVX2,
  STRIFE__KERNEL_C
};

/* Everything the scenario says about one Epstein lattice. */
struct strife__epstein_params {
  uint32_t width, height;
  double citizen_density;
  struct strife__schedule cop_density;
  struct strife__schedule legitimacy;
  int citizen_vision, cop_vision;
  double threshold;  /* T */
  double k;          /* arrest constant */
  uint32_t max_jail; /* J_max, ticks */
  enum strife__nbhd nbhd;
  int own_cell;   /* the own cell belongs to the neighbourhood */
  int self_again; /* an active citizen counts itself again in A */
  enum strife__ratio ratio;
  enum strife__order order;
  enum strife__jail_term term;
  enum strife__jailed jailed;
  enum strife__countdown countdown;
  enum strife__cop_after cop_after;
  enum strife__movement movement;
  enum strife__placement placement;
  enum strife__update update;
  enum strife__kernel kernel;
  /* Driven lattices (the provinces of a larger model): the share of
     citizens of the hardliner audience, and the most cops the lattice
     will ever hold (0: the cop schedule's maximum). */
  double hard_share;
  uint32_t cop_cap;
};

/* What a driving model sets on a lattice before each tick, in place of
   the schedules: the grievance factor of each audience (G = H * factor;
   Epstein's 1 - L) and the number of cops wanted on the lattice. */
struct strife__drive {
  double factor[2]; /* public, hardliner */
  uint32_t cops;
};

/* Counts by audience (0 public, 1 hardliner) after a tick. */
struct strife__tally {
  uint64_t quiet[2], active[2], jailed[2];
  uint64_t arrests[2]; /* during the last tick */
  uint64_t cops;
};

/* Agent states. */
enum {
  STRIFE__QUIET = 0,
  STRIFE__ACTIVE = 1,
  STRIFE__JAILED = 2,
  STRIFE__COP = 3,
  STRIFE__RESERVE = 4, /* a cop not on the lattice */
  STRIFE__NONE = 5     /* an empty cell (parallel update) */
};

struct strife__epstein {
  struct strife__epstein_params p;
  struct strife__alloc alloc;
  uint64_t seed;
  unsigned threads;

  struct strife__grid g;
  struct strife__shape cit_shape, cop_shape;
  uint32_t n_cells;
  uint32_t n_cit;    /* citizens */
  uint32_t n_agents; /* citizens + cops, reserve included */
  uint32_t n_cops;   /* cops on the lattice */
  int shared_cells;  /* the variant lets agents share a cell */

  /* Sequential update: agents as arrays indexed by agent. */
  uint32_t *pos;   /* packed position (strife__pack), or STRIFE__NOWHERE */
  float *hard;     /* hardship H, citizens */
  float *risk;     /* risk aversion R, citizens */
  uint8_t *state;  /* STRIFE__QUIET ... */
  uint32_t *jail;  /* jail term left, citizens */
  uint32_t *next;  /* next agent on the same cell (shared_cells only) */
  uint32_t *order; /* visiting order */
  uint32_t *who;   /* the agent heading each cell, or STRIFE__EMPTY */

  /* Parallel update: agents live in their cells, as arrays indexed by
     cell, and move with their fields (epstein_par.c). */
  uint32_t *cid;      /* agent number, STRIFE__EMPTY, or a move claim */
  uint8_t *cst;       /* state, or STRIFE__NONE */
  float *ch, *cr;     /* hardship, risk aversion */
  uint32_t *caux;     /* jail term; a cop's suspect; a move proposal */
  uint32_t *cop_cell; /* cell of each cop (n_cit + i), or STRIFE__NOWHERE */

  /* The parallel update's padded planes and scratch (par.h). */
  struct strife__par *par;

  /* Bit planes of the sequential update. */
  uint64_t *occ, *cop, *act, *multi;

  /* 1 - exp(-k * q) for integer ratios q = 0 .. ptab_n-1. */
  double *ptab;
  uint32_t ptab_n;

  /* Audiences: citizens numbered below n_hard are hardliners. */
  uint32_t n_hard;
  int driven; /* set by strife__epstein_drive: schedules no longer apply */

  /* Tick bookkeeping. */
  int64_t tick;
  double legit;     /* legitimacy in force this tick (undriven) */
  double factor[2]; /* grievance factor by audience, in force this tick */
  uint64_t arrests_by[2];
  /* Parallel update: active and jailed citizens by audience (0 public,
     1 hardliner), counted as the planes are rebuilt. */
  uint64_t n_active[2], n_jailed[2];
  double cop_density; /* cop density in force */
  uint64_t arrests;   /* during the last tick */
  size_t bytes;       /* memory held */

  /* Observed as a model of its own (model.c): the active citizens' peak
     and sum over ticks 1 .. tick. */
  uint64_t peak_active;
  double sum_active;
};

/* The Epstein model's type table (model.c). */
STRIFE__FUNC const struct strife_model_type strife__model_epstein;

STRIFE__FUNC int strife__epstein_create(struct strife__epstein **out,
                                        const struct strife__alloc *a,
                                        const struct strife__epstein_params *p,
                                        uint64_t seed, unsigned threads,
                                        strife_diag *diag);
STRIFE__FUNC void strife__epstein_destroy(struct strife__epstein *e);
/* The bytes the state of 'p' takes, estimated from the expected counts
   of its placement, before any is drawn or allocated. */
STRIFE__FUNC uint64_t
strife__epstein_footprint(const struct strife__epstein_params *p);
/* Runs tick e->tick + 1. */
STRIFE__FUNC void strife__epstein_step(struct strife__epstein *e);
STRIFE__FUNC void strife__epstein_counts(const struct strife__epstein *e,
                                         strife_counts *out);
STRIFE__FUNC void strife__epstein_proximity(const struct strife__epstein *e,
                                            strife_proximity *out);

/* The two updates (epstein_seq.c, epstein_par.c). */
STRIFE__FUNC void strife__epstein_step_seq(struct strife__epstein *e);
STRIFE__FUNC void strife__epstein_step_par(struct strife__epstein *e);
/* The parallel update's own placement, cop schedule, counts and
   observations, over its cell arrays. */
STRIFE__FUNC void strife__epstein_par_place(struct strife__epstein *e,
                                            uint32_t n_cops0);
STRIFE__FUNC void strife__epstein_par_adjust_cops(struct strife__epstein *e,
                                                  uint32_t want);
STRIFE__FUNC void strife__epstein_par_counts(const struct strife__epstein *e,
                                             strife_counts *out);
STRIFE__FUNC void strife__epstein_par_proximity(const struct strife__epstein *e,
                                                strife_proximity *out);
/* The first 'need' entries of a uniformly random permutation of the cells,
   into 'cells' (n_cells entries): the tick-0 draw of exact placement. */
STRIFE__FUNC void strife__epstein_shuffle_cells(const struct strife__epstein *e,
                                                uint32_t *cells, uint32_t need);
/* Counts of a state array ('n' states: agents, or cells) into 'out'. */
STRIFE__FUNC void strife__epstein_count_states(const struct strife__epstein *e,
                                               const uint8_t *states, size_t n,
                                               strife_counts *out);
/* Adds an aggrieved free citizen at 'p' to the bin of the cops it sees. */
STRIFE__FUNC void strife__epstein_proximity_add(const struct strife__epstein *e,
                                                uint32_t p, int active,
                                                strife_proximity *out);
/* A uniformly random empty cell of the whole lattice, by the per-cell
   array 'cells' (who or cid), or STRIFE__NOWHERE. */
STRIFE__FUNC uint32_t
strife__epstein_random_empty(const struct strife__epstein *e,
                             const uint32_t *cells, struct strife__rstream *rs);
/* The grievance factor of citizen 'a' (its audience's). */
static inline double strife__factor(const struct strife__epstein *e,
                                    uint32_t a) {
  return e->factor[a < e->n_hard];
}
/* Whether the grievance of citizen 'a' with hardship 'h' exceeds the
   threshold. */
static inline int strife__aggrieved_h(const struct strife__epstein *e, float h,
                                      uint32_t a) {
  return (double)h * strife__factor(e, a) > e->p.threshold;
}
/* Sets what drives the lattice from the next tick on. */
STRIFE__FUNC void strife__epstein_drive(struct strife__epstein *e,
                                        const struct strife__drive *d);
/* Counts by audience. */
STRIFE__FUNC void strife__epstein_tally(const struct strife__epstein *e,
                                        struct strife__tally *out);

/* Shared by both updates (epstein.c). */

/* The ratio C / A as the variant uses it, as an integer where it is one. */
STRIFE__FUNC uint32_t strife__epstein_ratio_int(enum strife__ratio r,
                                                uint32_t c, uint32_t a);
/* Estimated arrest probability for C cops and A actives (A >= 1). */
static inline double strife__arrest_p(const struct strife__epstein *e,
                                      uint32_t c, uint32_t a) {
  if (e->p.ratio == STRIFE__RATIO_EXACT)
    return 1.0 - exp(-e->p.k * (double)c / (double)a);
  uint32_t q = strife__epstein_ratio_int(e->p.ratio, c, a);
  return e->ptab[q < e->ptab_n ? q : e->ptab_n - 1];
}
/* A jail term from one random word. */
STRIFE__FUNC uint32_t strife__epstein_jail_term(enum strife__jail_term t,
                                                uint32_t jmax, uint32_t word);
/* Positions are packed coordinates, y << 16 | x, so that the agent loop
   never divides; STRIFE__NOWHERE is off the lattice. */
static inline uint32_t strife__pack(uint32_t x, uint32_t y) {
  return y << 16 | x;
}
static inline uint32_t strife__px(uint32_t p) {
  return p & 0xffffu;
}
static inline uint32_t strife__py(uint32_t p) {
  return p >> 16;
}
static inline uint32_t strife__cell(const struct strife__epstein *e,
                                    uint32_t p) {
  return strife__py(p) * e->p.width + strife__px(p);
}

/* Takes 'agent' onto / off position 'p', keeping planes and chains right. */
STRIFE__FUNC void strife__epstein_cell_add(struct strife__epstein *e,
                                           uint32_t agent, uint32_t p);
STRIFE__FUNC void strife__epstein_cell_remove(struct strife__epstein *e,
                                              uint32_t agent, uint32_t p);
/* Moves 'agent' from position 'from' to the empty position 'to'. */
static inline void strife__relocate(struct strife__epstein *e, uint32_t agent,
                                    uint32_t from, uint32_t to) {
  const struct strife__grid *g = &e->g;
  if (e->shared_cells || !g->aligned) {
    strife__epstein_cell_remove(e, agent, from);
    strife__epstein_cell_add(e, agent, to);
    return;
  }
  /* One agent per cell, no ghosts: one bit per plane at each end. */
  uint32_t fx = strife__px(from), fy = strife__py(from);
  uint32_t tx = strife__px(to), ty = strife__py(to);
  size_t fw = (size_t)(fy >> 3) * g->tw + (fx >> 3);
  size_t tw = (size_t)(ty >> 3) * g->tw + (tx >> 3);
  uint64_t fb = UINT64_C(1) << ((fy & 7u) << 3 | (fx & 7u));
  uint64_t tb = UINT64_C(1) << ((ty & 7u) << 3 | (tx & 7u));
  e->who[fy * g->w + fx] = STRIFE__EMPTY;
  e->who[ty * g->w + tx] = agent;
  e->pos[agent] = to;
  e->occ[fw] &= ~fb;
  e->occ[tw] |= tb;
  uint8_t st = e->state[agent];
  uint64_t *plane = st == STRIFE__COP      ? e->cop
                    : st == STRIFE__ACTIVE ? e->act
                                           : NULL;
  if (plane) {
    plane[fw] &= ~fb;
    plane[tw] |= tb;
  }
}

/* Cop 'cop' arrests citizen 's'; 'word' draws the jail term. */
STRIFE__FUNC void strife__epstein_arrest(struct strife__epstein *e,
                                         uint32_t cop, uint32_t s,
                                         uint32_t word);
/* Tick-end countdown of the jailed citizens in [lo, hi): one tick off each
   term, release at zero. */
STRIFE__FUNC void strife__epstein_jail_countdown(struct strife__epstein *e,
                                                 uint32_t lo, uint32_t hi);
/* Puts released citizen 'a' back: on its cell, or (removed variant) on a
   random empty cell.  Returns 0 if there was no room (it stays jailed). */
STRIFE__FUNC int strife__epstein_release(struct strife__epstein *e, uint32_t a);
/* Recomputes the plane bits of position 'p' from the agent heading it. */
STRIFE__FUNC void strife__epstein_cell_refresh(struct strife__epstein *e,
                                               uint32_t p);

/* What an agent sees: cops and actives (not counting itself) in its
   shape, and the empty cells, row by row. */
struct strife__view {
  uint32_t cops, actives, empty;
  struct strife__span sp; /* where it looked */
  uint32_t tile_empty[STRIFE__TILES_MAX * STRIFE__TILES_MAX];
};

/* Fills 'out' for an agent at position 'p'; 'self_active' says that it
   is an active citizen, which a shape holding the own cell would count.
   Counts only when 'counts', empties only when 'empties'. */
STRIFE__FUNC void strife__epstein_look(const struct strife__epstein *e,
                                       const struct strife__shape *shape,
                                       uint32_t p, int self_active, int counts,
                                       int empties, struct strife__view *out);
/* The k-th empty cell of a view (k < v->empty). */
STRIFE__FUNC uint32_t strife__epstein_view_empty(
    const struct strife__epstein *e, const struct strife__shape *shape,
    const struct strife__view *v, uint32_t k);
/* The cell index of the *k-th set bit of 'plane' in span 'sp' (tile
   order), or STRIFE__NOWHERE with *k reduced by the bits there are. */
STRIFE__FUNC uint32_t strife__span_select(const struct strife__grid *g,
                                          const struct strife__shape *shape,
                                          const struct strife__span *sp,
                                          const uint64_t *plane, uint32_t *k);
/*
 * The tries of a move (epstein_seq.c, epstein_par.c): a uniformly random
 * cell of the neighbourhood, taken if empty, else drawn again, so that the
 * accepted cell is uniform over the empty ones.  Each try takes 16 random
 * bits: an index among the n_off cells by Lemire's multiply, the rare low
 * products below 2^16 mod n_off rejected so that every index is equally
 * likely.  After STRIFE__MOVE_TRIES misses the caller counts the empty
 * cells and draws among them, which is uniform too.
 */
#define STRIFE__MOVE_TRIES 24
_Static_assert(STRIFE__MOVE_TRIES % 4 == 0, "tries come four to a word");

struct strife__tries {
  struct strife__sm64 *rng;
  uint64_t bits;
  int left;
  uint32_t n, reject;
};

static inline void strife__tries_init(struct strife__tries *t,
                                      struct strife__sm64 *rng,
                                      const struct strife__shape *shape) {
  t->rng = rng;
  t->bits = 0;
  t->left = 0;
  t->n = shape->n_off;
  t->reject = shape->reject;
}

/* The next try's cell index in the shape's offsets, or -1 for a draw to
   throw away. */
static inline int32_t strife__try(struct strife__tries *t) {
  if (!t->left) {
    t->bits = strife__sm64_next(t->rng);
    t->left = 4;
  }
  uint32_t m = (uint32_t)(t->bits & 0xffffu) * t->n;
  t->bits >>= 16;
  t->left--;
  return (m & 0xffffu) < t->reject ? -1 : (int32_t)(m >> 16);
}

/* (x + dx, y + dy) on a w x h torus, |dx| < w, |dy| < h. */
static inline void strife__wrap(int32_t x, int32_t y, int32_t dx, int32_t dy,
                                int32_t w, int32_t h, int32_t *xx,
                                int32_t *yy) {
  int32_t a = x + dx, b = y + dy;
  a += a < 0 ? w : 0;
  a -= a >= w ? w : 0;
  b += b < 0 ? h : 0;
  b -= b >= h ? h : 0;
  *xx = a;
  *yy = b;
}

/* The k-th active citizen in 'shape' around 'p' (k < actives seen). */
STRIFE__FUNC uint32_t strife__epstein_pick_active(
    const struct strife__epstein *e, const struct strife__shape *shape,
    uint32_t p, uint32_t k);
/* Whether citizen 'a' has a grievance above the threshold: only such a
   citizen can turn active, since its net risk R P is never negative. */
static inline int strife__aggrieved(const struct strife__epstein *e,
                                    uint32_t a) {
  return strife__aggrieved_h(e, e->hard[a], a);
}

/* Citizen decision: is citizen 'id' with hardship 'h', risk aversion 'r',
   seeing 'cops' and 'actives' others, active? */
static inline int strife__decide(const struct strife__epstein *e, uint32_t id,
                                 float h, float r, uint32_t cops,
                                 uint32_t others, int self_active) {
  uint32_t a = 1u + others + (e->p.self_again && self_active ? 1u : 0u);
  double grievance = (double)h * strife__factor(e, id);
  double net_risk = (double)r * strife__arrest_p(e, cops, a);
  return grievance - net_risk > e->p.threshold;
}

#endif
