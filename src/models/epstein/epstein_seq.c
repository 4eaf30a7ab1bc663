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
 * needs (rand.h, SplitMix64 started from a Philox draw).
 *
 * A move goes to a uniformly random empty cell within vision, drawn by
 * rejection (epstein.h, strife__try): with about a quarter of the cells
 * empty that is four or five tries.
 */
#include "core/rand.h"
#include "epstein.h"

struct turn_ctx {
  struct strife__epstein *e;
  struct strife__sm64 *rng;
  struct strife__view v;
};

/* A uniformly random empty cell within 'shape' of position 'p', or
   STRIFE__NOWHERE if there is none (the tries are described in
   epstein.h). */
static uint32_t empty_near(struct turn_ctx *t,
                           const struct strife__shape *shape, uint32_t p) {
  const struct strife__epstein *e = t->e;
  const int32_t w = (int32_t)e->p.width, h = (int32_t)e->p.height;
  const int32_t x = (int32_t)strife__px(p), y = (int32_t)strife__py(p);
  const int32_t v = shape->v;
  struct strife__tries tr;
  strife__tries_init(&tr, t->rng, shape);
  if (x >= v && x < w - v && y >= v && y < h - v) {
    /* No offset wraps here: a try is an addition and a load. */
    const uint32_t *who = e->who + y * w + x;
    for (int n = 0; n < STRIFE__MOVE_TRIES; n++) {
      int32_t i = strife__try(&tr);
      if (i >= 0 && who[shape->delta[i]] == STRIFE__EMPTY)
        return strife__pack((uint32_t)(x + shape->off[2 * i]),
                            (uint32_t)(y + shape->off[2 * i + 1]));
    }
  } else {
    for (int n = 0; n < STRIFE__MOVE_TRIES; n++) {
      int32_t i = strife__try(&tr), xx, yy;
      if (i < 0) continue;
      strife__wrap(x, y, shape->off[2 * i], shape->off[2 * i + 1], w, h, &xx,
                   &yy);
      if (e->who[yy * w + xx] == STRIFE__EMPTY)
        return strife__pack((uint32_t)xx, (uint32_t)yy);
    }
  }
  strife__epstein_look(e, shape, p, 0, 0, 1, &t->v);
  if (!t->v.empty) return STRIFE__NOWHERE;
  return strife__epstein_view_empty(e, shape, &t->v,
                                    strife__sm64_below(t->rng, t->v.empty));
}

static void move(struct turn_ctx *t, const struct strife__shape *shape,
                 uint32_t a) {
  uint32_t from = t->e->pos[a];
  uint32_t to = empty_near(t, shape, from);
  if (to == STRIFE__NOWHERE) return;
  strife__relocate(t->e, a, from, to);
}

/* A citizen's decision.  One whose grievance does not exceed the threshold
   is quiet whatever it sees (its net risk is never negative), so it does
   not look. */
static void citizen_act(struct turn_ctx *t, uint32_t a) {
  struct strife__epstein *e = t->e;
  int was = e->state[a] == STRIFE__ACTIVE;
  int now = 0;
  if (strife__aggrieved(e, a)) {
    strife__epstein_look(e, &e->cit_shape, e->pos[a], was, 1, 0, &t->v);
    now = strife__decide(e, a, e->hard[a], e->risk[a], t->v.cops, t->v.actives,
                         was);
  }
  if (now != was) {
    e->state[a] = now ? STRIFE__ACTIVE : STRIFE__QUIET;
    strife__epstein_cell_refresh(e, e->pos[a]);
  }
}

static void cop_act(struct turn_ctx *t, uint32_t c) {
  struct strife__epstein *e = t->e;
  strife__epstein_look(e, &e->cop_shape, e->pos[c], 0, 1, 0, &t->v);
  if (!t->v.actives) return;
  uint32_t k = strife__sm64_below(t->rng, t->v.actives);
  uint32_t s = strife__epstein_pick_active(e, &e->cop_shape, e->pos[c], k);
  strife__epstein_arrest(e, c, s, (uint32_t)(strife__sm64_next(t->rng) >> 32));
}

static void turn(struct turn_ctx *t, uint32_t a) {
  struct strife__epstein *e = t->e;
  uint8_t st = e->state[a];
  enum strife__movement mv = e->p.movement;
  if (st == STRIFE__RESERVE) return;
  int is_cop = st == STRIFE__COP;
  if (st == STRIFE__JAILED) {
    if (e->p.countdown == STRIFE__COUNT_TICK_END) return;
    /* Own-turn countdown: a turn in jail is spent; at zero the citizen
       walks out and takes this turn. */
    if (e->jail[a] > 0) {
      e->jail[a]--;
      return;
    }
    if (!strife__epstein_release(e, a)) return;
  }
  int moves =
      mv == STRIFE__MOVE_ALL ||
      mv == (is_cop ? STRIFE__MOVE_COPS_ONLY : STRIFE__MOVE_CITIZENS_ONLY);
  const struct strife__shape *shape = is_cop ? &e->cop_shape : &e->cit_shape;
  int act_first = e->p.order == STRIFE__ACT_MOVE;
  if (moves && !act_first) move(t, shape, a);
  if (is_cop)
    cop_act(t, a);
  else
    citizen_act(t, a);
  if (moves && act_first) move(t, shape, a);
}

void strife__epstein_step_seq(struct strife__epstein *e) {
  /* A fresh random order: Fisher-Yates over the previous one. */
  struct strife__sm64 rng;
  strife__sm64_init(&rng, e->seed, 0, (uint32_t)e->tick,
                    STRIFE__STREAM_SHUFFLE);
  uint32_t *order = e->order;
  for (uint32_t i = e->n_agents; i > 1; i--) {
    uint32_t j = strife__sm64_below(&rng, i);
    uint32_t tmp = order[i - 1];
    order[i - 1] = order[j];
    order[j] = tmp;
  }
  strife__sm64_init(&rng, e->seed, 0, (uint32_t)e->tick, STRIFE__STREAM_TURN);
  struct turn_ctx t = {.e = e, .rng = &rng};
  for (uint32_t i = 0; i < e->n_agents; i++)
    turn(&t, order[i]);
  if (e->p.countdown == STRIFE__COUNT_TICK_END)
    strife__epstein_jail_countdown(e, 0, e->n_cit);
}
