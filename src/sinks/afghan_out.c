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

#include "core/date.h"
#include "core/sim.h"
#include "io.h"
#include "models/afghan/afghan.h"
#include "record.h"
#include "scenario/scenario.h"

static const char *const state_names[STRIFE__N_STATES] = {
    "us", "pakistan", "china", "russia", "tajikistan"};

static void national_header(FILE *f) {
  fputs("date,policy", f);
  for (int k = 0; k < STRIFE__NAT_COLS; k++)
    fprintf(f, ",%s", strife__nat_cols[k].name);
  fputc('\n', f);
}

static void values(FILE *f, const struct strife__col *cols, int n,
                   const double *v) {
  for (int k = 0; k < n; k++)
    fprintf(f, ",%.*f", cols[k].decimals, v[k]);
  fputc('\n', f);
}

/* The record as national.csv, provinces.csv and events.csv. */
static void write_csv(FILE *const f[3], const struct strife__record *r,
                      const struct strife__provinces *prov) {
  national_header(f[0]);
  for (size_t i = 0; i < r->n_days; i++) {
    char d[11];
    strife__date_text(r->days[i].day, d);
    fprintf(f[0], "%s,%s", d, strife__policy_name(r->days[i].policy));
    values(f[0], strife__nat_cols, STRIFE__NAT_COLS, r->days[i].v);
  }
  fputs("month,iso,province", f[1]);
  for (int k = 0; k < STRIFE__PROV_COLS; k++)
    fprintf(f[1], ",%s", strife__prov_cols[k].name);
  fputc('\n', f[1]);
  for (size_t i = 0; i < r->n_prow; i++) {
    const struct strife__prow *p = &r->prow[i];
    fprintf(f[1], "%04d-%02d,%s,%s", p->month / 100, p->month % 100,
            prov->p[p->prov].iso, prov->p[p->prov].name);
    values(f[1], strife__prov_cols, STRIFE__PROV_COLS, p->v);
  }
  fputs("date,province,kind,target,fatalities,country,detail\n", f[2]);
  for (size_t k = 0; k < r->n_ev; k++) {
    const struct strife__event *e = &r->ev[k];
    char d[11], buf[48];
    strife__date_text(e->day, d);
    fprintf(f[2], "%s,%s,%s,%s,%u,%s,%s\n", d,
            e->province >= 0 ? prov->p[e->province].iso : "",
            strife__event_name(e->kind), strife__target_name(e->target),
            e->fatalities,
            e->country >= 0 ? strife__country_name(e->country) : "",
            strife__event_detail(e, buf, sizeof buf));
  }
}

