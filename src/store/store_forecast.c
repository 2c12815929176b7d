/*
 * store_forecast.c -- the public ent_store_* functions of a forecast that
 * join the run store with the ensemble (entente.h; docs/store.md):
 * begin (the runs row and the uncertain inputs), one transaction per
 * batch of members, and resume.  Each is thin: it reads what the ensemble
 * holds (ensemble.h) and hands plain data to store.c, or hands what
 * store.c loaded to the ensemble (ensemble_resume.c, which does all MPI
 * exchange).  Finishing a forecast renders its output document first, so
 * it lives with the writers (output/store_write.c).
 */
#include <string.h>

#include "ensemble/ensemble.h"
#include "ensemble/uncertain.h"
#include "input/scenario.h"
#include "store/store.h"

#define DIST_TEXT 256

ent_status ent_store_begin_forecast(ent_store *s, const ent_ensemble *e,
                                    long long *id, ent_diag *d) {
  if (!s || !e) return ENT_EINVAL;
  const ent_model *m = ent_ensemble_model(e);
  size_t n = m->n_uparams;
  ent_store_param *p = ent_calloc(n ? n : 1, sizeof *p);
  char *text = ent_mallocarray(n ? n : 1, DIST_TEXT);
  ent_status st = p && text ? ENT_OK : ENT_ENOMEM;
  for (size_t u = 0; st == ENT_OK && u < n; u++) {
    ent_dist_describe(&m->uparams[u].dist, text + u * DIST_TEXT, DIST_TEXT);
    p[u].name = m->uparams[u].name;
    p[u].dist = text + u * DIST_TEXT;
    p[u].nominal = m->uparams[u].nominal;
  }
  if (st == ENT_OK)
    st = ent_store_save_forecast(s, m, ent_ensemble_run_opts(e), ent_ensemble_get_opts(e),
                                 p, n, id, d);
  ent_free(p);
  ent_free(text);
  return st;
}

/* The members of the last step, one at a time. */
typedef struct batch {
  const ent_ensemble *e;
  const unsigned char *recs;
  unsigned long first;
  double *x, *y; /* inputs and headline outputs of the current member */
} batch;

static ent_status fill_member(void *ctx, size_t k, ent_store_member *out) {
  batch *b = ctx;
  size_t rb = ent_ensemble_record_bytes(b->e);
  const unsigned char *rec = b->recs + k * rb;
  ent_ensemble_record_inputs(b->e, rec, b->x);
  ent_ensemble_record_headline(b->e, rec, b->y);
  out->idx = (long long)(b->first + k);
  out->status = ent_ensemble_record_status(rec);
  out->x = b->x;
  out->nx = ent_ensemble_dim(b->e);
  out->y = b->y;
  out->ny = ent_ensemble_headline_count(b->e);
  out->rec = rec;
  out->rec_len = rb;
  return ENT_OK;
}

ent_status ent_store_save_batch(ent_store *s, long long id,
                                const ent_ensemble *e, ent_diag *d) {
  batch b = {e, NULL, 0, NULL, NULL};
  unsigned long count;
  b.recs = ent_ensemble_batch(e, &b.first, &count);
  if (!s) return ENT_EINVAL;
  if (!b.recs) return ENT_OK;
  b.x = ent_calloc(ent_ensemble_dim(e) + 1, sizeof *b.x);
  b.y = ent_calloc(ent_ensemble_headline_count(e) + 1, sizeof *b.y);
  ent_status st = b.x && b.y ? ENT_OK : ENT_ENOMEM;
  if (st == ENT_OK)
    st = ent_store_save_members(s, id, count, fill_member, &b,
                                ent_ensemble_done(e), d);
  ent_free(b.x);
  ent_free(b.y);
  return st;
}

static ent_status next_member(void *ctx, long long *idx, const void **rec,
                              size_t *len) {
  return ent_store_members_next(ctx, idx, rec, len);
}

ent_status ent_store_resume(ent_store *s, long long id,
                            const ent_ensemble_opts *o, ent_ensemble **out,
                            ent_model **model, long long *id_out,
                            ent_diag *d) {
  int rank0 = ent_ensemble_mpi_rank(o->mpi) == 0;
  ent_arena A;
  ent_arena_init(&A);
  ent_store_forecast f;
  memset(&f, 0, sizeof f);
  ent_store_members *it = NULL;
  ent_status st = ENT_OK;
  long long claimed = 0;
  if (rank0) {
    /* nobody else may compute it meanwhile (the claim is a lease row) */
    st = s ? ent_store_claim(s, id, &claimed, d) : ENT_EINVAL;
    if (st == ENT_OK && claimed) id = claimed;
    if (st == ENT_OK) st = ent_store_load_forecast(s, id, &A, &f, d);
    if (s && f.id) *id_out = f.id;
    if (st == ENT_OK) st = ent_store_members_open(s, f.id, &it, d);
  }
  ent_ensemble_stored src = {f.id,   s ? ent_store_path(s) : "?",
                             f.source, f.text, f.base_text, f.hash, &f.opts,
                             f.ro,   next_member, it};
  long long read = 0, fed = 0;
  st = ent_ensemble_resume_start(rank0 ? &src : NULL, st, o, out, model,
                                 &read, &fed, d);
  ent_store_members_close(it);
  if (st == ENT_OK && rank0 && fed < read)
    st = ent_store_trim_members(s, f.id, fed, d);
  if (st == ENT_OK && rank0)
    st = ent_store_mark_running(s, f.id, ent_ensemble_done(*out), d);
  ent_run_opts_destroy(f.ro);
  ent_arena_free(&A);
  st = ent_ensemble_resume_finish(o->mpi, st, out, model);
  if (st != ENT_OK && rank0 && s && claimed) {
    ent_diag *tmp = ent_diag_create(); /* the first failure is the news */
    ent_store_abandon(s, claimed, tmp);
    ent_diag_destroy(tmp);
  }
  return st;
}

ent_status ent_store_load_scenario(ent_store *s, long long id, ent_model **m,
                                   ent_diag *d) {
  *m = NULL;
  if (!s || id < 0) return ENT_EINVAL;
  ent_arena A;
  ent_arena_init(&A);
  ent_store_output o;
  ent_status st = ent_store_load_output(s, id, &A, &o, d);
  if (st == ENT_OK)
    st = ent_scenario_load_stored(o.source, o.text, strlen(o.text),
                                  o.base_text,
                                  o.base_text ? strlen(o.base_text) : 0, m, d);
  ent_arena_free(&A);
  return st;
}
