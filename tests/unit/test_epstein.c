/* SPDX-License-Identifier: MIT */
/*
 * The Epstein lattice, piece by piece: the ratio C/A and the arrest
 * probability of each variant, jail-term ranges, placement, schedules,
 * the consistency of the lattice after every tick of every preset and both
 * updates, determinism (same seed, same series; any thread count, same
 * series), and allocation failures.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "core/schedule.h"
#include "core/sim.h"
#include "models/epstein/epstein.h"
#include "models/epstein/par.h"
#include "scenario/scenario.h"
#include "shapes.h"
#include "support.h"

static void test_ratio(void) {
  /* floor */
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_FLOOR, 0, 1), 0);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_FLOOR, 5, 2), 2);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_FLOOR, 1, 3), 0);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_FLOOR, 7, 1), 7);
  /* round half to even: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4 */
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_ROUND_EVEN, 1, 2), 0);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_ROUND_EVEN, 3, 2), 2);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_ROUND_EVEN, 5, 2), 2);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_ROUND_EVEN, 7, 2), 4);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_ROUND_EVEN, 2, 3), 1);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_ROUND_EVEN, 1, 3), 0);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_ROUND_EVEN, 9, 6), 2);
  CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_ROUND_EVEN, 15, 6), 2);
  /* Against rint (round half to even in the default mode) for all small
     ratios. */
  for (uint32_t c = 0; c < 60; c++)
    for (uint32_t a = 1; a < 40; a++)
      CHECK_EQ(strife__epstein_ratio_int(STRIFE__RATIO_ROUND_EVEN, c, a),
               (uint32_t)rint((double)c / a));
}

/* P = 1 - exp(-k q) for each variant's q, through a scenario. */
static void test_arrest_p(void) {
  const char *variants[3] = {"variant.ratio=exact", "variant.ratio=floor",
                             "variant.ratio=round-half-even"};
  for (int v = 0; v < 3; v++) {
    strife_scenario *sc = load_preset("epstein-netlogo", variants[v], NULL);
    strife_sim *sim = make_sim(sc, 1, 0);
    struct strife__epstein *e = strife__sim_state(sim);
    for (uint32_t c = 0; c < 12; c++) {
      for (uint32_t a = 1; a < 6; a++) {
        double q = v == 0   ? (double)c / a
                   : v == 1 ? floor((double)c / a)
                            : rint((double)c / a);
        CHECK_NEAR(strife__arrest_p(e, c, a), 1.0 - exp(-2.3 * q), 1e-12);
      }
    }
    strife_sim_destroy(sim);
    strife_scenario_destroy(sc);
  }
}

static void check_term_range(enum strife__jail_term t, uint32_t j, uint32_t lo,
                             uint32_t hi) {
  struct strife__rstream rs;
  strife__rstream_init(&rs, 7, 0, 0, STRIFE__STREAM_TEST);
  uint32_t seen_lo = UINT32_MAX, seen_hi = 0;
  unsigned char hit[64] = {0};
  for (int i = 0; i < 20000; i++) {
    uint32_t term = strife__epstein_jail_term(t, j, strife__rstream_u32(&rs));
    seen_lo = term < seen_lo ? term : seen_lo;
    seen_hi = term > seen_hi ? term : seen_hi;
    if (term < 64) hit[term] = 1;
  }
  CHECK_EQ(seen_lo, lo);
  CHECK_EQ(seen_hi, hi);
  int all = 1;
  for (uint32_t k = lo; k <= hi && k < 64; k++)
    all &= hit[k];
  CHECK_MSG(all, "not every term in %u..%u was drawn", lo, hi);
}

static void test_jail_terms(void) {
  check_term_range(STRIFE__TERM_EXCLUSIVE, 30, 0, 29);
  check_term_range(STRIFE__TERM_INCLUSIVE, 30, 0, 30);
  check_term_range(STRIFE__TERM_CONTINUOUS, 30, 1, 30);
  check_term_range(STRIFE__TERM_EXCLUSIVE, 1, 0, 0);
  check_term_range(STRIFE__TERM_INCLUSIVE, 1, 0, 1);
}

static void test_schedule(void) {
  struct strife__schedule s;
  strife__schedule_const(&s, 0.9);
  s.n = 2;
  s.change[0] = (struct strife__change){81, 81, 0.7};
  s.change[1] = (struct strife__change){200, 300, 0.2};
  CHECK_NEAR(strife__schedule_at(&s, 0), 0.9, 0);
  CHECK_NEAR(strife__schedule_at(&s, 80), 0.9, 0);
  CHECK_NEAR(strife__schedule_at(&s, 81), 0.7, 0);
  CHECK_NEAR(strife__schedule_at(&s, 200), 0.7, 0);
  CHECK_NEAR(strife__schedule_at(&s, 250), 0.45, 1e-12);
  CHECK_NEAR(strife__schedule_at(&s, 300), 0.2, 0);
  CHECK_NEAR(strife__schedule_at(&s, 5000), 0.2, 0);
  CHECK_NEAR(strife__schedule_max(&s), 0.9, 0);
}

