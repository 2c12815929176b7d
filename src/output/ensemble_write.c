/*
 * ensemble_write.c -- the public writers of forecasts (entente.h): build
 * the result tree (ensemble.h), then render it in the asked format.
 */
#include "ensemble/ensemble.h"
#include "output/render.h"

ent_status ent_ensemble_write(const ent_ensemble *e, ent_format f, FILE *fp) {
  ent_result *r;
  ent_status st = ent_ensemble_result(e, &r);
  if (st != ENT_OK) return st;
  if (f == ENT_FORMAT_JSON) st = ent_json_forecast(r, fp);
  else if (f == ENT_FORMAT_CSV) st = ent_csv_render_forecast(r, fp);
  else st = ent_text_forecast(r, fp);
  ent_result_destroy(r);
  return st;
}

ent_status ent_ensemble_compare_write(const ent_ensemble *a,
                                      const ent_ensemble *b, ent_format f,
                                      FILE *fp) {
  ent_result *r;
  ent_status st = ent_ensemble_compare_result(a, b, &r);
  if (st != ENT_OK) return st;
  if (f == ENT_FORMAT_JSON) st = ent_json_compare(r, fp);
  else if (f == ENT_FORMAT_CSV) st = ent_csv_render_compare(r, fp);
  else st = ent_text_compare(r, fp);
  ent_result_destroy(r);
  return st;
}
