/*
 * trade_lanes_avx512.c -- the kernel of ent_trade_cut_solve_lanes
 * (trade_lanes_kernel.h) for 8 lanes, compiled for AVX-512 (no FMA: the
 * build's -ffp-contract=off); trade_lanes.c calls it when the CPU has it.
 */
#include "structural/trade.h"
#include "structural/trade_work.h"

#include <float.h>
#include <math.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && \
    !defined(__clang__)
#pragma GCC target("avx512f")
#elif defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#pragma clang attribute push(__attribute__((target("avx512f"))), \
                             apply_to = function)
#define CL_CLANG_PUSHED 1
#endif

#if defined(__GNUC__)
#define CLW 8
#define CL_ENTRY ent_trade_lanes_w8
#include "structural/trade_lanes_kernel.h"
#else
size_t ent_trade_lanes_w8(ENT_TRADE_LANES_ARGS) { return 0; }
#endif

#ifdef CL_CLANG_PUSHED
#pragma clang attribute pop
#endif
