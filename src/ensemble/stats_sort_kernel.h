/*
 * stats_sort_kernel.h -- the bitonic sort and merge of stats_sort.c for
 * one vector width: included there with SW (4: AVX2, 8: AVX-512F) and SK
 * (the functions' name prefix) defined.  No header guard: it is meant to
 * be included once per width.
 *
 * The network is the "flip" form of Batcher's bitonic sort, every
 * comparator putting the lesser value at the lower index: for each block
 * size s = 2, 4, ..., n, the flip stage compares i with the block's
 * s - 1 - i, then half-cleaners compare i with i + j (j = s / 4, ..., 1)
 * inside sub-blocks of 2 j.  A comparator is a min and a max, which for
 * values without NaN and -0.0 give back one of their operands' bits
 * exactly (equal values are then the same bits), so the result is the
 * array any sort by value gives.  Strides of SW values or more compare
 * whole vectors; smaller ones are done inside each vector (a permute, a
 * min, a max and a blend).
 */

#define SK_CAT2(a, b) a##b
#define SK_CAT(a, b) SK_CAT2(a, b)
#define SKF(name) SK_CAT(SK, name)

#if SW == 4
#define SK_TARGET __attribute__((target("avx2")))
typedef __m256d SK_CAT(SK, v);
#define SV SK_CAT(SK, v)
#define SV_LOAD(p) _mm256_loadu_pd(p)
#define SV_STORE(p, x) _mm256_storeu_pd(p, x)
#define SV_MIN(x, y) _mm256_min_pd(x, y)
#define SV_MAX(x, y) _mm256_max_pd(x, y)
#define SV_REV(x) _mm256_permute4x64_pd(x, 0x1B)
/* lanes of x that are -0.0 (its bits): nonzero if any */
#define SV_NEGZ(x) \
  _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64( \
      _mm256_castpd_si256(x), _mm256_set1_epi64x(INT64_MIN))))
#elif SW == 8
#define SK_TARGET __attribute__((target("avx512f")))
typedef __m512d SK_CAT(SK, v);
#define SV SK_CAT(SK, v)
#define SV_LOAD(p) _mm512_loadu_pd(p)
#define SV_STORE(p, x) _mm512_storeu_pd(p, x)
#define SV_MIN(x, y) _mm512_min_pd(x, y)
#define SV_MAX(x, y) _mm512_max_pd(x, y)
#define SV_REV(x) _mm512_permutexvar_pd(_mm512_set_epi64(0, 1, 2, 3, 4, 5, 6, 7), x)
#define SV_NEGZ(x) \
  _mm512_cmpeq_epi64_mask(_mm512_castpd_si512(x), _mm512_set1_epi64(INT64_MIN))
#else
#error "SW must be 4 or 8"
#endif

/* One comparator stage inside a vector: x against its permutation p, the
 * lanes of `hi` (a bit mask) taking the max. */
#if SW == 4
#define SK_INV(x, p, hi) _mm256_blend_pd(SV_MIN(x, p), SV_MAX(x, p), hi)
#else
#define SK_INV(x, p, hi) _mm512_mask_max_pd(SV_MIN(x, p), (__mmask8)(hi), x, p)
#endif

/* Half-cleaners of strides SW / 2, ..., 1 inside x (bitonic halves of
 * every 2 j lanes in, sorted out). */
SK_TARGET static inline SV SKF(tail)(SV x) {
#if SW == 4
  x = SK_INV(x, _mm256_permute4x64_pd(x, 0x4E), 0xC);
  x = SK_INV(x, _mm256_permute_pd(x, 0x5), 0xA);
#else
  x = SK_INV(x, _mm512_shuffle_f64x2(x, x, 0x4E), 0xF0);
  x = SK_INV(x, _mm512_permutex_pd(x, 0x4E), 0xCC);
  x = SK_INV(x, _mm512_permute_pd(x, 0x55), 0xAA);
#endif
  return x;
}

/* x's SW lanes sorted: the rounds s = 2, ..., SW inside the vector. */
SK_TARGET static inline SV SKF(vsort)(SV x) {
#if SW == 4
  x = SK_INV(x, _mm256_permute_pd(x, 0x5), 0xA);         /* s 2 */
  x = SK_INV(x, SV_REV(x), 0xC);                          /* s 4: flip */
  x = SK_INV(x, _mm256_permute_pd(x, 0x5), 0xA);
#else
  x = SK_INV(x, _mm512_permute_pd(x, 0x55), 0xAA);        /* s 2 */
  x = SK_INV(x, _mm512_permutex_pd(x, 0x1B), 0xCC);       /* s 4: flip */
  x = SK_INV(x, _mm512_permute_pd(x, 0x55), 0xAA);
  x = SK_INV(x, SV_REV(x), 0xF0);                         /* s 8: flip */
  x = SK_INV(x, _mm512_permutex_pd(x, 0x4E), 0xCC);
  x = SK_INV(x, _mm512_permute_pd(x, 0x55), 0xAA);
#endif
  return x;
}

