/* SPDX-License-Identifier: MIT */
/* A results database as the report reads it. */
#ifndef STRIFE_REPORT_DBSOURCE_H
#define STRIFE_REPORT_DBSOURCE_H

#include <strife/strife.h>

#include "core/core.h"

/* A data block of the page: its element id, its type and its text. */
struct strife__report_part {
  const char *id, *type;
  char *text;
};

#define STRIFE__REPORT_DB_PARTS 9

/* Reads the results database 'path' of an Afghan model's runs into the
   STRIFE__REPORT_DB_PARTS parts of the page, each text malloc'd: what
   made it (its meta table and arms, and the scenario's free parameters,
   JSON); each run's national series by month (CSV: arm, rep, month and
   the series); the runs' outcomes (arm, rep, name, value); the provinces'
   quantities of the map by month, the median over the first arm's runs;
   the tables score and sensitivity; the last generation of the posterior
   (particle, weight, key, value of each free parameter); and the first
   arm's parameters (key, value, source); the table skill.  Returns STRIFE_OK,
   or STRIFE_EINVAL with the file named in 'diag'. */
STRIFE__FUNC int strife__report_db(const char *path,
                                   struct strife__report_part *part,
                                   strife_diag *diag);

#endif
