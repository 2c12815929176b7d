/*
 * cli.c -- option parsing, command-line diagnostics and the one path every
 * `entente` command takes (cli_main).
 */
#include "cli.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cli_print_usage(const cli_cmd *cmd, FILE *fp) {
  fprintf(fp, "usage: %s\n\n%s\n", cmd->usage, cmd->summary);
  if (cmd->opts && cmd->opts[0].name) {
    fprintf(fp, "\noptions:\n");
    for (const cli_opt *o = cmd->opts; o->name; o++) {
      char left[64];
      if (o->metavar)
        snprintf(left, sizeof left, "--%s %s", o->name, o->metavar);
      else
        snprintf(left, sizeof left, "--%s", o->name);
      fprintf(fp, "  %-24s %s\n", left, o->help);
    }
  }
  fprintf(fp, "  %-24s %s\n", "-h, --help", "show this help and exit");
  if (cmd->details) fprintf(fp, "\n%s\n", cmd->details);
}

/* The byte length of a control character or bidirectional control at u
 * (0: none), its code point in *cp -- the library's rule (ent_text_unsafe:
 * C0 but tab/LF, DEL, C1, U+061C, U+200E/F, U+202A..E, U+2066..9). */
static int unsafe_at(const unsigned char *u, unsigned *cp) {
  if ((u[0] < 0x20 && u[0] != '\t' && u[0] != '\n' && u[0]) || u[0] == 0x7f) {
    *cp = u[0];
    return 1;
  }
  if (u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F) {
    *cp = u[1];
    return 2;
  }
  if (u[0] == 0xD8 && u[1] == 0x9C) {
    *cp = 0x061C;
    return 2;
  }
  if (u[0] == 0xE2 && (u[1] == 0x80 || u[1] == 0x81) && u[2]) {
    unsigned v = 0x2000u + ((unsigned)(u[1] & 0x3F) << 6) + (u[2] & 0x3Fu);
    if (v == 0x200E || v == 0x200F || (v >= 0x202A && v <= 0x202E) ||
        (v >= 0x2066 && v <= 0x2069)) {
      *cp = v;
      return 3;
    }
  }
  return 0;
}

void cli_puts_safe(const char *s, FILE *fp) {
  for (const unsigned char *u = (const unsigned char *)s; *u;) {
    unsigned c = 0;
    int k = unsafe_at(u, &c);
    if (k) {
      fprintf(fp, c < 0x100 ? "\\x%02x" : "\\u%04x", c);
      u += k;
    } else {
      fputc(*u++, fp);
    }
  }
}

static int cli_unsafe(const char *s) {
  unsigned c;
  for (const unsigned char *u = (const unsigned char *)s; *u; u++)
    if (unsafe_at(u, &c)) return 1;
  return 0;
}

static void build_line(cli_args *a) {
  size_t len = strlen("entente") + 1;
  for (int i = 0; i < a->argc; i++) len += strlen(a->argv[i]) + 1;
  a->line = malloc(len + 1);
  a->col = malloc(sizeof(int) * (size_t)(a->argc + 1));
  if (!a->line || !a->col) return;
  strcpy(a->line, "entente");
  size_t at = strlen(a->line);
  for (int i = 0; i < a->argc; i++) {
    a->line[at++] = ' ';
    a->col[i] = (int)at + 1;
    strcpy(a->line + at, a->argv[i]);
    at += strlen(a->argv[i]);
  }
  a->line[at] = '\0';
}

void cli_error(cli_args *a, int argi, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  int col = 1;
  if (a->col && argi >= 0 && argi < a->argc) col = a->col[argi];
  else if (a->line && argi >= a->argc) col = (int)strlen(a->line) + 2; /* past the end */
  ent_diag_report(a->diag, ENT_SEV_ERROR, "<command-line>", 1, col, "%s", msg);
}

void cli_flush(cli_args *a) {
  if (!a->diag || ent_diag_count(a->diag) == 0) return;
  /* Print with the command line quoted under each problem. */
  for (size_t i = 0; i < ent_diag_count(a->diag); i++) {
    const ent_diag_item *it = ent_diag_get(a->diag, i);
    /* arguments never reach the terminal raw (ent_text_unsafe) */
    cli_puts_safe(it->file ? it->file : "entente", stderr);
    fprintf(stderr, ":%d:%d: %s: ", it->line > 0 ? it->line : 1,
            it->col > 0 ? it->col : 1,
            it->severity == ENT_SEV_ERROR ? "error" : "warning");
    cli_puts_safe(it->msg, stderr);
    fputc('\n', stderr);
    if (it->file && strcmp(it->file, "<command-line>") == 0 && a->line) {
      fputs("    ", stderr);
      cli_puts_safe(a->line, stderr);
      fprintf(stderr, "\n    %*s^\n", it->col > 0 ? it->col - 1 : 0, "");
    }
  }
}

