/*
 * cmd_forecast.c -- `entente forecast` (Monte Carlo ensemble), `entente
 * compare A B` (two forecasts side by side) and `entente runs` (the run
 * store).  docs/ensemble.md and docs/store.md describe them.
 *
 * The Ctrl-C flag lives here (the library has no global state): the
 * handler only sets it; the loop asks the ensemble to stop before its next
 * batch, so what was done is kept, printed and, with a store, committed.
 * Under mpirun/srun the command runs on every rank; only rank 0 prints.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_STORE "entente.db"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig) {
  (void)sig;
  interrupted = 1;
}

static void catch_sigint(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends the process at once */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Progress on stderr when it is a terminal: runs done, rate, ETA. */
typedef struct progress {
  int on;
  double t0;
  unsigned long base; /* runs done before this process started */
  const char *label;
} progress;

static void progress_draw(progress *p, unsigned long done, unsigned long total) {
  if (!p->on) return;
  double el = now_s() - p->t0;
  double rate = el > 0.0 ? (double)(done - p->base) / el : 0.0;
  double eta = rate > 0.0 ? (double)(total - done) / rate : 0.0;
  int width = 24, fill = total ? (int)((double)width * (double)done / (double)total) : 0;
  char bar[32];
  for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
  bar[width] = '\0';
  fprintf(stderr, "\r%s[%s] %lu/%lu runs  %.1f/s  ETA %dm%02ds ", p->label, bar,
          done, total, rate, (int)eta / 60, (int)eta % 60);
  fflush(stderr);
}

static void progress_end(progress *p) {
  if (p->on) fprintf(stderr, "\r%*s\r", 79, "");
}

/* Parse a whole number in [lo, hi] from option `name`; reports and
 * returns -1 on a bad value. */
static int opt_ulong(cli_args *a, const char *name, unsigned long long lo,
                     unsigned long long hi, unsigned long long *out) {
  int argi = 0;
  const char *v = cli_get(a, name, &argi);
  if (!v) return 0;
  char *end;
  errno = 0;
  unsigned long long x = strtoull(v, &end, 10);
  if (errno || end == v || *end || v[0] == '-' || x < lo || x > hi) {
    cli_error(a, argi, "--%s must be a whole number in [%llu, %llu], not '%s'",
              name, lo, hi, v);
    return -1;
  }
  *out = x;
  return 0;
}

static int default_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* Options shared by forecast and compare. */
static int ensemble_options(cli_args *a, ent_ensemble_opts *o, int ranks) {
  unsigned long long v;
  int bad = 0;
  ent_ensemble_opts_init(o);
  o->threads = ranks > 1 ? 1 : default_threads();
  v = o->runs;
  if (opt_ulong(a, "runs", 1, 100000000ull, &v)) bad = 1;
  o->runs = (unsigned long)v;
  v = o->seed;
  if (opt_ulong(a, "seed", 0, 9007199254740991ull, &v)) bad = 1;
  o->seed = v;
  v = (unsigned long long)o->threads;
  if (opt_ulong(a, "threads", 1, 256, &v)) bad = 1;
  o->threads = (int)v;
  v = 256;
  if (opt_ulong(a, "memory", 16, 1u << 20, &v)) bad = 1;
  o->memory_mb = (double)v;
  o->sobol = cli_has(a, "sobol");
  return bad ? -1 : 0;
}

/* Run every step of e (all ranks), with progress and Ctrl-C on rank 0
 * and, with a store, one transaction per step.  stop_after: ask to stop
 * once that many runs are done (0: never). */
static ent_status drive(ent_ensemble *e, int rank, progress *pg,
                        ent_store *store, long long sid,
                        unsigned long stop_after, ent_diag *d) {
  ent_status st;
  for (;;) {
    if (rank == 0 && (interrupted || (stop_after && ent_ensemble_done(e) >= stop_after)))
      ent_ensemble_stop(e);
    st = ent_ensemble_step(e, d);
    if (st != ENT_OK && st != ENT_CONTINUE) break;
    if (rank == 0 && store) {
      ent_status s2 = ent_store_save_batch(store, sid, e, d);
      if (s2 != ENT_OK) {
        st = s2;
        break;
      }
    }
    if (rank == 0) progress_draw(pg, ent_ensemble_done(e), ent_ensemble_total(e));
    if (st == ENT_OK) break;
  }
  if (rank == 0) progress_end(pg);
  return st;
}

