/*
 * ensemble.c -- Monte Carlo forecasts: members, threads, MPI ranks,
 * statistics and sensitivity (docs/ensemble.md; public API in entente.h,
 * internal half in ensemble.h).
 *
 * A member (unit u) seeds a gsl_rng (MT19937) with ent_seed_derive(seed,
 * u), draws one uniform per uncertain number in declaration order (two
 * vectors A and B with Sobol' indices), maps them through the inverse
 * CDFs, applies the values to its thread's value copy of the model and
 * runs the unchanged simulation (ent_run_create).  Its outputs become a
 * record (ensemble.h).  A step computes a batch of units: the units are
 * split over the MPI ranks in contiguous blocks and over each rank's
 * threads (OpenMP, dynamic schedule, one workspace per thread), the
 * records are gathered on rank 0 in unit order, and rank 0 reduces them
 * one by one in unit order.  Nothing in a member depends on which thread
 * or rank computed it, and the reduction order is fixed, so the output is
 * bit-identical for any thread and rank count.
 *
 * Statistics per output cell (variable x entity x year of docs/
 * variables.md, plus each issue's final outcome): count, mean and sd
 * (Welford), quantiles 5-25-50-75-95 (stats.h: exact or a sketch);
 * per issue: the share of runs whose outcome is nearest to each anchor of
 * its scale (the labelled ranges) and, per anchor, the share of runs in
 * which the forecast has reached it by each year; per ordered pair of
 * actors on each issue: the share of runs in each relationship class of
 * the final round.  Sensitivity of the headline outputs (each issue's
 * outcome, the main pair's trade, dependence and channel flows in the
 * last year): SRC, or Sobol' indices with Saltelli's design.
 *
 * Invariants: every rank holds the same units_done after each step; only
 * rank 0 holds statistics; no global state (the MPI communicator is a
 * handle the caller passes in).
 */
#include "ensemble/ensemble.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef ENT_HAVE_MPI
#include <mpi.h>
#endif

#include "ensemble/sensitivity.h"
#include "ensemble/stats.h"
#include "ensemble/uncertain.h"

#define NQ ENT_NQ
#define qprob ent_quantile_prob
#define qname ent_quantile_name
#define class_names ent_class_name

/* ------------------------------------------------------------ MPI */

struct ent_mpi {
  int rank, size;
#ifdef ENT_HAVE_MPI
  MPI_Comm comm;
#endif
};

int ent_ensemble_mpi_available(void) {
#ifdef ENT_HAVE_MPI
  return 1;
#else
  return 0;
#endif
}

int ent_ensemble_mpi_launched(void) {
  static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK",
                                     "PMI_RANK", "PMI_SIZE", NULL};
  for (const char *const *v = vars; *v; v++)
    if (getenv(*v)) return 1;
  return 0;
}

ent_status ent_ensemble_mpi_init(int *argc, char ***argv, ent_mpi **out) {
  *out = NULL;
#ifdef ENT_HAVE_MPI
  ent_mpi *p = ent_calloc(1, sizeof *p);
  if (!p) return ENT_ENOMEM;
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited && MPI_Init(argc, argv) != MPI_SUCCESS) {
    ent_free(p);
    return ENT_EINTERNAL;
  }
  /* the one place that names MPI_COMM_WORLD: the ensemble works on a
   * private duplicate handed around in `p` */
  if (MPI_Comm_dup(MPI_COMM_WORLD, &p->comm) != MPI_SUCCESS) {
    ent_free(p);
    return ENT_EINTERNAL;
  }
  MPI_Comm_rank(p->comm, &p->rank);
  MPI_Comm_size(p->comm, &p->size);
  *out = p;
  return ENT_OK;
#else
  (void)argc;
  (void)argv;
  return ENT_ENOTFOUND;
#endif
}

int ent_ensemble_mpi_rank(const ent_mpi *p) { return p ? p->rank : 0; }
int ent_ensemble_mpi_size(const ent_mpi *p) { return p ? p->size : 1; }

void ent_ensemble_mpi_finalize(ent_mpi *p, int failed) {
  if (!p) return;
#ifdef ENT_HAVE_MPI
  if (failed && p->size > 1) MPI_Abort(p->comm, 1);
  MPI_Comm_free(&p->comm);
  MPI_Finalize();
#else
  (void)failed;
#endif
  ent_free(p);
}

/* Broadcast an int from rank 0. */
static int bcast_int(const ent_mpi *p, int v) {
#ifdef ENT_HAVE_MPI
  if (p && p->size > 1) MPI_Bcast(&v, 1, MPI_INT, 0, p->comm);
#else
  (void)p;
#endif
  return v;
}

ent_status ent_ens_bcast(const ent_mpi *p, char **buf, size_t *len) {
#ifdef ENT_HAVE_MPI
  if (!p || p->size < 2) return ENT_OK;
  unsigned long long n = p->rank == 0 ? (unsigned long long)*len : 0;
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, p->comm);
  if (p->rank != 0) {
    *buf = ent_malloc((size_t)n + 1);
    *len = (size_t)n;
  }
  int ok = *buf != NULL;
  /* every rank must agree before the payload moves */
  int all = 0;
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, p->comm);
  if (!all) return ENT_ENOMEM;
  for (size_t at = 0; at < n;) {
    int chunk = n - at > (1u << 30) ? 1 << 30 : (int)(n - at);
    MPI_Bcast(*buf + at, chunk, MPI_BYTE, 0, p->comm);
    at += (size_t)chunk;
  }
  if (p->rank != 0) (*buf)[n] = '\0';
#else
  (void)p;
  (void)buf;
  (void)len;
#endif
  return ENT_OK;
}

/* ------------------------------------------------------------ state */

/* One thread's workspace: a value copy of the model, a generator and the
 * draws.  Allocated once per forecast, never shared. */
typedef struct work {
  ent_model *model;
  gsl_rng *rng;
  double *u;  /* [2d] uniforms (A then B) */
  double *x;  /* [d] inputs of the evaluation */
} work;

/* One output cell of the series layout. */
typedef struct cell {
  const char *variable, *unit; /* static strings of sim.c */
  char entity[72];
  int year;
} cell;

typedef struct headline {
  size_t at;          /* index into the record's doubles */
  const char *variable;
  char entity[72];
  int year;
} headline;

struct ent_ensemble {
  const ent_model *m;
  ent_run_opts ro;        /* copy: kv owned; robustness off */
  ent_ensemble_opts o;
  int rank, size;
  size_t d;               /* uncertain numbers */
  size_t per_unit;        /* records per unit */
  unsigned long n_units, units_done;
  int stop_requested, stopped;
  /* layout */
  size_t S;
  cell *cells;
  size_t *hash;           /* open addressing: cell index + 1, 0 empty */
  size_t hash_mask;
  int first_year, last_year, n_years; /* n_years 0 without a structure */
  size_t *dyad_off;       /* [n_issues + 1] offsets of each issue's pairs */
  size_t n_dyads;
  long *cross_cell;       /* [n_issues * n_years] issue_forecast cells */
  size_t n_vals;          /* doubles per record: d + S + n_issues */
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
  unsigned long batch_first, batch_count; /* evaluations of the last step */
  unsigned char *pend;    /* resume: records of the unit being fed */
  size_t n_pend;
  work *work;
  int n_work;
};

/* ------------------------------------------------------------ records */

static double *rec_vals(const ent_ensemble *e, unsigned char *rec) {
  (void)e;
  return (double *)(void *)(rec + ENT_ENS_REC_HEAD);
}

static unsigned char *rec_classes(const ent_ensemble *e, unsigned char *rec) {
  return rec + ENT_ENS_REC_HEAD + e->n_vals * sizeof(double);
}

int ent_ens_record_status(const unsigned char *rec) {
  int32_t s;
  memcpy(&s, rec, sizeof s);
  return (int)s;
}

void ent_ens_record_inputs(const ent_ensemble *e, const unsigned char *rec,
                           double *x) {
  memcpy(x, rec + ENT_ENS_REC_HEAD, e->d * sizeof(double));
}

void ent_ens_record_headline(const ent_ensemble *e, const unsigned char *rec,
                             double *y) {
  for (size_t k = 0; k < e->h; k++)
    memcpy(&y[k], rec + ENT_ENS_REC_HEAD + e->head[k].at * sizeof(double),
           sizeof(double));
}

size_t ent_ens_record_bytes(const ent_ensemble *e) { return e->rec_bytes; }
size_t ent_ens_per_unit(const ent_ensemble *e) { return e->per_unit; }
size_t ent_ens_dim(const ent_ensemble *e) { return e->d; }
size_t ent_ens_headline_count(const ent_ensemble *e) { return e->h; }
const ent_run_opts *ent_ens_run_opts(const ent_ensemble *e) { return &e->ro; }
const ent_ensemble_opts *ent_ens_opts(const ent_ensemble *e) { return &e->o; }
const ent_model *ent_ens_model(const ent_ensemble *e) { return e->m; }
int ent_ens_complete(const ent_ensemble *e) {
  return e->units_done == e->n_units;
}

const unsigned char *ent_ens_batch(const ent_ensemble *e, unsigned long *first,
                                   unsigned long *count) {
  *first = e->batch_first;
  *count = e->batch_count;
  return e->batch_count && e->rank == 0 ? e->buf : NULL;
}

unsigned long ent_ensemble_done(const ent_ensemble *e) {
  return e ? e->units_done : 0;
}
unsigned long ent_ensemble_total(const ent_ensemble *e) {
  return e ? e->n_units : 0;
}
void ent_ensemble_stop(ent_ensemble *e) {
  if (e) e->stop_requested = 1;
}
size_t ent_model_uncertain_count(const ent_model *m) {
  return m ? m->n_uparams : 0;
}

