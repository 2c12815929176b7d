/*
 * eum.c -- the expected-utility model; the specification is
 * docs/models/eum.md (from Scholz, Calbert & Smith 2011, reference profile
 * scholz2011).  Section numbers below refer to that page.
 *
 * Cost: the vote totals P(i,j) need, for every pair, a sum over all
 * voters: n^3/2 multiply-adds per pass, two passes per round; the global
 * denominator G is another n^3 additions in the specification's order.
 * A round is O(n^3).  Both sums are in eum_sums.c, which gets the
 * specification's bits without one addition waiting on the one before.
 *
 * Storage: utilities are kept position-major, U[a*n + k] = u_k(x_a) (the
 * reference path's pair sums), and voter-major, UT[k*n + a], for G and
 * the fast path's vote sums; the fast path's distances d_ij once a round
 * (dm).  Options and names are in eum_opts.c; the fast path's pow is
 * eum_pow.h's (glibc's without the errno wrapper where linked), its
 * batches eum_vpow.c's; the batched utilities, and at n <= 8 with the
 * vector pow a round's rows in lanes, are in eum_rows.c.
 *
 * Runs: a workspace keeps its last short run (memo_keep) and gives a run
 * with exactly its inputs that history again (ent_eum_run_work).
 *
 * Decisions use exact comparisons (section 8): no epsilons.
 */
#include "strategic/eum.h"
#include "strategic/eum_pow.h"
#include "strategic/eum_vpow.h"
#include "strategic/eum_rows.h"
#include "strategic/eum_sums.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ent_eum_work {
  size_t cap;   /* max actors */
  size_t bytes; /* allocated, this struct included */
  double *U;    /* [n*n] voter utilities, position-major */
  double *UT;   /* [n*n] the same, voter-major */
  double *P;    /* [n*n] P(i,j) */
  double *w;    /* [n] weights c*s */
  double *rho;  /* [n] voter exponents of the current pass */
  double *r;    /* [n] risk exponents */
  double *D, *R;/* [n] */
  double *xalt; /* [n] positions for risk_norm=own_positions */
  size_t *idx, *idx2; /* [n] sort scratch */
  int *best;    /* [n] chosen counterpart per receiver, -1 = none */
  int *rep;     /* [n] first actor at the same position (fast path) */
  int *btype;   /* [n] */
  double *bkey, *bpos, *ba, *bb; /* [n] */
  double *uq;   /* [n] per-actor 2 - 4 (1/2)^r_i of the decision pass */
  double *dm;   /* [n*n] d_ij = clamp01(|x_i - x_j| / R) (fast path) */
  int threads;  /* threads for the O(n^3) sums and the decisions at
                   n >= EUM_PAR_MIN (1 by default) */
  int reference;/* 1: every EU term evaluated as eu() writes it (the
                   specification-order path, for tests and bench/) */
  ent_eum_move *mv;     /* [n] moves of one round (ent_eum_run_work) */
  uint64_t *hashes;     /* [cap_hashes] position hashes per round (runs) */
  size_t cap_hashes;
  ent_eum_hist *spare;  /* a history to fill again (ent_eum_work_recycle) */
  /* the last run's inputs and history (ent_eum_run_work), when memo_ok */
  ent_eum_hist *memo;
  double *memo_in;      /* [3 * cap] capabilities, saliences, positions */
  ent_eum_opts memo_opts;
  size_t memo_n;
  int memo_ref, memo_ok;
  const double *med_x;  /* x whose weighted median is med, or NULL */
  double med;
  int vpow;             /* lanes of ent_eum_pow_many (eum_vpow.h) */
  double *bat;          /* [4 n^2] the decision pass's pow arguments (x, y)
                           when n <= EUM_ROW_SHARE and vpow */
  uint32_t *slot;       /* [3 n^2] the utilities' batch: each value's entry,
                           then (entry, source) of the copies; with bat */
};

/* Fewest actors for which a round uses more than one thread (below, the
 * cost of waking a thread is more than the work it would take). */
#define EUM_PAR_MIN 96

/* Most actors for which decide_row keeps its row's Us, Uf on the stack. */
#define EUM_ROW_SHARE 64

/* ------------------------------------------------------------ work */

ent_eum_work *ent_eum_work_alloc(size_t n) {
  if (n == 0) n = 1;
  if (n > 100000) return NULL;
  ent_eum_work *w = ent_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->cap = n;
  w->threads = 1;
  w->vpow = ent_eum_vpow_lanes();
  if (w->vpow && n <= EUM_ROW_SHARE &&
      (!(w->bat = ent_mallocarray(4 * n * n, sizeof(double))) ||
       !(w->slot = ent_mallocarray(3 * n * n, sizeof(uint32_t)))))
    w->vpow = 0; /* no batches: one call a value */
  w->U = ent_mallocarray(n * n, sizeof(double));
  w->UT = ent_mallocarray(n * n, sizeof(double));
  w->P = ent_mallocarray(n * n, sizeof(double));
  w->dm = ent_mallocarray(n * n, sizeof(double));
  double **vec[] = {&w->w, &w->rho, &w->r, &w->D, &w->R,
                    &w->xalt, &w->bkey, &w->bpos, &w->ba, &w->bb, &w->uq};
  int ok = w->U && w->UT && w->P && w->dm;
  for (size_t k = 0; k < sizeof vec / sizeof vec[0]; k++) {
    *vec[k] = ent_mallocarray(n, sizeof(double));
    ok = ok && *vec[k];
  }
  w->idx = ent_mallocarray(n, sizeof(size_t));
  w->idx2 = ent_mallocarray(n, sizeof(size_t));
  w->best = ent_mallocarray(n, sizeof(int));
  w->rep = ent_mallocarray(n, sizeof(int));
  w->btype = ent_mallocarray(n, sizeof(int));
  w->mv = ent_mallocarray(n, sizeof *w->mv);
  if (!ok || !w->idx || !w->idx2 || !w->best || !w->rep || !w->btype ||
      !w->mv) {
    ent_eum_work_free(w);
    return NULL;
  }
  w->bytes = sizeof *w + 4 * n * n * sizeof(double) +
             sizeof vec / sizeof vec[0] * n * sizeof(double) +
             2 * n * sizeof(size_t) + 3 * n * sizeof(int) +
             n * sizeof *w->mv + (w->bat ? 4 * n * n * sizeof(double) : 0) +
             (w->slot ? 3 * n * n * sizeof(uint32_t) : 0);
  return w;
}

void ent_eum_work_set_threads(ent_eum_work *w, int threads) {
  if (w) w->threads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
}

void ent_eum_work_set_reference(ent_eum_work *w, int on) {
  if (w) w->reference = on != 0;
}

/* Bytes a history's arrays hold. */
static size_t hist_bytes(const ent_eum_hist *h) {
  if (!h) return 0;
  size_t n = h->n, T = h->cap_rounds;
  return sizeof *h + ((T + 1) * n + (T ? T * n : 1) + 2 * (T + 1) +
                      2 * n * n) * sizeof(double) +
         (T ? T * n * n : 1) + h->cap_moves * sizeof *h->moves;
}

