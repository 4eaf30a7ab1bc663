/* SPDX-License-Identifier: MIT */
/*
 * A scenario's calibration section (docs/calibration.md): the free
 * parameters strife calibrate fits, each a numeric key of the scenario's
 * model with its prior, and the targets it fits them to.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "parse.h"

static const char prior_choices[] = "uniform|log-uniform|normal";

/* Member 'name' of entry 'j' at path 'p' (which it extends): NULL when
   absent, else its value with the path pointing at it. */
static json_t *member(json_t *j, struct strife__path *p, const char *name) {
  json_t *m = json_object_get(j, name);
  if (m) strife__path_push(p, name, 0);
  return m;
}

/* Every member of object 'j' one of 'known' ("a|b|c"). */
static int known_members(const strife_scenario *sc, strife_diag *diag,
                         struct strife__path *p, json_t *j, const char *known) {
  char msg[160];
  snprintf(msg, sizeof msg, "unknown member (known here: %s)", known);
  return strife__scenario_members(sc, diag, p, j, known, msg);
}

/* A string member of at most size - 1 characters, required. */
static int string_member(const strife_scenario *sc, strife_diag *diag,
                         struct strife__path *p, json_t *j, const char *name,
                         char *out, size_t size) {
  size_t n0 = p->n;
  json_t *m = member(j, p, name);
  if (!m)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "needs \"%s\"", name);
  char got[96];
  strife__scenario_describe(m, got, sizeof got);
  if (!json_is_string(m) || json_string_length(m) == 0 ||
      json_string_length(m) >= size ||
      strlen(json_string_value(m)) != json_string_length(m))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a string of 1 to %zu characters, "
                                 "got %s",
                                 size - 1, got);
  memcpy(out, json_string_value(m), json_string_length(m) + 1);
  p->n = n0;
  return STRIFE_OK;
}

/* A number member in [min, max], required. */
static int number_member(const strife_scenario *sc, strife_diag *diag,
                         struct strife__path *p, json_t *j, const char *name,
                         double min, double max, double *out) {
  size_t n0 = p->n;
  json_t *m = member(j, p, name);
  if (!m)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "needs \"%s\"", name);
  int rc = strife__scenario_number(sc, diag, p, m, min, max, out);
  p->n = n0;
  return rc;
}

/* The array at 'p' with at most 'max' objects; their count in *n. */
static int object_array(const strife_scenario *sc, strife_diag *diag,
                        const struct strife__path *p, json_t *j, size_t max,
                        const char *what, int *n) {
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  if (!json_is_array(j) || json_array_size(j) > max)
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an array of at most %zu %s, got %s",
                                 max, what, got);
  for (size_t i = 0; i < json_array_size(j); i++)
    if (!json_is_object(json_array_get(j, i))) {
      struct strife__path q = *p;
      strife__path_push(&q, NULL, i);
      strife__scenario_describe(json_array_get(j, i), got, sizeof got);
      return strife__scenario_fail(sc, diag, &q, 0, STRIFE_ESCENARIO,
                                   "expected an object, got %s", got);
    }
  *n = (int)json_array_size(j);
  return STRIFE_OK;
}

/* A list of ranged keys: calibration.free or calibration.screen. */
struct ranged {
  struct strife__free *f;
  const char *name; /* "free", "screen" */
};

/* The key of entry 'i': a numeric key of the scenario's model (or its run
   length), in the list once. */
static int free_key(const strife_scenario *sc, strife_diag *diag,
                    struct strife__path *p, json_t *e, int i,
                    const struct ranged *list, const struct strife__key **out) {
  const struct strife__free *f = &list->f[i];
  const struct strife__key *k = strife__scenario_key(sc, f->key);
  if (!k || !strife__key_numeric(k) || strcmp(f->key, "run.seed") == 0) {
    member(e, p, "key");
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a numeric key of the %s model "
                                 "(strife help scenario lists them), got "
                                 "\"%s\"",
                                 sc->type->name, f->key);
  }
  for (int q = 0; q < i; q++)
    if (strcmp(list->f[q].key, f->key) == 0) {
      member(e, p, "key");
      return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                   "\"%s\" is in calibration.%s twice (also "
                                   "calibration.%s[%d])",
                                   f->key, list->name, list->name, q);
    }
  *out = k;
  return STRIFE_OK;
}

