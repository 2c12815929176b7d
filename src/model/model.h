/*
 * model.h -- the in-memory system: actors, contested issues, options.
 *
 * A model is built by a loader (scenario.c for YAML, table.c for CSV) and
 * is immutable afterwards; all its memory lives in one arena released by
 * ent_model_destroy.  Indices, not pointers, link its parts, so a model
 * can be copied or serialised without fix-ups.
 *
 * Invariants (checked by the loaders, relied on everywhere else):
 *   - actor ids are unique; every issue has >= 2 stakes, stakes sorted by
 *     actor index, each actor at most once;
 *   - issue scale lo < hi, finite; stake positions in [lo, hi];
 *   - salience in [0, 1] (the file's 0-100 divided by 100);
 *   - capability >= 0, finite; an issue's total weight sum(c * s) > 0.
 */
#ifndef ENT_MODEL_H
#define ENT_MODEL_H

#include "base/util.h"
#include "strategic/eum_opts.h"
#include "strategic/smp_opts.h"

typedef struct ent_srcpos {
  int line, col; /* 1-based in the scenario source; 0 = none */
} ent_srcpos;

typedef struct ent_actor {
  const char *id;     /* ISO 3166 alpha-3 for states, EUU for the EU, ... */
  const char *name;
  const char *kind;   /* state, bloc, organisation, substate, firm, group */
  const char *why;    /* rationale text or NULL */
  double capability;  /* default clout on issues, >= 0 (if has_capability) */
  int has_capability;
  ent_srcpos at;
} ent_actor;

typedef struct ent_anchor {
  double at;          /* point on the issue scale */
  const char *label;
} ent_anchor;

typedef struct ent_stake {
  size_t actor;       /* index into model actors */
  double position;    /* on the issue scale, [lo, hi]: where the actor stands
                         when the run starts */
  double ideal;       /* on the issue scale: the position the actor would
                         choose for itself, to which it drifts back year by
                         year (docs/dynamics.md); `position` unless given */
  int has_ideal;      /* `ideal` was given apart from `position` */
  double salience;    /* [0, 1] */
  double capability;  /* >= 0 */
  int cap_from_actor; /* capability taken from the actor's (no own value) */
  double *pos_dims;   /* [n_dims] positions of a multi-dimensional issue
                         (NULL for one dimension: `position`) */
  double *sal_dims;   /* [n_dims] saliences in [0, 1], sum <= 1 (NULL for
                         one dimension); `salience` is then their sum */
  const char *why;    /* rationale or NULL */
  ent_srcpos at;
} ent_stake;

/* The bargaining model(s) of an issue (docs/scenario.md). */
typedef enum ent_issue_model {
  ENT_ISSUE_EUM = 0, /* expected-utility model (default) */
  ENT_ISSUE_SMP,     /* KTAB's Spatial Model of Politics */
  ENT_ISSUE_BOTH     /* EUM decides; SMP is run beside it for comparison */
} ent_issue_model;

typedef struct ent_issue {
  const char *id;
  const char *question;
  const char *why;
  double lo, hi;            /* scale, lo < hi */
  ent_anchor *anchors;      /* sorted by `at` */
  size_t n_anchors;
  ent_stake *stakes;        /* sorted by actor index */
  size_t n_stakes;
  ent_eum_opts eum;         /* effective options (scenario + issue) */
  ent_issue_model model;    /* which bargaining model(s) decide it */
  size_t n_dims;            /* dimensions, >= 1 (> 1: SMP only) */
  const char **dims;        /* [n_dims] dimension names */
  ent_smp_opts smp;         /* SMP options: KTAB's defaults, then the
                               issue's smp_options, parsed at load; the
                               accommodation list lives in the arena
                               (never ent_smp_opts_release it) */
  ent_srcpos at;
} ent_issue;

/* ------------------------------------------------------------ dynamics */

