/*
 * smp_csv.c -- the loader of KTAB's scenario CSV for the SMP (smp.md
 * §1.2): it parses the text, checks every value at its place in the file
 * with the checks of §1.3 that smp_problem.c owns (ent_smp_check_*), and
 * builds the problem with ent_smp_problem_create.
 *
 * Layout (KTAB's, unchanged):
 *   line 1   <scenario name>,<description>,<N actors>,<M dimensions>[,...]
 *   line 2   3 labels, then <dimension name>,<salience label> per dimension
 *   line 3.. <actor name>,<description>,<capability>,
 *            <position 0>,<salience 0>,<position 1>,<salience 1>,...
 * Positions and saliences are on KTAB's 0-100 scale; fields after the
 * expected ones are ignored (KTAB files end lines with a comma); only the
 * N lines after the header are actors.  Blank lines are skipped, a UTF-8
 * BOM and CRLF line ends are accepted (ent_csv_parse).
 *
 * Every problem is reported with file:line:col (the column of the first
 * non-blank byte of the offending field) and the reader keeps going, so
 * one pass lists them all; no problem is built from an invalid file.
 */
#include "base/csv.h"
#include "base/fileio.h"
#include "strategic/smp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* KTAB's limits on the file's texts (§1.3); those on values are in
 * smp.h. */
enum {
  MAX_SCEN_TEXT = 512,
  MAX_ACTOR_NAME = 25,
  MAX_ACTOR_DESC = 256,
  MAX_DIM_NAME = 256
};
#define MAX_FILE_BYTES ((size_t)256 << 20)

/* A field's text with blanks trimmed and one pair of surrounding double
 * quotes removed; col is adjusted to the first byte kept. */
typedef struct text {
  const char *s;
  size_t n;
  int line, col;
} text;

static text field_text(const ent_csv_field *f) {
  text t = {f->text, f->len, f->line, f->col};
  while (t.n && (t.s[0] == ' ' || t.s[0] == '\t')) t.s++, t.n--, t.col++;
  while (t.n && (t.s[t.n - 1] == ' ' || t.s[t.n - 1] == '\t' ||
                 t.s[t.n - 1] == '\r'))
    t.n--;
  if (t.n >= 2 && t.s[0] == '"' && t.s[t.n - 1] == '"') {
    t.s++;
    t.n -= 2;
    t.col++;
  }
  return t;
}

/* Position just after the last field of a row (for "missing field"). */
static void row_end(const ent_csv_row *r, int *line, int *col) {
  const ent_csv_field *f = &r->fields[r->n - 1];
  *line = f->line;
  *col = f->col + (int)f->len;
}

