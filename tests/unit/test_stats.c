/*
 * test_stats.c -- streaming statistics (stats.h): Welford's mean and sd
 * against the two-pass formulas, exact quantiles against hand-computed
 * type-7 values, the sketch's rank error against its stated bound on
 * uniform data (whose quantiles are known), and its determinism; the
 * order-statistic selection against qsort on data with many ties, runs
 * and signed zeros; the sketch bit for bit against a plain compactor
 * written here with qsort; rows added by cell ranges (the threads' way)
 * against values added one by one; the sketch's level sort and its
 * compaction of two runs against qsort, bit for bit, on adversarial
 * inputs (ties, infinities, subnormals, signed zeros, sorted, reversed);
 * cells whose values are one value for a stretch or for good (kept as a
 * count until they vary) against the same references, and their Welford
 * sums against ent_welford_add.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "ensemble/stats.h"
#include "ensemble/stats_sort.h"
#include "testutil.h"

static void test_welford(void **state) {
  (void)state;
  const double x[] = {2.385, -1.5, 7.25, 0.125, 3.0, 11.5, -4.75};
  size_t n = sizeof x / sizeof x[0];
  ent_welford w = {0};
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    ent_welford_add(&w, x[i]);
    sum += x[i];
  }
  double mean = sum / (double)n, ss = 0.0;
  for (size_t i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
  assert_near(w.mean, mean, 1e-13);
  assert_near(ent_welford_sd(&w), sqrt(ss / (double)(n - 1)), 1e-13);
  ent_welford one = {0};
  ent_welford_add(&one, 5.0);
  assert_true(ent_welford_sd(&one) == 0.0);
}

static void test_exact(void **state) {
  (void)state;
  /* type 7: h = (n - 1) p, x[floor h] + (h - floor h) (x[ceil h] - x[floor h]) */
  const double x[] = {9.0, 1.0, 4.0, 16.0, 25.0}; /* sorted: 1 4 9 16 25 */
  ent_qacc *q = ent_qacc_create(2, 5, 1 << 20);
  assert_non_null(q);
  assert_true(ent_qacc_exact(q));
  for (int i = 0; i < 5; i++) ent_qacc_add(q, 1, x[i]);
  const double p[] = {0.0, 0.05, 0.25, 0.5, 0.9, 1.0};
  const double want[] = {1.0, 1.6, 4.0, 9.0, 21.4, 25.0};
  double out[6], scratch[8];
  ent_qacc_quantiles(q, 1, p, 6, out, scratch);
  for (int i = 0; i < 6; i++) assert_near(out[i], want[i], 1e-12);
  ent_qacc_quantiles(q, 0, p, 1, out, scratch);
  assert_true(isnan(out[0]));
  assert_int_equal(ent_qacc_count(q, 1), 5);
  ent_qacc_destroy(q);
}

/* The sketch on 200 000 uniforms: every quantile's rank error within the
 * bound (H - 1) / k, and identical states for identical input orders. */
