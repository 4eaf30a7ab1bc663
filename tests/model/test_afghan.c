/* SPDX-License-Identifier: MIT */
/*
 * The Afghan model's mechanisms, each channel on its own: two states that
 * differ in one lever only, run on the same seeds, everything else equal.
 * The strategic layer is driven directly, with the lattices' counts held
 * at zero, so that nothing but the channel under test moves.
 *
 *   - US intelligence sharing raises counter-terror detection (removals
 *     per fighter-day by ct.intel_boost) and lowers hardliner legitimacy;
 *   - sheltering the TTP lowers Pakistan's legitimacy and brings more
 *     Pakistani strikes;
 *   - attacks lower public legitimacy in their province, and only there;
 *   - a decapitation strike lowers IS-K's attack capacity until the slot
 *     refills, after ct.recovery_days on average;
 *   - unpaid forces desert at taliban.desertion a day;
 *   - IS-K under pressure withdraws from attacks at home, by the posture
 *     law exactly, turns part of it to operations abroad and lies low
 *     with the rest, which shields it from removal.
 *
 * Seeds 1..SEEDS; tolerances are stated with each check.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sim.h"
#include "models/afghan/afghan.h"
#include "scenario/scenario.h"
#include "support.h"

enum { SEEDS = 10 };

static struct strife__provinces table;

/* The default scenario's parameters with the overrides given. */
static struct strife__afghan_params params(const char *const *sets, size_t n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/scenarios/afghanistan-2021.json",
           STRIFE_SOURCE_DIR);
  strife_scenario *sc;
  strife_diag d;
  if (strife_scenario_load(path, sets, n, &sc, &d)) {
    fprintf(stderr, "cannot load %s: %s %s\n", path, d.key, d.msg);
    exit(2);
  }
  struct strife__afghan_params p =
      *(const struct strife__afghan_params *)strife__scenario_params(sc);
  strife_scenario_destroy(sc);
  table = p.prov;
  return p;
}

/* Runs 'days' days from the start with no one active on the lattices. */
static void run_days(struct strife__strat *s, int days) {
  static const struct strife__pobs zero[STRIFE__PROVINCES_MAX];
  for (int t = 0; t < days; t++) {
    strife__strat_begin(s, s->p.start + (s->day - s->p.start + 1));
    strife__strat_end(s, zero);
  }
}

static void start(struct strife__strat *s,
                  const struct strife__afghan_params *p, uint64_t seed) {
  struct strife__alloc a;
  strife__alloc_init(&a, NULL);
  strife__strat_init(s, &p->st, &table, seed, &a);
}

static void test_intel_sharing(void) {
  /* Lying low shields fighters by their pressure, which differs between
     the arms: hide=0 keeps the channel alone. */
  const char *base[] = {"policy=middle-road",   "us=humanitarian",
                        "pakistan-strikes=off", "isk.hide=0",
                        "ct.learning=0",        "ct.informants=0",
                        "taliban.defection=0"};
  const char *intel[] = {"policy=middle-road",   "us=intel-sharing",
                         "pakistan-strikes=off", "isk.hide=0",
                         "ct.learning=0",        "ct.informants=0",
                         "taliban.defection=0"};
  struct strife__afghan_params pb = params(base, 7), pi = params(intel, 7);
  double ratio = 0, hard_gap = 0;
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat a, b;
    start(&a, &pb, (uint64_t)seed);
    start(&b, &pi, (uint64_t)seed);
    double rem[2] = {0, 0}, days[2] = {0, 0};
    for (int t = 0; t < 365; t++) {
      run_days(&a, 1);
      run_days(&b, 1);
      rem[0] += a.nat.removed;
      days[0] += a.nat.isk;
      rem[1] += b.nat.removed;
      days[1] += b.nat.isk;
    }
    ratio += (rem[1] / days[1]) / (rem[0] / days[0]) / SEEDS;
    /* Hardliner legitimacy: lower every seed. */
    CHECK_MSG(b.hard < a.hard - 0.1, "seed %d: hardliner %.3f vs %.3f", seed,
              b.hard, a.hard);
    hard_gap += (a.hard - b.hard) / SEEDS;
    strife__strat_free(&a);
    strife__strat_free(&b);
  }
  /* Removals per fighter-day scale by ct.intel_boost = 1.5.  Each seed
     counts some 1,500 removals, a relative se near 3 % for each rate and
     4 % for their ratio, 1.3 % over ten seeds. */
  CHECK_MSG(fabs(ratio - pi.st.intel_boost) < 0.1,
            "removal ratio %.3f, expected %.2f", ratio, pi.st.intel_boost);
  /* The hardliner target falls by legitimacy.hardliner_us; after a year of
     relaxing at legitimacy.relax the gap is 0.15 (1 - 0.99^365). */
  double want = pi.st.hard_us * (1 - pow(1 - pi.st.relax, 365));
  CHECK_NEAR(hard_gap, want, 1e-6);
  /* A Taliban that takes no US help gains and loses nothing by it. */
  const char *sq[] = {"policy=radicalise", "us=intel-sharing"};
  const char *sq0[] = {"policy=radicalise", "us=humanitarian"};
  struct strife__afghan_params p1 = params(sq, 2), p0 = params(sq0, 2);
  struct strife__strat a, b;
  start(&a, &p0, 3);
  start(&b, &p1, 3);
  run_days(&a, 200);
  run_days(&b, 200);
  CHECK(a.isk == b.isk && a.hard == b.hard);
  strife__strat_free(&a);
  strife__strat_free(&b);
}

