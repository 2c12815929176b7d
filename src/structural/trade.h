/*
 * trade.h -- the one-sector GE structural gravity counterfactual ("exact
 * hat algebra", Dekle, Eaton & Kortum 2007; the Baier, Yotov & Zylkin 2019
 * / ge_gravity fixed point) with a Newton fallback, plus the partial and
 * conditional-GE levels of effect.  Specification: docs/models/gravity.md.
 *
 * Layers:
 *   ent_trade_ge_solve   the full-GE counterfactual on arrays; allocates
 *                        nothing (all scratch in ent_trade_work), so it can
 *                        be called in a loop (vulnerability indicators, the
 *                        simulator's ticks, warm starts).
 *   ent_trade_cge        conditional GE (Y, E fixed): biproportional
 *                        (RAS / Sinkhorn) balancing of b_ij X_ij.
 *   (the CSV loader of flows and shock files is input/trade_csv.c)
 *   The public handles (ent_trade_problem, ent_trade_result, entente.h)
 *   wrap these.
 *
 * Conventions: matrices are n*n, row-major, row = exporter i, column =
 * importer j; X includes domestic sales X_ii.  b_ij = exp(beta_ij) >= 0 is
 * the factor applied to flow i -> j (b = 0: embargo).
 *
 * Invariants of a successful solve: every output is finite; w_hat > 0;
 * sum_i w_hat_i Y_i = sum_i Y_i (world-output numeraire); the adding-up
 * residual max_i |sum_j X'_ij - w_i Y_i| / Y_i is below opts.residual_tol;
 * pairs with X_ij = 0 or b_ij = 0 have X'_ij = 0 exactly.
 */
#ifndef ENT_TRADE_H
#define ENT_TRADE_H

#include "base/diag.h"

/* Consecutive fixed-point iterations without a new smallest step
 * max |d ln w| after which an attempt counts as stalled (oscillating) and
 * is restarted with half the damping factor (gravity.md section 5.1). */
#define ENT_TRADE_STALL_ITER 100

/* Why a solve failed (info.fail). */
typedef enum ent_trade_fail {
  ENT_TRADE_FAIL_NONE = 0,
  ENT_TRADE_FAIL_BADARG,     /* invalid input arrays or options */
  ENT_TRADE_FAIL_INFEASIBLE, /* some E'_j <= 0 or Phi_j <= 0 (additive
                                deficit larger than the country's output) */
  ENT_TRADE_FAIL_MAXIT,      /* iteration limits reached */
  ENT_TRADE_FAIL_RESIDUAL,   /* stopped, but the adding-up residual is too
                                large */
  ENT_TRADE_FAIL_SINGULAR    /* Newton: singular Jacobian / no descent */
} ent_trade_fail;

/* What a solve did.  Filled on success and on failure. */
typedef struct ent_trade_info {
  int iterations;        /* fixed-point iterations + Newton iterations */
  int fp_iterations;     /* fixed-point iterations, all attempts */
  int newton_iterations; /* 0 unless the Newton fallback ran */
  int chord_iterations;  /* Newton steps that reused the last step's
                            factored Jacobian (newton_chord), else 0 */
  int attempts;          /* fixed-point attempts (1 + restarts used) */
  double lambda;         /* damping of the last fixed-point attempt */
  double crit;           /* last max |d ln w| */
  double residual;       /* max_i |sum_j X'_ij - w_i Y_i| / Y_i (final) */
  double kappa;          /* multiplicative mode: adding-up factor, else 1 */
  ent_trade_fail fail;
  size_t where;          /* country index the failure refers to (if any) */
} ent_trade_info;

/* Outputs of a solve; every pointer may be NULL (not filled).  Arrays of
 * length n, X_new n*n.  See gravity.md section 4. */
