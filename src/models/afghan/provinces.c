/* SPDX-License-Identifier: MIT */
/* The province table: a strict CSV reader (provinces.h). */
#include "provinces.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const country_names[] = {
#define XX(id, name) name,
    STRIFE__COUNTRIES(XX)
#undef XX
};

const char *strife__provinces_country(int c) {
  return c >= 0 && c < STRIFE__N_COUNTRIES ? country_names[c] : "";
}

enum {
  COL_ISO,
  COL_NAME,
  COL_CAPITAL,
  COL_LAT,
  COL_LON,
  COL_POPULATION,
  COL_AREA,
  COL_BORDERS,
  COL_NEIGHBOURS,
  N_COLS
};
static const char *const col_names[N_COLS] = {
    "iso",        "name",     "capital",         "lat",       "lon",
    "population", "area_km2", "borders_country", "neighbours"};

/* A field of the line being read: its bytes and 1-based column. */
struct field {
  const char *s;
  size_t len;
  int col;
};

struct reader {
  const char *source;
  strife_diag *diag;
  int line;
};

static int fail(const struct reader *r, int col, const char *key,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(const struct reader *r, int col, const char *key,
                const char *fmt, ...) {
  if (r->diag) {
    strife_diag_clear(r->diag);
    snprintf(r->diag->source, sizeof r->diag->source, "%s", r->source);
    snprintf(r->diag->key, sizeof r->diag->key, "%s", key);
    r->diag->line = r->line;
    r->diag->column = col;
    va_list ap;
    va_start(ap, fmt);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above */
    vsnprintf(r->diag->msg, sizeof r->diag->msg, fmt, ap);
    va_end(ap);
  }
  return STRIFE_ESCENARIO;
}

/* Splits one line (without its newline) at commas. */
static int split(const struct reader *r, const char *line, size_t len,
                 struct field f[N_COLS]) {
  size_t start = 0;
  int n = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && line[i] == '"')
      return fail(r, (int)i + 1, "",
                  "quoted fields are not supported: a field may not contain "
                  "'\"' or ','");
    if (i < len && ((unsigned char)line[i] < 0x20 || line[i] == 0x7f) &&
        line[i] != '\t')
      return fail(r, (int)i + 1, "", "expected text, found control byte 0x%02x",
                  (unsigned char)line[i]);
    if (i < len && line[i] != ',') continue;
    if (n == N_COLS)
      return fail(r, (int)start + 1, "",
                  "expected %d columns, found more (an extra ',' at column %d)",
                  N_COLS, (int)start);
    f[n].s = line + start;
    f[n].len = i - start;
    f[n].col = (int)start + 1;
    n++;
    start = i + 1;
  }
  if (n < N_COLS)
    return fail(r, (int)len + 1, col_names[n],
                "expected %d columns, found %d (the row ends before column "
                "\"%s\")",
                N_COLS, n, col_names[n]);
  return 0;
}

static int text_field(const struct reader *r, const struct field *f, int c,
                      char *out, size_t size) {
  if (!f->len)
    return fail(r, f->col, col_names[c], "expected text, found none");
  if (f->len >= size)
    return fail(r, f->col, col_names[c],
                "expected at most %zu bytes, found %zu", size - 1, f->len);
  memcpy(out, f->s, f->len);
  out[f->len] = '\0';
  return 0;
}

static int real_field(const struct reader *r, const struct field *f, int c,
                      double lo, double hi, double *out) {
  char buf[64];
  if (!f->len || f->len >= sizeof buf)
    return fail(r, f->col, col_names[c], "expected a number in [%g, %g]", lo,
                hi);
  memcpy(buf, f->s, f->len);
  buf[f->len] = '\0';
  char *end;
  errno = 0;
  double v = strtod(buf, &end);
  /* Decimal only: strtod also takes hexadecimal ("0x22"), "inf" and
     leading blanks. */
  if (strspn(buf, "0123456789.+-eE") != f->len || *end || errno ||
      !isfinite(v) || v < lo || v > hi)
    return fail(r, f->col, col_names[c],
                "expected a number in [%g, %g], found \"%s\"", lo, hi, buf);
  *out = v;
  return 0;
}

