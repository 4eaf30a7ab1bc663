/* SPDX-License-Identifier: MIT */
/*
 * One value of a scenario checked against its key and stored where the
 * key says: numbers in their range, choices among the key's, dates,
 * schedules, lists of codes, timelines of dated changes, data files.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/schedule.h"
#include "parse.h"

int strife__scenario_number(const strife_scenario *sc, strife_diag *diag,
                            const struct strife__path *p, json_t *j, double min,
                            double max, double *out) {
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  double x = json_is_number(j) ? json_number_value(j) : (double)NAN;
  if (!json_is_number(j) || !isfinite(x) || x < min || x > max)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a number in [%g, %g], got %s", min,
                                 max, got);
  /* -0 is 0: equal values make equal scenarios, with one hash. */
  *out = x == 0 ? 0.0 : x;
  return STRIFE_OK;
}

/* How real 'j' at 'p' is written in the file ("4e1"), else as %.17g. */
static void real_text(const strife_scenario *sc, const struct strife__path *p,
                      json_t *j, char *buf, size_t size) {
  char key[160];
  size_t at;
  strife__path_text(p, key, sizeof key);
  if (strife__scenario_from_set(sc, key) ||
      strife__locate_offset(sc->text, sc->len, p->seg, p->n, 0, &at)) {
    snprintf(buf, size, "%.17g", json_real_value(j));
    return;
  }
  size_t n = strcspn(sc->text + at, ",]} \t\r\n");
  snprintf(buf, size, "%.*s", (int)STRIFE__MIN(n, 40), sc->text + at);
}

static int check_integer(const strife_scenario *sc, strife_diag *diag,
                         const struct strife__path *p, json_t *j,
                         const struct strife__key *k, int64_t *out) {
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  double r = json_is_real(j) ? json_real_value(j) : 0.5;
  if (r == floor(r) && r >= k->min && r <= k->max) {
    /* A whole number written as a real: "got 40" would mislead. */
    real_text(sc, p, j, got, sizeof got);
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an integer in %s, got %s, which "
                                 "is written as a real number (with an "
                                 "exponent or a decimal point): write %.0f",
                                 k->range, got, r == 0 ? 0.0 : r);
  }
  json_int_t x = json_is_integer(j) ? json_integer_value(j) : 0;
  if (!json_is_integer(j) || (double)x < k->min || (double)x > k->max)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an integer in %s, got %s", k->range,
                                 got);
  *out = (int64_t)x;
  return STRIFE_OK;
}

int strife__scenario_choice(const strife_scenario *sc, strife_diag *diag,
                            const struct strife__path *p, json_t *j,
                            const char *choices, int *out) {
  if (json_is_string(j)) {
    const char *s = json_string_value(j);
    size_t n = strlen(s);
    const char *c = choices;
    for (int i = 0; *c; i++) {
      size_t len = strcspn(c, "|");
      if (len == n && strncmp(c, s, n) == 0) {
        *out = i;
        return STRIFE_OK;
      }
      if (!c[len]) break;
      c += len + 1;
    }
  }
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                               "expected one of %s, got %s", choices, got);
}

int strife__scenario_date(const strife_scenario *sc, strife_diag *diag,
                          const struct strife__path *p, json_t *j,
                          int64_t *out) {
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  if (!json_is_string(j) || strife__date_parse(json_string_value(j), out))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a date \"YYYY-MM-DD\", got %s", got);
  return STRIFE_OK;
}

/* ------------------------------------------------------------------ */
/* Schedules                                                          */
/* ------------------------------------------------------------------ */

