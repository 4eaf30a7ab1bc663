/* SPDX-License-Identifier: MIT */
/*
 * Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror and
 * Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC11).
 *
 * Every draw is a pure function of (seed, counter).  The counter names the
 * use: (id, step, stream, n) with 'id' the agent (or other object), 'step'
 * the tick, 'stream' one value of enum strife__stream per kind of use, and
 * 'n' a block number when one use needs more than four words.  So a draw
 * never depends on which thread or rank makes it, nor on how many draws
 * were made before it: that is what makes runs reproducible whatever the
 * thread count.
 */
#ifndef STRIFE_CORE_RAND_H
#define STRIFE_CORE_RAND_H

#include <stdint.h>

#include "core.h"

/* One value per use of randomness.  Never reorder: the numbers are part of
   the meaning of a seed. */
enum strife__stream {
  STRIFE__STREAM_PLACE = 1, /* initial placement */
  STRIFE__STREAM_TRAITS,    /* hardship and risk aversion */
  STRIFE__STREAM_SHUFFLE,   /* order of agents in a sequential tick */
  STRIFE__STREAM_TURN,      /* an agent's own draws in a tick */
  STRIFE__STREAM_RELEASE,   /* re-entry cell of a released citizen */
  STRIFE__STREAM_COPS,      /* cops added or withdrawn by a schedule */
  STRIFE__STREAM_PRIORITY,  /* move conflicts in the parallel update */
  STRIFE__STREAM_MOVE,      /* move targets in the parallel update: the
                               words of block n serve agents 4n .. 4n+3 */
  STRIFE__STREAM_ATTACKS,   /* a province's attacks and their marks */
  STRIFE__STREAM_STRATEGY,  /* the strategic layer's national draws */
  STRIFE__STREAM_DESIGN,    /* experiment designs and bootstraps */
  STRIFE__STREAM_ABC,       /* calibration's proposals */
  STRIFE__STREAM_POSTERIOR, /* a run's draw from a posterior sample */
  STRIFE__STREAM_TEST = 100 /* reserved for tests */
};

struct strife__r4 {
  uint32_t v[4];
};

static inline void strife__philox_round(uint32_t c[4], const uint32_t k[2]) {
  uint64_t p0 = (uint64_t)0xD2511F53u * c[0];
  uint64_t p1 = (uint64_t)0xCD9E8D57u * c[2];
  uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
  uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
  uint32_t n0 = hi1 ^ c[1] ^ k[0];
  uint32_t n2 = hi0 ^ c[3] ^ k[1];
  c[0] = n0;
  c[1] = lo1;
  c[2] = n2;
  c[3] = lo0;
}

