/*
 * bench_ensemble.c -- members per second of `entente forecast` on the
 * built-in scenario (russia-china-uncertain: 9 issues, 6 blocs, 2024-2035,
 * 24 uncertain inputs):
 *
 *   - 1 and 2 threads in this process (the library API: create, step,
 *     write), timed side by side, with the speed-up and a check that both
 *     outputs are byte-identical;
 *   - 1 and 2 MPI ranks (one thread each) by running the entente binary
 *     under mpirun, when the build has MPI; the time includes starting
 *     the ranks.
 *
 * Usage: bench_ensemble [N]   (members, default 10000; BENCH_RUNS=N too).
 * Wall-clock seconds of the whole forecast (nominal run, members,
 * statistics, JSON output), on an otherwise idle machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "entente.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One forecast with `threads` threads; its JSON into *out (malloc'd). */
static double forecast(const ent_model *m, unsigned long runs, int threads,
                       char **out) {
  ent_ensemble_opts o;
  ent_ensemble_opts_init(&o);
  o.runs = runs;
  o.threads = threads;
  ent_diag *d = ent_diag_create();
  ent_ensemble *e = NULL;
  double t0 = now();
  if (ent_ensemble_create(m, NULL, &o, &e, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    exit(1);
  }
  ent_status st;
  while ((st = ent_ensemble_step(e, d)) == ENT_CONTINUE) {
  }
  if (st != ENT_OK) {
    ent_diag_print(d, stderr);
    exit(1);
  }
  size_t len = 0;
  FILE *mem = open_memstream(out, &len);
  if (!mem || ent_ensemble_write(e, ENT_FORMAT_JSON, mem) != ENT_OK) exit(1);
  fclose(mem);
  double t = now() - t0;
  ent_ensemble_destroy(e);
  ent_diag_destroy(d);
  return t;
}

static const char mpirun[] = ENT_MPIRUN;

static double ranks(int n, unsigned long runs) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "%s -n %d --oversubscribe %s forecast --runs %lu --threads 1 "
           "--format json >/dev/null 2>&1",
           mpirun, n, ENT_ENTENTE_EXE, runs);
  double t0 = now();
  int rc = system(cmd);
  double t = now() - t0;
  return rc == 0 ? t : -1.0;
}

int main(int argc, char **argv) {
  unsigned long runs = 10000;
  const char *env = getenv("BENCH_RUNS");
  if (argc > 1) runs = strtoul(argv[1], NULL, 10);
  else if (env) runs = strtoul(env, NULL, 10);
  if (runs < 1) runs = 1;
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  if (ent_builtin_load("russia-china-uncertain", &m, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    return 1;
  }
  printf("ensemble: built-in russia-china-uncertain, %lu members, %zu "
         "uncertain inputs, %ld cores\n",
         runs, ent_model_uncertain_count(m), sysconf(_SC_NPROCESSORS_ONLN));
  printf("%-22s %10s %12s %10s\n", "setting", "seconds", "members/s", "speed-up");
  char *j1 = NULL, *j2 = NULL;
  double t1 = forecast(m, runs, 1, &j1);
  printf("%-22s %10.2f %12.1f %10s\n", "1 thread", t1, (double)runs / t1, "1.00");
  fflush(stdout);
  double t2 = forecast(m, runs, 2, &j2);
  printf("%-22s %10.2f %12.1f %10.2f\n", "2 threads", t2, (double)runs / t2, t1 / t2);
  printf("  outputs of 1 and 2 threads: %s\n",
         strcmp(j1, j2) ? "DIFFERENT (a bug)" : "byte-identical");
  fflush(stdout);
  free(j1);
  free(j2);
  if (ent_ensemble_mpi_available() && mpirun[0] != '\0') {
    if (geteuid() == 0) {
      /* Open MPI refuses root without these (its documented settings) */
      setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
      setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    }
    double r1 = ranks(1, runs);
    double r2 = ranks(2, runs);
    if (r1 > 0.0)
      printf("%-22s %10.2f %12.1f %10s\n", "1 rank (mpirun)", r1, (double)runs / r1, "1.00");
    if (r1 > 0.0 && r2 > 0.0)
      printf("%-22s %10.2f %12.1f %10.2f\n", "2 ranks (mpirun)", r2, (double)runs / r2,
             r1 / r2);
    if (r1 < 0.0 || r2 < 0.0) printf("  mpirun failed: no rank figures\n");
  } else {
    printf("  ranks: this build has no MPI\n");
  }
  ent_model_destroy(m);
  ent_diag_destroy(d);
  return 0;
}
