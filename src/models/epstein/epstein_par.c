/* SPDX-License-Identifier: MIT */
/*
 * The parallel (synchronous) update, for large lattices.
 *
 * Agents live in their cells: the fields of the agent on cell c are
 * cid[c] (its number), cst[c] (its state), ch[c] and cr[c] (hardship and
 * risk aversion) and caux[c] (a jailed citizen's term, a cop's suspect, or
 * a proposed move), and they move with the agent.  Every phase is a loop
 * over the rows of the lattice split among OpenMP threads, so that memory
 * is read in order and the cells an agent looks at or moves to are near
 * the cells its thread has just read.  One tick:
 *
 *   decide   every free citizen decides from the bit planes as they were
 *            at the start of the tick (so none sees another's new state);
 *            a jailed citizen with own-turn countdown spends its turn here;
 *   act      the 'act' plane is rebuilt from the new states;
 *   suspect  every cop picks a suspect among the actives it sees; then, in
 *            the order of cop numbers, on one thread, each arrests its
 *            suspect unless an earlier cop already did (the later cop then
 *            arrests nobody this tick);
 *   claim    every free agent picks a uniformly random empty cell in its
 *            vision, as the cells were at the start of the tick, and claims
 *            it with a minimum of its random priority (atomic when the
 *            lattice has more than one thread);
 *   resolve  the smallest priority wins the cell and moves there with its
 *            fields; the others stay;
 *   release  tick-end countdown of jail terms;
 *   planes   every plane is rebuilt from 'cst', and the active and
 *            jailed citizens are counted by audience.
 *
 * The row loops read the states eight cells a word and visit only the
 * cells that matter to the phase, so that an empty cell costs no branch
 * of its own.
 * The result is the same for any thread count: every random draw is keyed
 * by (seed, agent number, tick, use); the atomic minimum does not depend
 * on the order of the claims; the serial arrests go in cop order.
 *
 * Race-freedom: in each phase a thread writes only the cells of its own
 * rows, except that a winner of a claim writes the (empty) cell it won,
 * which no other thread reads in that phase: other threads look at a
 * cell's caux first, and a won cell's caux is left STRIFE__NOWHERE.
 *
 * How it differs from the sequential update is documented in
 * docs/model-epstein.md.
 */
#include <string.h>

#include "core/rand.h"
#include "epstein.h"

#ifdef _OPENMP
#  include <omp.h>
#endif

/* caux of a free agent that proposes a move: the target cell with the top
   bit set (cells are below 2^30; jail terms below 2^31). */
#define PROPOSAL 0x80000000u

static inline int is_proposal(uint32_t aux) {
  return (aux & PROPOSAL) && aux != STRIFE__NOWHERE;
}

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

/* The SplitMix64 finaliser: a bijective 64-bit mix.  A mover's draws are
   mix(key_t ^ mix(agent)), mix(... + g), ...: keyed by the tick's key
   (a Philox draw of the seed) and the agent's number, the same on every
   thread. */
static inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
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

/* The 8 bytes of 'x' equal to 'c', as the 8 bits of the result (byte i to
   bit i), without a branch: a byte is zero in x ^ c exactly when adding
   0x7f to its low 7 bits leaves its top bit clear and its own top bit is
   clear too. */
static inline uint64_t bytes_equal(uint64_t x, uint8_t c) {
  const uint64_t lo7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
  uint64_t y = x ^ (UINT64_C(0x0101010101010101) * c);
  uint64_t hi = ~(((y & lo7) + lo7) | y) & ~lo7; /* 0x80 where equal */
  /* Gather the eight top bits into one byte. */
  return ((hi >> 7) * UINT64_C(0x0102040810204080)) >> 56;
}

/* rebuild_rows for a lattice without ghosts (sides multiples of 8): each
   tile row of a plane is eight rows of cells, eight cells a word. */