/* MPI, when this process was started by mpirun/srun and the build has it.
 * Ranks other than 0 print nothing. */
static ent_mpi *start_mpi(int *argc, char ***argv) {
  ent_mpi *mpi = NULL;
  if (!ent_ensemble_mpi_launched()) return NULL;
  if (!ent_ensemble_mpi_available()) {
    fprintf(stderr, "entente: warning: started by mpirun/srun, but this build "
                    "has no MPI: every process computes the whole forecast\n");
    return NULL;
  }
  if (ent_ensemble_mpi_init(argc, argv, &mpi) != ENT_OK) {
    fprintf(stderr, "entente: error: MPI could not be started\n");
    exit(EXIT_FAIL);
  }
  if (ent_ensemble_mpi_rank(mpi) != 0) {
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
      return mpi;
  }
  return mpi;
}

/* ------------------------------------------------------------ forecast */

static const cli_opt forecast_opts[] = {
    {"runs", "N", "members of the ensemble (default 1000)", 0},
    {"seed", "S", "master seed, 0..2^53-1 (default 1): member i draws from "
                  "its own stream (S, i)", 0},
    {"threads", "T", "threads (default: every core; 1 per rank under MPI)", 0},
    {"format", "F", "text (default), json or csv (tidy)", 0},
    {"sobol", NULL, "Sobol' indices with Saltelli's design (runs x (d+2) "
                    "evaluations) instead of regression coefficients", 0},
    {"memory", "MB", "memory for exact quantiles; beyond it a streaming "
                     "sketch (default 256)", 0},
    {"store", "FILE", "keep the forecast in an SQLite run store", 0},
    {"save", NULL, "keep it in ./" DEFAULT_STORE " (same as --store "
                   DEFAULT_STORE ")", 0},
    {"keep-members", NULL, "keep every member's outputs in the store (else "
                           "its inputs and headline outputs)", 0},
    {"resume", NULL, "complete the latest interrupted forecast of the store", 0},
    {"run", "ID", "with --resume: that stored forecast", 0},
    {"stop-after", "N", "stop as Ctrl-C would once N runs are done", 0},
    {"no-progress", NULL, "no progress bar (it shows only on a terminal)", 0},
    {"rounds", "N", "bargaining rounds per issue (overrides the scenario)", 0},
    {"profile", "P", "expected-utility profile (scholz2011, ...)", 0},
    {"option", "K=V", "model option for every issue, repeatable", 1},
    {NULL, NULL, NULL, 0},
};

static const cli_cmd forecast_cmd = {
    "forecast",
    "entente forecast [SCENARIO] [--runs N] [--seed S] [--threads T] "
    "[--format text|json|csv]",
    "Forecast a scenario with its uncertainty: N runs, each with the\n"
    "scenario's uncertain inputs ({dist: ...} numbers) drawn from its own\n"
    "random stream.  Prints bands (median and 5-95% of runs) of the main\n"
    "pair's trade, dependence and flows, the distribution of every issue's\n"
    "outcome with the probability of each labelled range and of reaching\n"
    "each label by a year, the relationship classes of the main pairs, and\n"
    "which inputs drive the headline outputs.  The result is identical for\n"
    "any --threads and any number of MPI ranks (mpirun -n R entente\n"
    "forecast ...).",
    "SCENARIO: a YAML file or built-in name (default russia-china-uncertain,\n"
    "the built-in scenario with its key judgements as ranges).  Ctrl-C stops\n"
    "cleanly: what was done is printed and, with --store, kept; 'entente\n"
    "forecast --resume' completes it.  Exit status 1 after Ctrl-C.\n\n"
    "JSON: runs, seed, series[] {variable, entity, year, unit, n, mean, sd,\n"
    "q05, q25, q50, q75, q95}, issues[] {id, outcome {...}, ranges[] {label,\n"
    "at, from, to, probability}, thresholds[], relations[]}, sensitivity,\n"
    "uncertain[] (docs/ensemble.md).\n\n"
    "examples:\n"
    "  entente forecast --runs 2000 --threads 2\n"
    "  entente forecast sanctions-relief-2027 --format json > relief.json\n"
    "  mpirun -n 4 entente forecast --runs 100000 --store runs.db",
    forecast_opts,
    0,
    1,
};