/* Sheltering the TTP against constraining it, all other levers equal. */
static void test_shelter_ttp(void) {
  const char *sets[] = {"policy=status-quo", "pakistan-strikes=on"};
  struct strife__afghan_params p = params(sets, 2);
  int strikes[2] = {0, 0}, lower = 0;
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat s[2];
    for (int k = 0; k < 2; k++) {
      start(&s[k], &p, (uint64_t)seed);
      s[k].pol.treat[STRIFE__TTP] = k ? STRIFE__CONSTRAIN : STRIFE__TOLERATE;
      for (int t = 0; t < 3 * 365; t++) {
        size_t from = s[k].n_events;
        run_days(&s[k], 1);
        for (size_t e = from; e < s[k].n_events; e++)
          strikes[k] += s[k].events[e].kind == STRIFE__E_AIRSTRIKE;
      }
    }
    lower += s[0].intl[STRIFE__S_PAKISTAN] < s[1].intl[STRIFE__S_PAKISTAN];
    strife__strat_free(&s[0]);
    strife__strat_free(&s[1]);
  }
  /* Pakistan's view is lower under shelter in every seed (its target is
     legitimacy.intl_shelter = 0.1 lower, and TTP attacks into Pakistan
     twice as many). */
  CHECK_EQ(lower, SEEDS);
  /* Strikes: tolerated TTP attack Pakistan about twice as often, which
     reaches the strike threshold more often. */
  CHECK_MSG(strikes[0] > strikes[1] && strikes[0] >= 10,
            "strikes %d sheltered, %d constrained", strikes[0], strikes[1]);
  printf("afghan: Pakistani strikes over 3 years x %d seeds: %d with the "
         "TTP sheltered, %d constrained\n",
         SEEDS, strikes[0], strikes[1]);
}

/* Attacks against none: public legitimacy falls where the dead are. */
static void test_attacks_public(void) {
  /* Public legitimacy moves revenue and detection, and through them
     hardship everywhere: those channels are closed here. */
  const char *on[] = {"pakistan-strikes=off", "money.compliance=0",
                      "ct.informants=0"};
  const char *off[] = {"pakistan-strikes=off", "isk.attack_rate=0",
                       "money.compliance=0", "ct.informants=0"};
  struct strife__afghan_params pa = params(on, 3), p0 = params(off, 4);
  int bad = 0, hit = 0;
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat a, b;
    start(&a, &pa, (uint64_t)seed);
    start(&b, &p0, (uint64_t)seed);
    double fat[STRIFE__PROVINCES_MAX] = {0};
    for (int t = 0; t < 180; t++) {
      size_t from = a.n_events;
      run_days(&a, 1);
      run_days(&b, 1);
      for (size_t e = from; e < a.n_events; e++)
        if (a.events[e].kind == STRIFE__E_ATTACK && a.events[e].country < 0)
          fat[a.events[e].province] += a.events[e].fatalities;
    }
    for (size_t i = 0; i < table.n; i++) {
      if (fat[i] > 0) {
        hit++;
        bad += !(a.pub[i] < b.pub[i]);
      } else {
        bad += a.pub[i] != b.pub[i];
      }
    }
    strife__strat_free(&a);
    strife__strat_free(&b);
  }
  CHECK_MSG(bad == 0,
            "%d province-seeds where attacks did not lower, or "
            "the absence of attacks moved, public legitimacy",
            bad);
  CHECK(hit >= SEEDS * 5);
}

/* A strike empties a slot: capacity falls by leader_weight / slots and
   comes back when the slot refills, ct.recovery_days later on average. */