void ent_ensemble_opts_init(ent_ensemble_opts *o) {
  memset(o, 0, sizeof *o);
  o->runs = 1000;
  o->seed = 1;
  o->threads = 1;
  o->memory_mb = 256.0;
}

/* ------------------------------------------------------------ layout */

static uint64_t key_hash(const char *var, const char *ent, int year) {
  uint64_t h = 1469598103934665603ull;
  for (const char *p = var; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  h = (h ^ 0xFF) * 1099511628211ull;
  for (const char *p = ent; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  h = (h ^ (uint64_t)(unsigned)year) * 1099511628211ull;
  return h ^ (h >> 29);
}

static int cell_is(const cell *c, const char *var, const char *ent, int year) {
  return c->year == year && (c->variable == var || !strcmp(c->variable, var)) &&
         !strcmp(c->entity, ent);
}

/* Cell of (var, ent, year), or (size_t)-1. */
static size_t find_cell(const ent_ensemble *e, const char *var,
                        const char *ent, int year) {
  if (!e->hash) return (size_t)-1;
  for (size_t s = key_hash(var, ent, year) & e->hash_mask;; s = (s + 1) & e->hash_mask) {
    size_t v = e->hash[s];
    if (!v) return (size_t)-1;
    if (cell_is(&e->cells[v - 1], var, ent, year)) return v - 1;
  }
}

static ent_status build_layout(ent_ensemble *e, const ent_run *r) {
  e->S = r->n_series;
  e->cells = ent_calloc(e->S ? e->S : 1, sizeof *e->cells);
  size_t hs = 16;
  while (hs < 2 * e->S + 2) hs <<= 1;
  e->hash = ent_calloc(hs, sizeof *e->hash);
  e->hash_mask = hs - 1;
  if (!e->cells || !e->hash) return ENT_ENOMEM;
  for (size_t k = 0; k < e->S; k++) {
    const ent_series_point *p = &r->series[k];
    cell *c = &e->cells[k];
    c->variable = p->variable;
    c->unit = p->unit;
    snprintf(c->entity, sizeof c->entity, "%s", p->entity);
    c->year = p->year;
    if (find_cell(e, p->variable, p->entity, p->year) != (size_t)-1) continue;
    size_t s = key_hash(p->variable, p->entity, p->year) & e->hash_mask;
    while (e->hash[s]) s = (s + 1) & e->hash_mask;
    e->hash[s] = k + 1;
  }
  return ENT_OK;
}

/* The main pair: the first report pair of two blocs, else the first two
 * blocs that are actors (as `entente run` shows it). */
static void main_pair(const ent_model *m, size_t *a, size_t *b) {
  const ent_structure *st = m->st;
  *a = 0;
  *b = 1;
  for (size_t p = 0; p < m->n_pairs; p++) {
    size_t x = ent_model_find_bloc(m, m->actors[m->pairs[p][0]].id);
    size_t y = ent_model_find_bloc(m, m->actors[m->pairs[p][1]].id);
    if (x != (size_t)-1 && y != (size_t)-1) {
      *a = x;
      *b = y;
      return;
    }
  }
  size_t found = 0;
  for (size_t i = 0; i < st->n_blocs && found < 2; i++)
    if (st->blocs[i].actor >= 0) {
      if (found++ == 0) *a = i;
      else *b = i;
    }
}

static ent_status add_headline(ent_ensemble *e, size_t at, const char *var,
                               const char *ent, int year) {
  headline *nh = ent_realloc(e->head, (e->h + 1) * sizeof *nh);
  if (!nh) return ENT_ENOMEM;
  e->head = nh;
  nh[e->h].at = at;
  nh[e->h].variable = var;
  snprintf(nh[e->h].entity, sizeof nh[e->h].entity, "%s", ent);
  nh[e->h].year = year;
  e->h++;
  return ENT_OK;
}

static ent_status build_headlines(ent_ensemble *e) {
  const ent_model *m = e->m;
  for (size_t i = 0; i < m->n_issues; i++)
    if (add_headline(e, e->d + e->S + i, ENT_VNAME(ENT_VAR_ISSUE_FORECAST),
                     m->issues[i].id,
                     e->last_year))
      return ENT_ENOMEM;
  if (!m->st) return ENT_OK;
  const ent_structure *st = m->st;
  main_pair(m, &e->main_a, &e->main_b);
  char ab[72], ba[72];
  snprintf(ab, sizeof ab, "%s->%s", st->blocs[e->main_a].id,
           st->blocs[e->main_b].id);
  snprintf(ba, sizeof ba, "%s->%s", st->blocs[e->main_b].id,
           st->blocs[e->main_a].id);
  static const ent_var_id vars[] = {
      ENT_VAR_TRADE_FLOW,    ENT_VAR_TRADE_FLOW, ENT_VAR_DEPENDENCE,
      ENT_VAR_DEPENDENCE,    ENT_VAR_PARTNER_SHARE, ENT_VAR_GAS_FLOW,
      ENT_VAR_OIL_FLOW,      ENT_VAR_ARMS_TRANSFER};
  const char *ents[] = {ab, ba, ab, ba, ab, ab, ab, ab};
  for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++) {
    size_t c = find_cell(e, ENT_VNAME(vars[k]), ents[k], e->last_year);
    if (c == (size_t)-1) continue;
    if (add_headline(e, e->d + c, e->cells[c].variable, ents[k],
                     e->last_year))
      return ENT_ENOMEM;
  }
  return ENT_OK;
}

/* ------------------------------------------------------------ create */

static void free_work(ent_ensemble *e) {
  for (int t = 0; e->work && t < e->n_work; t++) {
    ent_model_destroy(e->work[t].model);
    if (e->work[t].rng) gsl_rng_free(e->work[t].rng);
    ent_free(e->work[t].u);
    ent_free(e->work[t].x);
  }
  ent_free(e->work);
  e->work = NULL;
}

void ent_ensemble_destroy(ent_ensemble *e) {
  if (!e) return;
  free_work(e);
  for (size_t k = 0; k < e->ro.n_kv; k++) ent_free(e->ro.kv[k]);
  ent_free(e->cells);
  ent_free(e->hash);
  ent_free(e->dyad_off);
  ent_free(e->cross_cell);
  ent_free(e->head);
  ent_free(e->w);
  ent_qacc_destroy(e->q);
  ent_free(e->range_off);
  ent_free(e->range_count);
  ent_free(e->cross_off);
  ent_free(e->cross_count);
  ent_free(e->class_count);
  ent_src_destroy(e->src);
  ent_sobol_destroy(e->sob);
  ent_free(e->hy);
  ent_free(e->hx);
  ent_free(e->h0);
  ent_free(e->buf);
  ent_free(e->pend);
  ent_free(e);
}

/* Units per step: enough evaluations to keep every thread of every rank
 * busy (16 each), bounded by 128 MB of records. */
static size_t units_per_step(const ent_ensemble *e) {
  size_t evals = (size_t)e->size * (size_t)e->o.threads * 16;
  size_t u = (evals + e->per_unit - 1) / e->per_unit;
  size_t cap = (128u << 20) / (e->rec_bytes * e->per_unit);
  if (cap < 1) cap = 1;
  if (u > cap) u = cap;
  if (u < (size_t)e->size) u = (size_t)e->size;
  return u;
}

ent_status ent_ensemble_create(const ent_model *m, const ent_run_opts *ro,
                               const ent_ensemble_opts *o, ent_ensemble **out,
                               ent_diag *d) {
  *out = NULL;
  if (!m || !o || o->runs < 1 || o->threads < 1 || !(o->memory_mb > 0.0))
    return ENT_EINVAL;
  if (o->sobol && m->n_uparams == 0) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, m->source, 0, 0,
                 "Sobol' indices need uncertain inputs: scenario '%s' has none "
                 "(give numbers as distributions, docs/scenario.md)",
                 m->id ? m->id : "?");
    return ENT_EINPUT;
  }
  ent_ensemble *e = ent_calloc(1, sizeof *e);
  if (!e) return ENT_ENOMEM;
  e->m = m;
  e->o = *o;
  e->rank = ent_ensemble_mpi_rank(o->mpi);
  e->size = ent_ensemble_mpi_size(o->mpi);
  e->d = m->n_uparams;
  e->per_unit = o->sobol ? e->d + 2 : 1;
  e->n_units = o->runs;
  e->ro.robustness = 0; /* the robustness variants are for single runs */
  e->ro.models = ro ? ro->models : -1; /* as the scenario's issues say */
  e->ro.smp_beside = 0; /* members aggregate the deciding model only */
  for (size_t k = 0; ro && k < ro->n_kv; k++) {
    if (!(e->ro.kv[k] = ent_strdup(ro->kv[k]))) goto nomem;
    e->ro.n_kv++;
  }
  /* the nominal run fixes the outputs */
  ent_run *r = NULL;
  ent_status st = ent_run_create(m, &e->ro, &r, d);
  if (st != ENT_OK) {
    ent_ensemble_destroy(e);
    return st;
  }
  e->first_year = r->first_year;
  e->last_year = r->last_year;
  e->n_years = m->st ? r->last_year - r->first_year + 1 : 0;
  st = build_layout(e, r);
  if (st == ENT_OK) {
    size_t ni = m->n_issues;
    e->dyad_off = ent_calloc(ni + 1, sizeof *e->dyad_off);
    e->range_off = ent_calloc(ni + 1, sizeof *e->range_off);
    e->cross_off = ent_calloc(ni + 1, sizeof *e->cross_off);
    if (!e->dyad_off || !e->range_off || !e->cross_off) st = ENT_ENOMEM;
    for (size_t i = 0; st == ENT_OK && i < ni; i++) {
      size_t n = m->issues[i].n_stakes, na = m->issues[i].n_anchors;
      e->dyad_off[i + 1] = e->dyad_off[i] + n * (n - 1);
      e->range_off[i + 1] = e->range_off[i] + na;
      e->cross_off[i + 1] =
          e->cross_off[i] + na * (size_t)(e->n_years ? e->n_years + 1 : 2);
    }
    e->n_dyads = ni && e->dyad_off ? e->dyad_off[ni] : 0;
  }
  if (st == ENT_OK && e->n_years) {
    size_t ni = m->n_issues;
    e->cross_cell = ent_mallocarray(ni * (size_t)e->n_years + 1, sizeof(long));
    if (!e->cross_cell) st = ENT_ENOMEM;
    for (size_t i = 0; st == ENT_OK && i < ni; i++)
      for (int t = 0; t < e->n_years; t++) {
        size_t c = find_cell(e, ENT_VNAME(ENT_VAR_ISSUE_FORECAST), m->issues[i].id,
                             e->first_year + t);
        e->cross_cell[i * (size_t)e->n_years + (size_t)t] =
            c == (size_t)-1 ? -1 : (long)c;
      }
  }
  e->n_vals = e->d + e->S + m->n_issues;
  e->rec_bytes = ENT_ENS_REC_HEAD + e->n_vals * sizeof(double) + e->n_dyads;
  e->rec_bytes = (e->rec_bytes + 7) & ~(size_t)7;
  if (st == ENT_OK && build_headlines(e)) st = ENT_ENOMEM;
  /* the nominal headline values: the Sobol' sums are taken about them,
   * which keeps the estimator's variance down when |mean| >> sd */
  if (st == ENT_OK && !(e->h0 = ent_calloc(e->h + 1, sizeof(double))))
    st = ENT_ENOMEM;
  for (size_t k = 0; st == ENT_OK && k < e->h; k++) {
    size_t at = e->head[k].at - e->d;
    if (at >= e->S) {
      e->h0[k] = r->issues[at - e->S].forecast;
    } else {
      e->h0[k] = r->series[at].value;
    }
  }
  ent_run_destroy(r);
  if (st != ENT_OK) goto fail;
  if (e->rank == 0) {
    size_t nc = e->S + m->n_issues;
    size_t samples = e->n_units * (o->sobol ? 2 : 1);
    e->w = ent_calloc(nc ? nc : 1, sizeof *e->w);
    e->q = ent_qacc_create(nc, samples, (size_t)(o->memory_mb * 1048576.0));
    e->range_count = ent_calloc(e->range_off[m->n_issues] + 1, sizeof(unsigned long));
    e->cross_count = ent_calloc(e->cross_off[m->n_issues] + 1, sizeof(unsigned long));
    e->class_count = ent_calloc(e->n_dyads * ENT_CLASSES + 1, sizeof(unsigned long));
    e->src = ent_src_create(e->d, e->h);
    e->hy = ent_calloc((e->h ? e->h : 1) * e->per_unit, sizeof(double));
    e->hx = ent_calloc(e->d + 1, sizeof(double));
    e->pend = ent_mallocarray(e->per_unit, e->rec_bytes);
    if (!e->w || !e->q || !e->range_count || !e->cross_count ||
        !e->class_count || !e->src || !e->hy || !e->hx || !e->pend)
      goto nomem;
    if (o->sobol && !(e->sob = ent_sobol_create(e->d, e->h))) goto nomem;
  }
  e->buf_cap = units_per_step(e) * e->per_unit;
  e->buf = ent_mallocarray(e->buf_cap, e->rec_bytes);
  e->n_work = o->threads;
  e->work = ent_calloc((size_t)e->n_work, sizeof *e->work);
  if (!e->buf || !e->work) goto nomem;
  for (int t = 0; t < e->n_work; t++) {
    work *w = &e->work[t];
    w->model = ent_model_clone(m);
    w->rng = gsl_rng_alloc(gsl_rng_mt19937);
    w->u = ent_calloc(2 * e->d + 1, sizeof(double));
    w->x = ent_calloc(e->d + 1, sizeof(double));
    if (!w->model || !w->rng || !w->u || !w->x) goto nomem;
  }
  *out = e;
  return ENT_OK;
