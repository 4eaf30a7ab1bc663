/* SPDX-License-Identifier: MIT */
/*
 * Scenario files: read, parse (jansson), apply command-line overrides,
 * choose the model, fill in defaults, check every key against its table
 * and the whole set against the model's rules, and produce the canonical
 * text and hash of the complete scenario (parse.h lists the files that do
 * each part).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "parse.h"

enum { JSON_FLAGS = JSON_REJECT_DUPLICATES };

void strife_scenario_destroy(strife_scenario *sc) {
  if (!sc) return;
  free(sc->text);
  free(sc->description);
  json_decref(sc->sources);
  free(sc->json);
  free(sc->params);
  for (int i = 0; i < sc->n_files; i++)
    free(sc->file[i].text);
  for (size_t i = 0; i < sc->n_set; i++)
    free(sc->set_paths[i]);
  free(sc);
}

/* The file name of 'path' up to its first dot, control characters made
   '?' (the name is printed). */
static void base_name(const char *path, char *out, size_t size) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t n = strcspn(b, ".");
  if (n == 0) n = strlen(b);
  snprintf(out, size, "%.*s", (int)n, b);
  for (char *c = out; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
}

/* ------------------------------------------------------------------ */
/* Overrides                                                          */
/* ------------------------------------------------------------------ */

static int is_bare_word(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!(((*s | 32) >= 'a' && (*s | 32) <= 'z') || (*s >= '0' && *s <= '9') ||
          *s == '-' || *s == '_' || *s == '.' || *s == '/' || *s == ':'))
      return 0;
  return 1;
}

/* Sets dotted 'key' of the document 'root' to 'value' (taken), creating
   objects on the way. */
static int put_override(json_t *root, const char *key, json_t *value,
                        strife_diag *diag) {
  char buf[128];
  struct strife__path p;
  strife__path_of_key(key, buf, sizeof buf, &p);
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
      return strife__scenario_fail_set(diag, key, 0, STRIFE_ESCENARIO,
                                       "\"%s\" in the scenario is not an "
                                       "object",
                                       p.seg[i].name);
    }
    obj = next;
  }
  return json_object_set_new(obj, p.seg[p.n - 1].name, value) ? STRIFE_ENOMEM
                                                              : STRIFE_OK;
}

/* Applies "KEY=VALUE" to the document 'root'. */
static int apply_set(strife_scenario *sc, json_t *root, const char *set,
                     strife_diag *diag) {
  const char *eq = strchr(set, '=');
  if (!eq || eq == set)
    return strife__scenario_fail_set(diag, "", 0, STRIFE_ESYNTAX,
                                     "expected KEY=VALUE, got \"%.80s\"", set);
  char key[128];
  size_t klen = (size_t)(eq - set);
  if (klen >= sizeof key)
    return strife__scenario_fail_set(diag, "", 0, STRIFE_ESYNTAX,
                                     "key too long");
  memcpy(key, set, klen);
  key[klen] = '\0';
  const char *alias = strife__scenario_alias(sc, key);
  if (alias != key) snprintf(key, sizeof key, "%s", alias);
  const struct strife_model_type *owner;
  const struct strife__key *k = strife__scenario_any_key(sc, key, &owner);
  if (!k || k->type == STRIFE__K_SOURCES)
    return strife__scenario_fail_set(diag, key, 0, STRIFE_ESCENARIO,
                                     "unknown key (strife help scenario lists "
                                     "them)");
  const char *text = eq + 1;
  json_error_t err;
  json_t *value = json_loads(text, JSON_DECODE_ANY | JSON_FLAGS, &err);
  if (!value) {
    if (!is_bare_word(text))
      return strife__scenario_fail_set(diag, key, (int)klen + 1 + err.column,
                                       STRIFE_ESYNTAX,
                                       "value is not valid JSON: %s", err.text);
    value = json_string(text);
    if (!value) return STRIFE_ENOMEM;
  }
  int rc = put_override(root, key, value, diag);
  if (rc) return rc;
  if (sc->n_set >= STRIFE__SETS_MAX)
    return strife__scenario_fail_set(diag, key, 0, STRIFE_ELIMIT,
                                     "more than %d overrides",
                                     STRIFE__SETS_MAX);
  sc->set_paths[sc->n_set] = strdup(key);
  if (!sc->set_paths[sc->n_set]) return STRIFE_ENOMEM;
  sc->n_set++;
  return STRIFE_OK;
}

static int apply_sets(strife_scenario *sc, json_t *root,
                      const char *const *sets, size_t n_sets,
                      strife_diag *diag) {
  if (n_sets > STRIFE__SETS_MAX)
    return strife__scenario_fail_set(
        diag, "", 0, STRIFE_ELIMIT, "more than %d overrides", STRIFE__SETS_MAX);
  int rc = STRIFE_OK;
  for (size_t i = 0; i < n_sets && !rc; i++)
    rc = apply_set(sc, root, sets[i], diag);
  return rc;
}

