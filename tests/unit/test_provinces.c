/* SPDX-License-Identifier: MIT */
/*
 * The province table: the shipped data/provinces.csv reads whole and
 * consistent, and each kind of malformed table is refused with the file,
 * line, column, column name and what was expected.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "models/afghan/provinces.h"

#ifndef STRIFE_SOURCE_DIR
#  define STRIFE_SOURCE_DIR "."
#endif

/* Reads and parses the table at 'path' (the scenario layer reads it in
   the library; the model parses it). */
static int load_table(const char *path, struct strife__provinces *t,
                      strife_diag *d) {
  static char buf[1 << 20];
  FILE *f = fopen(path, "rb");
  if (!f) return STRIFE_EIO;
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  return strife__provinces_parse(buf, n, path, t, d);
}

static void test_shipped(void) {
  struct strife__provinces t;
  strife_diag d;
  int rc = load_table(STRIFE_SOURCE_DIR "/data/provinces.csv", &t, &d);
  CHECK_MSG(rc == 0, "%s", d.msg);
  CHECK_EQ(t.n, 34);
  uint64_t pop = 0;
  for (size_t i = 0; i < t.n; i++)
    pop += t.p[i].population;
  /* NSIA 1400 settled population, 31.95 million (data/README). */
  CHECK(pop > 31900000 && pop < 32000000);
  int kab = strife__provinces_find(&t, "AF-KAB");
  int nan = strife__provinces_find(&t, "AF-NAN");
  int bds = strife__provinces_find(&t, "AF-BDS");
  CHECK(kab >= 0 && nan >= 0 && bds >= 0);
  if (kab < 0 || nan < 0 || bds < 0) return;
  CHECK_STR(t.p[kab].name, "Kabul");
  CHECK_EQ(t.p[kab].population, 5380000);
  CHECK_EQ(t.p[kab].borders, 0);
  CHECK_EQ(t.p[nan].borders, 1u << STRIFE__C_PAKISTAN);
  CHECK_EQ(t.p[bds].borders, (1u << STRIFE__C_CHINA) |
                                 (1u << STRIFE__C_PAKISTAN) |
                                 (1u << STRIFE__C_TAJIKISTAN));
  /* Nangarhar and Kabul share a boundary, both ways. */
  CHECK(t.p[kab].neighbours >> nan & 1);
  CHECK(t.p[nan].neighbours >> kab & 1);
  CHECK_STR(strife__provinces_country(STRIFE__C_TAJIKISTAN), "Tajikistan");
  CHECK_STR(strife__provinces_country(99), "");
}

#define HDR                                                                    \
  "iso,name,capital,lat,lon,population,area_km2,borders_country,neighbours\n"
#define KAB "AF-KAB,Kabul,Kabul,34.5,69.2,5380000,4500,,AF-LOG\n"
#define LOG "AF-LOG,Logar,Pul-i-Alam,34.0,69.1,420000,4000,,AF-KAB\n"

