/*
 * trade_csv.c -- the loader of the trade counterfactual's CSV files
 * (docs/models/gravity.md, "Input files"): a flows file
 * (exporter,importer,flow; a square table, domestic flows included) and
 * an optional shock file (exporter,importer,beta; '-inf' or 'embargo' for
 * b = 0).  It parses both, reports every problem with file:line:col in one
 * pass, and fills a problem that trade.c allocates
 * (ent_trade_problem_alloc); nothing is built from an invalid input.
 *
 * Countries are numbered in order of first appearance in the flows file
 * (never in hash order); a shock on a zero flow is a warning.
 */
#include "input/trade_csv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/csv.h"
#include "base/fileio.h"
#include "base/num.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define MAX_FILE_BYTES ((size_t)256 << 20)

/* Open-addressing index of country names (lookup only: the order of
 * countries is the order of first appearance, never the hash order). */
typedef struct name_index {
  size_t *slot; /* cap entries, (size_t)-1 = empty */
  size_t cap;
  ent_arena arena;    /* the name copies */
  const char **names; /* [count] trimmed, NUL-terminated copies */
  size_t *len;
  int *line, *col;    /* first appearance */
  size_t count, max;
  size_t room; /* names the arrays hold */
} name_index;

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

/* Room for twice the names (at least 16), slots rehashed; -1 on ENOMEM.
 * The index starts small and grows: sizing it for the worst case (two
 * names a line) cost more than the lookups at N = 200 (a 2 MB table). */
static int index_grow(name_index *x) {
  size_t room = x->count ? 2 * x->count : 16;
  size_t cap = 16;
  while (cap < 2 * room + 2) cap *= 2;
  size_t *slot = ent_mallocarray(cap, sizeof *slot);
  const char **names = ent_realloc(x->names, room * sizeof *names);
  if (names) x->names = names;
  size_t *len = ent_realloc(x->len, room * sizeof *len);
  if (len) x->len = len;
  int *line = ent_realloc(x->line, room * sizeof *line);
  if (line) x->line = line;
  int *col = ent_realloc(x->col, room * sizeof *col);
  if (col) x->col = col;
  if (!slot || !names || !len || !line || !col) {
    ent_free(slot);
    return -1;
  }
  for (size_t i = 0; i < cap; i++) slot[i] = (size_t)-1;
  for (size_t k = 0; k < x->count; k++) {
    size_t h = (size_t)hash_bytes(x->names[k], x->len[k]) & (cap - 1);
    while (slot[h] != (size_t)-1) h = (h + 1) & (cap - 1);
    slot[h] = k;
  }
  ent_free(x->slot);
  x->slot = slot;
  x->cap = cap;
  x->room = room;
  return 0;
}

/* An empty index that grows; `max` bounds the names it will ever hold. */
static int index_init(name_index *x, size_t max) {
  memset(x, 0, sizeof *x);
  ent_arena_init(&x->arena);
  x->max = max;
  return index_grow(x);
}

static void index_free(name_index *x) {
  ent_arena_free(&x->arena);
  ent_free(x->slot);
  ent_free(x->names);
  ent_free(x->len);
  ent_free(x->line);
  ent_free(x->col);
}

#define INDEX_NOMEM ((size_t)-2)

/* Index of name s[0..n), adding it if `add` (and there is room);
 * (size_t)-1 if absent, INDEX_NOMEM when a copy could not be made. */
static size_t index_find(name_index *x, const char *s, size_t n, int add,
                         int line, int col) {
  size_t h = (size_t)hash_bytes(s, n) & (x->cap - 1);
  while (x->slot[h] != (size_t)-1) {
    size_t k = x->slot[h];
    if (x->len[k] == n && memcmp(x->names[k], s, n) == 0) return k;
    h = (h + 1) & (x->cap - 1);
  }
  if (!add || x->count >= x->max) return (size_t)-1;
  if (x->count >= x->room) {
    if (index_grow(x)) return INDEX_NOMEM;
    h = (size_t)hash_bytes(s, n) & (x->cap - 1);
    while (x->slot[h] != (size_t)-1) h = (h + 1) & (x->cap - 1);
  }
  char *copy = ent_arena_strndup(&x->arena, s, n);
  if (!copy) return INDEX_NOMEM;
  size_t k = x->count++;
  x->names[k] = copy;
  x->len[k] = n;
  x->line[k] = line;
  x->col[k] = col;
  x->slot[h] = k;
  return k;
}

static void trim_field(const ent_csv_field *f, const char **s, size_t *n) {
  const char *p = f->text;
  size_t len = f->len;
  while (len && (p[0] == ' ' || p[0] == '\t')) p++, len--;
  while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
  *s = p;
  *n = len;
}

static int eq_nocase(const char *s, size_t n, const char *lit) {
  size_t m = strlen(lit);
  if (n != m) return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)s[i]) != lit[i]) return 0;
  return 1;
}

/* Column numbers of the three expected names in the header row. */
typedef struct header_map {
  size_t col[3];
  size_t n_cols;
} header_map;

static int map_header(const char *file, const ent_csv_row *h,
                      const char *const names[3], header_map *m,
                      ent_diag *d) {
  int bad = 0;
  m->n_cols = h->n;
  for (int k = 0; k < 3; k++) m->col[k] = (size_t)-1;
  for (size_t c = 0; c < h->n; c++) {
    const char *s;
    size_t n;
    trim_field(&h->fields[c], &s, &n);
    int hit = -1;
    for (int k = 0; k < 3; k++)
      if (eq_nocase(s, n, names[k])) hit = k;
    if (hit < 0) {
      ent_diag_error(d, file, h->fields[c].line, h->fields[c].col,
                     "unknown column '%.*s' (the header must be '%s,%s,%s')",
                     (int)(n > 60 ? 60 : n), s, names[0], names[1], names[2]);
      bad = 1;
    } else if (m->col[hit] != (size_t)-1) {
      ent_diag_error(d, file, h->fields[c].line, h->fields[c].col,
                     "column '%s' appears twice in the header", names[hit]);
      bad = 1;
    } else {
      m->col[hit] = c;
    }
  }
  for (int k = 0; k < 3; k++)
    if (m->col[k] == (size_t)-1) {
      ent_diag_error(d, file, h->line, 1,
                     "missing column '%s' (the header must be '%s,%s,%s')",
                     names[k], names[0], names[1], names[2]);
      bad = 1;
    }
  return bad ? -1 : 0;
}