static int count_field(const struct reader *r, const struct field *f, int c,
                       uint32_t lo, uint32_t hi, uint32_t *out) {
  uint64_t v = 0;
  size_t i = 0;
  for (; i < f->len && f->s[i] >= '0' && f->s[i] <= '9' && v <= hi; i++)
    v = v * 10 + (uint64_t)(f->s[i] - '0');
  if (!f->len || i < f->len || v < lo || v > hi)
    return fail(r, f->col, col_names[c],
                "expected a whole number in %u..%u, found \"%.*s\"", lo, hi,
                (int)STRIFE__MIN(f->len, 40), f->s);
  *out = (uint32_t)v;
  return 0;
}

/* The next ';'-separated item of a list field from '*at', as [*s, *len). */
static int next_item(const struct field *f, size_t *at, size_t *s,
                     size_t *len) {
  if (*at >= f->len) return 0;
  const char *semi = memchr(f->s + *at, ';', f->len - *at);
  size_t end = semi ? (size_t)(semi - f->s) : f->len;
  *s = *at;
  *len = end - *at;
  *at = end + 1;
  return 1;
}

static int borders_field(const struct reader *r, const struct field *f,
                         uint32_t *out) {
  size_t at = 0, s, len;
  *out = 0;
  while (next_item(f, &at, &s, &len)) {
    int found = -1;
    for (int c = 0; c < STRIFE__N_COUNTRIES; c++)
      if (strlen(country_names[c]) == len &&
          memcmp(country_names[c], f->s + s, len) == 0)
        found = c;
    if (found < 0 || found > STRIFE__C_CHINA)
      return fail(r, f->col + (int)s, col_names[COL_BORDERS],
                  "expected a neighbouring country (Pakistan, Iran, "
                  "Tajikistan, Uzbekistan, Turkmenistan, China), found "
                  "\"%.*s\"",
                  (int)STRIFE__MIN(len, 40), f->s + s);
    *out |= UINT32_C(1) << found;
  }
  return 0;
}

static int valid_iso(const char *s) {
  size_t n = strlen(s);
  if (n < 5 || n > 6 || strncmp(s, "AF-", 3) != 0) return 0;
  for (size_t i = 3; i < n; i++)
    if (s[i] < 'A' || s[i] > 'Z') return 0;
  return 1;
}

int strife__provinces_find(const struct strife__provinces *t, const char *iso) {
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->p[i].iso, iso) == 0) return (int)i;
  return -1;
}

/* Where each row's neighbour list is, to resolve it once all codes are
   known. */
struct pending {
  int line;
  struct field f;
};

static int check_header(const struct reader *r, const struct field *f) {
  for (int c = 0; c < N_COLS; c++)
    if (f[c].len != strlen(col_names[c]) ||
        memcmp(f[c].s, col_names[c], f[c].len) != 0)
      return fail(r, f[c].col, "",
                  "expected the header iso,name,capital,lat,lon,"
                  "population,area_km2,borders_country,neighbours; "
                  "column %d should be \"%s\"",
                  c + 1, col_names[c]);
  return 0;
}

/* A row into province out->n (its neighbours left for later). */
static int take_row(const struct reader *r, const struct field *f,
                    struct strife__provinces *out) {
  if (out->n == STRIFE__PROVINCES_MAX)
    return fail(r, 1, "", "expected at most %d provinces",
                STRIFE__PROVINCES_MAX);
  struct strife__province *p = &out->p[out->n];
  int rc = text_field(r, &f[COL_ISO], COL_ISO, p->iso, sizeof p->iso);
  if (rc) return rc;
  if (!valid_iso(p->iso))
    return fail(r, f[COL_ISO].col, "iso",
                "expected an ISO 3166-2 code of Afghanistan such as "
                "\"AF-KAB\", found \"%s\"",
                p->iso);
  if (strife__provinces_find(out, p->iso) >= 0)
    return fail(r, f[COL_ISO].col, "iso",
                "expected each province once, found \"%s\" again", p->iso);
  if ((rc = text_field(r, &f[COL_NAME], COL_NAME, p->name, sizeof p->name)) ||
      (rc = text_field(r, &f[COL_CAPITAL], COL_CAPITAL, p->capital,
                       sizeof p->capital)) ||
      /* Afghanistan lies within 29-39 N, 60-75.5 E. */
      (rc = real_field(r, &f[COL_LAT], COL_LAT, 29.0, 39.0, &p->lat)) ||
      (rc = real_field(r, &f[COL_LON], COL_LON, 60.0, 75.5, &p->lon)) ||
      (rc = count_field(r, &f[COL_POPULATION], COL_POPULATION, 1, 100000000,
                        &p->population)) ||
      (rc = real_field(r, &f[COL_AREA], COL_AREA, 1.0, 700000.0,
                       &p->area_km2)) ||
      (rc = borders_field(r, &f[COL_BORDERS], &p->borders)))
    return rc;
  return 0;
}

