/*
 * sim_record.c -- the record of a simulated year (part of sim.c: the
 * struct is sim_impl.h): every series of docs/variables.md for year t --
 * the economy, trade and its indicators (the GE vulnerability cuts), the
 * channels' flows, the issues' outcomes and the actors' alignment.
 *
 * Prefixes: ent_sim_ (the parts of sim.c, declared in sim_impl.h).
 */
#include "sim/sim_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/names.h"
#include "sim/run_result.h"
static const char *channel_variable(ent_channel_kind k) {
  switch (k) {
  case ENT_CHANNEL_GAS: return ENT_VNAME(ENT_VAR_GAS_FLOW);
  case ENT_CHANNEL_OIL: return ENT_VNAME(ENT_VAR_OIL_FLOW);
  case ENT_CHANNEL_ARMS: return ENT_VNAME(ENT_VAR_ARMS_TRANSFER);
  default: return ENT_VNAME(ENT_VAR_CHANNEL_FLOW);
  }
}

/* The year's points not yet passed to the run, recorded together
 * (ent_run_record_block) when PEND are waiting and at the end of the
 * year, in order.  A waiting point's entity must stay as it is until
 * then: the sim's names do; a buffer of this file that holds a name is
 * flushed before it is written again (FLUSH).  A value that is not
 * finite fails the year at once, as ent_run_record's -1 did.
 * A run with a sink and its slots that keeps nothing in its series (an
 * ensemble member after the base year, or in it when no channel reads
 * the base year back) takes each point at once (q set): into the next
 * slot when it is the slot's, else to the sink -- ent_run_record_block's
 * test, in the same order, without the waiting arrays.  (A failing value
 * then finds the points before it passed on; the year fails all the
 * same.) */
enum { PEND = 128 };
typedef struct pend {
  ent_run *r;
  ent_run_slots *q; /* direct: the run's slots, else NULL */
  int year;
  size_t n;
  const char *var[PEND], *unit[PEND], *ent[PEND];
  double v[PEND];
} pend;

static int pend_flush(pend *p) {
  size_t n = p->n;
  p->n = 0;
  return n ? ent_run_record_block(p->r, n, p->var, p->unit, p->ent, p->year,
                                  p->v)
           : 0;
}

static inline int pend_add(pend *p, const char *var, const char *unit,
                           const char *ent, double v) {
  if (!isfinite(v)) return -1;
  ent_run_slots *q = p->q;
  if (q) {
    size_t c = q->at;
    if (c < q->n && q->key[c].entity == ent && q->key[c].variable == var &&
        q->key[c].year == p->year) {
      q->vals[c] = v + 0.0; /* -0.0 made +0.0, else the same */
      q->at = c + 1;
    } else {
      p->r->sink(p->r->sink_ctx, var, ent, p->year, v + 0.0);
    }
    return 0;
  }
  size_t k = p->n;
  p->var[k] = var;
  p->unit[k] = unit;
  p->ent[k] = ent;
  p->v[k] = v;
  p->n = k + 1;
  return k + 1 == PEND ? pend_flush(p) : 0;
}

/* Record variable `id` (names.h: its name and unit) of `ent` in year t
 * (pend `pd`). */
#define REC(id, ent, v)                                                  \
  do {                                                                   \
    if (pend_add(pd, ENT_VNAME(id), ENT_VUNIT(id), ent, v))              \
      return ENT_ENOMEM;                                                 \
  } while (0)
#define FLUSH()                                                          \
  do {                                                                   \
    if (pend_flush(pd)) return ENT_ENOMEM;                               \
  } while (0)

/* What record_alignment reads of issue i for every pair (h: the EUM
 * history it was decided by, NULL if none or no round). */
typedef struct align_issue {
  const double *cur, *sal;
  const ent_eum_hist *h;
  size_t nd;
  double range;
} align_issue;

static void align_issue_of(const ent_sim *s, size_t i, align_issue *p) {
  const ent_issue *is = &s->m->issues[i];
  const issue_ws *q = &s->ws[i];
  p->cur = q->cur;
  p->sal = q->item_sal;
  p->nd = is->n_dims;
  p->range = is->hi - is->lo;
  p->h = q->decider == ENT_BARGAIN_EUM ? ent_issue_run_hist(&s->run->issues[i])
                                       : NULL;
  if (p->h && !(p->h->n_rounds > 0)) p->h = NULL;
}

