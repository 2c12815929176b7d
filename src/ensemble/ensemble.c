/*
 * ensemble.c -- Monte Carlo forecasts: members, threads, MPI ranks,
 * statistics and sensitivity (docs/ensemble.md; public API in entente.h,
 * internal half in ensemble.h).
 *
 * A member (unit u) seeds its MT19937 stream (mt19937.h: GSL's
 * gsl_rng_mt19937, its words made lazily) with ent_seed_derive(seed, u),
 * draws one uniform per uncertain number in declaration order (two
 * vectors A and B with Sobol' indices), maps them through the inverse
 * CDFs, applies the values to its thread's value copy of the model and
 * runs the unchanged simulation (ent_sim_start for the thread's first
 * member, ent_sim_restart of the same sim for the next; ent_sim_step),
 * whose recorded values go straight into the member's record (ent_sim_set_sink
 * before the first step: the run's slots, member_point; ensemble.h).  A
 * step computes a batch of units: split over the MPI ranks in contiguous
 * blocks and over each rank's threads (OpenMP, dynamic schedule, one
 * workspace per thread), gathered on rank 0, which reduces them in unit
 * order: first what is not per cell, unit by unit, then the cells'
 * statistics, each cell taking the samples in unit order (on the threads,
 * each a range of cells; on one rank, as the units complete:
 * ensemble_feed.c).  Nothing in a member
 * depends on which thread or rank computed it, and the order in which a
 * statistic takes the members is fixed, so the output is bit-identical
 * for any thread and rank count.
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

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#else
#define omp_get_thread_num() 0
#endif
#ifdef ENT_HAVE_MPI
#include <dlfcn.h>
#include <mpi.h>
#endif

#include "ensemble/ensemble_impl.h"
#include "ensemble/uncertain.h"
#include "sim/run_result.h"


/* ------------------------------------------------------------ MPI */

#ifdef ENT_HAVE_MPI
/* libmpi is not linked: it is loaded (dlopen) by ent_ensemble_mpi_init,
 * which only runs in a process started by mpirun/srun, so that no other
 * command pays for loading Open MPI and the libraries behind it.  The
 * functions and predefined handles the ensemble uses, resolved from it;
 * they live in the ent_mpi of the process (no global state). */
typedef struct mpi_api {
  int (*Initialized)(int *);
  int (*Init)(int *, char ***);
  int (*Comm_dup)(MPI_Comm, MPI_Comm *);
  int (*Comm_rank)(MPI_Comm, int *);
  int (*Comm_size)(MPI_Comm, int *);
  int (*Abort)(MPI_Comm, int);
  int (*Comm_free)(MPI_Comm *);
  int (*Finalize)(void);
  int (*Bcast)(void *, int, MPI_Datatype, int, MPI_Comm);
  int (*Allreduce)(const void *, void *, int, MPI_Datatype, MPI_Op,
                   MPI_Comm);
  int (*Gatherv)(const void *, int, MPI_Datatype, void *, const int *,
                 const int *, MPI_Datatype, int, MPI_Comm);
  MPI_Comm world;
  MPI_Datatype t_int, t_byte, t_ull;
  MPI_Op op_min;
} mpi_api;
#endif

struct ent_mpi {
  int rank, size;
#ifdef ENT_HAVE_MPI
  MPI_Comm comm;
  void *lib; /* dlopen handle of libmpi (kept open to the end) */
  mpi_api f;
#endif
};

#ifdef ENT_HAVE_MPI
static int mpi_sym(void *lib, const char *name, void *slot) {
  void *s = dlsym(lib, name);
  if (!s) return -1;
  memcpy(slot, &s, sizeof s); /* object to function pointer, as POSIX allows */
  return 0;
}

/* Load libmpi into p->lib and p->f.  RTLD_GLOBAL: Open MPI's own
 * components (dlopen'ed by it) look for its symbols globally.  Returns 0
 * or -1 (a message on stderr). */
static int mpi_load(ent_mpi *p) {
  static const char *const libs[] = {"libmpi.so.40", "libmpi.so.12",
                                     "libmpi.so"};
  for (size_t k = 0; k < sizeof libs / sizeof libs[0] && !p->lib; k++)
    p->lib = dlopen(libs[k], RTLD_NOW | RTLD_GLOBAL);
  if (!p->lib) {
    fprintf(stderr, "entente: error: cannot load the MPI library: %s\n",
            dlerror());
    return -1;
  }
  mpi_api *f = &p->f;
  struct {
    const char *name;
    void *slot;
  } fns[] = {{"MPI_Initialized", &f->Initialized},
             {"MPI_Init", &f->Init},
             {"MPI_Comm_dup", &f->Comm_dup},
             {"MPI_Comm_rank", &f->Comm_rank},
             {"MPI_Comm_size", &f->Comm_size},
             {"MPI_Abort", &f->Abort},
             {"MPI_Comm_free", &f->Comm_free},
             {"MPI_Finalize", &f->Finalize},
             {"MPI_Bcast", &f->Bcast},
             {"MPI_Allreduce", &f->Allreduce},
             {"MPI_Gatherv", &f->Gatherv}};
  for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++)
    if (mpi_sym(p->lib, fns[k].name, fns[k].slot)) {
      fprintf(stderr, "entente: error: the MPI library has no %s\n",
              fns[k].name);
      return -1;
    }
