/* SPDX-License-Identifier: MIT */
/* The strategic layer of the Afghan model (strategic.h, docs/model.md). */
#include "strategic.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/grng.h"

/* The presets: the article's four courses as lever settings
   (docs/model.md, "Policies"). */
static const struct strife__policy presets[STRIFE__N_POLICIES] = {
    /* status-quo: conventional defence first, IS-K played down, occasional
       decapitation, TTP and al-Qaeda tolerated, smaller groups
       constrained. */
    {0.10,
     0.3,
     0.6,
     0.5,
     0,
     {STRIFE__TOLERATE, STRIFE__TOLERATE, STRIFE__CONSTRAIN}},
    /* anti-terror-push: forces turned to counter-terrorism, decapitation,
       every group fought, US help taken, a pragmatic line. */
    {0.35, 1.0, 0.2, 0.6, 1, {STRIFE__FIGHT, STRIFE__FIGHT, STRIFE__FIGHT}},
    /* middle-road: more counter-terrorism, groups constrained, not
       fought; US intelligence taken quietly. */
    {0.20,
     0.6,
     0.4,
     0.5,
     1,
     {STRIFE__CONSTRAIN, STRIFE__CONSTRAIN, STRIFE__CONSTRAIN}},
    /* radicalise: the hardliners courted, every group sheltered, heavy
       policing, no dealings with the US. */
    {0.05,
     0.1,
     1.0,
     0.8,
     0,
     {STRIFE__TOLERATE, STRIFE__TOLERATE, STRIFE__TOLERATE}},
};
static const char *const policy_names[STRIFE__N_POLICIES] = {
    "status-quo", "anti-terror-push", "middle-road", "radicalise"};

const char *strife__strat_policy_name(int i) {
  return i >= 0 && i < STRIFE__N_POLICIES ? policy_names[i] : "";
}

const char *strife__strat_event_name(int kind) {
  static const char *const names[STRIFE__N_EVENTS] = {
      "attack",  "decapitation", "airstrike",  "policy",
      "scandal", "backlash",     "ttp-attack", "lever"};
  return kind >= 0 && kind < STRIFE__N_EVENTS ? names[kind] : "";
}

const char *strife__strat_target_name(int target) {
  static const char *const names[STRIFE__N_TARGETS] = {"shia-hazara", "taliban",
                                                       "foreigners", "chinese"};
  return target >= 0 && target < STRIFE__N_TARGETS ? names[target] : "";
}

/* Which state fears which sheltered group: a tolerated group lowers that
   state's target legitimacy (TTP: Pakistan; al-Qaeda: US, Russia; IMU:
   Tajikistan, Russia, China). */
static const int fears[STRIFE__N_STATES][STRIFE__N_GROUPS] = {
    [STRIFE__S_US] = {0, 1, 0},         [STRIFE__S_PAKISTAN] = {1, 0, 0},
    [STRIFE__S_CHINA] = {0, 0, 1},      [STRIFE__S_RUSSIA] = {0, 1, 1},
    [STRIFE__S_TAJIKISTAN] = {0, 0, 1},
};

/* Random streams of the strategic layer, by id within STREAM_STRATEGY. */
enum {
  ID_NATIONAL = 0,
  ID_ABROAD = 8,
  ID_SHELTER = 9,
  ID_DEFECTION = 10,
  ID_PROVINCE = 16
};

/* A stream of its own for one mechanism's draws of the day, so that the
   rest of the day draws the same without it. */
static void own_stream(struct strife__grng *g, const struct strife__strat *s,
                       uint32_t id, uint32_t t) {
  strife__grng_init(g, s->seed, id, t, STRIFE__STREAM_STRATEGY);
}

