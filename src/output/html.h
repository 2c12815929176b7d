/*
 * html.h -- the report of a result document: charts (chart.h) and one
 * self-contained report.html (docs/report.md).  The public half is
 * ent_report_* in entente.h.
 *
 * Input: the JSON of `entente forecast --format json` or `entente run
 * --format json` (keys read in html.c), optionally the scenario (for
 * assumptions and observed history) and a back-test run.
 *
 * Invariants
 *   - Same inputs -> byte-identical files (no clock: the time shown is the
 *     one the document records).
 *   - The HTML loads nothing: charts are data: URIs, the style is inline,
 *     a Content-Security-Policy forbids every other source.
 *   - Every text from the document or the scenario is HTML-escaped.
 */
#ifndef ENT_HTML_H
#define ENT_HTML_H

#include "sim/sim.h"

typedef struct ent_report_file {
  char *name;          /* "fan-trade_flow.svg", "report.html" */
  unsigned char *data;
  size_t len;
} ent_report_file;

struct ent_report {
  ent_report_file *files;
  size_t n, cap;
};

/* Base64 (RFC 4648, with padding) of data[0..len) appended to b. */
ENT_LOCAL void ent_html_base64(ent_strbuf *b, const unsigned char *data,
                               size_t len);
/* s with & < > " ' escaped, appended to b. */
ENT_LOCAL void ent_html_escape(ent_strbuf *b, const char *s);

#endif /* ENT_HTML_H */
