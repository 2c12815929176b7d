/*
 * report.c -- text and JSON output of runs (names documented in report.h).
 *
 * Output is built completely in memory and written at the end, so a
 * failure never leaves half a document; numbers are printed with the
 * shortest text that reads back to the same double, so equal runs give
 * byte-identical output.
 */
#include "output/report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static const char *stop_name(ent_eum_stop_reason s) {
  switch (s) {
  case ENT_EUM_STOPPED_NO_MOVE:
    return "no_move";
  case ENT_EUM_STOPPED_MEDIAN_STABLE:
    return "median_stable";
  case ENT_EUM_STOPPED_CYCLE:
    return "cycle";
  default:
    return "rounds";
  }
}

static cJSON *num_array(const double *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; a && i < n; i++)
    cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
  return a;
}

static ent_status write_json(cJSON *root, FILE *fp) {
  if (!root) return ENT_ENOMEM;
  char *s = cJSON_Print(root);
  cJSON_Delete(root);
  if (!s) return ENT_ENOMEM;
  int bad = fputs(s, fp) < 0 || fputc('\n', fp) == EOF;
  cJSON_free(s);
  return bad || fflush(fp) ? ENT_EIO : ENT_OK;
}

static ent_status write_buf(ent_strbuf *b, FILE *fp) {
  if (b->failed) {
    ent_strbuf_free(b);
    return ENT_ENOMEM;
  }
  int bad = b->len && fwrite(b->data, 1, b->len, fp) != b->len;
  ent_strbuf_free(b);
  return bad || fflush(fp) ? ENT_EIO : ENT_OK;
}

/* A number for text tables: up to 4 decimals, no trailing zeros. */
static void fmt_short(char *buf, size_t size, double v) {
  if (v == 0.0) v = 0.0;
  snprintf(buf, size, "%.4f", v);
  char *dot = strchr(buf, '.');
  if (dot) {
    char *e = buf + strlen(buf) - 1;
    while (e > dot && *e == '0') *e-- = '\0';
    if (e == dot) *e = '\0';
  }
  if (!strcmp(buf, "-0")) strcpy(buf, "0");
}

static cJSON *moves_json(const ent_eum_hist *h, int round,
                         const char *const *names) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t k = 0; arr && k < h->n_moves; k++) {
    const ent_eum_move *mv = &h->moves[k];
    if (mv->round != round) continue;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "mover", names[mv->mover]);
    cJSON_AddStringToObject(o, "type", ent_eum_move_name(mv->type));
    cJSON_AddStringToObject(o, "toward", names[mv->toward]);
    cJSON_AddNumberToObject(o, "a", mv->a);
    cJSON_AddNumberToObject(o, "b", mv->b);
    cJSON_AddNumberToObject(o, "from", mv->from);
    cJSON_AddNumberToObject(o, "to", mv->to);
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

static cJSON *forecast_json(const ent_eum_hist *h) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddNumberToObject(f, "median", h->median[h->n_rounds]);
  cJSON_AddNumberToObject(f, "mean", h->mean[h->n_rounds]);
  cJSON_AddBoolToObject(f, "converged", h->converged);
  cJSON_AddNumberToObject(f, "median_min", h->median_min);
  cJSON_AddNumberToObject(f, "median_max", h->median_max);
  cJSON_AddNumberToObject(f, "rounds_played", h->n_rounds);
  cJSON_AddStringToObject(f, "stopped", stop_name(h->stopped));
  if (h->cycle_start >= 0) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddNumberToObject(c, "start", h->cycle_start);
    cJSON_AddNumberToObject(c, "period", h->cycle_period);
    cJSON_AddItemToObject(f, "cycle", c);
  } else {
    cJSON_AddNullToObject(f, "cycle");
  }
  return f;
}

static cJSON *rounds_json(const ent_eum_hist *h, const char *const *names,
                          int with_risk) {
  cJSON *rounds = cJSON_CreateArray();
  size_t n = h->n;
  for (int t = 0; rounds && t <= h->n_rounds; t++) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "round", t);
    cJSON_AddItemToObject(r, "positions", num_array(h->x + (size_t)t * n, n));
    cJSON_AddNumberToObject(r, "mean", h->mean[t]);
    cJSON_AddNumberToObject(r, "median", h->median[t]);
    if (with_risk && t > 0)
      cJSON_AddItemToObject(r, "risk",
                            num_array(h->r + (size_t)(t - 1) * n, n));
    cJSON_AddItemToObject(r, "moves", moves_json(h, t, names));
    cJSON_AddItemToArray(rounds, r);
  }
  return rounds;
}

