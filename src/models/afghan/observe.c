/* SPDX-License-Identifier: MIT */
/*
 * What the Afghan model reports (MODEL.md section 5), declared once: its
 * tables (national.csv a row a day, provinces.csv a row a province a
 * month, events.csv an event a row), its outcomes and the layout of its
 * summary; the day's observation that fills them and resets what it
 * reported; and the model's type table.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "afghan.h"
#include "core/date.h"

/* ------------------------------------------------------------------ */
/* Tables                                                             */
/* ------------------------------------------------------------------ */

#define REAL(name, decimals)                                                   \
  { name, STRIFE__COL_REAL, decimals }

static const struct strife__column national_cols[] = {
    {"date", STRIFE__COL_DATE, 0},
    {"policy", STRIFE__COL_TEXT, 0},
    REAL("isk_fighters", 0),
    REAL("attacks", 0),
    REAL("cross_border_attacks", 0),
    REAL("fatalities", 0),
    REAL("recruits_pool", 0),
    REAL("recruits_foreign", 0),
    REAL("recruits_defectors", 0),
    REAL("recruits_prisoners", 0),
    REAL("ct_removed", 0),
    REAL("isk_leaders", 0),
    REAL("isk_money", 3),
    REAL("forces", 0),
    REAL("ct_forces", 0),
    REAL("legit_public", 4),
    REAL("legit_hardliner", 4),
    REAL("legit_us", 4),
    REAL("legit_pakistan", 4),
    REAL("legit_china", 4),
    REAL("legit_russia", 4),
    REAL("legit_tajikistan", 4),
    REAL("revenue", 4),
    REAL("aid", 4),
    REAL("spending", 4),
    REAL("treasury", 2),
    REAL("hardship", 4),
    REAL("ttp", 0),
    REAL("ttp_attacks", 0),
    REAL("isk_attacks_pakistan", 0),
    REAL("isk_fatalities_pakistan", 0),
    REAL("cross_border_fatalities", 0),
    REAL("pakistan_strikes", 0),
    REAL("pakistan_strike_fatalities", 0),
    REAL("aq", 0),
    REAL("imu", 0),
    REAL("active_public", 0),
    REAL("active_hardliner", 0),
    REAL("jailed", 0),
    REAL("arrests", 0),
    REAL("isk_pressure", 7),
    REAL("isk_home_share", 4),
    REAL("isk_abroad_share", 4),
    REAL("recruits_shelter", 0),
    REAL("recruits_taliban", 0),
    REAL("taliban_defectors", 0),
    REAL("compliance", 4),
    REAL("ct_detection", 4),
    REAL("china_money", 4)};
enum { N_NATIONAL = sizeof national_cols / sizeof national_cols[0] };

static const struct strife__column province_cols[] = {
    {"month", STRIFE__COL_MONTH, 0},
    {"iso", STRIFE__COL_TEXT, 0},
    {"province", STRIFE__COL_TEXT, 0},
    REAL("legit_public", 4),
    REAL("isk_fighters", 0),
    REAL("attacks", 0),
    REAL("fatalities", 0),
    REAL("active_public", 0),
    REAL("active_hardliner", 0),
    REAL("jailed", 0),
    REAL("arrests", 0),
    REAL("security", 0)};
enum { N_PROVINCE = sizeof province_cols / sizeof province_cols[0] };

static const struct strife__column event_cols[] = {
    {"date", STRIFE__COL_DATE, 0},      {"province", STRIFE__COL_OPTTEXT, 0},
    {"kind", STRIFE__COL_TEXT, 0},      {"target", STRIFE__COL_OPTTEXT, 0},
    {"fatalities", STRIFE__COL_INT, 0}, {"country", STRIFE__COL_OPTTEXT, 0},
    {"detail", STRIFE__COL_OPTTEXT, 0}};
enum { N_EVENT = sizeof event_cols / sizeof event_cols[0] };