static int valid_utf8(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    size_t extra;
    unsigned min;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      min = 0x80;
      c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      min = 0x800;
      c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      min = 0x10000;
      c &= 0x07;
    } else {
      return 0;
    }
    if (extra >= n - i) return 0; /* truncated sequence */
    for (size_t k = 1; k <= extra; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return 0;
      c = (c << 6) | (p[i + k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    i += extra + 1;
  }
  return 1;
}

/* Check a text field: length limit, UTF-8, optionally non-empty.
 * Returns 0 if fine. */
static int check_text(ent_diag *d, const char *file, const text *t,
                      const char *what, size_t max, int need) {
  if (need && t->n == 0) {
    ent_diag_error(d, file, t->line, t->col, "%s is empty", what);
    return -1;
  }
  if (t->n > max) {
    ent_diag_error(d, file, t->line, t->col,
                   "%s is %zu bytes long, KTAB allows at most %zu", what, t->n,
                   max);
    return -1;
  }
  if (!valid_utf8(t->s, t->n)) {
    ent_diag_error(d, file, t->line, t->col, "%s is not valid UTF-8 text",
                   what);
    return -1;
  }
  return 0;
}

/* Parse a number field; reports and returns -1 on failure. */
static int number(ent_diag *d, const char *file, const ent_csv_field *f,
                  const char *what, const char *actor, double *out) {
  text t = field_text(f);
  const char *why;
  if (ent_parse_double(t.s, t.n, out, &why)) {
    ent_diag_error(d, file, t.line, t.col, "%s of '%.*s': %s ('%.*s')", what,
                   (int)strlen(actor), actor, why, (int)(t.n > 40 ? 40 : t.n),
                   t.s);
    return -1;
  }
  return 0;
}

static ent_status build(const char *file, const ent_csv *c, size_t N,
                        size_t M, ent_smp_problem **out);

/* The scenario line, the header line, then every actor line, each value
 * checked where it stands.  Long: one pass in file order
 * keeps the messages in file order, with the counts of line 1 deciding
 * how the later lines are read. */
ent_status ent_smp_load_buffer(const char *name, const char *buf, size_t len,
                               ent_smp_problem **out, ent_diag *d) {
  if (out) *out = NULL;
  if (!out || (!buf && len)) return ENT_EINVAL;
  const char *file = name ? name : "<buffer>";
  if (!buf) buf = "";
  ent_diag_set_source(d, file, buf, len);
  size_t errs0 = ent_diag_errors(d);
  if (ent_is_blank(buf, len) ||
      (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) &&
       ent_is_blank(buf + 3, len - 3))) {
    ent_diag_error(d, file, 1, 1,
                   "empty file: expected KTAB's scenario line "
                   "'<name>,<description>,<actors>,<dimensions>'");
    return ENT_EINPUT;
  }
  ent_csv *c = NULL;
  ent_status st = ent_csv_parse(file, buf, len, 0, &c, d);
  if (st != ENT_OK) return st;

  /* Line 1: scenario. */
  const ent_csv_row *r0 = &c->rows[0];
  size_t N = 0, M = 0;
  int n_ok = 0, m_ok = 0;
  if (r0->n < 4) {
    int l, col;
    row_end(r0, &l, &col);
    ent_diag_error(d, file, l, col,
                   "scenario line has %zu field%s, expected 4: "
                   "'<name>,<description>,<actors>,<dimensions>'",
                   r0->n, r0->n == 1 ? "" : "s");
  } else {
    text t = field_text(&r0->fields[0]);
    check_text(d, file, &t, "scenario name", MAX_SCEN_TEXT, 0);
    t = field_text(&r0->fields[1]);
    check_text(d, file, &t, "scenario description", MAX_SCEN_TEXT, 0);
    unsigned long u;
    const char *why;
    t = field_text(&r0->fields[2]);
    if (ent_parse_uint(t.s, t.n, 1000000, &u, &why))
      ent_diag_error(d, file, t.line, t.col,
                     "number of actors '%.*s': %s", (int)(t.n > 40 ? 40 : t.n),
                     t.s, why);
    else if (!ent_smp_check_actor_count(d, file, t.line, t.col, u))
      N = (size_t)u, n_ok = 1;
    t = field_text(&r0->fields[3]);
    if (ent_parse_uint(t.s, t.n, 1000000000, &u, &why))
      ent_diag_error(d, file, t.line, t.col,
                     "number of dimensions '%.*s': %s",
                     (int)(t.n > 40 ? 40 : t.n), t.s, why);
    else if (!ent_smp_check_dim_count(d, file, t.line, t.col, u))
      M = (size_t)u, m_ok = 1;
  }

  /* Line 2: header with the dimension names. */
  if (c->n_rows < 2) {
    int l, col;
    row_end(r0, &l, &col);
    ent_diag_error(d, file, l + 1, 1,
                   "missing header line (3 labels, then a name and a "
                   "salience label per dimension)");
  } else if (m_ok) {
    const ent_csv_row *r1 = &c->rows[1];
    if (r1->n < 3 + 2 * M) {
      int l, col;
      row_end(r1, &l, &col);
      ent_diag_error(d, file, l, col,
                     "header line has %zu fields, expected %zu (3 labels, "
                     "then a name and a salience label for each of %zu "
                     "dimension%s)",
                     r1->n, 3 + 2 * M, M, M == 1 ? "" : "s");
    } else {
      for (size_t k = 0; k < M; k++) {
        text t = field_text(&r1->fields[3 + 2 * k]);
        check_text(d, file, &t, "dimension name", MAX_DIM_NAME, 0);
      }
    }
  }

  /* Actor lines. */
  size_t have = c->n_rows > 2 ? c->n_rows - 2 : 0;
  size_t check = n_ok ? (have < N ? have : N) : have;
  char aname[MAX_ACTOR_NAME + 8];
  for (size_t a = 0; a < check; a++) {
    const ent_csv_row *r = &c->rows[2 + a];
    text tn = field_text(&r->fields[0]);
    int name_ok = !check_text(d, file, &tn, "actor name", MAX_ACTOR_NAME, 1);
    if (name_ok)
      snprintf(aname, sizeof aname, "%.*s", (int)tn.n, tn.s);
    else
      snprintf(aname, sizeof aname, "actor %zu", a + 1);
    size_t need = 3 + 2 * (m_ok ? M : 0);
    if (r->n < need) {
      int l, col;
      row_end(r, &l, &col);
      ent_diag_error(d, file, l, col,
                     "line of actor '%s' has %zu field%s, expected %zu (name, "
                     "description, capability%s)",
                     aname, r->n, r->n == 1 ? "" : "s", need,
                     m_ok ? ", then position and salience per dimension" : "");
    }
    if (r->n >= 2) {
      text t = field_text(&r->fields[1]);
      check_text(d, file, &t, "actor description", MAX_ACTOR_DESC, 0);
    }
    double v;
    if (r->n >= 3 && !number(d, file, &r->fields[2], "capability", aname, &v)) {
      text t = field_text(&r->fields[2]);
      ent_smp_check_capability(d, file, t.line, t.col, aname, v);
    }
    if (!m_ok) continue;
    ent_smp_salsum acc = ENT_SMP_SALSUM_INIT;
    for (size_t k = 0; k < M; k++) {
      size_t fp = 3 + 2 * k, fs = fp + 1;
      if (fp < r->n &&
          !number(d, file, &r->fields[fp], "position", aname, &v)) {
        text t = field_text(&r->fields[fp]);
        ent_smp_check_position(d, file, t.line, t.col, aname, k, v);
      }
      if (fs < r->n &&
          !number(d, file, &r->fields[fs], "salience", aname, &v)) {
        text t = field_text(&r->fields[fs]);
        ent_smp_check_salience(d, file, t.line, t.col, aname, k, v, &acc);
      } else {
        acc.all_ok = 0;
      }
    }
    if (acc.all_ok) {
      text t = field_text(&r->fields[4]);
      ent_smp_check_salience_total(d, file, t.line, t.col, aname, &acc);
    }
  }
  if (n_ok && have < N) {
    int l, col;
    const ent_csv_row *last = &c->rows[c->n_rows - 1];
    row_end(last, &l, &col);
    ent_diag_error(d, file, l + 1, 1,
                   "the scenario line declares %zu actors but the file has "
                   "%zu actor line%s",
                   N, have, have == 1 ? "" : "s");
  } else if (n_ok && have > N) {
    const ent_csv_row *extra = &c->rows[2 + N];
    ent_diag_add(d, ENT_SEV_WARNING, ENT_EINPUT, file, extra->line, 1,
                 "%zu line%s after the %zu declared actors ignored (as KTAB "
                 "does)",
                 have - N, have - N == 1 ? "" : "s", N);
  }
  if (ent_diag_errors(d) > errs0 || !n_ok || !m_ok) {
    ent_csv_free(c);
    return ENT_EINPUT;
  }
  st = build(file, c, N, M, out);
  ent_csv_free(c);
  return st;
}

