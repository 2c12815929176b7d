/*
 * main.c -- the `entente` command: one table of subcommands (git.c style).
 * Each command is a cli_cmd in cmd_<group>.c (its options, usage and
 * body); cli_main (cli.c) takes every one through the same parse, set-up
 * and clean-up.
 */
#include <stdio.h>
#include <string.h>
#ifdef ENT_CLI_SIBLING
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#endif

#include <gsl/gsl_errno.h>

#include "cli.h"

typedef struct command {
  const cli_cmd *cmd;
  const char *summary;
} command;

static const command commands[] = {
    {&cmd_run, "simulate a scenario once (default: built-in russia-china)"},
    {&cmd_eum, "one issue from a CSV actor table, expected-utility model"},
    {&cmd_smp, "KTAB Spatial Model of Politics on a KTAB scenario CSV"},
    {&cmd_check, "validate a scenario and print every problem found"},
    {&cmd_scenarios, "list the built-in scenarios"},
    {&cmd_backtest, "model against observed history (default: russia-china-2013)"},
    {&cmd_forecast, "Monte Carlo forecast: bands, outcome probabilities, sensitivity"},
    {&cmd_compare, "two scenarios' forecasts side by side, differences marked"},
    {&cmd_runs, "list the runs kept in a run store (SQLite)"},
    {&cmd_report, "charts and a self-contained HTML report of a forecast"},
    {&cmd_gravity, "GE structural gravity counterfactual of a trade-cost shock"},
    {&cmd_score, "forecasts scored on a ledger of resolved questions"},
};

static void usage(FILE *fp) {
  fprintf(fp,
          "usage: entente <command> [options] [arguments]\n\n"
          "entente models and forecasts the dynamics of strategic relationships\n"
          "between powers (built-in scenario: Russia-China).\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(fp, "  %-12s %s\n", commands[i].cmd->name, commands[i].summary);
  fprintf(fp,
          "\n'entente <command> --help' describes a command.\n"
          "Exit status: 0 success, 1 failure, 2 bad input or usage.\n");
}

#ifdef ENT_CLI_SIBLING
/* The static binary (meson.build) cannot load Open MPI or cairo: a static
 * glibc program that dlopens a library gets a second copy of libc with it,
 * and Open MPI's threads and plugins, and pixman's thread-local data
 * under cairo, are not safe with that (docs/performance.md, "Seventh
 * round").  Started by mpirun/srun, or for a command that draws charts, it
 * replaces itself with its dynamically linked sibling (ENT_CLI_SIBLING,
 * the same sources linked dynamically, installed in the same directory),
 * found next to /proc/self/exe, with the same arguments and environment.
 * Does not return. */
static void exec_sibling(char **argv, const char *what) {
  static const char sibling[] = ENT_CLI_SIBLING;
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  const char *why = "cannot read /proc/self/exe";
  if (n >= (ssize_t)sizeof path - 1) {
    why = "path too long"; /* perhaps cut short by readlink */
  } else if (n > 0) {
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (slash && (size_t)(slash + 1 - path) + sizeof sibling <= sizeof path) {
      memcpy(slash + 1, sibling, sizeof sibling);
      execv(path, argv);
      why = strerror(errno);
    } else {
      why = "path too long";
    }
  }
  fprintf(stderr,
          "entente: error: %s: this static binary runs it through %s in its "
          "directory, which cannot be run (%s)\n",
          what, sibling, why);
  exit(EXIT_FAIL);
}

/* Whether the command line draws charts: `report`, or `score` with
 * --report (cairo_lazy.c stops any other path that would). */
static int draws_charts(int argc, char **argv) {
  if (argc < 2) return 0;
  if (!strcmp(argv[1], "report")) return 1;
  if (strcmp(argv[1], "score")) return 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--")) break;
    if (!strcmp(argv[i], "--report") || !strncmp(argv[i], "--report=", 9))
      return 1;
  }
  return 0;
}
#endif

int main(int argc, char **argv) {
#ifdef ENT_CLI_SIBLING
  if (ent_ensemble_mpi_launched()) exec_sibling(argv, "started by mpirun/srun");
  if (draws_charts(argc, argv)) exec_sibling(argv, "charts");
#endif
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *name = argv[1];
  if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
    usage(stdout);
    return EXIT_OK;
  }
  if (!strcmp(name, "--version") || !strcmp(name, "version")) {
    printf("entente %s\n", ENT_VERSION);
    return EXIT_OK;
  }
  /* GSL's default handler aborts; every GSL status is checked instead.
   * Done once, before any command runs and any thread starts (not for
   * --help: GSL's code is a page of its own to fault in at start-up). */
  gsl_set_error_handler_off();
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(commands[i].cmd->name, name))
      return cli_main(commands[i].cmd, argc - 1, argv + 1);
  /* Column of the command word in "entente <name>": 9. */
  fprintf(stderr,
          "<command-line>:1:9: error: unknown command '%s' (see 'entente --help')\n"
          "    entente %s\n            ^\n",
          name, name);
  return EXIT_USAGE;
}