/* How the strategic layer moves from year to year (docs/dynamics.md).
 * With a time axis every year bargains `rounds_per_year` rounds (turns of
 * the spatial model) from where the last year ended, after each actor
 * moves `inertia` of the way back to its ideal. */
typedef struct ent_dynamics {
  int rounds_per_year;    /* >= 1 */
  double inertia;         /* [0, 1]; 1: every year restarts at the ideals */
  int given;              /* the scenario has a `dynamics` section */
  const char *why;
  ent_srcpos at;
} ent_dynamics;

/* Defaults of ent_dynamics (docs/dynamics.md says why). */
/* Actors on one issue (and rows of an expected-utility table): the
 * expected-utility model's cost grows with the cube of the actors (about
 * 6 s of CPU for 400 actors and 10 rounds; docs/scenario-format.md,
 * "Limits"), so past this a run is refused at load time. */
#define ENT_MAX_ISSUE_ACTORS 500
#define ENT_DYN_ROUNDS_PER_YEAR 3
#define ENT_DYN_INERTIA 0.3

/* ------------------------------------------------------------ structure */

typedef struct ent_bloc {
  const char *id, *name, *why;
  long actor;             /* index of the actor with the same id, or -1 */
  double gdp;             /* US$ bn (current), base year, > 0 */
  double milex;           /* US$ bn, base year, >= 0 */
  double *growth;         /* [n_years] nominal growth in % in year start+k
                             (k >= 1; [0] unused) */
  double *milex_growth;   /* [n_years] likewise */
  double *growth_ex_ante; /* [n_years] growth as forecast at the base year
                             (`growth_ex_ante`; ex-ante runs use it, and
                             military spending follows it), or NULL */
  ent_srcpos at;
} ent_bloc;

typedef struct ent_shock {
  const char *id, *source, *why;
  size_t *from, *to;      /* bloc indices: exporters, importers */
  size_t n_from, n_to;
  int both;               /* also to -> from */
  int start;              /* first year in force */
  int end;                /* first year no longer in force; 0 = never */
  double beta;            /* log partial effect, <= 0 usually; finite */
  int embargo;            /* b = 0 */
  int phase_in, fade;     /* years, >= 0 */
  size_t *against;        /* blocs the measure is aimed at (sanctions
                             pressure, docs/dynamics.md); may be empty */
  size_t n_against;
  double weight;          /* its weight in the pressure index (default 1) */
  int announced;          /* year it became known (default: start) */
  ent_srcpos at;
} ent_shock;

/* A dated change of one actor's stake on one issue (docs/dynamics.md,
 * "Shocks on the strategic layer"): while in force, the stated value
 * replaces the scenario's; a position shock also moves the actor's
 * bargaining position to the new ideal in its first year. */
typedef struct ent_sshock {
  const char *id, *source, *why;
  size_t issue, stake;    /* issue index, stake index in that issue */
  int start;              /* first year in force */
  int end;                /* first year no longer in force; 0 = never */
  int announced;          /* year it became known (default: start) */
  int set_position, set_salience, set_capability;
  double position;        /* on the issue scale */
  double salience;        /* [0, 1] */
  double capability;      /* >= 0 */
  ent_srcpos at;
} ent_sshock;

typedef enum ent_channel_kind {
  ENT_CHANNEL_GAS = 0,
  ENT_CHANNEL_OIL,
  ENT_CHANNEL_ARMS,
  ENT_CHANNEL_OTHER
} ent_channel_kind;

typedef struct ent_channel {
  const char *id, *unit, *why;
  ent_channel_kind kind;
  size_t from, to;        /* bloc indices */
  double capacity;        /* per year, > 0 */
  double base;            /* base-year flow, [0, capacity] */
  double ramp;            /* increase per year toward capacity, >= 0 */
  int opens;              /* first year with flow; INT_MIN = open */
  int build_years;        /* from a threshold decision to first flow */
  int driver_trade;       /* flow follows the from->to trade index */
  int announced;          /* year it became known; INT_MIN: always */
  int conditional;        /* opened only by a threshold link */
  ent_srcpos at;
} ent_channel;

