/*
 * ledger_load.c -- read a ledger of resolvable questions (CSV; the format
 * is in model/ledger.h and docs/score.md) into an ent_ledger.
 *
 * The header must start with the eleven columns of the format, in their
 * order, spelled exactly; further columns are allowed and ignored.  Every
 * problem of every row is reported in one pass as file:line:col; nothing
 * is returned from a ledger with any error.
 */
#include <string.h>

#include "base/csv.h"
#include "base/diag.h"
#include "input/ledger_load.h"

static const char *const COLS[] = {"id",        "as_of",  "question", "variable",
                                   "entity",    "year",   "op",       "threshold",
                                   "threshold2", "outcome", "source"};
enum { C_ID, C_AS_OF, C_QUESTION, C_VARIABLE, C_ENTITY, C_YEAR, C_OP, C_T1,
       C_T2, C_OUTCOME, C_SOURCE, NCOLS };

#define MAX_QUESTIONS 100000
#define MAX_LEDGER_BYTES (16u * 1024u * 1024u)

static const char *field_text(ent_ledger *l, const ent_csv_field *f) {
  /* trim blanks around the field */
  size_t a = 0, b = f->len;
  while (a < b && (f->text[a] == ' ' || f->text[a] == '\t')) a++;
  while (b > a && (f->text[b - 1] == ' ' || f->text[b - 1] == '\t')) b--;
  return ent_arena_strndup(&l->arena, f->text + a, b - a);
}

static int need_text(ent_diag *d, const char *name, const ent_csv_field *f,
                     const char *s, const char *what) {
  if (s && *s) return 0;
  ent_diag_error(d, name, f->line, f->col, "%s is empty", what);
  return -1;
}

static int parse_number(ent_diag *d, const char *name, const ent_csv_field *f,
                        const char *what, double *out) {
  const char *why;
  if (ent_parse_double(f->text, f->len, out, &why) == 0) return 0;
  ent_diag_error(d, name, f->line, f->col, "%s '%.40s' is not a number: %s",
                 what, f->text, why);
  return -1;
}

/* One data row into q; returns the number of problems reported. */
static int read_row(ent_ledger *l, const ent_csv_row *r, ent_ledger_q *q,
                    ent_diag *d) {
  const char *name = l->file;
  int bad = 0;
  const ent_csv_field *f = r->fields;
  q->id = field_text(l, &f[C_ID]);
  q->as_of = field_text(l, &f[C_AS_OF]);
  q->question = field_text(l, &f[C_QUESTION]);
  q->variable = field_text(l, &f[C_VARIABLE]);
  q->entity = field_text(l, &f[C_ENTITY]);
  q->source = field_text(l, &f[C_SOURCE]);
  if (l->arena.failed) return 0;
  static const int kept[ENT_LEDGER_NPOS] = {C_ID, C_AS_OF, C_VARIABLE,
                                            C_ENTITY, C_YEAR, C_T1};
  for (int k = 0; k < ENT_LEDGER_NPOS; k++) {
    q->at[k].line = f[kept[k]].line;
    q->at[k].col = f[kept[k]].col;
  }
  bad -= need_text(d, name, &f[C_ID], q->id, "id");
  bad -= need_text(d, name, &f[C_AS_OF], q->as_of, "as_of");
  bad -= need_text(d, name, &f[C_VARIABLE], q->variable, "variable");
  bad -= need_text(d, name, &f[C_ENTITY], q->entity, "entity");
  bad -= need_text(d, name, &f[C_SOURCE], q->source, "source");
  unsigned long y;
  const char *why;
  if (ent_parse_uint(f[C_YEAR].text, f[C_YEAR].len, 9999, &y, &why) || y < 1000) {
    ent_diag_error(d, name, f[C_YEAR].line, f[C_YEAR].col,
                   "year '%.40s' is not a year (1000-9999)", f[C_YEAR].text);
    bad++;
  } else {
    q->year = (int)y;
  }
  const char *op = field_text(l, &f[C_OP]);
  int k = op ? ent_ledger_op_parse(op) : -1;
  if (k < 0) {
    ent_diag_error(d, name, f[C_OP].line, f[C_OP].col,
                   "op '%.40s' is not one of >=, >, <=, <, between",
                   f[C_OP].text);
    bad++;
  } else {
    q->op = (ent_ledger_op)k;
  }
  if (parse_number(d, name, &f[C_T1], "threshold", &q->threshold)) bad++;
  const char *t2 = field_text(l, &f[C_T2]);
  if (k == ENT_LEDGER_BETWEEN) {
    if (!t2 || !*t2) {
      ent_diag_error(d, name, f[C_T2].line, f[C_T2].col,
                     "op 'between' needs threshold2");
      bad++;
    } else if (parse_number(d, name, &f[C_T2], "threshold2", &q->threshold2)) {
      bad++;
    } else if (q->threshold2 < q->threshold) {
      ent_diag_error(d, name, f[C_T2].line, f[C_T2].col,
                     "threshold2 %g is below threshold %g", q->threshold2,
                     q->threshold);
      bad++;
    }
  } else if (k >= 0 && t2 && *t2) {
    ent_diag_error(d, name, f[C_T2].line, f[C_T2].col,
                   "threshold2 is only for op 'between' (op is '%s')", op);
    bad++;
  }
  const char *oc = field_text(l, &f[C_OUTCOME]);
  if (oc && (!strcmp(oc, "0") || !strcmp(oc, "1"))) {
    q->outcome = oc[0] == '1';
  } else {
    ent_diag_error(d, name, f[C_OUTCOME].line, f[C_OUTCOME].col,
                   "outcome '%.40s' must be 0 or 1", f[C_OUTCOME].text);
    bad++;
  }
  return bad;
}

