/* SPDX-License-Identifier: MIT */
/* The options of a command, parsed from one table (cli.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Parses a decimal integer in [lo, hi]; 0 on success. */
static int parse_int(const char *s, unsigned long long lo,
                     unsigned long long hi, unsigned long long *out) {
  if (!s || !*s || *s == '-' || *s == '+') return -1;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return -1;
  errno = 0;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

/* Parses a finite decimal number; 0 on success. */
static int parse_real(const char *s, double *out) {
  if (!s || !*s) return -1;
  errno = 0;
  char *end;
  double v = strtod(s, &end);
  if (errno || *end || !(v == v) || v > 1e308 || v < -1e308) return -1;
  *out = v;
  return 0;
}

/* Takes value 'val' of option 'o'; 0, or -1 if it is not one. */
static int take(const struct cli_option *o, const char *val) {
  switch (o->kind) {
  case OPT_INT:
    return parse_int(val, o->lo, o->hi, o->dst);
  case OPT_REAL: {
    double x;
    if (parse_real(val, &x) || (o->ok && !o->ok(x))) return -1;
    *(double *)o->dst = x;
    return 0;
  }
  case OPT_TEXT:
    if (!val || !*val) return -1;
    *(const char **)o->dst = val;
    return 0;
  case OPT_APPEND:
  default: {
    struct cli_list *l = o->dst;
    if (!val || l->n == l->max) return -1;
    l->item[l->n++] = val;
    return 0;
  }
  }
}

int cli_parse(const char *usage, int argc, char **argv,
              const struct cli_option *opts, size_t n,
              const char **positional) {
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    size_t k = 0;
    while (k < n && strcmp(arg, opts[k].name) != 0)
      k++;
    if (k == n) {
      if (arg[0] == '-' && arg[1])
        return cli_bad_usage(usage, "unknown option '%s'", arg);
      if (positional && !*positional) {
        *positional = arg;
        continue;
      }
      return cli_bad_usage(usage, "unexpected argument '%s'", arg);
    }
    const struct cli_option *o = &opts[k];
    if (o->kind == OPT_FLAG) {
      *(int *)o->dst = 1;
      continue;
    }
    const char *val = i + 1 < argc ? argv[++i] : NULL;
    if (!val) return cli_bad_usage(usage, "%s needs %s", arg, o->expect);
    if (o->kind == OPT_APPEND && ((const struct cli_list *)o->dst)->n ==
                                     ((const struct cli_list *)o->dst)->max)
      return cli_bad_usage(usage, "too many %s options (at most %zu)", arg,
                           ((const struct cli_list *)o->dst)->max);
    if (take(o, val))
      return cli_bad_usage(usage, "%s: expected %s, got '%s'", arg, o->expect,
                           val ? val : "");
  }
  return 0;
}
