/*
 * benchutil.h -- what the benchmark programs share: a seeded splitmix64
 * stream for synthetic inputs, a monotonic clock, the process's CPU clock
 * and the load average.  On a shared machine wall time depends on the
 * other work; CPU time (printed beside it) is the figure to compare, and
 * the load average printed with each table says how busy the machine was.
 */
#ifndef ENT_BENCHUTIL_H
#define ENT_BENCHUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double uniform(uint64_t *s) {
  return (double)(splitmix64(s) >> 11) * (1.0 / 9007199254740992.0);
}

static inline double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds used by this process (every thread). */
static inline double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Print "load average: 1, 5, 15 min" (Linux /proc/loadavg) and a line
 * break; "unknown" elsewhere. */
static inline void print_load(const char *when) {
  double l1 = 0.0, l5 = 0.0, l15 = 0.0;
  FILE *f = fopen("/proc/loadavg", "r");
  int ok = f && fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) == 3;
  if (f) fclose(f);
  if (ok)
    printf("load average %s: %.2f %.2f %.2f (1, 5, 15 min)\n", when, l1, l5,
           l15);
  else
    printf("load average %s: unknown\n", when);
}

#endif /* ENT_BENCHUTIL_H */
