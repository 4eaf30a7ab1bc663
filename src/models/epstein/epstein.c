/* SPDX-License-Identifier: MIT */
/*
 * The Epstein lattice: creation and placement, the cell operations and
 * neighbourhood queries both updates share, schedules of legitimacy and of
 * cops, and the observations.  The per-tick updates live in
 * epstein_seq.c and epstein_par.c.
 */
#include "epstein.h"

#include <math.h>
#include <string.h>

#include "core/rand.h"
#include "par.h"

/* ------------------------------------------------------------------ */
/* Small pure functions                                               */
/* ------------------------------------------------------------------ */

uint32_t strife__epstein_ratio_int(enum strife__ratio r, uint32_t c,
                                   uint32_t a) {
  uint32_t q = c / a, rem = c % a;
  if (r == STRIFE__RATIO_ROUND_EVEN) {
    /* Exact in integers: compare 2 * rem with a. */
    if (2u * rem > a || (2u * rem == a && (q & 1u))) q++;
  }
  return q;
}

uint32_t strife__epstein_jail_term(enum strife__jail_term t, uint32_t jmax,
                                   uint32_t word) {
  switch (t) {
  case STRIFE__TERM_CONTINUOUS:
    /* U(0, J] served in whole ticks: ceil(u * J) for u in (0, 1]. */
    return 1u + strife__below(word, jmax);
  case STRIFE__TERM_EXCLUSIVE:
    return strife__below(word, jmax);
  case STRIFE__TERM_INCLUSIVE:
  default:
    return strife__below(word, jmax + 1u);
  }
}

/* ------------------------------------------------------------------ */
/* Cells                                                              */
/* ------------------------------------------------------------------ */

void strife__epstein_cell_refresh(struct strife__epstein *e, uint32_t p) {
  uint32_t head = e->who[strife__cell(e, p)];
  int taken = head != STRIFE__EMPTY;
  uint8_t st = taken ? e->state[head] : STRIFE__QUIET;
  struct strife__copies c;
  strife__copies_of(&e->g, strife__px(p), strife__py(p), &c);
  strife__copies_put(&c, e->occ, taken);
  strife__copies_put(&c, e->cop, taken && st == STRIFE__COP);
  strife__copies_put(&c, e->act, taken && st == STRIFE__ACTIVE);
  if (e->shared_cells)
    strife__copies_put(&c, e->multi, taken && e->next[head] != STRIFE__EMPTY);
}

/* The bits of a cell that gets 'agent' as its only agent ('on'), or
   loses it: setting touches only the planes its state needs; clearing
   clears all three, since the state may have changed while it was there. */
static inline void put_single(struct strife__epstein *e, uint32_t agent,
                              uint32_t p, int on) {
  struct strife__copies c;
  strife__copies_of(&e->g, strife__px(p), strife__py(p), &c);
  strife__copies_put(&c, e->occ, on);
  uint8_t st = e->state[agent];
  if (!on || st == STRIFE__COP) strife__copies_put(&c, e->cop, on);
  if (!on || st == STRIFE__ACTIVE) strife__copies_put(&c, e->act, on);
}

void strife__epstein_cell_add(struct strife__epstein *e, uint32_t agent,
                              uint32_t p) {
  uint32_t cell = strife__cell(e, p);
  if (!e->shared_cells) {
    e->who[cell] = agent;
    e->pos[agent] = p;
    put_single(e, agent, p, 1);
    return;
  }
  /* Appended at the tail, so the head (and the head bits) of a taken cell
     do not change. */
  e->next[agent] = STRIFE__EMPTY;
  uint32_t *link = &e->who[cell];
  while (*link != STRIFE__EMPTY)
    link = &e->next[*link];
  *link = agent;
  e->pos[agent] = p;
  strife__epstein_cell_refresh(e, p);
}

void strife__epstein_cell_remove(struct strife__epstein *e, uint32_t agent,
                                 uint32_t p) {
  uint32_t cell = strife__cell(e, p);
  if (!e->shared_cells) {
    e->who[cell] = STRIFE__EMPTY;
    put_single(e, agent, p, 0);
    return;
  }
  uint32_t *link = &e->who[cell];
  while (*link != agent)
    link = &e->next[*link];
  *link = e->next[agent];
  e->next[agent] = STRIFE__EMPTY;
  strife__epstein_cell_refresh(e, p);
}