static void rebuild_aligned(struct strife__epstein *e, uint32_t t0, uint32_t t1,
                            int all) {
  const struct strife__grid *g = &e->g;
  const uint32_t w = g->w;
  for (uint32_t ty = t0; ty < t1; ty++) {
    uint64_t *ra = e->act + (size_t)ty * g->tw;
    uint64_t *ro = e->occ + (size_t)ty * g->tw;
    uint64_t *rc = e->cop + (size_t)ty * g->tw;
    for (uint32_t tx = 0; tx < g->tw; tx++) {
      uint64_t a = 0, o = 0, c = 0;
      for (uint32_t r = 0; r < 8; r++) {
        uint64_t x;
        memcpy(&x, e->cst + (size_t)(ty * 8u + r) * w + tx * 8u, 8);
        a |= bytes_equal(x, STRIFE__ACTIVE) << (8 * r);
        if (all) {
          o |= (~bytes_equal(x, STRIFE__NONE) & 0xffu) << (8 * r);
          c |= bytes_equal(x, STRIFE__COP) << (8 * r);
        }
      }
      ra[tx] = a;
      if (all) {
        ro[tx] = o;
        rc[tx] = c;
      }
    }
  }
}

/* Rebuilds tile rows [t0, t1) of the 'act' plane, and of 'occ' and 'cop'
   too when 'all'.  Every stored cell, ghosts included, is read from the
   lattice cell it mirrors. */
static void rebuild_rows(struct strife__epstein *e, uint32_t t0, uint32_t t1,
                         int all) {
  const struct strife__grid *g = &e->g;
  /* Bytes are little-endian in the words bytes_equal reads. */
  if (g->aligned && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
    rebuild_aligned(e, t0, t1, all);
    return;
  }
  const uint32_t w = g->w, h = g->h, pad = g->pad;
  const uint32_t pw = w + 2u * pad, ph = h + 2u * pad;
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
      const uint8_t *restrict st = e->cst + (size_t)((Y + h - pad) % h) * w;
      uint32_t shift = (Y & 7u) << 3;
      uint32_t x = pad ? w - pad : 0; /* lattice column of stored column 0 */
      for (uint32_t X = 0; X < pw; X++) {
        uint8_t s = st[x];
        if (++x == w) x = 0;
        uint64_t bit = UINT64_C(1) << (shift | (X & 7u));
        ra[X >> 3] |= s == STRIFE__ACTIVE ? bit : 0;
        if (all) {
          ro[X >> 3] |= s != STRIFE__NONE ? bit : 0;
          rc[X >> 3] |= s == STRIFE__COP ? bit : 0;
        }
      }
    }
  }
}

/* ------------------------------------------------------------------ */
/* Phases                                                             */
/* ------------------------------------------------------------------ */

/* For each of the states 'a', 'b', 'c', the cells among the 'n' (at most
   8) from 'st' in that state, as bits (cell i to bit i). */
static inline void state_masks(const uint8_t *st, uint32_t n, uint8_t a,
                               uint8_t b, uint8_t c, unsigned m[3]) {
  if (n == 8 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
    uint64_t x;
    memcpy(&x, st, 8);
    m[0] = (unsigned)bytes_equal(x, a);
    m[1] = (unsigned)bytes_equal(x, b);
    m[2] = (unsigned)bytes_equal(x, c);
    return;
  }
  m[0] = m[1] = m[2] = 0;
  for (uint32_t i = 0; i < n; i++) {
    m[0] |= (unsigned)(st[i] == a) << i;
    m[1] |= (unsigned)(st[i] == b) << i;
    m[2] |= (unsigned)(st[i] == c) << i;
  }
}

/* The cells whose state is 'a', 'b' or 'c'. */
static inline unsigned state_mask(const uint8_t *st, uint32_t n, uint8_t a,
                                  uint8_t b, uint8_t c) {
  unsigned m[3];
  state_masks(st, n, a, b, c, m);
  return m[0] | m[1] | m[2];
}

/* Adds the active and jailed citizens of rows [y0, y1), by audience, to
   act[] and jail[].  Both states are rare, so the row is scanned eight
   cells a word and only their cells' numbers are read. */
