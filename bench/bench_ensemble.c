/*
 * bench_ensemble.c -- CPU and wall time of `entente forecast` on the
 * built-in scenario (russia-china-uncertain: 9 issues, 6 blocs, 2024-2035,
 * 24 uncertain inputs; every member draws the expected-utility or the
 * spatial model for the issues that have both), in one run:
 *
 *   1. one nominal run (ent_run_create), the current kernels beside the
 *      previous ones (ent_run_opts.reference: cold fixed-point trade and
 *      vulnerability solves at tol 1e-12, the specification-order
 *      expected-utility round), with the largest deviation of any recorded
 *      value between the two, by variable;
 *   2. a forecast of min(N, 1000) members with the previous kernels and
 *      with the current ones, 1 thread each: CPU ms per member and the
 *      ratio;
 *   3. N members with the current kernels on 1 and 2 threads, the
 *      speed-up and a check that both outputs are byte-identical;
 *   4. 1 and 2 MPI ranks (one thread each) by running the entente binary
 *      under mpirun, when the build has MPI; the time includes starting
 *      the ranks (CPU: of the child processes);
 *   5. the command users run, `entente forecast --runs N --format json`
 *      (the static binary where it links: its own OpenMP shim and the
 *      vector pow of src/strategic/eum_vpow.c, which this in-process
 *      bench, linked dynamically, does not get) on 1 and 2 threads, from
 *      exec to exit, and a check that both outputs are byte-identical.
 *
 * Usage: bench_ensemble [N]   (members, default 10000; BENCH_RUNS=N too).
 * Seconds of the whole forecast (nominal run, members, statistics, JSON
 * output).  CPU time is the figure to compare on a shared machine; the
 * load average is printed before and after.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"
#include "entente.h"
#include "sim/sim.h"

typedef struct timing {
  double wall, cpu;
} timing;

/* One forecast; its JSON into *out (malloc'd). */
static timing forecast(const ent_model *m, unsigned long runs, int threads,
                       int reference, char **out) {
  ent_ensemble_opts o;
  ent_ensemble_opts_init(&o);
  o.runs = runs;
  o.threads = threads;
  ent_run_opts *ro = ent_run_opts_create();
  if (!ro) exit(1);
  ro->reference = reference;
  ent_diag *d = ent_diag_create();
  ent_ensemble *e = NULL;
  double t0 = now(), c0 = cpu_now();
  if (ent_ensemble_create(m, ro, &o, &e, d) != ENT_OK) {
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
  timing t = {now() - t0, cpu_now() - c0};
  ent_ensemble_destroy(e);
  ent_diag_destroy(d);
  ent_run_opts_destroy(ro);
  return t;
}

/* The nominal run, `reps` times; the last run in *out. */
static timing nominal(const ent_model *m, int reference, int reps,
                      ent_run **out) {
  ent_run_opts *ro = ent_run_opts_create();
  if (!ro) exit(1);
  ro->reference = reference;
  ent_diag *d = ent_diag_create();
  double t0 = now(), c0 = cpu_now();
  *out = NULL;
  for (int k = 0; k < reps; k++) {
    ent_run_destroy(*out);
    if (ent_run_create(m, ro, out, d) != ENT_OK) {
      ent_diag_print(d, stderr);
      exit(1);
    }
  }
  timing t = {(now() - t0) / reps, (cpu_now() - c0) / reps};
  ent_diag_destroy(d);
  ent_run_opts_destroy(ro);
  return t;
}

/* Largest deviation between two runs' series, overall and by variable. */
static void deviations(const ent_run *a, const ent_run *b) {
  if (a->n_series != b->n_series) {
    printf("  the runs record different series (%zu, %zu values)\n",
           a->n_series, b->n_series);
    return;
  }
  const char *names[64];
  double dabs[64], drel[64];
  size_t ndiff[64], nvals[64], nv = 0, total_diff = 0;
  for (size_t p = 0; p < a->n_series; p++) {
    const ent_series_point *x = &a->series[p], *y = &b->series[p];
    if (strcmp(x->variable, y->variable) || strcmp(x->entity, y->entity) ||
        x->year != y->year) {
      printf("  the runs record different series at value %zu\n", p);
      return;
    }
    size_t k = 0;
    while (k < nv && strcmp(names[k], x->variable)) k++;
    if (k == nv) {
      if (nv == 64) continue;
      names[nv] = x->variable;
      dabs[nv] = drel[nv] = 0.0;
      ndiff[nv] = nvals[nv] = 0;
      nv++;
    }
    double da = fabs(x->value - y->value);
    double scale = fmax(fabs(x->value), fabs(y->value));
    nvals[k]++;
    if (memcmp(&x->value, &y->value, sizeof x->value)) {
      ndiff[k]++;
      total_diff++;
    }
    if (da > dabs[k]) dabs[k] = da;
    if (scale > 0.0 && da / scale > drel[k]) drel[k] = da / scale;
  }
  printf("  %zu of %zu recorded values differ in some bit; by variable "
         "(only those that differ):\n", total_diff, a->n_series);
  printf("  %-26s %8s %8s %12s %12s\n", "variable", "values", "differ",
         "max |diff|", "max rel");
  for (size_t k = 0; k < nv; k++)
    if (ndiff[k])
      printf("  %-26s %8zu %8zu %12.3g %12.3g\n", names[k], nvals[k],
             ndiff[k], dabs[k], drel[k]);
  int same = 1;
  for (size_t i = 0; i < a->n_issues; i++)
    same &= a->issues[i].forecast == b->issues[i].forecast;
  printf("  issue forecasts: %s\n", same ? "identical" : "DIFFERENT");
}

static const char mpirun[] = ENT_MPIRUN;

static double child_cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
         (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* Wall time and the children's CPU of the shell command cmd (wall < 0
 * when it fails). */
static timing timed(const char *cmd) {
  double t0 = now(), c0 = child_cpu();
  int rc = system(cmd);
  timing t = {now() - t0, child_cpu() - c0};
  if (rc != 0) t.wall = -1.0;
  return t;
}

static timing ranks(int n, unsigned long runs) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "%s -n %d --oversubscribe %s forecast --runs %lu --threads 1 "
           "--format json >/dev/null 2>&1",
           mpirun, n, ENT_ENTENTE_EXE, runs);
  return timed(cmd);
}

