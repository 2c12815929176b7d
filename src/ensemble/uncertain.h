/*
 * uncertain.h -- the uncertain numbers of a model (docs/scenario.md,
 * "Uncertain numbers"): drawing them, and applying a draw to a value copy
 * of the model.
 *
 * A member of an ensemble (ensemble.c) is the model with every uncertain
 * number drawn.  Draws go through uniforms: u_k in (0, 1) from the
 * member's own MT19937 stream, x_k = F_k^-1(u_k) by inversion of the CDF of
 * number k.  So one member consumes exactly one uniform per uncertain
 * number, in the scenario's declared order, and a design of uniforms
 * (Saltelli's for Sobol' indices) maps to inputs column by column.
 */
#ifndef ENT_UNCERTAIN_H
#define ENT_UNCERTAIN_H

#include <stdint.h>

#include "model/model.h"

/* Inverse CDF of d at u in (0, 1); the result lies in [d->lo, d->hi]. */
ENT_LOCAL double ent_dist_quantile(const ent_dist *d, double u);
/* Name of the kind ("normal", ...), static. */
ENT_LOCAL const char *ent_dist_name(ent_dist_kind k);
/* Short text of the parameters, e.g. "pert(10, 25, 50)". */
ENT_LOCAL void ent_dist_describe(const ent_dist *d, char *buf, size_t size);

/* Seed of member `index` of a forecast with master seed `seed`: splitmix64
 * of the master seed, plus the index, through a bijective 32-bit mixer in
 * the low word, splitmix64 again in the high word.  The low 32 bits (all
 * that GSL's generators use) differ for every index < 2^32 of one master
 * seed.  Depends on (seed, index) only. */
ENT_LOCAL uint64_t ent_seed_derive(uint64_t seed, uint64_t index);


/* Set every uncertain number of `c` (a clone of the model that declares
 * them) to x[k] (k in declaration order, in the file's units: salience
 * 0-100).  Targets that are not uncertain keep their values, so repeated
 * calls need no reset.  A channel base above its capacity is capped. */
ENT_LOCAL void ent_uncertain_apply(ent_model *c, const double *x);

#endif /* ENT_UNCERTAIN_H */
