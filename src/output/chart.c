/*
 * chart.c -- fan charts, histograms, heat maps and tornado charts drawn
 * with cairo (contract in chart.h; the charts of the report are described
 * in docs/report.md).
 *
 * Every chart is drawn by one function on a cairo context in points, so
 * the SVG and the PNG are the same picture.  Layout is computed from text
 * extents with hinting off, which makes it independent of the surface.
 * The bytes of an image are collected in a scratch buffer and appended to
 * the caller's buffer only when the whole image was written.
 */
#include "output/chart.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------- palette */

typedef struct rgb {
  double r, g, b;
} rgb;

#define RGB(hex)                                                               \
  {((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0,                  \
   ((hex)&0xff) / 255.0}

/* Okabe & Ito (2008), "Color Universal Design". */
static const rgb C_BLACK = RGB(0x000000);
static const rgb C_ORANGE = RGB(0xE69F00);
static const rgb C_SKY = RGB(0x56B4E9);
static const rgb C_GREEN = RGB(0x009E73);
static const rgb C_BLUE = RGB(0x0072B2);
static const rgb C_VERMILLION = RGB(0xD55E00);
static const rgb C_PURPLE = RGB(0xCC79A7);
/* Neutral greys for text, axes and grid. */
static const rgb C_TEXT = RGB(0x222222);
static const rgb C_AXIS = RGB(0x555555);
static const rgb C_GRID = RGB(0xE3E3E3);
static const rgb C_EMPTY = RGB(0xF2F2F2);

static const rgb *const LINE_COLOURS[ENT_CHART_MAX_LINES] = {
    &C_BLUE, &C_VERMILLION, &C_GREEN, &C_PURPLE};
static const rgb *const CLASS_COLOURS[ENT_CHART_MAX_CLASSES] = {
    &C_VERMILLION, &C_GREEN, &C_ORANGE, &C_SKY, &C_PURPLE, &C_BLUE};

#define ENT_PI 3.14159265358979323846

static const char FONT[] = "DejaVu Sans";
#define FS_TITLE 14.0
#define FS_LABEL 11.0
#define FS_TICK 10.0
#define FS_SMALL 9.0

static void colour(cairo_t *cr, const rgb *c, double alpha) {
  if (alpha >= 1.0) cairo_set_source_rgb(cr, c->r, c->g, c->b);
  else cairo_set_source_rgba(cr, c->r, c->g, c->b, alpha);
}

/* ------------------------------------------------------------ text */

static void font(cairo_t *cr, double size, int bold) {
  cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD
                              : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

static double text_w(cairo_t *cr, const char *s) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, s, &e);
  return e.x_advance;
}

/* Text at (x, y) with y the baseline; ax 0 left, 0.5 centre, 1 right. */
static void text_at(cairo_t *cr, double x, double y, double ax,
                    const char *s) {
  cairo_move_to(cr, x - ax * text_w(cr, s), y);
  cairo_show_text(cr, s);
}

/* Text rotated 90 degrees counter-clockwise, centred on (x, y). */
static void text_up(cairo_t *cr, double x, double y, const char *s) {
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_rotate(cr, -ENT_PI / 2.0);
  text_at(cr, 0.0, 0.0, 0.5, s);
  cairo_restore(cr);
}

/* Bytes of the UTF-8 prefix of s that is at most n bytes long. */
static size_t utf8_cut(const char *s, size_t n) {
  size_t len = strlen(s);
  if (len <= n) return len;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return n;
}

/* s shortened with an ellipsis to at most max_w points wide. */
static void fit(cairo_t *cr, const char *s, double max_w, char *out,
                size_t size) {
  snprintf(out, size, "%s", s);
  if (text_w(cr, out) <= max_w) return;
  size_t n = utf8_cut(s, size > 4 ? size - 4 : 0);
  while (n > 0) {
    n = utf8_cut(s, n - 1);
    snprintf(out, size, "%.*s\xE2\x80\xA6", (int)n, s);
    if (text_w(cr, out) <= max_w) return;
  }
  snprintf(out, size, "\xE2\x80\xA6");
}

#define WRAP_LINES 3
#define WRAP_LEN 160

/* Greedy word wrap of s into at most WRAP_LINES lines of max_w points;
 * the last line is shortened with an ellipsis.  Returns the line count. */
static int wrap(cairo_t *cr, const char *s, double max_w,
                char lines[WRAP_LINES][WRAP_LEN]) {
  int n = 0;
  const char *p = s;
  while (*p == ' ') p++;
  while (*p && n < WRAP_LINES) {
    char cur[WRAP_LEN] = "";
    const char *q = p;
    const char *rest = p;
    while (*q) {
      const char *e = strchr(q, ' ');
      size_t wl = e ? (size_t)(e - q) : strlen(q);
      char trial[WRAP_LEN];
      int k = snprintf(trial, sizeof trial, "%s%s%.*s", cur, cur[0] ? " " : "",
                       (int)wl, q);
      if (k >= (int)sizeof trial) break;
      if (cur[0] && text_w(cr, trial) > max_w) break;
      memcpy(cur, trial, (size_t)k + 1);
      q += wl;
      while (*q == ' ') q++;
      rest = q;
    }
    if (n == WRAP_LINES - 1 && *rest) {
      char all[WRAP_LEN * 2];
      snprintf(all, sizeof all, "%s %s", cur, rest);
      fit(cr, all, max_w, lines[n], WRAP_LEN);
    } else {
      fit(cr, cur, max_w, lines[n], WRAP_LEN);
    }
    n++;
    if (rest == p) break; /* no progress: a word too long (fitted above) */
    p = rest;
  }
  return n;
}

/* ----------------------------------------------------------- numbers */

/* A tick step of 1, 2, 2.5 or 5 times a power of ten giving about
 * `target` intervals over span. */
static double nice_step(double span, int target) {
  if (!(span > 0.0)) return 1.0;
  double raw = span / target;
  double p = pow(10.0, floor(log10(raw)));
  double f = raw / p;
  double m = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0
                                                                         : 10.0;
  return m * p;
}

/* Decimals needed to print multiples of step exactly. */
static int step_decimals(double step) {
  int d = 0;
  while (d < 8 && fabs(step * pow(10.0, d) - nearbyint(step * pow(10.0, d))) >
                      1e-9 * pow(10.0, d))
    d++;
  return d;
}

/* Number with `dec` decimals and thousands separators (12,500.5). */
static void fmt_num(char *buf, size_t size, double v, int dec) {
  char raw[64];
  if (fabs(v) < 0.5 * pow(10.0, -dec)) v = 0.0;
  snprintf(raw, sizeof raw, "%.*f", dec, v);
  const char *digits = raw[0] == '-' ? raw + 1 : raw;
  const char *dot = strchr(digits, '.');
  size_t ilen = dot ? (size_t)(dot - digits) : strlen(digits);
  char out[96];
  size_t o = 0;
  if (raw[0] == '-') out[o++] = '-';
  for (size_t i = 0; i < ilen; i++) {
    out[o++] = digits[i];
    size_t left = ilen - i - 1;
    if (left > 0 && left % 3 == 0 && ilen > 4) out[o++] = ',';
  }
  snprintf(out + o, sizeof out - o, "%s", dot ? dot : "");
  snprintf(buf, size, "%s", out);
}

typedef struct axis {
  double lo, hi;  /* data range shown */
  double step;    /* tick step */
  int dec;        /* decimals of tick labels */
} axis;

/* Axis over [a, b] padded by `pad` of the span; zero included when
 * `zero` and the data do not cross it. */
static axis make_axis(double a, double b, int zero, double pad, int target) {
  axis ax;
  if (zero && a > 0.0 && a <= 0.5 * b) a = 0.0;
  if (zero && b < 0.0 && b >= 0.5 * a) b = 0.0;
  if (!(b > a)) {
    double d = fabs(a) > 0.0 ? 0.1 * fabs(a) : 1.0;
    a -= d;
    b += d;
  }
  double span = b - a;
  if (!(zero && a == 0.0)) a -= pad * span;
  if (!(zero && b == 0.0)) b += pad * span;
  ax.step = nice_step(b - a, target);
  ax.lo = floor(a / ax.step + 1e-9) * ax.step;
  ax.hi = ceil(b / ax.step - 1e-9) * ax.step;
  ax.dec = step_decimals(ax.step);
  return ax;
}

/* ------------------------------------------------------------ frame */

typedef struct frame {
  double x0, x1, y0, y1; /* plot area: x0 left, y0 top */
} frame;

static double map_x(const frame *f, const axis *a, double v) {
  return f->x0 + (v - a->lo) / (a->hi - a->lo) * (f->x1 - f->x0);
}

static double map_y(const frame *f, const axis *a, double v) {
  return f->y1 - (v - a->lo) / (a->hi - a->lo) * (f->y1 - f->y0);
}

/* Widest tick label of a y axis. */
static double y_ticks_width(cairo_t *cr, const axis *a) {
  font(cr, FS_TICK, 0);
  double w = 0.0;
  char buf[64];
  for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
    fmt_num(buf, sizeof buf, v, a->dec);
    double t = text_w(cr, buf);
    if (t > w) w = t;
  }
  return w;
}

