/*
 * smp_impl.h -- the inside of KTAB's Spatial Model of Politics, shared by
 * its parts (smp.c: PRNG, workspace, runs; smp_eval.c: elections and the
 * evaluation of a state, §3-§4; smp_turn.c: challenges, bargains and a turn,
 * §5): the workspace struct, the utility and vote building blocks and the
 * SIMD lanes.  Private to src/strategic/smp*.c; the arithmetic rules of
 * smp.c's opening comment hold here.
 */
#ifndef ENT_SMP_IMPL_H
#define ENT_SMP_IMPL_H

#include "strategic/smp.h"

#include <math.h>
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#endif


#if defined(__GNUC__)
#define ENT_INLINE static inline __attribute__((always_inline))
#else
#define ENT_INLINE static inline
#endif

/* ============================================================ work */

/* Most options (status quo and bargains) of a turn whose queue elections
 * take their distinct pairs in 8 lanes, and most pairs. */
#define SMP_PAIR_OPTS 16
#define SMP_PAIR_MAX (SMP_PAIR_OPTS * (SMP_PAIR_OPTS - 1) / 2)

struct ent_smp_work {
  const ent_smp_problem *pb;
  const ent_smp_opts *o;
  size_t n, m;
  size_t kmax;   /* largest election: max(N, queue length) */
  size_t nbmax;  /* most bargains in one turn */
  /* state */
  size_t ld;         /* row stride of D: N rounded up to SMP_LD_ROUND */
  double *D;         /* [N*ld] D(a,b) = D_a(x_b) at D[a*ld + b]; padding 0 */
  double *DT;        /* [N*N] transpose: DT[b*N + a] = D(a,b) (also set
                        by dcols8 where N <= 8), and */
  double Ddiag[8];   /* D(n, n), n < N <= 8 (dcols8) */
  int d_le1;         /* every D(a, b) <= 1 (dcols8, N <= 8; else 0) */
  double *VT;        /* [N*N] VT[o*N + v] = V(v, o), risk neutral: only
                        where the elections take option rows
                        (smp_eval.c, election_vm_ok) */
  double *rho;       /* [N*N] rho[h*N + i] = ρ(R_h, R_i) */
  double *Uown;      /* [N*ld] Uown[a*ld + n] = U^a(a, n); padding 0 */
  double *UownT;     /* [N*N] transpose of Uown */
  double *R, *risk_p, *win_prob; /* [N] */
  double *gsq;       /* [N] Σ_j g(D(i,j))^2 for the §4.4 norms */
  int degenerate;
  /* elections */
  double *C, *P;     /* [kmax*kmax] coalitions (later Q), victory probs */
  double *pi, *q, *colsum; /* [kmax] */
  const double **rows;     /* [kmax] option rows of voter utilities */
  int *rep;          /* [N] representatives of §7.2 */
  /* challenges and bargains */
  double *ui, *un;   /* [ld] kernel rows: U^i(n, i), U^i(n, n); padding 0 */
  double *g1, *g2;   /* [ld] SemiCommit sums (ui+ui)+un, (ui+ui)+ui */
  double *Wp, *Sp;   /* [ld] the problem's W and S, padding 0, for the
                        vector loads of the challenge kernels (set by
                        each turn) */
  int scalar_kernel; /* tests: 1 the scalar kernels, 2 the 2-lane vector
                        kernels only, 3 none wider than 4 lanes
                        (ent_smp_work_set_scalar) */
  int avx2;          /* the CPU has AVX2: 4-lane kernels */
  int avx512;        /* the CPU has AVX-512F/DQ: 8-lane kernels */
  double *CT;        /* [N * SMP_COAL_T_MAX] options' utilities voter-major
                        for the 4- and 8-lane coalitions (smp_eval.c) */
  int *target;       /* [N] */
  double *p_win, *gain;          /* [N] */
  double *y_init, *y_targ;       /* [N*M] B_I per initiator */
  int *b_init, *b_targ;          /* [nbmax] bargains of this turn */
  double *b_yI, *b_yJ;           /* [nbmax*M] */
  double *b_u;                   /* [nbmax*N] voter utilities of each */
  double *usq;                   /* [N] utility of the status quo */
  double *tmpI, *tmpJ;           /* [M] target-side bargain scratch */
  size_t n_barg;
  int *q_start, *q_len;          /* [N] queues */
  int *q_item;                   /* [N + 2*nbmax]; -1 = status quo */
  int *chosen_init, *chosen_targ; /* [N] */
  /* a turn's queue elections from its distinct option pairs
   * (smp_turn.c, queue_pairs): options 0 (status quo) and 1 + b
   * (bargain b), at most SMP_PAIR_OPTS */
  double *uv;        /* [N*SMP_PAIR_OPTS] voter-major utilities of the
                        options; padding finite */
  unsigned char pid[SMP_PAIR_OPTS * SMP_PAIR_OPTS]; /* pair (g, h), g > h:
                        its index, 0xff none */
  unsigned char pr_a[SMP_PAIR_MAX + 8], pr_b[SMP_PAIR_MAX + 8]; /* pairs */
  double fa[SMP_PAIR_MAX + 8], fb[SMP_PAIR_MAX + 8]; /* victory factors
                        C(g,h) / (C(g,h) + C(h,g)) and the other way */
  int uv_set;        /* this turn's utilities wrote uv (utilities8) */
  /* accommodation */
  double *A;         /* [N*N] or NULL for the identity */
  ent_smp_rng rng;
  char *note;        /* NULL, or ENT_SMP_NOTE_SIZE bytes that get the first
                        problem reported (ent_smp_report) */
  size_t bytes;      /* allocated, this struct included */
};

