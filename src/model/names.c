/*
 * names.c -- the names used in outputs (see names.h): quantiles,
 * relationship classes and the variables of docs/variables.md.
 */
#include "model/names.h"

#include <string.h>

const double ent_names_quantile_prob[ENT_NQ] = {0.05, 0.25, 0.5, 0.75, 0.95};
const char *const ent_names_quantile[ENT_NQ] = {"q05", "q25", "q50", "q75",
                                               "q95"};

const char *const ent_names_class[ENT_CLASSES] = {
    "conflict", "compromise", "capitulation", "stalemate", "agreement", "none"};
const char ent_names_class_letter[ENT_CLASSES] = {'X', 'C', 'K', 'S', '=', '.'};

int ent_names_class_find(const char *name) {
  for (int k = 0; k < ENT_CLASSES; k++)
    if (!strcmp(name, ent_names_class[k])) return k;
  if (!strcmp(name, "same position") || !strcmp(name, "same_position"))
    return ENT_CLASS_AGREEMENT;
  return -1;
}

const char *const ent_names_vgroup_title[ENT_VGROUPS] = {
    "Alignment and pressure", "Trade and dependence", "Energy and arms channels", "The economies",
    "Other variables"};

/* docs/variables.md, in its order; indexed by ent_var_id. */
const ent_var_info ent_names_vars[ENT_VARS] = {
    {"trade_flow", "US$ bn", "Exports", "exports", ENT_VGROUP_TRADE},
    {"dependence", "share of GDP", "Dependence: bilateral trade over GDP",
     "dependence", ENT_VGROUP_TRADE},
    {"dependence_asymmetry", "share of GDP",
     "Asymmetry of dependence (A on B minus B on A)", "asymmetry",
     ENT_VGROUP_TRADE},
    {"partner_share", "share", "Partner's share of total trade",
     "partner share", ENT_VGROUP_TRADE},
    {"import_share", "share", "Partner's share of imports", "import share",
     ENT_VGROUP_TRADE},
    {"export_share", "share", "Partner's share of exports", "export share",
     ENT_VGROUP_TRADE},
    {"sensitivity", "share", "Sensitivity: the partner's goods in spending",
     "sensitivity", ENT_VGROUP_TRADE},
    {"vulnerability_pe", "share of real income",
     "Vulnerability if imports stopped (wages fixed)", "real-income loss",
     ENT_VGROUP_TRADE},
    {"vulnerability_ge", "share of real income",
     "Vulnerability if trade were cut (general equilibrium)",
     "real-income loss", ENT_VGROUP_TRADE},
    {"vulnerability_asymmetry", "share of real income",
     "Asymmetry of vulnerability (A minus B)", "asymmetry", ENT_VGROUP_TRADE},
    {"gas_flow", NULL, "Pipeline gas", "gas", ENT_VGROUP_CHANNEL},
    {"oil_flow", NULL, "Crude oil", "oil", ENT_VGROUP_CHANNEL},
    {"arms_transfer", NULL, "Arms transfers", "arms transfers",
     ENT_VGROUP_CHANNEL},
    {"channel_flow", NULL, "Other channels", "flow", ENT_VGROUP_CHANNEL},
    {"gdp", "US$ bn", "GDP", "GDP", ENT_VGROUP_ECONOMY},
    {"milex", "US$ bn", "Military spending", "military spending",
     ENT_VGROUP_ECONOMY},
    {"capability_index", "share",
     "Composite capability (share of the blocs' total)", "capability",
     ENT_VGROUP_ECONOMY},
    {"welfare_change", "%", "Real-income effect of trade-cost changes",
     "welfare change", ENT_VGROUP_ECONOMY},
    {"exports", "US$ bn", "Exports to the other blocs", "exports",
     ENT_VGROUP_ECONOMY},
    {"imports", "US$ bn", "Imports from the other blocs", "imports",
     ENT_VGROUP_ECONOMY},
    {"hhi_imports", "index", "Concentration of import partners (Herfindahl)",
     "HHI", ENT_VGROUP_ECONOMY},
    {"issue_forecast", "scale", "Forecast of an issue",
     "forecast on the question's scale", ENT_VGROUP_OTHER},
    {"issue_mean", "scale", "Weighted mean position on an issue",
     "mean position on the question's scale", ENT_VGROUP_OTHER},
    {"trade_total", "US$ bn", "Total trade", "total trade", ENT_VGROUP_OTHER},
    {"bilateral_trade", "US$ bn", "Bilateral trade (both directions)",
     "bilateral trade", ENT_VGROUP_TRADE},
    {"alignment", "S score", "Alignment across the issues (S score)",
     "alignment (-1 to 1)", ENT_VGROUP_RELATION},
    {"cooperation_share", "share",
     "Share of issues in agreement or compromise", "share of issues",
     ENT_VGROUP_RELATION},
    {"conflict_share", "share", "Share of issues in conflict",
     "share of issues", ENT_VGROUP_RELATION},
    {"sanctions_pressure", "index",
     "Sanctions pressure (measures in force against the bloc)",
     "pressure index", ENT_VGROUP_RELATION},
    {"baseline_median", "scale",
     "Baseline: weighted median of the starting positions",
     "median of the starting positions", ENT_VGROUP_OTHER},
    {"baseline_mean", "scale",
     "Baseline: weighted mean of the starting positions",
     "mean of the starting positions", ENT_VGROUP_OTHER},
};

const ent_var_info *ent_names_var(ent_var_id id) { return &ent_names_vars[id]; }

const ent_var_info *ent_names_var_find(const char *name) {
  for (size_t i = 0; i < ENT_VARS; i++)
    if (!strcmp(ent_names_vars[i].name, name)) return &ent_names_vars[i];
  return NULL;
}

const char *const ent_names_trade_field[7] = {
    "w_hat",         "E_hat",   "P_hat",     "welfare_hat",
    "real_wage_hat", "OMR_hat", "pi_own_new"};
