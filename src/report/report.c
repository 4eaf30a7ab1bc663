/* SPDX-License-Identifier: MIT */
/* The report of a run's outputs (strife/report.h, docs/report.md): the
   page, its scripts and the run's files, in one HTML file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <strife/report.h>

#include "core/core.h"
#include "core/text.h"
#include "dbsource.h"
#include "scenario/scenario.h"
#include "sinks/sinks.h"
#include "web.h"

/* The page and its scripts, embedded at build time (web/). */
extern const unsigned char strife__web_report_html[], strife__web_report_js[];

#define DATA_MAX ((size_t)256 << 20)

/* Inlined in a script element, a text must not close it. */
static int check_inline(const char *path, const char *text, strife_diag *diag) {
  for (const char *c = text; (c = strchr(c, '<')); c++)
    if (strncasecmp(c, "</script", 8) == 0) {
      strife_diag_clear(diag);
      strife__diag_set(diag, "SOURCE",
                       "%s: holds \"</script\", which a page cannot carry "
                       "inline",
                       path);
      return STRIFE_EINVAL;
    }
  return STRIFE_OK;
}

/* Reads 'dir'/'name' (or 'name' when dir is NULL) whole into *out. */
static int read_part(const char *dir, const char *name, char **out,
                     strife_diag *diag) {
  char path[4096], why[STRIFE_DIAG_SIZE];
  snprintf(path, sizeof path, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
  size_t len;
  int rc = strife__scenario_read(path, DATA_MAX, out, &len, why, sizeof why);
  if (rc == STRIFE_ENOMEM) return rc;
  if (rc) {
    strife_diag_clear(diag);
    strife__diag_set(diag, "SOURCE", "%s: %s", path, why);
    return STRIFE_EINVAL;
  }
  rc = check_inline(path, *out, diag);
  if (rc) {
    free(*out);
    *out = NULL;
  }
  return rc;
}

/* The page with the n data blocks and the scripts at its two marks. */
static char *page(const struct strife__report_part *b, int n) {
  struct strife__text t = {NULL, 0, 0, 0};
  for (int i = 0; i < n; i++)
    strife__text_put(&t, "<script type=\"%s\" id=\"%s\">%s</script>\n",
                     b[i].type, b[i].id, b[i].text);
  char *data = strife__text_take(&t);
  char *html = data
                   ? strife__web_page((const char *)strife__web_report_html,
                                      data, (const char *)strife__web_report_js)
                   : NULL;
  free(data);
  return html;
}

#define PARTS_MAX (STRIFE__REPORT_DB_PARTS + 1)

/* The run's scenario with its sources (scenario.json), for the table of
   parameters; a run without it has an empty one. */
static int run_scenario(const char *source, struct strife__report_part *b,
                        strife_diag *diag) {
  *b =
      (struct strife__report_part){"strife-scenario", "application/json", NULL};
  int rc = read_part(source, "scenario.json", &b->text, diag);
  if (rc == STRIFE_ENOMEM) return rc;
  if (!rc) return STRIFE_OK;
  strife_diag_clear(diag);
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "{}");
  b->text = strife__text_take(&t);
  return b->text ? STRIFE_OK : STRIFE_ENOMEM;
}

/* The blocks of a run's output directory, or of a results database, and
   the provinces' map. */
static int read_source(const char *source, const char *geojson,
                       struct strife__report_part *b, int *n,
                       strife_diag *diag) {
  static const struct strife__report_part run[3] = {
      {"strife-summary", "application/json", NULL},
      {"strife-national", "text/csv", NULL},
      {"strife-provinces", "text/csv", NULL}};
  static const char *const name[3] = {"summary.json", "national.csv",
                                      "provinces.csv"};
  /* A regular file is a database; a directory, a run's outputs. */
  struct stat sb;
  if (stat(source, &sb) != 0 || !(S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode))) {
    strife__diag_set(diag, "SOURCE",
                     "%s: neither a run's output directory nor a results "
                     "database",
                     source);
    return STRIFE_EINVAL;
  }
  int rc = STRIFE_OK;
  if (S_ISREG(sb.st_mode)) {
    *n = STRIFE__REPORT_DB_PARTS;
    rc = strife__report_db(source, b, diag);
    for (int i = 0; i < *n && !rc; i++)
      rc = check_inline(source, b[i].text, diag);
  } else {
    memcpy(b, run, sizeof run);
    *n = 4;
    for (int i = 0; i < 3 && !rc; i++)
      rc = read_part(source, name[i], &b[i].text, diag);
    if (!rc) rc = run_scenario(source, &b[3], diag);
  }
  b[*n] = (struct strife__report_part){"strife-geo", "application/json", NULL};
  (*n)++;
  if (!rc) rc = read_part(NULL, geojson, &b[*n - 1].text, diag);
  return rc;
}

int strife_report_html(const char *source, const char *geojson, char **html,
                       strife_diag *diag) {
  strife_diag_clear(diag);
  if (html) *html = NULL;
  if (!source || !geojson || !html) {
    strife__diag_set(diag, "SOURCE", "no source, map or page named");
    return STRIFE_EINVAL;
  }
  struct strife__report_part b[PARTS_MAX];
  memset(b, 0, sizeof b);
  int n = 0;
  int rc = read_source(source, geojson, b, &n, diag);
  if (!rc && !(*html = page(b, n))) rc = STRIFE_ENOMEM;
  for (int i = 0; i < PARTS_MAX; i++)
    free(b[i].text);
  return rc;
}

int strife_report_write(const char *source, const char *geojson,
                        const char *out, strife_diag *diag) {
  strife_diag_clear(diag);
  if (!out) {
    strife__diag_set(diag, "SOURCE", "no source, map or output named");
    return STRIFE_EINVAL;
  }
  char *text = NULL;
  int rc = strife_report_html(source, geojson, &text, diag);
  if (!rc) {
    /* The directory and the file's name apart, for the atomic write. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", out);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : out;
    if (slash) *slash = '\0';
    rc = strife__files_write(slash ? (dir[0] ? dir : "/") : ".", base, text,
                             diag);
  }
  free(text);
  return rc;
}