nomem:
  st = ENT_ENOMEM;
fail:
  ent_ensemble_destroy(e);
  return st;
}

/* ------------------------------------------------------------ members */

static int class_of(ent_eum_region r) {
  switch (r) {
  case ENT_REGION_CONFRONT_I_MOVES:
  case ENT_REGION_CONFRONT_J_MOVES:
    return ENT_CLASS_CONFLICT;
  case ENT_REGION_COMPROMISE_I_MOVES:
  case ENT_REGION_COMPROMISE_J_MOVES:
    return ENT_CLASS_COMPROMISE;
  case ENT_REGION_CAPITULATE_I_MOVES:
  case ENT_REGION_CAPITULATE_J_MOVES:
    return ENT_CLASS_CAPITULATION;
  case ENT_REGION_STALEMATE:
    return ENT_CLASS_STALEMATE;
  case ENT_REGION_SAME_POSITION:
    return ENT_CLASS_AGREEMENT;
  default:
    return ENT_CLASS_NONE;
  }
}

/* Evaluation `ev` (unit ev / per_unit, variant ev % per_unit) into rec. */
static void evaluate(const ent_ensemble *e, work *w, unsigned long ev,
                     unsigned char *rec) {
  const ent_model *m = e->m;
  unsigned long unit = ev / e->per_unit;
  size_t k = ev % e->per_unit, d = e->d;
  memset(rec, 0, ENT_ENS_REC_HEAD);
  double *vals = rec_vals(e, rec);
  for (size_t i = 0; i < e->n_vals; i++) vals[i] = NAN;
  unsigned char *cls = rec_classes(e, rec);
  memset(cls, ENT_CLASS_NONE, e->n_dyads);
  /* the member's stream: (seed, unit) only */
  gsl_rng_set(w->rng, (unsigned long)ent_seed_derive(e->o.seed, unit));
  size_t nu = e->o.sobol ? 2 * d : d;
  for (size_t i = 0; i < nu; i++) w->u[i] = gsl_rng_uniform_pos(w->rng);
  for (size_t i = 0; i < d; i++) {
    /* k: 0 = A, 1 = B, 2 + j = A with column j from B */
    double u = w->u[i];
    if (k == 1 || (k >= 2 && k - 2 == i)) u = w->u[d + i];
    w->x[i] = ent_dist_quantile(&m->uparams[i].dist, u);
  }
  memcpy(vals, w->x, d * sizeof(double));
  ent_model_apply(w->model, w->x);
  ent_diag *dg = ent_diag_create();
  ent_run *r = NULL;
  ent_status st = dg ? ent_run_create(w->model, &e->ro, &r, dg) : ENT_ENOMEM;
  int32_t s32 = (int32_t)st;
  memcpy(rec, &s32, sizeof s32);
  if (st != ENT_OK) {
    const ent_diag_item *it = dg ? ent_diag_get(dg, 0) : NULL;
    snprintf((char *)rec + 8, ENT_ENS_REC_HEAD - 8, "%.110s",
             it ? it->msg : ent_status_str(st));
    ent_diag_destroy(dg);
    return;
  }
  ent_diag_destroy(dg);
  /* series into the layout: usually point k is cell k */
  size_t c = 0;
  for (size_t p = 0; p < r->n_series; p++) {
    const ent_series_point *pt = &r->series[p];
    size_t at = c < e->S && cell_is(&e->cells[c], pt->variable, pt->entity,
                                    pt->year)
                    ? c
                    : find_cell(e, pt->variable, pt->entity, pt->year);
    if (at == (size_t)-1) continue;
    vals[d + at] = pt->value;
    c = at + 1;
  }
  for (size_t i = 0; i < m->n_issues; i++) {
    const ent_eum_hist *h = r->issues[i].hist; /* NULL: spatial-model issue */
    vals[d + e->S + i] = r->issues[i].forecast;
    size_t n = m->issues[i].n_stakes, q = e->dyad_off[i];
    for (size_t a = 0; a < n; a++)
      for (size_t b = 0; b < n; b++) {
        if (a == b) continue;
        ent_eum_region reg = h && h->n_rounds > 0
                                 ? ent_eum_hist_region(h, h->n_rounds, a, b)
                                 : ENT_REGION_NONE;
        cls[q++] = (unsigned char)class_of(reg);
      }
  }
  ent_run_destroy(r);
}

/* ------------------------------------------------------------ reduction */

/* Index of the labelled range (nearest anchor; a tie goes up) of v. */
static size_t range_of(const ent_issue *is, double v) {
  size_t k = 0;
  for (size_t a = 1; a < is->n_anchors; a++) {
    double mid = 0.5 * (is->anchors[a - 1].at + is->anchors[a].at);
    if (v >= mid) k = a;
  }
  return k;
}