static void title(cairo_t *cr, double w, const char *s) {
  char buf[WRAP_LEN];
  colour(cr, &C_TEXT, 1.0);
  font(cr, FS_TITLE, 1);
  fit(cr, s ? s : "", w - 24.0, buf, sizeof buf);
  text_at(cr, 12.0, 22.0, 0.0, buf);
}

/* Horizontal grid, y tick labels and the rotated y label. */
static void y_axis(cairo_t *cr, const frame *f, const axis *a,
                   const char *label, int percent) {
  char buf[64];
  font(cr, FS_TICK, 0);
  cairo_set_line_width(cr, 0.8);
  for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
    double y = map_y(f, a, v);
    colour(cr, &C_GRID, 1.0);
    cairo_move_to(cr, f->x0, y);
    cairo_line_to(cr, f->x1, y);
    cairo_stroke(cr);
    fmt_num(buf, sizeof buf, percent ? 100.0 * v : v,
            percent ? (a->dec > 2 ? a->dec - 2 : 0) : a->dec);
    colour(cr, &C_TEXT, 1.0);
    text_at(cr, f->x0 - 6.0, y + 3.5, 1.0, buf);
  }
  font(cr, FS_LABEL, 0);
  colour(cr, &C_TEXT, 1.0);
  char fitted[WRAP_LEN];
  fit(cr, label ? label : "", f->y1 - f->y0 + 30.0, fitted, sizeof fitted);
  text_up(cr, 16.0, 0.5 * (f->y0 + f->y1), fitted);
}

