/*
 * smp.c -- KTAB's Spatial Model of Politics; the specification is
 * shared/models/smp.md (user page: docs/models/smp.md).  Section numbers
 * (§) refer to smp.md.  See smp.h for the layers and invariants.
 *
 * Bit-for-bit agreement with KTAB (§11): binary64 throughout, no FMA
 * contraction (the build passes -ffp-contract=off), every sum and product
 * evaluated left to right in ascending index order exactly as the spec
 * writes it, powers as repeated products, no reordering for speed.  Speed
 * comes from doing less, not from reassociating:
 *   - only the challenge estimates the dynamics use are computed (h = k = i
 *     for every pair, plus h = j for the chosen target when BargnModel
 *     needs it): O(N^3) per turn instead of KTAB's O(N^4) (§9.2);
 *   - the N perspective matrices U^h (N^3 numbers) are never stored: the
 *     kernel rebuilds U^i(n, j) = f(D(n, j), ρ(R_i, R_n)) on the fly from
 *     D (N^2) and ρ (N^2), which is the same arithmetic on the same
 *     operands, hence the same doubles;
 *   - KTAB's §4.4 sanity norms use the identity
 *     f(d, a) - f(d, b) = (1 - d) d (a - b), which makes every
 *     ‖U^h - Ū‖_F an O(N) sum of per-actor terms computed once (O(N^2)).
 *     These norms only feed a threshold test, never the history.
 *   - each bargain's utility vector is computed once and shared by the two
 *     queues that hold it;
 *   - independent sums (4 targets j in the challenge kernel, 4 option pairs
 *     in coalitions, 4 voters in bargain utilities) advance side by side in
 *     SIMD lanes, each lane doing the scalar operations in the scalar order
 *     (see "SIMD lanes" below); where the CPU has AVX2 the challenge
 *     kernel (a whole block of targets: principals, third parties,
 *     expected change), the kernel rows, the utility sums of a turn, the
 *     Conditional PCE's products (up to 8 options) and the coalitions of
 *     elections of up to SMP_COAL_T_MAX options (their utilities
 *     voter-major, CT) take 4 lanes in one vector, and 8 where it has
 *     AVX-512F/DQ (coalitions of more than 4 options); the scalar forms
 *     stay as the reference and the tests check all forms agree bit for
 *     bit.
 *
 * Memory layout: D[a*ld + b] = D_a(x_b) with ld = N rounded up to 8, the
 * widest kernel's lanes (zero padding), so D(n, j..j+7) is one contiguous
 * load; Uown has the same stride (zero padding).  The evaluation's
 * elections read voter-major tables (1 - D, Uown) where the vector
 * coalitions run; otherwise DT (the transpose of D) and VT give
 * option-major rows.  Queue elections are option-major (one row of N
 * voter utilities per option); UownT[n*N + a] = U^a(a, n) is contiguous
 * in the voter a.
 */
#include "strategic/smp_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ============================================================ PRNG (§8) */

enum { MT_NN = 312, MT_MM = 156 };
#define MT_MATRIX_A UINT64_C(0xB5026F5AA96619E9)
#define MT_UPPER UINT64_C(0xFFFFFFFF80000000) /* most significant 33 bits */
#define MT_LOWER UINT64_C(0x000000007FFFFFFF) /* least significant 31 bits */

void ent_smp_rng_seed(ent_smp_rng *r, uint64_t seed) {
  r->mt[0] = seed;
  for (int i = 1; i < MT_NN; i++)
    r->mt[i] = UINT64_C(6364136223846793005) *
                   (r->mt[i - 1] ^ (r->mt[i - 1] >> 62)) +
               (uint64_t)i;
  r->idx = MT_NN;
  r->pending = 0;
}

void ent_smp_rng_seed_lazy(ent_smp_rng *r, uint64_t seed) {
  r->pending = 1;
  r->seed = seed;
}

