/*
 * html.c -- the report of a forecast or run: charts and report.html
 * (contract in html.h and entente.h; what the report shows: docs/
 * report.md).
 *
 * Keys read from the result document (others are ignored; names follow
 * `entente forecast --format json`, with the keys of `entente run --format
 * json` as the single-run case):
 *   scenario {id, title, source} (or a string: the id), version, seed,
 *   runs (or members), created / started / finished (the time the document
 *   records), time {start, end};
 *   series[] {variable, entity, year, unit, q05, q25, q50, q75, q95, mean}
 *            or {variable, entity, year, unit, value} (a run);
 *   issues[] {id, question, scale {min, max, anchors[] {at, label}},
 *             outcome {q05..q95, mean, sd} or forecast {median, mean},
 *             ranges[] {label, min, max, p}, baselines {median, mean} or
 *             initial {median, mean},
 *             dyads[] {from, to, shares {conflict, compromise,
 *                      capitulation, stalemate, agreement}} or
 *                     {from, to, relation}};
 *   dyads[] (or relations[]) {issue, from, to, shares {...}} at the top;
 *   sensitivity[] {output, method, r2, inputs[] {name, index}} or
 *                 flat {input, output, index}.
 * Alternative spellings accepted: lo/hi or from/to for a range's bounds,
 * probability/share for p; input/parameter for an input's name, src/s1/
 * st/value for its index.
 *
 * Memory: everything derived from the document lives in one arena; the
 * cJSON tree lives until the report is rendered.
 */
#include "output/html.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/json.h"
#include "output/chart.h"
#include "base/diag.h"

/* ---------------------------------------------------------- strings */

static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void ent_html_base64(ent_strbuf *b, const unsigned char *p, size_t len) {
  char q[4];
  size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
    q[0] = B64[v >> 18 & 63];
    q[1] = B64[v >> 12 & 63];
    q[2] = B64[v >> 6 & 63];
    q[3] = B64[v & 63];
    ent_strbuf_append(b, q, 4);
  }
  if (i < len) {
    unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0u);
    q[0] = B64[v >> 18 & 63];
    q[1] = B64[v >> 12 & 63];
    q[2] = i + 1 < len ? B64[v >> 6 & 63] : '=';
    q[3] = '=';
    ent_strbuf_append(b, q, 4);
  }
}

void ent_html_escape(ent_strbuf *b, const char *s) {
  if (!s) return;
  const char *run = s;
  for (; *s; s++) {
    const char *rep = NULL;
    switch (*s) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default: break;
    }
    if (rep) {
      ent_strbuf_append(b, run, (size_t)(s - run));
      ent_strbuf_puts(b, rep);
      run = s + 1;
    }
  }
  ent_strbuf_append(b, run, (size_t)(s - run));
}

/* --------------------------------------------------------- the model */

#define NCLS 5
static const char *const CLASS_NAMES[NCLS] = {
    "conflict", "compromise", "capitulation", "stalemate", "agreement"};

enum { G_TRADE = 0, G_CHANNEL, G_ECONOMY, G_OTHER, G_COUNT };
static const char *const GROUP_TITLES[G_COUNT] = {
    "Trade and dependence", "Energy and arms channels", "The economies",
    "Other variables"};

typedef struct varinfo {
  const char *name, *title, *axis;
  int group;
} varinfo;

/* docs/variables.md, in its order. */
static const varinfo VARS[] = {
    {"trade_flow", "Exports", "exports", G_TRADE},
    {"dependence", "Dependence: bilateral trade over GDP", "dependence", G_TRADE},
    {"dependence_asymmetry", "Asymmetry of dependence (A on B minus B on A)",
     "asymmetry", G_TRADE},
    {"partner_share", "Partner's share of total trade", "partner share", G_TRADE},
    {"import_share", "Partner's share of imports", "import share", G_TRADE},
    {"export_share", "Partner's share of exports", "export share", G_TRADE},
    {"sensitivity", "Sensitivity: the partner's goods in spending",
     "sensitivity", G_TRADE},
    {"vulnerability_pe", "Vulnerability if imports stopped (wages fixed)",
     "real-income loss", G_TRADE},
    {"vulnerability_ge", "Vulnerability if trade were cut (general equilibrium)",
     "real-income loss", G_TRADE},
    {"vulnerability_asymmetry", "Asymmetry of vulnerability (A minus B)",
     "asymmetry", G_TRADE},
    {"gas_flow", "Pipeline gas", "gas", G_CHANNEL},
    {"oil_flow", "Crude oil", "oil", G_CHANNEL},
    {"arms_transfer", "Arms transfers", "arms transfers", G_CHANNEL},
    {"channel_flow", "Other channels", "flow", G_CHANNEL},
    {"gdp", "GDP", "GDP", G_ECONOMY},
    {"milex", "Military spending", "military spending", G_ECONOMY},
    {"capability_index", "Composite capability (share of the blocs' total)",
     "capability", G_ECONOMY},
    {"welfare_change", "Real-income effect of trade-cost changes",
     "welfare change", G_ECONOMY},
    {"exports", "Exports to the other blocs", "exports", G_ECONOMY},
    {"imports", "Imports from the other blocs", "imports", G_ECONOMY},
    {"hhi_imports", "Concentration of import partners (Herfindahl)", "HHI",
     G_ECONOMY},
};

static const varinfo *var_info(const char *name) {
  for (size_t i = 0; i < sizeof VARS / sizeof VARS[0]; i++)
    if (!strcmp(VARS[i].name, name)) return &VARS[i];
  return NULL;
}

typedef struct rp_series {
  const char *variable, *entity, *unit;
  size_t n, cap;
  int *years;
  double *v[6]; /* q05 q25 q50 q75 q95 mean; q50 always set */
  int bands;    /* the document gave quantiles */
  int used;
} rp_series;

typedef struct rp_range {
  double lo, hi, p;
  const char *label;
} rp_range;

typedef struct rp_issue {
  const char *id, *question;
  double lo, hi;
  int has_scale;
  ent_chart_mark *anchors;
  size_t n_anchors;
  int has_outcome, bands;
  double q[5], mean;
  rp_range *ranges;
  size_t n_ranges;
  int ranges_given; /* by the document (else derived) */
  int has_base;
  double base_median, base_mean;
  const cJSON *thresholds; /* [{label, at, probability, by_year[]}] */
} rp_issue;

typedef struct rp_sens {
  char output[200];
  const char *method;
  double r2;
  int has_r2;
  const char **names;
  double *index;
  size_t n;
} rp_sens;

#define MAX_SENS 64

/* What a run store knows about a stored document. */
typedef struct rp_stored {
  long long id;
  const char *started, *status, *kind;
} rp_stored;

typedef struct rp {
  ent_arena A;
  const char *name, *text;
  size_t len;
  ent_diag *d;
  int errors;
  ent_status st; /* sticky failure while rendering */
  cJSON *root;
  const ent_model *m;
  ent_model *own_m;     /* the built-in the document names, loaded here */
  const rp_stored *stored;
  int base_nominal;     /* baselines come from a nominal run of m */
  /* meta */
  const char *sc_id, *sc_title, *sc_source, *version, *created;
  double runs;
  int has_runs, single;
  char seed[64];
  int t_start, t_end, has_time;
  /* data */
  rp_series *series;
  size_t n_series;
  rp_issue *issues;
  size_t n_issues;
  const char **actors;
  size_t n_actors, cap_actors;
  double *rel;   /* [cap^2 * NCLS] sums of shares */
  int *rel_n;    /* [cap^2] number of (issue) observations */
  rp_sens sens[MAX_SENS];
  size_t n_sens;
  char main_a[72], main_b[72];
  /* back-test */
  cJSON *bt;
  const ent_model *bt_model;
  /* output */
  ent_report *out;
  ent_strbuf html;
  size_t n_charts;
} rp;

/* ------------------------------------------------ document positions */

/* The byte offset of `target` in the text: the text is walked in step
 * with a pre-order walk of the tree cJSON built from it (cJSON keeps every
 * member, duplicates included, in text order). */
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

static void node_pos(const rp *c, const cJSON *node, int *line, int *col) {
  scan s = {c->text, c->len, 0, 0, node};
  if (c->len >= 3 && !memcmp(c->text, "\xEF\xBB\xBF", 3)) s.i = 3;
  if (!node || !sk_value(&s, c->root, 0)) s.found = 0;
  offset_pos(c->text, s.found, line, col);
}

static void doc_error(rp *c, const cJSON *node, const char *fmt, ...)
    ENT_PRINTF(3, 4);

#define MAX_DOC_ERRORS 50

