/*
 * result_json.c -- a result document read back into a result tree
 * (result_json.h).  Keys read (others are ignored; the names are those
 * `entente run` and `entente forecast` write):
 *   scenario {id, title, source}, version, runs, seed, design, done,
 *   complete, samples, failed, first_failure, quantiles {method, k, levels,
 *   rank_error}, created / started / finished, time {start, end},
 *   actors[] {id, name, kind};
 *   series[] {variable, entity, year, unit, n, mean, sd, q05..q95} (a
 *            forecast) or {variable, entity, year, unit, value} (a run);
 *   issues[] {id, question, scale {min, max, anchors[] {at, label}},
 *             outcome {n, mean, sd, q05..q95} (a forecast) or forecast
 *             {median, mean} (a run), initial {median, mean},
 *             ranges[] {label, at, from, to, probability},
 *             thresholds[] {label, at, probability, by_year[] {year,
 *             probability}},
 *             relations[] {from, to, conflict, ..., none} (a forecast) or
 *             dyads[] {from, to, relation} (a run)};
 *   sensitivity {method, about, note, outputs[] {variable, entity, year,
 *                r2, inputs[] {input, src | first_order, total}}};
 * or, for the scores of a ledger (`entente score --format json`, a
 * document with `questions` and `reliability`; output/score_render.c):
 *   ledger, version, runs, seed, ex_ante, fit_until, log_clip,
 *   questions[] {id, as_of, question, variable, entity, year, op,
 *                threshold, threshold2, outcome, probability, members,
 *                fitted, baselines {uniform, persistence, starting_mean}},
 *   scores / fitted / later {brier, log, n, baselines {uniform,
 *                persistence, starting_mean {..., model_brier, model_log}}},
 *   reliability[10] {from, to, n, mean_probability, observed}.
 *
 * Positions: cJSON keeps no positions, so the offset of a node is found by
 * walking the text in step with a pre-order walk of the tree cJSON built
 * from it (cJSON keeps every member, duplicates included, in text order);
 * at most MAX_DOC_ERRORS problems are listed, as each costs a walk.
 *
 * Memory: the cJSON tree lives while reading; everything kept is copied
 * into the result's arena.
 */
#include "input/result_json.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"

typedef struct reader {
  const char *name, *text;
  size_t len;
  ent_diag *d;
  int errors;
  ent_status st;      /* sticky failure (out of memory) */
  cJSON *root;
  const ent_model *m; /* the scenario: given, or a built-in loaded here */
  ent_result *r;
  int bands_seen;
} reader;

/* ------------------------------------------------ document positions */

typedef struct scan {
  const char *t;
  size_t n, i, found;
  const cJSON *target;
} scan;

static void sk_ws(scan *s) {
  while (s->i < s->n && (s->t[s->i] == ' ' || s->t[s->i] == '\t' ||
                         s->t[s->i] == '\r' || s->t[s->i] == '\n'))
    s->i++;
}

static void sk_string(scan *s) {
  s->i++;
  while (s->i < s->n && s->t[s->i] != '"') s->i += s->t[s->i] == '\\' ? 2 : 1;
  s->i++;
}

static int sk_value(scan *s, const cJSON *node, int depth) {
  sk_ws(s);
  if (node && node == s->target) {
    s->found = s->i;
    return 1;
  }
  if (s->i >= s->n || depth > 1100) return 0;
  char ch = s->t[s->i];
  if (ch == '{' || ch == '[') {
    char close = ch == '{' ? '}' : ']';
    const cJSON *child = node ? node->child : NULL;
    s->i++;
    for (;;) {
      sk_ws(s);
      if (s->i >= s->n) return 0;
      if (s->t[s->i] == close) {
        s->i++;
        return 0;
      }
      if (s->t[s->i] == ',') {
        s->i++;
        continue;
      }
      if (ch == '{') {
        sk_string(s);
        sk_ws(s);
        if (s->i < s->n && s->t[s->i] == ':') s->i++;
      }
      if (sk_value(s, child, depth + 1)) return 1;
      child = child ? child->next : NULL;
    }
  }
  if (ch == '"') {
    sk_string(s);
    return 0;
  }
  while (s->i < s->n && !strchr(",]} \t\r\n", s->t[s->i]) && s->t[s->i]) s->i++;
  return 0;
}

static void offset_pos(const char *t, size_t off, int *line, int *col) {
  *line = 1;
  size_t start = 0;
  for (size_t i = 0; i < off; i++)
    if (t[i] == '\n') {
      (*line)++;
      start = i + 1;
    }
  *col = (int)(off - start) + 1;
}

static void node_pos(const reader *c, const cJSON *node, int *line, int *col) {
  scan s = {c->text, c->len, 0, 0, node};
  if (c->len >= 3 && !memcmp(c->text, "\xEF\xBB\xBF", 3)) s.i = 3;
  if (!node || !sk_value(&s, c->root, 0)) s.found = 0;
  offset_pos(c->text, s.found, line, col);
}

static void doc_error(reader *c, const cJSON *node, const char *fmt, ...)
    ENT_PRINTF(3, 4);

#define MAX_DOC_ERRORS 50