/* Stake k's salience of the year on each dimension of issue i into the
 * issue's item_sal: a spatial issue's dimensions weighted by its salience
 * of the year. */
static void stake_sal(ent_sim *s, size_t i, size_t k) {
  const ent_issue *is = &s->m->issues[i];
  double *out = s->ws[i].item_sal + k * is->n_dims;
  if (is->n_dims == 1) {
    out[0] = s->sal[i][k];
    return;
  }
  for (size_t d = 0; d < is->n_dims; d++)
    out[d] = is->stakes[k].sal_dims[d] *
             (is->stakes[k].salience > 0.0
                  ? s->sal[i][k] / is->stakes[k].salience
                  : 1.0);
}

/* What a pair of actors has of the year: the S score's sums over the
 * issues both hold a position on, and the counts of those issues the
 * expected-utility model decided, in agreement or compromise and in
 * conflict. */
typedef struct align_pair {
  ent_align_sum sum;
  unsigned n_classed, n_coop, n_conf;
} align_pair;

/* Issue i's part of pair p (stakes ka of actor a, kb of b): its items in
 * dimension order, and its class. */
static void align_add(align_pair *p, const align_issue *f, long ka, long kb,
                      const unsigned char *coop_of,
                      const unsigned char *conf_of) {
  size_t nd = f->nd;
  const double *xa = f->cur + (size_t)ka * nd, *xb = f->cur + (size_t)kb * nd;
  const double *sa = f->sal + (size_t)ka * nd, *sb = f->sal + (size_t)kb * nd;
  for (size_t d = 0; d < nd; d++)
    ent_alignment_add(&p->sum, xa[d], xb[d], sa[d], sb[d], f->range);
  if (f->h) {
    ent_eum_region g =
        ent_eum_hist_region(f->h, f->h->n_rounds, (size_t)ka, (size_t)kb);
    p->n_classed++;
    if ((unsigned)g < ENT_REGION_COUNT) {
      p->n_coop += coop_of[g];
      p->n_conf += conf_of[g];
    }
  }
}

/* Up to this many actors record_alignment goes issue by issue, with the
 * pairs' sums side by side; more go pair by pair (the report's pairs). */
enum { ALIGN_ACTORS = 16, ALIGN_PAIRS = ALIGN_ACTORS * (ALIGN_ACTORS - 1) / 2 };

/* Where the pairs (a, b), b > a, of na actors start in the order (0, 1),
 * (0, 2) ... (1, 2) ...: pair (a, b) at pair_at(na, a) + b (unsigned
 * arithmetic: a * na - (a + 1)(a + 2) / 2 wraps for a = 0, b brings it
 * back). */
static size_t pair_at(size_t na, size_t a) {
  return a * na - (a + 1) * (a + 2) / 2;
}

/* Alignment of every unordered pair of actors in year t ("A-B", A before
 * B in the scenario's order; only the report's pairs past 12 actors):
 * the S score over the issues both hold a position on (docs/models/
 * alignment.md), and the shares of those issues, among the ones the
 * expected-utility model decided, in agreement or compromise and in
 * conflict after the last round.  A pair's items are its issues in
 * order, each issue's dimensions in order, whichever way the sums are
 * made. */
