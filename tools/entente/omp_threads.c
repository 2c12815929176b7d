/*
 * omp_threads.c -- the entry points of gcc's OpenMP runtime that the
 * library's parallel regions call, on POSIX threads, for the static
 * `entente` binary (meson.build) only.  libgomp.a cannot be linked there
 * without its constructor (OMP_* environment, CPU count, affinity mask,
 * OpenACC set-up: about 0.5 ms of a 2 ms start, docs/performance.md
 * "Seventh round"), and libgomp.so.1 cannot be loaded into a static
 * program (its threads would come from a second copy of libc that knows
 * nothing of the program's thread-local storage).  The dynamic link
 * (entente-dynamic, sanitizer builds, -Dcli_static=false) keeps libgomp
 * (gomp_lazy.c).
 *
 * What the library's regions need (gomp_lazy.c's list: a function missing
 * here fails the link, which has no libgomp):
 *   - a team of exactly the requested number of threads (every region has
 *     a num_threads clause; 0 would mean OMP_NUM_THREADS or the CPU count),
 *     the encountering thread as number 0; a region met inside a team of
 *     more than one thread runs on one (libgomp's default: one active
 *     level);
 *   - dynamic loops (long and unsigned long long iteration variables),
 *     chunks handed out in order under the team's lock, and `sections`;
 *     each construct of a region is shared by the threads that meet it in
 *     the same order, as OpenMP requires;
 *   - omp_get_thread_num / omp_get_num_threads.
 * Which thread runs which chunk never changes a result: every output is
 * the same for any thread count (tests: forecast outputs on 1 and 2
 * threads, under MPI, the EUM reference problems, test_omp_threads).  The
 * worker threads are kept between regions, as libgomp keeps them: a
 * forecast of 10,000 members has a region in each of about 64 steps
 * (ensemble.c, ensemble_feed.c), and a thread created and joined for each
 * was 66 threads a forecast on 2 threads (strace -f -e clone3).  The first
 * region of k threads creates k - 1 workers, a larger one adds the missing
 * ones; a worker parks on its own condition variable between regions (no
 * spinning: it takes no CPU while the program is in serial code) and is
 * woken with the region it is to join.  The region ends with a barrier as
 * before: the encountering thread returns only when every worker has left
 * the body.  Workers are detached and parked when the program exits
 * (exit() does not wait for them).  A region met while the pool serves
 * another (a second thread of the program outside any region) gets threads
 * of its own, created and joined as before.  A thread that cannot be
 * created stops the command as libgomp does (message, exit status 1).
 * Global state is allowed here: this is the command-line layer (the pool,
 * and the state per thread).
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef unsigned long long ull;

/* the prototypes (gcc declares the GOMP_ ones internally, not in a header) */
void GOMP_parallel(void (*body)(void *), void *data, unsigned num_threads,
                   unsigned flags);
void GOMP_parallel_sections(void (*body)(void *), void *data,
                            unsigned num_threads, unsigned count,
                            unsigned flags);
unsigned GOMP_sections_next(void);
void GOMP_sections_end_nowait(void);
bool GOMP_loop_nonmonotonic_dynamic_start(long start, long end, long incr,
                                          long chunk, long *istart,
                                          long *iend);
bool GOMP_loop_nonmonotonic_dynamic_next(long *istart, long *iend);
bool GOMP_loop_ull_nonmonotonic_dynamic_start(bool up, ull start, ull end,
                                              ull incr, ull chunk,
                                              ull *istart, ull *iend);
bool GOMP_loop_ull_nonmonotonic_dynamic_next(ull *istart, ull *iend);
void GOMP_loop_end_nowait(void);
int omp_get_num_threads(void);
int omp_get_thread_num(void);

/* One worksharing construct of a region: a loop or sections. */
typedef struct construct {
  struct construct *next; /* the region's next construct, once met */
  long l_next, l_end, l_incr, l_chunk;
  ull u_next, u_end, u_incr, u_chunk;
  bool u_up;
  unsigned s_done, s_count;
} construct;