typedef enum ent_link_source {
  ENT_LINK_FROM_INDICATOR = 0,
  ENT_LINK_FROM_ISSUE
} ent_link_source;

typedef enum ent_link_target {
  ENT_LINK_TO_STAKE = 0,  /* an actor's capability or salience on issues */
  ENT_LINK_TO_TRADE,      /* a trade cost (a shock driven by the link) */
  ENT_LINK_TO_CHANNEL
} ent_link_target;

typedef enum ent_link_form {
  ENT_FORM_ELASTICITY = 0, /* target = base * (v / v_base)^elasticity */
  ENT_FORM_BETA,           /* beta = beta_at_max * (v - lo) / (hi - lo) */
  ENT_FORM_THRESHOLD,      /* channel opens once v >= above */
  ENT_FORM_SCALE,          /* channel flow *= v / v_base */
  ENT_FORM_SHIFT,          /* target += slope * (v - ref) */
  ENT_FORM_PULL            /* position moves toward actor `toward`'s by
                              min(max, max(0, rate * (v - ref))) of the gap */
} ent_link_form;

typedef enum ent_stake_field {
  ENT_FIELD_CAPABILITY = 0,
  ENT_FIELD_SALIENCE,
  ENT_FIELD_POSITION     /* the actor's ideal (docs/dynamics.md) */
} ent_stake_field;

typedef struct ent_link {
  const char *id, *why;
  ent_link_source src;
  int indicator;            /* ent_indicator_id, for indicator sources */
  size_t ent_a, ent_b;      /* bloc indices of the indicator's entity */
  size_t src_issue;         /* for issue sources */
  ent_link_target tgt;
  size_t *issues;           /* stake targets: issue indices */
  size_t n_issues;
  size_t actor;             /* stake targets: actor index */
  ent_stake_field field;
  size_t *from, *to;        /* trade targets: bloc indices */
  size_t n_from, n_to;
  int both;
  size_t channel;           /* channel targets */
  ent_link_form form;
  double elasticity, beta_at_max, above;
  double ref;               /* the source's level at which the link has no
                               effect (`ref:`); without it, the source's
                               value in the base year (links on changes) */
  int has_ref;
  double slope;             /* shift: target change per unit of the source
                               (salience in points of 0-100) */
  size_t toward;            /* pull: the actor pulled toward, or -1 */
  double rate, max;         /* pull: share of the gap per unit above ref,
                               and its cap in [0, 1] */
  ent_srcpos at;
} ent_link;

typedef struct ent_history {
  const char *variable, *entity, *unit, *source;
  int *years;
  double *values;
  size_t n;
} ent_history;

/* The structural layer of a scenario (docs/scenario.md).  Years run from
 * start (the base year, data) to end. */
typedef struct ent_structure {
  int start, end;
  double theta;           /* trade elasticity, > 0 (home vs foreign) */
  double theta_foreign;   /* among foreign suppliers (nested CES); equal
                             to theta: the one-sector model */
  int multiplicative;     /* deficit mode */
  double adjustment;      /* partial adjustment per year, (0, 1] */
  ent_bloc *blocs;
  size_t n_blocs;
  double *flows;          /* [n_blocs^2] base-year flows, row exporter */
  ent_shock *shocks;
  size_t n_shocks;
  ent_channel *channels;
  size_t n_channels;
  ent_link *links;
  size_t n_links;
  ent_sshock *sshocks;    /* shocks on the strategic layer */
  size_t n_sshocks;
  size_t *issue_order;    /* issues in dependency order of issue links */
  ent_history *history;
  size_t n_history;
} ent_structure;

