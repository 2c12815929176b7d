/*
 * eum_opts.c -- the expected-utility model's options (docs/models/eum.md
 * section 7): defaults, profiles, parsing one "key=value" into a setting,
 * applying and describing settings; and the names of regions and moves.
 * The model itself is eum.c.
 */
#include "strategic/eum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ------------------------------------------------------------ options */

void ent_eum_opts_default(ent_eum_opts *o) {
  memset(o, 0, sizeof *o);
  o->rounds = 10;
  o->capitulation = 1;
  o->Q = 1.0;
  o->range = ENT_EUM_RANGE_INITIAL;
  o->stop = ENT_EUM_STOP_FIXED;
  o->stop_eps = 0.0;
  o->stop_k = 1;
  o->cycle = ENT_EUM_CYCLE_FLAG;
  o->window = 4;
}

int ent_eum_opts_profile(ent_eum_opts *o, const char *name) {
  int rounds = o->rounds;
  if (strcmp(name, "scholz2011") == 0) {
    ent_eum_opts_default(o);
  } else if (strcmp(name, "mckibben-sanders") == 0) {
    /* the McKibben-Sanders program: capitulation never fires */
    ent_eum_opts_default(o);
    o->capitulation = 0;
  } else if (strcmp(name, "paper") == 0) {
    /* the printed equations read literally (eum.md section 7) */
    ent_eum_opts_default(o);
    o->prob_pair = 1;
    o->votes_linear = 1;
    o->b_own = 1;
    o->least_move = 1;
  } else {
    return -1;
  }
  o->rounds = rounds;
  return 0;
}

static int parse_num(const char *v, double *out) {
  const char *why;
  return ent_parse_double(v, strlen(v), out, &why);
}

static int parse_onoff(const char *v, int *out) {
  if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes") ||
      !strcmp(v, "1"))
    *out = 1;
  else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no") ||
           !strcmp(v, "0"))
    *out = 0;
  else
    return -1;
  return 0;
}

#define WHY(...) (snprintf(why, size, __VA_ARGS__), -1)

static const char *const profile_names[] = {"scholz2011", "mckibben-sanders",
                                            "paper"};

/* Each option is parsed into a setting (which option, typed value) and
 * applied from it, so callers that keep options (run options) parse once
 * and apply typed values; ent_eum_opts_set does both. */
