/* SPDX-License-Identifier: MIT */
/*
 * Status codes and diagnostics.
 *
 * Every function that can fail returns an int: STRIFE_OK (0) or a negative
 * STRIFE_E* code, so that counts can share the return value.  The codes
 * come from one table, STRIFE_ERRNO_MAP, which also gives their names and
 * messages.  Before a handle exists (loading a scenario) the caller passes
 * a strife_diag that receives where and why the input is wrong.
 */
#ifndef STRIFE_ERROR_H
#define STRIFE_ERROR_H

#include <stddef.h>

#if defined(STRIFE_BUILDING)
#  define STRIFE_API __attribute__((visibility("default")))
#else
#  define STRIFE_API
#endif

/* XX(name, value, message) */
#define STRIFE_ERRNO_MAP(XX)                                                   \
  XX(EINVAL, -1, "invalid argument")                                           \
  XX(ENOMEM, -2, "out of memory")                                              \
  XX(ELIMIT, -3, "size limit exceeded")                                        \
  XX(EIO, -4, "input/output error")                                            \
  XX(ESYNTAX, -5, "malformed input")                                           \
  XX(ESCENARIO, -6, "invalid scenario")                                        \
  XX(ENOTSUP, -7, "not supported")                                             \
  XX(ECANCELED, -8, "interrupted")

enum strife_errno {
  STRIFE_OK = 0,
#define XX(name, value, msg) STRIFE_##name = (value),
  STRIFE_ERRNO_MAP(XX)
#undef XX
};

/** Name of a status code ("STRIFE_ENOMEM"); "STRIFE_UNKNOWN" if none. */
STRIFE_API const char *strife_errname(int status);
/** Message for a status code ("out of memory"); never NULL. */
STRIFE_API const char *strife_strerror(int status);

/** Size of the message buffer of a strife_diag, including the NUL. */
#define STRIFE_DIAG_SIZE 512

/**
 * Where and why an input was refused.  'source' is a file name, or
 * "--set" for a command-line override; 'line' and 'column' are 1-based and
 * 0 when they do not apply; 'key' is the dotted scenario key ("" if none);
 * 'msg' says what was expected.
 */
typedef struct strife_diag {
  char source[256];
  char key[128];
  int line;
  int column;
  char msg[STRIFE_DIAG_SIZE];
} strife_diag;

/** Empties 'diag'; NULL is allowed. */
STRIFE_API void strife_diag_clear(strife_diag *diag);

/**
 * Writes "SOURCE:LINE:COLUMN: KEY: MSG" (parts that do not apply are left
 * out) into 'buf' of 'size' bytes, always NUL-terminated.
 * @return the length the full text needs, as snprintf.
 */
STRIFE_API int strife_diag_format(const strife_diag *diag, char *buf,
                                  size_t size);

#endif
