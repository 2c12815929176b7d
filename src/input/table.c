/*
 * table.c -- Predictioneer-style actor tables (CSV) -> a one-issue model.
 *
 *   actor,capability,position,salience
 *   Netherlands,0.08,4,80
 *
 * Columns are found by header name (any order, case-insensitive); columns
 * named note, notes, source or why are kept as rationale text, any other
 * extra column is an error.  Salience is on 0-100.  The issue's scale is
 * the range of the positions.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/csv.h"
#include "base/fileio.h"
#include "input/scenario.h"
#include "strategic/eum.h"
#include "strategic/smp.h"

enum { COL_ACTOR, COL_CAP, COL_POS, COL_SAL, COL_WHY, NCOL };

static const char *const col_names[NCOL] = {"actor", "capability", "position",
                                            "salience", "note"};

/* Finds the columns of header line h: col[c] is the field index of column
 * c or -1.  Reports unknown, duplicate and missing columns; -1 if the line
 * is not a header at all. */
static int header_columns(const char *name, const ent_csv_row *h,
                          int col[NCOL], ent_diag *d) {
  for (int c = 0; c < NCOL; c++) col[c] = -1;
  int known = 0;
  for (size_t i = 0; i < h->n; i++)
    for (int c = 0; c < NCOL; c++)
      if (!strcasecmp(h->fields[i].text, col_names[c])) known++;
  if (known == 0) {
    ent_diag_error(d, name, h->line, 1,
                   "the first line is not a header (expected "
                   "actor,capability,position,salience)");
    return -1;
  }
  for (size_t i = 0; i < h->n; i++) {
    const ent_csv_field *f = &h->fields[i];
    char key[32];
    size_t k = 0;
    for (size_t q = 0; q < f->len && k + 1 < sizeof key; q++)
      if (f->text[q] != ' ' && f->text[q] != '\t') key[k++] = f->text[q];
    key[k] = '\0';
    if (k == 0 && i + 1 == h->n && i > 0) continue; /* trailing comma */
    int which = -1;
    for (int c = 0; c < NCOL; c++)
      if (!strcasecmp(key, col_names[c])) which = c;
    if (!strcasecmp(key, "notes") || !strcasecmp(key, "source") ||
        !strcasecmp(key, "why"))
      which = COL_WHY;
    if (which < 0) {
      ent_diag_error(d, name, f->line, f->col,
                     "unknown column '%.40s' (expected actor, capability, "
                     "position, salience and optionally note)", f->text);
      continue;
    }
    if (col[which] >= 0) {
      ent_diag_error(d, name, f->line, f->col, "duplicate column '%s'",
                     col_names[which]);
      continue;
    }
    col[which] = (int)i;
  }
  for (int c = 0; c < COL_WHY; c++)
    if (col[c] < 0)
      ent_diag_error(d, name, h->line, 1,
                     "missing column '%s' in the header (expected "
                     "actor,capability,position,salience)", col_names[c]);
  return 0;
}

/* Reads data line `row` (header of ncols fields, columns col) into the next
 * actor of m and stake of is; reports every problem of the line and then
 * adds nothing. */
static void read_row(const char *name, const ent_csv_row *row, size_t ncols,
                     const int col[NCOL], ent_model *m, ent_issue *is,
                     ent_diag *d) {
  if (row->n < ncols) {
    ent_diag_error(d, name, row->line,
                   row->fields[row->n - 1].col +
                       (int)row->fields[row->n - 1].len,
                   "line has %zu field%s, the header has %zu", row->n,
                   row->n == 1 ? "" : "s", ncols);
    return;
  }
  if (row->n > ncols && !ent_csv_rest_empty(row, ncols)) {
    const ent_csv_field *f = &row->fields[ncols];
    ent_diag_error(d, name, f->line, f->col,
                   "line has %zu fields, the header has %zu", row->n, ncols);
    return;
  }
  const ent_csv_field *fa = &row->fields[col[COL_ACTOR]];
  ent_actor a = {0};
  ent_stake s = {0};
  int ok = 1;
  if (fa->len == 0 || ent_is_blank(fa->text, fa->len)) {
    ent_diag_error(d, name, fa->line, fa->col, "empty actor name");
    ok = 0;
  } else if (fa->len > 200) {
    ent_diag_error(d, name, fa->line, fa->col,
                   "actor name is longer than 200 characters");
    ok = 0;
  } else {
    for (size_t q = 0; q < m->n_actors; q++)
      if (!strcmp(m->actors[q].name, fa->text)) {
        ent_diag_error(d, name, fa->line, fa->col,
                       "duplicate actor '%.60s' (first on line %d)",
                       fa->text, m->actors[q].at.line);
        ok = 0;
        break;
      }
  }
  struct {
    int c;
    const char *what;
    double *v;
    double lo, hi;
  } num[3] = {{COL_CAP, "capability", &s.capability, 0.0, 1e12},
              {COL_POS, "position", &s.position, -1e12, 1e12},
              {COL_SAL, "salience", &s.salience, 0.0, 100.0}};
  for (int k = 0; k < 3; k++) {
    const ent_csv_field *f = &row->fields[col[num[k].c]];
    const char *reason;
    if (ent_parse_double(f->text, f->len, num[k].v, &reason)) {
      ent_diag_error(d, name, f->line, f->col, "%s '%.40s': %s", num[k].what,
                     f->text, reason);
      ok = 0;
    } else if (*num[k].v < num[k].lo || *num[k].v > num[k].hi) {
      ent_diag_error(d, name, f->line, f->col, "%s %g is outside [%g, %g]",
                     num[k].what, *num[k].v, num[k].lo, num[k].hi);
      ok = 0;
    }
  }
  if (!ok) return;
  a.name = ent_arena_strndup(&m->arena, fa->text, fa->len);
  a.id = a.name;
  a.kind = "state";
  a.at.line = row->line;
  a.at.col = 1;
  if (col[COL_WHY] >= 0 && row->fields[col[COL_WHY]].len)
    s.why = ent_arena_strdup(&m->arena, row->fields[col[COL_WHY]].text);
  s.actor = m->n_actors;
  s.salience /= 100.0;
  s.at = a.at;
  m->actors[m->n_actors++] = a;
  s.ideal = s.position;
  is->stakes[is->n_stakes++] = s;
}