static void frame_axes(cairo_t *cr, const frame *f) {
  colour(cr, &C_AXIS, 1.0);
  cairo_set_line_width(cr, 1.0);
  cairo_move_to(cr, f->x0, f->y0);
  cairo_line_to(cr, f->x0, f->y1);
  cairo_line_to(cr, f->x1, f->y1);
  cairo_stroke(cr);
}

/* ----------------------------------------------------------- legends */

typedef enum swatch_kind {
  SW_LINE = 0,
  SW_DASH,
  SW_BOX,
  SW_DOT
} swatch_kind;

typedef struct legend_item {
  swatch_kind kind;
  const rgb *c;
  double alpha;
  char text[96];
} legend_item;

#define LEGEND_MAX 24
#define LEGEND_ROW 17.0

typedef struct legend {
  legend_item it[LEGEND_MAX];
  int n;
} legend;

static void legend_add(legend *l, swatch_kind k, const rgb *c, double alpha,
                       const char *text) {
  if (l->n >= LEGEND_MAX) return;
  legend_item *it = &l->it[l->n++];
  it->kind = k;
  it->c = c;
  it->alpha = alpha;
  snprintf(it->text, sizeof it->text, "%s", text);
}

/* Rows the legend needs in width w (or draws them from y when draw). */
static int legend_layout(cairo_t *cr, const legend *l, double x0, double w,
                         double y, int draw) {
  font(cr, FS_SMALL + 1.0, 0);
  double x = x0;
  int rows = l->n ? 1 : 0;
  for (int i = 0; i < l->n; i++) {
    const legend_item *it = &l->it[i];
    double iw = 22.0 + text_w(cr, it->text) + 16.0;
    if (x > x0 && x + iw > x0 + w) {
      x = x0;
      y += LEGEND_ROW;
      rows++;
    }
    if (draw) {
      double cy = y - 3.5;
      switch (it->kind) {
      case SW_LINE:
      case SW_DASH:
        colour(cr, it->c, it->alpha);
        cairo_set_line_width(cr, it->kind == SW_LINE ? 2.2 : 1.6);
        if (it->kind == SW_DASH) {
          double d[2] = {4.0, 3.0};
          cairo_set_dash(cr, d, 2, 0.0);
        }
        cairo_move_to(cr, x, cy);
        cairo_line_to(cr, x + 18.0, cy);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0.0);
        break;
      case SW_BOX:
        colour(cr, it->c, it->alpha);
        cairo_rectangle(cr, x, cy - 5.5, 18.0, 11.0);
        cairo_fill(cr);
        break;
      case SW_DOT:
        colour(cr, it->c, 1.0);
        cairo_new_path(cr);
        cairo_arc(cr, x + 9.0, cy, 3.4, 0.0, 2.0 * ENT_PI);
        cairo_fill_preserve(cr);
        colour(cr, &C_BLACK, 1.0);
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
        break;
      }
      colour(cr, &C_TEXT, 1.0);
      text_at(cr, x + 22.0, y, 0.0, it->text);
    }
    x += iw;
  }
  return rows;
}

/* Legend as "a; b; c" for the SVG <desc>. */
static void legend_desc(const legend *l, ent_strbuf *b) {
  ent_strbuf_puts(b, "legend: ");
  for (int i = 0; i < l->n; i++)
    ent_strbuf_printf(b, "%s%s", i ? "; " : "", l->it[i].text);
  ent_strbuf_puts(b, ". ");
}

/* ------------------------------------------------------- rendering */

typedef void (*draw_fn)(cairo_t *cr, const void *spec, double w, double h,
                        ent_strbuf *desc);

static cairo_status_t sink(void *closure, const unsigned char *data,
                           unsigned int length) {
  ent_strbuf *b = closure;
  ent_strbuf_append(b, (const char *)data, length);
  return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void set_font_options(cairo_t *cr) {
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
}

static void xml_escaped(ent_strbuf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '<': ent_strbuf_puts(b, "&lt;"); break;
    case '>': ent_strbuf_puts(b, "&gt;"); break;
    case '&': ent_strbuf_puts(b, "&amp;"); break;
    case '"': ent_strbuf_puts(b, "&quot;"); break;
    default:
      if ((unsigned char)*s >= 0x20 || *s == '\n') ent_strbuf_append(b, s, 1);
    }
  }
}

/* cairo names groups "surfaceN" after a process-wide counter of
 * surfaces; renumber them 1, 2, ... in order of first appearance so that
 * equal charts give equal bytes however many were drawn before.  Returns
 * the new text in out (appended). */
