/* SPDX-License-Identifier: MIT */
/*
 * The outputs of an Afghan run (docs/outputs.md): national.csv a row a
 * day, provinces.csv a row a province a month, events.csv an event a row,
 * summary.json with the outcomes, scenario.json, and the outcome table of
 * strife_run_result.  Every file is written under a temporary name and
 * renamed into place when complete.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/sim.h"
#include "io.h"
#include "model/afghan.h"
#include "scenario/scenario.h"

static const char *const state_names[STRIFE__N_STATES] = {
    "us", "pakistan", "china", "russia", "tajikistan"};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void national_header(FILE *f) {
  fputs("date,policy,isk_fighters,attacks,cross_border_attacks,fatalities,"
        "recruits_pool,recruits_foreign,recruits_defectors,recruits_prisoners,"
        "ct_removed,isk_leaders,isk_money,forces,ct_forces,legit_public,"
        "legit_hardliner",
        f);
  for (int c = 0; c < STRIFE__N_STATES; c++)
    fprintf(f, ",legit_%s", state_names[c]);
  fputs(",revenue,aid,spending,treasury,hardship,ttp,aq,imu,active_public,"
        "active_hardliner,jailed,arrests\n",
        f);
}

static void national_row(FILE *f, const struct strife__national *n,
                         double scale) {
  char d[11];
  strife__date_text(n->day, d);
  fprintf(f,
          "%s,%s,%.0f,%u,%u,%u,%.0f,%.0f,%.0f,%.0f,%.0f,%d,%.3f,%.0f,%.0f,%.4f,"
          "%.4f",
          d, strife__policy_name(n->policy), n->isk, n->attacks,
          n->cross_border, n->fatalities, n->recruits[STRIFE__R_POOL],
          n->recruits[STRIFE__R_FOREIGN], n->recruits[STRIFE__R_DEFECTOR],
          n->recruits[STRIFE__R_PRISONER], n->removed, n->slots_filled,
          n->isk_money, n->forces, n->ct_forces, n->pub, n->hard);
  for (int c = 0; c < STRIFE__N_STATES; c++)
    fprintf(f, ",%.4f", n->intl[c]);
  fprintf(f, ",%.4f,%.4f,%.4f,%.2f,%.4f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f\n",
          n->revenue, n->aid, n->spending, n->treasury, n->hardship,
          n->groups[STRIFE__TTP], n->groups[STRIFE__AQ], n->groups[STRIFE__IMU],
          (double)n->active[0] * scale, (double)n->active[1] * scale,
          (double)n->jailed * scale, (double)n->arrests * scale);
}

static void province_rows(FILE *f, const struct strife__afghan *m,
                          int64_t day) {
  int y, mo, d;
  strife__date_ymd(day, &y, &mo, &d);
  double s = m->p.st.scale;
  for (size_t i = 0; i < m->prov->n; i++) {
    const struct strife__pmonth *pm = &m->st.month[i];
    fprintf(f, "%04d-%02d,%s,%s,%.4f,%.0f,%u,%u,%.0f,%.0f,%.0f,%.0f,%.0f\n", y,
            mo, m->prov->p[i].iso, m->prov->p[i].name, pm->pub, pm->isk,
            pm->attacks, pm->fatalities, (double)pm->active[0] * s,
            (double)pm->active[1] * s, (double)pm->jailed * s,
            (double)pm->arrests * s, (double)pm->cops * s);
  }
}

static void event_rows(FILE *f, const struct strife__afghan *m, size_t from) {
  for (size_t k = from; k < m->st.n_events; k++) {
    const struct strife__event *e = &m->st.events[k];
    char d[11];
    strife__date_text(e->day, d);
    const char *detail = "";
    char lever[48];
    if (e->kind == STRIFE__E_POLICY) detail = strife__policy_name(e->detail);
    if (e->kind == STRIFE__E_LEVER) {
      /* The lever's name as --set takes it, its value from the key's
         choices. */
      static const char *const name[STRIFE__LEVERS] = {
          "policy", "us", "china-development", "pakistan-strikes"};
      int l = e->detail / 8;
      size_t n;
      const char *c = strife__key_choice(
          strife__key_find(strife__lever_keys[l]), e->detail % 8, &n);
      snprintf(lever, sizeof lever, "%s=%.*s", name[l], (int)n, c);
      detail = lever;
    }
    if (e->kind == STRIFE__E_BACKLASH)
      detail = e->detail == STRIFE__TTP  ? "ttp"
               : e->detail == STRIFE__AQ ? "aq"
                                         : "imu";
    fprintf(f, "%s,%s,%s,%s,%u,%s,%s\n", d,
            e->province >= 0 ? m->prov->p[e->province].iso : "",
            strife__event_name(e->kind), strife__target_name(e->target),
            e->fatalities,
            e->country >= 0 ? strife__country_name(e->country) : "", detail);
  }
}

