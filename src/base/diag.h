/*
 * diag.h -- the list of problems found in user input (see entente.h for the
 * public half).  Loaders call ent_diag_add with the position of the problem;
 * they keep going so that one pass reports every problem.  The diag keeps a
 * copy of each source text it is told about so that printing can quote the
 * offending line with a caret.
 *
 * A diag stops storing items after ENT_DIAG_MAX_ITEMS (and says so), which
 * bounds memory and output on pathological input.
 */
#ifndef ENT_DIAG_H
#define ENT_DIAG_H

#include "base/util.h"

#define ENT_DIAG_MAX_ITEMS 200

/* Add an item; file may be NULL.  Never fails visibly: when memory runs out
 * the item is counted but not stored. */
ENT_LOCAL void ent_diag_add(ent_diag *d, ent_severity sev, ent_status code,
                            const char *file, int line, int col,
                            const char *fmt, ...) ENT_PRINTF(7, 8);
ENT_LOCAL void ent_diag_vadd(ent_diag *d, ent_severity sev, ent_status code,
                             const char *file, int line, int col,
                             const char *fmt, va_list ap);
/* Shorthand for an ENT_EINPUT error. */
ENT_LOCAL void ent_diag_error(ent_diag *d, const char *file, int line,
                              int col, const char *fmt, ...) ENT_PRINTF(5, 6);
/* Remember the text of `file` for caret printing (copied). */
ENT_LOCAL void ent_diag_set_source(ent_diag *d, const char *file,
                                   const char *text, size_t len);

#endif /* ENT_DIAG_H */
