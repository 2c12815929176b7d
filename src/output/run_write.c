/*
 * run_write.c -- the public writers of a run (entente.h): build the run's
 * result tree (sim/run_result.h), then render it in the asked format.
 * Prefixes: ent_run_ (a run), ent_backtest_ (ent_backtest_write: the
 * back-test of a scenario, ensemble/backtest_bands.c, rendered the same way)
 */
#include "ensemble/ensemble.h"
#include "output/render.h"
#include "sim/run_result.h"

ent_status ent_run_write(const ent_run *r, ent_format f, FILE *fp) {
  if (!r) return ENT_EINVAL;
  ent_result *res;
  ent_status st = ent_run_result(r, &res);
  if (st != ENT_OK) return st;
  if (f == ENT_FORMAT_JSON) st = ent_json_run(res, fp);
  else if (f == ENT_FORMAT_CSV) st = ent_csv_render_run(res, fp);
  else st = ent_text_run(res, fp);
  ent_result_destroy(res);
  return st;
}

ent_status ent_run_write_eum(const ent_run *r, ent_format f, FILE *fp) {
  if (!r || r->n_issues != 1) return ENT_EINVAL;
  ent_result *res;
  ent_status st = ent_run_result(r, &res);
  if (st != ENT_OK) return st;
  st = f == ENT_FORMAT_JSON ? ent_json_eum(res, fp) : ent_text_eum(res, fp);
  ent_result_destroy(res);
  return st;
}

ent_status ent_run_write_backtest(const ent_run *r, ent_format f, FILE *fp,
                                  ent_diag *d) {
  ent_result *res;
  ent_status st = ent_backtest_result(r, &res, d);
  if (st != ENT_OK) return st;
  st = f == ENT_FORMAT_JSON ? ent_json_backtest(res, fp)
                            : ent_text_backtest(res, fp);
  ent_result_destroy(res);
  return st;
}

ent_status ent_backtest_write(const ent_model *m, const ent_backtest_opts *o,
                              ent_format f, FILE *fp, ent_diag *d) {
  ent_result *res;
  ent_status st = ent_backtest_create(m, o, &res, d);
  if (st != ENT_OK) return st;
  st = f == ENT_FORMAT_JSON ? ent_json_backtest(res, fp)
                            : ent_text_backtest(res, fp);
  ent_result_destroy(res);
  return st;
}
