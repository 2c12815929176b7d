/*
 * eum_pow_lanes.h -- the body of pow_lanes4 / pow_lanes8 (eum_pow.c),
 * written once: PL_W arguments in one PL_W-lane vector, the method and
 * error bound of eum_pow.c.  Lanes whose result is not certainly glibc's
 * are flagged in the returned bit mask and left to the caller.
 *
 * Included by eum_pow.c once per width with PL_NAME, PL_BLOCK (names of
 * the loop and of one vector), PL_W (lanes), PL_ATTR (target
 * attribute), PL_VD / PL_VI / PL_VU (double, signed and unsigned 64-bit
 * vectors of PL_W lanes), PL_FMA(a, b, c) (a*b + c rounded once),
 * PL_LOOK16 / PL_LOOK32(table, index) (16- and 32-entry tables), PL_B(c) (c in every lane) and PL_MASK(v) (bit k set where lane k of an
 * integer vector is nonzero) defined; undefines them.  No include guard.
 */
PL_ATTR static inline __attribute__((always_inline)) unsigned
PL_BLOCK(const double *xp, const double *yp, double *out) {
  PL_VD x, y;
  memcpy(&x, xp, sizeof x);
  memcpy(&y, yp, sizeof y);
  /* Lanes the method covers: 2^-100 <= x <= 2^100, 1/4 <= y <= 4 (NaN
   * fails every comparison). */
  PL_VI bad = ~((x >= 0x1p-100) & (x <= 0x1p100) & (y >= 0.25) & (y <= 4.0));

  /* ---- log x = k ln2 - log c + log1p(r), r = m c - 1, all exact but
   * the tables' last bits and the polynomial */
  PL_VI ix = (PL_VI)x;
  PL_VI tmp = ix - (long long)POW_OFF;
  PL_VI idx = (PL_VI)(((PL_VU)tmp >> 47) & 31u);
  PL_VI top = tmp & (long long)0xfff0000000000000ull; /* k 2^52 */
  PL_VD m = (PL_VD)(ix - top);
  /* k: tmp's top 12 bits, biased by 1024 so a logical shift serves */
  PL_VU kb = ((PL_VU)tmp + (1ull << 62)) >> 52;
  PL_VD k = (PL_VD)(kb | 0x4330000000000000ull) - (0x1p52 + 1024.0);
  PL_VD c = PL_LOOK32(pow_c, idx);
  PL_VD lh = PL_LOOK32(pow_lh, idx);
  PL_VD ll = PL_LOOK32(pow_ll, idx);
  PL_VD p = m * c;
  PL_VD pl = PL_FMA(m, c, -p); /* m c = p + pl exactly */
  PL_VD p1 = p - 1.0;          /* exact (Sterbenz) */
  PL_VD rh = p1 + pl;          /* fast two-sum: |p1| >= |pl| or p1 = 0 */
  PL_VD rl = pl - (rh - p1);   /* r = rh + rl exactly */
  PL_VD kh = k * POW_LN2_HI;   /* exact: |k| < 2^11, 42-bit ln2_hi */
  PL_VD ah = kh + lh, t1 = ah - kh;
  PL_VD al = (kh - (ah - t1)) + (lh - t1);
  PL_VD s1 = ah + rh, t2 = s1 - ah;
  PL_VD e1 = (ah - (s1 - t2)) + (rh - t2);
  PL_VD q = rh * rh;
  PL_VD ql = PL_FMA(rh, rh, -q);
  PL_VD hq = -0.5 * q;
  PL_VD s2 = s1 + hq, t3 = s2 - s1;
  PL_VD e2 = (s1 - (s2 - t3)) + (hq - t3);
  /* r^3 (1/3 - r/4 + r^2/5 - ... - r^9/12) */
  PL_VD pr = PL_FMA(rh, PL_B(-1.0 / 12.0), PL_B(1.0 / 11.0));
  pr = PL_FMA(pr, rh, PL_B(-0.1));
  pr = PL_FMA(pr, rh, PL_B(1.0 / 9.0));
  pr = PL_FMA(pr, rh, PL_B(-0.125));
  pr = PL_FMA(pr, rh, PL_B(1.0 / 7.0));
  pr = PL_FMA(pr, rh, PL_B(-1.0 / 6.0));
  pr = PL_FMA(pr, rh, PL_B(0.2));
  pr = PL_FMA(pr, rh, PL_B(-0.25));
  pr = PL_FMA(pr, rh, PL_B(1.0 / 3.0));
  PL_VD lo = al + e1 + e2 + k * POW_LN2_LO + ll + rl - rh * rl - 0.5 * ql +
             (q * rh) * pr;
  /* log x = Lh + Ll, |Ll| <= ulp(Lh) / 2 (two-sum) */
  PL_VD Lh = s2 + lo, t5 = Lh - s2;
  PL_VD Ll = (s2 - (Lh - t5)) + (lo - t5);
  /* ---- Y = y log x, double-double */
  PL_VD yh = y * Lh;
  PL_VD yl = PL_FMA(y, Lh, -yh) + y * Ll;

  /* ---- exp Y = 2^(kk/128) exp(s), kk = round(Y 128/ln2) */
  PL_VD kr = PL_FMA(yh, PL_B(POW_INV), PL_B(0x1.8p52));
  PL_VI ki = (PL_VI)kr - (long long)0x4338000000000000ull;
  kr = kr - 0x1.8p52;
  PL_VD r1 = PL_FMA(-kr, PL_B(POW_C1), yh); /* exact */
  PL_VD tc = kr * POW_C2;
  PL_VD tcl = PL_FMA(kr, PL_B(POW_C2), -tc);
  PL_VD sh = r1 - tc, t4 = sh - r1;
  PL_VD sl0 = ((r1 - (sh - t4)) + (-tc - t4)) - tcl + yl;
  /* s = sh + sl, |sl| <= ulp(sh) / 2 (two-sum) */
  PL_VD sh0 = sh;
  sh = sh0 + sl0;
  PL_VD t6 = sh - sh0;
  PL_VD sl = (sh0 - (sh - t6)) + (sl0 - t6);
  PL_VI j = ki & 15;
  PL_VD eh = PL_LOOK16(pow_eh, j);
  PL_VD el = PL_LOOK16(pow_el, j);
  /* exp(s) - 1 = s + s^2/2 + s^3 (1/3! + s/4! + ... + s^6/9!) */
  PL_VD sq = sh * sh;
  PL_VD sql = PL_FMA(sh, sh, -sq);
  PL_VD hs = 0.5 * sq;
  PL_VD uh = sh + hs;            /* fast two-sum: |sh| >= s^2/2 */
  PL_VD ue = hs - (uh - sh);
  PL_VD ps = PL_FMA(sh, PL_B(1.0 / 362880.0), PL_B(1.0 / 40320.0));
  ps = PL_FMA(ps, sh, PL_B(1.0 / 5040.0));
  ps = PL_FMA(ps, sh, PL_B(1.0 / 720.0));
  ps = PL_FMA(ps, sh, PL_B(1.0 / 120.0));
  ps = PL_FMA(ps, sh, PL_B(1.0 / 24.0));
  ps = PL_FMA(ps, sh, PL_B(1.0 / 6.0));
  PL_VD ul = ue + sl + 0.5 * sql + sh * sl + (sq * sh) * ps;
  /* 2^(j/16) (1 + u) */
  PL_VD P = eh * uh;
  PL_VD Pl = PL_FMA(eh, uh, -P);
  PL_VD H = eh + P;              /* fast two-sum: eh >= 1 > |P| */
  PL_VD He = P - (H - eh);
  PL_VD tail = He + Pl + eh * ul + el + el * uh;
  PL_VD h = H + tail;            /* fast two-sum: h = RN(H + tail) */
  PL_VD l = tail - (h - H);      /* H + tail = h + l exactly */
  /* keep h unless |l| >= (1/2 - POW_MARGIN) ulp(h) or h is a power of 2 */
  PL_VU hb = (PL_VU)h;
  PL_VD two_e = (PL_VD)(hb & 0x7ff0000000000000ull);
  PL_VD al2 = (PL_VD)((PL_VU)l & 0x7fffffffffffffffull);
  bad |= al2 >= two_e * ((0.5 - POW_MARGIN) * 0x1p-52);
  bad |= (PL_VI)((hb & 0x000fffffffffffffull) == 0);
  /* 2^(kk >> 4): biased by 2^23 so a logical shift serves */
  PL_VU K = (((PL_VU)ki + (1ull << 27)) >> 4) - (1ull << 23) + 1023u;
  PL_VD res = h * (PL_VD)(K << 52);
  memcpy(out, &res, sizeof res);
  return PL_MASK(bad);
}

