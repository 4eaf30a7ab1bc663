/* SPDX-License-Identifier: MIT */
/*
 * The province table of the Afghan scenario (data/provinces.csv): one row
 * per province with its population, area, neighbours and foreign borders.
 * Read strictly: the header must be the documented one, every row has
 * every column, codes are unique, neighbour lists name known provinces
 * and are symmetric; a violation names the file, line, column and column
 * name.  The scenario layer reads the file; this parses its bytes.
 */
#ifndef STRIFE_MODELS_AFGHAN_PROVINCES_H
#define STRIFE_MODELS_AFGHAN_PROVINCES_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* Most provinces a table may hold (Afghanistan has 34). */
#define STRIFE__PROVINCES_MAX 64

/* Foreign countries: the neighbours of Afghanistan, then the other states
   of the model.  Bit i of a border set is country i. */
#define STRIFE__COUNTRIES(XX)                                                  \
  XX(PAKISTAN, "Pakistan")                                                     \
  XX(IRAN, "Iran")                                                             \
  XX(TAJIKISTAN, "Tajikistan")                                                 \
  XX(UZBEKISTAN, "Uzbekistan")                                                 \
  XX(TURKMENISTAN, "Turkmenistan")                                             \
  XX(CHINA, "China")                                                           \
  XX(US, "United States")                                                      \
  XX(RUSSIA, "Russia")

enum strife__country {
#define XX(id, name) STRIFE__C_##id,
  STRIFE__COUNTRIES(XX)
#undef XX
      STRIFE__N_COUNTRIES
};

/* The name of country 'c' as the table spells it. */
STRIFE__FUNC const char *strife__provinces_country(int c);

struct strife__province {
  char iso[8];      /* ISO 3166-2 code, "AF-KAB" */
  char name[32];    /* English name */
  char capital[32]; /* provincial centre */
  double lat, lon;  /* centroid, degrees */
  uint32_t population;
  double area_km2;
  uint32_t borders;    /* bit per enum strife__country */
  uint64_t neighbours; /* bit per province index in the table */
};

struct strife__provinces {
  size_t n;
  struct strife__province p[STRIFE__PROVINCES_MAX];
  uint64_t population; /* of all provinces */
  uint64_t hash;       /* FNV-1a of the table's bytes */
};

/* Parses 'len' bytes of CSV text; 'source' names it in errors.  Returns 0,
   or STRIFE_ESCENARIO with 'diag' set (source, line, column, the column's
   name as the key, and what was expected). */
STRIFE__FUNC int strife__provinces_parse(const char *text, size_t len,
                                         const char *source,
                                         struct strife__provinces *out,
                                         strife_diag *diag);
/* Index of the province with code 'iso', or -1. */
STRIFE__FUNC int strife__provinces_find(const struct strife__provinces *t,
                                        const char *iso);

#endif
