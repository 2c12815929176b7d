/*
 * csv_render.c -- tidy CSV of runs and forecasts (docs/variables.md,
 * docs/r-and-python.md): one row per value, ready for read.csv and
 * pandas.read_csv.
 *
 *   run       variable,entity,year,value,unit (strategic-only runs: the
 *             forecasts, issue_forecast and issue_mean, without a year)
 *   forecast  section,variable,entity,year,statistic,value with sections
 *             series (n, mean, sd, q05..q95), outcome, range
 *             (probability), threshold (p_reached_by per year, or
 *             p_reached), relation (share of each class per ordered pair,
 *             entity "A->B@issue") and sensitivity (src and r2, or
 *             first_order and total, per input in declared order)
 *   compare   variable,entity,year,mean_a,mean_b,diff,se,marked
 * Numbers are printed in the shortest form that reads back to the same
 * double; a value that is not finite is an empty field.
 */
#include <math.h>
#include <string.h>

#include "base/csv.h"
#include "base/num.h"
#include "output/render.h"

ent_status ent_csv_render_run(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  char v[40];
  ent_strbuf_puts(&b, "variable,entity,year,value,unit\n");
  for (size_t k = 0; k < r->n_cells; k++) {
    const ent_result_cell *p = &r->cells[k];
    ent_fmt_double(v, sizeof v, p->value);
    ent_strbuf_printf(&b, "%s,", p->variable);
    ent_csv_write_field(&b, p->entity, 0);
    ent_strbuf_printf(&b, ",%d,%s,", p->year, v);
    ent_csv_write_field(&b, p->unit, 0);
    ent_strbuf_puts(&b, "\n");
  }
  /* strategic-only runs: the forecasts, without a year */
  for (size_t i = 0; !r->st.present && i < r->n_issues; i++) {
    const ent_result_issue *is = &r->issues[i];
    ent_fmt_double(v, sizeof v, is->forecast);
    ent_strbuf_printf(&b, "%s,%s,,%s,scale\n", ENT_VNAME(ENT_VAR_ISSUE_FORECAST),
                      is->id, v);
    ent_fmt_double(v, sizeof v, is->final_mean);
    ent_strbuf_printf(&b, "%s,%s,,%s,scale\n", ENT_VNAME(ENT_VAR_ISSUE_MEAN),
                      is->id, v);
  }
  return ent_render_flush(&b, fp);
}

static void csv_row(ent_strbuf *b, const char *section, const char *var,
                    const char *ent, int year, int has_year, const char *stat,
                    double v) {
  char num[40];
  ent_fmt_double(num, sizeof num, v);
  ent_strbuf_printf(b, "%s,", section);
  ent_csv_write_field(b, var, 0);
  ent_strbuf_puts(b, ",");
  ent_csv_write_field(b, ent, 0);
  if (has_year) ent_strbuf_printf(b, ",%d,", year);
  else ent_strbuf_puts(b, ",,");
  ent_strbuf_printf(b, "%s,%s\n", stat, isfinite(v) ? num : "");
}

/* n, mean, sd and the quantiles of one output. */
static void stats_rows(ent_strbuf *b, const char *section, const char *var,
                       const char *ent, int year, int has_year,
                       const ent_result_stats *s) {
  csv_row(b, section, var, ent, year, has_year, "n", (double)s->n);
  csv_row(b, section, var, ent, year, has_year, "mean", s->mean);
  csv_row(b, section, var, ent, year, has_year, "sd", s->sd);
  for (int k = 0; k < ENT_NQ; k++)
    csv_row(b, section, var, ent, year, has_year, ent_names_quantile[k], s->q[k]);
}

