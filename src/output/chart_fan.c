/*
 * chart_fan.c -- fan charts and histograms (contract in chart.h; the
 * drawing kit is chart.c, declared in chart_impl.h).
 */
#include "output/chart_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- fan */

#define FAN_W 720
#define FAN_H 400

static int fan_valid(const ent_chart_fan_spec *s) {
  if (!s || !s->years || s->n_years == 0 || !s->lines || s->n_lines == 0 ||
      s->n_lines > ENT_CHART_MAX_LINES)
    return 0;
  for (size_t t = 1; t < s->n_years; t++)
    if (s->years[t] <= s->years[t - 1]) return 0;
  for (size_t i = 0; i < s->n_lines; i++) {
    const ent_chart_fan_line *l = &s->lines[i];
    if (!l->q[2]) return 0;
    int bands = l->q[0] && l->q[1] && l->q[3] && l->q[4];
    if (!bands && (l->q[0] || l->q[1] || l->q[3] || l->q[4])) return 0;
    for (size_t t = 0; t < s->n_years; t++) {
      for (int k = 0; k < 5; k++)
        if (l->q[k] && !isfinite(l->q[k][t])) return 0;
      if (bands) {
        double tol = 1e-9 * (1.0 + fabs(l->q[2][t]));
        for (int k = 1; k < 5; k++)
          if (l->q[k][t] < l->q[k - 1][t] - tol) return 0;
      }
    }
    if (l->n_obs && (!l->obs_years || !l->obs_values)) return 0;
    if (s->y_range && !(isfinite(s->y_range[0]) && isfinite(s->y_range[1]) &&
                        s->y_range[0] < s->y_range[1]))
      return 0;
    for (size_t k = 0; k < l->n_obs; k++)
      if (!isfinite(l->obs_values[k])) return 0;
  }
  return 1;
}

static void fan_ranges(const ent_chart_fan_spec *s, double *ylo, double *yhi,
                       int *xlo, int *xhi) {
  *ylo = INFINITY;
  *yhi = -INFINITY;
  *xlo = s->years[0];
  *xhi = s->years[s->n_years - 1];
  for (size_t i = 0; i < s->n_lines; i++) {
    const ent_chart_fan_line *l = &s->lines[i];
    for (size_t t = 0; t < s->n_years; t++)
      for (int k = 0; k < 5; k++)
        if (l->q[k]) {
          if (l->q[k][t] < *ylo) *ylo = l->q[k][t];
          if (l->q[k][t] > *yhi) *yhi = l->q[k][t];
        }
    for (size_t k = 0; k < l->n_obs; k++) {
      if (l->obs_values[k] < *ylo) *ylo = l->obs_values[k];
      if (l->obs_values[k] > *yhi) *yhi = l->obs_values[k];
      if (l->obs_years[k] < *xlo) *xlo = l->obs_years[k];
      if (l->obs_years[k] > *xhi) *xhi = l->obs_years[k];
    }
  }
}

static void fan_legend(const ent_chart_fan_spec *s, legend *lg) {
  memset(lg, 0, sizeof *lg);
  char t[96];
  int bands = 0;
  for (size_t i = 0; i < s->n_lines; i++) {
    const ent_chart_fan_line *l = &s->lines[i];
    const rgb *c = LINE_COLOURS[i];
    const char *name = l->label ? l->label : "";
    if (l->q[0]) snprintf(t, sizeof t, "%s%smedian", name, name[0] ? ": " : "");
    else snprintf(t, sizeof t, "%s", name[0] ? name : "value");
    ent_chart_legend_add(lg, SW_LINE, c, 1.0, t);
    if (l->n_obs) {
      if (l->obs_label) snprintf(t, sizeof t, "%s", l->obs_label);
      else snprintf(t, sizeof t, "%s%sobserved", name, name[0] ? ": " : "");
      ent_chart_legend_add(lg, SW_DOT, c, 1.0, t);
    }
    if (l->q[0]) bands = 1;
  }
  if (bands) {
    const rgb *c = s->n_lines == 1 ? LINE_COLOURS[0] : &C_AXIS;
    snprintf(t, sizeof t, "%s50%% of runs", s->n_lines == 1 ? "" : "darker band: ");
    ent_chart_legend_add(lg, SW_BOX, c, 0.40, t);
    snprintf(t, sizeof t, "%s90%% of runs", s->n_lines == 1 ? "" : "lighter band: ");
    ent_chart_legend_add(lg, SW_BOX, c, 0.16, t);
  }
  if (s->band_note && s->band_note[0]) ent_chart_legend_add(lg, SW_BOX, &C_EMPTY, 0.0, s->band_note);
}

