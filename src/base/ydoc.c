/*
 * ydoc.c -- see ydoc.h.
 */
#include "base/ydoc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void syntax_error(ent_ydoc *y, yaml_parser_t *p) {
  const yaml_mark_t *m =
      p->problem_mark.line || p->problem_mark.column ? &p->problem_mark
                                                     : &p->context_mark;
  const char *problem = p->problem ? p->problem : "malformed YAML";
  if (p->context)
    ent_diag_error(y->d, y->file, (int)m->line + 1, (int)m->column + 1,
                   "YAML syntax: %s %s", problem, p->context);
  else
    ent_diag_error(y->d, y->file, (int)m->line + 1, (int)m->column + 1,
                   "YAML syntax: %s", problem);
}

/* The tree being built from the events: the containers open (node ids)
 * and, for a mapping, the key whose value comes next (0: none). */
typedef struct composer {
  yaml_document_t *doc;
  int started, ended; /* the first document began, ended */
  int depth;
  int open[ENT_YDOC_MAX_DEPTH + 1];
  int key[ENT_YDOC_MAX_DEPTH + 1];
} composer;

/* Node id (just added, from event ev) into the container open, or as the
 * root; its marks are the event's.  -1 when memory ran out. */
static int compose_add(composer *c, int id, const yaml_event_t *ev) {
  if (!id) return -1;
  yaml_node_t *n = c->doc->nodes.start + id - 1;
  n->start_mark = ev->start_mark;
  n->end_mark = ev->end_mark;
  if (!c->depth) return 0; /* the root */
  int d = c->depth - 1, parent = c->open[d];
  if (c->doc->nodes.start[parent - 1].type == YAML_SEQUENCE_NODE)
    return yaml_document_append_sequence_item(c->doc, parent, id) ? 0 : -1;
  if (!c->key[d]) {
    c->key[d] = id;
    return 0;
  }
  int k = c->key[d];
  c->key[d] = 0;
  return yaml_document_append_mapping_pair(c->doc, parent, k, id) ? 0 : -1;
}

/* The node of event ev of the first document added to the tree (the
 * checks of the event are done); -1 when memory ran out. */
static int compose(composer *c, const yaml_event_t *ev) {
  yaml_document_t *doc = c->doc;
  int id;
  switch (ev->type) {
  case YAML_DOCUMENT_START_EVENT:
    if (c->started) return 0;
    c->started = 1;
    return yaml_document_initialize(doc, NULL, NULL, NULL,
                                    ev->data.document_start.implicit, 1)
               ? 0
               : -1;
  case YAML_DOCUMENT_END_EVENT:
    c->ended = 1;
    return 0;
  case YAML_SCALAR_EVENT:
    if (c->ended) return 0;
    id = yaml_document_add_scalar(doc, NULL, ev->data.scalar.value,
                                  (int)ev->data.scalar.length,
                                  ev->data.scalar.style);
    return compose_add(c, id, ev);
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT:
    if (c->ended) return 0;
    id = ev->type == YAML_SEQUENCE_START_EVENT
             ? yaml_document_add_sequence(doc, NULL,
                                          ev->data.sequence_start.style)
             : yaml_document_add_mapping(doc, NULL,
                                         ev->data.mapping_start.style);
    if (compose_add(c, id, ev)) return -1;
    c->open[c->depth] = id;
    c->key[c->depth] = 0;
    c->depth++;
    return 0;
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    if (c->ended || !c->depth) return 0;
    id = c->open[--c->depth];
    doc->nodes.start[id - 1].end_mark = ev->end_mark;
    return 0;
  default: return 0;
  }
}

/* Walk the event stream once: refuse aliases, anchors, tags, extra
 * documents, and documents nested deeper than ENT_YDOC_MAX_DEPTH or with
 * more than ENT_YDOC_MAX_NODES nodes, and build the first document's tree
 * (what yaml_parser_load would give: the same nodes, styles, default tags
 * and marks) as the events come -- one parse instead of a checking pass
 * and yaml_parser_load's.  The checks come before a node is added, so the
 * tree never grows past the bounds.  1 when the tree was built (y->doc);
 * 0 when there is no document; -1 after reporting an input problem; -2
 * when memory ran out. */
