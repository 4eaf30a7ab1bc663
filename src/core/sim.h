/* SPDX-License-Identifier: MIT */
/*
 * The simulation handle's internal face: the model state inside it, what
 * the model told the engine at creation, and who listens to its
 * observations.  The engine's step loop (engine.h) drives a handle
 * through these.
 */
#ifndef STRIFE_CORE_SIM_H
#define STRIFE_CORE_SIM_H

#include "core.h"
#include "model.h"

/* The model's own state inside 'sim' (for tests and internal tools). */
STRIFE__FUNC void *strife__sim_state(strife_sim *sim);
STRIFE__FUNC const struct strife_model_type *
strife__sim_type(const strife_sim *sim);
STRIFE__FUNC const struct strife__model_info *
strife__sim_info(const strife_sim *sim);
/* The seed the simulation draws from. */
STRIFE__FUNC uint64_t strife__sim_seed(const strife_sim *sim);
/* Sends the model's observations to 'obs' from now on (NULL: to no one). */
STRIFE__FUNC void strife__sim_listen(strife_sim *sim,
                                     const struct strife__observer *obs);
/* Asks the model to observe now ('when': STRIFE__OBS_START or _END). */
STRIFE__FUNC int strife__sim_observe(strife_sim *sim, unsigned when);

/* Whether a simulation of 'sc' fits in the memory this process may have
   (the model's footprint estimate); STRIFE_ELIMIT with the figures if
   not.  strife_sim_create checks it too. */
STRIFE__FUNC int strife__sim_fits(const strife_scenario *sc, strife_diag *diag);

#endif
