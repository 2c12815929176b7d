/*
 * indicators.h -- interdependence and capability indicators: bilateral
 * trade dependence and its asymmetry, trade shares and openness, Barbieri's
 * salience/symmetry, Hirschman-Herfindahl partner concentration, Keohane &
 * Nye sensitivity and vulnerability (data-based and, through the GE trade
 * solver, model-based), and the COW composite index of national capability
 * (CINC).  Specification: docs/models/indicators.md.
 *
 * Pure functions on arrays: no I/O, no global state.  Flows X are n*n,
 * row-major, row = exporter, column = importer, domestic sales on the
 * diagonal (the diagonal never counts as trade).  Functions that can meet a
 * zero denominator return an ent_status (ENT_EINVAL: undefined) instead of
 * producing NaN; the scalar helpers document their conventions.
 */
#ifndef ENT_INDICATORS_H
#define ENT_INDICATORS_H

#include "structural/trade.h"

/* Totals of country i (indicators.md section 0). */
typedef struct ent_indicators_totals {
  double exports;    /* Xp_i = sum_{k != i} X_ik */
  double imports;    /* M_i  = sum_{k != i} X_ki */
  double trade;      /* T_i  = Xp_i + M_i */
  double output;     /* Y_i  = sum_k X_ik (domestic included) */
  double absorption; /* E_i  = sum_k X_ki (domestic included) */
} ent_indicators_totals;

ENT_LOCAL void ent_indicators_totals_of(size_t n, const double *X, size_t i,
                                 ent_indicators_totals *t);

/* T_ij = X_ij + X_ji (i != j; 0 for i == j). */
ENT_LOCAL double ent_indicators_bilateral(size_t n, const double *X, size_t i,
                                   size_t j);

/* Partner shares of i's imports, s_ki = X_ki / M_i (exports: X_ik / Xp_i),
 * into share[0..n) with share[i] = 0.  ENT_EINVAL if i has no imports
 * (exports). */
ENT_LOCAL ent_status ent_indicators_import_shares(size_t n, const double *X,
                                           size_t i, double *share);
ENT_LOCAL ent_status ent_indicators_export_shares(size_t n, const double *X,
                                           size_t i, double *share);

/* Herfindahl index of i's import (export) partners, sum_k s_ki^2, in
 * [1/(n-1), 1].  ENT_EINVAL if i has no imports (exports). */
ENT_LOCAL ent_status ent_indicators_hhi_imports(size_t n, const double *X, size_t i,
                                         double *hhi);
ENT_LOCAL ent_status ent_indicators_hhi_exports(size_t n, const double *X, size_t i,
                                         double *hhi);

/* Scalar formulas (section numbers of indicators.md). */
/* 2: Barbieri salience sqrt(S_ij S_ji), symmetry 1 - |S_ij - S_ji|,
 * interdependence salience * symmetry. */
ENT_LOCAL double ent_indicators_salience(double s_ij, double s_ji);
ENT_LOCAL double ent_indicators_symmetry(double s_ij, double s_ji);
ENT_LOCAL double ent_indicators_interdependence(double s_ij, double s_ji);
/* 3: relative share S_ij / (S_ij + S_ji); 0.5 when both are 0 (no trade
 * is symmetric; our convention). */
ENT_LOCAL double ent_indicators_relative_share(double s_ij, double s_ji);
/* 4: Hirschman's index 100 sqrt(HHI); normalised (HHI - 1/n)/(1 - 1/n)
 * for n potential partners (n <= 1: 1, a single partner is full
 * concentration). */
ENT_LOCAL double ent_indicators_hirschman(double hhi);
ENT_LOCAL double ent_indicators_hhi_normalised(double hhi, size_t n_partners);
/* 5.1: data-based vulnerability proxy S_ij * HHI_i. */
ENT_LOCAL double ent_indicators_vulnerability_proxy(double s_ij, double hhi_i);
/* 5.2: closed-form import vulnerability 1 - (1 - pi_ji)^(1/theta), pi_ji in
 * [0, 1], theta > 0. */
ENT_LOCAL double ent_indicators_vulnerability_pe(double pi_ji, double theta);
/* 6: capability ratio CINC_i / (CINC_i + CINC_j) (0.5 when both are 0). */
ENT_LOCAL double ent_indicators_capability_ratio(double c_i, double c_j);
/* 6: ln(CINC_i / CINC_j); ENT_EINVAL unless both are > 0. */
ENT_LOCAL ent_status ent_indicators_capability_log_ratio(double c_i, double c_j,
                                                  double *out);

/* Which flows a model-based vulnerability cut removes (section 5.2). */
typedef enum ent_indicators_cut {
  ENT_IND_CUT_BOTH = 0, /* b_ij = b_ji = 0 */
  ENT_IND_CUT_IMPORTS,  /* j -> i only: i's import vulnerability */
  ENT_IND_CUT_EXPORTS   /* i -> j only */
} ent_indicators_cut;

