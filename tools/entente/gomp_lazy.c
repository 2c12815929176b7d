/*
 * gomp_lazy.c -- the entry points of gcc's OpenMP runtime that the
 * library's parallel regions call (the code gcc generates for `#pragma omp
 * parallel for`, `parallel sections`, and omp_get_thread_num), resolved
 * from libgomp.so.1 on the first call (dlopen) instead of linking libgomp,
 * so that the commands that start no parallel region (`entente --help`,
 * `run` of a small scenario, `check`, ...) do not pay for libgomp's
 * constructor (it reads the OMP_* environment, the CPU count and the
 * affinity mask: system calls and page faults at every start;
 * docs/performance.md, "Start-up").  The parallel regions (large
 * expected-utility problems on several threads, the members of a
 * forecast) run libgomp's own code as before.  Part of the `entente`
 * binary only, when built with gcc: libentente.so, the tests and the
 * benchmarks link libgomp directly.
 *
 * GOMP_FUNCTIONS lists each function once -- return type, name,
 * parameters, arguments; V for those returning void -- with the
 * prototypes of gcc's libgomp ABI (libgomp_g.h, omp.h), and yields the
 * table of pointers, the wrappers and the lookups (the scheme of
 * cjson_lazy.c).  An entry point the compiler starts to emit and this list
 * lacks fails the link (the binary is linked without libgomp).  The table
 * is filled once (pthread_once); if libgomp cannot be loaded the command
 * stops with a message (exit status 1) before its first parallel region.
 * Global state is allowed here: this is the command-line layer.
 */
#include <pthread.h>
#include <stdbool.h>

#include "cli.h"

#ifndef ENT_GOMP_SONAME
#define ENT_GOMP_SONAME "libgomp.so.1"
#endif

typedef unsigned long long ull;

#define GOMP_FUNCTIONS(X, V)                                                   \
  V(void, GOMP_parallel,                                                       \
    (void (*body)(void *), void *data, unsigned num_threads, unsigned flags),  \
    (body, data, num_threads, flags))                                            \
  V(void, GOMP_parallel_sections,                                              \
    (void (*body)(void *), void *data, unsigned num_threads, unsigned count,   \
     unsigned flags),                                                          \
    (body, data, num_threads, count, flags))                                     \
  X(unsigned, GOMP_sections_next, (void), ())                                  \
  V(void, GOMP_sections_end_nowait, (void), ())                                \
  X(bool, GOMP_loop_nonmonotonic_dynamic_start,                                \
    (long start, long end, long incr, long chunk, long *istart, long *iend),   \
    (start, end, incr, chunk, istart, iend))                                   \
  X(bool, GOMP_loop_nonmonotonic_dynamic_next, (long *istart, long *iend),     \
    (istart, iend))                                                            \
  X(bool, GOMP_loop_ull_nonmonotonic_dynamic_start,                            \
    (bool up, ull start, ull end, ull incr, ull chunk, ull *istart,            \
     ull *iend),                                                               \
    (up, start, end, incr, chunk, istart, iend))                               \
  X(bool, GOMP_loop_ull_nonmonotonic_dynamic_next, (ull *istart, ull *iend),   \
    (istart, iend))                                                            \
  V(void, GOMP_loop_end_nowait, (void), ())                                    \
  X(int, omp_get_num_threads, (void), ())                                      \
  X(int, omp_get_thread_num, (void), ())

/* the prototypes (gcc declares the GOMP_ ones internally, not in a header) */
#define PROTO(ret, name, params, args) ret name params;
GOMP_FUNCTIONS(PROTO, PROTO)
#undef PROTO

#define FIELD(ret, name, params, args) ret(*name) params;
static struct gomp_fns {
  GOMP_FUNCTIONS(FIELD, FIELD)
} gomp;
#undef FIELD

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  void *h = cli_dl_open(ENT_GOMP_SONAME, "threads need");
#define RESOLVE(ret, name, params, args)                                       \
  cli_dl_resolve(h, ENT_GOMP_SONAME, #name, "no parallel region can run",      \
                 &gomp.name);
  GOMP_FUNCTIONS(RESOLVE, RESOLVE)
#undef RESOLVE
}

#define WRAPPER(ret, name, params, args)                                       \
  ret name params {                                                            \
    pthread_once(&once, load);                                                 \
    return gomp.name args;                                                       \
  }
#define VOID_WRAPPER(ret, name, params, args)                                  \
  ret name params {                                                            \
    pthread_once(&once, load);                                                 \
    gomp.name args;                                                              \
  }
GOMP_FUNCTIONS(WRAPPER, VOID_WRAPPER)
#undef WRAPPER
#undef VOID_WRAPPER
