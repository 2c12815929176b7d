/*
 * result.c -- the result tree's lifetime, arena helpers and lookups (see
 * result.h).  The lookup of (variable, entity, year) is a hash table with
 * open addressing over the cells (FNV-1a of the key), built once by
 * ent_result_index; series group the cells by (variable, entity) in the
 * order of first appearance, years sorted by insertion (the cells of a
 * result usually come year by year or series by series already).
 */
#include "model/result.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "model/model.h"

ent_result *ent_result_create(ent_result_kind kind) {
  ent_result *r = ent_calloc(1, sizeof *r);
  if (!r) return NULL;
  ent_arena_init(&r->arena);
  r->kind = kind;
  return r;
}

void ent_result_destroy(ent_result *r) {
  if (!r) return;
  ent_arena_free(&r->arena);
  ent_free(r);
}

void *ent_result_alloc(ent_result *r, size_t count, size_t size) {
  return ent_arena_array(&r->arena, count ? count : 1, size ? size : 1);
}

const char *ent_result_str(ent_result *r, const char *s) {
  return ent_arena_strdup(&r->arena, s);
}

int ent_result_failed(const ent_result *r) { return r->arena.failed; }

void ent_result_model(ent_result *r, const ent_model *m) {
  ent_result_prov *p = &r->prov;
  p->scenario_id = ent_result_str(r, m->id);
  p->scenario_title = ent_result_str(r, m->title);
  p->scenario_source = ent_result_str(r, m->source);
  p->version = ENT_VERSION;
  r->actors = ent_result_alloc(r, m->n_actors, sizeof *r->actors);
  r->pairs = ent_result_alloc(r, m->n_pairs, sizeof *r->pairs);
  if (!r->actors || !r->pairs) return;
  for (size_t i = 0; i < m->n_actors; i++) {
    r->actors[i].id = ent_result_str(r, m->actors[i].id);
    r->actors[i].name = ent_result_str(r, m->actors[i].name);
    r->actors[i].kind = ent_result_str(r, m->actors[i].kind);
  }
  r->n_actors = m->n_actors;
  if (m->n_pairs) memcpy(r->pairs, m->pairs, m->n_pairs * sizeof *r->pairs);
  r->n_pairs = m->n_pairs;
}

/* ------------------------------------------------------------ lookup */

