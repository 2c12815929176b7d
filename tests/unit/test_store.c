/*
 * test_store.c -- the SQLite run store (store.c, docs/store.md): SHA-256
 * (base/hash.c) against the FIPS 180-2 test vectors; an interrupted
 * forecast, resumed from the store on another thread count, gives the
 * same output as an uninterrupted one, and leaves consistent tables; files that are not
 * stores (text, another application's SQLite database, a corrupt store)
 * are refused and left byte for byte as they were; single runs are kept
 * and listed.
 */
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "ensemble/ensemble.h"
#include "input/scenario.h"
#include "store/store.h"
#include "testutil.h"

static char tmpdir[256];

static int setup(void **state) {
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/entente-store-XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

static void tmp_path(char *buf, size_t size, const char *name) {
  snprintf(buf, size, "%s/%s", tmpdir, name);
}

static void test_sha256(void **state) {
  (void)state;
  char h[65];
  ent_hash_sha256("abc", 3, h);
  assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  ent_hash_sha256("", 0, h);
  assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  ent_hash_sha256(two, strlen(two), h);
  assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}


static char *render(const ent_ensemble *e) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  assert_int_equal(ent_ensemble_write(e, ENT_FORMAT_JSON, mem), ENT_OK);
  fclose(mem);
  return buf;
}

static long long count(const char *db, const char *sql) {
  sqlite3 *h;
  assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(q), SQLITE_ROW);
  long long v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(h);
  return v;
}

static void test_resume(void **state) {
  (void)state;
  ent_model *m = ref_scenario("ensemble/mini-uncertain.yaml");
  ent_ensemble_opts o;
  ent_ensemble_opts_init(&o);
  o.runs = 100;
  o.seed = 7;
  o.threads = 2;
  ent_diag *d = ent_diag_create();
  /* uninterrupted, no store */
  ent_ensemble *e = NULL;
  assert_int_equal(ent_ensemble_create(m, NULL, &o, &e, d), ENT_OK);
  while (ent_ensemble_step(e, d) == ENT_CONTINUE) {
  }
  char *want = render(e);
  ent_ensemble_destroy(e);
  /* stored, interrupted after one batch */
  char db[400];
  tmp_path(db, sizeof db, "runs.db");
  ent_store *s = NULL;
  assert_int_equal(ent_store_open(db, 1, &s, d), ENT_OK);
  long long id = 0;
  assert_int_equal(ent_ensemble_create(m, NULL, &o, &e, d), ENT_OK);
  assert_int_equal(ent_store_begin_forecast(s, e, &id, d), ENT_OK);
  assert_int_equal(ent_ensemble_step(e, d), ENT_CONTINUE);
  assert_int_equal(ent_store_save_batch(s, id, e, d), ENT_OK);
  unsigned long done = ent_ensemble_done(e);
  ent_ensemble_stop(e);
  assert_int_equal(ent_ensemble_step(e, d), ENT_OK);
  assert_int_equal(ent_store_finish_forecast(s, id, e, 0, d), ENT_OK);
  ent_ensemble_destroy(e);
  ent_store_close(s);
  assert_true(count(db, "SELECT count(*) FROM members") == (long long)done);
  assert_true(count(db, "SELECT count(*) FROM runs WHERE status = 'interrupted' "
                        "AND output IS NOT NULL") == 1);
  assert_true(count(db, "SELECT done FROM runs") == (long long)done);
  /* resume on one thread */
  ent_model *rm = NULL;
  long long rid = 0;
  o.threads = 1;
  assert_int_equal(ent_store_open(db, 0, &s, d), ENT_OK);
  if (ent_store_resume(s, 0, &o, &e, &rm, &rid, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("resume failed");
  }
  assert_true(rid == id);
  assert_true(ent_ensemble_done(e) == done);
  ent_status st;
  while ((st = ent_ensemble_step(e, d)) == ENT_CONTINUE)
    assert_int_equal(ent_store_save_batch(s, rid, e, d), ENT_OK);
  assert_int_equal(st, ENT_OK);
  assert_int_equal(ent_store_save_batch(s, rid, e, d), ENT_OK);
  assert_int_equal(ent_store_finish_forecast(s, rid, e, 0, d), ENT_OK);
  char *got = render(e);
  assert_string_equal(got, want);
  /* nothing left to resume */
  ent_ensemble *e2 = NULL;
  ent_model *m2 = NULL;
  assert_int_equal(ent_store_resume(s, 0, &o, &e2, &m2, &rid, d), ENT_EINPUT);
  assert_null(e2);
  ent_store_close(s);
  assert_true(count(db, "SELECT count(*) FROM runs WHERE status = 'complete' AND "
                        "done = 100") == 1);
  assert_true(count(db, "SELECT count(*) FROM members") == 100);
  assert_true(count(db, "SELECT count(*) FROM members WHERE record IS NULL") == 100);
  assert_true(count(db, "SELECT count(*) FROM members WHERE length(inputs) = "
                        "17 * 8") == 100);
  assert_true(count(db, "SELECT count(*) FROM params") == 17);
  assert_true(count(db, "SELECT count(*) FROM series") > 100);
  assert_true(count(db, "SELECT count(*) FROM outcomes") == 2);
  assert_true(count(db, "SELECT count(*) FROM sensitivity") > 0);
  assert_true(count(db, "PRAGMA application_id") == 0x456E7465);
  free(got);
  free(want);
  ent_ensemble_destroy(e);
  ent_model_destroy(rm);
  ent_diag_destroy(d);
  ent_model_destroy(m);
}

static char *slurp(const char *path, size_t *len) {
  char *t;
  const char *why;
  assert_int_equal(ent_read_file(path, 1 << 24, &t, len, &why), ENT_OK);
  return t;
}

/* Open must refuse `path` with `msg` and leave it unchanged. */
static void refused(const char *path, const char *msg) {
  size_t n0, n1;
  char *before = slurp(path, &n0);
  ent_diag *d = ent_diag_create();
  ent_store *s = NULL;
  assert_int_equal(ent_store_open(path, 1, &s, d), ENT_EINPUT);
  assert_null(s);
  const ent_diag_item *it = ent_diag_get(d, 0);
  assert_non_null(it);
  if (!strstr(it->msg, msg)) fail_msg("'%s' lacks '%s'", it->msg, msg);
  char *after = slurp(path, &n1);
  assert_true(n0 == n1 && !memcmp(before, after, n0));
  char wal[500];
  snprintf(wal, sizeof wal, "%s-wal", path);
  assert_int_not_equal(access(wal, F_OK), 0);
  ent_free(before);
  ent_free(after);
  ent_diag_destroy(d);
}

static void copy_file(const char *from, const char *to) {
  size_t n;
  char *t = slurp(from, &n);
  FILE *fp = fopen(to, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(t, 1, n, fp), n);
  fclose(fp);
  ent_free(t);
}

static void test_refuse(void **state) {
  (void)state;
  char p[400], src[1024];
  tmp_path(p, sizeof p, "notes.txt");
  FILE *fp = fopen(p, "w");
  fputs("my notes, not a database\n", fp);
  fclose(fp);
  refused(p, "not an SQLite database");
  ref_path(src, sizeof src, "ensemble/bad/foreign.sqlite");
  tmp_path(p, sizeof p, "foreign.sqlite");
  copy_file(src, p);
  refused(p, "an SQLite database of another application");
  ref_path(src, sizeof src, "ensemble/bad/corrupt-store.sqlite");
  tmp_path(p, sizeof p, "corrupt.sqlite");
  copy_file(src, p);
  refused(p, "the database is corrupt");
  /* a store of a later schema */
  tmp_path(p, sizeof p, "future.db");
  ent_store *s = NULL;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_store_open(p, 1, &s, d), ENT_OK);
  ent_store_close(s);
  sqlite3 *h;
  sqlite3_open(p, &h);
  sqlite3_exec(h, "PRAGMA journal_mode=DELETE; PRAGMA user_version=9", NULL, NULL, NULL);
  sqlite3_close(h);
  refused(p, "made by a newer entente");
  /* missing without create: an I/O error, nothing made */
  tmp_path(p, sizeof p, "missing.db");
  assert_int_equal(ent_store_open(p, 0, &s, d), ENT_EIO);
  assert_int_not_equal(access(p, F_OK), 0);
  /* an empty file and an empty SQLite database become stores */
  tmp_path(p, sizeof p, "empty.db");
  fclose(fopen(p, "w"));
  assert_int_equal(ent_store_open(p, 1, &s, d), ENT_OK);
  ent_store_close(s);
  tmp_path(p, sizeof p, "blank.sqlite");
  sqlite3_open(p, &h);
  sqlite3_exec(h, "PRAGMA user_version=0; VACUUM", NULL, NULL, NULL);
  sqlite3_close(h);
  assert_int_equal(ent_store_open(p, 1, &s, d), ENT_OK);
  ent_store_close(s);
  ent_diag_destroy(d);
}

