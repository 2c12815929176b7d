/*
 * scenario_links.c -- the links between the layers of a scenario
 * (docs/scenario.md, "Links"; docs/dynamics.md for the drivers of the
 * strategic layer): their source (an indicator of a pair or a bloc, or an
 * issue's forecast), target (an actor's capability, salience or position
 * on issues; a trade cost; a channel) and form, each checked with its
 * position; contradictory links (two elasticities on one target) and
 * cycles among issue links are refused.
 */
#include <stdio.h>
#include <string.h>

#include "input/scenario.h"

static size_t find_channel(const ent_structure *st, const char *id) {
  for (size_t i = 0; i < st->n_channels; i++)
    if (!strcmp(st->channels[i].id, id)) return i;
  return (size_t)-1;
}

static size_t issue_ref(loader *L, yaml_node_t *n) {
  const char *id = ent_ydoc_str(&L->y, n, "an issue id", NULL);
  if (!id) return (size_t)-1;
  size_t i = ent_model_find_issue(L->m, id);
  if (i == (size_t)-1)
    ent_ydoc_error(&L->y, n, "unknown issue '%.40s' in a link", id);
  return i;
}

static void parse_link_source(loader *L, yaml_node_t *n, ent_link *lk) {
  static const char *const keys[] = {"indicator", "entity", "issue", NULL};
  if (!ent_ydoc_want_map(&L->y, n, "link 'from'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "link 'from'");
  yaml_node_t *ind = ent_ydoc_get(&L->y, n, "indicator");
  yaml_node_t *iss = ent_ydoc_get(&L->y, n, "issue");
  if ((ind != NULL) == (iss != NULL)) {
    ent_ydoc_error(&L->y, n, "link 'from' needs exactly one of 'indicator' "
                             "and 'issue'");
    return;
  }
  if (iss) {
    lk->src = ENT_LINK_FROM_ISSUE;
    lk->src_issue = issue_ref(L, iss);
    return;
  }
  lk->src = ENT_LINK_FROM_INDICATOR;
  const char *name = ent_ydoc_str(&L->y, ind, "indicator", NULL);
  if (name) {
    lk->indicator = ent_model_indicator_find(name);
    if (lk->indicator < 0) {
      char list[512] = "";
      for (int q = 0; q < ENT_IND_COUNT; q++) {
        if (q) strcat(list, ", ");
        strcat(list, ent_model_indicator_name(q));
      }
      ent_ydoc_error(&L->y, ind, "unknown indicator '%.40s' (one of: %s)", name,
                     list);
    }
  }
  yaml_node_t *e = ent_scenario_need(L, n, "entity", "link 'from'");
  const char *es = e ? ent_ydoc_str(&L->y, e, "entity", NULL) : NULL;
  if (es && lk->indicator == ENT_IND_SANCTIONS_PRESSURE) {
    /* an index of one bloc */
    lk->ent_a = lk->ent_b = ent_model_find_bloc(L->m, es);
    if (lk->ent_a == (size_t)-1)
      ent_ydoc_error(&L->y, e, "unknown bloc '%.40s' (sanctions_pressure is "
                               "an index of one bloc)", es);
  } else if (es) {
    ent_scenario_pair_of(L, e, es, &lk->ent_a, &lk->ent_b);
  }
}

static void parse_link_target(loader *L, yaml_node_t *n, ent_link *lk) {
  static const char *const keys[] = {"issues", "issue", "actor", "field",
                                     "trade", "channel", NULL};
  static const char *const tkeys[] = {"from", "to", "both", NULL};
  ent_model *m = L->m;
  if (!ent_ydoc_want_map(&L->y, n, "link 'to'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "link 'to'");
  yaml_node_t *tr = ent_ydoc_get(&L->y, n, "trade");
  yaml_node_t *chn = ent_ydoc_get(&L->y, n, "channel");
  yaml_node_t *act = ent_ydoc_get(&L->y, n, "actor");
  int kinds = (tr != NULL) + (chn != NULL) + (act != NULL);
  if (kinds != 1) {
    ent_ydoc_error(&L->y, n, "link 'to' needs exactly one target: 'actor' "
                             "(with 'issues' and 'field'), 'trade' or "
                             "'channel'");
    return;
  }
  if (tr) {
    lk->tgt = ENT_LINK_TO_TRADE;
    if (!ent_ydoc_want_map(&L->y, tr, "link 'trade'")) return;
    ent_ydoc_check_keys(&L->y, tr, tkeys, "link 'trade'");
    yaml_node_t *v = ent_scenario_need(L, tr, "from", "link 'trade'");
    if (v) lk->from = ent_scenario_bloc_list(L, v, "link 'trade.from'", &lk->n_from);
    v = ent_scenario_need(L, tr, "to", "link 'trade'");
    if (v) lk->to = ent_scenario_bloc_list(L, v, "link 'trade.to'", &lk->n_to);
    v = ent_ydoc_get(&L->y, tr, "both");
    if (v) ent_scenario_flag(L, v, "both", &lk->both);
    return;
  }
  if (chn) {
    lk->tgt = ENT_LINK_TO_CHANNEL;
    const char *id = ent_ydoc_str(&L->y, chn, "a channel id", NULL);
    if (!id) return;
    lk->channel = find_channel(m->st, id);
    if (lk->channel == (size_t)-1)
      ent_ydoc_error(&L->y, chn, "unknown channel '%.40s' in a link", id);
    return;
  }
  lk->tgt = ENT_LINK_TO_STAKE;
  const char *aid = ent_ydoc_str(&L->y, act, "an actor id", NULL);
  if (aid) {
    lk->actor = ent_model_find_actor(m, aid);
    if (lk->actor == (size_t)-1)
      ent_ydoc_error(&L->y, act, "unknown actor '%.40s' in a link", aid);
  }
  yaml_node_t *fld = ent_scenario_need(L, n, "field", "link 'to'");
  const char *fs = fld ? ent_ydoc_str(&L->y, fld, "field", NULL) : NULL;
  if (fs && !strcmp(fs, "capability")) lk->field = ENT_FIELD_CAPABILITY;
  else if (fs && !strcmp(fs, "salience")) lk->field = ENT_FIELD_SALIENCE;
  else if (fs && !strcmp(fs, "position")) lk->field = ENT_FIELD_POSITION;
  else if (fs)
    ent_ydoc_error(&L->y, fld, "field must be 'capability', 'salience' or "
                               "'position', not '%.20s'", fs);
  yaml_node_t *is = ent_ydoc_get(&L->y, n, "issues");
  yaml_node_t *one = ent_ydoc_get(&L->y, n, "issue");
  if ((is != NULL) == (one != NULL)) {
    ent_ydoc_error(&L->y, n, "a stake link needs 'issues' (a list) or "
                             "'issue'");
    return;
  }
  size_t cap = 1;
  if (is) {
    if (!ent_ydoc_want_seq(&L->y, is, "link 'issues'")) return;
    cap = (size_t)(is->data.sequence.items.top - is->data.sequence.items.start);
    if (cap == 0) {
      ent_ydoc_error(&L->y, is, "link 'issues' is empty");
      return;
    }
  }
  lk->issues = ent_arena_array(&m->arena, cap, sizeof *lk->issues);
  if (!lk->issues) return;
  for (size_t k = 0; k < cap; k++) {
    yaml_node_t *e =
        is ? ent_ydoc_node(&L->y, is->data.sequence.items.start[k]) : one;
    size_t ii = issue_ref(L, e);
    if (ii == (size_t)-1) continue;
    if (lk->actor != (size_t)-1) {
      int has = 0;
      for (size_t q = 0; q < m->issues[ii].n_stakes; q++)
        if (m->issues[ii].stakes[q].actor == lk->actor) has = 1;
      if (!has) {
        ent_ydoc_error(&L->y, e, "actor '%s' has no position on issue '%s'",
                       m->actors[lk->actor].id, m->issues[ii].id);
        continue;
      }
    }
    lk->issues[lk->n_issues++] = ii;
  }
}

/* Two links on one target contradict each other. */
static int same_target(const ent_link *a, const ent_link *b, char *what,
                       size_t size, const ent_model *m) {
  if (a->tgt != b->tgt) return 0;
  if (a->tgt == ENT_LINK_TO_CHANNEL) {
    if (a->channel != b->channel) return 0;
    int ta = a->form == ENT_FORM_THRESHOLD, tb = b->form == ENT_FORM_THRESHOLD;
    if (ta != tb) return 0; /* one decides, the other scales: compatible */
    snprintf(what, size, "channel '%s'", m->st->channels[a->channel].id);
    return 1;
  }
  if (a->tgt == ENT_LINK_TO_STAKE) {
    /* shifts and pulls add up in declaration order; two elasticities on
     * one target would each claim the same base value */
    if (a->form != ENT_FORM_ELASTICITY || b->form != ENT_FORM_ELASTICITY)
      return 0;
    if (a->actor != b->actor || a->field != b->field) return 0;
    for (size_t i = 0; i < a->n_issues; i++)
      for (size_t j = 0; j < b->n_issues; j++)
        if (a->issues[i] == b->issues[j]) {
          snprintf(what, size, "the %s of '%s' on issue '%s'",
                   a->field == ENT_FIELD_CAPABILITY ? "capability"
                   : a->field == ENT_FIELD_SALIENCE ? "salience"
                                                    : "position",
                   m->actors[a->actor].id, m->issues[a->issues[i]].id);
          return 1;
        }
    return 0;
  }
  /* trade: any common ordered pair */
  for (int da = 0; da <= a->both; da++)
    for (int db = 0; db <= b->both; db++)
      for (size_t i = 0; i < a->n_from; i++)
        for (size_t j = 0; j < a->n_to; j++)
          for (size_t k = 0; k < b->n_from; k++)
            for (size_t l = 0; l < b->n_to; l++) {
              size_t ea = da ? a->to[j] : a->from[i],
                     ia = da ? a->from[i] : a->to[j];
              size_t eb = db ? b->to[l] : b->from[k],
                     ib = db ? b->from[k] : b->to[l];
              if (ea == eb && ia == ib) {
                snprintf(what, size, "the trade cost %s->%s",
                         m->st->blocs[ea].id, m->st->blocs[ia].id);
                return 1;
              }
            }
  return 0;
}

/* `ref`: the source's level at which the link has no effect (else the
 * base-year value).  An elasticity needs a positive ref; an issue source a
 * ref on the issue's scale. */
static void parse_ref(loader *L, yaml_node_t *ln, ent_link *lk,
                      const char *lid, ent_utarget *t) {
  yaml_node_t *v = ent_ydoc_get(&L->y, ln, "ref");
  if (!v) return;
  if (lk->form == ENT_FORM_THRESHOLD || lk->form == ENT_FORM_SCALE) {
    ent_ydoc_error(&L->y, v, "'ref' is for elasticity, beta, shift and pull "
                             "links");
    return;
  }
  char name[160];
  snprintf(name, sizeof name, "links.%s.ref", lid);
  t->kind = ENT_UT_LINK_REF;
  double lo = -1e12, hi = 1e12;
  if (lk->src == ENT_LINK_FROM_ISSUE) {
    lo = L->m->issues[lk->src_issue].lo;
    hi = L->m->issues[lk->src_issue].hi;
  }
  if (ent_scenario_number(L, v, "ref", lo, hi, ENT_NUM_SCALAR_RANGE, &lk->ref,
                          t, name, NULL))
    return;
  if (lk->form == ENT_FORM_ELASTICITY && lk->src == ENT_LINK_FROM_INDICATOR &&
      !(lk->ref > 0.0)) {
    ent_ydoc_error(&L->y, v, "an elasticity link needs a positive 'ref' (the "
                             "ratio v / ref is raised to the elasticity)");
    return;
  }
  lk->has_ref = 1;
}

/* A pull link: toward an actor with a stake on every target issue, a rate
 * per unit of the source above ref, a cap in [0, 1]. */
static void parse_pull(loader *L, yaml_node_t *ln, ent_link *lk,
                       const char *lid, ent_utarget *t) {
  const ent_model *m = L->m;
  char name[160];
  yaml_node_t *v = ent_scenario_need(L, ln, "toward", "a pull link");
  const char *aid = v ? ent_ydoc_str(&L->y, v, "an actor id", NULL) : NULL;
  lk->toward = (size_t)-1;
  if (aid) {
    lk->toward = ent_model_find_actor(m, aid);
    if (lk->toward == (size_t)-1) {
      ent_ydoc_error(&L->y, v, "unknown actor '%.40s' in a link", aid);
    } else if (lk->toward == lk->actor) {
      ent_ydoc_error(&L->y, v, "a pull link pulls '%s' toward itself", aid);
      lk->toward = (size_t)-1;
    } else {
      for (size_t k = 0; k < lk->n_issues; k++) {
        const ent_issue *is = &m->issues[lk->issues[k]];
        int has = 0;
        for (size_t q = 0; q < is->n_stakes; q++)
          if (is->stakes[q].actor == lk->toward) has = 1;
        if (!has) {
          ent_ydoc_error(&L->y, v, "actor '%s' has no position on issue '%s' "
                                   "to pull toward", aid, is->id);
          lk->toward = (size_t)-1;
          break;
        }
      }
    }
  }
  v = ent_scenario_need(L, ln, "rate", "a pull link");
  t->kind = ENT_UT_LINK_RATE;
  snprintf(name, sizeof name, "links.%s.rate", lid);
  if (v)
    ent_scenario_number(L, v, "rate", -1e9, 1e9, ENT_NUM_SCALAR_RANGE,
                        &lk->rate, t, name, NULL);
  lk->max = 1.0;
  v = ent_ydoc_get(&L->y, ln, "max");
  if (v) ent_ydoc_num_in(&L->y, v, "max", 0.0, 1.0, &lk->max);
}

/* Reads the `links` sequence (docs/dynamics.md): for each link its ends,
 * its form and the parameters that form takes.
 * Long: a key-by-key reading of each link in the order of the docs, each
 * key's checks beside it (one line over the limit). */
void ent_scenario_parse_links(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"id",    "from",  "to",  "form",
                                     "elasticity", "beta_at_max", "above",
                                     "ref",   "slope", "toward", "rate",
                                     "max",   "why",   NULL};
  ent_model *m = L->m;
  ent_structure *st = m->st;
  if (!ent_ydoc_want_seq(&L->y, n, "'links'")) return;
  size_t count = (size_t)(n->data.sequence.items.top -
                          n->data.sequence.items.start);
  st->links = ent_arena_array(&m->arena, count ? count : 1, sizeof *st->links);
  if (!st->links) return;
  for (yaml_node_item_t *it = n->data.sequence.items.start;
       it < n->data.sequence.items.top; it++) {
    yaml_node_t *ln = ent_ydoc_node(&L->y, *it);
    if (!ent_ydoc_want_map(&L->y, ln, "a link")) continue;
    ent_ydoc_check_keys(&L->y, ln, keys, "a link");
    size_t before = ent_diag_errors(L->d);
    ent_link lk = {0};
    lk.at = ent_scenario_pos(ln);
    lk.actor = lk.channel = lk.src_issue = lk.toward = (size_t)-1;
    lk.indicator = -1;
    yaml_node_t *v = ent_scenario_need(L, ln, "id", "a link");
    if (v) lk.id = ent_scenario_ident(L, v, "link id");
    for (size_t q = 0; lk.id && q < st->n_links; q++)
      if (!strcmp(st->links[q].id, lk.id))
        ent_ydoc_error(&L->y, v, "duplicate link id '%s'", lk.id);
    v = ent_scenario_need(L, ln, "from", "a link");
    if (v) parse_link_source(L, v, &lk);
    v = ent_scenario_need(L, ln, "to", "a link");
    if (v) parse_link_target(L, v, &lk);
    yaml_node_t *fv = ent_scenario_need(L, ln, "form", "a link");
    const char *fs = fv ? ent_ydoc_str(&L->y, fv, "form", NULL) : NULL;
    if (ent_diag_errors(L->d) != before || !fs) continue;
    int ok = 1;
    char name[160];
    const char *lid = lk.id ? lk.id : "?";
    ent_utarget t = {ENT_UT_LINK_ELASTICITY, st->n_links, 0, 0, 0, 0};
    if (!strcmp(fs, "elasticity")) {
      lk.form = ENT_FORM_ELASTICITY;
      ok = lk.tgt == ENT_LINK_TO_STAKE;
      v = ent_scenario_need(L, ln, "elasticity", "an elasticity link");
      snprintf(name, sizeof name, "links.%s.elasticity", lid);
      if (v)
        ent_scenario_number(L, v, "elasticity", -10.0, 10.0, ENT_NUM_SCALAR_RANGE,
                       &lk.elasticity, &t, name, NULL);
    } else if (!strcmp(fs, "beta")) {
      lk.form = ENT_FORM_BETA;
      ok = lk.tgt == ENT_LINK_TO_TRADE && lk.src == ENT_LINK_FROM_ISSUE;
      v = ent_scenario_need(L, ln, "beta_at_max", "a beta link");
      t.kind = ENT_UT_LINK_BETA_AT_MAX;
      snprintf(name, sizeof name, "links.%s.beta_at_max", lid);
      if (v)
        ent_scenario_number(L, v, "beta_at_max", -20.0, 5.0, ENT_NUM_SCALAR_RANGE,
                       &lk.beta_at_max, &t, name, NULL);
    } else if (!strcmp(fs, "threshold")) {
      lk.form = ENT_FORM_THRESHOLD;
      ok = lk.tgt == ENT_LINK_TO_CHANNEL && lk.src == ENT_LINK_FROM_ISSUE;
      v = ent_scenario_need(L, ln, "above", "a threshold link");
      t.kind = ENT_UT_LINK_ABOVE;
      snprintf(name, sizeof name, "links.%s.above", lid);
      double alo = ok ? m->issues[lk.src_issue].lo : -1e12;
      double ahi = ok ? m->issues[lk.src_issue].hi : 1e12;
      if (v && ok &&
          !ent_scenario_number(L, v, "above", alo, ahi, 0, &lk.above, &t, name,
                          NULL)) {
        const ent_issue *is = &m->issues[lk.src_issue];
        if (lk.above < is->lo || lk.above > is->hi)
          ent_ydoc_error(&L->y, v, "threshold %g is outside the scale [%g, %g] "
                                   "of issue '%s'", lk.above, is->lo, is->hi,
                         is->id);
      }
    } else if (!strcmp(fs, "scale")) {
      lk.form = ENT_FORM_SCALE;
      ok = lk.tgt == ENT_LINK_TO_CHANNEL;
    } else if (!strcmp(fs, "shift")) {
      lk.form = ENT_FORM_SHIFT;
      ok = lk.tgt == ENT_LINK_TO_STAKE;
      v = ent_scenario_need(L, ln, "slope", "a shift link");
      t.kind = ENT_UT_LINK_SLOPE;
      snprintf(name, sizeof name, "links.%s.slope", lid);
      if (v)
        ent_scenario_number(L, v, "slope", -1e9, 1e9, ENT_NUM_SCALAR_RANGE,
                            &lk.slope, &t, name, NULL);
    } else if (!strcmp(fs, "pull")) {
      lk.form = ENT_FORM_PULL;
      ok = lk.tgt == ENT_LINK_TO_STAKE && lk.field == ENT_FIELD_POSITION;
      if (ok) parse_pull(L, ln, &lk, lid, &t);
    } else {
      ent_ydoc_error(&L->y, fv, "unknown link form '%.20s' (elasticity, beta, "
                                "threshold, scale, shift, pull)", fs);
      continue;
    }
    if (!ok) {
      ent_ydoc_error(&L->y, fv, "form '%s' does not fit this link (elasticity, "
                                "shift: -> actor stake; pull: -> actor "
                                "position; beta: issue -> trade; threshold: "
                                "issue -> channel; scale: -> channel)", fs);
      continue;
    }
    if (lk.form == ENT_FORM_ELASTICITY && lk.field == ENT_FIELD_POSITION) {
      ent_ydoc_error(&L->y, fv, "a position moves by 'shift' or 'pull', not "
                                "by an elasticity");
      continue;
    }
    parse_ref(L, ln, &lk, lid, &t);
    if (ent_diag_errors(L->d) != before) continue;
    char what[200];
    for (size_t q = 0; q < st->n_links; q++)
      if (same_target(&st->links[q], &lk, what, sizeof what, m)) {
        ent_ydoc_error(&L->y, ln, "links '%s' and '%s' both set %s: "
                                  "contradictory links", st->links[q].id,
                       lk.id, what);
        break;
      }
    if (ent_diag_errors(L->d) == before) {
      if (lk.form == ENT_FORM_THRESHOLD) st->channels[lk.channel].conditional = 1;
      st->links[st->n_links++] = lk;
    }
  }
}

/* Order issues so that an issue feeding another (issue -> stake link)
 * is bargained first; report cycles.  Kahn's algorithm, lowest index
 * first among ready issues (deterministic). */
void ent_scenario_order_issues(loader *L, yaml_node_t *links_node) {
  ent_model *m = L->m;
  ent_structure *st = m->st;
  size_t n = m->n_issues;
  st->issue_order = ent_arena_array(&m->arena, n ? n : 1, sizeof(size_t));
  size_t *indeg = ent_arena_array(&m->arena, n ? n : 1, sizeof(size_t));
  unsigned char *done = ent_arena_alloc(&m->arena, n ? n : 1);
  if (!st->issue_order || !indeg || !done) return;
  for (size_t l = 0; l < st->n_links; l++) {
    const ent_link *lk = &st->links[l];
    if (lk->src != ENT_LINK_FROM_ISSUE || lk->tgt != ENT_LINK_TO_STAKE) continue;
    for (size_t k = 0; k < lk->n_issues; k++) indeg[lk->issues[k]]++;
  }
  for (size_t pos = 0; pos < n; pos++) {
    size_t pick = (size_t)-1;
    for (size_t i = 0; i < n && pick == (size_t)-1; i++)
      if (!done[i] && indeg[i] == 0) pick = i;
    if (pick == (size_t)-1) {
      /* every remaining issue waits on another: a cycle */
      for (size_t l = 0; l < st->n_links; l++) {
        const ent_link *lk = &st->links[l];
        if (lk->src == ENT_LINK_FROM_ISSUE && lk->tgt == ENT_LINK_TO_STAKE &&
            !done[lk->src_issue]) {
          yaml_node_t *where = links_node;
          ent_diag_error(L->d, L->file, lk->at.line ? lk->at.line
                                                    : ent_ynode_line(where),
                         lk->at.col ? lk->at.col : ent_ynode_col(where),
                         "link '%s' is part of a cycle of links between issues "
                         "(issue '%s' depends on itself)", lk->id,
                         m->issues[lk->src_issue].id);
          return;
        }
      }
      return;
    }
    done[pick] = 1;
    st->issue_order[pos] = pick;
    for (size_t l = 0; l < st->n_links; l++) {
      const ent_link *lk = &st->links[l];
      if (lk->src != ENT_LINK_FROM_ISSUE || lk->tgt != ENT_LINK_TO_STAKE ||
          lk->src_issue != pick)
        continue;
      for (size_t k = 0; k < lk->n_issues; k++) indeg[lk->issues[k]]--;
    }
  }
}