/* ============================================================ building blocks */

/* Utility of distance d for risk attitude r (§3.1). */
ENT_INLINE double util_f(double d, double r) {
  if (d <= 1.0) return (1.0 - d) * (1.0 + d * r);
  return (1.0 - d) * (1.0 + r);
}

/* Weighted distance of point y from actor a's ideal (§3.1); ssq_a is
 * Σ_k s_ak * s_ak, accumulated in the same order as the spec's loop. */
ENT_INLINE double distance(const double *xi_a, const double *s_a, double ssq_a,
                           const double *y, size_t m) {
  double num = 0.0;
  for (size_t k = 0; k < m; k++) {
    double e = xi_a[k] - y[k];
    double g = e * s_a[k];
    num = num + g * g;
  }
  return sqrt(num / ssq_a);
}

/* The steep "binary" response of §3.2. */
ENT_INLINE double vote_bin(double d) {
  double b = d / 1e-8;
  return b > 1.0 ? 1.0 : b < -1.0 ? -1.0 : b;
}

/* Vote of weight w for option a (utility ua) over b (ub), §3.2. */
ENT_INLINE double vote(ent_smp_vote rule, double w, double ua, double ub) {
  double d = ua - ub;
  switch (rule) {
  case ENT_SMP_VOTE_BINARY:
    return w * vote_bin(d);
  case ENT_SMP_VOTE_PROPBIN:
    return w * ((1.0 - 0.2) * d + 0.2 * vote_bin(d));
  case ENT_SMP_VOTE_PROPCBC:
    return w * ((1.0 - 0.5) * d + 0.5 * (d * d * d));
  case ENT_SMP_VOTE_CUBIC:
    return w * (d * d * d);
  case ENT_SMP_VOTE_ASYMPROSP:
    if (d < 0.0) return w * d;
    if (d > 0.0) return ((2.0 * w) * d) / 3.0;
    return 0.0;
  case ENT_SMP_VOTE_PROP:
  default:
    return w * d;
  }
}

/* ------------------------------------------------------------ SIMD lanes
 *
 * Several independent sums advanced side by side, one per lane: targets j
 * in the challenge kernel, option pairs in coalitions, voters in the
 * bargain utilities.  Each lane performs exactly the scalar operations in
 * the scalar order (IEEE lane-wise add/sub/mul/div are correctly rounded
 * like their scalar forms, and -ffp-contract=off keeps them unfused), so a
 * lane yields the scalar double.  Terms the scalar code skips are replaced
 * by +0.0, and x + 0.0 == x for the positive sums involved. */
#if defined(__GNUC__)
#define SMP_HAVE_VEC 1
/* 16-byte vectors: native on x86-64 (SSE2) and AArch64 (NEON); a block of
 * ENT_SMP_LANES targets is two of them, for instruction-level
 * parallelism. */
typedef double vd __attribute__((vector_size(16)));
typedef long long vm __attribute__((vector_size(16)));
_Static_assert(ENT_SMP_LANES == 4, "a block is two 2-lane vectors");

