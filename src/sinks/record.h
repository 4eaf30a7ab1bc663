/* SPDX-License-Identifier: MIT */
/*
 * The record of an Afghan run, kept in memory: its daily national figures,
 * its monthly province figures, its events and its outcomes (MODEL.md
 * section 5).  strife run writes a record as CSV and JSON files
 * (afghan_out.c); the experiments write records into a results database
 * (db.c).  Both read the columns and the outcomes from the tables here, so
 * that a file and a table always have the same names and units.
 */
#ifndef STRIFE_IO_RECORD_H
#define STRIFE_IO_RECORD_H

#include <stdint.h>

#include "core/core.h"
#include "models/afghan/strategic.h"

/* A numeric column of national.csv or provinces.csv: its name and the
   decimals it is written with. */
struct strife__col {
  const char *name;
  int decimals;
};

/* national.csv's numeric columns, after date and policy. */
#define STRIFE__NAT_COLS 32
extern const struct strife__col strife__nat_cols[STRIFE__NAT_COLS];
/* provinces.csv's numeric columns, after month, iso and province. */
#define STRIFE__PROV_COLS 9
extern const struct strife__col strife__prov_cols[STRIFE__PROV_COLS];

/* The outcomes: name, and whether more is better from the Taliban
   government's point of view (+1), worse (-1), or neither (0). */
struct strife__outcome {
  const char *name;
  int better;
};
/* The outcomes' indices. */
enum {
  STRIFE__O_ISK_END,
  STRIFE__O_ISK_PEAK,
  STRIFE__O_ISK_FEB2022,
  STRIFE__O_ISK_MONEY,
  STRIFE__O_ATTACKS,
  STRIFE__O_ATTACKS_CALIB,
  STRIFE__O_ATTACKS_LAST180,
  STRIFE__O_CROSS_BORDER,
  STRIFE__O_FATALITIES,
  STRIFE__O_PUB_END,
  STRIFE__O_PUB_MIN,
  STRIFE__O_HARD_END,
  STRIFE__O_INTL_END, /* five states */
  STRIFE__O_FORCES_END = STRIFE__O_INTL_END + STRIFE__N_STATES,
  STRIFE__O_TREASURY_END,
  STRIFE__O_DEFICIT_MONTHS,
  STRIFE__O_DECAPITATIONS,
  STRIFE__O_AIRSTRIKES,
  STRIFE__O_SCANDALS,
  STRIFE__O_BACKLASH,
  STRIFE__O_TTP_ATTACKS,
  STRIFE__O_RECRUITS, /* four sources */
  STRIFE__O_END = STRIFE__O_RECRUITS + STRIFE__N_SOURCES
};
#define STRIFE__OUTCOMES STRIFE__O_END
extern const struct strife__outcome strife__outcomes[STRIFE__OUTCOMES];

struct strife__drow {
  int64_t day;
  int policy;
  double v[STRIFE__NAT_COLS];
};

struct strife__prow {
  int32_t month; /* year * 100 + month */
  int32_t prov;
  double v[STRIFE__PROV_COLS];
};

struct strife__record {
  uint64_t seed;
  int64_t ticks;   /* days run */
  int interrupted; /* stopped through cfg->cancel */
  double wall_seconds;
  double scale; /* people per agent */
  /* A row a day. */
  size_t n_days, cap_days;
  struct strife__drow *days;
  /* A row a province a month. */
  size_t n_prow, cap_prow;
  struct strife__prow *prow;
  /* Every event. */
  size_t n_ev, cap_ev;
  struct strife__event *ev;
  /* NAN where undefined (a date the run did not reach). */
  double outcome[STRIFE__OUTCOMES];
};

/* Runs 'sim' (an Afghan model) to its end, or until *cfg->cancel, into
   'r'.  Returns STRIFE_OK or STRIFE_ENOMEM. */
STRIFE__FUNC int strife__record_run(strife_sim *sim, const strife_config *cfg,
                                    struct strife__record *r);
STRIFE__FUNC void strife__record_free(struct strife__record *r);

/* An event's detail (the policy or lever set, the group that struck), as
   events.csv gives it, into buf. */
STRIFE__FUNC const char *strife__event_detail(const struct strife__event *e,
                                              char *buf, size_t size);

#endif
