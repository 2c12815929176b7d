/*
 * assumptions.h -- a scenario's inputs with their rationale as a cJSON
 * document (names in assumptions.c); the report's "assumptions" section
 * and ent_model_write_assumptions (entente.h) are built from it.
 */
#ifndef ENT_ASSUMPTIONS_H
#define ENT_ASSUMPTIONS_H

#include <cjson/cJSON.h>

#include "model/model.h"

/* The document of model m; NULL when out of memory.  Caller frees with
 * cJSON_Delete. */
ENT_LOCAL cJSON *ent_assumptions_json(const ent_model *m);
/* One-line description of a distribution ("uniform on [1, 2]"). */
ENT_LOCAL void ent_assumptions_dist(const ent_dist *d, char *buf, size_t size);

#endif /* ENT_ASSUMPTIONS_H */