int strife__scenario_members(const strife_scenario *sc, strife_diag *diag,
                             struct strife__path *p, json_t *j,
                             const char *known, const char *msg) {
  const char *name;
  json_t *m;
  json_object_foreach(j, name, m) {
    size_t n = strlen(name);
    int ok = 0;
    for (const char *c = known; *c && !ok;) {
      size_t len = strcspn(c, "|");
      ok = len == n && strncmp(c, name, n) == 0;
      c += len + (c[len] == '|');
    }
    if (!ok) {
      strife__path_push(p, name, 0);
      return strife__scenario_fail(sc, diag, p, 1, STRIFE_ESCENARIO, "%s", msg);
    }
  }
  return STRIFE_OK;
}

/* Change 'c' of a schedule at path 'p': its ticks, not before 'last',
   and its value; 'last' moves to where it ends. */
static int schedule_change(const strife_scenario *sc, strife_diag *diag,
                           struct strife__path *p, json_t *c,
                           const struct strife__key *k, int64_t *last,
                           struct strife__change *out) {
  static const char shape[] =
      "a change is {\"tick\": t, \"value\": v} (a step) or "
      "{\"from\": t0, \"to\": t1, \"value\": v} (a ramp)";
  if (!json_is_object(c))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a change object {\"tick\": t, "
                                 "\"value\": v} or {\"from\": t0, \"to\": t1, "
                                 "\"value\": v}");
  int rc = strife__scenario_members(
      sc, diag, p, c, "tick|from|to|value",
      "unknown member of a change (expected \"tick\" and "
      "\"value\", or \"from\", \"to\" and \"value\")");
  if (rc) return rc;
  json_t *t = json_object_get(c, "tick"), *t0 = json_object_get(c, "from");
  json_t *t1 = json_object_get(c, "to"), *v = json_object_get(c, "value");
  if (!v || (t && (t0 || t1)) || (!t && !(t0 && t1)))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO, "%s", shape);
  const char *names[2] = {t ? "tick" : "from", t ? "tick" : "to"};
  json_t *vals[2] = {t ? t : t0, t ? t : t1};
  int64_t ticks[2] = {0, 0};
  static const struct strife__key tick_key = {
      "tick",          STRIFE__K_I64, 0,    1,  1e9, NULL,
      "1..1000000000", "ticks",       NULL, "", NULL};
  for (int e = 0; e < 2 && !rc; e++) {
    strife__path_push(p, names[e], 0);
    rc = check_integer(sc, diag, p, vals[e], &tick_key, &ticks[e]);
    p->n--;
  }
  if (rc) return rc;
  if (ticks[0] < *last) {
    strife__path_push(p, names[0], 0);
    return strife__scenario_fail(
        sc, diag, p, 0, STRIFE_ESCENARIO,
        "changes must be in tick order without overlap: this one starts at "
        "tick %lld, before the previous one ends (%lld)",
        (long long)ticks[0], (long long)*last);
  }
  if (t0 && ticks[1] <= ticks[0]) {
    strife__path_push(p, "to", 0);
    return strife__scenario_fail(
        sc, diag, p, 0, STRIFE_ESCENARIO,
        "a ramp must end after it starts: \"to\" %lld <= \"from\" %lld",
        (long long)ticks[1], (long long)ticks[0]);
  }
  strife__path_push(p, "value", 0);
  rc = strife__scenario_number(sc, diag, p, v, k->min, k->max, &out->value);
  p->n--;
  out->t0 = ticks[0];
  out->t1 = ticks[1];
  *last = ticks[1];
  return rc;
}

