/* SPDX-License-Identifier: MIT */
/*
 * Bit planes over a torus lattice, stored as 8 x 8 tiles, and the
 * neighbourhood shapes counted on them.
 *
 * A plane holds one bit per cell (a cop is here, an active citizen is
 * here, the cell is taken) in 64-bit words, each word an 8 x 8 tile: bit
 * (row * 8 + column) of the tile.  When both sides of the lattice are
 * multiples of 8 ("aligned"), the torus wraps at tile boundaries and a
 * neighbourhood is a rectangle of tiles whose indices wrap.  Otherwise the
 * lattice is stored with 'pad' ghost cells on every side that mirror the
 * opposite edge, every cell is written in up to four places, and the
 * rectangle of tiles never wraps.  A shape of
 * vision v spans at most T x T tiles, T = (2v + 1 + 7) / 8 + 1, and for
 * each of the 64 alignments of its corner within a tile the shape keeps
 * T x T masks: counting the cops in a vision-7 neighbourhood is nine
 * loads, nine ANDs and nine popcounts, whatever the shape (lateral, disk,
 * diamond, with or without the own cell).
 *
 * With ghosts, one extra tile column and row of zeros at the far edges
 * keep the T x T reads inside the plane where the masks are zero.
 */
#ifndef STRIFE_LATTICE_GRID_H
#define STRIFE_LATTICE_GRID_H

#include <stdint.h>

#include "core/core.h"

/* Largest vision radius accepted. */
#define STRIFE__VISION_MAX 100
/* Tiles per side of the largest shape. */
#define STRIFE__TILES_MAX ((2 * STRIFE__VISION_MAX + 1 + 7) / 8 + 1)

enum strife__nbhd {
  STRIFE__NBHD_LATERAL,
  STRIFE__NBHD_DISK,
  STRIFE__NBHD_DIAMOND
};

struct strife__shape {
  int v;          /* radius */
  int own;        /* own cell included */
  uint32_t cells; /* cells seen */
  uint32_t t;     /* tiles per side of the span */
  uint64_t *mask; /* [64][t * t]: alignment (oy * 8 + ox), then tile */
  /* The offsets of the cells seen, own cell always left out: the cells an
     agent may move to, for drawing one at random. */
  uint32_t n_off;
  uint32_t reject; /* 2^16 mod n_off: 16-bit draws below it are redrawn */
  int16_t *off;    /* [n_off][2]: dx, dy */
  int32_t *delta;  /* [n_off]: dy * lattice width + dx, for cells far enough
                      from the edges that no offset wraps */
};

/* Builds the shape, its offsets and, when 'tiles' (the sequential
   update's tiled planes), its masks, on a lattice 'width' cells wide.
   Returns STRIFE_ENOMEM or STRIFE_OK. */
STRIFE__FUNC int strife__shape_init(struct strife__shape *s,
                                    const struct strife__alloc *a,
                                    enum strife__nbhd kind, int v, int own,
                                    uint32_t width, int tiles);
STRIFE__FUNC void strife__shape_free(struct strife__shape *s,
                                     const struct strife__alloc *a);
/* Bytes the masks take. */
STRIFE__FUNC size_t strife__shape_bytes(const struct strife__shape *s);

struct strife__grid {
  uint32_t w, h, pad; /* pad = 0 when aligned */
  int aligned;        /* sides multiples of 8: no ghosts */
  uint32_t tw, th;    /* tiles across and down (with ghosts: and margin) */
  size_t words;       /* words per plane */
};

/* Geometry for a w x h torus seen within 'vision' (2 vision < w, h): no
   ghosts if both sides are multiples of 8, else ghosts of 'vision'
   cells. */
STRIFE__FUNC void strife__grid_init(struct strife__grid *g, uint32_t w,
                                    uint32_t h, uint32_t vision);

/* Sets the bit of padded cell (X, Y). */
static inline void strife__tile_put(const struct strife__grid *g,
                                    uint64_t *plane, uint32_t X, uint32_t Y,
                                    int on) {
  uint64_t *word = &plane[(size_t)(Y >> 3) * g->tw + (X >> 3)];
  uint64_t bit = UINT64_C(1) << ((Y & 7u) << 3 | (X & 7u));
  if (on)
    *word |= bit;
  else
    *word &= ~bit;
}

/* The stored copies of one lattice cell: itself, and with ghosts up to
   three mirrors, as word indices and bits, the same in every plane.  With
   ghosts there are always four entries: where a cell has fewer copies the
   entries repeat, which setting or clearing a bit does not mind, so that no
   branch depends on where the cell is. */
struct strife__copies {
  int n;
  size_t word[4];
  uint64_t bit[4];
};

/* Padded column of lattice column x and of its ghost (the same column
   again when it has none); likewise for rows. */
static inline void strife__ghosts(uint32_t x, uint32_t w, uint32_t pad,
                                  uint32_t out[2]) {
  out[0] = x + pad;
  out[1] = x < pad ? x + pad + w : x >= w - pad ? x + pad - w : x + pad;
}

static inline void strife__copies_of(const struct strife__grid *g, uint32_t x,
                                     uint32_t y, struct strife__copies *c) {
  if (g->aligned) {
    c->n = 1;
    c->word[0] = (size_t)(y >> 3) * g->tw + (x >> 3);
    c->bit[0] = UINT64_C(1) << ((y & 7u) << 3 | (x & 7u));
    return;
  }
  uint32_t X[2], Y[2];
  strife__ghosts(x, g->w, g->pad, X);
  strife__ghosts(y, g->h, g->pad, Y);
  c->n = 4;
  for (int j = 0; j < 2; j++)
    for (int i = 0; i < 2; i++) {
      c->word[2 * j + i] = (size_t)(Y[j] >> 3) * g->tw + (X[i] >> 3);
      c->bit[2 * j + i] = UINT64_C(1) << ((Y[j] & 7u) << 3 | (X[i] & 7u));
    }
}