static void test_runs(void **state) {
  (void)state;
  ent_model *m = ref_scenario("struct/mini.yaml");
  ent_run *r = NULL;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_run_create(m, NULL, &r, d), ENT_OK);
  char db[400];
  tmp_path(db, sizeof db, "single.db");
  ent_store *s = NULL;
  assert_int_equal(ent_store_open(db, 1, &s, d), ENT_OK);
  long long id = 0;
  assert_int_equal(ent_store_add_run(s, r, NULL, &id, d), ENT_OK);
  assert_int_equal(ent_store_add_run(s, r, NULL, &id, d), ENT_OK);
  assert_true(id == 2);
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  assert_int_equal(ent_store_list(s, ENT_FORMAT_TEXT, mem), ENT_OK);
  fclose(mem);
  assert_non_null(strstr(buf, "mini"));
  assert_non_null(strstr(buf, "complete"));
  free(buf);
  mem = open_memstream(&buf, &len);
  assert_int_equal(ent_store_show(s, 1, mem, d), ENT_OK);
  fclose(mem);
  assert_non_null(strstr(buf, "\"series\""));
  free(buf);
  ent_store_close(s);
  char sql[200];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM series WHERE run_id = 1");
  assert_true(count(db, sql) == (long long)r->n_series);
  /* the value of a series, kept exactly (the shortest round-trip text) */
  assert_true(count(db, "SELECT count(*) FROM series WHERE variable = "
                        "'trade_flow' AND entity = 'RUS->CHN' AND year = 2020 "
                        "AND mean = 60") == 2);
  ent_run_destroy(r);
  ent_model_destroy(m);
  ent_diag_destroy(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sha256),
      cmocka_unit_test(test_resume),
      cmocka_unit_test(test_refuse),
      cmocka_unit_test(test_runs),
  };
  return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
