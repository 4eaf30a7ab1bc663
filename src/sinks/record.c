/* SPDX-License-Identifier: MIT */
/* The record of an Afghan run (record.h). */
#include "record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/sim.h"
#include "models/afghan/afghan.h"
#include "scenario/scenario.h"

const struct strife__col strife__nat_cols[STRIFE__NAT_COLS] = {
    {"isk_fighters", 0},
    {"attacks", 0},
    {"cross_border_attacks", 0},
    {"fatalities", 0},
    {"recruits_pool", 0},
    {"recruits_foreign", 0},
    {"recruits_defectors", 0},
    {"recruits_prisoners", 0},
    {"ct_removed", 0},
    {"isk_leaders", 0},
    {"isk_money", 3},
    {"forces", 0},
    {"ct_forces", 0},
    {"legit_public", 4},
    {"legit_hardliner", 4},
    {"legit_us", 4},
    {"legit_pakistan", 4},
    {"legit_china", 4},
    {"legit_russia", 4},
    {"legit_tajikistan", 4},
    {"revenue", 4},
    {"aid", 4},
    {"spending", 4},
    {"treasury", 2},
    {"hardship", 4},
    {"ttp", 0},
    {"aq", 0},
    {"imu", 0},
    {"active_public", 0},
    {"active_hardliner", 0},
    {"jailed", 0},
    {"arrests", 0}};

const struct strife__col strife__prov_cols[STRIFE__PROV_COLS] = {
    {"legit_public", 4}, {"isk_fighters", 0},  {"attacks", 0},
    {"fatalities", 0},   {"active_public", 0}, {"active_hardliner", 0},
    {"jailed", 0},       {"arrests", 0},       {"security", 0}};

const struct strife__outcome strife__outcomes[STRIFE__OUTCOMES] = {
    {"isk_fighters_end", -1},
    {"isk_fighters_peak", -1},
    {"isk_fighters_2022_02_01", -1},
    {"isk_money_end", -1},
    {"attacks", -1},
    {"attacks_2021_09_to_2023_04", -1},
    {"attacks_last_180_days", -1},
    {"cross_border_attacks", -1},
    {"fatalities", -1},
    {"legit_public_end", 1},
    {"legit_public_min", 1},
    {"legit_hardliner_end", 1},
    {"legit_us_end", 1},
    {"legit_pakistan_end", 1},
    {"legit_china_end", 1},
    {"legit_russia_end", 1},
    {"legit_tajikistan_end", 1},
    {"forces_end", 1},
    {"treasury_end", 1},
    {"deficit_months", -1},
    {"decapitations", 0},
    {"pakistani_airstrikes", -1},
    {"aid_scandals", -1},
    {"backlash_attacks", -1},
    {"ttp_attacks_in_pakistan", -1},
    {"recruits_pool", -1},
    {"recruits_foreign", -1},
    {"recruits_defectors", -1},
    {"recruits_prisoners", -1}};

static void national_values(const struct strife__national *n, double s,
                            double *v) {
  double x[STRIFE__NAT_COLS] = {n->isk,
                                n->attacks,
                                n->cross_border,
                                n->fatalities,
                                n->recruits[STRIFE__R_POOL],
                                n->recruits[STRIFE__R_FOREIGN],
                                n->recruits[STRIFE__R_DEFECTOR],
                                n->recruits[STRIFE__R_PRISONER],
                                n->removed,
                                n->slots_filled,
                                n->isk_money,
                                n->forces,
                                n->ct_forces,
                                n->pub,
                                n->hard,
                                n->intl[0],
                                n->intl[1],
                                n->intl[2],
                                n->intl[3],
                                n->intl[4],
                                n->revenue,
                                n->aid,
                                n->spending,
                                n->treasury,
                                n->hardship,
                                n->groups[STRIFE__TTP],
                                n->groups[STRIFE__AQ],
                                n->groups[STRIFE__IMU],
                                (double)n->active[0] * s,
                                (double)n->active[1] * s,
                                (double)n->jailed * s,
                                (double)n->arrests * s};
  memcpy(v, x, sizeof x);
}

