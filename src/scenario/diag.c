/* SPDX-License-Identifier: MIT */
/*
 * Where a scenario's error is.  An error names the file, the line and
 * column of the offending value (or member name, for an unknown key), its
 * dotted key, and what was expected; a value that came from an override is
 * reported as "--set" with its key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

size_t strife__scenario_control(const char *s, size_t n, size_t i,
                                unsigned *cp) {
  unsigned char b = (unsigned char)s[i];
  if (b < 0x20 || b == 0x7f) {
    *cp = b;
    return 1;
  }
  /* U+0080-U+009F, the C1 controls, are C2 80-C2 9F in UTF-8. */
  if (b == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
      (unsigned char)s[i + 1] <= 0x9f) {
    *cp = (unsigned char)s[i + 1];
    return 2;
  }
  return 0;
}

size_t strife__scenario_escape(const char *s, size_t n, char *buf,
                               size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && used + 1 < size;) {
    unsigned cp;
    size_t c = strife__scenario_control(s, n, i, &cp);
    int w;
    if (!c)
      w = snprintf(buf + used, size - used, "%c", s[i]);
    else if (cp == '\n' || cp == '\t')
      w = snprintf(buf + used, size - used, "\\%c", cp == '\n' ? 'n' : 't');
    else
      w = snprintf(buf + used, size - used, "\\u%04x", cp);
    if (w < 0 || (size_t)w >= size - used) break;
    used += (size_t)w;
    i += c ? c : 1;
  }
  return used;
}

void strife__path_text(const struct strife__path *p, char *buf, size_t size) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < p->n && used + 1 < size; i++) {
    if (p->seg[i].name) {
      if (i) used += (size_t)snprintf(buf + used, size - used, ".");
      used += strife__scenario_escape(p->seg[i].name, strlen(p->seg[i].name),
                                      buf + used, size - used);
      continue;
    }
    int w = snprintf(buf + used, size - used, "[%zu]", p->seg[i].index);
    if (w < 0 || (size_t)w >= size - used) break;
    used += (size_t)w;
  }
}

void strife__path_push(struct strife__path *p, const char *name, size_t index) {
  if (p->n < STRIFE__PATH_DEPTH)
    p->seg[p->n++] = (struct strife__seg){name, index};
}

void strife__path_of_key(const char *key, char *buf, size_t size,
                         struct strife__path *p) {
  snprintf(buf, size, "%s", key);
  p->n = 0;
  char *s = buf;
  while (*s && p->n < STRIFE__PATH_DEPTH) {
    size_t n = strcspn(s, ".[");
    char stop = s[n];
    s[n] = '\0';
    strife__path_push(p, s, 0);
    if (!stop) break;
    s += n + 1;
    while (stop == '[' && p->n < STRIFE__PATH_DEPTH) { /* "[12]" */
      strife__path_push(p, NULL, strtoul(s, &s, 10));
      s += *s == ']';
      stop = *s;
      s += *s == '.' || *s == '[';
    }
  }
}

int strife__scenario_from_set(const strife_scenario *sc, const char *key) {
  for (size_t i = 0; i < sc->n_set; i++) {
    size_t n = strlen(sc->set_paths[i]);
    if (strncmp(key, sc->set_paths[i], n) == 0 &&
        (key[n] == '\0' || key[n] == '.' || key[n] == '['))
      return 1;
  }
  return 0;
}

/* strife__scenario_fail, located in the file even when the key was also
   given with --set when 'in_file'. */
static int fail_at(const strife_scenario *sc, strife_diag *diag,
                   const struct strife__path *p, int at_name, int in_file,
                   int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));
static int fail_at(const strife_scenario *sc, strife_diag *diag,
                   const struct strife__path *p, int at_name, int in_file,
                   int code, const char *fmt, va_list ap) {
  if (!diag) return code;
  strife_diag_clear(diag);
  strife__path_text(p, diag->key, sizeof diag->key);
  if (!in_file && strife__scenario_from_set(sc, diag->key)) {
    snprintf(diag->source, sizeof diag->source, "--set");
  } else {
    snprintf(diag->source, sizeof diag->source, "%s", sc->source);
    int line, col;
    if (p->n && strife__locate_value(sc->text, sc->len, p->seg, p->n, at_name,
                                     &line, &col) == 0) {
      diag->line = line;
      diag->column = col;
    }
  }
  vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
  return code;
}

int strife__scenario_fail(const strife_scenario *sc, strife_diag *diag,
                          const struct strife__path *p, int at_name, int code,
                          const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above */
  int rc = fail_at(sc, diag, p, at_name, 0, code, fmt, ap);
  va_end(ap);
  return rc;
}

int strife__scenario_fail_file(const strife_scenario *sc, strife_diag *diag,
                               const struct strife__path *p, int at_name,
                               int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above */
  int rc = fail_at(sc, diag, p, at_name, 1, code, fmt, ap);
  va_end(ap);
  return rc;
}

int strife__scenario_fail_keys(const strife_scenario *sc, strife_diag *diag,
                               const char *const *keys, size_t n_keys, int code,
                               const char *msg) {
  char buf[160];
  struct strife__path p;
  /* A key given with --set first: that is what the user just changed. */
  for (size_t i = 0; i < n_keys; i++) {
    if (!strife__scenario_from_set(sc, keys[i])) continue;
    strife__path_of_key(keys[i], buf, sizeof buf, &p);
    return strife__scenario_fail(sc, diag, &p, 0, code, "%s", msg);
  }
  for (size_t i = 0; i < n_keys; i++) {
    strife__path_of_key(keys[i], buf, sizeof buf, &p);
    int line, col;
    if (strife__locate_value(sc->text, sc->len, p.seg, p.n, 0, &line, &col) ==
        0)
      return strife__scenario_fail(sc, diag, &p, 0, code, "%s", msg);
  }
  strife__path_of_key(keys[0], buf, sizeof buf, &p);
  int rc = strife__scenario_fail(sc, diag, &p, 0, code, "%s", msg);
  if (diag) {
    diag->line = 0;
    diag->column = 0;
  }
  return rc;
}

int strife__scenario_fail_set(strife_diag *diag, const char *key, int col,
                              int code, const char *fmt, ...) {
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

void strife__scenario_describe(json_t *j, char *buf, size_t size) {
  switch (json_typeof(j)) {
  case JSON_OBJECT:
    snprintf(buf, size, "an object");
    break;
  case JSON_ARRAY:
    snprintf(buf, size, "an array");
    break;
  case JSON_STRING: {
    char text[256];
    size_t n = json_string_length(j);
    strife__scenario_escape(json_string_value(j), n < 40 ? n : 40, text,
                            sizeof text);
    snprintf(buf, size, "the string \"%s\"", text);
    break;
  }
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
