/*
 * bench_eum.c -- time one round of the expected-utility model for
 * n = 10, 50, 100, 200, 400 actors (seeded random inputs), the current
 * round beside the specification-order reference path
 * (ent_eum_work_set_reference) in the same run, and check that both give
 * the same bits.  Prints, per path, wall and CPU milliseconds per round
 * and CPU nanoseconds per n^3 (a round is O(n^3): the vote sums), and the
 * ratio reference CPU / current CPU.
 *
 * Seeded with a fixed splitmix64 stream: the same inputs on every run.
 * Each size and path runs enough rounds for at least 0.5 s of CPU.
 * Usage: bench_eum [max_n [current]]   (sizes up to max_n, default 400;
 * "current": time only the current path at n = max_n, for profiles).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchutil.h"
#include "strategic/eum.h"

typedef struct timing {
  double wall_ms, cpu_ms; /* per round */
  long rounds;
} timing;

/* Rounds from x0 (each round from the previous one's positions) until
 * 0.5 s of CPU; the first round's result into first[n]. */
static timing time_rounds(const ent_eum_problem *pb, const ent_eum_opts *o,
                          const double *x0, ent_eum_work *w, double *first) {
  size_t n = pb->n;
  double *x = malloc(n * sizeof *x), *xn = malloc(n * sizeof *xn);
  if (!x || !xn) exit(1);
  memcpy(x, x0, n * sizeof *x);
  timing t = {0.0, 0.0, 0};
  double w0 = now(), c0 = cpu_now(), c;
  do {
    ent_eum_round(pb, o, 100.0, x, xn, NULL, w);
    if (t.rounds == 0) memcpy(first, xn, n * sizeof *xn);
    double *tmp = x;
    x = xn;
    xn = tmp;
    t.rounds++;
    c = cpu_now() - c0;
  } while (c < 0.5);
  t.wall_ms = 1e3 * (now() - w0) / (double)t.rounds;
  t.cpu_ms = 1e3 * c / (double)t.rounds;
  free(x);
  free(xn);
  return t;
}

int main(int argc, char **argv) {
  static const size_t sizes[] = {10, 50, 100, 200, 400};
  size_t max_n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 400;
  /* "current": time the current path only (for profiles) */
  int only_current = argc > 2 && !strcmp(argv[2], "current");
  printf("expected-utility model: one round (risk pass + decision pass), "
         "current path beside the specification-order reference\n");
  print_load("at start");
  printf("%5s | %9s %9s %8s %7s | %9s %9s | %9s %9s %8s | %6s %s\n", "n",
         "wall ms", "CPU ms", "ns/n^3", "rounds", "2thr wall", "2thr CPU",
         "ref wall", "ref CPU", "ns/n^3", "ratio", "bits");
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    size_t n = sizes[k];
    if (n > max_n) break;
    if (only_current && n != max_n) continue;
    uint64_t seed = 20261129u + n;
    double *cap = malloc(n * sizeof *cap), *sal = malloc(n * sizeof *sal);
    double *x = malloc(n * sizeof *x);
    double *f1 = malloc(n * sizeof *f1), *f2 = malloc(n * sizeof *f2);
    if (!cap || !sal || !x || !f1 || !f2) return 1;
    for (size_t i = 0; i < n; i++) {
      cap[i] = 1.0 + 99.0 * uniform(&seed);
      sal[i] = uniform(&seed);
      x[i] = 100.0 * uniform(&seed);
    }
    ent_eum_problem pb = {n, cap, sal};
    ent_eum_opts o;
    ent_eum_opts_default(&o);
    ent_eum_work *w = ent_eum_work_alloc(n), *wr = ent_eum_work_alloc(n);
    ent_eum_work *w2 = ent_eum_work_alloc(n);
    double *f3 = malloc(n * sizeof *f3);
    if (!w || !wr || !w2 || !f3) return 1;
    ent_eum_work_set_reference(wr, 1);
    ent_eum_work_set_threads(w2, 2);
    timing tf = time_rounds(&pb, &o, x, w, f1);
    timing t2 = time_rounds(&pb, &o, x, w2, f3);
    timing tr = only_current ? tf : time_rounds(&pb, &o, x, wr, f2);
    if (only_current) memcpy(f2, f1, n * sizeof *f1);
    double n3 = (double)n * (double)n * (double)n;
    printf("%5zu | %9.4f %9.4f %8.3f %7ld | %9.4f %9.4f | %9.4f %9.4f %8.3f "
           "| %5.2fx %s\n",
           n, tf.wall_ms, tf.cpu_ms, 1e6 * tf.cpu_ms / n3, tf.rounds,
           t2.wall_ms, t2.cpu_ms, tr.wall_ms, tr.cpu_ms,
           1e6 * tr.cpu_ms / n3, tr.cpu_ms / tf.cpu_ms,
           memcmp(f1, f2, n * sizeof *f1) || memcmp(f1, f3, n * sizeof *f1)
               ? "DIFFERENT (a bug)"
               : "identical");
    fflush(stdout);
    ent_eum_work_free(w);
    ent_eum_work_free(wr);
    ent_eum_work_free(w2);
    free(f3);
    free(cap);
    free(sal);
    free(x);
    free(f1);
    free(f2);
  }
  print_load("at end");
  return 0;
}
