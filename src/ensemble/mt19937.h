/*
 * mt19937.h -- the Mersenne Twister MT19937 (Matsumoto and Nishimura,
 * ACM TOMACS 8(1), 1998) with GSL's seeding (gsl_rng_mt19937: a seed of 0
 * is 4357, the 1812433253 recurrence of the 2002 reference code), giving
 * the same words as gsl_rng_get and the same doubles as gsl_rng_uniform and
 * gsl_rng_uniform_pos for the same seed.
 *
 * Why not GSL's generator: a forecast member seeds two streams and reads
 * only some 25 words from them, but a seeding costs the whole 624-word
 * recurrence and the first read the whole block's regeneration (1.4 % of a
 * member's CPU at 10,000 members).  Here both are lazy: word k of the first
 * block (k < 227) needs only the seeding up to word k + 397 and its own
 * regeneration, so a member's streams cost about a third as much.  From
 * word 227 on, the rest of the seeding and of the block are done at once
 * and later blocks are made whole, as GSL does.
 *
 * Invariant: mt[0 .. seeded - 1] hold the seeding's words, except
 * mt[0 .. next - 1], which hold the first block's regenerated words (while
 * lazy); `lazy` is cleared once the first block is whole.
 */
#ifndef ENT_MT19937_H
#define ENT_MT19937_H

#include <stdint.h>

#include "base/util.h"

enum { ENT_MT_N = 624 };

typedef struct ent_mt {
  uint32_t mt[ENT_MT_N];
  int seeded; /* words of the seeding made so far */
  int next;   /* the block's next word */
  int lazy;   /* 1 in the first block, before word 227 */
} ent_mt;

/* The stream of `seed` (gsl_rng_set; only its low 32 bits are used). */
ENT_LOCAL void ent_mt_set(ent_mt *g, unsigned long seed);
/* The next 32-bit word (gsl_rng_get). */
ENT_LOCAL uint32_t ent_mt_get(ent_mt *g);
/* In [0, 1) (gsl_rng_uniform). */
ENT_LOCAL double ent_mt_uniform(ent_mt *g);
/* In (0, 1) (gsl_rng_uniform_pos: words of 0 are skipped). */
ENT_LOCAL double ent_mt_uniform_pos(ent_mt *g);

#endif