static void mt_refill(ent_smp_rng *r) {
  uint64_t *mt = r->mt;
  for (int i = 0; i < MT_NN; i++) {
    uint64_t y = (mt[i] & MT_UPPER) | (mt[(i + 1) % MT_NN] & MT_LOWER);
    uint64_t v = mt[(i + MT_MM) % MT_NN] ^ (y >> 1);
    if (y & 1u) v ^= MT_MATRIX_A;
    mt[i] = v;
  }
  r->idx = 0;
}

uint64_t ent_smp_rng_raw(ent_smp_rng *r) {
  if (r->pending) ent_smp_rng_seed(r, r->seed);
  if (r->idx >= MT_NN) mt_refill(r);
  uint64_t x = r->mt[r->idx++];
  x ^= (x >> 29) & UINT64_C(0x5555555555555555);
  x ^= (x << 17) & UINT64_C(0x71D67FFFEDA60000);
  x ^= (x << 37) & UINT64_C(0xFFF7EEE000000000);
  x ^= x >> 43;
  return x;
}

double ent_smp_rng_uniform(ent_smp_rng *r) {
  uint64_t n = ent_smp_rng_raw(r);
  uint64_t s = (n + UINT64_C(0xE08C1D668B756F83)) * (2 * n + 3);
  double u = (double)s / (double)UINT64_MAX; /* divisor rounds to 2^64 */
  return 0.0 + (1.0 - 0.0) * u;
}

/* ============================================================ work */


static void work_free_arrays(ent_smp_work *w) {
  void *ptrs[] = {w->D,      w->DT,     w->VT,      w->rho,     w->Uown,
                  w->UownT,  w->R,      w->risk_p,  w->win_prob, w->gsq,
                  w->C,      w->P,      w->pi,      w->q,       w->colsum,
                  (void *)w->rows, w->rep, w->ui,   w->un,  w->g1, w->g2, w->Wp, w->Sp, w->target,
                  w->p_win,  w->gain,   w->y_init,  w->y_targ,  w->b_init,
                  w->b_targ, w->b_yI,   w->b_yJ,    w->b_u,     w->usq,
                  w->tmpI,   w->tmpJ,   w->q_start, w->q_len,   w->q_item,
                  w->chosen_init, w->chosen_targ, w->A, w->CT,
                  w->uv};
  for (size_t k = 0; k < sizeof ptrs / sizeof ptrs[0]; k++) ent_free(ptrs[k]);
}

void ent_smp_work_free(ent_smp_work *w) {
  if (!w) return;
  work_free_arrays(w);
  ent_free(w);
}

void ent_smp_work_reset(ent_smp_work *w) {
  size_t n = w->n, m = w->m;
  memset(w->D, 0, n * w->ld * sizeof *w->D); /* padding stays 0 */
  for (size_t i = 0; i < n; i++) {
    w->target[i] = -1;
    w->chosen_init[i] = w->chosen_targ[i] = (int)i;
    w->p_win[i] = w->gain[i] = 0.0;
    w->R[i] = w->risk_p[i] = w->win_prob[i] = 0.0;
  }
  memset(w->y_init, 0, n * m * sizeof *w->y_init);
  memset(w->y_targ, 0, n * m * sizeof *w->y_targ);
  w->degenerate = 0;
  w->n_barg = 0;
  ent_smp_rng_seed_lazy(&w->rng, w->o->seed);
}

#define ALLOC(ptr, count)                                   \
  do {                                                      \
    (ptr) = ent_mallocarray((count), sizeof *(ptr)); /* counts >= 1 */ \
    if (!(ptr)) ok = 0;                                     \
    w->bytes += (count) * sizeof *(ptr);                    \
  } while (0)

