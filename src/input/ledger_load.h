/*
 * ledger_load.h -- the ledger reader (CSV -> ent_ledger; model/ledger.h).
 */
#ifndef ENT_LEDGER_LOAD_H
#define ENT_LEDGER_LOAD_H

#include "model/ledger.h"

/* Parse a ledger.  Every problem goes to `d` as name:line:col; returns
 * ENT_EINPUT (problems in d), ENT_EIO or ENT_ENOMEM with *out NULL. */
ENT_LOCAL ent_status ent_ledger_load_buffer(const char *name, const char *text,
                                            size_t len, ent_ledger **out,
                                            ent_diag *d);
ENT_LOCAL ent_status ent_ledger_load_file(const char *path, ent_ledger **out,
                                          ent_diag *d);

#endif /* ENT_LEDGER_LOAD_H */
