/* SPDX-License-Identifier: MIT */
/*
 * The outputs of a run, each a sink (core/engine.h) that writes what the
 * model's schema declares:
 *
 *   files.c    a run's files, written under temporary names and committed
 *              together: all renamed into place once every one is whole
 *   csv.c      a CSV file per table of the schema
 *   json.c     summary.json (the run, its facts and outcomes, laid out as
 *              the schema says) and scenario.json (the complete scenario)
 *   record.c   the run kept in memory, to be replayed into another sink
 *              (an ensemble's runs, committed to the database one at a
 *              time, or sent between MPI ranks)
 *   db.c       the results database (SQLite)
 *   run.c      strife_run: a simulation, the engine's loop, the sinks
 *
 * A new output is one more sink here.
 */
#ifndef STRIFE_SINKS_SINKS_H
#define STRIFE_SINKS_SINKS_H

#include <stdio.h>

#include "core/core.h"
#include "core/engine.h"

/* ------------------------------------------------------------------ */
/* Files committed together (files.c)                                 */
/* ------------------------------------------------------------------ */

/* A file written under a temporary name in its directory. */
struct strife__afile {
  FILE *f;
  char tmp[4096];
  char final[4096];
};

#define STRIFE__FILESET_MAX 16

/* The files of one run: none appears until all are written. */
struct strife__fileset {
  char dir[4096];
  int n;
  struct strife__afile f[STRIFE__FILESET_MAX];
};

/* Creates directory 'dir' and its parents as needed. */
STRIFE__FUNC int strife__files_mkdirs(const char *dir, strife_diag *diag);
/* Makes 'dir' ready before any work: creates it, proves a file can be
   made in it, and removes the temporary files (".NAME.PID.tmp") that
   processes no longer running left there (killed by SIGKILL, say). */
STRIFE__FUNC int strife__files_ready(const char *dir, strife_diag *diag);
/* Writes 'text' to 'dir'/'name' under a temporary name, then renames it
   into place. */
STRIFE__FUNC int strife__files_write(const char *dir, const char *name,
                                     const char *text, strife_diag *diag);

/* An empty set of files for directory 'dir' (which must exist). */
STRIFE__FUNC void strife__fileset_init(struct strife__fileset *fs,
                                       const char *dir);
/* Opens 'name' of the set under a temporary name into *out. */
STRIFE__FUNC int strife__fileset_open(struct strife__fileset *fs,
                                      const char *name, FILE **out,
                                      strife_diag *diag);
/* Flushes and syncs every file; if all are whole, renames each into place,
   else removes them all (the files they would replace stay as they were).
   Returns STRIFE_OK or STRIFE_EIO with 'diag' naming the file. */
STRIFE__FUNC int strife__fileset_commit(struct strife__fileset *fs,
                                        strife_diag *diag);
/* Closes and removes every temporary file of the set. */
STRIFE__FUNC void strife__fileset_discard(struct strife__fileset *fs);

/* ------------------------------------------------------------------ */
/* File sinks (csv.c, json.c)                                         */
/* ------------------------------------------------------------------ */

struct strife__csv_sink {
  struct strife__sink base;
  struct strife__fileset *fs;
  const struct strife__schema *schema;
  FILE *f[STRIFE__FILESET_MAX];
  strife_diag *diag;
};

/* A CSV file per table of the model, into 'fs'. */
STRIFE__FUNC void strife__csv_sink_init(struct strife__csv_sink *s,
                                        struct strife__fileset *fs);

struct strife__json_sink {
  struct strife__sink base;
  struct strife__fileset *fs;
  struct strife__run_facts facts;
  strife_diag *diag;
};

/* summary.json and scenario.json, into 'fs'. */
STRIFE__FUNC void strife__json_sink_init(struct strife__json_sink *s,
                                         struct strife__fileset *fs);

/* ------------------------------------------------------------------ */
/* A run in memory (record.c)                                         */
/* ------------------------------------------------------------------ */

/* What a run was and how it ended, then its rows, encoded: each a byte
   for its table, then its cells by column type (8 bytes for a number, a
   2-byte length, the bytes and a NUL for a text). */
struct strife__record {
  uint64_t seed;
  double scale;
  int interrupted;
  int64_t ticks, end_day;
  double wall_seconds;
  int n_outcomes;
  double outcomes[STRIFE_OUTCOMES_MAX];
  size_t n_rows, n_bytes, cap;
  unsigned char *bytes;
};

struct strife__record_sink {
  struct strife__sink base;
  struct strife__record *rec;
  const struct strife__schema *schema;
};

/* A sink that keeps the run in 'rec' (emptied first). */
STRIFE__FUNC void strife__record_sink_init(struct strife__record_sink *s,
                                           struct strife__record *rec);
STRIFE__FUNC void strife__record_free(struct strife__record *rec);
/* Hands the recorded run to 'to' as the engine would: begin (with 'facts'
   completed from the record), the rows, end.  Returns the sink's first
   error, or STRIFE_EIO for a record whose rows do not decode. */
STRIFE__FUNC int strife__record_replay(const struct strife__record *rec,
                                       struct strife__run_facts facts,
                                       struct strife__sink *to,
                                       strife_diag *diag);

#endif