int ent_eum_setting_parse(const char *key, const char *v, ent_eum_setting *st,
                          char *why, size_t size) {
  double x;
  unsigned long u;
  const char *reason;
  ent_eum_setting s = {ENT_EUM_KEY_PROFILE, 0, 0.0, 0};
  if (!strcmp(key, "profile")) {
    s.key = ENT_EUM_KEY_PROFILE;
    s.i = -1;
    for (int k = 0; k < 3; k++)
      if (!strcmp(v, profile_names[k])) s.i = k;
    if (s.i < 0)
      return WHY("unknown profile '%s' (scholz2011, mckibben-sanders, paper)",
                 v);
  } else if (!strcmp(key, "rounds")) {
    s.key = ENT_EUM_KEY_ROUNDS;
    if (ent_parse_uint(v, strlen(v), 100000, &u, &reason))
      return WHY("rounds '%s': %s (0 to 100000)", v, reason);
    s.i = (int)u;
  } else if (!strcmp(key, "prob")) {
    s.key = ENT_EUM_KEY_PROB;
    if (!strcmp(v, "global")) s.i = 0;
    else if (!strcmp(v, "pair")) s.i = 1;
    else return WHY("prob must be 'global' or 'pair', not '%s'", v);
  } else if (!strcmp(key, "votes")) {
    s.key = ENT_EUM_KEY_VOTES;
    if (!strcmp(v, "curved") || !strcmp(v, "risk")) s.i = 0;
    else if (!strcmp(v, "linear")) s.i = 1;
    else return WHY("votes must be 'curved' or 'linear', not '%s'", v);
  } else if (!strcmp(key, "b_exponent")) {
    s.key = ENT_EUM_KEY_B_EXPONENT;
    if (!strcmp(v, "receiver")) s.i = 0;
    else if (!strcmp(v, "own")) s.i = 1;
    else return WHY("b_exponent must be 'receiver' or 'own', not '%s'", v);
  } else if (!strcmp(key, "compromise_select")) {
    s.key = ENT_EUM_KEY_COMPROMISE_SELECT;
    if (!strcmp(v, "scholz2011")) s.i = 0;
    else if (!strcmp(v, "least_move")) s.i = 1;
    else
      return WHY("compromise_select must be 'scholz2011' or 'least_move', "
                 "not '%s'", v);
  } else if (!strcmp(key, "capitulation")) {
    s.key = ENT_EUM_KEY_CAPITULATION;
    if (parse_onoff(v, &s.i))
      return WHY("capitulation must be 'on' or 'off', not '%s'", v);
  } else if (!strcmp(key, "Q") || !strcmp(key, "q")) {
    s.key = ENT_EUM_KEY_Q;
    if (parse_num(v, &x) || x < 0.0 || x > 1.0)
      return WHY("Q must be a number in [0, 1], not '%s'", v);
    s.x = x;
  } else if (!strcmp(key, "mu")) {
    s.key = ENT_EUM_KEY_MU;
    if (!strcmp(v, "median")) s.i = 0;
    else if (!strcmp(v, "mean")) s.i = 1;
    else return WHY("mu must be 'median' or 'mean', not '%s'", v);
  } else if (!strcmp(key, "range")) {
    s.key = ENT_EUM_KEY_RANGE;
    if (!strcmp(v, "initial")) s.i = ENT_EUM_RANGE_INITIAL;
    else if (!strcmp(v, "current")) s.i = ENT_EUM_RANGE_CURRENT;
    else if (!strncmp(v, "fixed:", 6)) {
      if (parse_num(v + 6, &x) || !(x > 0.0))
        return WHY("range=fixed:<value> needs a positive number, not '%s'",
                   v + 6);
      s.i = ENT_EUM_RANGE_FIXED;
      s.x = x;
    } else
      return WHY("range must be 'initial', 'current' or 'fixed:<value>', "
                 "not '%s'", v);
  } else if (!strcmp(key, "risk_norm")) {
    s.key = ENT_EUM_KEY_RISK_NORM;
    if (!strcmp(v, "actors")) s.i = 0;
    else if (!strcmp(v, "own_positions")) s.i = 1;
    else
      return WHY("risk_norm must be 'actors' or 'own_positions', not '%s'", v);
  } else if (!strcmp(key, "stop")) {
    s.key = ENT_EUM_KEY_STOP;
    if (!strcmp(v, "fixed")) s.i = ENT_EUM_STOP_FIXED;
    else if (!strcmp(v, "no_move")) s.i = ENT_EUM_STOP_NO_MOVE;
    else if (!strncmp(v, "median_stable:", 14)) {
      const char *p = v + 14, *comma = strchr(p, ',');
      if (!comma ||
          ent_parse_double(p, (size_t)(comma - p), &x, &reason) || x < 0 ||
          ent_parse_uint(comma + 1, strlen(comma + 1), 100000, &u, &reason) ||
          u < 1)
        return WHY("stop=median_stable:<eps>,<k> needs eps >= 0 and k >= 1, "
                   "not '%s'", p);
      s.i = ENT_EUM_STOP_MEDIAN_STABLE;
      s.x = x;
      s.k = (int)u;
    } else
      return WHY("stop must be 'fixed', 'no_move' or 'median_stable:<eps>,<k>'"
                 ", not '%s'", v);
  } else if (!strcmp(key, "cycle")) {
    s.key = ENT_EUM_KEY_CYCLE;
    if (!strcmp(v, "off")) s.i = ENT_EUM_CYCLE_OFF;
    else if (!strcmp(v, "flag") || !strcmp(v, "on")) s.i = ENT_EUM_CYCLE_FLAG;
    else if (!strcmp(v, "stop")) s.i = ENT_EUM_CYCLE_STOP;
    else return WHY("cycle must be 'off', 'flag' or 'stop', not '%s'", v);
  } else if (!strcmp(key, "window")) {
    s.key = ENT_EUM_KEY_WINDOW;
    if (ent_parse_uint(v, strlen(v), 100000, &u, &reason) || u < 1)
      return WHY("window must be a whole number >= 1, not '%s'", v);
    s.i = (int)u;
  } else {
    return WHY("unknown option '%s' (options: %s)", key, ENT_EUM_OPTION_NAMES);
  }
  *st = s;
  return 0;
}