size_t ent_eum_work_size(const ent_eum_work *w) {
  return w ? w->bytes + w->cap_hashes * sizeof *w->hashes +
                 hist_bytes(w->spare) + hist_bytes(w->memo) +
                 (w->memo_in ? 3 * w->cap * sizeof(double) : 0)
           : 0;
}

void ent_eum_work_free(ent_eum_work *w) {
  if (!w) return;
  ent_free(w->U);
  ent_free(w->UT);
  ent_free(w->P);
  ent_free(w->dm);
  ent_free(w->w);
  ent_free(w->rho);
  ent_free(w->r);
  ent_free(w->D);
  ent_free(w->R);
  ent_free(w->xalt);
  ent_free(w->idx);
  ent_free(w->idx2);
  ent_free(w->best);
  ent_free(w->rep);
  ent_free(w->btype);
  ent_free(w->bkey);
  ent_free(w->bpos);
  ent_free(w->ba);
  ent_free(w->bb);
  ent_free(w->uq);
  ent_free(w->bat);
  ent_free(w->slot);
  ent_free(w->mv);
  ent_free(w->hashes);
  ent_eum_hist_free(w->spare);
  ent_eum_hist_free(w->memo);
  ent_free(w->memo_in);
  ent_free(w);
}

/* ------------------------------------------------------------ baselines */

double ent_eum_weighted_mean(const ent_eum_problem *pb, const double *x) {
  double sw = 0.0, swx = 0.0, sx = 0.0;
  for (size_t i = 0; i < pb->n; i++) {
    double wi = pb->cap[i] * pb->sal[i];
    sw += wi;
    swx += wi * x[i];
    sx += x[i];
  }
  if (sw > 0.0) return swx / sw;
  return pb->n ? sx / (double)pb->n : 0.0; /* all weights zero */
}

static int cmp_size_by_x(const void *pa, const void *pb, const double *x) {
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  if (x[a] < x[b]) return -1;
  if (x[a] > x[b]) return 1;
  return a < b ? -1 : a > b;
}

/* Merge sort of indices by (x, index): stable, O(n log n), no allocation
 * beyond `tmp` of n entries. */
