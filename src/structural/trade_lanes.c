/*
 * trade_lanes.c -- the cut solves of trade.c (ent_trade_cut_solve) made
 * side by side, one cut per vector lane, with the same bits.
 */
#include "structural/trade.h"
#include "structural/trade_work.h"

#include <float.h>
#include <math.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && \
    defined(ENT_HAVE_X86_PLATFORM_H)
#include <sys/platform/x86.h>
#endif

/* ent_trade_cut_solve_lanes: the cuts of the prepared baseline in groups
 * stepped in lock step, one cut per lane.  Every lane gets the operations of
 * ent_trade_cut_solve in the same order (the build has no FMA
 * contraction, -ffp-contract=off; the lanes only run side by side), so
 * a lane's numbers are the scalar solve's bits.  The lanes follow that
 * solve's usual path -- the start's state, one Newton step taken whole,
 * then up to ENT_TRADE_CHORD_MAX chord steps until one predicts
 * convergence -- and a lane that leaves it (a second Newton step, a
 * shortened step, an infeasible point, a singular Jacobian, a residual
 * left too large) is given back to the caller, who solves that cut with
 * ent_trade_cut_solve from the same start.  The kernel
 * (trade_lanes_kernel.h, GCC vectors) is compiled for 2 lanes here (SSE2
 * on x86-64), 4 with AVX2 and 8 with AVX-512 (no FMA), and chosen at run
 * time; other compilers solve every cut with the scalar solve. */

#if defined(__GNUC__)
#define CLW 2
#define CL_ENTRY ent_trade_lanes_w2
#include "structural/trade_lanes_kernel.h"
#else
size_t ent_trade_lanes_w2(ENT_TRADE_LANES_ARGS) { return 0; }
#endif



#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define CL_X86 1
#else
#define CL_X86 0
#endif

typedef size_t (*cl_kernel_fn)(ENT_TRADE_LANES_ARGS);

/* The widest kernel this CPU runs (glibc's record of its features where
 * there is one, as src/strategic/eum_sums.c). */
static cl_kernel_fn cl_kernel(int lanes) {
#if CL_X86 && defined(ENT_HAVE_X86_PLATFORM_H)
  if (lanes >= 8 && CPU_FEATURE_ACTIVE(AVX512F)) return ent_trade_lanes_w8;
  if (lanes >= 4 && CPU_FEATURE_ACTIVE(AVX2)) return ent_trade_lanes_w4;
#elif CL_X86
  if (lanes >= 8 && __builtin_cpu_supports("avx512f"))
    return ent_trade_lanes_w8;
  if (lanes >= 4 && __builtin_cpu_supports("avx2")) return ent_trade_lanes_w4;
#endif
  (void)lanes;
  return ent_trade_lanes_w2;
}

size_t ent_trade_cut_solve_lanes(size_t n, size_t count, const size_t *ci,
                                 const size_t *cj, int cut_ij, int cut_ji,
                                 const ent_trade_opts *o, ent_trade_work *w,
                                 double *const *wm, const int *warm,
                                 double *welfare_i, double *welfare_j,
                                 unsigned char *solved, unsigned char *steps,
                                 int lanes) {
  if (!solved) return 0;
  for (size_t k = 0; k < count; k++) solved[k] = 0;
  for (size_t k = 0; steps && k < count; k++) steps[k] = 255;
  if (!w || !w->lanes || !o || !ci || !cj || !wm || !warm || !welfare_i ||
      n < 2 || n > ENT_TRADE_LANES_NMAX || n != w->cut_n ||
      !ent_trade_opts_valid(o) || !o->newton)
    return 0;
  for (size_t k = 0; k < count; k++)
    if (ci[k] >= n || cj[k] >= n || ci[k] == cj[k] || !wm[k]) return 0;
  return cl_kernel(lanes)(n, count, ci, cj, cut_ij, cut_ji, o, w, wm, warm,
                          welfare_i, welfare_j, solved, steps);
}