static char *summary_text(const strife_scenario *sc,
                          const struct strife__afghan *m,
                          const struct strife__record *r) {
  const double *o = r->outcome;
  json_t *intl = json_object();
  for (int c = 0; c < STRIFE__N_STATES; c++)
    json_object_set_new(intl, state_names[c],
                        json_real(o[STRIFE__O_INTL_END + c]));
  json_t *rec =
      json_pack("{sfsfsfsf}", "pool", o[STRIFE__O_RECRUITS + STRIFE__R_POOL],
                "foreign", o[STRIFE__O_RECRUITS + STRIFE__R_FOREIGN],
                "defectors", o[STRIFE__O_RECRUITS + STRIFE__R_DEFECTOR],
                "prisoners", o[STRIFE__O_RECRUITS + STRIFE__R_PRISONER]);
  char end[11];
  strife__date_text(m->st.nat.day, end);
#define I(k) ((json_int_t)o[STRIFE__O_##k])
  json_t *out = json_pack(
      "{sfsfsfsosIsIsIsIsIsfsfsosfsfsfsfsIsIsIsIsIsoss}", "isk_fighters_end",
      o[STRIFE__O_ISK_END], "isk_money_end", o[STRIFE__O_ISK_MONEY],
      "isk_fighters_peak", o[STRIFE__O_ISK_PEAK], "isk_fighters_2022_02_01",
      isnan(o[STRIFE__O_ISK_FEB2022]) ? json_null()
                                      : json_real(o[STRIFE__O_ISK_FEB2022]),
      "attacks", I(ATTACKS), "attacks_2021_09_to_2023_04", I(ATTACKS_CALIB),
      "attacks_last_180_days", I(ATTACKS_LAST180), "cross_border_attacks",
      I(CROSS_BORDER), "fatalities", I(FATALITIES), "legit_public_end",
      o[STRIFE__O_PUB_END], "legit_hardliner_end", o[STRIFE__O_HARD_END],
      "legit_international_end", intl, "legit_public_min", o[STRIFE__O_PUB_MIN],
      "forces_end", o[STRIFE__O_FORCES_END], "treasury_end",
      o[STRIFE__O_TREASURY_END], "deficit_months", o[STRIFE__O_DEFICIT_MONTHS],
      "decapitations", I(DECAPITATIONS), "pakistani_airstrikes", I(AIRSTRIKES),
      "aid_scandals", I(SCANDALS), "backlash_attacks", I(BACKLASH),
      "ttp_attacks_in_pakistan", I(TTP_ATTACKS), "recruits", rec, "end_date",
      end);
#undef I
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

static void table_text(const double *o, char *buf, size_t size) {
  snprintf(buf, size,
           "  %-34s %12.0f\n  %-34s %12.0f\n  %-34s %12.0f\n"
           "  %-34s %12.0f\n  %-34s %12.0f\n  %-34s %12.3f\n"
           "  %-34s %12.3f\n  %-34s %12.3f\n  %-34s %12.3f\n"
           "  %-34s %12.0f\n  %-34s %12.0f\n  %-34s %12.0f\n",
           "IS-K fighters at the end", o[STRIFE__O_ISK_END],
           "IS-K fighters, peak", o[STRIFE__O_ISK_PEAK], "IS-K attacks",
           o[STRIFE__O_ATTACKS], "  of which Sep 2021 - Apr 2023",
           o[STRIFE__O_ATTACKS_CALIB], "attack fatalities",
           o[STRIFE__O_FATALITIES], "public legitimacy at the end",
           o[STRIFE__O_PUB_END], "hardliner legitimacy at the end",
           o[STRIFE__O_HARD_END], "US view at the end",
           o[STRIFE__O_INTL_END + STRIFE__S_US], "Pakistan's view at the end",
           o[STRIFE__O_INTL_END + STRIFE__S_PAKISTAN],
           "Taliban forces at the end", o[STRIFE__O_FORCES_END],
           "decapitation strikes", o[STRIFE__O_DECAPITATIONS],
           "Pakistani airstrikes", o[STRIFE__O_AIRSTRIKES]);
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
  struct strife__record *rec = malloc(sizeof *rec);
  if (!rec) {
    strife_sim_destroy(sim);
    return STRIFE_ENOMEM;
  }
  rc = strife__record_run(sim, cfg, rec);
  r.interrupted = rec->interrupted;
  r.wall_seconds = rec->wall_seconds;
  r.ticks = rec->ticks;
  strife_sim_counts(sim, &r.final);
  table_text(rec->outcome, r.table, sizeof r.table);
  if (out_dir && !rc) {
    static const char *const names[3] = {"national.csv", "provinces.csv",
                                         "events.csv"};
    struct strife__afile f[3];
    memset(f, 0, sizeof f);
    rc = strife__mkdirs(out_dir, diag);
    for (int i = 0; i < 3 && !rc; i++)
      rc = strife__afile_open(&f[i], out_dir, names[i], diag);
    if (!rc) write_csv((FILE *const[3]){f[0].f, f[1].f, f[2].f}, rec, m->prov);
    for (int i = 0; i < 3; i++)
      if (rc)
        strife__afile_discard(&f[i]);
      else
        rc = strife__afile_commit(&f[i], diag);
    char *summary = rc ? NULL : summary_text(sc, m, rec);
    if (!rc && !summary) rc = STRIFE_ENOMEM;
    if (!rc) rc = strife__write_file(out_dir, "summary.json", summary, diag);
    free(summary);
    if (!rc) rc = strife__write_scenario(sc, out_dir, diag);
  }
  strife__record_free(rec);
  free(rec);
  strife_sim_destroy(sim);
  if (rc) return rc;
  if (res) *res = r;
  return r.interrupted ? STRIFE_ECANCELED : STRIFE_OK;
}
