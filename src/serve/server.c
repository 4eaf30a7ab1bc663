/* SPDX-License-Identifier: MIT */
/* The dashboard's HTTP side (strife/serve.h, docs/api.md), on
   libmicrohttpd: a thread a connection, so that an event stream may wait
   for a job's progress while other requests are answered.  Every request
   is checked before anything is done: the Host (a loopback server answers
   only to loopback names), the client's rate, the size of the body, the
   method and the path; a refusal is a 4xx with a JSON error, and changes
   nothing. */
#define _DEFAULT_SOURCE /* realpath, NI_NUMERICHOST */
#include <arpa/inet.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <strife/report.h>

#include "core/text.h"
#include "report/web.h"
#include "scenario/scenario.h"
#include "serve.h"

/* The dashboard's page and the browser libraries (web/). */
extern const unsigned char strife__web_dashboard_html[],
    strife__web_dashboard_js[];

enum { N_BUCKETS = 256 };

/* A client's tokens: 'rate' a second come back, up to 'burst'. */
struct bucket {
  char addr[64];
  double tokens, last;
};

struct strife_server {
  strife_serve_opts o;
  char root[PATH_MAX];
  char bind[64];
  int loopback;
  char *map, *page;
  char map_path[PATH_MAX + 64];
  struct MHD_Daemon *mhd;
  unsigned port;
  struct strife__jobs jobs;
  pthread_mutex_t rate_mu;
  struct bucket buckets[N_BUCKETS];
};

/* What a request has sent of its body. */
struct request {
  char *body;
  size_t n;
  int too_big;
  int refused; /* answered on its headers */
};

static double mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- Responses ---- */

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status,
                                 const char *type, char *text, size_t n) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
  if (!r) {
    free(text);
    return MHD_NO;
  }
  MHD_add_response_header(r, "Content-Type", type);
  MHD_add_response_header(r, "Cache-Control", "no-store");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  if (status == MHD_HTTP_TOO_MANY_REQUESTS)
    MHD_add_response_header(r, "Retry-After", "1");
  if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
    MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
  enum MHD_Result ok = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status,
                                 json_t *j) {
  char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  if (!text) {
    static const char oom[] = "{\"error\":\"the answer could not be made\","
                              "\"status\":500}";
    text = strdup(oom);
    status = MHD_HTTP_INTERNAL_SERVER_ERROR;
  }
  if (!text) return MHD_NO;
  return send_text(c, status, "application/json", text, strlen(text));
}

/* An error: 'why' with every byte that is not printable ASCII shown as
   '?' (a request's text may be cut in a character, or not be UTF-8). */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status,
                                  const char *why) {
  char clean[1024];
  size_t n = 0;
  for (const char *w = why; *w && n < sizeof clean - 1; w++)
    clean[n++] = *w >= 0x20 && *w < 0x7f ? *w : '?';
  clean[n] = '\0';
  return send_json(
      c, status,
      json_pack("{s:s, s:I}", "error", clean, "status", (json_int_t)status));
}

/* ---- Checks on a request's headers ---- */

/* The client's address as text. */
static void client(struct MHD_Connection *c, char *out, size_t n) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(out, n, "?");
  if (!ci || !ci->client_addr) return;
  socklen_t len = ci->client_addr->sa_family == AF_INET6
                      ? sizeof(struct sockaddr_in6)
                      : sizeof(struct sockaddr_in);
  getnameinfo(ci->client_addr, len, out, (socklen_t)n, NULL, 0, NI_NUMERICHOST);
}

/* Takes a token of the client's bucket; 0 when there is none. */
static int rate_ok(strife_server *s, struct MHD_Connection *c) {
  if (s->o.rate < 0) return 1;
  char addr[64];
  client(c, addr, sizeof addr);
  double t = mono();
  pthread_mutex_lock(&s->rate_mu);
  struct bucket *b = NULL, *oldest = &s->buckets[0];
  for (int i = 0; i < N_BUCKETS && !b; i++) {
    if (strcmp(s->buckets[i].addr, addr) == 0) b = &s->buckets[i];
    if (s->buckets[i].last < oldest->last) oldest = &s->buckets[i];
  }
  if (!b) {
    b = oldest;
    snprintf(b->addr, sizeof b->addr, "%s", addr);
    b->tokens = s->o.burst;
    b->last = t;
  }
  b->tokens += (t - b->last) * s->o.rate;
  if (b->tokens > s->o.burst) b->tokens = s->o.burst;
  b->last = t;
  int ok = b->tokens >= 1;
  if (ok) b->tokens -= 1;
  pthread_mutex_unlock(&s->rate_mu);
  return ok;
}

