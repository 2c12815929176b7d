/*
 * csv.c -- see csv.h.  Two passes over the text: the first counts fields
 * and rows and checks the syntax, the second fills arrays sized by the
 * first, so the reader allocates exactly three blocks.
 */
#include "base/csv.h"

#include <string.h>

typedef struct scan {
  const char *t;
  size_t len, i;
  int line, col;
} scan;

static void adv(scan *s) {
  if (s->t[s->i] == '\n') {
    s->line++;
    s->col = 1;
  } else {
    s->col++;
  }
  s->i++;
}

/* Walk the text.  With rows == NULL only counts; otherwise fills.
 * Long: one pass of the RFC 4180 state machine (quoted and bare fields,
 * line ends, the checks of each field) reads best as one loop. */
static int walk(const char *file, const char *text, size_t len, int flags,
                size_t *n_rows, size_t *n_fields, size_t *n_bytes,
                ent_csv *c, ent_diag *d) {
  scan s = {text, len, 0, 1, 1};
  size_t rows = 0, fields = 0, bytes = 0;
  int errors = 0;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) s.i = 3;
  for (size_t k = s.i; k < len; k++)
    if (text[k] == '\0') {
      if (!c) {
        /* Report the first NUL only; find its position. */
        int line = 1, col = 1;
        for (size_t q = 0; q < k; q++) {
          if (text[q] == '\n') line++, col = 1;
          else col++;
        }
        ent_diag_error(d, file, line, col,
                       "NUL byte in CSV text (binary data?)");
      }
      return -1;
    }
  if (!c) {
    unsigned cp = 0;
    size_t k = ent_text_find_unsafe(text + s.i, len - s.i, &cp) + s.i;
    if (k < len) {
      /* at the start of the field that holds it */
      size_t f = k;
      while (f > 0 && text[f - 1] != ',' && text[f - 1] != '\n') f--;
      int line = 1, col = 1;
      for (size_t q = 0; q < f; q++) {
        if (text[q] == '\n') line++, col = 1;
        else col++;
      }
      ent_diag_error(d, file, line, col,
                     cp < 0x100 ? "control characters in a CSV field (\\x%02x): "
                                  "terminal controls are not allowed"
                                : "bidirectional control \\u%04x in a CSV "
                                  "field: it could disguise what is printed",
                     cp);
      return -1;
    }
  }
  while (s.i < len) {
    /* Start of a line: skip blank and comment lines. */
    size_t e = s.i;
    while (e < len && text[e] != '\n') e++;
    if (ent_is_blank(text + s.i, e - s.i) ||
        ((flags & ENT_CSV_COMMENTS) && text[s.i] == '#')) {
      while (s.i < e) adv(&s);
      if (s.i < len) adv(&s);
      continue;
    }
    ent_csv_row *row = c ? &c->rows[rows] : NULL;
    if (row) {
      row->fields = c->fstore + fields;
      row->n = 0;
      row->line = s.line;
    }
    rows++;
    for (;;) { /* one field */
      ent_csv_field *f = c ? &c->fstore[fields] : NULL;
      char *out = c ? c->store + bytes : NULL;
      if (f) {
        f->line = s.line;
        f->col = s.col;
        f->text = out;
      }
      size_t flen = 0;
      fields++;
      if (s.i < len && text[s.i] == '"') {
        int qline = s.line, qcol = s.col;
        adv(&s);
        int closed = 0;
        while (s.i < len) {
          char ch = text[s.i];
          if (ch == '"') {
            if (s.i + 1 < len && text[s.i + 1] == '"') {
              if (out) out[flen] = '"';
              flen++;
              adv(&s);
              adv(&s);
              continue;
            }
            adv(&s);
            closed = 1;
            break;
          }
          if (ch == '\r' && s.i + 1 < len && text[s.i + 1] == '\n') {
            adv(&s);
            continue;
          }
          if (out) out[flen] = ch;
          flen++;
          adv(&s);
        }
        if (!closed) {
          if (!c)
            ent_diag_error(d, file, qline, qcol,
                           "unterminated quoted field");
          return -1;
        }
        /* After a closing quote: only blanks, then , or end of line. */
        while (s.i < len && (text[s.i] == ' ' || text[s.i] == '\t')) adv(&s);
        if (s.i < len && text[s.i] != ',' && text[s.i] != '\n' &&
            text[s.i] != '\r') {
          if (!c)
            ent_diag_error(d, file, s.line, s.col,
                           "unexpected text after a closing quote");
          errors++;
          while (s.i < len && text[s.i] != ',' && text[s.i] != '\n') adv(&s);
        }
      } else {
        /* Runs of plain bytes at once (no line break inside: only the
         * column moves); a CR is kept unless it ends the line. */
        for (;;) {
          size_t st = s.i;
          while (s.i < len && text[s.i] != ',' && text[s.i] != '\n' &&
                 text[s.i] != '\r')
            s.i++;
          if (out) memcpy(out + flen, text + st, s.i - st);
          flen += s.i - st;
          s.col += (int)(s.i - st);
          if (s.i >= len || text[s.i] != '\r') break;
          if (!(s.i + 1 == len || text[s.i + 1] == '\n')) {
            if (out) out[flen] = '\r';
            flen++;
          }
          adv(&s);
        }
      }
      if (out) out[flen] = '\0';
      if (f) f->len = flen;
      bytes += flen + 1;
      if (row) row->n++;
      if (s.i < len && text[s.i] == ',') {
        adv(&s);
        continue;
      }
      if (s.i < len && text[s.i] == '\r') adv(&s);
      if (s.i < len && text[s.i] == '\n') adv(&s);
      break;
    }
  }
  *n_rows = rows;
  *n_fields = fields;
  *n_bytes = bytes;
  return errors ? -1 : 0;
}