/* One sample (a record that succeeded) into the statistics. */
static void add_sample(ent_ensemble *e, unsigned char *rec) {
  const ent_model *m = e->m;
  const double *vals = rec_vals(e, rec) + e->d;
  size_t nc = e->S + m->n_issues;
  for (size_t c = 0; c < nc; c++) {
    double v = vals[c];
    if (isnan(v)) continue;
    ent_welford_add(&e->w[c], v);
    ent_qacc_add(e->q, c, v);
  }
  size_t span = (size_t)(e->n_years ? e->n_years + 1 : 2);
  for (size_t i = 0; i < m->n_issues; i++) {
    const ent_issue *is = &m->issues[i];
    double out = vals[e->S + i];
    if (is->n_anchors) e->range_count[e->range_off[i] + range_of(is, out)]++;
    for (size_t a = 0; a < is->n_anchors; a++) {
      double at = is->anchors[a].at;
      size_t t = (size_t)e->n_years; /* never */
      if (e->n_years) {
        for (size_t y = 0; y < (size_t)e->n_years; y++) {
          long c = e->cross_cell[i * (size_t)e->n_years + y];
          if (c >= 0 && !isnan(vals[c]) && vals[c] >= at) {
            t = y;
            break;
          }
        }
      } else {
        t = out >= at ? 0 : 1;
      }
      e->cross_count[e->cross_off[i] + a * span + t]++;
    }
  }
  const unsigned char *cls = rec_classes(e, rec);
  for (size_t q = 0; q < e->n_dyads; q++)
    e->class_count[q * ENT_CLASSES + (cls[q] < ENT_CLASSES ? cls[q]
                                                                   : ENT_CLASS_NONE)]++;
  ent_ens_record_headline(e, rec, e->hy);
  ent_ens_record_inputs(e, rec, e->hx);
  ent_src_add(e->src, e->hx, e->hy);
  e->samples_ok++;
}

/* Reduce the per_unit records of one unit (rank 0, in unit order).
 * Returns a fatal status carried by a record (out of memory), else OK. */
static ent_status reduce_unit(ent_ensemble *e, unsigned char *recs) {
  int failed = 0;
  for (size_t k = 0; k < e->per_unit; k++) {
    unsigned char *rec = recs + k * e->rec_bytes;
    int s = ent_ens_record_status(rec);
    if (s == ENT_ENOMEM || s == ENT_EINTERNAL || s == ENT_EINVAL)
      return (ent_status)s;
    if (s != ENT_OK) {
      if (!e->first_failure[0])
        snprintf(e->first_failure, sizeof e->first_failure, "%.150s",
                 (const char *)rec + 8);
      failed = 1;
    }
  }
  if (failed) {
    e->units_failed++;
    return ENT_OK;
  }
  add_sample(e, recs);
  if (e->o.sobol) {
    add_sample(e, recs + e->rec_bytes);
    size_t h = e->h;
    double *fA = e->hy, *fB = e->hy + h, *fAB = e->hy + 2 * h;
    ent_ens_record_headline(e, recs, fA);
    ent_ens_record_headline(e, recs + e->rec_bytes, fB);
    for (size_t i = 0; i < e->d; i++)
      ent_ens_record_headline(e, recs + (2 + i) * e->rec_bytes, fAB + i * h);
    for (size_t k = 0; k < h * e->per_unit; k++) e->hy[k] -= e->h0[k % h];
    ent_sobol_add(e->sob, fA, fB, fAB);
  }
  return ENT_OK;
}

ent_status ent_ens_feed(ent_ensemble *e, const void *rec, size_t len) {
  if (e->rank != 0 || len != e->rec_bytes || e->units_done >= e->n_units)
    return ENT_EINVAL;
  memcpy(e->pend + e->n_pend * e->rec_bytes, rec, len);
  if (++e->n_pend < e->per_unit) return ENT_OK;
  e->n_pend = 0;
  ent_status st = reduce_unit(e, e->pend);
  if (st == ENT_OK) e->units_done++;
  return st;
}

ent_status ent_ens_sync(ent_ensemble *e) {
  unsigned long long n = e->units_done;
#ifdef ENT_HAVE_MPI
  if (e->o.mpi && e->size > 1)
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, e->o.mpi->comm);
#endif
  e->units_done = (unsigned long)n;
  e->batch_count = 0;
  return ENT_OK;
}

/* ------------------------------------------------------------ steps */

/* Compute evaluations [first, first + n) into out (threads). */
static void compute(ent_ensemble *e, unsigned long first, size_t n,
                    unsigned char *out) {
  long nn = (long)n;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(e->n_work)
#endif
  for (long k = 0; k < nn; k++) {
#ifdef _OPENMP
    int t = omp_get_thread_num();
#else
    int t = 0;
#endif
    evaluate(e, &e->work[t], first + (unsigned long)k,
             out + (size_t)k * e->rec_bytes);
  }
}

enum { CTRL_GO = 0, CTRL_STOP = 1 };

ent_status ent_ensemble_step(ent_ensemble *e, ent_diag *d) {
  if (!e) return ENT_EINVAL;
  e->batch_count = 0;
  if (e->units_done >= e->n_units || e->stopped) return ENT_OK;
  int ctrl = bcast_int(e->o.mpi, e->stop_requested ? CTRL_STOP : CTRL_GO);
  if (ctrl == CTRL_STOP) {
    e->stopped = 1;
    return ENT_OK;
  }
  unsigned long u0 = e->units_done;
  size_t nb = e->buf_cap / e->per_unit;
  if (nb > e->n_units - u0) nb = e->n_units - u0;
  /* contiguous block of units per rank */
  unsigned long lo = u0 + (unsigned long)(nb * (size_t)e->rank / (size_t)e->size);
  unsigned long hi = u0 + (unsigned long)(nb * (size_t)(e->rank + 1) / (size_t)e->size);
  size_t mine = (size_t)(hi - lo) * e->per_unit;
  unsigned char *dst = e->buf;
  compute(e, lo * e->per_unit, mine, dst);
#ifdef ENT_HAVE_MPI
  if (e->o.mpi && e->size > 1) {
    int *counts = NULL, *displs = NULL;
    if (e->rank == 0) {
      counts = ent_calloc((size_t)e->size, sizeof *counts);
      displs = ent_calloc((size_t)e->size, sizeof *displs);
      if (!counts || !displs) MPI_Abort(e->o.mpi->comm, 1);
      for (int r = 0; r < e->size; r++) {
        size_t a = nb * (size_t)r / (size_t)e->size;
        size_t b = nb * (size_t)(r + 1) / (size_t)e->size;
        counts[r] = (int)((b - a) * e->per_unit * e->rec_bytes);
        displs[r] = (int)(a * e->per_unit * e->rec_bytes);
      }
    }
    /* rank 0's own part is already in place */
    MPI_Gatherv(e->rank == 0 ? MPI_IN_PLACE : e->buf,
                (int)(mine * e->rec_bytes), MPI_BYTE, e->buf, counts, displs,
                MPI_BYTE, 0, e->o.mpi->comm);
    ent_free(counts);
    ent_free(displs);
  }
#endif
  ent_status st = ENT_OK;
  if (e->rank == 0) {
    for (size_t u = 0; u < nb && st == ENT_OK; u++)
      st = reduce_unit(e, e->buf + u * e->per_unit * e->rec_bytes);
    if (st != ENT_OK)
      ent_diag_add(d, ENT_SEV_ERROR, st, e->m->source, 0, 0,
                   "a member of the forecast failed: %s", ent_status_str(st));
  }
  st = (ent_status)bcast_int(e->o.mpi, (int)st);
  if (st != ENT_OK) return st;
  e->batch_first = u0 * e->per_unit;
  e->batch_count = nb * e->per_unit;
  e->units_done = u0 + (unsigned long)nb;
  return e->units_done < e->n_units ? ENT_CONTINUE : ENT_OK;
}

/* ------------------------------------------------------------ output */

typedef struct summary {
  size_t n;
  double mean, sd, q[NQ];
} summary;

static void summarise(const ent_ensemble *e, size_t c, double *scratch,
                      summary *s) {
  s->n = e->w[c].n;
  s->mean = s->n ? e->w[c].mean : NAN;
  s->sd = s->n ? ent_welford_sd(&e->w[c]) : NAN;
  ent_qacc_quantiles(e->q, c, qprob, NQ, s->q, scratch);
}

static void json_num(cJSON *o, const char *k, double v) {
  if (isfinite(v)) cJSON_AddNumberToObject(o, k, v == 0.0 ? 0.0 : v);
  else cJSON_AddNullToObject(o, k);
}

static void json_summary(cJSON *o, const summary *s) {
  cJSON_AddNumberToObject(o, "n", (double)s->n);
  json_num(o, "mean", s->mean);
  json_num(o, "sd", s->sd);
  for (int k = 0; k < NQ; k++) json_num(o, qname[k], s->q[k]);
}

static double share(unsigned long k, unsigned long n) {
  return n ? (double)k / (double)n : 0.0;
}

/* Probability that issue i's forecast reached anchor a by year index t
 * (t = n_years - 1 is the last year; strategic scenarios: t = 0). */
static double reached_by(const ent_ensemble *e, size_t i, size_t a, size_t t) {
  size_t span = (size_t)(e->n_years ? e->n_years + 1 : 2);
  const unsigned long *c = e->cross_count + e->cross_off[i] + a * span;
  unsigned long k = 0;
  for (size_t y = 0; y <= t; y++) k += c[y];
  return share(k, e->samples_ok);
}

static cJSON *uncertain_json(const ent_ensemble *e) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t u = 0; arr && u < e->d; u++) {
    const ent_uparam *p = &e->m->uparams[u];
    cJSON *o = cJSON_CreateObject();
    char desc[256];
    ent_dist_describe(&p->dist, desc, sizeof desc);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "dist", ent_dist_name(p->dist.kind));
    cJSON_AddStringToObject(o, "describe", desc);
    json_num(o, "min", p->dist.lo);
    json_num(o, "max", p->dist.hi);
    json_num(o, "nominal", p->nominal);
    char where[512];
    snprintf(where, sizeof where, "%s:%d:%d", p->file, p->at.line, p->at.col);
    cJSON_AddStringToObject(o, "defined", where);
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

