/* SPDX-License-Identifier: MIT */
/*
 * Forecast skill (docs/score.md): the record's monthly (or quarterly)
 * series after the fit window, each month forecast by an ensemble's runs
 * and by the naive forecasts of forecast.h fitted to the months inside
 * the window, scored by the CRPS, the coverage of the 50 % and 90 %
 * intervals and the probability integral transform.
 */
#ifndef STRIFE_EXP_SKILL_H
#define STRIFE_EXP_SKILL_H

#include <stddef.h>
#include <stdint.h>

#include <strife/strife.h>

#include "core/core.h"
#include "core/text.h"
#include "forecast.h"

/* A scored figure: the record's, its value (a range's middle), whether
   after the window, and the runs' values of it (NaN where a run has
   none). */
struct strife__skill_item {
  const strife_observation *ob;
  double y;
  int window;
  const double *x;
  size_t n_x;
};

enum { STRIFE__SKILL_MODEL = STRIFE__NAIVE_KINDS, STRIFE__SKILL_WHO };

/* A month forecast by one forecaster (a STRIFE__NAIVE_* or the model). */
struct strife__skill_row {
  size_t series;
  int64_t start; /* the month's (or quarter's) first day */
  int horizon;   /* months after the series' last month in the window */
  int who;
  double y, crps; /* the record's figure, the score */
  double q[5];    /* the 5, 25, 50, 75 and 95 % quantiles */
  double pit;
};

/* A series of the record: its quantity, place (or NULL) and unit, its
   period in months (1 or 3), its months inside the window and after. */
struct strife__skill_series {
  const char *quantity, *place, *unit;
  int span;
  size_t n_in, n_out;
};

struct strife__skill {
  struct strife__skill_series *ser;
  size_t n_ser;
  struct strife__skill_row *row;
  size_t n_row;
};

/* The forecasts and scores of every series of the 'n' items that has a
   month in the window and one after it. */
STRIFE__FUNC int strife__skill_compute(const struct strife__skill_item *it,
                                       size_t n, struct strife__skill *out);
STRIFE__FUNC void strife__skill_free(struct strife__skill *s);
/* The forecaster's name: persistence, conflictology, trend, model. */
STRIFE__FUNC const char *strife__skill_who(int who);
/* The table: per series and horizon, each forecaster's mean CRPS, the
   model's skill against each naive forecast, the coverage of the 50 %
   and 90 % intervals, and each forecaster's PIT histogram. */
STRIFE__FUNC void strife__skill_table(const struct strife__skill *s,
                                      struct strife__text *t);

#endif
