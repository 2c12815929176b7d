/*
 * report.c -- the public report functions (ent_report_*, entente.h): read
 * the result document (input/result_json.h), complete what the report
 * needs and the document leaves out, and render it (html.h).
 *
 * Prefixes: ent_report_, and ent_scorecard_report (the report of a
 * scorecard, made with the same files-in-memory report object).
 *
 * What is completed here, not in the renderer:
 *   - baselines (the weighted median and mean of the starting positions)
 *     of issues the document gives none for (forecast documents), from a
 *     nominal run of the scenario;
 *   - the back-test: the result of the back-test run given (a run of a
 *     scenario with history after its base year); none if it cannot be
 *     compared (ENT_EINVAL of the back-test);
 *   - for a stored run, the store's record (id, status, time started).
 */
#include <stdio.h>
#include <string.h>

#include "ensemble/ensemble.h"
#include "input/result_json.h"
#include "output/html.h"
#include "sim/run_result.h"
#include "store/store.h"

/* ------------------------------------------------------------ files */

void ent_report_destroy(ent_report *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) {
    ent_free(r->files[i].name);
    ent_free(r->files[i].data);
  }
  ent_free(r->files);
  ent_free(r);
}

size_t ent_report_file_count(const ent_report *r) { return r ? r->n : 0; }

const char *ent_report_file_name(const ent_report *r, size_t i) {
  return r && i < r->n ? r->files[i].name : NULL;
}

const unsigned char *ent_report_file_data(const ent_report *r, size_t i,
                                          size_t *len) {
  if (!r || i >= r->n) {
    if (len) *len = 0;
    return NULL;
  }
  if (len) *len = r->files[i].len;
  return r->files[i].data;
}

/* ------------------------------------------------------------ building */

/* Baselines from a nominal run of m for the issues that have none. */
static ent_status nominal_baselines(ent_result *res, const ent_model *m) {
  int need = 0;
  for (size_t i = 0; i < res->n_issues; i++) need |= !res->issues[i].has_base;
  if (!need || !m) return ENT_OK;
  ent_run *r = NULL;
  ent_result *nr = NULL;
  ent_diag *tmp = ent_diag_create();
  if (tmp && ent_run_create(m, NULL, &r, tmp) == ENT_OK &&
      ent_run_result(r, &nr) == ENT_OK) {
    for (size_t i = 0; i < res->n_issues; i++) {
      ent_result_issue *is = &res->issues[i];
      const ent_result_issue *ni = ent_result_find_issue(nr, is->id);
      if (is->has_base || !ni) continue;
      is->base_median = ni->base_median;
      is->base_mean = ni->base_mean;
      is->has_base = 1;
    }
  }
  ent_result_destroy(nr);
  ent_run_destroy(r);
  ent_diag_destroy(tmp);
  return ENT_OK;
}

static ent_status build(const char *name, const char *json, size_t len,
                        const ent_model *m, const ent_run *backtest,
                        const ent_store_output *stored, ent_report **out,
                        ent_diag *d) {
  if (out) *out = NULL;
  if (!json || !out) return ENT_EINVAL;
  if (!name) name = "<forecast>";
  ent_model *own = NULL;
  ent_result *res = NULL, *bt = NULL;
  ent_status st = ent_result_read_json(name, json, len, m, &own, &res, d);
  if (st != ENT_OK) return st;
  if (stored) {
    ent_result_prov *p = &res->prov;
    p->has_store = 1;
    p->store_id = stored->id;
    p->store_status = ent_result_str(res, stored->status);
    p->store_kind = ent_result_str(res, stored->kind);
    p->store_started = ent_result_str(res, stored->started);
    if (ent_result_failed(res)) st = ENT_ENOMEM;
  }
  const ent_model *mm = m ? m : own;
  if (st == ENT_OK) st = nominal_baselines(res, mm);
  if (st == ENT_OK && backtest) {
    ent_diag *tmp = ent_diag_create();
    st = tmp ? ent_backtest_result(backtest, &bt, tmp) : ENT_ENOMEM;
    if (st == ENT_EINVAL) st = ENT_OK; /* nothing to compare: no back-test */
    ent_diag_destroy(tmp);
  }
  if (st == ENT_OK) st = ent_html_render(res, mm, bt, name, out);
  ent_result_destroy(bt);
  ent_result_destroy(res);
  ent_model_destroy(own);
  return st;
}

ent_status ent_report_create(const char *name, const char *json, size_t len,
                             const ent_model *m, const ent_run *backtest,
                             ent_report **out, ent_diag *d) {
  return build(name, json, len, m, backtest, NULL, out, d);
}

ent_status ent_report_create_stored(ent_store *s, long long id,
                                    const ent_model *m,
                                    const ent_run *backtest, ent_report **out,
                                    ent_diag *d) {
  if (out) *out = NULL;
  if (!s || !out || id < 0) return ENT_EINVAL;
  ent_arena A;
  ent_arena_init(&A);
  ent_store_output o;
  ent_status st = ent_store_load_output(s, id, &A, &o, d);
  if (st == ENT_ENOTFOUND) {
    if (id)
      ent_diag_error(d, "<command-line>", 1, 1, "the run store has no run %lld", id);
    else
      ent_diag_error(d, "<command-line>", 1, 1, "the run store holds no run or "
                                                "forecast with results yet");
    st = ENT_EINPUT;
  }
  if (st == ENT_OK) {
    char name[64];
    snprintf(name, sizeof name, "<store run %lld>", o.id);
    st = build(name, o.doc, o.doc_len, m, backtest, &o, out, d);
  }
  ent_arena_free(&A);
  return st;
}

/* ------------------------------------------------------------ scores */

ent_status ent_scorecard_report(const ent_scorecard *s, const char *name,
                                ent_report **out) {
  if (out) *out = NULL;
  const ent_result *r = s ? ent_scorecard_result(s) : NULL;
  if (!r || !r->score || !out) return ENT_EINVAL;
  if (!name) name = r->score->ledger ? r->score->ledger : "<ledger>";
  return ent_html_render(r, NULL, NULL, name, out);
}
