/* SPDX-License-Identifier: MIT */
/*
 * Calendar dates: known day numbers, every day of 1900-2100 there and back,
 * leap years, and the strings refused.
 */
#include "core/date.h"
#include "harness.h"

int main(void) {
  /* Known answers (days since 1970-01-01). */
  CHECK_EQ(strife__date_days(1970, 1, 1), 0);
  CHECK_EQ(strife__date_days(2021, 9, 1), 18871);
  CHECK_EQ(strife__date_days(2023, 1, 1), 19358);
  CHECK_EQ(strife__date_days(2000, 2, 29), 11016);
  CHECK_EQ(strife__date_days(1969, 12, 31), -1);
  CHECK_EQ(strife__date_days(1, 1, 1), -719162);
  /* Leap years: 2000 is one, 1900 and 2100 are not. */
  CHECK_EQ(strife__date_days(1900, 2, 29), INT64_MIN);
  CHECK_EQ(strife__date_days(2100, 2, 29), INT64_MIN);
  CHECK_EQ(strife__date_days(2024, 2, 30), INT64_MIN);
  CHECK_EQ(strife__date_days(2024, 13, 1), INT64_MIN);
  CHECK_EQ(strife__date_days(2024, 4, 31), INT64_MIN);
  /* Every day from 1900 to 2100 is the day after the one before, and
     comes back to itself. */
  int64_t prev = strife__date_days(1899, 12, 31);
  int bad = 0;
  for (int y = 1900; y <= 2100; y++)
    for (int m = 1; m <= 12; m++)
      for (int d = 1; d <= 31; d++) {
        int64_t n = strife__date_days(y, m, d);
        if (n == INT64_MIN) continue;
        int yy, mm, dd;
        strife__date_ymd(n, &yy, &mm, &dd);
        bad += n != prev + 1 || yy != y || mm != m || dd != d;
        prev = n;
      }
  CHECK_EQ(bad, 0);
  CHECK_EQ(prev, strife__date_days(2100, 12, 31));
  /* Text. */
  char t[11];
  strife__date_text(18871, t);
  CHECK_STR(t, "2021-09-01");
  int64_t day = 0;
  CHECK_EQ(strife__date_parse("2024-12-31", &day), 0);
  CHECK_EQ(day, strife__date_days(2024, 12, 31));
  static const char *const refused[] = {
      "2024-2-01",   "2024-02-1",  "24-02-01",   "2024/02/01",
      "2024-02-01x", "2024-02-30", "abcd-ef-gh", ""};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
    CHECK_MSG(strife__date_parse(refused[i], &day) == -1, "accepted \"%s\"",
              refused[i]);
  return test_report("date");
}
