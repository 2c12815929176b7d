/*
 * assumptions.h -- a scenario's inputs in words: the texts that the
 * assumptions document (JSON and text, ent_model_write_assumptions) and
 * the HTML report's "assumptions" section share.
 *
 * JSON of the assumptions (stable names; written by json_misc.c):
 *   scenario {id, title, description, source}
 *   actors[] {id, name, kind, capability (null: none), why}
 *   issues[] {id, question, why, scale {min, max, anchors[] {at, label}},
 *             positions[] {actor, position, salience (0-100), capability,
 *                          capability_from_actor, why}}
 *   time {start, end}                       (structural scenarios only)
 *   economy {theta, theta_foreign, deficit, adjustment}
 *   blocs[] {id, name, gdp, milex, growth[] {year, rate}, why}
 *   shocks[] {id, from[], to[], both, start, end, beta | embargo,
 *             phase_in, fade, source, why}
 *   channels[] {id, kind, from, to, unit, capacity, base, ramp, opens,
 *               build_years, driver, conditional, why}
 *   links[] {id, source, target, form, parameter, why}
 *   uncertain[] {name, at {file, line, col}, distribution, nominal}
 *   history[] {variable, entity, unit, source, values[] {year, value}}
 * A `why` the scenario does not give is null.  Order: the scenario's.
 */
#ifndef ENT_ASSUMPTIONS_H
#define ENT_ASSUMPTIONS_H

#include "model/model.h"

/* One-line description of a distribution ("uniform on [1, 2]"). */
ENT_LOCAL void ent_assumptions_dist(const ent_dist *d, char *buf, size_t size);
/* "gas", "oil", "arms" or "other" (static). */
ENT_LOCAL const char *ent_assumptions_channel_kind(ent_channel_kind k);
/* "elasticity", "beta", "threshold" or "scale" (static). */
ENT_LOCAL const char *ent_assumptions_form_name(ent_link_form f);
/* A link's source ("dependence of RUS->CHN", "forecast of issue 'x'"),
 * target ("CHN's salience on 'x'", "trade cost A -> B", "channel 'c'")
 * and parameter ("elasticity 0.5"), appended to b / written to buf. */
ENT_LOCAL void ent_assumptions_link_source(const ent_model *m,
                                           const ent_link *l, ent_strbuf *b);
ENT_LOCAL void ent_assumptions_link_target(const ent_model *m,
                                           const ent_link *l, ent_strbuf *b);
ENT_LOCAL void ent_assumptions_link_param(const ent_link *l, char *buf,
                                          size_t size);

#endif /* ENT_ASSUMPTIONS_H */
