/*
 * chart.h -- SVG and PNG charts drawn with cairo from plain arrays.
 *
 * The module knows nothing of runs, forecasts or stores: callers hand it
 * years and quantiles, bins and shares, and get the bytes of one SVG or
 * PNG image back (docs/report.md describes the charts).  Five kinds:
 *
 *   fan        median line with 50 % and 90 % bands per year, up to
 *              ENT_CHART_MAX_LINES entities, observed points on top
 *   histogram  share of runs per range of an issue's scale, the scale's
 *              anchor labels under the axis, vertical markers (baselines)
 *   heatmap    every ordered pair of actors (row = from, column = to), the
 *              cell a 100 % stacked bar of the shares of each class
 *   tornado    inputs ranked by |index|, a bar per input left or right of 0
 *   reliability  a calibration chart: forecast probability against the
 *              share that happened, one point per non-empty bin (its area
 *              by the bin's question count, the count written beside it),
 *              the diagonal of perfect calibration (chart_reliability.c)
 *
 * Invariants and conventions
 *   - Same spec -> byte-identical output (no time stamps; fixed font
 *     options: no hinting, so layout does not depend on the device).
 *   - SVG: cairo draws the picture (text as glyph outlines); a <title> and
 *     a <desc> listing the axis labels and the legend are inserted after
 *     the <svg> tag, so the file names its contents for screen readers and
 *     tests.  PNG: the same picture at ENT_CHART_PNG_SCALE times the size
 *     in points, on white.
 *   - Colours: the Okabe-Ito palette (colour-blind safe); every chart has
 *     a legend and axis labels; fonts are DejaVu Sans, >= 9 pt.
 *   - Invalid specs (NULL arrays, no data, non-finite numbers, quantiles
 *     out of order, lo >= hi) return ENT_EINVAL and write nothing.
 *   - Charts never allocate outside ent_malloc except inside cairo.
 */
#ifndef ENT_CHART_H
#define ENT_CHART_H

#include "base/util.h"

#define ENT_CHART_MAX_LINES 4
#define ENT_CHART_MAX_CLASSES 6
#define ENT_CHART_PNG_SCALE 2

typedef enum ent_chart_format {
  ENT_CHART_SVG = 0,
  ENT_CHART_PNG = 1
} ent_chart_format;

/* One entity of a fan chart.  q[k] are per-year arrays of the 5, 25, 50,
 * 75 and 95 % quantiles (n_years values); q[2] (the median) is required,
 * the others may all be NULL (a single run: the bands collapse to the
 * line).  q[0] <= q[1] <= q[2] <= q[3] <= q[4] in every year.  The legend
 * calls the line "LABEL: median" when it has bands, else "LABEL". */
typedef struct ent_chart_fan_line {
  const char *label;        /* legend text, e.g. "RUS->CHN" */
  const double *q[5];
  const int *obs_years;     /* observed history (may be NULL) */
  const double *obs_values; /* finite */
  size_t n_obs;
  const char *obs_label;    /* legend of the points; NULL: "LABEL: observed" */
} ent_chart_fan_line;

typedef struct ent_chart_fan_spec {
  const char *title;
  const char *y_label;      /* with the unit, e.g. "exports, US$ bn" */
  const int *years;         /* increasing */
  size_t n_years;           /* >= 1 */
  const ent_chart_fan_line *lines;
  size_t n_lines;           /* 1..ENT_CHART_MAX_LINES */
  const char *band_note;    /* legend text of the bands' source, e.g.
                               "500 runs"; NULL: none */
  const double *y_range;    /* [lo, hi] of the y axis (lo < hi; data
                               outside is clipped); NULL: from the data */
} ent_chart_fan_spec;

/* A labelled point of an issue's scale, or a marker (baseline). */
typedef struct ent_chart_mark {
  double at;
  const char *label;
} ent_chart_mark;

