/*
 * cairo_lazy.c -- the cairo functions that src/output/chart.c calls,
 * resolved from libcairo on the first call (dlopen) instead of at start-up,
 * so that only `entente report` (the one command that draws charts) pays
 * for loading cairo and the ~20 libraries behind it (pixman, fontconfig,
 * freetype, png, X11/xcb).  Part of the `entente` binary only: the tests
 * and benchmarks link cairo directly.
 *
 * Each wrapper has cairo.h's prototype and calls the real function through
 * a table filled once (pthread_once).  If the library cannot be loaded the
 * command stops with a message (exit status 1), as with any failed output.
 * Global state is allowed here: this is the command-line layer.
 */
#include <cairo-svg.h>
#include <cairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

#ifndef ENT_CAIRO_SONAME
#define ENT_CAIRO_SONAME "libcairo.so.2"
#endif

static struct cairo_fns {
  void (*arc)(cairo_t *cr, double xc, double yc, double radius, double angle1, double angle2);
  void (*clip)(cairo_t *cr);
  void (*close_path)(cairo_t *cr);
  cairo_t *(*create)(cairo_surface_t *target);
  void (*destroy)(cairo_t *cr);
  void (*fill)(cairo_t *cr);
  void (*fill_preserve)(cairo_t *cr);
  cairo_font_options_t *(*font_options_create)(void);
  void (*font_options_destroy)(cairo_font_options_t *options);
  void (*font_options_set_antialias)(cairo_font_options_t *options, cairo_antialias_t antialias);
  void (*font_options_set_hint_metrics)(cairo_font_options_t *options, cairo_hint_metrics_t hint_metrics);
  void (*font_options_set_hint_style)(cairo_font_options_t *options, cairo_hint_style_t hint_style);
  cairo_surface_t *(*image_surface_create)(cairo_format_t format, int width, int height);
  void (*line_to)(cairo_t *cr, double x, double y);
  void (*move_to)(cairo_t *cr, double x, double y);
  void (*new_path)(cairo_t *cr);
  void (*paint)(cairo_t *cr);
  void (*rectangle)(cairo_t *cr, double x, double y, double width, double height);
  void (*restore)(cairo_t *cr);
  void (*rotate)(cairo_t *cr, double angle);
  void (*save)(cairo_t *cr);
  void (*scale)(cairo_t *cr, double sx, double sy);
  void (*select_font_face)(cairo_t *cr, const char *family, cairo_font_slant_t slant, cairo_font_weight_t weight);
  void (*set_dash)(cairo_t *cr, const double *dashes, int num_dashes, double offset);
  void (*set_font_options)(cairo_t *cr, const cairo_font_options_t *options);
  void (*set_font_size)(cairo_t *cr, double size);
  void (*set_line_join)(cairo_t *cr, cairo_line_join_t line_join);
  void (*set_line_width)(cairo_t *cr, double width);
  void (*set_source_rgb)(cairo_t *cr, double red, double green, double blue);
  void (*set_source_rgba)(cairo_t *cr, double red, double green, double blue, double alpha);
  void (*show_text)(cairo_t *cr, const char *utf8);
  cairo_status_t (*status)(cairo_t *cr);
  void (*stroke)(cairo_t *cr);
  void (*surface_destroy)(cairo_surface_t *surface);
  void (*surface_finish)(cairo_surface_t *surface);
  cairo_status_t (*surface_status)(cairo_surface_t *surface);
  cairo_status_t (*surface_write_to_png_stream)(cairo_surface_t *surface, cairo_write_func_t write_func, void *closure);
  cairo_surface_t *(*svg_surface_create_for_stream)(cairo_write_func_t write_func, void *closure, double width_in_points, double height_in_points);
  void (*svg_surface_restrict_to_version)(cairo_surface_t *surface, cairo_svg_version_t version);
  void (*svg_surface_set_document_unit)(cairo_surface_t *surface, cairo_svg_unit_t unit);
  void (*text_extents)(cairo_t *cr, const char *utf8, cairo_text_extents_t *extents);
  void (*translate)(cairo_t *cr, double tx, double ty);
} fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;

#ifdef ENT_CLI_STATIC
/* The static binary draws no charts: main.c hands `report` and `score
 * --report` to its dynamically linked sibling before anything runs (cairo
 * cannot be loaded into a static program).  Any other path that would
 * draw stops here with a message. */
static void load(void) {
  fprintf(stderr, "entente: error: charts cannot be drawn by this static "
                  "binary; run the command with entente-dynamic\n");
  exit(EXIT_FAIL);
}
#else
static void resolve(void *h, const char *name, void *slot) {
  cli_dl_resolve(h, ENT_CAIRO_SONAME, name, "charts cannot be drawn", slot);
}