/* A schedule: a number, or {"initial": x, "changes": [...]}. */
static int check_schedule(const strife_scenario *sc, strife_diag *diag,
                          struct strife__path *p, json_t *j,
                          const struct strife__key *k,
                          struct strife__schedule *out) {
  double x = 0;
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  if (!json_is_object(j) && !json_is_number(j))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a number in %s or a schedule object "
                                 "{\"initial\": ..., \"changes\": [...]}, got "
                                 "%s",
                                 k->range, got);
  if (!json_is_object(j)) {
    int rc = strife__scenario_number(sc, diag, p, j, k->min, k->max, &x);
    if (!rc) strife__schedule_const(out, x);
    return rc;
  }
  int rc = strife__scenario_members(
      sc, diag, p, j, "initial|changes",
      "unknown member of a schedule (expected \"initial\" "
      "and \"changes\")");
  if (rc) return rc;
  json_t *init = json_object_get(j, "initial");
  if (!init)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "a schedule needs \"initial\": its value at "
                                 "tick 0");
  strife__path_push(p, "initial", 0);
  rc = strife__scenario_number(sc, diag, p, init, k->min, k->max, &x);
  p->n--;
  if (rc) return rc;
  strife__schedule_const(out, x);
  json_t *ch = json_object_get(j, "changes");
  if (!ch) return STRIFE_OK;
  strife__path_push(p, "changes", 0);
  if (!json_is_array(ch))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an array of changes ({\"tick\": t, "
                                 "\"value\": v} or {\"from\": t0, \"to\": t1, "
                                 "\"value\": v})");
  if (json_array_size(ch) > STRIFE__SCHEDULE_MAX)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ELIMIT,
                                 "at most %d changes are allowed, got %zu",
                                 STRIFE__SCHEDULE_MAX, json_array_size(ch));
  int64_t last = 0;
  for (size_t i = 0; i < json_array_size(ch) && !rc; i++) {
    strife__path_push(p, NULL, i);
    rc = schedule_change(sc, diag, p, json_array_get(ch, i), k, &last,
                         &out->change[i]);
    p->n--;
  }
  out->n = rc ? 0 : (int)json_array_size(ch);
  p->n--;
  return rc;
}

/* ------------------------------------------------------------------ */
/* Lists: sources, codes, timelines                                   */
/* ------------------------------------------------------------------ */

static int check_sources(strife_scenario *sc, strife_diag *diag,
                         struct strife__path *p, json_t *j) {
  if (!json_is_object(j))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an object from key paths to their "
                                 "sources");
  const char *name;
  json_t *m;
  json_object_foreach(j, name, m) {
    strife__path_push(p, name, 0);
    const struct strife_model_type *owner;
    const struct strife__key *k = strife__scenario_any_key(sc, name, &owner);
    if (!k || k->type == STRIFE__K_SOURCES || k->type == STRIFE__K_STRING)
      return strife__scenario_fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                                   "not a scenario key with a value to cite");
    if (!json_is_string(m) || json_string_length(m) == 0)
      return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                   "expected the source as a non-empty "
                                   "string");
    p->n--;
  }
  json_decref(sc->sources);
  sc->sources = json_deep_copy(j);
  return sc->sources ? STRIFE_OK : STRIFE_ENOMEM;
}

/* An array of short codes, each one the key's spec accepts (checked
   against the model's data in its check). */
static int check_codes(const strife_scenario *sc, strife_diag *diag,
                       struct strife__path *p, json_t *j,
                       const struct strife__key *k, struct strife__codes *out) {
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  if (!json_is_array(j) || json_array_size(j) > STRIFE__CODES_MAX)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an array of at most %d %s, got %s",
                                 STRIFE__CODES_MAX, k->spec->noun, got);
  out->n = 0;
  size_t i;
  json_t *e;
  json_array_foreach(j, i, e) {
    strife__path_push(p, NULL, i);
    strife__scenario_describe(e, got, sizeof got);
    if (!json_is_string(e) || json_string_length(e) >= sizeof out->code[0] ||
        strlen(json_string_value(e)) != json_string_length(e) ||
        !k->spec->item_ok(json_string_value(e)))
      return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                   "expected %s, got %s", k->spec->item, got);
    snprintf(out->code[out->n++], sizeof out->code[0], "%s",
             json_string_value(e));
    p->n--;
  }
  return STRIFE_OK;
}

/* The members of a timeline entry joined by 'sep', after "date" when
   'with_date', into 'buf'. */
