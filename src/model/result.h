/*
 * result.h -- the in-memory result of a run, a forecast, a comparison of
 * two forecasts, a back-test, or a stored run read back from its JSON
 * document: one tree that every renderer (src/output/) writes out in its
 * format, as cmark renders one document tree to several formats.
 *
 * Who builds it:
 *   a run        ent_run_result (sim/run_result.h)
 *   a back-test  ent_backtest_result (sim/run_result.h)
 *   a forecast   ent_ensemble_result, ent_ensemble_compare_result
 *                (ensemble/ensemble.h)
 *   a document   ent_result_read_json (input/result_json.h)
 * and the renderers read nothing else: a renderer never reaches into a run,
 * an ensemble or an expected-utility history.
 *
 * Parts (a part the kind does not have is empty):
 *   prov        provenance: scenario, version, seed, runs, design, time
 *               axis, when it was made, the run store's record
 *   actors      the scenario's actors and its report pairs
 *   structure   summary of the structural layer (runs): years, blocs, the
 *               main pair the tables lead with
 *   cells       every output value (variable x entity x year) in output
 *               order: a run's value, or an ensemble's statistics
 *   series      the cells grouped by (variable, entity), years ascending
 *   issues      per contested question: scale, the point forecast or the
 *               outcome's statistics, labelled ranges and thresholds,
 *               baselines, pair relations, and for a run each bargaining
 *               model's own result (expected utility: rounds, moves,
 *               convergence, robustness; spatial model: positions)
 *   sens        sensitivity of the headline outputs to the inputs
 *   cmp         a comparison of two forecasts
 *   bt          the back-test table
 *
 * Memory: every part (strings included) lives in the result's arena and is
 * released by ent_result_destroy; nothing points into the model, run or
 * ensemble it was built from.  Strings are NULL where unknown (a document
 * may leave keys out); a renderer decides what to print for NULL.
 *
 * Invariants: values of a run's cells are finite; statistics are NAN only
 * where a cell has no value in any member (n == 0); cells of one
 * (variable, entity) have distinct years; series[].cells index `cells`.
 */
#ifndef ENT_RESULT_H
#define ENT_RESULT_H

#include "base/util.h"
#include "model/names.h"

typedef enum ent_result_kind {
  ENT_RESULT_RUN = 0,  /* one run: a value per cell */
  ENT_RESULT_FORECAST, /* an ensemble: statistics per cell */
  ENT_RESULT_COMPARE,  /* two forecasts side by side */
  ENT_RESULT_BACKTEST, /* a structural run against observed history */
  ENT_RESULT_SCORE     /* forecasts of a ledger scored against outcomes */
} ent_result_kind;

/* Statistics of one output over the members of a forecast. */
typedef struct ent_result_stats {
  size_t n;          /* members with a value */
  double mean, sd;   /* NAN when n == 0 */
  double q[ENT_NQ];  /* quantiles (names.h); NAN when n == 0 */
} ent_result_stats;

/* ------------------------------------------------------------ provenance */

/* An uncertain input of a forecast (docs/scenario.md). */
typedef struct ent_result_input {
  const char *name;     /* e.g. "issues.pipeline.positions.CHN.position" */
  const char *dist;     /* kind: "normal", "pert", ... */
  const char *describe; /* "pert(30, 55, 80)" */
  double lo, hi, nominal;
  const char *defined;  /* "file:line:col" of its distribution */
} ent_result_input;

typedef struct ent_result_prov {
  const char *scenario_id, *scenario_title, *scenario_source;
  const char *version;            /* entente's, of the maker */
  int has_seed;
  unsigned long long seed;        /* master seed of a forecast */
  const char *seed_text;          /* the seed as a document gives it, or
                                     NULL (then `seed`) */
  int has_runs;
  unsigned long runs;             /* members asked for */
  /* a forecast; a has_ flag says whether a document gave the key */
  const char *design;             /* "monte-carlo" or "saltelli", or NULL */
  int sobol;                      /* Saltelli's design */
  size_t per_unit;                /* model evaluations per member */
  int has_done, has_complete, has_samples, has_failed;
  unsigned long done;             /* members done */
  int complete;                   /* every member done */
  unsigned long samples, failed;  /* members in the statistics, failed */
  const char *first_failure;      /* message of the first failed member */
  const char *qmethod;            /* quantiles: "exact" or "sketch" */
  int has_sketch;                 /* k, levels, rank_error given */
  size_t qk, qlevels;
  double qrank_error;             /* bound on the rank error, a share */
  ent_result_input *inputs;       /* the uncertain inputs, declared order */
  size_t n_inputs;
  /* time axis of a structural scenario */
  int has_time;
  int start, end;                 /* base year and last year */
  /* when it was made (ISO 8601, as the maker recorded it) */
  const char *created, *started, *finished;
  /* the run store's record of a stored run */
  int has_store;
  long long store_id;
  const char *store_status, *store_kind, *store_started;
} ent_result_prov;

