/* SPDX-License-Identifier: MIT */
/* A growing string (text.h). */
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int reserve(struct strife__text *t, size_t need) {
  if (t->s && need <= t->cap - t->n) return 0;
  size_t cap = (t->cap ? t->cap * 2 : 4096) + need;
  char *s = realloc(t->s, cap);
  if (!s) return -1;
  t->s = s;
  t->cap = cap;
  return 0;
}

void strife__text_put(struct strife__text *t, const char *fmt, ...) {
  if (t->oom || reserve(t, 256)) {
    t->oom = 1;
    return;
  }
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
    va_end(ap);
    if (n < 0) {
      t->oom = 1;
      return;
    }
    if ((size_t)n < t->cap - t->n) {
      t->n += (size_t)n;
      return;
    }
    if (reserve(t, (size_t)n + 1)) {
      t->oom = 1;
      return;
    }
  }
}

char *strife__text_take(struct strife__text *t) {
  if (t->oom) {
    free(t->s);
    t->s = NULL;
  }
  return t->s;
}

uint64_t strife__fnv1a64(const void *p, size_t n) {
  const unsigned char *b = p;
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * UINT64_C(0x100000001b3);
  return h;
}
