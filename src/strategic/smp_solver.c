/*
 * smp_solver.c -- KTAB's Spatial Model of Politics run again and again on
 * one problem shape, keeping only the last state (smp.h, "solver"): what
 * the simulation needs each year for each spatial-model issue, with
 * everything allocated once.
 *
 * Invariant: the turn loop is ent_smp_run_create's (smp.c), operation for
 * operation -- state 0 is (x0, x0); each turn advances the last evaluated
 * state into the other buffer pair and evaluates it; the §6 stopping rule
 * is the same expression on ent_smp_state_distance; a non-finite value in
 * any state is reported after the loop as the run reports it; only state
 * 0's winning probabilities, which a turn overwrites, may be skipped
 * where their election provably succeeds (ent_smp_evaluate_for_turn) --
 * and the
 * workspace is reset to its freshly allocated state before each run, so
 * the last state is the run's last state bit for bit (test_smp checks
 * every reference case and option variant).
 */
#include "strategic/smp_impl.h"

#include <math.h>
#include <string.h>

struct ent_smp_solver {
  ent_smp_problem *pb; /* sizes and names fixed; values set by each run */
  const ent_smp_opts *o; /* the caller's, or `defaults` */
  ent_smp_opts defaults;
  ent_smp_work *w;
  double *x[2], *xi[2]; /* [N*M] ping-pong state buffers */
  double *win;          /* [N] winning probabilities of the last state */
  int last;             /* buffer of the last state */
  int turns, converged;
  int max_turns;        /* > 0: at most this many turns (a year of a
                           dynamic run); 0: the options' max_turns */
  char note[ENT_SMP_NOTE_SIZE];
};

void ent_smp_solver_free(ent_smp_solver *s) {
  if (!s) return;
  ent_smp_work_free(s->w);
  ent_smp_problem_destroy(s->pb);
  for (int b = 0; b < 2; b++) {
    ent_free(s->x[b]);
    ent_free(s->xi[b]);
  }
  ent_free(s->win);
  ent_free(s);
}

ent_smp_solver *ent_smp_solver_alloc(const ent_smp_spec *sp,
                                     const ent_smp_opts *o) {
  if (!sp) return NULL;
  ent_smp_solver *s = ent_calloc(1, sizeof *s);
  if (!s) return NULL;
  ent_smp_opts_default(&s->defaults);
  s->o = o ? o : &s->defaults;
  s->pb = ent_smp_problem_alloc(sp);
  if (!s->pb) goto fail;
  size_t NM = s->pb->n * s->pb->m;
  for (int b = 0; b < 2; b++) {
    s->x[b] = ent_mallocarray(NM, sizeof(double));
    s->xi[b] = ent_mallocarray(NM, sizeof(double));
    if (!s->x[b] || !s->xi[b]) goto fail;
  }
  s->win = ent_mallocarray(s->pb->n, sizeof(double));
  s->w = ent_smp_work_alloc(s->pb, s->o);
  if (!s->win || !s->w) goto fail;
  ent_smp_work_set_note(s->w, s->note);
  return s;
fail:
  ent_smp_solver_free(s);
  return NULL;
}

