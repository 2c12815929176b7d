/*
 * run_result.h -- the result tree (model/result.h) of a run and of a
 * back-test.  run_result.c is the one place that reads the fields of
 * ent_run and ent_issue_run for output; the renderers read the tree.
 */
#ifndef ENT_RUN_RESULT_H
#define ENT_RUN_RESULT_H

#include "model/result.h"
#include "sim/sim.h"

/* The result of run r (kind ENT_RESULT_RUN): provenance, the model's
 * actors and pairs, every recorded series value, and per issue the
 * forecast with each bargaining model's own result.  ENT_ENOMEM (*out
 * NULL) when out of memory. */
ENT_LOCAL ent_status ent_run_result(const ent_run *r, ent_result **out);

/* The relationship class (names.h) of an expected-utility region. */
ENT_LOCAL ent_class ent_run_region_class(ent_eum_region reg);

/* The back-test of a structural run against the observed history its
 * scenario carries (docs/backtest.md; kind ENT_RESULT_BACKTEST).
 * ENT_EINVAL (message in d) when the run has no structure or nothing can
 * be compared; ENT_ENOMEM. */
ENT_LOCAL ent_status ent_backtest_result(const ent_run *r, ent_result **out,
                                         ent_diag *d);
/* The same with, beside it, the tables of r_ex (the ex-ante run of the
 * same scenario; NULL: none) and the inputs only the realised run uses. */
ENT_LOCAL ent_status ent_backtest_result2(const ent_run *r, const ent_run *r_ex,
                                          ent_result **out, ent_diag *d);

#endif /* ENT_RUN_RESULT_H */
