/* SPDX-License-Identifier: MIT */
/*
 * The parallel kernel's AVX-512 path (compiled with -mavx512f -mavx512bw
 * -mavx512vl -mavx512vpopcntdq -mbmi2 -mpopcnt): the move sampler of
 * par_body.h eight cells at a time, one 64-bit lane a cell.  Each shape row
 * is one load broadcast to the lanes, shifted by the lane's column, masked
 * and counted (vpopcntq); the row holding the k-th empty cell is found by
 * compares on mask registers, and the cell within it by pdep.  It gives
 * the same cells as the plain C path: same draws, same counts, same
 * selection.  Visions too wide for one load fall back to par_body.h.
 */
#include <immintrin.h>
#include <math.h>

#include "par_body.h"

/* par_counts_body sixteen cells at a time in one register, the row's end
   by masked loads. */
static void counts16(const struct strife__epstein *e,
                     const uint32_t *const *rows, uint32_t *cnt) {
  const uint32_t w = e->p.width;
  const uint32_t *hi[2 * STRIFE__VISION_MAX + 1];
  const uint32_t *lo[2 * STRIFE__VISION_MAX + 1];
  const uint32_t n = par_count_rows(e, rows, hi, lo);
  for (uint32_t x = 0; x < w; x += 16u) {
    const __mmask16 in =
        w - x >= 16u ? (__mmask16)0xffff : (__mmask16)((1u << (w - x)) - 1u);
    __m512i acc = _mm512_setzero_si512();
    for (uint32_t d = 0; d < n; d++)
      acc = _mm512_add_epi32(
          acc, _mm512_sub_epi32(_mm512_maskz_loadu_epi32(in, hi[d] + x),
                                _mm512_maskz_loadu_epi32(in, lo[d] + x)));
    _mm512_mask_storeu_epi32(cnt + x, in, acc);
  }
}

/* Adds the active and jailed among eight new states 'ns', by audience
   ('hard': the hardliners' lanes), to tl[] (decide_row's order). */
static inline void tally8(__m256i ns, __mmask8 hard, uint64_t tl[4]) {
  const unsigned am =
      _mm256_cmpeq_epi32_mask(ns, _mm256_set1_epi32(STRIFE__ACTIVE));
  const unsigned jm =
      _mm256_cmpeq_epi32_mask(ns, _mm256_set1_epi32(STRIFE__JAILED));
  const unsigned hm = hard;
  tl[0] += (uint64_t)__builtin_popcount(am & ~hm);
  tl[1] += (uint64_t)__builtin_popcount(am & hm);
  tl[2] += (uint64_t)__builtin_popcount(jm & ~hm);
  tl[3] += (uint64_t)__builtin_popcount(jm & hm);
}

/* par_decide_body eight cells at a time, in the same double operations
   (a product, then a difference: no fused multiply-add). */
