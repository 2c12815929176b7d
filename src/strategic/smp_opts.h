/*
 * smp_opts.h -- the options of KTAB's Spatial Model of Politics (smp.md
 * §2 and §13) as types only: the enums, the accommodation entry and the
 * option struct, no functions, so that the model layer can keep an
 * issue's options typed without depending on the algorithm
 * (strategic/smp.h declares what works on them).
 */
#ifndef ENT_SMP_OPTS_H
#define ENT_SMP_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "entente.h"

/* Model parameters of §2.  Enumerator values are KTAB's integer codes. */
typedef enum ent_smp_vpm {
  ENT_SMP_VPM_LINEAR = 0,
  ENT_SMP_VPM_SQUARE = 1,
  ENT_SMP_VPM_QUARTIC = 2,
  ENT_SMP_VPM_OCTIC = 3,
  ENT_SMP_VPM_BINARY = 4
} ent_smp_vpm;

typedef enum ent_smp_pce {
  ENT_SMP_PCE_CONDITIONAL = 0,
  ENT_SMP_PCE_MARKOV_INCENTIVE = 1,
  ENT_SMP_PCE_MARKOV_UNIFORM = 2
} ent_smp_pce;

typedef enum ent_smp_trans {
  ENT_SMP_TRANS_DETERMINISTIC = 0,
  ENT_SMP_TRANS_STOCHASTIC = 1
} ent_smp_trans;

typedef enum ent_smp_vote {
  ENT_SMP_VOTE_BINARY = 0,
  ENT_SMP_VOTE_PROPBIN = 1,
  ENT_SMP_VOTE_PROP = 2,
  ENT_SMP_VOTE_PROPCBC = 3,
  ENT_SMP_VOTE_CUBIC = 4,
  ENT_SMP_VOTE_ASYMPROSP = 5
} ent_smp_vote;

typedef enum ent_smp_radj {
  ENT_SMP_RADJ_NONE = 0,
  ENT_SMP_RADJ_ONETHIRD = 1,
  ENT_SMP_RADJ_HALF = 2,
  ENT_SMP_RADJ_TWOTHIRDS = 3,
  ENT_SMP_RADJ_FULL = 4
} ent_smp_radj;

typedef enum ent_smp_rrange {
  ENT_SMP_RRANGE_MIN = 0,
  ENT_SMP_RRANGE_MID = 1,
  ENT_SMP_RRANGE_MAX = 2
} ent_smp_rrange;

typedef enum ent_smp_tpc {
  ENT_SMP_TPC_NO = 0,
  ENT_SMP_TPC_SEMI = 1,
  ENT_SMP_TPC_FULL = 2
} ent_smp_tpc;

typedef enum ent_smp_ivb {
  ENT_SMP_IVB_S1P1 = 0,
  ENT_SMP_IVB_S2P2 = 1,
  ENT_SMP_IVB_S2PMAX = 2
} ent_smp_ivb;

typedef enum ent_smp_bargn {
  ENT_SMP_BARGN_INIT_ONLY = 0,
  ENT_SMP_BARGN_INIT_RCVR = 1,
  ENT_SMP_BARGN_PW_COMP = 2
} ent_smp_bargn;

/* One entry of the accommodation matrix A (§5.8): A[i][j] = v; every entry
 * not listed is the identity's. */
typedef struct ent_smp_acc {
  unsigned long i, j; /* 0-based actor indices (checked against N at run) */
  double v;           /* in [0, 1] */
} ent_smp_acc;

/* KTAB's default seed (§1.4). */
#define ENT_SMP_DEFAULT_SEED UINT64_C(15455440707583219804)

/* Options: KTAB's nine parameters plus what smp.md §13 suggests.
 * ent_smp_opts_default gives KTAB's defaults.  The accommodation list is
 * owned by the options (ent_smp_opts_release frees it). */
struct ent_smp_opts {
  ent_smp_vpm vpm;       /* VictoryProbModel, default Linear */
  ent_smp_pce pce;       /* PCEModel, default Conditional */
  ent_smp_trans trans;   /* StateTransitions, default Deterministic */
  ent_smp_vote vote;     /* VotingRule, default Prop */
  ent_smp_radj radj;     /* BigRAdjust, default OneThird */
  ent_smp_rrange rrange; /* BigRRange, default Mid */
  ent_smp_tpc tpc;       /* ThirdPartyCommit, default SemiCommit */
  ent_smp_ivb ivb;       /* InterVecBrgn, default S2P2 */
  ent_smp_bargn bargn;   /* BargnModel, default InitOnlyInterp */
  int max_turns;         /* stop at state t >= max_turns (default 100), >= 0 */
  int min_turns;         /* ratio test from state min_turns on (default 2) */
  double stop_ratio;     /* stop when dist(t,t-1)/(dist(1,0)+1e-4) < this
                            (default 0.02), >= 0 */
  uint64_t seed;         /* Stochastic transitions only (§8) */
  int strict;            /* 1 (default): KTAB's runtime aborts (§4.4, Markov
                            iteration limit) are errors; 0: warnings, the run
                            goes on */
  int degenerate_error;  /* 1: p_max == p_min in risk inference (§4.2) is an
                            error; 0 (default): warning, everyone holds */
  ent_smp_acc *acc;      /* accommodation entries, in the order given */
  size_t n_acc, cap_acc;
};

/* Every option name, for help texts and messages. */
#define ENT_SMP_OPTION_NAMES                                                \
  "VictoryProbModel, PCEModel, StateTransitions, VotingRule, BigRAdjust, " \
  "BigRRange, ThirdPartyCommit, InterVecBrgn, BargnModel, max_turns, "     \
  "min_turns, stop_ratio, seed, strict, degenerate, accommodation"

#endif /* ENT_SMP_OPTS_H */
