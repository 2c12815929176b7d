/*
 * eum.h -- the expected-utility group-decision model (BDM as reconstructed
 * by Scholz, Calbert & Smith 2011), profile `scholz2011` by default, with
 * every option of docs/models/eum.md.  One issue, one dimension.
 *
 * Layers:
 *   ent_eum_round  one round from positions x to x_next, optionally tracing
 *                  every intermediate (risk pass, P, a, b, regions, moves);
 *                  allocates nothing (all scratch is in ent_eum_work).
 *   ent_eum_run    rounds until the stopping rule, with the history.
 *
 * Invariants: positions only ever move to points between existing
 * positions, so with the initial range every d_ij is in [0, 1]; no NaN or
 * Inf is produced for finite inputs (degenerate cases of the spec return
 * defined values: R = 0 -> no moves, G = 0 -> P = 0, D_max = D_min -> r = 1).
 */
#ifndef ENT_EUM_H
#define ENT_EUM_H

#include <stdint.h>

#include "base/diag.h"
#include "strategic/eum_opts.h"

/* Profile scholz2011. */
ENT_LOCAL void ent_eum_opts_default(ent_eum_opts *o);
/* Apply a profile by name (scholz2011, mckibben-sanders, paper).
 * Returns 0, or -1 if unknown. */
ENT_LOCAL int ent_eum_opts_profile(ent_eum_opts *o, const char *name);
/* Set one option; value as text.  Returns 0, or -1 with a reason in `why`
 * (a buffer of `size` bytes). */
ENT_LOCAL int ent_eum_opts_set(ent_eum_opts *o, const char *key,
                               const char *value, char *why, size_t size);
/* One option: parse "key", "value" into a setting (0, or -1 with the
 * reason ent_eum_opts_set gives), apply a setting, or write it back as
 * "key=value" with canonical names (parsing that text gives the same
 * setting). */
ENT_LOCAL int ent_eum_setting_parse(const char *key, const char *value,
                                    ent_eum_setting *s, char *why,
                                    size_t size);
ENT_LOCAL void ent_eum_setting_apply(ent_eum_opts *o,
                                     const ent_eum_setting *s);
ENT_LOCAL void ent_eum_setting_describe(const ent_eum_setting *s, char *buf,
                                        size_t size);
/* Write the options as "k=v k=v ..." (canonical names). */
ENT_LOCAL void ent_eum_opts_describe(const ent_eum_opts *o, char *buf,
                                     size_t size);
/* Comma-separated list of every option name, for help texts. */
#define ENT_EUM_OPTION_NAMES                                             \
  "rounds, profile, prob, votes, b_exponent, compromise_select, "       \
  "capitulation, Q, mu, range, risk_norm, stop, cycle, window"

/* Region of the dyad (i, j) from i's view (eum.md section 4 table). */
typedef enum ent_eum_region {
  ENT_REGION_NONE = 0,          /* on an axis or a boundary tie */
  ENT_REGION_SAME_POSITION,     /* x_i == x_j: never classified */
  ENT_REGION_CONFRONT_I_MOVES,  /* a > 0, b > 0, b > a */
  ENT_REGION_CONFRONT_J_MOVES,  /* a > 0, b > 0, a >= b */
  ENT_REGION_COMPROMISE_I_MOVES,/* a < 0 < b, b > |a| */
  ENT_REGION_CAPITULATE_I_MOVES,/* a < 0 < b, |a| > b */
  ENT_REGION_COMPROMISE_J_MOVES,/* b < 0 < a, a > |b| */
  ENT_REGION_CAPITULATE_J_MOVES,/* b < 0 < a, |b| >= a */
  ENT_REGION_STALEMATE,         /* a < 0, b < 0 */
  ENT_REGION_COUNT
} ent_eum_region;

/* Name as in eum-reference (e.g. "compromise_i_moves"). */
ENT_LOCAL const char *ent_eum_region_name(ent_eum_region r);

typedef enum ent_eum_move_type {
  ENT_MOVE_CONFLICT = 0, /* i concedes a confrontation: moves to x_j */
  ENT_MOVE_COMPROMISE,   /* i moves part of the way */
  ENT_MOVE_CAPITULATION  /* i gives in: moves to x_j */
} ent_eum_move_type;

ENT_LOCAL const char *ent_eum_move_name(ent_eum_move_type t);

typedef struct ent_eum_move {
  int round;       /* 1-based round in which the move happened */
  int mover, toward;
  ent_eum_move_type type;
  double a, b;     /* the mover's a_ij and b_ij */
  double from, to; /* positions */
} ent_eum_move;

/* Optional trace of one round; any pointer may be NULL (not filled).
 * Matrices are n*n, row i = perceiver/challenger i, column j. */
typedef struct ent_eum_trace {
  double *r, *D, *R;     /* [n] risk exponent, security, risk index */
  double *P;             /* [n*n] decision-pass P(i,j) */
  double *a, *b, *c;     /* [n*n] a_ij, b_ij, c_ij = EU(j->i; r_j) */
  uint8_t *region;       /* [n*n] ent_eum_region */
  ent_eum_move *moves;   /* capacity n; n_moves set */
  int n_moves;
  double G_risk, G_decision;
} ent_eum_trace;

