/* SPDX-License-Identifier: MIT */
/* The experiment handle and what the experiments share (experiment.h). */
#include "experiment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "scenario/scenario.h"
#include "sinks/db.h"

uint64_t strife_experiment_ran(const strife_experiment *x) {
  return x->ran;
}

uint64_t strife_experiment_skipped(const strife_experiment *x) {
  return x->skipped;
}

char *strife_experiment_table(const strife_experiment *x) {
  return x->table(x);
}

void strife_experiment_destroy(strife_experiment *x) {
  if (x) x->destroy(x);
}

int strife__exp_load(const strife_experiment_opts *x, strife_scenario **sc,
                     strife_diag *diag) {
  *sc = NULL;
  if (x->assumptions && !x->posterior) {
    strife_diag_clear(diag);
    strife__diag_set(diag, "--assumptions",
                     "expected --posterior FILE beside it: the assumptions "
                     "are drawn with each run's posterior row");
    return STRIFE_EINVAL;
  }
  return strife_scenario_load_with(x->models, x->scenario, x->sets, x->n_sets,
                                   sc, diag);
}

int strife__exp_check_params(const strife_scenario *sc,
                             const strife_param_range *params, size_t n,
                             strife_diag *diag) {
  for (size_t i = 0; i < n; i++) {
    const strife_param_range *p = &params[i];
    const struct strife__key *k = strife__scenario_key(sc, p->key);
    if (!k || !strife__key_numeric(k)) {
      strife__diag_set(diag, p->key,
                       "--param: not a numeric scenario key of the %s model "
                       "(strife help scenario lists them)",
                       strife_scenario_model(sc));
      return STRIFE_EINVAL;
    }
    if (strcmp(k->path, "run.seed") == 0) {
      strife__diag_set(diag, p->key,
                       "--param: the seeds of an experiment's runs are "
                       "--seed plus the run's number, whatever a point "
                       "sets: run.seed is not a parameter");
      return STRIFE_EINVAL;
    }
    if (!(p->lo < p->hi) || !isfinite(p->lo) || !isfinite(p->hi)) {
      strife__diag_set(diag, p->key, "--param: expected LO < HI, got %g:%g",
                       p->lo, p->hi);
      return STRIFE_EINVAL;
    }
    if (p->lo < k->min || p->hi > k->max) {
      strife__diag_set(diag, p->key, "--param: %g:%g leaves the key's range %s",
                       p->lo, p->hi, k->range);
      return STRIFE_EINVAL;
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(params[j].key, p->key) == 0) {
        strife__diag_set(diag, p->key, "--param: given twice");
        return STRIFE_EINVAL;
      }
  }
  return STRIFE_OK;
}

double strife__exp_param_value(const strife_scenario *sc,
                               const strife_param_range *p, double u) {
  double v = p->lo + u * (p->hi - p->lo);
  const struct strife__key *k = strife__scenario_key(sc, p->key);
  return strife__key_integer(k) ? floor(v + 0.5) : v;
}

int strife__exp_outcomes(const strife_scenario *sc, const char *const *names,
                         size_t n, size_t *out, strife_diag *diag) {
  const strife_model_type *m = strife_scenario_model_type(sc);
  const size_t n_out = strife_model_outcome_count(m);
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;
    strife_outcome_info info;
    for (; k < n_out; k++) {
      strife_model_outcome(m, k, &info);
      if (strcmp(info.name, names[i]) == 0) break;
    }
    if (k == n_out) {
      strife__diag_set(diag, "--outcome",
                       "unknown outcome '%s' of the %s model "
                       "(docs/results.md lists them)",
                       names[i], strife_model_name(m));
      return STRIFE_EINVAL;
    }
    out[i] = k;
  }
  return STRIFE_OK;
}

int strife__exp_pick(const strife_scenario *sc, const char *const *names,
                     size_t n, int key_only, size_t *n_out, size_t **index,
                     char ***out_names, size_t *stride, strife_diag *diag) {
  const strife_model_type *m = strife_scenario_model_type(sc);
  *stride = strife_model_outcome_count(m);
  *n_out = 0;
  *index = calloc(*stride + n + 1, sizeof **index);
  *out_names = calloc(*stride + n + 1, sizeof **out_names);
  if (!*index || !*out_names) return STRIFE_ENOMEM;
  strife_outcome_info info;
  if (n) {
    int rc = strife__exp_outcomes(sc, names, n, *index, diag);
    if (rc) return rc;
    *n_out = n;
  } else {
    for (size_t k = 0; k < *stride; k++) {
      strife_model_outcome(m, k, &info);
      if (info.key || !key_only) (*index)[(*n_out)++] = k;
    }
  }
  for (size_t q = 0; q < *n_out; q++) {
    strife_model_outcome(m, (*index)[q], &info);
    if (!((*out_names)[q] = strdup(info.name))) return STRIFE_ENOMEM;
  }
  return STRIFE_OK;
}

void strife__exp_names_free(char **names, size_t n) {
  for (size_t q = 0; names && q < n; q++)
    free(names[q]);
  free(names);
}

int strife__exp_rank(const strife_experiment_opts *x) {
  return strife_mpi_rank(x->mpi);
}

int strife__exp_db_open(const strife_experiment_opts *x,
                        const strife_scenario *sc, const char *kind,
                        const char *arms, struct strife__db **db,
                        strife_diag *diag) {
  struct strife__db_meta meta = {.kind = kind,
                                 .scenario_hash = strife_scenario_hash(sc),
                                 .scenario_json = strife_scenario_json(sc),
                                 .arms = arms,
                                 .seed = strife_scenario_seed(sc),
                                 .command = x->command};
  return strife__db_open(db, x->db, &meta, strife_scenario_model_type(sc),
                         diag);
}
