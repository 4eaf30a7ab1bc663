/* SPDX-License-Identifier: MIT */
/*
 * The version of strife, as macros for the headers a program was compiled
 * against and as functions for the library it runs with.
 */
#ifndef STRIFE_VERSION_H
#define STRIFE_VERSION_H

#define STRIFE_VERSION_MAJOR  0
#define STRIFE_VERSION_MINOR  1
#define STRIFE_VERSION_PATCH  0
#define STRIFE_VERSION_STRING "0.1.0"
/** MAJOR * 10000 + MINOR * 100 + PATCH. */
#define STRIFE_VERSION_NUM                                                     \
  (STRIFE_VERSION_MAJOR * 10000 + STRIFE_VERSION_MINOR * 100 +                 \
   STRIFE_VERSION_PATCH)

#endif