/* Rebuilds a plane from 'who' and 'state' and compares it with the one
   maintained incrementally, ghosts included. */
static int planes_agree(const struct strife__epstein *e) {
  const struct strife__grid *g = &e->g;
  uint64_t *occ = calloc(g->words, 8), *cop = calloc(g->words, 8),
           *act = calloc(g->words, 8), *multi = calloc(g->words, 8);
  for (uint32_t y = 0; y < g->h; y++)
    for (uint32_t x = 0; x < g->w; x++) {
      uint32_t a = e->who[y * g->w + x];
      if (a == STRIFE__EMPTY) continue;
      strife__bit_put(g, occ, x, y, 1);
      strife__bit_put(g, cop, x, y, e->state[a] == STRIFE__COP);
      strife__bit_put(g, act, x, y, e->state[a] == STRIFE__ACTIVE);
      if (e->shared_cells)
        strife__bit_put(g, multi, x, y, e->next[a] != STRIFE__EMPTY);
    }
  int ok = memcmp(occ, e->occ, g->words * 8) == 0 &&
           memcmp(cop, e->cop, g->words * 8) == 0 &&
           memcmp(act, e->act, g->words * 8) == 0 &&
           (!e->shared_cells || memcmp(multi, e->multi, g->words * 8) == 0);
  free(occ);
  free(cop);
  free(act);
  free(multi);
  return ok;
}

/* The parallel update's cell arrays: every agent once, on a cell whose
   fields are its own (traits drawn from its number), cops where cop_cell
   says, caux STRIFE__NOWHERE but in jail, and planes that match. */
/* Whether every padded plane bit of the parallel kernel (par.h) shows the
   lattice cell it mirrors. */
static int consistent_planes(const struct strife__epstein *e) {
  const struct strife__par *q = e->par;
  const uint32_t w = e->p.width, h = e->p.height;
  for (uint32_t Y = 0; Y < q->ph; Y++) {
    for (uint32_t X = 0; X < q->pw; X++) {
      uint32_t x = (X + w - q->v) % w, y = (Y + h - q->v) % h;
      uint8_t st = e->cst[(size_t)y * w + x];
      size_t i = (size_t)Y * q->rw + X / 64;
      uint64_t bit = UINT64_C(1) << (X % 64);
      if (!!(q->occ[i] & bit) != (st != STRIFE__NONE) ||
          !!(q->cop[i] & bit) != (st == STRIFE__COP) ||
          !!(q->act[i] & bit) != (st == STRIFE__ACTIVE))
        return 0;
    }
  }
  return 1;
}

static int consistent_cells(const struct strife__epstein *e) {
  unsigned char *seen = calloc(e->n_agents, 1);
  int ok = 1;
  uint32_t cops = 0;
  for (uint32_t c = 0; c < e->n_cells && ok; c++) {
    uint8_t st = e->cst[c];
    uint32_t a = e->cid[c];
    if (st == STRIFE__NONE) {
      ok = a == STRIFE__EMPTY && e->caux[c] == STRIFE__NOWHERE;
      continue;
    }
    ok = a < e->n_agents && !seen[a] &&
         (st == STRIFE__JAILED || e->caux[c] == STRIFE__NOWHERE);
    if (!ok) break;
    seen[a] = 1;
    if (a < e->n_cit) {
      struct strife__r4 r =
          strife__rand4(e->seed, a, 0, STRIFE__STREAM_TRAITS, 0);
      ok = st != STRIFE__COP && e->ch[c] == strife__u01f_from(r.v[0]) &&
           e->cr[c] == strife__u01f_from(r.v[1]);
    } else {
      ok = st == STRIFE__COP && e->cop_cell[a - e->n_cit] == c;
      cops++;
    }
  }
  for (uint32_t i = 0; i < e->n_cit && ok; i++)
    ok = seen[i]; /* no citizen leaves the lattice */
  ok = ok && cops == e->n_cops && consistent_planes(e);
  free(seen);
  return ok;
}

/* Every agent on the lattice is found on its cell, every cell's agents
   say they are there, and the planes match. */
