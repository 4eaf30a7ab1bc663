/* SPDX-License-Identifier: MIT */
/*
 * The keys of a scenario: its own (the model, name, description, sources,
 * the run's length and seed, and what strife calibrate fits), and those
 * of its models, each declared in the model's type table.  The parser,
 * the overrides, `strife help scenario` and the check of
 * docs/scenarios.md all read them from here.
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"

#define OFF(field) offsetof(struct strife__common, field)
#define NONE       0.0, 0.0, NULL, ""

const struct strife__key strife__scenario_keys[] = {
    /* path, type, offset, min, max, choices, range, unit, default, doc */
    {"model", STRIFE__K_MODEL, 0, NONE, "", NULL,
     "Model the scenario runs (strife help models lists them; Optional, "
     "default: the first).",
     NULL},
    {"name", STRIFE__K_STRING, 0, NONE, "", NULL,
     "Name shown in outputs (Optional; default: the file's base name).", NULL},
    {"description", STRIFE__K_STRING, 0, NONE, "", "\"\"",
     "Free text describing the scenario (Optional).", NULL},
    {"sources", STRIFE__K_SOURCES, 0, NONE, "", "{}",
     "Citation of each value: an object from key path to source text, or "
     "the word \"assumption\" (Optional).",
     NULL},
    {"run.ticks", STRIFE__K_I64, OFF(ticks), 0, 1e9, NULL, "0..1000000000",
     "ticks", "1000",
     "Number of ticks to run.  A model whose ticks are calendar days runs "
     "from its start date to its end date unless run.ticks is given.",
     NULL},
    {"run.seed", STRIFE__K_I64, OFF(seed), 0, 9223372036854775807.0, NULL,
     "0..2^63-1", "", "1", "Master seed of every random draw.", NULL},
    {"calibration.free", STRIFE__K_FREE, 0, 0, 0, NULL,
     "array of {\"key\", \"prior\", \"lo\", \"hi\", \"source\"}", "", "[]",
     "Parameters strife calibrate fits, each a numeric key with its prior: "
     "uniform or log-uniform on [lo, hi], or normal (mean, sd) cut to "
     "[lo, hi] (docs/calibration.md).",
     NULL},
    {"calibration.targets", STRIFE__K_TARGETS, 0, 0, 0, NULL,
     "array of {\"outcome\", \"value\", \"scale\", \"source\"}", "", "[]",
     "What strife calibrate fits to: outcomes of the model (docs/results.md) "
     "with their observed values and the scales their misses are measured "
     "in.",
     NULL},
    {"calibration.window", STRIFE__K_WINDOW, 0, 0, 0, NULL,
     "{\"start\": date, \"end\": date}", "",
     "{\"start\": \"2021-09-01\", \"end\": \"2023-04-30\"}",
     "The fit window: only observed figures inside it (and outcomes of the "
     "days before its end) may set a parameter; figures after it score the "
     "model out of sample (strife score).  The default is the article's "
     "window, September 2021 to April 2023.",
     NULL},
    {"calibration.screen", STRIFE__K_SCREEN, 0, 0, 0, NULL,
     "array of {\"key\", \"lo\", \"hi\", \"source\"}", "", "[]",
     "The range of each value the scenario takes as an assumption, for a "
     "screen of them (strife sensitivity --screen) to choose the free "
     "parameters from (docs/calibration.md).",
     NULL},
};

const size_t strife__n_scenario_keys =
    sizeof strife__scenario_keys / sizeof strife__scenario_keys[0];

const struct strife__key *
strife__scenario_any_key(const strife_scenario *sc, const char *path,
                         const struct strife_model_type **owner) {
  *owner = NULL;
  const struct strife__key *k =
      strife__keys_find(strife__scenario_keys, strife__n_scenario_keys, path);
  if (k) return k;
  /* The scenario's model first, then the others. */
  if (sc->type &&
      (k = strife__keys_find(sc->type->keys, sc->type->n_keys, path))) {
    *owner = sc->type;
    return k;
  }
  for (size_t m = 0; sc->models[m]; m++)
    if ((k = strife__keys_find(sc->models[m]->keys, sc->models[m]->n_keys,
                               path))) {
      *owner = sc->models[m];
      return k;
    }
  return NULL;
}

const struct strife__key *strife__scenario_key(const strife_scenario *sc,
                                               const char *path) {
  const struct strife_model_type *owner;
  const struct strife__key *k = strife__scenario_any_key(sc, path, &owner);
  return owner && owner != sc->type ? NULL : k;
}

static int prefixed(const struct strife__key *keys, size_t n,
                    const char *prefix, size_t len) {
  for (size_t i = 0; i < n; i++)
    if (strncmp(keys[i].path, prefix, len) == 0 && keys[i].path[len] == '.')
      return 1;
  return 0;
}

int strife__scenario_is_group(const strife_scenario *sc, const char *prefix) {
  size_t len = strlen(prefix);
  if (prefixed(strife__scenario_keys, strife__n_scenario_keys, prefix, len))
    return 1;
  for (size_t m = 0; sc->models[m]; m++)
    if (prefixed(sc->models[m]->keys, sc->models[m]->n_keys, prefix, len))
      return 1;
  return 0;
}

