/*
 * smp.h -- KTAB's Spatial Model of Politics (SMP), as run by KTAB's `smpc`,
 * re-implemented from the project specification (shared/models/smp.md;
 * user page docs/models/smp.md).  Section numbers (§) refer to smp.md.
 *
 * N actors (3..250) hold positions in [0, 1]^M (internal scale; KTAB's
 * 0-100 values divided by 100.0) with per-dimension saliences (Σ_k <= 1)
 * and a capability.  Each turn every actor picks the challenge with the best
 * expected gain from its own perspective, proposes a bargain, and every
 * actor then resolves the queue of bargains that involve it by a
 * probabilistic Condorcet election.  Turns continue until the positions
 * settle (§6).
 *
 * Layers:
 *   ent_smp_evaluate   evaluate one state (§4, §7.2): distances, risk
 *                      attitudes, perspective matrices, KTAB's abort
 *                      checks, winning probabilities.
 *   ent_smp_advance    one turn from an evaluated state (§5).
 *   ent_smp_run_create (public) the whole run with its history.
 *   ent_smp_solver_run the same run again and again on one problem shape,
 *                      keeping the last state (smp_solver.c).
 * Neither layer allocates: every scratch array lives in ent_smp_work,
 * allocated once per run (or solver) from (N, M).
 * Files: smp.c (PRNG, workspace, runs), smp_eval.c (elections and the
 * evaluation of a state), smp_turn.c (a turn: challenges, bargains,
 * queues), smp_impl.h (their shared internals), smp_problem.c (the
 * problem: checks, construction from arrays, lifetime), smp_opts.c
 * (options; their types are in smp_opts.h), smp_solver.c.
 *
 * Cost per turn: O(N^3) -- N initiators x N targets x N third parties in
 * the challenge estimates, and bargain utilities / queue elections of the
 * same order.  KTAB's O(N^4) per-perspective estimates only feed its logs
 * (§9.2) and are not computed.
 *
 * Invariants: every value that leaves the module is finite.  With the
 * options of §2 and valid input, positions stay in [0, 1]; the two options
 * that can leave the box (InitRcvrInterp/PWCompInterp with S1P1 or S2PMax,
 * whose target-side bargain uses an expected gain as a probability, §5.5)
 * are allowed to, as in KTAB, but a non-finite coordinate stops the run
 * with an error.
 */
#ifndef ENT_SMP_H
#define ENT_SMP_H

#include <stdint.h>

#include "base/diag.h"
#include "strategic/smp_opts.h"

/* ------------------------------------------------------------ options */

/* KTAB's defaults (the types are in smp_opts.h). */
ENT_LOCAL void ent_smp_opts_default(ent_smp_opts *o);
/* Free what the options own (the accommodation list); o stays valid and
 * is reset to the defaults. */
ENT_LOCAL void ent_smp_opts_release(ent_smp_opts *o);
/* Deep copy; returns 0 or -1 (out of memory; dst then holds defaults). */
ENT_LOCAL int ent_smp_opts_copy(ent_smp_opts *dst, const ent_smp_opts *src);
/* Set one option from text.  Keys are KTAB's parameter names (any case;
 * '_' and '-' ignored, so victory_prob_model works) or max_turns,
 * min_turns, stop_ratio, seed, strict, degenerate, accommodation.  Values
 * are KTAB's names (any case) or integer codes.  Returns 0, or -1 with a
 * reason in `why` (a buffer of `size` bytes). */
ENT_LOCAL int ent_smp_opts_set(ent_smp_opts *o, const char *key,
                               const char *value, char *why, size_t size);
/* "VictoryProbModel=Linear PCEModel=... max_turns=100 ..." */
ENT_LOCAL void ent_smp_opts_describe(const ent_smp_opts *o, char *buf,
                                     size_t size);
/* KTAB's name of a BargnModel value (static; "?" if invalid). */
ENT_LOCAL const char *ent_smp_bargn_name(ent_smp_bargn b);

/* ------------------------------------------------------------ reports */

/* Bytes of a note: the text of a diagnostic (ent_diag_item.msg). */
#define ENT_SMP_NOTE_SIZE sizeof(((ent_diag_item *)0)->msg)

