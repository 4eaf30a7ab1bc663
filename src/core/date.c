/* SPDX-License-Identifier: MIT */
/* Gregorian dates as day numbers (date.h). */
#include "date.h"

#include <stdio.h>
#include <string.h>

static int leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Counting in 400-year eras that start on 1 March, so that the leap day
   ends a year: an era has 146097 days, and the day of the year of a date
   in March-based months is (153 m' + 2) / 5 + d - 1. */
int64_t strife__date_days(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
    return INT64_MIN;
  int yy = m <= 2 ? y - 1 : y;
  int era = yy / 400;
  int yoe = yy - era * 400;
  int mp = m > 2 ? m - 3 : m + 9;
  int doy = (153 * mp + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int64_t)era * 146097 + doe - 719468;
}

void strife__date_ymd(int64_t day, int *y, int *m, int *d) {
  int64_t z = day + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = (int)(z - era * 146097);
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yoe + era * 400) + (*m <= 2);
}

void strife__date_text(int64_t day, char out[11]) {
  int y, m, d;
  strife__date_ymd(day, &y, &m, &d);
  /* Digit by digit: years 1-9999, so exactly ten characters. */
  unsigned v[3] = {(unsigned)y % 10000u, (unsigned)m % 100u,
                   (unsigned)d % 100u};
  static const int at[3] = {0, 5, 8}, width[3] = {4, 2, 2};
  for (int f = 0; f < 3; f++)
    for (int i = width[f] - 1; i >= 0; i--) {
      out[at[f] + i] = (char)('0' + v[f] % 10u);
      v[f] /= 10u;
    }
  out[4] = out[7] = '-';
  out[10] = '\0';
}

int strife__date_parse(const char *s, int64_t *day) {
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
  int v[3] = {0, 0, 0};
  static const int start[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (int f = 0; f < 3; f++)
    for (int i = 0; i < len[f]; i++) {
      char c = s[start[f] + i];
      if (c < '0' || c > '9') return -1;
      v[f] = v[f] * 10 + (c - '0');
    }
  int64_t n = strife__date_days(v[0], v[1], v[2]);
  if (n == INT64_MIN) return -1;
  *day = n;
  return 0;
}