typedef struct ent_trade_out {
  double *w_hat;       /* factory-gate price / nominal output change */
  double *E_hat;       /* E'_j / E_j */
  double *P_hat;       /* price index (IMR) change, Phi_j^(-1/theta) */
  double *welfare;     /* E_hat / P_hat (real expenditure) */
  double *real_wage;   /* w_hat / P_hat */
  double *omr_hat;     /* outward MR change, (w^(1+theta) / Y_W_hat)^(-1/theta) */
  double *pi_own_new;  /* X'_jj / E'_j */
  double *X_new;       /* new flows X'_ij */
} ent_trade_out;

typedef struct ent_trade_work ent_trade_work;

/* Scratch for problems with up to n countries: 2 n*n matrices (pi*b and
 * the Newton Jacobian), 16 vectors and a permutation.  NULL on allocation failure or
 * n == 0.  One workspace per thread; it may be reused for any n <= its
 * size. */
ENT_LOCAL ent_trade_work *ent_trade_work_alloc(size_t n);
ENT_LOCAL void ent_trade_work_free(ent_trade_work *w);
ENT_LOCAL size_t ent_trade_work_size(const ent_trade_work *w);

/* Solve the counterfactual for baseline X and shock b (n*n each, n <= the
 * workspace size).  w_start (length n, > 0) is a warm start; NULL = ones.
 * Returns ENT_OK; ENT_EINVAL for invalid arrays/options (X_ii <= 0,
 * X_ij < 0, b_ij < 0, non-finite values, theta <= 0, ...); ENT_ENOCONV when
 * no equilibrium was found (info->fail says why).  Outputs are written only
 * on ENT_OK. */
ENT_LOCAL ent_status ent_trade_ge_solve(size_t n, const double *X,
                                        const double *b,
                                        const ent_trade_opts *o,
                                        const double *w_start,
                                        ent_trade_work *w,
                                        const ent_trade_out *out,
                                        ent_trade_info *info);

/* The same equilibrium by Newton on log-wages (section 5.2) from w_start
 * (NULL = ones) first, and the fixed point of ent_trade_ge_solve only if
 * Newton fails.  For small n (the Jacobian costs O(n^3) a step) and good
 * start points -- last year's equilibrium, an embargo of one pair -- it
 * takes a handful of steps where the fixed point takes hundreds.  It
 * stops at the same tolerances (o->tol on the step, o->residual_tol on
 * adding up); being quadratic, its last step leaves an error far below
 * o->tol.  Same results to those tolerances, not the same bits as
 * ent_trade_ge_solve.  Requires o->newton (else it is ent_trade_ge_solve). */
ENT_LOCAL ent_status ent_trade_ge_solve_newton(size_t n, const double *X,
                                               const double *b,
                                               const ent_trade_opts *o,
                                               const double *w_start,
                                               ent_trade_work *w,
                                               const ent_trade_out *out,
                                               ent_trade_info *info);

/* Counterfactuals that remove the trade of one pair from a common
 * baseline: the GE vulnerability indicators of a simulation year (15 such
 * solves of one X at N = 6).  ent_trade_cut_prepare checks X (as
 * ent_trade_ge_solve does) and keeps its margins and import shares in w:
 * ENT_OK, or ENT_EINVAL (then every ent_trade_cut_solve returns
 * ENT_EINVAL).  Any other solve with w discards them.
 *
 * ent_trade_cut_solve: the equilibrium of the prepared baseline with
 * b_ij = 0 (cut_ij), b_ji = 0 (cut_ji) and b = 1 elsewhere, by the Newton
 * and chord steps of ent_trade_ge_solve_newton (the same rules and
 * tolerances in o, which must have o->newton) from wm when `warm` --
 * wm[0..n) = w_hat, wm[n..2n) = w_hat^-theta, typically the same cut's
 * equilibrium a year before, moved to this baseline's numeraire -- else
 * from w_hat = 1.  Unlike that solver's steps, these move w_hat and
 * w_hat^-theta by the factors exp(dz), exp(-theta dz) of the step (a
 * short polynomial for a small step) instead of two exp of every
 * log-wage; the pair stays consistent to a few roundings per step.  On
 * ENT_OK: *welfare_i, *welfare_j (may be NULL) = E_hat / P_hat of i and
 * j, and wm gets this equilibrium (the next start).  ENT_ENOCONV when
 * the steps fail (no fixed-point fallback here: the caller's full solve
 * is), ENT_EINVAL for invalid arguments or no prepared baseline of n
 * countries.  Results agree with ent_trade_ge_solve to its tolerances,
 * not in every bit. */