static void doc_error(rp *c, const cJSON *node, const char *fmt, ...) {
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

/* Number at key k: 1 if present and finite, 0 if absent, -1 if present
 * but not a finite number. */
static int jnum(const cJSON *o, const char *k, double *out) {
  const cJSON *v = jget(o, k);
  if (!v || cJSON_IsNull(v)) return 0;
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return -1;
  *out = v->valuedouble;
  return 1;
}

/* The first of several spellings that is present. */
static const cJSON *jany(const cJSON *o, const char *const *keys) {
  for (; *keys; keys++) {
    const cJSON *v = jget(o, *keys);
    if (v && !cJSON_IsNull(v)) return v;
  }
  return NULL;
}

/* ------------------------------------------------------- numbers */

/* A value for tables and sentences: 3-4 significant digits, thousands
 * separators, no trailing zeros. */
static void fmt_val(char *buf, size_t size, double v) {
  double a = fabs(v);
  int dec = a >= 100.0 ? 0 : a >= 10.0 ? 1 : a >= 1.0 ? 2 : a >= 0.01 ? 3 : 4;
  if (a == 0.0) v = 0.0;
  char raw[64];
  if (a != 0.0 && a < 0.0001) snprintf(raw, sizeof raw, "%.2e", v);
  else snprintf(raw, sizeof raw, "%.*f", dec, v);
  char *dot = strchr(raw, '.');
  if (dot && !strchr(raw, 'e')) {
    char *e = raw + strlen(raw) - 1;
    while (e > dot && *e == '0') *e-- = '\0';
    if (e == dot) *e = '\0';
  }
  if (!strcmp(raw, "-0")) strcpy(raw, "0");
  /* thousands separators */
  const char *digits = raw[0] == '-' ? raw + 1 : raw;
  size_t ilen = strcspn(digits, ".e");
  if (ilen <= 4) {
    snprintf(buf, size, "%s", raw);
    return;
  }
  char out[96];
  size_t o = 0;
  if (raw[0] == '-') out[o++] = '-';
  for (size_t i = 0; i < ilen && o < sizeof out - 2; i++) {
    out[o++] = digits[i];
    size_t left = ilen - i - 1;
    if (left && left % 3 == 0) out[o++] = ',';
  }
  snprintf(out + o, sizeof out - o, "%s", digits + ilen);
  snprintf(buf, size, "%s", out);
}

static void fmt_pct(char *buf, size_t size, double p) {
  if (p > 0.0 && p < 0.005) snprintf(buf, size, "&lt;1%%");
  else if (p < 1.0 && p > 0.995) snprintf(buf, size, "&gt;99%%");
  else snprintf(buf, size, "%.0f%%", 100.0 * p);
}

/* Units given as a share are shown in percent ("share of GDP" -> "% of
 * GDP"); returns the factor to apply. */
static double unit_display(const char *unit, char *buf, size_t size) {
  if (unit && !strncmp(unit, "share", 5)) {
    snprintf(buf, size, "%%%s", unit + 5);
    return 100.0;
  }
  snprintf(buf, size, "%s", unit ? unit : "");
  return 1.0;
}

/* "RUS->CHN" as "RUS → CHN". */
static void entity_label(char *buf, size_t size, const char *e) {
  const char *both = strstr(e, "<->"), *arrow = strstr(e, "->");
  if (both)
    snprintf(buf, size, "%.*s \xE2\x86\x94 %s", (int)(both - e), e, both + 3);
  else if (arrow)
    snprintf(buf, size, "%.*s \xE2\x86\x92 %s", (int)(arrow - e), e, arrow + 2);
  else
    snprintf(buf, size, "%s", e);
}

/* File-name-safe copy of s. */
static void safe_name(char *buf, size_t size, const char *s) {
  size_t o = 0;
  for (; *s && o + 1 < size; s++) {
    char ch = *s;
    int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
             (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    buf[o++] = ok ? ch : '_';
  }
  buf[o] = '\0';
}

/* ---------------------------------------------------------- reading */

static void read_meta(rp *c) {
  const cJSON *r = c->root, *sc = jget(r, "scenario");
  if (cJSON_IsString(sc)) {
    c->sc_id = sc->valuestring;
  } else if (cJSON_IsObject(sc)) {
    c->sc_id = jstr(sc, "id");
    c->sc_title = jstr(sc, "title");
    c->sc_source = jstr(sc, "source");
  }
  if (!c->sc_title) c->sc_title = jstr(r, "title");
  c->version = jstr(r, "version");
  static const char *const tkeys[] = {"created", "finished", "started",
                                      "timestamp", "date", NULL};
  for (const char *const *k = tkeys; *k && !c->created; k++) c->created = jstr(r, *k);
  if (!c->created) c->created = jstr(r, "time");
  static const char *const rkeys[] = {"runs", "members", NULL};
  const cJSON *runs = jany(r, rkeys);
  if (cJSON_IsNumber(runs) && runs->valuedouble >= 1.0) {
    c->runs = runs->valuedouble;
    c->has_runs = 1;
  } else if (runs) {
    doc_error(c, runs, "'runs' is not a positive number");
  }
  const cJSON *seed = jget(r, "seed");
  if (cJSON_IsNumber(seed)) snprintf(c->seed, sizeof c->seed, "%.0f", seed->valuedouble);
  else if (cJSON_IsString(seed)) snprintf(c->seed, sizeof c->seed, "%s", seed->valuestring);
  const cJSON *tm = jget(r, "time");
  double a, b;
  if (cJSON_IsObject(tm) && jnum(tm, "start", &a) == 1 && jnum(tm, "end", &b) == 1) {
    c->t_start = (int)a;
    c->t_end = (int)b;
    c->has_time = 1;
  }
  if (c->m && c->sc_id && c->m->id && strcmp(c->sc_id, c->m->id))
    doc_error(c, sc, "the document is a result of scenario '%s', not of '%s'",
              c->sc_id, c->m->id);
  if (!c->m) {
    /* a built-in scenario is always at hand */
    const char *bn = c->sc_source && !strncmp(c->sc_source, "builtin:", 8)
                         ? c->sc_source + 8 : c->sc_id;
    if (bn && ent_builtin_text(bn)) {
      ent_diag *tmp = ent_diag_create();
      if (tmp && ent_builtin_load(bn, &c->own_m, tmp) == ENT_OK) c->m = c->own_m;
      ent_diag_destroy(tmp);
    }
  }
  if (!c->created && c->stored && c->stored->started && c->stored->started[0])
    c->created = c->stored->started;
  if (!c->sc_id && c->m) c->sc_id = c->m->id;
  if (!c->sc_title && c->m) c->sc_title = c->m->title;
}

static const char *const QKEYS[5] = {"q05", "q25", "q50", "q75", "q95"};

/* Quantiles in order, allowing for rounding (a few ulps): 1 and q made
 * exactly monotone, or 0. */
static int quantiles_ordered(double *q) {
  double tol = 1e-9 * fmax(fabs(q[0]), fabs(q[4])) + 1e-300;
  for (int k = 1; k < 5; k++) {
    if (q[k] < q[k - 1] - tol) return 0;
    if (q[k] < q[k - 1]) q[k] = q[k - 1];
  }
  return 1;
}

static size_t find_series(rp *c, size_t n, const char *var, const char *ent,
                          size_t hint) {
  if (hint < n && !strcmp(c->series[hint].variable, var) &&
      !strcmp(c->series[hint].entity, ent))
    return hint;
  for (size_t g = 0; g < n; g++)
    if (!strcmp(c->series[g].variable, var) && !strcmp(c->series[g].entity, ent))
      return g;
  return (size_t)-1;
}

static void read_series(rp *c) {
  const cJSON *arr = jget(c->root, "series");
  if (!arr) return;
  if (!cJSON_IsArray(arr)) {
    doc_error(c, arr, "'series' is not an array");
    return;
  }
  size_t n_items = (size_t)cJSON_GetArraySize(arr);
  if (n_items == 0) return;
  c->series = ent_arena_array(&c->A, n_items, sizeof *c->series);
  size_t *grp = ent_arena_array(&c->A, n_items, sizeof *grp);
  if (!c->series || !grp) {
    c->st = ENT_ENOMEM;
    return;
  }
  size_t ng = 0, k = 0, hint = 0;
  int bands_seen = 0, single_seen = 0;
  const cJSON *it;
  /* pass 1: check items, group them */
  cJSON_ArrayForEach(it, arr) {
    grp[k] = (size_t)-1;
    const char *var = jstr(it, "variable"), *ent = jstr(it, "entity");
    double y, v;
    if (!cJSON_IsObject(it)) {
      doc_error(c, it, "series[%zu] is not an object", k);
    } else if (!var || !ent) {
      doc_error(c, it, "series[%zu] needs the strings 'variable' and 'entity'", k);
    } else if (jnum(it, "year", &y) != 1 || y != floor(y) || fabs(y) > 1e6) {
      doc_error(c, jget(it, "year") ? jget(it, "year") : it,
                "series[%zu] (%s %s): 'year' is not a whole number", k, var, ent);
    } else {
      int nq = 0, bad = 0;
      double q[5];
      for (int j = 0; j < 5; j++) {
        int r = jnum(it, QKEYS[j], &q[j]);
        if (r < 0) bad = 1;
        nq += r == 1;
      }
      int has_value = jnum(it, "value", &v);
      if (bad || has_value < 0) {
        doc_error(c, it, "series[%zu] (%s %s %d): a value is not a finite number",
                  k, var, ent, (int)y);
      } else if (nq != 5 && has_value != 1) {
        doc_error(c, it, "series[%zu] (%s %s %d): needs 'q05'..'q95' or 'value'",
                  k, var, ent, (int)y);
      } else if (nq == 5 && !quantiles_ordered(q)) {
        doc_error(c, it, "series[%zu] (%s %s %d): quantiles are not in order "
                         "q05 <= q25 <= q50 <= q75 <= q95", k, var, ent, (int)y);
      } else {
        if (nq == 5) bands_seen = 1;
        else single_seen = 1;
        size_t g = find_series(c, ng, var, ent, hint);
        if (g == (size_t)-1) {
          g = ng++;
          c->series[g].variable = var;
          c->series[g].entity = ent;
          c->series[g].unit = jstr(it, "unit");
          c->series[g].bands = nq == 5;
        }
        if (c->series[g].bands != (nq == 5))
          doc_error(c, it, "series[%zu] (%s %s): quantiles in some years only",
                    k, var, ent);
        c->series[g].cap++;
        grp[k] = g;
        hint = g;
      }
    }
    k++;
  }
  (void)single_seen;
  if (!bands_seen) c->single = 1;
  c->n_series = ng;
  for (size_t g = 0; g < ng; g++) {
    rp_series *s = &c->series[g];
    s->years = ent_arena_array(&c->A, s->cap, sizeof *s->years);
    for (int j = 0; j < 6; j++) s->v[j] = ent_arena_array(&c->A, s->cap, sizeof(double));
    if (!s->years || !s->v[5]) {
      c->st = ENT_ENOMEM;
      return;
    }
  }
  /* pass 2: fill, keeping years in order (insertion; input is usually
   * sorted already) */
  k = 0;
  cJSON_ArrayForEach(it, arr) {
    size_t g = grp[k++];
    if (g == (size_t)-1) continue;
    rp_series *s = &c->series[g];
    double y = 0, v[6] = {0, 0, 0, 0, 0, 0};
    jnum(it, "year", &y);
    if (s->bands) {
      for (int j = 0; j < 5; j++) jnum(it, QKEYS[j], &v[j]);
      quantiles_ordered(v);
    } else
      jnum(it, "value", &v[2]);
    if (jnum(it, "mean", &v[5]) != 1) v[5] = v[2];
    size_t at = s->n;
    while (at > 0 && s->years[at - 1] > (int)y) at--;
    if (at > 0 && s->years[at - 1] == (int)y) {
      doc_error(c, it, "series (%s %s): year %d is given twice", s->variable,
                s->entity, (int)y);
      continue;
    }
    memmove(s->years + at + 1, s->years + at, (s->n - at) * sizeof *s->years);
    s->years[at] = (int)y;
    for (int j = 0; j < 6; j++) {
      memmove(s->v[j] + at + 1, s->v[j] + at, (s->n - at) * sizeof(double));
      s->v[j][at] = v[j];
    }
    s->n++;
  }
}

static size_t actor_index(rp *c, const char *id, int add) {
  for (size_t i = 0; i < c->n_actors; i++)
    if (!strcmp(c->actors[i], id)) return i;
  if (!add || c->n_actors >= c->cap_actors) return (size_t)-1;
  c->actors[c->n_actors] = id;
  return c->n_actors++;
}

static int class_of(const char *name) {
  for (int k = 0; k < NCLS; k++)
    if (!strcmp(name, CLASS_NAMES[k])) return k;
  if (!strcmp(name, "same position") || !strcmp(name, "same_position")) return 4;
  return -1;
}

/* One pair observation: a relation name or a shares object. */
static void read_dyad(rp *c, const cJSON *dy) {
  const char *from = jstr(dy, "from"), *to = jstr(dy, "to");
  if (!from || !to) {
    doc_error(c, dy, "a dyad needs the strings 'from' and 'to'");
    return;
  }
  double s[NCLS] = {0, 0, 0, 0, 0};
  int any = 0;
  const char *rel = jstr(dy, "relation");
  const cJSON *sh = jget(dy, "shares");
  if (!sh) sh = dy; /* shares may sit in the dyad itself */
  if (rel && !jget(dy, "shares")) {
    int k = class_of(rel);
    if (k < 0) return; /* "none": no round played */
    s[k] = 1.0;
    any = 1;
  } else {
    const cJSON *v;
    cJSON_ArrayForEach(v, sh) {
      if (!v->string) continue;
      int k = class_of(v->string);
      if (k < 0) continue;
      if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0.0 && v->valuedouble <= 1.0 + 1e-9)) {
        doc_error(c, v, "share '%s' of %s -> %s is not a number in [0, 1]",
                  v->string, from, to);
        return;
      }
      s[k] += v->valuedouble;
      any = 1;
    }
  }
  if (!any) return;
  size_t i = actor_index(c, from, 1), j = actor_index(c, to, 1);
  if (i == (size_t)-1 || j == (size_t)-1 || i == j) return;
  size_t cap = c->cap_actors;
  double sum = 0.0;
  for (int k = 0; k < NCLS; k++) sum += s[k];
  if (sum > 1.0 + 1e-6) {
    doc_error(c, dy, "the shares of %s -> %s add up to more than 1", from, to);
    return;
  }
  for (int k = 0; k < NCLS; k++) c->rel[(i * cap + j) * NCLS + k] += s[k];
  c->rel_n[i * cap + j]++;
}

static const ent_issue *model_issue(const rp *c, const char *id) {
  if (!c->m) return NULL;
  for (size_t i = 0; i < c->m->n_issues; i++)
    if (!strcmp(c->m->issues[i].id, id)) return &c->m->issues[i];
  return NULL;
}

/* Probability that an outcome lies in [a, b] when all we know are the
 * quantiles: the CDF interpolated linearly between (lo, 0), the quantiles
 * and (hi, 1). */
