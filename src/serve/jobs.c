/* SPDX-License-Identifier: MIT */
/* The dashboard's comparisons (docs/api.md): each checked against the
   scenario's key table before it starts, then run by strife_compare_run on
   a thread of its own, into a results database under the served folder's
   jobs/; its progress is a version counter that the event streams wait
   on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <strife/experiment.h>

#include "core/text.h"
#include "serve.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- A request's body, checked ---- */

/* The key of the scenario table, or NULL. */
static int key_type(const char *key, strife_key_info *info) {
  size_t n = strife_key_count();
  for (size_t i = 0; i < n; i++) {
    strife_key_get(i, info);
    if (strcmp(info->key, key) == 0) return 1;
  }
  return 0;
}

/* Appends KEY=VALUE (VALUE as compact JSON) to the spec's sets. */
static int add_set(struct strife__job_spec *s, const char *key,
                   const json_t *value, char *why, size_t n_why) {
  if (s->n_sets >= sizeof s->sets / sizeof s->sets[0]) {
    snprintf(why, n_why, "set: at most %zu keys",
             sizeof s->sets / sizeof s->sets[0]);
    return 400;
  }
  strife_key_info info;
  if (strchr(key, '=') || !key_type(key, &info)) {
    snprintf(why, n_why,
             "set: unknown scenario key '%s' (strife help scenario lists "
             "them)",
             key);
    return 400;
  }
  if (strcmp(info.type, "path") == 0 || strcmp(key, "policy") == 0) {
    snprintf(why, n_why, "set: '%s' cannot be set from a request%s", key,
             strcmp(key, "policy") == 0 ? " (use \"policies\")" : "");
    return 400;
  }
  char *v = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
  if (v && strlen(v) > 256) {
    free(v);
    snprintf(why, n_why, "set: '%s': a value of at most 256 characters", key);
    return 400;
  }
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "%s=%s", key, v ? v : "");
  free(v);
  if (!(s->sets[s->n_sets] = strife__text_take(&t))) return 500;
  s->n_sets++;
  return 0;
}

/* A name of letters, digits, '-' and '_', 1 to 64 of them. */
static int bare_word(const char *w) {
  size_t n = 0;
  for (; w[n]; n++)
    if (!((w[n] >= 'a' && w[n] <= 'z') || (w[n] >= 'A' && w[n] <= 'Z') ||
          (w[n] >= '0' && w[n] <= '9') || w[n] == '-' || w[n] == '_'))
      return 0;
  return n >= 1 && n <= 64;
}

static int bad(char *why, size_t n_why, const char *what) {
  snprintf(why, n_why, "%s", what);
  return 400;
}

/* The members of the body other than "set". */
static int spec_fields(json_t *body, const strife_serve_opts *o,
                       struct strife__job_spec *s, char *why, size_t n_why) {
  const char *key;
  json_t *v;
  json_object_foreach(body, key, v) {
    if (strcmp(key, "scenario") == 0) {
      if (!json_is_string(v) || !json_string_length(v) ||
          json_string_length(v) >= sizeof s->scenario)
        return bad(why, n_why, "scenario: expected a scenario file's path");
      snprintf(s->scenario, sizeof s->scenario, "%s", json_string_value(v));
    } else if (strcmp(key, "runs") == 0) {
      json_int_t r = json_is_integer(v) ? json_integer_value(v) : 0;
      if (r < 1 || r > (json_int_t)o->max_runs) {
        snprintf(why, n_why, "runs: expected an integer in 1..%u", o->max_runs);
        return 400;
      }
      s->runs = (uint32_t)r;
    } else if (strcmp(key, "policies") == 0) {
      size_t i;
      json_t *p;
      if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > 4)
        return bad(why, n_why, "policies: expected 1 to 4 policy names");
      json_array_foreach(v, i, p) {
        if (!json_is_string(p) || !bare_word(json_string_value(p)))
          return bad(why, n_why,
                     "policies: expected 1 to 4 policy names (letters, "
                     "digits and '-', at most 64)");
        for (size_t k = 0; k < s->n_policies; k++)
          if (strcmp(s->policies[k], json_string_value(p)) == 0)
            return bad(why, n_why, "policies: a policy named twice");
        if (!(s->policies[s->n_policies] = strdup(json_string_value(p))))
          return 500;
        s->n_policies++;
      }
    } else if (strcmp(key, "scale") == 0) {
      if (!json_is_integer(v))
        return bad(why, n_why, "scale: expected an integer");
      int rc = add_set(s, "population.scale", v, why, n_why);
      if (rc) return rc;
    } else if (strcmp(key, "set") != 0) {
      snprintf(why, n_why,
               "unknown key '%.64s'; expected scenario, policies, set, runs "
               "or scale",
               key);
      return 400;
    }
  }
  return 0;
}