ENT_INLINE vd vb(double x) {
  vd v = {x, x};
  return v;
}
ENT_INLINE vd vsel(vm m, vd a, vd b) {
  return (vd)(((vm)a & m) | ((vm)b & ~m));
}
/* z > 0 ? z : +0.0, and z < 0 ? z : +0.0 */
ENT_INLINE vd vpos(vd z) { return (vd)((vm)z & (z > vb(0.0))); }
ENT_INLINE vd vneg(vd z) { return (vd)((vm)z & (z < vb(0.0))); }

ENT_INLINE vd vutil(vd d, vd r) {
  vd one = vb(1.0);
  return vsel(d <= one, (one - d) * (one + d * r), (one - d) * (one + r));
}

ENT_INLINE vd vbin(vd d) {
  vd b = d / vb(1e-8);
  b = vsel(b > vb(1.0), vb(1.0), b);
  return vsel(b < vb(-1.0), vb(-1.0), b);
}

ENT_INLINE vd vvote(ent_smp_vote rule, vd w, vd ua, vd ub) {
  vd d = ua - ub;
  switch (rule) {
  case ENT_SMP_VOTE_BINARY:
    return w * vbin(d);
  case ENT_SMP_VOTE_PROPBIN:
    return w * (vb(1.0 - 0.2) * d + vb(0.2) * vbin(d));
  case ENT_SMP_VOTE_PROPCBC:
    return w * (vb(1.0 - 0.5) * d + vb(0.5) * ((d * d) * d));
  case ENT_SMP_VOTE_CUBIC:
    return w * ((d * d) * d);
  case ENT_SMP_VOTE_ASYMPROSP:
    return vsel(d < vb(0.0), w * d,
                vsel(d > vb(0.0), ((vb(2.0) * w) * d) / vb(3.0), vb(0.0)));
  case ENT_SMP_VOTE_PROP:
  default:
    return w * d;
  }
}

#else
#define SMP_HAVE_VEC 0
#endif

/* 4-lane vectors (AVX2, checked at run time: ent_smp_have_avx2) for the
 * challenge kernel (smp_turn.c) and the coalitions (smp_eval.c); the same
 * lane-wise operations as the 2-lane forms above. */
#if SMP_HAVE_VEC && (defined(__x86_64__) || defined(__i386__))
#define SMP_HAVE_AVX2 1
typedef double vd4 __attribute__((vector_size(32)));
typedef long long vm4 __attribute__((vector_size(32)));
#define AVX2_INLINE static inline __attribute__((always_inline, target("avx2")))

AVX2_INLINE vd4 v4b(double x) {
  vd4 v = {x, x, x, x};
  return v;
}
AVX2_INLINE vd4 v4sel(vm4 m, vd4 a, vd4 b) {
  return (vd4)(((vm4)a & m) | ((vm4)b & ~m));
}
AVX2_INLINE vd4 v4pos(vd4 z) { return (vd4)((vm4)z & (z > v4b(0.0))); }
AVX2_INLINE vd4 v4neg(vd4 z) { return (vd4)((vm4)z & (z < v4b(0.0))); }
AVX2_INLINE vd4 v4util(vd4 d, vd4 r) {
  vd4 one = v4b(1.0);
  return v4sel(d <= one, (one - d) * (one + d * r), (one - d) * (one + r));
}
AVX2_INLINE vd4 v4bin(vd4 d) {
  vd4 b = d / v4b(1e-8);
  b = v4sel(b > v4b(1.0), v4b(1.0), b);
  return v4sel(b < v4b(-1.0), v4b(-1.0), b);
}
AVX2_INLINE vd4 v4vote(ent_smp_vote rule, vd4 w, vd4 ua, vd4 ub) {
  vd4 d = ua - ub;
  switch (rule) {
  case ENT_SMP_VOTE_BINARY:
    return w * v4bin(d);
  case ENT_SMP_VOTE_PROPBIN:
    return w * (v4b(1.0 - 0.2) * d + v4b(0.2) * v4bin(d));
  case ENT_SMP_VOTE_PROPCBC:
    return w * (v4b(1.0 - 0.5) * d + v4b(0.5) * ((d * d) * d));
  case ENT_SMP_VOTE_CUBIC:
    return w * ((d * d) * d);
  case ENT_SMP_VOTE_ASYMPROSP:
    return v4sel(d < v4b(0.0), w * d,
                 v4sel(d > v4b(0.0), ((v4b(2.0) * w) * d) / v4b(3.0),
                       v4b(0.0)));
  case ENT_SMP_VOTE_PROP:
  default:
    return w * d;
  }
}

