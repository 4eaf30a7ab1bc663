/* SPDX-License-Identifier: MIT */
/*
 * Tiled bit planes and neighbourhood shapes: sizes of the shapes, and
 * counts through the masks against a direct count over the torus, for
 * every cell of small lattices whose sides are not multiples of 8.
 */
#include <stdint.h>

#include "core/rand.h"
#include "harness.h"
#include "models/epstein/grid.h"
#include "shapes.h"

static struct strife__alloc alloc;

static uint32_t shape_size(enum strife__nbhd kind, int v, int own) {
  struct strife__shape s;
  CHECK_OK(strife__shape_init(&s, &alloc, kind, v, own, 64, 1));
  uint32_t n = s.cells;
  /* The masks hold exactly 'cells' bits at every alignment. */
  size_t per = (size_t)s.t * s.t;
  for (int al = 0; al < 64; al++) {
    uint32_t bits = 0;
    for (size_t i = 0; i < per; i++)
      bits += (uint32_t)__builtin_popcountll(s.mask[al * per + i]);
    CHECK_EQ(bits, n);
  }
  strife__shape_free(&s, &alloc);
  return n;
}

static void test_sizes(void) {
  CHECK_EQ(shape_size(STRIFE__NBHD_DISK, 7, 1), 149);
  CHECK_EQ(shape_size(STRIFE__NBHD_DIAMOND, 7, 0), 112);
  CHECK_EQ(shape_size(STRIFE__NBHD_DIAMOND, 7, 1), 113);
  CHECK_EQ(shape_size(STRIFE__NBHD_LATERAL, 7, 0), 28);
  CHECK_EQ(shape_size(STRIFE__NBHD_DISK, 1, 1), 5);
  CHECK_EQ(shape_size(STRIFE__NBHD_DISK, 2, 0), 12);
  /* Largest vision: (2v+1)^2 bounds the disk. */
  uint32_t big = shape_size(STRIFE__NBHD_DISK, STRIFE__VISION_MAX, 1);
  CHECK(big > 31000 && big < 201 * 201);
}

/* Random planes on a w x h torus: the mask count equals the direct count
   at every cell, for every shape kind. */
static void check_counts(uint32_t w, uint32_t h, int v, uint64_t seed) {
  struct strife__grid g;
  strife__grid_init(&g, w, h, (uint32_t)v);
  uint64_t *plane = calloc(g.words, sizeof *plane);
  unsigned char *cell = calloc((size_t)w * h, 1);
  for (uint32_t y = 0; y < h; y++)
    for (uint32_t x = 0; x < w; x++) {
      int on = strife_rand_u01(seed, y * w + x, 0, STRIFE__STREAM_TEST) < 0.4;
      cell[y * w + x] = (unsigned char)on;
      strife__bit_put(&g, plane, x, y, on);
    }
  for (int kind = 0; kind < 3; kind++) {
    for (int own = 0; own < 2; own++) {
      struct strife__shape s;
      CHECK_OK(strife__shape_init(&s, &alloc, (enum strife__nbhd)kind, v, own,
                                  w, 1));
      int bad = 0;
      for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
          uint32_t direct = 0;
          for (int dy = -v; dy <= v; dy++)
            for (int dx = -v; dx <= v; dx++)
              if (in_shape_ref((enum strife__nbhd)kind, v, own, dx, dy))
                direct += cell[((y + h + (uint32_t)dy) % h) * w +
                               (x + w + (uint32_t)dx) % w];
          if (strife__shape_count(&g, &s, plane, x, y) != direct) bad++;
        }
      }
      CHECK_MSG(bad == 0, "%ux%u v=%d kind=%d own=%d: %d cells differ", w, h, v,
                kind, own, bad);
      strife__shape_free(&s, &alloc);
    }
  }
  free(plane);
  free(cell);
}

static void test_select(void) {
  uint64_t w = UINT64_C(0x8000100000000a01);
  CHECK_EQ(strife__select64(w, 0), 0);
  CHECK_EQ(strife__select64(w, 1), 9);
  CHECK_EQ(strife__select64(w, 2), 11);
  CHECK_EQ(strife__select64(w, 3), 44);
  CHECK_EQ(strife__select64(w, 4), 63);
  CHECK_EQ(strife__select64(~UINT64_C(0), 37), 37);
}

int main(void) {
  strife__alloc_init(&alloc, NULL);
  printf("test_grid: seeds 1..4 (fixed)\n");
  test_sizes();
  test_select();
  check_counts(15, 15, 7, 1);
  check_counts(40, 17, 7, 2);
  check_counts(23, 31, 3, 3);
  check_counts(64, 9, 1, 4);
  check_counts(61, 59, 29, 5);
  /* Sides multiples of 8: tiles wrap, no ghosts. */
  check_counts(40, 40, 7, 6);
  check_counts(16, 24, 7, 7);
  check_counts(64, 64, 29, 8);
  check_counts(8, 8, 3, 9);
  return test_report("grid");
}