/* Region of (i, j) in the last round played, or none before any round. */
static ent_eum_region last_region(const ent_eum_hist *h, size_t i, size_t j) {
  if (h->n_rounds == 0) return ENT_REGION_NONE;
  return ent_eum_hist_region(h, h->n_rounds, i, j);
}

/* Names of an issue's actors (stake order) into a caller array. */
static void stake_names(const ent_model *m, const ent_issue *is,
                        const char **names) {
  for (size_t k = 0; k < is->n_stakes; k++)
    names[k] = m->actors[is->stakes[k].actor].id;
}

/* ------------------------------------------------------------ eum view */

ent_status ent_run_write_eum(const ent_run *r, ent_format f, FILE *fp) {
  if (!r || r->n_issues != 1) return ENT_EINVAL;
  const ent_issue_run *ir = &r->issues[0];
  const ent_eum_hist *h = ent_issue_run_hist(ir);
  const ent_model *m = r->m;
  size_t n = h->n;
  const char **names = ent_mallocarray(n, sizeof *names);
  if (!names) return ENT_ENOMEM;
  for (size_t k = 0; k < n; k++)
    names[k] = m->actors[ir->issue->stakes[k].actor].name;
  char opts[512];
  ent_eum_opts_describe(&ir->opts, opts, sizeof opts);
  ent_status st;
  if (f == ENT_FORMAT_JSON) {
    cJSON *root = cJSON_CreateObject();
    cJSON *actors = cJSON_AddArrayToObject(root, "actors");
    for (size_t k = 0; k < n; k++)
      cJSON_AddItemToArray(actors, cJSON_CreateString(names[k]));
    cJSON_AddStringToObject(root, "options", opts);
    cJSON_AddNumberToObject(root, "range", h->range);
    cJSON_AddItemToObject(root, "rounds", rounds_json(h, names, 1));
    cJSON_AddItemToObject(root, "forecast", forecast_json(h));
    st = write_json(root, fp);
  } else {
    ent_strbuf b;
    ent_strbuf_init(&b);
    char v[64];
    ent_strbuf_printf(&b, "expected-utility model: %zu actors, %s\noptions: %s\n\n",
                      n, m->source ? m->source : "", opts);
    int show_pos = n <= 12;
    ent_strbuf_printf(&b, "%5s %10s %10s", "round", "mean", "median");
    if (show_pos)
      for (size_t k = 0; k < n; k++) ent_strbuf_printf(&b, " %10.10s", names[k]);
    ent_strbuf_puts(&b, "\n");
    for (int t = 0; t <= h->n_rounds; t++) {
      ent_strbuf_printf(&b, "%5d %10.4f %10.4f", t, h->mean[t], h->median[t]);
      if (show_pos)
        for (size_t k = 0; k < n; k++)
          ent_strbuf_printf(&b, " %10.4f", h->x[(size_t)t * n + k]);
      ent_strbuf_puts(&b, "\n");
    }
    ent_strbuf_puts(&b, "\nmoves:\n");
    if (h->n_moves == 0) ent_strbuf_puts(&b, "  none\n");
    for (size_t k = 0; k < h->n_moves; k++) {
      const ent_eum_move *mv = &h->moves[k];
      fmt_short(v, sizeof v, mv->to);
      ent_strbuf_printf(&b, "  round %d: %s %s %s -> %s\n", mv->round,
                        names[mv->mover],
                        mv->type == ENT_MOVE_CONFLICT     ? "concedes to"
                        : mv->type == ENT_MOVE_COMPROMISE ? "compromises with"
                                                          : "capitulates to",
                        names[mv->toward], v);
    }
    ent_strbuf_printf(&b, "\nforecast after %d round%s: median %.4f, mean %.4f\n",
                      h->n_rounds, h->n_rounds == 1 ? "" : "s",
                      h->median[h->n_rounds], h->mean[h->n_rounds]);
    ent_strbuf_printf(&b, "start: median %.4f, mean %.4f\n", h->median[0],
                      h->mean[0]);
    if (h->converged)
      ent_strbuf_printf(&b, "converged: the median is stable over the last %d "
                            "rounds\n", ir->opts.window);
    else
      ent_strbuf_printf(&b,
                        "did not converge: over the last %d rounds the median "
                        "ranges from %.4f to %.4f\n",
                        ir->opts.window, h->median_min, h->median_max);
    if (h->cycle_start >= 0)
      ent_strbuf_printf(&b, "cycle: the positions of round %d repeat those of "
                            "round %d (period %d)\n",
                        h->cycle_start + h->cycle_period, h->cycle_start,
                        h->cycle_period);
    st = write_buf(&b, fp);
  }
  ent_free(names);
  return st;
}