static void test_sketch(void **state) {
  (void)state;
  size_t n = 200000;
  /* a budget far below n doubles forces the sketch */
  ent_qacc *q = ent_qacc_create(1, n, 64 * 1024);
  ent_qacc *q2 = ent_qacc_create(1, n, 64 * 1024);
  assert_non_null(q);
  assert_false(ent_qacc_exact(q));
  size_t k = ent_qacc_k(q), H = ent_qacc_levels(q);
  assert_true(k >= 64 && k * H * sizeof(double) <= 64 * 1024);
  double bound = ent_qacc_rank_error(q);
  assert_near(bound, (double)(H - 1) / (double)k, 1e-15);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 20241129);
  for (size_t i = 0; i < n; i++) {
    double u = gsl_rng_uniform(r);
    ent_qacc_add(q, 0, u);
    ent_qacc_add(q2, 0, u);
  }
  const double p[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  double out[5], out2[5];
  double *scratch = malloc(ent_qacc_scratch(q) * sizeof(double));
  ent_qacc_quantiles(q, 0, p, 5, out, scratch);
  ent_qacc_quantiles(q2, 0, p, 5, out2, scratch);
  for (int i = 0; i < 5; i++) {
    /* rank error of the sample plus that of the sample against the law
     * (4 sd of a uniform sample quantile) */
    double tol = bound + 4.0 * sqrt(p[i] * (1 - p[i]) / (double)n);
    assert_near(out[i], p[i], tol);
    assert_true(out[i] == out2[i]);
  }
  print_message("sketch k %zu, %zu levels, bound %.4f; median %.5f\n", k, H,
                bound, out[2]);
  free(scratch);
  gsl_rng_free(r);
  ent_qacc_destroy(q);
  ent_qacc_destroy(q2);
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Every rank selected equals the sorted array's value at that rank, bit
 * for bit (as sorted by qsort: the same values, an order of its own for
 * the ties), on sizes 0..2000 of values with few distinct values, sorted
 * and reversed runs, and the permutation left is one of the input. */
static void test_select(void **state) {
  (void)state;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 11);
  size_t sizes[] = {0, 1, 2, 3, 5, 16, 17, 31, 100, 127, 128, 129, 257, 1000, 2000};
  for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
    for (int kind = 0; kind < 6; kind++) {
      size_t n = sizes[si];
      double *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
      for (size_t i = 0; i < n; i++) {
        double u = gsl_rng_uniform(rng);
        switch (kind) {
        case 0: a[i] = u; break;
        case 1: a[i] = floor(4.0 * u); break;          /* 4 values */
        case 2: a[i] = (double)i; break;               /* sorted */
        case 3: a[i] = (double)(n - i); break;         /* reversed */
        case 4: a[i] = 7.5; break;                     /* all equal */
        default: a[i] = i % 2 ? 1.0 / (1.0 + (double)(i % 5)) : -u; break;
        }
      }
      memcpy(b, a, n * sizeof *a);
      qsort(b, n, sizeof *b, cmp_d);
      size_t ranks[12] = {0}, nr = 0;
      double p[] = {0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
      for (size_t j = 0; n && j < 6; j++) {
        size_t lo = (size_t)floor((double)(n - 1) * p[j]);
        ranks[nr++] = lo;
        ranks[nr++] = lo + 1; /* may be n: ignored */
      }
      size_t want[12];
      memcpy(want, ranks, sizeof want);
      assert_int_equal(ent_select_ranks(a, n, ranks, nr), 0);
      for (size_t j = 0; j < nr; j++)
        if (want[j] < n) assert_memory_equal(&a[want[j]], &b[want[j]], sizeof *a);
      qsort(a, n, sizeof *a, cmp_d);
      assert_memory_equal(a, b, n * sizeof *a);
      free(a);
      free(b);
    }
  /* a -0.0 among the values: sorted whole (gsl_sort), reported */
  double z[] = {0.0, 3.0, -0.0, -1.0, 0.0, 2.0};
  size_t r[] = {2};
  assert_int_equal(ent_select_ranks(z, 6, r, 1), 1);
  for (size_t i = 0; i + 1 < 6; i++) assert_true(z[i] <= z[i + 1]);
  gsl_rng_free(rng);
}

/* Rows (with NaN gaps, past n_max, mixed with single adds) give the same
 * counts and quantiles as the same values added cell by cell, exact and
 * sketch. */
static void test_rows(void **state) {
  (void)state;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 5);
  for (int exact = 0; exact < 2; exact++) {
    size_t cells = 7, n = 300;
    size_t budget = exact ? 1u << 24 : 16 * 1024;
    ent_qacc *a = ent_qacc_create(cells, n, budget);
    ent_qacc *b = ent_qacc_create(cells, n, budget);
    ent_qacc *blk = ent_qacc_create(cells, n, budget);
    assert_int_equal(ent_qacc_exact(a), exact);
    assert_int_equal(ent_qacc_exact(blk), exact);
    uint64_t *tmp = malloc(ent_qacc_block_scratch(blk) * sizeof *tmp);
    /* blk: batches of 1..23 rows by the cell ranges [0, 3) and [3, 7),
     * the later range first; every fifth batch row by row instead */
    double batch[23][7];
    const double *rows[23];
    size_t nb = 0, want_nb = 1, batches = 0;
    double x[7];
    for (size_t r = 0; r < 340; r++) {
      for (size_t c = 0; c < cells; c++) batch[nb][c] = NAN;
      for (size_t c = 0; c < cells; c++)
        x[c] = gsl_rng_uniform(rng) < 0.2 * (double)(c % 3) ? NAN
                                                          : gsl_rng_uniform(rng);
      if (r % 37 == 5) {
        for (size_t c = 0; c < cells; c++)
          if (!isnan(x[c])) ent_qacc_add(a, c, x[c]);
      } else {
        ent_qacc_add_row(a, x);
      }
      for (size_t c = 0; c < cells; c++)
        if (!isnan(x[c])) ent_qacc_add(b, c, x[c]);
      memcpy(batch[nb], x, sizeof x);
      rows[nb] = batch[nb];
      if (++nb == want_nb || r == 339) {
        if (batches++ % 5 == 4) {
          for (size_t i = 0; i < nb; i++) ent_qacc_add_row(blk, rows[i]);
        } else {
          ent_qacc_flush(blk);
          ent_qacc_add_block(blk, 3, 7, rows, nb, tmp);
          ent_qacc_add_block(blk, 0, 3, rows, nb, tmp);
        }
        nb = 0;
        want_nb = want_nb % 23 + 1;
      }
    }
    double p[] = {0.0, 0.05, 0.5, 0.95, 1.0}, qa[5], qb[5];
    double *scratch = malloc(ent_qacc_scratch(a) * sizeof(double));
    for (size_t c = 0; c < cells; c++) {
      assert_int_equal(ent_qacc_count(a, c), ent_qacc_count(b, c));
      assert_int_equal(ent_qacc_count(blk, c), ent_qacc_count(b, c));
      ent_qacc_quantiles(a, c, p, 5, qa, scratch);
      ent_qacc_quantiles(b, c, p, 5, qb, scratch);
      assert_memory_equal(qa, qb, sizeof qa);
      ent_qacc_quantiles(blk, c, p, 5, qa, scratch);
      assert_memory_equal(qa, qb, sizeof qa);
    }
    free(scratch);
    free(tmp);
    ent_qacc_destroy(a);
    ent_qacc_destroy(b);
    ent_qacc_destroy(blk);
  }
  gsl_rng_free(rng);
}