static void fan_layout(cairo_t *cr, const ent_chart_fan_spec *s, double w,
                       double h, frame *f, axis *ya, axis *xa, legend *lg) {
  double ylo, yhi;
  int xlo, xhi;
  fan_ranges(s, &ylo, &yhi, &xlo, &xhi);
  if (s->y_range) {
    *ya = ent_chart_make_axis(s->y_range[0], s->y_range[1], 0, 0.0, 5);
    ya->lo = s->y_range[0];
    ya->hi = s->y_range[1];
  } else {
    *ya = ent_chart_make_axis(ylo, yhi, 1, 0.04, 5);
  }
  double span = xhi > xlo ? xhi - xlo : 1.0;
  xa->step = ceil(fmax(1.0, ent_chart_nice_step(span, 8)));
  xa->lo = xlo - fmax(0.3, 0.02 * span); /* room for the end points */
  xa->hi = (xhi > xlo ? xhi : xlo) + fmax(0.3, 0.02 * span);
  xa->dec = 0;
  fan_legend(s, lg);
  f->x0 = 30.0 + ent_chart_y_ticks_width(cr, ya) + 10.0;
  f->x1 = w - 18.0;
  f->y0 = 40.0;
  int rows = ent_chart_legend_layout(cr, lg, 12.0, w - 24.0, 0.0, 0);
  f->y1 = h - 44.0 - rows * LEGEND_ROW;
}

static void fan_draw(cairo_t *cr, const void *spec, double w, double h,
                     ent_strbuf *desc) {
  const ent_chart_fan_spec *s = spec;
  frame f;
  axis ya, xa;
  legend lg;
  fan_layout(cr, s, w, h, &f, &ya, &xa, &lg);
  ent_chart_title(cr, w, s->title);
  ent_chart_y_axis(cr, &f, &ya, s->y_label, 0);
  /* x ticks: years */
  char buf[32];
  ent_chart_font(cr, FS_TICK, 0);
  ent_chart_colour(cr, &C_TEXT, 1.0);
  double first = ceil(xa.lo / xa.step) * xa.step;
  for (double v = first; v <= xa.hi + 1e-9; v += xa.step) {
    double x = ent_chart_map_x(&f, &xa, v);
    snprintf(buf, sizeof buf, "%d", (int)v);
    ent_chart_colour(cr, &C_AXIS, 1.0);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, x, f.y1);
    cairo_line_to(cr, x, f.y1 + 4.0);
    cairo_stroke(cr);
    ent_chart_colour(cr, &C_TEXT, 1.0);
    ent_chart_text_at(cr, x, f.y1 + 16.0, 0.5, buf);
  }
  ent_chart_font(cr, FS_LABEL, 0);
  ent_chart_text_at(cr, 0.5 * (f.x0 + f.x1), f.y1 + 32.0, 0.5, "year");
  /* the forecast's first year, when history reaches further back */
  if (xa.lo + 1.0 < s->years[0]) {
    double x = ent_chart_map_x(&f, &xa, s->years[0]);
    ent_chart_colour(cr, &C_AXIS, 0.8);
    cairo_set_line_width(cr, 0.8);
    double d[2] = {2.0, 3.0};
    cairo_set_dash(cr, d, 2, 0.0);
    cairo_move_to(cr, x, f.y0);
    cairo_line_to(cr, x, f.y1);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
    ent_chart_font(cr, FS_SMALL, 0);
    ent_chart_colour(cr, &C_AXIS, 1.0);
    ent_chart_text_at(cr, x + 4.0, f.y0 + 10.0, 0.0, "model from here");
  }
  cairo_save(cr);
  cairo_rectangle(cr, f.x0, f.y0 - 1.0, f.x1 - f.x0, f.y1 - f.y0 + 2.0);
  cairo_clip(cr);
  for (size_t i = 0; i < s->n_lines; i++) {
    const ent_chart_fan_line *l = &s->lines[i];
    const rgb *c = LINE_COLOURS[i];
    if (l->q[0]) {
      for (int band = 0; band < 2; band++) {
        const double *lo = l->q[band == 0 ? 0 : 1], *hi = l->q[band == 0 ? 4 : 3];
        for (size_t t = 0; t < s->n_years; t++)
          cairo_line_to(cr, ent_chart_map_x(&f, &xa, s->years[t]), ent_chart_map_y(&f, &ya, hi[t]));
        for (size_t t = s->n_years; t-- > 0;)
          cairo_line_to(cr, ent_chart_map_x(&f, &xa, s->years[t]), ent_chart_map_y(&f, &ya, lo[t]));
        cairo_close_path(cr);
        ent_chart_colour(cr, c, band == 0 ? 0.16 : 0.40);
        cairo_fill(cr);
      }
    }
  }
  for (size_t i = 0; i < s->n_lines; i++) {
    const ent_chart_fan_line *l = &s->lines[i];
    ent_chart_colour(cr, LINE_COLOURS[i], 1.0);
    cairo_set_line_width(cr, 2.2);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t t = 0; t < s->n_years; t++)
      cairo_line_to(cr, ent_chart_map_x(&f, &xa, s->years[t]), ent_chart_map_y(&f, &ya, l->q[2][t]));
    if (s->n_years == 1) {
      double x = ent_chart_map_x(&f, &xa, s->years[0]);
      cairo_new_path(cr);
      cairo_move_to(cr, x - 6.0, ent_chart_map_y(&f, &ya, l->q[2][0]));
      cairo_line_to(cr, x + 6.0, ent_chart_map_y(&f, &ya, l->q[2][0]));
    }
    cairo_stroke(cr);
  }
  for (size_t i = 0; i < s->n_lines; i++) {
    const ent_chart_fan_line *l = &s->lines[i];
    for (size_t k = 0; k < l->n_obs; k++) {
      double x = ent_chart_map_x(&f, &xa, l->obs_years[k]), y = ent_chart_map_y(&f, &ya, l->obs_values[k]);
      ent_chart_colour(cr, LINE_COLOURS[i], 1.0);
      cairo_new_path(cr);
      cairo_arc(cr, x, y, 3.4, 0.0, 2.0 * ENT_PI);
      cairo_fill_preserve(cr);
      ent_chart_colour(cr, &C_BLACK, 1.0);
      cairo_set_line_width(cr, 0.9);
      cairo_stroke(cr);
    }
  }
  cairo_restore(cr);
  ent_chart_frame_axes(cr, &f);
  ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, h - 12.0 - (ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, 0.0, 0) - 1) * LEGEND_ROW, 1);
  ent_strbuf_printf(desc, "Fan chart, %d to %d. x axis: year; y axis: %s. ",
                    (int)ceil(xa.lo), (int)floor(xa.hi), s->y_label ? s->y_label : "");
  ent_chart_legend_desc(&lg, desc);
}