typedef struct ent_indicators_work ent_indicators_work;

/* Scratch for the GE vulnerability with up to n countries (the trade
 * solver's workspace plus a shock matrix and welfare vector). */
ENT_LOCAL ent_indicators_work *ent_indicators_work_alloc(size_t n);
ENT_LOCAL void ent_indicators_work_free(ent_indicators_work *w);

/* VUL_ij = 1 - W_hat_i after the cut between i and j (section 5.2), with
 * X as the baseline and every other flow, price and income adjusting (full
 * GE, opts o: theta, deficit mode, tolerances).  *vul_i gets i's loss,
 * *vul_j (may be NULL) j's loss in the same counterfactual.  Errors of the
 * solver are passed on (ENT_EINVAL, ENT_ENOCONV). */
ENT_LOCAL ent_status ent_indicators_vulnerability_ge(size_t n, const double *X,
                                              size_t i, size_t j,
                                              ent_indicators_cut cut,
                                              const ent_trade_opts *o,
                                              ent_indicators_work *w, double *vul_i,
                                              double *vul_j);
/* The same counterfactual solved by Newton first
 * (ent_trade_ge_solve_newton): w_start (length n, may be NULL = ones) is
 * a start point, typically the equilibrium of the same cut a year before;
 * w_hat_out (may be NULL, may alias w_start) receives this equilibrium's
 * w_hat on ENT_OK.  For the small bloc systems of a simulation, where it
 * takes a few Newton steps instead of hundreds of fixed-point iterations;
 * equal to ent_indicators_vulnerability_ge within the solver tolerances
 * (the indicator is reported to 4 significant digits; the solve stops at
 * a step of o->tol in log-wages, error ~1e-12 or less). */
ENT_LOCAL ent_status ent_indicators_vulnerability_ge_newton(
    size_t n, const double *X, size_t i, size_t j, ent_indicators_cut cut,
    const ent_trade_opts *o, ent_indicators_work *w, const double *w_start,
    double *w_hat_out, double *vul_i, double *vul_j);

/* The counterfactuals of many pairs of one baseline X, as a simulation
 * records them every year: ent_indicators_vulnerability_prepare(n, X, w)
 * once (ENT_EINVAL for an X the solver rejects), then for each pair
 * ent_indicators_vulnerability_ge_cut with the same X and w (and no other
 * solve with w in between).  state (2n doubles, kept by the caller per
 * pair) is the start when `warm` -- w_hat and w_hat^-theta of the same
 * cut a year before -- and receives this equilibrium on ENT_OK.  The
 * solve is ent_trade_cut_solve (Newton and chord steps at o's
 * tolerances, sharing the baseline's preparation, updating w_hat and
 * w_hat^-theta by factors instead of exp of the log-wages), and the full
 * ent_indicators_vulnerability_ge_newton from the same start if that
 * fails.  Equal to ent_indicators_vulnerability_ge within the solver
 * tolerances (docs/models/indicators.md). */
ENT_LOCAL ent_status ent_indicators_vulnerability_prepare(size_t n,
                                                      const double *X,
                                                      ent_indicators_work *w);
ENT_LOCAL ent_status ent_indicators_vulnerability_ge_cut(
    size_t n, const double *X, size_t i, size_t j, ent_indicators_cut cut,
    const ent_trade_opts *o, ent_indicators_work *w, double *state, int warm,
    double *vul_i, double *vul_j);

/* ent_indicators_vulnerability_ge_cut of `count` pairs (ci[k], cj[k])
 * of the prepared baseline X, state[k] and warm[k] each pair's: the same
 * results, bits and statuses (st[k]) as calling it for k = 0, 1, ...
 * (pairs solved side by side with ent_trade_cut_solve_lanes where they
 * take the usual path, the others one by one).  order (may be NULL): a
 * key a pair; the pairs go to the lanes by ascending key (stable, in
 * blocks of 64 pairs), so that pairs of like work (a key such as last
 * year's steps) step together -- the results are the same in any order.
 * steps (may be NULL): each pair's work, as ent_trade_cut_solve_lanes
 * gives it (255: solved one by one).  Returns ENT_EINVAL for invalid
 * arrays (then nothing is solved), else ENT_OK. */
ENT_LOCAL ent_status ent_indicators_vulnerability_ge_cuts(
    size_t n, const double *X, size_t count, const size_t *ci,
    const size_t *cj, ent_indicators_cut cut, const ent_trade_opts *o,
    ent_indicators_work *w, double *const *state, const int *warm,
    double *vul_i, double *vul_j, ent_status *st, const unsigned char *order,
    unsigned char *steps);

/* Every dyadic indicator for the ordered pair (a, b), the columns of
 * gravity-reference/indicators_expected.csv and more. */