/* ------------------------------------------------------------ run view */

static void describe_value(const ent_issue *is, double v, char *buf,
                           size_t size) {
  const char *nearest, *below, *above;
  ent_issue_describe(is, v, &nearest, &below, &above);
  if (!nearest) {
    buf[0] = '\0';
    return;
  }
  double lo_at = is->lo, hi_at = is->hi;
  for (size_t k = 0; k < is->n_anchors; k++) {
    if (is->anchors[k].at <= v) lo_at = is->anchors[k].at;
    if (is->anchors[k].at >= v) {
      hi_at = is->anchors[k].at;
      break;
    }
  }
  if (below && above && below != above)
    snprintf(buf, size, "between \"%s\" (%g) and \"%s\" (%g), nearer \"%s\"",
             below, lo_at, above, hi_at, nearest);
  else
    snprintf(buf, size, "\"%s\"", nearest);
}

cJSON *ent_report_scale_json(const ent_issue *is) {
  cJSON *scale = cJSON_CreateObject();
  cJSON_AddNumberToObject(scale, "min", is->lo);
  cJSON_AddNumberToObject(scale, "max", is->hi);
  cJSON *anchors = cJSON_AddArrayToObject(scale, "anchors");
  for (size_t k = 0; k < is->n_anchors; k++) {
    cJSON *a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "at", is->anchors[k].at);
    cJSON_AddStringToObject(a, "label", is->anchors[k].label);
    cJSON_AddItemToArray(anchors, a);
  }
  return scale;
}

/* SMP results of an issue run as JSON (positions on the issue's scale). */
static cJSON *smp_json(const ent_issue_run *ir, const char *const *names) {
  const ent_issue *is = ir->issue;
  size_t n = is->n_stakes, m = is->n_dims;
  const ent_issue_smp *sp = ent_issue_run_smp_ran(ir);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "ran", sp != NULL);
  if (!sp) {
    const ent_issue_smp *ns = ent_issue_run_smp(ir);
    cJSON_AddStringToObject(o, "note", ns && ns->note ? ns->note : "not run");
    return o;
  }
  cJSON *dims = cJSON_AddArrayToObject(o, "dimensions");
  for (size_t q = 0; q < m; q++)
    cJSON_AddItemToArray(dims, cJSON_CreateString(is->dims[q]));
  cJSON_AddItemToObject(o, "likely", num_array(sp->likely, m));
  cJSON_AddItemToObject(o, "mean", num_array(sp->mean, m));
  cJSON_AddNumberToObject(o, "turns", sp->turns);
  cJSON_AddBoolToObject(o, "converged", sp->converged);
  cJSON *fin = cJSON_AddArrayToObject(o, "final");
  for (size_t k = 0; k < n; k++) {
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "actor", names[k]);
    cJSON_AddItemToObject(a, "position", num_array(sp->final + k * m, m));
    cJSON_AddNumberToObject(a, "win_probability", sp->win[k]);
    cJSON_AddItemToArray(fin, a);
  }
  return o;
}

/* Do the two models disagree on a `both` issue (by more than the margin)? */
static int models_disagree(const ent_issue_run *ir, double *gap) {
  const ent_issue *is = ir->issue;
  const ent_issue_smp *sp = ent_issue_run_smp_ran(ir);
  if (!ent_issue_run_hist(ir) || !sp) return 0;
  *gap = fabs(sp->likely[0] - ir->forecast);
  return *gap > ENT_MODEL_DISAGREE * (is->hi - is->lo);
}

static const char *model_name(ent_issue_model m) {
  return m == ENT_ISSUE_SMP ? "smp" : m == ENT_ISSUE_BOTH ? "both" : "eum";
}

