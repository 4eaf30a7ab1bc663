/* SPDX-License-Identifier: MIT */
/*
 * A run kept in memory (sinks.h): its facts, how it ended, and its rows
 * encoded by the schema's column types, so that it can be replayed into
 * another sink later, or elsewhere (an ensemble's runs go to the results
 * database one at a time; under MPI a record travels between ranks as its
 * bytes).
 */
#include <stdlib.h>
#include <string.h>

#include "sinks.h"

static int reserve(struct strife__record *r, size_t more) {
  if (r->n_bytes + more <= r->cap) return 0;
  size_t cap = r->cap ? r->cap * 2 : 65536;
  while (cap < r->n_bytes + more)
    cap *= 2;
  unsigned char *b = realloc(r->bytes, cap);
  if (!b) return -1;
  r->bytes = b;
  r->cap = cap;
  return 0;
}

static void put(struct strife__record *r, const void *p, size_t n) {
  memcpy(r->bytes + r->n_bytes, p, n);
  r->n_bytes += n;
}

static int rec_begin(struct strife__sink *base,
                     const struct strife__run_facts *facts, strife_diag *diag) {
  (void)diag;
  struct strife__record_sink *s = (struct strife__record_sink *)base;
  s->schema = facts->type->schema;
  s->rec->seed = facts->seed;
  s->rec->scale = facts->scale;
  return STRIFE_OK;
}

static int rec_row(struct strife__sink *base, int table,
                   const union strife__cell *c) {
  struct strife__record_sink *s = (struct strife__record_sink *)base;
  struct strife__record *r = s->rec;
  const struct strife__table *tb = &s->schema->tables[table];
  size_t need = 1;
  for (int k = 0; k < tb->n_cols; k++) {
    enum strife__ctype t = tb->cols[k].type;
    need += t == STRIFE__COL_TEXT || t == STRIFE__COL_OPTTEXT
                ? 3 + strlen(c[k].s)
                : 8;
  }
  if (reserve(r, need)) return STRIFE_ENOMEM;
  unsigned char t8 = (unsigned char)table;
  put(r, &t8, 1);
  for (int k = 0; k < tb->n_cols; k++) {
    enum strife__ctype t = tb->cols[k].type;
    if (t == STRIFE__COL_TEXT || t == STRIFE__COL_OPTTEXT) {
      size_t n = strlen(c[k].s);
      uint16_t len = (uint16_t)(n > 65535 ? 65535 : n);
      put(r, &len, 2);
      put(r, c[k].s, len);
      put(r, "", 1);
    } else {
      put(r, &c[k], 8);
    }
  }
  r->n_rows++;
  return STRIFE_OK;
}

static int rec_end(struct strife__sink *base, const struct strife__run_end *e) {
  struct strife__record_sink *s = (struct strife__record_sink *)base;
  struct strife__record *r = s->rec;
  r->interrupted = e->interrupted;
  r->ticks = e->ticks;
  r->end_day = e->end_day;
  r->wall_seconds = e->wall_seconds;
  r->n_outcomes = s->schema->n_outcomes;
  memcpy(r->outcomes, e->outcomes, (size_t)r->n_outcomes * sizeof *e->outcomes);
  return STRIFE_OK;
}

static const struct strife__sink_ops rec_ops = {rec_begin, rec_row, rec_end};

void strife__record_sink_init(struct strife__record_sink *s,
                              struct strife__record *rec) {
  memset(s, 0, sizeof *s);
  s->base.ops = &rec_ops;
  s->rec = rec;
  strife__record_free(rec);
}

void strife__record_free(struct strife__record *rec) {
  free(rec->bytes);
  memset(rec, 0, sizeof *rec);
}

/* Decodes the row at *at into 'c' (strings point into the record);
   returns its table, or -1 if the bytes do not hold a row. */
static int decode(const struct strife__record *r,
                  const struct strife__schema *schema, size_t *at,
                  union strife__cell *c) {
  const unsigned char *b = r->bytes;
  if (*at >= r->n_bytes || b[*at] >= schema->n_tables) return -1;
  int table = b[(*at)++];
  const struct strife__table *tb = &schema->tables[table];
  for (int k = 0; k < tb->n_cols; k++) {
    enum strife__ctype t = tb->cols[k].type;
    if (t == STRIFE__COL_TEXT || t == STRIFE__COL_OPTTEXT) {
      uint16_t len;
      if (*at + 2 > r->n_bytes) return -1;
      memcpy(&len, b + *at, 2);
      if (*at + 3 + len > r->n_bytes || b[*at + 2 + len]) return -1;
      c[k].s = (const char *)b + *at + 2;
      *at += 3 + (size_t)len;
    } else {
      if (*at + 8 > r->n_bytes) return -1;
      memcpy(&c[k], b + *at, 8);
      *at += 8;
    }
  }
  return table;
}

int strife__record_replay(const struct strife__record *rec,
                          struct strife__run_facts facts,
                          struct strife__sink *to, strife_diag *diag) {
  facts.seed = rec->seed;
  facts.scale = rec->scale;
  int rc = to->ops->begin(to, &facts, diag);
  union strife__cell c[STRIFE__COLUMNS_MAX];
  size_t at = 0;
  for (size_t i = 0; i < rec->n_rows && !rc; i++) {
    int t = decode(rec, facts.type->schema, &at, c);
    rc = t < 0 ? STRIFE_EIO : to->ops->row(to, t, c);
  }
  if (rc) return rc;
  struct strife__run_end e;
  memset(&e, 0, sizeof e);
  e.interrupted = rec->interrupted;
  e.ticks = rec->ticks;
  e.end_day = rec->end_day;
  e.wall_seconds = rec->wall_seconds;
  e.outcomes = rec->outcomes;
  return to->ops->end(to, &e);
}
