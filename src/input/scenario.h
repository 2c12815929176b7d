/*
 * scenario.h -- loading scenarios (YAML, see docs/scenario.md) into models.
 *
 * The loader validates everything it reads and reports every problem with
 * its position; it returns a model only if no error was found.
 */
#ifndef ENT_SCENARIO_H
#define ENT_SCENARIO_H

#include "model/model.h"
#include "base/ydoc.h"

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

ENT_LOCAL ent_srcpos ent_scenario_pos(const yaml_node_t *n);
/* Scalar copied into the model arena; NULL after reporting. */
ENT_LOCAL const char *ent_scenario_text(loader *L, yaml_node_t *n, const char *what,
                                   int required_nonempty);
ENT_LOCAL const char *ent_scenario_ident(loader *L, yaml_node_t *n,
                                    const char *what);
/* Required key of a mapping: reported at the mapping if missing. */
ENT_LOCAL yaml_node_t *ent_scenario_need(loader *L, yaml_node_t *map,
                                    const char *key, const char *what);
/* The structural sections (time, economy, trade, shocks, channels, links,
 * history) of root; no-op if the root has none of them. */
ENT_LOCAL void ent_scenario_parse_structure(loader *L, yaml_node_t *root);

/* ---- helpers of the structural part (scenario_struct.c) ---- */

/* A list of bloc ids (a sequence, or one scalar) -> indices in the arena;
 * NULL after reporting. */
ENT_LOCAL size_t *ent_scenario_bloc_list(loader *L, yaml_node_t *n,
                                         const char *what, size_t *count);
/* "A->B" with known, different blocs; 0 or -1 after reporting. */
ENT_LOCAL int ent_scenario_pair_of(loader *L, yaml_node_t *n, const char *s,
                                   size_t *a, size_t *b);
ENT_LOCAL int ent_scenario_year_of(loader *L, yaml_node_t *n,
                                   const char *what, int *out);
/* y inside the time axis (at most 100 years before its start). */
ENT_LOCAL int ent_scenario_year_in_axis(loader *L, yaml_node_t *n, int y,
                                        const char *what);
/* A shock's `start` (required) and optional `end` (after the start),
 * both inside the time axis; every problem reported. */
ENT_LOCAL void ent_scenario_shock_years(loader *L, yaml_node_t *s, int *start,
                                        int *end);
ENT_LOCAL int ent_scenario_flag(loader *L, yaml_node_t *n, const char *what,
                                int *out);
/* Links (scenario_links.c), then the order in which issues bargain. */
ENT_LOCAL void ent_scenario_parse_links(loader *L, yaml_node_t *n);
ENT_LOCAL void ent_scenario_order_issues(loader *L, yaml_node_t *links_node);

/* ---- the strategic layer's dynamics (scenario_dyn.c; docs/dynamics.md) ---- */

/* `dynamics` (defaults when absent; needs a time axis when present). */
ENT_LOCAL void ent_scenario_parse_dynamics(loader *L, yaml_node_t *root);
/* `model.weights` {eum: w, smp: w, why}. */
ENT_LOCAL void ent_scenario_parse_weights(loader *L, yaml_node_t *n);
/* A shock with an `issue` key: a dated change of one actor's stake. */
ENT_LOCAL void ent_scenario_parse_sshock(loader *L, yaml_node_t *s);

/* ---- uncertain numbers (scenario_dist.c; docs/scenario.md) ---- */

/* Flags of ent_scenario_number. */
#define ENT_NUM_SCALAR_RANGE 1u /* a plain value is checked against [lo, hi]
                                   (as ent_ydoc_num_in); else the caller
                                   checks it */
#define ENT_NUM_ABOVE_LO 2u     /* a distribution's explicit lower end must
                                   be > lo (gdp, capacity, adjustment) */

/* A number that may also be given as a distribution {dist: ...}.  A plain
 * value is read exactly as before (same messages).  A distribution is
 * validated (parameters, support inside [lo, hi]), recorded in the model's
 * uncertain numbers with target `tgt` and readable `name`, and its nominal
 * value (normal: mean; uniform: midpoint; triangular, pert: mode; choice:
 * the most likely value) is stored in *out.  Returns 0, or -1 after
 * reporting.  *is_dist (may be NULL) says which form it was. */
ENT_LOCAL int ent_scenario_number(loader *L, yaml_node_t *n, const char *what,
                             double lo, double hi, unsigned flags,
                             double *out, const ent_utarget *tgt,
                             const char *name, int *is_dist);
/* True if n is a mapping with a `dist` key. */
ENT_LOCAL int ent_scenario_is_dist(loader *L, yaml_node_t *n);
/* Resolve stake targets (actor -> stake index) once the issues are built. */
ENT_LOCAL void ent_scenario_resolve_uparams(loader *L);

/* ---- variants (variant.c) ---- */

/* If y's root has `extends: BASE`, replace y's document by BASE merged with
 * it (recursively) and append the base texts to `bases`.  stored (NULL:
 * none): the text of a file BASE, used instead of reading the file.
 * Problems are reported; returns ENT_OK, ENT_EINPUT or ENT_ENOMEM. */
ENT_LOCAL ent_status ent_variant_resolve(ent_ydoc *y, ent_diag *d,
                                         ent_strbuf *bases, int depth,
                                         const char *stored,
                                         size_t stored_len);

/* A scenario as a run store keeps it: its text and the texts it extends
 * (ent_model.base_text; NULL: none).  The stored base texts are used in
 * place of the files when they are what the files were (one file base:
 * a scenario stored elsewhere, or whose base file moved or changed),
 * else the files are read as ent_scenario_load_buffer reads them. */
ENT_LOCAL ent_status ent_scenario_load_stored(const char *name,
                                              const char *text, size_t len,
                                              const char *base,
                                              size_t base_len,
                                              ent_model **out, ent_diag *d);

/* Validate that s is a usable identifier: 1-64 bytes of letters, digits,
 * '_', '-', '.', ':' (no blanks).  Returns NULL or a reason. */
ENT_LOCAL const char *ent_scenario_check_ident(const char *s, size_t len);

#endif /* ENT_SCENARIO_H */