/* Philox4x32-10 of counter 'ctr' under key 'key'. */
static inline struct strife__r4 strife__philox(const uint32_t ctr[4],
                                               const uint32_t key[2]) {
  uint32_t c[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
  uint32_t k[2] = {key[0], key[1]};
  for (int r = 0; r < 10; r++) {
    if (r) {
      k[0] += 0x9E3779B9u;
      k[1] += 0xBB67AE85u;
    }
    strife__philox_round(c, k);
  }
  struct strife__r4 out = {{c[0], c[1], c[2], c[3]}};
  return out;
}

/* Four words for (seed; id, step, stream, n). */
static inline struct strife__r4 strife__rand4(uint64_t seed, uint32_t id,
                                              uint32_t step, uint32_t stream,
                                              uint32_t n) {
  uint32_t ctr[4] = {id, step, stream, n};
  uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  return strife__philox(ctr, key);
}

/* A uniform double in [0, 1) from two words, with 53 random bits. */
static inline double strife__u01_from(uint32_t hi, uint32_t lo) {
  uint64_t x = ((uint64_t)hi << 21) ^ (lo >> 11);
  return (double)(x & ((UINT64_C(1) << 53) - 1)) * 0x1.0p-53;
}

/* A uniform float in [0, 1) from one word, with 24 random bits. */
static inline float strife__u01f_from(uint32_t w) {
  return (float)(w >> 8) * 0x1.0p-24f;
}

/* floor(w * n / 2^32): an integer in [0, n) from one word.  The bias is at
   most n / 2^32 (below 5e-8 for the neighbourhood sizes it serves); use
   strife__stream_below for large ranges. */
static inline uint32_t strife__below(uint32_t w, uint32_t n) {
  return (uint32_t)(((uint64_t)w * n) >> 32);
}

/* A sequence of words from one counter prefix (id, step, stream), for uses
   that need many draws in a fixed order (shuffles, rejection sampling). */
struct strife__rstream {
  uint32_t key[2];
  uint32_t ctr[4];
  struct strife__r4 buf;
  unsigned used; /* words of 'buf' consumed; 4 = empty */
};

static inline void strife__rstream_init(struct strife__rstream *s,
                                        uint64_t seed, uint32_t id,
                                        uint32_t step, uint32_t stream) {
  s->key[0] = (uint32_t)seed;
  s->key[1] = (uint32_t)(seed >> 32);
  s->ctr[0] = id;
  s->ctr[1] = step;
  s->ctr[2] = stream;
  s->ctr[3] = 0;
  s->used = 4;
}

static inline uint32_t strife__rstream_u32(struct strife__rstream *s) {
  if (s->used == 4) {
    s->buf = strife__philox(s->ctr, s->key);
    s->ctr[3]++;
    s->used = 0;
  }
  return s->buf.v[s->used++];
}

/* Exactly uniform integer in [0, n), n >= 1 (Lemire's multiply with
   rejection of the biased low products). */
static inline uint32_t strife__rstream_below(struct strife__rstream *s,
                                             uint32_t n) {
  uint64_t m = (uint64_t)strife__rstream_u32(s) * n;
  uint32_t low = (uint32_t)m;
  if (low < n) {
    uint32_t threshold = (uint32_t)(-n) % n;
    while (low < threshold) {
      m = (uint64_t)strife__rstream_u32(s) * n;
      low = (uint32_t)m;
    }
  }
  return (uint32_t)(m >> 32);
}

static inline double strife__rstream_u01(struct strife__rstream *s) {
  uint32_t hi = strife__rstream_u32(s);
  uint32_t lo = strife__rstream_u32(s);
  return strife__u01_from(hi, lo);
}

/*
 * A cheaper sequence for the sequential update, which draws a few words
 * per agent and tick: SplitMix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014), word i = mix(s0 + i g)
 * for the golden-ratio increment g.  It too is counter-based; its start s0
 * is a Philox draw of (seed; id, step, stream), so each (tick, use) gets
 * its own sequence.  It passes BigCrush as a sequence; the parallel update,
 * whose draws are keyed per agent, keeps Philox.
 */
struct strife__sm64 {
  uint64_t s;
};

static inline void strife__sm64_init(struct strife__sm64 *g, uint64_t seed,
                                     uint32_t id, uint32_t step,
                                     uint32_t stream) {
  struct strife__r4 r = strife__rand4(seed, id, step, stream, 0);
  g->s = (uint64_t)r.v[0] << 32 | r.v[1];
}

static inline uint64_t strife__sm64_next(struct strife__sm64 *g) {
  uint64_t z = (g->s += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Exactly uniform integer in [0, n), 1 <= n < 2^32 (Lemire's method on
   the high 32 bits of each word). */
static inline uint32_t strife__sm64_below(struct strife__sm64 *g, uint32_t n) {
  uint64_t m = (strife__sm64_next(g) >> 32) * n;
  if ((uint32_t)m < n) {
    uint32_t threshold = (uint32_t)(-n) % n;
    while ((uint32_t)m < threshold)
      m = (strife__sm64_next(g) >> 32) * n;
  }
  return (uint32_t)(m >> 32);
}

#endif
