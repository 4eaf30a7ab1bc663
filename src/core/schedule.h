/* SPDX-License-Identifier: MIT */
/*
 * Schedules: a scenario value that changes over time.  A schedule starts
 * at 'initial' and goes through 'n' changes in tick order.  A change is a
 * step (t0 == t1: the value is 'value' from tick t0 on) or a linear ramp
 * (t0 < t1: from the value in force at tick t0 to 'value' at tick t1).
 * Tick t is the update that produces row t of the series, so a step at
 * tick 81 leaves ticks 1..80 under the old value.
 */
#ifndef STRIFE_CORE_SCHEDULE_H
#define STRIFE_CORE_SCHEDULE_H

#include <stdint.h>

#include "core.h"

#define STRIFE__SCHEDULE_MAX 64

struct strife__change {
  int64_t t0, t1;
  double value;
};

struct strife__schedule {
  double initial;
  int n;
  struct strife__change change[STRIFE__SCHEDULE_MAX];
};

/* A schedule that is 'value' at every tick. */
STRIFE__FUNC void strife__schedule_const(struct strife__schedule *s,
                                         double value);
/* The value in force at tick 't'. */
STRIFE__FUNC double strife__schedule_at(const struct strife__schedule *s,
                                        int64_t t);
/* Largest value the schedule takes. */
STRIFE__FUNC double strife__schedule_max(const struct strife__schedule *s);

#endif