static int parse(ent_ydoc *y, const char *text, size_t len) {
  yaml_parser_t p;
  yaml_event_t ev;
  if (!yaml_parser_initialize(&p)) return -2;
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  composer c;
  memset(&c, 0, sizeof c);
  c.doc = &y->doc;
  int docs = 0, bad = 0, depth = 0;
  size_t nodes = 0;
  for (;;) {
    if (!yaml_parser_parse(&p, &ev)) {
      if (p.error == YAML_MEMORY_ERROR) {
        bad = -2;
        break;
      }
      syntax_error(y, &p);
      bad = 1;
      break;
    }
    yaml_event_type_t t = ev.type;
    int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
    if (t == YAML_ALIAS_EVENT) {
      ent_diag_error(y->d, y->file, line, col,
                     "YAML aliases (*name) are not supported in scenarios");
      bad = 1;
    } else if ((t == YAML_SCALAR_EVENT && ev.data.scalar.anchor) ||
               (t == YAML_SEQUENCE_START_EVENT && ev.data.sequence_start.anchor) ||
               (t == YAML_MAPPING_START_EVENT && ev.data.mapping_start.anchor)) {
      ent_diag_error(y->d, y->file, line, col,
                     "YAML anchors (&name) are not supported in scenarios");
      bad = 1;
    } else if ((t == YAML_SCALAR_EVENT && ev.data.scalar.tag) ||
               (t == YAML_SEQUENCE_START_EVENT && ev.data.sequence_start.tag) ||
               (t == YAML_MAPPING_START_EVENT && ev.data.mapping_start.tag)) {
      ent_diag_error(y->d, y->file, line, col,
                     "YAML tags (!!str, !name) are not supported in scenarios");
      bad = 1;
    } else if (t == YAML_SCALAR_EVENT) {
      /* "\e]0;title\a" or U+202E in a name would reach a terminal */
      const char *v = (const char *)ev.data.scalar.value;
      size_t vl = ev.data.scalar.length;
      unsigned cp = 0;
      if (ent_text_find_unsafe(v, vl, &cp) < vl) {
        ent_diag_error(y->d, y->file, line, col,
                       cp < 0x100 ? "control character \\x%02x in a text: "
                                    "terminal controls are not allowed"
                                  : "bidirectional control \\u%04x in a "
                                    "text: it could disguise what is printed",
                       cp);
        bad = 1;
      }
    }
    if (t == YAML_DOCUMENT_START_EVENT && ++docs == 2) {
      ent_diag_error(y->d, y->file, line, col,
                     "more than one YAML document in the file");
      bad = 1;
    }
    if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
      if (++depth > ENT_YDOC_MAX_DEPTH) {
        ent_diag_error(y->d, y->file, line, col,
                       "lists and mappings are nested more than %d deep",
                       ENT_YDOC_MAX_DEPTH);
        bad = 1;
      }
    } else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
      depth--;
    }
    if ((t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT ||
         t == YAML_MAPPING_START_EVENT) &&
        ++nodes > ENT_YDOC_MAX_NODES && !bad) {
      ent_diag_error(y->d, y->file, line, col,
                     "the document has more than %d values", ENT_YDOC_MAX_NODES);
      bad = 1;
    }
    if (!bad && compose(&c, &ev)) bad = -2;
    yaml_event_delete(&ev);
    if (t == YAML_STREAM_END_EVENT || bad) break;
  }
  yaml_parser_delete(&p);
  if (bad && c.started) yaml_document_delete(&y->doc);
  if (bad) return bad < 0 ? -2 : -1;
  return c.started;
}

ent_status ent_ydoc_load(ent_ydoc *y, const char *file, const char *text,
                         size_t len, ent_diag *d) {
  memset(y, 0, sizeof *y);
  y->file = file;
  y->d = d;
  if (memchr(text, '\0', len)) {
    const char *z = memchr(text, '\0', len);
    int line = 1, col = 1;
    for (const char *p = text; p < z; p++)
      if (*p == '\n') line++, col = 1;
      else col++;
    ent_diag_error(d, file, line, col, "NUL byte in YAML text (binary data?)");
    return ENT_EINPUT;
  }
  int got = parse(y, text, len);
  if (got == -2) return ENT_ENOMEM;
  if (got < 0) return ENT_EINPUT;
  y->loaded = got;
  if (!ent_ydoc_root(y)) {
    ent_diag_error(d, file, 1, 1, "the file is empty (no YAML document)");
    return ENT_EINPUT;
  }
  return ENT_OK;
}

void ent_ydoc_free(ent_ydoc *y) {
  if (y->loaded) yaml_document_delete(&y->doc);
  y->loaded = 0;
  for (size_t i = 0; i < y->n_files; i++) ent_free(y->files[i]);
  ent_free(y->files);
  ent_free(y->node_src);
  y->files = NULL;
  y->node_src = NULL;
  y->n_files = y->n_node_src = 0;
}

const char *ent_ydoc_file_of(const ent_ydoc *y, const yaml_node_t *n) {
  if (!y->node_src || !n || !y->loaded) return y->file;
  ptrdiff_t id = n - y->doc.nodes.start;
  if (id < 0 || (size_t)id >= y->n_node_src) return y->file;
  unsigned short s = y->node_src[id];
  return s < y->n_files ? y->files[s] : y->file;
}

