/*
 * fileio.h -- the read step every file loader shares: a whole file into
 * memory, with a size cap, and on failure one error in the diag that says
 * which file and why.  The loaders then parse the buffer (their *_buffer
 * twin), so reading and parsing are never mixed.
 */
#ifndef ENT_FILEIO_H
#define ENT_FILEIO_H

#include "base/diag.h"

/* Read `path` (at most max_bytes) with ent_read_file (util.h) into *text
 * (ent_malloc'd, NUL-terminated; *len excludes the NUL).  On failure
 * *text is NULL and an error is added at `path` (no position) with the
 * message `fmt, ...` followed by ": " and the reason; the status is
 * ENT_EIO or ENT_ENOMEM (also the item's code). */
ENT_LOCAL ent_status ent_fileio_read(const char *path, size_t max_bytes,
                                     char **text, size_t *len, ent_diag *d,
                                     const char *fmt, ...) ENT_PRINTF(6, 7);

#endif /* ENT_FILEIO_H */
