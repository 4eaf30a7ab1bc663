/* SPDX-License-Identifier: MIT */
/*
 * The observed record (the JSON files of data/observed, docs/record.md):
 * figures the model is checked or fitted against, one record each, read and
 * checked as strictly as a scenario, every error at its file, line, column and
 * key.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "parse.h"

/* The quantities a record may hold, and what each counts. */
static const struct {
  const char *name, *what;
} quantities[] = {
    {"attacks", "IS-K attacks inside Afghanistan over the period"},
    {"fatalities", "people killed by IS-K attacks inside Afghanistan"},
    {"casualties", "people killed or injured by IS-K attacks in Afghanistan"},
    {"cross_border_attacks", "IS-K attacks outside Afghanistan"},
    {"cross_border_fatalities", "people killed by IS-K attacks abroad"},
    {"isk_fighters", "IS-K fighters"},
    {"ttp", "TTP fighters in Afghanistan"},
    {"ttp_attacks", "TTP or militant attacks in Pakistan"},
    {"pakistan_strikes", "Pakistani air or drone strikes in Afghanistan"},
    {"pakistan_strike_fatalities", "people killed by Pakistani strikes"},
    {"forces", "Taliban security forces, personnel"},
    {"revenue", "Taliban government revenue over the period"},
    {"aid_requested", "humanitarian appeal requirements for the period"},
    {"aid", "international aid or humanitarian funding received"},
    {"cash_shipments", "UN cash shipped into Afghanistan"},
    {"china_investment", "Chinese investment or contracts announced"},
};
enum { N_QUANTITIES = sizeof quantities / sizeof quantities[0] };

static const char members[] = "quantity|start|end|value|low|high|gap|unit|"
                              "place|definition|source|confidence|notes|"
                              "unscored";

struct strife_record {
  char *text; /* the file's text */
  size_t len;
  char source[256];
  json_t *root; /* the document, which the records' strings point into */
  strife_observation *obs;
  size_t n;
};

struct reader {
  const strife_record *r;
  strife_diag *diag;
  struct strife__path p;
};