static int consistent(const struct strife__epstein *e) {
  if (e->p.update == STRIFE__UPDATE_PARALLEL) return consistent_cells(e);
  uint32_t on_cells = 0;
  for (uint32_t c = 0; c < e->n_cells; c++) {
    for (uint32_t a = e->who[c]; a != STRIFE__EMPTY;
         a = e->shared_cells ? e->next[a] : STRIFE__EMPTY) {
      if (a >= e->n_agents || strife__cell(e, e->pos[a]) != c) return 0;
      on_cells++;
      if (!e->shared_cells) break;
    }
  }
  uint32_t expect = 0;
  for (uint32_t a = 0; a < e->n_agents; a++) {
    uint8_t st = e->state[a];
    int on =
        st == STRIFE__QUIET || st == STRIFE__ACTIVE || st == STRIFE__COP ||
        (st == STRIFE__JAILED && e->p.jailed == STRIFE__JAILED_STAYS_BLOCKING);
    expect += (uint32_t)on;
    if (st == STRIFE__JAILED && e->p.jailed == STRIFE__JAILED_REMOVED &&
        e->pos[a] != STRIFE__NOWHERE)
      return 0;
  }
  return on_cells == expect && planes_agree(e);
}

/* Whether strife__epstein_tally agrees with a count over every cell (or
   agent) of the citizens by state and audience. */
static int tally_agrees(const struct strife__epstein *e) {
  uint64_t n[3][2] = {{0, 0}, {0, 0}, {0, 0}};
  if (e->p.update == STRIFE__UPDATE_PARALLEL) {
    for (uint32_t c = 0; c < e->n_cells; c++)
      if (e->cst[c] <= STRIFE__JAILED) n[e->cst[c]][e->cid[c] < e->n_hard]++;
  } else {
    for (uint32_t a = 0; a < e->n_cit; a++)
      n[e->state[a]][a < e->n_hard]++;
  }
  struct strife__tally t;
  strife__epstein_tally(e, &t);
  for (int h = 0; h < 2; h++)
    if (t.quiet[h] != n[STRIFE__QUIET][h] ||
        t.active[h] != n[STRIFE__ACTIVE][h] ||
        t.jailed[h] != n[STRIFE__JAILED][h])
      return 0;
  return 1;
}

static void test_consistency(const char *preset, const char *update) {
  strife_scenario *sc =
      load_preset(preset, update, "run.ticks=150", "lattice.width=23",
                  "lattice.height=19", NULL);
  for (uint64_t seed = 1; seed <= 3; seed++) {
    strife_sim *sim = make_sim(sc, seed, 2);
    struct strife__epstein *e = strife__sim_state(sim);
    int bad_tick = -1;
    uint64_t arrests = 0;
    for (int t = 0; !strife_sim_done(sim); t++) {
      strife_sim_step(sim);
      strife_counts c;
      strife_sim_counts(sim, &c);
      arrests += c.arrests;
      if (c.quiet + c.active + c.jailed != e->n_cit && bad_tick < 0)
        bad_tick = t;
      if (!consistent(e) && bad_tick < 0) bad_tick = t;
      if (!tally_agrees(e) && bad_tick < 0) bad_tick = t;
    }
    CHECK_MSG(bad_tick < 0, "%s %s seed %llu: inconsistent at tick %d", preset,
              update, (unsigned long long)seed, bad_tick + 1);
    CHECK_MSG(arrests > 0, "%s %s: no arrests at all", preset, update);
    strife_sim_destroy(sim);
  }
  strife_scenario_destroy(sc);
}

/* Torus offset from a to b along a side of length n, in (-n/2, n/2]. */
static int torus_d(uint32_t a, uint32_t b, uint32_t n) {
  int d = (int)b - (int)a;
  if (d > (int)n / 2) d -= (int)n;
  if (d <= -(int)n / 2 - ((int)n % 2 ? 1 : 0)) d += (int)n;
  return d;
}

/* What each free citizen sees (C, and A as the decision uses it) against a
   count over every agent, and the empty cells against a count over every
   cell, through a run of each preset. */
