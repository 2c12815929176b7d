/*
 * eum_opts.h -- the options of the expected-utility model (eum.md section
 * 7) as types only: the enums and the option struct, no functions, so
 * that the model layer can keep an issue's effective options without
 * depending on the algorithm (strategic/eum.h declares what works on
 * them: defaults, profiles, parsing, describing).
 */
#ifndef ENT_EUM_OPTS_H
#define ENT_EUM_OPTS_H

typedef enum ent_eum_range {
  ENT_EUM_RANGE_INITIAL = 0, /* max - min of the initial positions */
  ENT_EUM_RANGE_CURRENT,     /* recomputed every round */
  ENT_EUM_RANGE_FIXED        /* opts.range_value */
} ent_eum_range;

typedef enum ent_eum_stop {
  ENT_EUM_STOP_FIXED = 0,   /* exactly `rounds` rounds */
  ENT_EUM_STOP_NO_MOVE,     /* after a round in which nobody moved */
  ENT_EUM_STOP_MEDIAN_STABLE /* |median change| < eps for k rounds */
} ent_eum_stop;

typedef enum ent_eum_cycle {
  ENT_EUM_CYCLE_OFF = 0,
  ENT_EUM_CYCLE_FLAG, /* detect and report a repeated position vector */
  ENT_EUM_CYCLE_STOP  /* ... and stop there */
} ent_eum_cycle;

/* Model options (eum.md section 7).  ent_eum_opts_default gives profile
 * scholz2011. */
typedef struct ent_eum_opts {
  int rounds;           /* tau: round limit, >= 0 (default 10) */
  int prob_pair;        /* A3: 0 = global denominator G, 1 = per pair */
  int votes_linear;     /* A4: 1 = exponent 1 for votes in decision pass */
  int b_own;            /* A2: 1 = b evaluated with j's own exponent */
  int least_move;       /* A14: 1 = compromise_select=least_move */
  int capitulation;     /* A15: 1 = capitulation offers (default on) */
  double Q;             /* A8: status-quo probability, [0, 1] (default 1) */
  int mu_mean;          /* A9: 1 = mu is the weighted mean, 0 = median */
  ent_eum_range range;  /* A11 */
  double range_value;   /* > 0, for ENT_EUM_RANGE_FIXED */
  int risk_own;         /* A6: 1 = risk_norm=own_positions */
  ent_eum_stop stop;
  double stop_eps;      /* median_stable: epsilon, >= 0 */
  int stop_k;           /* median_stable: consecutive rounds, >= 1 */
  ent_eum_cycle cycle;  /* default FLAG */
  int window;           /* read-out: last k rounds for median min/max */
} ent_eum_opts;

/* Which option a setting sets (the option names of eum.md section 7). */
typedef enum ent_eum_key {
  ENT_EUM_KEY_PROFILE = 0, /* i: 0 scholz2011, 1 mckibben-sanders, 2 paper */
  ENT_EUM_KEY_ROUNDS,      /* i */
  ENT_EUM_KEY_PROB,        /* i: prob_pair */
  ENT_EUM_KEY_VOTES,       /* i: votes_linear */
  ENT_EUM_KEY_B_EXPONENT,  /* i: b_own */
  ENT_EUM_KEY_COMPROMISE_SELECT, /* i: least_move */
  ENT_EUM_KEY_CAPITULATION,/* i */
  ENT_EUM_KEY_Q,           /* x */
  ENT_EUM_KEY_MU,          /* i: mu_mean */
  ENT_EUM_KEY_RANGE,       /* i: ent_eum_range; x: range_value if fixed */
  ENT_EUM_KEY_RISK_NORM,   /* i: risk_own */
  ENT_EUM_KEY_STOP,        /* i: ent_eum_stop; x: eps, k (median_stable) */
  ENT_EUM_KEY_CYCLE,       /* i: ent_eum_cycle */
  ENT_EUM_KEY_WINDOW       /* i */
} ent_eum_key;

/* One option as parsed from "key=value": applying it sets the fields its
 * key names (a profile: every field but rounds) to fixed values, so a list
 * of settings applied in order is the list of "key=value" texts applied in
 * order. */
typedef struct ent_eum_setting {
  ent_eum_key key;
  int i;      /* integer or enum value (see ent_eum_key) */
  double x;   /* Q, fixed range, median_stable eps */
  int k;      /* median_stable k */
} ent_eum_setting;

#endif /* ENT_EUM_OPTS_H */