/* What the summary reports, gathered day by day. */
struct outcomes {
  double isk_peak, isk_feb2022, pub_min;
  uint64_t attacks, attacks_calib, attacks_last180, cross_border, fatalities;
  uint64_t decapitations, airstrikes, scandals, backlash, ttp_attacks;
  uint32_t recent[180];
  double recruits[STRIFE__N_SOURCES];
  struct strife__national last;
};

/* 2021-09-01, 2022-02-01, 2023-04-30 as days since 1970-01-01. */
#define DAY_2021_09_01 18871
#define DAY_2022_02_01 19024
#define DAY_2023_04_30 19477

static void tally_day(struct outcomes *o, const struct strife__afghan *m,
                      int64_t t, size_t ev_from) {
  const struct strife__national *n = &m->st.nat;
  o->last = *n;
  if (n->isk > o->isk_peak) o->isk_peak = n->isk;
  if (n->day == DAY_2022_02_01) o->isk_feb2022 = n->isk;
  if (t == 0 || n->pub < o->pub_min) o->pub_min = n->pub;
  o->attacks += n->attacks;
  if (n->day >= DAY_2021_09_01 && n->day <= DAY_2023_04_30)
    o->attacks_calib += n->attacks;
  o->recent[t % 180] = n->attacks;
  o->cross_border += n->cross_border;
  o->fatalities += n->fatalities;
  for (int k = 0; k < STRIFE__N_SOURCES; k++)
    o->recruits[k] += n->recruits[k];
  for (size_t k = ev_from; k < m->st.n_events; k++) {
    int kind = m->st.events[k].kind;
    o->decapitations += kind == STRIFE__E_DECAPITATION;
    o->airstrikes += kind == STRIFE__E_AIRSTRIKE;
    o->scandals += kind == STRIFE__E_SCANDAL;
    o->backlash += kind == STRIFE__E_BACKLASH;
    o->ttp_attacks += kind == STRIFE__E_TTP_ATTACK;
  }
}

