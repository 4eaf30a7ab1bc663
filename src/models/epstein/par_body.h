/* SPDX-License-Identifier: MIT */
/*
 * The parallel kernel's row functions in portable C.  Each path's file
 * (par_c.c, par_avx2.c, par_avx512.c) includes this header and compiles it
 * for its instruction set, where it serves as the whole path (plain C) or
 * as the fallback of what the path's own code does not cover (a vision
 * too wide for its registers, the exact ratio's exponential).  The loops
 * are written so that a compiler can vectorise them: the results are the
 * same integers and the same IEEE double operations, in the same order,
 * whatever the instruction set.
 */
#ifndef STRIFE_LATTICE_PAR_BODY_H
#define STRIFE_LATTICE_PAR_BODY_H

#include "par.h"

#if defined(__BMI2__) || defined(__AVX2__)
#  include <immintrin.h>
#endif

#define STRIFE__INLINE static inline __attribute__((always_inline))

/* caux of a free agent that proposes a move: the target cell with the top
   bit set (cells are below 2^30; jail terms below 2^31). */
#define STRIFE__PROPOSAL 0x80000000u

/* The running-sum rows of the citizen shape's rows for a row of cells:
   the count of shape row d of cell x is hi[d][x] - lo[d][x]; returns how
   many rows the shape has. */
STRIFE__INLINE uint32_t par_count_rows(const struct strife__epstein *e,
                                       const uint32_t *const *rows,
                                       const uint32_t **hi,
                                       const uint32_t **lo) {
  const struct strife__par *q = e->par;
  const uint32_t v = q->v;
  uint32_t n = 0;
  for (uint32_t d = 0; d <= 2u * v; d++) {
    const int hw = q->cit.hw[d];
    if (hw < 0) continue;
    hi[n] = rows[d] + v + (uint32_t)hw + 1u;
    lo[n++] = rows[d] + v - (uint32_t)hw;
  }
  return n;
}

/* cnt[x] for the cells of row y: the cops (low 16 bits) and actives (high
   16 bits) of each cell's citizen shape, its own cell included. */
STRIFE__INLINE void par_counts_body(const struct strife__epstein *e,
                                    const uint32_t *const *rows,
                                    uint32_t *restrict cnt) {
  const uint32_t w = e->p.width;
  const uint32_t *hi[2 * STRIFE__VISION_MAX + 1];
  const uint32_t *lo[2 * STRIFE__VISION_MAX + 1];
  const uint32_t n = par_count_rows(e, rows, hi, lo);
  /* Sixteen cells at a time, summed over the rows in registers. */
  uint32_t x = 0;
  for (; x + 16u <= w; x += 16u) {
    uint32_t acc[16] = {0};
    for (uint32_t d = 0; d < n; d++)
      for (uint32_t i = 0; i < 16u; i++)
        acc[i] += hi[d][x + i] - lo[d][x + i];
    memcpy(cnt + x, acc, sizeof acc);
  }
  for (; x < w; x++) {
    uint32_t acc = 0;
    for (uint32_t d = 0; d < n; d++)
      acc += hi[d][x] - lo[d][x];
    cnt[x] = acc;
  }
}

/* The decision of every citizen of row y from its counts, without a
   branch on the cell: see docs/model-epstein.md for the rule.  The ratio
   C / A is taken in double precision, whose quotient of two integers
   below 2^16 truncates to the exact floor; rounding half to even is then
   settled in integers. */