/* ------------------------------------------------ reference compactor */

typedef struct ref_wv {
  double v, w;
} ref_wv;

static int cmp_wv(const void *a, const void *b) {
  return cmp_d(&((const ref_wv *)a)->v, &((const ref_wv *)b)->v);
}

/* The sketch of stats.h written plainly: H levels of k values; a full
 * level (below the top) is sorted with qsort and every other value, from
 * an offset that alternates per level, moves up.  A quantile p is the
 * first value, in value order, whose cumulative weight (2^level) reaches
 * p times the total, else the last. */
static void ref_sketch(const double *x, size_t n, size_t k, size_t H,
                       const double *p, size_t np, double *out) {
  double *lv = calloc(H * k, sizeof *lv);
  size_t *len = calloc(H, sizeof *len);
  int *par = calloc(H, sizeof *par);
  for (size_t i = 0; i < n; i++) {
    lv[len[0]++] = x[i];
    for (size_t h = 0; h + 1 < H && len[h] == k; h++) {
      qsort(lv + h * k, k, sizeof *lv, cmp_d);
      for (size_t j = (size_t)par[h]; j < k; j += 2)
        lv[(h + 1) * k + len[h + 1]++] = lv[h * k + j];
      par[h] ^= 1;
      len[h] = 0;
    }
  }
  ref_wv *w = malloc(H * k * sizeof *w);
  size_t m = 0;
  double total = 0.0;
  for (size_t h = 0; h < H; h++)
    for (size_t j = 0; j < len[h]; j++) {
      w[m].v = lv[h * k + j];
      w[m].w = ldexp(1.0, (int)h);
      total += w[m++].w;
    }
  qsort(w, m, sizeof *w, cmp_wv);
  for (size_t i = 0; i < np; i++) {
    double cum = 0.0;
    size_t j = 0;
    for (; j + 1 < m; j++) {
      cum += w[j].w;
      if (cum >= p[i] * total) break;
    }
    out[i] = w[j].v;
  }
  free(w);
  free(lv);
  free(len);
  free(par);
}

/* The sketch (k = 1024, 6 levels) against the reference on 20 000
 * values of several shapes -- uniform, spread over many orders of
 * magnitude and both signs, a few distinct values, subnormal and huge
 * magnitudes, all equal, sorted, zeros of both signs, infinities: the
 * same quantiles, bit for bit, for ascending p and the same p in
 * another order; with the sorts in no vector lanes, in 4 and in 8 (those
 * this CPU runs). */
static void test_sketch_reference(void **state) {
  (void)state;
  size_t n = 20000;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 3);
  double *x = malloc(n * sizeof *x);
  const double p[] = {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
  double got[7], want[7];
  for (int kind = 0; kind < 8; kind++) {
    for (size_t i = 0; i < n; i++) {
      double u = gsl_rng_uniform_pos(rng);
      switch (kind) {
      case 0: x[i] = u; break;
      case 1: x[i] = (u < 0.3 ? -1.0 : 1.0) * exp(40.0 * (gsl_rng_uniform(rng) - 0.5)); break;
      case 2: x[i] = floor(5.0 * u) - 2.0; break;
      case 3: x[i] = u < 0.5 ? u * 1e-310 : u * 1e300; break;
      case 4: x[i] = 42.125; break;
      case 5: x[i] = 1000.0 + (double)i * 1e-9; break;
      case 6: x[i] = u < 0.3 ? 0.0 : u < 0.5 ? -0.0 : u - 0.75; break;
      default: x[i] = u < 0.1 ? INFINITY : u < 0.2 ? -INFINITY : (double)(i % 97); break;
      }
    }
    /* the sorts without vector lanes, in 4 and in 8 (those the CPU runs) */
    /* level 0 left holding 544, 44 or 14 values (the read-out pads the
     * first two with +inf to 1 024 and 64 for the vector sort) */
    const size_t nn[] = {n, 19500, 19470};
    for (int lanes = 0; lanes <= ent_qacc_sort_lanes(); lanes = lanes ? 2 * lanes : 4)
      for (size_t t = 0; t < 3; t++) {
        ent_qacc *q = ent_qacc_create(3, n, 150000);
        assert_false(ent_qacc_exact(q));
        assert_int_equal(ent_qacc_k(q), 1024);
        ent_qacc_set_lanes(q, lanes);
        size_t H = ent_qacc_levels(q);
        for (size_t i = 0; i < nn[t]; i++) ent_qacc_add(q, 1, x[i]);
        double *scratch = malloc(ent_qacc_scratch(q) * sizeof(double));
        ent_qacc_quantiles(q, 1, p, 7, got, scratch);
        ref_sketch(x, nn[t], 1024, H, p, 7, want);
        assert_memory_equal(got, want, sizeof got);
        /* p not ascending (the merge written out, then read; ascending p
         * are read during the last merge): the same values */
        const size_t perm[] = {6, 3, 0, 5, 1, 4, 2};
        double pp[7], got2[7];
        for (size_t i = 0; i < 7; i++) pp[i] = p[perm[i]];
        ent_qacc_quantiles(q, 1, pp, 7, got2, scratch);
        for (size_t i = 0; i < 7; i++)
          assert_memory_equal(&got2[i], &want[perm[i]], sizeof(double));
        free(scratch);
        ent_qacc_destroy(q);
      }
  }
  free(x);
  gsl_rng_free(rng);
}

