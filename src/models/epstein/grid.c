/* SPDX-License-Identifier: MIT */
/* Tiled bit planes and the masks of neighbourhood shapes (see grid.h). */
#include "grid.h"

/* Half-width of row 'dy' of a shape of radius v, or -1 if the row is not
   in it. */
static int half_width(enum strife__nbhd kind, int v, int dy) {
  int ady = dy < 0 ? -dy : dy;
  switch (kind) {
  case STRIFE__NBHD_LATERAL:
    return dy == 0 ? v : 0;
  case STRIFE__NBHD_DISK: {
    /* Largest hw with hw^2 + dy^2 <= v^2, in integers. */
    int hw = 0;
    while ((hw + 1) * (hw + 1) + ady * ady <= v * v)
      hw++;
    return hw;
  }
  case STRIFE__NBHD_DIAMOND:
  default:
    return v - ady;
  }
}

int strife__shape_init(struct strife__shape *s, const struct strife__alloc *a,
                       enum strife__nbhd kind, int v, int own, uint32_t width,
                       int tiles) {
  s->v = v;
  s->own = own;
  s->t = (uint32_t)((2 * v + 1 + 7) / 8 + 1);
  size_t per = (size_t)s->t * s->t;
  s->mask = tiles ? strife__calloc(a, 64 * per, sizeof *s->mask) : NULL;
  s->n_off = 0;
  s->off =
      strife__calloc(a, (size_t)(2 * v + 1) * (2 * v + 1) * 2, sizeof *s->off);
  s->delta =
      strife__calloc(a, (size_t)(2 * v + 1) * (2 * v + 1), sizeof *s->delta);
  if ((tiles && !s->mask) || !s->off || !s->delta) {
    strife__shape_free(s, a);
    return STRIFE_ENOMEM;
  }
  s->cells = 0;
  for (int dy = -v; dy <= v; dy++) {
    int hw = half_width(kind, v, dy);
    for (int dx = -hw; dx <= hw; dx++) {
      if (dx || dy) {
        s->off[2 * s->n_off] = (int16_t)dx;
        s->off[2 * s->n_off + 1] = (int16_t)dy;
        s->delta[s->n_off] = dy * (int32_t)width + dx;
        s->n_off++;
      }
      if (dx == 0 && dy == 0 && !own) continue;
      s->cells++;
      /* Cell (dx, dy) sits at (v + dx, v + dy) from the span's corner. */
      for (uint32_t oy = 0; oy < 8 && tiles; oy++) {
        for (uint32_t ox = 0; ox < 8; ox++) {
          uint32_t X = ox + (uint32_t)(v + dx), Y = oy + (uint32_t)(v + dy);
          uint64_t *m = s->mask + (size_t)(oy * 8 + ox) * per;
          m[(Y >> 3) * s->t + (X >> 3)] |= UINT64_C(1)
                                           << ((Y & 7u) << 3 | (X & 7u));
        }
      }
    }
  }
  s->reject = s->n_off ? 65536u % s->n_off : 0;
  return STRIFE_OK;
}

void strife__shape_free(struct strife__shape *s,
                        const struct strife__alloc *a) {
  size_t side = 2 * (size_t)s->v + 1;
  if (s->mask)
    strife__free(a, s->mask, 64 * (size_t)s->t * s->t, sizeof *s->mask);
  strife__free(a, s->off, side * side * 2, sizeof *s->off);
  strife__free(a, s->delta, side * side, sizeof *s->delta);
  s->mask = NULL;
  s->off = NULL;
  s->delta = NULL;
}

size_t strife__shape_bytes(const struct strife__shape *s) {
  size_t side = 2 * (size_t)s->v + 1;
  return (s->mask ? 64 * (size_t)s->t * s->t * sizeof *s->mask : 0) +
         side * side * (2 * sizeof *s->off + sizeof *s->delta);
}

void strife__grid_init(struct strife__grid *g, uint32_t w, uint32_t h,
                       uint32_t vision) {
  g->w = w;
  g->h = h;
  g->aligned = w % 8u == 0 && h % 8u == 0;
  g->pad = g->aligned ? 0 : vision;
  if (g->aligned) {
    g->tw = w / 8u;
    g->th = h / 8u;
  } else {
    g->tw = (w + 2u * g->pad + 7u) / 8u + 1u;
    g->th = (h + 2u * g->pad + 7u) / 8u + 1u;
  }
  g->words = (size_t)g->tw * g->th;
}
