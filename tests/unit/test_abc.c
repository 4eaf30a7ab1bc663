/* SPDX-License-Identifier: MIT */
/*
 * ABC-SMC against toy models whose posteriors are known:
 *
 *   normal mean     10 draws of N(mu, 1) with mean 1, prior mu ~ N(0, 1):
 *                   posterior N(10/11, 1/11).  The simulator draws the
 *                   sample mean, N(mu, 1/10), and the distance is its
 *                   distance to 1.
 *   Poisson rate    5 counts summing to 20, prior log-uniform on
 *                   [0.1, 100] (density 1/lambda): posterior
 *                   Gamma(20, rate 5), mean 4, sd 0.894.  The distance
 *                   |S - 20| is an integer, so once the tolerance reaches
 *                   0 the accepted particles follow the exact posterior.
 *   inert input     a second parameter, uniform on [0, 2], that the
 *                   simulator ignores: its posterior is its prior (mean 1,
 *                   sd 0.577), which holds only if the importance weights
 *                   undo the kernel's pull towards the particles.
 *   many inputs     the normal mean with 39 inert parameters, uniform on
 *                   [0, 1]: the kernel, truncated to the prior's support
 *                   coordinate by coordinate, keeps proposing where a
 *                   whole vector drawn again until it fell inside would
 *                   not, and the weights undo the truncation (each inert
 *                   posterior stays its prior, mean 0.5, sd 0.289).
 *
 * Each over three seeds, with tolerances of three Monte Carlo standard
 * errors; and the sampler's bookkeeping: the same particles whatever the
 * batch size, the budget stop, the quantile helper, bad options.
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "core/grng.h"
#include "experiment/abc.h"
#include "harness.h"

enum toy { NORMAL, POISSON, INERT, MANY };

struct sim {
  enum toy toy;
  uint64_t seed;
  uint64_t calls; /* simulations asked for */
};

#define MANY_K 40

static int simulate(void *ud, unsigned gen, uint64_t first, size_t n,
                    const double *theta, double *dist) {
  struct sim *s = ud;
  const size_t k = s->toy == MANY ? MANY_K : s->toy == INERT ? 2 : 1;
  for (size_t i = 0; i < n; i++) {
    struct strife__grng g;
    strife__grng_init(&g, s->seed, (uint32_t)(first + i), gen,
                      STRIFE__STREAM_TEST);
    double t = theta[i * k];
    if (s->toy == POISSON)
      dist[i] = fabs((double)gsl_ran_poisson(&g.r, 5 * t) - 20.0);
    else
      dist[i] = fabs(t + gsl_ran_gaussian(&g.r, sqrt(0.1)) - 1.0);
  }
  s->calls += n;
  return 0;
}

/* Weighted mean and sd of parameter j of the last generation. */
static void moments(const struct strife__abc *a, size_t j, double *mean,
                    double *sd) {
  const struct strife__abc_gen *g = &a->gen[a->n_gen - 1];
  double m = 0, v = 0;
  for (size_t i = 0; i < a->n; i++)
    m += g->w[i] * g->theta[i * a->k + j];
  for (size_t i = 0; i < a->n; i++) {
    double d = g->theta[i * a->k + j] - m;
    v += g->w[i] * d * d;
  }
  *mean = m;
  *sd = sqrt(v);
}

/* Effective sample size of the last generation, 1 / sum w^2. */
static double ess(const struct strife__abc *a) {
  const struct strife__abc_gen *g = &a->gen[a->n_gen - 1];
  double s = 0;
  for (size_t i = 0; i < a->n; i++)
    s += g->w[i] * g->w[i];
  return 1.0 / s;
}

static const struct strife__prior normal_prior = {STRIFE__PRIOR_NORMAL, -10, 10,
                                                  0, 1};
static const struct strife__prior poisson_prior = {STRIFE__PRIOR_LOG_UNIFORM,
                                                   0.1, 100, 0, 0};

static struct strife__abc_opts
opts(struct sim *s, const struct strife__prior *p, size_t k, unsigned gens) {
  struct strife__abc_opts o = {0};
  o.k = k;
  o.prior = p;
  o.particles = 1000;
  o.generations = gens;
  o.quantile = 0.5;
  o.min_accept = 0.005;
  o.seed = s->seed;
  o.simulate = simulate;
  o.ud = s;
  return o;
}