/* x[0..n) of shape `kind` (0..13), drawn from rng. */
static void adversarial(double *x, size_t n, int kind, gsl_rng *rng) {
  for (size_t i = 0; i < n; i++) {
    double u = gsl_rng_uniform(rng);
    switch (kind) {
    case 0: x[i] = u; break;
    case 1: x[i] = floor(3.0 * u); break;                     /* 3 values */
    case 2: x[i] = 7.5; break;                                /* all equal */
    case 3: x[i] = (double)i; break;                          /* sorted */
    case 4: x[i] = -(double)i; break;                         /* reversed */
    case 5: x[i] = u < 0.2 ? INFINITY : u < 0.4 ? -INFINITY : u - 0.5; break;
    case 6: x[i] = (u - 0.5) * 1e-310; break;                 /* subnormal */
    case 7: x[i] = u < 0.5 ? 0.0 : u < 0.75 ? -0.0 : u; break; /* signed 0 */
    case 8: x[i] = (u < 0.5 ? -1.0 : 1.0) * ldexp(1.0 + u, (int)(2000.0 * u) - 1000);
      break;                                                  /* exponents */
    case 9: x[i] = 1.0 + (double)(i % 7) * 0x1p-52; break;    /* last bits */
    case 10: x[i] = i % 2 ? DBL_MIN : -DBL_MAX; break;
    case 12: x[i] = i == n / 3 ? 1e300 : 1.0 + u; break;      /* outlier */
    case 13: x[i] = u < 0.01 ? DBL_MAX : u < 0.02 ? -DBL_MAX : u; break;
    default: x[i] = 1e11 * (1.0 + 0.2 * (u + gsl_rng_uniform(rng) - 1.0)); break;
    }
  }
}

/* The level sort against qsort, bit for bit. */
static void test_sort_doubles(void **state) {
  (void)state;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 17);
  const size_t sizes[] = {0, 1, 2, 3, 24, 25, 100, 256, 257, 1000, 1024, 2048, 5000};
  size_t nmax = 5000;
  double *a = malloc(nmax * sizeof *a), *b = malloc(nmax * sizeof *b);
  uint64_t *tmp = malloc(2 * nmax * sizeof *tmp);
  for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
    for (int kind = 0; kind < 14; kind++) {
      size_t n = sizes[si];
      adversarial(a, n, kind, rng);
      memcpy(b, a, n * sizeof *a);
      qsort(b, n, sizeof *b, cmp_d);
      ent_qacc_sort_level(a, n, tmp);
      assert_memory_equal(a, b, n * sizeof *a);
    }
  free(a);
  free(b);
  free(tmp);
  gsl_rng_free(rng);
}

/* The compaction of two sorted runs against qsort of the two, every
 * other value from either offset, bit for bit. */
static void test_merge_half(void **state) {
  (void)state;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 23);
  const size_t sizes[] = {1, 2, 3, 32, 512, 777};
  size_t mmax = 777;
  double *a = malloc(2 * mmax * sizeof *a), *cat = malloc(2 * mmax * sizeof *cat);
  double *out = malloc((mmax + 1) * sizeof *out), *want = malloc(mmax * sizeof *want);
  for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
    for (int kind = 0; kind < 12; kind++)
      for (int par = 0; par < 2; par++) {
        size_t m = sizes[si];
        adversarial(a, 2 * m, kind, rng);
        if (kind == 3) /* the second run below the first */
          for (size_t i = 0; i < m; i++) a[m + i] = -1.0 - (double)i;
        qsort(a, m, sizeof *a, cmp_d);
        qsort(a + m, m, sizeof *a, cmp_d);
        memcpy(cat, a, 2 * m * sizeof *a);
        qsort(cat, 2 * m, sizeof *cat, cmp_d);
        for (size_t i = 0; i < m; i++) want[i] = cat[2 * i + (size_t)par];
        ent_qacc_merge_half(a, a + m, m, par, out, cat);
        assert_memory_equal(out, want, m * sizeof *out);
      }
  free(a);
  free(cat);
  free(out);
  free(want);
  gsl_rng_free(rng);
}

/* Exact quantiles of cells of 130 to 3000 values of adversarial shapes,
 * fed in blocks of rows (the forecast's way: selected while copied out of
 * the store) and one by one, against type 7 on a qsort'ed copy: the same
 * bits (the same value where zeros of both signs are among them). */
