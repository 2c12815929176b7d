/*
 * test_trade_io.c -- the writers and the reader of `entente gravity`
 * against their previous implementations, kept callable for this and for
 * bench_trade: every format of ent_trade_result_write byte for byte
 * against ent_trade_result_write_ref (numbers through snprintf/strtod,
 * JSON through a cJSON tree, text through fprintf), on problems with
 * names that need quoting, escaping, UTF-8, truncation in the text table,
 * zero flows and embargoes; and the fast flows and shock readers against
 * the general ones (ent_trade_problem_load_files_ref) value for value and
 * message for message (text, severity, line, column).
 */
#include <math.h>
#include <stdint.h>
#include <unistd.h>

#include "input/trade_csv.h"
#include "output/render.h"
#include "testutil.h"

static uint64_t mix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double unif(uint64_t *s) { return (double)(mix(s) >> 11) * 0x1p-53; }

/* The bytes fn writes for r. */
static char *written(ent_status (*fn)(const ent_trade_result *, ent_format,
                                      FILE *),
                     const ent_trade_result *r, ent_format f, size_t *len) {
  FILE *fp = tmpfile();
  assert_non_null(fp);
  assert_int_equal(fn(r, f, fp), ENT_OK);
  long end = ftell(fp);
  assert_true(end > 0);
  rewind(fp);
  char *buf = malloc((size_t)end + 1);
  assert_non_null(buf);
  *len = fread(buf, 1, (size_t)end, fp);
  assert_int_equal(*len, (size_t)end);
  buf[*len] = '\0';
  fclose(fp);
  return buf;
}

static void same_output(const ent_trade_result *r) {
  static const ent_format fmts[] = {ENT_FORMAT_CSV, ENT_FORMAT_JSON,
                                    ENT_FORMAT_TEXT};
  for (size_t k = 0; k < 3; k++) {
    size_t la, lb;
    char *a = written(ent_trade_result_write, r, fmts[k], &la);
    char *b = written(ent_trade_result_write_ref, r, fmts[k], &lb);
    if (la != lb || memcmp(a, b, la) != 0) {
      size_t i = 0;
      while (i < la && i < lb && a[i] == b[i]) i++;
      fail_msg("format %d differs at byte %zu: '%.40s' vs '%.40s'",
               (int)fmts[k], i, a + i, b + i);
    }
    free(a);
    free(b);
  }
}

static void test_writers(void **state) {
  (void)state;
  static const char *const names[] = {
      "Korea, Rep.", "say \"hi\"", "back\\slash", "tab\there", "ctl\x01x\x1b",
      "Côte d'Ivoire", " lead", "#hash", "A very long country name that the text table cuts",
      "line\nbreak", "C10", "C11"};
  uint64_t s = 2026;
  for (size_t n = 2; n <= 12; n += 5) {
    double *X = malloc(n * n * sizeof *X), *b = malloc(n * n * sizeof *b);
    assert_non_null(X);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++) {
        double u = unif(&s);
        X[i * n + j] = i == j ? 1000.0 + 1e4 * u
                              : (u < 0.2 ? 0.0 : (u < 0.3 ? 7.0 : 300.0 * u));
        b[i * n + j] = i == j ? 1.0 : (u > 0.9 ? 0.0 : exp(-unif(&s)));
      }
    ent_trade_problem *p = NULL;
    assert_int_equal(ent_trade_problem_create(n, names, X, b, &p), ENT_OK);
    for (int mode = 0; mode < 2; mode++) {
      ent_trade_opts o;
      ent_trade_opts_init(&o);
      o.deficit = (ent_trade_deficit)mode;
      ent_trade_result *r = NULL;
      assert_int_equal(ent_trade_solve(p, &o, &r, NULL), ENT_OK);
      same_output(r);
      ent_trade_result_destroy(r);
    }
    ent_trade_problem_destroy(p);
    free(X);
    free(b);
  }
}

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Both readers give the same problem (names, flows, shocks, bits). */
static void same_problem(const char *flows, const char *shock) {
  char fpath[] = "/tmp/test_trade_io_fXXXXXX", spath[] = "/tmp/test_trade_io_sXXXXXX";
  int fd = mkstemp(fpath), sd = mkstemp(spath);
  assert_true(fd >= 0 && sd >= 0);
  write_text(fpath, flows);
  write_text(spath, shock);
  ent_trade_problem *a = NULL, *b = NULL;
  ent_diag *da = ent_diag_create(), *db = ent_diag_create();
  ent_status sa = ent_trade_problem_load_files(fpath, spath, &a, da);
  ent_status sb = ent_trade_problem_load_files_ref(fpath, spath, &b, db);
  assert_int_equal(sa, sb);
  assert_int_equal(ent_diag_count(da), ent_diag_count(db));
  for (size_t k = 0; k < ent_diag_count(da); k++) {
    const ent_diag_item *x = ent_diag_get(da, k), *y = ent_diag_get(db, k);
    assert_string_equal(x->msg, y->msg);
    assert_int_equal(x->severity, y->severity);
    assert_int_equal(x->line, y->line);
    assert_int_equal(x->col, y->col);
  }
  if (sa == ENT_OK) {
    size_t n = a->n;
    assert_int_equal(n, b->n);
    for (size_t i = 0; i < n; i++)
      assert_string_equal(a->names[i], b->names[i]);
    assert_memory_equal(a->X, b->X, n * n * sizeof *a->X);
    assert_memory_equal(a->b, b->b, n * n * sizeof *a->b);
    assert_memory_equal(a->beta, b->beta, n * n * sizeof *a->beta);
  }
  ent_trade_problem_destroy(a);
  ent_trade_problem_destroy(b);
  ent_diag_destroy(da);
  ent_diag_destroy(db);
  close(fd);
  close(sd);
  remove(fpath);
  remove(spath);
}