enum { T_NATIONAL, T_PROVINCES, T_EVENTS };
static const struct strife__table tables[] = {
    {"national", "national.csv", national_cols, N_NATIONAL, 1},
    {"provinces", "provinces.csv", province_cols, N_PROVINCE, 2},
    {"events", "events.csv", event_cols, N_EVENT, 0}};

/* ------------------------------------------------------------------ */
/* Outcomes                                                           */
/* ------------------------------------------------------------------ */

#define INT STRIFE__OUT_INT
#define KEY STRIFE__OUT_KEY
/* XX(id, name, unit, better, label, decimals, json, flags): better is
   from the Taliban government's point of view; in summary.json's order. */
#define OUTCOMES(XX)                                                           \
  XX(ISK_END, "isk_fighters_end", "fighters", -1, "IS-K fighters at the end",  \
     0, "isk_fighters_end", KEY)                                               \
  XX(ISK_MONEY, "isk_money_end", "US$ million", -1, NULL, 0, "isk_money_end",  \
     0)                                                                        \
  XX(ISK_PEAK, "isk_fighters_peak", "fighters", -1, "IS-K fighters, peak", 0,  \
     "isk_fighters_peak", 0)                                                   \
  XX(ISK_FEB2022, "isk_fighters_2022_02_01", "fighters", -1, NULL, 0,          \
     "isk_fighters_2022_02_01", 0)                                             \
  XX(ATTACKS, "attacks", "attacks", -1, "IS-K attacks", 0, "attacks",          \
     INT | KEY)                                                                \
  XX(ATTACKS_CALIB, "attacks_2021_09_to_2023_04", "attacks", -1,               \
     "  of which Sep 2021 - Apr 2023", 0, "attacks_2021_09_to_2023_04", INT)   \
  XX(ATTACKS_LAST180, "attacks_last_180_days", "attacks", -1, NULL, 0,         \
     "attacks_last_180_days", INT)                                             \
  XX(CROSS_BORDER, "cross_border_attacks", "attacks", -1, NULL, 0,             \
     "cross_border_attacks", INT)                                              \
  XX(FATALITIES, "fatalities", "people", -1, "attack fatalities", 0,           \
     "fatalities", INT)                                                        \
  XX(PUB_END, "legit_public_end", "", 1, "public legitimacy at the end", 3,    \
     "legit_public_end", KEY)                                                  \
  XX(HARD_END, "legit_hardliner_end", "", 1,                                   \
     "hardliner legitimacy at the end", 3, "legit_hardliner_end", 0)           \
  XX(US_END, "legit_us_end", "", 1, "US view at the end", 3,                   \
     "legit_international_end.us", 0)                                          \
  XX(PAKISTAN_END, "legit_pakistan_end", "", 1, "Pakistan's view at the end",  \
     3, "legit_international_end.pakistan", 0)                                 \
  XX(CHINA_END, "legit_china_end", "", 1, NULL, 0,                             \
     "legit_international_end.china", 0)                                       \
  XX(RUSSIA_END, "legit_russia_end", "", 1, NULL, 0,                           \
     "legit_international_end.russia", 0)                                      \
  XX(TAJIKISTAN_END, "legit_tajikistan_end", "", 1, NULL, 0,                   \
     "legit_international_end.tajikistan", 0)                                  \
  XX(PUB_MIN, "legit_public_min", "", 1, NULL, 0, "legit_public_min", 0)       \
  XX(FORCES_END, "forces_end", "members", 1, "Taliban forces at the end", 0,   \
     "forces_end", 0)                                                          \
  XX(TREASURY_END, "treasury_end", "US$ million", 1, NULL, 0, "treasury_end",  \
     0)                                                                        \
  XX(DEFICIT_MONTHS, "deficit_months", "months", -1, NULL, 0,                  \
     "deficit_months", 0)                                                      \
  XX(DECAPITATIONS, "decapitations", "strikes", 0, "decapitation strikes", 0,  \
     "decapitations", INT)                                                     \
  XX(AIRSTRIKES, "pakistani_airstrikes", "strikes", -1,                        \
     "Pakistani airstrikes", 0, "pakistani_airstrikes", INT)                   \
  XX(SCANDALS, "aid_scandals", "scandals", -1, NULL, 0, "aid_scandals", INT)   \
  XX(BACKLASH, "backlash_attacks", "attacks", -1, NULL, 0, "backlash_attacks", \
     INT)                                                                      \
  XX(TTP_ATTACKS, "ttp_attacks_in_pakistan", "attacks", -1, NULL, 0,           \
     "ttp_attacks_in_pakistan", INT)                                           \
  XX(RECRUITS_POOL, "recruits_pool", "fighters", -1, NULL, 0, "recruits.pool", \
     0)                                                                        \
  XX(RECRUITS_FOREIGN, "recruits_foreign", "fighters", -1, NULL, 0,            \
     "recruits.foreign", 0)                                                    \
  XX(RECRUITS_DEFECTORS, "recruits_defectors", "fighters", -1, NULL, 0,        \
     "recruits.defectors", 0)                                                  \
  XX(RECRUITS_PRISONERS, "recruits_prisoners", "fighters", -1, NULL, 0,        \
     "recruits.prisoners", 0)                                                  \
  XX(RECRUITS_SHELTER, "recruits_shelter", "fighters", -1, NULL, 0,            \
     "recruits.shelter", 0)                                                    \
  XX(RECRUITS_TALIBAN, "recruits_taliban", "fighters", -1, NULL, 0,            \
     "recruits.taliban", 0)