typedef struct team {
  pthread_mutex_t lock; /* the constructs and their counters */
  construct *first;     /* the constructs in the order met */
  construct *pre; /* the construct every thread starts in, or NULL */
  void (*body)(void *);
  void *data;
  unsigned n;      /* threads */
  unsigned active; /* enclosing teams of more than one thread, this one in */
} team;

/* What a thread is doing: its team (NULL outside any region), number,
 * current construct and where its next construct is linked. */
typedef struct member {
  team *t;
  unsigned num;
  unsigned active;
  construct *cur;
  construct **pos;
} member;

static _Thread_local member me;

static void fatal(const char *what, int err) {
  fprintf(stderr, "entente: error: %s: %s\n", what, strerror(err));
  exit(EXIT_FAIL);
}

/* The construct this thread meets next in its region, made by the first
 * thread to meet it: init(c, arg) sets it up under the team's lock. */
static construct *meet(void (*init)(construct *, const void *),
                       const void *arg) {
  team *t = me.t;
  pthread_mutex_lock(&t->lock);
  if (!*me.pos) {
    construct *c = calloc(1, sizeof *c);
    if (!c) {
      pthread_mutex_unlock(&t->lock);
      fatal("a parallel region's work could not be shared", ENOMEM);
    }
    init(c, arg);
    *me.pos = c;
  }
  me.cur = *me.pos;
  me.pos = &me.cur->next;
  pthread_mutex_unlock(&t->lock);
  return me.cur;
}

/* Thread number num of team t, at the region's start. */
static member start(team *t, unsigned num) {
  construct *pre = t->pre;
  return (member){t, num, t->active, pre, pre ? &pre->next : &t->first};
}

/* A thread of its own for one region (the pool is serving another). */
static void *spawned(void *arg) {
  member *m = arg;
  me = *m;
  me.t->body(me.t->data);
  return NULL;
}

/* A worker kept between regions: thread number num of each it joins. */
typedef struct slot {
  pthread_cond_t wake; /* t has been set */
  team *t;             /* the region to join; NULL while parked */
  unsigned num;
} slot;