static void test_look(const char *preset) {
  strife_scenario *sc = load_preset(preset, "regime.legitimacy=0.6", NULL);
  strife_sim *sim = make_sim(sc, 4, 0);
  struct strife__epstein *e = strife__sim_state(sim);
  const struct strife__shape *shape = &e->cit_shape;
  int bad = 0, checked = 0, self_seen = 0;
  for (int t = 0; t < 40; t++) {
    strife_sim_step(sim);
    if (t % 8) continue;
    for (uint32_t i = 0; i < e->n_cit; i++) {
      uint8_t st = e->state[i];
      if (st != STRIFE__QUIET && st != STRIFE__ACTIVE) continue;
      uint32_t px = strife__px(e->pos[i]), py = strife__py(e->pos[i]);
      uint32_t cops = 0, actives = 0, empty = 0;
      for (uint32_t a = 0; a < e->n_agents; a++) {
        if (a == i || e->pos[a] == STRIFE__NOWHERE) continue;
        uint8_t sa = e->state[a];
        if (sa != STRIFE__COP && sa != STRIFE__ACTIVE) continue;
        int dx = torus_d(px, strife__px(e->pos[a]), e->p.width);
        int dy = torus_d(py, strife__py(e->pos[a]), e->p.height);
        if (!in_shape_ref(e->p.nbhd, shape->v, shape->own, dx, dy)) continue;
        cops += sa == STRIFE__COP;
        actives += sa == STRIFE__ACTIVE;
      }
      for (uint32_t c = 0; c < e->n_cells; c++) {
        int dx = torus_d(px, c % e->p.width, e->p.width);
        int dy = torus_d(py, c / e->p.width, e->p.height);
        if (in_shape_ref(e->p.nbhd, shape->v, shape->own, dx, dy) &&
            e->who[c] == STRIFE__EMPTY)
          empty++;
      }
      struct strife__view v;
      strife__epstein_look(e, shape, e->pos[i], st == STRIFE__ACTIVE, 1, 1, &v);
      uint32_t a_decide =
          1 + v.actives + (e->p.self_again && st == STRIFE__ACTIVE ? 1 : 0);
      uint32_t a_expect =
          1 + actives +
          (shape->own && e->p.self_again && st == STRIFE__ACTIVE ? 1 : 0);
      self_seen += st == STRIFE__ACTIVE;
      if (v.cops != cops || a_decide != a_expect || v.empty != empty) bad++;
      checked++;
    }
  }
  CHECK_MSG(bad == 0, "%s: %d of %d views wrong", preset, bad, checked);
  CHECK_MSG(checked > 1000 && self_seen > 0, "%s: %d views, %d active", preset,
            checked, self_seen);
  strife_sim_destroy(sim);
  strife_scenario_destroy(sc);
}

/* The parallel update runs only variants that keep one agent per cell:
   the scenario is refused where it says so. */
static void test_parallel_refuses(void) {
  const char *presets[2] = {"epstein-netlogo", "epstein-paper"};
  for (int i = 0; i < 2; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/scenarios/%s.json", STRIFE_SOURCE_DIR,
             presets[i]);
    const char *set = "run.update=parallel";
    strife_scenario *sc = NULL;
    strife_diag d;
    CHECK_EQ(strife_scenario_load(path, &set, 1, &sc, &d), STRIFE_ESCENARIO);
    CHECK(strstr(d.msg, "stays-blocking") != NULL);
    CHECK_STR(d.key, "run.update");
    CHECK_STR(d.source, "--set");
  }
}

/* Series of (quiet, active, jailed) of a run. */
static void series(const strife_scenario *sc, uint64_t seed, unsigned threads,
                   uint64_t *out, int ticks) {
  strife_sim *sim = make_sim(sc, seed, threads);
  for (int t = 0; t < ticks; t++) {
    strife_sim_step(sim);
    strife_counts c;
    strife_sim_counts(sim, &c);
    out[3 * t] = c.quiet;
    out[3 * t + 1] = c.active;
    out[3 * t + 2] = c.jailed;
  }
  strife_sim_destroy(sim);
}

static void test_determinism(void) {
  enum { T = 120 };
  static uint64_t a[3 * T], b[3 * T];
  const char *presets[3] = {"epstein-netlogo", "epstein-mesa", "epstein-paper"};
  for (int i = 0; i < 3; i++) {
    strife_scenario *sc = load_preset(presets[i], NULL);
    series(sc, 11, 1, a, T);
    series(sc, 11, 2, b, T);
    CHECK_MSG(memcmp(a, b, sizeof a) == 0, "%s: same seed, different series",
              presets[i]);
    series(sc, 12, 1, b, T);
    CHECK_MSG(memcmp(a, b, sizeof a) != 0, "%s: seeds 11 and 12 agree",
              presets[i]);
    strife_scenario_destroy(sc);
  }
  /* The parallel update gives the same series for 1, 2, 3 and 4 threads. */
  strife_scenario *sc =
      load_preset("epstein-mesa", "run.update=parallel", "lattice.width=61",
                  "lattice.height=47", "regime.legitimacy=0.7", NULL);
  series(sc, 5, 1, a, T);
  for (unsigned th = 2; th <= 4; th++) {
    series(sc, 5, th, b, T);
    CHECK_MSG(memcmp(a, b, sizeof a) == 0, "parallel: %u threads differ", th);
  }
  strife_scenario_destroy(sc);
}

