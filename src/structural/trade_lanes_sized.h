/*
 * trade_lanes_sized.h -- the steps of trade_lanes_kernel.h that go over
 * the n blocs (the state, the Jacobian, the LU factors, the triangular
 * solves, a group's start), included by it twice: with CL_NFIX 6 (the
 * simulation's blocs: CL_U unrolls the loops, n is a constant) and with
 * CL_NFIX 0 (n from the argument, the loops kept), each copy named by
 * CL_FN.  The functions are out of line (noinline), so each is compiled
 * once a copy, not again at every call site.  No include guard: a template.
 */
#if !defined(CL_NFIX) || !defined(CL_FN) || !defined(CL_U)
#error "define CL_NFIX, CL_FN and CL_U before including trade_lanes_sized.h"
#endif

/* state_mult (d: with the step g->d, else at the accepted point),
 * state_from_wm and newton_residual of every lane; a lane whose scalar
 * solve would fail there gets bad set.  The merit into g->mt. */
CL_OUTLINE void CL_FN(cl_state)(struct cl_lanes *restrict g, size_t n_arg,
                                const ent_trade_work *restrict w,
                                const ent_trade_opts *o, int d) {
  const size_t n = CL_NFIX ? (size_t)CL_NFIX : n_arg;
  CL_NBOUND(n);
  const double theta = o->theta, YW = w->cut_YW;
  const double *restrict Y = w->Y, *restrict E = w->E, *restrict D = w->D;
  if (d) { /* the step's factors exp_small(d_i), exp_small(-theta d_i) */
    V x[2 * CL_N], y[2 * CL_N];
    Mk more = {0}, live = g->live;
    CL_U
    for (size_t i = 0; i < n; i++) {
      V a = g->d[i], b = -theta * g->d[i];
      x[i] = a;
      x[n + i] = b;
      y[i] = ENT_TRADE_EXP_P2(a);
      y[n + i] = ENT_TRADE_EXP_P2(b);
      more |= ~(v_abs(a) < 0x1p-20) | ~(v_abs(b) < 0x1p-20);
    }
    if (m_any(more & live)) cl_exp_more(y, x, 2 * n, &live);
    CL_U
    for (size_t i = 0; i < n; i++) {
      g->W[i] = g->wa[i] * y[i];
      g->M[i] = g->ma[i] * y[n + i];
    }
  } else {
    CL_U
    for (size_t i = 0; i < n; i++) {
      g->W[i] = g->wa[i];
      g->M[i] = g->ma[i];
    }
  }
  Mk lo = (Mk)g->W[0], hi = lo; /* of w, m: positive and finite */
  CL_U
  for (size_t i = 0; i < n; i++) {
    lo = m_min(lo, m_min((Mk)g->W[i], (Mk)g->M[i]));
    hi = m_max(hi, m_max((Mk)g->W[i], (Mk)g->M[i]));
  }
  CL_U
  for (size_t j = 0; j < n; j++) {
    V s = (V){0};
    CL_U
    for (size_t k = 0; k < n; k++) s = s + g->pb[k][j] * g->M[k];
    g->Phi[j] = s;
  }
  if (o->deficit == ENT_TRADE_DEFICIT_ADDITIVE) {
    CL_U
    for (size_t j = 0; j < n; j++) g->Ep[j] = g->W[j] * Y[j] + D[j];
  } else {
    V sy = (V){0}, se = (V){0};
    CL_U
    for (size_t j = 0; j < n; j++) {
      sy = sy + g->W[j] * Y[j];
      se = se + g->W[j] * E[j];
    }
    V kappa = sy / se;
    CL_U
    for (size_t j = 0; j < n; j++) g->Ep[j] = kappa * E[j] * g->W[j];
  }
  CL_U
  for (size_t j = 0; j < n; j++) {
    V ep = g->Ep[j], ph = g->Phi[j];
    lo = m_min(lo, m_min((Mk)ep, (Mk)ph)); /* and E', Phi */
    hi = m_max(hi, m_max((Mk)ep, (Mk)ph));
    g->q[j] = ep / ph;
  }
  g->bad |= m_not_posfin(lo, hi);
  /* row_sums: partial sums of j mod 4, the tail in the first */
  size_t n4 = n & ~(size_t)3;
  CL_U
  for (size_t i = 0; i < n; i++) {
    V s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
    const V *restrict p = g->pb[i], *restrict q = g->q;
    size_t j = 0;
    CL_U
    for (; j < n4; j += 4) {
      s0 = s0 + p[j] * q[j];
      s1 = s1 + p[j + 1] * q[j + 1];
      s2 = s2 + p[j + 2] * q[j + 2];
      s3 = s3 + p[j + 3] * q[j + 3];
    }
    CL_U
    for (; j < n; j++) s0 = s0 + p[j] * q[j];
    g->A[i] = (s0 + s1) + (s2 + s3);
  }
  /* newton_residual: max |F_i|, NaN as large */
  V mt = (V){0}, sw = (V){0};
  CL_U
  for (size_t i = 0; i + 1 < n; i++) {
    V f = (g->M[i] * g->A[i] - g->W[i] * Y[i]) / Y[i];
    g->F[i] = f;
    mt = v_sel(~(v_abs(f) <= mt), v_abs(f), mt);
  }
  CL_U
  for (size_t i = 0; i < n; i++) sw = sw + g->W[i] * Y[i];
  V f = (sw - YW) / YW;
  g->F[n - 1] = f;
  g->mt = v_sel(~(v_abs(f) <= mt), v_abs(f), mt);
}

