/* SPDX-License-Identifier: MIT */
/*
 * The parallel (synchronous) update, for large lattices.
 *
 * Agents live in their cells: the fields of the agent on cell c are
 * cid[c] (its number), cst[c] (its state), ch[c] and cr[c] (hardship and
 * risk aversion) and caux[c] (a jailed citizen's term, else STRIFE__NOWHERE),
 * and they move with the agent.  The bit planes are padded with a halo
 * (par.h).  Every phase is a loop over the rows of the lattice split
 * among OpenMP threads.  One tick:
 *
 *   decide   every free citizen decides from the planes as they were at
 *            the start of the tick (so none sees another's new state); a
 *            jailed citizen with own-turn countdown spends its turn here;
 *   act      the 'act' plane is rebuilt from the new states;
 *   arrest   every cop picks a suspect among the actives it sees and
 *            arrests it, unless another cop has: the arrest is a
 *            compare-and-swap of the suspect's state, and the jail term is
 *            drawn from the suspect's cell, so which cop wins changes
 *            nothing;
 *   claim    every free agent picks a uniformly random empty cell in its
 *            vision, as the cells were at the start of the tick, and claims
 *            it with a minimum of its claim (par.h; atomic within 2v rows of
 *            the ends of a thread's share when the team has several);
 *   move     each claimed cell pulls in its winner (the smallest claim,
 *            whose claimant is its inverse) with its fields; the others
 *            stay;
 *   release  tick-end countdown of jail terms;
 *   planes   every plane is rebuilt from 'cst', and the active and jailed
 *            citizens are counted by audience.
 *
 * The row functions of the decision and the claims come from the path in
 * use (par_c.c, par_avx2.c, par_avx512.c); they give the same bytes.  The
 * result is the same for any thread count: every draw is keyed by (seed,
 * tick, cell, use) and the minimum of the claims does not depend on their
 * order.
 *
 * The rows are split among the team in proportion to the threads'
 * measured speeds (update_speeds); the split changes no output.
 *
 * Race-freedom: in each phase a thread writes only the cells of its own
 * rows, except that an arrest writes the suspect's state (atomically) and
 * term, which no other thread reads in that phase; a claim is a minimum on
 * the target's cid, atomic where another thread's claims can land; and a
 * claimed cell's thread empties the winner's cell, which was taken at the
 * start of the tick, so no other thread reads it in the move phase.
 *
 * How it differs from the sequential update is documented in
 * docs/model-epstein.md.
 */
#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "par_body.h"

#ifdef _OPENMP
#  include <omp.h>
#endif

/* ------------------------------------------------------------------ */
/* Paths                                                              */
/* ------------------------------------------------------------------ */

int strife__kernel_supported(enum strife__kernel k) {
  switch (k) {
  case STRIFE__KERNEL_C:
  case STRIFE__KERNEL_AUTO:
    return 1;
#if defined(STRIFE_HAVE_AVX2) && (defined(__x86_64__) || defined(__i386__))
  case STRIFE__KERNEL_AVX2:
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") &&
           __builtin_cpu_supports("popcnt");
#endif
#if defined(STRIFE_HAVE_AVX512) && (defined(__x86_64__) || defined(__i386__))
  case STRIFE__KERNEL_AVX512:
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512vpopcntdq") &&
           __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
#endif
  default:
    return 0;
  }
}

enum strife__kernel strife__kernel_best(void) {
  if (strife__kernel_supported(STRIFE__KERNEL_AVX512))
    return STRIFE__KERNEL_AVX512;
  if (strife__kernel_supported(STRIFE__KERNEL_AVX2)) return STRIFE__KERNEL_AVX2;
  return STRIFE__KERNEL_C;
}

const char *strife__kernel_name(enum strife__kernel k) {
  static const char *const names[] = {"auto", "avx512", "avx2", "c"};
  return (unsigned)k < 4 ? names[k] : "?";
}

const struct strife__par_ops *strife__par_ops_of(enum strife__kernel k) {
  if (k == STRIFE__KERNEL_AUTO) k = strife__kernel_best();
  if (!strife__kernel_supported(k)) return NULL;
  switch (k) {
#ifdef STRIFE_HAVE_AVX512
  case STRIFE__KERNEL_AVX512:
    return &strife__par_ops_avx512;
#endif
#ifdef STRIFE_HAVE_AVX2
  case STRIFE__KERNEL_AVX2:
    return &strife__par_ops_avx2;
#endif
  default:
    return &strife__par_ops_c;
  }
}

