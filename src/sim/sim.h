/*
 * sim.h -- one run of a model.
 *
 * Without a structural part every issue is bargained once.  With one, the
 * run steps year by year from the base year to the end year (docs/
 * scenario.md): economy -> trade equilibrium -> indicators -> links ->
 * bargaining on every issue -> links back -> record.  The step-wise API
 * (ent_sim_start / ent_sim_step / ent_sim_finish, public in entente.h)
 * lets callers draw progress or stop at any year; ent_run_create runs
 * all steps.
 *
 * For each issue the last bargaining also runs two robustness variants
 * that eum.md section 7 recommends for the project's own scenarios: the
 * compromise rule `least_move`, and the axis reflected (x -> lo + hi - x,
 * mapped back).  A forecast that changes under them is an artefact of the
 * selection rule, not a finding; the report says so.
 */
#ifndef ENT_SIM_H
#define ENT_SIM_H

#include "model/model.h"
#include "strategic/eum.h"

struct ent_run_opts {
  char *kv[64]; /* "key=value" overrides, applied in order to every issue */
  size_t n_kv;
  int robustness; /* run the two robustness variants (default 1) */
  int models;     /* -1: as each issue says; else an ent_issue_model for
                     every issue ("models=eum|smp|both|scenario") */
  int smp_beside; /* run SMP beside EUM on `both` issues (default 1; the
                     ensemble turns it off: it aggregates the deciding
                     model only) */
};

typedef struct ent_issue_run {
  const ent_issue *issue;
  ent_eum_opts opts;     /* options used */
  ent_eum_hist *hist;    /* last year's bargaining; actors = stakes */
  double *cap, *sal;     /* last year's inputs, per stake (owned) */
  double least_move_median, reflected_median; /* robustness read-outs */
  int has_robustness;
  ent_issue_model model;    /* model(s) used (issue's, or the run option) */
  double forecast;          /* the issue's outcome: the EUM weighted median,
                               or for smp issues the SMP most likely
                               position on the first dimension */
  double initial_median, initial_mean; /* baselines of the start */
  /* KTAB's SMP (smp and both issues; last year only for both) */
  int has_smp;
  const char *smp_note;     /* why SMP did not run (static), or NULL */
  double *smp_likely;       /* [n_dims] position of the actor with the
                               highest winning probability, final state */
  double *smp_mean;         /* [n_dims] capability x salience weighted mean
                               of the final positions */
  double *smp_final;        /* [n_stakes * n_dims] final positions */
  double *smp_win;          /* [n_stakes] final winning probabilities */
  int smp_turns, smp_converged;
} ent_issue_run;

/* Margin beyond which the two models are said to disagree: 10% of the
 * issue's scale. */
#define ENT_MODEL_DISAGREE 0.10

/* One value of a yearly series (docs/variables.md). */
typedef struct ent_series_point {
  const char *variable;  /* static name, e.g. "trade_flow" */
  const char *unit;      /* static unit text */
  char entity[72];       /* "RUS->CHN", "RUS", a channel or issue id */
  int year;
  double value;          /* finite */
} ent_series_point;

struct ent_run {
  const ent_model *m;
  ent_issue_run *issues;
  size_t n_issues;
  ent_series_point *series;
  size_t n_series, cap_series;
  int first_year, last_year; /* structural runs; 0 otherwise */
};

/* Apply overrides to a copy of issue options; reasons go to d. */
ENT_LOCAL ent_status ent_run_opts_apply(const ent_run_opts *o,
                                        ent_eum_opts *eo, ent_diag *d);

/* Value of series (variable, entity, year), or NAN if the run has none. */
ENT_LOCAL double ent_run_value(const ent_run *r, const char *variable,
                               const char *entity, int year);

#endif /* ENT_SIM_H */
