/*
 * smp_problem.c -- the problem of KTAB's Spatial Model of Politics (smp.md
 * §1): its validation (§1.3), construction from arrays, copies and
 * lifetime.  Every way of building a problem goes through here: the KTAB
 * CSV loader (input/smp_csv.c) parses its text, checks each value with the
 * ent_smp_check_* functions at the value's file position, then calls
 * ent_smp_problem_create; the simulation sets each year's values with
 * ent_smp_problem_set.
 *
 * Invariants of a problem whose values were set without error: n in
 * [3, 250], m >= 1; capabilities in (0, 1e8]; positions (internal scale,
 * value / 100) in [0, 1]; saliences s_ik = value / 100 in [0, 1] with
 * sum_k s_ik <= 1 and sum_k s_ik^2 > 0; S, W and ssq derived from them in
 * index order.  All memory lives in the problem's arena.
 */
#include "strategic/smp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ reports */

void ent_smp_report(ent_diag *d, char *note, ent_severity sev, ent_status code,
                    const char *file, int line, int col, const char *fmt,
                    ...) {
  char buf[ENT_SMP_NOTE_SIZE];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (note && !note[0]) memcpy(note, buf, sizeof buf);
  ent_diag_add(d, sev, code, file, line, col, "%s", buf);
}

#define ERR(...) ent_smp_report(d, note, ENT_SEV_ERROR, ENT_EINPUT, __VA_ARGS__)

/* ------------------------------------------------------------ checks */

/* Each check: 0 if fine, else -1 after reporting to d (and note). */
static int check_actor_count(ent_diag *d, char *note, const char *file,
                             int line, int col, unsigned long n) {
  if (n >= ENT_SMP_MIN_ACTORS && n <= ENT_SMP_MAX_ACTORS) return 0;
  ERR(file, line, col,
      "number of actors %lu is outside [%d, %d] (KTAB's limits)", n,
      ENT_SMP_MIN_ACTORS, ENT_SMP_MAX_ACTORS);
  return -1;
}

static int check_dim_count(ent_diag *d, char *note, const char *file,
                           int line, int col, unsigned long m) {
  if (m >= 1 && m <= ENT_SMP_MAX_DIMS) return 0;
  ERR(file, line, col, "number of dimensions %lu is outside [1, %d]", m,
      ENT_SMP_MAX_DIMS);
  return -1;
}

static int check_capability(ent_diag *d, char *note, const char *file,
                            int line, int col, const char *actor, double v) {
  if (v == 0.0) {
    ERR(file, line, col,
        "capability of '%s' is 0; it must be positive (KTAB aborts on a "
        "non-positive voting weight)",
        actor);
    return -1;
  }
  if (!(v > 0.0 && v <= ENT_SMP_MAX_CAPABILITY)) {
    ERR(file, line, col, "capability %g of '%s' is outside (0, 1e8]", v,
        actor);
    return -1;
  }
  return 0;
}

static int check_position(ent_diag *d, char *note, const char *file, int line,
                          int col, const char *actor, size_t k, double v) {
  if (v >= 0.0 && v <= 100.0) return 0;
  ERR(file, line, col,
      "position %g of '%s' on dimension %zu is outside [0, 100]", v, actor,
      k + 1);
  return -1;
}

static int check_salience(ent_diag *d, char *note, const char *file, int line,
                          int col, const char *actor, size_t k, double v,
                          ent_smp_salsum *acc) {
  if (!(v >= 0.0 && v <= 100.0)) {
    ERR(file, line, col,
        "salience %g of '%s' on dimension %zu is outside [0, 100]", v, actor,
        k + 1);
    acc->all_ok = 0;
    return -1;
  }
  acc->sum = acc->sum + v;
  double s = v / 100.0;
  acc->ssq = acc->ssq + s * s;
  if (acc->sum > 100.0 && !acc->reported) {
    ERR(file, line, col,
        "saliences of '%s' add up to more than 100 (%.17g at dimension %zu)",
        actor, acc->sum, k + 1);
    acc->reported = 1;
    return -1;
  }
  return 0;
}

static int check_salience_total(ent_diag *d, char *note, const char *file,
                                int line, int col, const char *actor,
                                const ent_smp_salsum *acc) {
  if (!acc->all_ok || acc->ssq > 0.0) return 0;
  if (acc->sum == 0.0)
    ERR(file, line, col,
        "every salience of '%s' is 0 (KTAB aborts: its distances would be "
        "0/0)",
        actor);
  else
    ERR(file, line, col,
        "saliences of '%s' are too small to weigh distances", actor);
  return -1;
}

#undef ERR

