/*
 * scenario.c -- the YAML scenario format (docs/scenario.md) -> ent_model.
 *
 * Top level:
 *   scenario: {id, title, description}
 *   model:    {profile, rounds, options: {k: v}}     model options (eum.md s7)
 *   report:   {pairs: [[A, B], ...]}                  main pairs to show
 *   actors:   [{id, name, kind, capability, why}]
 *   issues:   [{id, question, why, scale: {min, max, anchors: {at: label}},
 *               options: {k: v}, positions: {ACTOR: {position, salience,
 *               capability, why}}}]
 *
 * Salience is given on 0-100 (as in Predictioneer tables) and stored as a
 * fraction.  An actor's capability may be set once on the actor and
 * overridden per issue.
 *
 * Numbers that a forecast may vary are read through ent_scenario_number, which
 * also takes a distribution {dist: ...} (scenario_dist.c); a scenario with
 * `extends: BASE` is merged onto its base before it is read (variant.c).
 */
#include "input/scenario.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "strategic/eum.h"
#include "strategic/smp.h"


const char *ent_scenario_check_ident(const char *s, size_t len) {
  if (len == 0) return "is empty";
  if (len > 64) return "is longer than 64 characters";
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!(isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':'))
      return "may contain only letters, digits, '_', '-', '.' and ':'";
  }
  return NULL;
}

ent_srcpos ent_scenario_pos(const yaml_node_t *n) {
  ent_srcpos p = {ent_ynode_line(n), ent_ynode_col(n)};
  return p;
}

/* Copy a scalar string into the model arena; NULL after reporting. */
const char *ent_scenario_text(loader *L, yaml_node_t *n, const char *what,
                        int required_nonempty) {
  size_t len;
  const char *s = ent_ydoc_str(&L->y, n, what, &len);
  if (!s) return NULL;
  if (required_nonempty && ent_is_blank(s, len)) {
    ent_ydoc_error(&L->y, n, "%s is empty", what);
    return NULL;
  }
  return ent_arena_strndup(&L->m->arena, s, len);
}

const char *ent_scenario_ident(loader *L, yaml_node_t *n, const char *what) {
  size_t len;
  const char *s = ent_ydoc_str(&L->y, n, what, &len);
  if (!s) return NULL;
  const char *why = ent_scenario_check_ident(s, len);
  if (why) {
    ent_ydoc_error(&L->y, n, "%s '%.40s' %s", what, s, why);
    return NULL;
  }
  return ent_arena_strndup(&L->m->arena, s, len);
}

/* Required key: report if missing (at the mapping's position). */
yaml_node_t *ent_scenario_need(loader *L, yaml_node_t *map, const char *key,
                         const char *what) {
  yaml_node_t *v = ent_ydoc_get(&L->y, map, key);
  if (!v) ent_ydoc_error(&L->y, map, "%s has no '%s'", what, key);
  return v;
}

/* Options mapping {key: value} applied to opts through ent_eum_opts_set. */
static void parse_options(loader *L, yaml_node_t *map, ent_eum_opts *o,
                          const char *what) {
  if (!ent_ydoc_want_map(&L->y, map, what)) return;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
       p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *k = ent_ydoc_node(&L->y, p->key);
    yaml_node_t *v = ent_ydoc_node(&L->y, p->value);
    const char *ks = ent_ydoc_str(&L->y, k, "an option name", NULL);
    const char *vs = ent_ydoc_str(&L->y, v, "an option value", NULL);
    if (!ks || !vs) continue;
    /* YAML 1.1 readers turn on/off into booleans; libyaml keeps the text,
     * which is what ent_eum_opts_set wants. */
    char why[256];
    if (ent_eum_opts_set(o, ks, vs, why, sizeof why))
      ent_ydoc_error(&L->y, v, "%s", why);
  }
}