/* ------------------------------------------------------------------ */
/* Windows                                                            */
/* ------------------------------------------------------------------ */

uint32_t strife__par_range_select(const uint64_t *row, uint32_t X, uint32_t n,
                                  uint32_t k, uint64_t flip) {
  for (;; X += STRIFE__PAR_CHUNK, n -= STRIFE__PAR_CHUNK) {
    uint32_t len = n < STRIFE__PAR_CHUNK ? n : STRIFE__PAR_CHUNK;
    uint64_t w =
        (strife__par_bits(row, X) ^ flip) & ((UINT64_C(1) << len) - 1u);
    uint32_t c = (uint32_t)__builtin_popcountll(w);
    if (k < c) return X + strife__select64(w, k);
    k -= c;
  }
}

uint32_t strife__par_count(const struct strife__par *q,
                           const struct strife__pshape *sh,
                           const uint64_t *plane, uint32_t x, uint32_t y) {
  const uint64_t *row = plane + (size_t)y * q->rw;
  uint32_t n = 0;
  if (q->narrow) { /* a row is one load and the shape's mask */
    for (uint32_t d = 0; d <= 2u * q->v; d++, row += q->rw)
      n += (uint32_t)__builtin_popcountll(strife__par_bits(row, x) & sh->m[d]);
    return n;
  }
  for (uint32_t d = 0; d <= 2u * q->v; d++, row += q->rw)
    if (sh->hw[d] >= 0)
      n += strife__par_range_count(row, x + q->v - (uint32_t)sh->hw[d],
                                   2u * (uint32_t)sh->hw[d] + 1u, 0);
  return n;
}

uint32_t strife__par_pick(const struct strife__epstein *e,
                          const struct strife__pshape *sh,
                          const uint64_t *plane, uint32_t x, uint32_t y,
                          uint32_t k, uint64_t flip) {
  const struct strife__par *q = e->par;
  for (uint32_t d = 0; d <= 2u * q->v; d++) {
    if (sh->hw[d] < 0) continue;
    const uint64_t *row = plane + (size_t)(y + d) * q->rw;
    const uint32_t X = x + q->v - (uint32_t)sh->hw[d];
    const uint32_t n = 2u * (uint32_t)sh->hw[d] + 1u;
    const uint32_t c = strife__par_range_count(row, X, n, flip);
    if (k < c)
      return strife__par_cell_of(
          e, x, y, d, strife__par_range_select(row, X, n, k, flip) - x);
    k -= c;
  }
  return STRIFE__NOWHERE; /* not reached when k is below the count */
}

/* ------------------------------------------------------------------ */
/* Building the kernel                                                */
/* ------------------------------------------------------------------ */

static void pshape_init(struct strife__pshape *ps,
                        const struct strife__shape *s, uint32_t v) {
  memset(ps, 0, sizeof *ps);
  for (uint32_t d = 0; d <= 2u * v; d++)
    ps->hw[d] = -1;
  /* The shape's rows from its offsets: the own row always holds the own
     cell, whether or not the shape counts it (the counts leave the agent
     itself out). */
  ps->hw[v] = 0;
  for (uint32_t i = 0; i < s->n_off; i++) {
    int dx = s->off[2 * i], dy = s->off[2 * i + 1];
    int16_t *hw = &ps->hw[(int)v + dy];
    if (dx > *hw) *hw = (int16_t)dx;
  }
  for (uint32_t d = 0; d <= 2u * v; d++)
    if (ps->hw[d] >= 0 && 2u * v + 1u <= STRIFE__PAR_CHUNK)
      ps->m[d] = ((UINT64_C(1) << (2u * (uint32_t)ps->hw[d] + 1u)) - 1u)
                 << (v - (uint32_t)ps->hw[d]);
}

unsigned strife__par_min_cells = 16384;

static unsigned threads_of(unsigned threads) {
#ifdef _OPENMP
  return threads ? threads : (unsigned)omp_get_max_threads();
#else
  (void)threads;
  return 1;
#endif
}

/* Geometry of the kernel of 'p': fills v, pw, ph, rw, narrow, scratch_per
   and returns the bytes of planes and scratch. */