static void doc_error(reader *c, const cJSON *node, const char *fmt, ...) {
  int line, col;
  c->errors++;
  if (c->errors > MAX_DOC_ERRORS) return; /* each position costs a scan */
  if (c->errors == MAX_DOC_ERRORS) {
    node_pos(c, node, &line, &col);
    ent_diag_error(c->d, c->name, line, col, "more problems; the first %d are "
                                             "listed", MAX_DOC_ERRORS - 1);
    return;
  }
  node_pos(c, node, &line, &col);
  va_list ap;
  va_start(ap, fmt);
  ent_diag_vadd(c->d, ENT_SEV_ERROR, ENT_EINPUT, c->name, line, col, fmt, ap);
  va_end(ap);
}

/* ------------------------------------------------------ cJSON access */

static const cJSON *jget(const cJSON *o, const char *k) {
  return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = jget(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Number at key k: 1 if present and finite, 0 if absent or null, -1 if
 * present but not a finite number. */
static int jnum(const cJSON *o, const char *k, double *out) {
  const cJSON *v = jget(o, k);
  if (!v || cJSON_IsNull(v)) return 0;
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return -1;
  *out = v->valuedouble;
  return 1;
}

/* A string of the document, copied into the result (NULL for NULL). */
static const char *keep(reader *c, const char *s) {
  return ent_result_str(c->r, s);
}

/* A whole count as printed with "%.0f" (round half to even). */
static unsigned long count_of(double v) {
  double x = nearbyint(v);
  return x >= (double)ULONG_MAX ? ULONG_MAX : x <= 0.0 ? 0 : (unsigned long)x;
}

/* ---------------------------------------------------------- provenance */

static void read_forecast_meta(reader *c) {
  const cJSON *r = c->root;
  ent_result_prov *p = &c->r->prov;
  double v;
  const cJSON *b;
  p->design = keep(c, jstr(r, "design"));
  p->sobol = p->design && !strcmp(p->design, "saltelli");
  if ((p->has_done = jnum(r, "done", &v) == 1)) p->done = count_of(v);
  if ((b = jget(r, "complete")) && cJSON_IsBool(b)) {
    p->has_complete = 1;
    p->complete = cJSON_IsTrue(b);
  }
  if ((p->has_samples = jnum(r, "samples", &v) == 1)) p->samples = count_of(v);
  if ((p->has_failed = jnum(r, "failed", &v) == 1)) p->failed = count_of(v);
  p->first_failure = keep(c, jstr(r, "first_failure"));
  const cJSON *q = jget(r, "quantiles");
  p->qmethod = keep(c, jstr(q, "method"));
  double k, l, e;
  if (jnum(q, "k", &k) == 1 && jnum(q, "levels", &l) == 1 &&
      jnum(q, "rank_error", &e) == 1) {
    p->has_sketch = 1;
    p->qk = (size_t)count_of(k);
    p->qlevels = (size_t)count_of(l);
    p->qrank_error = e;
  }
}

/* The scenario (a built-in the document names, if none was given), and
 * the provenance the document records. */
static void read_meta(reader *c, ent_model **own) {
  const cJSON *r = c->root, *sc = jget(r, "scenario");
  ent_result_prov *p = &c->r->prov;
  const char *id = jstr(sc, "id"), *source = jstr(sc, "source");
  p->scenario_id = keep(c, id);
  p->scenario_title = keep(c, jstr(sc, "title"));
  p->scenario_source = keep(c, source);
  p->version = keep(c, jstr(r, "version"));
  p->created = keep(c, jstr(r, "created"));
  p->finished = keep(c, jstr(r, "finished"));
  p->started = keep(c, jstr(r, "started"));
  const cJSON *runs = jget(r, "runs");
  if (cJSON_IsNumber(runs) && runs->valuedouble >= 1.0) {
    p->runs = count_of(runs->valuedouble);
    p->has_runs = 1;
  } else if (runs) {
    doc_error(c, runs, "'runs' is not a positive number");
  }
  const cJSON *seed = jget(r, "seed");
  char buf[64];
  if (cJSON_IsNumber(seed)) {
    snprintf(buf, sizeof buf, "%.0f", seed->valuedouble);
    p->seed_text = keep(c, buf);
    p->has_seed = 1;
    p->seed = seed->valuedouble >= 0.0 && seed->valuedouble < 1.8e19
                  ? (unsigned long long)seed->valuedouble : 0;
  } else if (cJSON_IsString(seed)) {
    snprintf(buf, sizeof buf, "%s", seed->valuestring);
    p->seed_text = keep(c, buf);
  }
  const cJSON *tm = jget(r, "time");
  double a, b;
  if (cJSON_IsObject(tm) && jnum(tm, "start", &a) == 1 && jnum(tm, "end", &b) == 1) {
    p->start = (int)a;
    p->end = (int)b;
    p->has_time = 1;
  }
  read_forecast_meta(c);
  if (c->m && id && c->m->id && strcmp(id, c->m->id))
    doc_error(c, sc, "the document is a result of scenario '%s', not of '%s'",
              id, c->m->id);
  if (!c->m) {
    /* a built-in scenario is always at hand */
    const char *bn = source && !strncmp(source, "builtin:", 8) ? source + 8 : id;
    if (bn && ent_builtin_text(bn)) {
      ent_diag *tmp = ent_diag_create();
      if (tmp && ent_builtin_load(bn, own, tmp) == ENT_OK) c->m = *own;
      ent_diag_destroy(tmp);
    }
  }
  if (!p->scenario_id && c->m) p->scenario_id = keep(c, c->m->id);
  if (!p->scenario_title && c->m) p->scenario_title = keep(c, c->m->title);
  const cJSON *actors = jget(r, "actors"), *it;
  size_t n = (size_t)cJSON_GetArraySize(actors);
  c->r->actors = ent_result_alloc(c->r, n, sizeof *c->r->actors);
  if (!c->r->actors) return;
  cJSON_ArrayForEach(it, actors) {
    const char *aid = jstr(it, "id");
    if (!aid) continue;
    ent_result_actor *ac = &c->r->actors[c->r->n_actors++];
    ac->id = keep(c, aid);
    ac->name = keep(c, jstr(it, "name"));
    ac->kind = keep(c, jstr(it, "kind"));
  }
}

/* ------------------------------------------------------------ series */

/* Quantiles in order, allowing for rounding (a few ulps): 1 and q made
 * exactly monotone, or 0. */
static int quantiles_ordered(double *q) {
  double tol = 1e-9 * fmax(fabs(q[0]), fabs(q[4])) + 1e-300;
  for (int k = 1; k < ENT_NQ; k++) {
    if (q[k] < q[k - 1] - tol) return 0;
    if (q[k] < q[k - 1]) q[k] = q[k - 1];
  }
  return 1;
}

/* A series: (variable, entity), whether it has quantiles, and its years
 * so far (for the checks of the reading; the result groups them again). */
typedef struct group {
  const char *variable, *entity;
  int bands;
  size_t n, cap;
  int *years;
} group;

static size_t find_group(const group *g, size_t n, const char *var,
                         const char *ent, size_t hint) {
  if (hint < n && !strcmp(g[hint].variable, var) && !strcmp(g[hint].entity, ent))
    return hint;
  for (size_t k = 0; k < n; k++)
    if (!strcmp(g[k].variable, var) && !strcmp(g[k].entity, ent)) return k;
  return (size_t)-1;
}

/* Check series item k; its group (made if new) in *gi, or -1 if bad. */
static void check_item(reader *c, const cJSON *it, size_t k, group *g,
                       size_t *ng, size_t *hint, size_t *gi) {
  const char *var = jstr(it, "variable"), *ent = jstr(it, "entity");
  double y, v, q[ENT_NQ];
  *gi = (size_t)-1;
  if (!cJSON_IsObject(it)) {
    doc_error(c, it, "series[%zu] is not an object", k);
    return;
  }
  if (!var || !ent) {
    doc_error(c, it, "series[%zu] needs the strings 'variable' and 'entity'", k);
    return;
  }
  if (jnum(it, "year", &y) != 1 || y != floor(y) || fabs(y) > 1e6) {
    doc_error(c, jget(it, "year") ? jget(it, "year") : it,
              "series[%zu] (%s %s): 'year' is not a whole number", k, var, ent);
    return;
  }
  int nq = 0, bad = 0;
  for (int j = 0; j < ENT_NQ; j++) {
    int r = jnum(it, ent_names_quantile[j], &q[j]);
    if (r < 0) bad = 1;
    nq += r == 1;
  }
  int has_value = jnum(it, "value", &v);
  if (bad || has_value < 0) {
    doc_error(c, it, "series[%zu] (%s %s %d): a value is not a finite number",
              k, var, ent, (int)y);
  } else if (nq != ENT_NQ && has_value != 1) {
    doc_error(c, it, "series[%zu] (%s %s %d): needs 'q05'..'q95' or 'value'",
              k, var, ent, (int)y);
  } else if (nq == ENT_NQ && !quantiles_ordered(q)) {
    doc_error(c, it, "series[%zu] (%s %s %d): quantiles are not in order "
                     "q05 <= q25 <= q50 <= q75 <= q95", k, var, ent, (int)y);
  } else {
    if (nq == ENT_NQ) c->bands_seen = 1;
    size_t gg = find_group(g, *ng, var, ent, *hint);
    if (gg == (size_t)-1) {
      gg = (*ng)++;
      g[gg].variable = var;
      g[gg].entity = ent;
      g[gg].bands = nq == ENT_NQ;
    }
    if (g[gg].bands != (nq == ENT_NQ))
      doc_error(c, it, "series[%zu] (%s %s): quantiles in some years only",
                k, var, ent);
    g[gg].cap++;
    *gi = *hint = gg;
  }
}

/* Item it of group g into the next cell; 0, or -1 if its year repeats. */
static int add_cell(reader *c, const cJSON *it, group *g) {
  double y = 0, v = 0;
  jnum(it, "year", &y);
  size_t at = g->n;
  while (at > 0 && g->years[at - 1] > (int)y) at--;
  if (at > 0 && g->years[at - 1] == (int)y) {
    doc_error(c, it, "series (%s %s): year %d is given twice", g->variable,
              g->entity, (int)y);
    return -1;
  }
  memmove(g->years + at + 1, g->years + at, (g->n - at) * sizeof *g->years);
  g->years[at] = (int)y;
  g->n++;
  ent_result_cell *cl = &c->r->cells[c->r->n_cells++];
  cl->variable = keep(c, g->variable);
  cl->entity = keep(c, g->entity);
  cl->unit = keep(c, jstr(it, "unit"));
  cl->year = (int)y;
  cl->bands = g->bands;
  if (g->bands) {
    for (int j = 0; j < ENT_NQ; j++) jnum(it, ent_names_quantile[j], &cl->st.q[j]);
    quantiles_ordered(cl->st.q);
    cl->value = cl->st.q[ENT_Q_MEDIAN];
  } else {
    jnum(it, "value", &v);
    cl->value = v;
    for (int j = 0; j < ENT_NQ; j++) cl->st.q[j] = v;
  }
  if (jnum(it, "mean", &cl->st.mean) != 1) cl->st.mean = cl->value;
  if (jnum(it, "sd", &cl->st.sd) != 1) cl->st.sd = NAN;
  cl->st.n = jnum(it, "n", &v) == 1 ? (size_t)count_of(v) : (g->bands ? 0 : 1);
  return 0;
}

static void read_series(reader *c) {
  const cJSON *arr = jget(c->root, "series"), *it;
  if (!arr) return;
  if (!cJSON_IsArray(arr)) {
    doc_error(c, arr, "'series' is not an array");
    return;
  }
  size_t n_items = (size_t)cJSON_GetArraySize(arr);
  if (n_items == 0) return;
  group *g = ent_calloc(n_items, sizeof *g);
  size_t *grp = ent_calloc(n_items, sizeof *grp);
  c->r->cells = ent_result_alloc(c->r, n_items, sizeof *c->r->cells);
  size_t ng = 0, k = 0, hint = 0;
  if (!g || !grp || !c->r->cells) {
    c->st = ENT_ENOMEM;
    goto out;
  }
  /* pass 1: check items, group them */
  cJSON_ArrayForEach(it, arr) {
    check_item(c, it, k, g, &ng, &hint, &grp[k]);
    k++;
  }
  for (size_t q = 0; q < ng; q++)
    if (!(g[q].years = ent_calloc(g[q].cap, sizeof *g[q].years))) {
      c->st = ENT_ENOMEM;
      goto out;
    }
  /* pass 2: the cells, in document order; a year given twice is an error */
  k = 0;
  cJSON_ArrayForEach(it, arr) {
    size_t q = grp[k++];
    if (q != (size_t)-1) add_cell(c, it, &g[q]);
  }
out:
  for (size_t q = 0; g && q < ng; q++) ent_free(g[q].years);
  ent_free(g);
  ent_free(grp);
}

/* ------------------------------------------------------------ issues */

static const ent_issue *model_issue(const reader *c, const char *id) {
  if (!c->m) return NULL;
  size_t i = ent_model_find_issue(c->m, id);
  return i == (size_t)-1 ? NULL : &c->m->issues[i];
}

/* The scale of an issue: the document's, else the scenario's, else
 * 0-100 (has_scale 0).  0 when the document's scale is invalid. */
static int read_scale(reader *c, const cJSON *o, const ent_issue *mi,
                      ent_result_issue *is) {
  const cJSON *sc = jget(o, "scale");
  double a, b;
  if (cJSON_IsObject(sc) && jnum(sc, "min", &a) == 1 && jnum(sc, "max", &b) == 1) {
    if (!(a < b)) {
      doc_error(c, sc, "issue '%s': scale min %g is not below max %g", is->id, a, b);
      return 0;
    }
    is->lo = a;
    is->hi = b;
    is->has_scale = 1;
    const cJSON *an = jget(sc, "anchors"), *x;
    size_t n = (size_t)cJSON_GetArraySize(an);
    if (!n) return 1;
    is->anchors = ent_result_alloc(c->r, n, sizeof *is->anchors);
    if (!is->anchors) return 0;
    cJSON_ArrayForEach(x, an) {
      double at;
      const char *label = jstr(x, "label");
      if (jnum(x, "at", &at) != 1 || !label || at < a || at > b) {
        doc_error(c, x, "issue '%s': an anchor needs 'at' inside the scale and "
                        "a 'label'", is->id);
        continue;
      }
      if (is->n_anchors && at <= is->anchors[is->n_anchors - 1].at) {
        doc_error(c, x, "issue '%s': anchors are not in increasing order", is->id);
        continue;
      }
      is->anchors[is->n_anchors].at = at;
      is->anchors[is->n_anchors].label = keep(c, label);
      is->n_anchors++;
    }
  } else if (mi) {
    is->lo = mi->lo;
    is->hi = mi->hi;
    is->has_scale = 1;
    is->anchors = ent_result_alloc(c->r, mi->n_anchors, sizeof *is->anchors);
    if (!is->anchors) return 0;
    for (size_t k = 0; k < mi->n_anchors; k++) {
      is->anchors[k].at = mi->anchors[k].at;
      is->anchors[k].label = keep(c, mi->anchors[k].label);
    }
    is->n_anchors = mi->n_anchors;
  } else {
    is->lo = 0.0;
    is->hi = 100.0;
  }
  return 1;
}

/* The outcome: the runs' quantiles, or the single run's forecast. */
static int read_outcome(reader *c, const cJSON *o, ent_result_issue *is) {
  const cJSON *oc = jget(o, "outcome");
  ent_result_stats *s = &is->outcome;
  double v;
  if (cJSON_IsObject(oc)) {
    int nq = 0;
    for (int j = 0; j < ENT_NQ; j++) nq += jnum(oc, ent_names_quantile[j], &s->q[j]) == 1;
    if (nq != ENT_NQ || !quantiles_ordered(s->q)) {
      doc_error(c, oc, "issue '%s': 'outcome' needs quantiles q05 <= q25 <= "
                       "q50 <= q75 <= q95", is->id);
      return 0;
    }
    if (jnum(oc, "mean", &s->mean) != 1) s->mean = s->q[2];
    if (jnum(oc, "sd", &s->sd) != 1) s->sd = NAN;
    s->n = jnum(oc, "n", &v) == 1 ? (size_t)count_of(v) : 0;
    is->has_outcome = is->bands = 1;
    is->forecast = s->q[ENT_Q_MEDIAN];
  } else {
    const cJSON *fc = jget(o, "forecast");
    double med;
    if (cJSON_IsObject(fc) && jnum(fc, "median", &med) == 1) {
      for (int j = 0; j < ENT_NQ; j++) s->q[j] = med;
      if (jnum(fc, "mean", &s->mean) != 1) s->mean = med;
      s->n = 1;
      s->sd = 0.0;
      is->has_outcome = 1;
      is->forecast = med;
      is->final_mean = s->mean;
    }
  }
  if (is->has_outcome && !is->has_scale) {
    /* no scale anywhere: one wide enough for the outcome */
    if (s->q[0] < is->lo) is->lo = s->q[0];
    if (s->q[4] > is->hi) is->hi = s->q[4];
  }
  return 1;
}

static void read_ranges(reader *c, const cJSON *o, ent_result_issue *is) {
  const cJSON *rg = jget(o, "ranges"), *x;
  size_t n = (size_t)cJSON_GetArraySize(rg);
  if (!cJSON_IsArray(rg) || !n) return;
  is->ranges = ent_result_alloc(c->r, n, sizeof *is->ranges);
  if (!is->ranges) return;
  double total = 0.0;
  cJSON_ArrayForEach(x, rg) {
    ent_result_range *r = &is->ranges[is->n_ranges];
    const cJSON *lo = jget(x, "from"), *hi = jget(x, "to"), *p = jget(x, "probability");
    if (!cJSON_IsNumber(lo) || !cJSON_IsNumber(hi) || !cJSON_IsNumber(p) ||
        !isfinite(lo->valuedouble) || !isfinite(hi->valuedouble) ||
        lo->valuedouble > hi->valuedouble || p->valuedouble < 0.0 ||
        p->valuedouble > 1.0 + 1e-9) {
      doc_error(c, x, "issue '%s': a range needs 'min' <= 'max' and 'p' in [0, 1]",
                is->id);
      continue;
    }
    const char *label = jstr(x, "label");
    r->label = keep(c, label ? label : "");
    if (jnum(x, "at", &r->at) != 1) r->at = NAN;
    r->lo = fmax(lo->valuedouble, is->lo);
    r->hi = fmin(hi->valuedouble, is->hi);
    if (r->lo > r->hi) r->lo = r->hi;
    r->p = fmin(p->valuedouble, 1.0);
    total += r->p;
    is->n_ranges++;
  }
  if (total > 1.0 + 1e-6)
    doc_error(c, rg, "issue '%s': the ranges' probabilities add up to %g > 1",
              is->id, total);
}

/* P(outcome >= an anchor), in the last year and by year. */
static void read_thresholds(reader *c, const cJSON *o, ent_result_issue *is) {
  const cJSON *th = jget(o, "thresholds"), *x, *y;
  size_t n = (size_t)cJSON_GetArraySize(th);
  if (!cJSON_IsArray(th) || !n) return;
  is->thresholds = ent_result_alloc(c->r, n, sizeof *is->thresholds);
  if (!is->thresholds) return;
  cJSON_ArrayForEach(x, th) {
    ent_result_threshold *t = &is->thresholds[is->n_thresholds++];
    t->label = keep(c, jstr(x, "label"));
    if (jnum(x, "at", &t->at) != 1) t->at = NAN;
    if (jnum(x, "probability", &t->p) != 1) t->p = NAN;
    const cJSON *by = jget(x, "by_year");
    size_t ny = (size_t)cJSON_GetArraySize(by);
    if (!cJSON_IsArray(by) || !ny) continue;
    t->years = ent_result_alloc(c->r, ny, sizeof *t->years);
    t->p_by = ent_result_alloc(c->r, ny, sizeof *t->p_by);
    if (!t->years || !t->p_by) return;
    cJSON_ArrayForEach(y, by) {
      double yv;
      if (jnum(y, "year", &yv) != 1) continue;
      t->years[t->n_years] = (int)yv;
      if (jnum(y, "probability", &t->p_by[t->n_years]) != 1)
        t->p_by[t->n_years] = NAN;
      t->n_years++;
    }
  }
}

/* One pair of an issue: a run's relation (a class name), or a
 * forecast's shares of the classes. */
static void read_relation(reader *c, const cJSON *dy, ent_result_issue *is) {
  const char *from = jstr(dy, "from"), *to = jstr(dy, "to");
  if (!from || !to) {
    doc_error(c, dy, "a dyad needs the strings 'from' and 'to'");
    return;
  }
  ent_result_relation rl;
  memset(&rl, 0, sizeof rl);
  rl.cls = -1;
  const char *rel = jstr(dy, "relation");
  if (rel) {
    rl.cls = ent_names_class_find(rel);
    if (rl.cls < 0) return; /* not a class: no observation */
    rl.share[rl.cls] = 1.0;
  } else {
    int any = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, dy) {
      if (!v->string) continue;
      int k = ent_names_class_find(v->string);
      if (k < 0) continue;
      if (k == ENT_CLASS_NONE) {
        if (cJSON_IsNumber(v)) rl.share[k] = v->valuedouble;
        continue;
      }
      if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0.0 && v->valuedouble <= 1.0 + 1e-9)) {
        doc_error(c, v, "share '%s' of %s -> %s is not a number in [0, 1]",
                  v->string, from, to);
        return;
      }
      rl.share[k] += v->valuedouble;
      any = 1;
    }
    if (!any) return;
    double sum = 0.0;
    for (int k = 0; k < ENT_CLASS_NONE; k++) sum += rl.share[k];
    if (sum > 1.0 + 1e-6) {
      doc_error(c, dy, "the shares of %s -> %s add up to more than 1", from, to);
      return;
    }
  }
  rl.from = keep(c, from);
  rl.to = keep(c, to);
  is->relations[is->n_relations++] = rl;
}