static void decide_row(struct strife__epstein *e, uint32_t y,
                       const uint32_t *const *rows, uint32_t *cnt,
                       uint64_t tally[4]) {
  counts16(e, rows, cnt);
  const uint32_t w = e->p.width;
  if (e->p.ratio == STRIFE__RATIO_EXACT) {
    par_decide_body(e, y, 0, cnt, tally);
    return;
  }
  const size_t c0 = (size_t)y * w;
  uint8_t *st = e->cst + c0;
  uint32_t *aux = e->caux + c0;
  const uint32_t *id = e->cid + c0;
  const float *ch = e->ch + c0, *cr = e->cr + c0;
  const __m256i one = _mm256_set1_epi32(1), zero = _mm256_setzero_si256();
  const __m256i nh = _mm256_set1_epi32((int)e->n_hard);
  const __m256i top = _mm256_set1_epi32((int)(e->ptab_n - 1u));
  const __m512d f0 = _mm512_set1_pd(e->factor[0]);
  const __m512d f1 = _mm512_set1_pd(e->factor[1]);
  const __m512d T = _mm512_set1_pd(e->p.threshold);
  const int own_turn = e->p.countdown == STRIFE__COUNT_OWN_TURN;
  const int again = e->p.self_again,
            even = e->p.ratio == STRIFE__RATIO_ROUND_EVEN;
  uint64_t tl[4] = {0, 0, 0, 0};
  uint32_t x = 0;
  for (; x + 8 <= w; x += 8) {
    __m256i s =
        _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(st + x)));
    __m256i a0 = _mm256_loadu_si256((const __m256i *)(aux + x));
    __mmask8 jl =
        own_turn ? _mm256_cmpeq_epi32_mask(s, _mm256_set1_epi32(STRIFE__JAILED))
                 : 0;
    __mmask8 zero_term = _mm256_cmpeq_epi32_mask(a0, zero);
    __mmask8 walk = jl & zero_term;
    __m256i a1 = _mm256_mask_sub_epi32(a0, jl & ~zero_term, a0, one);
    a1 = _mm256_mask_mov_epi32(a1, walk, _mm256_set1_epi32(-1));
    _mm256_storeu_si256((__m256i *)(aux + x), a1);
    __mmask8 was =
        _mm256_cmpeq_epi32_mask(s, _mm256_set1_epi32(STRIFE__ACTIVE));
    __mmask8 cit = was | walk |
                   _mm256_cmpeq_epi32_mask(s, _mm256_set1_epi32(STRIFE__QUIET));
    __m256i n = _mm256_loadu_si256((const __m256i *)(cnt + x));
    __m256i c = _mm256_and_si256(n, _mm256_set1_epi32(0xffff));
    __m256i a = _mm256_add_epi32(one, _mm256_srli_epi32(n, 16));
    a = _mm256_mask_sub_epi32(a, was, a, one);
    if (again) a = _mm256_mask_add_epi32(a, was, a, one);
    __m512d cd = _mm512_cvtepu32_pd(c), ad = _mm512_cvtepu32_pd(a);
    __m256i k = _mm512_cvttpd_epu32(_mm512_div_pd(cd, ad));
    if (even) {
      __m256i rem = _mm256_sub_epi32(c, _mm256_mullo_epi32(k, a));
      __m256i rem2 = _mm256_add_epi32(rem, rem);
      __mmask8 up =
          _mm256_cmpgt_epu32_mask(rem2, a) |
          (_mm256_cmpeq_epi32_mask(rem2, a) & _mm256_test_epi32_mask(k, one));
      k = _mm256_mask_add_epi32(k, up, k, one);
    }
    k = _mm256_min_epu32(k, top);
    __m512d p = _mm512_i32gather_pd(k, e->ptab, 8);
    __mmask8 hard = _mm256_cmplt_epu32_mask(
        _mm256_loadu_si256((const __m256i *)(id + x)), nh);
    __m512d g = _mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(ch + x)),
                              _mm512_mask_mov_pd(f0, hard, f1));
    __m512d risk = _mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(cr + x)), p);
    __mmask8 now = _mm512_cmp_pd_mask(_mm512_sub_pd(g, risk), T, _CMP_GT_OQ);
    __m256i ns = _mm256_mask_mov_epi32(
        s, cit,
        _mm256_mask_mov_epi32(_mm256_set1_epi32(STRIFE__QUIET), now,
                              _mm256_set1_epi32(STRIFE__ACTIVE)));
    _mm_storel_epi64((__m128i *)(st + x), _mm256_cvtepi32_epi8(ns));
    tally8(ns, hard, tl);
  }
  for (int i = 0; i < 4; i++)
    tally[i] += tl[i];
  par_decide_body(e, y, x, cnt, tally);
}

/* Targets of the movers 'm' among cells x0 .. x0 + 7 of row y; 'copm':
   those that are cops. */