static void tally_rows(const struct strife__epstein *e, uint32_t y0,
                       uint32_t y1, uint64_t act[2], uint64_t jail[2]) {
  const uint32_t w = e->p.width;
  for (uint32_t y = y0; y < y1; y++) {
    for (uint32_t x0 = 0; x0 < w; x0 += 8) {
      const size_t c0 = (size_t)y * w + x0;
      unsigned aj[3];
      state_masks(e->cst + c0, w - x0 < 8 ? w - x0 : 8, STRIFE__ACTIVE,
                  STRIFE__JAILED, STRIFE__JAILED, aj);
      for (unsigned m = aj[0] | aj[1]; m; m &= m - 1) {
        unsigned b = (unsigned)__builtin_ctz(m);
        int h = e->cid[c0 + b] < e->n_hard;
        if ((aj[0] >> b) & 1u)
          act[h]++;
        else
          jail[h]++;
      }
    }
  }
}

static void decide_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1) {
  const int own_turn = e->p.countdown == STRIFE__COUNT_OWN_TURN;
  const uint32_t w = e->p.width;
  for (uint32_t y = y0; y < y1; y++) {
    for (uint32_t x0 = 0; x0 < w; x0 += 8) {
      const size_t c0 = (size_t)y * w + x0;
      const uint32_t n = w - x0 < 8 ? w - x0 : 8;
      /* Only the citizens' cells, as in claim_rows. */
      unsigned cits = state_mask(e->cst + c0, n, STRIFE__QUIET, STRIFE__ACTIVE,
                                 own_turn ? STRIFE__JAILED : STRIFE__QUIET);
      for (; cits; cits &= cits - 1) {
        const uint32_t x = x0 + (uint32_t)__builtin_ctz(cits);
        const size_t c = c0 + (unsigned)__builtin_ctz(cits);
        uint8_t st = e->cst[c];
        if (st == STRIFE__JAILED) {
          if (e->caux[c] > 0) {
            e->caux[c]--;
            continue;
          }
          /* Walks out (its cell is still its own) and takes this turn. */
          st = STRIFE__QUIET;
          e->caux[c] = STRIFE__NOWHERE;
        }
        int was = st == STRIFE__ACTIVE, now = 0;
        if (strife__aggrieved_h(e, e->ch[c], e->cid[c])) {
          struct strife__view v;
          strife__epstein_look(e, &e->cit_shape, strife__pack(x, y), was, 1, 0,
                               &v);
          now = strife__decide(e, e->cid[c], e->ch[c], e->cr[c], v.cops,
                               v.actives, was);
        }
        e->cst[c] = now ? STRIFE__ACTIVE : STRIFE__QUIET;
      }
    }
  }
}

/* The cell of the k-th active citizen seen from (x, y) (k < actives). */
static uint32_t pick_active_cell(const struct strife__epstein *e,
                                 const struct strife__shape *shape, uint32_t x,
                                 uint32_t y, uint32_t k) {
  struct strife__span sp;
  strife__span_of(&e->g, shape, x, y, &sp);
  return strife__span_select(&e->g, shape, &sp, e->act, &k);
}

static void suspect_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1) {
  const uint32_t w = e->p.width;
  for (uint32_t y = y0; y < y1; y++) {
    for (uint32_t x = 0; x < w; x++) {
      size_t c = (size_t)y * w + x;
      if (e->cst[c] != STRIFE__COP) continue;
      e->caux[c] = STRIFE__NOWHERE;
      struct strife__view v;
      strife__epstein_look(e, &e->cop_shape, strife__pack(x, y), 0, 1, 0, &v);
      if (!v.actives) continue;
      struct strife__r4 r = strife__rand4(e->seed, e->cid[c], (uint32_t)e->tick,
                                          STRIFE__STREAM_TURN, 0);
      e->caux[c] = pick_active_cell(e, &e->cop_shape, x, y,
                                    strife__below(r.v[1], v.actives));
    }
  }
}

