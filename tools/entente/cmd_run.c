/*
 * cmd_run.c -- `entente run [SCENARIO]`: simulate a scenario once, and
 * `entente backtest`: a run compared with observed history.
 */
#include <errno.h>
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
    {"runs", "N", "members of the ensemble of the bands, 1..100000 (default: "
                  "no bands)", 0},
    {"seed", "S", "master seed of the bands, 0..2^53-1 (default 1)", 0},
    {"threads", "T", "threads of the bands' ensemble, 1..256 (default 1)", 0},
    {"no-ex-ante", NULL, "leave out the ex-ante run", 0},
    {NULL, NULL, NULL, 0},
};

static int backtest_main(cli_ctx *c) {
  ent_backtest_opts o;
  ent_backtest_opts_init(&o);
  unsigned long long runs = 0, seed = o.seed, threads = (unsigned long long)o.threads;
  int bad = cli_opt_ulong(&c->a, "runs", 1, 100000ull, &runs);
  bad |= cli_opt_ulong(&c->a, "seed", 0, 9007199254740991ull, &seed);
  bad |= cli_opt_ulong(&c->a, "threads", 1, 256, &threads);
  if (cli_usage_errors(&c->a) || bad) return EXIT_USAGE;
  o.runs = (unsigned long)runs;
  o.seed = seed;
  o.threads = (int)threads;
  o.ex_ante = !cli_has(&c->a, "no-ex-ante");
  const char *arg = c->a.n_pos ? c->a.pos[0] : "russia-china-2013";
  ent_status st = cli_load_scenario(arg, &c->m, c->d);
  if (st != ENT_OK) return cli_fail(c->d, st);
  /* render into memory first: no partial output on failure */
  char *buf = NULL;
  size_t len = 0;
  int rc;
  FILE *mem = open_memstream(&buf, &len);
  st = mem ? ent_backtest_write(c->m, &o, c->fmt, mem, c->d) : ENT_ENOMEM;
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
    "entente backtest [SCENARIO] [--runs N] [--seed S] [--threads T] "
    "[--no-ex-ante] [--format text|json]",
    "Run a scenario from its base-year data and compare the model with the\n"
    "observed history it carries, twice: with realised inputs (the GDP\n"
    "paths and shocks as they happened, listed) and ex ante (growth as\n"
    "forecast in the base year, only shocks and channels announced by\n"
    "then).  Per year the actual and model values; per series the mean\n"
    "absolute percentage error (MAPE) and bias (mean forecast/actual) of\n"
    "the model and of three baselines: persistence (the last observed value\n"
    "at or before the base year), a random walk with drift estimated on the\n"
    "years up to the base year, and the log-linear trend fitted to them.\n"
    "A tie is reported as a tie.  With --runs, the model's 80% and 90%\n"
    "bands from an ensemble of the scenario's uncertain inputs and how many\n"
    "observed values they cover.",
    "SCENARIO defaults to the built-in russia-china-2013 (base year 2013);\n"
    "--runs needs a scenario with uncertain inputs, e.g.\n"
    "russia-china-2013-uncertain.  Same seed -> same bands for any\n"
    "--threads.  See docs/backtest.md.  JSON: the headline series (total\n"
    "Russia-China trade): years[] {year, actual, model, persistence, drift,\n"
    "trend, q05..q95}, mape and bias {model, persistence, drift, trend},\n"
    "best, tied, vs, coverage; series[] with every compared series;\n"
    "realised_inputs[]; ex_ante {the same for the ex-ante run}.\n\n"
    "examples:\n"
    "  entente backtest\n"
    "  entente backtest russia-china-2013-uncertain --runs 1000 --threads 2\n"
    "  entente backtest russia-china-uncertain --runs 1000 --format json",
    bt_opts,
    0,
    1,
    .formats = 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON,
    .run = backtest_main,
};
