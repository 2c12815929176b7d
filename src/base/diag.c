/*
 * diag.c -- collected diagnostics with file:line:col and source quoting.
 *
 * Invariants: items[0..n_items) are stored items, n_total >= n_items counts
 * every item ever added (including those dropped past the cap or for lack
 * of memory); n_errors counts the errors among n_total.  File names are
 * interned in `files` so items can point at them for the diag's lifetime.
 */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct source {
  char *file;
  char *text;
  size_t len;
} source;

struct ent_diag {
  ent_diag_item *items;
  size_t n_items, cap_items;
  size_t n_total, n_errors;
  char **files;
  size_t n_files;
  source *sources;
  size_t n_sources;
};

ent_diag *ent_diag_create(void) { return ent_calloc(1, sizeof(ent_diag)); }

void ent_diag_destroy(ent_diag *d) {
  if (!d) return;
  for (size_t i = 0; i < d->n_files; i++) ent_free(d->files[i]);
  for (size_t i = 0; i < d->n_sources; i++) {
    ent_free(d->sources[i].file);
    ent_free(d->sources[i].text);
  }
  ent_free(d->files);
  ent_free(d->sources);
  ent_free(d->items);
  ent_free(d);
}

size_t ent_diag_count(const ent_diag *d) { return d ? d->n_items : 0; }
size_t ent_diag_errors(const ent_diag *d) { return d ? d->n_errors : 0; }

const ent_diag_item *ent_diag_get(const ent_diag *d, size_t i) {
  return d && i < d->n_items ? &d->items[i] : NULL;
}

static const char *intern(ent_diag *d, const char *file) {
  if (!file) return NULL;
  for (size_t i = 0; i < d->n_files; i++)
    if (strcmp(d->files[i], file) == 0) return d->files[i];
  char **nf = ent_realloc(d->files, (d->n_files + 1) * sizeof *nf);
  if (!nf) return NULL;
  d->files = nf;
  char *copy = ent_strdup(file);
  if (!copy) return NULL;
  d->files[d->n_files++] = copy;
  return copy;
}

void ent_diag_vadd(ent_diag *d, ent_severity sev, ent_status code,
                   const char *file, int line, int col, const char *fmt,
                   va_list ap) {
  if (!d) return;
  d->n_total++;
  if (sev == ENT_SEV_ERROR) d->n_errors++;
  if (d->n_items >= ENT_DIAG_MAX_ITEMS) return;
  if (d->n_items == d->cap_items) {
    size_t cap = d->cap_items ? 2 * d->cap_items : 8;
    ent_diag_item *ni = ent_realloc(d->items, cap * sizeof *ni);
    if (!ni) return;
    d->items = ni;
    d->cap_items = cap;
  }
  ent_diag_item *it = &d->items[d->n_items++];
  it->code = code;
  it->severity = sev;
  it->file = intern(d, file);
  it->line = line < 0 ? 0 : line;
  it->col = col < 0 ? 0 : col;
  vsnprintf(it->msg, sizeof it->msg, fmt, ap);
}

void ent_diag_add(ent_diag *d, ent_severity sev, ent_status code,
                  const char *file, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ent_diag_vadd(d, sev, code, file, line, col, fmt, ap);
  va_end(ap);
}

void ent_diag_error(ent_diag *d, const char *file, int line, int col,
                    const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ent_diag_vadd(d, ENT_SEV_ERROR, ENT_EINPUT, file, line, col, fmt, ap);
  va_end(ap);
}

void ent_diag_report(ent_diag *d, ent_severity sev, const char *file,
                     int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ent_diag_vadd(d, sev, ENT_EINPUT, file, line, col, fmt, ap);
  va_end(ap);
}

void ent_diag_set_source(ent_diag *d, const char *file, const char *text,
                         size_t len) {
  if (!d || !file || !text) return;
  for (size_t i = 0; i < d->n_sources; i++)
    if (strcmp(d->sources[i].file, file) == 0) return;
  source *ns = ent_realloc(d->sources, (d->n_sources + 1) * sizeof *ns);
  if (!ns) return;
  d->sources = ns;
  source s = {ent_strdup(file), ent_strndup(text, len), len};
  if (!s.file || !s.text) {
    ent_free(s.file);
    ent_free(s.text);
    return;
  }
  d->sources[d->n_sources++] = s;
}

static const source *find_source(const ent_diag *d, const char *file) {
  if (!file) return NULL;
  for (size_t i = 0; i < d->n_sources; i++)
    if (strcmp(d->sources[i].file, file) == 0) return &d->sources[i];
  return NULL;
}

/* Print line `line` of src and a caret under column `col`.  Long lines are
 * shown as a window around the column; control bytes print as '?'. */
static void quote_line(FILE *fp, const source *src, int line, int col) {
  const char *p = src->text, *end = src->text + src->len;
  for (int l = 1; l < line && p < end; l++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) return;
    p = nl + 1;
  }
  if (p >= end && !(p == end && line > 0 && col <= 1)) return;
  const char *e = memchr(p, '\n', (size_t)(end - p));
  if (!e) e = end;
  if (e > p && e[-1] == '\r') e--;
  size_t len = (size_t)(e - p);
  size_t c = col > 0 ? (size_t)col - 1 : 0;
  if (c > len) c = len;
  enum { WIDTH = 100 };
  size_t from = 0;
  if (len > WIDTH && c > WIDTH / 2) from = c - WIDTH / 2;
  size_t to = from + WIDTH < len ? from + WIDTH : len;
  fputs("    ", fp);
  if (from) fputs("...", fp);
  for (size_t i = from; i < to; i++) {
    unsigned char ch = (unsigned char)p[i];
    unsigned cp;
    size_t k = ent_text_unsafe(p + i, to - i, &cp);
    if (k > 1) { /* a C1 or bidi control: one '?' (it takes one column) */
      fputc('?', fp);
      i += k - 1;
      continue;
    }
    fputc(ch == '\t' ? ' ' : (ch < 0x20 || ch == 0x7f) ? '?' : ch, fp);
  }
  if (to < len) fputs("...", fp);
  fputc('\n', fp);
  if (col <= 0) return;
  fputs("    ", fp);
  if (from) fputs("   ", fp);
  /* Count display columns: UTF-8 continuation bytes take no column. */
  for (size_t i = from; i < c; i++)
    if (((unsigned char)p[i] & 0xC0) != 0x80) fputc(' ', fp);
  fputs("^\n", fp);
}

void ent_diag_print(const ent_diag *d, FILE *fp) {
  if (!d) return;
  static const char *sevname[] = {"error", "warning", "note"};
  for (size_t i = 0; i < d->n_items; i++) {
    const ent_diag_item *it = &d->items[i];
    const char *file = it->file ? it->file : "entente";
    /* Always file:line:col, the form editors and scripts parse; a problem
     * with no better position (an unreadable file) points at 1:1. */
    /* texts from input (names, values, file names) never reach the
     * terminal raw: control characters and bidi overrides are escaped */
    ent_fputs_safe(file, fp);
    fprintf(fp, ":%d:%d: %s: ", it->line > 0 ? it->line : 1,
            it->col > 0 ? it->col : 1, sevname[it->severity]);
    ent_fputs_safe(it->msg, fp);
    fputc('\n', fp);
    const source *src = find_source(d, it->file);
    if (src && it->line > 0) quote_line(fp, src, it->line, it->col);
  }
  if (d->n_total > d->n_items)
    fprintf(fp, "entente: note: %zu more problems not shown\n",
            d->n_total - d->n_items);
}
