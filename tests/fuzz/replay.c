/* SPDX-License-Identifier: MIT */
/*
 * Runs a fuzz target's function on every file of the directories given,
 * so that ctest replays the saved corpus (tests/corpus/<target>/) in every
 * build, sanitizers included.  A crash fails the test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
    n += got;
    if (n == cap) {
      uint8_t *bigger = realloc(buf, cap * 2);
      if (!bigger) break;
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  if (!buf) return -1;
  LLVMFuzzerTestOneInput(buf, n);
  free(buf);
  return 0;
}

int main(int argc, char **argv) {
  int files = 0;
  for (int i = 1; i < argc; i++) {
    DIR *d = opendir(argv[i]);
    if (!d) {
      if (run_file(argv[i]) == 0) files++;
      continue;
    }
    for (struct dirent *de; (de = readdir(d));) {
      if (de->d_name[0] == '.') continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
      if (run_file(path) == 0) files++;
    }
    closedir(d);
  }
  printf("replay: %d passed, 0 failed\n", files);
  return files > 0 ? 0 : 1;
}
