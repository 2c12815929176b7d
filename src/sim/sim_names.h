/*
 * sim_names.h -- the entity names a run records (blocs, channels, issues,
 * and the pairs "A->B", "A-B"), each an array of ENT_RUN_ENTITY bytes as
 * ent_run_record wants them, made once at a run's start.
 *
 * Prefix: ent_sim_ (the sim module's part on names).
 */
#ifndef ENT_SIM_NAMES_H
#define ENT_SIM_NAMES_H

#include <stddef.h>

#include "model/model.h"
#include "sim/sim.h"

/* Largest bloc or actor count whose pair names are kept (n^2 * 72 bytes
 * each); past it, a pair's name is made when it is recorded. */
#define ENT_SIM_NAMES_MAX 32

typedef char ent_sim_name[ENT_RUN_ENTITY]; /* as ent_series_point.entity */

typedef struct ent_sim_names {
  ent_sim_name *arrow;      /* [nb*nb] "A->B", a != b */
  ent_sim_name *dash;       /* [nb*nb] "A-B", a < b */
  ent_sim_name *actor_dash; /* [na*na] actors' "A-B", a < b */
  ent_sim_name *bloc_name;  /* [nb] the blocs' ids */
  ent_sim_name *chan_name;  /* [n_channels] the channels' ids */
  ent_sim_name *issue_name; /* [n_issues] the issues' ids */
} ent_sim_names;

/* Fills *nm for model m (zeroed first; the pair tables stay NULL past
 * ENT_SIM_NAMES_MAX and the bloc and channel tables without a structure).
 * ENT_OK or ENT_ENOMEM (then ent_sim_names_free releases what was made). */
ent_status ent_sim_names_make(ent_sim_names *nm, const ent_model *m);
void ent_sim_names_free(ent_sim_names *nm);
/* 1 when p points into one of the names of *nm (made for m), else 0. */
int ent_sim_names_hold(const ent_sim_names *nm, const ent_model *m,
                       const char *p);

/* buf = a, sep, b joined, cut to size - 1 bytes and terminated: what
 * snprintf(buf, size, "%s<sep>%s", a, b) writes (size > 0), without
 * parsing a format (a run names some hundred pairs at its start). */
void ent_sim_join_names(char *buf, size_t size, const char *a,
                        const char *sep, const char *b);

/* "A->B" for blocs a and b of st. */
void ent_sim_name_pair(char *buf, size_t size, const ent_structure *st,
                       size_t a, size_t b);

#endif
