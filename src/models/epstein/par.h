/* SPDX-License-Identifier: MIT */
/*
 * The parallel update's kernel: its padded lattice, its random draws, and
 * the row functions that each instruction-set path provides.
 *
 * Padding.  The bit planes (taken, cop, active) are stored row-major with a
 * halo of v cells on every side (v: the larger vision), mirrored from the
 * opposite side of the torus, so that no window ever wraps: lattice cell
 * (x, y) is padded cell (x + v, y + v), and the cells a shape of half
 * width hw sees in row dy are padded columns x + v - hw .. x + v + hw of
 * padded row y + v + dy.  The agents' own arrays (state, traits, jail
 * term, number) stay unpadded, one entry a cell.
 *
 * Counts.  For the decision, each padded row is turned into the running
 * sum of (cop + 65536 x active) over its columns, exact in 32 bits: the
 * cops and actives of a window row are two loads and a subtraction, for a
 * whole row of cells at once.
 *
 * Windows.  For moves and suspects, a shape row is read from a bit plane
 * as one 64-bit word (56 bits and more from any bit, so one load for a
 * vision up to 27; wider visions read the row in pieces); its popcount is
 * the row's count, and the k-th set bit of the word is the k-th cell.
 *
 * Draws.  Every random draw of a tick is a keyed hash of a cell index:
 * the tick's four keys come from Philox (seed, tick), and the draw of
 * cell c for a use is hash32(c ^ key).  Each phase is then a function of
 * the tick's start state alone, whatever thread visits the cell, and the
 * paths (plain C, AVX2, AVX-512) compute the same integers and the same
 * IEEE double operations in the same order: they give the same bytes.
 */
#ifndef STRIFE_LATTICE_PAR_H
#define STRIFE_LATTICE_PAR_H

#include <stdint.h>
#include <string.h>

#include "epstein.h"

/* Bits a window load always holds (see par_bits). */
#define STRIFE__PAR_CHUNK 56u

/* A shape seen from the halo's corner: for each row d = dy + v of the halo
   (0 .. 2v), its half width (-1: not in the shape) and, for visions whose
   window fits one load, the mask of its cells in a window word read at
   padded column x (bit i: padded column x + i). */
struct strife__pshape {
  int16_t hw[2 * STRIFE__VISION_MAX + 1];
  uint64_t m[STRIFE__PAR_CHUNK]; /* narrow halos only */
};

/* The tick's keys of the four uses of random draws. */
struct strife__pkeys {
  uint32_t move, claim, suspect, jail;
};

struct strife__par;

/* What a path provides: the decision of one row of cells, and the move
   claims of one row.  'ring' holds the running sums of the 2v + 1 padded
   rows a row sees (row d at ring[(y + d) % (2v + 1)]), 'cnt' is scratch of
   width + 16 entries.  The decision adds the row's active and jailed
   citizens after it, by audience, to tally[] (active ordinary, active
   hardliner, jailed ordinary, jailed hardliner). */
struct strife__par_ops {
  const char *name;
  void (*decide_row)(struct strife__epstein *e, uint32_t y,
                     const uint32_t *const *rows, uint32_t *cnt,
                     uint64_t tally[4]);
  void (*claim_row)(struct strife__epstein *e, uint32_t y,
                    const struct strife__pkeys *k, int alone);
  void (*sums_row)(const struct strife__par *q, uint32_t Y, uint32_t *out);
};

struct strife__par {
  uint32_t v;      /* halo: the larger vision */
  uint32_t pw, ph; /* padded sides */
  uint32_t rw;     /* 64-bit words a padded plane row, one spare included */
  int narrow;      /* 2v + 1 <= STRIFE__PAR_CHUNK: a window is one load */
  uint64_t *occ, *cop, *act; /* [ph * rw] */
  struct strife__pshape cit, cops;
  const struct strife__par_ops *ops;
  enum strife__kernel kernel; /* the path in use */
  unsigned nt;                /* threads the scratch is for */
  /* The team's shares of the rows: thread i's speed (rows a second,
     relative) and its busy seconds and rows in the last tick.  The split
     follows the speeds, so a slower core gets fewer rows; the result does
     not depend on the split. */
  double *speed, *busy;
  uint32_t *rows;
  size_t scratch_per; /* uint32 words of scratch a thread */
  uint32_t *scratch;  /* [nt * scratch_per] */
  size_t bytes;
};

/* The fewest cells a thread of a lattice's team gets (16384: at 40 x 40
   two threads ran 1.9 times slower than one, their barriers costing more
   than the second thread saved).  The tests lower it to 1, so that their
   small lattices are stepped by teams. */