static void test_normal(uint64_t seed) {
  struct sim s = {NORMAL, seed, 0};
  struct strife__abc_opts o = opts(&s, &normal_prior, 1, 8);
  struct strife__abc a;
  CHECK_OK(strife__abc_run(&o, &a));
  CHECK_EQ(a.n_gen, 8);
  CHECK(a.gen[7].eps < 0.03);
  CHECK_EQ(a.simulations, s.calls);
  double m, sd, e = ess(&a);
  moments(&a, 0, &m, &sd);
  const double pm = 10.0 / 11, psd = sqrt(1.0 / 11);
  CHECK(e > 300);
  CHECK_NEAR(m, pm, 3 * psd / sqrt(e));
  CHECK_NEAR(sd, psd, 0.08 * psd);
  printf("normal seed %llu: mean %.4f (exact %.4f), sd %.4f (exact %.4f), "
         "ess %.0f, eps %.4f, %llu simulations\n",
         (unsigned long long)seed, m, pm, sd, psd, e, a.gen[7].eps,
         (unsigned long long)a.simulations);
  strife__abc_free(&a);
}

static void test_poisson(uint64_t seed) {
  struct sim s = {POISSON, seed, 0};
  struct strife__abc_opts o = opts(&s, &poisson_prior, 1, 10);
  struct strife__abc a;
  CHECK_OK(strife__abc_run(&o, &a));
  CHECK(a.n_gen >= 6);
  CHECK(a.gen[a.n_gen - 1].eps == 0.0);
  size_t off = 0;
  for (size_t i = 0; i < a.n; i++)
    off += a.gen[a.n_gen - 1].dist[i] != 0.0;
  CHECK_EQ(off, 0);
  double m, sd, e = ess(&a);
  moments(&a, 0, &m, &sd);
  const double pm = 4.0, psd = sqrt(20.0) / 5;
  CHECK(e > 300);
  CHECK_NEAR(m, pm, 3 * psd / sqrt(e));
  CHECK_NEAR(sd, psd, 0.08 * psd);
  printf("poisson seed %llu: mean %.4f (exact %.4f), sd %.4f (exact %.4f), "
         "ess %.0f, %u generations\n",
         (unsigned long long)seed, m, pm, sd, psd, e, a.n_gen);
  strife__abc_free(&a);
}

static void test_inert(uint64_t seed) {
  const struct strife__prior p[2] = {normal_prior,
                                     {STRIFE__PRIOR_UNIFORM, 0, 2, 0, 0}};
  struct sim s = {INERT, seed, 0};
  struct strife__abc_opts o = opts(&s, p, 2, 6);
  struct strife__abc a;
  CHECK_OK(strife__abc_run(&o, &a));
  double m, sd, m0, sd0, e = ess(&a);
  moments(&a, 1, &m, &sd);
  const double psd = 2 / sqrt(12.0);
  CHECK(e > 200);
  CHECK_NEAR(m, 1.0, 3 * psd / sqrt(e));
  CHECK_NEAR(sd, psd, 0.08 * psd);
  moments(&a, 0, &m0, &sd0);
  CHECK_NEAR(m0, 10.0 / 11, 3 * sqrt(1.0 / 11) / sqrt(e));
  printf("inert seed %llu: mean %.4f sd %.4f (prior 1, %.4f), ess %.0f\n",
         (unsigned long long)seed, m, sd, psd, e);
  strife__abc_free(&a);
}

static void test_many(uint64_t seed) {
  struct strife__prior p[MANY_K];
  p[0] = normal_prior;
  for (size_t j = 1; j < MANY_K; j++)
    p[j] = (struct strife__prior){STRIFE__PRIOR_UNIFORM, 0, 1, 0, 0};
  struct sim s = {MANY, seed, 0};
  struct strife__abc_opts o = opts(&s, p, MANY_K, 6);
  o.particles = 500;
  struct strife__abc a;
  CHECK_OK(strife__abc_run(&o, &a));
  CHECK_EQ(a.n_gen, 6);
  double e = ess(&a), worst_m = 0, worst_sd = 0;
  const double psd = 1 / sqrt(12.0);
  for (size_t j = 1; j < MANY_K; j++) {
    double m, sd;
    moments(&a, j, &m, &sd);
    worst_m = fmax(worst_m, fabs(m - 0.5) / (psd / sqrt(e)));
    worst_sd = fmax(worst_sd, fabs(sd - psd) / psd);
  }
  /* 39 marginals: the largest of 39 |z| stays below 4. */
  CHECK_MSG(e > 50 && worst_m < 4 && worst_sd < 0.15,
            "ess %.0f, worst mean %.2f se, worst sd %.3f", e, worst_m,
            worst_sd);
  printf("many seed %llu: 39 inert marginals, worst mean %.2f se, worst sd "
         "off by %.1f %%, ess %.0f\n",
         (unsigned long long)seed, worst_m, 100 * worst_sd, e);
  strife__abc_free(&a);
}