enum {
#define XX(id, name, unit, better, label, dec, json, flags) O_##id,
  OUTCOMES(XX)
#undef XX
      N_OUTCOMES
};
_Static_assert(N_OUTCOMES == STRIFE__AFGHAN_OUTCOMES, "outcome count");
_Static_assert(O_TAJIKISTAN_END - O_US_END + 1 == STRIFE__N_STATES,
               "a view at the end for each state");
_Static_assert(O_RECRUITS_TALIBAN - O_RECRUITS_POOL + 1 == STRIFE__N_SOURCES,
               "recruits by each source");

static const struct strife__outcome outcomes[N_OUTCOMES] = {
#define XX(id, name, unit, better, label, dec, json, flags)                    \
  {name, unit, better, label, dec, json, flags},
    OUTCOMES(XX)
#undef XX
};

static const struct strife__summary_item summary[] = {
    {"agent_scale", STRIFE__FACT_SCALE, 0},
    {"wall_seconds", STRIFE__FACT_WALL, 0},
    {"agents", STRIFE__FACT_AGENTS, 0},
    {"bytes_per_agent", STRIFE__FACT_BYTES, 0},
    {"outcomes", STRIFE__FACT_OUTCOMES, 0},
    {"outcomes.end_date", STRIFE__FACT_END_DATE, 0}};

/* The national table's columns the observed record is scored against
   (docs/record.md). */
enum {
  C_ISK = 2,
  C_ATTACKS,
  C_CROSS_BORDER,
  C_FATALITIES,
  C_FORCES = 13,
  C_REVENUE = 22,
  C_AID,
  C_TTP = 27,
  C_TTP_ATTACKS,
  C_ISK_PK,
  C_ISK_PK_FATALITIES,
  C_CROSS_FATALITIES,
  C_STRIKES,
  C_STRIKE_FATALITIES
};
#define SUM  STRIFE__MEASURE_SUM
#define MEAN STRIFE__MEASURE_MEAN
static const struct strife__measure measures[] = {
    {"attacks", NULL, "attacks", C_ATTACKS, SUM},
    {"fatalities", NULL, "people", C_FATALITIES, SUM},
    {"cross_border_attacks", NULL, "attacks", C_CROSS_BORDER, SUM},
    {"cross_border_fatalities", NULL, "people", C_CROSS_FATALITIES, SUM},
    {"cross_border_attacks", "Pakistan", "attacks", C_ISK_PK, SUM},
    {"cross_border_fatalities", "Pakistan", "people", C_ISK_PK_FATALITIES, SUM},
    {"isk_fighters", NULL, "fighters", C_ISK, MEAN},
    {"ttp", NULL, "fighters", C_TTP, MEAN},
    {"ttp_attacks", NULL, "attacks", C_TTP_ATTACKS, SUM},
    {"pakistan_strikes", NULL, "strikes", C_STRIKES, SUM},
    {"pakistan_strike_fatalities", NULL, "people", C_STRIKE_FATALITIES, SUM},
    {"forces", NULL, "personnel|fighters", C_FORCES, MEAN},
    {"revenue", NULL, "US$ million", C_REVENUE, SUM},
    {"aid", NULL, "US$ million", C_AID, SUM},
};
#undef SUM
#undef MEAN