/* Whether 'host' (a Host header) names this loopback server. */
static int loopback_host(const strife_server *s, const char *host) {
  static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
  if (!host) return 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t n = strlen(names[i]);
    if (strncmp(host, names[i], n) != 0) continue;
    if (!host[n]) return 1;
    char *end;
    if (host[n] == ':' && strtoul(host + n + 1, &end, 10) == s->port && !*end)
      return 1;
  }
  return 0;
}

static enum MHD_Result count_host(void *cls, enum MHD_ValueKind kind,
                                  const char *key, const char *value) {
  (void)kind;
  (void)value;
  if (strcasecmp(key, "Host") == 0) ++*(int *)cls;
  return MHD_YES;
}

/* The checks made on the headers: a status and 'why', or 0. */
static unsigned admit(strife_server *s, struct MHD_Connection *c,
                      const char *method, char *why, size_t n) {
  const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
  int hosts = 0;
  MHD_get_connection_values(c, MHD_HEADER_KIND, count_host, &hosts);
  if (hosts > 1) {
    snprintf(why, n, "Host: named %d times", hosts);
    return MHD_HTTP_BAD_REQUEST;
  }
  if (s->loopback && !loopback_host(s, host)) {
    snprintf(why, n,
             "Host: this server answers to 127.0.0.1 or localhost "
             "only");
    return MHD_HTTP_FORBIDDEN;
  }
  if (!rate_ok(s, c)) {
    snprintf(why, n, "too many requests: at most %g a second on average",
             s->o.rate);
    return MHD_HTTP_TOO_MANY_REQUESTS;
  }
  if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0 &&
      strcmp(method, "HEAD") != 0) {
    snprintf(why, n, "method %.16s: expected GET or POST", method);
    return MHD_HTTP_METHOD_NOT_ALLOWED;
  }
  /* A page of another site may not start or cancel runs here. */
  const char *origin =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
  if (strcmp(method, "POST") == 0 && origin &&
      !(strncmp(origin, "http://", 7) == 0 && host &&
        strcmp(origin + 7, host) == 0)) {
    snprintf(why, n, "Origin: not this server");
    return MHD_HTTP_FORBIDDEN;
  }
  const char *len =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
  if (len && strtoull(len, NULL, 10) > s->o.max_body) {
    snprintf(why, n, "body: at most %zu bytes", s->o.max_body);
    return MHD_HTTP_CONTENT_TOO_LARGE;
  }
  return 0;
}

/* ---- The query of a GET ---- */

struct query_check {
  const char *const *allowed;
  char bad[80];
};

static enum MHD_Result query_key(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value) {
  (void)kind;
  (void)value;
  struct query_check *q = cls;
  for (const char *const *a = q->allowed; *a; a++)
    if (strcmp(*a, key) == 0) return MHD_YES;
  snprintf(q->bad, sizeof q->bad, "%.64s", key);
  return MHD_NO;
}

/* Refuses a query parameter that is not in 'allowed' (NULL-terminated). */
static int query_ok(struct MHD_Connection *c, const char *const *allowed,
                    char *why, size_t n) {
  struct query_check q = {allowed, ""};
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_key, &q);
  if (!q.bad[0]) return 1;
  snprintf(why, n, "unknown query parameter '%s'", q.bad);
  return 0;
}

static const char *arg(struct MHD_Connection *c, const char *key) {
  return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
}

/* ---- Routes ---- */

/* The database named by ?db=, resolved inside the folder. */
static unsigned db_arg(strife_server *s, struct MHD_Connection *c, char *path,
                       size_t n_path, char *why, size_t n) {
  const char *db = arg(c, "db");
  if (!db) {
    snprintf(why, n, "db: missing (a results database of the folder)");
    return MHD_HTTP_BAD_REQUEST;
  }
  size_t len = strlen(db);
  if (len < 4 || strcmp(db + len - 3, ".db") != 0) {
    snprintf(why, n, "db: expected a .db file of the served folder");
    return MHD_HTTP_BAD_REQUEST;
  }
  return (unsigned)strife__folder_resolve(s->root, db, path, n_path, why, n);
}