static void test_decapitation(void) {
  /* Money enough that only the leaders limit the capacity. */
  const char *sets[] = {"ct.decap_rate=1", "policy=anti-terror-push",
                        "us=humanitarian", "isk.income=100"};
  struct strife__afghan_params p = params(sets, 4);
  const int n = 200;
  double mean = 0;
  int ok_cap = 0;
  for (int seed = 1; seed <= n; seed++) {
    struct strife__strat s;
    start(&s, &p, (uint64_t)seed);
    run_days(&s, 1); /* strike probability 1 on the first day */
    int vacant = p.st.slots - s.slots_filled;
    double cap = s.nat.capacity;
    s.pol.decap = 0;
    int days = 0;
    while (s.slots_filled < p.st.slots && days < 5000) {
      run_days(&s, 1);
      days++;
    }
    ok_cap += vacant == 1 &&
              fabs(cap - (1 - p.st.leader_weight / p.st.slots)) < 1e-12 &&
              s.nat.capacity == 1.0;
    mean += days / (double)n;
    strife__strat_free(&s);
  }
  CHECK_EQ(ok_cap, n);
  /* The slot is back 1 + floor(Exp(120)) days after the strike, mean
     about 120.5; the se of the mean of 200 is 8.5. */
  CHECK_MSG(fabs(mean - (p.st.recovery + 0.5)) < 34,
            "mean recovery %.1f days, expected %.1f", mean,
            p.st.recovery + 0.5);
}

/* Without revenue or aid the treasury runs dry at once and the forces
   shrink by taliban.desertion a day: F0 (1 - d)^t exactly. */
static void test_desertion(void) {
  const char *broke[] = {"money.revenue=0", "money.aid_2022=0",
                         "money.aid_2022_h1=0", "money.aid_2023=0",
                         "taliban.defection=0"};
  struct strife__afghan_params p = params(broke, 5);
  struct strife__strat s;
  start(&s, &p, 1);
  run_days(&s, 100);
  double want = p.st.forces0 * pow(1 - p.st.desertion, 100);
  CHECK_NEAR(s.forces, want, 1e-6 * want);
  CHECK(s.deficit_days == 100);
  strife__strat_free(&s);
  /* Paid, they grow. */
  struct strife__afghan_params q = params(NULL, 0);
  start(&s, &q, 1);
  run_days(&s, 100);
  CHECK(s.forces > q.st.forces0 && s.deficit_days == 0);
  strife__strat_free(&s);
}

/* The whole model, lattices and all, gives the same days on 1, 2 and 3
   threads (provinces run in any order on any thread). */
static void test_threads(void) {
  strife_scenario *sc =
      load_preset("afghanistan-2021", "population.scale=3000", NULL);
  enum { DAYS = 40 };
  static struct strife__national rec[3][DAYS];
  uint64_t jailed[3] = {0, 0, 0};
  for (unsigned th = 1; th <= 3; th++) {
    strife_sim *sim = make_sim(sc, 4, th);
    const struct strife__afghan *m = strife__sim_state(sim);
    for (int d = 0; d < DAYS; d++) {
      strife_sim_step(sim);
      rec[th - 1][d] = m->st.nat;
    }
    strife_counts c;
    strife_sim_counts(sim, &c);
    jailed[th - 1] = c.jailed;
    strife_sim_destroy(sim);
  }
  int differ = 0;
  for (int t = 1; t < 3; t++) {
    for (int d = 0; d < DAYS; d++) {
      const struct strife__national *a = &rec[0][d], *b = &rec[t][d];
      differ += a->isk != b->isk || a->attacks != b->attacks ||
                a->fatalities != b->fatalities || a->pub != b->pub ||
                a->hard != b->hard || a->active[0] != b->active[0] ||
                a->active[1] != b->active[1] || a->jailed != b->jailed ||
                a->arrests != b->arrests || a->forces != b->forces ||
                a->treasury != b->treasury;
    }
    CHECK_EQ(jailed[0], jailed[t]);
  }
  CHECK_EQ(differ, 0);
  CHECK(jailed[0] > 0);
  strife_scenario_destroy(sc);
}

