/*
 * run.c -- the options of a run and the run it produces (sim.h): typed
 * model options set from "key=value" texts, the record of yearly series
 * and ent_run_create, which drives the step-wise simulation of sim.c to
 * the end.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "sim/sim.h"

/* ------------------------------------------------------------ options */

ent_run_opts *ent_run_opts_create(void) {
  ent_run_opts *o = ent_calloc(1, sizeof *o);
  if (o) {
    o->robustness = 1;
    o->models = -1;
    o->smp_beside = 1;
  }
  return o;
}

void ent_run_opts_destroy(ent_run_opts *o) { ent_free(o); }

/* Split "k=v" and parse it; returns 0 or -1 with why. */
static int parse_kv(const char *kv, ent_eum_setting *st, char *why,
                    size_t size) {
  const char *eq = strchr(kv, '=');
  if (!eq || eq == kv) {
    snprintf(why, size, "option '%s' is not of the form key=value", kv);
    return -1;
  }
  char key[64];
  size_t klen = (size_t)(eq - kv);
  if (klen >= sizeof key) {
    snprintf(why, size, "option name '%.20s...' is too long", kv);
    return -1;
  }
  memcpy(key, kv, klen);
  key[klen] = '\0';
  return ent_eum_setting_parse(key, eq + 1, st, why, size);
}

ent_status ent_run_opts_set(ent_run_opts *o, const char *kv,
                            const char *where, ent_diag *d) {
  if (!o || !kv) return ENT_EINVAL;
  char why[256];
  if (!strcmp(kv, "robustness=off") || !strcmp(kv, "robustness=on")) {
    o->robustness = kv[12] == 'n';
    return ENT_OK;
  }
  if (!strncmp(kv, "models=", 7)) {
    static const char *const names[] = {"eum", "smp", "both", "scenario"};
    for (int k = 0; k < 4; k++)
      if (!strcmp(kv + 7, names[k])) {
        o->models = k == 3 ? -1 : k;
        return ENT_OK;
      }
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, where, 0, 0,
                 "models must be 'eum', 'smp', 'both' or 'scenario', not '%s'",
                 kv + 7);
    return ENT_EINPUT;
  }
  ent_eum_setting st;
  if (parse_kv(kv, &st, why, sizeof why)) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, where, 0, 0, "%s", why);
    return ENT_EINPUT;
  }
  if (o->n_eum >= ENT_RUN_OPTS_MAX) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, where, 0, 0,
                 "too many options (at most 64)");
    return ENT_EINPUT;
  }
  o->eum[o->n_eum++] = st;
  return ENT_OK;
}

void ent_run_opts_apply(const ent_run_opts *o, ent_eum_opts *eo) {
  for (size_t i = 0; o && i < o->n_eum; i++)
    ent_eum_setting_apply(eo, &o->eum[i]);
}

size_t ent_run_opts_count(const ent_run_opts *o) { return o ? o->n_eum : 0; }

void ent_run_opts_describe(const ent_run_opts *o, size_t k, char *buf,
                           size_t size) {
  if (!o || k >= o->n_eum) {
    if (size) buf[0] = '\0';
    return;
  }
  ent_eum_setting_describe(&o->eum[k], buf, size);
}

/* ------------------------------------------------------------ runs */

void ent_run_destroy(ent_run *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_issues; i++) {
    ent_issue_run *ir = &r->issues[i];
    for (int b = 0; b < ENT_BARGAIN_COUNT; b++)
      if (ir->part[b]) ent_bargain_get((ent_bargain_id)b)->result_free(ir->part[b]);
    ent_free(ir->cap);
    ent_free(ir->sal);
  }
  ent_free(r->issues);
  ent_free(r->series);
  ent_free(r);
}

int ent_run_record(ent_run *r, const char *var, const char *unit,
                   const char *entity, int year, double v) {
  if (!isfinite(v)) return -1; /* never let NaN/Inf out */
  if (r->n_series == r->cap_series) {
    size_t cap = r->cap_series ? 2 * r->cap_series : 256;
    ent_series_point *p = ent_realloc(r->series, cap * sizeof *p);
    if (!p) return -1;
    r->series = p;
    r->cap_series = cap;
  }
  ent_series_point *p = &r->series[r->n_series++];
  p->variable = var;
  p->unit = unit;
  snprintf(p->entity, sizeof p->entity, "%s", entity);
  p->year = year;
  p->value = v == 0.0 ? 0.0 : v;
  return 0;
}

double ent_run_value(const ent_run *r, const char *variable,
                     const char *entity, int year) {
  for (size_t k = 0; k < r->n_series; k++) {
    const ent_series_point *p = &r->series[k];
    if (p->year == year && !strcmp(p->variable, variable) &&
        !strcmp(p->entity, entity))
      return p->value;
  }
  return NAN;
}

ent_status ent_run_create(const ent_model *m, const ent_run_opts *o,
                          ent_run **out, ent_diag *d) {
  *out = NULL;
  ent_sim *s;
  ent_status st = ent_sim_start(m, o, &s, d);
  if (st != ENT_OK) return st;
  while ((st = ent_sim_step(s, d)) == ENT_CONTINUE) {
  }
  if (st != ENT_OK) {
    ent_sim_destroy(s);
    return st;
  }
  return ent_sim_finish(s, out);
}