/* A normal prior's mean and sd; no other prior takes them. */
static int normal_members(const strife_scenario *sc, strife_diag *diag,
                          struct strife__path *p, json_t *e,
                          struct strife__free *f) {
  const int normal = f->prior == STRIFE__PRIOR_NAME_NORMAL;
  int rc = STRIFE_OK;
  for (int m = 0; m < 2 && !rc; m++) {
    const char *name = m ? "sd" : "mean";
    if (!normal && json_object_get(e, name)) {
      member(e, p, name);
      return strife__scenario_fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                                   "only a normal prior takes \"%s\"", name);
    }
    if (!normal) continue;
    rc = m ? number_member(sc, diag, p, e, name, 0, HUGE_VAL, &f->sd)
           : number_member(sc, diag, p, e, name, -HUGE_VAL, HUGE_VAL, &f->mean);
    if (!rc && m && !(f->sd > 0)) {
      member(e, p, "sd");
      return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                   "expected a standard deviation above 0, "
                                   "got %g",
                                   f->sd);
    }
  }
  return rc;
}

/* Entry 'i' of the list, 'e' at path 'p'. */
static int one_free(strife_scenario *sc, strife_diag *diag,
                    struct strife__path *p, json_t *e, int i,
                    const struct ranged *list) {
  struct strife__free *f = &list->f[i];
  memset(f, 0, sizeof *f);
  const size_t n1 = p->n;
  const struct strife__key *k = NULL;
  const int screen = strcmp(list->name, "screen") == 0;
  int rc = known_members(sc, diag, p, e,
                         screen ? "key|lo|hi|source"
                                : "key|prior|lo|hi|mean|sd|source");
  if (!rc) rc = string_member(sc, diag, p, e, "key", f->key, sizeof f->key);
  if (!rc) rc = free_key(sc, diag, p, e, i, list, &k);
  json_t *pr = rc ? NULL : member(e, p, "prior");
  if (pr) {
    int idx = 0;
    rc = strife__scenario_choice(sc, diag, p, pr, prior_choices, &idx);
    f->prior = (enum strife__prior_name)idx;
    p->n = n1;
  }
  if (!rc && k)
    rc = number_member(sc, diag, p, e, "lo", k->min, k->max, &f->lo);
  if (!rc && k)
    rc = number_member(sc, diag, p, e, "hi", k->min, k->max, &f->hi);
  if (!rc && !(f->lo < f->hi)) {
    member(e, p, "hi");
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected hi above lo (%g), got %g", f->lo,
                                 f->hi);
  }
  if (!rc && f->prior == STRIFE__PRIOR_NAME_LOG_UNIFORM && !(f->lo > 0)) {
    member(e, p, "lo");
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "a log-uniform prior needs lo above 0, got %g",
                                 f->lo);
  }
  if (!rc) rc = normal_members(sc, diag, p, e, f);
  if (!rc)
    rc = string_member(sc, diag, p, e, "source", f->source, sizeof f->source);
  return rc;
}

static int ranged_list(strife_scenario *sc, strife_diag *diag,
                       struct strife__path *p, json_t *j,
                       const struct ranged *list, size_t max, const char *what,
                       int *n) {
  int rc = object_array(sc, diag, p, j, max, what, n);
  const size_t n0 = p->n;
  for (int i = 0; i < *n && !rc; i++) {
    p->n = n0;
    strife__path_push(p, NULL, (size_t)i);
    rc = one_free(sc, diag, p, json_array_get(j, (size_t)i), i, list);
  }
  p->n = n0;
  return rc;
}

int strife__scenario_free(strife_scenario *sc, strife_diag *diag,
                          struct strife__path *p, json_t *j) {
  const struct ranged list = {sc->cal.free, "free"};
  return ranged_list(sc, diag, p, j, &list, STRIFE__FREE_MAX, "free parameters",
                     &sc->cal.n_free);
}

int strife__scenario_screen(strife_scenario *sc, strife_diag *diag,
                            struct strife__path *p, json_t *j) {
  const struct ranged list = {sc->cal.screen, "screen"};
  return ranged_list(sc, diag, p, j, &list, STRIFE__SCREEN_MAX, "ranges",
                     &sc->cal.n_screen);
}