static double geometry(struct strife__par *q,
                       const struct strife__epstein_params *p,
                       unsigned threads) {
  q->v = (uint32_t)STRIFE__MAX(p->citizen_vision, p->cop_vision);
  q->pw = p->width + 2u * q->v;
  q->ph = p->height + 2u * q->v;
  q->rw = (q->pw + 63u) / 64u + 1u;
  q->narrow = 2u * q->v + 1u <= STRIFE__PAR_CHUNK;
  /* A thread gets strife__par_min_cells cells at least: below that, the
     team's barriers cost more than the thread saves. */
  const double most =
      (double)p->width * p->height / (double)strife__par_min_cells;
  q->nt = threads_of(threads);
  if ((double)q->nt > most) q->nt = most < 1.0 ? 1u : (unsigned)most;
  /* A thread's ring of running sums, its counts row, its byte row. */
  q->scratch_per = (size_t)(2u * q->v + 1u) * (q->pw + 1u) + (p->width + 16u) +
                   (q->pw + 16u) / 4u;
  return 3.0 * (double)q->ph * q->rw * 8.0 +
         (double)q->nt * ((double)q->scratch_per * 4.0 + 20.0) +
         (double)sizeof *q;
}

double strife__par_footprint(const struct strife__epstein_params *p,
                             unsigned threads) {
  struct strife__par q;
  return geometry(&q, p, threads);
}

int strife__par_init(struct strife__epstein *e, const struct strife__alloc *a,
                     strife_diag *diag) {
  struct strife__par *q = strife__calloc(a, 1, sizeof *q);
  if (!q) return STRIFE_ENOMEM;
  e->par = q;
  q->bytes = (size_t)geometry(q, &e->p, e->threads);
  enum strife__kernel k = e->p.kernel;
  if (k == STRIFE__KERNEL_AUTO) k = strife__kernel_best();
  if (!strife__kernel_supported(k)) {
    strife__diag_set(
        diag, "run.kernel",
        "this processor or build has no %s path (it has: %s%s"
        "c)",
        strife__kernel_name(k),
        strife__kernel_supported(STRIFE__KERNEL_AVX512) ? "avx512, " : "",
        strife__kernel_supported(STRIFE__KERNEL_AVX2) ? "avx2, " : "");
    return STRIFE_ENOTSUP;
  }
  q->kernel = k;
  q->ops = strife__par_ops_of(k);
  pshape_init(&q->cit, &e->cit_shape, q->v);
  pshape_init(&q->cops, &e->cop_shape, q->v);
  size_t words = (size_t)q->ph * q->rw;
  q->occ = strife__calloc(a, words, sizeof *q->occ);
  q->cop = strife__calloc(a, words, sizeof *q->cop);
  q->act = strife__calloc(a, words, sizeof *q->act);
  q->scratch = strife__calloc(a, q->nt * q->scratch_per, sizeof *q->scratch);
  q->speed = strife__calloc(a, q->nt, sizeof *q->speed);
  q->busy = strife__calloc(a, q->nt, sizeof *q->busy);
  q->rows = strife__calloc(a, q->nt, sizeof *q->rows);
  if (!q->occ || !q->cop || !q->act || !q->scratch || !q->speed || !q->busy ||
      !q->rows)
    return STRIFE_ENOMEM;
  for (unsigned i = 0; i < q->nt; i++)
    q->speed[i] = 1.0;
  return STRIFE_OK;
}

void strife__par_free(struct strife__epstein *e,
                      const struct strife__alloc *a) {
  struct strife__par *q = e->par;
  if (!q) return;
  size_t words = (size_t)q->ph * q->rw;
  strife__free(a, q->occ, words, sizeof *q->occ);
  strife__free(a, q->cop, words, sizeof *q->cop);
  strife__free(a, q->act, words, sizeof *q->act);
  strife__free(a, q->scratch, q->nt * q->scratch_per, sizeof *q->scratch);
  strife__free(a, q->speed, q->nt, sizeof *q->speed);
  strife__free(a, q->busy, q->nt, sizeof *q->busy);
  strife__free(a, q->rows, q->nt, sizeof *q->rows);
  strife__free(a, q, 1, sizeof *q);
  e->par = NULL;
}

