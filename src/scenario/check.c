/* SPDX-License-Identifier: MIT */
/*
 * The scenario layer's side of a model's check (model.h): errors located
 * at keys, the data files the model asks for (read here, so that model
 * code does no I/O; parsed by the model), and the run's length.  Scenario
 * files and data files are read by one function, which takes regular
 * files only.
 */
/* realpath, S_ISSOCK */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/text.h"
#include "parse.h"

/* Largest data file a scenario may name. */
#define FILE_MAX (1u << 20)

struct strife__check {
  strife_scenario *sc;
  strife_diag *diag;
};

int strife__check_fail(struct strife__check *ck, const char *path, int code,
                       const char *fmt, ...) {
  char buf[256], msg[STRIFE_DIAG_SIZE];
  struct strife__path p;
  strife__path_of_key(path, buf, sizeof buf, &p);
  va_list ap;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above */
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return strife__scenario_fail(ck->sc, ck->diag, &p, 0, code, "%s", msg);
}

int strife__check_fail_keys(struct strife__check *ck, const char *const *keys,
                            size_t n, int code, const char *fmt, ...) {
  char msg[STRIFE_DIAG_SIZE];
  va_list ap;
  va_start(ap, fmt);
  /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above */
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return strife__scenario_fail_keys(ck->sc, ck->diag, keys, n, code, msg);
}

strife_diag *strife__check_diag(struct strife__check *ck) {
  return ck->diag;
}

void strife__check_ticks(struct strife__check *ck, int64_t most) {
  strife_scenario *sc = ck->sc;
  sc->v.ticks = sc->ticks_given && sc->v.ticks < most ? sc->v.ticks : most;
}

/* The path to open: as given when absolute or given with --set (relative
   to where strife runs), else relative to the scenario file. */
static int resolve(struct strife__check *ck, const struct strife__key *k,
                   struct strife__file *f) {
  const char *source = ck->sc->source;
  const char *slash = strrchr(source, '/');
  if (f->path[0] == '/' || f->from_set || !slash) {
    snprintf(f->resolved, sizeof f->resolved, "%s", f->path);
    return STRIFE_OK;
  }
  size_t dir = (size_t)(slash - source) + 1, n = strlen(f->path);
  if (dir + n >= sizeof f->resolved)
    return strife__check_fail_keys(ck, &k->path, 1, STRIFE_ELIMIT,
                                   "the resolved path is too long");
  memcpy(f->resolved, source, dir);
  memcpy(f->resolved + dir, f->path, n + 1);
  return STRIFE_OK;
}

/* 'why' from errno: "cannot open: No such file or directory". */
static int errno_why(const char *what, char *why, size_t size) {
  snprintf(why, size, "%s: %s", what, strerror(errno));
  return STRIFE_EIO;
}

/* 'why' for a file of mode 'mode' that is not a regular file. */
static int not_regular(mode_t mode, char *why, size_t size) {
  const char *kind = S_ISDIR(mode)    ? "a directory"
                     : S_ISFIFO(mode) ? "a FIFO"
                     : S_ISCHR(mode)  ? "a character device"
                     : S_ISBLK(mode)  ? "a block device"
                     : S_ISSOCK(mode) ? "a socket"
                                      : "of another kind";
  snprintf(why, size, "is %s, not a regular file", kind);
  return STRIFE_EIO;
}

