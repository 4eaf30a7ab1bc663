/* SPDX-License-Identifier: MIT */
/*
 * Experiments over MPI ranks (docs/cluster.md).  Every rank runs the same
 * command and so the same sequence of ensembles; in each, rank 0 hands
 * out the runs one at a time, receives each finished run's record and
 * commits it to the results database, the only writer; the other ranks
 * run.  Then rank 0's outcomes go to every rank, so that what follows (a
 * table, the next generation of a calibration) is the same everywhere.
 *
 * Built without STRIFE_MPI, or started without mpirun, there is one rank
 * and the ensemble runs its jobs over threads instead (ensemble.c).
 *
 * A record travels as raw bytes (a header, then its arrays): the ranks
 * must run the same build on machines of the same kind.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <strife/experiment.h>

#include "core/sim.h"
#include "ensemble.h"
#include "sinks/db.h"
#include "sinks/record.h"
#include "scenario/scenario.h"

#ifdef STRIFE_MPI
#  include <mpi.h>

static int dist_rank, dist_size = 1, dist_owner;

int strife_dist_begin(int *argc, char ***argv) {
  /* Started by hand, not by mpirun or a scheduler's launcher: one rank,
     without MPI's start-up (a singleton MPI_Init can be slow, or fail in a
     container). */
  static const char *const launched[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                         "PMIX_RANK", "MPI_LOCALNRANKS"};
  int under = 0;
  for (size_t i = 0; i < sizeof launched / sizeof *launched; i++)
    under |= getenv(launched[i]) != NULL;
  if (!under) return STRIFE_OK;
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited) {
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
        MPI_SUCCESS)
      return STRIFE_EIO;
    dist_owner = 1;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &dist_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &dist_size);
  return STRIFE_OK;
}

void strife_dist_end(void) {
  int fin = 0;
  MPI_Finalized(&fin);
  if (dist_owner && !fin) MPI_Finalize();
  dist_owner = 0;
}

int strife_dist_rank(void) {
  return dist_rank;
}

int strife_dist_size(void) {
  return dist_size;
}

enum { TAG_READY = 1, TAG_JOB, TAG_RESULT };
#  define STOP UINT32_MAX

/* A finished run as sent to rank 0: the record (whose pointers mean
   nothing to the receiver), then its arrays. */
struct head {
  uint32_t job;
  int32_t rc;
  strife_diag diag;
  struct strife__record rec;
};

static size_t packed_size(const struct head *h) {
  return sizeof *h + h->rec.n_days * sizeof(struct strife__drow) +
         h->rec.n_prow * sizeof(struct strife__prow) +
         h->rec.n_ev * sizeof(struct strife__event);
}

/* Runs job 'j' and packs its record (or its error) into a malloc'd
   buffer of *len bytes. */
static char *run_packed(const struct strife__ens *e,
                        strife_scenario *const *arm,
                        const struct strife__job *jobs, uint32_t j,
                        uint64_t seed0, size_t *len) {
  struct head h;
  memset(&h, 0, sizeof h);
  h.job = j;
  strife_config cfg;
  strife_config_init(&cfg);
  cfg.threads = 1;
  cfg.seed_set = 1;
  cfg.seed = strife__job_seed(e, seed0, &jobs[j]);
  strife_sim *sim = NULL;
  struct strife__record *rec = &h.rec;
  strife_diag_clear(&h.diag);
  h.rc = strife_sim_create(arm[jobs[j].arm], &cfg, &sim, &h.diag);
  if (!h.rc) h.rc = strife__record_run(sim, NULL, rec);
  strife_sim_destroy(sim);
  if (h.rc) rec->n_days = rec->n_prow = rec->n_ev = 0;
  *len = packed_size(&h);
  char *buf = malloc(*len);
  if (buf) {
    char *p = buf;
    memcpy(p, &h, sizeof h);
    p += sizeof h;
    memcpy(p, rec->days, rec->n_days * sizeof *rec->days);
    p += rec->n_days * sizeof *rec->days;
    memcpy(p, rec->prow, rec->n_prow * sizeof *rec->prow);
    p += rec->n_prow * sizeof *rec->prow;
    memcpy(p, rec->ev, rec->n_ev * sizeof *rec->ev);
  }
  strife__record_free(rec);
  return buf;
}

