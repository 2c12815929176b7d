/*
 * chart_heat.c -- heat maps of actor pairs and tornado charts (contract
 * in chart.h; the drawing kit is chart.c, declared in chart_impl.h).
 */
#include "output/chart_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------- heat map */

#define HEAT_CW 96.0
#define HEAT_CH 38.0

static int heat_valid(const ent_chart_heat_spec *s) {
  if (!s || !s->actors || s->n < 2 || s->n > 64 || !s->classes ||
      s->n_classes == 0 || s->n_classes > ENT_CHART_MAX_CLASSES || !s->share)
    return 0;
  for (size_t i = 0; i < s->n; i++)
    if (!s->actors[i]) return 0;
  for (size_t k = 0; k < s->n_classes; k++)
    if (!s->classes[k]) return 0;
  for (size_t i = 0; i < s->n; i++)
    for (size_t j = 0; j < s->n; j++) {
      if (i == j) continue;
      double sum = 0.0;
      for (size_t k = 0; k < s->n_classes; k++) {
        double p = s->share[(i * s->n + j) * s->n_classes + k];
        if (!isfinite(p) || p < 0.0 || p > 1.0 + 1e-9) return 0;
        sum += p;
      }
      if (sum > 1.0 + 1e-6) return 0;
    }
  return 1;
}

typedef struct heat_geom {
  double left, top, legend_y;
  int rows;
} heat_geom;

static void heat_legend(const ent_chart_heat_spec *s, legend *lg) {
  memset(lg, 0, sizeof *lg);
  for (size_t k = 0; k < s->n_classes; k++)
    ent_chart_legend_add(lg, SW_BOX, CLASS_COLOURS[k], 1.0, s->classes[k]);
  ent_chart_legend_add(lg, SW_BOX, &C_EMPTY, 1.0, "no data / not both on an issue");
}

static heat_geom heat_layout(cairo_t *cr, const ent_chart_heat_spec *s,
                             double *w, double *h) {
  heat_geom g;
  ent_chart_font(cr, FS_TICK, 1);
  double lw = 0.0;
  for (size_t i = 0; i < s->n; i++) {
    char b[WRAP_LEN];
    ent_chart_fit(cr, s->actors[i], 120.0, b, sizeof b);
    double t = ent_chart_text_w(cr, b);
    if (t > lw) lw = t;
  }
  g.left = 12.0 + 16.0 + lw + 10.0;
  g.top = 40.0 + 34.0;
  *w = fmax(g.left + s->n * HEAT_CW + 20.0, 560.0);
  legend lg;
  heat_legend(s, &lg);
  g.rows = ent_chart_legend_layout(cr, &lg, 12.0, *w - 24.0, 0.0, 0);
  g.legend_y = g.top + s->n * HEAT_CH + 44.0;
  *h = g.legend_y + (g.rows - 1) * LEGEND_ROW + 14.0;
  return g;
}

