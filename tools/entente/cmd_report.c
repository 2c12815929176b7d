/*
 * cmd_report.c -- `entente report`: charts and a self-contained HTML
 * report of a stored run or forecast, or of a result document given as a
 * file: a run's, a forecast's or a ledger's scores (docs/report.md).
 *
 * Files are written to DIR as temporary files (DIR/.NAME.XXXXXX) and
 * renamed once every one was written, so a failure never leaves a half
 * written report.html or chart behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* A result document is a few MB at most (a forecast of the largest
 * scenario the limits allow); more is not one, and is not read on: a
 * device such as /dev/zero or a huge file is refused after MAX_JSON. */
#define MAX_JSON (64u << 20)

static const cli_opt report_opts[] = {
    {"latest", NULL, "the latest run or forecast in the store", 0},
    {"store", "FILE", "the run store (default " CLI_DEFAULT_STORE ")", 0},
    {"json", "FILE", "a result document instead of a stored run: the output "
                     "of 'entente forecast --format json', 'entente run "
                     "--format json' or 'entente score --format json' "
                     "('-': standard input)", 0},
    {"scenario", "SCENARIO", "the scenario of the result (built-in name or "
                             "YAML file): assumptions and observed history "
                             "(default for a stored run: as stored)", 0},
    {"backtest", "SCENARIO", "scenario of the back-test section, or 'none' "
                             "(default: the scenario if it has history after "
                             "its base year, else russia-china-2013 for a "
                             "Russia-China scenario, else none)", 0},
    {"out", "DIR", "where to write report.html and the charts (default "
                   "'report'; made if missing)", 0},
    {NULL, NULL, NULL, 0},
};


