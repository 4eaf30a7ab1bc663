/* SPDX-License-Identifier: MIT */
/*
 * A test harness without dependencies.  CHECK_* macros print the
 * expression, both values and file:line on failure and go on; every test
 * binary ends with test_report(), which prints "<module>: N passed, N
 * failed" and gives the exit status.  Tests that draw random numbers print
 * the seed and the command that repeats them.
 */
#ifndef STRIFE_TESTS_HARNESS_H
#define STRIFE_TESTS_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_passed, harness_failed;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      harness_passed++;                                                        \
    } else {                                                                   \
      harness_failed++;                                                        \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_MSG(cond, ...)                                                   \
  do {                                                                         \
    if (cond) {                                                                \
      harness_passed++;                                                        \
    } else {                                                                   \
      harness_failed++;                                                        \
      fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
    }                                                                          \
  } while (0)

#define CHECK_EQ(a, b)                                                         \
  do {                                                                         \
    long long va_ = (long long)(a), vb_ = (long long)(b);                      \
    if (va_ == vb_) {                                                          \
      harness_passed++;                                                        \
    } else {                                                                   \
      harness_failed++;                                                        \
      fprintf(stderr, "%s:%d: CHECK_EQ(%s, %s) failed: %lld != %lld\n",        \
              __FILE__, __LINE__, #a, #b, va_, vb_);                           \
    }                                                                          \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                                  \
  do {                                                                         \
    double va_ = (double)(a), vb_ = (double)(b), vt_ = (double)(tol);          \
    if (fabs(va_ - vb_) <= vt_) {                                              \
      harness_passed++;                                                        \
    } else {                                                                   \
      harness_failed++;                                                        \
      fprintf(stderr,                                                          \
              "%s:%d: CHECK_NEAR(%s, %s, %s) failed: %.10g vs %.10g "          \
              "(|diff| %.3g > %.3g)\n",                                        \
              __FILE__, __LINE__, #a, #b, #tol, va_, vb_, fabs(va_ - vb_),     \
              vt_);                                                            \
    }                                                                          \
  } while (0)

#define CHECK_STR(a, b)                                                        \
  do {                                                                         \
    const char *sa_ = (a), *sb_ = (b);                                         \
    if (sa_ && sb_ && strcmp(sa_, sb_) == 0) {                                 \
      harness_passed++;                                                        \
    } else {                                                                   \
      harness_failed++;                                                        \
      fprintf(stderr,                                                          \
              "%s:%d: CHECK_STR(%s, %s) failed:\n  \"%s\"\n  \"%s\"\n",        \
              __FILE__, __LINE__, #a, #b, sa_ ? sa_ : "(null)",                \
              sb_ ? sb_ : "(null)");                                           \
    }                                                                          \
  } while (0)

#define CHECK_OK(expr)                                                         \
  do {                                                                         \
    int rc_ = (expr);                                                          \
    if (rc_ == 0) {                                                            \
      harness_passed++;                                                        \
    } else {                                                                   \
      harness_failed++;                                                        \
      fprintf(stderr, "%s:%d: CHECK_OK(%s) failed: status %d\n", __FILE__,     \
              __LINE__, #expr, rc_);                                           \
    }                                                                          \
  } while (0)

/* Prints the closing line and returns the exit status. */
static inline int test_report(const char *module) {
  printf("%s: %d passed, %d failed\n", module, harness_passed, harness_failed);
  return harness_failed ? 1 : 0;
}

#endif