/* Indicators that links and outputs can name (docs/variables.md). */
typedef enum ent_indicator_id {
  ENT_IND_DEPENDENCE = 0,      /* D_ab = T_ab / G_a */
  ENT_IND_DEPENDENCE_ASYMMETRY,/* D_ab - D_ba */
  ENT_IND_PARTNER_SHARE,       /* S_ab = T_ab / T_a */
  ENT_IND_IMPORT_SHARE,        /* X_ba / M_a */
  ENT_IND_EXPORT_SHARE,        /* X_ab / Xp_a */
  ENT_IND_SENSITIVITY,         /* pi_ba = X_ba / E_a */
  ENT_IND_VULNERABILITY_PE,    /* 1 - (1 - pi_ba)^(1/theta) */
  ENT_IND_VULNERABILITY_GE,    /* 1 - W_hat_a, trade with b cut */
  ENT_IND_VULNERABILITY_ASYMMETRY,
  ENT_IND_TRADE_FLOW,          /* X_ab */
  ENT_IND_SANCTIONS_PRESSURE,  /* sum of the phase of the shocks in force
                                  against bloc a, times their weights
                                  (entity: one bloc) */
  ENT_IND_COUNT
} ent_indicator_id;

ENT_LOCAL const char *ent_model_indicator_name(int id);
ENT_LOCAL int ent_model_indicator_find(const char *name);

/* ------------------------------------------------------ uncertain numbers */

/* A distribution given for a number instead of a value (docs/scenario.md,
 * "Uncertain numbers").  Every kind is sampled by inversion of its CDF
 * from one uniform u in (0, 1), so a member's draws are a vector of
 * uniforms (uncertain.c). */
typedef enum ent_dist_kind {
  ENT_DIST_NORMAL = 0, /* mean a, sd b > 0, truncated to [lo, hi] */
  ENT_DIST_UNIFORM,    /* [lo, hi], lo < hi */
  ENT_DIST_TRIANGULAR, /* lo <= mode a <= hi, lo < hi */
  ENT_DIST_PERT,       /* beta-PERT: lo <= mode a <= hi, lo < hi */
  ENT_DIST_CHOICE      /* values[n] with probabilities */
} ent_dist_kind;

typedef struct ent_dist {
  ent_dist_kind kind;
  double a, b;         /* normal: mean, sd; triangular/pert: mode, - */
  double lo, hi;       /* support: truncation bounds or min/max */
  double plo, phi;     /* normal: Phi((lo-a)/b), Phi((hi-a)/b) */
  double alpha, beta;  /* pert: shape parameters of the beta law, >= 1 */
  const double *values;/* choice: n values in the order given */
  const double *cum;   /* choice: cumulative probabilities, cum[n-1] = 1 */
  size_t n;
} ent_dist;

/* What an uncertain number sets.  Indices refer to the model's arrays. */
typedef enum ent_utarget_kind {
  ENT_UT_ACTOR_CAPABILITY = 0, /* i = actor (and stakes that inherit it) */
  ENT_UT_STAKE_POSITION,       /* i = issue, j = stake */
  ENT_UT_STAKE_SALIENCE,       /* i = issue, j = stake (value / 100) */
  ENT_UT_STAKE_CAPABILITY,     /* i = issue, j = stake */
  ENT_UT_BLOC_GDP,             /* i = bloc */
  ENT_UT_BLOC_MILEX,           /* i = bloc */
  ENT_UT_BLOC_GROWTH,          /* i = bloc, years k in [k0, k1) */
  ENT_UT_BLOC_MILEX_GROWTH,    /* i = bloc, years k in [k0, k1) */
  ENT_UT_TRADE_FLOW,           /* i = exporter, j = importer */
  ENT_UT_SHOCK_BETA,           /* i = shock */
  ENT_UT_CHANNEL_CAPACITY,     /* i = channel */
  ENT_UT_CHANNEL_BASE,         /* i = channel (capped at the capacity) */
  ENT_UT_CHANNEL_RAMP,         /* i = channel */
  ENT_UT_LINK_ELASTICITY,      /* i = link */
  ENT_UT_LINK_BETA_AT_MAX,     /* i = link */
  ENT_UT_LINK_ABOVE,           /* i = link */
  ENT_UT_ECONOMY_THETA,
  ENT_UT_ECONOMY_ADJUSTMENT,
  ENT_UT_STAKE_IDEAL,          /* i = issue, j = stake */
  ENT_UT_LINK_SLOPE,           /* i = link */
  ENT_UT_LINK_RATE,            /* i = link */
  ENT_UT_LINK_REF,             /* i = link */
  ENT_UT_DYN_INERTIA
} ent_utarget_kind;

