/*
 * smp_small8.c -- the evaluation's 8-lane kernels of KTAB's Spatial Model
 * of Politics at the forecast's small n (N <= 8 actors; AVX-512F/DQ,
 * checked at run time by the callers): whole elections of up to 8
 * options, the §4.4 norms, the §7.2 representatives, D's columns, the own
 * utilities and 1 - D.  Part of the module smp.c (called from
 * smp_eval.c); each lane performs the scalar form's operations in its
 * order, so every double is the scalar code's (smp.c's opening comment).
 */
#include "strategic/smp_impl.h"

#include <math.h>
#include <string.h>

#if SMP_HAVE_AVX512
/* ρ(R_h, R_i) for the actors h in lanes (rh) and one i (ri broadcast):
 * rho_adjust lane for lane, as rho_row8 (the same operations with the
 * roles of the operands kept). */
AVX512_INLINE vd8 rho_lanes8(ent_smp_radj adj, vd8 rh, vd8 ri) {
  switch (adj) {
  case ENT_SMP_RADJ_NONE:
    return rh;
  case ENT_SMP_RADJ_HALF:
    return (rh + ri) / v8b(2.0);
  case ENT_SMP_RADJ_TWOTHIRDS:
    return (rh + (v8b(2.0) * ri)) / v8b(3.0);
  case ENT_SMP_RADJ_FULL:
    return ri;
  case ENT_SMP_RADJ_ONETHIRD:
  default:
    return ((v8b(2.0) * rh) + ri) / v8b(3.0);
  }
}

/* The §4.4 norms of evaluate for N <= 8 with the actors in lanes: G_i =
 * Σ_j g(D(i,j))^2 for the rows i in lanes (D's column j, DT's row j:
 * dcols8 first), the
 * sum in order j from +0.0; ‖V - Ū‖^2 in order i (scalar, as before);
 * then ‖U^h - Ū‖^2 = Σ_i (ρ(R_h, R_i) - R_i)^2 G_i for the h in lanes, ρ
 * as rho_row8 computes it -- each lane the scalar loop's operations in
 * its order, so the same doubles and the same tests.  Returns bad_h as
 * the scalar loops set it (-1 none, -2 the ‖V - Ū‖ test, else the first
 * h); fills w->gsq. */
__attribute__((target("avx512f,avx512dq"))) long
ent_smp_norms8(ent_smp_work *w) {
  size_t N = w->n, ld = w->ld;
  __mmask8 live = (__mmask8)((1u << N) - 1u);
  (void)ld;
  vd8 G = v8b(0.0), one = v8b(1.0);
  for (size_t j = 0; j < N; j++) {
    vd8 dd = (vd8)_mm512_maskz_loadu_pd(live, w->DT + j * N);
    vd8 g = v8sel(dd <= one, (one - dd) * dd, one - dd);
    G = G + g * g;
  }
  double gl[8] __attribute__((aligned(64)));
  _mm512_store_pd(gl, (__m512d)G);
  memcpy(w->gsq, gl, N * sizeof *gl);
  double nv = 0.0;
  for (size_t i = 0; i < N; i++) nv += w->R[i] * w->R[i] * gl[i];
  if (!(sqrt(nv) > 1e-6)) return -2;
  ent_smp_radj adj = w->o->radj;
  vd8 Rh = (vd8)_mm512_maskz_loadu_pd(live, w->R), S = v8b(0.0);
  for (size_t i = 0; i < N; i++) {
    vd8 ri = v8b(w->R[i]);
    vd8 e = rho_lanes8(adj, Rh, ri) - ri;
    S = S + e * e * v8b(gl[i]);
  }
  __mmask8 ok = _mm512_mask_cmp_pd_mask(
      live, _mm512_sqrt_pd((__m512d)S), _mm512_set1_pd(1e-6), _CMP_GT_OQ);
  __mmask8 bad = (__mmask8)(live & ~ok);
  return bad ? (long)__builtin_ctz((unsigned)bad) : -1;
}

/* §7.2's representatives for M = 1, N <= 8: near[i] holds the j within
 * 1e-3 of x_i -- sqrt((x_i - x_j)^2) < 1e-3 in lanes j, the scalar
 * search's expression ((a-b)^2 is symmetric bit for bit, and its 0.0 +
 * changes no comparison) -- then the representatives in order i: those
 * near no earlier representative.  Fills w->rep, returns K; *reps gets
 * the representatives' bits and near[0..N) the rows. */