/* Sensitivity of headline o: values[d] and R^2 (SRC) or S1/ST (Sobol'). */
static ent_status sens_of(const ent_ensemble *e, size_t o, double *a,
                          double *b, double *r2) {
  if (e->o.sobol) {
    ent_sobol_compute(e->sob, o, a, b);
    *r2 = NAN;
    return ENT_OK;
  }
  /* a fit on d inputs needs more than d + 1 runs */
  if (ent_src_count(e->src) <= e->d + 1) return ENT_EINVAL;
  return ent_src_compute(e->src, o, a, r2);
}

static int too_few_for_src(const ent_ensemble *e) {
  return !e->o.sobol && ent_src_count(e->src) <= e->d + 1;
}

/* Input order by decreasing |key| (ties: declaration order). */
static void rank_inputs(const double *key, size_t d, size_t *order) {
  for (size_t i = 0; i < d; i++) order[i] = i;
  for (size_t i = 1; i < d; i++) {
    size_t v = order[i], j = i;
    double kv = isfinite(key[v]) ? fabs(key[v]) : -1.0;
    while (j > 0) {
      size_t p = order[j - 1];
      double kp = isfinite(key[p]) ? fabs(key[p]) : -1.0;
      if (kp >= kv) break;
      order[j] = p;
      j--;
    }
    order[j] = v;
  }
}

static void headline_name(const headline *hd, char *buf, size_t size) {
  if (hd->year) snprintf(buf, size, "%s %s %d", hd->variable, hd->entity, hd->year);
  else snprintf(buf, size, "%s %s", hd->variable, hd->entity);
}

static cJSON *sensitivity_json(const ent_ensemble *e) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "method",
                          e->o.sobol ? "sobol" : "src");
  cJSON_AddStringToObject(
      root, "about",
      e->o.sobol ? "Sobol' indices from Saltelli's design: first-order "
                   "(Saltelli et al. 2010) and total (Jansen 1999)"
                 : "standardised regression coefficients of a linear fit "
                   "on all uncertain inputs; r2 is the share of the "
                   "output's variance the fit explains");
  if (too_few_for_src(e))
    cJSON_AddStringToObject(root, "note", "too few runs for a regression on "
                                          "every uncertain input (needs more "
                                          "than inputs + 1)");
  cJSON *outs = cJSON_AddArrayToObject(root, "outputs");
  size_t d = e->d;
  double *a = ent_calloc(d + 1, sizeof *a), *b = ent_calloc(d + 1, sizeof *b);
  size_t *ord = ent_calloc(d + 1, sizeof *ord);
  if (!a || !b || !ord) {
    ent_free(a);
    ent_free(b);
    ent_free(ord);
    cJSON_Delete(root);
    return NULL;
  }
  for (size_t o = 0; d && o < e->h; o++) {
    double r2;
    if (sens_of(e, o, a, b, &r2) != ENT_OK) continue;
    rank_inputs(e->o.sobol ? b : a, d, ord);
    cJSON *jo = cJSON_CreateObject();
    cJSON_AddStringToObject(jo, "variable", e->head[o].variable);
    cJSON_AddStringToObject(jo, "entity", e->head[o].entity);
    if (e->n_years) cJSON_AddNumberToObject(jo, "year", e->head[o].year);
    if (!e->o.sobol) json_num(jo, "r2", r2);
    cJSON *ins = cJSON_AddArrayToObject(jo, "inputs");
    for (size_t k = 0; k < d; k++) {
      size_t i = ord[k];
      cJSON *ji = cJSON_CreateObject();
      cJSON_AddNumberToObject(ji, "rank", (double)(k + 1));
      cJSON_AddStringToObject(ji, "input", e->m->uparams[i].name);
      if (e->o.sobol) {
        json_num(ji, "first_order", a[i]);
        json_num(ji, "total", b[i]);
      } else {
        json_num(ji, "src", a[i]);
      }
      cJSON_AddItemToArray(ins, ji);
    }
    cJSON_AddItemToArray(outs, jo);
  }
  ent_free(a);
  ent_free(b);
  ent_free(ord);
  return root;
}

static cJSON *issue_json(const ent_ensemble *e, size_t i, double *scratch) {
  const ent_model *m = e->m;
  const ent_issue *is = &m->issues[i];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", is->id);
  cJSON_AddStringToObject(o, "question", is->question);
  summary s;
  summarise(e, e->S + i, scratch, &s);
  cJSON *oc = cJSON_AddObjectToObject(o, "outcome");
  json_summary(oc, &s);
  cJSON *rg = cJSON_AddArrayToObject(o, "ranges");
  for (size_t a = 0; a < is->n_anchors; a++) {
    cJSON *r = cJSON_CreateObject();
    double from = a ? 0.5 * (is->anchors[a - 1].at + is->anchors[a].at) : is->lo;
    double to = a + 1 < is->n_anchors
                    ? 0.5 * (is->anchors[a].at + is->anchors[a + 1].at)
                    : is->hi;
    cJSON_AddStringToObject(r, "label", is->anchors[a].label);
    json_num(r, "at", is->anchors[a].at);
    json_num(r, "from", from);
    json_num(r, "to", to);
    json_num(r, "probability",
             share(e->range_count[e->range_off[i] + a], e->samples_ok));
    cJSON_AddItemToArray(rg, r);
  }
  cJSON *th = cJSON_AddArrayToObject(o, "thresholds");
  for (size_t a = 0; a < is->n_anchors; a++) {
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "label", is->anchors[a].label);
    json_num(t, "at", is->anchors[a].at);
    if (e->n_years) {
      json_num(t, "probability",
               reached_by(e, i, a, (size_t)e->n_years - 1));
      cJSON *by = cJSON_AddArrayToObject(t, "by_year");
      for (int y = 0; y < e->n_years; y++) {
        cJSON *py = cJSON_CreateObject();
        cJSON_AddNumberToObject(py, "year", e->first_year + y);
        json_num(py, "probability", reached_by(e, i, a, (size_t)y));
        cJSON_AddItemToArray(by, py);
      }
    } else {
      json_num(t, "probability", reached_by(e, i, a, 0));
    }
    cJSON_AddItemToArray(th, t);
  }
  cJSON *rel = cJSON_AddArrayToObject(o, "relations");
  size_t n = is->n_stakes, q = e->dyad_off[i];
  for (size_t a = 0; a < n; a++)
    for (size_t b = 0; b < n; b++) {
      if (a == b) continue;
      cJSON *r = cJSON_CreateObject();
      cJSON_AddStringToObject(r, "from", m->actors[is->stakes[a].actor].id);
      cJSON_AddStringToObject(r, "to", m->actors[is->stakes[b].actor].id);
      for (int c = 0; c < ENT_CLASSES; c++)
        json_num(r, class_names[c],
                 share(e->class_count[q * ENT_CLASSES + (size_t)c],
                       e->samples_ok));
      cJSON_AddItemToArray(rel, r);
      q++;
    }
  return o;
}

static ent_status write_json(const ent_ensemble *e, FILE *fp, double *scratch) {
  const ent_model *m = e->m;
  cJSON *root = cJSON_CreateObject();
  if (!root) return ENT_ENOMEM;
  cJSON *sc = cJSON_AddObjectToObject(root, "scenario");
  cJSON_AddStringToObject(sc, "id", m->id ? m->id : "");
  cJSON_AddStringToObject(sc, "title", m->title ? m->title : "");
  cJSON_AddStringToObject(sc, "source", m->source ? m->source : "");
  cJSON_AddStringToObject(root, "version", ENT_VERSION);
  cJSON_AddNumberToObject(root, "runs", (double)e->n_units);
  cJSON_AddNumberToObject(root, "seed", (double)e->o.seed);
  cJSON_AddStringToObject(root, "design", e->o.sobol ? "saltelli" : "monte-carlo");
  cJSON_AddNumberToObject(root, "done", (double)e->units_done);
  cJSON_AddBoolToObject(root, "complete", e->units_done == e->n_units);
  cJSON_AddNumberToObject(root, "samples", (double)e->samples_ok);
  cJSON_AddNumberToObject(root, "failed", (double)e->units_failed);
  if (e->first_failure[0])
    cJSON_AddStringToObject(root, "first_failure", e->first_failure);
  cJSON *qj = cJSON_AddObjectToObject(root, "quantiles");
  if (ent_qacc_exact(e->q)) {
    cJSON_AddStringToObject(qj, "method", "exact");
  } else {
    cJSON_AddStringToObject(qj, "method", "sketch");
    cJSON_AddNumberToObject(qj, "k", (double)ent_qacc_k(e->q));
    cJSON_AddNumberToObject(qj, "levels", (double)ent_qacc_levels(e->q));
    cJSON_AddNumberToObject(qj, "rank_error", ent_qacc_rank_error(e->q));
  }
  if (m->st) {
    cJSON *tm = cJSON_AddObjectToObject(root, "time");
    cJSON_AddNumberToObject(tm, "start", e->first_year);
    cJSON_AddNumberToObject(tm, "end", e->last_year);
  }
  cJSON_AddItemToObject(root, "uncertain", uncertain_json(e));
  cJSON *series = cJSON_AddArrayToObject(root, "series");
  for (size_t c = 0; c < e->S; c++) {
    summary s;
    summarise(e, c, scratch, &s);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "variable", e->cells[c].variable);
    cJSON_AddStringToObject(o, "entity", e->cells[c].entity);
    cJSON_AddNumberToObject(o, "year", e->cells[c].year);
    cJSON_AddStringToObject(o, "unit", e->cells[c].unit);
    json_summary(o, &s);
    cJSON_AddItemToArray(series, o);
  }
  cJSON *issues = cJSON_AddArrayToObject(root, "issues");
  for (size_t i = 0; i < m->n_issues; i++)
    cJSON_AddItemToArray(issues, issue_json(e, i, scratch));
  cJSON *sens = sensitivity_json(e);
  if (!sens) {
    cJSON_Delete(root);
    return ENT_ENOMEM;
  }
  cJSON_AddItemToObject(root, "sensitivity", sens);
  char *text = cJSON_Print(root);
  cJSON_Delete(root);
  if (!text) return ENT_ENOMEM;
  int bad = fputs(text, fp) < 0 || fputc('\n', fp) == EOF;
  cJSON_free(text);
  return bad || fflush(fp) ? ENT_EIO : ENT_OK;
}