static void issue_rows(ent_strbuf *b, const ent_result *r,
                       const ent_result_issue *is) {
  int hy = r->prov.has_time, last = r->prov.end;
  stats_rows(b, "outcome", ENT_VNAME(ENT_VAR_ISSUE_FORECAST), is->id, last, hy,
             &is->outcome);
  for (size_t a = 0; a < is->n_ranges; a++)
    csv_row(b, "range", is->ranges[a].label, is->id, last, hy, "probability",
            is->ranges[a].p);
  for (size_t a = 0; a < is->n_thresholds; a++) {
    const ent_result_threshold *t = &is->thresholds[a];
    if (!t->n_years) {
      csv_row(b, "threshold", t->label, is->id, 0, 0, "p_reached", t->p);
      continue;
    }
    for (size_t y = 0; y < t->n_years; y++)
      csv_row(b, "threshold", t->label, is->id, t->years[y], 1, "p_reached_by",
              t->p_by[y]);
  }
  for (size_t k = 0; k < is->n_relations; k++) {
    const ent_result_relation *rl = &is->relations[k];
    char ent[200];
    snprintf(ent, sizeof ent, "%s->%s@%s", rl->from, rl->to, is->id);
    for (int c = 0; c < ENT_CLASSES; c++)
      csv_row(b, "relation", ent_names_class[c], ent, last, hy, "share",
              rl->share[c]);
  }
}

ent_status ent_csv_render_forecast(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_puts(&b, "section,variable,entity,year,statistic,value\n");
  for (size_t c = 0; c < r->n_cells; c++) {
    const ent_result_cell *cl = &r->cells[c];
    stats_rows(&b, "series", cl->variable, cl->entity, cl->year, 1, &cl->st);
  }
  for (size_t i = 0; i < r->n_issues; i++) issue_rows(&b, r, &r->issues[i]);
  int sobol = r->prov.sobol;
  for (size_t o = 0; o < r->sens.n_outputs; o++) {
    const ent_result_sens_output *so = &r->sens.outputs[o];
    char out[200];
    if (so->year) snprintf(out, sizeof out, "%s %s %d", so->variable, so->entity, so->year);
    else snprintf(out, sizeof out, "%s %s", so->variable, so->entity);
    for (size_t i = 0; i < so->n; i++) {
      if (sobol) {
        csv_row(&b, "sensitivity", so->inputs[i], out, 0, 0, "first_order", so->index[i]);
        csv_row(&b, "sensitivity", so->inputs[i], out, 0, 0, "total", so->total[i]);
      } else {
        csv_row(&b, "sensitivity", so->inputs[i], out, 0, 0, "src", so->index[i]);
      }
    }
    if (!sobol) csv_row(&b, "sensitivity", "", out, 0, 0, "r2", so->r2);
  }
  return ent_render_flush(&b, fp);
}

ent_status ent_csv_render_compare(const ent_result *r, FILE *fp) {
  if (!r || !r->cmp) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_puts(&b, "variable,entity,year,mean_a,mean_b,diff,se,marked\n");
  for (size_t k = 0; k < r->cmp->n_cells; k++) {
    const ent_result_cmp_cell *cl = &r->cmp->cells[k];
    char n1[40], n2[40], n3[40], n4[40];
    ent_fmt_double(n1, sizeof n1, cl->mean_a);
    ent_fmt_double(n2, sizeof n2, cl->mean_b);
    ent_fmt_double(n3, sizeof n3, cl->d.diff);
    ent_fmt_double(n4, sizeof n4, cl->d.se);
    ent_csv_write_field(&b, cl->variable, 0);
    ent_strbuf_puts(&b, ",");
    ent_csv_write_field(&b, cl->entity, 0);
    ent_strbuf_printf(&b, ",%d,%s,%s,%s,%s,%d\n", cl->year, n1, n2, n3, n4,
                      cl->d.marked);
  }
  return ent_render_flush(&b, fp);
}

/* ------------------------------------------------------------ smp */

/* `entente smp`: KTAB's VectorPosition layout (as in smp-reference/
 * <case>_positions.csv) plus the ideal and the actor's winning
 * probability: turn,actor,actor_name,dim,dim_name,position,ideal,win_prob
 * (0-100 scale). */