/* The neighbour lists, once every code is known, and the total
   population. */
static int resolve_neighbours(struct reader *r, const struct pending *pend,
                              struct strife__provinces *out) {
  for (size_t i = 0; i < out->n; i++) {
    r->line = pend[i].line;
    const struct field *f = &pend[i].f;
    size_t at = 0, s, l;
    while (next_item(f, &at, &s, &l)) {
      char code[8];
      int j = -1;
      if (l < sizeof code) {
        memcpy(code, f->s + s, l);
        code[l] = '\0';
        j = strife__provinces_find(out, code);
      }
      if (j < 0)
        return fail(r, f->col + (int)s, "neighbours",
                    "expected the code of a province in this table, found "
                    "\"%.*s\"",
                    (int)STRIFE__MIN(l, 40), f->s + s);
      if ((size_t)j == i)
        return fail(r, f->col + (int)s, "neighbours",
                    "a province is not its own neighbour");
      out->p[i].neighbours |= UINT64_C(1) << j;
    }
    out->population += out->p[i].population;
  }
  for (size_t i = 0; i < out->n; i++)
    for (size_t j = 0; j < out->n; j++)
      if ((out->p[i].neighbours >> j & 1) && !(out->p[j].neighbours >> i & 1)) {
        r->line = pend[j].line;
        return fail(r, pend[j].f.col, "neighbours",
                    "expected %s among the neighbours of %s, which %s lists "
                    "as its neighbour",
                    out->p[i].iso, out->p[j].iso, out->p[i].iso);
      }
  return 0;
}

/* The next line of 'text' from *pos (its newline and a CR dropped). */
static const char *next_line(const char *text, size_t len, size_t *pos,
                             size_t *n) {
  const char *line = text + *pos;
  const char *nl = memchr(line, '\n', len - *pos);
  size_t end = nl ? (size_t)(nl - text) : len;
  *n = end - *pos;
  *pos = end + 1;
  if (*n && line[*n - 1] == '\r') (*n)--;
  return line;
}

int strife__provinces_parse(const char *text, size_t len, const char *source,
                            struct strife__provinces *out, strife_diag *diag) {
  struct reader r = {source, diag, 0};
  struct pending pend[STRIFE__PROVINCES_MAX];
  memset(pend, 0, sizeof pend);
  memset(out, 0, sizeof *out);
  size_t pos = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  if (memchr(text, '\0', len)) {
    r.line = 1;
    return fail(&r, 0, "", "expected CSV text, found a NUL byte");
  }
  int header = 1;
  while (pos < len) {
    r.line++;
    size_t n;
    const char *line = next_line(text, len, &pos, &n);
    if (!n) {
      if (pos >= len) break;
      return fail(&r, 1, "", "expected a row, found an empty line");
    }
    struct field f[N_COLS];
    memset(f, 0, sizeof f);
    int rc = split(&r, line, n, f);
    if (!rc) rc = header ? check_header(&r, f) : take_row(&r, f, out);
    if (rc) return rc;
    if (!header) {
      pend[out->n].line = r.line;
      pend[out->n].f = f[COL_NEIGHBOURS];
      out->n++;
    }
    header = 0;
  }
  if (!out->n) {
    r.line = header ? 1 : r.line;
    return fail(&r, 0, "",
                header ? "expected a header and rows, found nothing"
                       : "expected rows after the header, found none");
  }
  int rc = resolve_neighbours(&r, pend, out);
  if (rc) return rc;
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)text[i]) * UINT64_C(0x100000001b3);
  out->hash = h;
  return 0;
}