ENT_LOCAL ent_status ent_trade_cut_prepare(size_t n, const double *X,
                                           ent_trade_work *w);
ENT_LOCAL ent_status ent_trade_cut_solve(size_t n, size_t i, size_t j,
                                         int cut_ij, int cut_ji,
                                         const ent_trade_opts *o,
                                         ent_trade_work *w, double *wm,
                                         int warm, double *welfare_i,
                                         double *welfare_j,
                                         ent_trade_info *info);

/* Cuts of the prepared baseline solved side by side, one cut per lane of
 * ENT_TRADE_LANES, for n <= ENT_TRADE_LANES_NMAX: cut k removes
 * ci[k] -> cj[k] (cut_ij) and cj[k] -> ci[k] (cut_ji) and starts from
 * wm[k] when warm[k], as ent_trade_cut_solve(n, ci[k], cj[k], cut_ij,
 * cut_ji, o, w, wm[k], warm[k], ...) would.  solved[k] = 1: the cut
 * followed that solve's usual path (one Newton step, then chord steps
 * until converged) and welfare_i[k], welfare_j[k] (may be NULL) and
 * wm[k] got what ent_trade_cut_solve gives on ENT_OK, the same bits;
 * solved[k] = 0: nothing of cut k was written, and the caller solves it
 * with ent_trade_cut_solve (a second Newton step, a shortened step, a
 * failure).  steps (may be NULL): steps[k] = the work of a solved cut,
 * 2 a Newton step and 1 a chord step (at most 254), 255 for a cut not
 * solved -- for a caller that groups cuts of like work next time (the
 * order of the cuts changes no bits).  Returns the count solved (0 for
 * invalid arguments, n too
 * large or no prepared baseline).  lanes: the most cuts a group may
 * step together, 2 (SSE2 or the compiler's generic vectors), 4 (AVX2) or
 * 8 (AVX-512): the widest of these that this CPU runs; the same bits
 * whichever. */
enum { ENT_TRADE_LANES = 8, ENT_TRADE_LANES_NMAX = 8 };
ENT_LOCAL size_t ent_trade_cut_solve_lanes(
    size_t n, size_t count, const size_t *ci, const size_t *cj, int cut_ij,
    int cut_ji, const ent_trade_opts *o, ent_trade_work *w,
    double *const *wm, const int *warm, double *welfare_i,
    double *welfare_j, unsigned char *solved, unsigned char *steps,
    int lanes);

/* Nested-CES extension (trade_nested.c, docs/models/gravity.md): home
 * vs foreign composite with elasticity theta, among foreign suppliers
 * theta_f; theta_f == theta is the one-sector model.  Outputs (may be
 * NULL): new flows (n*n), w_hat, welfare = E_hat / P_hat.  ENT_EINVAL for
 * invalid arrays, ENT_ENOCONV when no equilibrium was found (info). */
typedef struct ent_trade_nested_work ent_trade_nested_work;
ENT_LOCAL ent_trade_nested_work *ent_trade_nested_work_alloc(size_t n);
ENT_LOCAL void ent_trade_nested_work_free(ent_trade_nested_work *w);
ENT_LOCAL ent_status ent_trade_nested_solve(size_t n, const double *X,
                                            const double *b, double theta,
                                            double theta_f,
                                            const ent_trade_opts *o,
                                            ent_trade_nested_work *w,
                                            double *X_new, double *w_hat,
                                            double *welfare,
                                            ent_trade_info *info);

