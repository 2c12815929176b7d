/*
 * bench_trade.c -- time the GE structural gravity solver for N = 10, 50,
 * 100, 200 countries and print iterations, ms per solve, ms per iteration
 * and the time per N^2 per iteration (an iteration is O(N^2): two passes
 * over the N x N share matrix).
 *
 * Inputs are synthetic and seeded (splitmix64): domestic sales dominate,
 * 10 % of the international pairs are zero, and the shock is a coalition
 * sanction (N/5 senders against country 0: export ban b = 0 towards it,
 * beta = -1.5 on its exports to them) plus beta ~ U(-1, 0) on 5 % of the
 * other pairs.  Both deficit modes; every solve uses the default options
 * (tol 1e-12) and a workspace allocated once per size.  Each size repeats
 * the solve for at least 0.3 s.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include "benchutil.h"
#include "structural/trade.h"


static void make_problem(size_t n, uint64_t seed, double *X, double *b) {
  for (size_t i = 0; i < n; i++) {
    double size = 0.5 + 4.0 * uniform(&seed);
    for (size_t j = 0; j < n; j++) {
      double u = uniform(&seed);
      if (i == j)
        X[i * n + j] = size * (100.0 + 400.0 * u) * (double)n;
      else
        X[i * n + j] = uniform(&seed) < 0.1 ? 0.0 : size * 40.0 * u;
      b[i * n + j] = 1.0;
      if (i != j && uniform(&seed) < 0.05) b[i * n + j] = exp(-uniform(&seed));
    }
  }
  size_t senders = n / 5 ? n / 5 : 1;
  for (size_t s = 1; s <= senders && s < n; s++) {
    b[s * n + 0] = 0.0;        /* sender s bans exports to 0 */
    b[0 * n + s] = exp(-1.5);  /* 0's exports to s are hit */
  }
}

int main(void) {
  static const size_t sizes[] = {10, 50, 100, 200};
  printf("GE structural gravity: one counterfactual solve (fixed point, "
         "tol 1e-12)\n");
  printf("%-14s %5s %6s %12s %14s %16s %10s\n", "deficits", "N", "iter",
         "ms/solve", "ms/iteration", "ns per N^2 iter", "residual");
  for (int mode = 0; mode < 2; mode++)
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
      size_t n = sizes[k];
      double *X = malloc(n * n * sizeof *X), *b = malloc(n * n * sizeof *b);
      double *wh = malloc(n * sizeof *wh);
      ent_trade_work *w = ent_trade_work_alloc(n);
      if (!X || !b || !wh || !w) return 1;
      make_problem(n, 20261129u + n, X, b);
      ent_trade_opts o;
      ent_trade_opts_init(&o);
      o.deficit = (ent_trade_deficit)mode;
      ent_trade_out out;
      memset(&out, 0, sizeof out);
      out.w_hat = wh;
      ent_trade_info info;
      long solves = 0;
      double t0 = now(), t;
      do {
        if (ent_trade_ge_solve(n, X, b, &o, NULL, w, &out, &info) != ENT_OK) {
          fprintf(stderr, "bench_trade: N=%zu did not solve: %s\n", n,
                  ent_trade_fail_str(info.fail));
          return 1;
        }
        solves++;
        t = now() - t0;
      } while (t < 0.3);
      double ms = 1e3 * t / (double)solves;
      double ms_it = ms / info.iterations;
      printf("%-14s %5zu %6d %12.4f %14.5f %16.3f %10.1e\n",
             mode ? "multiplicative" : "additive", n, info.iterations, ms,
             ms_it, 1e6 * ms_it / ((double)n * (double)n), info.residual);
      ent_trade_work_free(w);
      free(X);
      free(b);
      free(wh);
    }
  return 0;
}
