/*
 * sim_names.c -- the entity names a run records, made once at its start
 * (see sim_names.h).
 */
#include "sim/sim_names.h"

#include <stdint.h>
#include <string.h>

#include "base/util.h"

void ent_sim_join_names(char *buf, size_t size, const char *a,
                        const char *sep, const char *b) {
  const char *part[3] = {a, sep, b};
  size_t at = 0;
  for (int k = 0; k < 3; k++)
    for (const char *p = part[k]; *p && at + 1 < size; p++) buf[at++] = *p;
  buf[at] = '\0';
}

void ent_sim_name_pair(char *buf, size_t size, const ent_structure *st,
                       size_t a, size_t b) {
  ent_sim_join_names(buf, size, st->blocs[a].id, "->", st->blocs[b].id);
}

void ent_sim_names_free(ent_sim_names *nm) {
  ent_free(nm->arrow);
  ent_free(nm->dash);
  ent_free(nm->actor_dash);
  ent_free(nm->issue_name);
  ent_free(nm->chan_name);
  ent_free(nm->bloc_name);
  memset(nm, 0, sizeof *nm);
}

/* Is p among the n names from t?  Compared as integers: the tables are
 * separate objects. */
static int in_table(const void *t, size_t n, const char *p) {
  uintptr_t a = (uintptr_t)t, x = (uintptr_t)(const void *)p;
  return t && x >= a && x - a < n * sizeof(ent_sim_name);
}

int ent_sim_names_hold(const ent_sim_names *nm, const ent_model *m,
                       const char *p) {
  size_t ni = m->n_issues, na = m->n_actors;
  size_t nb = m->st ? m->st->n_blocs : 0, nc = m->st ? m->st->n_channels : 0;
  return in_table(nm->issue_name, ni ? ni : 1, p) ||
         in_table(nm->actor_dash, na * na, p) ||
         in_table(nm->bloc_name, nb ? nb : 1, p) ||
         in_table(nm->chan_name, nc ? nc : 1, p) ||
         in_table(nm->arrow, nb * nb, p) || in_table(nm->dash, nb * nb, p);
}

ent_status ent_sim_names_make(ent_sim_names *nm, const ent_model *m) {
  const size_t L = sizeof(ent_sim_name);
  const ent_structure *st = m->st;
  size_t ni = m->n_issues, na = m->n_actors;
  memset(nm, 0, sizeof *nm);
  if (!(nm->issue_name = ent_mallocarray(ni ? ni : 1, L))) return ENT_ENOMEM;
  for (size_t i = 0; i < ni; i++)
    ent_sim_join_names(nm->issue_name[i], L, m->issues[i].id, "", "");
  if (na >= 2 && na <= ENT_SIM_NAMES_MAX) {
    if (!(nm->actor_dash = ent_mallocarray(na * na, L))) return ENT_ENOMEM;
    for (size_t a = 0; a < na; a++)
      for (size_t b = a + 1; b < na; b++)
        ent_sim_join_names(nm->actor_dash[a * na + b], L, m->actors[a].id,
                           "-", m->actors[b].id);
  }
  if (!st) return ENT_OK;
  size_t nb = st->n_blocs, nc = st->n_channels, nn = nb * nb;
  nm->bloc_name = ent_mallocarray(nb ? nb : 1, L);
  nm->chan_name = ent_mallocarray(nc ? nc : 1, L);
  if (!nm->bloc_name || !nm->chan_name) return ENT_ENOMEM;
  for (size_t i = 0; i < nb; i++)
    ent_sim_join_names(nm->bloc_name[i], L, st->blocs[i].id, "", "");
  for (size_t c = 0; c < nc; c++)
    ent_sim_join_names(nm->chan_name[c], L, st->channels[c].id, "", "");
  if (nb >= 2 && nb <= ENT_SIM_NAMES_MAX) {
    nm->arrow = ent_mallocarray(nn, L);
    nm->dash = ent_mallocarray(nn, L);
    if (!nm->arrow || !nm->dash) return ENT_ENOMEM;
    for (size_t a = 0; a < nb; a++)
      for (size_t b = 0; b < nb; b++) {
        if (a == b) continue;
        ent_sim_name_pair(nm->arrow[a * nb + b], L, st, a, b);
        if (a < b)
          ent_sim_join_names(nm->dash[a * nb + b], L, st->blocs[a].id, "-",
                             st->blocs[b].id);
      }
  }
  return ENT_OK;
}
