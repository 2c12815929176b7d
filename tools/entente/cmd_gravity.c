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

static const cli_cmd gravity_cmd = {
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

int cmd_gravity(int argc, char **argv) {
  cli_args a;
  int done;
  int rc = cli_parse(&gravity_cmd, argc, argv, &a, &done);
  if (rc != EXIT_OK || done) {
    cli_args_free(&a);
    return rc;
  }
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  ent_format fmt = ENT_FORMAT_CSV;
  if (cli_has(&a, "format"))
    cli_format(&a,
               1u << ENT_FORMAT_CSV | 1u << ENT_FORMAT_JSON |
                   1u << ENT_FORMAT_TEXT,
               &fmt);
  const char *shock = cli_get(&a, "shock", NULL);
  if (!shock)
    cli_error(&a, argc, "'--shock SHOCK.csv' is required (usage: %s)",
              gravity_cmd.usage);
  num_opt(&a, "theta", 0.0, &o.theta);
  num_opt(&a, "tol", 0.0, &o.tol);
  int argi = 0;
  const char *v = cli_get(&a, "deficit", &argi);
  if (v) {
    if (!strcmp(v, "additive"))
      o.deficit = ENT_TRADE_DEFICIT_ADDITIVE;
    else if (!strcmp(v, "multiplicative"))
      o.deficit = ENT_TRADE_DEFICIT_MULTIPLICATIVE;
    else
      cli_error(&a, argi,
                "--deficit must be 'additive' or 'multiplicative', not '%s'",
                v);
  }
  v = cli_get(&a, "max-iter", &argi);
  if (v) {
    char *end = NULL;
    long k = strtol(v, &end, 10);
    if (end == v || *end != '\0' || k < 0 || k > 100000000)
      cli_error(&a, argi,
                "--max-iter must be a whole number from 0 to 100000000, "
                "not '%s'",
                v);
    else
      o.max_iter = (int)k;
  }
  if (cli_has(&a, "no-newton")) o.newton = 0;
  if (ent_diag_errors(a.diag)) {
    cli_flush(&a);
    cli_args_free(&a);
    return EXIT_USAGE;
  }

  ent_diag *d = ent_diag_create();
  ent_trade_problem *p = NULL;
  ent_trade_result *r = NULL;
  if (!d) {
    fprintf(stderr, "entente: error: out of memory\n");
    cli_args_free(&a);
    return EXIT_FAIL;
  }
  ent_status st = ent_trade_problem_load_files(a.pos[0], shock, &p, d);
  if (st != ENT_OK) {
    rc = cli_fail(d, st);
  } else {
    ent_diag_print(d, stderr); /* warnings, if any */
    ent_diag *sd = ent_diag_create();
    st = ent_trade_solve(p, &o, &r, sd);
    if (st == ENT_OK) {
      st = ent_trade_result_write(r, fmt, stdout);
      if (st != ENT_OK)
        fprintf(stderr, "entente: error: writing output: %s\n",
                ent_status_str(st));
      rc = st == ENT_OK ? EXIT_OK : EXIT_FAIL;
    } else {
      for (size_t i = 0; i < ent_diag_count(sd); i++)
        fprintf(stderr, "entente: error: %s\n", ent_diag_get(sd, i)->msg);
      if (ent_diag_count(sd) == 0)
        fprintf(stderr, "entente: error: %s\n", ent_status_str(st));
      rc = EXIT_FAIL;
    }
    ent_diag_destroy(sd);
  }
  ent_trade_result_destroy(r);
  ent_trade_problem_destroy(p);
  ent_diag_destroy(d);
  cli_args_free(&a);
  return rc;
}
