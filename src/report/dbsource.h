/* SPDX-License-Identifier: MIT */
/* A results database as the report reads it. */
#ifndef STRIFE_REPORT_DBSOURCE_H
#define STRIFE_REPORT_DBSOURCE_H

#include <strife/strife.h>

#include "core/core.h"

/* Reads the results database 'path' of an Afghan model's runs: what made
   it (its meta table and arms, JSON), each run's national series by month
   (CSV: arm, rep, month and the series) and the runs' outcomes (CSV: arm,
   rep, name, value), each malloc'd.  Returns STRIFE_OK, or STRIFE_EINVAL
   with the file named in 'diag'. */
STRIFE__FUNC int strife__report_db(const char *path, char **summary,
                                   char **monthly, char **outcomes,
                                   strife_diag *diag);

#endif
