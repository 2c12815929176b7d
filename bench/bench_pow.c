/*
 * bench_pow.c -- the filtered pow (src/strategic/eum_pow.c) against the C
 * library's pow on the expected-utility model's arguments (bases d,
 * 0.5 -+ 0.5 d, exponents in [1/2, 2]), in batches of B values (a decision
 * row of the built-in scenarios' issues is about 10): ns per value, wall
 * and CPU, and the share of values the filter hands to pow.  The two are
 * timed alternately, three times each.
 */
#include <math.h>
#include <stdlib.h>

#include "../src/strategic/eum_pow.h"
#include "benchutil.h"

#define VALUES (1u << 23)

int main(void) {
  static const size_t batches[] = {4, 10, 64, 4096};
  uint64_t seed = 15;
  double *x = malloc(4096 * sizeof *x), *y = malloc(4096 * sizeof *y),
         *out = malloc(4096 * sizeof *out);
  if (!x || !y || !out) return 1;
  for (size_t i = 0; i < 4096; i++) {
    double d = uniform(&seed);
    x[i] = i % 3 == 0 ? d : i % 3 == 1 ? 0.5 - 0.5 * d : 0.5 + 0.5 * d;
    double R = 2.0 * uniform(&seed) - 1.0;
    y[i] = (1.0 - R / 3.0) / (1.0 + R / 3.0);
  }
  printf("pow(x, y), ns per value (fast path %s on this CPU)\n",
         ent_eum_pow_fast_available() ? "available" : "NOT available");
  print_load("at start");
  printf("%5s | %9s %9s | %9s %9s | %7s | %s\n", "B", "glibc wall", "cpu",
         "filter wall", "cpu", "to pow", "cpu ratio");
  volatile double sink = 0.0;
  for (size_t bi = 0; bi < sizeof batches / sizeof batches[0]; bi++) {
    size_t B = batches[bi], reps = VALUES / B;
    double gw = 1e30, gc = 1e30, fw = 1e30, fc = 1e30;
    size_t calls = 0;
    for (int round = 0; round < 3; round++) {
      double w0 = now(), c0 = cpu_now();
      for (size_t r = 0; r < reps; r++) {
        const double *bx = x + (r * B) % (4096 - B + 1);
        const double *by = y + (r * B) % (4096 - B + 1);
        for (size_t i = 0; i < B; i++) out[i] = pow(bx[i], by[i]);
        sink += out[r % B];
      }
      double w1 = now(), c1 = cpu_now();
      calls = 0;
      for (size_t r = 0; r < reps; r++) {
        const double *bx = x + (r * B) % (4096 - B + 1);
        const double *by = y + (r * B) % (4096 - B + 1);
        calls += ent_eum_pow_many(B, bx, by, out);
        sink += out[r % B];
      }
      double w2 = now(), c2 = cpu_now();
      double n = (double)(reps * B) * 1e-9;
      if ((w1 - w0) / n < gw) gw = (w1 - w0) / n;
      if ((c1 - c0) / n < gc) gc = (c1 - c0) / n;
      if ((w2 - w1) / n < fw) fw = (w2 - w1) / n;
      if ((c2 - c1) / n < fc) fc = (c2 - c1) / n;
    }
    printf("%5zu | %9.2f %9.2f | %11.2f %9.2f | %6.2f%% | %.2f\n", B, gw, gc,
           fw, fc, 100.0 * (double)calls / (double)(reps * B), fc / gc);
  }
  print_load("at end");
  free(x);
  free(y);
  free(out);
  return sink == 0.12345;
}
