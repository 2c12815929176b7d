/*
 * model_write.c -- the public writers of a model (entente.h): the summary
 * of `entente check` and the assumptions (every input with its rationale).
 */
#include "output/render.h"

ent_status ent_model_write_summary(const ent_model *m, FILE *fp) {
  return ent_text_summary(m, fp);
}

ent_status ent_model_write_assumptions(const ent_model *m, ent_format f,
                                       FILE *fp) {
  if (!m || !fp) return ENT_EINVAL;
  if (f == ENT_FORMAT_JSON) return ent_json_assumptions(m, fp);
  if (f == ENT_FORMAT_TEXT) return ent_text_assumptions(m, fp);
  return ENT_EINVAL;
}
