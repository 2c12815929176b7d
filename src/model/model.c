/*
 * model.c -- model lifetime and accessors.
 */
#include "model/model.h"

#include <math.h>
#include <string.h>

#include "base/hash.h"
#include "model/names.h"

ent_model *ent_model_new(void) {
  ent_model *m = ent_calloc(1, sizeof *m);
  if (!m) return NULL;
  ent_arena_init(&m->arena);
  m->dyn.rounds_per_year = ENT_DYN_ROUNDS_PER_YEAR;
  m->dyn.inertia = ENT_DYN_INERTIA;
  m->model_weight[0] = m->model_weight[1] = 1.0;
  return m;
}

void ent_model_destroy(ent_model *m) {
  if (!m) return;
  ent_arena_free(&m->arena);
  ent_free(m);
}

void ent_model_hash(const ent_model *m, char out[65]) {
  ent_hash s;
  ent_hash_init(&s);
  if (m->text) ent_hash_add(&s, m->text, m->text_len);
  if (m->base_text) ent_hash_add(&s, m->base_text, m->base_len);
  ent_hash_hex(&s, out);
}

size_t ent_model_find_actor(const ent_model *m, const char *id) {
  for (size_t i = 0; i < m->n_actors; i++)
    if (!strcmp(m->actors[i].id, id)) return i;
  return (size_t)-1;
}

size_t ent_model_find_bloc(const ent_model *m, const char *id) {
  for (size_t i = 0; m->st && i < m->st->n_blocs; i++)
    if (!strcmp(m->st->blocs[i].id, id)) return i;
  return (size_t)-1;
}

size_t ent_model_find_issue(const ent_model *m, const char *id) {
  for (size_t i = 0; i < m->n_issues; i++)
    if (!strcmp(m->issues[i].id, id)) return i;
  return (size_t)-1;
}

/* The variable (names.h) each indicator is recorded as. */
static const ent_var_id indicator_vars[ENT_IND_COUNT] = {
    ENT_VAR_DEPENDENCE,       ENT_VAR_DEPENDENCE_ASYMMETRY,
    ENT_VAR_PARTNER_SHARE,    ENT_VAR_IMPORT_SHARE,
    ENT_VAR_EXPORT_SHARE,     ENT_VAR_SENSITIVITY,
    ENT_VAR_VULNERABILITY_PE, ENT_VAR_VULNERABILITY_GE,
    ENT_VAR_VULNERABILITY_ASYMMETRY, ENT_VAR_TRADE_FLOW,
    ENT_VAR_SANCTIONS_PRESSURE,
};

const char *ent_model_indicator_name(int id) {
  return id >= 0 && id < ENT_IND_COUNT ? ENT_VNAME(indicator_vars[id]) : "?";
}

int ent_model_indicator_find(const char *name) {
  for (int i = 0; i < ENT_IND_COUNT; i++)
    if (!strcmp(ENT_VNAME(indicator_vars[i]), name)) return i;
  return -1;
}

const char *ent_model_id(const ent_model *m) { return m ? m->id : NULL; }
size_t ent_model_uncertain_count(const ent_model *m) {
  return m ? m->n_uparams : 0;
}
const char *ent_model_title(const ent_model *m) { return m ? m->title : NULL; }
size_t ent_model_actor_count(const ent_model *m) { return m ? m->n_actors : 0; }

const char *ent_model_actor_id(const ent_model *m, size_t i) {
  return m && i < m->n_actors ? m->actors[i].id : NULL;
}

const char *ent_model_actor_name(const ent_model *m, size_t i) {
  return m && i < m->n_actors ? m->actors[i].name : NULL;
}

size_t ent_model_issue_count(const ent_model *m) { return m ? m->n_issues : 0; }

const char *ent_model_issue_id(const ent_model *m, size_t i) {
  return m && i < m->n_issues ? m->issues[i].id : NULL;
}

const char *ent_model_issue_question(const ent_model *m, size_t i) {
  return m && i < m->n_issues ? m->issues[i].question : NULL;
}

void ent_model_issue_describe(const ent_issue *is, double v, const char **nearest,
                        const char **below, const char **above) {
  *nearest = *below = *above = NULL;
  double best = INFINITY;
  for (size_t k = 0; k < is->n_anchors; k++) {
    const ent_anchor *a = &is->anchors[k];
    double d = fabs(a->at - v);
    if (d < best) {
      best = d;
      *nearest = a->label;
    }
    if (a->at <= v) *below = a->label;
    if (a->at >= v && !*above) *above = a->label;
  }
}