static void svg_renumber(const char *s, size_t len, ent_strbuf *out) {
  unsigned long from[64];
  size_t n = 0;
  const char *end = s + len, *run = s;
  static const char key[] = "surface";
  for (const char *p = s; p + 7 < end;) {
    if (memcmp(p, key, 7) || p[7] < '0' || p[7] > '9' ||
        (p > s && ((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z')))) {
      p++;
      continue;
    }
    const char *q = p + 7;
    unsigned long v = 0;
    while (q < end && *q >= '0' && *q <= '9' && v < 100000000ul)
      v = v * 10 + (unsigned long)(*q++ - '0');
    size_t k = 0;
    while (k < n && from[k] != v) k++;
    if (k == n && n < 64) from[n++] = v;
    ent_strbuf_append(out, run, (size_t)(p - run));
    if (k < 64) ent_strbuf_printf(out, "surface%zu", k + 1);
    else ent_strbuf_append(out, p, (size_t)(q - p));
    run = p = q;
  }
  ent_strbuf_append(out, run, (size_t)(end - run));
}

/* Insert <title> and <desc> after the opening <svg> tag of img. */
static ent_status svg_annotate(ent_strbuf *img, const char *ttl,
                               const char *desc, ent_strbuf *out) {
  const char *svg = img->data ? strstr(img->data, "<svg") : NULL;
  const char *gt = svg ? strchr(svg, '>') : NULL;
  if (!gt) return ENT_EINTERNAL;
  size_t head = (size_t)(gt - img->data) + 1;
  ent_strbuf r;
  ent_strbuf_init(&r);
  ent_strbuf_append(&r, img->data, head);
  ent_strbuf_puts(&r, "\n<title>");
  xml_escaped(&r, ttl ? ttl : "");
  ent_strbuf_puts(&r, "</title>\n<desc>");
  xml_escaped(&r, desc);
  ent_strbuf_puts(&r, "</desc>");
  svg_renumber(img->data + head, img->len - head, &r);
  if (r.failed) {
    ent_strbuf_free(&r);
    return ENT_ENOMEM;
  }
  ent_strbuf_append(out, r.data, r.len);
  ent_strbuf_free(&r);
  return out->failed ? ENT_ENOMEM : ENT_OK;
}

static ent_status render(draw_fn draw, const void *spec, const char *ttl,
                         int w, int h, ent_chart_format f, ent_strbuf *out) {
  ent_strbuf img, desc;
  ent_strbuf_init(&img);
  ent_strbuf_init(&desc);
  cairo_surface_t *s;
  if (f == ENT_CHART_SVG) {
    s = cairo_svg_surface_create_for_stream(sink, &img, w, h);
    cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_USER);
  } else {
    s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
                                   w * ENT_CHART_PNG_SCALE,
                                   h * ENT_CHART_PNG_SCALE);
  }
  cairo_t *cr = cairo_create(s);
  set_font_options(cr);
  if (f == ENT_CHART_PNG) cairo_scale(cr, ENT_CHART_PNG_SCALE, ENT_CHART_PNG_SCALE);
  cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
  cairo_paint(cr);
  draw(cr, spec, w, h, &desc);
  cairo_status_t cst = cairo_status(cr);
  cairo_destroy(cr);
  if (cst == CAIRO_STATUS_SUCCESS && f == ENT_CHART_PNG)
    cst = cairo_surface_write_to_png_stream(s, sink, &img);
  cairo_surface_finish(s);
  if (cst == CAIRO_STATUS_SUCCESS) cst = cairo_surface_status(s);
  cairo_surface_destroy(s);
  ent_status st = ENT_OK;
  if (img.failed || desc.failed || cst == CAIRO_STATUS_NO_MEMORY) st = ENT_ENOMEM;
  else if (cst != CAIRO_STATUS_SUCCESS) st = ENT_EINTERNAL;
  else if (f == ENT_CHART_SVG) st = svg_annotate(&img, ttl, desc.data ? desc.data : "", out);
  else {
    ent_strbuf_append(out, img.data, img.len);
    if (out->failed) st = ENT_ENOMEM;
  }
  ent_strbuf_free(&img);
  ent_strbuf_free(&desc);
  return st;
}

/* A scratch context for measuring text before the size is known. */
typedef struct measurer {
  cairo_surface_t *s;
  cairo_t *cr;
} measurer;

static measurer measure_open(void) {
  measurer m;
  m.s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  m.cr = cairo_create(m.s);
  set_font_options(m.cr);
  return m;
}

static void measure_close(measurer *m) {
  cairo_destroy(m->cr);
  cairo_surface_destroy(m->s);
}

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
    legend_add(lg, SW_LINE, c, 1.0, t);
    if (l->n_obs) {
      if (l->obs_label) snprintf(t, sizeof t, "%s", l->obs_label);
      else snprintf(t, sizeof t, "%s%sobserved", name, name[0] ? ": " : "");
      legend_add(lg, SW_DOT, c, 1.0, t);
    }
    if (l->q[0]) bands = 1;
  }
  if (bands) {
    const rgb *c = s->n_lines == 1 ? LINE_COLOURS[0] : &C_AXIS;
    snprintf(t, sizeof t, "%s50%% of runs", s->n_lines == 1 ? "" : "darker band: ");
    legend_add(lg, SW_BOX, c, 0.40, t);
    snprintf(t, sizeof t, "%s90%% of runs", s->n_lines == 1 ? "" : "lighter band: ");
    legend_add(lg, SW_BOX, c, 0.16, t);
  }
  if (s->band_note && s->band_note[0]) legend_add(lg, SW_BOX, &C_EMPTY, 0.0, s->band_note);
}

static void fan_layout(cairo_t *cr, const ent_chart_fan_spec *s, double w,
                       double h, frame *f, axis *ya, axis *xa, legend *lg) {
  double ylo, yhi;
  int xlo, xhi;
  fan_ranges(s, &ylo, &yhi, &xlo, &xhi);
  if (s->y_range) {
    *ya = make_axis(s->y_range[0], s->y_range[1], 0, 0.0, 5);
    ya->lo = s->y_range[0];
    ya->hi = s->y_range[1];
  } else {
    *ya = make_axis(ylo, yhi, 1, 0.04, 5);
  }
  double span = xhi > xlo ? xhi - xlo : 1.0;
  xa->step = ceil(fmax(1.0, nice_step(span, 8)));
  xa->lo = xlo - fmax(0.3, 0.02 * span); /* room for the end points */
  xa->hi = (xhi > xlo ? xhi : xlo) + fmax(0.3, 0.02 * span);
  xa->dec = 0;
  fan_legend(s, lg);
  f->x0 = 30.0 + y_ticks_width(cr, ya) + 10.0;
  f->x1 = w - 18.0;
  f->y0 = 40.0;
  int rows = legend_layout(cr, lg, 12.0, w - 24.0, 0.0, 0);
  f->y1 = h - 44.0 - rows * LEGEND_ROW;
}

