/*
 * variant.c -- scenario variants: a scenario that starts with
 * `extends: BASE` is the base scenario with the variant's keys merged on
 * top (docs/scenario.md, "Variants").  BASE is a built-in name or a YAML
 * file (relative to the variant's directory).
 *
 * The merge works on YAML documents, before any validation, so that every
 * rule of the loader applies to the result and every message points into
 * the file the offending node came from:
 *
 *   mapping + mapping     merged key by key (base order, new keys last);
 *                         a mapping with a `dist` key is a number and
 *                         replaces whatever the base had
 *   list + list           when every item of both is a mapping with an `id`:
 *                         merged item by item by id (base order, new ids
 *                         last); an item `{id: X, remove: true}` deletes X
 *   anything else         the variant's node replaces the base's
 *
 * Invariants: the merged document owns copies of every node (the inputs
 * can be freed); node_src[id - 1] names the file of node id; a variant
 * chain is at most ENT_VARIANT_MAX_DEPTH deep (cycles end there).
 */
#include <stdio.h>
#include <string.h>

#include "input/scenario.h"

#define ENT_VARIANT_MAX_DEPTH 8

typedef struct merger {
  ent_ydoc *out;
  int failed; /* allocation failure */
  int bad;    /* an input problem was reported */
} merger;

/* Index of file `name` in out->files (added if new); -1 on failure. */
static int file_index(merger *g, const char *name) {
  ent_ydoc *o = g->out;
  for (size_t i = 0; i < o->n_files; i++)
    if (!strcmp(o->files[i], name)) return (int)i;
  if (o->n_files >= 60000) return -1;
  char **nf = ent_realloc(o->files, (o->n_files + 1) * sizeof *nf);
  if (!nf) return -1;
  o->files = nf;
  if (!(o->files[o->n_files] = ent_strdup(name))) return -1;
  return (int)o->n_files++;
}

/* Record the source of the node just added as id. */
static int note_node(merger *g, int id, const ent_ydoc *src,
                     const yaml_node_t *n) {
  ent_ydoc *o = g->out;
  int fi = file_index(g, ent_ydoc_file_of(src, n));
  if (fi < 0 || id <= 0) return -1;
  if ((size_t)id > o->n_node_src) {
    size_t cap = (size_t)id * 2;
    unsigned short *ns = ent_realloc(o->node_src, cap * sizeof *ns);
    if (!ns) return -1;
    memset(ns + o->n_node_src, 0, (cap - o->n_node_src) * sizeof *ns);
    o->node_src = ns;
    o->n_node_src = cap;
  }
  o->node_src[id - 1] = (unsigned short)fi;
  yaml_node_t *nn = yaml_document_get_node(&o->doc, id);
  nn->start_mark = n->start_mark;
  nn->end_mark = n->end_mark;
  return 0;
}

/* A new empty container or a scalar copy with n's tag, style and marks. */
static int add_like(merger *g, const ent_ydoc *src, yaml_node_t *n) {
  int id = 0;
  yaml_document_t *doc = &g->out->doc;
  switch (n->type) {
  case YAML_SCALAR_NODE:
    id = yaml_document_add_scalar(doc, n->tag, n->data.scalar.value,
                                  (int)n->data.scalar.length,
                                  n->data.scalar.style);
    break;
  case YAML_SEQUENCE_NODE:
    id = yaml_document_add_sequence(doc, n->tag, n->data.sequence.style);
    break;
  case YAML_MAPPING_NODE:
    id = yaml_document_add_mapping(doc, n->tag, n->data.mapping.style);
    break;
  default:
    break;
  }
  if (id <= 0 || note_node(g, id, src, n)) {
    g->failed = 1;
    return 0;
  }
  return id;
}