static enum MHD_Result get_results(strife_server *s, struct MHD_Connection *c,
                                   int provinces) {
  static const char *const res[] = {"db", "series", NULL};
  static const char *const prov[] = {"db", "month", "quantity", "arm", NULL};
  char why[1024] = "", path[PATH_MAX];
  if (!query_ok(c, provinces ? prov : res, why, sizeof why))
    return send_error(c, MHD_HTTP_BAD_REQUEST, why);
  unsigned st = db_arg(s, c, path, sizeof path, why, sizeof why);
  if (st) return send_error(c, st, why);
  json_t *j =
      provinces
          ? strife__folder_provinces(path, arg(c, "month"), arg(c, "quantity"),
                                     arg(c, "arm"), why, sizeof why)
          : strife__folder_results(path, arg(c, "series"), why, sizeof why);
  if (!j) return send_error(c, MHD_HTTP_BAD_REQUEST, why);
  return send_json(c, MHD_HTTP_OK, j);
}

/* The report of a database of the folder (docs/report.md), made now. */
static enum MHD_Result get_report(strife_server *s, struct MHD_Connection *c) {
  static const char *const args[] = {"db", NULL};
  char why[1024] = "", path[PATH_MAX];
  if (!query_ok(c, args, why, sizeof why))
    return send_error(c, MHD_HTTP_BAD_REQUEST, why);
  unsigned st = db_arg(s, c, path, sizeof path, why, sizeof why);
  if (st) return send_error(c, st, why);
  char *html = NULL;
  strife_diag d;
  int rc = strife_report_html(path, s->map_path, &html, &d);
  if (rc) {
    strife_diag_format(&d, why, sizeof why);
    /* The message names the file by its place in the folder. */
    const char *rel = strstr(why, path) ? why + strlen(s->root) + 1 : why;
    return send_error(c,
                      rc == STRIFE_ENOMEM ? MHD_HTTP_INTERNAL_SERVER_ERROR
                                          : MHD_HTTP_BAD_REQUEST,
                      rel);
  }
  struct MHD_Response *r = MHD_create_response_from_buffer(
      strlen(html), html, MHD_RESPMEM_MUST_FREE);
  if (!r) {
    free(html);
    return MHD_NO;
  }
  MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  /* The report is whole: it may run its inline scripts, and load
     nothing. */
  MHD_add_response_header(r, "Content-Security-Policy",
                          "default-src 'none'; script-src 'unsafe-inline' "
                          "'unsafe-eval'; style-src 'unsafe-inline'; "
                          "img-src data:");
  enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result get_state(strife_server *s, struct MHD_Connection *c) {
  unsigned running;
  pthread_mutex_lock(&s->jobs.mu);
  running = s->jobs.running;
  pthread_mutex_unlock(&s->jobs.mu);
  json_t *limits = json_pack("{s:I, s:I, s:I, s:f, s:I}", "max_jobs",
                             (json_int_t)s->o.max_jobs, "max_runs",
                             (json_int_t)s->o.max_runs, "max_body",
                             (json_int_t)s->o.max_body, "rate", s->o.rate,
                             "burst", (json_int_t)s->o.burst);
  return send_json(c, MHD_HTTP_OK,
                   json_pack("{s:s, s:I, s:o, s:o}", "version",
                             strife_version_string(), "running",
                             (json_int_t)running, "limits", limits, "jobs",
                             strife__jobs_list(&s->jobs)));
}

static enum MHD_Result post_job(strife_server *s, struct MHD_Connection *c,
                                const struct request *r) {
  char why[1024] = "";
  struct strife__job_spec spec;
  int st = strife__job_spec_parse(r->body ? r->body : "", r->n, &s->o, s->root,
                                  &spec, why, sizeof why);
  unsigned id = 0;
  if (!st)
    st = strife__jobs_start(&s->jobs, &spec, &s->o, s->root, &id, why,
                            sizeof why);
  if (st) return send_error(c, (unsigned)st, why);
  return send_json(c, MHD_HTTP_CREATED,
                   strife__jobs_get(&s->jobs, id, NULL, NULL));
}

/* ---- A job's events ---- */

struct stream {
  strife_server *s;
  unsigned id;
  uint64_t seen;
  int started, end;
  char last[64]; /* what the last event said: runs done, state */
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  struct stream *st = cls;
  if (st->end || max < 64) return MHD_CONTENT_READER_END_OF_STREAM;
  for (;;) {
    if (st->started) {
      int closing;
      uint64_t v = strife__jobs_wait(&st->s->jobs, st->seen, 5000, &closing);
      if (closing) return MHD_CONTENT_READER_END_OF_STREAM;
      if (v == st->seen) return snprintf(buf, max, ": waiting\n\n");
    }
    st->started = 1;
    int finished = 0;
    json_t *j = strife__jobs_get(&st->s->jobs, st->id, &st->seen, &finished);
    /* Another job's change: nothing new to say of this one. */
    char said[64];
    snprintf(said, sizeof said, "%" JSON_INTEGER_FORMAT " %s %d",
             json_integer_value(json_object_get(j, "done")),
             json_string_value(json_object_get(j, "state")),
             json_is_true(json_object_get(j, "cancelling")));
    if (j && strcmp(said, st->last) == 0) {
      json_decref(j);
      continue;
    }
    memcpy(st->last, said, sizeof said);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!text) return MHD_CONTENT_READER_END_WITH_ERROR;
    int n = snprintf(buf, max, "event: job\ndata: %s\n\n", text);
    free(text);
    if (n < 0 || (size_t)n >= max) return MHD_CONTENT_READER_END_WITH_ERROR;
    st->end = finished;
    return n;
  }
}

