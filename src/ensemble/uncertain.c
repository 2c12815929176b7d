/*
 * uncertain.c -- drawing uncertain numbers and applying them to a value
 * copy of a model (see uncertain.h; docs/scenario.md, "Uncertain numbers";
 * docs/ensemble.md for the streams).
 *
 * Prefixes: ent_uncertain_ (applying draws), ent_dist_ (the distributions),
 * ent_seed_ (the members' random streams).
 *
 * Inverse CDFs: normal truncated to [lo, hi]: a + b Phi^-1(plo + u (phi -
 * plo)); uniform: lo + u (hi - lo); triangular: the closed form; pert:
 * lo + (hi - lo) B^-1(u; alpha, beta) with alpha = 1 + 4 (mode - lo) /
 * (hi - lo), beta = 1 + 4 (hi - mode) / (hi - lo); choice: the first value
 * whose cumulative probability exceeds u.  GSL provides Phi^-1 and B^-1.
 */
#include "ensemble/uncertain.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

const char *ent_dist_name(ent_dist_kind k) {
  switch (k) {
  case ENT_DIST_NORMAL: return "normal";
  case ENT_DIST_UNIFORM: return "uniform";
  case ENT_DIST_TRIANGULAR: return "triangular";
  case ENT_DIST_PERT: return "pert";
  case ENT_DIST_CHOICE: return "choice";
  }
  return "?";
}