static int fail(const struct reader *rd, int at_name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(const struct reader *rd, int at_name, const char *fmt, ...) {
  strife_diag *d = rd->diag;
  if (!d) return STRIFE_ESCENARIO;
  strife_diag_clear(d);
  snprintf(d->source, sizeof d->source, "%s", rd->r->source);
  strife__path_text(&rd->p, d->key, sizeof d->key);
  if (strife__locate_value(rd->r->text, rd->r->len, rd->p.seg, rd->p.n, at_name,
                           &d->line, &d->column))
    d->line = d->column = 1;
  va_list ap;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above */
  vsnprintf(d->msg, sizeof d->msg, fmt, ap);
  va_end(ap);
  return STRIFE_ESCENARIO;
}

/* Whether 'name' is one of 'known' ("a|b|c"). */
static int one_of(const char *name, const char *known) {
  const size_t n = strlen(name);
  for (const char *s = known; *s;) {
    const char *bar = strchr(s, '|');
    const size_t k = bar ? (size_t)(bar - s) : strlen(s);
    if (k == n && strncmp(s, name, n) == 0) return 1;
    if (!bar) break;
    s = bar + 1;
  }
  return 0;
}

/* A string member, NULL when absent; free text ('text') may hold
   newlines and tabs, no other control character. */
static int opt_string(struct reader *rd, json_t *o, const char *name, int text,
                      const char **out) {
  json_t *m = json_object_get(o, name);
  *out = NULL;
  if (!m) return STRIFE_OK;
  strife__path_push(&rd->p, name, 0);
  char got[96];
  strife__scenario_describe(m, got, sizeof got);
  const char *s = json_string_value(m);
  if (!json_is_string(m) || json_string_length(m) == 0 ||
      strlen(s) != json_string_length(m))
    return fail(rd, 0, "expected a non-empty string, got %s", got);
  for (size_t i = 0; i < json_string_length(m); i++) {
    unsigned cp;
    if (!strife__scenario_control(s, json_string_length(m), i, &cp) ||
        (text && (cp == '\n' || cp == '\t')))
      continue;
    return fail(rd, 0, "control character U+%04X in a string", cp);
  }
  rd->p.n--;
  *out = s;
  return STRIFE_OK;
}

/* As opt_string, the member required. */
static int string_at(struct reader *rd, json_t *o, const char *name, int text,
                     const char **out) {
  int rc = opt_string(rd, o, name, text, out);
  if (!rc && !*out) {
    fail(rd, 0, "needs \"%s\"", name);
    return STRIFE_ESCENARIO;
  }
  return rc;
}

/* A number member, NAN when absent. */
static int number_at(struct reader *rd, json_t *o, const char *name,
                     double *out) {
  json_t *m = json_object_get(o, name);
  *out = (double)NAN;
  if (!m) return STRIFE_OK;
  strife__path_push(&rd->p, name, 0);
  char got[96];
  strife__scenario_describe(m, got, sizeof got);
  if (!json_is_number(m)) return fail(rd, 0, "expected a number, got %s", got);
  *out = json_number_value(m);
  if (!isfinite(*out) || *out < 0)
    return fail(rd, 0, "expected a number of 0 or more, got %s", got);
  rd->p.n--;
  return STRIFE_OK;
}

/* A date member, required. */
static int date_at(struct reader *rd, json_t *o, const char *name,
                   int64_t *day) {
  const char *s;
  int rc = string_at(rd, o, name, 0, &s);
  if (rc) return rc;
  if (strife__date_parse(s, day) == 0) return STRIFE_OK;
  strife__path_push(&rd->p, name, 0);
  return fail(rd, 0, "expected a date YYYY-MM-DD, got \"%s\"", s);
}

/* The value of a record: one number, a range, or a gap. */
static int value_of(struct reader *rd, json_t *o, strife_observation *ob) {
  int rc = number_at(rd, o, "value", &ob->value);
  if (!rc) rc = number_at(rd, o, "low", &ob->low);
  if (!rc) rc = number_at(rd, o, "high", &ob->high);
  if (!rc) rc = opt_string(rd, o, "gap", 1, &ob->gap);
  if (rc) return rc;
  const int v = !isnan(ob->value), lo = !isnan(ob->low), hi = !isnan(ob->high),
            gap = ob->gap != NULL;
  if (v + (lo || hi) + gap != 1)
    return fail(rd, 0,
                "needs one of \"value\", \"low\" and \"high\" (a range), or "
                "\"gap\" (a figure looked for and not found)");
  if (lo != hi) return fail(rd, 0, "a range needs both \"low\" and \"high\"");
  if (lo && ob->low > ob->high) {
    strife__path_push(&rd->p, "high", 0);
    return fail(rd, 0, "expected \"high\" (%g) of at least \"low\" (%g)",
                ob->high, ob->low);
  }
  return STRIFE_OK;
}

/* Record 'i' of the array. */
static int take_record(struct reader *rd, json_t *o, size_t i,
                       strife_observation *ob) {
  strife__path_push(&rd->p, NULL, i);
  if (!json_is_object(o)) return fail(rd, 0, "expected an object (a record)");
  const char *name;
  json_t *m;
  json_object_foreach(o, name, m) {
    if (one_of(name, members)) continue;
    strife__path_push(&rd->p, name, 0);
    return fail(rd, 1, "unknown member (known here: %s)", members);
  }
  memset(ob, 0, sizeof *ob);
  int rc = string_at(rd, o, "quantity", 0, &ob->quantity);
  if (!rc) {
    size_t q = 0;
    while (q < N_QUANTITIES && strcmp(quantities[q].name, ob->quantity) != 0)
      q++;
    if (q == N_QUANTITIES) {
      strife__path_push(&rd->p, "quantity", 0);
      return fail(rd, 0,
                  "unknown quantity \"%s\" (`strife record --quantities` "
                  "lists them)",
                  ob->quantity);
    }
  }
  if (!rc) rc = date_at(rd, o, "start", &ob->start);
  if (!rc) rc = date_at(rd, o, "end", &ob->end);
  if (!rc && ob->end < ob->start) {
    strife__path_push(&rd->p, "end", 0);
    return fail(rd, 0, "the period ends before it starts");
  }
  if (!rc) rc = value_of(rd, o, ob);
  if (!rc) rc = string_at(rd, o, "unit", 0, &ob->unit);
  if (!rc) rc = opt_string(rd, o, "place", 0, &ob->place);
  if (!rc) rc = string_at(rd, o, "definition", 1, &ob->definition);
  if (!rc) rc = string_at(rd, o, "source", 1, &ob->source);
  if (!rc) rc = string_at(rd, o, "confidence", 0, &ob->confidence);
  if (!rc && !one_of(ob->confidence, "high|medium|low")) {
    strife__path_push(&rd->p, "confidence", 0);
    return fail(rd, 0, "expected \"high\", \"medium\" or \"low\", got \"%s\"",
                ob->confidence);
  }
  if (!rc) rc = opt_string(rd, o, "notes", 1, &ob->notes);
  if (!rc) rc = opt_string(rd, o, "unscored", 1, &ob->unscored);
  if (!rc) rd->p.n--;
  return rc;
}

/* The whole document: {"about": "...", "records": [...]}. */
static int take_document(struct reader *rd, strife_record *r) {
  json_t *root = r->root;
  if (!json_is_object(root))
    return fail(rd, 0, "expected a JSON object at the top level");
  const char *name;
  json_t *m;
  json_object_foreach(root, name, m) {
    if (one_of(name, "about|records")) continue;
    strife__path_push(&rd->p, name, 0);
    return fail(rd, 1, "unknown member (known here: about|records)");
  }
  const char *about;
  int rc = string_at(rd, root, "about", 1, &about);
  if (rc) return rc;
  json_t *recs = json_object_get(root, "records");
  if (!recs) return fail(rd, 0, "needs \"records\"");
  strife__path_push(&rd->p, "records", 0);
  if (!json_is_array(recs) || json_array_size(recs) == 0)
    return fail(rd, 0, "expected an array of records, not empty");
  r->n = json_array_size(recs);
  r->obs = calloc(r->n, sizeof *r->obs);
  if (!r->obs) return STRIFE_ENOMEM;
  for (size_t i = 0; i < r->n; i++) {
    rc = take_record(rd, json_array_get(recs, i), i, &r->obs[i]);
    if (rc) return rc;
  }
  return STRIFE_OK;
}

int strife_record_parse(const char *text, size_t len, const char *name,
                        strife_record **out, strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  strife_record *r = calloc(1, sizeof *r);
  if (!r) return STRIFE_ENOMEM;
  snprintf(r->source, sizeof r->source, "%s", name);
  struct reader rd = {r, diag, {.n = 0}};
  int rc = STRIFE_OK;
  r->text = malloc(len + 1);
  if (!r->text) rc = STRIFE_ENOMEM;
  if (!rc) {
    memcpy(r->text, text, len);
    r->text[len] = '\0';
    r->len = len;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
      rc = fail(&rd, 0,
                "starts with a UTF-8 byte-order mark (EF BB BF); save the "
                "file without it");
      if (diag) diag->line = diag->column = 1;
    }
  }
  if (!rc) {
    json_error_t err;
    r->root = json_loadb(r->text, len, JSON_REJECT_DUPLICATES, &err);
    if (!r->root) {
      rc = STRIFE_ESYNTAX;
      if (diag) {
        snprintf(diag->source, sizeof diag->source, "%s", name);
        diag->line = err.line > 0 ? err.line : 1;
        diag->column = err.column > 0 ? err.column : 1;
        strife__locate_key_at(r->text, len,
                              (size_t)(err.position > 0 ? err.position : 0),
                              diag->key, sizeof diag->key);
        snprintf(diag->msg, sizeof diag->msg, "malformed JSON: %s", err.text);
      }
    }
  }
  if (!rc) rc = take_document(&rd, r);
  if (rc) {
    strife_record_destroy(r);
    return rc;
  }
  *out = r;
  return STRIFE_OK;
}

int strife_record_load(const char *path, strife_record **out,
                       strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  char *buf = NULL;
  size_t len = 0;
  int rc = strife__scenario_read_file(path, &buf, &len, diag);
  if (!rc) rc = strife_record_parse(buf, len, path, out, diag);
  free(buf);
  return rc;
}

void strife_record_destroy(strife_record *r) {
  if (!r) return;
  json_decref(r->root);
  free(r->obs);
  free(r->text);
  free(r);
}

size_t strife_record_count(const strife_record *r) {
  return r->n;
}

const strife_observation *strife_record_get(const strife_record *r, size_t i) {
  return i < r->n ? &r->obs[i] : NULL;
}

const char *strife_record_quantity(size_t i, const char **what) {
  if (i >= N_QUANTITIES) return NULL;
  if (what) *what = quantities[i].what;
  return quantities[i].name;
}