/* The comparator of vectors x and y (min to x). */
#define SK_CX(x, y)            \
  do {                         \
    SV t_ = SV_MIN(x, y);      \
    y = SV_MAX(x, y);          \
    x = t_;                    \
  } while (0)

/* The half-cleaners of strides 2 and 1 of four vectors a b c d. */
#define SK_CX4(a, b, c, d) \
  do {                     \
    SK_CX(a, c);           \
    SK_CX(b, d);           \
    SK_CX(a, b);           \
    SK_CX(c, d);           \
  } while (0)

/* The half-cleaners of strides j = jv SW, jv SW / 2, ..., SW (whole
 * vectors) and then those inside the vectors, over the nv vectors of a
 * (blocks of 2 jv vectors): two vector strides a pass over memory (four
 * vectors held), the last three vector strides and the lanes' together
 * on eight vectors in registers. */
SK_TARGET static void SKF(clean)(double *a, size_t nv, size_t jv) {
  for (; jv >= 16; jv /= 4) {
    size_t h = jv / 2;
    for (size_t b = 0; b < nv; b += 2 * jv)
      for (size_t t = b; t < b + h; t++) {
        double *p0 = a + t * SW, *p1 = a + (t + h) * SW;
        double *p2 = a + (t + jv) * SW, *p3 = a + (t + jv + h) * SW;
        SV x0 = SV_LOAD(p0), x1 = SV_LOAD(p1), x2 = SV_LOAD(p2), x3 = SV_LOAD(p3);
        SK_CX4(x0, x1, x2, x3);
        SV_STORE(p0, x0);
        SV_STORE(p1, x1);
        SV_STORE(p2, x2);
        SV_STORE(p3, x3);
      }
  }
  for (; jv >= 8; jv /= 2)
    for (size_t b = 0; b < nv; b += 2 * jv)
      for (size_t t = b; t < b + jv; t++) {
        SV x = SV_LOAD(a + t * SW), y = SV_LOAD(a + (t + jv) * SW);
        SV_STORE(a + t * SW, SV_MIN(x, y));
        SV_STORE(a + (t + jv) * SW, SV_MAX(x, y));
      }
  if (jv == 4) {
    for (size_t t = 0; t < nv; t += 8) {
      double *p = a + t * SW;
      SV x0 = SV_LOAD(p), x1 = SV_LOAD(p + SW), x2 = SV_LOAD(p + 2 * SW);
      SV x3 = SV_LOAD(p + 3 * SW), x4 = SV_LOAD(p + 4 * SW);
      SV x5 = SV_LOAD(p + 5 * SW), x6 = SV_LOAD(p + 6 * SW);
      SV x7 = SV_LOAD(p + 7 * SW);
      SK_CX(x0, x4);
      SK_CX(x1, x5);
      SK_CX(x2, x6);
      SK_CX(x3, x7);
      SK_CX4(x0, x1, x2, x3);
      SK_CX4(x4, x5, x6, x7);
      SV_STORE(p, SKF(tail)(x0));
      SV_STORE(p + SW, SKF(tail)(x1));
      SV_STORE(p + 2 * SW, SKF(tail)(x2));
      SV_STORE(p + 3 * SW, SKF(tail)(x3));
      SV_STORE(p + 4 * SW, SKF(tail)(x4));
      SV_STORE(p + 5 * SW, SKF(tail)(x5));
      SV_STORE(p + 6 * SW, SKF(tail)(x6));
      SV_STORE(p + 7 * SW, SKF(tail)(x7));
    }
  } else if (jv == 2) {
    for (size_t t = 0; t < nv; t += 4) {
      SV x0 = SV_LOAD(a + t * SW), x1 = SV_LOAD(a + (t + 1) * SW);
      SV x2 = SV_LOAD(a + (t + 2) * SW), x3 = SV_LOAD(a + (t + 3) * SW);
      SK_CX4(x0, x1, x2, x3);
      SV_STORE(a + t * SW, SKF(tail)(x0));
      SV_STORE(a + (t + 1) * SW, SKF(tail)(x1));
      SV_STORE(a + (t + 2) * SW, SKF(tail)(x2));
      SV_STORE(a + (t + 3) * SW, SKF(tail)(x3));
    }
  } else if (jv == 1) {
    for (size_t t = 0; t < nv; t += 2) {
      SV x0 = SV_LOAD(a + t * SW), x1 = SV_LOAD(a + (t + 1) * SW);
      SV_STORE(a + t * SW, SKF(tail)(SV_MIN(x0, x1)));
      SV_STORE(a + (t + 1) * SW, SKF(tail)(SV_MAX(x0, x1)));
    }
  } else {
    for (size_t t = 0; t < nv; t++)
      SV_STORE(a + t * SW, SKF(tail)(SV_LOAD(a + t * SW)));
  }
}

