/* SPDX-License-Identifier: MIT */
/* Atomic output files (see io.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

static int io_fail(strife_diag *diag, const char *path, const char *what) {
  if (diag) {
    strife_diag_clear(diag);
    snprintf(diag->source, sizeof diag->source, "%.255s", path);
    snprintf(diag->msg, sizeof diag->msg, "cannot %s: %s", what,
             strerror(errno));
  }
  return STRIFE_EIO;
}

int strife__mkdirs(const char *dir, strife_diag *diag) {
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

int strife__afile_open(struct strife__afile *af, const char *dir,
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

int strife__afile_commit(struct strife__afile *af, strife_diag *diag) {
  int bad = ferror(af->f) || fflush(af->f) != 0 || fsync(fileno(af->f)) != 0;
  int saved = errno;
  if (fclose(af->f) != 0) bad = 1;
  af->f = NULL;
  if (bad) {
    unlink(af->tmp);
    errno = saved;
    return io_fail(diag, af->final, "write");
  }
  if (rename(af->tmp, af->final) != 0) {
    int e = errno;
    unlink(af->tmp);
    errno = e;
    return io_fail(diag, af->final, "rename into place");
  }
  return STRIFE_OK;
}

int strife__write_file(const char *dir, const char *name, const char *text,
                       strife_diag *diag) {
  struct strife__afile af;
  int rc = strife__afile_open(&af, dir, name, diag);
  if (rc) return rc;
  fputs(text, af.f);
  return strife__afile_commit(&af, diag);
}

void strife__afile_discard(struct strife__afile *af) {
  if (!af->f) return;
  fclose(af->f);
  af->f = NULL;
  unlink(af->tmp);
}
