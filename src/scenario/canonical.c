/* SPDX-License-Identifier: MIT */
/*
 * The complete scenario as canonical JSON (every key, defaults filled in,
 * keys sorted, compact), its hash, and edits of the scenario's own file
 * (the calibrated scenario strife calibrate writes).
 *
 * The hash is FNV-1a over the canonical text of what is simulated: without
 * name, description, sources, seed and calibration, and with each data
 * file's contents (its hash) in place of its path.
 */
/* realpath */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/schedule.h"
#include "core/text.h"
#include "parse.h"

static json_t *schedule_json(const struct strife__schedule *s) {
  if (s->n == 0) return json_real(s->initial);
  json_t *changes = json_array();
  for (int i = 0; i < s->n; i++) {
    const struct strife__change *c = &s->change[i];
    json_t *o =
        c->t0 == c->t1
            ? json_pack("{sIsf}", "tick", (json_int_t)c->t0, "value", c->value)
            : json_pack("{sIsIsf}", "from", (json_int_t)c->t0, "to",
                        (json_int_t)c->t1, "value", c->value);
    json_array_append_new(changes, o);
  }
  return json_pack("{sfso}", "initial", s->initial, "changes", changes);
}

/* Choice 'idx' of enum key 'k', as a JSON string. */
static json_t *choice_json(const struct strife__key *k, int idx) {
  size_t n;
  const char *c = strife__key_choice(k, idx, &n);
  return json_stringn(c, n);
}

static json_t *codes_json(const struct strife__codes *c) {
  json_t *a = json_array();
  for (int i = 0; i < c->n; i++)
    json_array_append_new(a, json_string(c->code[i]));
  return a;
}