static int has_control(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f) return 1;
  return 0;
}

/* Checks a country-name field; returns 0 if usable. */
static int check_name(const char *file, const ent_csv_field *f,
                      const char *what, const char **s, size_t *n,
                      ent_diag *d) {
  trim_field(f, s, n);
  if (*n == 0) {
    ent_diag_error(d, file, f->line, f->col, "empty %s name", what);
    return -1;
  }
  if (has_control(*s, *n)) {
    ent_diag_error(d, file, f->line, f->col,
                   "%s name contains control characters (binary data?)",
                   what);
    return -1;
  }
  if (*n > 200) {
    ent_diag_error(d, file, f->line, f->col,
                   "%s name is longer than 200 bytes", what);
    return -1;
  }
  return 0;
}

static int is_word(const char *s, size_t n, const char *const *words) {
  for (; *words; words++)
    if (eq_nocase(s, n, *words)) return 1;
  return 0;
}

static const char *const NONFINITE_WORDS[] = {
    "nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity",
    "-infinity", NULL};

/* Parsed data row of either file. */
typedef struct entry {
  size_t i, j;       /* country indices ((size_t)-1: unusable) */
  double v;
  int ok;            /* value parsed */
  const ent_csv_row *row;
} entry;

#define SHOW(n) ((int)((n) > 60 ? 60 : (n)))

/* One parsed file: the CSV (owns the texts the entries point into), its
 * header map and the data rows, with the count of problems reported. */
typedef struct flows_parse {
  ent_csv *csv;
  header_map hm;
  entry *e;
  size_t n_e;
  int errors;
} flows_parse;

static const char *const FLOW_COLS[3] = {"exporter", "importer", "flow"};
static const char *const SHOCK_COLS[3] = {"exporter", "importer", "beta"};

/* Parse the rows of one file into entries (names resolved through idx;
 * `add` = names may be added).  Returns 0, -1 on ENOMEM. */
static int parse_rows(const char *file, const char *text, size_t len,
                      const char *const cols[3], int is_shock,
                      name_index *idx, const char *flows_file, int ref,
                      flows_parse *p, ent_diag *d) {
  memset(p, 0, sizeof *p);
  ent_status st = ent_csv_parse(file, text, len, ENT_CSV_COMMENTS, &p->csv, d);
  if (st == ENT_ENOMEM) return -1;
  if (st != ENT_OK) {
    p->errors++;
    return 0;
  }
  ent_csv *c = p->csv;
  if (c->n_rows == 0) {
    ent_diag_error(d, file, 1, 1,
                   "empty file: expected the header '%s,%s,%s' and rows",
                   cols[0], cols[1], cols[2]);
    p->errors++;
    return 0;
  }
  if (map_header(file, &c->rows[0], cols, &p->hm, d)) {
    p->errors++;
    return 0;
  }
  p->e = ent_mallocarray(c->n_rows, sizeof *p->e);
  if (!p->e) return -1;
  for (size_t r = 1; r < c->n_rows; r++) {
    const ent_csv_row *row = &c->rows[r];
    if (row->n != p->hm.n_cols) {
      ent_diag_error(d, file, row->line,
                     row->n > p->hm.n_cols
                         ? row->fields[p->hm.n_cols].col
                         : row->fields[row->n - 1].col,
                     "row has %zu field%s, the header has %zu", row->n,
                     row->n == 1 ? "" : "s", p->hm.n_cols);
      p->errors++;
      continue;
    }
    entry *e = &p->e[p->n_e++];
    e->row = row;
    e->i = e->j = (size_t)-1;
    e->ok = 0;
    const ent_csv_field *fe = &row->fields[p->hm.col[0]];
    const ent_csv_field *fi = &row->fields[p->hm.col[1]];
    const ent_csv_field *fv = &row->fields[p->hm.col[2]];
    const char *s;
    size_t n;
    const ent_csv_field *fs[2] = {fe, fi};
    size_t *dst[2] = {&e->i, &e->j};
    for (int k = 0; k < 2; k++) {
      if (check_name(file, fs[k], cols[k], &s, &n, d)) {
        p->errors++;
        continue;
      }
      *dst[k] = index_find(idx, s, n, !is_shock, fs[k]->line, fs[k]->col);
      if (*dst[k] == INDEX_NOMEM) return -1;
      if (*dst[k] == (size_t)-1) {
        if (is_shock && idx->count == 0) {
          /* the flows file gave no countries: already reported there */
        } else if (is_shock) {
          ent_diag_error(d, file, fs[k]->line, fs[k]->col,
                         "unknown country '%.*s' (not in the flows file '%s')",
                         SHOW(n), s, flows_file);
          p->errors++;
        } else {
          return -1; /* index full: cannot happen, sized from the rows */
        }
      }
    }
    /* The value. */
    trim_field(fv, &s, &n);
    const char *why = NULL;
    double v = 0.0;
    if (is_shock && (eq_nocase(s, n, "-inf") || eq_nocase(s, n, "-infinity") ||
                     eq_nocase(s, n, "embargo"))) {
      e->v = -HUGE_VAL;
      e->ok = 1;
    } else if (is_word(s, n, NONFINITE_WORDS)) {
      ent_diag_error(d, file, fv->line, fv->col,
                     is_shock ? "beta must be a finite number, '-inf' or "
                                "'embargo', not '%.*s'"
                              : "flow must be a finite number, not '%.*s'",
                     SHOW(n), s);
      p->errors++;
    } else if ((ref ? ent_parse_double_ref : ent_parse_double)(s, n, &v,
                                                               &why)) {
      ent_diag_error(d, file, fv->line, fv->col, "%s '%.*s': %s",
                     cols[2], SHOW(n), s, why);
      p->errors++;
    } else if (!is_shock && v < 0.0) {
      ent_diag_error(d, file, fv->line, fv->col,
                     "flow %.*s from '%s' to '%s' is negative", SHOW(n), s,
                     e->i != (size_t)-1 ? idx->names[e->i] : "?",
                     e->j != (size_t)-1 ? idx->names[e->j] : "?");
      p->errors++;
    } else if (is_shock && !isfinite(exp(v))) {
      ent_diag_error(d, file, fv->line, fv->col,
                     "beta %.*s is too large (exp(beta) overflows)", SHOW(n),
                     s);
      p->errors++;
    } else {
      e->v = v == 0.0 ? 0.0 : v; /* no -0 */
      e->ok = 1;
    }
  }
  return 0;
}

