/*
 * scenario_dyn.c -- how a scenario's strategic layer moves (docs/
 * dynamics.md): the `dynamics` section (rounds per year, inertia), the
 * bargaining models' draw weights in forecasts (`model.weights`) and the
 * shocks on the strategic layer (entries of `shocks` with an `issue`: a
 * dated change of one actor's position, salience or capability).
 *
 * Everything is checked here with its position: a strategic shock names a
 * known issue and an actor with a stake on it, sets a position inside the
 * issue's scale, a salience in [0, 100] and a capability >= 0, and falls
 * inside the time axis.
 */
#include <stdio.h>
#include <string.h>

#include "input/scenario.h"

void ent_scenario_parse_dynamics(loader *L, yaml_node_t *root) {
  static const char *const keys[] = {"rounds_per_year", "inertia", "why",
                                     NULL};
  ent_model *m = L->m;
  yaml_node_t *n = ent_ydoc_get(&L->y, root, "dynamics");
  if (!n) return;
  if (!m->st) {
    ent_ydoc_error(&L->y, n, "'dynamics' needs a 'time' section (start and "
                             "end years): without one, issues bargain once");
    return;
  }
  if (!ent_ydoc_want_map(&L->y, n, "'dynamics'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "'dynamics'");
  m->dyn.given = 1;
  m->dyn.at = ent_scenario_pos(n);
  long r;
  yaml_node_t *v = ent_ydoc_get(&L->y, n, "rounds_per_year");
  if (v && !ent_ydoc_int(&L->y, v, "rounds_per_year", 1, 1000, &r))
    m->dyn.rounds_per_year = (int)r;
  v = ent_ydoc_get(&L->y, n, "inertia");
  if (v) {
    ent_utarget t = {ENT_UT_DYN_INERTIA, 0, 0, 0, 0, 0};
    ent_scenario_number(L, v, "inertia", 0.0, 1.0, ENT_NUM_SCALAR_RANGE,
                        &m->dyn.inertia, &t, "dynamics.inertia", NULL);
  }
  v = ent_ydoc_get(&L->y, n, "why");
  if (v) m->dyn.why = ent_scenario_text(L, v, "'why'", 0);
}

void ent_scenario_parse_weights(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"eum", "smp", "why", NULL};
  static const char *const models[2] = {"eum", "smp"};
  ent_model *m = L->m;
  if (!ent_ydoc_want_map(&L->y, n, "'model.weights'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "'model.weights'");
  double w[2] = {m->model_weight[0], m->model_weight[1]};
  for (int k = 0; k < 2; k++) {
    yaml_node_t *v = ent_ydoc_get(&L->y, n, models[k]);
    if (v && ent_ydoc_num_in(&L->y, v, models[k], 0.0, 1e6, &w[k])) return;
  }
  if (!(w[0] + w[1] > 0.0)) {
    ent_ydoc_error(&L->y, n, "'model.weights' are both 0: at least one model "
                             "must be drawn");
    return;
  }
  m->model_weight[0] = w[0];
  m->model_weight[1] = w[1];
  yaml_node_t *v = ent_ydoc_get(&L->y, n, "why");
  if (v) m->weights_why = ent_scenario_text(L, v, "'why'", 0);
}

/* The stake index of actor `a` on issue `is`, or -1. */
static long stake_of(const ent_issue *is, size_t a) {
  for (size_t k = 0; k < is->n_stakes; k++)
    if (is->stakes[k].actor == a) return (long)k;
  return -1;
}

void ent_scenario_parse_sshock(loader *L, yaml_node_t *s) {
  static const char *const keys[] = {"id",         "issue",    "actor",
                                     "start",      "end",      "announced",
                                     "position",   "salience", "capability",
                                     "source",     "why",      NULL};
  ent_model *m = L->m;
  ent_structure *st = m->st;
  ent_ydoc_check_keys(&L->y, s, keys, "a shock on an issue");
  size_t before = ent_diag_errors(L->d);
  ent_sshock sh = {0};
  sh.at = ent_scenario_pos(s);
  sh.issue = sh.stake = (size_t)-1;
  yaml_node_t *v = ent_scenario_need(L, s, "id", "a shock");
  if (v) sh.id = ent_scenario_ident(L, v, "shock id");
  for (size_t q = 0; sh.id && q < st->n_shocks; q++)
    if (st->shocks[q].id && !strcmp(st->shocks[q].id, sh.id))
      ent_ydoc_error(&L->y, v, "duplicate shock id '%s'", sh.id);
  for (size_t q = 0; sh.id && q < st->n_sshocks; q++)
    if (st->sshocks[q].id && !strcmp(st->sshocks[q].id, sh.id))
      ent_ydoc_error(&L->y, v, "duplicate shock id '%s'", sh.id);
  yaml_node_t *iv = ent_scenario_need(L, s, "issue", "a shock on an issue");
  const char *iid = iv ? ent_ydoc_str(&L->y, iv, "an issue id", NULL) : NULL;
  if (iid) {
    sh.issue = ent_model_find_issue(m, iid);
    if (sh.issue == (size_t)-1)
      ent_ydoc_error(&L->y, iv, "unknown issue '%.40s' in shock '%s'", iid,
                     sh.id ? sh.id : "?");
  }
  yaml_node_t *av = ent_scenario_need(L, s, "actor", "a shock on an issue");
  const char *aid = av ? ent_ydoc_str(&L->y, av, "an actor id", NULL) : NULL;
  if (aid) {
    size_t a = ent_model_find_actor(m, aid);
    if (a == (size_t)-1)
      ent_ydoc_error(&L->y, av, "unknown actor '%.40s' in shock '%s'", aid,
                     sh.id ? sh.id : "?");
    else if (sh.issue != (size_t)-1) {
      long k = stake_of(&m->issues[sh.issue], a);
      if (k < 0)
        ent_ydoc_error(&L->y, av, "actor '%s' has no position on issue '%s'",
                       aid, m->issues[sh.issue].id);
      else
        sh.stake = (size_t)k;
    }
  }
  ent_scenario_shock_years(L, s, &sh.start, &sh.end);
  sh.announced = sh.start;
  v = ent_ydoc_get(&L->y, s, "announced");
  if (v && !ent_scenario_year_of(L, v, "announced", &sh.announced) &&
      sh.announced > sh.start)
    ent_ydoc_error(&L->y, v, "shock '%s' is announced (%d) after it starts "
                             "(%d)", sh.id ? sh.id : "?", sh.announced,
                   sh.start);
  const ent_issue *is = sh.issue != (size_t)-1 ? &m->issues[sh.issue] : NULL;
  v = ent_ydoc_get(&L->y, s, "position");
  if (v && is) {
    if (is->n_dims > 1)
      ent_ydoc_error(&L->y, v, "a position shock needs a one-dimensional "
                               "issue; '%s' has %zu dimensions", is->id,
                     is->n_dims);
    else if (!ent_ydoc_num(&L->y, v, "position", &sh.position)) {
      if (sh.position < is->lo || sh.position > is->hi)
        ent_ydoc_error(&L->y, v, "position %g is outside the scale [%g, %g] "
                                 "of issue '%s'", sh.position, is->lo, is->hi,
                       is->id);
      sh.set_position = 1;
    }
  }
  v = ent_ydoc_get(&L->y, s, "salience");
  if (v && !ent_ydoc_num(&L->y, v, "salience", &sh.salience)) {
    if (sh.salience < 0.0 || sh.salience > 100.0)
      ent_ydoc_error(&L->y, v, "salience %g is outside [0, 100]", sh.salience);
    sh.salience /= 100.0;
    sh.set_salience = 1;
  }
  v = ent_ydoc_get(&L->y, s, "capability");
  if (v && !ent_ydoc_num(&L->y, v, "capability", &sh.capability)) {
    if (sh.capability < 0.0 || sh.capability > 1e12)
      ent_ydoc_error(&L->y, v, "capability %g is outside [0, 1e12]",
                     sh.capability);
    sh.set_capability = 1;
  }
  if (!sh.set_position && !sh.set_salience && !sh.set_capability &&
      ent_diag_errors(L->d) == before)
    ent_ydoc_error(&L->y, s, "shock '%s' on issue '%s' changes nothing: give "
                             "'position', 'salience' or 'capability'",
                   sh.id ? sh.id : "?", iid ? iid : "?");
  v = ent_scenario_need(L, s, "source", "a shock");
  if (v) sh.source = ent_scenario_text(L, v, "shock source", 1);
  v = ent_ydoc_get(&L->y, s, "why");
  if (v) sh.why = ent_scenario_text(L, v, "'why'", 0);
  if (ent_diag_errors(L->d) == before) st->sshocks[st->n_sshocks++] = sh;
}
