/*
 * result_json.h -- reading a result document back: the JSON that
 * `entente run --format json`, `entente forecast --format json` or
 * `entente score --format json` writes
 * (keys at the top of output/json_run.c and output/json_forecast.c), kept
 * in a file or in the run store, into a result tree (model/result.h).
 */
#ifndef ENT_RESULT_JSON_H
#define ENT_RESULT_JSON_H

#include "model/model.h"
#include "model/result.h"

/* Read the document text[0..len) named `name` (used in messages).
 *
 * m (may be NULL) is the scenario the result came from: its id must be the
 * document's (else an error at the document's "scenario"), and it gives
 * what the document leaves out (an issue's question and scale, the
 * scenario's title).  Without m, a document of a built-in scenario
 * (source "builtin:NAME", or its id) is read with that built-in, loaded
 * into *own (the caller destroys it; NULL otherwise).
 *
 * The kind of the result is ENT_RESULT_SCORE for a score document (one
 * with `questions` and `reliability`), ENT_RESULT_FORECAST when the
 * document has statistics (quantiles), else ENT_RESULT_RUN.  Every problem goes to d as
 * name:line:col with the text as source (ENT_EINPUT, *out NULL); also
 * ENT_ENOMEM. */
ENT_LOCAL ent_status ent_result_read_json(const char *name, const char *text,
                                          size_t len, const ent_model *m,
                                          ent_model **own, ent_result **out,
                                          ent_diag *d);

#endif /* ENT_RESULT_JSON_H */