void ent_chart_fan_size(const ent_chart_fan_spec *s, int *w, int *h) {
  (void)s;
  *w = FAN_W;
  *h = FAN_H;
}

ent_status ent_chart_fan(const ent_chart_fan_spec *s, ent_chart_format f,
                         ent_strbuf *out) {
  if (!out || !fan_valid(s)) return ENT_EINVAL;
  return ent_chart_render(fan_draw, s, s->title, FAN_W, FAN_H, f, out);
}

/* -------------------------------------------------------- histogram */

#define HIST_W 720
#define HIST_H 430
#define HIST_MAX_MARKERS 4

static int hist_valid(const ent_chart_hist_spec *s) {
  if (!s || !isfinite(s->lo) || !isfinite(s->hi) || !(s->lo < s->hi) ||
      !s->bin_lo || !s->bin_hi || !s->share || s->n_bins == 0 ||
      s->n_markers > HIST_MAX_MARKERS || (s->n_anchors && !s->anchors) ||
      (s->n_markers && !s->markers))
    return 0;
  for (size_t k = 0; k < s->n_bins; k++) {
    double a = s->bin_lo[k], b = s->bin_hi[k], p = s->share[k];
    if (!isfinite(a) || !isfinite(b) || !isfinite(p) || a > b ||
        a < s->lo - 1e-9 || b > s->hi + 1e-9 || p < 0.0 || p > 1.0 + 1e-9)
      return 0;
  }
  for (size_t k = 0; k < s->n_anchors; k++)
    if (!isfinite(s->anchors[k].at) || !s->anchors[k].label) return 0;
  for (size_t k = 0; k < s->n_markers; k++)
    if (!isfinite(s->markers[k].at) || !s->markers[k].label) return 0;
  return 1;
}

static const rgb *const MARKER_COLOURS[HIST_MAX_MARKERS] = {
    &C_VERMILLION, &C_BLACK, &C_PURPLE, &C_GREEN};

/* The x axis of a histogram with anchors: a tick, the value and the
 * wrapped label of each anchor. */