/* Duplicate flows and zero domestic flows, each an error (a duplicate's
 * entry is then not ok); seen[i*n + j] gets the line of the first flow of
 * each pair.  Returns the number of errors. */
static int check_flows(const char *ffile, flows_parse *fp,
                       const name_index *idx, size_t n, int *seen,
                       ent_diag *d) {
  int errors = 0;
  for (size_t k = 0; k < fp->n_e; k++) {
    entry *e = &fp->e[k];
    if (e->i == (size_t)-1 || e->j == (size_t)-1) continue;
    const ent_csv_field *fe = &e->row->fields[fp->hm.col[0]];
    int first = seen[e->i * n + e->j];
    if (first) {
      ent_diag_error(d, ffile, fe->line, fe->col,
                     "duplicate flow '%s' -> '%s' (first given on line %d)",
                     idx->names[e->i], idx->names[e->j], first);
      errors++;
      e->ok = 0;
      continue;
    }
    seen[e->i * n + e->j] = e->row->line;
    if (e->ok && e->i == e->j && e->v == 0.0) {
      const ent_csv_field *fv = &e->row->fields[fp->hm.col[2]];
      ent_diag_error(d, ffile, fv->line, fv->col,
                     "domestic flow of '%s' is 0; every country needs "
                     "positive domestic sales (X_ii > 0)",
                     idx->names[e->i]);
      errors++;
    }
  }
  return errors;
}

/* Missing flows: report the first ten, then a count.  Each points at
 * the exporter's first row (or the country's first appearance).
 * Returns the number of missing pairs (each an error). */
static int report_missing(const char *ffile, const flows_parse *fp,
                          const name_index *idx, size_t n, const int *seen,
                          ent_diag *d) {
  size_t missing = 0;
  int errors = 0;
  for (size_t i = 0; i < n && n >= 2; i++)
    for (size_t j = 0; j < n; j++) {
      if (seen[i * n + j]) continue;
      if (missing++ < 10) {
        int line = idx->line[i], col = idx->col[i];
        for (size_t k = 0; k < fp->n_e; k++)
          if (fp->e[k].i == i) {
            const ent_csv_field *fe = &fp->e[k].row->fields[fp->hm.col[0]];
            line = fe->line;
            col = fe->col;
            break;
          }
        ent_diag_error(d, ffile, line, col,
                       "flow '%s' -> '%s' is missing (the table must be "
                       "square: every exporter-importer pair, domestic "
                       "ones included)",
                       idx->names[i], idx->names[j]);
      }
      errors++;
    }
  if (missing > 10)
    ent_diag_error(d, ffile, fp->csv->rows[0].line, 1,
                   "%zu flows are missing in all (%zu countries need %zu "
                   "pairs)",
                   missing, n, n * n);
  return errors;
}

/* Margins whose sum overflows, each an error.  Returns the number of
 * errors, -1 if out of memory. */
static int check_margins(const char *ffile, const flows_parse *fp,
                         const name_index *idx, size_t n, ent_diag *d) {
  int errors = 0;
  double *sums = ent_calloc(2 * n, sizeof *sums);
  if (!sums) return -1;
  for (size_t k = 0; k < fp->n_e; k++) {
    sums[fp->e[k].i] += fp->e[k].v;
    sums[n + fp->e[k].j] += fp->e[k].v;
  }
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(sums[i]) || !isfinite(sums[n + i])) {
      ent_diag_error(d, ffile, idx->line[i], idx->col[i],
                     "the flows of '%s' are too large: their sum overflows",
                     idx->names[i]);
      errors++;
    }
  }
  ent_free(sums);
  return errors;
}

/* Shocks on a domestic pair and duplicate shocks, each an error (the
 * entry is then not ok); sseen[i*n + j] gets the line of the first shock
 * of each pair.  Returns the number of errors. */
static int check_shocks(const char *sfile, flows_parse *sp,
                        const name_index *idx, size_t n, int *sseen,
                        ent_diag *d) {
  int errors = 0;
  for (size_t k = 0; k < sp->n_e; k++) {
    entry *e = &sp->e[k];
    if (e->i == (size_t)-1 || e->j == (size_t)-1) continue;
    const ent_csv_field *fe = &e->row->fields[sp->hm.col[0]];
    if (e->i == e->j) {
      ent_diag_error(d, sfile, fe->line, fe->col,
                     "shock on the domestic pair '%s' -> '%s': domestic "
                     "sales cannot be shocked (beta_ii = 0)",
                     idx->names[e->i], idx->names[e->j]);
      errors++;
      e->ok = 0;
      continue;
    }
    int first = sseen[e->i * n + e->j];
    if (first) {
      ent_diag_error(d, sfile, fe->line, fe->col,
                     "duplicate shock '%s' -> '%s' (first given on line "
                     "%d)",
                     idx->names[e->i], idx->names[e->j], first);
      errors++;
      e->ok = 0;
      continue;
    }
    sseen[e->i * n + e->j] = e->row->line;
  }
  return errors;
}

