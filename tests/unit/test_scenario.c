/* SPDX-License-Identifier: MIT */
/*
 * Scenario loading: defaults, the shipped presets (valid, every value
 * cited), overrides, the canonical text and hash, located errors, and
 * that docs/scenarios.md documents every key.
 */
#include <dirent.h>
#include <jansson.h>

#include "models/epstein/epstein.h"
#include "scenario/scenario.h"
#include "support.h"

static strife_scenario *parse(const char *text, const char *set) {
  strife_scenario *sc = NULL;
  strife_diag d;
  int rc = strife_scenario_parse(text, strlen(text), "mem.json", &set,
                                 set ? 1 : 0, &sc, &d);
  if (rc) {
    char buf[1024];
    strife_diag_format(&d, buf, sizeof buf);
    fprintf(stderr, "parse failed: %s\n", buf);
  }
  return sc;
}

static void test_defaults(void) {
  strife_scenario *sc = parse("{}", NULL);
  CHECK(sc != NULL);
  if (!sc) return;
  const struct strife__epstein_params *v = strife__scenario_params(sc);
  CHECK_STR(strife_scenario_model(sc), "epstein");
  CHECK_EQ(strife_scenario_ticks(sc), 1000);
  CHECK_EQ(strife_scenario_seed(sc), 1);
  CHECK_EQ(v->width, 40);
  CHECK_NEAR(v->citizen_density, 0.7, 0);
  CHECK_NEAR(v->cop_density.initial, 0.04, 0);
  CHECK_NEAR(v->legitimacy.initial, 0.82, 0);
  CHECK_EQ(v->nbhd, STRIFE__NBHD_DISK);
  CHECK_EQ(v->ratio, STRIFE__RATIO_FLOOR);
  CHECK_STR(strife_scenario_name(sc), "mem");
  /* Defaults are NetLogo's: the empty scenario and the NetLogo preset run
     the same model. */
  strife_scenario *nl = load_preset("epstein-netlogo", NULL);
  CHECK_STR(strife_scenario_hash(sc), strife_scenario_hash(nl));
  strife_scenario_destroy(nl);
  strife_scenario_destroy(sc);
}

static void test_overrides_and_hash(void) {
  strife_scenario *a = parse("{\"run\": {\"seed\": 5}}", NULL);
  strife_scenario *b = parse("{}", "run.seed=9");
  strife_scenario *c = parse("{}", "lattice.width=41");
  strife_scenario *d = parse("{}", "variant.ratio=exact");
  CHECK(a && b && c && d);
  if (a && b && c && d) {
    /* The seed is not part of the hash; every model value is. */
    CHECK_STR(strife_scenario_hash(a), strife_scenario_hash(b));
    CHECK(strcmp(strife_scenario_hash(a), strife_scenario_hash(c)) != 0);
    CHECK(strcmp(strife_scenario_hash(a), strife_scenario_hash(d)) != 0);
    CHECK_EQ(strife_scenario_seed(b), 9);
    CHECK_EQ(((const struct strife__epstein_params *)strife__scenario_params(c))
                 ->width,
             41);
    CHECK(strstr(strife_scenario_json(d), "\"ratio\":\"exact\"") != NULL);
    CHECK(strncmp(strife_scenario_hash(a), "fnv1a64:", 8) == 0);
    CHECK_EQ(strlen(strife_scenario_hash(a)), 8 + 16);
  }
  strife_scenario_destroy(a);
  strife_scenario_destroy(b);
  strife_scenario_destroy(c);
  strife_scenario_destroy(d);
  /* A schedule from --set, and its canonical text. */
  strife_scenario *s = parse(
      "{}", "regime.legitimacy={\"initial\": 0.9, \"changes\": [{\"tick\": "
            "81, \"value\": 0.7}, {\"from\": 100, \"to\": 200, \"value\": "
            "0.5}]}");
  CHECK(s != NULL);
  if (s) {
    const struct strife__epstein_params *ep = strife__scenario_params(s);
    const struct strife__schedule *l = &ep->legitimacy;
    CHECK_EQ(l->n, 2);
    CHECK_EQ(l->change[0].t0, 81);
    CHECK_EQ(l->change[0].t1, 81);
    CHECK_EQ(l->change[1].t0, 100);
    CHECK_EQ(l->change[1].t1, 200);
    CHECK(
        strstr(strife_scenario_json(s),
               "\"legitimacy\":{\"changes\":[{\"tick\":81,\"value\":0.69999999"
               "999999996},{\"from\":100,\"to\":200,\"value\":0.5}],"
               "\"initial\":0.90000000000000002}") != NULL);
    /* The canonical text parses back to the same scenario. */
    strife_scenario *again = parse(strife_scenario_json(s), NULL);
    CHECK(again &&
          strcmp(strife_scenario_json(again), strife_scenario_json(s)) == 0);
    strife_scenario_destroy(again);
  }
  strife_scenario_destroy(s);
}

