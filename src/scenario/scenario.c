/* SPDX-License-Identifier: MIT */
/*
 * Scenario files: read, parse (jansson), apply command-line overrides,
 * check every key against the key table, fill in defaults, and produce the
 * canonical text and hash of the complete scenario.
 *
 * Errors name the place: file, line and column of the offending value (or
 * member name, for unknown keys), its dotted key, and what was expected.
 * Syntax errors come from jansson with its own line and column; errors in
 * values are located by strife__locate.  A value that came from an
 * override is reported as "--set" with its key.
 */
/* realpath */
#define _XOPEN_SOURCE 700
#include "scenario.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/schedule.h"
#include "models/afghan/provinces.h"

#define MAX_DEPTH 8
#define MAX_SETS  256

struct strife_scenario {
  char *text;
  size_t len;
  char source[256];
  char name[128];
  char *description;
  json_t *sources;
  struct strife__values v;
  char *json;
  char hash[32];
  int provinces_from_set; /* data.provinces came from --set */
  struct strife__calibration cal;
  /* Paths given by --set, so that their errors point there. */
  char *set_paths[MAX_SETS];
  size_t n_set;
};

/* ------------------------------------------------------------------ */
/* Diagnostics                                                        */
/* ------------------------------------------------------------------ */

struct path {
  struct strife__seg seg[MAX_DEPTH];
  size_t n;
};

/* Dotted form of a path: "regime.legitimacy.changes[1].tick". */
static void path_text(const struct path *p, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < p->n && used < size; i++) {
    int w;
    if (p->seg[i].name)
      w = snprintf(buf + used, size - used, "%s%s", i ? "." : "",
                   p->seg[i].name);
    else
      w = snprintf(buf + used, size - used, "[%zu]", p->seg[i].index);
    if (w < 0) break;
    used += (size_t)w;
  }
}

static int from_override(const struct strife_scenario *sc, const char *key) {
  for (size_t i = 0; i < sc->n_set; i++) {
    size_t n = strlen(sc->set_paths[i]);
    if (strncmp(key, sc->set_paths[i], n) == 0 &&
        (key[n] == '\0' || key[n] == '.' || key[n] == '['))
      return 1;
  }
  return 0;
}

/* Fills 'diag' for an error at 'p' (the member name when 'at_name') and
   returns 'code'. */
static int fail(const struct strife_scenario *sc, strife_diag *diag,
                const struct path *p, int at_name, int code, const char *fmt,
                ...) __attribute__((format(printf, 6, 7)));
static int fail(const struct strife_scenario *sc, strife_diag *diag,
                const struct path *p, int at_name, int code, const char *fmt,
                ...) {
  if (!diag) return code;
  strife_diag_clear(diag);
  path_text(p, diag->key, sizeof diag->key);
  if (from_override(sc, diag->key)) {
    snprintf(diag->source, sizeof diag->source, "--set");
  } else {
    snprintf(diag->source, sizeof diag->source, "%s", sc->source);
    int line, col;
    if (p->n && strife__locate(sc->text, sc->len, p->seg, p->n, at_name, &line,
                               &col) == 0) {
      diag->line = line;
      diag->column = col;
    }
  }
  va_list ap;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above */
  vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
  va_end(ap);
  return code;
}

/* Splits dotted 'key' into a path (names point into 'buf'). */
static void path_of_key(const char *key, char *buf, size_t size,
                        struct path *p) {
  snprintf(buf, size, "%s", key);
  p->n = 0;
  char *s = buf;
  while (s && p->n < MAX_DEPTH) {
    char *dot = strchr(s, '.');
    if (dot) *dot = '\0';
    p->seg[p->n].name = s;
    p->seg[p->n].index = 0;
    p->n++;
    s = dot ? dot + 1 : NULL;
  }
}

/* An error about 'key' as a whole (cross-key checks): located at the first
   of 'keys' present in the file. */
static int fail_key(const struct strife_scenario *sc, strife_diag *diag,
                    const char *const *keys, size_t n_keys, int code,
                    const char *msg) {
  char buf[128];
  struct path p;
  /* A key given with --set first: that is what the user just changed. */
  for (size_t i = 0; i < n_keys; i++) {
    if (!from_override(sc, keys[i])) continue;
    path_of_key(keys[i], buf, sizeof buf, &p);
    return fail(sc, diag, &p, 0, code, "%s", msg);
  }
  for (size_t i = 0; i < n_keys; i++) {
    path_of_key(keys[i], buf, sizeof buf, &p);
    int line, col;
    if (strife__locate(sc->text, sc->len, p.seg, p.n, 0, &line, &col) == 0)
      return fail(sc, diag, &p, 0, code, "%s", msg);
  }
  path_of_key(keys[0], buf, sizeof buf, &p);
  int rc = fail(sc, diag, &p, 0, code, "%s", msg);
  if (diag) {
    diag->line = 0;
    diag->column = 0;
  }
  return rc;
}

/* "a string", "-5", "true": what a value is, for messages. */
static void describe(json_t *j, char *buf, size_t size) {
  switch (json_typeof(j)) {
  case JSON_OBJECT:
    snprintf(buf, size, "an object");
    break;
  case JSON_ARRAY:
    snprintf(buf, size, "an array");
    break;
  case JSON_STRING:
    snprintf(buf, size, "the string \"%.40s\"", json_string_value(j));
    break;
  case JSON_INTEGER:
    snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
    break;
  case JSON_REAL:
    snprintf(buf, size, "%.17g", json_real_value(j));
    break;
  case JSON_TRUE:
    snprintf(buf, size, "true");
    break;
  case JSON_FALSE:
    snprintf(buf, size, "false");
    break;
  default:
    snprintf(buf, size, "null");
    break;
  }
}

/* ------------------------------------------------------------------ */
/* Values                                                             */
/* ------------------------------------------------------------------ */

static int check_number(const struct strife_scenario *sc, strife_diag *diag,
                        const struct path *p, json_t *j, double min, double max,
                        double *out) {
  char got[96];
  describe(j, got, sizeof got);
  if (!json_is_number(j))
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected a number in [%g, %g], got %s", min, max, got);
  double x = json_number_value(j);
  if (!isfinite(x) || x < min || x > max)
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected a number in [%g, %g], got %s", min, max, got);
  *out = x;
  return STRIFE_OK;
}

static int check_integer(const struct strife_scenario *sc, strife_diag *diag,
                         const struct path *p, json_t *j,
                         const struct strife__key *k, int64_t *out) {
  char got[96];
  describe(j, got, sizeof got);
  if (!json_is_integer(j))
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected an integer in %s, got %s", k->range, got);
  json_int_t x = json_integer_value(j);
  if ((double)x < k->min || (double)x > k->max)
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected an integer in %s, got %s", k->range, got);
  *out = (int64_t)x;
  return STRIFE_OK;
}

static int check_enum(const struct strife_scenario *sc, strife_diag *diag,
                      const struct path *p, json_t *j,
                      const struct strife__key *k, int *out) {
  char got[96];
  describe(j, got, sizeof got);
  if (json_is_string(j)) {
    const char *s = json_string_value(j);
    size_t n = strlen(s);
    const char *c = k->choices;
    for (int i = 0; *c; i++) {
      const char *bar = strchr(c, '|');
      size_t len = bar ? (size_t)(bar - c) : strlen(c);
      if (len == n && strncmp(c, s, n) == 0) {
        *out = i;
        return STRIFE_OK;
      }
      if (!bar) break;
      c = bar + 1;
    }
  }
  return fail(sc, diag, p, 0, STRIFE_ESCENARIO, "expected one of %s, got %s",
              k->choices, got);
}

