/*
 * scenario_dist.c -- numbers given as distributions (docs/scenario.md,
 * "Uncertain numbers"):
 *
 *   {dist: normal, mean: M, sd: S, min: A, max: B}   min/max optional
 *   {dist: uniform, min: A, max: B}
 *   {dist: triangular, min: A, mode: C, max: B}
 *   {dist: pert, min: A, mode: C, max: B}
 *   {dist: choice, values: [..], weights: [..]}       weights optional
 *
 * each with an optional `why`.  The support must lie inside the range the
 * number's field allows (a position inside its issue's scale, a salience
 * in [0, 100], ...); a normal without min/max is truncated to that range.
 *
 * Invariants of a recorded ent_uparam: lo < hi (choice: lo <= hi), the
 * nominal value is inside [lo, hi], normal: sd > 0 and lo <= mean <= hi,
 * triangular/pert: lo <= mode <= hi, choice: cum increasing to 1.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "input/scenario.h"

int ent_scenario_is_dist(loader *L, yaml_node_t *n) {
  return n && n->type == YAML_MAPPING_NODE && ent_ydoc_get(&L->y, n, "dist");
}

static const char *const dist_names[] = {"normal", "uniform", "triangular",
                                         "pert", "choice"};

/* Keys each kind takes (besides dist and why). */
static int key_fits(ent_dist_kind k, const char *key) {
  switch (k) {
  case ENT_DIST_NORMAL:
    return !strcmp(key, "mean") || !strcmp(key, "sd") || !strcmp(key, "min") ||
           !strcmp(key, "max");
  case ENT_DIST_UNIFORM:
    return !strcmp(key, "min") || !strcmp(key, "max");
  case ENT_DIST_TRIANGULAR:
  case ENT_DIST_PERT:
    return !strcmp(key, "min") || !strcmp(key, "mode") || !strcmp(key, "max");
  case ENT_DIST_CHOICE:
    return !strcmp(key, "values") || !strcmp(key, "weights");
  }
  return 0;
}

/* A required parameter. */
static int param(loader *L, yaml_node_t *map, const char *key,
                 const char *kind, yaml_node_t **node, double *out) {
  *node = ent_ydoc_get(&L->y, map, key);
  if (!*node) {
    ent_ydoc_error(&L->y, map, "a %s distribution needs '%s'", kind, key);
    return -1;
  }
  return ent_ydoc_num(&L->y, *node, key, out);
}

/* An end of the support checked against the field's range. */
static int check_end(loader *L, yaml_node_t *n, const char *end, double v,
                     const char *what, double lo, double hi, unsigned flags) {
  if (v < lo || v > hi) {
    ent_ydoc_error(&L->y, n, "%s %g of the distribution of %s is outside "
                             "[%g, %g]", end, v, what, lo, hi);
    return -1;
  }
  if ((flags & ENT_NUM_ABOVE_LO) && !(v > lo)) {
    ent_ydoc_error(&L->y, n, "%s %g of the distribution of %s must be above "
                             "%g", end, v, what, lo);
    return -1;
  }
  return 0;
}

static int parse_choice(loader *L, yaml_node_t *map, const char *what,
                        double lo, double hi, unsigned flags, ent_dist *dd) {
  yaml_node_t *vs = ent_ydoc_get(&L->y, map, "values");
  if (!vs) {
    ent_ydoc_error(&L->y, map, "a choice distribution needs 'values'");
    return -1;
  }
  if (!ent_ydoc_want_seq(&L->y, vs, "'values'")) return -1;
  size_t n = (size_t)(vs->data.sequence.items.top - vs->data.sequence.items.start);
  if (n == 0 || n > 1000) {
    ent_ydoc_error(&L->y, vs, "'values' of a choice needs 1 to 1000 values, "
                              "not %zu", n);
    return -1;
  }
  yaml_node_t *ws = ent_ydoc_get(&L->y, map, "weights");
  if (ws) {
    if (!ent_ydoc_want_seq(&L->y, ws, "'weights'")) return -1;
    size_t nw = (size_t)(ws->data.sequence.items.top -
                         ws->data.sequence.items.start);
    if (nw != n) {
      ent_ydoc_error(&L->y, ws, "a choice has %zu values but %zu weights", n,
                     nw);
      return -1;
    }
  }
  double *val = ent_arena_array(&L->m->arena, n, sizeof *val);
  double *cum = ent_arena_array(&L->m->arena, n, sizeof *cum);
  if (!val || !cum) return -1;
  int bad = 0;
  double total = 0.0;
  dd->lo = INFINITY;
  dd->hi = -INFINITY;
  for (size_t k = 0; k < n; k++) {
    yaml_node_t *e = ent_ydoc_node(&L->y, vs->data.sequence.items.start[k]);
    if (ent_ydoc_num(&L->y, e, what, &val[k]) ||
        check_end(L, e, "value", val[k], what, lo, hi, flags)) {
      bad = 1;
      continue;
    }
    double w = 1.0;
    if (ws) {
      yaml_node_t *we = ent_ydoc_node(&L->y, ws->data.sequence.items.start[k]);
      if (ent_ydoc_num(&L->y, we, "weight", &w)) {
        bad = 1;
        continue;
      }
      if (w < 0.0) {
        ent_ydoc_error(&L->y, we, "weight %g of a choice must be >= 0", w);
        bad = 1;
        continue;
      }
    }
    total += w;
    cum[k] = total;
    if (val[k] < dd->lo) dd->lo = val[k];
    if (val[k] > dd->hi) dd->hi = val[k];
  }
  if (bad) return -1;
  if (!(total > 0.0) || !isfinite(total)) {
    ent_ydoc_error(&L->y, ws ? ws : vs, "the weights of a choice must add "
                                        "up to a positive finite number");
    return -1;
  }
  for (size_t k = 0; k < n; k++) cum[k] /= total;
  cum[n - 1] = 1.0;
  dd->values = val;
  dd->cum = cum;
  dd->n = n;
  return 0;
}