/* Every problem the model finds goes through here: to `d` (may be NULL)
 * and, when `note` is not NULL and still empty, also into note (a buffer
 * of ENT_SMP_NOTE_SIZE bytes) -- so a caller can report a refused run
 * under its own heading without collecting the model's own messages
 * first (the simulation's yearly runs do, ent_smp_solver_note). */
ENT_LOCAL void ent_smp_report(ent_diag *d, char *note, ent_severity sev,
                              ent_status code, const char *file, int line,
                              int col, const char *fmt, ...) ENT_PRINTF(8, 9);

/* ------------------------------------------------------------ problem */

/* A validated KTAB scenario (§1), built only by smp_problem.c.  All arrays
 * live in the arena. */
struct ent_smp_problem {
  ent_arena arena;
  char *file;        /* name used in messages */
  char *name, *desc; /* scenario name and description (line 1) */
  size_t n, m;       /* actors (3..250), dimensions (>= 1) */
  char **actor;      /* [n] names, trimmed, non-empty */
  char **actor_desc; /* [n] */
  char **dim;        /* [m] dimension names */
  double *cap;       /* [n] capability c_i, as read, in (0, 1e8] */
  double *x0;        /* [n*m] initial positions, value/100.0, in [0, 1] */
  double *sal;       /* [n*m] saliences s_ik, value/100.0 */
  double *S;         /* [n] total salience S_i = Σ_k s_ik (> 0) */
  double *W;         /* [n] challenge weight S_i * c_i (> 0) */
  double *ssq;       /* [n] Σ_k s_ik * s_ik (> 0), the distance denominator */
};

/* KTAB's limits (§1.3); no KTAB limit on dimensions: ENT_SMP_MAX_DIMS
 * bounds allocation. */
#define ENT_SMP_MIN_ACTORS 3
#define ENT_SMP_MAX_ACTORS 250
#define ENT_SMP_MAX_DIMS 100000
#define ENT_SMP_MAX_CAPABILITY 1e8

/* A problem given as arrays on KTAB's 0-100 scale (smp_problem.c).  The
 * names may be NULL: actors "A0", "A1", ..., their descriptions "actor 0",
 * ..., dimensions "D0", ..., scenario "generated" / "generated scenario";
 * given ones are copied as they are (the CSV loader checks their text). */
typedef struct ent_smp_spec {
  const char *file;              /* name used in messages; NULL: "<arrays>" */
  const char *name, *desc;       /* scenario name and description, or NULL */
  size_t n, m;                   /* actors, dimensions */
  const char *const *actor;      /* [n] actor names, or NULL */
  const char *const *actor_desc; /* [n] or NULL */
  const char *const *dim;        /* [m] dimension names, or NULL */
  const double *cap;             /* [n] capabilities, (0, 1e8] */
  const double *pos;             /* [n*m] positions, [0, 100] */
  const double *sal;             /* [n*m] saliences, [0, 100]; an actor's sum
                                    <= 100 and not all 0 */
} ent_smp_spec;

/* Check and build: every problem of §1.3 goes to `d` under sp->file
 * (positions 0:0), in the order the CSV loader reports them, and nothing
 * is built then (ENT_EINPUT).  ENT_EINVAL for missing arrays, ENT_ENOMEM.
 * The problem owns copies of everything. */
ENT_LOCAL ent_status ent_smp_problem_create(const ent_smp_spec *sp,
                                            ent_smp_problem **out,
                                            ent_diag *d);
/* A problem of sp's sizes and names whose values are set later, again and
 * again, by ent_smp_problem_set (sp's arrays are not read).  NULL when out
 * of memory or for sizes no problem can have. */
ENT_LOCAL ent_smp_problem *ent_smp_problem_alloc(const ent_smp_spec *sp);
/* Check the values (as ent_smp_problem_create does, under p->file and
 * p's actor names) and set them.  On ENT_EINPUT the values are invalid
 * until the next successful set.  `note`: see ent_smp_report. */
