/* SPDX-License-Identifier: MIT */
/* Evaluation of schedules (see schedule.h). */
#include "schedule.h"

void strife__schedule_const(struct strife__schedule *s, double value) {
  s->initial = value;
  s->n = 0;
}

double strife__schedule_at(const struct strife__schedule *s, int64_t t) {
  double v = s->initial;
  for (int i = 0; i < s->n; i++) {
    const struct strife__change *c = &s->change[i];
    if (t >= c->t1) {
      v = c->value;
    } else if (t > c->t0) {
      /* Inside a ramp: at t0 the old value, at t1 the new one. */
      double f = (double)(t - c->t0) / (double)(c->t1 - c->t0);
      return v + (c->value - v) * f;
    } else {
      break;
    }
  }
  return v;
}

double strife__schedule_max(const struct strife__schedule *s) {
  double m = s->initial;
  for (int i = 0; i < s->n; i++)
    if (s->change[i].value > m) m = s->change[i].value;
  return m;
}
