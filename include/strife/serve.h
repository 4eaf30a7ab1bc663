/* SPDX-License-Identifier: MIT */
/**
 * @file serve.h
 * The dashboard (docs/api.md): an HTTP server in the process that starts
 * comparisons of a folder's scenarios on worker threads, streams their
 * progress, and serves their results, the folder's results databases and
 * their reports.
 */
#ifndef STRIFE_SERVE_H
#define STRIFE_SERVE_H

#include <stddef.h>

#include <strife/strife.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What the server serves, and its limits.  Zero (or NULL) takes the
    default named. */
typedef struct strife_serve_opts {
  const char *bind;   /* IPv4 address to listen on; "127.0.0.1" */
  unsigned port;      /* 8080; 0 in 'any' takes a free port */
  int any_port;       /* listen on a free port (strife_serve_port) */
  const char *root;   /* the served folder; "." */
  const char *map;    /* GeoJSON of the provinces, inside or outside
                         root; "data/afghanistan_provinces.geojson" */
  unsigned max_jobs;  /* comparisons running at once; 2 */
  unsigned max_runs;  /* runs per arm of a comparison; 1000 */
  size_t max_body;    /* bytes of a request's body; 65536 */
  double rate;        /* requests a second per client address, on average;
                         0: 50; negative: no limit */
  unsigned burst;     /* requests at once above the rate; 100 */
  unsigned threads;   /* runs at once in a comparison; 0: as OpenMP */
  unsigned max_conns; /* connections at once; 64 */
} strife_serve_opts;

/** A running server. */
typedef struct strife_server strife_server;

/**
 * Starts serving: a thread answers each connection, a thread runs each
 * comparison.  Comparisons write their results databases under
 * root/jobs/.
 * @return STRIFE_OK; STRIFE_EINVAL (bad address, root not a folder, map
 * unreadable) or STRIFE_EIO (the port cannot be bound) with 'diag';
 * STRIFE_ENOMEM.
 */
STRIFE_API int strife_serve_start(const strife_serve_opts *o,
                                  strife_server **out, strife_diag *diag);

/** The port the server listens on. */
STRIFE_API unsigned strife_serve_port(const strife_server *s);

/** Cancels the running comparisons, waits for them (the runs in flight
    finish and are kept), and stops; NULL does nothing. */
STRIFE_API void strife_serve_stop(strife_server *s);

#ifdef __cplusplus
}
#endif

#endif
