/*
 * test_alignment.c -- the salience-weighted S score (strategic/
 * alignment.c) against values computed by hand from the formula of
 * docs/models/alignment.md.
 */
#include <math.h>

#include "strategic/alignment.h"
#include "testutil.h"

static void test_s_by_hand(void **state) {
  (void)state;
  /* issue 1: 0-100, positions 25 and 75, saliences 0.6 and 0.2 -> w 0.4,
   *          distance 0.5;
   * issue 2: 0-10, positions 2 and 2, saliences 1 and 0.5 -> w 0.75, 0;
   * issue 3: -1..1 (d 2), positions -1 and 1, saliences 0.1 and 0.3 ->
   *          w 0.2, distance 1.
   * S = 1 - 2 (0.4*0.5 + 0 + 0.2*1) / (0.4 + 0.75 + 0.2)
   *   = 1 - 0.8 / 1.35 = 0.407407407... */
  ent_align_item it[] = {{25, 75, 0.6, 0.2, 100},
                         {2, 2, 1.0, 0.5, 10},
                         {-1, 1, 0.1, 0.3, 2}};
  double s;
  assert_int_equal(ent_alignment_s(3, it, &s), 0);
  assert_true(fabs(s - (1.0 - 0.8 / 1.35)) < 1e-15);
  /* symmetric in the pair */
  ent_align_item sw[3];
  for (int k = 0; k < 3; k++)
    sw[k] = (ent_align_item){it[k].xb, it[k].xa, it[k].sb, it[k].sa, it[k].d};
  double s2;
  assert_int_equal(ent_alignment_s(3, sw, &s2), 0);
  assert_true(s == s2);
}

static void test_s_bounds(void **state) {
  (void)state;
  double s;
  ent_align_item same[] = {{40, 40, 0.5, 0.5, 100}, {0, 0, 0.1, 0.9, 1}};
  assert_int_equal(ent_alignment_s(2, same, &s), 0);
  assert_true(s == 1.0);
  ent_align_item opp[] = {{0, 100, 0.5, 0.5, 100}, {1, 0, 0.1, 0.9, 1}};
  assert_int_equal(ent_alignment_s(2, opp, &s), 0);
  assert_true(s == -1.0);
  ent_align_item half[] = {{0, 50, 0.3, 0.7, 100}};
  assert_int_equal(ent_alignment_s(1, half, &s), 0);
  assert_true(s == 0.0);
  /* zero-weight issues do not count; nothing shared: undefined */
  ent_align_item none[] = {{0, 100, 0.0, 0.0, 100}};
  assert_int_equal(ent_alignment_s(1, none, &s), -1);
  assert_int_equal(ent_alignment_s(0, NULL, &s), -1);
  ent_align_item mixed[] = {{0, 100, 0.0, 0.0, 100}, {10, 10, 0.2, 0.2, 100}};
  assert_int_equal(ent_alignment_s(2, mixed, &s), 0);
  assert_true(s == 1.0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_s_by_hand),
      cmocka_unit_test(test_s_bounds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