static void csv_row(ent_strbuf *b, const char *section, const char *var,
                    const char *ent, int year, int has_year, const char *stat,
                    double v) {
  char num[40];
  ent_fmt_double(num, sizeof num, v);
  ent_strbuf_printf(b, "%s,", section);
  ent_csv_write_field(b, var, 0);
  ent_strbuf_puts(b, ",");
  ent_csv_write_field(b, ent, 0);
  if (has_year) ent_strbuf_printf(b, ",%d,", year);
  else ent_strbuf_puts(b, ",,");
  ent_strbuf_printf(b, "%s,%s\n", stat, isfinite(v) ? num : "");
}

static void write_csv(const ent_ensemble *e, ent_strbuf *b, double *scratch) {
  const ent_model *m = e->m;
  ent_strbuf_puts(b, "section,variable,entity,year,statistic,value\n");
  for (size_t c = 0; c < e->S; c++) {
    summary s;
    summarise(e, c, scratch, &s);
    const cell *cl = &e->cells[c];
    csv_row(b, "series", cl->variable, cl->entity, cl->year, 1, "n", (double)s.n);
    csv_row(b, "series", cl->variable, cl->entity, cl->year, 1, "mean", s.mean);
    csv_row(b, "series", cl->variable, cl->entity, cl->year, 1, "sd", s.sd);
    for (int k = 0; k < NQ; k++)
      csv_row(b, "series", cl->variable, cl->entity, cl->year, 1, qname[k], s.q[k]);
  }
  for (size_t i = 0; i < m->n_issues; i++) {
    const ent_issue *is = &m->issues[i];
    summary s;
    summarise(e, e->S + i, scratch, &s);
    int hy = e->n_years > 0;
    csv_row(b, "outcome", "issue_forecast", is->id, e->last_year, hy, "n", (double)s.n);
    csv_row(b, "outcome", "issue_forecast", is->id, e->last_year, hy, "mean", s.mean);
    csv_row(b, "outcome", "issue_forecast", is->id, e->last_year, hy, "sd", s.sd);
    for (int k = 0; k < NQ; k++)
      csv_row(b, "outcome", "issue_forecast", is->id, e->last_year, hy, qname[k], s.q[k]);
    for (size_t a = 0; a < is->n_anchors; a++)
      csv_row(b, "range", is->anchors[a].label, is->id, e->last_year, hy,
              "probability",
              share(e->range_count[e->range_off[i] + a], e->samples_ok));
    for (size_t a = 0; a < is->n_anchors; a++) {
      if (!e->n_years) {
        csv_row(b, "threshold", is->anchors[a].label, is->id, 0, 0,
                "p_reached", reached_by(e, i, a, 0));
        continue;
      }
      for (int y = 0; y < e->n_years; y++)
        csv_row(b, "threshold", is->anchors[a].label, is->id,
                e->first_year + y, 1, "p_reached_by", reached_by(e, i, a, (size_t)y));
    }
    size_t n = is->n_stakes, q = e->dyad_off[i];
    for (size_t a = 0; a < n; a++)
      for (size_t c = 0; c < n; c++) {
        if (a == c) continue;
        char ent[200];
        snprintf(ent, sizeof ent, "%s->%s@%s", m->actors[is->stakes[a].actor].id,
                 m->actors[is->stakes[c].actor].id, is->id);
        for (int k = 0; k < ENT_CLASSES; k++)
          csv_row(b, "relation", class_names[k], ent, e->last_year, hy, "share",
                  share(e->class_count[q * ENT_CLASSES + (size_t)k],
                        e->samples_ok));
        q++;
      }
  }
  size_t d = e->d;
  double *a = ent_calloc(d + 1, sizeof *a), *bb = ent_calloc(d + 1, sizeof *bb);
  for (size_t o = 0; a && bb && d && o < e->h; o++) {
    double r2;
    if (sens_of(e, o, a, bb, &r2) != ENT_OK) continue;
    char out[200];
    headline_name(&e->head[o], out, sizeof out);
    for (size_t i = 0; i < d; i++) {
      if (e->o.sobol) {
        csv_row(b, "sensitivity", e->m->uparams[i].name, out, 0, 0, "first_order", a[i]);
        csv_row(b, "sensitivity", e->m->uparams[i].name, out, 0, 0, "total", bb[i]);
      } else {
        csv_row(b, "sensitivity", e->m->uparams[i].name, out, 0, 0, "src", a[i]);
      }
    }
    if (!e->o.sobol) csv_row(b, "sensitivity", "", out, 0, 0, "r2", r2);
  }
  if (!a || !bb) b->failed = 1;
  ent_free(a);
  ent_free(bb);
}

/* "12.3" with up to `prec` decimals, no trailing zeros. */
static void fmt_num(char *buf, size_t size, double v, int prec) {
  if (!isfinite(v)) {
    snprintf(buf, size, "-");
    return;
  }
  if (v == 0.0) v = 0.0;
  if (prec < 0) { /* -p: p significant digits */
    snprintf(buf, size, "%.*g", -prec, v);
    return;
  }
  snprintf(buf, size, "%.*f", prec, v);
  char *dot = strchr(buf, '.');
  if (dot) {
    char *z = buf + strlen(buf) - 1;
    while (z > dot && *z == '0') *z-- = '\0';
    if (z == dot) *z = '\0';
  }
  if (!strcmp(buf, "-0")) snprintf(buf, size, "0");
}

static void pct(char *buf, size_t size, double p) {
  if (p > 0.0 && p < 0.005) snprintf(buf, size, "<1%%");
  else if (p < 1.0 && p > 0.995) snprintf(buf, size, ">99%%");
  else snprintf(buf, size, "%.0f%%", 100.0 * p);
}

/* One band "median [q05-q95]" of cell c times scale. */
static void band(const ent_ensemble *e, size_t c, double scale, int prec,
                 double *scratch, char *buf, size_t size) {
  if (c == (size_t)-1) {
    snprintf(buf, size, "-");
    return;
  }
  summary s;
  summarise(e, c, scratch, &s);
  char a[40], b[40], m[40];
  fmt_num(m, sizeof m, s.q[2] * scale, prec);
  fmt_num(a, sizeof a, s.q[0] * scale, prec);
  fmt_num(b, sizeof b, s.q[4] * scale, prec);
  if (!strcmp(a, b)) snprintf(buf, size, "%s", m);
  else snprintf(buf, size, "%.30s [%.30s-%.30s]", m, a, b);
}

static void text_structure(const ent_ensemble *e, ent_strbuf *b,
                           double *scratch) {
  const ent_structure *st = e->m->st;
  const char *A = st->blocs[e->main_a].id, *B = st->blocs[e->main_b].id;
  char ab[72], ba[72];
  snprintf(ab, sizeof ab, "%s->%s", A, B);
  snprintf(ba, sizeof ba, "%s->%s", B, A);
  struct {
    const char *var, *ent, *title;
    double scale;
    int prec;
  } col[] = {{"trade_flow", ab, "exports A>B", 1, 1},
             {"trade_flow", ba, "exports B>A", 1, 1},
             {"dependence", ab, "dep A>B %", 100, 2},
             {"dependence", ba, "dep B>A %", 100, 2},
             {"gas_flow", ab, "gas", 1, 1},
             {"oil_flow", ab, "oil", 1, 1},
             {"arms_transfer", ab, "arms", 1, 0}};
  size_t nc = sizeof col / sizeof col[0];
  int show[7];
  for (size_t k = 0; k < nc; k++)
    show[k] = find_cell(e, col[k].var, col[k].ent, e->last_year) != (size_t)-1;
  ent_strbuf_printf(b, "\nthe %s-%s relationship, median [5%%-95%% of runs] "
                       "(A = %s, B = %s; trade in US$ bn, dependence = "
                       "bilateral trade / GDP):\n  %4s", A, B, A, B, "year");
  for (size_t k = 0; k < nc; k++)
    if (show[k]) ent_strbuf_printf(b, "  %-20s", col[k].title);
  ent_strbuf_puts(b, "\n");
  int step = e->last_year - e->first_year > 8 ? 2 : 1;
  for (int y = e->first_year; y <= e->last_year; y += step) {
    if (y + step > e->last_year && y != e->last_year) y = e->last_year;
    ent_strbuf_printf(b, "  %4d", y);
    for (size_t k = 0; k < nc; k++) {
      if (!show[k]) continue;
      char buf[120];
      band(e, find_cell(e, col[k].var, col[k].ent, y), col[k].scale,
           col[k].prec, scratch, buf, sizeof buf);
      ent_strbuf_printf(b, "  %-20s", buf);
    }
    ent_strbuf_puts(b, "\n");
  }
}

