/*
 * cmd_gravity.c -- `entente gravity FLOWS.csv --shock SHOCK.csv`: the GE
 * structural gravity counterfactual (docs/models/gravity.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_opt gravity_opts[] = {
    {"shock", "SHOCK.csv", "the shock: exporter,importer,beta (required)", 0},
    {"theta", "T", "trade elasticity, > 0 (default 4)", 0},
    {"deficit", "MODE", "additive (default) or multiplicative", 0},
    {"format", "F", "csv (default), json or text", 0},
    {"tol", "EPS", "stop when max |d ln w_hat| < EPS (default 1e-12)", 0},
    {"max-iter", "N", "fixed-point iteration limit (default 10000)", 0},
    {"no-newton", NULL, "no Newton fallback when the fixed point fails", 0},
    {NULL, NULL, NULL, 0},
};


/* A number option: *out unchanged when absent; -1 after reporting. */
static int num_opt(cli_args *a, const char *name, double lo_excl, double *out) {
  int argi = 0;
  const char *v = cli_get(a, name, &argi);
  if (!v) return 0;
  char *end = NULL;
  double x = strtod(v, &end);
  if (end == v || *end != '\0' || !isfinite(x) || !(x > lo_excl)) {
    cli_error(a, argi, "--%s must be a number > %g, not '%s'", name, lo_excl,
              v);
    return -1;
  }
  *out = x;
  return 0;
}

/* The solver options; problems go to a. */
static void gravity_options(cli_args *a, ent_trade_opts *o) {
  num_opt(a, "theta", 0.0, &o->theta);
  num_opt(a, "tol", 0.0, &o->tol);
  int argi = 0;
  const char *v = cli_get(a, "deficit", &argi);
  if (v) {
    if (!strcmp(v, "additive"))
      o->deficit = ENT_TRADE_DEFICIT_ADDITIVE;
    else if (!strcmp(v, "multiplicative"))
      o->deficit = ENT_TRADE_DEFICIT_MULTIPLICATIVE;
    else
      cli_error(a, argi,
                "--deficit must be 'additive' or 'multiplicative', not '%s'",
                v);
  }
  v = cli_get(a, "max-iter", &argi);
  if (v) {
    char *end = NULL;
    long k = strtol(v, &end, 10);
    if (end == v || *end != '\0' || k < 0 || k > 100000000)
      cli_error(a, argi,
                "--max-iter must be a whole number from 0 to 100000000, "
                "not '%s'",
                v);
    else
      o->max_iter = (int)k;
  }
  if (cli_has(a, "no-newton")) o->newton = 0;
}

/* Solve and write; a solver failure is a failure (1), not bad input. */
static int solve(cli_ctx *c, const ent_trade_problem *p,
                 const ent_trade_opts *o) {
  ent_trade_result *r = NULL;
  ent_diag *sd = ent_diag_create();
  ent_status st = ent_trade_solve(p, o, &r, sd);
  int rc;
  if (st == ENT_OK) {
    rc = cli_written(ent_trade_result_write(r, c->fmt, stdout));
  } else {
    for (size_t i = 0; i < ent_diag_count(sd); i++)
      fprintf(stderr, "entente: error: %s\n", ent_diag_get(sd, i)->msg);
    if (ent_diag_count(sd) == 0)
      fprintf(stderr, "entente: error: %s\n", ent_status_str(st));
    rc = EXIT_FAIL;
  }
  ent_diag_destroy(sd);
  ent_trade_result_destroy(r);
  return rc;
}

static int gravity_main(cli_ctx *c) {
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  const char *shock = cli_get(&c->a, "shock", NULL);
  if (!shock)
    cli_error(&c->a, c->a.argc, "'--shock SHOCK.csv' is required (usage: %s)",
              c->a.cmd->usage);
  gravity_options(&c->a, &o);
  if (cli_usage_errors(&c->a)) return EXIT_USAGE;
  ent_trade_problem *p = NULL;
  ent_status st = ent_trade_problem_load_files(c->a.pos[0], shock, &p, c->d);
  int rc;
  if (st != ENT_OK) {
    rc = cli_fail(c->d, st);
  } else {
    ent_diag_print(c->d, stderr); /* warnings, if any */
    rc = solve(c, p, &o);
  }
  ent_trade_problem_destroy(p);
  return rc;
}

const cli_cmd cmd_gravity = {
    "gravity",
    "entente gravity FLOWS.csv --shock SHOCK.csv [--theta T] "
    "[--deficit additive|multiplicative] [--format csv|json|text]",
    "Solve the one-sector GE structural gravity model in changes (exact hat\n"
    "algebra) for a trade-cost shock and print, per country, the changes of\n"
    "wages, prices, welfare and multilateral resistances, and the new flows.",
    "FLOWS.csv has the header exporter,importer,flow and one row for every\n"
    "exporter-importer pair, domestic pairs (X_ii > 0) included: a square\n"
    "table.  Country order = first appearance.  SHOCK.csv has the header\n"
    "exporter,importer,beta and lists only the pairs that change: b = exp(beta)\n"
    "multiplies the flow from exporter to importer (directional); beta '-inf'\n"
    "or 'embargo' means b = 0.  Blank lines and lines starting with '#' are\n"
    "skipped; a UTF-8 BOM and CRLF line ends are accepted.\n\n"
    "Numeraire: world output unchanged.  Deficits: additive (E' = w Y + D,\n"
    "fixed nominal transfers) or multiplicative (E' = kappa w E).\n\n"
    "Output (csv): the country table\n"
    "  country,Y_base,E_base,D_base,w_hat,E_hat,P_hat,welfare_hat,\n"
    "  real_wage_hat,OMR_hat,pi_own_new\n"
    "then a blank line and the flow table\n"
    "  exporter,importer,flow_base,b,flow_new,flow_hat\n"
    "(flow_hat is empty where flow_base is 0).  json: an object with\n"
    "\"countries\" and \"flows\" (the same columns as keys), \"converged\",\n"
    "\"iterations\" and \"residual\".  welfare_hat = E_hat/P_hat, real_wage_hat\n"
    "= w_hat/P_hat; percent change = 100 (hat - 1).\n\n"
    "Exit status: 0 success, 1 the solver found no equilibrium, 2 bad input.\n\n"
    "example: entente gravity flows.csv --shock sanctions.csv --theta 5",
    gravity_opts,
    1,
    1,
    .formats = 1u << ENT_FORMAT_CSV | 1u << ENT_FORMAT_JSON | 1u << ENT_FORMAT_TEXT,
    .format = ENT_FORMAT_CSV,
    .run = gravity_main,
};
