/* SPDX-License-Identifier: MIT */
/*
 * The observed record's loader (data/observed/, docs/record.md): a good
 * file read back exactly; each kind of fault refused at its line, column
 * and key with what was expected; every shipped file loads, and every
 * record's quantity has been documented.
 */
#include <dirent.h>

#include "support.h"

/* The whole of file 'path', NUL-terminated (malloc'd), or NULL. */
static char *read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *s = NULL;
  size_t n = 0;
  if (fseek(f, 0, SEEK_END) == 0) {
    long len = ftell(f);
    if (len >= 0 && fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)len + 1)))
      n = fread(s, 1, (size_t)len, f);
  }
  fclose(f);
  if (s) s[n] = '\0';
  return s;
}

static const char good[] =
    "{\n"
    "  \"about\": \"test\",\n"
    "  \"records\": [\n"
    "    {\"quantity\": \"attacks\", \"start\": \"2021-09-01\",\n"
    "     \"end\": \"2021-09-30\", \"value\": 38, \"unit\": \"attacks\",\n"
    "     \"definition\": \"d\", \"source\": \"s\", \"confidence\": "
    "\"medium\"},\n"
    "    {\"quantity\": \"isk_fighters\", \"start\": \"2023-01-01\",\n"
    "     \"end\": \"2023-06-30\", \"low\": 4000, \"high\": 6000,\n"
    "     \"unit\": \"fighters\", \"definition\": \"d\", \"source\": \"s\",\n"
    "     \"confidence\": \"low\", \"notes\": \"n\", \"unscored\": \"u\"},\n"
    "    {\"quantity\": \"pakistan_strikes\", \"start\": \"2022-04-16\",\n"
    "     \"end\": \"2022-04-16\", \"gap\": \"not found\", \"unit\": "
    "\"strikes\",\n"
    "     \"place\": \"Khost\", \"definition\": \"d\", \"source\": \"s\",\n"
    "     \"confidence\": \"high\"}\n"
    "  ]\n"
    "}\n";

static void test_good(void) {
  strife_record *r;
  strife_diag d;
  CHECK_OK(strife_record_parse(good, strlen(good), "good.json", &r, &d));
  if (!r) return;
  CHECK_EQ(strife_record_count(r), 3);
  const strife_observation *a = strife_record_get(r, 0);
  CHECK_STR(a->quantity, "attacks");
  CHECK_EQ(a->start, 18871); /* 2021-09-01 */
  CHECK_EQ(a->end - a->start, 29);
  CHECK_NEAR(a->value, 38, 0);
  CHECK(isnan(a->low) && isnan(a->high) && !a->gap && !a->place && !a->notes &&
        !a->unscored);
  CHECK_STR(a->confidence, "medium");
  const strife_observation *b = strife_record_get(r, 1);
  CHECK(isnan(b->value));
  CHECK_NEAR(b->low, 4000, 0);
  CHECK_NEAR(b->high, 6000, 0);
  CHECK_STR(b->notes, "n");
  CHECK_STR(b->unscored, "u");
  const strife_observation *c = strife_record_get(r, 2);
  CHECK_STR(c->gap, "not found");
  CHECK_STR(c->place, "Khost");
  CHECK(strife_record_get(r, 3) == NULL);
  strife_record_destroy(r);
}

/* 'good' with the first occurrence of 'from' replaced by 'to'. */
static char *edit(const char *from, const char *to) {
  const char *at = strstr(good, from);
  if (!at) return NULL;
  size_t n = strlen(good) - strlen(from) + strlen(to);
  char *s = malloc(n + 1);
  if (!s) return NULL;
  size_t k = (size_t)(at - good);
  memcpy(s, good, k);
  memcpy(s + k, to, strlen(to));
  strcpy(s + k + strlen(to), at + strlen(from));
  return s;
}