static void arrest_serial(struct strife__epstein *e) {
  const int tick_end = e->p.countdown == STRIFE__COUNT_TICK_END;
  for (uint32_t k = 0; k < e->n_agents - e->n_cit; k++) {
    uint32_t c = e->cop_cell[k];
    if (c == STRIFE__NOWHERE) continue;
    uint32_t s = e->caux[c];
    if (s == STRIFE__NOWHERE || e->cst[s] != STRIFE__ACTIVE) continue;
    struct strife__r4 r = strife__rand4(
        e->seed, e->n_cit + k, (uint32_t)e->tick, STRIFE__STREAM_TURN, 0);
    uint32_t term = strife__epstein_jail_term(e->p.term, e->p.max_jail, r.v[2]);
    e->arrests++;
    e->arrests_by[e->cid[s] < e->n_hard]++;
    if (term == 0 && tick_end) {
      e->cst[s] = STRIFE__QUIET; /* sentenced to nothing */
    } else {
      e->cst[s] = STRIFE__JAILED;
      e->caux[s] = term;
    }
  }
}

/* The four tries of random word 'bits' from (x, y) at once, without a
   branch: the cell of the first that lands on an empty cell, or
   STRIFE__NOWHERE.  The same cell as trying them one by one (epstein.h),
   with one unpredictable branch a word, in the caller, instead of one a
   try.  'inside': no offset wraps, so a try is an addition. */
static inline uint32_t try_word(const struct strife__epstein *e,
                                const struct strife__shape *shape, uint32_t x,
                                uint32_t y, uint64_t bits, int inside) {
  const struct strife__grid *g = &e->g;
  const uint32_t n_off = shape->n_off, reject = shape->reject;
  uint32_t first = STRIFE__NOWHERE;
  for (int j = 3; j >= 0; j--) { /* the last assignment is the first hit */
    uint32_t m = (uint32_t)((bits >> (16 * j)) & 0xffffu) * n_off;
    uint32_t i = m >> 16, c; /* i is in range even when rejected */
    if (inside) {
      c = (uint32_t)((ptrdiff_t)(y * g->w + x) + shape->delta[i]);
    } else {
      int32_t xx, yy;
      strife__wrap((int32_t)x, (int32_t)y, shape->off[2 * i],
                   shape->off[2 * i + 1], (int32_t)g->w, (int32_t)g->h, &xx,
                   &yy);
      c = (uint32_t)yy * g->w + (uint32_t)xx;
    }
    int ok = ((m & 0xffffu) >= reject) & (e->cst[c] == STRIFE__NONE);
    first = ok ? c : first;
  }
  return first;
}

/* empty_near's rare cases: a cell within the vision of the edge, where
   offsets wrap, and the count of the empty cells once the tries have
   missed ('tried': the tries were made). */
static __attribute__((noinline)) uint32_t
empty_near_slow(const struct strife__epstein *e,
                const struct strife__shape *shape, uint32_t x, uint32_t y,
                struct strife__sm64 *rng, int tried) {
  for (int n = 0; !tried && n < STRIFE__MOVE_TRIES; n += 4) {
    uint32_t t = try_word(e, shape, x, y, strife__sm64_next(rng), 0);
    if (t != STRIFE__NOWHERE) return t;
  }
  struct strife__view v;
  strife__epstein_look(e, shape, strife__pack(x, y), 0, 0, 1, &v);
  if (!v.empty) return STRIFE__NOWHERE;
  uint32_t p = strife__epstein_view_empty(e, shape, &v,
                                          strife__sm64_below(rng, v.empty));
  return strife__py(p) * e->g.w + strife__px(p);
}

/* A uniformly random empty cell within 'shape' of (x, y), as a cell index,
   or STRIFE__NOWHERE (the tries are described in epstein.h).  Emptiness is
   read from 'cst', which no thread writes while moves are claimed. */
static inline uint32_t empty_near(const struct strife__epstein *e,
                                  const struct strife__shape *shape, uint32_t x,
                                  uint32_t y, struct strife__sm64 *rng) {
  const struct strife__grid *g = &e->g;
  const uint32_t vis = (uint32_t)shape->v;
  if (!(x >= vis && x < g->w - vis && y >= vis && y < g->h - vis))
    return empty_near_slow(e, shape, x, y, rng, 0);
  for (int n = 0; n < STRIFE__MOVE_TRIES; n += 4) {
    uint32_t t = try_word(e, shape, x, y, strife__sm64_next(rng), 1);
    if (t != STRIFE__NOWHERE) return t;
  }
  return empty_near_slow(e, shape, x, y, rng, 1);
}