/* ------------------------------------------------------------------ */
/* Planes                                                             */
/* ------------------------------------------------------------------ */

/* Splits [0, n) evenly among the 'nteam' threads of a team: the share of
   thread 'tid'.  A lattice stepped on one thread (the Afghan provinces, or
   --threads 1) opens no OpenMP region of its own: tid 0 of a team of 1. */
static void my_range(uint32_t n, unsigned tid, unsigned nteam, uint32_t *lo,
                     uint32_t *hi) {
  *lo = (uint32_t)((uint64_t)n * tid / nteam);
  *hi = (uint32_t)((uint64_t)n * (tid + 1) / nteam);
}

/* The rows [lo, hi) of thread 'tid' in a tick, in proportion to the
   team's speeds (every thread computes the same cuts from them). */
static void my_rows(const struct strife__par *q, uint32_t n, unsigned tid,
                    unsigned nteam, uint32_t *lo, uint32_t *hi) {
  double all = 0.0, below = 0.0;
  for (unsigned i = 0; i < nteam; i++) {
    all += q->speed[i];
    if (i < tid) below += q->speed[i];
  }
  *lo = (uint32_t)((double)n * below / all);
  *hi = tid + 1 == nteam
            ? n
            : (uint32_t)((double)n * (below + q->speed[tid]) / all);
}

/* After a tick of a team of 'nteam': each thread's speed moves toward the
   rows it did per busy second, relative to the team's.  A team of more
   than 64 keeps the even split. */
static void update_speeds(struct strife__par *q, unsigned nteam) {
  double rate[64], mean = 0.0;
  if (nteam < 2 || nteam > 64) return;
  for (unsigned i = 0; i < nteam; i++) {
    if (q->busy[i] <= 0.0 || q->rows[i] == 0) return; /* nothing to go by */
    rate[i] = (double)q->rows[i] / q->busy[i];
    mean += rate[i] / nteam;
  }
  for (unsigned i = 0; i < nteam; i++) {
    double r = rate[i] / mean;
    r = r < 0.25 ? 0.25 : r > 4.0 ? 4.0 : r;
    q->speed[i] = 0.75 * q->speed[i] + 0.25 * r;
  }
}

static uint32_t *my_scratch(const struct strife__par *q, unsigned tid) {
  return q->scratch + (size_t)tid * q->scratch_per;
}

/* Seconds on the team's clock (a team of one keeps no time). */
static inline double team_clock(unsigned nteam) {
#ifdef _OPENMP
  if (nteam > 1) return omp_get_wtime();
#endif
  (void)nteam;
  return 0.0;
}

/* A barrier of the team, which a team of one does without. */
#define TEAM_BARRIER(nteam)                                                    \
  do {                                                                         \
    if ((nteam) > 1) {                                                         \
      _Pragma("omp barrier")                                                   \
    }                                                                          \
  } while (0)

/* The end of a phase: its time added to 'busy', the team's barrier, and
   the clock of the next phase started. */
#define PHASE_END(nteam, busy, t0)                                             \
  do {                                                                         \
    (busy) += team_clock(nteam) - (t0);                                        \
    TEAM_BARRIER(nteam);                                                       \
    (t0) = team_clock(nteam);                                                  \
  } while (0)

/* The padded row of 'plane' for bytes 'b' (pw of them, 8 spare) in state
   's' ('none': not in state s), and its mirror row when it has one. */
static void put_row(const struct strife__par *q, uint64_t *plane,
                    const uint8_t *b, uint8_t s, int none, uint32_t Y,
                    uint32_t Y2) {
  uint64_t *row = plane + (size_t)Y * q->rw;
  for (uint32_t X = 0, i = 0; X < q->pw; X += 64, i++) {
    uint64_t w = 0;
    for (uint32_t j = 0; j < 64 && X + j < q->pw; j += 8) {
      uint64_t x;
      memcpy(&x, b + X + j, 8);
      w |= par_bytes_equal(x, s) << j;
    }
    if (none) w = ~w;
    uint32_t n = q->pw - X;
    row[i] = n >= 64 ? w : w & ((UINT64_C(1) << n) - 1u);
  }
  row[q->rw - 1] = 0;
  if (Y2 != Y) memcpy(plane + (size_t)Y2 * q->rw, row, q->rw * sizeof *row);
}