static const struct strife__schema schema = {
    tables,       3,        outcomes,
    N_OUTCOMES,   summary,  sizeof summary / sizeof *summary,
    "days",       measures, sizeof measures / sizeof *measures,
    "Afghanistan"};

/* ------------------------------------------------------------------ */
/* The day's rows                                                     */
/* ------------------------------------------------------------------ */

static int national_row(const struct strife__afghan *m,
                        const struct strife__observer *obs) {
  const struct strife__national *n = &m->st.nat;
  const double s = m->p.st.scale;
  const double v[N_NATIONAL - 2] = {n->isk,
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
                                    n->ttp_attacks,
                                    n->cross_pk,
                                    n->cross_pk_fatalities,
                                    n->cross_fatalities,
                                    n->strikes,
                                    n->strike_fatalities,
                                    n->groups[STRIFE__AQ],
                                    n->groups[STRIFE__IMU],
                                    (double)n->active[0] * s,
                                    (double)n->active[1] * s,
                                    (double)n->jailed * s,
                                    (double)n->arrests * s,
                                    n->pressure,
                                    n->home,
                                    n->abroad,
                                    n->recruits[STRIFE__R_SHELTER],
                                    n->recruits[STRIFE__R_TALIBAN],
                                    n->defectors,
                                    n->compliance,
                                    n->detection,
                                    n->china};
  union strife__cell row[N_NATIONAL];
  row[0].i = n->day;
  row[1].s = strife__strat_policy_name(n->policy);
  for (int k = 2; k < N_NATIONAL; k++)
    row[k].r = v[k - 2];
  return obs->row(obs->ud, T_NATIONAL, row);
}

/* The rows of the month of 'day' (or of its part run). */
static int province_rows(const struct strife__afghan *m, int64_t day,
                         const struct strife__observer *obs) {
  int y, mo, d;
  strife__date_ymd(day, &y, &mo, &d);
  const double s = m->p.st.scale;
  int rc = STRIFE_OK;
  for (size_t i = 0; i < m->prov->n && !rc; i++) {
    const struct strife__pmonth *pm = &m->st.month[i];
    union strife__cell row[N_PROVINCE] = {{.i = y * 100 + mo},
                                          {.s = m->prov->p[i].iso},
                                          {.s = m->prov->p[i].name},
                                          {.r = pm->pub},
                                          {.r = pm->isk},
                                          {.r = pm->attacks},
                                          {.r = pm->fatalities},
                                          {.r = (double)pm->active[0] * s},
                                          {.r = (double)pm->active[1] * s},
                                          {.r = (double)pm->jailed * s},
                                          {.r = (double)pm->arrests * s},
                                          {.r = (double)pm->cops * s}};
    rc = obs->row(obs->ud, T_PROVINCES, row);
  }
  return rc;
}

/* An event's detail (the policy or lever set, the group that struck), as
   events.csv gives it, into buf. */
static const char *event_detail(const struct strife__event *e, char *buf,
                                size_t size) {
  if (e->kind == STRIFE__E_POLICY) return strife__strat_policy_name(e->detail);
  if (e->kind == STRIFE__E_LEVER) {
    /* The lever's name as --set takes it, its value from the key's
       choices. */
    static const char *const name[STRIFE__LEVERS] = {
        "policy", "us", "china-development", "pakistan-strikes"};
    int l = e->detail / 8;
    size_t n;
    const char *c =
        strife__key_choice(strife__afghan_lever_key(l), e->detail % 8, &n);
    snprintf(buf, size, "%s=%.*s", name[l], (int)n, c);
    return buf;
  }
  if (e->kind == STRIFE__E_BACKLASH)
    return e->detail == STRIFE__TTP  ? "ttp"
           : e->detail == STRIFE__AQ ? "aq"
                                     : "imu";
  return "";
}

