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
 * Issues bargain through the table of bargaining models (bargain.h).  For
 * each issue the last bargaining also runs two robustness variants that
 * eum.md section 7 recommends for the project's own scenarios (the
 * compromise rule `least_move`, and the axis reflected; bargain_eum.c).  A
 * forecast that changes under them is an artefact of the selection rule,
 * not a finding; the report says so.
 */
#ifndef ENT_SIM_H
#define ENT_SIM_H

#include <math.h>

#include "model/model.h"
#include "sim/bargain.h"

/* At most this many model options in one ent_run_opts. */
#define ENT_RUN_OPTS_MAX 64

/* Options on top of the scenario, typed: ent_run_opts_set parses each
 * "key=value" once; a run applies the settings as they are. */
struct ent_run_opts {
  ent_eum_setting eum[ENT_RUN_OPTS_MAX]; /* EUM options in the order given,
                                            applied to every issue */
  size_t n_eum;
  int robustness; /* run the two robustness variants (default 1) */
  int models;     /* -1: as each issue says; else an ent_issue_model for
                     every issue ("models=eum|smp|both|scenario") */
  int smp_beside; /* run SMP beside EUM on `both` issues (default 1; the
                     ensemble turns it off: it aggregates the deciding
                     model only) */
  int ex_ante;    /* 1: only what was known in the base year -- growth as
                     forecast then (growth_ex_ante) and no shock or
                     channel announced later ("ex_ante=on"; docs/
                     backtest.md) */
  int both_as;    /* -1: `both` issues as the scenario says; else the
                     ent_issue_model that decides them alone (an ensemble
                     member's drawn model, docs/ensemble.md) */
  int reference;  /* 1: the previous kernels -- cold fixed-point trade and
                     vulnerability solves, the specification-order EUM
                     round -- for bench/ to time side by side (default 0;
                     not an option of the command line) */
  int threads;    /* threads of one bargaining round (default 1;
                     ent_run_opts_set_threads, `entente eum --threads`) */
  int drivers;    /* attribute the last year's outcome to the strategic
                     drivers by re-running without each (default 1; the
                     ensemble turns it off; "drivers=off") */
};

/* One issue of a run: a common part, whatever model decided, and a part
 * per bargaining model the issue used (bargain.h), indexed by
 * ent_bargain_id; read them with ent_issue_run_eum / ent_issue_run_smp. */
typedef struct ent_issue_run {
  const ent_issue *issue;
  ent_issue_model model;    /* model(s) used (issue's, or the run option) */
  ent_eum_opts opts;        /* effective EUM options (issue + run options) */
  double forecast;          /* the issue's outcome: the deciding model's
                               forecast on the first dimension (EUM
                               weighted median, SMP most likely position),
                               else the starting median */
  double initial_median, initial_mean; /* baselines of the start */
  double *cap, *sal;        /* [n_stakes] the last bargained year's inputs
                               (owned) */
  void *part[ENT_BARGAIN_COUNT]; /* per model; NULL: not used */
} ent_issue_run;

/* The expected-utility part, or NULL (the issue does not use the model);
 * its history is NULL until the model ran. */
static inline const ent_issue_eum *ent_issue_run_eum(const ent_issue_run *ir) {
  return (const ent_issue_eum *)ir->part[ENT_BARGAIN_EUM];
}
/* The history of the expected-utility model, or NULL. */
static inline const ent_eum_hist *ent_issue_run_hist(const ent_issue_run *ir) {
  const ent_issue_eum *e = ent_issue_run_eum(ir);
  return e ? e->hist : NULL;
}
/* The KTAB SMP part, or NULL (the issue does not run the model). */
static inline const ent_issue_smp *ent_issue_run_smp(const ent_issue_run *ir) {
  return (const ent_issue_smp *)ir->part[ENT_BARGAIN_SMP];
}
/* The SMP part if the model gave results, else NULL. */
static inline const ent_issue_smp *ent_issue_run_smp_ran(
    const ent_issue_run *ir) {
  const ent_issue_smp *s = ent_issue_run_smp(ir);
  return s && s->ran ? s : NULL;
}

/* Margin beyond which the two models are said to disagree: 10% of the
 * issue's scale. */
#define ENT_MODEL_DISAGREE 0.10

/* Bytes of an entity name as recorded, its terminating zero included. */
#define ENT_RUN_ENTITY 72

/* One value of a yearly series (docs/variables.md). */
typedef struct ent_series_point {
  const char *variable;  /* static name, e.g. "trade_flow" */
  const char *unit;      /* static unit text */
  char entity[ENT_RUN_ENTITY]; /* "RUS->CHN", "RUS", a channel or issue id */
  int year;
  double value;          /* finite */
} ent_series_point;

/* What one strategic driver changed (ent_result_driver). */
typedef struct ent_run_driver {
  const char *id, *kind, *why; /* static or the model's */
  double *issue_delta;         /* [n_issues] */
  double alignment_delta;
  int has_alignment;
} ent_run_driver;

/* Where an ensemble member's points go instead of the run's series
 * (ent_sim_set_sink): variable (static name), entity (an array of
 * ENT_RUN_ENTITY bytes, all readable, holding the name and its zero),
 * year and the finite value, -0.0 made +0.0. */
typedef void (*ent_run_sink)(void *ctx, const char *variable,
                             const char *entity, int year, double v);

/* The point a sink expects in a slot: the same entity and variable
 * pointers and the year (an entity pointer no run passes: none). */
typedef struct ent_run_slot {
  const char *entity, *variable;
  int year;
} ent_run_slot;