static enum MHD_Result get_events(strife_server *s, struct MHD_Connection *c,
                                  unsigned id) {
  struct stream *st = calloc(1, sizeof *st);
  if (!st) return MHD_NO;
  st->s = s;
  st->id = id;
  struct MHD_Response *r = MHD_create_response_from_callback(
      MHD_SIZE_UNKNOWN, 32768, stream_read, st, free);
  if (!r) {
    free(st);
    return MHD_NO;
  }
  MHD_add_response_header(r, "Content-Type", "text/event-stream");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
  MHD_destroy_response(r);
  return ok;
}

/* /api/jobs/N, /api/jobs/N/events, /api/jobs/N/cancel. */
static enum MHD_Result job_route(strife_server *s, struct MHD_Connection *c,
                                 const char *rest, int post) {
  char *end;
  unsigned long id = strtoul(rest, &end, 10);
  json_t *j = NULL;
  if (end != rest && rest[0] != '+' && rest[0] != '-' && id >= 1 &&
      id <= STRIFE__JOBS_MAX)
    j = strife__jobs_get(&s->jobs, (unsigned)id, NULL, NULL);
  if (!j) return send_error(c, MHD_HTTP_NOT_FOUND, "no such comparison");
  const char *what = *end == '/' ? end + 1 : end;
  int cancel = strcmp(what, "cancel") == 0,
      events = strcmp(what, "events") == 0;
  if (*end && !(*end == '/' && (cancel || events))) {
    json_decref(j);
    return send_error(c, MHD_HTTP_NOT_FOUND, "no such path");
  }
  if (post != cancel) {
    json_decref(j);
    return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                      cancel ? "cancel: expected POST" : "expected GET");
  }
  if (events) {
    json_decref(j);
    return get_events(s, c, (unsigned)id);
  }
  if (cancel) {
    json_decref(j);
    strife__jobs_cancel(&s->jobs, (unsigned)id);
    j = strife__jobs_get(&s->jobs, (unsigned)id, NULL, NULL);
  }
  return send_json(c, MHD_HTTP_OK, j);
}

static enum MHD_Result send_page(struct MHD_Connection *c, char *text,
                                 const char *type) {
  struct MHD_Response *r = MHD_create_response_from_buffer(
      strlen(text), text, MHD_RESPMEM_PERSISTENT);
  if (!r) return MHD_NO;
  MHD_add_response_header(r, "Content-Type", type);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Content-Security-Policy",
                          "default-src 'self'; script-src 'unsafe-inline'; "
                          "style-src 'unsafe-inline'; img-src 'self' data:");
  enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
  MHD_destroy_response(r);
  return ok;
}

