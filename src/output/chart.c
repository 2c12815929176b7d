/*
 * chart.c -- the drawing kit of the charts: palette, text, numbers, axes,
 * legends and rendering to SVG or PNG with cairo (contract in chart.h;
 * the charts themselves are in chart_fan.c and chart_heat.c, the kit's
 * declarations in chart_impl.h; docs/report.md describes the charts).
 *
 * Every chart is drawn by one function on a cairo context in points, so
 * the SVG and the PNG are the same picture.  Layout is computed from text
 * extents with hinting off, which makes it independent of the surface.
 * The bytes of an image are collected in a scratch buffer and appended to
 * the caller's buffer only when the whole image was written.
 */
#include "output/chart_impl.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------- palette */

void ent_chart_colour(cairo_t *cr, const rgb *c, double alpha) {
  if (alpha >= 1.0) cairo_set_source_rgb(cr, c->r, c->g, c->b);
  else cairo_set_source_rgba(cr, c->r, c->g, c->b, alpha);
}

/* ------------------------------------------------------------ text */

void ent_chart_font(cairo_t *cr, double size, int bold) {
  cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD
                              : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double ent_chart_text_w(cairo_t *cr, const char *s) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, s, &e);
  return e.x_advance;
}

/* Text at (x, y) with y the baseline; ax 0 left, 0.5 centre, 1 right. */
void ent_chart_text_at(cairo_t *cr, double x, double y, double ax,
             const char *s) {
  cairo_move_to(cr, x - ax * ent_chart_text_w(cr, s), y);
  cairo_show_text(cr, s);
}

