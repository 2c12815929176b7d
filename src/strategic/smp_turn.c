/*
 * smp_turn.c -- a turn of KTAB's Spatial Model of Politics (smp.md §5):
 * challenge estimates and target selection (§5.2-§5.3), bargains (§5.4-
 * §5.5), queues and their resolution (§5.6-§5.7) and the move to the next
 * state.  Part of the module smp.c; the arithmetic rules of smp.c's
 * opening comment hold here.  Shared internals are in smp_impl.h.
 */
#include "strategic/smp_impl.h"

#include <math.h>
#include <string.h>
#if SMP_HAVE_AVX512
#include <immintrin.h>
#endif

/* ============================================================ challenges (§5.2) */


/* Third party n's contribution to the contest i -> j (§5.2): n joins the
 * side it prefers in the "little contest" (from A0, B0), values joining
 * either side by the commitment rule, and votes between the two.  ui, uj,
 * un are U(n,i), U(n,j), U(n,n) of the estimating perspective. */
ENT_INLINE void third_party(ent_smp_vote rule, ent_smp_tpc tpc, double Wn,
                            double ui, double uj, double un, double A0,
                            double B0, double *A, double *B) {
  /* Branch-free forms of "add z if positive": A0 + 0.0 == A0 exactly
   * (A0 > 0), so these are the spec's conditional sums bit for bit, but
   * the signs, which are data dependent, cost no mispredictions. */
  double z = vote(rule, Wn, ui, uj);
  double Ap = A0 + (z > 0.0 ? z : 0.0);
  double Bp = B0 - (z < 0.0 ? z : 0.0);
  double p = Ap / (Ap + Bp);
  double q = 1.0 - p;
  double g1, l1, g2, l2;
  switch (tpc) {
  case ENT_SMP_TPC_FULL:
    g1 = (ui + ui) + ui;
    l1 = (uj + uj) + uj;
    g2 = (ui + ui) + ui;
    l2 = (uj + uj) + uj;
    break;
  case ENT_SMP_TPC_NO:
    g1 = (ui + ui) + un;
    l1 = (uj + uj) + un;
    g2 = (ui + ui) + un;
    l2 = (uj + uj) + un;
    break;
  case ENT_SMP_TPC_SEMI:
  default:
    g1 = (ui + ui) + un;
    l1 = (uj + uj) + uj;
    g2 = (ui + ui) + ui;
    l2 = (uj + uj) + un;
    break;
  }
  double ji = (p * g1) + (q * l1);
  double jj = (p * g2) + (q * l2);
  double z2 = vote(rule, Wn, ji, jj);
  *A = *A + (z2 > 0.0 ? z2 : 0.0);
  *B = *B - (z2 < 0.0 ? z2 : 0.0);
}

/* Principals' votes (§5.2): A0, B0 from the 1e-10 floors. */
ENT_INLINE void principals(ent_smp_vote rule, double Wi, double Wj,
                           double Uii, double Uij, double Uji, double Ujj,
                           double *A, double *B) {
  double a = vote(rule, Wi, Uii, Uij);
  double b = vote(rule, Wj, Uji, Ujj);
  double A0 = 1e-10, B0 = 1e-10;
  if (a > 0.0) A0 = A0 + a;
  if (a < 0.0) B0 = B0 - a;
  if (b > 0.0) A0 = A0 + b;
  if (b < 0.0) B0 = B0 - b;
  *A = A0;
  *B = B0;
}

/* Expected change Δ for actor k with U(k,i) = uki, U(k,j) = ukj (§5.2). */
ENT_INLINE double expected_change(double pij, double pji, double Sj,
                                  double uki, double ukj) {
  double usq = uki + ukj;
  double uwin = uki + uki;
  double ulose = ukj + ukj;
  double ucontest = pij * uwin + pji * ulose;
  double uchlg = (1.0 - Sj) * uwin + Sj * ucontest;
  return uchlg - usq;
}

void ent_smp_estimate(const ent_smp_work *w, size_t h, size_t k, size_t i,
                      size_t j, double *p, double *gain) {
  size_t N = w->n;
  const ent_smp_problem *pb = w->pb;
  ent_smp_vote rule = w->o->vote;
  const double *D = w->D, *rh = w->rho + h * N, *W = pb->W;
#define U_(a, b) util_f(D[(a) * w->ld + (b)], rh[a])
  double A, B;
  principals(rule, W[i], W[j], U_(i, i), U_(i, j), U_(j, i), U_(j, j), &A, &B);
  double A0 = A, B0 = B;
  for (size_t n = 0; n < N; n++) {
    if (n == i || n == j) continue;
    third_party(rule, w->o->tpc, W[n], U_(n, i), U_(n, j), U_(n, n), A0, B0,
                &A, &B);
  }
  double pij = A / (A + B), pji = B / (A + B);
  *p = pij;
  *gain = expected_change(pij, pji, pb->S[j], U_(k, i), U_(k, j));
#undef U_
}

/* ------------------------------------------------------------ the kernel
 *
 * Target selection (§5.3) needs E(i; i; i→j) for every pair: for each
 * initiator i and target j a sum over the third parties n -- the O(N^3)
 * part of a turn.  Facts used, all exact:
 *   - With NoCommit or FullCommit the two "join" values J_i and J_j are
 *     the same expression of the same operands (§5.2 table), so every
 *     third party's vote is exactly 0 and adds exactly nothing: only the
 *     principals' votes count and the loop is skipped.
 *   - With SemiCommit, G1 = (u_i+u_i)+u_n and G2 = (u_i+u_i)+u_i depend on
 *     (i, n) only and are computed once per initiator.
 *   - The per-n work for 4 consecutive targets j runs in 4 SIMD lanes
 *     (GCC/Clang vector extensions; SSE2 on a baseline x86-64).  Each lane
 *     performs exactly the scalar operations in the scalar order (IEEE
 *     lane-wise add/mul/div are correctly rounded like their scalar
 *     forms; no FMA), so lanes give the scalar doubles.  The term n = j,
 *     which the spec skips, is computed in its lane and replaced by +0.0
 *     before it is added (A + 0.0 == A for A > 0).
 * The scalar kernel below is the reference form; the unit tests check that
 * both kernels and ent_smp_estimate agree bit for bit. */

/* Per-initiator rows: ui[n] = U^i(n,i), un[n] = U^i(n,n), and the
 * SemiCommit sums g1[n] = (ui+ui)+un, g2[n] = (ui+ui)+ui. */
static void kernel_rows(ent_smp_work *w, size_t i) {
  size_t N = w->n, ld = w->ld;
  const double *rh = w->rho + i * N, *D = w->D;
  for (size_t n = 0; n < N; n++) {
    double ui = util_f(D[n * ld + i], rh[n]);
    double un = util_f(D[n * ld + n], rh[n]);
    w->ui[n] = ui;
    w->un[n] = un;
    w->g1[n] = (ui + ui) + un;
    w->g2[n] = (ui + ui) + ui;
  }
}

/* kernel_rows with the third parties n in lanes (4 lanes, AVX2; 8,
 * AVX-512F/DQ; checked at run time): D(n, i) gathered down column i and
 * D(n, n) down the diagonal, util_f as v4util / v8util and the two sums
 * lane for lane, so the same doubles; lanes past N are never stored (the
 * rows' padding stays 0). */