/* Cops and actives among the agents of 'cell' from agent 'a' on. */
static void chain_count(const struct strife__epstein *e, uint32_t a,
                        uint32_t *cops, uint32_t *actives) {
  for (; a != STRIFE__EMPTY; a = e->shared_cells ? e->next[a] : STRIFE__EMPTY) {
    *cops += e->state[a] == STRIFE__COP;
    *actives += e->state[a] == STRIFE__ACTIVE;
  }
}

/* Adds the agents after the heads of the shared cells inside 'shape'. */
static void shared_extras(const struct strife__epstein *e,
                          const struct strife__shape *shape, uint32_t x,
                          uint32_t y, uint32_t *cops, uint32_t *actives) {
  const struct strife__grid *g = &e->g;
  struct strife__span sp;
  strife__span_of(g, shape, x, y, &sp);
  for (uint32_t ty = 0; ty < shape->t; ty++) {
    for (uint32_t tx = 0; tx < shape->t; tx++) {
      uint64_t w = e->multi[sp.row[ty] + sp.col[tx]] & sp.m[ty * shape->t + tx];
      for (; w; w &= w - 1) {
        uint32_t cx, cy;
        strife__span_cell(g, &sp, tx, ty, (uint32_t)__builtin_ctzll(w), &cx,
                          &cy);
        chain_count(e, e->next[e->who[cy * g->w + cx]], cops, actives);
      }
    }
  }
}

/* Counts over a span of t x t tiles; 't' is a constant where inlined
   with one, so the loops unroll.  Cops and actives, and empty cells, are
   separate passes: every caller of the agent loop wants one or the
   other. */
static inline void look_tiles(const struct strife__span *sp, uint32_t t,
                              const uint64_t *restrict cop,
                              const uint64_t *restrict act,
                              const uint64_t *restrict occ, int counts,
                              int empties, uint32_t *c_out, uint32_t *a_out,
                              struct strife__view *out) {
  uint32_t c = 0, a = 0, m = 0;
  for (uint32_t j = 0; counts && j < t * t; j++) {
    size_t i = sp->row[j / t] + sp->col[j % t];
    c += (uint32_t)__builtin_popcountll(cop[i] & sp->m[j]);
    a += (uint32_t)__builtin_popcountll(act[i] & sp->m[j]);
  }
  for (uint32_t j = 0; empties && j < t * t; j++) {
    size_t i = sp->row[j / t] + sp->col[j % t];
    out->tile_empty[j] = (uint32_t)__builtin_popcountll(~occ[i] & sp->m[j]);
    m += out->tile_empty[j];
  }
  out->empty = m;
  *c_out = c;
  *a_out = a;
}

/*
 * The hot loop of both updates: one pass over the tiles of the shape,
 * reading the three planes at the same word.  Vision 4 to 11 spans 3 x 3
 * tiles, the common case, which gets its own unrolled copy.
 */
void strife__epstein_look(const struct strife__epstein *e,
                          const struct strife__shape *shape, uint32_t p,
                          int self_active, int counts, int empties,
                          struct strife__view *out) {
  const uint32_t x = strife__px(p), y = strife__py(p);
  struct strife__span *sp = &out->sp;
  uint32_t c, a;
  if (shape->t == 3) {
    strife__span_fill(&e->g, shape, x, y, 3, sp);
    look_tiles(sp, 3, e->cop, e->act, e->occ, counts, empties, &c, &a, out);
  } else {
    strife__span_fill(&e->g, shape, x, y, shape->t, sp);
    look_tiles(sp, shape->t, e->cop, e->act, e->occ, counts, empties, &c, &a,
               out);
  }
  if (!counts) {
    out->cops = out->actives = 0;
    return;
  }
  if (e->shared_cells) shared_extras(e, shape, x, y, &c, &a);
  /* With the own cell in the shape, the caller saw itself. */
  if (shape->own && self_active) a -= 1;
  out->cops = c;
  out->actives = a;
}

/* The tile holding the k-th empty cell, found without branching on the
   (random) counts; 'n' tiles. */
static inline uint32_t find_tile(const uint32_t *tile_empty, uint32_t n,
                                 uint32_t k, uint32_t *before) {
  uint32_t i = 0, b = 0, cum = 0;
  for (uint32_t j = 0; j < n; j++) {
    cum += tile_empty[j];
    uint32_t past = cum <= k;
    i += past;
    b = past ? cum : b;
  }
  *before = b;
  return i;
}

