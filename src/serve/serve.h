/* SPDX-License-Identifier: MIT */
/* The dashboard's server (strife/serve.h, docs/api.md), inside: the
   comparisons it runs (jobs.c), what it reads from the served folder
   (folder.c), and the HTTP side (server.c). */
#ifndef STRIFE_SERVE_SERVE_H
#define STRIFE_SERVE_SERVE_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <strife/serve.h>

#include "core/core.h"

/* ---- Comparisons on worker threads (jobs.c) ---- */

enum strife__job_state {
  STRIFE__JOB_RUNNING,
  STRIFE__JOB_DONE,
  STRIFE__JOB_CANCELLED,
  STRIFE__JOB_FAILED
};

/* What a request asks to run, checked (strife__job_spec_parse). */
struct strife__job_spec {
  char scenario[1024]; /* relative to the served folder */
  char path[4096];     /* the same, resolved */
  char *policies[4];
  size_t n_policies;
  char *sets[64]; /* KEY=VALUE */
  size_t n_sets;
  uint32_t runs;
};

struct strife__job {
  unsigned id;
  struct strife__job_spec spec;
  char db[1024];      /* relative to the served folder */
  char db_path[4096]; /* absolute */
  volatile int cancel;
  uint64_t done, total;
  enum strife__job_state state;
  char error[1024];
  double started, finished; /* seconds, CLOCK_REALTIME */
  unsigned threads;
  pthread_t thread;
  int joined; /* its thread was waited for */
  struct strife__jobs *owner;
};

enum { STRIFE__JOBS_MAX = 1000 };

struct strife__jobs {
  pthread_mutex_t mu;
  pthread_cond_t changed;
  struct strife__job *v[STRIFE__JOBS_MAX];
  size_t n;
  unsigned running;
  uint64_t version; /* bumped on every change of any job */
  int closing;
};

STRIFE__FUNC int strife__jobs_init(struct strife__jobs *j);
/* Asks every job to stop and refuses new ones; wakes the waiters. */
STRIFE__FUNC void strife__jobs_shutdown(struct strife__jobs *j);
/* After strife__jobs_shutdown, and once nothing waits any more: waits for
   the jobs, frees them. */
STRIFE__FUNC void strife__jobs_close(struct strife__jobs *j);

/* Parses and checks a request's body into 'spec'; on failure fills 'why'
   and returns the HTTP status (400). */
STRIFE__FUNC int strife__job_spec_parse(const char *body, size_t len,
                                        const strife_serve_opts *o,
                                        const char *root,
                                        struct strife__job_spec *spec,
                                        char *why, size_t n_why);
STRIFE__FUNC void strife__job_spec_free(struct strife__job_spec *spec);

/* Starts a comparison of 'spec' (taken over, even on failure); its id in
   *id.  On failure fills 'why' and returns the HTTP status (429 at the
   limit of jobs, 500). */
STRIFE__FUNC int strife__jobs_start(struct strife__jobs *j,
                                    struct strife__job_spec *spec,
                                    const strife_serve_opts *o,
                                    const char *root, unsigned *id, char *why,
                                    size_t n_why);
/* Asks job 'id' to stop; 0, or 404 when there is none. */
STRIFE__FUNC int strife__jobs_cancel(struct strife__jobs *j, unsigned id);
/* Job 'id' as JSON (NULL when there is none), and the version it is of. */
STRIFE__FUNC json_t *strife__jobs_get(struct strife__jobs *j, unsigned id,
                                      uint64_t *version, int *finished);
/* Every job as a JSON array. */
STRIFE__FUNC json_t *strife__jobs_list(struct strife__jobs *j);
/* Waits until the version passes 'seen', the server closes, or 'ms'
   milliseconds pass; returns the version then. */
STRIFE__FUNC uint64_t strife__jobs_wait(struct strife__jobs *j, uint64_t seen,
                                        int ms, int *closing);

/* ---- The served folder (folder.c) ---- */

/* 'rel' resolved inside 'root' (both real paths) into 'out'; 0, or 403
   when it leaves the folder, 404 when it is not there, 400 when it is
   malformed; 'why' says which. */
STRIFE__FUNC int strife__folder_resolve(const char *root, const char *rel,
                                        char *out, size_t n_out, char *why,
                                        size_t n_why);
/* The scenarios of root/scenarios/ and the keys a dashboard sets. */
STRIFE__FUNC json_t *strife__folder_scenarios(const char *root);
/* The results databases under root (two folders deep). */
STRIFE__FUNC json_t *strife__folder_databases(const char *root);
/* A database's series by month (an arm, a run, a month, a value a row)
   and its key outcomes; NULL with 'why' on failure. */
STRIFE__FUNC json_t *strife__folder_results(const char *path,
                                            const char *series, char *why,
                                            size_t n_why);
/* A quantity of the provinces in a month, averaged over the runs of an
   arm; NULL with 'why' on failure. */
STRIFE__FUNC json_t *strife__folder_provinces(const char *path,
                                              const char *month,
                                              const char *quantity,
                                              const char *arm, char *why,
                                              size_t n_why);

#endif
