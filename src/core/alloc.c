/* SPDX-License-Identifier: MIT */
/*
 * The allocator injected through strife_config.  Blocks are aligned to a
 * cache line (64 bytes) so that the struct-of-arrays agent fields start on
 * one; the alignment is done here, over whatever the user's function
 * returns, by over-allocating and storing nothing: the offset is recomputed
 * from the pointer the user's allocator returned, which is kept just before
 * the aligned block.  Large blocks of the default allocator are advised
 * onto huge pages.
 */
#define _DEFAULT_SOURCE /* madvise */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core.h"

enum { ALIGN = 64 };
#define HUGE     ((size_t)2 << 20)
#define HUGE_MIN ((size_t)4 << 20)

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

void strife__alloc_init(struct strife__alloc *a, const strife_config *cfg) {
  a->fn = cfg && cfg->alloc ? cfg->alloc : default_alloc;
  a->ud = cfg && cfg->alloc ? cfg->alloc_ud : NULL;
}

/* Layout: [raw ... pad][void *raw][aligned block of n*size bytes]. */
void *strife__calloc(const struct strife__alloc *a, size_t n, size_t size) {
  if (size && n > (SIZE_MAX - ALIGN - sizeof(void *)) / size) return NULL;
  size_t bytes = n * size;
  size_t total = bytes + ALIGN + sizeof(void *);
  unsigned char *raw = a->fn(a->ud, NULL, 0, total);
  if (!raw) return NULL;
  uintptr_t start = (uintptr_t)(raw + sizeof(void *));
  size_t pad = (size_t)((ALIGN - start % ALIGN) % ALIGN);
  unsigned char *p = raw + sizeof(void *) + pad;
  memcpy(p - sizeof(void *), &raw, sizeof raw);
#ifdef MADV_HUGEPAGE
  if (a->fn == default_alloc && bytes >= HUGE_MIN) {
    /* Large lattice arrays are read near-randomly within a few rows: on
       2 MiB pages (where the kernel has them) they cost fewer TLB misses.
       Advice only; its failure changes nothing. */
    size_t lo = (HUGE - (uintptr_t)p % HUGE) % HUGE; /* offsets in p */
    size_t hi = bytes - ((uintptr_t)p + bytes) % HUGE;
    if (hi > lo) (void)madvise(p + lo, hi - lo, MADV_HUGEPAGE);
  }
#endif
  memset(p, 0, bytes);
  return p;
}

void strife__free(const struct strife__alloc *a, void *p, size_t n,
                  size_t size) {
  if (!p) return;
  unsigned char *raw;
  memcpy(&raw, (unsigned char *)p - sizeof(void *), sizeof raw);
  a->fn(a->ud, raw, n * size + ALIGN + sizeof(void *), 0);
}

void strife__diag_vset(strife_diag *diag, const char *key, const char *fmt,
                       va_list ap) {
  if (!diag) return;
  snprintf(diag->key, sizeof diag->key, "%s", key ? key : "");
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): the caller's */
  vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
}

void strife__diag_set(strife_diag *diag, const char *key, const char *fmt,
                      ...) {
  va_list ap;
  va_start(ap, fmt);
  strife__diag_vset(diag, key, fmt, ap);
  va_end(ap);
}