/* out[k] for k < m (m <= EUM_POW_BATCH), PL_W lanes at a time, the
 * arguments past m padded with 1/2; the k to be called into list.
 * Returns their number. */
PL_ATTR static size_t PL_NAME(size_t m, const double *x, const double *y,
                              double *out, unsigned *list) {
  size_t nbad = 0, k = 0;
  for (; k + PL_W <= m; k += PL_W) {
    unsigned bad = PL_BLOCK(x + k, y + k, out + k);
    for (unsigned l = 0; l < PL_W; l++) { /* no branch on bad lanes */
      list[nbad] = (unsigned)k + l;
      nbad += (bad >> l) & 1u;
    }
  }
  if (k < m) {
    double xb[PL_W], yb[PL_W], ob[PL_W];
    for (size_t l = 0; l < PL_W; l++) {
      xb[l] = k + l < m ? x[k + l] : 0.5;
      yb[l] = k + l < m ? y[k + l] : 0.5;
    }
    unsigned bad = PL_BLOCK(xb, yb, ob);
    for (unsigned l = 0; k + l < m; l++) {
      out[k + l] = ob[l];
      list[nbad] = (unsigned)k + l;
      nbad += (bad >> l) & 1u;
    }
  }
  return nbad;
}
#undef PL_NAME
#undef PL_BLOCK
#undef PL_W
#undef PL_ATTR
#undef PL_VD
#undef PL_VI
#undef PL_VU
#undef PL_FMA
#undef PL_LOOK16
#undef PL_LOOK32
#undef PL_MASK
#undef PL_B