static void test_faults(void) {
  static const struct {
    const char *from, *to;
    int line, col;
    const char *key, *msg;
  } cases[] = {
      {"\"attacks\", \"start\"", "\"attack\", \"start\"", 4, 18,
       "records[0].quantity", "unknown quantity \"attack\""},
      {"\"2021-09-30\"", "\"2021-08-31\"", 5, 13, "records[0].end",
       "ends before it starts"},
      {"\"2021-09-01\"", "\"2021-02-29\"", 4, 38, "records[0].start",
       "expected a date YYYY-MM-DD"},
      {"\"value\": 38", "\"value\": -38", 5, 36, "records[0].value",
       "a number of 0 or more"},
      {"\"value\": 38", "\"value\": \"38\"", 5, 36, "records[0].value",
       "expected a number, got the string \"38\""},
      {"\"value\": 38", "\"value\": 38, \"gap\": \"x\"", 4, 5, "records[0]",
       "needs one of \"value\""},
      {"\"high\": 6000,", "", 7, 5, "records[1]",
       "needs both \"low\" and \"high\""},
      {"\"low\": 4000", "\"low\": 7000", 8, 48, "records[1].high",
       "of at least \"low\""},
      {"\"medium\"", "\"sure\"", 6, 54, "records[0].confidence",
       "expected \"high\", \"medium\" or \"low\""},
      {"\"unit\": \"attacks\",", "", 4, 5, "records[0]", "needs \"unit\""},
      {"\"definition\": \"d\", \"source\": \"s\", \"confidence\": \"medium\"",
       "\"definition\": \"\", \"source\": \"s\", \"confidence\": \"medium\"", 6,
       20, "records[0].definition", "a non-empty string"},
      {"\"notes\": \"n\"", "\"note\": \"n\"", 10, 27, "records[1].note",
       "unknown member"},
      {"\"about\": \"test\"", "\"about\": \"test\", \"extra\": 1", 2, 20,
       "extra", "unknown member (known here: about|records)"},
      {"\"source\": \"s\",\n     \"confidence\": \"low\"",
       "\"source\": \"s\\u001b\",\n     \"confidence\": \"low\"", 9, 55,
       "records[1].source", "control character U+001B"},
      {"\"records\": [", "\"records\": [}", 3, 15, "records", "malformed JSON"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *text = edit(cases[i].from, cases[i].to);
    CHECK_MSG(text != NULL, "case %zu: edit not found", i);
    if (!text) continue;
    strife_record *r = NULL;
    strife_diag d;
    int rc = strife_record_parse(text, strlen(text), "bad.json", &r, &d);
    CHECK_MSG(rc == STRIFE_ESCENARIO || rc == STRIFE_ESYNTAX, "case %zu: rc %d",
              i, rc);
    CHECK(r == NULL);
    CHECK_STR(d.source, "bad.json");
    CHECK_MSG(d.line == cases[i].line && d.column == cases[i].col,
              "case %zu: at %d:%d, want %d:%d (%s)", i, d.line, d.column,
              cases[i].line, cases[i].col, d.msg);
    CHECK_MSG(strcmp(d.key, cases[i].key) == 0, "case %zu: key '%s', want '%s'",
              i, d.key, cases[i].key);
    CHECK_MSG(strstr(d.msg, cases[i].msg) != NULL,
              "case %zu: message '%s' lacks '%s'", i, d.msg, cases[i].msg);
    strife_record_destroy(r);
    free(text);
  }
  /* A byte-order mark, and a file that is not there. */
  char bom[sizeof good + 3] = "\xef\xbb\xbf";
  memcpy(bom + 3, good, sizeof good);
  strife_record *r = NULL;
  strife_diag d;
  CHECK(strife_record_parse(bom, strlen(bom), "bom.json", &r, &d) != 0);
  CHECK(strstr(d.msg, "byte-order mark") != NULL);
  CHECK_EQ(strife_record_load("no/such/file.json", &r, &d), STRIFE_EIO);
  CHECK_STR(d.source, "no/such/file.json");
}

/* Every file of data/observed loads; every quantity is documented in
   docs/record.md. */
static void test_shipped(void) {
  const char *dir = STRIFE_SOURCE_DIR "/data/observed";
  DIR *dp = opendir(dir);
  CHECK_MSG(dp != NULL, "cannot open %s", dir);
  if (!dp) return;
  size_t files = 0, records = 0;
  for (struct dirent *de; (de = readdir(dp));) {
    const size_t n = strlen(de->d_name);
    if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    strife_record *r;
    strife_diag d;
    int rc = strife_record_load(path, &r, &d);
    char buf[1024];
    if (rc) strife_diag_format(&d, buf, sizeof buf);
    CHECK_MSG(rc == STRIFE_OK, "%s", rc ? buf : "");
    if (rc) continue;
    files++;
    records += strife_record_count(r);
    strife_record_destroy(r);
  }
  closedir(dp);
  CHECK(files >= 1);
  printf("# data/observed: %zu files, %zu records\n", files, records);
  char *doc = read_text(STRIFE_SOURCE_DIR "/docs/record.md");
  CHECK(doc != NULL);
  for (size_t q = 0; doc && strife_record_quantity(q, NULL); q++) {
    char want[64];
    snprintf(want, sizeof want, "`%s`", strife_record_quantity(q, NULL));
    CHECK_MSG(strstr(doc, want) != NULL, "docs/record.md lacks %s", want);
  }
  free(doc);
}

int main(void) {
  test_good();
  test_faults();
  test_shipped();
  return test_report("record");
}
