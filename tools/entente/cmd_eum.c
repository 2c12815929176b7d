/*
 * cmd_eum.c -- `entente eum TABLE.csv`: one issue, expected-utility model.
 */
#include "cli.h"

static const cli_opt eum_opts[] = {
    {"rounds", "N", "number of bargaining rounds (default 10)", 0},
    {"profile", "P", "scholz2011 (default), mckibben-sanders or paper", 0},
    {"option", "K=V", "model option, repeatable (see below)", 1},
    {"threads", "N", "threads of a round from 96 actors on (default 1; the "
                     "same result for any number)", 0},
    {"format", "F", "text (default) or json", 0},
    {NULL, NULL, NULL, 0},
};

static int eum_main(cli_ctx *c) {
  ent_run_opts_set(c->ro, "robustness=off", "<command-line>", c->a.diag);
  cli_model_options(&c->a, c->ro);
  unsigned long long threads = 1;
  cli_opt_ulong(&c->a, "threads", 1, 64, &threads);
  ent_run_opts_set_threads(c->ro, (int)threads);
  if (cli_usage_errors(&c->a)) return EXIT_USAGE;
  ent_status st = ent_table_load_file(c->a.pos[0], &c->m, c->d);
  cli_ticker_start("eum");
  if (st == ENT_OK) st = ent_run_create(c->m, c->ro, &c->run, c->d);
  cli_ticker_stop();
  if (st != ENT_OK) return cli_fail(c->d, st);
  return cli_written(ent_run_write_eum(c->run, c->fmt, stdout));
}

const cli_cmd cmd_eum = {
    "eum",
    "entente eum TABLE.csv [--rounds N] [--profile P] [--option K=V ...] "
    "[--threads N] [--format text|json]",
    "Bargain one issue with the expected-utility model (Bueno de Mesquita's\n"
    "group-decision model as reconstructed by Scholz, Calbert & Smith 2011)\n"
    "and print the round-by-round positions, the moves and the forecast.",
    "TABLE.csv has the header actor,capability,position,salience (salience on\n"
    "0-100; an optional note column is kept as rationale).\n\n"
    "options (docs/models/eum.md):\n"
    "  prob=global|pair              success probability denominator\n"
    "  votes=curved|linear           votes with risk exponents or linear\n"
    "  b_exponent=receiver|own       exponent for the counterpart's EU\n"
    "  compromise_select=scholz2011|least_move\n"
    "  capitulation=on|off           capitulation offers (default on)\n"
    "  Q=<0..1>                      status-quo probability (default 1)\n"
    "  mu=median|mean                reference point when Q < 1\n"
    "  range=initial|current|fixed:<v>\n"
    "  risk_norm=actors|own_positions\n"
    "  stop=fixed|no_move|median_stable:<eps>,<k>\n"
    "  cycle=flag|stop|off           detect repeated position vectors\n"
    "  window=<k>                    rounds for the convergence read-out\n\n"
    "example: entente eum emissions.csv --rounds 8 --option capitulation=off",
    eum_opts,
    1,
    1,
    .formats = 1u << ENT_FORMAT_TEXT | 1u << ENT_FORMAT_JSON,
    .flags = CLI_RUN_OPTS,
    .run = eum_main,
};