/* Every key of every shipped scenario with a value has a source. */
static void test_presets_cited(void) {
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/scenarios", STRIFE_SOURCE_DIR);
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  if (!d) return;
  char presets[64][256];
  size_t n_presets = 0;
  for (struct dirent *e; (e = readdir(d)) && n_presets < 64;) {
    size_t n = strlen(e->d_name);
    if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0)
      snprintf(presets[n_presets++], sizeof presets[0], "%.*s", (int)(n - 5),
               e->d_name);
  }
  closedir(d);
  CHECK(n_presets >= 7);
  for (size_t i = 0; i < n_presets; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/scenarios/%s.json", STRIFE_SOURCE_DIR,
             presets[i]);
    json_t *root = json_load_file(path, 0, NULL);
    CHECK(root != NULL);
    if (!root) continue;
    json_t *sources = json_object_get(root, "sources");
    const char *group;
    json_t *obj;
    int missing = 0;
    json_object_foreach(root, group, obj) {
      static const char *const free_text[] = {"model", "name", "description",
                                              "sources"};
      int skip = 0;
      for (int f = 0; f < 4; f++)
        skip |= strcmp(group, free_text[f]) == 0;
      if (skip) continue;
      if (strcmp(group, "calibration") == 0) {
        /* Each prior and target carries its own source. */
        const char *part;
        json_t *arr;
        json_object_foreach(obj, part, arr) {
          size_t e;
          json_t *entry;
          json_array_foreach(arr, e, entry) {
            json_t *src = json_object_get(entry, "source");
            if (!json_is_string(src) || !json_string_length(src)) {
              fprintf(stderr, "%s: calibration.%s[%zu] has no source\n",
                      presets[i], part, e);
              missing++;
            }
          }
        }
        continue;
      }
      if (!json_is_object(obj)) {
        if (!json_is_string(json_object_get(sources, group))) {
          fprintf(stderr, "%s: %s has no source\n", presets[i], group);
          missing++;
        }
        continue;
      }
      const char *key;
      json_t *val;
      json_object_foreach(obj, key, val) {
        char full[160];
        snprintf(full, sizeof full, "%s.%s", group, key);
        if (!json_is_string(json_object_get(sources, full))) {
          fprintf(stderr, "%s: %s has no source\n", presets[i], full);
          missing++;
        }
      }
    }
    CHECK_EQ(missing, 0);
    json_decref(root);
    strife_scenario_destroy(load_preset(presets[i], NULL));
  }
}

/* Errors in values point at the value; errors in overrides at --set. */
static void test_locations(void) {
  const char *text = "{\n  \"cops\": {\n    \"vision\": 0\n  }\n}\n";
  strife_scenario *sc = NULL;
  strife_diag d;
  int rc =
      strife_scenario_parse(text, strlen(text), "x.json", NULL, 0, &sc, &d);
  CHECK_EQ(rc, STRIFE_ESCENARIO);
  CHECK_EQ(d.line, 3);
  CHECK_EQ(d.column, 15);
  CHECK_STR(d.key, "cops.vision");
  CHECK_STR(d.source, "x.json");
  /* A value set with --set on a key the file also has. */
  const char *set = "cops.vision=0";
  rc = strife_scenario_parse("{\"cops\": {\"vision\": 7}}", 23, "y.json", &set,
                             1, &sc, &d);
  CHECK_EQ(rc, STRIFE_ESCENARIO);
  CHECK_STR(d.source, "--set");
  CHECK_EQ(d.line, 0);
  /* Member names with escapes are located too. */
  const char *esc = "{\"cit\\u0069zens\": {\"vision\": -1}}";
  rc = strife_scenario_parse(esc, strlen(esc), "z.json", NULL, 0, &sc, &d);
  CHECK_EQ(rc, STRIFE_ESCENARIO);
  CHECK_STR(d.key, "citizens.vision");
  CHECK_EQ(d.column, 30);
  /* Too large a file. */
  static char big[STRIFE_SCENARIO_MAX_BYTES + 2];
  memset(big, ' ', sizeof big);
  big[0] = '{';
  big[sizeof big - 1] = '}';
  rc = strife_scenario_parse(big, sizeof big, "big.json", NULL, 0, &sc, &d);
  CHECK_EQ(rc, STRIFE_ELIMIT);
  /* A missing file. */
  rc = strife_scenario_load("/nonexistent/s.json", NULL, 0, &sc, &d);
  CHECK_EQ(rc, STRIFE_EIO);
  CHECK(strstr(d.msg, "cannot open") != NULL);
  /* Files that are not regular files (a FIFO: tests/cli). */
  rc = strife_scenario_load(STRIFE_SOURCE_DIR "/scenarios", NULL, 0, &sc, &d);
  CHECK_EQ(rc, STRIFE_EIO);
  CHECK_STR(d.msg, "is a directory, not a regular file");
  rc = strife_scenario_load("/dev/null", NULL, 0, &sc, &d);
  CHECK_EQ(rc, STRIFE_EIO);
  CHECK_STR(d.msg, "is a character device, not a regular file");
  CHECK_STR(d.source, "/dev/null");
}