/* IS-K without money attacks at isk.broke_capacity of its rate. */
static void test_isk_money(void) {
  /* Attacks move public legitimacy, and through it detection and
     revenue: those channels are closed here. */
  const char *rich[] = {"pakistan-strikes=off", "ct.informants=0",
                        "money.compliance=0"};
  const char *broke[] = {"pakistan-strikes=off", "isk.money=0", "isk.income=0",
                         "ct.informants=0", "money.compliance=0"};
  struct strife__afghan_params pr = params(rich, 3), pb = params(broke, 5);
  double n[2] = {0, 0};
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat a, b;
    start(&a, &pr, (uint64_t)seed);
    start(&b, &pb, (uint64_t)seed);
    for (int t = 0; t < 365; t++) {
      run_days(&a, 1);
      run_days(&b, 1);
      n[0] += a.nat.attacks;
      n[1] += b.nat.attacks;
      CHECK(b.isk_money == 0 && b.nat.isk_money == 0);
    }
    /* The same fighters either way: money moves attacks only. */
    CHECK(a.isk == b.isk);
    strife__strat_free(&a);
    strife__strat_free(&b);
  }
  /* Some 2,800 attacks with money over the ten seeds: the ratio has a
     relative se near 3 % (more, with the clustering). */
  CHECK_MSG(fabs(n[1] / n[0] - pb.st.isk_broke) < 0.08,
            "attacks %.0f broke against %.0f funded, ratio %.3f", n[1], n[0],
            n[1] / n[0]);
}

/* A dated change of a foreign lever: nothing differs before the date, the
   channel opens on it, and the change is in the event log. */
static void test_dated_lever(void) {
  const char *base[] = {"policy=middle-road", "us=humanitarian"};
  const char *later[] = {
      "policy=middle-road", "us=humanitarian",
      "policy_changes=[{\"date\": \"2022-03-01\", \"us\": \"intel-sharing\"}]"};
  struct strife__afghan_params p0 = params(base, 2), p1 = params(later, 3);
  struct strife__strat a, b;
  start(&a, &p0, 2);
  start(&b, &p1, 2);
  const int64_t change = p1.st.changes.c[0].day;
  int same_before = 1, lever_events = 0;
  while (b.day < change - 1) {
    run_days(&a, 1);
    run_days(&b, 1);
    same_before &= a.isk == b.isk && a.hard == b.hard;
  }
  run_days(&a, 30);
  for (int t = 0; t < 30; t++) {
    size_t from = b.n_events;
    run_days(&b, 1);
    for (size_t e = from; e < b.n_events; e++)
      lever_events += b.events[e].kind == STRIFE__E_LEVER &&
                      b.events[e].day == change &&
                      b.events[e].detail == STRIFE__L_US * 8 + STRIFE__US_INTEL;
  }
  CHECK(same_before);
  CHECK_EQ(b.us, STRIFE__US_INTEL);
  CHECK_EQ(lever_events, 1);
  CHECK(b.hard < a.hard);
  strife__strat_free(&a);
  strife__strat_free(&b);
}

/* An allocator that fails every request once 'fail' is set. */
struct failing {
  int fail;
  unsigned refused;
};

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)osize;
  struct failing *f = ud;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  if (f->fail) {
    f->refused++;
    return NULL;
  }
  return realloc(ptr, nsize);
}

/* A step that cannot grow the day's event log fails with STRIFE_ENOMEM
   and says why through strife_sim_errmsg; the simulation is still freed
   whole (the sanitizer build checks for leaks). */
static void test_step_enomem(void) {
  strife_scenario *sc =
      load_preset("afghanistan-2021", "population.scale=10000",
                  "policy_changes=[{\"date\": \"2021-09-02\", \"policy\": "
                  "\"radicalise\"}]",
                  "isk.attack_rate=0", "groups.ttp_attacks=0", NULL);
  struct failing f = {0, 0};
  strife_config cfg;
  strife_config_init(&cfg);
  cfg.alloc = failing_alloc;
  cfg.alloc_ud = &f;
  strife_sim *sim;
  strife_diag d;
  CHECK_OK(strife_sim_create(sc, &cfg, &sim, &d));
  CHECK_OK(strife_sim_step(sim)); /* 1 September: no event (no attack) */
  CHECK_STR(strife_sim_errmsg(sim), "");
  f.fail = 1; /* 2 September: the policy changes, an event to log */
  CHECK_EQ(strife_sim_step(sim), STRIFE_ENOMEM);
  CHECK(f.refused > 0);
  CHECK_STR(strife_sim_errmsg(sim),
            "out of memory growing the day's event log");
  CHECK_EQ(strife_sim_tick(sim), 1);
  strife_sim_destroy(sim);
  strife_scenario_destroy(sc);
}

/* IS-K's posture: felt pressure (isk.pressure_ref = 1: none) against the
   default, on the same seeds. */