static int check_header(const char *name, const ent_csv_row *h, ent_diag *d) {
  for (size_t c = 0; c < NCOLS; c++) {
    if (c >= h->n) {
      ent_diag_error(d, name, h->line, 1,
                     "the header has %zu columns; a ledger needs id, as_of, "
                     "question, variable, entity, year, op, threshold, "
                     "threshold2, outcome, source (more may follow)", h->n);
      return -1;
    }
    if (strcmp(h->fields[c].text, COLS[c])) {
      ent_diag_error(d, name, h->fields[c].line, h->fields[c].col,
                     "column %zu of the header is '%.40s', expected '%s'",
                     c + 1, h->fields[c].text, COLS[c]);
      return -1;
    }
  }
  return 0;
}

ent_status ent_ledger_load_buffer(const char *name, const char *text,
                                  size_t len, ent_ledger **out, ent_diag *d) {
  *out = NULL;
  if (!name) name = "<ledger>";
  ent_diag_set_source(d, name, text, len);
  if (len == 0 || ent_is_blank(text, len)) {
    ent_diag_error(d, name, 1, 1, "the ledger is empty (expected a header "
                                  "line id,as_of,question,...)");
    return ENT_EINPUT;
  }
  ent_csv *csv;
  ent_status st = ent_csv_parse(name, text, len, ENT_CSV_COMMENTS, &csv, d);
  if (st != ENT_OK) return st;
  if (check_header(name, &csv->rows[0], d)) {
    ent_csv_free(csv);
    return ENT_EINPUT;
  }
  if (csv->n_rows < 2 || csv->n_rows - 1 > MAX_QUESTIONS) {
    ent_diag_error(d, name, csv->rows[0].line, 1,
                   csv->n_rows < 2 ? "the ledger has no questions"
                                   : "the ledger has more than %d questions",
                   MAX_QUESTIONS);
    ent_csv_free(csv);
    return ENT_EINPUT;
  }
  ent_arena a;
  ent_arena_init(&a);
  ent_ledger *l = ent_arena_alloc(&a, sizeof *l);
  if (!l) {
    ent_arena_free(&a);
    ent_csv_free(csv);
    return ENT_ENOMEM;
  }
  l->arena = a; /* the copy in l is the owner from here on */
  l->file = ent_arena_strdup(&l->arena, name);
  l->n = csv->n_rows - 1;
  l->q = ent_arena_array(&l->arena, l->n, sizeof *l->q);
  int bad = 0;
  for (size_t i = 0; i < l->n && !l->arena.failed; i++) {
    const ent_csv_row *r = &csv->rows[i + 1];
    if (r->n < NCOLS) {
      ent_diag_error(d, name, r->line,
                     r->n ? r->fields[r->n - 1].col + (int)r->fields[r->n - 1].len
                          : 1,
                     "the row has %zu fields, expected at least %d", r->n,
                     NCOLS);
      bad++;
      continue;
    }
    bad += read_row(l, r, &l->q[i], d);
    for (size_t j = 0; j < i && l->q[i].id && *l->q[i].id; j++)
      if (l->q[j].id && !strcmp(l->q[j].id, l->q[i].id)) {
        ent_diag_error(d, name, r->fields[C_ID].line, r->fields[C_ID].col,
                       "question id '%.40s' is used twice (first on line %d)",
                       l->q[i].id, l->q[j].at[ENT_LEDGER_COL_ID].line);
        bad++;
        break;
      }
  }
  ent_csv_free(csv);
  if (l->arena.failed) {
    ent_ledger_free(l);
    return ENT_ENOMEM;
  }
  if (bad) {
    ent_ledger_free(l);
    return ENT_EINPUT;
  }
  *out = l;
  return ENT_OK;
}

ent_status ent_ledger_load_file(const char *path, ent_ledger **out,
                                ent_diag *d) {
  *out = NULL;
  char *buf;
  size_t len;
  const char *why;
  ent_status st = ent_read_file(path, MAX_LEDGER_BYTES, &buf, &len, &why);
  if (st != ENT_OK) {
    ent_diag_add(d, ENT_SEV_ERROR, st, path, 0, 0, "cannot read ledger: %s",
                 why);
    return st;
  }
  st = ent_ledger_load_buffer(path, buf, len, out, d);
  ent_free(buf);
  return st;
}