ent_status ent_csv_render_smp(const ent_smp_run *r, FILE *fp) {
  const ent_smp_problem *pb = r->pb;
  size_t N = pb->n, M = pb->m;
  fputs("turn,actor,actor_name,dim,dim_name,position,ideal,win_prob\n", fp);
  char a[40], b[40], c[40];
  for (size_t t = 0; t < r->n_states; t++)
    for (size_t i = 0; i < N; i++)
      for (size_t k = 0; k < M; k++) {
        ent_fmt_double(a, sizeof a, r->x[(t * N + i) * M + k] * 100.0);
        ent_fmt_double(b, sizeof b, r->xi[(t * N + i) * M + k] * 100.0);
        ent_fmt_double(c, sizeof c, r->win_prob[t * N + i]);
        fprintf(fp, "%zu,%zu,", t, i);
        ent_csv_print_field(fp, pb->actor[i], 0);
        fprintf(fp, ",%zu,", k);
        ent_csv_print_field(fp, pb->dim[k], 0);
        fprintf(fp, ",%s,%s,%s\n", a, b, c);
      }
  return ferror(fp) ? ENT_EIO : ENT_OK;
}

/* ------------------------------------------------------------ trade */

typedef void (*fmt_fn)(char *buf, size_t size, double x);

static void csv_num(ent_strbuf *b, fmt_fn fmt, double x) {
  char buf[ENT_NUM_BUF];
  /* ent_fmt_double's text, and its length, without a strlen */
  int len = fmt == ent_fmt_double ? ent_num_shortest(buf, x) : -1;
  if (len < 0) {
    fmt(buf, sizeof buf, x);
    len = (int)strlen(buf);
  }
  ent_strbuf_append(b, buf, (size_t)len);
}

/* ent_fmt_double's text of x at o (ENT_NUM_BUF bytes); its length. */
static int row_num(char *o, double x) {
  int len = ent_num_shortest(o, x);
  if (len < 0) {
    char t[40];
    ent_fmt_double_ref(t, sizeof t, x);
    len = (int)strlen(t);
    memcpy(o, t, (size_t)len);
  }
  return len;
}

/* Hands the text so far to fp when it is long (the flow table of N = 200
 * is 2.5 MB; it is written in pieces of about 256 kB: the kernel's share
 * of writing grows with the number of writes, about 5 % of the CSV
 * writer's CPU less than with 64 kB pieces). */
static void csv_drain(ent_strbuf *b, FILE *fp, int *bad) {
  if (b->len < 262144 || b->failed) return;
  if (fwrite(b->data, 1, b->len, fp) != b->len) *bad = 1;
  b->len = 0;
  b->data[0] = '\0';
}

/* `entente gravity`: the country table
 * country,Y_base,E_base,D_base,w_hat,E_hat,P_hat,welfare_hat,
 * real_wage_hat,OMR_hat,pi_own_new, a blank line, then the flow table
 * exporter,importer,flow_base,b,flow_new,flow_hat (empty for a zero
 * baseline flow).  ref: the numbers through snprintf and strtod
 * (ent_fmt_double_ref), for bench_trade. */