static double clamp01(double x) {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

static double poisson(gsl_rng *r, double mean) {
  return mean > 0 ? (double)gsl_ran_poisson(r, mean) : 0.0;
}

static void log_event(struct strife__strat *s, const struct strife__event *e) {
  if (s->n_events == s->cap_events) {
    size_t cap = s->cap_events ? 2 * s->cap_events : 256;
    struct strife__event *p = strife__calloc(&s->alloc, cap, sizeof *p);
    if (!p) {
      s->oom = 1;
      return;
    }
    if (s->n_events) memcpy(p, s->events, s->n_events * sizeof *p);
    strife__free(&s->alloc, s->events, s->cap_events, sizeof *s->events);
    s->events = p;
    s->cap_events = cap;
  }
  s->events[s->n_events++] = *e;
}

void strife__strat_init(struct strife__strat *s,
                        const struct strife__strat_params *p,
                        const struct strife__provinces *prov, uint64_t seed,
                        const struct strife__alloc *a) {
  memset(s, 0, sizeof *s);
  s->alloc = *a;
  s->p = *p;
  s->prov = prov;
  s->seed = seed;
  s->day = p->start - 1;
  s->policy = p->policy;
  s->pol = presets[p->policy];
  s->us = p->us;
  s->china_dev = p->china_dev;
  s->pakistan_strikes = p->pakistan_strikes;
  s->forces = p->forces0;
  s->isk = p->isk0;
  s->isk_money = p->isk_money0;
  s->slots_filled = p->slots;
  for (int g = 0; g < STRIFE__N_GROUPS; g++)
    s->groups[g] = p->group0[g];
  s->hard = p->hard0;
  for (int c = 0; c < STRIFE__N_STATES; c++)
    s->intl[c] = p->int0[c];
  s->us_ref = p->int0[STRIFE__S_US];
  s->hardship = 1.0;
  s->compliance = 1.0;
  s->chinese_attack_day = INT64_MIN / 2;
  double wsum = 0;
  for (size_t i = 0; i < prov->n; i++) {
    s->pub[i] = p->pub0;
    s->pop_w[i] = (double)prov->p[i].population;
    s->pk_border[i] = prov->p[i].borders >> STRIFE__C_PAKISTAN & 1;
    s->n_pk_border += (int)s->pk_border[i];
    double w = (double)prov->p[i].population *
               (1.0 + ((p->strongholds >> i & 1) ? p->stronghold : 0.0));
    s->isk_share[i] = w;
    wsum += w;
    strife__hawkes_init(&s->hk[i], &p->hawkes);
  }
  for (size_t i = 0; i < prov->n; i++)
    s->isk_share[i] /= wsum;
}

void strife__strat_free(struct strife__strat *s) {
  strife__free(&s->alloc, s->events, s->cap_events, sizeof *s->events);
  s->events = NULL;
  s->n_events = s->cap_events = 0;
}

void strife__strat_begin(struct strife__strat *s, int64_t day) {
  s->day = day;
  /* The record's aid of 2022 and 2023 was given as the US view stood at
     the end of 2021 (2022-01-01 is day 18993): aid moves with the view
     from there on. */
  if (day == 18993) s->us_ref = s->intl[STRIFE__S_US];
  for (int i = 0; i < s->p.changes.n; i++) {
    const struct strife__dated *c = &s->p.changes.c[i];
    if (c->day != day) continue;
    if (c->value[STRIFE__L_POLICY] >= 0) {
      s->policy = c->value[STRIFE__L_POLICY];
      s->pol = presets[s->policy];
      struct strife__event e = {
          day, -1, STRIFE__E_POLICY, -1, -1, (int8_t)s->policy, 0};
      log_event(s, &e);
    }
    int *lever[STRIFE__LEVERS] = {NULL, &s->us, &s->china_dev,
                                  &s->pakistan_strikes};
    for (int l = STRIFE__L_US; l < STRIFE__LEVERS; l++) {
      if (c->value[l] < 0) continue;
      *lever[l] = c->value[l];
      struct strife__event e = {
          day, -1, STRIFE__E_LEVER, -1, -1, (int8_t)(l * 8 + c->value[l]), 0};
      log_event(s, &e);
    }
  }
  /* Empty leadership slots refill when their recovery is over. */
  for (int k = 0; k < s->p.slots && k < 32; k++)
    if (s->slot_back[k] && s->slot_back[k] <= day) {
      s->slot_back[k] = 0;
      s->slots_filled++;
    }
}

void strife__strat_drive(const struct strife__strat *s, size_t i,
                         struct strife__pdrive *out) {
  const struct strife__strat_params *p = &s->p;
  /* Repression provokes: the more of the province in jail, the more its
     people resent (section 1). */
  double g = p->grievance * s->hardship * (1.0 + p->provocation * s->jailed[i]);
  out->factor[0] = g * (1.0 - s->pub[i]);
  out->factor[1] = g * (1.0 - s->hard);
  /* Forces not on counter-terrorism police the provinces in proportion to
     their people; 'reach' turns a member into agents of enforcement. */
  double share = (double)s->prov->p[i].population / (double)s->prov->population;
  double police = s->forces * (1.0 - s->pol.ct_share) * share;
  double cops = p->reach * police * (0.5 + s->pol.repression) / p->scale;
  out->cops = (uint32_t)floor(cops + 0.5);
}

/* Aid in force on 'day', US$ million a year: the year's appeals funded,
   more or less as the US view stands above or below its value when the
   dated series begins (us_ref). */
static double aid_year(const struct strife__strat *s) {
  const struct strife__strat_params *p = &s->p;
  /* The year's aid received, by half for 2022 (the record's dated
     figures); 2022-07-01 and 2023-01-01 are days 19174 and 19358 since
     1970-01-01, the halves of 2022 181 and 184 days long. */
  double aid = s->day < 19358 ? p->aid_2022 : p->aid_2023;
  if (s->day >= 18993 && s->day < 19174) aid = p->aid_2022_h1 * 365.0 / 181.0;
  if (s->day >= 19174 && s->day < 19358)
    aid = (p->aid_2022 - p->aid_2022_h1) * 365.0 / 184.0;
  aid *= fmax(0.0, 1.0 + p->aid_standing * (s->intl[STRIFE__S_US] - s->us_ref));
  int us_gives = s->us != STRIFE__US_NONE && s->day >= s->scandal_until;
  return us_gives ? aid : aid * (1.0 - p->us_aid_share);
}

/* China pays while its view of the Taliban is good enough and its
   nationals have not been attacked of late. */
static int china_pays(const struct strife__strat *s) {
  return s->china_dev && s->intl[STRIFE__S_CHINA] >= s->p.china_view &&
         (double)(s->day - s->chinese_attack_day) > s->p.china_quiet_days;
}

/* A province by weight w (n entries), from a uniform u. */
static size_t pick_weighted(const double *w, size_t n, double u) {
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += w[i];
  double x = u * sum;
  for (size_t i = 0; i < n; i++) {
    if (x < w[i]) return i;
    x -= w[i];
  }
  return n - 1;
}

/* What the phases of a day pass on to one another. */
struct day {
  struct strife__grng g; /* the day's national draws, in phase order */
  const struct strife__pobs *obs;
  uint32_t t; /* days since the start */
  int us_intel, us_air;
  double active_hard;       /* people */
  double removal;           /* CT removal rate a fighter-day */
  double capacity;          /* IS-K attack capacity left */
  double home, abroad, low; /* its shares: attacks at home, abroad, lying
                               low */
  int fought, tolerated;
  double fat[STRIFE__PROVINCES_MAX]; /* fatalities at home, by province */
  uint32_t cross_pk;                 /* attacks crossing into Pakistan */
  double lost; /* IS-K fighters removed or killed by strikes */
};

/* What an attack changes: the day's and month's counts, and the views of
   the states it struck at. */
static void attack_effects(struct strife__strat *s, struct day *d,
                           const struct strife__event *e) {
  const struct strife__strat_params *p = &s->p;
  const size_t i = (size_t)e->province;
  if (e->country < 0) {
    s->nat.attacks++;
    s->nat.fatalities += e->fatalities;
    s->month[i].attacks++;
    s->month[i].fatalities += e->fatalities;
  }
  if (e->country >= 0) {
    s->nat.cross_border++;
    s->nat.cross_fatalities += e->fatalities;
    if (e->country == STRIFE__C_PAKISTAN) {
      s->nat.cross_pk++;
      s->nat.cross_pk_fatalities += e->fatalities;
    }
    s->intl[STRIFE__S_PAKISTAN] -=
        e->country == STRIFE__C_PAKISTAN ? p->int_attack : 0.0;
    s->intl[STRIFE__S_TAJIKISTAN] -=
        e->country == STRIFE__C_TAJIKISTAN ? p->int_attack : 0.0;
    if (e->country == STRIFE__C_PAKISTAN) d->cross_pk++;
  } else {
    d->fat[i] += e->fatalities;
  }
  if (e->target == STRIFE__T_CHINESE) {
    s->chinese_attack_day = s->day;
    s->intl[STRIFE__S_CHINA] -= p->int_attack;
  }
}

/* One day of IS-K attacks in every province, each province from its own
   stream. */
static void attacks(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  for (size_t i = 0; i < s->prov->n; i++) {
    struct strife__grng g;
    strife__grng_init(&g, s->seed, ID_PROVINCE + (uint32_t)i, d->t,
                      STRIFE__STREAM_ATTACKS);
    double mu =
        p->attack_rate * s->isk * s->isk_share[i] * d->capacity * d->home;
    uint32_t n = strife__hawkes_day(&s->hk[i], mu, &g.r, NULL);
    for (uint32_t k = 0; k < n; k++) {
      struct strife__event e = {s->day, (int16_t)i, STRIFE__E_ATTACK, 0, -1,
                                0,      0};
      double u = gsl_rng_uniform(&g.r), acc = 0;
      e.target = STRIFE__N_TARGETS - 1;
      for (int t = 0; t < STRIFE__N_TARGETS; t++) {
        acc += p->target[t];
        if (u < acc) {
          e.target = (int8_t)t;
          break;
        }
      }
      e.fatalities = strife__hawkes_fatalities(gsl_rng_uniform_pos(&g.r),
                                               p->alpha, p->cap);
      log_event(s, &e);
      attack_effects(s, d, &e);
    }
  }
}

/* Operations abroad: Poisson(attack_rate K kappa abroad) a day, aimed at
   Pakistan with probability abroad_pk, else at Iran, Tajikistan,
   Uzbekistan or Russia alike, launched from a province bordering the
   target (by IS-K's presence; any province for a target without one),
   their fatalities of their own tail exponent.  From a stream of their
   own, so that the rest of the day draws the same without them. */
static void operations_abroad(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  static const int far[4] = {STRIFE__C_IRAN, STRIFE__C_TAJIKISTAN,
                             STRIFE__C_UZBEKISTAN, STRIFE__C_RUSSIA};
  /* Their own stream: the day's other draws do not depend on them. */
  struct strife__grng g;
  strife__grng_init(&g, s->seed, ID_ABROAD, d->t, STRIFE__STREAM_ATTACKS);
  gsl_rng *r = &g.r;
  double mean = p->attack_rate * s->isk * d->capacity * d->abroad;
  uint32_t n = (uint32_t)poisson(r, mean);
  for (uint32_t k = 0; k < n; k++) {
    int c = gsl_rng_uniform(r) < p->abroad_pk
                ? STRIFE__C_PAKISTAN
                : far[(int)(gsl_rng_uniform(r) * 4) & 3];
    double w[STRIFE__PROVINCES_MAX], sum = 0;
    for (size_t i = 0; i < s->prov->n; i++) {
      w[i] = (s->prov->p[i].borders >> c & 1) ? s->isk_share[i] : 0.0;
      sum += w[i];
    }
    size_t i = pick_weighted(sum > 0 ? w : s->isk_share, s->prov->n,
                             gsl_rng_uniform(r));
    struct strife__event e = {s->day,
                              (int16_t)i,
                              STRIFE__E_ATTACK,
                              -1,
                              (int8_t)c,
                              0,
                              strife__hawkes_fatalities(gsl_rng_uniform_pos(r),
                                                        p->abroad_alpha,
                                                        p->cap)};
    log_event(s, &e);
    attack_effects(s, d, &e);
  }
}

/* What the lattices show. */
static void read_lattices(struct strife__strat *s, struct day *d) {
  for (size_t i = 0; i < s->prov->n; i++) {
    d->active_hard += (double)d->obs[i].active[1] * s->p.scale;
    uint64_t citizens = d->obs[i].citizens;
    s->jailed[i] = citizens
                       ? (double)(d->obs[i].jailed[0] + d->obs[i].jailed[1]) /
                             (double)citizens
                       : 0.0;
    for (int a = 0; a < 2; a++) {
      s->nat.active[a] += d->obs[i].active[a];
      s->nat.jailed += d->obs[i].jailed[a];
      s->nat.arrests += d->obs[i].arrests[a];
    }
  }
}

/* A decapitation strike empties a filled slot, at random, until a
   recovery drawn now. */
static void decapitate(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  int k = (int)(gsl_rng_uniform(&d->g.r) * s->slots_filled);
  for (int j = 0; j < p->slots && j < 32; j++)
    if (!s->slot_back[j] && k-- == 0) {
      s->slot_back[j] =
          s->day + 1 + (int64_t)gsl_ran_exponential(&d->g.r, p->recovery);
      s->slots_filled--;
      size_t where =
          pick_weighted(s->isk_share, s->prov->n, gsl_rng_uniform(&d->g.r));
      struct strife__event e = {
          s->day, (int16_t)where, STRIFE__E_DECAPITATION, -1, -1, (int8_t)j, 0};
      log_event(s, &e);
      return;
    }
}

/* IS-K's posture under the pressure it is under: the losses to
   counter-terrorism and strikes a fighter-day, smoothed over
   pressure_days, against pressure_ref.  With p = pressure / pressure_ref
   the share of its capacity on attacks at home is 1 / (1 + p^steepness);
   of the rest, abroad_share goes to operations abroad and the others lie
   low (docs/model.md, section 4). */
static void posture(const struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  double x = s->pressure / p->pressure_ref;
  d->home = 1.0 / (1.0 + pow(x, p->steepness));
  d->abroad = p->abroad_share * (1.0 - d->home);
  d->low = 1.0 - d->home - d->abroad;
}

/* The pressure after a day of 'lost' fighters of 'k'. */
static void feel_pressure(struct strife__strat *s, double lost, double k) {
  double w = 1.0 / s->p.pressure_days;
  s->pressure += w * (lost / fmax(k, 1.0) - s->pressure);
}

/* Detection: US intelligence, informants as the public grants
   legitimacy, and what removing fighters has taught (section 2). */
static double detection(const struct strife__strat *s, const struct day *d) {
  const struct strife__strat_params *p = &s->p;
  double learnt = fmin(1.0, s->removed_all / fmax(1.0, p->isk0));
  return (d->us_intel ? p->intel_boost : 1.0) *
         pow(s->compliance, p->informants) * (1.0 + p->learning * learnt);
}

/* Counter-terrorism: fighters removed, and decapitation strikes.  Mass
   action saturates: cells that do not hold together are not found by more
   troops (section 2). */
static void counter_terrorism(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  double detect = detection(s, d);
  s->nat.detection = detect;
  s->nat.ct_forces = s->forces * s->pol.ct_share;
  d->removal = p->ct_kill * detect * (d->us_air ? p->air_boost : 1.0) *
               s->nat.ct_forces / 10000.0 /
               (1.0 + s->nat.ct_forces / p->saturation);
  /* Fighters lying low are harder to find. */
  double exposed = 1.0 - s->p.hide * d->low;
  s->nat.removed =
      fmin(s->isk, poisson(&d->g.r, d->removal * exposed * s->isk));
  s->removed_all += s->nat.removed;
  double strike_p = p->decap_rate * s->pol.decap * detect *
                    (double)s->slots_filled / (double)(p->slots ? p->slots : 1);
  if (s->slots_filled > 0 && gsl_rng_uniform(&d->g.r) < strike_p)
    decapitate(s, d);
}

/* IS-K's attack capacity: leaders lost, and money.  Its money is income
   less the fighters' upkeep; with 90 days of upkeep in hand it attacks at
   full capacity, with nothing at isk_broke. */
static void isk_capacity(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  d->capacity = 1.0 - p->leader_weight * (double)(p->slots - s->slots_filled) /
                          (double)(p->slots ? p->slots : 1);
  double upkeep = p->isk_cost * s->isk / 1e6 / 365.0;
  s->isk_money = fmax(0.0, s->isk_money + p->isk_income / 365.0 - upkeep);
  double reserve = s->isk_money / fmax(1e-12, 90.0 * upkeep);
  d->capacity *= p->isk_broke + (1.0 - p->isk_broke) * fmin(1.0, reserve);
}

/* The Taliban's own fighters who leave as the hardliners' legitimacy
   falls below its start, and those of them who join IS-K (section 3). */
static void defection(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  struct strife__grng g;
  own_stream(&g, s, ID_DEFECTION, d->t);
  double gap = fmax(0.0, p->hard0 - s->hard);
  double left = fmin(s->forces, poisson(&g.r, p->defection * gap * s->forces));
  s->forces -= left;
  s->nat.defectors = left;
  s->nat.recruits[STRIFE__R_TALIBAN] =
      left >= 1
          ? (double)gsl_ran_binomial(&g.r, p->taliban_join, (unsigned)left)
          : 0.0;
}

/* Trained fighters the sheltered groups pass to IS-K: from each
   tolerated group, Poisson(shelter_feed G / 1,000) a day (section 5). */
static double sheltered_recruits(struct strife__strat *s, struct day *d) {
  struct strife__grng g;
  own_stream(&g, s, ID_SHELTER, d->t);
  double in = 0;
  for (int k = 0; k < STRIFE__N_GROUPS; k++) {
    if (s->pol.treat[k] != STRIFE__TOLERATE) continue;
    double n = fmin(s->groups[k],
                    poisson(&g.r, s->p.shelter_feed * s->groups[k] / 1000.0));
    s->groups[k] -= n;
    in += n;
  }
  return in;
}

/* Recruitment from the six sources (militants sidelined from constrained
   or fought groups, and the sheltered groups' own, among them), and
   attrition. */
static void recruitment(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  struct strife__national *nat = &s->nat;
  double sidelined = 0;
  for (int k = 0; k < STRIFE__N_GROUPS; k++) {
    double lost = 0;
    if (s->pol.treat[k] == STRIFE__CONSTRAIN) lost = p->constrain_rate;
    if (s->pol.treat[k] == STRIFE__FIGHT) lost = p->fight_rate;
    sidelined += lost * s->groups[k];
    s->groups[k] -= lost * s->groups[k];
    d->fought += s->pol.treat[k] == STRIFE__FIGHT;
    d->tolerated += s->pol.treat[k] == STRIFE__TOLERATE;
  }
  gsl_rng *r = &d->g.r;
  defection(s, d);
  nat->recruits[STRIFE__R_SHELTER] = sheltered_recruits(s, d);
  double days = (double)d->t;
  nat->recruits[STRIFE__R_POOL] = poisson(r, p->pool_rate * d->active_hard);
  nat->recruits[STRIFE__R_FOREIGN] = poisson(
      r, p->foreign_rate * (1.0 - s->hard) / fmax(1e-9, 1.0 - p->hard0));
  nat->recruits[STRIFE__R_DEFECTOR] = poisson(r, p->defect_rate * sidelined);
  nat->recruits[STRIFE__R_PRISONER] =
      poisson(r, p->prisoners / p->prison_days * exp(-days / p->prison_days));
  double leave = fmin(s->isk - nat->removed, poisson(r, p->attrition * s->isk));
  double in = 0;
  for (int k = 0; k < STRIFE__N_SOURCES; k++)
    in += nat->recruits[k];
  s->isk = fmax(0.0, s->isk + in - nat->removed - leave);
  d->lost += nat->removed;
}

/* The sheltered groups: TTP attacks in Pakistan, and the backlash of the
   groups the Taliban fights. */
static void sheltered_groups(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  const size_t np = s->prov->n;
  gsl_rng *r = &d->g.r;
  static const double ttp_factor[3] = {1.0, 0.5, 0.25};
  /* Sheltered groups grow. */
  for (int k = 0; k < STRIFE__N_GROUPS; k++)
    if (s->pol.treat[k] == STRIFE__TOLERATE)
      s->groups[k] += p->group_growth * s->groups[k];
  double m = p->ttp_attacks * s->groups[STRIFE__TTP] / 1000.0 *
             ttp_factor[s->pol.treat[STRIFE__TTP]];
  uint32_t n = (uint32_t)poisson(r, m);
  for (uint32_t k = 0; k < n; k++) {
    size_t i = s->n_pk_border
                   ? pick_weighted(s->pk_border, np, gsl_rng_uniform(r))
                   : 0;
    struct strife__event e = {
        s->day,
        (int16_t)i,
        STRIFE__E_TTP_ATTACK,
        -1,
        STRIFE__C_PAKISTAN,
        0,
        strife__hawkes_fatalities(gsl_rng_uniform_pos(r), p->alpha, p->cap)};
    log_event(s, &e);
    s->nat.ttp_attacks++;
    d->cross_pk++;
    s->intl[STRIFE__S_PAKISTAN] -= p->int_attack;
  }
  for (int k = 0; k < STRIFE__N_GROUPS; k++) {
    if (s->pol.treat[k] != STRIFE__FIGHT) continue;
    uint32_t nb = (uint32_t)poisson(r, p->backlash * s->groups[k] / 1000.0);
    for (uint32_t b = 0; b < nb; b++) {
      size_t i = pick_weighted(s->pop_w, np, gsl_rng_uniform(r));
      struct strife__event e = {
          s->day,
          (int16_t)i,
          STRIFE__E_BACKLASH,
          STRIFE__T_TALIBAN,
          -1,
          (int8_t)k,
          strife__hawkes_fatalities(gsl_rng_uniform_pos(r), p->alpha, p->cap)};
      log_event(s, &e);
      d->fat[i] += e.fatalities;
    }
  }
}

/* Pakistan answers attacks from Afghanistan: each attack crossing into
   Pakistan that day (IS-K's and the TTP's) brings a strike on a border
   province with probability (L0 / L) / strike_attacks, L Pakistan's view of
   the Taliban and L0 its start; one strike a day at most (section 7). */
static void pakistan_strikes(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  if (!s->pakistan_strikes || d->cross_pk == 0) return;
  double view = fmax(1e-9, s->intl[STRIFE__S_PAKISTAN]) /
                fmax(1e-9, p->int0[STRIFE__S_PAKISTAN]);
  double q = fmin(1.0, 1.0 / (p->strike_attacks * view));
  if (gsl_rng_uniform(&d->g.r) >= 1.0 - pow(1.0 - q, (double)d->cross_pk))
    return;
  double w[STRIFE__PROVINCES_MAX];
  for (size_t i = 0; i < s->prov->n; i++)
    w[i] = s->pk_border[i] * (s->isk_share[i] + 1e-3);
  size_t i = pick_weighted(w, s->prov->n, gsl_rng_uniform(&d->g.r));
  double killed = fmin(s->isk, p->strike_kill * s->isk * s->isk_share[i]);
  s->isk -= killed;
  d->lost += killed;
  s->nat.strikes++;
  s->nat.strike_fatalities += killed + p->strike_kill * s->groups[STRIFE__TTP];
  s->groups[STRIFE__TTP] *= 1.0 - p->strike_kill;
  s->pub[i] = clamp01(s->pub[i] - p->pub_strike);
  struct strife__event e = {
      s->day, (int16_t)i, STRIFE__E_AIRSTRIKE, -1, STRIFE__C_PAKISTAN, 0, 0};
  log_event(s, &e);
}

/* The legitimacy ledger: public by province, hardliner, international. */
static void legitimacy(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  const struct strife__provinces *prov = s->prov;
  double pub_target = p->pub_base - p->pub_hardship * (s->hardship - 1.0) -
                      p->pub_ideology * s->pol.ideology;
  double pop_w = 0, pub_mean = 0;
  for (size_t i = 0; i < prov->n; i++) {
    double per100k = (double)prov->p[i].population / 1e5;
    double arrests =
        (double)(d->obs[i].arrests[0] + d->obs[i].arrests[1]) * p->scale;
    s->pub[i] += p->relax * (pub_target - s->pub[i]) -
                 p->pub_attack * d->fat[i] / per100k -
                 p->pub_repress * arrests / per100k;
    s->pub[i] = clamp01(s->pub[i]);
    pub_mean += s->pub[i] * (double)prov->p[i].population;
    pop_w += (double)prov->p[i].population;
  }
  s->nat.pub = pub_mean / pop_w;
  s->compliance = s->nat.pub / fmax(1e-9, p->pub0);
  s->nat.compliance = s->compliance;
  double hard_target = p->hard_base +
                       p->hard_ideology * (s->pol.ideology - 0.5) -
                       p->hard_us * d->us_intel - p->hard_fight * d->fought +
                       p->hard_shelter * d->tolerated;
  s->hard = clamp01(s->hard + p->relax * (hard_target - s->hard));
  double ct_results = fmin(1.0, d->removal * 365.0);
  double arrests_100k = (double)s->nat.arrests * p->scale / (pop_w / 1e5);
  for (int c = 0; c < STRIFE__N_STATES; c++) {
    double target = p->int0[c] + p->int_ct * ct_results;
    for (int k = 0; k < STRIFE__N_GROUPS; k++)
      if (fears[c][k] && s->pol.treat[k] == STRIFE__TOLERATE)
        target -= p->int_shelter;
    s->intl[c] += p->relax * (target - s->intl[c]);
    if (c == STRIFE__S_US) s->intl[c] -= p->int_repress * arrests_100k;
    s->intl[c] = clamp01(s->intl[c]);
  }
}

/* Money, US$ million: revenue, aid and Chinese money in, payroll and the
   civil state out; desertion while unpaid; aid scandals; hardship. */
static void money(struct strife__strat *s, struct day *d) {
  const struct strife__strat_params *p = &s->p;
  double aid = aid_year(s);
  double china = china_pays(s) ? p->china_money : 0.0;
  /* Compliance: taxes and customs are paid as the public grants
     legitimacy. */
  double revenue = p->revenue * pow(s->compliance, p->compliance);
  double income = (revenue + p->leakage * aid + china) / 365.0;
  double payroll = s->forces * p->cost_per_member / 1e6 / 365.0;
  double spending = payroll + p->civil_share * revenue / 365.0;
  s->treasury += income - spending;
  if (s->treasury < 0) {
    s->forces -= p->desertion * s->forces;
    s->deficit_days += 1;
  } else {
    s->forces += p->forces_growth * (p->forces_target - s->forces);
  }
  double us_leak = p->leakage * aid * p->us_aid_share / 1000.0;
  if (s->us != STRIFE__US_NONE && s->day >= s->scandal_until &&
      gsl_rng_uniform(&d->g.r) < p->scandal_rate * us_leak) {
    s->scandal_until = s->day + (int64_t)p->scandal_days;
    struct strife__event e = {s->day, -1, STRIFE__E_SCANDAL, -1, -1, 0, 0};
    log_event(s, &e);
  }
  /* Against the economy of 2022; none to compare with, no hardship. */
  double base = p->revenue + p->aid_2022;
  double economy = (revenue + aid + china) / (base > 0 ? base : 1.0);
  s->hardship =
      base > 0 ? pow(fmax(economy, 1e-3), -p->hardship_elasticity) : 1.0;
  s->nat.revenue = revenue / 365.0;
  s->nat.china = china / 365.0;
  s->nat.aid = aid / 365.0;
  s->nat.spending = spending;
}

/* The day's national figures and the month's province figures. */
static void record_day(struct strife__strat *s, const struct day *d) {
  struct strife__national *nat = &s->nat;
  nat->isk = s->isk;
  nat->forces = s->forces;
  nat->slots_filled = s->slots_filled;
  nat->capacity = d->capacity;
  nat->isk_money = s->isk_money;
  nat->pressure = s->pressure;
  nat->home = d->home;
  nat->abroad = d->abroad;
  nat->hard = s->hard;
  for (int c = 0; c < STRIFE__N_STATES; c++)
    nat->intl[c] = s->intl[c];
  nat->treasury = s->treasury;
  nat->hardship = s->hardship;
  for (int k = 0; k < STRIFE__N_GROUPS; k++)
    nat->groups[k] = s->groups[k];
  nat->policy = s->policy;
  for (size_t i = 0; i < s->prov->n; i++) {
    struct strife__pmonth *m = &s->month[i];
    m->pub = s->pub[i];
    m->isk = s->isk * s->isk_share[i];
    m->active[0] = d->obs[i].active[0];
    m->active[1] = d->obs[i].active[1];
    m->jailed = d->obs[i].jailed[0] + d->obs[i].jailed[1];
    m->arrests += d->obs[i].arrests[0] + d->obs[i].arrests[1];
  }
  s->month_days++;
}

int strife__strat_end(struct strife__strat *s, const struct strife__pobs *obs) {
  struct day d;
  memset(&d, 0, sizeof d);
  d.obs = obs;
  d.t = (uint32_t)(s->day - s->p.start);
  strife__grng_init(&d.g, s->seed, ID_NATIONAL, d.t, STRIFE__STREAM_STRATEGY);
  memset(&s->nat, 0, sizeof s->nat);
  s->nat.day = s->day;
  d.us_intel = s->pol.accept_us && s->us >= STRIFE__US_INTEL;
  d.us_air = s->pol.accept_us && s->us >= STRIFE__US_AIR;
  read_lattices(s, &d);
  posture(s, &d);
  counter_terrorism(s, &d);
  isk_capacity(s, &d);
  recruitment(s, &d);
  attacks(s, &d);
  operations_abroad(s, &d);
  sheltered_groups(s, &d);
  pakistan_strikes(s, &d);
  feel_pressure(s, d.lost, s->isk + d.lost);
  legitimacy(s, &d);
  money(s, &d);
  record_day(s, &d);
  return s->oom ? STRIFE_ENOMEM : STRIFE_OK;
}

void strife__strat_month_reset(struct strife__strat *s) {
  memset(s->month, 0, sizeof s->month);
  s->month_days = 0;
}

void strife__strat_events_clear(struct strife__strat *s) {
  s->n_events = 0;
}
