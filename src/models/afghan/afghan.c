/* SPDX-License-Identifier: MIT */
/* The Afghan model's state and its daily step loop (afghan.h). */
#include "afghan.h"

#include <math.h>
#include <string.h>

#ifdef _OPENMP
#  include <omp.h>
#endif

/* The lattice of province 'i': a square torus, its side a multiple of 8
   (so that the bit planes need no ghost cells) and at least 2 v + 1,
   holding round(population / scale) citizens. */
static int make_lattice(struct strife__afghan *m, size_t i, uint64_t seed,
                        strife_diag *diag) {
  const struct strife__afghan_params *p = &m->p;
  const struct strife__strat_params *sp = &p->st;
  double citizens =
      floor((double)m->prov->p[i].population / (double)sp->scale + 0.5);
  if (citizens < 1) citizens = 1;
  double side = ceil(sqrt(citizens / sp->citizen_density));
  double min_side = 2.0 * p->vision + 1.0;
  if (side < min_side) side = min_side;
  side = 8.0 * ceil(side / 8.0);
  double cells = side * side;
  struct strife__pdrive d;
  strife__strat_drive(&m->st, i, &d);
  /* Room for the most cops the strategic layer can ask for: every
     member policing at full repression, half again for safety, within
     the free cells. */
  double share = (double)m->prov->p[i].population / (double)m->prov->population;
  double most = fmax(sp->forces0, sp->forces_target) * 1.5;
  double cap = ceil(sp->reach * most * share * 1.5 / sp->scale);
  if (cap > cells - citizens) cap = cells - citizens;
  if ((double)d.cops > cap) d.cops = (uint32_t)cap;

  struct strife__epstein_params ep;
  memset(&ep, 0, sizeof ep);
  ep.width = ep.height = (uint32_t)side;
  ep.citizen_density = citizens / cells;
  strife__schedule_const(&ep.cop_density, (double)d.cops / cells);
  strife__schedule_const(&ep.legitimacy, 1.0 - d.factor[0]);
  ep.citizen_vision = ep.cop_vision = p->vision;
  ep.threshold = p->threshold;
  ep.k = p->k;
  ep.max_jail = p->max_jail;
  ep.nbhd = STRIFE__NBHD_DIAMOND;
  ep.own_cell = 0;
  ep.self_again = 0;
  ep.ratio = STRIFE__RATIO_ROUND_EVEN;
  ep.order = STRIFE__ACT_MOVE;
  ep.term = STRIFE__TERM_INCLUSIVE;
  ep.jailed = STRIFE__JAILED_STAYS_BLOCKING;
  ep.countdown = STRIFE__COUNT_OWN_TURN;
  ep.cop_after = STRIFE__COP_STAYS;
  ep.movement = STRIFE__MOVE_ALL;
  ep.placement = STRIFE__PLACE_EXACT;
  ep.update = STRIFE__UPDATE_PARALLEL;
  ep.kernel = p->kernel;
  ep.hard_share = sp->hard_share;
  ep.cop_cap = (uint32_t)cap;
  /* Each province draws from its own key. */
  struct strife__r4 r =
      strife__rand4(seed, (uint32_t)i, 0, STRIFE__STREAM_STRATEGY, 1);
  uint64_t pseed = (uint64_t)r.v[0] << 32 | r.v[1];
  int rc = strife__epstein_create(&m->lat[i], &m->alloc, &ep, pseed, 1, diag);
  if (rc) return rc;
  m->cops[i] = d.cops;
  m->agents += m->lat[i]->n_agents;
  m->bytes += m->lat[i]->bytes;
  return STRIFE_OK;
}

int strife__afghan_create(struct strife__afghan **out,
                          const struct strife__alloc *a,
                          const struct strife__afghan_params *p, uint64_t seed,
                          unsigned threads, strife_diag *diag) {
  struct strife__afghan *m = strife__calloc(a, 1, sizeof *m);
  if (!m) return STRIFE_ENOMEM;
  m->p = *p;
  m->alloc = *a;
  m->threads = threads;
  m->prov = &m->p.prov;
  strife__strat_init(&m->st, &p->st, m->prov, seed, a);
  strife__afghan_observe_init(m);
  int rc = STRIFE_OK;
  for (size_t i = 0; i < m->prov->n && !rc; i++)
    rc = make_lattice(m, i, seed, diag);
  if (rc) {
    strife__afghan_destroy(m);
    return rc;
  }
  m->bytes += sizeof *m;
  *out = m;
  return STRIFE_OK;
}

void strife__afghan_destroy(struct strife__afghan *m) {
  if (!m) return;
  for (size_t i = 0; i < STRIFE__PROVINCES_MAX; i++)
    strife__epstein_destroy(m->lat[i]);
  strife__strat_free(&m->st);
  struct strife__alloc a = m->alloc;
  strife__free(&a, m, 1, sizeof *m);
}

int strife__afghan_step(struct strife__afghan *m) {
  const int64_t day = m->p.st.start + m->tick;
  strife__strat_begin(&m->st, day);
  struct strife__pdrive d[STRIFE__PROVINCES_MAX];
  const int np = (int)m->prov->n;
  for (int i = 0; i < np; i++) {
    strife__strat_drive(&m->st, (size_t)i, &d[i]);
    uint32_t cap = m->lat[i]->n_agents - m->lat[i]->n_cit;
    if (d[i].cops > cap) d[i].cops = cap;
  }
#ifdef _OPENMP
  /* NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): read by num_threads */
  const int nt = m->threads ? (int)m->threads : omp_get_max_threads();
#endif
  /* Provinces are independent within a day, and each draws from its own
     key: any thread may run any of them. */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
  for (int i = 0; i < np; i++) {
    struct strife__drive dr = {{d[i].factor[0], d[i].factor[1]}, d[i].cops};
    strife__epstein_drive(m->lat[i], &dr);
    strife__epstein_step(m->lat[i]);
    struct strife__tally t;
    strife__epstein_tally(m->lat[i], &t);
    struct strife__pobs *o = &m->obs[i];
    o->citizens = m->lat[i]->n_cit;
    for (int a = 0; a < 2; a++) {
      o->active[a] = t.active[a];
      o->jailed[a] = t.jailed[a];
      o->arrests[a] = t.arrests[a];
    }
    m->cops[i] = (uint32_t)t.cops;
  }
  int rc = strife__strat_end(&m->st, m->obs);
  for (int i = 0; i < np; i++)
    m->st.month[i].cops = m->cops[i];
  m->tick++;
  return rc;
}

void strife__afghan_counts(const struct strife__afghan *m, strife_counts *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < m->prov->n; i++) {
    strife_counts c;
    strife__epstein_counts(m->lat[i], &c);
    out->quiet += c.quiet;
    out->active += c.active;
    out->jailed += c.jailed;
    out->cops += c.cops;
    out->arrests += c.arrests;
  }
}
