/* SPDX-License-Identifier: MIT */
/* A growing string, for text built in pieces (tables, SQL). */
#ifndef STRIFE_CORE_TEXT_H
#define STRIFE_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

struct strife__text {
  char *s;
  size_t n, cap;
  int oom; /* an allocation failed: the text is incomplete */
};

/* Appends printf output. */
STRIFE__FUNC void strife__text_put(struct strife__text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The text, or NULL (freed) if an allocation failed. */
STRIFE__FUNC char *strife__text_take(struct strife__text *t);

/* FNV-1a, 64 bits, of 'n' bytes: the hash of scenarios and their data. */
STRIFE__FUNC uint64_t strife__fnv1a64(const void *p, size_t n);

#endif