/* ------------------------------------------------------------ the model */

typedef struct ent_result_actor {
  const char *id, *name, *kind;
} ent_result_actor;

/* The structural layer of a run, as the run's tables describe it. */
typedef struct ent_result_structure {
  int present;
  size_t n_blocs, n_shocks, n_channels, n_links;
  double theta;
  const char *main_a, *main_b; /* bloc ids of the pair the tables lead with */
  /* unit of the channels on the route main_a -> main_b by kind (gas, oil,
   * arms); NULL: no channel of that kind on the route */
  const char *main_units[3];
} ent_result_structure;

/* ------------------------------------------------------------ cells */

typedef struct ent_result_cell {
  const char *variable, *entity, *unit; /* unit NULL: not given */
  int year;                             /* 0: no time axis */
  int bands;      /* 1: `st` holds an ensemble's statistics; 0: one value */
  double value;   /* bands 0: the value (st: n 1, mean and quantiles v) */
  ent_result_stats st;
} ent_result_cell;

/* The cells of one (variable, entity), years ascending. */
typedef struct ent_result_series {
  const char *variable, *entity, *unit;
  int bands;
  size_t n;
  int *years;
  size_t *cells; /* [n] indices into result cells */
} ent_result_series;

/* ------------------------------------------------------------ issues */

typedef struct ent_result_anchor {
  double at;
  const char *label;
} ent_result_anchor;

typedef enum ent_result_move_type {
  ENT_RESULT_MOVE_CONFLICT = 0, /* concedes to */
  ENT_RESULT_MOVE_COMPROMISE,   /* compromises with */
  ENT_RESULT_MOVE_CAPITULATION  /* capitulates to */
} ent_result_move_type;

typedef struct ent_result_move {
  int round;          /* 1-based */
  size_t mover, toward; /* indices into the issue's actors */
  ent_result_move_type type;
  const char *type_name; /* the expected-utility model's name of the type */
  double a, b, from, to;
} ent_result_move;

/* The expected-utility model's history on one issue (the last year's). */
typedef struct ent_result_eum {
  size_t n;               /* actors (the issue's) */
  int n_rounds;           /* rounds played */
  double range;           /* R of the first round */
  double *x;              /* [(n_rounds + 1) * n] positions by round */
  double *risk;           /* [n_rounds * n] risk exponents of round t + 1 */
  double *mean, *median;  /* [n_rounds + 1] weighted mean and median */
  ent_result_move *moves; /* in round then actor order */
  size_t n_moves;
  int converged;
  double median_min, median_max; /* over the last `window` rounds */
  int window;
  const char *stopped;    /* "rounds", "no_move", "median_stable", "cycle" */
  int cycle_start, cycle_period; /* cycle_start < 0: no cycle */
} ent_result_eum;

/* KTAB's Spatial Model of Politics on one issue (positions on the
 * issue's scale). */
typedef struct ent_result_smp {
  int ran;
  const char *note;        /* why it did not run (ran 0) */
  size_t n_dims;
  const char **dims;       /* [n_dims] */
  double *likely, *mean;   /* [n_dims] */
  int turns, converged;
  double *final;           /* [n_actors * n_dims] final positions */
  double *win;             /* [n_actors] final winning probabilities */
} ent_result_smp;

/* How actor `from` stands toward `to` on an issue. */
typedef struct ent_result_relation {
  const char *from, *to;     /* actor ids */
  int cls;                   /* a run: the class of the last round
                                (ent_class); a forecast: -1 */
  double share[ENT_CLASSES]; /* a forecast: share of runs per class; a run:
                                1 for its class */
  const char *region;        /* a run: the region of the last round */
  double a, b;               /* a run: a_ij, b_ij of the last round */
} ent_result_relation;

/* A labelled range of an issue's scale (nearest anchor) and the share of
 * runs whose outcome falls in it. */