static char *summary_text(const strife_scenario *sc,
                          const struct strife__afghan *m,
                          const struct outcomes *o, const strife_run_result *r,
                          int64_t days) {
  const struct strife__national *n = &o->last;
  uint64_t last180 = 0;
  for (int k = 0; k < 180; k++)
    last180 += o->recent[k];
  json_t *intl = json_object();
  for (int c = 0; c < STRIFE__N_STATES; c++)
    json_object_set_new(intl, state_names[c], json_real(n->intl[c]));
  json_t *rec = json_pack("{sfsfsfsf}", "pool", o->recruits[STRIFE__R_POOL],
                          "foreign", o->recruits[STRIFE__R_FOREIGN],
                          "defectors", o->recruits[STRIFE__R_DEFECTOR],
                          "prisoners", o->recruits[STRIFE__R_PRISONER]);
  char end[11];
  strife__date_text(n->day, end);
  json_t *out = json_pack(
      "{sfsfsfsosIsIsIsIsIsfsfsosfsfsfsfsIsIsIsIsIsoss}", "isk_fighters_end",
      n->isk, "isk_money_end", n->isk_money, "isk_fighters_peak", o->isk_peak,
      "isk_fighters_2022_02_01",
      o->isk_feb2022 > 0 ? json_real(o->isk_feb2022) : json_null(), "attacks",
      (json_int_t)o->attacks, "attacks_2021_09_to_2023_04",
      (json_int_t)o->attacks_calib, "attacks_last_180_days",
      (json_int_t)(days >= 180 ? last180 : o->attacks), "cross_border_attacks",
      (json_int_t)o->cross_border, "fatalities", (json_int_t)o->fatalities,
      "legit_public_end", n->pub, "legit_hardliner_end", n->hard,
      "legit_international_end", intl, "legit_public_min", o->pub_min,
      "forces_end", n->forces, "treasury_end", n->treasury, "deficit_months",
      m->st.deficit_days / 30.4375, "decapitations",
      (json_int_t)o->decapitations, "pakistani_airstrikes",
      (json_int_t)o->airstrikes, "aid_scandals", (json_int_t)o->scandals,
      "backlash_attacks", (json_int_t)o->backlash, "ttp_attacks_in_pakistan",
      (json_int_t)o->ttp_attacks, "recruits", rec, "end_date", end);
  json_t *s = json_pack(
      "{sssssssssssIsIsIsIsfsIsfso}", "strife_version", strife_version_string(),
      "scenario", strife_scenario_name(sc), "scenario_hash",
      strife_scenario_hash(sc), "model", "afghan", "status",
      r->interrupted ? "interrupted" : "complete", "seed", (json_int_t)r->seed,
      "ticks", (json_int_t)strife_scenario_ticks(sc), "ticks_run",
      (json_int_t)r->ticks, "agent_scale", (json_int_t)m->p.st.scale,
      "wall_seconds", r->wall_seconds, "agents", (json_int_t)m->agents,
      "bytes_per_agent", (double)m->bytes / (double)(m->agents ? m->agents : 1),
      "outcomes", out);
  if (!s) return NULL;
  char *text = json_dumps(s, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
  json_decref(s);
  return text;
}

static void table_text(const struct outcomes *o, char *buf, size_t size) {
  const struct strife__national *n = &o->last;
  snprintf(buf, size,
           "  %-34s %12.0f\n  %-34s %12.0f\n  %-34s %12llu\n"
           "  %-34s %12llu\n  %-34s %12llu\n  %-34s %12.3f\n"
           "  %-34s %12.3f\n  %-34s %12.3f\n  %-34s %12.3f\n"
           "  %-34s %12.0f\n  %-34s %12llu\n  %-34s %12llu\n",
           "IS-K fighters at the end", n->isk, "IS-K fighters, peak",
           o->isk_peak, "IS-K attacks", (unsigned long long)o->attacks,
           "  of which Sep 2021 - Apr 2023",
           (unsigned long long)o->attacks_calib, "attack fatalities",
           (unsigned long long)o->fatalities, "public legitimacy at the end",
           n->pub, "hardliner legitimacy at the end", n->hard,
           "US view at the end", n->intl[STRIFE__S_US],
           "Pakistan's view at the end", n->intl[STRIFE__S_PAKISTAN],
           "Taliban forces at the end", n->forces, "decapitation strikes",
           (unsigned long long)o->decapitations, "Pakistani airstrikes",
           (unsigned long long)o->airstrikes);
}

int strife__run_afghan(const strife_scenario *sc, const strife_config *cfg,
                       const char *out_dir, strife_run_result *res,
                       strife_diag *diag) {
  strife_run_result r;
  memset(&r, 0, sizeof r);
  r.seed = cfg && cfg->seed_set ? cfg->seed : strife_scenario_seed(sc);
  strife_sim *sim;
  int rc = strife_sim_create(sc, cfg, &sim, diag);
  if (rc) return rc;
  struct strife__afghan *m = strife__sim_state(sim);
  r.agents = strife_sim_agents(sim);
  struct strife__afile f[3];
  memset(f, 0, sizeof f);
  static const char *const names[3] = {"national.csv", "provinces.csv",
                                       "events.csv"};
  if (out_dir) {
    rc = strife__mkdirs(out_dir, diag);
    for (int i = 0; i < 3 && !rc; i++)
      rc = strife__afile_open(&f[i], out_dir, names[i], diag);
    if (rc) {
      for (int i = 0; i < 3; i++)
        strife__afile_discard(&f[i]);
      strife_sim_destroy(sim);
      return rc;
    }
    national_header(f[0].f);
    fputs("month,iso,province,legit_public,isk_fighters,attacks,fatalities,"
          "active_public,active_hardliner,jailed,arrests,security\n",
          f[1].f);
    fputs("date,province,kind,target,fatalities,country,detail\n", f[2].f);
  }
  struct outcomes *o = calloc(1, sizeof *o);
  if (!o) {
    for (int i = 0; i < 3; i++)
      strife__afile_discard(&f[i]);
    strife_sim_destroy(sim);
    return STRIFE_ENOMEM;
  }
  double t0 = now_seconds();
  const double scale = m->p.st.scale;
  while (!strife_sim_done(sim)) {
    if (cfg && cfg->cancel && *cfg->cancel) {
      r.interrupted = 1;
      break;
    }
    size_t ev_from = m->st.n_events;
    int64_t t = strife_sim_tick(sim);
    strife_sim_step(sim);
    tally_day(o, m, t, ev_from);
    int64_t day = m->st.nat.day;
    int y, mo, d;
    strife__date_ymd(day + 1, &y, &mo, &d);
    int month_end = d == 1 || strife_sim_done(sim);
    if (out_dir) {
      national_row(f[0].f, &m->st.nat, scale);
      event_rows(f[2].f, m, ev_from);
      if (month_end) province_rows(f[1].f, m, day);
    }
    if (month_end) strife__strat_month_reset(&m->st);
    /* The log is written out; it need not grow over the run. */
    strife__strat_events_clear(&m->st);
  }
  if (out_dir && m->st.month_days) province_rows(f[1].f, m, m->st.nat.day);
  r.wall_seconds = now_seconds() - t0;
  r.ticks = strife_sim_tick(sim);
  strife_sim_counts(sim, &r.final);
  table_text(o, r.table, sizeof r.table);
  if (m->st.oom) rc = STRIFE_ENOMEM;
  if (out_dir) {
    for (int i = 0; i < 3; i++)
      if (rc)
        strife__afile_discard(&f[i]);
      else
        rc = strife__afile_commit(&f[i], diag);
    char *summary = rc ? NULL : summary_text(sc, m, o, &r, r.ticks);
    if (!rc && !summary) rc = STRIFE_ENOMEM;
    if (!rc) rc = strife__write_file(out_dir, "summary.json", summary, diag);
    free(summary);
    if (!rc) rc = strife__write_scenario(sc, out_dir, diag);
  }
  free(o);
  strife_sim_destroy(sim);
  if (rc) return rc;
  if (res) *res = r;
  return r.interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}
