/*
 * bench_smp.c -- seconds per run of KTAB's Spatial Model of Politics
 * (entente smp, default options) on
 *   - the seven KTAB example scenarios of tests/data/smp/ (KTAB's own
 *     inputs, so the ratio against smpc's time is like for like), and
 *   - synthetic one-dimensional scenarios of 40, 80, 160 and 250 actors,
 *     drawn like KTAB's dummyData files (capability U(0.5, 2), position
 *     U(0, 100), salience U(20, 90)) from GSL's MT19937 seeded explicitly,
 *     so every run of the benchmark times the same inputs;
 *   - the forecast's shape: the simulation's yearly solver runs
 *     (ent_smp_solver_run: state 0, one turn, state 1) on 2,000 synthetic
 *     issues of 6 to 8 actors on one dimension (capability U(0.1, 1),
 *     position U(0, 100), salience U(20, 100), from benchutil's seeded
 *     stream), default options: microseconds of CPU per run, the cost a
 *     forecast member pays about 40 times.
 *
 * KTAB figures: smpc --logmin, optimised build, on this machine kind: the
 * wall times of smp-reference/expected.md for the examples; about 5.6 s,
 * 60 s and 20 min for 40/80/160 actors of the dummyData kind.  The
 * synthetic scenarios are not KTAB's files, and run length depends on the
 * scenario (states column), so their ratios are indicative.
 *
 * Usage: bench_smp [DATA_DIR]   (default: tests/data/smp, found from the
 * repository root or the build directory).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "benchutil.h"
#include "entente.h"
#include "strategic/smp.h"

/* Time runs of p until at least 0.3 s of CPU have passed (at least one
 * run).  Returns wall seconds per run; *cpu gets CPU seconds per run and
 * *states the run's length. */
static double time_runs(const ent_smp_problem *p, size_t *states,
                        double *cpu) {
  double t0 = now(), c0 = cpu_now(), c;
  long runs = 0;
  do {
    ent_diag *d = ent_diag_create();
    ent_smp_run *r = NULL;
    if (ent_smp_run_create(p, NULL, &r, d) != ENT_OK) {
      ent_diag_print(d, stderr);
      exit(1);
    }
    *states = ent_smp_run_state_count(r);
    ent_smp_run_destroy(r);
    ent_diag_destroy(d);
    runs++;
    c = cpu_now() - c0;
  } while (c < 0.3);
  *cpu = c / (double)runs;
  return (now() - t0) / (double)runs;
}

static double flat(gsl_rng *r, double a, double b) {
  return a + (b - a) * gsl_rng_uniform(r);
}

static void row(const char *name, const ent_smp_problem *p, double ktab) {
  size_t states = 0;
  double cpu, s = time_runs(p, &states, &cpu);
  printf("%-22s %6zu %4zu %6zu %12.6f %12.6f %10.4f", name,
         ent_smp_problem_actor_count(p), ent_smp_problem_dim_count(p), states,
         s, cpu, 1e3 * cpu / (double)(states > 1 ? states - 1 : 1));
  if (ktab > 0.0)
    printf(" %10.2f %10.0fx\n", ktab, ktab / cpu);
  else
    printf(" %10s %11s\n", "-", "-");
  fflush(stdout);
}

