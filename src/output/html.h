/*
 * html.h -- the report of a result: charts (chart.h) and one
 * self-contained report.html (docs/report.md).  The public half is
 * ent_report_* in entente.h (output/report.c), which reads the result
 * document, loads what the report needs and calls ent_html_render.
 *
 * Input: a result tree (a run or a forecast, model/result.h; or a ledger's
 * scores, ENT_RESULT_SCORE: a page of its own, html_score.c), optionally
 * the scenario (assumptions, observed history, the pairs it names) and a
 * back-test (a result of kind ENT_RESULT_BACKTEST).  The renderer parses
 * nothing, runs nothing and loads nothing.
 *
 * Invariants
 *   - Same inputs -> byte-identical files (no clock: the time shown is the
 *     one the result records).
 *   - The HTML loads nothing: charts are data: URIs, the style is inline,
 *     a Content-Security-Policy forbids every other source.
 *   - Every text from the result or the scenario is HTML-escaped.
 */
#ifndef ENT_HTML_H
#define ENT_HTML_H

#include "base/base64.h"
#include "model/model.h"
#include "model/result.h"

typedef struct ent_report_file {
  char *name;          /* "fan-trade_flow.svg", "report.html" */
  unsigned char *data;
  size_t len;
} ent_report_file;

struct ent_report {
  ent_report_file *files;
  size_t n, cap;
};

/* Render the report of r.  m (may be NULL): the scenario; bt (may be
 * NULL): the back-test; name: the result document's name, shown in the
 * report.  ENT_ENOMEM, ENT_EINTERNAL (a chart failed); *out NULL then. */
ENT_LOCAL ent_status ent_html_render(const ent_result *r, const ent_model *m,
                                     const ent_result *bt, const char *name,
                                     ent_report **out);

/* s with & < > " ' escaped, appended to b. */
ENT_LOCAL void ent_html_escape(ent_strbuf *b, const char *s);
/* Base64 of data[0..len) appended to b (base/base64.h). */
static inline void ent_html_base64(ent_strbuf *b, const unsigned char *data,
                                   size_t len) {
  ent_base64_append(b, data, len);
}

#endif /* ENT_HTML_H */