static void sample8(struct strife__epstein *e, uint32_t x0, uint32_t y,
                    unsigned m, unsigned copm, const struct strife__pkeys *k,
                    uint32_t t[16]) {
  const struct strife__par *q = e->par;
  const uint32_t R = 2u * q->v + 1u;
  const __mmask8 mm = (__mmask8)m, cm = (__mmask8)copm;
  const __m512i lane = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
  __m512i hi[2 * 24 + 1];
  __m512i tot = _mm512_setzero_si512();
  const uint64_t *row = q->occ + (size_t)y * q->rw;
  for (uint32_t d = 0; d < R; d++, row += q->rw) {
    __m512i b = _mm512_set1_epi64((long long)strife__par_bits(row, x0));
    __m512i msk =
        _mm512_mask_blend_epi64(cm, _mm512_set1_epi64((long long)q->cit.m[d]),
                                _mm512_set1_epi64((long long)q->cops.m[d]));
    __m512i win = _mm512_andnot_si512(_mm512_srlv_epi64(b, lane), msk);
    tot = _mm512_add_epi64(tot, _mm512_popcnt_epi64(win));
    hi[d] = tot; /* empty cells in rows 0 .. d */
  }
  const __m512i r =
      _mm512_cvtepu32_epi64(par_draws8(y * e->p.width + x0, k->move));
  const __m512i prod = _mm512_mul_epu32(r, tot);
  __m512i kk = _mm512_srli_epi64(prod, 32);
  /* Lanes whose low product falls below the count may need a redraw
     (probability below 2^-25): par_finish settles them. */
  const __m512i low = _mm512_and_si512(prod, _mm512_set1_epi64(0xffffffff));
  __mmask8 any = _mm512_mask_cmpneq_epi64_mask(mm, tot, _mm512_setzero_si512());
  __mmask8 redo = _mm512_mask_cmplt_epu64_mask(any, low, tot);
  /* The k-th empty cell is in row d, the number of rows whose running count
     is at most k; the cells before it are the largest such count.  The
     compares do not depend on one another. */
  const __m512i one = _mm512_set1_epi64(1);
  __m512i seld = _mm512_setzero_si512(), base = _mm512_setzero_si512();
  for (uint32_t d = 0; d < R; d++) {
    __mmask8 le = _mm512_cmple_epu64_mask(hi[d], kk);
    seld = _mm512_mask_add_epi64(seld, le, seld, one);
    base = _mm512_mask_mov_epi64(base, le, hi[d]);
  }
  kk = _mm512_sub_epi64(kk, base);
  uint32_t rr[16], tt[16], k8[16], d8[16];
  _mm256_storeu_si256((__m256i *)rr, _mm512_cvtepi64_epi32(r));
  _mm256_storeu_si256((__m256i *)tt, _mm512_cvtepi64_epi32(tot));
  _mm256_storeu_si256((__m256i *)k8, _mm512_cvtepi64_epi32(kk));
  _mm256_storeu_si256((__m256i *)d8, _mm512_cvtepi64_epi32(seld));
  par_finish(e, x0, y, 8, any, redo, copm, rr, tt, k8, d8, k->move, t);
}

/* The cells of sixteen lanes (strife__par_cell_of) from the shape row
   'seld' of the chosen cell and the row's window 'ws', whose kk-th set bit
   it is: the bit is found by halves (where the low half holds no more
   than kk of them, it is skipped); then the padded column and row less v,
   wrapped. */