ent_smp_work *ent_smp_work_alloc(const ent_smp_problem *pb,
                                 const ent_smp_opts *o) {
  size_t n = pb->n, m = pb->m;
  if (n < 1 || n > 100000 || m < 1 || m > 100000000 / n) return NULL;
  ent_smp_work *w = ent_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->pb = pb;
  w->o = o;
  w->n = n;
  w->m = m;
  w->bytes = sizeof *w;
  /* One bargain per initiator, two with InitRcvrInterp. */
  w->nbmax = 2 * n;
  /* A queue holds the status quo, the actor's own bargains (<= 2) and at
   * most 2 from each other actor. */
  w->kmax = 1 + 2 * n;
  int ok = 1;
  size_t nn = n * n, kk = w->kmax * w->kmax;
  w->ld = (n + SMP_LD_ROUND - 1) / SMP_LD_ROUND * SMP_LD_ROUND;
  ALLOC(w->D, n * w->ld);
  ALLOC(w->DT, nn + SMP_LD_ROUND); /* slack: whole 8-lane stores */
  ALLOC(w->VT, nn);
  ALLOC(w->rho, nn + SMP_LD_ROUND); /* slack: whole 8-lane stores */
  ALLOC(w->Uown, n * w->ld);
  ALLOC(w->UownT, nn + SMP_LD_ROUND); /* slack: whole 8-lane stores */
  ALLOC(w->R, n);
  ALLOC(w->risk_p, n);
  ALLOC(w->win_prob, n);
  ALLOC(w->gsq, n);
  ALLOC(w->C, kk);
  ALLOC(w->P, kk);
  ALLOC(w->pi, w->kmax + SMP_LD_ROUND); /* slack: whole 8-lane stores */
  ALLOC(w->q, w->kmax + SMP_LD_ROUND);
  ALLOC(w->colsum, w->kmax);
  ALLOC(w->rows, w->kmax);
  ALLOC(w->CT, n * SMP_COAL_T_MAX);
  ALLOC(w->rep, n);
  ALLOC(w->ui, w->ld);
  ALLOC(w->un, w->ld);
  ALLOC(w->g1, w->ld);
  ALLOC(w->g2, w->ld);
  ALLOC(w->Wp, w->ld);
  ALLOC(w->Sp, w->ld);
  ALLOC(w->target, n);
  ALLOC(w->p_win, n);
  ALLOC(w->gain, n);
  ALLOC(w->y_init, n * m);
  ALLOC(w->y_targ, n * m);
  ALLOC(w->b_init, w->nbmax);
  ALLOC(w->b_targ, w->nbmax);
  ALLOC(w->b_yI, w->nbmax * m);
  ALLOC(w->b_yJ, w->nbmax * m);
  ALLOC(w->b_u, w->nbmax * n);
  ALLOC(w->usq, n);
  ALLOC(w->tmpI, m);
  ALLOC(w->tmpJ, m);
  ALLOC(w->q_start, n);
  ALLOC(w->q_len, n);
  ALLOC(w->q_item, n + 2 * w->nbmax);
  ALLOC(w->chosen_init, n);
  ALLOC(w->chosen_targ, n);
  ALLOC(w->uv, n * SMP_PAIR_OPTS);
  if (!ok) {
    ent_smp_work_free(w);
    return NULL;
  }
  /* the kernels' padded rows: lanes past N read zeros */
  double *pad[] = {w->ui, w->un, w->g1, w->g2, w->Wp, w->Sp};
  for (size_t k = 0; k < sizeof pad / sizeof pad[0]; k++)
    memset(pad[k], 0, w->ld * sizeof *pad[k]);
  memset(w->Uown, 0, n * w->ld * sizeof *w->Uown);
  memset(w->uv, 0, n * SMP_PAIR_OPTS * sizeof *w->uv);
  /* Accommodation: dense only when it differs from the identity. */
  if (o->n_acc) {
    ALLOC(w->A, nn);
    if (!ok) {
      ent_smp_work_free(w);
      return NULL;
    }
    memset(w->A, 0, nn * sizeof *w->A);
    for (size_t i = 0; i < n; i++) w->A[i * n + i] = 1.0;
    for (size_t e = 0; e < o->n_acc; e++)
      if (o->acc[e].i < n && o->acc[e].j < n)
        w->A[o->acc[e].i * n + o->acc[e].j] = o->acc[e].v;
  }
  w->avx2 = ent_smp_have_avx2();
  w->avx512 = ent_smp_have_avx512();
  ent_smp_work_reset(w);
  return w;
}
#undef ALLOC

void ent_smp_work_set_note(ent_smp_work *w, char *note) { w->note = note; }

