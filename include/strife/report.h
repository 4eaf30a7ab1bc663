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
 * Writes the report of the run output directory @p source (as strife run
 * writes it: summary.json, national.csv, provinces.csv) to @p out, with
 * the provinces' map from the GeoJSON file @p geojson.  The file appears
 * whole or not at all.
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