static void parse_model(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"profile", "rounds", "options", "weights",
                                     NULL};
  if (!ent_ydoc_want_map(&L->y, n, "'model'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "'model'");
  char why[256];
  yaml_node_t *v = ent_ydoc_get(&L->y, n, "profile");
  if (v) {
    const char *s = ent_ydoc_str(&L->y, v, "model profile", NULL);
    if (s && ent_eum_opts_set(&L->m->eum, "profile", s, why, sizeof why))
      ent_ydoc_error(&L->y, v, "%s", why);
  }
  v = ent_ydoc_get(&L->y, n, "rounds");
  if (v) {
    long r;
    if (!ent_ydoc_int(&L->y, v, "rounds", 0, 100000, &r))
      L->m->eum.rounds = (int)r;
  }
  v = ent_ydoc_get(&L->y, n, "options");
  if (v) parse_options(L, v, &L->m->eum, "'model.options'");
  v = ent_ydoc_get(&L->y, n, "weights");
  if (v) ent_scenario_parse_weights(L, v);
}

static const char *const actor_kinds[] = {
    "state", "bloc", "organisation", "organization", "substate",
    "firm",  "group", "person", "other", NULL};

static void parse_actors(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"id", "name", "kind", "capability", "why",
                                     NULL};
  if (!ent_ydoc_want_seq(&L->y, n, "'actors'")) return;
  size_t count = (size_t)(n->data.sequence.items.top -
                          n->data.sequence.items.start);
  if (count == 0) {
    ent_ydoc_error(&L->y, n, "'actors' is empty: a scenario needs at least 2");
    return;
  }
  ent_model *m = L->m;
  m->actors = ent_arena_array(&m->arena, count, sizeof *m->actors);
  if (!m->actors) return;
  for (yaml_node_item_t *it = n->data.sequence.items.start;
       it < n->data.sequence.items.top; it++) {
    yaml_node_t *a = ent_ydoc_node(&L->y, *it);
    if (!ent_ydoc_want_map(&L->y, a, "an actor")) continue;
    ent_ydoc_check_keys(&L->y, a, keys, "an actor");
    ent_actor act = {0};
    act.at = ent_scenario_pos(a);
    yaml_node_t *v = ent_scenario_need(L, a, "id", "an actor");
    if (v) act.id = ent_scenario_ident(L, v, "actor id");
    if (act.id && ent_model_find_actor(m, act.id) != (size_t)-1) {
      ent_ydoc_error(&L->y, v, "duplicate actor id '%s'", act.id);
      act.id = NULL;
    }
    v = ent_scenario_need(L, a, "name", "an actor");
    if (v) act.name = ent_scenario_text(L, v, "actor name", 1);
    act.kind = "state";
    v = ent_ydoc_get(&L->y, a, "kind");
    if (v) {
      const char *k = ent_ydoc_str(&L->y, v, "actor kind", NULL);
      int ok = 0;
      for (const char *const *p = actor_kinds; k && *p; p++)
        if (!strcmp(*p, k)) ok = 1;
      if (k && !ok)
        ent_ydoc_error(&L->y, v,
                       "unknown actor kind '%.40s' (state, bloc, organisation, "
                       "substate, firm, group, person, other)", k);
      else if (k)
        act.kind = ent_arena_strdup(&m->arena, k);
    }
    v = ent_ydoc_get(&L->y, a, "capability");
    if (v) {
      char name[160];
      snprintf(name, sizeof name, "actors.%s.capability",
               act.id ? act.id : "?");
      ent_utarget t = {ENT_UT_ACTOR_CAPABILITY, m->n_actors, 0, 0, 0, 0};
      if (!ent_scenario_number(L, v, "capability", 0.0, 1e12, ENT_NUM_SCALAR_RANGE,
                          &act.capability, &t, name, NULL))
        act.has_capability = 1;
    }
    v = ent_ydoc_get(&L->y, a, "why");
    if (v) act.why = ent_scenario_text(L, v, "'why'", 0);
    if (act.id && act.name) m->actors[m->n_actors++] = act;
  }
}

static int cmp_anchor(const void *pa, const void *pb) {
  const ent_anchor *a = pa, *b = pb;
  return (a->at > b->at) - (a->at < b->at);
}

static int cmp_stake(const void *pa, const void *pb) {
  const ent_stake *a = pa, *b = pb;
  return (a->actor > b->actor) - (a->actor < b->actor);
}