uint32_t strife__epstein_view_empty(const struct strife__epstein *e,
                                    const struct strife__shape *shape,
                                    const struct strife__view *v, uint32_t k) {
  const uint32_t t = shape->t, n = t * t;
  uint32_t before;
  uint32_t i = t == 3 ? find_tile(v->tile_empty, 9, k, &before)
                      : find_tile(v->tile_empty, n, k, &before);
  if (i >= n) return STRIFE__NOWHERE;
  uint32_t ty = i / t, tx = i - ty * t;
  const struct strife__span *sp = &v->sp;
  uint64_t w = ~e->occ[sp->row[ty] + sp->col[tx]] & sp->m[i];
  uint32_t cx, cy;
  strife__span_cell(&e->g, sp, tx, ty, strife__select64(w, k - before), &cx,
                    &cy);
  return strife__pack(cx, cy);
}

uint32_t strife__span_select(const struct strife__grid *g,
                             const struct strife__shape *shape,
                             const struct strife__span *sp,
                             const uint64_t *plane, uint32_t *k) {
  for (uint32_t i = 0; i < shape->t * shape->t; i++) {
    uint32_t ty = i / shape->t, tx = i % shape->t;
    uint64_t w = plane[sp->row[ty] + sp->col[tx]] & sp->m[i];
    uint32_t c = (uint32_t)__builtin_popcountll(w);
    if (*k >= c) {
      *k -= c;
      continue;
    }
    uint32_t cx, cy;
    strife__span_cell(g, sp, tx, ty, strife__select64(w, *k), &cx, &cy);
    return cy * g->w + cx;
  }
  return STRIFE__NOWHERE;
}

uint32_t strife__epstein_pick_active(const struct strife__epstein *e,
                                     const struct strife__shape *shape,
                                     uint32_t p, uint32_t k) {
  const struct strife__grid *g = &e->g;
  struct strife__span sp;
  strife__span_of(g, shape, strife__px(p), strife__py(p), &sp);
  const uint32_t n = shape->t * shape->t;
  /* Heads first, in tile order... */
  uint32_t cell = strife__span_select(g, shape, &sp, e->act, &k);
  if (cell != STRIFE__NOWHERE) return e->who[cell];
  /* ...then the agents after the heads of shared cells. */
  for (uint32_t i = 0; e->shared_cells && i < n; i++) {
    uint32_t ty = i / shape->t, tx = i % shape->t;
    uint64_t w = e->multi[sp.row[ty] + sp.col[tx]] & sp.m[i];
    for (; w; w &= w - 1) {
      uint32_t cx, cy;
      strife__span_cell(g, &sp, tx, ty, (uint32_t)__builtin_ctzll(w), &cx, &cy);
      for (uint32_t a = e->next[e->who[cy * g->w + cx]]; a != STRIFE__EMPTY;
           a = e->next[a]) {
        if (e->state[a] != STRIFE__ACTIVE) continue;
        if (k == 0) return a;
        k--;
      }
    }
  }
  return STRIFE__NOWHERE;
}

/* Rejection first; a full count when the lattice is nearly full. */
uint32_t strife__epstein_random_empty(const struct strife__epstein *e,
                                      const uint32_t *cells,
                                      struct strife__rstream *rs) {
  uint32_t w = e->p.width;
  for (int tries = 0; tries < 64; tries++) {
    uint32_t c = strife__rstream_below(rs, e->n_cells);
    if (cells[c] == STRIFE__EMPTY) return strife__pack(c % w, c / w);
  }
  uint32_t n = 0;
  for (uint32_t c = 0; c < e->n_cells; c++)
    n += cells[c] == STRIFE__EMPTY;
  if (!n) return STRIFE__NOWHERE;
  uint32_t k = strife__rstream_below(rs, n);
  for (uint32_t c = 0; c < e->n_cells; c++)
    if (cells[c] == STRIFE__EMPTY && k-- == 0)
      return strife__pack(c % w, c / w);
  return STRIFE__NOWHERE;
}

