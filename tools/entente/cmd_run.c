/*
 * cmd_run.c -- `entente run [SCENARIO]`: simulate a scenario once, and
 * `entente backtest`: a run compared with observed history.
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

/* --dump: the YAML text of a built-in scenario (nothing else is checked). */
static int run_dump(cli_ctx *c) {
  if (!cli_has(&c->a, "dump")) return CLI_CONTINUE;
  const char *arg = c->a.n_pos ? c->a.pos[0] : NULL;
  const char *text = ent_builtin_text(arg);
  if (!text) {
    cli_error(&c->a, c->a.n_pos ? c->a.pos_argi[0] : 1,
              "--dump needs a built-in scenario name, not '%s'", arg);
    cli_flush(&c->a);
    return EXIT_USAGE;
  }
  fputs(text, stdout);
  return EXIT_OK;
}

static int run_main(cli_ctx *c) {
  cli_model_options(&c->a, c->ro);
  if (cli_usage_errors(&c->a)) return EXIT_USAGE;
  ent_status st = cli_scenario(c, c->a.n_pos ? c->a.pos[0] : NULL, &c->m);
  /* --store: opened first, so a refused file stops us before any output */
  ent_store *store = NULL;
  const char *store_path = cli_get(&c->a, "store", NULL);
  if (st == ENT_OK && store_path)
    st = ent_store_open(store_path, 1, &store, c->d);
  cli_ticker_start("run");
  if (st == ENT_OK) st = ent_run_create(c->m, c->ro, &c->run, c->d);
  cli_ticker_stop();
  long long sid = 0;
  if (st == ENT_OK && store &&
      (st = ent_store_add_run(store, c->run, c->ro, &sid, c->d)) == ENT_OK)
    fprintf(stderr, "entente: run kept as run %lld in %s\n", sid, store_path);
  ent_store_close(store);
  if (st != ENT_OK) return cli_fail(c->d, st);
  return cli_written(ent_run_write(c->run, c->fmt, stdout));
}

const cli_cmd cmd_run = {
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
    .formats = 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON | 1u << ENT_FORMAT_CSV,
    .flags = CLI_RUN_OPTS,
    .early = run_dump,
    .run = run_main,
};

/* ------------------------------------------------------------ backtest */

static const cli_opt bt_opts[] = {
    {"format", "F", "text (default) or json", 0},
    {NULL, NULL, NULL, 0},
};

static int backtest_main(cli_ctx *c) {
  if (cli_usage_errors(&c->a)) return EXIT_USAGE;
  const char *arg = c->a.n_pos ? c->a.pos[0] : "russia-china-2013";
  ent_status st = cli_load_scenario(arg, &c->m, c->d);
  if (st == ENT_OK) st = ent_run_create(c->m, NULL, &c->run, c->d);
  if (st != ENT_OK) return cli_fail(c->d, st);
  /* render into memory first: no partial output on failure */
  char *buf = NULL;
  size_t len = 0;
  int rc;
  FILE *mem = open_memstream(&buf, &len);
  st = mem ? ent_run_write_backtest(c->run, c->fmt, mem, c->d) : ENT_ENOMEM;
  if (mem) fclose(mem);
  if (st == ENT_OK)
    rc = fwrite(buf, 1, len, stdout) == len && fflush(stdout) == 0 ? EXIT_OK
                                                                   : EXIT_FAIL;
  else
    rc = st == ENT_EINVAL ? (ent_diag_print(c->d, stderr), EXIT_USAGE)
                          : cli_fail(c->d, st);
  free(buf);
  return rc;
}

const cli_cmd cmd_backtest = {
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
    .formats = 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON,
    .run = backtest_main,
};