size_t ent_smp_work_size(const ent_smp_work *w) { return w ? w->bytes : 0; }

void ent_smp_work_set_scalar(ent_smp_work *w, int on) {
  w->scalar_kernel = on;
}

void ent_smp_work_view(const ent_smp_work *w, ent_smp_view *v) {
  v->risk_p = w->risk_p;
  v->R = w->R;
  v->win_prob = w->win_prob;
  v->degenerate = w->degenerate;
  v->target = w->target;
  v->p_win = w->p_win;
  v->gain = w->gain;
  v->y_init = w->y_init;
  v->y_targ = w->y_targ;
  v->chosen_init = w->chosen_init;
  v->chosen_targ = w->chosen_targ;
  v->b_u = w->b_u;
  v->n_barg = w->n_barg;
}

/* ============================================================ runs */

double ent_smp_state_distance(const double *a, const double *b, size_t N,
                              size_t M) {
  double total = 0.0;
  for (size_t i = 0; i < N; i++) {
    double s = 0.0;
    for (size_t k = 0; k < M; k++) {
      double e = a[i * M + k] - b[i * M + k];
      s = s + e * e;
    }
    total = total + sqrt(s);
  }
  return total;
}

static void run_free(ent_smp_run *r) {
  if (!r) return;
  ent_smp_problem_destroy(r->pb);
  ent_smp_opts_release(&r->opts);
  ent_free(r->x);
  ent_free(r->xi);
  ent_free(r->win_prob);
  ent_free(r->R);
  ent_free(r->degenerate);
  ent_free(r);
}

void ent_smp_run_destroy(ent_smp_run *r) { run_free(r); }

/* Make room for `want` states (between turns; never inside one). */
static int run_reserve(ent_smp_run *r, size_t want) {
  if (want <= r->cap_states) return 0;
  size_t cap = r->cap_states ? r->cap_states : 16;
  while (cap < want) cap *= 2;
  size_t nm = r->pb->n * r->pb->m, n = r->pb->n;
  double *x = ent_realloc(r->x, cap * nm * sizeof *x);
  if (x) r->x = x;
  double *xi = ent_realloc(r->xi, cap * nm * sizeof *xi);
  if (xi) r->xi = xi;
  double *wp = ent_realloc(r->win_prob, cap * n * sizeof *wp);
  if (wp) r->win_prob = wp;
  double *R = ent_realloc(r->R, cap * n * sizeof *R);
  if (R) r->R = R;
  unsigned char *dg = ent_realloc(r->degenerate, cap);
  if (dg) r->degenerate = dg;
  if (!x || !xi || !wp || !R || !dg) return -1;
  r->cap_states = cap;
  return 0;
}