static void fan_draw(cairo_t *cr, const void *spec, double w, double h,
                     ent_strbuf *desc) {
  const ent_chart_fan_spec *s = spec;
  frame f;
  axis ya, xa;
  legend lg;
  fan_layout(cr, s, w, h, &f, &ya, &xa, &lg);
  title(cr, w, s->title);
  y_axis(cr, &f, &ya, s->y_label, 0);
  /* x ticks: years */
  char buf[32];
  font(cr, FS_TICK, 0);
  colour(cr, &C_TEXT, 1.0);
  double first = ceil(xa.lo / xa.step) * xa.step;
  for (double v = first; v <= xa.hi + 1e-9; v += xa.step) {
    double x = map_x(&f, &xa, v);
    snprintf(buf, sizeof buf, "%d", (int)v);
    colour(cr, &C_AXIS, 1.0);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, x, f.y1);
    cairo_line_to(cr, x, f.y1 + 4.0);
    cairo_stroke(cr);
    colour(cr, &C_TEXT, 1.0);
    text_at(cr, x, f.y1 + 16.0, 0.5, buf);
  }
  font(cr, FS_LABEL, 0);
  text_at(cr, 0.5 * (f.x0 + f.x1), f.y1 + 32.0, 0.5, "year");
  /* the forecast's first year, when history reaches further back */
  if (xa.lo + 1.0 < s->years[0]) {
    double x = map_x(&f, &xa, s->years[0]);
    colour(cr, &C_AXIS, 0.8);
    cairo_set_line_width(cr, 0.8);
    double d[2] = {2.0, 3.0};
    cairo_set_dash(cr, d, 2, 0.0);
    cairo_move_to(cr, x, f.y0);
    cairo_line_to(cr, x, f.y1);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
    font(cr, FS_SMALL, 0);
    colour(cr, &C_AXIS, 1.0);
    text_at(cr, x + 4.0, f.y0 + 10.0, 0.0, "model from here");
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
          cairo_line_to(cr, map_x(&f, &xa, s->years[t]), map_y(&f, &ya, hi[t]));
        for (size_t t = s->n_years; t-- > 0;)
          cairo_line_to(cr, map_x(&f, &xa, s->years[t]), map_y(&f, &ya, lo[t]));
        cairo_close_path(cr);
        colour(cr, c, band == 0 ? 0.16 : 0.40);
        cairo_fill(cr);
      }
    }
  }
  for (size_t i = 0; i < s->n_lines; i++) {
    const ent_chart_fan_line *l = &s->lines[i];
    colour(cr, LINE_COLOURS[i], 1.0);
    cairo_set_line_width(cr, 2.2);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t t = 0; t < s->n_years; t++)
      cairo_line_to(cr, map_x(&f, &xa, s->years[t]), map_y(&f, &ya, l->q[2][t]));
    if (s->n_years == 1) {
      double x = map_x(&f, &xa, s->years[0]);
      cairo_new_path(cr);
      cairo_move_to(cr, x - 6.0, map_y(&f, &ya, l->q[2][0]));
      cairo_line_to(cr, x + 6.0, map_y(&f, &ya, l->q[2][0]));
    }
    cairo_stroke(cr);
  }
  for (size_t i = 0; i < s->n_lines; i++) {
    const ent_chart_fan_line *l = &s->lines[i];
    for (size_t k = 0; k < l->n_obs; k++) {
      double x = map_x(&f, &xa, l->obs_years[k]), y = map_y(&f, &ya, l->obs_values[k]);
      colour(cr, LINE_COLOURS[i], 1.0);
      cairo_new_path(cr);
      cairo_arc(cr, x, y, 3.4, 0.0, 2.0 * ENT_PI);
      cairo_fill_preserve(cr);
      colour(cr, &C_BLACK, 1.0);
      cairo_set_line_width(cr, 0.9);
      cairo_stroke(cr);
    }
  }
  cairo_restore(cr);
  frame_axes(cr, &f);
  legend_layout(cr, &lg, 12.0, w - 24.0, h - 12.0 - (legend_layout(cr, &lg, 12.0, w - 24.0, 0.0, 0) - 1) * LEGEND_ROW, 1);
  ent_strbuf_printf(desc, "Fan chart, %d to %d. x axis: year; y axis: %s. ",
                    (int)ceil(xa.lo), (int)floor(xa.hi), s->y_label ? s->y_label : "");
  legend_desc(&lg, desc);
}

void ent_chart_fan_size(const ent_chart_fan_spec *s, int *w, int *h) {
  (void)s;
  *w = FAN_W;
  *h = FAN_H;
}