static void parse_scale(loader *L, yaml_node_t *n, ent_issue *is,
                        int *ok) {
  static const char *const keys[] = {"min", "max", "anchors", "unit", NULL};
  *ok = 0;
  if (!ent_ydoc_want_map(&L->y, n, "'scale'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "'scale'");
  yaml_node_t *lo = ent_scenario_need(L, n, "min", "'scale'");
  yaml_node_t *hi = ent_scenario_need(L, n, "max", "'scale'");
  if (!lo || !hi) return;
  if (ent_ydoc_num_in(&L->y, lo, "scale min", -1e12, 1e12, &is->lo) ||
      ent_ydoc_num_in(&L->y, hi, "scale max", -1e12, 1e12, &is->hi))
    return;
  if (!(is->lo < is->hi)) {
    ent_ydoc_error(&L->y, hi, "scale max %g must be greater than min %g",
                   is->hi, is->lo);
    return;
  }
  *ok = 1;
  yaml_node_t *an = ent_ydoc_get(&L->y, n, "anchors");
  if (!an || !ent_ydoc_want_map(&L->y, an, "'anchors'")) return;
  size_t count = (size_t)(an->data.mapping.pairs.top -
                          an->data.mapping.pairs.start);
  is->anchors = ent_arena_array(&L->m->arena, count ? count : 1,
                                sizeof *is->anchors);
  if (!is->anchors) return;
  for (yaml_node_pair_t *p = an->data.mapping.pairs.start;
       p < an->data.mapping.pairs.top; p++) {
    yaml_node_t *k = ent_ydoc_node(&L->y, p->key);
    yaml_node_t *v = ent_ydoc_node(&L->y, p->value);
    double at;
    if (ent_ydoc_num(&L->y, k, "anchor point", &at)) continue;
    if (at < is->lo || at > is->hi) {
      ent_ydoc_error(&L->y, k, "anchor %g is outside the scale [%g, %g]", at,
                     is->lo, is->hi);
      continue;
    }
    const char *label = ent_scenario_text(L, v, "anchor label", 1);
    if (!label) continue;
    int dup = 0;
    for (size_t q = 0; q < is->n_anchors; q++)
      if (is->anchors[q].at == at) dup = 1;
    if (dup) {
      ent_ydoc_error(&L->y, k, "duplicate anchor %g", at);
      continue;
    }
    is->anchors[is->n_anchors].at = at;
    is->anchors[is->n_anchors].label = label;
    is->n_anchors++;
  }
  qsort(is->anchors, is->n_anchors, sizeof *is->anchors, cmp_anchor);
}

/* `model`, `dimensions` and `smp_options` of an issue (before its
 * positions, which depend on the number of dimensions). */
static void parse_issue_model(loader *L, yaml_node_t *in, ent_issue *is) {
  ent_model *m = L->m;
  is->model = ENT_ISSUE_EUM;
  ent_smp_opts_default(&is->smp);
  is->n_dims = 1;
  yaml_node_t *v = ent_ydoc_get(&L->y, in, "model");
  if (v) {
    const char *s = ent_ydoc_str(&L->y, v, "issue model", NULL);
    if (s && !strcmp(s, "smp")) is->model = ENT_ISSUE_SMP;
    else if (s && !strcmp(s, "both")) is->model = ENT_ISSUE_BOTH;
    else if (s && strcmp(s, "eum"))
      ent_ydoc_error(&L->y, v, "issue model must be 'eum', 'smp' or 'both', "
                               "not '%.20s'", s);
  }
  v = ent_ydoc_get(&L->y, in, "dimensions");
  if (v && ent_ydoc_want_seq(&L->y, v, "'dimensions'")) {
    size_t nd = (size_t)(v->data.sequence.items.top -
                         v->data.sequence.items.start);
    if (nd < 1 || nd > 20) {
      ent_ydoc_error(&L->y, v, "an issue has 1 to 20 dimensions, not %zu", nd);
    } else {
      is->dims = ent_arena_array(&m->arena, nd, sizeof *is->dims);
      if (!is->dims) return;
      for (size_t k = 0; k < nd; k++) {
        yaml_node_t *e = ent_ydoc_node(&L->y, v->data.sequence.items.start[k]);
        is->dims[k] = ent_scenario_ident(L, e, "dimension name");
        for (size_t q = 0; is->dims[k] && q < k; q++)
          if (is->dims[q] && !strcmp(is->dims[q], is->dims[k]))
            ent_ydoc_error(&L->y, e, "duplicate dimension '%s'", is->dims[k]);
      }
      is->n_dims = nd;
      if (nd > 1 && is->model != ENT_ISSUE_SMP)
        ent_ydoc_error(&L->y, v, "issue '%s' has %zu dimensions: the "
                                 "expected-utility model bargains on one, so "
                                 "it needs 'model: smp'",
                       is->id ? is->id : "?", nd);
    }
  }
  if (!is->dims) {
    is->dims = ent_arena_array(&m->arena, 1, sizeof *is->dims);
    if (is->dims) is->dims[0] = is->id ? is->id : "position";
  }
  v = ent_ydoc_get(&L->y, in, "smp_options");
  if (v && ent_ydoc_want_map(&L->y, v, "'smp_options'")) {
    /* parsed once, here, in the order given (as "key=value", so messages
     * and limits are those of ent_smp_opts_parse); a bad option is
     * reported and left out */
    ent_smp_opts o;
    ent_smp_opts_default(&o);
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
         p < v->data.mapping.pairs.top; p++) {
      yaml_node_t *kn = ent_ydoc_node(&L->y, p->key);
      yaml_node_t *vn = ent_ydoc_node(&L->y, p->value);
      const char *ks = ent_ydoc_str(&L->y, kn, "an SMP option name", NULL);
      const char *vs = ent_ydoc_str(&L->y, vn, "an SMP option value", NULL);
      if (!ks || !vs) continue;
      char kv[256], why[256];
      snprintf(kv, sizeof kv, "%s=%s", ks, vs);
      if (ent_smp_opts_parse(&o, kv, why, sizeof why) != ENT_OK)
        ent_ydoc_error(&L->y, vn, "%s", why);
    }
    /* the accommodation list moves into the model's arena */
    is->smp = o;
    is->smp.acc = NULL;
    is->smp.n_acc = is->smp.cap_acc = 0;
    if (o.n_acc) {
      is->smp.acc = ent_arena_array(&m->arena, o.n_acc, sizeof *o.acc);
      if (is->smp.acc) {
        memcpy(is->smp.acc, o.acc, o.n_acc * sizeof *o.acc);
        is->smp.n_acc = is->smp.cap_acc = o.n_acc;
      }
    }
    ent_smp_opts_release(&o);
  }
}

/* Position and salience lists of a multi-dimensional issue's stake. */
static int parse_vector_stake(loader *L, yaml_node_t *v, const ent_issue *is,
                              ent_stake *st, const char *id) {
  ent_model *m = L->m;
  size_t nd = is->n_dims;
  st->pos_dims = ent_arena_array(&m->arena, nd, sizeof(double));
  st->sal_dims = ent_arena_array(&m->arena, nd, sizeof(double));
  if (!st->pos_dims || !st->sal_dims) return -1;
  const char *keys[2] = {"position", "salience"};
  double *dst[2] = {st->pos_dims, st->sal_dims};
  for (int f = 0; f < 2; f++) {
    yaml_node_t *x = ent_scenario_need(L, v, keys[f], "an actor's stake");
    if (!x) return -1;
    if (x->type != YAML_SEQUENCE_NODE ||
        (size_t)(x->data.sequence.items.top - x->data.sequence.items.start) != nd) {
      ent_ydoc_error(&L->y, x, "%s of '%s' must be a list of %zu numbers, one "
                               "per dimension of issue '%s'", keys[f], id, nd,
                     is->id ? is->id : "?");
      return -1;
    }
    for (size_t k = 0; k < nd; k++) {
      yaml_node_t *e = ent_ydoc_node(&L->y, x->data.sequence.items.start[k]);
      double lo = f == 0 ? is->lo : 0.0, hi = f == 0 ? is->hi : 100.0;
      if (ent_ydoc_num_in(&L->y, e, keys[f], lo, hi, &dst[f][k])) return -1;
    }
  }
  double sum = 0.0;
  for (size_t k = 0; k < nd; k++) sum += st->sal_dims[k];
  if (sum > 100.0) {
    ent_ydoc_error(&L->y, ent_ydoc_get(&L->y, v, "salience"),
                   "saliences of '%s' add up to %g: at most 100 over the "
                   "dimensions", id, sum);
    return -1;
  }
  for (size_t k = 0; k < nd; k++) st->sal_dims[k] /= 100.0;
  st->position = st->pos_dims[0];
  st->salience = sum / 100.0;
  return 0;
}

/* What KTAB's model needs beyond the expected-utility model's rules. */
static void check_smp_issue(loader *L, yaml_node_t *v, const ent_issue *is) {
  if (is->n_stakes < 3) {
    ent_ydoc_error(&L->y, v, "issue '%s' uses the spatial model (smp), which "
                             "needs at least 3 actors, not %zu",
                   is->id ? is->id : "?", is->n_stakes);
    return;
  }
  if (is->n_stakes > ENT_SMP_MAX_ACTORS) {
    /* KTAB's limit, checked here so `check` says it and `run` never prints
     * another model's number in the spatial model's place */
    ent_ydoc_error(&L->y, v, "issue '%s' uses the spatial model (smp), which "
                             "takes at most %d actors, not %zu",
                   is->id ? is->id : "?", ENT_SMP_MAX_ACTORS, is->n_stakes);
    return;
  }
  for (size_t q = 0; q < is->n_stakes; q++) {
    if (!(is->stakes[q].capability > 0.0) || !(is->stakes[q].salience > 0.0)) {
      ent_ydoc_error(&L->y, v, "issue '%s' uses the spatial model (smp): "
                               "actor '%s' needs a positive capability and "
                               "salience", is->id ? is->id : "?",
                     L->m->actors[is->stakes[q].actor].id);
      return;
    }
    if (is->stakes[q].capability > ENT_SMP_MAX_CAPABILITY) {
      ent_ydoc_error(&L->y, v, "issue '%s' uses the spatial model (smp): the "
                               "capability %g of actor '%s' is above its "
                               "limit %g", is->id ? is->id : "?",
                     is->stakes[q].capability,
                     L->m->actors[is->stakes[q].actor].id,
                     ENT_SMP_MAX_CAPABILITY);
      return;
    }
  }
}

/* Long: every key of a stake (position, ideal, salience, capability, the
 * multi-dimension forms, uncertain numbers, limits) read in the order of
 * docs/scenario.md, each with its own diagnostic. */
static void parse_positions(loader *L, yaml_node_t *n, ent_issue *is,
                            int scale_ok) {
  static const char *const keys[] = {"position", "ideal", "salience",
                                     "capability", "why", NULL};
  ent_model *m = L->m;
  if (!ent_ydoc_want_map(&L->y, n, "'positions'")) return;
  size_t count = (size_t)(n->data.mapping.pairs.top -
                          n->data.mapping.pairs.start);
  if (count > ENT_MAX_ISSUE_ACTORS) {
    ent_ydoc_error(&L->y, n, "issue '%s' has %zu actors: at most %d are "
                             "allowed (the model's cost grows with the cube "
                             "of the actors; docs/scenario-format.md, "
                             "\"Limits\")", is->id ? is->id : "?", count,
                   ENT_MAX_ISSUE_ACTORS);
    return;
  }
  is->stakes = ent_arena_array(&m->arena, count ? count : 1,
                               sizeof *is->stakes);
  if (!is->stakes) return;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
       p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *k = ent_ydoc_node(&L->y, p->key);
    yaml_node_t *v = ent_ydoc_node(&L->y, p->value);
    const char *id = ent_ydoc_str(&L->y, k, "an actor id", NULL);
    if (!id) continue;
    size_t ai = ent_model_find_actor(m, id);
    if (ai == (size_t)-1) {
      ent_ydoc_error(&L->y, k, "unknown actor '%.40s' in issue '%s'", id,
                     is->id ? is->id : "?");
      continue;
    }
    int dup = 0;
    for (size_t q = 0; q < is->n_stakes; q++)
      if (is->stakes[q].actor == ai) dup = 1;
    if (dup) {
      ent_ydoc_error(&L->y, k, "actor '%s' appears twice in issue '%s'", id,
                     is->id ? is->id : "?");
      continue;
    }
    if (!ent_ydoc_want_map(&L->y, v, "an actor's stake")) continue;
    ent_ydoc_check_keys(&L->y, v, keys, "an actor's stake");
    ent_stake st = {0};
    st.actor = ai;
    st.at = ent_scenario_pos(k);
    int ok = 1;
    /* stake targets name the actor until ent_scenario_resolve_uparams */
    ent_utarget t = {ENT_UT_STAKE_POSITION, m->n_issues, ai, 0, 0, 0};
    char name[200];
    snprintf(name, sizeof name, "issues.%s.positions.%s.position",
             is->id ? is->id : "?", id);
    double plo = scale_ok ? is->lo : -1e12, phi = scale_ok ? is->hi : 1e12;
    yaml_node_t *x;
    if (is->n_dims > 1) {
      if (parse_vector_stake(L, v, is, &st, id)) ok = 0;
      if (ent_ydoc_get(&L->y, v, "ideal")) {
        ent_ydoc_error(&L->y, ent_ydoc_get(&L->y, v, "ideal"),
                       "'ideal' is for one-dimensional issues; issue '%s' has "
                       "%zu dimensions", is->id ? is->id : "?", is->n_dims);
        ok = 0;
      }
      st.ideal = st.position;
      goto capability;
    }
    x = ent_scenario_need(L, v, "position", "an actor's stake");
    if (!x || ent_scenario_number(L, x, "position", plo, phi, 0, &st.position, &t,
                             name, NULL))
      ok = 0;
    else if (scale_ok && (st.position < is->lo || st.position > is->hi)) {
      ent_ydoc_error(&L->y, x,
                     "position %g of '%s' is outside the scale [%g, %g]",
                     st.position, id, is->lo, is->hi);
      ok = 0;
    }
    st.ideal = st.position;
    x = ent_ydoc_get(&L->y, v, "ideal");
    if (x) {
      t.kind = ENT_UT_STAKE_IDEAL;
      snprintf(name, sizeof name, "issues.%s.positions.%s.ideal",
               is->id ? is->id : "?", id);
      if (ent_scenario_number(L, x, "ideal", plo, phi, 0, &st.ideal, &t, name,
                              NULL))
        ok = 0;
      else if (scale_ok && (st.ideal < is->lo || st.ideal > is->hi)) {
        ent_ydoc_error(&L->y, x,
                       "ideal %g of '%s' is outside the scale [%g, %g]",
                       st.ideal, id, is->lo, is->hi);
        ok = 0;
      }
      st.has_ideal = 1;
    }
    t.kind = ENT_UT_STAKE_SALIENCE;
    snprintf(name, sizeof name, "issues.%s.positions.%s.salience",
             is->id ? is->id : "?", id);
    x = ent_scenario_need(L, v, "salience", "an actor's stake");
    if (!x) ok = 0;
    else if (ent_scenario_number(L, x, "salience", 0.0, 100.0, 0, &st.salience, &t,
                            name, NULL))
      ok = 0;
    else if (st.salience < 0.0 || st.salience > 100.0) {
      ent_ydoc_error(&L->y, x, "salience %g of '%s' is outside [0, 100]",
                     st.salience, id);
      ok = 0;
    }
    st.salience /= 100.0;
  capability:
    t.kind = ENT_UT_STAKE_CAPABILITY;
    snprintf(name, sizeof name, "issues.%s.positions.%s.capability",
             is->id ? is->id : "?", id);
    x = ent_ydoc_get(&L->y, v, "capability");
    if (x) {
      if (ent_scenario_number(L, x, "capability", 0.0, 1e12, ENT_NUM_SCALAR_RANGE,
                         &st.capability, &t, name, NULL))
        ok = 0;
    } else if (m->actors[ai].has_capability) {
      st.capability = m->actors[ai].capability;
      st.cap_from_actor = 1;
    } else {
      ent_ydoc_error(&L->y, v,
                     "no capability for '%s' in issue '%s' (give one here or "
                     "on the actor)", id, is->id ? is->id : "?");
      ok = 0;
    }
    x = ent_ydoc_get(&L->y, v, "why");
    if (x) st.why = ent_scenario_text(L, x, "'why'", 0);
    if (ok) is->stakes[is->n_stakes++] = st;
  }
  qsort(is->stakes, is->n_stakes, sizeof *is->stakes, cmp_stake);
}

