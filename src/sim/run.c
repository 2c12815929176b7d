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
#include "model/names.h"
#include "sim/sim.h"

/* ------------------------------------------------------------ options */

ent_run_opts *ent_run_opts_create(void) {
  ent_run_opts *o = ent_calloc(1, sizeof *o);
  if (o) {
    o->robustness = 1;
    o->models = -1;
    o->smp_beside = 1;
    o->drivers = 1;
    o->both_as = -1;
    o->threads = 1;
  }
  return o;
}

void ent_run_opts_set_threads(ent_run_opts *o, int threads) {
  if (o) o->threads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
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
  if (!strcmp(kv, "drivers=off") || !strcmp(kv, "drivers=on")) {
    o->drivers = kv[9] == 'n';
    return ENT_OK;
  }
  if (!strcmp(kv, "ex_ante=off") || !strcmp(kv, "ex_ante=on")) {
    o->ex_ante = kv[9] == 'n';
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
  for (size_t k = 0; k < r->n_drivers; k++) ent_free(r->drivers[k].issue_delta);
  ent_free(r->drivers);
  ent_free(r);
}

int ent_run_record_point(ent_run *r, const char *var, const char *unit,
                         const char *entity, int year, double v) {
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
  /* as snprintf "%s" would: cut to the array, always terminated */
  size_t n = strnlen(entity, sizeof p->entity - 1);
  memcpy(p->entity, entity, n);
  p->entity[n] = '\0';
  p->year = year;
  p->value = v;
  return 0;
}

int ent_run_record_block(ent_run *r, size_t n, const char *const *var,
                         const char *const *unit, const char *const *entity,
                         int year, const double *v) {
  ent_run_slots *q = r->slots;
  if (r->sink && q) {
    /* an ensemble member's year: the first year's points into the series
     * too; ent_run_record's test of the slot, run by run of points that
     * pass it (no call inside), each point that does not to the sink */
    for (size_t k = 0; r->keep && k < n; k++)
      if (ent_run_record_point(r, var[k], unit[k], entity[k], year,
                               v[k] + 0.0))
        return -1;
    const ent_run_slot *key = q->key;
    double *vals = q->vals;
    size_t at = q->at, ns = q->n, k = 0;
    while (k < n) {
      size_t lim = n - k < ns - at ? n - k : ns - at, j = 0;
      const ent_run_slot *kp = key + at;
      for (; j < lim; j++) {
        if (kp[j].entity != entity[k + j] || kp[j].variable != var[k + j] ||
            kp[j].year != year)
          break;
        vals[at + j] = v[k + j] + 0.0; /* -0.0 made +0.0, else the same */
      }
      at += j;
      k += j;
      if (k == n) break;
      q->at = at;
      r->sink(r->sink_ctx, var[k], entity[k], year, v[k] + 0.0);
      at = q->at;
      k++;
    }
    q->at = at;
    return 0;
  }
  for (size_t k = 0; k < n; k++)
    if (ent_run_record(r, var[k], unit[k], entity[k], year, v[k])) return -1;
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

static ent_status run_plain(const ent_model *m, const ent_run_opts *o,
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

/* The entity of the main pair's alignment: the first report pair (else
 * the first two actors), in the scenario's actor order. */
void ent_run_align_pair(const ent_model *m, char *buf, size_t size) {
  size_t a = 0, b = 1;
  if (m->n_pairs) {
    a = m->pairs[0][0];
    b = m->pairs[0][1];
  }
  if (a > b) {
    size_t t = a;
    a = b;
    b = t;
  }
  if (m->n_actors < 2) {
    if (size) buf[0] = '\0';
    return;
  }
  snprintf(buf, size, "%s-%s", m->actors[a].id, m->actors[b].id);
}

/* The drivers of the strategic layer: every link to actors' stakes and
 * every shock on an issue.  For each, the run again without it (a link
 * made neutral, a shock never in force) and the change of the last year's
 * issue forecasts and main-pair alignment (docs/dynamics.md,
 * "Drivers").  A driver whose counterfactual fails is left out. */
static ent_status attribute(const ent_model *m, const ent_run_opts *o,
                            ent_run *r) {
  const ent_structure *st = m->st;
  size_t nd = 0;
  for (size_t l = 0; l < st->n_links; l++)
    nd += st->links[l].tgt == ENT_LINK_TO_STAKE;
  nd += st->n_sshocks;
  if (nd == 0) return ENT_OK;
  r->drivers = ent_calloc(nd, sizeof *r->drivers);
  if (!r->drivers) return ENT_ENOMEM;
  ent_run_opts ro = *o;
  ro.drivers = 0;
  ro.robustness = 0;
  ro.smp_beside = 0;
  char pair[160];
  ent_run_align_pair(m, pair, sizeof pair);
  const char *av = ENT_VNAME(ENT_VAR_ALIGNMENT);
  double a0 = ent_run_value(r, av, pair, r->last_year);
  ent_status rc = ENT_OK;
  for (size_t k = 0; k < st->n_links + st->n_sshocks && rc == ENT_OK; k++) {
    int is_link = k < st->n_links;
    if (is_link && st->links[k].tgt != ENT_LINK_TO_STAKE) continue;
    ent_model *c = ent_model_clone(m);
    if (!c) return ENT_ENOMEM;
    ent_run_driver *dv = &r->drivers[r->n_drivers];
    if (is_link) {
      ent_link *lk = &c->st->links[k];
      lk->elasticity = lk->slope = lk->rate = 0.0; /* no effect */
      dv->id = st->links[k].id;
      dv->kind = "link";
      dv->why = st->links[k].why;
    } else {
      ent_sshock *sh = &c->st->sshocks[k - st->n_links];
      sh->start = st->end + 1; /* never in force */
      sh->end = 0;
      dv->id = st->sshocks[k - st->n_links].id;
      dv->kind = "shock";
      dv->why = st->sshocks[k - st->n_links].why;
    }
    ent_run *cr = NULL;
    ent_diag *tmp = ent_diag_create();
    rc = tmp ? run_plain(c, &ro, &cr, tmp) : ENT_ENOMEM;
    ent_diag_destroy(tmp);
    if (rc == ENT_OK) {
      dv->issue_delta = ent_calloc(m->n_issues ? m->n_issues : 1,
                                   sizeof(double));
      if (!dv->issue_delta) rc = ENT_ENOMEM;
      for (size_t i = 0; rc == ENT_OK && i < m->n_issues; i++)
        dv->issue_delta[i] = r->issues[i].forecast - cr->issues[i].forecast;
      double a1 = ent_run_value(cr, av, pair, cr->last_year);
      dv->has_alignment = isfinite(a0) && isfinite(a1);
      dv->alignment_delta = dv->has_alignment ? a0 - a1 : 0.0;
      if (rc == ENT_OK) r->n_drivers++;
    } else if (rc != ENT_ENOMEM) {
      rc = ENT_OK; /* this driver cannot be attributed; go on */
    }
    ent_run_destroy(cr);
    ent_model_destroy(c);
  }
  return rc;
}

ent_status ent_run_create(const ent_model *m, const ent_run_opts *o,
                          ent_run **out, ent_diag *d) {
  ent_status st = run_plain(m, o, out, d);
  if (st != ENT_OK || !m->st || !o || !o->drivers) return st;
  st = attribute(m, o, *out);
  if (st != ENT_OK) {
    ent_run_destroy(*out);
    *out = NULL;
  }
  return st;
}