int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *a,
              int *done) {
  memset(a, 0, sizeof *a);
  *done = 0;
  a->cmd = cmd;
  a->argc = argc;
  a->argv = argv;
  a->diag = ent_diag_create();
  build_line(a);
  if (!a->diag || !a->line || !a->col) {
    fprintf(stderr, "entente: out of memory\n");
    return EXIT_FAIL;
  }
  /* a file name is printed back (messages, "FILE: ok"): no terminal
   * control may come in this way either */
  for (int i = 1; i < argc; i++)
    if (cli_unsafe(argv[i]))
      cli_error(a, i, "argument with a control character or a bidirectional "
                      "control: not allowed (rename the file)");
  int only_pos = 0;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (!only_pos && (!strcmp(s, "-h") || !strcmp(s, "--help"))) {
      cli_print_usage(cmd, stdout);
      *done = 1;
      return EXIT_OK;
    }
    if (!only_pos && !strcmp(s, "--")) {
      only_pos = 1;
      continue;
    }
    if (!only_pos && s[0] == '-' && s[1] != '\0') {
      if (s[1] != '-') {
        cli_error(a, i, "unknown option '%s' (options are spelt --name)", s);
        continue;
      }
      const char *name = s + 2, *eq = strchr(name, '=');
      size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
      const cli_opt *o = NULL;
      int idx = 0;
      for (const cli_opt *p = cmd->opts; p && p->name; p++, idx++)
        if (strlen(p->name) == nlen && !strncmp(p->name, name, nlen)) {
          o = p;
          break;
        }
      if (!o) {
        cli_error(a, i, "unknown option '--%.*s' for '%s' (see 'entente %s --help')",
                  (int)nlen, name, cmd->name, cmd->name);
        continue;
      }
      const char *value = NULL;
      int vi = i;
      if (o->metavar) {
        if (eq) {
          value = eq + 1;
        } else if (i + 1 < argc) {
          value = argv[++i];
          vi = i;
        } else {
          cli_error(a, i, "option '--%s' needs a value %s", o->name, o->metavar);
          continue;
        }
      } else if (eq) {
        cli_error(a, i, "option '--%s' takes no value", o->name);
        continue;
      }
      if (o->metavar && value && !*value) {
        /* --store '' would be a temporary database lost at exit */
        cli_error(a, vi, "option '--%s' needs a value %s, not an empty text",
                  o->name, o->metavar);
        continue;
      }
      if (!o->repeat)
        for (int k = 0; k < a->n_val; k++)
          if (a->val[k].opt == idx) {
            cli_error(a, i, "option '--%s' given more than once", o->name);
            break;
          }
      if (a->n_val >= CLI_MAX_VALUES) {
        cli_error(a, i, "too many options");
        continue;
      }
      a->val[a->n_val].opt = idx;
      a->val[a->n_val].argi = vi;
      a->val[a->n_val].value = value;
      a->n_val++;
      continue;
    }
    if (a->n_pos >= cmd->max_args || a->n_pos >= 8) {
      cli_error(a, i, "unexpected argument '%s'", s);
      continue;
    }
    a->pos[a->n_pos] = s;
    a->pos_argi[a->n_pos] = i;
    a->n_pos++;
  }
  if (a->n_pos < cmd->min_args)
    cli_error(a, argc, "'%s' needs %d argument%s (usage: %s)", cmd->name,
              cmd->min_args, cmd->min_args == 1 ? "" : "s", cmd->usage);
  if (ent_diag_errors(a->diag)) {
    cli_flush(a);
    return EXIT_USAGE;
  }
  return EXIT_OK;
}

void cli_args_free(cli_args *a) {
  ent_diag_destroy(a->diag);
  free(a->line);
  free(a->col);
  memset(a, 0, sizeof *a);
}

static int opt_index(const cli_cmd *cmd, const char *name) {
  int i = 0;
  for (const cli_opt *p = cmd->opts; p && p->name; p++, i++)
    if (!strcmp(p->name, name)) return i;
  return -1;
}

const char *cli_get(const cli_args *a, const char *name, int *argi) {
  int idx = opt_index(a->cmd, name);
  const char *v = NULL;
  for (int k = 0; k < a->n_val; k++)
    if (a->val[k].opt == idx) {
      v = a->val[k].value;
      if (argi) *argi = a->val[k].argi;
    }
  return v;
}