static void test_exact_large(void **state) {
  (void)state;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 29);
  const size_t sizes[] = {130, 1000, 3000};
  const double p[] = {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
  double *x = malloc(3000 * sizeof *x), *sorted = malloc(3000 * sizeof *x);
  double *scratch = malloc(3000 * sizeof *scratch);
  for (size_t si = 0; si < 3; si++)
    for (int kind = 0; kind < 12; kind++) {
      size_t n = sizes[si];
      adversarial(x, n, kind, rng);
      memcpy(sorted, x, n * sizeof *x);
      qsort(sorted, n, sizeof *sorted, cmp_d);
      double want[7];
      for (int i = 0; i < 7; i++) {
        double h = (double)(n - 1) * p[i];
        size_t lo = (size_t)floor(h);
        double delta = h - (double)lo;
        want[i] = lo + 1 < n && delta > 0.0
                      ? sorted[lo] + delta * (sorted[lo + 1] - sorted[lo])
                      : sorted[lo];
      }
      ent_qacc *a = ent_qacc_create(2, n, 1 << 20);
      ent_qacc *b = ent_qacc_create(2, n, 1 << 20);
      assert_true(ent_qacc_exact(a));
      const double *rows[16];
      double row[16][2];
      uint64_t tmp[1];
      for (size_t r0 = 0; r0 < n; r0 += 16) {
        size_t nr = n - r0 < 16 ? n - r0 : 16;
        for (size_t r = 0; r < nr; r++) {
          row[r][0] = NAN;
          row[r][1] = x[r0 + r];
          rows[r] = row[r];
        }
        ent_qacc_add_block(a, 0, 2, rows, nr, tmp);
      }
      for (size_t i = 0; i < n; i++) ent_qacc_add(b, 1, x[i]);
      double got[7], got2[7];
      ent_qacc_quantiles(a, 1, p, 7, got, scratch);
      ent_qacc_quantiles(b, 1, p, 7, got2, scratch);
      for (int i = 0; i < 7; i++) {
        if (kind == 7) {
          assert_true(got[i] == want[i] && got2[i] == want[i]);
        } else {
          assert_memory_equal(&got[i], &want[i], sizeof got[i]);
          assert_memory_equal(&got2[i], &want[i], sizeof got2[i]);
        }
      }
      ent_qacc_destroy(a);
      ent_qacc_destroy(b);
    }
  free(x);
  free(sorted);
  free(scratch);
  gsl_rng_free(rng);
}

/* The sketch's levels packed as a stack in each cell's values: three
 * cells of different shapes fed in blocks of 13 rows (some values NaN)
 * for several n_max, their quantiles read every 1 499 values and at the
 * end, each against the reference on the values fed so far, bit for bit
 * -- a level written over a neighbour's values, or over its own cell's,
 * would show. */
static void test_sketch_stack(void **state) {
  (void)state;
  const size_t nmax[] = {3000, 6000, 10000, 10240, 20000};
  const double p[] = {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
  enum { CELLS = 3, BLOCK = 13 };
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 11);
  for (size_t t = 0; t < sizeof nmax / sizeof *nmax; t++) {
    size_t n = nmax[t];
    double *x = malloc(CELLS * n * sizeof *x); /* [cell][i], NaN kept out */
    double *rowv = malloc(BLOCK * CELLS * sizeof *rowv);
    size_t fed[CELLS] = {0};
    for (size_t c = 0; c < CELLS; c++) adversarial(x + c * n, n, (int)(3 * c + t) % 14, rng);
    ent_qacc *q = ent_qacc_create(CELLS, n, CELLS * n * sizeof(double) / 2);
    assert_false(ent_qacc_exact(q));
    uint64_t *tmp = malloc(ent_qacc_block_scratch(q) * sizeof *tmp);
    double *scratch = malloc(ent_qacc_scratch(q) * sizeof(double));
    size_t k = ent_qacc_k(q), H = ent_qacc_levels(q);
    for (size_t r0 = 0, next = 1499; fed[0] < n;) {
      const double *rows[BLOCK];
      size_t nr = 0;
      for (; nr < BLOCK; nr++) {
        for (size_t c = 0; c < CELLS; c++) {
          int skip = c == 2 && (r0 + nr) % 5 == 0; /* cell 2: a NaN */
          rowv[nr * CELLS + c] = skip || fed[c] >= n ? NAN : x[c * n + fed[c]++];
        }
        rows[nr] = rowv + nr * CELLS;
      }
      r0 += nr;
      ent_qacc_add_block(q, 0, CELLS, rows, nr, tmp);
      if (fed[0] < next && fed[0] < n) continue;
      next += 1499;
      for (size_t c = 0; c < CELLS; c++) {
        double got[7], want[7];
        assert_int_equal(ent_qacc_count(q, c), fed[c]);
        ent_qacc_quantiles(q, c, p, 7, got, scratch);
        ref_sketch(x + c * n, fed[c], k, H, p, 7, want);
        assert_memory_equal(got, want, sizeof got);
      }
    }
    free(tmp);
    free(scratch);
    free(rowv);
    free(x);
    ent_qacc_destroy(q);
  }
  gsl_rng_free(rng);
}