ENT_LOCAL ent_status ent_smp_problem_set(ent_smp_problem *p, const double *cap,
                                         const double *pos100,
                                         const double *sal100, ent_diag *d,
                                         char *note);
/* Deep copy (for runs that must outlive the problem). */
ENT_LOCAL ent_smp_problem *ent_smp_problem_clone(const ent_smp_problem *p);

/* The single-value checks of §1.3, for loaders that report each value at
 * its place in a file: each reports to `d` at (file, line, col) (0 =
 * unknown) with `actor` naming the actor, and returns 0 if the value is
 * fine, -1 if not. */
ENT_LOCAL int ent_smp_check_actor_count(ent_diag *d, const char *file,
                                        int line, int col, unsigned long n);
ENT_LOCAL int ent_smp_check_dim_count(ent_diag *d, const char *file, int line,
                                      int col, unsigned long m);
ENT_LOCAL int ent_smp_check_capability(ent_diag *d, const char *file, int line,
                                       int col, const char *actor, double v);
/* Position v (0-100) on dimension k (0-based). */
ENT_LOCAL int ent_smp_check_position(ent_diag *d, const char *file, int line,
                                     int col, const char *actor, size_t k,
                                     double v);
/* Saliences of one actor go through ent_smp_check_salience dimension by
 * dimension, in order, with running sums in one ent_smp_salsum per actor
 * (initialise with ENT_SMP_SALSUM_INIT); then ent_smp_check_salience_total.
 * A caller that could not read a salience clears all_ok. */
typedef struct ent_smp_salsum {
  double sum;   /* of the 0-100 values so far */
  double ssq;   /* of (value / 100)^2 so far */
  int reported; /* "add up to more than 100" said once */
  int all_ok;   /* every salience read and in range */
} ent_smp_salsum;
#define ENT_SMP_SALSUM_INIT {0.0, 0.0, 0, 1}
ENT_LOCAL int ent_smp_check_salience(ent_diag *d, const char *file, int line,
                                     int col, const char *actor, size_t k,
                                     double v, ent_smp_salsum *acc);
ENT_LOCAL int ent_smp_check_salience_total(ent_diag *d, const char *file,
                                           int line, int col,
                                           const char *actor,
                                           const ent_smp_salsum *acc);

/* ------------------------------------------------------------ work */

typedef struct ent_smp_work ent_smp_work;

/* SIMD width of the challenge kernel (targets per block). */
#define ENT_SMP_LANES 4

/* Scratch for runs of problem `pb` (sizes from N and M only).  The work
 * keeps pointers to pb and o, which must outlive it.  NULL when out of
 * memory. */
ENT_LOCAL ent_smp_work *ent_smp_work_alloc(const ent_smp_problem *pb,
                                           const ent_smp_opts *o);
ENT_LOCAL void ent_smp_work_free(ent_smp_work *w);
/* Tests: 1 = use the scalar reference kernels instead of the SIMD ones,
 * 2 = the 2-lane (SSE2) vector kernels even where the CPU has AVX2, 3 =
 * the 4-lane (AVX2) kernels even where it has AVX-512 (the results are
 * identical; this lets the tests prove it). */
ENT_LOCAL void ent_smp_work_set_scalar(ent_smp_work *w, int on);
/* Back to the state ent_smp_work_alloc leaves (the generator seeded
 * again), so that a workspace used again gives the same run as a new
 * one. */
ENT_LOCAL void ent_smp_work_reset(ent_smp_work *w);
/* Keep the first problem reported through the workspace in `note` (NULL:
 * don't; see ent_smp_report). */
ENT_LOCAL void ent_smp_work_set_note(ent_smp_work *w, char *note);
/* Bytes the workspace holds. */
ENT_LOCAL size_t ent_smp_work_size(const ent_smp_work *w);

/* Read-only view of the last evaluation / turn, for tests and reports.
 * Arrays have N entries (y_*: N*M) and stay valid until the next call. */