/* Every free agent (quiet, active, or a cop) clears its caux; a mover
   proposes a move and claims the cell.  The row is read eight cells at a
   time and only the agents' cells are visited, so that whether a cell
   holds an agent costs no branch of its own. */
static void claim_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1,
                       uint64_t key, uint32_t mul, uint32_t add, int alone) {
  enum strife__movement mv = e->p.movement;
  const int cits_move =
      mv == STRIFE__MOVE_ALL || mv == STRIFE__MOVE_CITIZENS_ONLY;
  const int cops_move = mv == STRIFE__MOVE_ALL || mv == STRIFE__MOVE_COPS_ONLY;
  const uint32_t w = e->p.width;
  for (uint32_t y = y0; y < y1; y++) {
    for (uint32_t x0 = 0; x0 < w; x0 += 8) {
      const size_t c0 = (size_t)y * w + x0;
      const uint32_t n = w - x0 < 8 ? w - x0 : 8;
      unsigned qac[3]; /* quiet, active, cop */
      state_masks(e->cst + c0, n, STRIFE__QUIET, STRIFE__ACTIVE, STRIFE__COP,
                  qac);
      const unsigned free = qac[0] | qac[1] | qac[2];
      const unsigned move =
          (cits_move ? qac[0] | qac[1] : 0u) | (cops_move ? qac[2] : 0u);
      for (unsigned m = free; m; m &= m - 1)
        e->caux[c0 + (unsigned)__builtin_ctz(m)] = STRIFE__NOWHERE;
      for (unsigned m = move; m; m &= m - 1) {
        const uint32_t b = (uint32_t)__builtin_ctz(m), x = x0 + b;
        const size_t c = c0 + b;
        const uint32_t a = e->cid[c];
        struct strife__sm64 rng = {key ^ mix64(a)};
        uint32_t t = empty_near(
            e, e->cst[c] == STRIFE__COP ? &e->cop_shape : &e->cit_shape, x, y,
            &rng);
        if (t == STRIFE__NOWHERE) continue;
        e->caux[c] = PROPOSAL | t;
        uint32_t code = claim_code(a, mul, add);
        if (!alone) {
          atomic_min_u32(&e->cid[t], code);
        } else { /* one thread: the minimum needs no lock, nor a branch */
          uint32_t cur = e->cid[t];
          e->cid[t] = code < cur ? code : cur;
        }
      }
    }
  }
}

/* The proposals among the 8 caux words from 'aux', as bits. */
static inline unsigned proposal_mask(const uint32_t *aux, uint32_t n) {
  unsigned m = 0;
  for (uint32_t i = 0; i < n; i++)
    m |= (unsigned)is_proposal(aux[i]) << i;
  return m;
}

static void resolve_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1,
                         uint32_t mul, uint32_t add) {
  const size_t end = (size_t)y1 * e->p.width;
  for (size_t c0 = (size_t)y0 * e->p.width; c0 < end; c0 += 8) {
    const uint32_t n = end - c0 < 8 ? (uint32_t)(end - c0) : 8;
    for (unsigned m = proposal_mask(e->caux + c0, n); m; m &= m - 1) {
      const size_t c = c0 + (unsigned)__builtin_ctz(m);
      const uint32_t t = e->caux[c] & ~PROPOSAL, a = e->cid[c];
      e->caux[c] = STRIFE__NOWHERE;
      if (__atomic_load_n(&e->cid[t], __ATOMIC_RELAXED) !=
          claim_code(a, mul, add))
        continue;
      /* Won: the agent and its fields go to t (whose caux is already
         STRIFE__NOWHERE, as every empty cell's). */
      e->cst[t] = e->cst[c];
      e->ch[t] = e->ch[c];
      e->cr[t] = e->cr[c];
      __atomic_store_n(&e->cid[t], a, __ATOMIC_RELAXED);
      if (a >= e->n_cit) e->cop_cell[a - e->n_cit] = t;
      e->cst[c] = STRIFE__NONE;
      e->cid[c] = STRIFE__EMPTY;
    }
  }
}