static void msort_idx(size_t *v, size_t *tmp, size_t n, const double *x) {
  if (n < 16) {
    for (size_t i = 1; i < n; i++) {
      size_t t = v[i], k = i;
      while (k > 0 && cmp_size_by_x(&v[k - 1], &t, x) > 0) {
        v[k] = v[k - 1];
        k--;
      }
      v[k] = t;
    }
    return;
  }
  size_t h = n / 2;
  msort_idx(v, tmp, h, x);
  msort_idx(v + h, tmp, n - h, x);
  size_t i = 0, j = h, o = 0;
  while (i < h && j < n)
    tmp[o++] = cmp_size_by_x(&v[j], &v[i], x) < 0 ? v[j++] : v[i++];
  while (i < h) tmp[o++] = v[i++];
  while (j < n) tmp[o++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

double ent_eum_weighted_median(const ent_eum_problem *pb, const double *x,
                               ent_eum_work *w) {
  size_t n = pb->n;
  if (n == 0) return 0.0;
  size_t *idx = w->idx;
  if (n < 64) { /* the same order and sums on copies of x and the weights */
    double xs[64], ws[64], total = 0.0;
    for (size_t i = 0; i < n; i++) {
      double xi = x[i], wi = pb->cap[i] * pb->sal[i];
      total += wi;
      size_t k = i;
      while (k > 0 && xs[k - 1] > xi) {
        xs[k] = xs[k - 1];
        ws[k] = ws[k - 1];
        k--;
      }
      xs[k] = xi;
      ws[k] = wi;
    }
    if (!(total > 0.0)) return xs[(n - 1) / 2];
    double half = total / 2.0, cum = 0.0;
    for (size_t k = 0; k < n; k++) {
      cum += ws[k];
      if (cum >= half) return xs[k];
    }
    return xs[n - 1];
  } else {
    for (size_t i = 0; i < n; i++) idx[i] = i;
    msort_idx(idx, w->idx2, n, x);
  }
  double total = 0.0;
  for (size_t i = 0; i < n; i++) total += pb->cap[i] * pb->sal[i];
  if (!(total > 0.0)) return x[idx[(n - 1) / 2]]; /* lower plain median */
  double half = total / 2.0, cum = 0.0;
  for (size_t k = 0; k < n; k++) {
    cum += pb->cap[idx[k]] * pb->sal[idx[k]];
    if (cum >= half) return x[idx[k]];
  }
  return x[idx[n - 1]];
}

/* ------------------------------------------------------------ utilities */

static double clamp01(double d) { return d < 0.0 ? 0.0 : d > 1.0 ? 1.0 : d; }

/* Row a of the fast path's utilities: u_a(x_a) and, for k > a, u_k(x_a)
 * and u_a(x_k), into UT only (the fast path reads nothing else).  With
 * `rep` (rep[b]: first actor at x_b; rows in order, one thread) the
 * utility of a position an earlier actor holds is copied: u_k(x_rep[a])
 * from row rep[a] < a, u_a(x_rep[k]) from this row or row rep[k] < a
 * (rep[k] = a is d = 0): the same distance (fabs: +0, -0 alike). */
static void utilities_row(size_t n, const double *dm, const double *rho,
                          double *UT, size_t a, const int *rep) {
  UT[a * n + a] = rho[a] == 1.0 || rho[a] > 0.0 ? 0.0 : ent_eum_pow(0.0, rho[a]);
  int dup_a = rep && (size_t)rep[a] < a;
  for (size_t k = a + 1; k < n; k++) {
    double d = dm[a * n + k];
    double uk, ua; /* u_k(x_a) and u_a(x_k) */
    if (d == 0.0 || d == 1.0) {
      uk = rho[k] == 1.0 || rho[k] > 0.0 ? d : ent_eum_pow(d, rho[k]);
      ua = rho[a] == 1.0 || rho[a] > 0.0 ? d : ent_eum_pow(d, rho[a]);
    } else {
      uk = rho[k] == 1.0 ? d
           : dup_a       ? UT[k * n + (size_t)rep[a]]
                         : ent_eum_pow(d, rho[k]);
      ua = rho[a] == 1.0                   ? d
           : rep && (size_t)rep[k] < k     ? UT[a * n + (size_t)rep[k]]
                                           : ent_eum_pow(d, rho[a]);
    }
    UT[k * n + a] = uk;
    UT[a * n + k] = ua;
  }
}

/* u_k(p) = (|x_k - p| / R)^rho_k for every voter k and position a:
 * UT[k*n + a], and for the reference path also U[a*n + k].  The distance
 * of (a, k) is that of (k, a); pow(0, rho) = 0 and pow(1, rho) = 1
 * exactly (rho > 0), so those need no call (`fast`; the reference path
 * calls pow for every entry).  Rows on `threads` threads at large n. */
static void fill_utilities(size_t n, const double *x, double range,
                           const double *rho, double *U, double *UT,
                           int fast, int threads, const int *rep,
                           const double *dm, double *scratch, int vpow,
                           uint32_t *slot) {
  if (!fast) {
    for (size_t a = 0; a < n; a++)
      for (size_t k = 0; k < n; k++) {
        double d = clamp01(fabs(x[k] - x[a]) / range);
        U[a * n + k] = UT[k * n + a] = rho[k] == 1.0 ? d : pow(d, rho[k]);
      }
    return;
  }
#ifdef _OPENMP
  if (threads > 1 && n >= EUM_PAR_MIN) {
#pragma omp parallel for schedule(dynamic, 8) num_threads(threads)
    for (size_t a = 0; a < n; a++)
      utilities_row(n, dm, rho, UT, a, NULL);
    return;
  }
#endif
  size_t k = 0;
  while (k < n && rho[k] == 1.0) k++;
  if (k == n) { /* exponents 1 (the risk pass): u_k(x_a) = d_ka */
    memcpy(UT, dm, n * n * sizeof *UT);
    return;
  }
  if (!vpow || !slot) {
    for (size_t a = 0; a < n; a++) utilities_row(n, dm, rho, UT, a, rep);
    return;
  }
  /* U is free on this path */
  ent_eum_rows_utilities(n, dm, rho, UT, rep, U, scratch, slot, slot + n * n,
                         vpow);
}

/* P(i,j) for all pairs at different positions (0 where x_i == x_j). */
static void fill_probabilities(size_t n, const double *x, const double *U,
                               const double *wt, int per_pair, double G,
                               double *P) {
  for (size_t i = 0; i < n; i++) {
    P[i * n + i] = 0.0;
    for (size_t j = i + 1; j < n; j++) {
      if (x[i] == x[j]) {
        P[i * n + j] = P[j * n + i] = 0.0;
        continue;
      }
      const double *ui = U + i * n, *uj = U + j * n;
      double pos = 0.0, neg = 0.0;
      for (size_t k = 0; k < n; k++) {
        double v = wt[k] * (uj[k] - ui[k]); /* k's vote for x_i over x_j */
        pos += v > 0.0 ? v : 0.0;
        neg += v < 0.0 ? -v : 0.0;
      }
      double den = per_pair ? pos + neg : G;
      if (den > 0.0) {
        P[i * n + j] = pos / den;
        P[j * n + i] = neg / den;
      } else {
        P[i * n + j] = P[j * n + i] = 0.0;
      }
    }
  }
}

/* Context for EU evaluations in one pass. */
typedef struct eu_ctx {
  const double *x, *sal;
  double range, Q, mu;
} eu_ctx;

/* The utilities of success and failure at distance d with exponent rho
 * (section 3).  At d = 1 the bases are 0.5 - 0.5 = +0 and 0.5 + 0.5 = 1
 * exactly, and pow(+0, rho) = +0, pow(1, rho) = 1 for rho > 0: no call
 * (the reference path, `exact`, calls pow for every pair). */
static inline void eu_success_failure(double d, double rho, double *Us,
                                      double *Uf, int exact) {
  if (rho == 1.0) {
    *Us = 2.0 - 4.0 * (0.5 - 0.5 * d);
    *Uf = 2.0 - 4.0 * (0.5 + 0.5 * d);
  } else if (!exact && d == 1.0 && rho > 0.0) {
    *Us = 2.0 - 4.0 * 0.0;
    *Uf = 2.0 - 4.0 * 1.0;
  } else if (!exact) {
    *Us = 2.0 - 4.0 * ent_eum_pow(0.5 - 0.5 * d, rho);
    *Uf = 2.0 - 4.0 * ent_eum_pow(0.5 + 0.5 * d, rho);
  } else {
    *Us = 2.0 - 4.0 * pow(0.5 - 0.5 * d, rho);
    *Uf = 2.0 - 4.0 * pow(0.5 + 0.5 * d, rho);
  }
}

/* The utility of the status quo, 2 - 4 (1/2)^rho: one per actor. */
static double eu_status_quo(double rho) {
  return rho == 1.0 ? 0.0 : 2.0 - 4.0 * pow(0.5, rho);
}

/* EU(i -> j; rho) from the distance d = |x_i - x_j| / R (clamped) and
 * the three utilities of that d and rho. */
static inline double eu_from(const eu_ctx *c, size_t i, size_t j,
                             double P, double rho, double d, double Us,
                             double Uf, double Uq) {
  double s = c->sal[j];
  double v = s * (P * Us + (1.0 - P) * Uf) + (1.0 - s) * Us - c->Q * Uq;
  if (c->Q < 1.0) {
    double dm = fabs(c->x[i] - c->mu);
    double e = clamp01(dm / c->range);
    double T = dm < fabs(c->x[i] - c->x[j]) ? 1.0 : 0.0;
    double Ub = 2.0 - 4.0 * pow(0.5 - 0.25 * (e + d), rho);
    double Uw = 2.0 - 4.0 * pow(0.5 + 0.25 * (e + d), rho);
    v -= (1.0 - c->Q) * (T * Ub + (1.0 - T) * Uw);
  }
  return v;
}

/* EU(i -> j; rho): challenger i, target j, P = P(i,j) (section 3), every
 * term computed here (the specification's order). */
static double eu(const eu_ctx *c, size_t i, size_t j, double P, double rho) {
  double d = clamp01(fabs(c->x[i] - c->x[j]) / c->range);
  double Us, Uf;
  eu_success_failure(d, rho, &Us, &Uf, 1);
  return eu_from(c, i, j, P, rho, d, Us, Uf, eu_status_quo(rho));
}

/* P from the raw sums of ent_eum_sums_votes, as fill_probabilities divides. */
static void probabilities_from_sums(size_t n, const double *x, int per_pair,
                                    double G, double *P) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      if (x[i] == x[j]) continue; /* 0 already */
      double pos = P[i * n + j], neg = P[j * n + i];
      double den = per_pair ? pos + neg : G;
      if (den > 0.0) {
        P[i * n + j] = pos / den;
        P[j * n + i] = neg / den;
      } else {
        P[i * n + j] = P[j * n + i] = 0.0;
      }
    }
}

/* One pass's voter weights, exponents, utilities, G and P.  G is one
 * chain of n^3 additions in the specification's order: every P, a_ij and
 * b_ij -- and so every compromise position, a continuous output --
 * depends on its exact bits.  The fast path gets those bits without
 * adding one term after the other, and the vote sums many pairs at a
 * time, each in its own voter order (eum_sums.c); the reference path
 * adds as the specification writes. */
static double prepare_pass(size_t n, const double *x, double range,
                           const double *rho, int per_pair, ent_eum_work *w) {
  fill_utilities(n, x, range, rho, w->U, w->UT, !w->reference, w->threads,
                 w->rep, w->dm, w->P, w->vpow, w->slot); /* P: written below */
  double G = 0.0;
  if (w->reference) {
    if (!per_pair) G = ent_eum_sums_global_serial(n, w->UT, w->w);
    fill_probabilities(n, x, w->U, w->w, per_pair, G, w->P);
    return G;
  }
#ifdef _OPENMP
  if (w->threads > 1 && n >= EUM_PAR_MIN && !per_pair) {
    /* G on one thread, the vote sums on another: both only read UT */
#pragma omp parallel sections num_threads(2)
    {
#pragma omp section
      G = ent_eum_sums_global(n, w->UT, w->w);
#pragma omp section
      ent_eum_sums_votes(n, x, w->UT, w->w, w->P);
    }
  } else
#endif
  {
    return ent_eum_sums_probs(n, x, w->UT, w->w, !per_pair, w->P);
  }
  probabilities_from_sums(n, x, per_pair, G, w->P);
  return G;
}