/* ------------------------------------------------------------------ */
/* The model, defaults, and the walk over the document                */
/* ------------------------------------------------------------------ */

/* The model the document names (the first of the list if none), and room
   for its parameters. */
static int choose_model(strife_scenario *sc, json_t *root, strife_diag *diag) {
  json_t *model = json_object_get(root, "model");
  int idx = 0;
  if (model) {
    char names[512];
    strife__scenario_model_names(sc, names, sizeof names);
    struct strife__path p = {.n = 0};
    strife__path_push(&p, "model", 0);
    int rc = strife__scenario_choice(sc, diag, &p, model, names, &idx);
    if (rc) return rc;
  }
  sc->type = sc->models[idx];
  int rc = strife__model_check(sc->type, diag);
  if (rc) return rc;
  sc->params = calloc(1, sc->type->params_size ? sc->type->params_size : 1);
  return sc->params ? STRIFE_OK : STRIFE_ENOMEM;
}

/* The defaults of the 'n' keys. */
static int defaults(strife_scenario *sc, const struct strife__key *keys,
                    size_t n, strife_diag *diag) {
  int rc = STRIFE_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    const struct strife__key *k = &keys[i];
    if (!k->deflt || k->type == STRIFE__K_STRING ||
        k->type == STRIFE__K_SOURCES)
      continue;
    json_t *d = json_loads(k->deflt, JSON_DECODE_ANY, NULL);
    struct strife__path p = {.n = 0};
    rc = d ? strife__scenario_take(sc, diag, &p, k, d) : STRIFE_ENOMEM;
    json_decref(d);
  }
  return rc;
}

/* Member 'name' (value 'm') at path 'p', dotted 'full': a key, or a group
   of keys walked in turn. */
static int walk(strife_scenario *sc, strife_diag *diag, struct strife__path *p,
                const char *prefix, json_t *obj);

static int walk_member(strife_scenario *sc, strife_diag *diag,
                       struct strife__path *p, const char *prefix,
                       const char *full, json_t *m) {
  const struct strife_model_type *owner = NULL;
  const struct strife__key *k =
      full[0] ? strife__scenario_any_key(sc, full, &owner) : NULL;
  if (k && owner && owner != sc->type)
    return strife__scenario_fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                                 "a key of the %s model, and this scenario's "
                                 "model is %s",
                                 owner->name, sc->type->name);
  if (k) return strife__scenario_take(sc, diag, p, k, m);
  if (p->n < 3 && full[0] && strife__scenario_is_group(sc, full)) {
    if (json_is_object(m)) return walk(sc, diag, p, full, m);
    char got[96];
    strife__scenario_describe(m, got, sizeof got);
    return strife__scenario_fail(sc, diag, p, 0, STRIFE_ESCENARIO,
                                 "expected an object of \"%s.*\" keys, got %s",
                                 full, got);
  }
  char known[512];
  strife__scenario_children(sc, prefix, known, sizeof known);
  return strife__scenario_fail(sc, diag, p, 1, STRIFE_ESCENARIO,
                               "unknown key (known here: %s)", known);
}

/* Member 'name' (value 'm') at path 'p', a dotted name where a key is
   read: refused, as a file nests its keys ("a.b" would otherwise stand
   beside "a": {"b": ...} and escape the duplicate check), with the nested
   form to write instead. */
static int dotted(const strife_scenario *sc, strife_diag *diag,
                  const struct strife__path *p, const char *name, json_t *m) {
  char *v =
      json_dumps(m, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15));
  struct strife__text t = {NULL, 0, 0, 0};
  size_t depth = 0;
  for (const char *s = name;; s++, depth++) {
    size_t n = strcspn(s, ".");
    strife__text_put(&t, "%s\"%.*s\": ", depth ? "{" : "", (int)n, s);
    s += n;
    if (!*s) break;
  }
  strife__text_put(&t, "%s",
                   v && strlen(v) < 40 ? v
                   : json_is_object(m) ? "{...}"
                   : json_is_array(m)  ? "[...]"
                                       : "...");
  for (size_t i = 0; i < depth; i++)
    strife__text_put(&t, "}");
  free(v);
  char *nest = strife__text_take(&t);
  int rc = strife__scenario_fail_file(sc, diag, p, 1, STRIFE_ESCENARIO,
                                      "expected a nested key, not a dotted "
                                      "name (dotted names are for --set): "
                                      "write %.300s",
                                      nest ? nest : "it nested");
  free(nest);
  return rc;
}

/* Walks object 'obj' at path 'p' (dotted prefix 'prefix'), checking every
   member. */
