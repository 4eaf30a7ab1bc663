/* SPDX-License-Identifier: MIT */
/*
 * The table of scenario keys: the single place that says which keys exist,
 * their type, unit, range, default and meaning.  The parser, the overrides,
 * `strife help scenario` and the check of docs/scenarios.md all read it.
 *
 * The default of every Epstein key is the value of NetLogo's Rebellion
 * model (Wilensky 2004), which follows Epstein (2002); the presets in
 * scenarios/ set the values of each published variant with sources.
 */
#include <string.h>

#include "scenario.h"

#define OFF(field) offsetof(struct strife__values, field)
#define EP(field)  offsetof(struct strife__values, ep.field)
#define NONE       0.0, 0.0, NULL, ""

const struct strife__key strife__keys[] = {
    /* path, type, offset, min, max, choices, range, unit, default, doc,
       model */
    {"model", STRIFE__K_ENUM, OFF(model), 0, 0, "epstein", "epstein", "",
     "\"epstein\"", "Model the scenario runs.", ""},
    {"name", STRIFE__K_STRING, 0, NONE, "", NULL,
     "Name shown in outputs (Optional; default: the file's base name).", ""},
    {"description", STRIFE__K_STRING, 0, NONE, "", "\"\"",
     "Free text describing the scenario (Optional).", ""},
    {"sources", STRIFE__K_SOURCES, 0, NONE, "", "{}",
     "Citation of each value: an object from key path to source text, or "
     "the word \"assumption\" (Optional).",
     ""},
    {"run.ticks", STRIFE__K_I64, OFF(ticks), 0, 1e9, NULL, "0..1000000000",
     "ticks", "1000", "Number of ticks to run.", ""},
    {"run.seed", STRIFE__K_I64, OFF(seed), 0, 9223372036854775807.0, NULL,
     "0..2^63-1", "", "1", "Master seed of every random draw.", ""},
    {"run.update", STRIFE__K_ENUM, EP(update), 0, 0, "sequential|parallel",
     "sequential|parallel", "", "\"sequential\"",
     "Agent update: one at a time in random order, or synchronous phases "
     "over threads.",
     "epstein"},
    {"lattice.width", STRIFE__K_U32, EP(width), 1, 65535, NULL, "1..65535",
     "cells", "40", "Width of the torus.", "epstein"},
    {"lattice.height", STRIFE__K_U32, EP(height), 1, 65535, NULL, "1..65535",
     "cells", "40", "Height of the torus.", "epstein"},
    {"citizens.density", STRIFE__K_REAL, EP(citizen_density), 0, 1, NULL,
     "[0, 1]", "fraction of cells", "0.7",
     "Share of cells holding a citizen at tick 0.", "epstein"},
    {"citizens.vision", STRIFE__K_INT, EP(citizen_vision), 1,
     STRIFE__VISION_MAX, NULL, "1..100", "cells", "7",
     "Radius v of the cells a citizen sees.", "epstein"},
    {"citizens.threshold", STRIFE__K_REAL, EP(threshold), 0, 1, NULL, "[0, 1]",
     "", "0.1",
     "T: a citizen turns active when grievance minus net risk exceeds it.",
     "epstein"},
    {"citizens.arrest_constant", STRIFE__K_REAL, EP(k), 0, 100, NULL,
     "[0, 100]", "", "2.3",
     "k in P = 1 - exp(-k C/A), the estimated arrest probability.", "epstein"},
    {"citizens.max_jail_term", STRIFE__K_U32, EP(max_jail), 1, STRIFE__JAIL_MAX,
     NULL, "1..1000000", "ticks", "30",
     "J_max, the longest jail term (see variant.jail_term).", "epstein"},
    {"cops.density", STRIFE__K_SCHEDULE, EP(cop_density), 0, 1, NULL, "[0, 1]",
     "fraction of cells", "0.04",
     "Share of cells holding a cop; a schedule changes the number of cops.",
     "epstein"},
    {"cops.vision", STRIFE__K_INT, EP(cop_vision), 1, STRIFE__VISION_MAX, NULL,
     "1..100", "cells", "7", "Radius v of the cells a cop sees.", "epstein"},
    {"regime.legitimacy", STRIFE__K_SCHEDULE, EP(legitimacy), 0, 1, NULL,
     "[0, 1]", "", "0.82", "L in grievance G = H (1 - L).", "epstein"},
    {"variant.neighbourhood", STRIFE__K_ENUM, EP(nbhd), 0, 0,
     "lateral|disk|diamond", "lateral|disk|diamond", "", "\"disk\"",
     "Cells within vision v: the 4 v lateral sites, the Euclidean disk, or "
     "the Manhattan diamond.",
     "epstein"},
    {"variant.own_cell", STRIFE__K_BOOL, EP(own_cell), 0, 0, NULL, "true|false",
     "", "true", "Whether an agent's own cell belongs to its neighbourhood.",
     "epstein"},
    {"variant.active_count", STRIFE__K_ENUM, EP(self_again), 0, 0,
     "self|self-again-if-active", "self|self-again-if-active", "",
     "\"self-again-if-active\"",
     "A = 1 + actives seen; with self-again-if-active an active citizen "
     "counts itself once more.",
     "epstein"},
    {"variant.ratio", STRIFE__K_ENUM, EP(ratio), 0, 0,
     "exact|floor|round-half-even", "exact|floor|round-half-even", "",
     "\"floor\"",
     "How C/A enters P: as is, rounded down, or rounded half to even.",
     "epstein"},
    {"variant.order", STRIFE__K_ENUM, EP(order), 0, 0, "move-act|act-move",
     "move-act|act-move", "", "\"move-act\"",
     "Order of moving and acting within a turn.", "epstein"},
    {"variant.jail_term", STRIFE__K_ENUM, EP(term), 0, 0,
     "continuous|uniform-exclusive|uniform-inclusive",
     "continuous|uniform-exclusive|uniform-inclusive", "",
     "\"uniform-exclusive\"",
     "Jail term: ceil(U(0, J_max)), uniform on 0..J_max-1, or uniform on "
     "0..J_max.",
     "epstein"},
    {"variant.jailed", STRIFE__K_ENUM, EP(jailed), 0, 0,
     "removed|stays-empty|stays-blocking", "removed|stays-empty|stays-blocking",
     "", "\"stays-empty\"",
     "Where a jailed citizen is: off the lattice, on its cell which others "
     "may take, or on its cell blocking it.",
     "epstein"},
    {"variant.jail_countdown", STRIFE__K_ENUM, EP(countdown), 0, 0,
     "tick-end|own-turn", "tick-end|own-turn", "", "\"tick-end\"",
     "When jail terms count down: for all at the end of a tick, or on each "
     "citizen's own turn.",
     "epstein"},
    {"variant.cop_after_arrest", STRIFE__K_ENUM, EP(cop_after), 0, 0,
     "stay|arrestee-cell", "stay|arrestee-cell", "", "\"arrestee-cell\"",
     "Whether a cop steps onto the cell of the citizen it arrests.", "epstein"},
    {"variant.movement", STRIFE__K_ENUM, EP(movement), 0, 0,
     "all|cops-only|citizens-only|none", "all|cops-only|citizens-only|none", "",
     "\"all\"", "Which agents move.", "epstein"},
    {"variant.placement", STRIFE__K_ENUM, EP(placement), 0, 0,
     "exact|bernoulli", "exact|bernoulli", "", "\"exact\"",
     "Tick-0 placement: exactly round(density x cells) of each kind, or each "
     "cell drawn on its own.",
     "epstein"},
};

const size_t strife__n_keys = sizeof strife__keys / sizeof strife__keys[0];

const struct strife__key *strife__key_find(const char *path) {
  for (size_t i = 0; i < strife__n_keys; i++)
    if (strcmp(strife__keys[i].path, path) == 0) return &strife__keys[i];
  return NULL;
}

int strife__key_is_group(const char *prefix) {
  size_t n = strlen(prefix);
  for (size_t i = 0; i < strife__n_keys; i++)
    if (strncmp(strife__keys[i].path, prefix, n) == 0 &&
        strife__keys[i].path[n] == '.')
      return 1;
  return 0;
}

static const char *type_name(const struct strife__key *k) {
  static const char *const names[] = {"string",  "integer",  "integer",
                                      "integer", "number",   "boolean",
                                      "string",  "schedule", "object"};
  return names[k->type];
}

size_t strife_key_count(void) {
  return strife__n_keys;
}

void strife_key_get(size_t i, strife_key_info *out) {
  const struct strife__key *k = &strife__keys[i];
  out->key = k->path;
  out->type = type_name(k);
  out->unit = k->unit;
  out->range = k->range;
  out->deflt = k->deflt ? k->deflt : "(see doc)";
  out->doc = k->doc;
  out->model = k->model;
}