static __m512i cells16(const struct strife__epstein *e, uint32_t x0, uint32_t y,
                       __m512i seld, __m512i kk, __m512i ws) {
  const struct strife__par *q = e->par;
  const __m512i lane =
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  __m512i pos = _mm512_setzero_si512();
#define STRIFE__SKIP(S)                                                        \
  do {                                                                         \
    const __m512i c = _mm512_popcnt_epi32(                                     \
        _mm512_and_si512(ws, _mm512_set1_epi32((1 << (S)) - 1)));              \
    const __mmask16 ge = _mm512_cmpge_epu32_mask(kk, c);                       \
    kk = _mm512_mask_sub_epi32(kk, ge, kk, c);                                 \
    ws = _mm512_mask_srli_epi32(ws, ge, ws, (S));                              \
    pos = _mm512_mask_add_epi32(pos, ge, pos, _mm512_set1_epi32(S));           \
  } while (0)
  STRIFE__SKIP(16);
  STRIFE__SKIP(8);
  STRIFE__SKIP(4);
  STRIFE__SKIP(2);
  STRIFE__SKIP(1);
#undef STRIFE__SKIP
  const __m512i v = _mm512_set1_epi32((int)q->v);
  const __m512i w = _mm512_set1_epi32((int)e->p.width);
  const __m512i h = _mm512_set1_epi32((int)e->p.height);
  __m512i tx =
      _mm512_add_epi32(_mm512_add_epi32(_mm512_set1_epi32((int)x0), lane), pos);
  __m512i ty = _mm512_add_epi32(_mm512_set1_epi32((int)y), seld);
  tx = _mm512_mask_add_epi32(_mm512_sub_epi32(tx, v),
                             _mm512_cmplt_epu32_mask(tx, v),
                             _mm512_sub_epi32(tx, v), w);
  tx = _mm512_mask_sub_epi32(tx, _mm512_cmpge_epu32_mask(tx, w), tx, w);
  ty = _mm512_mask_add_epi32(_mm512_sub_epi32(ty, v),
                             _mm512_cmplt_epu32_mask(ty, v),
                             _mm512_sub_epi32(ty, v), h);
  ty = _mm512_mask_sub_epi32(ty, _mm512_cmpge_epu32_mask(ty, h), ty, h);
  return _mm512_add_epi32(_mm512_mullo_epi32(ty, w), tx);
}

/* sample8 sixteen cells at a time in 32-bit lanes, for visions up to 8,
   whose sixteen windows (15 + 2v + 1 bits) fit one 32-bit load. */
static void sample16(struct strife__epstein *e, uint32_t x0, uint32_t y,
                     unsigned m, unsigned copm, const struct strife__pkeys *k,
                     uint32_t t[16]) {
  const struct strife__par *q = e->par;
  const uint32_t R = 2u * q->v + 1u;
  const __mmask16 mm = (__mmask16)m, cm = (__mmask16)copm;
  const __m512i lane =
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  __m512i hi[2 * 8 + 1], win[2 * 8 + 1];
  __m512i tot = _mm512_setzero_si512();
  const uint64_t *row = q->occ + (size_t)y * q->rw;
  for (uint32_t d = 0; d < R; d++, row += q->rw) {
    __m512i b = _mm512_set1_epi32((int)(uint32_t)strife__par_bits(row, x0));
    __m512i msk = _mm512_mask_blend_epi32(
        cm, _mm512_set1_epi32((int)(uint32_t)q->cit.m[d]),
        _mm512_set1_epi32((int)(uint32_t)q->cops.m[d]));
    win[d] = _mm512_andnot_si512(_mm512_srlv_epi32(b, lane), msk);
    tot = _mm512_add_epi32(tot, _mm512_popcnt_epi32(win[d]));
    hi[d] = tot; /* empty cells in rows 0 .. d */
  }
  const __m512i r = _mm512_inserti64x4(
      _mm512_castsi256_si512(par_draws8(y * e->p.width + x0, k->move)),
      par_draws8(y * e->p.width + x0 + 8, k->move), 1);
  /* k = (r * tot) >> 32 by lane, from the even and odd lanes' products. */
  const __m512i pe = _mm512_mul_epu32(r, tot);
  const __m512i po =
      _mm512_mul_epu32(_mm512_srli_epi64(r, 32), _mm512_srli_epi64(tot, 32));
  const __mmask16 odd = 0xaaaa;
  __m512i kk = _mm512_mask_mov_epi32(_mm512_srli_epi64(pe, 32), odd, po);
  const __m512i low = _mm512_mask_mov_epi32(pe, odd, _mm512_slli_epi64(po, 32));
  __mmask16 any =
      _mm512_mask_cmpneq_epi32_mask(mm, tot, _mm512_setzero_si512());
  __mmask16 redo = _mm512_mask_cmplt_epu32_mask(any, low, tot);
  /* The row d of the k-th empty cell is the one whose running count first
     exceeds k; its window is kept as well. */
  const __m512i one = _mm512_set1_epi32(1);
  __m512i seld = _mm512_setzero_si512(), base = _mm512_setzero_si512();
  __m512i ws = _mm512_setzero_si512();
  __mmask16 before = 0xffff;
  for (uint32_t d = 0; d < R; d++) {
    __mmask16 le = _mm512_cmple_epu32_mask(hi[d], kk);
    seld = _mm512_mask_add_epi32(seld, le, seld, one);
    base = _mm512_mask_mov_epi32(base, le, hi[d]);
    ws = _mm512_mask_mov_epi32(ws, before & ~le, win[d]);
    before = le;
  }
  kk = _mm512_sub_epi32(kk, base);
  const __m512i cell = cells16(e, x0, y, seld, kk, ws);
  _mm512_storeu_si512(t, _mm512_mask_mov_epi32(_mm512_set1_epi32(-1), any,
                                               cell)); /* STRIFE__NOWHERE */
  if (redo) {                                          /* rare */
    uint32_t rr[16], tt[16];
    _mm512_storeu_si512(rr, r);
    _mm512_storeu_si512(tt, tot);
    par_redo(e, x0, y, redo, copm, rr, tt, k->move, t);
  }
}