static double cdf_interp(const rp_issue *is, double x) {
  static const double P[7] = {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
  double X[7] = {is->lo, is->q[0], is->q[1], is->q[2], is->q[3], is->q[4], is->hi};
  if (x <= X[0]) return 0.0;
  if (x >= X[6]) return 1.0;
  for (int k = 1; k < 7; k++)
    if (x <= X[k]) {
      double w = X[k] - X[k - 1];
      return w > 0.0 ? P[k - 1] + (P[k] - P[k - 1]) * (x - X[k - 1]) / w : P[k];
    }
  return 1.0;
}

/* Ranges from the anchors: each anchor owns the stretch of the scale
 * nearer to it than to any other; without anchors, five equal ranges. */
static void derive_ranges(rp *c, rp_issue *is) {
  size_t n = is->n_anchors ? is->n_anchors : 5;
  is->ranges = ent_arena_array(&c->A, n, sizeof *is->ranges);
  if (!is->ranges) {
    c->st = ENT_ENOMEM;
    return;
  }
  for (size_t k = 0; k < n; k++) {
    rp_range *r = &is->ranges[k];
    if (is->n_anchors) {
      r->lo = k == 0 ? is->lo : 0.5 * (is->anchors[k - 1].at + is->anchors[k].at);
      r->hi = k + 1 == n ? is->hi : 0.5 * (is->anchors[k].at + is->anchors[k + 1].at);
      r->label = is->anchors[k].label;
    } else {
      r->lo = is->lo + (is->hi - is->lo) * (double)k / 5.0;
      r->hi = is->lo + (is->hi - is->lo) * (double)(k + 1) / 5.0;
      char buf[80], a[32], b[32];
      fmt_val(a, sizeof a, r->lo);
      fmt_val(b, sizeof b, r->hi);
      snprintf(buf, sizeof buf, "%s to %s", a, b);
      r->label = ent_arena_strdup(&c->A, buf);
    }
    if (!is->has_outcome) r->p = 0.0;
    else if (!is->bands)
      r->p = (is->q[2] >= r->lo && (is->q[2] < r->hi || k + 1 == n)) ? 1.0 : 0.0;
    else
      r->p = cdf_interp(is, r->hi) - cdf_interp(is, r->lo);
  }
  is->n_ranges = n;
}

static void read_issue(rp *c, const cJSON *o, rp_issue *is) {
  static const char *const LO[] = {"min", "lo", "from", NULL};
  static const char *const HI[] = {"max", "hi", "to", NULL};
  static const char *const PK[] = {"p", "probability", "share", NULL};
  is->id = jstr(o, "id");
  if (!is->id) {
    doc_error(c, o, "an issue needs the string 'id'");
    return;
  }
  const ent_issue *mi = model_issue(c, is->id);
  is->question = jstr(o, "question");
  if (!is->question && mi) is->question = mi->question;
  if (!is->question) is->question = is->id;
  /* scale */
  const cJSON *sc = jget(o, "scale");
  double a, b;
  if (cJSON_IsObject(sc) && jnum(sc, "min", &a) == 1 && jnum(sc, "max", &b) == 1) {
    if (!(a < b)) {
      doc_error(c, sc, "issue '%s': scale min %g is not below max %g", is->id, a, b);
      return;
    }
    is->lo = a;
    is->hi = b;
    is->has_scale = 1;
    const cJSON *an = jget(sc, "anchors"), *x;
    size_t n = (size_t)cJSON_GetArraySize(an);
    if (n) {
      is->anchors = ent_arena_array(&c->A, n, sizeof *is->anchors);
      if (!is->anchors) {
        c->st = ENT_ENOMEM;
        return;
      }
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
        is->anchors[is->n_anchors].label = label;
        is->n_anchors++;
      }
    }
  } else if (mi) {
    is->lo = mi->lo;
    is->hi = mi->hi;
    is->has_scale = 1;
    if (mi->n_anchors) {
      is->anchors = ent_arena_array(&c->A, mi->n_anchors, sizeof *is->anchors);
      if (!is->anchors) {
        c->st = ENT_ENOMEM;
        return;
      }
      for (size_t k = 0; k < mi->n_anchors; k++) {
        is->anchors[k].at = mi->anchors[k].at;
        is->anchors[k].label = mi->anchors[k].label;
      }
      is->n_anchors = mi->n_anchors;
    }
  } else {
    is->lo = 0.0;
    is->hi = 100.0;
  }
  /* outcome: quantiles of the runs, or the single run's forecast */
  const cJSON *oc = jget(o, "outcome");
  if (cJSON_IsObject(oc)) {
    int nq = 0;
    for (int j = 0; j < 5; j++) nq += jnum(oc, QKEYS[j], &is->q[j]) == 1;
    if (nq != 5 || !quantiles_ordered(is->q)) {
      doc_error(c, oc, "issue '%s': 'outcome' needs quantiles q05 <= q25 <= "
                       "q50 <= q75 <= q95", is->id);
      return;
    }
    if (jnum(oc, "mean", &is->mean) != 1) is->mean = is->q[2];
    is->has_outcome = is->bands = 1;
  } else {
    const cJSON *fc = jget(o, "forecast");
    double med;
    if (cJSON_IsObject(fc) && jnum(fc, "median", &med) == 1) {
      for (int j = 0; j < 5; j++) is->q[j] = med;
      if (jnum(fc, "mean", &is->mean) != 1) is->mean = med;
      is->has_outcome = 1;
    }
  }
  if (is->has_outcome && !is->has_scale) {
    /* no scale anywhere: one wide enough for the outcome */
    if (is->q[0] < is->lo) is->lo = is->q[0];
    if (is->q[4] > is->hi) is->hi = is->q[4];
  }
  /* baselines */
  static const char *const BK[] = {"baselines", "baseline", "initial", NULL};
  const cJSON *bl = jany(o, BK);
  if (cJSON_IsObject(bl) && jnum(bl, "median", &is->base_median) == 1 &&
      jnum(bl, "mean", &is->base_mean) == 1)
    is->has_base = 1;
  /* ranges */
  const cJSON *rg = jget(o, "ranges"), *x;
  size_t n = (size_t)cJSON_GetArraySize(rg);
  if (cJSON_IsArray(rg) && n) {
    is->ranges = ent_arena_array(&c->A, n, sizeof *is->ranges);
    if (!is->ranges) {
      c->st = ENT_ENOMEM;
      return;
    }
    double total = 0.0;
    cJSON_ArrayForEach(x, rg) {
      rp_range *r = &is->ranges[is->n_ranges];
      const cJSON *lo = jany(x, LO), *hi = jany(x, HI), *p = jany(x, PK);
      r->label = jstr(x, "label");
      if (!cJSON_IsNumber(lo) || !cJSON_IsNumber(hi) || !cJSON_IsNumber(p) ||
          !isfinite(lo->valuedouble) || !isfinite(hi->valuedouble) ||
          lo->valuedouble > hi->valuedouble || p->valuedouble < 0.0 ||
          p->valuedouble > 1.0 + 1e-9) {
        doc_error(c, x, "issue '%s': a range needs 'min' <= 'max' and 'p' in [0, 1]",
                  is->id);
        continue;
      }
      r->lo = fmax(lo->valuedouble, is->lo);
      r->hi = fmin(hi->valuedouble, is->hi);
      if (r->lo > r->hi) r->lo = r->hi;
      r->p = fmin(p->valuedouble, 1.0);
      if (!r->label) r->label = "";
      total += r->p;
      is->n_ranges++;
    }
    if (total > 1.0 + 1e-6)
      doc_error(c, rg, "issue '%s': the ranges' probabilities add up to %g > 1",
                is->id, total);
    is->ranges_given = 1;
  } else {
    derive_ranges(c, is);
  }
  /* relations (`relations` in forecasts, `dyads` in runs) */
  const cJSON *dy = jget(o, "relations");
  if (!dy) dy = jget(o, "dyads");
  cJSON_ArrayForEach(x, dy) read_dyad(c, x);
  /* thresholds: P(outcome >= an anchor), by year */
  const cJSON *th = jget(o, "thresholds");
  is->thresholds = cJSON_IsArray(th) ? th : NULL;
}

static void read_issues(rp *c) {
  const cJSON *arr = jget(c->root, "issues"), *it;
  if (!arr) return;
  if (!cJSON_IsArray(arr)) {
    doc_error(c, arr, "'issues' is not an array");
    return;
  }
  size_t n = (size_t)cJSON_GetArraySize(arr);
  if (!n) return;
  c->issues = ent_arena_array(&c->A, n, sizeof *c->issues);
  if (!c->issues) {
    c->st = ENT_ENOMEM;
    return;
  }
  cJSON_ArrayForEach(it, arr) {
    if (!cJSON_IsObject(it)) {
      doc_error(c, it, "issues[%zu] is not an object", c->n_issues);
      continue;
    }
    read_issue(c, it, &c->issues[c->n_issues]);
    if (c->issues[c->n_issues].id) c->n_issues++;
    if (c->st) return;
  }
}

static void read_relations(rp *c) {
  /* actors: the document's list, the scenario's, then first appearance */
  size_t cap = 0;
  const cJSON *arr = jget(c->root, "actors"), *it;
  cap += (size_t)cJSON_GetArraySize(arr);
  if (c->m) cap += c->m->n_actors;
  const cJSON *top = jget(c->root, "dyads");
  if (!top) top = jget(c->root, "relations");
  cap += 2 * (size_t)cJSON_GetArraySize(top);
  const cJSON *iss = jget(c->root, "issues");
  cJSON_ArrayForEach(it, iss) {
    cap += 2 * (size_t)cJSON_GetArraySize(jget(it, "dyads"));
    cap += 2 * (size_t)cJSON_GetArraySize(jget(it, "relations"));
  }
  if (cap > 64) cap = 64; /* the heat map's limit */
  if (cap < 2) cap = 2;
  c->cap_actors = cap;
  c->actors = ent_arena_array(&c->A, cap, sizeof *c->actors);
  c->rel = ent_arena_array(&c->A, cap * cap * NCLS, sizeof *c->rel);
  c->rel_n = ent_arena_array(&c->A, cap * cap, sizeof *c->rel_n);
  if (!c->actors || !c->rel || !c->rel_n) {
    c->st = ENT_ENOMEM;
    return;
  }
  cJSON_ArrayForEach(it, arr) {
    const char *id = cJSON_IsString(it) ? it->valuestring : jstr(it, "id");
    if (id) actor_index(c, id, 1);
  }
  for (size_t i = 0; c->m && i < c->m->n_actors; i++)
    actor_index(c, c->m->actors[i].id, 1);
  if (top && !cJSON_IsArray(top)) doc_error(c, top, "'dyads' is not an array");
  cJSON_ArrayForEach(it, top) read_dyad(c, it);
}

static void sens_output_name(const cJSON *o, char *buf, size_t size) {
  if (cJSON_IsString(o)) {
    snprintf(buf, size, "%s", o->valuestring);
  } else if (cJSON_IsObject(o)) {
    const char *v = jstr(o, "variable"), *e = jstr(o, "entity"), *is = jstr(o, "issue");
    double y;
    int hy = jnum(o, "year", &y) == 1;
    if (is) snprintf(buf, size, "issue %s", is);
    else if (v && !strcmp(v, "issue_forecast") && hy)
      snprintf(buf, size, "the outcome of %s in %d", e ? e : "", (int)y);
    else if (hy) snprintf(buf, size, "%s %s in %d", v ? v : "", e ? e : "", (int)y);
    else snprintf(buf, size, "%s %s", v ? v : "", e ? e : "");
  } else {
    snprintf(buf, size, "output");
  }
}

static const char *const NAME_KEYS[] = {"name", "input", "parameter", NULL};
static const char *const INDEX_KEYS[] = {"index", "src", "st", "s1", "value",
                                         "correlation", NULL};

static void read_sensitivity(rp *c) {
  const cJSON *s = jget(c->root, "sensitivity"), *it;
  if (!s || cJSON_IsNull(s)) return;
  const char *method = NULL;
  if (cJSON_IsObject(s)) {
    method = jstr(s, "method");
    s = jget(s, "outputs");
  }
  if (!cJSON_IsArray(s)) {
    doc_error(c, s ? s : jget(c->root, "sensitivity"), "'sensitivity' is not an array");
    return;
  }
  cJSON_ArrayForEach(it, s) {
    const cJSON *inputs = jget(it, "inputs");
    if (cJSON_IsArray(inputs)) {
      if (c->n_sens >= MAX_SENS) break;
      rp_sens *r = &c->sens[c->n_sens];
      memset(r, 0, sizeof *r);
      sens_output_name(jget(it, "output") ? jget(it, "output") : it, r->output,
                       sizeof r->output);
      r->method = jstr(it, "method") ? jstr(it, "method") : method;
      r->has_r2 = jnum(it, "r2", &r->r2) == 1;
      size_t n = (size_t)cJSON_GetArraySize(inputs);
      r->names = ent_arena_array(&c->A, n ? n : 1, sizeof *r->names);
      r->index = ent_arena_array(&c->A, n ? n : 1, sizeof *r->index);
      if (!r->names || !r->index) {
        c->st = ENT_ENOMEM;
        return;
      }
      const cJSON *x;
      cJSON_ArrayForEach(x, inputs) {
        const cJSON *nm = jany(x, NAME_KEYS), *ix = jany(x, INDEX_KEYS);
        if (!cJSON_IsString(nm) || !cJSON_IsNumber(ix) || !isfinite(ix->valuedouble)) {
          doc_error(c, x, "a sensitivity input needs a 'name' and a finite 'index'");
          continue;
        }
        r->names[r->n] = nm->valuestring;
        r->index[r->n] = ix->valuedouble;
        r->n++;
      }
      if (r->n) c->n_sens++;
      continue;
    }
    /* flat: {input, output, index} */
    const cJSON *nm = jany(it, NAME_KEYS), *ix = jany(it, INDEX_KEYS);
    if (!cJSON_IsString(nm) || !cJSON_IsNumber(ix) || !isfinite(ix->valuedouble)) {
      doc_error(c, it, "a sensitivity entry needs an input 'name' and a finite 'index'");
      continue;
    }
    char out[200];
    sens_output_name(jget(it, "output"), out, sizeof out);
    size_t k = 0;
    while (k < c->n_sens && strcmp(c->sens[k].output, out)) k++;
    if (k == c->n_sens) {
      if (c->n_sens >= MAX_SENS) continue;
      memset(&c->sens[k], 0, sizeof c->sens[k]);
      snprintf(c->sens[k].output, sizeof c->sens[k].output, "%s", out);
      c->sens[k].method = jstr(it, "method") ? jstr(it, "method") : method;
      size_t cap = (size_t)cJSON_GetArraySize(s);
      c->sens[k].names = ent_arena_array(&c->A, cap, sizeof(char *));
      c->sens[k].index = ent_arena_array(&c->A, cap, sizeof(double));
      if (!c->sens[k].names || !c->sens[k].index) {
        c->st = ENT_ENOMEM;
        return;
      }
      c->n_sens++;
    }
    c->sens[k].names[c->sens[k].n] = nm->valuestring;
    c->sens[k].index[c->sens[k].n] = ix->valuedouble;
    c->sens[k].n++;
  }
}

/* The pair the report leads with: the scenario's first report pair, else
 * the first "A->B" entity of the series. */
static void main_pair(rp *c) {
  if (c->m && c->m->n_pairs) {
    snprintf(c->main_a, sizeof c->main_a, "%s", c->m->actors[c->m->pairs[0][0]].id);
    snprintf(c->main_b, sizeof c->main_b, "%s", c->m->actors[c->m->pairs[0][1]].id);
    return;
  }
  for (size_t g = 0; g < c->n_series; g++) {
    const char *e = c->series[g].entity, *arrow = strstr(e, "->");
    if (arrow) {
      snprintf(c->main_a, sizeof c->main_a, "%.*s", (int)(arrow - e), e);
      snprintf(c->main_b, sizeof c->main_b, "%s", arrow + 2);
      return;
    }
  }
}

/* ------------------------------------------------------ output files */

static void add_file(rp *c, const char *name, const void *data, size_t len) {
  if (c->st) return;
  ent_report *r = c->out;
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 32;
    ent_report_file *f = ent_realloc(r->files, cap * sizeof *f);
    if (!f) {
      c->st = ENT_ENOMEM;
      return;
    }
    r->files = f;
    r->cap = cap;
  }
  ent_report_file *f = &r->files[r->n];
  f->name = ent_strdup(name);
  f->data = ent_malloc(len ? len : 1);
  if (!f->name || !f->data) {
    ent_free(f->name);
    ent_free(f->data);
    c->st = ENT_ENOMEM;
    return;
  }
  if (len) memcpy(f->data, data, len);
  f->len = len;
  r->n++;
}

static int file_exists(const rp *c, const char *name) {
  for (size_t i = 0; i < c->out->n; i++)
    if (!strcmp(c->out->files[i].name, name)) return 1;
  return 0;
}

typedef ent_status (*chart_fn)(const void *spec, ent_chart_format f,
                               ent_strbuf *out);