/* Reads the distribution mapping `map` of the uncertain number `what`
 * (docs/scenario.md, "Uncertain numbers") into dd, checked against
 * [lo, hi] and flags; 0, or -1 after reporting.
 * Long: one switch over the distribution kinds, each kind's parameters
 * and their checks side by side, so that the rules of the kinds can be
 * read against each other and against the docs table. */
static int parse_dist(loader *L, yaml_node_t *map, const char *what,
                      double lo, double hi, unsigned flags, ent_dist *dd,
                      double *nominal, const char **why) {
  static const char *const keys[] = {"dist", "mean",   "sd",      "min", "max",
                                     "mode", "values", "weights", "why", NULL};
  memset(dd, 0, sizeof *dd);
  *why = NULL;
  if (ent_ydoc_check_keys(&L->y, map, keys, "a distribution")) return -1;
  yaml_node_t *kn = ent_ydoc_get(&L->y, map, "dist");
  const char *ks = ent_ydoc_str(&L->y, kn, "dist", NULL);
  if (!ks) return -1;
  int kind = -1;
  for (int q = 0; q < 5; q++)
    if (!strcmp(ks, dist_names[q])) kind = q;
  if (kind < 0) {
    ent_ydoc_error(&L->y, kn, "unknown distribution '%.40s' (normal, uniform, "
                              "triangular, pert, choice)", ks);
    return -1;
  }
  dd->kind = (ent_dist_kind)kind;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
       p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *k = ent_ydoc_node(&L->y, p->key);
    const char *key = k && k->type == YAML_SCALAR_NODE
                          ? (const char *)k->data.scalar.value
                          : "";
    if (strcmp(key, "dist") && strcmp(key, "why") && !key_fits(dd->kind, key)) {
      ent_ydoc_error(&L->y, k, "'%s' does not apply to a %s distribution", key,
                     ks);
      return -1;
    }
  }
  yaml_node_t *w = ent_ydoc_get(&L->y, map, "why");
  if (w) {
    *why = ent_scenario_text(L, w, "'why'", 0);
    if (!*why) return -1;
  }
  yaml_node_t *na = NULL, *nb = NULL, *nc = NULL;
  switch (dd->kind) {
  case ENT_DIST_NORMAL: {
    double mean, sd;
    if (param(L, map, "mean", ks, &na, &mean) ||
        param(L, map, "sd", ks, &nb, &sd))
      return -1;
    if (!(sd > 0.0)) {
      ent_ydoc_error(&L->y, nb, "sd %g of a normal distribution must be "
                                "positive", sd);
      return -1;
    }
    dd->a = mean;
    dd->b = sd;
    dd->lo = lo;
    dd->hi = hi;
    yaml_node_t *mn = ent_ydoc_get(&L->y, map, "min");
    yaml_node_t *mx = ent_ydoc_get(&L->y, map, "max");
    if (mn && (ent_ydoc_num(&L->y, mn, "min", &dd->lo) ||
               check_end(L, mn, "min", dd->lo, what, lo, hi, flags)))
      return -1;
    if (mx && (ent_ydoc_num(&L->y, mx, "max", &dd->hi) ||
               check_end(L, mx, "max", dd->hi, what, lo, hi, flags &
                                                     ~ENT_NUM_ABOVE_LO)))
      return -1;
    if (!(dd->lo < dd->hi)) {
      ent_ydoc_error(&L->y, mn ? mn : map, "min %g must be less than max %g",
                     dd->lo, dd->hi);
      return -1;
    }
    if (mean < dd->lo || mean > dd->hi) {
      ent_ydoc_error(&L->y, na, "mean %g of the distribution of %s is outside "
                                "[%g, %g]", mean, what, dd->lo, dd->hi);
      return -1;
    }
    dd->plo = gsl_cdf_ugaussian_P((dd->lo - mean) / sd);
    dd->phi = gsl_cdf_ugaussian_P((dd->hi - mean) / sd);
    if (!(dd->phi > dd->plo)) {
      ent_ydoc_error(&L->y, nb, "sd %g is too small for the range [%g, %g]", sd,
                     dd->lo, dd->hi);
      return -1;
    }
    *nominal = mean;
    return 0;
  }
  case ENT_DIST_UNIFORM:
  case ENT_DIST_TRIANGULAR:
  case ENT_DIST_PERT: {
    double a, b, c = 0.0;
    if (param(L, map, "min", ks, &na, &a) || param(L, map, "max", ks, &nb, &b))
      return -1;
    if (dd->kind != ENT_DIST_UNIFORM && param(L, map, "mode", ks, &nc, &c))
      return -1;
    if (!(a < b)) {
      ent_ydoc_error(&L->y, na, "min %g must be less than max %g", a, b);
      return -1;
    }
    if (check_end(L, na, "min", a, what, lo, hi, flags) ||
        check_end(L, nb, "max", b, what, lo, hi, flags & ~ENT_NUM_ABOVE_LO))
      return -1;
    dd->lo = a;
    dd->hi = b;
    if (dd->kind == ENT_DIST_UNIFORM) {
      *nominal = a + 0.5 * (b - a);
      return 0;
    }
    if (c < a || c > b) {
      ent_ydoc_error(&L->y, nc, "mode %g is outside [min %g, max %g]", c, a, b);
      return -1;
    }
    dd->a = c;
    if (dd->kind == ENT_DIST_PERT) {
      dd->alpha = 1.0 + 4.0 * (c - a) / (b - a);
      dd->beta = 1.0 + 4.0 * (b - c) / (b - a);
    }
    *nominal = c;
    return 0;
  }
  case ENT_DIST_CHOICE: {
    if (parse_choice(L, map, what, lo, hi, flags, dd)) return -1;
    size_t best = 0;
    double bp = dd->cum[0];
    for (size_t k = 1; k < dd->n; k++)
      if (dd->cum[k] - dd->cum[k - 1] > bp) {
        best = k;
        bp = dd->cum[k] - dd->cum[k - 1];
      }
    *nominal = dd->values[best];
    return 0;
  }
  }
  return -1;
}

