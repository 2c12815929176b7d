/*
 * scenario.h -- loading scenarios (YAML, see docs/scenario.md) into models.
 *
 * The loader validates everything it reads and reports every problem with
 * its position; it returns a model only if no error was found.
 */
#ifndef ENT_SCENARIO_H
#define ENT_SCENARIO_H

#include "model.h"
#include "yamldoc.h"

/* Largest scenario or table file accepted (bytes). */
#define ENT_MAX_INPUT_BYTES (64u * 1024u * 1024u)

/* Validate that s is a usable identifier: 1-64 bytes of letters, digits,
 * '_', '-', '.', ':' (no blanks).  Returns NULL or a reason. */
ENT_LOCAL const char *ent_check_ident(const char *s, size_t len);

#endif /* ENT_SCENARIO_H */