static ent_status fan_fn(const void *s, ent_chart_format f, ent_strbuf *o) {
  return ent_chart_fan(s, f, o);
}
static ent_status hist_fn(const void *s, ent_chart_format f, ent_strbuf *o) {
  return ent_chart_histogram(s, f, o);
}
static ent_status heat_fn(const void *s, ent_chart_format f, ent_strbuf *o) {
  return ent_chart_heatmap(s, f, o);
}
static ent_status torn_fn(const void *s, ent_chart_format f, ent_strbuf *o) {
  return ent_chart_tornado(s, f, o);
}

/* Render a chart as SVG and PNG, add both files and the <figure> that
 * embeds the SVG.  `base` is made unique; caption is HTML. */
static void chart(rp *c, const char *base, chart_fn fn, const void *spec,
                  int w, int h, const char *alt, const char *caption) {
  if (c->st) return;
  char name[160], stem[140];
  safe_name(stem, sizeof stem, base);
  snprintf(name, sizeof name, "%s.svg", stem);
  for (int k = 2; file_exists(c, name) && k < 1000; k++) {
    char tmp[140];
    snprintf(tmp, sizeof tmp, "%.120s-%d", stem, k);
    snprintf(stem, sizeof stem, "%s", tmp);
    snprintf(name, sizeof name, "%s.svg", stem);
  }
  ent_strbuf svg, png;
  ent_strbuf_init(&svg);
  ent_strbuf_init(&png);
  ent_status st = fn(spec, ENT_CHART_SVG, &svg);
  if (st == ENT_OK) st = fn(spec, ENT_CHART_PNG, &png);
  if (st != ENT_OK) {
    c->st = st == ENT_EINVAL ? ENT_EINTERNAL : st; /* specs are built here */
  } else {
    add_file(c, name, svg.data, svg.len);
    snprintf(name, sizeof name, "%s.png", stem);
    add_file(c, name, png.data, png.len);
    ent_strbuf *b = &c->html;
    ent_strbuf_printf(b, "<figure class=\"chart\" id=\"fig-%s\" data-chart=\"%s\">\n"
                         "<img width=\"%d\" height=\"%d\" alt=\"", stem, stem, w, h);
    ent_html_escape(b, alt);
    ent_strbuf_puts(b, "\" src=\"data:image/svg+xml;base64,");
    ent_html_base64(b, (const unsigned char *)svg.data, svg.len);
    ent_strbuf_puts(b, "\">\n<figcaption>");
    ent_strbuf_puts(b, caption ? caption : "");
    ent_strbuf_printf(b, " <span class=\"files\">Files: <code>%s.svg</code>, "
                         "<code>%s.png</code></span></figcaption>\n</figure>\n",
                      stem, stem);
    c->n_charts++;
  }
  ent_strbuf_free(&svg);
  ent_strbuf_free(&png);
}

/* ------------------------------------------------------------- HTML */

static const char CSS[] =
    ":root{--ink:#1f2328;--muted:#5b636b;--rule:#d8dde3;--accent:#0072B2;"
    "--soft:#f4f6f8}\n"
    "*{box-sizing:border-box}\n"
    "html{font-size:16px}\n"
    "body{margin:0;color:var(--ink);background:#fff;font-family:\"DejaVu Sans\","
    "\"Helvetica Neue\",Arial,sans-serif;line-height:1.5}\n"
    "header,main,footer,nav{max-width:980px;margin:0 auto;padding:0 24px}\n"
    "header{padding-top:32px;padding-bottom:8px;border-bottom:3px solid var(--accent)}\n"
    ".kicker{margin:0;color:var(--accent);font-weight:bold;letter-spacing:.06em;"
    "text-transform:uppercase;font-size:.8rem}\n"
    "h1{font-size:2rem;line-height:1.2;margin:.2em 0 .3em}\n"
    "h2{font-size:1.45rem;margin:2.2em 0 .6em;padding-bottom:.2em;border-bottom:1px "
    "solid var(--rule)}\n"
    "h3{font-size:1.1rem;margin:1.6em 0 .4em}\n"
    ".meta{color:var(--muted);margin:.2em 0 1em}\n"
    "nav{margin-top:16px}\nnav ol{columns:2;padding-left:1.2em;margin:.4em 0}\n"
    "nav a{color:var(--accent);text-decoration:none}\n"
    ".headline{list-style:none;padding:0}\n"
    ".headline li{border-left:4px solid var(--accent);background:var(--soft);"
    "padding:10px 14px;margin:10px 0}\n"
    ".headline .q{display:block;font-weight:bold}\n"
    ".headline .p{font-weight:bold;color:var(--accent)}\n"
    "figure.chart{margin:18px 0 8px;break-inside:avoid;page-break-inside:avoid}\n"
    "figure.chart img{display:block;width:100%;height:auto;border:1px solid "
    "var(--rule)}\n"
    "figcaption{color:var(--muted);font-size:.88rem;margin-top:6px}\n"
    ".files{white-space:nowrap}\n"
    "table{border-collapse:collapse;margin:8px 0 16px;font-size:.85rem;"
    "font-variant-numeric:tabular-nums}\n"
    "th,td{border-bottom:1px solid var(--rule);padding:4px 10px;text-align:left;"
    "vertical-align:top}\n"
    "td.n,th.n{text-align:right;white-space:nowrap}\n"
    "thead th{background:var(--soft);border-bottom:2px solid var(--rule)}\n"
    "details{margin:4px 0 20px;overflow-x:auto}\nsummary{cursor:pointer;"
    "color:var(--accent)}\n"
    ".why{color:var(--muted);font-size:.82rem;max-width:46em}\n"
    ".note{color:var(--muted);font-size:.9rem}\n"
    "code{font-family:\"DejaVu Sans Mono\",monospace;font-size:.9em}\n"
    "footer{color:var(--muted);font-size:.8rem;margin-top:48px;padding-bottom:32px;"
    "border-top:1px solid var(--rule)}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{html{font-size:10.5pt}nav,.files,summary{display:none}"
    "header,main,footer{max-width:none;padding:0}"
    "h2{break-after:avoid;page-break-after:avoid}h3{break-after:avoid}"
    "table{break-inside:auto}tr{break-inside:avoid}"
    "figure.chart img{border:none;max-height:120mm;width:auto;max-width:100%}"
    "a{color:inherit;text-decoration:none}"
    ".headline li{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void h(rp *c, const char *s) { ent_strbuf_puts(&c->html, s); }
static void esc(rp *c, const char *s) { ent_html_escape(&c->html, s); }
static void hf(rp *c, const char *fmt, ...) ENT_PRINTF(2, 3);
static void hf(rp *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ent_strbuf_vprintf(&c->html, fmt, ap);
  va_end(ap);
}

static void td_num(rp *c, double v) {
  char b[64];
  fmt_val(b, sizeof b, v);
  hf(c, "<td class=\"n\">%s</td>", b);
}

static void td_text(rp *c, const char *s) {
  h(c, "<td>");
  esc(c, s ? s : "");
  h(c, "</td>");
}

static void td_why(rp *c, const char *s) {
  h(c, "<td class=\"why\">");
  if (s) esc(c, s);
  else h(c, "<em>no rationale given</em>");
  h(c, "</td>");
}

/* Label of the range holding x, or NULL. */
static const rp_range *range_of(const rp_issue *is, double x) {
  for (size_t k = 0; k < is->n_ranges; k++)
    if (x >= is->ranges[k].lo && (x < is->ranges[k].hi || k + 1 == is->n_ranges))
      return &is->ranges[k];
  return NULL;
}

static const rp_series *series_of(const rp *c, const char *var, const char *ent) {
  for (size_t g = 0; g < c->n_series; g++)
    if (!strcmp(c->series[g].variable, var) && !strcmp(c->series[g].entity, ent))
      return &c->series[g];
  return NULL;
}

static const char *runs_phrase(const rp *c, char *buf, size_t size) {
  if (c->single) snprintf(buf, size, "a single run");
  else if (c->has_runs) snprintf(buf, size, "%.0f runs", c->runs);
  else snprintf(buf, size, "the runs");
  return buf;
}

static void section_headline(rp *c) {
  char b1[64], b2[64], b3[64], b4[64];
  h(c, "<section id=\"headline\">\n<h2>The forecast in words</h2>\n");
  if (c->n_issues == 0 && c->n_series == 0) {
    h(c, "<p class=\"note\">The document holds no issues and no series.</p>\n</section>\n");
    return;
  }
  hf(c, "<p class=\"note\">From %s", runs_phrase(c, b1, sizeof b1));
  if (c->has_time) hf(c, ", %d to %d; issue outcomes are those of %d", c->t_start, c->t_end, c->t_end);
  h(c, ".</p>\n<ul class=\"headline\">\n");
  for (size_t i = 0; i < c->n_issues; i++) {
    const rp_issue *is = &c->issues[i];
    if (!is->has_outcome) continue;
    h(c, "<li><span class=\"q\">");
    esc(c, is->question);
    h(c, "</span>");
    if (c->single || !is->bands) {
      const rp_range *r = range_of(is, is->q[2]);
      fmt_val(b1, sizeof b1, is->q[2]);
      h(c, "Forecast: ");
      if (r && r->label[0]) {
        h(c, "<span class=\"p\">\xE2\x80\x9C");
        esc(c, r->label);
        h(c, "\xE2\x80\x9D</span> ");
      }
      hf(c, "(%s on the scale", b1);
      fmt_val(b2, sizeof b2, is->lo);
      fmt_val(b3, sizeof b3, is->hi);
      hf(c, " %s\xE2\x80\x93%s; a single run, no uncertainty shown).", b2, b3);
    } else {
      size_t best = 0;
      for (size_t k = 1; k < is->n_ranges; k++)
        if (is->ranges[k].p > is->ranges[best].p) best = k;
      double above = 0.0;
      for (size_t k = best + 1; k < is->n_ranges; k++) above += is->ranges[k].p;
      if (is->n_ranges) {
        fmt_pct(b1, sizeof b1, is->ranges[best].p);
        h(c, "Most likely \xE2\x80\x9C");
        esc(c, is->ranges[best].label);
        hf(c, "\xE2\x80\x9D: <span class=\"p\">%s of runs</span>", b1);
        if (best + 1 < is->n_ranges) {
          const char *next = is->ranges[best + 1].label;
          const cJSON *th = NULL, *x;
          cJSON_ArrayForEach(x, is->thresholds) {
            const char *l = jstr(x, "label");
            if (l && !strcmp(l, next)) th = x;
          }
          double pf, pm = 0.0, yv;
          int mid = c->has_time ? c->t_start + (c->t_end - c->t_start + 1) / 2 : 0,
              has_mid = 0;
          if (th && jnum(th, "probability", &pf) == 1) {
            cJSON_ArrayForEach(x, jget(th, "by_year"))
              if (jnum(x, "year", &yv) == 1 && (int)yv == mid &&
                  jnum(x, "probability", &pm) == 1)
                has_mid = 1;
            fmt_pct(b1, sizeof b1, pf);
            h(c, "; \xE2\x80\x9C");
            esc(c, next);
            hf(c, "\xE2\x80\x9D or further: <span class=\"p\">%s of runs</span>", b1);
            if (c->has_time) hf(c, " by %d", c->t_end);
            if (has_mid && mid < c->t_end) {
              fmt_pct(b1, sizeof b1, pm);
              hf(c, ", <span class=\"p\">%s</span> by %d", b1, mid);
            }
          } else {
            fmt_pct(b1, sizeof b1, above);
            h(c, "; further (\xE2\x80\x9C");
            esc(c, next);
            hf(c, "\xE2\x80\x9D or beyond): <span class=\"p\">%s of runs</span>", b1);
          }
        }
        h(c, ". ");
      }
      fmt_val(b1, sizeof b1, is->q[2]);
      fmt_val(b2, sizeof b2, is->q[0]);
      fmt_val(b3, sizeof b3, is->q[4]);
      hf(c, "Median outcome %s; 90%% of runs between %s and %s", b1, b2, b3);
      if (is->has_base) {
        fmt_val(b4, sizeof b4, is->base_median);
        hf(c, " (the starting positions' weighted median: %s)", b4);
      }
      h(c, ".");
      if (!is->ranges_given)
        h(c, " <span class=\"note\">Range shares estimated from the quantiles.</span>");
    }
    h(c, "</li>\n");
  }
  /* the main pair's trade and dependence in the last year */
  static const char *const HV[] = {"trade_flow", "dependence"};
  for (int v = 0; v < 2 && c->main_a[0]; v++)
    for (int dir = 0; dir < 2; dir++) {
      char ent[160], lab[200], unit[64];
      snprintf(ent, sizeof ent, "%s->%s", dir ? c->main_b : c->main_a,
               dir ? c->main_a : c->main_b);
      const rp_series *s = series_of(c, HV[v], ent);
      if (!s || !s->n) continue;
      size_t t = s->n - 1;
      double f = unit_display(s->unit, unit, sizeof unit);
      entity_label(lab, sizeof lab, ent);
      h(c, "<li><span class=\"q\">");
      esc(c, var_info(HV[v])->title);
      hf(c, " in %d</span>", s->years[t]);
      esc(c, lab);
      fmt_val(b1, sizeof b1, f * s->v[2][t]);
      hf(c, ": %s<span class=\"p\">%s ", s->bands ? "median " : "", b1);
      esc(c, unit);
      h(c, "</span>");
      if (s->bands) {
        fmt_val(b2, sizeof b2, f * s->v[0][t]);
        fmt_val(b3, sizeof b3, f * s->v[4][t]);
        hf(c, "; 90%% of runs between %s and %s", b2, b3);
      }
      fmt_val(b4, sizeof b4, f * s->v[2][0]);
      hf(c, " (%d: %s).</li>\n", s->years[0], b4);
    }
  h(c, "</ul>\n</section>\n");
}

