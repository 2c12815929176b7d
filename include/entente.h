/*
 * entente.h -- the one public header of the entente library.
 *
 * entente models and forecasts the dynamics of strategic relationships
 * between powers.  A scenario (YAML file, Predictioneer-style CSV table or a
 * built-in) is loaded into an immutable model; runs are computed from it and
 * written out by the report functions.  The command-line tool uses nothing
 * but this header.
 *
 * Conventions
 *   - Opaque handles with create/destroy pairs; every destroy accepts NULL.
 *   - Functions return an ent_status: 0 success, > 0 informational
 *     (ENT_CONTINUE while stepping), < 0 error.
 *   - Problems in user input are collected in an ent_diag with
 *     file:line:col positions; a load that found any error returns
 *     ENT_EINPUT and no model.
 *   - No global mutable state: handles may be used from different threads
 *     as long as one handle is not used by two threads at once.
 *   - Who frees: a pointer returned through an `out` argument is owned by
 *     the caller and freed with the matching destroy; a `const char *`
 *     returned by an accessor lives as long as the handle it came from.
 */
#ifndef ENTENTE_H
#define ENTENTE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ENT_BUILDING_LIBRARY) && defined(__GNUC__)
#define ENT_API __attribute__((visibility("default")))
#else
#define ENT_API
#endif

#define ENT_VERSION "0.1.0"

/* ---------------------------------------------------------------- status */

/* X-macro: name, value, message.  0 ok, > 0 informational, < 0 error. */
#define ENT_STATUS_LIST(X)                                            \
  X(ENT_OK, 0, "success")                                             \
  X(ENT_CONTINUE, 1, "not finished yet")                              \
  X(ENT_EINVAL, -1, "invalid argument")                               \
  X(ENT_ENOMEM, -2, "out of memory")                                  \
  X(ENT_EINPUT, -3, "invalid input")                                  \
  X(ENT_EIO, -4, "input/output error")                                \
  X(ENT_ENOCONV, -5, "did not converge")                              \
  X(ENT_ENOTFOUND, -6, "not found")                                   \
  X(ENT_EINTERNAL, -7, "internal error")                             \
  X(ENT_ECANCELED, -8, "canceled")

typedef enum ent_status {
#define ENT_X_ENUM(name, value, text) name = value,
  ENT_STATUS_LIST(ENT_X_ENUM)
#undef ENT_X_ENUM
} ent_status;

/* A static string describing `s`; never NULL. */
ENT_API const char *ent_status_str(ent_status s);

/* ----------------------------------------------------------- diagnostics */

typedef enum ent_severity {
  ENT_SEV_ERROR = 0,
  ENT_SEV_WARNING = 1,
  ENT_SEV_NOTE = 2
} ent_severity;

/* One problem found in an input.  Positions are 1-based; 0 = unknown. */
typedef struct ent_diag_item {
  ent_status code;
  ent_severity severity;
  const char *file; /* owned by the ent_diag; "<builtin>" etc. allowed */
  int line, col;
  char msg[256];
} ent_diag_item;

typedef struct ent_diag ent_diag;

