/* SPDX-License-Identifier: MIT */
/*
 * Random numbers: Philox4x32-10 against the known-answer vectors published
 * with Random123 (Salmon et al. 2011), and the derived draws against their
 * distributions.
 */
#include <stdint.h>

#include "core/rand.h"
#include "harness.h"

static void test_known_answers(void) {
  static const struct {
    uint32_t ctr[4], key[2], out[4];
  } kat[] = {
      {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
       {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
       {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
    struct strife__r4 r = strife__philox(kat[i].ctr, kat[i].key);
    for (int j = 0; j < 4; j++)
      CHECK_EQ(r.v[j], kat[i].out[j]);
  }
}

/* The public draw is a pure function of its arguments, and its known
   answer pins the mapping from words to doubles. */
static void test_u01(void) {
  double a = strife_rand_u01(42, 7, 3, 1), b = strife_rand_u01(42, 7, 3, 1);
  CHECK(a == b);
  CHECK(a != strife_rand_u01(42, 7, 3, 2));
  CHECK(a != strife_rand_u01(43, 7, 3, 1));
  /* Known answer: counter (0,0,0,0), key 0 gives words 6627e8d5 e169c58d;
     u = ((0x6627e8d5 << 21) ^ (0xe169c58d >> 11)) / 2^53. */
  double expect =
      (double)(((uint64_t)0x6627e8d5u << 21) ^ (0xe169c58du >> 11)) * 0x1.0p-53;
  CHECK(strife_rand_u01(0, 0, 0, 0) == expect);
  /* Mean 1/2 and variance 1/12 over 10^6 draws: standard errors 2.9e-4
     and 8.3e-5, tolerances at about 5 of them. */
  const int n = 1000000;
  double s = 0, s2 = 0;
  double lo = 1, hi = 0;
  for (int i = 0; i < n; i++) {
    double u = strife_rand_u01(2024, (uint32_t)i, 0, STRIFE__STREAM_TEST);
    s += u;
    s2 += u * u;
    lo = u < lo ? u : lo;
    hi = u > hi ? u : hi;
  }
  double mean = s / n, var = s2 / n - mean * mean;
  CHECK_NEAR(mean, 0.5, 1.5e-3);
  CHECK_NEAR(var, 1.0 / 12.0, 4e-4);
  CHECK(lo >= 0.0 && hi < 1.0);
}

/* Chi-square of rstream_below over 7 bins: 6 degrees of freedom, the 99.9 %
   quantile is 22.46. */
static void test_below(void) {
  struct strife__rstream rs;
  strife__rstream_init(&rs, 99, 1, 2, STRIFE__STREAM_TEST);
  enum { BINS = 7, N = 700000 };
  long count[BINS] = {0};
  for (int i = 0; i < N; i++) {
    uint32_t k = strife__rstream_below(&rs, BINS);
    CHECK(k < BINS);
    if (k < BINS) count[k]++;
  }
  double chi2 = 0, e = (double)N / BINS;
  for (int b = 0; b < BINS; b++)
    chi2 += (count[b] - e) * (count[b] - e) / e;
  CHECK_MSG(chi2 < 22.46, "chi2 = %g", chi2);
  /* A stream is a pure function of its start and of the words taken. */
  struct strife__rstream a, b;
  strife__rstream_init(&a, 5, 6, 7, 8);
  strife__rstream_init(&b, 5, 6, 7, 8);
  for (int i = 0; i < 100; i++)
    CHECK_EQ(strife__rstream_u32(&a), strife__rstream_u32(&b));
  /* n = 1 always gives 0; n = 2^32 - 1 stays in range. */
  CHECK_EQ(strife__rstream_below(&a, 1), 0);
  CHECK(strife__rstream_below(&a, 0xffffffffu) < 0xffffffffu);
}

/* SplitMix64 from state 0: the generator's published first words. */
static void test_sm64(void) {
  struct strife__sm64 g = {0};
  CHECK(strife__sm64_next(&g) == UINT64_C(0xe220a8397b1dcdaf));
  CHECK(strife__sm64_next(&g) == UINT64_C(0x6e789e6aa1b965f4));
  CHECK(strife__sm64_next(&g) == UINT64_C(0x06c45d188009454f));
  /* Bounded draws: chi-square over 7 bins as for the Philox stream. */
  strife__sm64_init(&g, 3, 1, 2, STRIFE__STREAM_TEST);
  enum { BINS = 7, N = 700000 };
  long count[BINS] = {0};
  for (int i = 0; i < N; i++) {
    uint32_t k = strife__sm64_below(&g, BINS);
    if (k < BINS)
      count[k]++;
    else
      CHECK(k < BINS);
  }
  double chi2 = 0, e = (double)N / BINS;
  for (int b = 0; b < BINS; b++)
    chi2 += (count[b] - e) * (count[b] - e) / e;
  CHECK_MSG(chi2 < 22.46, "chi2 = %g", chi2);
}

int main(void) {
  printf("test_rand: seeds 2024, 99 (fixed)\n");
  test_known_answers();
  test_u01();
  test_below();
  test_sm64();
  return test_report("rand");
}
