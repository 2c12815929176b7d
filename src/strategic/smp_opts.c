/*
 * smp_opts.c -- the options of KTAB's Spatial Model of Politics (smp.md §2
 * and §13; types in smp_opts.h): KTAB's defaults, parsing from text with
 * KTAB's names and integer codes, deep copies and descriptions.
 *
 * Invariants: a failed set leaves the options as they were (the
 * accommodation list included); every enum field holds a valid KTAB code.
 * The public ent_smp_opts_create/_destroy/_parse are at the end.
 */
#include "strategic/smp.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

void ent_smp_opts_default(ent_smp_opts *o) {
  memset(o, 0, sizeof *o);
  o->vpm = ENT_SMP_VPM_LINEAR;
  o->pce = ENT_SMP_PCE_CONDITIONAL;
  o->trans = ENT_SMP_TRANS_DETERMINISTIC;
  o->vote = ENT_SMP_VOTE_PROP;
  o->radj = ENT_SMP_RADJ_ONETHIRD;
  o->rrange = ENT_SMP_RRANGE_MID;
  o->tpc = ENT_SMP_TPC_SEMI;
  o->ivb = ENT_SMP_IVB_S2P2;
  o->bargn = ENT_SMP_BARGN_INIT_ONLY;
  o->max_turns = 100;
  o->min_turns = 2;
  o->stop_ratio = 0.02;
  o->seed = ENT_SMP_DEFAULT_SEED;
  o->strict = 1;
  o->degenerate_error = 0;
}

void ent_smp_opts_release(ent_smp_opts *o) {
  ent_free(o->acc);
  ent_smp_opts_default(o);
}

int ent_smp_opts_copy(ent_smp_opts *dst, const ent_smp_opts *src) {
  *dst = *src;
  dst->acc = NULL;
  dst->cap_acc = 0;
  if (src->n_acc) {
    dst->acc = ent_mallocarray(src->n_acc, sizeof *dst->acc);
    if (!dst->acc) {
      ent_smp_opts_default(dst);
      return -1;
    }
    memcpy(dst->acc, src->acc, src->n_acc * sizeof *dst->acc);
    dst->cap_acc = src->n_acc;
  }
  return 0;
}

/* Names of each parameter's values, indexed by KTAB's code. */
static const char *const vpm_names[] = {"Linear", "Square", "Quartic",
                                        "Octic", "Binary"};
static const char *const pce_names[] = {"Conditional", "MarkovIncentive",
                                        "MarkovUniform"};
static const char *const trans_names[] = {"Deterministic", "Stochastic"};
static const char *const vote_names[] = {"Binary", "PropBin", "Prop",
                                         "PropCbc", "Cubic", "ASymProsp"};
static const char *const radj_names[] = {"None", "OneThird", "Half",
                                         "TwoThirds", "Full"};
static const char *const rrange_names[] = {"Min", "Mid", "Max"};
static const char *const tpc_names[] = {"NoCommit", "SemiCommit",
                                        "FullCommit"};
static const char *const ivb_names[] = {"S1P1", "S2P2", "S2PMax"};
static const char *const bargn_names[] = {"InitOnlyInterp", "InitRcvrInterp",
                                          "PWCompInterp"};

typedef struct param_desc {
  const char *name;          /* KTAB's spelling */
  const char *const *values; /* by code */
  int n_values;
  size_t offset;             /* of the enum field in ent_smp_opts */
} param_desc;

#define PARAM(name, arr, field) \
  {name, arr, (int)(sizeof arr / sizeof arr[0]), offsetof(ent_smp_opts, field)}
static const param_desc params[] = {
    PARAM("VictoryProbModel", vpm_names, vpm),
    PARAM("PCEModel", pce_names, pce),
    PARAM("StateTransitions", trans_names, trans),
    PARAM("VotingRule", vote_names, vote),
    PARAM("BigRAdjust", radj_names, radj),
    PARAM("BigRRange", rrange_names, rrange),
    PARAM("ThirdPartyCommit", tpc_names, tpc),
    PARAM("InterVecBrgn", ivb_names, ivb),
    PARAM("BargnModel", bargn_names, bargn),
};
#undef PARAM
enum { N_PARAMS = (int)(sizeof params / sizeof params[0]) };