static ent_status record_alignment(ent_sim *s, pend *pd) {
  const ent_model *m = s->m;
  size_t na = m->n_actors, ni = m->n_issues;
  char buf[160];
  /* each region's class counts, made once */
  unsigned char coop_of[ENT_REGION_COUNT], conf_of[ENT_REGION_COUNT];
  for (int g = 0; g < ENT_REGION_COUNT; g++) {
    ent_class c = ent_run_region_class((ent_eum_region)g);
    coop_of[g] = c == ENT_CLASS_AGREEMENT || c == ENT_CLASS_COMPROMISE;
    conf_of[g] = c == ENT_CLASS_CONFLICT;
  }
  align_pair pr[ALIGN_PAIRS];
  int by_issue = na <= ALIGN_ACTORS;
  if (by_issue) {
    /* issue by issue: the actors holding a stake (in actor order), their
     * saliences of the year, and every pair of them; pair (a, b) at
     * pair_at(a) + b */
    size_t np = na * (na - 1) / 2;
    memset(pr, 0, np * sizeof *pr);
    for (size_t i = 0; i < ni; i++) {
      size_t who[ALIGN_ACTORS], n = 0;
      long k[ALIGN_ACTORS];
      const long *of = s->stake_of + i * na;
      for (size_t a = 0; a < na; a++)
        if (of[a] >= 0) {
          who[n] = a;
          k[n++] = of[a];
        }
      if (n < 2) continue;
      align_issue f;
      align_issue_of(s, i, &f);
      if (f.nd > 1) {
        for (size_t x = 0; x < n; x++) stake_sal(s, i, (size_t)k[x]);
        for (size_t x = 0; x < n; x++) {
          size_t at = pair_at(na, who[x]);
          for (size_t y = x + 1; y < n; y++)
            align_add(&pr[at + who[y]], &f, k[x], k[y], coop_of, conf_of);
        }
        continue;
      }
      /* one dimension (align_add's work, spelt out): the positions and
       * saliences side by side, the history's row of each stake */
      double xs[ALIGN_ACTORS], ss[ALIGN_ACTORS];
      const double *sal = s->sal[i];
      for (size_t x = 0; x < n; x++) {
        xs[x] = f.cur[k[x]];
        ss[x] = sal[k[x]];
      }
      size_t hn = f.h ? f.h->n : 0;
      const uint8_t *last =
          f.h ? f.h->region + (size_t)(f.h->n_rounds - 1) * hn * hn : NULL;
      for (size_t x = 0; x + 1 < n; x++) {
        size_t at = pair_at(na, who[x]);
        const uint8_t *g_of = last ? last + (size_t)k[x] * hn : NULL;
        for (size_t y = x + 1; y < n; y++) {
          align_pair *p = &pr[at + who[y]];
          ent_alignment_add(&p->sum, xs[x], xs[y], ss[x], ss[y], f.range);
          if (g_of) {
            unsigned g = g_of[k[y]];
            p->n_classed++;
            if (g < ENT_REGION_COUNT) {
              p->n_coop += coop_of[g];
              p->n_conf += conf_of[g];
            }
          }
        }
      }
    }
  } else {
    for (size_t i = 0; i < ni; i++)
      for (size_t q = 0; q < m->issues[i].n_stakes; q++) stake_sal(s, i, q);
  }
  for (size_t a = 0; a < na; a++)
    for (size_t b = a + 1; b < na; b++) {
      if (na > 12) {
        int listed = 0;
        for (size_t p = 0; p < m->n_pairs; p++)
          if ((m->pairs[p][0] == a && m->pairs[p][1] == b) ||
              (m->pairs[p][0] == b && m->pairs[p][1] == a))
            listed = 1;
        if (!listed) continue;
      }
      align_pair one;
      const align_pair *p = &one;
      if (by_issue) {
        p = &pr[pair_at(na, a) + b];
      } else { /* pair by pair */
        memset(&one, 0, sizeof one);
        for (size_t i = 0; i < ni; i++) {
          long ka = s->stake_of[i * na + a], kb = s->stake_of[i * na + b];
          if (ka < 0 || kb < 0) continue;
          align_issue f;
          align_issue_of(s, i, &f);
          align_add(&one, &f, ka, kb, coop_of, conf_of);
        }
      }
      double sc;
      const char *ent = s->nm.actor_dash ? s->nm.actor_dash[a * na + b] : buf;
      if (!s->nm.actor_dash) {
        FLUSH();
        snprintf(buf, sizeof buf, "%s-%s", m->actors[a].id, m->actors[b].id);
      }
      if (ent_alignment_end(&p->sum, &sc) == 0)
        REC(ENT_VAR_ALIGNMENT, ent, sc);
      if (p->n_classed) {
        REC(ENT_VAR_COOPERATION_SHARE, ent,
            (double)p->n_coop / (double)p->n_classed);
        REC(ENT_VAR_CONFLICT_SHARE, ent,
            (double)p->n_conf / (double)p->n_classed);
      }
    }
  return ENT_OK;
}

/* Record every series of year t (docs/variables.md).
 * Long: one block per family of series (blocs, pairs, channels, issues,
 * indicators) in the order of docs/variables.md, sharing the year's
 * state. */