ENT_API ent_diag *ent_diag_create(void);
ENT_API void ent_diag_destroy(ent_diag *d);
/* Number of items, and of items with severity ENT_SEV_ERROR. */
ENT_API size_t ent_diag_count(const ent_diag *d);
ENT_API size_t ent_diag_errors(const ent_diag *d);
/* Item i (0-based, in the order found); NULL when out of range. */
ENT_API const ent_diag_item *ent_diag_get(const ent_diag *d, size_t i);
/* Report a command-line (or other caller-side) problem. */
ENT_API void ent_diag_report(ent_diag *d, ent_severity sev, const char *file,
                             int line, int col, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Print every item as `file:line:col: error: message`, followed, where the
 * source text is known, by the offending line and a caret under the column. */
ENT_API void ent_diag_print(const ent_diag *d, FILE *fp);

/* ---------------------------------------------------------------- models */

/* A loaded, validated scenario: actors, issues, options.  Immutable. */
typedef struct ent_model ent_model;

/* Load a YAML scenario file.  On error returns ENT_EINPUT (problems in `d`)
 * or ENT_EIO, and sets *out to NULL. */
ENT_API ent_status ent_scenario_load_file(const char *path, ent_model **out,
                                          ent_diag *d);
/* Same, from memory; `name` is used in messages. */
ENT_API ent_status ent_scenario_load_buffer(const char *name, const char *text,
                                            size_t len, ent_model **out,
                                            ent_diag *d);
/* Load a Predictioneer-style actor table (CSV: actor,capability,position,
 * salience; salience 0-100) as a one-issue model. */
ENT_API ent_status ent_table_load_file(const char *path, ent_model **out,
                                       ent_diag *d);
ENT_API ent_status ent_table_load_buffer(const char *name, const char *text,
                                         size_t len, ent_model **out,
                                         ent_diag *d);
/* Built-in scenarios, compiled into the library. */
ENT_API size_t ent_builtin_count(void);
/* Name and title of built-in i; NULL when out of range. */
ENT_API const char *ent_builtin_name(size_t i);
ENT_API const char *ent_builtin_title(size_t i);
/* YAML text of a built-in by name (NULL if unknown), e.g. for `--dump`. */
ENT_API const char *ent_builtin_text(const char *name);
/* Load built-in `name` (NULL: the default, russia-china).  ENT_ENOTFOUND
 * if there is no such built-in. */
ENT_API ent_status ent_builtin_load(const char *name, ent_model **out,
                                    ent_diag *d);
ENT_API void ent_model_destroy(ent_model *m);

ENT_API const char *ent_model_id(const ent_model *m);
ENT_API const char *ent_model_title(const ent_model *m);
ENT_API size_t ent_model_actor_count(const ent_model *m);
ENT_API const char *ent_model_actor_id(const ent_model *m, size_t i);
ENT_API const char *ent_model_actor_name(const ent_model *m, size_t i);
ENT_API size_t ent_model_issue_count(const ent_model *m);
ENT_API const char *ent_model_issue_id(const ent_model *m, size_t i);
ENT_API const char *ent_model_issue_question(const ent_model *m, size_t i);

/* ---------------------------------------------------------- run options */

/* Options that callers (the command line) may set on top of what the
 * scenario says.  Initialise with ent_run_opts_init. */
typedef struct ent_run_opts ent_run_opts;

ENT_API ent_run_opts *ent_run_opts_create(void);
ENT_API void ent_run_opts_destroy(ent_run_opts *o);
/* Set a model option given as "key=value" (eum.md section 7 names, plus
 * "rounds" and "profile").  Bad keys/values go to `d` with `where` as the
 * file name (e.g. "<command-line>"); returns ENT_EINPUT then. */
ENT_API ent_status ent_run_opts_set(ent_run_opts *o, const char *kv,
                                    const char *where, ent_diag *d);
/* Threads one bargaining round may use (1 to 64, clamped; default 1):
 * the expected-utility round's O(n^3) sums and decisions run on them
 * from 96 actors on, with the same bits for any number. */
ENT_API void ent_run_opts_set_threads(ent_run_opts *o, int threads);

/* ----------------------------------------------------------------- runs */

/* The result of simulating a model once. */
typedef struct ent_run ent_run;

/* Simulate `m`: every step to the end (see ent_sim_* for one step at a
 * time).  ENT_ENOCONV if a trade equilibrium could not be found (the
 * message in `d` says which year). */
ENT_API ent_status ent_run_create(const ent_model *m, const ent_run_opts *o,
                                  ent_run **out, ent_diag *d);
ENT_API void ent_run_destroy(ent_run *r);

/* Step-wise simulation.  ent_sim_step computes one year (structural
 * scenarios) or the single bargaining step; it returns ENT_CONTINUE while
 * more steps remain, ENT_OK after the last one, or an error.  `m` and `o`
 * must outlive the sim.  ent_sim_finish hands over the run (also after an
 * early stop: the run then holds the years done) and frees the sim. */
typedef struct ent_sim ent_sim;

ENT_API ent_status ent_sim_start(const ent_model *m, const ent_run_opts *o,
                                 ent_sim **out, ent_diag *d);
ENT_API ent_status ent_sim_step(ent_sim *s, ent_diag *d);
/* Year of the last step done (0 before the first step or without a time
 * axis). */
ENT_API int ent_sim_year(const ent_sim *s);
ENT_API ent_status ent_sim_finish(ent_sim *s, ent_run **out);
ENT_API void ent_sim_destroy(ent_sim *s);

/* ---------------------------------------------------------------- output */

typedef enum ent_format {
  ENT_FORMAT_TEXT = 0,
  ENT_FORMAT_JSON = 1,
  ENT_FORMAT_CSV = 2
} ent_format;

/* Write a run in the given format.  ENT_EIO if writing failed. */
ENT_API ent_status ent_run_write(const ent_run *r, ent_format f, FILE *fp);
/* Write the single-issue view used by `entente eum` (round-by-round table,
 * the forecast); the run must come from a one-issue model. */
ENT_API ent_status ent_run_write_eum(const ent_run *r, ent_format f, FILE *fp);
/* Back-test: compare a structural run with the observed history its
 * scenario carries (docs/backtest.md): per series and year the model and
 * the actual value, and the mean absolute percentage error of the model,
 * of persistence (the last observed value at or before the base year) and
 * of the log-linear trend fitted to the observed years up to the base
 * year.  ENT_EINVAL if the run has no structure or the scenario no
 * history that the run can be compared with (message in d). */
ENT_API ent_status ent_run_write_backtest(const ent_run *r, ent_format f,
                                          FILE *fp, ent_diag *d);
/* Write a validation summary of a model (`entente check`). */
ENT_API ent_status ent_model_write_summary(const ent_model *m, FILE *fp);

/* ---- trade (GE structural gravity) ---- */

/* The one-sector GE structural gravity counterfactual (docs/models/
 * gravity.md): baseline flows X (row = exporter, column = importer,
 * domestic sales included), a directional shock b_ij = exp(beta_ij) and a
 * trade elasticity theta give the change of wages, prices, welfare and
 * flows.  A problem is loaded once and may be solved many times. */
typedef struct ent_trade_problem ent_trade_problem;
/* The counterfactual equilibrium of one solve.  Immutable. */
typedef struct ent_trade_result ent_trade_result;

typedef enum ent_trade_deficit {
  ENT_TRADE_DEFICIT_ADDITIVE = 0,      /* E'_j = w_j Y_j + D_j (default) */
  ENT_TRADE_DEFICIT_MULTIPLICATIVE = 1 /* E'_j = kappa w_j E_j */
} ent_trade_deficit;

/* Solver options.  Initialise with ent_trade_opts_init. */
typedef struct ent_trade_opts {
  double theta;             /* trade elasticity, > 0 (default 4) */
  ent_trade_deficit deficit;
  double tol;               /* stop when max |d ln w_hat| < tol (1e-12) */
  int max_iter;             /* fixed-point iterations, all attempts (10000) */
  double lambda;            /* damping in (0, 1] (1: none) */
  int restarts;             /* halvings of lambda after a stall (3) */
  int newton;               /* 1: Newton fallback on log-wages (1) */
  int newton_max_iter;      /* (100) */
  double residual_tol;      /* required final adding-up residual (1e-9) */
  int newton_predict;       /* 1: Newton also stops after a full step s_k
                               when the error it leaves, predicted from the
                               quadratic rate s_k^3 / s_(k-1)^2, is below
                               tol / 100 (0) */
  int newton_chord;         /* 1: after a full Newton step, chord steps
                               with its factored Jacobian (no new one)
                               while they contract at a rate rho <= 1/10;
                               they stop when the error they leave,
                               rho s_k / (1 - rho), is below tol / 1000
                               (0) */
} ent_trade_opts;

ENT_API void ent_trade_opts_init(ent_trade_opts *o);

/* Load baseline flows (CSV exporter,importer,flow: the complete square
 * set, domestic pairs included) and a shock (CSV exporter,importer,beta;
 * only the pairs that change; beta `-inf` or `embargo` = b 0).
 * shock_path NULL: no shock.  Problems go to `d`; returns ENT_EINPUT
 * (problems in d), ENT_EIO or ENT_ENOMEM with *out NULL. */
ENT_API ent_status ent_trade_problem_load_files(const char *flows_path,
                                                const char *shock_path,
                                                ent_trade_problem **out,
                                                ent_diag *d);
/* Same from memory; the names are used in messages.  shock_text NULL: no
 * shock. */
ENT_API ent_status ent_trade_problem_load_buffers(
    const char *flows_name, const char *flows_text, size_t flows_len,
    const char *shock_name, const char *shock_text, size_t shock_len,
    ent_trade_problem **out, ent_diag *d);
/* From arrays (n*n, row-major, row = exporter; b NULL: no shock; names
 * NULL: "C1".."Cn").  Values are copied.  ENT_EINVAL on invalid values
 * (X_ii <= 0, X_ij < 0, b_ij < 0, non-finite, empty or repeated names). */
ENT_API ent_status ent_trade_problem_create(size_t n,
                                            const char *const *names,
                                            const double *X, const double *b,
                                            ent_trade_problem **out);
ENT_API void ent_trade_problem_destroy(ent_trade_problem *p);
ENT_API size_t ent_trade_problem_size(const ent_trade_problem *p);
/* Name of country i; NULL when out of range. */
ENT_API const char *ent_trade_problem_country(const ent_trade_problem *p,
                                              size_t i);

/* Solve the counterfactual (o NULL: defaults).  ENT_OK: *out set.
 * ENT_ENOCONV: no equilibrium (not converged, or infeasible: an additive
 * deficit larger than output); ENT_EINVAL: bad options.  On failure *out
 * is NULL and `d` (may be NULL) holds a message with the iteration count
 * and residual. */
ENT_API ent_status ent_trade_solve(const ent_trade_problem *p,
                                   const ent_trade_opts *o,
                                   ent_trade_result **out, ent_diag *d);
ENT_API void ent_trade_result_destroy(ent_trade_result *r);

/* Per-country outputs (gravity.md section 4). */
typedef enum ent_trade_field {
  ENT_TRADE_W_HAT = 0,     /* nominal output (wage) change */
  ENT_TRADE_E_HAT,         /* expenditure change */
  ENT_TRADE_P_HAT,         /* price index (IMR) change */
  ENT_TRADE_WELFARE_HAT,   /* E_hat / P_hat */
  ENT_TRADE_REAL_WAGE_HAT, /* w_hat / P_hat */
  ENT_TRADE_OMR_HAT,       /* outward multilateral resistance change */
  ENT_TRADE_PI_OWN_NEW     /* new domestic expenditure share */
} ent_trade_field;

ENT_API size_t ent_trade_result_size(const ent_trade_result *r);
ENT_API const char *ent_trade_result_country(const ent_trade_result *r,
                                             size_t i);
/* Value of `f` for country i (0 when out of range). */
ENT_API double ent_trade_result_value(const ent_trade_result *r, size_t i,
                                      ent_trade_field f);
/* New flow from exporter i to importer j (0 when out of range). */
ENT_API double ent_trade_result_flow(const ent_trade_result *r, size_t i,
                                     size_t j);
ENT_API int ent_trade_result_iterations(const ent_trade_result *r);
/* Final adding-up residual max_i |sum_j X'_ij - w_i Y_i| / Y_i. */
ENT_API double ent_trade_result_residual(const ent_trade_result *r);
/* Write the country table and the flow table (CSV: the two tables one
 * after the other, separated by a blank line; JSON: one object; text: an
 * aligned summary).  ENT_EIO if writing failed. */
ENT_API ent_status ent_trade_result_write(const ent_trade_result *r,
                                          ent_format f, FILE *fp);

/* ---- smp (KTAB Spatial Model of Politics) ---- */
/* KTAB's Spatial Model of Politics (docs/models/smp.md): N actors with a
 * capability, a position and a salience on each of M dimensions bargain
 * turn by turn (challenges, bargains, queue elections) until positions
 * settle.  Scenarios come in KTAB's CSV layout; every model parameter of
 * KTAB is an option.  Runs are deterministic: same problem, options and
 * seed -> identical history. */
typedef struct ent_smp_problem ent_smp_problem;
typedef struct ent_smp_opts ent_smp_opts;
typedef struct ent_smp_run ent_smp_run;

/* Load a KTAB scenario CSV (scenario line, header line, one line per
 * actor).  Every problem goes to `d` as file:line:col; returns ENT_EINPUT
 * (or ENT_EIO, ENT_ENOMEM) and *out = NULL if any error was found. */
ENT_API ent_status ent_smp_load_file(const char *path, ent_smp_problem **out,
                                     ent_diag *d);
/* Same from memory; `name` is used in messages. */
ENT_API ent_status ent_smp_load_buffer(const char *name, const char *text,
                                       size_t len, ent_smp_problem **out,
                                       ent_diag *d);
ENT_API void ent_smp_problem_destroy(ent_smp_problem *p);
ENT_API const char *ent_smp_problem_name(const ent_smp_problem *p);
ENT_API size_t ent_smp_problem_actor_count(const ent_smp_problem *p);
ENT_API size_t ent_smp_problem_dim_count(const ent_smp_problem *p);
/* Names (trimmed); NULL when out of range.  Live as long as `p`. */
ENT_API const char *ent_smp_problem_actor_name(const ent_smp_problem *p,
                                               size_t i);
ENT_API const char *ent_smp_problem_dim_name(const ent_smp_problem *p,
                                             size_t k);

/* Options, initialised to KTAB's defaults.  NULL when out of memory. */
ENT_API ent_smp_opts *ent_smp_opts_create(void);
ENT_API void ent_smp_opts_destroy(ent_smp_opts *o);
/* Set one option from "key=value" (KTAB's parameter names such as
 * VotingRule=Cubic, or max_turns, min_turns, stop_ratio, seed, strict,
 * degenerate, accommodation=A[i][j]=v;...).  Returns ENT_OK, or
 * ENT_EINPUT with the reason in why[0..size). */
ENT_API ent_status ent_smp_opts_parse(ent_smp_opts *o, const char *kv,
                                      char *why, size_t size);
/* One line listing every option name, for help texts (static). */
ENT_API const char *ent_smp_option_names(void);

/* Run the model on `p` (o = NULL: defaults).  The run keeps its own copy
 * of problem and options.  Errors (KTAB's runtime aborts, options that do
 * not fit the problem) go to `d`; warnings (degenerate states) too.
 * Returns ENT_OK and *out, or an error and *out = NULL. */
ENT_API ent_status ent_smp_run_create(const ent_smp_problem *p,
                                      const ent_smp_opts *o,
                                      ent_smp_run **out, ent_diag *d);
ENT_API void ent_smp_run_destroy(ent_smp_run *r);
/* Number of states (turn 0 = the input, ..., states - 1). */
ENT_API size_t ent_smp_run_state_count(const ent_smp_run *r);
/* Position / ideal of actor i on dimension k at state t, 0-100 scale
 * (KTAB's); 0 when out of range. */
ENT_API double ent_smp_run_position(const ent_smp_run *r, size_t t, size_t i,
                                    size_t k);
ENT_API double ent_smp_run_ideal(const ent_smp_run *r, size_t t, size_t i,
                                 size_t k);
/* Winning probability of actor i's position at state t (KTAB's "History of
 * actors' winning probabilities"). */
ENT_API double ent_smp_run_win_prob(const ent_smp_run *r, size_t t, size_t i);
/* 1 if the run stopped by the stopping ratio, 0 at the turn limit. */
ENT_API int ent_smp_run_converged(const ent_smp_run *r);
/* Write the run: text (turn-by-turn tables), JSON (one object: actors,
 * dimensions, turns, probabilities, converged, ...) or CSV (KTAB's
 * turn,actor,actor_name,dim,dim_name,position layout).  ENT_EIO if writing
 * failed. */
ENT_API ent_status ent_smp_run_write(const ent_smp_run *r, ent_format f,
                                     FILE *fp);

/* ---- ensemble (Monte Carlo forecasts; docs/ensemble.md) ---- */
/* A forecast: N members, each the model with its uncertain numbers drawn
 * from its own random stream (seed, member index), simulated once; the
 * statistics of every output (bands, outcome distributions, relationship
 * classes) and the sensitivity of the headline outputs to the inputs.
 * Members are reduced in index order, so the result is bit-identical for
 * any number of threads and MPI ranks. */
typedef struct ent_ensemble ent_ensemble;
/* An MPI communicator held by the ensemble module (opaque). */
typedef struct ent_mpi ent_mpi;

typedef struct ent_ensemble_opts {
  unsigned long runs;      /* members (base rows with sobol), >= 1 (1000) */
  unsigned long long seed; /* master seed (1) */
  int threads;             /* threads of this process, >= 1 (1) */
  int sobol;               /* 1: Saltelli's design, runs x (d + 2) model
                              evaluations, Sobol' indices (0: SRC) */
  double memory_mb;        /* memory for exact quantiles; beyond, a sketch
                              (256) */
  const ent_mpi *mpi;      /* NULL: this process only */
} ent_ensemble_opts;

ENT_API void ent_ensemble_opts_init(ent_ensemble_opts *o);
/* Set up a forecast of `m` (which must outlive it) with the model options
 * `ro` (NULL: none; copied).  Runs the nominal model once to fix the
 * outputs.  With o->mpi every rank calls this with the same arguments. */
ENT_API ent_status ent_ensemble_create(const ent_model *m,
                                       const ent_run_opts *ro,
                                       const ent_ensemble_opts *o,
                                       ent_ensemble **out, ent_diag *d);
/* Compute the next batch of members (every rank calls it).  Returns
 * ENT_CONTINUE while members remain, ENT_OK when all are done or after
 * ent_ensemble_stop, or an error. */
ENT_API ent_status ent_ensemble_step(ent_ensemble *e, ent_diag *d);
/* Ask (on rank 0, e.g. from a Ctrl-C flag) to stop before the next batch;
 * what was done is kept. */
ENT_API void ent_ensemble_stop(ent_ensemble *e);
/* Cancel flag (bindings: Python's Ctrl-C): while *flag (may be NULL: none)
 * is nonzero, no further member starts and ent_ensemble_step returns
 * ENT_ECANCELED without adding the members of that batch; the ensemble
 * then holds the batches done before.  Set *flag from any thread or a
 * signal handler; it must outlive the ensemble's steps.  Processes of an
 * MPI run ignore it (use ent_ensemble_stop there). */
ENT_API void ent_ensemble_set_cancel(ent_ensemble *e, const volatile int *flag);
/* Members done and asked for (base rows with sobol). */
ENT_API unsigned long ent_ensemble_done(const ent_ensemble *e);
ENT_API unsigned long ent_ensemble_total(const ent_ensemble *e);
/* Write the statistics (rank 0): text summary, JSON (`runs`, `seed`,
 * `series`, `issues`, `sensitivity`, ...) or tidy CSV.  ENT_EIO if writing
 * failed. */
ENT_API ent_status ent_ensemble_write(const ent_ensemble *e, ent_format f,
                                      FILE *fp);
/* Two forecasts side by side: headline outputs and every series, with the
 * differences larger than their Monte Carlo noise marked. */
ENT_API ent_status ent_ensemble_compare_write(const ent_ensemble *a,
                                              const ent_ensemble *b,
                                              ent_format f, FILE *fp);
ENT_API void ent_ensemble_destroy(ent_ensemble *e);
/* Number of uncertain numbers of a model. */
ENT_API size_t ent_model_uncertain_count(const ent_model *m);

/* MPI (Open MPI).  Available only in builds with MPI. */
ENT_API int ent_ensemble_mpi_available(void);
/* 1 if the environment says this process was started by mpirun or srun. */
ENT_API int ent_ensemble_mpi_launched(void);
/* MPI_Init and a private communicator; ENT_ENOTFOUND without MPI. */
ENT_API ent_status ent_ensemble_mpi_init(int *argc, char ***argv,
                                         ent_mpi **out);
ENT_API int ent_ensemble_mpi_rank(const ent_mpi *p); /* 0 for NULL */
ENT_API int ent_ensemble_mpi_size(const ent_mpi *p); /* 1 for NULL */
/* MPI_Finalize (or MPI_Abort when `failed`); NULL: no-op. */
ENT_API void ent_ensemble_mpi_finalize(ent_mpi *p, int failed);

/* ---- back-test (model against observed history; docs/backtest.md) ---- */
typedef struct ent_backtest_opts {
  unsigned long runs;      /* members of the bands' ensemble; 0: no bands (0) */
  unsigned long long seed; /* master seed (1) */
  int threads;             /* (1) */
  int ex_ante;             /* 1: the ex-ante run beside the realised (1) */
} ent_backtest_opts;

ENT_API void ent_backtest_opts_init(ent_backtest_opts *o);
/* Back-test scenario m: its run with realised inputs and its ex-ante run
 * (only what was known in the base year) against the observed history it
 * carries, beside persistence, a random walk with drift and the
 * log-linear trend (MAPE and bias), and with runs > 0 the model's 80% and
 * 90% bands and their coverage.  Text or JSON, written only when complete.
 * ENT_EINVAL (message in d) when m cannot be back-tested. */
ENT_API ent_status ent_backtest_write(const ent_model *m,
                                      const ent_backtest_opts *o,
                                      ent_format f, FILE *fp, ent_diag *d);

/* ---- score (forecasts scored on resolved questions; docs/score.md) ---- */
/* A ledger (CSV: id, as_of, question, variable, entity, year, op,
 * threshold, threshold2, outcome, source) of resolved questions, each
 * forecast by an ensemble of its as_of scenario run ex ante, and scored
 * (Brier, log) with the baselines uniform, persistence and starting_mean. */
typedef struct ent_scorecard ent_scorecard;

typedef struct ent_score_opts {
  unsigned long runs;      /* members per as_of scenario (1000) */
  unsigned long long seed; /* master seed (1) */
  int threads;             /* (1) */
  int fit_until;           /* questions resolving by this year are the ones
                              free parameters were fitted on (2019) */
  int ex_ante;             /* 1: run the scenarios ex ante (1) */
  const volatile int *cancel; /* nonzero: stop between members and return
                                 ENT_ECANCELED (ent_ensemble_set_cancel);
                                 NULL: none (NULL) */
} ent_score_opts;

ENT_API void ent_score_opts_init(ent_score_opts *o);
/* Read the ledger, run one forecast per as_of scenario and score every
 * question.  Problems with the ledger or a question (unknown scenario,
 * variable, entity, year off the axis) go to `d` as file:line:col and
 * return ENT_EINPUT before any forecast runs. */
ENT_API ent_status ent_scorecard_create(const char *ledger_path,
                                        const ent_score_opts *o,
                                        ent_scorecard **out, ent_diag *d);
/* Text (the questions and the score table), JSON (questions, scores,
 * fitted, later, reliability) or CSV (the questions). */
ENT_API ent_status ent_scorecard_write(const ent_scorecard *s, ent_format f,
                                       FILE *fp);
ENT_API void ent_scorecard_destroy(ent_scorecard *s);
/* The report of the scores (docs/report.md): the summary table, the
 * reliability diagram (calibration.svg, calibration.png) and the table of
 * the questions in one self-contained report.html.  `name` is shown as the
 * result's name (NULL: the ledger's).  ENT_ENOMEM, ENT_EINTERNAL (cairo
 * failed); *out is NULL on failure.  (ent_report: see "report" below.) */
typedef struct ent_report ent_report;
ENT_API ent_status ent_scorecard_report(const ent_scorecard *s,
                                        const char *name, ent_report **out);

/* ---- store (SQLite run store; docs/store.md) ---- */
/* Runs and forecasts kept in an SQLite database: scenario text and hash,
 * options, seed, version, time and every output.  A file that is not an
 * entente store (another application's database, a corrupt file, anything
 * else) is refused with ENT_EINPUT and never written to. */
typedef struct ent_store ent_store;

/* Open (create: make it if missing).  Problems go to `d` as path:1:1. */
ENT_API ent_status ent_store_open(const char *path, int create,
                                  ent_store **out, ent_diag *d);
ENT_API void ent_store_close(ent_store *s);
/* Keep a single run (`entente run --store`); its id in *id. */
ENT_API ent_status ent_store_add_run(ent_store *s, const ent_run *r,
                                     const ent_run_opts *o, long long *id,
                                     ent_diag *d);
/* Start keeping a forecast; then after every ent_ensemble_step one
 * transaction with the members of that step, and at the end the
 * statistics.  keep_members: keep every member's outputs (else only its
 * inputs and headline outputs remain once the forecast is complete). */
ENT_API ent_status ent_store_begin_forecast(ent_store *s,
                                            const ent_ensemble *e,
                                            long long *id, ent_diag *d);
ENT_API ent_status ent_store_save_batch(ent_store *s, long long id,
                                        const ent_ensemble *e, ent_diag *d);
ENT_API ent_status ent_store_finish_forecast(ent_store *s, long long id,
                                             const ent_ensemble *e,
                                             int keep_members, ent_diag *d);
/* Continue stored forecast `id` (0: the latest unfinished one): reload its
 * scenario and options, feed the stored members and return an ensemble
 * that continues where it stopped (*model owns the model; destroy it after
 * the ensemble).  With MPI every rank calls this; s is used on rank 0
 * only (NULL elsewhere).  threads and mpi come from `o`. */
ENT_API ent_status ent_store_resume(ent_store *s, long long id,
                                    const ent_ensemble_opts *o,
                                    ent_ensemble **out, ent_model **model,
                                    long long *id_out, ent_diag *d);
/* After a failure while computing stored forecast `id`: mark it
 * interrupted (resumable) and release this process's claim on it;
 * ENT_ENOTFOUND (and nothing changed) if this process does not hold it. */
ENT_API ent_status ent_store_abandon(ent_store *s, long long id, ent_diag *d);
/* The scenario of stored run `id` (0: the latest run or forecast with an
 * output, as `report --latest` takes it), loaded from the stored text and
 * the stored texts it extends: no file is read but the store. */
ENT_API ent_status ent_store_load_scenario(ent_store *s, long long id,
                                           ent_model **m, ent_diag *d);
/* List the stored runs (text or JSON). */
ENT_API ent_status ent_store_list(ent_store *s, ent_format f, FILE *fp);
/* Print the stored output (JSON) of run `id`. */
ENT_API ent_status ent_store_show(ent_store *s, long long id, FILE *fp,
                                  ent_diag *d);

/* ---- report (charts and the HTML report; docs/report.md) ---- */

/* Every input of a model with its rationale (`why`): actors, issue
 * positions, blocs, shocks, channels, links, uncertain inputs and the
 * observed history.  JSON (names in src/output/assumptions.h) or text;
 * ENT_EINVAL for CSV, ENT_EIO if writing failed. */
ENT_API ent_status ent_model_write_assumptions(const ent_model *m,
                                               ent_format f, FILE *fp);

/* A rendered report: the charts (SVG and PNG) and one self-contained
 * report.html, as named files in memory.  Immutable. */
typedef struct ent_report ent_report;

/* Render the report of a result document: the JSON printed by `entente
 * forecast --format json` (bands, distributions, sensitivity), by
 * `entente run --format json` (one run: the bands collapse to the line) or
 * by `entente score --format json` (the score report, as
 * ent_scorecard_report).
 * `name` is used in messages.  m (may be NULL) is the scenario the result
 * came from: its assumptions and observed history go into the report; its
 * id must match the document's.  backtest (may be NULL) is a run of a
 * scenario with history after its base year, shown as the back-test.
 * Problems with the document go to `d` as name:line:col (ENT_EINPUT);
 * ENT_ENOMEM, ENT_EINTERNAL (cairo failed).  *out is NULL on failure. */
ENT_API ent_status ent_report_create(const char *name, const char *json,
                                     size_t len, const ent_model *m,
                                     const ent_run *backtest,
                                     ent_report **out, ent_diag *d);
/* The same for run `id` of a run store (0: the latest run or forecast
 * with results); the time the store recorded is shown.  ENT_EINPUT (in d)
 * when there is no such run or it has no output yet. */
ENT_API ent_status ent_report_create_stored(ent_store *s, long long id,
                                            const ent_model *m,
                                            const ent_run *backtest,
                                            ent_report **out, ent_diag *d);
ENT_API void ent_report_destroy(ent_report *r);
/* Files of the report in a fixed order: the charts (NAME.svg, NAME.png),
 * then report.html.  Name and bytes live as long as the report; NULL when
 * out of range. */
ENT_API size_t ent_report_file_count(const ent_report *r);
ENT_API const char *ent_report_file_name(const ent_report *r, size_t i);
ENT_API const unsigned char *ent_report_file_data(const ent_report *r,
                                                  size_t i, size_t *len);

/* ---- output in memory (for bindings that cannot pass a FILE *) ---- */
/* The same bytes as the matching *_write function, in a buffer allocated
 * by the library: *out is NUL-terminated, *len its length without the NUL;
 * free it with ent_buffer_free.  On failure *out is NULL, *len 0 and the
 * status that the *_write function returned (or ENT_ENOMEM). */
ENT_API ent_status ent_run_write_mem(const ent_run *r, ent_format f,
                                     char **out, size_t *len);
ENT_API ent_status ent_ensemble_write_mem(const ent_ensemble *e, ent_format f,
                                          char **out, size_t *len);
ENT_API ent_status ent_ensemble_compare_write_mem(const ent_ensemble *a,
                                                  const ent_ensemble *b,
                                                  ent_format f, char **out,
                                                  size_t *len);
ENT_API ent_status ent_scorecard_write_mem(const ent_scorecard *s,
                                           ent_format f, char **out,
                                           size_t *len);
ENT_API ent_status ent_model_write_summary_mem(const ent_model *m, char **out,
                                               size_t *len);
/* `file:line:col: error: message` lines (with source line and caret where
 * known), as ent_diag_print prints them. */
ENT_API ent_status ent_diag_print_mem(const ent_diag *d, char **out,
                                      size_t *len);
ENT_API void ent_buffer_free(char *p);

#ifdef __cplusplus
}
#endif
#endif /* ENTENTE_H */
