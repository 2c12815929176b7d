/*
 * render.h -- the renderers: one per format (text, JSON, CSV; charts and
 * HTML in chart.h and html.h), each writing a result tree (model/
 * result.h) -- or, for the two stand-alone models, their own small result
 * (an ent_smp_run, an ent_trade_result) and for `assumptions` the model
 * itself -- as one complete document.
 *
 * Contract of every renderer: the document is built in memory and written
 * at the end, so a failure never leaves half a document; returns ENT_OK,
 * ENT_ENOMEM, or ENT_EIO when writing (or flushing) fp failed.  Same input
 * -> byte-identical output.
 *
 * The JSON documents and their keys are listed at the top of json_run.c,
 * json_forecast.c and json_misc.c; the CSV tables at the top of
 * csv_render.c.
 */
#ifndef ENT_RENDER_H
#define ENT_RENDER_H

#include <stdio.h>

#include "model/model.h"
#include "model/result.h"
#include "strategic/smp.h"
#include "structural/trade.h"

/* ------------------------------------------------------------ helpers */

/* Write b to fp and free it: ENT_ENOMEM if b failed, ENT_EIO if writing
 * or flushing failed. */
ENT_LOCAL ent_status ent_render_flush(ent_strbuf *b, FILE *fp);
/* A number for text tables: up to 4 decimals, no trailing zeros, no -0. */
ENT_LOCAL void ent_render_short(char *buf, size_t size, double v);

/* ------------------------------------------------------------ text */

/* `entente run`: title, scenario, the structural table, every issue with
 * its models, the relationship table. */
ENT_LOCAL ent_status ent_text_run(const ent_result *r, FILE *fp);
/* `entente eum`: the single issue round by round (one-issue runs). */
ENT_LOCAL ent_status ent_text_eum(const ent_result *r, FILE *fp);
/* `entente check`: a validation summary of a model. */
ENT_LOCAL ent_status ent_text_summary(const ent_model *m, FILE *fp);
/* Parts of `entente run`'s text on the dynamics (text_dynamics.c): the
 * headline, the yearly alignment of the report pairs, the drivers. */
ENT_LOCAL void ent_text_headline(const ent_result *r, ent_strbuf *b);
ENT_LOCAL void ent_text_alignment(const ent_result *r, ent_strbuf *b);
ENT_LOCAL void ent_text_drivers(const ent_result *r, ent_strbuf *b);
ENT_LOCAL ent_status ent_text_forecast(const ent_result *r, FILE *fp);
/* A ledger's scores (score_render.c). */
ENT_LOCAL ent_status ent_text_score(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_json_score(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_csv_render_score(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_text_compare(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_text_backtest(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_text_assumptions(const ent_model *m, FILE *fp);
ENT_LOCAL ent_status ent_text_smp(const ent_smp_run *r, FILE *fp);
ENT_LOCAL ent_status ent_text_trade(const ent_trade_result *r, FILE *fp);
ENT_LOCAL ent_status ent_text_trade_ref(const ent_trade_result *r, FILE *fp);

/* ------------------------------------------------------------ JSON */

ENT_LOCAL ent_status ent_json_run(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_json_eum(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_json_forecast(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_json_compare(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_json_backtest(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_json_assumptions(const ent_model *m, FILE *fp);
ENT_LOCAL ent_status ent_json_smp(const ent_smp_run *r, FILE *fp);
ENT_LOCAL ent_status ent_json_trade(const ent_trade_result *r, FILE *fp);
ENT_LOCAL ent_status ent_json_trade_ref(const ent_trade_result *r, FILE *fp);
/* The document of a run or a forecast (by the result's kind) as text
 * (ent_free), for the run store; NULL when out of memory. */
ENT_LOCAL char *ent_json_document(const ent_result *r);

/* ------------------------------------------------------------ CSV */

ENT_LOCAL ent_status ent_csv_render_run(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_csv_render_forecast(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_csv_render_compare(const ent_result *r, FILE *fp);
ENT_LOCAL ent_status ent_csv_render_smp(const ent_smp_run *r, FILE *fp);
ENT_LOCAL ent_status ent_csv_render_trade(const ent_trade_result *r,
                                          FILE *fp);
/* The same with snprintf/strtod for every number (ent_fmt_double_ref);
 * ent_trade_result_write_ref uses them, for bench_trade. */
ENT_LOCAL ent_status ent_csv_render_trade_ref(const ent_trade_result *r,
                                              FILE *fp);
ENT_LOCAL ent_status ent_trade_result_write_ref(const ent_trade_result *r,
                                                ent_format f, FILE *fp);

#endif /* ENT_RENDER_H */