static int event_rows(const struct strife__afghan *m,
                      const struct strife__observer *obs) {
  int rc = STRIFE_OK;
  for (size_t k = 0; k < m->st.n_events && !rc; k++) {
    const struct strife__event *e = &m->st.events[k];
    char buf[48];
    union strife__cell row[N_EVENT] = {
        {.i = e->day},
        {.s = e->province >= 0 ? m->prov->p[e->province].iso : ""},
        {.s = strife__strat_event_name(e->kind)},
        {.s = strife__strat_target_name(e->target)},
        {.i = e->fatalities},
        {.s = e->country >= 0 ? strife__provinces_country(e->country) : ""},
        {.s = event_detail(e, buf, sizeof buf)}};
    rc = obs->row(obs->ud, T_EVENTS, row);
  }
  return rc;
}

/* ------------------------------------------------------------------ */
/* Outcomes over the days                                             */
/* ------------------------------------------------------------------ */

/* 2021-09-01, 2022-02-01 and 2023-04-30 as days since 1970-01-01. */
#define DAY_2021_09_01 18871
#define DAY_2022_02_01 19024
#define DAY_2023_04_30 19477

void strife__afghan_observe_init(struct strife__afghan *m) {
  memset(m->outcome, 0, sizeof m->outcome);
  memset(m->recent, 0, sizeof m->recent);
  m->days_seen = 0;
  m->outcome[O_ISK_FEB2022] = (double)NAN;
}

/* The outcomes that are sums or extremes over days, from the day just
   run and its events. */
static void tally_day(struct strife__afghan *m) {
  const struct strife__national *n = &m->st.nat;
  double *o = m->outcome;
  int64_t t = m->days_seen++;
  if (n->isk > o[O_ISK_PEAK]) o[O_ISK_PEAK] = n->isk;
  if (n->day == DAY_2022_02_01) o[O_ISK_FEB2022] = n->isk;
  if (t == 0 || n->pub < o[O_PUB_MIN]) o[O_PUB_MIN] = n->pub;
  o[O_ATTACKS] += n->attacks;
  if (n->day >= DAY_2021_09_01 && n->day <= DAY_2023_04_30)
    o[O_ATTACKS_CALIB] += n->attacks;
  m->recent[t % 180] = n->attacks;
  o[O_CROSS_BORDER] += n->cross_border;
  o[O_FATALITIES] += n->fatalities;
  for (int k = 0; k < STRIFE__N_SOURCES; k++)
    o[O_RECRUITS_POOL + k] += n->recruits[k];
  for (size_t k = 0; k < m->st.n_events; k++) {
    int kind = m->st.events[k].kind;
    o[O_DECAPITATIONS] += kind == STRIFE__E_DECAPITATION;
    o[O_AIRSTRIKES] += kind == STRIFE__E_AIRSTRIKE;
    o[O_SCANDALS] += kind == STRIFE__E_SCANDAL;
    o[O_BACKLASH] += kind == STRIFE__E_BACKLASH;
    o[O_TTP_ATTACKS] += kind == STRIFE__E_TTP_ATTACK;
  }
}

static void outcomes_of(const void *state, double *out) {
  const struct strife__afghan *m = state;
  const struct strife__national *n = &m->st.nat;
  memcpy(out, m->outcome, sizeof m->outcome);
  out[O_ISK_END] = n->isk;
  out[O_ISK_MONEY] = n->isk_money;
  out[O_PUB_END] = n->pub;
  out[O_HARD_END] = n->hard;
  for (int c = 0; c < STRIFE__N_STATES; c++)
    out[O_US_END + c] = n->intl[c];
  out[O_FORCES_END] = n->forces;
  out[O_TREASURY_END] = n->treasury;
  out[O_DEFICIT_MONTHS] = m->st.deficit_days / 30.4375;
  double last180 = 0;
  for (int64_t k = 0; k < 180 && k < m->days_seen; k++)
    last180 += m->recent[k];
  out[O_ATTACKS_LAST180] = last180;
}

