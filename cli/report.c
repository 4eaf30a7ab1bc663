/* SPDX-License-Identifier: MIT */
/* strife report: a self-contained HTML report of a run's outputs. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <strife/report.h>

#include "cli.h"

const char cli_usage_report[] =
    "usage: strife report SOURCE [-o FILE] [--map GEOJSON] [--svg DIR]\n"
    "                     [--browser PATH]\n"
    "\n"
    "Writes one HTML file that shows the run whose outputs are in the\n"
    "directory SOURCE (as strife run writes them): each national series\n"
    "over time, a map of the provinces by month, with a slider, and the\n"
    "parameters with their sources; or, when SOURCE is a results database\n"
    "of the Afghan model, each series by month with its 5-95 % band, the\n"
    "arms compared, paired run by run (compare, sweep), the model against\n"
    "the record (score), the indices with their intervals (sensitivity),\n"
    "each free parameter's prior and posterior (calibrate), the map (the\n"
    "median over the first arm's runs) and the first arm's parameters\n"
    "with their sources (docs/report.md).  The file works offline: its\n"
    "chart library (Observable Plot and d3) and the data are inlined.  It\n"
    "appears whole or not at all.\n"
    "\n"
    "  -o FILE          the report (default: SOURCE/report.html, or\n"
    "                   SOURCE.html for a database)\n"
    "  --map GEOJSON    the provinces' boundaries (default:\n"
    "                   data/afghanistan_provinces.geojson)\n"
    "  --svg DIR        also write each chart as DIR/NAME.svg, drawn by a\n"
    "                   headless chromium from the report itself\n"
    "  --browser PATH   the chromium for --svg (default: /usr/bin/chromium)\n";

int cli_report(int argc, char **argv) {
  const char *source = NULL, *out = NULL,
             *map = "data/afghanistan_provinces.geojson", *svg = NULL,
             *browser = NULL;
  const struct cli_option opts[] = {
      {"-o", OPT_TEXT, &out, 0, 0, NULL, "a file"},
      {"--map", OPT_TEXT, &map, 0, 0, NULL, "a GeoJSON file"},
      {"--svg", OPT_TEXT, &svg, 0, 0, NULL, "a directory"},
      {"--browser", OPT_TEXT, &browser, 0, 0, NULL, "a chromium program"},
  };
  int st = cli_parse(cli_usage_report, argc, argv, opts,
                     sizeof opts / sizeof opts[0], &source);
  if (st) return st;
  if (!source)
    return cli_bad_usage(cli_usage_report,
                         "a run's output directory or a results database is "
                         "needed (SOURCE)");
  /* The default: SOURCE/report.html beside a run's outputs, SOURCE.html
     beside a database. */
  char def[4096];
  if (!out) {
    struct stat sb;
    int file = stat(source, &sb) == 0 && S_ISREG(sb.st_mode);
    snprintf(def, sizeof def, file ? "%s.html" : "%s/report.html", source);
    out = def;
  }
  strife_diag d;
  int rc = strife_report_write(source, map, out, &d);
  if (rc) {
    cli_print_diag(&d, rc);
    return cli_exit(rc);
  }
  printf("%s\n", out);
  if (!svg) return 0;
  size_t n = 0;
  rc = strife_report_svg(out, svg, browser, &n, &d);
  if (rc) {
    cli_print_diag(&d, rc);
    return cli_exit(rc);
  }
  printf("%s: %zu charts as SVG\n", svg, n);
  return 0;
}