STRIFE__INLINE void par_decide_body(struct strife__epstein *e, uint32_t y,
                                    uint32_t x0, const uint32_t *restrict cnt,
                                    uint64_t tally[4]) {
  const uint32_t w = e->p.width;
  const size_t c0 = (size_t)y * w;
  uint8_t *restrict st = e->cst + c0;
  uint32_t *restrict aux = e->caux + c0;
  const uint32_t *restrict id = e->cid + c0;
  const float *restrict ch = e->ch + c0, *restrict cr = e->cr + c0;
  const double *restrict ptab = e->ptab;
  const double f0 = e->factor[0], f1 = e->factor[1], T = e->p.threshold;
  const double nk = -e->p.k;
  const uint32_t nh = e->n_hard, top = e->ptab_n - 1u;
  const uint32_t own_turn = e->p.countdown == STRIFE__COUNT_OWN_TURN;
  const uint32_t again = (uint32_t)e->p.self_again;
  const enum strife__ratio ratio = e->p.ratio;
  uint64_t tl[4] = {0, 0, 0, 0};
  for (uint32_t x = x0; x < w; x++) {
    const uint32_t s = st[x], a0 = aux[x];
    const uint32_t jl = own_turn & (s == STRIFE__JAILED);
    const uint32_t walk = jl & (a0 == 0);
    aux[x] = jl ? (a0 == 0 ? STRIFE__NOWHERE : a0 - 1u) : a0;
    const uint32_t was = s == STRIFE__ACTIVE;
    const uint32_t cit = (s == STRIFE__QUIET) | was | walk;
    const uint32_t c = cnt[x] & 0xffffu;
    const uint32_t a = 1u + (cnt[x] >> 16) - was + (again & was);
    const uint32_t hard = id[x] < nh;
    const double g = (double)ch[x] * (hard ? f1 : f0);
    double p;
    if (ratio == STRIFE__RATIO_EXACT) {
      p = 1.0 - exp(nk * (double)c / (double)a);
    } else {
      uint32_t k = (uint32_t)((double)c / (double)a);
      const uint32_t rem = c - k * a;
      if (ratio == STRIFE__RATIO_ROUND_EVEN)
        k += (2u * rem > a) | ((2u * rem == a) & (k & 1u));
      p = ptab[k < top ? k : top];
    }
    const uint32_t now = g - (double)cr[x] * p > T;
    const uint32_t ns = cit ? (now ? STRIFE__ACTIVE : STRIFE__QUIET) : s;
    st[x] = (uint8_t)ns;
    tl[hard] += ns == STRIFE__ACTIVE;
    tl[2u + hard] += ns == STRIFE__JAILED;
  }
  for (int i = 0; i < 4; i++)
    tally[i] += tl[i];
}

/* Position of the k-th (from 0) set bit of 'w' (it has more than k): one
   pdep where the instruction set has it, else a binary search on
   popcounts; the same bit either way. */
STRIFE__INLINE uint32_t par_select(uint64_t w, uint32_t k) {
#ifdef __BMI2__
  return (uint32_t)__builtin_ctzll(_pdep_u64(UINT64_C(1) << k, w));
#else
  return strife__select64(w, k);
#endif
}

/* A uniformly random empty cell in shape 'sh' around (x, y), drawn with
   'r', or STRIFE__NOWHERE: the empty cells of each shape row are counted,
   a number k below their sum drawn, and the k-th taken. */
STRIFE__INLINE uint32_t par_sample_body(const struct strife__epstein *e,
                                        const struct strife__pshape *sh,
                                        uint32_t x, uint32_t y, uint32_t r,
                                        uint32_t key) {
  const struct strife__par *q = e->par;
  const uint32_t R = 2u * q->v + 1u;
  if (!q->narrow) { /* a window row in pieces */
    uint32_t tot = 0;
    for (uint32_t d = 0; d < R; d++)
      if (sh->hw[d] >= 0)
        tot += strife__par_range_count(
            q->occ + (size_t)(y + d) * q->rw, x + q->v - (uint32_t)sh->hw[d],
            2u * (uint32_t)sh->hw[d] + 1u, UINT64_MAX);
    if (!tot) return STRIFE__NOWHERE;
    return strife__par_pick(e, sh, q->occ, x, y, strife__par_below(r, tot, key),
                            UINT64_MAX);
  }
  /* Counted row by row, then walked to the row of the k-th over the
     counts kept: one branch mispredicted a mover, where a branch-free walk
     costs more in scalar code. */
  const uint64_t *restrict row = q->occ + (size_t)y * q->rw;
  const uint64_t *restrict m = sh->m;
  const size_t rw = q->rw;
  uint8_t pc[STRIFE__PAR_CHUNK];
  uint32_t tot = 0;
  for (uint32_t d = 0; d < R; d++) {
    pc[d] = (uint8_t)__builtin_popcountll(~strife__par_bits(row + d * rw, x) &
                                          m[d]);
    tot += pc[d];
  }
  if (!tot) return STRIFE__NOWHERE;
  uint32_t k = strife__par_below(r, tot, key), d = 0;
  for (; d + 1 < R && k >= pc[d]; d++) /* k < tot: the last row at most */
    k -= pc[d];
  const uint64_t win = ~strife__par_bits(row + d * rw, x) & m[d];
  return strife__par_cell_of(e, x, y, d, par_select(win, k));
}