static void section_issues(rp *c) {
  if (!c->n_issues) return;
  char b[64], b2[64], b3[128];
  h(c, "<section id=\"issues\">\n<h2>Contested questions</h2>\n<p class=\"note\">"
       "Each chart shows how the runs' outcomes fall on the question's labelled "
       "scale; vertical lines mark the median of the runs and the baselines "
       "(weighted median and mean of the starting positions).</p>\n");
  for (size_t i = 0; i < c->n_issues && !c->st; i++) {
    const rp_issue *is = &c->issues[i];
    hf(c, "<h3 id=\"issue-%zu\">", i + 1);
    esc(c, is->question);
    h(c, " <code>");
    esc(c, is->id);
    h(c, "</code></h3>\n");
    if (!is->has_outcome || !is->n_ranges) {
      h(c, "<p class=\"note\">No outcome in the document.</p>\n");
      continue;
    }
    double *blo = ent_arena_array(&c->A, is->n_ranges, sizeof(double));
    double *bhi = ent_arena_array(&c->A, is->n_ranges, sizeof(double));
    double *sh = ent_arena_array(&c->A, is->n_ranges, sizeof(double));
    if (!blo || !bhi || !sh) {
      c->st = ENT_ENOMEM;
      return;
    }
    for (size_t k = 0; k < is->n_ranges; k++) {
      blo[k] = is->ranges[k].lo;
      bhi[k] = is->ranges[k].hi;
      sh[k] = is->ranges[k].p;
    }
    ent_chart_mark mk[3];
    size_t nm = 0;
    mk[nm].at = is->q[2];
    mk[nm++].label = c->single ? "forecast (the run)" : "median of the runs";
    if (is->has_base) {
      mk[nm].at = is->base_median;
      mk[nm++].label = "baseline: weighted median of the starting positions";
      mk[nm].at = is->base_mean;
      mk[nm++].label = "baseline: weighted mean";
    }
    char xl[240];
    fmt_val(b, sizeof b, is->lo);
    fmt_val(b2, sizeof b2, is->hi);
    if (c->has_time)
      snprintf(xl, sizeof xl, "outcome on the question's scale (%s to %s), %d", b, b2, c->t_end);
    else
      snprintf(xl, sizeof xl, "outcome on the question's scale (%s to %s)", b, b2);
    ent_chart_hist_spec hs = {is->question, xl, is->lo, is->hi, blo, bhi, sh,
                              is->n_ranges, is->anchors, is->n_anchors, mk, nm};
    int w, hh;
    ent_chart_histogram_size(&hs, &w, &hh);
    char base[120];
    snprintf(base, sizeof base, "hist-%s", is->id);
    ent_strbuf cap;
    ent_strbuf_init(&cap);
    ent_strbuf_printf(&cap, "Share of %s in each labelled range of ",
                      runs_phrase(c, b3, sizeof b3));
    ent_strbuf_puts(&cap, "<code>");
    ent_html_escape(&cap, is->id);
    ent_strbuf_puts(&cap, "</code>");
    if (!is->ranges_given && !c->single)
      ent_strbuf_puts(&cap, " (estimated from the outcome's quantiles: the "
                            "document gives no ranges)");
    ent_strbuf_puts(&cap, ".");
    chart(c, base, hist_fn, &hs, w, hh, is->question, cap.failed ? "" : cap.data);
    ent_strbuf_free(&cap);
    /* table */
    h(c, "<details open><summary>Table</summary><table><thead><tr><th>range</th>"
         "<th class=\"n\">from</th><th class=\"n\">to</th><th class=\"n\">share of "
         "runs</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < is->n_ranges; k++) {
      h(c, "<tr>");
      td_text(c, is->ranges[k].label);
      td_num(c, is->ranges[k].lo);
      td_num(c, is->ranges[k].hi);
      fmt_pct(b, sizeof b, is->ranges[k].p);
      hf(c, "<td class=\"n\">%s</td></tr>\n", b);
    }
    h(c, "</tbody></table><table><thead><tr>");
    if (is->bands)
      h(c, "<th class=\"n\">5%</th><th class=\"n\">25%</th><th class=\"n\">median</th>"
           "<th class=\"n\">75%</th><th class=\"n\">95%</th><th class=\"n\">mean</th>");
    else
      h(c, "<th class=\"n\">forecast (median)</th><th class=\"n\">mean</th>");
    if (is->has_base) h(c, "<th class=\"n\">baseline median</th><th class=\"n\">baseline mean</th>");
    h(c, "</tr></thead><tbody><tr>");
    if (is->bands)
      for (int j = 0; j < 5; j++) td_num(c, is->q[j]);
    else
      td_num(c, is->q[2]);
    td_num(c, is->mean);
    if (is->has_base) {
      td_num(c, is->base_median);
      td_num(c, is->base_mean);
    }
    h(c, "</tr></tbody></table></details>\n");
  }
  h(c, "</section>\n");
}

static void section_relations(rp *c) {
  size_t n = c->n_actors, cap = c->cap_actors, with = 0;
  for (size_t i = 0; i < n * n && n; i++)
    if (c->rel_n[(i / n) * cap + i % n]) with++;
  if (n < 2 || !with) return;
  double *share = ent_arena_array(&c->A, n * n * NCLS, sizeof(double));
  if (!share) {
    c->st = ENT_ENOMEM;
    return;
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      int cnt = c->rel_n[i * cap + j];
      for (int k = 0; k < NCLS; k++)
        share[(i * n + j) * NCLS + k] =
            cnt ? fmin(1.0, c->rel[(i * cap + j) * NCLS + k] / cnt) : 0.0;
    }
  h(c, "<section id=\"relations\">\n<h2>Relationships pair by pair</h2>\n"
       "<p class=\"note\">How each actor (row) stands toward each other actor "
       "(column) in the last bargaining round, over all the questions both take "
       "part in");
  if (!c->single) h(c, " and over all runs");
  h(c, ": conflict (one side expects to gain by confronting the other), "
       "compromise, capitulation, stalemate, or agreement (the same position).</p>\n");
  ent_chart_heat_spec hs = {"Relationships pair by pair (row actor toward column actor)",
                            c->actors, n, CLASS_NAMES, NCLS, share};
  int w, hh;
  ent_chart_heatmap_size(&hs, &w, &hh);
  chart(c, "relations", heat_fn, &hs, w, hh, "Relationship map",
        "Share of each relationship class per ordered pair of actors; grey: the "
        "two never meet on a question.");
  h(c, "<details open><summary>Table</summary><table><thead><tr><th>from</th>"
       "<th>to</th>");
  for (int k = 0; k < NCLS; k++) hf(c, "<th class=\"n\">%s</th>", CLASS_NAMES[k]);
  h(c, "<th class=\"n\">observations</th></tr></thead><tbody>\n");
  char b[64];
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      int cnt = c->rel_n[i * cap + j];
      if (i == j || !cnt) continue;
      h(c, "<tr>");
      td_text(c, c->actors[i]);
      td_text(c, c->actors[j]);
      for (int k = 0; k < NCLS; k++) {
        fmt_pct(b, sizeof b, share[(i * n + j) * NCLS + k]);
        hf(c, "<td class=\"n\">%s</td>", b);
      }
      hf(c, "<td class=\"n\">%d</td></tr>\n", cnt);
    }
  h(c, "</tbody></table></details>\n</section>\n");
}

static void section_sensitivity(rp *c) {
  if (!c->n_sens) return;
  h(c, "<section id=\"sensitivity\">\n<h2>What drives the forecast</h2>\n"
       "<p class=\"note\">Inputs ranked by how strongly the uncertain input "
       "moves each output (the 20 strongest are drawn).</p>\n");
  for (size_t k = 0; k < c->n_sens && !c->st; k++) {
    const rp_sens *s = &c->sens[k];
    char ttl[260], xl[160], base[64], b[64];
    snprintf(ttl, sizeof ttl, "What moves %s", s->output);
    const char *mn = s->method ? s->method : "";
    if (!strcmp(mn, "src"))
      snprintf(xl, sizeof xl, "standardised regression coefficient (SRC)");
    else if (!strcmp(mn, "sobol") || !strcmp(mn, "st"))
      snprintf(xl, sizeof xl, "Sobol' total index");
    else if (!strcmp(mn, "s1"))
      snprintf(xl, sizeof xl, "Sobol' first-order index");
    else
      snprintf(xl, sizeof xl, "sensitivity index%s%s", mn[0] ? ": " : "", mn);
    h(c, "<h3>");
    esc(c, ttl);
    h(c, "</h3>\n");
    ent_chart_tornado_spec ts = {ttl, xl, s->names, s->index, s->n};
    int w, hh;
    ent_chart_tornado_size(&ts, &w, &hh);
    snprintf(base, sizeof base, "tornado-%zu", k + 1);
    ent_strbuf cap;
    ent_strbuf_init(&cap);
    ent_strbuf_puts(&cap, "Sensitivity of ");
    ent_html_escape(&cap, s->output);
    if (s->method) {
      ent_strbuf_puts(&cap, " (");
      ent_html_escape(&cap, s->method);
      ent_strbuf_puts(&cap, ")");
    }
    if (s->has_r2) {
      fmt_val(b, sizeof b, s->r2);
      ent_strbuf_printf(&cap, "; R\xC2\xB2 of the linear fit %s", b);
    }
    ent_strbuf_puts(&cap, ".");
    chart(c, base, torn_fn, &ts, w, hh, ttl, cap.failed ? "" : cap.data);
    ent_strbuf_free(&cap);
    h(c, "<details open><summary>Table</summary><table><thead><tr><th>input</th>"
         "<th class=\"n\">index</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < s->n; i++) {
      h(c, "<tr>");
      td_text(c, s->names[i]);
      td_num(c, s->index[i]);
      h(c, "</tr>\n");
    }
    h(c, "</tbody></table></details>\n");
  }
  h(c, "</section>\n");
}

/* Observed history of (variable, entity) in the scenario, or NULL. */
static const ent_history *history_of(const ent_model *m, const char *var,
                                     const char *ent) {
  if (!m || !m->st) return NULL;
  for (size_t k = 0; k < m->st->n_history; k++) {
    const ent_history *hh = &m->st->history[k];
    if (!strcmp(hh->variable, var) && !strcmp(hh->entity, ent)) return hh;
  }
  return NULL;
}

/* One fan chart of up to four series of the same variable (equal years). */
static void fan_chart(rp *c, const char *base, const char *ttl,
                      const rp_series *const *ss, size_t n) {
  ent_chart_fan_line lines[ENT_CHART_MAX_LINES];
  char labels[ENT_CHART_MAX_LINES][160], unit[64], yl[160], b[64];
  double f = unit_display(ss[0]->unit, unit, sizeof unit);
  size_t ny = ss[0]->n, nl = 0;
  const varinfo *vi = var_info(ss[0]->variable);
  int issue = !strcmp(ss[0]->variable, "issue_forecast");
  double yr[2] = {0.0, 100.0};
  const rp_issue *is = NULL;
  for (size_t i = 0; issue && i < c->n_issues; i++)
    if (!strcmp(c->issues[i].id, ss[0]->entity)) is = &c->issues[i];
  if (is) {
    yr[0] = is->lo;
    yr[1] = is->hi;
  }
  if (issue)
    snprintf(yl, sizeof yl, "forecast on the question's scale");
  else
    snprintf(yl, sizeof yl, "%s%s%s", vi ? vi->axis : ss[0]->variable,
             unit[0] ? ", " : "", unit);
  for (size_t i = 0; i < n && nl < ENT_CHART_MAX_LINES; i++) {
    const rp_series *s = ss[i];
    if (s->n != ny || memcmp(s->years, ss[0]->years, ny * sizeof(int))) continue;
    ent_chart_fan_line *l = &lines[nl];
    memset(l, 0, sizeof *l);
    entity_label(labels[nl], sizeof labels[nl], s->entity);
    l->label = labels[nl];
    for (int j = 0; j < 5; j++) {
      if (!s->bands && j != 2) continue;
      double *q = ent_arena_array(&c->A, ny, sizeof(double));
      if (!q) {
        c->st = ENT_ENOMEM;
        return;
      }
      for (size_t t = 0; t < ny; t++) q[t] = f * s->v[j][t];
      l->q[j] = q;
    }
    const ent_history *hh = history_of(c->m, s->variable, s->entity);
    if (hh && hh->n) {
      double *ov = ent_arena_array(&c->A, hh->n, sizeof(double));
      if (!ov) {
        c->st = ENT_ENOMEM;
        return;
      }
      for (size_t k = 0; k < hh->n; k++) ov[k] = f * hh->values[k];
      l->obs_years = hh->years;
      l->obs_values = ov;
      l->n_obs = hh->n;
    }
    nl++;
  }
  char note[64] = "";
  if (!c->single && c->has_runs) snprintf(note, sizeof note, "bands from %.0f runs", c->runs);
  ent_chart_fan_spec fs = {ttl, yl, ss[0]->years, ny, lines, nl, note,
                           issue && is ? yr : NULL};
  int w, hh;
  ent_chart_fan_size(&fs, &w, &hh);
  ent_strbuf cap;
  ent_strbuf_init(&cap);
  ent_strbuf_puts(&cap, "<code>");
  ent_html_escape(&cap, ss[0]->variable);
  ent_strbuf_puts(&cap, "</code>");
  for (size_t i = 0; i < nl; i++) {
    ent_strbuf_puts(&cap, i ? ", " : " of ");
    ent_html_escape(&cap, labels[i]);
  }
  if (unit[0]) {
    ent_strbuf_puts(&cap, ", in ");
    ent_html_escape(&cap, unit);
  }
  ent_strbuf_puts(&cap, c->single ? "; one run." : "; line: median of the runs, "
                                                   "bands: 50% and 90% of the runs.");
  int any_obs = 0;
  for (size_t i = 0; i < nl; i++) any_obs |= lines[i].n_obs > 0;
  if (any_obs) ent_strbuf_puts(&cap, " Points: observed values the scenario records.");
  chart(c, base, fan_fn, &fs, w, hh, ttl, cap.failed ? "" : cap.data);
  ent_strbuf_free(&cap);
  /* table */
  h(c, "<details open><summary>Table</summary><table><thead><tr><th>year</th>");
  for (size_t i = 0; i < nl; i++) {
    if (c->single) {
      h(c, "<th class=\"n\">");
      esc(c, labels[i]);
      h(c, "</th>");
    } else {
      h(c, "<th class=\"n\">");
      esc(c, labels[i]);
      h(c, " median</th><th class=\"n\">50% band</th><th class=\"n\">90% band</th>");
    }
    if (lines[i].n_obs) {
      h(c, "<th class=\"n\">observed</th>");
    }
  }
  h(c, "</tr></thead><tbody>\n");
  for (size_t t = 0; t < ny; t++) {
    hf(c, "<tr><td>%d</td>", ss[0]->years[t]);
    for (size_t i = 0; i < nl; i++) {
      td_num(c, lines[i].q[2][t]);
      if (!c->single) {
        char lo[64], hi2[64];
        if (lines[i].q[0]) {
          fmt_val(lo, sizeof lo, lines[i].q[1][t]);
          fmt_val(hi2, sizeof hi2, lines[i].q[3][t]);
          hf(c, "<td class=\"n\">%s \xE2\x80\x93 %s</td>", lo, hi2);
          fmt_val(lo, sizeof lo, lines[i].q[0][t]);
          fmt_val(hi2, sizeof hi2, lines[i].q[4][t]);
          hf(c, "<td class=\"n\">%s \xE2\x80\x93 %s</td>", lo, hi2);
        } else {
          h(c, "<td class=\"n\">\xE2\x80\x94</td><td class=\"n\">\xE2\x80\x94</td>");
        }
      }
      if (lines[i].n_obs) {
        size_t k = 0;
        while (k < lines[i].n_obs && lines[i].obs_years[k] != ss[0]->years[t]) k++;
        if (k < lines[i].n_obs) {
          fmt_val(b, sizeof b, lines[i].obs_values[k]);
          hf(c, "<td class=\"n\">%s</td>", b);
        } else {
          h(c, "<td class=\"n\"></td>");
        }
      }
    }
    h(c, "</tr>\n");
  }
  h(c, "</tbody></table></details>\n");
}