/* Case-insensitive comparison that ignores '_' and '-' in both strings. */
static int key_eq(const char *a, const char *b) {
  for (;;) {
    while (*a == '_' || *a == '-') a++;
    while (*b == '_' || *b == '-') b++;
    char ca = *a, cb = *b;
    if (ca >= 'A' && ca <= 'Z') ca = (char)(ca - 'A' + 'a');
    if (cb >= 'A' && cb <= 'Z') cb = (char)(cb - 'A' + 'a');
    if (ca != cb) return 0;
    if (!ca) return 1;
    a++;
    b++;
  }
}

static int parse_enum(const param_desc *p, const char *v, int *out) {
  for (int c = 0; c < p->n_values; c++)
    if (key_eq(v, p->values[c])) {
      *out = c;
      return 0;
    }
  /* Spellings of KTAB's schema file, which KTAB's reader rejects (§1.4):
   * accepted here as aliases. */
  if (!strcmp(p->name, "VotingRule") && key_eq(v, "Proportional")) {
    *out = ENT_SMP_VOTE_PROP;
    return 0;
  }
  if (!strcmp(p->name, "BigRAdjust") && key_eq(v, "No")) {
    *out = ENT_SMP_RADJ_NONE;
    return 0;
  }
  unsigned long u;
  const char *why;
  if (!ent_parse_uint(v, strlen(v), 100, &u, &why) &&
      u < (unsigned long)p->n_values) {
    *out = (int)u;
    return 0;
  }
  return -1;
}

static int parse_onoff(const char *v, int *out) {
  if (key_eq(v, "on") || key_eq(v, "true") || key_eq(v, "yes") ||
      !strcmp(v, "1"))
    *out = 1;
  else if (key_eq(v, "off") || key_eq(v, "false") || key_eq(v, "no") ||
           !strcmp(v, "0"))
    *out = 0;
  else
    return -1;
  return 0;
}