static void read_issue(reader *c, const cJSON *o, ent_result_issue *is) {
  const char *id = jstr(o, "id");
  if (!id) {
    doc_error(c, o, "an issue needs the string 'id'");
    return;
  }
  is->id = keep(c, id);
  const ent_issue *mi = model_issue(c, id);
  const char *q = jstr(o, "question");
  is->question = keep(c, q ? q : mi ? mi->question : id);
  is->model = keep(c, jstr(o, "model"));
  if (!read_scale(c, o, mi, is) || !read_outcome(c, o, is)) return;
  const cJSON *bl = jget(o, "initial");
  if (cJSON_IsObject(bl) && jnum(bl, "median", &is->base_median) == 1 &&
      jnum(bl, "mean", &is->base_mean) == 1)
    is->has_base = 1;
  read_ranges(c, o, is);
  /* relations (`relations` in forecasts, `dyads` in runs) */
  const cJSON *dy = jget(o, "relations"), *x;
  if (!dy) dy = jget(o, "dyads");
  size_t n = (size_t)cJSON_GetArraySize(dy);
  is->relations = ent_result_alloc(c->r, n, sizeof *is->relations);
  if (!is->relations) return;
  cJSON_ArrayForEach(x, dy) read_relation(c, x, is);
  read_thresholds(c, o, is);
}

