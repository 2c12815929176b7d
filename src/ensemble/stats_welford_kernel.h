/*
 * stats_welford_kernel.h -- the lanes of ent_welford_add_block (stats.c)
 * for one vector width: included there with WW (doubles a vector: 2, 4 or
 * 8), WK (the function's name) and WK_TARGET (its target attribute, or
 * nothing) defined.  No header guard: it is meant to be included once per
 * width.
 *
 * Each lane's operations are ent_welford_add's, in its order and
 * rounded alike (the build contracts nothing into FMA), on copies of a
 * cell's sums (the count as a double, exact below 2^53), so the sums are
 * the same bits in any width; a NaN lane adds 0 to its count and keeps its
 * mean and m2 by a select (whatever the arithmetic on the NaN gave is
 * dropped).
 */

/* Rows rows[0..n) into the cells [a, b) (at most ENT_WELFORD_CHUNK): the
 * first (b - a) rounded down to WW of them.  Returns how many were done. */
WK_TARGET static size_t WK(ent_welford *w, size_t a, size_t b,
                           const double *const *rows, size_t n) {
  typedef double vd __attribute__((vector_size(8 * WW)));
  typedef long long vm __attribute__((vector_size(8 * WW)));
  double cnt[ENT_WELFORD_CHUNK], mean[ENT_WELFORD_CHUNK], m2[ENT_WELFORD_CHUNK];
  size_t nv = (b - a) / WW * WW;
  for (size_t i = 0; i < nv; i++) {
    cnt[i] = (double)w[a + i].n;
    mean[i] = w[a + i].mean;
    m2[i] = w[a + i].m2;
  }
  vd one;
  for (int l = 0; l < WW; l++) one[l] = 1.0;
  for (size_t r = 0; r < n; r++) {
    const double *x = rows[r] + a;
    for (size_t i = 0; i < nv; i += WW) {
      vd xv, nc, mv, sv;
      memcpy(&xv, x + i, sizeof xv);
      memcpy(&nc, cnt + i, sizeof nc);
      memcpy(&mv, mean + i, sizeof mv);
      memcpy(&sv, m2 + i, sizeof sv);
      vm keep = xv == xv;
      nc += (vd)((vm)one & keep);
      vd d = xv - mv;
      vd m1 = mv + d / nc;
      vd s1 = sv + d * (xv - m1);
      mv = (vd)(((vm)m1 & keep) | ((vm)mv & ~keep));
      sv = (vd)(((vm)s1 & keep) | ((vm)sv & ~keep));
      memcpy(cnt + i, &nc, sizeof nc);
      memcpy(mean + i, &mv, sizeof mv);
      memcpy(m2 + i, &sv, sizeof sv);
    }
  }
  for (size_t i = 0; i < nv; i++) {
    w[a + i].n = (size_t)cnt[i];
    w[a + i].mean = mean[i];
    w[a + i].m2 = m2[i];
  }
  return nv;
}