typedef struct ent_smp_view {
  const double *risk_p;   /* risk-neutral election over the N positions */
  const double *R;        /* risk attitudes (undefined if degenerate) */
  const double *win_prob; /* §7.2 winning probability of each actor */
  int degenerate;         /* p_max == p_min in this state (§4.2) */
  /* last ent_smp_advance: */
  const int *target;      /* best target of each actor, -1 = none */
  const double *p_win;    /* π_ij of that challenge */
  const double *gain;     /* its expected gain Δ(i; i; i→j) */
  const double *y_init;   /* [N*M] initiator's position in its bargain B_I */
  const double *y_targ;   /* [N*M] target's position in B_I */
  const int *chosen_init; /* per actor: initiator of the bargain it took
                             (itself for its status quo) */
  const int *chosen_targ; /* ... and the target */
  const double *b_u;      /* [n_barg*N] each bargain's utility to every
                             voter (§5.7) */
  size_t n_barg;          /* bargains of the turn */
} ent_smp_view;

ENT_LOCAL void ent_smp_work_view(const ent_smp_work *w, ent_smp_view *v);

/* Evaluate the state (x, xi) (positions, ideals; N*M, internal scale):
 * §4 and the winning probabilities of §7.2.  `state` numbers messages.
 * Errors (KTAB aborts with strict options) go to `d` under pb->file.
 * Returns ENT_OK, ENT_EINPUT (abort of §4.4, degenerate with
 * degenerate=error), ENT_ENOCONV (Markov iteration limit) or
 * ENT_EINTERNAL (a probability computation underflowed). */
ENT_LOCAL ent_status ent_smp_evaluate(ent_smp_work *w, int state,
                                      const double *x, const double *xi,
                                      ent_diag *d);

/* ent_smp_evaluate for a state whose winning probabilities nobody reads
 * (a turn follows and overwrites them; smp_solver.c): *won = 1 when
 * they were computed as ent_smp_evaluate does; 0 when they were skipped
 * because their election provably succeeds with finite values (or
 * the state is degenerate) -- w's win_prob, pi and representatives are
 * then stale.  The status and every other output are ent_smp_evaluate's,
 * bit for bit. */
ENT_LOCAL ent_status ent_smp_evaluate_for_turn(ent_smp_work *w, int state,
                                               const double *x,
                                               const double *xi, int *won,
                                               ent_diag *d);

/* One turn (§5) from the state last evaluated, which must be (x, xi):
 * writes the next positions and ideals to xn, xin (N*M; may not alias
 * x, xi).  Returns ENT_OK or an error as ent_smp_evaluate does. */
ENT_LOCAL ent_status ent_smp_advance(ent_smp_work *w, int state,
                                     const double *x, const double *xi,
                                     double *xn, double *xin, ent_diag *d);

/* Challenge estimate E(h; k; i→j) of §5.2 from the last evaluated state:
 * π_ij in *p and Δ in *gain.  O(N).  (The turn uses a faster equivalent
 * for h = k = i; this one serves the target-side bargains and tests.) */
ENT_LOCAL void ent_smp_estimate(const ent_smp_work *w, size_t h, size_t k,
                                size_t i, size_t j, double *p, double *gain);

/* ------------------------------------------------------------ solver */

/* Runs again and again on one problem shape -- the simulation's yearly
 * runs of an issue -- with everything allocated once: the problem (sizes
 * and names from sp, values set by each run), a workspace and two state
 * buffers.  The options (NULL: KTAB's defaults) are not copied and must
 * outlive the solver.  A run
 * keeps only its last state, which is bit for bit the last state of
 * ent_smp_run_create on the same problem and options.  NULL when out of
 * memory. */
typedef struct ent_smp_solver ent_smp_solver;
ENT_LOCAL ent_smp_solver *ent_smp_solver_alloc(const ent_smp_spec *sp,
                                               const ent_smp_opts *o);
ENT_LOCAL void ent_smp_solver_free(ent_smp_solver *s);
/* Set the values (0-100 scale, as ent_smp_problem_set) and run to the
 * stopping rule.  Problems go to d (may be NULL); the first one of this
 * call is also kept (ent_smp_solver_note).  Returns ENT_OK or the error
 * ent_smp_problem_create / ent_smp_run_create would return. */