/* Deep copy of node n of src; 0 on failure. */
static int copy_node(merger *g, ent_ydoc *src, yaml_node_t *n) {
  if (g->failed || !n) return 0;
  int id = add_like(g, src, n);
  if (!id) return 0;
  yaml_document_t *doc = &g->out->doc;
  if (n->type == YAML_SEQUENCE_NODE) {
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++) {
      int c = copy_node(g, src, ent_ydoc_node(src, *it));
      if (!c || !yaml_document_append_sequence_item(doc, id, c)) {
        g->failed = 1;
        return 0;
      }
    }
  } else if (n->type == YAML_MAPPING_NODE) {
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
      int k = copy_node(g, src, ent_ydoc_node(src, p->key));
      int v = k ? copy_node(g, src, ent_ydoc_node(src, p->value)) : 0;
      if (!v || !yaml_document_append_mapping_pair(doc, id, k, v)) {
        g->failed = 1;
        return 0;
      }
    }
  }
  return id;
}

static const char *scalar_text(const yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                          : NULL;
}

static int has_key(ent_ydoc *y, yaml_node_t *map, const char *key) {
  return ent_ydoc_get(y, map, key) != NULL;
}

/* The `id` of a list item, or NULL when it is not an id'd mapping. */
static const char *item_id(ent_ydoc *y, yaml_node_t *n) {
  if (!n || n->type != YAML_MAPPING_NODE) return NULL;
  return scalar_text(ent_ydoc_get(y, n, "id"));
}

static int id_keyed(ent_ydoc *y, yaml_node_t *seq) {
  if (seq->data.sequence.items.top == seq->data.sequence.items.start) return 0;
  for (yaml_node_item_t *it = seq->data.sequence.items.start;
       it < seq->data.sequence.items.top; it++)
    if (!item_id(y, ent_ydoc_node(y, *it))) return 0;
  return 1;
}

/* 1 if the variant item says remove: true (0: no remove key; reports a
 * remove key with another value). */
static int removes(merger *g, ent_ydoc *v, yaml_node_t *item) {
  yaml_node_t *r = ent_ydoc_get(v, item, "remove");
  if (!r) return 0;
  const char *s = scalar_text(r);
  if (s && (!strcmp(s, "true") || !strcmp(s, "yes"))) return 1;
  ent_ydoc_error(v, r, "'remove' in a variant must be true (or left out)");
  g->bad = 1;
  return 0;
}

static int merge_node(merger *g, ent_ydoc *b, yaml_node_t *bn, ent_ydoc *v,
                      yaml_node_t *vn, const char *skip_key);

static int merge_map(merger *g, ent_ydoc *b, yaml_node_t *bn, ent_ydoc *v,
                     yaml_node_t *vn, const char *skip_key) {
  size_t nv = (size_t)(vn->data.mapping.pairs.top - vn->data.mapping.pairs.start);
  unsigned char used[512] = {0};
  if (nv > sizeof used) /* too large to track: the variant replaces */
    return copy_node(g, v, vn);
  int id = add_like(g, v, vn);
  if (!id) return 0;
  yaml_document_t *doc = &g->out->doc;
  for (yaml_node_pair_t *p = bn->data.mapping.pairs.start;
       p < bn->data.mapping.pairs.top; p++) {
    yaml_node_t *bk = ent_ydoc_node(b, p->key);
    const char *ks = scalar_text(bk);
    yaml_node_pair_t *match = NULL;
    for (size_t q = 0; ks && q < nv; q++) {
      yaml_node_pair_t *vp = vn->data.mapping.pairs.start + q;
      const char *vk = scalar_text(ent_ydoc_node(v, vp->key));
      if (!used[q] && vk && !strcmp(vk, ks)) {
        match = vp;
        used[q] = 1;
        break;
      }
    }
    int k, val;
    if (match) {
      k = copy_node(g, v, ent_ydoc_node(v, match->key));
      val = k ? merge_node(g, b, ent_ydoc_node(b, p->value), v,
                           ent_ydoc_node(v, match->value), NULL)
              : 0;
    } else {
      k = copy_node(g, b, bk);
      val = k ? copy_node(g, b, ent_ydoc_node(b, p->value)) : 0;
    }
    if (!val || !yaml_document_append_mapping_pair(doc, id, k, val)) {
      g->failed = 1;
      return 0;
    }
  }
  for (size_t q = 0; q < nv; q++) {
    yaml_node_pair_t *vp = vn->data.mapping.pairs.start + q;
    const char *vk = scalar_text(ent_ydoc_node(v, vp->key));
    if (used[q] || (skip_key && vk && !strcmp(vk, skip_key))) continue;
    int k = copy_node(g, v, ent_ydoc_node(v, vp->key));
    int val = k ? copy_node(g, v, ent_ydoc_node(v, vp->value)) : 0;
    if (!val || !yaml_document_append_mapping_pair(doc, id, k, val)) {
      g->failed = 1;
      return 0;
    }
  }
  return id;
}

