/*
 * csv_render.c -- tidy CSV of runs and forecasts (docs/variables.md,
 * docs/r-and-python.md): one row per value, ready for read.csv and
 * pandas.read_csv.
 *
 *   run       variable,entity,year,value,unit (strategic-only runs: the
 *             forecasts, issue_forecast and issue_mean, without a year)
 *   forecast  section,variable,entity,year,statistic,value with sections
 *             series (n, mean, sd, q05..q95), outcome, range
 *             (probability), threshold (p_reached_by per year, or
 *             p_reached), relation (share of each class per ordered pair,
 *             entity "A->B@issue") and sensitivity (src and r2, or
 *             first_order and total, per input in declared order)
 *   compare   variable,entity,year,mean_a,mean_b,diff,se,marked
 * Numbers are printed in the shortest form that reads back to the same
 * double; a value that is not finite is an empty field.
 */
#include <math.h>
#include <string.h>

#include "output/render.h"

ent_status ent_csv_render_run(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  char v[40];
  ent_strbuf_puts(&b, "variable,entity,year,value,unit\n");
  for (size_t k = 0; k < r->n_cells; k++) {
    const ent_result_cell *p = &r->cells[k];
    ent_fmt_double(v, sizeof v, p->value);
    ent_strbuf_printf(&b, "%s,", p->variable);
    ent_csv_write_field(&b, p->entity, 0);
    ent_strbuf_printf(&b, ",%d,%s,", p->year, v);
    ent_csv_write_field(&b, p->unit, 0);
    ent_strbuf_puts(&b, "\n");
  }
  /* strategic-only runs: the forecasts, without a year */
  for (size_t i = 0; !r->st.present && i < r->n_issues; i++) {
    const ent_result_issue *is = &r->issues[i];
    ent_fmt_double(v, sizeof v, is->forecast);
    ent_strbuf_printf(&b, "%s,%s,,%s,scale\n", ENT_VNAME(ENT_VAR_ISSUE_FORECAST),
                      is->id, v);
    ent_fmt_double(v, sizeof v, is->final_mean);
    ent_strbuf_printf(&b, "%s,%s,,%s,scale\n", ENT_VNAME(ENT_VAR_ISSUE_MEAN),
                      is->id, v);
  }
  return ent_render_flush(&b, fp);
}
