/* SPDX-License-Identifier: MIT */
/* The pages strife serves or writes (web/): a page's text with its data
   blocks, the browser libraries, the shared chart code and its own script
   inlined at its marks. */
#ifndef STRIFE_REPORT_WEB_H
#define STRIFE_REPORT_WEB_H

#include "core/core.h"

/* The page 'html' with 'data' (script elements, or NULL) at its mark
   <!--strife:data--> when it has one, and d3, Plot, web/charts.js and
   'script' at its mark <!--strife:libs-->; malloc'd, or NULL (no mark, or
   out of memory). */
STRIFE__FUNC char *strife__web_page(const char *html, const char *data,
                                    const char *script);

#endif
