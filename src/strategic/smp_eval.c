/*
 * smp_eval.c -- the elections (smp.md §3) and the evaluation of a state
 * (§4) of KTAB's Spatial Model of Politics: distances, utilities, risk
 * inference, perspective attitudes and winning probabilities.  Part of the
 * module smp.c; the arithmetic rules of smp.c's opening comment (binary64,
 * no contraction, sums in index order, SIMD lanes equal to the scalar
 * forms) hold here.  Shared internals are in smp_impl.h.
 */
#include "strategic/smp_impl.h"

#include <math.h>
#include <string.h>
#if SMP_HAVE_AVX512
#include <immintrin.h>
#endif

/* Risk attitude h ascribes to i (§4.3). */
static double rho_adjust(ent_smp_radj a, double rh, double ri) {
  switch (a) {
  case ENT_SMP_RADJ_NONE:
    return rh;
  case ENT_SMP_RADJ_HALF:
    return (rh + ri) / 2.0;
  case ENT_SMP_RADJ_TWOTHIRDS:
    return (rh + (2.0 * ri)) / 3.0;
  case ENT_SMP_RADJ_FULL:
    return ri;
  case ENT_SMP_RADJ_ONETHIRD:
  default:
    return ((2.0 * rh) + ri) / 3.0;
  }
}

#define RHO_LOOP(ADJ)                                                       \
  for (size_t h = 0; h < N; h++)                                            \
    for (size_t i = 0; i < N; i++)                                          \
  w->rho[h * N + i] = rho_adjust(ADJ, w->R[h], w->R[i])

/* ------------------------------------------------------------ elections */

/* Coalitions of option a against 4 consecutive options b0 .. b0+3 (all
 * below a), one pair per lane; the scalar loop of `coalitions` is the
 * reference form. */
#if SMP_HAVE_VEC
ENT_INLINE void coal_block(ent_smp_vote rule, size_t N, const double *ua,
                           const double *const *ub, const double *w,
                           double *cab, double *cba) {
  const double *u0 = ub[0], *u1 = ub[1], *u2 = ub[2], *u3 = ub[3];
  vd p0 = vb(1e-8), p1 = vb(1e-8), m0 = vb(1e-8), m1 = vb(1e-8);
  for (size_t v = 0; v < N; v++) {
    vd wv = vb(w[v]), av = vb(ua[v]);
    vd b01 = {u0[v], u1[v]}, b23 = {u2[v], u3[v]};
    vd z0 = vvote(rule, wv, av, b01), z1 = vvote(rule, wv, av, b23);
    p0 = p0 + vpos(z0);
    m0 = m0 - vneg(z0);
    p1 = p1 + vpos(z1);
    m1 = m1 - vneg(z1);
  }
  cab[0] = p0[0], cab[1] = p0[1], cab[2] = p1[0], cab[3] = p1[1];
  cba[0] = m0[0], cba[1] = m0[1], cba[2] = m1[0], cba[3] = m1[1];
}

/* The same for 2 consecutive options b0, b0+1: one vector. */
ENT_INLINE void coal_block2(ent_smp_vote rule, size_t N, const double *ua,
                            const double *const *ub, const double *w,
                            double *cab, double *cba) {
  const double *u0 = ub[0], *u1 = ub[1];
  vd p0 = vb(1e-8), m0 = vb(1e-8);
  for (size_t v = 0; v < N; v++) {
    vd b01 = {u0[v], u1[v]};
    vd z0 = vvote(rule, vb(w[v]), vb(ua[v]), b01);
    p0 = p0 + vpos(z0);
    m0 = m0 - vneg(z0);
  }
  cab[0] = p0[0], cab[1] = p0[1];
  cba[0] = m0[0], cba[1] = m0[1];
}
#endif

/* Coalition strengths over K options (§3.3): rows[o][v] is voter v's
 * utility of option o, w[v] the voter weights.  Pairs with the higher
 * index first; C(a,b) = 1e-8 + the votes for a over b, summed over voters
 * in order ("add z if positive" written branch-free: c + 0.0 == c).
 * Inlined once per vote rule (coal_table), so that no loop switches on
 * the rule. */
ENT_INLINE void coalitions_rule(ent_smp_vote rule, size_t K, size_t N,
                                const double *const *rows, const double *w,
                                double *C, int scalar) {
  for (size_t a = 0; a < K; a++) {
    const double *ua = rows[a];
    size_t b = 0;
#if SMP_HAVE_VEC
    if (!scalar) {
      for (; b + 4 <= a; b += 4) {
        double cab[4], cba[4];
        coal_block(rule, N, ua, rows + b, w, cab, cba);
        for (size_t l = 0; l < 4; l++) {
          C[a * K + b + l] = cab[l];
          C[(b + l) * K + a] = cba[l];
        }
      }
      if (b + 2 <= a) {
        double cab[2], cba[2];
        coal_block2(rule, N, ua, rows + b, w, cab, cba);
        for (size_t l = 0; l < 2; l++) {
          C[a * K + b + l] = cab[l];
          C[(b + l) * K + a] = cba[l];
        }
        b += 2;
      }
    }
#endif
    for (; b < a; b++) {
      const double *ub = rows[b];
      double cab = 1e-8, cba = 1e-8;
      for (size_t v = 0; v < N; v++) {
        double z = vote(rule, w[v], ua[v], ub[v]);
        cab = cab + (z > 0.0 ? z : 0.0);
        cba = cba - (z < 0.0 ? z : 0.0);
      }
      C[a * K + b] = cab;
      C[b * K + a] = cba;
    }
    C[a * K + a] = 1e-8;
  }
}

typedef void (*coal_fn)(size_t K, size_t N, const double *const *rows,
                        const double *w, double *C, int scalar);