static void load(void) {
  void *h = cli_dl_open(ENT_CAIRO_SONAME, "charts need");
  resolve(h, "cairo_arc", &fn.arc);
  resolve(h, "cairo_clip", &fn.clip);
  resolve(h, "cairo_close_path", &fn.close_path);
  resolve(h, "cairo_create", &fn.create);
  resolve(h, "cairo_destroy", &fn.destroy);
  resolve(h, "cairo_fill", &fn.fill);
  resolve(h, "cairo_fill_preserve", &fn.fill_preserve);
  resolve(h, "cairo_font_options_create", &fn.font_options_create);
  resolve(h, "cairo_font_options_destroy", &fn.font_options_destroy);
  resolve(h, "cairo_font_options_set_antialias", &fn.font_options_set_antialias);
  resolve(h, "cairo_font_options_set_hint_metrics", &fn.font_options_set_hint_metrics);
  resolve(h, "cairo_font_options_set_hint_style", &fn.font_options_set_hint_style);
  resolve(h, "cairo_image_surface_create", &fn.image_surface_create);
  resolve(h, "cairo_line_to", &fn.line_to);
  resolve(h, "cairo_move_to", &fn.move_to);
  resolve(h, "cairo_new_path", &fn.new_path);
  resolve(h, "cairo_paint", &fn.paint);
  resolve(h, "cairo_rectangle", &fn.rectangle);
  resolve(h, "cairo_restore", &fn.restore);
  resolve(h, "cairo_rotate", &fn.rotate);
  resolve(h, "cairo_save", &fn.save);
  resolve(h, "cairo_scale", &fn.scale);
  resolve(h, "cairo_select_font_face", &fn.select_font_face);
  resolve(h, "cairo_set_dash", &fn.set_dash);
  resolve(h, "cairo_set_font_options", &fn.set_font_options);
  resolve(h, "cairo_set_font_size", &fn.set_font_size);
  resolve(h, "cairo_set_line_join", &fn.set_line_join);
  resolve(h, "cairo_set_line_width", &fn.set_line_width);
  resolve(h, "cairo_set_source_rgb", &fn.set_source_rgb);
  resolve(h, "cairo_set_source_rgba", &fn.set_source_rgba);
  resolve(h, "cairo_show_text", &fn.show_text);
  resolve(h, "cairo_status", &fn.status);
  resolve(h, "cairo_stroke", &fn.stroke);
  resolve(h, "cairo_surface_destroy", &fn.surface_destroy);
  resolve(h, "cairo_surface_finish", &fn.surface_finish);
  resolve(h, "cairo_surface_status", &fn.surface_status);
  resolve(h, "cairo_surface_write_to_png_stream", &fn.surface_write_to_png_stream);
  resolve(h, "cairo_svg_surface_create_for_stream", &fn.svg_surface_create_for_stream);
  resolve(h, "cairo_svg_surface_restrict_to_version", &fn.svg_surface_restrict_to_version);
  resolve(h, "cairo_svg_surface_set_document_unit", &fn.svg_surface_set_document_unit);
  resolve(h, "cairo_text_extents", &fn.text_extents);
  resolve(h, "cairo_translate", &fn.translate);
}
#endif

void cairo_arc(cairo_t *cr, double xc, double yc, double radius, double angle1, double angle2) {
  pthread_once(&once, load);
  fn.arc(cr, xc, yc, radius, angle1, angle2);
}

void cairo_clip(cairo_t *cr) {
  pthread_once(&once, load);
  fn.clip(cr);
}

void cairo_close_path(cairo_t *cr) {
  pthread_once(&once, load);
  fn.close_path(cr);
}

cairo_t *cairo_create(cairo_surface_t *target) {
  pthread_once(&once, load);
  return fn.create(target);
}

void cairo_destroy(cairo_t *cr) {
  pthread_once(&once, load);
  fn.destroy(cr);
}

void cairo_fill(cairo_t *cr) {
  pthread_once(&once, load);
  fn.fill(cr);
}

void cairo_fill_preserve(cairo_t *cr) {
  pthread_once(&once, load);
  fn.fill_preserve(cr);
}

cairo_font_options_t *cairo_font_options_create(void) {
  pthread_once(&once, load);
  return fn.font_options_create();
}

void cairo_font_options_destroy(cairo_font_options_t *options) {
  pthread_once(&once, load);
  fn.font_options_destroy(options);
}

void cairo_font_options_set_antialias(cairo_font_options_t *options, cairo_antialias_t antialias) {
  pthread_once(&once, load);
  fn.font_options_set_antialias(options, antialias);
}

void cairo_font_options_set_hint_metrics(cairo_font_options_t *options, cairo_hint_metrics_t hint_metrics) {
  pthread_once(&once, load);
  fn.font_options_set_hint_metrics(options, hint_metrics);
}

void cairo_font_options_set_hint_style(cairo_font_options_t *options, cairo_hint_style_t hint_style) {
  pthread_once(&once, load);
  fn.font_options_set_hint_style(options, hint_style);
}

