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
 *     (see "SIMD lanes" below); the scalar forms stay as the reference and
 *     the tests check both agree bit for bit.
 *
 * Memory layout: D[a*ld + b] = D_a(x_b) with ld = N rounded up to the lane
 * count (zero padding), so D(n, j..j+3) is one contiguous load; DT is the
 * transpose.  Election utilities are option-major (one row of N voter
 * utilities per option); UownT[n*N + a] = U^a(a, n) is contiguous in the
 * voter a.
 */
#include "strategic/smp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define ENT_INLINE static inline __attribute__((always_inline))
#else
#define ENT_INLINE static inline
#endif

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

struct ent_smp_work {
  const ent_smp_problem *pb;
  const ent_smp_opts *o;
  size_t n, m;
  size_t kmax;   /* largest election: max(N, queue length) */
  size_t nbmax;  /* most bargains in one turn */
  /* state */
  size_t ld;         /* row stride of D: N rounded up to ENT_SMP_LANES */
  double *D;         /* [N*ld] D(a,b) = D_a(x_b) at D[a*ld + b]; padding 0 */
  double *DT;        /* [N*N] transpose: DT[b*N + a] = D(a,b) */
  double *VT;        /* [N*N] VT[o*N + v] = V(v, o), risk neutral */
  double *rho;       /* [N*N] rho[h*N + i] = ρ(R_h, R_i) */
  double *Uown;      /* [N*N] Uown[a*N + n] = U^a(a, n) */
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
  double *ui, *un;   /* [N] kernel rows: U^i(n, i), U^i(n, n) */
  double *g1, *g2;   /* [N] SemiCommit sums (ui+ui)+un, (ui+ui)+ui */
  int scalar_kernel; /* tests: use the scalar kernel */
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
  /* accommodation */
  double *A;         /* [N*N] or NULL for the identity */
  ent_smp_rng rng;
  char *note;        /* NULL, or ENT_SMP_NOTE_SIZE bytes that get the first
                        problem reported (ent_smp_report) */
  size_t bytes;      /* allocated, this struct included */
};

static void work_free_arrays(ent_smp_work *w) {
  void *ptrs[] = {w->D,      w->DT,     w->VT,      w->rho,     w->Uown,
                  w->UownT,  w->R,      w->risk_p,  w->win_prob, w->gsq,
                  w->C,      w->P,      w->pi,      w->q,       w->colsum,
                  (void *)w->rows, w->rep, w->ui,   w->un,  w->g1, w->g2,    w->target,
                  w->p_win,  w->gain,   w->y_init,  w->y_targ,  w->b_init,
                  w->b_targ, w->b_yI,   w->b_yJ,    w->b_u,     w->usq,
                  w->tmpI,   w->tmpJ,   w->q_start, w->q_len,   w->q_item,
                  w->chosen_init, w->chosen_targ, w->A};
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
  ent_smp_rng_seed(&w->rng, w->o->seed);
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
  w->ld = (n + ENT_SMP_LANES - 1) / ENT_SMP_LANES * ENT_SMP_LANES;
  ALLOC(w->D, n * w->ld);
  ALLOC(w->DT, nn);
  ALLOC(w->VT, nn);
  ALLOC(w->rho, nn);
  ALLOC(w->Uown, nn);
  ALLOC(w->UownT, nn);
  ALLOC(w->R, n);
  ALLOC(w->risk_p, n);
  ALLOC(w->win_prob, n);
  ALLOC(w->gsq, n);
  ALLOC(w->C, kk);
  ALLOC(w->P, kk);
  ALLOC(w->pi, w->kmax);
  ALLOC(w->q, w->kmax);
  ALLOC(w->colsum, w->kmax);
  ALLOC(w->rows, w->kmax);
  ALLOC(w->rep, n);
  ALLOC(w->ui, n);
  ALLOC(w->un, n);
  ALLOC(w->g1, n);
  ALLOC(w->g2, n);
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
  if (!ok) {
    ent_smp_work_free(w);
    return NULL;
  }
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
}

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

typedef void (*coal_fn)(size_t N, const double *ua, const double *const *ub,
                        const double *w, double *cab, double *cba);