int strife__epstein_release(struct strife__epstein *e, uint32_t a) {
  switch (e->p.jailed) {
  case STRIFE__JAILED_REMOVED: {
    struct strife__rstream rs;
    strife__rstream_init(&rs, e->seed, a, (uint32_t)e->tick,
                         STRIFE__STREAM_RELEASE);
    uint32_t c = strife__epstein_random_empty(e, e->who, &rs);
    if (c == STRIFE__NOWHERE) return 0;
    e->state[a] = STRIFE__QUIET;
    strife__epstein_cell_add(e, a, c);
    return 1;
  }
  case STRIFE__JAILED_STAYS_EMPTY:
    e->state[a] = STRIFE__QUIET;
    strife__epstein_cell_add(e, a, e->pos[a]);
    return 1;
  case STRIFE__JAILED_STAYS_BLOCKING:
  default:
    e->state[a] = STRIFE__QUIET;
    strife__epstein_cell_refresh(e, e->pos[a]);
    return 1;
  }
}

void strife__epstein_arrest(struct strife__epstein *e, uint32_t cop, uint32_t s,
                            uint32_t word) {
  uint32_t cell = e->pos[s];
  uint32_t term = strife__epstein_jail_term(e->p.term, e->p.max_jail, word);
  e->arrests++;
  e->arrests_by[s < e->n_hard]++;
  if (term == 0 && e->p.countdown == STRIFE__COUNT_TICK_END) {
    /* Sentenced to nothing: deactivated, never jailed (NetLogo). */
    e->state[s] = STRIFE__QUIET;
    strife__epstein_cell_refresh(e, cell);
  } else {
    e->state[s] = STRIFE__JAILED;
    e->jail[s] = term;
    switch (e->p.jailed) {
    case STRIFE__JAILED_REMOVED:
      strife__epstein_cell_remove(e, s, cell);
      e->pos[s] = STRIFE__NOWHERE;
      break;
    case STRIFE__JAILED_STAYS_EMPTY:
      strife__epstein_cell_remove(e, s,
                                  cell); /* keeps pos[s] for the release */
      break;
    case STRIFE__JAILED_STAYS_BLOCKING:
    default:
      strife__epstein_cell_refresh(e, cell);
      break;
    }
  }
  if (e->p.cop_after == STRIFE__COP_TO_ARRESTEE && e->pos[cop] != cell) {
    strife__epstein_cell_remove(e, cop, e->pos[cop]);
    strife__epstein_cell_add(e, cop, cell);
  }
}

void strife__epstein_jail_countdown(struct strife__epstein *e, uint32_t lo,
                                    uint32_t hi) {
  for (uint32_t a = lo; a < hi; a++) {
    if (e->state[a] != STRIFE__JAILED) continue;
    if (e->jail[a] > 0) e->jail[a]--;
    if (e->jail[a] == 0) strife__epstein_release(e, a);
  }
}

/* ------------------------------------------------------------------ */
/* Schedules of cops                                                  */
/* ------------------------------------------------------------------ */

/* Brings the number of cops on the lattice to round(density * cells):
   withdraws randomly chosen cops, or sends cops from the reserve to random
   empty cells. */
static void set_cops(struct strife__epstein *e, uint32_t want) {
  uint32_t cap = e->n_agents - e->n_cit;
  if (want > cap) want = cap;
  if (e->p.update == STRIFE__UPDATE_PARALLEL) {
    strife__epstein_par_adjust_cops(e, want);
    return;
  }
  struct strife__rstream rs;
  strife__rstream_init(&rs, e->seed, 0, (uint32_t)e->tick, STRIFE__STREAM_COPS);
  while (e->n_cops > want) {
    uint32_t c = e->n_cit + strife__rstream_below(&rs, cap);
    if (e->state[c] != STRIFE__COP) continue;
    strife__epstein_cell_remove(e, c, e->pos[c]);
    e->pos[c] = STRIFE__NOWHERE;
    e->state[c] = STRIFE__RESERVE;
    e->n_cops--;
  }
  for (uint32_t c = e->n_cit; c < e->n_agents && e->n_cops < want; c++) {
    if (e->state[c] != STRIFE__RESERVE) continue;
    uint32_t at = strife__epstein_random_empty(e, e->who, &rs);
    if (at == STRIFE__NOWHERE) break;
    e->state[c] = STRIFE__COP;
    strife__epstein_cell_add(e, c, at);
    e->n_cops++;
  }
}

static void adjust_cops(struct strife__epstein *e, double density) {
  double want = floor(density * (double)e->n_cells + 0.5);
  set_cops(e, want >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)want);
}

