/* SPDX-License-Identifier: MIT */
/*
 * The models built into the library, one line each, outside the engine
 * (as Lua's linit.c lists its libraries outside its core).  The first is
 * the model of a scenario that names none.  A new model is a folder under
 * src/models/, a line here and its sources in CMakeLists.txt.
 */
#include "models/afghan/afghan.h"
#include "models/epstein/epstein.h"

static const strife_model_type *const builtin[] = {
    &strife__model_epstein,
    &strife__model_afghan,
    NULL,
};

const strife_model_type *const *strife_models_builtin(void) {
  return builtin;
}