static void test_placement(void) {
  /* exact: round(d x cells) of each kind */
  strife_scenario *sc = load_preset("epstein-netlogo", NULL);
  strife_sim *sim = make_sim(sc, 3, 0);
  strife_counts c;
  strife_sim_counts(sim, &c);
  CHECK_EQ(c.quiet, 1120);
  CHECK_EQ(c.cops, 64);
  CHECK_EQ(c.active + c.jailed, 0);
  strife_sim_destroy(sim);
  strife_scenario_destroy(sc);
  /* bernoulli: binomial counts; over 20 seeds the mean citizen count is
     within 4 standard errors of 0.7 x 1600 (sd of one draw 18.3). */
  sc = load_preset("epstein-mesa", NULL);
  double sum = 0;
  int differ = 0;
  uint64_t first = 0;
  for (uint64_t seed = 1; seed <= 20; seed++) {
    sim = make_sim(sc, seed, 0);
    strife_sim_counts(sim, &c);
    sum += (double)c.quiet;
    if (seed == 1) first = c.quiet;
    differ |= c.quiet != first;
    strife_sim_destroy(sim);
  }
  CHECK_NEAR(sum / 20, 1120, 4 * 18.3 / sqrt(20));
  CHECK(differ);
  strife_scenario_destroy(sc);
}

static void test_cop_schedule(const char *update) {
  strife_scenario *sc = load_preset(
      "epstein-netlogo", update, "variant.jailed=stays-blocking",
      "variant.cop_after_arrest=stay",
      "cops.density={\"initial\": 0.04, \"changes\": [{\"tick\": 11, "
      "\"value\": 0.01}, {\"tick\": 21, \"value\": 0.05}]}",
      NULL);
  strife_sim *sim = make_sim(sc, 9, 0);
  strife_counts c;
  for (int t = 1; t <= 30; t++) {
    strife_sim_step(sim);
    strife_sim_counts(sim, &c);
    if (t == 10) CHECK_EQ(c.cops, 64);
    if (t == 11 || t == 20) CHECK_EQ(c.cops, 16);
    if (t == 21 || t == 30) CHECK_EQ(c.cops, 80);
  }
  struct strife__epstein *e = strife__sim_state(sim);
  CHECK(consistent(e));
  if (e->p.update == STRIFE__UPDATE_PARALLEL) {
    /* The planes follow the cops taken off and put on, cell by cell. */
    strife__epstein_par_adjust_cops(e, 7);
    CHECK_EQ(e->n_cops, 7);
    CHECK(consistent(e));
    strife__epstein_par_adjust_cops(e, 75);
    CHECK_EQ(e->n_cops, 75);
    CHECK(consistent(e));
  }
  strife_sim_destroy(sim);
  strife_scenario_destroy(sc);
}

/* Claims are a bijection of the cell keyed by the tick, inverted exactly,
   and never an agent number. */
static void test_claims(void) {
  for (uint32_t key = 0; key < 5; key++) {
    uint32_t k = strife__hash32(key * 977u + 1u);
    uint32_t bad = 0;
    for (uint32_t c = 0; c < 100000; c += 7) {
      uint32_t code = strife__par_claim(c, k);
      bad += code < 0x80000000u || strife__par_claimant(code, k) != c;
    }
    CHECK_EQ(bad, 0);
    /* The largest cells too. */
    uint32_t c = (UINT32_C(1) << 30) - 1u;
    CHECK_EQ(strife__par_claimant(strife__par_claim(c, k), k), c);
  }
}

/* Empty cells in the citizens' shape around cell c (x, y). */
static uint32_t empties_seen(const struct strife__epstein *e, uint32_t x,
                             uint32_t y) {
  const struct strife__par *q = e->par;
  uint32_t n = 0;
  for (uint32_t d = 0; d <= 2u * q->v; d++)
    if (q->cit.hw[d] >= 0)
      n += strife__par_range_count(
          q->occ + (size_t)(y + d) * q->rw, x + q->v - (uint32_t)q->cit.hw[d],
          2u * (uint32_t)q->cit.hw[d] + 1u, UINT64_MAX);
  return n;
}

/* The rare redraw of a move (the low product of Lemire's multiply below
   2^32 mod the count, about one draw in 2^27 here), which the vector paths
   hand to par_finish: a tick's move key is searched for that makes a
   citizen redraw into another cell, and the claims of its row are compared
   across paths. */