/* Append p to the model's uncertain numbers (arena, doubling). */
static int add_uparam(loader *L, const ent_uparam *p) {
  ent_model *m = L->m;
  if (m->n_uparams == m->cap_uparams) {
    size_t cap = m->cap_uparams ? 2 * m->cap_uparams : 16;
    ent_uparam *np = ent_arena_array(&m->arena, cap, sizeof *np);
    if (!np) return -1;
    if (m->n_uparams) memcpy(np, m->uparams, m->n_uparams * sizeof *np);
    m->uparams = np;
    m->cap_uparams = cap;
  }
  m->uparams[m->n_uparams++] = *p;
  return 0;
}

int ent_scenario_number(loader *L, yaml_node_t *n, const char *what, double lo,
                   double hi, unsigned flags, double *out,
                   const ent_utarget *tgt, const char *name, int *is_dist) {
  if (is_dist) *is_dist = 0;
  if (!ent_scenario_is_dist(L, n) || !tgt)
    return flags & ENT_NUM_SCALAR_RANGE ? ent_ydoc_num_in(&L->y, n, what, lo, hi, out)
                                        : ent_ydoc_num(&L->y, n, what, out);
  if (is_dist) *is_dist = 1;
  ent_uparam p;
  memset(&p, 0, sizeof p);
  if (parse_dist(L, n, what, lo, hi, flags, &p.dist, &p.nominal, &p.why))
    return -1;
  p.name = ent_arena_strdup(&L->m->arena, name);
  p.file = ent_arena_strdup(&L->m->arena, ent_ydoc_file_of(&L->y, n));
  p.at = ent_scenario_pos(n);
  p.tgt = *tgt;
  if (!p.name || !p.file || add_uparam(L, &p)) return -1;
  *out = p.nominal;
  return 0;
}

void ent_scenario_resolve_uparams(loader *L) {
  ent_model *m = L->m;
  for (size_t u = 0; u < m->n_uparams; u++) {
    ent_utarget *t = &m->uparams[u].tgt;
    if (t->kind != ENT_UT_STAKE_POSITION && t->kind != ENT_UT_STAKE_SALIENCE &&
        t->kind != ENT_UT_STAKE_CAPABILITY && t->kind != ENT_UT_STAKE_IDEAL)
      continue;
    if (t->i >= m->n_issues) continue; /* the load failed anyway */
    const ent_issue *is = &m->issues[t->i];
    for (size_t k = 0; k < is->n_stakes; k++)
      if (is->stakes[k].actor == t->j) {
        t->j = k;
        break;
      }
  }
}
