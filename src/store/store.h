/*
 * store.h -- the SQLite run store (public API in entente.h; schema at the
 * top of store.c and in docs/store.md).
 *
 * store.c saves and loads plain data and nothing else: scenario texts,
 * typed options, member records (as blobs), output documents (the JSON
 * text a renderer produced).  It knows neither the ensemble nor the
 * renderers nor the scenario loader.  The public ent_store_* functions
 * that join it with them are thin and live where their layer allows:
 *   store_forecast.c        begin, batches and resume of a forecast (with
 *                           the ensemble, ensemble_resume.c)
 *   output/store_write.c    keep a run or a finished forecast (renders its
 *                           JSON first), list and show stored runs
 * and the HTML report reads stored runs with ent_store_load_output.
 *
 * Strings handed out by the load functions live in the caller's arena
 * (freed with it) or, for rows passed to a callback, until the callback
 * returns.
 */
#ifndef ENT_STORE_H
#define ENT_STORE_H

#include <stddef.h>

#include "base/util.h"
#include "model/model.h"

/* The file name of the store, for messages. */
ENT_LOCAL const char *ent_store_path(const ent_store *s);

/* ------------------------------------------------------------ saving */

/* Keep a single run of model m (its texts, id, title and source) with
 * the model options ro (NULL: none) and its output document doc (the
 * JSON of `entente run --format json`), and the series tables read from
 * doc; one transaction.  Its id in *id. */
ENT_LOCAL ent_status ent_store_save_run(ent_store *s, const ent_model *m,
                                        const ent_run_opts *ro,
                                        const char *doc, long long *id,
                                        ent_diag *d);

/* One uncertain input of a forecast (the params table). */
typedef struct ent_store_param {
  const char *name;   /* e.g. "issues.alliance.positions.CHN.position" */
  const char *dist;   /* its distribution in words */
  double nominal;     /* the value a single run uses */
} ent_store_param;

/* Start keeping a forecast of m with model options ro (NULL: none) and
 * forecast options eo ('running', done 0) and its uncertain inputs; one
 * transaction.  Its id in *id. */
ENT_LOCAL ent_status ent_store_save_forecast(ent_store *s, const ent_model *m,
                                             const ent_run_opts *ro,
                                             const ent_ensemble_opts *eo,
                                             const ent_store_param *params,
                                             size_t n_params, long long *id,
                                             ent_diag *d);

/* One member row: a model evaluation.  Pointers are read during the
 * call that received them only. */
typedef struct ent_store_member {
  long long idx;        /* evaluation index */
  int status;           /* ENT_OK or why it failed */
  const double *x;      /* the inputs drawn, nx of them */
  size_t nx;
  const double *y;      /* the headline outputs, ny of them */
  size_t ny;
  const void *rec;      /* the whole record (what resume feeds back) */
  size_t rec_len;
} ent_store_member;

/* Fills member k (0 <= k < count) of a batch. */
typedef ent_status (*ent_store_member_fn)(void *ctx, size_t k,
                                          ent_store_member *out);

/* Keep `count` members of forecast id, each filled by fill(ctx, k, ...),
 * and set its runs done to `done`: one transaction (so an interrupted
 * forecast leaves whole batches only). */
ENT_LOCAL ent_status ent_store_save_members(ent_store *s, long long id,
                                            size_t count,
                                            ent_store_member_fn fill,
                                            void *ctx, unsigned long done,
                                            ent_diag *d);

/* Keep the output document doc (the JSON of `entente forecast --format
 * json`) of forecast id with its runs done; the count of failed runs is
 * read from doc.  complete: status 'complete', the statistics tables
 * from doc, and (unless keep_members) the member records dropped; else
 * 'interrupted'.  One transaction. */
ENT_LOCAL ent_status ent_store_save_output(ent_store *s, long long id,
                                           const char *doc, int complete,
                                           unsigned long done,
                                           int keep_members, ent_diag *d);

/* ------------------------------------------------------------ loading */