static void province_values(const struct strife__pmonth *pm, double s,
                            double *v) {
  double x[STRIFE__PROV_COLS] = {pm->pub,
                                 pm->isk,
                                 pm->attacks,
                                 pm->fatalities,
                                 (double)pm->active[0] * s,
                                 (double)pm->active[1] * s,
                                 (double)pm->jailed * s,
                                 (double)pm->arrests * s,
                                 (double)pm->cops * s};
  memcpy(v, x, sizeof x);
}

/* Grows an array of 'size'-byte items to hold at least 'need'. */
static int grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap * 2 : 64;
  while (n < need)
    n *= 2;
  void *q = realloc(*p, n * size);
  if (!q) return -1;
  *p = q;
  *cap = n;
  return 0;
}

static int add_day(struct strife__record *r, const struct strife__national *n) {
  if (grow((void **)&r->days, &r->cap_days, r->n_days + 1, sizeof *r->days))
    return -1;
  struct strife__drow *d = &r->days[r->n_days++];
  d->day = n->day;
  d->policy = n->policy;
  national_values(n, r->scale, d->v);
  return 0;
}

static int add_month(struct strife__record *r, const struct strife__afghan *m,
                     int64_t day) {
  if (grow((void **)&r->prow, &r->cap_prow, r->n_prow + m->prov->n,
           sizeof *r->prow))
    return -1;
  int y, mo, d;
  strife__date_ymd(day, &y, &mo, &d);
  for (size_t i = 0; i < m->prov->n; i++) {
    struct strife__prow *p = &r->prow[r->n_prow++];
    p->month = y * 100 + mo;
    p->prov = (int32_t)i;
    province_values(&m->st.month[i], r->scale, p->v);
  }
  return 0;
}

static int add_events(struct strife__record *r,
                      const struct strife__afghan *m) {
  size_t n = m->st.n_events;
  if (!n) return 0;
  if (grow((void **)&r->ev, &r->cap_ev, r->n_ev + n, sizeof *r->ev)) return -1;
  memcpy(r->ev + r->n_ev, m->st.events, n * sizeof *r->ev);
  r->n_ev += n;
  return 0;
}

/* 2022-02-01 and 2023-04-30 as days since 1970-01-01. */
#define DAY_2021_09_01 18871
#define DAY_2022_02_01 19024
#define DAY_2023_04_30 19477

/* The outcomes that are sums or extremes over days, updated each day. */
static void tally_day(struct strife__record *r, const struct strife__afghan *m,
                      uint32_t *recent, size_t ev_from) {
  const struct strife__national *n = &m->st.nat;
  double *o = r->outcome;
  int64_t t = (int64_t)r->n_days - 1;
  if (n->isk > o[STRIFE__O_ISK_PEAK]) o[STRIFE__O_ISK_PEAK] = n->isk;
  if (n->day == DAY_2022_02_01) o[STRIFE__O_ISK_FEB2022] = n->isk;
  if (t == 0 || n->pub < o[STRIFE__O_PUB_MIN]) o[STRIFE__O_PUB_MIN] = n->pub;
  o[STRIFE__O_ATTACKS] += n->attacks;
  if (n->day >= DAY_2021_09_01 && n->day <= DAY_2023_04_30)
    o[STRIFE__O_ATTACKS_CALIB] += n->attacks;
  recent[t % 180] = n->attacks;
  o[STRIFE__O_CROSS_BORDER] += n->cross_border;
  o[STRIFE__O_FATALITIES] += n->fatalities;
  for (int k = 0; k < STRIFE__N_SOURCES; k++)
    o[STRIFE__O_RECRUITS + k] += n->recruits[k];
  for (size_t k = ev_from; k < m->st.n_events; k++) {
    int kind = m->st.events[k].kind;
    o[STRIFE__O_DECAPITATIONS] += kind == STRIFE__E_DECAPITATION;
    o[STRIFE__O_AIRSTRIKES] += kind == STRIFE__E_AIRSTRIKE;
    o[STRIFE__O_SCANDALS] += kind == STRIFE__E_SCANDAL;
    o[STRIFE__O_BACKLASH] += kind == STRIFE__E_BACKLASH;
    o[STRIFE__O_TTP_ATTACKS] += kind == STRIFE__E_TTP_ATTACK;
  }
}