/* A schedule: a number, or {"initial": x, "changes": [...]}. */
static int check_schedule(const struct strife_scenario *sc, strife_diag *diag,
                          struct path *p, json_t *j,
                          const struct strife__key *k,
                          struct strife__schedule *out) {
  double x = 0;
  if (!json_is_object(j)) {
    if (!json_is_number(j)) {
      char got[96];
      describe(j, got, sizeof got);
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "expected a number in %s or a schedule object "
                  "{\"initial\": ..., \"changes\": [...]}, got %s",
                  k->range, got);
    }
    int rc = check_number(sc, diag, p, j, k->min, k->max, &x);
    if (rc) return rc;
    strife__schedule_const(out, x);
    return STRIFE_OK;
  }
  const char *name;
  json_t *m;
  json_object_foreach(j, name, m) {
    if (strcmp(name, "initial") != 0 && strcmp(name, "changes") != 0) {
      p->seg[p->n++] = (struct strife__seg){name, 0};
      return fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                  "unknown member of a schedule (expected \"initial\" and "
                  "\"changes\")");
    }
  }
  json_t *init = json_object_get(j, "initial");
  if (!init)
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "a schedule needs \"initial\": its value at tick 0");
  p->seg[p->n++] = (struct strife__seg){"initial", 0};
  int rc = check_number(sc, diag, p, init, k->min, k->max, &x);
  p->n--;
  if (rc) return rc;
  strife__schedule_const(out, x);
  json_t *ch = json_object_get(j, "changes");
  if (!ch) return STRIFE_OK;
  p->seg[p->n++] = (struct strife__seg){"changes", 0};
  if (!json_is_array(ch))
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected an array of changes ({\"tick\": t, \"value\": v} or "
                "{\"from\": t0, \"to\": t1, \"value\": v})");
  if (json_array_size(ch) > STRIFE__SCHEDULE_MAX)
    return fail(sc, diag, p, 0, STRIFE_ELIMIT,
                "at most %d changes are allowed, got %zu", STRIFE__SCHEDULE_MAX,
                json_array_size(ch));
  int64_t last = 0;
  for (size_t i = 0; i < json_array_size(ch); i++) {
    json_t *c = json_array_get(ch, i);
    p->seg[p->n++] = (struct strife__seg){NULL, i};
    if (!json_is_object(c))
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "expected a change object {\"tick\": t, \"value\": v} or "
                  "{\"from\": t0, \"to\": t1, \"value\": v}");
    json_object_foreach(c, name, m) {
      if (strcmp(name, "tick") != 0 && strcmp(name, "from") != 0 &&
          strcmp(name, "to") != 0 && strcmp(name, "value") != 0) {
        p->seg[p->n++] = (struct strife__seg){name, 0};
        return fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                    "unknown member of a change (expected \"tick\" and "
                    "\"value\", or \"from\", \"to\" and \"value\")");
      }
    }
    json_t *t = json_object_get(c, "tick");
    json_t *t0 = json_object_get(c, "from");
    json_t *t1 = json_object_get(c, "to");
    json_t *v = json_object_get(c, "value");
    if (!v || (t && (t0 || t1)) || (!t && !(t0 && t1)))
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "a change is {\"tick\": t, \"value\": v} (a step) or "
                  "{\"from\": t0, \"to\": t1, \"value\": v} (a ramp)");
    struct strife__change *out_c = &out->change[i];
    const char *names[2] = {t ? "tick" : "from", t ? "tick" : "to"};
    json_t *vals[2] = {t ? t : t0, t ? t : t1};
    int64_t ticks[2] = {0, 0};
    static const struct strife__key tick_key = {
        "tick",          STRIFE__K_I64, 0,    1,  1e9, NULL,
        "1..1000000000", "ticks",       NULL, "", ""};
    for (int e = 0; e < 2; e++) {
      p->seg[p->n++] = (struct strife__seg){names[e], 0};
      rc = check_integer(sc, diag, p, vals[e], &tick_key, &ticks[e]);
      p->n--;
      if (rc) return rc;
    }
    if (ticks[0] < last) {
      p->seg[p->n++] = (struct strife__seg){names[0], 0};
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "changes must be in tick order without overlap: this one "
                  "starts at tick %lld, before the previous one ends (%lld)",
                  (long long)ticks[0], (long long)last);
    }
    if (t0 && ticks[1] <= ticks[0]) {
      p->seg[p->n++] = (struct strife__seg){"to", 0};
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "a ramp must end after it starts: \"to\" %lld <= \"from\" "
                  "%lld",
                  (long long)ticks[1], (long long)ticks[0]);
    }
    p->seg[p->n++] = (struct strife__seg){"value", 0};
    rc = check_number(sc, diag, p, v, k->min, k->max, &out_c->value);
    p->n--;
    if (rc) return rc;
    out_c->t0 = ticks[0];
    out_c->t1 = ticks[1];
    last = ticks[1];
    p->n--;
  }
  out->n = (int)json_array_size(ch);
  p->n--;
  return STRIFE_OK;
}

static int check_sources(const struct strife_scenario *sc, strife_diag *diag,
                         struct path *p, json_t *j) {
  if (!json_is_object(j))
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected an object from key paths to their sources");
  const char *name;
  json_t *m;
  json_object_foreach(j, name, m) {
    p->seg[p->n++] = (struct strife__seg){name, 0};
    const struct strife__key *k = strife__key_find(name);
    if (!k || k->type == STRIFE__K_SOURCES || k->type == STRIFE__K_STRING)
      return fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                  "not a scenario key with a value to cite");
    if (!json_is_string(m) || json_string_length(m) == 0)
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "expected the source as a non-empty string");
    p->n--;
  }
  return STRIFE_OK;
}

static int check_date(const struct strife_scenario *sc, strife_diag *diag,
                      const struct path *p, json_t *j, int64_t *out) {
  char got[96];
  describe(j, got, sizeof got);
  if (!json_is_string(j) || strife__date_parse(json_string_value(j), out))
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected a date \"YYYY-MM-DD\", got %s", got);
  return STRIFE_OK;
}

/* An array of province codes such as "AF-KAB" (checked against the table
   once it is read). */
static int check_codes(const struct strife_scenario *sc, strife_diag *diag,
                       struct path *p, json_t *j, int *n, char code[][8]) {
  char got[96];
  describe(j, got, sizeof got);
  if (!json_is_array(j) || json_array_size(j) > 16)
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected an array of at most 16 province codes, got %s", got);
  *n = 0;
  size_t i;
  json_t *e;
  json_array_foreach(j, i, e) {
    p->seg[p->n++] = (struct strife__seg){NULL, i};
    describe(e, got, sizeof got);
    if (!json_is_string(e) || json_string_length(e) < 5 ||
        json_string_length(e) > 6 ||
        strncmp(json_string_value(e), "AF-", 3) != 0)
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "expected a province code such as \"AF-KAB\", got %s", got);
    snprintf(code[(*n)++], 8, "%s", json_string_value(e));
    p->n--;
  }
  return STRIFE_OK;
}

/* The members of a policy change, by lever, and the keys whose choices
   they take. */
static const char *const lever_field[STRIFE__LEVERS] = {
    "policy", "us", "china_development", "pakistan_strikes"};
const char *const strife__lever_keys[STRIFE__LEVERS] = {
    "policy", "foreign.us", "foreign.china_development",
    "foreign.pakistan_strikes"};

/* An array of {"date": "YYYY-MM-DD", and at least one of "policy", "us",
   "china_development", "pakistan_strikes"}, dates rising. */
