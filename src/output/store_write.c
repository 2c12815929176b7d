/*
 * store_write.c -- the public ent_store_* functions that write (entente.h;
 * docs/store.md): keep a single run or the end of a forecast, which first
 * renders the output document (the JSON of `--format json`) and hands its
 * text to the run store, and list or show what a store keeps.  They live
 * in the output layer because they call renderers; store/store.c itself
 * only saves and loads.  Thin on purpose: the JSON of a run or forecast
 * is the renderers' (ent_run_write, ent_ensemble_write), the SQL the
 * store's.
 *
 * `entente runs` (text): one line per run, columns
 *   id, kind, status, scenario (28 characters at most), done/runs, seed
 *   ('-' for a single run), started, the first 12 digits of the hash;
 * (JSON): an array of {id, kind, status, scenario, source, done, runs,
 *   seed (forecasts), started, version, scenario_hash}.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/cjson_print.h"
#include "base/diag.h"
#include "ensemble/ensemble.h"
#include "sim/sim.h"
#include "store/store.h"

/* ------------------------------------------------------------ keeping */

/* The JSON document of a run or forecast in memory (malloc'd by
 * open_memstream: free it with free()), or NULL. */
static char *render(const ent_run *r, const ent_ensemble *e) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (!mem) return NULL;
  ent_status st = r ? ent_run_write(r, ENT_FORMAT_JSON, mem)
                    : ent_ensemble_write(e, ENT_FORMAT_JSON, mem);
  fclose(mem);
  if (st != ENT_OK) {
    free(buf);
    return NULL;
  }
  return buf;
}

ent_status ent_store_add_run(ent_store *s, const ent_run *r,
                             const ent_run_opts *o, long long *id,
                             ent_diag *d) {
  if (!s || !r) return ENT_EINVAL;
  char *doc = render(r, NULL);
  ent_status st = doc ? ent_store_save_run(s, r->m, o, doc, id, d) : ENT_ENOMEM;
  free(doc);
  return st;
}

ent_status ent_store_finish_forecast(ent_store *s, long long id,
                                     const ent_ensemble *e, int keep_members,
                                     ent_diag *d) {
  if (!s || !e) return ENT_EINVAL;
  char *doc = render(NULL, e);
  if (!doc) return ENT_ENOMEM;
  ent_status st = ent_store_save_output(s, id, doc, ent_ensemble_complete(e),
                                        ent_ensemble_done(e), keep_members, d);
  free(doc);
  return st;
}

/* ------------------------------------------------------------ reading */

static const char *or_empty(const char *s) { return s ? s : ""; }

static ent_status list_json(void *ctx, const ent_store_row *r) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)r->id);
  cJSON_AddStringToObject(o, "kind", or_empty(r->kind));
  cJSON_AddStringToObject(o, "status", or_empty(r->status));
  cJSON_AddStringToObject(o, "scenario", or_empty(r->scenario));
  cJSON_AddStringToObject(o, "source", or_empty(r->source));
  cJSON_AddNumberToObject(o, "done", (double)r->done);
  cJSON_AddNumberToObject(o, "runs", (double)r->runs);
  if (r->has_seed) cJSON_AddNumberToObject(o, "seed", (double)r->seed);
  cJSON_AddStringToObject(o, "started", or_empty(r->started));
  cJSON_AddStringToObject(o, "version", or_empty(r->version));
  cJSON_AddStringToObject(o, "scenario_hash", or_empty(r->hash));
  cJSON_AddItemToArray(ctx, o);
  return ENT_OK;
}

static ent_status list_text(void *ctx, const ent_store_row *r) {
  char rs[32], seed[24] = "-";
  snprintf(rs, sizeof rs, "%lld/%lld", r->done, r->runs);
  if (r->has_seed) snprintf(seed, sizeof seed, "%lld", r->seed);
  ent_strbuf_printf(ctx, "%5lld  %-8s  %-11s  %-28.28s  %13s  %6s  %-20s  %.12s\n",
                    r->id, or_empty(r->kind), or_empty(r->status),
                    or_empty(r->scenario), rs, seed, or_empty(r->started),
                    or_empty(r->hash));
  return ENT_OK;
}

ent_status ent_store_list(ent_store *s, ent_format f, FILE *fp) {
  cJSON *arr = f == ENT_FORMAT_JSON ? cJSON_CreateArray() : NULL;
  if (f == ENT_FORMAT_JSON && !arr) return ENT_ENOMEM;
  ent_strbuf b;
  ent_strbuf_init(&b);
  if (f == ENT_FORMAT_TEXT)
    ent_strbuf_printf(&b, "%5s  %-8s  %-11s  %-28s  %13s  %6s  %-20s  %s\n", "id",
                      "kind", "status", "scenario", "runs", "seed", "started",
                      "hash");
  ent_status st = arr ? ent_store_each_run(s, list_json, arr)
                      : ent_store_each_run(s, list_text, &b);
  if (st == ENT_EIO) {
    cJSON_Delete(arr);
    ent_strbuf_free(&b);
    return st;
  }
  if (arr) {
    char *t = ent_cjson_text(arr, 1);
    cJSON_Delete(arr);
    if (!t) st = ENT_ENOMEM;
    else {
      if (fputs(t, fp) < 0 || fputc('\n', fp) == EOF) st = ENT_EIO;
      ent_free(t);
    }
  } else if (b.failed) {
    st = ENT_ENOMEM;
  } else if (b.len) {
    /* a store is input too: no terminal control reaches the terminal */
    ent_fputs_safe(b.data, fp);
    if (ferror(fp)) st = ENT_EIO;
  }
  ent_strbuf_free(&b);
  return st == ENT_OK && fflush(fp) ? ENT_EIO : st;
}

ent_status ent_store_show(ent_store *s, long long id, FILE *fp, ent_diag *d) {
  ent_arena A;
  ent_arena_init(&A);
  ent_store_output o;
  /* id 0 is no run here (not "the latest") */
  ent_status st = id ? ent_store_load_output(s, id, &A, &o, d) : ENT_ENOTFOUND;
  if (st == ENT_ENOTFOUND) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, ent_store_path(s), 0, 0,
                 "run store '%s' has no run %lld", ent_store_path(s), id);
    st = ENT_EINPUT;
  } else if (st == ENT_OK && (fputs(o.doc, fp) < 0 || fflush(fp))) {
    st = ENT_EIO;
  }
  ent_arena_free(&A);
  return st;
}