/* 8-lane vectors (AVX-512F/DQ, checked at run time: ent_smp_have_avx512)
 * for the same two kernels; again the lane-wise operations of the 2-lane
 * forms, so the same doubles. */
#define SMP_HAVE_AVX512 1
typedef double vd8 __attribute__((vector_size(64)));
typedef long long vm8 __attribute__((vector_size(64)));
#define AVX512_INLINE                                                        \
  static inline __attribute__((always_inline, target("avx512f,avx512dq")))

AVX512_INLINE vd8 v8b(double x) {
  vd8 v = {x, x, x, x, x, x, x, x};
  return v;
}
AVX512_INLINE vd8 v8sel(vm8 m, vd8 a, vd8 b) {
  return (vd8)(((vm8)a & m) | ((vm8)b & ~m));
}
AVX512_INLINE vd8 v8pos(vd8 z) { return (vd8)((vm8)z & (z > v8b(0.0))); }
AVX512_INLINE vd8 v8neg(vd8 z) { return (vd8)((vm8)z & (z < v8b(0.0))); }
AVX512_INLINE vd8 v8util(vd8 d, vd8 r) {
  vd8 one = v8b(1.0);
  return v8sel(d <= one, (one - d) * (one + d * r), (one - d) * (one + r));
}
/* v8util where every lane has d <= 1 (not NaN): the operations of its
 * first branch, so the same doubles there. */
AVX512_INLINE vd8 v8util_le1(vd8 d, vd8 r) {
  vd8 one = v8b(1.0);
  return (one - d) * (one + d * r);
}
AVX512_INLINE vd8 v8bin(vd8 d) {
  vd8 b = d / v8b(1e-8);
  b = v8sel(b > v8b(1.0), v8b(1.0), b);
  return v8sel(b < v8b(-1.0), v8b(-1.0), b);
}
AVX512_INLINE vd8 v8vote(ent_smp_vote rule, vd8 w, vd8 ua, vd8 ub) {
  vd8 d = ua - ub;
  switch (rule) {
  case ENT_SMP_VOTE_BINARY:
    return w * v8bin(d);
  case ENT_SMP_VOTE_PROPBIN:
    return w * (v8b(1.0 - 0.2) * d + v8b(0.2) * v8bin(d));
  case ENT_SMP_VOTE_PROPCBC:
    return w * (v8b(1.0 - 0.5) * d + v8b(0.5) * ((d * d) * d));
  case ENT_SMP_VOTE_CUBIC:
    return w * ((d * d) * d);
  case ENT_SMP_VOTE_ASYMPROSP:
    return v8sel(d < v8b(0.0), w * d,
                 v8sel(d > v8b(0.0), ((v8b(2.0) * w) * d) / v8b(3.0),
                       v8b(0.0)));
  case ENT_SMP_VOTE_PROP:
  default:
    return w * d;
  }
}

