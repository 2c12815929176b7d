/*
 * cli.h -- shared plumbing of the `entente` command: option tables, usage
 * text, command-line diagnostics in file:line:col form (the file is
 * "<command-line>", the column points into the joined arguments), exit
 * codes, and the one path every command takes (cli_main: parse, set up,
 * run the command's body, clean up).  Uses only the public API
 * (entente.h).
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

typedef struct cli_ctx cli_ctx;

/* What cli_main does for a command before its body (flags). */
enum {
  CLI_RUN_OPTS = 1, /* create ctx.ro (the body applies cli_model_options) */
  CLI_MPI = 2       /* start MPI before parsing (under mpirun/srun) */
};

/* Returned by a command's `early` step to go on. */
#define CLI_CONTINUE (-1)

typedef struct cli_cmd {
  const char *name;
  const char *usage;   /* "entente eum TABLE.csv [options]" */
  const char *summary; /* one line */
  const char *details; /* paragraphs after the options, may be NULL */
  const cli_opt *opts; /* terminated by {NULL} */
  int min_args, max_args;
  unsigned formats;    /* --format values accepted (1 << ENT_FORMAT_*); 0:
                          the command has no --format */
  ent_format format;   /* without --format */
  unsigned flags;      /* CLI_* */
  /* Optional: runs right after parsing, before anything else is checked
   * (`run --dump`); returns an exit code, or CLI_CONTINUE. */
  int (*early)(cli_ctx *c);
  /* The command: checks its own options (then cli_usage_errors), does its
   * work and returns the exit code.  cli_main frees what ctx holds. */
  int (*run)(cli_ctx *c);
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

/* One invocation of a command: everything cli_main sets up before the
 * command's body and frees after it. */
struct cli_ctx {
  cli_args a;        /* the parsed command line (a.diag: its problems) */
  ent_format fmt;    /* --format, else the command's default */
  ent_run_opts *ro;  /* CLI_RUN_OPTS: model options, else NULL */
  ent_diag *d;       /* problems in the inputs and of the library */
  ent_model *m;      /* the command's scenario, if it loads one */
  ent_run *run;      /* its run, if it makes one */
  ent_mpi *mpi;      /* CLI_MPI: the communicator under mpirun, or NULL */
  int mpi_abort;     /* end with MPI_Abort (rank 0 failed on its own) */
};

/* The shared path of every command: start MPI (CLI_MPI), parse (--help
 * prints the usage and returns 0; problems are printed and give 2), the
 * early step, create ctx.ro (CLI_RUN_OPTS) and ctx.d, read --format (a
 * bad one is reported in ctx.a.diag, printed by the body's
 * cli_usage_errors together with its own), run the command's body, free
 * everything in ctx (MPI last).  Returns the exit code. */
int cli_main(const cli_cmd *cmd, int argc, char **argv);

/* If the command line has problems, print them and return 1 (the body
 * then returns EXIT_USAGE). */
int cli_usage_errors(cli_args *a);
/* A whole number in [lo, hi] from option `name` into *out (left alone
 * when the option is absent); -1 and a message on a bad value. */
int cli_opt_ulong(cli_args *a, const char *name, unsigned long long lo,
                  unsigned long long hi, unsigned long long *out);

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
/* fputs with terminal controls and bidirectional controls escaped. */
void cli_puts_safe(const char *s, FILE *fp);
/* On a terminal, "WHAT: N s elapsed" on stderr every second while a long
 * computation without progress of its own runs; stop clears the line. */
void cli_ticker_start(const char *what);
void cli_ticker_stop(void);

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

/* Print the failure of writing the output, if st says so; the exit code
 * for st (0, or 1). */
int cli_written(ent_status st);

/* Load SCENARIO: a built-in name (no '/' or .yaml), else a YAML file;
 * NULL loads the default built-in. */
ent_status cli_load_scenario(const char *arg, ent_model **m, ent_diag *d);
/* The same into *m with problems in c->d, and "no built-in scenario" said
 * when there is no such built-in. */
ent_status cli_scenario(cli_ctx *c, const char *arg, ent_model **m);

/* Write every file of a report into dir (made if missing) through
 * temporary files renamed at the end (cmd_report.c); 0, or -1 after
 * printing the reason. */
int cli_write_report(const ent_report *r, const char *dir);

/* The run store of --store, else ./entente.db. */
#define CLI_DEFAULT_STORE "entente.db"
const char *cli_store_path(const cli_args *a);

/* MPI when this process was started by mpirun/srun and the build has it
 * (ranks other than 0 print nothing); NULL otherwise. */
ent_mpi *cli_start_mpi(int *argc, char ***argv);

/* Commands (main.c's table). */
extern const cli_cmd cmd_eum, cmd_smp, cmd_run, cmd_check, cmd_scenarios,
    cmd_backtest, cmd_gravity, cmd_report, cmd_forecast, cmd_compare,
    cmd_runs, cmd_score;

/* Libraries loaded on first use (cairo_lazy.c, cjson_lazy.c): open
 * `soname`, or print "entente: error: NEEDS SONAME: why" and exit
 * EXIT_FAIL (needs: e.g. "charts need"); the address of `name` into *slot
 * (a function pointer), or print "SONAME has no NAME: WITHOUT" and exit
 * EXIT_FAIL (without: e.g. "charts cannot be drawn"). */
void *cli_dl_open(const char *soname, const char *needs);
void cli_dl_resolve(void *h, const char *soname, const char *name,
                    const char *without, void *slot);

#endif /* ENT_CLI_H */
