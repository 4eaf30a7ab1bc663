/* SPDX-License-Identifier: MIT */
/* Helpers over a model's key table (model.h). */
#include "model.h"

#include <string.h>

#include "schedule.h"

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

/* The bytes a key of type 't' stores at its offset (0: none there). */
static size_t value_size(enum strife__ktype t) {
  switch (t) {
  case STRIFE__K_I64:
  case STRIFE__K_DATE:
    return sizeof(int64_t);
  case STRIFE__K_U32:
    return sizeof(uint32_t);
  case STRIFE__K_INT:
  case STRIFE__K_BOOL:
  case STRIFE__K_ENUM:
    return sizeof(int);
  case STRIFE__K_REAL:
    return sizeof(double);
  case STRIFE__K_SCHEDULE:
    return sizeof(struct strife__schedule);
  case STRIFE__K_FILE:
    return sizeof(struct strife__file);
  case STRIFE__K_CODES:
    return sizeof(struct strife__codes);
  case STRIFE__K_TIMELINE:
    return sizeof(struct strife__timeline);
  default:
    return 0; /* the scenario's own kinds: not a model's */
  }
}

/* What is wrong with key 'k' of a model whose parameters take 'size'
   bytes, or NULL. */
static const char *bad_key(const struct strife__key *k, size_t size) {
  size_t n = value_size(k->type);
  if (!n) return "a key of a kind only the scenario has";
  if (k->offset > size || size - k->offset < n)
    return "a key stored past the parameters";
  if (k->type == STRIFE__K_ENUM && (!k->choices || !*k->choices))
    return "a choice key without choices";
  if ((k->type == STRIFE__K_FILE || k->type == STRIFE__K_CODES ||
       k->type == STRIFE__K_TIMELINE) &&
      !k->spec)
    return "a file, code or timeline key without its spec";
  if (k->type == STRIFE__K_CODES && !k->spec->item_ok)
    return "a code key without its check";
  if (k->type == STRIFE__K_TIMELINE &&
      (k->spec->n_members < 1 || k->spec->n_members > STRIFE__MEMBERS_MAX))
    return "a timeline of no members, or of more than 8";
  return NULL;
}

/* What is wrong with the schema of 'm', or NULL. */
static const char *bad_schema(const struct strife_model_type *m) {
  const struct strife__schema *s = m->schema;
  if (s->n_tables < 0 || s->n_tables > STRIFE__TABLES_MAX)
    return "more tables than the engine holds (14)";
  if (s->n_outcomes < 0 || s->n_outcomes > STRIFE_OUTCOMES_MAX)
    return "more outcomes than the engine holds (64)";
  for (int t = 0; t < s->n_tables; t++)
    if (s->tables[t].n_cols < 1 || s->tables[t].n_cols > STRIFE__COLUMNS_MAX ||
        s->tables[t].n_key > s->tables[t].n_cols)
      return "a table of no columns, or of more than 64, or keyed by more "
             "columns than it has";
  for (int k = 0; k < s->n_measures; k++) {
    const struct strife__measure *q = &s->measures[k];
    if (s->n_tables < 1 || s->tables[0].cols[0].type != STRIFE__COL_DATE ||
        q->column < 1 || q->column >= s->tables[0].n_cols ||
        s->tables[0].cols[q->column].type != STRIFE__COL_REAL || !q->quantity ||
        !q->units || !*q->units)
      return "a measure of the record that is not a number column of a "
             "first table keyed by date, or has no quantity or units";
  }
  return NULL;
}

int strife__model_check(const struct strife_model_type *m, strife_diag *diag) {
  const char *why = NULL, *key = "";
  if (!m->name || !m->schema || !m->create || !m->step || !m->observe ||
      !m->outcomes || !m->memory || !m->agents || !m->destroy)
    why = "a type table without its name, schema or a function it needs";
  for (size_t i = 0; !why && i < m->n_keys; i++)
    if ((why = bad_key(&m->keys[i], m->params_size))) key = m->keys[i].path;
  if (!why) why = bad_schema(m);
  if (!why) return STRIFE_OK;
  strife__diag_set(diag, key, "the %s model declares %s",
                   m->name ? m->name : "(unnamed)", why);
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