/* Rebuilds the padded rows of lattice rows [y0, y1): 'act' only, or every
   plane when 'all'. */
static void rebuild_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1,
                         int all, unsigned tid) {
  const struct strife__par *q = e->par;
  const uint32_t w = e->p.width, h = e->p.height, v = q->v;
  uint8_t *b =
      (uint8_t *)(my_scratch(q, tid) + q->scratch_per - (q->pw + 16u) / 4u);
  for (uint32_t y = y0; y < y1; y++) {
    /* The row with its halo: columns w - v .. w - 1, 0 .. w - 1, 0 .. v - 1
       of the lattice. */
    const uint8_t *st = e->cst + (size_t)y * w;
    memcpy(b, st + w - v, v);
    memcpy(b + v, st, w);
    memcpy(b + v + w, st, v);
    memset(b + q->pw, STRIFE__NONE, 8);
    uint32_t Y = y + v;
    uint32_t Y2 = y < v ? Y + h : y >= h - v ? Y - h : Y;
    put_row(q, q->act, b, STRIFE__ACTIVE, 0, Y, Y2);
    if (all) {
      put_row(q, q->occ, b, STRIFE__NONE, 1, Y, Y2);
      put_row(q, q->cop, b, STRIFE__COP, 0, Y, Y2);
    }
  }
}

/* Adds the active and jailed citizens of rows [y0, y1), by audience, to
   act[] and jail[]. */
static void tally_rows(const struct strife__epstein *e, uint32_t y0,
                       uint32_t y1, uint64_t act[2], uint64_t jail[2]) {
  const uint32_t w = e->p.width;
  /* The audience of a cell is read only when there are two. */
  const int two = e->n_hard > 0 && e->n_hard < e->n_cit;
  const int all = e->n_hard > 0 && !two; /* every citizen a hardliner */
  for (uint32_t y = y0; y < y1; y++) {
    for (uint32_t x0 = 0; x0 < w; x0 += 8) {
      const size_t c0 = (size_t)y * w + x0;
      unsigned aj[3];
      par_state_masks(e->cst + c0, w - x0 < 8 ? w - x0 : 8, STRIFE__ACTIVE,
                      STRIFE__JAILED, STRIFE__JAILED, aj);
      if (!two) {
        act[all] += (uint64_t)__builtin_popcount(aj[0]);
        jail[all] += (uint64_t)__builtin_popcount(aj[1]);
        continue;
      }
      for (unsigned m = aj[0] | aj[1]; m; m &= m - 1) {
        unsigned b = (unsigned)__builtin_ctz(m);
        int hd = e->cid[c0 + b] < e->n_hard;
        if ((aj[0] >> b) & 1u)
          act[hd]++;
        else
          jail[hd]++;
      }
    }
  }
}

/* ------------------------------------------------------------------ */
/* Phases                                                             */
/* ------------------------------------------------------------------ */

static void decide_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1,
                        unsigned tid, uint64_t tally[4]) {
  const struct strife__par *q = e->par;
  const uint32_t R = 2u * q->v + 1u, stride = q->pw + 1u;
  uint32_t *ring = my_scratch(q, tid), *cnt = ring + (size_t)R * stride;
  const uint32_t *rows[2 * STRIFE__VISION_MAX + 1];
  if (y0 >= y1) return;
  for (uint32_t Y = y0; Y < y0 + R - 1u; Y++)
    q->ops->sums_row(q, Y, ring + (size_t)(Y % R) * stride);
  for (uint32_t y = y0; y < y1; y++) {
    uint32_t Y = y + R - 1u;
    q->ops->sums_row(q, Y, ring + (size_t)(Y % R) * stride);
    for (uint32_t d = 0; d < R; d++)
      rows[d] = ring + (size_t)((y + d) % R) * stride;
    q->ops->decide_row(e, y, rows, cnt, tally);
  }
}

/* Cop on cell c, at (x, y), arrests a suspect among the actives it sees;
   the arrest is counted in by[] and moves the suspect from the active to
   the jailed of tally[] (the order of decide_row's). */
