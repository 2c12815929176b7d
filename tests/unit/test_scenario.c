/*
 * test_scenario.c -- the YAML scenario loader, the CSV actor table and the
 * built-in scenario: what loads, what is refused, and where the messages
 * point.
 */
#include <math.h>

#include "model/model.h"
#include "input/scenario.h"
#include "sim/sim.h"
#include "testutil.h"

static const char good[] =
    "scenario: {id: t, title: \"A test\"}\n"
    "actors:\n"
    "  - {id: AAA, name: Alpha, capability: 2.385}\n"
    "  - {id: BBB, name: Beta}\n"
    "issues:\n"
    "  - id: q1\n"
    "    question: \"What?\"\n"
    "    scale: {min: 0, max: 10, anchors: {10: high, 0: low}}\n"
    "    options: {capitulation: off, rounds: 3}\n"
    "    positions:\n"
    "      BBB: {position: 7.5, salience: 40, capability: 1.5}\n"
    "      AAA: {position: 2, salience: 80}\n";

static ent_model *load(const char *text, ent_diag *d, ent_status want) {
  ent_model *m = NULL;
  ent_status st = ent_scenario_load_buffer("t.yaml", text, strlen(text), &m, d);
  if (st != want) {
    ent_diag_print(d, stderr);
    fail_msg("status %d, expected %d", st, want);
  }
  return m;
}

static void test_good(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_model *m = load(good, d, ENT_OK);
  assert_int_equal(m->n_actors, 2);
  assert_int_equal(m->n_issues, 1);
  const ent_issue *is = &m->issues[0];
  assert_int_equal(is->n_stakes, 2);
  /* stakes are in actor order, whatever the file's order */
  assert_int_equal(is->stakes[0].actor, 0);
  assert_near(is->stakes[0].capability, 2.385, 0.0);
  assert_near(is->stakes[0].salience, 0.8, 1e-15);
  assert_near(is->stakes[1].position, 7.5, 0.0);
  assert_int_equal(is->eum.capitulation, 0);
  assert_int_equal(is->eum.rounds, 3);
  assert_int_equal(is->n_anchors, 2);
  assert_string_equal(is->anchors[0].label, "low");
  assert_int_equal(ent_diag_errors(d), 0);
  ent_model_destroy(m);
  ent_diag_destroy(d);
}

/* One bad input, the message it must give and where. */
typedef struct bad_case {
  const char *text;
  const char *msg;
  int line, col;
} bad_case;

static void test_bad(void **state) {
  (void)state;
  static const bad_case cases[] = {
      {"", "empty", 1, 1},
      {"scenario: [1,\n", "YAML syntax", 2, 1},
      {"- 1\n- 2\n", "must be a mapping", 1, 1},
      {"scenario: {id: t, title: x}\nactors: []\nissues: []\n", "'actors' is empty",
       2, 9},
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: 1}\n"
       "  - {id: A, name: b, capability: 1}\nissues: []\n",
       "duplicate actor id 'A'", 4, 10},
      {"scenario: {id: t, title: x}\nactorz: []\n", "unknown key 'actorz'", 2, 1},
      {"scenario: {id: 'a b', title: x}\n", "scenario id 'a b' may contain only", 1,
       16},
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: -1}\n",
       "capability -1 is outside", 3, 34},
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: .nan}\n",
       "not a number", 3, 34},
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: 1e999}\n",
       "too large", 3, 34},
      {"a: &x 1\nb: *x\n", "anchors (&name) are not supported", 1, 4},
      {"scenario: {id: t, title: x}\n---\nb: 1\n", "more than one YAML document", 2,
       1},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    ent_diag *d = ent_diag_create();
    ent_model *m = NULL;
    ent_status st = ent_scenario_load_buffer("t.yaml", cases[k].text,
                                             strlen(cases[k].text), &m, d);
    if (st != ENT_EINPUT || m) fail_msg("case %zu was accepted", k);
    int found = 0;
    for (size_t i = 0; i < ent_diag_count(d); i++) {
      const ent_diag_item *it = ent_diag_get(d, i);
      if (strstr(it->msg, cases[k].msg) && it->line == cases[k].line &&
          it->col == cases[k].col)
        found = 1;
    }
    if (!found) {
      ent_diag_print(d, stderr);
      fail_msg("case %zu: no '%s' at %d:%d", k, cases[k].msg, cases[k].line,
               cases[k].col);
    }
    ent_diag_destroy(d);
  }
}

