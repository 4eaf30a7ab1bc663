/* SPDX-License-Identifier: MIT */
/* The public uniform draw (see rand.h for the generator). */
#include "rand.h"

double strife_rand_u01(uint64_t seed, uint32_t id, uint32_t step,
                       uint32_t stream) {
  struct strife__r4 r = strife__rand4(seed, id, step, stream, 0);
  return strife__u01_from(r.v[0], r.v[1]);
}
