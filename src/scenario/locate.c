/* SPDX-License-Identifier: MIT */
/*
 * Where a value sits in a scenario's text.
 *
 * jansson reports line and column for syntax errors but keeps no position
 * for the values it returns, and a wrong value (a negative width, a string
 * where a number belongs) must be reported at its line and column too.
 * So, once jansson has accepted the text, this small scanner walks it
 * again along a path of member names and indices and stops at the value.
 * It trusts the text to be valid JSON and only ever reads inside it.
 */
#include <stdio.h>
#include <string.h>

#include "scenario.h"

struct scan {
  const char *s;
  size_t n, i;
};

static void ws(struct scan *sc) {
  while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
                           sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
    sc->i++;
}

/* Skips a string starting at its opening quote. */
static void skip_string(struct scan *sc) {
  sc->i++;
  while (sc->i < sc->n && sc->s[sc->i] != '"') {
    if (sc->s[sc->i] == '\\') sc->i++;
    sc->i++;
  }
  sc->i++;
}

/* Skips any value. */
static void skip_value(struct scan *sc) {
  ws(sc);
  if (sc->i >= sc->n) return;
  char c = sc->s[sc->i];
  if (c == '"') {
    skip_string(sc);
    return;
  }
  if (c == '{' || c == '[') {
    int depth = 0;
    while (sc->i < sc->n) {
      c = sc->s[sc->i];
      if (c == '"') {
        skip_string(sc);
        continue;
      }
      if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          sc->i++;
          return;
        }
      }
      sc->i++;
    }
    return;
  }
  while (sc->i < sc->n && !strchr(",]} \t\r\n", sc->s[sc->i]))
    sc->i++;
}

/* Decodes the four hex digits at p. */
static unsigned hex4(const char *p) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = p[k];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
  }
  return v;
}

/* Compares the string at sc->i (at its quote) with 'name', decoding
   escapes, and skips it. */
static int string_equals(struct scan *sc, const char *name) {
  size_t k = 0;
  int same = 1;
  sc->i++;
  while (sc->i < sc->n && sc->s[sc->i] != '"') {
    unsigned char buf[4];
    size_t nb = 1;
    char c = sc->s[sc->i++];
    buf[0] = (unsigned char)c;
    if (c == '\\' && sc->i < sc->n) {
      char e = sc->s[sc->i++];
      static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
      const char *f = strchr(from, e);
      if (f && e) {
        buf[0] = (unsigned char)to[f - from];
      } else if (e == 'u' && sc->i + 4 <= sc->n) {
        unsigned u = hex4(sc->s + sc->i);
        sc->i += 4;
        /* Code points outside the BMP compare as mismatches: no key has
           one. */
        if (u < 0x80) {
          buf[0] = (unsigned char)u;
        } else if (u < 0x800) {
          buf[0] = (unsigned char)(0xC0 | (u >> 6));
          buf[1] = (unsigned char)(0x80 | (u & 0x3F));
          nb = 2;
        } else {
          buf[0] = (unsigned char)(0xE0 | (u >> 12));
          buf[1] = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
          buf[2] = (unsigned char)(0x80 | (u & 0x3F));
          nb = 3;
        }
      }
    }
    for (size_t b = 0; b < nb; b++) {
      if (!name[k] || (unsigned char)name[k] != buf[b])
        same = 0;
      else
        k++;
    }
  }
  sc->i++;
  return same && name[k] == '\0';
}

void strife__locate_line_col(const char *s, size_t at, int *line, int *col) {
  int l = 1;
  size_t start = 0;
  for (size_t i = 0; i < at; i++)
    if (s[i] == '\n') {
      l++;
      start = i + 1;
    }
  *line = l;
  *col = (int)(at - start) + 1;
}

int strife__locate_value(const char *text, size_t len,
                         const struct strife__seg *segs, size_t n, int at_name,
                         int *line, int *col) {
  size_t at;
  if (strife__locate_offset(text, len, segs, n, at_name, &at)) return -1;
  strife__locate_line_col(text, at, line, col);
  return 0;
}

int strife__locate_offset(const char *text, size_t len,
                          const struct strife__seg *segs, size_t n, int at_name,
                          size_t *at) {
  struct scan sc = {text, len, 0};
  size_t name_at = 0;
  ws(&sc);
  for (size_t d = 0; d < n; d++) {
    ws(&sc);
    if (sc.i >= sc.n) return -1;
    int found = 0;
    if (segs[d].name) {
      if (sc.s[sc.i] != '{') return -1;
      sc.i++;
      for (;;) {
        ws(&sc);
        if (sc.i >= sc.n || sc.s[sc.i] != '"') return -1;
        size_t here = sc.i;
        int same = string_equals(&sc, segs[d].name);
        ws(&sc);
        sc.i++; /* ':' */
        if (same) {
          name_at = here;
          found = 1;
          break;
        }
        skip_value(&sc);
        ws(&sc);
        if (sc.i >= sc.n || sc.s[sc.i] != ',') return -1;
        sc.i++;
      }
    } else {
      if (sc.s[sc.i] != '[') return -1;
      sc.i++;
      for (size_t k = 0;; k++) {
        ws(&sc);
        if (k == segs[d].index) {
          name_at = sc.i;
          found = 1;
          break;
        }
        skip_value(&sc);
        ws(&sc);
        if (sc.i >= sc.n || sc.s[sc.i] != ',') return -1;
        sc.i++;
      }
    }
    if (!found) return -1;
  }
  ws(&sc);
  *at = at_name && n ? name_at : sc.i;
  return 0;
}

/*
 * The dotted key being read at byte 'pos' of a text that may be malformed
 * from there on (for syntax errors, which jansson reports by position
 * only).  A frame per open object or array keeps the last member name or
 * the index; the key is the names of the open objects, innermost last.
 */
void strife__locate_key_at(const char *text, size_t len, size_t pos, char *buf,
                           size_t size) {
  enum { DEPTH = 32, NAME = 64 };
  struct frame {
    int object;
    char name[NAME];
  } st[DEPTH];
  int depth = 0, expect_name = 0;
  if (pos > len) pos = len;
  for (size_t i = 0; i < pos; i++) {
    char c = text[i];
    if (c == '"') {
      size_t start = ++i;
      while (i < pos && text[i] != '"') {
        if (text[i] == '\\') i++;
        i++;
      }
      if (depth > 0 && depth <= DEPTH && st[depth - 1].object && expect_name) {
        size_t n = i - start < NAME - 1 ? i - start : NAME - 1;
        memcpy(st[depth - 1].name, text + start, n);
        st[depth - 1].name[n] = '\0';
        expect_name = 0;
      }
    } else if (c == '{' || c == '[') {
      if (depth < DEPTH) {
        st[depth].object = c == '{';
        st[depth].name[0] = '\0';
      }
      depth++;
      expect_name = c == '{';
    } else if (c == '}' || c == ']') {
      if (depth > 0) depth--;
      expect_name = 0;
    } else if (c == ',') {
      expect_name = depth > 0 && depth <= DEPTH && st[depth - 1].object;
      if (expect_name) st[depth - 1].name[0] = '\0';
    }
  }
  size_t used = 0;
  buf[0] = '\0';
  for (int d = 0; d < depth && d < DEPTH; d++) {
    if (!st[d].object || !st[d].name[0]) break;
    int w =
        snprintf(buf + used, size - used, "%s%s", used ? "." : "", st[d].name);
    if (w < 0 || (size_t)w >= size - used) break;
    used += (size_t)w;
  }
}
