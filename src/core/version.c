/* SPDX-License-Identifier: MIT */
/* The version of the library itself, as opposed to its headers'. */
#include <strife/strife.h>

int strife_version_num(void) {
  return STRIFE_VERSION_NUM;
}

const char *strife_version_string(void) {
  return STRIFE_VERSION_STRING;
}
