/*
 * test_faults_ensemble.c -- every allocation of a forecast can fail (see
 * test_faults.c for the idea): linked against the library built with
 * ENT_FAULT_INJECTION, this makes the n-th allocation fail for n = 0, 1,
 * 2, ... while loading a variant with uncertain inputs, creating and
 * stepping a forecast (plain and with Sobol' indices), writing it in every
 * format and keeping it in a run store, and checks that each step either
 * succeeds or reports ENT_ENOMEM (or a refused input) -- never crashes,
 * never leaks (under ASan), never returns a half-built object.
 */
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"
#include "base/util.h"

static char db[256];

static ent_status attempt(const char *rel, int sobol, int store) {
  char path[1024];
  ref_path(path, sizeof path, rel);
  ent_diag *d = ent_diag_create();
  if (!d) return ENT_ENOMEM;
  ent_model *m = NULL;
  ent_ensemble *e = NULL;
  ent_store *s = NULL;
  long long id = 0;
  ent_status st = ent_scenario_load_file(path, &m, d);
  if (st == ENT_OK) {
    ent_ensemble_opts o;
    ent_ensemble_opts_init(&o);
    o.runs = sobol ? 3 : 5;
    o.threads = 1; /* the failure counter is per thread */
    o.sobol = sobol;
    st = ent_ensemble_create(m, NULL, &o, &e, d);
    if (st != ENT_OK) assert_null(e);
  } else {
    assert_null(m);
  }
  if (st == ENT_OK && store) {
    unlink(db);
    st = ent_store_open(db, 1, &s, d);
    if (st == ENT_OK) st = ent_store_begin_forecast(s, e, &id, d);
  }
  while (st == ENT_OK) {
    st = ent_ensemble_step(e, d);
    if ((st == ENT_OK || st == ENT_CONTINUE) && s) {
      ent_status s2 = ent_store_save_batch(s, id, e, d);
      if (s2 != ENT_OK) st = s2;
    }
    if (st == ENT_CONTINUE) continue;
    break;
  }
  if (st == ENT_OK) {
    FILE *null = fopen("/dev/null", "w");
    st = ent_ensemble_write(e, ENT_FORMAT_JSON, null);
    if (st == ENT_OK) st = ent_ensemble_write(e, ENT_FORMAT_CSV, null);
    if (st == ENT_OK) st = ent_ensemble_write(e, ENT_FORMAT_TEXT, null);
    if (st == ENT_OK) st = ent_ensemble_compare_write(e, e, ENT_FORMAT_TEXT, null);
    fclose(null);
  }
  if (st == ENT_OK && s) st = ent_store_finish_forecast(s, id, e, 0, d);
  ent_store_close(s);
  ent_ensemble_destroy(e);
  ent_model_destroy(m);
  ent_diag_destroy(d);
  return st;
}

static void sweep(const char *rel, int sobol, int store) {
  long n;
  for (n = 0; n < 400000; n += n < 1000 ? 1 : n / 100) {
    ent_fault_fail_after(n);
    ent_status st = attempt(rel, sobol, store);
    ent_fault_fail_after(-1);
    if (st == ENT_OK) break;
    /* a failed allocation surfaces as ENOMEM, or as a refused input where
     * it hit a diagnostic or the loader; the store reports EIO when SQLite
     * could not be given its strings */
    if (st != ENT_ENOMEM && st != ENT_EINPUT && st != ENT_EIO)
      fail_msg("%s: allocation %ld failing gave status %d", rel, n, st);
  }
  assert_true(n < 400000);
  print_message("%s%s%s: succeeded once %ld allocations were allowed\n", rel,
                sobol ? " (sobol)" : "", store ? " (store)" : "", n);
}

static void test_plain(void **state) {
  (void)state;
  sweep("ensemble/mini-uncertain.yaml", 0, 0);
}

static void test_sobol(void **state) {
  (void)state;
  sweep("ensemble/analytic.yaml", 1, 0);
}

static void test_store(void **state) {
  (void)state;
  snprintf(db, sizeof db, "/tmp/entente-faults-%ld.db", (long)getpid());
  sweep("ensemble/analytic.yaml", 0, 1);
  unlink(db);
  char wal[300];
  snprintf(wal, sizeof wal, "%s-wal", db);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", db);
  unlink(wal);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain),
      cmocka_unit_test(test_sobol),
      cmocka_unit_test(test_store),
  };
  return cmocka_run_group_tests_name("faults-ensemble", tests, NULL, NULL);
}