void strife__epstein_drive(struct strife__epstein *e,
                           const struct strife__drive *d) {
  e->driven = 1;
  e->factor[0] = d->factor[0];
  e->factor[1] = d->factor[1];
  if (d->cops != e->n_cops) set_cops(e, d->cops);
}

/* ------------------------------------------------------------------ */
/* Creation                                                           */
/* ------------------------------------------------------------------ */

/* Every array of a lattice with its length: agent arrays for the
   sequential update, cell arrays for the parallel one. */
#define ARRAYS(XX)                                                             \
  XX(pos, seq ? n_agents : 0)                                                  \
  XX(hard, seq ? n_cit : 0)                                                    \
  XX(risk, seq ? n_cit : 0)                                                    \
  XX(state, seq ? n_agents : 0)                                                \
  XX(jail, seq ? n_cit : 0)                                                    \
  XX(next, e->shared_cells ? n_agents : 0)                                     \
  XX(order, seq ? n_agents : 0)                                                \
  XX(who, seq ? n_cells : 0)                                                   \
  XX(cid, seq ? 0 : n_cells)                                                   \
  XX(cst, seq ? 0 : n_cells)                                                   \
  XX(ch, seq ? 0 : n_cells)                                                    \
  XX(cr, seq ? 0 : n_cells)                                                    \
  XX(caux, seq ? 0 : n_cells)                                                  \
  XX(cop_cell, seq ? 0 : n_agents - n_cit)                                     \
  XX(ptab, e->ptab_n)

void strife__epstein_destroy(struct strife__epstein *e) {
  if (!e) return;
  struct strife__alloc a = e->alloc;
  uint32_t n_agents = e->n_agents, n_cit = e->n_cit, n_cells = e->n_cells;
  int seq = e->p.update == STRIFE__UPDATE_SEQUENTIAL;
#define XX(name, n) strife__free(&a, e->name, (n), sizeof *e->name);
  ARRAYS(XX)
#undef XX
  strife__free(&a, e->occ, e->g.words, sizeof *e->occ);
  strife__free(&a, e->cop, e->g.words, sizeof *e->cop);
  strife__free(&a, e->act, e->g.words, sizeof *e->act);
  strife__free(&a, e->multi, e->g.words, sizeof *e->multi);
  strife__par_free(e, &a);
  strife__shape_free(&e->cit_shape, &a);
  strife__shape_free(&e->cop_shape, &a);
  strife__free(&a, e, 1, sizeof *e);
}

void strife__epstein_shuffle_cells(const struct strife__epstein *e,
                                   uint32_t *cells, uint32_t need) {
  struct strife__rstream rs;
  strife__rstream_init(&rs, e->seed, 0, 0, STRIFE__STREAM_PLACE);
  for (uint32_t c = 0; c < e->n_cells; c++)
    cells[c] = c;
  for (uint32_t i = 0; i < need; i++) {
    uint32_t j = i + strife__rstream_below(&rs, e->n_cells - i);
    uint32_t t = cells[i];
    cells[i] = cells[j];
    cells[j] = t;
  }
}

/* Places agents at tick 0 and draws their traits. */
static void place(struct strife__epstein *e, uint32_t n_cops0) {
  if (e->p.placement == STRIFE__PLACE_EXACT) {
    /* A random permutation of the cells (kept in 'who' as scratch); cops
       take the first n_cops0 cells, citizens the next. */
    strife__epstein_shuffle_cells(e, e->who, n_cops0 + e->n_cit);
    for (uint32_t i = 0; i < n_cops0; i++)
      e->pos[e->n_cit + i] = e->who[i];
    for (uint32_t i = 0; i < e->n_cit; i++)
      e->pos[i] = e->who[n_cops0 + i];
    for (uint32_t i = 0; i < e->n_cit + n_cops0; i++)
      e->pos[i] = strife__pack(e->pos[i] % e->p.width, e->pos[i] / e->p.width);
  } else {
    /* Bernoulli per cell, in cell order; counts were drawn the same way
       in strife__epstein_create. */
    uint32_t nc = 0, nk = 0;
    for (uint32_t c = 0; c < e->n_cells; c++) {
      double u = strife_rand_u01(e->seed, c, 0, STRIFE__STREAM_PLACE);
      uint32_t at = strife__pack(c % e->p.width, c / e->p.width);
      if (u < e->p.citizen_density)
        e->pos[nc++] = at;
      else if (u < e->p.citizen_density + e->cop_density)
        e->pos[e->n_cit + nk++] = at;
    }
  }
  for (uint32_t c = 0; c < e->n_cells; c++)
    e->who[c] = STRIFE__EMPTY;
  for (uint32_t i = 0; i < e->n_cit; i++) {
    struct strife__r4 r =
        strife__rand4(e->seed, i, 0, STRIFE__STREAM_TRAITS, 0);
    e->hard[i] = strife__u01f_from(r.v[0]);
    e->risk[i] = strife__u01f_from(r.v[1]);
    e->state[i] = STRIFE__QUIET;
    strife__epstein_cell_add(e, i, e->pos[i]);
  }
  for (uint32_t i = e->n_cit; i < e->n_agents; i++) {
    if (i < e->n_cit + n_cops0) {
      e->state[i] = STRIFE__COP;
      strife__epstein_cell_add(e, i, e->pos[i]);
    } else {
      e->state[i] = STRIFE__RESERVE;
      e->pos[i] = STRIFE__NOWHERE;
    }
  }
  e->n_cops = n_cops0;
}

