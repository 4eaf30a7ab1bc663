/* SPDX-License-Identifier: MIT */
/*
 * The dashboard's server under load (strife serve, docs/api.md), on
 * loopback: a comparison of 2 policies x RUNS runs (argument 1, default
 * 50: 100 runs) of the default scenario at agent scale 1000 is started
 * through the API, and while it runs a bounded client (CLIENTS keep-alive
 * connections, argument 2, default 4, each sending its next request when
 * the last is answered) asks half the time for the state (/api/state) and
 * half the time for the results so far (/api/results, IS-K fighters by
 * month over the runs finished).  Printed per endpoint: requests, requests
 * per second, median, 99th percentile and largest latency, and errors
 * (anything but a 200, or a broken connection).  The rate limit is off:
 * this measures the server, not its limit.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <strife/serve.h>

#include "bench.h"

static unsigned port;
static volatile int stop;

/* A connection and its read buffer. */
struct conn {
  int fd;
  char buf[1 << 16];
  size_t have;
};

static int dial(struct conn *c) {
  c->have = 0;
  c->fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return connect(c->fd, (struct sockaddr *)&a, sizeof a);
}

/* Reads until 'want' bytes are buffered; 0, or -1 on a closed socket. */
static int fill(struct conn *c, size_t want) {
  while (c->have < want) {
    ssize_t n = read(c->fd, c->buf + c->have, sizeof c->buf - c->have);
    if (n <= 0) return -1;
    c->have += (size_t)n;
  }
  return 0;
}

/* One request on the connection; the status, or -1.  The body is read,
   kept in *keep (malloc'd) when keep is not NULL; *body_bytes its
   size. */
static int request(struct conn *c, const char *method, const char *path,
                   const char *body, size_t *body_bytes, char **keep) {
  char req[1024];
  int n =
      snprintf(req, sizeof req,
               "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
               "Content-Length: %zu\r\n\r\n%s",
               method, path, port, body ? strlen(body) : 0, body ? body : "");
  if (write(c->fd, req, (size_t)n) != n) return -1;
  char *end = NULL;
  while (!end) {
    if (c->have == sizeof c->buf || fill(c, c->have + 1)) return -1;
    c->buf[c->have] = '\0';
    end = strstr(c->buf, "\r\n\r\n");
  }
  int status = atoi(c->buf + 9);
  const char *cl = strstr(c->buf, "Content-Length: ");
  if (!cl || cl > end) cl = strstr(c->buf, "content-length: ");
  if (!cl || cl > end) return -1;
  size_t len = strtoull(cl + 16, NULL, 10), head = (size_t)(end + 4 - c->buf);
  *body_bytes = len;
  /* The body, through the buffer in pieces. */
  size_t left = len;
  size_t in = c->have - head;
  if (in > left) in = left;
  if (keep && (*keep = malloc(len + 1))) {
    memcpy(*keep, c->buf + head, in);
    (*keep)[in] = '\0';
  }
  memmove(c->buf, c->buf + head + in, c->have - head - in);
  c->have -= head + in;
  left -= in;
  while (left) {
    ssize_t r =
        read(c->fd, c->buf, left < sizeof c->buf ? left : sizeof c->buf);
    if (r <= 0) return -1;
    if (keep && *keep) {
      memcpy(*keep + (len - left), c->buf, (size_t)r);
      (*keep)[len - left + (size_t)r] = '\0';
    }
    left -= (size_t)r;
  }
  return status;
}

/* What a client measured. */
struct client {
  const char *path;
  double *lat;
  size_t n, cap, errors, bytes;
};

