/*
 * bench_eum.c -- time one round of the expected-utility model for
 * n = 10, 50, 100, 200, 400 actors (seeded random inputs) and print rounds
 * per second and the time per n^3 (a round is O(n^3): the vote sums).
 *
 * Seeded with a fixed splitmix64 stream: the same inputs on every run.
 * Each size runs enough rounds for at least 0.5 s of work.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "benchutil.h"
#include "strategic/eum.h"


int main(void) {
  static const size_t sizes[] = {10, 50, 100, 200, 400};
  printf("expected-utility model: one round (risk pass + decision pass)\n");
  printf("%6s %10s %12s %14s %16s\n", "n", "rounds", "rounds/s", "ms/round",
         "ns per n^3");
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    size_t n = sizes[k];
    uint64_t seed = 20261129u + n;
    double *cap = malloc(n * sizeof *cap), *sal = malloc(n * sizeof *sal);
    double *x = malloc(n * sizeof *x), *xn = malloc(n * sizeof *xn);
    if (!cap || !sal || !x || !xn) return 1;
    for (size_t i = 0; i < n; i++) {
      cap[i] = 1.0 + 99.0 * uniform(&seed);
      sal[i] = uniform(&seed);
      x[i] = 100.0 * uniform(&seed);
    }
    ent_eum_problem pb = {n, cap, sal};
    ent_eum_opts o;
    ent_eum_opts_default(&o);
    ent_eum_work *w = ent_eum_work_alloc(n);
    if (!w) return 1;
    long rounds = 0;
    double t0 = now(), t;
    do {
      ent_eum_round(&pb, &o, 100.0, x, xn, NULL, w);
      double *tmp = x;
      x = xn;
      xn = tmp;
      rounds++;
      t = now() - t0;
    } while (t < 0.5);
    double per = t / (double)rounds;
    printf("%6zu %10ld %12.1f %14.4f %16.3f\n", n, rounds, 1.0 / per, 1e3 * per,
           1e9 * per / ((double)n * (double)n * (double)n));
    ent_eum_work_free(w);
    free(cap);
    free(sal);
    free(x);
    free(xn);
  }
  return 0;
}