/* Entities to draw for a variable: all if at most four, else those of
 * the main pair, else the first two. */
static size_t pick_entities(rp *c, const char *var, const rp_series **out) {
  size_t all = 0;
  for (size_t g = 0; g < c->n_series; g++)
    if (!strcmp(c->series[g].variable, var)) all++;
  size_t n = 0;
  if (all <= ENT_CHART_MAX_LINES) {
    for (size_t g = 0; g < c->n_series; g++)
      if (!strcmp(c->series[g].variable, var)) out[n++] = &c->series[g];
    return n;
  }
  if (c->main_a[0]) {
    char want[4][160];
    snprintf(want[0], sizeof want[0], "%s->%s", c->main_a, c->main_b);
    snprintf(want[1], sizeof want[1], "%s->%s", c->main_b, c->main_a);
    snprintf(want[2], sizeof want[2], "%s", c->main_a);
    snprintf(want[3], sizeof want[3], "%s", c->main_b);
    for (int k = 0; k < 4; k++) {
      const rp_series *s = series_of(c, var, want[k]);
      if (s) out[n++] = s;
    }
    if (n) return n;
  }
  for (size_t g = 0; g < c->n_series && n < 2; g++)
    if (!strcmp(c->series[g].variable, var)) out[n++] = &c->series[g];
  return n;
}

static int is_issue_var(const char *v) {
  return !strcmp(v, "issue_forecast") || !strcmp(v, "issue_mean");
}

static void section_series(rp *c) {
  size_t nvar = 0;
  for (size_t g = 0; g < c->n_series; g++)
    if (!is_issue_var(c->series[g].variable)) nvar++;
  if (!nvar) return;
  h(c, "<section id=\"series\">\n<h2>Year by year</h2>\n<p class=\"note\">");
  if (c->single) h(c, "The run's value of each variable, year by year");
  else h(c, "Fan charts: the median of the runs (line) and the bands that hold "
            "50% and 90% of them");
  h(c, "; points are observed values the scenario records (docs/variables.md "
       "defines every variable).");
  if (c->main_a[0]) {
    h(c, " Variables with many entities are shown for the main pair, ");
    esc(c, c->main_a);
    h(c, " and ");
    esc(c, c->main_b);
    h(c, "; every value is in the CSV output.");
  }
  h(c, "</p>\n");
  for (int grp = 0; grp < G_COUNT && !c->st; grp++) {
    int opened = 0;
    for (size_t g = 0; g < c->n_series && !c->st; g++) {
      rp_series *s = &c->series[g];
      const varinfo *vi = var_info(s->variable);
      int sg = vi ? vi->group : G_OTHER;
      if (sg != grp || s->used || is_issue_var(s->variable)) continue;
      /* first appearance of this variable */
      int seen = 0;
      for (size_t k = 0; k < g; k++)
        if (!strcmp(c->series[k].variable, s->variable)) seen = 1;
      if (seen) continue;
      if (!opened) {
        hf(c, "<h3>%s</h3>\n", GROUP_TITLES[grp]);
        opened = 1;
      }
      const rp_series *ss[ENT_CHART_MAX_LINES];
      size_t n = pick_entities(c, s->variable, ss);
      if (!n) continue;
      char base[120];
      snprintf(base, sizeof base, "fan-%s", s->variable);
      fan_chart(c, base, vi ? vi->title : s->variable, ss, n);
    }
  }
  h(c, "</section>\n");
}

static void section_issue_time(rp *c) {
  size_t n = 0;
  for (size_t g = 0; g < c->n_series; g++)
    if (!strcmp(c->series[g].variable, "issue_forecast") && c->series[g].n > 1) n++;
  if (!n) return;
  h(c, "<section id=\"issues-over-time\">\n<h2>The questions year by year</h2>\n"
       "<p class=\"note\">The forecast of each question (the weighted median "
       "after that year's bargaining) as the structure moves.</p>\n");
  for (size_t g = 0; g < c->n_series && !c->st; g++) {
    const rp_series *s = &c->series[g];
    if (strcmp(s->variable, "issue_forecast") || s->n < 2) continue;
    const char *ttl = s->entity;
    for (size_t i = 0; i < c->n_issues; i++)
      if (!strcmp(c->issues[i].id, s->entity)) ttl = c->issues[i].question;
    char base[120];
    snprintf(base, sizeof base, "fan-issue-%s", s->entity);
    const rp_series *ss[1] = {s};
    fan_chart(c, base, ttl, ss, 1);
  }
  h(c, "</section>\n");
}

static void section_backtest(rp *c) {
  h(c, "<section id=\"backtest\">\n<h2>Back-test</h2>\n");
  if (!c->bt) {
    h(c, "<p class=\"note\">No back-test in this report (docs/backtest.md; "
         "<code>entente backtest</code>).</p>\n</section>\n");
    return;
  }
  const cJSON *bt = c->bt, *ser = jget(bt, "series"), *s;
  double a, b;
  h(c, "<p class=\"note\">The model run from the base-year data of scenario <code>");
  esc(c, jstr(bt, "scenario"));
  hf(c, "</code> (%d) with only the shocks known then, against what was observed; "
        "MAPE is the mean absolute percentage error, beside two naive "
        "forecasts: persistence (the last observed value) and the log-linear "
        "trend up to the base year.</p>\n",
     jnum(bt, "start", &a) == 1 ? (int)a : 0);
  int k = 0;
  cJSON_ArrayForEach(s, ser) {
    if (c->st || k >= 6) break;
    const cJSON *yrs = jget(s, "years"), *y;
    size_t n = (size_t)cJSON_GetArraySize(yrs);
    if (!n) continue;
    int *years = ent_arena_array(&c->A, n, sizeof(int));
    double *col[4];
    for (int j = 0; j < 4; j++) col[j] = ent_arena_array(&c->A, n, sizeof(double));
    if (!years || !col[3]) {
      c->st = ENT_ENOMEM;
      return;
    }
    static const char *const KEYS[4] = {"model", "persistence", "trend", "actual"};
    size_t t = 0;
    int has_trend = 1;
    cJSON_ArrayForEach(y, yrs) {
      if (jnum(y, "year", &a) != 1) continue;
      years[t] = (int)a;
      for (int j = 0; j < 4; j++)
        if (jnum(y, KEYS[j], &col[j][t]) != 1) {
          col[j][t] = 0.0;
          if (j == 2) has_trend = 0;
        }
      t++;
    }
    const char *var = jstr(s, "variable"), *ent = jstr(s, "entity");
    const ent_history *hh = history_of(c->bt_model, var ? var : "", ent ? ent : "");
    char unit[64], ttl[200], lab[160], yl[160], base[64];
    double f = unit_display(hh ? hh->unit : NULL, unit, sizeof unit);
    for (int j = 0; j < 4; j++)
      for (size_t q = 0; q < t; q++) col[j][q] *= f;
    entity_label(lab, sizeof lab, ent ? ent : "");
    const varinfo *vi = var_info(var ? var : "");
    const char *vt = var && !strcmp(var, "trade_total") ? "Total trade"
                     : vi ? vi->title : var ? var : "";
    snprintf(ttl, sizeof ttl, "Back-test: %s, %s", vt, lab);
    snprintf(yl, sizeof yl, "%s%s%s",
             var && !strcmp(var, "trade_total") ? "total trade" : vi ? vi->axis : var ? var : "",
             unit[0] ? ", " : "", unit);
    /* an exploding trend must not flatten the rest: clip it */
    double top = 0.0, ttop = 0.0;
    for (size_t q = 0; q < t; q++) {
      top = fmax(top, fmax(col[0][q], fmax(col[1][q], col[3][q])));
      if (has_trend) ttop = fmax(ttop, col[2][q]);
    }
    double unit_step = top > 0.0 ? 0.5 * pow(10.0, floor(log10(1.5 * top))) : 1.0;
    double yr[2] = {0.0, ceil(1.5 * top / unit_step) * unit_step};
    int clip = has_trend && top > 0.0 && ttop > yr[1];
    ent_chart_fan_line lines[3];
    memset(lines, 0, sizeof lines);
    lines[0].label = "model";
    lines[0].q[2] = col[0];
    lines[0].obs_years = years;
    lines[0].obs_values = col[3];
    lines[0].n_obs = t;
    lines[0].obs_label = "actual (observed)";
    lines[1].label = "persistence";
    lines[1].q[2] = col[1];
    lines[2].label = "trend";
    lines[2].q[2] = col[2];
    ent_chart_fan_spec fs = {ttl, yl, years, t, lines, has_trend ? 3u : 2u, NULL,
                             clip ? yr : NULL};
    int w, hgt;
    ent_chart_fan_size(&fs, &w, &hgt);
    snprintf(base, sizeof base, "backtest-%d", ++k);
    h(c, "<h3>");
    esc(c, ttl);
    h(c, "</h3>\n");
    const cJSON *mape = jget(s, "mape");
    char m1[64] = "?", m2[64] = "?", m3[64] = "\xE2\x80\x94";
    if (jnum(mape, "model", &a) == 1) fmt_val(m1, sizeof m1, a);
    if (jnum(mape, "persistence", &a) == 1) fmt_val(m2, sizeof m2, a);
    if (jnum(mape, "trend", &a) == 1) fmt_val(m3, sizeof m3, a);
    char cap[400];
    snprintf(cap, sizeof cap, "Model against the observed values; MAPE: model %s%%, "
                              "persistence %s%%, trend %s%%.%s", m1, m2, m3,
             clip ? " The trend leaves the chart at the top." : "");
    chart(c, base, fan_fn, &fs, w, hgt, ttl, cap);
    h(c, "<details open><summary>Table</summary><table><thead><tr><th>year</th>"
         "<th class=\"n\">actual</th><th class=\"n\">model</th><th class=\"n\">"
         "error</th><th class=\"n\">persistence</th><th class=\"n\">trend</th>"
         "</tr></thead><tbody>\n");
    for (size_t q = 0; q < t; q++) {
      hf(c, "<tr><td>%d</td>", years[q]);
      td_num(c, col[3][q]);
      td_num(c, col[0][q]);
      b = col[3][q] != 0.0 ? 100.0 * (col[0][q] - col[3][q]) / col[3][q] : 0.0;
      hf(c, "<td class=\"n\">%+.1f%%</td>", b);
      td_num(c, col[1][q]);
      if (has_trend) td_num(c, col[2][q]);
      else h(c, "<td class=\"n\">\xE2\x80\x94</td>");
      h(c, "</tr>\n");
    }
    hf(c, "<tr><th>MAPE</th><td></td><td class=\"n\">%s%%</td><td></td>"
          "<td class=\"n\">%s%%</td><td class=\"n\">%s%%</td></tr>\n", m1, m2, m3);
    h(c, "</tbody></table></details>\n");
    if (jstr(s, "source")) {
      h(c, "<p class=\"note\">Observed: ");
      esc(c, jstr(s, "source"));
      h(c, "</p>\n");
    }
  }
  h(c, "</section>\n");
}

