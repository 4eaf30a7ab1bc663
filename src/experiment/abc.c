/* SPDX-License-Identifier: MIT */
/* ABC-SMC (abc.h). */
#include "abc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/grng.h"

/* Tries at drawing a kernel move inside the prior's support. */
#define MAX_TRIES 100000

/* The scale the kernel moves on: log for a log-uniform prior. */
static double to_z(const struct strife__prior *p, double x) {
  return p->kind == STRIFE__PRIOR_LOG_UNIFORM ? log(x) : x;
}

static double from_z(const struct strife__prior *p, double z) {
  return p->kind == STRIFE__PRIOR_LOG_UNIFORM ? exp(z) : z;
}

double strife__abc_prior_density(const struct strife__prior *p, double x) {
  if (!(x >= p->lo && x <= p->hi)) return 0.0;
  if (p->kind != STRIFE__PRIOR_NORMAL) return 1.0;
  double u = (x - p->mean) / p->sd;
  return exp(-0.5 * u * u);
}

static double prior_draw(const struct strife__prior *p, gsl_rng *r) {
  double u = gsl_rng_uniform(r);
  switch (p->kind) {
  case STRIFE__PRIOR_LOG_UNIFORM:
    return exp(log(p->lo) + u * (log(p->hi) - log(p->lo)));
  case STRIFE__PRIOR_NORMAL: {
    /* Inversion between the support's probabilities: no rejection. */
    double a = gsl_cdf_ugaussian_P((p->lo - p->mean) / p->sd);
    double b = gsl_cdf_ugaussian_P((p->hi - p->mean) / p->sd);
    if (!(b - a > 1e-300)) return p->lo + u * (p->hi - p->lo);
    double x = p->mean + p->sd * gsl_cdf_ugaussian_Pinv(a + u * (b - a));
    return x < p->lo ? p->lo : x > p->hi ? p->hi : x;
  }
  case STRIFE__PRIOR_UNIFORM:
  default:
    return p->lo + u * (p->hi - p->lo);
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

struct wx {
  double x, w;
};

static int cmp_wx(const void *a, const void *b) {
  return cmp_double(&((const struct wx *)a)->x, &((const struct wx *)b)->x);
}

double strife__abc_quantile(const double *x, const double *w, size_t n,
                            size_t stride, double q) {
  struct wx *v = malloc((n ? n : 1) * sizeof *v);
  if (!v || n == 0) {
    free(v);
    return (double)NAN;
  }
  for (size_t i = 0; i < n; i++)
    v[i] = (struct wx){x[i * stride], w ? w[i] : 1.0 / (double)n};
  qsort(v, n, sizeof *v, cmp_wx);
  double cum = 0, out = v[n - 1].x;
  for (size_t i = 0; i < n; i++) {
    cum += v[i].w;
    if (cum >= q * (1 - 1e-12)) {
      out = v[i].x;
      break;
    }
  }
  free(v);
  return out;
}

static int check(const struct strife__abc_opts *o) {
  if (o->k == 0 || !o->prior || o->particles < 2 || o->generations < 1 ||
      !(o->quantile > 0 && o->quantile < 1) ||
      !(o->min_accept >= 0 && o->min_accept < 1) || !o->simulate ||
      (o->budget && o->budget < o->particles))
    return STRIFE_EINVAL;
  for (size_t j = 0; j < o->k; j++) {
    const struct strife__prior *p = &o->prior[j];
    if (!(p->lo < p->hi) || !isfinite(p->lo) || !isfinite(p->hi) ||
        (p->kind == STRIFE__PRIOR_LOG_UNIFORM && !(p->lo > 0)) ||
        (p->kind == STRIFE__PRIOR_NORMAL && !(p->sd > 0 && isfinite(p->mean))))
      return STRIFE_EINVAL;
  }
  return STRIFE_OK;
}

/* The kernel's standard deviations from generation g, on the z scale:
   sqrt(2 weighted variance), kept above a millionth of the support. */
static void kernel_sd(const struct strife__abc_opts *o,
                      const struct strife__abc_gen *g, size_t n, double *sd) {
  for (size_t j = 0; j < o->k; j++) {
    const struct strife__prior *p = &o->prior[j];
    double m = 0, v = 0;
    for (size_t i = 0; i < n; i++)
      m += g->w[i] * to_z(p, g->theta[i * o->k + j]);
    for (size_t i = 0; i < n; i++) {
      double d = to_z(p, g->theta[i * o->k + j]) - m;
      v += g->w[i] * d * d;
    }
    double floor_sd = 1e-6 * (to_z(p, p->hi) - to_z(p, p->lo));
    sd[j] = sqrt(2 * v);
    if (!(sd[j] > floor_sd)) sd[j] = floor_sd;
  }
}

/* The kernel a generation moves the last one's particles with: each
   coordinate a Gaussian of sd[j] on the z scale, truncated to the prior's
   support [lo, hi], which the particle's coordinate lies in;
   cum the particles' cumulative weights, inv_z[i k + j] one over the mass
   of coordinate j's Gaussian about particle i inside the support.  A
   coordinate that falls outside is drawn again alone: a whole vector drawn
   again until all its coordinates fall inside would take ever more tries
   as the parameters grow in number. */
struct kernel {
  double sd[64];
  double *cum, *inv_z;
};

static int kernel_init(const struct strife__abc_opts *o,
                       const struct strife__abc_gen *prev, size_t n,
                       struct kernel *kn) {
  const size_t k = o->k;
  kernel_sd(o, prev, n, kn->sd);
  kn->cum = malloc(n * sizeof *kn->cum);
  kn->inv_z = malloc(n * k * sizeof *kn->inv_z);
  if (!kn->cum || !kn->inv_z) return STRIFE_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    kn->cum[i] = (i ? kn->cum[i - 1] : 0) + prev->w[i];
    for (size_t j = 0; j < k; j++) {
      const struct strife__prior *p = &o->prior[j];
      double z = to_z(p, prev->theta[i * k + j]);
      double mass = gsl_cdf_ugaussian_P((to_z(p, p->hi) - z) / kn->sd[j]) -
                    gsl_cdf_ugaussian_P((to_z(p, p->lo) - z) / kn->sd[j]);
      kn->inv_z[i * k + j] = 1.0 / fmax(mass, 1e-300);
    }
  }
  kn->cum[n - 1] = 1.0 + 1e-12; /* every draw below it */
  return STRIFE_OK;
}

static void kernel_free(struct kernel *kn) {
  free(kn->cum);
  free(kn->inv_z);
  kn->cum = kn->inv_z = NULL;
}

/* Proposal 'id' of generation 'gen' into theta[k]: from the prior, or a
   particle of 'prev' moved by the kernel. */
static int propose(const struct strife__abc_opts *o, unsigned gen, uint64_t id,
                   const struct strife__abc_gen *prev, const struct kernel *kn,
                   size_t n, double *theta) {
  struct strife__grng g;
  strife__grng_init(&g, o->seed, (uint32_t)id, gen, STRIFE__STREAM_ABC);
  if (!prev) {
    for (size_t j = 0; j < o->k; j++)
      theta[j] = prior_draw(&o->prior[j], &g.r);
    return STRIFE_OK;
  }
  double u = gsl_rng_uniform(&g.r);
  size_t lo = 0, hi = n - 1; /* the first particle with cum > u */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (kn->cum[mid] > u)
      hi = mid;
    else
      lo = mid + 1;
  }
  for (size_t j = 0; j < o->k; j++) {
    const struct strife__prior *p = &o->prior[j];
    double z0 = to_z(p, prev->theta[lo * o->k + j]);
    int t = 0;
    for (; t < MAX_TRIES; t++) {
      theta[j] = from_z(p, z0 + gsl_ran_gaussian_ziggurat(&g.r, kn->sd[j]));
      if (strife__abc_prior_density(p, theta[j]) > 0) break;
    }
    if (t == MAX_TRIES) return STRIFE_ELIMIT;
  }
  return STRIFE_OK;
}

