/* SPDX-License-Identifier: MIT */
/*
 * Calendar dates of the proleptic Gregorian calendar as days since
 * 1970-01-01, the clock of models that run day by day.
 */
#ifndef STRIFE_CORE_DATE_H
#define STRIFE_CORE_DATE_H

#include <stdint.h>

#include "core.h"

/* Days since 1970-01-01 of year y, month m (1-12), day d, or INT64_MIN if
   there is no such date (years 1 to 9999). */
STRIFE__FUNC int64_t strife__date_days(int y, int m, int d);
/* Year, month and day of 'day'. */
STRIFE__FUNC void strife__date_ymd(int64_t day, int *y, int *m, int *d);
/* 'day' as YYYY-MM-DD. */
STRIFE__FUNC void strife__date_text(int64_t day, char out[11]);
/* Parses exactly YYYY-MM-DD into days; returns 0, or -1 if it is not a
   valid date. */
STRIFE__FUNC int strife__date_parse(const char *s, int64_t *day);

#endif
