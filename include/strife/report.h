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

/**
 * Writes each chart of the report file @p report (as strife_report_write
 * wrote it) as an SVG file, @p dir/NAME.svg, NAME the chart's name
 * (series-attacks, bands-isk_fighters, map, ...): the page is drawn by the
 * headless browser @p browser (NULL: /usr/bin/chromium), so that the files
 * are the charts a reader sees.  @p dir is made if missing; each file
 * appears whole or not at all.
 *
 * @param written receives the number of files written.
 * @return STRIFE_OK; STRIFE_EINVAL when @p report is not there; STRIFE_EIO
 *         when the browser cannot run or draw the page, or a file cannot
 *         be written (with 'diag'); STRIFE_ENOMEM.
 */
STRIFE_API int strife_report_svg(const char *report, const char *dir,
                                 const char *browser, size_t *written,
                                 strife_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
