/* SPDX-License-Identifier: MIT */
/**
 * @file report.h
 * A self-contained HTML report of a run's outputs (docs/report.md): one
 * file that works offline, its chart library and data inlined.
 */
#ifndef STRIFE_REPORT_H
#define STRIFE_REPORT_H

#include <strife/strife.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The report of @p source (a run's output directory, or a results
 * database of the Afghan model's runs: docs/report.md) as one HTML page,
 * with the provinces' map from the GeoJSON file @p geojson, into *@p html
 * (malloc'd; the caller frees it; NULL on failure).
 *
 * @return STRIFE_OK; STRIFE_EINVAL when @p source is neither a run's
 *         output directory nor a results database of a model the report
 *         draws, or the map cannot be read (the diagnostic names the
 *         file); STRIFE_ENOMEM.
 */
STRIFE_API int strife_report_html(const char *source, const char *geojson,
                                  char **html, strife_diag *diag);

/**
 * Writes the report of @p source (a run's output directory, as strife run
 * writes it: summary.json, national.csv, provinces.csv; or a results
 * database) to @p out, with the provinces' map from the GeoJSON file
 * @p geojson: strife_report_html's page.  The file appears whole or not
 * at all.
 *
 * @return STRIFE_OK; STRIFE_EINVAL when @p source is not a run's output
 *         directory of a model the report draws (the diagnostic names the
 *         file missing or unreadable); STRIFE_EIO when @p out cannot be
 *         written; STRIFE_ENOMEM.
 */
STRIFE_API int strife_report_write(const char *source, const char *geojson,
                                   const char *out, strife_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