/* Every arm's scenario loaded, as compare would load it: the same
   messages as the command line. */
static int spec_check(const struct strife__job_spec *s, const char *path,
                      char *why, size_t n_why) {
  const char *sets[66];
  memcpy(sets, s->sets, s->n_sets * sizeof *sets);
  for (size_t p = 0; p < s->n_policies; p++) {
    char policy[160];
    snprintf(policy, sizeof policy, "policy=%s", s->policies[p]);
    sets[s->n_sets] = policy;
    strife_scenario *sc = NULL;
    strife_diag d;
    int rc = strife_scenario_load(path, sets, s->n_sets + 1, &sc, &d);
    strife_scenario_destroy(sc);
    if (rc == STRIFE_ENOMEM) return 500;
    if (rc) {
      strife_diag_format(&d, why, n_why);
      return 400;
    }
  }
  return 0;
}

int strife__job_spec_parse(const char *body, size_t len,
                           const strife_serve_opts *o, const char *root,
                           struct strife__job_spec *s, char *why,
                           size_t n_why) {
  memset(s, 0, sizeof *s);
  json_error_t e;
  json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
  if (!j || !json_is_object(j)) {
    if (j)
      snprintf(why, n_why, "expected a JSON object");
    else
      snprintf(why, n_why, "body: line %d, column %d: %s", e.line, e.column,
               e.text);
    json_decref(j);
    return 400;
  }
  int rc = spec_fields(j, o, s, why, n_why);
  json_t *set = json_object_get(j, "set");
  if (!rc && set && !json_is_object(set))
    rc = bad(why, n_why, "set: expected an object of scenario keys");
  const char *key;
  json_t *v;
  if (!rc && set) json_object_foreach(set, key, v) {
      if ((rc = add_set(s, key, v, why, n_why))) break;
    }
  if (!rc && !s->scenario[0]) rc = bad(why, n_why, "scenario: missing");
  if (!rc && !s->runs) rc = bad(why, n_why, "runs: missing");
  if (!rc && !s->n_policies) rc = bad(why, n_why, "policies: missing");
  if (!rc) {
    size_t n = strlen(s->scenario);
    if (n < 5 || strcmp(s->scenario + n - 5, ".json") != 0)
      rc = bad(why, n_why, "scenario: expected a .json file");
  }
  if (!rc) {
    rc = strife__folder_resolve(root, s->scenario, s->path, sizeof s->path, why,
                                n_why);
    if (rc == 404) rc = 400;
  }
  if (!rc) rc = spec_check(s, s->path, why, n_why);
  json_decref(j);
  if (rc) strife__job_spec_free(s);
  return rc;
}

void strife__job_spec_free(struct strife__job_spec *s) {
  for (size_t i = 0; i < s->n_policies; i++)
    free(s->policies[i]);
  for (size_t i = 0; i < s->n_sets; i++)
    free(s->sets[i]);
  s->n_policies = s->n_sets = 0;
}

/* ---- The jobs ---- */

int strife__jobs_init(struct strife__jobs *j) {
  memset(j, 0, sizeof *j);
  if (pthread_mutex_init(&j->mu, NULL)) return STRIFE_ENOMEM;
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  int rc = pthread_cond_init(&j->changed, &a);
  pthread_condattr_destroy(&a);
  if (rc) {
    pthread_mutex_destroy(&j->mu);
    return STRIFE_ENOMEM;
  }
  return STRIFE_OK;
}

static void changed(struct strife__jobs *j) {
  j->version++;
  pthread_cond_broadcast(&j->changed);
}

static void on_progress(void *ud, uint64_t done, uint64_t total) {
  struct strife__job *job = ud;
  pthread_mutex_lock(&job->owner->mu);
  job->done = done;
  job->total = total;
  changed(job->owner);
  pthread_mutex_unlock(&job->owner->mu);
}

/* The command line that makes the same database, as provenance. */
static char *command_line(const struct strife__job *job) {
  struct strife__text t = {NULL, 0, 0, 0};
  strife__text_put(&t, "strife compare --policies ");
  for (size_t i = 0; i < job->spec.n_policies; i++)
    strife__text_put(&t, "%s%s", i ? "," : "", job->spec.policies[i]);
  strife__text_put(&t, " --runs %u", job->spec.runs);
  for (size_t i = 0; i < job->spec.n_sets; i++) {
    strife__text_put(&t, " --set '");
    for (const char *c = job->spec.sets[i]; *c; c++)
      strife__text_put(&t, *c == '\'' ? "'\\''" : "%c", *c);
    strife__text_put(&t, "'");
  }
  strife__text_put(&t, " --db %s %s (strife serve)", job->db,
                   job->spec.scenario);
  return strife__text_take(&t);
}