/* A sink's next slot, which the run fills itself (ent_run_record, no
 * call): a point that is key[at]'s goes to vals[at] and at moves on;
 * any other point goes to the sink, which may move at (and fill key). */
typedef struct ent_run_slots {
  double *vals;            /* [n] */
  const ent_run_slot *key; /* [n] */
  size_t at, n;
} ent_run_slots;

struct ent_run {
  const ent_model *m;
  ent_issue_run *issues;
  size_t n_issues;
  ent_series_point *series;
  size_t n_series, cap_series;
  int first_year, last_year; /* structural runs; 0 otherwise */
  ent_run_driver *drivers;   /* with opts->drivers and a time axis */
  size_t n_drivers;
  ent_run_sink sink;         /* NULL: points into series */
  void *sink_ctx;
  ent_run_slots *slots;      /* with a sink: the slots it expects, or NULL */
  int keep;                  /* with a sink: the points go into series too
                                (the first year, when a channel's flow
                                reads them: ent_sim_set_sink) */
};

/* Apply the EUM options of o (NULL: none) in order to an issue's options. */
ENT_LOCAL void ent_run_opts_apply(const ent_run_opts *o, ent_eum_opts *eo);

/* The EUM options of o as text, for storing them: how many there are, and
 * the k-th as "key=value" with canonical names (e.g. "Q=0.5",
 * "profile=paper"; "" when k is out of range).  ent_run_opts_set on those
 * texts, in order, gives back the same typed options.  robustness and
 * models are the fields above. */
ENT_LOCAL size_t ent_run_opts_count(const ent_run_opts *o);
ENT_LOCAL void ent_run_opts_describe(const ent_run_opts *o, size_t k,
                                     char *buf, size_t size);

/* ent_run_record's store into the series (v finite, not -0.0). */
ENT_LOCAL int ent_run_record_point(ent_run *r, const char *var,
                                   const char *unit, const char *entity,
                                   int year, double v);

/* Append a value of a series to the run (or pass it to the run's sink:
 * into its next slot when the point is the slot's);
 * -1 (nothing recorded) when v is not finite or memory ran out.  entity:
 * an array of ENT_RUN_ENTITY bytes holding the name and its zero (a sink
 * compares whole words of it).  Inline: a run records thousands of
 * values a year. */
static inline int ent_run_record(ent_run *r, const char *var,
                                 const char *unit, const char *entity,
                                 int year, double v) {
  if (!isfinite(v)) return -1; /* never let NaN/Inf out */
  if (v == 0.0) v = 0.0;       /* -0.0 too */
  if (!r->sink) return ent_run_record_point(r, var, unit, entity, year, v);
  ent_run_slots *q = r->slots;
  size_t c = q ? q->at : 0;
  if (q && c < q->n && q->key[c].entity == entity &&
      q->key[c].variable == var && q->key[c].year == year) {
    q->vals[c] = v;
    q->at = c + 1;
  } else {
    r->sink(r->sink_ctx, var, entity, year, v);
  }
  return r->keep ? ent_run_record_point(r, var, unit, entity, year, v) : 0;
}

/* ent_run_record of points k = 0..n-1 in order (v[k] finite): -1 as soon
 * as one fails. */
ENT_LOCAL int ent_run_record_block(ent_run *r, size_t n,
                                   const char *const *var,
                                   const char *const *unit,
                                   const char *const *entity, int year,
                                   const double *v);

/* The entity ("A-B") of the main pair's alignment: the first report pair
 * (else the first two actors) in the scenario's actor order; "" with fewer
 * than two actors. */
ENT_LOCAL void ent_run_align_pair(const ent_model *m, char *buf, size_t size);

/* Value of series (variable, entity, year), or NAN if the run has none. */
ENT_LOCAL double ent_run_value(const ent_run *r, const char *variable,
                               const char *entity, int year);

/* From now on the run's points go to fn(ctx, ...) in the order recorded
 * instead of into its series -- those of slots' next slot into the slot
 * (slots may be NULL: none); the points recorded so far are passed to fn
 * first, in order, and stay in the series as well.  For an ensemble
 * member, which needs each value once in its record and not the 100-byte
 * points.  Set before the first step of a model where a link scales a
 * channel's flow by an indicator, the first step's points (the base
 * year's) go into the series as well: such flows read their base-year
 * value back (ent_run_value).  No series of the finished run but those
 * may be read (of other models: none). */
ENT_LOCAL void ent_sim_set_sink(ent_sim *s, ent_run_sink fn, void *ctx,
                                ent_run_slots *slots);

/* Put s back as ent_sim_start(m, o) leaves it, m being the model s was
 * started on -- its numbers may have changed since, not its shape (an
 * ensemble member's draw, ent_uncertain_apply) -- keeping what s
 * allocated: a run after it allocates nothing but what outgrows the last
 * one.  o as ent_sim_start takes it (the same `reference`).  ENT_OK,
 * ENT_EINVAL (s finished, or another `reference`) or ENT_ENOMEM (then
 * only ent_sim_destroy). */
ENT_LOCAL ent_status ent_sim_restart(ent_sim *s, const ent_run_opts *o);

/* The run of s so far, still owned by s (until ent_sim_restart or
 * ent_sim_destroy): what ent_sim_finish would hand over -- ENT_EINVAL
 * when an issue was never bargained. */
ENT_LOCAL ent_status ent_sim_result(ent_sim *s, const ent_run **out);

/* 1 when p points into the entity names s made at its start, which stay
 * as they are, at the same place, until s is destroyed (a restart keeps
 * them); 0 for any other array (a name made on the fly). */
ENT_LOCAL int ent_sim_name_fixed(const ent_sim *s, const char *p);

#endif /* ENT_SIM_H */