#if SMP_HAVE_AVX2
__attribute__((target("avx2"))) static void kernel_rows4(ent_smp_work *w,
                                                         size_t i) {
  size_t N = w->n, ld = w->ld;
  const double *rh = w->rho + i * N;
  for (size_t n0 = 0; n0 < N; n0 += 4) {
    size_t L = N - n0 < 4 ? N - n0 : 4;
    long long live[4], ic[4], id[4];
    for (size_t l = 0; l < 4; l++) {
      size_t n = n0 + l;
      live[l] = l < L ? -1 : 0;
      ic[l] = (long long)(n * ld + i);
      id[l] = (long long)(n * ld + n);
    }
    __m256i m = _mm256_loadu_si256((const __m256i *)(const void *)live);
    __m256d md = _mm256_castsi256_pd(m), zero = _mm256_setzero_pd();
    vd4 dc = (vd4)_mm256_mask_i64gather_pd(
        zero, w->D, _mm256_loadu_si256((const __m256i *)(const void *)ic),
        md, 8);
    vd4 dd = (vd4)_mm256_mask_i64gather_pd(
        zero, w->D, _mm256_loadu_si256((const __m256i *)(const void *)id),
        md, 8);
    vd4 r = (vd4)_mm256_maskload_pd(rh + n0, m);
    vd4 ui = v4util(dc, r), un = v4util(dd, r);
    vd4 g1 = (ui + ui) + un, g2 = (ui + ui) + ui;
    _mm256_maskstore_pd(w->ui + n0, m, (__m256d)ui);
    _mm256_maskstore_pd(w->un + n0, m, (__m256d)un);
    _mm256_maskstore_pd(w->g1 + n0, m, (__m256d)g1);
    _mm256_maskstore_pd(w->g2 + n0, m, (__m256d)g2);
  }
}
#endif
#if SMP_HAVE_AVX512
__attribute__((target("avx512f,avx512dq"))) static void
kernel_rows8(ent_smp_work *w, size_t i) {
  size_t N = w->n, ld = w->ld;
  const double *rh = w->rho + i * N;
  const __m512i step = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  for (size_t n0 = 0; n0 < N; n0 += 8) {
    size_t left = N - n0;
    __mmask8 live =
        left >= 8 ? (__mmask8)0xff : (__mmask8)((1u << left) - 1u);
    __m512i n = _mm512_add_epi64(step, _mm512_set1_epi64((long long)n0));
    __m512i nld = _mm512_mullo_epi64(n, _mm512_set1_epi64((long long)ld));
    __m512i ic = _mm512_add_epi64(nld, _mm512_set1_epi64((long long)i));
    __m512i id = _mm512_add_epi64(nld, n);
    __m512d zero = _mm512_setzero_pd();
    vd8 dc = (vd8)_mm512_mask_i64gather_pd(zero, live, ic, w->D, 8);
    vd8 dd = (vd8)_mm512_mask_i64gather_pd(zero, live, id, w->D, 8);
    vd8 r = (vd8)_mm512_maskz_loadu_pd(live, rh + n0);
    vd8 ui = v8util(dc, r), un = v8util(dd, r);
    vd8 g1 = (ui + ui) + un, g2 = (ui + ui) + ui;
    /* whole blocks of the padded rows, padding 0: a masked store does not
     * forward to the target kernel's loads */
    _mm512_storeu_pd(w->ui + n0, _mm512_maskz_mov_pd(live, (__m512d)ui));
    _mm512_storeu_pd(w->un + n0, _mm512_maskz_mov_pd(live, (__m512d)un));
    _mm512_storeu_pd(w->g1 + n0, _mm512_maskz_mov_pd(live, (__m512d)g1));
    _mm512_storeu_pd(w->g2 + n0, _mm512_maskz_mov_pd(live, (__m512d)g2));
  }
}
#endif

#if SMP_HAVE_AVX512
/* kernel_rows8 for N <= 8: D(n, i) from DT's row i and D(n, n) from Ddiag
 * (the evaluation's dcols8) instead of gathers; the same doubles. */
__attribute__((target("avx512f,avx512dq"))) static void
kernel_rows8s(ent_smp_work *w, size_t i) {
  size_t N = w->n;
  __mmask8 live = (__mmask8)((1u << N) - 1u);
  vd8 dc = (vd8)_mm512_maskz_loadu_pd(live, w->DT + i * N);
  vd8 dd = (vd8)_mm512_maskz_loadu_pd(live, w->Ddiag);
  vd8 r = (vd8)_mm512_maskz_loadu_pd(live, w->rho + i * N);
  vd8 ui = v8util(dc, r), un = v8util(dd, r);
  vd8 g1 = (ui + ui) + un, g2 = (ui + ui) + ui;
  _mm512_storeu_pd(w->ui, _mm512_maskz_mov_pd(live, (__m512d)ui));
  _mm512_storeu_pd(w->un, _mm512_maskz_mov_pd(live, (__m512d)un));
  _mm512_storeu_pd(w->g1, _mm512_maskz_mov_pd(live, (__m512d)g1));
  _mm512_storeu_pd(w->g2, _mm512_maskz_mov_pd(live, (__m512d)g2));
}
#endif

/* Scalar SemiCommit sums for the contest i -> j, starting from A, B. */
static void semi_scalar(const ent_smp_work *w, size_t i, size_t j, double *A,
                        double *B) {
  size_t N = w->n, ld = w->ld;
  ent_smp_vote rule = w->o->vote;
  const double *W = w->pb->W, *rh = w->rho + i * N, *D = w->D;
  double A0 = *A, B0 = *B, a = A0, b = B0;
  for (size_t n = 0; n < N; n++) {
    if (n == i || n == j) continue;
    third_party(rule, ENT_SMP_TPC_SEMI, W[n], w->ui[n],
                util_f(D[n * ld + j], rh[n]), w->un[n], A0, B0, &a, &b);
  }
  *A = a;
  *B = b;
}

#if SMP_HAVE_VEC
/* SemiCommit sums for targets j0 .. j0+3 of initiator i; A, B (4 lanes as
 * two vectors each) hold A0, B0 on entry and the sums on return. */
ENT_INLINE void semi_block(ent_smp_vote rule, int halves,
                           const ent_smp_work *w, size_t i, size_t j0, vd *A,
                           vd *B) {
  size_t N = w->n, ld = w->ld;
  const double *W = w->pb->W, *rh = w->rho + i * N, *D = w->D;
  const double *ui = w->ui, *un = w->un, *g1 = w->g1, *g2 = w->g2;
  long long j = (long long)j0;
  const vm jl[2] = {{j, j + 1}, {j + 2, j + 3}};
  const vd A0[2] = {A[0], A[1]}, B0[2] = {B[0], B[1]};
  for (size_t n = 0; n < N; n++) {
    if (n == i) continue;
    vd wn = vb(W[n]), rn = vb(rh[n]), uin = vb(ui[n]), unn = vb(un[n]);
    vd g1n = vb(g1[n]), g2n = vb(g2[n]);
    vm nn = {(long long)n, (long long)n};
    for (int h = 0; h < halves; h++) {
      vd dj;
      memcpy(&dj, D + n * ld + j0 + 2 * (size_t)h, sizeof dj);
      vd uj = vutil(dj, rn);
      vd z = vvote(rule, wn, uin, uj);
      vd Ap = A0[h] + vpos(z);
      vd Bp = B0[h] - vneg(z);
      vd p = Ap / (Ap + Bp);
      vd q = vb(1.0) - p;
      vd uj2 = uj + uj;
      vd l1 = uj2 + uj;
      vd l2 = uj2 + unn;
      vd ji = (p * g1n) + (q * l1);
      vd jj = (p * g2n) + (q * l2);
      vd z2 = vvote(rule, wn, ji, jj);
      z2 = (vd)((vm)z2 & (jl[h] != nn)); /* the term n = j is skipped */
      A[h] = A[h] + vpos(z2);
      B[h] = B[h] - vneg(z2);
    }
  }
}