/* The same equilibrium by Newton on log-wages with the analytic Jacobian
 * (docs/models/gravity.md, "Nested CES: Newton"), from w_start (NULL =
 * ones; re-anchored to the numeraire) when o->newton, and the fixed point
 * of ent_trade_nested_solve only if Newton fails.  Stops at the same
 * tolerances (o->tol on the step, o->residual_tol on adding up); the
 * quadratic last step leaves an error far below o->tol, so the results
 * agree with ent_trade_nested_solve to those tolerances, not in every
 * bit.  From last year's equilibrium it takes 2-4 steps where the fixed
 * point takes ~100 iterations. */
ENT_LOCAL ent_status ent_trade_nested_solve_newton(
    size_t n, const double *X, const double *b, double theta, double theta_f,
    const ent_trade_opts *o, const double *w_start, ent_trade_nested_work *w,
    double *X_new, double *w_hat, double *welfare, ent_trade_info *info);

/* LU with partial pivoting of the n x n matrix J in place (perm: n
 * scratch), then J x = rhs.  Returns -1 when J is singular to working
 * precision.  The Newton steps of both solvers. */
ENT_LOCAL int ent_trade_lu_solve(double *J, size_t *perm, size_t n,
                                 const double *rhs, double *x);

/* One-line English reason for a failure (static string). */
ENT_LOCAL const char *ent_trade_fail_str(ent_trade_fail f);

/* Conditional GE (gravity.md section 4, level 2): scale b_ij X_ij to row
 * sums Y_i and column sums E_j of the baseline,
 *   X^CGE_ij = r_i b_ij X_ij c_j,
 * iterating r and c until both margins hold to relative `tol`.  r, c (length
 * n) and X_cge (n*n) are outputs; r and c are normalised so that c of the
 * last country is 1 (r_i proportional to Pi_hat_i^theta, c_j to
 * P_hat_j^theta).  Returns ENT_OK, ENT_EINVAL, or ENT_ENOCONV (the zero
 * pattern of b X does not admit the margins, or max_iter reached); *iters
 * gets the number of sweeps. */
ENT_LOCAL ent_status ent_trade_cge(size_t n, const double *X,
                                   const double *b, double tol, int max_iter,
                                   double *r, double *c, double *X_cge,
                                   int *iters);

/* Conversions (gravity.md section 2). */
/* Ad-valorem tariff equivalent of beta: exp(-beta/theta) - 1. */
ENT_LOCAL double ent_trade_tariff_equivalent(double beta, double theta);
/* b for a tariff change from t to t2 (shares, 0.1 = 10 %). */
ENT_LOCAL double ent_trade_b_from_tariff(double t, double t2, double theta);
/* b when a share s in [0, 1] of the pair's trade gets the effect beta_p. */
ENT_LOCAL double ent_trade_b_partial_coverage(double s, double beta_p);

/* ------------------------------------------------------------ problems */

/* A problem (the public ent_trade_problem); built by
 * ent_trade_problem_create or by the CSV loader (input/trade_csv.c). */
struct ent_trade_problem {
  ent_arena arena;
  size_t n;
  char **names;  /* [n] in order of first appearance in the flows file */
  double *X;     /* [n*n] baseline flows */
  double *b;     /* [n*n] shock factors, 1 where the shock file is silent */
  double *beta;  /* [n*n] log effects, -HUGE_VAL for an embargo */
};

/* A problem of n countries (1 <= n <= 46340) for a loader to fill: X = 0,
 * b = 1, beta = 0, names NULL (copy them into p->arena).  NULL when out of
 * memory.  Free with ent_trade_problem_destroy. */
ENT_LOCAL ent_trade_problem *ent_trade_problem_alloc(size_t n);

/* The counterfactual of one solve (public handle ent_trade_result; the
 * renderers in src/output/ read it).  All arrays live in the arena. */
#define ENT_TRADE_FIELDS 7 /* ent_trade_field values */
struct ent_trade_result {
  ent_arena arena;
  size_t n;
  char **names;
  double *Y, *E, *D;            /* [n] baseline margins */
  double *X, *b, *X_new;        /* [n*n] */
  double *v[ENT_TRADE_FIELDS];  /* [n] per ent_trade_field */
  ent_trade_info info;
  ent_trade_opts opts;
};

#endif /* ENT_TRADE_H */