static void read_issues(reader *c) {
  const cJSON *arr = jget(c->root, "issues"), *it;
  if (!arr) return;
  if (!cJSON_IsArray(arr)) {
    doc_error(c, arr, "'issues' is not an array");
    return;
  }
  size_t n = (size_t)cJSON_GetArraySize(arr);
  if (!n) return;
  ent_result *r = c->r;
  r->issues = ent_result_alloc(r, n, sizeof *r->issues);
  if (!r->issues) return;
  cJSON_ArrayForEach(it, arr) {
    if (!cJSON_IsObject(it)) {
      doc_error(c, it, "issues[%zu] is not an object", r->n_issues);
      continue;
    }
    read_issue(c, it, &r->issues[r->n_issues]);
    if (r->issues[r->n_issues].id) r->n_issues++;
    if (ent_result_failed(r)) return;
  }
}

/* ------------------------------------------------------------ sensitivity */

static void read_sens_output(reader *c, const cJSON *it, int sobol) {
  ent_result_sens *s = &c->r->sens;
  const cJSON *inputs = jget(it, "inputs"), *x;
  if (!cJSON_IsArray(inputs)) {
    doc_error(c, it, "a sensitivity entry needs an input 'name' and a finite 'index'");
    return;
  }
  ent_result_sens_output *so = &s->outputs[s->n_outputs];
  memset(so, 0, sizeof *so);
  so->variable = keep(c, jstr(it, "variable"));
  so->entity = keep(c, jstr(it, "entity"));
  double y;
  if ((so->has_year = jnum(it, "year", &y) == 1)) so->year = (int)y;
  so->has_r2 = jnum(it, "r2", &so->r2) == 1;
  size_t n = (size_t)cJSON_GetArraySize(inputs);
  so->inputs = ent_result_alloc(c->r, n, sizeof *so->inputs);
  so->index = ent_result_alloc(c->r, n, sizeof *so->index);
  so->total = sobol ? ent_result_alloc(c->r, n, sizeof *so->total) : NULL;
  so->order = ent_result_alloc(c->r, n, sizeof *so->order);
  if (!so->inputs || !so->index || !so->order || (sobol && !so->total)) return;
  cJSON_ArrayForEach(x, inputs) {
    const cJSON *nm = jget(x, "input");
    const cJSON *ix = jget(x, sobol ? "total" : "src");
    const cJSON *s1 = sobol ? jget(x, "first_order") : ix;
    if (!cJSON_IsString(nm) || !cJSON_IsNumber(ix) || !isfinite(ix->valuedouble)) {
      doc_error(c, x, "a sensitivity input needs a 'name' and a finite 'index'");
      continue;
    }
    so->inputs[so->n] = keep(c, nm->valuestring);
    so->index[so->n] = cJSON_IsNumber(s1) ? s1->valuedouble : NAN;
    if (sobol) so->total[so->n] = ix->valuedouble;
    so->order[so->n] = so->n;
    so->n++;
  }
  if (so->n) s->n_outputs++;
}