/* The 8 bytes of 'x' equal to 'c', as the 8 bits of the result (byte i to
   bit i), without a branch. */
STRIFE__INLINE uint64_t par_bytes_equal(uint64_t x, uint8_t c) {
  const uint64_t lo7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
  uint64_t y = x ^ (UINT64_C(0x0101010101010101) * c);
  uint64_t hi = ~(((y & lo7) + lo7) | y) & ~lo7; /* 0x80 where equal */
  return ((hi >> 7) * UINT64_C(0x0102040810204080)) >> 56;
}

/* For each of the states 'a', 'b', 'c', the cells among the 'n' (at most
   8) from 'st' in that state, as bits (cell i to bit i). */
STRIFE__INLINE void par_state_masks(const uint8_t *st, uint32_t n, uint8_t a,
                                    uint8_t b, uint8_t c, unsigned m[3]) {
  if (n == 8 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
    uint64_t x;
    memcpy(&x, st, 8);
    m[0] = (unsigned)par_bytes_equal(x, a);
    m[1] = (unsigned)par_bytes_equal(x, b);
    m[2] = (unsigned)par_bytes_equal(x, c);
    return;
  }
  m[0] = m[1] = m[2] = 0;
  for (uint32_t i = 0; i < n; i++) {
    m[0] |= (unsigned)(st[i] == a) << i;
    m[1] |= (unsigned)(st[i] == b) << i;
    m[2] |= (unsigned)(st[i] == c) << i;
  }
}

/* Claims target t with 'code', the claim of the mover's cell (the claimed
   cell will tell its winner, strife__par_claimant). */