static void parse_issues(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"id",         "question",  "why",
                                     "scale",      "options",   "model",
                                     "dimensions", "smp_options", "positions",
                                     NULL};
  ent_model *m = L->m;
  if (!ent_ydoc_want_seq(&L->y, n, "'issues'")) return;
  size_t count = (size_t)(n->data.sequence.items.top -
                          n->data.sequence.items.start);
  if (count == 0) {
    if (!ent_ydoc_get(&L->y, ent_ydoc_root(&L->y), "time"))
      ent_ydoc_error(&L->y, n, "'issues' is empty: a scenario needs at least "
                               "one (or a structural part)");
    return;
  }
  m->issues = ent_arena_array(&m->arena, count, sizeof *m->issues);
  if (!m->issues) return;
  for (yaml_node_item_t *it = n->data.sequence.items.start;
       it < n->data.sequence.items.top; it++) {
    yaml_node_t *in = ent_ydoc_node(&L->y, *it);
    if (!ent_ydoc_want_map(&L->y, in, "an issue")) continue;
    ent_ydoc_check_keys(&L->y, in, keys, "an issue");
    size_t errors_before = ent_diag_errors(L->d);
    ent_issue is = {0};
    is.at = ent_scenario_pos(in);
    is.eum = m->eum;
    yaml_node_t *v = ent_scenario_need(L, in, "id", "an issue");
    if (v) is.id = ent_scenario_ident(L, v, "issue id");
    for (size_t q = 0; is.id && q < m->n_issues; q++)
      if (!strcmp(m->issues[q].id, is.id)) {
        ent_ydoc_error(&L->y, v, "duplicate issue id '%s'", is.id);
        is.id = NULL;
        break;
      }
    v = ent_scenario_need(L, in, "question", "an issue");
    if (v) is.question = ent_scenario_text(L, v, "issue question", 1);
    v = ent_ydoc_get(&L->y, in, "why");
    if (v) is.why = ent_scenario_text(L, v, "'why'", 0);
    int scale_ok = 0;
    v = ent_scenario_need(L, in, "scale", "an issue");
    if (v) parse_scale(L, v, &is, &scale_ok);
    v = ent_ydoc_get(&L->y, in, "options");
    if (v) parse_options(L, v, &is.eum, "issue 'options'");
    parse_issue_model(L, in, &is);
    v = ent_scenario_need(L, in, "positions", "an issue");
    if (v) {
      parse_positions(L, v, &is, scale_ok);
      if (ent_diag_errors(L->d) == errors_before) {
        if (is.n_stakes < 2)
          ent_ydoc_error(&L->y, v,
                         "issue '%s' has %zu actor%s: bargaining needs at "
                         "least 2", is.id ? is.id : "?", is.n_stakes,
                         is.n_stakes == 1 ? "" : "s");
        double tw = 0.0;
        for (size_t q = 0; q < is.n_stakes; q++)
          tw += is.stakes[q].capability * is.stakes[q].salience;
        if (is.n_stakes >= 2 && !(tw > 0.0))
          ent_ydoc_error(&L->y, v,
                         "issue '%s': every actor has zero weight "
                         "(capability x salience)", is.id ? is.id : "?");
        if (is.model == ENT_ISSUE_SMP) check_smp_issue(L, v, &is);
      }
    }
    if (ent_diag_errors(L->d) == errors_before) m->issues[m->n_issues++] = is;
  }
}