/* Directory holding the KTAB examples. */
static const char *data_dir(int argc, char **argv) {
  static const char *const tries[] = {"tests/data/smp", "../tests/data/smp",
                                      "../../tests/data/smp"};
  if (argc > 1) return argv[1];
  for (size_t k = 0; k < sizeof tries / sizeof tries[0]; k++) {
    char path[512];
    snprintf(path, sizeof path, "%s/dummyData_3Dim.csv", tries[k]);
    FILE *fp = fopen(path, "rb");
    if (fp) {
      fclose(fp);
      return tries[k];
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  gsl_set_error_handler_off();
  static const struct {
    const char *name;
    double ktab_s; /* smpc wall time, expected.md */
  } examples[] = {
      {"dummyData_3Dim", 0.06}, {"SOE-Pol-Comp", 0.36},
      {"SOE-Policy", 1.49},     {"dummyData_6Dim", 2.67},
      {"SOE-Competitive", 6.89}, {"dummyData-a040", 5.75},
      {"dummyData-a080", 61.7},
  };
  static const struct {
    size_t n;
    double ktab_s; /* KTAB, dummyData kind of this size */
  } synth[] = {{40, 5.6}, {80, 60.0}, {160, 1200.0}, {250, 0.0}};

  printf("SMP (KTAB Spatial Model of Politics), default options: seconds per "
         "run\n");
  print_load("at start");
  printf("%-22s %6s %4s %6s %12s %12s %10s %10s %11s\n", "scenario", "actors",
         "dims", "states", "wall s/run", "CPU s/run", "CPU ms/turn", "KTAB s",
         "KTAB/ours");
  const char *dir = data_dir(argc, argv);
  if (!dir) {
    fprintf(stderr, "bench_smp: KTAB examples not found (pass the path of "
                    "tests/data/smp)\n");
  } else {
    for (size_t k = 0; k < sizeof examples / sizeof examples[0]; k++) {
      char path[600];
      snprintf(path, sizeof path, "%s/%s.csv", dir, examples[k].name);
      ent_diag *d = ent_diag_create();
      ent_smp_problem *p = NULL;
      if (ent_smp_load_file(path, &p, d) != ENT_OK) {
        ent_diag_print(d, stderr);
        return 1;
      }
      row(examples[k].name, p, examples[k].ktab_s);
      ent_smp_problem_destroy(p);
      ent_diag_destroy(d);
    }
  }

  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (!rng) return 1;
  for (size_t k = 0; k < sizeof synth / sizeof synth[0]; k++) {
    size_t n = synth[k].n;
    gsl_rng_set(rng, 20191117u + (unsigned long)n); /* explicit seed */
    size_t cap = 128 + 64 * n;
    char *text = malloc(cap);
    if (!text) return 1;
    size_t len = (size_t)snprintf(text, cap, "synthetic %zu,seeded,%zu,1\n"
                                  "Actor,Description,Influence,XYZ Position,"
                                  "XYZ Salience\n", n, n);
    for (size_t i = 0; i < n; i++) {
      /* one statement per draw: argument evaluation order is unspecified */
      double c = flat(rng, 0.5, 2.0);
      double x = flat(rng, 0.0, 100.0);
      double s = flat(rng, 20.0, 90.0);
      len += (size_t)snprintf(text + len, cap - len,
                              "Act-%zu,Desc-%zu,%.2f,%.2f,%.2f\n", 1001 + i,
                              1001 + i, c, x, s);
    }
    ent_diag *d = ent_diag_create();
    ent_smp_problem *p = NULL;
    char name[64];
    snprintf(name, sizeof name, "synthetic-%zu", n);
    if (ent_smp_load_buffer(name, text, len, &p, d) != ENT_OK) {
      ent_diag_print(d, stderr);
      return 1;
    }
    row(name, p, synth[k].ktab_s);
    ent_smp_problem_destroy(p);
    ent_diag_destroy(d);
    free(text);
  }
  gsl_rng_free(rng);

  /* the forecast's shape: one-turn solver runs at 6-8 actors */
  enum { ISSUES = 2000 };
  static double fcap[ISSUES][8], fpos[ISSUES][8], fsal[ISSUES][8];
  uint64_t fs = 20261205u;
  ent_smp_solver *sv[9] = {NULL};
  for (size_t n = 6; n <= 8; n++) {
    ent_smp_spec sp = {.file = "forecast-shaped", .n = n, .m = 1};
    sv[n] = ent_smp_solver_alloc(&sp, NULL);
    if (!sv[n]) return 1;
    ent_smp_solver_set_max_turns(sv[n], 1);
  }
  for (size_t k = 0; k < ISSUES; k++)
    for (size_t i = 0; i < 8; i++) {
      fcap[k][i] = 0.1 + 0.9 * uniform(&fs);
      fpos[k][i] = 100.0 * uniform(&fs);
      fsal[k][i] = 20.0 + 80.0 * uniform(&fs);
    }
  double t0 = now(), c0 = cpu_now(), c;
  long runs = 0, fails = 0;
  do {
    for (size_t k = 0; k < ISSUES; k++) {
      size_t n = 6 + k % 3;
      if (ent_smp_solver_run(sv[n], fcap[k], fpos[k], fsal[k], NULL) !=
          ENT_OK)
        fails++;
      runs++;
    }
    c = cpu_now() - c0;
  } while (c < 0.5);
  double wall = now() - t0;
  printf("\nforecast-shaped solver runs (6-8 actors, 1 dimension, 1 turn, "
         "%d issues; %ld refused)\n", ISSUES, fails);
  printf("%-22s %10s %14s %14s\n", "", "runs", "wall us/run", "CPU us/run");
  printf("%-22s %10ld %14.3f %14.3f\n", "solver run", runs,
         1e6 * wall / (double)runs, 1e6 * c / (double)runs);
  for (size_t n = 6; n <= 8; n++) ent_smp_solver_free(sv[n]);
  print_load("at end");
  return 0;
}
