/*
 * sim.c -- run every issue of a model (see sim.h).
 */
#include "sim.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"

ent_run_opts *ent_run_opts_create(void) {
  ent_run_opts *o = ent_calloc(1, sizeof *o);
  if (o) o->robustness = 1;
  return o;
}

void ent_run_opts_destroy(ent_run_opts *o) {
  if (!o) return;
  for (size_t i = 0; i < o->n_kv; i++) ent_free(o->kv[i]);
  ent_free(o);
}

/* Split "k=v" and apply to eo; returns 0 or -1 with why. */
static int apply_kv(const char *kv, ent_eum_opts *eo, char *why, size_t size) {
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
  return ent_eum_opts_set(eo, key, eq + 1, why, size);
}

ent_status ent_run_opts_set(ent_run_opts *o, const char *kv,
                            const char *where, ent_diag *d) {
  if (!o || !kv) return ENT_EINVAL;
  ent_eum_opts probe;
  ent_eum_opts_default(&probe);
  char why[256];
  if (!strcmp(kv, "robustness=off")) {
    o->robustness = 0;
    return ENT_OK;
  }
  if (!strcmp(kv, "robustness=on")) {
    o->robustness = 1;
    return ENT_OK;
  }
  if (apply_kv(kv, &probe, why, sizeof why)) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, where, 0, 0, "%s", why);
    return ENT_EINPUT;
  }
  if (o->n_kv >= sizeof o->kv / sizeof o->kv[0]) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, where, 0, 0,
                 "too many options (at most 64)");
    return ENT_EINPUT;
  }
  o->kv[o->n_kv] = ent_strdup(kv);
  if (!o->kv[o->n_kv]) return ENT_ENOMEM;
  o->n_kv++;
  return ENT_OK;
}

ent_status ent_run_opts_apply(const ent_run_opts *o, ent_eum_opts *eo,
                              ent_diag *d) {
  char why[256];
  for (size_t i = 0; o && i < o->n_kv; i++)
    if (apply_kv(o->kv[i], eo, why, sizeof why)) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, "<options>", 0, 0, "%s", why);
      return ENT_EINPUT;
    }
  return ENT_OK;
}

void ent_run_destroy(ent_run *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_issues; i++) ent_eum_hist_free(r->issues[i].hist);
  ent_free(r->issues);
  ent_free(r);
}

/* Bargain one issue; x0/cap/sal are scratch arrays of n_stakes. */
static ent_status run_issue(const ent_issue *is, const ent_eum_opts *eo,
                            int robustness, ent_issue_run *out, double *x0,
                            double *cap, double *sal) {
  size_t n = is->n_stakes;
  for (size_t k = 0; k < n; k++) {
    x0[k] = is->stakes[k].position;
    cap[k] = is->stakes[k].capability;
    sal[k] = is->stakes[k].salience;
  }
  ent_eum_problem pb = {n, cap, sal};
  out->issue = is;
  out->opts = *eo;
  ent_status st = ent_eum_run(&pb, eo, x0, &out->hist);
  if (st != ENT_OK || !robustness) return st;
  ent_eum_hist *h;
  ent_eum_opts alt = *eo;
  alt.least_move = !eo->least_move;
  st = ent_eum_run(&pb, &alt, x0, &h);
  if (st != ENT_OK) return st;
  out->least_move_median = h->median[h->n_rounds];
  ent_eum_hist_free(h);
  for (size_t k = 0; k < n; k++) x0[k] = is->lo + is->hi - x0[k];
  st = ent_eum_run(&pb, eo, x0, &h);
  if (st != ENT_OK) return st;
  out->reflected_median = is->lo + is->hi - h->median[h->n_rounds];
  ent_eum_hist_free(h);
  out->has_robustness = 1;
  return ENT_OK;
}

ent_status ent_run_create(const ent_model *m, const ent_run_opts *o,
                          ent_run **out, ent_diag *d) {
  *out = NULL;
  if (!m) return ENT_EINVAL;
  ent_run *r = ent_calloc(1, sizeof *r);
  size_t nmax = 1;
  for (size_t i = 0; i < m->n_issues; i++)
    if (m->issues[i].n_stakes > nmax) nmax = m->issues[i].n_stakes;
  double *scratch = ent_mallocarray(3 * nmax, sizeof(double));
  if (!r || !scratch ||
      !(r->issues = ent_calloc(m->n_issues ? m->n_issues : 1,
                               sizeof *r->issues))) {
    ent_free(scratch);
    ent_run_destroy(r);
    return ENT_ENOMEM;
  }
  r->m = m;
  ent_status st = ENT_OK;
  for (size_t i = 0; i < m->n_issues && st == ENT_OK; i++) {
    ent_eum_opts eo = m->issues[i].eum;
    st = ent_run_opts_apply(o, &eo, d);
    if (st == ENT_OK)
      st = run_issue(&m->issues[i], &eo, o ? o->robustness : 1, &r->issues[i],
                     scratch, scratch + nmax, scratch + 2 * nmax);
    r->n_issues = i + 1;
  }
  ent_free(scratch);
  if (st != ENT_OK) {
    ent_run_destroy(r);
    return st;
  }
  *out = r;
  return ENT_OK;
}