static void section_assumptions(rp *c) {
  h(c, "<section id=\"assumptions\">\n<h2>Assumptions</h2>\n");
  if (!c->m) {
    h(c, "<p class=\"note\">The scenario was not given, so its inputs are not "
         "listed (<code>entente report --scenario SCENARIO</code>).</p>\n</section>\n");
    return;
  }
  cJSON *a = ent_json_assumptions_doc(c->m);
  if (!a) {
    c->st = ENT_ENOMEM;
    return;
  }
  const cJSON *it, *p;
  const char *desc = jstr(jget(a, "scenario"), "description");
  h(c, "<p>Every input of scenario <code>");
  esc(c, c->m->id);
  h(c, "</code> (");
  esc(c, c->m->source);
  h(c, ") with the rationale the scenario gives for it.</p>\n");
  if (desc) {
    h(c, "<p>");
    esc(c, desc);
    h(c, "</p>\n");
  }
  h(c, "<h3>Actors</h3>\n<table><thead><tr><th>id</th><th>name</th><th>kind</th>"
       "<th class=\"n\">capability</th><th>rationale</th></tr></thead><tbody>\n");
  cJSON_ArrayForEach(it, jget(a, "actors")) {
    double v;
    h(c, "<tr>");
    td_text(c, jstr(it, "id"));
    td_text(c, jstr(it, "name"));
    td_text(c, jstr(it, "kind"));
    if (jnum(it, "capability", &v) == 1) td_num(c, v);
    else h(c, "<td></td>");
    td_why(c, jstr(it, "why"));
    h(c, "</tr>\n");
  }
  h(c, "</tbody></table>\n");
  cJSON_ArrayForEach(it, jget(a, "issues")) {
    double v;
    h(c, "<h3>");
    esc(c, jstr(it, "question"));
    h(c, " <code>");
    esc(c, jstr(it, "id"));
    h(c, "</code></h3>\n");
    if (jstr(it, "why")) {
      h(c, "<p class=\"why\">");
      esc(c, jstr(it, "why"));
      h(c, "</p>\n");
    }
    const cJSON *an = jget(jget(it, "scale"), "anchors");
    if (cJSON_GetArraySize(an)) {
      h(c, "<p class=\"note\">Scale: ");
      int first = 1;
      cJSON_ArrayForEach(p, an) {
        char b[64];
        fmt_val(b, sizeof b, jnum(p, "at", &v) == 1 ? v : 0.0);
        hf(c, "%s<strong>%s</strong> ", first ? "" : "; ", b);
        esc(c, jstr(p, "label"));
        first = 0;
      }
      h(c, "</p>\n");
    }
    h(c, "<table><thead><tr><th>actor</th><th class=\"n\">position</th><th "
         "class=\"n\">salience</th><th class=\"n\">capability</th><th>rationale"
         "</th></tr></thead><tbody>\n");
    cJSON_ArrayForEach(p, jget(it, "positions")) {
      h(c, "<tr>");
      td_text(c, jstr(p, "actor"));
      td_num(c, jnum(p, "position", &v) == 1 ? v : 0.0);
      td_num(c, jnum(p, "salience", &v) == 1 ? v : 0.0);
      td_num(c, jnum(p, "capability", &v) == 1 ? v : 0.0);
      td_why(c, jstr(p, "why"));
      h(c, "</tr>\n");
    }
    h(c, "</tbody></table>\n");
  }
  if (cJSON_GetArraySize(jget(a, "blocs"))) {
    const cJSON *ec = jget(a, "economy");
    double th = 0, ad = 0;
    jnum(ec, "theta", &th);
    jnum(ec, "adjustment", &ad);
    char b1[64], b2[64];
    fmt_val(b1, sizeof b1, th);
    fmt_val(b2, sizeof b2, ad);
    hf(c, "<h3>The economies</h3>\n<p class=\"note\">Trade elasticity \xCE\xB8 = %s; "
          "trade closes a share %s of the gap to each year's equilibrium.</p>\n",
       b1, b2);
    h(c, "<table><thead><tr><th>bloc</th><th class=\"n\">GDP, US$ bn</th><th "
         "class=\"n\">military spending, US$ bn</th><th>growth, % a year</th>"
         "<th>rationale</th></tr></thead><tbody>\n");
    cJSON_ArrayForEach(it, jget(a, "blocs")) {
      double v;
      h(c, "<tr>");
      td_text(c, jstr(it, "id"));
      td_num(c, jnum(it, "gdp", &v) == 1 ? v : 0.0);
      td_num(c, jnum(it, "milex", &v) == 1 ? v : 0.0);
      h(c, "<td>");
      int first = 1;
      cJSON_ArrayForEach(p, jget(it, "growth")) {
        double yr = 0, r = 0;
        jnum(p, "year", &yr);
        jnum(p, "rate", &r);
        char b[64];
        fmt_val(b, sizeof b, r);
        hf(c, "%sfrom %d: %s", first ? "" : "; ", (int)yr, b);
        first = 0;
      }
      h(c, "</td>");
      td_why(c, jstr(it, "why"));
      h(c, "</tr>\n");
    }
    h(c, "</tbody></table>\n");
  }
  if (cJSON_GetArraySize(jget(a, "shocks"))) {
    h(c, "<h3>Shocks (trade costs)</h3>\n<table><thead><tr><th>shock</th><th>"
         "exporters \xE2\x86\x92 importers</th><th>years</th><th class=\"n\">"
         "\xCE\xB2</th><th>source and rationale</th></tr></thead><tbody>\n");
    cJSON_ArrayForEach(it, jget(a, "shocks")) {
      double v, e;
      h(c, "<tr>");
      td_text(c, jstr(it, "id"));
      h(c, "<td>");
      int first = 1;
      cJSON_ArrayForEach(p, jget(it, "from")) {
        hf(c, "%s", first ? "" : ", ");
        esc(c, p->valuestring);
        first = 0;
      }
      h(c, cJSON_IsTrue(jget(it, "both")) ? " \xE2\x86\x94 " : " \xE2\x86\x92 ");
      first = 1;
      cJSON_ArrayForEach(p, jget(it, "to")) {
        hf(c, "%s", first ? "" : ", ");
        esc(c, p->valuestring);
        first = 0;
      }
      h(c, "</td>");
      jnum(it, "start", &v);
      if (jnum(it, "end", &e) == 1) hf(c, "<td>%d\xE2\x80\x93%d</td>", (int)v, (int)e - 1);
      else hf(c, "<td>from %d</td>", (int)v);
      if (cJSON_IsTrue(jget(it, "embargo"))) h(c, "<td class=\"n\">embargo</td>");
      else td_num(c, jnum(it, "beta", &v) == 1 ? v : 0.0);
      h(c, "<td class=\"why\">");
      esc(c, jstr(it, "source"));
      if (jstr(it, "why")) {
        h(c, "<br>");
        esc(c, jstr(it, "why"));
      }
      h(c, "</td></tr>\n");
    }
    h(c, "</tbody></table>\n");
  }
  if (cJSON_GetArraySize(jget(a, "channels"))) {
    h(c, "<h3>Channels (energy, arms)</h3>\n<table><thead><tr><th>channel</th>"
         "<th>route</th><th class=\"n\">base</th><th class=\"n\">capacity</th>"
         "<th class=\"n\">ramp / year</th><th>unit</th><th>rationale</th></tr>"
         "</thead><tbody>\n");
    cJSON_ArrayForEach(it, jget(a, "channels")) {
      double v;
      h(c, "<tr>");
      td_text(c, jstr(it, "id"));
      h(c, "<td>");
      esc(c, jstr(it, "from"));
      h(c, " \xE2\x86\x92 ");
      esc(c, jstr(it, "to"));
      h(c, "</td>");
      td_num(c, jnum(it, "base", &v) == 1 ? v : 0.0);
      td_num(c, jnum(it, "capacity", &v) == 1 ? v : 0.0);
      td_num(c, jnum(it, "ramp", &v) == 1 ? v : 0.0);
      td_text(c, jstr(it, "unit"));
      td_why(c, jstr(it, "why"));
      h(c, "</tr>\n");
    }
    h(c, "</tbody></table>\n");
  }
  if (cJSON_GetArraySize(jget(a, "links"))) {
    h(c, "<h3>Links between the layers</h3>\n<table><thead><tr><th>link</th>"
         "<th>from</th><th>to</th><th>form</th><th>rationale</th></tr></thead>"
         "<tbody>\n");
    cJSON_ArrayForEach(it, jget(a, "links")) {
      h(c, "<tr>");
      td_text(c, jstr(it, "id"));
      td_text(c, jstr(it, "source"));
      td_text(c, jstr(it, "target"));
      td_text(c, jstr(it, "parameter"));
      td_why(c, jstr(it, "why"));
      h(c, "</tr>\n");
    }
    h(c, "</tbody></table>\n");
  }
  if (cJSON_GetArraySize(jget(a, "uncertain"))) {
    h(c, "<h3>Uncertain inputs</h3>\n<p class=\"note\">Each run draws these from "
         "their distributions; a single run uses the nominal value.</p>\n"
         "<table><thead><tr><th>input</th><th>distribution</th><th class=\"n\">"
         "nominal</th><th>where</th></tr></thead><tbody>\n");
    cJSON_ArrayForEach(it, jget(a, "uncertain")) {
      double v, l = 0;
      h(c, "<tr>");
      td_text(c, jstr(it, "name"));
      td_text(c, jstr(it, "distribution"));
      td_num(c, jnum(it, "nominal", &v) == 1 ? v : 0.0);
      const cJSON *at = jget(it, "at");
      jnum(at, "line", &l);
      h(c, "<td><code>");
      esc(c, jstr(at, "file"));
      hf(c, ":%d</code></td></tr>\n", (int)l);
    }
    h(c, "</tbody></table>\n");
  }
  if (cJSON_GetArraySize(jget(a, "history"))) {
    h(c, "<h3>Observed history (for charts and the back-test, never an input)"
         "</h3>\n<table><thead><tr><th>variable</th><th>entity</th><th>years</th>"
         "<th>source</th></tr></thead><tbody>\n");
    cJSON_ArrayForEach(it, jget(a, "history")) {
      const cJSON *vals = jget(it, "values");
      int n = cJSON_GetArraySize(vals);
      double y0 = 0, y1 = 0;
      if (n) {
        jnum(cJSON_GetArrayItem(vals, 0), "year", &y0);
        jnum(cJSON_GetArrayItem(vals, n - 1), "year", &y1);
      }
      h(c, "<tr>");
      td_text(c, jstr(it, "variable"));
      td_text(c, jstr(it, "entity"));
      hf(c, "<td>%d\xE2\x80\x93%d (%d)</td>", (int)y0, (int)y1, n);
      td_why(c, jstr(it, "source"));
      h(c, "</tr>\n");
    }
    h(c, "</tbody></table>\n");
  }
  cJSON_Delete(a);
  h(c, "</section>\n");
}

/* One row "prefix.name | value" of a scalar of the document. */
static void method_row(rp *c, const char *prefix, const cJSON *it) {
  char b[64];
  if (!it->string || cJSON_IsArray(it) || cJSON_IsObject(it) || cJSON_IsNull(it))
    return;
  h(c, "<tr><th>");
  if (prefix) {
    esc(c, prefix);
    h(c, ".");
  }
  esc(c, it->string);
  h(c, "</th><td>");
  if (cJSON_IsString(it)) {
    esc(c, it->valuestring);
  } else if (cJSON_IsNumber(it)) {
    fmt_val(b, sizeof b, it->valuedouble);
    h(c, b);
  } else {
    h(c, cJSON_IsTrue(it) ? "true" : "false");
  }
  h(c, "</td></tr>\n");
}

static void section_method(rp *c) {
  h(c, "<section id=\"method\">\n<h2>How this forecast was made</h2>\n<table><tbody>\n");
  h(c, "<tr><th>scenario</th><td><code>");
  esc(c, c->sc_id ? c->sc_id : "?");
  h(c, "</code>");
  if (c->sc_source) {
    h(c, " (");
    esc(c, c->sc_source);
    h(c, ")");
  }
  h(c, "</td></tr>\n<tr><th>result document</th><td><code>");
  esc(c, c->name);
  h(c, "</code></td></tr>\n");
  if (c->stored) {
    hf(c, "<tr><th>run store</th><td>run %lld", c->stored->id);
    if (c->stored->status) {
      h(c, " (");
      esc(c, c->stored->status);
      h(c, ")");
    }
    h(c, "</td></tr>\n");
  }
  hf(c, "<tr><th>kind</th><td>%s</td></tr>\n",
     c->single ? "a single deterministic run (entente run)"
               : "a Monte Carlo ensemble (entente forecast)");
  if (c->has_runs) hf(c, "<tr><th>runs (members)</th><td>%.0f</td></tr>\n", c->runs);
  if (c->seed[0]) {
    h(c, "<tr><th>seed</th><td>");
    esc(c, c->seed);
    h(c, "</td></tr>\n");
  }
  h(c, "<tr><th>entente version</th><td>");
  esc(c, c->version ? c->version : "not recorded");
  h(c, "</td></tr>\n<tr><th>made</th><td>");
  esc(c, c->created ? c->created : "not recorded in the document");
  h(c, "</td></tr>\n");
  if (c->has_time) hf(c, "<tr><th>years</th><td>%d\xE2\x80\x93%d</td></tr>\n", c->t_start, c->t_end);
  /* any other scalar the document records */
  static const char *const SHOWN[] = {"runs", "members", "seed", "version", "created",
                                      "finished", "started", "timestamp", "date",
                                      "time", "title", NULL};
  const cJSON *it;
  const cJSON *top;
  cJSON_ArrayForEach(top, c->root) {
    if (!top->string || cJSON_IsArray(top) || cJSON_IsNull(top)) continue;
    int skip = 0;
    for (const char *const *k = SHOWN; *k; k++) skip |= !strcmp(*k, top->string);
    if (skip || !strcmp(top->string, "scenario")) continue;
    /* scalars, and the scalars of an object one level down */
    if (cJSON_IsObject(top)) {
      cJSON_ArrayForEach(it, top) method_row(c, top->string, it);
    } else {
      method_row(c, NULL, top);
    }
  }
  hf(c, "<tr><th>report made by</th><td>entente %s (<code>entente report</code>)"
        "</td></tr>\n", ENT_VERSION);
  h(c, "</tbody></table>\n<p class=\"note\">Models: expected-utility bargaining "
       "(Bueno de Mesquita; Scholz et al. 2011), GE structural gravity for "
       "trade, indicators of dependence (docs/models/). The tidy CSV of the same "
       "result (<code>--format csv</code>) loads with <code>read.csv</code> and "
       "<code>pandas.read_csv</code> (docs/r-and-python.md).</p>\n</section>\n");
}