static cJSON *run_issue_json(const ent_model *m, const ent_issue_run *ir) {
  const ent_issue *is = ir->issue;
  const ent_eum_hist *h = ent_issue_run_hist(ir);
  const ent_issue_eum *eu = ent_issue_run_eum(ir);
  const ent_issue_smp *sp = ent_issue_run_smp_ran(ir);
  size_t n = is->n_stakes;
  const char **names = ent_mallocarray(n, sizeof *names);
  if (!names) return NULL;
  stake_names(m, is, names);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", is->id);
  cJSON_AddStringToObject(o, "question", is->question);
  cJSON_AddItemToObject(o, "scale", ent_report_scale_json(is));
  char opts[512];
  ent_eum_opts_describe(&ir->opts, opts, sizeof opts);
  cJSON_AddStringToObject(o, "model", model_name(ir->model));
  cJSON_AddStringToObject(o, "options", opts);
  cJSON *actors = cJSON_AddArrayToObject(o, "actors");
  for (size_t k = 0; k < n; k++)
    cJSON_AddItemToArray(actors, cJSON_CreateString(names[k]));
  cJSON *init = cJSON_AddObjectToObject(o, "initial");
  cJSON_AddNumberToObject(init, "median", ir->initial_median);
  cJSON_AddNumberToObject(init, "mean", ir->initial_mean);
  cJSON *fc;
  if (h) {
    fc = forecast_json(h);
  } else {
    fc = cJSON_CreateObject();
    cJSON_AddNumberToObject(fc, "median", ir->forecast);
    cJSON_AddNumberToObject(fc, "mean", sp ? sp->mean[0] : ir->forecast);
    cJSON_AddBoolToObject(fc, "converged", sp && sp->converged);
    cJSON_AddStringToObject(fc, "source", "smp");
  }
  char label[512];
  describe_value(is, ir->forecast, label, sizeof label);
  cJSON_AddStringToObject(fc, "label", label);
  cJSON_AddItemToObject(o, "forecast", fc);
  if (ir->model != ENT_ISSUE_EUM) {
    cJSON_AddItemToObject(o, "smp", smp_json(ir, names));
    double gap = 0.0;
    if (h && sp) {
      cJSON *cmp = cJSON_AddObjectToObject(o, "models");
      cJSON_AddNumberToObject(cmp, "eum", ir->forecast);
      cJSON_AddNumberToObject(cmp, "smp", sp->likely[0]);
      cJSON_AddNumberToObject(cmp, "margin",
                              ENT_MODEL_DISAGREE * (is->hi - is->lo));
      cJSON_AddBoolToObject(cmp, "disagree", models_disagree(ir, &gap));
    }
  }
  if (eu && eu->has_robustness && h) {
    cJSON *rb = cJSON_AddObjectToObject(o, "robustness");
    cJSON_AddNumberToObject(rb, "least_move_median", eu->least_move_median);
    cJSON_AddNumberToObject(rb, "reflected_median", eu->reflected_median);
    double tol = 0.05 * (is->hi - is->lo);
    double fm = h->median[h->n_rounds];
    cJSON_AddBoolToObject(rb, "stable",
                          fabs(eu->least_move_median - fm) <= tol &&
                              fabs(eu->reflected_median - fm) <= tol);
  }
  cJSON_AddItemToObject(o, "rounds", h ? rounds_json(h, names, 0)
                                       : cJSON_CreateArray());
  cJSON *dyads = cJSON_AddArrayToObject(o, "dyads");
  for (size_t i = 0; h && i < n; i++)
    for (size_t j = 0; j < n; j++) {
      if (i == j) continue;
      ent_eum_region reg = last_region(h, i, j);
      cJSON *dy = cJSON_CreateObject();
      cJSON_AddStringToObject(dy, "from", names[i]);
      cJSON_AddStringToObject(dy, "to", names[j]);
      cJSON_AddStringToObject(dy, "relation", ent_eum_region_class(reg));
      cJSON_AddStringToObject(dy, "region", ent_eum_region_name(reg));
      cJSON_AddNumberToObject(dy, "a", h->last_a[i * n + j]);
      cJSON_AddNumberToObject(dy, "b", h->last_b[i * n + j]);
      cJSON_AddItemToArray(dyads, dy);
    }
  ent_free(names);
  return o;
}

/* Index of actor `a` among the issue's stakes, or -1. */
static long stake_of(const ent_issue *is, size_t a) {
  for (size_t k = 0; k < is->n_stakes; k++)
    if (is->stakes[k].actor == a) return (long)k;
  return -1;
}

static char class_letter(ent_eum_region r) {
  switch (r) {
  case ENT_REGION_CONFRONT_I_MOVES:
  case ENT_REGION_CONFRONT_J_MOVES:
    return 'X';
  case ENT_REGION_COMPROMISE_I_MOVES:
  case ENT_REGION_COMPROMISE_J_MOVES:
    return 'C';
  case ENT_REGION_CAPITULATE_I_MOVES:
  case ENT_REGION_CAPITULATE_J_MOVES:
    return 'K';
  case ENT_REGION_STALEMATE:
    return 'S';
  case ENT_REGION_SAME_POSITION:
    return '=';
  default:
    return '.';
  }
}


