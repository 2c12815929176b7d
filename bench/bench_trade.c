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
 *
 * Then `entente gravity FLOWS.csv --shock SHOCK.csv`'s whole path at
 * N = 100 and 200 (issue 15): the same synthetic flows written to CSV files
 * with "%.17g" (machine-written data: 15-17 significant digits), read
 * (ent_trade_problem_load_files), solved (ent_trade_solve, additive) and
 * written in each format (ent_trade_result_write to a file), CPU and wall
 * per stage, beside the previous implementation kept in the tree, in the
 * same run (ent_trade_problem_load_files_ref: the general CSV reader and
 * strtod; ent_trade_result_write_ref: snprintf/strtod for every number, a
 * cJSON tree, fprintf), with a byte-for-byte comparison of the outputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"
#include "input/trade_csv.h"
#include "output/render.h"
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

/* ---------------------------------------------- the command line's path */

/* The flows and a shock of make_problem as the command's CSV files. */
static int write_inputs(size_t n, const char *fpath, const char *spath) {
  double *X = malloc(n * n * sizeof *X), *b = malloc(n * n * sizeof *b);
  FILE *f = fopen(fpath, "w"), *g = fopen(spath, "w");
  if (!X || !b || !f || !g) return -1;
  make_problem(n, 20261129u + n, X, b);
  fprintf(f, "exporter,importer,flow\n");
  fprintf(g, "exporter,importer,beta\n");
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      fprintf(f, "C%03zu,C%03zu,%.17g\n", i, j, X[i * n + j]);
      double bb = b[i * n + j];
      if (i != j && bb != 1.0 && X[i * n + j] > 0.0) {
        if (bb == 0.0)
          fprintf(g, "C%03zu,C%03zu,embargo\n", i, j);
        else
          fprintf(g, "C%03zu,C%03zu,%.17g\n", i, j, log(bb));
      }
    }
  free(X);
  free(b);
  int bad = fclose(f) != 0;
  return fclose(g) != 0 || bad ? -1 : 0;
}

typedef struct stage {
  double wall, cpu; /* ms per call */
} stage;

enum { ST_READ, ST_SOLVE, ST_CSV, ST_JSON, ST_TEXT, ST_N };
static const char *const STAGE_NAME[ST_N] = {"read", "solve", "write csv",
                                             "write json", "write text"};
static const ent_format STAGE_FMT[ST_N] = {0, 0, ENT_FORMAT_CSV,
                                           ENT_FORMAT_JSON, ENT_FORMAT_TEXT};

/* One stage, repeated for at least 0.3 s of CPU (ref: strtod/snprintf). */
static int time_stage(int st, int ref, const char *fpath, const char *spath,
                      const char *opath, const ent_trade_problem *p,
                      const ent_trade_result *r, stage *out) {
  long reps = 0;
  double t0 = now(), c0 = cpu_now(), c;
  do {
    if (st == ST_READ) {
      ent_trade_problem *q = NULL;
      ent_diag *d = ent_diag_create();
      ent_status s = (ref ? ent_trade_problem_load_files_ref
                          : ent_trade_problem_load_files)(fpath, spath, &q, d);
      ent_diag_destroy(d);
      ent_trade_problem_destroy(q);
      if (s != ENT_OK) return -1;
    } else if (st == ST_SOLVE) {
      ent_trade_opts o;
      ent_trade_opts_init(&o);
      ent_trade_result *q = NULL;
      ent_status s = ent_trade_solve(p, &o, &q, NULL);
      ent_trade_result_destroy(q);
      if (s != ENT_OK) return -1;
    } else {
      FILE *fp = fopen(opath, "w");
      if (!fp) return -1;
      ent_status s = (ref ? ent_trade_result_write_ref
                          : ent_trade_result_write)(r, STAGE_FMT[st], fp);
      if (fclose(fp) != 0 || s != ENT_OK) return -1;
    }
    reps++;
    c = cpu_now() - c0;
  } while (c < 0.3 || reps < 3);
  out->wall = 1e3 * (now() - t0) / (double)reps;
  out->cpu = 1e3 * c / (double)reps;
  return 0;
}