static struct {
  pthread_mutex_t lock; /* everything here and in the slots */
  pthread_cond_t done;  /* left has come to 0 */
  slot **w;             /* w[k - 1]: thread number k */
  unsigned size;        /* workers created */
  unsigned left;        /* workers still in the current region's body */
  bool busy;            /* a region is on the pool */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

static void *pooled(void *arg) {
  slot *s = arg;
  pthread_mutex_lock(&pool.lock);
  for (;;) {
    while (!s->t) pthread_cond_wait(&s->wake, &pool.lock);
    team *t = s->t;
    pthread_mutex_unlock(&pool.lock);
    me = start(t, s->num);
    t->body(t->data);
    me = (member){0};
    pthread_mutex_lock(&pool.lock); /* t is not touched past this point */
    s->t = NULL;
    if (--pool.left == 0) pthread_cond_signal(&pool.done);
  }
  return NULL;
}

/* Workers numbered 1 to k - 1 in the pool (pool.lock held). */
static void grow(unsigned k) {
  if (k <= pool.size + 1) return;
  slot **w = realloc(pool.w, (k - 1) * sizeof *w);
  if (!w) fatal("a parallel region could not start", ENOMEM);
  pool.w = w;
  pthread_attr_t attr;
  int err = pthread_attr_init(&attr);
  if (!err) err = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (err) fatal("a thread could not be created", err);
  while (pool.size + 1 < k) {
    slot *s = calloc(1, sizeof *s);
    if (!s) fatal("a thread could not be created", ENOMEM);
    s->num = pool.size + 1;
    err = pthread_cond_init(&s->wake, NULL);
    pthread_t id;
    if (!err) err = pthread_create(&id, &attr, pooled, s);
    if (err) fatal("a thread could not be created", err);
    pool.w[pool.size++] = s;
  }
  pthread_attr_destroy(&attr);
}

/* Team t on the pool's workers and the caller; false, with nothing done,
 * if the pool is serving another region. */
static bool run_pooled(team *t) {
  pthread_mutex_lock(&pool.lock);
  if (pool.busy) {
    pthread_mutex_unlock(&pool.lock);
    return false;
  }
  pool.busy = true;
  grow(t->n);
  pool.left = t->n - 1;
  for (unsigned k = 1; k < t->n; k++) {
    pool.w[k - 1]->t = t;
    pthread_cond_signal(&pool.w[k - 1]->wake);
  }
  pthread_mutex_unlock(&pool.lock);
  me = start(t, 0);
  t->body(t->data);
  pthread_mutex_lock(&pool.lock); /* the region's closing barrier */
  while (pool.left > 0) pthread_cond_wait(&pool.done, &pool.lock);
  pool.busy = false;
  pthread_mutex_unlock(&pool.lock);
  return true;
}

/* Team t on threads created for it and joined at its end. */
static void run_spawned(team *t) {
  unsigned n = t->n;
  pthread_t *ids = malloc((n - 1) * sizeof *ids);
  member *ms = malloc((n - 1) * sizeof *ms);
  if (!ids || !ms) fatal("a parallel region could not start", ENOMEM);
  for (unsigned k = 1; k < n; k++) {
    ms[k - 1] = start(t, k);
    int err = pthread_create(&ids[k - 1], NULL, spawned, &ms[k - 1]);
    if (err) fatal("a thread could not be created", err);
  }
  me = start(t, 0);
  t->body(t->data);
  for (unsigned k = 1; k < n; k++) {
    int err = pthread_join(ids[k - 1], NULL);
    if (err) fatal("a thread could not be joined", err);
  }
  free(ids);
  free(ms);
}

static unsigned default_threads(void) {
  const char *e = getenv("OMP_NUM_THREADS");
  char *end;
  long v = e ? strtol(e, &end, 10) : 0;
  if (e && end != e && v > 0 && v < 1 << 16) return (unsigned)v;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1;
}

/* A region: body on n threads (the caller as number 0); pre, if not NULL,
 * the construct every thread starts in (combined parallel sections). */
static void region(void (*body)(void *), void *data, unsigned n,
                   construct *pre) {
  member outer = me;
  if (n == 0) n = default_threads();
  if (outer.active > 0) n = 1;
  team t = {.first = pre, .pre = pre, .body = body, .data = data, .n = n,
            .active = outer.active + (n > 1)};
  int err = pthread_mutex_init(&t.lock, NULL);
  if (err) fatal("a parallel region could not start", err);
  if (n == 1) {
    me = start(&t, 0);
    body(data);
  } else if (!run_pooled(&t)) {
    run_spawned(&t);
  }
  me = outer;
  for (construct *c = pre ? pre->next : t.first; c;) {
    construct *next = c->next;
    free(c);
    c = next;
  }
  pthread_mutex_destroy(&t.lock);
}

void GOMP_parallel(void (*body)(void *), void *data, unsigned num_threads,
                   unsigned flags) {
  (void)flags; /* proc_bind: threads are not bound */
  region(body, data, num_threads, NULL);
}

void GOMP_parallel_sections(void (*body)(void *), void *data,
                            unsigned num_threads, unsigned count,
                            unsigned flags) {
  (void)flags;
  construct sections = {.s_count = count};
  region(body, data, num_threads, &sections);
}

/* The next section's number (1, 2, ...), 0 when every one is taken. */
unsigned GOMP_sections_next(void) {
  if (!me.t) return 0;
  construct *c = me.cur;
  pthread_mutex_lock(&me.t->lock);
  unsigned s = c->s_done < c->s_count ? ++c->s_done : 0;
  pthread_mutex_unlock(&me.t->lock);
  return s;
}

void GOMP_sections_end_nowait(void) { me.cur = NULL; }

/* ------------------------------------------------ dynamic loops (long) */

typedef struct long_loop {
  long start, end, incr, chunk;
} long_loop;

static void init_long(construct *c, const void *arg) {
  const long_loop *l = arg;
  c->l_next = l->start;
  c->l_end = l->end;
  c->l_incr = l->incr;
  c->l_chunk = l->chunk > 0 ? l->chunk : 1;
}

/* The next chunk [*istart, *iend) of the current loop; false when none is
 * left.  The caller holds no lock. */
static bool next_long(construct *c, long *istart, long *iend) {
  pthread_mutex_lock(&me.t->lock);
  long at = c->l_next, end = c->l_end, step = c->l_chunk * c->l_incr;
  bool more = c->l_incr > 0 ? at < end : at > end;
  if (more) {
    long stop = c->l_incr > 0 ? (end - at > step ? at + step : end)
                              : (end - at < step ? at + step : end);
    *istart = at;
    *iend = stop;
    c->l_next = stop;
  }
  pthread_mutex_unlock(&me.t->lock);
  return more;
}

bool GOMP_loop_nonmonotonic_dynamic_start(long start, long end, long incr,
                                          long chunk, long *istart,
                                          long *iend) {
  long_loop l = {start, end, incr, chunk};
  if (!me.t) { /* not in a region: every iteration in one chunk */
    bool more = incr > 0 ? start < end : start > end;
    *istart = start;
    *iend = end;
    return more;
  }
  return next_long(meet(init_long, &l), istart, iend);
}

bool GOMP_loop_nonmonotonic_dynamic_next(long *istart, long *iend) {
  return me.t && me.cur ? next_long(me.cur, istart, iend) : false;
}

/* --------------------------------------------- dynamic loops (unsigned) */

typedef struct ull_loop {
  bool up;
  ull start, end, incr, chunk;
} ull_loop;

static void init_ull(construct *c, const void *arg) {
  const ull_loop *l = arg;
  c->u_up = l->up;
  c->u_next = l->start;
  c->u_end = l->end;
  c->u_incr = l->incr;
  c->u_chunk = l->chunk > 0 ? l->chunk : 1;
}

static bool next_ull(construct *c, ull *istart, ull *iend) {
  pthread_mutex_lock(&me.t->lock);
  ull at = c->u_next, end = c->u_end;
  /* the stride of a chunk, as a distance (incr is negative, two's
   * complement, when counting down) */
  ull step = c->u_up ? c->u_chunk * c->u_incr : c->u_chunk * (0 - c->u_incr);
  bool more = c->u_up ? at < end : at > end;
  if (more) {
    ull stop = c->u_up ? (end - at > step ? at + step : end)
                       : (at - end > step ? at - step : end);
    *istart = at;
    *iend = stop;
    c->u_next = stop;
  }
  pthread_mutex_unlock(&me.t->lock);
  return more;
}

bool GOMP_loop_ull_nonmonotonic_dynamic_start(bool up, ull start, ull end,
                                              ull incr, ull chunk,
                                              ull *istart, ull *iend) {
  ull_loop l = {up, start, end, incr, chunk};
  if (!me.t) {
    *istart = start;
    *iend = end;
    return up ? start < end : start > end;
  }
  return next_ull(meet(init_ull, &l), istart, iend);
}

bool GOMP_loop_ull_nonmonotonic_dynamic_next(ull *istart, ull *iend) {
  return me.t && me.cur ? next_ull(me.cur, istart, iend) : false;
}

void GOMP_loop_end_nowait(void) { me.cur = NULL; }

int omp_get_num_threads(void) { return me.t ? (int)me.t->n : 1; }
int omp_get_thread_num(void) { return me.t ? (int)me.num : 0; }
