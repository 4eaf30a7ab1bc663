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
/* Closes and removes the temporary file, if open. */
STRIFE__FUNC void strife__afile_discard(struct strife__afile *af);
/* Writes 'text' to 'dir'/'name' atomically. */
STRIFE__FUNC int strife__write_file(const char *dir, const char *name,
                                    const char *text, strife_diag *diag);

/* Writes the complete scenario as 'dir'/scenario.json. */
STRIFE__FUNC int strife__write_scenario(const strife_scenario *sc,
                                        const char *dir, strife_diag *diag);
/* strife_run for the Afghan model (afghan_out.c). */
STRIFE__FUNC int strife__run_afghan(const strife_scenario *sc,
                                    const strife_config *cfg,
                                    const char *out_dir, strife_run_result *res,
                                    strife_diag *diag);

#endif