static void *client(void *arg) {
  struct client *cl = arg;
  struct conn *c = malloc(sizeof *c);
  if (!c || dial(c)) {
    cl->errors++;
    free(c);
    return NULL;
  }
  while (!stop) {
    double t0 = now();
    size_t bytes = 0;
    int st = request(c, "GET", cl->path, NULL, &bytes, NULL);
    double t = now() - t0;
    if (st != 200) {
      cl->errors++;
      close(c->fd);
      if (dial(c)) break;
      continue;
    }
    if (cl->n == cl->cap) {
      double *l = realloc(cl->lat,
                          (cl->cap = cl->cap ? 2 * cl->cap : 4096) * sizeof *l);
      if (!l) break;
      cl->lat = l;
    }
    cl->lat[cl->n++] = t;
    cl->bytes += bytes;
  }
  close(c->fd);
  free(c);
  return NULL;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void report(const char *name, struct client *cl, int k, double secs) {
  size_t n = 0, errors = 0, bytes = 0;
  for (int i = 0; i < k; i++)
    n += cl[i].n, errors += cl[i].errors, bytes += cl[i].bytes;
  double *all = malloc((n ? n : 1) * sizeof *all);
  if (!all) return;
  size_t m = 0;
  for (int i = 0; i < k; i++)
    for (size_t j = 0; j < cl[i].n; j++)
      all[m++] = cl[i].lat[j];
  qsort(all, n, sizeof *all, by_value);
  printf("  %-13s %8zu requests  %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  "
         "max %7.2f ms  %7.0f B a reply  errors %zu\n",
         name, n, (double)n / secs, n ? 1e3 * all[n / 2] : 0.0,
         n ? 1e3 * all[(size_t)(0.99 * (double)(n - 1))] : 0.0,
         n ? 1e3 * all[n - 1] : 0.0, n ? (double)bytes / (double)n : 0.0,
         errors);
  free(all);
}

/* Copies 'name' of the source tree into the served folder 'root'. */
static int copy(const char *root, const char *name) {
  char from[1024], to[1024];
  snprintf(from, sizeof from, "%s/%s", STRIFE_SOURCE_DIR, name);
  snprintf(to, sizeof to, "%s/%s", root, name);
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  char buf[65536];
  size_t n;
  int ok = in && out;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
    ok = fwrite(buf, 1, n, out) == n;
  if (in) fclose(in);
  if (out && fclose(out)) ok = 0;
  return ok ? 0 : -1;
}

/* Waits for the job to finish (first_run: for its first run), asking
   every half second (a tenth); 0 when it is there, -1 when it failed or
   could not be asked. */
static int wait_job(int first_run) {
  struct conn *c = malloc(sizeof *c);
  if (!c || dial(c)) {
    free(c);
    return -1;
  }
  int rc = -1;
  for (;;) {
    size_t bytes;
    char *job = NULL;
    int st = request(c, "GET", "/api/jobs/1", NULL, &bytes, &job);
    int running = job && strstr(job, "\"state\":\"running\"");
    if (st == 200 && job && strstr(job, "\"state\":\"done\""))
      rc = 0;
    else if (!running)
      fprintf(stderr, "bench_serve: %s\n", job ? job : "?");
    int started = running && !strstr(job, "\"done\":0,");
    free(job);
    if (st != 200 || !running) break;
    if (first_run && started) {
      rc = 0;
      break;
    }
    nanosleep(&(struct timespec){0, first_run ? 100000000L : 500000000L}, NULL);
  }
  close(c->fd);
  free(c);
  return rc;
}

int main(int argc, char **argv) {
  unsigned runs = argc > 1 ? (unsigned)atoi(argv[1]) : 50;
  int k = argc > 2 ? atoi(argv[2]) : 4;
  if (runs < 1 || k < 2 || k > 64) {
    fprintf(stderr, "usage: bench_serve [RUNS [CLIENTS]]\n");
    return 2;
  }
  char root[] = "/tmp/strife-bench-serve-XXXXXX";
  if (!mkdtemp(root)) return 1;
  char sub[1100];
  snprintf(sub, sizeof sub, "%s/scenarios", root);
  mkdir(sub, 0755);
  snprintf(sub, sizeof sub, "%s/data", root);
  mkdir(sub, 0755);
  if (copy(root, "scenarios/afghanistan-2021.json") ||
      copy(root, "data/provinces.csv") ||
      copy(root, "data/afghanistan_provinces.geojson")) {
    fprintf(stderr, "bench_serve: cannot copy the scenario into %s\n", root);
    return 1;
  }
  strife_serve_opts o;
  memset(&o, 0, sizeof o);
  o.any_port = 1;
  o.root = root;
  o.rate = -1;
  strife_server *s;
  strife_diag d;
  if (strife_serve_start(&o, &s, &d)) {
    fprintf(stderr, "bench_serve: %s\n", d.msg);
    return 1;
  }
  port = strife_serve_port(s);
  /* The comparison. */
  char body[256];
  snprintf(body, sizeof body,
           "{\"scenario\":\"scenarios/afghanistan-2021.json\",\"policies\":"
           "[\"status-quo\",\"anti-terror-push\"],\"runs\":%u,\"scale\":1000}",
           runs);
  struct conn *c = malloc(sizeof *c);
  size_t bytes;
  int started = c && !dial(c) &&
                request(c, "POST", "/api/jobs", body, &bytes, NULL) == 201;
  if (c) close(c->fd);
  free(c);
  if (!started) {
    fprintf(stderr, "bench_serve: the comparison did not start\n");
    strife_serve_stop(s);
    return 1;
  }
  printf("bench_serve: %d clients on loopback while a comparison of 2 x %u "
         "runs runs (agent scale 1000), from its first run on\n",
         k, runs);
  /* The results are there from the first run on. */
  struct client *cl = calloc((size_t)k, sizeof *cl);
  pthread_t *th = calloc((size_t)k, sizeof *th);
  if (!cl || !th || wait_job(1)) {
    free(cl);
    free(th);
    strife_serve_stop(s);
    return 1;
  }
  for (int i = 0; i < k; i++) {
    cl[i].path = i % 2 ? "/api/results?db=jobs/job-0001.db&series=isk_fighters"
                       : "/api/state";
    pthread_create(&th[i], NULL, client, &cl[i]);
  }
  double t0 = now();
  int failed = wait_job(0);
  stop = 1;
  for (int i = 0; i < k; i++)
    pthread_join(th[i], NULL);
  double secs = now() - t0;
  struct client st[32], rs[32];
  int ns = 0, nr = 0;
  for (int i = 0; i < k; i++)
    if (i % 2)
      rs[nr++] = cl[i];
    else
      st[ns++] = cl[i];
  report("/api/state", st, ns, secs);
  report("/api/results", rs, nr, secs);
  printf("  over %.1f s\n", secs);
  strife_serve_stop(s);
  for (int i = 0; i < k; i++)
    free(cl[i].lat);
  free(cl);
  free(th);
  return failed ? 1 : 0;
}