static void member_list(const struct strife__key_spec *s, int with_date,
                        const char *sep, char *buf, size_t size) {
  size_t used = (size_t)snprintf(buf, size, "%s", with_date ? "date" : "");
  for (int m = 0; m < s->n_members && used < size; m++)
    used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? sep : "",
                             s->members[m].field);
}

/* Entry 'e' of a timeline: a date after the previous entry's, and the
   members it changes. */
static int timeline_entry(const strife_scenario *sc, strife_diag *diag,
                          struct strife__path *p, json_t *e,
                          const struct strife__key_spec *s,
                          struct strife__timeline *out) {
  char got[96], known[256];
  strife__scenario_describe(e, got, sizeof got);
  if (!json_is_object(e))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an object {\"date\": ..., \"%s\": "
                                 "...}, got %s",
                                 s->members[0].field, got);
  int levers = 0;
  for (int m = 0; m < s->n_members; m++)
    levers += json_object_get(e, s->members[m].field) != NULL;
  char msg[320], names[256];
  member_list(s, 1, ", ", known, sizeof known);
  snprintf(msg, sizeof msg, "unknown key (known here: %s)", known);
  member_list(s, 1, "|", names, sizeof names);
  int rc = strife__scenario_members(sc, diag, p, e, names, msg);
  if (rc) return rc;
  if (!json_object_get(e, "date") || !levers) {
    member_list(s, 0, ", ", known, sizeof known);
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a \"date\" and at least one of %s",
                                 known);
  }
  struct strife__dated *c = &out->c[out->n];
  strife__path_push(p, "date", 0);
  rc = strife__scenario_date(sc, diag, p, json_object_get(e, "date"), &c->day);
  if (!rc && out->n && c->day <= out->c[out->n - 1].day)
    rc = strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                               "expected a date after the previous change's");
  for (int m = 0; m < s->n_members && !rc; m++) {
    c->value[m] = -1;
    json_t *v = json_object_get(e, s->members[m].field);
    if (!v) continue;
    p->seg[p->n - 1] = (struct strife__seg){s->members[m].field, 0};
    const struct strife__key *k = strife__scenario_key(sc, s->members[m].key);
    rc = strife__scenario_choice(sc, diag, p, v, k->choices, &c->value[m]);
  }
  p->n--;
  return rc;
}

/* An array of {"date": "YYYY-MM-DD", and at least one member}, dates
   rising. */
static int check_timeline(const strife_scenario *sc, strife_diag *diag,
                          struct strife__path *p, json_t *j,
                          const struct strife__key *k,
                          struct strife__timeline *out) {
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  if (!json_is_array(j) || json_array_size(j) > STRIFE__TIMELINE_MAX)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an array of at most %d {\"date\": "
                                 "..., \"%s\": ...} objects, got %s",
                                 STRIFE__TIMELINE_MAX,
                                 k->spec->members[0].field, got);
  out->n = 0;
  int rc = STRIFE_OK;
  for (size_t i = 0; i < json_array_size(j) && !rc; i++) {
    strife__path_push(p, NULL, i);
    rc = timeline_entry(sc, diag, p, json_array_get(j, i), k->spec, out);
    if (!rc) out->n++;
    p->n--;
  }
  return rc;
}

/* ------------------------------------------------------------------ */
/* Taking a value                                                     */
/* ------------------------------------------------------------------ */

static int take_string(strife_scenario *sc, strife_diag *diag,
                       struct strife__path *p, const struct strife__key *k,
                       json_t *j) {
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  if (!json_is_string(j))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a string, got %s", got);
  size_t n = json_string_length(j);
  if (strcmp(k->path, "name") == 0) {
    if (n == 0 || n >= sizeof sc->name || strlen(json_string_value(j)) != n)
      return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                   "expected a name of 1 to %zu characters "
                                   "without NUL",
                                   sizeof sc->name - 1);
    memcpy(sc->name, json_string_value(j), n + 1);
    return STRIFE_OK;
  }
  if (n > 4096)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ELIMIT,
                                 "expected at most 4096 characters, got %zu",
                                 n);
  free(sc->description);
  sc->description = strdup(json_string_value(j));
  return sc->description ? STRIFE_OK : STRIFE_ENOMEM;
}