static const char *const no_args[] = {NULL};

static enum MHD_Result get_route(strife_server *s, struct MHD_Connection *c,
                                 const char *url) {
  char why[256] = "";
  if (strcmp(url, "/api/results") != 0 && strcmp(url, "/api/provinces") != 0 &&
      strcmp(url, "/api/report") != 0 && !query_ok(c, no_args, why, sizeof why))
    return send_error(c, MHD_HTTP_BAD_REQUEST, why);
  if (strcmp(url, "/") == 0)
    return send_page(c, s->page, "text/html; charset=utf-8");
  if (strcmp(url, "/api/map") == 0)
    return send_page(c, s->map, "application/geo+json");
  if (strcmp(url, "/api/state") == 0) return get_state(s, c);
  if (strcmp(url, "/api/jobs") == 0)
    return send_json(c, MHD_HTTP_OK, strife__jobs_list(&s->jobs));
  if (strcmp(url, "/api/scenarios") == 0)
    return send_json(c, MHD_HTTP_OK, strife__folder_scenarios(s->root));
  if (strcmp(url, "/api/databases") == 0)
    return send_json(c, MHD_HTTP_OK, strife__folder_databases(s->root));
  if (strcmp(url, "/api/results") == 0) return get_results(s, c, 0);
  if (strcmp(url, "/api/provinces") == 0) return get_results(s, c, 1);
  if (strcmp(url, "/api/report") == 0) return get_report(s, c);
  if (strncmp(url, "/api/jobs/", 10) == 0) return job_route(s, c, url + 10, 0);
  return send_error(c, MHD_HTTP_NOT_FOUND, "no such path");
}

static enum MHD_Result route(strife_server *s, struct MHD_Connection *c,
                             const char *url, const char *method,
                             const struct request *r) {
  if (strcmp(method, "POST") != 0) {
    if (r->n)
      return send_error(c, MHD_HTTP_BAD_REQUEST, "GET: expected no body");
    return get_route(s, c, url);
  }
  char why[256] = "";
  if (!query_ok(c, no_args, why, sizeof why))
    return send_error(c, MHD_HTTP_BAD_REQUEST, why);
  if (strcmp(url, "/api/jobs") == 0) return post_job(s, c, r);
  if (strncmp(url, "/api/jobs/", 10) == 0) return job_route(s, c, url + 10, 1);
  return send_error(c,
                    strncmp(url, "/api/", 5) == 0 || strcmp(url, "/") == 0
                        ? MHD_HTTP_METHOD_NOT_ALLOWED
                        : MHD_HTTP_NOT_FOUND,
                    "POST: only /api/jobs and /api/jobs/N/cancel");
}

/* Keeps up to max_body bytes of the body; notes when there is more. */
static void take_body(strife_server *s, struct request *r, const char *data,
                      size_t n) {
  if (r->too_big || r->n + n > s->o.max_body) {
    r->too_big = 1;
    return;
  }
  char *b = realloc(r->body, r->n + n + 1);
  if (!b) {
    r->too_big = 1;
    return;
  }
  memcpy(b + r->n, data, n);
  r->n += n;
  b[r->n] = '\0';
  r->body = b;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *size, void **state) {
  (void)version;
  strife_server *s = cls;
  struct request *r = *state;
  if (!r) {
    if (!(r = calloc(1, sizeof *r))) return MHD_NO;
    *state = r;
    char why[256] = "";
    unsigned st = admit(s, c, method, why, sizeof why);
    if (!st) return MHD_YES;
    r->refused = 1;
    return send_error(c, st, why);
  }
  if (r->refused) {
    *size = 0;
    return MHD_YES;
  }
  if (*size) {
    take_body(s, r, data, *size);
    *size = 0;
    return MHD_YES;
  }
  if (r->too_big) {
    char why[96];
    snprintf(why, sizeof why, "body: at most %zu bytes", s->o.max_body);
    return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, why);
  }
  return route(s, c, url, method, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why) {
  (void)cls;
  (void)c;
  (void)why;
  struct request *r = *state;
  if (r) free(r->body);
  free(r);
  *state = NULL;
}