#ifdef OPEN_MPI
  /* Open MPI's predefined handles are the addresses of its globals */
  struct {
    const char *name;
    void **slot;
  } objs[] = {{"ompi_mpi_comm_world", (void **)&f->world},
              {"ompi_mpi_int", (void **)&f->t_int},
              {"ompi_mpi_byte", (void **)&f->t_byte},
              {"ompi_mpi_unsigned_long_long", (void **)&f->t_ull},
              {"ompi_mpi_op_min", (void **)&f->op_min}};
  for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++)
    if (!(*objs[k].slot = dlsym(p->lib, objs[k].name))) {
      fprintf(stderr, "entente: error: the MPI library has no %s\n",
              objs[k].name);
      return -1;
    }
#else
  /* elsewhere (MPICH and its ABI) the handles are constants */
  f->world = MPI_COMM_WORLD;
  f->t_int = MPI_INT;
  f->t_byte = MPI_BYTE;
  f->t_ull = MPI_UNSIGNED_LONG_LONG;
  f->op_min = MPI_MIN;
#endif
  return 0;
}
#endif

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
  if (mpi_load(p)) {
    ent_free(p);
    return ENT_EINTERNAL;
  }
  int inited = 0;
  p->f.Initialized(&inited);
  if (!inited && p->f.Init(argc, argv) != MPI_SUCCESS) {
    ent_free(p);
    return ENT_EINTERNAL;
  }
  /* the one place that names the world communicator: the ensemble works
   * on a private duplicate handed around in `p` */
  if (p->f.Comm_dup(p->f.world, &p->comm) != MPI_SUCCESS) {
    ent_free(p);
    return ENT_EINTERNAL;
  }
  p->f.Comm_rank(p->comm, &p->rank);
  p->f.Comm_size(p->comm, &p->size);
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
  if (failed && p->size > 1) p->f.Abort(p->comm, 1);
  p->f.Comm_free(&p->comm);
  p->f.Finalize();
#else
  (void)failed;
#endif
  ent_free(p);
}

int ent_ensemble_bcast_int(const ent_mpi *p, int v) {
#ifdef ENT_HAVE_MPI
  if (p && p->size > 1) p->f.Bcast(&v, 1, p->f.t_int, 0, p->comm);
#else
  (void)p;
#endif
  return v;
}