/* Security D_i = sum_{j != i} EU(j -> i; 1) with the P of the risk pass. */
static double security(const eu_ctx *c, size_t n, size_t i, const double *P) {
  double D = 0.0;
  for (size_t j = 0; j < n; j++)
    if (j != i) D += eu(c, j, i, P[j * n + i], 1.0);
  return D;
}

/* security() of the fast path at Q = 1 without calls: eu()'s operations at
 * rho = 1 in its order, less "- Q Uq" = "- +0" (no value changes). */
static double security_linear(const eu_ctx *c, size_t n, size_t i,
                              const double *P, const double *dm) {
  double s = c->sal[i], D = 0.0;
  for (size_t j = 0; j < n; j++) {
    if (j == i) continue;
    double d = dm[i * n + j]; /* clamp01(|x_j - x_i| / R) */
    double Us = 2.0 - 4.0 * (0.5 - 0.5 * d);
    double Uf = 2.0 - 4.0 * (0.5 + 0.5 * d);
    double p = P[j * n + i];
    D += s * (p * Us + (1.0 - p) * Uf) + (1.0 - s) * Us;
  }
  return D;
}

static void risk_from_security(size_t n, const double *D, double *R,
                               double *r) {
  double dmax = D[0], dmin = D[0];
  for (size_t i = 1; i < n; i++) {
    if (D[i] > dmax) dmax = D[i];
    if (D[i] < dmin) dmin = D[i];
  }
  for (size_t i = 0; i < n; i++) {
    R[i] = dmax > dmin ? (2.0 * D[i] - dmax - dmin) / (dmax - dmin) : 0.0;
    r[i] = (1.0 - R[i] / 3.0) / (1.0 + R[i] / 3.0);
  }
}

/* risk_norm=own_positions (option A6): for each i, D_i is recomputed with
 * i placed at every distinct current position; R_i is normalised against
 * i's own best and worst.  O(n^2) per (i, position) using an incremental G
 * update, O(n^4) per round at worst. */
static void risk_own_positions(size_t n, const double *x, double range,
                               const ent_eum_opts *o, double mu,
                               const double *sal, ent_eum_work *w) {
  double *xa = w->xalt;
  for (size_t i = 0; i < n; i++) {
    double dmax = w->D[i], dmin = w->D[i];
    for (size_t p = 0; p < n; p++) {
      if (x[p] == x[i]) continue;
      int seen = 0;
      for (size_t q = 0; q < p; q++)
        if (x[q] == x[p]) seen = 1;
      if (seen) continue;
      memcpy(xa, x, n * sizeof *xa);
      xa[i] = x[p];
      /* G and P(j, i) for the altered configuration, exponents 1. */
      double G = 0.0;
      if (!o->prob_pair) {
        for (size_t k = 0; k < n; k++) {
          if (w->w[k] == 0.0) continue;
          double s = 0.0;
          for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
              s += fabs(clamp01(fabs(xa[k] - xa[a]) / range) -
                        clamp01(fabs(xa[k] - xa[b]) / range));
          G += w->w[k] * 2.0 * s;
        }
      }
      eu_ctx c = {xa, sal, range, o->Q, mu};
      double D = 0.0;
      for (size_t j = 0; j < n; j++) {
        if (j == i) continue;
        double P = 0.0;
        if (xa[j] != xa[i]) {
          double pos = 0.0, neg = 0.0;
          for (size_t k = 0; k < n; k++) {
            double v = w->w[k] * (clamp01(fabs(xa[k] - xa[i]) / range) -
                                  clamp01(fabs(xa[k] - xa[j]) / range));
            pos += v > 0.0 ? v : 0.0;
            neg += v < 0.0 ? -v : 0.0;
          }
          double den = o->prob_pair ? pos + neg : G;
          P = den > 0.0 ? pos / den : 0.0;
        }
        D += eu(&c, j, i, P, 1.0);
      }
      if (D > dmax) dmax = D;
      if (D < dmin) dmin = D;
    }
    w->R[i] = dmax > dmin ? (2.0 * w->D[i] - dmax - dmin) / (dmax - dmin) : 0.0;
    w->r[i] = (1.0 - w->R[i] / 3.0) / (1.0 + w->R[i] / 3.0);
  }
}

/* Classify (a, b) from i's view (section 4 table, strict inequalities). */
static inline __attribute__((always_inline)) ent_eum_region
classify(double a, double b) {
  if (a > 0.0 && b > 0.0)
    return b > a ? ENT_REGION_CONFRONT_I_MOVES : ENT_REGION_CONFRONT_J_MOVES;
  if (a < 0.0 && b > 0.0) {
    if (b > -a) return ENT_REGION_COMPROMISE_I_MOVES;
    if (-a > b) return ENT_REGION_CAPITULATE_I_MOVES;
    return ENT_REGION_NONE;
  }
  if (b < 0.0 && a > 0.0) {
    if (a > -b) return ENT_REGION_COMPROMISE_J_MOVES;
    return ENT_REGION_CAPITULATE_J_MOVES; /* |b| >= a */
  }
  if (a < 0.0 && b < 0.0) return ENT_REGION_STALEMATE;
  return ENT_REGION_NONE;
}

/* Step 2 for receiver i: a_ij, b_ij and the region of every counterpart
 * j, and the best offer to i (w->best[i], -1 for none).  Rows are
 * independent: they may run on several threads. */