static void test_redraw(void) {
  strife_scenario *sc =
      load_preset("epstein-mesa", "run.update=parallel", "run.kernel=c",
                  "lattice.width=64", "lattice.height=40", NULL);
  strife_sim *sim = make_sim(sc, 3, 1);
  struct strife__epstein *e = strife__sim_state(sim);
  strife_sim_step(sim);
  const uint32_t w = e->p.width;
  struct strife__pkeys k = {0, 1, 2, 3};
  uint32_t row = UINT32_MAX, *tots = calloc(e->n_cells, 4);
  for (uint32_t c = 0; c < e->n_cells; c++)
    tots[c] = e->cst[c] == STRIFE__QUIET ? empties_seen(e, c % w, c / w) : 0;
  for (uint32_t key = 1; key < 50000000u && row == UINT32_MAX; key++) {
    for (uint32_t c = 0; c < e->n_cells; c++) {
      uint32_t tot = tots[c];
      uint32_t r = strife__hash32(c ^ key);
      uint64_t m = (uint64_t)r * tot;
      /* A draw thrown away, whose redraw picks another cell. */
      if (tot && (uint32_t)m < (uint32_t)(-tot) % tot &&
          strife__par_below(r, tot, key) != (uint32_t)(m >> 32)) {
        k.move = key;
        row = c / w;
        break;
      }
    }
  }
  free(tots);
  CHECK_MSG(row != UINT32_MAX, "no key makes a move redraw");
  if (row == UINT32_MAX) return;
  const struct strife__par_ops *ops[3] = {
      strife__par_ops_of(STRIFE__KERNEL_C),
      strife__par_ops_of(STRIFE__KERNEL_AVX2),
      strife__par_ops_of(STRIFE__KERNEL_AVX512)};
  size_t n = e->n_cells;
  uint32_t *cid0 = malloc(n * 4), *aux0 = malloc(n * 4), *want = malloc(n * 4);
  memcpy(cid0, e->cid, n * 4);
  memcpy(aux0, e->caux, n * 4);
  for (int p = 0; p < 3; p++) {
    if (!ops[p]) continue;
    ops[p]->claim_row(e, row, &k, 1);
    if (p == 0)
      memcpy(want, e->cid, n * 4);
    else
      CHECK_MSG(memcmp(want, e->cid, n * 4) == 0,
                "path %s claims otherwise after a redraw", ops[p]->name);
    memcpy(e->cid, cid0, n * 4);
    memcpy(e->caux, aux0, n * 4);
  }
  free(cid0);
  free(aux0);
  free(want);
  strife_sim_destroy(sim);
  strife_scenario_destroy(sc);
}

/* Whether the counts a tick of the parallel update kept through its
   phases (active and jailed, by audience) are those of its cells. */
static int counts_agree(const struct strife__epstein *e) {
  uint64_t act[2] = {0, 0}, jail[2] = {0, 0};
  for (uint32_t c = 0; c < e->n_cells; c++) {
    const int hard = e->cid[c] < e->n_hard;
    act[hard] += e->cst[c] == STRIFE__ACTIVE;
    jail[hard] += e->cst[c] == STRIFE__JAILED;
  }
  return act[0] == e->n_active[0] && act[1] == e->n_active[1] &&
         jail[0] == e->n_jailed[0] && jail[1] == e->n_jailed[1];
}

/* A hash of the state of a parallel lattice: its cell arrays and tally. */
static uint64_t state_hash(const struct strife__epstein *e) {
  uint64_t h = UINT64_C(1469598103934665603);
  for (uint32_t c = 0; c < e->n_cells; c++) {
    uint32_t hb, rb;
    memcpy(&hb, &e->ch[c], 4);
    memcpy(&rb, &e->cr[c], 4);
    uint64_t x[5] = {e->cst[c], e->cid[c], e->caux[c], hb, rb};
    for (int i = 0; i < 5; i++)
      h = (h ^ x[i]) * UINT64_C(1099511628211);
  }
  return (h ^ e->arrests) * UINT64_C(1099511628211);
}

/* Every kernel path of the parallel update (run.kernel) gives the same
   state after every tick, on 1 and 2 threads, for variants that take each
   branch of the kernel: the ratios, the countdowns, shapes, visions that
   differ, movement rules, and a vision too wide for one window load. */
