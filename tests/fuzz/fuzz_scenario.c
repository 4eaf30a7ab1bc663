/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the scenario loader: the input is parsed as a
 * scenario file, and again as the VALUE of an override (--set) on an empty
 * scenario, which goes through the override parser.  Built with
 * -DSTRIFE_FUZZ=ON (clang); tests/fuzz/replay.c runs the same function on
 * the saved corpus in every build.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <strife/strife.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  strife_scenario *sc = NULL;
  strife_diag d;
  if (strife_scenario_parse((const char *)data, size, "fuzz.json", NULL, 0, &sc,
                            &d) == STRIFE_OK) {
    /* A loaded scenario has a canonical text that loads again. */
    const char *json = strife_scenario_json(sc);
    strife_scenario *again = NULL;
    if (strife_scenario_parse(json, strlen(json), "canonical.json", NULL, 0,
                              &again, &d) != STRIFE_OK)
      abort();
    if (strcmp(strife_scenario_hash(sc), strife_scenario_hash(again)) != 0)
      abort();
    strife_scenario_destroy(again);
    strife_scenario_destroy(sc);
  }
  /* The bytes as an override: "KEY=VALUE" (NUL-terminated copy). */
  char *set = malloc(size + 1);
  if (!set) return 0;
  memcpy(set, data, size);
  set[size] = '\0';
  const char *sets[1] = {set};
  sc = NULL;
  if (strife_scenario_parse("{}", 2, "empty.json", sets, 1, &sc, &d) ==
      STRIFE_OK)
    strife_scenario_destroy(sc);
  free(set);
  return 0;
}
