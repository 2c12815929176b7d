/*
 * model_write.c -- the public writers of a model (entente.h): the summary
 * of `entente check` and the assumptions (every input with its rationale).
 */
#include "output/render.h"

ent_status ent_model_write_summary(const ent_model *m, FILE *fp) {
  return ent_text_summary(m, fp);
}
