/*
 * sim.h -- one run of a model: every issue bargained with the expected-
 * utility model under the scenario's options (plus caller overrides).
 *
 * For each issue the run also bargains two robustness variants that
 * eum.md section 7 recommends for the project's own scenarios: the
 * compromise rule `least_move`, and the axis reflected (x -> lo + hi - x,
 * mapped back).  A forecast that changes under them is an artefact of the
 * selection rule, not a finding; the report says so.
 */
#ifndef ENT_SIM_H
#define ENT_SIM_H

#include "model.h"

struct ent_run_opts {
  char *kv[64]; /* "key=value" overrides, applied in order to every issue */
  size_t n_kv;
  int robustness; /* run the two robustness variants (default 1) */
};

typedef struct ent_issue_run {
  const ent_issue *issue;
  ent_eum_opts opts;     /* options used */
  ent_eum_hist *hist;    /* actors = the issue's stakes, in stake order */
  double least_move_median, reflected_median; /* robustness read-outs */
  int has_robustness;
} ent_issue_run;

struct ent_run {
  const ent_model *m;
  ent_issue_run *issues;
  size_t n_issues;
};

/* Apply overrides to a copy of issue options; reasons go to d. */
ENT_LOCAL ent_status ent_run_opts_apply(const ent_run_opts *o,
                                        ent_eum_opts *eo, ent_diag *d);

#endif /* ENT_SIM_H */