__attribute__((target("avx512f,avx512dq"))) size_t
ent_smp_reps8(ent_smp_work *w, const double *x, unsigned *reps, unsigned *near) {
  size_t N = w->n, K = 0;
  __mmask8 live = (__mmask8)((1u << N) - 1u);
  __m512d xv = _mm512_maskz_loadu_pd(live, x);
  unsigned rm = 0;
  for (size_t i = 0; i < N; i++) {
    __m512d e = _mm512_sub_pd(_mm512_set1_pd(x[i]), xv);
    __m512d d = _mm512_sqrt_pd(_mm512_mul_pd(e, e));
    near[i] = (unsigned)_mm512_mask_cmp_pd_mask(live, d,
                                                _mm512_set1_pd(1e-3),
                                                _CMP_LT_OQ);
    if (!(near[i] & rm)) {
      rm |= 1u << i;
      w->rep[K++] = (int)i;
    }
  }
  *reps = rm;
  return K;
}

/* The own utilities U^a(a, b) = util_f(D(a,b), ρ(R_a, R_a)) for N <= 8
 * (ld = 8), a row per actor a in lanes b as uown_row8 computes them, ρ's
 * diagonal in lanes as rho_row8's lane i = h (the same operations on
 * the same operands): into Uown's rows (rows; padding 0) and through
 * their transpose into UownT's (cols; UownT has 8 lanes of slack, rows
 * in order n), each only where the caller reads it. */
__attribute__((target("avx512f,avx512dq"))) void
ent_smp_uown8(ent_smp_work *w, int rows, int cols) {
  size_t N = w->n, ld = w->ld;
  __mmask8 live = (__mmask8)((1u << N) - 1u);
  vd8 R = (vd8)_mm512_maskz_loadu_pd(live, w->R);
  double dg[8] __attribute__((aligned(64)));
  _mm512_store_pd(dg, (__m512d)rho_lanes8(w->o->radj, R, R));
  __m512d U[8], T[8];
  for (size_t a = 0; a < 8; a++) {
    if (a >= N) {
      U[a] = _mm512_setzero_pd();
      continue;
    }
    vd8 u = v8util((vd8)_mm512_loadu_pd(w->D + a * ld), v8b(dg[a]));
    U[a] = _mm512_maskz_mov_pd(live, (__m512d)u);
    if (rows) _mm512_storeu_pd(w->Uown + a * ld, U[a]);
  }
  if (!cols) return;
  transpose8(U, T);
  for (size_t n = 0; n < N; n++) _mm512_storeu_pd(w->UownT + n * N, T[n]);
}

/* D's columns for N <= 8 (ld = 8): the rows transposed in registers into
 * DT's rows (DT[j*N + i] = D(i, j); DT has 8 lanes of slack, rows in
 * order j) and the diagonal into Ddiag, for the norms and a turn's
 * kernel rows (loads instead of gathers; the same doubles). */
__attribute__((target("avx512f,avx512dq"))) void
ent_smp_dcols8(ent_smp_work *w) {
  size_t N = w->n;
  __m512d r[8], t[8], dg = _mm512_setzero_pd();
  for (size_t a = 0; a < 8; a++)
    r[a] = a < N ? _mm512_loadu_pd(w->D + a * w->ld) : _mm512_setzero_pd();
  transpose8(r, t);
  __mmask8 le = 0xff;
  for (size_t j = 0; j < N; j++) {
    _mm512_storeu_pd(w->DT + j * N, t[j]);
    dg = _mm512_mask_mov_pd(dg, (__mmask8)(1u << j), t[j]);
    le &= _mm512_cmp_pd_mask(r[j], _mm512_set1_pd(1.0), _CMP_LE_OQ);
  }
  _mm512_storeu_pd(w->Ddiag, dg);
  w->d_le1 = le == 0xff; /* rows with their zero padding; NaN fails */
}

/* 1 - D into CT (N rows of ld, padding 1 - 0), 8 lanes at a time: the
 * same subtraction. */
__attribute__((target("avx512f,avx512dq"))) void
ent_smp_one_minus8(ent_smp_work *w) {
  size_t n = w->n * w->ld;
  for (size_t k = 0; k < n; k += 8)
    _mm512_storeu_pd(w->CT + k, _mm512_sub_pd(_mm512_set1_pd(1.0),
                                              _mm512_loadu_pd(w->D + k)));
}

