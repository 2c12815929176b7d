/*
 * test_faults.c -- every allocation of the library can fail (Lua's
 * ltests.c idea): this program is linked against a build of the library
 * with ENT_FAULT_INJECTION, makes the n-th allocation fail for n = 0, 1,
 * 2, ... and checks that loading, running and writing the built-in
 * scenarios either succeed or report ENT_ENOMEM -- never crash, never
 * leak (under ASan), never return a half-built object.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sim/sim.h"
#include "testutil.h"
#include "base/util.h"

/* One attempt: returns the status of the first failing step. */
static ent_status attempt(const char *name, int structural_table) {
  ent_diag *d = ent_diag_create();
  if (!d) return ENT_ENOMEM;
  ent_model *m = NULL;
  ent_run *r = NULL;
  ent_status st;
  if (structural_table) {
    char path[1024];
    ref_path(path, sizeof path, "eum/emissions_bdm1994.csv");
    st = ent_table_load_file(path, &m, d);
  } else {
    st = ent_builtin_load(name, &m, d);
  }
  if (st == ENT_OK) {
    assert_non_null(m);
    st = ent_run_create(m, NULL, &r, d);
    if (st == ENT_OK) {
      assert_non_null(r);
      FILE *null = fopen("/dev/null", "w");
      st = ent_run_write(r, ENT_FORMAT_TEXT, null);
      if (st == ENT_OK) st = ent_run_write(r, ENT_FORMAT_CSV, null);
      fclose(null);
    } else {
      assert_null(r);
    }
  } else {
    assert_null(m);
  }
  ent_run_destroy(r);
  ent_model_destroy(m);
  ent_diag_destroy(d);
  return st;
}

/* Every allocation index up to 1000, then a stride that grows with n so
 * that large runs stay affordable under ASan (about 1 500 attempts). */
static void sweep(const char *name, int table) {
  long n;
  for (n = 0; n < 200000; n += n < 1000 ? 1 : n / 200) {
    ent_fault_fail_after(n);
    ent_status st = attempt(name, table);
    ent_fault_fail_after(-1);
    if (st == ENT_OK) break;
    /* an injected failure may surface as ENOMEM or, where the failed
     * allocation was a diagnostic or a loader's, as a refused input */
    if (st != ENT_ENOMEM && st != ENT_EINPUT && st != ENT_EIO)
      fail_msg("%s: allocation %ld failing gave status %d", name, n, st);
  }
  assert_true(n < 200000);
  print_message("%s: succeeded once %ld allocations were allowed\n", name, n);
}

/* This process's share of the built-ins: those with index % parts ==
 * part ("faults PART PARTS" on the command line; all by default), so that
 * meson runs the sweep as parallel tests. */
static size_t part = 0, parts = 1;

static void test_builtins(void **state) {
  (void)state;
  for (size_t i = 0; i < ent_builtin_count(); i++)
    if (i % parts == part) sweep(ent_builtin_name(i), 0);
}

static void test_table(void **state) {
  (void)state;
  sweep("emissions table", 1);
}

int main(int argc, char **argv) {
  if (argc == 3) {
    part = (size_t)strtoul(argv[1], NULL, 10);
    parts = (size_t)strtoul(argv[2], NULL, 10);
    if (parts == 0 || part >= parts) {
      fprintf(stderr, "usage: test_faults [PART PARTS]\n");
      return 2;
    }
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table),
      cmocka_unit_test(test_builtins),
  };
  const struct CMUnitTest builtins_only[] = {
      cmocka_unit_test(test_builtins),
  };
  /* the table once, with part 0 */
  if (part > 0)
    return cmocka_run_group_tests_name("faults", builtins_only, NULL, NULL);
  return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
