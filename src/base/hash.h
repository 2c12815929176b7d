/*
 * hash.h -- SHA-256 (FIPS 180-4), for the run store's scenario hashes.
 *
 * Incremental: ent_hash_init, any number of ent_hash_add, then
 * ent_hash_hex once (the state is spent afterwards); ent_hash_sha256 does
 * all three for one buffer.  No allocation, no global state.
 */
#ifndef ENT_HASH_H
#define ENT_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

typedef struct ent_hash {
  uint32_t h[8];           /* chaining value */
  uint64_t len;            /* bytes added so far */
  unsigned char buf[64];   /* the block being filled */
  size_t n;                /* bytes in buf, < 64 between calls */
} ent_hash;

ENT_LOCAL void ent_hash_init(ent_hash *s);
ENT_LOCAL void ent_hash_add(ent_hash *s, const void *data, size_t len);
/* Pad, finish and write the digest as 64 lowercase hex digits and a NUL. */
ENT_LOCAL void ent_hash_hex(ent_hash *s, char out[65]);
/* SHA-256 of data[0..len) as 64 lowercase hex digits and a NUL. */
ENT_LOCAL void ent_hash_sha256(const void *data, size_t len, char out[65]);

#endif /* ENT_HASH_H */
