/* SPDX-License-Identifier: MIT */
/* Helpers over a model's key table (model.h). */
#include "model.h"

#include <string.h>

const struct strife__key *strife__keys_find(const struct strife__key *keys,
                                            size_t n, const char *path) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(keys[i].path, path) == 0) return &keys[i];
  return NULL;
}

const char *strife__key_choice(const struct strife__key *k, int idx,
                               size_t *len) {
  const char *c = k->choices;
  for (int i = 0; i < idx; i++)
    c = strchr(c, '|') + 1;
  *len = strcspn(c, "|");
  return c;
}

int strife__key_integer(const struct strife__key *k) {
  return k->type == STRIFE__K_INT || k->type == STRIFE__K_U32 ||
         k->type == STRIFE__K_I64;
}

int strife__key_numeric(const struct strife__key *k) {
  return strife__key_integer(k) || k->type == STRIFE__K_REAL ||
         k->type == STRIFE__K_SCHEDULE;
}

int strife__model_check(const struct strife_model_type *m, strife_diag *diag) {
  const struct strife__schema *s = m->schema;
  const char *what = NULL;
  if (s->n_tables < 0 || s->n_tables > STRIFE__TABLES_MAX)
    what = "tables";
  else if (s->n_outcomes < 0 || s->n_outcomes > STRIFE_OUTCOMES_MAX)
    what = "outcomes";
  for (int t = 0; !what && t < s->n_tables; t++)
    if (s->tables[t].n_cols < 1 || s->tables[t].n_cols > STRIFE__COLUMNS_MAX ||
        s->tables[t].n_key > s->tables[t].n_cols)
      what = "columns in a table";
  if (!what) return STRIFE_OK;
  strife__diag_set(diag, "model",
                   "the %s model declares more %s than the engine holds "
                   "(tables %d, columns %d, outcomes %d at most)",
                   m->name, what, STRIFE__TABLES_MAX, STRIFE__COLUMNS_MAX,
                   STRIFE_OUTCOMES_MAX);
  return STRIFE_ENOTSUP;
}

const char *strife_model_name(const strife_model_type *m) {
  return m->name;
}

const char *strife_model_doc(const strife_model_type *m) {
  return m->doc;
}

size_t strife_model_outcome_count(const strife_model_type *m) {
  return (size_t)m->schema->n_outcomes;
}

void strife_model_outcome(const strife_model_type *m, size_t i,
                          strife_outcome_info *out) {
  const struct strife__outcome *o = &m->schema->outcomes[i];
  out->name = o->name;
  out->unit = o->unit;
  out->better = o->better;
  out->label = o->label;
  out->decimals = o->decimals;
  out->key = (o->flags & STRIFE__OUT_KEY) != 0;
}

size_t strife_model_table_count(const strife_model_type *m) {
  return (size_t)m->schema->n_tables;
}

const char *strife_model_table_file(const strife_model_type *m, size_t i) {
  return m->schema->tables[i].file;
}
