/*
 * test_binding.c -- what the Python module (python/entente) needs of the
 * C API, through libentente.so and include/entente.h only (as a C user of
 * the shared library links it):
 *
 *  - the cancel flag: a step with the flag set returns ENT_ECANCELED and
 *    adds nothing; with it cleared the forecast goes on and its output
 *    equals that of an uninterrupted one (members depend on seed and index
 *    only); a score with the flag set stops with ENT_ECANCELED;
 *  - the *_mem writers give the bytes of the FILE * writers;
 *  - ent_diag_print_mem gives what ent_diag_print prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "entente.h"

static char *path_of(const char *rel) {
  static char buf[1024];
  snprintf(buf, sizeof buf, "%s/%s", ENT_TEST_DATA, rel);
  return buf;
}

static ent_model *load(const char *rel) {
  ent_model *m = NULL;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_scenario_load_file(path_of(rel), &m, d), ENT_OK);
  ent_diag_destroy(d);
  return m;
}

static ent_ensemble *start(const ent_model *m) {
  ent_ensemble_opts o;
  ent_ensemble_opts_init(&o);
  o.runs = 150;
  o.seed = 11;
  o.threads = 2;
  ent_ensemble *e = NULL;
  assert_int_equal(ent_ensemble_create(m, NULL, &o, &e, NULL), ENT_OK);
  return e;
}

static char *csv_of(const ent_ensemble *e) {
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  assert_non_null(fp);
  assert_int_equal(ent_ensemble_write(e, ENT_FORMAT_CSV, fp), ENT_OK);
  fclose(fp);
  return buf;
}

static void test_cancel_flag(void **state) {
  (void)state;
  ent_model *m = load("ensemble/mini-uncertain.yaml");
  ent_ensemble *ref = start(m);
  while (ent_ensemble_step(ref, NULL) == ENT_CONTINUE) {
  }
  char *want = csv_of(ref);

  volatile int cancel = 0;
  ent_ensemble *e = start(m);
  ent_ensemble_set_cancel(e, &cancel);
  assert_int_equal(ent_ensemble_step(e, NULL), ENT_CONTINUE);
  unsigned long done = ent_ensemble_done(e);
  assert_true(done > 0 && done < 150);
  cancel = 1;
  assert_int_equal(ent_ensemble_step(e, NULL), ENT_ECANCELED);
  assert_int_equal(ent_ensemble_done(e), done); /* the batch was dropped */
  cancel = 0;
  ent_status st;
  while ((st = ent_ensemble_step(e, NULL)) == ENT_CONTINUE) {
  }
  assert_int_equal(st, ENT_OK);
  assert_int_equal(ent_ensemble_done(e), 150);
  char *got = csv_of(e);
  assert_string_equal(got, want);

  /* the *_mem writer: the same bytes */
  char *mem = NULL;
  size_t len = 0;
  assert_int_equal(ent_ensemble_write_mem(e, ENT_FORMAT_CSV, &mem, &len),
                   ENT_OK);
  assert_int_equal(len, strlen(want));
  assert_string_equal(mem, want);
  ent_buffer_free(mem);
  assert_int_equal(ent_ensemble_write_mem(NULL, ENT_FORMAT_CSV, &mem, &len),
                   ENT_EINVAL);
  assert_null(mem);
  assert_int_equal(len, 0);

  free(got);
  free(want);
  ent_ensemble_destroy(e);
  ent_ensemble_destroy(ref);
  ent_model_destroy(m);
}

static void test_score_cancel(void **state) {
  (void)state;
  const char *ledger = path_of("../python/data/ledger.csv");
  volatile int cancel = 1;
  ent_score_opts o;
  ent_score_opts_init(&o);
  assert_null(o.cancel);
  o.runs = 50;
  o.cancel = &cancel;
  ent_scorecard *s = (ent_scorecard *)1;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_scorecard_create(ledger, &o, &s, d), ENT_ECANCELED);
  assert_null(s);
  ent_diag_destroy(d);
  assert_string_equal(ent_status_str(ENT_ECANCELED), "canceled");
}

static void test_run_and_diag_mem(void **state) {
  (void)state;
  ent_model *m = load("struct/mini.yaml");
  ent_run *r = NULL;
  assert_int_equal(ent_run_create(m, NULL, &r, NULL), ENT_OK);
  for (int f = 0; f < 3; f++) {
    char *buf = NULL, *mem = NULL;
    size_t len = 0, mlen = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(ent_run_write(r, (ent_format)f, fp), ENT_OK);
    fclose(fp);
    assert_int_equal(ent_run_write_mem(r, (ent_format)f, &mem, &mlen), ENT_OK);
    assert_int_equal(mlen, len);
    assert_memory_equal(mem, buf, len);
    assert_int_equal(mem[mlen], '\0');
    ent_buffer_free(mem);
    free(buf);
  }
  ent_run_destroy(r);

  char *sum = NULL;
  size_t slen = 0;
  assert_int_equal(ent_model_write_summary_mem(m, &sum, &slen), ENT_OK);
  assert_non_null(strstr(sum, "ok -- scenario 'mini'"));
  ent_buffer_free(sum);
  ent_model_destroy(m);

  ent_diag *d = ent_diag_create();
  ent_model *bad = NULL;
  assert_int_equal(ent_scenario_load_file(path_of("bad/nan-position.yaml"),
                                          &bad, d),
                   ENT_EINPUT);
  char *want = NULL, *got = NULL;
  size_t wlen = 0, glen = 0;
  FILE *fp = open_memstream(&want, &wlen);
  ent_diag_print(d, fp);
  fclose(fp);
  assert_int_equal(ent_diag_print_mem(d, &got, &glen), ENT_OK);
  assert_string_equal(got, want);
  assert_non_null(strstr(got, "nan-position.yaml:10:23: error: position "
                              "'.nan': not a number"));
  ent_buffer_free(got);
  free(want);
  ent_diag_destroy(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cancel_flag),
      cmocka_unit_test(test_score_cancel),
      cmocka_unit_test(test_run_and_diag_mem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