static void test_reader(void **state) {
  (void)state;
  const char *shock = "exporter,importer,beta\nB,A,embargo\nA,B,-1.5\n";
  /* plain, CRLF, BOM, comments, reordered columns, -0, numbers of every
   * syntax, blanks around fields, a quoted name (the general reader) */
  same_problem("exporter,importer,flow\nA,A,10\nA,B,2.5\nB,A,1e1\nB,B,7\n",
               shock);
  same_problem("exporter,importer,flow\r\nA,A,10\r\nA,B,2.5\r\nB,A,3\r\nB,B,7\r\n",
               shock);
  same_problem("\xEF\xBB\xBF# c\n\nFlow, Exporter ,IMPORTER\n 10 ,A,A\n"
               "-0,A,B\n\t\n0.30000000000000004, B ,A\n#x\n7.,B,B",
               shock);
  same_problem("exporter,importer,flow\nA,A,000123.4500\nA,B,+.5\n"
               "B,A,53622.640137675917\nB,B,123456789012345678901234\n",
               shock);
  same_problem("exporter,importer,flow\n\"A\",A,10\nA,B,2.5\nB,A,3\nB,B,7\n",
               shock);
  /* the usual column order (the reader's one-scan split): blanks around
   * names and numbers, a blank line, CRLF, comments, rows out of order,
   * a subnormal and a huge number, a tab or a comma too many */
  same_problem("exporter,importer,flow\n A , A ,10 \nA,B, 2.5\n\nB,A,3\r\n"
               "#c\nB,B,7\n",
               shock);
  same_problem("exporter,importer,flow\nB,B,7\nB,A,3\nA,B,1e-320\nA,A,10\n",
               shock);
  same_problem("exporter,importer,flow\nB,B,7\nB,A,3\nA,B,1e400\nA,A,10\n",
               shock);
  same_problem("exporter,importer,flow\nA\tx,A\tx,10\nA\tx,B,2\nB,A\tx,3\n"
               "B,B,7\n",
               "exporter,importer,beta\nB,A\tx,-1\n");
  same_problem("exporter,importer,flow\nA,A,10,1\nA,B,2\nB,A,3\nB,B,7\n",
               shock);
  same_problem("exporter,importer,flow\nA,A,10\n #x,A,1\nA,B,2\nB,A,3\n"
               "B,B,7\n",
               shock);
  same_problem("exporter,importer,flow\nA,A,10\nA,B,2\nB,A,3\nB,B,7\nA,B,2\n",
               shock);
  same_problem("exporter,importer,flow\nA,A,10\nA,,2\nB,A,3\nB,B,7\n", shock);
  {
    char big[1200];
    int len = sprintf(big, "exporter,importer,flow\n");
    char name[260];
    memset(name, 'N', 250);
    name[250] = '\0';
    len += sprintf(big + len, "%s,%s,1\n%s,B,2\nB,%s,3\nB,B,4\n", name, name,
                   name, name);
    same_problem(big, "exporter,importer,beta\n");
  }
  /* errors: the general reader reports them either way */
  same_problem("exporter,importer,flow\nA,A,10\nA,B,-2.5\nB,A,3\nB,B,7\n",
               shock);
  same_problem("exporter,importer,flow\nA,A,10\nA,B,2.5\nB,B,7\n", shock);
  same_problem("exporter,importer,flow\nA,A,0\nA,B,2.5\nB,A,3\nB,B,7\n",
               shock);
  /* shock files (the fast reader's and the general one's): warnings of
   * shocks on zero flows at their lines past comments, blank lines, CRLF
   * and a byte order mark; every spelling of an embargo; beta syntax;
   * then what the general reader reports or reads (errors, quotes, other
   * column orders, long numbers) */
  const char *zf = "exporter,importer,flow\nA,A,10\nA,B,0\nB,A,3\nB,B,7\n"
                   "A,C,0\nC,A,1\nC,B,0\nC,C,4\nB,C,2\n";
  static const char *const shocks[] = {
      "exporter,importer,beta\nA,B,-1\nB,A,-0.5\nC,B,embargo\n",
      "\xEF\xBB\xBF# s\n\nexporter,importer,beta\r\n\r\nA,B,-1\r\n# c\r\n"
      " C , B ,EMBARGO\r\n\tB,A, -Inf \r\nA,C,-INFINITY\r\n",
      "exporter,importer,beta\nA,B,+.5\nA,C,-0\nB,A,1e-3\nC,A,-2.5E+1\n"
      "B,C,0.30000000000000004\nC,B,-123456789012345678e-18",
      "exporter,importer,beta\n",
      "exporter,importer,beta\n\n#only comments\n",
      "",
      "exporter,importer,beta\nA,A,-1\n",
      "exporter,importer,beta\nA,B,-1\nA,B,-2\n",
      "exporter,importer,beta\nA,D,-1\nA,B,-2\n",
      "exporter,importer,beta\nA,B,nan\n",
      "exporter,importer,beta\nA,B,inf\n",
      "exporter,importer,beta\nA,B,800\n",
      "exporter,importer,beta\nA,B,1e-400\n",
      "exporter,importer,beta\nA,B,\n",
      "exporter,importer,beta\nA,B,-1,2\n",
      "exporter,importer,beta\nA,B\n",
      "exporter,importer,beta\n,B,-1\n",
      "exporter,importer,beta\nA\tx,B,-1\n",
      "exporter,importer,beta\n\"A\",B,-1\n",
      "importer,exporter,beta\nA,B,-1\nC,B,-1\n",
      "exporter,importer\nA,B\n",
      "exporter,importer,beta,x\nA,B,-1,1\n",
      "exporter,importer,beta\nA,B,-1e\n",
      "exporter,importer,beta\nA,B,0x10\n",
      "exporter,importer,beta\nA,B,0.000000000000000000000000000000000000000"
      "0000000000000000000000000000000000000000000000000000000000000000000000"
      "0000000000000000000000000000000000000000000000000000000001\n"};
  for (size_t k = 0; k < sizeof shocks / sizeof shocks[0]; k++)
    same_problem(zf, shocks[k]);
  /* random tables with machine-written numbers */
  uint64_t s = 77;
  char *text = malloc(1 << 20);
  assert_non_null(text);
  for (int rep = 0; rep < 20; rep++) {
    size_t n = 2 + mix(&s) % 30, len = 0;
    len += (size_t)sprintf(text + len, "exporter,importer,flow\n");
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++) {
        double v = i == j ? 1e3 * (1.0 + unif(&s)) : 1e2 * unif(&s);
        if (mix(&s) % 3 == 0) v = floor(v * 1000.0) / 1000.0;
        /* some tables name a country in UTF-8 (bytes above 0x7f in the
         * middle of a long text) */
        const char *pi = rep % 4 == 0 && i == n / 2 ? "\xC3\x91" : "N";
        const char *pj = rep % 4 == 0 && j == n / 2 ? "\xC3\x91" : "N";
        len += (size_t)sprintf(text + len, (mix(&s) & 1) ? "%s%zu,%s%zu,%.17g\n"
                                                          : "%s%zu,%s%zu,%.6e\n",
                               pi, i, pj, j, v);
      }
    same_problem(text, "exporter,importer,beta\nN1,N0,-0.25\n");
    /* shocks on a tenth of the pairs, some of them embargoes */
    char *sh = malloc(64 * n * n + 64);
    assert_non_null(sh);
    size_t sl = (size_t)sprintf(sh, "exporter,importer,beta\n");
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++)
        if (i != j && mix(&s) % 10 == 0)
          sl += (size_t)sprintf(sh + sl, (mix(&s) % 4) ? "N%zu,N%zu,%.17g\n"
                                                        : "N%zu,N%zu,embargo\n",
                                i, j, -2.0 * unif(&s));
    same_problem(text, sh);
    free(sh);
  }
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_writers),
      cmocka_unit_test(test_reader),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
