/*
 * cli.c -- option parsing and command-line diagnostics for `entente`.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
    fprintf(stderr, "%s:%d:%d: %s: %s\n", it->file ? it->file : "entente",
            it->line > 0 ? it->line : 1, it->col > 0 ? it->col : 1,
            it->severity == ENT_SEV_ERROR ? "error" : "warning", it->msg);
    if (it->file && strcmp(it->file, "<command-line>") == 0 && a->line) {
      fprintf(stderr, "    %s\n    %*s^\n", a->line, it->col > 0 ? it->col - 1 : 0,
              "");
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