static void heat_draw(cairo_t *cr, const void *spec, double w, double h,
                      ent_strbuf *desc) {
  const ent_chart_heat_spec *s = spec;
  double ww, hh;
  heat_geom g = heat_layout(cr, s, &ww, &hh);
  (void)h;
  ent_chart_title(cr, w, s->title);
  size_t n = s->n, nc = s->n_classes;
  ent_chart_font(cr, FS_LABEL, 0);
  ent_chart_colour(cr, &C_TEXT, 1.0);
  ent_chart_text_at(cr, g.left + 0.5 * n * HEAT_CW, 48.0, 0.5,
          "to (the actor the row actor faces)");
  ent_chart_text_up(cr, 16.0, g.top + 0.5 * n * HEAT_CH, "from");
  char b[WRAP_LEN];
  ent_chart_font(cr, FS_TICK, 1);
  for (size_t j = 0; j < n; j++) {
    ent_chart_fit(cr, s->actors[j], HEAT_CW - 4.0, b, sizeof b);
    ent_chart_text_at(cr, g.left + (j + 0.5) * HEAT_CW, g.top - 8.0, 0.5, b);
  }
  for (size_t i = 0; i < n; i++) {
    ent_chart_fit(cr, s->actors[i], 120.0, b, sizeof b);
    ent_chart_colour(cr, &C_TEXT, 1.0);
    ent_chart_font(cr, FS_TICK, 1);
    ent_chart_text_at(cr, g.left - 8.0, g.top + (i + 0.5) * HEAT_CH + 4.0, 1.0, b);
    for (size_t j = 0; j < n; j++) {
      double x = g.left + j * HEAT_CW, y = g.top + i * HEAT_CH;
      const double *p = s->share + (i * n + j) * nc;
      double sum = 0.0;
      size_t best = 0;
      for (size_t k = 0; k < nc && i != j; k++) {
        sum += p[k];
        if (p[k] > p[best]) best = k;
      }
      ent_chart_colour(cr, &C_EMPTY, 1.0);
      cairo_rectangle(cr, x + 2.0, y + 2.0, HEAT_CW - 4.0, HEAT_CH - 4.0);
      cairo_fill(cr);
      if (i == j || sum <= 0.0) {
        ent_chart_colour(cr, &C_AXIS, 1.0);
        ent_chart_font(cr, FS_SMALL, 0);
        ent_chart_text_at(cr, x + 0.5 * HEAT_CW, y + 0.5 * HEAT_CH + 3.0, 0.5,
                i == j ? "\xE2\x80\x94" : "no data");
        continue;
      }
      /* stacked bar of the class shares (normalised over the data) */
      double bx = x + 4.0, bw = HEAT_CW - 8.0, acc = 0.0;
      for (size_t k = 0; k < nc; k++) {
        if (p[k] <= 0.0) continue;
        double seg = bw * p[k] / sum;
        ent_chart_colour(cr, CLASS_COLOURS[k], 1.0);
        cairo_rectangle(cr, bx + acc, y + 5.0, seg, 13.0);
        cairo_fill(cr);
        acc += seg;
      }
      char t[64];
      snprintf(t, sizeof t, "%s %.0f%%", s->classes[best], 100.0 * p[best] / sum);
      ent_chart_font(cr, FS_SMALL, 0);
      ent_chart_fit(cr, t, HEAT_CW - 6.0, b, sizeof b);
      ent_chart_colour(cr, &C_TEXT, 1.0);
      ent_chart_text_at(cr, x + 0.5 * HEAT_CW, y + HEAT_CH - 8.0, 0.5, b);
    }
  }
  ent_chart_font(cr, FS_SMALL, 0);
  ent_chart_colour(cr, &C_AXIS, 1.0);
  ent_chart_text_at(cr, 12.0, g.legend_y - 20.0, 0.0,
          "bar: share of each class; text: the most frequent class and its "
          "share");
  legend lg;
  heat_legend(s, &lg);
  ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, g.legend_y, 1);
  ent_strbuf_printf(desc, "Heat map of %zu actors; rows: from, columns: to. ", n);
  ent_chart_legend_desc(&lg, desc);
  ent_strbuf_puts(desc, "actors: ");
  for (size_t i = 0; i < n; i++)
    ent_strbuf_printf(desc, "%s%s", i ? ", " : "", s->actors[i]);
  ent_strbuf_puts(desc, ".");
}

void ent_chart_heatmap_size(const ent_chart_heat_spec *s, int *w, int *h) {
  measurer m = ent_chart_measure_open();
  double ww, hh;
  heat_layout(m.cr, s, &ww, &hh);
  ent_chart_measure_close(&m);
  *w = (int)ceil(ww);
  *h = (int)ceil(hh);
}

ent_status ent_chart_heatmap(const ent_chart_heat_spec *s, ent_chart_format f,
                             ent_strbuf *out) {
  if (!out || !heat_valid(s)) return ENT_EINVAL;
  int w, h;
  ent_chart_heatmap_size(s, &w, &h);
  return ent_chart_render(heat_draw, s, s->title, w, h, f, out);
}

/* ----------------------------------------------------------- tornado */

#define TORN_W 720
#define TORN_MAX 20
#define TORN_ROW 24.0

static int torn_valid(const ent_chart_tornado_spec *s) {
  if (!s || !s->names || !s->index || s->n == 0) return 0;
  for (size_t i = 0; i < s->n; i++)
    if (!s->names[i] || !isfinite(s->index[i])) return 0;
  return 1;
}

/* Indices of the inputs by decreasing |index|, ties in input order
 * (insertion sort: stable, n is small). */
static size_t torn_order(const ent_chart_tornado_spec *s, size_t *ord) {
  size_t n = 0;
  for (size_t i = 0; i < s->n; i++) {
    size_t k = n < TORN_MAX ? n : TORN_MAX;
    double a = fabs(s->index[i]);
    while (k > 0 && fabs(s->index[ord[k - 1]]) < a) {
      if (k < TORN_MAX) ord[k] = ord[k - 1];
      k--;
    }
    if (k < TORN_MAX) ord[k] = i;
    if (n < TORN_MAX) n++;
  }
  return n;
}

static void torn_dims(const ent_chart_tornado_spec *s, int *w, int *h) {
  size_t n = s->n < TORN_MAX ? s->n : TORN_MAX;
  *w = TORN_W;
  *h = (int)(40.0 + n * TORN_ROW + 14.0 + 40.0 + LEGEND_ROW + 12.0);
}