/* The numbers of citizens and of cops at tick 0, and the most cops the
   lattice will hold ('cap'): counted as placement will place them. */
static void count_agents(const struct strife__epstein *e, uint32_t *n_cit,
                         uint32_t *n_cops0, uint32_t *cap) {
  const struct strife__epstein_params *p = &e->p;
  if (p->placement == STRIFE__PLACE_EXACT) {
    *n_cit = (uint32_t)floor(p->citizen_density * e->n_cells + 0.5);
    *n_cops0 = (uint32_t)floor(e->cop_density * e->n_cells + 0.5);
  } else {
    *n_cit = *n_cops0 = 0;
    for (uint32_t c = 0; c < e->n_cells; c++) {
      double u = strife_rand_u01(e->seed, c, 0, STRIFE__STREAM_PLACE);
      if (u < p->citizen_density)
        (*n_cit)++;
      else if (u < p->citizen_density + e->cop_density)
        (*n_cops0)++;
    }
  }
  *cap =
      (uint32_t)floor(strife__schedule_max(&p->cop_density) * e->n_cells + 0.5);
  if (*cap < *n_cops0) *cap = *n_cops0;
  if (*cap < p->cop_cap) *cap = p->cop_cap;
}

/* The arrays and planes of 'e', whose counts are set; nonzero when out of
   memory (what was allocated is freed by strife__epstein_destroy). */
static int allocate(struct strife__epstein *e, const struct strife__alloc *a) {
  const struct strife__epstein_params *p = &e->p;
  const int seq = p->update == STRIFE__UPDATE_SEQUENTIAL;
  uint32_t vis = (uint32_t)STRIFE__MAX(p->citizen_vision, p->cop_vision);
  strife__grid_init(&e->g, p->width, p->height, vis);
  int fail = strife__shape_init(&e->cit_shape, a, p->nbhd, p->citizen_vision,
                                p->own_cell, p->width, seq) ||
             strife__shape_init(&e->cop_shape, a, p->nbhd, p->cop_vision,
                                p->own_cell, p->width, seq);
  e->ptab_n = e->cit_shape.cells + 2u;
  uint32_t n_agents = e->n_agents, n_cells = e->n_cells, n_cit = e->n_cit;
  size_t bytes = sizeof *e + strife__shape_bytes(&e->cit_shape) +
                 strife__shape_bytes(&e->cop_shape);
#define XX(name, n)                                                            \
  if (!fail && (n) > 0) {                                                      \
    e->name = strife__calloc(a, (n), sizeof *e->name);                         \
    fail = !e->name;                                                           \
    bytes += (size_t)(n) * sizeof *e->name;                                    \
  }
  ARRAYS(XX)
#undef XX
  uint64_t **planes[4] = {&e->occ, &e->cop, &e->act, &e->multi};
  for (int i = 0; i < (!seq ? 0 : e->shared_cells ? 4 : 3) && !fail; i++) {
    *planes[i] = strife__calloc(a, e->g.words, sizeof(uint64_t));
    fail = !*planes[i];
    bytes += e->g.words * sizeof(uint64_t);
  }
  e->bytes = bytes;
  return fail;
}

