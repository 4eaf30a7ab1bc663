/* SPDX-License-Identifier: MIT */
/* What the benchmarks share: the source tree and a monotonic clock. */
#ifndef STRIFE_BENCH_BENCH_H
#define STRIFE_BENCH_BENCH_H

#include <time.h>

#ifndef STRIFE_SOURCE_DIR
#  define STRIFE_SOURCE_DIR "."
#endif

/* Seconds on the monotonic clock. */
static inline double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