#define COAL_FN(RULE)                                                       \
  static void coal_##RULE(size_t N, const double *ua,                       \
                          const double *const *ub, const double *w,         \
                          double *cab, double *cba) {                       \
    coal_block(ENT_SMP_VOTE_##RULE, N, ua, ub, w, cab, cba);                \
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
#endif

/* Coalition strengths over K options (§3.3): rows[o][v] is voter v's
 * utility of option o, w[v] the voter weights.  Pairs with the higher
 * index first; C(a,b) = 1e-8 + the votes for a over b, summed over voters
 * in order ("add z if positive" written branch-free: c + 0.0 == c). */
static void coalitions(ent_smp_vote rule, size_t K, size_t N,
                       const double *const *rows, const double *w, double *C,
                       int scalar) {
  for (size_t a = 0; a < K; a++) {
    const double *ua = rows[a];
    size_t b = 0;
#if SMP_HAVE_VEC
    if (!scalar) {
      coal_fn fn = coal_table[rule];
      for (; b + 4 <= a; b += 4) {
        double cab[4], cba[4];
        fn(N, ua, rows + b, w, cab, cba);
        for (size_t l = 0; l < 4; l++) {
          C[a * K + b + l] = cab[l];
          C[(b + l) * K + a] = cba[l];
        }
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

enum { MARKOV_MAX_ITER = 1000 };

/* Full election (§3.6): coalitions, victory probabilities, PCE -> w->pi.
 * Returns ENT_OK; ENT_ENOCONV if a Markov PCE needed >= 1000 iterations
 * (w->pi then holds the last iterate, which is finite); ENT_EINTERNAL if
 * the conditional product underflowed (cannot normalise). */
static ent_status election(ent_smp_work *w, size_t K, const double *weights) {
  const ent_smp_opts *o = w->o;
  size_t N = w->n;
  double *C = w->C, *P = w->P, *pi = w->pi, *q = w->q;
  coalitions(o->vote, K, N, w->rows, weights, C, w->scalar_kernel);
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
static ent_status election_failed(ent_smp_work *w, ent_status st, int state,
                                  const char *what, ent_diag *d) {
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

ent_status ent_smp_evaluate(ent_smp_work *w, int state, const double *x,
                            const double *xi, ent_diag *d) {
  const ent_smp_problem *pb = w->pb;
  const ent_smp_opts *o = w->o;
  size_t N = w->n, M = w->m;
  const double *sal = pb->sal, *ssq = pb->ssq;
  ent_status st;

  /* §4.1 distances D(a,b) = D_a(x_b) and risk-neutral values V. */
  for (size_t a = 0; a < N; a++)
    for (size_t b = 0; b < N; b++) {
      double dab = distance(xi + a * M, sal + a * M, ssq[a], x + b * M, M);
      w->D[a * w->ld + b] = dab;
      w->DT[b * N + a] = dab;
    }
  for (size_t oi = 0; oi < N; oi++)
    for (size_t v = 0; v < N; v++)
      w->VT[oi * N + v] = util_f(w->DT[oi * N + v], 0.0);

  /* §4.2 risk inference: election over the N positions (duplicates
   * kept), capability-weighted. */
  for (size_t oi = 0; oi < N; oi++) w->rows[oi] = w->VT + oi * N;
  st = election(w, N, pb->cap);
  if (st != ENT_OK) {
    st = election_failed(w, st, state, "risk inference", d);
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

  /* §4.3 perspectives: ρ(R_h, R_i) and each actor's own row U^a(a, ·). */
  for (size_t h = 0; h < N; h++)
    for (size_t i = 0; i < N; i++)
      w->rho[h * N + i] = rho_adjust(o->radj, w->R[h], w->R[i]);
  for (size_t a = 0; a < N; a++) {
    double ra = w->rho[a * N + a];
    for (size_t b = 0; b < N; b++) {
      double u = util_f(w->D[a * w->ld + b], ra);
      w->Uown[a * N + b] = u;
      w->UownT[b * N + a] = u;
    }
  }

  /* §4.4 KTAB's sanity checks.  With g(d) = (1-d) d (d <= 1) or (1-d):
   *   U^h(i,j) - Ū(i,j) = g(D(i,j)) (ρ(R_h,R_i) - R_i),
   *   V(i,j)   - Ū(i,j) = -g(D(i,j)) R_i,
   * so ‖U^h - Ū‖_F^2 = Σ_i (ρ_hi - R_i)^2 G_i with G_i = Σ_j g_ij^2. */
  if (!w->degenerate) {
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
    long bad_h = -1;
    if (!(sqrt(nv) > 1e-6)) bad_h = -2;
    for (size_t h = 0; h < N && bad_h == -1; h++) {
      double s = 0.0;
      for (size_t i = 0; i < N; i++) {
        double e = w->rho[h * N + i] - w->R[i];
        s += e * e * w->gsq[i];
      }
      if (!(sqrt(s) > 1e-6)) bad_h = (long)h;
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

  /* §7.2 winning probabilities over the distinct positions. */
  size_t K = 0;
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
    for (size_t r = 0; r < K; r++)
      w->rows[r] = w->UownT + (size_t)w->rep[r] * N;
    st = election(w, K, pb->cap);
    if (st != ENT_OK) {
      st = election_failed(w, st, state, "winning probabilities", d);
      if (st != ENT_OK) return st;
    }
  }
  for (size_t i = 0; i < N; i++) {
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
ENT_INLINE void semi_block(ent_smp_vote rule, const ent_smp_work *w, size_t i,
                           size_t j0, vd *A, vd *B) {
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
    for (int h = 0; h < 2; h++) {
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
#define SEMI_FN(RULE)                                                       \
  static void semi_##RULE(const ent_smp_work *w, size_t i, size_t j0,       \
                          vd *A, vd *B) {                                   \
    semi_block(ENT_SMP_VOTE_##RULE, w, i, j0, A, B);                        \
  }
SEMI_FN(BINARY)
SEMI_FN(PROPBIN)
SEMI_FN(PROP)
SEMI_FN(PROPCBC)
SEMI_FN(CUBIC)
SEMI_FN(ASYMPROSP)
#undef SEMI_FN
static const semi_fn semi_table[6] = {semi_BINARY,  semi_PROPBIN, semi_PROP,
                                      semi_PROPCBC, semi_CUBIC,
                                      semi_ASYMPROSP};
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
  kernel_rows(w, i);
  double uii = w->un[i];
  int best = -1;
  double best_gain = -1.0, best_p = 0.0;
#if SMP_HAVE_VEC
  if (semi && !w->scalar_kernel) {
    semi_fn fn = semi_table[rule];
    for (size_t j0 = 0; j0 < N; j0 += ENT_SMP_LANES) {
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

static int all_finite(const double *v, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (!isfinite(v[k])) return 0;
  return 1;
}

/* u[a] += U^a(a, n) for every n other than I and J, in order, for every
 * voter a (u holds the principals' terms on entry).  Lanes run over
 * voters: UownT[n*N + a] = U^a(a, n) is contiguous in a. */
static void bargain_sums(const ent_smp_work *w, size_t I, size_t J,
                         double *u) {
  size_t N = w->n, a = 0;
  const double *UT = w->UownT;
#if SMP_HAVE_VEC
  if (!w->scalar_kernel)
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
    const double *ua = w->Uown + a * N;
    double s = u[a];
    for (size_t n = 0; n < N; n++)
      if (n != I && n != J) s = s + ua[n];
    u[a] = s;
  }
}

ent_status ent_smp_advance(ent_smp_work *w, int state, const double *x,
                           const double *xi, double *xn, double *xin,
                           ent_diag *d) {
  const ent_smp_problem *pb = w->pb;
  const ent_smp_opts *o = w->o;
  size_t N = w->n, M = w->m;
  const double *sal = pb->sal;
  ent_status st;

  memcpy(xn, x, N * M * sizeof *x);
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
    for (size_t a = 0; a < N; a++) {
      const double *ua = w->Uown + a * N;
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
      for (size_t a = 0; a < N; a++) {
        const double *xa = xi + a * M, *sa = sal + a * M;
        double ra = w->R[a];
        double s = 0.0 + util_f(distance(xa, sa, pb->ssq[a], yI, M), ra);
        u[a] = s + util_f(distance(xa, sa, pb->ssq[a], yJ, M), ra);
      }
      bargain_sums(w, I, J, u);
      for (size_t a = 0; a < N; a++) u[a] = u[a] / Nd;
    }

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
    for (size_t k = 0; k < N; k++) {
      size_t K = (size_t)w->q_len[k];
      const int *items = w->q_item + w->q_start[k];
      for (size_t m = 0; m < K; m++)
        w->rows[m] = items[m] < 0 ? w->usq : w->b_u + (size_t)items[m] * N;
      st = election(w, K, pb->cap);
      if (st != ENT_OK) {
        char what[64];
        snprintf(what, sizeof what, "queue of '%.30s'", pb->actor[k]);
        st = election_failed(w, st, state, what, d);
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

/* ------------------------------------------------------------ public options */

ent_smp_opts *ent_smp_opts_create(void) {
  ent_smp_opts *o = ent_malloc(sizeof *o);
  if (o) ent_smp_opts_default(o);
  return o;
}

void ent_smp_opts_destroy(ent_smp_opts *o) {
  if (!o) return;
  ent_smp_opts_release(o);
  ent_free(o);
}

ent_status ent_smp_opts_parse(ent_smp_opts *o, const char *kv, char *why,
                              size_t size) {
  if (!o || !kv || !why || !size) return ENT_EINVAL;
  const char *eq = strchr(kv, '=');
  if (!eq || eq == kv) {
    snprintf(why, size, "option '%s' is not of the form key=value", kv);
    return ENT_EINPUT;
  }
  char key[64];
  size_t kl = (size_t)(eq - kv);
  if (kl >= sizeof key) {
    snprintf(why, size, "unknown option '%.*s' (options: %s)", (int)kl, kv,
             ENT_SMP_OPTION_NAMES);
    return ENT_EINPUT;
  }
  memcpy(key, kv, kl);
  key[kl] = '\0';
  return ent_smp_opts_set(o, key, eq + 1, why, size) ? ENT_EINPUT : ENT_OK;
}

const char *ent_smp_option_names(void) { return ENT_SMP_OPTION_NAMES; }