static void hist_anchors(cairo_t *cr, const ent_chart_hist_spec *s,
                         const frame *f, const axis *xa, double w) {
  double min_gap = f->x1 - f->x0;
  for (size_t k = 1; k < s->n_anchors; k++) {
    double g = ent_chart_map_x(f, xa, s->anchors[k].at) - ent_chart_map_x(f, xa, s->anchors[k - 1].at);
    if (g < min_gap) min_gap = g;
  }
  /* one label width for all: labels are centred under their anchor but
   * kept inside the picture, and must not overlap once shifted */
  double lw = fmin(fmax(min_gap - 6.0, 40.0), 170.0);
  for (int iter = 0; iter < 6; iter++) {
    double prev = -1e9, gap = 1e9;
    for (size_t k = 0; k < s->n_anchors; k++) {
      double x = ent_chart_map_x(f, xa, s->anchors[k].at);
      double cx = fmin(fmax(x, 6.0 + 0.5 * lw), w - 6.0 - 0.5 * lw);
      if (k) gap = fmin(gap, cx - prev);
      prev = cx;
    }
    if (s->n_anchors > 1 && gap - 6.0 < lw) lw = fmax(40.0, gap - 6.0);
  }
  for (size_t k = 0; k < s->n_anchors; k++) {
    double x = ent_chart_map_x(f, xa, s->anchors[k].at);
    char v[32];
    ent_chart_fmt_num(v, sizeof v, s->anchors[k].at, fabs(s->anchors[k].at - nearbyint(s->anchors[k].at)) < 1e-9 ? 0 : 2);
    ent_chart_colour(cr, &C_AXIS, 1.0);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, x, f->y1);
    cairo_line_to(cr, x, f->y1 + 4.0);
    cairo_stroke(cr);
    /* keep the label inside the picture */
    double cx = fmin(fmax(x, 6.0 + 0.5 * lw), w - 6.0 - 0.5 * lw);
    ent_chart_colour(cr, &C_TEXT, 1.0);
    ent_chart_font(cr, FS_TICK, 1);
    ent_chart_text_at(cr, x, f->y1 + 15.0, 0.5, v);
    ent_chart_font(cr, FS_SMALL, 0);
    char lines[WRAP_LINES][WRAP_LEN];
    int n = ent_chart_wrap(cr, s->anchors[k].label, lw, lines);
    for (int i = 0; i < n; i++) ent_chart_text_at(cr, cx, f->y1 + 27.0 + 11.0 * i, 0.5, lines[i]);
  }
}

