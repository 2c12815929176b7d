/*
 * bench_stats.c -- the forecast's quantile store (src/ensemble/stats.h)
 * alone: the built-in scenario's 5 632 cells fed N members in blocks of 16
 * rows (one thread's step), each row a record of its own as in the
 * ensemble, then every cell's five quantiles read, under the default
 * memory budget (256 MB: exact up to about 5 900 members, a sketch
 * beyond).  The values are synthetic: a bell of a cell's own scale, with
 * a few cells of a handful of distinct values; each size is run twice,
 * the second time with one cell in six holding one value in every member
 * (the built-in scenario has 973 such cells of 5 632 at 10 000 members,
 * 979 at 1 000: shares of conflict and cooperation, milex, the base
 * year's trade ...), which the store keeps as a count; then the 10 000
 * members again with the sketch's sorts in no vector lanes (the
 * distribution sort and the scalar merge: ent_qacc_set_lanes).  Prints CPU
 * time beside wall time (benchutil.h).  It times the current store only; the previous
 * one (commit 8658abd) is the documented figure it prints beside the
 * 10 000-member sketch: this program built against that commit's
 * src/ensemble/stats.c, lowest of three runs (docs/performance.md,
 * seventh round, statistics).  To compare with another store, build this
 * file against its stats.c.
 */
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "ensemble/stats.h"
#include "ensemble/stats_sort.h"

enum { CELLS = 5632, BLOCK = 16 };

/* The previous store (8658abd) at 10 000 members, 256 MB: CPU seconds,
 * documented (see above). */
static const double prev_feed_10k = 1.262, prev_quant_10k = 0.167;

/* lanes: the sketch's sorts in at most that many vector lanes (-1: the
 * widest this CPU runs; 0: none, the distribution sort and scalar merge). */
static void run(size_t n, size_t budget_mb, int with_const, int lanes) {
  size_t rec = CELLS + 512; /* a record's doubles: its cells and more */
  double *buf = malloc(BLOCK * rec * sizeof *buf);
  const double *rows[BLOCK];
  ent_qacc *q = ent_qacc_create(CELLS, n, budget_mb << 20);
  uint64_t *tmp = q ? malloc(ent_qacc_block_scratch(q) * sizeof *tmp) : NULL;
  double *scratch = q ? malloc(ent_qacc_scratch(q) * sizeof *scratch) : NULL;
  if (!buf || !q || !tmp || !scratch) {
    printf("out of memory\n");
    exit(1);
  }
  if (lanes >= 0) ent_qacc_set_lanes(q, lanes);
  uint64_t seed = 20261205;
  double feed_cpu = 0.0, feed_wall = 0.0, sink = 0.0;
  for (size_t u = 0; u < n; u += BLOCK) {
    size_t nr = n - u < BLOCK ? n - u : BLOCK;
    for (size_t r = 0; r < nr; r++) {
      double *x = buf + r * rec;
      rows[r] = x;
      for (size_t c = 0; c < CELLS; c++) {
        double z = uniform(&seed) + uniform(&seed) + uniform(&seed) - 1.5;
        x[c] = c % 17 == 0 ? (double)(int)(4.0 * uniform(&seed))
                           : 1e3 * (double)(1 + c % 29) * (1.0 + 0.2 * z);
        if (with_const && c % 6 == 3) x[c] = 0.125 * (double)(c % 5);
      }
    }
    double c0 = cpu_now(), w0 = now();
    ent_qacc_add_block(q, 0, CELLS, rows, nr, tmp);
    feed_cpu += cpu_now() - c0;
    feed_wall += now() - w0;
  }
  const double p[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  double out[5];
  double c0 = cpu_now(), w0 = now();
  for (size_t c = 0; c < CELLS; c++) {
    ent_qacc_quantiles(q, c, p, 5, out, scratch);
    sink += out[2];
  }
  double q_cpu = cpu_now() - c0, q_wall = now() - w0;
  char mode[32];
  if (ent_qacc_exact(q))
    snprintf(mode, sizeof mode, "exact");
  else
    snprintf(mode, sizeof mode, "sketch k %zu H %zu%s", ent_qacc_k(q),
             ent_qacc_levels(q), lanes == 0 ? ", no lanes" : "");
  printf("| %6zu | %-17s | %-8s | %7.3f | %7.3f | %6.2f | %7.3f | %7.3f |\n", n,
         mode, with_const ? "1 in 6" : "none", feed_cpu, feed_wall,
         1e9 * feed_cpu / ((double)n * CELLS), q_cpu, q_wall);
  if (n == 10000 && budget_mb == 256 && !with_const && lanes < 0)
    printf("previous store (8658abd, documented: lowest of three at load 6): feed %.3f s, "
           "quantiles %.3f s; ratio previous / this run: feed %.2fx, "
           "quantiles %.2fx\n",
           prev_feed_10k, prev_quant_10k, prev_feed_10k / feed_cpu,
           prev_quant_10k / q_cpu);
  if (sink == 42.0) printf("\n"); /* keeps the reads */
  free(scratch);
  free(tmp);
  ent_qacc_destroy(q);
  free(buf);
}

int main(int argc, char **argv) {
  size_t budget = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 256;
  print_load("before");
  printf("cells %d, blocks of %d rows, --memory %zu, the sketch's sorts in %d "
         "vector lanes (0: none)\n\n",
         CELLS, BLOCK, budget, ent_qacc_sort_lanes());
  printf("| members | store | constant cells | feed CPU s | feed wall s | ns/value | quantiles CPU s | quantiles wall s |\n");
  printf("|---|---|---|---|---|---|---|---|\n");
  const size_t ns[] = {1000, 3000, 10000};
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
    for (int k = 0; k < 2; k++) run(ns[i], budget, k, -1);
  /* the sketch without vector lanes, for comparison in one binary */
  run(10000, budget, 0, 0);
  print_load("after");
  return 0;
}
