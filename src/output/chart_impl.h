/*
 * chart_impl.h -- the drawing kit shared by the charts (chart.c: palette,
 * text, axes, legends and rendering to SVG/PNG; chart_fan.c: fan charts and
 * histograms; chart_heat.c: heat maps and tornado charts).  Private to
 * src/output/chart*.c; the conventions of chart.h hold.
 */
#ifndef ENT_CHART_IMPL_H
#define ENT_CHART_IMPL_H

#include "output/chart.h"

#include <cairo.h>

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

#define WRAP_LINES 3
#define WRAP_LEN 160

typedef struct axis {
  double lo, hi;  /* data range shown */
  double step;    /* tick step */
  int dec;        /* decimals of tick labels */
} axis;

typedef struct frame {
  double x0, x1, y0, y1; /* plot area: x0 left, y0 top */
} frame;

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

typedef void (*draw_fn)(cairo_t *cr, const void *spec, double w, double h,
                        ent_strbuf *desc);

/* A scratch context for measuring text before the size is known. */
typedef struct measurer {
  cairo_surface_t *s;
  cairo_t *cr;
} measurer;

/* ------------------------------------------------ the kit (chart.c) */

ENT_LOCAL void ent_chart_colour(cairo_t *cr, const rgb *c, double alpha);
ENT_LOCAL void ent_chart_font(cairo_t *cr, double size, int bold);
ENT_LOCAL double ent_chart_text_w(cairo_t *cr, const char *s);
ENT_LOCAL void ent_chart_text_at(cairo_t *cr, double x, double y, double ax,
                                 const char *s);
ENT_LOCAL void ent_chart_text_up(cairo_t *cr, double x, double y,
                                 const char *s);
ENT_LOCAL void ent_chart_fit(cairo_t *cr, const char *s, double max_w,
                             char *out, size_t size);
ENT_LOCAL int ent_chart_wrap(cairo_t *cr, const char *s, double max_w,
                             char lines[WRAP_LINES][WRAP_LEN]);
ENT_LOCAL double ent_chart_nice_step(double span, int target);
ENT_LOCAL int ent_chart_step_decimals(double step);
ENT_LOCAL void ent_chart_fmt_num(char *buf, size_t size, double v, int dec);
ENT_LOCAL axis ent_chart_make_axis(double a, double b, int zero, double pad,
                                   int target);
ENT_LOCAL double ent_chart_map_x(const frame *f, const axis *a, double v);
ENT_LOCAL double ent_chart_map_y(const frame *f, const axis *a, double v);
ENT_LOCAL double ent_chart_y_ticks_width(cairo_t *cr, const axis *a);
ENT_LOCAL void ent_chart_title(cairo_t *cr, double w, const char *s);
ENT_LOCAL void ent_chart_y_axis(cairo_t *cr, const frame *f, const axis *a,
                                const char *label, int percent);
ENT_LOCAL void ent_chart_frame_axes(cairo_t *cr, const frame *f);
ENT_LOCAL void ent_chart_legend_add(legend *l, swatch_kind k, const rgb *c,
                                    double alpha, const char *text);
ENT_LOCAL int ent_chart_legend_layout(cairo_t *cr, const legend *l, double x0,
                                      double w, double y, int draw);
ENT_LOCAL void ent_chart_legend_desc(const legend *l, ent_strbuf *b);
ENT_LOCAL ent_status ent_chart_render(draw_fn draw, const void *spec,
                                      const char *ttl, int w, int h,
                                      ent_chart_format f, ent_strbuf *out);
ENT_LOCAL measurer ent_chart_measure_open(void);
ENT_LOCAL void ent_chart_measure_close(measurer *m);

#endif