STRIFE__INLINE void par_claim(struct strife__epstein *e, uint32_t t,
                              uint32_t code, int alone) {
  if (t == STRIFE__NOWHERE) return;
  uint32_t *p = &e->cid[t];
  if (alone) { /* one thread: the minimum needs no lock, nor a branch */
    const uint32_t cur = *p;
    *p = code < cur ? code : cur;
    return;
  }
  uint32_t old = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (code < old &&
         !__atomic_compare_exchange_n(p, &old, code, 1, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
  }
}

/* The movers among the 'n' (at most 8) cells from c0 (from the movement
   variant), as bits, the cops among them in *cops, and every free agent's
   caux cleared. */
STRIFE__INLINE unsigned par_movers8(struct strife__epstein *e, size_t c0,
                                    uint32_t n, unsigned *cops) {
  const enum strife__movement mv = e->p.movement;
  const unsigned cits_move =
      mv == STRIFE__MOVE_ALL || mv == STRIFE__MOVE_CITIZENS_ONLY;
  const unsigned cops_move =
      mv == STRIFE__MOVE_ALL || mv == STRIFE__MOVE_COPS_ONLY;
  unsigned qac[3];
  par_state_masks(e->cst + c0, n, STRIFE__QUIET, STRIFE__ACTIVE, STRIFE__COP,
                  qac);
  *cops = cops_move ? qac[2] : 0u;
  return (cits_move ? qac[0] | qac[1] : 0u) | *cops;
}

/* Every mover of row y picks a uniformly random empty cell in its vision
   and claims it. */
STRIFE__INLINE void par_claim_body(struct strife__epstein *e, uint32_t y,
                                   const struct strife__pkeys *k, int alone) {
  const uint32_t w = e->p.width;
  const struct strife__par *q = e->par;
  const size_t ahead = strife__par_ahead(e, y);
  for (uint32_t x0 = 0; x0 < w; x0 += 8) {
    const size_t c0 = (size_t)y * w + x0;
    const uint32_t n = w - x0 < 8 ? w - x0 : 8;
    unsigned cops;
    strife__par_prefetch(e, ahead + x0, n, 0);
    for (unsigned m = par_movers8(e, c0, n, &cops); m; m &= m - 1) {
      const uint32_t b = (uint32_t)__builtin_ctz(m), x = x0 + b;
      const uint32_t c = (uint32_t)(c0 + b);
      const struct strife__pshape *sh = (cops >> b) & 1u ? &q->cops : &q->cit;
      uint32_t t =
          par_sample_body(e, sh, x, y, strife__hash32(c ^ k->move), k->move);
      par_claim(e, t, strife__par_claim(c, k->claim), alone);
    }
  }
}

#ifdef __AVX2__
/* The draws hash32(c ^ key) of cells c0 .. c0 + 7, as eight 32-bit lanes
   (the vector paths' strife__hash32). */
STRIFE__INLINE __m256i par_draws8(uint32_t c0, uint32_t key) {
  __m256i x = _mm256_add_epi32(_mm256_set1_epi32((int)c0),
                               _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  x = _mm256_xor_si256(x, _mm256_set1_epi32((int)key));
  x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 17));
  x = _mm256_mullo_epi32(x, _mm256_set1_epi32((int)0xed5ad4bbu));
  x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 11));
  x = _mm256_mullo_epi32(x, _mm256_set1_epi32((int)0xac4c1b51u));
  x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 15));
  x = _mm256_mullo_epi32(x, _mm256_set1_epi32((int)0x31848babu));
  return _mm256_xor_si256(x, _mm256_srli_epi32(x, 14));
}
#endif

/* The signature of a path's group sampler: the targets t[] of the movers
   'm' among the cells x0 .. x0 + G - 1 of row y ('copm': the cops among
   them), or STRIFE__NOWHERE. */
typedef void par_sample_fn(struct strife__epstein *e, uint32_t x0, uint32_t y,
                           unsigned m, unsigned copm,
                           const struct strife__pkeys *k, uint32_t t[16]);

/* The claims of row y, G (8 or 16) cells at a time with a path's group
   sampler. */
STRIFE__INLINE void par_claim_groups(struct strife__epstein *e, uint32_t y,
                                     const struct strife__pkeys *k, int alone,
                                     uint32_t G, par_sample_fn *sample) {
  const uint32_t w = e->p.width;
  const size_t ahead = strife__par_ahead(e, y);
  for (uint32_t x0 = 0; x0 < w; x0 += G) {
    const size_t c0 = (size_t)y * w + x0;
    unsigned m = 0, copm = 0;
    strife__par_prefetch(e, ahead + x0, w - x0 < G ? w - x0 : G, 0);
    for (uint32_t g = 0; g < G && x0 + g < w; g += 8) {
      const uint32_t n = w - x0 - g < 8 ? w - x0 - g : 8;
      unsigned cops;
      m |= par_movers8(e, c0 + g, n, &cops) << g;
      copm |= cops << g;
    }
    if (!m) continue;
    uint32_t t[16], code[16];
    sample(e, x0, y, m, copm, k, t);
    for (uint32_t i = 0; i < G; i++) /* at once */
      code[i] = strife__par_claim((uint32_t)c0 + i, k->claim);
    for (; m; m &= m - 1) {
      unsigned i = (unsigned)__builtin_ctz(m);
      par_claim(e, t[i], code[i], alone);
    }
  }
}

/* The targets t[i] of the lanes 'redo' of a group sampler, whose draw r[i]
   must be settled as strife__par_below settles it (the row and window
   found again; rare). */