static int check_policies(const struct strife_scenario *sc, strife_diag *diag,
                          struct path *p, json_t *j,
                          struct strife__policy_changes *out) {
  static const char known[] =
      "date, policy, us, china_development, pakistan_strikes";
  char got[96];
  describe(j, got, sizeof got);
  if (!json_is_array(j) || json_array_size(j) > STRIFE__POLICY_CHANGES_MAX)
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected an array of at most %d {\"date\": ..., \"policy\": "
                "...} objects, got %s",
                STRIFE__POLICY_CHANGES_MAX, got);
  out->n = 0;
  size_t i;
  json_t *e;
  json_array_foreach(j, i, e) {
    p->seg[p->n++] = (struct strife__seg){NULL, i};
    describe(e, got, sizeof got);
    if (!json_is_object(e))
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "expected an object {\"date\": ..., \"policy\": ...}, got %s",
                  got);
    const char *name;
    json_t *m;
    int levers = 0;
    json_object_foreach(e, name, m) {
      int f = 0;
      while (f < STRIFE__LEVERS && strcmp(name, lever_field[f]) != 0)
        f++;
      levers += f < STRIFE__LEVERS;
      if (f == STRIFE__LEVERS && strcmp(name, "date") != 0) {
        p->seg[p->n++] = (struct strife__seg){name, 0};
        return fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                    "unknown key (known here: %s)", known);
      }
    }
    if (!json_object_get(e, "date") || !levers)
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "expected a \"date\" and at least one of policy, us, "
                  "china_development, pakistan_strikes");
    struct strife__policy_change *c = &out->c[out->n];
    p->seg[p->n++] = (struct strife__seg){"date", 0};
    int rc = check_date(sc, diag, p, json_object_get(e, "date"), &c->day);
    if (!rc && out->n && c->day <= out->c[out->n - 1].day)
      rc = fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected a date after the previous change's");
    for (int f = 0; f < STRIFE__LEVERS && !rc; f++) {
      c->lever[f] = -1;
      json_t *v = json_object_get(e, lever_field[f]);
      if (!v) continue;
      p->seg[p->n - 1] = (struct strife__seg){lever_field[f], 0};
      rc = check_enum(sc, diag, p, v, strife__key_find(strife__lever_keys[f]),
                      &c->lever[f]);
    }
    if (rc) return rc;
    p->n -= 2;
    out->n++;
  }
  return STRIFE_OK;
}

/* The name of the scenario's model. */
static const char *model_name(const struct strife_scenario *sc) {
  return sc->v.model == 1 ? "afghan" : "epstein";
}

/* ------------------------------------------------------------------ */
/* Calibration: free parameters and targets                           */
/* ------------------------------------------------------------------ */

/* The prior's names, as an enum key for check_enum and the canonical
   text. */
static const struct strife__key prior_key = {
    .path = "prior",
    .type = STRIFE__K_ENUM,
    .choices = "uniform|log-uniform|normal",
    .range = "uniform|log-uniform|normal",
    .unit = "",
    .doc = "",
    .model = ""};

/* Member 'name' of entry 'j' at path 'p' (which it extends): NULL when
   absent, else its value with the path pointing at it. */
static json_t *member(json_t *j, struct path *p, const char *name) {
  json_t *m = json_object_get(j, name);
  if (m) p->seg[p->n++] = (struct strife__seg){name, 0};
  return m;
}

/* Every member of object 'j' one of 'known' ("a|b|c"). */
static int only_members(const struct strife_scenario *sc, strife_diag *diag,
                        struct path *p, json_t *j, const char *known) {
  const char *name;
  json_t *m;
  json_object_foreach(j, name, m) {
    size_t n = strlen(name);
    const char *c = known;
    int ok = 0;
    while (*c && !ok) {
      size_t len = strcspn(c, "|");
      ok = len == n && strncmp(c, name, n) == 0;
      c += len + (c[len] == '|');
    }
    if (!ok) {
      p->seg[p->n++] = (struct strife__seg){name, 0};
      return fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                  "unknown member (known here: %s)", known);
    }
  }
  return STRIFE_OK;
}

/* A string member of at most size - 1 characters, required. */
static int string_member(const struct strife_scenario *sc, strife_diag *diag,
                         struct path *p, json_t *j, const char *name, char *out,
                         size_t size) {
  size_t n0 = p->n;
  json_t *m = member(j, p, name);
  if (!m) return fail(sc, diag, p, 0, STRIFE_ESCENARIO, "needs \"%s\"", name);
  char got[96];
  describe(m, got, sizeof got);
  if (!json_is_string(m) || json_string_length(m) == 0 ||
      json_string_length(m) >= size ||
      strlen(json_string_value(m)) != json_string_length(m))
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected a string of 1 to %zu characters, got %s", size - 1,
                got);
  memcpy(out, json_string_value(m), json_string_length(m) + 1);
  p->n = n0;
  return STRIFE_OK;
}

/* A number member in [min, max], required unless 'opt' (then *out is
   untouched when absent). */
static int number_member(const struct strife_scenario *sc, strife_diag *diag,
                         struct path *p, json_t *j, const char *name,
                         double min, double max, int opt, double *out) {
  size_t n0 = p->n;
  json_t *m = member(j, p, name);
  if (!m && opt) return STRIFE_OK;
  if (!m) return fail(sc, diag, p, 0, STRIFE_ESCENARIO, "needs \"%s\"", name);
  int rc = check_number(sc, diag, p, m, min, max, out);
  p->n = n0;
  return rc;
}

/* The array at 'p' with at most 'max' objects; their count in *n. */
static int object_array(const struct strife_scenario *sc, strife_diag *diag,
                        const struct path *p, json_t *j, size_t max,
                        const char *what, int *n) {
  char got[96];
  describe(j, got, sizeof got);
  if (!json_is_array(j) || json_array_size(j) > max)
    return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected an array of at most %zu %s, got %s", max, what, got);
  for (size_t i = 0; i < json_array_size(j); i++)
    if (!json_is_object(json_array_get(j, i))) {
      struct path q = *p;
      q.seg[q.n++] = (struct strife__seg){NULL, i};
      describe(json_array_get(j, i), got, sizeof got);
      return fail(sc, diag, &q, 0, STRIFE_ESCENARIO,
                  "expected an object, got %s", got);
    }
  *n = (int)json_array_size(j);
  return STRIFE_OK;
}