static void decide_row(const ent_eum_opts *o, const eu_ctx *cp, size_t n,
                       size_t i, int degenerate, ent_eum_trace *tr,
                       ent_eum_work *w) {
  const eu_ctx c = *cp;
  const double *x = c.x;
  double range = c.range;
  /* Us, Uf of (i, j) by j, for a later j at the same position (same d,
   * same exponent r_i: the same calls); small n only */
  double row_us[EUM_ROW_SHARE], row_uf[EUM_ROW_SHARE];
  int share = !w->reference && n <= EUM_ROW_SHARE;
  w->best[i] = -1;
  for (size_t j = 0; j < n; j++) {
    size_t ij = i * n + j;
    if (j == i || degenerate || x[i] == x[j]) {
      if (tr && tr->region)
        tr->region[ij] = j == i ? ENT_REGION_NONE : ENT_REGION_SAME_POSITION;
      if (tr && tr->a) tr->a[ij] = 0.0;
      if (tr && tr->b) tr->b[ij] = 0.0;
      if (tr && tr->c) tr->c[ij] = 0.0;
      continue;
    }
    double a, b;
    if (w->reference) {
      a = eu(&c, i, j, w->P[ij], w->r[i]);
      b = eu(&c, j, i, w->P[j * n + i], o->b_own ? w->r[j] : w->r[i]);
    } else {
      /* a_ij and b_ij share the distance; under b_exponent=receiver
       * (or equal exponents) also Us, Uf and Uq: 2 pow calls, not 6 */
      double ri = w->r[i], rb = o->b_own ? w->r[j] : ri;
      double d = clamp01(fabs(x[i] - x[j]) / range), Us, Uf;
      if (share && (size_t)w->rep[j] < j) { /* x_rep[j] == x_j != x_i */
        Us = row_us[w->rep[j]];
        Uf = row_uf[w->rep[j]];
      } else {
        eu_success_failure(d, ri, &Us, &Uf, 0);
      }
      if (share) {
        row_us[j] = Us;
        row_uf[j] = Uf;
      }
      a = eu_from(&c, i, j, w->P[ij], ri, d, Us, Uf, w->uq[i]);
      if (rb != ri) {
        eu_success_failure(d, rb, &Us, &Uf, 0);
        b = eu_from(&c, j, i, w->P[j * n + i], rb, d, Us, Uf, w->uq[j]);
      } else {
        b = eu_from(&c, j, i, w->P[j * n + i], rb, d, Us, Uf, w->uq[i]);
      }
    }
    ent_eum_region reg = classify(a, b);
    if (tr && tr->region) tr->region[ij] = (uint8_t)reg;
    if (tr && tr->a) tr->a[ij] = a;
    if (tr && tr->b) tr->b[ij] = b;
    if (tr && tr->c) tr->c[ij] = eu(&c, j, i, w->P[j * n + i], w->r[j]);

    /* Offers to i, ranked: type (conflict < compromise < capitulation),
     * then the key of that type; first j wins ties. */
    int type;
    double pos, key;
    if (reg == ENT_REGION_CONFRONT_I_MOVES) {
      type = ENT_MOVE_CONFLICT;
      pos = x[j];
      key = fabs(x[j] - x[i]);
    } else if (reg == ENT_REGION_COMPROMISE_I_MOVES) {
      type = ENT_MOVE_COMPROMISE;
      pos = x[i] + (x[j] - x[i]) * (fabs(a) / b);
      key = o->least_move ? fabs(pos - x[i])
                          : (fabs(a) * x[i] + fabs(b) * x[j]) /
                                (fabs(a) + fabs(b));
    } else if (reg == ENT_REGION_CAPITULATE_I_MOVES && o->capitulation) {
      type = ENT_MOVE_CAPITULATION;
      pos = x[j];
      key = fabs(x[j] - x[i]);
    } else {
      continue;
    }
    if (w->best[i] < 0 || type < w->btype[i] ||
        (type == w->btype[i] && key < w->bkey[i])) {
      w->best[i] = (int)j;
      w->btype[i] = type;
      w->bkey[i] = key;
      w->bpos[i] = pos;
      w->ba[i] = a;
      w->bb[i] = b;
    }
  }
}

/* 1 if Us, Uf at distance d under exponent r call pow (eu_success_failure). */
static int row_pow(double r, double d) { return !(r == 1.0 || (d == 1.0 && r > 0.0)); }

/* The decision pass's powers in one batch (eum_vpow.h), in the order
 * decide_row_fast takes them: 0.5^r_k of every k (eu_status_quo), then
 * row by row the two bases of each counterpart whose Us, Uf call pow.
 * Their values in w->bat, the batch's count returned. */
static size_t decide_pows(size_t n, const double *x, ent_eum_work *w) {
  double *bx = w->bat, *by = w->bat + 2 * n * n;
  size_t m = 0;
  for (size_t k = 0; k < n; k++, m++) {
    bx[m] = 0.5;
    by[m] = w->r[k];
  }
  if (n <= 8 && w->vpow >= 8)
    m += ent_eum_rows_pows(n, x, w->dm, w->r, w->rep, bx + m, by + m);
  else
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++) {
        double d = w->dm[i * n + j];
        if (j == i || x[i] == x[j] || (size_t)w->rep[j] != j ||
            !row_pow(w->r[i], d))
          continue;
        bx[m] = 0.5 - 0.5 * d;
        by[m++] = w->r[i];
        bx[m] = 0.5 + 0.5 * d;
        by[m++] = w->r[i];
      }
  ent_eum_pow_many(bx, 1, by, 1, bx, m, w->vpow);
  return m;
}

/* decide_row's fast path for n <= EUM_ROW_SHARE (not degenerate), the
 * same operations on the same values: first the row's powers -- Us and
 * Uf of each counterpart at another position, once a position (a later
 * actor at the same position has the same d and exponent r_i) -- in a
 * loop that keeps little alive across the calls, then a_ij, b_ij, the
 * regions and the offers with no call (but b_exponent=own's).  Row d of
 * the distances from `dm`. */
