/*
 * ledger.h -- a ledger of resolvable forecasting questions (docs/score.md).
 *
 * A ledger is a CSV file, one question a row, with the columns
 *   id, as_of, question, variable, entity, year, op, threshold, threshold2,
 *   outcome, source
 * (more may follow and are ignored).  A question asks whether the value of
 * one yearly series of the as-of scenario's run -- (variable, entity, year)
 * as in `entente run --format json` -- meets a condition; `outcome` says
 * whether it held in reality.  The loader is in src/input/ledger_load.c;
 * this header holds the in-memory form and the condition.
 *
 * Invariants (checked by the loader): ids unique and non-empty; op one of
 * the five; thresholds finite, threshold <= threshold2 for `between`;
 * outcome 0 or 1; year in [1000, 9999].  Whether as_of, variable, entity
 * and year exist is checked when the questions are resolved against a
 * scenario's run (src/ensemble/score.c), with the positions kept here.
 */
#ifndef ENT_LEDGER_H
#define ENT_LEDGER_H

#include "base/util.h"

typedef enum ent_ledger_op {
  ENT_LEDGER_GE = 0, /* value >= threshold */
  ENT_LEDGER_GT,     /* value >  threshold */
  ENT_LEDGER_LE,     /* value <= threshold */
  ENT_LEDGER_LT,     /* value <  threshold */
  ENT_LEDGER_BETWEEN /* threshold <= value <= threshold2 */
} ent_ledger_op;

/* Source position of a field (1-based line and column). */
typedef struct ent_ledger_pos {
  int line, col;
} ent_ledger_pos;

/* Columns whose positions are kept, for messages after loading. */
enum {
  ENT_LEDGER_COL_ID = 0,
  ENT_LEDGER_COL_AS_OF,
  ENT_LEDGER_COL_VARIABLE,
  ENT_LEDGER_COL_ENTITY,
  ENT_LEDGER_COL_YEAR,
  ENT_LEDGER_COL_THRESHOLD,
  ENT_LEDGER_NPOS
};

typedef struct ent_ledger_q {
  const char *id, *as_of, *question, *variable, *entity, *source;
  int year;
  ent_ledger_op op;
  double threshold, threshold2; /* threshold2 only for `between` */
  int outcome;                  /* 0 or 1 */
  ent_ledger_pos at[ENT_LEDGER_NPOS];
} ent_ledger_q;

typedef struct ent_ledger {
  ent_arena arena;
  const char *file; /* name used in messages */
  ent_ledger_q *q;
  size_t n;
} ent_ledger;

ENT_LOCAL void ent_ledger_free(ent_ledger *l);

/* 1 if value v meets the question's condition, else 0. */
ENT_LOCAL int ent_ledger_holds(const ent_ledger_q *q, double v);

/* The spelling of op in a ledger (">=", ">", "<=", "<", "between"). */
ENT_LOCAL const char *ent_ledger_op_name(ent_ledger_op op);
/* Op from its spelling; -1 if unknown. */
ENT_LOCAL int ent_ledger_op_parse(const char *s);

#endif /* ENT_LEDGER_H */
