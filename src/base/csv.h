/*
 * csv.h -- a strict RFC 4180 reader that keeps source positions.
 *
 * Accepts a UTF-8 byte-order mark, LF or CRLF line ends, quoted fields with
 * "" escapes and embedded line breaks; skips lines that are entirely blank
 * and, if asked, lines whose first byte is '#'.  Rejects NUL bytes (binary
 * data) and unterminated quotes.  Every field records the line and column
 * (1-based, in bytes) where it starts.
 */
#ifndef ENT_CSV_H
#define ENT_CSV_H

#include "base/diag.h"

typedef struct ent_csv_field {
  const char *text; /* unescaped, NUL-terminated, owned by the ent_csv */
  size_t len;
  int line, col;
} ent_csv_field;

typedef struct ent_csv_row {
  ent_csv_field *fields;
  size_t n;
  int line;
} ent_csv_row;

typedef struct ent_csv {
  ent_csv_row *rows;
  size_t n_rows;
  char *store;           /* all field texts */
  ent_csv_field *fstore; /* all fields */
} ent_csv;

enum { ENT_CSV_COMMENTS = 1 };

/* Parse text[0..len).  Problems go to `d` under `file`; returns ENT_EINPUT
 * (and *out = NULL) if any was found, ENT_ENOMEM on allocation failure. */
ENT_LOCAL ent_status ent_csv_parse(const char *file, const char *text,
                                   size_t len, int flags, ent_csv **out,
                                   ent_diag *d);
ENT_LOCAL void ent_csv_free(ent_csv *c);

/* True if the row has only empty fields after index `from`. */
ENT_LOCAL int ent_csv_rest_empty(const ent_csv_row *r, size_t from);

/* Write s as one CSV field (RFC 4180): quoted, with "" for ", when it
 * holds a comma, a quote or a line break -- and, if `strict`, also when it
 * starts with a blank or '#' or ends with a blank (readers that trim or
 * skip comment lines would change it otherwise). */
ENT_LOCAL void ent_csv_write_field(ent_strbuf *b, const char *s, int strict);
ENT_LOCAL void ent_csv_print_field(FILE *fp, const char *s, int strict);

#endif /* ENT_CSV_H */