/* ent_welford_add_block against ent_welford_add value by value, bit for
 * bit: 1 203 cells (odd, over several chunks) from cell 5, 37 rows of
 * adversarial shapes (a cell's values of one shape), NaN in some lanes
 * (a cell's first value among them), -0.0 values; in the widest vector
 * lanes and in 2, 4 and 8 (those this CPU runs). */
static void test_welford_block(void **state) {
  (void)state;
  enum { CELLS = 1210, ROWS = 37, C0 = 5 };
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 23);
  double *x = malloc(CELLS * ROWS * sizeof *x), col[ROWS];
  for (size_t c = 0; c < CELLS; c++) {
    adversarial(col, ROWS, (int)(c % 14), rng);
    for (size_t r = 0; r < ROWS; r++) {
      int gap = (c % 3 == 0 && (r + c) % 4 == 0) || (c % 7 == 1 && r == 0);
      x[r * CELLS + c] = gap ? NAN : c % 11 == 4 ? -0.0 : col[r];
    }
  }
  const double *rows[ROWS];
  for (size_t r = 0; r < ROWS; r++) rows[r] = x + r * CELLS;
  ent_welford *a = calloc(CELLS, sizeof *a), *b = calloc(CELLS, sizeof *b);
  for (size_t r = 0; r < ROWS; r++)
    for (size_t c = C0; c < CELLS; c++)
      if (!isnan(rows[r][c])) ent_welford_add(&b[c], rows[r][c]);
  /* the widest lanes, then 2, 4 and 8 (as many as this CPU runs) */
  for (int lanes = 1; lanes <= 8; lanes *= 2) {
    memset(a, 0, CELLS * sizeof *a);
    if (lanes == 1) {
      ent_welford_add_block(a, C0, CELLS, rows, 20);
      ent_welford_add_block(a, C0, CELLS, rows + 20, ROWS - 20);
    } else {
      ent_welford_add_block_lanes(a, C0, CELLS, rows, 20, lanes);
      ent_welford_add_block_lanes(a, C0, CELLS, rows + 20, ROWS - 20, lanes);
    }
    for (size_t c = 0; c < CELLS; c++) {
      assert_int_equal(a[c].n, b[c].n);
      assert_memory_equal(&a[c].mean, &b[c].mean, sizeof(double));
      assert_memory_equal(&a[c].m2, &b[c].m2, sizeof(double));
    }
  }
  assert_int_equal(b[C0 + 1].n, ROWS - 9); /* cell 6: a NaN in 9 rows */
  free(a);
  free(b);
  free(x);
  gsl_rng_free(rng);
}

/* ------------------------------------------------ constant cells */

enum { KC = 15, KN = 5000 }; /* cells, values a cell */

/* Cell c's values x[0..KN) (NaN: none): constant for a stretch, or for
 * good, then of an adversarial shape: the switch just before, at and
 * after a level of k, after several compactions, from +0.0 to -0.0 and
 * back, one ulp away, after NaN, at the very last value; a constant
 * -0.0, infinity, huge value; a cell never given a value. */
static void const_column(size_t c, double *x, size_t k, gsl_rng *rng) {
  static const double val[KC] = {42.125, -0.0, 3.5, -2.25, 1e-310, 0.5,
                                 1e300,  0.0,  NAN, 6.0,   INFINITY, 7.0,
                                 7.0,    -0.0, 0.1};
  size_t sw[KC] = {KN, KN, 1, k - 1, k, k + 1, 3 * k + 5, 777, 0,
                   2500, 100, KN - 1, 1234, 999, 0};
  adversarial(x, KN, (int)(c % 14), rng);
  for (size_t i = 0; i < KN; i++) {
    if (i < sw[c]) x[i] = val[c];
    if (c == 7 && i >= sw[c]) x[i] = i % 3 ? -0.0 : 0.0; /* zeros mixed */
    if (c == 13 && i >= sw[c]) x[i] = i % 5 ? 0.0 : -0.0;
    if (c == 12 && i == sw[c]) x[i] = nextafter(7.0, 8.0);
    if (c == 8 || (c == 9 && i < 50) || ((c == 11 || c == 12) && i % 4 == 1))
      x[i] = NAN;
  }
}

/* Type 7 on a qsort'ed copy of the m values of x that are not NaN. */
static void ref_type7(const double *x, size_t n, const double *p, size_t np,
                      double *out) {
  double *s = malloc((n + 1) * sizeof *s);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i])) s[m++] = x[i];
  qsort(s, m, sizeof *s, cmp_d);
  for (size_t i = 0; i < np; i++) {
    double h = (double)(m - 1) * p[i];
    size_t lo = (size_t)floor(h);
    double delta = h - (double)lo;
    out[i] = m == 0 ? NAN
             : lo + 1 < m && delta > 0.0 ? s[lo] + delta * (s[lo + 1] - s[lo])
                                         : s[lo];
  }
  free(s);
}

/* The non-NaN values of x[0..n) into out; returns how many. */
static size_t drop_nan(const double *x, size_t n, double *out) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i])) out[m++] = x[i];
  return m;
}

