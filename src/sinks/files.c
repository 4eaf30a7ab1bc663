/* SPDX-License-Identifier: MIT */
/*
 * Output files that appear whole or not at all (sinks.h).  A file is
 * written under a temporary name in its destination directory, flushed
 * and synced, then renamed over its final name (rename is atomic within a
 * file system).  The files of one run go together: none is renamed until
 * every one of them has been written and synced, so that a write that
 * fails (a full disk) leaves the files of the last run as they were.
 * Before the first rename every final name is checked to be free or a
 * file (a directory there would fail its rename after others were done).
 * Renaming cannot run out of space; a crash between two renames (the only
 * window) leaves some new files beside old ones.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sinks.h"

static int io_fail(strife_diag *diag, const char *path, const char *what) {
  if (diag) {
    strife_diag_clear(diag);
    snprintf(diag->source, sizeof diag->source, "%.255s", path);
    snprintf(diag->msg, sizeof diag->msg, "cannot %s: %s", what,
             strerror(errno));
  }
  return STRIFE_EIO;
}

int strife__files_mkdirs(const char *dir, strife_diag *diag) {
  char buf[4096];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof buf) {
    errno = ENAMETOOLONG;
    return io_fail(diag, dir, "create directory");
  }
  memcpy(buf, dir, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] != '/' && buf[i] != '\0') continue;
    char c = buf[i];
    buf[i] = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return io_fail(diag, buf, "create directory");
    buf[i] = c;
  }
  struct stat st;
  if (stat(dir, &st) != 0) return io_fail(diag, dir, "create directory");
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return io_fail(diag, dir, "use as output directory");
  }
  return STRIFE_OK;
}

/* The process id in the name of a temporary file of strife's,
   ".NAME.PID.tmp" with NAME a .csv or .json file, or 0. */
static long tmp_pid(const char *name) {
  size_t n = strlen(name);
  if (name[0] != '.' || n < 7 || strcmp(name + n - 4, ".tmp") != 0) return 0;
  size_t i = n - 4;
  while (i > 1 && name[i - 1] >= '0' && name[i - 1] <= '9')
    i--;
  if (i == n - 4 || i < 3 || name[i - 1] != '.') return 0;
  size_t end = i - 1; /* NAME is name[1 .. end) */
  int csv = end >= 5 && strncmp(name + end - 4, ".csv", 4) == 0;
  int json = end >= 6 && strncmp(name + end - 5, ".json", 5) == 0;
  return csv || json ? strtol(name + i, NULL, 10) : 0;
}

/* Removes the temporary files in 'dir' of processes that are gone. */
static void clean_stale(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  char path[4352];
  while ((e = readdir(d))) {
    long pid = tmp_pid(e->d_name);
    /* kill(pid, 0) fails with ESRCH only when no such process exists */
    if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 ||
        errno != ESRCH)
      continue;
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) unlink(path);
  }
  closedir(d);
}

int strife__files_ready(const char *dir, strife_diag *diag) {
  int rc = strife__files_mkdirs(dir, diag);
  if (rc) return rc;
  char probe[4200];
  snprintf(probe, sizeof probe, "%s/.probe.%ld.tmp", dir, (long)getpid());
  int fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) return io_fail(diag, dir, "write into");
  close(fd);
  unlink(probe);
  clean_stale(dir);
  return STRIFE_OK;
}

/* Opens 'dir'/'name' for writing under a temporary name. */
static int afile_open(struct strife__afile *af, const char *dir,
                      const char *name, strife_diag *diag) {
  memset(af, 0, sizeof *af);
  int n1 = snprintf(af->final, sizeof af->final, "%s/%s", dir, name);
  int n2 = snprintf(af->tmp, sizeof af->tmp, "%s/.%s.%ld.tmp", dir, name,
                    (long)getpid());
  if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof af->final ||
      (size_t)n2 >= sizeof af->tmp) {
    errno = ENAMETOOLONG;
    return io_fail(diag, dir, "write into");
  }
  int fd = open(af->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) return io_fail(diag, af->tmp, "create");
  af->f = fdopen(fd, "w");
  if (!af->f) {
    close(fd);
    unlink(af->tmp);
    return io_fail(diag, af->tmp, "open");
  }
  return STRIFE_OK;
}

/* Flushes, syncs and closes; on any error removes the temporary file. */
static int afile_finish(struct strife__afile *af, strife_diag *diag) {
  int bad = ferror(af->f) || fflush(af->f) != 0 || fsync(fileno(af->f)) != 0;
  int saved = errno;
  if (fclose(af->f) != 0) bad = 1;
  af->f = NULL;
  if (!bad) return STRIFE_OK;
  unlink(af->tmp);
  af->tmp[0] = '\0';
  errno = saved;
  return io_fail(diag, af->final, "write");
}

/* Whether 'af' can be renamed into place: nothing there, or a file (a
   directory or another kind of thing in the way would fail the rename
   after others of the set were done). */
static int afile_replaceable(const struct strife__afile *af,
                             strife_diag *diag) {
  struct stat st;
  if (lstat(af->final, &st) != 0 || S_ISREG(st.st_mode)) return STRIFE_OK;
  errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
  return io_fail(diag, af->final, "replace");
}

static int afile_rename(struct strife__afile *af, strife_diag *diag) {
  if (rename(af->tmp, af->final) == 0) {
    af->tmp[0] = '\0';
    return STRIFE_OK;
  }
  int e = errno;
  unlink(af->tmp);
  af->tmp[0] = '\0';
  errno = e;
  return io_fail(diag, af->final, "rename into place");
}

static void afile_discard(struct strife__afile *af) {
  if (af->f) fclose(af->f);
  af->f = NULL;
  if (af->tmp[0]) unlink(af->tmp);
  af->tmp[0] = '\0';
}

int strife__files_write(const char *dir, const char *name, const char *text,
                        strife_diag *diag) {
  struct strife__afile af;
  int rc = afile_open(&af, dir, name, diag);
  if (rc) return rc;
  fputs(text, af.f);
  rc = afile_finish(&af, diag);
  return rc ? rc : afile_rename(&af, diag);
}

void strife__fileset_init(struct strife__fileset *fs, const char *dir) {
  memset(fs, 0, sizeof *fs);
  snprintf(fs->dir, sizeof fs->dir, "%s", dir);
}

int strife__fileset_open(struct strife__fileset *fs, const char *name,
                         FILE **out, strife_diag *diag) {
  if (fs->n == STRIFE__FILESET_MAX) {
    strife__diag_set(diag, "", "more than %d files in one run",
                     STRIFE__FILESET_MAX);
    return STRIFE_ELIMIT;
  }
  int rc = afile_open(&fs->f[fs->n], fs->dir, name, diag);
  if (rc) return rc;
  *out = fs->f[fs->n++].f;
  return STRIFE_OK;
}

int strife__fileset_commit(struct strife__fileset *fs, strife_diag *diag) {
  int rc = STRIFE_OK;
  for (int i = 0; i < fs->n && !rc; i++)
    rc = afile_finish(&fs->f[i], diag);
  for (int i = 0; i < fs->n && !rc; i++)
    rc = afile_replaceable(&fs->f[i], diag);
  if (rc) {
    strife__fileset_discard(fs);
    return rc;
  }
  for (int i = 0; i < fs->n && !rc; i++)
    rc = afile_rename(&fs->f[i], diag);
  strife__fileset_discard(fs);
  return rc;
}

void strife__fileset_discard(struct strife__fileset *fs) {
  for (int i = 0; i < fs->n; i++)
    afile_discard(&fs->f[i]);
  fs->n = 0;
}