static ent_status csv_trade(const ent_trade_result *r, FILE *fp, int ref) {
  size_t n = r->n;
  fmt_fn fmt = ref ? ent_fmt_double_ref : ent_fmt_double;
  ent_strbuf b;
  ent_strbuf_init(&b);
  int bad = 0;
  /* each name as a CSV field, once */
  ent_strbuf nb;
  ent_strbuf_init(&nb);
  size_t *at = ent_mallocarray(n + 1, sizeof *at);
  if (!at) return ENT_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    at[i] = nb.len;
    ent_csv_write_field(&nb, r->names[i], 1);
  }
  at[n] = nb.len;
  ent_strbuf_append(&nb, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
  ent_strbuf_puts(&b, "country,Y_base,E_base,D_base");
  for (int f = 0; f < ENT_TRADE_FIELDS; f++) {
    ent_strbuf_puts(&b, ",");
    ent_strbuf_puts(&b, ent_names_trade_field[f]);
  }
  ent_strbuf_puts(&b, "\n");
  for (size_t i = 0; i < n && !nb.failed; i++) {
    ent_strbuf_append(&b, nb.data + at[i], at[i + 1] - at[i]);
    double base[3] = {r->Y[i], r->E[i], r->D[i]};
    for (int k = 0; k < 3; k++) {
      ent_strbuf_puts(&b, ",");
      csv_num(&b, fmt, base[k]);
    }
    for (int f = 0; f < ENT_TRADE_FIELDS; f++) {
      ent_strbuf_puts(&b, ",");
      csv_num(&b, fmt, r->v[f][i]);
    }
    ent_strbuf_puts(&b, "\n");
  }
  ent_strbuf_puts(&b, "\nexporter,importer,flow_base,b,flow_new,flow_hat\n");
  for (size_t i = 0; i < n && !nb.failed; i++)
    for (size_t j = 0; j < n; j++) {
      size_t k = i * n + j;
      size_t li = at[i + 1] - at[i], lj = at[j + 1] - at[j];
      if (!ref) {
        /* the row written in place (names up to 16 bytes by one fixed
         * copy: nb has 16 bytes of padding) */
        if (ent_strbuf_reserve(&b, li + lj + 4 * ENT_NUM_BUF + 48)) break;
        char *o = b.data + b.len;
        if (li <= 16)
          memcpy(o, nb.data + at[i], 16);
        else
          memcpy(o, nb.data + at[i], li);
        o += li;
        *o++ = ',';
        if (lj <= 16)
          memcpy(o, nb.data + at[j], 16);
        else
          memcpy(o, nb.data + at[j], lj);
        o += lj;
        *o++ = ',';
        /* a zero flow ("0", its flow_hat empty) and the b of 1 of most
         * pairs are common enough to be written directly */
        double x = r->X[k], bk = r->b[k], xn = r->X_new[k];
        if (x == 0.0) /* -0 too, as ent_fmt_double */
          *o++ = '0';
        else
          o += row_num(o, x);
        *o++ = ',';
        if (bk == 1.0)
          *o++ = '1';
        else
          o += row_num(o, bk);
        *o++ = ',';
        if (xn == 0.0)
          *o++ = '0';
        else
          o += row_num(o, xn);
        *o++ = ',';
        if (x > 0.0) o += row_num(o, xn / x);
        *o++ = '\n';
        *o = '\0';
        b.len = (size_t)(o - b.data);
        csv_drain(&b, fp, &bad);
        continue;
      }
      ent_strbuf_append(&b, nb.data + at[i], at[i + 1] - at[i]);
      ent_strbuf_puts(&b, ",");
      ent_strbuf_append(&b, nb.data + at[j], at[j + 1] - at[j]);
      ent_strbuf_puts(&b, ",");
      csv_num(&b, fmt, r->X[k]);
      ent_strbuf_puts(&b, ",");
      csv_num(&b, fmt, r->b[k]);
      ent_strbuf_puts(&b, ",");
      csv_num(&b, fmt, r->X_new[k]);
      ent_strbuf_puts(&b, ",");
      if (r->X[k] > 0.0) csv_num(&b, fmt, r->X_new[k] / r->X[k]);
      ent_strbuf_puts(&b, "\n");
      csv_drain(&b, fp, &bad);
    }
  int nomem = nb.failed;
  ent_strbuf_free(&nb);
  ent_free(at);
  if (nomem) {
    ent_strbuf_free(&b);
    return ENT_ENOMEM;
  }
  ent_status st = ent_render_flush(&b, fp);
  return bad && st == ENT_OK ? ENT_EIO : st;
}

ent_status ent_csv_render_trade(const ent_trade_result *r, FILE *fp) {
  return csv_trade(r, fp, 0);
}

ent_status ent_csv_render_trade_ref(const ent_trade_result *r, FILE *fp) {
  return csv_trade(r, fp, 1);
}