typedef struct ent_result_range {
  const char *label;
  double at, lo, hi, p;
} ent_result_range;

/* P(the forecast has reached an anchor), in the last year and by year. */
typedef struct ent_result_threshold {
  const char *label;
  double at, p;    /* p NAN: a document did not give it */
  size_t n_years;  /* 0: no time axis */
  int *years;
  double *p_by;    /* [n_years]; NAN: not given */
} ent_result_threshold;

typedef struct ent_result_issue {
  const char *id, *question;      /* question NULL: not given */
  int has_scale;
  double lo, hi;
  ent_result_anchor *anchors;     /* increasing */
  size_t n_anchors;
  /* the actors with a stake, in the issue's order */
  size_t n_actors;
  const char **actors;            /* ids */
  const char **actor_names;       /* names (a run) */
  /* a run */
  const char *model;              /* "eum", "smp" or "both" */
  const char *options;            /* expected-utility options, "k=v ..." */
  double forecast;                /* the point forecast */
  double final_mean;              /* the weighted mean after bargaining */
  const char *label;              /* the forecast in the scale's words */
  ent_result_eum *eum;            /* NULL: the model did not run */
  ent_result_smp *smp;            /* NULL: not asked for */
  int has_models;                 /* both models ran: their comparison */
  double smp_forecast;            /* the spatial model's (settled) forecast */
  double models_margin, models_gap;
  int models_disagree;
  int has_robustness;
  double least_move_median, reflected_median;
  int robust;                     /* both within 5% of the scale, and all
                                     three settled */
  /* a run with a time axis: did the last year's forecast settle?
   * (docs/dynamics.md) */
  int has_settle;
  int unsettled;                  /* the read-outs oscillate */
  int period;                     /* a cycle of this period (0: none) */
  int settle_window;              /* read-outs looked at */
  double settle_lo, settle_hi;    /* their range */
  double raw;                     /* the last state's own forecast */
  int robust_unsettled;           /* a robustness variant did not settle */
  /* a forecast of a `both` issue: the outcome where each model decided
   * (members draw the model; docs/ensemble.md) */
  int has_model_split;
  double model_share[2];          /* share of members: eum, smp */
  ent_result_stats model_outcome[2];
  /* a forecast: the baselines' statistics in the last year */
  int has_base_stats;
  ent_result_stats base_median_st, base_mean_st;
  /* baselines: weighted median and mean of the starting positions */
  int has_base;
  double base_median, base_mean;
  /* the outcome: a forecast's statistics (bands), or a run's forecast */
  int has_outcome, bands;
  ent_result_stats outcome;
  ent_result_range *ranges;
  size_t n_ranges;
  ent_result_threshold *thresholds;
  size_t n_thresholds;
  ent_result_relation *relations; /* ordered pairs: (i, j), i != j, rows */
  size_t n_relations;
} ent_result_issue;

/* What one driver of the strategic layer (a link to actors' stakes, or a
 * shock on an issue) changed in a run: the run's last-year values minus
 * those of the same run without it (docs/dynamics.md, "Drivers"). */
typedef struct ent_result_driver {
  const char *id;
  const char *kind;          /* "link" or "shock" */
  const char *why;           /* its rationale, or NULL */
  double *issue_delta;       /* [n_issues] change of each issue's forecast */
  double alignment_delta;    /* change of the main pair's alignment */
  int has_alignment;
} ent_result_driver;

/* ------------------------------------------------------------ scores */

/* One resolved question of a ledger and the probabilities given to it
 * (docs/score.md). */
typedef struct ent_result_question {
  const char *id, *as_of, *question, *variable, *entity, *op, *source;
  int year;
  double threshold, threshold2;   /* threshold2: `between` only */
  int outcome;                    /* 0 or 1 */
  int fitted;                     /* resolves by the fit cutoff */
  unsigned long members;          /* members with a value */
  double p;                       /* the model's probability */
  double p_uniform, p_persistence;
  int has_start;                  /* an issue question */
  double p_start;                 /* the starting_mean baseline */
} ent_result_question;

/* Brier and log scores of one forecaster on a set of questions. */
typedef struct ent_result_scores {
  size_t n;
  double brier, log;
} ent_result_scores;