/* Reads open file 'fd' to its end, at most 'max' bytes. */
static int read_all(int fd, size_t max, char **out, size_t *len, char *why,
                    size_t size) {
  char *buf = malloc(max + 1);
  if (!buf) return STRIFE_ENOMEM;
  size_t n = 0;
  while (n <= max) {
    ssize_t got = read(fd, buf + n, max + 1 - n);
    if (got < 0 && errno == EINTR) continue;
    if (got == 0) break;
    if (got < 0) {
      int rc = errno_why("cannot read", why, size);
      free(buf);
      return rc;
    }
    n += (size_t)got;
  }
  if (n > max) { /* grew since its size was taken, or a size-less file */
    free(buf);
    snprintf(why, size, "file is larger than the limit of %zu bytes", max);
    return STRIFE_ELIMIT;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return STRIFE_OK;
}

int strife__scenario_read(const char *path, size_t max, char **out, size_t *len,
                          char *why, size_t size) {
  struct stat st;
  /* Looked at before it is opened: opening a FIFO waits for a writer, and
     opening a device may act on it. */
  if (stat(path, &st) != 0) return errno_why("cannot open", why, size);
  if (!S_ISREG(st.st_mode)) return not_regular(st.st_mode, why, size);
  /* Should it have been replaced by a FIFO since, O_NONBLOCK keeps the
     open from waiting, and fstat sees it. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return errno_why("cannot open", why, size);
  int rc;
  if (fstat(fd, &st) != 0)
    rc = errno_why("cannot read", why, size);
  else if (!S_ISREG(st.st_mode))
    rc = not_regular(st.st_mode, why, size);
  else if ((uintmax_t)st.st_size > max) {
    snprintf(why, size, "file is %jd bytes, larger than the limit of %zu",
             (intmax_t)st.st_size, max);
    rc = STRIFE_ELIMIT;
  } else
    rc = read_all(fd, max, out, len, why, size);
  close(fd);
  return rc;
}

/* Reads the file at f->resolved into *text (malloc'd); an error names the
   key that names the file. */
static int read_file(struct strife__check *ck, const struct strife__key *k,
                     const struct strife__file *f, char **text, size_t *len) {
  char why[160];
  int rc =
      strife__scenario_read(f->resolved, FILE_MAX, text, len, why, sizeof why);
  if (rc == STRIFE_ENOMEM)
    strife__diag_set(ck->diag, k->path, "out of memory reading %s",
                     f->resolved);
  else if (rc)
    rc = strife__check_fail_keys(ck, &k->path, 1, STRIFE_ESCENARIO,
                                 "%s %.120s: %s", k->spec->noun, f->resolved,
                                 why);
  return rc;
}

int strife__check_file(struct strife__check *ck, const char *key,
                       const char **text, size_t *len, const char **path) {
  strife_scenario *sc = ck->sc;
  const struct strife__key *k = strife__scenario_key(sc, key);
  if (!k || k->type != STRIFE__K_FILE || sc->n_files == STRIFE__FILES_MAX) {
    strife__diag_set(ck->diag, key,
                     "the %s model asks for the file of '%s', not a file key "
                     "of its own, or one of more than %d",
                     sc->type->name, key, STRIFE__FILES_MAX);
    return STRIFE_EINVAL;
  }
  struct strife__file *f = strife__scenario_slot(sc, k);
  int rc = resolve(ck, k, f);
  char *buf = NULL;
  size_t n = 0;
  if (!rc) rc = read_file(ck, k, f, &buf, &n);
  if (rc) return rc;
  /* The complete scenario names the file by its absolute path, so that it
     runs again from wherever it is copied to. */
  char *abs = realpath(f->resolved, NULL);
  if (abs && strlen(abs) < sizeof f->path)
    snprintf(f->path, sizeof f->path, "%s", abs);
  free(abs);
  f->hash = strife__fnv1a64(buf, n);
  sc->file[sc->n_files].key = k;
  sc->file[sc->n_files].text = buf;
  sc->file[sc->n_files].len = n;
  sc->n_files++;
  *text = buf;
  *len = n;
  *path = f->resolved;
  return STRIFE_OK;
}

int strife__scenario_check(strife_scenario *sc, strife_diag *diag) {
  struct strife__check ck = {sc, diag};
  int rc = sc->type->check ? sc->type->check(sc->params, &ck) : STRIFE_OK;
  if (!rc && sc->v.ticks < sc->type->min_ticks)
    rc = strife__check_fail(&ck, "run.ticks", STRIFE_ESCENARIO,
                            "expected at least %lld: the results of the %s "
                            "model are of the ticks it runs, and %lld runs "
                            "none",
                            (long long)sc->type->min_ticks, sc->type->name,
                            (long long)sc->v.ticks);
  return rc;
}
