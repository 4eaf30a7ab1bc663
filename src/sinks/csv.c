/* SPDX-License-Identifier: MIT */
/*
 * A CSV file per table of the model's schema: a header of the column
 * names, then a row per observed row; numbers with their column's
 * decimals, dates as YYYY-MM-DD, months as YYYY-MM, no value as nothing.
 */
#include <inttypes.h>
#include <string.h>

#include "core/date.h"
#include "sinks.h"

/* Writes one cell of column 'col'. */
static void cell(FILE *f, const struct strife__column *col,
                 const union strife__cell *c) {
  char d[11];
  switch (col->type) {
  case STRIFE__COL_REAL:
    fprintf(f, "%.*f", col->decimals, c->r);
    break;
  case STRIFE__COL_INT:
    fprintf(f, "%" PRId64, c->i);
    break;
  case STRIFE__COL_DATE:
    strife__date_text(c->i, d);
    fputs(d, f);
    break;
  case STRIFE__COL_MONTH:
    fprintf(f, "%04d-%02d", (int)(c->i / 100), (int)(c->i % 100));
    break;
  default:
    fputs(c->s, f);
    break;
  }
}

static int csv_begin(struct strife__sink *base,
                     const struct strife__run_facts *facts, strife_diag *diag) {
  struct strife__csv_sink *s = (struct strife__csv_sink *)base;
  s->schema = facts->type->schema;
  s->diag = diag;
  int rc = STRIFE_OK;
  for (int t = 0; t < s->schema->n_tables && !rc; t++) {
    const struct strife__table *tb = &s->schema->tables[t];
    rc = strife__fileset_open(s->fs, tb->file, &s->f[t], diag);
    for (int k = 0; k < tb->n_cols && !rc; k++)
      fprintf(s->f[t], "%s%s", k ? "," : "", tb->cols[k].name);
    if (!rc) fputc('\n', s->f[t]);
  }
  return rc;
}

static int csv_row(struct strife__sink *base, int table,
                   const union strife__cell *c) {
  struct strife__csv_sink *s = (struct strife__csv_sink *)base;
  const struct strife__table *tb = &s->schema->tables[table];
  FILE *f = s->f[table];
  for (int k = 0; k < tb->n_cols; k++) {
    if (k) fputc(',', f);
    cell(f, &tb->cols[k], &c[k]);
  }
  fputc('\n', f);
  return STRIFE_OK; /* a failed write shows when the set is committed */
}

static int csv_end(struct strife__sink *base, const struct strife__run_end *e) {
  (void)base, (void)e;
  return STRIFE_OK;
}

static const struct strife__sink_ops csv_ops = {csv_begin, csv_row, csv_end};

void strife__csv_sink_init(struct strife__csv_sink *s,
                           struct strife__fileset *fs) {
  memset(s, 0, sizeof *s);
  s->base.ops = &csv_ops;
  s->fs = fs;
}