/* The accepted particles do not depend on how proposals are batched. */
static void test_batches(void) {
  struct sim s1 = {NORMAL, 5, 0}, s2 = {NORMAL, 5, 0};
  struct strife__abc_opts o1 = opts(&s1, &normal_prior, 1, 4);
  struct strife__abc_opts o2 = opts(&s2, &normal_prior, 1, 4);
  o1.particles = o2.particles = 200;
  o2.batch = 37;
  struct strife__abc a1, a2;
  CHECK_OK(strife__abc_run(&o1, &a1));
  CHECK_OK(strife__abc_run(&o2, &a2));
  CHECK_EQ(a1.n_gen, 4);
  CHECK_EQ(a2.n_gen, 4);
  int same = 1;
  for (unsigned t = 0; t < 4; t++)
    for (size_t i = 0; i < 200; i++)
      same &= a1.gen[t].theta[i] == a2.gen[t].theta[i] &&
              a1.gen[t].w[i] == a2.gen[t].w[i];
  CHECK(same);
  strife__abc_free(&a1);
  strife__abc_free(&a2);
}

static void test_budget(void) {
  struct sim s = {NORMAL, 9, 0};
  struct strife__abc_opts o = opts(&s, &normal_prior, 1, 5);
  o.particles = 100;
  o.budget = 180;
  struct strife__abc a;
  CHECK_OK(strife__abc_run(&o, &a));
  CHECK_EQ(a.n_gen, 1);
  CHECK_EQ(a.stop, STRIFE__ABC_BUDGET);
  CHECK(a.simulations <= 180);
  strife__abc_free(&a);
  o.budget = 50; /* below the particles */
  CHECK_EQ(strife__abc_run(&o, &a), STRIFE_EINVAL);
  strife__abc_free(&a);
}

static void test_options(void) {
  struct sim s = {NORMAL, 1, 0};
  struct strife__abc a;
  struct strife__abc_opts o = opts(&s, &normal_prior, 1, 3);
  o.quantile = 1.0;
  CHECK_EQ(strife__abc_run(&o, &a), STRIFE_EINVAL);
  strife__abc_free(&a);
  const struct strife__prior bad = {STRIFE__PRIOR_LOG_UNIFORM, 0, 1, 0, 0};
  o = opts(&s, &bad, 1, 3);
  CHECK_EQ(strife__abc_run(&o, &a), STRIFE_EINVAL);
  strife__abc_free(&a);
  CHECK_EQ(s.calls, 0);
}

static void test_quantile(void) {
  const double x[5] = {5, 1, 4, 2, 3}, w[5] = {0.1, 0.4, 0.1, 0.2, 0.2};
  CHECK(strife__abc_quantile(x, NULL, 5, 1, 0.5) == 3);
  CHECK(strife__abc_quantile(x, NULL, 5, 1, 0.2) == 1);
  CHECK(strife__abc_quantile(x, NULL, 5, 1, 1.0) == 5);
  CHECK(strife__abc_quantile(x, w, 5, 1, 0.4) == 1);
  CHECK(strife__abc_quantile(x, w, 5, 1, 0.5) == 2);
  CHECK(strife__abc_quantile(x, w, 5, 1, 0.81) == 4);
  CHECK(strife__abc_prior_density(&normal_prior, 11) == 0);
  CHECK(strife__abc_prior_density(&poisson_prior, 0.05) == 0);
  CHECK(strife__abc_prior_density(&poisson_prior, 50) == 1);
}

int main(void) {
  for (uint64_t seed = 1; seed <= 3; seed++) {
    test_normal(seed);
    test_poisson(seed);
    test_inert(seed);
    test_many(seed);
  }
  test_batches();
  test_budget();
  test_options();
  test_quantile();
  return test_report("abc");
}