/* The flip comparator of x and y (y's lanes reversed: lane l of x
 * against lane SW - 1 - l of y; min to x, y left ascending). */
#define SK_FLIP(x, y)          \
  do {                         \
    SV r_ = SV_REV(y);         \
    y = SV_REV(SV_MAX(x, r_)); \
    x = SV_MIN(x, r_);         \
  } while (0)

/* A round of the network on blocks of m vectors (m at least 8) over the
 * nv vectors of a: the flip stage (vector t of a block against the
 * reversed vector m - 1 - t) and with it the first half-cleaner's
 * (stride m / 4 vectors) on four vectors held -- t, t + m / 4 and their
 * flip partners --, then the other half-cleaners. */
SK_TARGET static void SKF(round)(double *a, size_t nv, size_t m) {
  size_t q = m / 4;
  for (size_t b = 0; b < nv; b += m)
    for (size_t t = 0; t < q; t++) {
      double *p0 = a + (b + t) * SW, *p1 = a + (b + t + q) * SW;
      double *p2 = a + (b + m - 1 - t - q) * SW, *p3 = a + (b + m - 1 - t) * SW;
      SV x0 = SV_LOAD(p0), x1 = SV_LOAD(p1), x2 = SV_LOAD(p2), x3 = SV_LOAD(p3);
      SK_FLIP(x0, x3);
      SK_FLIP(x1, x2);
      SK_CX(x0, x1);
      SK_CX(x2, x3);
      SV_STORE(p0, x0);
      SV_STORE(p1, x1);
      SV_STORE(p2, x2);
      SV_STORE(p3, x3);
    }
  SKF(clean)(a, nv, q / 2);
}

/* The tails of eight vectors. */
#define SK_TAIL8()       \
  do {                   \
    x0 = SKF(tail)(x0);  \
    x1 = SKF(tail)(x1);  \
    x2 = SKF(tail)(x2);  \
    x3 = SKF(tail)(x3);  \
    x4 = SKF(tail)(x4);  \
    x5 = SKF(tail)(x5);  \
    x6 = SKF(tail)(x6);  \
    x7 = SKF(tail)(x7);  \
  } while (0)

/* a[0..n) sorted ascending; n a power of two, at least 8 SW.  Returns 0
 * with a untouched when it holds a -0.0 (qsort's order of -0.0 and +0.0
 * depends on where they were), else 1. */
SK_TARGET static int SKF(sort)(double *a, size_t n) {
  size_t nv = n / SW;
  unsigned negz = 0;
  for (size_t t = 0; t < nv; t += 2)
    negz |= (unsigned)SV_NEGZ(SV_LOAD(a + t * SW)) |
            (unsigned)SV_NEGZ(SV_LOAD(a + (t + 1) * SW));
  if (negz) return 0;
  /* the rounds up to 8 SW on eight vectors in registers */
  for (size_t t = 0; t < nv; t += 8) {
    double *p = a + t * SW;
    SV x0 = SKF(vsort)(SV_LOAD(p)), x1 = SKF(vsort)(SV_LOAD(p + SW));
    SV x2 = SKF(vsort)(SV_LOAD(p + 2 * SW)), x3 = SKF(vsort)(SV_LOAD(p + 3 * SW));
    SV x4 = SKF(vsort)(SV_LOAD(p + 4 * SW)), x5 = SKF(vsort)(SV_LOAD(p + 5 * SW));
    SV x6 = SKF(vsort)(SV_LOAD(p + 6 * SW)), x7 = SKF(vsort)(SV_LOAD(p + 7 * SW));
    SK_FLIP(x0, x1); /* 2 SW */
    SK_FLIP(x2, x3);
    SK_FLIP(x4, x5);
    SK_FLIP(x6, x7);
    SK_TAIL8();
    SK_FLIP(x0, x3); /* 4 SW */
    SK_FLIP(x1, x2);
    SK_FLIP(x4, x7);
    SK_FLIP(x5, x6);
    SK_CX(x0, x1);
    SK_CX(x2, x3);
    SK_CX(x4, x5);
    SK_CX(x6, x7);
    SK_TAIL8();
    SK_FLIP(x0, x7); /* 8 SW */
    SK_FLIP(x1, x6);
    SK_FLIP(x2, x5);
    SK_FLIP(x3, x4);
    SK_CX4(x0, x1, x2, x3);
    SK_CX4(x4, x5, x6, x7);
    SK_TAIL8();
    SV_STORE(p, x0);
    SV_STORE(p + SW, x1);
    SV_STORE(p + 2 * SW, x2);
    SV_STORE(p + 3 * SW, x3);
    SV_STORE(p + 4 * SW, x4);
    SV_STORE(p + 5 * SW, x5);
    SV_STORE(p + 6 * SW, x6);
    SV_STORE(p + 7 * SW, x7);
  }
  for (size_t m = 16; m <= nv; m *= 2) SKF(round)(a, nv, m);
  return 1;
}

