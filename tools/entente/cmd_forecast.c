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

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig) {
  (void)sig;
  interrupted = 1;
}

/* Ctrl-C, and SIGTERM and SIGHUP (kill, a closed terminal, a batch
 * system's time limit) the same way: stop after the batch, keep it, mark
 * the stored forecast interrupted. */
static void catch_sigint(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sa.sa_flags = SA_RESETHAND; /* a second signal ends the process at once */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
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
  if (cli_opt_ulong(a, "runs", 1, 100000000ull, &v)) bad = 1;
  o->runs = (unsigned long)v;
  v = o->seed;
  if (cli_opt_ulong(a, "seed", 0, 9007199254740991ull, &v)) bad = 1;
  o->seed = v;
  v = (unsigned long long)o->threads;
  if (cli_opt_ulong(a, "threads", 1, 256, &v)) bad = 1;
  o->threads = (int)v;
  v = 256;
  if (cli_opt_ulong(a, "memory", 16, 1u << 20, &v)) bad = 1;
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
    {"save", NULL, "keep it in ./" CLI_DEFAULT_STORE " (same as --store "
                   CLI_DEFAULT_STORE ")", 0},
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


/* forecast's options beyond the shared ones; problems go to a. */
static void forecast_options(cli_ctx *c, ent_ensemble_opts *eo,
                             unsigned long long *stop_after,
                             unsigned long long *run_id) {
  cli_args *a = &c->a;
  ensemble_options(a, eo, ent_ensemble_mpi_size(c->mpi));
  cli_opt_ulong(a, "stop-after", 1, 100000000ull, stop_after);
  cli_opt_ulong(a, "run", 1, 1ull << 62, run_id);
  cli_model_options(a, c->ro);
  int resume = cli_has(a, "resume");
  if (resume && (a->n_pos || cli_has(a, "runs") || cli_has(a, "seed") ||
                 cli_has(a, "sobol") || cli_has(a, "option") ||
                 cli_has(a, "memory") ||
                 cli_has(a, "rounds") || cli_has(a, "profile")))
    cli_error(a, 1, "--resume continues a stored forecast with its own "
                    "scenario and options: give only --store/--run, --threads, "
                    "--format");
  if (cli_has(a, "run") && !resume)
    cli_error(a, 1, "--run ID goes with --resume");
}

/* The forecast to drive: a stored one continued (--resume), or a new one
 * of the scenario, kept in the store if there is one.  *alone: a failure
 * of rank 0 alone (the store), which leaves the other ranks waiting in a
 * collective: MPI_Abort ends them (resume agrees on its own). */
static ent_status forecast_start(cli_ctx *c, ent_ensemble_opts *eo,
                                 unsigned long long run_id, ent_store **store,
                                 ent_ensemble **e, long long *sid, int *alone) {
  int rank = ent_ensemble_mpi_rank(c->mpi);
  int resume = cli_has(&c->a, "resume");
  ent_status st = ENT_OK;
  if ((resume || cli_has(&c->a, "store") || cli_has(&c->a, "save")) &&
      rank == 0) {
    st = ent_store_open(cli_store_path(&c->a), !resume, store, c->d);
    *alone = st != ENT_OK && !resume;
  }
  if (resume) {
    /* every rank takes part (rank 0 without a store too: it then fails
     * there, with the others) */
    long long got = 0;
    ent_status rs = ent_store_resume(rank == 0 ? *store : NULL,
                                     (long long)run_id, eo, e, &c->m, &got,
                                     c->d);
    if (st == ENT_OK) st = rs;
    *sid = got;
  } else if (st == ENT_OK) {
    st = cli_scenario(c, c->a.n_pos ? c->a.pos[0] : "russia-china-uncertain",
                      &c->m);
    if (st == ENT_OK) st = ent_ensemble_create(c->m, c->ro, eo, e, c->d);
    if (st == ENT_OK && *store) {
      st = ent_store_begin_forecast(*store, *e, sid, c->d);
      *alone = st != ENT_OK;
    }
  }
  return st;
}

/* After the last step (rank 0): keep, print, say what happened. */
static int forecast_finish(cli_ctx *c, ent_ensemble *e, ent_store *store,
                           long long sid, int stopped, ent_status *st) {
  int rc = EXIT_OK;
  int complete = ent_ensemble_done(e) == ent_ensemble_total(e);
  /* the store first: its transaction keeps what was done */
  if (store) *st = ent_store_finish_forecast(store, sid, e,
                                             cli_has(&c->a, "keep-members"), c->d);
  if (*st == ENT_OK) {
    ent_status ws = ent_ensemble_write(e, c->fmt, stdout);
    rc = cli_written(ws);
    if (ws == ENT_OK && !complete && !stopped) rc = EXIT_FAIL;
  } else {
    rc = cli_fail(c->d, *st);
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
  if (store && *st == ENT_OK)
    fprintf(stderr, "entente: forecast kept as run %lld in %s\n", sid,
            cli_store_path(&c->a));
  return rc;
}

static int forecast_main(cli_ctx *c) {
  int rank = ent_ensemble_mpi_rank(c->mpi);
  ent_ensemble_opts eo;
  unsigned long long stop_after = 0, run_id = 0;
  forecast_options(c, &eo, &stop_after, &run_id);
  if (cli_usage_errors(&c->a)) return EXIT_USAGE;
  eo.mpi = c->mpi;
  ent_ensemble *e = NULL;
  ent_store *store = NULL;
  long long sid = 0;
  int alone = 0, rc = EXIT_OK;
  /* before the start (the nominal run), so that an early Ctrl-C is not
   * lost -- a background job of a script starts with SIGINT ignored */
  if (rank == 0) catch_sigint();
  ent_status st = forecast_start(c, &eo, run_id, &store, &e, &sid, &alone);
  if (st == ENT_OK) {
    progress pg = {rank == 0 && isatty(2) && !cli_has(&c->a, "no-progress"),
                   now_s(), ent_ensemble_done(e), "forecast "};
    st = drive(e, rank, &pg, store, sid, (unsigned long)stop_after, c->d);
    if (st != ENT_OK && store) alone = 1; /* maybe the store failed */
    if (st == ENT_OK && rank == 0)
      rc = forecast_finish(c, e, store, sid, stop_after != 0, &st);
  }
  if (st != ENT_OK) rc = cli_fail(c->d, st);
  if (st != ENT_OK && store && sid && rank == 0) {
    /* what was kept stays resumable: mark it so (best effort: the disk may
     * be full) */
    ent_diag *tmp = ent_diag_create();
    if (ent_store_abandon(store, sid, tmp) == ENT_OK)
      fprintf(stderr, "entente: forecast %lld kept as interrupted after %lu "
                      "runs; 'entente forecast --resume --store %s' completes "
                      "it\n", sid, e ? ent_ensemble_done(e) : 0ul,
              cli_store_path(&c->a));
    ent_diag_destroy(tmp);
  }
  ent_ensemble_destroy(e);
  ent_store_close(store);
  c->mpi_abort = alone;
  return rc;
}

const cli_cmd cmd_forecast = {
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
    .formats = 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON | 1u << ENT_FORMAT_CSV,
    .flags = CLI_RUN_OPTS | CLI_MPI,
    .run = forecast_main,
};

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

static int compare_main(cli_ctx *c) {
  int rank = ent_ensemble_mpi_rank(c->mpi);
  ent_ensemble_opts eo;
  ensemble_options(&c->a, &eo, ent_ensemble_mpi_size(c->mpi));
  cli_model_options(&c->a, c->ro);
  if (cli_usage_errors(&c->a)) return EXIT_USAGE;
  eo.mpi = c->mpi;
  ent_model *m[2] = {NULL, NULL};
  ent_ensemble *e[2] = {NULL, NULL};
  ent_status st = ENT_OK;
  for (int k = 0; k < 2 && st == ENT_OK; k++)
    st = cli_scenario(c, c->a.pos[k], &m[k]);
  for (int k = 0; k < 2 && st == ENT_OK; k++)
    st = ent_ensemble_create(m[k], c->ro, &eo, &e[k], c->d);
  if (rank == 0) catch_sigint();
  for (int k = 0; k < 2 && st == ENT_OK; k++) {
    progress pg = {rank == 0 && isatty(2) && !cli_has(&c->a, "no-progress"),
                   now_s(), 0, k ? "B " : "A "};
    st = drive(e[k], rank, &pg, NULL, 0, 0, c->d);
  }
  int rc = EXIT_OK;
  if (st == ENT_OK && rank == 0) {
    rc = cli_written(ent_ensemble_compare_write(e[0], e[1], c->fmt, stdout));
    if (interrupted) {
      rc = EXIT_FAIL;
      fprintf(stderr, "entente: interrupted; the comparison uses the runs "
                      "done\n");
    }
  } else if (st != ENT_OK) {
    rc = cli_fail(c->d, st);
  }
  for (int k = 0; k < 2; k++) {
    ent_ensemble_destroy(e[k]);
    ent_model_destroy(m[k]);
  }
  return rc;
}

const cli_cmd cmd_compare = {
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
    .formats = 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON | 1u << ENT_FORMAT_CSV,
    .flags = CLI_RUN_OPTS | CLI_MPI,
    .run = compare_main,
};

/* ------------------------------------------------------------ runs */

static const cli_opt runs_opts[] = {
    {"store", "FILE", "the run store (default ./" CLI_DEFAULT_STORE ")", 0},
    {"format", "F", "text (default) or json", 0},
    {"show", "ID", "print the stored output (JSON) of run ID", 0},
    {NULL, NULL, NULL, 0},
};

static int runs_main(cli_ctx *c) {
  unsigned long long id = 0;
  cli_opt_ulong(&c->a, "show", 1, 1ull << 62, &id);
  if (cli_usage_errors(&c->a)) return EXIT_USAGE;
  ent_store *s = NULL;
  ent_status st = ent_store_open(cli_store_path(&c->a), 0, &s, c->d);
  if (st == ENT_OK)
    st = id ? ent_store_show(s, (long long)id, stdout, c->d)
            : ent_store_list(s, c->fmt, stdout);
  int rc = st == ENT_OK ? EXIT_OK : cli_fail(c->d, st);
  ent_store_close(s);
  return rc;
}

const cli_cmd cmd_runs = {
    "runs",
    "entente runs [--store FILE] [--format text|json] [--show ID]",
    "List the runs and forecasts kept in a run store: id, kind, status\n"
    "(running, interrupted, complete), scenario, runs done, seed, start\n"
    "time and the scenario's hash.",
    "The schema is in docs/store.md; any SQLite client can read the store.",
    runs_opts,
    0,
    0,
    .formats = 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON,
    .run = runs_main,
};

/* ------------------------------------------------------------ score */

static const cli_opt score_opts[] = {
    {"runs", "N", "members of each as_of scenario's forecast (default 1000)", 0},
    {"seed", "S", "master seed (default 1)", 0},
    {"threads", "T", "threads (default: every core)", 0},
    {"fit-until", "YEAR", "questions resolving by this year are the ones "
                          "free parameters were fitted on (default 2019)", 0},
    {"realised", NULL, "run the scenarios with their realised inputs (GDP, "
                       "shocks announced later) instead of ex ante", 0},
    {"format", "F", "text (default), json or csv (one row a question)", 0},
    {"report", "DIR", "also write the score report: DIR/report.html (the "
                      "score table, the calibration chart, the questions) "
                      "and the chart as SVG and PNG", 0},
    {NULL, NULL, NULL, 0},
};

static int score_main(cli_ctx *c) {
  cli_args *a = &c->a;
  ent_score_opts o;
  ent_score_opts_init(&o);
  o.threads = default_threads();
  unsigned long long v = o.runs;
  cli_opt_ulong(a, "runs", 1, 100000000ull, &v);
  o.runs = (unsigned long)v;
  v = o.seed;
  cli_opt_ulong(a, "seed", 0, 9007199254740991ull, &v);
  o.seed = v;
  v = (unsigned long long)o.threads;
  cli_opt_ulong(a, "threads", 1, 256, &v);
  o.threads = (int)v;
  v = (unsigned long long)o.fit_until;
  cli_opt_ulong(a, "fit-until", 1000, 9999, &v);
  o.fit_until = (int)v;
  o.ex_ante = !cli_has(a, "realised");
  if (cli_usage_errors(a)) return EXIT_USAGE;
  ent_scorecard *sc = NULL;
  ent_status st = ent_scorecard_create(a->pos[0], &o, &sc, c->d);
  if (st != ENT_OK) return cli_fail(c->d, st);
  ent_diag_print(c->d, stderr); /* warnings, if any */
  const char *dir = cli_get(a, "report", NULL);
  int rc = EXIT_OK;
  if (dir) {
    /* the report first: a failure leaves no score output behind */
    ent_report *rep = NULL;
    st = ent_scorecard_report(sc, NULL, &rep);
    if (st != ENT_OK) rc = cli_fail(c->d, st);
    else if (cli_write_report(rep, dir)) rc = EXIT_FAIL;
    else fprintf(stderr, "entente: wrote %s/report.html and the calibration "
                         "chart (SVG, PNG)\n", dir);
    ent_report_destroy(rep);
  }
  if (rc == EXIT_OK) rc = cli_written(ent_scorecard_write(sc, c->fmt, stdout));
  ent_scorecard_destroy(sc);
  return rc;
}

const cli_cmd cmd_score = {
    "score",
    "entente score LEDGER.csv [--runs N] [--seed S] [--threads T] "
    "[--fit-until YEAR] [--realised] [--format text|json|csv] "
    "[--report DIR]",
    "Score forecasts on resolved questions: for every question of the\n"
    "ledger (id, as_of, question, variable, entity, year, op, threshold,\n"
    "threshold2, outcome, source) the share of the as_of scenario's forecast\n"
    "members in which the condition holds, scored with the Brier and log\n"
    "scores against three baselines (uniform 0.5, persistence from the\n"
    "scenario's first year, and for issue questions the weighted mean of\n"
    "the starting positions), for all questions, those resolving by\n"
    "--fit-until and the later ones.",
    "Scenarios run ex ante: with only what was known in their base year\n"
    "(growth as forecast then, no shock or channel announced later).  The\n"
    "log score clips probabilities to [0.005, 0.995].  Same ledger, runs and\n"
    "seed -> the same scores for any --threads.  docs/score.md describes\n"
    "the format, the scores and the project's own ledger (data/ledger.csv).\n"
    "--report DIR writes a self-contained DIR/report.html with the score\n"
    "table, the reliability diagram (calibration.svg, calibration.png) and\n"
    "the table of the questions (docs/report.md).",
    score_opts,
    1,
    1,
    .formats = 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON |
               1u << ENT_FORMAT_CSV,
    .run = score_main,
};