static void decide_row_fast(const ent_eum_opts *o, const eu_ctx *cp, size_t n,
                            size_t i, ent_eum_trace *tr, ent_eum_work *w,
                            const double **pv) {
  const eu_ctx c = *cp;
  const double *x = c.x, *dm = w->dm + i * n, *P = w->P, *r = w->r;
  const int *rep = w->rep;
  const double xi = x[i], ri = r[i], uqi = w->uq[i];
  double us[EUM_ROW_SHARE], uf[EUM_ROW_SHARE];
  double (*pw)(double, double) = ent_eum_pow_fn();
  /* a_ij and b_ij of every j at once where eu_from is its first line
   * alone (Q >= 1, b_exponent=receiver) */
  double av[8], bv[8];
  int vec = n <= 8 && w->vpow >= 8 && pv && !o->b_own && !(c.Q < 1.0);
  if (vec)
    ent_eum_rows_eu(n, i, x, dm, ri, c.sal, P, rep, c.Q, uqi, pv, av, bv);
  for (size_t j = 0; j < n && !vec; j++) /* eu_success_failure(d, ri, ..) */
    if (j != i && !(xi == x[j]) && (size_t)rep[j] == j) {
      double d = dm[j];
      if (!row_pow(ri, d)) {
        eu_success_failure(d, ri, &us[j], &uf[j], 0);
      } else if (pv) { /* the batch's values (decide_pows) */
        us[j] = 2.0 - 4.0 * (*pv)[0];
        uf[j] = 2.0 - 4.0 * (*pv)[1];
        *pv += 2;
      } else {
        us[j] = 2.0 - 4.0 * pw(0.5 - 0.5 * d, ri);
        uf[j] = 2.0 - 4.0 * pw(0.5 + 0.5 * d, ri);
      }
    }
  uint8_t *treg = tr ? tr->region : NULL;
  double *ta = tr ? tr->a : NULL, *tb = tr ? tr->b : NULL;
  double *tc = tr ? tr->c : NULL;
  int best = -1, btype = 0;
  double bkey = 0.0, bpos = 0.0, ba = 0.0, bb = 0.0;
  /* lanes (no c trace): regions and trace at once, then the offers alone */
  int vreg = vec && !tc;
  uint8_t rg[8];
  unsigned offers =
      vreg ? ent_eum_rows_regions(n, i, x, av, bv, o->capitulation, rg, treg, ta, tb) : 0;
  for (size_t j = 0; j < n; j++) {
    size_t ij = i * n + j;
    double a, b;
    ent_eum_region reg;
    if (vreg) {
      if (!(offers >> j & 1u)) continue;
      a = av[j];
      b = bv[j];
      reg = (ent_eum_region)rg[j];
    } else {
      if (j == i || xi == x[j]) {
        if (treg) treg[ij] = j == i ? ENT_REGION_NONE : ENT_REGION_SAME_POSITION;
        if (ta) ta[ij] = 0.0;
        if (tb) tb[ij] = 0.0;
        if (tc) tc[ij] = 0.0;
        continue;
      }
      if (vec) {
        a = av[j];
        b = bv[j];
      } else {
        double d = dm[j], Us = us[rep[j]], Uf = uf[rep[j]]; /* x_rep[j] == x_j */
        double rb = o->b_own ? r[j] : ri;
        a = eu_from(&c, i, j, P[ij], ri, d, Us, Uf, uqi);
        if (rb != ri) {
          eu_success_failure(d, rb, &Us, &Uf, 0);
          b = eu_from(&c, j, i, P[j * n + i], rb, d, Us, Uf, w->uq[j]);
        } else {
          b = eu_from(&c, j, i, P[j * n + i], rb, d, Us, Uf, uqi);
        }
      }
      reg = classify(a, b);
      if (treg) treg[ij] = (uint8_t)reg;
      if (ta) ta[ij] = a;
      if (tb) tb[ij] = b;
      if (tc) tc[ij] = eu(&c, j, i, P[j * n + i], r[j]);
    }
    int type; /* as decide_row ranks the offers */
    double pos, key;
    if (reg == ENT_REGION_CONFRONT_I_MOVES) {
      type = ENT_MOVE_CONFLICT;
      pos = x[j];
      key = fabs(x[j] - xi);
    } else if (reg == ENT_REGION_COMPROMISE_I_MOVES) {
      type = ENT_MOVE_COMPROMISE;
      pos = xi + (x[j] - xi) * (fabs(a) / b);
      key = o->least_move ? fabs(pos - xi)
                          : (fabs(a) * xi + fabs(b) * x[j]) /
                                (fabs(a) + fabs(b));
    } else if (reg == ENT_REGION_CAPITULATE_I_MOVES && o->capitulation) {
      type = ENT_MOVE_CAPITULATION;
      pos = x[j];
      key = fabs(x[j] - xi);
    } else {
      continue;
    }
    if (best < 0 || type < btype || (type == btype && key < bkey)) {
      best = (int)j;
      btype = type;
      bkey = key;
      bpos = pos;
      ba = a;
      bb = b;
    }
  }
  w->best[i] = best;
  if (best >= 0) {
    w->btype[i] = btype;
    w->bkey[i] = bkey;
    w->bpos[i] = bpos;
    w->ba[i] = ba;
    w->bb[i] = bb;
  }
}

/* Long: one round of the model in the specification's order (eum.md s3:
 * risk pass, probabilities, expected utilities, offers, decisions), with
 * the fast kernel and its exact fallback side by side; splitting it would
 * scatter the order the reference numbers depend on. */
int ent_eum_round(const ent_eum_problem *pb, const ent_eum_opts *o,
                  double range, const double *x, double *x_next,
                  ent_eum_trace *tr, ent_eum_work *w) {
  size_t n = pb->n;
  memcpy(x_next, x, n * sizeof *x);
  if (tr) tr->n_moves = 0;
  for (size_t i = 0; i < n; i++) {
    w->w[i] = pb->cap[i] * pb->sal[i];
    w->r[i] = 1.0;
    w->D[i] = 0.0;
    w->R[i] = 0.0;
  }
  int degenerate = !(range > 0.0) || n < 2;
  double mu = 0.0;
  if (!degenerate)
    mu = o->mu_mean     ? ent_eum_weighted_mean(pb, x)
         : w->med_x == x ? w->med /* the run's last median */
                         : ent_eum_weighted_median(pb, x, w);
  w->med_x = NULL;

  if (!w->reference && !degenerate && n <= 8 && w->vpow >= 8)
    ent_eum_rows_dist(n, x, range, w->dm, w->rep);
  else if (!w->reference && !degenerate) /* first actor at each position, */
    for (size_t a = 0; a < n; a++) { /* the distances (|x_a - x_k| alike) */
      size_t b = 0;
      while (b < a && !(x[b] == x[a])) b++;
      w->rep[a] = (int)b;
      double *da = w->dm + a * n;
      da[a] = 0.0;
      for (size_t k = a + 1; k < n; k++)
        da[k] = w->dm[k * n + a] = clamp01(fabs(x[k] - x[a]) / range);
    }
  /* Step 1: risk pass, all exponents 1. */
  if (!degenerate) {
    for (size_t k = 0; k < n; k++) w->rho[k] = 1.0;
    double G = prepare_pass(n, x, range, w->rho, o->prob_pair, w);
    if (tr) tr->G_risk = G;
    eu_ctx c = {x, pb->sal, range, o->Q, mu};
    if (!w->reference && o->Q == 1.0 && n <= 8 && w->vpow >= 8)
      ent_eum_rows_security(n, pb->sal, w->P, w->dm, w->D);
    else if (!w->reference && o->Q == 1.0)
      for (size_t i = 0; i < n; i++)
        w->D[i] = security_linear(&c, n, i, w->P, w->dm);
    else
      for (size_t i = 0; i < n; i++) w->D[i] = security(&c, n, i, w->P);
    risk_from_security(n, w->D, w->R, w->r);
    if (o->risk_own) risk_own_positions(n, x, range, o, mu, pb->sal, w);
  }
  if (tr) {
    if (tr->r) memcpy(tr->r, w->r, n * sizeof *w->r);
    if (tr->D) memcpy(tr->D, w->D, n * sizeof *w->D);
    if (tr->R) memcpy(tr->R, w->R, n * sizeof *w->R);
  }

  /* Step 2: decision pass with exponents r. */
  if (!degenerate) {
    for (size_t k = 0; k < n; k++) w->rho[k] = o->votes_linear ? 1.0 : w->r[k];
    double G = prepare_pass(n, x, range, w->rho, o->prob_pair, w);
    if (tr) tr->G_decision = G;
    if (tr && tr->P) memcpy(tr->P, w->P, n * n * sizeof *w->P);
  }
  eu_ctx c = {x, pb->sal, range, o->Q, mu};
  /* the powers of the decisions: in one batch (small n), else calls */
  int batch = !w->reference && !degenerate && w->bat && n <= EUM_ROW_SHARE;
  const double *pv = batch && decide_pows(n, x, w) ? w->bat : NULL;
  if (!w->reference && !degenerate)
    for (size_t k = 0; k < n; k++) /* eu_status_quo, unwrapped pow */
      w->uq[k] = w->r[k] == 1.0 ? 0.0
                 : 2.0 - 4.0 * (pv ? pv[k] : ent_eum_pow(0.5, w->r[k]));
  if (pv) pv += n;
  int movers = 0;
#ifdef _OPENMP
  if (w->threads > 1 && n >= EUM_PAR_MIN) {
#pragma omp parallel for schedule(static) num_threads(w->threads)
    for (size_t i = 0; i < n; i++) decide_row(o, &c, n, i, degenerate, tr, w);
  } else
#endif
  {
    if (!w->reference && !degenerate && n <= EUM_ROW_SHARE)
      for (size_t i = 0; i < n; i++)
        decide_row_fast(o, &c, n, i, tr, w, pv ? &pv : NULL);
    else
      for (size_t i = 0; i < n; i++) decide_row(o, &c, n, i, degenerate, tr, w);
  }
  /* Step 3: apply every accepted offer at once. */
  for (size_t i = 0; i < n; i++) {
    if (w->best[i] < 0) continue;
    x_next[i] = w->bpos[i];
    if (tr && tr->moves) {
      ent_eum_move *m = &tr->moves[tr->n_moves++];
      m->round = 0;
      m->mover = (int)i;
      m->toward = w->best[i];
      m->type = (ent_eum_move_type)w->btype[i];
      m->a = w->ba[i];
      m->b = w->bb[i];
      m->from = x[i];
      m->to = w->bpos[i];
    }
    movers++;
  }
  return movers;
}

