/* SPDX-License-Identifier: MIT */
/* Each chart of a report as an SVG file (strife/report.h): the page is
   opened as REPORT#svg in a headless browser, which draws it exactly as a
   reader sees it; the page then puts each chart's SVG text into a JSON
   block, which is read back from the browser's dump of the page and
   written out file by file.  One renderer for the page and the files. */
#define _XOPEN_SOURCE   700 /* nftw, realpath */
#define _DEFAULT_SOURCE     /* mkdtemp */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <strife/report.h>

#include "core/core.h"
#include "core/text.h"
#include "sinks/sinks.h"

extern char **environ;

enum { DUMP_MAX = 512 << 20, WAIT_SECONDS = 120 };

static int remove_one(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  remove(path);
  return 0;
}

static double mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Reads the child's output from 'fd' until it closes, the limit, or the
   time runs out; the text in *out. */
static int read_dump(int fd, struct strife__text *out, strife_diag *diag) {
  double until = mono() + WAIT_SECONDS;
  char buf[65536];
  for (;;) {
    struct pollfd p = {fd, POLLIN, 0};
    int left = (int)(1000 * (until - mono()));
    if (left <= 0) {
      strife__diag_set(diag, "--svg", "the browser took over %d s",
                       WAIT_SECONDS);
      return STRIFE_EIO;
    }
    int r = poll(&p, 1, left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out->oom ? STRIFE_ENOMEM : STRIFE_OK;
    if (out->n + (size_t)n > DUMP_MAX) {
      strife__diag_set(diag, "--svg", "the browser's page is over %d MB",
                       DUMP_MAX >> 20);
      return STRIFE_EIO;
    }
    strife__text_put(out, "%.*s", (int)n, buf);
  }
}

/* Runs 'browser' on 'url' (a scratch profile in 'profile'), its dump of
   the page into *dump. */
static int run_browser(const char *browser, const char *url,
                       const char *profile, char **dump, strife_diag *diag) {
  char dir_arg[PATH_MAX + 32];
  snprintf(dir_arg, sizeof dir_arg, "--user-data-dir=%s", profile);
  const char *const args[] = {browser,
                              "--headless",
                              "--no-sandbox",
                              "--disable-gpu",
                              "--no-first-run",
                              "--disable-sync",
                              "--disable-extensions",
                              "--disable-background-networking",
                              "--disable-component-update",
                              dir_arg,
                              "--dump-dom",
                              url,
                              NULL};
  /* posix_spawn takes char *const[] and changes nothing. */
  char *argv[sizeof args / sizeof args[0]];
  memcpy(argv, args, sizeof args);
  int fds[2];
  if (pipe(fds) != 0) {
    strife__diag_set(diag, "--svg", "cannot make a pipe: %s", strerror(errno));
    return STRIFE_EIO;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int err = posix_spawn(&pid, browser, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (err) {
    close(fds[0]);
    strife__diag_set(diag, "--browser",
                     "%s: cannot run it (%s); --svg needs a chromium "
                     "(apt-get install chromium)",
                     browser, strerror(err));
    return STRIFE_EIO;
  }
  struct strife__text t = {NULL, 0, 0, 0};
  int rc = read_dump(fds[0], &t, diag);
  close(fds[0]);
  if (rc) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  *dump = strife__text_take(&t);
  if (!rc && !*dump) rc = STRIFE_ENOMEM;
  if (!rc && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
    strife__diag_set(diag, "--browser", "%s: stopped with status %d", browser,
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    rc = STRIFE_EIO;
  }
  return rc;
}

/* The charts' JSON block of the dumped page. */
static json_t *charts_block(const char *dump, strife_diag *diag) {
  static const char open[] = "<script type=\"application/json\" "
                             "id=\"strife-svg\">";
  const char *a = dump ? strstr(dump, open) : NULL;
  const char *b = a ? strstr(a, "</script>") : NULL;
  json_error_t e;
  json_t *j =
      b ? json_loadb(a + strlen(open), (size_t)(b - a - strlen(open)), 0, &e)
        : NULL;
  if (!json_is_object(j)) {
    json_decref(j);
    strife__diag_set(diag, "--svg",
                     "the browser did not draw the page's charts (is it a "
                     "report of this version of strife?)");
    return NULL;
  }
  return j;
}

/* Writes each chart of 'charts' to 'dir'/NAME.svg. */
static int write_charts(json_t *charts, const char *dir, size_t *n,
                        strife_diag *diag) {
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    strife__diag_set(diag, "--svg", "%s: cannot make it: %s", dir,
                     strerror(errno));
    return STRIFE_EIO;
  }
  const char *name;
  json_t *svg;
  json_object_foreach(charts, name, svg) {
    char file[160];
    size_t k = 0;
    for (const char *c = name; *c && k < sizeof file - 5; c++)
      file[k++] = (char)((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                                 (*c >= '0' && *c <= '9') || *c == '-'
                             ? *c
                             : '_');
    snprintf(file + k, sizeof file - k, ".svg");
    struct strife__text t = {NULL, 0, 0, 0};
    strife__text_put(&t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n%s\n",
                     json_string_value(svg) ? json_string_value(svg) : "");
    char *text = strife__text_take(&t);
    int rc = text ? strife__files_write(dir, file, text, diag) : STRIFE_ENOMEM;
    free(text);
    if (rc) return rc;
    ++*n;
  }
  return STRIFE_OK;
}

int strife_report_svg(const char *report, const char *dir, const char *browser,
                      size_t *written, strife_diag *diag) {
  strife_diag_clear(diag);
  *written = 0;
  char real[PATH_MAX];
  if (!report || !dir || !realpath(report, real)) {
    strife__diag_set(diag, "--svg", "%s: no such report",
                     report ? report : "(none)");
    return STRIFE_EINVAL;
  }
  char url[PATH_MAX + 16], profile[] = "/tmp/strife-browser-XXXXXX";
  snprintf(url, sizeof url, "file://%s#svg", real);
  if (!mkdtemp(profile)) {
    strife__diag_set(diag, "--svg", "cannot make a scratch folder: %s",
                     strerror(errno));
    return STRIFE_EIO;
  }
  char *dump = NULL;
  int rc = run_browser(browser ? browser : "/usr/bin/chromium", url, profile,
                       &dump, diag);
  nftw(profile, remove_one, 16, FTW_DEPTH | FTW_PHYS);
  json_t *charts = rc ? NULL : charts_block(dump, diag);
  free(dump);
  if (!rc && !charts) rc = STRIFE_EIO;
  if (!rc) rc = write_charts(charts, dir, written, diag);
  json_decref(charts);
  return rc;
}
