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

/* What the store keeps of one run for a report: its row and its output
 * document (the JSON of `entente run` or `entente forecast`). */
typedef struct ent_store_entry {
  long long id;
  char kind[16], status[16]; /* "" when not recorded */
  char started[40];          /* UTC, ISO 8601, or "" */
  char *output;              /* ent_malloc'd, NUL-terminated */
  size_t len;
} ent_store_entry;

/* Run `id`, or with id 0 the latest run or forecast with members done.
 * ENT_ENOTFOUND when there is no such run; ENT_EINPUT (message in d) when
 * it has no output yet; ENT_EIO, ENT_ENOMEM.  On ENT_OK the caller frees
 * e->output with ent_free. */
ENT_LOCAL ent_status ent_store_fetch(ent_store *s, long long id,
                                     ent_store_entry *e, ent_diag *d);

#endif /* ENT_STORE_H */