static int check_free(struct strife_scenario *sc, strife_diag *diag,
                      struct path *p, json_t *j) {
  struct strife__calibration *cal = &sc->cal;
  int rc = object_array(sc, diag, p, j, STRIFE__FREE_MAX, "free parameters",
                        &cal->n_free);
  const size_t n0 = p->n;
  for (int i = 0; i < cal->n_free && !rc; i++) {
    json_t *e = json_array_get(j, (size_t)i);
    struct strife__free *f = &cal->free[i];
    memset(f, 0, sizeof *f);
    p->n = n0;
    p->seg[p->n++] = (struct strife__seg){NULL, (size_t)i};
    const size_t n1 = p->n;
    rc = only_members(sc, diag, p, e, "key|prior|lo|hi|mean|sd|source");
    if (!rc) rc = string_member(sc, diag, p, e, "key", f->key, sizeof f->key);
    const struct strife__key *k = rc ? NULL : strife__key_find(f->key);
    if (!rc && (!k ||
                (k->type != STRIFE__K_REAL && k->type != STRIFE__K_INT &&
                 k->type != STRIFE__K_U32 && k->type != STRIFE__K_I64) ||
                (k->model[0] && strcmp(k->model, model_name(sc)) != 0) ||
                strcmp(f->key, "run.seed") == 0)) {
      member(e, p, "key");
      rc = fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected a numeric key of the %s model (strife help "
                "scenario lists them), got \"%s\"",
                model_name(sc), f->key);
    }
    for (int q = 0; q < i && !rc; q++)
      if (strcmp(cal->free[q].key, f->key) == 0) {
        member(e, p, "key");
        rc =
            fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                 "\"%s\" is free twice (also calibration.free[%d])", f->key, q);
      }
    json_t *pr = rc ? NULL : member(e, p, "prior");
    if (pr) {
      int idx = 0;
      rc = check_enum(sc, diag, p, pr, &prior_key, &idx);
      f->prior = (enum strife__prior_name)idx;
      p->n = n1;
    }
    if (!rc)
      rc = number_member(sc, diag, p, e, "lo", k->min, k->max, 0, &f->lo);
    if (!rc)
      rc = number_member(sc, diag, p, e, "hi", k->min, k->max, 0, &f->hi);
    if (!rc && !(f->lo < f->hi)) {
      member(e, p, "hi");
      rc = fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected hi above lo (%g), got %g", f->lo, f->hi);
    }
    if (!rc && f->prior == STRIFE__PRIOR_NAME_LOG_UNIFORM && !(f->lo > 0)) {
      member(e, p, "lo");
      rc = fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "a log-uniform prior needs lo above 0, got %g", f->lo);
    }
    const int normal = f->prior == STRIFE__PRIOR_NAME_NORMAL;
    for (int m = 0; m < 2 && !rc; m++) {
      const char *name = m ? "sd" : "mean";
      if (!normal && json_object_get(e, name)) {
        member(e, p, name);
        rc = fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                  "only a normal prior takes \"%s\"", name);
      } else if (normal) {
        rc = m ? number_member(sc, diag, p, e, name, 0, HUGE_VAL, 0, &f->sd)
               : number_member(sc, diag, p, e, name, -HUGE_VAL, HUGE_VAL, 0,
                               &f->mean);
        if (!rc && m && !(f->sd > 0)) {
          member(e, p, "sd");
          rc = fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                    "expected a standard deviation above 0, got %g", f->sd);
        }
      }
    }
    if (!rc)
      rc = string_member(sc, diag, p, e, "source", f->source, sizeof f->source);
  }
  p->n = n0;
  return rc;
}

static int check_targets(struct strife_scenario *sc, strife_diag *diag,
                         struct path *p, json_t *j) {
  struct strife__calibration *cal = &sc->cal;
  int rc = object_array(sc, diag, p, j, STRIFE__TARGETS_MAX, "targets",
                        &cal->n_targets);
  const size_t n0 = p->n;
  for (int i = 0; i < cal->n_targets && !rc; i++) {
    json_t *e = json_array_get(j, (size_t)i);
    struct strife__target *t = &cal->target[i];
    memset(t, 0, sizeof *t);
    p->n = n0;
    p->seg[p->n++] = (struct strife__seg){NULL, (size_t)i};
    rc = only_members(sc, diag, p, e, "outcome|value|scale|source");
    if (!rc)
      rc = string_member(sc, diag, p, e, "outcome", t->outcome,
                         sizeof t->outcome);
    for (int q = 0; q < i && !rc; q++)
      if (strcmp(cal->target[q].outcome, t->outcome) == 0) {
        member(e, p, "outcome");
        rc = fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "\"%s\" is a target twice (also calibration.targets[%d])",
                  t->outcome, q);
      }
    if (!rc)
      rc = number_member(sc, diag, p, e, "value", -HUGE_VAL, HUGE_VAL, 0,
                         &t->value);
    if (!rc)
      rc = number_member(sc, diag, p, e, "scale", 0, HUGE_VAL, 0, &t->scale);
    if (!rc && !(t->scale > 0)) {
      member(e, p, "scale");
      rc = fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                "expected a scale above 0, got %g", t->scale);
    }
    if (!rc)
      rc = string_member(sc, diag, p, e, "source", t->source, sizeof t->source);
    if (!rc) {
      /* Where the outcome's name is, for an error found later (an unknown
         outcome is caught by strife calibrate, which knows them). */
      size_t n1 = p->n;
      member(e, p, "outcome");
      char key[160];
      path_text(p, key, sizeof key);
      if (!from_override(sc, key))
        strife__locate(sc->text, sc->len, p->seg, p->n, 0, &t->line, &t->col);
      p->n = n1;
    }
  }
  p->n = n0;
  return rc;
}

/* Checks value 'j' of key 'k' at path 'p' and stores it. */
static int take_value(struct strife_scenario *sc, strife_diag *diag,
                      struct path *p, const struct strife__key *k, json_t *j) {
  char *base = (char *)&sc->v;
  int64_t i64 = 0;
  int rc = STRIFE_OK;
  char got[96];
  switch (k->type) {
  case STRIFE__K_STRING: {
    describe(j, got, sizeof got);
    if (!json_is_string(j))
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO, "expected a string, got %s",
                  got);
    size_t n = json_string_length(j);
    if (strcmp(k->path, "name") == 0) {
      if (n == 0 || n >= sizeof sc->name || strlen(json_string_value(j)) != n)
        return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                    "expected a name of 1 to %zu characters without NUL",
                    sizeof sc->name - 1);
      memcpy(sc->name, json_string_value(j), n + 1);
    } else {
      if (n > 4096)
        return fail(sc, diag, p, 0, STRIFE_ELIMIT,
                    "expected at most 4096 characters, got %zu", n);
      free(sc->description);
      sc->description = strdup(json_string_value(j));
      if (!sc->description) return STRIFE_ENOMEM;
    }
    return STRIFE_OK;
  }
  case STRIFE__K_SOURCES:
    rc = check_sources(sc, diag, p, j);
    if (!rc) {
      json_decref(sc->sources);
      sc->sources = json_deep_copy(j);
      if (!sc->sources) return STRIFE_ENOMEM;
    }
    return rc;
  case STRIFE__K_I64:
    rc = check_integer(sc, diag, p, j, k, &i64);
    if (!rc) *(int64_t *)(base + k->offset) = i64;
    if (!rc && p->n > 0 && k->offset == offsetof(struct strife__values, ticks))
      sc->v.ticks_given = 1;
    return rc;
  case STRIFE__K_U32:
    rc = check_integer(sc, diag, p, j, k, &i64);
    if (!rc) *(uint32_t *)(base + k->offset) = (uint32_t)i64;
    return rc;
  case STRIFE__K_INT:
    rc = check_integer(sc, diag, p, j, k, &i64);
    if (!rc) *(int *)(base + k->offset) = (int)i64;
    return rc;
  case STRIFE__K_REAL:
    return check_number(sc, diag, p, j, k->min, k->max,
                        (double *)(base + k->offset));
  case STRIFE__K_BOOL:
    describe(j, got, sizeof got);
    if (!json_is_boolean(j))
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "expected true or false, got %s", got);
    *(int *)(base + k->offset) = json_is_true(j);
    return STRIFE_OK;
  case STRIFE__K_ENUM:
    return check_enum(sc, diag, p, j, k, (int *)(base + k->offset));
  case STRIFE__K_DATE:
    return check_date(sc, diag, p, j, (int64_t *)(base + k->offset));
  case STRIFE__K_PATH:
    describe(j, got, sizeof got);
    if (!json_is_string(j) || json_string_length(j) == 0 ||
        json_string_length(j) >= sizeof sc->v.af.provinces ||
        strlen(json_string_value(j)) != json_string_length(j))
      return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                  "expected a file path of 1 to %zu characters, got %s",
                  sizeof sc->v.af.provinces - 1, got);
    snprintf(base + k->offset, sizeof sc->v.af.provinces, "%s",
             json_string_value(j));
    sc->provinces_from_set = p->n > 0 && from_override(sc, k->path);
    return STRIFE_OK;
  case STRIFE__K_CODES:
    return check_codes(sc, diag, p, j, &sc->v.af.st.stronghold_codes.n,
                       sc->v.af.st.stronghold_codes.code);
  case STRIFE__K_POLICIES:
    return check_policies(sc, diag, p, j,
                          (struct strife__policy_changes *)(base + k->offset));
  case STRIFE__K_FREE:
    return check_free(sc, diag, p, j);
  case STRIFE__K_TARGETS:
    return check_targets(sc, diag, p, j);
  case STRIFE__K_SCHEDULE:
  default:
    return check_schedule(sc, diag, p, j, k,
                          (struct strife__schedule *)(base + k->offset));
  }
}