typedef struct ent_indicators_dyad {
  double trade_dependence_ab;  /* D_ab = T_ab / G_a */
  double trade_dependence_ba;  /* D_ba = T_ab / G_b */
  double dependence_asymmetry; /* AD_ab = D_ab - D_ba */
  double weak_link;            /* min(D_ab, D_ba) */
  double export_dependence_ab; /* XD_ab = X_ab / G_a */
  double import_dependence_ab; /* MD_ab = X_ba / G_a */
  double trade_share_ab;       /* S_ab = T_ab / T_a */
  double trade_share_ba;       /* S_ba = T_ab / T_b */
  double share_gap;            /* AS_ab = S_ab - S_ba */
  double relative_share;       /* RS_ab = S_ab / (S_ab + S_ba) */
  double openness_a;           /* O_a = T_a / G_a */
  double barbieri_salience;
  double barbieri_symmetry;
  double barbieri_interdependence;
  double import_share_b_in_a_imports; /* X_ba / M_a */
  double export_share_b_in_a_exports; /* X_ab / Xp_a */
  double hhi_imports_a, hhi_exports_a;
  double hhi_imports_a_normalised;    /* n partners = N - 1 */
  double hirschman_imports_a, hirschman_exports_a;
  double vulnerability_proxy_ab;      /* S_ab * HHI^M_a */
  double sensitivity_import_ab;       /* SENS^M_ab = pi_ba = X_ba / E_a */
  double sensitivity_export_ab;       /* SENS^X_ab = X_ab / Y_a */
  double vulnerability_pe_ab;         /* 1 - (1 - pi_ba)^(1/theta) */
  double vulnerability_pe_ba;
  double vulnerability_ge_ab;         /* 1 - W_hat_a, cut both ways */
  double vulnerability_ge_ba;         /* 1 - W_hat_b, same cut */
  double vulnerability_asymmetry;     /* AV_ab = VUL_ab - VUL_ba */
  double vulnerability_ratio;         /* VUL_ab / VUL_ba (0 if VUL_ba == 0) */
} ent_indicators_dyad;

/* Fill *out for countries a != b of flows X.  G (length n) is the GDP
 * series; NULL uses the gravity proxy Y (gross output, the row sums).
 * o gives theta (and the solver settings of the GE vulnerability); w may
 * be NULL, then the ge fields are 0 and no solve is made.  ENT_EINVAL when
 * an indicator is undefined (a or b without external trade, imports or
 * exports, G <= 0) or the arguments are invalid. */
ENT_LOCAL ent_status ent_indicators_dyad_compute(size_t n, const double *X,
                                          const double *G, size_t a,
                                          size_t b, const ent_trade_opts *o,
                                          ent_indicators_work *w, ent_indicators_dyad *out);

/* The columns of ent_indicators_dyad that need neither a solve nor the
 * concentration indices -- the dependences, shares, sensitivities and
 * vulnerability_pe_ab -- from the totals of a and b
 * (ent_indicators_totals_of of the same X, made once for many pairs):
 * the same values as ent_indicators_dyad_compute, and ENT_EINVAL in the
 * same cases (theta > 0 and finite is the caller's).  The other fields
 * are left as they are. */
ENT_LOCAL ent_status ent_indicators_dyad_core(size_t n, const double *X,
                                       const double *G, size_t a, size_t b,
                                       double theta,
                                       const ent_indicators_totals *ta,
                                       const ent_indicators_totals *tb,
                                       ent_indicators_dyad *out);

/* ent_indicators_dyad_core for one pair, its totals made here; also
 * checks the arguments as ent_indicators_dyad_compute does (ENT_EINVAL
 * for a, b out of range or equal, theta not positive and finite). */
ENT_LOCAL ent_status ent_indicators_dyad_core_of(size_t n, const double *X,
                                          const double *G, size_t a,
                                          size_t b, double theta,
                                          ent_indicators_dyad *out);

/* ent_indicators_dyad_core_of without vulnerability_pe_ab (left as it
 * is; its expm1 and log1p are the core's dearest part): the other
 * columns and the failures the same, for a caller that reads one of
 * them (a link's indicator). */
ENT_LOCAL ent_status ent_indicators_dyad_shares_of(size_t n, const double *X,
                                            const double *G, size_t a,
                                            size_t b, double theta,
                                            ent_indicators_dyad *out);

/* COW CINC (section 6).  x is n_states * n_comp, row-major (state i,
 * component k; COW order milex, milper, irst, pec, tpop, upop, but any
 * components work).  A value < 0 (COW codes missing as -9) or NaN is
 * missing: it is left out of both the state's average and the system
 * total of that component (our convention); a component whose system total
 * is 0 is left out for everyone.  cinc[i] = mean over i's available
 * components of x_ik / sum_j x_jk.  share (may be NULL, n_states*n_comp)
 * gets r_ik, or -1 where not available.  ENT_EINVAL if a state has no
 * available component or a value is infinite. */
ENT_LOCAL ent_status ent_indicators_cinc(size_t n_states, size_t n_comp,
                                  const double *x, double *cinc,
                                  double *share);

#endif /* ENT_INDICATORS_H */