int ent_smp_check_actor_count(ent_diag *d, const char *file, int line,
                              int col, unsigned long n) {
  return check_actor_count(d, NULL, file, line, col, n);
}
int ent_smp_check_dim_count(ent_diag *d, const char *file, int line, int col,
                            unsigned long m) {
  return check_dim_count(d, NULL, file, line, col, m);
}
int ent_smp_check_capability(ent_diag *d, const char *file, int line, int col,
                             const char *actor, double v) {
  return check_capability(d, NULL, file, line, col, actor, v);
}
int ent_smp_check_position(ent_diag *d, const char *file, int line, int col,
                           const char *actor, size_t k, double v) {
  return check_position(d, NULL, file, line, col, actor, k, v);
}
int ent_smp_check_salience(ent_diag *d, const char *file, int line, int col,
                           const char *actor, size_t k, double v,
                           ent_smp_salsum *acc) {
  return check_salience(d, NULL, file, line, col, actor, k, v, acc);
}
int ent_smp_check_salience_total(ent_diag *d, const char *file, int line,
                                 int col, const char *actor,
                                 const ent_smp_salsum *acc) {
  return check_salience_total(d, NULL, file, line, col, actor, acc);
}

/* Checks every value of (n, m, cap, pos, sal) in the order the CSV
 * loader reports them; returns the number of problems.  `actor` gives
 * the names used in messages (NULL: "A0", "A1", ...). */
static int check_values(ent_diag *d, char *note, const char *file, size_t n,
                        size_t m, const char *const *actor, const double *cap,
                        const double *pos, const double *sal) {
  int bad = 0;
  bad += check_actor_count(d, note, file, 0, 0, (unsigned long)n) != 0;
  bad += check_dim_count(d, note, file, 0, 0, (unsigned long)m) != 0;
  if (m < 1 || m > ENT_SMP_MAX_DIMS) return bad;
  char name[32];
  for (size_t i = 0; i < n; i++) {
    const char *a = actor ? actor[i] : name;
    if (!actor) snprintf(name, sizeof name, "A%zu", i);
    bad += check_capability(d, note, file, 0, 0, a, cap[i]) != 0;
    ent_smp_salsum acc = ENT_SMP_SALSUM_INIT;
    for (size_t k = 0; k < m; k++) {
      bad += check_position(d, note, file, 0, 0, a, k, pos[i * m + k]) != 0;
      bad += check_salience(d, note, file, 0, 0, a, k, sal[i * m + k],
                            &acc) != 0;
    }
    bad += check_salience_total(d, note, file, 0, 0, a, &acc) != 0;
  }
  return bad;
}

/* ------------------------------------------------------------ lifetime */

/* prefix and i in decimal into buf (of at least strlen(prefix) + 21
 * bytes): what snprintf(buf, size, "<prefix>%zu", i) writes, without
 * snprintf's cost (a solver is allocated per issue of every run). */
static void index_name(char *buf, const char *prefix, size_t i) {
  char digits[24];
  size_t nd = 0;
  do {
    digits[nd++] = (char)('0' + i % 10);
    i /= 10;
  } while (i);
  size_t len = strlen(prefix);
  memcpy(buf, prefix, len);
  while (nd) buf[len++] = digits[--nd];
  buf[len] = '\0';
}

/* The problem's arena: names (copied, or generated when NULL) and value
 * arrays of the sizes of `sp`; values are not set.  NULL when out of
 * memory. */
static ent_smp_problem *alloc_problem(const ent_smp_spec *sp) {
  ent_smp_problem *p = ent_calloc(1, sizeof *p);
  if (!p) return NULL;
  ent_arena_init(&p->arena);
  ent_arena *ar = &p->arena;
  size_t N = sp->n, M = sp->m;
  p->n = N;
  p->m = M;
  p->file = ent_arena_strdup(ar, sp->file ? sp->file : "<arrays>");
  p->name = ent_arena_strdup(ar, sp->name ? sp->name : "generated");
  p->desc = ent_arena_strdup(ar, sp->desc ? sp->desc : "generated scenario");
  p->actor = ent_arena_array(ar, N, sizeof *p->actor);
  p->actor_desc = ent_arena_array(ar, N, sizeof *p->actor_desc);
  p->dim = ent_arena_array(ar, M, sizeof *p->dim);
  double **arrs[] = {&p->cap, &p->x0, &p->sal, &p->S, &p->W, &p->ssq};
  size_t cnt[] = {N, N * M, N * M, N, N, N};
  for (size_t k = 0; k < sizeof cnt / sizeof cnt[0]; k++)
    *arrs[k] = ent_arena_array(ar, cnt[k], sizeof(double));
  if (!ar->failed) {
    char tmp[48];
    for (size_t i = 0; i < N; i++) {
      index_name(tmp, "A", i);
      p->actor[i] = ent_arena_strdup(ar, sp->actor ? sp->actor[i] : tmp);
      index_name(tmp, "actor ", i);
      p->actor_desc[i] =
          ent_arena_strdup(ar, sp->actor_desc ? sp->actor_desc[i] : tmp);
    }
    for (size_t k = 0; k < M; k++) {
      index_name(tmp, "D", k);
      p->dim[k] = ent_arena_strdup(ar, sp->dim ? sp->dim[k] : tmp);
    }
  }
  if (ar->failed) {
    ent_smp_problem_destroy(p);
    return NULL;
  }
  return p;
}