cairo_surface_t *cairo_image_surface_create(cairo_format_t format, int width, int height) {
  pthread_once(&once, load);
  return fn.image_surface_create(format, width, height);
}

void cairo_line_to(cairo_t *cr, double x, double y) {
  pthread_once(&once, load);
  fn.line_to(cr, x, y);
}

void cairo_move_to(cairo_t *cr, double x, double y) {
  pthread_once(&once, load);
  fn.move_to(cr, x, y);
}

void cairo_new_path(cairo_t *cr) {
  pthread_once(&once, load);
  fn.new_path(cr);
}

void cairo_paint(cairo_t *cr) {
  pthread_once(&once, load);
  fn.paint(cr);
}

void cairo_rectangle(cairo_t *cr, double x, double y, double width, double height) {
  pthread_once(&once, load);
  fn.rectangle(cr, x, y, width, height);
}

void cairo_restore(cairo_t *cr) {
  pthread_once(&once, load);
  fn.restore(cr);
}

void cairo_rotate(cairo_t *cr, double angle) {
  pthread_once(&once, load);
  fn.rotate(cr, angle);
}

void cairo_save(cairo_t *cr) {
  pthread_once(&once, load);
  fn.save(cr);
}

void cairo_scale(cairo_t *cr, double sx, double sy) {
  pthread_once(&once, load);
  fn.scale(cr, sx, sy);
}

void cairo_select_font_face(cairo_t *cr, const char *family, cairo_font_slant_t slant, cairo_font_weight_t weight) {
  pthread_once(&once, load);
  fn.select_font_face(cr, family, slant, weight);
}

void cairo_set_dash(cairo_t *cr, const double *dashes, int num_dashes, double offset) {
  pthread_once(&once, load);
  fn.set_dash(cr, dashes, num_dashes, offset);
}

void cairo_set_font_options(cairo_t *cr, const cairo_font_options_t *options) {
  pthread_once(&once, load);
  fn.set_font_options(cr, options);
}

void cairo_set_font_size(cairo_t *cr, double size) {
  pthread_once(&once, load);
  fn.set_font_size(cr, size);
}

void cairo_set_line_join(cairo_t *cr, cairo_line_join_t line_join) {
  pthread_once(&once, load);
  fn.set_line_join(cr, line_join);
}

void cairo_set_line_width(cairo_t *cr, double width) {
  pthread_once(&once, load);
  fn.set_line_width(cr, width);
}

void cairo_set_source_rgb(cairo_t *cr, double red, double green, double blue) {
  pthread_once(&once, load);
  fn.set_source_rgb(cr, red, green, blue);
}

void cairo_set_source_rgba(cairo_t *cr, double red, double green, double blue, double alpha) {
  pthread_once(&once, load);
  fn.set_source_rgba(cr, red, green, blue, alpha);
}

void cairo_show_text(cairo_t *cr, const char *utf8) {
  pthread_once(&once, load);
  fn.show_text(cr, utf8);
}

cairo_status_t cairo_status(cairo_t *cr) {
  pthread_once(&once, load);
  return fn.status(cr);
}

void cairo_stroke(cairo_t *cr) {
  pthread_once(&once, load);
  fn.stroke(cr);
}

void cairo_surface_destroy(cairo_surface_t *surface) {
  pthread_once(&once, load);
  fn.surface_destroy(surface);
}

void cairo_surface_finish(cairo_surface_t *surface) {
  pthread_once(&once, load);
  fn.surface_finish(surface);
}

cairo_status_t cairo_surface_status(cairo_surface_t *surface) {
  pthread_once(&once, load);
  return fn.surface_status(surface);
}

cairo_status_t cairo_surface_write_to_png_stream(cairo_surface_t *surface, cairo_write_func_t write_func, void *closure) {
  pthread_once(&once, load);
  return fn.surface_write_to_png_stream(surface, write_func, closure);
}

cairo_surface_t *cairo_svg_surface_create_for_stream(cairo_write_func_t write_func, void *closure, double width_in_points, double height_in_points) {
  pthread_once(&once, load);
  return fn.svg_surface_create_for_stream(write_func, closure, width_in_points, height_in_points);
}

void cairo_svg_surface_restrict_to_version(cairo_surface_t *surface, cairo_svg_version_t version) {
  pthread_once(&once, load);
  fn.svg_surface_restrict_to_version(surface, version);
}

void cairo_svg_surface_set_document_unit(cairo_surface_t *surface, cairo_svg_unit_t unit) {
  pthread_once(&once, load);
  fn.svg_surface_set_document_unit(surface, unit);
}

void cairo_text_extents(cairo_t *cr, const char *utf8, cairo_text_extents_t *extents) {
  pthread_once(&once, load);
  fn.text_extents(cr, utf8, extents);
}

void cairo_translate(cairo_t *cr, double tx, double ty) {
  pthread_once(&once, load);
  fn.translate(cr, tx, ty);
}
