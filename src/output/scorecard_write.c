/*
 * scorecard_write.c -- ent_scorecard_write (entente.h): a scorecard's
 * result tree through the score renderers (score_render.c).  The public
 * function's prefix names this file; the rendering is in score_render.c.
 */
#include "ensemble/ensemble.h"
#include "output/render.h"

ent_status ent_scorecard_write(const ent_scorecard *s, ent_format f,
                               FILE *fp) {
  const ent_result *r = ent_scorecard_result(s);
  if (!r) return ENT_EINVAL;
  switch (f) {
  case ENT_FORMAT_TEXT: return ent_text_score(r, fp);
  case ENT_FORMAT_JSON: return ent_json_score(r, fp);
  case ENT_FORMAT_CSV: return ent_csv_render_score(r, fp);
  }
  return ENT_EINVAL;
}