static void arrest(struct strife__epstein *e, uint32_t c, uint32_t x,
                   uint32_t y, const struct strife__pkeys *k, uint64_t by[2],
                   uint64_t tally[4]) {
  const struct strife__par *q = e->par;
  uint32_t n = strife__par_count(q, &q->cops, q->act, x, y);
  if (!n) return;
  uint32_t j = strife__par_below(strife__hash32(c ^ k->suspect), n, k->suspect);
  uint32_t s = strife__par_pick(e, &q->cops, q->act, x, y, j, 0);
  uint32_t term = strife__epstein_jail_term(e->p.term, e->p.max_jail,
                                            strife__hash32(s ^ k->jail));
  uint8_t want = STRIFE__ACTIVE;
  uint8_t now = term == 0 && e->p.countdown == STRIFE__COUNT_TICK_END
                    ? STRIFE__QUIET /* sentenced to nothing */
                    : STRIFE__JAILED;
  if (!__atomic_compare_exchange_n(&e->cst[s], &want, now, 0, __ATOMIC_RELAXED,
                                   __ATOMIC_RELAXED))
    return; /* another cop arrested it */
  if (now == STRIFE__JAILED) e->caux[s] = term;
  const unsigned hard = e->cid[s] < e->n_hard;
  by[hard]++;
  tally[hard]--; /* per thread, it may wrap: only the team's sum is used */
  tally[2u + hard] += now == STRIFE__JAILED;
}

/* The cops of rows [y0, y1) are found in the cop plane, which no phase
   writes while they arrest. */
static void arrest_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1,
                        const struct strife__pkeys *k, uint64_t by[2],
                        uint64_t tally[4]) {
  const struct strife__par *q = e->par;
  const uint32_t w = e->p.width;
  for (uint32_t y = y0; y < y1; y++) {
    for (uint32_t x0 = 0, n; x0 < w; x0 += n) {
      uint64_t m = strife__par_chunk(q, q->cop, w, y, x0, &n);
      for (; m; m &= m - 1) {
        uint32_t x = x0 + (uint32_t)__builtin_ctzll(m);
        arrest(e, y * w + x, x, y, k, by, tally);
      }
    }
  }
}

/* The claims of rows [y0, y1).  A claim reaches v rows up or down, so the
   claims of a row more than 2v rows from the ends of the thread's share
   land where no other thread's do, and need no atomic ('alone': the team
   has one thread, and every claim is so). */
static void claim_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1,
                       const struct strife__pkeys *k, int alone) {
  const uint32_t v2 = 2u * e->par->v;
  for (uint32_t y = y0; y < y1; y++) {
    e->par->ops->claim_row(e, y, k, alone || (y >= y0 + v2 && y + v2 < y1));
  }
}

/* Every cell of rows [y0, y1) that was empty at the start of the tick
   (the 'occ' plane, which no phase has rebuilt yet) and is claimed (its
   cid a claim: the top bit set) takes its winner, the smallest claim,
   with the winner's fields.  The winner's cell was taken at the start of
   the tick, so no thread reads its cid in this phase; a winner has one
   target, so one thread writes it; a free agent's caux is
   STRIFE__NOWHERE, as every empty cell's, so it need not move. */
static void move_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1,
                      uint32_t key) {
  const struct strife__par *q = e->par;
  const uint32_t w = e->p.width;
  for (uint32_t y = y0; y < y1; y++) {
    const size_t ahead = strife__par_ahead(e, y);
    for (uint32_t x0 = 0, n; x0 < w; x0 += n) {
      uint64_t m = strife__par_chunk(q, q->occ, w, y, x0, &n);
      m ^= (UINT64_C(1) << n) - 1u; /* the empty cells */
      strife__par_prefetch(e, ahead + x0, n, 1);
      const uint32_t t0 = y * w + x0;
      /* The claimed among them, without a branch on each. */
      uint64_t won = 0;
      for (; m; m &= m - 1) {
        const uint32_t b = (uint32_t)__builtin_ctzll(m);
        won |= (uint64_t)(e->cid[t0 + b] != STRIFE__EMPTY) << b;
      }
      for (; won; won &= won - 1) {
        const uint32_t t = t0 + (uint32_t)__builtin_ctzll(won);
        const uint32_t c = strife__par_claimant(e->cid[t], key), a = e->cid[c];
        e->cst[t] = e->cst[c];
        e->ch[t] = e->ch[c];
        e->cr[t] = e->cr[c];
        e->cid[t] = a;
        if (a >= e->n_cit) e->cop_cell[a - e->n_cit] = t;
        e->cst[c] = STRIFE__NONE;
        e->cid[c] = STRIFE__EMPTY;
      }
    }
  }
}

