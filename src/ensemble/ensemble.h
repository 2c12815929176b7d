/*
 * ensemble.h -- Monte Carlo forecasts (public half in entente.h; method in
 * docs/ensemble.md).  The internal half below is what keeping a forecast
 * needs (store/store_forecast.c): the records of a step, continuing a
 * stored forecast (ensemble_resume.c: feeding stored records back, the
 * MPI exchange), and broadcasts over MPI ranks (only the ensemble module
 * knows about MPI).
 *
 * A record is the result of one model evaluation, a fixed-size byte block:
 *   [0, 4)    int32 status (ENT_OK, or why the member failed)
 *   [4, 8)    int32 the model the member drew for `both` issues (0 the
 *             expected-utility model, 1 the spatial model)
 *   [8, 128)  message of a failed member, NUL-terminated
 *   [128, ..) double x[d] (the inputs drawn), series[S] (NAN where the
 *             member has no value), outcome[n_issues], then per issue
 *             its outcome where each model decided [2 n_issues] (NAN for
 *             the model not drawn)
 *   then      uint8 class[n_dyads] (relationship class of every ordered
 *             pair of every issue, ent_class of names.h)
 * padded to a multiple of 8 bytes.  Plain Monte Carlo: one record per
 * member; with Sobol' indices, d + 2 records per base row (A, B, A with
 * column i from B).
 */
#ifndef ENT_ENSEMBLE_H
#define ENT_ENSEMBLE_H

#include "model/ledger.h"
#include "model/model.h"
#include "model/names.h"
#include "model/result.h"
#include "sim/sim.h"

#define ENT_ENS_REC_HEAD 128

ENT_LOCAL size_t ent_ensemble_record_bytes(const ent_ensemble *e);
/* Records per unit: 1, or d + 2 with Sobol' indices. */
ENT_LOCAL size_t ent_ensemble_per_unit(const ent_ensemble *e);
ENT_LOCAL size_t ent_ensemble_dim(const ent_ensemble *e);
ENT_LOCAL size_t ent_ensemble_headline_count(const ent_ensemble *e);
/* Records of the last step (rank 0): evaluation index of the first and
 * their count; NULL when the step computed none. */
ENT_LOCAL const unsigned char *ent_ensemble_batch(const ent_ensemble *e,
                                             unsigned long *first,
                                             unsigned long *count);
/* Status, inputs (x[d]) and headline outputs (y[h]) of a record. */
ENT_LOCAL int ent_ensemble_record_status(const unsigned char *rec);
ENT_LOCAL void ent_ensemble_record_inputs(const ent_ensemble *e,
                                     const unsigned char *rec, double *x);
ENT_LOCAL void ent_ensemble_record_headline(const ent_ensemble *e,
                                       const unsigned char *rec, double *y);
/* Feed the next stored record (rank 0, in evaluation order). */
ENT_LOCAL ent_status ent_ensemble_feed(ent_ensemble *e, const void *rec,
                                  size_t len);
/* After feeding: every rank continues from rank 0's count. */
ENT_LOCAL ent_status ent_ensemble_sync(ent_ensemble *e);
/* Rank 0's bytes to every rank (others get an ent_malloc'd copy; *buf and
 * *len are in/out).  A no-op without MPI or with p NULL. */
ENT_LOCAL ent_status ent_ensemble_bcast(const ent_mpi *p, char **buf, size_t *len);
/* Rank 0's v (as a binary int) on every rank; v itself without MPI. */
ENT_LOCAL int ent_ensemble_bcast_int(const ent_mpi *p, int v);
ENT_LOCAL const ent_run_opts *ent_ensemble_run_opts(const ent_ensemble *e);
ENT_LOCAL const ent_ensemble_opts *ent_ensemble_get_opts(const ent_ensemble *e);
ENT_LOCAL const ent_model *ent_ensemble_model(const ent_ensemble *e);
/* 1 when every member is done. */
ENT_LOCAL int ent_ensemble_complete(const ent_ensemble *e);

/* ---- conditions counted over the members (entente score) ---- */

/* Count, in every member reduced from now on (rank 0), whether the value
 * of output (variable, entity, year) meets q's condition (model/
 * ledger.h).  *index names the condition.  ENT_ENOTFOUND when the run has
 * no such output; ENT_ENOMEM. */
