/*
 * report.h -- writing runs as text, JSON (cJSON) and CSV.
 *
 * JSON of `entente run` (stable names; other tools rely on them):
 *   scenario {id, title, source}
 *   issues[] {id, question, scale {min, max, anchors[] {at, label}},
 *             options, actors[], initial {median, mean},
 *             forecast {median, mean, label, converged, median_min,
 *                       median_max, rounds_played, stopped, cycle},
 *             robustness {least_move_median, reflected_median, stable},
 *             rounds[] {round, positions[], mean, median, moves[]},
 *             dyads[] {from, to, relation, region, a, b}}
 * JSON of `entente eum`:
 *   actors[], options, range, rounds[] {round, positions[], mean, median,
 *   risk[] (rounds >= 1), moves[] {mover, type, toward, a, b, from, to}},
 *   forecast {median, mean, converged, median_min, median_max, stopped,
 *   cycle}
 */
#ifndef ENT_REPORT_H
#define ENT_REPORT_H

#include "sim/sim.h"

typedef struct cJSON cJSON;

/* An issue's scale as JSON: {min, max, anchors[] {at, label}} (the same
 * object in every document that describes an issue). */
ENT_LOCAL cJSON *ent_report_scale_json(const ent_issue *is);

#endif /* ENT_REPORT_H */
