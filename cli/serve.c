/* SPDX-License-Identifier: MIT */
/* strife serve: the dashboard (strife/serve.h, docs/api.md). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <strife/serve.h>

#include "cli.h"

const char cli_usage_serve[] =
    "usage: strife serve [--port N] [--bind ADDRESS] [--root DIR]\n"
    "                    [--map GEOJSON] [--jobs N] [--max-runs N]\n"
    "                    [--rate N] [--threads N]\n"
    "\n"
    "Serves the dashboard at http://ADDRESS:N/ until Ctrl-C (or SIGTERM,\n"
    "SIGHUP): pick a scenario of DIR/scenarios/, the policies to compare\n"
    "and the foreign levers, start the runs, follow their progress and\n"
    "their charts as they finish, browse the results databases of DIR and\n"
    "the provinces by month.  Comparisons run on threads of their own and\n"
    "write their databases into DIR/jobs/.  The JSON API is in\n"
    "docs/api.md.  Stopping cancels the comparisons running; their\n"
    "finished runs are kept.\n"
    "\n"
    "  --port N         port (1..65535, or 0 for any free one; default\n"
    "                   8080)\n"
    "  --bind ADDRESS   IPv4 address to listen on (default 127.0.0.1, this\n"
    "                   machine only; a loopback server answers only\n"
    "                   requests naming 127.0.0.1 or localhost)\n"
    "  --root DIR       the served folder (default: .)\n"
    "  --map GEOJSON    the provinces (default:\n"
    "                   DIR/data/afghanistan_provinces.geojson)\n"
    "  --jobs N         comparisons running at once (1..64; default 2)\n"
    "  --max-runs N     runs per arm of a comparison (1..1000000;\n"
    "                   default 1000)\n"
    "  --rate N         requests a second per client address, on average\n"
    "                   (bursts of 100 allowed; 0: no limit; default 50)\n"
    "  --threads N      runs at once in a comparison (1..1024; default:\n"
    "                   as many as OpenMP offers)\n";

int cli_serve(int argc, char **argv) {
  strife_serve_opts o;
  memset(&o, 0, sizeof o);
  unsigned long long port = 8080, jobs = 2, max_runs = 1000, rate = 50,
                     threads = 0;
  const struct cli_option opts[] = {
      {"--port", OPT_INT, &port, 0, 65535, NULL, "an integer in 0..65535"},
      {"--bind", OPT_TEXT, &o.bind, 0, 0, NULL, "an IPv4 address"},
      {"--root", OPT_TEXT, &o.root, 0, 0, NULL, "a folder"},
      {"--map", OPT_TEXT, &o.map, 0, 0, NULL, "a GeoJSON file"},
      {"--jobs", OPT_INT, &jobs, 1, 64, NULL, "an integer in 1..64"},
      {"--max-runs", OPT_INT, &max_runs, 1, 1000000, NULL,
       "an integer in 1..1000000"},
      {"--rate", OPT_INT, &rate, 0, 1000000, NULL, "an integer in 0..1000000"},
      {"--threads", OPT_INT, &threads, 1, 1024, NULL, "an integer in 1..1024"},
  };
  int st = cli_parse(cli_usage_serve, argc, argv, opts,
                     sizeof opts / sizeof opts[0], NULL);
  if (st) return st;
  o.port = (unsigned)port;
  o.any_port = port == 0;
  o.max_jobs = (unsigned)jobs;
  o.max_runs = (unsigned)max_runs;
  o.rate = rate ? (double)rate : -1;
  o.threads = (unsigned)threads;
  cli_catch_signals();
  strife_server *s = NULL;
  strife_diag d;
  int rc = strife_serve_start(&o, &s, &d);
  if (rc) {
    cli_print_diag(&d, rc);
    return cli_exit(rc);
  }
  printf("strife serve: http://%s:%u/ (Ctrl-C stops)\n",
         o.bind ? o.bind : "127.0.0.1", strife_serve_port(s));
  fflush(stdout);
  const volatile int *stop = cli_cancel();
  const struct timespec tick = {0, 100000000L};
  while (!*stop)
    nanosleep(&tick, NULL);
  fprintf(stderr, "strife serve: stopping\n");
  strife_serve_stop(s);
  return 0;
}