/* All problems of a file are reported in one pass. */
static void test_all_problems_at_once(void **state) {
  (void)state;
  const char text[] =
      "scenario: {id: t, title: x}\n"
      "actors:\n"
      "  - {id: A, name: a, capability: 1}\n"
      "  - {id: B, name: b, capability: 1}\n"
      "issues:\n"
      "  - id: q\n"
      "    question: q\n"
      "    scale: {min: 0, max: 100}\n"
      "    positions:\n"
      "      A: {position: 150, salience: 50}\n"
      "      B: {position: 10, salience: 101}\n"
      "      C: {position: 10, salience: 10}\n";
  ent_diag *d = ent_diag_create();
  ent_model *m = load(text, d, ENT_EINPUT);
  assert_null(m);
  assert_int_equal(ent_diag_errors(d), 3);
  assert_int_equal(ent_diag_get(d, 0)->line, 10);
  assert_int_equal(ent_diag_get(d, 1)->line, 11);
  assert_int_equal(ent_diag_get(d, 2)->line, 12);
  assert_non_null(strstr(ent_diag_get(d, 2)->msg, "unknown actor 'C'"));
  ent_diag_destroy(d);
}

static void test_table(void **state) {
  (void)state;
  char path[1024];
  ref_path(path, sizeof path, "eum/emissions_bdm1994.csv");
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  assert_int_equal(ent_table_load_file(path, &m, d), ENT_OK);
  assert_int_equal(m->n_actors, 10);
  assert_string_equal(m->actors[9].name, "Greece");
  assert_near(m->issues[0].stakes[8].salience, 1.0, 0.0);
  ent_model_destroy(m);

  const char crlf[] = "actor,position,capability,salience\r\nA,1,2,50\r\nB,3,4,60,\r\n";
  assert_int_equal(ent_table_load_buffer("c.csv", crlf, sizeof crlf - 1, &m, d),
                   ENT_OK);
  assert_near(m->issues[0].stakes[1].capability, 4.0, 0.0);
  assert_near(m->issues[0].stakes[1].position, 3.0, 0.0);
  ent_model_destroy(m);

  const char bad[] = "actor,capability,position,salience\nA,1,2,50\nA,x,3,101\n";
  assert_int_equal(ent_table_load_buffer("b.csv", bad, sizeof bad - 1, &m, d),
                   ENT_EINPUT);
  assert_null(m);
  assert_int_equal(ent_diag_errors(d), 3); /* duplicate, x, 101 */
  assert_int_equal(ent_diag_get(d, 1)->col, 3);
  ent_diag_destroy(d);
}

static void test_builtin(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  assert_int_equal(ent_builtin_load(NULL, &m, d), ENT_OK);
  assert_string_equal(m->id, "russia-china");
  assert_true(m->n_issues >= 9);
  static const char *const ids[] = {"RUS", "CHN", "USA", "EUU", "UKR", "IND"};
  for (size_t i = 0; i < 6; i++)
    assert_int_not_equal(ent_model_find_actor(m, ids[i]), (size_t)-1);
  /* every stake has a rationale */
  for (size_t i = 0; i < m->n_issues; i++)
    for (size_t k = 0; k < m->issues[i].n_stakes; k++)
      assert_non_null(m->issues[i].stakes[k].why);
  for (size_t i = 0; i < m->n_actors; i++) assert_non_null(m->actors[i].why);
  ent_model_destroy(m);
  assert_int_equal(ent_builtin_load("no-such", &m, d), ENT_ENOTFOUND);
  ent_diag_destroy(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good),
      cmocka_unit_test(test_bad),
      cmocka_unit_test(test_all_problems_at_once),
      cmocka_unit_test(test_table),
      cmocka_unit_test(test_builtin),
  };
  return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