/* Cells constant for a stretch or for good (const_column) in the exact
 * store and sketches of k 64 and 1024, fed in blocks by cell ranges (the
 * threads' way), by rows (add_row, pending rows in the exact store) or
 * value by value, the ways mixed: every so often and at the end each
 * cell's count and quantiles against the reference (type 7 on a sorted
 * copy; the plain compactor), bit for bit (by value where zeros of both
 * signs meet in the exact store, whose ties sort in an order of their
 * own), and the Welford sums of the same blocks (ent_welford_add_block)
 * against ent_welford_add value by value. */
static void test_constant_cells(void **state) {
  (void)state;
  const size_t budgets[] = {1u << 24, 60000, 500000};
  const double p[] = {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 31);
  double *x = malloc(KC * KN * sizeof *x), *kept = malloc(KN * sizeof *kept);
  double *rowv = malloc(KN * KC * sizeof *rowv);
  const double **rows = malloc(KN * sizeof *rows);
  for (size_t t = 0; t < 3; t++)
    for (int mode = 0; mode < 3; mode++) {
      ent_qacc *q = ent_qacc_create(KC, KN, budgets[t]);
      assert_int_equal(ent_qacc_exact(q), t == 0);
      size_t k = t == 0 ? 64 : ent_qacc_k(q), H = ent_qacc_levels(q);
      assert_int_equal(k, t == 2 ? 1024 : 64);
      for (size_t c = 0; c < KC; c++) const_column(c, x + c * KN, k, rng);
      for (size_t r = 0; r < KN; r++) {
        for (size_t c = 0; c < KC; c++) rowv[r * KC + c] = x[c * KN + r];
        rows[r] = rowv + r * KC;
      }
      uint64_t *tmp = malloc(ent_qacc_block_scratch(q) * sizeof *tmp);
      double *scratch = malloc(ent_qacc_scratch(q) * sizeof(double));
      ent_welford w[KC] = {{0}}, ref[KC] = {{0}};
      for (size_t r0 = 0, nb = 1, next = 997; r0 < KN; nb = nb % 23 + 1) {
        size_t n = KN - r0 < nb ? KN - r0 : nb;
        const double *const *blk = rows + r0;
        int how = mode == 2 ? (int)(r0 % 3) : mode; /* 2: the ways mixed */
        if (how == 0) {
          ent_qacc_flush(q);
          ent_qacc_add_block(q, 6, KC, blk, n, tmp);
          ent_welford_add_block(w, 6, KC, blk, n);
          ent_qacc_add_block(q, 0, 6, blk, n, tmp);
          ent_welford_add_block(w, 0, 6, blk, n);
        } else if (how == 1) {
          for (size_t r = 0; r < n; r++) ent_qacc_add_row(q, blk[r]);
          ent_welford_add_block(w, 0, KC, blk, n);
        } else {
          for (size_t r = 0; r < n; r++)
            for (size_t c = 0; c < KC; c++)
              if (!isnan(blk[r][c])) ent_qacc_add(q, c, blk[r][c]);
          ent_welford_add_block(w, 0, KC, blk, n);
        }
        for (size_t r = 0; r < n; r++)
          for (size_t c = 0; c < KC; c++)
            if (!isnan(blk[r][c])) ent_welford_add(&ref[c], blk[r][c]);
        r0 += n;
        if (r0 < next && r0 < KN) continue;
        next += 997;
        for (size_t c = 0; c < KC; c++) {
          double got[7], want[7];
          size_t m = drop_nan(x + c * KN, r0, kept);
          assert_int_equal(ent_qacc_count(q, c), m);
          ent_qacc_quantiles(q, c, p, 7, got, scratch);
          if (t == 0)
            ref_type7(kept, m, p, 7, want);
          else if (m)
            ref_sketch(kept, m, k, H, p, 7, want);
          else
            for (int i = 0; i < 7; i++) want[i] = NAN;
          for (int i = 0; i < 7; i++) {
            if (m == 0)
              assert_true(isnan(got[i]));
            else if (t == 0 && (c == 7 || c == 13))
              assert_true(got[i] == want[i]);
            else
              assert_memory_equal(&got[i], &want[i], sizeof got[i]);
          }
          assert_int_equal(w[c].n, ref[c].n);
          assert_memory_equal(&w[c].mean, &ref[c].mean, sizeof(double));
          assert_memory_equal(&w[c].m2, &ref[c].m2, sizeof(double));
        }
      }
      assert_int_equal(w[0].n, KN);
      assert_true(w[0].mean == 42.125 && w[0].m2 == 0.0);
      free(tmp);
      free(scratch);
      ent_qacc_destroy(q);
    }
  free(x);
  free(kept);
  free(rowv);
  free(rows);
  gsl_rng_free(rng);
}

