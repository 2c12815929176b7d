/*
 * chart_reliability.c -- the reliability diagram (calibration chart) of
 * probability forecasts of binary questions (contract in chart.h; the
 * drawing kit in chart.c; docs/report.md and docs/score.md describe it).
 *
 * Picture: a square plot, x = forecast probability, y = the share of the
 * questions that happened, both 0-100 %.  The dashed diagonal is perfect
 * calibration.  Every bin's range of probability is marked on the x axis
 * (ticks at its edges, the non-empty ranges shaded in turn); a point per
 * non-empty bin sits at (the bin's mean forecast, its observed share), its
 * area proportional to the bin's question count, and the count is written
 * beside it ("n 12").  Thin lines join the points in order of probability.
 */
#include "output/chart_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define REL_W 600
#define REL_H 600

static int rel_valid(const ent_chart_reliability_spec *s) {
  if (!s || !s->bin_lo || !s->bin_hi || !s->count || !s->mean_p ||
      !s->observed || s->n_bins == 0 || s->n_bins > ENT_CHART_MAX_BINS)
    return 0;
  size_t total = 0;
  const double eps = 1e-9;
  for (size_t k = 0; k < s->n_bins; k++) {
    double a = s->bin_lo[k], b = s->bin_hi[k];
    if (!isfinite(a) || !isfinite(b) || !(a < b) || a < -eps || b > 1.0 + eps)
      return 0;
    if (k && a < s->bin_hi[k - 1] - eps) return 0;
    if (!s->count[k]) continue;
    double p = s->mean_p[k], o = s->observed[k];
    if (!isfinite(p) || !isfinite(o) || p < a - eps || p > b + eps ||
        o < -eps || o > 1.0 + eps)
      return 0;
    if (s->count[k] > (size_t)-1 - total) return 0;
    total += s->count[k];
  }
  return total > 0;
}

/* "12%" style label of a probability (whole percent, or one decimal when
 * the edge is not a whole percent). */
static void pct_label(char *buf, size_t size, double p) {
  double v = 100.0 * p;
  if (fabs(v - nearbyint(v)) < 1e-6) snprintf(buf, size, "%.0f%%", v);
  else snprintf(buf, size, "%.1f%%", v);
}

/* Long: the frame, the bin shading, the diagonal, the points with their
 * counts and the legend are drawn in one pass on one cairo context. */