static void read_sensitivity(reader *c) {
  const cJSON *s = jget(c->root, "sensitivity"), *it;
  if (!s || cJSON_IsNull(s)) return;
  ent_result_sens *rs = &c->r->sens;
  const cJSON *outs = jget(s, "outputs");
  if (!cJSON_IsArray(outs)) {
    doc_error(c, outs ? outs : s, "'sensitivity' is not an array");
    return;
  }
  rs->present = 1;
  rs->method = keep(c, jstr(s, "method"));
  rs->about = keep(c, jstr(s, "about"));
  rs->note = keep(c, jstr(s, "note"));
  int sobol = rs->method && !strcmp(rs->method, "sobol");
  size_t n = (size_t)cJSON_GetArraySize(outs);
  rs->outputs = ent_result_alloc(c->r, n, sizeof *rs->outputs);
  if (!rs->outputs) return;
  cJSON_ArrayForEach(it, outs) {
    read_sens_output(c, it, sobol);
    if (ent_result_failed(c->r)) return;
  }
}

/* ------------------------------------------------------------ scores */

/* A number at k of o, or NAN when absent or null; -1 (after an error at
 * the node) when it is there but not a finite number. */
static double num_or_nan(reader *c, const cJSON *o, const char *k) {
  double v;
  int r = jnum(o, k, &v);
  if (r == 1) return v;
  if (r < 0) doc_error(c, jget(o, k), "'%s' is not a number", k);
  return NAN;
}