ent_status ent_ensemble_bcast(const ent_mpi *p, char **buf, size_t *len) {
#ifdef ENT_HAVE_MPI
  if (!p || p->size < 2) return ENT_OK;
  unsigned long long n = p->rank == 0 ? (unsigned long long)*len : 0;
  p->f.Bcast(&n, 1, p->f.t_ull, 0, p->comm);
  if (p->rank != 0) {
    *buf = ent_malloc((size_t)n + 1);
    *len = (size_t)n;
  }
  int ok = *buf != NULL;
  /* every rank must agree before the payload moves */
  int all = 0;
  p->f.Allreduce(&ok, &all, 1, p->f.t_int, p->f.op_min, p->comm);
  if (!all) return ENT_ENOMEM;
  for (size_t at = 0; at < n;) {
    int chunk = n - at > (1u << 30) ? 1 << 30 : (int)(n - at);
    p->f.Bcast(*buf + at, chunk, p->f.t_byte, 0, p->comm);
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

/* ------------------------------------------------------------ records */

static double *rec_vals(const ent_ensemble *e, unsigned char *rec) {
  (void)e;
  return (double *)(void *)(rec + ENT_ENS_REC_HEAD);
}

static unsigned char *rec_classes(const ent_ensemble *e, unsigned char *rec) {
  return rec + ENT_ENS_REC_HEAD + e->n_vals * sizeof(double);
}

int ent_ensemble_record_status(const unsigned char *rec) {
  int32_t s;
  memcpy(&s, rec, sizeof s);
  return (int)s;
}

void ent_ensemble_record_inputs(const ent_ensemble *e, const unsigned char *rec,
                           double *x) {
  memcpy(x, rec + ENT_ENS_REC_HEAD, e->d * sizeof(double));
}

void ent_ensemble_record_headline(const ent_ensemble *e, const unsigned char *rec,
                             double *y) {
  for (size_t k = 0; k < e->h; k++)
    memcpy(&y[k], rec + ENT_ENS_REC_HEAD + e->head[k].at * sizeof(double),
           sizeof(double));
}

size_t ent_ensemble_record_bytes(const ent_ensemble *e) { return e->rec_bytes; }
size_t ent_ensemble_per_unit(const ent_ensemble *e) { return e->per_unit; }
size_t ent_ensemble_dim(const ent_ensemble *e) { return e->d; }
size_t ent_ensemble_headline_count(const ent_ensemble *e) { return e->h; }
const ent_run_opts *ent_ensemble_run_opts(const ent_ensemble *e) { return &e->ro; }
const ent_ensemble_opts *ent_ensemble_get_opts(const ent_ensemble *e) { return &e->o; }
const ent_model *ent_ensemble_model(const ent_ensemble *e) { return e->m; }
int ent_ensemble_complete(const ent_ensemble *e) {
  return e->units_done == e->n_units;
}

const unsigned char *ent_ensemble_batch(const ent_ensemble *e, unsigned long *first,
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

void ent_ensemble_set_cancel(ent_ensemble *e, const volatile int *flag) {
  if (e) e->cancel = flag;
}

/* The cancel flag counts in a process of its own only (an MPI rank that
 * left a step alone would leave the others waiting). */
static int canceled(const ent_ensemble *e) {
  return e->cancel && e->size == 1 && *e->cancel;
}

void ent_ensemble_stop(ent_ensemble *e) {
  if (e) e->stop_requested = 1;
}

void ent_ensemble_opts_init(ent_ensemble_opts *o) {
  memset(o, 0, sizeof *o);
  o->runs = 1000;
  o->seed = 1;
  o->threads = 1;
  o->memory_mb = 256.0;
}

/* ------------------------------------------------------------ layout */

enum { ENT_ENS_LOOKAHEAD = 24 }; /* cells evaluate() tries past a miss */

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

/* Entity names are compared eight bytes at a time: a cell knows in how
 * many words of its name the terminating zero lies (ent_words) and which
 * bytes of that last word are the name's and its zero (ent_mask); a run
 * passes its sink each name in an array of the same size (ENT_RUN_ENTITY,
 * ent_run_record), so whole words can be read, and the bytes after its
 * zero (which may be anything) are masked off.  The same answer as
 * strcmp. */
enum { ENT_ENTITY_BYTES = ENT_RUN_ENTITY };
_Static_assert(sizeof(((cell *)0)->entity) == ENT_ENTITY_BYTES &&
                   sizeof(((ent_series_point *)0)->entity) == ENT_ENTITY_BYTES,
               "a cell's entity holds what a run's point would");
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ENT_ENTITY_WORDS 1
#else
#define ENT_ENTITY_WORDS 0
#endif

static void cell_set_words(cell *c) {
  size_t len = strlen(c->entity); /* < ENT_ENTITY_BYTES */
  size_t bytes = len % 8 + 1;     /* of the last word: the name's and 0 */
  c->ent_words = (uint32_t)(len / 8 + 1);
  c->ent_mask = bytes == 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * bytes)) - 1;
}

/* cell_is for a point a member's run passes to its sink (ent_run_sink):
 * ent is an array of ENT_ENTITY_BYTES holding a name and its zero.  The
 * entity is compared before the variable: the cells member_find passes
 * over are mostly another entity's (a pair's shares a member does not
 * record), and a variable that is not the cell's pointer is compared
 * with strcmp. */
static inline int cell_is_key(const cell *c, const char *var, const char *ent,
                              int year) {
  if (c->year != year) return 0;
#if ENT_ENTITY_WORDS
  size_t last = c->ent_words - 1;
  uint64_t x, y;
  for (size_t i = 0; i < last; i++) {
    memcpy(&x, c->entity + 8 * i, sizeof x);
    memcpy(&y, ent + 8 * i, sizeof y);
    if (x != y) return 0;
  }
  memcpy(&x, c->entity + 8 * last, sizeof x);
  memcpy(&y, ent + 8 * last, sizeof y);
  if ((x ^ y) & c->ent_mask) return 0;
#else
  if (strcmp(c->entity, ent)) return 0;
#endif
  return c->variable == var || !strcmp(c->variable, var);
}

size_t ent_ensemble_find_cell(const ent_ensemble *e, const char *var,
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
    size_t el = strlen(p->entity); /* snprintf's "%s" without its cost */
    if (el >= sizeof c->entity) el = sizeof c->entity - 1;
    memcpy(c->entity, p->entity, el); /* the rest is 0 (calloc) */
    cell_set_words(c);
    c->year = p->year;
    size_t f = ent_ensemble_find_cell(e, p->variable, p->entity, p->year);
    c->first = f != (size_t)-1 ? f : k;
    if (f != (size_t)-1) continue;
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
    size_t c = ent_ensemble_find_cell(e, ENT_VNAME(vars[k]), ents[k], e->last_year);
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
    ent_sim_destroy(e->work[t].sim); /* before its model */
    ent_model_destroy(e->work[t].model);
    ent_free(e->work[t].u);
    ent_free(e->work[t].x);
    ent_free(e->work[t].qtmp);
    ent_diag_destroy(e->work[t].dg);
    ent_free(e->work[t].name);
  }
  ent_free(e->work);
  e->work = NULL;
}

