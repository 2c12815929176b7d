/*
 * sim_impl.h -- the state of a simulation, shared by the parts of sim.c
 * (sim.c: start, steps, bargaining, trade; sim_record.c: the record of a
 * year).  Private to src/sim.
 */
#ifndef ENT_SIM_IMPL_H
#define ENT_SIM_IMPL_H

#include "sim/sim.h"

#include "sim/bargain.h"
#include "sim/sim_names.h"
#include "strategic/alignment.h"
#include "structural/indicators.h"
#include "structural/trade.h"

/* What an issue bargains with, allocated once at the start. */
typedef struct issue_ws {
  int decider;                    /* ent_bargain_id deciding the issue */
  int beside;                     /* ent_bargain_id run beside it (every
                                     year with a time axis), or -1 */
  void *work[ENT_BARGAIN_COUNT];  /* workspaces of those two; NULL else */
  size_t nv;                      /* n_stakes * n_dims */
  double *pos;                    /* [nv] the scenario's positions */
  double *ideal;                  /* [nv] this year's ideals */
  double *cur;                    /* [nv] where the decider's bargaining
                                     stands (end of the last year) */
  unsigned char *forced;          /* [n_stakes] position shock this year */
  double *item_sal;               /* [nv] this year's salience of each stake
                                     on each dimension (record_alignment) */
  int bargained;                  /* at least once */
  void *spare[ENT_BARGAIN_COUNT]; /* parts of models the issue used before
                                     a restart and uses no more */
} issue_ws;

struct ent_sim {
  const ent_model *m;
  const ent_run_opts *o;
  ent_run *run;
  int year;         /* last year done; start - 1 before the first step */
  int done;
  int named;        /* nm made (once: a restart keeps the model's names) */
  ent_eum_opts *iopts; /* [n_issues] effective options */
  double **cap, **sal; /* [n_issues][n_stakes] this year's inputs */
  struct issue_ws *ws; /* [n_issues] bargaining workspaces */
  ent_eum_work *ew;    /* baselines, for the largest issue */
  ent_align_item *align; /* [n_align] scratch of record_alignment */
  size_t n_align;
  long *stake_of;      /* [n_issues * n_actors] the (last) stake of actor a
                          in issue i, or -1: record_alignment */
  double *ew_x;        /* [largest n_stakes] first-dimension positions */
  double *fc, *fc_base;/* [n_issues] forecast median this / base year */
  /* structural state (NULL without a structure) */
  size_t nb;
  double *gdp, *milex;     /* [nb] this year */
  double *gdp_prev;        /* [nb] last year */
  double *X, *X0, *Xg, *Xstar, *b; /* [nb*nb] */
  double *beta_link, *beta_link_base, *beta_link_next; /* [nb*nb] */
  double *beta0, *emb0;    /* [nb*nb] shocks in force in the base year */
  double *w_hat, *welfare; /* [nb] */
  double *pressure;        /* [nb] sanctions pressure this year */
  double *link_v0;         /* [n_links] the source's base-year value */
  int *decided;            /* [n_channels] decision year or INT_MAX */
  double *chan_base_trade; /* [n_channels] base-year trade on the route */
  ent_trade_work *tw;
  ent_trade_nested_work *nw; /* NULL unless theta_foreign != theta */
  ent_indicators_work *iw;
  ent_indicators_totals *tot; /* [nb] this year's totals, record_year */
  ent_trade_opts topts;
  ent_trade_opts vopts;    /* the vulnerability solves: topts with the
                              Newton step tolerance ENT_SIM_VUL_TOL */
  int reference;           /* o->reference: the previous kernels */
  int have_w_hat;          /* w_hat holds last year's equilibrium */
  double *vul_w;           /* [nb*nb*2nb] w_hat and w_hat^-theta of the
                              cut of (a, b), a < b, last year: the start
                              of this year's solve; [2nb] scratch for
                              nb > ENT_SIM_WARM_MAX; NULL in reference
                              runs */
  unsigned char *vul_have; /* [nb*nb] vul_w of (a, b) is set (nonzero:
                              1 + the cut's work last year, record_year's
                              order); NULL for nb > ENT_SIM_WARM_MAX */
  ent_sim_names nm;         /* entity names of the recorded series,
                              made once per run (sim_names.h) */
};

/* Largest bloc system whose vulnerability solves keep warm starts
 * (nb^3 doubles). */
#define ENT_SIM_WARM_MAX 32

/* Newton step (max |d ln w_hat|) at which a vulnerability solve stops.
 * The indicator is a share of real income read to 3-4 significant digits
 * (docs/models/indicators.md); Newton converges quadratically, so after a
 * step below 1e-9 the error left is of the order of its square -- at
 * rounding level -- where the fixed point needed 1e-12 (a contraction
 * stops short by about tol / (1 - rate)).  bench/bench_ensemble prints
 * the largest deviation from the previous 1e-12 fixed point. */
#define ENT_SIM_VUL_TOL 1e-9

/* Channel c's flow in year t (sim.c). */
double ent_sim_channel_flow(ent_sim *s, size_t c, int t);

/* Records every series of year t into the run (sim_record.c). */
ent_status ent_sim_record_year(ent_sim *s, int t, int base_year);

#endif