/* A day: its national row, its events (then forgotten), its outcomes; at
   the end of a month, or of the run, the month's province rows (then
   forgotten). */
static int observe(void *state, unsigned when,
                   const struct strife__observer *obs) {
  struct strife__afghan *m = state;
  int rc = STRIFE_OK;
  if (when & STRIFE__OBS_TICK) {
    rc = national_row(m, obs);
    if (!rc) rc = event_rows(m, obs);
    tally_day(m);
    strife__strat_events_clear(&m->st);
  }
  int month = (when & STRIFE__OBS_MONTH) ||
              ((when & STRIFE__OBS_END) && m->st.month_days);
  if (!rc && month) {
    rc = province_rows(m, m->st.nat.day, obs);
    strife__strat_month_reset(&m->st);
  }
  return rc;
}

/* ------------------------------------------------------------------ */
/* The type table                                                     */
/* ------------------------------------------------------------------ */

static int create(void **state, const struct strife__alloc *a,
                  const void *params, uint64_t seed, unsigned threads,
                  struct strife__model_info *info, strife_diag *diag) {
  const struct strife__afghan_params *p = params;
  info->dated = 1;
  info->start_day = p->st.start;
  info->scale = p->st.scale;
  return strife__afghan_create((struct strife__afghan **)state, a, p, seed,
                               threads, diag);
}

static int step(void *state, char *msg, size_t size) {
  int rc = strife__afghan_step(state);
  if (rc) snprintf(msg, size, "out of memory growing the day's event log");
  return rc;
}

static void counts(const void *state, strife_counts *out) {
  strife__afghan_counts(state, out);
}

static void proximity(const void *state, strife_proximity *out) {
  const struct strife__afghan *m = state;
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < m->prov->n; i++) {
    strife_proximity one;
    strife__epstein_proximity(m->lat[i], &one);
    for (int b = 0; b < STRIFE_PROXIMITY_BINS; b++) {
      out->citizens[b] += one.citizens[b];
      out->active[b] += one.active[b];
    }
  }
}

static size_t memory(const void *state) {
  return ((const struct strife__afghan *)state)->bytes;
}

static uint64_t agents(const void *state) {
  return ((const struct strife__afghan *)state)->agents;
}

static void destroy(void *state) {
  strife__afghan_destroy(state);
}

/* The outcome of a date a run does not reach has no value. */
static int undefined(const void *params, int64_t ticks, int k, char *why,
                     size_t size) {
  const struct strife__afghan_params *p = params;
  if (k != O_ISK_FEB2022) return 0;
  int64_t last = p->st.start + ticks - 1;
  if (p->st.start <= DAY_2022_02_01 && last >= DAY_2022_02_01) return 0;
  char a[16], b[16];
  strife__date_text(p->st.start, a);
  strife__date_text(last, b);
  snprintf(why, size,
           "it is the IS-K fighters on 2022-02-01, and the run covers %s to "
           "%s",
           a, b);
  return 1;
}

const struct strife_model_type strife__model_afghan = {
    .name = "afghan",
    .doc = "The Taliban government, IS-K, the sheltered jihadist groups and "
           "the foreign states, day by day and province by province, over "
           "an Epstein lattice a province (docs/model.md).",
    .keys = strife__afghan_keys,
    .n_keys = STRIFE__AFGHAN_KEYS,
    .aliases = strife__afghan_aliases,
    .n_aliases = 3,
    .params_size = sizeof(struct strife__afghan_params),
    .ticks_source = "the days from run.start to run.end",
    .min_ticks = 1,
    .schema = &schema,
    .check = strife__afghan_check,
    .create = create,
    .step = step,
    .observe = observe,
    .outcomes = outcomes_of,
    .undefined = undefined,
    .counts = counts,
    .proximity = proximity,
    .memory = memory,
    .agents = agents,
    .destroy = destroy,
};