void ent_eum_setting_apply(ent_eum_opts *o, const ent_eum_setting *s) {
  switch (s->key) {
  case ENT_EUM_KEY_PROFILE: ent_eum_opts_profile(o, profile_names[s->i]); break;
  case ENT_EUM_KEY_ROUNDS: o->rounds = s->i; break;
  case ENT_EUM_KEY_PROB: o->prob_pair = s->i; break;
  case ENT_EUM_KEY_VOTES: o->votes_linear = s->i; break;
  case ENT_EUM_KEY_B_EXPONENT: o->b_own = s->i; break;
  case ENT_EUM_KEY_COMPROMISE_SELECT: o->least_move = s->i; break;
  case ENT_EUM_KEY_CAPITULATION: o->capitulation = s->i; break;
  case ENT_EUM_KEY_Q: o->Q = s->x; break;
  case ENT_EUM_KEY_MU: o->mu_mean = s->i; break;
  case ENT_EUM_KEY_RANGE:
    o->range = (ent_eum_range)s->i;
    if (s->i == ENT_EUM_RANGE_FIXED) o->range_value = s->x;
    break;
  case ENT_EUM_KEY_RISK_NORM: o->risk_own = s->i; break;
  case ENT_EUM_KEY_STOP:
    o->stop = (ent_eum_stop)s->i;
    if (s->i == ENT_EUM_STOP_MEDIAN_STABLE) {
      o->stop_eps = s->x;
      o->stop_k = s->k;
    }
    break;
  case ENT_EUM_KEY_CYCLE: o->cycle = (ent_eum_cycle)s->i; break;
  case ENT_EUM_KEY_WINDOW: o->window = s->i; break;
  }
}

void ent_eum_setting_describe(const ent_eum_setting *s, char *buf,
                              size_t size) {
  static const char *const cycle[] = {"off", "flag", "stop"};
  switch (s->key) {
  case ENT_EUM_KEY_PROFILE:
    snprintf(buf, size, "profile=%s", profile_names[s->i]);
    break;
  case ENT_EUM_KEY_ROUNDS: snprintf(buf, size, "rounds=%d", s->i); break;
  case ENT_EUM_KEY_PROB:
    snprintf(buf, size, "prob=%s", s->i ? "pair" : "global");
    break;
  case ENT_EUM_KEY_VOTES:
    snprintf(buf, size, "votes=%s", s->i ? "linear" : "curved");
    break;
  case ENT_EUM_KEY_B_EXPONENT:
    snprintf(buf, size, "b_exponent=%s", s->i ? "own" : "receiver");
    break;
  case ENT_EUM_KEY_COMPROMISE_SELECT:
    snprintf(buf, size, "compromise_select=%s",
             s->i ? "least_move" : "scholz2011");
    break;
  case ENT_EUM_KEY_CAPITULATION:
    snprintf(buf, size, "capitulation=%s", s->i ? "on" : "off");
    break;
  case ENT_EUM_KEY_Q: snprintf(buf, size, "Q=%.17g", s->x); break;
  case ENT_EUM_KEY_MU:
    snprintf(buf, size, "mu=%s", s->i ? "mean" : "median");
    break;
  case ENT_EUM_KEY_RANGE:
    if (s->i == ENT_EUM_RANGE_FIXED)
      snprintf(buf, size, "range=fixed:%.17g", s->x);
    else
      snprintf(buf, size, "range=%s",
               s->i == ENT_EUM_RANGE_CURRENT ? "current" : "initial");
    break;
  case ENT_EUM_KEY_RISK_NORM:
    snprintf(buf, size, "risk_norm=%s", s->i ? "own_positions" : "actors");
    break;
  case ENT_EUM_KEY_STOP:
    if (s->i == ENT_EUM_STOP_MEDIAN_STABLE)
      snprintf(buf, size, "stop=median_stable:%.17g,%d", s->x, s->k);
    else
      snprintf(buf, size, "stop=%s",
               s->i == ENT_EUM_STOP_NO_MOVE ? "no_move" : "fixed");
    break;
  case ENT_EUM_KEY_CYCLE: snprintf(buf, size, "cycle=%s", cycle[s->i]); break;
  case ENT_EUM_KEY_WINDOW: snprintf(buf, size, "window=%d", s->i); break;
  }
}