static void rel_draw(cairo_t *cr, const void *spec, double w, double h,
                     ent_strbuf *desc) {
  const ent_chart_reliability_spec *s = spec;
  const char *plabel = s->points_label ? s->points_label : "model";
  size_t total = 0, nmax = 0, nonempty = 0;
  for (size_t k = 0; k < s->n_bins; k++) {
    total += s->count[k];
    if (s->count[k] > nmax) nmax = s->count[k];
    if (s->count[k]) nonempty++;
  }
  axis ya = {0.0, 1.0, 0.1, 1};
  axis xa = ya;
  legend lg;
  memset(&lg, 0, sizeof lg);
  char t[96];
  ent_chart_legend_add(&lg, SW_DASH, &C_BLACK, 1.0, "perfect calibration");
  snprintf(t, sizeof t, "%s: share that happened per bin", plabel);
  ent_chart_legend_add(&lg, SW_DOT, &C_BLUE, 1.0, t);
  ent_chart_legend_add(&lg, SW_BOX, &C_SKY, 0.25, "a bin's range of probability");
  int rows = ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, 0.0, 0);
  frame f;
  f.x0 = 30.0 + ent_chart_y_ticks_width(cr, &ya) + 10.0;
  f.y0 = 44.0;
  double bottom = h - 14.0 - 15.0 - 18.0 - 14.0 - rows * LEGEND_ROW;
  double side = fmin(w - 30.0 - f.x0, bottom - f.y0);
  f.x1 = f.x0 + side;
  f.y1 = f.y0 + side;
  ent_chart_title(cr, w, s->title);
  /* the bins' ranges: shaded columns (non-empty bins, alternating) */
  int shade = 0;
  for (size_t k = 0; k < s->n_bins; k++) {
    if (!s->count[k]) continue;
    double x0 = ent_chart_map_x(&f, &xa, fmax(0.0, s->bin_lo[k]));
    double x1 = ent_chart_map_x(&f, &xa, fmin(1.0, s->bin_hi[k]));
    ent_chart_colour(cr, &C_SKY, shade ? 0.16 : 0.25);
    cairo_rectangle(cr, x0, f.y0, x1 - x0, f.y1 - f.y0);
    cairo_fill(cr);
    shade = !shade;
  }
  ent_chart_y_axis(cr, &f, &ya, "observed frequency (share that happened), %", 1);
  /* vertical grid at the x ticks */
  ent_chart_colour(cr, &C_GRID, 1.0);
  cairo_set_line_width(cr, 0.8);
  for (int i = 1; i < 10; i++) {
    double x = ent_chart_map_x(&f, &xa, 0.1 * i);
    cairo_move_to(cr, x, f.y0);
    cairo_line_to(cr, x, f.y1);
    cairo_stroke(cr);
  }
  /* perfect calibration */
  ent_chart_colour(cr, &C_BLACK, 1.0);
  cairo_set_line_width(cr, 1.4);
  double dash[2] = {5.0, 4.0};
  cairo_set_dash(cr, dash, 2, 0.0);
  cairo_move_to(cr, f.x0, f.y1);
  cairo_line_to(cr, f.x1, f.y0);
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0.0);
  /* lines joining the points */
  ent_chart_colour(cr, &C_BLUE, 0.6);
  cairo_set_line_width(cr, 1.2);
  int started = 0;
  for (size_t k = 0; k < s->n_bins; k++) {
    if (!s->count[k]) continue;
    double x = ent_chart_map_x(&f, &xa, s->mean_p[k]);
    double y = ent_chart_map_y(&f, &ya, fmin(fmax(s->observed[k], 0.0), 1.0));
    if (started) cairo_line_to(cr, x, y);
    else cairo_move_to(cr, x, y);
    started = 1;
  }
  if (nonempty > 1) cairo_stroke(cr);
  else cairo_new_path(cr);
  /* the points, area by count, with their counts */
  for (size_t k = 0; k < s->n_bins; k++) {
    if (!s->count[k]) continue;
    double x = ent_chart_map_x(&f, &xa, s->mean_p[k]);
    double y = ent_chart_map_y(&f, &ya, fmin(fmax(s->observed[k], 0.0), 1.0));
    double r = 3.5 + 10.0 * sqrt((double)s->count[k] / (double)nmax);
    ent_chart_colour(cr, &C_BLUE, 0.85);
    cairo_new_path(cr);
    cairo_arc(cr, x, y, r, 0.0, 2.0 * ENT_PI);
    cairo_fill_preserve(cr);
    ent_chart_colour(cr, &C_BLACK, 1.0);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
    char v[32];
    snprintf(v, sizeof v, "n %zu", s->count[k]);
    ent_chart_font(cr, FS_SMALL, 1);
    double tw = ent_chart_text_w(cr, v);
    /* beside the point, inside the plot; above it near the right edge */
    double tx = x + r + 3.0, ty = y + 3.5;
    if (tx + tw > f.x1 - 2.0) {
      tx = x - 0.5 * tw;
      ty = y - r - 4.0;
      if (ty < f.y0 + 10.0) ty = y + r + 11.0;
    }
    cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
    cairo_rectangle(cr, tx - 1.5, ty - 9.0, tw + 3.0, 11.5);
    cairo_fill(cr);
    ent_chart_colour(cr, &C_TEXT, 1.0);
    ent_chart_text_at(cr, tx, ty, 0.0, v);
  }
  ent_chart_frame_axes(cr, &f);
  /* x axis: ticks at every bin edge, labels at the tenths */
  ent_chart_colour(cr, &C_AXIS, 1.0);
  cairo_set_line_width(cr, 1.0);
  for (size_t k = 0; k < s->n_bins; k++) {
    double e[2] = {s->bin_lo[k], s->bin_hi[k]};
    for (int j = 0; j < 2; j++) {
      double x = ent_chart_map_x(&f, &xa, fmin(fmax(e[j], 0.0), 1.0));
      cairo_move_to(cr, x, f.y1);
      cairo_line_to(cr, x, f.y1 + 5.0);
      cairo_stroke(cr);
    }
  }
  ent_chart_font(cr, FS_TICK, 0);
  ent_chart_colour(cr, &C_TEXT, 1.0);
  for (int i = 0; i <= 10; i++) {
    char v[16];
    snprintf(v, sizeof v, "%d", 10 * i);
    ent_chart_text_at(cr, ent_chart_map_x(&f, &xa, 0.1 * i), f.y1 + 16.0, 0.5, v);
  }
  ent_chart_font(cr, FS_LABEL, 0);
  snprintf(t, sizeof t, "forecast probability, %% (%zu questions in %zu bins)",
           total, s->n_bins);
  ent_chart_text_at(cr, 0.5 * (f.x0 + f.x1), f.y1 + 36.0, 0.5, t);
  int r2 = ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, 0.0, 0);
  ent_chart_legend_layout(cr, &lg, 12.0, w - 24.0, h - 12.0 - (r2 - 1) * LEGEND_ROW, 1);
  /* the description */
  ent_strbuf_printf(desc, "Reliability diagram of %zu questions. x axis: "
                          "forecast probability, %%; y axis: observed frequency "
                          "(share that happened), %%. ", total);
  ent_chart_legend_desc(&lg, desc);
  ent_strbuf_puts(desc, "bins: ");
  for (size_t k = 0; k < s->n_bins; k++) {
    char a[16], b[16];
    pct_label(a, sizeof a, s->bin_lo[k]);
    pct_label(b, sizeof b, s->bin_hi[k]);
    ent_strbuf_printf(desc, "%s%s-%s: ", k ? "; " : "", a, b);
    if (!s->count[k]) ent_strbuf_puts(desc, "0 questions");
    else
      ent_strbuf_printf(desc, "%zu question%s, mean probability %.3f, "
                              "observed %.3f",
                        s->count[k], s->count[k] == 1 ? "" : "s", s->mean_p[k],
                        s->observed[k]);
  }
  ent_strbuf_puts(desc, ".");
}

void ent_chart_reliability_size(const ent_chart_reliability_spec *s, int *w,
                                int *h) {
  (void)s;
  *w = REL_W;
  *h = REL_H;
}

ent_status ent_chart_reliability(const ent_chart_reliability_spec *s,
                                 ent_chart_format f, ent_strbuf *out) {
  if (!out || !rel_valid(s)) return ENT_EINVAL;
  return ent_chart_render(rel_draw, s, s->title ? s->title : "Reliability",
                          REL_W, REL_H, f, out);
}