static void countdown_rows(struct strife__epstein *e, uint32_t y0,
                           uint32_t y1) {
  const uint32_t w = e->p.width;
  for (size_t c = (size_t)y0 * w; c < (size_t)y1 * w; c++) {
    if (e->cst[c] != STRIFE__JAILED) continue;
    if (e->caux[c] > 0) e->caux[c]--;
    if (e->caux[c] == 0) {
      e->cst[c] = STRIFE__QUIET;
      e->caux[c] = STRIFE__NOWHERE;
    }
  }
}

void strife__epstein_step_par(struct strife__epstein *e) {
  struct strife__r4 pr =
      strife__rand4(e->seed, 0, (uint32_t)e->tick, STRIFE__STREAM_PRIORITY, 0);
  const uint32_t mul = pr.v[0] | 1u, add = pr.v[1];
  const uint64_t key = (uint64_t)pr.v[2] << 32 | pr.v[3];
  const int tick_end = e->p.countdown == STRIFE__COUNT_TICK_END;
  const uint32_t h = e->p.height, th = e->g.th;
#ifdef _OPENMP
  /* NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): read by num_threads */
  const int nt = e->threads ? (int)e->threads : omp_get_max_threads();
#endif
#pragma omp parallel num_threads(nt)
  {
    uint32_t lo, hi, tlo, thi;
    uint64_t act[2] = {0, 0}, jail[2] = {0, 0};
#ifdef _OPENMP
    const int alone = omp_get_num_threads() == 1;
#else
    const int alone = 1;
#endif
    my_range(h, &lo, &hi);
    my_range(th, &tlo, &thi);
    decide_rows(e, lo, hi);
#pragma omp barrier
    rebuild_rows(e, tlo, thi, 0);
#pragma omp barrier
    suspect_rows(e, lo, hi);
#pragma omp barrier
#pragma omp single
    arrest_serial(e);
    /* (implicit barrier) */
    claim_rows(e, lo, hi, key, mul, add, alone);
#pragma omp barrier
    resolve_rows(e, lo, hi, mul, add);
    if (tick_end) {
#pragma omp barrier
      countdown_rows(e, lo, hi);
    }
#pragma omp barrier
    rebuild_rows(e, tlo, thi, 1);
    tally_rows(e, lo, hi, act, jail);
#pragma omp single
    memset(e->n_active, 0, sizeof e->n_active + sizeof e->n_jailed);
    /* (implicit barrier) */
    for (int k = 0; k < 2; k++) {
#pragma omp atomic
      e->n_active[k] += act[k];
#pragma omp atomic
      e->n_jailed[k] += jail[k];
    }
  }
}

/* ------------------------------------------------------------------ */
/* Placement, schedules, observations                                 */
/* ------------------------------------------------------------------ */

static void put_agent(struct strife__epstein *e, uint32_t a, uint32_t c) {
  e->cid[c] = a;
  e->caux[c] = STRIFE__NOWHERE;
  if (a < e->n_cit) {
    struct strife__r4 r =
        strife__rand4(e->seed, a, 0, STRIFE__STREAM_TRAITS, 0);
    e->cst[c] = STRIFE__QUIET;
    e->ch[c] = strife__u01f_from(r.v[0]);
    e->cr[c] = strife__u01f_from(r.v[1]);
  } else {
    e->cst[c] = STRIFE__COP;
    e->ch[c] = e->cr[c] = 0.0f;
    e->cop_cell[a - e->n_cit] = c;
  }
}

static void rebuild_all(struct strife__epstein *e) {
  rebuild_rows(e, 0, e->g.th, 1);
  memset(e->n_active, 0, sizeof e->n_active + sizeof e->n_jailed);
  tally_rows(e, 0, e->p.height, e->n_active, e->n_jailed);
}