/* A worker: asks for jobs until told to stop. */
static void work(const struct strife__ens *e, strife_scenario *const *arm,
                 const struct strife__job *jobs, uint64_t seed0) {
  MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
  for (;;) {
    uint32_t j;
    MPI_Recv(&j, 1, MPI_UINT32_T, 0, TAG_JOB, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (j == STOP) return;
    size_t len = 0;
    char *buf = run_packed(e, arm, jobs, j, seed0, &len);
    if (!buf) { /* say so in a bare header */
      struct head h;
      memset(&h, 0, sizeof h);
      h.job = j;
      h.rc = STRIFE_ENOMEM;
      MPI_Send(&h, (int)sizeof h, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
      continue;
    }
    MPI_Send(buf, (int)len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    free(buf);
  }
}

/* Rank 0: commits a received record. */
static int commit(const struct strife__ens *e, strife_scenario *const *arm,
                  const struct strife__job *jobs, char *buf, size_t len,
                  struct strife__db *db, strife_diag *diag) {
  struct head h;
  if (len < sizeof h) return STRIFE_EIO;
  memcpy(&h, buf, sizeof h);
  if (h.rc) {
    if (diag) *diag = h.diag;
    return h.rc;
  }
  if (packed_size(&h) != len) return STRIFE_EIO;
  struct strife__record rec = h.rec;
  /* The arrays are read in place, not copied. */
  char *p = buf + sizeof h; /* malloc'd, and every part a multiple of 8 */
  rec.days = (struct strife__drow *)(void *)p;
  p += rec.n_days * sizeof *rec.days;
  rec.prow = (struct strife__prow *)(void *)p;
  p += rec.n_prow * sizeof *rec.prow;
  rec.ev = (struct strife__event *)(void *)p;
  const struct strife__job *j = &jobs[h.job];
  const struct strife__values *v = strife__scenario_values(arm[j->arm]);
  return strife__db_put_run(db, (int)(e->arm0 + j->arm), j->rep, &rec,
                            &v->af.prov, diag);
}

/* Rank 0: hands out the jobs, commits the results, stops every worker. */
static int dispatch(const struct strife__ens *e, struct strife__ens_out *o,
                    strife_scenario *const *arm, const struct strife__job *jobs,
                    size_t n_jobs, struct strife__db *db, int rc,
                    strife_diag *diag) {
  size_t next = 0;
  int stopped = 0;
  uint64_t total = (uint64_t)e->n_arms * e->runs, done = o->skipped;
  while (stopped < dist_size - 1) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag) { /* idle without spinning a core */
      struct timespec ts = {0, 1000000};
      nanosleep(&ts, NULL);
      continue;
    }
    int len = 0;
    MPI_Get_count(&st, MPI_BYTE, &len);
    char *buf = len > 0 ? malloc((size_t)len) : NULL;
    if (len > 0 && !buf) {
      rc = rc ? rc : STRIFE_ENOMEM;
      MPI_Recv(NULL, 0, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE); /* truncated: an error either way */
    } else {
      MPI_Recv(buf, len, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
    }
    if (st.MPI_TAG == TAG_RESULT && buf) {
      strife_diag d;
      strife_diag_clear(&d);
      int r = commit(e, arm, jobs, buf, (size_t)len, db, &d);
      if (!r) {
        o->ran++;
        done++;
        if (e->x.progress) e->x.progress(e->x.progress_ud, done, total);
      } else if (!rc) {
        rc = r;
        if (diag) *diag = d;
      }
    }
    free(buf);
    uint32_t j = STOP;
    if (!rc && next < n_jobs && !(e->x.cancel && *e->x.cancel))
      j = (uint32_t)next++;
    else
      stopped++;
    MPI_Send(&j, 1, MPI_UINT32_T, st.MPI_SOURCE, TAG_JOB, MPI_COMM_WORLD);
  }
  return rc;
}

int strife__dist_jobs(const struct strife__ens *e, struct strife__ens_out *o,
                      strife_scenario *const *arm,
                      const struct strife__job *jobs, size_t n_jobs,
                      uint64_t seed0, struct strife__db *db, int rc,
                      strife_diag *diag) {
  /* Every rank needs the job list: rank 0's goes to the others. */
  uint64_t n = n_jobs;
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  struct strife__job *all = malloc((n ? n : 1) * sizeof *all);
  int ok = all != NULL, all_ok;
  MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (!all_ok || !all) {
    free(all);
    return STRIFE_ENOMEM;
  }
  if (dist_rank == 0) memcpy(all, jobs, n * sizeof *all);
  MPI_Bcast(all, (int)(n * sizeof *all), MPI_BYTE, 0, MPI_COMM_WORLD);
  if (dist_rank == 0)
    rc = dispatch(e, o, arm, all, n, db, rc, diag);
  else
    work(e, arm, all, seed0);
  free(all);
  return strife__dist_share(rc, NULL, 0, NULL, 0, diag);
}

int strife__dist_share(int rc, double *v, size_t n, uint64_t *counts,
                       size_t n_counts, strife_diag *diag) {
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc) {
    strife_diag d;
    if (diag && dist_rank == 0) d = *diag;
    MPI_Bcast(&d, (int)sizeof d, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (diag) *diag = d;
    return rc;
  }
  if (n_counts)
    MPI_Bcast(counts, (int)n_counts, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  for (size_t at = 0; at < n;) { /* in pieces an int can count */
    int piece = n - at > (1u << 26) ? 1 << 26 : (int)(n - at);
    MPI_Bcast(v + at, piece, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    at += (size_t)piece;
  }
  return rc;
}

#else /* one process */

int strife_dist_begin(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  return STRIFE_OK;
}

void strife_dist_end(void) {
}

int strife_dist_rank(void) {
  return 0;
}

int strife_dist_size(void) {
  return 1;
}

int strife__dist_jobs(const struct strife__ens *e, struct strife__ens_out *o,
                      strife_scenario *const *arm,
                      const struct strife__job *jobs, size_t n_jobs,
                      uint64_t seed0, struct strife__db *db, int rc,
                      strife_diag *diag) {
  (void)e, (void)o, (void)arm, (void)jobs, (void)n_jobs, (void)seed0;
  (void)db, (void)diag;
  return rc ? rc : STRIFE_ENOTSUP; /* never called: one rank */
}

int strife__dist_share(int rc, double *v, size_t n, uint64_t *counts,
                       size_t n_counts, strife_diag *diag) {
  (void)v, (void)n, (void)counts, (void)n_counts, (void)diag;
  return rc;
}

#endif