/* 1 if the files hold the same bytes. */
static int same_file(const char *a, const char *b) {
  FILE *f = fopen(a, "rb"), *g = fopen(b, "rb");
  int same = f && g;
  while (same) {
    int x = getc(f), y = getc(g);
    if (x != y) same = 0;
    if (x == EOF || y == EOF) break;
  }
  if (f) fclose(f);
  if (g) fclose(g);
  return same;
}

static int command_path(void) {
  char dir[] = "/tmp/bench_trade_XXXXXX";
  if (!mkdtemp(dir)) return 1;
  char fpath[64], spath[64], opath[64], rpath[64];
  snprintf(fpath, sizeof fpath, "%s/flows.csv", dir);
  snprintf(spath, sizeof spath, "%s/shock.csv", dir);
  snprintf(opath, sizeof opath, "%s/out", dir);
  snprintf(rpath, sizeof rpath, "%s/out.ref", dir);
  printf("\n`entente gravity FLOWS.csv --shock SHOCK.csv`: read, solve "
         "(additive, tol 1e-12), write; ms per call; 'prev' = the previous "
         "path (general CSV reader, strtod/snprintf for every number, cJSON "
         "tree, fprintf), in the same run\n");
  print_load("at start");
  printf("%4s %-10s %9s %9s | %9s %9s | %6s %s\n", "N", "stage", "wall ms",
         "CPU ms", "prev wall", "prev CPU", "ratio", "output");
  static const size_t sizes[] = {100, 200};
  int rc = 0;
  for (size_t k = 0; k < 2 && !rc; k++) {
    size_t n = sizes[k];
    ent_trade_problem *p = NULL;
    ent_trade_result *r = NULL;
    ent_diag *d = ent_diag_create();
    ent_trade_opts o;
    ent_trade_opts_init(&o);
    if (write_inputs(n, fpath, spath) ||
        ent_trade_problem_load_files(fpath, spath, &p, d) != ENT_OK ||
        ent_trade_solve(p, &o, &r, NULL) != ENT_OK) {
      fprintf(stderr, "bench_trade: N=%zu: the command's path failed\n", n);
      rc = 1;
    }
    ent_diag_destroy(d);
    double io = 0.0, io_prev = 0.0, solve = 0.0;
    for (int st = 0; st < ST_N && !rc; st++) {
      stage cur, prev;
      if (time_stage(st, 0, fpath, spath, opath, p, r, &cur) ||
          time_stage(st, 1, fpath, spath, rpath, p, r, &prev)) {
        fprintf(stderr, "bench_trade: N=%zu: %s failed\n", n, STAGE_NAME[st]);
        rc = 1;
        break;
      }
      const char *same = "-";
      if (st >= ST_CSV) same = same_file(opath, rpath) ? "identical" : "DIFFERENT";
      if (st == ST_SOLVE) {
        solve = cur.cpu;
        printf("%4zu %-10s %9.2f %9.2f | %9s %9s | %6s %s\n", n,
               STAGE_NAME[st], cur.wall, cur.cpu, "-", "-", "-", same);
      } else {
        if (st == ST_READ || st == ST_CSV) {
          io += cur.cpu;
          io_prev += prev.cpu;
        }
        printf("%4zu %-10s %9.2f %9.2f | %9.2f %9.2f | %5.1fx %s\n", n,
               STAGE_NAME[st], cur.wall, cur.cpu, prev.wall, prev.cpu,
               prev.cpu / cur.cpu, same);
      }
    }
    if (!rc)
      printf("%4zu read + write csv: %.2f ms CPU (previous %.2f), %.2fx the "
             "solve's CPU (previous %.2fx)\n",
             n, io, io_prev, io / solve, io_prev / solve);
    fflush(stdout);
    ent_trade_result_destroy(r);
    ent_trade_problem_destroy(p);
  }
  remove(fpath);
  remove(spath);
  remove(opath);
  remove(rpath);
  rmdir(dir);
  print_load("at end");
  return rc;
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
  return command_path();
}