/* The issue: n actors with capability (>= 0) and salience (fraction in
 * [0, 1]).  Arrays of length n, not copied. */
typedef struct ent_eum_problem {
  size_t n;
  const double *cap;
  const double *sal;
} ent_eum_problem;

typedef struct ent_eum_work ent_eum_work;

/* Scratch for one round with up to n actors: a few n*n matrices. */
ENT_LOCAL ent_eum_work *ent_eum_work_alloc(size_t n);
ENT_LOCAL void ent_eum_work_free(ent_eum_work *w);
/* Bytes the workspace holds (0 for NULL). */
ENT_LOCAL size_t ent_eum_work_size(const ent_eum_work *w);
/* on = 1: rounds evaluate every expected utility term by term as the
 * specification writes it (6 pow calls per ordered pair), the path the
 * fast one (per-actor pow hoisted, the terms a_ij and b_ij share computed
 * once) is checked against: both give identical bits (tests/unit/test_eum.c)
 * and bench/bench_eum.c times them side by side.  Default 0. */
ENT_LOCAL void ent_eum_work_set_reference(ent_eum_work *w, int on);
/* Threads a round may use for its O(n^3) sums and its decisions when it
 * has at least 96 actors (1 to 64; default 1).  The results are the same
 * bits for any number (tests/unit/test_eum.c). */
ENT_LOCAL void ent_eum_work_set_threads(ent_eum_work *w, int threads);

/* One round from x (length n) to x_next (may not alias x).  `range` is the
 * R to use (see ent_eum_range); R <= 0 means no moves.  Returns the number
 * of movers (>= 0). */
ENT_LOCAL int ent_eum_round(const ent_eum_problem *pb, const ent_eum_opts *o,
                            double range, const double *x, double *x_next,
                            ent_eum_trace *tr, ent_eum_work *w);

/* Baselines on positions x with weights w = cap * sal. */
ENT_LOCAL double ent_eum_weighted_mean(const ent_eum_problem *pb,
                                       const double *x);
ENT_LOCAL double ent_eum_weighted_median(const ent_eum_problem *pb,
                                         const double *x, ent_eum_work *w);

typedef enum ent_eum_stop_reason {
  ENT_EUM_STOPPED_ROUNDS = 0,
  ENT_EUM_STOPPED_NO_MOVE,
  ENT_EUM_STOPPED_MEDIAN_STABLE,
  ENT_EUM_STOPPED_CYCLE
} ent_eum_stop_reason;

/* History of a run.  Round 0 is the input; round t the positions after t
 * rounds.  Arrays are owned by the history. */
typedef struct ent_eum_hist {
  size_t n;
  int n_rounds;        /* rounds played */
  double range;        /* R of the first round */
  double *x;           /* [(n_rounds+1) * n] positions */
  double *r;           /* [n_rounds * n] risk exponents used in round t */
  double *mean;        /* [n_rounds+1] weighted mean */
  double *median;      /* [n_rounds+1] weighted median */
  ent_eum_move *moves; /* every move, in round then actor order */
  size_t n_moves;
  uint8_t *region;     /* [n_rounds * n * n] region of (i,j) in round t */
  double *last_a, *last_b; /* [n*n] a, b of the last round played */
  ent_eum_stop_reason stopped;
  int cycle_start, cycle_period; /* cycle found: x(start) == x(start+period) */
  /* read-out */
  double median_min, median_max; /* over the last `window` rounds */
  int converged;
  /* capacity of the arrays, for reuse (ent_eum_work_recycle) */
  size_t cap_rounds, cap_moves;
} ent_eum_hist;

/* Run the model from positions x0.  *out is set on ENT_OK. */
ENT_LOCAL ent_status ent_eum_run(const ent_eum_problem *pb,
                                 const ent_eum_opts *o, const double *x0,
                                 ent_eum_hist **out);
/* The same with the caller's workspace (for up to >= pb->n actors), for
 * callers that run again and again; only the history is allocated. */
ENT_LOCAL ent_status ent_eum_run_work(const ent_eum_problem *pb,
                                      const ent_eum_opts *o, const double *x0,
                                      ent_eum_work *w, ent_eum_hist **out);
ENT_LOCAL void ent_eum_hist_free(ent_eum_hist *h);
/* Hand a history the caller no longer needs (or NULL) back to the
 * workspace, which keeps one: the next ent_eum_run_work with as many
 * actors and no more rounds fills it instead of allocating.  The
 * workspace frees it. */
ENT_LOCAL void ent_eum_work_recycle(ent_eum_work *w, ent_eum_hist *h);

/* Region of round t (1..n_rounds) for (i, j). */
static inline ent_eum_region ent_eum_hist_region(const ent_eum_hist *h, int t,
                                                 size_t i, size_t j) {
  return (ent_eum_region)h->region[((size_t)(t - 1) * h->n + i) * h->n + j];
}

#endif /* ENT_EUM_H */
