/*
 * model_clone.c -- a value copy of a model (model.h): the arrays that an
 * ensemble member changes (actors, issues and their stakes, the structural
 * arrays) are copied into the clone's own arena; strings, distributions and
 * everything else stay shared with the original, which must outlive the
 * clone.  ent_uncertain_apply (ensemble layer) then writes one member's
 * draws into it.
 */
#include <string.h>

#include "model/model.h"

/* ------------------------------------------------------------ clones */

#define DUP(dst, src, count)                                               \
  do {                                                                     \
    if ((count) > 0) {                                                     \
      void *p_ = ent_arena_array(&c->arena, (count), sizeof *(src));       \
      if (!p_) goto nomem;                                                 \
      memcpy(p_, (src), (count) * sizeof *(src));                          \
      (dst) = p_;                                                          \
    }                                                                      \
  } while (0)

ent_model *ent_model_clone(const ent_model *m) {
  ent_model *c = ent_calloc(1, sizeof *c);
  if (!c) return NULL;
  *c = *m;
  ent_arena_init(&c->arena);
  c->origin = m;
  DUP(c->actors, m->actors, m->n_actors);
  DUP(c->issues, m->issues, m->n_issues);
  for (size_t i = 0; i < m->n_issues; i++)
    DUP(c->issues[i].stakes, m->issues[i].stakes, m->issues[i].n_stakes);
  if (m->st) {
    const ent_structure *s = m->st;
    ent_structure *t = ent_arena_alloc(&c->arena, sizeof *t);
    if (!t) goto nomem;
    *t = *s;
    c->st = t;
    size_t ny = (size_t)(s->end - s->start + 1);
    DUP(t->blocs, s->blocs, s->n_blocs);
    for (size_t b = 0; b < s->n_blocs; b++) {
      DUP(t->blocs[b].growth, s->blocs[b].growth, ny);
      DUP(t->blocs[b].milex_growth, s->blocs[b].milex_growth, ny);
    }
    DUP(t->flows, s->flows, s->n_blocs * s->n_blocs);
    DUP(t->shocks, s->shocks, s->n_shocks);
    DUP(t->channels, s->channels, s->n_channels);
    DUP(t->links, s->links, s->n_links);
    DUP(t->sshocks, s->sshocks, s->n_sshocks);
  }
  return c;
nomem:
  ent_model_destroy(c);
  return NULL;
}