static const char *store_path(cli_args *a) {
  const char *p = cli_get(a, "store", NULL);
  return p ? p : DEFAULT_STORE;
}

int cmd_forecast(int argc, char **argv) {
  ent_mpi *mpi = start_mpi(&argc, &argv);
  int rank = ent_ensemble_mpi_rank(mpi);
  cli_args a;
  int done;
  int rc = cli_parse(&forecast_cmd, argc, argv, &a, &done);
  if (rc != EXIT_OK || done) {
    cli_args_free(&a);
    ent_ensemble_mpi_finalize(mpi, 0);
    return rc;
  }
  ent_format fmt;
  ent_ensemble_opts eo;
  unsigned long long stop_after = 0, run_id = 0;
  ent_run_opts *ro = ent_run_opts_create();
  cli_format(&a, 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON | 1u << ENT_FORMAT_CSV,
             &fmt);
  ensemble_options(&a, &eo, ent_ensemble_mpi_size(mpi));
  opt_ulong(&a, "stop-after", 1, 100000000ull, &stop_after);
  opt_ulong(&a, "run", 1, 1ull << 62, &run_id);
  if (ro) cli_model_options(&a, ro);
  int resume = cli_has(&a, "resume");
  if (resume && (a.n_pos || cli_has(&a, "runs") || cli_has(&a, "seed") ||
                 cli_has(&a, "sobol") || cli_has(&a, "option") ||
                 cli_has(&a, "memory") ||
                 cli_has(&a, "rounds") || cli_has(&a, "profile")))
    cli_error(&a, 1, "--resume continues a stored forecast with its own "
                     "scenario and options: give only --store/--run, --threads, "
                     "--format");
  if (cli_has(&a, "run") && !resume)
    cli_error(&a, 1, "--run ID goes with --resume");
  if (!ro || ent_diag_errors(a.diag)) {
    cli_flush(&a);
    ent_run_opts_destroy(ro);
    cli_args_free(&a);
    ent_ensemble_mpi_finalize(mpi, 0);
    return ro ? EXIT_USAGE : EXIT_FAIL;
  }
  eo.mpi = mpi;
  const char *arg = a.n_pos ? a.pos[0] : "russia-china-uncertain";
  int want_store = resume || cli_has(&a, "store") || cli_has(&a, "save");
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  ent_ensemble *e = NULL;
  ent_store *store = NULL;
  long long sid = 0;
  ent_status st = ENT_OK;
  /* a failure of rank 0 alone (the store) leaves the other ranks waiting
   * in a collective: MPI_Abort ends them (resume agrees on its own) */
  int alone = 0;
  if (want_store && rank == 0) {
    st = ent_store_open(store_path(&a), !resume, &store, d);
    alone = st != ENT_OK && !resume;
  }
  if (resume) {
    if (st == ENT_OK || rank != 0) {
      long long got = 0;
      st = ent_store_resume(rank == 0 ? store : NULL, (long long)run_id, &eo, &e,
                            &m, &got, d);
      sid = got;
    }
  } else if (st == ENT_OK) {
    st = cli_load_scenario(arg, &m, d);
    if (st == ENT_ENOTFOUND)
      ent_diag_report(d, ENT_SEV_ERROR, "<command-line>", 1, 1,
                      "no built-in scenario '%s'", arg);
    if (st == ENT_OK) st = ent_ensemble_create(m, ro, &eo, &e, d);
    if (st == ENT_OK && store) {
      st = ent_store_begin_forecast(store, e, &sid, d);
      alone = st != ENT_OK;
    }
  }
  if (st == ENT_OK) {
    progress pg = {rank == 0 && isatty(2) && !cli_has(&a, "no-progress"), now_s(),
                   ent_ensemble_done(e), "forecast "};
    if (rank == 0) catch_sigint();
    st = drive(e, rank, &pg, store, sid, (unsigned long)stop_after, d);
    if (st != ENT_OK && store) alone = 1; /* maybe the store failed */
    if (st == ENT_OK && rank == 0) {
      int complete = ent_ensemble_done(e) == ent_ensemble_total(e);
      /* the store first: its transaction keeps what was done */
      if (store) st = ent_store_finish_forecast(store, sid, e,
                                                cli_has(&a, "keep-members"), d);
      if (st == ENT_OK) {
        ent_status ws = ent_ensemble_write(e, fmt, stdout);
        if (ws != ENT_OK)
          fprintf(stderr, "entente: error: writing output: %s\n",
                  ent_status_str(ws));
        rc = ws != ENT_OK ? EXIT_FAIL : complete || stop_after ? EXIT_OK : EXIT_FAIL;
      } else {
        rc = cli_fail(d, st);
      }
      if (!complete) {
        fprintf(stderr, "entente: %s after %lu of %lu runs; the output uses "
                        "those%s\n",
                interrupted ? "interrupted" : "stopped", ent_ensemble_done(e),
                ent_ensemble_total(e),
                store ? "; 'entente forecast --resume' completes the stored "
                        "forecast"
                      : "");
      }
      if (store && st == ENT_OK)
        fprintf(stderr, "entente: forecast kept as run %lld in %s\n", sid,
                store_path(&a));
    } else if (st == ENT_OK) {
      rc = EXIT_OK;
    }
  }
  if (st != ENT_OK) rc = cli_fail(d, st);
  ent_ensemble_destroy(e);
  ent_model_destroy(m);
  ent_store_close(store);
  ent_diag_destroy(d);
  ent_run_opts_destroy(ro);
  cli_args_free(&a);
  ent_ensemble_mpi_finalize(mpi, alone);
  return rc;
}