/* Key 'i' of the scenario's own keys followed by its model's. */
static const struct strife__key *nth_key(const strife_scenario *sc, size_t i) {
  if (i < strife__n_scenario_keys) return &strife__scenario_keys[i];
  i -= strife__n_scenario_keys;
  return i < sc->type->n_keys ? &sc->type->keys[i] : NULL;
}

/* The name one level below 'prefix' in 'path' (its length in *len), or
   NULL when 'path' is not below 'prefix'. */
static const char *child(const char *path, const char *prefix, size_t plen,
                         int *len) {
  if (plen && (strncmp(path, prefix, plen) != 0 || path[plen] != '.'))
    return NULL;
  const char *rest = plen ? path + plen + 1 : path;
  *len = (int)strcspn(rest, ".");
  return rest;
}

void strife__scenario_children(const strife_scenario *sc, const char *prefix,
                               char *buf, size_t size) {
  size_t plen = strlen(prefix), used = 0;
  buf[0] = '\0';
  const struct strife__key *k;
  for (size_t i = 0; (k = nth_key(sc, i)); i++) {
    int len, qlen, dup = 0;
    const char *rest = child(k->path, prefix, plen, &len), *q;
    if (!rest) continue;
    for (size_t j = 0; j < i && !dup; j++) {
      q = child(nth_key(sc, j)->path, prefix, plen, &qlen);
      dup = q && qlen == len && strncmp(q, rest, (size_t)len) == 0;
    }
    if (dup) continue;
    int w = snprintf(buf + used, size - used, "%s%.*s", used ? ", " : "", len,
                     rest);
    if (w < 0 || (size_t)w >= size - used) break;
    used += (size_t)w;
  }
}

/* Whether 'k' is one of the scenario's own keys. */
static int own_key(const struct strife__key *k) {
  for (size_t i = 0; i < strife__n_scenario_keys; i++)
    if (k == &strife__scenario_keys[i]) return 1;
  return 0;
}

void *strife__scenario_slot(strife_scenario *sc, const struct strife__key *k) {
  return (own_key(k) ? (char *)&sc->v : (char *)sc->params) + k->offset;
}

const void *strife__scenario_value(const strife_scenario *sc,
                                   const struct strife__key *k) {
  return (own_key(k) ? (const char *)&sc->v : (const char *)sc->params) +
         k->offset;
}

const char *strife__scenario_alias(const strife_scenario *sc,
                                   const char *name) {
  for (size_t m = 0; sc->models[m]; m++)
    for (size_t i = 0; i < sc->models[m]->n_aliases; i++)
      if (strcmp(sc->models[m]->aliases[i].alias, name) == 0)
        return sc->models[m]->aliases[i].key;
  return name;
}

void strife__scenario_model_names(const strife_scenario *sc, char *buf,
                                  size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t m = 0; sc->models[m] && used < size; m++) {
    int w = snprintf(buf + used, size - used, "%s%s", m ? "|" : "",
                     sc->models[m]->name);
    if (w < 0) break;
    used += (size_t)w;
  }
}

/* ------------------------------------------------------------------ */
/* The keys of the built-in models, for help texts                     */
/* ------------------------------------------------------------------ */

static const char *type_name(const struct strife__key *k) {
  switch (k->type) {
  case STRIFE__K_I64:
  case STRIFE__K_U32:
  case STRIFE__K_INT:
    return "integer";
  case STRIFE__K_REAL:
    return "number";
  case STRIFE__K_BOOL:
    return "boolean";
  case STRIFE__K_SCHEDULE:
    return "schedule";
  case STRIFE__K_SOURCES:
  case STRIFE__K_WINDOW:
    return "object";
  case STRIFE__K_DATE:
    return "date";
  case STRIFE__K_FILE:
    return "path";
  case STRIFE__K_CODES:
  case STRIFE__K_TIMELINE:
  case STRIFE__K_FREE:
  case STRIFE__K_TARGETS:
  case STRIFE__K_SCREEN:
    return "array";
  default:
    return "string";
  }
}

size_t strife_key_count(void) {
  size_t n = strife__n_scenario_keys;
  const strife_model_type *const *m = strife_models_builtin();
  for (size_t i = 0; m[i]; i++)
    n += m[i]->n_keys;
  return n;
}

void strife_key_get(size_t i, strife_key_info *out) {
  const struct strife__key *k = NULL;
  const char *model = "";
  if (i < strife__n_scenario_keys) {
    k = &strife__scenario_keys[i];
  } else {
    i -= strife__n_scenario_keys;
    const strife_model_type *const *m = strife_models_builtin();
    for (size_t j = 0; m[j] && !k; j++) {
      if (i < m[j]->n_keys) {
        k = &m[j]->keys[i];
        model = m[j]->name;
      } else {
        i -= m[j]->n_keys;
      }
    }
  }
  if (!k) { /* past the last key: a caller's mistake */
    memset(out, 0, sizeof *out);
    return;
  }
  out->key = k->path;
  out->type = type_name(k);
  out->unit = k->unit;
  out->range = k->range;
  out->deflt = k->deflt ? k->deflt : "(see doc)";
  out->doc = k->doc;
  out->model = model;
}