ent_status ent_csv_parse(const char *file, const char *text, size_t len,
                         int flags, ent_csv **out, ent_diag *d) {
  *out = NULL;
  size_t nr = 0, nf = 0, nb = 0;
  if (walk(file, text, len, flags, &nr, &nf, &nb, NULL, d)) return ENT_EINPUT;
  ent_csv *c = ent_calloc(1, sizeof *c);
  if (!c) return ENT_ENOMEM;
  c->rows = ent_mallocarray(nr ? nr : 1, sizeof *c->rows);
  c->fstore = ent_mallocarray(nf ? nf : 1, sizeof *c->fstore);
  c->store = ent_malloc(nb ? nb : 1);
  if (!c->rows || !c->fstore || !c->store) {
    ent_csv_free(c);
    return ENT_ENOMEM;
  }
  size_t r2, f2, b2;
  walk(file, text, len, flags, &r2, &f2, &b2, c, d);
  c->n_rows = nr;
  *out = c;
  return ENT_OK;
}

void ent_csv_free(ent_csv *c) {
  if (!c) return;
  ent_free(c->rows);
  ent_free(c->fstore);
  ent_free(c->store);
  ent_free(c);
}

int ent_csv_rest_empty(const ent_csv_row *r, size_t from) {
  for (size_t i = from; i < r->n; i++)
    if (!ent_is_blank(r->fields[i].text, r->fields[i].len)) return 0;
  return 1;
}

static int csv_needs_quotes(const char *s, int strict) {
  if (strpbrk(s, ",\"\r\n")) return 1;
  if (!strict || s[0] == '\0') return 0;
  return s[0] == ' ' || s[0] == '\t' || s[0] == '#' ||
         s[strlen(s) - 1] == ' ' || s[strlen(s) - 1] == '\t';
}

void ent_csv_write_field(ent_strbuf *b, const char *s, int strict) {
  if (!csv_needs_quotes(s, strict)) {
    ent_strbuf_puts(b, s);
    return;
  }
  ent_strbuf_puts(b, "\"");
  for (; *s; s++) {
    if (*s == '"') ent_strbuf_puts(b, "\"");
    ent_strbuf_append(b, s, 1);
  }
  ent_strbuf_puts(b, "\"");
}

void ent_csv_print_field(FILE *fp, const char *s, int strict) {
  if (!csv_needs_quotes(s, strict)) {
    fputs(s, fp);
    return;
  }
  fputc('"', fp);
  for (; *s; s++) {
    if (*s == '"') fputc('"', fp);
    fputc(*s, fp);
  }
  fputc('"', fp);
}