int cli_has(const cli_args *a, const char *name) {
  int idx = opt_index(a->cmd, name);
  for (int k = 0; k < a->n_val; k++)
    if (a->val[k].opt == idx) return 1;
  return 0;
}

int cli_format(cli_args *a, unsigned allowed, ent_format *out) {
  int argi = 0;
  const char *v = cli_get(a, "format", &argi);
  *out = ENT_FORMAT_TEXT;
  if (!v) return 0;
  static const char *names[] = {"text", "json", "csv"};
  for (unsigned f = 0; f < 3; f++)
    if (!strcmp(v, names[f]) && (allowed & (1u << f))) {
      *out = (ent_format)f;
      return 0;
    }
  char list[64] = "";
  for (unsigned f = 0; f < 3; f++)
    if (allowed & (1u << f)) {
      if (list[0]) strcat(list, ", ");
      strcat(list, names[f]);
    }
  cli_error(a, argi, "unknown format '%s' (one of: %s)", v, list);
  return -1;
}

static void set_one(cli_args *a, ent_run_opts *ro, const char *kv, int argi) {
  ent_diag *tmp = ent_diag_create();
  if (!tmp) return;
  if (ent_run_opts_set(ro, kv, "<command-line>", tmp) != ENT_OK) {
    const ent_diag_item *it = ent_diag_get(tmp, 0);
    cli_error(a, argi, "%s", it ? it->msg : "bad option");
  }
  ent_diag_destroy(tmp);
}

void cli_model_options(cli_args *a, ent_run_opts *ro) {
  char kv[512];
  int argi = 0;
  const char *v;
  if (opt_index(a->cmd, "profile") >= 0 && (v = cli_get(a, "profile", &argi))) {
    snprintf(kv, sizeof kv, "profile=%s", v);
    set_one(a, ro, kv, argi);
  }
  if (opt_index(a->cmd, "rounds") >= 0 && (v = cli_get(a, "rounds", &argi))) {
    snprintf(kv, sizeof kv, "rounds=%s", v);
    set_one(a, ro, kv, argi);
  }
  int oi = opt_index(a->cmd, "option");
  for (int k = 0; oi >= 0 && k < a->n_val; k++)
    if (a->val[k].opt == oi) set_one(a, ro, a->val[k].value, a->val[k].argi);
}

int cli_fail(ent_diag *d, ent_status st) {
  ent_diag_print(d, stderr);
  if (ent_diag_count(d) == 0)
    fprintf(stderr, "entente: error: %s\n", ent_status_str(st));
  return st == ENT_EINPUT || st == ENT_EIO || st == ENT_ENOTFOUND ? EXIT_USAGE
                                                                  : EXIT_FAIL;
}

int cli_written(ent_status st) {
  if (st != ENT_OK)
    fprintf(stderr, "entente: error: writing output: %s\n", ent_status_str(st));
  return st == ENT_OK ? EXIT_OK : EXIT_FAIL;
}

/* ------------------------------------------------------------ inputs */

ent_status cli_load_scenario(const char *arg, ent_model **m, ent_diag *d) {
  if (!arg) return ent_builtin_load(NULL, m, d);
  if (ent_builtin_text(arg) && !strchr(arg, '/') && !strstr(arg, ".yaml") &&
      !strstr(arg, ".yml"))
    return ent_builtin_load(arg, m, d);
  return ent_scenario_load_file(arg, m, d);
}

ent_status cli_scenario(cli_ctx *c, const char *arg, ent_model **m) {
  ent_status st = cli_load_scenario(arg, m, c->d);
  if (st == ENT_ENOTFOUND)
    ent_diag_report(c->d, ENT_SEV_ERROR, "<command-line>", 1, 1,
                    "no built-in scenario '%s'", arg ? arg : "");
  return st;
}

const char *cli_store_path(const cli_args *a) {
  const char *p = cli_get(a, "store", NULL);
  return p ? p : CLI_DEFAULT_STORE;
}

ent_mpi *cli_start_mpi(int *argc, char ***argv) {
  ent_mpi *mpi = NULL;
  if (!ent_ensemble_mpi_launched()) return NULL;
  if (!ent_ensemble_mpi_available()) {
    fprintf(stderr, "entente: warning: started by mpirun/srun, but this build "
                    "has no MPI: every process computes the whole forecast\n");
    return NULL;
  }
  if (ent_ensemble_mpi_init(argc, argv, &mpi) != ENT_OK) {
    fprintf(stderr, "entente: error: MPI could not be started\n");
    exit(EXIT_FAIL);
  }
  if (ent_ensemble_mpi_rank(mpi) != 0) {
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
      return mpi;
  }
  return mpi;
}

/* ------------------------------------------------------------ commands */