/* Tidy CSV: one row per variable x entity x year (docs/variables.md). */
static void run_csv(const ent_run *r, ent_strbuf *b) {
  char v[40];
  ent_strbuf_puts(b, "variable,entity,year,value,unit\n");
  for (size_t k = 0; k < r->n_series; k++) {
    const ent_series_point *p = &r->series[k];
    ent_fmt_double(v, sizeof v, p->value);
    ent_strbuf_printf(b, "%s,", p->variable);
    ent_csv_write_field(b, p->entity, 0);
    ent_strbuf_printf(b, ",%d,%s,", p->year, v);
    ent_csv_write_field(b, p->unit, 0);
    ent_strbuf_puts(b, "\n");
  }
  if (r->m->st) return;
  /* strategic-only runs: the forecasts, without a year */
  for (size_t i = 0; i < r->n_issues; i++) {
    const ent_issue_run *ir = &r->issues[i];
    ent_fmt_double(v, sizeof v, ir->forecast);
    ent_strbuf_printf(b, "issue_forecast,%s,,%s,scale\n", ir->issue->id, v);
    const ent_eum_hist *h = ent_issue_run_hist(ir);
    const ent_issue_smp *sp = ent_issue_run_smp_ran(ir);
    double mean = h ? h->mean[h->n_rounds] : sp ? sp->mean[0] : ir->forecast;
    ent_fmt_double(v, sizeof v, mean);
    ent_strbuf_printf(b, "issue_mean,%s,,%s,scale\n", ir->issue->id, v);
  }
}

/* The main dyad of the yearly table: the first report pair whose actors
 * are both blocs, else the first two actor blocs. */
static int main_dyad(const ent_model *m, size_t *a, size_t *b) {
  const ent_structure *st = m->st;
  for (size_t p = 0; p < m->n_pairs; p++) {
    size_t x = ent_model_find_bloc(m, m->actors[m->pairs[p][0]].id);
    size_t y = ent_model_find_bloc(m, m->actors[m->pairs[p][1]].id);
    if (x != (size_t)-1 && y != (size_t)-1) {
      *a = x;
      *b = y;
      return 0;
    }
  }
  size_t found = 0;
  for (size_t i = 0; i < st->n_blocs && found < 2; i++)
    if (st->blocs[i].actor >= 0) {
      if (found == 0) *a = i;
      else *b = i;
      found++;
    }
  if (found == 2) return 0;
  *a = 0;
  *b = 1;
  return 0;
}

/* One table cell: the value of (var, ent, year) times scale, right-aligned
 * in `width` with `prec` decimals, or "-" if the run has no such value. */
static void cell(ent_strbuf *b, const ent_run *r, const char *var,
                 const char *ent, int year, int width, int prec, double scale) {
  double v = ent_run_value(r, var, ent, year);
  if (isfinite(v)) ent_strbuf_printf(b, " %*.*f", width, prec, v * scale);
  else ent_strbuf_printf(b, " %*s", width, "-");
}