/* ------------------------------------------------------------ runs */

void ent_eum_hist_free(ent_eum_hist *h) {
  if (!h) return;
  ent_free(h->x);
  ent_free(h->r);
  ent_free(h->mean);
  ent_free(h->median);
  ent_free(h->moves);
  ent_free(h->region);
  ent_free(h->last_a);
  ent_free(h->last_b);
  ent_free(h);
}

void ent_eum_work_recycle(ent_eum_work *w, ent_eum_hist *h) {
  if (!w) {
    ent_eum_hist_free(h);
    return;
  }
  if (w->spare == h) return;
  ent_eum_hist_free(w->spare);
  w->spare = h;
}

/* A history for n actors and up to T rounds, as freshly allocated: the
 * workspace's spare when it fits (its arrays kept, every other field and
 * last_a, last_b cleared), else a new one.  NULL when out of memory. */
static ent_eum_hist *hist_new(size_t n, size_t T);

static ent_eum_hist *hist_take(ent_eum_work *w, size_t n, size_t T) {
  ent_eum_hist *h = w->spare;
  w->spare = NULL;
  if (h && h->n == n && h->cap_rounds >= T) {
    ent_eum_hist keep = *h;
    memset(h, 0, sizeof *h);
    h->n = n;
    h->x = keep.x;
    h->r = keep.r;
    h->mean = keep.mean;
    h->median = keep.median;
    h->moves = keep.moves;
    h->cap_moves = keep.cap_moves;
    h->region = keep.region;
    h->last_a = keep.last_a;
    h->last_b = keep.last_b;
    h->cap_rounds = keep.cap_rounds;
    memset(h->last_a, 0, n * n * sizeof *h->last_a);
    memset(h->last_b, 0, n * n * sizeof *h->last_b);
    return h;
  }
  ent_eum_hist_free(h);
  return hist_new(n, T);
}

/* A new history for n actors and up to T rounds (NULL: out of memory). */
static ent_eum_hist *hist_new(size_t n, size_t T) {
  ent_eum_hist *h = ent_calloc(1, sizeof *h);
  if (!h) return NULL;
  h->n = n;
  h->cap_rounds = T;
  h->x = ent_mallocarray((T + 1) * n, sizeof(double));
  h->r = ent_mallocarray(T ? T * n : 1, sizeof(double));
  h->mean = ent_mallocarray(T + 1, sizeof(double));
  h->median = ent_mallocarray(T + 1, sizeof(double));
  h->region = ent_mallocarray(T ? T * n * n : 1, 1);
  h->last_a = ent_calloc(n * n, sizeof(double));
  h->last_b = ent_calloc(n * n, sizeof(double));
  if (!h->x || !h->r || !h->mean || !h->median || !h->region || !h->last_a ||
      !h->last_b) {
    ent_eum_hist_free(h);
    return NULL;
  }
  return h;
}

/* A hash of the positions for the cycle check, one multiply per value:
 * only a filter -- a cycle is found by comparing the positions
 * themselves (memcmp), so any function of the bits gives the same
 * result. */
static uint64_t hash_positions(const double *x, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    double v = x[i] == 0.0 ? 0.0 : x[i];
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    h = (h ^ bits) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 29;
  }
  return h;
}

static double initial_range(const ent_eum_opts *o, const double *x, size_t n) {
  if (o->range == ENT_EUM_RANGE_FIXED) return o->range_value;
  double lo = x[0], hi = x[0];
  for (size_t i = 1; i < n; i++) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  return hi - lo;
}

/* Copy the played part of history s into d (as many actors; d holds at
 * least s's rounds).  Returns 0, or -1 if d's moves cannot grow. */
static int hist_copy(ent_eum_hist *d, const ent_eum_hist *s) {
  size_t n = s->n, T = (size_t)s->n_rounds;
  if (s->n_moves > d->cap_moves) {
    ent_eum_move *nm = ent_realloc(d->moves, s->n_moves * sizeof *nm);
    if (!nm) return -1;
    d->moves = nm;
    d->cap_moves = s->n_moves;
  }
  memcpy(d->x, s->x, (T + 1) * n * sizeof *d->x);
  memcpy(d->r, s->r, T * n * sizeof *d->r);
  memcpy(d->mean, s->mean, (T + 1) * sizeof *d->mean);
  memcpy(d->median, s->median, (T + 1) * sizeof *d->median);
  if (s->n_moves) memcpy(d->moves, s->moves, s->n_moves * sizeof *d->moves);
  memcpy(d->region, s->region, T * n * n);
  memcpy(d->last_a, s->last_a, n * n * sizeof *d->last_a);
  memcpy(d->last_b, s->last_b, n * n * sizeof *d->last_b);
  d->n_rounds = s->n_rounds;
  d->range = s->range;
  d->n_moves = s->n_moves;
  d->stopped = s->stopped;
  d->cycle_start = s->cycle_start;
  d->cycle_period = s->cycle_period;
  d->median_min = s->median_min;
  d->median_max = s->median_max;
  d->converged = s->converged;
  return 0;
}

/* Runs this short are kept for the next run on the same workspace: in a
 * forecast an issue's run often has exactly the inputs of the one before
 * (10 % of the built-in forecast's runs: a year's positions, capabilities
 * and saliences as the last year's).  A run is a function of its inputs
 * alone, so the kept history is what the run would compute, bit for
 * bit. */
#define EUM_MEMO_ROUNDS 16

/* 1 if the workspace kept a run with exactly these inputs (the same bits:
 * -0 and +0 differ, so such a run is computed again). */
static int memo_same(const ent_eum_work *w, const ent_eum_problem *pb,
                     const ent_eum_opts *o, const double *x0) {
  size_t n = pb->n;
  return w->memo_ok && w->memo_n == n && w->memo_ref == w->reference &&
         !memcmp(&w->memo_opts, o, sizeof *o) &&
         !memcmp(w->memo_in, pb->cap, n * sizeof *x0) &&
         !memcmp(w->memo_in + n, pb->sal, n * sizeof *x0) &&
         !memcmp(w->memo_in + 2 * n, x0, n * sizeof *x0);
}

