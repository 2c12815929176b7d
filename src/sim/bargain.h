/*
 * bargain.h -- the bargaining models behind one small interface, a table
 * of back-ends (as Redis's ae.c sits on ae_epoll.c / ae_kqueue.c, or GSL's
 * gsl_rng on its rng types).  The simulation knows the table, not the
 * models: for each issue it allocates the workspaces and per-model results
 * of the models the issue uses once, at ent_sim_start, runs them on each
 * year's inputs and reads the outcome through the table.
 *
 * A back-end (bargain_<name>.c) provides
 *   work_alloc / work_free / work_size  a workspace for one issue, sized
 *                        from the issue (stakes, dimensions, options) and
 *                        allocated once; running allocates nothing but the
 *                        model's own history where it keeps one;
 *   result_alloc / result_free  the model's part of the issue run
 *                        (ent_issue_run.part[id]), owned by the run;
 *   result_reset         a part (and the workspace it ran in) put back as
 *                        result_alloc and a first run leave them, its
 *                        memory kept (a sim restarted, ent_sim_restart);
 *   run                  one bargaining on this year's inputs, the results
 *                        into the part (replacing last year's);
 *   outcome              the read-out: forecast and weighted mean on a
 *                        dimension, or none (the model did not run).
 * Adding a model: its id below, its part's type below, one row in the
 * table (bargain.c) and one file bargain_<name>.c.
 *
 * Invariants: run returns ENT_OK or an error that fails the run
 * (ENT_ENOMEM, ...); a model that refuses an issue's inputs records why in
 * its part and returns ENT_OK.  Every value in a part is finite.
 */
#ifndef ENT_BARGAIN_H
#define ENT_BARGAIN_H

#include "model/model.h"
#include "strategic/eum.h"
#include "strategic/smp_opts.h"

/* Row of a back-end in the table. */
typedef enum ent_bargain_id {
  ENT_BARGAIN_EUM = 0, /* expected-utility model (strategic/eum.h) */
  ENT_BARGAIN_SMP,     /* KTAB's Spatial Model of Politics (strategic/smp.h) */
  ENT_BARGAIN_COUNT
} ent_bargain_id;

/* This year's inputs of one issue, per stake in stake order; positions
 * and ideals are [n_stakes * n_dims] (stake-major) on the issue's scale. */
typedef struct ent_bargain_in {
  const ent_issue *issue;
  const char *source;      /* scenario file, for messages */
  const double *pos;       /* start positions when `restart` */
  const double *ideal;     /* this year's ideals (docs/dynamics.md) */
  const unsigned char *forced; /* [n_stakes] 1: the actor starts this year
                                  at its ideal (a position shock) */
  double inertia;          /* share of the way back to the ideal, [0, 1];
                              0 without a time axis */
  int rounds;              /* rounds (turns) this year; 0: the model's own
                              stopping rule (a run without a time axis) */
  int restart;             /* start from `pos` and forget the carried state
                              (the first year; every call without a time
                              axis) */
  const double *cap;       /* [n_stakes] this year's capabilities, >= 0 */
  const double *sal;       /* [n_stakes] this year's saliences, [0, 1] */
  const ent_eum_opts *eum; /* effective EUM options (issue + run options) */
  const ent_smp_opts *smp; /* SMP options (the issue's) */
  int last;                /* the run's last bargaining */
  int robustness;          /* run robustness variants */
  int reference;           /* the models' reference (previous) kernels,
                              for bench/ (ent_run_opts.reference) */
  int threads;             /* threads of one round (ent_run_opts.threads) */
} ent_bargain_in;

/* Where a model's bargaining stands after a year, carried to the next
 * (docs/dynamics.md), and whether its forecast has settled.  Part of each
 * model's result. */
#define ENT_TRACK_RING 32
typedef struct ent_track {
  size_t nv;            /* values per state: n_stakes * n_dims */
  double *end;          /* [nv] positions at the end of the last year */
  int has_end;
  double ring[ENT_TRACK_RING]; /* the last read-outs (EUM: round medians;
                                  SMP: yearly forecasts), oldest first */
  int ring_n;
  /* read-out of the last year */
  double raw;           /* the forecast of the last state */
  int unsettled;        /* the read-out oscillates over the window */
  int period;           /* a cycle of this period was found (0: none) */
  double lo, hi;        /* range of the read-out over the window */
  int window;           /* read-outs looked at */
} ent_track;