static void read_scores(reader *c, const cJSON *o, ent_result_scores *s,
                        double *skill) {
  double n = num_or_nan(c, o, "n");
  s->n = isfinite(n) && n >= 0.0 ? (size_t)count_of(n) : 0;
  s->brier = num_or_nan(c, o, "brier");
  s->log = num_or_nan(c, o, "log");
  if (skill) *skill = num_or_nan(c, o, "skill");
}

static void read_scoreset(reader *c, const char *key, const char *name,
                          ent_result_scoreset *set) {
  const cJSON *o = jget(c->root, key), *b = jget(o, "baselines");
  set->name = name;
  if (!cJSON_IsObject(o)) {
    doc_error(c, o ? o : c->root, "a score document needs '%s' {brier, log, "
                                  "n, baselines}", key);
    return;
  }
  read_scores(c, o, &set->model, NULL);
  read_scores(c, jget(b, "uniform"), &set->uniform, &set->skill_uniform);
  read_scores(c, jget(b, "persistence"), &set->persistence,
              &set->skill_persistence);
  const cJSON *sm = jget(b, "starting_mean");
  read_scores(c, sm, &set->start, &set->skill_start);
  set->model_issues.n = set->start.n;
  set->model_issues.brier = num_or_nan(c, sm, "model_brier");
  set->model_issues.log = num_or_nan(c, sm, "model_log");
}