/* Yearly table of the structural layer for the main dyad. */
static void structure_text(const ent_run *r, ent_strbuf *b) {
  const ent_model *m = r->m;
  const ent_structure *st = m->st;
  size_t a = 0, c = 1;
  main_dyad(m, &a, &c);
  const char *A = st->blocs[a].id, *B = st->blocs[c].id;
  char ab[72], ba[72];
  snprintf(ab, sizeof ab, "%s->%s", A, B);
  snprintf(ba, sizeof ba, "%s->%s", B, A);
  /* channel totals on the route A->B, by kind */
  const char *kinds[3] = {"gas_flow", "oil_flow", "arms_transfer"};
  const char *units[3] = {NULL, NULL, NULL};
  for (size_t q = 0; q < st->n_channels; q++) {
    const ent_channel *ch = &st->channels[q];
    if (ch->from == a && ch->to == c && ch->kind <= ENT_CHANNEL_ARMS &&
        !units[ch->kind])
      units[ch->kind] = ch->unit;
  }
  ent_strbuf_printf(b, "\nthe %s-%s relationship, year by year (trade in US$ bn; "
                      "dependence = bilateral trade / GDP, in %%; B share in %%):\n", A, B);
  ent_strbuf_printf(b, "  %4s %9s %9s %9s %9s %9s %9s", "year", "exp A>B",
                    "exp B>A", "dep A>B", "dep B>A", "ratio", "B share");
  for (int k = 0; k < 3; k++)
    if (units[k]) ent_strbuf_printf(b, " %9.9s", k == 0 ? "gas" : k == 1 ? "oil" : "arms");
  ent_strbuf_puts(b, "\n");
  for (int y = r->first_year; y <= r->last_year; y++) {
    ent_strbuf_printf(b, "  %4d", y);
    cell(b, r, "trade_flow", ab, y, 9, 1, 1.0);
    cell(b, r, "trade_flow", ba, y, 9, 1, 1.0);
    cell(b, r, "dependence", ab, y, 9, 2, 100.0);
    cell(b, r, "dependence", ba, y, 9, 2, 100.0);
    double d1 = ent_run_value(r, "dependence", ab, y),
           d2 = ent_run_value(r, "dependence", ba, y);
    if (isfinite(d1) && isfinite(d2) && d2 > 0.0)
      ent_strbuf_printf(b, " %9.1f", d1 / d2);
    else
      ent_strbuf_printf(b, " %9s", "-");
    cell(b, r, "partner_share", ab, y, 9, 1, 100.0);
    for (int k = 0; k < 3; k++)
      if (units[k]) cell(b, r, kinds[k], ab, y, 9, 1, 1.0);
    ent_strbuf_puts(b, "\n");
  }
  ent_strbuf_printf(b, "  A = %s, B = %s; ratio = A's dependence on B over B's on A; "
                      "B share = B's share of A's trade, %%", A, B);
  for (int k = 0; k < 3; k++)
    if (units[k])
      ent_strbuf_printf(b, "; %s in %s", k == 0 ? "gas" : k == 1 ? "oil" : "arms",
                        units[k]);
  ent_strbuf_puts(b, "\n");
  if (r->n_issues == 0) return;
  ent_strbuf_puts(b, "\nissue forecasts (weighted median after bargaining), year by year:\n");
  ent_strbuf_printf(b, "  %-26s", "issue");
  int step = (r->last_year - r->first_year) > 8 ? 2 : 1;
  for (int y = r->first_year; y <= r->last_year; y += step)
    ent_strbuf_printf(b, " %5d", y);
  ent_strbuf_puts(b, "\n");
  for (size_t i = 0; i < r->n_issues; i++) {
    ent_strbuf_printf(b, "  %-26.26s", r->issues[i].issue->id);
    for (int y = r->first_year; y <= r->last_year; y += step)
      cell(b, r, "issue_forecast", r->issues[i].issue->id, y, 5, 0, 1.0);
    ent_strbuf_puts(b, "\n");
  }
}