ENT_LOCAL ent_status ent_smp_solver_run(ent_smp_solver *s, const double *cap,
                                        const double *pos100,
                                        const double *sal100, ent_diag *d);
/* At most `max_turns` turns per run from now on (a year of a dynamic run;
 * docs/dynamics.md); 0 restores the options' max_turns. */
ENT_LOCAL void ent_smp_solver_set_max_turns(ent_smp_solver *s, int max_turns);
/* Read-outs of the last successful run: turns played (states - 1),
 * whether the ratio test stopped it, position of actor i on dimension k
 * (0-100, as ent_smp_run_position) and winning probability of the last
 * state. */
ENT_LOCAL int ent_smp_solver_turns(const ent_smp_solver *s);
ENT_LOCAL int ent_smp_solver_converged(const ent_smp_solver *s);
ENT_LOCAL double ent_smp_solver_position(const ent_smp_solver *s, size_t i,
                                         size_t k);
ENT_LOCAL double ent_smp_solver_win_prob(const ent_smp_solver *s, size_t i);
/* Text of the first problem the last run reported ("" if none). */
ENT_LOCAL const char *ent_smp_solver_note(const ent_smp_solver *s);
/* Bytes the solver holds: workspace, state buffers, problem values
 * (names not counted); 0 for NULL. */
ENT_LOCAL size_t ent_smp_solver_size(const ent_smp_solver *s);

/* ------------------------------------------------------------ PRNG */

/* KTAB's generator (§8): MT19937-64 with an output scramble.  State is a
 * plain value; no globals. */
typedef struct ent_smp_rng {
  uint64_t mt[312];
  int idx;
  int pending;   /* seeded with `seed` on the first draw */
  uint64_t seed;
} ent_smp_rng;

ENT_LOCAL void ent_smp_rng_seed(ent_smp_rng *r, uint64_t seed);
/* The same as ent_smp_rng_seed, the state filled only at the first draw
 * (a run that draws nothing costs nothing). */
ENT_LOCAL void ent_smp_rng_seed_lazy(ent_smp_rng *r, uint64_t seed);
/* Raw MT19937-64 output (std::mt19937_64). */
ENT_LOCAL uint64_t ent_smp_rng_raw(ent_smp_rng *r);
/* Uniform in [0, 1] as KTAB draws it (scrambled raw output / 2^64). */
ENT_LOCAL double ent_smp_rng_uniform(ent_smp_rng *r);

/* ------------------------------------------------------------ runs */

/* Options in their ranges (parsed options always are). */
ENT_LOCAL int ent_smp_opts_valid(const ent_smp_opts *o);
/* Options against the problem (accommodation indices and row sums, §5.8):
 * problems go to d and the first to `note` (may be NULL); 0 if fine. */
ENT_LOCAL int ent_smp_opts_check(const ent_smp_problem *pb,
                                 const ent_smp_opts *o, ent_diag *d,
                                 char *note);
/* Σ_i ||a_i - b_i|| over N actors of M dimensions (the §6 stopping rule). */
ENT_LOCAL double ent_smp_state_distance(const double *a, const double *b,
                                        size_t N, size_t M);

typedef enum ent_smp_stop {
  ENT_SMP_STOP_RATIO = 0, /* dist ratio below stop_ratio (converged) */
  ENT_SMP_STOP_TURNS      /* max_turns reached */
} ent_smp_stop;

/* The history of a run (public handle ent_smp_run).  State t = 0 is the
 * input; arrays are state-major.  Internal scale. */
struct ent_smp_run {
  ent_smp_problem *pb; /* own copy */
  ent_smp_opts opts;   /* own copy */
  size_t n_states, cap_states;
  double *x;        /* [n_states * N * M] positions */
  double *xi;       /* [n_states * N * M] ideals */
  double *win_prob; /* [n_states * N] §7.2 */
  double *R;        /* [n_states * N] risk attitudes (0 where degenerate) */
  unsigned char *degenerate; /* [n_states] 1 if §4.2 degenerate */
  ent_smp_stop stop;
  int converged;     /* stopped by the ratio test */
  int identity_acc;  /* accommodation is the identity: ideals = positions */
};

#endif /* ENT_SMP_H */