static void *work(void *arg) {
  struct strife__job *job = arg;
  char *cmd = command_line(job);
  strife_compare_opts co;
  memset(&co, 0, sizeof co);
  co.exp.scenario = job->spec.path;
  co.exp.sets = (const char *const *)job->spec.sets;
  co.exp.n_sets = job->spec.n_sets;
  co.exp.threads = job->threads;
  co.exp.db = job->db_path;
  co.exp.command = cmd ? cmd : "strife serve";
  co.exp.cancel = &job->cancel;
  co.exp.progress = on_progress;
  co.exp.progress_ud = job;
  co.policies = (const char *const *)job->spec.policies;
  co.n_policies = job->spec.n_policies;
  co.runs = job->spec.runs;
  strife_experiment *x = NULL;
  strife_diag d;
  strife_diag_clear(&d);
  int rc = strife_compare_run(&co, &x, &d);
  strife_experiment_destroy(x);
  free(cmd);
  pthread_mutex_lock(&job->owner->mu);
  job->state = rc == STRIFE_OK          ? STRIFE__JOB_DONE
               : rc == STRIFE_ECANCELED ? STRIFE__JOB_CANCELLED
                                        : STRIFE__JOB_FAILED;
  if (rc && rc != STRIFE_ECANCELED) {
    if (d.msg[0])
      strife_diag_format(&d, job->error, sizeof job->error);
    else
      snprintf(job->error, sizeof job->error, "%s", strife_strerror(rc));
  }
  job->finished = now();
  job->owner->running--;
  changed(job->owner);
  pthread_mutex_unlock(&job->owner->mu);
  return NULL;
}

/* Whether a job of 'j' has 'db' (under the lock). */
static int taken(const struct strife__jobs *j, const char *db) {
  for (size_t i = 0; i < j->n; i++)
    if (strcmp(j->v[i]->db, db) == 0) return 1;
  return 0;
}

/* The first name jobs/job-NNNN.db under root that no file (nor link) and
   no job of this server has (under the lock). */
static int db_name(const struct strife__jobs *j, const char *root,
                   struct strife__job *job, char *why, size_t n_why) {
  char dir[4096];
  struct stat sb;
  snprintf(dir, sizeof dir, "%s/jobs", root);
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    snprintf(why, n_why, "cannot make %s: %s", dir, strerror(errno));
    return 500;
  }
  if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
    snprintf(why, n_why, "%s: not a folder (a link is not followed)", dir);
    return 500;
  }
  for (unsigned k = 1; k < 100000; k++) {
    snprintf(job->db, sizeof job->db, "jobs/job-%04u.db", k);
    snprintf(job->db_path, sizeof job->db_path, "%s/%s", root, job->db);
    if (lstat(job->db_path, &sb) != 0 && errno == ENOENT && !taken(j, job->db))
      return 0;
  }
  snprintf(why, n_why, "%s: no free database name", dir);
  return 500;
}

/* Refuses a job the limits do not let start (under the lock). */
static int admit(const struct strife__jobs *j, const strife_serve_opts *o,
                 char *why, size_t n_why) {
  if (j->closing) {
    snprintf(why, n_why, "the server is stopping");
    return 503;
  }
  if (j->running >= o->max_jobs) {
    snprintf(why, n_why,
             "%u comparisons are running, at most %u at once: wait for one "
             "or cancel it",
             j->running, o->max_jobs);
    return 429;
  }
  if (j->n >= STRIFE__JOBS_MAX) {
    snprintf(why, n_why, "this server has run its %d comparisons",
             STRIFE__JOBS_MAX);
    return 429;
  }
  return 0;
}