static void test_bad(void) {
  static const struct {
    const char *text, *err;
  } cases[] = {
      {"", "t.csv:1: expected a header and rows, found nothing"},
      {HDR, "t.csv:1: expected rows after the header, found none"},
      {"iso,name\n", "t.csv:1:9: capital: expected 9 columns, found 2 (the row "
                     "ends before column \"capital\")"},
      {"iso,nom,capital,lat,lon,population,area_km2,borders_country,"
       "neighbours\n",
       "t.csv:1:5: expected the header iso,name,capital,lat,lon,population,"
       "area_km2,borders_country,neighbours; column 2 should be \"name\""},
      {HDR KAB "AF-LOG,Logar,Pul-i-Alam,34.0,69.1,420000,4000,,AF-KAB,x\n",
       "t.csv:3:55: expected 9 columns, found more (an extra ',' at column "
       "54)"},
      {HDR "KAB,Kabul,Kabul,34.5,69.2,5380000,4500,,\n",
       "t.csv:2:1: iso: expected an ISO 3166-2 code of Afghanistan such as "
       "\"AF-KAB\", found \"KAB\""},
      {HDR KAB KAB, "t.csv:3:1: iso: expected each province once, found "
                    "\"AF-KAB\" again"},
      {HDR "AF-KAB,Kabul,Kabul,44.5,69.2,5380000,4500,,\n",
       "t.csv:2:20: lat: expected a number in [29, 39], found \"44.5\""},
      {HDR "AF-KAB,Kabul,Kabul,34.5,east,5380000,4500,,\n",
       "t.csv:2:25: lon: expected a number in [60, 75.5], found \"east\""},
      {HDR "AF-KAB,Kabul,Kabul,0x22,69.2,5380000,4500,,\n",
       "t.csv:2:20: lat: expected a number in [29, 39], found \"0x22\""},
      {HDR "AF-KAB,Kabul,Kabul, 34.5,69.2,5380000,4500,,\n",
       "t.csv:2:20: lat: expected a number in [29, 39], found \" 34.5\""},
      {HDR "AF-KAB,Kabul,Kabul,34.5,69.2,-5,4500,,\n",
       "t.csv:2:30: population: expected a whole number in 1..100000000, "
       "found \"-5\""},
      {HDR "AF-KAB,Kabul,Kabul,34.5,69.2,5380000,0,,\n",
       "t.csv:2:38: area_km2: expected a number in [1, 700000], found \"0\""},
      {HDR "AF-KAB,Kabul,Kabul,34.5,69.2,5380000,4500,Narnia,\n",
       "t.csv:2:43: borders_country: expected a neighbouring country "
       "(Pakistan, Iran, Tajikistan, Uzbekistan, Turkmenistan, China), found "
       "\"Narnia\""},
      {HDR "AF-KAB,Kabul,Kabul,34.5,69.2,5380000,4500,,AF-XYZ\n",
       "t.csv:2:44: neighbours: expected the code of a province in this "
       "table, found \"AF-XYZ\""},
      {HDR "AF-KAB,Kabul,Kabul,34.5,69.2,5380000,4500,,AF-LOG\n"
           "AF-LOG,Logar,Pul-i-Alam,34.0,69.1,420000,4000,,\n",
       "t.csv:3:48: neighbours: expected AF-KAB among the neighbours of "
       "AF-LOG, which AF-KAB lists as its neighbour"},
      {HDR "AF-KAB,Kabul,Kabul,34.5,69.2,5380000,4500,,AF-KAB\n",
       "t.csv:2:44: neighbours: a province is not its own neighbour"},
      {HDR "AF-KAB,\"Kabul\",Kabul,34.5,69.2,5380000,4500,,\n",
       "t.csv:2:8: quoted fields are not supported: a field may not contain "
       "'\"' or ','"},
      {HDR "\n" KAB, "t.csv:2:1: expected a row, found an empty line"},
      {HDR "AF-KAB,,Kabul,34.5,69.2,5380000,4500,,\n",
       "t.csv:2:8: name: expected text, found none"},
      {HDR "AF-KAB,Ka\x1b[2Jbul,Kabul,34.5,69.2,5380000,4500,,\n",
       "t.csv:2:10: expected text, found control byte 0x1b"},
      {HDR "AF-KAB,Kabul\x7f,Kabul,34.5,69.2,5380000,4500,,\n",
       "t.csv:2:13: expected text, found control byte 0x7f"},
      {HDR "AF-KAB,Kabul,Kabul,34.5,69.2,4e1,4500,,\n",
       "t.csv:2:30: population: expected a whole number in 1..100000000, "
       "found \"4e1\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct strife__provinces t;
    strife_diag d;
    int rc = strife__provinces_parse(cases[i].text, strlen(cases[i].text),
                                     "t.csv", &t, &d);
    char buf[1024];
    strife_diag_format(&d, buf, sizeof buf);
    CHECK_EQ(rc, STRIFE_ESCENARIO);
    CHECK_STR(buf, cases[i].err);
  }
  /* A NUL byte, and a good two-row table with CRLF line ends and a BOM. */
  {
    struct strife__provinces t;
    strife_diag d;
    const char bin[] = "iso\0,x";
    CHECK_EQ(strife__provinces_parse(bin, sizeof bin, "b.csv", &t, &d),
             STRIFE_ESCENARIO);
    CHECK_STR(d.msg, "expected CSV text, found a NUL byte");
    const char *ok = "\xef\xbb\xbf"
                     "iso,name,capital,lat,lon,population,"
                     "area_km2,borders_country,neighbours\r\n"
                     "AF-KAB,Kabul,Kabul,34.5,69.2,5380000,4500,,AF-LOG\r\n"
                     "AF-LOG,Logar,Pul-i-Alam,34.0,69.1,420000,4000,Pakistan;"
                     "Iran,AF-KAB\r\n";
    CHECK_EQ(strife__provinces_parse(ok, strlen(ok), "ok.csv", &t, &d), 0);
    CHECK_EQ(t.n, 2);
    CHECK_EQ(t.p[1].borders,
             (1u << STRIFE__C_PAKISTAN) | (1u << STRIFE__C_IRAN));
    CHECK_EQ(t.p[0].neighbours, 2);
  }
}

int main(void) {
  test_shipped();
  test_bad();
  return test_report("provinces");
}