static void parse_report(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"pairs", NULL};
  ent_model *m = L->m;
  if (!ent_ydoc_want_map(&L->y, n, "'report'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "'report'");
  yaml_node_t *pl = ent_ydoc_get(&L->y, n, "pairs");
  if (!pl || !ent_ydoc_want_seq(&L->y, pl, "'report.pairs'")) return;
  size_t count = (size_t)(pl->data.sequence.items.top -
                          pl->data.sequence.items.start);
  m->pairs = ent_arena_array(&m->arena, count ? count : 1, sizeof *m->pairs);
  if (!m->pairs) return;
  for (yaml_node_item_t *it = pl->data.sequence.items.start;
       it < pl->data.sequence.items.top; it++) {
    yaml_node_t *p = ent_ydoc_node(&L->y, *it);
    if (!ent_ydoc_want_seq(&L->y, p, "a pair")) continue;
    if (p->data.sequence.items.top - p->data.sequence.items.start != 2) {
      ent_ydoc_error(&L->y, p, "a pair must list exactly 2 actor ids");
      continue;
    }
    size_t ids[2];
    int ok = 1;
    for (int k = 0; k < 2; k++) {
      yaml_node_t *e = ent_ydoc_node(&L->y, p->data.sequence.items.start[k]);
      const char *s = ent_ydoc_str(&L->y, e, "an actor id", NULL);
      ids[k] = s ? ent_model_find_actor(m, s) : (size_t)-1;
      if (s && ids[k] == (size_t)-1)
        ent_ydoc_error(&L->y, e, "unknown actor '%.40s' in 'report.pairs'", s);
      if (ids[k] == (size_t)-1) ok = 0;
    }
    if (ok && ids[0] == ids[1]) {
      ent_ydoc_error(&L->y, p, "a pair needs two different actors");
      ok = 0;
    }
    if (ok) {
      m->pairs[m->n_pairs][0] = ids[0];
      m->pairs[m->n_pairs][1] = ids[1];
      m->n_pairs++;
    }
  }
}

static void parse_root(loader *L, yaml_node_t *root) {
  static const char *const keys[] = {
      "scenario", "model",    "report",   "actors", "issues", "time",
      "economy",  "trade",    "shocks",   "channels", "links", "history",
      "dynamics", NULL};
  ent_model *m = L->m;
  if (!ent_ydoc_want_map(&L->y, root, "the scenario file")) return;
  ent_ydoc_check_keys(&L->y, root, keys, "the scenario file");
  yaml_node_t *sc = ent_scenario_need(L, root, "scenario", "the scenario file");
  if (sc && ent_ydoc_want_map(&L->y, sc, "'scenario'")) {
    static const char *const skeys[] = {"id", "title", "description", NULL};
    ent_ydoc_check_keys(&L->y, sc, skeys, "'scenario'");
    yaml_node_t *v = ent_scenario_need(L, sc, "id", "'scenario'");
    if (v) m->id = ent_scenario_ident(L, v, "scenario id");
    v = ent_scenario_need(L, sc, "title", "'scenario'");
    if (v) m->title = ent_scenario_text(L, v, "scenario title", 1);
    v = ent_ydoc_get(&L->y, sc, "description");
    if (v) m->description = ent_scenario_text(L, v, "scenario description", 0);
  }
  /* model options first: issues copy them as their defaults */
  yaml_node_t *v = ent_ydoc_get(&L->y, root, "model");
  if (v) parse_model(L, v);
  v = ent_scenario_need(L, root, "actors", "the scenario file");
  if (v) parse_actors(L, v);
  if (v && L->m->n_actors == 1 && ent_diag_errors(L->d) == 0)
    ent_ydoc_error(&L->y, v, "only one actor: a scenario needs at least 2");
  v = ent_scenario_need(L, root, "issues", "the scenario file");
  if (v) parse_issues(L, v);
  v = ent_ydoc_get(&L->y, root, "report");
  if (v) parse_report(L, v);
  ent_scenario_resolve_uparams(L);
  ent_scenario_parse_structure(L, root);
  ent_scenario_parse_dynamics(L, root);
}

static ent_status load(const char *name, const char *text_, size_t len,
                       const char *stored, size_t stored_len, ent_model **out,
                       ent_diag *d) {
  *out = NULL;
  if (!name) name = "<scenario>";
  ent_diag_set_source(d, name, text_, len);
  size_t errors_before = ent_diag_errors(d);
  if (len == 0 || ent_is_blank(text_, len)) {
    ent_diag_error(d, name, 1, 1, "the scenario is empty");
    return ENT_EINPUT;
  }
  loader L = {0};
  L.file = name;
  L.d = d;
  L.m = ent_model_new();
  if (!L.m) return ENT_ENOMEM;
  ent_eum_opts_default(&L.m->eum);
  ent_status st = ent_ydoc_load(&L.y, name, text_, len, d);
  ent_strbuf bases;
  ent_strbuf_init(&bases);
  if (st == ENT_OK)
    st = ent_variant_resolve(&L.y, d, &bases, 0, stored, stored_len);
  if (st == ENT_OK) {
    parse_root(&L, ent_ydoc_root(&L.y));
    L.m->source = ent_arena_strdup(&L.m->arena, name);
    L.m->text = ent_arena_strndup(&L.m->arena, text_, len);
    L.m->text_len = len;
    if (bases.len) {
      L.m->base_text = ent_arena_strndup(&L.m->arena, bases.data, bases.len);
      L.m->base_len = bases.len;
    }
    if (L.m->arena.failed || bases.failed) st = ENT_ENOMEM;
    else if (ent_diag_errors(d) > errors_before) st = ENT_EINPUT;
  }
  ent_strbuf_free(&bases);
  ent_ydoc_free(&L.y);
  if (st != ENT_OK) {
    ent_model_destroy(L.m);
    return st;
  }
  *out = L.m;
  return ENT_OK;
}

ent_status ent_scenario_load_buffer(const char *name, const char *text,
                                    size_t len, ent_model **out,
                                    ent_diag *d) {
  return load(name, text, len, NULL, 0, out, d);
}

ent_status ent_scenario_load_stored(const char *name, const char *text,
                                    size_t len, const char *base,
                                    size_t base_len, ent_model **out,
                                    ent_diag *d) {
  *out = NULL;
  /* one file base: base_text is its text and a line break */
  if (base && base_len > 1 && base[base_len - 1] == '\n') {
    ent_diag *tmp = ent_diag_create();
    if (!tmp) return ENT_ENOMEM;
    ent_model *m = NULL;
    ent_status st = load(name, text, len, base, base_len - 1, &m, tmp);
    ent_diag_destroy(tmp);
    if (st == ENT_ENOMEM) return st;
    if (st == ENT_OK && m->base_text && m->base_len == base_len &&
        !memcmp(m->base_text, base, base_len)) {
      *out = m;
      return ENT_OK;
    }
    ent_model_destroy(m);
  }
  return load(name, text, len, NULL, 0, out, d);
}

ent_status ent_scenario_load_file(const char *path, ent_model **out,
                                  ent_diag *d) {
  *out = NULL;
  char *buf;
  size_t len;
  ent_status st = ent_fileio_read(path, ENT_MAX_INPUT_BYTES, &buf, &len, d,
                                  "cannot read scenario");
  if (st == ENT_OK) st = ent_scenario_load_buffer(path, buf, len, out, d);
  ent_free(buf);
  return st;
}