void ent_ensemble_destroy(ent_ensemble *e) {
  if (!e) return;
  free_work(e);
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
  ent_free(e->rows);
  ent_free((void *)e->unit_done);
  ent_free(e->pend);
  ent_free(e->watch);
  ent_free(e->chunk);
  ent_free(e);
}

/* Units per step: enough evaluations to keep every thread of every rank
 * busy (16 each), and in a long forecast at most about 64 steps: a step
 * ends when its slowest member does, so a thread waits at each step's end
 * (at 10,000 members on two threads, 156 units a step instead of 32 took
 * the wall time from 2.10-2.55 s to 2.01-2.40 s); bounded by 128 MB of
 * records.  The result does not depend on the step (units are reduced in
 * unit order). */
static size_t units_per_step(const ent_ensemble *e) {
  size_t evals = (size_t)e->size * (size_t)e->o.threads * 16;
  size_t u = (evals + e->per_unit - 1) / e->per_unit;
  if (u < e->n_units / 64) u = e->n_units / 64;
  size_t cap = (128u << 20) / (e->rec_bytes * e->per_unit);
  if (cap < 1) cap = 1;
  if (u > cap) u = cap;
  if (u < (size_t)e->size) u = (size_t)e->size;
  return u;
}

/* Long: the set-up of an ensemble in its one valid order -- checks, the
 * member options, the nominal run that fixes the outputs and headline
 * values, then the sizes and allocations that depend on them -- with one
 * cleanup path for every failure. */
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
  if (ro) e->ro = *ro; /* the EUM options as they are (typed) */
  e->ro.robustness = 0; /* the robustness variants are for single runs */
  e->ro.models = ro ? ro->models : -1; /* as the scenario's issues say */
  e->ro.smp_beside = 0; /* members aggregate the deciding model only */
  e->ro.drivers = 0;    /* attribution is for single runs */
  e->ro.both_as = -1;
  /* model uncertainty: every member draws the model that decides the
   * `both` issues, with the scenario's weights (docs/ensemble.md) */
  int any_both = 0;
  for (size_t i = 0; i < m->n_issues; i++)
    any_both |= m->issues[i].model == ENT_ISSUE_BOTH && m->issues[i].n_dims == 1;
  if (any_both && e->ro.models < 0) {
    double w0 = m->model_weight[0], w1 = m->model_weight[1];
    e->p_smp = w1 / (w0 + w1);
    e->draw_models = w0 > 0.0 && w1 > 0.0;
    if (!e->draw_models) e->ro.both_as = w1 > 0.0 ? ENT_ISSUE_SMP : ENT_ISSUE_EUM;
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
        size_t c = ent_ensemble_find_cell(e, ENT_VNAME(ENT_VAR_ISSUE_FORECAST), m->issues[i].id,
                             e->first_year + t);
        e->cross_cell[i * (size_t)e->n_years + (size_t)t] =
            c == (size_t)-1 ? -1 : (long)c;
      }
  }
  e->n_vals = e->d + e->S + 3 * m->n_issues;
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
    size_t nc = e->S + 3 * m->n_issues;
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
  /* written through once a step (7 MB at 10,000 members): huge pages */
  if (e->buf) ent_advise_huge(e->buf, e->buf_cap * e->rec_bytes);
  /* two samples per unit at most (Sobol' A and B) */
  e->rows = ent_mallocarray(2 * (e->buf_cap / e->per_unit) + 2, sizeof *e->rows);
  e->unit_done = ent_mallocarray(e->buf_cap / e->per_unit + 1, sizeof *e->unit_done);
  e->n_work = o->threads;
  e->work = ent_calloc((size_t)e->n_work, sizeof *e->work);
  if (!e->buf || !e->work || !e->rows || !e->unit_done) goto nomem;
  if (e->q && e->n_work > 1) { /* the feed's chunks (ensemble_feed.c) */
    e->n_chunk = ENT_FEED_CHUNKS * (size_t)e->n_work;
    if (!(e->chunk = ent_calloc(e->n_chunk, sizeof *e->chunk))) goto nomem;
  }
  for (int t = 0; t < e->n_work; t++) {
    work *w = &e->work[t];
    w->model = ent_model_clone(m);
    w->u = ent_calloc(2 * e->d + 1, sizeof(double));
    w->x = ent_calloc(e->d + 1, sizeof(double));
    w->name = ent_calloc(e->S + 1, sizeof *w->name);
    if (e->q && !(w->qtmp = ent_mallocarray(ent_qacc_block_scratch(e->q),
                                            sizeof *w->qtmp)))
      goto nomem;
    if (!w->model || !w->u || !w->x || !w->name) goto nomem;
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

/* A member's points into its record, as its run records them: usually
 * the point after cell c is cell c + 1; else (a member records fewer
 * values than the nominal run) it is usually a few cells on, where a
 * cell's `first` is what the hash would find; else the hash.  A point of
 * no cell is dropped.  The run itself writes a point of the next cell
 * that comes with the name of the sim the cell's point came with before
 * (a name that stays as it is, at the same place), the cell's variable
 * and year, without comparing names (ent_run_slots: the thread's
 * work.name); member_point has every other point.
 * The cells a member does not record are NaN, written as the points come
 * (no fill of the whole record first): cells [0, max(hi, sl.at)) have
 * been written or made NaN -- the run writes cell sl.at and moves on,
 * member_point makes the cells it passes over NaN, member_done the rest. */
typedef struct member_sink {
  ent_run_slots sl;   /* vals: [S] the record's series values; key: name;
                         at: the cell after the last one written */
  size_t hi;          /* see above */
  ent_run_slot *name; /* the thread's work.name */
  const ent_ensemble *e;
  const ent_sim *sim;
} member_sink;

/* work.name of a cell whose point came with a name made on the fly. */
static const char member_no_name[1];

/* member_point's search for a point that is not the next cell's. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static size_t member_find(const ent_ensemble *e, size_t c, const char *var,
                          const char *ent, int year) {
  size_t end = c + ENT_ENS_LOOKAHEAD < e->S ? c + ENT_ENS_LOOKAHEAD : e->S;
  for (size_t j = c + 1; j < end; j++)
    if (cell_is_key(&e->cells[j], var, ent, year)) return e->cells[j].first;
  return ent_ensemble_find_cell(e, var, ent, year);
}

/* A point the run did not place: the next cell's after comparing names
 * (then the cell's slot kept, with its name if that stays as it is --
 * ent_sim_name_fixed -- else marked never to be trusted), else
 * member_find's. */
static void member_point(void *ctx, const char *var, const char *ent,
                         int year, double v) {
  member_sink *ms = ctx;
  const ent_ensemble *e = ms->e;
  ent_run_slot *key = ms->name;
  size_t c = ms->sl.at, at = c;
  if (c < e->S && key[c].entity == ent && e->cells[c].variable == var &&
      e->cells[c].year == year) {
    /* the slot's point (the run's test, when it is not the run's) */
  } else if (c < e->S && cell_is_key(&e->cells[c], var, ent, year)) {
    if (key[c].entity != member_no_name)
      key[c] = (ent_run_slot){
          ent_sim_name_fixed(ms->sim, ent) ? ent : member_no_name,
          e->cells[c].variable, e->cells[c].year};
  } else {
    at = member_find(e, c, var, ent, year);
    if (at == (size_t)-1) return;
  }
  size_t hi = ms->hi > c ? ms->hi : c;
  for (; hi < at; hi++) ms->sl.vals[hi] = NAN; /* cells passed over */
  ms->sl.vals[at] = v;
  ms->hi = hi > at ? hi : at + 1;
  ms->sl.at = at + 1;
}

/* The cells after the last one a member's run wrote or passed over: NaN. */
static void member_done(member_sink *ms) {
  size_t hi = ms->hi > ms->sl.at ? ms->hi : ms->sl.at;
  for (; hi < ms->e->S; hi++) ms->sl.vals[hi] = NAN;
}

/* Evaluation `ev` (unit ev / per_unit, variant ev % per_unit) into rec. */
static void evaluate(const ent_ensemble *e, work *w, unsigned long ev,
                     unsigned char *rec) {
  const ent_model *m = e->m;
  unsigned long unit = ev / e->per_unit;
  size_t k = ev % e->per_unit, d = e->d;
  memset(rec, 0, ENT_ENS_REC_HEAD);
  double *vals = rec_vals(e, rec);
  /* the draws (below), the series (the run, member_point and member_done:
   * each cell once) and the issues' values (NaN unless set) */
  for (size_t i = d + e->S; i < e->n_vals; i++) vals[i] = NAN;
  unsigned char *cls = rec_classes(e, rec);
  memset(cls, ENT_CLASS_NONE, e->n_dyads);
  /* the member's stream: (seed, unit) only */
  ent_mt_set(&w->rng, (unsigned long)ent_seed_derive(e->o.seed, unit));
  size_t nu = e->o.sobol ? 2 * d : d;
  for (size_t i = 0; i < nu; i++) w->u[i] = ent_mt_uniform_pos(&w->rng);
  for (size_t i = 0; i < d; i++) {
    /* k: 0 = A, 1 = B, 2 + j = A with column j from B */
    double u = w->u[i];
    if (k == 1 || (k >= 2 && k - 2 == i)) u = w->u[d + i];
    w->x[i] = ent_dist_quantile(&m->uparams[i].dist, u);
  }
  memcpy(vals, w->x, d * sizeof(double));
  ent_uncertain_apply(w->model, w->x);
  /* the member's model: its own stream (seed, unit, "model"), the same
   * for every evaluation of a unit */
  w->ro = e->ro;
  int32_t drawn = e->ro.both_as == ENT_ISSUE_SMP ? 1 : 0;
  if (e->draw_models) {
    ent_mt_set(&w->rng, (unsigned long)ent_seed_derive(
                            e->o.seed ^ 0x6D6F64656C5EEDull, unit));
    drawn = ent_mt_uniform(&w->rng) < e->p_smp;
    w->ro.both_as = drawn ? ENT_ISSUE_SMP : ENT_ISSUE_EUM;
  }
  memcpy(rec + 4, &drawn, sizeof drawn);
  /* the run, its points straight into the record (its slots, else
   * member_point): the base year's stay in the run too when a channel's
   * flow reads some back (ent_sim_set_sink) */
  if (!w->dg) w->dg = ent_diag_create();
  ent_diag *dg = w->dg;
  const ent_run *r = NULL;
  ent_status st = ENT_ENOMEM;
  if (dg && w->sim) {
    st = ent_sim_restart(w->sim, &w->ro); /* the thread's last member's */
  } else if (dg) {
    st = ent_sim_start(w->model, &w->ro, &w->sim, dg);
    if (st == ENT_OK) memset(w->name, 0, (e->S ? e->S : 1) * sizeof *w->name);
  }
  member_sink ms = {{vals + d, w->name, 0, e->S}, 0, w->name, e, w->sim};
  if (st == ENT_OK) {
    ent_sim_set_sink(w->sim, member_point, &ms, &ms.sl);
    st = ent_sim_step(w->sim, dg);
    while (st == ENT_CONTINUE) st = ent_sim_step(w->sim, dg);
    if (st == ENT_OK) st = ent_sim_result(w->sim, &r);
  }
  if (st == ENT_OK) member_done(&ms);
  if (st != ENT_OK) { /* the next member starts afresh */
    ent_sim_destroy(w->sim);
    w->sim = NULL;
  }
  int32_t s32 = (int32_t)st;
  memcpy(rec, &s32, sizeof s32);
  if (st != ENT_OK) {
    /* a failed member's record holds no outputs */
    for (size_t i = 0; i < e->S; i++) vals[d + i] = NAN;
    const ent_diag_item *it = dg ? ent_diag_get(dg, 0) : NULL;
    snprintf((char *)rec + 8, ENT_ENS_REC_HEAD - 8, "%.110s",
             it ? it->msg : ent_status_str(st));
  }
  if (dg && ent_diag_count(dg)) { /* the next member's must be empty */
    ent_diag_destroy(dg);
    w->dg = NULL;
  }
  if (st != ENT_OK) return;
  for (size_t i = 0; i < m->n_issues; i++) {
    /* NULL: spatial-model issue */
    const ent_eum_hist *h = ent_issue_run_hist(&r->issues[i]);
    vals[d + e->S + i] = r->issues[i].forecast;
    if (m->issues[i].model == ENT_ISSUE_BOTH)
      vals[d + e->S + m->n_issues + 2 * i +
           (r->issues[i].model == ENT_ISSUE_SMP)] = r->issues[i].forecast;
    size_t n = m->issues[i].n_stakes, q = e->dyad_off[i];
    for (size_t a = 0; a < n; a++)
      for (size_t b = 0; b < n; b++) {
        if (a == b) continue;
        ent_eum_region reg = h && h->n_rounds > 0
                                 ? ent_eum_hist_region(h, h->n_rounds, a, b)
                                 : ENT_REGION_NONE;
        cls[q++] = (unsigned char)ent_run_region_class(reg);
      }
  }
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

/* The statistics of cells [c0, c1) (running mean and sd, quantiles) of
 * the samples rows[0..n) (each a record's cell values), in row order.
 * Calls on disjoint cell ranges may run at once on different threads;
 * tmp: ent_qacc_block_scratch keys of the calling thread. */
static void add_cells(ent_ensemble *e, const double *const *rows, size_t n,
                      size_t c0, size_t c1, uint64_t *tmp) {
  ent_welford_add_block(e->w, c0, c1, rows, n);
  ent_qacc_add_block(e->q, c0, c1, rows, n, tmp);
}

/* Cells of the statistics: the series, then per issue its outcome and its
 * outcome by deciding model (two). */
static size_t n_cells(const ent_ensemble *e) {
  return e->S + 3 * e->m->n_issues;
}

/* One sample (a record that succeeded) into the statistics that are not
 * per cell (add_cells does those); its cell values are *row. */
static void add_sample(ent_ensemble *e, unsigned char *rec,
                       const double **row) {
  const ent_model *m = e->m;
  const double *vals = rec_vals(e, rec) + e->d;
  *row = vals;
  int32_t drawn;
  memcpy(&drawn, rec + 4, sizeof drawn);
  e->model_count[drawn ? 1 : 0]++;
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
  for (size_t k = 0; k < e->n_watch; k++) {
    struct watch *wt = &e->watch[k];
    double v = vals[wt->cell];
    if (isnan(v)) continue;
    wt->n++;
    wt->hits += (unsigned long)ent_ledger_holds(&wt->q, v);
  }
  const unsigned char *cls = rec_classes(e, rec);
  for (size_t q = 0; q < e->n_dyads; q++)
    e->class_count[q * ENT_CLASSES + (cls[q] < ENT_CLASSES ? cls[q]
                                                                   : ENT_CLASS_NONE)]++;
  ent_ensemble_record_headline(e, rec, e->hy);
  ent_ensemble_record_inputs(e, rec, e->hx);
  ent_src_add(e->src, e->hx, e->hy);
  e->samples_ok++;
}

/* Reduce the per_unit records of one unit (rank 0, in unit order) into
 * every statistic but the cells', whose samples (none, one, or two with
 * Sobol' indices) are appended to rows[*nr..).  Returns a fatal status
 * carried by a record (out of memory), else OK. */
static ent_status reduce_unit(ent_ensemble *e, unsigned char *recs,
                              const double **rows, size_t *nr) {
  int failed = 0;
  for (size_t k = 0; k < e->per_unit; k++) {
    unsigned char *rec = recs + k * e->rec_bytes;
    int s = ent_ensemble_record_status(rec);
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
  add_sample(e, recs, &rows[(*nr)++]);
  if (e->o.sobol) {
    add_sample(e, recs + e->rec_bytes, &rows[(*nr)++]);
    size_t h = e->h;
    double *fA = e->hy, *fB = e->hy + h, *fAB = e->hy + 2 * h;
    ent_ensemble_record_headline(e, recs, fA);
    ent_ensemble_record_headline(e, recs + e->rec_bytes, fB);
    for (size_t i = 0; i < e->d; i++)
      ent_ensemble_record_headline(e, recs + (2 + i) * e->rec_bytes, fAB + i * h);
    for (size_t k = 0; k < h * e->per_unit; k++) e->hy[k] -= e->h0[k % h];
    ent_sobol_add(e->sob, fA, fB, fAB);
  }
  return ENT_OK;
}

/* The units' statistics other than the cells': reduce_unit on nu units of
 * per_unit records from recs, in unit order, their samples into e->rows;
 * their number in *nr.  Stops at a fatal status (later units skipped). */
static ent_status reduce_rest(ent_ensemble *e, unsigned char *recs, size_t nu,
                              size_t *nr) {
  ent_status st = ENT_OK;
  *nr = 0;
  for (size_t u = 0; u < nu && st == ENT_OK; u++)
    st = reduce_unit(e, recs + u * e->per_unit * e->rec_bytes, e->rows, nr);
  return st;
}

/* Reduce nu units from recs: every statistic.  What is not per cell on
 * the calling thread; the cells' statistics too, or with `threads` (not
 * from inside a parallel region) on the forecast's threads, each a fixed
 * range of cells (the same in every step, so that a core keeps the lines
 * of its cells), a cell's samples in unit order: the same result as one
 * thread adding the units one by one.  Returns the status of the first
 * failed unit (later units are skipped). */
static ent_status reduce_units(ent_ensemble *e, unsigned char *recs,
                               size_t nu, int threads) {
  size_t nr;
  ent_status st = reduce_rest(e, recs, nu, &nr);
  if (nr < 8 && ent_qacc_exact(e->q)) {
    /* few rows (a step of few units, a resumed
     * forecast fed one unit at a time): the exact store's row buffer
     * keeps writing whole cache lines */
    size_t nc = n_cells(e);
    for (size_t r = 0; r < nr; r++) {
      for (size_t c = 0; c < nc; c++)
        if (!isnan(e->rows[r][c])) ent_welford_add(&e->w[c], e->rows[r][c]);
      ent_qacc_add_row(e->q, e->rows[r]);
    }
    return st;
  }
  ent_qacc_flush(e->q);
  size_t nc = n_cells(e);
#ifdef _OPENMP
  if (threads && e->n_work > 1) {
#pragma omp parallel num_threads(e->n_work)
    {
      int t = omp_get_thread_num(), tn = omp_get_num_threads();
      size_t c0 = nc * (size_t)t / (size_t)tn;
      size_t c1 = nc * (size_t)(t + 1) / (size_t)tn;
      add_cells(e, (const double *const *)e->rows, nr, c0, c1,
                e->work[t].qtmp);
    }
    return st;
  }
#endif
  add_cells(e, (const double *const *)e->rows, nr, 0, nc, e->work[0].qtmp);
  return st;
}

ent_status ent_ensemble_feed(ent_ensemble *e, const void *rec, size_t len) {
  if (e->rank != 0 || len != e->rec_bytes || e->units_done >= e->n_units)
    return ENT_EINVAL;
  memcpy(e->pend + e->n_pend * e->rec_bytes, rec, len);
  if (++e->n_pend < e->per_unit) return ENT_OK;
  e->n_pend = 0;
  ent_status st = reduce_units(e, e->pend, 1, 0);
  if (st == ENT_OK) e->units_done++;
  return st;
}

ent_status ent_ensemble_sync(ent_ensemble *e) {
  unsigned long long n = e->units_done;
#ifdef ENT_HAVE_MPI
  if (e->o.mpi && e->size > 1)
    e->o.mpi->f.Bcast(&n, 1, e->o.mpi->f.t_ull, 0, e->o.mpi->comm);
#endif
  e->units_done = (unsigned long)n;
  e->batch_count = 0;
  return ENT_OK;
}

/* ------------------------------------------------------------ steps */

/* For ensemble_feed.c (ensemble_impl.h). */
void ent_ensemble_member(const ent_ensemble *e, work *w, unsigned long ev,
                         unsigned char *rec) {
  evaluate(e, w, ev, rec);
}
ent_status ent_ensemble_reduce_unit(ent_ensemble *e, unsigned char *recs,
                                    size_t *nr) {
  return reduce_unit(e, recs, e->rows, nr);
}
void ent_ensemble_add_cells(ent_ensemble *e, size_t r0, size_t r1, size_t c0,
                            size_t c1, uint64_t *tmp) {
  add_cells(e, (const double *const *)e->rows + r0, r1 - r0, c0, c1, tmp);
}

/* Compute evaluations [first, first + n) into out (threads). */
static void compute(ent_ensemble *e, unsigned long first, size_t n,
                    unsigned char *out) {
  long nn = (long)n;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(e->n_work)
#endif
  for (long k = 0; k < nn; k++) {
    if (canceled(e)) continue; /* the batch is dropped below */
    evaluate(e, &e->work[omp_get_thread_num()], first + (unsigned long)k,
             out + (size_t)k * e->rec_bytes);
  }
}

enum { CTRL_GO = 0, CTRL_STOP = 1 };

ent_status ent_ensemble_step(ent_ensemble *e, ent_diag *d) {
  if (!e) return ENT_EINVAL;
  e->batch_count = 0;
  if (e->units_done >= e->n_units || e->stopped) return ENT_OK;
  int ctrl = ent_ensemble_bcast_int(e->o.mpi, e->stop_requested ? CTRL_STOP : CTRL_GO);
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
  ent_status st = ENT_OK;
#ifdef _OPENMP
  if (e->size == 1 && !e->cancel && e->n_work > 1) {
    st = ent_ensemble_compute_reduce(e, lo, nb);
    goto reduced;
  }
#endif
  compute(e, lo * e->per_unit, mine, dst);
  if (canceled(e)) return ENT_ECANCELED;
#ifdef ENT_HAVE_MPI
  if (e->o.mpi && e->size > 1) {
    int *counts = NULL, *displs = NULL;
    if (e->rank == 0) {
      counts = ent_calloc((size_t)e->size, sizeof *counts);
      displs = ent_calloc((size_t)e->size, sizeof *displs);
      if (!counts || !displs) e->o.mpi->f.Abort(e->o.mpi->comm, 1);
      for (int r = 0; r < e->size; r++) {
        size_t a = nb * (size_t)r / (size_t)e->size;
        size_t b = nb * (size_t)(r + 1) / (size_t)e->size;
        counts[r] = (int)((b - a) * e->per_unit * e->rec_bytes);
        displs[r] = (int)(a * e->per_unit * e->rec_bytes);
      }
    }
    /* rank 0's own part is already in place */
    const mpi_api *f = &e->o.mpi->f;
    f->Gatherv(e->rank == 0 ? MPI_IN_PLACE : e->buf,
               (int)(mine * e->rec_bytes), f->t_byte, e->buf, counts, displs,
               f->t_byte, 0, e->o.mpi->comm);
    ent_free(counts);
    ent_free(displs);
  }
#endif
  if (e->rank == 0) st = reduce_units(e, e->buf, nb, 1);
#ifdef _OPENMP
reduced:
#endif
  if (e->rank == 0) {
    if (st != ENT_OK)
      ent_diag_add(d, ENT_SEV_ERROR, st, e->m->source, 0, 0,
                   "a member of the forecast failed: %s", ent_status_str(st));
  }
  st = (ent_status)ent_ensemble_bcast_int(e->o.mpi, (int)st);
  if (st != ENT_OK) return st;
  e->batch_first = u0 * e->per_unit;
  e->batch_count = nb * e->per_unit;
  e->units_done = u0 + (unsigned long)nb;
  return e->units_done < e->n_units ? ENT_CONTINUE : ENT_OK;
}

/* ------------------------------------------------------------ conditions */

ent_status ent_ensemble_watch(ent_ensemble *e, const char *variable,
                              const char *entity, int year,
                              const ent_ledger_q *q, size_t *index) {
  size_t c = ent_ensemble_find_cell(e, variable, entity, year);
  if (c == (size_t)-1) return ENT_ENOTFOUND;
  struct watch *w = ent_realloc(e->watch, (e->n_watch + 1) * sizeof *w);
  if (!w) return ENT_ENOMEM;
  e->watch = w;
  w[e->n_watch] = (struct watch){c, *q, 0, 0};
  *index = e->n_watch++;
  return ENT_OK;
}

void ent_ensemble_watched(const ent_ensemble *e, size_t index,
                          unsigned long *hits, unsigned long *n) {
  *hits = index < e->n_watch ? e->watch[index].hits : 0;
  *n = index < e->n_watch ? e->watch[index].n : 0;
}
