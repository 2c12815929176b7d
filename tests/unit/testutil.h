/*
 * testutil.h -- helpers for the unit tests: reading reference CSV files
 * (through the project's own CSV reader) and looking values up by column.
 */
#ifndef ENT_TESTUTIL_H
#define ENT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/csv.h"

typedef struct ref_table {
  ent_csv *csv;
  char *text;
} ref_table;

static inline void ref_path(char *buf, size_t size, const char *rel) {
  snprintf(buf, size, "%s/%s", ENT_TEST_DATA, rel);
}

/* Load tests/data/<rel> as CSV; fails the test if it cannot. */
static inline ref_table ref_load(const char *rel) {
  char path[1024];
  ref_path(path, sizeof path, rel);
  ref_table t = {0};
  size_t len;
  const char *why;
  if (ent_read_file(path, 1u << 26, &t.text, &len, &why) != ENT_OK)
    fail_msg("cannot read %s: %s", path, why);
  ent_diag *d = ent_diag_create();
  if (ent_csv_parse(path, t.text, len, 0, &t.csv, d) != ENT_OK)
    fail_msg("cannot parse %s", path);
  ent_diag_destroy(d);
  return t;
}

static inline void ref_free(ref_table *t) {
  ent_csv_free(t->csv);
  free(t->text);
}

/* Column index of `name` in the header row, fails if absent. */
static inline size_t ref_col(const ref_table *t, const char *name) {
  const ent_csv_row *h = &t->csv->rows[0];
  for (size_t i = 0; i < h->n; i++)
    if (!strcmp(h->fields[i].text, name)) return i;
  fail_msg("no column %s", name);
  return 0;
}

static inline const char *ref_str(const ref_table *t, size_t row, size_t col) {
  assert_true(row < t->csv->n_rows);
  assert_true(col < t->csv->rows[row].n);
  return t->csv->rows[row].fields[col].text;
}

static inline double ref_num(const ref_table *t, size_t row, size_t col) {
  return strtod(ref_str(t, row, col), NULL);
}

/* Load the scenario tests/data/<rel>; fails the test (with the
 * diagnostics) if it does not load. */
static inline ent_model *ref_scenario(const char *rel) {
  char path[1024];
  ref_path(path, sizeof path, rel);
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  if (ent_scenario_load_file(path, &m, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("cannot load %s", path);
  }
  ent_diag_destroy(d);
  return m;
}

/* |got - want| <= tol, with a readable message. */
#define assert_near(got, want, tol)                                          \
  do {                                                                       \
    double g_ = (got), w_ = (want), t_ = (tol);                              \
    if (!(fabs(g_ - w_) <= t_))                                              \
      fail_msg("%s = %.12g, expected %.12g (tolerance %g, off by %.3g)",     \
               #got, g_, w_, t_, fabs(g_ - w_));                            \
  } while (0)

#endif /* ENT_TESTUTIL_H */