static void test_posture(void) {
  const char *felt[] = {"pakistan-strikes=off"};
  const char *none[] = {"pakistan-strikes=off", "isk.pressure_ref=1"};
  const char *bare[] = {"pakistan-strikes=off", "isk.hide=0"};
  struct strife__afghan_params pf = params(felt, 1), pn = params(none, 2),
                               pb = params(bare, 2);
  double fall[2] = {0, 0}, abroad[2] = {0, 0}, shield = 0;
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat s[3];
    start(&s[0], &pf, (uint64_t)seed);
    start(&s[1], &pn, (uint64_t)seed);
    start(&s[2], &pb, (uint64_t)seed);
    double rate[2][2] = {{0, 0}, {0, 0}}, fd[2][2] = {{0, 0}, {0, 0}};
    double rem[2] = {0, 0}, kd[2] = {0, 0};
    for (int t = 0; t < 365; t++) {
      double before = s[0].pressure;
      for (int k = 0; k < 3; k++)
        run_days(&s[k], 1);
      /* The law: home = 1 / (1 + (pressure / ref)^steepness), abroad
         abroad_share of the rest, from the pressure the day began with. */
      double x = before / pf.st.pressure_ref;
      double home = 1 / (1 + pow(x, pf.st.steepness));
      CHECK_NEAR(s[0].nat.home, home, 1e-12);
      CHECK_NEAR(s[0].nat.abroad, pf.st.abroad_share * (1 - home), 1e-12);
      int late = t >= 180;
      for (int k = 0; k < 2; k++) {
        if (t < 60 || late) {
          rate[k][late] += s[k].nat.attacks;
          fd[k][late] += s[k].nat.isk;
        }
        abroad[k] += s[k].nat.cross_border;
      }
      /* Removal a fighter-day, lying low (hide 0.5) and not (hide 0). */
      rem[0] += s[0].nat.removed;
      kd[0] += s[0].nat.isk;
      rem[1] += s[2].nat.removed;
      kd[1] += s[2].nat.isk;
    }
    for (int k = 0; k < 2; k++)
      fall[k] += (rate[k][1] / fd[k][1]) / (rate[k][0] / fd[k][0]) / SEEDS;
    shield += (rem[0] / kd[0]) / (rem[1] / kd[1]) / SEEDS;
    for (int k = 0; k < 3; k++)
      strife__strat_free(&s[k]);
  }
  /* Without pressure the attacks a fighter-day do not fall (they rise a
     little as the leaders and money of the first months come back); under
     it they fall by a quarter or more against that, as the forces'
     counter-terrorism grows.  Each seed's ratio is noisy (some 100
     attacks in the first 60 days, in Hawkes clusters): ten seeds. */
  CHECK_MSG(fall[1] > 0.9, "no pressure: late/early %.3f", fall[1]);
  CHECK_MSG(fall[0] < 0.75 * fall[1], "pressure: late/early %.3f vs %.3f",
            fall[0], fall[1]);
  /* Operations abroad come only from capacity withdrawn from home. */
  CHECK_MSG(abroad[0] > 10 && abroad[1] < 1, "abroad %.0f vs %.0f", abroad[0],
            abroad[1]);
  /* Lying low lowers removal a fighter-day (hide 0.5 x its share). */
  CHECK_MSG(shield < 0.95, "removal ratio lying low %.3f", shield);
}

/* Sheltered groups pass trained fighters to IS-K, from the tolerated
   ones only, at groups.shelter_feed G / 1,000 a day, and grow by
   groups.growth a day. */
static void test_shelter_feed(void) {
  const char *feed[] = {"pakistan-strikes=off"};
  const char *none[] = {"pakistan-strikes=off", "groups.shelter_feed=0"};
  struct strife__afghan_params pf = params(feed, 1), pn = params(none, 2);
  double got = 0, want = 0, more = 0;
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat a, b;
    start(&a, &pf, (uint64_t)seed);
    start(&b, &pn, (uint64_t)seed);
    for (int t = 0; t < 365; t++) {
      double tolerated = 0; /* status quo: the TTP and al-Qaeda */
      for (int k = 0; k < STRIFE__N_GROUPS; k++)
        tolerated += a.pol.treat[k] == STRIFE__TOLERATE ? a.groups[k] : 0.0;
      double imu = a.groups[STRIFE__IMU];
      run_days(&a, 1);
      run_days(&b, 1);
      want += pf.st.shelter_feed * tolerated / 1000.0;
      got += a.nat.recruits[STRIFE__R_SHELTER];
      CHECK(b.nat.recruits[STRIFE__R_SHELTER] == 0);
      /* The constrained IMU only loses (constrain_rate), never feeds. */
      CHECK_NEAR(a.groups[STRIFE__IMU], imu * (1 - pf.st.constrain_rate), 1e-9);
    }
    more += a.isk > b.isk ? 1 : 0;
    strife__strat_free(&a);
    strife__strat_free(&b);
  }
  /* Some 200 recruits a seed, 2,000 in all: a relative se near 2 %. */
  CHECK_MSG(fabs(got / want - 1) < 0.08, "shelter recruits %.0f, expected %.0f",
            got, want);
  CHECK_MSG(more >= SEEDS - 1, "IS-K larger with the feed in %.0f seeds", more);
  /* Growth alone: G0 (1 + growth)^t exactly. */
  const char *grow[] = {"pakistan-strikes=off", "groups.shelter_feed=0",
                        "groups.ttp_attacks=0"};
  struct strife__afghan_params pg = params(grow, 3);
  struct strife__strat s;
  start(&s, &pg, 1);
  run_days(&s, 500);
  double g = pg.st.group0[STRIFE__TTP] * pow(1 + pg.st.group_growth, 500);
  CHECK_NEAR(s.groups[STRIFE__TTP], g, 1e-9 * g);
  strife__strat_free(&s);
}

