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
 * the solve for at least 0.3 s of CPU.  Wall and CPU time per solve; for
 * N <= 50 also Newton first (ent_trade_ge_solve_newton, O(N^3) a step, the
 * solver of the simulator's small bloc systems) and its ratio to the
 * fixed point, cold starts both.
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

/* Solves for at least 0.3 s of CPU; ms per solve (wall, CPU). */
static int time_solves(size_t n, const double *X, const double *b,
                       const ent_trade_opts *o, int newton_first,
                       ent_trade_work *w, double *wh, ent_trade_info *info,
                       double *wall_ms, double *cpu_ms) {
  ent_trade_out out;
  memset(&out, 0, sizeof out);
  out.w_hat = wh;
  long solves = 0;
  double t0 = now(), c0 = cpu_now(), c;
  do {
    ent_status st =
        newton_first ? ent_trade_ge_solve_newton(n, X, b, o, NULL, w, &out, info)
                     : ent_trade_ge_solve(n, X, b, o, NULL, w, &out, info);
    if (st != ENT_OK) {
      fprintf(stderr, "bench_trade: N=%zu did not solve: %s\n", n,
              ent_trade_fail_str(info->fail));
      return -1;
    }
    solves++;
    c = cpu_now() - c0;
  } while (c < 0.3);
  *wall_ms = 1e3 * (now() - t0) / (double)solves;
  *cpu_ms = 1e3 * c / (double)solves;
  return 0;
}

int main(void) {
  static const size_t sizes[] = {6, 10, 50, 100, 200};
  printf("GE structural gravity: one counterfactual solve (fixed point, "
         "tol 1e-12), and Newton first (ent_trade_ge_solve_newton, the "
         "simulator's solves) for N <= 50\n");
  print_load("at start");
  printf("%-14s %4s %5s %9s %9s %12s %8s | %6s %9s %7s\n", "deficits", "N",
         "iter", "wall ms", "CPU ms", "ns/N^2/iter", "residual", "newton",
         "CPU ms", "ratio");
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
      ent_trade_info info, ninfo;
      double wall, cpu, nwall, ncpu;
      if (time_solves(n, X, b, &o, 0, w, wh, &info, &wall, &cpu)) return 1;
      double ms_it = cpu / info.iterations;
      printf("%-14s %4zu %5d %9.4f %9.4f %12.3f %8.1e",
             mode ? "multiplicative" : "additive", n, info.iterations, wall,
             cpu, 1e6 * ms_it / ((double)n * (double)n), info.residual);
      if (n <= 50 &&
          !time_solves(n, X, b, &o, 1, w, wh, &ninfo, &nwall, &ncpu))
        printf(" | %6d %9.4f %6.1fx\n", ninfo.newton_iterations, ncpu,
               cpu / ncpu);
      else
        printf(" | %6s %9s %7s\n", "-", "-", "-");
      fflush(stdout);
      ent_trade_work_free(w);
      free(X);
      free(b);
      free(wh);
    }
  print_load("at end");
  return 0;
}