/* The scores of one set of questions (all, fitted, later). */
typedef struct ent_result_scoreset {
  const char *name;               /* "all", "fitted", "later" */
  ent_result_scores model, uniform, persistence;
  ent_result_scores model_issues, start; /* issue questions only */
  double skill_uniform, skill_persistence, skill_start; /* NAN: undefined */
} ent_result_scoreset;

typedef struct ent_result_bin {
  double lo, hi;
  size_t n;
  double mean_p, observed;
} ent_result_bin;

typedef struct ent_result_score {
  const char *ledger;             /* file name */
  int fit_until;                  /* questions to this year were the fit */
  int ex_ante;                    /* scenarios run ex ante */
  ent_result_question *questions;
  size_t n_questions;
  ent_result_scoreset sets[3];    /* all, fitted, later */
  ent_result_bin bins[10];        /* reliability of the model, all */
  double clip;                    /* log-score clipping */
} ent_result_score;

/* ------------------------------------------------------------ sensitivity */

typedef struct ent_result_sens_output {
  const char *variable, *entity;
  int has_year, year;
  int has_r2;
  double r2;           /* SRC: R^2 of the fit; NAN: the output is constant */
  size_t n;            /* inputs */
  const char **inputs; /* [n] names, declared order */
  double *index;       /* [n] SRC, or Sobol' first-order index */
  double *total;       /* [n] Sobol' total index (NULL for SRC) */
  size_t *order;       /* [n] inputs by decreasing |key| (ST or SRC) */
} ent_result_sens_output;

typedef struct ent_result_sens {
  int present;
  const char *method;  /* "src" or "sobol" */
  const char *about;   /* what the indices are */
  const char *note;    /* why there are no outputs, or NULL */
  ent_result_sens_output *outputs;
  size_t n_outputs;
} ent_result_sens;

/* ------------------------------------------------------------ comparison */

typedef struct ent_result_diff {
  double diff, se; /* mean_b - mean_a and its standard error (Welch) */
  int marked;      /* |diff| > 2 se */
} ent_result_diff;

typedef struct ent_result_cmp_headline {
  const char *variable, *entity;
  int has_year, year;
  ent_result_stats a, b;
  ent_result_diff d;
} ent_result_cmp_headline;

typedef struct ent_result_cmp_cell {
  const char *variable, *entity;
  int year;
  double mean_a, mean_b;
  ent_result_diff d;
} ent_result_cmp_cell;

typedef struct ent_result_cmp_label {
  const char *label;
  double pa, pb;   /* share of runs nearest the label in A and in B */
  int marked;
} ent_result_cmp_label;

typedef struct ent_result_cmp_issue {
  const char *id;
  ent_result_cmp_label *labels;
  size_t n_labels;
} ent_result_cmp_issue;

typedef struct ent_result_cmp {
  const char *a_id, *a_source, *b_id, *b_source;
  unsigned long a_samples, b_samples;
  ent_result_cmp_headline *heads;
  size_t n_heads;
  ent_result_cmp_cell *cells;   /* every cell present in both */
  size_t n_cells, n_marked;
  ent_result_cmp_issue *issues; /* issues of A found in B */
  size_t n_issues;
} ent_result_cmp;

/* ------------------------------------------------------------ back-test */

/* One compared series (docs/backtest.md).  Baselines: persistence (the
 * last observed value at or before the base year, the scenario's
 * base-year data counting as the base year's observation), a random walk
 * with drift (from the persistence value, drift = mean log growth per
 * year over the observations up to the base year) and the log-linear
 * trend fitted to the history up to the base year.  bias = mean over the
 * years of forecast / actual (1: unbiased). */
typedef struct ent_result_bt_series {
  const char *variable, *entity, *unit, *source;
  size_t n;                 /* compared years */
  int *years;
  double *actual, *model, *persist, *trend; /* trend NAN without a trend */
  int has_trend;
  double mape_model, mape_persist, mape_trend; /* % */
  const char *best;         /* "model", "persistence", "drift", "trend",
                               or "tie" when the lowest MAPE is shared */
  const char *tied;         /* "model, persistence" when best is "tie" */
  /* where persistence starts: the year, and "history" or "base-year data" */
  int persist_year;
  const char *persist_from;
  int trend_from, trend_to; /* years of the log-linear fit */
  double *drift;            /* random walk with drift; NAN without */
  int has_drift;
  double drift_rate;        /* mean log growth per year */
  int drift_from, drift_to; /* years it is estimated on */
  double mape_drift;        /* %; NAN without */
  double bias_model, bias_persist, bias_drift, bias_trend;
  /* bands of an ensemble of the uncertain inputs */
  int has_bands;
  unsigned long members;    /* members with a value */
  double *q05, *q10, *q50, *q90, *q95;
  size_t in80, in90;        /* years whose actual lies in the 80% (q10-q90)
                               and 90% (q05-q95) bands, bounds included */
} ent_result_bt_series;