/* The distinct names one level below 'prefix' ("" for the top), joined
   with ", ", into 'buf'. */
static void known_children(const char *model, const char *prefix, char *buf,
                           size_t size) {
  size_t plen = strlen(prefix), used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < strife__n_keys; i++) {
    const char *kp = strife__keys[i].path;
    const char *km = strife__keys[i].model;
    if (km[0] && strcmp(km, model) != 0) continue;
    if (plen && (strncmp(kp, prefix, plen) != 0 || kp[plen] != '.')) continue;
    const char *rest = plen ? kp + plen + 1 : kp;
    int len = (int)strcspn(rest, ".");
    int dup = 0;
    for (size_t j = 0; j < i && !dup; j++) {
      const char *q = strife__keys[j].path;
      const char *qm = strife__keys[j].model;
      if (qm[0] && strcmp(qm, model) != 0) continue;
      if (plen && (strncmp(q, prefix, plen) != 0 || q[plen] != '.')) continue;
      const char *qr = plen ? q + plen + 1 : q;
      dup = (int)strcspn(qr, ".") == len && strncmp(qr, rest, (size_t)len) == 0;
    }
    if (dup) continue;
    int w = snprintf(buf + used, size - used, "%s%.*s", used ? ", " : "", len,
                     rest);
    if (w < 0 || (size_t)w >= size - used) break;
    used += (size_t)w;
  }
}

/* Walks object 'obj' at path 'p' (dotted prefix 'prefix'), checking every
   member. */
static int walk(struct strife_scenario *sc, strife_diag *diag, struct path *p,
                const char *prefix, json_t *obj) {
  const char *name;
  json_t *m;
  json_object_foreach(obj, name, m) {
    char full[160];
    int w =
        snprintf(full, sizeof full, "%s%s%s", prefix, *prefix ? "." : "", name);
    p->seg[p->n++] = (struct strife__seg){name, 0};
    const struct strife__key *k =
        w > 0 && (size_t)w < sizeof full ? strife__key_find(full) : NULL;
    int rc;
    if (k && k->model[0] && strcmp(k->model, model_name(sc)) != 0) {
      return fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                  "a key of the %s model, and this scenario's model is %s",
                  k->model, model_name(sc));
    } else if (k) {
      rc = take_value(sc, diag, p, k, m);
    } else if (p->n < 3 && strife__key_is_group(full)) {
      if (!json_is_object(m)) {
        char got[96];
        describe(m, got, sizeof got);
        return fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                    "expected an object of \"%s.*\" keys, got %s", full, got);
      }
      rc = walk(sc, diag, p, full, m);
    } else {
      char known[512];
      known_children(model_name(sc), prefix, known, sizeof known);
      return fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                  "unknown key (known here: %s)", known);
    }
    if (rc) return rc;
    p->n--;
  }
  return STRIFE_OK;
}

/* ------------------------------------------------------------------ */
/* Overrides                                                          */
/* ------------------------------------------------------------------ */

static int set_fail(strife_diag *diag, const char *key, int col, int code,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int set_fail(strife_diag *diag, const char *key, int col, int code,
                    const char *fmt, ...) {
  if (!diag) return code;
  strife_diag_clear(diag);
  snprintf(diag->source, sizeof diag->source, "--set");
  snprintf(diag->key, sizeof diag->key, "%s", key);
  if (col > 0) {
    diag->line = 1;
    diag->column = col;
  }
  va_list ap;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above */
  vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
  va_end(ap);
  return code;
}

static int is_bare_word(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!(((*s | 32) >= 'a' && (*s | 32) <= 'z') || (*s >= '0' && *s <= '9') ||
          *s == '-' || *s == '_' || *s == '.' || *s == '/' || *s == ':'))
      return 0;
  return 1;
}

/* Applies "KEY=VALUE" to the document 'root'. */
static int apply_set(struct strife_scenario *sc, json_t *root, const char *set,
                     strife_diag *diag) {
  const char *eq = strchr(set, '=');
  if (!eq || eq == set)
    return set_fail(diag, "", 0, STRIFE_ESYNTAX,
                    "expected KEY=VALUE, got \"%.80s\"", set);
  char key[128];
  size_t klen = (size_t)(eq - set);
  if (klen >= sizeof key)
    return set_fail(diag, "", 0, STRIFE_ESYNTAX, "key too long");
  memcpy(key, set, klen);
  key[klen] = '\0';
  /* The foreign levers by the names users say them. */
  static const char *const alias[][2] = {
      {"us", "foreign.us"},
      {"china-development", "foreign.china_development"},
      {"pakistan-strikes", "foreign.pakistan_strikes"}};
  for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
    if (strcmp(key, alias[i][0]) == 0)
      snprintf(key, sizeof key, "%s", alias[i][1]);
  const struct strife__key *k = strife__key_find(key);
  if (!k || k->type == STRIFE__K_SOURCES)
    return set_fail(diag, key, 0, STRIFE_ESCENARIO,
                    "unknown key (strife help scenario lists them)");
  const char *text = eq + 1;
  json_error_t err;
  json_t *value =
      json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
  if (!value) {
    if (!is_bare_word(text))
      return set_fail(diag, key, (int)klen + 1 + err.column, STRIFE_ESYNTAX,
                      "value is not valid JSON: %s", err.text);
    value = json_string(text);
    if (!value) return STRIFE_ENOMEM;
  }
  /* Walk down, creating objects. */
  char buf[128];
  struct path p;
  path_of_key(key, buf, sizeof buf, &p);
  json_t *obj = root;
  for (size_t i = 0; i + 1 < p.n; i++) {
    json_t *next = json_object_get(obj, p.seg[i].name);
    if (!next) {
      next = json_object();
      if (!next || json_object_set_new(obj, p.seg[i].name, next)) {
        json_decref(value);
        return STRIFE_ENOMEM;
      }
    } else if (!json_is_object(next)) {
      json_decref(value);
      return set_fail(diag, key, 0, STRIFE_ESCENARIO,
                      "\"%s\" in the scenario is not an object", p.seg[i].name);
    }
    obj = next;
  }
  if (json_object_set_new(obj, p.seg[p.n - 1].name, value))
    return STRIFE_ENOMEM;
  if (sc->n_set >= MAX_SETS)
    return set_fail(diag, key, 0, STRIFE_ELIMIT, "more than %d overrides",
                    MAX_SETS);
  sc->set_paths[sc->n_set] = strdup(key);
  if (!sc->set_paths[sc->n_set]) return STRIFE_ENOMEM;
  sc->n_set++;
  return STRIFE_OK;
}