/* Build the problem from a validated CSV: the trimmed texts and the
 * numbers as arrays, then ent_smp_problem_create (which finds nothing more
 * to report). */
static ent_status build(const char *file, const ent_csv *c, size_t N,
                        size_t M, ent_smp_problem **out) {
  ent_arena tmp;
  ent_arena_init(&tmp);
  const char **actor = ent_arena_array(&tmp, N, sizeof *actor);
  const char **actor_desc = ent_arena_array(&tmp, N, sizeof *actor_desc);
  const char **dim = ent_arena_array(&tmp, M, sizeof *dim);
  double *cap = ent_arena_array(&tmp, N, sizeof *cap);
  double *pos = ent_arena_array(&tmp, N * M, sizeof *pos);
  double *sal = ent_arena_array(&tmp, N * M, sizeof *sal);
  ent_status st = ENT_ENOMEM;
  if (tmp.failed) goto out;
  text t = field_text(&c->rows[0].fields[0]);
  const char *name = ent_arena_strndup(&tmp, t.s, t.n);
  t = field_text(&c->rows[0].fields[1]);
  const char *desc = ent_arena_strndup(&tmp, t.s, t.n);
  for (size_t k = 0; k < M; k++) {
    t = field_text(&c->rows[1].fields[3 + 2 * k]);
    dim[k] = ent_arena_strndup(&tmp, t.s, t.n);
  }
  const char *why;
  for (size_t i = 0; i < N; i++) {
    const ent_csv_row *r = &c->rows[2 + i];
    t = field_text(&r->fields[0]);
    actor[i] = ent_arena_strndup(&tmp, t.s, t.n);
    t = field_text(&r->fields[1]);
    actor_desc[i] = ent_arena_strndup(&tmp, t.s, t.n);
    t = field_text(&r->fields[2]);
    ent_parse_double(t.s, t.n, &cap[i], &why);
    for (size_t k = 0; k < M; k++) {
      t = field_text(&r->fields[3 + 2 * k]);
      ent_parse_double(t.s, t.n, &pos[i * M + k], &why);
      t = field_text(&r->fields[4 + 2 * k]);
      ent_parse_double(t.s, t.n, &sal[i * M + k], &why);
    }
  }
  if (tmp.failed) goto out;
  ent_smp_spec sp = {file, name, desc, N, M, actor, actor_desc, dim,
                     cap, pos, sal};
  st = ent_smp_problem_create(&sp, out, NULL);
out:
  ent_arena_free(&tmp);
  return st;
}

ent_status ent_smp_load_file(const char *path, ent_smp_problem **out,
                             ent_diag *d) {
  if (out) *out = NULL;
  if (!path || !out) return ENT_EINVAL;
  char *buf;
  size_t len;
  ent_status st = ent_fileio_read(path, MAX_FILE_BYTES, &buf, &len, d,
                                  "cannot read the file");
  if (st == ENT_OK) st = ent_smp_load_buffer(path, buf, len, out, d);
  ent_free(buf);
  return st;
}
