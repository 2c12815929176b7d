/*
 * names.h -- the names that outputs use, defined once: quantiles, the
 * classes of a relationship between two actors, and the variables of a
 * run (docs/variables.md) with their unit, title and axis label.
 *
 * Every writer (text, JSON, CSV, charts, HTML), the recorder of a run
 * (sim.c) and the statistics of a forecast (ensemble.c) take their names
 * from here, so a variable or a quantile is spelled in one place.
 *
 * Invariants: every string is static; ent_names_var(id)->name is unique; the
 * order of ENT_VARS is the order of docs/variables.md (the HTML report
 * draws its groups in this order).
 */
#ifndef ENT_NAMES_H
#define ENT_NAMES_H

#include "base/util.h"

/* ------------------------------------------------------------ quantiles */

/* The quantiles every band reports: 5, 25, 50 (the median), 75, 95 %. */
#define ENT_NQ 5
#define ENT_Q_MEDIAN 2 /* index of q50 */
ENT_LOCAL extern const double ent_names_quantile_prob[ENT_NQ]; /* 0.05 .. 0.95 */
ENT_LOCAL extern const char *const ent_names_quantile[ENT_NQ]; /* "q05" .. */

/* --------------------------------------------------- relationship classes */

/* How actor i stands toward actor j after the last bargaining round
 * (coarse classes of the expected-utility model's regions, eum.md s4). */
typedef enum ent_class {
  ENT_CLASS_CONFLICT = 0,
  ENT_CLASS_COMPROMISE,
  ENT_CLASS_CAPITULATION,
  ENT_CLASS_STALEMATE,
  ENT_CLASS_AGREEMENT, /* the same position */
  ENT_CLASS_NONE,      /* no round played, or a boundary tie */
  ENT_CLASSES
} ent_class;

/* "conflict", ..., "agreement", "none". */
ENT_LOCAL extern const char *const ent_names_class[ENT_CLASSES];
/* One letter per class for text tables: X C K S = . */
ENT_LOCAL extern const char ent_names_class_letter[ENT_CLASSES];
/* Class of a name (also "same position" / "same_position" for agreement);
 * -1 if none matches. */
ENT_LOCAL int ent_names_class_find(const char *name);

/* ------------------------------------------------------------ variables */

/* Groups of variables (sections of the HTML report). */
typedef enum ent_var_group {
  ENT_VGROUP_RELATION = 0, /* alignment and pressure (docs/dynamics.md) */
  ENT_VGROUP_TRADE,
  ENT_VGROUP_CHANNEL,
  ENT_VGROUP_ECONOMY,
  ENT_VGROUP_OTHER,
  ENT_VGROUPS
} ent_var_group;

ENT_LOCAL extern const char *const ent_names_vgroup_title[ENT_VGROUPS];

typedef enum ent_var_id {
  ENT_VAR_TRADE_FLOW = 0,
  ENT_VAR_DEPENDENCE,
  ENT_VAR_DEPENDENCE_ASYMMETRY,
  ENT_VAR_PARTNER_SHARE,
  ENT_VAR_IMPORT_SHARE,
  ENT_VAR_EXPORT_SHARE,
  ENT_VAR_SENSITIVITY,
  ENT_VAR_VULNERABILITY_PE,
  ENT_VAR_VULNERABILITY_GE,
  ENT_VAR_VULNERABILITY_ASYMMETRY,
  ENT_VAR_GAS_FLOW,
  ENT_VAR_OIL_FLOW,
  ENT_VAR_ARMS_TRANSFER,
  ENT_VAR_CHANNEL_FLOW,
  ENT_VAR_GDP,
  ENT_VAR_MILEX,
  ENT_VAR_CAPABILITY_INDEX,
  ENT_VAR_WELFARE_CHANGE,
  ENT_VAR_EXPORTS,
  ENT_VAR_IMPORTS,
  ENT_VAR_HHI_IMPORTS,
  ENT_VAR_ISSUE_FORECAST,
  ENT_VAR_ISSUE_MEAN,
  ENT_VAR_TRADE_TOTAL, /* history only: A<->B, both directions */
  ENT_VAR_BILATERAL_TRADE,   /* A-B: both directions of trade_flow */
  ENT_VAR_ALIGNMENT,         /* A-B: S score over the issues */
  ENT_VAR_COOPERATION_SHARE, /* A-B: share of issues in agreement or
                                compromise */
  ENT_VAR_CONFLICT_SHARE,    /* A-B: share of issues in conflict */
  ENT_VAR_SANCTIONS_PRESSURE,/* bloc: index of the measures against it */
  ENT_VAR_BASELINE_MEDIAN,   /* issue: weighted median of the starting
                                positions under the year's weights */
  ENT_VAR_BASELINE_MEAN,     /* issue: their weighted mean */
  ENT_VARS
} ent_var_id;

typedef struct ent_var_info {
  const char *name;  /* as in docs/variables.md, e.g. "trade_flow" */
  const char *unit;  /* unit recorded with it; NULL: the channel's own */
  const char *title; /* chart title, e.g. "Exports" */
  const char *axis;  /* axis label, e.g. "exports" */
  ent_var_group group;
} ent_var_info;

/* The variable `id` (valid ids only). */
ENT_LOCAL const ent_var_info *ent_names_var(ent_var_id id);
/* The variable of a name, or NULL. */
ENT_LOCAL const ent_var_info *ent_names_var_find(const char *name);
/* The table ent_names_var reads (constant), for the shorthands. */
ENT_LOCAL extern const ent_var_info ent_names_vars[ENT_VARS];
/* Shorthands: the name and unit of `id` (read from the table in place: a
 * simulation records thousands of values a year through them). */
#define ENT_VNAME(id) (ent_names_vars[id].name)
#define ENT_VUNIT(id) (ent_names_vars[id].unit)

/* ------------------------------------------------------------ gravity */

/* Column names of the per-country outputs of a trade counterfactual, in
 * the order of ent_trade_field (entente.h): w_hat ... pi_own_new. */
ENT_LOCAL extern const char *const ent_names_trade_field[7];

#endif /* ENT_NAMES_H */