typedef void (*semi_fn)(const ent_smp_work *w, size_t i, size_t j0, vd *A,
                        vd *B);
/* semi_RULE: the whole block; semi_RULE_half: its first two lanes only,
 * for a last block whose other two are padding past N (their sums would
 * be thrown away). */
#define SEMI_FN(RULE)                                                       \
  static void semi_##RULE(const ent_smp_work *w, size_t i, size_t j0,       \
                          vd *A, vd *B) {                                   \
    semi_block(ENT_SMP_VOTE_##RULE, 2, w, i, j0, A, B);                     \
  }                                                                         \
  static void semi_##RULE##_half(const ent_smp_work *w, size_t i,           \
                                 size_t j0, vd *A, vd *B) {                 \
    semi_block(ENT_SMP_VOTE_##RULE, 1, w, i, j0, A, B);                     \
  }
SEMI_FN(BINARY)
SEMI_FN(PROPBIN)
SEMI_FN(PROP)
SEMI_FN(PROPCBC)
SEMI_FN(CUBIC)
SEMI_FN(ASYMPROSP)
#undef SEMI_FN
static const semi_fn semi_table[2][6] = {
    {semi_BINARY, semi_PROPBIN, semi_PROP, semi_PROPCBC, semi_CUBIC,
     semi_ASYMPROSP},
    {semi_BINARY_half, semi_PROPBIN_half, semi_PROP_half, semi_PROPCBC_half,
     semi_CUBIC_half, semi_ASYMPROSP_half}};
#endif

/* A whole block of 4 targets j0 .. j0+3 of initiator i in one 4-lane
 * vector (AVX2, checked at run time): smp_target_lanes.h's body. */
#if SMP_HAVE_AVX2
#define TL_NAME target_block4
#define TL_ATTR AVX2_INLINE
#define TL_VD vd4
#define TL_VM vm4
#define TL_IOTA ((vm4){0, 1, 2, 3})
#define TL_ZERO ((vm4){0})
#define TL_B v4b
#define TL_UTIL v4util
#define TL_VOTE v4vote
#define TL_POS v4pos
#define TL_NEG v4neg
#include "strategic/smp_target_lanes.h"

typedef void (*target_fn)(const ent_smp_work *w, size_t i, size_t j0,
                          double *g, double *p);
#define TARGET4_FN(RULE)                                                    \
  __attribute__((target("avx2"))) static void target4_##RULE(               \
      const ent_smp_work *w, size_t i, size_t j0, double *g, double *p) {   \
    target_block4(ENT_SMP_VOTE_##RULE, w, i, j0, g, p);                     \
  }
TARGET4_FN(BINARY)
TARGET4_FN(PROPBIN)
TARGET4_FN(PROP)
TARGET4_FN(PROPCBC)
TARGET4_FN(CUBIC)
TARGET4_FN(ASYMPROSP)
#undef TARGET4_FN
static const target_fn target4_table[6] = {
    target4_BINARY, target4_PROPBIN, target4_PROP,
    target4_PROPCBC, target4_CUBIC, target4_ASYMPROSP};

int ent_smp_have_avx2(void) { return __builtin_cpu_supports("avx2") != 0; }
#else
int ent_smp_have_avx2(void) { return 0; }
#endif

/* target_block4 with 8 lanes (AVX-512F/DQ, checked at run time): the
 * block of 8 targets j0 .. j0+7, the same operations lane for lane. */
#if SMP_HAVE_AVX512
#define TL_NAME target_block8
#define TL_ATTR AVX512_INLINE
#define TL_VD vd8
#define TL_VM vm8
#define TL_IOTA ((vm8){0, 1, 2, 3, 4, 5, 6, 7})
#define TL_ZERO ((vm8){0})
#define TL_B v8b
#define TL_UTIL v8util
#define TL_VOTE v8vote
#define TL_POS v8pos
#define TL_NEG v8neg
#include "strategic/smp_target_lanes.h"

/* target_block8 where every distance is <= 1 (w->d_le1): util_f's
 * first branch only, the same operations there. */
#define TL_NAME target_block8u
#define TL_ATTR AVX512_INLINE
#define TL_VD vd8
#define TL_VM vm8
#define TL_IOTA ((vm8){0, 1, 2, 3, 4, 5, 6, 7})
#define TL_ZERO ((vm8){0})
#define TL_B v8b
#define TL_UTIL v8util_le1
#define TL_VOTE v8vote
#define TL_POS v8pos
#define TL_NEG v8neg
#include "strategic/smp_target_lanes.h"

#define TARGET8_FN(RULE)                                                    \
  __attribute__((target("avx512f,avx512dq"))) static void target8_##RULE(   \
      const ent_smp_work *w, size_t i, size_t j0, double *g, double *p) {   \
    target_block8(ENT_SMP_VOTE_##RULE, w, i, j0, g, p);                     \
  }
TARGET8_FN(BINARY)
TARGET8_FN(PROPBIN)
TARGET8_FN(PROP)
TARGET8_FN(PROPCBC)
TARGET8_FN(CUBIC)
TARGET8_FN(ASYMPROSP)
#undef TARGET8_FN
static const target_fn target8_table[6] = {
    target8_BINARY, target8_PROPBIN, target8_PROP,
    target8_PROPCBC, target8_CUBIC, target8_ASYMPROSP};

/* The whole choice of initiator i's target (§5.3) for N <= 8: the one
 * block of target_block8, then the scan of choose_target -- the first j
 * (j != i, j < N) whose gain g_j > 1e-5 beats every earlier one strictly,
 * i.e. the first lane holding the largest gain among the lanes with
 * g > 1e-5 (NaN gains fail the test and are never chosen) -- without a
 * data-dependent branch per lane.  *best -1 when no lane qualifies. */
AVX512_INLINE void target_choose8(ent_smp_vote rule, int le1,
                                  const ent_smp_work *w, size_t i, int *best,
                                  double *best_gain, double *best_p) {
  double g[8], p[8];
  if (le1)
    target_block8u(rule, w, i, 0, g, p);
  else
    target_block8(rule, w, i, 0, g, p);
  __m512d gv = _mm512_loadu_pd(g);
  __mmask8 live = (__mmask8)(((1u << w->n) - 1u) & ~(1u << i));
  __mmask8 ok = _mm512_mask_cmp_pd_mask(live, gv, _mm512_set1_pd(1e-5),
                                        _CMP_GT_OQ);
  if (!ok) return;
  double mx = _mm512_mask_reduce_max_pd(ok, gv);
  __mmask8 at = _mm512_mask_cmp_pd_mask(ok, gv, _mm512_set1_pd(mx),
                                        _CMP_EQ_OQ);
  unsigned j = (unsigned)__builtin_ctz((unsigned)at);
  *best = (int)j;
  *best_gain = mx; /* g[j], the largest */
  /* p[j] from the register (a load of one lane of the vector just stored
   * would wait for the store) */
  *best_p = _mm512_cvtsd_f64(_mm512_permutexvar_pd(
      _mm512_set1_epi64((long long)j), _mm512_loadu_pd(p)));
}

typedef void (*choose_fn)(const ent_smp_work *w, size_t i, int *best,
                          double *best_gain, double *best_p);
#define CHOOSE8_FN(RULE)                                                    \
  __attribute__((target("avx512f,avx512dq"))) static void choose8_##RULE(   \
      const ent_smp_work *w, size_t i, int *best, double *best_gain,        \
      double *best_p) {                                                     \
    target_choose8(ENT_SMP_VOTE_##RULE, 0, w, i, best, best_gain, best_p);  \
  }                                                                         \
  __attribute__((target("avx512f,avx512dq"))) static void choose8u_##RULE(  \
      const ent_smp_work *w, size_t i, int *best, double *best_gain,        \
      double *best_p) {                                                     \
    target_choose8(ENT_SMP_VOTE_##RULE, 1, w, i, best, best_gain, best_p);  \
  }
CHOOSE8_FN(BINARY)
CHOOSE8_FN(PROPBIN)
CHOOSE8_FN(PROP)
CHOOSE8_FN(PROPCBC)
CHOOSE8_FN(CUBIC)
CHOOSE8_FN(ASYMPROSP)
#undef CHOOSE8_FN
static const choose_fn choose8_table[2][6] = {
    {choose8_BINARY, choose8_PROPBIN, choose8_PROP, choose8_PROPCBC,
     choose8_CUBIC, choose8_ASYMPROSP},
    {choose8u_BINARY, choose8u_PROPBIN, choose8u_PROP, choose8u_PROPCBC,
     choose8u_CUBIC, choose8u_ASYMPROSP}};

int ent_smp_have_avx512(void) {
  return __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512dq");
}
#else
int ent_smp_have_avx512(void) { return 0; }
#endif

/* Keep the running best target of i (§5.3). */
static void consider(ent_smp_work *w, size_t j, double A, double B,
                     double uii, double uij, int *best, double *best_gain,
                     double *best_p) {
  double pij = A / (A + B), pji = B / (A + B);
  double g = expected_change(pij, pji, w->pb->S[j], uii, uij);
  if (g > 1e-5 && g > *best_gain) {
    *best = (int)j;
    *best_gain = g;
    *best_p = pij;
  }
}

/* Best target of initiator i (§5.3); fills target, p_win, gain. */
static void choose_target(ent_smp_work *w, size_t i) {
  size_t N = w->n, ld = w->ld;
  ent_smp_vote rule = w->o->vote;
  int semi = w->o->tpc == ENT_SMP_TPC_SEMI;
  const double *W = w->pb->W, *rh = w->rho + i * N, *D = w->D;
#if SMP_HAVE_AVX512
  if (w->avx512 && w->scalar_kernel == 0 && N <= 8)
    kernel_rows8s(w, i);
  else if (w->avx512 && w->scalar_kernel == 0)
    kernel_rows8(w, i);
  else
#endif
#if SMP_HAVE_AVX2
  if (w->avx2 && (w->scalar_kernel == 0 || w->scalar_kernel == 3))
    kernel_rows4(w, i);
  else
#endif
    kernel_rows(w, i);
  double uii = w->un[i];
  int best = -1;
  double best_gain = -1.0, best_p = 0.0;
#if SMP_HAVE_AVX512
  if (semi && N <= 8 && w->avx512 && w->scalar_kernel == 0) {
    choose8_table[w->d_le1 != 0][rule](w, i, &best, &best_gain, &best_p);
    goto done;
  }
#endif
#if SMP_HAVE_AVX2
  /* the whole estimate in 8 or 4 lanes, then the choice in target order */
  if (semi && w->avx2 && (w->scalar_kernel == 0 || w->scalar_kernel == 3)) {
    size_t L = 4;
    target_fn fn = target4_table[rule];
#if SMP_HAVE_AVX512
    if (w->avx512 && w->scalar_kernel == 0) {
      L = 8;
      fn = target8_table[rule];
    }
#endif
    for (size_t j0 = 0; j0 < N; j0 += L) {
      double g[8], p[8];
      fn(w, i, j0, g, p);
      for (size_t l = 0; l < L && j0 + l < N; l++)
        if (j0 + l != i && g[l] > 1e-5 && g[l] > best_gain) {
          best = (int)(j0 + l);
          best_gain = g[l];
          best_p = p[l];
        }
    }
    goto done;
  }
#endif
#if SMP_HAVE_VEC
  if (semi && w->scalar_kernel != 1) {
    for (size_t j0 = 0; j0 < N; j0 += ENT_SMP_LANES) {
      semi_fn fn = semi_table[j0 + 2 >= N][rule];
      vd A[2] = {{1e-10, 1e-10}, {1e-10, 1e-10}};
      vd B[2] = {{1e-10, 1e-10}, {1e-10, 1e-10}};
      double uij[ENT_SMP_LANES] = {0.0, 0.0, 0.0, 0.0};
      for (size_t l = 0; l < ENT_SMP_LANES && j0 + l < N; l++) {
        size_t j = j0 + l;
        if (j == i) continue;
        double a, b;
        uij[l] = util_f(D[i * ld + j], rh[i]);
        principals(rule, W[i], W[j], uii, uij[l], w->ui[j], w->un[j], &a, &b);
        A[l / 2][l % 2] = a;
        B[l / 2][l % 2] = b;
      }
      fn(w, i, j0, A, B);
      for (size_t l = 0; l < ENT_SMP_LANES && j0 + l < N; l++)
        if (j0 + l != i)
          consider(w, j0 + l, A[l / 2][l % 2], B[l / 2][l % 2], uii, uij[l],
                   &best, &best_gain, &best_p);
    }
    goto done;
  }
#endif
  for (size_t j = 0; j < N; j++) {
    if (j == i) continue;
    double uij = util_f(D[i * ld + j], rh[i]), A, B;
    principals(rule, W[i], W[j], uii, uij, w->ui[j], w->un[j], &A, &B);
    if (semi) semi_scalar(w, i, j, &A, &B);
    consider(w, j, A, B, uii, uij, &best, &best_gain, &best_p);
  }
#if SMP_HAVE_VEC
done:
#endif
  w->target[i] = best;
  w->p_win[i] = best >= 0 ? best_p : 0.0;
  w->gain[i] = best >= 0 ? best_gain : 0.0;
}

/* ============================================================ bargains (§5.4) */

/* KTAB's rounding to the 1e-4 grid: truncation of 0.5 + z * 1e4 (floor for
 * z >= 0, the only case that occurs with positions in [0, 1]). */
static double round4(double z) { return trunc(0.5 + z * 10000.0) / 10000.0; }

/* Bargain between initiator i (position xi, saliences si) and target j
 * with probabilities PI, PJ: the initiator's new position yI and the
 * target's yJ. */
static void make_bargain(ent_smp_ivb ivb, size_t M, const double *xi,
                         const double *xj, const double *si, const double *sj,
                         double PI, double PJ, double *yI, double *yJ) {
  const double eps = 1e-6;
  if (ivb == ENT_SMP_IVB_S2PMAX) {
    double dI = PJ > PI ? PJ - PI : 0.0;
    double dJ = PI > PJ ? PI - PJ : 0.0;
    for (size_t k = 0; k < M; k++) {
      double a = si[k] * si[k], b = sj[k] * sj[k];
      double fI = (dI * b) / ((dI * b) + eps + ((1.0 - dI) * a));
      double fJ = (dJ * a) / ((dJ * a) + eps + ((1.0 - dJ) * b));
      yI[k] = xi[k] + fI * (xj[k] - xi[k]);
      yJ[k] = xj[k] + fJ * (xi[k] - xj[k]);
    }
    return;
  }
  for (size_t k = 0; k < M; k++) {
    double sI = si[k], sJ = sj[k], wI, wJ;
    if (ivb == ENT_SMP_IVB_S1P1) {
      wI = sI * PI;
      wJ = sJ * PJ;
    } else {
      wI = (sI * sI) * (PI * PI);
      wJ = (sJ * sJ) * (PJ * PJ);
    }
    double den = (wI + eps) + wJ;
    yI[k] = round4(((wI + eps) * xi[k] + wJ * xj[k]) / den);
    yJ[k] = round4((wI * xi[k] + (eps + wJ) * xj[k]) / den);
  }
}

/* Append a bargain; returns its index. */
static size_t push_bargain(ent_smp_work *w, size_t i, size_t j) {
  size_t b = w->n_barg++;
  w->b_init[b] = (int)i;
  w->b_targ[b] = (int)j;
  return b;
}

/* ============================================================ a turn (§5) */
/* u[a] += U^a(a, n) for every n other than I and J, in order, for every
 * voter a (u holds the principals' terms on entry).  Lanes run over
 * voters: UownT[n*N + a] = U^a(a, n) is contiguous in a. */
static void bargain_sums(const ent_smp_work *w, size_t I, size_t J,
                         double *u) {
  size_t N = w->n, a = 0;
  const double *UT = w->UownT;
#if SMP_HAVE_VEC
  if (w->scalar_kernel != 1)
    for (; a + 4 <= N; a += 4) {
      vd s0 = {u[a], u[a + 1]}, s1 = {u[a + 2], u[a + 3]};
      for (size_t n = 0; n < N; n++) {
        if (n == I || n == J) continue;
        vd t0, t1;
        memcpy(&t0, UT + n * N + a, sizeof t0);
        memcpy(&t1, UT + n * N + a + 2, sizeof t1);
        s0 = s0 + t0;
        s1 = s1 + t1;
      }
      u[a] = s0[0], u[a + 1] = s0[1], u[a + 2] = s1[0], u[a + 3] = s1[1];
    }
#endif
  for (; a < N; a++) {
    const double *ua = w->Uown + a * w->ld;
    double s = u[a];
    for (size_t n = 0; n < N; n++)
      if (n != I && n != J) s = s + ua[n];
    u[a] = s;
  }
}

#if SMP_HAVE_AVX512
/* The principals' terms of bargain b for voters a0 .. a0+7 (AVX-512F/DQ,
 * checked at run time): u[a] = (0.0 + util_f(D_a(yI), R_a)) +
 * util_f(D_a(yJ), R_a), distance() and util_f lane for lane (sub, mul,
 * mul, add from +0.0, div, sqrt; v8util), so the scalar doubles.  Lanes
 * past N are computed from zeros and never stored. */
AVX512_INLINE vd8 principal_block8(const ent_smp_work *w, const double *xi,
                                  const double *yI, const double *yJ,
                                  size_t a0) {
  size_t N = w->n, M = w->m;
  const ent_smp_problem *pb = w->pb;
  const __m512i step = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  {
    size_t left = N - a0;
    __mmask8 live =
        left >= 8 ? (__mmask8)0xff : (__mmask8)((1u << left) - 1u);
    __m512i rowi = _mm512_mullo_epi64(
        _mm512_add_epi64(step, _mm512_set1_epi64((long long)a0)),
        _mm512_set1_epi64((long long)M));
    __m512d numI = _mm512_setzero_pd(), numJ = _mm512_setzero_pd();
    for (size_t k = 0; k < M; k++) {
      __m512d xa, sa;
      if (M == 1) {
        xa = _mm512_maskz_loadu_pd(live, xi + a0);
        sa = _mm512_maskz_loadu_pd(live, pb->sal + a0);
      } else {
        __m512i idx = _mm512_add_epi64(rowi, _mm512_set1_epi64((long long)k));
        xa = _mm512_mask_i64gather_pd(_mm512_setzero_pd(), live, idx, xi, 8);
        sa = _mm512_mask_i64gather_pd(_mm512_setzero_pd(), live, idx,
                                      pb->sal, 8);
      }
      __m512d eI = _mm512_sub_pd(xa, _mm512_set1_pd(yI[k]));
      __m512d eJ = _mm512_sub_pd(xa, _mm512_set1_pd(yJ[k]));
      __m512d gI = _mm512_mul_pd(eI, sa), gJ = _mm512_mul_pd(eJ, sa);
      numI = _mm512_add_pd(numI, _mm512_mul_pd(gI, gI));
      numJ = _mm512_add_pd(numJ, _mm512_mul_pd(gJ, gJ));
    }
    /* padding lanes divide by 1, not 0 */
    __m512d ssq = _mm512_mask_loadu_pd(_mm512_set1_pd(1.0), live,
                                       pb->ssq + a0);
    vd8 ra = (vd8)_mm512_maskz_loadu_pd(live, w->R + a0);
    vd8 dI = (vd8)_mm512_sqrt_pd(_mm512_div_pd(numI, ssq));
    vd8 dJ = (vd8)_mm512_sqrt_pd(_mm512_div_pd(numJ, ssq));
    vd8 s = v8b(0.0) + v8util(dI, ra);
    return s + v8util(dJ, ra);
  }
}

__attribute__((target("avx512f,avx512dq"))) static void
principal_terms8(const ent_smp_work *w, const double *xi, const double *yI,
                 const double *yJ, double *u) {
  size_t N = w->n;
  for (size_t a0 = 0; a0 < N; a0 += 8) {
    size_t left = N - a0;
    __mmask8 live =
        left >= 8 ? (__mmask8)0xff : (__mmask8)((1u << left) - 1u);
    _mm512_mask_storeu_pd(u + a0, live,
                          (__m512d)principal_block8(w, xi, yI, yJ, a0));
  }
}

/* A turn's utilities for N <= 8 voters in one pass: the status quo's,
 * (((0 + U(.,0)) + U(.,1)) + ...) / N, and each bargain's, the
 * principals' terms (principal_block8) + Σ_{n != I, J} U(., n) in order
 * n, / N -- sums8's operations lane for lane (the voters), the rows
 * UownT's held in registers and the loop over n split around I and J
 * instead of a test per n.  Into usq and b_u; with at most SMP_PAIR_OPTS
 * options also voter-major into uv (the options' rows transposed in
 * registers) for queue_pairs. */
__attribute__((target("avx512f,avx512dq"))) static void
utilities8(ent_smp_work *w, const double *xi) {
  size_t N = w->n, nb = w->n_barg, M = w->m;
  __mmask8 live = (__mmask8)((1u << N) - 1u);
  const vd8 Nd = v8b((double)N);
  vd8 UT[8];
  for (size_t n = 0; n < N; n++)
    UT[n] = (vd8)_mm512_maskz_loadu_pd(live, w->UownT + n * N);
  __m512d rows[SMP_PAIR_OPTS];
  int keep = nb + 1 <= SMP_PAIR_OPTS;
  vd8 t = v8b(0.0);
  for (size_t n = 0; n < N; n++) t = t + UT[n];
  t = t / Nd;
  _mm512_mask_storeu_pd(w->usq, live, (__m512d)t);
  if (keep) rows[0] = (__m512d)t;
  for (size_t b = 0; b < nb; b++) {
    size_t I = (size_t)w->b_init[b], J = (size_t)w->b_targ[b];
    size_t lo = I < J ? I : J, hi = I < J ? J : I;
    t = principal_block8(w, xi, w->b_yI + b * M, w->b_yJ + b * M, 0);
    for (size_t n = 0; n < lo; n++) t = t + UT[n];
    for (size_t n = lo + 1; n < hi; n++) t = t + UT[n];
    for (size_t n = hi + 1; n < N; n++) t = t + UT[n];
    t = t / Nd;
    _mm512_mask_storeu_pd(w->b_u + b * N, live, (__m512d)t);
    if (keep) rows[1 + b] = (__m512d)t;
  }
  w->uv_set = keep;
  if (!keep) return;
  for (size_t o = nb + 1; o < SMP_PAIR_OPTS; o++) rows[o] = _mm512_setzero_pd();
  __m512d T[8];
  transpose8(rows, T);
  for (size_t v = 0; v < N; v++)
    _mm512_storeu_pd(w->uv + v * SMP_PAIR_OPTS, T[v]);
  if (nb + 1 > 8) {
    transpose8(rows + 8, T);
    for (size_t v = 0; v < N; v++)
      _mm512_storeu_pd(w->uv + v * SMP_PAIR_OPTS + 8, T[v]);
  }
}
#endif

/* u[a] = (u[a] + Σ_{n != I, J} U^a(a, n)) / N for every voter a, the
 * voters in lanes (4 lanes, AVX2; 8, AVX-512F/DQ; checked at run time):
 * bargain_sums' additions in order n and then the division of a turn,
 * lane for lane, so the same doubles.  With I = J = N (no n skipped) and
 * u = 0 on entry, the status quo's utilities. */
#if SMP_HAVE_AVX2
__attribute__((target("avx2"))) static void sums4(const ent_smp_work *w,
                                                  size_t I, size_t J,
                                                  double *u) {
  size_t N = w->n;
  const double *UT = w->UownT;
  const vd4 Nd = v4b((double)N);
  for (size_t a0 = 0; a0 < N; a0 += 4) {
    long long live[4];
    for (size_t l = 0; l < 4; l++) live[l] = a0 + l < N ? -1 : 0;
    __m256i m = _mm256_loadu_si256((const __m256i *)(const void *)live);
    vd4 t = (vd4)_mm256_maskload_pd(u + a0, m);
    for (size_t n = 0; n < N; n++) {
      if (n == I || n == J) continue;
      t = t + (vd4)_mm256_maskload_pd(UT + n * N + a0, m);
    }
    t = t / Nd;
    _mm256_maskstore_pd(u + a0, m, (__m256d)t);
  }
}
#endif
#if SMP_HAVE_AVX512
__attribute__((target("avx512f,avx512dq"))) static void
sums8(const ent_smp_work *w, size_t I, size_t J, double *u) {
  size_t N = w->n;
  const double *UT = w->UownT;
  const vd8 Nd = v8b((double)N);
  for (size_t a0 = 0; a0 < N; a0 += 8) {
    size_t left = N - a0;
    __mmask8 live =
        left >= 8 ? (__mmask8)0xff : (__mmask8)((1u << left) - 1u);
    vd8 t = (vd8)_mm512_maskz_loadu_pd(live, u + a0);
    for (size_t n = 0; n < N; n++) {
      if (n == I || n == J) continue;
      t = t + (vd8)_mm512_maskz_loadu_pd(live, UT + n * N + a0);
    }
    t = t / Nd;
    _mm512_mask_storeu_pd(u + a0, live, (__m512d)t);
  }
}
#endif

#if SMP_HAVE_AVX512
/* The queue elections of a turn share their coalitions: the pair of
 * options (g, h) -- 0 the status quo, 1 + b bargain b -- has the same
 * voters' utilities, weights and voter order in every queue that holds
 * both, and every queue lists its options in increasing g (the status quo
 * first, then bargains in index order), so the later option of a pair is
 * always the same one: C(g,h) = 1e-8 + Σ pos(vote(c_v, u_g(v), u_h(v)))
 * and C(h,g) = 1e-8 - Σ neg(...) are the doubles of every queue's
 * coalitions (each lane the scalar loop's operations in voter order).
 * Each distinct pair once, 8 pairs a vector, the options' utilities
 * voter-major (w->uv, 16 a voter) and picked by permutes; with linear
 * victory probabilities a pair's factors in the Conditional PCE's
 * products are C(g,h) / (C(g,h) + C(h,g)) (fa) and C(h,g) / (C(g,h) +
 * C(h,g)) (fb), as conditional_linear divides. */
AVX512_INLINE void pairs8_core(ent_smp_vote rule, ent_smp_work *w,
                               size_t np) {
  size_t N = w->n;
  const double *uv = w->uv, *cap = w->pb->cap;
  for (size_t p0 = 0; p0 < np; p0 += 8) {
    __m512i ia = _mm512_cvtepu8_epi64(_mm_loadl_epi64(
        (const __m128i *)(const void *)(w->pr_a + p0)));
    __m512i ib = _mm512_cvtepu8_epi64(_mm_loadl_epi64(
        (const __m128i *)(const void *)(w->pr_b + p0)));
    vd8 p = v8b(1e-8), m = v8b(1e-8);
    for (size_t v = 0; v < N; v++) {
      __m512d lo = _mm512_loadu_pd(uv + v * SMP_PAIR_OPTS);
      __m512d hi = _mm512_loadu_pd(uv + v * SMP_PAIR_OPTS + 8);
      vd8 ua = (vd8)_mm512_permutex2var_pd(lo, ia, hi);
      vd8 ub = (vd8)_mm512_permutex2var_pd(lo, ib, hi);
      vd8 z = v8vote(rule, v8b(cap[v]), ua, ub);
      p = p + v8pos(z);
      m = m - v8neg(z);
    }
    vd8 s = p + m;
    _mm512_storeu_pd(w->fa + p0, (__m512d)(p / s));
    _mm512_storeu_pd(w->fb + p0, (__m512d)(m / s));
  }
}

typedef void (*pairs8_fn)(ent_smp_work *w, size_t np);
#define PAIRS8_FN(RULE)                                                     \
  __attribute__((target("avx512f,avx512dq"))) static void pairs8_##RULE(    \
      ent_smp_work *w, size_t np) {                                         \
    pairs8_core(ENT_SMP_VOTE_##RULE, w, np);                                \
  }
PAIRS8_FN(BINARY)
PAIRS8_FN(PROPBIN)
PAIRS8_FN(PROP)
PAIRS8_FN(PROPCBC)
PAIRS8_FN(CUBIC)
PAIRS8_FN(ASYMPROSP)
#undef PAIRS8_FN
static const pairs8_fn pairs8_table[6] = {
    pairs8_BINARY, pairs8_PROPBIN, pairs8_PROP,
    pairs8_PROPCBC, pairs8_CUBIC, pairs8_ASYMPROSP};

/* 1 if this turn's queue elections may take queue_pairs / queue_elect:
 * the Conditional PCE with linear victory probabilities (the defaults),
 * the 8-lane kernels, at most SMP_PAIR_OPTS options. */
static int pairs_ok(const ent_smp_work *w) {
  const ent_smp_opts *o = w->o;
  return w->avx512 && w->scalar_kernel == 0 &&
         o->pce == ENT_SMP_PCE_CONDITIONAL && o->vpm == ENT_SMP_VPM_LINEAR &&
         w->n_barg + 1 <= SMP_PAIR_OPTS;
}

/* The options' utilities voter-major, the distinct pairs of the queues
 * (w->q_item, ...) and their victory factors. */
static void queue_pairs(ent_smp_work *w) {
  size_t N = w->n, nb = w->n_barg;
  if (!w->uv_set)
    for (size_t v = 0; v < N; v++) {
      double *uv = w->uv + v * SMP_PAIR_OPTS;
      uv[0] = w->usq[v];
      for (size_t b = 0; b < nb; b++) uv[1 + b] = w->b_u[b * N + v];
    }
  /* pair (g, 0), the status quo against bargain g - 1 (every bargain is
   * in its initiator's queue with the status quo): index g - 1; the pairs
   * of two bargains from nb on, in order of first appearance */
  size_t np = nb;
  for (size_t b = 0; b < nb; b++) {
    w->pr_a[b] = (unsigned char)(b + 1);
    w->pr_b[b] = 0;
  }
  memset(w->pid, 0xff, sizeof w->pid);
  for (size_t k = 0; k < N; k++) {
    size_t K = (size_t)w->q_len[k];
    const int *items = w->q_item + w->q_start[k];
    for (size_t a = 2; a < K; a++) {
      unsigned g = (unsigned)(items[a] + 1);
      for (size_t b = 1; b < a; b++) {
        unsigned h = (unsigned)(items[b] + 1);
        unsigned char *id = &w->pid[g * SMP_PAIR_OPTS + h];
        if (*id != 0xff) continue;
        *id = (unsigned char)np;
        w->pr_a[np] = (unsigned char)g;
        w->pr_b[np] = (unsigned char)h;
        np++;
      }
    }
  }
  for (size_t e = np; e < (np + 7) / 8 * 8; e++) w->pr_a[e] = w->pr_b[e] = 0;
  if (np) pairs8_table[w->o->vote](w, np);
}

/* The election of a queue of K >= 2 options from the pairs' factors:
 * conditional_linear's products in order b (the diagonal's factor 1e-8 /
 * (1e-8 + 1e-8) = 0.5), total in order a, π = q / total into w->pi;
 * ENT_EINTERNAL as conditional_linear. */
static ent_status queue_elect(ent_smp_work *w, const int *items, size_t K) {
  double *q = w->q, *pi = w->pi, total = 0.0;
  size_t id[SMP_PAIR_OPTS * SMP_PAIR_OPTS];
  /* the queue's options are the status quo (g = 0) then bargains in
   * increasing g: the pair (a, b), a > b, is index g_a - 1 for b = 0 */
  for (size_t a = 1; a < K; a++) {
    unsigned g = (unsigned)(items[a] + 1);
    id[a * K] = g - 1;
    for (size_t b = 1; b < a; b++)
      id[a * K + b] = w->pid[g * SMP_PAIR_OPTS + (unsigned)(items[b] + 1)];
  }
  for (size_t a = 0; a < K; a++) {
    double prod = 1.0;
    for (size_t b = 0; b < a; b++) prod = prod * w->fa[id[a * K + b]];
    prod = prod * 0.5; /* 1e-8 / (1e-8 + 1e-8) */
    for (size_t b = a + 1; b < K; b++) prod = prod * w->fb[id[b * K + a]];
    q[a] = prod;
  }
  for (size_t a = 0; a < K; a++) total = total + q[a];
  if (!(total > 0.0) || !isfinite(total)) return ENT_EINTERNAL;
  for (size_t a = 0; a < K; a++) pi[a] = q[a] / total;
  return ENT_OK;
}
#endif

/* Advances state (x, xi) by one turn into (xn, xin): targets (§5.3),
 * bargains (§5.4-§5.5), queues and their elections (§5.6-§5.7), then the
 * accommodation of ideals (§5.8).
 * Long: the steps of §5 in the spec's order on one workspace, with the
 * random draws of the stochastic options in KTAB's sequence; kept in one
 * function so that the order of draws and sums -- on which bit-for-bit
 * agreement with KTAB rests -- reads as the spec writes it. */
ent_status ent_smp_advance(ent_smp_work *w, int state, const double *x,
                           const double *xi, double *xn, double *xin,
                           ent_diag *d) {
  const ent_smp_problem *pb = w->pb;
  const ent_smp_opts *o = w->o;
  size_t N = w->n, M = w->m;
  const double *sal = pb->sal;
  ent_status st;

  memcpy(xn, x, N * M * sizeof *x);
  memcpy(w->Wp, pb->W, N * sizeof *pb->W);
  memcpy(w->Sp, pb->S, N * sizeof *pb->S);
  for (size_t i = 0; i < N; i++) {
    w->target[i] = -1;
    w->p_win[i] = w->gain[i] = 0.0;
    w->chosen_init[i] = w->chosen_targ[i] = (int)i;
  }
  w->n_barg = 0;

  if (!w->degenerate) {
    /* §5.2-5.3 challenges, from each initiator's own perspective. */
    for (size_t i = 0; i < N; i++) choose_target(w, i);

    /* §5.4-5.5 bargains, in initiator order. */
    for (size_t i = 0; i < N; i++) {
      int jt = w->target[i];
      if (jt < 0) continue;
      size_t j = (size_t)jt;
      const double *x_i = x + i * M, *x_j = x + j * M;
      const double *s_i = sal + i * M, *s_j = sal + j * M;
      double pij = w->p_win[i];
      double *yI = w->y_init + i * M, *yJ = w->y_targ + i * M;
      make_bargain(o->ivb, M, x_i, x_j, s_i, s_j, pij, 1.0 - pij, yI, yJ);
      if (o->bargn == ENT_SMP_BARGN_INIT_ONLY) {
        size_t b = push_bargain(w, i, j);
        memcpy(w->b_yI + b * M, yI, M * sizeof *yI);
        memcpy(w->b_yJ + b * M, yJ, M * sizeof *yJ);
        continue;
      }
      /* Target-side bargain from g = Δ(j; i; i→j): j's estimate of the
       * initiator's gain, used as a probability as KTAB does (§5.5). */
      double pj, g;
      ent_smp_estimate(w, j, i, i, j, &pj, &g);
      double *tI = w->tmpI, *tJ = w->tmpJ;
      make_bargain(o->ivb, M, x_i, x_j, s_i, s_j, g, 1.0 - g, tI, tJ);
      if (o->bargn == ENT_SMP_BARGN_INIT_RCVR) {
        size_t b = push_bargain(w, i, j);
        memcpy(w->b_yI + b * M, yI, M * sizeof *yI);
        memcpy(w->b_yJ + b * M, yJ, M * sizeof *yJ);
        b = push_bargain(w, i, j);
        memcpy(w->b_yI + b * M, tI, M * sizeof *tI);
        memcpy(w->b_yJ + b * M, tJ, M * sizeof *tJ);
      } else { /* PWCompInterp: ω_I = c_i S_i, ω_J = c_i S_j (sic) */
        double wi = pb->cap[i] * pb->S[i], wj = pb->cap[i] * pb->S[j];
        size_t b = push_bargain(w, i, j);
        double *bI = w->b_yI + b * M, *bJ = w->b_yJ + b * M;
        for (size_t k = 0; k < M; k++) {
          bI[k] = (wi * yI[k] + wj * tI[k]) / (wi + wj);
          bJ[k] = (wi * yJ[k] + wj * tJ[k]) / (wi + wj);
        }
      }
    }
    if (!all_finite(w->b_yI, w->n_barg * M) ||
        !all_finite(w->b_yJ, w->n_barg * M)) {
      ent_smp_report(d, w->note, ENT_SEV_ERROR, ENT_EINPUT, pb->file, 0, 0,
                   "state %d: a bargain has a non-finite position (with %s "
                   "the target-side bargain uses an expected gain as a "
                   "probability, smp.md §5.5)",
                   state, ent_smp_bargn_name(o->bargn));
      return ENT_EINPUT;
    }

    /* §5.7 utilities: of the status quo, and of each bargain's outcome,
     * for every voter a. */
    double Nd = (double)N;
    int lanes = 0;
#if SMP_HAVE_AVX2
    if (w->avx2 && (w->scalar_kernel == 0 || w->scalar_kernel == 3))
      lanes = 4;
#endif
#if SMP_HAVE_AVX512
    if (w->avx512 && w->scalar_kernel == 0) lanes = 8;
#endif
    w->uv_set = 0;
#if SMP_HAVE_AVX512
    if (lanes == 8 && N <= 8) {
      utilities8(w, xi);
      goto utilities_done;
    }
#endif
    if (lanes) {
      for (size_t a = 0; a < N; a++) w->usq[a] = 0.0;
#if SMP_HAVE_AVX512
      if (lanes == 8) sums8(w, N, N, w->usq);
#endif
#if SMP_HAVE_AVX2
      if (lanes == 4) sums4(w, N, N, w->usq);
#endif
    } else
    for (size_t a = 0; a < N; a++) {
      const double *ua = w->Uown + a * w->ld;
      double s = 0.0;
      for (size_t n = 0; n < N; n++) s = s + ua[n];
      w->usq[a] = s / Nd;
    }
    for (size_t b = 0; b < w->n_barg; b++) {
      size_t I = (size_t)w->b_init[b], J = (size_t)w->b_targ[b];
      const double *yI = w->b_yI + b * M, *yJ = w->b_yJ + b * M;
      double *u = w->b_u + b * N;
      /* The two principals' new positions first, then every other actor's
       * current one, in order. */
#if SMP_HAVE_AVX512
      if (w->avx512 && w->scalar_kernel == 0)
        principal_terms8(w, xi, yI, yJ, u);
      else
#endif
      for (size_t a = 0; a < N; a++) {
        const double *xa = xi + a * M, *sa = sal + a * M;
        double ra = w->R[a];
        double s = 0.0 + util_f(distance(xa, sa, pb->ssq[a], yI, M), ra);
        u[a] = s + util_f(distance(xa, sa, pb->ssq[a], yJ, M), ra);
      }
#if SMP_HAVE_AVX512
      if (lanes == 8) {
        sums8(w, I, J, u);
        continue;
      }
#endif
#if SMP_HAVE_AVX2
      if (lanes == 4) {
        sums4(w, I, J, u);
        continue;
      }
#endif
      bargain_sums(w, I, J, u);
      for (size_t a = 0; a < N; a++) u[a] = u[a] / Nd;
    }
#if SMP_HAVE_AVX512
  utilities_done:
#endif

    /* §5.6 queues: status quo first, then bargains in initiator order. */
    for (size_t k = 0; k < N; k++) w->q_len[k] = 1;
    for (size_t b = 0; b < w->n_barg; b++) {
      w->q_len[w->b_init[b]]++;
      w->q_len[w->b_targ[b]]++;
    }
    int at = 0;
    for (size_t k = 0; k < N; k++) {
      w->q_start[k] = at;
      w->q_item[at] = -1;
      at += w->q_len[k];
      w->q_len[k] = 1;
    }
    for (size_t b = 0; b < w->n_barg; b++) {
      int I = w->b_init[b], J = w->b_targ[b];
      w->q_item[w->q_start[I] + w->q_len[I]++] = (int)b;
      w->q_item[w->q_start[J] + w->q_len[J]++] = (int)b;
    }

    /* §5.7 resolution: each actor's election over its queue. */
    int pairs = 0;
#if SMP_HAVE_AVX512
    pairs = pairs_ok(w);
    if (pairs) queue_pairs(w);
#endif
    for (size_t k = 0; k < N; k++) {
      size_t K = (size_t)w->q_len[k];
      const int *items = w->q_item + w->q_start[k];
      if (!pairs)
        for (size_t m = 0; m < K; m++)
          w->rows[m] =
              items[m] < 0 ? w->usq : w->b_u + (size_t)items[m] * N;
      /* A queue of the status quo alone: its election gives π = 1 exactly
       * under every PCE (C = 1e-8, P = 1/2; conditional 0.5 / 0.5, the
       * Markov iterations stay at 1 and stop at once). */
      if (K == 1) {
        w->pi[0] = 1.0;
        st = ENT_OK;
      } else {
#if SMP_HAVE_AVX512
        if (pairs)
          st = queue_elect(w, items, K);
        else
#endif
        st = ent_smp_election(w, K, pb->cap);
      }
      if (st != ENT_OK) {
        char what[64];
        snprintf(what, sizeof what, "queue of '%.30s'", pb->actor[k]);
        st = ent_smp_election_failed(w, st, state, what, d);
        if (st != ENT_OK) return st;
      }
      size_t best = 0;
      if (o->trans == ENT_SMP_TRANS_STOCHASTIC) {
        double u = ent_smp_rng_uniform(&w->rng), cum = 0.0;
        best = K - 1;
        for (size_t m = 0; m < K; m++) {
          cum = cum + w->pi[m];
          if (u <= cum) {
            best = m;
            break;
          }
        }
      } else {
        for (size_t m = 1; m < K; m++)
          if (w->pi[m] > w->pi[best]) best = m;
      }
      int b = items[best];
      if (b < 0) continue; /* status quo */
      w->chosen_init[k] = w->b_init[b];
      w->chosen_targ[k] = w->b_targ[b];
      const double *y = (size_t)w->b_init[b] == k ? w->b_yI + (size_t)b * M
                                                   : w->b_yJ + (size_t)b * M;
      memcpy(xn + k * M, y, M * sizeof *y);
    }
  }

  /* §5.8 ideals. */
  if (!w->A) {
    memcpy(xin, xn, N * M * sizeof *xn);
  } else {
    for (size_t i = 0; i < N; i++) {
      const double *Ai = w->A + i * N;
      for (size_t k = 0; k < M; k++) {
        double v = 0.0, s = 0.0;
        for (size_t j = 0; j < N; j++) {
          v = v + Ai[j] * xn[j * M + k];
          s = s + Ai[j];
        }
        if (s > 1.0) s = 1.0;
        double lag = 1.0 - s;
        xin[i * M + k] = v + lag * xi[i * M + k];
      }
    }
  }
  return ENT_OK;
}