STRIFE__FUNC unsigned strife__par_min_cells;

/* The paths of this build and processor. */
STRIFE__FUNC const struct strife__par_ops strife__par_ops_c;
STRIFE__FUNC const struct strife__par_ops strife__par_ops_avx2;
STRIFE__FUNC const struct strife__par_ops strife__par_ops_avx512;
/* The row functions of path 'k' (auto: the fastest), or NULL where it
   cannot run. */
STRIFE__FUNC const struct strife__par_ops *
strife__par_ops_of(enum strife__kernel k);
/* Whether path 'k' can run here (built in, and the processor has it). */
STRIFE__FUNC int strife__kernel_supported(enum strife__kernel k);
/* The fastest path that can run here. */
STRIFE__FUNC enum strife__kernel strife__kernel_best(void);
/* The path's name as run.kernel spells it. */
STRIFE__FUNC const char *strife__kernel_name(enum strife__kernel k);

/* A 32-bit bijective mix (three multiply-xorshift rounds, constants of
   C. Wellons' hash prospector, "triple32"). */
static inline uint32_t strife__hash32(uint32_t x) {
  x ^= x >> 17;
  x *= 0xed5ad4bbu;
  x ^= x >> 11;
  x *= 0xac4c1b51u;
  x ^= x >> 15;
  x *= 0x31848babu;
  x ^= x >> 14;
  return x;
}

/* An exact uniform integer below n (n >= 1) from the draw 'r': Lemire's
   multiply, the rare low products below 2^32 mod n drawn again from
   hash32(r + key), so that every value is equally likely. */
static inline uint32_t strife__par_below(uint32_t r, uint32_t n, uint32_t key) {
  uint64_t m = (uint64_t)r * n;
  if ((uint32_t)m < n) {
    uint32_t t = (uint32_t)(-n) % n;
    while ((uint32_t)m < t) {
      r = strife__hash32(r + key);
      m = (uint64_t)r * n;
    }
  }
  return (uint32_t)(m >> 32);
}

/* The claim of the agent on cell c for a cell: the top bit set, and a
   bijection of c's 31 low bits keyed by the tick, so that claims of two
   cells never tie, the smallest is a random one, a claim never equals an
   agent number (< 2^31), and the claimed cell can tell its claimant
   (strife__par_claimant). */
#define STRIFE__CLAIM_M1 0x2c1b3c6du
#define STRIFE__CLAIM_M2 0x297a2d39u
static inline uint32_t strife__par_claim(uint32_t c, uint32_t key) {
  const uint32_t m31 = 0x7fffffffu;
  uint32_t x = (c ^ key) & m31;
  x ^= x >> 16;
  x = (x * STRIFE__CLAIM_M1) & m31;
  x ^= x >> 12;
  x = (x * STRIFE__CLAIM_M2) & m31;
  x ^= x >> 15;
  return 0x80000000u | x;
}

/* The inverse of an odd number modulo 2^32 (Newton's iteration: each step
   doubles the bits that are right). */
static inline uint32_t strife__inverse_odd(uint32_t m) {
  uint32_t i = m; /* right in 3 bits */
  for (int k = 0; k < 4; k++)
    i *= 2u - m * i;
  return i;
}

/* The cell whose claim is 'code' (the inverse of strife__par_claim). */
static inline uint32_t strife__par_claimant(uint32_t code, uint32_t key) {
  const uint32_t m31 = 0x7fffffffu;
  uint32_t x = code & m31;
  x ^= (x >> 15) ^ (x >> 30);
  x = (x * strife__inverse_odd(STRIFE__CLAIM_M2)) & m31;
  x ^= (x >> 12) ^ (x >> 24);
  x = (x * strife__inverse_odd(STRIFE__CLAIM_M1)) & m31;
  x ^= x >> 16;
  return (x ^ key) & m31;
}

/* Bits X .. X + 55 (at least) of a padded plane row, from bit 0 of the
   result. */
static inline uint64_t strife__par_bits(const uint64_t *row, uint32_t X) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t w;
  memcpy(&w, (const unsigned char *)row + (X >> 3), 8);
  return w >> (X & 7u);
#else
  uint32_t s = X & 63u;
  return (row[X >> 6] >> s) | (row[(X >> 6) + 1] << 1 << (63u - s));
#endif
}

/* Set bits of padded row 'row' ^ 'flip' (0, or all ones to count the
   clear bits) in columns [X, X + n). */