static void text_issue(const ent_ensemble *e, size_t i, ent_strbuf *b,
                       double *scratch) {
  const ent_issue *is = &e->m->issues[i];
  summary s;
  summarise(e, e->S + i, scratch, &s);
  char m5[32], q5[32], q95[32], mn[32];
  fmt_num(m5, sizeof m5, s.q[2], 1);
  fmt_num(q5, sizeof q5, s.q[0], 1);
  fmt_num(q95, sizeof q95, s.q[4], 1);
  fmt_num(mn, sizeof mn, s.mean, 1);
  ent_strbuf_printf(b, "\n%zu. %s [%s]\n", i + 1, is->question, is->id);
  ent_strbuf_printf(b, "   outcome: median %s, 90%% of runs in [%s, %s], mean %s "
                       "(scale %g-%g)\n", m5, q5, q95, mn, is->lo, is->hi);
  if (!is->n_anchors || !e->samples_ok) return;
  ent_strbuf_puts(b, "   nearest label:");
  int first = 1;
  for (size_t a = 0; a < is->n_anchors; a++) {
    double p = share(e->range_count[e->range_off[i] + a], e->samples_ok);
    if (p <= 0.0) continue;
    char ps[16];
    pct(ps, sizeof ps, p);
    ent_strbuf_printf(b, "%s \"%s\" %s", first ? "" : ";", is->anchors[a].label,
                      ps);
    first = 0;
  }
  ent_strbuf_puts(b, "\n");
  /* labels above the median that some runs reach, in words */
  int mid = e->n_years ? (e->n_years - 1) / 2 : 0;
  for (size_t a = 0; a < is->n_anchors; a++) {
    if (!(is->anchors[a].at > s.q[2])) continue;
    double plast = reached_by(e, i, a, e->n_years ? (size_t)e->n_years - 1 : 0);
    if (!(plast > 0.0)) {
      ent_strbuf_printf(b, "   \"%s\" (>= %g): no run reaches it\n",
                        is->anchors[a].label, is->anchors[a].at);
      break; /* nor any label above it */
    }
    char ps[16], pm[16];
    pct(ps, sizeof ps, plast);
    if (e->n_years) {
      pct(pm, sizeof pm, reached_by(e, i, a, (size_t)mid));
      ent_strbuf_printf(b, "   \"%s\" (>= %g) reached by %d: %s of runs; by %d: "
                           "%s\n", is->anchors[a].label, is->anchors[a].at,
                        e->first_year + mid, pm, e->last_year, ps);
    } else {
      ent_strbuf_printf(b, "   \"%s\" (>= %g): %s of runs\n", is->anchors[a].label,
                        is->anchors[a].at, ps);
    }
  }
}

static void text_relations(const ent_ensemble *e, ent_strbuf *b) {
  const ent_model *m = e->m;
  if (!m->n_pairs || !m->n_issues) return;
  static const char letter[ENT_CLASSES] = {'X', 'C', 'K', 'S', '=', '.'};
  ent_strbuf_puts(b, "\nrelationships in the final round: the most common class "
                     "and its share of runs (row actor's view of the column "
                     "issue):\n");
  ent_strbuf_printf(b, "  %-16s", "pair");
  for (size_t i = 0; i < m->n_issues; i++) ent_strbuf_printf(b, " %6zu", i + 1);
  ent_strbuf_puts(b, "\n");
  for (size_t p = 0; p < m->n_pairs; p++) {
    char pair[64];
    snprintf(pair, sizeof pair, "%s -> %s", m->actors[m->pairs[p][0]].id,
             m->actors[m->pairs[p][1]].id);
    ent_strbuf_printf(b, "  %-16s", pair);
    for (size_t i = 0; i < m->n_issues; i++) {
      const ent_issue *is = &m->issues[i];
      long si = -1, sj = -1;
      for (size_t k = 0; k < is->n_stakes; k++) {
        if (is->stakes[k].actor == m->pairs[p][0]) si = (long)k;
        if (is->stakes[k].actor == m->pairs[p][1]) sj = (long)k;
      }
      if (si < 0 || sj < 0 || !e->samples_ok) {
        ent_strbuf_printf(b, " %6s", "-");
        continue;
      }
      size_t n = is->n_stakes;
      size_t q = e->dyad_off[i] + (size_t)si * (n - 1) +
                 (size_t)(sj > si ? sj - 1 : sj);
      int best = 0;
      for (int c = 1; c < ENT_CLASSES; c++)
        if (e->class_count[q * ENT_CLASSES + (size_t)c] >
            e->class_count[q * ENT_CLASSES + (size_t)best])
          best = c;
      double p1 = share(e->class_count[q * ENT_CLASSES + (size_t)best],
                        e->samples_ok);
      ent_strbuf_printf(b, " %c%4.0f%%", letter[best], 100.0 * p1);
    }
    ent_strbuf_puts(b, "\n");
  }
  ent_strbuf_puts(b, "  X conflict  C compromise  K capitulation  S stalemate  "
                     "= same position  . none  - not both on the issue\n");
}

static void text_sensitivity(const ent_ensemble *e, ent_strbuf *b) {
  size_t d = e->d;
  if (!d || e->samples_ok < 2) return;
  if (too_few_for_src(e)) {
    ent_strbuf_printf(b, "\nwhat drives the forecast: too few runs for a "
                         "regression on %zu inputs (more than %zu needed)\n",
                      d, d + 1);
    return;
  }
  double *a = ent_calloc(d, sizeof *a), *c = ent_calloc(d, sizeof *c);
  size_t *ord = ent_calloc(d, sizeof *ord);
  if (!a || !c || !ord) {
    b->failed = 1;
  } else {
    ent_strbuf_printf(b, "\nwhat drives the forecast (%s; the 5 inputs that "
                         "matter most per output):\n",
                      e->o.sobol ? "Sobol' indices: first-order S1 and total "
                                   "ST, share of the output's variance"
                                 : "standardised regression coefficients; R^2 "
                                   "= share of the output's variance a linear "
                                   "fit on the inputs explains");
    for (size_t o = 0; o < e->h; o++) {
      double r2;
      if (sens_of(e, o, a, c, &r2) != ENT_OK) continue;
      char name[200];
      headline_name(&e->head[o], name, sizeof name);
      if (!e->o.sobol && !isfinite(r2)) {
        ent_strbuf_printf(b, "  %s: the same in every run\n", name);
        continue;
      }
      if (e->o.sobol) ent_strbuf_printf(b, "  %s\n", name);
      else ent_strbuf_printf(b, "  %s (R^2 %.2f)\n", name, r2);
      rank_inputs(e->o.sobol ? c : a, d, ord);
      for (size_t k = 0; k < d && k < 5; k++) {
        size_t i = ord[k];
        double key = e->o.sobol ? c[i] : a[i];
        if (!(fabs(key) >= 0.005)) break; /* the rest is noise */
        if (e->o.sobol)
          ent_strbuf_printf(b, "    %zu. %-56s S1 %5.2f  ST %5.2f\n", k + 1,
                            e->m->uparams[i].name, a[i], c[i]);
        else
          ent_strbuf_printf(b, "    %zu. %-56s %+.2f\n", k + 1,
                            e->m->uparams[i].name, a[i]);
      }
    }
  }
  ent_free(a);
  ent_free(c);
  ent_free(ord);
}

static void write_text(const ent_ensemble *e, ent_strbuf *b, double *scratch) {
  const ent_model *m = e->m;
  ent_strbuf_printf(b, "%s -- forecast\n", m->title ? m->title : m->id);
  ent_strbuf_printf(b, "scenario %s (%s), %zu uncertain input%s; %lu run%s "
                       "(seed %llu)",
                    m->id ? m->id : "?", m->source ? m->source : "?", e->d,
                    e->d == 1 ? "" : "s", e->n_units, e->n_units == 1 ? "" : "s",
                    e->o.seed);
  if (e->o.sobol)
    ent_strbuf_printf(b, " x %zu evaluations (Saltelli's design)", e->per_unit);
  ent_strbuf_puts(b, "\n");
  if (e->units_done < e->n_units)
    ent_strbuf_printf(b, "INTERRUPTED: %lu of %lu runs done; the statistics "
                         "below use those\n", e->units_done, e->n_units);
  if (e->units_failed)
    ent_strbuf_printf(b, "%lu run%s failed and %s left out (first: %s)\n",
                      e->units_failed, e->units_failed == 1 ? "" : "s",
                      e->units_failed == 1 ? "is" : "are", e->first_failure);
  if (ent_qacc_exact(e->q))
    ent_strbuf_puts(b, "quantiles: exact\n");
  else
    ent_strbuf_printf(b, "quantiles: streaming sketch (k %zu, rank error at most "
                         "%.2g%%)\n", ent_qacc_k(e->q),
                      100.0 * ent_qacc_rank_error(e->q));
  if (!e->samples_ok) {
    ent_strbuf_puts(b, "no completed runs\n");
    return;
  }
  if (m->st) text_structure(e, b, scratch);
  if (m->n_issues && e->n_years)
    ent_strbuf_printf(b, "\nissue outcomes in %d:\n", e->last_year);
  else if (m->n_issues)
    ent_strbuf_puts(b, "\nissue outcomes:\n");
  for (size_t i = 0; i < m->n_issues; i++) text_issue(e, i, b, scratch);
  text_relations(e, b);
  text_sensitivity(e, b);
}

ent_status ent_ensemble_write(const ent_ensemble *e, ent_format f, FILE *fp) {
  if (!e || e->rank != 0) return ENT_EINVAL;
  double *scratch = ent_mallocarray(ent_qacc_scratch(e->q) + 1, sizeof(double));
  if (!scratch) return ENT_ENOMEM;
  ent_status st;
  if (f == ENT_FORMAT_JSON) {
    st = write_json(e, fp, scratch);
  } else {
    ent_strbuf b;
    ent_strbuf_init(&b);
    if (f == ENT_FORMAT_CSV) write_csv(e, &b, scratch);
    else write_text(e, &b, scratch);
    if (b.failed) {
      st = ENT_ENOMEM;
    } else {
      int bad = b.len && fwrite(b.data, 1, b.len, fp) != b.len;
      st = bad || fflush(fp) ? ENT_EIO : ENT_OK;
    }
    ent_strbuf_free(&b);
  }
  ent_free(scratch);
  return st;
}