/* ---- Start and stop ---- */

static void defaults(strife_serve_opts *o) {
  if (!o->bind) o->bind = "127.0.0.1";
  if (!o->port && !o->any_port) o->port = 8080;
  if (!o->root) o->root = ".";
  if (!o->max_jobs) o->max_jobs = 2;
  if (!o->max_runs) o->max_runs = 1000;
  if (!o->max_body) o->max_body = 65536;
  if (o->rate == 0) o->rate = 50;
  if (!o->burst) o->burst = 100;
  if (!o->max_conns) o->max_conns = 64;
}

/* The page with the libraries and its script inlined at its mark. */
static char *dashboard_page(void) {
  return strife__web_page((const char *)strife__web_dashboard_html, NULL,
                          (const char *)strife__web_dashboard_js);
}

/* The folder, the map and the page. */
static int prepare(strife_server *s, strife_diag *diag) {
  struct in_addr a;
  if (inet_pton(AF_INET, s->o.bind, &a) != 1) {
    strife__diag_set(diag, "--bind", "'%s': expected an IPv4 address",
                     s->o.bind);
    return STRIFE_EINVAL;
  }
  struct stat sb;
  if (!realpath(s->o.root, s->root) || stat(s->root, &sb) != 0 ||
      !S_ISDIR(sb.st_mode)) {
    strife__diag_set(diag, "--root", "%s: not a folder", s->o.root);
    return STRIFE_EINVAL;
  }
  char why[STRIFE_DIAG_SIZE], *path = s->map_path;
  size_t n_path = sizeof s->map_path;
  if (s->o.map)
    snprintf(path, n_path, "%s", s->o.map);
  else
    snprintf(path, n_path, "%s/data/afghanistan_provinces.geojson", s->root);
  size_t len;
  int rc = strife__scenario_read(path, (size_t)64 << 20, &s->map, &len, why,
                                 sizeof why);
  if (rc) {
    strife__diag_set(diag, "--map", "%s: %s", path, why);
    return rc == STRIFE_ENOMEM ? rc : STRIFE_EINVAL;
  }
  if (!(s->page = dashboard_page())) return STRIFE_ENOMEM;
  return STRIFE_OK;
}

static int listen_on(strife_server *s, strife_diag *diag) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)s->o.port);
  if (inet_pton(AF_INET, s->o.bind, &a.sin_addr) != 1) {
    strife__diag_set(diag, "--bind", "'%s': expected an IPv4 address",
                     s->o.bind);
    return STRIFE_EINVAL;
  }
  s->loopback = (ntohl(a.sin_addr.s_addr) >> 24) == 127;
  s->mhd = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
      (uint16_t)s->o.port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&a, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)s->o.max_conns, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
  if (!s->mhd) {
    strife__diag_set(diag, "--port", "cannot listen on %s:%u (in use?)",
                     s->o.bind, s->o.port);
    return STRIFE_EIO;
  }
  const union MHD_DaemonInfo *di =
      MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
  s->port = di ? di->port : s->o.port;
  return STRIFE_OK;
}

int strife_serve_start(const strife_serve_opts *o, strife_server **out,
                       strife_diag *diag) {
  strife_diag_clear(diag);
  *out = NULL;
  strife_server *s = calloc(1, sizeof *s);
  if (!s) return STRIFE_ENOMEM;
  s->o = *o;
  defaults(&s->o);
  if (strife__jobs_init(&s->jobs)) {
    free(s);
    return STRIFE_ENOMEM;
  }
  pthread_mutex_init(&s->rate_mu, NULL);
  int rc = prepare(s, diag);
  if (!rc) rc = listen_on(s, diag);
  if (rc) {
    strife_serve_stop(s);
    return rc;
  }
  *out = s;
  return STRIFE_OK;
}

unsigned strife_serve_port(const strife_server *s) {
  return s->port;
}

void strife_serve_stop(strife_server *s) {
  if (!s) return;
  strife__jobs_shutdown(&s->jobs);
  if (s->mhd) MHD_stop_daemon(s->mhd);
  strife__jobs_close(&s->jobs);
  pthread_mutex_destroy(&s->rate_mu);
  free(s->map);
  free(s->page);
  free(s);
}