/* A stored forecast that can be continued. */
typedef struct ent_store_forecast {
  long long id;
  const char *source;        /* scenario file name or builtin:NAME */
  const char *text;          /* scenario text as read */
  const char *base_text;     /* the texts it extends, or NULL */
  const char *hash;          /* ent_model_hash when it was stored */
  ent_ensemble_opts opts;    /* runs, seed, sobol, memory_mb as stored;
                                threads 0, mpi NULL */
  ent_run_opts *ro;          /* model options as stored (owned: destroy) */
  long long done;            /* runs done */
} ent_store_forecast;

/* Forecast `id` (0: the latest unfinished one) if it can be continued:
 * a forecast, not complete, options readable.  Strings in A; f->ro is
 * the caller's to destroy (also after a failure: NULL then).  f->id is
 * set once the row is found.  Problems go to d (ENT_EINPUT). */
ENT_LOCAL ent_status ent_store_load_forecast(ent_store *s, long long id,
                                             ent_arena *A,
                                             ent_store_forecast *f,
                                             ent_diag *d);

/* Claim forecast id (0: the latest unfinished one) for this process in
 * one write transaction: refused (ENT_EINPUT, with who computes it) while
 * another live process holds it; a lease left by a process that is gone
 * (kill -9, a crash) is taken over.  *id_out: the forecast claimed (0 if
 * there is none to claim: ent_store_load_forecast then says why). */
ENT_LOCAL ent_status ent_store_claim(ent_store *s, long long id,
                                     long long *id_out, ent_diag *d);

/* The member records of forecast id in index order. */
typedef struct ent_store_members ent_store_members;

ENT_LOCAL ent_status ent_store_members_open(ent_store *s, long long id,
                                            ent_store_members **out,
                                            ent_diag *d);
/* ENT_CONTINUE with the next member's index and record (NULL when the
 * row has none; valid until the next call), ENT_OK after the last. */
ENT_LOCAL ent_status ent_store_members_next(ent_store_members *it,
                                            long long *idx, const void **rec,
                                            size_t *len);
ENT_LOCAL void ent_store_members_close(ent_store_members *it);

/* Drop the members of forecast id from index `keep` on (a unit that was
 * not complete). */
ENT_LOCAL ent_status ent_store_trim_members(ent_store *s, long long id,
                                            long long keep, ent_diag *d);
/* Mark forecast id running again with `done` runs done. */
ENT_LOCAL ent_status ent_store_mark_running(ent_store *s, long long id,
                                            unsigned long done, ent_diag *d);

/* One row of the runs table, as `entente runs` lists it.  Strings are
 * NULL where the column is. */
typedef struct ent_store_row {
  long long id, done, runs, seed;
  int has_seed;               /* 0: seed is NULL (a single run) */
  const char *kind, *status, *scenario, *source, *started, *version, *hash;
} ent_store_row;

typedef ent_status (*ent_store_row_fn)(void *ctx, const ent_store_row *row);

/* Call fn for every stored run in id order (the row is valid during the
 * call); a status other than ENT_OK from fn stops and is returned.
 * ENT_EIO if the table cannot be read. */
ENT_LOCAL ent_status ent_store_each_run(ent_store *s, ent_store_row_fn fn,
                                        void *ctx);

/* A stored output document and what the store knows about it. */
typedef struct ent_store_output {
  long long id;
  const char *kind;          /* "run" or "forecast" */
  const char *status;        /* "running", "interrupted" or "complete" */
  const char *started;       /* UTC, ISO 8601 ("" when unknown) */
  const char *finished;      /* "" while unfinished */
  const char *source, *text; /* the stored scenario: name and text */
  const char *base_text;     /* the texts it extends, or NULL */
  const char *doc;           /* the output document (JSON) */
  size_t doc_len;
} ent_store_output;

/* The output of run `id` (0: the latest run or forecast with an output).
 * ENT_ENOTFOUND, with nothing in d, when there is no such run; ENT_EINPUT
 * (in d) when it has no output yet.  Strings in A. */
ENT_LOCAL ent_status ent_store_load_output(ent_store *s, long long id,
                                           ent_arena *A, ent_store_output *o,
                                           ent_diag *d);

#endif /* ENT_STORE_H */