/* Equal values make equal scenarios: -0 and 0, 0 and 0.0, 1e2 and 100
   give one hash (a results database compares scenarios by it). */
static void test_equal_values(void) {
  static const char *const same[][3] = {
      {"{\"citizens\": {\"threshold\": -0.0}}",
       "{\"citizens\": {\"threshold\": 0}}",
       "{\"citizens\": {\"threshold\": 0.0}}"},
      {"{\"regime\": {\"legitimacy\": -0.0}}",
       "{\"regime\": {\"legitimacy\": 0}}",
       "{\"regime\": {\"legitimacy\": 0.0}}"},
      {"{\"regime\": {\"legitimacy\": {\"initial\": 0.5, \"changes\": "
       "[{\"tick\": 5, \"value\": -0.0}]}}}",
       "{\"regime\": {\"legitimacy\": {\"initial\": 0.5, \"changes\": "
       "[{\"tick\": 5, \"value\": 0}]}}}",
       "{\"regime\": {\"legitimacy\": {\"initial\": 5e-1, \"changes\": "
       "[{\"tick\": 5, \"value\": 0e0}]}}}"},
      {"{\"citizens\": {\"arrest_constant\": 1e2}}",
       "{\"citizens\": {\"arrest_constant\": 100}}",
       "{\"citizens\": {\"arrest_constant\": 100.0}}"},
  };
  for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
    strife_scenario *sc[3];
    for (int k = 0; k < 3; k++)
      sc[k] = parse(same[i][k], NULL);
    CHECK(sc[0] && sc[1] && sc[2]);
    if (sc[0] && sc[1] && sc[2]) {
      CHECK_STR(strife_scenario_hash(sc[0]), strife_scenario_hash(sc[1]));
      CHECK_STR(strife_scenario_hash(sc[0]), strife_scenario_hash(sc[2]));
      CHECK_STR(strife_scenario_json(sc[0]), strife_scenario_json(sc[1]));
      CHECK(strstr(strife_scenario_json(sc[0]), ":-0.0") == NULL);
    }
    for (int k = 0; k < 3; k++)
      strife_scenario_destroy(sc[k]);
  }
  /* -0 from --set too. */
  strife_scenario *a = parse("{}", "citizens.threshold=-0.0");
  strife_scenario *b = parse("{}", "citizens.threshold=0");
  CHECK(a && b);
  if (a && b) CHECK_STR(strife_scenario_hash(a), strife_scenario_hash(b));
  strife_scenario_destroy(a);
  strife_scenario_destroy(b);
}

/* Dotted names: nested keys on the command line, refused as member names
   of a file (located in the file even when --set gives the same key),
   and the key paths of "sources". */
static void test_dotted(void) {
  const char *text = "{\"lattice.width\": 50}";
  const char *set = "lattice.width=30";
  strife_scenario *sc = NULL;
  strife_diag d;
  int rc =
      strife_scenario_parse(text, strlen(text), "x.json", &set, 1, &sc, &d);
  CHECK_EQ(rc, STRIFE_ESCENARIO);
  CHECK_STR(d.source, "x.json");
  CHECK_EQ(d.line, 1);
  CHECK_EQ(d.column, 2);
  CHECK_STR(d.key, "lattice.width");
  CHECK(strstr(d.msg, "write \"lattice\": {\"width\": 50}") != NULL);
  strife_scenario *ok = parse("{\"lattice\": {\"width\": 50}, \"sources\": "
                              "{\"lattice.width\": \"a test\"}}",
                              "lattice.height=30");
  CHECK(ok != NULL);
  if (ok)
    CHECK(strstr(strife_scenario_json(ok),
                 "\"sources\":{\"lattice.height\":\"set on the command line "
                 "(--set)\",\"lattice.width\":\"a test\"}") != NULL);
  strife_scenario_destroy(ok);
}

/* Control characters: refused in names and values (test_bad_scenarios),
   newlines and tabs kept in free text, and a name taken from the file
   name made printable. */