/* Importance weight of theta against generation 'prev' (unnormalised):
   the prior over the mixture of truncated kernels. */
static double weight(const struct strife__abc_opts *o, const double *theta,
                     const struct strife__abc_gen *prev, size_t n,
                     const struct kernel *kn) {
  if (!prev) return 1.0; /* drawn from the prior itself */
  double pr = 1, mix = 0;
  for (size_t j = 0; j < o->k; j++)
    pr *= strife__abc_prior_density(&o->prior[j], theta[j]);
  for (size_t i = 0; i < n; i++) {
    double e = 0, norm = 1;
    for (size_t j = 0; j < o->k; j++) {
      const struct strife__prior *p = &o->prior[j];
      double d =
          (to_z(p, theta[j]) - to_z(p, prev->theta[i * o->k + j])) / kn->sd[j];
      e += d * d;
      norm *= kn->inv_z[i * o->k + j];
    }
    mix += prev->w[i] * norm * exp(-0.5 * e);
  }
  return mix > 0 ? pr / mix : 0;
}

static void gen_free(struct strife__abc_gen *g) {
  free(g->theta);
  free(g->w);
  free(g->dist);
  free(g->id);
  memset(g, 0, sizeof *g);
}

/* Generation 'gen' into *g, from 'prev' (NULL for generation 0).  Returns
   STRIFE_OK, 1 when the budget stops it, or an error. */
