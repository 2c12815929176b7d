/*
 * ensemble_resume.c -- continuing a stored forecast (docs/store.md,
 * "Interruptions and --resume"; ensemble.h).
 *
 * Rank 0 has read the forecast from wherever it was kept (the run store;
 * store/store_forecast.c joins the two): its scenario text, options, the
 * hash of the scenario and its records.  Here every rank agrees on whether
 * that read worked, receives the scenario and options from rank 0, loads
 * the scenario and creates the ensemble with the stored options; rank 0
 * checks that the scenario (and what it extends) still hashes as stored
 * and feeds the stored records back, so the forecast continues exactly
 * where it stopped, on any number of threads or ranks.
 *
 * What travels from rank 0 (ent_ensemble_bcast): a fixed header (the stored
 * forecast options, binary: every rank runs the same build on the same
 * kind of machine), then source, text, the texts it extends ("" for
 * none) and each model option as
 * NUL-terminated strings.  Statuses travel as binary ints.
 *
 * Invariants: every rank makes the same collective calls in the same
 * order whatever fails where (a failure is carried to the next agreement,
 * never returned early; ent_ensemble_resume_finish is the last one); only
 * whole units are fed (a unit is 1 record, or d + 2 with Sobol' indices).
 */
#include "ensemble/ensemble.h"

#include <string.h>

#include "base/diag.h"
#include "input/scenario.h"

/* The stored forecast options as they travel. */
typedef struct wire {
  unsigned long runs;
  unsigned long long seed;
  double memory_mb;
  int sobol;
} wire;

/* Rank 0: header, source, text and the model options into one buffer. */
static ent_status pack(const ent_ensemble_stored *src, char **buf,
                       size_t *len) {
  wire w;
  memset(&w, 0, sizeof w);
  w.runs = src->opts->runs;
  w.seed = src->opts->seed;
  w.memory_mb = src->opts->memory_mb;
  w.sobol = src->opts->sobol;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_append(&b, (const char *)&w, sizeof w);
  ent_strbuf_append(&b, src->source, strlen(src->source) + 1);
  ent_strbuf_append(&b, src->text, strlen(src->text) + 1);
  const char *base = src->base ? src->base : "";
  ent_strbuf_append(&b, base, strlen(base) + 1);
  for (size_t k = 0; k < ent_run_opts_count(src->ro); k++) {
    char kv[128];
    ent_run_opts_describe(src->ro, k, kv, sizeof kv);
    ent_strbuf_append(&b, kv, strlen(kv) + 1);
  }
  if (b.failed) {
    ent_strbuf_free(&b);
    return ENT_ENOMEM;
  }
  *len = b.len;
  *buf = ent_strbuf_take(&b);
  return ENT_OK;
}

/* Every rank: the options (over a copy of the caller's eo), the scenario
 * and the model options from the buffer.  *source and *text point into
 * buf. */
static ent_status unpack(const char *buf, size_t len, ent_ensemble_opts *eo,
                         const char **source, const char **text,
                         const char **base, ent_run_opts **ro, ent_diag *d) {
  wire w;
  if (len < sizeof w) return ENT_EINTERNAL;
  memcpy(&w, buf, sizeof w);
  eo->runs = w.runs;
  eo->seed = w.seed;
  eo->memory_mb = w.memory_mb;
  eo->sobol = w.sobol;
  const char *p = buf + sizeof w, *end = buf + len;
  *source = p;
  p += strlen(p) + 1;
  *text = p < end ? p : "";
  p += p < end ? strlen(p) + 1 : 0;
  *base = p < end ? p : "";
  p += p < end ? strlen(p) + 1 : 0;
  *ro = ent_run_opts_create();
  ent_status st = *ro ? ENT_OK : ENT_ENOMEM;
  for (; st == ENT_OK && p < end; p += strlen(p) + 1)
    st = ent_run_opts_set(*ro, p, "<stored options>", d);
  return st;
}