#define COAL_FN(RULE)                                                       \
  static void coal_##RULE(size_t K, size_t N, const double *const *rows,    \
                          const double *w, double *C, int scalar) {         \
    coalitions_rule(ENT_SMP_VOTE_##RULE, K, N, rows, w, C, scalar);         \
  }
COAL_FN(BINARY)
COAL_FN(PROPBIN)
COAL_FN(PROP)
COAL_FN(PROPCBC)
COAL_FN(CUBIC)
COAL_FN(ASYMPROSP)
#undef COAL_FN
static const coal_fn coal_table[6] = {coal_BINARY,  coal_PROPBIN, coal_PROP,
                                      coal_PROPCBC, coal_CUBIC,
                                      coal_ASYMPROSP};

static void coalitions(ent_smp_vote rule, size_t K, size_t N,
                       const double *const *rows, const double *w, double *C,
                       int scalar) {
  coal_table[rule](K, N, rows, w, C, scalar);
}

#if SMP_HAVE_AVX2
/* The coalitions of K <= SMP_COAL_T_MAX options with 4-lane vectors: the
 * utilities voter-major, T[v*Kp + o] = rows[o][v] (Kp: K rounded up to 4,
 * padding 0), so that options b0 .. b0+3 of voter v are one load; for
 * each a, the pairs (a, b) with b < a four at a time, each lane the
 * scalar loop's operations in voter order (lanes with b >= a are thrown
 * away). */
/* coal4_block for 2 <= K <= 4 options (the queues of a turn): every pair
 * (a, b), b < a, is a lane -- (1,0) (2,0) (2,1) (3,0) in the first vector,
 * (3,1) (3,2) in the second -- read straight from the rows, each lane
 * the scalar loop's operations in voter order; the lanes of absent
 * options (utility 0) are thrown away. */
AVX2_INLINE void coal4_small(ent_smp_vote rule, size_t K, size_t N,
                             const double *const *rows, const double *w,
                             double *C) {
  const double *r0 = rows[0], *r1 = rows[1];
  const double *r2 = K > 2 ? rows[2] : NULL, *r3 = K > 3 ? rows[3] : NULL;
  vd4 p0 = v4b(1e-8), m0 = v4b(1e-8), p1 = v4b(1e-8), m1 = v4b(1e-8);
  for (size_t v = 0; v < N; v++) {
    double t0 = r0[v], t1 = r1[v], t2 = r2 ? r2[v] : 0.0;
    double t3 = r3 ? r3[v] : 0.0;
    vd4 wv = v4b(w[v]);
    vd4 ua = {t1, t2, t2, t3}, ub = {t0, t0, t1, t0};
    vd4 z = v4vote(rule, wv, ua, ub);
    p0 = p0 + v4pos(z);
    m0 = m0 - v4neg(z);
    if (r3) {
      vd4 ua1 = {t3, t3, 0.0, 0.0}, ub1 = {t1, t2, 0.0, 0.0};
      vd4 z1 = v4vote(rule, wv, ua1, ub1);
      p1 = p1 + v4pos(z1);
      m1 = m1 - v4neg(z1);
    }
  }
  static const unsigned char pa[6] = {1, 2, 2, 3, 3, 3}, pb[6] = {0, 0, 1, 0, 1, 2};
  size_t pairs = K * (K - 1) / 2;
  for (size_t l = 0; l < pairs; l++) {
    double p = l < 4 ? p0[l] : p1[l - 4], m = l < 4 ? m0[l] : m1[l - 4];
    C[pa[l] * K + pb[l]] = p;
    C[pb[l] * K + pa[l]] = m;
  }
  for (size_t a = 0; a < K; a++) C[a * K + a] = 1e-8;
}

/* The pairs (a, b), b < a, of K options from the voter-major utilities
 * T (T[v*ld + o] = utility of option o to voter v; ld >= K rounded up to
 * 4, the padding finite), four b at a time. */
AVX2_INLINE void coal4_core(ent_smp_vote rule, size_t K, size_t N,
                            const double *T, size_t ld, const double *w,
                            double *C) {
  for (size_t a = 0; a < K; a++) {
    for (size_t b0 = 0; b0 < a; b0 += 4) {
      vd4 p = v4b(1e-8), m = v4b(1e-8);
      for (size_t v = 0; v < N; v++) {
        const double *tv = T + v * ld;
        vd4 ub;
        memcpy(&ub, tv + b0, sizeof ub);
        vd4 z = v4vote(rule, v4b(w[v]), v4b(tv[a]), ub);
        p = p + v4pos(z);
        m = m - v4neg(z);
      }
      for (size_t l = 0; l < 4 && b0 + l < a; l++) {
        C[a * K + b0 + l] = p[l];
        C[(b0 + l) * K + a] = m[l];
      }
    }
    C[a * K + a] = 1e-8;
  }
}

AVX2_INLINE void coal4_block(ent_smp_vote rule, size_t K, size_t N,
                             const double *const *rows, const double *w,
                             double *T, double *C) {
  if (K >= 2 && K <= 4) {
    coal4_small(rule, K, N, rows, w, C);
    return;
  }
  size_t Kp = (K + 3) / 4 * 4;
  for (size_t v = 0; v < N; v++) {
    double *tv = T + v * Kp;
    for (size_t o = 0; o < K; o++) tv[o] = rows[o][v];
    for (size_t o = K; o < Kp; o++) tv[o] = 0.0;
  }
  coal4_core(rule, K, N, T, Kp, w, C);
}

typedef void (*coal4_fn)(size_t K, size_t N, const double *const *rows,
                         const double *w, double *T, double *C);
#define COAL4_FN(RULE)                                                      \
  __attribute__((target("avx2"))) static void coal4_##RULE(                 \
      size_t K, size_t N, const double *const *rows, const double *w,       \
      double *T, double *C) {                                               \
    coal4_block(ENT_SMP_VOTE_##RULE, K, N, rows, w, T, C);                  \
  }
COAL4_FN(BINARY)
COAL4_FN(PROPBIN)
COAL4_FN(PROP)
COAL4_FN(PROPCBC)
COAL4_FN(CUBIC)
COAL4_FN(ASYMPROSP)
#undef COAL4_FN
static const coal4_fn coal4_table[6] = {coal4_BINARY,  coal4_PROPBIN,
                                        coal4_PROP,    coal4_PROPCBC,
                                        coal4_CUBIC,   coal4_ASYMPROSP};

/* The cores on a voter-major table (election_vm). */
typedef void (*coalt_fn)(size_t K, size_t N, const double *T, size_t ld,
                         const double *w, double *C);
#define COAL4T_FN(RULE)                                                     \
  __attribute__((target("avx2"))) static void coal4t_##RULE(                \
      size_t K, size_t N, const double *T, size_t ld, const double *w,      \
      double *C) {                                                          \
    coal4_core(ENT_SMP_VOTE_##RULE, K, N, T, ld, w, C);                     \
  }
COAL4T_FN(BINARY)
COAL4T_FN(PROPBIN)
COAL4T_FN(PROP)
COAL4T_FN(PROPCBC)
COAL4T_FN(CUBIC)
COAL4T_FN(ASYMPROSP)
#undef COAL4T_FN
static const coalt_fn coal4t_table[6] = {coal4t_BINARY,  coal4t_PROPBIN,
                                         coal4t_PROP,    coal4t_PROPCBC,
                                         coal4t_CUBIC,   coal4t_ASYMPROSP};
#endif

#if SMP_HAVE_AVX512
/* coal4_block with 8 lanes (AVX-512F/DQ, checked at run time): Kp is K
 * rounded up to 8 (<= SMP_COAL_T_MAX), pairs (a, b) with b < a eight at a
 * time, each lane the scalar loop's operations in voter order. */
AVX512_INLINE void coal8_core(ent_smp_vote rule, size_t K, size_t N,
                              const double *T, size_t ld, const double *w,
                              double *C) {
  for (size_t a = 0; a < K; a++) {
    for (size_t b0 = 0; b0 < a; b0 += 8) {
      vd8 p = v8b(1e-8), m = v8b(1e-8);
      for (size_t v = 0; v < N; v++) {
        const double *tv = T + v * ld;
        vd8 ub;
        memcpy(&ub, tv + b0, sizeof ub);
        vd8 z = v8vote(rule, v8b(w[v]), v8b(tv[a]), ub);
        p = p + v8pos(z);
        m = m - v8neg(z);
      }
      for (size_t l = 0; l < 8 && b0 + l < a; l++) {
        C[a * K + b0 + l] = p[l];
        C[(b0 + l) * K + a] = m[l];
      }
    }
    C[a * K + a] = 1e-8;
  }
}

AVX512_INLINE void coal8_block(ent_smp_vote rule, size_t K, size_t N,
                               const double *const *rows, const double *w,
                               double *T, double *C) {
  size_t Kp = (K + 7) / 8 * 8;
  for (size_t v = 0; v < N; v++) {
    double *tv = T + v * Kp;
    for (size_t o = 0; o < K; o++) tv[o] = rows[o][v];
    for (size_t o = K; o < Kp; o++) tv[o] = 0.0;
  }
  coal8_core(rule, K, N, T, Kp, w, C);
}

#define COAL8_FN(RULE)                                                      \
  __attribute__((target("avx512f,avx512dq"))) static void coal8_##RULE(     \
      size_t K, size_t N, const double *const *rows, const double *w,       \
      double *T, double *C) {                                               \
    coal8_block(ENT_SMP_VOTE_##RULE, K, N, rows, w, T, C);                  \
  }
COAL8_FN(BINARY)
COAL8_FN(PROPBIN)
COAL8_FN(PROP)
COAL8_FN(PROPCBC)
COAL8_FN(CUBIC)
COAL8_FN(ASYMPROSP)
#undef COAL8_FN
static const coal4_fn coal8_table[6] = {coal8_BINARY,  coal8_PROPBIN,
                                        coal8_PROP,    coal8_PROPCBC,
                                        coal8_CUBIC,   coal8_ASYMPROSP};
#define COAL8T_FN(RULE)                                                     \
  __attribute__((target("avx512f,avx512dq"))) static void coal8t_##RULE(    \
      size_t K, size_t N, const double *T, size_t ld, const double *w,      \
      double *C) {                                                          \
    coal8_core(ENT_SMP_VOTE_##RULE, K, N, T, ld, w, C);                     \
  }
COAL8T_FN(BINARY)
COAL8T_FN(PROPBIN)
COAL8T_FN(PROP)
COAL8T_FN(PROPCBC)
COAL8T_FN(CUBIC)
COAL8T_FN(ASYMPROSP)
#undef COAL8T_FN
static const coalt_fn coal8t_table[6] = {coal8t_BINARY,  coal8t_PROPBIN,
                                         coal8t_PROP,    coal8t_PROPCBC,
                                         coal8t_CUBIC,   coal8t_ASYMPROSP};
#endif


/* Victory probabilities (§3.4) from coalitions C into P. */
static void victory(ent_smp_vpm model, size_t K, const double *C, double *P) {
  for (size_t a = 0; a < K; a++) {
    for (size_t b = 0; b < a; b++) {
      double s1 = C[a * K + b], s2 = C[b * K + a], x1, x2;
      switch (model) {
      case ENT_SMP_VPM_SQUARE:
        x1 = s1 * s1;
        x2 = s2 * s2;
        break;
      case ENT_SMP_VPM_QUARTIC:
        x1 = ((s1 * s1) * s1) * s1;
        x2 = ((s2 * s2) * s2) * s2;
        break;
      case ENT_SMP_VPM_OCTIC: {
        double q1 = ((s1 * s1) * s1) * s1, q2 = ((s2 * s2) * s2) * s2;
        x1 = q1 * q1;
        x2 = q2 * q2;
        break;
      }
      case ENT_SMP_VPM_BINARY:
        if (s1 >= 1.1 * s2) {
          x1 = 1.0;
          x2 = 1e-6;
        } else if (s2 >= 1.1 * s1) {
          x1 = 1e-6;
          x2 = 1.0;
        } else {
          double r = s1 / (s1 + s2);
          double p = (r * (1.1 + 1.0) - 1.0) / (1.1 - 1.0);
          x1 = p;
          x2 = 1.0 - p;
        }
        break;
      case ENT_SMP_VPM_LINEAR:
      default:
        x1 = s1;
        x2 = s2;
        break;
      }
      P[a * K + b] = x1 / (x1 + x2);
      P[b * K + a] = x2 / (x1 + x2);
    }
    P[a * K + a] = 0.5;
  }
}


/* Linear victory probabilities and the Conditional PCE in one pass (the
 * defaults): q_a = Π_b P(a,b) in order b, with P(a,b) = C(a,b) / (C(a,b)
 * + C(b,a)) -- victory()'s s1 / (s1 + s2) for a > b and its
 * s2 / (s1 + s2) for a < b (an IEEE sum does not depend on the order of
 * its two operands), and for a = b, 1e-8 / (1e-8 + 1e-8) = 0.5 exactly,
 * victory()'s diagonal -- so the products and pi of the two steps bit
 * for bit, without storing P. */
#if SMP_HAVE_AVX2
/* The products q_a of conditional_linear for K <= 8 options with the
 * options a in lanes (4 lanes, AVX2; 8, AVX-512F/DQ; checked at run
 * time): C(a,b) gathered down column b, C(b,a) loaded along row b, the
 * same division and product in each lane, so the same doubles.  Dead
 * lanes compute 1 / (1 + 1) and are never stored. */
__attribute__((target("avx2"))) static void cond_q4(size_t K,
                                                    const double *C,
                                                    double *q) {
  for (size_t a0 = 0; a0 < K; a0 += 4) {
    long long live[4], idx[4];
    for (int l = 0; l < 4; l++) {
      live[l] = a0 + (size_t)l < K ? -1 : 0;
      idx[l] = (long long)((a0 + (size_t)l) * K);
    }
    __m256i m = _mm256_loadu_si256((const __m256i *)(const void *)live);
    __m256i ix = _mm256_loadu_si256((const __m256i *)(const void *)idx);
    __m256d one = _mm256_set1_pd(1.0);
    vd4 prod = v4b(1.0);
    for (size_t b = 0; b < K; b++) {
      __m256d col = _mm256_mask_i64gather_pd(
          one, C + b, ix, _mm256_castsi256_pd(m), 8);
      __m256d row = _mm256_blendv_pd(
          one, _mm256_maskload_pd(C + b * K + a0, m), _mm256_castsi256_pd(m));
      vd4 c = (vd4)col, t = (vd4)row;
      prod = prod * (c / (c + t));
    }
    for (size_t l = 0; l < 4 && a0 + l < K; l++) q[a0 + l] = prod[l];
  }
}
#endif
#if SMP_HAVE_AVX512
__attribute__((target("avx512f,avx512dq"))) static void cond_q8(size_t K,
                                                                const double *C,
                                                                double *q) {
  __mmask8 live = (__mmask8)((1u << K) - 1u);
  const __m512i step = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  __m512i ix = _mm512_mullo_epi64(step, _mm512_set1_epi64((long long)K));
  __m512d one = _mm512_set1_pd(1.0);
  vd8 prod = v8b(1.0);
  for (size_t b = 0; b < K; b++) {
    vd8 c = (vd8)_mm512_mask_i64gather_pd(one, live, ix, C + b, 8);
    vd8 t = (vd8)_mm512_mask_loadu_pd(one, live, C + b * K);
    prod = prod * (c / (c + t));
  }
  _mm512_mask_storeu_pd(q, live, (__m512d)prod);
}
#endif

static ent_status conditional_linear(const ent_smp_work *w, size_t K,
                                     const double *C, double *pi, double *q) {
  int lanes = 0;
#if SMP_HAVE_AVX2
  if (K <= 8 && w->avx2 && (w->scalar_kernel == 0 || w->scalar_kernel == 3))
    lanes = 4;
#endif
#if SMP_HAVE_AVX512
  if (K <= 8 && w->avx512 && w->scalar_kernel == 0) lanes = 8;
#endif
  (void)lanes; /* unread where no vector path is compiled (non-x86) */
#if SMP_HAVE_AVX512
  if (lanes == 8) cond_q8(K, C, q);
  else
#endif
#if SMP_HAVE_AVX2
  if (lanes == 4) cond_q4(K, C, q);
  else
#endif
  for (size_t a = 0; a < K; a++) {
    const double *Ca = C + a * K;
    double prod = 1.0;
    for (size_t b = 0; b < K; b++) {
      double c = Ca[b], t = C[b * K + a];
      prod = prod * (c / (c + t));
    }
    q[a] = prod;
  }
  double total = 0.0;
  for (size_t a = 0; a < K; a++) total = total + q[a];
  if (!(total > 0.0) || !isfinite(total)) return ENT_EINTERNAL;
  for (size_t a = 0; a < K; a++) pi[a] = q[a] / total;
  return ENT_OK;
}

static ent_status election_tail(ent_smp_work *w, size_t K);

/* Full election (§3.6): coalitions, victory probabilities, PCE -> w->pi.
 * Returns ENT_OK; ENT_ENOCONV if a Markov PCE needed >= 1000 iterations
 * (w->pi then holds the last iterate, which is finite); ENT_EINTERNAL if
 * the conditional product underflowed (cannot normalise). */
ent_status ent_smp_election(ent_smp_work *w, size_t K,
                            const double *weights) {
  const ent_smp_opts *o = w->o;
  size_t N = w->n;
  double *C = w->C;
#if SMP_HAVE_AVX512
  /* up to 4 options, one 4-lane block per option does it all */
  if (w->avx512 && w->scalar_kernel == 0 && K > 4 && K <= SMP_COAL_T_MAX)
    coal8_table[o->vote](K, N, w->rows, weights, w->CT, C);
  else
#endif
#if SMP_HAVE_AVX2
  if (w->avx2 && (w->scalar_kernel == 0 || w->scalar_kernel == 3) &&
      K <= SMP_COAL_T_MAX)
    coal4_table[o->vote](K, N, w->rows, weights, w->CT, C);
  else
#endif
    coalitions(o->vote, K, N, w->rows, weights, C, w->scalar_kernel == 1);
  return election_tail(w, K);
}

/* 1 if the elections of up to K options can take voter-major tables
 * (election_vm): the 4- or 8-lane coalitions of this CPU. */
static int election_vm_ok(const ent_smp_work *w, size_t K) {
  (void)w;
  (void)K;
#if SMP_HAVE_AVX2
  return w->avx2 && (w->scalar_kernel == 0 || w->scalar_kernel == 3) &&
         K <= SMP_COAL_T_MAX;
#else
  return 0;
#endif
}

/* ent_smp_election from the voter-major table T (T[v*ld + o] = voter v's
 * utility of option o; ld >= K rounded up to 8, the padding finite):
 * the same coalitions as from option rows, without the transposition.
 * Only where election_vm_ok. */
static ent_status election_vm(ent_smp_work *w, size_t K, const double *T,
                              size_t ld, const double *weights) {
#if SMP_HAVE_AVX512
  if (ent_smp_elect8_ok(w, K)) return ent_smp_elect8(w, K, T, ld, weights);
#endif
#if SMP_HAVE_AVX2
  coalt_fn fn = coal4t_table[w->o->vote];
#if SMP_HAVE_AVX512
  if (w->avx512 && w->scalar_kernel == 0) fn = coal8t_table[w->o->vote];
#endif
  fn(K, w->n, T, ld, weights, w->C);
#else
  (void)T;
  (void)ld;
  (void)weights;
#endif
  return election_tail(w, K);
}

/* Victory probabilities and the PCE of an election whose coalitions are
 * in w->C. */
static ent_status election_tail(ent_smp_work *w, size_t K) {
  const ent_smp_opts *o = w->o;
  double *C = w->C, *P = w->P, *pi = w->pi, *q = w->q;
  if (o->pce == ENT_SMP_PCE_CONDITIONAL && o->vpm == ENT_SMP_VPM_LINEAR)
    return conditional_linear(w, K, C, pi, q);
  victory(o->vpm, K, C, P);
  if (o->pce == ENT_SMP_PCE_CONDITIONAL) {
    double total = 0.0;
    for (size_t a = 0; a < K; a++) {
      double prod = 1.0;
      const double *Pa = P + a * K;
      for (size_t b = 0; b < K; b++) prod = prod * Pa[b];
      q[a] = prod;
    }
    for (size_t a = 0; a < K; a++) total = total + q[a];
    if (!(total > 0.0) || !isfinite(total)) return ENT_EINTERNAL;
    for (size_t a = 0; a < K; a++) pi[a] = q[a] / total;
    return ENT_OK;
  }
  double Kd = (double)K;
  for (size_t a = 0; a < K; a++) pi[a] = 1.0 / Kd;
  int iter = 0;
  if (o->pce == ENT_SMP_PCE_MARKOV_UNIFORM) {
    for (;;) {
      double change = 0.0;
      for (size_t a = 0; a < K; a++) {
        double s = 0.0;
        const double *Pa = P + a * K;
        for (size_t b = 0; b < K; b++) s = s + Pa[b] * (pi[a] + pi[b]);
        q[a] = s / Kd;
        double c = fabs(q[a] - pi[a]);
        if (c > change) change = c;
      }
      for (size_t a = 0; a < K; a++) pi[a] = (pi[a] + q[a]) / 2.0;
      iter++;
      if (change <= 1e-6) break;
      if (iter >= MARKOV_MAX_ITER) return ENT_ENOCONV;
    }
  } else { /* MarkovIncentive */
    /* I(a,b) = C(a,b) P(a,b) (+1e-10 on the diagonal) into C, then the
     * challenge probabilities Q(a,b) = I(a,b) / Σ_c I(c,b) in place. */
    for (size_t a = 0; a < K; a++)
      for (size_t b = 0; b < K; b++) {
        double v = C[a * K + b] * P[a * K + b];
        if (a == b) v = v + 1e-10;
        C[a * K + b] = v;
      }
    for (size_t b = 0; b < K; b++) {
      double s = 0.0;
      for (size_t c = 0; c < K; c++) s = s + C[c * K + b];
      w->colsum[b] = s;
    }
    for (size_t a = 0; a < K; a++)
      for (size_t b = 0; b < K; b++) C[a * K + b] = C[a * K + b] / w->colsum[b];
    const double *Q = C;
    for (;;) {
      double change = 0.0;
      for (size_t a = 0; a < K; a++) {
        double s = 0.0;
        const double *Pa = P + a * K;
        for (size_t b = 0; b < K; b++) {
          double tab = pi[a] * Q[b * K + a]; /* T(a,b) = π_a Q(b,a) */
          double tba = pi[b] * Q[a * K + b]; /* T(b,a) = π_b Q(a,b) */
          s = s + Pa[b] * (tab + tba);
        }
        q[a] = s;
        double c = fabs(q[a] - pi[a]);
        if (c > change) change = c;
      }
      for (size_t a = 0; a < K; a++) pi[a] = (pi[a] + q[a]) / 2.0;
      iter++;
      if (change <= 1e-8) break;
      if (iter >= MARKOV_MAX_ITER) return ENT_ENOCONV;
    }
  }
  return ENT_OK;
}

/* Report a failed election; returns the status to propagate (ENT_OK when
 * the options say to carry on). */
ent_status ent_smp_election_failed(ent_smp_work *w, ent_status st,
                                   int state, const char *what,
                                   ent_diag *d) {
  const char *file = w->pb->file;
  if (st == ENT_ENOCONV) {
    if (!w->o->strict) {
      ent_smp_report(d, w->note, ENT_SEV_WARNING, ENT_ENOCONV, file, 0, 0,
                   "state %d: %s: Markov PCE did not converge in %d "
                   "iterations (KTAB aborts here; strict=off keeps the last "
                   "iterate)",
                   state, what, MARKOV_MAX_ITER);
      return ENT_OK;
    }
    ent_smp_report(d, w->note, ENT_SEV_ERROR, ENT_ENOCONV, file, 0, 0,
                 "state %d: %s: Markov PCE did not converge in %d iterations "
                 "(KTAB aborts; strict=off continues)",
                 state, what, MARKOV_MAX_ITER);
    return ENT_ENOCONV;
  }
  ent_smp_report(d, w->note, ENT_SEV_ERROR, ENT_EINTERNAL, file, 0, 0,
               "state %d: %s: the Condorcet products underflowed to 0, the "
               "election has no defined outcome",
               state, what);
  return ENT_EINTERNAL;
}

/* ============================================================ evaluation (§4) */

/* §4.3 perspectives, the scalar form: ρ(R_h, R_i) and each actor's own
 * row U^a(a, ·). */
static void perspectives(ent_smp_work *w) {
  const ent_smp_opts *o = w->o;
  size_t N = w->n;
  switch (o->radj) { /* rho_adjust with the option out of the loop */
  case ENT_SMP_RADJ_NONE:
    RHO_LOOP(ENT_SMP_RADJ_NONE);
    break;
  case ENT_SMP_RADJ_HALF:
    RHO_LOOP(ENT_SMP_RADJ_HALF);
    break;
  case ENT_SMP_RADJ_TWOTHIRDS:
    RHO_LOOP(ENT_SMP_RADJ_TWOTHIRDS);
    break;
  case ENT_SMP_RADJ_FULL:
    RHO_LOOP(ENT_SMP_RADJ_FULL);
    break;
  case ENT_SMP_RADJ_ONETHIRD:
  default:
    RHO_LOOP(ENT_SMP_RADJ_ONETHIRD);
    break;
  }
  for (size_t a = 0; a < N; a++) {
    double ra = w->rho[a * N + a];
    for (size_t b = 0; b < N; b++) {
      double u = util_f(w->D[a * w->ld + b], ra);
      w->Uown[a * w->ld + b] = u;
      w->UownT[b * N + a] = u;
    }
  }
}

#if SMP_HAVE_AVX512
/* The O(N^2) steps of §4.1 and §4.3 for one row a, 8 columns b at a time
 * (AVX-512F/DQ, checked at run time): each lane performs the scalar
 * form's operations in its order -- distance(): sub, mul, mul, add from
 * +0.0, div, sqrt; rho_adjust; util_f as v8util -- all correctly rounded
 * lane-wise and unfused (-ffp-contract=off), so the same doubles.  Lanes
 * past N are computed from zeros and never stored. */
__attribute__((target("avx512f,avx512dq"))) static __mmask8
live8(size_t left) {
  return left >= 8 ? (__mmask8)0xff : (__mmask8)((1u << left) - 1u);
}

/* D(a, ·) and (with_dt) DT(·, a): distances of every position from a's
 * ideal. */
__attribute__((target("avx512f,avx512dq"))) static void
distances8(ent_smp_work *w, size_t a, const double *x, const double *xi,
           int with_dt) {
  size_t N = w->n, M = w->m, ld = w->ld;
  const double *xa = xi + a * M, *sa = w->pb->sal + a * M;
  const __m512d ssq = _mm512_set1_pd(w->pb->ssq[a]);
  const __m512i step = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  double *Da = w->D + a * ld, lane[8];
  for (size_t b0 = 0; b0 < N; b0 += 8) {
    __mmask8 live = live8(N - b0);
    __m512d num = _mm512_setzero_pd();
    for (size_t k = 0; k < M; k++) {
      __m512d y;
      if (M == 1) {
        y = _mm512_maskz_loadu_pd(live, x + b0);
      } else {
        __m512i b = _mm512_add_epi64(step, _mm512_set1_epi64((long long)b0));
        __m512i idx = _mm512_add_epi64(
            _mm512_mullo_epi64(b, _mm512_set1_epi64((long long)M)),
            _mm512_set1_epi64((long long)k));
        y = _mm512_mask_i64gather_pd(_mm512_setzero_pd(), live, idx, x, 8);
      }
      __m512d e = _mm512_sub_pd(_mm512_set1_pd(xa[k]), y);
      __m512d g = _mm512_mul_pd(e, _mm512_set1_pd(sa[k]));
      num = _mm512_add_pd(num, _mm512_mul_pd(g, g));
    }
    __m512d d = _mm512_sqrt_pd(_mm512_div_pd(num, ssq));
    /* the whole block (inside the row of ld, padding 0): a masked store
     * does not forward to the loads that follow */
    _mm512_storeu_pd(Da + b0, _mm512_maskz_mov_pd(live, d));
    if (!with_dt) continue;
    _mm512_storeu_pd(lane, d);
    for (size_t l = 0; l < 8 && b0 + l < N; l++)
      w->DT[(b0 + l) * N + a] = lane[l];
  }
}

/* ρ(R_h, R_i) of row h (§4.3), rho_adjust lane for lane. */
__attribute__((target("avx512f,avx512dq"))) static void
rho_row8(ent_smp_work *w, size_t h) {
  size_t N = w->n;
  ent_smp_radj adj = w->o->radj;
  vd8 rh = v8b(w->R[h]);
  double *out = w->rho + h * N;
  for (size_t i0 = 0; i0 < N; i0 += 8) {
    __mmask8 live = live8(N - i0);
    vd8 ri = (vd8)_mm512_maskz_loadu_pd(live, w->R + i0), r;
    switch (adj) {
    case ENT_SMP_RADJ_NONE:
      r = rh;
      break;
    case ENT_SMP_RADJ_HALF:
      r = (rh + ri) / v8b(2.0);
      break;
    case ENT_SMP_RADJ_TWOTHIRDS:
      r = (rh + (v8b(2.0) * ri)) / v8b(3.0);
      break;
    case ENT_SMP_RADJ_FULL:
      r = ri;
      break;
    case ENT_SMP_RADJ_ONETHIRD:
    default:
      r = ((v8b(2.0) * rh) + ri) / v8b(3.0);
      break;
    }
    /* whole blocks (rho has 8 lanes of slack; rows in order h overwrite
     * what spills into the next) */
    _mm512_storeu_pd(out + i0, _mm512_maskz_mov_pd(live, (__m512d)r));
  }
}

/* U^a(a, ·) into Uown's row a and UownT's column a. */
__attribute__((target("avx512f,avx512dq"))) static void
uown_row8(ent_smp_work *w, size_t a) {
  size_t N = w->n;
  vd8 ra = v8b(w->rho[a * N + a]);
  const double *Da = w->D + a * w->ld;
  double *out = w->Uown + a * w->ld, lane[8];
  for (size_t b0 = 0; b0 < N; b0 += 8) {
    __mmask8 live = live8(N - b0);
    vd8 u = v8util((vd8)_mm512_loadu_pd(Da + b0), ra); /* padded row */
    _mm512_storeu_pd(out + b0, _mm512_maskz_mov_pd(live, (__m512d)u));
    _mm512_storeu_pd(lane, (__m512d)u);
    for (size_t l = 0; l < 8 && b0 + l < N; l++)
      w->UownT[(b0 + l) * N + a] = lane[l];
  }
}
#endif


/* 1 if the election of the winning probabilities (§7.2) of the state
 * just evaluated -- its §4.3 attitudes in w->R, its distances in w->D --
 * cannot fail and yields finite values, so that a caller that does not
 * read them may skip it (ent_smp_evaluate_for_turn); 0 if that is not
 * proven (the election is then held).  Only for the Conditional PCE with
 * linear victory probabilities (conditional_linear), whose one failure
 * is a Condorcet product total that is not positive and finite
 * (ENT_EINTERNAL); the Markov PCEs can warn or fail on their iteration
 * limit, the other VPMs can overflow, so they are never skipped.
 *
 * Proof.  Positions and saliences were checked into [0, 1] and the
 * capabilities into (0, 1e8] (smp_problem.c), so every distance is in
 * [0, 1]: |e| = |xi_k - y_k| <= 1, |e s_k| <= s_k, each term g^2 <= s_k^2
 * and, rounding and sums in the same order being monotone, num <= ssq,
 * num / ssq <= 1 and its square root <= 1 (the AVX-512 path does the
 * same operations).  With every R_i finite and |R_i| <= r, each ρ is a
 * convex combination of two R's (rho_adjust), |ρ| <= r (1 + 4 eps), so
 * every utility (1 - d)(1 + d ρ) has |u| <= (1 + r)(1 + 8 eps) and every
 * difference |Δu| <= U = 2 (1 + r)(1 + 1e-12).  A vote of weight c_v is
 * at most c_v vmax in magnitude (vote(): 1 for Binary, U + 1 for
 * PropBin, U for Prop and AsymProsp, U + U^3 for PropCbc and Cubic, the
 * roundings inside the factor 2 below), so each coalition C(b, a) =
 * 1e-8 + a rounded sum of at most N such non-negative terms is <= T =
 * 2e-8 + 2 Σ c_v vmax, and each C(a, b) >= 1e-8 (non-negative terms
 * added to 1e-8).  Each factor C(a,b) / (C(a,b) + C(b,a)) of a product
 * q_a is therefore in [f, 1] with f = 1e-8 / (1e-8 + T) (1 - 1e-9) (the
 * last factor covers the two roundings of the division and this
 * bound's own), the diagonal one is 1/2 exactly, and q_a >= f^(K-1) / 2
 * >= p = f^(N-1) / 2 (K <= N options, f < 1), each of its at most 250
 * rounded products losing at most one rounding (partial products are
 * at least the final one).  When the rounded p is above 1e-290 -- far
 * above the subnormals, the relative roundings of both products being
 * below 1e-13 -- each q_a is a normal number in (0, 1], their total in
 * (0, K], and the election returns ENT_OK with finite π = q / total.  A
 * non-finite R_i (whose run fails anyway) is never skipped. */
static int win_unfailing(const ent_smp_work *w) {
  const ent_smp_opts *o = w->o;
  if (o->pce != ENT_SMP_PCE_CONDITIONAL || o->vpm != ENT_SMP_VPM_LINEAR)
    return 0;
  size_t N = w->n;
  double r = 0.0, cw = 0.0;
  for (size_t i = 0; i < N; i++) {
    double a = fabs(w->R[i]);
    if (!isfinite(a)) return 0;
    if (a > r) r = a;
    cw = cw + w->pb->cap[i];
  }
  double U = 2.0 * (1.0 + r) * (1.0 + 1e-12), vmax;
  switch (o->vote) { /* |vote()| / c_v for |Δu| <= U */
  case ENT_SMP_VOTE_BINARY:
    vmax = 1.0;
    break;
  case ENT_SMP_VOTE_PROPBIN:
    vmax = U + 1.0;
    break;
  case ENT_SMP_VOTE_PROPCBC:
  case ENT_SMP_VOTE_CUBIC:
    vmax = U + U * U * U;
    break;
  case ENT_SMP_VOTE_PROP:
  case ENT_SMP_VOTE_ASYMPROSP:
  default:
    vmax = U;
    break;
  }
  double T = 2e-8 + 2.0 * cw * vmax;
  double f = (1e-8 / (1e-8 + T)) * (1.0 - 1e-9), p = 0.5;
  for (size_t i = 1; i < N; i++) p = p * f;
  return p > 1e-290;
}

/* Evaluates state (x, xi): distances and risk-neutral utilities (§4.1),
 * risk inference (§4.2), perspective attitudes and own utilities (§4.3),
 * the §4.4 sanity norms and the winning probabilities (§4.5).
 * Long: the steps of §4 in the spec's order, one after the other on the
 * same workspace arrays; kept in one function so that the order of every
 * sum -- on which bit-for-bit agreement with KTAB rests -- reads as the
 * spec writes it. */
static ent_status evaluate(ent_smp_work *w, int state, const double *x,
                          const double *xi, int *won, int final,
                          ent_diag *d) {
  const ent_smp_problem *pb = w->pb;
  const ent_smp_opts *o = w->o;
  size_t N = w->n, M = w->m;
  const double *sal = pb->sal, *ssq = pb->ssq;
  ent_status st;

  /* Both elections (K <= N options) from voter-major tables where the
   * CPU's vector coalitions take them: V's rows are 1 - D's, the own
   * utilities' are Uown's (both with stride ld); else from option rows
   * (VT, UownT). */
  int vmaj = election_vm_ok(w, N);
  size_t ld = w->ld;

  /* §4.1 distances D(a,b) = D_a(x_b) and risk-neutral values V. */
#if SMP_HAVE_AVX512
  int wide = w->avx512 && w->scalar_kernel == 0;
  w->d_le1 = 0;
  if (wide) {
    for (size_t a = 0; a < N; a++) distances8(w, a, x, xi, !vmaj && N > 8);
    if (N <= 8) ent_smp_dcols8(w);
  } else
#endif
  for (size_t a = 0; a < N; a++)
    for (size_t b = 0; b < N; b++) {
      double dab = distance(xi + a * M, sal + a * M, ssq[a], x + b * M, M);
      w->D[a * ld + b] = dab;
      if (!vmaj) w->DT[b * N + a] = dab;
    }
  /* util_f(d, 0) is 1 - d bit for bit for a distance d (a square root:
   * +0 <= d, or NaN): (1 - d)(1 + d 0) with d 0 = +0 for d <= 1, and
   * (1 - d)(1 + 0) above (inf included); x 1 == x; NaN stays d's NaN */
  if (vmaj) {
    /* voter-major: CT[v*ld + o] = V(v, o); padding 1 - 0 */
#if SMP_HAVE_AVX512
    if (wide)
      ent_smp_one_minus8(w);
    else
#endif
    for (size_t k = 0; k < N * ld; k++) w->CT[k] = 1.0 - w->D[k];
  } else {
    for (size_t k = 0; k < N * N; k++) w->VT[k] = 1.0 - w->DT[k];
  }

  /* §4.2 risk inference: election over the N positions (duplicates
   * kept), capability-weighted. */
  if (vmaj) {
    st = election_vm(w, N, w->CT, ld, pb->cap);
  } else {
    for (size_t oi = 0; oi < N; oi++) w->rows[oi] = w->VT + oi * N;
    st = ent_smp_election(w, N, pb->cap);
  }
  if (st != ENT_OK) {
    st = ent_smp_election_failed(w, st, state, "risk inference", d);
    if (st != ENT_OK) return st;
  }
  memcpy(w->risk_p, w->pi, N * sizeof *w->pi);
  double pmin = w->risk_p[0], pmax = w->risk_p[0];
  for (size_t i = 1; i < N; i++) {
    if (w->risk_p[i] < pmin) pmin = w->risk_p[i];
    if (w->risk_p[i] > pmax) pmax = w->risk_p[i];
  }
  w->degenerate = !(pmax > pmin);
  if (w->degenerate) {
    if (o->degenerate_error) {
      ent_smp_report(d, w->note, ENT_SEV_ERROR, ENT_EINPUT, pb->file, 0, 0,
                   "state %d: degenerate risk inference: every position has "
                   "the same winning probability (KTAB computes 0/0 and "
                   "fails; degenerate=hold lets everyone hold instead)",
                   state);
      return ENT_EINPUT;
    }
    ent_smp_report(d, w->note, ENT_SEV_WARNING, ENT_EINPUT, pb->file, 0, 0,
                 "state %d: degenerate risk inference: every position has "
                 "the same winning probability; risk attitudes are undefined "
                 "(KTAB fails here), every actor holds its position",
                 state);
    for (size_t i = 0; i < N; i++) w->R[i] = 0.0;
  } else {
    double span = pmax - pmin;
    for (size_t i = 0; i < N; i++) {
      double p = w->risk_p[i];
      switch (o->rrange) {
      case ENT_SMP_RRANGE_MIN:
        w->R[i] = (p - pmin) / span;
        break;
      case ENT_SMP_RRANGE_MAX:
        w->R[i] = (2.0 * p - (pmax + pmin)) / span;
        break;
      case ENT_SMP_RRANGE_MID:
      default:
        w->R[i] = (3.0 * p - (pmax + 2.0 * pmin)) / (2.0 * span);
        break;
      }
    }
  }

  /* §4.3 perspectives: ρ(R_h, R_i) and each actor's own row U^a(a, ·).
   * The turn that follows a state reads ρ and UownT (the option rows of
   * its utility sums), the winning probabilities' election Uown's rows:
   * a last state (no turn follows) needs neither ρ's off-diagonal nor
   * UownT, a state whose winning probabilities are skipped (below) not
   * Uown's rows, where nothing else reads them -- the 8-lane paths at
   * N <= 8. */
  int skip_win = won && (w->degenerate || win_unfailing(w));
#if SMP_HAVE_AVX512
  if (wide && N <= 8) {
    if (!final)
      for (size_t h = 0; h < N; h++) rho_row8(w, h);
    ent_smp_uown8(w, !skip_win, !final);
  } else if (wide) {
    for (size_t h = 0; h < N; h++) rho_row8(w, h);
    for (size_t a = 0; a < N; a++) uown_row8(w, a);
  } else
#endif
  perspectives(w);

  /* §4.4 KTAB's sanity checks.  With g(d) = (1-d) d (d <= 1) or (1-d):
   *   U^h(i,j) - Ū(i,j) = g(D(i,j)) (ρ(R_h,R_i) - R_i),
   *   V(i,j)   - Ū(i,j) = -g(D(i,j)) R_i,
   * so ‖U^h - Ū‖_F^2 = Σ_i (ρ_hi - R_i)^2 G_i with G_i = Σ_j g_ij^2. */
  if (!w->degenerate) {
    long bad_h = -1;
#if SMP_HAVE_AVX512
    if (wide && N <= 8)
      bad_h = ent_smp_norms8(w);
    else
#endif
    {
    for (size_t i = 0; i < N; i++) {
      double s = 0.0;
      for (size_t j = 0; j < N; j++) {
        double dd = w->D[i * w->ld + j];
        double g = dd <= 1.0 ? (1.0 - dd) * dd : (1.0 - dd);
        s += g * g;
      }
      w->gsq[i] = s;
    }
    double nv = 0.0;
    for (size_t i = 0; i < N; i++) nv += w->R[i] * w->R[i] * w->gsq[i];
    if (!(sqrt(nv) > 1e-6)) bad_h = -2;
    for (size_t h = 0; h < N && bad_h == -1; h++) {
      double s = 0.0;
      for (size_t i = 0; i < N; i++) {
        double e = w->rho[h * N + i] - w->R[i];
        s += e * e * w->gsq[i];
      }
      if (!(sqrt(s) > 1e-6)) bad_h = (long)h;
    }
    }
    if (bad_h != -1) {
      char what[160];
      if (bad_h == -2)
        snprintf(what, sizeof what,
                 "the risk attitudes change no utility (||V - U|| <= 1e-6)");
      else
        snprintf(what, sizeof what,
                 "actor '%s' estimates every utility exactly as its owner "
                 "does (||U^h - U|| <= 1e-6)%s",
                 pb->actor[bad_h],
                 o->radj == ENT_SMP_RADJ_FULL
                     ? "; BigRAdjust=Full always does this"
                     : "");
      if (o->strict) {
        ent_smp_report(d, w->note, ENT_SEV_ERROR, ENT_EINPUT, pb->file, 0, 0,
                     "state %d: %s; KTAB aborts the run here (strict=off "
                     "continues)",
                     state, what);
        return ENT_EINPUT;
      }
      ent_smp_report(d, w->note, ENT_SEV_WARNING, ENT_EINPUT, pb->file, 0, 0,
                   "state %d: %s (KTAB aborts here)", state, what);
    }
  }

  /* §7.2 winning probabilities over the distinct positions: skipped when
   * the caller will not read them (won != NULL) and their election
   * provably succeeds (win_unfailing). */
  if (won) {
    *won = !skip_win;
    if (!*won) return ENT_OK;
  }
  size_t K = 0;
#if SMP_HAVE_AVX512
  unsigned near[8], reps = 0;
  int fast_reps = wide && M == 1 && N <= 8;
  if (fast_reps)
    K = ent_smp_reps8(w, x, &reps, near);
  else
#endif
  for (size_t i = 0; i < N; i++) {
    int found = 0;
    for (size_t r = 0; r < K && !found; r++) {
      const double *a = x + i * M, *b = x + (size_t)w->rep[r] * M;
      double s = 0.0;
      for (size_t k = 0; k < M; k++) s += (a[k] - b[k]) * (a[k] - b[k]);
      if (sqrt(s) < 1e-3) found = 1;
    }
    if (!found) w->rep[K++] = (int)i;
  }
  if (w->degenerate) {
    /* What KTAB's NaN arithmetic yields: all coalitions at the floor,
     * every victory probability 1/2, a uniform distribution. */
    for (size_t r = 0; r < K; r++) w->pi[r] = 1.0 / (double)K;
  } else {
    if (vmaj && K == N) { /* every position its own representative */
      st = election_vm(w, K, w->Uown, ld, pb->cap);
    } else if (vmaj) {
      for (size_t v = 0; v < N; v++) {
        const double *uv = w->Uown + v * ld;
        double *tv = w->CT + v * ld;
        for (size_t r = 0; r < K; r++) tv[r] = uv[w->rep[r]];
        for (size_t r = K; r < ld; r++) tv[r] = 0.0;
      }
      st = election_vm(w, K, w->CT, ld, pb->cap);
    } else {
      for (size_t r = 0; r < K; r++)
        w->rows[r] = w->UownT + (size_t)w->rep[r] * N;
      st = ent_smp_election(w, K, pb->cap);
    }
    if (st != ENT_OK) {
      st = ent_smp_election_failed(w, st, state, "winning probabilities", d);
      if (st != ENT_OK) return st;
    }
  }
  /* win_prob[i] = pi of the last representative within 1e-3 of x_i.  A
   * representative i is its own last one: the distance is symmetric
   * ((a-b)^2 == (b-a)^2 bit for bit), no earlier representative was
   * within 1e-3 of i (else i would not be one) and no later one was
   * within 1e-3 of i (else it would not be one); so only the others
   * search -- and a representative at a non-finite position, which is
   * not within 1e-3 of itself. */
#if SMP_HAVE_AVX512
  /* the same with the near bits: the last representative near x_i is the
   * highest near one (representatives are in increasing i), its index the
   * number of representatives below it; 0 when none is near.  A
   * representative at a finite position is near itself and no later
   * representative is near it (else that one would not be one), so it
   * gets its own; one at a non-finite position is near nothing. */
  if (fast_reps) {
    for (size_t i = 0; i < N; i++) {
      unsigned nr = near[i] & reps;
      size_t last = 0;
      if (nr) {
        unsigned top = 31u - (unsigned)__builtin_clz(nr);
        last = (size_t)__builtin_popcount(reps & ((1u << top) - 1u));
      }
      w->win_prob[i] = w->pi[last];
    }
    return ENT_OK;
  }
#endif
  for (size_t i = 0, r0 = 0; i < N; i++) {
    if (r0 < K && (size_t)w->rep[r0] == i) {
      r0++;
      if (all_finite(x + i * M, M)) {
        w->win_prob[i] = w->pi[r0 - 1];
        continue;
      }
    }
    size_t last = 0;
    for (size_t r = 0; r < K; r++) {
      const double *a = x + i * M, *b = x + (size_t)w->rep[r] * M;
      double s = 0.0;
      for (size_t k = 0; k < M; k++) s += (a[k] - b[k]) * (a[k] - b[k]);
      if (sqrt(s) < 1e-3) last = r;
    }
    w->win_prob[i] = w->pi[last];
  }
  return ENT_OK;
}

ent_status ent_smp_evaluate(ent_smp_work *w, int state, const double *x,
                            const double *xi, ent_diag *d) {
  return evaluate(w, state, x, xi, NULL, 0, d);
}

ent_status ent_smp_evaluate_last(ent_smp_work *w, int state, const double *x,
                                 const double *xi, ent_diag *d) {
  return evaluate(w, state, x, xi, NULL, 1, d);
}

ent_status ent_smp_evaluate_for_turn(ent_smp_work *w, int state,
                                     const double *x, const double *xi,
                                     int *won, ent_diag *d) {
  return evaluate(w, state, x, xi, won, 0, d);
}