/* The transpose of the 8 x 8 block r (rows) into t. */
AVX512_INLINE void transpose8(const __m512d *r, __m512d *t) {
  __m512d a0 = _mm512_unpacklo_pd(r[0], r[1]), a1 = _mm512_unpackhi_pd(r[0], r[1]);
  __m512d a2 = _mm512_unpacklo_pd(r[2], r[3]), a3 = _mm512_unpackhi_pd(r[2], r[3]);
  __m512d a4 = _mm512_unpacklo_pd(r[4], r[5]), a5 = _mm512_unpackhi_pd(r[4], r[5]);
  __m512d a6 = _mm512_unpacklo_pd(r[6], r[7]), a7 = _mm512_unpackhi_pd(r[6], r[7]);
  /* a0 = r0_0 r1_0 r0_2 r1_2 r0_4 r1_4 r0_6 r1_6, a1 the odd columns */
  const __m512i lo = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
  const __m512i hi = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
  __m512d b0 = _mm512_permutex2var_pd(a0, lo, a2); /* cols 0, 4 rows 0-3 */
  __m512d b1 = _mm512_permutex2var_pd(a0, hi, a2); /* cols 2, 6 */
  __m512d b2 = _mm512_permutex2var_pd(a1, lo, a3); /* cols 1, 5 */
  __m512d b3 = _mm512_permutex2var_pd(a1, hi, a3); /* cols 3, 7 */
  __m512d b4 = _mm512_permutex2var_pd(a4, lo, a6); /* rows 4-7 */
  __m512d b5 = _mm512_permutex2var_pd(a4, hi, a6);
  __m512d b6 = _mm512_permutex2var_pd(a5, lo, a7);
  __m512d b7 = _mm512_permutex2var_pd(a5, hi, a7);
  const __m512i first = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0);
  const __m512i second = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
  t[0] = _mm512_permutex2var_pd(b0, first, b4);
  t[4] = _mm512_permutex2var_pd(b0, second, b4);
  t[2] = _mm512_permutex2var_pd(b1, first, b5);
  t[6] = _mm512_permutex2var_pd(b1, second, b5);
  t[1] = _mm512_permutex2var_pd(b2, first, b6);
  t[5] = _mm512_permutex2var_pd(b2, second, b6);
  t[3] = _mm512_permutex2var_pd(b3, first, b7);
  t[7] = _mm512_permutex2var_pd(b3, second, b7);
}

#else
#define SMP_HAVE_AVX2 0
#define SMP_HAVE_AVX512 0
#endif


/* Nothing non-finite leaves the module: 1 if v[0..n) are all finite. */
ENT_INLINE int all_finite(const double *v, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (!isfinite(v[k])) return 0;
  return 1;
}

/* Elections of at most this many options take the 4-lane coalitions. */
#define SMP_COAL_T_MAX 32

/* 1 if the 4-lane (AVX2) kernels can run here. */
ENT_LOCAL int ent_smp_have_avx2(void);
/* 1 if the 8-lane (AVX-512F/DQ) kernels can run here. */
ENT_LOCAL int ent_smp_have_avx512(void);

/* D's row stride is N rounded up to this (the widest kernel's lanes), so
 * D(n, j..j+7) of a block is one load inside the row, padding 0. */
#define SMP_LD_ROUND 8

/* ent_smp_evaluate for a state after which no turn follows (the solver's
 * last, smp_solver.c): its status, messages, R, risk and winning
 * probabilities bit for bit; ρ's off-diagonal and UownT, which only a
 * turn reads, may be left stale. */
ENT_LOCAL ent_status ent_smp_evaluate_last(ent_smp_work *w, int state,
                                           const double *x, const double *xi,
                                           ent_diag *d);

#if SMP_HAVE_AVX512
/* smp_small8.c: the evaluation's 8-lane kernels at N <= 8 (each
 * documented there). */
#define SMP_AVX512_FN __attribute__((target("avx512f,avx512dq")))
ENT_LOCAL SMP_AVX512_FN long ent_smp_norms8(ent_smp_work *w);
ENT_LOCAL SMP_AVX512_FN size_t ent_smp_reps8(ent_smp_work *w, const double *x,
                                             unsigned *reps, unsigned *near);
ENT_LOCAL SMP_AVX512_FN void ent_smp_uown8(ent_smp_work *w, int rows,
                                           int cols);
ENT_LOCAL SMP_AVX512_FN void ent_smp_dcols8(ent_smp_work *w);
ENT_LOCAL SMP_AVX512_FN void ent_smp_one_minus8(ent_smp_work *w);
/* 1 if ent_smp_elect8 may hold an election of K options here. */
ENT_LOCAL int ent_smp_elect8_ok(const ent_smp_work *w, size_t K);
/* The whole election (coalitions into C, Conditional PCE into q and pi)
 * of K <= 8 options from a voter-major table; conditional_linear's
 * status. */
ENT_LOCAL ent_status ent_smp_elect8(ent_smp_work *w, size_t K,
                                    const double *T, size_t ld,
                                    const double *weights);
#endif

/* Elections (smp_eval.c, §3.6), used by the evaluation and by a turn. */
enum { MARKOV_MAX_ITER = 1000 };
ENT_LOCAL ent_status ent_smp_election(ent_smp_work *w, size_t K,
                                     const double *weights);
ENT_LOCAL ent_status ent_smp_election_failed(ent_smp_work *w, ent_status st,
                                            int state, const char *what,
                                            ent_diag *d);

#endif