static inline void strife__copies_put(const struct strife__copies *c,
                                      uint64_t *plane, int on) {
  uint64_t set = on ? ~UINT64_C(0) : 0;
  for (int i = 0; i < c->n; i++)
    plane[c->word[i]] = (plane[c->word[i]] & ~c->bit[i]) | (c->bit[i] & set);
}

/* Sets the bit of lattice cell (x, y) to 'on', ghost copies included. */
static inline void strife__bit_put(const struct strife__grid *g,
                                   uint64_t *plane, uint32_t x, uint32_t y,
                                   int on) {
  struct strife__copies c;
  strife__copies_of(g, x, y, &c);
  strife__copies_put(&c, plane, on);
}

/* The tile rectangle and masks of shape 's' centred on cell (x, y): word
   index of tile (tx, ty) is row[ty] + col[tx]. */
struct strife__span {
  const uint64_t *m;                /* t * t masks */
  size_t row[STRIFE__TILES_MAX];    /* word offset of tile row ty */
  uint32_t rowi[STRIFE__TILES_MAX]; /* tile row index of ty */
  uint32_t col[STRIFE__TILES_MAX];  /* tile column index of tx */
};

/* Fills the span for 't' = s->t tiles a side; inlined with a constant 't'
   (3, the common case) it unrolls into a few scalar instructions. */
static inline void strife__span_fill(const struct strife__grid *g,
                                     const struct strife__shape *s, uint32_t x,
                                     uint32_t y, uint32_t t,
                                     struct strife__span *sp) {
  uint32_t v = (uint32_t)s->v, X, Y;
  if (g->aligned) {
    X = x >= v ? x - v : x + g->w - v;
    Y = y >= v ? y - v : y + g->h - v;
  } else {
    X = x + g->pad - v;
    Y = y + g->pad - v;
  }
  sp->m = s->mask + (size_t)((Y & 7u) << 3 | (X & 7u)) * t * t;
  uint32_t tx0 = X >> 3, ty0 = Y >> 3;
  for (uint32_t i = 0; i < t; i++) {
    uint32_t cx = tx0 + i, cy = ty0 + i;
    if (g->aligned) {
      cx -= cx >= g->tw ? g->tw : 0;
      cy -= cy >= g->th ? g->th : 0;
    }
    sp->col[i] = cx;
    sp->rowi[i] = cy;
    sp->row[i] = (size_t)cy * g->tw;
  }
}

static inline void strife__span_of(const struct strife__grid *g,
                                   const struct strife__shape *s, uint32_t x,
                                   uint32_t y, struct strife__span *sp) {
  if (s->t == 3)
    strife__span_fill(g, s, x, y, 3, sp);
  else
    strife__span_fill(g, s, x, y, s->t, sp);
}

/* Set bits of 'plane' inside shape 's' centred on (x, y). */
static inline uint32_t strife__shape_count(const struct strife__grid *g,
                                           const struct strife__shape *s,
                                           const uint64_t *plane, uint32_t x,
                                           uint32_t y) {
  struct strife__span sp;
  strife__span_of(g, s, x, y, &sp);
  uint32_t n = 0;
  for (uint32_t ty = 0; ty < s->t; ty++)
    for (uint32_t tx = 0; tx < s->t; tx++)
      n += (uint32_t)__builtin_popcountll(plane[sp.row[ty] + sp.col[tx]] &
                                          sp.m[ty * s->t + tx]);
  return n;
}

/* Position of the k-th (from 0) set bit of 'w'; 'w' has more than k.
   A binary search on the popcounts of halves, without branches: the bits
   chosen are random, so any branch on them would be mispredicted half the
   time. */
static inline uint32_t strife__select64(uint64_t w, uint32_t k) {
  uint32_t pos = 0;
  for (uint32_t half = 32; half; half >>= 1) {
    uint64_t low = w & ((UINT64_C(1) << half) - 1u);
    uint32_t c = (uint32_t)__builtin_popcountll(low);
    uint32_t up = k >= c; /* the bit is in the upper half */
    k -= up ? c : 0;
    w = up ? w >> half : low;
    pos += up ? half : 0;
  }
  return pos;
}

/* The lattice cell of bit 'b' of tile (tx, ty) of a span, as x, y. */
static inline void strife__span_cell(const struct strife__grid *g,
                                     const struct strife__span *sp, uint32_t tx,
                                     uint32_t ty, uint32_t b, uint32_t *x,
                                     uint32_t *y) {
  uint32_t X = sp->col[tx] * 8u + (b & 7u);
  uint32_t Y = sp->rowi[ty] * 8u + (b >> 3);
  if (g->aligned) {
    *x = X;
    *y = Y;
    return;
  }
  /* X - pad lies in [-pad, w + pad): one correction at most. */
  int64_t xx = (int64_t)X - g->pad, yy = (int64_t)Y - g->pad;
  if (xx < 0)
    xx += g->w;
  else if (xx >= g->w)
    xx -= g->w;
  if (yy < 0)
    yy += g->h;
  else if (yy >= g->h)
    yy -= g->h;
  *x = (uint32_t)xx;
  *y = (uint32_t)yy;
}

#endif