/* A shock of the fast reader: pair, beta (-HUGE_VAL: embargo) and the
 * line of its row (the exporter's field starts the row: column 1). */
typedef struct fast_shock {
  uint32_t i, j;
  double v;
  int line;
} fast_shock;

/* One shock into pb: beta and b, and the warning of a shock on a zero
 * flow, at the exporter's field (line, col). */
static void shock_one(ent_trade_problem *pb, const char *sfile,
                      const name_index *idx, size_t n, size_t i, size_t j,
                      double v, int line, int col, ent_diag *d) {
  size_t ij = i * n + j;
  pb->beta[ij] = v;
  pb->b[ij] = v == -HUGE_VAL ? 0.0 : exp(v);
  if (pb->X[ij] == 0.0)
    ent_diag_add(d, ENT_SEV_WARNING, ENT_OK, sfile, line, col,
                 "shock on '%s' -> '%s' has no effect: the baseline flow "
                 "is 0 (zero flows stay zero)",
                 idx->names[i], idx->names[j]);
}

/* The problem of checked flows fp (or fx, n x n, from the fast reader)
 * and shocks sp (or fs, n_fs of them, from the fast reader) (trade.c owns
 * its layout and lifetime); warns of shocks on zero flows.  NULL if out
 * of memory. */
static ent_trade_problem *build_problem(const char *sfile,
                                        const flows_parse *fp,
                                        const double *fx,
                                        const flows_parse *sp,
                                        const fast_shock *fs, size_t n_fs,
                                        const name_index *idx, size_t n,
                                        ent_diag *d) {
  ent_trade_problem *pb = ent_trade_problem_alloc(n);
  if (!pb) return NULL;
  for (size_t i = 0; i < n; i++) {
    pb->names[i] = ent_arena_strndup(&pb->arena, idx->names[i], idx->len[i]);
  }
  if (fx) memcpy(pb->X, fx, n * n * sizeof *fx);
  for (size_t k = 0; !fx && k < fp->n_e; k++)
    pb->X[fp->e[k].i * n + fp->e[k].j] = fp->e[k].v;
  for (size_t k = 0; sp->e && k < sp->n_e; k++) {
    entry *e = &sp->e[k];
    if (!e->ok || e->i == (size_t)-1 || e->j == (size_t)-1) continue;
    const ent_csv_field *fe = &e->row->fields[sp->hm.col[0]];
    shock_one(pb, sfile, idx, n, e->i, e->j, e->v, fe->line, fe->col, d);
  }
  for (size_t k = 0; k < n_fs; k++)
    shock_one(pb, sfile, idx, n, fs[k].i, fs[k].j, fs[k].v, fs[k].line, 1, d);
  if (pb->arena.failed) {
    ent_trade_problem_destroy(pb);
    return NULL;
  }
  return pb;
}

/* ------------------------------------------------------ the fast reader */

/* The flows file read in one pass without the general CSV reader, for
 * the common file: no quotes, no control or non-ASCII bytes (unless
 * ent_text_find_unsafe finds none), CR only before LF, a three-column
 * header, and valid rows of a square table.  The flows go straight into
 * an n x n array.  On the first thing it does not handle -- which
 * includes every error -- it gives up, and load() reads the file again
 * with parse_rows and the checks, which say what is wrong with the same
 * messages as always; so the fast reader never reports anything.
 * Returns 1 (read: idx holds the countries, *out the n x n flows), 0 (use
 * the general reader; idx may hold names) or -1 (out of memory). */

typedef struct fast_flow {
  uint32_t i, j;
  double v;
} fast_flow;

/* Eight bytes at a time (SWAR): 0x80 in each byte of v that is zero. */
#define SWAR_ONES 0x0101010101010101ull
#define SWAR_LOW7 0x7f7f7f7f7f7f7f7full
#define SWAR_HIGH 0x8080808080808080ull
static uint64_t swar_zero(uint64_t v) {
  return ~(((v & SWAR_LOW7) + SWAR_LOW7) | v | SWAR_LOW7);
}

/* 0x80 in each byte of v equal to c. */
static uint64_t swar_eq(uint64_t v, unsigned char c) {
  return swar_zero(v ^ (SWAR_ONES * c));
}

/* The number of line feeds in t[0..len). */
static size_t count_lf(const char *t, size_t len) {
  size_t n = 0, k = 0;
  for (; k + 8 <= len; k += 8) {
    uint64_t v;
    memcpy(&v, t + k, 8);
    /* one per line feed in each byte, summed into the top byte */
    n += (size_t)(((swar_eq(v, '\n') >> 7) * SWAR_ONES) >> 56);
  }
  for (; k < len; k++) n += t[k] == '\n';
  return n;
}

/* Bytes the fast reader leaves to the general one.  Eight bytes at a
 * time: a word without a control byte (other than line feed and tab), a
 * quote, DEL or a byte above 0x7f needs no closer look.  *lines gets the
 * number of line feeds (count_lf's) when the text is plain (1). */