static void run_text(const ent_run *r, ent_strbuf *b) {
  const ent_model *m = r->m;
  ent_strbuf_printf(b, "%s\n", m->title ? m->title : m->id);
  ent_strbuf_printf(b, "scenario %s (%s), %zu actors, %zu issues\n",
                    m->id ? m->id : "?", m->source ? m->source : "?",
                    m->n_actors, r->n_issues);
  int any_smp = 0;
  for (size_t i = 0; i < r->n_issues; i++) any_smp |= r->issues[i].model != ENT_ISSUE_EUM;
  ent_strbuf_printf(b, "models: expected-utility bargaining (Scholz et al. 2011 "
                       "reconstruction of BDM)%s; baselines: weighted mean and "
                       "weighted median of the starting positions\n",
                    any_smp ? ", and KTAB's Spatial Model of Politics where an "
                              "issue asks for it" : "");
  if (m->st) {
    ent_strbuf_printf(b, "structure: %d-%d, %zu blocs, GE structural gravity "
                         "(theta %g), %zu shocks, %zu channels, %zu links\n",
                      r->first_year, r->last_year, m->st->n_blocs, m->st->theta,
                      m->st->n_shocks, m->st->n_channels, m->st->n_links);
    structure_text(r, b);
    if (r->n_issues)
      ent_strbuf_printf(b, "\nthe issues in %d:\n", r->last_year);
  }
  size_t n_disagree = 0;
  for (size_t i = 0; i < r->n_issues; i++) {
    const ent_issue_run *ir = &r->issues[i];
    const ent_issue *is = ir->issue;
    const ent_eum_hist *h = ent_issue_run_hist(ir);
    const ent_issue_eum *eu = ent_issue_run_eum(ir);
    const ent_issue_smp *sp = ent_issue_run_smp_ran(ir);
    double fm = ir->forecast;
    char label[512], a[32], c[32];
    ent_strbuf_printf(b, "\n%zu. %s [%s]\n", i + 1, is->question, is->id);
    describe_value(is, fm, label, sizeof label);
    fmt_short(a, sizeof a, fm);
    ent_strbuf_printf(b, "   forecast: %s on [%g, %g]%s%s%s\n", a, is->lo, is->hi,
                      label[0] ? " -- " : "", label,
                      h ? "" : " (spatial model, first dimension)");
    fmt_short(a, sizeof a, ir->initial_median);
    fmt_short(c, sizeof c, ir->initial_mean);
    if (h) {
      char mean[32];
      fmt_short(mean, sizeof mean, h->mean[h->n_rounds]);
      ent_strbuf_printf(b, "   after %d round%s: weighted mean %s", h->n_rounds,
                        h->n_rounds == 1 ? "" : "s", mean);
      ent_strbuf_printf(b, "; baselines at the start: median %s, mean %s\n", a, c);
      if (h->converged) {
        ent_strbuf_printf(b, "   converged (median stable over the last %d "
                             "rounds)\n", ir->opts.window);
      } else {
        fmt_short(a, sizeof a, h->median_min);
        fmt_short(c, sizeof c, h->median_max);
        ent_strbuf_printf(b, "   not converged: median between %s and %s over "
                             "the last %d rounds\n", a, c, ir->opts.window);
      }
    } else {
      ent_strbuf_printf(b, "   baselines at the start: median %s, mean %s\n", a, c);
    }
    if (ir->model != ENT_ISSUE_EUM) {
      if (!sp) {
        const ent_issue_smp *ns = ent_issue_run_smp(ir);
        ent_strbuf_printf(b, "   spatial model (KTAB SMP): not run -- %s\n",
                          ns && ns->note ? ns->note : "?");
      } else {
        ent_strbuf_printf(b, "   spatial model (KTAB SMP), %d turn%s%s: most likely",
                          sp->turns, sp->turns == 1 ? "" : "s",
                          sp->converged ? "" : " (turn limit)");
        for (size_t q = 0; q < is->n_dims; q++) {
          fmt_short(a, sizeof a, sp->likely[q]);
          ent_strbuf_printf(b, "%s %s%s%s", q ? "," : "", is->n_dims > 1 ? is->dims[q] : "",
                            is->n_dims > 1 ? " " : "", a);
        }
        fmt_short(a, sizeof a, sp->mean[0]);
        ent_strbuf_printf(b, "; weighted mean %s%s\n", a, is->n_dims > 1 ? ", ..." : "");
        double gap;
        if (models_disagree(ir, &gap)) {
          fmt_short(a, sizeof a, gap);
          ent_strbuf_printf(b, "   models DISAGREE: expected-utility %g vs spatial "
                               "%g (gap %s > margin %g)\n",
                            fm, sp->likely[0], a,
                            ENT_MODEL_DISAGREE * (is->hi - is->lo));
          n_disagree++;
        } else if (h) {
          ent_strbuf_printf(b, "   models agree within %g\n",
                            ENT_MODEL_DISAGREE * (is->hi - is->lo));
        }
      }
    }
    if (eu && eu->has_robustness && h) {
      double tol = 0.05 * (is->hi - is->lo);
      int stable = fabs(eu->least_move_median - fm) <= tol &&
                   fabs(eu->reflected_median - fm) <= tol;
      fmt_short(a, sizeof a, eu->least_move_median);
      fmt_short(c, sizeof c, eu->reflected_median);
      ent_strbuf_printf(b, "   robustness: least_move %s, reflected axis %s -- "
                           "%s\n", a, c,
                        stable ? "stable" : "depends on the selection rule");
    }
  }
  size_t n_both = 0;
  for (size_t i = 0; i < r->n_issues; i++)
    n_both += ent_issue_run_hist(&r->issues[i]) &&
              ent_issue_run_smp_ran(&r->issues[i]);
  if (n_both)
    ent_strbuf_printf(b, "\nmodel uncertainty: the expected-utility and spatial "
                         "models disagree by more than %g%% of the scale on "
                         "%zu of %zu issues run with both\n",
                      100.0 * ENT_MODEL_DISAGREE, n_disagree, n_both);

  /* Relationship table for the main pairs. */
  size_t np = m->n_pairs;
  size_t (*pairs)[2] = m->pairs;
  size_t defpairs[12][2];
  if (np == 0) {
    for (size_t i = 0; i < m->n_actors && i < 4 && np < 12; i++)
      for (size_t j = 0; j < m->n_actors && j < 4 && np < 12; j++)
        if (i != j) {
          defpairs[np][0] = i;
          defpairs[np][1] = j;
          np++;
        }
    pairs = defpairs;
  }
  ent_strbuf_puts(b, "\nrelationships in the final round, pair by pair (row "
                     "actor's view of the column issue):\n");
  ent_strbuf_printf(b, "  %-16s", "pair");
  for (size_t i = 0; i < r->n_issues; i++) ent_strbuf_printf(b, " %2zu", i + 1);
  ent_strbuf_puts(b, "\n");
  for (size_t p = 0; p < np; p++) {
    char pair[64];
    snprintf(pair, sizeof pair, "%s -> %s", m->actors[pairs[p][0]].id,
             m->actors[pairs[p][1]].id);
    ent_strbuf_printf(b, "  %-16s", pair);
    for (size_t i = 0; i < r->n_issues; i++) {
      const ent_issue_run *ir = &r->issues[i];
      long si = stake_of(ir->issue, pairs[p][0]);
      long sj = stake_of(ir->issue, pairs[p][1]);
      char ch = '-';
      if (si >= 0 && sj >= 0)
        ch = ent_issue_run_hist(ir)
                 ? class_letter(last_region(ent_issue_run_hist(ir), (size_t)si,
                                            (size_t)sj))
                 : '~';
      ent_strbuf_printf(b, "  %c", ch);
    }
    ent_strbuf_puts(b, "\n");
  }
  ent_strbuf_puts(b, "  X conflict  C compromise  K capitulation  S stalemate  "
                     "= same position  . none  - not both on the issue  "
                     "~ spatial-model issue (no pair classes)\n");
}