static void torn_draw(cairo_t *cr, const void *spec, double w, double h,
                      ent_strbuf *desc) {
  const ent_chart_tornado_spec *s = spec;
  size_t ord[TORN_MAX];
  size_t n = torn_order(s, ord);
  double m = 0.0;
  for (size_t k = 0; k < n; k++) m = fmax(m, fabs(s->index[ord[k]]));
  if (!(m > 0.0)) m = 1.0;
  axis xa = ent_chart_make_axis(-m, m, 0, 0.0, 8);
  double lim = fmax(fabs(xa.lo), fabs(xa.hi));
  xa.lo = -lim;
  xa.hi = lim;
  ent_chart_font(cr, FS_TICK, 0);
  double lw = 0.0;
  char b[WRAP_LEN];
  for (size_t k = 0; k < n; k++) {
    ent_chart_fit(cr, s->names[ord[k]], 300.0, b, sizeof b);
    lw = fmax(lw, ent_chart_text_w(cr, b));
  }
  frame f;
  f.x0 = 12.0 + lw + 12.0 + 36.0; /* room for a value left of a bar */
  f.x1 = w - 48.0;
  f.y0 = 40.0;
  f.y1 = f.y0 + n * TORN_ROW + 6.0;
  ent_chart_title(cr, w, s->title);
  /* vertical grid and ticks */
  char v[32];
  for (double t = xa.lo; t <= xa.hi + 1e-9 * lim; t += xa.step) {
    double x = ent_chart_map_x(&f, &xa, t);
    ent_chart_colour(cr, fabs(t) < 1e-12 * lim ? &C_AXIS : &C_GRID, 1.0);
    cairo_set_line_width(cr, fabs(t) < 1e-12 * lim ? 1.2 : 0.8);
    cairo_move_to(cr, x, f.y0);
    cairo_line_to(cr, x, f.y1);
    cairo_stroke(cr);
    ent_chart_fmt_num(v, sizeof v, t, xa.dec);
    ent_chart_font(cr, FS_TICK, 0);
    ent_chart_colour(cr, &C_TEXT, 1.0);
    ent_chart_text_at(cr, x, f.y1 + 14.0, 0.5, v);
  }
  for (size_t k = 0; k < n; k++) {
    size_t i = ord[k];
    double y = f.y0 + 3.0 + k * TORN_ROW;
    double x0 = ent_chart_map_x(&f, &xa, 0.0), x1 = ent_chart_map_x(&f, &xa, s->index[i]);
    const rgb *c = s->index[i] >= 0.0 ? &C_BLUE : &C_VERMILLION;
    ent_chart_colour(cr, c, 1.0);
    cairo_rectangle(cr, fmin(x0, x1), y + 3.0, fabs(x1 - x0), TORN_ROW - 8.0);
    cairo_fill(cr);
    ent_chart_font(cr, FS_TICK, 0);
    ent_chart_colour(cr, &C_TEXT, 1.0);
    ent_chart_fit(cr, s->names[i], 300.0, b, sizeof b);
    ent_chart_text_at(cr, 12.0 + lw, y + TORN_ROW * 0.5 + 3.5, 1.0, b);
    ent_chart_fmt_num(v, sizeof v, s->index[i], 2);
    ent_chart_font(cr, FS_SMALL, 0);
    ent_chart_text_at(cr, s->index[i] >= 0.0 ? x1 + 4.0 : x1 - 4.0, y + TORN_ROW * 0.5 + 3.0,
            s->index[i] >= 0.0 ? 0.0 : 1.0, v);
  }
  ent_chart_font(cr, FS_LABEL, 0);
  ent_chart_colour(cr, &C_TEXT, 1.0);
  ent_chart_text_at(cr, 0.5 * (f.x0 + f.x1), f.y1 + 32.0, 0.5, s->x_label ? s->x_label : "");
  legend lg;
  memset(&lg, 0, sizeof lg);
  ent_chart_legend_add(&lg, SW_BOX, &C_BLUE, 1.0, "higher input, higher output");
  ent_chart_legend_add(&lg, SW_BOX, &C_VERMILLION, 1.0, "higher input, lower output");
  ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, h - 12.0, 1);
  ent_strbuf_printf(desc, "Tornado chart of %zu inputs. x axis: %s; y axis: "
                          "input. ", n, s->x_label ? s->x_label : "");
  ent_chart_legend_desc(&lg, desc);
  ent_strbuf_puts(desc, "inputs: ");
  for (size_t k = 0; k < n; k++)
    ent_strbuf_printf(desc, "%s%s", k ? ", " : "", s->names[ord[k]]);
  ent_strbuf_puts(desc, ".");
}

void ent_chart_tornado_size(const ent_chart_tornado_spec *s, int *w, int *h) {
  torn_dims(s, w, h);
}

ent_status ent_chart_tornado(const ent_chart_tornado_spec *s,
                             ent_chart_format f, ent_strbuf *out) {
  if (!out || !torn_valid(s)) return ENT_EINVAL;
  int w, h;
  torn_dims(s, &w, &h);
  return ent_chart_render(torn_draw, s, s->title, w, h, f, out);
}