/* Keep run h and its inputs (nothing is kept if memory is short). */
static void memo_keep(ent_eum_work *w, const ent_eum_problem *pb,
                      const ent_eum_opts *o, const double *x0,
                      const ent_eum_hist *h) {
  size_t n = pb->n, T = (size_t)o->rounds;
  w->memo_ok = 0;
  if (T > EUM_MEMO_ROUNDS) return;
  if (w->memo && (w->memo->n != n || w->memo->cap_rounds < T)) {
    ent_eum_hist_free(w->memo);
    w->memo = NULL;
  }
  if (!w->memo_in) w->memo_in = ent_mallocarray(3 * w->cap, sizeof *x0);
  if (!w->memo) w->memo = hist_new(n, EUM_MEMO_ROUNDS);
  if (!w->memo_in || !w->memo || hist_copy(w->memo, h)) return;
  memcpy(w->memo_in, pb->cap, n * sizeof *x0);
  memcpy(w->memo_in + n, pb->sal, n * sizeof *x0);
  memcpy(w->memo_in + 2 * n, x0, n * sizeof *x0);
  w->memo_opts = *o;
  w->memo_n = n;
  w->memo_ref = w->reference;
  w->memo_ok = 1;
}

ent_status ent_eum_run(const ent_eum_problem *pb, const ent_eum_opts *o,
                       const double *x0, ent_eum_hist **out) {
  *out = NULL;
  if (pb->n < 1 || o->rounds < 0) return ENT_EINVAL;
  ent_eum_work *w = ent_eum_work_alloc(pb->n);
  if (!w) return ENT_ENOMEM;
  ent_status st = ent_eum_run_work(pb, o, x0, w, out);
  ent_eum_work_free(w);
  return st;
}

ent_status ent_eum_run_work(const ent_eum_problem *pb, const ent_eum_opts *o,
                            const double *x0, ent_eum_work *w,
                            ent_eum_hist **out) {
  *out = NULL;
  size_t n = pb->n;
  if (n < 1 || o->rounds < 0 || !w || n > w->cap) return ENT_EINVAL;
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x0[i]) || !isfinite(pb->cap[i]) || !isfinite(pb->sal[i]) ||
        pb->cap[i] < 0.0 || pb->sal[i] < 0.0 || pb->sal[i] > 1.0)
      return ENT_EINVAL;
  size_t T = (size_t)o->rounds;
  ent_eum_hist *h = hist_take(w, n, T);
  if (!h) goto nomem;
  if (memo_same(w, pb, o, x0)) { /* the last run again */
    if (hist_copy(h, w->memo)) goto nomem;
    *out = h;
    return ENT_OK;
  }
  if (w->cap_hashes < T + 1) { /* grows once per workspace and round limit */
    uint64_t *nh = ent_realloc(w->hashes, (T + 1) * sizeof *nh);
    if (!nh) goto nomem;
    w->hashes = nh;
    w->cap_hashes = T + 1;
  }
  uint64_t *hashes = w->hashes;
  ent_eum_move *mv = w->mv;
  memcpy(h->x, x0, n * sizeof *x0);
  h->mean[0] = ent_eum_weighted_mean(pb, x0);
  h->median[0] = ent_eum_weighted_median(pb, x0, w);
  h->range = initial_range(o, x0, n);
  hashes[0] = hash_positions(x0, n);
  h->cycle_start = h->cycle_period = -1;
  h->stopped = ENT_EUM_STOPPED_ROUNDS;
  int stable = 0;
  for (size_t t = 1; t <= T; t++) {
    const double *x = h->x + (t - 1) * n;
    double *xn = h->x + t * n;
    double range = o->range == ENT_EUM_RANGE_CURRENT ? initial_range(o, x, n)
                                                      : h->range;
    ent_eum_trace tr = {0};
    w->med_x = x, w->med = h->median[t - 1];
    tr.r = h->r + (t - 1) * n;
    tr.region = h->region + (t - 1) * n * n;
    tr.a = h->last_a;
    tr.b = h->last_b;
    tr.moves = mv;
    int movers = ent_eum_round(pb, o, range, x, xn, &tr, w);
    if (tr.n_moves) {
      if (h->n_moves + (size_t)tr.n_moves > h->cap_moves) {
        size_t nc = h->cap_moves ? 2 * h->cap_moves : 4 * n;
        while (nc < h->n_moves + (size_t)tr.n_moves) nc *= 2;
        ent_eum_move *nm = ent_realloc(h->moves, nc * sizeof *nm);
        if (!nm) goto nomem;
        h->moves = nm;
        h->cap_moves = nc;
      }
      for (int k = 0; k < tr.n_moves; k++) { /* the round set in place: */
        h->moves[h->n_moves] = mv[k];  /* a store into mv[k] just before */
        h->moves[h->n_moves++].round = (int)t; /* copying it stalls */
      }
    }
    h->mean[t] = ent_eum_weighted_mean(pb, xn);
    h->median[t] = ent_eum_weighted_median(pb, xn, w);
    h->n_rounds = (int)t;
    int stop = 0;
    if (o->cycle != ENT_EUM_CYCLE_OFF && h->cycle_start < 0) {
      hashes[t] = hash_positions(xn, n);
      for (size_t s = 0; s < t; s++)
        if (hashes[s] == hashes[t] &&
            memcmp(h->x + s * n, xn, n * sizeof *xn) == 0) {
          h->cycle_start = (int)s;
          h->cycle_period = (int)(t - s);
          if (o->cycle == ENT_EUM_CYCLE_STOP) {
            h->stopped = ENT_EUM_STOPPED_CYCLE;
            stop = 1;
          }
          break;
        }
    }
    if (!stop && o->stop == ENT_EUM_STOP_NO_MOVE && movers == 0) {
      h->stopped = ENT_EUM_STOPPED_NO_MOVE;
      stop = 1;
    }
    if (!stop && o->stop == ENT_EUM_STOP_MEDIAN_STABLE) {
      stable = fabs(h->median[t] - h->median[t - 1]) < o->stop_eps ? stable + 1
                                                                    : 0;
      if (stable >= o->stop_k) {
        h->stopped = ENT_EUM_STOPPED_MEDIAN_STABLE;
        stop = 1;
      }
    }
    if (stop) break;
  }
  /* Read-out over the last `window` rounds (section 5). */
  int last = h->n_rounds, first = last - o->window + 1;
  if (first < 0) first = 0;
  h->median_min = h->median_max = h->median[last];
  for (int t = first; t <= last; t++) {
    if (h->median[t] < h->median_min) h->median_min = h->median[t];
    if (h->median[t] > h->median_max) h->median_max = h->median[t];
  }
  double tol = 1e-9 * (h->range > 0.0 ? h->range : 1.0);
  /* A fixed point (no move, or a cycle of period 1) has converged even if
   * the window still reaches back to the last move. */
  h->converged = h->median_max - h->median_min <= tol ||
                 h->stopped == ENT_EUM_STOPPED_NO_MOVE ||
                 h->stopped == ENT_EUM_STOPPED_MEDIAN_STABLE ||
                 h->cycle_period == 1;
  memo_keep(w, pb, o, x0, h);
  *out = h;
  return ENT_OK;
nomem:
  ent_eum_hist_free(h);
  return ENT_ENOMEM;
}