ent_status ent_run_write(const ent_run *r, ent_format f, FILE *fp) {
  if (!r) return ENT_EINVAL;
  const ent_model *m = r->m;
  if (f == ENT_FORMAT_JSON) {
    cJSON *root = cJSON_CreateObject();
    cJSON *sc = cJSON_AddObjectToObject(root, "scenario");
    cJSON_AddStringToObject(sc, "id", m->id ? m->id : "");
    cJSON_AddStringToObject(sc, "title", m->title ? m->title : "");
    cJSON_AddStringToObject(sc, "source", m->source ? m->source : "");
    cJSON_AddStringToObject(root, "version", ENT_VERSION);
    cJSON *actors = cJSON_AddArrayToObject(root, "actors");
    for (size_t i = 0; i < m->n_actors; i++) {
      cJSON *a = cJSON_CreateObject();
      cJSON_AddStringToObject(a, "id", m->actors[i].id);
      cJSON_AddStringToObject(a, "name", m->actors[i].name);
      cJSON_AddStringToObject(a, "kind", m->actors[i].kind);
      cJSON_AddItemToArray(actors, a);
    }
    if (m->st) {
      cJSON *tm = cJSON_AddObjectToObject(root, "time");
      cJSON_AddNumberToObject(tm, "start", r->first_year);
      cJSON_AddNumberToObject(tm, "end", r->last_year);
    }
    cJSON *series = cJSON_AddArrayToObject(root, "series");
    for (size_t k = 0; k < r->n_series; k++) {
      const ent_series_point *p = &r->series[k];
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "variable", p->variable);
      cJSON_AddStringToObject(o, "entity", p->entity);
      cJSON_AddNumberToObject(o, "year", p->year);
      cJSON_AddNumberToObject(o, "value", p->value);
      cJSON_AddStringToObject(o, "unit", p->unit);
      cJSON_AddItemToArray(series, o);
    }
    cJSON *issues = cJSON_AddArrayToObject(root, "issues");
    for (size_t i = 0; i < r->n_issues; i++) {
      cJSON *o = run_issue_json(m, &r->issues[i]);
      if (!o) {
        cJSON_Delete(root);
        return ENT_ENOMEM;
      }
      cJSON_AddItemToArray(issues, o);
    }
    return write_json(root, fp);
  }
  ent_strbuf b;
  ent_strbuf_init(&b);
  if (f == ENT_FORMAT_CSV) run_csv(r, &b);
  else run_text(r, &b);
  return write_buf(&b, fp);
}

ent_status ent_model_write_summary(const ent_model *m, FILE *fp) {
  if (!m) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_printf(&b, "%s: ok -- scenario '%s' (%s), %zu actors, %zu issues\n",
                    m->source ? m->source : "?", m->id ? m->id : "?",
                    m->title ? m->title : "", m->n_actors, m->n_issues);
  for (size_t i = 0; i < m->n_issues; i++)
    ent_strbuf_printf(&b, "  issue %-28s %2zu actors, scale [%g, %g]\n",
                      m->issues[i].id, m->issues[i].n_stakes, m->issues[i].lo,
                      m->issues[i].hi);
  return write_buf(&b, fp);
}