/* Hardliner legitimacy below its start takes the Taliban's own fighters:
   Poisson(defection (L0 - L) F) a day, of whom isk.taliban_recruits join
   IS-K. */
static void test_defection(void) {
  /* US intelligence taken: the hardliner target falls by hardliner_us. */
  const char *sets[] = {"policy=middle-road", "us=intel-sharing",
                        "pakistan-strikes=off"};
  const char *off[] = {"policy=middle-road", "us=intel-sharing",
                       "pakistan-strikes=off", "taliban.defection=0"};
  struct strife__afghan_params p = params(sets, 3), q = params(off, 4);
  double left = 0, want = 0, joined = 0;
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat a, b;
    start(&a, &p, (uint64_t)seed);
    start(&b, &q, (uint64_t)seed);
    for (int t = 0; t < 730; t++) {
      want += p.st.defection * fmax(0, p.st.hard0 - a.hard) * a.forces;
      run_days(&a, 1);
      run_days(&b, 1);
      left += a.nat.defectors;
      joined += a.nat.recruits[STRIFE__R_TALIBAN];
      CHECK(b.nat.defectors == 0 && b.nat.recruits[STRIFE__R_TALIBAN] == 0);
    }
    strife__strat_free(&a);
    strife__strat_free(&b);
  }
  /* Some 2,000 defectors a seed. */
  CHECK_MSG(want > 1000 && fabs(left / want - 1) < 0.05,
            "defectors %.0f, expected %.0f", left, want);
  /* About 2,000 join in all: a binomial share within 5 %. */
  CHECK_MSG(fabs(joined / left - p.st.taliban_join) < 0.05 * p.st.taliban_join,
            "joined %.0f of %.0f", joined, left);
}

/* Public legitimacy moves revenue and detection by their laws, exactly;
   and a public that withdraws its legitimacy hides IS-K. */
static void test_compliance(void) {
  const char *sets[] = {"pakistan-strikes=off", "legitimacy.public_base=0.35",
                        "isk.hide=0"};
  const char *same[] = {"pakistan-strikes=off", "isk.hide=0"};
  struct strife__afghan_params p = params(sets, 3), q = params(same, 2);
  double rate[2] = {0, 0};
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat a, b;
    start(&a, &p, (uint64_t)seed);
    start(&b, &q, (uint64_t)seed);
    double rem[2] = {0, 0}, kd[2] = {0, 0};
    for (int t = 0; t < 365; t++) {
      double learnt = fmin(1, a.removed_all / p.st.isk0);
      double c0 = a.compliance;
      run_days(&a, 1);
      run_days(&b, 1);
      double c = a.nat.pub / p.st.pub0;
      CHECK_NEAR(a.nat.compliance, c, 1e-12);
      CHECK_NEAR(a.nat.revenue * 365, p.st.revenue * pow(c, p.st.compliance),
                 1e-9);
      CHECK_NEAR(a.nat.detection,
                 pow(c0, p.st.informants) * (1 + p.st.learning * learnt),
                 1e-12);
      rem[0] += a.nat.removed;
      kd[0] += a.nat.isk;
      rem[1] += b.nat.removed;
      kd[1] += b.nat.isk;
    }
    rate[0] += rem[0] / kd[0] / SEEDS;
    rate[1] += rem[1] / kd[1] / SEEDS;
    strife__strat_free(&a);
    strife__strat_free(&b);
  }
  /* Public legitimacy halves over the year (relaxing to half its start):
     fewer removals a fighter-day by about (3/4)^informants. */
  CHECK_MSG(rate[0] < 0.95 * rate[1], "removal %.3g against %.3g", rate[0],
            rate[1]);
}

/* International standing: aid follows the US view, China pays above its
   threshold only, Pakistan strikes sooner as its view falls. */