uint64_t strife__epstein_footprint(const struct strife__epstein_params *p) {
  struct strife__epstein st, *e = &st;
  memset(e, 0, sizeof *e);
  e->shared_cells = p->jailed == STRIFE__JAILED_STAYS_EMPTY ||
                    p->cop_after == STRIFE__COP_TO_ARRESTEE;
  const int seq = p->update == STRIFE__UPDATE_SEQUENTIAL;
  const double cells = (double)p->width * (double)p->height;
  /* The expected counts of the placement's draws, and the cops' cap. */
  double n_cells = cells, n_cit = ceil(p->citizen_density * cells);
  double cap = floor(strife__schedule_max(&p->cop_density) * cells + 0.5);
  if (cap < (double)p->cop_cap) cap = (double)p->cop_cap;
  double n_agents = n_cit + cap;
  double bytes = (double)sizeof *e;
#define XX(name, n) bytes += (double)(n) * (double)sizeof *e->name;
  ARRAYS(XX)
#undef XX
  uint32_t vis = (uint32_t)STRIFE__MAX(p->citizen_vision, p->cop_vision);
  strife__grid_init(&e->g, p->width, p->height, vis);
  if (seq)
    bytes += (e->shared_cells ? 4.0 : 3.0) * (double)e->g.words * 8.0;
  else
    bytes += strife__par_footprint(p, 1);
  return bytes < 1.8e19 ? (uint64_t)bytes : UINT64_MAX;
}

/* What neither update can run, or does not fit; else STRIFE_OK. */
static int refuse(const struct strife__epstein_params *p, uint32_t n_cit,
                  uint32_t n_cops0, uint32_t n_cells, strife_diag *diag) {
  if (p->update == STRIFE__UPDATE_PARALLEL &&
      (p->jailed != STRIFE__JAILED_STAYS_BLOCKING ||
       p->cop_after != STRIFE__COP_STAYS)) {
    strife__diag_set(diag, "run.update",
                     "the parallel update keeps every agent in its own cell: "
                     "it needs variant.jailed = \"stays-blocking\" and "
                     "variant.cop_after_arrest = \"stay\" (as in "
                     "scenarios/epstein-mesa.json)");
    return STRIFE_ENOTSUP;
  }
  if ((uint64_t)n_cit + n_cops0 > n_cells) {
    strife__diag_set(diag, "citizens.density",
                     "citizens (%u) and cops (%u) do not fit on %u cells",
                     n_cit, n_cops0, n_cells);
    return STRIFE_ESCENARIO;
  }
  /* Audiences are by citizen number, which exact placement shuffles over
     the cells; Bernoulli placement numbers citizens in cell order. */
  if (p->hard_share > 0 && p->placement != STRIFE__PLACE_EXACT) {
    strife__diag_set(diag, "variant.placement",
                     "a lattice with hardliners needs exact placement");
    return STRIFE_ENOTSUP;
  }
  return STRIFE_OK;
}

int strife__epstein_create(struct strife__epstein **out,
                           const struct strife__alloc *a,
                           const struct strife__epstein_params *p,
                           uint64_t seed, unsigned threads, strife_diag *diag) {
  struct strife__epstein *e = strife__calloc(a, 1, sizeof *e);
  if (!e) return STRIFE_ENOMEM;
  e->p = *p;
  e->alloc = *a;
  e->seed = seed;
  e->threads = threads;
  e->shared_cells = p->jailed == STRIFE__JAILED_STAYS_EMPTY ||
                    p->cop_after == STRIFE__COP_TO_ARRESTEE;
  e->n_cells = p->width * p->height;
  e->legit = strife__schedule_at(&p->legitimacy, 1);
  e->factor[0] = e->factor[1] = 1.0 - e->legit;
  e->cop_density = strife__schedule_at(&p->cop_density, 0);
  uint32_t n_cit, n_cops0, cap;
  count_agents(e, &n_cit, &n_cops0, &cap);
  int rc = refuse(p, n_cit, n_cops0, e->n_cells, diag);
  if (rc) {
    strife__free(a, e, 1, sizeof *e);
    return rc;
  }
  e->n_cit = n_cit;
  e->n_hard = (uint32_t)floor(p->hard_share * (double)n_cit + 0.5);
  e->n_agents = n_cit + cap;
  if (allocate(e, a)) {
    strife__epstein_destroy(e);
    return STRIFE_ENOMEM;
  }
  if (p->update == STRIFE__UPDATE_PARALLEL) {
    rc = strife__par_init(e, a, diag);
    if (rc) {
      strife__epstein_destroy(e);
      return rc;
    }
    e->bytes += e->par->bytes;
  }
  for (uint32_t q = 0; q < e->ptab_n; q++)
    e->ptab[q] = 1.0 - exp(-p->k * (double)q);
  if (p->update == STRIFE__UPDATE_SEQUENTIAL)
    place(e, n_cops0);
  else
    strife__epstein_par_place(e, n_cops0);
  if (e->order)
    for (uint32_t i = 0; i < e->n_agents; i++)
      e->order[i] = i;
  *out = e;
  return STRIFE_OK;
}