static int parse_u64(const char *s, uint64_t *out) {
  size_t n = strlen(s);
  while (n && (*s == ' ' || *s == '\t')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  if (!n) return -1;
  uint64_t v = 0;
  if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    if (n > 18) return -1;
    for (size_t i = 2; i < n; i++) {
      char c = s[i];
      unsigned d;
      if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
      else if (c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
      else return -1;
      v = (v << 4) | d;
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      if (s[i] < '0' || s[i] > '9') return -1;
      unsigned d = (unsigned)(s[i] - '0');
      if (v > (UINT64_MAX - d) / 10) return -1;
      v = v * 10 + d;
    }
  }
  *out = v;
  return 0;
}

/* "A[i][j]=v;A[i][j]=v;..." (as in smp-reference/options/variants.csv;
 * the "A" may be omitted: "[0][1]=0.2"; separators ';' or ','). */
static int parse_accommodation(ent_smp_opts *o, const char *v, char *why,
                               size_t size) {
  const char *p = v;
  size_t n0 = o->n_acc;
  while (*p) {
    while (*p == ' ' || *p == ';' || *p == ',') p++;
    if (!*p) break;
    const char *start = p;
    if (*p == 'A' || *p == 'a') p++;
    unsigned long idx[2];
    int ok = 1;
    for (int k = 0; k < 2 && ok; k++) {
      if (*p != '[') {
        ok = 0;
        break;
      }
      p++;
      const char *q = p;
      while (*q >= '0' && *q <= '9') q++;
      const char *r;
      if (q == p || *q != ']' ||
          ent_parse_uint(p, (size_t)(q - p), 1000000, &idx[k], &r))
        ok = 0;
      p = q + 1;
    }
    double x = 0.0;
    if (ok && *p == '=') {
      p++;
      const char *q = p;
      while (*q && *q != ';' && *q != ',') q++;
      const char *r;
      if (ent_parse_double(p, (size_t)(q - p), &x, &r)) ok = 0;
      p = q;
    } else {
      ok = 0;
    }
    if (!ok) {
      o->n_acc = n0;
      snprintf(why, size,
               "accommodation entry '%.40s' is not of the form A[i][j]=value",
               start);
      return -1;
    }
    if (!(x >= 0.0 && x <= 1.0)) {
      o->n_acc = n0;
      snprintf(why, size,
               "accommodation A[%lu][%lu]=%g is outside [0, 1]", idx[0],
               idx[1], x);
      return -1;
    }
    if (o->n_acc == o->cap_acc) {
      size_t cap = o->cap_acc ? 2 * o->cap_acc : 8;
      ent_smp_acc *na = ent_realloc(o->acc, cap * sizeof *na);
      if (!na) {
        o->n_acc = n0;
        snprintf(why, size, "out of memory");
        return -1;
      }
      o->acc = na;
      o->cap_acc = cap;
    }
    o->acc[o->n_acc].i = idx[0];
    o->acc[o->n_acc].j = idx[1];
    o->acc[o->n_acc].v = x;
    o->n_acc++;
  }
  return 0;
}

#define WHY(...) (snprintf(why, size, __VA_ARGS__), -1)

int ent_smp_opts_set(ent_smp_opts *o, const char *key, const char *v,
                     char *why, size_t size) {
  unsigned long u;
  const char *reason;
  double x;
  for (int p = 0; p < N_PARAMS; p++) {
    if (!key_eq(key, params[p].name)) continue;
    int code;
    if (parse_enum(&params[p], v, &code)) {
      char list[160] = "";
      for (int c = 0; c < params[p].n_values; c++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", c ? ", " : "",
                 params[p].values[c]);
      }
      return WHY("%s must be one of %s (or the code 0-%d), not '%s'",
                 params[p].name, list, params[p].n_values - 1, v);
    }
    /* Every enum field is an int-sized enum. */
    int *field = (int *)(void *)((char *)o + params[p].offset);
    *field = code;
    return 0;
  }
  if (key_eq(key, "max_turns") || key_eq(key, "turns")) {
    if (ent_parse_uint(v, strlen(v), 100000, &u, &reason))
      return WHY("max_turns '%s': %s (0 to 100000)", v, reason);
    o->max_turns = (int)u;
  } else if (key_eq(key, "min_turns")) {
    if (ent_parse_uint(v, strlen(v), 100000, &u, &reason) || u < 1)
      return WHY("min_turns must be a whole number from 1 to 100000, not "
                 "'%s'", v);
    o->min_turns = (int)u;
  } else if (key_eq(key, "stop_ratio")) {
    if (ent_parse_double(v, strlen(v), &x, &reason) || x < 0.0)
      return WHY("stop_ratio must be a number >= 0, not '%s'", v);
    o->stop_ratio = x;
  } else if (key_eq(key, "seed")) {
    uint64_t s;
    if (parse_u64(v, &s))
      return WHY("seed must be a whole number from 0 to 2^64-1 (decimal or "
                 "0x hex), not '%s'", v);
    o->seed = s;
  } else if (key_eq(key, "strict")) {
    if (parse_onoff(v, &o->strict))
      return WHY("strict must be 'on' or 'off', not '%s'", v);
  } else if (key_eq(key, "degenerate")) {
    if (key_eq(v, "hold")) o->degenerate_error = 0;
    else if (key_eq(v, "error")) o->degenerate_error = 1;
    else return WHY("degenerate must be 'hold' or 'error', not '%s'", v);
  } else if (key_eq(key, "accommodation") || key_eq(key, "IdealAdjustment")) {
    if (key_eq(v, "identity") || !*v) {
      o->n_acc = 0;
      return 0;
    }
    return parse_accommodation(o, v, why, size);
  } else {
    return WHY("unknown option '%s' (options: %s)", key, ENT_SMP_OPTION_NAMES);
  }
  return 0;
}

void ent_smp_opts_describe(const ent_smp_opts *o, char *buf, size_t size) {
  size_t at = 0;
  buf[0] = '\0';
  for (int p = 0; p < N_PARAMS && at < size; p++) {
    const int *field = (const int *)(const void *)((const char *)o +
                                                   params[p].offset);
    int n = snprintf(buf + at, size - at, "%s%s=%s", p ? " " : "",
                     params[p].name, params[p].values[*field]);
    if (n < 0) return;
    at += (size_t)n;
  }
  if (at >= size) return;
  snprintf(buf + at, size - at,
           " max_turns=%d min_turns=%d stop_ratio=%.17g seed=%llu strict=%s "
           "degenerate=%s accommodation=%s",
           o->max_turns, o->min_turns, o->stop_ratio,
           (unsigned long long)o->seed, o->strict ? "on" : "off",
           o->degenerate_error ? "error" : "hold",
           o->n_acc ? "custom" : "identity");
}