/* ------------------------------------------------------------ compare */

static const cli_opt compare_opts[] = {
    {"runs", "N", "members of each forecast (default 1000)", 0},
    {"seed", "S", "master seed of both (default 1): common random numbers", 0},
    {"threads", "T", "threads (default: every core)", 0},
    {"format", "F", "text (default), json or csv", 0},
    {"memory", "MB", "memory for exact quantiles of each (default 256)", 0},
    {"no-progress", NULL, "no progress bar", 0},
    {"rounds", "N", "bargaining rounds per issue", 0},
    {"profile", "P", "expected-utility profile", 0},
    {"option", "K=V", "model option for every issue, repeatable", 1},
    {NULL, NULL, NULL, 0},
};

static const cli_cmd compare_cmd = {
    "compare",
    "entente compare A B [--runs N] [--seed S] [--format text|json|csv]",
    "Forecast two scenarios with the same seed and runs and print them side\n"
    "by side: the headline outputs (median and 5-95% of runs) and the share\n"
    "of runs nearest each label of every issue, with the differences that\n"
    "are larger than their Monte Carlo noise marked (more than twice the\n"
    "standard error of the difference of means, Welch).",
    "A and B: YAML files or built-in names, e.g.\n"
    "  entente compare russia-china-uncertain sanctions-relief-2027",
    compare_opts,
    2,
    2,
};