/* A constant cell given more values than n_max keeps n_max of them. */
static void test_constant_past_max(void **state) {
  (void)state;
  for (int exact = 0; exact < 2; exact++) {
    ent_qacc *q = ent_qacc_create(2, 10, exact ? 1 << 20 : 100);
    assert_int_equal(ent_qacc_exact(q), exact);
    uint64_t *tmp = malloc(ent_qacc_block_scratch(q) * sizeof *tmp);
    double v[15][2];
    const double *rows[15];
    for (size_t r = 0; r < 15; r++) {
      v[r][0] = 2.5;
      v[r][1] = r < 12 ? -1.0 : 4.0;
      rows[r] = v[r];
    }
    ent_qacc_add_block(q, 0, 2, rows, 6, tmp);
    ent_qacc_add_block(q, 0, 2, rows + 6, 9, tmp);
    assert_int_equal(ent_qacc_count(q, 0), 10);
    assert_int_equal(ent_qacc_count(q, 1), 10);
    double out[3], scratch[4096];
    const double p[] = {0.0, 0.5, 1.0};
    assert_true(ent_qacc_scratch(q) <= 4096);
    ent_qacc_quantiles(q, 1, p, 3, out, scratch);
    assert_true(out[0] == -1.0 && out[1] == -1.0 && out[2] == -1.0);
    ent_qacc_quantiles(q, 0, p, 3, out, scratch);
    assert_true(out[0] == 2.5 && out[2] == 2.5);
    free(tmp);
    ent_qacc_destroy(q);
  }
}

/* 1 if x[0..n) holds a -0.0. */
static int any_negzero(const double *x, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (x[i] == 0.0 && signbit(x[i])) return 1;
  return 0;
}

/* The bitonic sort and merge (stats_sort.c) in every lane width this CPU
 * runs (4 and 8, the narrower forced), against qsort bit for bit, on the
 * adversarial shapes at sizes 0 to 5 000: powers of two from 64 sorted
 * (16 for a merge's runs), other sizes declined with the array untouched,
 * arrays holding -0.0 declined (the sort's array untouched, the merge's
 * output unwritten); and the half taken from an
 * array, against the loop. */
static void test_bitonic(void **state) {
  (void)state;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 29);
  const size_t sizes[] = {0, 1, 2, 8, 16, 32, 63, 64, 65, 100, 128, 256,
                          512, 1000, 1024, 2048, 4096, 5000};
  size_t nmax = 5000;
  double *a = malloc(2 * nmax * sizeof *a), *b = malloc(2 * nmax * sizeof *b);
  double *cat = malloc(2 * nmax * sizeof *cat), *out = malloc(nmax * sizeof *out);
  double *want = malloc(nmax * sizeof *want);
  int most = ent_qacc_sort_lanes();
  assert_true(most == 0 || most == 4 || most == 8);
  for (int lanes = 4; lanes <= most; lanes *= 2)
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
      for (int kind = 0; kind < 14; kind++) {
        size_t n = sizes[si];
        int p2 = n && !(n & (n - 1));
        adversarial(a, n, kind, rng);
        int nz = any_negzero(a, n);
        memcpy(b, a, n * sizeof *a);
        qsort(b, n, sizeof *b, cmp_d);
        memcpy(cat, a, n * sizeof *a);
        int done = ent_qacc_bitonic_sort(a, n, lanes);
        assert_int_equal(done, p2 && n >= 64 ? (nz ? -1 : 1) : 0);
        assert_memory_equal(a, done > 0 ? b : cat, n * sizeof *a);
        /* two sorted runs of n, every other value of their merge */
        adversarial(a, 2 * n, kind, rng);
        if (kind == 3) /* the second run below the first */
          for (size_t i = 0; i < n; i++) a[n + i] = -1.0 - (double)i;
        nz = any_negzero(a, 2 * n);
        qsort(a, n, sizeof *a, cmp_d);
        qsort(a + n, n, sizeof *a, cmp_d);
        memcpy(b, a, 2 * n * sizeof *a);
        qsort(b, 2 * n, sizeof *b, cmp_d);
        for (int par = 0; par < 2; par++) {
          for (size_t i = 0; i < n; i++) want[i] = b[2 * i + (size_t)par];
          for (size_t i = 0; i < n; i++) out[i] = 42.0;
          done = ent_qacc_bitonic_merge_half(a, a + n, n, par, out, cat, lanes);
          assert_int_equal(done, p2 && n >= 16 ? (nz ? -1 : 1) : 0);
          for (size_t i = 0; i < n; i++)
            assert_true(done > 0 ? !memcmp(&out[i], &want[i], sizeof *out)
                                 : out[i] == 42.0);
          ent_qacc_take_half(b, n, par, out, lanes);
          assert_memory_equal(out, want, n * sizeof *out);
        }
      }
  free(a);
  free(b);
  free(cat);
  free(out);
  free(want);
  gsl_rng_free(rng);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_welford),
      cmocka_unit_test(test_exact),
      cmocka_unit_test(test_sketch),
      cmocka_unit_test(test_select),
      cmocka_unit_test(test_rows),
      cmocka_unit_test(test_sketch_reference),
      cmocka_unit_test(test_sort_doubles),
      cmocka_unit_test(test_merge_half),
      cmocka_unit_test(test_bitonic),
      cmocka_unit_test(test_exact_large),
      cmocka_unit_test(test_sketch_stack),
      cmocka_unit_test(test_welford_block),
      cmocka_unit_test(test_constant_cells),
      cmocka_unit_test(test_constant_past_max),
  };
  return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