const char *ent_smp_bargn_name(ent_smp_bargn b) {
  return (unsigned)b < sizeof bargn_names / sizeof bargn_names[0]
             ? bargn_names[b]
             : "?";
}

/* ------------------------------------------------------------ checks */

/* Options in their ranges (a programming error otherwise: parsed options
 * always are). */
int ent_smp_opts_valid(const ent_smp_opts *o) {
  return !(o->max_turns < 0 || o->min_turns < 1 || !(o->stop_ratio >= 0.0) ||
           (unsigned)o->vpm > 4 || (unsigned)o->pce > 2 ||
           (unsigned)o->trans > 1 || (unsigned)o->vote > 5 ||
           (unsigned)o->radj > 4 || (unsigned)o->rrange > 2 ||
           (unsigned)o->tpc > 2 || (unsigned)o->ivb > 2 ||
           (unsigned)o->bargn > 2);
}

/* Validate options against the problem (accommodation, §5.8); problems go
 * to d and the first to `note` (may be NULL). */
int ent_smp_opts_check(const ent_smp_problem *pb, const ent_smp_opts *o,
                       ent_diag *d, char *note) {
  int bad = 0;
  const char *where = "<options>";
  for (size_t e = 0; e < o->n_acc; e++)
    if (o->acc[e].i >= pb->n || o->acc[e].j >= pb->n) {
      ent_smp_report(d, note, ENT_SEV_ERROR, ENT_EINPUT, where, 0, 0,
                     "accommodation A[%lu][%lu]: actor index out of range "
                     "(the scenario has %zu actors, 0 to %zu)",
                     o->acc[e].i, o->acc[e].j, pb->n, pb->n - 1);
      bad = 1;
    }
  if (bad || !o->n_acc) return bad;
  /* Running row sums with the entries in effect (later entries for the
   * same cell override earlier ones). */
  for (size_t i = 0; i < pb->n; i++) {
    int touched = 0;
    for (size_t e = 0; e < o->n_acc; e++) touched |= o->acc[e].i == i;
    if (!touched) continue;
    double s = 0.0;
    for (size_t j = 0; j < pb->n; j++) {
      double v = i == j ? 1.0 : 0.0;
      for (size_t e = 0; e < o->n_acc; e++)
        if (o->acc[e].i == i && o->acc[e].j == j) v = o->acc[e].v;
      s = s + v;
      if (s > 1.0 + 1e-10) {
        ent_smp_report(d, note, ENT_SEV_ERROR, ENT_EINPUT, where, 0, 0,
                       "accommodation row %zu ('%s') sums to more than 1 "
                       "(KTAB refuses it)",
                       i, pb->actor[i]);
        bad = 1;
        break;
      }
    }
  }
  return bad;
}

/* ------------------------------------------------------------ public options */

ent_smp_opts *ent_smp_opts_create(void) {
  ent_smp_opts *o = ent_malloc(sizeof *o);
  if (o) ent_smp_opts_default(o);
  return o;
}

void ent_smp_opts_destroy(ent_smp_opts *o) {
  if (!o) return;
  ent_smp_opts_release(o);
  ent_free(o);
}

ent_status ent_smp_opts_parse(ent_smp_opts *o, const char *kv, char *why,
                              size_t size) {
  if (!o || !kv || !why || !size) return ENT_EINVAL;
  const char *eq = strchr(kv, '=');
  if (!eq || eq == kv) {
    snprintf(why, size, "option '%s' is not of the form key=value", kv);
    return ENT_EINPUT;
  }
  char key[64];
  size_t kl = (size_t)(eq - kv);
  if (kl >= sizeof key) {
    snprintf(why, size, "unknown option '%.*s' (options: %s)", (int)kl, kv,
             ENT_SMP_OPTION_NAMES);
    return ENT_EINPUT;
  }
  memcpy(key, kv, kl);
  key[kl] = '\0';
  return ent_smp_opts_set(o, key, eq + 1, why, size) ? ENT_EINPUT : ENT_OK;
}

const char *ent_smp_option_names(void) { return ENT_SMP_OPTION_NAMES; }