static void test_standing(void) {
  /* No attack on Chinese nationals: China's view moves with
     counter-terrorism alone. */
  const char *sets[] = {
      "money.scandal_rate=0",      "china-development=on",
      "policy=anti-terror-push",   "us=humanitarian",
      "attacks.share_chinese=0",   "attacks.share_shia=0.3",
      "attacks.share_taliban=0.5", "attacks.share_foreign=0.2",
      "legitimacy.china=0.4"};
  struct strife__afghan_params p = params(sets, 9);
  struct strife__strat s;
  start(&s, &p, 1);
  int paid = 0;
  /* Aid moves with the US view against its value at the end of 2021 (its
     start before). */
  double ref = p.st.int0[STRIFE__S_US];
  for (int t = 0; t < 730; t++) {
    int quiet =
        (double)(s.day + 1 - s.chinese_attack_day) > p.st.china_quiet_days;
    if (s.day == 18992) ref = s.intl[STRIFE__S_US];
    run_days(&s, 1);
    /* The year's aid, by half in 2022 (days 18993, 19174 and 19358 are
       2022-01-01, 2022-07-01 and 2023-01-01). */
    double base = s.day < 18993   ? p.st.aid_2022
                  : s.day < 19174 ? p.st.aid_2022_h1 * 365 / 181
                  : s.day < 19358
                      ? (p.st.aid_2022 - p.st.aid_2022_h1) * 365 / 184
                      : p.st.aid_2023;
    double us = s.intl[STRIFE__S_US] - ref;
    CHECK_NEAR(s.nat.aid * 365, base * fmax(0, 1 + p.st.aid_standing * us),
               1e-9);
    int pays = s.intl[STRIFE__S_CHINA] >= p.st.china_view && quiet;
    CHECK(pays == (s.nat.china > 0));
    paid += pays;
  }
  /* The push raises China's view above the threshold some of the time. */
  CHECK_MSG(paid > 0 && paid < 730, "China paid on %d days", paid);
  strife__strat_free(&s);
  /* Pakistan's view held at its start, and at half of it. */
  const char *pk[] = {"policy=radicalise"};
  struct strife__afghan_params pp = params(pk, 1);
  int strikes[2] = {0, 0};
  for (int seed = 1; seed <= SEEDS; seed++)
    for (int k = 0; k < 2; k++) {
      start(&s, &pp, (uint64_t)seed);
      for (int t = 0; t < 730; t++) {
        s.intl[STRIFE__S_PAKISTAN] =
            pp.st.int0[STRIFE__S_PAKISTAN] * (k ? 0.5 : 1.0);
        run_days(&s, 1);
        strikes[k] += (int)s.nat.strikes;
      }
      strife__strat_free(&s);
    }
  CHECK_MSG(strikes[1] > 1.3 * strikes[0], "strikes %d at half the view, %d",
            strikes[1], strikes[0]);
}

/* Pakistan's strikes answer the attacks crossing into Pakistan: on a day
   of n of them, a strike with probability 1 - (1 - q)^n, q = (L0 / L) /
   strike_attacks.  Pakistan's view held at half its start (attacks move it
   not), over ten seeds of three years the strikes lie within four
   standard deviations of the law's sum; with no attacks there are none. */
static void test_strike_law(void) {
  const char *sets[] = {"policy=radicalise", "pakistan.strike_attacks=40",
                        "legitimacy.intl_attack=0"};
  struct strife__afghan_params p = params(sets, 3);
  double got = 0, want = 0, var = 0;
  const double q = fmin(1.0, 2.0 / p.st.strike_attacks);
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat s;
    start(&s, &p, (uint64_t)seed);
    for (int t = 0; t < 3 * 365; t++) {
      s.intl[STRIFE__S_PAKISTAN] = 0.5 * p.st.int0[STRIFE__S_PAKISTAN];
      run_days(&s, 1);
      double n = s.nat.cross_pk + s.nat.ttp_attacks;
      double pr = 1.0 - pow(1.0 - q, n);
      want += pr;
      var += pr * (1.0 - pr);
      got += s.nat.strikes;
      CHECK(n > 0 || s.nat.strikes == 0);
    }
    strife__strat_free(&s);
  }
  CHECK_MSG(want > 30 && fabs(got - want) < 4.0 * sqrt(var),
            "strikes %.0f against the law's %.1f (sd %.1f)", got, want,
            sqrt(var));
  printf("afghan: Pakistani strikes %.0f against the law's %.1f\n", got, want);
}

/* Counter-terrorism saturates in the forces (ct.saturation), and learns
   from the fighters it removed (ct.learning). */