/* `entente forecast` of the built-in scenario on `threads` threads, its
 * JSON into the file `path`. */
static timing command(int threads, unsigned long runs, const char *path) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "%s forecast --runs %lu --threads %d --format json --no-progress "
           ">%s 2>/dev/null",
           ENT_ENTENTE_EXE, runs, threads, path);
  return timed(cmd);
}

/* 1 if files a and b hold the same bytes. */
static int same_file(const char *a, const char *b) {
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  int same = fa && fb;
  while (same) {
    int ca = getc(fa), cb = getc(fb);
    if (ca != cb) same = 0;
    else if (ca == EOF) break;
  }
  if (fa) fclose(fa);
  if (fb) fclose(fb);
  return same;
}

static void row(const char *setting, unsigned long runs, timing t,
                const char *ratio) {
  printf("%-28s %8lu %9.2f %9.2f %10.3f %10.1f %9s\n", setting, runs, t.wall,
         t.cpu, 1e3 * t.cpu / (double)runs, (double)runs / t.wall, ratio);
  fflush(stdout);
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
  print_load("at start");
  char buf[32];

  /* 1: the nominal run, previous and current kernels */
  ent_run *ra = NULL, *rb = NULL;
  timing na = nominal(m, 1, 20, &ra), nb = nominal(m, 0, 20, &rb);
  printf("\nnominal run (one member's work, mean of 20): previous kernels "
         "%.3f ms CPU (%.3f wall), current %.3f ms CPU (%.3f wall): "
         "%.2fx\n",
         1e3 * na.cpu, 1e3 * na.wall, 1e3 * nb.cpu, 1e3 * nb.wall,
         na.cpu / nb.cpu);
  printf("deviation of the current kernels' run from the previous one:\n");
  deviations(ra, rb);
  ent_run_destroy(ra);
  ent_run_destroy(rb);

  /* 2, 3: forecasts */
  printf("\n%-28s %8s %9s %9s %10s %10s %9s\n", "setting", "members",
         "wall s", "CPU s", "CPU ms/mb", "members/s", "ratio");
  unsigned long rref = runs < 1000 ? runs : 1000;
  char *jr = NULL, *jc = NULL, *j1 = NULL, *j2 = NULL;
  timing tr = forecast(m, rref, 1, 1, &jr);
  row("previous kernels, 1 thread", rref, tr, "1.00");
  timing tc = forecast(m, rref, 1, 0, &jc);
  snprintf(buf, sizeof buf, "%.2fx", tr.cpu / tc.cpu);
  row("current, 1 thread", rref, tc, buf);
  printf("  outputs of previous and current kernels: %s\n",
         strcmp(jr, jc) ? "differ (see the deviations above)"
                        : "byte-identical");
  timing t1 = forecast(m, runs, 1, 0, &j1);
  row("current, 1 thread", runs, t1, "1.00");
  timing t2 = forecast(m, runs, 2, 0, &j2);
  snprintf(buf, sizeof buf, "%.2fx", t1.wall / t2.wall);
  row("current, 2 threads (wall)", runs, t2, buf);
  printf("  outputs of 1 and 2 threads: %s\n",
         strcmp(j1, j2) ? "DIFFERENT (a bug)" : "byte-identical");
  free(jr);
  free(jc);
  free(j1);
  free(j2);

  /* 4: ranks */
  if (ent_ensemble_mpi_available() && mpirun[0] != '\0') {
    if (geteuid() == 0) {
      /* Open MPI refuses root without these (its documented settings) */
      setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
      setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    }
    timing r1 = ranks(1, runs), r2 = ranks(2, runs);
    if (r1.wall > 0.0) row("1 rank (mpirun)", runs, r1, "1.00");
    if (r1.wall > 0.0 && r2.wall > 0.0) {
      snprintf(buf, sizeof buf, "%.2fx", r1.wall / r2.wall);
      row("2 ranks (mpirun, wall)", runs, r2, buf);
    }
    if (r1.wall < 0.0 || r2.wall < 0.0) printf("  mpirun failed: no rank figures\n");
  } else {
    printf("  ranks: this build has no MPI\n");
  }

  /* 5: the command */
  char p1[64], p2[64];
  snprintf(p1, sizeof p1, "/tmp/bench_ensemble.%ld.1.json", (long)getpid());
  snprintf(p2, sizeof p2, "/tmp/bench_ensemble.%ld.2.json", (long)getpid());
  timing c1 = command(1, runs, p1), c2 = command(2, runs, p2);
  if (c1.wall > 0.0 && c2.wall > 0.0) {
    row("entente forecast, 1 thread", runs, c1, "1.00");
    snprintf(buf, sizeof buf, "%.2fx", c1.wall / c2.wall);
    row("entente forecast, 2 threads", runs, c2, buf);
    printf("  outputs of 1 and 2 threads: %s\n",
           same_file(p1, p2) ? "byte-identical" : "DIFFERENT (a bug)");
  } else {
    printf("  %s forecast failed: no command figures\n", ENT_ENTENTE_EXE);
  }
  remove(p1);
  remove(p2);
  print_load("at end");
  ent_model_destroy(m);
  ent_diag_destroy(d);
  return 0;
}