static double clampd(double v, double lo, double hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

double ent_dist_quantile(const ent_dist *d, double u) {
  double x;
  switch (d->kind) {
  case ENT_DIST_NORMAL: {
    double p = d->plo + u * (d->phi - d->plo);
    /* the upper half through the complement keeps precision in its tail */
    double z = p <= 0.5 ? gsl_cdf_ugaussian_Pinv(p)
                        : -gsl_cdf_ugaussian_Pinv((1.0 - d->phi) +
                                                  (1.0 - u) * (d->phi - d->plo));
    x = d->a + d->b * z;
    break;
  }
  case ENT_DIST_UNIFORM:
    x = d->lo + u * (d->hi - d->lo);
    break;
  case ENT_DIST_TRIANGULAR: {
    double w = d->hi - d->lo, fc = (d->a - d->lo) / w;
    x = u < fc ? d->lo + sqrt(u * w * (d->a - d->lo))
               : d->hi - sqrt((1.0 - u) * w * (d->hi - d->a));
    break;
  }
  case ENT_DIST_PERT:
    x = d->lo + (d->hi - d->lo) * gsl_cdf_beta_Pinv(u, d->alpha, d->beta);
    break;
  case ENT_DIST_CHOICE: {
    size_t k = 0;
    while (k + 1 < d->n && !(u < d->cum[k])) k++;
    x = d->values[k];
    break;
  }
  default:
    x = d->lo;
  }
  if (!isfinite(x)) x = u < 0.5 ? d->lo : d->hi;
  return clampd(x, d->lo, d->hi);
}

void ent_dist_describe(const ent_dist *d, char *buf, size_t size) {
  switch (d->kind) {
  case ENT_DIST_NORMAL:
    snprintf(buf, size, "normal(mean %g, sd %g, [%g, %g])", d->a, d->b, d->lo,
             d->hi);
    break;
  case ENT_DIST_UNIFORM:
    snprintf(buf, size, "uniform(%g, %g)", d->lo, d->hi);
    break;
  case ENT_DIST_TRIANGULAR:
  case ENT_DIST_PERT:
    snprintf(buf, size, "%s(%g, %g, %g)", ent_dist_name(d->kind), d->lo, d->a,
             d->hi);
    break;
  case ENT_DIST_CHOICE: {
    size_t at = (size_t)snprintf(buf, size, "choice(");
    for (size_t k = 0; k < d->n && at < size; k++) {
      double p = d->cum[k] - (k ? d->cum[k - 1] : 0.0);
      at += (size_t)snprintf(buf + at, size - at, "%s%g: %.3g", k ? ", " : "",
                             d->values[k], p);
    }
    if (at < size) snprintf(buf + at, size - at, ")");
    break;
  }
  }
}

static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* murmur3's finaliser: a bijection of 32-bit words. */
static uint32_t mix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

uint64_t ent_seed_derive(uint64_t seed, uint64_t index) {
  uint64_t base = mix64(seed + 0x9E3779B97F4A7C15ull);
  uint32_t lo = mix32((uint32_t)base + (uint32_t)index);
  uint64_t hi = mix64(base ^ (index + 1) * 0x9E3779B97F4A7C15ull) >> 32;
  return hi << 32 | lo;
}

void ent_uncertain_apply(ent_model *c, const double *x) {
  ent_structure *st = c->st;
  const ent_model *o = c->origin ? c->origin : c;
  if (st && o->st)
    for (size_t k = 0; k < st->n_channels; k++)
      st->channels[k].base = o->st->channels[k].base;
  for (size_t u = 0; u < c->n_uparams; u++) {
    const ent_utarget *t = &c->uparams[u].tgt;
    double v = x[u];
    switch (t->kind) {
    case ENT_UT_ACTOR_CAPABILITY:
      c->actors[t->i].capability = v;
      for (size_t i = 0; i < c->n_issues; i++)
        for (size_t k = 0; k < c->issues[i].n_stakes; k++) {
          ent_stake *sk = &c->issues[i].stakes[k];
          if (sk->actor == t->i && sk->cap_from_actor) sk->capability = v;
        }
      break;
    case ENT_UT_STAKE_POSITION: {
      ent_stake *sk = &c->issues[t->i].stakes[t->j];
      sk->position = v;
      if (!sk->has_ideal) sk->ideal = v; /* the ideal follows the position */
      break;
    }
    case ENT_UT_STAKE_IDEAL:
      c->issues[t->i].stakes[t->j].ideal = v;
      break;
    case ENT_UT_STAKE_SALIENCE:
      c->issues[t->i].stakes[t->j].salience = v / 100.0;
      break;
    case ENT_UT_STAKE_CAPABILITY:
      c->issues[t->i].stakes[t->j].capability = v;
      break;
    case ENT_UT_BLOC_GDP:
      st->blocs[t->i].gdp = v;
      break;
    case ENT_UT_BLOC_MILEX:
      st->blocs[t->i].milex = v;
      break;
    case ENT_UT_BLOC_GROWTH:
    case ENT_UT_BLOC_MILEX_GROWTH:
      for (size_t k = t->k0; k < t->k1; k++) {
        if (t->kind == ENT_UT_BLOC_GROWTH) st->blocs[t->i].growth[k] = v;
        if (t->kind == ENT_UT_BLOC_MILEX_GROWTH || t->also_milex)
          st->blocs[t->i].milex_growth[k] = v;
      }
      break;
    case ENT_UT_TRADE_FLOW:
      st->flows[t->i * st->n_blocs + t->j] = v;
      break;
    case ENT_UT_SHOCK_BETA:
      st->shocks[t->i].beta = v;
      break;
    case ENT_UT_CHANNEL_CAPACITY:
      st->channels[t->i].capacity = v;
      break;
    case ENT_UT_CHANNEL_BASE:
      st->channels[t->i].base = v;
      break;
    case ENT_UT_CHANNEL_RAMP:
      st->channels[t->i].ramp = v;
      break;
    case ENT_UT_LINK_ELASTICITY:
      st->links[t->i].elasticity = v;
      break;
    case ENT_UT_LINK_BETA_AT_MAX:
      st->links[t->i].beta_at_max = v;
      break;
    case ENT_UT_LINK_ABOVE:
      st->links[t->i].above = v;
      break;
    case ENT_UT_ECONOMY_THETA:
      st->theta = v;
      break;
    case ENT_UT_ECONOMY_ADJUSTMENT:
      st->adjustment = v;
      break;
    case ENT_UT_LINK_SLOPE:
      st->links[t->i].slope = v;
      break;
    case ENT_UT_LINK_RATE:
      st->links[t->i].rate = v;
      break;
    case ENT_UT_LINK_REF:
      st->links[t->i].ref = v;
      break;
    case ENT_UT_DYN_INERTIA:
      c->dyn.inertia = v;
      break;
    }
  }
  if (st)
    for (size_t k = 0; k < st->n_channels; k++)
      if (st->channels[k].base > st->channels[k].capacity)
        st->channels[k].base = st->channels[k].capacity;
}
