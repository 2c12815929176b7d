/*
 * cmd_misc.c -- `entente check` and `entente scenarios`.
 */
#include <string.h>

#include "cli.h"

static const cli_opt check_opts[] = {
    {"table", NULL, "the file is a CSV actor table, not a YAML scenario", 0},
    {NULL, NULL, NULL, 0},
};

static int check_main(cli_ctx *c) {
  ent_status st = cli_has(&c->a, "table")
                      ? ent_table_load_file(c->a.pos[0], &c->m, c->d)
                      : cli_load_scenario(c->a.pos[0], &c->m, c->d);
  if (st == ENT_OK) {
    ent_diag_print(c->d, stderr); /* warnings, if any */
    return ent_model_write_summary(c->m, stdout) == ENT_OK ? EXIT_OK : EXIT_FAIL;
  }
  int rc = cli_fail(c->d, st);
  fprintf(stderr, "%zu problem%s found\n", ent_diag_errors(c->d),
          ent_diag_errors(c->d) == 1 ? "" : "s");
  return rc;
}

const cli_cmd cmd_check = {
    "check",
    "entente check SCENARIO.yaml [--table]",
    "Validate a scenario (or, with --table, a CSV actor table) and print\n"
    "every problem found as file:line:col: error: message, with the line.",
    "Exit status: 0 when the file is valid, 2 when it has problems.\n"
    "A built-in scenario name is accepted too.",
    check_opts,
    1,
    1,
    .run = check_main,
};

static const cli_opt scen_opts[] = {{NULL, NULL, NULL, 0}};

static int scenarios_main(cli_ctx *c) {
  (void)c;
  for (size_t i = 0; i < ent_builtin_count(); i++)
    printf("%-24s %s%s\n", ent_builtin_name(i), ent_builtin_title(i),
           i == 0 ? " (default)" : "");
  return EXIT_OK;
}

const cli_cmd cmd_scenarios = {
    "scenarios",
    "entente scenarios",
    "List the built-in scenarios (run one with 'entente run NAME', print its\n"
    "YAML with 'entente run NAME --dump').",
    NULL,
    scen_opts,
    0,
    0,
    .run = scenarios_main,
};
