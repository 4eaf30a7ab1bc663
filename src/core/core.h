/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers shared by every module: visibility of internal
 * functions, the injected allocator, and diagnostics.
 */
#ifndef STRIFE_CORE_CORE_H
#define STRIFE_CORE_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <strife/strife.h>

/* Functions used across files but not exported from the shared library. */
#define STRIFE__FUNC __attribute__((visibility("hidden"))) extern

#define STRIFE__MIN(a, b) ((a) < (b) ? (a) : (b))
#define STRIFE__MAX(a, b) ((a) > (b) ? (a) : (b))

/* The allocator a handle was created with. */
struct strife__alloc {
  strife_alloc_fn fn;
  void *ud;
};

/* Fills 'a' from 'cfg' (NULL: the C library). */
STRIFE__FUNC void strife__alloc_init(struct strife__alloc *a,
                                     const strife_config *cfg);
/* Allocates 'n' * 'size' bytes, zeroed, aligned to 64 bytes; NULL on
   failure or overflow.  Free with strife__free and the same size. */
STRIFE__FUNC void *strife__calloc(const struct strife__alloc *a, size_t n,
                                  size_t size);
STRIFE__FUNC void strife__free(const struct strife__alloc *a, void *p, size_t n,
                               size_t size);

/* printf into diag->msg and set its key; 'diag' may be NULL. */
STRIFE__FUNC void strife__diag_set(strife_diag *diag, const char *key,
                                   const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same from a va_list. */
STRIFE__FUNC void strife__diag_vset(strife_diag *diag, const char *key,
                                    const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