/* ------------------------------------------------------------------ */
/* Cross-key checks                                                   */
/* ------------------------------------------------------------------ */

/* The Afghan model's cross-key checks; reads the province table. */
static int check_afghan(struct strife_scenario *sc, strife_diag *diag) {
  struct strife__afghan_params *af = &sc->v.af;
  struct strife__strat_params *st = &af->st;
  char msg[256];
  if (st->end < st->start) {
    static const char *const keys[] = {"run.end", "run.start"};
    return fail_key(sc, diag, keys, 2, STRIFE_ESCENARIO,
                    "expected run.end on or after run.start");
  }
  int64_t days = st->end - st->start + 1;
  if (days > 36600) {
    static const char *const keys[] = {"run.end", "run.start"};
    return fail_key(sc, diag, keys, 2, STRIFE_ELIMIT,
                    "expected a run of at most 36600 days (100 years)");
  }
  sc->v.ticks = sc->v.ticks_given && sc->v.ticks < days ? sc->v.ticks : days;
  for (int i = 0; i < st->changes.n; i++) {
    if (st->changes.c[i].day > st->start && st->changes.c[i].day <= st->end)
      continue;
    struct path p = {.n = 0};
    p.seg[p.n++] = (struct strife__seg){"policy_changes", 0};
    p.seg[p.n++] = (struct strife__seg){NULL, (size_t)i};
    p.seg[p.n++] = (struct strife__seg){"date", 0};
    return fail(sc, diag, &p, 0, STRIFE_ESCENARIO,
                "expected a date after run.start and up to run.end");
  }
  double share = 0;
  for (int t = 0; t < STRIFE__N_TARGETS; t++)
    share += st->target[t];
  if (fabs(share - 1.0) > 1e-9) {
    static const char *const keys[] = {
        "attacks.share_shia", "attacks.share_taliban", "attacks.share_foreign",
        "attacks.share_chinese"};
    snprintf(msg, sizeof msg,
             "the four attacks.share_* must sum to 1, got %.6g", share);
    return fail_key(sc, diag, keys, 4, STRIFE_ESCENARIO, msg);
  }
  /* The table: a relative path is relative to the scenario file, except
     one given with --set, which is relative to where strife runs. */
  const char *given = af->provinces;
  const char *slash = strrchr(sc->source, '/');
  if (given[0] == '/' || sc->provinces_from_set || !slash)
    snprintf(af->provinces_path, sizeof af->provinces_path, "%s", given);
  else if ((size_t)(slash - sc->source) + 1 + strlen(given) >=
           sizeof af->provinces_path)
    return fail_key(sc, diag, (const char *const[]){"data.provinces"}, 1,
                    STRIFE_ELIMIT, "the resolved path is too long");
  else {
    /* The scenario's directory, a slash, the path given (lengths checked
       above). */
    size_t dir = (size_t)(slash - sc->source) + 1, n = strlen(given);
    memcpy(af->provinces_path, sc->source, dir);
    memcpy(af->provinces_path + dir, given, n + 1);
  }
  /* The complete scenario (scenario.json) names the table by its absolute
     path, so that it runs again from wherever it is copied to. */
  char *abs = realpath(af->provinces_path, NULL);
  if (abs && strlen(abs) < sizeof af->provinces)
    snprintf(af->provinces, sizeof af->provinces, "%s", abs);
  free(abs);
  struct strife__provinces *prov = &af->prov;
  int rc = strife__provinces_load(af->provinces_path, prov, diag);
  if (rc == STRIFE_EIO) {
    /* Not the table's fault: the key that names it. */
    snprintf(msg, sizeof msg, "province table %.120s: %.100s",
             af->provinces_path, diag ? diag->msg : "");
    rc = fail_key(sc, diag, (const char *const[]){"data.provinces"}, 1,
                  STRIFE_ESCENARIO, msg);
  }
  if (!rc) {
    st->strongholds = 0;
    for (int i = 0; i < st->stronghold_codes.n && !rc; i++) {
      int at = strife__province_find(prov, st->stronghold_codes.code[i]);
      if (at >= 0) {
        st->strongholds |= UINT64_C(1) << at;
        continue;
      }
      struct path p = {.n = 0};
      p.seg[p.n++] = (struct strife__seg){"isk", 0};
      p.seg[p.n++] = (struct strife__seg){"strongholds", 0};
      p.seg[p.n++] = (struct strife__seg){NULL, (size_t)i};
      rc = fail(sc, diag, &p, 0, STRIFE_ESCENARIO,
                "expected a province of %s, got \"%s\"", af->provinces_path,
                st->stronghold_codes.code[i]);
    }
  }
  return rc;
}

static int check_whole(struct strife_scenario *sc, strife_diag *diag) {
  if (sc->v.model == 1) return check_afghan(sc, diag);
  const struct strife__epstein_params *ep = &sc->v.ep;
  char msg[256];
  uint64_t cells = (uint64_t)ep->width * ep->height;
  if (cells > STRIFE__CELLS_MAX) {
    static const char *const keys[] = {"lattice.width", "lattice.height"};
    snprintf(msg, sizeof msg,
             "a %u x %u lattice has %llu cells, more than the limit of %lu",
             ep->width, ep->height, (unsigned long long)cells,
             (unsigned long)STRIFE__CELLS_MAX);
    return fail_key(sc, diag, keys, 2, STRIFE_ELIMIT, msg);
  }
  uint32_t side = ep->width < ep->height ? ep->width : ep->height;
  const char *vkeys[2] = {"citizens.vision", "cops.vision"};
  int vis[2] = {ep->citizen_vision, ep->cop_vision};
  for (int i = 0; i < 2; i++) {
    if (2u * (uint32_t)vis[i] + 1u > side) {
      const char *const keys[] = {vkeys[i], "lattice.width", "lattice.height"};
      snprintf(msg, sizeof msg,
               "vision %d needs a lattice of at least %d x %d cells "
               "(2 v + 1, so that a neighbourhood does not wrap onto itself), "
               "got %u x %u",
               vis[i], 2 * vis[i] + 1, 2 * vis[i] + 1, ep->width, ep->height);
      return fail_key(sc, diag, keys, 3, STRIFE_ESCENARIO, msg);
    }
  }
  if (ep->update == STRIFE__UPDATE_PARALLEL &&
      (ep->jailed != STRIFE__JAILED_STAYS_BLOCKING ||
       ep->cop_after != STRIFE__COP_STAYS)) {
    static const char *const keys[] = {"run.update", "variant.jailed",
                                       "variant.cop_after_arrest"};
    return fail_key(sc, diag, keys, 3, STRIFE_ESCENARIO,
                    "the parallel update keeps every agent in its own cell: "
                    "it needs variant.jailed = \"stays-blocking\" and "
                    "variant.cop_after_arrest = \"stay\" (as in "
                    "scenarios/epstein-mesa.json)");
  }
  double d = ep->citizen_density + ep->cop_density.initial;
  if (d > 1.0 + 1e-12) {
    static const char *const keys[] = {"cops.density", "citizens.density"};
    snprintf(msg, sizeof msg,
             "citizens.density + cops.density must be at most 1 (one agent "
             "per cell), got %g + %g",
             ep->citizen_density, ep->cop_density.initial);
    return fail_key(sc, diag, keys, 2, STRIFE_ESCENARIO, msg);
  }
  return STRIFE_OK;
}

/* ------------------------------------------------------------------ */
/* Canonical text and hash                                            */
/* ------------------------------------------------------------------ */

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

