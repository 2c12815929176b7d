/*
 * store.h -- the SQLite run store (public API in entente.h; schema at the
 * top of store.c and in docs/store.md).  Internal helpers for the tests.
 */
#ifndef ENT_STORE_H
#define ENT_STORE_H

#include <stddef.h>

#include "base/util.h"

#endif /* ENT_STORE_H */