ENT_LOCAL ent_status ent_ensemble_watch(ent_ensemble *e, const char *variable,
                                        const char *entity, int year,
                                        const ent_ledger_q *q, size_t *index);
/* Members with a value of the watched output, and those meeting it. */
ENT_LOCAL void ent_ensemble_watched(const ent_ensemble *e, size_t index,
                                    unsigned long *hits, unsigned long *n);

/* ---- back-tests (backtest_bands.c) ---- */

/* The back-test of m (kind ENT_RESULT_BACKTEST): the run with realised
 * inputs, beside it (o->ex_ante) the ex-ante run, and with o->runs > 0
 * the 80% and 90% bands of both from an ensemble of m's uncertain inputs
 * and their coverage.  ENT_EINVAL (message in d) when m cannot be
 * back-tested or, with runs, has no uncertain input; ENT_ENOMEM. */
ENT_LOCAL ent_status ent_backtest_create(const ent_model *m,
                                         const ent_backtest_opts *o,
                                         ent_result **out, ent_diag *d);

/* ---- resume (ensemble_resume.c) ---- */

/* A stored forecast to continue, as rank 0 read it (from the run store;
 * the ensemble does not know where records are kept). */
typedef struct ent_ensemble_stored {
  long long id;                  /* the stored forecast, for messages */
  const char *where;             /* file name for messages (the store) */
  const char *source, *text;     /* the scenario's name and text */
  const char *base;              /* the texts it extends, or NULL */
  const char *hash;              /* ent_model_hash when it was stored */
  const ent_ensemble_opts *opts; /* runs, seed, sobol, memory_mb as stored */
  const ent_run_opts *ro;        /* the model options as stored */
  /* The stored records in index order: ENT_CONTINUE with the next one
   * (valid until the next call), ENT_OK after the last. */
  ent_status (*next)(void *ctx, long long *idx, const void **rec,
                     size_t *len);
  void *ctx;
} ent_ensemble_stored;

/* Every rank, with src and st from rank 0 (src NULL elsewhere; st is
 * rank 0's status so far): agree on st, send the scenario and options to
 * every rank, load the scenario, check (rank 0) that it still hashes to
 * src->hash, create the ensemble with the stored options (threads and mpi
 * from o) and (rank 0) feed it the stored records of every whole unit:
 * *read records were read, the first *fed of them fed.  Whatever it
 * returns, every rank then calls ent_ensemble_resume_finish. */
ENT_LOCAL ent_status ent_ensemble_resume_start(const ent_ensemble_stored *src,
                                               ent_status st,
                                               const ent_ensemble_opts *o,
                                               ent_ensemble **out,
                                               ent_model **model,
                                               long long *read,
                                               long long *fed, ent_diag *d);
/* Every rank: agree on the outcome (rank 0's status, unless this rank
 * failed on its own) and continue from rank 0's count.  On failure *out
 * and *model are destroyed and set to NULL. */
ENT_LOCAL ent_status ent_ensemble_resume_finish(const ent_mpi *mpi,
                                                ent_status st,
                                                ent_ensemble **out,
                                                ent_model **model);

/* The result tree (model/result.h) of a forecast (rank 0): provenance,
 * the statistics of every cell, per issue the outcome, labelled ranges,
 * thresholds and pair classes, and the sensitivity of the headline
 * outputs (ensemble_result.c).  ENT_EINVAL on other ranks; ENT_ENOMEM. */
ENT_LOCAL ent_status ent_ensemble_result(const ent_ensemble *e,
                                         ent_result **out);
/* Two forecasts side by side (kind ENT_RESULT_COMPARE): the headline
 * outputs of a found in b and every cell present in both, with the
 * difference of means and whether it exceeds twice its standard error
 * (Welch), and the share of runs nearest each label of the issues both
 * have. */
ENT_LOCAL ent_status ent_ensemble_compare_result(const ent_ensemble *a,
                                                 const ent_ensemble *b,
                                                 ent_result **out);

/* The result tree (kind ENT_RESULT_SCORE) of a scorecard (scorecard.c). */
ENT_LOCAL const ent_result *ent_scorecard_result(const ent_scorecard *s);

#endif /* ENT_ENSEMBLE_H */
