/* SPDX-License-Identifier: MIT */
/* The report of a run's outputs (strife/report.h, docs/report.md): the
   page, its scripts and the run's files, in one HTML file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <strife/report.h>

#include "core/core.h"
#include "core/text.h"
#include "scenario/scenario.h"
#include "sinks/sinks.h"

/* The page and its scripts, embedded at build time (web/). */
extern const unsigned char strife__web_report_html[], strife__web_report_js[],
    strife__web_d3[], strife__web_plot[];

#define DATA_MAX ((size_t)256 << 20)

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
  /* Inlined in a script element, the text must not close it. */
  for (const char *c = *out; (c = strchr(c, '<')); c++)
    if (strncasecmp(c, "</script", 8) == 0) {
      free(*out);
      *out = NULL;
      strife_diag_clear(diag);
      strife__diag_set(diag, "SOURCE",
                       "%s: holds \"</script\", which a page "
                       "cannot carry inline",
                       path);
      return STRIFE_EINVAL;
    }
  return STRIFE_OK;
}

/* The page with the data blocks and the scripts at its two marks. */
static char *page(char *const part[4]) {
  static const char *const id[4] = {"strife-summary", "strife-national",
                                    "strife-provinces", "strife-geo"};
  static const char *const type[4] = {"application/json", "text/csv",
                                      "text/csv", "application/json"};
  const char *html = (const char *)strife__web_report_html;
  const char *data = strstr(html, "<!--strife:data-->");
  const char *libs = data ? strstr(data, "<!--strife:libs-->") : NULL;
  if (!libs) return NULL;
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "%.*s", (int)(data - html), html);
  for (int i = 0; i < 4; i++)
    strife__text_put(&t, "<script type=\"%s\" id=\"%s\">%s</script>\n", type[i],
                     id[i], part[i]);
  strife__text_put(&t, "<script>%s</script>\n<script>%s</script>\n",
                   (const char *)strife__web_d3,
                   (const char *)strife__web_plot);
  strife__text_put(&t, "<script>%s</script>\n",
                   (const char *)strife__web_report_js);
  const char *rest = libs + strlen("<!--strife:libs-->");
  strife__text_put(&t, "%s", rest);
  return strife__text_take(&t);
}

int strife_report_write(const char *source, const char *geojson,
                        const char *out, strife_diag *diag) {
  strife_diag_clear(diag);
  if (!source || !geojson || !out) {
    strife__diag_set(diag, "SOURCE", "no source, map or output named");
    return STRIFE_EINVAL;
  }
  static const char *const name[3] = {"summary.json", "national.csv",
                                      "provinces.csv"};
  char *part[4] = {NULL, NULL, NULL, NULL};
  int rc = STRIFE_OK;
  for (int i = 0; i < 3 && !rc; i++)
    rc = read_part(source, name[i], &part[i], diag);
  if (!rc) rc = read_part(NULL, geojson, &part[3], diag);
  char *text = rc ? NULL : page(part);
  if (!rc && !text) rc = STRIFE_ENOMEM;
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
  for (int i = 0; i < 4; i++)
    free(part[i]);
  return rc;
}