/* The same draws and cells as the sequential placement (epstein.c), so
   both updates start from the same lattice. */
void strife__epstein_par_place(struct strife__epstein *e, uint32_t n_cops0) {
  for (uint32_t c = 0; c < e->n_cells; c++) {
    e->cid[c] = STRIFE__EMPTY;
    e->cst[c] = STRIFE__NONE;
    e->caux[c] = c; /* scratch for the permutation */
  }
  for (uint32_t k = 0; k < e->n_agents - e->n_cit; k++)
    e->cop_cell[k] = STRIFE__NOWHERE;
  if (e->p.placement == STRIFE__PLACE_EXACT) {
    uint32_t need = n_cops0 + e->n_cit;
    strife__epstein_shuffle_cells(e, e->caux, need);
    /* Cells of the first 'need' slots; put agents after reading them all
       (put_agent rewrites caux). */
    for (uint32_t i = 0; i < need; i++) {
      uint32_t c = e->caux[i];
      uint32_t a = i < n_cops0 ? e->n_cit + i : i - n_cops0;
      e->cid[c] = a; /* mark; fields below */
    }
    for (uint32_t c = 0; c < e->n_cells; c++) {
      e->caux[c] = STRIFE__NOWHERE;
      if (e->cid[c] != STRIFE__EMPTY) put_agent(e, e->cid[c], c);
    }
  } else {
    uint32_t nc = 0, nk = 0;
    for (uint32_t c = 0; c < e->n_cells; c++) {
      e->caux[c] = STRIFE__NOWHERE;
      double u = strife_rand_u01(e->seed, c, 0, STRIFE__STREAM_PLACE);
      if (u < e->p.citizen_density)
        put_agent(e, nc++, c);
      else if (u < e->p.citizen_density + e->cop_density)
        put_agent(e, e->n_cit + nk++, c);
    }
  }
  e->n_cops = n_cops0;
  rebuild_all(e);
}

/* As adjust_cops in epstein.c, over the cell arrays. */
void strife__epstein_par_adjust_cops(struct strife__epstein *e, uint32_t want) {
  uint32_t cap = e->n_agents - e->n_cit;
  struct strife__rstream rs;
  strife__rstream_init(&rs, e->seed, 0, (uint32_t)e->tick, STRIFE__STREAM_COPS);
  while (e->n_cops > want) {
    uint32_t k = strife__rstream_below(&rs, cap);
    uint32_t c = e->cop_cell[k];
    if (c == STRIFE__NOWHERE) continue;
    e->cid[c] = STRIFE__EMPTY;
    e->cst[c] = STRIFE__NONE;
    e->caux[c] = STRIFE__NOWHERE;
    e->cop_cell[k] = STRIFE__NOWHERE;
    e->n_cops--;
  }
  for (uint32_t k = 0; k < cap && e->n_cops < want; k++) {
    if (e->cop_cell[k] != STRIFE__NOWHERE) continue;
    uint32_t at = strife__epstein_random_empty(e, e->cid, &rs);
    if (at == STRIFE__NOWHERE) break;
    put_agent(e, e->n_cit + k, strife__cell(e, at));
    e->n_cops++;
  }
  rebuild_all(e);
}

void strife__epstein_par_counts(const struct strife__epstein *e,
                                strife_counts *out) {
  strife__epstein_count_states(e, e->cst, e->n_cells, out);
}

void strife__epstein_par_proximity(const struct strife__epstein *e,
                                   strife_proximity *out) {
  memset(out, 0, sizeof *out);
  for (uint32_t y = 0; y < e->p.height; y++) {
    for (uint32_t x = 0; x < e->p.width; x++) {
      size_t c = (size_t)y * e->p.width + x;
      uint8_t s = e->cst[c];
      if ((s != STRIFE__QUIET && s != STRIFE__ACTIVE) ||
          !strife__aggrieved_h(e, e->ch[c], e->cid[c]))
        continue;
      strife__epstein_proximity_add(e, strife__pack(x, y), s == STRIFE__ACTIVE,
                                    out);
    }
  }
}
