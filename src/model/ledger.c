/*
 * ledger.c -- the condition of a ledger question (ledger.h).
 */
#include "model/ledger.h"

#include <string.h>

static const char *const OP_NAMES[] = {">=", ">", "<=", "<", "between"};

void ent_ledger_free(ent_ledger *l) {
  if (!l) return;
  ent_arena a = l->arena;
  ent_arena_free(&a); /* l itself lives in the arena */
}

int ent_ledger_holds(const ent_ledger_q *q, double v) {
  switch (q->op) {
  case ENT_LEDGER_GE: return v >= q->threshold;
  case ENT_LEDGER_GT: return v > q->threshold;
  case ENT_LEDGER_LE: return v <= q->threshold;
  case ENT_LEDGER_LT: return v < q->threshold;
  case ENT_LEDGER_BETWEEN: return v >= q->threshold && v <= q->threshold2;
  }
  return 0;
}

const char *ent_ledger_op_name(ent_ledger_op op) {
  return (unsigned)op < 5 ? OP_NAMES[op] : "?";
}

int ent_ledger_op_parse(const char *s) {
  for (int k = 0; k < 5; k++)
    if (!strcmp(s, OP_NAMES[k])) return k;
  return -1;
}