/* ------------------------------------------------------------ compare */

/* Difference of means b - a, its standard error (Welch) and whether it is
 * larger than its noise: |diff| > 2 se (se 0: any difference). */
typedef struct diffstat {
  double diff, se;
  int marked;
} diffstat;

static diffstat diff_of(const summary *a, const summary *b) {
  diffstat r;
  r.diff = b->mean - a->mean;
  double va = a->n > 0 ? a->sd * a->sd / (double)a->n : 0.0;
  double vb = b->n > 0 ? b->sd * b->sd / (double)b->n : 0.0;
  r.se = sqrt(va + vb);
  double scale = fabs(a->mean) + fabs(b->mean);
  r.marked = isfinite(r.diff) &&
             (r.se > 0.0 ? fabs(r.diff) > 2.0 * r.se
                         : fabs(r.diff) > 1e-12 * (scale > 1.0 ? scale : 1.0));
  return r;
}

static void cmp_json_summary(cJSON *o, const char *k, const summary *s) {
  cJSON *j = cJSON_AddObjectToObject(o, k);
  json_summary(j, s);
}

ent_status ent_ensemble_compare_write(const ent_ensemble *a,
                                      const ent_ensemble *b, ent_format f,
                                      FILE *fp) {
  if (!a || !b || a->rank != 0) return ENT_EINVAL;
  size_t ns = ent_qacc_scratch(a->q) > ent_qacc_scratch(b->q)
                  ? ent_qacc_scratch(a->q)
                  : ent_qacc_scratch(b->q);
  double *scratch = ent_mallocarray(ns + 1, sizeof(double));
  if (!scratch) return ENT_ENOMEM;
  /* headline outputs of a found in b */
  ent_strbuf out;
  ent_strbuf_init(&out);
  cJSON *root = NULL, *heads = NULL, *series = NULL;
  if (f == ENT_FORMAT_JSON) {
    root = cJSON_CreateObject();
    cJSON *ja = cJSON_AddObjectToObject(root, "a");
    cJSON_AddStringToObject(ja, "id", a->m->id ? a->m->id : "");
    cJSON_AddStringToObject(ja, "source", a->m->source ? a->m->source : "");
    cJSON_AddNumberToObject(ja, "samples", (double)a->samples_ok);
    cJSON *jb = cJSON_AddObjectToObject(root, "b");
    cJSON_AddStringToObject(jb, "id", b->m->id ? b->m->id : "");
    cJSON_AddStringToObject(jb, "source", b->m->source ? b->m->source : "");
    cJSON_AddNumberToObject(jb, "samples", (double)b->samples_ok);
    cJSON_AddNumberToObject(root, "runs", (double)a->n_units);
    cJSON_AddNumberToObject(root, "seed", (double)a->o.seed);
    cJSON_AddStringToObject(root, "rule", "marked: |mean_b - mean_a| > 2 se, "
                                          "se = sqrt(sd_a^2/n_a + sd_b^2/n_b)");
    heads = cJSON_AddArrayToObject(root, "headline");
    series = cJSON_AddArrayToObject(root, "series");
  } else if (f == ENT_FORMAT_CSV) {
    ent_strbuf_puts(&out, "variable,entity,year,mean_a,mean_b,diff,se,marked\n");
  } else {
    ent_strbuf_printf(&out, "comparing A = %s (%s) with B = %s (%s): %lu runs "
                            "each, seed %llu\n",
                      a->m->id ? a->m->id : "?", a->m->source ? a->m->source : "?",
                      b->m->id ? b->m->id : "?", b->m->source ? b->m->source : "?",
                      a->n_units, a->o.seed);
    ent_strbuf_puts(&out, "* = the difference of means is more than twice its "
                          "standard error (Welch)\n\n");
    ent_strbuf_printf(&out, "  %-44s %-24s %-24s %10s\n", "output", "A median [5-95%]",
                      "B median [5-95%]", "B - A");
  }
  /* headline outputs: a's list */
  for (size_t k = 0; k < a->h; k++) {
    const headline *hd = &a->head[k];
    size_t ca = hd->at - a->d;
    size_t cb = (size_t)-1;
    for (size_t q = 0; q < b->h; q++)
      if (!strcmp(b->head[q].variable, hd->variable) &&
          !strcmp(b->head[q].entity, hd->entity) && b->head[q].year == hd->year)
        cb = b->head[q].at - b->d;
    if (cb == (size_t)-1) continue;
    summary sa, sb;
    summarise(a, ca, scratch, &sa);
    summarise(b, cb, scratch, &sb);
    diffstat ds = diff_of(&sa, &sb);
    if (root) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "variable", hd->variable);
      cJSON_AddStringToObject(o, "entity", hd->entity);
      if (a->n_years) cJSON_AddNumberToObject(o, "year", hd->year);
      cmp_json_summary(o, "a", &sa);
      cmp_json_summary(o, "b", &sb);
      json_num(o, "diff", ds.diff);
      json_num(o, "se", ds.se);
      cJSON_AddBoolToObject(o, "marked", ds.marked);
      cJSON_AddItemToArray(heads, o);
    } else if (f == ENT_FORMAT_TEXT) {
      char name[200], ba[120], bb[120], dd[40];
      headline_name(hd, name, sizeof name);
      band(a, ca, 1.0, -4, scratch, ba, sizeof ba);
      band(b, cb, 1.0, -4, scratch, bb, sizeof bb);
      fmt_num(dd, sizeof dd, ds.diff, -3);
      ent_strbuf_printf(&out, "  %-44.44s %-24s %-24s %10s%s\n", name, ba, bb, dd,
                        ds.marked ? " *" : "");
    }
  }
  /* every series cell present in both */
  size_t marked = 0, compared = 0;
  for (size_t c = 0; c < a->S; c++) {
    const cell *cl = &a->cells[c];
    size_t cb = find_cell(b, cl->variable, cl->entity, cl->year);
    if (cb == (size_t)-1) continue;
    summary sa, sb;
    summarise(a, c, scratch, &sa);
    summarise(b, cb, scratch, &sb);
    diffstat ds = diff_of(&sa, &sb);
    compared++;
    marked += (size_t)ds.marked;
    if (root) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "variable", cl->variable);
      cJSON_AddStringToObject(o, "entity", cl->entity);
      cJSON_AddNumberToObject(o, "year", cl->year);
      json_num(o, "mean_a", sa.mean);
      json_num(o, "mean_b", sb.mean);
      json_num(o, "diff", ds.diff);
      json_num(o, "se", ds.se);
      cJSON_AddBoolToObject(o, "marked", ds.marked);
      cJSON_AddItemToArray(series, o);
    } else if (f == ENT_FORMAT_CSV) {
      char n1[40], n2[40], n3[40], n4[40];
      ent_fmt_double(n1, sizeof n1, sa.mean);
      ent_fmt_double(n2, sizeof n2, sb.mean);
      ent_fmt_double(n3, sizeof n3, ds.diff);
      ent_fmt_double(n4, sizeof n4, ds.se);
      ent_csv_write_field(&out, cl->variable, 0);
      ent_strbuf_puts(&out, ",");
      ent_csv_write_field(&out, cl->entity, 0);
      ent_strbuf_printf(&out, ",%d,%s,%s,%s,%s,%d\n", cl->year, n1, n2, n3, n4,
                        ds.marked);
    }
  }
  if (f == ENT_FORMAT_TEXT) {
    ent_strbuf_printf(&out, "\nall series: %zu of %zu compared values differ by "
                            "more than their noise\n", marked, compared);
    /* issue labels side by side */
    for (size_t i = 0; i < a->m->n_issues; i++) {
      const ent_issue *is = &a->m->issues[i];
      size_t j = ent_model_find_issue(b->m, is->id);
      if (j == (size_t)-1 || is->n_anchors != b->m->issues[j].n_anchors) continue;
      ent_strbuf_printf(&out, "\n%s: share of runs nearest each label (A -> B)\n",
                        is->id);
      for (size_t k = 0; k < is->n_anchors; k++) {
        double pa = share(a->range_count[a->range_off[i] + k], a->samples_ok);
        double pb = share(b->range_count[b->range_off[j] + k], b->samples_ok);
        double se = sqrt(pa * (1 - pa) / (double)(a->samples_ok ? a->samples_ok : 1) +
                         pb * (1 - pb) / (double)(b->samples_ok ? b->samples_ok : 1));
        int mk = se > 0.0 ? fabs(pb - pa) > 2.0 * se : pa != pb;
        if (pa == 0.0 && pb == 0.0) continue;
        char s1[16], s2[16];
        pct(s1, sizeof s1, pa);
        pct(s2, sizeof s2, pb);
        ent_strbuf_printf(&out, "  %-50.50s %5s -> %5s%s\n", is->anchors[k].label,
                          s1, s2, mk ? " *" : "");
      }
    }
  }
  ent_status st = ENT_OK;
  if (root) {
    cJSON_AddNumberToObject(root, "compared", (double)compared);
    cJSON_AddNumberToObject(root, "marked", (double)marked);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) st = ENT_ENOMEM;
    else {
      int bad = fputs(text, fp) < 0 || fputc('\n', fp) == EOF;
      cJSON_free(text);
      st = bad || fflush(fp) ? ENT_EIO : ENT_OK;
    }
  } else if (out.failed) {
    st = ENT_ENOMEM;
  } else {
    int bad = out.len && fwrite(out.data, 1, out.len, fp) != out.len;
    st = bad || fflush(fp) ? ENT_EIO : ENT_OK;
  }
  ent_strbuf_free(&out);
  ent_free(scratch);
  return st;
}