static json_t *value_json(const struct strife_scenario *sc,
                          const struct strife__key *k) {
  const char *base = (const char *)&sc->v;
  switch (k->type) {
  case STRIFE__K_I64:
    return json_integer(*(const int64_t *)(base + k->offset));
  case STRIFE__K_U32:
    return json_integer(*(const uint32_t *)(base + k->offset));
  case STRIFE__K_INT:
    return json_integer(*(const int *)(base + k->offset));
  case STRIFE__K_REAL:
    return json_real(*(const double *)(base + k->offset));
  case STRIFE__K_BOOL:
    return json_boolean(*(const int *)(base + k->offset));
  case STRIFE__K_ENUM:
    return choice_json(k, *(const int *)(base + k->offset));
  case STRIFE__K_SCHEDULE:
    return schedule_json((const struct strife__schedule *)(base + k->offset));
  case STRIFE__K_DATE: {
    char d[11];
    strife__date_text(*(const int64_t *)(base + k->offset), d);
    return json_string(d);
  }
  case STRIFE__K_PATH:
    return json_string(base + k->offset);
  case STRIFE__K_CODES: {
    json_t *a = json_array();
    for (int i = 0; i < sc->v.af.st.stronghold_codes.n; i++)
      json_array_append_new(a,
                            json_string(sc->v.af.st.stronghold_codes.code[i]));
    return a;
  }
  case STRIFE__K_FREE: {
    json_t *a = json_array();
    for (int i = 0; i < sc->cal.n_free; i++) {
      const struct strife__free *f = &sc->cal.free[i];
      size_t n;
      const char *c = strife__key_choice(&prior_key, (int)f->prior, &n);
      json_t *o = json_pack("{sss s#sfsf}", "key", f->key, "prior", c, (int)n,
                            "lo", f->lo, "hi", f->hi);
      if (o && f->prior == STRIFE__PRIOR_NAME_NORMAL) {
        json_object_set_new(o, "mean", json_real(f->mean));
        json_object_set_new(o, "sd", json_real(f->sd));
      }
      if (o) json_object_set_new(o, "source", json_string(f->source));
      json_array_append_new(a, o);
    }
    return a;
  }
  case STRIFE__K_TARGETS: {
    json_t *a = json_array();
    for (int i = 0; i < sc->cal.n_targets; i++) {
      const struct strife__target *t = &sc->cal.target[i];
      json_array_append_new(a, json_pack("{sssfsfss}", "outcome", t->outcome,
                                         "value", t->value, "scale", t->scale,
                                         "source", t->source));
    }
    return a;
  }
  case STRIFE__K_POLICIES: {
    const struct strife__policy_changes *pc =
        (const struct strife__policy_changes *)(base + k->offset);
    json_t *a = json_array();
    for (int i = 0; i < pc->n; i++) {
      char d[11];
      strife__date_text(pc->c[i].day, d);
      json_t *o = json_pack("{ss}", "date", d);
      for (int f = 0; f < STRIFE__LEVERS; f++) {
        if (pc->c[i].lever[f] < 0) continue;
        json_object_set_new(o, lever_field[f],
                            choice_json(strife__key_find(strife__lever_keys[f]),
                                        pc->c[i].lever[f]));
      }
      json_array_append_new(a, o);
    }
    return a;
  }
  default:
    return NULL;
  }
}

/* The sources of the scenario as run: the file's, except that a value
   set on the command line says so, and an Afghan run's length says where
   it comes from when no one gave it. */
static json_t *sources_as_run(const struct strife_scenario *sc) {
  json_t *s = json_deep_copy(sc->sources);
  if (!s) return NULL;
  for (size_t i = 0; i < sc->n_set; i++)
    json_object_set_new(s, sc->set_paths[i],
                        json_string("set on the command line (--set)"));
  if (sc->v.model == 1 && !sc->v.ticks_given &&
      !json_object_get(s, "run.ticks"))
    json_object_set_new(s, "run.ticks",
                        json_string("the days from run.start to run.end"));
  return s;
}

/* The complete scenario as a JSON object; 'full' adds name, description,
   sources and run.seed, which do not change what is simulated. */
static json_t *canonical(const struct strife_scenario *sc, int full) {
  json_t *root = json_object();
  for (size_t i = 0; i < strife__n_keys; i++) {
    const struct strife__key *k = &strife__keys[i];
    json_t *val;
    if (k->model[0] && strcmp(k->model, model_name(sc)) != 0) continue;
    if (k->type == STRIFE__K_PATH && !full) {
      /* The hash takes the file's contents instead of its path. */
      char hex[17];
      snprintf(hex, sizeof hex, "%016llx",
               (unsigned long long)sc->v.af.prov.hash);
      json_object_set_new(root, "data.provinces.fnv1a64", json_string(hex));
      continue;
    }
    if ((k->type == STRIFE__K_FREE || k->type == STRIFE__K_TARGETS) && !full)
      continue; /* what calibrate fits is not what is simulated */
    if (k->type == STRIFE__K_STRING || k->type == STRIFE__K_SOURCES) {
      if (!full) continue;
      val = strcmp(k->path, "name") == 0 ? json_string(sc->name)
            : strcmp(k->path, "description") == 0
                ? json_string(sc->description ? sc->description : "")
                : sources_as_run(sc);
    } else {
      if (!full && strcmp(k->path, "run.seed") == 0) continue;
      val = value_json(sc, k);
    }
    char buf[128];
    struct path p;
    path_of_key(k->path, buf, sizeof buf, &p);
    json_t *obj = root;
    for (size_t s = 0; s + 1 < p.n; s++) {
      json_t *next = json_object_get(obj, p.seg[s].name);
      if (!next) {
        next = json_object();
        json_object_set_new(obj, p.seg[s].name, next);
      }
      obj = next;
    }
    json_object_set_new(obj, p.seg[p.n - 1].name, val);
  }
  return root;
}

static uint64_t fnv1a64(const char *s) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

/* ------------------------------------------------------------------ */
/* Loading                                                            */
/* ------------------------------------------------------------------ */

void strife_scenario_destroy(strife_scenario *sc) {
  if (!sc) return;
  free(sc->text);
  free(sc->description);
  json_decref(sc->sources);
  free(sc->json);
  for (size_t i = 0; i < sc->n_set; i++)
    free(sc->set_paths[i]);
  free(sc);
}

static void base_name(const char *path, char *out, size_t size) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t n = strcspn(b, ".");
  if (n == 0) n = strlen(b);
  snprintf(out, size, "%.*s", (int)n, b);
}

enum { JSON_FLAGS = JSON_REJECT_DUPLICATES };