int ent_eum_opts_set(ent_eum_opts *o, const char *key, const char *v,
                     char *why, size_t size) {
  ent_eum_setting s;
  if (ent_eum_setting_parse(key, v, &s, why, size)) return -1;
  ent_eum_setting_apply(o, &s);
  return 0;
}

void ent_eum_opts_describe(const ent_eum_opts *o, char *buf, size_t size) {
  char range[64], stop[64];
  if (o->range == ENT_EUM_RANGE_FIXED)
    snprintf(range, sizeof range, "fixed:%.17g", o->range_value);
  else
    snprintf(range, sizeof range, "%s",
             o->range == ENT_EUM_RANGE_CURRENT ? "current" : "initial");
  if (o->stop == ENT_EUM_STOP_MEDIAN_STABLE)
    snprintf(stop, sizeof stop, "median_stable:%.17g,%d", o->stop_eps,
             o->stop_k);
  else
    snprintf(stop, sizeof stop, "%s",
             o->stop == ENT_EUM_STOP_NO_MOVE ? "no_move" : "fixed");
  snprintf(buf, size,
           "rounds=%d prob=%s votes=%s b_exponent=%s compromise_select=%s "
           "capitulation=%s Q=%.17g mu=%s range=%s risk_norm=%s stop=%s "
           "cycle=%s window=%d",
           o->rounds, o->prob_pair ? "pair" : "global",
           o->votes_linear ? "linear" : "curved",
           o->b_own ? "own" : "receiver",
           o->least_move ? "least_move" : "scholz2011",
           o->capitulation ? "on" : "off", o->Q, o->mu_mean ? "mean" : "median",
           range, o->risk_own ? "own_positions" : "actors", stop,
           o->cycle == ENT_EUM_CYCLE_OFF    ? "off"
           : o->cycle == ENT_EUM_CYCLE_STOP ? "stop"
                                            : "flag",
           o->window);
}

/* ------------------------------------------------------------ names */

const char *ent_eum_region_name(ent_eum_region r) {
  static const char *names[ENT_REGION_COUNT] = {
      "none",
      "same_position",
      "confrontation_i_moves",
      "confrontation_j_moves",
      "compromise_i_moves",
      "capitulation_i_moves",
      "compromise_j_moves",
      "capitulation_j_moves",
      "stalemate",
  };
  return (unsigned)r < ENT_REGION_COUNT ? names[r] : "none";
}

const char *ent_eum_move_name(ent_eum_move_type t) {
  switch (t) {
  case ENT_MOVE_CONFLICT:
    return "conflict";
  case ENT_MOVE_COMPROMISE:
    return "compromise";
  default:
    return "capitulation";
  }
}