/* Target 'i', entry 'e' at path 'p'. */
static int one_target(strife_scenario *sc, strife_diag *diag,
                      struct strife__path *p, json_t *e, int i) {
  struct strife__target *t = &sc->cal.target[i];
  memset(t, 0, sizeof *t);
  int rc = known_members(sc, diag, p, e, "outcome|value|scale|source");
  if (!rc)
    rc =
        string_member(sc, diag, p, e, "outcome", t->outcome, sizeof t->outcome);
  for (int q = 0; q < i && !rc; q++)
    if (strcmp(sc->cal.target[q].outcome, t->outcome) == 0) {
      member(e, p, "outcome");
      return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                   "\"%s\" is a target twice (also "
                                   "calibration.targets[%d])",
                                   t->outcome, q);
    }
  if (!rc)
    rc = number_member(sc, diag, p, e, "value", -HUGE_VAL, HUGE_VAL, &t->value);
  if (!rc) rc = number_member(sc, diag, p, e, "scale", 0, HUGE_VAL, &t->scale);
  if (!rc && !(t->scale > 0)) {
    member(e, p, "scale");
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected a scale above 0, got %g", t->scale);
  }
  if (!rc)
    rc = string_member(sc, diag, p, e, "source", t->source, sizeof t->source);
  if (!rc) {
    /* Where the outcome's name is, for an error found later (an unknown
       outcome is caught by strife calibrate). */
    size_t n1 = p->n;
    member(e, p, "outcome");
    char key[160];
    strife__path_text(p, key, sizeof key);
    if (!strife__scenario_from_set(sc, key))
      strife__locate_value(sc->text, sc->len, p->seg, p->n, 0, &t->line,
                           &t->col);
    p->n = n1;
  }
  return rc;
}

int strife__scenario_targets(strife_scenario *sc, strife_diag *diag,
                             struct strife__path *p, json_t *j) {
  int rc = object_array(sc, diag, p, j, STRIFE__TARGETS_MAX, "targets",
                        &sc->cal.n_targets);
  const size_t n0 = p->n;
  for (int i = 0; i < sc->cal.n_targets && !rc; i++) {
    p->n = n0;
    strife__path_push(p, NULL, (size_t)i);
    rc = one_target(sc, diag, p, json_array_get(j, (size_t)i), i);
  }
  p->n = n0;
  return rc;
}

int strife__scenario_window(strife_scenario *sc, strife_diag *diag,
                            struct strife__path *p, json_t *j) {
  char got[96];
  strife__scenario_describe(j, got, sizeof got);
  if (!json_is_object(j))
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an object {\"start\": "
                                 "\"YYYY-MM-DD\", \"end\": \"YYYY-MM-DD\"}, "
                                 "got %s",
                                 got);
  int rc = known_members(sc, diag, p, j, "start|end");
  int64_t day[2] = {0, 0};
  const size_t n0 = p->n;
  for (int e = 0; e < 2 && !rc; e++) {
    const char *name = e ? "end" : "start";
    json_t *m = member(j, p, name);
    if (!m)
      return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                   "needs \"%s\"", name);
    rc = strife__scenario_date(sc, diag, p, m, &day[e]);
    if (!rc && e && day[1] < day[0])
      return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                   "the window ends before it starts");
    p->n = n0;
  }
  if (rc) return rc;
  sc->cal.window_start = day[0];
  sc->cal.window_end = day[1];
  /* The default is applied with an empty path. */
  sc->cal.window_given = p->n > 0;
  return STRIFE_OK;
}

json_t *strife__scenario_window_json(const strife_scenario *sc) {
  char a[11], b[11];
  strife__date_text(sc->cal.window_start, a);
  strife__date_text(sc->cal.window_end, b);
  return json_pack("{ssss}", "start", a, "end", b);
}

json_t *strife__scenario_screen_json(const strife_scenario *sc) {
  json_t *a = json_array();
  for (int i = 0; i < sc->cal.n_screen; i++) {
    const struct strife__free *f = &sc->cal.screen[i];
    json_array_append_new(a, json_pack("{sssfsfss}", "key", f->key, "lo", f->lo,
                                       "hi", f->hi, "source", f->source));
  }
  return a;
}

json_t *strife__scenario_free_json(const strife_scenario *sc) {
  json_t *a = json_array();
  for (int i = 0; i < sc->cal.n_free; i++) {
    const struct strife__free *f = &sc->cal.free[i];
    const char *c = prior_choices;
    for (int k = 0; k < (int)f->prior; k++)
      c = strchr(c, '|') + 1;
    json_t *o = json_pack("{sss s#sfsf}", "key", f->key, "prior", c,
                          (int)strcspn(c, "|"), "lo", f->lo, "hi", f->hi);
    if (o && f->prior == STRIFE__PRIOR_NAME_NORMAL) {
      json_object_set_new(o, "mean", json_real(f->mean));
      json_object_set_new(o, "sd", json_real(f->sd));
    }
    if (o) json_object_set_new(o, "source", json_string(f->source));
    json_array_append_new(a, o);
  }
  return a;
}

json_t *strife__scenario_targets_json(const strife_scenario *sc) {
  json_t *a = json_array();
  for (int i = 0; i < sc->cal.n_targets; i++) {
    const struct strife__target *t = &sc->cal.target[i];
    json_array_append_new(a, json_pack("{sssfsfss}", "outcome", t->outcome,
                                       "value", t->value, "scale", t->scale,
                                       "source", t->source));
  }
  return a;
}
