/*
 * test_omp_threads.c -- the static binary's OpenMP entry points
 * (tools/entente/omp_threads.c) without libgomp: this file is compiled
 * with -fopenmp and linked with the shim alone (tests/meson.build), as
 * the static `entente` is.  Many regions one after the other with
 * different team sizes on the kept workers: exact team sizes, the
 * encountering thread as number 0, every thread number once, dynamic
 * loops and combined parallel sections shared (each iteration and section
 * once), two loops in one region, nested regions on one thread, the thread's
 * number and team restored after a region; the workers reused (not one
 * thread a region); no CPU taken by parked workers while the program
 * sleeps; two threads of the program starting regions at once; the
 * program exits with its workers parked.  Prints the time a region of 2
 * threads takes (no assertion on it).
 */
#define _GNU_SOURCE
#include <omp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) {                                                          \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond);   \
      failures++;                                                           \
    }                                                                       \
  } while (0)

enum { MAX_TEAM = 6, ITER = 1000, MAX_TIDS = 4096 };

static double now(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Distinct kernel thread ids of the threads numbered 1 and up (the
 * workers: kept, not one a region). */
static struct {
  pthread_mutex_t lock;
  long id[MAX_TIDS];
  int n;
} tids = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void seen_tid(void) {
  long t = (long)syscall(SYS_gettid);
  pthread_mutex_lock(&tids.lock);
  int k = 0;
  while (k < tids.n && tids.id[k] != t) k++;
  if (k == tids.n && tids.n < MAX_TIDS) tids.id[tids.n++] = t;
  pthread_mutex_unlock(&tids.lock);
}

/* One region of n threads (n > 0) and everything checked in it. */
static void one_region(int n, int nested) {
  pthread_t caller = pthread_self();
  atomic_int nums[MAX_TEAM] = {0};
  atomic_int hits[ITER] = {0};
  atomic_int hits_l[ITER] = {0};
  atomic_int bad_size = 0, bad_zero = 0, bad_nested = 0;
#pragma omp parallel num_threads(n)
  {
    int t = omp_get_thread_num();
    if (omp_get_num_threads() != n) atomic_fetch_add(&bad_size, 1);
    if (t >= 0 && t < MAX_TEAM) atomic_fetch_add(&nums[t], 1);
    if ((t == 0) != pthread_equal(pthread_self(), caller))
      atomic_fetch_add(&bad_zero, 1);
    if (t > 0) seen_tid();
    /* two loops in one region, each shared (the shim has the constructs
     * the library uses: dynamic loops without a closing barrier) */
#pragma omp for schedule(dynamic, 3) nowait
    for (unsigned long long i = 0; i < ITER; i++) atomic_fetch_add(&hits[i], 1);
#pragma omp for schedule(dynamic, 7) nowait
    for (long i = ITER - 1; i >= 0; i--) atomic_fetch_add(&hits_l[i], 1);
    if (nested) {
      atomic_int inner = 0;
#pragma omp parallel num_threads(MAX_TEAM)
      {
        if (omp_get_num_threads() != (n > 1 ? 1 : MAX_TEAM) ||
            (n > 1 && omp_get_thread_num() != 0))
          atomic_fetch_add(&bad_nested, 1);
        atomic_fetch_add(&inner, 1);
#pragma omp for schedule(dynamic, 5) nowait
        for (int i = 0; i < 50; i++) atomic_fetch_add(&inner, 0);
      }
      if (atomic_load(&inner) != (n > 1 ? 1 : MAX_TEAM) ||
          omp_get_thread_num() != t || omp_get_num_threads() != n)
        atomic_fetch_add(&bad_nested, 1);
    }
  }
  CHECK(atomic_load(&bad_size) == 0);
  CHECK(atomic_load(&bad_zero) == 0);
  CHECK(atomic_load(&bad_nested) == 0);
  for (int t = 0; t < MAX_TEAM; t++)
    CHECK(atomic_load(&nums[t]) == (t < n));
  int once = 1;
  for (int i = 0; i < ITER; i++)
    once &= atomic_load(&hits[i]) == 1 && atomic_load(&hits_l[i]) == 1;
  CHECK(once);
  CHECK(omp_get_thread_num() == 0 && omp_get_num_threads() == 1);
}

/* Combined parallel sections (GOMP_parallel_sections). */
static void sections_region(int n) {
  atomic_int sect[4] = {0};
  atomic_int bad = 0;
#pragma omp parallel sections num_threads(n)
  {
#pragma omp section
    atomic_fetch_add(&sect[0], 1);
#pragma omp section
    {
      atomic_fetch_add(&sect[1], 1);
      if (omp_get_num_threads() != n) atomic_fetch_add(&bad, 1);
    }
#pragma omp section
    atomic_fetch_add(&sect[2], 1);
#pragma omp section
    atomic_fetch_add(&sect[3], 1);
  }
  for (int s = 0; s < 4; s++) CHECK(atomic_load(&sect[s]) == 1);
  CHECK(atomic_load(&bad) == 0);
}

static void *other_caller(void *arg) {
  int n = *(const int *)arg;
  for (int r = 0; r < 200; r++) one_region(n, r % 4 == 0);
  return NULL;
}

int main(void) {
  /* many regions, team sizes 1 to MAX_TEAM in a mixed order */
  static const int sizes[] = {2, 2, 3, 1, 5, 2, 6, 4, 1, 3, 2};
  int nsz = (int)(sizeof sizes / sizeof *sizes);
  for (int r = 0; r < 2000; r++) one_region(sizes[r % nsz], r % 3 == 0);
  for (int r = 0; r < 200; r++) sections_region(1 + r % 4);
  /* the workers are kept: at most MAX_TEAM - 1 of them ran the bodies */
  CHECK(tids.n >= 1 && tids.n <= MAX_TEAM - 1);

  /* parked workers take no CPU while the program sleeps */
  one_region(MAX_TEAM, 0);
  double c0 = now(CLOCK_PROCESS_CPUTIME_ID);
  struct timespec nap = {0, 200 * 1000 * 1000};
  nanosleep(&nap, NULL);
  double cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
  CHECK(cpu < 0.02);

  /* a region of 2 threads, from start to barrier */
  int reps = 20000;
  atomic_int wrong = 0;
  double w0 = now(CLOCK_MONOTONIC), u0 = now(CLOCK_PROCESS_CPUTIME_ID);
  for (int r = 0; r < reps; r++) {
#pragma omp parallel num_threads(2)
    {
      if (omp_get_num_threads() != 2) atomic_fetch_add(&wrong, 1);
    }
  }
  double w1 = now(CLOCK_MONOTONIC), u1 = now(CLOCK_PROCESS_CPUTIME_ID);
  CHECK(atomic_load(&wrong) == 0);
  printf("an empty region of 2 threads: %.2f us wall, %.2f us CPU\n",
         1e6 * (w1 - w0) / reps, 1e6 * (u1 - u0) / reps);

  /* two threads of the program starting regions at once: one on the
   * pool, the other on threads of its own, both right */
  pthread_t a, b;
  int na = 3, nb = 2;
  CHECK(pthread_create(&a, NULL, other_caller, &na) == 0);
  CHECK(pthread_create(&b, NULL, other_caller, &nb) == 0);
  pthread_join(a, NULL);
  pthread_join(b, NULL);

  printf("%s (%d failures); %d workers ran the regions\n",
         failures ? "FAILED" : "ok", failures, tids.n);
  return failures ? 1 : 0; /* exit with the workers parked */
}