/* Tick-end countdown of the jail terms of rows [y0, y1); a release leaves
   the jailed of tally[]. */
static void countdown_rows(struct strife__epstein *e, uint32_t y0, uint32_t y1,
                           uint64_t tally[4]) {
  const uint32_t w = e->p.width;
  for (size_t c = (size_t)y0 * w; c < (size_t)y1 * w; c++) {
    if (e->cst[c] != STRIFE__JAILED) continue;
    if (e->caux[c] > 0) e->caux[c]--;
    if (e->caux[c] == 0) {
      e->cst[c] = STRIFE__QUIET;
      e->caux[c] = STRIFE__NOWHERE;
      tally[2u + (e->cid[c] < e->n_hard)]--;
    }
  }
}

/* The share of thread 'tid' of a team of 'nteam' in a tick; 'sum' holds
   the team's counts. */
static void tick_team(struct strife__epstein *e, const struct strife__pkeys *k,
                      uint64_t sum[6], unsigned tid, unsigned nteam) {
  struct strife__par *q = e->par;
  uint32_t lo, hi;
  /* The active and jailed by audience (decide_row's order), kept through
     the tick's phases. */
  uint64_t by[2] = {0, 0}, tl[4] = {0, 0, 0, 0};
  double busy = 0.0, t0 = team_clock(nteam);
  my_rows(q, e->p.height, tid, nteam, &lo, &hi);
  decide_rows(e, lo, hi, tid, tl);
  PHASE_END(nteam, busy, t0);
  rebuild_rows(e, lo, hi, 0, tid);
  PHASE_END(nteam, busy, t0);
  arrest_rows(e, lo, hi, k, by, tl);
  PHASE_END(nteam, busy, t0);
  claim_rows(e, lo, hi, k, nteam == 1);
  PHASE_END(nteam, busy, t0);
  move_rows(e, lo, hi, k->claim);
  if (e->p.countdown == STRIFE__COUNT_TICK_END) {
    PHASE_END(nteam, busy, t0);
    countdown_rows(e, lo, hi, tl);
  }
  PHASE_END(nteam, busy, t0);
  rebuild_rows(e, lo, hi, 1, tid);
  if (nteam > 1) {
    q->busy[tid] = busy + team_clock(nteam) - t0;
    q->rows[tid] = hi - lo;
  }
  const uint64_t mine[6] = {by[0], by[1], tl[0], tl[1], tl[2], tl[3]};
  for (int i = 0; i < 6; i++) {
#pragma omp atomic
    sum[i] += mine[i];
  }
}

/* Runs fn(ctx, tid, nteam) on the lattice's team: in an OpenMP region of
   its own when it has more than one thread, else on the calling thread
   (which may be one of an enclosing team's: the Afghan provinces). */
typedef void team_fn(void *ctx, unsigned tid, unsigned nteam);
static void on_team(const struct strife__par *q, team_fn *fn, void *ctx) {
#ifdef _OPENMP
  if (q->nt > 1) {
    /* read by num_threads: */
    /* NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores) */
    const int nt = (int)q->nt;
#  pragma omp parallel num_threads(nt)
    fn(ctx, (unsigned)omp_get_thread_num(), (unsigned)omp_get_num_threads());
    return;
  }
#endif
  fn(ctx, 0, 1);
}

struct tick_ctx {
  struct strife__epstein *e;
  struct strife__pkeys k;
  uint64_t sum[6];
  unsigned nteam;
};

static void tick_fn(void *ctx, unsigned tid, unsigned nteam) {
  struct tick_ctx *t = ctx;
  if (tid == 0) t->nteam = nteam;
  tick_team(t->e, &t->k, t->sum, tid, nteam);
}