static void read_question(reader *c, const cJSON *o, ent_result_question *q) {
  const cJSON *b = jget(o, "baselines");
  q->id = keep(c, jstr(o, "id"));
  q->as_of = keep(c, jstr(o, "as_of"));
  q->question = keep(c, jstr(o, "question"));
  q->variable = keep(c, jstr(o, "variable"));
  q->entity = keep(c, jstr(o, "entity"));
  q->op = keep(c, jstr(o, "op"));
  q->source = keep(c, jstr(o, "source"));
  if (!q->id) doc_error(c, o, "a question needs an 'id'");
  double v = num_or_nan(c, o, "year");
  if (!isfinite(v) || v != floor(v) || fabs(v) > 1e6)
    doc_error(c, jget(o, "year") ? jget(o, "year") : o,
              "question '%s': 'year' is not a whole number",
              q->id ? q->id : "?");
  else q->year = (int)v;
  q->threshold = num_or_nan(c, o, "threshold");
  q->threshold2 = num_or_nan(c, o, "threshold2");
  v = num_or_nan(c, o, "outcome");
  if (v != 0.0 && v != 1.0)
    doc_error(c, jget(o, "outcome") ? jget(o, "outcome") : o,
              "question '%s': 'outcome' is not 0 or 1", q->id ? q->id : "?");
  q->outcome = v == 1.0;
  q->p = num_or_nan(c, o, "probability");
  if (!(q->p >= 0.0 && q->p <= 1.0))
    doc_error(c, jget(o, "probability") ? jget(o, "probability") : o,
              "question '%s': 'probability' is not in [0, 1]",
              q->id ? q->id : "?");
  v = num_or_nan(c, o, "members");
  q->members = isfinite(v) ? count_of(v) : 0;
  q->fitted = cJSON_IsTrue(jget(o, "fitted"));
  q->p_uniform = num_or_nan(c, b, "uniform");
  q->p_persistence = num_or_nan(c, b, "persistence");
  q->p_start = num_or_nan(c, b, "starting_mean");
  q->has_start = isfinite(q->p_start);
}

