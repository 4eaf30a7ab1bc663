/* SPDX-License-Identifier: MIT */
/*
 * summary.json, what a run was and how it ended: the fields every run has
 * (version, scenario, hash, model, status, seed, ticks), then what the
 * model's schema lists, in its order (facts of the run, the outcomes at
 * their places); and scenario.json, the complete scenario run.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "sinks.h"

/* Sets dotted 'path' of 'root' to 'v' (taken), creating objects; nonzero
   on failure. */
static int put(json_t *root, const char *path, json_t *v) {
  json_t *obj = root;
  char name[128];
  for (const char *s = path;;) {
    size_t n = strcspn(s, ".");
    if (!v || n >= sizeof name) break;
    memcpy(name, s, n);
    name[n] = '\0';
    if (!s[n]) return json_object_set_new(obj, name, v);
    json_t *next = json_object_get(obj, name);
    if (!next) {
      next = json_object();
      if (json_object_set_new(obj, name, next)) break;
    }
    obj = next;
    s += n + 1;
  }
  json_decref(v);
  return -1;
}

static json_t *outcome_json(const struct strife__outcome *o, double v) {
  if (isnan(v)) return json_null();
  if (o->flags & STRIFE__OUT_INT) return json_integer((json_int_t)v);
  return json_real(v);
}

/* Every outcome, under 'prefix' (may be ""). */
static int put_outcomes(json_t *root, const char *prefix,
                        const struct strife__schema *sc, const double *v) {
  int bad = 0;
  for (int k = 0; k < sc->n_outcomes && !bad; k++) {
    char path[256];
    snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "",
             sc->outcomes[k].json);
    bad = put(root, path, outcome_json(&sc->outcomes[k], v[k]));
  }
  return bad;
}

/* Item 'it' of the schema's summary. */
static int put_item(json_t *root, const struct strife__summary_item *it,
                    const struct strife__run_facts *f,
                    const struct strife__run_end *e) {
  const struct strife__schema *sc = f->type->schema;
  char d[11];
  switch (it->fact) {
  case STRIFE__FACT_SCALE:
    return put(root, it->path, json_integer((json_int_t)f->scale));
  case STRIFE__FACT_WALL:
    return put(root, it->path, json_real(e->wall_seconds));
  case STRIFE__FACT_AGENTS:
    return put(root, it->path, json_integer((json_int_t)f->agents));
  case STRIFE__FACT_BYTES:
    return put(
        root, it->path,
        json_real((double)f->bytes / (double)(f->agents ? f->agents : 1)));
  case STRIFE__FACT_TABLE_FILE:
    return put(root, it->path, json_string(sc->tables[it->arg].file));
  case STRIFE__FACT_OUTCOMES:
    return put_outcomes(root, it->path, sc, e->outcomes);
  case STRIFE__FACT_END_DATE:
  default:
    strife__date_text(e->end_day, d);
    return put(root, it->path, json_string(d));
  }
}

static char *summary_text(const struct strife__run_facts *f,
                          const struct strife__run_end *e) {
  const strife_scenario *sc = f->sc;
  json_t *s = json_pack(
      "{sssssssssssIsIsI}", "strife_version", strife_version_string(),
      "scenario", strife_scenario_name(sc), "scenario_hash",
      strife_scenario_hash(sc), "model", f->type->name, "status",
      e->interrupted ? "interrupted" : "complete", "seed", (json_int_t)f->seed,
      "ticks", (json_int_t)strife_scenario_ticks(sc), "ticks_run",
      (json_int_t)e->ticks);
  const struct strife__schema *schema = f->type->schema;
  int bad = !s;
  for (int i = 0; i < schema->n_summary && !bad; i++)
    bad = put_item(s, &schema->summary[i], f, e);
  char *text =
      bad ? NULL : json_dumps(s, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
  json_decref(s);
  return text;
}

static int json_begin(struct strife__sink *base,
                      const struct strife__run_facts *facts,
                      strife_diag *diag) {
  struct strife__json_sink *s = (struct strife__json_sink *)base;
  s->facts = *facts;
  s->diag = diag;
  return STRIFE_OK;
}

static int json_row(struct strife__sink *base, int table,
                    const union strife__cell *c) {
  (void)base, (void)table, (void)c;
  return STRIFE_OK;
}

static int json_end(struct strife__sink *base,
                    const struct strife__run_end *e) {
  struct strife__json_sink *s = (struct strife__json_sink *)base;
  char *summary = summary_text(&s->facts, e);
  if (!summary) {
    strife__diag_set(s->diag, "", "out of memory writing summary.json");
    return STRIFE_ENOMEM;
  }
  FILE *f;
  int rc = strife__fileset_open(s->fs, "summary.json", &f, s->diag);
  if (!rc) fputs(summary, f);
  free(summary);
  if (!rc) rc = strife__fileset_open(s->fs, "scenario.json", &f, s->diag);
  if (!rc) fprintf(f, "%s\n", strife_scenario_json(s->facts.sc));
  return rc;
}

static const struct strife__sink_ops json_ops = {json_begin, json_row,
                                                 json_end};

void strife__json_sink_init(struct strife__json_sink *s,
                            struct strife__fileset *fs) {
  memset(s, 0, sizeof *s);
  s->base.ops = &json_ops;
  s->fs = fs;
}
