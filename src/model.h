/*
 * model.h -- the in-memory system: actors, contested issues, options.
 *
 * A model is built by a loader (scenario.c for YAML, table.c for CSV) and
 * is immutable afterwards; all its memory lives in one arena released by
 * ent_model_destroy.  Indices, not pointers, link its parts, so a model
 * can be copied or serialised without fix-ups.
 *
 * Invariants (checked by the loaders, relied on everywhere else):
 *   - actor ids are unique; every issue has >= 2 stakes, stakes sorted by
 *     actor index, each actor at most once;
 *   - issue scale lo < hi, finite; stake positions in [lo, hi];
 *   - salience in [0, 1] (the file's 0-100 divided by 100);
 *   - capability >= 0, finite; an issue's total weight sum(c * s) > 0.
 */
#ifndef ENT_MODEL_H
#define ENT_MODEL_H

#include "eum.h"
#include "util.h"

typedef struct ent_srcpos {
  int line, col; /* 1-based in the scenario source; 0 = none */
} ent_srcpos;

typedef struct ent_actor {
  const char *id;     /* ISO 3166 alpha-3 for states, EUU for the EU, ... */
  const char *name;
  const char *kind;   /* state, bloc, organisation, substate, firm, group */
  const char *why;    /* rationale text or NULL */
  double capability;  /* default clout on issues, >= 0 (if has_capability) */
  int has_capability;
  ent_srcpos at;
} ent_actor;

typedef struct ent_anchor {
  double at;          /* point on the issue scale */
  const char *label;
} ent_anchor;

typedef struct ent_stake {
  size_t actor;       /* index into model actors */
  double position;    /* on the issue scale, [lo, hi] */
  double salience;    /* [0, 1] */
  double capability;  /* >= 0 */
  const char *why;    /* rationale or NULL */
  ent_srcpos at;
} ent_stake;

typedef struct ent_issue {
  const char *id;
  const char *question;
  const char *why;
  double lo, hi;            /* scale, lo < hi */
  ent_anchor *anchors;      /* sorted by `at` */
  size_t n_anchors;
  ent_stake *stakes;        /* sorted by actor index */
  size_t n_stakes;
  ent_eum_opts eum;         /* effective options (scenario + issue) */
  ent_srcpos at;
} ent_issue;

struct ent_model {
  ent_arena arena;
  const char *id, *title, *description;
  const char *source;       /* file name or "builtin:<name>" */
  const char *text;         /* the source text (copy), for the run store */
  size_t text_len;
  ent_actor *actors;
  size_t n_actors;
  ent_issue *issues;
  size_t n_issues;
  ent_eum_opts eum;         /* scenario-level model options */
  size_t (*pairs)[2];       /* main pairs for the relationship table */
  size_t n_pairs;
};

/* Index of actor `id`, or (size_t)-1. */
ENT_LOCAL size_t ent_model_find_actor(const ent_model *m, const char *id);
ENT_LOCAL ent_model *ent_model_new(void);

/* Label of the anchor nearest to v on the issue's scale, and whether v is
 * between two anchors (then *below and *above name both). */
ENT_LOCAL void ent_issue_describe(const ent_issue *is, double v,
                                  const char **nearest, const char **below,
                                  const char **above);

#endif /* ENT_MODEL_H */
