/*
 * cli.h -- shared plumbing of the `entente` command: option tables, usage
 * text, command-line diagnostics in file:line:col form (the file is
 * "<command-line>", the column points into the joined arguments), and
 * exit codes.  Uses only the public API (entente.h).
 */
#ifndef ENT_CLI_H
#define ENT_CLI_H

#include <stdio.h>

#include "entente.h"

/* Exit codes (DESIGN.md). */
enum {
  EXIT_OK = 0,      /* success */
  EXIT_FAIL = 1,    /* the computation or the output failed */
  EXIT_USAGE = 2    /* bad input: command line, scenario, CSV */
};

typedef struct cli_opt {
  const char *name;    /* long name without "--" */
  const char *metavar; /* NULL: a flag without value */
  const char *help;
  int repeat;          /* may be given more than once */
} cli_opt;

typedef struct cli_cmd {
  const char *name;
  const char *usage;   /* "entente eum TABLE.csv [options]" */
  const char *summary; /* one line */
  const char *details; /* paragraphs after the options, may be NULL */
  const cli_opt *opts; /* terminated by {NULL} */
  int min_args, max_args;
} cli_cmd;

#define CLI_MAX_VALUES 64

/* Parsed arguments of one command. */
typedef struct cli_args {
  const cli_cmd *cmd;
  int argc;
  char **argv;       /* argv[0] is the command name */
  const char *pos[8];
  int pos_argi[8];
  int n_pos;
  struct {
    int opt, argi;
    const char *value;
  } val[CLI_MAX_VALUES];
  int n_val;
  char *line;        /* "entente cmd arg ..." for carets */
  int *col;          /* column of each argv[i] in `line` */
  ent_diag *diag;
} cli_args;

/* Parse argv (argv[0] = command name).  Returns EXIT_OK, or an exit code to
 * return at once (after --help: EXIT_OK with *done set; after an error:
 * EXIT_USAGE, already printed). */
int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *a,
              int *done);
void cli_args_free(cli_args *a);

/* Value of an option (last one wins), NULL if absent.  With argi, the index
 * of the argument that gave it. */
const char *cli_get(const cli_args *a, const char *name, int *argi);
int cli_has(const cli_args *a, const char *name);

/* Report a problem with argument argi (column of that argument). */
void cli_error(cli_args *a, int argi, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Print collected diagnostics to stderr. */
void cli_flush(cli_args *a);

/* --format for a command accepting the formats in `allowed` (a mask of
 * 1 << ENT_FORMAT_*).  Returns 0 or -1 after reporting. */
int cli_format(cli_args *a, unsigned allowed, ent_format *out);

void cli_print_usage(const cli_cmd *cmd, FILE *fp);

/* Apply --profile, --rounds and every --option K=V (in that order) to ro;
 * problems are reported against their arguments.  Options a command does
 * not define are skipped. */
void cli_model_options(cli_args *a, ent_run_opts *ro);

/* Print a library failure: the diagnostics if any, else the status text.
 * Returns the exit code for st (2 for bad input, 1 otherwise). */
int cli_fail(ent_diag *d, ent_status st);

/* Load SCENARIO: a built-in name (no '/' or .yaml), else a YAML file;
 * NULL loads the default built-in. */
ent_status cli_load_scenario(const char *arg, ent_model **m, ent_diag *d);

/* Commands. */
int cmd_eum(int argc, char **argv);
int cmd_smp(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_scenarios(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_gravity(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_runs(int argc, char **argv);

#endif /* ENT_CLI_H */
