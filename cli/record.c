/* SPDX-License-Identifier: MIT */
/* strife record: checks files of the observed record and lists them. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

const char cli_usage_record[] =
    "usage: strife record FILE...\n"
    "       strife record --quantities\n"
    "\n"
    "Checks each FILE of the observed record (data/observed/*.json, see\n"
    "docs/record.md) and lists its records: quantity, period, value or\n"
    "range, unit and confidence; a figure looked for and not found shows as\n"
    "a gap.  A malformed file prints FILE:LINE:COLUMN: KEY: what was\n"
    "expected, and the command exits 2.  --quantities lists the quantities\n"
    "a record may hold.\n";

/* Day 'd' (since 1970-01-01) as YYYY-MM-DD. */
static void day_text(int64_t d, char out[11]) {
  const time_t t = (time_t)(d * 86400);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

static void list(const char *path, const strife_record *r) {
  size_t gaps = 0;
  printf("%s: ok: %zu records\n", path, strife_record_count(r));
  for (size_t i = 0; i < strife_record_count(r); i++) {
    const strife_observation *o = strife_record_get(r, i);
    char a[11], b[11], v[64];
    day_text(o->start, a);
    day_text(o->end, b);
    if (o->gap) {
      snprintf(v, sizeof v, "gap");
      gaps++;
    } else if (!isnan(o->value))
      snprintf(v, sizeof v, "%.10g", o->value);
    else
      snprintf(v, sizeof v, "%.10g-%.10g", o->low, o->high);
    printf("  %-26s %s..%s %16s %-12s %s", o->quantity, a, b, v, o->unit,
           o->confidence);
    if (o->place) printf("  %s", o->place);
    putchar('\n');
  }
  printf("  (%zu gaps)\n", gaps);
}

int cli_record(int argc, char **argv) {
  int files = 0, bad = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(cli_usage_record, stdout);
      return 0;
    }
    if (strcmp(argv[i], "--quantities") == 0) {
      const char *what;
      for (size_t q = 0; strife_record_quantity(q, &what); q++)
        printf("%-26s %s\n", strife_record_quantity(q, NULL), what);
      files++;
      continue;
    }
    if (argv[i][0] == '-')
      return cli_bad_usage(cli_usage_record, "unknown option '%s'", argv[i]);
    files++;
    strife_record *r;
    strife_diag d;
    int rc = strife_record_load(argv[i], &r, &d);
    if (rc) {
      cli_print_diag(&d, rc);
      bad = bad ? bad : cli_exit(rc);
      continue;
    }
    list(argv[i], r);
    strife_record_destroy(r);
  }
  if (!files)
    return cli_bad_usage(cli_usage_record, "%s",
                         "record needs a FILE (or --quantities)");
  return bad;
}