static json_t *timeline_json(const strife_scenario *sc,
                             const struct strife__key *k,
                             const struct strife__timeline *tl) {
  const struct strife__key_spec *s = k->spec;
  json_t *a = json_array();
  for (int i = 0; i < tl->n; i++) {
    char d[11];
    strife__date_text(tl->c[i].day, d);
    json_t *o = json_pack("{ss}", "date", d);
    for (int m = 0; m < s->n_members; m++) {
      if (tl->c[i].value[m] < 0) continue;
      const struct strife__key *mk =
          strife__scenario_key(sc, s->members[m].key);
      json_object_set_new(o, s->members[m].field,
                          choice_json(mk, tl->c[i].value[m]));
    }
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *value_json(const strife_scenario *sc,
                          const struct strife__key *k) {
  const void *slot = strife__scenario_value(sc, k);
  switch (k->type) {
  case STRIFE__K_I64:
    return json_integer(*(const int64_t *)slot);
  case STRIFE__K_U32:
    return json_integer(*(const uint32_t *)slot);
  case STRIFE__K_INT:
    return json_integer(*(const int *)slot);
  case STRIFE__K_REAL:
    return json_real(*(const double *)slot);
  case STRIFE__K_BOOL:
    return json_boolean(*(const int *)slot);
  case STRIFE__K_ENUM:
    return choice_json(k, *(const int *)slot);
  case STRIFE__K_SCHEDULE:
    return schedule_json(slot);
  case STRIFE__K_DATE: {
    char d[11];
    strife__date_text(*(const int64_t *)slot, d);
    return json_string(d);
  }
  case STRIFE__K_FILE:
    return json_string(((const struct strife__file *)slot)->path);
  case STRIFE__K_CODES:
    return codes_json(slot);
  case STRIFE__K_TIMELINE:
    return timeline_json(sc, k, slot);
  case STRIFE__K_FREE:
    return strife__scenario_free_json(sc);
  case STRIFE__K_TARGETS:
    return strife__scenario_targets_json(sc);
  case STRIFE__K_WINDOW:
    return strife__scenario_window_json(sc);
  case STRIFE__K_SCREEN:
    return strife__scenario_screen_json(sc);
  case STRIFE__K_MODEL:
    return json_string(sc->type->name);
  default:
    return NULL;
  }
}

/* The sources of the scenario as run: the file's, except that a value
   set on the command line says so, and a run's length that the model
   derived says where it comes from. */
static json_t *sources_as_run(const strife_scenario *sc) {
  json_t *s = json_deep_copy(sc->sources);
  if (!s) return NULL;
  for (size_t i = 0; i < sc->n_set; i++)
    json_object_set_new(s, sc->set_paths[i],
                        json_string("set on the command line (--set)"));
  if (sc->type->ticks_source && !sc->ticks_given &&
      !json_object_get(s, "run.ticks"))
    json_object_set_new(s, "run.ticks", json_string(sc->type->ticks_source));
  return s;
}

/* Sets dotted 'key' of 'root' to 'v' (taken), creating objects; nonzero
   on failure. */
static int set_path(json_t *root, const char *key, json_t *v) {
  char buf[160];
  struct strife__path p;
  strife__path_of_key(key, buf, sizeof buf, &p);
  json_t *obj = root;
  for (size_t i = 0; v && i + 1 < p.n; i++) {
    json_t *next = json_object_get(obj, p.seg[i].name);
    if (!next) {
      next = json_object();
      if (json_object_set_new(obj, p.seg[i].name, next)) next = NULL;
    }
    obj = json_is_object(next) ? next : NULL;
    if (!obj) break;
  }
  if (!obj || !v) {
    json_decref(v);
    return 1;
  }
  return json_object_set_new(obj, p.seg[p.n - 1].name, v);
}

/* Key 'k' into the canonical object 'root'; 'full' adds what does not
   change what is simulated (name, description, sources, seed,
   calibration) and names data files by path rather than by contents. */
static int put_key(const strife_scenario *sc, const struct strife__key *k,
                   int full, json_t *root) {
  const void *slot = strife__scenario_value(sc, k);
  const int calib = k->type == STRIFE__K_FREE || k->type == STRIFE__K_TARGETS ||
                    k->type == STRIFE__K_WINDOW || k->type == STRIFE__K_SCREEN;
  if (!full && k->type == STRIFE__K_FILE) {
    char name[160], hex[17];
    snprintf(name, sizeof name, "%s.fnv1a64", k->path);
    snprintf(hex, sizeof hex, "%016llx",
             (unsigned long long)((const struct strife__file *)slot)->hash);
    return json_object_set_new(root, name, json_string(hex));
  }
  if (calib && (!full || (!sc->cal.n_free && !sc->cal.n_targets &&
                          !sc->cal.n_screen && !sc->cal.window_given)))
    return 0;
  if (!full && (k->type == STRIFE__K_STRING || k->type == STRIFE__K_SOURCES ||
                strcmp(k->path, "run.seed") == 0))
    return 0;
  json_t *val;
  if (k->type == STRIFE__K_SOURCES && !sc->sources)
    return 0; /* a scenario that cites nothing has no sources */
  if (k->type == STRIFE__K_SOURCES)
    val = sources_as_run(sc);
  else if (k->type == STRIFE__K_STRING)
    val = json_string(strcmp(k->path, "name") == 0 ? sc->name
                      : sc->description            ? sc->description
                                                   : "");
  else
    val = value_json(sc, k);
  return set_path(root, k->path, val);
}

static json_t *canonical(const strife_scenario *sc, int full) {
  json_t *root = json_object();
  int bad = !root;
  for (size_t i = 0; i < strife__n_scenario_keys && !bad; i++)
    bad = put_key(sc, &strife__scenario_keys[i], full, root);
  for (size_t i = 0; i < sc->type->n_keys && !bad; i++)
    bad = put_key(sc, &sc->type->keys[i], full, root);
  if (bad) {
    json_decref(root);
    return NULL;
  }
  return root;
}

int strife__scenario_canonical(strife_scenario *sc) {
  json_t *c = canonical(sc, 1);
  json_t *h = canonical(sc, 0);
  size_t flags = JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(17);
  sc->json = c ? json_dumps(c, flags) : NULL;
  char *htext = h ? json_dumps(h, flags) : NULL;
  int rc = sc->json && htext ? STRIFE_OK : STRIFE_ENOMEM;
  if (!rc)
    snprintf(sc->hash, sizeof sc->hash, "fnv1a64:%016llx",
             (unsigned long long)strife__fnv1a64(htext, strlen(htext)));
  free(htext);
  json_decref(c);
  json_decref(h);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Edits                                                              */
/* ------------------------------------------------------------------ */

/* The path of file 'to' relative to directory 'from' (both absolute,
   canonical), into buf. */
static void relative_path(const char *from, const char *to, char *buf,
                          size_t size) {
  size_t common = 0;
  for (size_t i = 0; from[i] && to[i] && from[i] == to[i]; i++)
    if (from[i] == '/') common = i;
  size_t fl = strlen(from);
  if (strncmp(from, to, fl) == 0 && to[fl] == '/') common = fl;
  size_t used = 0;
  buf[0] = '\0';
  for (const char *s = from + common; *s; s++)
    if (*s == '/' && used + 4 < size) {
      memcpy(buf + used, "../", 4);
      used += 3;
    }
  snprintf(buf + used, size - used, "%s", to + common + 1);
}

/* Each data file of the model named relative to 'dir'. */
static int edit_files(const strife_scenario *sc, const char *dir, json_t *root,
                      strife_diag *diag) {
  for (size_t i = 0; i < sc->type->n_keys; i++) {
    const struct strife__key *k = &sc->type->keys[i];
    if (k->type != STRIFE__K_FILE) continue;
    const struct strife__file *f = strife__scenario_value(sc, k);
    char *abs = realpath(f->resolved, NULL), rel[4096];
    if (!abs) {
      strife__diag_set(diag, k->path, "%s: %s", f->resolved, strerror(errno));
      return STRIFE_EIO;
    }
    relative_path(dir, abs, rel, sizeof rel);
    free(abs);
    if (set_path(root, k->path, json_string(rel))) return STRIFE_ENOMEM;
  }
  return STRIFE_OK;
}

int strife__scenario_edit(const strife_scenario *sc, const char *const *keys,
                          const double *values, const char *const *sources,
                          size_t n, const char *dir, char **out,
                          strife_diag *diag) {
  json_t *root = json_loadb(sc->text, sc->len, JSON_REJECT_DUPLICATES, NULL);
  int bad = !root;
  for (size_t i = 0; i < n && !bad; i++) {
    const struct strife__key *k = strife__scenario_key(sc, keys[i]);
    json_t *v = k && strife__key_integer(k)
                    ? json_integer((json_int_t)llround(values[i]))
                    : json_real(values[i]);
    bad = set_path(root, keys[i], v);
    json_t *src = json_object_get(root, "sources");
    if (!bad && !src) {
      src = json_object();
      bad = json_object_set_new(root, "sources", src);
    }
    if (!bad) bad = json_object_set_new(src, keys[i], json_string(sources[i]));
  }
  int rc = bad ? STRIFE_ENOMEM : edit_files(sc, dir, root, diag);
  *out = rc ? NULL : json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
  json_decref(root);
  if (!rc && !*out) rc = STRIFE_ENOMEM;
  return rc;
}
