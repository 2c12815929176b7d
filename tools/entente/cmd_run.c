/*
 * cmd_run.c -- `entente run [SCENARIO]`: simulate a scenario once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_opt run_opts[] = {
    {"format", "F", "text (default), json or csv (tidy: variable,entity,year,value,unit)", 0},
    {"rounds", "N", "bargaining rounds per issue (overrides the scenario)", 0},
    {"profile", "P", "expected-utility profile (scholz2011, ...)", 0},
    {"option", "K=V", "model option for every issue, repeatable "
                      "(see 'entente eum --help')", 1},
    {"dump", NULL, "print the scenario's YAML text instead of running it", 0},
    {"store", "FILE", "keep the run in an SQLite run store (docs/store.md)", 0},
    {NULL, NULL, NULL, 0},
};

static const cli_cmd run_cmd = {
    "run",
    "entente run [SCENARIO] [--format text|json|csv] [--option K=V ...]",
    "Simulate a scenario once.  With a structural part it steps year by year\n"
    "(economy, trade equilibrium under sanctions, indicators, links,\n"
    "bargaining, links back) and prints the main pair's trade, dependence,\n"
    "asymmetry, partner share, energy and arms flows, and the issue\n"
    "forecasts per year; then, for each contested issue, the forecast on its\n"
    "labelled scale, the baselines, and the relationship of the main pairs.",
    "SCENARIO is a YAML file (docs/scenario.md) or the name of a built-in\n"
    "scenario ('entente scenarios' lists them).  Without it the built-in\n"
    "Russia-China scenario runs.\n\n"
    "examples:\n"
    "  entente run\n"
    "  entente run --format json > forecast.json\n"
    "  entente run my-scenario.yaml --option compromise_select=least_move",
    run_opts,
    0,
    1,
};

/* Load SCENARIO: a built-in name, else a file path. */
ent_status cli_load_scenario(const char *arg, ent_model **m, ent_diag *d) {
  if (!arg) return ent_builtin_load(NULL, m, d);
  if (ent_builtin_text(arg) && !strchr(arg, '/') && !strstr(arg, ".yaml") &&
      !strstr(arg, ".yml"))
    return ent_builtin_load(arg, m, d);
  return ent_scenario_load_file(arg, m, d);
}

int cmd_run(int argc, char **argv) {
  cli_args a;
  int done;
  int rc = cli_parse(&run_cmd, argc, argv, &a, &done);
  if (rc != EXIT_OK || done) {
    cli_args_free(&a);
    return rc;
  }
  const char *arg = a.n_pos ? a.pos[0] : NULL;
  if (cli_has(&a, "dump")) {
    const char *text = ent_builtin_text(arg);
    if (!text) {
      cli_error(&a, a.n_pos ? a.pos_argi[0] : 1,
                "--dump needs a built-in scenario name, not '%s'", arg);
      cli_flush(&a);
      cli_args_free(&a);
      return EXIT_USAGE;
    }
    fputs(text, stdout);
    cli_args_free(&a);
    return EXIT_OK;
  }
  ent_format fmt;
  ent_run_opts *ro = ent_run_opts_create();
  if (!ro) {
    cli_args_free(&a);
    return EXIT_FAIL;
  }
  cli_format(&a, 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON | 1u << ENT_FORMAT_CSV,
             &fmt);
  cli_model_options(&a, ro);
  if (ent_diag_errors(a.diag)) {
    cli_flush(&a);
    ent_run_opts_destroy(ro);
    cli_args_free(&a);
    return EXIT_USAGE;
  }
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  ent_run *run = NULL;
  ent_status st = cli_load_scenario(arg, &m, d);
  if (st == ENT_ENOTFOUND)
    ent_diag_report(d, ENT_SEV_ERROR, "<command-line>", 1, 1,
                    "no built-in scenario '%s'", arg ? arg : "");
  /* --store: opened first, so a refused file stops us before any output */
  ent_store *store = NULL;
  const char *store_path = cli_get(&a, "store", NULL);
  if (st == ENT_OK && store_path) st = ent_store_open(store_path, 1, &store, d);
  if (st == ENT_OK) st = ent_run_create(m, ro, &run, d);
  long long sid = 0;
  if (st == ENT_OK && store && (st = ent_store_add_run(store, run, ro, &sid, d)) == ENT_OK)
    fprintf(stderr, "entente: run kept as run %lld in %s\n", sid, store_path);
  ent_store_close(store);
  if (st == ENT_OK) {
    st = ent_run_write(run, fmt, stdout);
    if (st != ENT_OK)
      fprintf(stderr, "entente: error: writing output: %s\n", ent_status_str(st));
    rc = st == ENT_OK ? EXIT_OK : EXIT_FAIL;
  } else {
    rc = cli_fail(d, st);
  }
  ent_run_destroy(run);
  ent_model_destroy(m);
  ent_diag_destroy(d);
  ent_run_opts_destroy(ro);
  cli_args_free(&a);
  return rc;
}

/* ------------------------------------------------------------ backtest */

static const cli_opt bt_opts[] = {
    {"format", "F", "text (default) or json", 0},
    {NULL, NULL, NULL, 0},
};

static const cli_cmd bt_cmd = {
    "backtest",
    "entente backtest [SCENARIO] [--format text|json]",
    "Run a scenario from its base-year data with only its known shocks and\n"
    "compare the model with the observed history it carries: per year the\n"
    "actual and model values, and the mean absolute percentage error of the\n"
    "model, of persistence (the last observed value) and of the log-linear\n"
    "trend fitted up to the base year.",
    "SCENARIO defaults to the built-in russia-china-2013 (base year 2013, the\n"
    "2014 and 2022 sanction rounds as the only known shocks); see\n"
    "docs/backtest.md.  JSON: years[] {year, actual, model} of the headline\n"
    "series (total Russia-China trade), mape {model, persistence, trend} in\n"
    "percent, best, and series[] with every compared series.",
    bt_opts,
    0,
    1,
};

int cmd_backtest(int argc, char **argv) {
  cli_args a;
  int done;
  int rc = cli_parse(&bt_cmd, argc, argv, &a, &done);
  if (rc != EXIT_OK || done) {
    cli_args_free(&a);
    return rc;
  }
  ent_format fmt;
  if (cli_format(&a, 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON, &fmt)) {
    cli_flush(&a);
    cli_args_free(&a);
    return EXIT_USAGE;
  }
  const char *arg = a.n_pos ? a.pos[0] : "russia-china-2013";
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  ent_run *run = NULL;
  ent_status st = cli_load_scenario(arg, &m, d);
  if (st == ENT_OK) st = ent_run_create(m, NULL, &run, d);
  if (st == ENT_OK) {
    /* render into memory first: no partial output on failure */
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    st = mem ? ent_run_write_backtest(run, fmt, mem, d) : ENT_ENOMEM;
    if (mem) fclose(mem);
    if (st == ENT_OK) {
      rc = fwrite(buf, 1, len, stdout) == len && fflush(stdout) == 0 ? EXIT_OK
                                                                     : EXIT_FAIL;
    } else {
      rc = st == ENT_EINVAL ? (ent_diag_print(d, stderr), EXIT_USAGE)
                            : cli_fail(d, st);
    }
    free(buf);
  } else {
    rc = cli_fail(d, st);
  }
  ent_run_destroy(run);
  ent_model_destroy(m);
  ent_diag_destroy(d);
  cli_args_free(&a);
  return rc;
}