static int walk(strife_scenario *sc, strife_diag *diag, struct strife__path *p,
                const char *prefix, json_t *obj) {
  const char *name;
  json_t *m;
  json_object_foreach(obj, name, m) {
    if (strchr(name, '.')) {
      strife__path_push(p, name, 0);
      return dotted(sc, diag, p, name, m);
    }
    char full[160];
    int w =
        snprintf(full, sizeof full, "%s%s%s", prefix, *prefix ? "." : "", name);
    if (w < 0 || (size_t)w >= sizeof full) full[0] = '\0';
    strife__path_push(p, name, 0);
    int rc = walk_member(sc, diag, p, prefix, full, m);
    if (rc) return rc;
    p->n--;
  }
  return STRIFE_OK;
}

/* ------------------------------------------------------------------ */
/* Loading                                                            */
/* ------------------------------------------------------------------ */

/* A text that is not plain JSON text gets a plainer word than
   jansson's: a binary file, or a byte-order mark (which jansson shows as
   an invisible character). */
static int check_text(const strife_scenario *sc, strife_diag *diag) {
  size_t i = 0;
  const int bom = sc->len >= 3 && memcmp(sc->text, "\xef\xbb\xbf", 3) == 0;
  for (; i < sc->len && !bom; i++) {
    unsigned char b = (unsigned char)sc->text[i];
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) break;
  }
  if (i == sc->len && !bom) return STRIFE_OK;
  if (diag) {
    snprintf(diag->source, sizeof diag->source, "%s", sc->source);
    strife__locate_line_col(sc->text, i, &diag->line, &diag->column);
    if (bom)
      snprintf(diag->msg, sizeof diag->msg,
               "starts with a UTF-8 byte-order mark (EF BB BF); save the file "
               "without it");
    else
      snprintf(diag->msg, sizeof diag->msg,
               "not a text file: control byte 0x%02x (expected a JSON "
               "scenario)",
               (unsigned char)sc->text[i]);
  }
  return STRIFE_ESYNTAX;
}

/* Whether the string at 'p' is free text, which may hold newlines and
   tabs: the description, a source in "sources", a calibration entry's
   "source". */
static int free_text(const struct strife__path *p) {
  if (!p->n || !p->seg[0].name) return 0;
  const char *first = p->seg[0].name, *last = p->seg[p->n - 1].name;
  return (p->n == 1 && strcmp(first, "description") == 0) ||
         (p->n == 2 && strcmp(first, "sources") == 0) ||
         (p->n == 4 && strcmp(first, "calibration") == 0 && last &&
          strcmp(last, "source") == 0);
}

/* The first control character not allowed in the 'n' bytes at 's', the
   string at 'p' or its member name when 'at_name': an error naming it and
   which character it is, else STRIFE_OK. */
static int no_control(const strife_scenario *sc, strife_diag *diag,
                      const struct strife__path *p, const char *s, size_t n,
                      int at_name) {
  const int text = !at_name && free_text(p);
  size_t chars = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned cp;
    chars += ((unsigned char)s[i] & 0xc0) != 0x80;
    if (!strife__scenario_control(s, n, i, &cp) ||
        (text && (cp == '\n' || cp == '\t')))
      continue;
    return strife__scenario_fail(
        sc, diag, p, at_name, STRIFE_ESCENARIO,
        "expected %s without control characters%s, found U+%04X at "
        "character %zu",
        at_name ? "a member name" : "a string",
        text ? " (newlines and tabs aside)" : "", cp, chars);
  }
  return STRIFE_OK;
}

/* Every member name and string under 'j' at path 'p' without control
   characters, which a terminal would act on when the string is printed.
   Not below the depth a path holds: no key is that deep, so the walk
   refuses whatever is there. */
static int controls(const strife_scenario *sc, strife_diag *diag,
                    struct strife__path *p, json_t *j) {
  if (json_is_string(j))
    return no_control(sc, diag, p, json_string_value(j), json_string_length(j),
                      0);
  if (p->n == STRIFE__PATH_DEPTH) return STRIFE_OK;
  int rc = STRIFE_OK;
  size_t i;
  json_t *m;
  json_array_foreach(j, i, m) {
    strife__path_push(p, NULL, i);
    rc = controls(sc, diag, p, m);
    if (rc) return rc;
    p->n--;
  }
  const char *name;
  json_object_foreach(j, name, m) {
    strife__path_push(p, name, 0);
    rc = no_control(sc, diag, p, name, strlen(name), 1);
    if (!rc) rc = controls(sc, diag, p, m);
    if (rc) return rc;
    p->n--;
  }
  return STRIFE_OK;
}