int strife__jobs_start(struct strife__jobs *j, struct strife__job_spec *spec,
                       const strife_serve_opts *o, const char *root,
                       unsigned *id, char *why, size_t n_why) {
  struct strife__job *job = calloc(1, sizeof *job);
  if (!job) {
    strife__job_spec_free(spec);
    snprintf(why, n_why, "out of memory");
    return 500;
  }
  job->spec = *spec;
  memset(spec, 0, sizeof *spec);
  job->owner = j;
  job->threads = o->threads;
  pthread_mutex_lock(&j->mu);
  /* The threads of finished jobs, which have let the lock go. */
  for (size_t i = 0; i < j->n; i++)
    if (j->v[i]->state != STRIFE__JOB_RUNNING && !j->v[i]->joined) {
      pthread_join(j->v[i]->thread, NULL);
      j->v[i]->joined = 1;
    }
  int rc = admit(j, o, why, n_why);
  if (!rc) rc = db_name(j, root, job, why, n_why);
  if (!rc) {
    job->id = (unsigned)j->n + 1;
    job->started = now();
    job->total = (uint64_t)job->spec.runs * job->spec.n_policies;
    if (pthread_create(&job->thread, NULL, work, job) != 0) {
      snprintf(why, n_why, "cannot start a thread");
      rc = 500;
    }
  }
  if (!rc) {
    j->v[j->n++] = job;
    j->running++;
    *id = job->id;
    changed(j);
  }
  pthread_mutex_unlock(&j->mu);
  if (rc) {
    strife__job_spec_free(&job->spec);
    free(job);
  }
  return rc;
}

int strife__jobs_cancel(struct strife__jobs *j, unsigned id) {
  pthread_mutex_lock(&j->mu);
  int rc = 404;
  if (id >= 1 && id <= j->n) {
    __atomic_store_n(&j->v[id - 1]->cancel, 1, __ATOMIC_RELAXED);
    changed(j);
    rc = 0;
  }
  pthread_mutex_unlock(&j->mu);
  return rc;
}

static const char *state_name(enum strife__job_state s) {
  static const char *const name[] = {"running", "done", "cancelled", "failed"};
  return name[s];
}

/* A job as JSON (under the lock). */
static json_t *job_json(const struct strife__job *job) {
  json_t *pol = json_array(), *sets = json_array();
  for (size_t i = 0; i < job->spec.n_policies; i++)
    json_array_append_new(pol, json_string(job->spec.policies[i]));
  for (size_t i = 0; i < job->spec.n_sets; i++)
    json_array_append_new(sets, json_string(job->spec.sets[i]));
  double end = job->state == STRIFE__JOB_RUNNING ? now() : job->finished;
  return json_pack(
      "{s:I, s:s, s:I, s:I, s:b, s:s, s:o, s:o, s:I, s:s, s:s?, s:f}", "id",
      (json_int_t)job->id, "state", state_name(job->state), "done",
      (json_int_t)job->done, "total", (json_int_t)job->total, "cancelling",
      job->cancel && job->state == STRIFE__JOB_RUNNING, "scenario",
      job->spec.scenario, "policies", pol, "sets", sets, "runs",
      (json_int_t)job->spec.runs, "db", job->db, "error",
      job->error[0] ? job->error : NULL, "seconds", end - job->started);
}

json_t *strife__jobs_get(struct strife__jobs *j, unsigned id, uint64_t *version,
                         int *finished) {
  pthread_mutex_lock(&j->mu);
  json_t *r = NULL;
  if (id >= 1 && id <= j->n) {
    r = job_json(j->v[id - 1]);
    if (finished) *finished = j->v[id - 1]->state != STRIFE__JOB_RUNNING;
  }
  if (version) *version = j->version;
  pthread_mutex_unlock(&j->mu);
  return r;
}

json_t *strife__jobs_list(struct strife__jobs *j) {
  json_t *a = json_array();
  pthread_mutex_lock(&j->mu);
  for (size_t i = 0; i < j->n; i++)
    json_array_append_new(a, job_json(j->v[i]));
  pthread_mutex_unlock(&j->mu);
  return a;
}

uint64_t strife__jobs_wait(struct strife__jobs *j, uint64_t seen, int ms,
                           int *closing) {
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += ms / 1000;
  until.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&j->mu);
  while (j->version == seen && !j->closing)
    if (pthread_cond_timedwait(&j->changed, &j->mu, &until) == ETIMEDOUT) break;
  uint64_t v = j->version;
  *closing = j->closing;
  pthread_mutex_unlock(&j->mu);
  return v;
}

void strife__jobs_shutdown(struct strife__jobs *j) {
  pthread_mutex_lock(&j->mu);
  j->closing = 1;
  for (size_t i = 0; i < j->n; i++)
    __atomic_store_n(&j->v[i]->cancel, 1, __ATOMIC_RELAXED);
  changed(j);
  pthread_mutex_unlock(&j->mu);
}

void strife__jobs_close(struct strife__jobs *j) {
  for (size_t i = 0; i < j->n; i++) {
    if (!j->v[i]->joined) pthread_join(j->v[i]->thread, NULL);
    strife__job_spec_free(&j->v[i]->spec);
    free(j->v[i]);
  }
  j->n = 0;
  pthread_cond_destroy(&j->changed);
  pthread_mutex_destroy(&j->mu);
}
