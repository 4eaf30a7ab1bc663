/* SPDX-License-Identifier: MIT */
/*
 * The parallel kernel's AVX2 path (compiled with -mavx2 -mbmi2 -mpopcnt):
 * the portable row functions of par_body.h for the decision, and the move
 * sampler eight cells at a time in two registers of four 64-bit lanes, as
 * the AVX-512 path does it: a shape row is one load broadcast to the lanes,
 * shifted by the lane's column, masked and counted (AVX2 has no vector
 * popcount: a nibble table and a sum of bytes), and the row of the k-th
 * empty cell is found by compares.  Counts stay below 2^32, so signed
 * 64-bit compares order them.  The same cells as the plain C path.
 */
#include <immintrin.h>
#include <math.h>

#include "par_body.h"

static void decide_row(struct strife__epstein *e, uint32_t y,
                       const uint32_t *const *rows, uint32_t *cnt,
                       uint64_t tally[4]) {
  par_counts_body(e, rows, cnt);
  par_decide_body(e, y, 0, cnt, tally);
}

static void sums_row(const struct strife__par *q, uint32_t Y, uint32_t *out) {
  par_sums_body(q, Y, out);
}

/* Set bits of each 64-bit lane. */
static inline __m256i popcnt64(__m256i v) {
  const __m256i lut =
      _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1,
                       2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i nib = _mm256_set1_epi8(0x0f);
  __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(v, nib));
  __m256i hi =
      _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib));
  return _mm256_sad_epu8(_mm256_add_epi8(lo, hi), _mm256_setzero_si256());
}

/* The lanes of 'bits' (bit i: lane i) as all-ones 64-bit lanes. */
static inline __m256i lanes_of(unsigned bits) {
  const __m256i sel = _mm256_setr_epi64x(1, 2, 4, 8);
  return _mm256_cmpeq_epi64(
      _mm256_and_si256(_mm256_set1_epi64x((long long)bits), sel), sel);
}

/* The lanes of a compare's result as bits. */
static inline unsigned bits_of(__m256i v) {
  return (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(v));
}

static void sample8(struct strife__epstein *e, uint32_t x0, uint32_t y,
                    unsigned m, unsigned copm, const struct strife__pkeys *k,
                    uint32_t t[16]) {
  const struct strife__par *q = e->par;
  const uint32_t R = 2u * q->v + 1u;
  const __m256i lane[2] = {_mm256_setr_epi64x(0, 1, 2, 3),
                           _mm256_setr_epi64x(4, 5, 6, 7)};
  const __m256i cop[2] = {lanes_of(copm & 15u), lanes_of(copm >> 4)};
  __m256i hi[2][2 * 24 + 1];
  __m256i tot[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
  const uint64_t *row = q->occ + (size_t)y * q->rw;
  for (uint32_t d = 0; d < R; d++, row += q->rw) {
    const __m256i b = _mm256_set1_epi64x((long long)strife__par_bits(row, x0));
    const __m256i mc = _mm256_set1_epi64x((long long)q->cit.m[d]);
    const __m256i mk = _mm256_set1_epi64x((long long)q->cops.m[d]);
    for (int h = 0; h < 2; h++) {
      __m256i msk = _mm256_blendv_epi8(mc, mk, cop[h]);
      __m256i win = _mm256_andnot_si256(_mm256_srlv_epi64(b, lane[h]), msk);
      tot[h] = _mm256_add_epi64(tot[h], popcnt64(win));
      hi[h][d] = tot[h]; /* empty cells in rows 0 .. d */
    }
  }
  const __m256i r32 = par_draws8(y * e->p.width + x0, k->move);
  const __m256i r[2] = {
      _mm256_cvtepu32_epi64(_mm256_castsi256_si128(r32)),
      _mm256_cvtepu32_epi64(_mm256_extracti128_si256(r32, 1))};
  const __m256i lo32 = _mm256_set1_epi64x(0xffffffff);
  uint64_t rr[8], tt[8], k8[8], d8[8];
  unsigned any = 0, redo = 0;
  for (int h = 0; h < 2; h++) {
    const __m256i prod = _mm256_mul_epu32(r[h], tot[h]);
    __m256i kk = _mm256_srli_epi64(prod, 32);
    const __m256i none = _mm256_cmpeq_epi64(tot[h], _mm256_setzero_si256());
    const unsigned a = ~bits_of(none) & (m >> (4 * h)) & 15u;
    any |= a << (4 * h);
    redo |=
        (bits_of(_mm256_cmpgt_epi64(tot[h], _mm256_and_si256(prod, lo32))) & a)
        << (4 * h);
    /* Row d of the k-th: the rows whose running count is at most k. */
    __m256i seld = _mm256_setzero_si256(), base = _mm256_setzero_si256();
    for (uint32_t d = 0; d < R; d++) {
      const __m256i le = _mm256_xor_si256(_mm256_cmpgt_epi64(hi[h][d], kk),
                                          _mm256_set1_epi64x(-1));
      seld = _mm256_sub_epi64(seld, le); /* le is -1 where true */
      base = _mm256_blendv_epi8(base, hi[h][d], le);
    }
    kk = _mm256_sub_epi64(kk, base);
    _mm256_storeu_si256((__m256i *)(rr + 4 * h), r[h]);
    _mm256_storeu_si256((__m256i *)(tt + 4 * h), tot[h]);
    _mm256_storeu_si256((__m256i *)(k8 + 4 * h), kk);
    _mm256_storeu_si256((__m256i *)(d8 + 4 * h), seld);
  }
  uint32_t ra[16], ta[16], ka[16], da[16];
  for (int i = 0; i < 8; i++) {
    ra[i] = (uint32_t)rr[i];
    ta[i] = (uint32_t)tt[i];
    ka[i] = (uint32_t)k8[i];
    da[i] = (uint32_t)d8[i];
  }
  par_finish(e, x0, y, 8, any, redo, copm, ra, ta, ka, da, k->move, t);
}

static void claim_row(struct strife__epstein *e, uint32_t y,
                      const struct strife__pkeys *k, int alone) {
  if (e->par->v > 24) /* eight windows no longer fit one load */
    par_claim_body(e, y, k, alone);
  else
    par_claim_groups(e, y, k, alone, 8, sample8);
}

const struct strife__par_ops strife__par_ops_avx2 = {"avx2", decide_row,
                                                     claim_row, sums_row};