yaml_node_t *ent_ydoc_root(ent_ydoc *y) {
  return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *ent_ydoc_node(ent_ydoc *y, int id) {
  return yaml_document_get_node(&y->doc, id);
}

void ent_ydoc_error(ent_ydoc *y, const yaml_node_t *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ent_diag_vadd(y->d, ENT_SEV_ERROR, ENT_EINPUT, ent_ydoc_file_of(y, n),
                ent_ynode_line(n),
                ent_ynode_col(n), fmt, ap);
  va_end(ap);
}

static const char *kind_name(const yaml_node_t *n) {
  switch (n->type) {
  case YAML_MAPPING_NODE:
    return "a mapping";
  case YAML_SEQUENCE_NODE:
    return "a list";
  case YAML_SCALAR_NODE:
    return n->data.scalar.length ? "a scalar" : "empty";
  default:
    return "nothing";
  }
}

int ent_ydoc_want_map(ent_ydoc *y, yaml_node_t *n, const char *what) {
  if (n && n->type == YAML_MAPPING_NODE) return 1;
  if (n) ent_ydoc_error(y, n, "%s must be a mapping (key: value), not %s",
                        what, kind_name(n));
  return 0;
}

int ent_ydoc_want_seq(ent_ydoc *y, yaml_node_t *n, const char *what) {
  if (n && n->type == YAML_SEQUENCE_NODE) return 1;
  if (n) ent_ydoc_error(y, n, "%s must be a list, not %s", what, kind_name(n));
  return 0;
}

int ent_ydoc_want_scalar(ent_ydoc *y, yaml_node_t *n, const char *what) {
  if (n && n->type == YAML_SCALAR_NODE) return 1;
  if (n) ent_ydoc_error(y, n, "%s must be a single value, not %s", what,
                        kind_name(n));
  return 0;
}

static const char *key_text(ent_ydoc *y, yaml_node_pair_t *pair) {
  yaml_node_t *k = ent_ydoc_node(y, pair->key);
  return k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value
                                          : NULL;
}

yaml_node_t *ent_ydoc_get(ent_ydoc *y, yaml_node_t *map, const char *key) {
  if (!map || map->type != YAML_MAPPING_NODE) return NULL;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
       p < map->data.mapping.pairs.top; p++) {
    const char *k = key_text(y, p);
    if (k && !strcmp(k, key)) return ent_ydoc_node(y, p->value);
  }
  return NULL;
}

int ent_ydoc_check_keys(ent_ydoc *y, yaml_node_t *map,
                        const char *const *allowed, const char *what) {
  int bad = 0;
  if (!map || map->type != YAML_MAPPING_NODE) return 0;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
       p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = ent_ydoc_node(y, p->key);
    const char *k = key_text(y, p);
    if (!k) {
      ent_ydoc_error(y, kn, "keys in %s must be plain names", what);
      bad++;
      continue;
    }
    int known = allowed == NULL;
    for (const char *const *a = allowed; a && *a; a++)
      if (!strcmp(*a, k)) known = 1;
    if (!known) {
      char list[256] = "";
      for (const char *const *a = allowed; *a; a++) {
        if (list[0]) strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, *a, sizeof list - strlen(list) - 1);
      }
      ent_ydoc_error(y, kn, "unknown key '%.60s' in %s (expected one of: %s)", k,
                     what, list);
      bad++;
    }
    for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
      const char *k2 = key_text(y, q);
      if (k2 && !strcmp(k, k2)) {
        ent_ydoc_error(y, kn, "duplicate key '%.60s' in %s", k, what);
        bad++;
        break;
      }
    }
  }
  return bad;
}

const char *ent_ydoc_str(ent_ydoc *y, yaml_node_t *n, const char *what,
                         size_t *len) {
  if (!ent_ydoc_want_scalar(y, n, what)) return NULL;
  if (len) *len = n->data.scalar.length;
  if (memchr(n->data.scalar.value, '\0', n->data.scalar.length)) {
    ent_ydoc_error(y, n, "%s contains a NUL character", what);
    return NULL;
  }
  return (const char *)n->data.scalar.value;
}

int ent_ydoc_num(ent_ydoc *y, yaml_node_t *n, const char *what, double *out) {
  size_t len;
  const char *s = ent_ydoc_str(y, n, what, &len);
  if (!s) return -1;
  const char *why;
  if (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
      n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
    ent_ydoc_error(y, n, "%s must be a number, not the quoted text \"%.40s\"",
                   what, s);
    return -1;
  }
  if (ent_parse_double(s, len, out, &why)) {
    ent_ydoc_error(y, n, "%s '%.40s': %s", what, s, why);
    return -1;
  }
  return 0;
}

int ent_ydoc_num_in(ent_ydoc *y, yaml_node_t *n, const char *what, double lo,
                    double hi, double *out) {
  if (ent_ydoc_num(y, n, what, out)) return -1;
  if (*out < lo || *out > hi) {
    ent_ydoc_error(y, n, "%s %g is outside [%g, %g]", what, *out, lo, hi);
    return -1;
  }
  return 0;
}

int ent_ydoc_int(ent_ydoc *y, yaml_node_t *n, const char *what, long lo,
                 long hi, long *out) {
  double v;
  if (ent_ydoc_num(y, n, what, &v)) return -1;
  if (v != floor(v) || v < (double)lo || v > (double)hi) {
    ent_ydoc_error(y, n, "%s must be a whole number in [%ld, %ld], not %g",
                   what, lo, hi, v);
    return -1;
  }
  *out = (long)v;
  return 0;
}