static inline uint32_t strife__par_range_count(const uint64_t *row, uint32_t X,
                                               uint32_t n, uint64_t flip) {
  uint32_t c = 0;
  for (; n > STRIFE__PAR_CHUNK; n -= STRIFE__PAR_CHUNK, X += STRIFE__PAR_CHUNK)
    c += (uint32_t)__builtin_popcountll(
        (strife__par_bits(row, X) ^ flip) &
        ((UINT64_C(1) << STRIFE__PAR_CHUNK) - 1u));
  return c + (uint32_t)__builtin_popcountll((strife__par_bits(row, X) ^ flip) &
                                            ((UINT64_C(1) << n) - 1u));
}

/* The column of the k-th set bit of padded row 'row' ^ 'flip' in
   [X, X + n) (there are more than k). */
STRIFE__FUNC uint32_t strife__par_range_select(const uint64_t *row, uint32_t X,
                                               uint32_t n, uint32_t k,
                                               uint64_t flip);

/* Cells of shape 'sh' around lattice cell (x, y) set in 'plane' (rows of
   q->rw words). */
STRIFE__FUNC uint32_t strife__par_count(const struct strife__par *q,
                                        const struct strife__pshape *sh,
                                        const uint64_t *plane, uint32_t x,
                                        uint32_t y);
/* The lattice cell of the k-th set cell of 'plane' ^ 'flip' in shape 'sh'
   around (x, y), rows top to bottom and columns left to right (k below the
   count). */
STRIFE__FUNC uint32_t strife__par_pick(const struct strife__epstein *e,
                                       const struct strife__pshape *sh,
                                       const uint64_t *plane, uint32_t x,
                                       uint32_t y, uint32_t k, uint64_t flip);

/* The lattice cell of padded window bit 'b' of row d around (x, y). */
static inline uint32_t strife__par_cell_of(const struct strife__epstein *e,
                                           uint32_t x, uint32_t y, uint32_t d,
                                           uint32_t b) {
  const uint32_t v = e->par->v, w = e->p.width, h = e->p.height;
  uint32_t tx = x + b, ty = y + d; /* + v, padded */
  tx = tx < v ? tx + w - v : tx - v;
  tx = tx >= w ? tx - w : tx;
  ty = ty < v ? ty + h - v : ty - v;
  ty = ty >= h ? ty - h : ty;
  return ty * w + tx;
}

/* The first cell of the lattice row a phase asks for ahead of row y: the
   row v + 1 below (wrapped), whose cells its random accesses to the rows
   within v of y reach next. */
static inline size_t strife__par_ahead(const struct strife__epstein *e,
                                       uint32_t y) {
  return (size_t)((y + e->par->v + 1u) % e->p.height) * e->p.width;
}

/* Asks for the cids (with 'all', every field) of the n cells from c0, a
   piece of the row strife__par_ahead names, so that the requests are
   spread over the row's work. */
static inline void strife__par_prefetch(const struct strife__epstein *e,
                                        size_t c0, uint32_t n, int all) {
  for (uint32_t x = 0; x < n; x += 16) {
    __builtin_prefetch(e->cid + c0 + x, 1);
    if (!all) continue;
    __builtin_prefetch(e->ch + c0 + x, 1);
    __builtin_prefetch(e->cr + c0 + x, 1);
  }
  if (all)
    for (uint32_t x = 0; x < n; x += 64)
      __builtin_prefetch(e->cst + c0 + x, 1);
}

/* The bits of lattice cells x0 .. x0 + n - 1 of row y in padded 'plane'
   (n = the rest of the row, at most STRIFE__PAR_CHUNK), into *n. */
static inline uint64_t strife__par_chunk(const struct strife__par *q,
                                         const uint64_t *plane, uint32_t w,
                                         uint32_t y, uint32_t x0, uint32_t *n) {
  *n = w - x0 < STRIFE__PAR_CHUNK ? w - x0 : STRIFE__PAR_CHUNK;
  return strife__par_bits(plane + (size_t)(y + q->v) * q->rw, x0 + q->v) &
         ((UINT64_C(1) << *n) - 1u);
}

/* Building and freeing the kernel (epstein_par.c). */
STRIFE__FUNC int strife__par_init(struct strife__epstein *e,
                                  const struct strife__alloc *a,
                                  strife_diag *diag);
STRIFE__FUNC void strife__par_free(struct strife__epstein *e,
                                   const struct strife__alloc *a);
/* Bytes of the kernel's planes and scratch for a lattice of 'p' on
   'threads' threads. */
STRIFE__FUNC double
strife__par_footprint(const struct strife__epstein_params *p, unsigned threads);

#endif