/* Read all of fp into a malloc'd, NUL-terminated buffer. */
static char *slurp(FILE *fp, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  for (;;) {
    if (n + 1 >= cap) {
      if (cap >= MAX_JSON + 1) {
        free(buf);
        errno = EFBIG;
        return NULL;
      }
      size_t ncap = cap * 2 > MAX_JSON + 1 ? MAX_JSON + 1 : cap * 2;
      char *nb = realloc(buf, ncap);
      if (!nb) {
        free(buf);
        return NULL;
      }
      buf = nb;
      cap = ncap;
    }
    size_t k = fread(buf + n, 1, cap - n - 1, fp);
    n += k;
    if (k == 0) break;
  }
  if (ferror(fp)) {
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* mkdir -p. */
static int make_dirs(const char *path) {
  char *p = strdup(path);
  if (!p) return -1;
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0777) && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  int rc = mkdir(p, 0777) && errno != EEXIST ? -1 : 0;
  free(p);
  return rc;
}

/* Write every file of r into dir through temporary files; 0 or -1 after
 * printing the reason. */
int cli_write_report(const ent_report *r, const char *dir) {
  size_t n = ent_report_file_count(r);
  char **tmp = calloc(n ? n : 1, sizeof *tmp);
  if (!tmp) return -1;
  int rc = 0;
  if (make_dirs(dir)) {
    fprintf(stderr, "entente: error: cannot make directory '%s': %s\n", dir,
            strerror(errno));
    free(tmp);
    return -1;
  }
  for (size_t i = 0; i < n && !rc; i++) {
    const char *name = ent_report_file_name(r, i);
    size_t len;
    const unsigned char *data = ent_report_file_data(r, i, &len);
    size_t sz = strlen(dir) + strlen(name) + 16;
    tmp[i] = malloc(sz);
    if (!tmp[i]) {
      rc = -1;
      break;
    }
    snprintf(tmp[i], sz, "%s/.%s.XXXXXX", dir, name);
    int fd = mkstemp(tmp[i]);
    if (fd < 0) {
      fprintf(stderr, "entente: error: cannot write in '%s': %s\n", dir, strerror(errno));
      free(tmp[i]);
      tmp[i] = NULL;
      rc = -1;
      break;
    }
    FILE *fp = fdopen(fd, "wb");
    if (!fp) {
      close(fd);
      rc = -1;
    } else {
      int bad = fwrite(data, 1, len, fp) != len;
      if (fclose(fp) || bad) rc = -1;
    }
    if (!rc) chmod(tmp[i], 0644);
    if (rc) fprintf(stderr, "entente: error: writing '%s': %s\n", tmp[i], strerror(errno));
  }
  for (size_t i = 0; i < n && !rc; i++) {
    const char *name = ent_report_file_name(r, i);
    size_t sz = strlen(dir) + strlen(name) + 2;
    char *final = malloc(sz);
    if (!final) {
      rc = -1;
      break;
    }
    snprintf(final, sz, "%s/%s", dir, name);
    if (rename(tmp[i], final)) {
      fprintf(stderr, "entente: error: cannot rename '%s' to '%s': %s\n", tmp[i],
              final, strerror(errno));
      rc = -1;
    } else {
      free(tmp[i]);
      tmp[i] = NULL;
    }
    free(final);
  }
  for (size_t i = 0; i < n; i++) {
    if (tmp[i]) unlink(tmp[i]);
    free(tmp[i]);
  }
  free(tmp);
  return rc;
}

/* The run of the back-test: --backtest, else the scenario if it has
 * history to compare with, else the built-in russia-china-2013. */
static ent_status backtest_run(cli_args *a, const ent_model *m,
                               ent_model **bm, ent_run **br, ent_diag *d) {
  int argi = 0;
  const char *v = cli_get(a, "backtest", &argi);
  *bm = NULL;
  *br = NULL;
  if (v && !strcmp(v, "none")) return ENT_OK;
  if (!v && m) {
    ent_run *r = NULL;
    ent_diag *tmp = ent_diag_create();
    if (tmp && ent_run_create(m, NULL, &r, tmp) == ENT_OK) {
      FILE *null = fopen("/dev/null", "w");
      ent_status st = null ? ent_run_write_backtest(r, ENT_FORMAT_JSON, null, tmp)
                           : ENT_EIO;
      if (null) fclose(null);
      if (st == ENT_OK) {
        *br = r;
        ent_diag_destroy(tmp);
        return ENT_OK;
      }
    }
    ent_run_destroy(r);
    ent_diag_destroy(tmp);
  }
  /* the Russia-China back-test belongs to the Russia-China scenarios only:
   * another scenario without history of its own gets none */
  const char *id = m ? ent_model_id(m) : NULL;
  if (!v && id && strncmp(id, "russia-china", 12)) return ENT_OK;
  ent_status st = cli_load_scenario(v ? v : "russia-china-2013", bm, d);
  if (st == ENT_ENOTFOUND)
    cli_error(a, argi, "no built-in scenario '%s'", v ? v : "");
  if (st == ENT_OK) st = ent_run_create(*bm, NULL, br, d);
  return st;
}

/* Load --scenario (if given) and the back-test run. */
static ent_status inputs(cli_args *a, ent_model **m, ent_model **bm,
                         ent_run **br, ent_diag *d) {
  int argi = 0;
  ent_status st = ENT_OK;
  const char *sc = cli_get(a, "scenario", &argi);
  if (sc) {
    st = cli_load_scenario(sc, m, d);
    if (st == ENT_ENOTFOUND)
      ent_diag_report(d, ENT_SEV_ERROR, "<command-line>", 1, 1,
                      "no built-in scenario '%s'", sc);
  }
  if (st == ENT_OK) st = backtest_run(a, *m, bm, br, d);
  return st;
}

/* Print what was written. */
static int finish(const ent_report *rep, const char *out) {
  if (cli_write_report(rep, out)) return EXIT_FAIL;
  size_t n = ent_report_file_count(rep);
  printf("%s/report.html (%zu charts as SVG and PNG in %s/)\n", out,
         n > 0 ? (n - 1) / 2 : 0, out);
  return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}

/* The report of run id of the store (0: the latest), or of the result
 * document text[0..len) called name. */
static int report_of(cli_ctx *c, long long id, const char *name,
                     const char *text, size_t len) {
  const char *out = cli_get(&c->a, "out", NULL);
  if (!out) out = "report";
  ent_store *s = NULL;
  ent_model *bm = NULL;
  ent_run *br = NULL;
  ent_report *rep = NULL;
  int rc;
  ent_status st = text ? ENT_OK
                       : ent_store_open(cli_store_path(&c->a), 0, &s, c->d);
  if (st == ENT_OK) st = inputs(&c->a, &c->m, &bm, &br, c->d);
  /* a stored run without --scenario: its scenario as stored (assumptions,
   * anchors, baselines, and its own back-test, if any) */
  if (st == ENT_OK && s && !c->m) {
    ent_run_destroy(br);
    ent_model_destroy(bm);
    br = NULL;
    bm = NULL;
    ent_status ls = ent_store_load_scenario(s, id, &c->m, c->d);
    if (ls == ENT_ENOTFOUND) ls = ENT_OK; /* the report says there is none */
    else if (ls != ENT_OK) {
      /* a stored text this version cannot read: report without it */
      ent_model_destroy(c->m);
      c->m = NULL;
      ent_diag_destroy(c->d);
      c->d = ent_diag_create();
      ls = c->d ? ENT_OK : ENT_ENOMEM;
    }
    st = ls;
    if (st == ENT_OK) st = backtest_run(&c->a, c->m, &bm, &br, c->d);
  }
  if (cli_usage_errors(&c->a)) {
    rc = EXIT_USAGE;
  } else if (st == ENT_OK) {
    st = text ? ent_report_create(name, text, len, c->m, br, &rep, c->d)
              : ent_report_create_stored(s, id, c->m, br, &rep, c->d);
    rc = st == ENT_OK ? finish(rep, out) : cli_fail(c->d, st);
  } else {
    rc = cli_fail(c->d, st);
  }
  ent_report_destroy(rep);
  ent_run_destroy(br);
  ent_model_destroy(bm);
  ent_store_close(s);
  return rc;
}

/* The run id of RUN (0: --latest); -1 after reporting. */
static long long run_id(cli_args *a) {
  if (!a->n_pos) return 0;
  char *end;
  errno = 0;
  long long id = strtoll(a->pos[0], &end, 10);
  if (errno || end == a->pos[0] || *end || id < 1) {
    cli_error(a, a->pos_argi[0], "RUN must be a run id (a whole number >= 1, "
                                 "see 'entente runs'), not '%s'", a->pos[0]);
    return -1;
  }
  return id;
}

static int report_main(cli_ctx *c) {
  cli_args *a = &c->a;
  int json_argi = 0;
  const char *json_path = cli_get(a, "json", &json_argi);
  if (json_path && (a->n_pos || cli_has(a, "latest")))
    cli_error(a, json_argi, "--json and a stored run (RUN or --latest) exclude "
                            "each other");
  else if (!json_path && !a->n_pos && !cli_has(a, "latest"))
    cli_error(a, a->argc, "which run? give RUN, --latest or --json FILE");
  else if (a->n_pos && cli_has(a, "latest"))
    cli_error(a, a->pos_argi[0], "RUN and --latest exclude each other");
  if (cli_usage_errors(a)) return EXIT_USAGE;
  if (!json_path) {
    long long id = run_id(a);
    if (cli_usage_errors(a)) return EXIT_USAGE;
    return report_of(c, id, NULL, NULL, 0);
  }
  /* the result document */
  char *text = NULL;
  size_t len = 0;
  const char *name = json_path;
  if (!strcmp(json_path, "-")) {
    name = "<stdin>";
    text = slurp(stdin, &len);
  } else {
    FILE *fp = fopen(json_path, "rb");
    if (fp) {
      text = slurp(fp, &len);
      fclose(fp);
    }
  }
  if (!text && errno == EFBIG) {
    cli_error(a, json_argi, "'%s' is larger than %u MiB: not a result "
                            "document (nothing more was read)", json_path,
              MAX_JSON >> 20);
    cli_flush(a);
    return EXIT_USAGE;
  }
  if (!text) {
    cli_error(a, json_argi, "cannot read '%s': %s", json_path, strerror(errno));
    cli_flush(a);
    return EXIT_USAGE;
  }
  int rc = report_of(c, 0, name, text, len);
  free(text);
  return rc;
}

const cli_cmd cmd_report = {
    "report",
    "entente report RUN|--latest [--store FILE] [--out DIR]\n"
    "       entente report --json FILE [--scenario SCENARIO] [--out DIR]",
    "Write the charts of a forecast (fan charts of every yearly variable,\n"
    "the distribution of each contested question, the relationship map,\n"
    "the sensitivity ranking, the back-test) as SVG and PNG, and one\n"
    "self-contained report.html that embeds them with the scenario's\n"
    "assumptions, the forecast in words and the tables behind the charts.\n"
    "The document of 'entente score --format json' gives the score report\n"
    "(the score table, the calibration chart, the questions), as 'entente\n"
    "score --report DIR' does.",
    "RUN is the id of a run or forecast in the store ('entente runs' lists\n"
    "them).  The report opens from disk and loads nothing from the network.\n"
    "docs/report.md describes every chart.\n\n"
    "examples:\n"
    "  entente report --latest --out report\n"
    "  entente forecast --format json > f.json && entente report --json f.json",
    report_opts,
    0,
    1,
    .run = report_main,
};