ent_status ent_chart_fan(const ent_chart_fan_spec *s, ent_chart_format f,
                         ent_strbuf *out) {
  if (!out || !fan_valid(s)) return ENT_EINVAL;
  return render(fan_draw, s, s->title, FAN_W, FAN_H, f, out);
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

static void hist_draw(cairo_t *cr, const void *spec, double w, double h,
                      ent_strbuf *desc) {
  const ent_chart_hist_spec *s = spec;
  double pmax = 0.0;
  for (size_t k = 0; k < s->n_bins; k++)
    if (s->share[k] > pmax) pmax = s->share[k];
  axis ya = make_axis(0.0, pmax > 0.0 ? fmin(1.0, pmax * 1.12) : 1.0, 1, 0.0, 5);
  axis xa = {s->lo, s->hi, nice_step(s->hi - s->lo, 10), 0};
  xa.dec = step_decimals(xa.step);
  legend lg;
  memset(&lg, 0, sizeof lg);
  legend_add(&lg, SW_BOX, &C_SKY, 1.0, "share of runs in the range");
  for (size_t k = 0; k < s->n_markers; k++) {
    char t[96], v[32];
    fmt_num(v, sizeof v, s->markers[k].at, fabs(s->markers[k].at - nearbyint(s->markers[k].at)) < 1e-9 ? 0 : 1);
    snprintf(t, sizeof t, "%s (%s)", s->markers[k].label, v);
    legend_add(&lg, k == 0 ? SW_LINE : SW_DASH, MARKER_COLOURS[k], 1.0, t);
  }
  frame f;
  f.x0 = 30.0 + y_ticks_width(cr, &ya) + 10.0;
  f.x1 = w - 40.0;
  f.y0 = 40.0;
  int rows = legend_layout(cr, &lg, 12.0, w - 24.0, 0.0, 0);
  /* anchor labels: up to 3 wrapped lines plus the value line */
  double label_h = s->n_anchors ? 12.0 + WRAP_LINES * 11.0 : 16.0;
  f.y1 = h - 14.0 - label_h - 18.0 - rows * LEGEND_ROW;
  title(cr, w, s->title);
  y_axis(cr, &f, &ya, "share of runs, %", 1);
  /* bars */
  for (size_t k = 0; k < s->n_bins; k++) {
    double x0 = map_x(&f, &xa, s->bin_lo[k]), x1 = map_x(&f, &xa, s->bin_hi[k]);
    double y = map_y(&f, &ya, s->share[k]);
    if (x1 - x0 < 2.0) {
      double c = 0.5 * (x0 + x1);
      x0 = c - 1.0;
      x1 = c + 1.0;
    }
    double gap = x1 - x0 > 8.0 ? 1.5 : 0.0;
    colour(cr, &C_SKY, 1.0);
    cairo_rectangle(cr, x0 + gap, y, x1 - x0 - 2.0 * gap, f.y1 - y);
    cairo_fill_preserve(cr);
    colour(cr, &C_BLUE, 1.0);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
  }
  /* markers */
  for (size_t k = 0; k < s->n_markers; k++) {
    double x = map_x(&f, &xa, fmin(fmax(s->markers[k].at, s->lo), s->hi));
    colour(cr, MARKER_COLOURS[k], 1.0);
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
  font(cr, FS_SMALL, 0);
  for (size_t k = 0; k < s->n_bins; k++) {
    double x0 = map_x(&f, &xa, s->bin_lo[k]), x1 = map_x(&f, &xa, s->bin_hi[k]);
    if (!(s->share[k] >= 0.005) || x1 - x0 < 18.0) continue;
    char v[32];
    snprintf(v, sizeof v, "%.0f%%", 100.0 * s->share[k]);
    double y = map_y(&f, &ya, s->share[k]), tw = text_w(cr, v);
    cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
    cairo_rectangle(cr, 0.5 * (x0 + x1) - 0.5 * tw - 2.0, y - 14.0, tw + 4.0, 11.5);
    cairo_fill(cr);
    colour(cr, &C_TEXT, 1.0);
    text_at(cr, 0.5 * (x0 + x1), y - 4.5, 0.5, v);
  }
  frame_axes(cr, &f);
  /* x axis: anchors with their labels, else plain ticks */
  font(cr, FS_TICK, 0);
  if (s->n_anchors) {
    double min_gap = f.x1 - f.x0;
    for (size_t k = 1; k < s->n_anchors; k++) {
      double g = map_x(&f, &xa, s->anchors[k].at) - map_x(&f, &xa, s->anchors[k - 1].at);
      if (g < min_gap) min_gap = g;
    }
    /* one label width for all: labels are centred under their anchor but
     * kept inside the picture, and must not overlap once shifted */
    double lw = fmin(fmax(min_gap - 6.0, 40.0), 170.0);
    for (int iter = 0; iter < 6; iter++) {
      double prev = -1e9, gap = 1e9;
      for (size_t k = 0; k < s->n_anchors; k++) {
        double x = map_x(&f, &xa, s->anchors[k].at);
        double cx = fmin(fmax(x, 6.0 + 0.5 * lw), w - 6.0 - 0.5 * lw);
        if (k) gap = fmin(gap, cx - prev);
        prev = cx;
      }
      if (s->n_anchors > 1 && gap - 6.0 < lw) lw = fmax(40.0, gap - 6.0);
    }
    for (size_t k = 0; k < s->n_anchors; k++) {
      double x = map_x(&f, &xa, s->anchors[k].at);
      char v[32];
      fmt_num(v, sizeof v, s->anchors[k].at, fabs(s->anchors[k].at - nearbyint(s->anchors[k].at)) < 1e-9 ? 0 : 2);
      colour(cr, &C_AXIS, 1.0);
      cairo_set_line_width(cr, 1.0);
      cairo_move_to(cr, x, f.y1);
      cairo_line_to(cr, x, f.y1 + 4.0);
      cairo_stroke(cr);
      /* keep the label inside the picture */
      double cx = fmin(fmax(x, 6.0 + 0.5 * lw), w - 6.0 - 0.5 * lw);
      colour(cr, &C_TEXT, 1.0);
      font(cr, FS_TICK, 1);
      text_at(cr, x, f.y1 + 15.0, 0.5, v);
      font(cr, FS_SMALL, 0);
      char lines[WRAP_LINES][WRAP_LEN];
      int n = wrap(cr, s->anchors[k].label, lw, lines);
      for (int i = 0; i < n; i++) text_at(cr, cx, f.y1 + 27.0 + 11.0 * i, 0.5, lines[i]);
    }
  } else {
    char v[32];
    for (double t = xa.lo; t <= xa.hi + 1e-9; t += xa.step) {
      double x = map_x(&f, &xa, t);
      fmt_num(v, sizeof v, t, xa.dec);
      colour(cr, &C_TEXT, 1.0);
      text_at(cr, x, f.y1 + 15.0, 0.5, v);
    }
  }
  font(cr, FS_LABEL, 0);
  colour(cr, &C_TEXT, 1.0);
  text_at(cr, 0.5 * (f.x0 + f.x1), f.y1 + label_h + 16.0, 0.5,
          s->x_label ? s->x_label : "");
  int r2 = legend_layout(cr, &lg, 12.0, w - 24.0, 0.0, 0);
  legend_layout(cr, &lg, 12.0, w - 24.0, h - 12.0 - (r2 - 1) * LEGEND_ROW, 1);
  ent_strbuf_printf(desc, "Histogram. x axis: %s; y axis: share of runs, %%. ",
                    s->x_label ? s->x_label : "");
  legend_desc(&lg, desc);
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
  return render(hist_draw, s, s->title, HIST_W, HIST_H, f, out);
}

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
    legend_add(lg, SW_BOX, CLASS_COLOURS[k], 1.0, s->classes[k]);
  legend_add(lg, SW_BOX, &C_EMPTY, 1.0, "no data / not both on an issue");
}

static heat_geom heat_layout(cairo_t *cr, const ent_chart_heat_spec *s,
                             double *w, double *h) {
  heat_geom g;
  font(cr, FS_TICK, 1);
  double lw = 0.0;
  for (size_t i = 0; i < s->n; i++) {
    char b[WRAP_LEN];
    fit(cr, s->actors[i], 120.0, b, sizeof b);
    double t = text_w(cr, b);
    if (t > lw) lw = t;
  }
  g.left = 12.0 + 16.0 + lw + 10.0;
  g.top = 40.0 + 34.0;
  *w = fmax(g.left + s->n * HEAT_CW + 20.0, 560.0);
  legend lg;
  heat_legend(s, &lg);
  g.rows = legend_layout(cr, &lg, 12.0, *w - 24.0, 0.0, 0);
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
  title(cr, w, s->title);
  size_t n = s->n, nc = s->n_classes;
  font(cr, FS_LABEL, 0);
  colour(cr, &C_TEXT, 1.0);
  text_at(cr, g.left + 0.5 * n * HEAT_CW, 48.0, 0.5,
          "to (the actor the row actor faces)");
  text_up(cr, 16.0, g.top + 0.5 * n * HEAT_CH, "from");
  char b[WRAP_LEN];
  font(cr, FS_TICK, 1);
  for (size_t j = 0; j < n; j++) {
    fit(cr, s->actors[j], HEAT_CW - 4.0, b, sizeof b);
    text_at(cr, g.left + (j + 0.5) * HEAT_CW, g.top - 8.0, 0.5, b);
  }
  for (size_t i = 0; i < n; i++) {
    fit(cr, s->actors[i], 120.0, b, sizeof b);
    colour(cr, &C_TEXT, 1.0);
    font(cr, FS_TICK, 1);
    text_at(cr, g.left - 8.0, g.top + (i + 0.5) * HEAT_CH + 4.0, 1.0, b);
    for (size_t j = 0; j < n; j++) {
      double x = g.left + j * HEAT_CW, y = g.top + i * HEAT_CH;
      const double *p = s->share + (i * n + j) * nc;
      double sum = 0.0;
      size_t best = 0;
      for (size_t k = 0; k < nc && i != j; k++) {
        sum += p[k];
        if (p[k] > p[best]) best = k;
      }
      colour(cr, &C_EMPTY, 1.0);
      cairo_rectangle(cr, x + 2.0, y + 2.0, HEAT_CW - 4.0, HEAT_CH - 4.0);
      cairo_fill(cr);
      if (i == j || sum <= 0.0) {
        colour(cr, &C_AXIS, 1.0);
        font(cr, FS_SMALL, 0);
        text_at(cr, x + 0.5 * HEAT_CW, y + 0.5 * HEAT_CH + 3.0, 0.5,
                i == j ? "\xE2\x80\x94" : "no data");
        continue;
      }
      /* stacked bar of the class shares (normalised over the data) */
      double bx = x + 4.0, bw = HEAT_CW - 8.0, acc = 0.0;
      for (size_t k = 0; k < nc; k++) {
        if (p[k] <= 0.0) continue;
        double seg = bw * p[k] / sum;
        colour(cr, CLASS_COLOURS[k], 1.0);
        cairo_rectangle(cr, bx + acc, y + 5.0, seg, 13.0);
        cairo_fill(cr);
        acc += seg;
      }
      char t[64];
      snprintf(t, sizeof t, "%s %.0f%%", s->classes[best], 100.0 * p[best] / sum);
      font(cr, FS_SMALL, 0);
      fit(cr, t, HEAT_CW - 6.0, b, sizeof b);
      colour(cr, &C_TEXT, 1.0);
      text_at(cr, x + 0.5 * HEAT_CW, y + HEAT_CH - 8.0, 0.5, b);
    }
  }
  font(cr, FS_SMALL, 0);
  colour(cr, &C_AXIS, 1.0);
  text_at(cr, 12.0, g.legend_y - 20.0, 0.0,
          "bar: share of each class; text: the most frequent class and its "
          "share");
  legend lg;
  heat_legend(s, &lg);
  legend_layout(cr, &lg, 12.0, w - 24.0, g.legend_y, 1);
  ent_strbuf_printf(desc, "Heat map of %zu actors; rows: from, columns: to. ", n);
  legend_desc(&lg, desc);
  ent_strbuf_puts(desc, "actors: ");
  for (size_t i = 0; i < n; i++)
    ent_strbuf_printf(desc, "%s%s", i ? ", " : "", s->actors[i]);
  ent_strbuf_puts(desc, ".");
}

void ent_chart_heatmap_size(const ent_chart_heat_spec *s, int *w, int *h) {
  measurer m = measure_open();
  double ww, hh;
  heat_layout(m.cr, s, &ww, &hh);
  measure_close(&m);
  *w = (int)ceil(ww);
  *h = (int)ceil(hh);
}

ent_status ent_chart_heatmap(const ent_chart_heat_spec *s, ent_chart_format f,
                             ent_strbuf *out) {
  if (!out || !heat_valid(s)) return ENT_EINVAL;
  int w, h;
  ent_chart_heatmap_size(s, &w, &h);
  return render(heat_draw, s, s->title, w, h, f, out);
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
  axis xa = make_axis(-m, m, 0, 0.0, 8);
  double lim = fmax(fabs(xa.lo), fabs(xa.hi));
  xa.lo = -lim;
  xa.hi = lim;
  font(cr, FS_TICK, 0);
  double lw = 0.0;
  char b[WRAP_LEN];
  for (size_t k = 0; k < n; k++) {
    fit(cr, s->names[ord[k]], 300.0, b, sizeof b);
    lw = fmax(lw, text_w(cr, b));
  }
  frame f;
  f.x0 = 12.0 + lw + 12.0 + 36.0; /* room for a value left of a bar */
  f.x1 = w - 48.0;
  f.y0 = 40.0;
  f.y1 = f.y0 + n * TORN_ROW + 6.0;
  title(cr, w, s->title);
  /* vertical grid and ticks */
  char v[32];
  for (double t = xa.lo; t <= xa.hi + 1e-9 * lim; t += xa.step) {
    double x = map_x(&f, &xa, t);
    colour(cr, fabs(t) < 1e-12 * lim ? &C_AXIS : &C_GRID, 1.0);
    cairo_set_line_width(cr, fabs(t) < 1e-12 * lim ? 1.2 : 0.8);
    cairo_move_to(cr, x, f.y0);
    cairo_line_to(cr, x, f.y1);
    cairo_stroke(cr);
    fmt_num(v, sizeof v, t, xa.dec);
    font(cr, FS_TICK, 0);
    colour(cr, &C_TEXT, 1.0);
    text_at(cr, x, f.y1 + 14.0, 0.5, v);
  }
  for (size_t k = 0; k < n; k++) {
    size_t i = ord[k];
    double y = f.y0 + 3.0 + k * TORN_ROW;
    double x0 = map_x(&f, &xa, 0.0), x1 = map_x(&f, &xa, s->index[i]);
    const rgb *c = s->index[i] >= 0.0 ? &C_BLUE : &C_VERMILLION;
    colour(cr, c, 1.0);
    cairo_rectangle(cr, fmin(x0, x1), y + 3.0, fabs(x1 - x0), TORN_ROW - 8.0);
    cairo_fill(cr);
    font(cr, FS_TICK, 0);
    colour(cr, &C_TEXT, 1.0);
    fit(cr, s->names[i], 300.0, b, sizeof b);
    text_at(cr, 12.0 + lw, y + TORN_ROW * 0.5 + 3.5, 1.0, b);
    fmt_num(v, sizeof v, s->index[i], 2);
    font(cr, FS_SMALL, 0);
    text_at(cr, s->index[i] >= 0.0 ? x1 + 4.0 : x1 - 4.0, y + TORN_ROW * 0.5 + 3.0,
            s->index[i] >= 0.0 ? 0.0 : 1.0, v);
  }
  font(cr, FS_LABEL, 0);
  colour(cr, &C_TEXT, 1.0);
  text_at(cr, 0.5 * (f.x0 + f.x1), f.y1 + 32.0, 0.5, s->x_label ? s->x_label : "");
  legend lg;
  memset(&lg, 0, sizeof lg);
  legend_add(&lg, SW_BOX, &C_BLUE, 1.0, "higher input, higher output");
  legend_add(&lg, SW_BOX, &C_VERMILLION, 1.0, "higher input, lower output");
  legend_layout(cr, &lg, 12.0, w - 24.0, h - 12.0, 1);
  ent_strbuf_printf(desc, "Tornado chart of %zu inputs. x axis: %s; y axis: "
                          "input. ", n, s->x_label ? s->x_label : "");
  legend_desc(&lg, desc);
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
  return render(torn_draw, s, s->title, w, h, f, out);
}