ent_status ent_table_load_buffer(const char *name, const char *text,
                                 size_t len, ent_model **out, ent_diag *d) {
  *out = NULL;
  if (!name) name = "<table>";
  ent_diag_set_source(d, name, text, len);
  size_t errors_before = ent_diag_errors(d);
  if (len == 0 || ent_is_blank(text, len)) {
    ent_diag_error(d, name, 1, 1, "the table is empty (expected a header "
                                  "line actor,capability,position,salience)");
    return ENT_EINPUT;
  }
  ent_csv *csv;
  ent_status st = ent_csv_parse(name, text, len, ENT_CSV_COMMENTS, &csv, d);
  if (st != ENT_OK) return st;
  if (csv->n_rows == 0) {
    ent_diag_error(d, name, 1, 1, "the table has no lines");
    ent_csv_free(csv);
    return ENT_EINPUT;
  }
  /* Header. */
  const ent_csv_row *h = &csv->rows[0];
  int col[NCOL];
  if (header_columns(name, h, col, d)) {
    ent_csv_free(csv);
    return ENT_EINPUT;
  }
  if (ent_diag_errors(d) > errors_before) {
    ent_csv_free(csv);
    return ENT_EINPUT;
  }
  ent_model *m = ent_model_new();
  if (!m) {
    ent_csv_free(csv);
    return ENT_ENOMEM;
  }
  ent_eum_opts_default(&m->eum);
  size_t rows = csv->n_rows - 1;
  if (rows > ENT_MAX_ISSUE_ACTORS) {
    ent_diag_error(d, name, csv->rows[ENT_MAX_ISSUE_ACTORS + 1].line, 1,
                   "the table has %zu actors: at most %d are allowed (the "
                   "model's cost grows with the cube of the actors; "
                   "docs/scenario-format.md, \"Limits\")", rows,
                   ENT_MAX_ISSUE_ACTORS);
    ent_csv_free(csv);
    ent_model_destroy(m);
    return ENT_EINPUT;
  }
  m->actors = ent_arena_array(&m->arena, rows ? rows : 1, sizeof *m->actors);
  ent_issue *is = ent_arena_alloc(&m->arena, sizeof *is);
  if (is) is->stakes = ent_arena_array(&m->arena, rows ? rows : 1,
                                       sizeof *is->stakes);
  if (!m->actors || !is || !is->stakes) {
    ent_csv_free(csv);
    ent_model_destroy(m);
    return ENT_ENOMEM;
  }
  size_t ncols = h->n;
  while (ncols > 0 && h->fields[ncols - 1].len == 0) ncols--;
  for (size_t r = 1; r < csv->n_rows; r++)
    read_row(name, &csv->rows[r], ncols, col, m, is, d);
  int fatal = ent_diag_errors(d) > errors_before;
  if (!fatal && is->n_stakes < 2) {
    ent_diag_error(d, name, csv->rows[csv->n_rows - 1].line, 1,
                   "the table has %zu actor%s: bargaining needs at least 2",
                   is->n_stakes, is->n_stakes == 1 ? "" : "s");
    fatal = 1;
  }
  double tw = 0.0, lo = INFINITY, hi = -INFINITY;
  for (size_t q = 0; q < is->n_stakes; q++) {
    tw += is->stakes[q].capability * is->stakes[q].salience;
    if (is->stakes[q].position < lo) lo = is->stakes[q].position;
    if (is->stakes[q].position > hi) hi = is->stakes[q].position;
  }
  if (!fatal && !(tw > 0.0)) {
    ent_diag_error(d, name, h->line, 1,
                   "every actor has zero weight (capability x salience)");
    fatal = 1;
  }
  ent_csv_free(csv);
  if (fatal || m->arena.failed) {
    ent_model_destroy(m);
    return fatal ? ENT_EINPUT : ENT_ENOMEM;
  }
  /* The one issue. */
  const char *base = strrchr(name, '/');
  base = base ? base + 1 : name;
  is->id = "issue";
  is->question = ent_arena_strdup(&m->arena, base);
  is->lo = lo;
  is->hi = hi > lo ? hi : lo + 1.0;
  is->eum = m->eum;
  is->n_dims = 1;
  ent_smp_opts_default(&is->smp);
  m->issues = is;
  m->n_issues = 1;
  m->id = ent_arena_strdup(&m->arena, base);
  m->title = m->id;
  m->source = ent_arena_strdup(&m->arena, name);
  m->text = ent_arena_strndup(&m->arena, text, len);
  m->text_len = len;
  if (m->arena.failed) {
    ent_model_destroy(m);
    return ENT_ENOMEM;
  }
  *out = m;
  return ENT_OK;
}

ent_status ent_table_load_file(const char *path, ent_model **out,
                               ent_diag *d) {
  *out = NULL;
  char *buf;
  size_t len;
  ent_status st = ent_fileio_read(path, ENT_MAX_INPUT_BYTES, &buf, &len, d,
                                  "cannot read table");
  if (st == ENT_OK) st = ent_table_load_buffer(path, buf, len, out, d);
  ent_free(buf);
  return st;
}
