/*
 * ensemble_feed.c -- a step of a forecast on the threads of one process
 * (docs/ensemble.md, "Threads"): the members computed and the statistics
 * fed as the members complete, so that the reduction overlaps the
 * computing (ensemble.c runs the steps; ensemble_impl.h).
 *
 * The threads take the step's members one at a time (dynamic schedule).
 * After each member, a thread reduces the units then complete, in unit
 * order, into every statistic but the cells' (feed_units: one thread at a
 * time, whichever finds the units), which publishes their rows (a unit
 * makes none, one, or two with Sobol' indices).  The cells are cut in
 * chunks, ENT_FEED_CHUNKS for each thread, each chunk the home of one
 * thread; after each member a thread adds the published rows to its home
 * chunks once at least ENT_FEED_ROWS of them wait (a chunk's cells stay
 * in its home core's cache).  A thread with no member left adds every
 * published row to its home chunks, then to the other threads' chunks
 * from the last down (the sketch compacts every cell at about the same
 * row: at a step's end the thread with members done takes its share of
 * such a burst); the last thread out adds what is left.  A chunk is fed
 * by one thread at a time and takes the rows in order, so each cell takes
 * the samples in unit order: the same bits as one thread reducing the
 * units one by one, for any number of threads.
 */
#include <stdatomic.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "ensemble/ensemble_impl.h"

#ifdef _OPENMP
enum { ENT_FEED_ROWS = 8 }; /* rows a home chunk takes at a time */

/* The step's shared state; reduced, nr and st: busy's holder's. */
typedef struct feed {
  atomic_size_t next, rows_ready; /* members handed out; rows published */
  atomic_flag busy;               /* held by the thread reducing units */
  atomic_int finished;            /* threads past their last member */
  size_t reduced, nr;             /* units reduced, rows made */
  ent_status st;                  /* the first failure */
} feed;

/* The cells' cut, the same on every thread: cells, chunks, threads. */
typedef struct cut {
  size_t nc, nch;
  int tn;
} cut;

/* The units complete after the last one reduced, in unit order, into all
 * but the cells' statistics, their rows published; if no thread is at it. */
static void feed_units(ent_ensemble *e, feed *f, size_t nu) {
  if (atomic_flag_test_and_set_explicit(&f->busy, memory_order_acquire))
    return;
  size_t pu = e->per_unit, u = f->reduced;
  for (; u < nu && f->st == ENT_OK &&
         atomic_load_explicit(&e->unit_done[u], memory_order_acquire) == pu;
       u++)
    f->st = ent_ensemble_reduce_unit(e, e->buf + u * pu * e->rec_bytes, &f->nr);
  f->reduced = u;
  atomic_store_explicit(&f->rows_ready, f->nr, memory_order_release);
  atomic_flag_clear_explicit(&f->busy, memory_order_release);
}

/* First cell of chunk j: cuts at multiples of 8 cells, so that no two
 * chunks write one cache line of the cells' counters. */
static size_t chunk_cut(const cut *g, size_t j) {
  if (j == 0 || j >= g->nch) return j == 0 ? 0 : g->nc;
  return (g->nc * j / g->nch) & ~(size_t)7;
}

/* The rows published after chunk j's last (at least `min` of them) into
 * its cells, unless another thread is at the chunk. */
static void feed_chunk(ent_ensemble *e, feed *f, const cut *g, size_t j,
                       size_t min, uint64_t *tmp) {
  ent_feed_chunk *c = &e->chunk[j];
  size_t ready = atomic_load_explicit(&f->rows_ready, memory_order_acquire);
  size_t fed = atomic_load_explicit(&c->fed, memory_order_relaxed);
  if (ready <= fed || ready - fed < min) return; /* re-read under the flag */
  if (atomic_flag_test_and_set_explicit(&c->busy, memory_order_acquire))
    return;
  fed = atomic_load_explicit(&c->fed, memory_order_relaxed);
  if (ready > fed && ready - fed >= min) {
    ent_ensemble_add_cells(e, fed, ready, chunk_cut(g, j), chunk_cut(g, j + 1),
                           tmp);
    atomic_store_explicit(&c->fed, ready, memory_order_relaxed);
  }
  atomic_flag_clear_explicit(&c->busy, memory_order_release);
}

/* Thread t's home chunks [*j0, *j1). */
static void home(const cut *g, int t, size_t *j0, size_t *j1) {
  *j0 = g->nch * (size_t)t / (size_t)g->tn;
  *j1 = g->nch * (size_t)(t + 1) / (size_t)g->tn;
}

/* A thread with no member left: its home chunks, then the others' from
 * the last down; every published row. */
static void feed_all(ent_ensemble *e, feed *f, const cut *g, int t,
                     uint64_t *tmp) {
  size_t j0, j1;
  home(g, t, &j0, &j1);
  for (size_t j = j0; j < j1; j++) feed_chunk(e, f, g, j, 1, tmp);
  for (size_t j = g->nch; j-- > 0;)
    if (j < j0 || j >= j1) feed_chunk(e, f, g, j, 1, tmp);
}

ent_status ent_ensemble_compute_reduce(ent_ensemble *e,
                                       unsigned long first_unit, size_t nu) {
  size_t pu = e->per_unit, n = nu * pu, rb = e->rec_bytes;
  unsigned char *out = e->buf;
  for (size_t u = 0; u < nu; u++) atomic_store(&e->unit_done[u], 0u);
  for (size_t j = 0; j < e->n_chunk; j++) {
    atomic_flag_clear(&e->chunk[j].busy);
    atomic_init(&e->chunk[j].fed, 0);
  }
  ent_qacc_flush(e->q); /* rows a resumed forecast added one at a time */
  feed f = {.busy = ATOMIC_FLAG_INIT, .st = ENT_OK};
  atomic_init(&f.next, 0);
  atomic_init(&f.rows_ready, 0);
  atomic_init(&f.finished, 0);
#pragma omp parallel num_threads(e->n_work)
  {
    int t = omp_get_thread_num(), tn = omp_get_num_threads();
    cut g = {e->S + 3 * e->m->n_issues, ENT_FEED_CHUNKS * (size_t)tn, tn};
    work *w = &e->work[t];
    size_t j0, j1;
    home(&g, t, &j0, &j1);
    for (;;) {
      size_t k = atomic_fetch_add_explicit(&f.next, 1, memory_order_relaxed);
      if (k >= n) break;
      ent_ensemble_member(e, w, first_unit * pu + k, out + k * rb);
      atomic_fetch_add_explicit(&e->unit_done[k / pu], 1u, memory_order_release);
      feed_units(e, &f, nu);
      for (size_t j = j0; j < j1; j++)
        feed_chunk(e, &f, &g, j, ENT_FEED_ROWS, w->qtmp);
    }
    feed_units(e, &f, nu);
    feed_all(e, &f, &g, t, w->qtmp);
    /* the last out: every member computed, no other thread at the feed */
    if (atomic_fetch_add_explicit(&f.finished, 1, memory_order_acq_rel) + 1 == tn) {
      feed_units(e, &f, nu);
      feed_all(e, &f, &g, t, w->qtmp);
    }
  }
  return f.st;
}
#else
typedef int ent_ensemble_feed_empty; /* ISO C: no empty translation unit */
#endif