static int take_file(strife_scenario *sc, strife_diag *diag,
                     struct strife__path *p, const struct strife__key *k,
                     json_t *j) {
  struct strife__file *f = strife__scenario_slot(sc, k);
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  if (!json_is_string(j) || json_string_length(j) == 0 ||
      json_string_length(j) >= sizeof f->path ||
      strlen(json_string_value(j)) != json_string_length(j))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a file path of 1 to %zu "
                                 "characters, got %s",
                                 sizeof f->path - 1, got);
  snprintf(f->path, sizeof f->path, "%s", json_string_value(j));
  f->from_set = p->n > 0 && strife__scenario_from_set(sc, k->path);
  return STRIFE_OK;
}

static int take_integer(strife_scenario *sc, strife_diag *diag,
                        struct strife__path *p, const struct strife__key *k,
                        json_t *j) {
  int64_t x = 0;
  int rc = check_integer(sc, diag, p, j, k, &x);
  if (rc) return rc;
  void *slot = strife__scenario_slot(sc, k);
  if (k->type == STRIFE__K_I64)
    *(int64_t *)slot = x;
  else if (k->type == STRIFE__K_U32)
    *(uint32_t *)slot = (uint32_t)x;
  else
    *(int *)slot = (int)x;
  if (p->n > 0 && strcmp(k->path, "run.ticks") == 0) sc->ticks_given = 1;
  return STRIFE_OK;
}

static int take_bool(strife_scenario *sc, strife_diag *diag,
                     struct strife__path *p, const struct strife__key *k,
                     json_t *j) {
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  if (!json_is_boolean(j))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected true or false, got %s", got);
  *(int *)strife__scenario_slot(sc, k) = json_is_true(j);
  return STRIFE_OK;
}

int strife__scenario_take(strife_scenario *sc, strife_diag *diag,
                          struct strife__path *p, const struct strife__key *k,
                          json_t *j) {
  void *slot = strife__scenario_slot(sc, k);
  switch (k->type) {
  case STRIFE__K_STRING:
    return take_string(sc, diag, p, k, j);
  case STRIFE__K_SOURCES:
    return check_sources(sc, diag, p, j);
  case STRIFE__K_I64:
  case STRIFE__K_U32:
  case STRIFE__K_INT:
    return take_integer(sc, diag, p, k, j);
  case STRIFE__K_REAL:
    return strife__scenario_number(sc, diag, p, j, k->min, k->max, slot);
  case STRIFE__K_BOOL:
    return take_bool(sc, diag, p, k, j);
  case STRIFE__K_ENUM:
    return strife__scenario_choice(sc, diag, p, j, k->choices, slot);
  case STRIFE__K_DATE:
    return strife__scenario_date(sc, diag, p, j, slot);
  case STRIFE__K_FILE:
    return take_file(sc, diag, p, k, j);
  case STRIFE__K_CODES:
    return check_codes(sc, diag, p, j, k, slot);
  case STRIFE__K_TIMELINE:
    return check_timeline(sc, diag, p, j, k, slot);
  case STRIFE__K_FREE:
    return strife__scenario_free(sc, diag, p, j);
  case STRIFE__K_TARGETS:
    return strife__scenario_targets(sc, diag, p, j);
  case STRIFE__K_WINDOW:
    return strife__scenario_window(sc, diag, p, j);
  case STRIFE__K_SCREEN:
    return strife__scenario_screen(sc, diag, p, j);
  case STRIFE__K_MODEL:
    return STRIFE_OK; /* read first, by the loader */
  case STRIFE__K_SCHEDULE:
  default:
    return check_schedule(sc, diag, p, j, k, slot);
  }
}