static void html_head(rp *c) {
  char b[64];
  h(c, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "img-src data:; style-src 'unsafe-inline'\">\n"
       "<meta name=\"generator\" content=\"entente " ENT_VERSION "\">\n"
       "<link rel=\"icon\" href=\"data:,\">\n<title>");
  esc(c, c->sc_title ? c->sc_title : c->sc_id ? c->sc_id : "entente report");
  h(c, " \xE2\x80\x94 entente report</title>\n<style>\n");
  h(c, CSS);
  h(c, "</style>\n</head>\n<body>\n<header>\n<p class=\"kicker\">");
  h(c, c->single ? "entente \xC2\xB7 one run" : "entente \xC2\xB7 forecast");
  h(c, "</p>\n<h1>");
  esc(c, c->sc_title ? c->sc_title : c->sc_id ? c->sc_id : "Forecast");
  h(c, "</h1>\n<p class=\"meta\">Scenario <code>");
  esc(c, c->sc_id ? c->sc_id : "?");
  hf(c, "</code> \xC2\xB7 %s", runs_phrase(c, b, sizeof b));
  if (c->seed[0]) {
    h(c, " \xC2\xB7 seed ");
    esc(c, c->seed);
  }
  if (c->has_time) hf(c, " \xC2\xB7 %d\xE2\x80\x93%d", c->t_start, c->t_end);
  if (c->version) {
    h(c, " \xC2\xB7 entente ");
    esc(c, c->version);
  }
  if (c->created) {
    h(c, " \xC2\xB7 ");
    esc(c, c->created);
  }
  h(c, "</p>\n</header>\n<nav aria-label=\"contents\"><ol>\n"
       "<li><a href=\"#headline\">The forecast in words</a></li>\n");
  if (c->n_issues) h(c, "<li><a href=\"#issues\">Contested questions</a></li>\n");
  int rel = 0;
  for (size_t i = 0; c->rel_n && i < c->cap_actors * c->cap_actors; i++) rel |= c->rel_n[i] > 0;
  if (rel) h(c, "<li><a href=\"#relations\">Relationships pair by pair</a></li>\n");
  if (c->n_sens) h(c, "<li><a href=\"#sensitivity\">What drives the forecast</a></li>\n");
  int ser = 0, iser = 0;
  for (size_t g = 0; g < c->n_series; g++) {
    if (!is_issue_var(c->series[g].variable)) ser = 1;
    else if (!strcmp(c->series[g].variable, "issue_forecast") && c->series[g].n > 1) iser = 1;
  }
  if (ser) h(c, "<li><a href=\"#series\">Year by year</a></li>\n");
  if (iser) h(c, "<li><a href=\"#issues-over-time\">The questions year by year</a></li>\n");
  h(c, "<li><a href=\"#backtest\">Back-test</a></li>\n"
       "<li><a href=\"#assumptions\">Assumptions</a></li>\n"
       "<li><a href=\"#method\">How this forecast was made</a></li>\n</ol></nav>\n"
       "<main>\n");
}

static void html_foot(rp *c) {
  hf(c, "</main>\n<footer><p>Made by entente %s from <code>", ENT_VERSION);
  esc(c, c->name);
  hf(c, "</code>. %zu charts; every chart is also in the report's folder as SVG "
        "and PNG.</p></footer>\n</body>\n</html>\n", c->n_charts);
}

/* Baselines (weighted median and mean of the starting positions) from a
 * nominal run of the scenario, for documents that do not carry them. */
static void nominal_baselines(rp *c) {
  int need = 0;
  for (size_t i = 0; i < c->n_issues; i++) need |= !c->issues[i].has_base;
  if (!need || !c->m) return;
  ent_run *r = NULL;
  ent_diag *tmp = ent_diag_create();
  if (tmp && ent_run_create(c->m, NULL, &r, tmp) == ENT_OK) {
    for (size_t i = 0; i < c->n_issues; i++) {
      rp_issue *is = &c->issues[i];
      for (size_t k = 0; !is->has_base && k < r->n_issues; k++) {
        if (strcmp(r->issues[k].issue->id, is->id)) continue;
        is->base_median = r->issues[k].initial_median;
        is->base_mean = r->issues[k].initial_mean;
        is->has_base = 1;
        c->base_nominal = 1;
      }
    }
  }
  ent_run_destroy(r);
  ent_diag_destroy(tmp);
}

/* -------------------------------------------------------- back-test */

static void load_backtest(rp *c, const ent_run *r) {
  if (!r) return;
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (!mem) {
    c->st = ENT_ENOMEM;
    return;
  }
  ent_diag *tmp = ent_diag_create();
  ent_status st = tmp ? ent_run_write_backtest(r, ENT_FORMAT_JSON, mem, tmp) : ENT_ENOMEM;
  fclose(mem);
  if (st == ENT_OK) {
    c->bt = cJSON_ParseWithLength(buf, len);
    c->bt_model = r->m;
    if (!c->bt) c->st = ENT_ENOMEM;
  } else if (st == ENT_EINVAL) {
    /* no history to compare with: the report says there is no back-test */
  } else {
    c->st = st;
  }
  ent_diag_destroy(tmp);
  free(buf);
}

/* ------------------------------------------------------------ public */

void ent_report_destroy(ent_report *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) {
    ent_free(r->files[i].name);
    ent_free(r->files[i].data);
  }
  ent_free(r->files);
  ent_free(r);
}

size_t ent_report_file_count(const ent_report *r) { return r ? r->n : 0; }

const char *ent_report_file_name(const ent_report *r, size_t i) {
  return r && i < r->n ? r->files[i].name : NULL;
}

const unsigned char *ent_report_file_data(const ent_report *r, size_t i,
                                          size_t *len) {
  if (!r || i >= r->n) {
    if (len) *len = 0;
    return NULL;
  }
  if (len) *len = r->files[i].len;
  return r->files[i].data;
}

static ent_status build(const char *name, const char *json, size_t len,
                        const ent_model *m, const ent_run *backtest,
                        const rp_stored *stored, ent_report **out,
                        ent_diag *d) {
  if (out) *out = NULL;
  if (!json || !out) return ENT_EINVAL;
  rp *c = ent_calloc(1, sizeof *c);
  if (!c) return ENT_ENOMEM;
  c->stored = stored;
  ent_arena_init(&c->A);
  ent_strbuf_init(&c->html);
  c->name = name ? name : "<forecast>";
  c->text = json;
  c->len = len;
  c->d = d;
  c->m = m;
  ent_status st = ENT_OK;
  const char *end = NULL;
  c->root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
  if (!c->root) {
    int line, col;
    size_t off = end && end >= json && end <= json + len ? (size_t)(end - json) : 0;
    offset_pos(json, off, &line, &col);
    ent_diag_set_source(d, c->name, json, len);
    ent_diag_error(d, c->name, line, col, "malformed JSON: the result document "
                                          "cannot be parsed here");
    st = ENT_EINPUT;
    goto done;
  }
  if (end && !ent_is_blank(end, len - (size_t)(end - json))) {
    int line, col;
    while (end < json + len && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
      end++;
    offset_pos(json, (size_t)(end - json), &line, &col);
    ent_diag_set_source(d, c->name, json, len);
    ent_diag_error(d, c->name, line, col, "unexpected text after the JSON document");
    st = ENT_EINPUT;
    goto done;
  }
  if (!cJSON_IsObject(c->root)) {
    doc_error(c, c->root, "the result document is not a JSON object (expected "
                          "the output of 'entente forecast --format json')");
  } else if (!cJSON_IsArray(jget(c->root, "series")) &&
             !cJSON_IsArray(jget(c->root, "issues"))) {
    doc_error(c, c->root, "the result document has neither 'series' nor 'issues' "
                          "(expected the output of 'entente forecast --format json')");
  } else {
    read_meta(c);
    read_series(c);
    if (!c->st) read_relations(c); /* before the issues: they add dyads */
    if (!c->st) read_issues(c);
    if (!c->st) read_sensitivity(c);
  }
  if (c->st) {
    st = c->st;
    goto done;
  }
  if (c->errors) {
    ent_diag_set_source(d, c->name, json, len);
    st = ENT_EINPUT;
    goto done;
  }
  /* a document with no series at all is a one-issue run: no years */
  if (!c->n_series && !c->has_runs) c->single = 1;
  if (!c->n_series && c->n_issues) {
    int bands = 0;
    for (size_t i = 0; i < c->n_issues; i++) bands |= c->issues[i].bands;
    c->single = !bands;
  }
  main_pair(c);
  nominal_baselines(c);
  load_backtest(c, backtest);
  c->out = ent_calloc(1, sizeof *c->out);
  if (!c->out) c->st = ENT_ENOMEM;
  if (!c->st) html_head(c);
  if (!c->st) section_headline(c);
  if (!c->st) section_issues(c);
  if (!c->st) section_relations(c);
  if (!c->st) section_sensitivity(c);
  if (!c->st) section_series(c);
  if (!c->st) section_issue_time(c);
  if (!c->st) section_backtest(c);
  if (!c->st) section_assumptions(c);
  if (!c->st) section_method(c);
  if (!c->st) html_foot(c);
  if (!c->st && (c->html.failed || c->A.failed)) c->st = ENT_ENOMEM;
  if (!c->st) add_file(c, "report.html", c->html.data, c->html.len);
  st = c->st;
  if (st == ENT_OK) {
    *out = c->out;
    c->out = NULL;
  }
done:
  ent_report_destroy(c->out);
  ent_model_destroy(c->own_m);
  cJSON_Delete(c->root);
  cJSON_Delete(c->bt);
  ent_strbuf_free(&c->html);
  ent_arena_free(&c->A);
  ent_free(c);
  return st;
}

ent_status ent_report_create(const char *name, const char *json, size_t len,
                             const ent_model *m, const ent_run *backtest,
                             ent_report **out, ent_diag *d) {
  return build(name, json, len, m, backtest, NULL, out, d);
}

/* Output of f(s, ..., fp) in memory (malloc'd, NUL-terminated). */
static char *capture_list(ent_store *s, size_t *len, ent_status *st) {
  char *buf = NULL;
  FILE *mem = open_memstream(&buf, len);
  if (!mem) {
    *st = ENT_ENOMEM;
    return NULL;
  }
  *st = ent_store_list(s, ENT_FORMAT_JSON, mem);
  fclose(mem);
  return buf;
}

ent_status ent_report_create_stored(ent_store *s, long long id,
                                    const ent_model *m,
                                    const ent_run *backtest, ent_report **out,
                                    ent_diag *d) {
  if (out) *out = NULL;
  if (!s || !out || id < 0) return ENT_EINVAL;
  size_t len = 0;
  ent_status st;
  char *list = capture_list(s, &len, &st);
  cJSON *arr = st == ENT_OK && list ? cJSON_ParseWithLength(list, len) : NULL;
  free(list);
  if (st != ENT_OK) return st;
  if (!arr) return ENT_ENOMEM;
  /* the entry: `id`, or the latest one with results */
  const cJSON *it, *pick = NULL;
  cJSON_ArrayForEach(it, arr) {
    double v = 0, done = 0;
    jnum(it, "id", &v);
    jnum(it, "done", &done);
    const char *kind = jstr(it, "kind");
    if (id ? (long long)v == id
           : (kind && !strcmp(kind, "run")) || done > 0.0)
      pick = it;
  }
  if (!pick) {
    if (id)
      ent_diag_error(d, "<command-line>", 1, 1, "the run store has no run %lld", id);
    else
      ent_diag_error(d, "<command-line>", 1, 1, "the run store holds no run or "
                                                "forecast with results yet");
    cJSON_Delete(arr);
    return ENT_EINPUT;
  }
  double v = 0;
  jnum(pick, "id", &v);
  rp_stored info = {(long long)v, jstr(pick, "started"), jstr(pick, "status"),
                    jstr(pick, "kind")};
  char *doc = NULL;
  size_t dlen = 0;
  FILE *mem = open_memstream(&doc, &dlen);
  st = mem ? ent_store_show(s, info.id, mem, d) : ENT_ENOMEM;
  if (mem) fclose(mem);
  if (st == ENT_OK) {
    char name[64];
    snprintf(name, sizeof name, "<store run %lld>", info.id);
    st = build(name, doc, dlen, m, backtest, &info, out, d);
  }
  free(doc);
  cJSON_Delete(arr);
  return st;
}