int cmd_compare(int argc, char **argv) {
  ent_mpi *mpi = start_mpi(&argc, &argv);
  int rank = ent_ensemble_mpi_rank(mpi);
  cli_args a;
  int done;
  int rc = cli_parse(&compare_cmd, argc, argv, &a, &done);
  if (rc != EXIT_OK || done) {
    cli_args_free(&a);
    ent_ensemble_mpi_finalize(mpi, 0);
    return rc;
  }
  ent_format fmt;
  ent_ensemble_opts eo;
  ent_run_opts *ro = ent_run_opts_create();
  cli_format(&a, 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON | 1u << ENT_FORMAT_CSV,
             &fmt);
  ensemble_options(&a, &eo, ent_ensemble_mpi_size(mpi));
  if (ro) cli_model_options(&a, ro);
  if (!ro || ent_diag_errors(a.diag)) {
    cli_flush(&a);
    ent_run_opts_destroy(ro);
    cli_args_free(&a);
    ent_ensemble_mpi_finalize(mpi, 0);
    return ro ? EXIT_USAGE : EXIT_FAIL;
  }
  eo.mpi = mpi;
  ent_diag *d = ent_diag_create();
  ent_model *m[2] = {NULL, NULL};
  ent_ensemble *e[2] = {NULL, NULL};
  ent_status st = ENT_OK;
  for (int k = 0; k < 2 && st == ENT_OK; k++) {
    st = cli_load_scenario(a.pos[k], &m[k], d);
    if (st == ENT_ENOTFOUND)
      ent_diag_report(d, ENT_SEV_ERROR, "<command-line>", 1, 1,
                      "no built-in scenario '%s'", a.pos[k]);
  }
  for (int k = 0; k < 2 && st == ENT_OK; k++)
    st = ent_ensemble_create(m[k], ro, &eo, &e[k], d);
  if (rank == 0) catch_sigint();
  for (int k = 0; k < 2 && st == ENT_OK; k++) {
    progress pg = {rank == 0 && isatty(2) && !cli_has(&a, "no-progress"), now_s(),
                   0, k ? "B " : "A "};
    st = drive(e[k], rank, &pg, NULL, 0, 0, d);
  }
  if (st == ENT_OK && rank == 0) {
    st = ent_ensemble_compare_write(e[0], e[1], fmt, stdout);
    if (st != ENT_OK)
      fprintf(stderr, "entente: error: writing output: %s\n", ent_status_str(st));
    rc = st != ENT_OK || interrupted ? EXIT_FAIL : EXIT_OK;
    if (interrupted)
      fprintf(stderr, "entente: interrupted; the comparison uses the runs "
                      "done\n");
    st = ENT_OK;
  } else if (st != ENT_OK) {
    rc = cli_fail(d, st);
  }
  for (int k = 0; k < 2; k++) {
    ent_ensemble_destroy(e[k]);
    ent_model_destroy(m[k]);
  }
  ent_diag_destroy(d);
  ent_run_opts_destroy(ro);
  cli_args_free(&a);
  ent_ensemble_mpi_finalize(mpi, 0);
  return rc;
}

/* ------------------------------------------------------------ runs */

static const cli_opt runs_opts[] = {
    {"store", "FILE", "the run store (default ./" DEFAULT_STORE ")", 0},
    {"format", "F", "text (default) or json", 0},
    {"show", "ID", "print the stored output (JSON) of run ID", 0},
    {NULL, NULL, NULL, 0},
};

static const cli_cmd runs_cmd = {
    "runs",
    "entente runs [--store FILE] [--format text|json] [--show ID]",
    "List the runs and forecasts kept in a run store: id, kind, status\n"
    "(running, interrupted, complete), scenario, runs done, seed, start\n"
    "time and the scenario's hash.",
    "The schema is in docs/store.md; any SQLite client can read the store.",
    runs_opts,
    0,
    0,
};

int cmd_runs(int argc, char **argv) {
  cli_args a;
  int done;
  int rc = cli_parse(&runs_cmd, argc, argv, &a, &done);
  if (rc != EXIT_OK || done) {
    cli_args_free(&a);
    return rc;
  }
  ent_format fmt;
  unsigned long long id = 0;
  cli_format(&a, 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON, &fmt);
  opt_ulong(&a, "show", 1, 1ull << 62, &id);
  if (ent_diag_errors(a.diag)) {
    cli_flush(&a);
    cli_args_free(&a);
    return EXIT_USAGE;
  }
  ent_diag *d = ent_diag_create();
  ent_store *s = NULL;
  ent_status st = ent_store_open(store_path(&a), 0, &s, d);
  if (st == ENT_OK)
    st = id ? ent_store_show(s, (long long)id, stdout, d)
            : ent_store_list(s, fmt, stdout);
  rc = st == ENT_OK ? EXIT_OK : cli_fail(d, st);
  ent_store_close(s);
  ent_diag_destroy(d);
  cli_args_free(&a);
  return rc;
}
