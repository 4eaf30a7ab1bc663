/* SPDX-License-Identifier: MIT */
/*
 * The sequential update: every tick, every agent takes one turn, in a
 * fresh uniformly random order, and sees what the agents before it did.
 * This is how NetLogo's Rebellion ("ask turtles") and Mesa's example
 * (shuffle_do) schedule the model, and how the presets reproduce them.
 *
 * Random words come from two counter-based sequences per tick, one for the
 * order and one for the turns, consumed in visiting order: the update is
 * single-threaded, so a fixed order of consumption is all determinism
 * needs, and a sequence costs one Philox block per four words.
 */
#include "core/rand.h"
#include "epstein.h"

struct turn_ctx {
  struct strife__epstein *e;
  struct strife__rstream *rs;
  struct strife__view v;
};

/* Moves agent 'a' from 'p' to a uniformly random empty cell of the view
   'v' taken at 'p', if there is one. */
static void move_in_view(struct turn_ctx *t, const struct strife__shape *shape,
                         uint32_t a, uint32_t p) {
  if (!t->v.empty) return;
  uint32_t k = strife__rstream_below(t->rs, t->v.empty);
  uint32_t to = strife__view_empty(t->e, shape, &t->v, k);
  strife__cell_remove(t->e, a, p);
  strife__cell_add(t->e, a, to);
}

/* Decides from the counts in t->v (not looked at when not 'aggrieved'). */
static void citizen_decide(struct turn_ctx *t, uint32_t a, int aggrieved) {
  struct strife__epstein *e = t->e;
  int was = e->state[a] == STRIFE__ACTIVE;
  int now = aggrieved && strife__decide(e, e->hard[a], e->risk[a], t->v.cops,
                                        t->v.actives, was);
  if (now != was) {
    e->state[a] = now ? STRIFE__ACTIVE : STRIFE__QUIET;
    strife__cell_refresh(e, e->pos[a]);
  }
}

static void cop_arrest(struct turn_ctx *t, uint32_t c) {
  if (!t->v.actives) return;
  struct strife__epstein *e = t->e;
  uint32_t k = strife__rstream_below(t->rs, t->v.actives);
  uint32_t s = strife__pick_active(e, &e->cop_shape, e->pos[c], k);
  strife__arrest(e, c, s, strife__rstream_u32(t->rs));
}

/* One turn of a free agent: look (once, or twice when it moves first),
   act, move.  A citizen whose grievance does not exceed the threshold is
   quiet whatever it sees (its net risk is never negative), so it looks
   only for empty cells. */
static void free_turn(struct turn_ctx *t, uint32_t a, int is_cop, int moves) {
  struct strife__epstein *e = t->e;
  const struct strife__shape *shape = is_cop ? &e->cop_shape : &e->cit_shape;
  int counts = is_cop || strife__aggrieved(e, a);
  if (e->p.order == STRIFE__ACT_MOVE) {
    uint32_t p = e->pos[a];
    if (counts || moves) strife__look(e, shape, p, a, counts, moves, &t->v);
    if (is_cop)
      cop_arrest(t, a);
    else
      citizen_decide(t, a, counts);
    if (moves) move_in_view(t, shape, a, p);
    return;
  }
  if (moves) {
    uint32_t p = e->pos[a];
    strife__look(e, shape, p, a, 0, 1, &t->v);
    move_in_view(t, shape, a, p);
  }
  if (counts) strife__look(e, shape, e->pos[a], a, 1, 0, &t->v);
  if (is_cop)
    cop_arrest(t, a);
  else
    citizen_decide(t, a, counts);
}

static void turn(struct turn_ctx *t, uint32_t a) {
  struct strife__epstein *e = t->e;
  uint8_t st = e->state[a];
  enum strife__movement mv = e->p.movement;
  if (st == STRIFE__RESERVE) return;
  if (st == STRIFE__COP) {
    free_turn(t, a, 1, mv == STRIFE__MOVE_ALL || mv == STRIFE__MOVE_COPS_ONLY);
    return;
  }
  if (st == STRIFE__JAILED) {
    if (e->p.countdown == STRIFE__COUNT_TICK_END) return;
    /* Own-turn countdown: a turn in jail is spent; at zero the citizen
       walks out and takes this turn. */
    if (e->jail[a] > 0) {
      e->jail[a]--;
      return;
    }
    if (!strife__release(e, a)) return;
  }
  free_turn(t, a, 0,
            mv == STRIFE__MOVE_ALL || mv == STRIFE__MOVE_CITIZENS_ONLY);
}

void strife__epstein_step_seq(struct strife__epstein *e) {
  /* A fresh random order: Fisher-Yates over the previous one. */
  struct strife__rstream rs;
  strife__rstream_init(&rs, e->seed, 0, (uint32_t)e->tick,
                       STRIFE__STREAM_SHUFFLE);
  uint32_t *order = e->order;
  for (uint32_t i = e->n_agents; i > 1; i--) {
    uint32_t j = strife__rstream_below(&rs, i);
    uint32_t t = order[i - 1];
    order[i - 1] = order[j];
    order[j] = t;
  }
  struct strife__rstream turns;
  strife__rstream_init(&turns, e->seed, 0, (uint32_t)e->tick,
                       STRIFE__STREAM_TURN);
  struct turn_ctx t = {.e = e, .rs = &turns};
  for (uint32_t i = 0; i < e->n_agents; i++)
    turn(&t, order[i]);
  if (e->p.countdown == STRIFE__COUNT_TICK_END)
    strife__jail_countdown(e, 0, e->n_cit);
}
