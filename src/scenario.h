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

/* State of one scenario load, shared by scenario.c (strategic part) and
 * scenario_struct.c (structural part). */
typedef struct loader {
  ent_ydoc y;
  ent_model *m;
  const char *file;
  ent_diag *d;
} loader;

ENT_LOCAL ent_srcpos ent_scn_pos(const yaml_node_t *n);
/* Scalar copied into the model arena; NULL after reporting. */
ENT_LOCAL const char *ent_scn_text(loader *L, yaml_node_t *n, const char *what,
                                   int required_nonempty);
ENT_LOCAL const char *ent_scn_ident(loader *L, yaml_node_t *n,
                                    const char *what);
/* Required key of a mapping: reported at the mapping if missing. */
ENT_LOCAL yaml_node_t *ent_scn_need(loader *L, yaml_node_t *map,
                                    const char *key, const char *what);
/* The structural sections (time, economy, trade, shocks, channels, links,
 * history) of root; no-op if the root has none of them. */
ENT_LOCAL void ent_scn_parse_structure(loader *L, yaml_node_t *root);

/* Validate that s is a usable identifier: 1-64 bytes of letters, digits,
 * '_', '-', '.', ':' (no blanks).  Returns NULL or a reason. */
ENT_LOCAL const char *ent_check_ident(const char *s, size_t len);

#endif /* ENT_SCENARIO_H */