static int fast_plain(const char *t, size_t len, size_t *lines) {
  int high = 0;
  size_t k = 0, lf = 0;
  for (;;) {
    size_t stop = len;
#if defined(__SSE2__)
    /* sixteen bytes at a time (SSE2, the same test as the words below: a
     * signed byte below 0x20 is a control byte or one above 0x7f); the
     * line feeds counted in byte lanes, summed before they can wrap */
    const __m128i c20 = _mm_set1_epi8(0x20), cnl = _mm_set1_epi8('\n'),
                  ctab = _mm_set1_epi8('\t'), cq = _mm_set1_epi8('"'),
                  cdel = _mm_set1_epi8(0x7f), zero = _mm_setzero_si128();
    __m128i acc = zero;
    int run = 0;
    for (; k + 16 <= len; k += 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + k));
      __m128i nl = _mm_cmpeq_epi8(v, cnl);
      __m128i ok_ctl = _mm_or_si128(nl, _mm_cmpeq_epi8(v, ctab));
      __m128i odd = _mm_or_si128(
          _mm_andnot_si128(ok_ctl, _mm_cmplt_epi8(v, c20)),
          _mm_or_si128(_mm_cmpeq_epi8(v, cq), _mm_cmpeq_epi8(v, cdel)));
      if (_mm_movemask_epi8(odd)) {
        stop = k + 16;
        break;
      }
      acc = _mm_sub_epi8(acc, nl);
      if (++run == 255) {
        __m128i sum = _mm_sad_epu8(acc, zero);
        lf += (size_t)_mm_cvtsi128_si32(sum) +
              (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
        acc = zero;
        run = 0;
      }
    }
    __m128i sum = _mm_sad_epu8(acc, zero);
    lf += (size_t)_mm_cvtsi128_si32(sum) +
          (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
#endif
    for (; stop == len && k + 8 <= len; k += 8) {
      uint64_t v;
      memcpy(&v, t + k, 8);
      /* bytes below 0x20: (b & 0x7f) + 0x60 has no high bit, nor b */
      uint64_t ctl = ~(((v & SWAR_LOW7) + SWAR_ONES * 0x60) | v) & SWAR_HIGH;
      uint64_t del = ((v & SWAR_LOW7) + SWAR_ONES) & SWAR_HIGH; /* 0x7f */
      uint64_t nl = swar_eq(v, '\n');
      uint64_t odd = (ctl & ~nl & ~swar_eq(v, '\t')) | swar_eq(v, '"') |
                     (del & ~v) | (v & SWAR_HIGH);
      if (odd) {
        stop = k + 8;
        break;
      }
      /* one per line feed in each byte, summed into the top byte */
      lf += (size_t)(((nl >> 7) * SWAR_ONES) >> 56);
    }
    for (; k < stop; k++) {
      unsigned char c = (unsigned char)t[k];
      if (c == '"' || c == 0 || c == 0x7f) return 0;
      if (c < 0x20 && c != '\n' && c != '\t' &&
          !(c == '\r' && (k + 1 == len || t[k + 1] == '\n')))
        return 0;
      if (c >= 0x80) high = 1;
      lf += c == '\n';
    }
    if (k >= len) break;
  }
  unsigned cp;
  *lines = lf;
  return !high || ent_text_find_unsafe(t, len, &cp) == len;
}

/* Splits line [s, e) (no line break) at commas into exactly 3 trimmed
 * fields; 0 if it has another number of fields. */
static int fast_fields(const char *s, const char *e, const char *f[3],
                       size_t fl[3]) {
  int k = 0;
  const char *p = s;
  for (;;) {
    const char *c = memchr(p, ',', (size_t)(e - p));
    const char *end = c ? c : e;
    if (k == 3) return 0;
    ent_csv_field fd = {p, (size_t)(end - p), 0, 0};
    trim_field(&fd, &f[k], &fl[k]);
    k++;
    if (!c) break;
    p = c + 1;
  }
  return k == 3;
}

/* A name the general reader would accept (check_name), as an index. */
static size_t fast_name(name_index *idx, const char *s, size_t n) {
  if (n == 0 || n > 200 || memchr(s, '\t', n)) return (size_t)-1;
  return index_find(idx, s, n, 1, 0, 0);
}

/* memcmp(a, b, n) == 0 for the short names of most files: 4..16 bytes
 * as two overlapping words from each end, without a call. */
