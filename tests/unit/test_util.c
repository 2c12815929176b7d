/*
 * test_util.c -- number parsing, the CSV reader, diagnostics, the arena.
 */
#include <math.h>

#include "base/csv.h"
#include "base/diag.h"
#include "testutil.h"

static void test_parse_double(void **state) {
  (void)state;
  double v;
  const char *why;
  assert_int_equal(ent_parse_double(" 2.385 ", 7, &v, &why), 0);
  assert_near(v, 2.385, 0.0);
  assert_int_equal(ent_parse_double("-1e-3", 5, &v, &why), 0);
  assert_near(v, -0.001, 0.0);
  assert_int_equal(ent_parse_double(".5", 2, &v, &why), 0);
  assert_near(v, 0.5, 0.0);
  const char *bad[] = {"", "  ", "nan", "NaN", "inf", "-inf", "1e999",
                       "0x10", "1,5", "12abc", "e5", "--1", ".", "1e"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (ent_parse_double(bad[i], strlen(bad[i]), &v, &why) == 0)
      fail_msg("'%s' was accepted as %g", bad[i], v);
  assert_int_equal(ent_parse_double("1e-400", 6, &v, &why), 0);
  assert_true(v == 0.0);
  unsigned long u;
  assert_int_equal(ent_parse_uint("42", 2, 100, &u, &why), 0);
  assert_int_equal(u, 42);
  assert_int_equal(ent_parse_uint("420", 3, 100, &u, &why), -1);
  assert_int_equal(ent_parse_uint("-1", 2, 100, &u, &why), -1);
  assert_int_equal(ent_parse_uint("99999999999999999999999", 23, (unsigned long)-1,
                                  &u, &why), -1);
}

static void test_csv(void **state) {
  (void)state;
  const char text[] = "\xEF\xBB\xBF" "a,b,c\r\n\r\n1,\"x,\"\"y\"\"\",3\r\n"
                      "# comment\n4,5,\n";
  ent_diag *d = ent_diag_create();
  ent_csv *c;
  assert_int_equal(ent_csv_parse("t.csv", text, sizeof text - 1,
                                 ENT_CSV_COMMENTS, &c, d), ENT_OK);
  assert_int_equal(c->n_rows, 3);
  assert_int_equal(c->rows[0].n, 3);
  assert_string_equal(c->rows[0].fields[0].text, "a");
  assert_string_equal(c->rows[1].fields[1].text, "x,\"y\"");
  assert_int_equal(c->rows[1].line, 3);
  assert_int_equal(c->rows[1].fields[2].col, 13);
  assert_int_equal(c->rows[2].line, 5);
  assert_int_equal(c->rows[2].n, 3);
  assert_string_equal(c->rows[2].fields[2].text, "");
  assert_true(ent_csv_rest_empty(&c->rows[2], 2));
  ent_csv_free(c);

  const char unterminated[] = "a,b\n1,\"open\n";
  assert_int_equal(ent_csv_parse("u.csv", unterminated, sizeof unterminated - 1,
                                 0, &c, d), ENT_EINPUT);
  assert_null(c);
  const ent_diag_item *it = ent_diag_get(d, 0);
  assert_non_null(it);
  assert_int_equal(it->line, 2);
  assert_int_equal(it->col, 3);
  const char binary[] = "a,b\n1,\0\n";
  assert_int_equal(ent_csv_parse("b.csv", binary, sizeof binary - 1, 0, &c, d),
                   ENT_EINPUT);
  it = ent_diag_get(d, 1);
  assert_non_null(strstr(it->msg, "NUL"));
  assert_int_equal(it->line, 2);
  ent_diag_destroy(d);
}

static void test_diag_print(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  const char src[] = "line one\n  bad: value\n";
  ent_diag_set_source(d, "f.yaml", src, sizeof src - 1);
  ent_diag_error(d, "f.yaml", 2, 8, "value %s is wrong", "'value'");
  assert_int_equal(ent_diag_errors(d), 1);
  char buf[512] = {0};
  FILE *fp = fmemopen(buf, sizeof buf, "w");
  ent_diag_print(d, fp);
  fclose(fp);
  assert_non_null(strstr(buf, "f.yaml:2:8: error: value 'value' is wrong\n"));
  assert_non_null(strstr(buf, "      bad: value\n           ^\n"));
  for (int i = 0; i < 300; i++) ent_diag_error(d, "f", 1, 1, "x");
  assert_int_equal(ent_diag_count(d), ENT_DIAG_MAX_ITEMS);
  assert_int_equal(ent_diag_errors(d), 301);
  ent_diag_destroy(d);
  ent_diag_destroy(NULL);
}

static void test_arena_and_format(void **state) {
  (void)state;
  ent_arena a;
  ent_arena_init(&a);
  char *s = ent_arena_strdup(&a, "Power of Siberia");
  double *big = ent_arena_array(&a, 100000, sizeof *big);
  assert_non_null(big);
  assert_string_equal(s, "Power of Siberia");
  assert_null(ent_arena_array(&a, SIZE_MAX / 2, 8));
  assert_true(a.failed);
  ent_arena_free(&a);
  char buf[40];
  ent_fmt_double(buf, sizeof buf, 0.1);
  assert_string_equal(buf, "0.1");
  ent_fmt_double(buf, sizeof buf, -0.0);
  assert_string_equal(buf, "0");
  ent_fmt_double(buf, sizeof buf, NAN);
  assert_string_equal(buf, "null");
  ent_fmt_double(buf, sizeof buf, 8.4159323154);
  assert_near(strtod(buf, NULL), 8.4159323154, 0.0);
  assert_string_equal(ent_status_str(ENT_EINPUT), "invalid input");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_double),
      cmocka_unit_test(test_csv),
      cmocka_unit_test(test_diag_print),
      cmocka_unit_test(test_arena_and_format),
  };
  return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