typedef struct ent_chart_hist_spec {
  const char *title;
  const char *x_label;      /* e.g. "outcome on the scale (0-100)" */
  double lo, hi;            /* the scale, lo < hi */
  const double *bin_lo, *bin_hi; /* n_bins ranges inside [lo, hi] */
  const double *share;      /* n_bins shares of runs in [0, 1] */
  size_t n_bins;            /* >= 1 */
  const ent_chart_mark *anchors; /* labelled points of the scale */
  size_t n_anchors;
  const ent_chart_mark *markers; /* vertical lines: baselines, forecast */
  size_t n_markers;         /* <= 4 */
} ent_chart_hist_spec;

typedef struct ent_chart_heat_spec {
  const char *title;
  const char *const *actors; /* n ids: rows (from) and columns (to) */
  size_t n;                  /* >= 2 */
  const char *const *classes; /* n_classes names, legend order */
  size_t n_classes;          /* 1..ENT_CHART_MAX_CLASSES */
  const double *share;       /* [(i * n + j) * n_classes + k]: share of
                                class k for i -> j in [0, 1]; a pair with
                                all shares 0 has no data; diagonal unused */
} ent_chart_heat_spec;

typedef struct ent_chart_tornado_spec {
  const char *title;
  const char *x_label;      /* what the index is, e.g. "rank correlation" */
  const char *const *names; /* n input names */
  const double *index;      /* n finite signed indices */
  size_t n;                 /* >= 1; the 20 largest |index| are drawn */
} ent_chart_tornado_spec;

/* A reliability diagram (calibration chart) of probability forecasts of
 * binary questions.  Bins are ranges of forecast probability inside
 * [0, 1], increasing and not overlapping (bin_hi[k-1] <= bin_lo[k]); a bin
 * with count 0 is drawn as an empty range; of the others, mean_p (the
 * bin's mean forecast, inside the range) and observed (the share of its
 * questions that happened) must be finite and in [0, 1].  At least one
 * question in all.  The <desc> lists every bin: its range, question
 * count, mean probability and observed share. */
#define ENT_CHART_MAX_BINS 50

typedef struct ent_chart_reliability_spec {
  const char *title;
  const double *bin_lo, *bin_hi; /* n_bins ranges of probability */
  const size_t *count;           /* questions per bin */
  const double *mean_p;          /* mean forecast of each bin */
  const double *observed;        /* share that happened in each bin */
  size_t n_bins;                 /* 1..ENT_CHART_MAX_BINS */
  const char *points_label;      /* legend of the points; NULL: "model" */
} ent_chart_reliability_spec;

/* Draw one chart and append its bytes to `out` (SVG text or PNG).
 * ENT_OK, ENT_EINVAL (bad spec; out unchanged), ENT_ENOMEM, or
 * ENT_EINTERNAL (cairo failed). */
ENT_LOCAL ent_status ent_chart_fan(const ent_chart_fan_spec *s,
                                   ent_chart_format f, ent_strbuf *out);
ENT_LOCAL ent_status ent_chart_histogram(const ent_chart_hist_spec *s,
                                         ent_chart_format f, ent_strbuf *out);
ENT_LOCAL ent_status ent_chart_heatmap(const ent_chart_heat_spec *s,
                                       ent_chart_format f, ent_strbuf *out);
ENT_LOCAL ent_status ent_chart_tornado(const ent_chart_tornado_spec *s,
                                       ent_chart_format f, ent_strbuf *out);
ENT_LOCAL ent_status
ent_chart_reliability(const ent_chart_reliability_spec *s, ent_chart_format f,
                      ent_strbuf *out);

/* Width and height in points (SVG units) the chart will have; PNG pixels
 * are ENT_CHART_PNG_SCALE times these. */
ENT_LOCAL void ent_chart_fan_size(const ent_chart_fan_spec *s, int *w, int *h);
ENT_LOCAL void ent_chart_histogram_size(const ent_chart_hist_spec *s, int *w,
                                        int *h);
ENT_LOCAL void ent_chart_heatmap_size(const ent_chart_heat_spec *s, int *w,
                                      int *h);
ENT_LOCAL void ent_chart_tornado_size(const ent_chart_tornado_spec *s, int *w,
                                      int *h);
ENT_LOCAL void ent_chart_reliability_size(const ent_chart_reliability_spec *s,
                                          int *w, int *h);

#endif /* ENT_CHART_H */