static void test_paths(void) {
  static const char *const variants[][5] = {
      {"lattice.width=61", "lattice.height=37", NULL, NULL, NULL},
      {"variant.ratio=floor", "variant.neighbourhood=disk",
       "variant.active_count=self-again-if-active", "lattice.width=45", NULL},
      {"variant.ratio=exact", "variant.jail_countdown=tick-end",
       "variant.jail_term=continuous", NULL, NULL},
      {"citizens.vision=3", "cops.vision=9", "variant.neighbourhood=lateral",
       "variant.own_cell=true", NULL},
      {"variant.movement=cops-only", "cops.vision=2", "lattice.width=16",
       "lattice.height=16", NULL},
      {"citizens.vision=30", "cops.vision=29", "lattice.width=72",
       "lattice.height=66", NULL},
      {"regime.legitimacy=0.6", "variant.movement=citizens-only",
       "citizens.vision=24", "lattice.width=64", "lattice.height=50"},
  };
  static const enum strife__kernel paths[] = {
      STRIFE__KERNEL_C, STRIFE__KERNEL_AVX2, STRIFE__KERNEL_AVX512};
  for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
    uint64_t want[40];
    int have = 0;
    for (size_t p = 0; p < 3; p++) {
      if (!strife__kernel_supported(paths[p])) {
        if (v == 0)
          printf("# test_paths: this processor has no %s path; skipped\n",
                 strife__kernel_name(paths[p]));
        continue;
      }
      char kn[32];
      snprintf(kn, sizeof kn, "run.kernel=%s", strife__kernel_name(paths[p]));
      strife_scenario *sc =
          load_preset("epstein-mesa", "run.update=parallel", "run.ticks=40", kn,
                      variants[v][0], variants[v][1], variants[v][2],
                      variants[v][3], variants[v][4], NULL);
      for (unsigned th = 1; th <= 2; th++) {
        strife_sim *sim = make_sim(sc, 11 + v, th);
        struct strife__epstein *e = strife__sim_state(sim);
        CHECK_EQ(e->par->kernel, paths[p]);
        CHECK_EQ(e->par->nt, th);
        /* Two audiences (as the Afghan lattices have), for the counts. */
        if (v == 2 || v == 6) e->n_hard = e->n_cit / 3;
        for (int t = 0; t < 40; t++) {
          /* The rows split unevenly, and differently each tick, between
             the team's threads: the state does not depend on the split. */
          if (th == 2) e->par->speed[0] = t % 3 == 0 ? 0.2 : t % 3 ? 5.0 : 1.0;
          strife_sim_step(sim);
          CHECK_MSG(counts_agree(e),
                    "variant %zu: path %s on %u threads: counts of tick %d", v,
                    strife__kernel_name(paths[p]), th, t + 1);
          uint64_t hsh = state_hash(e);
          if (!have) want[t] = hsh;
          CHECK_MSG(want[t] == hsh,
                    "variant %zu: path %s on %u threads differs at tick %d", v,
                    strife__kernel_name(paths[p]), th, t + 1);
          if (want[t] != hsh) break;
        }
        have = 1;
        strife_sim_destroy(sim);
      }
      strife_scenario_destroy(sc);
    }
  }
}

/* Citizens of audience 'hard' whose grievance at factor 1 exceeds T. */
static uint64_t aggrieved_of(const struct strife__epstein *e, int hard) {
  uint64_t n = 0;
  if (e->p.update == STRIFE__UPDATE_PARALLEL) {
    for (uint32_t c = 0; c < e->n_cells; c++)
      if (e->cst[c] <= STRIFE__JAILED && (e->cid[c] < e->n_hard) == hard)
        n += (double)e->ch[c] > e->p.threshold;
  } else {
    for (uint32_t a = 0; a < e->n_cit; a++)
      if ((a < e->n_hard) == hard) n += (double)e->hard[a] > e->p.threshold;
  }
  return n;
}

/* A driven lattice: each audience decides against its own grievance
   factor, the cops follow the number asked for (up to the cap), and
   arrests are counted by audience. */
static void test_drive(const char *update) {
  strife_scenario *sc =
      load_preset("epstein-mesa", update, "variant.placement=exact", NULL);
  struct strife__epstein_params p =
      *(const struct strife__epstein_params *)strife__scenario_params(sc);
  p.hard_share = 0.3;
  p.cop_cap = 200;
  struct strife__alloc a;
  strife__alloc_init(&a, NULL);
  struct strife__epstein *e;
  strife_diag d;
  CHECK_EQ(strife__epstein_create(&e, &a, &p, 5, 1, &d), 0);
  CHECK_EQ(e->n_hard, (uint32_t)floor(0.3 * e->n_cit + 0.5));
  struct strife__tally t;
  /* Hardliners see no legitimacy, the public full legitimacy; no cops:
     exactly the hardliners with H > T are active, and no one else. */
  struct strife__drive dr = {{0.0, 1.0}, 0};
  for (int i = 0; i < 20; i++) {
    strife__epstein_drive(e, &dr);
    strife__epstein_step(e);
  }
  strife__epstein_tally(e, &t);
  CHECK_EQ(t.cops, 0);
  CHECK_EQ(t.active[0], 0);
  CHECK_EQ(t.active[1], aggrieved_of(e, 1));
  CHECK_EQ(t.quiet[0] + t.quiet[1] + t.active[1], e->n_cit);
  CHECK_EQ(t.quiet[1] + t.active[1], e->n_hard);
  /* The other way round. */
  dr = (struct strife__drive){{1.0, 0.0}, 0};
  strife__epstein_drive(e, &dr);
  strife__epstein_step(e);
  strife__epstein_tally(e, &t);
  CHECK_EQ(t.active[1], 0);
  CHECK_EQ(t.active[0], aggrieved_of(e, 0));
  /* Cops as asked, up to the cap; arrests only among the actives' audience
     (after a tick without cops for the public to turn quiet). */
  dr = (struct strife__drive){{0.0, 1.0}, 0};
  strife__epstein_drive(e, &dr);
  strife__epstein_step(e);
  dr.cops = 150;
  uint64_t arrests[2] = {0, 0};
  for (int i = 0; i < 10; i++) {
    strife__epstein_drive(e, &dr);
    strife__epstein_step(e);
    strife__epstein_tally(e, &t);
    CHECK(tally_agrees(e));
    CHECK_EQ(t.cops, 150);
    arrests[0] += t.arrests[0];
    arrests[1] += t.arrests[1];
  }
  CHECK_EQ(arrests[0], 0);
  CHECK(arrests[1] > 0);
  CHECK(t.jailed[1] > 0 && t.jailed[0] == 0);
  dr.cops = 500;
  strife__epstein_drive(e, &dr);
  strife__epstein_tally(e, &t);
  CHECK_EQ(t.cops, 200);
  CHECK(consistent(e));
  strife__epstein_destroy(e);
  /* Audiences go by citizen number, which needs shuffled numbers. */
  p.placement = STRIFE__PLACE_BERNOULLI;
  CHECK_EQ(strife__epstein_create(&e, &a, &p, 5, 1, &d), STRIFE_ENOTSUP);
  CHECK_STR(d.key, "variant.placement");
  strife_scenario_destroy(sc);
}

