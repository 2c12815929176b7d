/*
 * store.h -- the SQLite run store (public API in entente.h; schema at the
 * top of store.c and in docs/store.md).  Internal helpers for the tests.
 */
#ifndef ENT_STORE_H
#define ENT_STORE_H

#include <stddef.h>

#include "base/util.h"

/* SHA-256 of data[0..len) as 64 lowercase hex digits and a NUL. */
ENT_LOCAL void ent_sha256_hex(const void *data, size_t len, char out[65]);

#endif /* ENT_STORE_H */
