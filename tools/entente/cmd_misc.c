/*
 * cmd_misc.c -- `entente check` and `entente scenarios`.
 */
#include <string.h>

#include "cli.h"

static const cli_opt check_opts[] = {
    {"table", NULL, "the file is a CSV actor table, not a YAML scenario", 0},
    {NULL, NULL, NULL, 0},
};

static const cli_cmd check_cmd = {
    "check",
    "entente check SCENARIO.yaml [--table]",
    "Validate a scenario (or, with --table, a CSV actor table) and print\n"
    "every problem found as file:line:col: error: message, with the line.",
    "Exit status: 0 when the file is valid, 2 when it has problems.\n"
    "A built-in scenario name is accepted too.",
    check_opts,
    1,
    1,
};

int cmd_check(int argc, char **argv) {
  cli_args a;
  int done;
  int rc = cli_parse(&check_cmd, argc, argv, &a, &done);
  if (rc != EXIT_OK || done) {
    cli_args_free(&a);
    return rc;
  }
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  ent_status st = cli_has(&a, "table") ? ent_table_load_file(a.pos[0], &m, d)
                                       : cli_load_scenario(a.pos[0], &m, d);
  if (st == ENT_OK) {
    ent_diag_print(d, stderr); /* warnings, if any */
    rc = ent_model_write_summary(m, stdout) == ENT_OK ? EXIT_OK : EXIT_FAIL;
  } else {
    rc = cli_fail(d, st);
    fprintf(stderr, "%zu problem%s found\n", ent_diag_errors(d),
            ent_diag_errors(d) == 1 ? "" : "s");
  }
  ent_model_destroy(m);
  ent_diag_destroy(d);
  cli_args_free(&a);
  return rc;
}

static const cli_opt scen_opts[] = {{NULL, NULL, NULL, 0}};

static const cli_cmd scen_cmd = {
    "scenarios",
    "entente scenarios",
    "List the built-in scenarios (run one with 'entente run NAME', print its\n"
    "YAML with 'entente run NAME --dump').",
    NULL,
    scen_opts,
    0,
    0,
};

int cmd_scenarios(int argc, char **argv) {
  cli_args a;
  int done;
  int rc = cli_parse(&scen_cmd, argc, argv, &a, &done);
  if (rc != EXIT_OK || done) {
    cli_args_free(&a);
    return rc;
  }
  for (size_t i = 0; i < ent_builtin_count(); i++)
    printf("%-24s %s%s\n", ent_builtin_name(i), ent_builtin_title(i),
           i == 0 ? " (default)" : "");
  cli_args_free(&a);
  return EXIT_OK;
}