static uint64_t key_hash(const char *var, const char *ent, int year) {
  uint64_t h = 1469598103934665603ull;
  for (const char *p = var; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  h = (h ^ 0xFF) * 1099511628211ull;
  for (const char *p = ent; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  h = (h ^ (uint64_t)(unsigned)year) * 1099511628211ull;
  return h ^ (h >> 29);
}

static int cell_is(const ent_result_cell *c, const char *var, const char *ent,
                   int year) {
  return c->year == year && !strcmp(c->variable, var) && !strcmp(c->entity, ent);
}

const ent_result_cell *ent_result_find(const ent_result *r, const char *var,
                                       const char *ent, int year) {
  if (!r->hash) return NULL;
  for (size_t s = key_hash(var, ent, year) & r->hash_mask;;
       s = (s + 1) & r->hash_mask) {
    size_t v = r->hash[s];
    if (!v) return NULL;
    if (cell_is(&r->cells[v - 1], var, ent, year)) return &r->cells[v - 1];
  }
}

double ent_result_value(const ent_result *r, const char *var, const char *ent,
                        int year) {
  const ent_result_cell *c = ent_result_find(r, var, ent, year);
  if (!c) return NAN;
  return c->bands ? c->st.q[ENT_Q_MEDIAN] : c->value;
}

/* The slot of series (var, ent) in the open-addressing table sh of
 * mask + 1 slots (series index + 1, 0 free), keyed by the cells' hash
 * with year 0: its slot when present, else the free slot where it goes. */
static size_t series_slot(const ent_result *r, const size_t *sh, size_t mask,
                          const char *var, const char *ent) {
  size_t s = key_hash(var, ent, 0) & mask;
  for (; sh[s]; s = (s + 1) & mask) {
    const ent_result_series *g = &r->series[sh[s] - 1];
    if (!strcmp(g->variable, var) && !strcmp(g->entity, ent)) break;
  }
  return s;
}

ent_status ent_result_index(ent_result *r, size_t *dup) {
  size_t n = r->n_cells;
  size_t hs = 16;
  while (hs < 2 * n + 2) hs <<= 1;
  r->hash = ent_result_alloc(r, hs, sizeof *r->hash);
  r->series = ent_result_alloc(r, n, sizeof *r->series);
  size_t *grp = ent_malloc((n ? n : 1) * sizeof *grp);
  size_t *sh = ent_calloc(hs, sizeof *sh); /* the series by (var, ent) */
  if (!r->hash || !r->series || !grp || !sh) {
    ent_free(grp);
    ent_free(sh);
    return ENT_ENOMEM;
  }
  r->hash_mask = hs - 1;
  ent_status st = ENT_OK;
  if (dup) *dup = (size_t)-1;
  for (size_t k = 0; k < n; k++) {
    const ent_result_cell *c = &r->cells[k];
    size_t s = key_hash(c->variable, c->entity, c->year) & r->hash_mask;
    int seen = 0;
    for (; r->hash[s] && !seen; s = (s + 1) & r->hash_mask)
      seen = cell_is(&r->cells[r->hash[s] - 1], c->variable, c->entity, c->year);
    if (!seen) r->hash[s] = k + 1;
    else if (dup && *dup == (size_t)-1) *dup = k; /* the first one stays */
  }
  /* groups (in the order of their first cells), then their years */
  size_t ng = 0;
  for (size_t k = 0; k < n && st == ENT_OK; k++) {
    const ent_result_cell *c = &r->cells[k];
    size_t at = series_slot(r, sh, hs - 1, c->variable, c->entity);
    size_t g = sh[at] - 1;
    if (!sh[at]) {
      g = ng++;
      sh[at] = g + 1;
      r->series[g].variable = c->variable;
      r->series[g].entity = c->entity;
      r->series[g].unit = c->unit;
      r->series[g].bands = c->bands;
    }
    r->series[g].n++;
    grp[k] = g;
  }
  ent_free(sh);
  for (size_t g = 0; g < ng && st == ENT_OK; g++) {
    ent_result_series *s = &r->series[g];
    s->years = ent_result_alloc(r, s->n, sizeof *s->years);
    s->cells = ent_result_alloc(r, s->n, sizeof *s->cells);
    if (!s->years || !s->cells) st = ENT_ENOMEM;
    s->n = 0;
  }
  for (size_t k = 0; k < n && st == ENT_OK; k++) {
    ent_result_series *s = &r->series[grp[k]];
    int y = r->cells[k].year;
    size_t at = s->n;
    while (at > 0 && s->years[at - 1] > y) at--;
    memmove(s->years + at + 1, s->years + at, (s->n - at) * sizeof *s->years);
    memmove(s->cells + at + 1, s->cells + at, (s->n - at) * sizeof *s->cells);
    s->years[at] = y;
    s->cells[at] = k;
    s->n++;
  }
  r->n_series = st == ENT_OK ? ng : 0;
  ent_free(grp);
  return st;
}

const ent_result_issue *ent_result_find_issue(const ent_result *r,
                                              const char *id) {
  for (size_t i = 0; i < r->n_issues; i++)
    if (!strcmp(r->issues[i].id, id)) return &r->issues[i];
  return NULL;
}

long ent_result_issue_actor(const ent_result_issue *is, const char *id) {
  for (size_t k = 0; k < is->n_actors; k++)
    if (!strcmp(is->actors[k], id)) return (long)k;
  return -1;
}

const ent_result_relation *ent_result_relation_of(const ent_result_issue *is,
                                                  const char *from,
                                                  const char *to) {
  for (size_t k = 0; k < is->n_relations; k++)
    if (!strcmp(is->relations[k].from, from) && !strcmp(is->relations[k].to, to))
      return &is->relations[k];
  return NULL;
}