static inline int same_name(const char *a, const char *b, size_t n) {
  if (n >= 4 && n <= 8) {
    uint32_t x0, y0, x1, y1;
    memcpy(&x0, a, 4);
    memcpy(&y0, b, 4);
    memcpy(&x1, a + n - 4, 4);
    memcpy(&y1, b + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n > 8 && n <= 16) {
    uint64_t x0, y0, x1, y1;
    memcpy(&x0, a, 8);
    memcpy(&y0, b, 8);
    memcpy(&x1, a + n - 8, 8);
    memcpy(&y1, b + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  return memcmp(a, b, n) == 0;
}

/* The common line "name,name,number" with the number last and no tab
 * before it: its three fields (the names' spaces trimmed; the number's
 * are left to the parser, which rejects them and hands the line to the
 * slow split) and the start of the next line; 0 for any other line. */
static int quick_fields(const char *s, const char *end, const char *f[3],
                        size_t n[3], const char **next) {
  const char *p = s;
  for (int k = 0; k < 2; k++) {
    const char *c = p;
    while (c < end && *c != ',' && *c != '\n' && *c != '\t') c++;
    if (c == end || *c != ',') return 0;
    const char *a = p, *b = c;
    while (a < b && *a == ' ') a++;
    while (b > a && b[-1] == ' ') b--;
    f[k] = a;
    n[k] = (size_t)(b - a);
    p = c + 1;
  }
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  const char *e = nl ? nl : end;
  *next = nl ? nl + 1 : end;
  if (e > p && e[-1] == '\r') e--;
  f[2] = p;
  n[2] = (size_t)(e - p);
  return 1;
}

/* The rows of a plain file after its header, as flows; 0 to give up. */
static int fast_rows(const char *t, size_t len, size_t pos, const size_t col[3],
                     name_index *idx, fast_flow *fl, size_t max_rows,
                     size_t *n_rows) {
  size_t r = 0;
  /* the exporter's name is often the previous row's */
  const char *last = NULL;
  size_t last_n = 0, last_i = 0, next_j = 0;
  int quick = col[0] == 0 && col[1] == 1 && col[2] == 2;
  while (pos < len) {
    const char *s = t + pos;
    const char *f[3], *next;
    size_t n[3];
    double v;
    if (quick && *s != '#' && quick_fields(s, t + len, f, n, &next) &&
        n[0] && n[1] && ent_num_parse(f[2], n[2], &v) == 0) {
      /* names without a tab (the line has none before the number) and a
       * number in plain syntax: what the slow split below accepts */
      if (r == max_rows) return 0;
      pos = (size_t)(next - t);
      size_t i, j;
      if (last && n[0] == last_n && same_name(f[0], last, last_n)) {
        i = last_i;
      } else {
        i = n[0] > 200 ? (size_t)-1 : index_find(idx, f[0], n[0], 1, 0, 0);
        last = f[0];
        last_n = n[0];
        last_i = i;
      }
      /* the importer is often the country after the previous one */
      size_t g = next_j < idx->count ? next_j : 0;
      if (g < idx->count && idx->len[g] == n[1] &&
          same_name(idx->names[g], f[1], n[1]))
        j = g;
      else
        j = n[1] > 200 ? (size_t)-1 : index_find(idx, f[1], n[1], 1, 0, 0);
      next_j = j + 1;
      if (i == INDEX_NOMEM || j == INDEX_NOMEM) return -1;
      if (i == (size_t)-1 || j == (size_t)-1 || i > UINT32_MAX ||
          j > UINT32_MAX || !(v >= 0.0))
        return 0;
      fl[r].i = (uint32_t)i;
      fl[r].j = (uint32_t)j;
      fl[r].v = v == 0.0 ? 0.0 : v; /* no -0 */
      r++;
      continue;
    }
    const char *nl = memchr(s, '\n', len - pos);
    const char *e = nl ? nl : t + len;
    pos = nl ? (size_t)(nl - t) + 1 : len;
    if (ent_is_blank(s, (size_t)(e - s)) || *s == '#') continue;
    if (e > s && e[-1] == '\r') e--;
    if (r == max_rows || !fast_fields(s, e, f, n)) return 0;
    size_t i = fast_name(idx, f[col[0]], n[col[0]]);
    size_t j = fast_name(idx, f[col[1]], n[col[1]]);
    const char *why;
    if (i == INDEX_NOMEM || j == INDEX_NOMEM) return -1;
    if (i == (size_t)-1 || j == (size_t)-1 || i > UINT32_MAX ||
        j > UINT32_MAX || ent_parse_double(f[col[2]], n[col[2]], &v, &why) ||
        !(v >= 0.0))
      return 0;
    fl[r].i = (uint32_t)i;
    fl[r].j = (uint32_t)j;
    fl[r].v = v == 0.0 ? 0.0 : v; /* no -0 */
    r++;
  }
  *n_rows = r;
  return 1;
}

/* The rows as an n x n table: square, no duplicates, X_ii > 0, margins
 * finite; NULL to give up (*nomem set when out of memory). */
static double *fast_table(const fast_flow *fl, size_t rows, size_t n,
                          int *nomem) {
  if (n < 2 || n > 46340 || rows != n * n) return NULL;
  double *X = ent_mallocarray(n * n, sizeof *X);
  unsigned char *seen = ent_calloc(n * n, 1);
  double *sums = ent_calloc(2 * n, sizeof *sums);
  int ok = X && seen && sums;
  if (!ok) *nomem = 1;
  /* the exporter's sum kept in a register while its rows follow each
   * other (the same additions in the same order; only their finiteness
   * is used) */
  size_t cur = 0;
  double acc = 0.0;
  for (size_t k = 0; ok && k < rows; k++) {
    size_t i = fl[k].i, ij = i * n + fl[k].j;
    if (seen[ij] || (i == fl[k].j && fl[k].v == 0.0)) ok = 0;
    seen[ij] = 1;
    X[ij] = fl[k].v;
    if (i != cur) {
      sums[cur] = acc;
      cur = i;
      acc = sums[i];
    }
    acc += fl[k].v;
    sums[n + fl[k].j] += fl[k].v;
  }
  sums[cur] = acc;
  for (size_t i = 0; ok && i < 2 * n; i++)
    if (!isfinite(sums[i])) ok = 0;
  ent_free(seen);
  ent_free(sums);
  if (!ok) {
    ent_free(X);
    return NULL;
  }
  return X;
}

/* The byte order mark's length at the start of t. */
static size_t bom_len(const char *t, size_t len) {
  return len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* The flows of a plain text (fast_plain). */
static int fast_flows(const char *t, size_t len, size_t lines,
                      name_index *idx, double **out) {
  *out = NULL;
  size_t pos = bom_len(t, len);
  /* the header: the first line that is not blank or a comment */
  const char *f[3];
  size_t n[3], col[3] = {3, 3, 3};
  for (;;) {
    if (pos >= len) return 0;
    const char *s = t + pos, *nl = memchr(s, '\n', len - pos);
    const char *e = nl ? nl : t + len;
    pos = nl ? (size_t)(nl - t) + 1 : len;
    if (ent_is_blank(s, (size_t)(e - s)) || *s == '#') continue;
    if (e > s && e[-1] == '\r') e--;
    if (!fast_fields(s, e, f, n)) return 0;
    break;
  }
  for (size_t c = 0; c < 3; c++)
    for (size_t k = 0; k < 3; k++)
      if (eq_nocase(f[c], n[c], FLOW_COLS[k])) {
        if (col[k] != 3) return 0;
        col[k] = c;
      }
  if (col[0] == 3 || col[1] == 3 || col[2] == 3) return 0;
  size_t max_rows = 1 + lines; /* at least the rows after the header */
  fast_flow *fl = ent_mallocarray(max_rows, sizeof *fl);
  if (!fl) return -1;
  size_t rows = 0;
  int got = fast_rows(t, len, pos, col, idx, fl, max_rows, &rows), nomem = 0;
  if (got == 1) *out = fast_table(fl, rows, idx->count, &nomem);
  ent_free(fl);
  if (got < 0 || nomem) return -1;
  return *out != NULL;
}

/* The shock file read without the general CSV reader when it is plain
 * (fast_plain), its header is exporter,importer,beta in this order, and
 * every row is valid: two known names (as check_name accepts them), a
 * beta that ent_num_parse reads with a finite exp(beta) (as
 * ent_parse_double gives it) or -inf, -infinity, embargo in any case, no
 * domestic pair, no pair twice.  Returns 1 (*out holds *n_out shocks in
 * file order), 0 (use the general reader, which says what is wrong) or
 * -1 (out of memory). */
static int fast_shocks(const char *t, size_t len, name_index *idx, size_t n,
                       fast_shock **out, size_t *n_out) {
  *out = NULL;
  *n_out = 0;
  size_t pos = bom_len(t, len), lines = 0;
  if (n < 2 || n > 46340 || !fast_plain(t + pos, len - pos, &lines)) return 0;
  fast_shock *sh = ent_mallocarray(lines + 1, sizeof *sh);
  unsigned char *seen = ent_calloc(n * n / 8 + 1, 1); /* a bit a pair */
  if (!sh || !seen) {
    ent_free(sh);
    ent_free(seen);
    return -1;
  }
  size_t r = 0;
  int line = 0, header = 0, ok = 1;
  while (ok && pos < len) {
    const char *s = t + pos, *nl = memchr(s, '\n', len - pos);
    const char *e = nl ? nl : t + len;
    pos = nl ? (size_t)(nl - t) + 1 : len;
    line++;
    if (ent_is_blank(s, (size_t)(e - s)) || *s == '#') continue;
    if (e > s && e[-1] == '\r') e--;
    const char *f[3];
    size_t fl[3];
    if (!fast_fields(s, e, f, fl)) {
      ok = 0;
      break;
    }
    if (!header) {
      for (int k = 0; k < 3; k++)
        if (!eq_nocase(f[k], fl[k], SHOCK_COLS[k])) ok = 0;
      header = 1;
      continue;
    }
    size_t ij[2];
    for (int k = 0; k < 2 && ok; k++) {
      if (fl[k] == 0 || fl[k] > 200 || memchr(f[k], '\t', fl[k])) {
        ok = 0;
        break;
      }
      ij[k] = index_find(idx, f[k], fl[k], 0, 0, 0);
      if (ij[k] >= n) ok = 0;
    }
    if (!ok) break;
    double v;
    if (eq_nocase(f[2], fl[2], "-inf") || eq_nocase(f[2], fl[2], "-infinity") ||
        eq_nocase(f[2], fl[2], "embargo"))
      v = -HUGE_VAL;
    else if (fl[2] >= 128 || ent_num_parse(f[2], fl[2], &v) ||
             !isfinite(exp(v)))
      ok = 0;
    size_t b = ij[0] * n + ij[1];
    if (!ok || ij[0] == ij[1] || (seen[b / 8] >> (b % 8) & 1)) {
      ok = 0;
      break;
    }
    seen[b / 8] |= (unsigned char)(1u << (b % 8));
    sh[r].i = (uint32_t)ij[0];
    sh[r].j = (uint32_t)ij[1];
    sh[r].v = v == 0.0 ? 0.0 : v; /* no -0 */
    sh[r].line = line;
    r++;
  }
  ent_free(seen);
  if (!ok || !header) {
    ent_free(sh);
    return 0;
  }
  *out = sh;
  *n_out = r;
  return 1;
}

/* ------------------------------------------------------------ loading */

/* The flows file through the general reader (parse_rows) and its checks:
 * squareness, duplicates, missing pairs, margins.  *table: the pair table
 * was affordable (the file may be square); *errors counts the problems
 * reported.  -1 when out of memory. */
static int general_flows(const char *ffile, const char *ftext, size_t flen,
                         int ref, name_index *idx, flows_parse *fp,
                         int **seen, int *table, int *errors, ent_diag *d) {
  if (parse_rows(ffile, ftext, flen, FLOW_COLS, 0, idx, ffile, ref, fp, d))
    return -1;
  *errors += fp->errors;
  size_t n = idx->count;
  int flows_ok = fp->csv && fp->e; /* header understood */

  /* Squareness and duplicates, with a pair table when it is affordable
   * (a square table has n^2 rows, so n^2 is bounded by the rows). */
  size_t n_rows_data = fp->n_e;
  *table = flows_ok && n > 0 && n <= 46340 && n * n <= 4 * n_rows_data + 64;
  if (*table) {
    *seen = ent_calloc(n * n, sizeof **seen);
    if (!*seen) return -1;
  }
  if (flows_ok && n == 1) {
    ent_diag_error(d, ffile, fp->csv->rows[0].line, 1,
                   "the flows file names only one country; the model needs "
                   "at least two");
    (*errors)++;
  } else if (flows_ok && n == 0 && fp->errors == 0) {
    ent_diag_error(d, ffile, fp->csv->rows[0].line, 1,
                   "no flows: the file has a header but no rows");
    (*errors)++;
  }
  if (flows_ok && n >= 2 && !*table) {
    ent_diag_error(d, ffile, fp->csv->rows[0].line, 1,
                   "the flows are not a square table: %zu countries need "
                   "%zu exporter-importer pairs (domestic ones included), "
                   "the file has %zu rows",
                   n, n * n, n_rows_data);
    (*errors)++;
  }
  if (*table) {
    *errors += check_flows(ffile, fp, idx, n, *seen, d);
    *errors += report_missing(ffile, fp, idx, n, *seen, d);
  }

  /* Overflow of the margins. */
  if (*table && *errors == 0) {
    int e = check_margins(ffile, fp, idx, n, d);
    if (e < 0) return -1;
    *errors += e;
  }
  return 0;
}

/* Both files, checked and built.  The checks run in the order their
 * messages must come out: flows rows, squareness and duplicates, missing
 * pairs, margins, then the shock file.  The flows go through the fast
 * reader first (not for ref, the reference path of bench_trade); when it
 * gives up, through the general one. */
static ent_status load(const char *ffile, const char *ftext, size_t flen,
                       const char *sfile, const char *stext, size_t slen,
                       int ref, ent_trade_problem **out, ent_diag *d) {
  *out = NULL;
  if (!ffile) ffile = "<flows>";
  if (!sfile) sfile = "<shock>";
  ent_status st = ENT_ENOMEM;
  name_index idx;
  flows_parse fp = {0}, sp = {0};
  int *seen = NULL, *sseen = NULL;
  double *fx = NULL; /* the flows of the fast reader */
  fast_shock *fs = NULL; /* its shocks */
  size_t n_fs = 0;
  ent_trade_problem *pb = NULL;
  memset(&idx, 0, sizeof idx);
  int errors = 0, table = 0;

  /* Upper bound on names: two per line of the flows file (the line feeds
   * counted by the fast reader's first scan when the text is plain). */
  size_t bom = bom_len(ftext, flen), lines = 0;
  int plain = !ref && fast_plain(ftext + bom, flen - bom, &lines);
  if (!plain) lines = count_lf(ftext, flen);
  size_t max_names = 2 + 2 * lines;
  if (index_init(&idx, max_names)) goto done;
  int fast = plain ? fast_flows(ftext, flen, lines, &idx, &fx) : 0;
  if (fast < 0) goto done;
  /* The texts for the messages (the first text given a name is kept). */
  if (!fast || (stext && strcmp(ffile, sfile) == 0))
    ent_diag_set_source(d, ffile, ftext, flen);
  if (stext) ent_diag_set_source(d, sfile, stext, slen);
  if (fast) {
    table = 1;
  } else {
    index_free(&idx); /* the names the fast reader saw */
    if (index_init(&idx, max_names) ||
        general_flows(ffile, ftext, flen, ref, &idx, &fp, &seen, &table,
                      &errors, d))
      goto done;
  }
  size_t n = idx.count;

  /* The shock file: by the fast reader too when the flows were read by
   * it (no errors so far); else, or when it gives up, the general one. */
  int fast_s = 0;
  if (stext && fast) {
    fast_s = fast_shocks(stext, slen, &idx, n, &fs, &n_fs);
    if (fast_s < 0) goto done;
  }
  if (stext && !fast_s) {
    if (parse_rows(sfile, stext, slen, SHOCK_COLS, 1, &idx, ffile, ref, &sp,
                   d))
      goto done;
    errors += sp.errors;
    if (sp.e && n > 0 && n <= 46340) {
      sseen = ent_calloc(n * n, sizeof *sseen);
      if (!sseen) goto done;
      errors += check_shocks(sfile, &sp, &idx, n, sseen, d);
    }
  }

  if (errors || !table || n < 2) {
    st = ENT_EINPUT;
    goto done;
  }

  pb = build_problem(sfile, &fp, fx, &sp, fs, n_fs, &idx, n, d);
  if (!pb) goto done;
  *out = pb;
  pb = NULL;
  st = ENT_OK;

done:
  ent_trade_problem_destroy(pb);
  ent_free(seen);
  ent_free(sseen);
  ent_free(fx);
  ent_free(fs);
  ent_free(fp.e);
  ent_free(sp.e);
  ent_csv_free(fp.csv);
  ent_csv_free(sp.csv);
  index_free(&idx);
  return st;
}

/* ------------------------------------------------------------ public API */

ent_status ent_trade_problem_load_buffers(
    const char *flows_name, const char *flows_text, size_t flows_len,
    const char *shock_name, const char *shock_text, size_t shock_len,
    ent_trade_problem **out, ent_diag *d) {
  if (!out) return ENT_EINVAL;
  *out = NULL;
  if (!flows_text) return ENT_EINVAL;
  return load(flows_name, flows_text, flows_len, shock_name, shock_text,
              shock_len, 0, out, d);
}

/* Both files read, then loaded (ref: numbers through strtod). */
static ent_status load_files(const char *flows_path, const char *shock_path,
                             int ref, ent_trade_problem **out, ent_diag *d) {
  if (!out) return ENT_EINVAL;
  *out = NULL;
  if (!flows_path) return ENT_EINVAL;
  char *ft = NULL, *st = NULL;
  size_t fl = 0, sl = 0;
  ent_status s1 = ent_fileio_read(flows_path, MAX_FILE_BYTES, &ft, &fl, d,
                                  "cannot read flows file '%s'", flows_path);
  ent_status s2 = ENT_OK;
  if (shock_path)
    s2 = ent_fileio_read(shock_path, MAX_FILE_BYTES, &st, &sl, d,
                         "cannot read shock file '%s'", shock_path);
  ent_status r;
  if (s1 == ENT_ENOMEM || s2 == ENT_ENOMEM)
    r = ENT_ENOMEM;
  else if (s1 != ENT_OK || s2 != ENT_OK)
    r = ENT_EIO;
  else
    r = load(flows_path, ft, fl, shock_path, st, sl, ref, out, d);
  ent_free(ft);
  ent_free(st);
  return r;
}

ent_status ent_trade_problem_load_files(const char *flows_path,
                                        const char *shock_path,
                                        ent_trade_problem **out,
                                        ent_diag *d) {
  return load_files(flows_path, shock_path, 0, out, d);
}

ent_status ent_trade_problem_load_files_ref(const char *flows_path,
                                            const char *shock_path,
                                            ent_trade_problem **out,
                                            ent_diag *d) {
  return load_files(flows_path, shock_path, 1, out, d);
}