ent_status ent_smp_run_create(const ent_smp_problem *p, const ent_smp_opts *o,
                              ent_smp_run **out, ent_diag *d) {
  if (out) *out = NULL;
  if (!p || !out) return ENT_EINVAL;
  ent_smp_opts defaults;
  ent_smp_opts_default(&defaults);
  if (!o) o = &defaults;
  if (!ent_smp_opts_valid(o)) return ENT_EINVAL;
  if (ent_smp_opts_check(p, o, d, NULL)) return ENT_EINPUT;

  ent_smp_run *r = ent_calloc(1, sizeof *r);
  if (!r) return ENT_ENOMEM;
  ent_smp_opts_default(&r->opts);
  r->pb = ent_smp_problem_clone(p);
  if (!r->pb || ent_smp_opts_copy(&r->opts, o)) {
    run_free(r);
    return ENT_ENOMEM;
  }
  const ent_smp_problem *pb = r->pb;
  size_t N = pb->n, M = pb->m, NM = N * M;
  r->identity_acc = 1;
  for (size_t e = 0; e < r->opts.n_acc; e++)
    if (r->opts.acc[e].v != (r->opts.acc[e].i == r->opts.acc[e].j ? 1.0 : 0.0))
      r->identity_acc = 0;
  size_t first = (size_t)(r->opts.max_turns < 100 ? r->opts.max_turns : 100) + 1;
  ent_smp_work *w = ent_smp_work_alloc(pb, &r->opts);
  if (!w || run_reserve(r, first)) {
    ent_smp_work_free(w);
    run_free(r);
    return ENT_ENOMEM;
  }

  /* State 0: the input; ideals = positions whatever A is. */
  memcpy(r->x, pb->x0, NM * sizeof *r->x);
  memcpy(r->xi, pb->x0, NM * sizeof *r->xi);
  ent_status st = ent_smp_evaluate(w, 0, r->x, r->xi, d);
  if (st != ENT_OK) goto fail;
  memcpy(r->win_prob, w->win_prob, N * sizeof *r->win_prob);
  memcpy(r->R, w->R, N * sizeof *r->R);
  r->degenerate[0] = (unsigned char)w->degenerate;
  r->n_states = 1;
  r->stop = ENT_SMP_STOP_TURNS;
  r->converged = 0;
  double d10 = 0.0;
  for (int t = 1; t <= r->opts.max_turns; t++) {
    if (run_reserve(r, (size_t)t + 1)) {
      st = ENT_ENOMEM;
      goto fail;
    }
    const double *x = r->x + (size_t)(t - 1) * NM;
    const double *xi = r->xi + (size_t)(t - 1) * NM;
    double *xn = r->x + (size_t)t * NM, *xin = r->xi + (size_t)t * NM;
    st = ent_smp_advance(w, t - 1, x, xi, xn, xin, d);
    if (st != ENT_OK) goto fail;
    st = ent_smp_evaluate(w, t, xn, xin, d);
    if (st != ENT_OK) goto fail;
    memcpy(r->win_prob + (size_t)t * N, w->win_prob, N * sizeof *r->win_prob);
    memcpy(r->R + (size_t)t * N, w->R, N * sizeof *r->R);
    r->degenerate[t] = (unsigned char)w->degenerate;
    r->n_states = (size_t)t + 1;
    /* §6 stopping rule. */
    double dt = ent_smp_state_distance(xn, x, N, M);
    if (t == 1) d10 = dt;
    double ratio = dt / (d10 + 1e-4);
    if (t >= r->opts.min_turns && ratio < r->opts.stop_ratio) {
      r->stop = ENT_SMP_STOP_RATIO;
      r->converged = 1;
      break;
    }
  }
  ent_smp_work_free(w);
  w = NULL;
  /* Nothing non-finite leaves the module. */
  if (!all_finite(r->x, r->n_states * NM) ||
      !all_finite(r->xi, r->n_states * NM) ||
      !all_finite(r->win_prob, r->n_states * N) ||
      !all_finite(r->R, r->n_states * N)) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINTERNAL, pb->file, 0, 0,
                 "the run produced a non-finite value");
    st = ENT_EINTERNAL;
    goto fail;
  }
  *out = r;
  return ENT_OK;
fail:
  ent_smp_work_free(w);
  run_free(r);
  return st;
}

/* ------------------------------------------------------------ accessors */

size_t ent_smp_run_state_count(const ent_smp_run *r) {
  return r ? r->n_states : 0;
}

double ent_smp_run_position(const ent_smp_run *r, size_t t, size_t i,
                            size_t k) {
  if (!r || t >= r->n_states || i >= r->pb->n || k >= r->pb->m) return 0.0;
  return r->x[(t * r->pb->n + i) * r->pb->m + k] * 100.0;
}

double ent_smp_run_ideal(const ent_smp_run *r, size_t t, size_t i, size_t k) {
  if (!r || t >= r->n_states || i >= r->pb->n || k >= r->pb->m) return 0.0;
  return r->xi[(t * r->pb->n + i) * r->pb->m + k] * 100.0;
}

double ent_smp_run_win_prob(const ent_smp_run *r, size_t t, size_t i) {
  if (!r || t >= r->n_states || i >= r->pb->n) return 0.0;
  return r->win_prob[t * r->pb->n + i];
}

int ent_smp_run_converged(const ent_smp_run *r) { return r ? r->converged : 0; }
