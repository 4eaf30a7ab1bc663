/* SPDX-License-Identifier: MIT */
/* The pages of web/, put together (web.h). */
#include "web.h"

#include <string.h>

#include "core/text.h"

/* Embedded at build time (web/embed.cmake). */
extern const unsigned char strife__web_d3[], strife__web_plot[],
    strife__web_charts_js[];

char *strife__web_page(const char *html, const char *data, const char *script) {
  static const char data_mark[] = "<!--strife:data-->",
                    libs_mark[] = "<!--strife:libs-->";
  const char *d = strstr(html, data_mark);
  const char *libs = strstr(d ? d : html, libs_mark);
  if (!libs || (data && !d)) return NULL;
  struct strife__text t = {NULL, 0, 0, 0};
  if (d)
    strife__text_put(&t, "%.*s%s%.*s", (int)(d - html), html, data ? data : "",
                     (int)(libs - d - strlen(data_mark)),
                     d + strlen(data_mark));
  else
    strife__text_put(&t, "%.*s", (int)(libs - html), html);
  strife__text_put(&t, "<script>%s</script>\n<script>%s</script>\n",
                   (const char *)strife__web_d3,
                   (const char *)strife__web_plot);
  strife__text_put(&t, "<script>%s</script>\n<script>%s</script>\n",
                   (const char *)strife__web_charts_js, script);
  strife__text_put(&t, "%s", libs + strlen(libs_mark));
  return strife__text_take(&t);
}
