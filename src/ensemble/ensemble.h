/*
 * ensemble.h -- Monte Carlo forecasts (public half in entente.h; method in
 * docs/ensemble.md).  The internal half below is what the run store
 * (store.c) needs: the records of a step, feeding stored records back on
 * resume, and a broadcast over MPI ranks (only the ensemble module knows
 * about MPI).
 *
 * A record is the result of one model evaluation, a fixed-size byte block:
 *   [0, 4)    int32 status (ENT_OK, or why the member failed)
 *   [8, 128)  message of a failed member, NUL-terminated
 *   [128, ..) double x[d] (the inputs drawn), series[S] (NAN where the
 *             member has no value), outcome[n_issues]
 *   then      uint8 class[n_dyads] (relationship class of every ordered
 *             pair of every issue, ent_class of names.h)
 * padded to a multiple of 8 bytes.  Plain Monte Carlo: one record per
 * member; with Sobol' indices, d + 2 records per base row (A, B, A with
 * column i from B).
 */
#ifndef ENT_ENSEMBLE_H
#define ENT_ENSEMBLE_H

#include "model/model.h"
#include "model/names.h"
#include "model/result.h"
#include "sim/sim.h"

#define ENT_ENS_REC_HEAD 128

ENT_LOCAL size_t ent_ens_record_bytes(const ent_ensemble *e);
/* Records per unit: 1, or d + 2 with Sobol' indices. */
ENT_LOCAL size_t ent_ens_per_unit(const ent_ensemble *e);
ENT_LOCAL size_t ent_ens_dim(const ent_ensemble *e);
ENT_LOCAL size_t ent_ens_headline_count(const ent_ensemble *e);
/* Records of the last step (rank 0): evaluation index of the first and
 * their count; NULL when the step computed none. */
ENT_LOCAL const unsigned char *ent_ens_batch(const ent_ensemble *e,
                                             unsigned long *first,
                                             unsigned long *count);
/* Status, inputs (x[d]) and headline outputs (y[h]) of a record. */
ENT_LOCAL int ent_ens_record_status(const unsigned char *rec);
ENT_LOCAL void ent_ens_record_inputs(const ent_ensemble *e,
                                     const unsigned char *rec, double *x);
ENT_LOCAL void ent_ens_record_headline(const ent_ensemble *e,
                                       const unsigned char *rec, double *y);
/* Feed the next stored record (rank 0, in evaluation order). */
ENT_LOCAL ent_status ent_ens_feed(ent_ensemble *e, const void *rec,
                                  size_t len);
/* After feeding: every rank continues from rank 0's count. */
ENT_LOCAL ent_status ent_ens_sync(ent_ensemble *e);
/* Rank 0's bytes to every rank (others get an ent_malloc'd copy; *buf and
 * *len are in/out).  A no-op without MPI or with p NULL. */
ENT_LOCAL ent_status ent_ens_bcast(const ent_mpi *p, char **buf, size_t *len);
ENT_LOCAL const ent_run_opts *ent_ens_run_opts(const ent_ensemble *e);
ENT_LOCAL const ent_ensemble_opts *ent_ens_opts(const ent_ensemble *e);
ENT_LOCAL const ent_model *ent_ens_model(const ent_ensemble *e);
/* 1 when every member is done. */
ENT_LOCAL int ent_ens_complete(const ent_ensemble *e);

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

#endif /* ENT_ENSEMBLE_H */