/* Text rotated 90 degrees counter-clockwise, centred on (x, y). */
void ent_chart_text_up(cairo_t *cr, double x, double y, const char *s) {
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_rotate(cr, -ENT_PI / 2.0);
  ent_chart_text_at(cr, 0.0, 0.0, 0.5, s);
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
void ent_chart_fit(cairo_t *cr, const char *s, double max_w, char *out,
         size_t size) {
  snprintf(out, size, "%s", s);
  if (ent_chart_text_w(cr, out) <= max_w) return;
  size_t n = utf8_cut(s, size > 4 ? size - 4 : 0);
  while (n > 0) {
    n = utf8_cut(s, n - 1);
    snprintf(out, size, "%.*s\xE2\x80\xA6", (int)n, s);
    if (ent_chart_text_w(cr, out) <= max_w) return;
  }
  snprintf(out, size, "\xE2\x80\xA6");
}

/* Greedy word wrap of s into at most WRAP_LINES lines of max_w points;
 * the last line is shortened with an ellipsis.  Returns the line count. */
int ent_chart_wrap(cairo_t *cr, const char *s, double max_w,
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
      if (cur[0] && ent_chart_text_w(cr, trial) > max_w) break;
      memcpy(cur, trial, (size_t)k + 1);
      q += wl;
      while (*q == ' ') q++;
      rest = q;
    }
    if (n == WRAP_LINES - 1 && *rest) {
      char all[WRAP_LEN * 2];
      snprintf(all, sizeof all, "%s %s", cur, rest);
      ent_chart_fit(cr, all, max_w, lines[n], WRAP_LEN);
    } else {
      ent_chart_fit(cr, cur, max_w, lines[n], WRAP_LEN);
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
double ent_chart_nice_step(double span, int target) {
  if (!(span > 0.0)) return 1.0;
  double raw = span / target;
  double p = pow(10.0, floor(log10(raw)));
  double f = raw / p;
  double m = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0
                                                                         : 10.0;
  return m * p;
}

/* Decimals needed to print multiples of step exactly. */
int ent_chart_step_decimals(double step) {
  int d = 0;
  while (d < 8 && fabs(step * pow(10.0, d) - nearbyint(step * pow(10.0, d))) >
                      1e-9 * pow(10.0, d))
    d++;
  return d;
}

/* Number with `dec` decimals and thousands separators (12,500.5). */
void ent_chart_fmt_num(char *buf, size_t size, double v, int dec) {
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

/* Axis over [a, b] padded by `pad` of the span; zero included when
 * `zero` and the data do not cross it. */
axis ent_chart_make_axis(double a, double b, int zero, double pad, int target) {
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
  ax.step = ent_chart_nice_step(b - a, target);
  ax.lo = floor(a / ax.step + 1e-9) * ax.step;
  ax.hi = ceil(b / ax.step - 1e-9) * ax.step;
  ax.dec = ent_chart_step_decimals(ax.step);
  return ax;
}

/* ------------------------------------------------------------ frame */

double ent_chart_map_x(const frame *f, const axis *a, double v) {
  return f->x0 + (v - a->lo) / (a->hi - a->lo) * (f->x1 - f->x0);
}

double ent_chart_map_y(const frame *f, const axis *a, double v) {
  return f->y1 - (v - a->lo) / (a->hi - a->lo) * (f->y1 - f->y0);
}

/* Widest tick label of a y axis. */
double ent_chart_y_ticks_width(cairo_t *cr, const axis *a) {
  ent_chart_font(cr, FS_TICK, 0);
  double w = 0.0;
  char buf[64];
  for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
    ent_chart_fmt_num(buf, sizeof buf, v, a->dec);
    double t = ent_chart_text_w(cr, buf);
    if (t > w) w = t;
  }
  return w;
}

void ent_chart_title(cairo_t *cr, double w, const char *s) {
  char buf[WRAP_LEN];
  ent_chart_colour(cr, &C_TEXT, 1.0);
  ent_chart_font(cr, FS_TITLE, 1);
  ent_chart_fit(cr, s ? s : "", w - 24.0, buf, sizeof buf);
  ent_chart_text_at(cr, 12.0, 22.0, 0.0, buf);
}

/* Horizontal grid, y tick labels and the rotated y label. */
void ent_chart_y_axis(cairo_t *cr, const frame *f, const axis *a,
            const char *label, int percent) {
  char buf[64];
  ent_chart_font(cr, FS_TICK, 0);
  cairo_set_line_width(cr, 0.8);
  for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
    double y = ent_chart_map_y(f, a, v);
    ent_chart_colour(cr, &C_GRID, 1.0);
    cairo_move_to(cr, f->x0, y);
    cairo_line_to(cr, f->x1, y);
    cairo_stroke(cr);
    ent_chart_fmt_num(buf, sizeof buf, percent ? 100.0 * v : v,
            percent ? (a->dec > 2 ? a->dec - 2 : 0) : a->dec);
    ent_chart_colour(cr, &C_TEXT, 1.0);
    ent_chart_text_at(cr, f->x0 - 6.0, y + 3.5, 1.0, buf);
  }
  ent_chart_font(cr, FS_LABEL, 0);
  ent_chart_colour(cr, &C_TEXT, 1.0);
  char fitted[WRAP_LEN];
  ent_chart_fit(cr, label ? label : "", f->y1 - f->y0 + 30.0, fitted, sizeof fitted);
  ent_chart_text_up(cr, 16.0, 0.5 * (f->y0 + f->y1), fitted);
}

void ent_chart_frame_axes(cairo_t *cr, const frame *f) {
  ent_chart_colour(cr, &C_AXIS, 1.0);
  cairo_set_line_width(cr, 1.0);
  cairo_move_to(cr, f->x0, f->y0);
  cairo_line_to(cr, f->x0, f->y1);
  cairo_line_to(cr, f->x1, f->y1);
  cairo_stroke(cr);
}

/* ----------------------------------------------------------- legends */

void ent_chart_legend_add(legend *l, swatch_kind k, const rgb *c, double alpha,
                const char *text) {
  if (l->n >= LEGEND_MAX) return;
  legend_item *it = &l->it[l->n++];
  it->kind = k;
  it->c = c;
  it->alpha = alpha;
  snprintf(it->text, sizeof it->text, "%s", text);
}

/* Rows the legend needs in width w (or draws them from y when draw). */
int ent_chart_legend_layout(cairo_t *cr, const legend *l, double x0, double w,
                  double y, int draw) {
  ent_chart_font(cr, FS_SMALL + 1.0, 0);
  double x = x0;
  int rows = l->n ? 1 : 0;
  for (int i = 0; i < l->n; i++) {
    const legend_item *it = &l->it[i];
    double iw = 22.0 + ent_chart_text_w(cr, it->text) + 16.0;
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
        ent_chart_colour(cr, it->c, it->alpha);
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
        ent_chart_colour(cr, it->c, it->alpha);
        cairo_rectangle(cr, x, cy - 5.5, 18.0, 11.0);
        cairo_fill(cr);
        break;
      case SW_DOT:
        ent_chart_colour(cr, it->c, 1.0);
        cairo_new_path(cr);
        cairo_arc(cr, x + 9.0, cy, 3.4, 0.0, 2.0 * ENT_PI);
        cairo_fill_preserve(cr);
        ent_chart_colour(cr, &C_BLACK, 1.0);
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
        break;
      }
      ent_chart_colour(cr, &C_TEXT, 1.0);
      ent_chart_text_at(cr, x + 22.0, y, 0.0, it->text);
    }
    x += iw;
  }
  return rows;
}

/* Legend as "a; b; c" for the SVG <desc>. */
void ent_chart_legend_desc(const legend *l, ent_strbuf *b) {
  ent_strbuf_puts(b, "legend: ");
  for (int i = 0; i < l->n; i++)
    ent_strbuf_printf(b, "%s%s", i ? "; " : "", l->it[i].text);
  ent_strbuf_puts(b, ". ");
}

/* ------------------------------------------------------- rendering */

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

ent_status ent_chart_render(draw_fn draw, const void *spec, const char *ttl,
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

measurer ent_chart_measure_open(void) {
  measurer m;
  m.s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  m.cr = cairo_create(m.s);
  set_font_options(m.cr);
  return m;
}

void ent_chart_measure_close(measurer *m) {
  cairo_destroy(m->cr);
  cairo_surface_destroy(m->s);
}