/* Start positions of a year (into x[nv]): where the actors stood -- `pos`
 * on a restart (the scenario's positions), else the carried end -- moved
 * `inertia` of the way to the ideal (all the way for a forced stake). */
ENT_LOCAL void ent_track_start(const ent_track *t, const ent_bargain_in *in,
                               size_t n_dims, double *x);
/* Append read-outs to the ring. */
ENT_LOCAL void ent_track_push(ent_track *t, const double *v, size_t n);
/* Settle the forecast from the ring's last `window` read-outs: unsettled
 * when they span more than `tol` and change direction at least twice;
 * then the forecast is the mean over one period of a cycle (values
 * repeating within tol) or over the window.  Sets the read-out fields and
 * returns the forecast (raw when settled). */
ENT_LOCAL double ent_track_settle(ent_track *t, double raw, int window,
                                  double tol);
ENT_LOCAL ent_status ent_track_init(ent_track *t, size_t nv);
/* t as ent_track_init leaves it, its end array kept (zeroed). */
ENT_LOCAL void ent_track_reset(ent_track *t);
ENT_LOCAL void ent_track_free(ent_track *t);

typedef struct ent_bargainer {
  const char *name; /* "eum", "smp" */
  /* NULL when out of memory. */
  void *(*work_alloc)(const ent_issue *is, const char *source);
  void (*work_free)(void *work);
  /* Bytes the workspace holds. */
  size_t (*work_size)(const void *work);
  /* Zeroed part of an issue run for `is`: the model has not run.  NULL
   * when out of memory. */
  void *(*result_alloc)(const ent_issue *is);
  void (*result_free)(void *part);
  /* part as result_alloc gives it, and work ready for a run as work_alloc
   * gives it (what the part held that work can fill again goes back to
   * work): a first run after it computes what a fresh one would. */
  void (*result_reset)(void *part, void *work);
  ent_status (*run)(void *work, const ent_bargain_in *in, void *part,
                    ent_diag *d);
  /* Forecast and weighted mean on dimension q of the last run: 0, or -1
   * when the model has none (not run, refused, no such dimension). */
  int (*outcome)(const void *part, size_t q, double *forecast, double *mean);
} ent_bargainer;

/* The back-end of row `id` (id < ENT_BARGAIN_COUNT). */
ENT_LOCAL const ent_bargainer *ent_bargain_get(ent_bargain_id id);

/* Which back-end decides an issue run as `model`, and which one runs
 * beside it in the last year (-1: none; `beside_on` 0 turns it off). */
ENT_LOCAL void ent_bargain_pick(ent_issue_model model, int beside_on,
                                int *decider, int *beside);

/* ------------------------------------------------------------ parts */

/* The expected-utility part of an issue run (bargain_eum.c). */
typedef struct ent_issue_eum {
  ent_eum_hist *hist;   /* last year's bargaining (owned); actors = stakes;
                           NULL until the model ran */
  ent_track track;      /* carried state and settling of the forecast */
  double forecast;      /* the last year's forecast (settled read-out) */
  double least_move_median, reflected_median; /* robustness read-outs */
  int has_robustness;
  int robust_unsettled; /* a robustness variant did not settle */
  ent_track lm, rf;     /* the robustness variants' own trajectories */
} ent_issue_eum;

/* The KTAB SMP part of an issue run (bargain_smp.c); positions on the
 * issue's scale. */
typedef struct ent_issue_smp {
  size_t n, m;      /* stakes, dimensions */
  int ran;          /* the last run gave the values below */
  const char *note; /* why it did not run (static), or NULL */
  double *likely;   /* [m] position of the actor with the highest winning
                       probability, final state */
  double *mean;     /* [m] capability x salience weighted mean of the final
                       positions */
  double *final;    /* [n * m] final positions */
  double *win;      /* [n] final winning probabilities */
  int turns, converged;
  ent_track track;  /* carried state and settling of the forecast */
  double forecast;  /* the last year's forecast (settled read-out) */
} ent_issue_smp;

/* The carried state of a model's part (NULL for a NULL part). */
ENT_LOCAL const ent_track *ent_bargain_track(const void *part,
                                             int bargain_id);

/* The rows (bargain_eum.c, bargain_smp.c). */
ENT_LOCAL extern const ent_bargainer ent_bargain_eum;
ENT_LOCAL extern const ent_bargainer ent_bargain_smp;

#endif /* ENT_BARGAIN_H */