/* cut_jacobian of every lane. */
CL_OUTLINE void CL_FN(cl_jacobian)(struct cl_lanes *restrict g, size_t n_arg,
                                   const ent_trade_work *restrict w,
                                   const ent_trade_opts *o) {
  const size_t n = CL_NFIX ? (size_t)CL_NFIX : n_arg;
  CL_NBOUND(n);
  const double theta = o->theta, YW = w->cut_YW;
  const double *restrict Y = w->Y, *restrict E = w->E;
  int add = o->deficit == ENT_TRADE_DEFICIT_ADDITIVE;
  V sy = (V){0}, se = (V){0};
  CL_U
  for (size_t j = 0; j < n; j++) {
    g->r[j] = g->q[j] / g->Phi[j];
    sy = sy + g->W[j] * Y[j];
    se = se + g->W[j] * E[j];
  }
  CL_U
  for (size_t k = 0; k < n; k++) {
    if (add) {
      g->v[k] = g->q[k] * g->W[k] * Y[k] / g->Ep[k];
    } else {
      g->v[k] = g->q[k];
      g->ck[k] = g->W[k] * Y[k] / sy - g->W[k] * E[k] / se;
    }
    CL_U
    for (size_t j = 0; j < n; j++) g->C[k][j] = g->pb[k][j] * g->r[j];
  }
  CL_U
  for (size_t i = 0; i + 1 < n; i++) {
    V mi = g->M[i], Si = mi * g->A[i];
    double yi = 1.0 / Y[i];
    V ai = mi * yi, bi = Si * yi;
    V diag = (theta * Si + g->W[i] * Y[i]) * yi;
    CL_U
    for (size_t k = 0; k < n; k++) {
      V gk;
      if (k < i) {
        gk = g->J[i][k];
      } else { /* dot2: even j into s0, odd into s1, an odd tail in s0 */
        V s0 = (V){0}, s1 = (V){0};
        size_t j = 0;
        CL_U
        for (; j + 2 <= n; j += 2) {
          s0 = s0 + g->pb[i][j] * g->C[k][j];
          s1 = s1 + g->pb[i][j + 1] * g->C[k][j + 1];
        }
        if (j < n) s0 = s0 + g->pb[i][j] * g->C[k][j];
        gk = s0 + s1;
        if (k > i) g->J[k][i] = gk;
      }
      V dd = ai * (theta * g->M[k] * gk + g->pb[i][k] * g->v[k]);
      if (!add) dd = dd + bi * g->ck[k];
      if (k == i) dd = dd - diag;
      g->J[i][k] = dd;
    }
  }
  CL_U
  for (size_t k = 0; k < n; k++) g->J[n - 1][k] = g->W[k] * Y[k] / YW;
}

/* lu_factor of every lane (each lane's pivots its own, rows swapped by
 * masks). */
CL_OUTLINE void CL_FN(cl_lu_factor)(struct cl_lanes *restrict g,
                                    size_t n_arg) {
  const size_t n = CL_NFIX ? (size_t)CL_NFIX : n_arg;
  CL_NBOUND(n);
  /* scale: the largest |J_ik| that is not NaN (0 if none), in any order;
   * kept in four parts, so that the comparisons do not wait on each other */
  V sc[4] = {{0}, {0}, {0}, {0}};
  CL_U
  for (size_t i = 0; i < n; i++) {
    g->perm[i] = m_set((long long)i);
    CL_U
    for (size_t k = 0; k < n; k++) {
      V a = v_abs(g->J[i][k]), *s = &sc[k & 3];
      *s = v_sel(a > *s, a, *s);
    }
  }
  V scale = v_sel(sc[1] > sc[0], sc[1], sc[0]);
  scale = v_sel(sc[2] > scale, sc[2], scale);
  scale = v_sel(sc[3] > scale, sc[3], scale);
  Mk bad = g->bad | ~(scale > 0.0) | ~(scale <= DBL_MAX);
  g->swapped = 0;
  CL_U
  for (size_t c = 0; c < n; c++) {
    Mk piv = m_set((long long)c);
    V best = v_abs(g->J[c][c]);
    CL_U
    for (size_t i = c + 1; i < n; i++) {
      V a = v_abs(g->J[i][c]);
      Mk up = a > best;
      piv = m_sel(up, m_set((long long)i), piv);
      best = v_sel(up, a, best);
    }
    bad |= ~(best > 1e-14 * scale);
    if (m_any(piv != (long long)c)) cl_swap_rows(g, n, c, &piv);
    V pv = g->J[c][c];
    CL_U
    for (size_t i = c + 1; i < n; i++) {
      V f = g->J[i][c] / pv;
      g->J[i][c] = f;
      Mk z = f == 0.0; /* lu_factor skips the row */
      if (m_any(z)) {
        for (size_t k = c + 1; k < n; k++) {
          V x = g->J[i][k];
          g->J[i][k] = v_sel(z, x, x - f * g->J[c][k]);
        }
      } else {
        CL_U
        for (size_t k = c + 1; k < n; k++)
          g->J[i][k] = g->J[i][k] - f * g->J[c][k];
      }
    }
  }
  g->bad = bad;
}