ent_status ent_sim_record_year(ent_sim *s, int t, int base_year) {
  const ent_model *m = s->m;
  const ent_structure *st = m->st;
  size_t nb = s->nb;
  char ent[72];
  pend pdv, *pd = &pdv; /* not cleared: n says what is set */
  pdv.r = s->run;
  pdv.q = s->run->sink && !s->run->keep ? s->run->slots : NULL;
  pdv.year = t;
  pdv.n = 0;
  /* bloc series */
  double cinc_x[2 * 300], cinc[300]; /* nb <= 300; not cleared whole */
  cinc_x[0] = cinc_x[1] = 0.0; /* written below; GCC cannot tell nb > 0 */
  for (size_t i = 0; i < nb; i++) {
    cinc_x[2 * i] = s->milex[i];
    cinc_x[2 * i + 1] = s->gdp[i];
  }
  int have_cinc = ent_indicators_cinc(nb, 2, cinc_x, cinc, NULL) == ENT_OK;
  for (size_t i = 0; i < nb; i++) {
    const char *id = s->nm.bloc_name[i];
    REC(ENT_VAR_GDP, id, s->gdp[i]);
    REC(ENT_VAR_MILEX, id, s->milex[i]);
    if (have_cinc) REC(ENT_VAR_CAPABILITY_INDEX, id, cinc[i]);
    REC(ENT_VAR_WELFARE_CHANGE, id, base_year ? 0.0 : 100.0 * (s->welfare[i] - 1.0));
    double ex = 0.0, im = 0.0, hhi = 0.0;
    for (size_t j = 0; j < nb; j++)
      if (j != i) {
        ex += s->X[i * nb + j];
        im += s->X[j * nb + i];
      }
    for (size_t j = 0; j < nb && im > 0.0; j++)
      if (j != i) hhi += (s->X[j * nb + i] / im) * (s->X[j * nb + i] / im);
    REC(ENT_VAR_EXPORTS, id, ex);
    REC(ENT_VAR_IMPORTS, id, im);
    if (im > 0.0) REC(ENT_VAR_HHI_IMPORTS, id, hhi);
    REC(ENT_VAR_SANCTIONS_PRESSURE, id, s->pressure[i]);
  }
  /* bilateral trade of each unordered pair, "A-B" in bloc order */
  for (size_t a = 0; a < nb; a++)
    for (size_t b = a + 1; b < nb; b++) {
      if (nb > 20 && (st->blocs[a].actor < 0 || st->blocs[b].actor < 0)) continue;
      const char *name = s->nm.dash ? s->nm.dash[a * nb + b] : ent;
      if (!s->nm.dash) {
        FLUSH();
        snprintf(ent, sizeof ent, "%s-%s", st->blocs[a].id, st->blocs[b].id);
      }
      REC(ENT_VAR_BILATERAL_TRADE, name, s->X[a * nb + b] + s->X[b * nb + a]);
    }
  /* pair series: all pairs for small systems, else pairs of actors; the
   * dyad indicators from the blocs' totals, made once */
  for (size_t i = 0; i < nb; i++) ent_indicators_totals_of(nb, s->X, i, &s->tot[i]);
  int theta_ok = s->topts.theta > 0.0 && isfinite(s->topts.theta);
  /* the GE vulnerabilities' shared baseline (a rejected X: every solve
   * below reports the same error as before) */
  if (s->iw && !s->reference)
    (void)ent_indicators_vulnerability_prepare(nb, s->X, s->iw);
  /* small systems with warm starts: the vulnerability solves of the pairs
   * a < b that the loop below makes, made together first (side by side,
   * the same bits), and those pairs' dyad indicators with them */
  enum { VB = ENT_TRADE_LANES_NMAX * ENT_TRADE_LANES_NMAX };
  ent_indicators_dyad vdy[VB];
  ent_status vdy_st[VB], vst[VB];
  double vva[VB], vvb[VB];
  unsigned char vwork[VB], key[VB], work[VB]; /* work: of the cut solves */
  int batch = s->iw && !s->reference && s->vul_have && theta_ok &&
              nb <= ENT_TRADE_LANES_NMAX;
  if (batch) {
    size_t ci[VB], cj[VB], cnt = 0;
    double *wp[VB];
    int warm[VB];
    for (size_t a = 0; a < nb; a++)
      for (size_t b = a + 1; b < nb; b++) {
        if (nb > 20 && (st->blocs[a].actor < 0 || st->blocs[b].actor < 0))
          continue;
        vdy_st[a * nb + b] = ent_indicators_dyad_core(
            nb, s->X, s->gdp, a, b, s->topts.theta, &s->tot[a], &s->tot[b],
            &vdy[a * nb + b]);
        if (vdy_st[a * nb + b] != ENT_OK) continue;
        ci[cnt] = a;
        cj[cnt] = b;
        warm[cnt] = s->vul_have[a * nb + b] != 0; /* 1 + last year's work */
        key[cnt] = warm[cnt] ? s->vul_have[a * nb + b] : 255; /* cold: most */
        wp[cnt] = s->vul_w + (a * nb + b) * 2 * nb;
        cnt++;
      }
    ent_status rc = ent_indicators_vulnerability_ge_cuts(
        nb, s->X, cnt, ci, cj, ENT_IND_CUT_BOTH, &s->vopts, s->iw, wp, warm,
        vva, vvb, vst, key, work);
    if (rc != ENT_OK) return rc;
    for (size_t k = cnt; k-- > 0;) { /* to the pairs' places, k <= a*nb+b */
      size_t at = ci[k] * nb + cj[k];
      vst[at] = vst[k];
      vva[at] = vva[k];
      vvb[at] = vvb[k];
      vwork[at] = work[k] < 255 ? (unsigned char)(work[k] + 1) : 255;
    }
  }
  for (size_t a = 0; a < nb; a++)
    for (size_t b = 0; b < nb; b++) {
      if (a == b) continue;
      if (nb > 20 && (st->blocs[a].actor < 0 || st->blocs[b].actor < 0)) continue;
      const char *name = s->nm.arrow ? s->nm.arrow[a * nb + b] : ent;
      if (!s->nm.arrow) {
        FLUSH();
        ent_sim_name_pair(ent, sizeof ent, st, a, b);
      }
      REC(ENT_VAR_TRADE_FLOW, name, s->X[a * nb + b]);
      ent_indicators_dyad own;
      const ent_indicators_dyad *dy = &own; /* the batch's, not copied */
      if (batch && a < b) {
        if (vdy_st[a * nb + b] != ENT_OK) continue;
        dy = &vdy[a * nb + b];
      } else if (!theta_ok ||
                 ent_indicators_dyad_core(nb, s->X, s->gdp, a, b,
                                          s->topts.theta, &s->tot[a],
                                          &s->tot[b], &own) != ENT_OK) {
        continue;
      }
      REC(ENT_VAR_DEPENDENCE, name, dy->trade_dependence_ab);
      REC(ENT_VAR_DEPENDENCE_ASYMMETRY, name, dy->dependence_asymmetry);
      REC(ENT_VAR_PARTNER_SHARE, name, dy->trade_share_ab);
      REC(ENT_VAR_IMPORT_SHARE, name, dy->import_share_b_in_a_imports);
      REC(ENT_VAR_EXPORT_SHARE, name, dy->export_share_b_in_a_exports);
      REC(ENT_VAR_SENSITIVITY, name, dy->sensitivity_import_ab);
      REC(ENT_VAR_VULNERABILITY_PE, name, dy->vulnerability_pe_ab);
      if (a < b && s->iw) {
        double va, vb;
        /* Newton and chord steps from the same cut's equilibrium of last
         * year (cold in the first year), or the previous cold fixed
         * point */
        int warm = s->vul_have && s->vul_have[a * nb + b];
        double *wp = !s->vul_w     ? NULL
                     : s->vul_have ? s->vul_w + (a * nb + b) * 2 * nb
                                   : s->vul_w;
        ent_status vs;
        if (batch) {
          vs = vst[a * nb + b];
          va = vva[a * nb + b];
          vb = vvb[a * nb + b];
        } else {
          vs = s->reference
                   ? ent_indicators_vulnerability_ge(nb, s->X, a, b,
                                                     ENT_IND_CUT_BOTH,
                                                     &s->topts, s->iw, &va,
                                                     &vb)
                   : ent_indicators_vulnerability_ge_cut(
                         nb, s->X, a, b, ENT_IND_CUT_BOTH, &s->vopts, s->iw,
                         wp, warm, &va, &vb);
        }
        if (vs == ENT_OK && s->vul_have)
          s->vul_have[a * nb + b] = batch ? vwork[a * nb + b] : 1;
        if (vs == ENT_OK) {
          char buf[72];
          const char *rev = s->nm.arrow ? s->nm.arrow[b * nb + a] : buf;
          if (!s->nm.arrow) {
            FLUSH();
            ent_sim_name_pair(buf, sizeof buf, st, b, a);
          }
          REC(ENT_VAR_VULNERABILITY_GE, name, va);
          REC(ENT_VAR_VULNERABILITY_GE, rev, vb);
          REC(ENT_VAR_VULNERABILITY_ASYMMETRY, name, va - vb);
          REC(ENT_VAR_VULNERABILITY_ASYMMETRY, rev, vb - va);
        }
      }
    }
  /* channels: per channel, and totals per kind and route (flows made
   * once; a flow scaled by an indicator reads the base year's value of it
   * back from the run: the points so far recorded first) */
  FLUSH();
  double flow[64];
  size_t n_kept = st->n_channels < 64 ? st->n_channels : 64;
  for (size_t c = 0; c < n_kept; c++) flow[c] = ent_sim_channel_flow(s, c, t);
  for (size_t c = 0; c < st->n_channels; c++) {
    const ent_channel *ch = &st->channels[c];
    double f = c < n_kept ? flow[c] : ent_sim_channel_flow(s, c, t);
    if (pend_add(pd, channel_variable(ch->kind), ch->unit, s->nm.chan_name[c],
                 f))
      return ENT_ENOMEM;
    int first = 1;
    for (size_t q = 0; q < c; q++)
      if (st->channels[q].kind == ch->kind && st->channels[q].from == ch->from &&
          st->channels[q].to == ch->to && !strcmp(st->channels[q].unit, ch->unit))
        first = 0;
    if (!first) continue;
    double tot = 0.0;
    for (size_t q = c; q < st->n_channels; q++)
      if (st->channels[q].kind == ch->kind && st->channels[q].from == ch->from &&
          st->channels[q].to == ch->to && !strcmp(st->channels[q].unit, ch->unit))
        tot += q < n_kept ? flow[q] : ent_sim_channel_flow(s, q, t);
    const char *name = s->nm.arrow && ch->from != ch->to
                           ? s->nm.arrow[ch->from * nb + ch->to]
                           : ent;
    if (name == ent) {
      FLUSH();
      ent_sim_name_pair(ent, sizeof ent, st, ch->from, ch->to);
    }
    if (pend_add(pd, channel_variable(ch->kind), ch->unit, name, tot))
      return ENT_ENOMEM;
  }
  ent_status rc = record_alignment(s, pd);
  if (rc != ENT_OK) return rc;
  /* issue forecasts: the deciding model's outcome */
  for (size_t i = 0; i < m->n_issues; i++) {
    const ent_issue_run *ir = &s->run->issues[i];
    int dec = s->ws[i].decider;
    const ent_bargainer *b = ent_bargain_get((ent_bargain_id)dec);
    double fc, mean;
    const char *id = s->nm.issue_name[i];
    REC(ENT_VAR_ISSUE_FORECAST, id, ir->forecast);
    REC(ENT_VAR_BASELINE_MEDIAN, id, ir->initial_median);
    REC(ENT_VAR_BASELINE_MEAN, id, ir->initial_mean);
    if (b->outcome(ir->part[dec], 0, &fc, &mean) == 0)
      REC(ENT_VAR_ISSUE_MEAN, id, mean);
    /* further dimensions of a spatial issue: "issue/dimension" */
    for (size_t q = 1; q < m->issues[i].n_dims; q++) {
      if (b->outcome(ir->part[dec], q, &fc, &mean)) break;
      FLUSH();
      snprintf(ent, sizeof ent, "%s/%s", m->issues[i].id, m->issues[i].dims[q]);
      REC(ENT_VAR_ISSUE_FORECAST, ent, fc);
      REC(ENT_VAR_ISSUE_MEAN, ent, mean);
    }
  }
  FLUSH();
  return ENT_OK;
}
