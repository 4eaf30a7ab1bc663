/* SPDX-License-Identifier: MIT */
/*
 * The parallel (synchronous) update, for large lattices.
 *
 * One tick is a sequence of phases, each a loop over agents or rows split
 * among OpenMP threads, with a barrier between phases:
 *
 *   decide   every free citizen decides from the planes as they were at
 *            the start of the tick (so no citizen sees another's new
 *            state); a jailed citizen with own-turn countdown spends its
 *            turn here;
 *   act      the 'act' plane is rebuilt from the new states;
 *   arrest   every cop picks a suspect among the actives it sees; then,
 *            in cop order on one thread, each arrests its suspect unless
 *            an earlier cop already did (the later cop arrests nobody);
 *   move     every free agent picks a random empty cell in its vision
 *            from the 'occ' plane and claims it with an atomic minimum of
 *            a random priority; the smallest priority wins and moves, the
 *            others stay;
 *   release  tick-end countdown of jail terms;
 *   planes   every plane is rebuilt from 'who' and 'state'.
 *
 * Every random draw is keyed by (seed, agent, tick, stream), the atomic
 * minimum does not depend on the order of the claims, and the serial
 * steps go in agent order: the result is the same for any thread count.
 *
 * It differs from the sequential update in what each agent sees: there, an
 * agent sees the moves, decisions and arrests of everyone earlier in the
 * random order of the tick; here, decisions see the start of the tick,
 * arrests see this tick's decisions, and moves see the cells as they were
 * before anyone moved this tick (a cell left this tick cannot be taken
 * until the next).  docs/model-epstein.md gives the comparison test.
 */
#include <string.h>

#include "core/rand.h"
#include "epstein.h"

#ifdef _OPENMP
#  include <omp.h>
#endif

/* The claim of agent 'a' for a cell: 0x80000000 | a random bijection of
   its 31 low bits, so it never equals an agent number (< 2^31) and a
   loser cannot mistake the winner's number for its own claim. */
static inline uint32_t claim_code(uint32_t a, uint32_t mul, uint32_t add) {
  return 0x80000000u | ((a * mul + add) & 0x7fffffffu);
}