void strife__epstein_step_par(struct strife__epstein *e) {
  struct strife__r4 r =
      strife__rand4(e->seed, 0, (uint32_t)e->tick, STRIFE__STREAM_PRIORITY, 0);
  struct tick_ctx t = {e, {r.v[0], r.v[1], r.v[2], r.v[3]}, {0}, 1};
  const uint64_t *sum = t.sum;
  on_team(e->par, tick_fn, &t);
  update_speeds(e->par, t.nteam);
  e->arrests_by[0] = sum[0];
  e->arrests_by[1] = sum[1];
  e->arrests = sum[0] + sum[1];
  e->n_active[0] = sum[2];
  e->n_active[1] = sum[3];
  e->n_jailed[0] = sum[4];
  e->n_jailed[1] = sum[5];
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

static void rebuild_fn(void *ctx, unsigned tid, unsigned nteam) {
  struct strife__epstein *e = ctx;
  uint32_t lo, hi;
  my_range(e->p.height, tid, nteam, &lo, &hi);
  rebuild_rows(e, lo, hi, 1, tid);
}

static void rebuild_all(struct strife__epstein *e) {
  memset(e->n_active, 0, sizeof e->n_active + sizeof e->n_jailed);
  on_team(e->par, rebuild_fn, e);
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

/* Sets (on) or clears the bit of cell (x, y) in 'plane', in every copy
   the halo holds of it (as rebuild_rows lays them out). */
static void plane_put(const struct strife__par *q, uint64_t *plane, uint32_t x,
                      uint32_t y, uint32_t w, uint32_t h, int on) {
  const uint32_t v = q->v;
  uint32_t X[3] = {x + v}, Y[2] = {y + v}, nx = 1, ny = 1;
  if (x < v) X[nx++] = x + v + w;
  if (x >= w - v) X[nx++] = x + v - w;
  if (y < v)
    Y[ny++] = y + v + h;
  else if (y >= h - v)
    Y[ny++] = y + v - h;
  for (uint32_t j = 0; j < ny; j++) {
    for (uint32_t i = 0; i < nx; i++) {
      uint64_t *word = plane + (size_t)Y[j] * q->rw + X[i] / 64u;
      const uint64_t bit = UINT64_C(1) << (X[i] % 64u);
      *word = on ? *word | bit : *word & ~bit;
    }
  }
}

/* A cop put on (on) or taken off cell c: the taken and cop planes. */
static void planes_cop(struct strife__epstein *e, uint32_t c, int on) {
  const uint32_t w = e->p.width, h = e->p.height;
  plane_put(e->par, e->par->occ, c % w, c / w, w, h, on);
  plane_put(e->par, e->par->cop, c % w, c / w, w, h, on);
}

/* As adjust_cops in epstein.c, over the cell arrays; the planes follow
   cell by cell (the citizens' counts do not change). */
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
    planes_cop(e, c, 0);
  }
  for (uint32_t k = 0; k < cap && e->n_cops < want; k++) {
    if (e->cop_cell[k] != STRIFE__NOWHERE) continue;
    uint32_t at = strife__epstein_random_empty(e, e->cid, &rs);
    if (at == STRIFE__NOWHERE) break;
    const uint32_t c = strife__cell(e, at);
    put_agent(e, e->n_cit + k, c);
    e->n_cops++;
    planes_cop(e, c, 1);
  }
}

/* From the counts the update keeps as it rebuilds its planes: every
   citizen is quiet, active or jailed. */
void strife__epstein_par_counts(const struct strife__epstein *e,
                                strife_counts *out) {
  out->active = e->n_active[0] + e->n_active[1];
  out->jailed = e->n_jailed[0] + e->n_jailed[1];
  out->quiet = e->n_cit - out->active - out->jailed;
  out->cops = e->n_cops;
  out->arrests = e->arrests;
}

void strife__epstein_par_proximity(const struct strife__epstein *e,
                                   strife_proximity *out) {
  const struct strife__par *q = e->par;
  memset(out, 0, sizeof *out);
  for (uint32_t y = 0; y < e->p.height; y++) {
    for (uint32_t x = 0; x < e->p.width; x++) {
      size_t c = (size_t)y * e->p.width + x;
      uint8_t s = e->cst[c];
      if ((s != STRIFE__QUIET && s != STRIFE__ACTIVE) ||
          !strife__aggrieved_h(e, e->ch[c], e->cid[c]))
        continue;
      uint32_t cops = strife__par_count(q, &q->cit, q->cop, x, y);
      uint32_t bin =
          cops < STRIFE_PROXIMITY_BINS - 1 ? cops : STRIFE_PROXIMITY_BINS - 1;
      out->citizens[bin]++;
      out->active[bin] += (uint64_t)(s == STRIFE__ACTIVE);
    }
  }
}
