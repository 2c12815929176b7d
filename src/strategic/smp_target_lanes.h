/*
 * smp_target_lanes.h -- the body of target_block4 / target_block8
 * (smp_turn.c), written once: a block of TL_W targets j0 .. j0+TL_W-1 of
 * initiator i in one TL_W-lane vector -- the principals' votes (§5.2),
 * the SemiCommit sums of semi_block and the expected change of
 * `consider`, each lane the scalar operations in the scalar order, so the
 * same doubles.  "Add z if positive" is branch-free: 1e-10 + (+0.0) and
 * A + (+0.0) leave the positive sums as they are.  The lane j = i and
 * lanes past N (D, Wp, Sp, ui, un padded with 0) are computed from finite
 * values and never considered.  Fills g and p (TL_W lanes each).
 *
 * Included by smp_turn.c once per width with TL_NAME, TL_ATTR (the
 * function's target attribute), TL_VD / TL_VM (double and mask vectors),
 * TL_IOTA / TL_ZERO (lane numbers 0 .. TL_W-1, zeros: TL_VM constants),
 * TL_B (broadcast), TL_UTIL, TL_VOTE, TL_POS, TL_NEG (smp_impl.h's
 * v4* / v8* helpers) defined; undefines them.  No include guard.
 */
TL_ATTR void TL_NAME(ent_smp_vote rule, const ent_smp_work *w, size_t i,
                     size_t j0, double *g, double *p) {
  size_t N = w->n, ld = w->ld;
  const double *W = w->pb->W, *rh = w->rho + i * N, *D = w->D;
  const double *ui = w->ui, *un = w->un, *g1 = w->g1, *g2 = w->g2;
  long long j = (long long)j0;
  const TL_VM jl = TL_IOTA + j;
  TL_VD dij, Wj, uji, ujj, Sj;
  memcpy(&dij, D + i * ld + j0, sizeof dij);
  memcpy(&Wj, w->Wp + j0, sizeof Wj);
  memcpy(&Sj, w->Sp + j0, sizeof Sj);
  memcpy(&uji, ui + j0, sizeof uji);
  memcpy(&ujj, un + j0, sizeof ujj);
  TL_VD uii = TL_B(un[i]);
  TL_VD uij = TL_UTIL(dij, TL_B(rh[i]));
  TL_VD za = TL_VOTE(rule, TL_B(W[i]), uii, uij);
  TL_VD zb = TL_VOTE(rule, Wj, uji, ujj);
  const TL_VD A0 = (TL_B(1e-10) + TL_POS(za)) + TL_POS(zb);
  const TL_VD B0 = (TL_B(1e-10) - TL_NEG(za)) - TL_NEG(zb);
  TL_VD As = A0, Bs = B0;
  for (size_t n = 0; n < N; n++) {
    if (n == i) continue;
    TL_VD wn = TL_B(W[n]), rn = TL_B(rh[n]);
    TL_VD uin = TL_B(ui[n]), unn = TL_B(un[n]);
    TL_VD g1n = TL_B(g1[n]), g2n = TL_B(g2[n]);
    TL_VM nn = TL_ZERO + (long long)n;
    TL_VD dj;
    memcpy(&dj, D + n * ld + j0, sizeof dj);
    TL_VD uj = TL_UTIL(dj, rn);
    TL_VD z = TL_VOTE(rule, wn, uin, uj);
    TL_VD Ap = A0 + TL_POS(z);
    TL_VD Bp = B0 - TL_NEG(z);
    TL_VD pp = Ap / (Ap + Bp);
    TL_VD q = TL_B(1.0) - pp;
    TL_VD uj2 = uj + uj;
    TL_VD l1 = uj2 + uj;
    TL_VD l2 = uj2 + unn;
    TL_VD ji = (pp * g1n) + (q * l1);
    TL_VD jj = (pp * g2n) + (q * l2);
    TL_VD z2 = TL_VOTE(rule, wn, ji, jj);
    z2 = (TL_VD)((TL_VM)z2 & (jl != nn)); /* the term n = j is skipped */
    As = As + TL_POS(z2);
    Bs = Bs - TL_NEG(z2);
  }
  /* expected_change lane for lane */
  TL_VD pij = As / (As + Bs), pji = Bs / (As + Bs);
  TL_VD usq = uii + uij, uwin = uii + uii, ulose = uij + uij;
  TL_VD ucontest = pij * uwin + pji * ulose;
  TL_VD uchlg = (TL_B(1.0) - Sj) * uwin + Sj * ucontest;
  TL_VD gain = uchlg - usq;
  memcpy(g, &gain, sizeof gain);
  memcpy(p, &pij, sizeof pij);
}

#undef TL_NAME
#undef TL_ATTR
#undef TL_VD
#undef TL_VM
#undef TL_IOTA
#undef TL_ZERO
#undef TL_B
#undef TL_UTIL
#undef TL_VOTE
#undef TL_POS
#undef TL_NEG