/* Rank 0: the loaded scenario must be the one stored. */
static ent_status check_hash(const ent_ensemble_stored *src,
                             const ent_model *m, ent_diag *d) {
  char now[65];
  ent_model_hash(m, now);
  if (!src->hash || !strcmp(src->hash, now)) return ENT_OK;
  ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, src->where, 0, 0,
               "forecast %lld cannot be resumed: the scenario it extends "
               "has changed since it was stored", src->id);
  return ENT_EINPUT;
}

/* Rank 0: feed the stored records, a whole unit at a time. */
static ent_status feed(const ent_ensemble_stored *src, ent_ensemble *e,
                       long long *read, long long *fed, ent_diag *d) {
  size_t per = ent_ensemble_per_unit(e), rb = ent_ensemble_record_bytes(e);
  unsigned char *unit = ent_mallocarray(per, rb);
  if (!unit) return ENT_ENOMEM;
  ent_status st = ENT_OK;
  long long rows = 0, idx;
  size_t in_unit = 0, len;
  const void *rec;
  while (st == ENT_OK && src->next(src->ctx, &idx, &rec, &len) == ENT_CONTINUE) {
    if (idx != rows || !rec || len != rb) {
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, src->where, 0, 0,
                   "forecast %lld cannot be resumed: stored member %lld is "
                   "missing or does not fit this version", src->id, rows);
      st = ENT_EINPUT;
      break;
    }
    memcpy(unit + in_unit * rb, rec, rb);
    rows++;
    if (++in_unit == per) {
      for (size_t k = 0; st == ENT_OK && k < per; k++)
        st = ent_ensemble_feed(e, unit + k * rb, rb);
      in_unit = 0;
    }
  }
  ent_free(unit);
  *read = rows;
  *fed = rows - rows % (long long)per;
  return st;
}

ent_status ent_ensemble_resume_start(const ent_ensemble_stored *src,
                                     ent_status st,
                                     const ent_ensemble_opts *o,
                                     ent_ensemble **out, ent_model **model,
                                     long long *read, long long *fed,
                                     ent_diag *d) {
  *out = NULL;
  *model = NULL;
  *read = *fed = 0;
  const ent_mpi *mpi = o->mpi;
  int rank0 = ent_ensemble_mpi_rank(mpi) == 0;
  if (rank0 && !src && st == ENT_OK) st = ENT_EINVAL;
  char *buf = NULL;
  size_t len = 0;
  if (rank0 && st == ENT_OK) st = pack(src, &buf, &len);
  /* every rank learns whether rank 0 could read the forecast */
  st = (ent_status)ent_ensemble_bcast_int(mpi, (int)st);
  if (st == ENT_OK) st = ent_ensemble_bcast(mpi, &buf, &len);
  ent_ensemble_opts eo = *o;
  ent_run_opts *ro = NULL;
  const char *source = NULL, *text = NULL, *base = NULL;
  if (st == ENT_OK) st = unpack(buf, len, &eo, &source, &text, &base, &ro, d);
  /* the stored texts it extends, so it resumes from any directory */
  if (st == ENT_OK)
    st = ent_scenario_load_stored(source, text, strlen(text),
                                  base[0] ? base : NULL, strlen(base), model, d);
  if (st == ENT_OK && rank0) st = check_hash(src, *model, d);
  if (st == ENT_OK) st = ent_ensemble_create(*model, ro, &eo, out, d);
  ent_run_opts_destroy(ro);
  if (st == ENT_OK && rank0) st = feed(src, *out, read, fed, d);
  ent_free(buf);
  return st;
}

ent_status ent_ensemble_resume_finish(const ent_mpi *mpi, ent_status st,
                                      ent_ensemble **out, ent_model **model) {
  ent_status st0 = (ent_status)ent_ensemble_bcast_int(mpi, (int)st);
  /* rank 0's verdict, unless this rank failed on its own */
  if (st == ENT_OK || st0 != ENT_OK) st = st0;
  if (st == ENT_OK && !*out) st = ENT_ENOMEM;
  if (st == ENT_OK) st = ent_ensemble_sync(*out);
  if (st != ENT_OK) {
    ent_ensemble_destroy(*out);
    *out = NULL;
    ent_model_destroy(*model);
    *model = NULL;
  }
  return st;
}