/* ------------------------------------------------------------------ */
/* Stepping and observing                                             */
/* ------------------------------------------------------------------ */

void strife__epstein_step(struct strife__epstein *e) {
  e->tick++;
  e->arrests = 0;
  e->arrests_by[0] = e->arrests_by[1] = 0;
  if (!e->driven) {
    e->legit = strife__schedule_at(&e->p.legitimacy, e->tick);
    e->factor[0] = e->factor[1] = 1.0 - e->legit;
    double d = strife__schedule_at(&e->p.cop_density, e->tick);
    if (d != e->cop_density) {
      e->cop_density = d;
      adjust_cops(e, d);
    }
  }
  if (e->p.update == STRIFE__UPDATE_PARALLEL)
    strife__epstein_step_par(e);
  else
    strife__epstein_step_seq(e);
}

void strife__epstein_counts(const struct strife__epstein *e,
                            strife_counts *out) {
  if (e->p.update == STRIFE__UPDATE_PARALLEL) {
    strife__epstein_par_counts(e, out);
    return;
  }
  strife__epstein_count_states(e, e->state, e->n_cit, out);
}

void strife__epstein_tally(const struct strife__epstein *e,
                           struct strife__tally *out) {
  memset(out, 0, sizeof *out);
  if (e->p.update == STRIFE__UPDATE_PARALLEL) {
    /* Counted by the update as it rebuilt its planes. */
    for (int h = 0; h < 2; h++) {
      out->active[h] = e->n_active[h];
      out->jailed[h] = e->n_jailed[h];
    }
  } else {
    for (uint32_t i = 0; i < e->n_cit; i++) {
      uint8_t s = e->state[i];
      int h = i < e->n_hard;
      out->active[h] += s == STRIFE__ACTIVE;
      out->jailed[h] += s == STRIFE__JAILED;
    }
  }
  /* Every citizen is quiet, active or jailed. */
  uint64_t n[2] = {e->n_cit - e->n_hard, e->n_hard};
  for (int h = 0; h < 2; h++)
    out->quiet[h] = n[h] - out->active[h] - out->jailed[h];
  out->arrests[0] = e->arrests_by[0];
  out->arrests[1] = e->arrests_by[1];
  out->cops = e->n_cops;
}

void strife__epstein_count_states(const struct strife__epstein *e,
                                  const uint8_t *states, size_t n,
                                  strife_counts *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < n; i++) {
    uint8_t s = states[i];
    out->quiet += s == STRIFE__QUIET;
    out->active += s == STRIFE__ACTIVE;
    out->jailed += s == STRIFE__JAILED;
  }
  out->cops = e->n_cops;
  out->arrests = e->arrests;
}

void strife__epstein_proximity_add(const struct strife__epstein *e, uint32_t p,
                                   int active, strife_proximity *out) {
  struct strife__view v;
  strife__epstein_look(e, &e->cit_shape, p, active, 1, 0, &v);
  uint32_t bin =
      v.cops < STRIFE_PROXIMITY_BINS - 1 ? v.cops : STRIFE_PROXIMITY_BINS - 1;
  out->citizens[bin]++;
  out->active[bin] += (uint64_t)active;
}

void strife__epstein_proximity(const struct strife__epstein *e,
                               strife_proximity *out) {
  if (e->p.update == STRIFE__UPDATE_PARALLEL) {
    strife__epstein_par_proximity(e, out);
    return;
  }
  memset(out, 0, sizeof *out);
  for (uint32_t i = 0; i < e->n_cit; i++) {
    uint8_t s = e->state[i];
    if (s == STRIFE__JAILED || !strife__aggrieved(e, i)) continue;
    strife__epstein_proximity_add(e, e->pos[i], s == STRIFE__ACTIVE, out);
  }
}