static void test_control_characters(void) {
  strife_scenario *sc =
      parse("{\"description\": \"two\\nlines\\tand a tab\", \"sources\": "
            "{\"lattice.width\": \"a\\nb\"}}",
            NULL);
  CHECK(sc != NULL);
  if (sc)
    CHECK(strstr(strife_scenario_json(sc),
                 "\"description\":\"two\\nlines\\tand a tab\"") != NULL);
  strife_scenario_destroy(sc);
  sc = NULL;
  strife_diag d;
  CHECK_OK(
      strife_scenario_parse("{}", 2, "dir/red\x1b[31m.json", NULL, 0, &sc, &d));
  if (sc) CHECK_STR(strife_scenario_name(sc), "red?[31m");
  strife_scenario_destroy(sc);
}

/* docs/scenarios.md has a row for every key. */
static void test_documented(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/docs/scenarios.md", STRIFE_SOURCE_DIR);
  FILE *f = fopen(path, "rb");
  CHECK_MSG(f != NULL, "cannot open %s", path);
  if (!f) return;
  static char doc[1 << 17];
  size_t n = fread(doc, 1, sizeof doc - 1, f);
  fclose(f);
  doc[n] = '\0';
  for (size_t i = 0; i < strife_key_count(); i++) {
    strife_key_info k;
    strife_key_get(i, &k);
    char needle[160];
    snprintf(needle, sizeof needle, "| `%s` |", k.key);
    CHECK_MSG(strstr(doc, needle) != NULL, "docs/scenarios.md lacks %s", k.key);
  }
}

/* The shipped Afghan scenario's values by status, as docs/model.md's
   table counts them: fitted (calibration.free), sourced, assumption with a
   range, assumption without; settings (seed, scale, calendar, data,
   levers) apart.  Every value of the screen states its range. */
static void test_status_counts(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/scenarios/afghanistan-2021.json",
           STRIFE_SOURCE_DIR);
  json_t *root = json_load_file(path, 0, NULL);
  CHECK(root != NULL);
  if (!root) return;
  static const char *const settings[] = {"calibration.window",
                                         "run.seed",
                                         "run.kernel",
                                         "population.scale",
                                         "run.end",
                                         "run.start",
                                         "data.provinces",
                                         "policy",
                                         "policy_changes",
                                         "foreign.us",
                                         "foreign.china_development",
                                         "foreign.pakistan_strikes"};
  json_t *cal = json_object_get(root, "calibration");
  json_t *free_ = json_object_get(cal, "free");
  json_t *screen = json_object_get(cal, "screen");
  int count[4] = {0, 0, 0, 0}; /* fitted, sourced, ranged, unranged */
  const char *key;
  json_t *src;
  json_object_foreach(json_object_get(root, "sources"), key, src) {
    int setting = 0;
    for (size_t i = 0; i < sizeof settings / sizeof *settings; i++)
      setting |= strcmp(key, settings[i]) == 0;
    if (setting) continue;
    int fitted = 0;
    size_t i;
    json_t *e;
    json_array_foreach(free_, i, e) fitted |=
        strcmp(json_string_value(json_object_get(e, "key")), key) == 0;
    const char *text = json_string_value(src);
    int assumption = strncmp(text, "assumption", 10) == 0;
    int ranged = strstr(text, "range ") != NULL;
    count[fitted ? 0 : !assumption ? 1 : ranged ? 2 : 3]++;
  }
  size_t i;
  json_t *e;
  json_array_foreach(screen, i, e) {
    const char *k = json_string_value(json_object_get(e, "key"));
    int fitted = 0; /* its prior states its range */
    size_t q;
    json_t *f;
    json_array_foreach(free_, q, f) fitted |=
        strcmp(json_string_value(json_object_get(f, "key")), k) == 0;
    if (fitted) continue;
    const char *text =
        json_string_value(json_object_get(json_object_get(root, "sources"), k));
    CHECK_MSG(text && strstr(text, "range "),
              "%s is screened without a "
              "stated range",
              k);
  }
  json_decref(root);
  snprintf(path, sizeof path, "%s/docs/model.md", STRIFE_SOURCE_DIR);
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  if (!f) return;
  static char doc[1 << 18];
  size_t n = fread(doc, 1, sizeof doc - 1, f);
  fclose(f);
  doc[n] = '\0';
  static const char *const what[4] = {"fitted", "sourced",
                                      "assumption, with a range",
                                      "assumption, without a range"};
  for (int c = 0; c < 4; c++) {
    char needle[96];
    snprintf(needle, sizeof needle, "| %s | %d |", what[c], count[c]);
    CHECK_MSG(strstr(doc, needle) != NULL, "docs/model.md lacks \"%s\"",
              needle);
  }
}

int main(void) {
  test_status_counts();
  test_defaults();
  test_overrides_and_hash();
  test_presets_cited();
  test_locations();
  test_equal_values();
  test_dotted();
  test_control_characters();
  test_documented();
  return test_report("scenario");
}