static int merge_list(merger *g, ent_ydoc *b, yaml_node_t *bn, ent_ydoc *v,
                      yaml_node_t *vn) {
  size_t nv = (size_t)(vn->data.sequence.items.top - vn->data.sequence.items.start);
  unsigned char used[1024] = {0};
  if (nv > sizeof used) return copy_node(g, v, vn);
  int id = add_like(g, v, vn);
  if (!id) return 0;
  yaml_document_t *doc = &g->out->doc;
  for (yaml_node_item_t *it = bn->data.sequence.items.start;
       it < bn->data.sequence.items.top; it++) {
    yaml_node_t *bi = ent_ydoc_node(b, *it);
    const char *bid = item_id(b, bi);
    yaml_node_t *vi = NULL;
    for (size_t q = 0; q < nv; q++) {
      yaml_node_t *c = ent_ydoc_node(v, vn->data.sequence.items.start[q]);
      if (!used[q] && !strcmp(item_id(v, c), bid)) {
        vi = c;
        used[q] = 1;
        break;
      }
    }
    if (vi && removes(g, v, vi)) continue;
    int c = vi ? merge_node(g, b, bi, v, vi, NULL) : copy_node(g, b, bi);
    if (!c || !yaml_document_append_sequence_item(doc, id, c)) {
      g->failed = 1;
      return 0;
    }
  }
  for (size_t q = 0; q < nv; q++) {
    if (used[q]) continue;
    yaml_node_t *c = ent_ydoc_node(v, vn->data.sequence.items.start[q]);
    if (removes(g, v, c)) {
      ent_ydoc_error(v, c, "cannot remove '%.60s': the base scenario has no "
                           "item with that id here", item_id(v, c));
      g->bad = 1;
      continue;
    }
    int n = copy_node(g, v, c);
    if (!n || !yaml_document_append_sequence_item(doc, id, n)) {
      g->failed = 1;
      return 0;
    }
  }
  return id;
}

static int merge_node(merger *g, ent_ydoc *b, yaml_node_t *bn, ent_ydoc *v,
                      yaml_node_t *vn, const char *skip_key) {
  if (g->failed) return 0;
  if (bn && bn->type == YAML_MAPPING_NODE && vn->type == YAML_MAPPING_NODE &&
      !has_key(v, vn, "dist") && !has_key(b, bn, "dist"))
    return merge_map(g, b, bn, v, vn, skip_key);
  if (bn && bn->type == YAML_SEQUENCE_NODE && vn->type == YAML_SEQUENCE_NODE &&
      id_keyed(b, bn) && id_keyed(v, vn))
    return merge_list(g, b, bn, v, vn);
  return copy_node(g, v, vn);
}

/* Read the base named by node `ext` of y (file of y: `file`): a built-in
 * or a file.  Returns the text (owned when *owned) and its label. */
