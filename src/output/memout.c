/*
 * memout.c -- the *_write functions of entente.h into memory, for callers
 * that cannot hand the library a FILE * (the Python binding, python/).
 * Each renders into an open_memstream buffer, which the caller owns and
 * frees with ent_buffer_free.
 *
 * Prefixes: the *_write_mem twins of ent_run_, ent_ensemble_,
 * ent_scorecard_, ent_model_ and ent_diag_ writers, and ent_buffer_free:
 * one file for the one memory-buffer mechanism they share.
 */
#include <stdio.h>
#include <stdlib.h>

#include "entente.h"

typedef enum mem_kind {
  MEM_RUN,
  MEM_ENSEMBLE,
  MEM_COMPARE,
  MEM_SCORECARD,
  MEM_SUMMARY,
  MEM_DIAG
} mem_kind;

static ent_status write_mem(mem_kind k, const void *a, const void *b,
                            ent_format f, char **out, size_t *len) {
  if (!out || !len) return ENT_EINVAL;
  *out = NULL;
  *len = 0;
  if (!a || (k == MEM_COMPARE && !b)) return ENT_EINVAL;
  char *buf = NULL;
  size_t n = 0;
  FILE *fp = open_memstream(&buf, &n);
  if (!fp) return ENT_ENOMEM;
  ent_status st = ENT_OK;
  switch (k) {
  case MEM_RUN: st = ent_run_write(a, f, fp); break;
  case MEM_ENSEMBLE: st = ent_ensemble_write(a, f, fp); break;
  case MEM_COMPARE: st = ent_ensemble_compare_write(a, b, f, fp); break;
  case MEM_SCORECARD: st = ent_scorecard_write(a, f, fp); break;
  case MEM_SUMMARY: st = ent_model_write_summary(a, fp); break;
  case MEM_DIAG: ent_diag_print(a, fp); break;
  }
  if (fclose(fp) != 0 && st == ENT_OK) st = ENT_ENOMEM;
  if (st != ENT_OK || !buf) {
    free(buf);
    return st != ENT_OK ? st : ENT_ENOMEM;
  }
  *out = buf;
  *len = n;
  return ENT_OK;
}

ent_status ent_run_write_mem(const ent_run *r, ent_format f, char **out,
                             size_t *len) {
  return write_mem(MEM_RUN, r, NULL, f, out, len);
}

ent_status ent_ensemble_write_mem(const ent_ensemble *e, ent_format f,
                                  char **out, size_t *len) {
  return write_mem(MEM_ENSEMBLE, e, NULL, f, out, len);
}

ent_status ent_ensemble_compare_write_mem(const ent_ensemble *a,
                                          const ent_ensemble *b, ent_format f,
                                          char **out, size_t *len) {
  return write_mem(MEM_COMPARE, a, b, f, out, len);
}

ent_status ent_scorecard_write_mem(const ent_scorecard *s, ent_format f,
                                   char **out, size_t *len) {
  return write_mem(MEM_SCORECARD, s, NULL, f, out, len);
}

ent_status ent_model_write_summary_mem(const ent_model *m, char **out,
                                       size_t *len) {
  return write_mem(MEM_SUMMARY, m, NULL, ENT_FORMAT_TEXT, out, len);
}

ent_status ent_diag_print_mem(const ent_diag *d, char **out, size_t *len) {
  return write_mem(MEM_DIAG, d, NULL, ENT_FORMAT_TEXT, out, len);
}

void ent_buffer_free(char *p) { free(p); }