ent_status ent_smp_solver_run(ent_smp_solver *s, const double *cap,
                              const double *pos100, const double *sal100,
                              ent_diag *d) {
  if (!s) return ENT_EINVAL;
  const ent_smp_opts *o = s->o;
  s->note[0] = '\0';
  s->turns = s->converged = 0;
  /* the order of ent_smp_problem_create + ent_smp_run_create */
  ent_status st = ent_smp_problem_set(s->pb, cap, pos100, sal100, d, s->note);
  if (st != ENT_OK) return st;
  if (!ent_smp_opts_valid(o)) return ENT_EINVAL;
  if (ent_smp_opts_check(s->pb, o, d, s->note)) return ENT_EINPUT;
  ent_smp_work *w = s->w;
  ent_smp_work_reset(w);
  const ent_smp_problem *pb = s->pb;
  size_t N = pb->n, M = pb->m, NM = N * M;
  int cur = 0, finite = 1;
  memcpy(s->x[0], pb->x0, NM * sizeof(double));
  memcpy(s->xi[0], pb->x0, NM * sizeof(double));
  ent_smp_view v; /* the evaluation's arrays (stable pointers) */
  ent_smp_work_view(w, &v);
  int limit = s->max_turns > 0 ? s->max_turns : o->max_turns;
  /* State 0's winning probabilities are read only when no turn follows:
   * a turn's evaluation overwrites s->win, and a failed turn fails the
   * run.  The turn reads none of them (ent_smp_advance runs its own
   * elections from w's distances, attitudes and utilities), so with a
   * turn to come they may be skipped where ent_smp_evaluate_for_turn
   * proves their election succeeds with finite values -- the status,
   * the messages and s->win of every successful run as before. */
  int won = 1;
  if (limit >= 1)
    st = ent_smp_evaluate_for_turn(w, 0, s->x[0], s->xi[0], &won, d);
  else
    st = ent_smp_evaluate(w, 0, s->x[0], s->xi[0], d);
  if (st != ENT_OK) return st;
  finite = all_finite(s->x[0], NM) && all_finite(s->xi[0], NM) &&
           (!won || all_finite(v.win_prob, N)) && all_finite(v.R, N);
  if (won) memcpy(s->win, v.win_prob, N * sizeof *s->win);
  double d10 = 0.0;
  for (int t = 1; t <= limit; t++) {
    const double *x = s->x[cur], *xi = s->xi[cur];
    double *xn = s->x[1 - cur], *xin = s->xi[1 - cur];
    st = ent_smp_advance(w, t - 1, x, xi, xn, xin, d);
    if (st != ENT_OK) return st;
    /* §6 stopping rule, on the positions alone: whether a turn follows
     * is known before the evaluation, which then skips what only a turn
     * reads (ent_smp_evaluate_last) */
    double dt = ent_smp_state_distance(xn, x, N, M);
    if (t == 1) d10 = dt;
    double ratio = dt / (d10 + 1e-4);
    int stop = t >= o->min_turns && ratio < o->stop_ratio;
    if (stop || t == limit)
      st = ent_smp_evaluate_last(w, t, xn, xin, d);
    else
      st = ent_smp_evaluate(w, t, xn, xin, d);
    if (st != ENT_OK) return st;
    finite = finite && all_finite(xn, NM) && all_finite(xin, NM) &&
             all_finite(v.win_prob, N) && all_finite(v.R, N);
    memcpy(s->win, v.win_prob, N * sizeof *s->win);
    cur = 1 - cur;
    s->turns = t;
    if (stop) {
      s->converged = 1;
      break;
    }
  }
  s->last = cur;
  if (!finite) {
    ent_smp_report(d, s->note, ENT_SEV_ERROR, ENT_EINTERNAL, pb->file, 0, 0,
                   "the run produced a non-finite value");
    return ENT_EINTERNAL;
  }
  return ENT_OK;
}

void ent_smp_solver_set_max_turns(ent_smp_solver *s, int max_turns) {
  if (s) s->max_turns = max_turns > 0 ? max_turns : 0;
}

int ent_smp_solver_turns(const ent_smp_solver *s) { return s->turns; }
int ent_smp_solver_converged(const ent_smp_solver *s) { return s->converged; }
double ent_smp_solver_position(const ent_smp_solver *s, size_t i, size_t k) {
  return s->x[s->last][i * s->pb->m + k] * 100.0;
}
double ent_smp_solver_win_prob(const ent_smp_solver *s, size_t i) {
  return s->win[i];
}
const char *ent_smp_solver_note(const ent_smp_solver *s) { return s->note; }

size_t ent_smp_solver_size(const ent_smp_solver *s) {
  if (!s) return 0;
  size_t NM = s->pb->n * s->pb->m;
  return sizeof *s + ent_smp_work_size(s->w) +
         (4 * NM + s->pb->n) * sizeof(double) +     /* states, win */
         (3 * s->pb->n + 2 * NM) * sizeof(double);  /* problem values */
}