STRIFE__INLINE void par_redo(const struct strife__epstein *e, uint32_t x0,
                             uint32_t y, unsigned redo, unsigned copm,
                             const uint32_t r[16], const uint32_t tot[16],
                             uint32_t key, uint32_t t[16]) {
  const struct strife__par *q = e->par;
  for (; redo; redo &= redo - 1) {
    const unsigned i = (unsigned)__builtin_ctz(redo);
    const struct strife__pshape *sh = (copm >> i) & 1u ? &q->cops : &q->cit;
    t[i] = strife__par_pick(e, sh, q->occ, x0 + i, y,
                            strife__par_below(r[i], tot[i], key), UINT64_MAX);
  }
}

/* The end of a group sampler, from its G lanes: 'any' the movers with an
   empty cell in view, 'redo' those whose draw r[i] must be settled as
   strife__par_below settles it (k[i] is then drawn again from r[i] and
   tot[i]), d[i] the shape row of the k[i]-th empty cell, whose window is
   read again here ('copm': the lanes that see with the cops' shape). */
STRIFE__INLINE void par_finish(const struct strife__epstein *e, uint32_t x0,
                               uint32_t y, uint32_t G, unsigned any,
                               unsigned redo, unsigned copm,
                               const uint32_t r[16], const uint32_t tot[16],
                               const uint32_t k[16], const uint32_t d[16],
                               uint32_t key, uint32_t t[16]) {
  const struct strife__par *q = e->par;
  for (unsigned i = 0; i < G; i++) {
    if (!((any >> i) & 1u) || ((redo >> i) & 1u)) {
      t[i] = STRIFE__NOWHERE;
      continue;
    }
    const struct strife__pshape *sh = (copm >> i) & 1u ? &q->cops : &q->cit;
    const uint64_t win =
        ~strife__par_bits(q->occ + (size_t)(y + d[i]) * q->rw, x0 + i) &
        sh->m[d[i]];
    t[i] = strife__par_cell_of(e, x0 + i, y, d[i], par_select(win, k[i]));
  }
  par_redo(e, x0, y, redo, copm, r, tot, key, t);
}

/* The running sums of padded row Y: out[X] = sum over columns below X of
   (cop + 65536 x active); out has pw + 1 entries. */
STRIFE__INLINE void par_sums_body(const struct strife__par *q, uint32_t Y,
                                  uint32_t *restrict out) {
  const uint64_t *cop = q->cop + (size_t)Y * q->rw;
  const uint64_t *act = q->act + (size_t)Y * q->rw;
  uint32_t s = 0;
  out[0] = 0;
  for (uint32_t X = 0; X < q->pw; X += 64) {
    uint64_t c = cop[X >> 6], a = act[X >> 6];
    const uint32_t n = q->pw - X < 64 ? q->pw - X : 64;
    for (uint32_t i = 0; i < n; i++) {
      s += (uint32_t)((c >> i) & 1u) + ((uint32_t)((a >> i) & 1u) << 16);
      out[X + i + 1] = s;
    }
  }
}

/* The ops table 'sym' of a path that is the portable row functions
   compiled for its instruction set (par_c.c, par_avx2.c). */
#define STRIFE__PAR_PORTABLE_OPS(sym, label)                                   \
  static void decide_row(struct strife__epstein *e, uint32_t y,                \
                         const uint32_t *const *rows, uint32_t *cnt,           \
                         uint64_t tally[4]) {                                  \
    par_counts_body(e, rows, cnt);                                             \
    par_decide_body(e, y, 0, cnt, tally);                                      \
  }                                                                            \
  static void claim_row(struct strife__epstein *e, uint32_t y,                 \
                        const struct strife__pkeys *k, int alone) {            \
    par_claim_body(e, y, k, alone);                                            \
  }                                                                            \
  static void sums_row(const struct strife__par *q, uint32_t Y,                \
                       uint32_t *out) {                                        \
    par_sums_body(q, Y, out);                                                  \
  }                                                                            \
  const struct strife__par_ops sym = {label, decide_row, claim_row, sums_row}

#endif