/* A back-test: the tables of a run with realised inputs and, beside
 * them, of the ex-ante run (only what was known in the base year). */
typedef struct ent_result_bt_mode {
  ent_result_bt_series *bt;
  size_t n_bt, bt_head;
} ent_result_bt_mode;

/* ------------------------------------------------------------ the tree */

typedef struct ent_result {
  ent_arena arena;
  ent_result_kind kind;
  ent_result_prov prov;
  ent_result_actor *actors;
  size_t n_actors;
  size_t (*pairs)[2];       /* report pairs: indices into actors */
  size_t n_pairs;
  ent_result_structure st;
  ent_result_cell *cells;
  size_t n_cells;
  ent_result_series *series; /* built by ent_result_index */
  size_t n_series;
  ent_result_issue *issues;
  size_t n_issues;
  double disagree_share;    /* a run: the two bargaining models disagree
                               beyond this share of an issue's scale */
  /* a run with a time axis: its dynamics and what drove it */
  int has_dynamics;
  int rounds_per_year;
  double inertia;
  const char *align_pair;   /* the main pair's alignment entity ("A-B") */
  ent_result_driver *drivers;
  size_t n_drivers;
  ent_result_sens sens;
  ent_result_cmp *cmp;
  ent_result_bt_series *bt;
  size_t n_bt, bt_head;     /* bt_head: the headline series */
  /* a back-test's ex-ante tables (bt_ex.bt NULL: not run), the inputs
   * that were realised values known only later (NULL-terminated), and
   * the ensemble of the bands (bt_runs 0: no bands) */
  ent_result_bt_mode bt_ex;
  const char **bt_realised;
  size_t n_bt_realised;
  unsigned long bt_runs;
  unsigned long long bt_seed;
  ent_result_score *score;  /* a ledger's scores */
  /* lookup of (variable, entity, year): open addressing, cell + 1 */
  size_t *hash;
  size_t hash_mask;
} ent_result;

/* An empty result of `kind`; NULL when out of memory. */
ENT_LOCAL ent_result *ent_result_create(ent_result_kind kind);
ENT_LOCAL void ent_result_destroy(ent_result *r);

/* Scenario id, title and source, the actors and the report pairs of m
 * (model.h), copied into r. */
ENT_LOCAL void ent_result_model(ent_result *r, const ent_model *m);

/* Arena helpers: NULL (and the arena marked failed) when out of memory. */
ENT_LOCAL void *ent_result_alloc(ent_result *r, size_t count, size_t size);
/* Copy of s in the arena; NULL for NULL. */
ENT_LOCAL const char *ent_result_str(ent_result *r, const char *s);
/* 1 when an allocation of the arena failed. */
ENT_LOCAL int ent_result_failed(const ent_result *r);

/* Build `series` and the lookup from the cells.  A (variable, entity,
 * year) that repeats an earlier cell is found as the earlier one; *dup
 * (may be NULL) is the first such cell, or (size_t)-1.  ENT_ENOMEM. */
ENT_LOCAL ent_status ent_result_index(ent_result *r, size_t *dup);
/* The cell of (variable, entity, year), or NULL (after ent_result_index). */
ENT_LOCAL const ent_result_cell *ent_result_find(const ent_result *r,
                                                 const char *variable,
                                                 const char *entity, int year);
/* The value of a run's cell (a forecast's: the median), or NAN. */
ENT_LOCAL double ent_result_value(const ent_result *r, const char *variable,
                                  const char *entity, int year);
/* The issue `id`, or NULL. */
ENT_LOCAL const ent_result_issue *ent_result_find_issue(const ent_result *r,
                                                        const char *id);
/* Index of actor `id` among an issue's actors, or -1. */
ENT_LOCAL long ent_result_issue_actor(const ent_result_issue *is,
                                      const char *id);
/* The relation of (from, to) on an issue, or NULL. */
ENT_LOCAL const ent_result_relation *ent_result_relation_of(
    const ent_result_issue *is, const char *from, const char *to);

#endif /* ENT_RESULT_H */