static int generation(const struct strife__abc_opts *o, unsigned gen,
                      const struct strife__abc_gen *prev, double eps,
                      uint64_t *sims, struct strife__abc_gen *g) {
  const size_t n = o->particles, k = o->k;
  const size_t bmax = o->batch ? o->batch : n, bmin = (bmax + 3) / 4;
  struct kernel kn = {{0}, NULL, NULL};
  g->eps = eps;
  g->theta = malloc(n * k * sizeof *g->theta);
  g->w = malloc(n * sizeof *g->w);
  g->dist = malloc(n * sizeof *g->dist);
  g->id = malloc(n * sizeof *g->id);
  double *bt = malloc(bmax * k * sizeof *bt), *bd = malloc(bmax * sizeof *bd);
  int rc = g->theta && g->w && g->dist && g->id && bt && bd ? STRIFE_OK
                                                            : STRIFE_ENOMEM;
  if (prev && !rc) rc = kernel_init(o, prev, n, &kn);
  size_t acc = 0;
  uint64_t id = 0;
  while (!rc && acc < n) {
    /* The batch: enough to finish at the acceptance seen so far. */
    double rate = id ? (double)acc / (double)id : prev ? o->quantile : 1.0;
    double want = (double)(n - acc) / (rate > 0.01 ? rate : 0.01) * 1.1;
    size_t b = want >= (double)bmax ? bmax : (size_t)ceil(want);
    if (b < bmin) b = bmin;
    if (o->budget && *sims + b > o->budget) {
      rc = 1;
      break;
    }
    for (size_t i = 0; i < b && !rc; i++)
      rc = propose(o, gen, id + i, prev, &kn, n, bt + i * k);
    if (rc) break;
    rc = o->simulate(o->ud, gen, id, b, bt, bd);
    if (rc) break; /* an interrupted batch is not counted */
    *sims += b;
    id += b;
    for (size_t i = 0; i < b && acc < n; i++) {
      if (!(bd[i] <= eps)) continue;
      memcpy(g->theta + acc * k, bt + i * k, k * sizeof *bt);
      g->dist[acc] = bd[i];
      g->id[acc] = id - b + i;
      g->w[acc] = weight(o, bt + i * k, prev, n, &kn);
      acc++;
    }
  }
  g->proposed = id;
  if (!rc) {
    double s = 0;
    for (size_t i = 0; i < n; i++)
      s += g->w[i];
    for (size_t i = 0; i < n; i++)
      g->w[i] = s > 0 ? g->w[i] / s : 1.0 / (double)n;
  }
  kernel_free(&kn);
  free(bt);
  free(bd);
  return rc;
}

/* The next tolerance: the quantile of the previous distances, or, when
   that does not fall (distances that take few values), the largest
   previous distance below the previous tolerance. */
static double next_eps(const struct strife__abc_opts *o,
                       const struct strife__abc_gen *prev, size_t n) {
  double eps = strife__abc_quantile(prev->dist, NULL, n, 1, o->quantile);
  if (eps < prev->eps) return eps;
  double below = -1;
  for (size_t i = 0; i < n; i++)
    if (prev->dist[i] < prev->eps && prev->dist[i] > below)
      below = prev->dist[i];
  return below >= 0 ? below : eps;
}

int strife__abc_run(const struct strife__abc_opts *o, struct strife__abc *out) {
  memset(out, 0, sizeof *out);
  if (check(o) || o->k > 64) return STRIFE_EINVAL;
  out->k = o->k;
  out->n = o->particles;
  out->gen = calloc(o->generations, sizeof *out->gen);
  if (!out->gen) return STRIFE_ENOMEM;
  out->stop = STRIFE__ABC_GENERATIONS;
  int rc = STRIFE_OK;
  for (unsigned t = 0; t < o->generations; t++) {
    const struct strife__abc_gen *prev = t ? &out->gen[t - 1] : NULL;
    double eps = prev ? next_eps(o, prev, out->n) : (double)INFINITY;
    rc = generation(o, t, prev, eps, &out->simulations, &out->gen[t]);
    if (rc) {
      gen_free(&out->gen[t]);
      if (rc == 1) {
        out->stop = STRIFE__ABC_BUDGET;
        rc = STRIFE_OK;
      }
      break;
    }
    out->n_gen = t + 1;
    if (t && (double)out->n / (double)out->gen[t].proposed < o->min_accept) {
      out->stop = STRIFE__ABC_ACCEPTANCE;
      break;
    }
  }
  return rc;
}

void strife__abc_free(struct strife__abc *a) {
  for (unsigned t = 0; a->gen && t < a->n_gen; t++)
    gen_free(&a->gen[t]);
  free(a->gen);
  memset(a, 0, sizeof *a);
}