/* An allocator that fails the k-th allocation, counting live blocks. */
struct failing {
  int k, n;
  long live;
};

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  struct failing *f = ud;
  (void)osize;
  if (nsize == 0) {
    if (ptr) f->live--;
    free(ptr);
    return NULL;
  }
  if (++f->n == f->k) return NULL;
  void *p = realloc(ptr, nsize);
  if (p && !ptr) f->live++;
  return p;
}

static void test_alloc_failure(void) {
  strife_scenario *sc = load_preset("epstein-netlogo", NULL);
  int k, done = 0;
  for (k = 1; k < 100 && !done; k++) {
    struct failing f = {k, 0, 0};
    strife_config cfg;
    strife_config_init(&cfg);
    cfg.alloc = failing_alloc;
    cfg.alloc_ud = &f;
    strife_sim *sim = NULL;
    strife_diag d;
    int rc = strife_sim_create(sc, &cfg, &sim, &d);
    if (rc == STRIFE_OK) {
      strife_sim_step(sim);
      strife_sim_destroy(sim);
      done = 1;
    } else {
      CHECK_EQ(rc, STRIFE_ENOMEM);
      CHECK(sim == NULL);
    }
    CHECK_EQ(f.live, 0);
  }
  CHECK_MSG(done && k > 3, "creation never succeeded or needed < 3 blocks");
  strife_scenario_destroy(sc);
}

/* A lattice's team has a thread for every strife__par_min_cells cells at
   most (the tests below lower it to 1 to step small lattices by teams). */
static void test_team_size(void) {
  static const struct {
    const char *side;
    unsigned want;
  } cases[] = {{"40", 1}, {"127", 1}, {"190", 2}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char w[64], h[64];
    snprintf(w, sizeof w, "lattice.width=%s", cases[i].side);
    snprintf(h, sizeof h, "lattice.height=%s", cases[i].side);
    strife_scenario *sc =
        load_preset("epstein-mesa", "run.update=parallel", w, h, NULL);
    strife_sim *sim = make_sim(sc, 1, 4);
    const struct strife__epstein *e = strife__sim_state(sim);
    CHECK_MSG(e->par->nt == cases[i].want, "side %s: %u threads, want %u",
              cases[i].side, e->par->nt, cases[i].want);
    strife_sim_destroy(sim);
    strife_scenario_destroy(sc);
  }
}

int main(void) {
  printf("test_epstein: fixed seeds 1..20\n");
  test_team_size();
  strife__par_min_cells = 1;
  test_ratio();
  test_arrest_p();
  test_jail_terms();
  test_schedule();
  test_placement();
  test_cop_schedule("run.update=sequential");
  test_cop_schedule("run.update=parallel");
  const char *presets[3] = {"epstein-netlogo", "epstein-mesa", "epstein-paper"};
  for (int i = 0; i < 3; i++) {
    test_look(presets[i]);
    test_consistency(presets[i], "run.update=sequential");
  }
  test_consistency("epstein-mesa", "run.update=parallel");
  test_consistency("epstein-paper", "variant.cop_after_arrest=stay");
  test_parallel_refuses();
  test_paths();
  test_claims();
  test_redraw();
  test_drive("run.update=sequential");
  test_drive("run.update=parallel");
  test_determinism();
  test_alloc_failure();
  return test_report("epstein");
}
