/*
 * ensemble_impl.h -- the private state of a forecast, shared by the files
 * of the ensemble module only: ensemble.c (members, threads, MPI,
 * reduction) and ensemble_result.c (the result tree of a forecast and of
 * a comparison).  Nothing outside src/ensemble/ includes it.
 */
#ifndef ENT_ENSEMBLE_IMPL_H
#define ENT_ENSEMBLE_IMPL_H

#include <stdatomic.h>

#include "ensemble/ensemble.h"
#include "ensemble/mt19937.h"
#include "ensemble/sensitivity.h"
#include "ensemble/stats.h"

/* One thread's workspace: a value copy of the model, a generator and the
 * draws, and the simulation its members run one after the other
 * (ent_sim_restart).  Allocated once per forecast, never shared. */
typedef struct work {
  ent_model *model;
  ent_run_opts ro;    /* the ensemble's, with this member's drawn model */
  ent_mt rng;         /* the member's streams (MT19937, GSL's seeding) */
  double *u;  /* [2d] uniforms (A then B) */
  double *x;  /* [d] inputs of the evaluation */
  uint64_t *qtmp; /* rank 0: ent_qacc_block_scratch keys (add_cells) */
  ent_sim *sim;   /* the last member's simulation, or NULL */
  ent_diag *dg;   /* its diagnostics, empty, or NULL */
  ent_run_slot *name; /* [S] per cell: the point of the cell the run of
                          `sim` fills in place -- a name of `sim`
                          (ent_sim_name_fixed) a point of the cell came
                          with, the cell's variable and year -- or none
                          (member_point) */
} work;

/* A chunk of cells fed by the threads of a step (ensemble_feed.c), one
 * thread at a time; a cache line each. */
enum { ENT_FEED_CHUNKS = 16 }; /* chunks per thread */
typedef struct ent_feed_chunk {
  atomic_flag busy;
  atomic_size_t fed; /* rows of the step its cells took */
  char pad[64 - sizeof(atomic_flag) - sizeof(atomic_size_t)];
} ent_feed_chunk;

/* One output cell of the series layout. */
typedef struct cell {
  const char *variable, *unit; /* static strings of sim.c */
  char entity[72];             /* NUL-padded (calloc) */
  uint32_t ent_words;          /* 8-byte words up to the name's zero */
  uint64_t ent_mask;           /* the bytes of the last word compared */
  int year;
  size_t first; /* the first cell of the same key (ent_ensemble_find_cell) */
} cell;

typedef struct headline {
  size_t at;          /* index into the record's doubles */
  const char *variable;
  char entity[72];
  int year;
} headline;

struct ent_ensemble {
  const ent_model *m;
  ent_run_opts ro;        /* copy; robustness off */
  ent_ensemble_opts o;
  int rank, size;
  size_t d;               /* uncertain numbers */
  size_t per_unit;        /* records per unit */
  unsigned long n_units, units_done;
  int stop_requested, stopped;
  const volatile int *cancel; /* ent_ensemble_set_cancel; NULL: none */
  /* layout */
  size_t S;
  cell *cells;
  size_t *hash;           /* open addressing: cell index + 1, 0 empty */
  size_t hash_mask;
  int first_year, last_year, n_years; /* n_years 0 without a structure */
  size_t *dyad_off;       /* [n_issues + 1] offsets of each issue's pairs */
  size_t n_dyads;
  long *cross_cell;       /* [n_issues * n_years] issue_forecast cells */
  size_t n_vals;          /* doubles per record: d + S + 3 n_issues (each
                             issue's outcome, then per issue its outcome
                             where the expected-utility / the spatial
                             model decided it, NAN where not) */
  int draw_models;        /* members draw the model of `both` issues */
  double p_smp;           /* ... the spatial model with this probability */
  unsigned long model_count[2]; /* rank 0: members by drawn model */
  struct watch {              /* conditions counted over the members */
    size_t cell;
    ent_ledger_q q;
    unsigned long hits, n;
  } *watch;
  size_t n_watch;
  size_t rec_bytes;
  /* headline outputs */
  headline *head;
  size_t h;
  size_t main_a, main_b;  /* main pair (bloc indices), if structural */
  /* statistics (rank 0) */
  ent_welford *w;         /* [S + n_issues] */
  ent_qacc *q;
  size_t *range_off;      /* [n_issues + 1] */
  unsigned long *range_count;
  size_t *cross_off;      /* [n_issues + 1]: anchors x (n_years + 1) */
  unsigned long *cross_count;
  unsigned long *class_count; /* [n_dyads * classes] */
  unsigned long samples_ok, units_failed;
  char first_failure[160];
  ent_src *src;
  ent_sobol *sob;
  double *hy;             /* [h * per_unit] scratch for headline values */
  double *hx;             /* [d] scratch for inputs */
  double *h0;             /* [h] headline values of the nominal run */
  /* batches */
  unsigned char *buf;     /* rank 0: records of a step; others: own part */
  size_t buf_cap;         /* records */
  const double **rows;    /* rank 0: [2 buf_cap / per_unit] the samples of
                             a step (their cell values), in unit order */
  _Atomic unsigned *unit_done; /* [buf_cap / per_unit] members of each unit
                                  of the step computed (compute_reduce) */
  unsigned long batch_first, batch_count; /* evaluations of the last step */
  unsigned char *pend;    /* resume: records of the unit being fed */
  size_t n_pend;
  work *work;
  int n_work;
  ent_feed_chunk *chunk;  /* rank 0, threads: [ENT_FEED_CHUNKS n_work] */
  size_t n_chunk;
};

/* Cell of (var, ent, year), or (size_t)-1. */
ENT_LOCAL size_t ent_ensemble_find_cell(const ent_ensemble *e, const char *var,
                                   const char *ent, int year);

/* ensemble.c's member and reduction, for ensemble_feed.c: evaluation ev
 * into rec on workspace w; reduce_unit of the per_unit records at recs,
 * its rows into e->rows from *nr; rows e->rows[r0..r1) into cells
 * [c0, c1) (add_cells; tmp: the calling thread's qtmp). */
ENT_LOCAL void ent_ensemble_member(const ent_ensemble *e, work *w,
                                   unsigned long ev, unsigned char *rec);
ENT_LOCAL ent_status ent_ensemble_reduce_unit(ent_ensemble *e,
                                              unsigned char *recs, size_t *nr);
ENT_LOCAL void ent_ensemble_add_cells(ent_ensemble *e, size_t r0, size_t r1,
                                      size_t c0, size_t c1, uint64_t *tmp);
/* Computes the units [first_unit, first_unit + nu) of a step on the
 * threads (rank 0 of one, n_work > 1, OpenMP) and reduces them as they
 * complete (ensemble_feed.c): the same result as computing them, then
 * reducing them in unit order.  Not for a step that may be canceled.
 * Returns the status of the first failed reduction (later units are
 * skipped). */
ENT_LOCAL ent_status ent_ensemble_compute_reduce(ent_ensemble *e,
                                                 unsigned long first_unit,
                                                 size_t nu);

#endif /* ENT_ENSEMBLE_IMPL_H */