static inline void atomic_min_u32(uint32_t *p, uint32_t v) {
  uint32_t old = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (v < old && !__atomic_compare_exchange_n(
                        p, &old, v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
}

/* Rebuilds tile rows [t0, t1) of the 'act' plane, and of 'occ' and 'cop'
   too when 'all'.  Every padded cell, ghosts included, is read from the
   lattice cell it mirrors, so no second pass is needed for the ghosts. */
static void rebuild_rows(struct strife__epstein *e, uint32_t t0, uint32_t t1,
                         int all) {
  const struct strife__grid *g = &e->g;
  const uint32_t w = g->w, h = g->h, pad = g->pad;
  const uint32_t pw = w + 2u * pad, ph = h + 2u * pad;
  const uint8_t *restrict state = e->state;
  for (uint32_t ty = t0; ty < t1; ty++) {
    uint64_t *ra = e->act + (size_t)ty * g->tw;
    uint64_t *ro = e->occ + (size_t)ty * g->tw;
    uint64_t *rc = e->cop + (size_t)ty * g->tw;
    memset(ra, 0, g->tw * sizeof *ra);
    if (all) {
      memset(ro, 0, g->tw * sizeof *ro);
      memset(rc, 0, g->tw * sizeof *rc);
    }
    for (uint32_t Y = ty * 8u; Y < ty * 8u + 8u && Y < ph; Y++) {
      uint32_t y = (Y + h - pad) % h; /* pad < h */
      const uint32_t *restrict who = e->who + (size_t)y * w;
      uint32_t shift = (Y & 7u) << 3;
      uint32_t x = pad ? w - pad : 0; /* lattice column of padded column 0 */
      for (uint32_t X = 0; X < pw; X++) {
        uint32_t a = who[x];
        if (++x == w) x = 0;
        if (a == STRIFE__EMPTY) continue;
        uint8_t st = state[a];
        uint64_t bit = UINT64_C(1) << (shift | (X & 7u));
        ra[X >> 3] |= st == STRIFE__ACTIVE ? bit : 0;
        if (all) {
          ro[X >> 3] |= bit;
          rc[X >> 3] |= st == STRIFE__COP ? bit : 0;
        }
      }
    }
  }
}

/* Splits [0, n) evenly among the threads of the team. */
static void my_range(uint32_t n, uint32_t *lo, uint32_t *hi) {
#ifdef _OPENMP
  uint32_t t = (uint32_t)omp_get_thread_num();
  uint32_t nt = (uint32_t)omp_get_num_threads();
#else
  uint32_t t = 0, nt = 1;
#endif
  *lo = (uint32_t)((uint64_t)n * t / nt);
  *hi = (uint32_t)((uint64_t)n * (t + 1) / nt);
}

static void decide_range(struct strife__epstein *e, uint32_t lo, uint32_t hi) {
  const int own_turn = e->p.countdown == STRIFE__COUNT_OWN_TURN;
  for (uint32_t a = lo; a < hi; a++) {
    uint8_t st = e->state[a];
    if (st == STRIFE__JAILED) {
      if (!own_turn) continue;
      if (e->jail[a] > 0) {
        e->jail[a]--;
        continue;
      }
      /* Walks out (its cell is still its own) and takes this turn. */
      e->state[a] = STRIFE__QUIET;
    }
    int now = 0;
    if (strife__aggrieved(e, a)) {
      struct strife__view v;
      strife__look(e, &e->cit_shape, e->pos[a], a, 1, 0, &v);
      now = strife__decide(e, e->hard[a], e->risk[a], v.cops, v.actives,
                           st == STRIFE__ACTIVE);
    }
    e->state[a] = now ? STRIFE__ACTIVE : STRIFE__QUIET;
  }
}

static void suspect_range(struct strife__epstein *e, uint32_t lo, uint32_t hi) {
  for (uint32_t c = lo; c < hi; c++) {
    uint32_t *out = &e->suspect[c - e->n_cit];
    *out = STRIFE__NOWHERE;
    if (e->state[c] != STRIFE__COP) continue;
    struct strife__view v;
    strife__look(e, &e->cop_shape, e->pos[c], c, 1, 0, &v);
    if (!v.actives) continue;
    struct strife__r4 r =
        strife__rand4(e->seed, c, (uint32_t)e->tick, STRIFE__STREAM_TURN, 0);
    *out = strife__pick_active(e, &e->cop_shape, e->pos[c],
                               strife__below(r.v[1], v.actives));
  }
}

static void arrest_serial(struct strife__epstein *e) {
  for (uint32_t c = e->n_cit; c < e->n_agents; c++) {
    uint32_t s = e->suspect[c - e->n_cit];
    if (s == STRIFE__NOWHERE || e->state[s] != STRIFE__ACTIVE) continue;
    struct strife__r4 r =
        strife__rand4(e->seed, c, (uint32_t)e->tick, STRIFE__STREAM_TURN, 0);
    strife__arrest(e, c, s, r.v[2]);
  }
}

static void claim_range(struct strife__epstein *e, uint32_t lo, uint32_t hi,
                        uint32_t mul, uint32_t add) {
  enum strife__movement mv = e->p.movement;
  int cits_move = mv == STRIFE__MOVE_ALL || mv == STRIFE__MOVE_CITIZENS_ONLY;
  int cops_move = mv == STRIFE__MOVE_ALL || mv == STRIFE__MOVE_COPS_ONLY;
  /* One Philox block gives the move words of four consecutive agents. */
  uint32_t block = UINT32_MAX;
  struct strife__r4 r = {{0, 0, 0, 0}};
  for (uint32_t a = lo; a < hi; a++) {
    uint8_t st = e->state[a];
    e->claim[a] = STRIFE__NOWHERE;
    int moves = st == STRIFE__COP                               ? cops_move
                : (st == STRIFE__QUIET || st == STRIFE__ACTIVE) ? cits_move
                                                                : 0;
    if (!moves) continue;
    const struct strife__shape *shape =
        st == STRIFE__COP ? &e->cop_shape : &e->cit_shape;
    struct strife__view v;
    strife__look(e, shape, e->pos[a], a, 0, 1, &v);
    if (!v.empty) continue;
    if (a >> 2 != block) {
      block = a >> 2;
      r = strife__rand4(e->seed, block, (uint32_t)e->tick, STRIFE__STREAM_MOVE,
                        0);
    }
    uint32_t t =
        strife__view_empty(e, shape, &v, strife__below(r.v[a & 3u], v.empty));
    e->claim[a] = t;
    atomic_min_u32(&e->who[strife__cell(e, t)], claim_code(a, mul, add));
  }
}

static void resolve_range(struct strife__epstein *e, uint32_t lo, uint32_t hi,
                          uint32_t mul, uint32_t add) {
  for (uint32_t a = lo; a < hi; a++) {
    uint32_t t = e->claim[a];
    if (t == STRIFE__NOWHERE) continue;
    uint32_t *target = &e->who[strife__cell(e, t)];
    if (__atomic_load_n(target, __ATOMIC_RELAXED) != claim_code(a, mul, add))
      continue;
    e->who[strife__cell(e, e->pos[a])] = STRIFE__EMPTY;
    __atomic_store_n(target, a, __ATOMIC_RELAXED);
    e->pos[a] = t;
  }
}

static void countdown_range(struct strife__epstein *e, uint32_t lo,
                            uint32_t hi) {
  /* Blocking jail: release is a change of state only. */
  for (uint32_t a = lo; a < hi; a++) {
    if (e->state[a] != STRIFE__JAILED) continue;
    if (e->jail[a] > 0) e->jail[a]--;
    if (e->jail[a] == 0) e->state[a] = STRIFE__QUIET;
  }
}

void strife__epstein_step_par(struct strife__epstein *e) {
  struct strife__r4 pr =
      strife__rand4(e->seed, 0, (uint32_t)e->tick, STRIFE__STREAM_PRIORITY, 0);
  const uint32_t mul = pr.v[0] | 1u, add = pr.v[1];
  const int tick_end = e->p.countdown == STRIFE__COUNT_TICK_END;
  const int blocking = e->p.jailed == STRIFE__JAILED_STAYS_BLOCKING;
#ifdef _OPENMP
  const int nt = e->threads ? (int)e->threads : omp_get_max_threads();
#endif
#pragma omp parallel num_threads(nt)
  {
    uint32_t lo, hi;
    my_range(e->n_cit, &lo, &hi);
    decide_range(e, lo, hi);
#pragma omp barrier
    my_range(e->g.th, &lo, &hi);
    rebuild_rows(e, lo, hi, 0);
#pragma omp barrier
    my_range(e->n_agents - e->n_cit, &lo, &hi);
    suspect_range(e, e->n_cit + lo, e->n_cit + hi);
#pragma omp barrier
#pragma omp single
    arrest_serial(e);
    /* (implicit barrier) */
    my_range(e->n_agents, &lo, &hi);
    claim_range(e, lo, hi, mul, add);
#pragma omp barrier
    resolve_range(e, lo, hi, mul, add);
#pragma omp barrier
    if (tick_end && blocking) {
      my_range(e->n_cit, &lo, &hi);
      countdown_range(e, lo, hi);
    } else if (tick_end) {
#pragma omp single
      strife__jail_countdown(e, 0, e->n_cit);
    }
#pragma omp barrier
    my_range(e->g.th, &lo, &hi);
    rebuild_rows(e, lo, hi, 1);
  }
}
