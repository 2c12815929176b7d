/*
 * mt19937.c -- MT19937 with GSL's seeding, lazy in its first block (see
 * mt19937.h).  The recurrences are the published generator's: seeding
 * x_i = 1812433253 (x_{i-1} xor (x_{i-1} >> 30)) + i mod 2^32; a word
 * x_k' = x_{k+397} xor (y >> 1) xor (0x9908b0df if y is odd), y the upper
 * bit of x_k and the lower 31 of x_{k+1}; tempering by the four shifts and
 * masks.
 *
 * Prefixes: ent_mt_ (the generator).
 */
#include "ensemble/mt19937.h"

enum { M = 397, N = ENT_MT_N };
#define UPPER 0x80000000u
#define LOWER 0x7fffffffu
#define MATRIX_A 0x9908b0dfu

static inline uint32_t twist(uint32_t a, uint32_t b, uint32_t far) {
  uint32_t y = (a & UPPER) | (b & LOWER);
  return far ^ (y >> 1) ^ ((y & 1u) ? MATRIX_A : 0u);
}

static inline uint32_t temper(uint32_t k) {
  k ^= k >> 11;
  k ^= (k << 7) & 0x9d2c5680u;
  k ^= (k << 15) & 0xefc60000u;
  k ^= k >> 18;
  return k;
}

void ent_mt_set(ent_mt *g, unsigned long seed) {
  if (seed == 0) seed = 4357; /* GSL's default, before the mask */
  g->mt[0] = (uint32_t)(seed & 0xffffffffUL);
  g->seeded = 1;
  g->next = 0;
  g->lazy = 1;
}

/* The seeding's words up to (not including) hi. */
static void seed_to(ent_mt *g, int hi) {
  uint32_t *mt = g->mt;
  for (int i = g->seeded; i < hi; i++)
    mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint32_t)i;
  if (hi > g->seeded) g->seeded = hi;
}

/* The block's words from `from` on (0: a whole new block). */
static void regen_from(uint32_t *mt, int from) {
  int kk = from;
  for (; kk < N - M; kk++) mt[kk] = twist(mt[kk], mt[kk + 1], mt[kk + M]);
  for (; kk < N - 1; kk++)
    mt[kk] = twist(mt[kk], mt[kk + 1], mt[kk + (M - N)]);
  mt[N - 1] = twist(mt[N - 1], mt[0], mt[M - 1]);
}

uint32_t ent_mt_get(ent_mt *g) {
  uint32_t *mt = g->mt;
  if (g->lazy) {
    int k = g->next;
    if (k < N - M) { /* x_k, x_{k+1} and x_{k+397} are the seeding's */
      seed_to(g, k + M + 1);
      mt[k] = twist(mt[k], mt[k + 1], mt[k + M]);
      g->next = k + 1;
      return temper(mt[k]);
    }
    seed_to(g, N); /* the rest of the first block, as a whole one */
    regen_from(mt, N - M);
    g->lazy = 0;
  } else if (g->next >= N) {
    regen_from(mt, 0);
    g->next = 0;
  }
  return temper(mt[g->next++]);
}

double ent_mt_uniform(ent_mt *g) { return ent_mt_get(g) / 4294967296.0; }

double ent_mt_uniform_pos(ent_mt *g) {
  double x;
  do x = ent_mt_uniform(g);
  while (x == 0.0);
  return x;
}