static void claim_row(struct strife__epstein *e, uint32_t y,
                      const struct strife__pkeys *k, int alone) {
  if (e->par->v <= 8)
    par_claim_groups(e, y, k, alone, 16, sample16);
  else if (e->par->v <= 24)
    par_claim_groups(e, y, k, alone, 8, sample8);
  else /* eight windows no longer fit one load */
    par_claim_body(e, y, k, alone);
}

/* par_sums_body sixteen columns at a time: the sum up to column j of a
   32-bit piece is a popcount of the piece masked to bits 0 .. j. */
static void sums_row(const struct strife__par *q, uint32_t Y, uint32_t *out) {
  const uint64_t *cop = q->cop + (size_t)Y * q->rw;
  const uint64_t *act = q->act + (size_t)Y * q->rw;
  const __m512i j =
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i two = _mm512_set1_epi32(2), one = _mm512_set1_epi32(1);
  const __m512i upto[2] = {
      _mm512_sub_epi32(_mm512_sllv_epi32(two, j), one),
      _mm512_sub_epi32(
          _mm512_sllv_epi32(two, _mm512_add_epi32(j, _mm512_set1_epi32(16))),
          one)};
  uint32_t s = 0;
  out[0] = 0;
  for (uint32_t X = 0; X < q->pw; X += 32u) {
    const uint32_t c = (uint32_t)(cop[X >> 6] >> (X & 63u));
    const uint32_t a = (uint32_t)(act[X >> 6] >> (X & 63u));
    const __m512i C = _mm512_set1_epi32((int)c), A = _mm512_set1_epi32((int)a);
    for (uint32_t h = 0; h < 2u && X + 16u * h < q->pw; h++) {
      const uint32_t n = q->pw - X - 16u * h;
      const __mmask16 in =
          n >= 16u ? (__mmask16)0xffff : (__mmask16)((1u << n) - 1u);
      const __m512i v = _mm512_add_epi32(
          _mm512_add_epi32(
              _mm512_popcnt_epi32(_mm512_and_si512(C, upto[h])),
              _mm512_slli_epi32(
                  _mm512_popcnt_epi32(_mm512_and_si512(A, upto[h])), 16)),
          _mm512_set1_epi32((int)s));
      _mm512_mask_storeu_epi32(out + X + 16u * h + 1u, in, v);
    }
    s += (uint32_t)__builtin_popcount(c) +
         ((uint32_t)__builtin_popcount(a) << 16);
  }
}

const struct strife__par_ops strife__par_ops_avx512 = {"avx512", decide_row,
                                                       claim_row, sums_row};
