/*
 * bargain.c -- the table of bargaining back-ends (see bargain.h) and the
 * rule that picks them for an issue.
 *
 * Invariant: row k of the table is the back-end of ent_bargain_id k.
 */
#include "sim/bargain.h"

static const ent_bargainer *const table[] = {
    [ENT_BARGAIN_EUM] = &ent_bargain_eum,
    [ENT_BARGAIN_SMP] = &ent_bargain_smp,
};

_Static_assert(sizeof table / sizeof table[0] == ENT_BARGAIN_COUNT,
               "one row per ent_bargain_id");

const ent_bargainer *ent_bargain_get(ent_bargain_id id) {
  return (unsigned)id < ENT_BARGAIN_COUNT ? table[id] : NULL;
}

void ent_bargain_pick(ent_issue_model model, int beside_on, int *decider,
                      int *beside) {
  *decider = model == ENT_ISSUE_SMP ? ENT_BARGAIN_SMP : ENT_BARGAIN_EUM;
  *beside = model == ENT_ISSUE_BOTH && beside_on ? ENT_BARGAIN_SMP : -1;
}
