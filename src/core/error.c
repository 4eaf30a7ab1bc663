/* SPDX-License-Identifier: MIT */
/*
 * Names and messages of the status codes, generated from STRIFE_ERRNO_MAP,
 * and the formatting of diagnostics.
 */
#include <stdio.h>
#include <string.h>

#include <strife/strife.h>

const char *strife_errname(int status) {
  switch (status) {
  case STRIFE_OK:
    return "STRIFE_OK";
#define XX(name, value, msg)                                                   \
  case STRIFE_##name:                                                          \
    return "STRIFE_" #name;
    STRIFE_ERRNO_MAP(XX)
#undef XX
  default:
    return "STRIFE_UNKNOWN";
  }
}

const char *strife_strerror(int status) {
  switch (status) {
  case STRIFE_OK:
    return "success";
#define XX(name, value, msg)                                                   \
  case STRIFE_##name:                                                          \
    return msg;
    STRIFE_ERRNO_MAP(XX)
#undef XX
  default:
    return "unknown error";
  }
}

void strife_diag_clear(strife_diag *diag) {
  if (diag) memset(diag, 0, sizeof *diag);
}

int strife_diag_format(const strife_diag *diag, char *buf, size_t size) {
  char where[320] = "";
  if (diag->source[0] && diag->line > 0 && diag->column <= 0)
    snprintf(where, sizeof where, "%s:%d: ", diag->source, diag->line);
  else if (diag->source[0] && diag->line > 0)
    snprintf(where, sizeof where, "%s:%d:%d: ", diag->source, diag->line,
             diag->column);
  else if (diag->source[0])
    snprintf(where, sizeof where, "%s: ", diag->source);
  if (diag->key[0])
    return snprintf(buf, size, "%s%s: %s", where, diag->key, diag->msg);
  return snprintf(buf, size, "%s%s", where, diag->msg);
}