/* lu_apply of every lane: rhs = -F, the step into dz and d (t = 1), its
 * size max |d_i| into step. */
CL_OUTLINE void CL_FN(cl_lu_apply)(struct cl_lanes *restrict g,
                                   size_t n_arg) {
  const size_t n = CL_NFIX ? (size_t)CL_NFIX : n_arg;
  CL_NBOUND(n);
  CL_U
  for (size_t i = 0; i < n; i++) g->rhs[i] = -g->F[i];
  if (g->swapped) cl_permute_rhs(g, n);
  CL_U
  for (size_t i = 0; i < n; i++) {
    V s = g->rhs[i];
    CL_U
    for (size_t k = 0; k < i; k++) s = s - g->J[i][k] * g->dz[k];
    g->dz[i] = s;
  }
  /* the back substitution, and the step's size as each d_i is known:
   * the largest |d_i| that is not NaN (0 if none), in any order */
  V step = (V){0};
  CL_U
  for (size_t i = n; i-- > 0;) {
    V s = g->dz[i];
    CL_U
    for (size_t k = i + 1; k < n; k++) s = s - g->J[i][k] * g->dz[k];
    s = s / g->J[i][i];
    g->dz[i] = s;
    V t = 1.0 * s, a = v_abs(t);
    g->d[i] = t;
    step = v_sel(a > step, a, step);
  }
  g->step = step;
}

/* A group's start: each lane's cut and start (cnt lanes from the cut
 * base), made lane by lane in registers: the pair removed from pi b by
 * masks, ent_trade_warm_factors in every lane (the same operations),
 * w_hat = w_hat^-theta = 1 for a cold or idle lane or one whose factors
 * fail. */
CL_OUTLINE void CL_FN(cl_start)(struct cl_lanes *restrict g,
                                const struct cl_group *gr) {
  const size_t n = CL_NFIX ? (size_t)CL_NFIX : gr->n;
  CL_NBOUND(n);
  const ent_trade_work *restrict w = gr->w;
  const double theta = gr->o->theta, YW = w->cut_YW;
  size_t base = gr->base, cnt = gr->cnt;
  Mk PIJ = m_set(-1), PJI = PIJ, wl = {0};
  V S[2 * CL_N];
  const double *src[CLW];
  for (int l = 0; l < CLW; l++) {
    size_t k = base + (size_t)l;
    g->live[l] = (size_t)l < cnt ? -1 : 0;
    src[l] = cl_ones;
    if ((size_t)l < cnt) {
      PIJ[l] = (long long)(gr->ci[k] * n + gr->cj[k]);
      PJI[l] = (long long)(gr->cj[k] * n + gr->ci[k]);
      wl[l] = gr->warm[k] ? -1 : 0;
      if (gr->warm[k]) src[l] = gr->wm[k];
    }
  }
  CL_U
  for (size_t h = 0; h < 2 * n; h++) {
    V x;
    for (int l = 0; l < CLW; l++) x[l] = src[l][h];
    S[h] = x;
  }
  /* pi_ij b_ij without the lane's pair: its entries i n + j (cut_ij) and
   * j n + i (cut_ji), -1 for none */
  if (!gr->cut_ij) PIJ = m_set(-1);
  if (!gr->cut_ji) PJI = m_set(-1);
  CL_U
  for (size_t rc = 0; rc < n * n; rc++) {
    Mk z = (PIJ == (long long)rc) | (PJI == (long long)rc);
    g->pb[rc / n][rc % n] = v_sel(z, (V){0}, v_set(w->pb0[rc]));
  }
  g->nst = m_set(0);
  g->bad = m_set(0);
  Mk lo = (Mk)S[0], hi = lo;
  V sum = (V){0};
  CL_U
  for (size_t k = 0; k < n; k++) {
    lo = m_min(lo, m_min((Mk)S[k], (Mk)S[n + k]));
    hi = m_max(hi, m_max((Mk)S[k], (Mk)S[n + k]));
    sum = sum + w->Y[k] * S[k];
  }
  V f = YW / sum, lf = v_set(1.0);
  Mk ok = wl & ~m_not_posfin(lo, hi) & ~m_not_posfin((Mk)f, (Mk)f);
  for (int l = 0; l < CLW; l++)
    if (ok[l]) lf[l] = log(f[l]);
  V cm = cl_exp_small(-theta * lf, ok);
  CL_U
  for (size_t h = 0; h < n; h++) {
    g->wa[h] = v_sel(ok, S[h] * f, v_set(1.0));
    g->ma[h] = v_sel(ok, S[n + h] * cm, v_set(1.0));
  }
}