/* A whole election of K <= 8 options from the voter-major table T (T[v*ld
 * + o], ld >= 8) under the Conditional PCE with linear victory
 * probabilities (the defaults), for a vote rule that is odd (vote(w, ub,
 * ua) == -vote(w, ua, ub) bit for bit: every rule but ASymProsp, each
 * operation of vote() commuting with negation).  For each option a, its
 * whole row of pairs in 8 lanes b: z = vote(w_v, T(v,a), T(v,b)) summed
 * over the voters in order, p = 1e-8 + the positive terms: C(a,b).  For
 * b < a these are coal8_core's lanes; for b > a coal8_core took the pair
 * the other way, z' = -z, and its C(a,b) = 1e-8 - Σ neg(z') is the same
 * sum of the same terms (a - (-t) == a + t), so every C(a,b) is the
 * coalitions' double, with the diagonal set to 1e-8 as they set it; the
 * rows' transpose (in registers) holds the columns C(., b).  Then
 * conditional_linear with the options in lanes: the factor C(a,b) /
 * (C(a,b) + C(b,a)) of lane a is column b over (column b + row b) (an
 * IEEE sum does not depend on its operands' order), the products in order
 * b, the total in order a, π = q / total: the same doubles, without the
 * stores of the triangles and the gathers of cond_q8.  Fills C, q and pi
 * (K each row; pi and q whole 8-lane stores); the status of
 * conditional_linear. */
AVX512_INLINE ent_status elect8_core(ent_smp_vote rule, size_t K, size_t N,
                                     const double *T, size_t ld,
                                     const double *wt, double *C, double *q,
                                     double *pi) {
  __mmask8 live = (__mmask8)((1u << K) - 1u);
  __m512d P[8], PT[8];
  for (size_t a = 0; a < K; a++) {
    vd8 p = v8b(1e-8);
    for (size_t v = 0; v < N; v++) {
      const double *tv = T + v * ld;
      vd8 ub;
      memcpy(&ub, tv, sizeof ub);
      vd8 z = v8vote(rule, v8b(wt[v]), v8b(tv[a]), ub);
      p = p + v8pos(z);
    }
    __mmask8 diag = (__mmask8)(1u << a);
    P[a] = _mm512_mask_mov_pd((__m512d)p, diag, _mm512_set1_pd(1e-8));
    _mm512_mask_storeu_pd(C + a * K, live, P[a]);
  }
  for (size_t a = K; a < 8; a++) P[a] = _mm512_set1_pd(1.0); /* dead */
  transpose8(P, PT);
  vd8 prod = v8b(1.0);
  for (size_t b = 0; b < K; b++) {
    vd8 c = (vd8)PT[b], t = (vd8)P[b];
    prod = prod * (c / (c + t));
  }
  double lane[8] __attribute__((aligned(64)));
  _mm512_store_pd(lane, (__m512d)prod);
  double total = 0.0;
  for (size_t a = 0; a < K; a++) total = total + lane[a];
  /* whole stores (pi and q have 8 lanes of slack): a masked store does
   * not forward to the caller's scalar loads */
  _mm512_storeu_pd(q, (__m512d)prod);
  if (!(total > 0.0) || !isfinite(total)) return ENT_EINTERNAL;
  _mm512_storeu_pd(pi, (__m512d)(prod / v8b(total)));
  return ENT_OK;
}

typedef ent_status (*elect8_fn)(size_t K, size_t N, const double *T,
                                size_t ld, const double *wt, double *C,
                                double *q, double *pi);
#define ELECT8_FN(RULE)                                                     \
  __attribute__((target("avx512f,avx512dq"))) static ent_status             \
      elect8_##RULE(size_t K, size_t N, const double *T, size_t ld,         \
                    const double *wt, double *C, double *q, double *pi) {   \
    return elect8_core(ENT_SMP_VOTE_##RULE, K, N, T, ld, wt, C, q, pi);     \
  }
ELECT8_FN(BINARY)
ELECT8_FN(PROPBIN)
ELECT8_FN(PROP)
ELECT8_FN(PROPCBC)
ELECT8_FN(CUBIC)
#undef ELECT8_FN
/* ASymProsp is not odd: never here (elect8_ok) */
static const elect8_fn elect8_table[6] = {elect8_BINARY, elect8_PROPBIN,
                                          elect8_PROP,   elect8_PROPCBC,
                                          elect8_CUBIC,  NULL};

/* 1 if elect8_core may hold an election of K options here. */
int ent_smp_elect8_ok(const ent_smp_work *w, size_t K) {
  const ent_smp_opts *o = w->o;
  return K <= 8 && w->avx512 && w->scalar_kernel == 0 &&
         o->pce == ENT_SMP_PCE_CONDITIONAL && o->vpm == ENT_SMP_VPM_LINEAR &&
         o->vote != ENT_SMP_VOTE_ASYMPROSP;
}

ent_status ent_smp_elect8(ent_smp_work *w, size_t K, const double *T,
                          size_t ld, const double *weights) {
  return elect8_table[w->o->vote](K, w->n, T, ld, weights, w->C, w->q,
                                  w->pi);
}
#else
/* ISO C forbids an empty translation unit */
typedef int ent_smp_small8_unused;
#endif