/* The document, or NULL with 'diag' saying where it is malformed. */
static json_t *read_json(const strife_scenario *sc, strife_diag *diag) {
  json_error_t err;
  json_t *root = json_loadb(sc->text, sc->len, JSON_FLAGS, &err);
  if (!root && diag) {
    snprintf(diag->source, sizeof diag->source, "%s", sc->source);
    diag->line = err.line > 0 ? err.line : 1;
    diag->column = err.column > 0 ? err.column : 1;
    strife__locate_key_at(sc->text, sc->len,
                          (size_t)(err.position > 0 ? err.position : 0),
                          diag->key, sizeof diag->key);
    snprintf(diag->msg, sizeof diag->msg, "malformed JSON: %s", err.text);
  }
  return root;
}

/* Everything after the document parsed: overrides, model, defaults,
   walk, the model's check, the canonical text. */
static int take_document(strife_scenario *sc, json_t *root,
                         const char *const *sets, size_t n_sets,
                         strife_diag *diag) {
  if (!json_is_object(root)) {
    struct strife__path p = {.n = 0};
    int rc = strife__scenario_fail(sc, diag, &p, 0, STRIFE_ESCENARIO,
                                   "expected a JSON object at the top level");
    if (diag) diag->line = diag->column = 1;
    return rc;
  }
  struct strife__path p = {.n = 0};
  int rc = apply_sets(sc, root, sets, n_sets, diag);
  if (!rc) rc = controls(sc, diag, &p, root);
  if (!rc) rc = choose_model(sc, root, diag);
  if (!rc)
    rc = defaults(sc, strife__scenario_keys, strife__n_scenario_keys, diag);
  if (!rc) rc = defaults(sc, sc->type->keys, sc->type->n_keys, diag);
  if (!rc) rc = walk(sc, diag, &p, "", root);
  if (!rc) rc = strife__scenario_check(sc, diag);
  if (!rc) rc = strife__scenario_canonical(sc);
  return rc;
}

int strife_scenario_parse_with(const strife_model_type *const *models,
                               const char *text, size_t len, const char *name,
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
  sc->models = models ? models : strife_models_builtin();
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
  int rc = check_text(sc, diag);
  json_t *root = rc ? NULL : read_json(sc, diag);
  if (!rc && !root) rc = STRIFE_ESYNTAX;
  if (!rc) rc = take_document(sc, root, sets, n_sets, diag);
  json_decref(root);
  if (rc) {
    strife_scenario_destroy(sc);
    return rc;
  }
  *out = sc;
  return STRIFE_OK;
}

int strife_scenario_parse(const char *text, size_t len, const char *name,
                          const char *const *sets, size_t n_sets,
                          strife_scenario **out, strife_diag *diag) {
  return strife_scenario_parse_with(NULL, text, len, name, sets, n_sets, out,
                                    diag);
}

int strife__scenario_read_file(const char *path, char **out, size_t *len,
                               strife_diag *diag) {
  char why[STRIFE_DIAG_SIZE];
  int rc = strife__scenario_read(path, STRIFE_SCENARIO_MAX_BYTES, out, len, why,
                                 sizeof why);
  if (rc && diag && rc != STRIFE_ENOMEM) {
    snprintf(diag->source, sizeof diag->source, "%s", path);
    snprintf(diag->msg, sizeof diag->msg, "%s", why);
  }
  return rc;
}

int strife_scenario_load_with(const strife_model_type *const *models,
                              const char *path, const char *const *sets,
                              size_t n_sets, strife_scenario **out,
                              strife_diag *diag) {
  strife_diag_clear(diag);
  char *buf = NULL;
  size_t len = 0;
  int rc = strife__scenario_read_file(path, &buf, &len, diag);
  if (!rc)
    rc = strife_scenario_parse_with(models, buf, len, path, sets, n_sets, out,
                                    diag);
  free(buf);
  return rc;
}

int strife_scenario_load(const char *path, const char *const *sets,
                         size_t n_sets, strife_scenario **out,
                         strife_diag *diag) {
  return strife_scenario_load_with(NULL, path, sets, n_sets, out, diag);
}

/* ------------------------------------------------------------------ */
/* Getters                                                            */
/* ------------------------------------------------------------------ */

const char *strife_scenario_name(const strife_scenario *sc) {
  return sc->name;
}

const char *strife_scenario_model(const strife_scenario *sc) {
  return sc->type->name;
}

const strife_model_type *strife_scenario_model_type(const strife_scenario *sc) {
  return sc->type;
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

const struct strife_model_type *
strife__scenario_type(const strife_scenario *sc) {
  return sc->type;
}

const void *strife__scenario_params(const strife_scenario *sc) {
  return sc->params;
}

const struct strife_model_type *const *
strife__scenario_models(const strife_scenario *sc) {
  return sc->models;
}

const struct strife__calibration *
strife__scenario_calibration(const strife_scenario *sc) {
  return &sc->cal;
}

const char *strife__scenario_source(const strife_scenario *sc) {
  return sc->source;
}