/* out[0..m) = c[par], c[par + 2], ..., c[par + 2 (m - 1)]; m a multiple of
 * SW. */
SK_TARGET static void SKF(take_half)(const double *c, size_t m, int par,
                                     double *out) {
#if SW == 4
  for (size_t i = 0; i < m; i += 4) {
    SV x = SV_LOAD(c + 2 * i), y = SV_LOAD(c + 2 * i + 4);
    SV e = par ? _mm256_unpackhi_pd(x, y) : _mm256_unpacklo_pd(x, y);
    SV_STORE(out + i, _mm256_permute4x64_pd(e, 0xD8));
  }
#else
  __m512i idx = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
  idx = _mm512_add_epi64(idx, _mm512_set1_epi64(par));
  for (size_t i = 0; i < m; i += 8) {
    SV x = SV_LOAD(c + 2 * i), y = SV_LOAD(c + 2 * i + 8);
    SV_STORE(out + i, _mm512_permutex2var_pd(x, idx, y));
  }
#endif
}

/* out[0..m) = the values at par, par + 2, ... of x[0..m) and y[0..m)
 * (ascending runs, m a power of two, at least SW) merged; c holds 2 m
 * values.  The flip stage reads the runs themselves.  Returns 0 with
 * nothing written to out when a run holds a -0.0, else 1. */
SK_TARGET static int SKF(merge_half)(const double *x, const double *y,
                                     size_t m, int par, double *out,
                                     double *c) {
  size_t mv = m / SW, nv = 2 * mv;
  unsigned negz = 0;
  if (mv == 1) {
    SV u = SV_LOAD(x), v = SV_LOAD(y);
    negz = (unsigned)SV_NEGZ(u) | (unsigned)SV_NEGZ(v);
    SK_FLIP(u, v);
    SV_STORE(c, SKF(tail)(u));
    SV_STORE(c + SW, SKF(tail)(v));
  } else {
    /* the round of SKF(round) on 2 mv vectors, x's then y's */
    size_t q = mv / 2;
    for (size_t t = 0; t < q; t++) {
      SV x0 = SV_LOAD(x + t * SW), x1 = SV_LOAD(x + (t + q) * SW);
      SV x2 = SV_LOAD(y + (mv - 1 - t - q) * SW), x3 = SV_LOAD(y + (mv - 1 - t) * SW);
      negz |= (unsigned)SV_NEGZ(x0) | (unsigned)SV_NEGZ(x1) |
              (unsigned)SV_NEGZ(x2) | (unsigned)SV_NEGZ(x3);
      SK_FLIP(x0, x3);
      SK_FLIP(x1, x2);
      SK_CX(x0, x1);
      SK_CX(x2, x3);
      SV_STORE(c + t * SW, x0);
      SV_STORE(c + (t + q) * SW, x1);
      SV_STORE(c + (nv - 1 - t - q) * SW, x2);
      SV_STORE(c + (nv - 1 - t) * SW, x3);
    }
    SKF(clean)(c, nv, q / 2);
  }
  if (negz) return 0;
  SKF(take_half)(c, m, par & 1, out);
  return 1;
}

#undef SK_CAT2
#undef SK_CAT
#undef SKF
#undef SK_TARGET
#undef SV
#undef SV_LOAD
#undef SV_STORE
#undef SV_MIN
#undef SV_MAX
#undef SV_REV
#undef SK_INV
#undef SV_NEGZ
#undef SK_CX
#undef SK_FLIP
#undef SK_TAIL8