int strife_scenario_parse(const char *text, size_t len, const char *name,
                          const char *const *sets, size_t n_sets,
                          strife_scenario **out, strife_diag *diag) {
  strife_diag_clear(diag);
  if (len > STRIFE_SCENARIO_MAX_BYTES) {
    if (diag) {
      snprintf(diag->source, sizeof diag->source, "%s", name);
      snprintf(diag->msg, sizeof diag->msg,
               "file is %zu bytes, larger than the limit of %u", len,
               STRIFE_SCENARIO_MAX_BYTES);
    }
    return STRIFE_ELIMIT;
  }
  strife_scenario *sc = calloc(1, sizeof *sc);
  if (!sc) return STRIFE_ENOMEM;
  sc->text = malloc(len + 1);
  if (!sc->text) {
    free(sc);
    return STRIFE_ENOMEM;
  }
  memcpy(sc->text, text, len);
  sc->text[len] = '\0';
  sc->len = len;
  snprintf(sc->source, sizeof sc->source, "%s", name);
  base_name(name, sc->name, sizeof sc->name);

  /* A binary file gets a plainer word than jansson's. */
  for (size_t i = 0; i < len; i++) {
    unsigned char b = (unsigned char)sc->text[i];
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
      if (diag) {
        int line = 1;
        size_t start = 0;
        for (size_t j = 0; j < i; j++)
          if (sc->text[j] == '\n') {
            line++;
            start = j + 1;
          }
        snprintf(diag->source, sizeof diag->source, "%s", name);
        diag->line = line;
        diag->column = (int)(i - start) + 1;
        snprintf(diag->msg, sizeof diag->msg,
                 "not a text file: control byte 0x%02x (expected a JSON "
                 "scenario)",
                 b);
      }
      strife_scenario_destroy(sc);
      return STRIFE_ESYNTAX;
    }
  }
  json_error_t err;
  json_t *root = json_loadb(sc->text, len, JSON_FLAGS, &err);
  int rc = STRIFE_OK;
  if (!root) {
    if (diag) {
      snprintf(diag->source, sizeof diag->source, "%s", name);
      diag->line = err.line > 0 ? err.line : 1;
      diag->column = err.column > 0 ? err.column : 1;
      strife__key_at(sc->text, len,
                     (size_t)(err.position > 0 ? err.position : 0), diag->key,
                     sizeof diag->key);
      snprintf(diag->msg, sizeof diag->msg, "malformed JSON: %s", err.text);
    }
    strife_scenario_destroy(sc);
    return STRIFE_ESYNTAX;
  }
  if (!json_is_object(root)) {
    struct path p = {.n = 0};
    rc = fail(sc, diag, &p, 0, STRIFE_ESCENARIO,
              "expected a JSON object at the top level");
    if (diag) {
      diag->line = 1;
      diag->column = 1;
    }
    goto done;
  }
  if (n_sets > MAX_SETS) {
    rc = set_fail(diag, "", 0, STRIFE_ELIMIT, "more than %d overrides",
                  MAX_SETS);
    goto done;
  }
  for (size_t i = 0; i < n_sets && !rc; i++)
    rc = apply_set(sc, root, sets[i], diag);
  if (rc) goto done;

  /* Defaults first, then the document's values over them. */
  for (size_t i = 0; i < strife__n_keys && !rc; i++) {
    const struct strife__key *k = &strife__keys[i];
    if (!k->deflt || k->type == STRIFE__K_STRING ||
        k->type == STRIFE__K_SOURCES)
      continue;
    json_t *d = json_loads(k->deflt, JSON_DECODE_ANY, NULL);
    struct path p = {.n = 0};
    rc = d ? take_value(sc, diag, &p, k, d) : STRIFE_ENOMEM;
    json_decref(d);
  }
  /* The model first, so that keys of another model are told apart. */
  json_t *model = json_object_get(root, "model");
  if (!rc && model) {
    struct path p = {.n = 0};
    p.seg[p.n++] = (struct strife__seg){"model", 0};
    rc = check_enum(sc, diag, &p, model, strife__key_find("model"),
                    &sc->v.model);
  }
  if (!rc) {
    struct path p = {.n = 0};
    rc = walk(sc, diag, &p, "", root);
  }
  if (!rc) rc = check_whole(sc, diag);
  if (!rc) {
    json_t *c = canonical(sc, 1);
    json_t *h = canonical(sc, 0);
    size_t flags = JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(17);
    sc->json = c ? json_dumps(c, flags) : NULL;
    char *htext = h ? json_dumps(h, flags) : NULL;
    if (!sc->json || !htext)
      rc = STRIFE_ENOMEM;
    else
      snprintf(sc->hash, sizeof sc->hash, "fnv1a64:%016llx",
               (unsigned long long)fnv1a64(htext));
    free(htext);
    json_decref(c);
    json_decref(h);
  }
done:
  json_decref(root);
  if (rc) {
    strife_scenario_destroy(sc);
    return rc;
  }
  *out = sc;
  return STRIFE_OK;
}

int strife_scenario_load(const char *path, const char *const *sets,
                         size_t n_sets, strife_scenario **out,
                         strife_diag *diag) {
  strife_diag_clear(diag);
  FILE *f = fopen(path, "rb");
  if (!f) {
    if (diag) {
      snprintf(diag->source, sizeof diag->source, "%s", path);
      snprintf(diag->msg, sizeof diag->msg, "cannot open: %s", strerror(errno));
    }
    return STRIFE_EIO;
  }
  size_t cap = STRIFE_SCENARIO_MAX_BYTES + 1, len = 0;
  char *buf = malloc(cap);
  if (!buf) {
    fclose(f);
    return STRIFE_ENOMEM;
  }
  len = fread(buf, 1, cap, f);
  int bad = ferror(f);
  fclose(f);
  int rc;
  if (bad) {
    if (diag) {
      snprintf(diag->source, sizeof diag->source, "%s", path);
      snprintf(diag->msg, sizeof diag->msg, "cannot read (is it a directory?)");
    }
    rc = STRIFE_EIO;
  } else {
    rc = strife_scenario_parse(buf, len, path, sets, n_sets, out, diag);
  }
  free(buf);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Getters                                                            */
/* ------------------------------------------------------------------ */

const char *strife_scenario_name(const strife_scenario *sc) {
  return sc->name;
}

const char *strife_scenario_model(const strife_scenario *sc) {
  return model_name(sc);
}

int64_t strife_scenario_ticks(const strife_scenario *sc) {
  return sc->v.ticks;
}

uint64_t strife_scenario_seed(const strife_scenario *sc) {
  return (uint64_t)sc->v.seed;
}

const char *strife_scenario_json(const strife_scenario *sc) {
  return sc->json;
}

const char *strife_scenario_hash(const strife_scenario *sc) {
  return sc->hash;
}

/* Sets dotted 'key' of 'root' to 'v' (taken), creating objects. */
static int set_path(json_t *root, const char *key, json_t *v) {
  char buf[160];
  struct path p;
  path_of_key(key, buf, sizeof buf, &p);
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
  if (!obj) json_decref(v);
  return !obj || json_object_set_new(obj, p.seg[p.n - 1].name, v);
}

char *strife__scenario_edit(const strife_scenario *sc, const char *const *keys,
                            const double *values, const char *const *sources,
                            size_t n, const char *provinces) {
  json_t *root = json_loadb(sc->text, sc->len, JSON_FLAGS, NULL);
  int bad = !root;
  for (size_t i = 0; i < n && !bad; i++) {
    const struct strife__key *k = strife__key_find(keys[i]);
    json_t *v = k && k->type == STRIFE__K_REAL
                    ? json_real(values[i])
                    : json_integer((json_int_t)llround(values[i]));
    bad = set_path(root, keys[i], v);
    json_t *src = json_object_get(root, "sources");
    if (!bad && !src) {
      src = json_object();
      bad = json_object_set_new(root, "sources", src);
    }
    if (!bad) bad = json_object_set_new(src, keys[i], json_string(sources[i]));
  }
  if (!bad && provinces)
    bad = set_path(root, "data.provinces", json_string(provinces));
  char *text =
      bad ? NULL : json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
  json_decref(root);
  return text;
}

const struct strife__calibration *
strife__scenario_calibration(const strife_scenario *sc) {
  return &sc->cal;
}

const char *strife__scenario_source(const strife_scenario *sc) {
  return sc->source;
}

const char *strife__scenario_text(const strife_scenario *sc) {
  return sc->text;
}

const struct strife__values *
strife__scenario_values(const strife_scenario *sc) {
  return &sc->v;
}
