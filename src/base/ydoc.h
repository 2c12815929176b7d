/*
 * ydoc.h -- a loaded YAML document (libyaml's document API) plus typed
 * accessors that report problems to an ent_diag with the node's position.
 *
 * Only one document per file is accepted, and anchors/aliases are refused
 * (found on the event stream, as the tree is built): they are not needed in
 * scenarios and aliases would let a small file expand into a huge tree.
 */
#ifndef ENT_YDOC_H
#define ENT_YDOC_H

#include <yaml.h>

#include "base/diag.h"

/* Bounds on a document, checked on each event before its node is added to
 * the tree (docs/scenario.md, "Limits"). */
#define ENT_YDOC_MAX_DEPTH 64
#define ENT_YDOC_MAX_NODES 2000000

typedef struct ent_ydoc {
  yaml_document_t doc;
  int loaded;
  const char *file; /* not owned */
  ent_diag *d;
  /* A document merged from several files (variant.c: `extends`) knows the
   * file of every node: files[node_src[id - 1]]; NULL: all in `file`. */
  char **files;           /* owned names */
  size_t n_files;
  unsigned short *node_src;
  size_t n_node_src;
} ent_ydoc;

/* Parse text into y.  Syntax errors are reported; returns ENT_EINPUT then. */
ENT_LOCAL ent_status ent_ydoc_load(ent_ydoc *y, const char *file,
                                   const char *text, size_t len, ent_diag *d);
ENT_LOCAL void ent_ydoc_free(ent_ydoc *y);

ENT_LOCAL yaml_node_t *ent_ydoc_root(ent_ydoc *y);
ENT_LOCAL yaml_node_t *ent_ydoc_node(ent_ydoc *y, int id);

/* File a node comes from (y->file unless the document is a merge). */
ENT_LOCAL const char *ent_ydoc_file_of(const ent_ydoc *y, const yaml_node_t *n);

/* 1-based position of a node. */
static inline int ent_ynode_line(const yaml_node_t *n) {
  return n ? (int)n->start_mark.line + 1 : 0;
}
static inline int ent_ynode_col(const yaml_node_t *n) {
  return n ? (int)n->start_mark.column + 1 : 0;
}

/* Report an error at node n (formatted message). */
ENT_LOCAL void ent_ydoc_error(ent_ydoc *y, const yaml_node_t *n,
                              const char *fmt, ...) ENT_PRINTF(3, 4);

/* Kind checks: report "<what> must be a mapping/sequence/scalar" and return
 * 0 if n is not of that kind. */
ENT_LOCAL int ent_ydoc_want_map(ent_ydoc *y, yaml_node_t *n, const char *what);
ENT_LOCAL int ent_ydoc_want_seq(ent_ydoc *y, yaml_node_t *n, const char *what);
ENT_LOCAL int ent_ydoc_want_scalar(ent_ydoc *y, yaml_node_t *n,
                                   const char *what);

/* Value of key in a mapping, NULL if absent.  Duplicate keys are reported
 * by ent_ydoc_check_keys. */
ENT_LOCAL yaml_node_t *ent_ydoc_get(ent_ydoc *y, yaml_node_t *map,
                                    const char *key);
/* Report keys of `map` that are not in the NULL-terminated `allowed`
 * list, duplicated keys and non-scalar keys.  Returns the problem count. */
ENT_LOCAL int ent_ydoc_check_keys(ent_ydoc *y, yaml_node_t *map,
                                  const char *const *allowed,
                                  const char *what);

/* Scalar text (NUL-terminated by libyaml); NULL after reporting if n is
 * not a scalar.  Length in *len if len != NULL. */
ENT_LOCAL const char *ent_ydoc_str(ent_ydoc *y, yaml_node_t *n,
                                   const char *what, size_t *len);
/* A finite number; returns 0, or -1 after reporting. */
ENT_LOCAL int ent_ydoc_num(ent_ydoc *y, yaml_node_t *n, const char *what,
                           double *out);
/* A finite number in [lo, hi]. */
ENT_LOCAL int ent_ydoc_num_in(ent_ydoc *y, yaml_node_t *n, const char *what,
                              double lo, double hi, double *out);
/* A whole number in [lo, hi]. */
ENT_LOCAL int ent_ydoc_int(ent_ydoc *y, yaml_node_t *n, const char *what,
                           long lo, long hi, long *out);

#endif /* ENT_YDOC_H */