static const char *base_text(ent_ydoc *y, yaml_node_t *ext, const char *name,
                             char *label, size_t lsize, size_t *len,
                             char **owned, const char *stored,
                             size_t stored_len) {
  *owned = NULL;
  size_t nl = strlen(name);
  int yaml_name = (nl > 5 && !strcmp(name + nl - 5, ".yaml")) ||
                  (nl > 4 && !strcmp(name + nl - 4, ".yml"));
  if (strchr(name, '/') && !yaml_name) {
    /* only scenario files are read: never /etc/passwd or a device */
    ent_ydoc_error(y, ext, "'extends' names a file '%.200s' that does not end "
                           "in .yaml or .yml", name);
    return NULL;
  }
  if (!yaml_name) {
    const char *t = ent_builtin_text(name);
    if (!t) {
      ent_ydoc_error(y, ext, "unknown built-in scenario '%.60s' in 'extends' "
                             "(a file name must end in .yaml)", name);
      return NULL;
    }
    snprintf(label, lsize, "builtin:%s", name);
    *len = strlen(t);
    return t;
  }
  const char *file = ent_ydoc_file_of(y, ext);
  const char *slash = strrchr(file, '/');
  if (name[0] != '/' && slash && strncmp(file, "builtin:", 8))
    snprintf(label, lsize, "%.*s/%s", (int)(slash - file), file, name);
  else
    snprintf(label, lsize, "%s", name);
  if (stored) {
    /* the text kept when the scenario was stored (a resume or report from
     * another directory, or after the file changed) */
    *len = stored_len;
    return stored;
  }
  const char *why;
  if (ent_read_file(label, ENT_MAX_INPUT_BYTES, owned, len, &why) != ENT_OK) {
    ent_ydoc_error(y, ext, "cannot read the base scenario '%.200s': %s", label,
                   why);
    return NULL;
  }
  return *owned;
}

ent_status ent_variant_resolve(ent_ydoc *y, ent_diag *d, ent_strbuf *bases,
                               int depth, const char *stored,
                               size_t stored_len) {
  yaml_node_t *root = ent_ydoc_root(y);
  if (!root || root->type != YAML_MAPPING_NODE) return ENT_OK;
  yaml_node_t *ext = ent_ydoc_get(y, root, "extends");
  if (!ext) return ENT_OK;
  const char *name = ent_ydoc_str(y, ext, "'extends'", NULL);
  if (!name) return ENT_EINPUT;
  if (depth >= ENT_VARIANT_MAX_DEPTH) {
    ent_ydoc_error(y, ext, "'extends' is nested more than %d deep (does a "
                           "scenario extend itself?)", ENT_VARIANT_MAX_DEPTH);
    return ENT_EINPUT;
  }
  char label[1200];
  size_t len = 0;
  char *owned = NULL;
  const char *text = base_text(y, ext, name, label, sizeof label, &len, &owned,
                               stored, stored_len);
  if (!text) return ENT_EINPUT;
  ent_diag_set_source(d, label, text, len);
  ent_ydoc b;
  size_t errors = ent_diag_errors(d);
  ent_status st = ent_ydoc_load(&b, label, text, len, d);
  if (st == ENT_OK) st = ent_variant_resolve(&b, d, bases, depth + 1, NULL, 0);
  if (st == ENT_OK) {
    ent_strbuf_append(bases, text, len);
    ent_strbuf_puts(bases, "\n");
  }
  ent_free(owned);
  if (st != ENT_OK) {
    ent_ydoc_free(&b);
    if (depth == 0 && (st == ENT_EINPUT || ent_diag_errors(d) > errors))
      ent_ydoc_error(y, ext, "the base scenario '%.200s' has errors (above)",
                     label);
    return st == ENT_ENOMEM ? ENT_ENOMEM : ENT_EINPUT;
  }
  yaml_node_t *broot = ent_ydoc_root(&b);
  if (!broot || broot->type != YAML_MAPPING_NODE) {
    ent_ydoc_error(y, ext, "the base scenario '%.200s' is not a mapping", label);
    ent_ydoc_free(&b);
    return ENT_EINPUT;
  }
  ent_ydoc out;
  memset(&out, 0, sizeof out);
  out.file = y->file;
  out.d = d;
  merger g = {&out, 0, 0};
  if (!yaml_document_initialize(&out.doc, NULL, NULL, NULL, 1, 1)) {
    ent_ydoc_free(&b);
    return ENT_ENOMEM;
  }
  out.loaded = 1;
  int rid = merge_map(&g, &b, broot, y, root, "extends");
  ent_ydoc_free(&b);
  if (g.failed || !rid) {
    ent_ydoc_free(&out);
    return ENT_ENOMEM;
  }
  /* the root must be node 1 for yaml_document_get_root_node: merge_map
   * adds the root first, so it is */
  ent_ydoc_free(y);
  *y = out;
  return g.bad ? ENT_EINPUT : ENT_OK;
}