/* The outcomes read at the end. */
static void tally_end(struct strife__record *r, const struct strife__afghan *m,
                      const uint32_t *recent) {
  const struct strife__national *n = &m->st.nat;
  double *o = r->outcome;
  o[STRIFE__O_ISK_END] = n->isk;
  o[STRIFE__O_ISK_MONEY] = n->isk_money;
  o[STRIFE__O_PUB_END] = n->pub;
  o[STRIFE__O_HARD_END] = n->hard;
  for (int c = 0; c < STRIFE__N_STATES; c++)
    o[STRIFE__O_INTL_END + c] = n->intl[c];
  o[STRIFE__O_FORCES_END] = n->forces;
  o[STRIFE__O_TREASURY_END] = n->treasury;
  o[STRIFE__O_DEFICIT_MONTHS] = m->st.deficit_days / 30.4375;
  double last180 = 0;
  for (size_t k = 0; k < 180 && k < r->n_days; k++)
    last180 += recent[k];
  o[STRIFE__O_ATTACKS_LAST180] = last180;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int strife__record_run(strife_sim *sim, const strife_config *cfg,
                       struct strife__record *r) {
  struct strife__afghan *m = strife__sim_state(sim);
  memset(r, 0, sizeof *r);
  r->seed = m->st.seed;
  r->scale = m->p.st.scale;
  r->outcome[STRIFE__O_ISK_FEB2022] = (double)NAN;
  uint32_t recent[180] = {0};
  int rc = STRIFE_OK;
  double t0 = now_seconds();
  while (!strife_sim_done(sim) && !rc) {
    if (cfg && cfg->cancel && *cfg->cancel) {
      r->interrupted = 1;
      break;
    }
    size_t ev_from = m->st.n_events;
    strife_sim_step(sim);
    if (add_day(r, &m->st.nat) || add_events(r, m)) {
      rc = STRIFE_ENOMEM;
      break;
    }
    tally_day(r, m, recent, ev_from);
    int64_t day = m->st.nat.day;
    int y, mo, d;
    strife__date_ymd(day + 1, &y, &mo, &d);
    if (d == 1 || strife_sim_done(sim)) {
      if (add_month(r, m, day)) rc = STRIFE_ENOMEM;
      strife__strat_month_reset(&m->st);
    }
    /* The log is copied out; it need not grow over the run. */
    strife__strat_events_clear(&m->st);
  }
  /* A month cut short by an interruption. */
  if (!rc && m->st.month_days && add_month(r, m, m->st.nat.day))
    rc = STRIFE_ENOMEM;
  if (m->st.oom) rc = STRIFE_ENOMEM;
  r->wall_seconds = now_seconds() - t0;
  r->ticks = strife_sim_tick(sim);
  tally_end(r, m, recent);
  return rc;
}

void strife__record_free(struct strife__record *r) {
  free(r->days);
  free(r->prow);
  free(r->ev);
  memset(r, 0, sizeof *r);
}

const char *strife__event_detail(const struct strife__event *e, char *buf,
                                 size_t size) {
  if (e->kind == STRIFE__E_POLICY) return strife__policy_name(e->detail);
  if (e->kind == STRIFE__E_LEVER) {
    /* The lever's name as --set takes it, its value from the key's
       choices. */
    static const char *const name[STRIFE__LEVERS] = {
        "policy", "us", "china-development", "pakistan-strikes"};
    int l = e->detail / 8;
    size_t n;
    const char *c = strife__key_choice(strife__key_find(strife__lever_keys[l]),
                                       e->detail % 8, &n);
    snprintf(buf, size, "%s=%.*s", name[l], (int)n, c);
    return buf;
  }
  if (e->kind == STRIFE__E_BACKLASH)
    return e->detail == STRIFE__TTP  ? "ttp"
           : e->detail == STRIFE__AQ ? "aq"
                                     : "imu";
  return "";
}