/* Values of a checked problem, in index order (§1.3 derived sums). */
static void fill_values(ent_smp_problem *p, const double *cap,
                        const double *pos100, const double *sal100) {
  size_t N = p->n, M = p->m;
  for (size_t i = 0; i < N; i++) {
    p->cap[i] = cap[i];
    double S = 0.0, ssq = 0.0;
    for (size_t k = 0; k < M; k++) {
      p->x0[i * M + k] = pos100[i * M + k] / 100.0;
      double s = sal100[i * M + k] / 100.0;
      p->sal[i * M + k] = s;
      S = S + s;
      ssq = ssq + s * s;
    }
    p->S[i] = S;
    p->ssq[i] = ssq;
    p->W[i] = S * p->cap[i];
  }
}

ent_smp_problem *ent_smp_problem_alloc(const ent_smp_spec *sp) {
  if (!sp || sp->n < 1 || sp->n > 100000 || sp->m < 1 ||
      sp->m > ENT_SMP_MAX_DIMS)
    return NULL;
  return alloc_problem(sp);
}

ent_status ent_smp_problem_set(ent_smp_problem *p, const double *cap,
                               const double *pos100, const double *sal100,
                               ent_diag *d, char *note) {
  if (!p || !cap || !pos100 || !sal100) return ENT_EINVAL;
  if (check_values(d, note, p->file, p->n, p->m, (const char *const *)p->actor, cap,
                   pos100, sal100))
    return ENT_EINPUT;
  fill_values(p, cap, pos100, sal100);
  return ENT_OK;
}

ent_status ent_smp_problem_create(const ent_smp_spec *sp,
                                  ent_smp_problem **out, ent_diag *d) {
  if (out) *out = NULL;
  if (!sp || !out || !sp->cap || !sp->pos || !sp->sal) return ENT_EINVAL;
  const char *file = sp->file ? sp->file : "<arrays>";
  if (check_values(d, NULL, file, sp->n, sp->m, sp->actor, sp->cap, sp->pos,
                   sp->sal))
    return ENT_EINPUT;
  ent_smp_problem *p = alloc_problem(sp);
  if (!p) return ENT_ENOMEM;
  fill_values(p, sp->cap, sp->pos, sp->sal);
  *out = p;
  return ENT_OK;
}

void ent_smp_problem_destroy(ent_smp_problem *p) {
  if (!p) return;
  ent_arena_free(&p->arena);
  ent_free(p);
}

ent_smp_problem *ent_smp_problem_clone(const ent_smp_problem *s) {
  ent_smp_problem *p = ent_calloc(1, sizeof *p);
  if (!p) return NULL;
  ent_arena_init(&p->arena);
  ent_arena *ar = &p->arena;
  size_t N = s->n, M = s->m;
  p->n = N;
  p->m = M;
  p->file = ent_arena_strdup(ar, s->file);
  p->name = ent_arena_strdup(ar, s->name);
  p->desc = ent_arena_strdup(ar, s->desc);
  p->actor = ent_arena_array(ar, N, sizeof *p->actor);
  p->actor_desc = ent_arena_array(ar, N, sizeof *p->actor_desc);
  p->dim = ent_arena_array(ar, M, sizeof *p->dim);
  double **arrs[] = {&p->cap, &p->x0, &p->sal, &p->S, &p->W, &p->ssq};
  const double *src[] = {s->cap, s->x0, s->sal, s->S, s->W, s->ssq};
  size_t cnt[] = {N, N * M, N * M, N, N, N};
  for (size_t k = 0; k < 6; k++) {
    *arrs[k] = ent_arena_array(ar, cnt[k], sizeof(double));
    if (*arrs[k]) memcpy(*arrs[k], src[k], cnt[k] * sizeof(double));
  }
  if (!ar->failed) {
    for (size_t i = 0; i < N; i++) {
      p->actor[i] = ent_arena_strdup(ar, s->actor[i]);
      p->actor_desc[i] = ent_arena_strdup(ar, s->actor_desc[i]);
    }
    for (size_t k = 0; k < M; k++) p->dim[k] = ent_arena_strdup(ar, s->dim[k]);
  }
  if (ar->failed) {
    ent_smp_problem_destroy(p);
    return NULL;
  }
  return p;
}

/* ------------------------------------------------------------ accessors */

const char *ent_smp_problem_name(const ent_smp_problem *p) {
  return p ? p->name : NULL;
}
size_t ent_smp_problem_actor_count(const ent_smp_problem *p) {
  return p ? p->n : 0;
}
size_t ent_smp_problem_dim_count(const ent_smp_problem *p) {
  return p ? p->m : 0;
}
const char *ent_smp_problem_actor_name(const ent_smp_problem *p, size_t i) {
  return p && i < p->n ? p->actor[i] : NULL;
}
const char *ent_smp_problem_dim_name(const ent_smp_problem *p, size_t k) {
  return p && k < p->m ? p->dim[k] : NULL;
}
