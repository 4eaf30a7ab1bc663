/* SPDX-License-Identifier: MIT */
/* The neighbourhood shapes by their definitions, to check the masks and
   views against. */
#ifndef STRIFE_TESTS_SHAPES_H
#define STRIFE_TESTS_SHAPES_H

#include "models/epstein/grid.h"

/* Whether offset (dx, dy) is in the shape of 'kind' and radius 'v'. */
static inline int in_shape_ref(enum strife__nbhd kind, int v, int own, int dx,
                               int dy) {
  if (dx == 0 && dy == 0) return own;
  int ax = dx < 0 ? -dx : dx, ay = dy < 0 ? -dy : dy;
  switch (kind) {
  case STRIFE__NBHD_LATERAL:
    return (dx == 0 && ay <= v) || (dy == 0 && ax <= v);
  case STRIFE__NBHD_DISK:
    return dx * dx + dy * dy <= v * v;
  default:
    return ax + ay <= v;
  }
}

#endif
