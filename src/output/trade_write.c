/*
 * trade_write.c -- the public writer of a trade counterfactual (`entente
 * gravity`, entente.h): the result is its own small type (structural/
 * trade.h); the renderers are ent_text_trade, ent_json_trade and
 * ent_csv_render_trade.
 */
#include "output/render.h"

_Static_assert(ENT_TRADE_FIELDS == sizeof ent_names_trade_field /
                                     sizeof ent_names_trade_field[0],
               "a name for every field of a trade result (names.h)");

/* ref: the renderers' *_ref variants (numbers through snprintf/strtod,
 * the implementation before base/num.c), for bench_trade. */
static ent_status write_result(const ent_trade_result *r, ent_format f,
                               FILE *fp, int ref) {
  if (!r || !fp) return ENT_EINVAL;
  ent_status st;
  switch (f) {
  case ENT_FORMAT_CSV:
    st = (ref ? ent_csv_render_trade_ref : ent_csv_render_trade)(r, fp);
    break;
  case ENT_FORMAT_JSON:
    st = (ref ? ent_json_trade_ref : ent_json_trade)(r, fp);
    break;
  case ENT_FORMAT_TEXT:
    st = (ref ? ent_text_trade_ref : ent_text_trade)(r, fp);
    break;
  default: return ENT_EINVAL;
  }
  if (st != ENT_OK) return st;
  if (fflush(fp) != 0 || ferror(fp)) return ENT_EIO;
  return ENT_OK;
}

ent_status ent_trade_result_write(const ent_trade_result *r, ent_format f,
                                  FILE *fp) {
  return write_result(r, f, fp, 0);
}

ent_status ent_trade_result_write_ref(const ent_trade_result *r, ent_format f,
                                      FILE *fp) {
  return write_result(r, f, fp, 1);
}