/* The document of `entente score --format json` (output/score_render.c). */
static void read_score(reader *c) {
  ent_result *r = c->r;
  ent_result_score *sc = r->score = ent_result_alloc(r, 1, sizeof *sc);
  if (!sc) return;
  const cJSON *root = c->root, *qs = jget(root, "questions"), *it;
  sc->ledger = keep(c, jstr(root, "ledger"));
  sc->ex_ante = !cJSON_IsFalse(jget(root, "ex_ante"));
  double v = num_or_nan(c, root, "fit_until");
  sc->fit_until = isfinite(v) && fabs(v) < 1e6 ? (int)v : 0;
  sc->clip = num_or_nan(c, root, "log_clip");
  if (!isfinite(sc->clip)) sc->clip = 0.005;
  size_t n = (size_t)cJSON_GetArraySize(qs);
  sc->questions = ent_result_alloc(r, n ? n : 1, sizeof *sc->questions);
  if (!sc->questions) return;
  cJSON_ArrayForEach(it, qs) {
    if (!cJSON_IsObject(it)) {
      doc_error(c, it, "a question is not an object");
      continue;
    }
    read_question(c, it, &sc->questions[sc->n_questions++]);
  }
  read_scoreset(c, "scores", "all", &sc->sets[0]);
  read_scoreset(c, "fitted", "fitted", &sc->sets[1]);
  read_scoreset(c, "later", "later", &sc->sets[2]);
  const cJSON *rel = jget(root, "reliability");
  size_t nb = sizeof sc->bins / sizeof sc->bins[0], k = 0;
  if ((size_t)cJSON_GetArraySize(rel) != nb) {
    doc_error(c, rel, "'reliability' needs %zu bins", nb);
    return;
  }
  cJSON_ArrayForEach(it, rel) {
    ent_result_bin *b = &sc->bins[k++];
    b->lo = num_or_nan(c, it, "from");
    b->hi = num_or_nan(c, it, "to");
    v = num_or_nan(c, it, "n");
    b->n = isfinite(v) && v >= 0.0 ? (size_t)count_of(v) : 0;
    b->mean_p = num_or_nan(c, it, "mean_probability");
    b->observed = num_or_nan(c, it, "observed");
    if (!(b->lo >= 0.0 && b->lo < b->hi && b->hi <= 1.0) ||
        (b->n && !(b->mean_p >= b->lo - 1e-9 && b->mean_p <= b->hi + 1e-9 &&
                   b->observed >= 0.0 && b->observed <= 1.0)))
      doc_error(c, it, "reliability bin %zu: needs 0 <= from < to <= 1, and "
                       "with questions a mean_probability in the bin and an "
                       "observed share in [0, 1]", k - 1);
    if (!b->n) b->mean_p = b->observed = 0.0;
  }
}

/* ------------------------------------------------------------ reading */

/* Parse the text; 0, or -1 with the problem in d. */
static int parse(reader *c) {
  const char *end = NULL, *json = c->text;
  size_t len = c->len;
  int line, col;
  c->root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
  if (!c->root) {
    size_t off = end && end >= json && end <= json + len ? (size_t)(end - json) : 0;
    offset_pos(json, off, &line, &col);
    ent_diag_set_source(c->d, c->name, json, len);
    ent_diag_error(c->d, c->name, line, col, "malformed JSON: the result document "
                                             "cannot be parsed here");
    return -1;
  }
  if (end && !ent_is_blank(end, len - (size_t)(end - json))) {
    while (end < json + len && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
      end++;
    offset_pos(json, (size_t)(end - json), &line, &col);
    ent_diag_set_source(c->d, c->name, json, len);
    ent_diag_error(c->d, c->name, line, col, "unexpected text after the JSON document");
    return -1;
  }
  return 0;
}

ent_status ent_result_read_json(const char *name, const char *text, size_t len,
                                const ent_model *m, ent_model **own,
                                ent_result **out, ent_diag *d) {
  *out = NULL;
  *own = NULL;
  if (!text) return ENT_EINVAL;
  reader c;
  memset(&c, 0, sizeof c);
  c.name = name ? name : "<forecast>";
  c.text = text;
  c.len = len;
  c.d = d;
  c.m = m;
  c.r = ent_result_create(ENT_RESULT_RUN);
  if (!c.r) return ENT_ENOMEM;
  ent_status st = ENT_OK;
  if (parse(&c)) {
    st = ENT_EINPUT;
  } else if (!cJSON_IsObject(c.root)) {
    doc_error(&c, c.root, "the result document is not a JSON object (expected "
                          "the output of 'entente forecast --format json')");
  } else if (cJSON_IsArray(jget(c.root, "questions")) &&
             cJSON_IsArray(jget(c.root, "reliability"))) {
    /* a ledger's scores (entente score --format json) */
    read_meta(&c, own);
    if (!ent_result_failed(c.r)) read_score(&c);
  } else if (!cJSON_IsArray(jget(c.root, "series")) &&
             !cJSON_IsArray(jget(c.root, "issues"))) {
    doc_error(&c, c.root, "the result document has neither 'series' nor 'issues' "
                          "(expected the output of 'entente forecast --format json')");
  } else {
    read_meta(&c, own);
    if (!ent_result_failed(c.r)) read_series(&c);
    if (!c.st && !ent_result_failed(c.r)) read_issues(&c);
    if (!c.st && !ent_result_failed(c.r)) read_sensitivity(&c);
  }
  if (st == ENT_OK && (c.st || ent_result_failed(c.r))) st = ENT_ENOMEM;
  if (st == ENT_OK && c.errors) {
    ent_diag_set_source(d, c.name, text, len);
    st = ENT_EINPUT;
  }
  if (st == ENT_OK) {
    int bands = c.bands_seen;
    for (size_t i = 0; i < c.r->n_issues; i++) bands |= c.r->issues[i].bands;
    c.r->kind = c.r->score ? ENT_RESULT_SCORE
                : bands      ? ENT_RESULT_FORECAST
                             : ENT_RESULT_RUN;
    st = ent_result_index(c.r, NULL);
  }
  cJSON_Delete(c.root);
  if (st != ENT_OK) {
    ent_result_destroy(c.r);
    ent_model_destroy(*own);
    *own = NULL;
    return st;
  }
  *out = c.r;
  return ENT_OK;
}