static void hist_draw(cairo_t *cr, const void *spec, double w, double h,
                      ent_strbuf *desc) {
  const ent_chart_hist_spec *s = spec;
  double pmax = 0.0;
  for (size_t k = 0; k < s->n_bins; k++)
    if (s->share[k] > pmax) pmax = s->share[k];
  axis ya = ent_chart_make_axis(0.0, pmax > 0.0 ? fmin(1.0, pmax * 1.12) : 1.0, 1, 0.0, 5);
  axis xa = {s->lo, s->hi, ent_chart_nice_step(s->hi - s->lo, 10), 0};
  xa.dec = ent_chart_step_decimals(xa.step);
  legend lg;
  memset(&lg, 0, sizeof lg);
  ent_chart_legend_add(&lg, SW_BOX, &C_SKY, 1.0, "share of runs in the range");
  for (size_t k = 0; k < s->n_markers; k++) {
    char t[96], v[32];
    ent_chart_fmt_num(v, sizeof v, s->markers[k].at, fabs(s->markers[k].at - nearbyint(s->markers[k].at)) < 1e-9 ? 0 : 1);
    snprintf(t, sizeof t, "%s (%s)", s->markers[k].label, v);
    ent_chart_legend_add(&lg, k == 0 ? SW_LINE : SW_DASH, MARKER_COLOURS[k], 1.0, t);
  }
  frame f;
  f.x0 = 30.0 + ent_chart_y_ticks_width(cr, &ya) + 10.0;
  f.x1 = w - 40.0;
  f.y0 = 40.0;
  int rows = ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, 0.0, 0);
  /* anchor labels: up to 3 wrapped lines plus the value line */
  double label_h = s->n_anchors ? 12.0 + WRAP_LINES * 11.0 : 16.0;
  f.y1 = h - 14.0 - label_h - 18.0 - rows * LEGEND_ROW;
  ent_chart_title(cr, w, s->title);
  ent_chart_y_axis(cr, &f, &ya, "share of runs, %", 1);
  /* bars */
  for (size_t k = 0; k < s->n_bins; k++) {
    double x0 = ent_chart_map_x(&f, &xa, s->bin_lo[k]), x1 = ent_chart_map_x(&f, &xa, s->bin_hi[k]);
    double y = ent_chart_map_y(&f, &ya, s->share[k]);
    if (x1 - x0 < 2.0) {
      double c = 0.5 * (x0 + x1);
      x0 = c - 1.0;
      x1 = c + 1.0;
    }
    double gap = x1 - x0 > 8.0 ? 1.5 : 0.0;
    ent_chart_colour(cr, &C_SKY, 1.0);
    cairo_rectangle(cr, x0 + gap, y, x1 - x0 - 2.0 * gap, f.y1 - y);
    cairo_fill_preserve(cr);
    ent_chart_colour(cr, &C_BLUE, 1.0);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
  }
  /* markers */
  for (size_t k = 0; k < s->n_markers; k++) {
    double x = ent_chart_map_x(&f, &xa, fmin(fmax(s->markers[k].at, s->lo), s->hi));
    ent_chart_colour(cr, MARKER_COLOURS[k], 1.0);
    cairo_set_line_width(cr, k == 0 ? 2.2 : 1.6);
    if (k > 0) {
      double d[2] = {4.0 + k, 3.0};
      cairo_set_dash(cr, d, 2, 0.0);
    }
    cairo_move_to(cr, x, f.y0);
    cairo_line_to(cr, x, f.y1);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
  }
  /* share labels over the bars, on a white ground (markers may cross) */
  ent_chart_font(cr, FS_SMALL, 0);
  for (size_t k = 0; k < s->n_bins; k++) {
    double x0 = ent_chart_map_x(&f, &xa, s->bin_lo[k]), x1 = ent_chart_map_x(&f, &xa, s->bin_hi[k]);
    if (!(s->share[k] >= 0.005) || x1 - x0 < 18.0) continue;
    char v[32];
    snprintf(v, sizeof v, "%.0f%%", 100.0 * s->share[k]);
    double y = ent_chart_map_y(&f, &ya, s->share[k]), tw = ent_chart_text_w(cr, v);
    cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
    cairo_rectangle(cr, 0.5 * (x0 + x1) - 0.5 * tw - 2.0, y - 14.0, tw + 4.0, 11.5);
    cairo_fill(cr);
    ent_chart_colour(cr, &C_TEXT, 1.0);
    ent_chart_text_at(cr, 0.5 * (x0 + x1), y - 4.5, 0.5, v);
  }
  ent_chart_frame_axes(cr, &f);
  /* x axis: anchors with their labels, else plain ticks */
  ent_chart_font(cr, FS_TICK, 0);
  if (s->n_anchors) {
    hist_anchors(cr, s, &f, &xa, w);
  } else {
    char v[32];
    for (double t = xa.lo; t <= xa.hi + 1e-9; t += xa.step) {
      double x = ent_chart_map_x(&f, &xa, t);
      ent_chart_fmt_num(v, sizeof v, t, xa.dec);
      ent_chart_colour(cr, &C_TEXT, 1.0);
      ent_chart_text_at(cr, x, f.y1 + 15.0, 0.5, v);
    }
  }
  ent_chart_font(cr, FS_LABEL, 0);
  ent_chart_colour(cr, &C_TEXT, 1.0);
  ent_chart_text_at(cr, 0.5 * (f.x0 + f.x1), f.y1 + label_h + 16.0, 0.5,
          s->x_label ? s->x_label : "");
  int r2 = ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, 0.0, 0);
  ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, h - 12.0 - (r2 - 1) * LEGEND_ROW, 1);
  ent_strbuf_printf(desc, "Histogram. x axis: %s; y axis: share of runs, %%. ",
                    s->x_label ? s->x_label : "");
  ent_chart_legend_desc(&lg, desc);
  if (s->n_anchors) {
    ent_strbuf_puts(desc, "scale: ");
    for (size_t k = 0; k < s->n_anchors; k++)
      ent_strbuf_printf(desc, "%s%g %s", k ? "; " : "", s->anchors[k].at,
                        s->anchors[k].label);
    ent_strbuf_puts(desc, ".");
  }
}

void ent_chart_histogram_size(const ent_chart_hist_spec *s, int *w, int *h) {
  (void)s;
  *w = HIST_W;
  *h = HIST_H;
}

ent_status ent_chart_histogram(const ent_chart_hist_spec *s,
                               ent_chart_format f, ent_strbuf *out) {
  if (!out || !hist_valid(s)) return ENT_EINVAL;
  return ent_chart_render(hist_draw, s, s->title, HIST_W, HIST_H, f, out);
}