static void test_ct_saturation(void) {
  const char *sat[] = {"pakistan-strikes=off", "isk.hide=0", "ct.learning=0",
                       "policy=anti-terror-push"};
  const char *lin[] = {"pakistan-strikes=off", "isk.hide=0", "ct.learning=0",
                       "policy=anti-terror-push", "ct.saturation=1e7"};
  struct strife__afghan_params ps = params(sat, 4), pl = params(lin, 5);
  double ratio = 0, want = 0;
  for (int seed = 1; seed <= SEEDS; seed++) {
    struct strife__strat a, b;
    start(&a, &ps, (uint64_t)seed);
    start(&b, &pl, (uint64_t)seed);
    double r[2] = {0, 0}, w = 0;
    for (int t = 0; t < 120; t++) {
      run_days(&a, 1);
      run_days(&b, 1);
      r[0] += a.nat.removed / fmax(1, a.nat.isk + a.nat.removed) /
              (a.nat.ct_forces * a.nat.detection);
      r[1] += b.nat.removed / fmax(1, b.nat.isk + b.nat.removed) /
              (b.nat.ct_forces * b.nat.detection);
      w += (1 + b.nat.ct_forces / 1e7) / (1 + a.nat.ct_forces / 6e4) / 120;
    }
    ratio += r[0] / r[1] / SEEDS;
    want += w / SEEDS;
    strife__strat_free(&a);
    strife__strat_free(&b);
  }
  /* Some 2,000 removals a seed in the linear arm. */
  CHECK_MSG(fabs(ratio / want - 1) < 0.06, "saturated/linear %.3f, want %.3f",
            ratio, want);
  /* Learning: detection 1 + learning x (removed / first strength). */
  const char *learn[] = {"pakistan-strikes=off", "policy=anti-terror-push",
                         "ct.informants=0"};
  struct strife__afghan_params pq = params(learn, 3);
  struct strife__strat s;
  start(&s, &pq, 2);
  for (int t = 0; t < 400; t++) {
    double learnt = fmin(1, s.removed_all / pq.st.isk0);
    run_days(&s, 1);
    CHECK_NEAR(s.nat.detection, 1 + pq.st.learning * learnt, 1e-12);
  }
  CHECK(s.removed_all > 0);
  strife__strat_free(&s);
}

/* Repression provokes: the grievance factor grows with the share of a
   province in jail, by its law exactly; and over the whole model more
   citizens turn active with it. */
static void test_provocation(void) {
  struct strife__afghan_params p = params(NULL, 0);
  struct strife__strat s;
  start(&s, &p, 1);
  static struct strife__pobs obs[STRIFE__PROVINCES_MAX];
  obs[0].citizens = 1000;
  obs[0].jailed[0] = 80;
  obs[0].jailed[1] = 20;
  strife__strat_begin(&s, s.p.start);
  strife__strat_end(&s, obs);
  struct strife__pdrive dr, d1;
  strife__strat_drive(&s, 0, &dr);
  strife__strat_drive(&s, 1, &d1);
  double g = p.st.grievance * s.hardship;
  CHECK_NEAR(dr.factor[0], g * (1 + p.st.provocation * 0.1) * (1 - s.pub[0]),
             1e-12);
  CHECK_NEAR(dr.factor[1], g * (1 + p.st.provocation * 0.1) * (1 - s.hard),
             1e-12);
  CHECK_NEAR(d1.factor[0], g * (1 - s.pub[1]), 1e-12);
  strife__strat_free(&s);
  /* The whole model, 150 days, three seeds: more active with provocation
     2 than with none. */
  double active[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    strife_scenario *sc = load_preset(
        "afghanistan-2021", "population.scale=3000",
        k ? "population.provocation=2" : "population.provocation=0", NULL);
    for (uint64_t seed = 1; seed <= 3; seed++) {
      strife_sim *sim = make_sim(sc, seed, 1);
      const struct strife__afghan *m = strife__sim_state(sim);
      for (int d = 0; d < 150; d++) {
        strife_sim_step(sim);
        active[k] += (double)m->st.nat.active[0];
      }
      strife_sim_destroy(sim);
    }
    strife_scenario_destroy(sc);
  }
  CHECK_MSG(active[1] > 1.1 * active[0], "active %.0f provoked, %.0f not",
            active[1], active[0]);
}

int main(void) {
  test_shelter_feed();
  test_defection();
  test_compliance();
  test_standing();
  test_strike_law();
  test_ct_saturation();
  test_provocation();
  test_posture();
  printf("test_afghan: seeds 1..%d (decapitation: 1..200)\n", SEEDS);
  test_threads();
  test_intel_sharing();
  test_shelter_ttp();
  test_attacks_public();
  test_decapitation();
  test_desertion();
  test_dated_lever();
  test_isk_money();
  test_step_enomem();
  return test_report("afghan");
}
