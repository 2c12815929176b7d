/*
 * libm_lazy.c -- the libm functions the `entente` binary calls (its own
 * code and the static GSL, SQLite and libgomp archives it links), resolved
 * from glibc's libm.so.6 on the first call (dlopen) instead of at
 * start-up, so that `entente --help`, `--version` and every path that does
 * no floating-point mathematics do not pay for mapping and relocating libm
 * (docs/performance.md, "Start-up").  The functions called are glibc's own,
 * the variants its ifunc resolvers pick for this CPU, exactly as when libm
 * is linked: no result changes.  Part of the `entente` binary only:
 * libentente.so, the tests and the benchmarks link libm directly.
 * frexp and ldexp are not listed: libc.so.6 defines them too.
 *
 * MATH_FUNCTIONS lists each function once (its name and parameter shape)
 * and yields a pointer, a wrapper and a first-call stub for it.  The
 * wrapper is one load and an indirect jump, as a call through the PLT is;
 * each pointer starts at its stub, which loads libm once (pthread_once:
 * OpenMP threads may make the first call together), points every pointer
 * at libm's function and calls it.  A function the program starts to use
 * and this list lacks fails the link (the binary is linked without -lm).
 * If libm cannot be loaded the command stops with a message (exit status
 * 1).  Global state is allowed here: this is the command-line layer.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

#include "cli.h"

#ifndef ENT_LIBM_SONAME
#define ENT_LIBM_SONAME "libm.so.6"
#endif

/* a GNU extension: GCC turns sin(x) beside cos(x) into it */
void sincos(double x, double *s, double *c);

/* D1: double f(double); D2: double f(double, double).  The list is every
 * libm function the program's code calls at any optimisation level (GCC
 * inlines floor, ceil, fabs and round at -O2 but calls them at -O0) and
 * those the static archives call. */
#define MATH_FUNCTIONS(D1, D2, SC)                                             \
  D1(acos) D1(acosh) D1(asin) D1(asinh) D1(atan) D1(atanh) D1(ceil) D1(cos)    \
  D1(cosh) D1(exp) D1(expm1) D1(fabs) D1(floor) D1(log) D1(log10) D1(log1p)    \
  D1(log2) D1(nearbyint) D1(round) D1(sin) D1(sinh) D1(sqrt) D1(tan) D1(tanh)  \
  D1(trunc) D2(atan2) D2(fmax) D2(fmin) D2(fmod) D2(hypot) D2(pow) SC(sincos)

typedef double math1(double);
typedef double math2(double, double);
typedef void mathsc(double, double *, double *);
typedef math1 *fn1;
typedef math2 *fn2;
typedef mathsc *fnsc;

#define PTR(name, type, ftype)                                                 \
  static ftype first_##name;                                                   \
  static _Atomic type p_##name = first_##name;
#define PTR1(name) PTR(name, fn1, math1)
#define PTR2(name) PTR(name, fn2, math2)
#define PTRSC(name) PTR(name, fnsc, mathsc)
MATH_FUNCTIONS(PTR1, PTR2, PTRSC)

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  void *h = cli_dl_open(ENT_LIBM_SONAME, "arithmetic needs");
#define RESOLVE(name, type)                                                    \
  {                                                                            \
    type f;                                                                    \
    cli_dl_resolve(h, ENT_LIBM_SONAME, #name, "no arithmetic", &f);            \
    atomic_store_explicit(&p_##name, f, memory_order_release);                 \
  }
#define RESOLVE1(name) RESOLVE(name, fn1)
#define RESOLVE2(name) RESOLVE(name, fn2)
#define RESOLVESC(name) RESOLVE(name, fnsc)
  MATH_FUNCTIONS(RESOLVE1, RESOLVE2, RESOLVESC)
}

#define CALL(name) atomic_load_explicit(&p_##name, memory_order_acquire)
#define WRAP1(name)                                                            \
  double name(double x) { return CALL(name)(x); }                              \
  static double first_##name(double x) {                                       \
    pthread_once(&once, load);                                                 \
    return CALL(name)(x);                                                      \
  }
#define WRAP2(name)                                                            \
  double name(double x, double y) { return CALL(name)(x, y); }                 \
  static double first_##name(double x, double y) {                             \
    pthread_once(&once, load);                                                 \
    return CALL(name)(x, y);                                                   \
  }
#define WRAPSC(name)                                                           \
  void name(double x, double *s, double *c) { CALL(name)(x, s, c); }           \
  static void first_##name(double x, double *s, double *c) {                   \
    pthread_once(&once, load);                                                 \
    CALL(name)(x, s, c);                                                       \
  }
MATH_FUNCTIONS(WRAP1, WRAP2, WRAPSC)
