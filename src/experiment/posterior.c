/* SPDX-License-Identifier: MIT */
/* A posterior sample as experiments draw from it (posterior.h). */
#define _XOPEN_SOURCE 700 /* strdup */
#include "posterior.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grng.h"
#include "core/model.h"
#include "core/text.h"
#include "scenario/scenario.h"

#define COLS_MAX            1024
#define POSTERIOR_MAX_BYTES ((size_t)1 << 30)

void strife__posterior_free(struct strife__posterior *p) {
  for (size_t i = 0; p->keys && i < p->k; i++)
    free(p->keys[i]);
  free(p->keys);
  free(p->v);
  free(p->cum);
  free(p->lo);
  free(p->hi);
  free(p->integer);
  memset(p, 0, sizeof *p);
}

/* Refuses the file at line:col. */
static int fail_at(const struct strife__posterior *p, strife_diag *diag,
                   int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail_at(const struct strife__posterior *p, strife_diag *diag,
                   int line, int col, const char *fmt, ...) {
  strife_diag_clear(diag);
  snprintf(diag->source, sizeof diag->source, "%.*s",
           (int)sizeof diag->source - 1, p->path);
  diag->line = line;
  diag->column = col;
  va_list ap;
  va_start(ap, fmt);
  strife__diag_vset(diag, "--posterior", fmt, ap);
  va_end(ap);
  return STRIFE_EINVAL;
}

/* The fields of one line (text up to its end), cut in place: starts into
   f[], their columns into col[]; their count, or -1 past COLS_MAX. */
static int fields(char *line, char **f, int *col) {
  int n = 0;
  for (char *c = line;;) {
    if (n == COLS_MAX) return -1;
    f[n] = c;
    col[n++] = (int)(c - line) + 1;
    char *comma = strchr(c, ',');
    if (!comma) break;
    *comma = '\0';
    c = comma + 1;
  }
  return n;
}

/* What each column is: a parameter (its index), the weight (-2), the
   generation (-3) or ignored (-1). */
struct layout {
  int role[COLS_MAX];
  int n_cols;
};

static int read_header(struct strife__posterior *p, const strife_scenario *sc,
                       char *line, struct layout *l, strife_diag *diag) {
  char *f[COLS_MAX];
  int col[COLS_MAX];
  l->n_cols = fields(line, f, col);
  if (l->n_cols < 0)
    return fail_at(p, diag, 1, 1, "more than %d columns", COLS_MAX);
  p->keys = calloc((size_t)l->n_cols, sizeof *p->keys);
  if (!p->keys) return STRIFE_ENOMEM;
  for (int c = 0; c < l->n_cols; c++) {
    l->role[c] = strcmp(f[c], "weight") == 0       ? -2
                 : strcmp(f[c], "generation") == 0 ? -3
                                                   : -1;
    const struct strife__key *k = strife__scenario_key(sc, f[c]);
    if (!k || !strife__key_numeric(k) || strcmp(f[c], "run.seed") == 0)
      continue;
    for (size_t q = 0; q < p->k; q++)
      if (p->keys[q] && strcmp(p->keys[q], f[c]) == 0)
        return fail_at(p, diag, 1, col[c], "column \"%s\" twice", f[c]);
    if (!(p->keys[p->k] = strdup(f[c]))) return STRIFE_ENOMEM;
    l->role[c] = (int)p->k++;
  }
  p->ncol = p->k;
  if (!p->k)
    return fail_at(p, diag, 1, 1,
                   "no column names a numeric key of the %s model (strife "
                   "help scenario lists them)",
                   strife_scenario_model(sc));
  return STRIFE_OK;
}

/* A number at line:col, or an error. */
static int number(const struct strife__posterior *p, strife_diag *diag,
                  const char *s, int line, int col, double *out) {
  char *end;
  errno = 0;
  *out = strtod(s, &end);
  if (end == s || *end || errno || !isfinite(*out))
    return fail_at(p, diag, line, col, "expected a number, got \"%.40s\"", s);
  return STRIFE_OK;
}

/* One row: its parameters into v (k), its weight and generation. */
static int read_row(const struct strife__posterior *p,
                    const strife_scenario *sc, const struct layout *l,
                    char *text, int line, double *v, double *w, double *gen,
                    strife_diag *diag) {
  char *f[COLS_MAX];
  int col[COLS_MAX];
  int n = fields(text, f, col);
  if (n != l->n_cols)
    return fail_at(p, diag, line, 1,
                   "expected %d fields as the header has, "
                   "got %d",
                   l->n_cols, n);
  *w = 1;
  *gen = 0;
  int rc = STRIFE_OK;
  for (int c = 0; c < n && !rc; c++) {
    if (l->role[c] == -1) continue;
    double x;
    rc = number(p, diag, f[c], line, col[c], &x);
    if (rc) break;
    if (l->role[c] == -2 && !(x >= 0))
      rc = fail_at(p, diag, line, col[c], "expected a weight >= 0, got %g", x);
    if (l->role[c] == -2) *w = x;
    if (l->role[c] == -3) *gen = x;
    if (l->role[c] < 0) continue;
    const struct strife__key *k = strife__scenario_key(sc, p->keys[l->role[c]]);
    if (x < k->min || x > k->max)
      rc = fail_at(p, diag, line, col[c],
                   "%s = %g is outside the key's range "
                   "[%g, %g]",
                   k->path, x, k->min, k->max);
    v[l->role[c]] = x;
  }
  return rc;
}

/* Keeps the rows of the last generation, and the weights as cumulative
   shares. */
static int finish(struct strife__posterior *p, const double *w,
                  const double *gen, strife_diag *diag) {
  double last = -HUGE_VAL, total = 0;
  for (size_t j = 0; j < p->n; j++)
    last = fmax(last, gen[j]);
  size_t m = 0;
  for (size_t j = 0; j < p->n; j++) {
    if (gen[j] != last) continue;
    memmove(p->v + m * p->k, p->v + j * p->k, p->k * sizeof *p->v);
    total += w[j];
    p->cum[m++] = total;
  }
  p->n = m;
  if (!(total > 0))
    return fail_at(p, diag, 2, 1, "the weights of the rows drawn sum to 0");
  for (size_t j = 0; j < m; j++)
    p->cum[j] /= total;
  p->cum[m - 1] = 1.0;
  return STRIFE_OK;
}

static int read_rows(struct strife__posterior *p, const strife_scenario *sc,
                     const struct layout *l, char *text, strife_diag *diag) {
  size_t cap = 64;
  double *w = calloc(cap, sizeof *w), *gen = calloc(cap, sizeof *gen);
  p->v = malloc(cap * p->k * sizeof *p->v);
  int rc = w && gen && p->v ? STRIFE_OK : STRIFE_ENOMEM;
  int line = 1;
  for (char *c = text; c && *c && !rc;) {
    line++;
    char *nl = strchr(c, '\n');
    if (nl) *nl = '\0';
    if (nl && nl > c && nl[-1] == '\r') nl[-1] = '\0';
    if (*c && p->n == cap) {
      cap *= 2;
      double *a = realloc(w, cap * sizeof *w),
             *b = realloc(gen, cap * sizeof *b);
      if (a) w = a;
      if (b) gen = b;
      double *v = realloc(p->v, cap * p->k * sizeof *v);
      if (v) p->v = v;
      if (!a || !b || !v) rc = STRIFE_ENOMEM;
      for (size_t q = cap / 2; q < cap && !rc; q++)
        w[q] = gen[q] = 0;
    }
    if (*c && !rc) {
      w[p->n] = 1;
      gen[p->n] = 0;
      rc = read_row(p, sc, l, c, line, p->v + p->n * p->k, &w[p->n], &gen[p->n],
                    diag);
      p->n++;
    }
    c = nl ? nl + 1 : NULL;
  }
  if (!rc && !p->n) rc = fail_at(p, diag, 2, 1, "no row to draw from");
  if (!rc && !(p->cum = malloc((p->n + 1) * sizeof *p->cum)))
    rc = STRIFE_ENOMEM;
  if (!rc) rc = finish(p, w, gen, diag);
  free(w);
  free(gen);
  return rc;
}

int strife__posterior_load(struct strife__posterior *p, const char *path,
                           const strife_scenario *sc, strife_diag *diag) {
  memset(p, 0, sizeof *p);
  snprintf(p->path, sizeof p->path, "%s", path);
  /* Read as a scenario's data file is: a FIFO or a device is refused
     before it is opened, and the size is bounded. */
  char *text, why[STRIFE_DIAG_SIZE];
  size_t len;
  int rc = strife__scenario_read(path, POSTERIOR_MAX_BYTES, &text, &len, why,
                                 sizeof why);
  if (rc == STRIFE_ENOMEM) return rc;
  if (rc) {
    strife_diag_clear(diag);
    strife__diag_set(diag, "--posterior", "%s: %s", path, why);
    return STRIFE_EINVAL;
  }
  p->sum = strife__fnv1a64(text, len);
  if (strlen(text) != len)
    rc = fail_at(p, diag, 1, 1, "a NUL byte: not a text file");
  else if (strchr(text, '"'))
    rc = fail_at(p, diag, 1, 1,
                 "quoted fields are not read: write plain "
                 "comma-separated numbers");
  char *nl = rc ? NULL : strchr(text, '\n');
  if (!rc && !nl) rc = fail_at(p, diag, 1, 1, "no row after the header");
  struct layout l;
  if (!rc && nl) {
    *nl = '\0';
    if (nl > text && nl[-1] == '\r') nl[-1] = '\0';
    rc = read_header(p, sc, text, &l, diag);
  }
  if (!rc && nl) rc = read_rows(p, sc, &l, nl + 1, diag);
  free(text);
  if (rc) strife__posterior_free(p);
  return rc;
}

/* The row run 'rep' draws, under master seed 'seed', and the stream it
   drew it from, for the widened keys' draws. */
static size_t draw_row(const struct strife__posterior *p, uint64_t seed,
                       uint64_t rep, struct strife__grng *g) {
  strife__grng_init(g, seed, (uint32_t)rep, (uint32_t)(rep >> 32),
                    STRIFE__STREAM_POSTERIOR);
  double u = gsl_rng_uniform(&g->r);
  size_t lo = 0, hi = p->n - 1;
  while (lo < hi) { /* the first j with u < cum[j] */
    size_t mid = (lo + hi) / 2;
    if (u < p->cum[mid])
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

size_t strife__posterior_draw(const struct strife__posterior *p, uint64_t seed,
                              uint64_t rep) {
  struct strife__grng g;
  return draw_row(p, seed, rep, &g);
}

void strife__posterior_values(const struct strife__posterior *p, uint64_t seed,
                              uint64_t rep, double *theta) {
  struct strife__grng g;
  size_t j = draw_row(p, seed, rep, &g);
  memcpy(theta, p->v + j * p->ncol, p->ncol * sizeof *theta);
  for (size_t i = p->ncol; i < p->k; i++) {
    double x = p->lo[i] + (p->hi[i] - p->lo[i]) * gsl_rng_uniform(&g.r);
    theta[i] = p->integer[i] ? floor(x + 0.5) : x;
  }
}

int strife__posterior_widen(struct strife__posterior *p,
                            const strife_scenario *sc, strife_diag *diag) {
  const struct strife__calibration *cal = strife__scenario_calibration(sc);
  if (!cal->n_screen) {
    strife_diag_clear(diag);
    strife__diag_set(diag, "--assumptions",
                     "the scenario has no calibration.screen to draw the "
                     "assumptions' ranges from");
    return STRIFE_EINVAL;
  }
  size_t cap = p->k + (size_t)cal->n_screen;
  char **keys = realloc(p->keys, cap * sizeof *keys);
  if (keys) p->keys = keys;
  p->lo = calloc(cap, sizeof *p->lo);
  p->hi = calloc(cap, sizeof *p->hi);
  p->integer = calloc(cap, sizeof *p->integer);
  if (!keys || !p->lo || !p->hi || !p->integer) return STRIFE_ENOMEM;
  for (int s = 0; s < cal->n_screen; s++) {
    const struct strife__free *f = &cal->screen[s];
    int held = 0;
    for (size_t i = 0; i < p->k; i++)
      held |= strcmp(p->keys[i], f->key) == 0;
    if (held) continue;
    if (!(p->keys[p->k] = strdup(f->key))) return STRIFE_ENOMEM;
    p->lo[p->k] = f->lo;
    p->hi[p->k] = f->hi;
    p->integer[p->k] = strife__key_integer(strife__scenario_key(sc, f->key));
    char buf[160];
    int n = snprintf(buf, sizeof buf, "%s %.17g %.17g;", f->key, f->lo, f->hi);
    p->sum = (p->sum ^ strife__fnv1a64(buf, (size_t)n)) * 1099511628211ull;
    p->k++;
  }
  return STRIFE_OK;
}

int strife__posterior_sets(const struct strife__posterior *p,
                           const double *theta, char ***sets) {
  char **s = calloc(p->k, sizeof *s);
  if (!s) return STRIFE_ENOMEM;
  for (size_t i = 0; i < p->k; i++) {
    size_t n = strlen(p->keys[i]) + 32;
    if (!(s[i] = malloc(n))) {
      for (size_t q = 0; q < i; q++)
        free(s[q]);
      free(s);
      return STRIFE_ENOMEM;
    }
    snprintf(s[i], n, "%s=%.17g", p->keys[i], theta[i]);
  }
  *sets = s;
  return STRIFE_OK;
}
