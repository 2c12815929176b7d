/*
 * fileio.c -- reading an input file, reporting why it failed (fileio.h).
 */
#include "base/fileio.h"

#include <stdarg.h>
#include <stdio.h>

ent_status ent_fileio_read(const char *path, size_t max_bytes, char **text,
                           size_t *len, ent_diag *d, const char *fmt, ...) {
  const char *why = NULL;
  ent_status st = ent_read_file(path, max_bytes, text, len, &why);
  if (st != ENT_OK) {
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    ent_diag_add(d, ENT_SEV_ERROR, st, path, 0, 0, "%s: %s", what, why);
  }
  return st;
}
