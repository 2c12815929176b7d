/*
 * text_misc.c -- the text of a back-test (`entente backtest`).
 */
#include <math.h>
#include <string.h>

#include "output/render.h"

ent_status ent_text_backtest(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_printf(&b, "back-test of '%s': model from %d data and the known "
                        "shocks, against observed values\n",
                    r->prov.scenario_id, r->prov.start);
  for (size_t k = 0; k < r->n_bt; k++) {
    const ent_result_bt_series *s = &r->bt[k];
    ent_strbuf_printf(&b, "\n%s %s (%s)\n", s->variable, s->entity,
                      s->unit ? s->unit : "");
    ent_strbuf_printf(&b, "  %4s %10s %10s %8s %12s %10s\n", "year", "actual",
                      "model", "error", "persistence", "trend");
    for (size_t q = 0; q < s->n; q++) {
      ent_strbuf_printf(&b, "  %4d %10.2f %10.2f %7.1f%% %12.2f", s->years[q],
                        s->actual[q], s->model[q],
                        100.0 * (s->model[q] - s->actual[q]) / s->actual[q],
                        s->persist[q]);
      if (s->has_trend) ent_strbuf_printf(&b, " %10.2f\n", s->trend[q]);
      else ent_strbuf_puts(&b, " -\n");
    }
    ent_strbuf_printf(&b, "  MAPE: model %.1f%%, persistence %.1f%%", s->mape_model,
                      s->mape_persist);
    if (s->has_trend) ent_strbuf_printf(&b, ", trend %.1f%%", s->mape_trend);
    ent_strbuf_printf(&b, " -- best: %s\n", s->best);
  }
  return ent_render_flush(&b, fp);
}