int cli_opt_ulong(cli_args *a, const char *name, unsigned long long lo,
                  unsigned long long hi, unsigned long long *out) {
  int argi = 0;
  const char *v = cli_get(a, name, &argi);
  if (!v) return 0;
  char *end;
  errno = 0;
  unsigned long long x = strtoull(v, &end, 10);
  if (errno || end == v || *end || v[0] == '-' || x < lo || x > hi) {
    cli_error(a, argi, "--%s must be a whole number in [%llu, %llu], not '%s'",
              name, lo, hi, v);
    return -1;
  }
  *out = x;
  return 0;
}

int cli_usage_errors(cli_args *a) {
  if (!ent_diag_errors(a->diag)) return 0;
  cli_flush(a);
  return 1;
}

/* What every command needs before its body; CLI_CONTINUE or an exit
 * code. */
static int set_up(const cli_cmd *cmd, cli_ctx *c) {
  if (cmd->early) {
    int rc = cmd->early(c);
    if (rc != CLI_CONTINUE) return rc;
  }
  if ((cmd->flags & CLI_RUN_OPTS) && !(c->ro = ent_run_opts_create()))
    return EXIT_FAIL;
  if (!(c->d = ent_diag_create())) {
    fprintf(stderr, "entente: error: out of memory\n");
    return EXIT_FAIL;
  }
  c->fmt = cmd->format;
  if (cmd->formats && cli_has(&c->a, "format"))
    cli_format(&c->a, cmd->formats, &c->fmt);
  return CLI_CONTINUE;
}

int cli_main(const cli_cmd *cmd, int argc, char **argv) {
  cli_ctx c;
  memset(&c, 0, sizeof c);
  if (cmd->flags & CLI_MPI) c.mpi = cli_start_mpi(&argc, &argv);
  int done;
  int rc = cli_parse(cmd, argc, argv, &c.a, &done);
  if (rc == EXIT_OK && !done) {
    rc = set_up(cmd, &c);
    if (rc == CLI_CONTINUE) rc = cmd->run(&c);
  }
  ent_run_destroy(c.run);
  ent_model_destroy(c.m);
  ent_diag_destroy(c.d);
  ent_run_opts_destroy(c.ro);
  cli_args_free(&c.a);
  ent_ensemble_mpi_finalize(c.mpi, c.mpi_abort);
  return rc;
}

/* ------------------------------------------------------------ ticker */

/* The time elapsed, on stderr when it is a terminal, while a computation
 * that has no progress of its own (run, eum, smp) takes longer than a
 * second.  One at a time; the CLI's own state. */
static struct {
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int on, stop, drawn;
  const char *what;
} ticker = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *tick(void *arg) {
  (void)arg;
  struct timespec t0;
  clock_gettime(CLOCK_REALTIME, &t0);
  pthread_mutex_lock(&ticker.mu);
  for (long s = 1; !ticker.stop; s++) {
    struct timespec until = t0;
    until.tv_sec += s;
    while (!ticker.stop &&
           pthread_cond_timedwait(&ticker.cv, &ticker.mu, &until) == 0) {
    }
    if (ticker.stop) break;
    fprintf(stderr, "\r%s: %ld s elapsed ", ticker.what, s);
    fflush(stderr);
    ticker.drawn = 1;
  }
  pthread_mutex_unlock(&ticker.mu);
  return NULL;
}

void cli_ticker_start(const char *what) {
  if (ticker.on || !isatty(2)) return;
  ticker.what = what;
  ticker.stop = 0;
  ticker.drawn = 0;
  ticker.on = pthread_create(&ticker.th, NULL, tick, NULL) == 0;
}

void cli_ticker_stop(void) {
  if (!ticker.on) return;
  pthread_mutex_lock(&ticker.mu);
  ticker.stop = 1;
  pthread_cond_signal(&ticker.cv);
  pthread_mutex_unlock(&ticker.mu);
  pthread_join(ticker.th, NULL);
  ticker.on = 0;
  if (ticker.drawn) fprintf(stderr, "\r%*s\r", 60, "");
}

/* ------------------------------------------------------------ lazy libraries */

void *cli_dl_open(const char *soname, const char *needs) {
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "entente: error: %s %s: %s\n", needs, soname, dlerror());
    exit(EXIT_FAIL);
  }
  return h;
}

void cli_dl_resolve(void *h, const char *soname, const char *name,
                    const char *without, void *slot) {
  void *p = dlsym(h, name);
  if (!p) {
    fprintf(stderr, "entente: error: %s has no %s: %s\n", soname, name,
            without);
    exit(EXIT_FAIL);
  }
  memcpy(slot, &p, sizeof p); /* object to function pointer, as POSIX allows */
}