typedef struct ent_utarget {
  ent_utarget_kind kind;
  size_t i, j;        /* see ent_utarget_kind; stake targets hold the actor
                         index in j until the load resolves it */
  size_t k0, k1;      /* growth paths: year offsets [k0, k1) */
  int also_milex;     /* growth: milex_growth follows (it was not given) */
} ent_utarget;

typedef struct ent_uparam {
  const char *name;   /* e.g. "issues.alliance.positions.CHN.position" */
  const char *file;   /* file of the distribution (variants: maybe a base) */
  ent_srcpos at;      /* position of the {dist: ...} mapping */
  ent_dist dist;
  double nominal;     /* the value `entente run` uses (docs/scenario.md) */
  const char *why;    /* rationale of the range, or NULL */
  ent_utarget tgt;
} ent_uparam;

struct ent_model {
  ent_arena arena;
  const char *id, *title, *description;
  const char *source;       /* file name or "builtin:<name>" */
  const char *text;         /* the source text (copy), for the run store */
  size_t text_len;
  ent_actor *actors;
  size_t n_actors;
  ent_issue *issues;
  size_t n_issues;
  ent_eum_opts eum;         /* scenario-level model options */
  ent_dynamics dyn;         /* how the strategic layer moves year by year */
  double model_weight[2];   /* draw weights of the expected-utility and the
                               spatial model in forecasts (`model.weights`;
                               default 1 and 1) */
  const char *weights_why;
  size_t (*pairs)[2];       /* main pairs for the relationship table */
  size_t n_pairs;
  ent_structure *st;        /* structural layer, NULL if none */
  ent_uparam *uparams;      /* uncertain numbers in declaration order */
  size_t n_uparams, cap_uparams;
  const ent_model *origin;  /* value copies (uncertain.h): the original */
  const char *base_text;    /* texts of the scenarios this one extends
                               (nearest last), for the run store; or NULL */
  size_t base_len;
};

/* Index of bloc `id`, or (size_t)-1 (requires m->st). */
ENT_LOCAL size_t ent_model_find_bloc(const ent_model *m, const char *id);
/* Index of issue `id`, or (size_t)-1. */
ENT_LOCAL size_t ent_model_find_issue(const ent_model *m, const char *id);

/* Index of actor `id`, or (size_t)-1. */
ENT_LOCAL size_t ent_model_find_actor(const ent_model *m, const char *id);
/* An empty model with an initialised arena; the loader sets everything
 * else (the scenario-level options too: model.c knows no defaults). */
ENT_LOCAL ent_model *ent_model_new(void);
/* A value copy of m: every numeric array (actors, issues and their stakes,
 * blocs and growth paths, flows, shocks, channels, links) is copied;
 * strings, anchors, lists of indices, history and the uncertain numbers
 * are shared with m, which must outlive the copy.  Free with
 * ent_model_destroy.  NULL when out of memory. */
ENT_LOCAL ent_model *ent_model_clone(const ent_model *m);
/* SHA-256 (64 hex digits and a NUL) of the scenario text and then the
 * texts it extends: the run store's scenario_hash. */
ENT_LOCAL void ent_model_hash(const ent_model *m, char out[65]);

/* Label of the anchor nearest to v on the issue's scale, and whether v is
 * between two anchors (then *below and *above name both). */
ENT_LOCAL void ent_model_issue_describe(const ent_issue *is, double v,
                                  const char **nearest, const char **below,
                                  const char **above);

#endif /* ENT_MODEL_H */
