/* SPDX-License-Identifier: MIT */
/*
 * Experiments over MPI ranks (docs/cluster.md).  Every rank runs the same
 * command and so the same sequence of ensembles; in each, rank 0 hands
 * out the runs one at a time, receives each finished run's record and
 * commits it to the results database, the only writer; the other ranks
 * run.  Then rank 0's outcomes go to every rank, so that what follows (a
 * table, the next generation of a calibration) is the same everywhere.
 *
 * Built without STRIFE_MPI there is no MPI handle, and the ensemble runs
 * its jobs over threads instead (ensemble.c).  The handle holds the rank
 * and the size: the library keeps no state of its own; whether the
 * process was started by mpirun is for the program to say (the strife
 * command reads the launcher's environment).
 *
 * A record travels as raw bytes (a header, then its rows): the ranks must
 * run the same build on machines of the same kind.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ensemble.h"
#include "sinks/db.h"

struct strife_mpi {
  int rank, size;
  int owner; /* MPI_Init was called here: MPI_Finalize goes with it */
};

int strife_mpi_rank(const strife_mpi *m) {
  return m ? m->rank : 0;
}

int strife_mpi_size(const strife_mpi *m) {
  return m ? m->size : 1;
}

#ifdef STRIFE_MPI
#  include <mpi.h>

int strife_mpi_create(int *argc, char ***argv, strife_mpi **out) {
  strife_mpi *m = calloc(1, sizeof *m);
  if (!m) return STRIFE_ENOMEM;
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited) {
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
        MPI_SUCCESS) {
      free(m);
      return STRIFE_EIO;
    }
    m->owner = 1;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &m->size);
  *out = m;
  return STRIFE_OK;
}

void strife_mpi_destroy(strife_mpi *m) {
  if (!m) return;
  int fin = 0;
  MPI_Finalized(&fin);
  if (m->owner && !fin) MPI_Finalize();
  free(m);
}

enum { TAG_READY = 1, TAG_JOB, TAG_RESULT };
#  define STOP UINT32_MAX

/* A finished run as sent to rank 0: the record (whose pointer means
   nothing to the receiver), then its rows. */
struct head {
  uint32_t job;
  int32_t rc;
  strife_diag diag;
  struct strife__record rec;
};

/* Runs job 'j' and packs its record (or its error) into a malloc'd
   buffer of *len bytes. */
static char *run_packed(const struct strife__ens *e,
                        strife_scenario *const *arm,
                        const struct strife__job *jobs, uint32_t j,
                        uint64_t seed0, size_t *len) {
  struct head h;
  memset(&h, 0, sizeof h);
  h.job = j;
  strife_diag_clear(&h.diag);
  h.rc = strife__ens_run(e, arm[jobs[j].arm], seed0, &jobs[j], &h.rec, &h.diag);
  if (h.rc) h.rec.n_bytes = 0;
  *len = sizeof h + h.rec.n_bytes;
  char *buf = malloc(*len);
  if (buf) {
    memcpy(buf, &h, sizeof h);
    if (h.rec.n_bytes) memcpy(buf + sizeof h, h.rec.bytes, h.rec.n_bytes);
  }
  strife__record_free(&h.rec);
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
    if (!buf || len > INT_MAX) { /* say so in a bare header */
      struct head h;
      memset(&h, 0, sizeof h);
      h.job = j;
      h.rc = buf ? STRIFE_ELIMIT : STRIFE_ENOMEM;
      strife__diag_set(&h.diag, "",
                       buf ? "a run of %zu bytes, more than one MPI message "
                             "carries (2 GiB): run it without MPI"
                           : "out of memory packing a run (%zu bytes)",
                       len);
      free(buf);
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
  if (sizeof h + h.rec.n_bytes != len) return STRIFE_EIO;
  struct strife__record rec = h.rec;
  rec.bytes = (unsigned char *)buf + sizeof h; /* read in place */
  rec.cap = rec.n_bytes;
  const struct strife__job *j = &jobs[h.job];
  return strife__db_put_run(db, (int)(e->arm0 + j->arm), j->rep, &rec,
                            arm[j->arm], diag);
}

/* Rank 0: hands out the jobs, commits the results, stops every worker. */
static int dispatch(const struct strife__ens *e, struct strife__ens_out *o,
                    strife_scenario *const *arm, const struct strife__job *jobs,
                    size_t n_jobs, struct strife__db *db, int rc,
                    strife_diag *diag) {
  size_t next = 0;
  int stopped = 0;
  uint64_t total = (uint64_t)e->n_arms * e->runs, done = o->skipped;
  while (stopped < strife_mpi_size(e->x.mpi) - 1) {
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

int strife__mpi_jobs(const struct strife__ens *e, struct strife__ens_out *o,
                     strife_scenario *const *arm,
                     const struct strife__job *jobs, size_t n_jobs,
                     uint64_t seed0, struct strife__db *db, int rc,
                     strife_diag *diag) {
  const int rank = strife_mpi_rank(e->x.mpi);
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
  if (rank == 0) memcpy(all, jobs, n * sizeof *all);
  MPI_Bcast(all, (int)(n * sizeof *all), MPI_BYTE, 0, MPI_COMM_WORLD);
  if (rank == 0)
    rc = dispatch(e, o, arm, all, n, db, rc, diag);
  else
    work(e, arm, all, seed0);
  free(all);
  return strife__mpi_share(e->x.mpi, rc, NULL, 0, NULL, 0, diag);
}

int strife__mpi_share(const strife_mpi *m, int rc, double *v, size_t n,
                      uint64_t *counts, size_t n_counts, strife_diag *diag) {
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc) {
    strife_diag d;
    strife_diag_clear(&d);
    if (diag && strife_mpi_rank(m) == 0) d = *diag;
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

#else /* no MPI */

int strife_mpi_create(int *argc, char ***argv, strife_mpi **out) {
  (void)argc, (void)argv, (void)out;
  return STRIFE_ENOTSUP;
}

void strife_mpi_destroy(strife_mpi *m) {
  free(m);
}

int strife__mpi_jobs(const struct strife__ens *e, struct strife__ens_out *o,
                     strife_scenario *const *arm,
                     const struct strife__job *jobs, size_t n_jobs,
                     uint64_t seed0, struct strife__db *db, int rc,
                     strife_diag *diag) {
  (void)e, (void)o, (void)arm, (void)jobs, (void)n_jobs, (void)seed0;
  (void)db, (void)diag;
  return rc ? rc : STRIFE_ENOTSUP; /* never called: one rank */
}

int strife__mpi_share(const strife_mpi *m, int rc, double *v, size_t n,
                      uint64_t *counts, size_t n_counts, strife_diag *diag) {
  (void)m, (void)v, (void)n, (void)counts, (void)n_counts, (void)diag;
  return rc;
}

#endif
