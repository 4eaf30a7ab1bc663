/* SPDX-License-Identifier: MIT */
/*
 * Output files that appear whole or not at all: written under a temporary
 * name in the destination directory, flushed, then renamed over the final
 * name (rename is atomic within a file system).
 */
#ifndef STRIFE_IO_IO_H
#define STRIFE_IO_IO_H

#include <stdio.h>

#include "core/core.h"

struct strife__afile {
  FILE *f;
  char tmp[4096];
  char final[4096];
};

/* Creates directory 'dir' and its parents as needed. */
STRIFE__FUNC int strife__mkdirs(const char *dir, strife_diag *diag);
/* Opens 'dir'/'name' for writing under a temporary name. */
STRIFE__FUNC int strife__afile_open(struct strife__afile *af, const char *dir,
                                    const char *name, strife_diag *diag);
/* Flushes, syncs and renames into place; on any error removes the
   temporary file.  Returns STRIFE_EIO with 'diag' on failure. */
STRIFE__FUNC int strife__afile_commit(struct strife__afile *af,
                                      strife_diag *diag);
/* Writes 'text' to 'dir'/'name' atomically. */
STRIFE__FUNC int strife__write_file(const char *dir, const char *name,
                                    const char *text, strife_diag *diag);

#endif
