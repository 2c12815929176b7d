/*
 * smp_write.c -- the public writer of a run of KTAB's Spatial Model of
 * Politics (`entente smp`, entente.h): the run is its own small result;
 * the renderers are ent_text_smp, ent_json_smp and ent_csv_render_smp.
 */
#include "output/render.h"

ent_status ent_smp_run_write(const ent_smp_run *r, ent_format f, FILE *fp) {
  if (!r || !fp) return ENT_EINVAL;
  ent_status st;
  switch (f) {
  case ENT_FORMAT_JSON: st = ent_json_smp(r, fp); break;
  case ENT_FORMAT_CSV: st = ent_csv_render_smp(r, fp); break;
  case ENT_FORMAT_TEXT: st = ent_text_smp(r, fp); break;
  default: return ENT_EINVAL;
  }
  if (st == ENT_OK && ferror(fp)) st = ENT_EIO;
  return st;
}
